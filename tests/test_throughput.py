"""The opt-in throughput benchmarks (``benchmarks/test_engine_throughput.py``) as collected, and the matmul's record
of the machine's load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimbench.runs import timing

pytest_plugins = ["pytester"]

ENGINE = Path(__file__).resolve().parent.parent / "benchmarks" / "test_engine_throughput.py"


def test_each_model_and_batch_of_the_engine_benchmark_is_its_own_group(pytester: pytest.Pytester) -> None:
    """pytest-benchmark's relative columns compare the benchmarks of one group: two models' epochs are no ratio."""
    items = [item for item in pytester.inline_genitems(str(ENGINE))[0] if "conventional_loop" in item.name]
    groups = {item.get_closest_marker("benchmark").kwargs["group"] for item in items
              if item.get_closest_marker("benchmark")}
    assert len(items) == 4 and len(groups) == len(items), [item.name for item in items]


@pytest.mark.slow
def test_a_matmul_timed_beside_other_processes_records_their_load_and_says_the_machine_was_busy(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ratio of matmuls timed beside a busy loop is the machine's: the record keeps the load, the summary says so."""
    if timing._cpu_seconds() is None:
        pytest.skip("no /proc/stat here")
    monkeypatch.setattr(timing, "_cores", lambda spans: 0.9)  # the cores' worth a busy loop runs beside the matmuls
    saved = pytester.path / "matmul.json"
    result = pytester.runpytest_inprocess(str(ENGINE), "-m", "throughput", "-k", "matmul and fp32", "-p", "no:xdist",
                                          "-p", "no:randomly", f"--benchmark-json={saved}")
    result.assert_outcomes(passed=1)
    (record,) = json.loads(saved.read_text())["benchmarks"]
    assert record["extra_info"]["other_processes_cores"] == 0.9, record["extra_info"]
    busy = "*test_matmul_flops?fp32?: the machine was busy: other processes ran 0.90 of its cores*"
    result.stdout.fnmatch_lines(["*benchmarks timed on a busy machine*", busy])
