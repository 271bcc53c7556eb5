"""One measurement per claim family: a claim in, a ``verdict.Measurement`` out.

The structural families build the model on the meta device (no weight is allocated); the training
families train with the author's recipe through ``claimbench.runs``. The claim tests of this
repository's ``benchmarks/`` and the items the plugin collects from a ledger both call these.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import torch

from claimbench import errors, measure, registry, verdict
from claimbench.ledger import Claim

if TYPE_CHECKING:
    from claimbench.runs.settings import Settings

__all__ = ["epoch_time", "input_size", "layer", "macs", "measurement", "needs_input", "params", "size", "training"]


def needs_input(claim: Claim) -> bool:
    """MACs, layers and torchinfo's size estimate run the model on an input; parameters and checkpoints do not."""
    return claim.kind in ("macs", "layer") or claim.kind == "size" and claim.size == "torchinfo_total"


def input_size(claim: Claim) -> tuple[int, ...]:
    """The claim's input, else its model's registered input size."""
    size = claim.input or registry.input_size(claim.model)
    if size is None:
        raise errors.MeasurementError(f"{claim.model} has no registered input size: give input = [C, H, W]")
    return tuple(size)


@contextlib.contextmanager
def _on_input(claim: Claim) -> Iterator[tuple[int, ...]]:
    """The claim's input size; a forward pass that fails on it (a wrong ``input``, most often) is the claim's
    ``error`` in one line, naming the input, instead of a traceback through torch."""
    size = input_size(claim)
    try:
        yield size
    except RuntimeError as error:
        given = "the claim's `input`" if claim.input else "its registered input size"
        first = next(iter(str(error).strip().splitlines()), "")
        raise errors.MeasurementError(f"{claim.model} does not run on {given} {list(size)}: "
                                      f"{type(error).__name__}: {first}") from error


def _on_meta(claim: Claim) -> torch.nn.Module:
    with torch.device("meta"):
        return registry.get_model(claim.model)


def params(claim: Claim) -> verdict.Measurement:
    """Parameters under the claim's counting convention."""
    return verdict.Measurement(measure.params(_on_meta(claim), claim.count))


def macs(claim: Claim) -> verdict.Measurement:
    """MACs with both counters under the claim's convention."""
    with _on_input(claim) as size:
        count = measure.macs(_on_meta(claim), size, claim.count)
    return verdict.Measurement(count.value, dict(count.counters))


@functools.cache
def _layer_table(model: str, input_size: tuple[int, ...]) -> measure.LayerTable:
    """Trace each model once per input; its layer claims read rows of the same table."""
    with torch.device("meta"):
        return measure.layer_table(registry.get_model(model), input_size)


def layer(claim: Claim) -> verdict.Measurement:
    """One row of the model's traced layer table: params, MACs or output shape."""
    with _on_input(claim) as size:
        table = _layer_table(claim.model, size)
    row = table[claim.layer]
    measured = row.measure(claim.quantity, count=claim.count, layout=claim.layout)
    return verdict.Measurement(measured.value, dict(measured.counters))


def size(claim: Claim) -> verdict.Measurement:
    """torchinfo's estimate on the meta device, or the checkpoint bytes of a zeroed CPU copy (no input)."""
    if not needs_input(claim):
        return verdict.Measurement(measure.size_bytes(_on_meta(claim), (), claim.size))
    with _on_input(claim) as shape:
        return verdict.Measurement(measure.size_bytes(_on_meta(claim), shape, claim.size))


def training(claim: Claim, settings: Settings) -> verdict.Measurement:
    """The claimed statistic after training with the author's recipe, over the session's seeds."""
    from claimbench.runs import local

    outcome = local.measure(claim, settings)
    return verdict.Measurement(outcome.mean, seeds=outcome.values, spread=outcome.spread, device=outcome.device,
                               unverified_data=not outcome.verified)


def epoch_time(claim: Claim, settings: Settings, benchmark: Any) -> verdict.Measurement:
    """Seconds per epoch, judged only when our device is the claim's hardware."""
    from claimbench.runs import timing

    epoch = timing.time_epoch(claim, settings, benchmark)
    return verdict.Measurement(epoch.seconds, device=epoch.device, incomparable=epoch.incomparable)


_STRUCTURAL = {"params": params, "macs": macs, "layer": layer, "size": size}


def measurement(claim: Claim, settings: Callable[[], Settings], benchmark: Any) -> verdict.Measurement:
    """Any claim's measurement, by its kind; ``settings`` is called only for the training families."""
    if claim.kind in _STRUCTURAL:
        return _STRUCTURAL[claim.kind](claim)
    if claim.kind == "epoch_time":
        return epoch_time(claim, settings(), benchmark)
    return training(claim, settings())
