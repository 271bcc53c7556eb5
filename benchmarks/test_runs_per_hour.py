"""Training runs per hour on this machine: serially in one process, and on a local two-node Ray cluster.

Opt-in: ``pytest benchmarks/test_runs_per_hour.py -m throughput -p no:xdist`` (needs ``claimbench[ray]``).
The workload is fixed: IoT-ML Model 1 and Model 2 with their ledger recipes cut to ``EPOCHS`` epochs, two
seeds each (four runs), on a synthetic CIFAR-10 of ``TRAIN_IMAGES`` images in its real on-disk format, fp32.
Serially the runs take one torch thread each, as each one-CPU task of the cluster does. The two settings
take turns (cluster, serial, serial, cluster), each round training anew into its own folder, so that both
meet the same load; a cluster round includes starting its workers (importing torch) and probing each model
once, not starting the nodes. Every round's seconds, the runs per hour, the ratio of the medians and the cores'
worth other processes ran beside the serial turns (``other_processes_cores``: a cluster's Ray processes are others)
go into pytest-benchmark's ``extra_info``, and a busy machine into the terminal summary; no ratio is asserted: they
are measured.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import statistics
import time
from pathlib import Path

import pytest
import torch
from small_runs import IOT_ML, REPO, write_cifar10

from claimbench import ledger, registry
from claimbench.ledger import Claim
from claimbench.runs import cluster, cost, local, splits, store
from claimbench.runs.settings import Settings
from claimbench.runs.timing import OtherProcesses

ray = pytest.importorskip("ray")
cluster_utils = pytest.importorskip("ray.cluster_utils")

pytestmark = pytest.mark.throughput

EPOCHS, HELD_OUT, TRAIN_IMAGES, TEST_IMAGES = 8, 500, 4000, 500
CLAIMS = ("iot_ml_hw2/accuracy/model1/val", "iot_ml_hw2/accuracy/model2/val")
RUNS = 4
"""Two claims' models, two seeds each."""
TURNS = ("cluster", "serial", "serial", "cluster")
NODE = {"num_cpus": 1, "object_store_memory": 80 * 2**20}


def _claims(work: Path) -> list[Claim]:
    """The two claims, from a copy of the IoT-ML ledger with ``EPOCHS`` epochs and a ``HELD_OUT`` hold-out."""
    text = re.sub(r"(?m)^(epochs\s*)=\s*\d+", rf"\1= {EPOCHS}", IOT_ML.read_text(encoding="utf-8"))
    (work / IOT_ML.name).write_text(re.sub(r"(?m)^(val_size\s*)=\s*[\d_]+", rf"\1= {HELD_OUT}", text))
    registry.import_modules(["models.iot_ml_hw2"])
    return [c for c in ledger.load(work / IOT_ML.name) if c.id in CLAIMS]


def _on_cluster(claims: list[Claim], settings: Settings) -> float:
    """Seconds to train the runs on a fresh local cluster of two one-CPU nodes, the nodes' start not counted."""
    two_nodes = cluster_utils.Cluster(initialize_head=True, connect=True,
                                      head_node_args={**NODE, "include_dashboard": False})
    try:
        two_nodes.add_node(**NODE)
        two_nodes.wait_for_nodes()
        started = time.perf_counter()
        cluster.train_claims(claims, dataclasses.replace(settings, cluster=two_nodes.address),
                             ["models.iot_ml_hw2"], pythonpath=[str(REPO)])
        return time.perf_counter() - started
    finally:
        ray.shutdown()
        two_nodes.shutdown()


def _serially(claims: list[Claim], settings: Settings) -> float:
    """Seconds to train the runs one after another in this process, on one torch thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        started = time.perf_counter()
        for claim in claims:
            local.measure(claim, settings)
        return time.perf_counter() - started
    finally:
        torch.set_num_threads(threads)


def _stored_epochs(claims: list[Claim], settings: Settings) -> list[int]:
    """Epochs logged by each run the claims needed, read from ``settings.results_dir`` (0 for a run not stored:
    missing, failed or corrupt)."""
    counts = []
    for claim in claims:
        identity = splits.load(claim, claim.recipe, 0, settings).identity
        for seed in range(settings.seeds):
            record = store.read(store.path_for(claim, claim.recipe, seed, settings, identity), settings)
            counts.append(len(record["history"]["epochs"]) if record is not None else 0)
    return counts


def test_runs_per_hour_serially_and_on_a_two_node_cluster(benchmark, record_load, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAY_worker_niceness", "0")  # Ray's workers start at 15: under a load, behind the serial runs
    claims = _claims(tmp_path)
    root = write_cifar10(tmp_path / "data", per_batch=(HELD_OUT + TRAIN_IMAGES) // 5, test=TEST_IMAGES)
    seconds: dict[str, list[float]] = {"serial": [], "cluster": []}
    turns: list[Settings] = []
    others = OtherProcesses()

    def take_turns() -> None:
        for turn, setting in enumerate(TURNS):
            cost.PROBES.clear()  # each turn probes its models, as a fresh session would
            settings = Settings(device="cpu", data_root=root, allow_unverified=True, seeds=2, precision="fp32",
                                results_dir=tmp_path / f"{setting}-{turn}", session=f"{setting}-{turn}")
            with others.during() if setting == "serial" else contextlib.nullcontext():
                seconds[setting].append((_on_cluster if setting == "cluster" else _serially)(claims, settings))
            turns.append(settings)

    benchmark.pedantic(take_turns, rounds=1, iterations=1)
    for settings in turns:  # a rate of runs that were not all trained would be no rate
        assert _stored_epochs(claims, settings) == [EPOCHS] * RUNS, f"{settings.session}: not every run was stored"
    median = {setting: statistics.median(rounds) for setting, rounds in seconds.items()}
    benchmark.extra_info.update({
        **{f"{setting}_seconds": [round(s, 1) for s in rounds] for setting, rounds in seconds.items()},
        **{f"{setting}_runs_per_hour": round(RUNS * 3600 / median[setting]) for setting in median},
        "cluster_vs_serial": round(median["serial"] / median["cluster"], 2),
    })
    record_load(others.cores())
