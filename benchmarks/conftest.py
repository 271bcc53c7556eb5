"""Benchmarks marked `throughput` run only when selected by marker (`-m throughput`), never in a plain run."""

import pytest


@pytest.fixture(autouse=True)
def throughput_opt_in(request: pytest.FixtureRequest) -> None:
    """Skip a throughput benchmark unless the session's marker expression names it."""
    if request.node.get_closest_marker("throughput") and "throughput" not in request.config.getoption("markexpr"):
        pytest.skip("a throughput benchmark: select it with -m throughput")
