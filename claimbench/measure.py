"""Measure a built model's structure: parameters, MACs, per-layer rows and sizes, under named conventions.

MACs come from two independent counters run on the model's own device (the meta device for claims):

- ``FlopCounterMode``: PyTorch's dispatch-level counter, FLOPs / 2 = pure multiply-accumulates of
  every conv, linear and matmul, functional ones included (attention), with formulas of ours for the
  products it has none for (``COUNTED``: matrix-vector, dot, ``nn.Bilinear``). Biases, BatchNorm,
  activations and pooling count 0. A matrix product no formula counts (``UNCOUNTED``) makes the MACs
  of every layer that ran it an error rather than a 0. Per layer: the counter's total read before and
  after the layer's forward, and the call's own share, less the calls nested in it (a profiler's self
  time): a module with submodules, or a leaf without parameters, owns the functional products its forward runs
  outside any leaf layer with parameters (a ``MultiheadAttention``'s projections and q·k, attention·v). The bias and other-parameter terms of the
  ``torchinfo`` convention come from forward hooks on the leaf layers. A layer's row holds the calls made under its
  path (the call stack: a module shared by two parents counts in each the calls that parent made), and every term
  of a row is of the calls made inside those, each call once.
- ``torchinfo`` 1.8.0's per-leaf Mult-Adds, read from ``ModelStatistics.summary_list`` (a row per call, each
  matched to the same call on the FlopCounterMode side, in call order) and split into the same terms: a conv's,
  linear's or bilinear's bias term (one add per bias element per output position) and every other leaf's with
  parameters (BatchNorm: 2·C per image) are taken out of the pure term, and a Linear on a 3-D or higher input is
  scaled from the batch to all leading positions (1.8.0 multiplies by the batch only). torchinfo counts leaf layers
  by their parameters only, so it cannot see the functional products: its terms take them from FlopCounterMode
  (``LayerRow.functional``), and the two counters are compared on the leaf layers with parameters, where any leaf
  counted differently makes them disagree, which the verdict reports instead of choosing one.

Both counters are always reported under the claim's convention (``MAC_CONVENTIONS``): ``pure``, ``torchinfo``
(pure plus the bias and other terms) or ``flops`` (two FLOPs, a multiply and an add, per pure MAC).
"""

from __future__ import annotations

import copy
import difflib
import io
import itertools
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from math import prod
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn
import torchinfo
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.nn.parameter import UninitializedParameter, is_lazy
from torch.utils.flop_counter import FlopCounterMode
from torchinfo.layer_info import LayerInfo
from torchinfo.model_statistics import ModelStatistics
from torchvision.ops.misc import FrozenBatchNorm2d

from claimbench import errors, vocab

__all__ = [
    "COUNTED",
    "FLOP_COUNTER",
    "LAYOUTS",
    "MAC_CONVENTIONS",
    "PARAM_COUNTERS",
    "PARAM_PARTS",
    "SIZES",
    "TORCHINFO",
    "UNCOUNTED",
    "TorchinfoSize",
    "LayerRow",
    "LayerTable",
    "MacTerms",
    "Measurement",
    "built",
    "channels_last",
    "layer",
    "layer_table",
    "lazy_layers",
    "macs",
    "params",
    "params_without",
    "size_bytes",
    "torchinfo_size",
    "unbuilt",
]

FLOP_COUNTER = "FlopCounterMode"
TORCHINFO = "torchinfo"

Shape = tuple[int, ...]


# ----------------------------------------------------------------------------- parameters


def _trainable(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _all(model: nn.Module) -> int:
    """Every parameter, trainable or frozen, each once (torchvision's ``num_params``, timm's ``param_count``)."""
    return sum(p.numel() for p in model.parameters())


def _constructed(model: nn.Module) -> int:
    """Trainable parameters that exist right after construction; lazy layers are not built yet."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad and not isinstance(p, UninitializedParameter))


def _is_batchnorm(module: nn.Module) -> bool:
    """Whether ``module`` is a BatchNorm layer: torch's (``_BatchNorm``), or torchvision's ``FrozenBatchNorm2d``
    (detection backbones, ported models), which keeps its weight and bias as buffers, not parameters."""
    return isinstance(module, (nn.modules.batchnorm._BatchNorm, FrozenBatchNorm2d))


def _keras_buffers(module: nn.Module) -> tuple[str, ...]:
    """The buffers of ``module`` Keras counts as weights: a BatchNorm's moving mean and variance (not its
    ``num_batches_tracked``), and a frozen one's gamma and beta too, which Keras keeps as frozen weights and
    ``FrozenBatchNorm2d`` as buffers."""
    if isinstance(module, FrozenBatchNorm2d):
        return "weight", "bias", "running_mean", "running_var"
    if isinstance(module, nn.modules.batchnorm._BatchNorm) and module.track_running_stats:
        return "running_mean", "running_var"
    return ()


def _keras_weights(model: nn.Module) -> dict[str, torch.Tensor]:
    """The tensors Keras counts as weights, by name, each once: every parameter, trainable or frozen, and a
    BatchNorm's weights held as buffers (``_keras_buffers``): a BatchNorm(C), frozen or not, is 4·C."""
    return dict(model.named_parameters()) | {
        f"{name}.{buffer}".lstrip("."): getattr(module, buffer)
        for name, module in model.named_modules() for buffer in _keras_buffers(module)}


def _keras(model: nn.Module) -> int:
    """Keras ``count_params()``: the elements of its weights (``_keras_weights``)."""
    return sum(tensor.numel() for tensor in _keras_weights(model).values())


