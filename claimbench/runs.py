"""From a training claim and the session's options to stored training runs and the claimed statistic.

Loads the data (``claimbench.data``), splits the hold-out the recipe names, times the claim's model for
a few steps to estimate the cost (and to choose the CPU thread count) and skips a claim over budget,
trains each seed once (``claimbench.train``) into a run store shared by every claim on the same run and
keyed by the data's content, resumes an interrupted run from its checkpoint, and reads the statistic
(``claimbench.metrics``). A stored run is reused unless the session retrains; a corrupt one is set aside.
Training a run (``train_run``) and storing it (``store_run``) are apart, so that a cluster's workers train
and its driver stores (``claimbench.cluster``); a run that failed there is stored as its reason (``store_failure``).
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
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from claimbench import atomic, data, environment, metrics, precision, registry, train, verdict
from claimbench.ledger import Claim, Recipe

__all__ = [
    "CPU_BUDGET_SECONDS",
    "TIMING_ROUNDS",
    "EpochTime",
    "Outcome",
    "Settings",
    "estimate_seconds",
    "machine_info",
    "measure",
    "store_failure",
    "store_run",
    "time_epoch",
    "train_run",
    "weights_digest",
    "worker_device",
]

CPU_BUDGET_SECONDS = 600.0
"""The training budget per claim on the CPU when ``--claims-train-budget`` is not given (CUDA: none)."""
TIMING_ROUNDS = 3
"""Timed epochs per timing claim, after one warm-up epoch."""


@dataclass(frozen=True)
class Settings:
    """The training options of one pytest session (the ``training_settings`` fixture builds it)."""

    device: str
    seeds: int | None = None
    """Runs per training claim; None: the number of runs the claim's value averages (``runs``), else 1."""
    data_root: Path | None = None
    budget_seconds: float | None = None
    retrain: bool = False
    results_dir: Path = Path("runs")
    allow_unverified: bool = False
    download: bool = False
    compile: bool = False
    session: str = ""
    ledger: Path = Path(".")
    """The ledger the claims come from: its repository and commit go into every run record."""
    progress: Callable[[str], None] | None = None
    """Where progress lines go (cost estimates, one line per epoch, runs set aside); None: nowhere."""
    precision: str = "auto"
    """fp32, bf16 (autocast), or auto: the faster by measurement (``claimbench.precision``)."""
    cluster: str | None = None
    """The Ray cluster the session's runs train on (``claimbench.cluster``); None: this process trains them."""

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
    """The estimated cost of the runs this call trained (0 when every run was stored)."""
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
            "CUDA is not available here: pass --claims-train-device cpu to train what fits --claims-train-budget")
    return device


@functools.lru_cache(maxsize=4)
def _load(name: str, split: str, root: Path | None, allow_unverified: bool, download: bool) -> data.Dataset:
    return data.load(name, split, root, allow_unverified=allow_unverified, download=download)


@dataclass(frozen=True)
class _Data:
    """A claim's splits as its recipe makes them, and the identity of the loaded data they came from."""

    train: data.Dataset
    val: data.Dataset | None
    test: data.Dataset
    identity: dict[str, Any]

    @property
    def verified(self) -> bool:
        return bool(self.identity["verified"])


def _datasets(claim: Claim, recipe: Recipe, seed: int, settings: Settings) -> _Data:
    """The recipe's train, val and test sets; missing data is ``verdict.NotRunnable``. The identity is the
    loaded sets' content digests (computed once per loaded set) and whether their checksums matched."""
    if claim.dataset is None:
        raise ValueError(f"{claim.id}: a training claim needs a dataset")
    try:
        train_set, test_set = (_load(claim.dataset, split, settings.data_root, settings.allow_unverified,
                                     settings.download) for split in ("train", "test"))
    except data.DataMissing as missing:
        raise verdict.NotRunnable(str(missing)) from None
    identity = {"train": train_set.digest, "test": test_set.digest,
                "verified": train_set.verified and test_set.verified}
    val_set: data.Dataset | None = None
    if recipe.validation == "holdout":
        train_set, val_set = data.split_holdout(train_set, recipe.val_size, torch.Generator().manual_seed(seed))
    elif recipe.validation == "test":
        val_set = test_set
    return _Data(train_set, val_set, test_set, identity)


_STEP_COSTS: dict[tuple[str, Recipe, str, str], precision.Probe] = {}
"""Each (model, recipe, device, precision asked) is probed once per process (``_probe_key``; eagerly, also for
``--train-compile``); a cluster's planner puts here what its workers measured."""


