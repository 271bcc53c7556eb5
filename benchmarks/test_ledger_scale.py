"""A big report stays cheap to read: ``draft``, the ledger loader and the drift check on tables of 1,000 and 4,000
rows, ``draft`` on a number printed with as many thousands groups, and ``draft`` on a long report of 60 and 240
sections, each with its table and sentences, side by side in one run.

pytest-benchmark times the larger pass; the least CPU time of a few rounds of each size, taking turns, goes into
``extra_info`` with their ratio. A pass linear in the rows (or sections) gives about 4; a step that searches the rows
once per claim, or every sentence of the report once per cell, gives about 16, which is what the ratio is held below
(a 10,000-row table once took 35 s to draft and 15 s to load; a report of 300 tables, 623 s to draft).
"""

from __future__ import annotations

import functools
import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from claimbench import draft, drift, ledger

pytestmark = pytest.mark.scale

ROWS = (1000, 4000)
SECTIONS = (60, 240)
ROUNDS = 3
LINEAR_BOUND = 8.0
"""Held below: 4 for a linear pass, 16 for a quadratic one."""


def markdown(rows: int) -> str:
    """A README with one table of ``rows`` models: a parameter count and an accuracy each."""
    lines = [f"| M{i} | {1000 + i:,} | {50 + i % 50}.{i % 10} |" for i in range(rows)]
    return "\n".join(["# Big", "", "## Results", "", "| Model | Params | Acc (%) |", "|---|---|---|", *lines, ""])


def sections(count: int) -> str:
    """A long report of ``count`` sections, each a heading, a sentence on one of its models, a caption and a table of
    five models with four numbers each, then a paragraph of filler: each cell's model is looked for in its
    sentences."""
    return "\n".join(["# Long", *(line for section in range(count) for line in (
        "", f"## Experiment {section}", "", f"We trained Net{section}-0 for {10 + section % 50} epochs; it reached "
        f"{80 + section % 20}.5% accuracy with {12_345 + section:,} parameters.", "",
        "All sizes in decimal megabytes, measured at 32x32 input.", "",
        "| Model | Params | MACs (M) | Test acc. (%) | Size (MB) |", "|---|---|---|---|---|",
        *(f"| Net{section}-{row} | {1_234_567 + 7919 * row:,} | {100 + row}.5 | {90 + row}.25 | {10 + row}.5 |"
          for row in range(5)), "", *(f"Filler sentence {line} of section {section}, nothing to claim." for line in
                                      range(10)))), ""])


HEAD = """format = 2

[report]
title = "Big"
source = "README.md"

[[table]]
id = "results"
title = "Results"
columns = ["Model", "Params", "Acc (%)"]
kind = "params"
count = "trainable"
source = "README.md, Results"
"""


def ledger_text(rows: int) -> str:
    """A complete ledger of that table: one parameter-count claim per row."""
    table = "".join(f'  ["M{i}", "{1000 + i:,}", "{50 + i % 50}.{i % 10}"],\n' for i in range(rows))
    claims = "".join(f'\n[[claim]]\nid = "params/m{i}"\nmodel = "big.model"\nvalue = {1000 + i}\n'
                     f'printed = "{1000 + i:,}"\ncell = ["results", "M{i}", "Params"]\n' for i in range(rows))
    return f"{HEAD}rows = [\n{table}]\n{claims}"


def best(small: Callable[[], object], large: Callable[[], object]) -> tuple[float, float]:
    """The least CPU time of ``ROUNDS`` runs of each step, the two taking turns, with the garbage collector off:
    CPU time, not wall time, and turns, so that another process busy on the machine weighs on neither; and its
    full passes grow with every object alive, the steps' own or not, which is no property of the steps."""
    times: tuple[list[float], list[float]] = ([], [])
    gc.collect()
    gc.disable()
    try:
        for _ in range(ROUNDS):
            for step, spent in zip((small, large), times):
                start = time.process_time()
                step()
                spent.append(time.process_time() - start)
    finally:
        gc.enable()
    return min(times[0]), min(times[1])


def seconds_and_ratio(benchmark, small: Callable[[], object], large: Callable[[], object],
                      sizes: tuple[int, int], of: str) -> float:
    """The larger ``step``'s time over the smaller's (``best``), recorded in the benchmark's ``extra_info`` with each
    size's (``sizes``, counts ``of`` what); the larger timed by pytest-benchmark."""
    seconds = dict(zip(sizes, best(small, large)))
    ratio = seconds[sizes[1]] / seconds[sizes[0]]
    benchmark.extra_info.update({f"seconds_{size}_{of}": round(s, 4) for size, s in seconds.items()},
                                ratio=round(ratio, 2))
    benchmark.pedantic(large, rounds=1, iterations=1)
    return ratio


def steps(folder: Path, rows: int) -> dict[str, Callable[[], object]]:
    """Each step on a report of ``rows`` rows, its files written under ``folder``."""
    (folder / str(rows)).mkdir()
    path = folder / str(rows) / "big.toml"
    path.write_text(ledger_text(rows), encoding="utf-8")
    text = markdown(rows)
    report = ledger.load_reports(path)[0]
    assert len(report.claims) == rows and not drift.stale(report, text, "README.md")
    long_number = f"# Big\n\nA number of {rows:,} groups: 1{',000' * rows}.\n"  # an untrusted README's prose
    return {"draft": lambda: draft.draft(text, slug="big", source="README.md"),
            "load": lambda: ledger.load_reports(path),
            "drift": lambda: drift.stale(report, text, "README.md"),
            "prose": lambda: draft.draft(long_number, slug="big", source="README.md")}


@pytest.mark.parametrize("step", ["draft", "load", "drift", "prose"])
def test_a_step_grows_linearly_with_the_rows(benchmark, tmp_path: Path, step: str) -> None:
    small, large = (steps(tmp_path, rows)[step] for rows in ROWS)
    benchmark.group = f"scale: {step}"  # each step apart: a draft's time is no multiple of the drift check's
    ratio = seconds_and_ratio(benchmark, small, large, ROWS, "rows")
    assert ratio < LINEAR_BOUND, f"{step}: {ROWS[1]:,} rows took {ratio:.1f}x the time of {ROWS[0]:,}"


def test_a_draft_grows_linearly_with_the_sections(benchmark) -> None:
    small, large = (functools.partial(draft.draft, sections(count), slug="long", source="README.md")
                    for count in SECTIONS)
    benchmark.group = "scale: sections"
    ratio = seconds_and_ratio(benchmark, small, large, SECTIONS, "sections")
    assert ratio < LINEAR_BOUND, f"draft: {SECTIONS[1]} sections took {ratio:.1f}x the time of {SECTIONS[0]}"
