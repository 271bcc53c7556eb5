"""Turn result records and the ledger's reports into files: markdown, JSON, badges, plots, README summary.

Imports neither pytest nor torch and reads no clock: the same records give byte-identical files.
"""

from __future__ import annotations

import contextlib
import json as jsonlib
import math
import os
import re
import textwrap
import urllib.parse
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from tabulate import tabulate

from claimbench import atomic, carry_over
from claimbench import badges as badge_files
from claimbench import plots as plot_files
from claimbench.column_names import column_index
from claimbench.ledger import Report, Table
from claimbench.printed_style import band_side
from claimbench.readme_markers import README_END, README_START, VERDICTS_TITLE, summary_span
from claimbench.results import JSON_FORMAT, NOT_SELECTED, complete, counts, headline, landed
from claimbench.value_text import NOTHING, band_text, bound_text, format_delta, format_value
from claimbench.verdict import CHECKED, VERDICTS, confidence, format_interval, format_spread

__all__ = [
    "DEVICE_WORDS",
    "LEGEND",
    "README_END",
    "README_START",
    "UNVERIFIED_MARK",
    "VERDICT_MARKS",
    "check_readme",
    "compare_table",
    "final_records",
    "merge_and_write",
    "readme_block",
    "render_json",
    "render_markdown",
    "summary_table",
    "update_readme",
    "write_all",
    "write_records",
]

Record = Mapping[str, Any]
Cell = tuple[str, str, str]

VERDICT_MARKS = {"reproduced": "✅", "refuted": "❌", "known error": "🟡", "error": "💥", "not run": "⚪",
                 "unverifiable": "❔"}
UNVERIFIED_MARK = "⚠️"
UNVERIFIED_REASON = ("measured on unverified data: the dataset's checksums did not match "
                     "(--claims-allow-unverified-data)")
"""The reason of the ⚠️ mark in a record that does not say what differs of its data (of an older claimbench)."""
LEGEND = ("✅ reproduced · ❌ refuted: the author's number disagrees · 🟡 known error, as the ledger documents · "
          "💥 error: ours, no verdict on the author · ⚪ not run here · ❔ unverifiable by anyone.\n"
          "⚠️ on unverified data (checksums that differ): counted under its verdict too; the headline counts its ✅ "
          "apart. A cell: printed → measured, mark, Δ if ❌ or 🟡, band (± around the claim, ∈ [low, high], ≤ or ≥ a "
          "bound; none: exact), [n]: a reason below.")
"""Under the summary table, two lines: what its marks and its unverified column, and a cell's signs, mean."""
DEVICE_WORDS = {"meta": "meta (the model built without weights: shapes and dtypes only)"}
"""What a reader may not know of a device a measurement ran on."""
WIDTH = 120
"""Reasons are wrapped to this many characters."""

_MARKDOWN_INLINE = re.compile(r"[\\`*\[\]<&|~]|(?<![^\W_])_|_(?![^\W_])")
"""What markdown could read as emphasis, code, a link, HTML, an entity, a table cell or a strike-through (an
``_`` between two letters or digits, as in ``val_loss``, is none)."""
_MARKDOWN_BLOCK = re.compile(r"^(\d{0,9})((?:#{1,6}|[+.)-])(?=\s|$)|[=-](?=[=-]*\s*$)|>)")
"""What, at the start of a line, could begin a heading or a list item (marks followed by a space), a rule or a
heading's underline (a line of ``=`` or ``-`` alone) or a quote, and the marks to escape (an escaped mark reads as
itself, wherever it is)."""
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[0-9A-Za-z]+;)")
"""A ``<`` that markdown could read as the start of raw HTML or an autolink, an ``&`` as an entity's."""
_IMAGE = r"!\[(?:[^\]\\]|\\.)*\]\([^)\s]*\)"
_IMAGES = re.compile(rf"{_IMAGE}(?:\s+{_IMAGE})*")
"""A line of images only: the badges of a README's summary block."""


def _escape(text: str) -> str:
    """One table cell of GitHub-flavoured markdown: no line breaks, pipes escaped."""
    return " ".join(text.splitlines()).replace("|", "\\|")


def _literal(text: str, keep: str = "") -> str:
    """``text`` on one line, reading as written: its markdown and HTML escaped (``_MARKDOWN_INLINE``), but for the
    marks in ``keep``."""
    return _MARKDOWN_INLINE.sub(lambda mark: mark[0] if mark[0] in keep else f"\\{mark[0]}", " ".join(text.split()))


