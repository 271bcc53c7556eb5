"""A table's first body row that is no data but more of its header: a second header row ("| | Top-1 (%) | Epochs |"
under "| Model | Fashion-MNIST | | MNIST | |", or "| **Model** | **Params (M)** | **MACs (G)** |" under "| |
Complexity | |", a merged header GFM cannot print), or a row of units ("| | (M) | (%) |" under "| Model | Params | Acc
|"): the ledger copies the table as printed, the draft reads each column's kind and unit under its header as that
row completes it (``read_headers``), and the loader checks a claim's scale against that unit. Torch-free."""

from __future__ import annotations

import re

from claimbench import numerals
from claimbench.column_names import joined_headers
from claimbench.kind_words import SETTINGS, guess_kind, has, meant, unmeasured, words_of

__all__ = ["SPELT", "cell_unit", "names_a_header", "read_headers", "sub_header", "unit_row"]

SPELT = {"milliseconds": "ms", "seconds": "s", "secs": "s", "sec": "s", "percent": "%"}
"""Units a sentence or a row of units spells out, as a header abbreviates them."""
_UNIT_CELL = re.compile(r"[(\[]?\s*(?P<unit>[^()\[\]]*?)\s*[)\]]?")
"""A cell of a row of units: "(M)", "[ms]", "%", "×10^6"."""
_BRACKETED = re.compile(r"[(\[]\s*(?P<unit>[^()\[\]]*?)\s*[)\]]\s*$")
"""What a header prints in brackets at its end."""
_UNIT = re.compile(rf"{numerals.UNIT}|[^\W\d_]+/[^\W\d_]+")
"""A unit a header prints in brackets: "M", "%", "ms", "img/s"; or a power of ten (``numerals.power_unit``)."""
_WORD_DIGITS = re.compile(r"[^\W\d_]+[-@]?\d+(?![\w.,])")
"""Digits a word ends in, which are no number: "Top-1", "Top5", "FP16", "Acc@1"."""
_SETTINGS = (*SETTINGS, "time", "input")
"""Words of a header of what a run or its input was set to, or took, which no claim kind names: a setting's
(``kind_words.SETTINGS``: "Epochs", "Resolution"), or a time or an input ("Train time", "Input size")."""


def read_headers(columns: list[str], rows: list[list[str]]) -> list[str] | None:
    """The column headers a table's numbers are read under where its first row completes them: with the units a row
    of units prints under them (``unit_row``: "Params (M)"), or joined with a second header row (``sub_header``:
    "Complexity Params (M)"); None where that row is data."""
    return unit_row(columns, rows) or sub_header(columns, rows)


def unit_row(columns: list[str], rows: list[list[str]]) -> list[str] | None:
    """The column headers with the units that the table's first row prints under them ("| | (M) | (%) |" under "|
    Model | Params | Acc |": "Params (M)", "Acc (%)"), where that row is units only (its label empty, a unit or
    nothing in each other cell, one unit at least); None where it is not."""
    if not rows or rows[0][0].strip().lower() not in ("", "unit", "units"):
        return None
    units = [cell_unit(cell) for cell in rows[0][1:]]
    if not any(units) or any(unit is None for unit in units):
        return None
    return [columns[0], *(f"{column} ({unit})" if unit else column for column, unit in zip(columns[1:], units))]


def cell_unit(cell: str) -> str | None:
    """The unit a cell of a row (or column) of units prints ("(M)": "M", "×10^6": "M", "[ms]", "(seconds)": "s"), ""
    for an empty cell, None for anything else."""
    text = numerals.plain_text(_raised(cell)).strip()
    match = _UNIT_CELL.fullmatch(text)
    unit = match["unit"] if match else text
    if power := numerals.power_unit(unit):
        return power
    unit = SPELT.get(unit, unit)
    return unit if unit in numerals.UNITS or not unit else None


def sub_header(columns: list[str], rows: list[list[str]]) -> list[str] | None:
    """The column headers joined with the second header row the table's first row is (``joined_headers``:
    "Fashion-MNIST Top-1 (%)"), where that row's cells but its label are words with no number, or empty, one at least
    not, and its label is empty, or has no digit ("Model") while each of its other cells that is not empty names a
    kind, what claimbench does not measure, a setting or a unit ("Params (M)", "Top-5 (%)", "Epochs", "Params
    (×10^6)": ``names_a_header``), as no row of data does; None where it is not. A superscript power of ten reads
    as one ("Params (×10<sup>6</sup>)": "Complexity Params (×10^6)", in M), where a cell's address joins its plain
    text ("×106": ``column_names``)."""
    if not rows:
        return None
    cells = [_raised(cell) for cell in rows[0]]
    label = numerals.plain_text(cells[0]).strip()
    texts = [numerals.plain_text(cell).strip() for cell in cells[1:]]
    if not any(texts) or any(text and (not re.search(r"[^\W\d_]", text) or numerals.parse(text) is not None)
                             for text in texts):
        return None
    if label and (re.search(r"\d", label) or not all(map(names_a_header, filter(None, texts)))):
        return None
    return joined_headers(columns, cells)


def names_a_header(text: str) -> bool:
    """Whether ``text`` reads as a column header: it names a kind, what claimbench does not measure, a setting of a
    run or its input (``_SETTINGS``), or a unit in brackets at its end ("(M)", "(×10^6)"), and prints no number but
    in a word ("Top-1", "FP16", "Acc@1"; not "113K parameters") or in that unit."""
    unit, words = _unit(text), meant(words_of(text))
    return (not re.search(r"\d", _WORD_DIGITS.sub("", text[: unit.start()] if unit else text))
            and bool(guess_kind(text) or unmeasured(words) or any(has(words, setting) for setting in _SETTINGS)
                     or unit))


def _unit(text: str) -> re.Match[str] | None:
    """Where ``text`` prints a unit in brackets at its end ("(M)", "(%)", "[ms]", "(img/s)", "(×10^6)"), or None."""
    match = _BRACKETED.search(text)
    return match if match and (_UNIT.fullmatch(match["unit"]) or numerals.power_unit(match["unit"])) else None


def _raised(cell: str) -> str:
    """``cell`` with a superscript digit written "^" and the digit ("×10<sup>6</sup>": "×10^6"), which
    ``numerals.power_unit`` reads, where its plain text would run the digits together ("×106")."""
    return re.sub(r"<sup>\s*(\d)\s*</sup>", r"^\1", cell, flags=re.IGNORECASE)
