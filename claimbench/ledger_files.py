"""A ledger's files, found without reading them: what the pytest plugin checks in every session that configures a
ledger, before (and whether or not) it loads the claims, so it costs no pydantic (``claimbench.ledger`` reads them).
"""

from __future__ import annotations

from pathlib import Path


class LedgerError(ValueError):
    """Problems in ledger files, each ``file: claim id: field: what is wrong``; the first line names the first,
    the others follow indented."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})" if len(problems) > 1 else ""
        super().__init__("\n  ".join([problems[0] + more, *problems[1:]]))


def _bracketed(file: Path) -> str:
    """Why a ledger file's name is refused: a '[' or ']' in it, which begins its claims' ids; empty when none."""
    if "[" in file.stem or "]" in file.stem:
        return (f"a ledger file's name begins its claims' ids, and pytest refuses a '[' or ']' there ({file.name}): "
                "rename it without them")
    return ""


def _unread(folder: Path, file: Path) -> str:
    """Why a ``.toml`` file (in any case) under ``folder`` would be read by no run, or would give ids pytest refuses;
    empty when it is a ledger file."""
    if file.parent != folder:
        return f"ledger files must lie directly in {folder} (a subfolder is not read): move it up"
    if file.suffix != ".toml":
        return f"ledger files end in .toml, in lower case ({file.name} is not read): rename it to {file.stem}.toml"
    return _bracketed(file)


def files(path: Path) -> list[Path]:
    """The ledger's files: a folder's ``*.toml``, or the one file. ``LedgerError`` names a path that is neither, a
    folder named like a ledger file (``x.toml``: a path meant for one file, not a folder of them), a file whose
    name holds a '[' or ']' (its claims' ids would be node ids pytest refuses), and each file in the folder
    that ends in .toml, in any case, but would not be read (in a subfolder, or ``x.TOML``); not one in a hidden folder
    (``.ipynb_checkpoints``), which pytest does not look into either."""
    if not path.is_dir() and not path.is_file():
        what = "not a regular file or a folder" if path.exists() else "no such file or directory"
        raise LedgerError([f"{path}: (file): (path): {what}"])
    if path.is_dir() and path.suffix.lower() == ".toml":
        raise LedgerError([f"{path}: (file): (path): a folder, though its name ends in .toml: name a ledger file, or "
                           "a folder of them whose name does not end in .toml"])
    if not path.is_dir():
        if why := _bracketed(path):
            raise LedgerError([f"{path}: (file): (path): {why}"])
        return [path]
    unread = [f"{file}: (file): (path): {why}, or rename it so it does not end in .toml"
              for file in sorted(path.rglob("*"))
              if file.suffix.lower() == ".toml" and file.is_file() and (why := _unread(path, file))
              and not any(part.startswith(".") for part in file.relative_to(path).parts[:-1])]
    if unread:
        raise LedgerError(unread)
    return sorted(path.glob("*.toml"))
