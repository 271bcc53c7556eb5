"""The unit a table prints a column's numbers in where neither its cells nor its header name one: a column of units
("| Metric | Unit | A |"), or the text above the table back to its heading ("All counts in millions.", "Times in
ms."); a row of units under the header ("| | (M) | (%) |") is ``header_rows.unit_row``'s, which the loader shares.
Torch-free."""

from __future__ import annotations

import re

from claimbench import numerals
from claimbench.draft_values import COUNT_UNIT, SIZE_UNIT, TIME_UNIT
from claimbench.header_rows import SPELT, cell_unit
from claimbench.kind_words import UNIT_KINDS, guess_kind, meant, unmeasured, words_of
from claimbench.toml_lines import Guess

__all__ = ["caption_scale", "quoted", "unit_column"]

_UNIT = re.compile(rf"(?:\b(?:in|or)\s+|\()(?P<unit>{'|'.join(SPELT)}|{numerals.UNIT})(?![\w%])")
"""A unit a caption gives numbers: "in millions", "in ms", "(MB)", "in MB or MiB"."""
_PER = re.compile(r"\s*(?:per\s+|/\s*)(?P<what>[a-z]+)", re.IGNORECASE)
"""What a unit is given per, after it: "ms per step", "s / batch"."""
_CLAUSE = re.compile(r"[^.;,:]+(?:\.\d[^.;,:]*)*")
"""A clause of a caption: "Params in M", "MACs in G" (a decimal point stays inside its clause)."""
_UNIT_TODO = {"size": SIZE_UNIT, "params": COUNT_UNIT, "macs": COUNT_UNIT, "epoch_time": TIME_UNIT}
"""The kinds a unit-less column needs a unit for, and the TODO that asks for it."""
_QUOTED = 100
"""The most characters of a caption quoted in a comment."""


def caption_scale(captions: tuple[tuple[str, str], ...], kind: str | None) -> Guess | str | None:
    """The scale of a number of ``kind`` (a size, count or time) printed with no unit in its cell or header, from
    the nearest of the ``captions`` (where, text) above its table that names a unit for that kind (in a clause
    that names the kind, or none: "All counts in millions."): read with a comment that quotes it where it names
    one, a scale TODO naming them where it names several ("Sizes in MB or MiB"); None where none names one."""
    if kind not in _UNIT_TODO:
        return None
    for where, caption in captions:
        units = dict.fromkeys(unit for unit, named in _units(caption)
                              if named == kind or named is None and kind in UNIT_KINDS.get(unit, ()))
        if len(units) == 1:
            (unit,) = units
            return Guess(numerals.scales(unit, kind)[0], f"in {unit}, as {where} says: {quoted(caption)!r}")
        if units:
            return f"{_UNIT_TODO[kind]}; {where} names {' and '.join(units)}: {quoted(caption)!r}"
    return None


def quoted(caption: str) -> str:
    """``caption`` as a comment quotes it: its first ``_QUOTED`` characters."""
    return caption if len(caption) <= _QUOTED else caption[:_QUOTED - 1] + "…"


def _units(caption: str) -> list[tuple[str, str | None]]:
    """(unit, the kind its clause names: None where it names none, "" where it names what claimbench does not
    measure, "Latency in ms", or the unit is per something but an epoch, "ms per step") of each unit ``caption``
    gives its numbers."""
    found = []
    for clause in _CLAUSE.finditer(caption):
        start = 0
        for match in _UNIT.finditer(clause.group()):
            unit, before = SPELT.get(match["unit"], match["unit"]), clause.group()[start : match.start()]
            if unit in numerals.UNITS:
                named = guess_kind(before) or ("" if unmeasured(meant(words_of(before))) else None)
                per = _PER.match(clause.group(), match.end())
                named = "" if per and per["what"].lower() != "epoch" else named
                found.append((unit, found[-1][1] if match.group().startswith("or") and found else named))
            start = match.end()
    return found


def unit_column(columns: list[str], rows: list[list[str]]) -> tuple[int, list[str]] | None:
    """The index of a column of units ("| Metric | Unit | A | B |": its rows are metrics, each in its own unit) and
    what each row prints in it: a unit ("(M)": "M", "×10^6": "M", "seconds": "s"), else the cell's text where it is
    a word with no digit ("GFLOPs", read as a header reads it), else "" (empty, a dash). None where no column but
    the first is headed "Unit" or "Units", or none of its cells is a unit."""
    index = next((i for i, column in enumerate(columns) if i and words_of(column) in (["unit"], ["units"])), None)
    if index is None:
        return None
    cells = [row[index] if index < len(row) else "" for row in rows]
    units = [cell_unit(cell) for cell in cells]
    if not any(units):
        return None
    words = [numerals.plain_text(cell).strip() for cell in cells]
    return index, [unit or (text if re.fullmatch(r"[^\d]*[A-Za-z%][^\d]*", text) else "")
                   for unit, text in zip(units, words)]

