"""One measurement per claim family: a claim in, a ``verdict.Measurement`` out.

The structural families build the model on the meta device (no weight is allocated; a builder that reads its own
tensors' values builds on the CPU, each weight moved to the meta device as it registers), and a small model whose
forward needs real data (a branch on its input's values) again on the CPU; the training families
train with the author's recipe through ``claimbench.runs``. The claim tests of this repository's
``benchmarks/`` and the items the plugin collects from a ledger both call these.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import itertools
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import torch
import torchinfo
from torch.nn.modules import module as hooks
from torch.nn.parameter import is_lazy

import claimbench
from claimbench import errors, measure, registry, siblings, verdict, vocab
from claimbench.ledger import Claim

if TYPE_CHECKING:
    from claimbench.runs.settings import Settings

T = TypeVar("T")

__all__ = ["epoch_time", "input_size", "layer", "macs", "measurement", "needs_input", "params", "size", "training"]


def needs_input(claim: Claim) -> bool:
    """MACs, layers and torchinfo's sizes run the model on an input; parameters and checkpoints do not (a lazy model's
    whole count runs on one where it is known, and says how to give one where it is not: ``params``)."""
    return claim.kind in ("macs", "layer") or claim.kind == "size" and claim.size in vocab.TORCHINFO_SIZES


def input_size(claim: Claim) -> tuple[int, ...]:
    """The claim's input, else its model's registered input size."""
    size = claim.input or registry.input_size(claim.model)
    if size is None:
        raise errors.MeasurementError(f"{claim.model} has no registered input size: give input = [C, H, W]")
    return tuple(size)


CPU_FALLBACK_BYTES = 256 * 2**20
"""The most weight and buffer bytes built on the CPU for a model whose forward cannot run on the meta device."""

_SHAPE_MISMATCH = re.compile(r"shape|size|dim|channel|elements", re.IGNORECASE)
"""Words of torch's shape checks: a wrong input fails one of them."""

_NEEDS_DATA = re.compile(r"\bmeta\b", re.IGNORECASE)
"""torch's word for the device without data, in the errors of ops that need data (``.item()``, ``nonzero``) and
of a tensor made on another device."""

Run = Callable[[torch.nn.Module, tuple[int, ...]], T]


_NO_MEMORY = re.compile(r"allocat|out of memory", re.IGNORECASE)
"""torch's words for a tensor the CPU has no memory for (``DefaultCPUAllocator: can't allocate memory``)."""


def _on_meta(claim: Claim, **overrides: Any) -> torch.nn.Module:
    """The claim's model, its builder's defaults replaced by ``overrides``, with its weights on the meta device. A
    builder that reads the values of tensors it makes (torchvision's RegNets: ``.tolist()``), which the meta device
    does not hold, builds on the CPU instead, each weight moved to the meta device as its module registers it
    (``_weights_to_meta``); a weight the CPU has no memory for, or a builder that reads its weights' values, is the
    claim's one-line error."""
    try:
        with torch.device("meta"):
            return _model(claim, **overrides)
    except (NotImplementedError, RuntimeError) as error:
        if not _NEEDS_DATA.search(errors.first_line(error)):
            raise
        failure = error
    try:
        with _seeded(), _weights_to_meta():
            return _model(claim, **overrides)
    except (MemoryError, NotImplementedError, RuntimeError) as error:
        line = errors.first_line(error)
        if isinstance(error, MemoryError) or _NO_MEMORY.search(line):
            then = "ran out of memory"
        elif _NEEDS_DATA.search(line):
            then = "read the values of a weight, which it keeps on the meta device"
        else:
            raise
        raise errors.MeasurementError(
            f"{claim.model}: its builder reads tensors that torch's meta device holds no data for "
            f"({errors.in_one_line(failure)}), and built on the CPU one weight at a time it {then}: "
            f"{errors.in_one_line(error)}") from error


