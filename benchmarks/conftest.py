"""Benchmarks marked `throughput` run only when selected by marker (`-m throughput`), never in a plain run; the
engine's throughput ratios, one line per model and batch, and every benchmark timed on a busy machine close the
terminal report."""

from __future__ import annotations  # pytest.TerminalReporter only as an annotation: pytest 8.0 does not export it

from collections.abc import Callable

import pytest

from claimbench.runs.timing import BUSY_CORES

RATIOS = "throughput_ratios"
"""The ``user_properties`` name of a throughput benchmark's ratios, in one line (``record_ratios``)."""
BUSY = "busy_machine"
"""The ``user_properties`` name of why a benchmark's machine was busy, in one line (``record_load``)."""


@pytest.fixture(autouse=True)
def throughput_opt_in(request: pytest.FixtureRequest) -> None:
    """Skip a throughput benchmark unless the session's marker expression names it."""
    if request.node.get_closest_marker("throughput") and "throughput" not in request.config.getoption("markexpr"):
        pytest.skip("a throughput benchmark: select it with -m throughput")


@pytest.fixture
def record_ratios(record_property: Callable[[str, object], None]) -> Callable[[str], None]:
    """Record a throughput benchmark's ratios, in one line, for the terminal summary."""
    return lambda line: record_property(RATIOS, line)


@pytest.fixture
def record_load(benchmark, record_property: Callable[[str, object], None]) -> Callable[[float | None], str]:
    """Record the cores' worth other processes ran (``timing.OtherProcesses``; None where unmeasured) in the
    benchmark's ``extra_info``; return why that made the machine busy (over ``BUSY_CORES``, as an epoch time's
    check), recorded for the terminal summary, or ``""``."""

    def record(cores: float | None) -> str:
        benchmark.extra_info["other_processes_cores"] = None if cores is None else round(cores, 2)
        if cores is None or cores <= BUSY_CORES:
            return ""
        busy = (f"the machine was busy: other processes ran {cores:.2f} of its cores (over {BUSY_CORES}), so its "
                f"times and ratios are the machine's")
        record_property(BUSY, busy)
        return busy

    return record


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The ratios side by side (pytest-benchmark's tables show each model and batch in its own group), then every
    benchmark timed on a busy machine."""
    sections = {"engine throughput, ratios of images per second": [
                    line for _, line in _recorded(terminalreporter, RATIOS, ("passed",))],
                "benchmarks timed on a busy machine": [
                    f"{nodeid}: {line}" for nodeid, line in _recorded(terminalreporter, BUSY, ("passed", "xfailed"))]}
    for title, lines in sections.items():
        if lines:
            terminalreporter.write_sep("-", title)
            for line in lines:
                terminalreporter.write_line(line)


def _recorded(terminalreporter: pytest.TerminalReporter, name: str, outcomes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(test id, value) of each ``user_properties`` entry called ``name`` of the tests with these outcomes."""
    return [(report.nodeid, value) for outcome in outcomes for report in terminalreporter.stats.get(outcome, [])
            for key, value in getattr(report, "user_properties", ()) if key == name]
