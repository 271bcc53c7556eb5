"""How a claim's ``cell`` names its column: by its header as printed, or, in a table whose first row is a second
header row under a merged one ("| | Complexity | | |" over "| Model | Params (M) | MACs (G) |"), by its header
joined with that row's cell below it ("Complexity MACs (G)"), which names the columns an empty header leaves
alike. Torch-free."""

from __future__ import annotations

from collections.abc import Sequence

from claimbench import numerals

__all__ = ["column_index", "joined_headers"]


def joined_headers(columns: Sequence[str], first_row: Sequence[str]) -> list[str]:
    """Each column's header joined with the cell of ``first_row`` below it ("Complexity MACs (G)"; an empty header
    takes the one to its left, as a merged cell spans); the first column's header alone."""
    headers, top = list(columns[:1]), ""
    for column, cell in zip(columns[1:], first_row[1:]):
        top = column.strip() or top
        headers.append(" ".join(filter(None, (top, numerals.plain_text(cell).strip()))))
    return headers


def column_index(columns: Sequence[str], rows: Sequence[Sequence[str]], name: str) -> int | None:
    """The index of the column ``name`` names: a header the table prints once, else a header joined with the first
    row's cell below it (``joined_headers``) that names one column only; None where neither does."""
    if columns.count(name) == 1:
        return list(columns).index(name)
    joined = joined_headers(columns, rows[0]) if rows else []
    return joined.index(name) if joined.count(name) == 1 and name not in columns else None