def _probe_key(model_name: str, recipe: Recipe, settings: Settings) -> tuple[str, Recipe, str, str]:
    return model_name, recipe, settings.device, settings.precision


def _step_cost(model_name: str, recipe: Recipe, train_set: data.Dataset, settings: Settings) -> precision.Probe:
    """The claim's own model timed for a few steps at the recipe's batch size in the precisions the session
    allows (``precision.probe``), on spare copies; ``verdict.MeasurementError`` when that fails."""
    key = _probe_key(model_name, recipe, settings)
    if key not in _STEP_COSTS:
        try:
            found = precision.probe(lambda: registry.get_model(model_name), train_set, recipe,
                                    device=_usable(settings.device), asked=settings.precision)
        except (RuntimeError, ValueError, TypeError, ArithmeticError) as error:
            raise verdict.MeasurementError(
                f"cost estimate failed: {model_name}: {type(error).__name__}: {str(error).splitlines()[0]}"
            ) from error
        cost = found.cost
        if not (math.isfinite(cost.train_seconds) and math.isfinite(cost.eval_seconds) and cost.train_seconds > 0):
            raise verdict.MeasurementError(f"cost estimate failed: {model_name}: timed {cost}")
        _STEP_COSTS[key] = found
    return _STEP_COSTS[key]


def estimate_seconds(cost: train.StepCost, recipe: Recipe, train_images: int, eval_sizes: Sequence[int],
                     *, final_train_pass: bool = True) -> float:
    """Measured seconds per step times the steps: every epoch's training batches and the batches of each
    evaluated set (``eval_sizes``), plus the final clean pass over the training set."""
    eval_batches = sum(math.ceil(n / recipe.batch_size) for n in eval_sizes)
    per_epoch = len(train.batch_sizes(recipe, train_images)) * cost.train_seconds + eval_batches * cost.eval_seconds
    final = math.ceil(train_images / recipe.batch_size) * cost.eval_seconds if final_train_pass else 0.0
    return recipe.epochs * per_epoch + final


def _say(settings: Settings, line: str) -> None:
    if settings.progress is not None:
        settings.progress(line)


def _announce(model_name: str, work: str, estimate: float, found: precision.Probe, settings: Settings) -> None:
    """Print the cost estimate of the work about to start."""
    cost = found.cost
    threads = f", {cost.threads} thread(s)" if torch.device(settings.device).type == "cpu" else ""
    _say(settings, f"{model_name}: {work}, estimated {train.duration(estimate)} "
                   f"({cost.train_seconds * 1e3:.3g} ms/step{threads}, {found.chosen})")


def _skip_over_budget(claim: Claim, epochs: int, estimate: float, runs: int, settings: Settings) -> None:
    """Raise ``verdict.NotRunnable``, with the estimate, when ``runs`` runs of ``estimate`` s exceed the budget."""
    if runs and estimate * runs > settings.budget:
        raise verdict.NotRunnable(
            f"estimated {estimate * runs:,.0f} s to train {claim.model} ({runs} run(s) of at most {epochs} epochs) "
            f"on {environment.device_name(settings.device)}, over the training budget of {settings.budget:,.0f} s "
            f"(--claims-train-budget)")


# ----------------------------------------------------------------------------- the run store


def _store_path(claim: Claim, recipe: Recipe, seed: int, settings: Settings, identity: dict[str, Any]) -> Path:
    """Where the run of (model, dataset, its content and verification, recipe, seed, device type, precision asked)
    is stored; shared by its claims. Other or unverified data, or another ``--claims-train-precision``, is another
    run: a run that ``auto`` trained in bf16 never answers for fp32."""
    key = {"model": claim.model, "dataset": claim.dataset, "data": identity, "recipe": dataclasses.asdict(recipe),
           "seed": seed, "device": torch.device(settings.device).type, "precision": settings.precision}
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


