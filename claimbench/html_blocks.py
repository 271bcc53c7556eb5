"""A report's HTML block as text (its tags stripped and its entities resolved by the standard library's
html.parser), its plain tables cell by cell, and how many tables of numbers it holds that are not plain: draft reads
a plain table as it reads a markdown one, and the check that a report still prints a claim's number reads the text
of the others. Torch-free."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import NamedTuple

from claimbench.header_rows import names_a_header

__all__ = ["HtmlBlock", "read"]

_PHRASING = frozenset({"a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
                       "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
                       "sup", "time", "tt", "u", "var", "wbr"})
"""Tags inside a run of text ("<b>11</b>.69", "71.2<sup>†</sup>"): no word ends at them, where one ends at a cell's
or a line's tags."""
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)?[^>]*>")
"""A tag, for a block that html.parser cannot read (``<![ draft ]>``): its text is all that is wanted of it."""
_CELL_ENDS = frozenset({"td", "th", "tr", "thead", "tbody", "tfoot", "table"})
"""End tags that close an open cell (HTML lets a cell's own end tag out)."""
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
"""A heading's tags: a README's centred ``<h1 align="center">`` may be its title."""

Rows = tuple[tuple[str, ...], ...]


class HtmlBlock(NamedTuple):
    """An HTML block's text, its words split by single spaces; its plain tables, each its rows of cells (the
    first its header), every cell's source verbatim but for its runs of white space, each one space; the number
    of its other ``<table>`` elements that print a number (a table that lays out logos or badges prints none); and
    the text of a table it leaves open (a blank line ends a markdown HTML block, inside a table too), None where
    it leaves none, whether it closes a table it did not open (the rest of one left open before it), and the text of
    its first heading (``<h1>`` to ``<h6>``) that has any, None where none has."""

    text: str
    tables: tuple[Rows, ...]
    unread: int
    open_table: str | None = None
    closes_other: bool = False
    heading: str | None = None


class _Table:
    """A ``<table>`` being read: its rows of cells, where the open cell's source starts, and whether it is plain."""

    def __init__(self, start: int) -> None:
        self.start = start  # where its text starts in the reader's ``parts``
        self.rows: list[list[str]] = []
        self.marked: list[bool] = []  # whether each row's cells are all in <thead>, <th> or empty
        self.numbered: list[bool] = []  # whether a cell of each row prints a number: a digit but in a header's words
        self.cell: int | None = None
        self.cell_text = 0  # where the open cell's text starts in the reader's ``parts``
        self.cell_heads = False  # whether the open cell is a <th> or in <thead>
        self.plain = True
        self.head = False  # inside <thead>

    def header(self, row: int) -> bool:
        """Whether row ``row`` may be the header: marked as one (of <th> cells, an empty <td> among them, or in
        <thead>), or printing no number, so none is lost to it: no digit, but in the words of a header
        (``header_rows.names_a_header``: "Top-1 (%)", "Params (×10^6)")."""
        return self.marked[row] or not self.numbered[row]


class _Reader(HTMLParser):
    """Collects a block's text, a space at each tag that ends a word, and its tables: a plain one (a header row
    first, rows of equal length, at least one more, no cell spanning others, no table inside) cell by cell, any other
    that prints a number outside the plain tables inside it counted."""

    def __init__(self, block: str) -> None:
        super().__init__(convert_charrefs=True)
        self.block = block
        self.lines = [0, *(match.end() for match in re.finditer("\n", block))]
        self.parts: list[str] = []
        self.open: list[_Table] = []
        self.tables: list[Rows] = []
        self.unread = 0
        self.read_spans: list[range] = []  # the ``parts`` of the plain tables read
        self.closes_other = False
        self.heading: str | None = None
        self.heading_start: int | None = None  # where the open heading's text starts in ``parts``

    def _here(self) -> int:
        """The offset in the block of the tag being handled."""
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def _close_cell(self) -> None:
        table = self.open[-1]
        if table.cell is not None:
            table.rows[-1].append(" ".join(self.block[table.cell:self._here()].split()))
            text = "".join(self.parts[table.cell_text:])
            table.marked[-1] &= table.cell_heads or not text.strip()
            table.numbered[-1] |= any(char.isdigit() for char in text) and not names_a_header(text.strip())
            table.cell = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.open and tag in ("tr", "td", "th", "table"):
            self._close_cell()
            table = self.open[-1]
            if tag == "tr" or not table.rows:
                table.rows.append([])
                table.marked.append(True)
                table.numbered.append(False)
            if tag in ("td", "th"):
                table.cell = self._here() + len(self.get_starttag_text() or "")
                table.cell_text = len(self.parts)
                table.cell_heads = tag == "th" or table.head
                table.plain &= all((value or "1").strip() == "1" for name, value in attrs
                                   if name in ("colspan", "rowspan"))
            table.plain &= tag != "table"
        if tag == "table":
            self.open.append(_Table(len(self.parts)))
        if tag == "thead" and self.open:
            self.open[-1].head = True
        self.parts.append("" if tag in _PHRASING else " ")
        if tag in _HEADINGS and self.heading is None:
            self.heading_start = len(self.parts)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADINGS and self.heading_start is not None:
            self.heading = " ".join("".join(self.parts[self.heading_start:]).split()) or None
            self.heading_start = None
        if self.open and tag in _CELL_ENDS:
            self._close_cell()
        if tag == "thead" and self.open:
            self.open[-1].head = False
        if tag == "table" and not self.open:
            self.closes_other = True
        elif tag == "table":
            table = self.open.pop()
            rows = [(row, table.header(index)) for index, row in enumerate(table.rows) if row]
            if (table.plain and len(rows) > 1 and rows[0][1] and len({len(row) for row, _ in rows}) == 1):
                self.tables.append(tuple(tuple(row) for row, _ in rows))
                self.read_spans.append(range(table.start, len(self.parts)))
            else:
                self.unread += any(char.isdigit() for char in self.text_of(table))
        self.parts.append("" if tag in _PHRASING else " ")

    def text_of(self, table: _Table) -> str:
        """The text of a table so far, but that of the plain tables read inside it."""
        return "".join(part for index, part in enumerate(self.parts[table.start:], table.start)
                       if not any(index in span for span in self.read_spans))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def read(block: str) -> HtmlBlock:
    """The text, the plain tables and the number of other tables of numbers of the HTML block ``block``; of one
    html.parser cannot read, the text with its tags removed, and no table."""
    reader = _Reader(block)
    try:
        reader.feed(block)
        reader.close()
    except AssertionError:  # html.parser asserts on what it cannot parse: "<![ draft ]>"
        text = _TAG.sub(lambda tag: "" if (tag[1] or "").lower() in _PHRASING else " ", block)
        return HtmlBlock(" ".join(html.unescape(text).split()), (), 0)
    left = " ".join(reader.text_of(reader.open[0]).split()) if reader.open else None
    return HtmlBlock(" ".join("".join(reader.parts).split()), tuple(reader.tables), reader.unread, left,
                     reader.closes_other, reader.heading)
