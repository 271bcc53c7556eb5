"""Training claims end to end (claimbench.runs): a synthetic CIFAR-10 in its real on-disk format, the
IoT-ML ledger's own recipes, the run store, the budget and the skips."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from claimbench import data, ledger, runs, train

pytestmark = pytest.mark.filterwarnings("ignore:cifar10 .*running on unverified data")

REPO = Path(__file__).resolve().parent.parent
IOT_ML = REPO / "reference" / "iot_ml_hw2.toml"
MODEL1_CLAIMS = ("iot_ml_hw2/accuracy/model1/train", "iot_ml_hw2/accuracy/model1/val",
                 "iot_ml_hw2/accuracy/model1/val/text", "iot_ml_hw2/epoch_time/model1")


def write_cifar10(root: Path, per_batch: int, test: int) -> Path:
    """CIFAR-10's python layout (five training batches and a test batch, pickled dicts of uint8 rows)
    filled with random images whose red plane encodes the label."""
    directory = root / "cifar-10-batches-py"
    directory.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name, n in [*((f"data_batch_{i}", per_batch) for i in range(1, 6)), ("test_batch", test)]:
        labels = rng.integers(0, 10, n)
        rows = rng.integers(0, 256, (n, 3 * 32 * 32), dtype=np.uint8)
        rows[:, :1024] = (labels[:, None] * 25).astype(np.uint8)
        (directory / name).write_bytes(pickle.dumps({b"data": rows, b"labels": labels.tolist()}))
    return root


TRAIN_IMAGES, TEST_IMAGES = 50, 50
"""Images left for training after the recipes' hold-out, and test images: tiny, for speed."""


@pytest.fixture(scope="module")
def cifar_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic CIFAR-10 with the IoT-ML recipes' hold-out plus ``TRAIN_IMAGES`` training images."""
    held_out = claim(MODEL1_CLAIMS[0]).recipe.val_size
    return write_cifar10(tmp_path_factory.mktemp("data"), per_batch=(held_out + TRAIN_IMAGES) // 5, test=TEST_IMAGES)


def claim(claim_id: str) -> ledger.Claim:
    return next(c for c in ledger.load(IOT_ML) if c.id == claim_id)


@pytest.mark.train_cpu
def test_iot_ml_claims_run_end_to_end(cifar_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pytest benchmarks -m "train or timing" --train-device cpu --data-root DIR` trains Model 1 once with
    its recipe (every epoch, the 5k hold-out), judges its three accuracy claims and shows its epoch time."""
    results, report = tmp_path / "runs", tmp_path / "claims.json"
    command = [sys.executable, "-m", "pytest", "benchmarks", "-m", "train or timing", "-k", "model1", "-q",
               "--claims-dir", str(IOT_ML), "--train-device", "cpu", "--data-root", str(cifar_root),
               "--allow-unverified-data", "--results-dir", str(results), "--claims-json", str(report),
               "-p", "no:xdist"]
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
                              env={**os.environ, "OMP_NUM_THREADS": str(torch.get_num_threads())})
    records = {r["id"]: r for r in json.loads(report.read_text())["claims"]} if report.exists() else {}
    assert set(records) == set(MODEL1_CLAIMS), finished.stdout[-3000:] + finished.stderr[-3000:]
    for claim_id in MODEL1_CLAIMS[:3]:
        assert records[claim_id]["verdict"] in ("reproduced", "refuted"), records[claim_id]
        assert records[claim_id]["measured"] is not None and records[claim_id]["device"].startswith("CPU")
        assert "unverified data" in records[claim_id]["reason"] or records[claim_id]["verdict"] == "refuted"
    timing = records["iot_ml_hw2/epoch_time/model1"]
    assert timing["verdict"] == "not run" and "the claim was timed on unknown GPU" in timing["reason"]

    stored = sorted(results.glob("*.json"))
    assert len(stored) == 1, "the three accuracy claims share one training run"
    record = json.loads(stored[0].read_text())
    recipe = json.loads(json.dumps(dataclasses.asdict(claim(MODEL1_CLAIMS[0]).recipe)))
    assert record["recipe"] == recipe and record["seed"] == 0
    assert {"claimbench commit", "torch", "torchvision", "python", "device"} <= set(record["environment"])
    assert record["accel"] == {"channels_last": True, "compile": False, "autocast": None}
    sizes = {"train": TRAIN_IMAGES, "val": recipe["val_size"], "test": TEST_IMAGES}
    assert len(record["history"]["epochs"]) == recipe["epochs"] and record["data_sizes"] == sizes
    assert not list(results.glob("*.ckpt")), "a finished run leaves no checkpoint"

    # A rerun reuses the stored run; --retrain (a new session) trains again.
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained again"))
    settings = runs.Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=results,
                             session="a later session")
    outcome = runs.measure(claim(MODEL1_CLAIMS[1]), settings)
    assert outcome.values == (records[MODEL1_CLAIMS[1]]["measured"],) and outcome.results == tuple(stored)
    with pytest.raises(pytest.fail.Exception, match="trained again"):
        runs.measure(claim(MODEL1_CLAIMS[1]), dataclasses.replace(settings, retrain=True))


def test_claim_over_budget_is_skipped_with_its_estimate(cifar_root: Path, tmp_path: Path) -> None:
    settings = runs.Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path,
                             budget_seconds=1.0, seeds=3)
    model2 = claim("iot_ml_hw2/accuracy/model2/val")
    reason = rf"^estimated [\d,]+ s to train iot_ml_hw2.model2 \(3 run\(s\) of at most {model2.recipe.epochs} epochs\) "
    with pytest.raises(pytest.skip.Exception, match=reason + r"on CPU .* over the training budget of 1 s"):
        runs.measure(model2, settings)


def test_missing_data_skips_with_how_to_get_it(tmp_path: Path) -> None:
    settings = runs.Settings(device="cpu", data_root=tmp_path, results_dir=tmp_path)
    with pytest.raises(pytest.skip.Exception, match=r"^cifar10 train not found: .*cifar-10-batches-py"):
        runs.measure(claim("iot_ml_hw2/accuracy/model1/val"), settings)


def test_modified_data_is_an_error_unless_allowed(cifar_root: Path, tmp_path: Path) -> None:
    settings = runs.Settings(device="cpu", data_root=cifar_root, results_dir=tmp_path)
    with pytest.raises(data.ChecksumMismatch, match="--allow-unverified-data"):
        runs.measure(claim("iot_ml_hw2/accuracy/model1/val"), settings)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_claims_skip_without_cuda(tmp_path: Path) -> None:
    settings = runs.Settings(device="cuda", results_dir=tmp_path)
    with pytest.raises(pytest.skip.Exception, match="CUDA is not available here: pass --train-device cpu"):
        runs.measure(claim("iot_ml_hw2/accuracy/model1/val"), settings)


def test_xdist_workers_take_one_gpu_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 4)
    assert [runs.worker_device("cuda", w) for w in (None, "gw0", "gw1", "gw5")] == ["cuda", "cuda:0", "cuda:1",
                                                                                      "cuda:1"]
    assert runs.worker_device("cpu", "gw1") == "cpu"


def test_timing_compares_only_like_with_like() -> None:
    assert runs._same_hardware("RTX 3070 Laptop", "NVIDIA GeForce RTX 3070 Laptop GPU")
    assert not runs._same_hardware("unknown GPU (Keras/TensorFlow)", "NVIDIA H100 80GB HBM3")
