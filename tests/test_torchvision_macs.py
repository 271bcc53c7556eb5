"""torchvision publishes each weight's MACs (as "GFLOPS", ``meta["_ops"]``): both MAC counters must print the same.

Models are built without weights on the meta device; nothing is downloaded.
"""

from decimal import Decimal

import pytest
import torch
import torchvision

from claimbench import measure

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


def test_on_attention_only_flop_counter_reproduces_torchvision_ops() -> None:
    """ViT-B/16: torchinfo misses the attention matmuls and MultiheadAttention's in-projection (a non-leaf)."""
    published = torchvision.models.ViT_B_16_Weights.DEFAULT.meta["_ops"]
    count = measure.macs(_build("vit_b_16"), INPUT, "pure")
    assert round(count.value / 1e9, _decimals(published)) == published
    assert count.counters[measure.TORCHINFO] < count.value
