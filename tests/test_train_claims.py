"""Training claims end to end (claimbench.runs): a synthetic CIFAR-10 in its real on-disk format, the
IoT-ML ledger's own recipes, the run store, the budget and the skips."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import inspect
import io
import json
import math
import os
import re
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any
from unittest import mock

import pytest
import torch
from held_lock import held_until_said
from small_runs import EPOCHS, IOT_ML, MODEL1_CLAIMS, REPO, TEST_IMAGES, TRAIN_IMAGES, claim, write_cifar10

from claimbench import data, environment, errors, ledger, precision, registry, report, train
from claimbench.history import Epoch, Evaluation, History
from claimbench.results import NOT_SELECTED
from claimbench.runs import cost, local, numerics, signing, splits, store, timing
from claimbench.runs.settings import Settings, machine_info, usable, worker_device

pytestmark = pytest.mark.filterwarnings("ignore:cifar10 .*running on unverified data")


@pytest.mark.train_cpu
def test_iot_ml_claims_run_end_to_end(cifar_root: Path, small_ledger: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, device: str) -> None:
    """`pytest benchmarks -m "train or timing" --claims-train-device DEVICE --claims-data-root DIR` trains Model 1 once
    with its recipe (every epoch, the hold-out), judges its three accuracy claims and shows its epoch time,
    printing the estimate and one line per epoch under pytest's capture. One thread, no time limit."""
    results, report = tmp_path / "runs", tmp_path / "claims.json"
    command = [sys.executable, "-m", "pytest", "benchmarks", "-m", "train or timing", "-k", "model1",
               "--claims-dir", str(small_ledger), "--claims-train-device", device,
               "--claims-data-root", str(cifar_root),
               "--claims-allow-unverified-data", "--claims-results-dir", str(results), "--claims-json", str(report),
               "-p", "no:xdist", "-p", "no:randomly"]
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False,
                              env={**os.environ, "OMP_NUM_THREADS": "1"})
    records = {r["id"]: r for r in json.loads(report.read_text())["claims"]
               if r["reason"] != NOT_SELECTED} if report.exists() else {}
    assert set(records) == set(MODEL1_CLAIMS), finished.stdout[-3000:] + finished.stderr[-3000:]
    assert re.search(rf"(?m)^iot_ml_hw2.model1: training 1 run\(s\) of up to {EPOCHS} epochs, estimated \d",
                     finished.stdout), finished.stdout[-3000:]
    assert re.search(rf"(?m)^iot_ml_hw2.model1 epoch {EPOCHS}/{EPOCHS}  loss \S+  train acc \S+%  val acc \S+%  "
                     r"\S+ s/epoch  ETA 0s$", finished.stdout), finished.stdout[-3000:]
    machine = "CPU" if device == "cpu" else torch.cuda.get_device_name(device)
    for claim_id in MODEL1_CLAIMS[:3]:
        verdict, reason = records[claim_id]["verdict"], records[claim_id]["reason"]
        assert verdict == "error" and "is not the published split (cifar10 " in reason, (
            records[claim_id])  # in the band or outside it, the synthetic split (not the published one) decides nothing
        assert records[claim_id]["measured"] is not None and records[claim_id]["device"].startswith(machine)
        assert records[claim_id]["unverified_data"], "trained on data that failed its checksums"
        assert "stored" not in records[claim_id]["measured_as"], "trained in this session, not read from the store"
    timing = records["iot_ml_hw2/epoch_time/model1"]
    assert timing["verdict"] == "not run" and "the claim was timed on unknown GPU" in timing["reason"]
    assert timing["measured"] is None, "an epoch time on other hardware is not timed, nor shown"

    stored = sorted(results.glob("*.json"))
    assert len(stored) == 1, "the three accuracy claims share one training run"
    record = json.loads(stored[0].read_text())
    recipe = json.loads(json.dumps(dataclasses.asdict(claim(MODEL1_CLAIMS[0], small_ledger).recipe)))
    assert record["recipe"] == recipe and record["seed"] == 0
    assert {"claimbench", "ledger", "torch", "torchvision", "python", "device"} <= set(record["environment"])
    autocast = {"fp32": None, "bf16": "bfloat16"}[record["precision"]["chosen"]]  # auto: the faster here
    tf32 = ["convolutions"] if device != "cpu" and torch.cuda.get_device_capability(device)[0] >= 8 else []
    assert record["accel"] == {"channels_last": True, "compile": False, "autocast": autocast, "tf32": tf32}
    trained_on = records[MODEL1_CLAIMS[0]]["device"]
    assert trained_on.endswith(f", {autocast} autocast (auto: measured)" if autocast else ", fp32 (auto: measured)")
    assert (", TF32 convolutions, " in trained_on) == bool(tf32 and not autocast), trained_on
    assert set(record["precision"]["step_seconds"]) == {"fp32", "bf16"} and len(record["weights_sha256"]) == 64
    [decision] = (results / "numerics").glob("*.json")
    assert json.loads(decision.read_text())["chosen"] == record["precision"]["chosen"], "auto's choice is kept"
    sizes = {"train": TRAIN_IMAGES, "val": recipe["val_size"], "test": TEST_IMAGES}
    assert len(record["history"]["epochs"]) == recipe["epochs"] and record["data_sizes"] == sizes
    assert not list(results.glob("*.ckpt")), "a finished run leaves no checkpoint"

    # A rerun reuses the stored run; --claims-retrain (a new session) trains again.
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained again"))
    settings = Settings(device=device, data_root=cifar_root, allow_unverified=True, results_dir=results,
                             session="a later session")
    outcome = local.measure(claim(MODEL1_CLAIMS[1], small_ledger), settings)
    assert outcome.values == (records[MODEL1_CLAIMS[1]]["measured"],) and outcome.results == tuple(stored)
    assert outcome.stored == (record["environment"]["date"],), "a run an earlier session trained says so"
    assert outcome.bf16 == ("auto" if autocast else ""), "bf16 that auto chose reaches the judge"
    with pytest.raises(pytest.fail.Exception, match="trained again"):
        local.measure(claim(MODEL1_CLAIMS[1], small_ledger), dataclasses.replace(settings, retrain=True))


def test_claim_over_budget_is_skipped_with_its_estimate(cifar_root: Path, small_ledger: Path, tmp_path: Path) -> None:
    settings = Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path,
                             budget_seconds=1.0, seeds=1000)
    model2 = claim("iot_ml_hw2/accuracy/model2/val", small_ledger)
    reason = rf"^estimated [\d,]+ s to train iot_ml_hw2.model2 \(1000 run\(s\) of at most {EPOCHS} epochs\) "
    with pytest.raises(errors.NotRunnable, match=reason + r"on CPU .* over the training budget of 1 s") as skipped:
        local.measure(model2, settings)
    said = str(skipped.value)
    fitting = re.search(r": raise --claims-train-budget to (\d+) or more, or train on a GPU "
                        r"\(--claims-train-device=cuda\)$", said)
    estimate = float(re.match(r"estimated ([\d,]+) s", said)[1].replace(",", ""))
    assert fitting and int(fitting[1]) >= estimate and "\n" not in said, said


def test_a_claim_over_budget_names_the_budget_that_fits(tmp_path: Path) -> None:
    """The reason says what to do: the budget the estimate, rounded up, fits in; a GPU only where training on one
    would do (not for an epoch time, timed on the claim's hardware)."""
    settings = Settings(device="cpu", results_dir=tmp_path, budget_seconds=5.0)
    model2 = claim("iot_ml_hw2/accuracy/model2/val")
    with pytest.raises(errors.NotRunnable, match=r"over the training budget of 5 s: raise --claims-train-budget to "
                                                 r"13 or more, or train on a GPU \(--claims-train-device=cuda\)$"):
        cost.skip_over_budget(model2, 3, 12.2, 3, settings, threads=1)
    with pytest.raises(errors.NotRunnable, match=r"over the training budget of 5 s: raise --claims-train-budget to "
                                                 r"12 or more$"):
        cost.skip_over_budget(model2, 1, 12.0, 4, settings, threads=1, gpu_helps=False)
    cost.skip_over_budget(model2, 3, 5.0, 3, settings, threads=1)  # within it: nothing to say


def test_missing_data_skips_with_how_to_get_it(tmp_path: Path) -> None:
    settings = Settings(device="cpu", data_root=tmp_path, results_dir=tmp_path)
    with pytest.raises(errors.NotRunnable, match=r"^cifar10 train not found: .*cifar-10-batches-py"):
        local.measure(claim("iot_ml_hw2/accuracy/model1/val"), settings)


