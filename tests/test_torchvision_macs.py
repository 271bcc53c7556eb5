"""torchvision publishes each weight's MACs (as "GFLOPS", ``meta["_ops"]``): both MAC counters must print the same.

Models are built without weights on the meta device; nothing is downloaded.
"""

from decimal import Decimal

import pytest
import torch
import torchvision
from torch import nn

from claimbench import families, measure, results, verdict
from claimbench.ledger import Claim, Tolerance

INPUT = (3, 224, 224)


def _decimals(printed: float) -> int:
    """How many decimals torchvision printed, e.g. 2 for 15.47."""
    return max(0, -Decimal(repr(printed)).as_tuple().exponent)


def _build(builder: str) -> torch.nn.Module:
    with torch.device("meta"):
        return torchvision.models.get_model(builder, weights=None)


@pytest.mark.parametrize(
    ("builder", "weights"),
    [
        ("resnet18", "ResNet18_Weights"),
        ("vgg16", "VGG16_Weights"),
        ("mobilenet_v2", "MobileNet_V2_Weights"),
        ("efficientnet_b0", "EfficientNet_B0_Weights"),
        ("densenet121", "DenseNet121_Weights"),
    ],
)
def test_both_counters_reproduce_torchvision_ops(builder: str, weights: str) -> None:
    meta = getattr(torchvision.models, weights).DEFAULT.meta
    model = _build(builder)
    count = measure.macs(model, INPUT, "pure")
    assert count.counters[measure.TORCHINFO] == count.counters[measure.FLOP_COUNTER], count.counters
    assert round(count.value / 1e9, _decimals(meta["_ops"])) == meta["_ops"]
    assert measure.params(model, "trainable") == meta["num_params"]


def _claim(model: str, **keys: object) -> Claim:
    """A MAC claim of ``model`` at 224×224 (``value`` in GMACs, printed to 3 decimals, as torchvision's ``_ops``)."""
    return Claim(**{"id": "t/macs", "report": "t", "kind": "macs", "value": 1.0, "printed": "1", "source": "a test",
                    "tolerance": Tolerance(digits=3), "file": "t.toml", "model": model, "input": INPUT, "scale": 1e9,
                    "count": "pure", **keys})


_VIT_TOKENS, _VIT_WIDTH = 197, 768
_VIT_FUNCTIONAL = _VIT_TOKENS * _VIT_WIDTH * 4 * _VIT_WIDTH + 2 * _VIT_TOKENS**2 * _VIT_WIDTH
"""One ViT-B/16 encoder layer's MACs outside its leaf layers: MultiheadAttention's in- and out-projections (its
out_proj's forward never runs) and its q·k and attention·v products."""
_SWIN_FUNCTIONAL = sum(depth * tokens * width * (4 * width + 2 * 7 * 7)
                       for tokens, width, depth in ((56 * 56, 96, 2), (28 * 28, 192, 2), (14 * 14, 384, 6),
                                                    (7 * 7, 768, 2)))
"""Swin-T's MACs outside its leaf layers: each block's F.linear qkv and output projections and its q·k and
attention·v products over 7×7 windows."""


@pytest.mark.parametrize(("builder", "functional"), [("vit_b_16", 12 * _VIT_FUNCTIONAL),
                                                     ("swin_t", _SWIN_FUNCTIONAL)], ids=["vit_b_16", "swin_t"])
def test_on_attention_the_counters_agree_on_the_leaf_layers_and_reproduce_torchvision_ops(
        builder: str, functional: int) -> None:
    """A transformer's functional products (attention's) are outside any leaf layer, which is all torchinfo counts:
    the counters were compared on the whole count, and every such claim was an error although FlopCounterMode gives
    torchvision's own GFLOPS. Now torchinfo is compared on the leaf layers, and the words say the functional part."""
    published = torchvision.models.get_model_weights(builder).DEFAULT.meta["_ops"]
    claim = _claim(f"torchvision:{builder}", value=published)
    found = families.macs(claim)
    assert not verdict.counters_disagree(found.counters), found.counters
    assert round(found.measured / 1e9, _decimals(published)) == published
    assert verdict.judge(claim, verdict.Observation(found)).verdict == "reproduced"
    assert len(found.words) == 1 and f"{found.measured:,} MACs, {functional:,} of them" in found.words[0], found.words
    assert "outside any leaf layer" in found.words[0] and "torchinfo" in found.words[0], found.words
    record = results.record_for(claim, results.Outcome(measurement=found.to_dict()), "2026-12-01")
    assert record["verdict"] == "reproduced" and record["conventions"] == list(found.words), record


def test_a_layer_claim_on_a_transformer_block_agrees_and_names_its_functional_part() -> None:
    """A non-leaf row sums its leaves' counts (each counter's) and the functional products of its own modules."""
    mlp = 2 * _VIT_TOKENS * _VIT_WIDTH * 3072
    claim = _claim("torchvision:vit_b_16", kind="layer", quantity="macs", layer="encoder.layers.encoder_layer_0",
                   count="flops", scale=1.0, tolerance=Tolerance())
    found = families.layer(claim)
    assert found.counters == {measure.FLOP_COUNTER: 2 * (_VIT_FUNCTIONAL + mlp),
                              measure.TORCHINFO: 2 * (_VIT_FUNCTIONAL + mlp)}, found.counters
    assert len(found.words) == 1 and f"{found.measured:,} FLOPs, {2 * _VIT_FUNCTIONAL:,} of them" in found.words[0]
    mlp_claim = _claim("torchvision:vit_b_16", kind="layer", quantity="macs",
                       layer="encoder.layers.encoder_layer_0.mlp", scale=1.0, tolerance=Tolerance())
    assert families.layer(mlp_claim).words == ()  # leaf layers alone: nothing outside them


class OwnProduct(nn.Module):
    """A leaf layer (no submodules) that multiplies its input by a weight of its own, not as a Linear."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(16, 8))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x @ self.weight


def own_product() -> nn.Module:
    return nn.Sequential(OwnProduct(), nn.Linear(8, 2))


def test_a_leaf_layer_the_counters_count_differently_is_still_an_error() -> None:
    """torchinfo counts a leaf that is no conv or linear as its parameters once per image, FlopCounterMode counts its
    product: on a leaf layer the counters disagree, and the claim is our error, never judged on either."""
    with torch.device("meta"):
        model = own_product()
    counters = measure.macs(model, (1, 7, 16), "pure").counters
    assert counters == {measure.FLOP_COUNTER: 7 * 16 * 8 + 7 * 8 * 2, measure.TORCHINFO: 7 * 8 * 2}, counters
    claim = _claim("test_torchvision_macs:own_product", input=(1, 7, 16), scale=1.0, tolerance=Tolerance())
    judged = verdict.judge(claim, verdict.Observation(families.macs(claim)))
    assert judged.verdict == "error" and judged.reason.startswith("counters disagree after corrections"), judged