def _state_dict_elements(model: nn.Module) -> int:
    """Every element of the state_dict: the parameters and the persistent buffers (BatchNorm's running mean and
    variance and its ``num_batches_tracked``), a tensor held under two names counted under each, as
    ``sum(v.numel() for v in model.state_dict().values())`` counts them."""
    return sum(tensor.numel() for tensor in model.state_dict().values())


def _tensors(model: nn.Module) -> int:
    return len(list(model.parameters()))


def _state_dict(model: nn.Module) -> int:
    return len(model.state_dict())


PARAM_COUNTERS = {
    "trainable": _trainable,
    "all": _all,
    "constructed": _constructed,
    "keras": _keras,
    "state_dict_elements": _state_dict_elements,
    "tensors": _tensors,
    "state_dict": _state_dict,
}


def params(model: nn.Module, count: str) -> int:
    """Count the model's parameters under the named convention (see ``PARAM_COUNTERS``)."""
    try:
        counter = PARAM_COUNTERS[count]
    except KeyError:
        raise ValueError(f"unknown parameter count {count!r}; known: {', '.join(PARAM_COUNTERS)}") from None
    if words := unbuilt(model, count):
        raise errors.MeasurementError(f"count {count!r}: the model builds {words}, and their number is unknown before "
                                      "it; count = 'constructed' counts those built at construction")
    return counter(model)


def unbuilt(model: nn.Module, count: str) -> str:
    """What ``count`` counts that the model builds in its first forward, in words: "parameters in its first forward
    (its lazy layer '2', a LazyLinear: 2.weight, 2.bias)"; "" where none, or where ``count`` counts no lazy tensor's
    elements (``constructed``, ``tensors``, ``state_dict``)."""
    tensors = _unbuilt(model, count) if count in ("trainable", "all", "keras", "state_dict_elements") else {}
    if not tensors:
        return ""
    built = " and ".join(sorted({"parameters" if isinstance(tensor, UninitializedParameter) else "buffers"
                                 for tensor in tensors.values()}, reverse=True))
    return f"{built} in its first forward ({_lazy_layers(model, tensors)}: {', '.join(tensors)})"


def _lazy_layers(model: nn.Module, unbuilt: dict[str, torch.Tensor]) -> str:
    """Which layers hold the ``unbuilt`` tensors, in words: "its lazy layers '0', a LazyLinear, and '2', a
    LazyLinear"; "the model is itself a lazy layer, a LazyLinear" where the model is one (an ``nn.LazyLinear``)."""
    layers = dict.fromkeys(name.rpartition(".")[0] for name in unbuilt)
    named = [f"{layer!r}, a {type(model.get_submodule(layer)).__name__}" for layer in layers if layer]
    listed = f"{', '.join(named[:-1])}, and {named[-1]}" if len(named) > 1 else "".join(named)
    plural = "s" * (len(named) > 1)
    if "" not in layers:
        return f"its lazy layer{plural} {listed}"
    itself = f"the model is itself a lazy layer, a {type(model).__name__}"
    return f"{itself}, and so {'are' if plural else 'is'} its layer{plural} {listed}" if named else itself


def lazy_layers(model: nn.Module, count: str = "trainable") -> str:
    """The layers whose tensors that ``count`` counts (parameters; for ``keras`` and ``state_dict_elements``, buffers
    too) the model's first forward builds, in words (``_lazy_layers``); "" where none."""
    tensors = _unbuilt(model, count)
    return _lazy_layers(model, tensors) if tensors else ""


def _unbuilt(model: nn.Module, count: str) -> dict[str, torch.Tensor]:
    """The tensors ``count`` counts (parameters; Keras's BatchNorm moving mean and variance, or the state_dict's
    buffers, too) that a lazy layer builds in its first forward, by name."""
    counted: dict[str, torch.Tensor] = dict(model.named_parameters())
    if count == "state_dict_elements":
        counted = model.state_dict(keep_vars=True)
    elif count == "keras":
        counted = _keras_weights(model)
    return {name: tensor for name, tensor in counted.items() if is_lazy(tensor)}


def _batchnorms(model: nn.Module) -> list[nn.Module]:
    return [module for module in model.modules() if _is_batchnorm(module)]


def _classifier(model: nn.Module) -> list[nn.Module]:
    """The final Linear layer: the last module that holds parameters of its own, where it is a Linear."""
    owners = [module for module in model.modules() if next(module.parameters(recurse=False), None) is not None]
    return owners[-1:] if owners and isinstance(owners[-1], nn.Linear) else []


def _aux_classifiers(model: nn.Module) -> list[nn.Module]:
    """The auxiliary classifiers: the outermost modules whose own name begins with "aux", in any case (googlenet's
    aux1 and aux2, inception_v3's AuxLogits), as torchvision's ``aux_logits=False`` removes them."""
    named = [name for name, _ in model.named_modules() if name.rpartition(".")[2].lower().startswith("aux")]
    outermost = [name for name in named if not any(name.startswith(f"{other}.") for other in named)]
    return [model.get_submodule(name) for name in outermost]


def _is_bias(name: str) -> bool:
    """Whether a parameter's dotted name is a bias's: its own name is ``bias``, ``bias_*`` (an LSTM's
    ``bias_ih_l0``, a MultiheadAttention's ``bias_k``) or ``*_bias`` (its ``in_proj_bias``)."""
    own = name.rpartition(".")[2]
    return own == "bias" or own.startswith("bias_") or own.endswith("_bias")


def _biases(model: nn.Module) -> list[nn.Module]:
    """The biases (``_is_bias``), each once, held in one ``nn.ParameterList``, which every count counts as it counts
    them in the model (elements, or tensors); none where the model has none."""
    biases = [parameter for name, parameter in model.named_parameters() if _is_bias(name)]
    return [nn.ParameterList(biases)] if biases else []


