"""Tests of claimbench.families: a claim in, a measurement out, and a model that cannot run on the claim's input
as the claim's one-line error. The models are named by import path: nothing is registered for other tests to see."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
import torchvision
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from claimbench import errors, families, items, ledger, measure, registry, results, siblings, vocab
from claimbench.ledger import Claim, Report, Tolerance
from claimbench.runs import local, timing
from claimbench.runs.settings import Settings


def conv() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Linear(4 * 6 * 6, 2))


def sizeless() -> nn.Module:
    return nn.Linear(4, 2)


def tiny_vit() -> nn.Module:
    return torchvision.models.VisionTransformer(image_size=8, patch_size=4, num_layers=1, num_heads=2, hidden_dim=8,
                                                mlp_dim=16, num_classes=3)


def conv_bn() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4 * 6 * 6, 2))


def bn_head() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 2))


def normed_head() -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 2), nn.BatchNorm1d(2))


def bias_free() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 4, 3, bias=False), nn.Flatten(), nn.Linear(4 * 6 * 6, 2, bias=False))


def frozen_conv() -> nn.Module:
    model = conv()
    model[0].requires_grad_(False)
    return model


def wide_linear() -> nn.Module:
    return nn.Linear(1000, 1000)


class _AuxHead(nn.Module):
    """``conv()`` beside an auxiliary classifier (a BatchNorm in it) that only training runs, as googlenet's aux1."""

    def __init__(self) -> None:
        super().__init__()
        self.trunk = conv()
        self.aux_head = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 2), nn.BatchNorm1d(2))

    def forward(self, x: torch.Tensor) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        return (self.trunk(x), self.aux_head(x)) if self.training else self.trunk(x)


def aux_head() -> nn.Module:
    return _AuxHead()


def keras_cnn() -> nn.Module:
    """A small CNN as a Keras port builds it: two convs, each followed by a BatchNorm, and a dense head."""
    return nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.Conv2d(16, 32, 3), nn.BatchNorm2d(32),
                         nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))


def broken() -> nn.Module:
    raise RuntimeError("my builder is broken")


def not_a_module() -> int:
    return 42


class _Forward(nn.Module):
    """``conv()`` behind a forward of a test's own."""

    def __init__(self, forward: Callable[[nn.Module, torch.Tensor], torch.Tensor]) -> None:
        super().__init__()
        self.inner, self._forward = conv(), forward

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._forward(self.inner, x)


def _view_bug(inner: nn.Module, x: torch.Tensor) -> torch.Tensor:
    y = inner(x)
    return y.view(3, 7, 11)


def _raises(inner: nn.Module, x: torch.Tensor) -> torch.Tensor:
    raise RuntimeError("my forward is broken")


def _attribute_bug(inner: nn.Module, x: torch.Tensor) -> torch.Tensor:
    return inner.head(x)


def view_bug() -> nn.Module:
    return _Forward(_view_bug)


def raises() -> nn.Module:
    return _Forward(_raises)


def attribute_bug() -> nn.Module:
    return _Forward(_attribute_bug)


