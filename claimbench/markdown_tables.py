"""A markdown report read as text (markdown-it-py: CommonMark plus GFM tables, and YAML front matter as
mdit-py-plugins reads it): its title, its tables verbatim (an HTML block's plain tables among them, ``html_blocks``),
each titled by its heading and given an id, and the prose, code blocks and HTML blocks (as text, their other tables
counted) around them. Nothing in it is imported or executed. Torch-free."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token
import yaml
from mdit_py_plugins.front_matter import front_matter_plugin

from claimbench import html_blocks, numerals
from claimbench.readme_markers import summary_span

__all__ = ["ABOVE", "BELOW", "Scan", "Table", "scan", "slug", "tables", "unique"]

_DOCUMENT = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
"""``numerals.MARKDOWN`` for a whole report, which may open with YAML front matter (Jekyll, Hugo, Quarto, MkDocs):
not a heading, nor text."""


@dataclass(frozen=True)
class Table:
    """A table of the report, verbatim, under the id and title it gets in the ledger."""

    id: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    captions: tuple[tuple[str, str], ...] = ()
    """(where, plain text) of the text above the table that may give its numbers a unit ("All counts in millions."),
    nearest first: the paragraph right before it, the other paragraphs back to its nearest heading, that heading;
    never a text above another table (``ABOVE``)."""
    below: tuple[tuple[str, str], ...] = ()
    """(``BELOW``, plain text) of the paragraph that directly follows the table, where one does ("Measured at 224×224
    input."): a caption of its input size; none where a heading, another table or any other block comes first."""


ABOVE = ("the paragraph before the table", "a paragraph above the table", "the heading above the table")
"""Where a caption of a table stands: right before it, further up, its nearest heading."""
BELOW = "the paragraph below the table"
"""Where a caption under a table stands: right after it."""


class _Found(NamedTuple):
    """A table as found: the nearest heading, that heading's parent, the rows (header first), the text above it
    (``Table.captions``) and the paragraph right below it (``Table.below``)."""

    heading: str | None
    parent: str | None
    rows: list[list[str]]
    captions: tuple[tuple[str, str], ...]
    below: tuple[tuple[str, str], ...] = ()


@dataclass
class Scan:
    """What one pass over the report found: the title, the headings' plain text, the tables, (section, text) of the
    prose, of the code blocks and of the HTML blocks (tags stripped), and the number of tables of numbers the HTML
    blocks hold that are not read as tables (not plain: a cell spanning others, rows of unequal length)."""

    title: str | None = None
    headings: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    prose: list[tuple[str | None, str]] = field(default_factory=list)
    code: list[tuple[str | None, str]] = field(default_factory=list)
    html: list[tuple[str | None, str]] = field(default_factory=list)
    html_tables: int = 0


def scan(markdown_text: str) -> Scan:
    """The report's title, tables and prose; claimbench's own summary in a README is left out."""
    return _scan(_without_summary(_normalize(markdown_text)))


def tables(markdown_text: str) -> list[Table]:
    """The report's tables, verbatim, as a draft copies them into its ledger."""
    return scan(markdown_text).tables


def _normalize(text: str) -> str:
    """Line ends and NULs as markdown-it normalises them, so token line numbers index our lines; a byte order mark
    inside the text (``cat a.md b.md`` of two files saved with one) is nothing, or it would hide a heading."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd").replace("\ufeff", "")


def _without_summary(text: str) -> str:
    """The text with claimbench's own summary (between the README markers) blanked, line for line: its tables
    are claimbench's, not the author's claims."""
    lines = text.split("\n")
    try:
        start, end = summary_span(lines)
    except ValueError:
        return text
    return "\n".join([*lines[:start + 1], *[""] * (end - start - 1), *lines[end:]])


def _scan(text: str) -> Scan:
    """One pass over the tokens: the title (the first heading's plain text, markdown or HTML; else the front
    matter's), the tables under their headings, the prose, the code and HTML blocks."""
    (tokens, front_title), lines, scan = _tokens(text), text.split("\n"), Scan()
    found: list[_Found] = []
    headings: list[tuple[int, str]] = []
    above: list[tuple[str, str]] = []  # the text since the nearest heading or table, a caption of the next table
    index, split = 0, _SplitTable()
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            above = [(ABOVE[2], numerals.plain(tokens[index + 1].children or []))]
            _push_heading(headings, int(token.tag[1:]), " ".join(above[0][1].split()))
            scan.title = scan.title or (headings[-1][1] if headings else None)
            scan.headings.append(above[0][1])
            index += 3
        elif token.type == "table_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            heading, parent = _heading_and_parent(headings)
            rows = _rows(tokens[index:end], lines)
            kept = _table_end(rows)
            adjacent = tokens[index - 1].type == "paragraph_close" if index else False
            captions = tuple((ABOVE[0] if adjacent and not i else where, text)
                             for i, (where, text) in enumerate(reversed(above)) if text.strip())
            trailing = " ".join(numerals.plain_text(line) for line, _ in rows[kept:])
            below = trailing or _paragraph_at(tokens, end + 1)
            found.append(_Found(heading, parent, [_verbatim(line, cells) for line, cells in rows[:kept]], captions,
                                ((BELOW, below),) if below.strip() else ()))
            if trailing:
                scan.prose.append((heading, trailing))
            above = []
            index = end + 1
        else:
            if token.type == "inline":
                scan.prose.append((_heading_and_parent(headings)[0], numerals.plain(token.children or [])))
                scan.html_tables += split.text(scan.prose[-1][1])
                if index and tokens[index - 1].type == "paragraph_open":
                    above.append((ABOVE[1], scan.prose[-1][1]))
            elif token.type in ("fence", "code_block"):
                scan.code.append((_heading_and_parent(headings)[0], token.content))
            elif token.type == "html_block":
                block = html_blocks.read(token.content)
                scan.title = scan.title or block.heading
                scan.html.append((_heading_and_parent(headings)[0], block.text))
                scan.html_tables += block.unread + split.html(block)
                for rows in block.tables:
                    found.append(_Found(*_heading_and_parent(headings), [list(row) for row in rows],
                                        tuple((where, text) for where, text in reversed(above) if text.strip())))
                    above = []
            index += 1
    scan.tables = _tables(found)
    scan.title = scan.title or front_title
    return scan


def _tokens(text: str) -> tuple[list[Token], str | None]:
    """The report's tokens, and its front matter's ``title`` (None without one). Front matter is a YAML mapping
    between two ``---`` lines at the top; two such lines around anything else (a heading, a table) are rules, as
    GitHub shows them, and what they hold is the report's."""
    tokens = _DOCUMENT.parse(text)
    if not tokens or tokens[0].type != "front_matter":
        return tokens, None
    try:
        front = yaml.safe_load(tokens[0].content)
    except yaml.YAMLError:
        front = None
    if not isinstance(front, dict):
        return numerals.MARKDOWN.parse(text), None
    title = front.get("title")
    return tokens, (" ".join(title.split()) or None) if isinstance(title, str) else None


class _SplitTable:
    """An HTML table a blank line split over several blocks (markdown in its cells, GitHub's way), which no block
    reads: counted once among the tables not read, where its text prints a number."""

    def __init__(self) -> None:
        self.open = False

    def text(self, text: str) -> int:
        """1 where the open table's text ``text`` prints the first number it does, else 0."""
        if self.open and any(char.isdigit() for char in text):
            self.open = False
            return 1
        return 0

    def html(self, block: html_blocks.HtmlBlock) -> int:
        """How many split tables ``block`` tells of: one it continues, one it leaves open, printing a number."""
        counted = self.text(block.text)
        self.open = self.open and not block.closes_other
        if block.open_table is not None:
            self.open = True
            counted += self.text(block.open_table)
        return counted


def _paragraph_at(tokens: list[Token], index: int) -> str:
    """The plain text of the paragraph that opens at ``tokens[index]``; "" where none does (the end, a heading, a
    table, a list, a code block)."""
    if index + 1 < len(tokens) and tokens[index].type == "paragraph_open":
        return numerals.plain(tokens[index + 1].children or [])
    return ""


def _push_heading(headings: list[tuple[int, str]], level: int, text: str) -> None:
    """Keep the stack of open headings; an empty heading (a bare "##") changes nothing."""
    if not text:
        return
    while headings and headings[-1][0] >= level:
        headings.pop()
    headings.append((level, text))


def _heading_and_parent(headings: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """The nearest heading and its parent."""
    texts = [text for _, text in headings]
    return (texts[-1] if texts else None), (texts[-2] if len(texts) > 1 else None)


def _rows(tokens: list[Token], lines: list[str]) -> list[tuple[str, list[str]]]:
    """The header row then the body rows of one table: each row's source line and parsed cells."""
    rows: list[tuple[str, list[str]]] = []
    for token in tokens:
        if token.type == "tr_open" and token.map:
            rows.append((lines[token.map[0]], []))
        elif token.type == "inline":
            rows[-1][1].append(token.content)
    return rows


def _table_end(rows: list[tuple[str, list[str]]]) -> int:
    """How many rows are the table: GFM makes a line without a pipe right after a table its row, but
    such a line is the author's next paragraph (as Obsidian and most editors show it), and so is all
    that follows it."""
    return next((i for i, (line, _) in enumerate(rows) if i and "|" not in line), len(rows))


def _verbatim(line: str, parsed: list[str]) -> list[str]:
    """The cells of a source line, split by markdown-it's own splitter, trimmed of spaces only.

    markdown-it trims every whitespace, so a stray tab inside a cell's padding would be lost; a raw
    cell is kept where it agrees with the parser's cell up to that trimming, else the parser's wins.
    """
    raw = escapedSplit(line.strip())
    if raw and raw[0] == "":
        raw.pop(0)
    if raw and raw[-1] == "":
        raw.pop()
    raw = [cell.strip(" ") for cell in raw] + [""] * len(parsed)
    return [own if own.strip() == cell else cell for own, cell in zip(raw, parsed)]


def _tables(found: list[_Found]) -> list[Table]:
    """Title each table by its nearest heading ("Parent: heading" where two share one) and id it."""
    shared = Counter(table.heading for table in found)
    taken: set[str] = set()
    tables = []
    for number, (heading, parent, rows, captions, below) in enumerate(found, start=1):
        title = heading or f"Table {number}"
        if heading and parent and shared[heading] > 1:
            title = f"{parent}: {heading}"
        table_id = unique(slug(title) or f"table_{number}", taken)
        tables.append(Table(id=table_id, title=title, columns=rows[0], rows=rows[1:], captions=captions, below=below))
    return tables


def slug(text: str) -> str:
    """Lower-case ASCII words joined by "_": "Model 1: Params and MACs" -> "model_1_params_and_macs".

    Inline markup goes (a ``<br>`` ends a word), accents are folded ("Café" -> "cafe"), and a word without any
    ASCII letter or digit (an emoji, mojibake such as "üìä") is dropped. May be empty.
    """
    words = numerals.plain_text(text).split()
    kept = [word for word in words if re.search(r"[A-Za-z0-9]", word)]
    folded = unicodedata.normalize("NFKD", " ".join(kept)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``, ... if taken; the result is taken from then on."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate)
    return candidate