PARAM_PARTS = {"without_batchnorm": _batchnorms, "without_classifier": _classifier,
               "without_aux_classifiers": _aux_classifiers, "without_biases": _biases}
"""The modules of each part ``vocab.PARAM_PARTS`` names."""


def params_without(model: nn.Module, count: str, part: str) -> int:
    """The model's parameters under ``count`` less those of its part (``PARAM_PARTS``) under it: a ``keras`` count
    without BatchNorm leaves out its moving statistics too. A model without the part is a ``MeasurementError``."""
    modules = PARAM_PARTS[part](model)
    if not modules:
        raise errors.MeasurementError(f"the model has no {part.removeprefix('without_')}")
    return params(model, count) - params(nn.ModuleList(modules), count)


# ----------------------------------------------------------------------------- MACs


@dataclass(frozen=True)
class MacTerms:
    """One counter's tally of a forward pass, split the way the MAC conventions need it.

    ``pure``: multiply-accumulates of convs, linears and matmuls; ``bias``: one add per bias element
    per output position of a conv or linear; ``other``: batch × parameters of every other leaf layer
    that owns parameters (BatchNorm: 2·C), as torchinfo counts them.
    """

    pure: int = 0
    bias: int = 0
    other: int = 0

    def __add__(self, other: MacTerms) -> MacTerms:
        return MacTerms(self.pure + other.pure, self.bias + other.bias, self.other + other.other)


MAC_CONVENTIONS: dict[str, Callable[[MacTerms], int]] = {
    "pure": lambda terms: terms.pure,
    "torchinfo": lambda terms: terms.pure + terms.bias + terms.other,
    "flops": lambda terms: 2 * terms.pure,
}


def _mac_convention(count: str | None) -> Callable[[MacTerms], int]:
    if count not in MAC_CONVENTIONS:
        raise ValueError(f"unknown MAC count {count!r}; known: {', '.join(MAC_CONVENTIONS)}")
    return MAC_CONVENTIONS[count]


def _mv_flops(matrix: Shape, vector: Shape, *args: Any, **kwargs: Any) -> int:
    return 2 * prod(matrix)


def _addmv_flops(added: Shape, matrix: Shape, vector: Shape, *args: Any, **kwargs: Any) -> int:
    return 2 * prod(matrix)


def _dot_flops(left: Shape, right: Shape, *args: Any, **kwargs: Any) -> int:
    return 2 * prod(left)


def _trilinear_flops(first: Shape, second: Shape, third: Shape, expand1: list[int], expand2: list[int],
                     expand3: list[int], *args: Any, **kwargs: Any) -> int:
    """``nn.Bilinear``'s product: one MAC per point of the three inputs' broadcast index space (``out × in1 × in2``
    per sample, the weight's size, as torchinfo counts it); each input is unsqueezed at its ``expand`` dims."""
    def unsqueezed(shape: Shape, expand: list[int]) -> list[int]:
        dims = list(shape)
        for dim in sorted(expand):
            dims.insert(dim, 1)
        return dims

    return 2 * prod(map(max, zip(unsqueezed(first, expand1), unsqueezed(second, expand2),
                                 unsqueezed(third, expand3))))


_aten = torch.ops.aten
COUNTED: dict[Any, Callable[..., int]] = {
    _aten.mv: _mv_flops, _aten.addmv: _addmv_flops, _aten.addmv_: _addmv_flops, _aten.dot: _dot_flops,
    _aten.vdot: _dot_flops, _aten._trilinear: _trilinear_flops,
}
"""FLOP formulas of ours for products FlopCounterMode 2.x has none for (a 1-D operand: ``h @ query``, ``dot``;
``nn.Bilinear``), by op."""
UNCOUNTED = tuple(getattr(_aten, name) for name in (
    "_native_multi_head_attention", "_transformer_encoder_layer_fwd", "_scaled_dot_product_flash_attention_for_cpu",
    "_scaled_dot_product_fused_attention_overrideable", "_scaled_dot_product_attention_math_for_mps",
    "_flash_attention_forward_no_dropout_inplace", "mkldnn_rnn_layer", "_thnn_fused_lstm_cell", "_cudnn_rnn",
    "miopen_rnn", "quantized_lstm", "quantized_gru", "addmm_", "baddbmm_", "addbmm", "addbmm_", "_addmm_activation",
    "_int_mm", "_grouped_mm", "_scaled_grouped_mm", "_scaled_mm_v2", "_weight_int4pack_mm",
    "_weight_int4pack_mm_for_cpu", "_weight_int8pack_mm", "_dyn_quant_matmul_4bit", "_cslt_sparse_mm",
    "_sparse_semi_structured_mm", "_sparse_semi_structured_addmm", "_sparse_semi_structured_linear", "_foreach_mm",
) if hasattr(_aten, name))
"""Fused or in-place matrix products neither FlopCounterMode nor we have a formula for: a layer that runs one has
no MAC count (an error naming the op), never a count that leaves it out."""


# ----------------------------------------------------------------------------- shapes


def channels_last(shape: Shape) -> Shape:
    """A channels-first shape ``(C, *spatial)`` in Keras / TensorFlow order ``(*spatial, C)``; 1-D stays."""
    return (*shape[1:], shape[0]) if len(shape) > 1 else shape


LAYOUTS: dict[str, Callable[[Shape], Shape]] = {
    "channels_first": lambda shape: shape,
    "channels_last": channels_last,
}


