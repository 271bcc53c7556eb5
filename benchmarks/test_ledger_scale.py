"""A big report stays cheap to read: ``draft``, the ledger loader and the drift check on tables of 1,000 and 4,000
rows, and ``draft`` on a number printed with as many thousands groups, side by side in one run.

pytest-benchmark times the 4,000-row pass; the least CPU time of a few rounds of each size, taking turns, goes into
``extra_info`` with their ratio. A pass linear in the rows gives about 4; a step that searches the rows once per
claim gives about 16, which is what the ratio is held below (a 10,000-row table once took 35 s to draft and 15 s
to load).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from claimbench import draft, drift, ledger

pytestmark = pytest.mark.scale

ROWS = (1000, 4000)
ROUNDS = 3
LINEAR_BOUND = 8.0
"""Held below: 4 for a linear pass, 16 for a quadratic one."""


def markdown(rows: int) -> str:
    """A README with one table of ``rows`` models: a parameter count and an accuracy each."""
    lines = [f"| M{i} | {1000 + i:,} | {50 + i % 50}.{i % 10} |" for i in range(rows)]
    return "\n".join(["# Big", "", "## Results", "", "| Model | Params | Acc (%) |", "|---|---|---|", *lines, ""])


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
    seconds = dict(zip(ROWS, best(small, large)))
    ratio = seconds[ROWS[1]] / seconds[ROWS[0]]
    benchmark.extra_info.update({f"seconds_{rows}_rows": round(s, 4) for rows, s in seconds.items()},
                                ratio=round(ratio, 2))
    benchmark.pedantic(large, rounds=1, iterations=1)
    assert ratio < LINEAR_BOUND, f"{step}: {ROWS[1]:,} rows took {ratio:.1f}x the time of {ROWS[0]:,}"
