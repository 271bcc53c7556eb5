"""Epoch-time claims: training epochs of the claim's recipe timed with pytest-benchmark."""

from __future__ import annotations

import dataclasses
import re
import statistics
from dataclasses import dataclass
from typing import Any

import torch

from claimbench import environment, registry, train
from claimbench.ledger import Claim
from claimbench.runs import cost, splits
from claimbench.runs.settings import Settings, usable

__all__ = ["TIMING_ROUNDS", "EpochTime", "same_hardware", "time_epoch"]

TIMING_ROUNDS = 3
"""Timed epochs per timing claim, after one warm-up epoch."""


@dataclass(frozen=True)
class EpochTime:
    """Seconds per training epoch (median of the timed rounds); ``incomparable`` says why the claim's
    hardware differs from ours, or is None when it is the same."""

    seconds: float
    device: str
    incomparable: str | None
    verified: bool
    """Whether the data's checksums matched (a truncated or altered dataset changes an epoch's time)."""


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", name.casefold()))


ARCHITECTURES = frozenset({"x86", "64", "amd64", "arm64", "aarch64", "i386", "i686"})
"""Words of an instruction set, which name no one device ("x86_64 CPU" is any PC)."""
VARIANTS = frozenset({"ti", "super", "xt", "xtx", "laptop", "mobile", "max", "pro", "ultra", "plus"})
"""Words that make another device of the same model number: an "RTX 3070" is not an "RTX 3070 Ti"."""


def same_hardware(claimed: str, ours: str) -> bool:
    """Whether the claim's hardware names our device: each of its words is one of ours, one of them is a model
    number (not an instruction set's), and our variant words are its too ("RTX 3070 Laptop" is "NVIDIA GeForce RTX
    3070 Laptop GPU"; "RTX 3070" is not, nor is a bare "NVIDIA", "CPU" or "x86_64" any device)."""
    named, own = _words(claimed), _words(ours)
    numbers = [word for word in named - ARCHITECTURES if any(char.isdigit() for char in word)]
    return bool(numbers) and named <= own and own & VARIANTS <= named


def time_epoch(claim: Claim, settings: Settings, benchmark: Any) -> EpochTime:
    """Time training epochs of the claim's recipe with pytest-benchmark (one warm-up, then the rounds).

    An epoch is the training pass plus the validation pass, as Keras' ``fit()`` times one; the
    seconds are the engine's own (CUDA events after a synchronise on CUDA, perf_counter on the CPU).
    """
    recipe = claim.recipe
    if recipe is None or claim.model is None or claim.hardware is None:
        raise ValueError(f"{claim.id}: a timing claim needs model, hardware and recipe")
    device = usable(settings.device)
    sets = splits.load(claim, recipe, 0, settings)
    train_set, val_set = sets.train, sets.val
    one_epoch = dataclasses.replace(recipe, epochs=1, plateau=None, early_stopping=None, schedule="constant")
    eval_images = len(val_set) if val_set is not None else 0
    found = cost.step_cost(claim.model, recipe, train_set, settings)
    threads = found.cost.threads
    estimate = cost.estimate_seconds(found.cost, one_epoch, len(train_set), [eval_images], final_train_pass=False)
    cost.skip_over_budget(claim, 1, estimate * (TIMING_ROUNDS + 1), TIMING_ROUNDS + 1, settings, threads=threads)
    cost.announce(claim.model, f"timing {TIMING_ROUNDS + 1} epochs (1 warm-up)", estimate * (TIMING_ROUNDS + 1),
                  found, settings)
    torch.manual_seed(0)
    model = registry.get_model(claim.model)
    accel = found.accel(compile=settings.compile)
    seconds: list[float] = []

    def run_epoch() -> None:
        history = train.train(model, train_set, None, one_epoch, device=device, seed=0, val_set=val_set,
                              threads=threads, accel=accel, name=claim.model)
        seconds.append(history.epochs[0].seconds)

    if benchmark.enabled:
        benchmark.pedantic(run_epoch, rounds=TIMING_ROUNDS, warmup_rounds=1)
    else:  # pytest-benchmark turns itself off under xdist; the engine's own timer still times each round
        for _ in range(TIMING_ROUNDS + 1):
            run_epoch()
    timed = tuple(seconds[-TIMING_ROUNDS:])
    ours = environment.device_name(device, threads)
    benchmark.extra_info.update({"claim": claim.id, "device": ours, "epoch_seconds": list(timed),
                                 "images_per_epoch": len(train_set), "val_images": eval_images,
                                 "threads": threads})
    incomparable = None if same_hardware(claim.hardware, ours) else (
        f"measured {statistics.median(timed):.3g} s per epoch on {ours}; the claim was timed on {claim.hardware}")
    return EpochTime(seconds=statistics.median(timed), device=ours, incomparable=incomparable, verified=sets.verified)
