"""Deeper Networks for Image Classification (seed ``004_3b3a7e1e0afba1e6.txt``): VGG16, InceptionV3,
ResNet50 and MobileNetV2 on MNIST (1×28×28) and CIFAR-10 (3×32×32).

Source: ``kaviraj07/deep_nets_for_img_classification``, whose notebooks hand-write each model.
VGG16 (batch-normed, with the author's two 14×14 adaptive pools) is its own class here; the
other three are torchvision's constructors with the author's edits made in the builders:

- InceptionV3: ``Conv2d_1a_3x3`` is 1×1, stride 1, padding 1; ``Conv2d_2a_3x3`` gets padding 1;
  ``maxpool2`` becomes a 7×7 adaptive average pool; no auxiliary head.
- ResNet50: ``conv1`` is 3×3, stride 1, padding 1, no bias; the stem max-pool stays.
- MobileNetV2: the final 1×1 conv to 1280 channels is removed and the classifier reads 320
  features; on CIFAR the stem and the 24- and 32-channel stages have stride 1.

Deliberate differences from the source: torchvision's module names; torchvision's
initialisation for ResNet50 (the author's class used PyTorch's defaults) and for MobileNetV2,
whose replaced stem and classifier are re-initialised the same way. The report trained
VGG16 and InceptionV3 on MNIST only; their CIFAR-10 builders are the same code with
``in_channels=3``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn as nn
from torchvision.models import inception_v3, mobilenet_v2, resnet50
from torchvision.models.inception import BasicConv2d, Inception3
from torchvision.models.mobilenetv2 import MobileNetV2
from torchvision.models.resnet import ResNet
from torchvision.ops.misc import Conv2dNormActivation

from claimbench import register_model

__all__ = [
    "VGG",
    "inception_v3_cifar10",
    "inception_v3_mnist",
    "mobilenet_v2_cifar10",
    "mobilenet_v2_mnist",
    "resnet50_cifar10",
    "resnet50_mnist",
    "vgg16_cifar10",
    "vgg16_mnist",
]

_MNIST = (1, 28, 28)
_CIFAR10 = (3, 32, 32)


def _make_features(cfg: Sequence[int | str], in_channels: int) -> nn.Sequential:
    """VGG feature layers: an int is a 3×3 conv (with bias) + BN + ReLU, "M" a 2×2 max-pool,
    "A" a 14×14 adaptive average pool."""
    layers: list[nn.Module] = []
    for item in cfg:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        elif item == "A":
            layers.append(nn.AdaptiveAvgPool2d((14, 14)))
        elif isinstance(item, int):
            layers += [
                nn.Conv2d(in_channels, item, kernel_size=3, padding=1, bias=True),
                nn.BatchNorm2d(item),
                nn.ReLU(inplace=True),
            ]
            in_channels = item
        else:
            raise ValueError(f"unknown VGG layer {item!r}: expected an int, 'M' or 'A'")
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """VGG with BatchNorm: feature layers from a table, a 7×7 adaptive pool, three linear layers."""

    def __init__(
        self, cfg: Sequence[int | str], num_classes: int = 10, in_channels: int = 3, dropout: float = 0.5
    ) -> None:
        super().__init__()
        self.features = _make_features(cfg, in_channels)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096, bias=True),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096, bias=True),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes, bias=True),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


# The author's VGG16: torchvision's "D" layout with the third and fourth max-pools as "A".
_VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "A", 512, 512, 512, "A", 512, 512, 512, "M"]

# MobileNetV2 (t, c, n, s) rows on CIFAR-10: torchvision's, with the 24- and 32-channel stages at stride 1.
_MOBILENET_V2_CIFAR10 = [
    [1, 16, 1, 1],
    [6, 24, 2, 1],
    [6, 32, 3, 1],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
]


def _vgg16(**kwargs: Any) -> VGG:
    return VGG(_VGG16, **{"num_classes": 10, **kwargs})


def _inception_v3(
    *, in_channels: int, num_classes: int = 10, aux_logits: bool = False, init_weights: bool = False, **kwargs: Any
) -> Inception3:
    """torchvision's InceptionV3 (PyTorch's default init, as the author's class) with the author's stem."""
    model = inception_v3(
        weights=None, num_classes=num_classes, aux_logits=aux_logits, init_weights=init_weights, **kwargs
    )
    model.Conv2d_1a_3x3 = BasicConv2d(in_channels, 32, kernel_size=1, stride=1, padding=1)
    model.Conv2d_2a_3x3 = BasicConv2d(32, 32, kernel_size=3, padding=1)
    model.maxpool2 = nn.AdaptiveAvgPool2d((7, 7))
    return model


def _resnet50(*, in_channels: int, num_classes: int = 10, **kwargs: Any) -> ResNet:
    """torchvision's ResNet50 with a 3×3 stride-1 ``conv1``."""
    model = resnet50(weights=None, num_classes=num_classes, **kwargs)
    model.conv1 = nn.Conv2d(in_channels, 64, kernel_size=3, stride=1, padding=1, bias=False)
    nn.init.kaiming_normal_(model.conv1.weight, mode="fan_out", nonlinearity="relu")
    return model