class ReadsItsData(nn.Module):
    """A model behind a branch on its input's values, which the meta device, holding none, cannot take."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.abs().max() > 1000:
            x = x / 255
        return self.inner(x)


class _Sequence(nn.Module):
    """Self-attention, scaled dot-product attention and an LSTM over a (5, 16) sequence, and a linear head: layers
    PyTorch runs as fused kernels on real CPU tensors."""

    def __init__(self) -> None:
        super().__init__()
        self.mha = nn.MultiheadAttention(16, 2, batch_first=True)
        self.rnn = nn.LSTM(16, 16, batch_first=True)
        self.fc = nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y, _ = self.mha(x, x, x)
        y = nn.functional.scaled_dot_product_attention(y, y, y)
        return self.fc(self.rnn(y)[0].mean(1))


def reads_sequence() -> nn.Module:
    return ReadsItsData(_Sequence())


def reads_lenet() -> nn.Module:
    return ReadsItsData(registry.get_model("core_collapse.lenet"))


def reads_lazy_mlc() -> nn.Module:
    return ReadsItsData(registry.get_model("core_collapse.mlc_alpha_19k"))


def reads_mobilenet() -> nn.Module:
    return ReadsItsData(registry.get_model("cifar_infinity.mobilenet"))


class _Tied(nn.Module):
    """Two convs of one weight, of widths the builder reads out of a tensor, as torchvision's RegNets do
    (``.tolist()``), which the meta device cannot: it holds no data."""

    def __init__(self) -> None:
        super().__init__()
        width = int((torch.arange(3) * 2).tolist()[-1])
        self.a, self.b = nn.Conv2d(3, width, 3, padding=1), nn.Conv2d(3, width, 3, padding=1)
        self.b.weight = self.a.weight
        self.bn, self.fc = nn.BatchNorm2d(width), nn.Linear(width * 2 * 8 * 8, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.cat([self.bn(self.a(x)), self.b(x)], 1).flatten(1))


def reads_while_building() -> nn.Module:
    return _Tied()


def reads_then_too_large() -> nn.Module:
    side = int(torch.tensor(2 ** 29).item())
    return nn.Linear(side, 2 * side)  # 2 EiB of weights: no CPU allocates them


def lazy_head() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.LazyLinear(2))


def lazy_normed_head() -> nn.Module:
    """Lazy parameters and lazy moving statistics, which a Keras or state_dict count counts too."""
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.LazyBatchNorm2d(), nn.Flatten(), nn.LazyLinear(2))


def lazy_mismatch() -> nn.Module:
    """A lazy layer of 2 outputs before a linear layer that takes 3: its first forward fails."""
    return nn.Sequential(nn.Flatten(), nn.LazyLinear(2), nn.Linear(3, 2))


def reads_its_weights() -> nn.Module:
    model = nn.Linear(int(torch.tensor(4).item()), 2)
    assert float(model.weight.detach().abs().sum()) >= 0
    return model


def claim(kind: str, **keys: object) -> Claim:
    fields = {"count": "pure"} if kind == "macs" else {"size": "torchinfo_total"} if kind == "size" else {}
    return Claim(**{"id": f"t/{kind}", "report": "t", "kind": kind, "value": 1, "printed": "1", "source": "a test",
                    "tolerance": Tolerance(), "file": "t.toml", "model": "test_families:conv", "input": (3, 8, 8),
                    **fields, **keys})


def test_the_claims_input_is_measured() -> None:
    assert families.macs(claim("macs")).measured == 6 * 6 * 4 * 27 + 4 * 6 * 6 * 2  # conv, linear


@pytest.mark.parametrize("kind", ["macs", "size"])
def test_a_model_that_does_not_run_on_the_claims_input_is_one_line(kind: str) -> None:
    with pytest.raises(errors.MeasurementError,
                       match=r"^test_families:conv does not run on the claim's `input` \[8, 8, 3\]: RuntimeError: "
                             r".*expected input\[1, 8, 8, 3\] to have 3 channels, but got 8"):  # the CPU's words
        families.measurement(claim(kind, input=(8, 8, 3)), settings=lambda: None, benchmark=None)


def test_a_model_too_large_for_the_cpu_keeps_the_meta_devices_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(families, "CPU_FALLBACK_BYTES", 0)
    with pytest.raises(errors.MeasurementError, match=r"\[8, 8, 3\]: RuntimeError: Invalid channel dimensions"):
        families.measurement(claim("macs", input=(8, 8, 3)), settings=lambda: None, benchmark=None)


def test_a_layer_the_model_lacks_is_one_line_naming_the_claims_field() -> None:
    with pytest.raises(errors.MeasurementError, match=r"^layer: no layer '3' in the model$"):
        families.measurement(claim("layer", layer="3", quantity="params", count="trainable"), settings=lambda: None,
                             benchmark=None)


@pytest.mark.parametrize("kind", ["macs", "layer", "size"])
def test_a_builder_that_fails_keeps_its_traceback(kind: str) -> None:
    with pytest.raises(RuntimeError, match="^my builder is broken$") as raised:
        families.measurement(claim(kind, model="test_families:broken", layer=""), settings=lambda: None,
                             benchmark=None)
    assert raised.traceback[-1].path.name == "test_families.py"


@pytest.mark.parametrize("kind", ["params", "macs", "layer", "size"])
def test_a_builder_that_returns_no_module_is_one_line_naming_it_and_what_it_returned(kind: str) -> None:
    """The author's mistake, which ``get_model`` says in one line: the claim's error, not a crash of ours."""
    with pytest.raises(errors.MeasurementError, match=(
            r"^TypeError: get_model\('test_families:not_a_module'\): its builder test_families:not_a_module returned "
            r"42 \(int\), not a torch\.nn\.Module$")):
        families.measurement(claim(kind, model="test_families:not_a_module", layer="", quantity="params",
                                   count="trainable"), settings=lambda: None, benchmark=None)


def test_a_type_error_of_claimbench_s_own_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only ``get_model``'s word on a builder's return is one line: any other ``TypeError`` is a bug of ours."""
    def bug(reference: str) -> nn.Module:
        raise TypeError("a bug of ours")

    monkeypatch.setattr(registry, "get_model", bug)
    with pytest.raises(TypeError, match="^a bug of ours$"):
        families.measurement(claim("params", count="trainable"), settings=lambda: None, benchmark=None)


@pytest.mark.parametrize("kind", ["macs", "size"])
@pytest.mark.parametrize(("model", "error"), [("raises", RuntimeError), ("attribute_bug", AttributeError)])
def test_a_forward_bug_that_is_no_shape_mismatch_keeps_its_traceback(kind: str, model: str, error: type) -> None:
    with pytest.raises(error) as raised:
        families.measurement(claim(kind, model=f"test_families:{model}"), settings=lambda: None, benchmark=None)
    assert raised.type is error and raised.traceback[-1].path.name in ("test_families.py", "module.py")


@pytest.mark.parametrize("kind", ["macs", "layer", "size"])
def test_a_shape_mismatch_is_one_line_naming_the_input_and_the_line_that_failed(kind: str) -> None:
    with pytest.raises(errors.MeasurementError,
                       match=r"^test_families:view_bug does not run on the claim's `input` \[3, 8, 8\]: RuntimeError: "
                             r"shape '\[3, 7, 11\]' is invalid for input of size 2 "
                             r"\(at \S*tests/test_families.py:\d+: `return y.view\(3, 7, 11\)`\)$"):
        families.measurement(claim(kind, model="test_families:view_bug", layer=""), settings=lambda: None,
                             benchmark=None)


class _Sized(nn.Module):
    """A model that asserts its input's size, as torchvision's ViT does ("Wrong image height!")."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3 * 32 * 32, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        torch._assert(x.shape[-2] == 32, f"Wrong image height! Expected 32 but got {x.shape[-2]}!")
        return self.fc(x.flatten(1))


def sized() -> nn.Module:
    return _Sized()


@pytest.mark.parametrize("kind", ["macs", "layer", "size"])
def test_a_models_own_assertion_on_its_input_is_one_line_naming_the_input(kind: str) -> None:
    """vit_h_14 on the 518-pixel input of its published weights, which its builder makes for 224: the model's own
    torch._assert was a traceback of 18 frames through claimbench's, where a shape check of torch's is one line."""
    with pytest.raises(errors.MeasurementError,
                       match=r"^test_families:sized does not run on the claim's `input` \[3, 8, 8\]: AssertionError: "
                             r"Wrong image height! Expected 32 but got 8! \(at \S*tests/test_families.py:\d+: "):
        families.measurement(claim(kind, model="test_families:sized", layer="", quantity="macs"),
                             settings=lambda: None, benchmark=None)


def test_an_assertion_of_claimbench_s_own_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the model's (or torch's) check of its input is one line: an assertion that fails in claimbench's own code
    is a bug of ours, not a wrong input, and keeps its traceback."""
    code = compile("def broken(model, size, path):\n    assert False, 'a bug of ours'\n", measure.__file__, "exec")
    made: dict[str, object] = {}
    exec(code, made)  # a function whose code lies in claimbench's measure.py, as a bug of ours would
    monkeypatch.setattr(measure, "layer", made["broken"])
    with pytest.raises(AssertionError, match="a bug of ours"):
        families.measurement(claim("macs"), settings=lambda: None, benchmark=None)


