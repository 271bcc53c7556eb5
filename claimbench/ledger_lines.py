"""Where in a ledger file's text a subject and field are written: the line a problem of a rejected ledger names
(``name.toml:LINE: subject: field: what``, as editors and CI annotators link ``path:LINE:``), and the line of each
claim's ``id`` (where its test item is reported).

Torch-free and pydantic-free: a scan of the TOML text for the path and line of each table header and key; which
entry of an array of tables holds which ``id`` (or ``cell``) is read from the values tomllib parses.
"""

from __future__ import annotations

import bisect
import json
import re
import tomllib
from collections.abc import Callable
from typing import Any

__all__ = ["MISSING", "Lines", "at", "got", "syntax_line"]

Keys = tuple[str | int, ...]
"""A path from the document's root: keys, and each array of tables' entry by its number (``("claim", 3, "id")``)."""

_BLANKS = re.compile(r"(?:\s|#[^\n]*)*")
_BLANKS_IN_LINE = re.compile(r"[ \t]*")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_STRING = re.compile(r'"""(?:[^\\]|\\.)*?"""(?:"{0,2})|\'\'\'.*?\'\'\'(?:\'{0,2})|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'',
                     re.DOTALL)
"""A TOML string, basic or literal, on one line or several (up to two quotes just before the closing ones are its)."""
_FIELD_KEY = re.compile(r'"(?:[^"\\]|\\.)*"|[^.]+')
"""A part of a problem's field: a key, or a key quoted as JSON (``by_column."Train Loss".note``)."""
_NUMBERED = re.compile(r"\((claim|table) #(\d+)\)")
"""A claim or table without a valid id, named by its place: ``(claim #3)``."""
_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_UNWRITTEN = object()
"""No value written at a path."""
MISSING = "missing required field"
"""What a problem's text begins with that says its field is written nowhere in its subject's table."""


def at(name: str, line: int | None) -> str:
    """``name:LINE``, or ``name`` alone where no line is known: what a problem's text begins with."""
    return f"{name}:{line}" if line else name


def got(value: Any) -> str:
    """How a problem's text ends that names the value it got (``, got 'bogus'``): what tells which of two claims with
    one id a problem is of."""
    return f", got {value!r:.80}"


def syntax_line(error: BaseException) -> int | None:
    """The line a TOML syntax error is on: tomllib's ``lineno`` (Python 3.14 on), else its message's "(at line N,
    column M)"; a byte that is not UTF-8, the line it is on; None for any other error, and for one at the end of the
    document."""
    if isinstance(error, UnicodeDecodeError):
        return error.object[:error.start].count(b"\n") + 1
    if not isinstance(error, tomllib.TOMLDecodeError):
        return None
    if isinstance(lineno := getattr(error, "lineno", None), int):
        return lineno
    found = _AT_LINE.search(str(error))
    return int(found[1]) if found else None


