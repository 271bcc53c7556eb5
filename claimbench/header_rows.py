"""A table's second header row, printed as its first body row ("| | Top-1 (%) | Epochs |" under "| Model |
Fashion-MNIST | | MNIST | |", a merged header GFM cannot print): the ledger copies the table as printed, and the
draft reads each column's kind and unit under the two headers joined. Torch-free."""

from __future__ import annotations

import re

from claimbench import numerals

__all__ = ["sub_header"]


def sub_header(columns: list[str], rows: list[list[str]]) -> list[str] | None:
    """The column headers joined with the second header row the table's first row is ("Fashion-MNIST Top-1 (%)"; an
    empty header takes the one to its left, as a merged cell spans), where that row's label is empty and its other
    cells are words with no number, or empty, one at least not; None where it is not."""
    if not rows or rows[0][0].strip():
        return None
    texts = [numerals.plain_text(cell).strip() for cell in rows[0][1:]]
    if not any(texts) or any(text and (not re.search(r"[^\W\d_]", text) or numerals.parse(text) is not None)
                             for text in texts):
        return None
    headers, top = [columns[0]], ""
    for column, text in zip(columns[1:], texts):
        top = column.strip() or top
        headers.append(" ".join(filter(None, (top, text))))
    return headers