@pytest.mark.parametrize(("reads", "name"), [("reads_lenet", "core_collapse.lenet"),
                                              ("reads_lazy_mlc", "core_collapse.mlc_alpha_19k"),
                                              ("reads_mobilenet", "cifar_infinity.mobilenet")])
def test_a_forward_that_reads_its_data_is_measured_on_the_cpu_as_on_the_meta_device(reads: str, name: str) -> None:
    """The fallback counts what the meta device counts, and says where it measured."""
    shape = registry.input_size(name)
    for kind, keys in (("macs", {"count": "torchinfo"}), ("layer", {"layer": "", "quantity": "output_shape"}),
                       ("size", {})):
        on_cpu = families.measurement(claim(kind, model=f"test_families:{reads}", input=shape, **keys),
                                      settings=lambda: None, benchmark=None)
        on_meta = families.measurement(claim(kind, model=name, input=shape, **keys), settings=lambda: None,
                                       benchmark=None)
        assert (on_cpu.measured, on_cpu.counters, on_cpu.device) == (on_meta.measured, on_meta.counters, "cpu")
        assert on_meta.device == "meta"


def test_attention_and_an_lstm_on_the_cpu_count_their_matmuls_as_on_the_meta_device() -> None:
    """On real tensors the fused CPU kernels (MHA fast path, flash attention, oneDNN LSTM) have no FLOP formula and
    counted 0: both counters agreed on the head's 48."""
    measured = families.macs(claim("macs", model="test_families:reads_sequence", input=(5, 16)))
    attention = 5 * 16 * 48 + 2 * (2 * 5 * 5 * 8) + 5 * 16 * 16  # in-projection, two heads' QK and AV, out-projection
    sdpa, lstm, head = 2 * 5 * 5 * 16, 5 * (16 * 64 + 16 * 64), 16 * 3
    assert (measured.device, measured.measured) == ("cpu", attention + sdpa + lstm + head)
    assert torch.backends.mha.get_fastpath_enabled() and torch.backends.mkldnn.enabled, "settings not restored"


def test_a_model_too_large_for_the_cpu_says_its_forward_depends_on_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(families, "CPU_FALLBACK_BYTES", 1024)
    with pytest.raises(errors.MeasurementError,
                       match=r"^test_families:reads_lenet: the structural counters run models on torch's meta device, "
                             r"which holds no data, and its forward depends on data values: RuntimeError: "
                             r"Tensor.item\(\) cannot be called on meta tensors \(at \S*tests/test_families.py:\d+: "
                             r"`if x.abs\(\).max\(\) > 1000:`\); its 0 MiB of weights are over the 0 MiB"):
        families.macs(claim("macs", model="test_families:reads_lenet", input=(3, 32, 32)))


def test_a_builder_that_reads_its_tensors_is_built_on_the_cpu_one_weight_at_a_time() -> None:
    """Its weights are on the meta device as every other model's, each tied weight once, and every family measures
    it as a CPU build counts; a RegNet (15 torchvision classifiers) too."""
    model = "test_families:reads_while_building"
    built = _Tied()
    with pytest.raises(NotImplementedError, match="meta"), torch.device("meta"):
        _Tied()
    assert families.params(claim("params", model=model, count="all")).measured == sum(
        p.numel() for p in built.parameters()) == 3 * 4 * 9 + 2 * 4 + 2 * 4 + 4 * 2 * 8 * 8 * 2 + 2
    for kind, keys in (("macs", {}), ("layer", {"layer": "fc", "quantity": "params", "count": "trainable"}),
                       ("size", {}), ("size", {"size": "checkpoint_weights"})):
        measured = families.measurement(claim(kind, model=model, **keys), settings=lambda: None, benchmark=None)
        assert measured.device in ("meta", "cpu") and measured.measured, kind
    assert families.macs(claim("macs", model=model)).measured == 2 * 8 * 8 * 4 * 27 + 4 * 8 * 8 * 2 * 2
    regnet = families.params(claim("params", model="torchvision:regnet_x_400mf", count="trainable"))
    assert regnet.measured == sum(p.numel() for p in torchvision.models.regnet_x_400mf().parameters())
    assert torch.nn.modules.module._global_parameter_registration_hooks == {}, "no hook left behind"


def test_a_builder_that_reads_its_tensors_and_then_fails_on_the_cpu_is_one_line() -> None:
    """A weight no CPU can allocate, or a builder that reads its own weights, which stay on the meta device."""
    with pytest.raises(errors.MeasurementError,
                       match=r"^test_families:reads_then_too_large: its builder reads tensors that torch's meta device "
                             r"holds no data for \(RuntimeError: Tensor.item\(\) cannot be called on meta tensors "
                             r"\(at \S*test_families.py:\d+: .*\)\), and built on the CPU one weight at a time it ran "
                             r"out of memory: RuntimeError: .*DefaultCPUAllocator: can't allocate memory"):
        families.params(claim("params", model="test_families:reads_then_too_large", count="trainable"))
    with pytest.raises(errors.MeasurementError, match=r"^test_families:reads_its_weights: its builder reads tensors "
                       r".* it read the values of a weight, which it keeps on the meta device: RuntimeError: "):
        families.params(claim("params", model="test_families:reads_its_weights", count="trainable"))


