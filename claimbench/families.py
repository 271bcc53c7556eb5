"""One measurement per claim family: a claim in, a ``verdict.Measurement`` out.

The structural families build the model on the meta device (no weight is allocated); the training
families train with the author's recipe through ``claimbench.runs``. The claim tests of this
repository's ``benchmarks/`` and the items the plugin collects from a ledger both call these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import torch

from claimbench import errors, measure, registry, verdict
from claimbench.ledger import Claim

if TYPE_CHECKING:
    from claimbench.runs.settings import Settings

T = TypeVar("T")

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


_SHAPE_MISMATCH = re.compile(r"shape|size|dim|channel|elements", re.IGNORECASE)
"""Words of torch's shape checks: a wrong input fails one of them."""

Run = Callable[[torch.nn.Module, tuple[int, ...]], T]


def _first_line(error: BaseException) -> str:
    return next(iter(str(error).strip().splitlines()), "")


def _cause(error: BaseException) -> str:
    """The error's type and first line, and the line of the author's code it came from."""
    line = errors.author_line(error)
    return f"{type(error).__name__}: {_first_line(error)}" + (f" (at {line})" if line else "")


def _on_meta(claim: Claim) -> torch.nn.Module:
    with torch.device("meta"):
        return registry.get_model(claim.model)


def _on_input(claim: Claim, size: tuple[int, ...], run: Run[T]) -> T:
    """``run`` on the claim's model and input. A forward that fails one of torch's shape checks (a wrong ``input``,
    most often) is the claim's ``error`` in one line, naming the input and the line of the model's code that
    failed; any other failure, the builder's included, keeps its traceback."""
    model = _on_meta(claim)
    try:
        return run(model, size)
    except RuntimeError as error:
        if not _SHAPE_MISMATCH.search(_first_line(error)):
            raise
        given = "the claim's `input`" if claim.input else "its registered input size"
        raise errors.MeasurementError(f"{claim.model} does not run on {given} {list(size)}: {_cause(error)}"
                                      ) from error


def params(claim: Claim) -> verdict.Measurement:
    """Parameters under the claim's counting convention."""
    return verdict.Measurement(measure.params(_on_meta(claim), claim.count))


def macs(claim: Claim) -> verdict.Measurement:
    """MACs with both counters under the claim's convention."""
    count = _on_input(claim, input_size(claim), lambda model, size: measure.macs(model, size, claim.count))
    return verdict.Measurement(count.value, dict(count.counters))


_LAYER_TABLES: dict[tuple[str, tuple[int, ...]], measure.LayerTable] = {}
"""Each model traced once per input; its layer claims read rows of the same table."""


def layer(claim: Claim) -> verdict.Measurement:
    """One row of the model's traced layer table: params, MACs or output shape."""
    key = (claim.model, input_size(claim))
    if key not in _LAYER_TABLES:
        _LAYER_TABLES[key] = _on_input(claim, key[1], measure.layer_table)
    measured = _LAYER_TABLES[key][claim.layer].measure(claim.quantity, count=claim.count, layout=claim.layout)
    return verdict.Measurement(measured.value, dict(measured.counters))


def size(claim: Claim) -> verdict.Measurement:
    """torchinfo's estimate on the meta device, or the checkpoint bytes of a zeroed CPU copy (no input)."""
    if not needs_input(claim):
        return verdict.Measurement(measure.size_bytes(_on_meta(claim), (), claim.size))
    return verdict.Measurement(_on_input(claim, input_size(claim),
                                         lambda model, shape: measure.size_bytes(model, shape, claim.size)))


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