class Lines:
    """Where the keys of a ledger file's text are written (1-based lines), by their path from the document's root."""

    def __init__(self, text: str) -> None:
        self.written = _written(text)
        try:
            self.doc: dict[str, Any] = tomllib.loads(text)
        except (ValueError, RecursionError):  # tomllib's errors: no entry is then known by its id
            self.doc = {}

    def claims(self) -> dict[str, int]:
        """Each claim's id (its local part) → the line of its ``id`` key, 0-based as pytest counts lines."""
        lines = dict(self.written)
        return {claim["id"]: lines[("claim", index, "id")] - 1 for index, claim in enumerate(self._entries("claim"))
                if isinstance(claim.get("id"), str) and ("claim", index, "id") in lines}

    def place(self, name: str, subject: str, field: str) -> str:
        """``name:LINE`` of a problem of ``subject`` (``lines``' first), else ``name``."""
        return at(name, next(iter(self.lines(subject, field)), None))

    def lines(self, subject: str, field: str, what: str = "") -> list[int]:
        """The line of ``field`` in ``subject``'s table: of the deepest key on the field's path written there
        (``input`` for ``input.1``, ``tolerance`` for ``tolerance.rel`` in ``tolerance = { abs = 0 }``), or of the
        first key written below it; for a claim whose own table does not write it, of its cell's column's
        ``by_column`` keys, then its table's (the keys it shares); else the line of the subject's ``id`` (a claim's,
        a table's), else of its header. A subject written more than once: its ``id`` problem is each later copy's
        (the duplicates); another's is the line of the value the problem's ``what`` says it got (``got``), else each
        entry's line, for a ``MISSING`` field those of the entries that do not write it first.
        No line for the file's own problems and a subject written nowhere."""
        places, keys = self._places(subject), _field_keys(field)
        if keys == ("id",) and len(places) > 1:
            places = places[1:]
        found = [self._line(place, keys) for place in places]
        if what.startswith(MISSING):
            found.sort(key=lambda entry: entry[1] is not _UNWRITTEN)
        told = [line for line, value in found if value is not _UNWRITTEN and what.endswith(got(value))]
        return list(dict.fromkeys(told or [line for line, _ in found if line is not None]))

    def _line(self, place: Keys, keys: tuple[str, ...]) -> tuple[int | None, Any]:
        """The line of ``keys`` for the entry at ``place`` (``lines``), and the value written there."""
        for table in (place, *self._defaults(place)):
            if (line := self._field_line(table, keys)) is not None:
                return line, self._parsed((*table, *keys))
        return self._own(place), _UNWRITTEN

    def _parsed(self, path: Keys) -> Any:
        """The value tomllib parses at ``path`` (a list's item by its number written as a key), else ``_UNWRITTEN``."""
        node: Any = self.doc
        for key in path:
            try:
                node = node[int(key) if isinstance(node, list) else key]
            except (KeyError, IndexError, TypeError, ValueError):
                return _UNWRITTEN
        return node

    def _entries(self, head: str) -> list[dict[str, Any]]:
        """The tables of the array ``head`` (``claim``, ``table``), as parsed; a non-table entry as an empty one."""
        entries = self.doc.get(head)
        return [entry if isinstance(entry, dict) else {} for entry in entries] if isinstance(entries, list) else []

    def _places(self, subject: str) -> list[Keys]:
        """The paths of the tables a problem's subject names: ``(file)`` the root, a claim or table each entry with
        its id (two where it is written twice)."""
        if subject in ("(file)", "(report)"):
            return [("report",) if subject == "(report)" else ()]
        if subject.startswith("recipe."):
            return [("recipe", subject.removeprefix("recipe."))]
        if numbered := _NUMBERED.fullmatch(subject):
            return [(numbered[1], int(numbered[2]) - 1)]
        head, local = ("table", subject[6:]) if subject.startswith("table ") else ("claim", subject.partition("/")[2])
        return [(head, index) for index, entry in enumerate(self._entries(head)) if entry.get("id") == local]

    def _defaults(self, place: Keys) -> list[Keys]:
        """Where a claim's cell's table writes the keys it shares with its claims: the column's ``by_column`` table,
        then the table's own."""
        claims = self._entries("claim")
        cell = claims[place[1]].get("cell") if place[:1] == ("claim",) and place[1] < len(claims) else None
        if not (isinstance(cell, list) and len(cell) == 3):
            return []
        tables = [index for index, table in enumerate(self._entries("table")) if table.get("id") == cell[0]]
        return [path for index in tables[:1] for path in (("table", index, "by_column", cell[2]), ("table", index))]

    def _field_line(self, place: Keys, keys: tuple[str, ...]) -> int | None:
        """The first line, under ``place``, of the deepest key written on ``keys``'s path or below it."""
        depth = len(place)
        found = [(-min(len(path) - depth, len(keys)), line) for path, line in self.written
                 if path[:depth] == place and len(path) > depth and keys
                 and (path[depth:] == keys[:len(path) - depth] or keys == path[depth:depth + len(keys)])]
        return min(found)[1] if found else None

    def _own(self, place: Keys) -> int | None:
        """A subject's own line: its ``id`` key's in an array of tables, else its header's or first key's, else that
        of the table or array it is written in (``claim = [{ id = "..." }]``); none for the root's."""
        if not place:
            return None
        lines = dict(reversed(self.written))
        if isinstance(place[-1], int) and (*place, "id") in lines:
            return lines[(*place, "id")]
        under = [line for path, line in self.written if path[:len(place)] == place]
        above = [lines[place[:depth]] for depth in range(len(place) - 1, 0, -1) if place[:depth] in lines]
        return min(under, default=None) or next(iter(above), None)