# ----------------------------------------------------------------------------- per-layer rows


@dataclass(frozen=True)
class Measurement:
    """A measured value and, where there are several, each independent counter's value."""

    value: int | Shape
    counters: dict[str, int | Shape] = field(default_factory=dict)
    words: tuple[str, ...] = ()
    """What the counters do not say alone, in words: the functional products only FlopCounterMode counts."""


@dataclass(frozen=True)
class LayerRow:
    """One module of a traced model: its MAC terms and output shapes (batch dropped) by counter.

    The row is the module's calls made under its path, by the call stack: its parent's calls' (a module shared by
    two parents is, under each one's path, the calls that parent made), each with the calls made inside it. A module
    called more than once there sums its MACs over the calls and lists one shape per call; one that never ran
    (``calls`` 0: an auxiliary head, which runs in training mode only) has neither.
    """

    path: str
    module: nn.Module
    calls: int
    macs: dict[str, MacTerms]
    output_shapes: dict[str, tuple[Shape, ...]]
    uncounted: tuple[str, ...] = ()
    """The ``UNCOUNTED`` ops the layer's calls ran: its MACs are unknown."""
    functional: int = 0
    """The MACs of products the row's calls run outside any leaf layer with parameters, e.g. attention's (in a module
    with submodules, or in a leaf without parameters): FlopCounterMode counts them, torchinfo, which counts leaf
    layers by their parameters only, cannot (its terms take them from FlopCounterMode)."""
    functional_in: tuple[str, ...] = ()
    """The classes of the modules whose own forward runs those products (``MultiheadAttention``)."""

    def measure(self, quantity: str, *, count: str | None = None, layout: str | None = None) -> Measurement:
        """The row's ``params`` (by ``count``), ``macs`` (by ``count``) or ``output_shape`` (in ``layout``).

        ``layout`` None is PyTorch's own channels-first order.
        """
        if quantity == "params":
            if count is None:
                raise ValueError(f"layer {self.path!r}: a params quantity needs a count convention")
            return Measurement(params(self.module, count))
        if quantity == "macs":
            convention = _mac_convention(count)
            self._ran("macs")
            if self.uncounted:
                where = f"layer {self.path!r}" if self.path else "the forward"
                raise errors.MeasurementError(
                    f"{where} runs {', '.join(self.uncounted)}, a matrix product FlopCounterMode has no formula "
                    "for: its multiply-accumulates would count 0")
            counters = {name: convention(terms) for name, terms in self.macs.items()}
            return Measurement(counters[FLOP_COUNTER], counters, self._functional_words(count, convention))
        if quantity == "output_shape":
            return self._output_shape(layout or "channels_first")
        raise ValueError(f"unknown layer quantity {quantity!r}; known: params, macs, output_shape")

    def _functional_words(self, count: str | None, convention: Callable[[MacTerms], int]) -> tuple[str, ...]:
        """The functional part of the row's MACs under the convention, in words; none where it has none."""
        if not self.functional:
            return ()
        unit = "FLOPs" if count == "flops" else "MACs"
        total = convention(self.macs[FLOP_COUNTER])
        owners = [f"{name}'s" for name in self.functional_in]
        owners = [", ".join(owners[:-1]), owners[-1]] if len(owners) > 2 else owners
        return (f"{total:,} {unit}, {convention(MacTerms(pure=self.functional)):,} of them in products outside any "
                f"leaf layer with parameters (in {' and '.join(owners)} own forward), which FlopCounterMode alone "
                "counts (torchinfo counts leaf layers by their parameters only: the counters are compared on those)",)

    def _ran(self, quantity: str) -> None:
        """A ``MeasurementError`` for a layer that never ran: it has no MACs and no output shape, not 0 and none."""
        if not self.calls:
            raise errors.MeasurementError(f"layer {self.path!r} never ran in the batch-1 forward in evaluation mode "
                                          f"(an auxiliary head runs in training only): it has no {quantity}")

    def _output_shape(self, layout: str) -> Measurement:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
        self._ran("output_shape")
        counters: dict[str, int | Shape] = {}
        for name, shapes in self.output_shapes.items():
            if not shapes:
                raise errors.MeasurementError(f"layer {self.path!r} returned no tensor ({name}): it has no output "
                                              "shape")
            if len(set(shapes)) != 1:
                raise errors.MeasurementError(
                    f"layer {self.path!r} has no single output shape: its {len(shapes)} calls returned "
                    f"{', '.join(map(str, shapes))} ({name})")
            counters[name] = LAYOUTS[layout](shapes[0])
        return Measurement(counters[FLOP_COUNTER], counters)


class LayerTable(dict[str, LayerRow]):
    """Rows by module path (``""`` is the whole model); a missing path is a ``MeasurementError`` naming the claim's
    ``layer`` and the paths close to it."""

    def __missing__(self, path: str) -> LayerRow:
        close = difflib.get_close_matches(path, list(self), n=5, cutoff=0.5)
        hint = f"; closest: {', '.join(repr(p) for p in close)}" if close else ""
        raise errors.MeasurementError(f"layer: no layer {path!r} in the model{hint}")


@dataclass(eq=False)
class _Call:
    """One forward call of one module, as the FlopCounterMode side saw it, and the calls made inside it."""

    module: nn.Module
    pure: int
    own: int
    """``pure`` less that of the module calls nested in this one: a leaf's all, a module with submodules' the
    products its own forward runs."""
    leaf_terms: MacTerms
    shape: Shape | None
    uncounted: tuple[str, ...]
    nested: list[_Call]
    """The calls made inside this one, in call order (those a nested call that raised made too)."""

    def within(self) -> Iterator[_Call]:
        """This call and every call made inside it, in call order."""
        yield self
        for call in self.nested:
            yield from call.within()


