"""Benchmarks marked `throughput` run only when selected by marker (`-m throughput`), never in a plain run; the
engine's throughput ratios, one line per model and batch, close the terminal report."""

from __future__ import annotations  # pytest.TerminalReporter only as an annotation: pytest 8.0 does not export it

from collections.abc import Callable

import pytest

RATIOS = "throughput_ratios"
"""The ``user_properties`` name of a throughput benchmark's ratios, in one line (``record_ratios``)."""


@pytest.fixture(autouse=True)
def throughput_opt_in(request: pytest.FixtureRequest) -> None:
    """Skip a throughput benchmark unless the session's marker expression names it."""
    if request.node.get_closest_marker("throughput") and "throughput" not in request.config.getoption("markexpr"):
        pytest.skip("a throughput benchmark: select it with -m throughput")


@pytest.fixture
def record_ratios(record_property: Callable[[str, object], None]) -> Callable[[str], None]:
    """Record a throughput benchmark's ratios, in one line, for the terminal summary."""
    return lambda line: record_property(RATIOS, line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The ratios side by side: pytest-benchmark's tables show each model and batch in its own group."""
    lines = [value for report in terminalreporter.stats.get("passed", []) for name, value in
             getattr(report, "user_properties", ()) if name == RATIOS]
    if lines:
        terminalreporter.write_sep("-", "engine throughput, ratios of images per second")
        for line in lines:
            terminalreporter.write_line(line)