@pytest.mark.parametrize("verified", [False, True])
def test_a_training_claim_is_judged_on_the_mean_of_its_seeds_with_their_spread(
        verified: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The measurement is the seeds' mean (not their best), with every seed, their 95% half-width and where they
    ran; seeds trained on data that failed its checksums mark it unverified."""
    finding = "" if verified else "cifar10 train: data_batch_1: MD5 of its content is 0a, the published digest is c9"
    outcome = local.SeedStatistic(mean=2.0, values=(1.0, 2.0, 3.0), spread=2.484, device="CPU x86_64 (1 thread)",
                                  verified=verified, results=(), finding=finding,
                                  partial="" if verified else "cifar10 train holds 10 images of the published 50,000")
    asked = []
    monkeypatch.setattr(local, "measure", lambda claim_, settings: asked.append((claim_, settings)) or outcome)
    accuracy, settings = claim("accuracy", input=None), Settings(device="cpu")
    measurement = families.training(accuracy, settings)
    assert asked == [(accuracy, settings)]
    assert (measurement.measured, measurement.seeds, measurement.spread, measurement.device) == (
        2.0, (1.0, 2.0, 3.0), 2.484, "CPU x86_64 (1 thread)")
    assert measurement.unverified_data is not verified and measurement.data_finding == finding
    assert measurement.partial_data == ("" if verified else "cifar10 train holds 10 images of the published 50,000"), (
        "the image count, which keeps a verdict off the author")


def test_an_epoch_time_on_unverified_data_says_what_was_wrong_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """An epoch timed on a copy of the data that failed its checksums (a truncated copy times another epoch) is
    marked unverified, and carries what was wrong with it to the record."""
    finding = "cifar10 train: data_batch_1: ...; it holds 10 images of the published 50,000"
    partial = "cifar10 train holds 10 images of the published 50,000"
    epoch = timing.EpochTime(seconds=2.0, rounds=(1.9, 2.0, 2.1), device="CPU", verified=False, load="",
                             finding=finding, partial=partial, on_accelerator=True)
    monkeypatch.setattr(timing, "time_epoch", lambda claim_, settings, benchmark: epoch)
    measurement = families.epoch_time(claim("epoch_time", input=None), Settings(device="cpu"), None)
    assert (measurement.unverified_data, measurement.data_finding) == (True, finding)
    assert (measurement.partial_data, measurement.on_accelerator) == (partial, True), "for the judge's words"


def test_a_training_measurement_says_who_chose_bf16(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run records say whether a run trained in bf16 and whether ``auto`` or the user chose it; the
    measurement carries that to the judge (``auto``'s choice wins where seeds differ: no verdict rests on it)."""
    fp32 = {"precision": {"asked": "auto", "chosen": "fp32", "decided": "measured"}}
    auto = {"precision": {"asked": "auto", "chosen": "bf16", "decided": "reused"}}
    asked = {"precision": {"asked": "bf16", "chosen": "bf16", "decided": "asked"}}
    assert [local.bf16_chosen_by(records) for records in ([fp32, {}], [fp32, auto], [asked], [asked, auto])] == [
        "", "auto", "asked", "auto"]
    outcome = local.SeedStatistic(mean=2.0, values=(1.0, 3.0), spread=12.7, device="CPU", verified=True, results=(),
                                  bf16="auto")
    monkeypatch.setattr(local, "measure", lambda claim_, settings: outcome)
    assert families.training(claim("accuracy", input=None), Settings(device="cpu")).bf16 == "auto"


def _record(claim_: Claim, measurement: object) -> dict:
    """The record the controller makes of a measurement sent to it."""
    return results.record_for(claim_, results.Outcome(measurement=measurement.to_dict()), "2026-12-01")


def _built(model: nn.Module, shape: tuple[int, ...]) -> int:
    """The model's trainable parameters after one forward has built its lazy layers."""
    model(torch.rand(1, *shape))
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def test_a_constructed_count_of_a_lazy_model_says_what_the_whole_model_has_once_built() -> None:
    """A count under "constructed" gave the conv stack alone (Core-Collapse's MLC.α-93k: 93,376) and no measured
    number for the whole model, whose head its first forward builds (8,484,260): now the record's words give it."""
    conv_only, whole = 4 * 27 + 4, _built(lazy_head(), (3, 8, 8))
    lazy = claim("params", model="test_families:lazy_head", count="constructed", value=conv_only, printed="112")
    measurement = families.params(lazy)
    assert measurement.measured == conv_only
    record = _record(lazy, measurement)
    assert record["verdict"] == "reproduced" and record["measured"] == conv_only
    assert record["conventions"] == [
        vocab.CONVENTION_WORDS["constructed"],
        f"built by a first forward on a 3×8×8 input (its lazy layer '2', a LazyLinear), the whole model has "
        f"{whole:,} trainable parameters, {whole - conv_only:,} more than this count"]
    assert families.params(claim("params", count="constructed")).words == ()  # nothing lazy: nothing to build


@pytest.mark.parametrize(("model", "input_", "words"), [
    ("lazy_head", None, "the whole model (its lazy layer '2', a LazyLinear) is not measured: test_families:lazy_head "
                        "has no registered input size: give input = [C, H, W]"),
    ("lazy_mismatch", (3, 8, 8), "the whole model (its lazy layer '1', a LazyLinear) is not measured: "
                                 "test_families:lazy_mismatch does not run on the claim's `input` [3, 8, 8]: "
                                 "RuntimeError: mat1 and mat2 shapes cannot be multiplied"),
])
def test_a_lazy_model_that_cannot_be_built_says_so_in_one_line_and_keeps_its_verdict(
        model: str, input_: tuple[int, ...] | None, words: str) -> None:
    lazy = claim("params", model=f"test_families:{model}", count="constructed", input=input_,
                 value=sum(p.numel() for p in globals()[model]().parameters() if not nn.parameter.is_lazy(p)))
    measurement = families.params(lazy)
    assert len(measurement.words) == 1 and measurement.words[0].startswith(words), measurement.words
    assert "\n" not in measurement.words[0]
    assert _record(lazy, measurement)["verdict"] == "reproduced"


def _whole_counts(model: nn.Module, shape: tuple[int, ...]) -> dict[str, int]:
    """The model's counts after one forward has built its lazy layers, each summed here from torch's tensors."""
    model.eval()(torch.rand(1, *shape))
    stats = sum(m.running_mean.numel() + m.running_var.numel() for m in model.modules()
                if isinstance(m, nn.modules.batchnorm._BatchNorm))
    trainable = sum(p.numel() for p in model.parameters())
    return {"trainable": trainable, "all": trainable, "keras": trainable + stats,
            "state_dict_elements": sum(v.numel() for v in model.state_dict().values())}


@pytest.mark.parametrize("count", ["trainable", "all", "keras", "state_dict_elements"])
def test_a_whole_count_of_a_lazy_model_is_counted_once_a_first_forward_on_the_claims_input_built_it(
        count: str) -> None:
    """Any count but "constructed" of a lazy model was an error, even with its input given: the conv stack alone
    (MLC.α-93k's 93,376) was the only count a ledger could check, not the whole model an engineer deploys."""
    whole = _whole_counts(lazy_normed_head(), (3, 8, 8))[count]
    lazy = claim("params", model="test_families:lazy_normed_head", count=count, value=whole, printed=f"{whole}")
    measurement = families.params(lazy)
    assert (measurement.measured, measurement.input, measurement.device) == (whole, (3, 8, 8), "meta")
    assert measurement.words == ("built by a first forward on a 3×8×8 input (its lazy layers '1', a LazyBatchNorm2d, "
                                 "and '3', a LazyLinear)",)
    assert _record(lazy, measurement)["verdict"] == "reproduced"


def test_a_whole_count_of_a_lazy_model_is_built_on_its_registered_input_size() -> None:
    """Core-Collapse's MLC.α-19k registers 3×32×32 and builds its head in its first forward."""
    name = "core_collapse.mlc_alpha_19k"
    whole = _whole_counts(registry.get_model(name), registry.input_size(name))["trainable"]
    measurement = families.params(claim("params", model=name, count="trainable", input=None, value=whole))
    assert measurement.measured == whole > 4_000_000 and measurement.words[0].startswith(
        "built by a first forward on a 3×32×32 input (its lazy layers ")


def test_a_refuted_whole_count_of_a_lazy_model_is_measured_unbuilt_under_constructed() -> None:
    conv_only = 4 * 27 + 4
    whole = claim("params", model="test_families:lazy_head", count="trainable", value=conv_only)
    measurement = families.params(whole)
    assert measurement.measured == _built(lazy_head(), (3, 8, 8)) and measurement.siblings["constructed"] == conv_only
    assert "matches counted right after construction" in _record(whole, measurement)["reason"]


def test_a_whole_count_of_a_lazy_model_with_no_input_known_says_how_to_give_one() -> None:
    with pytest.raises(errors.MeasurementError, match=(
            r"^count 'trainable': the model builds parameters in its first forward \(its lazy layer '2', a LazyLinear: "
            r"2\.weight, 2\.bias\), and test_families:lazy_head has no registered input size to build them on: give "
            r"input = \[C, H, W\] on the claim or its table; count = 'constructed' counts those built at "
            r"construction$")):
        families.params(claim("params", model="test_families:lazy_head", count="trainable", input=None))


def test_a_checkpoint_size_needs_no_input() -> None:
    checkpoint = claim("size", model="test_families:sizeless", input=None, size="checkpoint_weights")
    assert not families.needs_input(checkpoint)
    assert families.size(checkpoint).measured > 4 * (4 * 2 + 2)


@pytest.mark.parametrize("size", ["torchinfo_params", "torchinfo_total"])
def test_torchinfos_sizes_run_the_model_and_the_record_says_which_parameters_it_left_out(size: str) -> None:
    """The report's words for torchinfo's sizes said nothing of the parameters 1.8.0 leaves out (a ViT's class
    token, its attention's projections): now the record says how many, where it left any out."""
    vit = claim("size", model="test_families:tiny_vit", size=size)
    assert families.needs_input(vit)
    measurement = families.size(vit)
    assert measurement.input == (3, 8, 8) and len(measurement.words) == 1
    record = results.record_for(vit, results.Outcome(measurement=measurement.to_dict()), "2026-12-01")
    assert record["conventions"] == [vocab.CONVENTION_WORDS[size], *measurement.words]
    assert "leaves out 1,344 (31.0%) of this model's 4,332 parameter bytes" in record["conventions"][1]
    assert families.size(claim("size", size=size)).words == ()  # a conv net: torchinfo counts every parameter


_CONV_MACS = 6 * 6 * 4 * 27 + 4 * 6 * 6 * 2
"""``conv()``'s multiply-accumulates on a (3, 8, 8) input: its conv's, then its linear's."""
_CONV_PARAMS = 4 * 27 + 4 + 4 * 6 * 6 * 2 + 2


def _reason(claim_: Claim, measurement: object) -> str:
    """The record's reason, as the controller judges the measurement sent to it."""
    return results.record_for(claim_, results.Outcome(measurement=measurement.to_dict()), "2026-12-01")["reason"]


def test_a_refuted_macs_claim_printed_in_flops_says_it_matches_flops() -> None:
    """A refutation said only how far the number was; the model is measured under the other conventions of a
    refuted claim, and the reason says which one gives the author's number. It stays refuted."""
    flops = claim("macs", value=2 * _CONV_MACS, printed=f"{2 * _CONV_MACS:,}")
    measurement = families.macs(flops)
    assert measurement.measured == _CONV_MACS and set(measurement.siblings) == {"torchinfo", "flops"}
    record = results.record_for(flops, results.Outcome(measurement=measurement.to_dict()), "2026-12-01")
    assert record["verdict"] == "refuted"
    assert record["reason"].endswith(f'; it matches {vocab.CONVENTION_WORDS["flops"]} (count = "flops")')


@pytest.mark.parametrize(("model", "count", "value"), [
    ("test_families:conv_bn", "keras", _CONV_PARAMS + 8 + 8),  # BatchNorm's weight and bias, then its statistics
    ("test_families:frozen_conv", "all", _CONV_PARAMS),  # the frozen conv's too; with no BatchNorm, Keras's count
])
def test_a_refuted_params_claim_that_is_another_count_says_which(model: str, count: str, value: int) -> None:
    counted = claim("params", model=model, count="trainable", value=value, printed=f"{value:,}")
    reason = _reason(counted, families.params(counted))
    assert reason.startswith(f"claimed '{value:,}' = {value:,}, measured ")
    assert f'; it matches {vocab.CONVENTION_WORDS[count]} (count = "{count}")' in reason, reason  # keras: all too


def test_a_refuted_size_in_mib_says_so() -> None:
    """A linear of a million weights and a thousand biases: 4,004,000 bytes, printed in MiB as if in MB."""
    mib = round(4 * (1000 * 1000 + 1000) / 2**20, 2)
    sized = claim("size", model="test_families:wide_linear", input=None, size="parameter_bytes", value=mib,
                  printed=f"{mib} MB", scale=1e6, tolerance=Tolerance(digits=2))
    reason = _reason(sized, families.size(sized))
    assert reason.endswith("; it matches in units of 1,048,576 bytes (scale = 1048576)"), reason  # nothing else


def test_a_refuted_size_that_is_kerass_weights_in_kib_says_so() -> None:
    """Keras 3 prints a model's size as the bytes of every weight it counts, a BatchNorm's moving mean and variance
    among them, in KB of 1,024 bytes ("Total params: 12,874 (50.29 KB)"): no size counted those statistics, and such
    a number claimed as another size was refuted with no hint. It stays refuted, and the reason names the size."""
    model = keras_cnn()
    batchnorms = [module for module in model.modules() if isinstance(module, nn.BatchNorm2d)]
    weights = [*model.parameters(), *(bn.running_mean for bn in batchnorms), *(bn.running_var for bn in batchnorms)]
    kib = round(sum(tensor.numel() * tensor.element_size() for tensor in weights) / 1024, 2)
    sized = claim("size", model="test_families:keras_cnn", input=None, size="parameter_bytes", value=kib,
                  printed=f"{kib} KB", scale=1e3, tolerance=Tolerance(digits=2))
    record = results.record_for(sized, results.Outcome(measurement=families.size(sized).to_dict()), "2026-12-04")
    assert record["verdict"] == "refuted"
    assert record["reason"].endswith(f'; it matches {vocab.CONVENTION_WORDS["keras_weights"]}, in units of 1,024 '
                                     'bytes (size = "keras_weights", scale = 1024)'), record["reason"]


_BN_HEAD = {"conv": 4 * 27 + 4, "batchnorm": 4 + 4, "statistics": 4 + 4, "classifier": 4 * 6 * 6 * 2 + 2}
"""``bn_head()``'s parameters, layer by layer, and its BatchNorm's running mean and variance."""


@pytest.mark.parametrize(("count", "value", "words"), [
    ("trainable", _BN_HEAD["conv"] + _BN_HEAD["classifier"], "counted without its BatchNorm layers"),
    ("keras", _BN_HEAD["conv"] + _BN_HEAD["classifier"], "counted without its BatchNorm layers"),  # statistics too
    ("trainable", _BN_HEAD["conv"] + _BN_HEAD["batchnorm"], "counted without its classifier, the final Linear layer"),
    ("keras", _BN_HEAD["conv"] + _BN_HEAD["batchnorm"] + _BN_HEAD["statistics"],
     "counted without its classifier, the final Linear layer"),
])
def test_a_refuted_params_claim_without_a_part_of_the_model_says_which(count: str, value: int, words: str) -> None:
    """A count printed without the BatchNorm layers, or without the classifier (a feature extractor's count), said
    only how far it was; the model is measured without each, under the claim's own count, and the reason says
    which part the author's number leaves out. It stays refuted."""
    counted = claim("params", model="test_families:bn_head", count=count, value=value, printed=f"{value:,}")
    record = results.record_for(counted, results.Outcome(measurement=families.params(counted).to_dict()), "2026-12-02")
    assert record["verdict"] == "refuted"
    assert record["reason"].endswith(f"; it matches {words}"), record["reason"]


def test_a_refuted_layer_count_is_measured_under_the_layers_other_counts() -> None:
    """A BatchNorm row printed as Keras counts it (its moving mean and variance too) under ``count = "trainable"``
    said only "claimed 16, measured 8": the row is measured under the other counts, and the reason says which one
    gives it, as a whole-model count's does, and names the module."""
    keras = _BN_HEAD["batchnorm"] + _BN_HEAD["statistics"]
    row = claim("layer", model="test_families:bn_head", layer="1", quantity="params", count="trainable", value=keras,
                printed=f"{keras:,}")
    measurement = families.layer(row)
    assert (measurement.measured, measurement.siblings["keras"]) == (_BN_HEAD["batchnorm"], keras)
    assert _reason(row, measurement) == (
        f"claimed '16' = 16, measured 8 (layer '1' is a BatchNorm2d), below by 8; exact; it matches "
        f'{vocab.CONVENTION_WORDS["keras"]} (count = "keras")')
    assert families.layer(dataclasses.replace(row, count="keras")).siblings == {}


def test_a_refuted_shape_is_measured_in_the_other_layout() -> None:
    """Keras's "(None, 6, 6, 4)" claimed with no layout was refuted as "measured (4, 6, 6)" alone."""
    shape = claim("layer", model="test_families:bn_head", layer="0", quantity="output_shape", value=(6, 6, 4),
                  printed="(None, 6, 6, 4)")
    measurement = families.layer(shape)
    assert (measurement.measured, measurement.siblings) == ((4, 6, 6), {"channels_last": (6, 6, 4)})
    assert _reason(shape, measurement) == (
        "claimed '(None, 6, 6, 4)' = (6, 6, 4), measured (4, 6, 6) (layer '0' is a Conv2d); it matches "
        f'{vocab.CONVENTION_WORDS["channels_last"]} (layout = "channels_last")')


def test_a_layer_path_one_off_names_the_module_it_measured() -> None:
    """A path naming the ReLU after the BatchNorm read "measured 0", with nothing to say the path was off."""
    row = claim("layer", model="test_families:bn_head", layer="2", quantity="params", count="trainable", value=8,
                printed="8")
    assert _reason(row, families.layer(row)).startswith("claimed '8' = 8, measured 0 (layer '2' is a ReLU), below")


@pytest.mark.parametrize("count", ["state_dict", "keras"])
def test_a_count_of_every_state_dict_element_is_measured_and_named_for_a_refuted_count(count: str) -> None:
    """A README's "every tensor of the state_dict" (its BatchNorm's ``num_batches_tracked`` too) matched no count:
    under ``state_dict`` (entries) or ``keras`` (no ``num_batches_tracked``) it was refuted with no hint. It is
    ``state_dict_elements``, which reproduces it, and the refuted reason names it."""
    elements = sum(_BN_HEAD.values()) + 1  # and the BatchNorm's num_batches_tracked
    counted = claim("params", model="test_families:bn_head", count=count, value=elements, printed=f"{elements:,}")
    record = results.record_for(counted, results.Outcome(measurement=families.params(counted).to_dict()), "2026-12-03")
    assert record["verdict"] == "refuted"
    assert record["reason"].endswith(f'{vocab.CONVENTION_WORDS["state_dict_elements"]} '
                                     '(count = "state_dict_elements")'), record["reason"]
    assert families.params(dataclasses.replace(counted, count="state_dict_elements")).measured == elements


def test_a_keras_count_printed_without_the_running_statistics_says_it_is_all_parameters() -> None:
    value = _BN_HEAD["conv"] + _BN_HEAD["batchnorm"] + _BN_HEAD["classifier"]
    counted = claim("params", model="test_families:bn_head", count="keras", value=value, printed=f"{value:,}")
    assert f'{vocab.CONVENTION_WORDS["all"]} (count = "all")' in _reason(counted, families.params(counted))


_BIASES = "counted without its biases, every parameter named bias, bias_* or *_bias"


@pytest.mark.parametrize(("model", "count"), [("conv", "trainable"), ("bn_head", "trainable"), ("bn_head", "keras")])
def test_a_refuted_params_claim_without_the_biases_says_so(model: str, count: str) -> None:
    """DropNet's README printed its count without its 98 bias elements, the slip most often made by hand, and the
    refuted line said only how far it was: the model is measured without every parameter named bias, under the
    claim's own count, and the reason says so. It stays refuted."""
    built = globals()[model]()
    value = families.params(claim("params", model=f"test_families:{model}", count=count)).measured - sum(
        parameter.numel() for name, parameter in built.named_parameters() if name.endswith(".bias"))
    counted = claim("params", model=f"test_families:{model}", count=count, value=value, printed=f"{value:,}")
    measurement = families.params(counted)
    assert measurement.siblings["without_biases"] == value
    record = _record(counted, measurement)
    assert record["verdict"] == "refuted"
    assert record["reason"].endswith(f"; it matches {_BIASES}"), record["reason"]


def test_a_model_without_biases_gets_no_hint_of_leaving_them_out() -> None:
    """A bias-free model's count without biases is its count: it is not measured, and no reason names it."""
    wrong = claim("params", model="test_families:bias_free", count="trainable", value=1)
    measurement = families.params(wrong)
    assert measurement.measured == sum(parameter.numel() for parameter in bias_free().parameters())
    assert "without_biases" not in measurement.siblings
    assert "biases" not in _reason(wrong, measurement)


_AUXILIARY = ("counted without its auxiliary classifiers, its modules named aux* (torchvision's googlenet weights "
              "drop them: aux_logits=False)")


@pytest.mark.parametrize("count", ["trainable", "keras"])
def test_a_refuted_params_claim_without_the_auxiliary_classifiers_says_so(count: str) -> None:
    """A count printed without the heads only training runs said only how far it was: the model is measured without
    its modules named aux*, their BatchNorm's statistics too under ``keras``."""
    counted = claim("params", model="test_families:aux_head", count=count, value=_CONV_PARAMS,
                    printed=f"{_CONV_PARAMS:,}")
    measurement = families.params(counted)
    assert measurement.siblings["without_aux_classifiers"] == _CONV_PARAMS
    assert _reason(counted, measurement).endswith(f"; it matches {_AUXILIARY}")


@pytest.mark.filterwarnings("ignore:The default weight initialization of GoogleNet")
def test_torchvisions_googlenet_count_is_its_model_without_the_auxiliary_classifiers() -> None:
    """torchvision prints googlenet's 6.6M parameters for its weights, which drop aux1 and aux2; its builder keeps
    them (13,004,888). The claim was refuted with no hint, its measurement shown as 13, not as the report's 13.0M."""
    printed = claim("params", model="torchvision:googlenet", count="all", value=6.6, scale=1e6, printed="6.6M",
                    tolerance=Tolerance(digits=1), input=None)
    record = results.record_for(printed, results.Outcome(measurement=families.params(printed).to_dict()),
                                "2026-12-04")
    assert record["verdict"] == "refuted"
    assert record["reason"] == ("claimed '6.6M' = 6.6, measured 13.0, above by 6.4; exact after rounding to 1 "
                                f"decimal; it matches {_AUXILIARY}")


def resnet18_cifar(num_classes: int = 10) -> nn.Module:
    """torchvision's ResNet-18 with a CIFAR-10 head, torchvision-style: ``num_classes`` overrides it."""
    return torchvision.models.resnet18(num_classes=num_classes)


def reads_resnet18_cifar(num_classes: int = 10) -> nn.Module:
    """``resnet18_cifar`` behind a branch on its input's values: measured on the CPU."""
    return ReadsItsData(resnet18_cifar(num_classes))


def _imagenet_params() -> int:
    """ResNet-18's trainable parameters with torchvision's ImageNet head of 1000 classes, built here."""
    with torch.device("meta"):
        return sum(p.numel() for p in torchvision.models.resnet18(num_classes=1000).parameters() if p.requires_grad)


def _imagenet_macs(shape: tuple[int, ...]) -> int:
    """ResNet-18's multiply-accumulates with 1000 classes on a ``shape`` input: FlopCounterMode's FLOPs / 2."""
    with torch.device("meta"):
        model = torchvision.models.resnet18(num_classes=1000).eval()
        with FlopCounterMode(display=False) as counter, torch.no_grad():
            model(torch.rand(1, *shape))
    return counter.get_total_flops() // 2


@pytest.mark.parametrize(("kind", "scale", "digits"), [("params", 1, None), ("params", 1e6, 1), ("macs", 1, None)])
def test_a_refuted_count_of_the_same_model_with_1000_classes_says_so(kind: str, scale: float,
                                                                     digits: int | None) -> None:
    """A CIFAR-10 table printing torchvision's ImageNet count of its model (VGG16's 138.4M for a 10-class VGG16) was
    refuted with no hint: a builder that takes ``num_classes`` is measured again with 1000 classes, and the reason
    gives that count where the claim's number is it. It stays refuted."""
    imagenet = _imagenet_params() if kind == "params" else _imagenet_macs((3, 32, 32))
    value = imagenet if digits is None else round(imagenet / scale, digits)
    counts = {"count": "trainable"} if kind == "params" else {}
    counted = claim(kind, model="test_families:resnet18_cifar", input=(3, 32, 32), value=value, printed=f"{value:,}",
                    scale=scale, tolerance=Tolerance(digits=digits), **counts)
    measurement = getattr(families, kind)(counted)
    assert measurement.measured != imagenet
    record = _record(counted, measurement)
    assert record["verdict"] == "refuted"
    assert record["reason"].endswith(f"; it matches the same model with 1000 classes ({imagenet:,})"), record["reason"]


def test_a_refuted_count_of_a_model_measured_on_the_cpu_with_1000_classes_says_so() -> None:
    """A forward that reads its data runs on the CPU for the 1000-class count too, as for the claim's own: on the
    meta device it failed, and the hint was silently left out."""
    imagenet = _imagenet_macs((3, 32, 32))
    counted = claim("macs", model="test_families:reads_resnet18_cifar", input=(3, 32, 32), value=imagenet,
                    printed=f"{imagenet:,}")
    measurement = families.macs(counted)
    assert measurement.device == "cpu" and measurement.siblings.get(siblings.WITH_CLASSES) == imagenet
    assert _reason(counted, measurement).endswith(f"; it matches the same model with 1000 classes ({imagenet:,})")


def test_a_refuted_count_that_is_no_model_with_1000_classes_gets_no_such_words() -> None:
    """Neither the 10-class count nor the 1000-class one; and a model built with 1000 classes is not measured again."""
    wrong = claim("params", model="test_families:resnet18_cifar", count="trainable", value=12_345)
    measurement = families.params(wrong)
    assert measurement.siblings[siblings.WITH_CLASSES] == _imagenet_params()
    reason = _reason(wrong, measurement)
    assert "classes" not in reason and "it matches" not in reason, reason
    imagenet = claim("params", model="torchvision:resnet18", count="trainable", value=12_345, input=(3, 32, 32))
    measurement = families.params(imagenet)
    assert measurement.measured == _imagenet_params() and siblings.WITH_CLASSES not in measurement.siblings


def test_a_model_without_batchnorm_or_a_final_linear_gets_no_hint_of_one() -> None:
    """``normed_head()`` ends in a BatchNorm, so it has no classifier to leave out; ``conv()`` has no BatchNorm."""
    assert set(families.params(claim("params", model="test_families:normed_head", count="all")).siblings) == (
        set(vocab.PARAM_COUNTS) - {"all"}) | {"without_batchnorm", "without_biases"}
    assert "without_batchnorm" not in families.params(claim("params", count="all")).siblings


def test_a_refuted_number_that_matches_nothing_keeps_its_line_and_a_reproduced_one_measures_no_other_count() -> None:
    wrong = claim("params", count="trainable", value=1)
    measurement = families.params(wrong)
    assert set(measurement.siblings) == set(vocab.PARAM_COUNTS) - {"trainable"} | {"without_classifier",
                                                                                 "without_biases"}
    assert _reason(wrong, measurement) == (f"claimed '1' = 1, measured {_CONV_PARAMS:,}, above by "
                                           f"{_CONV_PARAMS - 1:,}; exact")
    right = claim("params", count="trainable", value=_CONV_PARAMS)
    assert families.params(right).siblings == {}


def test_a_claim_that_runs_a_model_without_an_input_size_is_refused_at_collection() -> None:
    """Refused as a problem of its report's file, named by the report's slug: an error of collecting that file."""
    assert items.check_models([_report(
        claim("params", model="test_families:sizeless", input=None, count="trainable"),
        claim("size", model="test_families:sizeless", input=None, size="checkpoint_weights"))]) == ({}, {})
    _, problems = items.check_models([_report(claim("macs", model="test_families:sizeless", input=None))])
    assert list(problems) == ["t"] and len(problems["t"]) == 1
    assert re.match(r"t.toml: t/macs: input: test_families:sizeless has no registered input size: give input",
                    problems["t"][0]), problems


def test_a_claim_refused_at_collection_names_its_line_in_its_ledger_file(tmp_path: Path) -> None:
    """``broken.toml: broken/macs/boom: input: ...`` named no line: given the ledger's files, an input size it lacks
    (written nowhere) names the claim's ``id`` line, an unknown model its ``model`` line."""
    claims = "".join(f'\n[[claim]]\nid = "macs/{name}"\nkind = "macs"\ncount = "pure"\nmodel = "test_families:{name}"\n'
                     'value = 1\nprinted = "1"\nsource = "a test"\n' for name in ("sizeless", "absent"))
    (tmp_path / "t.toml").write_text(f'format = 2\n[report]\ntitle = "T"\n{claims}', encoding="utf-8")
    _, problems = items.check_models(ledger.load_reports(tmp_path), files=[tmp_path / "t.toml"])
    assert [problem.split(": ")[:3] for problem in problems["t"]] == [
        ["t.toml:6", "t/macs/sizeless", "input"], ["t.toml:18", "t/macs/absent", "model"]]


def test_an_unknown_name_in_a_report_without_modules_says_where_names_come_from() -> None:
    _, problems = items.check_models([_report(claim("params", model="lenet.tiny", count="trainable"))])
    assert re.search(r"model: unknown model 'lenet.tiny' \(no registered name begins 'lenet.': \[report\] modules is "
                     r"empty: list the module that registers it, or write package.module:builder\)$", problems["t"][0])
    _, problems = items.check_models([_report(claim("params", model="lenet.tiny", count="trainable"),
                                              modules=("models.x",))])
    assert re.search(r"model: unknown model 'lenet.tiny' \((closest: [^)]*; )?no registered name begins 'lenet.': "
                     r"the module that registers it may not be imported yet; [^)]*\)$", problems["t"][0]), problems


def _report(*claims: Claim, modules: tuple[str, ...] = ()) -> Report:
    return Report(slug="t", title="T", source=None, origin=None, tables=(), claims=claims, modules=modules)

