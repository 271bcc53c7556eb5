"""Plots of a run (matplotlib, no display): accuracy against parameters, claimed against measured."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from claimbench import atomic
from claimbench.ledger import Claim, Report
from claimbench.verdict import CHECKED

__all__ = ["AccuracyPoint", "accuracy_points", "pareto_front", "scatter_points", "trusted", "write_plots"]

Record = Mapping[str, Any]
AccuracyPoint = tuple[str, float, float, float | None, bool]
"""model, measured params, measured accuracy, claimed accuracy (None: a bound such as "over 60%"), and whether both
measurements are trusted (``trusted``)."""

UNTRUSTED = "untrusted"
"""The scatter's group of the measurements ``trusted`` refuses, whatever their verdict."""
VERDICT_STYLES = {"reproduced": ("o", "C2"), "refuted": ("X", "C3"), "known error": ("^", "C1"),
                  UNTRUSTED: ("x", "grey")}  # marker, colour
SCATTER_LABELS = {UNTRUSTED: "untrusted (error verdict, or unverified data)"}
MEASURED_LABEL = "measured (reproduced, refuted or known error, on verified data)"
UNTRUSTED_LABEL = "untrusted (error verdict, or unverified data): off the front"
PNG_METADATA: dict[str, Any] = {"Software": None}
DPI = 100


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def trusted(record: Record) -> bool:
    """Whether a record's measurement is one to plot as measured: judged reproduced, refuted or known error, on
    verified data. An error's number (one seed's run, counters that disagree) and one on data whose checksums differ
    from the published ones are not."""
    return record["verdict"] in CHECKED and not record.get("unverified_data")


def accuracy_points(records: Sequence[Record], claims: Mapping[str, Claim]) -> dict[str, list[AccuracyPoint]]:
    """Test-split accuracy against the same model's measured trainable parameters, per dataset."""
    params = {}
    for record in records:
        claim = claims[record["id"]]
        if record["kind"] == "params" and claim.count == "trainable" and _number(record["measured"]):
            params.setdefault(record["model"], (record["measured"], trusted(record)))
    points: dict[str, list[AccuracyPoint]] = {}
    for record in records:
        claim = claims[record["id"]]
        if (record["kind"] == "accuracy" and claim.split == "test" and _number(record["measured"])
                and record["model"] in params):
            claimed = None if record["claimed"] is None else record["claimed"] * claim.scale
            size, size_trusted = params[record["model"]]
            point = (record["model"], size, record["measured"], claimed, size_trusted and trusted(record))
            points.setdefault(claim.dataset, []).append(point)
    return dict(sorted(points.items()))


def pareto_front(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The (parameters, accuracy) points no other point beats with fewer parameters and higher accuracy."""
    front: list[tuple[float, float]] = []
    for size, accuracy in sorted(points, key=lambda p: (p[0], -p[1])):
        if not front or accuracy > front[-1][1]:
            front.append((size, accuracy))
    return front


def scatter_points(records: Sequence[Record]) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """(claimed, measured) in the measurement's unit, per kind and verdict (``untrusted`` for those ``trusted``
    refuses); positive numbers only (log axes)."""
    points: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for record in records:
        measured, claimed = record["measured"], record["claimed"]
        if _number(measured) and _number(claimed) and measured > 0 and claimed > 0:
            by_verdict = points.setdefault(record["kind"], {})
            group = record["verdict"] if trusted(record) else UNTRUSTED
            by_verdict.setdefault(group, []).append((claimed * record["scale"], measured))
    return dict(sorted(points.items()))


def _grid(panels: int) -> tuple[Figure, list[Any]]:
    columns = min(panels, 3)
    rows = math.ceil(panels / columns)
    figure = Figure(figsize=(5 * columns, 4 * rows), dpi=DPI, layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).flatten().tolist()
    for unused in axes[panels:]:
        unused.set_visible(False)
    return figure, axes[:panels]


def _empty(message: str) -> Figure:
    figure = Figure(figsize=(5, 3), dpi=DPI)
    figure.text(0.5, 0.5, message, ha="center", va="center")
    return figure


def _accuracy_figure(points: Mapping[str, list[AccuracyPoint]]) -> Figure:
    if not points:
        return _empty("no accuracy measured yet")
    figure, axes = _grid(len(points))
    for ax, (dataset, dataset_points) in zip(axes, points.items(), strict=True):
        claimed = [(p[1], p[3]) for p in dataset_points if p[3] is not None]
        ax.scatter([size for size, _ in claimed], [accuracy for _, accuracy in claimed], marker="o",
                   facecolors="none", edgecolors="grey", label="claimed")
        for label, marker, colour, chosen in ((MEASURED_LABEL, "o", "C0", True), (UNTRUSTED_LABEL, "x", "grey", False)):
            shown = [p for p in dataset_points if p[4] is chosen]
            if shown:
                ax.scatter([p[1] for p in shown], [p[2] for p in shown], marker=marker, color=colour, label=label)
        for model, size, accuracy, _, _ in dataset_points:
            ax.annotate(model.rsplit(".", 1)[-1], (size, accuracy), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
        front = pareto_front([(p[1], p[2]) for p in dataset_points if p[4]])
        ax.step([p[0] for p in front], [p[1] for p in front], where="post", color="C3", label="Pareto front")
        ax.set(xscale="log", title=dataset, xlabel="trainable parameters (measured)", ylabel="test accuracy")
        ax.legend(fontsize=7)
    return figure


def _scatter_figure(points: Mapping[str, Mapping[str, list[tuple[float, float]]]]) -> Figure:
    if not points:
        return _empty("no numeric claim measured yet")
    figure, axes = _grid(len(points))
    for ax, (kind, by_verdict) in zip(axes, points.items(), strict=True):
        values = [v for pairs in by_verdict.values() for pair in pairs for v in pair]
        low, high = min(values) / 1.5, max(values) * 1.5
        ax.plot([low, high], [low, high], color="grey", linewidth=0.8)
        for group, (marker, colour) in VERDICT_STYLES.items():
            if group in by_verdict:
                pairs = by_verdict[group]
                ax.scatter([p[0] for p in pairs], [p[1] for p in pairs], marker=marker, color=colour,
                           label=SCATTER_LABELS.get(group, group))
        ax.set(xscale="log", yscale="log", title=kind, xlabel="claimed", ylabel="measured")
        ax.legend(fontsize=7)
    return figure


def _save(figure: Figure, path: Path) -> Path:
    return atomic.replace_atomically(path, lambda temporary: figure.savefig(temporary, format="png",
                                                                             metadata=PNG_METADATA))


def write_plots(records: Sequence[Record], reports: Sequence[Report], directory: Path) -> list[Path]:
    """Write ``accuracy_vs_params.png`` and ``claimed_vs_measured.png``."""
    directory.mkdir(parents=True, exist_ok=True)
    records = sorted(records, key=lambda r: r["id"])
    claims = {claim.id: claim for report in reports for claim in report.claims}
    return [
        _save(_accuracy_figure(accuracy_points(records, claims)), directory / "accuracy_vs_params.png"),
        _save(_scatter_figure(scatter_points(records)), directory / "claimed_vs_measured.png"),
    ]