def _mobilenet_v2(*, in_channels: int, stem_stride: int, num_classes: int = 10, **kwargs: Any) -> MobileNetV2:
    """torchvision's MobileNetV2 without its last 1×1 conv, the classifier reading 320 features."""
    model = mobilenet_v2(weights=None, num_classes=num_classes, **kwargs)
    stem_channels = model.features[0].out_channels
    model.features[0] = Conv2dNormActivation(
        in_channels, stem_channels, stride=stem_stride, norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU6
    )
    model.features = model.features[:-1]
    model.classifier[1] = nn.Linear(model.features[-1].out_channels, num_classes)
    nn.init.kaiming_normal_(model.features[0][0].weight, mode="fan_out")
    nn.init.normal_(model.classifier[1].weight, 0, 0.01)
    nn.init.zeros_(model.classifier[1].bias)
    return model


@register_model("deeper_networks.vgg16_mnist", input_size=_MNIST)
def vgg16_mnist(**overrides: Any) -> VGG:
    """VGG16 with BatchNorm on 1-channel 28×28 MNIST."""
    return _vgg16(**{"in_channels": 1, **overrides})


@register_model("deeper_networks.vgg16_cifar10", input_size=_CIFAR10)
def vgg16_cifar10(**overrides: Any) -> VGG:
    """VGG16 with BatchNorm on CIFAR-10 (not trained in the report)."""
    return _vgg16(**{"in_channels": 3, **overrides})


@register_model("deeper_networks.inception_v3_mnist", input_size=_MNIST)
def inception_v3_mnist(**overrides: Any) -> Inception3:
    """InceptionV3 with the author's small-input stem, on MNIST."""
    return _inception_v3(**{"in_channels": 1, **overrides})


@register_model("deeper_networks.inception_v3_cifar10", input_size=_CIFAR10)
def inception_v3_cifar10(**overrides: Any) -> Inception3:
    """InceptionV3 with the author's small-input stem, on CIFAR-10 (not trained in the report)."""
    return _inception_v3(**{"in_channels": 3, **overrides})


@register_model("deeper_networks.resnet50_mnist", input_size=_MNIST)
def resnet50_mnist(**overrides: Any) -> ResNet:
    """ResNet50 with a 3×3 stride-1 stem conv, on MNIST."""
    return _resnet50(**{"in_channels": 1, **overrides})


@register_model("deeper_networks.resnet50_cifar10", input_size=_CIFAR10)
def resnet50_cifar10(**overrides: Any) -> ResNet:
    """ResNet50 with a 3×3 stride-1 stem conv, on CIFAR-10."""
    return _resnet50(**{"in_channels": 3, **overrides})


@register_model("deeper_networks.mobilenet_v2_mnist", input_size=_MNIST)
def mobilenet_v2_mnist(**overrides: Any) -> MobileNetV2:
    """MobileNetV2 without the 1280-channel conv, standard strides, on MNIST."""
    return _mobilenet_v2(**{"in_channels": 1, "stem_stride": 2, **overrides})


@register_model("deeper_networks.mobilenet_v2_cifar10", input_size=_CIFAR10)
def mobilenet_v2_cifar10(**overrides: Any) -> MobileNetV2:
    """MobileNetV2 without the 1280-channel conv, stride 1 in the stem and 24/32-channel stages, on CIFAR-10."""
    return _mobilenet_v2(
        **{"in_channels": 3, "stem_stride": 1, "inverted_residual_setting": _MOBILENET_V2_CIFAR10, **overrides}
    )
