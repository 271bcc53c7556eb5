"""A session's training options, the device a run trains on, and where progress lines go."""

from __future__ import annotations

import math
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from claimbench import accelerators, environment, errors

if TYPE_CHECKING:
    from claimbench.ledger import Claim

__all__ = ["CPU_BUDGET_SECONDS", "Settings", "machine_info", "no_device", "say", "usable", "worker_device"]

CPU_BUDGET_SECONDS = 600.0
"""The training budget per claim on the CPU when ``--claims-train-budget`` is not given (a GPU: none)."""


@dataclass(frozen=True)
class Settings:
    """The training options of one pytest session (the ``training_settings`` fixture builds it)."""

    device: str
    seeds: int | None = None
    """Runs per training claim; None: the number of runs the claim's value averages (``runs``), else 1, raised to
    ``min_seeds`` (``seed_count``)."""
    min_seeds: int = 1
    """The fewest runs a training claim gets where ``seeds`` is None (``claims_train_min_seeds``, which ``claimbench
    init`` writes: one seed outside the band cannot refute a number)."""
    data_root: Path | None = None
    budget_seconds: float | None = None
    retrain: bool = False
    results_dir: Path = Path("runs")
    allow_unverified: bool = False
    download: bool = False
    compile: bool = False
    session: str = ""
    retrain_begun_by: str = ""
    """Under ``retrain``, the session that began the retrain this one carries on (``claimbench.runs.retrains``): an
    interrupted retrain's, whose stored runs are this session's too; empty: this session."""
    ledger: Path = Path(".")
    """The ledger the claims come from: its repository and commit go into every run record."""
    written: tuple[Path, ...] = ()
    """The files and folders the session writes (report, JSON, badges, plots), whose changes by an earlier session
    leave a run record's commits unmarked (``environment.describe``)."""
    readme: Path | None = None
    """The README whose summary the session writes: a change inside that summary leaves them unmarked too."""
    progress: Callable[[str], None] | None = None
    """Where progress lines go (cost estimates, one line per epoch, runs set aside); None: nowhere."""
    precision: str = "auto"
    """fp32, bf16 (autocast), or auto: the faster by measurement (``claimbench.precision``)."""
    cluster: str | None = None
    """The Ray cluster the session's runs train on (``claimbench.runs.cluster``); None: this process trains them."""

    @property
    def marker(self) -> str:
        """What the marker beside a run this session stores names, and a retrain reads: its retrain, or itself."""
        return self.retrain_begun_by or self.session

    def seed_count(self, claim: Claim) -> int:
        """How many seeds the claim trains (seeds 0 to n - 1): ``seeds`` where given, else the claim's ``runs`` (1
        where it has none), raised to ``min_seeds`` and never lowered by it."""
        return self.seeds or max(claim.runs or 1, self.min_seeds)

    @property
    def budget(self) -> float:
        """Seconds a claim may cost: ``budget_seconds``, else none on a GPU (CUDA or mps) and 600 s on the CPU. A
        user who names a GPU, as the default ``cuda`` does, accepts what training there takes, an Apple GPU's as
        much as an NVIDIA one's; the CPU, which trains a claim many times slower, is the device a user tries
        without a GPU, where a claim's days of training must be skipped unless asked for."""
        if self.budget_seconds is not None:
            return self.budget_seconds
        return math.inf if accelerators.is_accelerator(self.device) else CPU_BUDGET_SECONDS


def worker_device(device: str, worker: str | None) -> str:
    """Under pytest-xdist, worker ``gwN`` takes CUDA device N modulo the number of devices."""
    if worker is None or device != "cuda" or torch.cuda.device_count() < 2:
        return device
    return f"cuda:{int(worker.removeprefix('gw')) % torch.cuda.device_count()}"


def machine_info(device: str) -> dict[str, str]:
    """torch, the training device (``(not available)`` where torch finds none of its kind here) and, on CUDA, the
    driver: for pytest-benchmark's machine info."""
    info = {"torch": torch.__version__}
    if not accelerators.available(device):
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


def usable(device: str) -> str:
    """The device, or ``errors.NotRunnable`` saying how to train without it (``no_device``) where torch finds none
    of its kind here (``accelerators.available``): CUDA, or mps."""
    if not accelerators.available(device):
        raise errors.NotRunnable(no_device(device, default_budget=True))
    return device


def no_device(device: str, *, default_budget: bool) -> str:
    """What a training claim lacks on a machine without the device (``no CUDA here``, ``no MPS here``, ``no cuda:2
    here`` beside two GPUs) and the option that trains it on the CPU (or on a GPU there is); with the budget's default
    where the reason says nothing else."""
    kind, found = torch.device(device).type, accelerators.device_count(device)
    default = f", {CPU_BUDGET_SECONDS:.0f} s a claim unless given" if default_budget else ""
    if found:
        return (f"no {device} here (torch finds {found} {kind.upper()} device{'s' if found > 1 else ''}, {kind}:0"
                f"{f' to {kind}:{found - 1}' if found > 1 else ''}: add --claims-train-device={kind}:0 or =cpu to "
                f"train on the CPU within --claims-train-budget{default})")
    return (f"no {kind.upper()} here (add --claims-train-device=cpu to train on the CPU within "
            f"--claims-train-budget{default})")


def say(settings: Settings, line: str) -> None:
    """Hand a progress line on, when the session shows progress."""
    if settings.progress is not None:
        settings.progress(line)