def _words(text: str) -> str:
    """A ledger's words (a title, an origin) as ``_literal`` writes them, but for ``|``, which only a table cell
    escapes (``_escape``)."""
    return _literal(text, keep="|")


def _no_html(text: str) -> str:
    """An author's markdown as written, but no HTML: a ``<`` that could open a tag, comment or autolink, and an
    ``&`` that could begin an entity, escaped (``<60%`` and ``R&D`` stay as they are)."""
    return _HTML_START.sub(r"\\\g<0>", text)


def _code(text: str) -> str:
    """A code span of ``text`` on one line: its fence longer than any run of backticks in it, and a space inside
    the fence where it starts or ends with one (CommonMark)."""
    text = " ".join(text.split())
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    return tabulate([[_escape(c) for c in row] for row in rows], headers=[_escape(h) for h in headers],
                    tablefmt="github", disable_numparse=True)


def _plain_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    """A GitHub-flavoured table without alignment padding: an author's wide table stays readable as text."""
    lines = [headers, ["---"] * len(headers), *rows]
    return "\n".join("| " + " | ".join(_escape(cell) for cell in line) + " |" for line in lines)


def _verdict_text(verdict: str) -> str:
    return f"{VERDICT_MARKS[verdict]} {verdict}"


# ----------------------------------------------------------------------------- summary


def _summary_row(label: str, records: Sequence[Record]) -> list[str]:
    tally = counts(records)
    return [label, *(str(tally[v]) for v in VERDICTS), str(tally["unverified"]), str(len(records))]


def summary_table(records: Sequence[Record], reports: Sequence[Report]) -> str:
    """Claims per verdict per report, the claims measured on unverified data (counted under their verdicts too, so
    the column says "included"), and a total row."""
    rows = [_summary_row(f"{_words(report.title)} ({_code(report.slug)})", [r for r in records if r["report"] == report.slug])
            for report in sorted(reports, key=lambda r: r.slug)]
    rows.append(_summary_row("**all**", records))
    unverified = f"{UNVERIFIED_MARK} unverified data (included)"
    headers = ["Report", *(_verdict_text(v) for v in VERDICTS), unverified, "Total"]
    return _table(rows, headers)


def _headline(records: Sequence[Record]) -> str:
    """The verdicts' headline, what was not measured, and the kinds of claim the checked ones are, so that a reader
    does not take structural claims reproduced for trained ones: "Checked: 116 layer, 39 params; none of: accuracy"."""
    tally = counts(records)
    apart = [f"{tally[v]} {v}" for v in ("not run", "unverifiable") if tally[v]]
    text = f"**{headline(records)}.**" + (f" Not measured: {', '.join(apart)}." if apart else "")
    checked = Counter(str(r.get("kind")) for r in records if r["verdict"] in CHECKED and r.get("kind"))
    unchecked = sorted({str(r["kind"]) for r in records if r.get("kind")} - set(checked))
    if checked:
        text += f" Checked: {', '.join(f'{count} {kind}' for kind, count in checked.most_common())}"
        text += f"; none of: {', '.join(unchecked)}." if unchecked else "."
    return text


# ----------------------------------------------------------------------------- markdown


