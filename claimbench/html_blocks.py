"""A report's HTML block as text (its tags stripped and its entities resolved by the standard library's
html.parser), and how many tables it holds: draft reads no HTML table as a table, but the check that a report still
prints a claim's number reads their text. Torch-free."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple

__all__ = ["HtmlBlock", "read"]

_PHRASING = frozenset({"a", "abbr", "b", "code", "em", "i", "s", "small", "span", "strong", "u"})
"""Tags inside a run of text ("<b>11</b>.69"): no word ends at them, where one ends at a cell's or a line's tags."""


class HtmlBlock(NamedTuple):
    """An HTML block's text, its words split by single spaces, and the number of its ``<table>`` elements."""

    text: str
    tables: int


class _Reader(HTMLParser):
    """Collects a block's text, a space at each tag that ends a word, and counts its tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tables += tag == "table"
        self.parts.append("" if tag in _PHRASING else " ")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append("" if tag in _PHRASING else " ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def read(html: str) -> HtmlBlock:
    """The text and the table count of the HTML block ``html``."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return HtmlBlock(" ".join("".join(reader.parts).split()), reader.tables)