def _field_keys(field: str) -> tuple[str, ...]:
    """A problem's field as keys (``by_column."Train Loss".note``); none for a field in parentheses (``(table)``)."""
    if field.startswith("("):
        return ()
    return tuple(json.loads(key) if key.startswith('"') else key for key in _FIELD_KEY.findall(field))


def _written(text: str) -> list[tuple[Keys, int]]:
    """The path and 1-based line of each table header and key of the text, in the order written; a key's path is its
    table's and its own dotted key, an array of tables' entry numbered as tomllib numbers it."""
    newlines = [found.start() for found in re.finditer("\n", text)]
    written: list[tuple[Keys, int]] = []
    table: Keys = ()
    counts: dict[Keys, int] = {}
    position = _BLANKS.match(text).end()
    while position < len(text):
        line = bisect.bisect_left(newlines, position) + 1
        if text.startswith("[", position):
            array = text.startswith("[[", position)
            keys, end = _dotted_key(text, position + 1 + array)
            table = _resolve(keys[:-1] if array else keys, counts)
            if array and keys:
                table += (keys[-1],)
                counts[table] = counts.get(table, -1) + 1
                table += (counts[table],)
            written.append((table, line))
        else:
            keys, end = _dotted_key(text, position)
            written.append(((*table, *keys), line))
        end = _value_end(text, max(end, position + 1), (*table, *keys), written,
                         lambda at: bisect.bisect_left(newlines, at) + 1)
        position = _BLANKS.match(text, end).end()
    return written


def _resolve(keys: tuple[str, ...], counts: dict[Keys, int]) -> Keys:
    """A header's keys as a path: each array of tables on it at its last entry (``[claim.tolerance]``)."""
    path: Keys = ()
    for key in keys:
        path += (key,)
        if path in counts:
            path += (counts[path],)
    return path


def _dotted_key(text: str, position: int) -> tuple[tuple[str, ...], int]:
    """The dotted key that begins at ``position`` (bare or quoted parts, blanks around the dots), and where it ends."""
    keys: list[str] = []
    while True:
        position = _BLANKS_IN_LINE.match(text, position).end()
        part = _STRING.match(text, position) or _BARE.match(text, position)
        if part is None:
            return tuple(keys), position
        keys.append(_unquoted(part[0]))
        position = _BLANKS_IN_LINE.match(text, part.end()).end()
        if not text.startswith(".", position):
            return tuple(keys), position
        position += 1


def _unquoted(key: str) -> str:
    """A key as tomllib reads it: a quoted one unescaped."""
    if not key.startswith(("'", '"')):
        return key
    try:
        return next(iter(tomllib.loads(f"{key} = 0")))
    except tomllib.TOMLDecodeError:
        return key


def _value_end(text: str, position: int, path: Keys, written: list[tuple[Keys, int]], line: Callable[[int], int]
               ) -> int:
    """Where the statement that goes on at ``position`` ends: at the end of its line, or of the line its last bracket
    closes on (an array of rows over several lines), strings and comments skipped. The keys of its inline tables,
    not those in an array, are ``written`` under ``path`` (``tolerance = { abs = 0 }``: ``tolerance.abs``)."""
    tables: list[Keys | None] = []  # each bracket open: an inline table's path, None for an array or what is in one
    key = path
    while position < len(text) and not (text[position] == "\n" and not tables):
        char = text[position]
        if char in "\"'" and (string := _STRING.match(text, position)):
            position = string.end()
            continue
        if char == "#":
            newline = text.find("\n", position)
            position = len(text) if newline < 0 else newline
            continue
        position += 1
        if char in "[{":
            tables.append(key if char == "{" and (not tables or tables[-1] is not None) else None)
        elif char in "]}" and tables:
            tables.pop()
        if char in "{," and tables and tables[-1] is not None:
            keys, position = _dotted_key(text, position)
            if keys:
                key = (*tables[-1], *keys)
                written.append((key, line(position)))
    return position
