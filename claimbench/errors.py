"""What keeps a claim from a number: raised by the instruments, turned into a verdict by ``claimbench.verdict``.

Torch-free and free of claimbench's imports: the instruments raise them without knowing of verdicts, and data
loading without knowing of claims. ``authors`` tells the author's files from Python's, installed packages' and
claimbench's; ``author_line`` finds the line of an author's code that an error came from.
"""

from __future__ import annotations

import sysconfig
import traceback
import warnings
from pathlib import Path

__all__ = ["ClaimbenchWarning", "MeasurementError", "NotRunnable", "author_line", "authors", "described",
           "described_whole", "first_line", "in_one_line", "warn"]


class ClaimbenchWarning(UserWarning):
    """Something claimbench works around but the user should know of (data not where it was looked for, a
    report's file not found); ``-W ignore::claimbench.errors.ClaimbenchWarning`` filters them all."""


def warn(message: str, about: Path | str) -> None:
    """Issue a ``ClaimbenchWarning`` located at what it is ``about`` (a file or folder of the user's, an option), line
    0, not at claimbench's source line: pytest's warnings summary shows ``about:0: ClaimbenchWarning: message``, with
    no line of claimbench under it. A filter on the category works as on any warning (``-W error::...`` raises it
    here)."""
    warnings.warn_explicit(message, ClaimbenchWarning, str(about), 0, module="claimbench")


class MeasurementError(Exception):
    """We could not measure: the message is the one-line reason; the verdict is ``error``."""


class NotRunnable(Exception):
    """The claim cannot be measured here (no CUDA, no dataset, over budget); the message says what is missing."""


_NOT_THE_AUTHORS = tuple(Path(path).resolve() for path in {
    *(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")),
    str(Path(__file__).parent),
})
# Where installers put distributions, this interpreter's or not: a venv's, the user site, Debian's dist-packages, a
# --system-site-packages venv's base, another venv's reached through a .pth file or PYTHONPATH. By name, not by the
# sys.path and site's lists of the moment: those change (site.addsitedir, pytest's pythonpath), and an author's
# project installed in editable mode lies outside them (a .pth file names its folder; a link is resolved).
_INSTALLED = frozenset({"site-packages", "dist-packages"})


def authors(filename: str) -> bool:
    """A file of the author's: not frozen, not Python's, not an installed package's (in a site-packages or
    dist-packages folder, wherever it is), not claimbench's."""
    if filename.startswith("<"):
        return False
    path = Path(filename).resolve()
    return _INSTALLED.isdisjoint(path.parts) and not any(path.is_relative_to(folder) for folder in _NOT_THE_AUTHORS)


def _shown(filename: str) -> str:
    """The file relative to the working directory when it lies under it, as pytest shows it."""
    path, here = Path(filename).resolve(), Path.cwd()
    return str(path.relative_to(here)) if path.is_relative_to(here) else str(path)


def first_line(error: BaseException) -> str:
    """The first line of an error's message ("" when it has none): what a one-line reason quotes of it."""
    return next(iter(str(error).strip().splitlines()), "")


def described(error: BaseException) -> str:
    """The error's type and the first line of its message, its type alone when it has none (a ``MemoryError()``):
    what a one-line reason says of an exception that is not a ``MeasurementError``."""
    first = first_line(error)
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def described_whole(error: BaseException) -> str:
    """The error's type and every line of its message joined in one, for a message whose first line says nothing of
    the cause (torchvision's failed MNIST download: ``Error downloading train-images-idx3-ubyte.gz:``, then each
    mirror tried and its error on lines of their own)."""
    whole = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
    return f"{type(error).__name__}: {whole}" if whole else type(error).__name__


def author_line(error: BaseException) -> str | None:
    """``path:line: `code``` of the innermost frame of ``error``'s traceback in the author's code (the line a
    ``SyntaxError`` points at); None when no frame is the author's."""
    if isinstance(error, SyntaxError) and error.filename and authors(error.filename):
        filename, lineno, code = error.filename, error.lineno, (error.text or "").strip()
    else:
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if authors(frame.filename)]
        if not frames:
            return None
        filename, lineno, code = frames[-1].filename, frames[-1].lineno, (frames[-1].line or "").strip()
    return f"{_shown(filename)}:{lineno}" + (f": `{code}`" if code else "")


def in_one_line(error: BaseException) -> str:
    """The error's type and first line, and the line of the author's code it came from."""
    line = author_line(error)
    return described(error) + (f" (at {line})" if line else "")
