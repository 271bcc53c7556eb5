"""The unit a table prints a column's numbers in where neither its cells nor its header name one: the paragraph
right before the table ("All counts in millions.", "Times in ms."). Torch-free."""

from __future__ import annotations

import re

from claimbench import numerals
from claimbench.draft_values import COUNT_UNIT, SIZE_UNIT, TIME_UNIT
from claimbench.kind_words import UNIT_KINDS, guess_kind, meant, unmeasured, words_of
from claimbench.toml_lines import Guess

__all__ = ["caption_scale"]

_SPELT = {"milliseconds": "ms", "seconds": "s", "secs": "s", "sec": "s", "percent": "%"}
"""Units a sentence spells out, as a header abbreviates them."""
_UNIT = re.compile(rf"(?:\b(?:in|or)\s+|\()(?P<unit>{'|'.join(_SPELT)}|{numerals.UNIT})(?![\w%])")
"""A unit a caption gives numbers: "in millions", "in ms", "(MB)", "in MB or MiB"."""
_CLAUSE = re.compile(r"[^.;,:]+(?:\.\d[^.;,:]*)*")
"""A clause of a caption: "Params in M", "MACs in G" (a decimal point stays inside its clause)."""
_UNIT_TODO = {"size": SIZE_UNIT, "params": COUNT_UNIT, "macs": COUNT_UNIT, "epoch_time": TIME_UNIT}
"""The kinds a unit-less column needs a unit for, and the TODO that asks for it."""
_QUOTED = 100
"""The most characters of a caption quoted in a comment."""


def caption_scale(caption: str | None, kind: str | None) -> Guess | str | None:
    """The scale of a number of ``kind`` (a size, count or time) printed with no unit in its cell or header, from
    the paragraph right before its table: read with a comment where it names one unit for that kind (in a clause
    that names the kind, or none: "All counts in millions."), a scale TODO naming it where it names several
    ("Sizes in MB or MiB"), None where it names none."""
    if not caption or kind not in _UNIT_TODO:
        return None
    units = dict.fromkeys(unit for unit, named in _units(caption)
                          if named == kind or named is None and kind in UNIT_KINDS.get(unit, ()))
    quoted = caption if len(caption) <= _QUOTED else caption[:_QUOTED - 1] + "…"
    if len(units) == 1:
        (unit,) = units
        return Guess(numerals.scales(unit, kind)[0], f"in {unit}, as the paragraph before the table says: {quoted!r}")
    if units:
        return f"{_UNIT_TODO[kind]}; the paragraph before the table names {' and '.join(units)}: {quoted!r}"
    return None


def _units(caption: str) -> list[tuple[str, str | None]]:
    """(unit, the kind its clause names: None where it names none, "" where it names what claimbench does not
    measure, "Latency in ms") of each unit ``caption`` gives its numbers."""
    found = []
    for clause in _CLAUSE.finditer(caption):
        start = 0
        for match in _UNIT.finditer(clause.group()):
            unit, before = _SPELT.get(match["unit"], match["unit"]), clause.group()[start : match.start()]
            if unit in numerals.UNITS:
                named = guess_kind(before) or ("" if unmeasured(meant(words_of(before))) else None)
                found.append((unit, found[-1][1] if match.group().startswith("or") and found else named))
            start = match.end()
    return found
