"""IoT-ML HW2 (seed ``002_fd3e47303aa58a77.txt``): four Keras CIFAR-10 CNNs, ported to PyTorch.

Source: Jaskin Kabir's note in ``jaskinkabir/obvault`` (the seed text, plus ``model.summary()``
screenshots of Model 3 and the 50k model) and the course template ``holleman-courses/tinyml_hw2``.
His ``hw2_complete.py`` is not public, so the models are rebuilt from those.

Deliberate differences from the Keras models:

- ReLU is its own module after each conv and after Dense(128) (``layer<row>_act``, ``unit<i>.act``,
  ``head.act``), as in the template's ``activation="relu"``; Keras fuses it into the layer, so a
  conv row's hooked output here is the pre-activation.
- 'same' padding is ``padding=1``. At stride 2 Keras pads (0, 1) and PyTorch (1, 1): the same
  output shapes and counts, a sampling grid shifted by one pixel.
- BatchNorm: Keras eps 1e-3 and moving-average momentum 0.99 are PyTorch ``eps=1e-3,
  momentum=0.01``. PyTorch counts gamma and beta as parameters; Keras also counts the moving
  mean and variance.
- The dropout rate of Model 3 and the 50k model is not visible in the source: 0.2 here.
- Weights start from Keras' defaults: Glorot-uniform kernels, zero biases.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn as nn

from claimbench import register_model
from models.blocks import keras_batch_norm1d, keras_batch_norm2d, keras_init

__all__ = [
    "ConvUnit",
    "KerasCNN",
    "KerasResidualCNN",
    "SeparableConv2d",
    "model1",
    "model2",
    "model3",
    "model_50k",
]

ConvRow = tuple[str, int, int]
"""One conv row of a layer table: (``"conv"`` or ``"separable"``, output channels, stride)."""


def _make_conv(kind: str, in_channels: int, out_channels: int, stride: int) -> nn.Module:
    """Keras ``Conv2D`` or ``SeparableConv2D``: 3×3, 'same' padding, with bias."""
    if kind == "conv":
        return nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=True)
    if kind == "separable":
        return SeparableConv2d(in_channels, out_channels, stride)
    raise ValueError(f"unknown conv kind {kind!r}: expected 'conv' or 'separable'")


class SeparableConv2d(nn.Sequential):
    """Keras ``SeparableConv2D``: bias-free depthwise 3×3 (carrying the stride), then pointwise 1×1 with bias."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__(
            OrderedDict(
                depthwise=nn.Conv2d(
                    in_channels, in_channels, 3, stride=stride, padding=1, groups=in_channels, bias=False
                ),
                pointwise=nn.Conv2d(in_channels, out_channels, 1, bias=True),
            )
        )


class ConvUnit(nn.Sequential):
    """One conv row of Model 3 and the 50k model: conv, ReLU, BatchNorm, Dropout."""

    def __init__(self, kind: str, in_channels: int, out_channels: int, stride: int, dropout: float) -> None:
        super().__init__(
            OrderedDict(
                conv=_make_conv(kind, in_channels, out_channels, stride),
                act=nn.ReLU(),
                bn=keras_batch_norm2d(out_channels),
                drop=nn.Dropout(dropout),
            )
        )


class KerasCNN(nn.Sequential):
    """Models 1 and 2: conv rows (conv, ReLU, BatchNorm), a 4×4 max-pool, Dense, BatchNorm, Dense.

    Children are the report's table rows ``layer1`` … ``layer19``; ReLUs are ``layer<row>_act``.
    """

    def __init__(
        self,
        convs: Sequence[ConvRow],
        num_classes: int = 10,
        in_channels: int = 3,
        hidden_features: int = 128,
    ) -> None:
        rows: list[tuple[nn.Module, bool]] = []  # (layer, followed by ReLU)
        channels = in_channels
        for kind, out_channels, stride in convs:
            rows.append((_make_conv(kind, channels, out_channels, stride), True))
            rows.append((keras_batch_norm2d(out_channels), False))
            channels = out_channels
        rows += [
            (nn.MaxPool2d(4), False),
            (nn.Flatten(), False),
            (nn.Linear(channels, hidden_features, bias=True), True),
            (keras_batch_norm1d(hidden_features), False),
            (nn.Linear(hidden_features, num_classes, bias=True), False),
        ]
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        for number, (layer, activated) in enumerate(rows, start=1):
            layers[f"layer{number}"] = layer
            if activated:
                layers[f"layer{number}_act"] = nn.ReLU()
        super().__init__(layers)
        keras_init(self)