def test_modified_data_is_an_error_unless_allowed(cifar_root: Path, tmp_path: Path) -> None:
    settings = Settings(device="cpu", data_root=cifar_root, results_dir=tmp_path)
    with pytest.raises(errors.MeasurementError, match="data_batch_1: MD5 .*--claims-allow-unverified-data") as caught:
        local.measure(claim("iot_ml_hw2/accuracy/model1/val"), settings)
    assert isinstance(caught.value, data.ChecksumMismatch)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_claims_skip_without_cuda_saying_what_else_is_lacking(cifar_root: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    cuda = r"^no CUDA here \(add --claims-train-device=cpu to train on the CPU within --claims-train-budget"
    with pytest.raises(errors.NotRunnable, match=rf"{cuda}, 600 s a claim unless given\)$"):
        local.measure(claim("iot_ml_hw2/accuracy/model1/val"), Settings(device="cuda", data_root=cifar_root,
                                                                        results_dir=tmp_path))
    with pytest.raises(errors.NotRunnable, match=rf"{cuda}\) and no cifar10 train split \(looked for data_batch_1, "
                                                 rf".* in {tmp_path}/.*; put cifar-10-batches-py/ under "):
        local.measure(claim("iot_ml_hw2/accuracy/model1/val"), Settings(device="cuda", data_root=tmp_path,
                                                                        results_dir=tmp_path))
    with pytest.raises(errors.NotRunnable, match=rf"{cuda}, 600 s a claim unless given\)$"):
        local.measure(claim("iot_ml_hw2/accuracy/model1/val"), Settings(device="cuda", data_root=tmp_path,
                                                                        results_dir=tmp_path, download=True))
    private = dataclasses.replace(claim("iot_ml_hw2/accuracy/model1/val"), dataset="private")  # no files to seek
    with pytest.raises(errors.NotRunnable, match=rf"{cuda}, 600 s a claim unless given\)$"):
        local.measure(private, Settings(device="cuda", data_root=tmp_path, results_dir=tmp_path))


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_a_claim_lacking_cuda_and_data_given_no_folder_says_both_briefly(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With no data root, the skip reason (pytest -rs, REPORT.md's note) says what is missing and the option that
    gives each, in about 200 characters: no file list, as there is no folder they were looked for in."""
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    with pytest.raises(errors.NotRunnable) as caught:
        local.measure(claim("iot_ml_hw2/accuracy/model1/val"), Settings(device="cuda", results_dir=tmp_path))
    assert str(caught.value) == (
        "no CUDA here (add --claims-train-device=cpu to train on the CPU within --claims-train-budget) and no cifar10 "
        "train split (put cifar-10-batches-py/ under --claims-data-root=DIR or $CLAIMBENCH_DATA, or pass "
        "--claims-download)")


def test_mps_claims_skip_without_mps_as_cuda_claims_do_without_cuda(cifar_root: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``--claims-train-device=mps`` where torch finds no mps is not run, naming the CPU's option (and the data,
    when missing too), not an error of torch's inside training."""
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    mps = r"^no MPS here \(add --claims-train-device=cpu to train on the CPU within --claims-train-budget"
    with pytest.raises(errors.NotRunnable, match=rf"{mps}, 600 s a claim unless given\)$"):
        local.measure(claim("iot_ml_hw2/accuracy/model1/val"), Settings(device="mps", data_root=cifar_root,
                                                                        results_dir=tmp_path))
    with pytest.raises(errors.NotRunnable, match=rf"{mps}\) and no cifar10 train split "):
        local.measure(claim("iot_ml_hw2/accuracy/model1/val"), Settings(device="mps", data_root=tmp_path,
                                                                        results_dir=tmp_path))


def test_a_gpu_index_past_those_here_is_not_run_naming_the_gpus_there_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--claims-train-device=cuda:2`` on a machine with two GPUs names the two, not a CUDA error inside
    training."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    with pytest.raises(errors.NotRunnable, match=r"^no cuda:2 here \(torch finds 2 CUDA devices, cuda:0 to cuda:1: "
                                                 r"add --claims-train-device=cuda:0 or =cpu"):
        usable("cuda:2")
    assert usable("cuda:1") == "cuda:1"


def test_missing_names_the_first_split_whose_files_are_absent(tmp_path: Path) -> None:
    root = write_cifar10(tmp_path, per_batch=2, test=2)
    assert data.missing("cifar10", root) is None
    (root / "cifar-10-batches-py" / "test_batch").unlink()
    lacking = data.missing("cifar10", root)
    assert lacking is not None and (lacking.dataset, lacking.split) == ("cifar10", "test")


def test_xdist_workers_take_one_gpu_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 4)
    assert [worker_device("cuda", w) for w in (None, "gw0", "gw1", "gw5")] == ["cuda", "cuda:0", "cuda:1",
                                                                                      "cuda:1"]
    assert worker_device("cpu", "gw1") == "cpu"


def test_the_default_budget_is_none_on_either_gpu_and_600_s_on_the_cpu() -> None:
    """A user who names a GPU, Apple's as much as NVIDIA's, accepts what training there takes (README,
    ``--claims-train-budget``); a budget given is the budget on every device."""
    assert [Settings(device=device).budget for device in ("cuda", "cuda:1", "mps", "cpu")] == [
        math.inf, math.inf, math.inf, 600.0]
    assert Settings(device="mps", budget_seconds=60.0).budget == 60.0


@pytest.mark.parametrize("device", ["cuda:1", "mps"])
def test_machine_info_says_a_gpu_torch_does_not_find_is_not_available(monkeypatch: pytest.MonkeyPatch,
                                                                      device: str) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert machine_info(device) == {"torch": torch.__version__, "train_device": f"{device} (not available)"}


def test_timing_compares_only_like_with_like() -> None:
    assert timing.same_hardware("RTX 3070 Laptop", "NVIDIA GeForce RTX 3070 Laptop GPU")
    assert not timing.same_hardware("unknown GPU (Keras/TensorFlow)", "NVIDIA H100 80GB HBM3")
    assert timing.same_hardware("A100", "NVIDIA A100-SXM4-80GB")
    for vague in ("NVIDIA", "GPU", "CPU", "NVIDIA GeForce"):  # names no one device: never judged against ours
        assert not timing.same_hardware(vague, "NVIDIA GeForce RTX 3070 Laptop GPU")
    assert not timing.same_hardware("RTX 3070", "NVIDIA GeForce RTX 3080")
    assert not timing.same_hardware("RTX 3070", "NVIDIA GeForce RTX 3070 Ti")
    assert not timing.same_hardware("RTX 3070", "NVIDIA GeForce RTX 3070 Laptop GPU")
    assert not timing.same_hardware("x86_64 CPU", "CPU AMD EPYC 7B13, x86_64 (1 thread)")
    assert timing.same_hardware("EPYC 7B13", "CPU AMD EPYC 7B13, x86_64 (1 thread)")


@pytest.mark.parametrize(("claimed", "ours", "same"), [
    ("CPU, 1 thread", "CPU AMD EPYC, x86_64 (1 thread)", False),
    ("1 CPU thread", "CPU AMD EPYC, x86_64 (1 thread)", False),
    ("AMD EPYC (1 thread)", "CPU AMD EPYC, x86_64 (1 thread)", False),
    ("AMD EPYC, 2 threads", "CPU AMD EPYC, x86_64 (2 threads)", False),
    ("8 cores", "CPU AMD EPYC, x86_64 (8 threads)", False),
    ("8-core CPU", "CPU AMD EPYC, x86_64 (8 threads)", False),
    ("AMD EPYC 7B13", "CPU AMD EPYC 7B13, x86_64 (2 threads)", True),
    ("AMD EPYC 7B13, 2 threads", "CPU AMD EPYC 7B13, x86_64 (2 threads)", True),
    ("AMD EPYC 7B13, 1 thread", "CPU AMD EPYC 7B13, x86_64 (2 threads)", False),
    ("Core i7-8700", "CPU Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz, x86_64 (12 threads)", True),
    ("RTX 3070 Laptop", "NVIDIA GeForce RTX 3070 Laptop GPU", True),
])
def test_a_count_of_threads_or_cores_is_no_model_number(claimed: str, ours: str, same: bool) -> None:
    """An author's laptop's "1 CPU thread" named our CPU by its thread count: a number that counts is never the
    device's model; when given, it is ours too."""
    assert timing.same_hardware(claimed, ours) is same


def test_other_processes_cpu_time_is_counted_in_cores() -> None:
    assert timing._cores([(1.0, 2.0), (0.5, 2.0)]) == 0.375  # 1.5 s of others' CPU over 4 s of epochs
    reading = timing._cpu_seconds()
    assert reading is None or reading[0] >= reading[1] >= 0


SPIN = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end:\n    pass\n"
"""A child that runs half a second of CPU, however long a loaded machine makes it wait."""


def test_a_busy_process_between_two_readings_is_other_processes_cpu_time() -> None:
    """What the busy-machine guard reads around an epoch: another process's CPU seconds are the others' (at least
    half of what its own resource usage counts: ``/proc/stat`` counts in ticks, and every other process adds)."""
    before = timing._cpu_seconds()
    if before is None:
        pytest.skip("no /proc/stat here")
    pid = os.posix_spawn(sys.executable, [sys.executable, "-c", SPIN], os.environ)
    _, status, usage = os.wait4(pid, 0)
    after = timing._cpu_seconds()
    assert os.waitstatus_to_exitcode(status) == 0 and after is not None
    child = usage.ru_utime + usage.ru_stime
    others = (after[0] - before[0]) - (after[1] - before[1])
    assert child >= 0.5 and others >= child / 2, f"others ran {others:.2f} s while the child ran {child:.2f} s"


def test_other_processes_over_spans_count_a_busy_child_and_are_none_where_nothing_was_measured() -> None:
    """What the epoch times and the throughput benchmarks record: a child's CPU seconds are another process's."""
    load = timing.OtherProcesses()
    assert load.cores() is None
    if timing._cpu_seconds() is None:
        pytest.skip("no /proc/stat here")
    with load.during():
        pid = os.posix_spawn(sys.executable, [sys.executable, "-c", SPIN], os.environ)
        _, status, usage = os.wait4(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and len(load.spans) == 1
    (others, wall), child = load.spans[0], usage.ru_utime + usage.ru_stime
    assert others >= child / 2 and load.cores() == others / wall, load.spans


@pytest.mark.parametrize("others", [0.0, 0.9])
def test_an_epoch_time_is_fp32_at_the_process_threads_and_a_busy_machine_makes_it_an_error(
        others: float, cifar_root: Path, small_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The author's numerics and cores, not the probe's choice; a time taken while other processes ran is the
    machine's, never a verdict (its reason keeps what was timed); a quiet one is the median of its rounds, their
    range its spread."""
    from claimbench import environment, families
    from claimbench.items import NO_BENCHMARK

    monkeypatch.setattr(environment, "_cpu_model", lambda: "AMD EPYC 7B13, x86_64")
    monkeypatch.setattr(timing, "_cores", lambda epochs: others)
    monkeypatch.setattr(cost, "PROBES", {})
    fastest = probe_choosing("bf16", [], fastest_threads=1)  # what a busy machine's probe chooses
    asked_threads: list[int | None] = []
    monkeypatch.setattr(precision, "probe", lambda *args, **kwargs: asked_threads.append(kwargs.get("threads"))
                        or fastest(*args, **kwargs))
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)  # what the process, as the author's, has
    monkeypatch.setattr(timing, "_default_threads", lambda: 2)  # every thread torch takes on the machine
    timed = dataclasses.replace(claim("iot_ml_hw2/epoch_time/model1", small_ledger), hardware="EPYC 7B13")
    lines: list[str] = []
    settings = Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path,
                        progress=lines.append)
    if others:
        busy_machine = r"^the machine was busy: other processes ran 0.90 of"
        with pytest.raises(errors.MeasurementError, match=busy_machine) as busy:
            families.epoch_time(timed, settings, NO_BENCHMARK)
        assert re.search(r": 3 timed epochs on CPU AMD EPYC 7B13, x86_64 \(2 threads\), fp32 took a median \S+ s, "
                         r"range \[\S+, \S+\] s; time it on an otherwise idle machine$", str(busy.value)), busy.value
        return
    measurement = families.epoch_time(timed, settings, NO_BENCHMARK)
    assert len(measurement.seeds) == timing.TIMING_ROUNDS
    assert measurement.measured == sorted(measurement.seeds)[1]
    assert measurement.spread == (max(measurement.seeds) - min(measurement.seeds)) / 2
    assert measurement.device == "CPU AMD EPYC 7B13, x86_64 (2 threads), fp32"
    assert not measurement.on_accelerator and measurement.partial_data.startswith("cifar10 train holds "), (
        "a CPU's load is measured; the synthetic split is not the published one")
    assert any(line.endswith(", 2 thread(s), fp32)") for line in lines), lines  # the estimate is the timing's
    assert asked_threads == [2], "a step timed on the threads the epochs run on, not the training probe's choice"


def test_an_epoch_time_where_the_load_cannot_be_read_says_why(
        cifar_root: Path, small_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without /proc/stat (macOS, Windows) the epochs are still timed, and the measurement says that the machine's
    load is unknown, for the judge (a time outside the band is then an error of ours)."""
    from claimbench import families
    from claimbench.items import NO_BENCHMARK

    monkeypatch.setattr(environment, "_cpu_model", lambda: "AMD EPYC 7B13, x86_64")
    monkeypatch.setattr(timing, "_cpu_seconds", lambda: None)
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(precision, "probe", probe_choosing("fp32", []))
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(timing, "_default_threads", lambda: 2)  # a 2-core machine, whatever this one has
    timed = dataclasses.replace(claim("iot_ml_hw2/epoch_time/model1", small_ledger), hardware="EPYC 7B13")
    settings = Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path)
    measurement = families.epoch_time(timed, settings, NO_BENCHMARK)
    assert len(measurement.seeds) == timing.TIMING_ROUNDS
    assert measurement.load.startswith("other processes' CPU time comes from Linux's /proc/stat, which this system")


def test_an_epoch_timed_on_an_accelerator_is_not_an_error_for_the_hosts_load(
        cifar_root: Path, small_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One pytest-xdist worker per GPU (tox -e gpu-train -- -n 4) keeps the host's cores busy by design: a GPU's
    epoch is judged on its time, not made an error by its siblings' load."""
    from claimbench import families
    from claimbench.items import NO_BENCHMARK

    epoch = Epoch(epoch=1, lr=0.1, seconds=1.0, train_loss=1.0, train_running_acc=0.5, val=None, test=None)
    monkeypatch.setattr(splits, "device", lambda claim_, settings_: "cuda")
    monkeypatch.setattr(environment, "device_name", lambda device, threads=None: "NVIDIA H100 80GB HBM3")
    monkeypatch.setattr(timing, "_cores", lambda epochs: 0.9)
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(precision, "probe", probe_choosing("fp32", []))
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: History(epochs=[epoch]))
    timed = dataclasses.replace(claim("iot_ml_hw2/epoch_time/model1", small_ledger), hardware="H100")
    settings = Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path)
    measurement = families.epoch_time(timed, settings, NO_BENCHMARK)
    assert measurement.measured == 1.0 and measurement.on_accelerator, "a refutation says the load was not measured"
    targets: list[object] = []
    disabled = SimpleNamespace(enabled=False, extra_info={}, pedantic=lambda target: targets.append(target) or target())
    assert len(families.epoch_time(timed, settings, disabled).seeds) == timing.TIMING_ROUNDS
    assert len(targets) == 1, "a disabled benchmark (--benchmark-disable) is used, or pytest-benchmark warns"


@pytest.mark.parametrize(("model", "then"), [
    ("AMD EPYC 7B13, x86_64", "an epoch time is judged only on the hardware it names; to be judged here, its "
                              "hardware must name this device's model ('CPU AMD EPYC 7B13, x86_64 (2 threads)')"),
    ("AMD EPYC, x86_64", "no epoch time can be judged on this machine, whose name has no model number"),
], ids=["model number", "none"])
def test_an_epoch_time_of_other_hardware_is_not_run_before_anything_is_timed(
        model: str, then: str, small_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other hardware is decided first: no data read, no step probed, no epoch timed, no time of ours shown; the
    one line says what would have the claim judged here, if anything can."""
    from claimbench import environment, families
    from claimbench.items import NO_BENCHMARK

    monkeypatch.setattr(environment, "_cpu_model", lambda: model)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    monkeypatch.setattr(splits, "load", lambda *args: pytest.fail("read the data"))
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("timed an epoch"))
    timed = claim("iot_ml_hw2/epoch_time/model1", small_ledger)
    with pytest.raises(errors.NotRunnable) as raised:
        families.epoch_time(timed, Settings(device="cpu", data_root=tmp_path, results_dir=tmp_path), NO_BENCHMARK)
    ours = f"CPU {model} (2 threads)"
    assert str(raised.value) == f"the claim was timed on {timed.hardware}, and this machine is {ours}: {then}"


@pytest.mark.parametrize(("hardware", "then"), [
    ("AMD EPYC 7B13, 1 thread", "its hardware names this device's model but 1 thread, and this process runs 2 "
                                "threads: to be judged here, time it alone on that count (OMP_NUM_THREADS=1 "
                                "pytest -p no:xdist)"),
    ("AMD EPYC 7B13, 8 cores", "its hardware names this device's model but 8 cores, and this process runs 2 "
                               "threads: to be judged here, its hardware must name the thread count the author's run "
                               "had instead ('<n> threads'), and the claim be timed alone on that count "
                               "(OMP_NUM_THREADS=<n> pytest -p no:xdist)"),
], ids=["threads", "cores"])
def test_an_epoch_time_of_this_model_on_another_count_says_the_count_differs(
        hardware: str, then: str, small_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The model named, a count of threads or cores that is not this process's: the reason says the count is what
    differs, and how to time the claim on the count it names."""
    from claimbench import environment, families
    from claimbench.items import NO_BENCHMARK

    monkeypatch.setattr(environment, "_cpu_model", lambda: "AMD EPYC 7B13, x86_64")
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    monkeypatch.setattr(timing, "_default_threads", lambda: 2)
    monkeypatch.setattr(splits, "load", lambda *args: pytest.fail("read the data"))
    timed = dataclasses.replace(claim("iot_ml_hw2/epoch_time/model1", small_ledger), hardware=hardware)
    with pytest.raises(errors.NotRunnable) as raised:
        families.epoch_time(timed, Settings(device="cpu", data_root=tmp_path, results_dir=tmp_path), NO_BENCHMARK)
    ours = "CPU AMD EPYC 7B13, x86_64 (2 threads)"
    assert str(raised.value) == f"the claim was timed on {hardware}, and this machine is {ours}: {then}"


@pytest.mark.parametrize(("threads", "default", "cpus", "hardware", "judged"), [
    (1, 2, 2, "EPYC 7B13", False),  # an xdist worker's share of two cores
    (1, 2, 2, "EPYC 7B13, 1 thread", True),  # the author's run had one thread, as ours
    (2, 2, 2, "EPYC 7B13", True),  # every core
    (8, 8, 16, "EPYC 7B13", True),  # 8 cores of 2 hyper-threads each: torch takes one thread a core by default
])
def test_an_epoch_time_on_part_of_the_cpus_cores_is_not_run_before_anything_is_timed(
        threads: int, default: int, cpus: int, hardware: str, judged: bool, small_ledger: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-xdist workers, OMP_NUM_THREADS and taskset leave a process fewer threads than torch takes on the CPU
    by default (not its logical CPUs): an epoch timed on them is no time of the CPU the claim names, unless the claim
    names that count too."""
    from claimbench import environment, families
    from claimbench.items import NO_BENCHMARK

    monkeypatch.setattr(environment, "_cpu_model", lambda: "AMD EPYC 7B13, x86_64")
    monkeypatch.setattr(torch, "get_num_threads", lambda: threads)
    monkeypatch.setattr(timing, "_default_threads", lambda: default)
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(splits, "load", lambda *args: pytest.fail("read the data"))
    timed = dataclasses.replace(claim("iot_ml_hw2/epoch_time/model1", small_ledger), hardware=hardware)
    settings = Settings(device="cpu", data_root=tmp_path, results_dir=tmp_path)
    if judged:
        with pytest.raises(pytest.fail.Exception, match="read the data"):  # on to the timing
            families.epoch_time(timed, settings, NO_BENCHMARK)
        return
    with pytest.raises(errors.NotRunnable) as raised:
        families.epoch_time(timed, settings, NO_BENCHMARK)
    assert str(raised.value) == (
        "the epochs would be timed on 1 thread of the 2 torch takes on this machine by default (pytest-xdist workers, "
        "OMP_NUM_THREADS or taskset leave this process fewer), and the claim's hardware 'EPYC 7B13' names no such "
        "count: an epoch time on a CPU is judged on every thread torch takes on it; time it alone (-p no:xdist, no "
        "OMP_NUM_THREADS, no taskset), or, where the author's run had 1 thread, say so in its hardware ('EPYC 7B13, "
        "1 thread')")


def test_an_epoch_time_on_more_threads_than_torch_takes_by_default_is_timed_on_its_default(
        small_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lone pytest-xdist worker is given every logical CPU (16 on 8 hyper-threaded cores), where torch takes one
    thread a core: the epochs are timed on torch's default 8, as the author's were, not on 16."""
    from claimbench import environment, families
    from claimbench.items import NO_BENCHMARK

    named = environment.device_name
    asked: list[int | None] = []
    monkeypatch.setattr(environment, "_cpu_model", lambda: "AMD EPYC 7B13, x86_64")
    monkeypatch.setattr(environment, "device_name", lambda device, threads=None: asked.append(threads) or named(
        device, threads))
    monkeypatch.setattr(torch, "get_num_threads", lambda: 16)
    monkeypatch.setattr(timing, "_default_threads", lambda: 8)
    monkeypatch.setattr(splits, "load", lambda *args: pytest.fail("read the data"))
    timed = dataclasses.replace(claim("iot_ml_hw2/epoch_time/model1", small_ledger), hardware="EPYC 7B13")
    with pytest.raises(pytest.fail.Exception, match="read the data"):  # on to the timing
        families.epoch_time(timed, Settings(device="cpu", data_root=tmp_path, results_dir=tmp_path), NO_BENCHMARK)
    assert asked == [8]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="taskset is Linux's")
def test_the_threads_torch_takes_by_default_are_those_of_a_fresh_process_with_no_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """OMP_NUM_THREADS, MKL_NUM_THREADS and an affinity to one CPU (taskset) that limit this process do not limit
    the count an epoch time is judged against."""
    env = {name: value for name, value in os.environ.items() if name not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    unlimited = int(subprocess.run([sys.executable, "-c", timing._UNLIMITED_THREADS], env=env, capture_output=True,
                                   text=True, check=True).stdout)  # taskset undone, as a run under it is
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("MKL_NUM_THREADS", "1")
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})
    try:
        assert timing._default_threads.__wrapped__() == unlimited  # not the answer cached in this process
    finally:
        os.sched_setaffinity(0, cpus)


def test_a_fresh_process_that_cannot_tell_the_default_threads_is_an_error_of_ours(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(errors.MeasurementError, match=r"^cannot tell how many threads torch takes on this machine by "
                                                      r"default: a fresh Python process exited 1: no output$"):
        timing._default_threads.__wrapped__()


# ----------------------------------------------------------------------------- the run store and its faults


@pytest.fixture
def tiny_settings(cifar_root: Path, tmp_path: Path) -> Settings:
    return Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path / "runs",
                         session="this session")


def stored_path(claim_: ledger.Claim, settings: Settings) -> Path:
    identity = splits.load(claim_, claim_.recipe, 0, settings).identity
    return store.path_for(claim_, claim_.recipe, 0, settings, identity)


def stored_run(accuracy: float, verified: bool) -> dict[str, Any]:
    """A stored run of one epoch whose every evaluation scored ``accuracy``, as ``store.read`` accepts it."""
    evaluation = Evaluation(loss=1.0, accuracy=accuracy, confusion=[[1]])
    epoch = Epoch(epoch=1, lr=1e-3, seconds=1.0, train_loss=1.0, train_running_acc=accuracy, val=evaluation,
                  test=evaluation)
    return {"history": History(epochs=[epoch], train_final=evaluation).to_dict(), "verified_data": verified,
            "environment": {"device": "CPU stored"}}


def test_a_claim_over_several_seeds_is_their_mean_and_95_percent_interval(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three stored runs, read and not trained again: their values in seed order, their t-interval, and one seed
    on unverified data makes the claim's data unverified."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    settings = dataclasses.replace(tiny_settings, seeds=3)
    identity = splits.load(model1, model1.recipe, 0, settings).identity
    paths = [store.path_for(model1, model1.recipe, seed, settings, identity) for seed in range(3)]
    for path, accuracy, verified in zip(paths, (60.0, 64.0, 65.0), (True, False, True), strict=True):
        store.write(path, stored_run(accuracy, verified), settings)
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained again"))
    outcome = local.measure(model1, settings)
    assert outcome.values == (60.0, 64.0, 65.0) and outcome.results == tuple(paths)
    assert outcome.step == 100.0, "each stored evaluation holds one image: a run's accuracy moves by 100 points"
    # mean 63; sample sd √((9 + 1 + 4) / 2) = √7; half-width t(0.975, 2 df) · sd / √3 = 4.303 · √(7/3)
    assert (outcome.mean, outcome.spread) == pytest.approx((63.0, 6.572941), abs=1e-6)
    assert outcome.spread > 0 and outcome.verified is False and outcome.device == "CPU stored"
    assert outcome.finding.startswith("cifar10 train: ") and "data_batch_1: MD5" in outcome.finding, (
        "what was wrong with the data it trained on")
    assert outcome.partial.startswith("cifar10 train holds "), "the synthetic split's image count, for the judge"


def test_epoch_lines_name_the_seed_and_count_the_claims_runs_still_to_train_in_the_eta(
        small_ledger: Path, tiny_settings: Settings) -> None:
    """Seed 0 stored, seeds 1 and 2 trained: each epoch line names its seed of the claim's three, and seed 1's ETA
    covers seed 2's epochs too, saying it is estimated at seed 1's pace; seed 2's last line ends at 0s."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    lines: list[str] = []
    settings = dataclasses.replace(tiny_settings, seeds=3, progress=lines.append)
    identity = splits.load(model1, model1.recipe, 0, settings).identity
    store.write(store.path_for(model1, model1.recipe, 0, settings, identity), stored_run(60.0, False), settings)
    local.measure(model1, settings)
    epochs = [line for line in lines if " epoch " in line]
    assert [line.split("  ")[0] for line in epochs] == [
        f"{model1.model} seed {seed} ({seed + 1} of 3) epoch {epoch}/{EPOCHS}"
        for seed in (1, 2) for epoch in range(1, EPOCHS + 1)]
    assert all(line.endswith(", 1 more seed at its pace)") for line in epochs[:EPOCHS]), epochs
    assert epochs[-1].endswith("s/epoch  ETA 0s"), epochs


def test_a_run_stored_under_its_former_name_is_reused_not_retrained(small_ledger: Path, tiny_settings: Settings,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A run an older claimbench stored under its model reference as typed (``models.iot_ml_hw2:model1-...``, a ':'
    that Windows forbids) is moved, with its session marker, to its portable name and read, not trained again."""
    model1 = dataclasses.replace(claim(MODEL1_CLAIMS[1], small_ledger), model="models.iot_ml_hw2:model1")
    path = stored_path(model1, tiny_settings)
    former = path.with_name(f"models.iot_ml_hw2:model1-cifar10-seed0-cpu-{path.name.rsplit('-', 1)[1]}")
    store.write(former, {**stored_run(61.5, True), "session": "an earlier session"}, tiny_settings)
    assert json.loads(former.read_text())[store.STORED_AS] == former.name, "as the older claimbench wrote it"
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained again"))
    outcome = local.measure(model1, tiny_settings)
    assert outcome.values == (61.5,) and outcome.results == (path,) and path != former
    assert path.exists() and path.with_suffix(".session").exists()
    assert not former.exists() and not former.with_suffix(".session").exists()


def test_corrupt_stored_run_is_set_aside_and_retrained(small_ledger: Path, tiny_settings: Settings) -> None:
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    lines: list[str] = []
    settings = dataclasses.replace(tiny_settings, progress=lines.append)
    path = stored_path(model1, settings)
    path.parent.mkdir(parents=True)
    for corrupt in ('{"history": ', '{"verified_data": true}'):
        path.write_text(corrupt)
        with pytest.warns(UserWarning, match=rf"^{path}: corrupt stored run \((JSONDecodeError|it has no record_sha256)"
                                             rf".*set aside as {path.name}\.corrupt-\d+: it is not used"):
            outcome = local.measure(model1, settings)
        assert outcome.results == (path,) and json.loads(path.read_text())["history"]["epochs"]
        assert any(line.startswith(f"{path}: corrupt stored run") for line in lines)
    assert len(list(path.parent.glob(f"{path.name}.corrupt-*"))) == 2, "the second beside the first"


def test_a_stored_run_altered_since_it_was_written_is_set_aside_and_retrained(small_ledger: Path,
                                                                             tiny_settings: Settings) -> None:
    """Valid JSON whose content no longer matches the digest it was written with (one digit of an accuracy
    flipped) is corrupt, never a measurement."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    store.write(path, {**stored_run(90.69, True), "session": "an earlier session"}, tiny_settings)
    path.write_text(path.read_text().replace("90.69", "10.69"))
    with pytest.warns(UserWarning, match=rf"^{path}: corrupt stored run \(its content does not match its "
                                         rf"record_sha256\); set aside as {path.name}\.corrupt-1: "
                                         "it is not used$"):
        outcome = local.measure(model1, tiny_settings)
    assert 10.69 not in outcome.values and json.loads(path.read_text())["session"] == "this session"
    assert "10.69" in next(path.parent.glob(f"{path.name}.corrupt-*")).read_text(), "set aside, not lost"


@pytest.mark.parametrize(("where", "value", "says"), [
    ("accuracy", "90.69", r"history\.epochs\.0\.val\.accuracy: Input should be a valid number"),
    ("accuracy", True, r"history\.epochs\.0\.val\.accuracy: Input should be a valid number"),
    ("epochs", [], r"history\.epochs: List should have at least 1 item"),
    ("restored_epoch", 3, r"history: Value error, restored epoch 3 is not one of the 1 epochs"),
    ("confusion", [[1, 0]], r"history\.epochs\.0\.val: Value error, a confusion matrix's rows are not 1 \+ 0 long"),
    ("beyond", [0], r"history\.epochs\.0\.val: Value error, beyond \[0\] does not name outputs past the 1 classes"),
    ("verified_data", None, r"verified_data: Input should be a valid boolean")])
def test_a_stored_run_with_a_field_of_the_wrong_type_is_set_aside_and_retrained(
        small_ledger: Path, tiny_settings: Settings, where: str, value: Any, says: str) -> None:
    """A run whose digest matches is read only when the fields its claims read are right: a string or a boolean for
    an accuracy, no epochs, a restored epoch that is none of them, a confusion matrix of another width than its
    classes and the outputs beyond them, outputs beyond them that are among them, are corrupt, never a crash in a
    claim nor a number measured from them."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    record = stored_run(90.69, True)
    if where == "accuracy":
        record["history"]["epochs"][0]["val"]["accuracy"] = value
    elif where in ("confusion", "beyond"):
        val = record["history"]["epochs"][0]["val"]
        val[where] = value
        val["confusion"] = [row + [0] * len(val["beyond"]) for row in val["confusion"]]
    elif where == "verified_data":
        record[where] = value
    else:
        record["history"][where] = value
    store.write(path, record, tiny_settings)
    with pytest.warns(UserWarning, match=rf"^{path}: corrupt stored run \({says}.*\); set aside as {path.name}\."
                                         r"corrupt-1: it is not used$"):
        outcome = local.measure(model1, tiny_settings)
    assert len(outcome.values) == 1 and json.loads(path.read_text())["session"] == "this session"


def test_a_stored_run_without_its_digest_is_set_aside_and_retrained(small_ledger: Path,
                                                                    tiny_settings: Settings) -> None:
    """A run with its digest deleted is corrupt, however right its fields: no claimbench that finds a run at its
    path (its key holds the engine's code) wrote one without it."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    store.write(path, {**stored_run(61.5, True), "session": "an earlier session"}, tiny_settings)
    record = json.loads(path.read_text())
    del record[store.DIGEST]
    path.write_text(json.dumps(record))
    with pytest.warns(UserWarning, match=rf"^{path}: corrupt stored run \(it has no record_sha256\); set aside as "
                                         rf"{path.name}\.corrupt-1: it is not used$"):
        outcome = local.measure(model1, tiny_settings)
    assert 61.5 not in outcome.values and json.loads(path.read_text())["session"] == "this session"
    assert "61.5" in next(path.parent.glob(f"{path.name}.corrupt-*")).read_text(), "set aside, not lost"


def test_a_run_another_process_trains_is_waited_for_and_read_saying_so(small_ledger: Path, tiny_settings: Settings,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A session needing a run whose lock another process holds (training it) says that it waits, naming the lock,
    then that it read the run the other stored: its estimate, made before the wait, leaves that run out, and it
    trains only the run no one else holds."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    settings = dataclasses.replace(tiny_settings, seeds=2, precision="fp32")  # no line of auto's choice
    identity = splits.load(model1, model1.recipe, 0, settings).identity
    path = store.path_for(model1, model1.recipe, 0, settings, identity)
    lock = path.with_suffix(".lock")
    lock.parent.mkdir(parents=True)
    lock.touch()
    say, _, released = held_until_said(lock)
    other = dataclasses.replace(settings, session="another session")
    lines: list[str] = []

    def progress(line: str) -> None:
        lines.append(line)
        if line.startswith(f"{lock}: "):  # the other process stores the run, then releases the lock
            store.write(path, {**stored_run(61.5, True), "session": other.session}, other)
            say(line)

    trainer = train.train
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained a run another process stored")
                        if kwargs["seed"] == 0 else trainer(*args, **kwargs))
    outcome = local.measure(model1, dataclasses.replace(settings, progress=progress))
    assert released.is_set() and outcome.values[0] == 61.5 and len(outcome.stored) == 1
    assert lines[0].startswith(f"{model1.model}: training 1 run(s) of up to {EPOCHS} epochs, seed 0 held by another "
                               "process (not estimated), estimated "), lines[0]
    assert lines[1:3] == [f"{lock}: another process holds this run (training or storing it); waiting for it to "
                          "finish (Ctrl-C to stop)",
                          f"{path}: stored by the other process meanwhile; read, not trained again"]
    assert f"{model1.model} seed 1 (2 of 2) epoch {EPOCHS}/{EPOCHS} " in lines[-1], "seed 1 trained"


@pytest.mark.parametrize("budget", [1.0, math.inf])
def test_a_run_another_process_held_and_left_unstored_is_budgeted_after_the_wait(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch, budget: float) -> None:
    """A run whose lock another process held, left out of the estimate, and that process then released without
    storing the run (a Ctrl-C after epoch 1, a failure): after the wait it is estimated as any missing run is,
    resuming that process's checkpoint; over the budget the claim skips untrained, else it says the estimate and
    that it resumes before it trains on."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    interrupt_after_epoch_1(model1, tiny_settings, monkeypatch, "fp32")
    monkeypatch.setattr(cost, "PROBES", {})  # a new session: only the checkpoint knows the step cost
    monkeypatch.setattr(precision, "probe", lambda *args, **kwargs: pytest.fail("probed again"))
    lock = stored_path(model1, tiny_settings).with_suffix(".lock")
    say, _, released = held_until_said(lock)
    lines: list[str] = []

    def progress(line: str) -> None:
        lines.append(line)
        if line.startswith(f"{lock}: "):  # the other process gives up: it releases the lock, storing nothing
            say(line)

    settings = dataclasses.replace(tiny_settings, session="the next session", progress=progress,
                                   budget_seconds=budget)
    work = rf"1 run\(s\) of (at most|up to) {EPOCHS} epochs, seed 0 resuming from epoch 2 in fp32"
    if budget < math.inf:
        monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained over the budget"))
        with pytest.raises(errors.NotRunnable, match=rf"^estimated [\d,.]+ s to train {re.escape(model1.model)} "
                                                     rf"\({work}\) on CPU .*, over the training budget of 1 s"):
            local.measure(model1, settings)
    else:
        local.measure(model1, settings)
        assert re.match(rf"{re.escape(model1.model)}: training {work}, estimated ", lines[1]), lines
        assert epochs_trained(lines) == [2], "resumed the other process's checkpoint"
    assert released.is_set() and lines[0].startswith(f"{lock}: another process holds this run"), lines

def test_a_stored_run_copied_over_another_runs_file_is_set_aside_and_retrained(
        small_ledger: Path, tiny_settings: Settings) -> None:
    """A sound stored run of model 2 copied over model 1's file (its digest and fields right) is another run's, never
    model 1's measurement: set aside as another run's, naming the file it was written as, and model 1 trains."""
    model1, model2 = claim(MODEL1_CLAIMS[1], small_ledger), claim("iot_ml_hw2/accuracy/model2/val", small_ledger)
    path, theirs = stored_path(model1, tiny_settings), stored_path(model2, tiny_settings)
    store.write(theirs, {**stored_run(12.5, True), "session": "an earlier session"}, tiny_settings)
    path.write_bytes(theirs.read_bytes())
    with pytest.warns(UserWarning, match=rf"^{re.escape(str(path))}: another run's stored run \(written as "
                                         rf"{re.escape(theirs.name)}\); set aside as {re.escape(path.name)}\."
                                         r"other-run-1: it is not used$"):
        outcome = local.measure(model1, tiny_settings)
    assert 12.5 not in outcome.values and json.loads(path.read_text())["session"] == "this session"
    assert "12.5" in next(path.parent.glob(f"{path.name}.other-run-*")).read_text(), "set aside, not lost"
    assert local.measure(model2, tiny_settings).values == (12.5,), "model 2's own file is still its run"


def test_a_stored_run_without_the_name_it_was_written_as_is_set_aside_and_retrained(
        small_ledger: Path, tiny_settings: Settings) -> None:
    """A run an older claimbench wrote, with its digest but not the file name it was written under, cannot be told
    to be this file's run: set aside, saying why, and trained again."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    store.write(path, {**stored_run(61.5, True), "session": "an earlier session"}, tiny_settings)
    record = json.loads(path.read_text())
    body = {key: value for key, value in record.items() if key not in (store.DIGEST, store.SIGNATURE, store.STORED_AS)}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    path.write_text(json.dumps({**body, store.DIGEST: hashlib.sha256(canonical).hexdigest(),
                                store.SIGNATURE: signing.sign(canonical)}))
    with pytest.warns(UserWarning, match=rf"^{re.escape(str(path))}: a stored run without its stored_as \(written by "
                                         r"an older claimbench\): it cannot be told to be the run this file name "
                                         rf"keys; set aside as {re.escape(path.name)}\.other-run-"):
        outcome = local.measure(model1, tiny_settings)
    assert 61.5 not in outcome.values and json.loads(path.read_text())[store.STORED_AS] == path.name


def _committed(path: Path) -> None:
    """Rewrite the run stored at ``path`` as a repository would commit one: its content and SHA-256 sound (anyone
    can compute it), its ``SIGNATURE`` gone."""
    record = json.loads(path.read_text())
    body = {key: value for key, value in record.items() if key not in (store.DIGEST, store.SIGNATURE)}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    path.write_text(json.dumps({**body, store.DIGEST: hashlib.sha256(canonical).hexdigest()}))


@pytest.mark.parametrize("how", ["committed", "another key"])
def test_a_stored_run_this_users_key_did_not_sign_is_never_read_as_measured(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """A run whose content and SHA-256 are sound but which this user's signing key did not sign (a ``runs/`` a
    repository commits, however it computed the digest; a run another machine or user trained) would give a
    verdict nobody measured here: it is set aside as unsigned, saying why, and trained again."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    if how == "committed":
        store.write(path, {**stored_run(99.5, True), "session": "the author's"}, tiny_settings)
        _committed(path)
    else:
        with monkeypatch.context() as patch:
            patch.setenv(signing.ENV, "another machine's key")
            store.write(path, {**stored_run(99.5, True), "session": "the author's"}, tiny_settings)
    with pytest.warns(UserWarning, match=rf"^{re.escape(str(path))}: a stored run not signed with this user's "
                                         rf"signing key \(CLAIMBENCH_STORE_KEY, else \S+/claimbench/store-key\): "
                                         r"another user's or machine's, a repository's, or an older claimbench's, so "
                                         rf"not measured here; set aside as {re.escape(path.name)}\.unsigned-1: "
                                         r"it is not used$"):
        outcome = local.measure(model1, tiny_settings)
    assert 99.5 not in outcome.values and json.loads(path.read_text())["session"] == "this session"
    assert "99.5" in path.with_name(f"{path.name}.unsigned-1").read_text(), "set aside, not lost"
    assert local.measure(model1, tiny_settings).values == outcome.values, "the run it trained is signed: read"


def test_the_key_file_is_made_once_for_the_user_alone_and_the_environment_overrides_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first signature creates ``$XDG_STATE_HOME/claimbench/store-key``, mode 0600, and later ones reuse it;
    ``CLAIMBENCH_STORE_KEY`` signs instead where set; a key that cannot be made is one line naming the file."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    key_file = tmp_path / "state" / "claimbench" / "store-key"
    first = signing.sign(b"run")
    assert key_file.stat().st_mode & 0o777 == 0o600 and len(key_file.read_text().strip()) == 64
    assert signing.signed(b"run", first) and not signing.signed(b"another run", first)
    monkeypatch.setenv(signing.ENV, "a CI secret")
    assert not signing.signed(b"run", first) and signing.sign(b"run") != first
    monkeypatch.delenv(signing.ENV)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "a file"))
    (tmp_path / "a file").write_text("")
    with pytest.raises(errors.MeasurementError, match=rf"^{re.escape(str(tmp_path))}/a file/claimbench/store-key: "
                                                      r"cannot read or create the signing key \(Not a directory\)"
                                                      r"; remove a damaged file there, make its folder writable, or "
                                                      r"set CLAIMBENCH_STORE_KEY$"):
        signing.sign(b"run")


