"""From a training claim and the session's options to stored training runs and the claimed statistic.

Loads the data (``claimbench.data``), splits the hold-out the recipe names, estimates the cost and
skips a claim over budget, trains each seed once (``claimbench.train``) into a run store shared by
every claim on the same run, resumes an interrupted run from its checkpoint, and reads the
statistic (``claimbench.metrics``). A stored run is reused unless the session retrains.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import json
import math
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

import models
from claimbench import atomic, data, environment, metrics, train, verdict
from claimbench.ledger import Claim, Recipe
from claimbench.measure import macs

__all__ = [
    "CPU_BUDGET_SECONDS",
    "TIMING_ROUNDS",
    "EpochTime",
    "Outcome",
    "Settings",
    "device_flops",
    "estimate_seconds",
    "machine_info",
    "measure",
    "time_epoch",
    "worker_device",
]

CPU_BUDGET_SECONDS = 600.0
"""The training budget per claim on the CPU when ``--train-budget`` is not given (CUDA: none)."""
TIMING_ROUNDS = 3
"""Timed epochs per timing claim, after one warm-up epoch."""
_CALIBRATION_SECONDS = 1.0
_REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """The training options of one pytest session (the ``training_settings`` fixture builds it)."""

    device: str
    seeds: int = 1
    data_root: Path | None = None
    budget_seconds: float | None = None
    retrain: bool = False
    results_dir: Path = Path("runs")
    allow_unverified: bool = False
    download: bool = False
    compile: bool = False
    session: str = ""
    progress: bool = True

    @property
    def budget(self) -> float:
        """Seconds a claim may cost: ``budget_seconds``, else none on CUDA and 600 s on the CPU."""
        if self.budget_seconds is not None:
            return self.budget_seconds
        return math.inf if torch.device(self.device).type == "cuda" else CPU_BUDGET_SECONDS


@dataclass(frozen=True)
class Outcome:
    """A claim's statistic over the seeds: their mean, each value, the 95% half-width, where it ran."""

    mean: float
    values: tuple[float, ...]
    spread: float
    device: str
    verified: bool
    estimate_seconds: float
    results: tuple[Path, ...]


@dataclass(frozen=True)
class EpochTime:
    """Seconds per training epoch (median of the timed rounds); ``incomparable`` says why the claim's
    hardware differs from ours, or is None when it is the same."""

    seconds: float
    rounds: tuple[float, ...]
    device: str
    incomparable: str | None


def worker_device(device: str, worker: str | None) -> str:
    """Under pytest-xdist, worker ``gwN`` takes CUDA device N modulo the number of devices."""
    if worker is None or device != "cuda" or torch.cuda.device_count() < 2:
        return device
    return f"cuda:{int(worker.removeprefix('gw')) % torch.cuda.device_count()}"


def machine_info(device: str) -> dict[str, str]:
    """torch, the training device and, on CUDA, the driver: for pytest-benchmark's machine info."""
    info = {"torch": torch.__version__}
    if torch.device(device).type == "cuda" and not torch.cuda.is_available():
        return {**info, "train_device": f"{device} (not available)"}
    info["train_device"] = environment.device_name(device)
    if torch.device(device).type == "cuda":
        try:
            query = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                                   capture_output=True, text=True, check=True)
            info["cuda_driver"] = query.stdout.split()[0]
        except (OSError, subprocess.CalledProcessError, IndexError):
            info["cuda_driver"] = "unknown"
        info["cuda_runtime"] = str(torch.version.cuda)
    return info


# ----------------------------------------------------------------------------- data and cost


def _usable(device: str) -> str:
    """The device, or ``verdict.NotRunnable`` saying how to train without it."""
    if torch.device(device).type == "cuda" and not torch.cuda.is_available():
        raise verdict.NotRunnable(
            "CUDA is not available here: pass --train-device cpu to train what fits --train-budget")
    return device


@functools.lru_cache(maxsize=4)
def _load(name: str, split: str, root: Path | None, allow_unverified: bool, download: bool) -> data.Dataset:
    return data.load(name, split, root, allow_unverified=allow_unverified, download=download)


def _datasets(claim: Claim, recipe: Recipe, seed: int, settings: Settings
              ) -> tuple[data.Dataset, data.Dataset | None, data.Dataset, bool]:
    """(train, val, test, verified) as the recipe splits them; missing data is ``verdict.NotRunnable``."""
    if claim.dataset is None:
        raise ValueError(f"{claim.id}: a training claim needs a dataset")
    try:
        train_set, test_set = (_load(claim.dataset, split, settings.data_root, settings.allow_unverified,
                                     settings.download) for split in ("train", "test"))
    except data.DataMissing as missing:
        raise verdict.NotRunnable(str(missing)) from None
    val_set: data.Dataset | None = None
    if recipe.validation == "holdout":
        train_set, val_set = data.split_holdout(train_set, recipe.val_size, torch.Generator().manual_seed(seed))
    elif recipe.validation == "test":
        val_set = test_set
    return train_set, val_set, test_set, train_set.verified and test_set.verified