def _device_of(model: nn.Module) -> torch.device:
    tensor = next(itertools.chain(model.parameters(), model.buffers()), None)
    return tensor.device if tensor is not None else torch.device("cpu")


@contextmanager
def _eval_mode(model: nn.Module) -> Iterator[None]:
    """Evaluation mode (batch-1 BatchNorm, no dropout) for the block; every module's mode restored after."""
    modes = {module: module.training for module in model.modules()}
    model.eval()
    try:
        yield
    finally:
        for module, training in modes.items():
            module.training = training


@contextmanager
def _counted_kernels() -> Iterator[None]:
    """The forward's attention and recurrent layers run as the matmuls the meta device runs, for the block.

    On real CPU tensors (a model whose forward needs data) PyTorch takes fused kernels FlopCounterMode has no formula
    for, and torchinfo does not see: ``nn.MultiheadAttention``'s and ``nn.TransformerEncoderLayer``'s fast path,
    ``scaled_dot_product_attention``'s flash kernel and oneDNN's LSTM. They are turned off (the math attention
    backend), so that both devices count the same; the previous settings are restored after.
    """
    onednn = torch.backends.mkldnn
    fastpath = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        with (sdpa_kernel(SDPBackend.MATH),
              onednn.flags(enabled=False, deterministic=onednn.deterministic, allow_tf32=onednn.allow_tf32)):
            yield
    finally:
        torch.backends.mha.set_fastpath_enabled(fastpath)


def _is_leaf(module: nn.Module) -> bool:
    return next(module.children(), None) is None


def _is_weighed(module: nn.Module) -> bool:
    """A leaf layer with parameters of its own: what torchinfo counts, by its parameters."""
    return _is_leaf(module) and next(module.parameters(recurse=False), None) is not None


def _has_bias_term(module: nn.Module) -> bool:
    """Convs, linears and bilinears: their weights are pure MACs and their bias one add per output element."""
    return isinstance(module, nn.modules.conv._ConvNd | nn.Linear | nn.Bilinear)


def _hooked_leaf_terms(module: nn.Module, output: Any) -> MacTerms:
    """The bias and other-parameter terms of one call of a leaf layer, from its output."""
    own = list(module.parameters(recurse=False))
    if not own or not _is_leaf(module) or not isinstance(output, torch.Tensor):
        return MacTerms()
    if _has_bias_term(module):
        return MacTerms(bias=output.numel() if module.bias is not None else 0)
    return MacTerms(other=(output.shape[0] if output.dim() else 1) * sum(p.numel() for p in own))  # a scalar: batch 1


def _run_flop_counter(model: nn.Module, x: torch.Tensor) -> list[_Call]:
    """One forward under FlopCounterMode, with hooks that read the running total (and the ``UNCOUNTED`` ops run so
    far) around every module, and the FLOPs of the calls nested in each (a stack, as a profiler's self time): the
    outermost calls (the model's), each with the calls made inside it."""
    outermost: list[_Call] = []
    started: list[tuple[nn.Module, int, int, list[int], list[_Call]]] = []  # the module, FLOPs and UNCOUNTED ops so
    # far, the nested calls' FLOPs and the nested calls
    uncounted: list[str] = []

    def note(op: Any) -> Callable[..., int]:
        def formula(*args: Any, **kwargs: Any) -> int:
            uncounted.append(f"aten.{op.__name__}")
            return 0
        return formula

    counter = FlopCounterMode(display=False, custom_mapping={**COUNTED, **{op: note(op) for op in UNCOUNTED}})

    def before(module: nn.Module, args: Any) -> None:
        started.append((module, counter.get_total_flops(), len(uncounted), [0], []))

    def after(module: nn.Module, args: Any, output: Any) -> None:
        while started[-1][0] is not module:  # a nested call that raised, its caller catching it: its own products
            *_, orphan_flops, orphans = started.pop()  # stay in the caller's, the calls nested in it are the caller's
            started[-1][3][0] += orphan_flops[0]
            started[-1][4].extend(orphans)
        _, flops, ops, nested_flops, nested = started.pop()
        ran = counter.get_total_flops() - flops
        shape = tuple(output.shape[1:]) if isinstance(output, torch.Tensor) else None
        call = _Call(module, ran // 2, (ran - nested_flops[0]) // 2, _hooked_leaf_terms(module, output), shape,
                     tuple(uncounted[ops:]), nested)
        if started:
            started[-1][3][0] += ran
        (started[-1][4] if started else outermost).append(call)

    handles = [hook for module in model.modules() for hook in (
        module.register_forward_pre_hook(before), module.register_forward_hook(after))]
    try:
        with torch.no_grad(), counter:
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return outermost


def _torchinfo_summary(model: nn.Module, input_size: Shape) -> ModelStatistics:
    """torchinfo's summary of a batch-1 forward. A forward that fails raises its own error, not the RuntimeError
    torchinfo puts around it ("See above stack traces", which it does not print)."""
    try:
        return torchinfo.summary(model, input_size=(1, *input_size), device=_device_of(model), mode="eval",
                                 verbose=0)
    except RuntimeError as error:
        failure = error.__cause__ if str(error).startswith("Failed to run torchinfo") else None
        if failure is None:
            raise
    raise failure