class KerasResidualCNN(nn.Module):
    """Model 3 and the 50k model: seven conv units, Dropout after every BatchNorm, three skips.

    ``unit2`` adds ``shortcut(unit1)``; ``unit4`` adds its input (``unit3``'s output), and
    ``unit6`` adds ``unit5``'s output. The shortcut is a 1×1 conv, or a depthwise 1×1 conv.
    """

    def __init__(
        self,
        convs: Sequence[ConvRow],
        num_classes: int = 10,
        in_channels: int = 3,
        hidden_features: int = 128,
        dropout: float = 0.2,
        depthwise_shortcut: bool = False,
    ) -> None:
        super().__init__()
        if len(convs) != 7:
            raise ValueError(f"expected 7 conv rows, got {len(convs)}: {list(convs)}")
        units = []
        channels = [in_channels]
        for kind, out_channels, stride in convs:
            units.append(ConvUnit(kind, channels[-1], out_channels, stride, dropout))
            channels.append(out_channels)
        self.unit1, self.unit2, self.unit3, self.unit4, self.unit5, self.unit6, self.unit7 = units
        self.shortcut = nn.Conv2d(
            channels[1],
            channels[2],
            1,
            stride=convs[1][2],
            groups=channels[1] if depthwise_shortcut else 1,
            bias=True,
        )
        self.head = nn.Sequential(
            OrderedDict(
                pool=nn.MaxPool2d(4),
                flatten=nn.Flatten(),
                fc1=nn.Linear(channels[-1], hidden_features, bias=True),
                act=nn.ReLU(),
                bn=keras_batch_norm1d(hidden_features),
                drop=nn.Dropout(dropout),
                fc2=nn.Linear(hidden_features, num_classes, bias=True),
            )
        )
        keras_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.unit1(x)
        x = self.unit2(x) + self.shortcut(x)
        x = self.unit3(x)
        x = self.unit4(x) + x
        x = self.unit5(x)
        x = self.unit6(x) + x
        return self.head(self.unit7(x))


# Conv rows in order: (kind, output channels, stride).
_MODEL1: list[ConvRow] = [("conv", 32, 2), ("conv", 64, 2), ("conv", 128, 2)] + [("conv", 128, 1)] * 4
_MODEL2: list[ConvRow] = [("conv", 32, 2), ("separable", 64, 2), ("separable", 128, 2)] + [
    ("separable", 128, 1)
] * 4
_MODEL_50K: list[ConvRow] = [("separable", 64, 2)] * 3 + [("separable", 64, 1)] * 3 + [("separable", 110, 1)]


@register_model("iot_ml_hw2.model1", input_size=(3, 32, 32))
def model1(**overrides: Any) -> KerasCNN:
    """Model 1: seven 3×3 convs with BatchNorm."""
    return KerasCNN(_MODEL1, **{"num_classes": 10, **overrides})


@register_model("iot_ml_hw2.model2", input_size=(3, 32, 32))
def model2(**overrides: Any) -> KerasCNN:
    """Model 2: Model 1 with convs 2–7 made depthwise separable."""
    return KerasCNN(_MODEL2, **{"num_classes": 10, **overrides})


@register_model("iot_ml_hw2.model3", input_size=(3, 32, 32))
def model3(**overrides: Any) -> KerasResidualCNN:
    """Model 3: Model 1 with dropouts and three skips, the first through a 1×1 conv."""
    return KerasResidualCNN(_MODEL1, **{"num_classes": 10, **overrides})


@register_model("iot_ml_hw2.model_50k", input_size=(3, 32, 32))
def model_50k(**overrides: Any) -> KerasResidualCNN:
    """The 50k model: Model 3 made separable and narrowed, the first skip a depthwise 1×1 conv."""
    return KerasResidualCNN(_MODEL_50K, **{"num_classes": 10, "depthwise_shortcut": True, **overrides})
