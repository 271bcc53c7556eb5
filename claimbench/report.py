"""Turn result records and the ledger's reports into files: markdown, JSON, badges, plots, README summary.

Imports neither pytest nor torch and reads no clock: the same records give byte-identical files.
"""

from __future__ import annotations

import json as jsonlib
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tabulate import tabulate

from claimbench import badges as badge_files
from claimbench import plots as plot_files
from claimbench.ledger import Report, Table
from claimbench.verdict import VERDICTS

__all__ = [
    "README_END",
    "README_START",
    "VERDICT_MARKS",
    "check_readme",
    "format_delta",
    "format_value",
    "readme_block",
    "render_json",
    "render_markdown",
    "summary_table",
    "update_readme",
    "write_all",
]

Record = Mapping[str, Any]
Cell = tuple[str, str, str]

VERDICT_MARKS = {"reproduced": "✅", "refuted": "❌", "known error": "🟡", "not run": "⚪", "unverifiable": "❔"}
README_START = "<!-- claims-summary:start -->"
README_END = "<!-- claims-summary:end -->"
NOTHING = "—"

_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?")
_UNIT = re.compile(r"\s?(?:%|[A-Za-z]{1,3})(?![A-Za-z])")


# ----------------------------------------------------------------------------- values


def _style(printed: str) -> tuple[int | None, bool, str]:
    """How the report printed its number: decimals, thousands separators, unit suffix."""
    match = _NUMBER.search(printed)
    if match is None:
        return None, False, ""
    unit = _UNIT.match(printed, match.end())
    return len(match.group(2) or ""), "," in match.group(1), unit.group(0) if unit else ""


def format_value(value: float | Sequence[int] | None, printed: str) -> str:
    """A value (in the claim's unit) written the way the report printed its claim."""
    if value is None:
        return NOTHING
    if isinstance(value, Sequence):
        return str(tuple(value))
    decimals, thousands, unit = _style(printed)
    if decimals is None:
        return f"{value:g}"
    return f"{value:{',' if thousands else ''}.{decimals}f}{unit}"


def format_delta(record: Record) -> str:
    """Measured minus claimed, in the claim's unit and decimals (more digits when those hide it)."""
    delta, shown = record["delta"], record["shown"]
    if delta is None:
        if shown is None:
            return NOTHING
        return "0" if list(shown) == list(record["claimed"]) else "≠"
    if delta == 0:
        return "0"
    decimals, thousands, _ = _style(record["printed"])
    text = f"{delta:+{',' if thousands else ''}.{decimals if decimals is not None else 3}f}"
    return f"{delta:+.3g}" if float(text.replace(",", "")) == 0 else text


def _escape(text: str) -> str:
    """One table cell of GitHub-flavoured markdown: no line breaks, pipes escaped."""
    return " ".join(text.splitlines()).replace("|", "\\|")


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    return tabulate([[_escape(c) for c in row] for row in rows], headers=[_escape(h) for h in headers],
                    tablefmt="github", disable_numparse=True)


def _verdict_text(verdict: str) -> str:
    return f"{VERDICT_MARKS[verdict]} {verdict}"


# ----------------------------------------------------------------------------- summary


def _counts(records: Sequence[Record]) -> list[str]:
    return [str(sum(r["verdict"] == v for r in records)) for v in VERDICTS] + [str(len(records))]


def summary_table(records: Sequence[Record], reports: Sequence[Report]) -> str:
    """Claims per verdict per report, with a total row."""
    rows = [[f"{report.title} (`{report.slug}`)", *_counts([r for r in records if r["report"] == report.slug])]
            for report in sorted(reports, key=lambda r: r.slug)]
    rows.append(["**all**", *_counts(records)])
    return _table(rows, ["Report", *(_verdict_text(v) for v in VERDICTS), "Total"])


def _headline(records: Sequence[Record]) -> str:
    reproduced = sum(r["verdict"] == "reproduced" for r in records)
    return f"**{reproduced} of {len(records)} claims reproduced.**"


# ----------------------------------------------------------------------------- markdown


def _claimed_columns(table: Table, cells: Mapping[Cell, list[Record]]) -> list[str]:
    """The table's columns holding at least one claim of this run, in table order."""
    labels = {row[0] for row in table.rows}
    used = {column for table_id, label, column in cells if table_id == table.id and label in labels}
    return [column for column in table.columns if column in used]