class _Reasons:
    """The distinct reasons of the whole report, each written once and referred to by number."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def refer(self, text: str) -> str:
        if text not in self.texts:
            self.texts.append(text)
        return f"[{self.texts.index(text) + 1}]"

    def lines(self) -> list[str]:
        """A numbered list, each reason wrapped to ``WIDTH`` with its continuation lines indented."""
        return [_list_item(n, text) for n, text in enumerate(self.texts, 1)]


def _list_item(number: int, text: str) -> str:
    """An item of a numbered list that renders as ``text`` reads: its markdown escaped, and no wrapped line
    starting a list, heading, quote or rule."""
    marker = f"{number}. "
    escaped = _literal(text)  # no indent: that would be code
    wrapped = textwrap.wrap(escaped, WIDTH - len(marker), break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join((" " * len(marker) if index else marker) + _MARKDOWN_BLOCK.sub(r"\1\\\2", line, count=1)
                     for index, line in enumerate(wrapped))


def _cell_text(record: Record, reasons: _Reasons) -> str:
    """One claimed number: ``printed → measured mark``, then Δ when refuted, how many seeds landed where a
    reproduction rests on them (``_seeds_landed``), the band, and its references: the reason of its verdict, how it
    was counted, and the ledger's note on it."""
    verdict, shown = record["verdict"], record["shown"]
    printed, scale, band = record["printed"], record["scale"], record["band"]
    value = (bound_text(shown, printed, scale, record["interval"], band) if record["interval"] is not None
             else format_value(shown, printed, scale, band))
    measured = [] if shown is None else ["→", value]
    parts = [record["printed"], *measured, VERDICT_MARKS[verdict]]
    if verdict in ("refuted", "known error") and record["delta"] is not None:
        parts.append(format_delta(record))
    parts += [_seeds_landed(record), band_text(record)]
    if record.get("unverified_data"):
        parts.append(UNVERIFIED_MARK + reasons.refer(_unverified_text(record)))
    if record["reason"]:
        parts.append(reasons.refer(record["reason"]))
    parts += [reasons.refer(words) for words in record.get("conventions", ())]
    if record.get("seeds") and record["kind"] != "epoch_time":  # an epoch time's are its timed epochs
        parts.append(reasons.refer(_runs_text(record)))
    if shape := record.get("measured_as", {}).get("input"):
        parts.append(reasons.refer(f"measured on a {'×'.join(map(str, shape))} input (C×H×W), batch 1"))
    if dates := record.get("measured_as", {}).get("stored"):
        parts.append(reasons.refer(_stored_text(dates, len(record.get("seeds") or ()) or len(dates))))
    if record.get("carried"):
        parts.append(reasons.refer(f"kept from the run of {record['date']}: not measured in this run (not selected, "
                                   "or not reached by a run cut short)"))
    if record.get("note"):
        parts.append(reasons.refer(f"note: {record['note']}"))
    return " ".join(part for part in parts if part)


def _seeds_landed(record: Record) -> str:
    """``1 of 3 seeds`` before the band where a reproduction rests on the seeds that land in it, their mean outside it
    (a single run's number: a run of the recipe printed it); else ``""``."""
    shown, band, seeds = record["shown"], record["band"], record.get("seeds") or ()
    if (record["verdict"] != "reproduced" or len(seeds) < 2 or not isinstance(shown, (int, float)) or not band
            or band_side(shown, (band[0], band[1])) == "within"):
        return ""
    count = landed(record)
    return f"{count} of {len(seeds)} seeds" if count else ""


def _unverified_text(record: Record) -> str:
    """Why a record is marked ⚠️: what differs of its data from the published files (its ``data_finding``: each
    checksum that failed and, where it holds another number of images, how many of how many); ``UNVERIFIED_REASON``
    in a record that does not say."""
    finding = record.get("data_finding")
    return f"measured on unverified data (--claims-allow-unverified-data): {finding}" if finding else UNVERIFIED_REASON


def _runs_text(record: Record) -> str:
    """How many training runs (``seeds``, one value each; seeds 0 to n - 1) a number rests on and, for several, the
    interval its verdict went by: where a run of the recipe (a mean of the author's ``runs``) lands, given them
    (``reach``), whether or not the author's number lies in it, and what it holds (``verdict.confidence``: 95%, of a
    scatter of one ``step`` where the seeds tie), or, in a record without one, the 95% interval of
    their mean (``spread``), in the claim's unit and one decimal more than the claim prints (``format_interval``, whose
    ends read on their side of the band and of the claimed value; ``format_spread``)."""
    runs = len(record["seeds"])
    if runs == 1:
        return "one training run (seed 0)"
    reach = record.get("reach")
    printed, scale = record["printed"], record["scale"]
    if isinstance(reach, list) and len(reach) == 2:
        author = record.get("runs") or 1
        lands = ("a single run of the recipe lands" if author == 1
                 else f"a mean of {author} runs of the recipe, as the author's, lands")
        claimed = record.get("claimed")
        marks = [*(record.get("band") or ()), claimed if isinstance(claimed, (int, float)) else None]
        seeds, step = record["seeds"], record.get("step") or 0.0
        held = confidence(seeds, step, printed, scale) if None not in seeds else "95%"
        return (f"mean of {runs} training runs (seeds 0-{runs - 1}); given them, {lands} in "
                f"{format_interval(reach, printed, scale, marks)} ({held})")
    spread = (record.get("spread") or 0) / scale
    return f"mean of {runs} training runs (seeds 0-{runs - 1}), 95% interval ±{format_spread(spread, printed, scale)}"


