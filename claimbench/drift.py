"""Whether a ledger still copies its report: a claim whose cell the report's file no longer prints as the ledger
has it would be checked against a number nobody publishes any more. Torch-free; the report is read as text."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from claimbench import draft_text, markdown_tables
from claimbench.column_names import column_index
from claimbench.ledger import Claim, Report
from claimbench.numerals import NUMBER

__all__ = ["first_file", "names_markdown", "read_from", "same_file", "source_file", "source_paths", "stale"]


def names_markdown(report: Report) -> bool:
    """Whether the report's ``source`` names a markdown file (not a URL, not another kind of file)."""
    return bool(report.source) and "://" not in report.source and report.source.lower().endswith((".md", ".markdown"))


def source_file(report: Report, folders: Sequence[Path]) -> Path | None:
    """The markdown file the report's ``source`` names, in the first of ``folders`` that holds it; None for a
    report known by URL, or whose file is not here. A ``source`` that leads out of the folder (``../``, an absolute
    path, a symlink) is never read: a ledger does not get to quote a file of the reviewer's."""
    return first_file(report.source, folders) if names_markdown(report) else None


def first_file(source: str, folders: Sequence[Path]) -> Path | None:
    """The file the path ``source`` names in the first of ``folders`` that holds one, not leading out of it."""
    return next((path for path in _paths(source, folders) if path.is_file()), None)


def source_paths(report: Report, folders: Sequence[Path]) -> list[Path]:
    """Every path at which ``source_file`` looks for the report's markdown file, there now or not: none for a
    report known by URL, nor one leading out of its folder."""
    return _paths(report.source, folders) if names_markdown(report) else []


def _paths(source: str, folders: Sequence[Path]) -> list[Path]:
    """The path ``source`` names in each of ``folders`` where it does not lead out of it."""
    return [folder / source for folder in folders if (folder / source).resolve().is_relative_to(folder.resolve())]


def read_from(path: Path, reports: Sequence[Report], folders: Sequence[Path]) -> Report | None:
    """The report whose ``source`` is read from ``path`` (a file about to be written), looked for in ``folders``;
    None when none is."""
    return next((report for report in reports
                 if any(same_file(path, source) for source in source_paths(report, folders))), None)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same inode where both exist (a case-insensitive file system, a hard
    link), else the same path once resolved."""
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def stale(report: Report, markdown_text: str, name: str) -> dict[str, str]:
    """Claim id → why the report ``name`` (its text ``markdown_text``) no longer prints the claim's cell as the
    ledger copies it (its table, by columns, row or text changed), or a claim of its text (prose, a cell, a code
    block or an HTML block, whose tables draft does not read) its ``printed`` words; with what it prints in their
    place where that is clear (the cell's text; the one number of the claim's kind and shape its section prints)."""
    found = markdown_tables.scan(markdown_text)
    printed: dict[tuple[tuple[str, ...], str, int], list[str]] = {}
    for table in found.tables:
        for row in table.rows:
            for index, text in enumerate(row[:len(table.columns)]):
                printed.setdefault((tuple(table.columns), row[0] if row else "", index), []).append(text)
    # The text as draft reads it (markup gone, a sentence wrapped anywhere), the cells' and code blocks' words with
    # it: draft drafts claims from all three (a code block's model summary among them); and the HTML blocks' text,
    # whose tables' claims the author writes by hand.
    words = " ".join(" ".join([*(text for _, text in found.prose), *(" ".join(row) for t in found.tables
                                                                       for row in t.rows),
                               *(text for _, text in found.code), *(text for _, text in found.html)]).split())
    tables = {table.id: table for table in report.tables}
    labelled: dict[tuple[str, str], tuple[str, ...]] = {}
    for table in report.tables:
        for row in table.rows:
            labelled.setdefault((table.id, row[0]), row)
    reasons = {}
    for claim in report.claims:
        if claim.cell is None:
            alone = rf"(?<![\w.,]){re.escape(' '.join(claim.printed.split()))}(?!\w|[.,]\d)"  # "88" not in "88.7"
            if not re.search(alone, words):
                others = {" ".join(other.printed.split()) for other in report.claims
                          if other.cell is None and other is not claim}
                reasons[claim.id] = (f"the ledger is out of date: {name} no longer prints {claim.printed!r} "
                                     f"anywhere{_now_printed(claim, found.prose, others)}; update the ledger")
            continue
        table_id, label, column = claim.cell
        table = tables[table_id]
        index = column_index(table.columns, table.rows, column)
        copied = labelled[table_id, label][index]
        now = printed.get((table.columns, label, index))
        where = f"table {table.title!r}, row {label!r}, column {column!r}"
        if now is None:
            reasons[claim.id] = (f"the ledger is out of date: {name} no longer prints {where} (its columns "
                                 f"{', '.join(table.columns)}); update the ledger")
        elif copied not in now:
            reasons[claim.id] = (f"the ledger is out of date: {name} now prints {now[0]!r} in {where}, where the "
                                 f"ledger copies {copied!r}; update the ledger")
    return reasons


_SECTION = re.compile(r"(?:^|, )(?:section '(?P<name>.*)'|introduction)$")
"""Where ``claimbench draft`` writes that a claim of the text stands, after its report's file: "README.md, section
'Models'", "README.md, introduction" (the text above the first heading)."""


def _now_printed(claim: Claim, prose: list[tuple[str | None, str]], others: set[str]) -> str:
    """Where the section of a claim of the text (its ``source`` as draft writes it) now prints another number in its
    place, the words that say so: the one number there of the claim's kind and shape (its words, digits aside:
    "about # s/epoch") that no other claim of the text prints (``others``); "" where the source names no section,
    or the section prints no such number or several, which would leave the author to guess."""
    where = _SECTION.search(claim.source or "")
    if where is None:
        return ""
    section, shape = where["name"], _shape(claim.printed)
    found = {mention.printed for heading, text in prose if heading == section
             for sentence in draft_text.sentences(text) for mention in draft_text.mentions(sentence)
             if _shape(mention.printed) == shape and mention.printed not in others
             and draft_text.is_candidate(mention, sentence) and draft_text.kind_of(sentence, mention) == claim.kind}
    place = f"section {section!r}" if section is not None else "the introduction"
    return f" (its sentence in {place} now prints {found.pop()!r})" if len(found) == 1 else ""


def _shape(printed: str) -> str:
    """Printed words with their numbers masked: "about 2.1 s/epoch" and "about 2.4 s/epoch" have one shape."""
    return re.sub(NUMBER, "#", " ".join(printed.split()))