def _model(claim: Claim, **overrides: Any) -> torch.nn.Module:
    """The claim's model, its builder's defaults replaced by ``overrides``. A builder that returns no
    ``torch.nn.Module`` (``registry.NotAModuleError``, the author's mistake) is the claim's one-line error, the
    ``TypeError`` naming the builder and what it returned; any other error keeps its traceback."""
    try:
        return registry.get_model(claim.model, **overrides)
    except registry.NotAModuleError as error:
        raise errors.MeasurementError(f"TypeError: {errors.first_line(error)}") from error


def _to_meta(module: torch.nn.Module, name: str, tensor: torch.Tensor | None) -> torch.Tensor | None:
    """A parameter or buffer as it registers, on the meta device: None (as it is) for one already there (tied to
    another, whose identity it keeps) or lazy (built in the first forward)."""
    if tensor is None or tensor.is_meta or is_lazy(tensor):
        return None
    if isinstance(tensor, torch.nn.Parameter):
        return type(tensor)(tensor.to("meta"), requires_grad=tensor.requires_grad)
    return tensor.to("meta")


@contextlib.contextmanager
def _weights_to_meta() -> Iterator[None]:
    """Every parameter and buffer a module registers in the block moved to the meta device at once, so that no more
    than one weight is held on the CPU at a time; the builder's other tensors stay there."""
    handles = [hooks.register_module_parameter_registration_hook(_to_meta),
               hooks.register_module_buffer_registration_hook(_to_meta)]
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def _weight_bytes(model: torch.nn.Module) -> int:
    tensors = itertools.chain(model.parameters(), model.buffers())
    return sum(t.numel() * t.element_size() for t in tensors if not is_lazy(t))


@contextlib.contextmanager
def _seeded() -> Iterator[None]:
    """Weights and inputs from a fixed seed, so that a forward that reads its data takes the same path each time;
    the global random state is restored after."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        yield


def _on_cpu(claim: Claim, on_meta: torch.nn.Module, failure: RuntimeError, **overrides: Any) -> torch.nn.Module:
    """The claim's model (``overrides`` as ``_on_meta``'s) built again on the CPU, for a forward the meta device could
    not run; a model over ``CPU_FALLBACK_BYTES`` is the claim's one-line error instead."""
    weights = _weight_bytes(on_meta)
    if weights > CPU_FALLBACK_BYTES:
        needs = ("makes a tensor off the meta device" if "device" in errors.first_line(failure)
                 else "depends on data values")
        raise errors.MeasurementError(
            f"{claim.model}: the structural counters run models on torch's meta device, which holds no data, and "
            f"its forward {needs}: {errors.in_one_line(failure)}; its {weights / 2**20:,.0f} MiB of weights are "
            f"over the {CPU_FALLBACK_BYTES // 2**20} MiB claimbench builds on the CPU instead") from failure
    return _model(claim, **overrides)


def _run(claim: Claim, model: torch.nn.Module, size: tuple[int, ...], run: Run[T], **overrides: Any
         ) -> tuple[T, str]:
    """``run`` on the model built on the meta device (with ``overrides``, as ``_on_meta``) and the device it ran on:
    the CPU, seeded, when its forward needs data the meta device has none of (a branch on values, ``.item()``, a
    tensor made on the CPU)."""
    try:
        return run(model, size), "meta"
    except RuntimeError as error:
        if not _NEEDS_DATA.search(errors.first_line(error)):
            raise
        failure = error
    with _seeded():
        model = _on_cpu(claim, model, failure, **overrides)
        try:
            return run(model, size), "cpu"
        finally:
            model.to(device="meta")  # a layer table keeps the modules, not their weights


def _on_input(claim: Claim, model: torch.nn.Module, size: tuple[int, ...], run: Run[T]) -> tuple[T, str]:
    """``run`` on the claim's model, built on the meta device, and input, and the device it ran on. A forward that
    fails one of torch's shape checks, or an assertion of the model's own (torchvision's ViT: "Wrong image height!"),
    a wrong ``input`` most often, is the claim's ``error`` in one line, naming the input and the line of the model's
    code that failed; any other failure keeps its traceback."""
    given = "the claim's `input`" if claim.input else "its registered input size"
    try:
        return _run(claim, model, size, run)
    except AssertionError as error:
        if _ours(error):
            raise
        raise errors.MeasurementError(
            f"{claim.model} does not run on {given} {list(size)}: {errors.in_one_line(error)}") from error
    except RuntimeError as error:
        if not _SHAPE_MISMATCH.search(errors.first_line(error)):
            raise
        said = _said_on_cpu(claim, model, size, run, error)
        raise errors.MeasurementError(
            f"{claim.model} does not run on {given} {list(size)}: {errors.in_one_line(said)}") from error


