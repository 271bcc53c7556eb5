"""Badges of a run: a shields.io endpoint JSON and an offline SVG (genbadge) per report and one overall."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from genbadge import Badge

from claimbench import atomic
from claimbench.ledger import Report
from claimbench.results import counts, in_all

__all__ = ["OVERALL", "endpoint", "targets", "write_badges"]

OVERALL = "claims"


def targets(reports: Sequence[Report]) -> list[tuple[str, str]]:
    """(file stem, label) of every badge: the overall one first, then one per report by slug."""
    per_report = [(f"{OVERALL}-{r.slug}", f"claims: {r.slug}") for r in sorted(reports, key=lambda r: r.slug)]
    return [(OVERALL, "claims"), *per_report]


def _color(tally: Mapping[str, int]) -> str:
    """Red only for a claim refuted on verified data: an error is ours and never turns the author's badge red, and
    nor does a number refuted on data whose checksums differ (yellow: it says nothing of the author's number). Bright
    green only when every claim was checked and reproduced on verified data: none left unverifiable or not run."""
    if tally["refuted"] > tally["unverified refuted"]:
        return "red"
    if tally["error"]:
        return "orange"
    if tally["refuted"]:
        return "yellow"
    if not tally["checked"]:
        return "lightgrey"
    whole = tally["clean"] == tally["checked"] and not tally["not run"] and not tally["unverifiable"]
    return "brightgreen" if whole else "yellowgreen"


def endpoint(label: str, records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The shields.io endpoint document: clean reproductions of the claims we measured, then what is counted
    apart: unverified data, errors, the claims not run here and those nobody can check (a badge never hides
    them)."""
    return {"schemaVersion": 1, "label": label, "message": in_all(records), "color": _color(counts(records))}


def _svg(label: str, message: str, color: str) -> str:
    """genbadge's offline SVG, its texts escaped for XML: it measures the texts' widths as given and inserts them
    as they are, so that a report's slug with ``&``, ``<`` or ``"`` made the file no XML."""
    svg = Badge(label, message, color).as_svg(use_shields=False)
    title = f"{label}: {message}"
    svg = svg.replace(f'aria-label="{title}"', f"aria-label={quoteattr(title)}", 1)
    svg = svg.replace(f"<title>{title}</title>", f"<title>{escape(title)}</title>", 1)
    for text in (label, message):
        svg = svg.replace(f">{text}</text>", f">{escape(text)}</text>")
    return svg


def write_badges(records: Sequence[Mapping[str, Any]], reports: Sequence[Report], directory: Path) -> list[Path]:
    """Write ``<stem>.json`` (endpoint) and ``<stem>.svg`` (rendered offline) for every badge."""
    directory.mkdir(parents=True, exist_ok=True)
    groups = {OVERALL: records, **{f"{OVERALL}-{r.slug}": [x for x in records if x["report"] == r.slug]
                                   for r in reports}}
    written: list[Path] = []
    for stem, label in targets(reports):
        document = endpoint(label, groups[stem])
        json_path, svg_path = directory / f"{stem}.json", directory / f"{stem}.svg"
        atomic.write_text(json_path, json.dumps(document, indent=2, sort_keys=True) + "\n")
        atomic.write_text(svg_path, _svg(document["label"], document["message"], document["color"]))
        written += [json_path, svg_path]
    return written
