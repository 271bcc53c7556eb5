"""The opt-in throughput benchmarks (``benchmarks/test_engine_throughput.py``) as collected, never run."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ENGINE = Path(__file__).resolve().parent.parent / "benchmarks" / "test_engine_throughput.py"


def test_each_model_and_batch_of_the_engine_benchmark_is_its_own_group(pytester: pytest.Pytester) -> None:
    """pytest-benchmark's relative columns compare the benchmarks of one group: two models' epochs are no ratio."""
    items = [item for item in pytester.inline_genitems(str(ENGINE))[0] if "conventional_loop" in item.name]
    groups = {item.get_closest_marker("benchmark").kwargs["group"] for item in items
              if item.get_closest_marker("benchmark")}
    assert len(items) == 4 and len(groups) == len(items), [item.name for item in items]