def _stored_text(dates: Sequence[str], runs: int) -> str:
    """Where a training number's runs came from when an earlier session trained them."""
    which = "its run" if runs == 1 else f"{len(dates)} of its {runs} runs"
    return (f"{which} read from the run store, trained on {', '.join(sorted(set(dates)))} by an earlier session "
            "(--claims-retrain trains again)")


def _render_table(table: Table, by_cell: Mapping[Cell, list[Record]], reasons: _Reasons) -> list[str]:
    """The author's table as printed, each claimed cell replaced by its claims' verdicts (a cell named by its column's
    header, or its header joined with a second header row's cell: ``column_names``); cells holding a claim inside a
    longer text (``partial``) keep their text and add the claim after it."""
    placed: dict[tuple[str, int], list[Record]] = {}
    for (table_id, label, column), records in by_cell.items():
        if table_id == table.id and (index := column_index(table.columns, table.rows, column)) is not None:
            placed.setdefault((label, index), []).extend(records)
    rows = []
    for row in table.rows:
        out = []
        for index, text in enumerate(row):
            found = placed.get((row[0], index), [])
            cells = [_cell_text(r, reasons) for r in found]
            if found and any(r["printed"] != text for r in found):
                cells.insert(0, text)
            out.append("<br>".join(map(_no_html, cells)) if cells else _no_html(text))
        rows.append(out)
    return [_heading(3, table.title), "", _plain_table(rows, [_no_html(c) for c in table.columns]), ""]


def _heading(level: int, title: str) -> str:
    """A markdown heading of a ledger's title, on one line (a line break in the title would end the heading), its
    markdown and HTML escaped (``_words``)."""
    return f"{'#' * level} {_words(title)}"


def _render_text_claims(report: Report, records: Sequence[Record], reasons: _Reasons) -> list[str]:
    """The report's claims outside its tables, under a heading named by its slug: one anchor per report."""
    rows = [[f"`{r['id']}`", _no_html(_cell_text(r, reasons))] for r in records]
    return [f"### Claims in the text of {_code(report.slug)}", "", _table(rows, ["Claim", "Printed → measured"]), ""]


def _render_report(report: Report, records: Sequence[Record], reasons: _Reasons) -> list[str]:
    where = " · ".join(part for part in (f"source {_code(report.source)}" if report.source else "",
                                         _words(report.origin or "")) if part)
    lines = [_heading(2, report.title), "", _code(report.slug) + (f" · {where}" if where else ""), ""]
    if not records:
        return [*lines, "No claim of this report has a record yet.", ""]
    cells: dict[Cell, list[Record]] = {}
    for record in records:
        if record["cell"] is not None:
            cells.setdefault(tuple(record["cell"]), []).append(record)
    placed: set[Cell] = set()
    for table in report.tables:
        table_cells = {cell for cell in cells if cell[0] == table.id}
        if table_cells:
            placed |= table_cells
            lines += _render_table(table, cells, reasons)
    text_records = [r for r in records if r["cell"] is None or tuple(r["cell"]) not in placed]
    if text_records:
        lines += _render_text_claims(report, text_records, reasons)
    return lines


def _devices(records: Sequence[Record]) -> str:
    """Every device a measurement of this report ran on (or set of them, `` + `` between, that one claim's seeds
    ran on), with its count of claims, ``; `` between them."""
    tally: dict[str, int] = {}
    for record in records:
        if record["device"]:
            tally[record["device"]] = tally.get(record["device"], 0) + 1
    return "; ".join(f"{DEVICE_WORDS.get(device, device)}: {n} claim{'s' * (n != 1)}"
                     for device, n in sorted(tally.items())) or NOTHING