class _Footnotes:
    """Numbered reasons under one table."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def verdict(self, record: Record) -> str:
        if not record["reason"]:
            return _verdict_text(record["verdict"])
        self.lines.append(f"- [{len(self.lines) + 1}] `{record['id']}`: {_escape(record['reason'])}")
        return f"{_verdict_text(record['verdict'])} [{len(self.lines)}]"


def _render_table(table: Table, columns: list[str], by_cell: Mapping[Cell, list[Record]]) -> list[str]:
    added = ("Measured", "Δ", "Verdict")
    headers: list[str] = []
    for column in table.columns:
        headers.append(column)
        if column in columns:
            headers += added if len(columns) == 1 else [f"{name} ({column})" for name in added]
    notes = _Footnotes()
    rows = []
    for row in table.rows:
        out: list[str] = []
        for column, text in zip(table.columns, row, strict=True):
            out.append(text)
            if column in columns:
                found = by_cell.get((table.id, row[0], column), [])
                out += ["<br>".join(format_value(r["shown"], r["printed"]) for r in found),
                        "<br>".join(format_delta(r) for r in found),
                        "<br>".join(notes.verdict(r) for r in found)]
        rows.append(out)
    return [f"### {table.title}", "", _table(rows, headers), "", *([*notes.lines, ""] if notes.lines else [])]


def _render_text_claims(records: Sequence[Record]) -> list[str]:
    rows = [[f"`{r['id']}`", r["printed"], r["source"], format_value(r["shown"], r["printed"]), format_delta(r),
             _verdict_text(r["verdict"]), r["reason"]] for r in records]
    return ["### Claims in the text", "",
            _table(rows, ["Claim", "Printed", "Source", "Measured", "Δ", "Verdict", "Reason"]), ""]


def _render_report(report: Report, records: Sequence[Record]) -> list[str]:
    lines = [f"## {report.title}", "", f"`{report.slug}` · source `{report.source}` · {report.origin}", ""]
    if not records:
        return [*lines, "No claim of this report was selected in this run.", ""]
    cells: dict[Cell, list[Record]] = {}
    for record in records:
        if record["cell"] is not None:
            cells.setdefault(tuple(record["cell"]), []).append(record)
    placed: set[Cell] = set()
    left_out: list[str] = []
    for table in report.tables:
        columns = _claimed_columns(table, cells)
        if not columns:
            left_out.append(table.title)
            continue
        placed |= {(table.id, row[0], column) for row in table.rows for column in columns}
        lines += _render_table(table, columns, cells)
    text_records = [r for r in records if r["cell"] is None or tuple(r["cell"]) not in placed]
    if text_records:
        lines += _render_text_claims(text_records)
    if left_out:
        lines += [f"Tables with no claim selected in this run: {', '.join(left_out)}.", ""]
    return lines


def render_markdown(records: Sequence[Record], reports: Sequence[Report], environment: Mapping[str, str]) -> str:
    """The verdict report: summary, environment, then each source report's tables beside our measurements."""
    records = sorted(records, key=lambda r: r["id"])
    lines = ["# claimbench verdicts", ""]
    if records:
        lines += [_headline(records), "", summary_table(records, reports), ""]
    else:
        lines += ["No claims were selected in this run: nothing was measured.", ""]
    lines += ["## Environment", "", _table(list(environment.items()), ["What", "Value"]), ""]
    if records:
        for report in sorted(reports, key=lambda r: r.slug):
            lines += _render_report(report, [r for r in records if r["report"] == report.slug])
    return "\n".join(lines).rstrip("\n") + "\n"


def render_json(records: Sequence[Record], environment: Mapping[str, str]) -> str:
    """One JSON document: the environment and one record per claim, sorted by id."""
    document = {"environment": dict(environment), "claims": sorted(records, key=lambda r: r["id"])}
    return jsonlib.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------------- README


def check_readme(readme: Path | str) -> None:
    """Raise ``ValueError`` unless the README exists and holds the summary markers, in order, once."""
    readme = Path(readme)
    if not readme.is_file():
        raise ValueError(f"{readme}: no such README")
    text = readme.read_text(encoding="utf-8")
    if text.count(README_START) != 1 or text.count(README_END) != 1 or text.index(README_START) > text.index(
            README_END):
        raise ValueError(f"{readme}: needs one {README_START} line followed by one {README_END} line")


def readme_block(records: Sequence[Record], reports: Sequence[Report], readme: Path | str,
                 badge_dir: Path | str | None) -> str:
    """The summary table and, when badges are written, their SVG images linked relative to the README."""
    lines = []
    if badge_dir is not None:
        base = Path(readme).resolve().parent
        images = [f"![{label}]({Path(os.path.relpath(Path(badge_dir).resolve() / f'{stem}.svg', base)).as_posix()})"
                  for stem, label in badge_files.targets(reports)]
        lines += [" ".join(images), ""]
    if records:
        lines += [_headline(records), "", summary_table(records, reports)]
    else:
        lines.append("No claims were selected in the last run.")
    return "\n".join(lines)


def update_readme(readme: Path | str, records: Sequence[Record], reports: Sequence[Report],
                  badge_dir: Path | str | None) -> Path:
    """Replace the text between the README's summary markers with the current summary."""
    check_readme(readme)
    readme = Path(readme)
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(README_START)
    _, tail = rest.split(README_END)
    block = readme_block(records, reports, readme, badge_dir)
    readme.write_text(f"{head}{README_START}\n{block}\n{README_END}{tail}", encoding="utf-8", newline="\n")
    return readme


# ----------------------------------------------------------------------------- files


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def write_all(
    records: Sequence[Record],
    reports: Sequence[Report],
    environment: Mapping[str, str],
    *,
    markdown: Path | str | None = None,
    json: Path | str | None = None,
    badges: Path | str | None = None,
    plots: Path | str | None = None,
    readme: Path | str | None = None,
) -> list[Path]:
    """Write every file asked for and return their paths."""
    written: list[Path] = []
    if markdown:
        written.append(_write_text(Path(markdown), render_markdown(records, reports, environment)))
    if json:
        written.append(_write_text(Path(json), render_json(records, environment)))
    if badges:
        written += badge_files.write_badges(records, reports, Path(badges))
    if plots:
        written += plot_files.write_plots(records, reports, Path(plots))
    if readme:
        written.append(update_readme(readme, records, reports, badges or None))
    return written