def _forward_flops(model_name: str) -> int:
    """FLOPs of one batch-1 forward: twice the model's pure MACs, counted on the meta device."""
    with torch.device("meta"):
        model = models.build(model_name)
    return 2 * int(macs(model, models.input_size(model_name), "pure").value)


class _CalibrationNet(nn.Sequential):
    """A small CIFAR-shaped conv net whose training speed stands for this device's."""

    def __init__(self) -> None:
        layers: list[nn.Module] = []
        for in_channels, out_channels in ((3, 64), (64, 128), (128, 128)):
            layers += [nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.BatchNorm2d(out_channels), nn.ReLU(),
                       nn.MaxPool2d(2)]
        super().__init__(*layers, nn.Flatten(), nn.Linear(128 * 4 * 4, 10))


@functools.cache
def device_flops(device: str) -> float:
    """FLOP/s this device reaches training a small conv net with the engine's settings, measured once
    per session from the fastest of its steps (a busy moment would otherwise skew every estimate)."""
    device = _usable(device)
    accel = train.Accel.for_device(device)
    model = _CalibrationNet().to(device=device, memory_format=accel.memory_format)
    optimizer = torch.optim.Adam(model.parameters())
    images = torch.randn(64, 3, 32, 32, device=device).contiguous(memory_format=accel.memory_format)
    labels = torch.zeros(64, dtype=torch.int64, device=device)
    flops_per_step = 3 * 2 * int(macs(model, tuple(images.shape[1:]), "pure").value) * len(images)
    timer = train.Timer(torch.device(device))
    step_seconds: list[float] = []
    while sum(step_seconds) < _CALIBRATION_SECONDS:
        timer.start()
        with accel.autocast_on(torch.device(device)):
            loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step_seconds.append(timer.stop())
    return flops_per_step / min(step_seconds[1:])  # the first step pays one-time costs


def estimate_seconds(model_name: str, recipe: Recipe, train_images: int, eval_images: int, device: str) -> float:
    """Training cost: 3 forward FLOPs per image an epoch trains on (forward and backward), 1 per evaluated
    image, every epoch, plus the final pass over the training set, at this device's measured FLOP/s."""
    forward = _forward_flops(model_name)
    trained = recipe.images_per_epoch(train_images)
    total = recipe.epochs * forward * (3 * trained + eval_images) + forward * train_images
    return total / device_flops(device)


def _skip_over_budget(claim: Claim, epochs: int, estimate: float, runs: int, settings: Settings) -> None:
    """Raise ``verdict.NotRunnable``, with the estimate, when ``runs`` runs of ``estimate`` s exceed the budget."""
    if runs and estimate * runs > settings.budget:
        raise verdict.NotRunnable(
            f"estimated {estimate * runs:,.0f} s to train {claim.model} ({runs} run(s) of at most {epochs} epochs) "
            f"on {environment.device_name(settings.device)}, over the training budget of {settings.budget:,.0f} s "
            f"(--train-budget)")


# ----------------------------------------------------------------------------- the run store


def _store_path(claim: Claim, recipe: Recipe, seed: int, settings: Settings) -> Path:
    """Where the run of (model, dataset, recipe, seed, device type) is stored; shared by its claims."""
    key = {"model": claim.model, "dataset": claim.dataset, "recipe": dataclasses.asdict(recipe), "seed": seed,
           "device": torch.device(settings.device).type}
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]
    return settings.results_dir / f"{claim.model}-{claim.dataset}-seed{seed}-{key['device']}-{digest}.json"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside ``path``, so that parallel workers train one run once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _stored(path: Path, settings: Settings) -> dict[str, Any] | None:
    """The stored run, unless missing or (with ``--retrain``) written before this session."""
    if not path.exists():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if settings.retrain and record["session"] != settings.session:
        return None
    return record


def _train_and_store(claim: Claim, recipe: Recipe, seed: int, settings: Settings, path: Path) -> dict[str, Any]:
    train_set, val_set, test_set, verified = _datasets(claim, recipe, seed, settings)
    checkpoint = path.with_suffix(".ckpt")
    if settings.retrain:
        checkpoint.unlink(missing_ok=True)
    torch.manual_seed(seed)
    model = models.build(claim.model)
    accel = train.Accel.for_device(settings.device, compile=settings.compile)
    started = time.perf_counter()
    history = train.train(model, train_set, test_set, recipe, device=settings.device, seed=seed, val_set=val_set,
                          checkpoint=checkpoint, progress=settings.progress, evaluate_train=True, accel=accel,
                          name=claim.model)
    record = {
        "model": claim.model,
        "dataset": claim.dataset,
        "recipe": dataclasses.asdict(recipe),
        "seed": seed,
        "device": torch.device(settings.device).type,
        "accel": {"channels_last": accel.channels_last, "compile": accel.compile,
                  "autocast": str(accel.autocast).removeprefix("torch.") if accel.autocast else None},
        "environment": environment.describe(_REPO, settings.device),
        "verified_data": verified,
        "data_sizes": {"train": len(train_set), "val": len(val_set) if val_set is not None else 0,
                       "test": len(test_set)},
        "session": settings.session,
        "wall_seconds": time.perf_counter() - started,
        "history": history.to_dict(),
    }
    atomic.write_text(path, json.dumps(record, indent=1))
    checkpoint.unlink(missing_ok=True)
    return record