def _torchinfo_leaf_terms(info: LayerInfo) -> MacTerms:
    """A torchinfo leaf row's Mult-Adds split into terms, rescaled to every output position.

    torchinfo 1.8.0 multiplies a layer's parameters by its batch and spatial positions when its class
    name contains "Conv", else by the batch alone: a Linear (or Bilinear) on a 3-D input is undercounted.
    """
    module, output_size = info.module, info.output_size
    if not info.executed or info.macs == 0:
        return MacTerms()
    if not _has_bias_term(module):
        return MacTerms(other=info.macs)
    spatial = prod(output_size[:1] + output_size[2:])
    counted_positions = spatial if "Conv" in info.class_name else output_size[0]
    positions = prod(output_size[:-1]) if isinstance(module, nn.Linear | nn.Bilinear) else spatial
    weights_and_bias = info.macs // counted_positions
    bias = module.bias.numel() if module.bias is not None else 0
    return MacTerms(pure=(weights_and_bias - bias) * positions, bias=bias * positions)


def _held_names(holder: nn.Module) -> dict[nn.Module, tuple[str, ...]]:
    """The dotted names under which ``holder`` holds each module of its tree (itself ``""``), the shortest only: a
    module it holds at two depths its own forward calls by the nearer name."""
    names: dict[nn.Module, list[str]] = defaultdict(list)
    for name, module in holder.named_modules(remove_duplicate=False):
        names[module].append(name)
    nearest = {module: min(name.count(".") for name in held) for module, held in names.items()}
    return {module: tuple(name for name in held if name.count(".") == nearest[module]) for module, held in
            names.items()}


def _joined(path: str, name: str) -> str:
    return f"{path}.{name}" if path and name else path or name


def _calls_by_path(model: nn.Module, outermost: list[_Call]) -> dict[str, list[_Call]]:
    """Each call under the paths its caller (the call it was made inside) reaches its module by: the caller's paths
    joined with each name it holds the module under. A caller that does not hold it (it called a reference outside
    the module tree) leaves it to the nearest of its own callers that does, the model last; a module shared by two
    parents is so under each parent's path only for the calls that parent made."""
    held: dict[nn.Module, dict[nn.Module, tuple[str, ...]]] = {}
    by_path: dict[str, list[_Call]] = defaultdict(list)

    def paths_of(module: nn.Module, callers: list[tuple[nn.Module, tuple[str, ...]]]) -> tuple[str, ...]:
        for caller, caller_paths in reversed(callers):
            if caller not in held:
                held[caller] = _held_names(caller)
            if names := held[caller].get(module, ()):
                return tuple(_joined(path, name) for path in caller_paths for name in names)
        return ()

    def place(call: _Call, callers: list[tuple[nn.Module, tuple[str, ...]]]) -> None:
        paths = paths_of(call.module, callers)
        for path in paths:
            by_path[path].append(call)
        for nested in call.nested:
            place(nested, [*callers, (call.module, paths)])

    for call in outermost:
        place(call, [(model, ("",))])
    return by_path


def _torchinfo_rows(model: nn.Module, outermost: list[_Call], infos: list[LayerInfo]) -> dict[_Call, LayerInfo]:
    """torchinfo's row of each call: both trace every call in the order made, so a module's k-th call is the k-th row
    of it torchinfo ran (it lists one row per call). A module the two forwards called a different number of times is
    a ``MeasurementError``."""
    rows: dict[nn.Module, list[LayerInfo]] = defaultdict(list)
    for info in infos:
        if info.executed:
            rows[info.module].append(info)
    calls: dict[nn.Module, list[_Call]] = defaultdict(list)
    for call in itertools.chain.from_iterable(call.within() for call in outermost):
        calls[call.module].append(call)
    for module in calls.keys() | rows.keys():
        if len(calls[module]) != len(rows[module]):
            path = next(name for name, held in model.named_modules() if held is module)
            raise errors.MeasurementError(
                f"layer {path!r}: {len(calls[module])} calls under FlopCounterMode, {len(rows[module])} under "
                "torchinfo: the two forwards took different paths through the model")
    return {call: info for module, its_calls in calls.items() for call, info in zip(its_calls, rows[module])}


def _torchinfo_shape(info: LayerInfo) -> Shape | None:
    """The output shape torchinfo found, batch dropped; None where the output is no tensor."""
    return tuple(info.output_size[1:]) if all(isinstance(size, int) for size in info.output_size) else None


def _row(path: str, module: nn.Module, calls: list[_Call], torchinfo_rows: dict[_Call, LayerInfo]) -> LayerRow:
    """The row of ``calls``, the calls of ``module`` under ``path``, and of every call made inside them."""
    ran = [call for own in calls for call in own.within()]
    functional = [call for call in ran if not _is_weighed(call.module)]
    outside = sum(call.own for call in functional)
    torchinfo_leaves = (torchinfo_rows[call] for call in ran if torchinfo_rows[call].is_leaf_layer)
    return LayerRow(
        path=path,
        module=module,
        calls=len(calls),
        macs={
            FLOP_COUNTER: sum((call.leaf_terms for call in ran), MacTerms(pure=sum(call.pure for call in calls))),
            TORCHINFO: sum(map(_torchinfo_leaf_terms, torchinfo_leaves), MacTerms(pure=outside)),
        },
        output_shapes={
            FLOP_COUNTER: tuple(call.shape for call in calls if call.shape is not None),
            TORCHINFO: tuple(shape for call in calls if (shape := _torchinfo_shape(torchinfo_rows[call])) is not None),
        },
        uncounted=tuple(sorted({op for call in calls for op in call.uncounted})),
        functional=outside,
        functional_in=tuple(dict.fromkeys(type(call.module).__name__ for call in functional if call.own)),
    )


