"""Training runs per hour on this machine: serially in one process against a local two-node Ray cluster.

The workload is fixed: IoT-ML Model 1 and Model 2 with their ledger recipes cut to EPOCHS epochs, two
seeds each (four runs), on a synthetic CIFAR-10 of TRAIN_IMAGES images in its real on-disk format, fp32.
Serially the runs take one torch thread each, as each one-CPU task of the cluster does.

    PYTHONPATH=.:tests python benchmarks/runs_per_hour.py
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import ray
import torch
from ray import cluster_utils
from small_runs import IOT_ML, write_cifar10

from claimbench import ledger, registry
from claimbench.runs import cluster, local
from claimbench.runs.settings import Settings

EPOCHS, HELD_OUT, TRAIN_IMAGES, TEST_IMAGES = 8, 500, 4000, 500
CLAIMS = ("iot_ml_hw2/accuracy/model1/val", "iot_ml_hw2/accuracy/model2/val")
NODE = {"num_cpus": 1, "object_store_memory": 80 * 2**20}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="runs-per-hour-"))
    text = re.sub(r"(?m)^(epochs\s*)=\s*\d+", rf"\1= {EPOCHS}", IOT_ML.read_text(encoding="utf-8"))
    (work / IOT_ML.name).write_text(re.sub(r"(?m)^(val_size\s*)=\s*[\d_]+", rf"\1= {HELD_OUT}", text))
    claims = [c for c in ledger.load(work / IOT_ML.name) if c.id in CLAIMS]
    registry.import_modules(["models.iot_ml_hw2"])
    root = write_cifar10(work / "data", per_batch=(HELD_OUT + TRAIN_IMAGES) // 5, test=TEST_IMAGES)

    def settings(name: str, **changes: object) -> Settings:
        return Settings(device="cpu", data_root=root, allow_unverified=True, results_dir=work / name, seeds=2,
                        precision="fp32", session=name, **changes)

    two_nodes = cluster_utils.Cluster(initialize_head=True, connect=True,
                                      head_node_args={**NODE, "include_dashboard": False})
    two_nodes.add_node(**NODE)
    two_nodes.wait_for_nodes()
    started = time.perf_counter()
    cluster.train_claims(claims, settings("cluster", cluster=two_nodes.address), ["models.iot_ml_hw2"],
                         pythonpath=[str(Path(__file__).resolve().parent.parent)])
    on_cluster = time.perf_counter() - started
    ray.shutdown()
    two_nodes.shutdown()
    torch.set_num_threads(1)
    started = time.perf_counter()
    for claim in claims:
        local.measure(claim, settings("serial"))
    serial = time.perf_counter() - started
    for name, seconds in (("serial, 1 thread", serial), ("two-node local Ray cluster", on_cluster)):
        print(f"{name}: 4 runs in {seconds:.1f} s, {4 * 3600 / seconds:,.0f} runs per hour")


if __name__ == "__main__":
    main()
