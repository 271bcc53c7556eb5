"""A table's second header row, printed as its first body row ("| | Top-1 (%) | Epochs |" under "| Model |
Fashion-MNIST | | MNIST | |", or "| **Model** | **Params (M)** | **MACs (G)** |" under "| | Complexity | |", a merged
header GFM cannot print): the ledger copies the table as printed, the draft reads each column's kind and unit
under the two headers joined, and the loader checks a claim's scale against that unit. Torch-free."""

from __future__ import annotations

import re

from claimbench import numerals
from claimbench.column_names import joined_headers
from claimbench.kind_words import guess_kind, has, meant, unmeasured, words_of

__all__ = ["sub_header"]

_BRACKETED = re.compile(r"[(\[]\s*(?P<unit>[^()\[\]]*?)\s*[)\]]\s*$")
"""What a header prints in brackets at its end."""
_UNIT = re.compile(rf"{numerals.UNIT}|[^\W\d_]+/[^\W\d_]+")
"""A unit a header prints in brackets: "M", "%", "ms", "img/s"; or a power of ten (``numerals.power_unit``)."""
_WORD_DIGITS = re.compile(r"[^\W\d_]+[-@]?\d+(?![\w.,])")
"""Digits a word ends in, which are no number: "Top-1", "Top5", "FP16", "Acc@1"."""
_SETTINGS = ("epochs", "epoch", "time", "resolution", "input", "image size", "batch size", "crop", "steps",
             "iterations")
"""Words of a header of what a run or its input was set to, or took, which no claim kind names: "Epochs", "Train
time", "Resolution", "Input size"."""


def sub_header(columns: list[str], rows: list[list[str]]) -> list[str] | None:
    """The column headers joined with the second header row the table's first row is (``joined_headers``:
    "Fashion-MNIST Top-1 (%)"), where that row's cells but its label are words with no number, or empty, one at least
    not, and its label is empty, or has no digit ("Model") while each of its other cells that is not empty names a
    kind, what claimbench does not measure, a setting or a unit ("Params (M)", "Top-5 (%)", "Epochs", "Params
    (×10^6)": ``_names_a_header``), as no row of data does; None where it is not."""
    if not rows:
        return None
    label = numerals.plain_text(rows[0][0]).strip()
    texts = [numerals.plain_text(cell).strip() for cell in rows[0][1:]]
    if not any(texts) or any(text and (not re.search(r"[^\W\d_]", text) or numerals.parse(text) is not None)
                             for text in texts):
        return None
    if label and (re.search(r"\d", label) or not all(map(_names_a_header, filter(None, texts)))):
        return None
    return joined_headers(columns, rows[0])


def _names_a_header(text: str) -> bool:
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
