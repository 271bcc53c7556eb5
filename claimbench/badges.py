"""Badges of a run: a shields.io endpoint JSON and an offline SVG (genbadge) per report and one overall."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from genbadge import Badge

from claimbench.ledger import Report

__all__ = ["OVERALL", "endpoint", "targets", "write_badges"]

OVERALL = "claims"


def targets(reports: Sequence[Report]) -> list[tuple[str, str]]:
    """(file stem, label) of every badge: the overall one first, then one per report by slug."""
    per_report = [(f"{OVERALL}-{r.slug}", f"{r.slug} reproduced") for r in sorted(reports, key=lambda r: r.slug)]
    return [(OVERALL, "claims reproduced"), *per_report]


def _color(verdicts: Sequence[str]) -> str:
    if not verdicts:
        return "lightgrey"
    if "refuted" in verdicts:
        return "red"
    return "brightgreen" if all(v == "reproduced" for v in verdicts) else "yellowgreen"


def endpoint(label: str, records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The shields.io endpoint document: reproduced out of all claims that ran, coloured by the worst verdict."""
    verdicts = [r["verdict"] for r in records]
    message = f"{verdicts.count('reproduced')}/{len(verdicts)}" if verdicts else "none run"
    return {"schemaVersion": 1, "label": label, "message": message, "color": _color(verdicts)}


def write_badges(records: Sequence[Mapping[str, Any]], reports: Sequence[Report], directory: Path) -> list[Path]:
    """Write ``<stem>.json`` (endpoint) and ``<stem>.svg`` (rendered offline) for every badge."""
    directory.mkdir(parents=True, exist_ok=True)
    groups = {OVERALL: records, **{f"{OVERALL}-{r.slug}": [x for x in records if x["report"] == r.slug]
                                   for r in reports}}
    written: list[Path] = []
    for stem, label in targets(reports):
        document = endpoint(label, groups[stem])
        json_path, svg_path = directory / f"{stem}.json", directory / f"{stem}.svg"
        json_path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8", newline="\n")
        Badge(document["label"], document["message"], document["color"]).write_to(svg_path, use_shields=False)
        written += [json_path, svg_path]
    return written