def _set_aside(path: Path, reason: str, settings: Settings) -> None:
    """Rename a corrupt file to ``<name>.corrupt-<timestamp>`` and say so (a warning and a progress line)."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
    path.replace(aside)
    message = f"{path}: {reason}; set aside as {aside.name}, training again"
    warnings.warn(message, stacklevel=3)
    _say(settings, message)


def _trained_this_session(path: Path, settings: Settings) -> bool:
    """Whether this session wrote the run (its marker beside the run names the session)."""
    marker = path.with_suffix(".session")
    return marker.exists() and marker.read_text(encoding="utf-8") == settings.session


def _stored(path: Path, settings: Settings) -> dict[str, Any] | None:
    """The stored run, unless missing, corrupt (then set aside) or, with ``--claims-retrain``, written before this
    session (then not read at all)."""
    if settings.retrain and not _trained_this_session(path, settings) or not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        train.History.from_dict(record["history"])
        bool(record["verified_data"])
    except FileNotFoundError:  # set aside by another worker since the check above
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        _set_aside(path, f"corrupt stored run ({type(error).__name__}: {error})", settings)
        return None
    return record


def weights_digest(model: torch.nn.Module) -> str:
    """SHA-256 over the state dict's names and bytes, in name order: equal digests, equal weights."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def _train(claim: Claim, recipe: Recipe, seed: int, settings: Settings, sets: _Data, checkpoint: Path,
           threads: int, accel: train.Accel) -> tuple[train.History, torch.nn.Module]:
    """One run, resumed from ``checkpoint`` when it holds one; a corrupt checkpoint is set aside and the run
    starts afresh."""
    torch.manual_seed(seed)
    model = registry.get_model(claim.model)
    try:
        history = train.train(model, sets.train, sets.test, recipe, device=settings.device, seed=seed,
                              val_set=sets.val, checkpoint=checkpoint, on_epoch=settings.progress, threads=threads,
                              evaluate_train=True, accel=accel, name=claim.model)
    except train.CorruptCheckpoint as corrupt:
        _set_aside(checkpoint, str(corrupt).removeprefix(f"{checkpoint}: "), settings)
        return _train(claim, recipe, seed, settings, sets, checkpoint, threads, accel)
    return history, model


def train_run(claim: Claim, seed: int, settings: Settings, path: Path, found: precision.Probe) -> dict[str, Any]:
    """Train the claim's run of ``seed`` as ``found`` chose (threads, precision), checkpointing beside ``path``
    and resuming from there, and return its record; writes nothing but the checkpoint."""
    recipe = claim.recipe
    sets = _datasets(claim, recipe, seed, settings)
    checkpoint = path.with_suffix(".ckpt")
    if settings.retrain:
        checkpoint.unlink(missing_ok=True)
    started = time.perf_counter()
    accel = found.accel(compile=settings.compile)
    history, model = _train(claim, recipe, seed, settings, sets, checkpoint, found.cost.threads, accel)
    return {
        "model": claim.model,
        "dataset": claim.dataset,
        "recipe": dataclasses.asdict(recipe),
        "seed": seed,
        "device": torch.device(settings.device).type,
        "accel": {"channels_last": accel.channels_last, "compile": accel.compile,
                  "autocast": str(accel.autocast).removeprefix("torch.") if accel.autocast else None},
        "precision": found.to_dict(),
        "threads": found.cost.threads if torch.device(settings.device).type == "cpu" else None,
        "environment": environment.describe(settings.ledger, settings.device),
        "verified_data": sets.verified,
        "data": sets.identity,
        "data_sizes": {"train": len(sets.train), "val": len(sets.val) if sets.val is not None else 0,
                       "test": len(sets.test)},
        "session": settings.session,
        "wall_seconds": time.perf_counter() - started,
        "weights_sha256": weights_digest(model),
        "history": history.to_dict(),
    }


def store_run(path: Path, record: dict[str, Any], settings: Settings) -> None:
    """Write the run's record and this session's marker atomically; remove its checkpoint, the temporary
    files a killed writer left beside it, and a failure this or an earlier session recorded."""
    atomic.write_text(path, json.dumps(record, indent=1))
    atomic.write_text(path.with_suffix(".session"), settings.session)
    checkpoint = path.with_suffix(".ckpt")
    for leftover in (checkpoint, path.with_suffix(".failed"), *path.parent.glob(f".{checkpoint.name}.*.tmp")):
        leftover.unlink(missing_ok=True)


def store_failure(path: Path, reason: str, settings: Settings) -> None:
    """Record that the run failed in this session, with its one-line reason (``measure`` raises it)."""
    atomic.write_text(path.with_suffix(".failed"), json.dumps({"session": settings.session, "reason": reason}))