def layer_table(model: nn.Module, input_size: Shape) -> LayerTable:
    """Trace one batch-1 forward of ``(C, H, W)`` input with both counters; a row per module path, of the calls made
    under that path (``_calls_by_path``)."""
    x = torch.rand((1, *input_size), device=_device_of(model))  # an image in [0, 1), as torchinfo's input
    with _eval_mode(model), _counted_kernels():
        outermost = _run_flop_counter(model, x)
        infos = _torchinfo_summary(model, input_size).summary_list
    torchinfo_rows = _torchinfo_rows(model, outermost, infos)
    by_path = _calls_by_path(model, outermost)
    table = LayerTable()
    for path, module in model.named_modules(remove_duplicate=False):
        table[path] = _row(path, module, by_path.get(path, []), torchinfo_rows)
    return table


def built(model: nn.Module, input_size: Shape) -> nn.Module:
    """A copy of the model once one batch-1 forward of ``(C, H, W)`` input, in evaluation mode, has built its lazy
    layers; the model is left as it was. torch copies no lazy buffer (``UninitializedBuffer`` has no ``__deepcopy__``):
    each is made anew, as its layer made it."""
    fresh = {id(buffer): type(buffer)(buffer.requires_grad, buffer.data.device, buffer.data.dtype)
             for buffer in model.buffers() if is_lazy(buffer)}
    twin = copy.deepcopy(model, fresh)
    with _eval_mode(twin), torch.no_grad():
        twin(torch.rand((1, *input_size), device=_device_of(twin)))
    return twin


def layer(model: nn.Module, input_size: Shape, path: str) -> LayerRow:
    """The row of the module at ``path`` (dotted, as in ``named_modules``; ``""`` is the whole model)."""
    return layer_table(model, input_size)[path]


def macs(model: nn.Module, input_size: Shape, count: str) -> Measurement:
    """MACs of one batch-1 forward under the named convention, as each counter found them."""
    _mac_convention(count)
    return layer(model, input_size, "").measure("macs", count=count)


# ----------------------------------------------------------------------------- sizes

# The checkpoint conventions follow the author of Deep-Learning-CIFAR10-pytorch (research 2.3):
# SGD(lr 1e-3, weight decay 5e-4), with momentum 0.9 or none. The state's shapes, dtypes and key
# names reach the byte count, not its values: the hyperparameters and the epoch pickle to a fixed size,
# and the loss is a 0-d tensor, the batch's loss the author saved.
_CHECKPOINT_SGD = {"lr": 1e-3, "weight_decay": 5e-4}


def _meta_twin(model: nn.Module) -> nn.Module:
    """A copy of the model with every parameter and buffer on the meta device, tied ones still tied and views of one
    storage still sharing it (``torch.save`` writes a storage once); no weight is copied."""
    storages: dict[int, torch.UntypedStorage] = {}  # the original's storage to its meta twin
    memo: dict[int, Any] = {}
    for tensor in itertools.chain(model.parameters(), model.buffers()):
        storage = tensor.untyped_storage()
        if storage._cdata not in storages:
            storages[storage._cdata] = torch.UntypedStorage(storage.nbytes(), device="meta")
        meta = torch.empty(0, dtype=tensor.dtype, device="meta").set_(
            storages[storage._cdata], tensor.storage_offset(), tensor.shape, tensor.stride())
        memo[id(tensor)] = nn.Parameter(meta, tensor.requires_grad) if isinstance(tensor, nn.Parameter) else meta
    return copy.deepcopy(model, memo)


class _Extent(io.RawIOBase):
    """A file that keeps nothing written to it, only how far it reaches: ``torch.save`` under ``skip_data`` seeks
    over the storages' bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.position = self.size = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = offset + {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.size = max(self.size, self.position)
        return self.position

    def write(self, data: Any) -> int:
        written = memoryview(data).nbytes
        self.seek(written, io.SEEK_CUR)
        return written


def _on_file(state: Any, backing: Path, storages: dict[int, torch.UntypedStorage]) -> Any:
    """``state`` (dicts and lists, changed in place, which keeps a state dict's ``_metadata``) with every meta tensor
    replaced by a CPU tensor of its shape, dtype, strides and offset, each meta storage by one mapping of the sparse
    file ``backing``: real storages of the right size that hold no memory, as ``torch.save`` pickles real ones."""
    for key, value in list(state.items() if isinstance(state, dict) else enumerate(state)):
        if isinstance(value, dict | list):
            _on_file(value, backing, storages)
        elif isinstance(value, torch.Tensor) and value.is_meta:
            storage = value.untyped_storage()
            if storage._cdata not in storages:
                nbytes = storage.nbytes()
                storages[storage._cdata] = (torch.UntypedStorage.from_file(str(backing), shared=True, nbytes=nbytes)
                                            if nbytes else torch.UntypedStorage(0))
            state[key] = torch.empty(0, dtype=value.dtype).set_(
                storages[storage._cdata], value.storage_offset(), value.shape, value.stride())
    return state


def _saved_bytes(model: nn.Module, state_of: Callable[[nn.Module], dict[str, Any]]) -> int:
    """The bytes ``torch.save`` writes of ``state_of`` the model's meta twin, exactly, with no weight held: the file
    is saved under ``skip_data`` from storages mapped from a sparse file, to a sink that only counts: a stream, so the
    zip's folder is ``archive``, as in a save to ``io.BytesIO`` (a save to a path names it after the file, and is
    longer)."""
    if any(isinstance(p, UninitializedParameter) for p in model.parameters()):
        raise errors.MeasurementError("the model builds parameters in its first forward: its checkpoint is unknown "
                                      "before it")
    state = state_of(_meta_twin(model))
    sink = _Extent()
    with tempfile.TemporaryDirectory(prefix="claimbench-") as folder:
        _on_file(state, Path(folder) / "storages", {})
        with torch.serialization.skip_data():
            torch.save(state, sink)
        del state  # its mappings closed before the file goes (Windows removes no mapped file)
    return sink.size


def _checkpoint(twin: nn.Module, momentum: float) -> dict[str, Any]:
    """{epoch, model_state_dict, optimizer_state_dict, loss} after one SGD step of the meta twin."""
    optimizer = torch.optim.SGD(twin.parameters(), momentum=momentum, **_CHECKPOINT_SGD)
    for parameter in twin.parameters():
        parameter.grad = torch.zeros_like(parameter)
    optimizer.step()
    return {"epoch": 0, "model_state_dict": twin.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
            "loss": torch.zeros((), requires_grad=True)}


@dataclass(frozen=True)
class TorchinfoSize:
    """A size torchinfo 1.8.0 prints, in bytes, with the parameter bytes it counted and all the model's."""

    size: int
    counted: int
    """The parameter bytes torchinfo counted (its Params size): those of the layers without submodules that ran."""
    parameters: int
    """All the parameters' bytes, each parameter once."""

    def words(self) -> tuple[str, ...]:
        """What this model's parameters make torchinfo's size differ by, in words; none where it counted them all.

        1.8.0 leaves out the parameters a module with submodules holds itself (a ViT's class token, an attention's
        in-projection: torchinfo#366) and those of a layer that never runs its own forward (an attention's
        out_proj, whose weights the attention uses), and counts a parameter two layers share in each.
        """
        gap = self.parameters - self.counted
        if gap == 0:
            return ()
        share = f"{abs(gap) / self.parameters:.1%}" if self.parameters else "all"
        if gap > 0:
            return (f"torchinfo 1.8.0 leaves out {gap:,} ({share}) of this model's {self.parameters:,} parameter "
                    "bytes: those a module with submodules holds itself (torchinfo#366), and those of a layer whose "
                    "weights another module uses in its forward",)
        return (f"torchinfo 1.8.0 counts {-gap:,} ({share}) parameter bytes more than this model's "
                f"{self.parameters:,}: a parameter two layers share, once in each",)