def _ours(error: BaseException) -> bool:
    """Whether ``error`` was raised in claimbench's or torchinfo's own code, not by the model (or torch) checking
    its input: a bug of ours keeps its traceback."""
    raised = traceback.extract_tb(error.__traceback__)[-1].filename
    return any(Path(raised).is_relative_to(Path(package.__file__).parent) for package in (claimbench, torchinfo))


def _said_on_cpu(claim: Claim, on_meta: torch.nn.Module, size: tuple[int, ...], run: Run[T],
                 failure: RuntimeError) -> RuntimeError:
    """What the CPU says of a shape check the meta device failed: its kernels name what they expected ("expected
    input[1, 3, 32, 32] to have 1 channels"); the meta device's error for a model over ``CPU_FALLBACK_BYTES``."""
    try:
        with _seeded():
            run(_on_cpu(claim, on_meta, failure), size)
    except errors.MeasurementError:  # too large to build on the CPU
        return failure
    except RuntimeError as error:
        return error
    return failure


def _hinted(claim: Claim, measurement: verdict.Measurement, conventions: Iterable[str],
            measured_as: Callable[[str], verdict.Measured],
            counted: Callable[[torch.nn.Module], int] | None = None) -> verdict.Measurement:
    """The measurement and, where it refutes the claim, the model's value under each of ``conventions`` (its
    ``siblings``), and, given how the claim counts a model (``counted``), its model's with 1000 classes
    (``_with_classes``), for the judge to say which one the author's number is; one that cannot be measured (a lazy
    model's parameters) is left out."""
    if verdict.judge(claim, verdict.Observation(measurement)).verdict != "refuted":
        return measurement
    values: dict[str, verdict.Measured] = {}
    for convention in conventions:
        with contextlib.suppress(errors.MeasurementError):
            values[convention] = measured_as(convention)
    if counted is not None:
        values |= _with_classes(claim, measurement.measured, counted)
    return dataclasses.replace(measurement, siblings=values)


def _with_classes(claim: Claim, measured: verdict.Measured,
                  counted: Callable[[torch.nn.Module], int]) -> dict[str, int]:
    """``counted`` of the claim's model built on the meta device with ``num_classes=siblings.CLASSES`` (on the CPU
    where its forward needs data, as the claim's own: ``_run``), under ``siblings.WITH_CLASSES``, where its builder
    takes ``num_classes`` (``_takes_classes``) and that count is not the claim's model's (built with another class
    count): a CIFAR-10 table prints torchvision's ImageNet count. Empty where it is, or where that model cannot be
    built or counted: a hint never fails the claim."""
    if not _takes_classes(claim):
        return {}
    classes = {"num_classes": siblings.CLASSES}
    try:
        value, _ = _run(claim, _on_meta(claim, **classes), (), lambda model, _: counted(model), **classes)
    except Exception:  # noqa: BLE001 - an error of the author's builder or forward: no hint, never the claim's error
        return {}
    return {} if value == measured else {siblings.WITH_CLASSES: value}


def _takes_classes(claim: Claim) -> bool:
    """Whether the claim's builder takes ``num_classes``, by name or among its keywords (torchvision-style
    ``**overrides``, as torchvision's and timm's builders take it)."""
    try:
        parameters = inspect.signature(registry.resolve(claim.model)).parameters.values()
    except (TypeError, ValueError):  # a builder whose signature cannot be read (a built-in)
        return False
    return any(one.name == "num_classes" or one.kind is one.VAR_KEYWORD for one in parameters)