def test_a_checkpoint_this_users_key_did_not_sign_is_set_aside_not_resumed(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkpoint of this very run left by another machine (its key signed its note), as a repository might
    commit one, would resume epochs nobody trained here: it is set aside as unsigned and the run trains from
    epoch 1."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    with monkeypatch.context() as patch:
        patch.setenv(signing.ENV, "another machine's key")
        interrupt_after_epoch_1(model1, tiny_settings, monkeypatch, "fp32")
    checkpoint = path.with_suffix(".ckpt")
    train_images = len(splits.load(model1, model1.recipe, 0, tiny_settings).train)
    assert store.resumable(path, model1, 0, tiny_settings, train_images) is None
    with monkeypatch.context() as patch:
        patch.setenv(signing.ENV, "another machine's key")
        assert store.resumable(path, model1, 0, tiny_settings, train_images) is not None, "its own key resumes it"
    lines: list[str] = []
    with pytest.warns(UserWarning, match=rf"^{re.escape(str(checkpoint))}: a checkpoint not signed with this user's "
                                         r"signing key .*; set aside as \S+\.ckpt\.unsigned-1: training from "
                                         r"epoch 1$"):
        local.measure(model1, dataclasses.replace(tiny_settings, session="the next session", progress=lines.append))
    assert epochs_trained(lines) == [1, 2] and path.with_name(f"{checkpoint.name}.unsigned-1").exists()


def test_a_checkpoint_copied_over_another_runs_is_set_aside_as_another_runs(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkpoint of model 2, signed with this user's key, copied over model 1's is not unsigned but another run's:
    set aside as such, as a stored run copied so is, naming the run it was written for, and model 1 trains from
    epoch 1."""
    model1, model2 = claim(MODEL1_CLAIMS[1], small_ledger), claim("iot_ml_hw2/accuracy/model2/val", small_ledger)
    path, theirs = stored_path(model1, tiny_settings), stored_path(model2, tiny_settings)
    interrupt_after_epoch_1(model2, tiny_settings, monkeypatch, "fp32")
    checkpoint = path.with_suffix(".ckpt")
    checkpoint.write_bytes(theirs.with_suffix(".ckpt").read_bytes())
    lines: list[str] = []
    with pytest.warns(UserWarning, match=rf"^{re.escape(str(checkpoint))}: another run's checkpoint \(written as "
                                         rf"{re.escape(theirs.name)}\); set aside as {re.escape(checkpoint.name)}\."
                                         r"other-run-1: training from epoch 1$"):
        local.measure(model1, dataclasses.replace(tiny_settings, session="the next session", progress=lines.append))
    assert epochs_trained(lines) == [1, 2] and not list(path.parent.glob("*.unsigned-*"))


def test_a_finished_runs_leftover_checkpoint_and_temporary_files_are_removed_when_it_is_read(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed as its record was renamed into place leaves its checkpoint and a temporary file; the next session
    reads the stored run (finished) and removes both, which no later write would."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    interrupt_after_epoch_1(model1, tiny_settings, monkeypatch, "fp32")
    checkpoint = path.with_suffix(".ckpt")
    left = checkpoint.read_bytes()
    store.write(path, {**stored_run(61.5, True), "session": "an earlier session"}, tiny_settings)
    checkpoint.write_bytes(left)
    temporary = path.with_name(f".claimbench-{path.with_suffix('.session').name}.host.1.abc.tmp")
    temporary.write_bytes(b"half a marker")
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained again"))
    lines: list[str] = []
    assert local.measure(model1, dataclasses.replace(tiny_settings, progress=lines.append)).values == (61.5,)
    assert not checkpoint.exists() and not temporary.exists() and path.exists() and not lines


def test_a_plain_run_beside_an_unfinished_retrain_says_so_and_reuses_the_stored_run(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``--claims-retrain`` interrupted after epoch 1 leaves its checkpoint beside the run it retrains: a plain run
    reuses the stored run (the author's verdict stands on it), keeps the checkpoint, and says in one line that the
    retrain is unfinished and where ``--claims-retrain`` carries it on."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    earlier = dataclasses.replace(tiny_settings, session="an earlier session")
    store.write(path, {**stored_run(61.5, True), "session": earlier.session}, earlier)
    interrupt_after_epoch_1(model1, dataclasses.replace(tiny_settings, retrain=True), monkeypatch, "fp32")
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained again"))
    lines: list[str] = []
    assert local.measure(model1, dataclasses.replace(tiny_settings, progress=lines.append)).values == (61.5,)
    assert lines == [f"{model1.model}: a --claims-retrain of this run is unfinished ({path.with_suffix('.ckpt')} "
                     f"holds epoch 1 of {model1.recipe.epochs}); the stored run is used: --claims-retrain carries the "
                     "retrain on from epoch 2"]
    assert path.with_suffix(".ckpt").exists()


@pytest.mark.parametrize("retrain", [False, True], ids=["plain", "retrain"])
def test_an_interrupted_run_says_its_checkpoint_is_kept_and_where_the_next_run_resumes(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch, retrain: bool) -> None:
    """A Ctrl-C in training says, in one line after the epochs', that the last finished epoch's checkpoint is kept
    and from which epoch the next run (a retrain's: the next retrain) resumes it."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    checkpoint = stored_path(model1, tiny_settings).with_suffix(".ckpt")
    lines: list[str] = []

    def stop(line: str) -> None:
        lines.append(line)
        if re.match(r"\S+(?: seed \d+ \(\d+ of \d+\))? epoch 2/", line):
            raise KeyboardInterrupt

    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(precision, "probe", probe_choosing("fp32", []))
    with pytest.raises(KeyboardInterrupt):
        local.measure(model1, dataclasses.replace(tiny_settings, progress=stop, retrain=retrain))
    nxt = "next --claims-retrain" if retrain else "next run"
    assert lines[-1] == (f"{model1.model}: interrupted; the checkpoint of its last finished epoch, 1 of "
                         f"{model1.recipe.epochs}, is kept ({checkpoint}): the {nxt} resumes from epoch 2")


@pytest.mark.parametrize("corrupt", ['{"session": ', '["a list"]', '{"session": 1, "reason": "r"}'])
def test_a_corrupt_failure_record_is_set_aside_and_a_good_stored_run_wins(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch, corrupt: str) -> None:
    """A ``.failed`` beside a run (a cluster's record of its failure) that cannot be read is never the claim's
    error: beside a good stored run it is not read at all, and without one (here a retrain's) it is set aside
    with a warning naming it and the run trains."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    failed = path.with_suffix(".failed")
    earlier = dataclasses.replace(tiny_settings, session="an earlier session")
    store.write(path, {**stored_run(61.5, True), "session": earlier.session}, earlier)
    failed.write_text(corrupt)
    with monkeypatch.context() as patch, warnings.catch_warnings():
        warnings.simplefilter("error")
        patch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained again"))
        assert local.measure(model1, tiny_settings).values == (61.5,)
    warning = rf"^{failed}: corrupt record of a failed run \(.*\); set aside as {failed.name}\.corrupt-1"
    with pytest.warns(UserWarning, match=warning):
        outcome = local.measure(model1, dataclasses.replace(tiny_settings, retrain=True))
    assert outcome.values != (61.5,) and json.loads(path.read_text())["session"] == "this session"
    assert not failed.exists() and len(list(path.parent.glob(f"{failed.name}.corrupt-*"))) == 1


def test_a_failure_recorded_beside_a_good_stored_run_does_not_fail_its_claim(small_ledger: Path,
                                                                             tiny_settings: Settings) -> None:
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    store.write(path, stored_run(61.5, True), tiny_settings)
    store.write_failure(path, "a failure of this session", tiny_settings)
    assert local.measure(model1, tiny_settings).values == (61.5,)
    path.unlink()
    with pytest.raises(errors.MeasurementError, match="^a failure of this session$"):
        local.measure(model1, tiny_settings)


def test_corrupt_checkpoint_is_set_aside_and_the_run_starts_afresh(small_ledger: Path,
                                                                   tiny_settings: Settings) -> None:
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    checkpoint = stored_path(model1, tiny_settings).with_suffix(".ckpt")
    checkpoint.parent.mkdir(parents=True)
    checkpoint.write_bytes(b"\x00 half a checkpoint")
    with pytest.warns(UserWarning, match=rf"^{checkpoint}: corrupt checkpoint .*set aside as {checkpoint.name}"):
        outcome = local.measure(model1, tiny_settings)
    assert len(outcome.values) == 1 and not checkpoint.exists()
    assert list(checkpoint.parent.glob(f"{checkpoint.name}.corrupt-*"))


def test_checkpoint_of_another_run_is_set_aside_and_the_run_starts_afresh(small_ledger: Path,
                                                                          tiny_settings: Settings) -> None:
    """One that is truly of another run (an older claimbench, a file copied in): set aside under a name that says
    so, not as corrupt, with one course of action in its message; never the claim's error."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    checkpoint = stored_path(model1, tiny_settings).with_suffix(".ckpt")
    checkpoint.parent.mkdir(parents=True)
    torch.save({"fingerprint": {"model": model1.model, "seed": 3, "precision": "elsewhere"}}, checkpoint)
    aside = rf"{checkpoint.name}\.other-run-1"
    with pytest.warns(UserWarning, match=rf"^{checkpoint}: checkpoint of another run \({model1.model}, seed 3; its "
                                         rf"recipe, seed, device, train_size, precision differ\); set aside as "
                                         rf"{aside}: training from epoch 1$"):
        outcome = local.measure(model1, tiny_settings)
    assert len(outcome.values) == 1 and not checkpoint.exists()
    assert len(list(checkpoint.parent.glob(f"{checkpoint.name}.other-run-*"))) == 1
    assert not list(checkpoint.parent.glob("*.corrupt-*"))


class Interrupted(Exception):
    """Stands for a Ctrl-C."""


STEP_SECONDS = 5.0
"""The training step the tests' probes report: large and exact, so that estimates are known numbers."""


def probe_choosing(chosen: str, calls: list[str], fastest_threads: int = 1) -> Callable[..., precision.Probe]:
    """``precision.probe`` choosing ``chosen`` where asked to choose, and ``fastest_threads`` where given no thread
    count, whatever it would measure; each call's precision asked goes to ``calls``."""
    def probe(build: Callable[[], torch.nn.Module], train_set: data.Dataset, recipe: ledger.Recipe, *, device: str,
              asked: str, threads: int | None = None, name: str | None = None) -> precision.Probe:
        calls.append(asked)
        picked = chosen if asked == "auto" else asked
        return precision.Probe(asked=asked, chosen=picked,
                               cost=train.StepCost(STEP_SECONDS, 0.0, threads or fastest_threads),
                               step_seconds={"fp32": STEP_SECONDS * {"fp32": 1, "bf16": 1.5}[chosen],
                                             "bf16": STEP_SECONDS})
    return probe


def interrupt_after_epoch_1(claim_: ledger.Claim, settings: Settings, monkeypatch: pytest.MonkeyPatch,
                            chosen: str, threads: int = 1) -> dict[str, Any]:
    """Train the claim's run of seed 0 in a session (a process: its own probes) whose probe chooses ``chosen``, and
    stop it when it reports epoch 2, as a Ctrl-C then would; epoch 1's checkpoint is left, and returned."""
    def stop(line: str) -> None:
        if re.match(r"\S+(?: seed \d+ \(\d+ of \d+\))? epoch 2/", line):
            raise Interrupted(line)

    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(precision, "probe", probe_choosing(chosen, [], threads))
    with pytest.raises(Interrupted):
        local.measure(claim_, dataclasses.replace(settings, progress=stop))
    checkpoint = stored_path(claim_, settings).with_suffix(".ckpt")
    return torch.load(checkpoint, weights_only=True)


def epochs_trained(lines: list[str]) -> list[int]:
    return [int(found[1]) for line in lines if (found := re.match(r"\S+(?: seed \d+ \(\d+ of \d+\))? epoch (\d+)/", line))]


def test_interrupted_run_resumes_in_the_precision_it_began_with(small_ledger: Path, tiny_settings: Settings,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """``auto`` chose bf16 in the session that was interrupted and would choose fp32 in the next: that session
    resumes the checkpoint at epoch 2 in bf16, on its thread count, without timing again, and sets nothing aside."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    left = interrupt_after_epoch_1(model1, tiny_settings, monkeypatch, "bf16")
    probed: list[str] = []
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(precision, "probe", probe_choosing("fp32", probed))
    lines: list[str] = []
    local.measure(model1, dataclasses.replace(tiny_settings, session="the next session", progress=lines.append))
    assert not list(path.parent.glob(f"{path.name[:-5]}.ckpt.*")), "nothing set aside"
    record = json.loads(path.read_text())
    assert epochs_trained(lines) == [2] and record["history"]["epochs"][0] == left["history"]["epochs"][0]
    assert probed == [], "no probe: the checkpoint says how the run began"
    assert record["precision"] == {"asked": "auto", "chosen": "bf16", "decided": "measured",
                                   "step_seconds": {"fp32": STEP_SECONDS * 1.5, "bf16": STEP_SECONDS}}
    assert record["accel"]["autocast"] == "bfloat16" and record["threads"] == 1
    estimate = (r"iot_ml_hw2.model1: training 1 run\(s\) of up to 2 epochs, seed 0 resuming from epoch 2 in bf16, "
                r"estimated \S+ \(5e\+03 ms/step, 1 thread\(s\), bf16\)$")
    assert any(re.match(estimate, line) for line in lines), lines


def test_a_resumed_runs_wall_seconds_count_every_session(small_ledger: Path, tiny_settings: Settings,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The session killed in epoch 2 spent 1000 s (a clock that jumps as epoch 1 ends) before its checkpoint: the
    record of the run its resumption finishes counts them, not only the resuming session's seconds."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    shift, real = [0.0], time.perf_counter
    monkeypatch.setattr(time, "perf_counter", lambda: real() + shift[0])

    def jump_then_stop(line: str) -> None:
        if re.match(r"\S+ epoch 1/", line):
            shift[0] += 1000.0
        if re.match(r"\S+ epoch 2/", line):
            raise Interrupted(line)

    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(precision, "probe", probe_choosing("fp32", []))
    with pytest.raises(Interrupted):
        local.measure(model1, dataclasses.replace(tiny_settings, progress=jump_then_stop))
    lines: list[str] = []
    outcome = local.measure(model1, dataclasses.replace(tiny_settings, session="the next session",
                                                        progress=lines.append))
    record = json.loads(outcome.results[0].read_text())
    assert epochs_trained(lines) == [2]
    assert record["wall_seconds"] > 1000 + sum(epoch["seconds"] for epoch in record["history"]["epochs"][1:])


def test_a_run_resumed_on_fewer_threads_says_so(small_ledger: Path, tiny_settings: Settings,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A run begun on 2 threads and resumed in a process of 1 (a pytest-xdist worker's share) trains on 1, never
    oversubscribing the CPU; its weights then differ from an uninterrupted run's, and its record and device say so."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    interrupt_after_epoch_1(model1, tiny_settings, monkeypatch, "fp32", threads=2)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 1)
    outcome = local.measure(model1, dataclasses.replace(tiny_settings, session="the next session"))
    record = json.loads(outcome.results[0].read_text())
    assert (record["threads"], record["began_with_threads"]) == (1, 2)
    assert outcome.device.endswith("(1 thread), fp32 (auto: measured), resumed on fewer threads than the 2 it began "
                                   "with"), outcome.device


def test_seeds_trained_in_two_precisions_name_both_devices(small_ledger: Path, tiny_settings: Settings,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 0 resumes in the bf16 it began with while seed 1 starts, on a machine with other features (so the
    first session's choice does not hold), in the fp32 today's probe chose: the claim's device names both, never
    the first seed's alone."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    two = dataclasses.replace(tiny_settings, seeds=2)
    interrupt_after_epoch_1(model1, two, monkeypatch, "bf16")
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(precision, "probe", probe_choosing("fp32", []))
    monkeypatch.setattr(environment, "device_features", lambda device: "another machine's")
    outcome = local.measure(model1, dataclasses.replace(two, session="the next session"))
    chosen = [json.loads(path.read_text())["precision"]["chosen"] for path in outcome.results]
    assert chosen == ["bf16", "fp32"]
    assert outcome.device.count(" + ") == 1
    assert outcome.device.split(" + ")[0].endswith(", bfloat16 autocast (auto: measured)"), outcome.device
    assert outcome.device.split(" + ")[1].endswith(", fp32 (auto: measured)"), outcome.device
    groups = _devices_row([outcome.device, "meta", "meta"]).split("; ")
    assert len(groups) == 2 and all(re.search(r": \d+ claims?$", group) for group in groups), groups


def _devices_row(devices: list[str]) -> str:
    """The report's devices cell of claims measured one on each of ``devices``: its groups, one per device (or set
    of devices a claim's seeds ran on), each with its count of claims."""
    records = [{"id": str(n), "report": "r", "kind": "accuracy", "cell": None, "verdict": "reproduced",
                "unverified_data": False, "device": device} for n, device in enumerate(devices)]
    line = next(line for line in report.render_markdown(records, [], {}).splitlines() if line.startswith("| devices "))
    return re.split(r"(?<!\\)\|", line)[2].strip()


def test_a_later_session_trains_in_the_precision_the_first_chose(small_ledger: Path, tiny_settings: Settings,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 0 resumes in the bf16 its session chose; seed 1 starts in a later session on the same machine whose own
    probe would choose fp32 (a loaded machine's timings near 1.2x): it times bf16 alone and trains in it, and its
    record and the claim's device say the choice was reused, and when it was measured."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    two = dataclasses.replace(tiny_settings, seeds=2)
    interrupt_after_epoch_1(model1, two, monkeypatch, "bf16")
    monkeypatch.setattr(cost, "PROBES", {})
    probed: list[str] = []
    monkeypatch.setattr(precision, "probe", probe_choosing("fp32", probed))
    outcome = local.measure(model1, dataclasses.replace(two, session="the next session"))
    records = [json.loads(path.read_text())["precision"] for path in outcome.results]
    assert probed == ["bf16"] and [record["chosen"] for record in records] == ["bf16", "bf16"]
    assert [record["decided"] for record in records] == ["measured", "reused"]
    measured = records[1]["decision"]["date"]
    assert records[1]["decision"] == {"chosen": "bf16", "date": measured,
                                      "step_seconds": {"fp32": STEP_SECONDS * 1.5, "bf16": STEP_SECONDS}}
    assert outcome.device.split(" + ")[1].endswith(f", bfloat16 autocast (auto: reused, measured {measured})")


def test_budget_counts_only_the_epochs_a_checkpoint_leaves(small_ledger: Path, tiny_settings: Settings,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A run interrupted after epoch 1 of 2 is estimated at its one epoch left, at the step cost it began with: it
    trains within a budget that its two epochs would exceed, and a skip says that it would resume."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    interrupt_after_epoch_1(model1, tiny_settings, monkeypatch, "fp32")
    sets = splits.load(model1, model1.recipe, 0, tiny_settings)
    whole = cost.estimate_seconds(train.StepCost(STEP_SECONDS, 0.0, 1), model1.recipe, len(sets.train),
                                  splits.eval_sizes(sets))  # evaluation is free: each epoch costs the same
    left = whole * (EPOCHS - 1) / EPOCHS
    monkeypatch.setattr(cost, "PROBES", {})  # a new session: only the checkpoint knows the step cost
    monkeypatch.setattr(precision, "probe", lambda *args, **kwargs: pytest.fail("probed again"))
    with pytest.raises(errors.NotRunnable, match=rf"^estimated {left:,.0f} s to train iot_ml_hw2.model1 \(1 run\(s\) "
                                                 rf"of at most {EPOCHS} epochs, seed 0 resuming from epoch 2 in fp32\) "
                                                 rf"on CPU .*, over the training budget of {left / 2:,.0f} s"):
        local.measure(model1, dataclasses.replace(tiny_settings, budget_seconds=left / 2))
    outcome = local.measure(model1, dataclasses.replace(tiny_settings, budget_seconds=(left + whole) / 2))
    assert len(outcome.values) == 1


def flip_a_weight_bit(checkpoint: Path) -> None:
    """Flip one bit in the middle of the first tensor a checkpoint stores (its model's first weight), the file
    still readable: a disk's or a copy's error, which ``torch.load`` does not notice."""
    with zipfile.ZipFile(checkpoint) as archive:
        member = next(info for info in archive.infolist() if info.filename.endswith("/data/0"))
    raw = bytearray(checkpoint.read_bytes())
    names = struct.unpack("<HH", raw[member.header_offset + 26:member.header_offset + 30])
    raw[member.header_offset + 30 + sum(names) + member.file_size // 2] ^= 0x40
    checkpoint.write_bytes(bytes(raw))


def test_a_checkpoint_altered_since_it_was_saved_is_set_aside_and_the_run_starts_over(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bit flipped in a checkpoint's weights is not resumed (that run would end with other weights than its
    uninterrupted run's): the checkpoint is set aside as corrupt, and the run trains from epoch 1 to the weights of
    a run never interrupted."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    left = interrupt_after_epoch_1(model1, tiny_settings, monkeypatch, "fp32")
    checkpoint = stored_path(model1, tiny_settings).with_suffix(".ckpt")
    flip_a_weight_bit(checkpoint)
    first = next(iter(left["model"]))
    assert not torch.equal(torch.load(checkpoint, weights_only=True)["model"][first], left["model"][first])
    lines: list[str] = []
    aside = rf"{checkpoint.name}\.corrupt-1"
    with pytest.warns(UserWarning, match=rf"^{checkpoint}: corrupt checkpoint \(ValueError: its content does not "
                                         rf"match its sha256\); set aside as {aside}: training from epoch 1$"):
        resumed = local.measure(model1, dataclasses.replace(tiny_settings, session="the next session",
                                                            progress=lines.append))
    assert epochs_trained(lines) == [1, 2] and len(list(checkpoint.parent.glob(f"{checkpoint.name}.corrupt-*"))) == 1
    whole = local.measure(model1, dataclasses.replace(tiny_settings, results_dir=tiny_settings.results_dir.with_name(
        "never interrupted")))
    assert len({json.loads(outcome.results[0].read_text())["weights_sha256"] for outcome in (resumed, whole)}) == 1


@pytest.mark.parametrize(("begun_by", "record_since", "resumed"), [
    ("retrain", "unchanged", True), ("retrain", "replaced", False), ("plain session", "unchanged", False)])
def test_retrain_resumes_only_a_retrain_of_the_run_stored_now(small_ledger: Path, tiny_settings: Settings,
                                                              monkeypatch: pytest.MonkeyPatch, begun_by: str,
                                                              record_since: str, resumed: bool) -> None:
    """An interrupted ``--claims-retrain`` is resumed by the next retrain, as long as the stored run it is
    replacing is still the one stored; any other checkpoint is removed (not set aside) and the retrain starts
    from epoch 1."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    path.parent.mkdir(parents=True)
    retrain = dataclasses.replace(tiny_settings, retrain=True)
    if begun_by == "retrain":
        path.write_text('{"stands for": "the run an earlier session stored"}')
    interrupt_after_epoch_1(model1, retrain if begun_by == "retrain" else tiny_settings, monkeypatch, "fp32")
    if begun_by != "retrain" or record_since == "replaced":
        path.write_text('{"stands for": "a run stored since"}')
    lines: list[str] = []
    local.measure(model1, dataclasses.replace(retrain, session="the next retrain", progress=lines.append))
    assert epochs_trained(lines) == ([2] if resumed else [1, 2])
    assert json.loads(path.read_text())["session"] == "the next retrain"
    assert not list(path.parent.glob(f"{path.name[:-5]}.ckpt*")), "nothing set aside or left behind"


@pytest.mark.parametrize(("begun_by", "epochs"), [("the interrupted retrain", [2]), ("", [1, 2, 2])])
def test_a_retrain_carrying_on_an_interrupted_one_keeps_the_runs_it_stored(
        small_ledger: Path, tiny_settings: Settings, begun_by: str, epochs: list[int]) -> None:
    """A retrain stopped in seed 1's second epoch had stored seed 0: the next retrain carrying it on (the run store's
    record of it, ``claimbench.runs.retrains``) reads seed 0 as its own and resumes seed 1; one that begins anew
    trains seed 0 again."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    interrupted = dataclasses.replace(tiny_settings, retrain=True, seeds=2, session="the interrupted retrain")
    begun: list[str] = []

    def stop(line: str) -> None:
        begun.extend(re.findall(r"\S+(?: seed \d+ \(\d+ of \d+\))? epoch 2/", line))
        if len(begun) == 2:
            raise Interrupted(line)

    with pytest.raises(Interrupted):
        local.measure(model1, dataclasses.replace(interrupted, progress=stop))
    lines: list[str] = []
    outcome = local.measure(model1, dataclasses.replace(interrupted, session="the next retrain",
                                                        retrain_begun_by=begun_by, progress=lines.append))
    assert epochs_trained(lines) == epochs
    sessions = [json.loads(path.read_text())["session"] for path in outcome.results]
    assert sessions == [begun_by or "the next retrain", "the next retrain"]


def test_retrain_sets_nothing_aside_and_removes_a_checkpoint_it_does_not_resume(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    path.parent.mkdir(parents=True)
    path.write_text("not json")
    path.with_suffix(".ckpt").write_text("not a checkpoint")
    settings = dataclasses.replace(tiny_settings, retrain=True)
    local.measure(model1, settings)  # no warning: pytest's filter turns none into a failure, so check the files
    assert not list(path.parent.glob("*.corrupt-*")) and json.loads(path.read_text())["session"] == "this session"
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained again"))
    local.measure(claim(MODEL1_CLAIMS[0], small_ledger), settings)  # the same session reuses what it trained


def test_store_key_holds_the_data_its_verification_and_the_precision(small_ledger: Path, tiny_settings: Settings
                                                               ) -> None:
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    identity = splits.load(model1, model1.recipe, 0, tiny_settings).identity
    assert identity["verified"] is False and len(identity["train"]) == len(identity["test"]) == 64
    paths = {store.path_for(model1, model1.recipe, 0, tiny_settings, other) for other in (
        identity, {**identity, "verified": True}, {**identity, "train": "0" * 64})}
    assert len(paths) == 3, "other or unverified data is another run"
    precisions = {store.path_for(model1, model1.recipe, 0, dataclasses.replace(tiny_settings, precision=asked),
                                   identity) for asked in ("auto", "fp32", "bf16")}
    assert len(precisions) == 3, "a run trained in another precision is another run"


NET = """
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, {width})

    def forward(self, x):
        return {forward}


def _initialise(model):
    {init}
    return model


def build():
    return _initialise(Net())
"""


def test_an_edited_model_is_another_run(small_ledger: Path, tiny_settings: Settings, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A stored run answers only for the model that trained it: another layer size, another forward or another
    initialisation in a helper the builder calls is another run; the same code under another module is the same
    architecture."""
    monkeypatch.syspath_prepend(str(tmp_path))
    nets = {"net_a": (3, "self.fc(x)", "pass"), "net_wider": (5, "self.fc(x)", "pass"),
            "net_relu": (3, "torch.relu(self.fc(x))", "pass"), "net_same": (3, "self.fc(x)", "pass"),
            "net_zeroed": (3, "self.fc(x)", "torch.nn.init.zeros_(model.fc.weight)")}
    for module, (width, forward, init) in nets.items():
        (tmp_path / f"{module}.py").write_text(NET.format(width=width, forward=forward, init=init))
    digests = {module: store.architecture(f"{module}:build") for module in nets}
    assert digests["net_a"] == digests["net_same"]
    assert len({digests[module] for module in nets if module != "net_same"}) == 4
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    identity = splits.load(model1, model1.recipe, 0, tiny_settings).identity
    paths = set()
    for module in ("net_a", "net_wider"):  # the model's own code edited between two sessions
        monkeypatch.setattr(store, "architecture", lambda reference, module=module: digests[module])
        paths.add(store.path_for(model1, model1.recipe, 0, tiny_settings, identity))
    assert len(paths) == 2


def test_cost_estimate_failure_is_a_measurement_error(small_ledger: Path, tiny_settings: Settings,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure of no author's code (a Mock's, from the standard library, stands for torch's) is its first line."""
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(train, "step_costs", mock.Mock(side_effect=RuntimeError("out of memory\nmore lines")))
    with pytest.raises(errors.MeasurementError,
                       match=r"^cost estimate failed: iot_ml_hw2.model1: RuntimeError: out of memory$"):
        local.measure(claim(MODEL1_CLAIMS[1], small_ledger), tiny_settings)


class _Unrouted(torch.nn.Module):
    """A model whose forward raises in its author's code (this file), as an author's bug does."""

    def __init__(self) -> None:
        super().__init__()
        self.head = torch.nn.Linear(3 * 32 * 32, 10)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        raise RuntimeError("no route for this batch")


def test_a_models_crash_in_the_cost_estimate_names_the_authors_line(small_ledger: Path, tiny_settings: Settings,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A forward that raises while the cost estimate times its steps gave the error and no place: the reason now
    points at the author's line, as other crashes of an author's model do (``errors.in_one_line``)."""
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(registry, "get_model", lambda name, **overrides: _Unrouted())
    line = inspect.getsourcelines(_Unrouted.forward)[1] + 1
    message = (r"^cost estimate failed: iot_ml_hw2\.model1: RuntimeError: no route for this batch "
               rf"\(at \S*test_train_claims\.py:{line}: `raise RuntimeError\(\"no route for this batch\"\)`\)$")
    with pytest.raises(errors.MeasurementError, match=message):
        local.measure(claim(MODEL1_CLAIMS[1], small_ledger), tiny_settings)


def test_a_model_with_fewer_outputs_than_classes_is_one_line_before_any_step(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 4-way head on a 10-class dataset: the claim's error names the model, its outputs and the classes, not
    "IndexError: Target 9 is out of bounds" twenty frames inside the cost estimate."""
    build = registry.get_model
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(registry, "get_model", lambda name, **overrides: build(name, num_classes=4, **overrides))
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    batch = min(model1.recipe.batch_size, TRAIN_IMAGES)  # the check forwards a batch, as a step does
    message = (rf"^iot_ml_hw2\.model1: outputs \({batch}, 4\) for {batch} image\(s\), but the data has 10 classes: "
               rf"training needs a logit for each, \({batch}, 10\) or wider$")
    with pytest.raises(errors.MeasurementError, match=message):
        local.measure(model1, tiny_settings)


def test_a_model_that_returns_probabilities_is_one_line_of_ours_before_any_step(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A builder ending in ``nn.Softmax`` (a literal port of Keras' softmax head) trained a loss that never nears 0,
    so a correct loss claim was refuted: now the claim's error says that the model returns probabilities and that
    the builder's final softmax must go."""
    build = registry.get_model
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(registry, "get_model",
                        lambda name, **overrides: torch.nn.Sequential(build(name, **overrides), torch.nn.Softmax(1)))
    message = r"^iot_ml_hw2\.model1: returns probabilities \(.*\): remove the final softmax from the model's builder$"
    with pytest.raises(errors.MeasurementError, match=message):
        local.measure(claim(MODEL1_CLAIMS[1], small_ledger), tiny_settings)


def _no_flock(*args: object) -> None:
    raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))


UNUSABLE_LOCKS = {"folder": (lambda lock: lock.mkdir(parents=True), "Is a directory"),
                  "fifo": (lambda lock: os.mkfifo(lock), "not a regular file"),
                  "no flock": (lambda lock: None, os.strerror(errno.ENOLCK))}
"""What makes a run's lock unusable, and what the error says of it."""


@pytest.mark.parametrize("unusable", UNUSABLE_LOCKS, ids=UNUSABLE_LOCKS)
def test_an_unusable_run_lock_is_a_one_line_error_naming_it(small_ledger: Path, tiny_settings: Settings,
                                                            monkeypatch: pytest.MonkeyPatch, unusable: str) -> None:
    """A run's ``.lock`` that is a folder or a FIFO (to open one for writing waits for a reader), or a file system
    that cannot lock, is an error of ours naming the lock and what to do, before any training: never a
    crash's traceback, a hang, nor a verdict on the author's number."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    lock = stored_path(model1, tiny_settings).with_suffix(".lock")
    lock.parent.mkdir(parents=True)
    make, says = UNUSABLE_LOCKS[unusable]
    make(lock)
    if unusable == "no flock":
        monkeypatch.setattr(store.fcntl, "flock", _no_flock)
    monkeypatch.setattr(train, "train", lambda *args, **kwargs: pytest.fail("trained with no lock"))
    with pytest.raises(errors.MeasurementError) as raised:
        local.measure(model1, tiny_settings)
    assert str(raised.value) == (f"{lock}: cannot lock the training run ({says}); remove what is there (claimbench "
                                 "creates an empty file) or give another --claims-results-dir")


class FullDisk(io.FileIO):
    """A file on a full disk: every write fails with ENOSPC."""

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


UNWRITABLE = ("stored run", "checkpoint", "numerics folder")
"""What a session cannot write: the stored run or epoch 2's checkpoint on a full disk, the folder of numerics
decisions where a file lies."""


@pytest.mark.parametrize("unwritable", UNWRITABLE)
def test_a_run_store_file_that_cannot_be_written_is_a_one_line_error_naming_it(
        small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch, unwritable: str) -> None:
    """A write of the run store that fails is an error of ours naming the file and what to do, never a crash's
    traceback nor a verdict on the author's number; the last checkpoint written is kept, so no epoch is lost."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    path = stored_path(model1, tiny_settings)
    checkpoint = path.with_suffix(".ckpt")
    monkeypatch.setattr(cost, "PROBES", {})  # the numerics decision is read or written
    failing = {"stored run": path, "checkpoint": checkpoint,
               "numerics folder": tiny_settings.results_dir / numerics.FOLDER}[unwritable]
    what, says = "the training run", os.strerror(errno.ENOSPC)
    if unwritable == "numerics folder":
        what, says = "the numerics decision", os.strerror(errno.EEXIST)
        failing.parent.mkdir(parents=True)
        failing.touch()
    else:
        open_file = Path.open

        def full_disk(file: Path, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
            """atomic's temporary file of ``failing``, after epoch 1, opened to write (``write_bytes`` opens it so,
            and the checkpoint streams to it)."""
            if "w" in mode and file.name.startswith(f".claimbench-{failing.name}.") and checkpoint.exists():
                return FullDisk(file, "w")
            return open_file(file, mode, *args, **kwargs)

        monkeypatch.setattr(Path, "open", full_disk)
    with pytest.raises(errors.MeasurementError) as raised:
        local.measure(model1, tiny_settings)
    assert str(raised.value) == (f"{failing}: cannot write {what} ({says}); free space there or remove what is in "
                                 "the way, or give another --claims-results-dir")
    assert not path.exists()
    if unwritable != "numerics folder":
        kept = torch.load(checkpoint, weights_only=True)["history"]["epochs"]
        assert len(kept) == (1 if unwritable == "checkpoint" else EPOCHS)


@pytest.mark.parametrize("claim_id", [MODEL1_CLAIMS[1], "iot_ml_hw2/epoch_time/model1"])
def test_a_recipe_the_training_set_cannot_feed_is_refused_before_any_step_is_timed(
        claim_id: str, small_ledger: Path, tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """``drop_last`` with a batch larger than the training set leaves no batch: refused in a moment, not after the
    probe has timed steps of the whole set."""
    from claimbench import environment, families
    from claimbench.items import NO_BENCHMARK

    monkeypatch.setattr(environment, "_cpu_model", lambda: "AMD EPYC 7B13, x86_64")
    monkeypatch.setattr(timing, "_default_threads", torch.get_num_threads)  # the epochs would have every thread
    monkeypatch.setattr(cost, "PROBES", {})
    monkeypatch.setattr(train, "step_costs", lambda *args, **kwargs: pytest.fail("a step was timed"))
    given = claim(claim_id, small_ledger)
    recipe = dataclasses.replace(given.recipe, drop_last=True, batch_size=TRAIN_IMAGES + 1)
    refused = dataclasses.replace(given, recipe=recipe, hardware="EPYC 7B13" if given.hardware else None)
    with pytest.raises(ValueError, match=rf"^iot_ml_hw2.model1: drop_last with {TRAIN_IMAGES} training images and "
                                         rf"batch size {TRAIN_IMAGES + 1} leaves no batch$"):
        if refused.hardware:
            families.epoch_time(refused, tiny_settings, NO_BENCHMARK)
        else:
            local.measure(refused, tiny_settings)


def test_estimate_is_measured_steps_times_steps() -> None:
    step = train.StepCost(train_seconds=0.5, eval_seconds=0.1, threads=1)
    recipe = dataclasses.replace(claim(MODEL1_CLAIMS[1]).recipe, batch_size=10, epochs=3)
    # 3 epochs of (10 training steps + 5 + 2 evaluation batches), then 10 batches over the training set
    assert cost.estimate_seconds(step, recipe, 100, [50, 11]) == pytest.approx(3 * (10 * 0.5 + 7 * 0.1) + 10 * 0.1)
    assert cost.estimate_seconds(step, dataclasses.replace(recipe, drop_last=True), 95, [], final_train_pass=False) \
        == pytest.approx(3 * 9 * 0.5)
    # a checkpoint holding 2 epochs leaves one, and the final pass
    assert cost.estimate_seconds(step, recipe, 100, [50, 11], epochs_done=2) == pytest.approx(10 * 0.5 + 7 * 0.1 + 1)


# ----------------------------------------------------------------------------- progress under capture

pytest_plugins = ["pytester"]

TINY_TRAINING_TEST = '''
from pathlib import Path

import torch
from torch import nn

from claimbench import data, train
from claimbench.ledger import Recipe


def test_trains(training_settings):
    dataset = data.Dataset(torch.zeros(16, 1, 8, 8, dtype=torch.uint8), torch.arange(16) % 10, verified=True,
                           source=Path("tiny"))
    recipe = Recipe(optimizer="sgd", lr=0.1, batch_size=8, epochs=2, schedule="constant", validation="none",
                    normalize="unit")
    train.train(nn.Sequential(nn.Flatten(), nn.Linear(64, 10)), dataset, dataset, recipe, device="cpu", seed=0,
                name="tiny", on_epoch=training_settings.progress)
'''


@pytest.mark.parametrize("flags, shown", [((), 2), (("-q",), 0), (("-n", "2"), 2)], ids=["default", "-q", "xdist"])
def test_epoch_lines_pass_pytests_capture(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                          flags: tuple[str, ...], shown: int) -> None:
    """Under pytest's default capture, one line per epoch reaches the terminal (from an xdist worker too); -q
    silences them."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makepyfile(test_tiny=TINY_TRAINING_TEST)
    result = pytester.runpytest_subprocess("-p", "no:randomly", f"--claims-dir={IOT_ML}", *flags)
    result.assert_outcomes(passed=1)
    lines = [line for line in result.outlines + result.errlines if line.startswith("tiny epoch ")]
    assert len(lines) == shown, result.outlines + result.errlines
    assert all("  test acc " in line for line in lines)


@pytest.mark.parametrize("flags, least", [((), 3), (("--claims-train-min-seeds=2",), 2)], ids=["ini", "option"])
def test_the_least_seed_count_reaches_the_training_settings(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...], least: int) -> None:
    """``claims_train_min_seeds``, as ``claimbench init`` writes it, or the option over it, is the session's."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makeini("[pytest]\nclaims_train_min_seeds = 3\n")
    pytester.makepyfile(test_least="def test_least(training_settings):\n"
                                   f"    assert training_settings.min_seeds == {least}\n")
    pytester.runpytest_subprocess("-p", "no:randomly", f"--claims-dir={IOT_ML}", *flags).assert_outcomes(passed=1)