def torchinfo_size(model: nn.Module, input_size: Shape, convention: str) -> TorchinfoSize:
    """torchinfo 1.8.0's Estimated Total Size (``torchinfo_total``: input storage + 2 × outputs of parameterised
    leaves + leaf parameters) or Params size (``torchinfo_params``: leaf parameters) of a batch-1 forward, as it
    prints them (``TorchinfoSize.words`` says which parameters it leaves out)."""
    if convention not in vocab.TORCHINFO_SIZES:
        raise ValueError(f"unknown torchinfo size {convention!r}; known: {', '.join(vocab.TORCHINFO_SIZES)}")
    with _eval_mode(model):
        stats = _torchinfo_summary(model, input_size)
    counted = stats.total_param_bytes
    size = counted if convention == "torchinfo_params" else stats.total_input + stats.total_output_bytes + counted
    parameters = sum(p.numel() * p.element_size() for p in model.parameters() if not is_lazy(p))
    return TorchinfoSize(size, counted, parameters)


def _parameter_bytes(model: nn.Module, input_size: Shape) -> int:
    """The bytes of all the parameters' values, numel × element size, each parameter once (torchinfo 1.8.0's
    "Params size" leaves some out: ``torchinfo_params``)."""
    if any(isinstance(p, UninitializedParameter) for p in model.parameters()):
        raise errors.MeasurementError("the model builds parameters in its first forward: their bytes are unknown "
                                      "before it; use size = 'torchinfo_total', which runs it")
    return sum(p.numel() * p.element_size() for p in model.parameters())


def _keras_weight_bytes(model: nn.Module, input_size: Shape) -> int:
    """The bytes of the values of every weight Keras counts (``_keras_weights``: a BatchNorm's weights held as buffers
    too), each at its own element size: the size Keras 3's ``model.summary()`` prints after its "Total params"."""
    if words := unbuilt(model, "keras"):
        raise errors.MeasurementError(f"size 'keras_weights': the model builds {words}, and their bytes are unknown "
                                      "before it")
    return sum(tensor.numel() * tensor.element_size() for tensor in _keras_weights(model).values())


SIZES: dict[str, Callable[[nn.Module, Shape], int]] = {
    "torchinfo_total": lambda model, input_size: torchinfo_size(model, input_size, "torchinfo_total").size,
    "torchinfo_params": lambda model, input_size: torchinfo_size(model, input_size, "torchinfo_params").size,
    "parameter_bytes": _parameter_bytes,
    "keras_weights": _keras_weight_bytes,
    "checkpoint_weights": lambda model, input_size: _saved_bytes(model, lambda twin: _checkpoint(twin, 0.0)),
    "checkpoint_sgd_momentum": lambda model, input_size: _saved_bytes(model, lambda twin: _checkpoint(twin, 0.9)),
    "state_dict_file": lambda model, input_size: _saved_bytes(model, lambda twin: twin.state_dict()),
}


def size_bytes(model: nn.Module, input_size: Shape, convention: str) -> int:
    """The model's size in bytes under the named convention (see ``SIZES``), for a batch-1 ``(C, H, W)`` input.

    Checkpoint sizes save a copy on the meta device, whose bytes are counted, not held; the model itself is left as
    it was.
    """
    try:
        sizer = SIZES[convention]
    except KeyError:
        raise ValueError(f"unknown size convention {convention!r}; known: {', '.join(SIZES)}") from None
    return sizer(model, input_size)
