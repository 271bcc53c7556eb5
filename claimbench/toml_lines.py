"""The draft's TOML: ``key = value`` lines, a value's TOML form, a value guessed from the report's text with a
comment on how (``Guess``), and the ``TODO`` text that asks the author for what only they know."""

from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["Guess", "keys", "todo", "toml"]


@dataclass(frozen=True)
class Guess:
    """A value read from the report's text around a number, with a comment on how (written after it)."""

    value: object
    comment: str


def todo(what: str, choices: tuple[str, ...] = ()) -> str:
    """A TODO that names what to fill in and, where the ledger has a list, its allowed values."""
    return f"TODO: {what}{' (' + ' | '.join(choices) + ')' if choices else ''}"


def keys(entries: dict[str, object]) -> list[str]:
    """``key = value`` lines with the equals signs aligned."""
    width = max(map(len, entries), default=0)
    return [f"{key:<{width}} = {toml(value.value)}  # {value.comment}" if isinstance(value, Guess)
            else f"{key:<{width}} = {toml(value)}" for key, value in entries.items()]


def toml(value: object) -> str:
    """One TOML value: a string, bool, int, float, array or inline table."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(toml, value)) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def _float(value: float) -> str:
    """A float as TOML: powers of ten as "1e6", others as Python prints them ("21.2", "0.01")."""
    exponent = f"{value:e}".split("e")
    if float(exponent[0]) == 1.0 and abs(int(exponent[1])) >= 3:
        return f"1e{int(exponent[1])}"
    return repr(value)
