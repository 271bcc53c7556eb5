"""A report's HTML block as text (its tags stripped and its entities resolved by the standard library's
html.parser), and how many tables of numbers it holds: draft reads no HTML table as a table, but the check that a
report still prints a claim's number reads their text. Torch-free."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import NamedTuple

__all__ = ["HtmlBlock", "read"]

_PHRASING = frozenset({"a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
                       "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
                       "sup", "time", "tt", "u", "var", "wbr"})
"""Tags inside a run of text ("<b>11</b>.69", "71.2<sup>†</sup>"): no word ends at them, where one ends at a cell's
or a line's tags."""
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)?[^>]*>")
"""A tag, for a block that html.parser cannot read (``<![ draft ]>``): its text is all that is wanted of it."""


class HtmlBlock(NamedTuple):
    """An HTML block's text, its words split by single spaces, and the number of its ``<table>`` elements that
    print a number (a table that lays out logos or badges prints none)."""

    text: str
    tables: int


class _Reader(HTMLParser):
    """Collects a block's text, a space at each tag that ends a word, and counts its tables of numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tables = 0
        self.open: list[int] = []  # where each open table's text starts in ``parts``

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.open.append(len(self.parts))
        self.parts.append("" if tag in _PHRASING else " ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.open:
            self.tables += any(char.isdigit() for part in self.parts[self.open.pop():] for char in part)
        self.parts.append("" if tag in _PHRASING else " ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def read(block: str) -> HtmlBlock:
    """The text and the number of tables of numbers of the HTML block ``block``; of one html.parser cannot read,
    the text with its tags removed, and no table."""
    reader = _Reader()
    try:
        reader.feed(block)
        reader.close()
    except AssertionError:  # html.parser asserts on what it cannot parse: "<![ draft ]>"
        text = _TAG.sub(lambda tag: "" if (tag[1] or "").lower() in _PHRASING else " ", block)
        return HtmlBlock(" ".join(html.unescape(text).split()), 0)
    return HtmlBlock(" ".join("".join(reader.parts).split()), reader.tables)
