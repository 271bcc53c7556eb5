"""What a run will cost: the claim's own model timed for a few steps, which also chooses the CPU thread
count and the precision; the estimate of a run from it; and the budget a claim must fit."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from claimbench import data, environment, errors, precision, registry, train
from claimbench.ledger import Claim, Recipe
from claimbench.runs import numerics, store
from claimbench.runs.settings import Settings, say, usable

__all__ = ["PROBES", "announce", "estimate_seconds", "probe_key", "resuming", "run_seconds", "skip_over_budget",
           "step_cost", "timing_step"]

_Key = tuple[str, Recipe, str, str]
PROBES: dict[_Key, precision.Probe] = {}
"""Each (model, recipe, device, precision asked) is probed once per process (``probe_key``; eagerly, also for
``--claims-train-compile``); a cluster's driver puts here what its workers measured."""


def probe_key(model_name: str, recipe: Recipe, settings: Settings) -> _Key:
    """What one probe measures for a session: the model and recipe, on its device, in the precision asked."""
    return model_name, recipe, settings.device, settings.precision


def step_cost(model_name: str, recipe: Recipe, train_set: data.Dataset, settings: Settings) -> precision.Probe:
    """The claim's own model timed for a few steps at the recipe's batch size in the precisions the session
    allows (``precision.probe``), on spare copies; under ``auto`` in the precision an earlier probe on this device
    chose, where one is recorded (``numerics.decide``). ``errors.MeasurementError`` when that fails."""
    key = probe_key(model_name, recipe, settings)
    if key not in PROBES:
        if settings.precision == "auto":
            PROBES[key] = numerics.decide(model_name, recipe, train_set, settings, usable(settings.device),
                                          lambda asked: _probe(model_name, recipe, train_set, settings, asked))
        else:
            PROBES[key] = _probe(model_name, recipe, train_set, settings, settings.precision)
    return PROBES[key]


def timing_step(model_name: str, recipe: Recipe, train_set: data.Dataset, settings: Settings, asked: str,
                threads: int) -> precision.Probe:
    """The claim's own model timed for a few steps as its timed epochs run, in ``asked`` on ``threads``: not at
    the thread count the training probe chooses, which a busy machine moves to one."""
    return _probe(model_name, recipe, train_set, settings, asked, threads)


def _probe(model_name: str, recipe: Recipe, train_set: data.Dataset, settings: Settings, asked: str,
           threads: int | None = None) -> precision.Probe:
    """``precision.probe`` of the model, once the training set's size can feed the recipe (``train.check_sizes``);
    ``errors.MeasurementError`` when it fails (with the line of the author's model it failed in, where it did) or
    times nothing finite."""
    train.check_sizes(recipe, len(train_set), model_name)
    try:
        found = precision.probe(lambda: registry.get_model(model_name), train_set, recipe,
                                device=usable(settings.device), asked=asked, threads=threads, name=model_name)
    except (RuntimeError, ValueError, TypeError, ArithmeticError) as error:
        raise errors.MeasurementError(f"cost estimate failed: {model_name}: {errors.in_one_line(error)}") from error
    cost = found.cost
    if not (math.isfinite(cost.train_seconds) and math.isfinite(cost.eval_seconds) and cost.train_seconds > 0):
        raise errors.MeasurementError(f"cost estimate failed: {model_name}: timed {cost}")
    return found


def estimate_seconds(cost: train.StepCost, recipe: Recipe, train_images: int, eval_sizes: Sequence[int],
                     *, final_train_pass: bool = True, epochs_done: int = 0) -> float:
    """Measured seconds per step times the steps: the training batches and the batches of each evaluated set
    (``eval_sizes``) of every epoch after ``epochs_done`` (those a checkpoint holds), plus the final clean pass
    over the training set."""
    eval_batches = sum(math.ceil(n / recipe.batch_size) for n in eval_sizes)
    per_epoch = len(train.batch_sizes(recipe, train_images)) * cost.train_seconds + eval_batches * cost.eval_seconds
    final = math.ceil(train_images / recipe.batch_size) * cost.eval_seconds if final_train_pass else 0.0
    return max(recipe.epochs - epochs_done, 0) * per_epoch + final


def run_seconds(fresh: precision.Probe | None, resumed: store.Resumable | None, recipe: Recipe, train_images: int,
                eval_sizes: Sequence[int]) -> float:
    """One run's estimate: a resumed run's epochs still to run at the step cost it began with, another's every epoch
    at ``fresh``'s."""
    if resumed is not None:
        return estimate_seconds(resumed.found.cost, recipe, train_images, eval_sizes, epochs_done=resumed.epochs)
    if fresh is None:
        raise ValueError("a run that does not resume needs a probe to estimate it")
    return estimate_seconds(fresh.cost, recipe, train_images, eval_sizes)


def resuming(seed: int, resumed: store.Resumable, recipe: Recipe) -> str:
    """``seed 0 resuming from epoch 5 in fp32``: where a resumed run picks up, for estimates and skip reasons."""
    where = f"from epoch {resumed.epochs + 1}" if resumed.epochs < recipe.epochs else f"after epoch {resumed.epochs}"
    return f"seed {seed} resuming {where} in {resumed.found.chosen}"


def announce(model_name: str, work: str, estimate: float, found: precision.Probe, settings: Settings) -> None:
    """Print the cost estimate of the work about to start."""
    cost = found.cost
    threads = f", {cost.threads} thread(s)" if torch.device(settings.device).type == "cpu" else ""
    say(settings, f"{model_name}: {work}, estimated {train.duration(estimate)} "
                  f"({cost.train_seconds * 1e3:.3g} ms/step{threads}, {found.chosen})")


def skip_over_budget(claim: Claim, epochs: int, seconds: float, runs: int, settings: Settings, *,
                     resuming: Sequence[str] = (), threads: int | None = None, gpu_helps: bool = True) -> None:
    """Raise ``errors.NotRunnable``, with the estimate and what to do (``_fitting``), when ``runs`` runs estimated at
    ``seconds`` in all exceed the budget; ``resuming`` names those that resume a checkpoint (``seed 0 resuming from
    epoch 5 in fp32``), ``threads`` the CPU threads the estimate is for, and ``gpu_helps`` whether training on a GPU
    would do instead (not for an epoch time, timed on the claim's own hardware)."""
    if runs and seconds > settings.budget:
        work = ", ".join([f"{runs} run(s) of at most {epochs} epochs", *resuming])
        raise errors.NotRunnable(
            f"estimated {_seconds(seconds)} s to train {claim.model} ({work}) on "
            f"{environment.device_name(settings.device, threads)}, over the training budget of "
            f"{_seconds(settings.budget)} s: {_fitting(seconds, settings, gpu_helps=gpu_helps)}")


def _fitting(seconds: float, settings: Settings, *, gpu_helps: bool) -> str:
    """What makes an estimate of ``seconds`` run: the budget it fits (whole seconds, rounded up), or, on the CPU where
    ``gpu_helps``, a GPU."""
    gpu = gpu_helps and torch.device(settings.device).type == "cpu"
    return (f"raise --claims-train-budget to {math.ceil(seconds)} or more"
            f"{', or train on a GPU (--claims-train-device=cuda)' if gpu else ''}")


def _seconds(value: float) -> str:
    """``1,234`` or, below ten, two significant digits (``0.5``), never a budget of ``0``."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"