def params(claim: Claim) -> verdict.Measurement:
    """Parameters under the claim's counting convention (and, refuted, under the others, and under its own without
    each part of the model ``siblings.parts`` names, and of its model with 1000 classes: ``_with_classes``). A count
    of the tensors a lazy model builds in its first forward counts a copy built by one on the claim's input
    (``input_size``); ``constructed`` counts the model unbuilt."""
    model = _on_meta(claim)
    if not measure.unbuilt(model, claim.count):
        counted = measure.params(model, claim.count)
        measurement = verdict.Measurement(counted, words=_built(claim, model, counted))
        whole = model
    else:
        shape = _build_input(claim, model)
        whole, device = _on_input(claim, model, shape, measure.built)
        lazy = measure.lazy_layers(model, claim.count)
        measurement = verdict.Measurement(measure.params(whole, claim.count), device=device, input=shape, words=(
            f"built by a first forward on a {'×'.join(map(str, shape))} input ({lazy})",))
    return _hinted(claim, measurement, (*siblings.conventions(claim), *siblings.parts(claim)), lambda other: (
        measure.params_without(whole, claim.count, other) if other in measure.PARAM_PARTS
        else measure.params(model if other == "constructed" else whole, other)), lambda other: _params_of(claim, other))


def _params_of(claim: Claim, model: torch.nn.Module) -> int:
    """Another model's parameters under the claim's count, on the meta device: a copy built by a forward on the
    claim's input (``input_size``) where the count holds tensors a first forward builds."""
    return measure.params(measure.built(model, input_size(claim)) if measure.unbuilt(model, claim.count) else model,
                          claim.count)


def _build_input(claim: Claim, model: torch.nn.Module) -> tuple[int, ...]:
    """The input a lazy model's copy is built on for the claim's count; with none, the claim's one-line error."""
    try:
        return input_size(claim)
    except errors.MeasurementError:
        raise errors.MeasurementError(
            f"count {claim.count!r}: the model builds {measure.unbuilt(model, claim.count)}, and {claim.model} has no "
            "registered input size to build them on: give input = [C, H, W] on the claim or its table; "
            "count = 'constructed' counts those built at construction") from None


def _built(claim: Claim, model: torch.nn.Module, counted: int) -> tuple[str, ...]:
    """Of a ``constructed`` count that leaves lazy layers out, in words, the whole model's trainable parameters once
    a forward on the claim's input (``input_size``) has built them; why not, in one line, where there is none or the
    forward fails: the verdict is the count's either way."""
    lazy = measure.lazy_layers(model)
    if claim.count != "constructed" or not lazy:
        return ()
    try:
        shape = input_size(claim)
        whole, _ = _on_input(claim, model, shape, measure.built)
    except Exception as error:  # noqa: BLE001 - said in the words, never the claim's failure
        why = errors.first_line(error) if isinstance(error, errors.MeasurementError) else errors.in_one_line(error)
        return (f"the whole model ({lazy}) is not measured: {why}",)
    trainable = measure.params(whole, "trainable")
    return (f"built by a first forward on a {'×'.join(map(str, shape))} input ({lazy}), the whole model has "
            f"{trainable:,} trainable parameters, {trainable - counted:,} more than this count",)


def macs(claim: Claim) -> verdict.Measurement:
    """MACs with both counters under the claim's convention, with the part only FlopCounterMode counts (functional
    products: attention's) in words (and, refuted, under the others, from the same trace, and of its model with 1000
    classes: ``_with_classes``)."""
    shape = input_size(claim)
    row, device = _on_input(claim, _on_meta(claim), shape, lambda model, size: measure.layer(model, size, ""))
    count = row.measure("macs", count=claim.count)
    measurement = verdict.Measurement(count.value, dict(count.counters), device=device, input=shape,
                                      words=count.words)
    return _hinted(claim, measurement, siblings.conventions(claim),
                   lambda convention: row.measure("macs", count=convention).value,
                   lambda other: measure.macs(other, shape, claim.count).value)


_LAYER_TABLES: dict[tuple[str, tuple[int, ...]], tuple[measure.LayerTable, str]] = {}
"""Each model traced once per input; its layer claims read rows of the same table."""