def _raise_failure(path: Path, settings: Settings) -> None:
    """``verdict.MeasurementError`` with the reason when this session recorded the run as failed."""
    failed = path.with_suffix(".failed")
    if not failed.exists():
        return
    note = json.loads(failed.read_text(encoding="utf-8"))
    if note["session"] == settings.session:
        raise verdict.MeasurementError(note["reason"])


def _eval_sizes(sets: _Data) -> list[int]:
    """The sizes of the sets evaluated every epoch: val, and test unless it is the validation set."""
    sizes = [len(sets.val)] if sets.val is not None else []
    return sizes + [len(sets.test)] if sets.test is not None and sets.test is not sets.val else sizes


def measure(claim: Claim, settings: Settings) -> Outcome:
    """Train (or reuse) ``settings.seeds`` runs of the claim's recipe and read the claimed statistic."""
    recipe = claim.recipe
    if recipe is None or claim.model is None or claim.statistic is None:
        raise ValueError(f"{claim.id}: a training claim needs model, statistic and recipe")
    if settings.cluster is None:
        _usable(settings.device)
    sets = _datasets(claim, recipe, 0, settings)
    seeds = range(settings.seeds or claim.runs or 1)
    paths = [_store_path(claim, recipe, seed, settings, sets.identity) for seed in seeds]
    for path in paths:
        _raise_failure(path, settings)
    missing = sum(_stored(path, settings) is None for path in paths)
    estimate = 0.0
    if missing:
        found = _step_cost(claim.model, recipe, sets.train, settings)
        estimate = estimate_seconds(found.cost, recipe, len(sets.train), _eval_sizes(sets))
        _skip_over_budget(claim, recipe.epochs, estimate, missing, settings)
        _announce(claim.model, f"training {missing} run(s) of up to {recipe.epochs} epochs", estimate * missing,
                  found, settings)
    values, verified, devices = [], True, []
    for seed, path in enumerate(paths):
        with _locked(path):
            record = _stored(path, settings)
            if record is None:
                record = train_run(claim, seed, settings, path, _step_cost(claim.model, recipe, sets.train, settings))
                store_run(path, record, settings)
        history = train.History.from_dict(record["history"])
        values.append(metrics.value(claim.kind, claim.split, claim.statistic, history))
        verified = verified and record["verified_data"]
        devices.append(record.get("environment", {}).get("device") or environment.device_name(settings.device))
    mean, spread = metrics.interval95(values)
    return Outcome(mean=mean, values=tuple(values), spread=spread, device=devices[0],
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
    sets = _datasets(claim, recipe, 0, settings)
    train_set, val_set = sets.train, sets.val
    one_epoch = dataclasses.replace(recipe, epochs=1, plateau=None, early_stopping=None, schedule="constant")
    eval_images = len(val_set) if val_set is not None else 0
    found = _step_cost(claim.model, recipe, train_set, settings)
    cost = found.cost
    estimate = estimate_seconds(cost, one_epoch, len(train_set), [eval_images], final_train_pass=False)
    _skip_over_budget(claim, 1, estimate, TIMING_ROUNDS + 1, settings)
    _announce(claim.model, f"timing {TIMING_ROUNDS + 1} epochs (1 warm-up)", estimate * (TIMING_ROUNDS + 1), found,
              settings)
    torch.manual_seed(0)
    model = registry.get_model(claim.model)
    accel = found.accel(compile=settings.compile)
    seconds: list[float] = []

    def run_epoch() -> None:
        history = train.train(model, train_set, None, one_epoch, device=device, seed=0, val_set=val_set,
                              threads=cost.threads, accel=accel, name=claim.model)
        seconds.append(history.epochs[0].seconds)

    if benchmark.enabled:
        benchmark.pedantic(run_epoch, rounds=TIMING_ROUNDS, warmup_rounds=1)
    else:  # pytest-benchmark turns itself off under xdist; the engine's own timer still times each round
        for _ in range(TIMING_ROUNDS + 1):
            run_epoch()
    timed = tuple(seconds[-TIMING_ROUNDS:])
    ours = environment.device_name(device)
    benchmark.extra_info.update({"claim": claim.id, "device": ours, "epoch_seconds": list(timed),
                                 "images_per_epoch": len(train_set), "val_images": eval_images,
                                 "threads": cost.threads})
    incomparable = None if _same_hardware(claim.hardware, ours) else (
        f"measured {statistics.median(timed):.3g} s per epoch on {ours}; the claim was timed on {claim.hardware}")
    return EpochTime(seconds=statistics.median(timed), rounds=timed, device=ours, incomparable=incomparable)