def render_markdown(records: Sequence[Record], reports: Sequence[Report], environment: Mapping[str, str]) -> str:
    """The verdict report: summary, environment, then each source report's tables with our verdicts in them."""
    records = sorted(records, key=lambda r: r["id"])
    lines = [VERDICTS_TITLE, ""]
    if records:
        lines += [_headline(records), "", summary_table(records, reports), "", LEGEND, ""]
    else:
        lines += ["No claims were selected in this run: nothing was measured.", ""]
    rows = [*((field, _words(value)) for field, value in sorted(environment.items())),  # a folder's or branch's name
            ("devices", _devices(records))]  # as the JSON keeps them: re-renders agree
    lines += ["## Environment", "", _table(rows, ["What", "Value"]), ""]
    reasons = _Reasons()
    for report in sorted(reports, key=lambda r: r.slug) if records else ():
        lines += _render_report(report, [r for r in records if r["report"] == report.slug], reasons)
    if reasons.texts:
        lines += ["## Reasons and notes", "",
                  "Each reason, and each note of the ledger, is written once; the numbers in the tables refer to it.",
                  "",
                  *reasons.lines(), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_json(records: Sequence[Record], environment: Mapping[str, str]) -> str:
    """One JSON document: its ``format``, the environment and one record per claim, sorted by id; standard JSON,
    a number that is not finite (the error of a training that diverged) written as null, its record's reason
    kept."""
    document = {"format": JSON_FORMAT, "environment": dict(environment),
                "claims": sorted(map(_finite, records), key=lambda r: r["id"])}
    return jsonlib.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    """``value`` with every float that is not finite (NaN, ±infinity), however deep, replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def compare_table(old: Sequence[Record], new: Sequence[Record],
                  changed: Sequence[tuple[str, str, str, str, str, str]], retimed: int = 0,
                  missing: Sequence[tuple[str, str, str]] = ()) -> str:
    """Two runs side by side: the verdict counts, then every claim whose verdict, measurement or definition
    changed (``edited between``: the claim, or its model's code, differ between the runs), how many epoch times
    were timed anew and changed nothing else (``retimed``), and the claims of the old run that have no record in the
    new one (``missing``), under their own heading."""
    before, after = counts(old), counts(new)
    rows = [[_verdict_text(v), str(before[v]), str(after[v]), f"{after[v] - before[v]:+d}"] for v in VERDICTS]
    lines = [f"old: {headline(old)}", f"new: {headline(new)}", "",
             _table(rows, ["Verdict", "old", "new", "change"]), ""]
    times = f"{retimed} epoch time{'s' * (retimed != 1)}"
    none = "No claim of the new run" if missing else "No claim"
    if not changed:
        lines.append(f"{none} changed its verdict or definition, and none its measurement but {times} timed anew "
                     "(a timing differs from run to run)." if retimed else
                     f"{none} changed its verdict, measurement or definition.")
    else:
        lines.append(_table([[f"`{cid}`", a, b, x, y, edited or "—"] for cid, a, b, x, y, edited in changed],
                            ["Claim", "old verdict", "new verdict", "old measured", "new measured", "edited between"]))
        lines += [f"Not listed: {times} timed anew with the same verdict and definition (a timing differs from run "
                  "to run)."] if retimed else []
    if missing:
        lines += ["", f"Missing from NEW: {len(missing)} claim{'s' * (len(missing) != 1)} of the old run without a "
                  "record in the new one (a run writes one for every claim of its ledger, not run ones too: its "
                  "ledger no longer held them)", "",
                  _table([[f"`{cid}`", verdict, shown] for cid, verdict, shown in missing],
                         ["Claim", "old verdict", "old measured"])]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- README


def check_readme(readme: Path | str) -> None:
    """Raise ``ValueError`` unless the README exists and holds the summary marker lines, in order, once."""
    readme = Path(readme)
    if not readme.is_file():
        raise ValueError(f"{readme}: no such README")
    try:
        summary_span(readme.read_text(encoding="utf-8").splitlines())
    except ValueError as error:
        raise ValueError(f"{readme}: {error}") from None


def _image(alt: str, target: Path) -> str:
    """A markdown image of a relative path, whatever its file name: the alt text's markdown escaped (a ``]`` would
    end it) and the path percent-encoded as UTF-8 (a space, ``(`` or ``)`` would end the link; ``%`` and non-ASCII
    letters are encoded too, so that the target decodes to the file's name)."""
    return f"![{_literal(alt)}]({urllib.parse.quote(target.as_posix(), safe='/')})"


def readme_block(records: Sequence[Record], reports: Sequence[Report], readme: Path | str,
                 badge_dir: Path | str | None, kept_images: str = "") -> str:
    """The summary table and, when badges are written, their SVG images linked relative to the README; when they
    are not, the line of images ``kept_images`` (the block's own, as it was)."""
    lines = []
    if badge_dir is not None:
        base = Path(readme).resolve().parent
        images = [_image(label, Path(os.path.relpath(Path(badge_dir).resolve() / f"{stem}.svg", base)))
                  for stem, label in badge_files.targets(reports)]
        lines += [" ".join(images), ""]
    elif kept_images:
        lines += [kept_images, ""]
    if records:
        lines += [_headline(records), "", summary_table(records, reports)]
    else:
        lines.append("No claims were selected in the last run.")
    return "\n".join(lines)


def update_readme(readme: Path | str, records: Sequence[Record], reports: Sequence[Report],
                  badge_dir: Path | str | None) -> Path:
    """Replace the text between the README's summary markers with the current summary, in the line ends of the
    start marker's line (``\\r\\n`` or ``\\n``), a blank line after the start marker and before the end marker: they
    end the HTML blocks of the markers' comments and of a ``<details>`` around them (CommonMark), so the summary
    renders as markdown there too."""
    check_readme(readme)
    readme = Path(readme)
    lines = readme.read_bytes().decode("utf-8").splitlines(keepends=True)
    start, end = summary_span(lines)
    images = next((line.strip() for line in lines[start + 1:end] if _IMAGES.fullmatch(line.strip())), "")
    newline = "\r\n" if lines[start].endswith("\r\n") else "\n"
    block = readme_block(records, reports, readme, badge_dir, images).replace("\n", newline)
    return atomic.write_text(readme, "".join([*lines[:start + 1], newline, block, newline, newline, *lines[end:]]))


# ----------------------------------------------------------------------------- files


def final_records(records: Sequence[Record], reports: Sequence[Report], environment: Mapping[str, str], *,
                  json: Path | str | None = None, unmeasured: str = NOT_SELECTED, stale: Collection[str] = (),
                  keep_earlier: bool = True) -> list[Record]:
    """The records the files show: this run's; with ``json``, those ``carry_over`` keeps from the JSON there (the
    ``stale`` claims' hidden; none without ``keep_earlier``); and a ``not run`` one, for the reason ``unmeasured``,
    for every claim of the ledger still without one."""
    if json:
        records = carry_over.carry_over(records, json, reports, environment, stale, keep_earlier=keep_earlier)
    return complete(records, [claim for report in reports for claim in report.claims], unmeasured)


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
    unmeasured: str = NOT_SELECTED,
) -> list[Path]:
    """Write every file asked for, showing ``final_records`` (no summary or badge leaves a claim out), and return
    their paths."""
    outputs = {"markdown": markdown, "json": json, "badges": badges, "plots": plots, "readme": readme}
    return merge_and_write(records, reports, environment, outputs, unmeasured=unmeasured)[1]


def merge_and_write(records: Sequence[Record], reports: Sequence[Report], environment: Mapping[str, str],
                    outputs: Mapping[str, Path | str | None], *, unmeasured: str = NOT_SELECTED,
                    stale: Collection[str] = (), keep_earlier: bool = True,
                    waiting: Callable[[str], None] | None = None) -> tuple[list[Record], list[Path]]:
    """``final_records`` merged with the JSON of ``outputs`` and ``write_records``, as one critical section under
    that JSON's lock (``atomic.locked``): of two runs writing one results folder at once, the second waits, saying
    so to ``waiting``, then keeps the first one's records of the claims it did not run itself. Return the records
    shown and the paths."""
    json = outputs.get("json")
    with atomic.locked(json, waiting) if json else contextlib.nullcontext():
        shown = final_records(records, reports, environment, json=json, unmeasured=unmeasured, stale=stale,
                              keep_earlier=keep_earlier)
        return shown, write_records(shown, reports, environment, outputs)


def write_records(records: Sequence[Record], reports: Sequence[Report], environment: Mapping[str, str],
                  outputs: Mapping[str, Path | str | None]) -> list[Path]:
    """Write the files ``outputs`` asks for (``write_all``'s keys), showing ``records`` as they are, all or none
    (``atomic.together``): the JSON, which the next run carries records from, is renamed into place last. Return
    their paths."""
    written: list[Path] = []
    markdown, json, badges, plots, readme = (outputs.get(key) for key in ("markdown", "json", "badges", "plots",
                                                                           "readme"))
    with atomic.together():
        if markdown:
            written.append(atomic.write_text(markdown, render_markdown(records, reports, environment)))
        if badges:
            written += badge_files.write_badges(records, reports, Path(badges))
        if plots:
            written += plot_files.write_plots(records, reports, Path(plots))
        if readme:
            written.append(update_readme(readme, records, reports, badges or None))
        if json:
            written.append(atomic.write_text(json, render_json(records, environment)))
    return written