def layer(claim: Claim) -> verdict.Measurement:
    """One row of the model's traced layer table: params, MACs (with their functional part in words, as ``macs``)
    or output shape, and its module's class (and, refuted, the row's under the quantity's other counts or
    layout)."""
    key = (claim.model, input_size(claim))
    if key not in _LAYER_TABLES:
        _LAYER_TABLES[key] = _on_input(claim, _on_meta(claim), key[1], measure.layer_table)
    table, device = _LAYER_TABLES[key]
    row = table[claim.layer]
    as_claimed = {"count": claim.count, "layout": claim.layout}
    measured = row.measure(claim.quantity, **as_claimed)
    measurement = verdict.Measurement(measured.value, dict(measured.counters), device=device, input=key[1],
                                      words=measured.words, module=type(row.module).__name__)
    return _hinted(claim, measurement, siblings.conventions(claim), lambda other: row.measure(
        claim.quantity, **{**as_claimed, siblings.field(claim): other}).value)


def size(claim: Claim) -> verdict.Measurement:
    """torchinfo's sizes on the meta device, with the parameters it leaves out in words; the parameter bytes, or the
    bytes of a checkpoint or a saved state dict, counted from the meta device too (no input). Refuted, the other
    sizes too: torchinfo's only where the claim's own ran the model's forward."""
    model = _on_meta(claim)
    if not needs_input(claim):
        measurement = verdict.Measurement(measure.size_bytes(model, (), claim.size), device="meta")
        unrun = [other for other in siblings.conventions(claim) if other not in vocab.TORCHINFO_SIZES]
        return _hinted(claim, measurement, unrun, lambda other: measure.size_bytes(model, (), other))
    shape = input_size(claim)
    estimate, device = _on_input(claim, model, shape,
                                 lambda model, size: measure.torchinfo_size(model, size, claim.size))
    measurement = verdict.Measurement(estimate.size, device=device, input=shape, words=estimate.words())
    return _hinted(claim, measurement, siblings.conventions(claim), lambda other: _run(
        claim, model, shape, lambda model, shape: measure.size_bytes(model, shape, other))[0])


def training(claim: Claim, settings: Settings) -> verdict.Measurement:
    """The claimed statistic after training with the author's recipe, over the session's seeds, and who chose bf16
    where a run trained in it."""
    from claimbench.runs import local

    outcome = local.measure(claim, settings)
    return verdict.Measurement(outcome.mean, seeds=outcome.values, spread=outcome.spread, device=outcome.device,
                               unverified_data=not outcome.verified, data_finding=outcome.finding,
                               partial_data=outcome.partial, stored=outcome.stored, bf16=outcome.bf16,
                               step=outcome.step)


def epoch_time(claim: Claim, settings: Settings, benchmark: Any) -> verdict.Measurement:
    """Seconds per epoch, judged only when our device is the claim's hardware: the median of the timed epochs
    (``seeds``), which must all lie on one side of each end of the band (noise must neither pass nor refute the
    claim); ``spread`` is half their range, as a seeds' spread is half their interval."""
    from claimbench.runs import timing

    epoch = timing.time_epoch(claim, settings, benchmark)
    spread = (max(epoch.rounds) - min(epoch.rounds)) / 2
    return verdict.Measurement(epoch.seconds, seeds=epoch.rounds, spread=spread, device=epoch.device,
                               unverified_data=not epoch.verified, data_finding=epoch.finding,
                               partial_data=epoch.partial, load=epoch.load, on_accelerator=epoch.on_accelerator)


_STRUCTURAL = {"params": params, "macs": macs, "layer": layer, "size": size}


def measurement(claim: Claim, settings: Callable[[], Settings], benchmark: Any) -> verdict.Measurement:
    """Any claim's measurement, by its kind; ``settings`` is called only for the training families."""
    if claim.kind in _STRUCTURAL:
        return _STRUCTURAL[claim.kind](claim)
    if claim.kind == "epoch_time":
        return epoch_time(claim, settings(), benchmark)
    return training(claim, settings())