def measure(claim: Claim, settings: Settings) -> Outcome:
    """Train (or reuse) ``settings.seeds`` runs of the claim's recipe and read the claimed statistic."""
    recipe = claim.recipe
    if recipe is None or claim.model is None or claim.statistic is None:
        raise ValueError(f"{claim.id}: a training claim needs model, statistic and recipe")
    device = _usable(settings.device)
    train_set, val_set, test_set, _ = _datasets(claim, recipe, 0, settings)
    eval_images = (len(val_set) if val_set is not None and val_set is not test_set else 0) + len(test_set)
    estimate = estimate_seconds(claim.model, recipe, len(train_set), eval_images, device)
    paths = [_store_path(claim, recipe, seed, settings) for seed in range(settings.seeds)]
    missing = sum(_stored(path, settings) is None for path in paths)
    _skip_over_budget(claim, recipe.epochs, estimate, missing, settings)
    values, verified = [], True
    for seed, path in enumerate(paths):
        with _locked(path):
            record = _stored(path, settings) or _train_and_store(claim, recipe, seed, settings, path)
        history = train.History.from_dict(record["history"])
        values.append(metrics.value(claim.kind, claim.split, claim.statistic, history))
        verified = verified and record["verified_data"]
    mean, spread = metrics.interval95(values)
    return Outcome(mean=mean, values=tuple(values), spread=spread, device=environment.device_name(device),
                   verified=verified, estimate_seconds=estimate, results=tuple(paths))


# ----------------------------------------------------------------------------- timing


def _same_hardware(claimed: str, ours: str) -> bool:
    """Whether the claim's hardware names our device (either name contains the other, ignoring case)."""
    claimed, ours = claimed.casefold(), ours.casefold()
    return claimed in ours or ours in claimed


def time_epoch(claim: Claim, settings: Settings, benchmark: Any) -> EpochTime:
    """Time training epochs of the claim's recipe with pytest-benchmark (one warm-up, then the rounds).

    An epoch is the training pass plus the validation pass, as Keras' ``fit()`` times one; the
    seconds are the engine's own (CUDA events after a synchronise on CUDA, perf_counter on the CPU).
    """
    recipe = claim.recipe
    if recipe is None or claim.model is None or claim.hardware is None:
        raise ValueError(f"{claim.id}: a timing claim needs model, hardware and recipe")
    device = _usable(settings.device)
    train_set, val_set, _, _ = _datasets(claim, recipe, 0, settings)
    one_epoch = dataclasses.replace(recipe, epochs=1, plateau=None, early_stopping=None, schedule="constant")
    eval_images = len(val_set) if val_set is not None else 0
    estimate = estimate_seconds(claim.model, one_epoch, len(train_set), eval_images, device)
    _skip_over_budget(claim, 1, estimate, TIMING_ROUNDS + 1, settings)
    torch.manual_seed(0)
    model = models.build(claim.model)
    accel = train.Accel.for_device(device, compile=settings.compile)
    seconds: list[float] = []

    def run_epoch() -> None:
        history = train.train(model, train_set, None, one_epoch, device=device, seed=0, val_set=val_set,
                              progress=False, accel=accel, name=claim.model)
        seconds.append(history.epochs[0].seconds)

    if benchmark.enabled:
        benchmark.pedantic(run_epoch, rounds=TIMING_ROUNDS, warmup_rounds=1)
    else:  # pytest-benchmark turns itself off under xdist; the engine's own timer still times each round
        for _ in range(TIMING_ROUNDS + 1):
            run_epoch()
    timed = tuple(seconds[-TIMING_ROUNDS:])
    ours = environment.device_name(device)
    benchmark.extra_info.update({"claim": claim.id, "device": ours, "epoch_seconds": list(timed),
                                 "images_per_epoch": len(train_set), "val_images": eval_images})
    incomparable = None if _same_hardware(claim.hardware, ours) else (
        f"measured {statistics.median(timed):.3g} s per epoch on {ours}; the claim was timed on {claim.hardware}")
    return EpochTime(seconds=statistics.median(timed), rounds=timed, device=ours, incomparable=incomparable)
