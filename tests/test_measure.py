"""claimbench.measure against closed forms: hypothesis over layer shapes, and the conventions one by one."""

import io
import itertools
import sys
from collections import OrderedDict

import pytest
import torch
import torch.nn as nn
import torchinfo
import torchvision
from hypothesis import given, settings
from hypothesis import strategies as st

from claimbench import errors, measure, registry, vocab
from torchvision.ops.misc import FrozenBatchNorm2d

from models.iot_ml_hw2 import SeparableConv2d

COUNTERS = {measure.FLOP_COUNTER, measure.TORCHINFO}
FAST = settings(max_examples=25, deadline=None)


def _on_meta(factory, *args, **kwargs) -> nn.Module:
    with torch.device("meta"):
        return factory(*args, **kwargs)


def _both(model: nn.Module, input_size: tuple[int, ...], count: str) -> dict[str, int]:
    counted = measure.macs(model, input_size, count)
    assert set(counted.counters) == COUNTERS
    assert counted.value == counted.counters[measure.FLOP_COUNTER]
    return counted.counters


def _out(size: int, kernel: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - kernel) // stride + 1


# ----------------------------------------------------------------------------- closed forms (hypothesis)


@st.composite
def conv_shapes(draw, depthwise: bool = False) -> dict:
    groups = draw(st.integers(1, 4))
    in_channels = groups if depthwise else groups * draw(st.integers(1, 4))
    out_channels = groups * draw(st.integers(1, 4))
    kernel = draw(st.integers(1, 5))
    padding = draw(st.integers(0, kernel // 2))
    height = draw(st.integers(kernel, 12))
    width = draw(st.integers(kernel, 12))
    return {
        "in_channels": in_channels, "out_channels": out_channels, "kernel": kernel, "padding": padding,
        "stride": draw(st.integers(1, 3)), "groups": groups, "bias": draw(st.booleans()), "hw": (height, width),
    }


def _check_conv(shape: dict) -> None:
    conv = _on_meta(
        nn.Conv2d, shape["in_channels"], shape["out_channels"], shape["kernel"], stride=shape["stride"],
        padding=shape["padding"], groups=shape["groups"], bias=shape["bias"],
    )
    height, width = (_out(s, shape["kernel"], shape["stride"], shape["padding"]) for s in shape["hw"])
    weights = shape["out_channels"] * shape["in_channels"] // shape["groups"] * shape["kernel"] ** 2
    pure = height * width * weights
    bias_adds = height * width * shape["out_channels"] if shape["bias"] else 0
    input_size = (shape["in_channels"], *shape["hw"])
    assert measure.params(conv, "trainable") == weights + (shape["out_channels"] if shape["bias"] else 0)
    assert set(_both(conv, input_size, "pure").values()) == {pure}
    assert set(_both(conv, input_size, "torchinfo").values()) == {pure + bias_adds}


@FAST
@given(conv_shapes())
def test_conv_macs_and_params_match_the_closed_form(shape: dict) -> None:
    _check_conv(shape)


@FAST
@given(conv_shapes(depthwise=True))
def test_depthwise_conv_macs_and_params_match_the_closed_form(shape: dict) -> None:
    _check_conv(shape)


@FAST
@given(st.integers(1, 16), st.integers(1, 16), st.integers(1, 2), st.integers(3, 12), st.integers(3, 12))
def test_separable_conv_macs_and_params_match_the_closed_form(
    in_channels: int, out_channels: int, stride: int, height: int, width: int
) -> None:
    separable = _on_meta(SeparableConv2d, in_channels, out_channels, stride)
    positions = _out(height, 3, stride, 1) * _out(width, 3, stride, 1)
    depthwise, pointwise = positions * in_channels * 9, positions * in_channels * out_channels
    assert measure.params(separable, "trainable") == 9 * in_channels + in_channels * out_channels + out_channels
    assert set(_both(separable, (in_channels, height, width), "pure").values()) == {depthwise + pointwise}
    row = measure.layer(separable, (in_channels, height, width), "depthwise")
    assert row.measure("macs", count="pure").value == depthwise


@FAST
@given(st.integers(1, 64), st.integers(1, 64), st.booleans(), st.lists(st.integers(1, 5), max_size=2))
def test_linear_macs_match_the_closed_form_on_any_leading_dims(
    in_features: int, out_features: int, bias: bool, leading: list[int]
) -> None:
    """torchinfo 1.8.0 multiplies a Linear's MACs by the batch only; the correction restores the rest."""
    linear = _on_meta(nn.Linear, in_features, out_features, bias=bias)
    positions = torch.Size(leading).numel()
    pure = positions * in_features * out_features
    assert measure.params(linear, "trainable") == in_features * out_features + (out_features if bias else 0)
    assert set(_both(linear, (*leading, in_features), "pure").values()) == {pure}
    assert set(_both(linear, (*leading, in_features), "torchinfo").values()) == {
        pure + (positions * out_features if bias else 0)
    }


def _heads(model: nn.Module, num_classes: int) -> list[nn.Module]:
    return [m for m in model.modules() if isinstance(m, nn.Linear) and m.out_features == num_classes]


@pytest.mark.parametrize("name", ["iot_ml_hw2.model1", "dl_cifar10_pytorch.baseline", "deeper_networks.resnet50_mnist",
                                  "core_collapse.vgg16", "cifar_infinity.resnet"])
@settings(max_examples=5, deadline=None)
@given(num_classes=st.sampled_from([11, 13, 17, 19, 23, 29, 31]), extra=st.integers(1, 5))
def test_a_classifier_grows_by_in_features_plus_one_per_class(name: str, num_classes: int, extra: int) -> None:
    smaller = _on_meta(registry.get_model, name, num_classes=num_classes)
    larger = _on_meta(registry.get_model, name, num_classes=num_classes + extra)
    (head,) = _heads(smaller, num_classes)
    growth = measure.params(larger, "trainable") - measure.params(smaller, "trainable")
    assert growth == extra * (head.in_features + 1)


@st.composite
def fully_convolutional(draw) -> tuple[nn.Module, int, int]:
    """A random conv stack with 'same' padding; returns the model, its input channels and its total stride."""
    channels = [draw(st.integers(1, 6)) for _ in range(draw(st.integers(2, 5)))]
    layers: list[nn.Module] = []
    stride_total = 1
    for cin, cout in itertools.pairwise(channels):
        kernel = draw(st.sampled_from([1, 3, 5]))
        stride = draw(st.integers(1, 2))
        stride_total *= stride
        groups = cin if cin == cout and draw(st.booleans()) else 1
        layers += [nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, groups=groups), nn.ReLU()]
    return _on_meta(nn.Sequential, *layers), channels[0], stride_total


@FAST
@given(fully_convolutional(), st.integers(1, 4), st.integers(1, 4), st.integers(2, 3))
def test_fully_convolutional_macs_scale_with_input_area(model_spec, rows: int, cols: int, factor: int) -> None:
    model, channels, stride = model_spec
    height, width = rows * stride, cols * stride
    small = _both(model, (channels, height, width), "pure")
    large = _both(model, (channels, height * factor, width * factor), "pure")
    assert len(set(small.values())) == len(set(large.values())) == 1
    assert large[measure.FLOP_COUNTER] == small[measure.FLOP_COUNTER] * factor**2


@given(st.lists(st.integers(1, 64), min_size=1, max_size=4))
def test_channels_last_moves_the_first_dimension_last(shape: list[int]) -> None:
    moved = measure.channels_last(tuple(shape))
    assert moved == (tuple(shape[1:]) + (shape[0],) if len(shape) > 1 else tuple(shape))


# ----------------------------------------------------------------------------- conventions, one by one


def _conv_bn_head() -> nn.Sequential:
    return nn.Sequential(OrderedDict(
        conv=nn.Conv2d(3, 8, 3, padding=1, bias=True),
        bn=nn.BatchNorm2d(8),
        act=nn.ReLU(),
        pool=nn.AdaptiveAvgPool2d(1),
        flatten=nn.Flatten(),
        fc=nn.Linear(8, 5, bias=True),
        bn1d=nn.BatchNorm1d(5),
    ))


def test_torchinfo_convention_adds_biases_and_other_parameterised_leaves() -> None:
    model = _on_meta(_conv_bn_head)
    pure = 6 * 6 * 8 * 27 + 8 * 5
    biases = 6 * 6 * 8 + 5
    batch_norms = 2 * 8 + 2 * 5  # batch 1 × the BatchNorms' parameters
    assert set(_both(model, (3, 6, 6), "pure").values()) == {pure}
    assert set(_both(model, (3, 6, 6), "torchinfo").values()) == {pure + biases + batch_norms}


def test_flops_are_two_per_pure_multiply_accumulate() -> None:
    table = measure.layer_table(_on_meta(_conv_bn_head), (3, 6, 6))
    assert set(_both(_on_meta(_conv_bn_head), (3, 6, 6), "flops").values()) == {2 * (6 * 6 * 8 * 27 + 8 * 5)}
    assert table["conv"].measure("macs", count="flops").value == 2 * 6 * 6 * 8 * 27  # the bias adds no FLOP
    assert table["bn"].measure("macs", count="flops").value == 0


@pytest.mark.parametrize(("measured", "named"), [
    (measure.PARAM_COUNTERS, vocab.PARAM_COUNTS), (measure.MAC_CONVENTIONS, vocab.MAC_COUNTS),
    (measure.SIZES, vocab.SIZES), (measure.LAYOUTS, vocab.LAYOUTS),
], ids=["param_counts", "mac_counts", "sizes", "layouts"])
def test_every_convention_of_the_ledger_is_measured(measured: dict[str, object], named: tuple[str, ...]) -> None:
    assert set(measured) == set(named), "a convention the ledger may name that measure cannot, or the reverse"


def test_a_layer_row_measures_params_macs_and_shapes_under_each_convention() -> None:
    table = measure.layer_table(_on_meta(_conv_bn_head), (3, 6, 6))
    assert table["bn"].measure("params", count="keras").value == 4 * 8
    assert table["bn"].measure("params", count="trainable").value == 2 * 8
    assert table["bn"].measure("macs", count="pure").counters == {measure.FLOP_COUNTER: 0, measure.TORCHINFO: 0}
    assert table["conv"].measure("output_shape").value == (8, 6, 6)
    assert table["conv"].measure("output_shape", layout="channels_last").counters == {
        measure.FLOP_COUNTER: (6, 6, 8), measure.TORCHINFO: (6, 6, 8)}
    assert table["fc"].measure("output_shape", layout="channels_last").value == (5,)
    assert table[""].measure("macs", count="pure").value == 6 * 6 * 8 * 27 + 8 * 5


class _SelfSimilarity(nn.Module):
    """A projection (a leaf layer) and a functional product of its output with itself, in the module's own forward."""

    def __init__(self) -> None:
        super().__init__()
        self.proj = nn.Linear(16, 16, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q = self.proj(x)
        return q @ q.transpose(-1, -2)


def test_a_functional_matmul_is_counted_by_flop_counter_alone_and_the_counters_agree_on_the_leaf_layers() -> None:
    """torchinfo counts leaf layers only: the product a module's own forward runs outside them (attention's) was
    missing from it, and the counters disagreed. torchinfo's terms now take it from FlopCounterMode, which counts it,
    and the words say how much of the count it is."""
    model = _on_meta(nn.Sequential, OrderedDict(block=_SelfSimilarity(), head=nn.Linear(7, 2)))
    table = measure.layer_table(model, (7, 16))
    product, projection, head = 7 * 7 * 16, 7 * 16 * 16, 7 * 7 * 2
    assert (table[""].functional, table["block"].functional, table["block.proj"].functional) == (product,) * 2 + (0,)
    assert table["block"].functional_in == ("_SelfSimilarity",)
    assert set(_both(model, (7, 16), "pure").values()) == {projection + product + head}
    assert set(_both(model, (7, 16), "torchinfo").values()) == {projection + product + head + 7 * 2}  # head's bias
    words = table["block"].measure("macs", count="flops").words
    assert words == (f"{2 * (projection + product):,} FLOPs, {2 * product:,} of them in products outside any leaf "
                     "layer with parameters (in _SelfSimilarity's own forward), which FlopCounterMode alone counts "
                     "(torchinfo counts leaf layers by their parameters only: the counters are compared on those)",)
    assert table["block.proj"].measure("macs", count="pure").words == ()


class _Gram(nn.Module):
    """A leaf layer without parameters that runs a product: torchinfo, which counts a leaf by its parameters, sees 0."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x @ x.transpose(-1, -2)


def test_a_product_in_a_leaf_without_parameters_is_functional_and_the_counters_agree() -> None:
    """A leaf without parameters doing a matmul (a module wrapping attention's product) made the counters disagree
    (FlopCounterMode 7·7·16 more than torchinfo), though torchinfo can count no such leaf: it is functional too."""
    model = _on_meta(nn.Sequential, OrderedDict(gram=_Gram(), head=nn.Linear(7, 2, bias=False)))
    table = measure.layer_table(model, (7, 16))
    assert set(_both(model, (7, 16), "pure").values()) == {7 * 7 * 16 + 7 * 7 * 2}
    assert (table[""].functional, table["gram"].functional, table[""].functional_in) == (7 * 7 * 16,) * 2 + (
        ("_Gram",),)
    assert set(table["gram"].measure("macs", count="pure").counters.values()) == {7 * 7 * 16}


class _Fussy(nn.Module):
    """A leaf that raises, as a fast path unavailable for its input does."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("no fast path")


class _Fallback(nn.Module):
    """A product of its own, then a fast path that raises and a leaf layer its forward falls back on."""

    def __init__(self) -> None:
        super().__init__()
        self.fast, self.slow = _Fussy(), nn.Linear(16, 16, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x @ x.transpose(-1, -2) @ x
        try:
            return self.fast(y)
        except NotImplementedError:
            return self.slow(y)


def test_a_nested_call_that_raises_and_is_caught_leaves_every_count_its_own() -> None:
    """The hook after a call pairs with the one before it: a nested call that raised (its caller catching it) left
    its entry on the stack, and every later call took another's start, its own share and its caller's."""
    model = _on_meta(nn.Sequential, OrderedDict(pre=nn.Linear(16, 16, bias=False), block=_Fallback()))
    table = measure.layer_table(model, (7, 16))
    product, linear = 7 * 7 * 16 * 2, 7 * 16 * 16
    assert set(_both(model, (7, 16), "pure").values()) == {linear + product + linear}
    assert (table["block"].functional, table["block.slow"].measure("macs", count="pure").value) == (product, linear)


class _Product(nn.Module):
    """``product(x, query)`` of a ``(T, 16)`` input and a 16-vector parameter, behind a named layer."""

    def __init__(self, product) -> None:
        super().__init__()
        self.product, self.query = product, nn.Parameter(torch.empty(16))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.product(x, self.query)


@pytest.mark.parametrize(("product", "pure"), [
    (lambda h, q: h @ q, 7 * 16),  # aten.mv: attention pooling with a learned query
    (lambda h, q: torch.addmv(h[0, :, 0], h[0], q), 7 * 16),
    (lambda h, q: torch.stack([torch.dot(h[0, 0], q), torch.vdot(h[0, 1], q)]), 2 * 16),
])
def test_a_product_with_a_vector_counts_its_multiply_accumulates(product, pure: int) -> None:
    """FlopCounterMode has no formula for mv, addmv, dot or vdot: they counted 0."""
    assert measure.macs(_on_meta(_Product, product), (7, 16), "pure").value == pure


def test_a_bilinear_layer_counts_its_weight_per_position_in_both_counters() -> None:
    class Pair(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bilinear = nn.Bilinear(8, 8, 4)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.bilinear(x, x)

    pure = 3 * 4 * 8 * 8  # positions × out × in1 × in2
    assert _both(_on_meta(Pair), (3, 8), "pure") == {measure.FLOP_COUNTER: pure, measure.TORCHINFO: pure}
    assert set(_both(_on_meta(Pair), (3, 8), "torchinfo").values()) == {pure + 3 * 4}


def test_a_matrix_product_without_a_formula_makes_the_macs_of_its_layers_an_error() -> None:
    model = _on_meta(nn.Sequential, OrderedDict(
        inner=_Product(lambda h, q: (torch.addbmm(torch.zeros(7, 7), h, h.transpose(1, 2)) @ h[0] @ q)[None]),
        head=nn.Linear(7, 2)))
    with pytest.raises(errors.MeasurementError, match=r"^the forward runs aten.addbmm, a matrix product "
                                                      r"FlopCounterMode has no formula for: its multiply-accumulates"):
        measure.macs(model, (7, 16), "pure")
    table = measure.layer_table(model, (7, 16))
    with pytest.raises(errors.MeasurementError, match=r"^layer 'inner' runs aten.addbmm, a matrix product"):
        table["inner"].measure("macs", count="pure")
    assert table["inner"].measure("output_shape").value == (7,)
    assert table["head"].measure("macs", count="pure").value == 7 * 2


def test_a_module_called_twice_counts_both_calls() -> None:
    class Twice(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(4, 4, 3, padding=1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv(self.conv(x))

    row = measure.layer(_on_meta(Twice), (4, 5, 5), "conv")
    assert set(row.measure("macs", count="pure").counters.values()) == {2 * 5 * 5 * 4 * 36}
    assert row.measure("output_shape").value == (4, 5, 5)


class _Twice(nn.Module):
    """One conv and one ReLU, each called twice in the module's own forward."""

    def __init__(self) -> None:
        super().__init__()
        self.conv, self.act = nn.Conv2d(4, 4, 3, padding=1), nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.conv(self.act(self.conv(x))))


def test_a_module_called_twice_by_one_parent_counts_both_calls_in_its_row_and_the_parents() -> None:
    model = _on_meta(nn.Sequential, OrderedDict(block=_Twice(), head=nn.Conv2d(4, 2, 1)))
    table = measure.layer_table(model, (4, 5, 5))
    conv, conv_bias, head, head_bias = 5 * 5 * 4 * 4 * 9, 5 * 5 * 4, 5 * 5 * 2 * 4, 5 * 5 * 2  # per call
    assert (table["block.conv"].calls, table["block.act"].calls, table["block"].calls) == (2, 2, 1)
    for path, pure, bias in (("block.conv", 2 * conv, 2 * conv_bias), ("block", 2 * conv, 2 * conv_bias),
                             ("block.act", 0, 0), ("", 2 * conv + head, 2 * conv_bias + head_bias)):
        assert table[path].macs == {measure.FLOP_COUNTER: measure.MacTerms(pure=pure, bias=bias),
                                    measure.TORCHINFO: measure.MacTerms(pure=pure, bias=bias)}, path
    assert table["block.act"].output_shapes == {counter: ((4, 5, 5),) * 2 for counter in COUNTERS}


class _Holder(nn.Module):
    """Calls the module it holds once."""

    def __init__(self, held: nn.Module) -> None:
        super().__init__()
        self.held = held

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.held(x)


def test_a_module_shared_by_two_parents_counts_each_call_in_the_parent_that_made_it() -> None:
    """A block held by two parents, each calling it once: every call of it was counted in each parent's row, and in
    the row of each path to it (torchinfo's terms and the bias and BatchNorm terms twice, the pure MACs of
    FlopCounterMode, read around the parent's calls, once: the counters disagreed on each parent)."""
    shared = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.BatchNorm2d(4))
    model = _on_meta(nn.Sequential, OrderedDict(p1=_Holder(shared), p2=_Holder(shared)))
    table = measure.layer_table(model, (4, 5, 5))
    conv, bias, batch_norm = 5 * 5 * 4 * 4 * 9, 5 * 5 * 4, 2 * 4  # per call
    once = measure.MacTerms(pure=conv, bias=bias, other=batch_norm)
    for parent in ("p1", "p2"):
        assert table[parent].macs == {measure.FLOP_COUNTER: once, measure.TORCHINFO: once}, parent
        assert table[f"{parent}.held"].macs == table[parent].macs
        assert table[f"{parent}.held.0"].calls == 1
        assert set(table[f"{parent}.held.0"].measure("macs", count="pure").counters.values()) == {conv}
        assert table[f"{parent}.held.1"].macs[measure.TORCHINFO] == measure.MacTerms(other=batch_norm)
        assert table[f"{parent}.held.0"].output_shapes == {counter: ((4, 5, 5),) for counter in COUNTERS}
    assert table[""].macs == {measure.FLOP_COUNTER: once + once, measure.TORCHINFO: once + once}


class _Borrower(nn.Module):
    """Calls a module it does not hold (a reference outside the module tree), then one it holds."""

    def __init__(self, borrowed: nn.Module) -> None:
        super().__init__()
        self.borrowed, self.own = [borrowed], nn.Conv2d(4, 4, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.own(self.borrowed[0](x))


def test_a_call_of_a_module_its_caller_does_not_hold_counts_in_the_caller_and_under_the_modules_own_path() -> None:
    """The borrower's row counted only the modules it holds, whatever it called: its FlopCounterMode MACs (read around
    its calls) had the borrowed conv's, its torchinfo terms and bias term had not."""
    conv = nn.Conv2d(4, 4, 3, padding=1)
    model = _on_meta(nn.Sequential, OrderedDict(p1=_Holder(conv), p2=_Borrower(conv)))
    table = measure.layer_table(model, (4, 5, 5))
    conv, bias, own = 5 * 5 * 4 * 4 * 9, 5 * 5 * 4, 5 * 5 * 4 * 4  # per call
    assert table["p2"].macs == {counter: measure.MacTerms(pure=conv + own, bias=bias) for counter in COUNTERS}
    assert table["p1"].macs == {counter: measure.MacTerms(pure=conv, bias=bias) for counter in COUNTERS}
    assert table["p1.held"].calls == 2  # its one path: p2's call too
    assert table[""].macs == {counter: measure.MacTerms(pure=2 * conv + own, bias=2 * bias) for counter in COUNTERS}


def test_a_module_held_under_two_names_by_the_parent_that_calls_it_lists_its_calls_under_each_name() -> None:
    """Which name a forward called a module by is unknown: each name's row lists every call, the parent's each once."""
    class Aliased(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.first = self.second = nn.Linear(3, 3, bias=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.second(self.first(x))

    table = measure.layer_table(_on_meta(Aliased), (3,))
    assert (table["first"].calls, table["second"].calls) == (2, 2)
    assert table["first"].macs == table["second"].macs == table[""].macs == {
        counter: measure.MacTerms(pure=2 * 3 * 3) for counter in COUNTERS}


def test_a_layer_the_two_forwards_call_a_different_number_of_times_is_an_error_naming_it() -> None:
    """Each call is matched to torchinfo's row of it in call order: a forward that takes another path the second time
    (here a layer only the first forward runs) leaves calls without a row."""
    class FirstOnly(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc, self.first = nn.Linear(3, 3), True

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.first:
                self.first = False
                return self.fc(x)
            return x

    with pytest.raises(errors.MeasurementError, match=r"^layer 'fc': 1 calls under FlopCounterMode, 0 under torchinfo: "
                                                      r"the two forwards took different paths through the model$"):
        measure.layer_table(_on_meta(FirstOnly), (3,))


def test_a_module_its_caller_holds_at_two_depths_is_called_by_the_nearer_name() -> None:
    class Nested(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = nn.Sequential(nn.Identity())
            self.fc = self.inner[0] = nn.Linear(3, 3, bias=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc(x)

    table = measure.layer_table(_on_meta(Nested), (3,))
    assert (table["fc"].calls, table["inner.0"].calls) == (1, 0)

def test_a_layer_whose_calls_return_different_shapes_has_no_output_shape_in_one_line() -> None:
    class Rescaled(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.pool, self.conv = nn.MaxPool2d(2), nn.Conv2d(3, 3, 1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.conv(self.pool(self.conv(x)))

    row = measure.layer(_on_meta(Rescaled), (3, 8, 8), "conv")
    with pytest.raises(errors.MeasurementError, match=r"^layer 'conv' has no single output shape: its 2 calls "
                                                      r"returned \(3, 8, 8\), \(3, 4, 4\) \(FlopCounterMode\)$"):
        row.measure("output_shape")
    assert row.measure("macs", count="pure").value == 3 * 3 * (8 * 8 + 4 * 4)


def test_a_layer_that_returns_no_tensor_has_no_output_shape_in_one_line() -> None:
    class Pair(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc = nn.Linear(3, 2)

        def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            return self.fc(x), x

    with pytest.raises(errors.MeasurementError, match=r"^layer '' returned no tensor \(FlopCounterMode\): it has no "
                                                      r"output shape$"):
        measure.layer(_on_meta(Pair), (3,), "").measure("output_shape")


def test_a_layer_that_never_ran_has_no_macs_and_no_output_shape_but_its_parameters() -> None:
    """googlenet's aux1 runs in training only: its MACs were measured 0 and a claim of them refuted."""
    class Unused(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.used, self.spare = nn.Linear(3, 3), nn.Linear(3, 3)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.used(x)

    row = measure.layer(_on_meta(Unused), (3,), "spare")
    for quantity, keys in (("macs", {"count": "pure"}), ("output_shape", {})):
        with pytest.raises(errors.MeasurementError, match=rf"^layer 'spare' never ran in the batch-1 forward in "
                                                          rf"evaluation mode .*: it has no {quantity}$"):
            row.measure(quantity, **keys)
    assert row.measure("params", count="trainable").value == 12


def test_a_leaf_layer_with_parameters_that_returns_a_scalar_is_traced() -> None:
    """A layer with parameters whose output has no batch dimension (a learned scalar score) crashed the trace with an
    IndexError; its other-parameter term counts its parameters once, as for the batch of 1 it ran on."""
    class Score(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.scale = nn.Parameter(torch.ones(3))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return (x * self.scale).sum()

    class Scored(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc, self.score = nn.Linear(3, 3), Score()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.score(self.fc(x))

    table = measure.layer_table(_on_meta(Scored), (3,))
    assert table["score"].macs[measure.FLOP_COUNTER] == measure.MacTerms(other=3)
    assert table[""].measure("macs", count="pure").value == 9


def test_frozen_parameters_count_in_all_and_in_keras_but_not_in_trainable() -> None:
    """A linear probe (Keras's ``base.trainable = False``): ``count_params()``, torchvision's ``num_params`` and
    torchinfo's Total params count the frozen backbone; only ``trainable`` leaves it out."""
    model = _on_meta(_conv_bn_head)
    model.conv.requires_grad_(False)
    model.bn.requires_grad_(False)
    conv, bn, head = 8 * 27 + 8, 2 * 8, 8 * 5 + 5 + 2 * 5  # the head: fc and bn1d
    assert measure.params(model, "trainable") == head
    assert measure.params(model, "all") == conv + bn + head == torchinfo.summary(
        model, (1, 3, 6, 6), device="meta", verbose=0).total_params
    assert measure.params(model, "keras") == conv + bn + head + 2 * 8 + 2 * 5, "the moving means and variances"


def test_a_frozen_batchnorm_is_a_batchnorm_to_keras_and_to_without_batchnorm_but_holds_no_torch_parameters() -> None:
    """torchvision's ``FrozenBatchNorm2d`` (detection backbones, ported models) keeps its weight, bias, running mean
    and variance as buffers: Keras counts a frozen BatchNorm(C) as 4·C weights (gamma, beta, moving mean and
    variance), where ``keras`` counted 0 and ``without_batchnorm`` found no BatchNorm; torch's own counts, as
    torchinfo's, hold no buffer, so ``all`` and ``trainable`` count 0 for it, and so does torchinfo's MAC term."""
    model = _on_meta(lambda: nn.Sequential(OrderedDict(
        conv=nn.Conv2d(3, 8, 3, padding=1, bias=False), bn=FrozenBatchNorm2d(8), act=nn.ReLU(),
        pool=nn.AdaptiveAvgPool2d(1), flatten=nn.Flatten(), fc=nn.Linear(8, 5))))
    conv, frozen, fc = 8 * 3 * 3 * 3, 4 * 8, 8 * 5 + 5  # the frozen BatchNorm's four buffers of 8
    assert measure.params(model, "trainable") == measure.params(model, "all") == conv + fc == torchinfo.summary(
        model, (1, 3, 6, 6), device="meta", verbose=0).total_params
    assert measure.params(model, "keras") == conv + frozen + fc
    assert measure.params(model, "state_dict_elements") == conv + frozen + fc, "no num_batches_tracked"
    assert measure.size_bytes(model, (), "keras_weights") == 4 * (conv + frozen + fc)
    for count in ("keras", "all"):
        assert measure.params_without(model, count, "without_batchnorm") == conv + fc
    table = measure.layer_table(model, (3, 6, 6))
    assert (table["bn"].measure("params", count="keras").value, table["bn"].measure("params", count="all").value) == (
        frozen, 0)
    pure, bias = 8 * 27 * 6 * 6 + 8 * 5, 5  # conv over 6x6 outputs, fc; fc's bias: no BatchNorm parameter to add
    assert _both(model, (3, 6, 6), "torchinfo") == dict.fromkeys(COUNTERS, pure + bias)


def test_state_dict_elements_count_every_parameter_and_buffer_element_and_the_entry_counts_count_tensors() -> None:
    """``sum(v.numel() for v in model.state_dict().values())``, the count a README's "every tensor of the state_dict"
    gives, had no convention: ``state_dict`` counts entries and ``keras`` leaves out ``num_batches_tracked``."""
    model = _on_meta(nn.Sequential, nn.Conv2d(3, 4, 3, bias=False), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4, 2))
    conv, affine, statistics, batches, linear = 4 * 3 * 3 * 3, 4 + 4, 4 + 4, 1, 4 * 2 + 2
    assert measure.params(model, "state_dict_elements") == conv + affine + statistics + batches + linear
    assert measure.params(model, "keras") == conv + affine + statistics + linear
    assert measure.params(model, "trainable") == conv + affine + linear
    assert measure.params(model, "state_dict") == 1 + 5 + 2, "conv weight; weight, bias, 3 buffers; weight, bias"
    assert measure.params(model, "tensors") == 1 + 2 + 2
    assert measure.params_without(model, "state_dict_elements", "without_batchnorm") == conv + linear


def test_the_auxiliary_classifiers_are_the_outermost_modules_named_aux() -> None:
    """googlenet's aux1 and aux2, inception_v3's AuxLogits: a module named aux* inside one is left out once, not
    twice (a state_dict of both would hold its tensors twice)."""
    model = _on_meta(nn.ModuleDict, {"trunk": nn.Linear(3, 4), "AuxLogits": nn.ModuleDict({
        "fc": nn.Linear(3, 2), "aux_norm": nn.BatchNorm1d(2)})})
    trunk, head, norm = 3 * 4 + 4, 3 * 2 + 2, 2 + 2 + 2 + 2 + 1  # the BatchNorm's statistics and batches tracked too
    assert measure.params(model, "state_dict_elements") == trunk + head + norm
    assert measure.params_without(model, "state_dict_elements", "without_aux_classifiers") == trunk
    with pytest.raises(errors.MeasurementError, match="^the model has no aux_classifiers$"):
        measure.params_without(_on_meta(nn.Linear, 3, 4), "all", "without_aux_classifiers")


def test_the_biases_are_every_parameter_named_bias_each_counted_as_the_count_counts_it() -> None:
    """A conv's, a Linear's and a BatchNorm's ``bias``, a MultiheadAttention's ``in_proj_bias``, an LSTM's
    ``bias_ih_l0``: left out under the count's own rule (elements, or tensors), a tied one once."""
    model = _on_meta(nn.ModuleDict, {"conv": nn.Conv2d(3, 4, 3), "bn": nn.BatchNorm2d(4), "fc": nn.Linear(4, 2),
                                     "attention": nn.MultiheadAttention(4, 2), "lstm": nn.LSTM(4, 3)})
    model["tied"] = model["fc"]
    biases = [4, 4, 2, 3 * 4, 4, 4 * 3, 4 * 3]  # conv, bn, fc, in_proj_bias, out_proj.bias, bias_ih_l0, bias_hh_l0
    assert measure.params_without(model, "trainable", "without_biases") == measure.params(model, "trainable") - sum(
        biases)
    assert measure.params_without(model, "tensors", "without_biases") == measure.params(model, "tensors") - len(biases)
    with pytest.raises(errors.MeasurementError, match="^the model has no biases$"):
        measure.params_without(_on_meta(nn.Linear, 3, 4, bias=False), "all", "without_biases")


def test_an_unknown_layer_path_names_the_claims_field_and_the_closest() -> None:
    """A mistyped ``layer`` is a measurement error in one line, not a bare KeyError with claimbench's traceback."""
    with pytest.raises(errors.MeasurementError, match=r"^layer: no layer 'cnv' in the model; closest: 'conv'"):
        measure.layer(_on_meta(_conv_bn_head), (3, 6, 6), "cnv")


@pytest.mark.parametrize(("call", "match"), [
    (lambda m: measure.macs(m, (3, 6, 6), "gflops"), "unknown MAC count 'gflops'"),
    (lambda m: measure.params(m, "keras_total"), "unknown parameter count 'keras_total'"),
    (lambda m: measure.size_bytes(m, (3, 6, 6), "file"), "unknown size convention 'file'"),
    (lambda m: measure.layer(m, (3, 6, 6), "conv").measure("params"), "needs a count convention"),
    (lambda m: measure.layer(m, (3, 6, 6), "conv").measure("flops"), "unknown layer quantity"),
    (lambda m: measure.layer(m, (3, 6, 6), "conv").measure("output_shape", layout="nhwc"), "unknown layout"),
])
def test_an_unknown_convention_is_a_value_error(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call(_on_meta(_conv_bn_head))


def test_measuring_leaves_the_model_in_its_own_mode_and_on_its_device() -> None:
    model = _on_meta(_conv_bn_head)
    model.bn.eval()
    measure.layer_table(model, (3, 6, 6))
    measure.size_bytes(model, (3, 6, 6), "checkpoint_sgd_momentum")
    assert model.training and model.conv.training and not model.bn.training
    assert all(t.is_meta for t in model.state_dict().values())


def test_torchinfo_total_is_input_plus_twice_parameterised_outputs_plus_parameters() -> None:
    model = _on_meta(_conv_bn_head)
    parameter_bytes = 4 * (3 * 8 * 9 + 8 + 2 * 8 + 8 * 5 + 5 + 2 * 5)  # conv, bn, fc, bn1d: weights and biases
    outputs = 8 * 6 * 6 + 8 * 6 * 6 + 5 + 5  # conv, bn, fc, bn1d: the leaves that own parameters
    storage_overhead = sys.getsizeof(torch.empty(0, device="meta").untyped_storage())
    expected = 4 * 3 * 6 * 6 + storage_overhead + 2 * 4 * outputs + parameter_bytes
    assert measure.size_bytes(model, (3, 6, 6), "torchinfo_total") == expected


def test_parameter_bytes_are_all_the_parameters_and_leave_buffers_out() -> None:
    model = _on_meta(_conv_bn_head)
    by_hand = 4 * (3 * 8 * 9 + 8 + 2 * 8 + 8 * 5 + 5 + 2 * 5)  # conv, bn, fc, bn1d: weights and biases, fp32
    assert measure.size_bytes(model, (), "parameter_bytes") == by_hand
    half = _on_meta(_conv_bn_head).half()
    assert measure.size_bytes(half, (), "parameter_bytes") == by_hand // 2
    on_cpu = _conv_bn_head().eval()
    assert torchinfo.summary(on_cpu, (1, 3, 6, 6), verbose=0).total_param_bytes == by_hand


def test_keras_weights_are_the_bytes_of_every_weight_keras_counts_each_at_its_own_element_size() -> None:
    """Keras 3 prints its Total params' size as the bytes of every weight it counts, a BatchNorm's moving mean and
    variance among them; no size counted those statistics, so a Keras port's size was refuted with no hint."""
    weights = 3 * 8 * 9 + 8 + 2 * 8 + 8 * 5 + 5 + 2 * 5  # conv, bn, fc, bn1d: weights and biases
    statistics = 2 * 8 + 2 * 5  # bn's and bn1d's moving mean and variance; no num_batches_tracked
    assert measure.size_bytes(_on_meta(_conv_bn_head), (), "keras_weights") == 4 * (weights + statistics)
    assert measure.size_bytes(_on_meta(_conv_bn_head).half(), (), "keras_weights") == 2 * (weights + statistics)
    mixed = _on_meta(_conv_bn_head)
    mixed.conv.double()  # 8 bytes a weight there, 4 elsewhere
    assert measure.size_bytes(mixed, (), "keras_weights") == 4 * (weights + statistics) + 4 * (3 * 8 * 9 + 8)
    assert measure.size_bytes(_conv_bn_head(), (), "keras_weights") == 4 * measure.params(_conv_bn_head(), "keras")


def test_keras_weights_of_a_lazy_model_are_an_error_before_its_first_forward() -> None:
    with pytest.raises(errors.MeasurementError, match=r"^size 'keras_weights': the model builds buffers in its first "
                                                      r"forward \(its lazy layer '1', a LazyBatchNorm1d"):
        measure.size_bytes(_on_meta(nn.Sequential, nn.Linear(3, 4), nn.LazyBatchNorm1d(affine=False)), (),
                           "keras_weights")


def _tiny_vit() -> nn.Module:
    return torchvision.models.VisionTransformer(image_size=8, patch_size=4, num_layers=1, num_heads=2, hidden_dim=8,
                                                mlp_dim=16, num_classes=3)


def test_torchinfo_params_is_torchinfos_params_size_and_says_what_it_leaves_out() -> None:
    """torchinfo 1.8.0's "Params size" was drafted as parameter_bytes, which counts every parameter: a ViT-B/16's
    232.27 MB was refuted (346.27) while its Estimated Total Size, 336.96, was reproduced. ``torchinfo_params``
    counts as 1.8.0 does, and says by how much that falls short of all the parameters."""
    model = _on_meta(_tiny_vit)
    ran = 3 * 16 * 8 + 8 + 16 + 16 + (8 * 16 + 16) + (16 * 8 + 8) + 16 + 8 * 3 + 3  # conv_proj, norms, mlp, head
    held = 8 + 5 * 8 + 3 * 8 * 8 + 3 * 8  # class token, position embedding, attention's in-projection
    unrun = 8 * 8 + 8  # the attention's out_proj, whose weights the attention uses itself
    params = measure.torchinfo_size(model, (3, 8, 8), "torchinfo_params")
    assert (params.size, params.counted, params.parameters) == (4 * ran, 4 * ran, 4 * (ran + held + unrun))
    assert torchinfo.summary(_tiny_vit(), (1, 3, 8, 8), verbose=0).total_param_bytes == 4 * ran
    assert measure.size_bytes(model, (3, 8, 8), "torchinfo_params") == 4 * ran
    assert measure.size_bytes(model, (), "parameter_bytes") == 4 * (ran + held + unrun)
    total = measure.torchinfo_size(model, (3, 8, 8), "torchinfo_total")
    assert total.size == measure.size_bytes(model, (3, 8, 8), "torchinfo_total") > 4 * ran
    assert total.words() == params.words() == (
        "torchinfo 1.8.0 leaves out 1,344 (31.0%) of this model's 4,332 parameter bytes: those a module with "
        "submodules holds itself (torchinfo#366), and those of a layer whose weights another module uses in its "
        "forward",)
    assert measure.torchinfo_size(_on_meta(_conv_bn_head), (3, 6, 6), "torchinfo_params").words() == ()
    tied = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4))
    tied[1].weight = tied[0].weight
    assert measure.torchinfo_size(tied, (4,), "torchinfo_params").words() == (
        "torchinfo 1.8.0 counts 64 (66.7%) parameter bytes more than this model's 96: a parameter two layers share, "
        "once in each",)


def test_parameter_bytes_of_a_lazy_model_are_an_error_before_its_first_forward() -> None:
    with pytest.raises(errors.MeasurementError, match="builds parameters in its first forward"):
        measure.size_bytes(nn.Sequential(nn.LazyLinear(3)), (), "parameter_bytes")


@pytest.mark.parametrize("count", ["trainable", "all", "keras", "state_dict_elements"])
def test_a_count_of_a_lazy_models_parameters_is_an_error_before_its_first_forward(count: str) -> None:
    model = _on_meta(nn.Sequential, nn.Conv2d(3, 8, 3), nn.Flatten(), nn.LazyLinear(10))
    with pytest.raises(errors.MeasurementError, match=rf"^count '{count}': the model builds parameters in its first "
                                                      r"forward .*; count = 'constructed' counts those built"):
        measure.params(model, count)
    assert measure.params(model, "constructed") == 8 * 27 + 8
    assert measure.params(model, "tensors") == 4


def test_a_lazy_model_is_counted_built_on_a_copy_and_left_as_it_was() -> None:
    model = _on_meta(nn.Sequential, nn.Conv2d(3, 8, 3), nn.Flatten(), nn.LazyLinear(10))
    assert measure.lazy_layers(model) == "its lazy layer '2', a LazyLinear"
    built = measure.built(model, (3, 6, 6))
    assert measure.params(built, "trainable") == 8 * 27 + 8 + 8 * 4 * 4 * 10 + 10 and measure.lazy_layers(built) == ""
    assert measure.lazy_layers(model) and measure.params(model, "constructed") == 8 * 27 + 8
    assert measure.lazy_layers(_on_meta(nn.Linear, 3, 4)) == ""


@pytest.mark.parametrize("count", ["keras", "state_dict_elements"])
def test_a_count_of_a_lazy_models_buffers_is_an_error_naming_its_layer(count: str) -> None:
    """A lazy BatchNorm's moving statistics are built in the first forward too: counting them raised torch's own
    ValueError ("Attempted to use an uninitialized parameter"), not a one-line reason of ours."""
    model = _on_meta(nn.Sequential, nn.Linear(3, 4), nn.LazyBatchNorm1d(affine=False))
    with pytest.raises(errors.MeasurementError, match=rf"^count '{count}': the model builds buffers in its first "
                                                      r"forward \(its lazy layer '1', a LazyBatchNorm1d: "
                                                      r"1\.running_mean, 1\.running_var\), .*; count = 'constructed'"):
        measure.params(model, count)
    assert measure.params(model, "all") == measure.params(model, "constructed") == 3 * 4 + 4


def test_a_momentum_checkpoint_adds_one_buffer_per_parameter() -> None:
    model = _on_meta(_conv_bn_head)
    weights = measure.size_bytes(model, (3, 6, 6), "checkpoint_weights")
    with_momentum = measure.size_bytes(model, (3, 6, 6), "checkpoint_sgd_momentum")
    state_bytes = sum(t.element_size() * t.numel() for t in model.state_dict().values())
    buffer_bytes = 4 * measure.params(model, "trainable")
    per_tensor = 512  # a zip record's headers, its 64-byte alignment and the pickled dict entry
    assert state_bytes < weights
    assert buffer_bytes < with_momentum - weights < buffer_bytes + per_tensor * len(list(model.parameters()))


class _TiedHalf(nn.Module):
    """Two linears of one weight, a half-precision layer, and a buffer left out of the state dict."""

    def __init__(self) -> None:
        super().__init__()
        self.a, self.b = nn.Linear(6, 6), nn.Linear(6, 6)
        self.b.weight = self.a.weight
        self.half = nn.Conv2d(6, 3, 1).half()
        self.register_buffer("scratch", torch.zeros(5), persistent=False)


class _ViewBuffer(nn.Module):
    """A buffer that is a view of a parameter's storage (its first row), as torch.save stores it: once."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(8, 8)
        self.register_buffer("first_row", self.linear.weight.detach()[0])


def _saved_bytes(model: nn.Module, momentum: float) -> int:
    """The bytes of the author's own ``torch.save`` of a CPU model after one SGD step, written out in full."""
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=momentum, weight_decay=5e-4)
    for parameter in model.parameters():
        parameter.grad = torch.rand_like(parameter)
    optimizer.step()
    buffer = io.BytesIO()
    torch.save({"epoch": 0, "model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict(),
                "loss": torch.tensor(0.5, requires_grad=True)}, buffer)
    return buffer.getbuffer().nbytes


@pytest.mark.parametrize("factory", [_conv_bn_head, _TiedHalf, _ViewBuffer, torchvision.models.squeezenet1_1])
@pytest.mark.parametrize(("size", "momentum"), [("checkpoint_weights", 0.0), ("checkpoint_sgd_momentum", 0.9)])
def test_a_checkpoints_size_is_the_bytes_torch_save_writes_for_the_real_model(factory, size: str,
                                                                              momentum: float) -> None:
    """Counted from the meta device, or from a CPU model left as it was, it is what saving the model built on the CPU
    writes; a weight two layers share is saved once, and so is a buffer that views a parameter's storage."""
    built = factory()
    before = {name: tensor.clone() for name, tensor in built.state_dict().items()}
    assert measure.size_bytes(_on_meta(factory), (), size) == measure.size_bytes(built, (), size) == _saved_bytes(
        factory(), momentum)
    assert all(torch.equal(before[name], tensor) for name, tensor in built.state_dict().items())


def _mlp() -> nn.Sequential:
    return nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 3), nn.ReLU(), nn.Linear(3, 10))


@pytest.mark.parametrize("factory", [_mlp, _conv_bn_head, _TiedHalf, _ViewBuffer, torchvision.models.squeezenet1_1])
def test_a_state_dict_files_size_is_the_bytes_torch_save_writes_of_the_real_models_state_dict(factory) -> None:
    """No size gave a model's ``torch.save(model.state_dict(), stream)``, the bytes torchvision's weight files and
    most "model size" columns hold (a small MLP's printed "11.9 KB"): ``state_dict_file`` counts them."""
    saved = io.BytesIO()
    torch.save(factory().state_dict(), saved)
    assert measure.size_bytes(_on_meta(factory), (), "state_dict_file") == measure.size_bytes(
        factory(), (), "state_dict_file") == saved.getbuffer().nbytes


def test_a_checkpoint_of_40_gb_is_counted_without_holding_its_weights() -> None:
    """No weight is allocated, so a model larger than the machine's memory is counted in a moment: its weights, two
    zip records of headers and the pickled names."""
    model = _on_meta(lambda: nn.Sequential(nn.Linear(10, 100_000), nn.Linear(100_000, 100_000)))
    weights = 4 * sum(p.numel() for p in model.parameters())
    assert 0 < measure.size_bytes(model, (), "checkpoint_weights") - weights < 4096
    assert 0 < measure.size_bytes(model, (), "checkpoint_sgd_momentum") - 2 * weights < 8192


@pytest.mark.parametrize(("model", "count", "layers"), [
    (nn.LazyLinear(3), "trainable", "the model is itself a lazy layer, a LazyLinear: weight, bias"),
    (nn.LazyLinear(3), "keras", "the model is itself a lazy layer, a LazyLinear: weight, bias"),
    (nn.LazyBatchNorm1d(), "state_dict_elements",
     "the model is itself a lazy layer, a LazyBatchNorm1d: weight, bias, running_mean, running_var"),
    (nn.Sequential(nn.LazyLinear(3), nn.LazyLinear(2)), "trainable",
     "its lazy layers '0', a LazyLinear, and '1', a LazyLinear: 0.weight, 0.bias, 1.weight, 1.bias"),
])
def test_a_lazy_model_says_in_english_which_layer_is_lazy(model: nn.Module, count: str, layers: str) -> None:
    """A lazy layer as the whole model read "(its lazy layer the model itself, a LazyLinear: ...)"."""
    with pytest.raises(errors.MeasurementError) as raised:
        measure.params(model, count)
    assert str(raised.value).partition("first forward (")[2].partition(")")[0] == layers


def test_a_checkpoint_of_a_lazy_model_is_an_error_before_its_first_forward() -> None:
    with pytest.raises(errors.MeasurementError, match="^the model builds parameters in its first forward"):
        measure.size_bytes(nn.Sequential(nn.LazyLinear(3)), (), "checkpoint_weights")
