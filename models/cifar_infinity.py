"""Models of the CIFAR-infinity report (seed ``001_1babc064fc001eeb.txt``), Keras notebooks rebuilt layer by layer.

Public source: fatih-sarioglu/CIFAR-infinity at 86cf824, one Keras 3 notebook per model; every
model takes 3×32×32 CIFAR-10 images and has 10 classes.

Port conventions and deliberate differences:

- ``bias=`` is explicit on every conv and linear: Keras Conv2D, DepthwiseConv2D and Dense carry a
  bias by default; only the EfficientNet notebook turns it off (on its convs).
- BatchNorm keeps Keras' defaults, eps 1e-3 and momentum 0.99 (PyTorch ``momentum=0.01``). Its
  moving mean and variance are buffers here; Keras counts them as "non-trainable params".
- Conv and linear weights start as Keras' defaults do: Glorot-uniform kernels, zero biases
  (no notebook sets an initializer).
- 'same' padding is ``k // 2``. At stride 2 Keras pads only bottom/right; shapes, counts and MACs
  are the same, edge values differ.
- The models return logits; the notebooks end in softmax (EfficientNet's already returns logits).
- Inception: the auxiliary classifier is always built (it is counted) as the submodule ``aux``.
  ``forward`` returns the main logits only; ``forward_with_aux`` returns ``(main, aux)`` for
  training with the notebook's loss (main + 0.3 · aux).
- EfficientNet: the residual Dropout with noise shape (1, 1, 1) drops a whole residual branch per
  sample, i.e. ``StochasticDepth(p, "row")``, with the same p in every block (torchvision's
  EfficientNet raises p linearly with depth instead).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn as nn
from torchvision.models._utils import _make_divisible
from torchvision.ops import Conv2dNormActivation, StochasticDepth

from claimbench import register_model
from models.blocks import keras_batch_norm2d, keras_init

__all__ = [
    "BasicBlock",
    "ResNet",
    "SqueezeExcitation",
    "MBConv",
    "EfficientNet",
    "MobileNet",
    "Inception",
    "InceptionAux",
    "InceptionNet",
    "VGG",
    "resnet",
    "efficientnet",
    "mobilenet",
    "mobilenet_big",
    "inception_bn",
    "vgg_bn",
    "alexnet",
]

NormLayer = Callable[[int], nn.Module]


def _conv_bn_relu(
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    stride: int = 1,
    groups: int = 1,
    *,
    norm_layer: NormLayer,
) -> Conv2dNormActivation:
    """Keras Conv2D (bias, 'same') → BatchNormalization → ReLU."""
    return Conv2dNormActivation(
        in_channels,
        out_channels,
        kernel_size,
        stride,
        groups=groups,
        norm_layer=norm_layer,
        activation_layer=nn.ReLU,
        bias=True,
    )


def _conv_bn_swish(
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    stride: int = 1,
    groups: int = 1,
    *,
    norm_layer: NormLayer,
    activation: bool = True,
) -> Conv2dNormActivation:
    """EfficientNet's Conv2D (no bias, 'same') → BatchNormalization → swish (SiLU) if ``activation``."""
    return Conv2dNormActivation(
        in_channels,
        out_channels,
        kernel_size,
        stride,
        groups=groups,
        norm_layer=norm_layer,
        activation_layer=nn.SiLU if activation else None,
        bias=False,
    )


class BasicBlock(nn.Module):
    """ResNet basic block; ``project`` adds the 1×1 conv + BN shortcut (first block of every stage)."""

    def __init__(
        self, in_channels: int, out_channels: int, stride: int, project: bool, norm_layer: NormLayer
    ) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, padding=1, bias=True)
        self.bn1 = norm_layer(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=True)
        self.bn2 = norm_layer(out_channels)
        self.downsample = (
            nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride, bias=True), norm_layer(out_channels))
            if project
            else None
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class ResNet(nn.Module):
    """ResNet with a CIFAR stem (3×3 conv, no max-pool) and stages of 64, 128, 256, 512 filters."""

    def __init__(
        self,
        layers: Sequence[int],
        num_classes: int = 10,
        in_channels: int = 3,
        norm_layer: NormLayer = keras_batch_norm2d,
    ) -> None:
        super().__init__()
        if len(layers) != 4:
            raise ValueError(f"ResNet takes four stage depths, got layers={list(layers)}")
        self.conv1 = nn.Conv2d(in_channels, 64, 3, padding=1, bias=True)
        self.bn1 = norm_layer(64)
        self.relu = nn.ReLU(inplace=True)
        stages = []
        channels = 64
        for i, (width, depth) in enumerate(zip((64, 128, 256, 512), layers)):
            stride = 1 if i == 0 else 2
            blocks = [BasicBlock(channels, width, stride, project=True, norm_layer=norm_layer)]
            blocks += [BasicBlock(width, width, 1, project=False, norm_layer=norm_layer) for _ in range(depth - 1)]
            stages.append(nn.Sequential(*blocks))
            channels = width
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512, num_classes, bias=True)
        keras_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class SqueezeExcitation(nn.Module):
    """Keras squeeze-excite: global average pool → Dense (swish) → Dense (sigmoid) → channel scale."""

    def __init__(self, channels: int, squeeze_channels: int) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(channels, squeeze_channels, bias=True)
        self.activation = nn.SiLU(inplace=True)
        self.fc2 = nn.Linear(squeeze_channels, channels, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scale = torch.sigmoid(self.fc2(self.activation(self.fc1(torch.flatten(self.avgpool(x), 1)))))
        return x * scale[:, :, None, None]


class MBConv(nn.Module):
    """Inverted residual: [1×1 expand] → depthwise k×k → SE on the expanded width (÷4) → 1×1 project."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        expand_ratio: int,
        kernel_size: int,
        stride: int,
        stochastic_depth_prob: float,
        norm_layer: NormLayer,
    ) -> None:
        super().__init__()
        expanded = in_channels * expand_ratio
        layers: list[nn.Module] = []
        if expand_ratio != 1:
            layers.append(_conv_bn_swish(in_channels, expanded, 1, norm_layer=norm_layer))
        layers += [
            _conv_bn_swish(expanded, expanded, kernel_size, stride, groups=expanded, norm_layer=norm_layer),
            SqueezeExcitation(expanded, expanded // 4),
            _conv_bn_swish(expanded, out_channels, 1, norm_layer=norm_layer, activation=False),
        ]
        self.block = nn.Sequential(*layers)
        self.use_res_connect = stride == 1 and in_channels == out_channels
        self.stochastic_depth = StochasticDepth(stochastic_depth_prob, "row")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        result = self.block(x)
        if self.use_res_connect:
            result = self.stochastic_depth(result) + x
        return result


class EfficientNet(nn.Module):
    """The notebook's EfficientNet: B0 stage table scaled by ``width_mult`` / ``depth_mult``, stride-1 stem.

    Widths are rounded to multiples of 8 (never below 90 %), repeats rounded up.
    """

    def __init__(
        self,
        stages: Sequence[tuple[int, int, int, int, int]],
        width_mult: float = 1.2,
        depth_mult: float = 1.1,
        num_classes: int = 10,
        in_channels: int = 3,
        dropout: float = 0.3,
        stochastic_depth_prob: float = 0.3,
        norm_layer: NormLayer = keras_batch_norm2d,
    ) -> None:
        super().__init__()
        channels = _make_divisible(32 * width_mult, 8)
        layers: list[nn.Module] = [_conv_bn_swish(in_channels, channels, 3, norm_layer=norm_layer)]
        for expand_ratio, base_channels, repeats, stride, kernel_size in stages:
            out_channels = _make_divisible(base_channels * width_mult, 8)
            blocks = []
            for i in range(math.ceil(depth_mult * repeats)):
                block_stride = stride if i == 0 else 1
                blocks.append(
                    MBConv(
                        channels,
                        out_channels,
                        expand_ratio,
                        kernel_size,
                        block_stride,
                        stochastic_depth_prob,
                        norm_layer,
                    )
                )
                channels = out_channels
            layers.append(nn.Sequential(*blocks))
        last_channels = _make_divisible(1280 * width_mult, 8)
        layers.append(_conv_bn_swish(channels, last_channels, 1, norm_layer=norm_layer))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(last_channels, num_classes, bias=True))
        keras_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class MobileNet(nn.Module):
    """MobileNet-V1-like: conv stem, then depthwise 3×3 + pointwise 1×1 blocks (each conv → BN → ReLU)."""

    def __init__(
        self,
        layers: Sequence[tuple[int, int]],
        num_classes: int = 10,
        in_channels: int = 3,
        norm_layer: NormLayer = keras_batch_norm2d,
    ) -> None:
        super().__init__()
        blocks: list[nn.Module] = [_conv_bn_relu(in_channels, 32, 3, norm_layer=norm_layer)]
        channels = 32
        for out_channels, stride in layers:
            blocks.append(
                nn.Sequential(
                    _conv_bn_relu(channels, channels, 3, stride, groups=channels, norm_layer=norm_layer),
                    _conv_bn_relu(channels, out_channels, 1, norm_layer=norm_layer),
                )
            )
            channels = out_channels
        self.features = nn.Sequential(*blocks)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(channels, num_classes, bias=True)
        keras_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class Inception(nn.Module):
    """Inception module: 1×1, 1×1→3×3, 1×1→5×5 and 3×3 max-pool→1×1 branches, concatenated."""

    def __init__(
        self,
        in_channels: int,
        ch1x1: int,
        ch3x3red: int,
        ch3x3: int,
        ch5x5red: int,
        ch5x5: int,
        pool_proj: int,
        norm_layer: NormLayer,
    ) -> None:
        super().__init__()
        self.branch1 = _conv_bn_relu(in_channels, ch1x1, 1, norm_layer=norm_layer)
        self.branch2 = nn.Sequential(
            _conv_bn_relu(in_channels, ch3x3red, 1, norm_layer=norm_layer),
            _conv_bn_relu(ch3x3red, ch3x3, 3, norm_layer=norm_layer),
        )
        self.branch3 = nn.Sequential(
            _conv_bn_relu(in_channels, ch5x5red, 1, norm_layer=norm_layer),
            _conv_bn_relu(ch5x5red, ch5x5, 5, norm_layer=norm_layer),
        )
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(3, stride=1, padding=1),
            _conv_bn_relu(in_channels, pool_proj, 1, norm_layer=norm_layer),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], dim=1)


class InceptionAux(nn.Module):
    """Auxiliary classifier on an 8×8 map: 5×5/3 average pool → 1×1 conv (128) → Dense 1024 → Dense."""

    def __init__(self, in_channels: int, num_classes: int, dropout: float, norm_layer: NormLayer) -> None:
        super().__init__()
        self.avgpool = nn.AvgPool2d(5, stride=3)
        self.conv = _conv_bn_relu(in_channels, 128, 1, norm_layer=norm_layer)
        self.fc1 = nn.Linear(128 * 2 * 2, 1024, bias=True)
        self.dropout = nn.Dropout(dropout)
        self.fc2 = nn.Linear(1024, num_classes, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.flatten(self.conv(self.avgpool(x)), 1)
        return self.fc2(self.dropout(torch.relu(self.fc1(x))))


class InceptionNet(nn.Module):
    """Small GoogLeNet with BatchNorm: stem, inception 3a, 3b (aux head here), 4a, pooled classifier."""

    def __init__(
        self,
        num_classes: int = 10,
        in_channels: int = 3,
        dropout: float = 0.4,
        dropout_aux: float = 0.7,
        norm_layer: NormLayer = keras_batch_norm2d,
    ) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            _conv_bn_relu(in_channels, 64, 7, norm_layer=norm_layer),
            nn.MaxPool2d(3, stride=2, padding=1),
            _conv_bn_relu(64, 64, 1, norm_layer=norm_layer),
            _conv_bn_relu(64, 192, 3, norm_layer=norm_layer),
            nn.MaxPool2d(3, stride=2, padding=1),
        )
        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32, norm_layer)
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64, norm_layer)
        self.aux = InceptionAux(480, num_classes, dropout_aux, norm_layer)
        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64, norm_layer)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(512, num_classes, bias=True)
        keras_init(self)

    def _trunk(self, x: torch.Tensor) -> torch.Tensor:
        return self.inception3b(self.inception3a(self.stem(x)))

    def _main(self, trunk: torch.Tensor) -> torch.Tensor:
        x = torch.flatten(self.avgpool(self.inception4a(trunk)), 1)
        return self.fc(self.dropout(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._main(self._trunk(x))

    def forward_with_aux(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Main and auxiliary logits, for the notebook's weighted two-head loss."""
        trunk = self._trunk(x)
        return self._main(trunk), self.aux(trunk)


class VGG(nn.Module):
    """Conv 3×3 → ReLU stacks with 2×2 max-pools (``"M"``), optional BN after each pool, then a 3-layer MLP."""

    def __init__(
        self,
        layers: Sequence[int | str],
        hidden_features: int,
        num_classes: int = 10,
        in_channels: int = 3,
        image_size: int = 32,
        dropout: float = 0.5,
        norm_layer: NormLayer | None = keras_batch_norm2d,
    ) -> None:
        super().__init__()
        features: list[nn.Module] = []
        channels, size = in_channels, image_size
        for layer in layers:
            if layer == "M":
                features.append(nn.MaxPool2d(2, stride=2))
                if norm_layer is not None:
                    features.append(norm_layer(channels))
                size //= 2
            elif isinstance(layer, int):
                features += [nn.Conv2d(channels, layer, 3, padding=1, bias=True), nn.ReLU(inplace=True)]
                channels = layer
            else:
                raise ValueError(f"VGG layer must be a width or 'M', got {layer!r}")
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(channels * size * size, hidden_features, bias=True),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden_features, hidden_features, bias=True),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden_features, num_classes, bias=True),
        )
        keras_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


# (expand_ratio, base out_channels, base repeats, stride of the first block, kernel_size):
# EfficientNet-B0's widths and repeats with the notebook's strides.
_EFFICIENTNET_STAGES: list[tuple[int, int, int, int, int]] = [
    (1, 16, 1, 1, 3),
    (6, 24, 2, 1, 3),
    (6, 40, 2, 2, 5),
    (6, 80, 3, 1, 3),
    (6, 112, 3, 1, 5),
    (6, 192, 4, 2, 5),
    (6, 320, 1, 1, 3),
]

# (out_channels, stride) per depthwise-separable block.
_MOBILENET_LAYERS: dict[str, list[tuple[int, int]]] = {
    "mobilenet": [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1)],
}
_MOBILENET_LAYERS["mobilenet_big"] = _MOBILENET_LAYERS["mobilenet"] + [(512, 1), (512, 1), (1024, 2), (1024, 1)]

_VGG_LAYERS: dict[str, list[int | str]] = {
    "vgg_bn": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "alexnet": [32, "M", 64, "M", 128, "M"],
}


@register_model("cifar_infinity.resnet", input_size=(3, 32, 32))
def resnet(**overrides: Any) -> ResNet:
    """ResNet row: ResNet-34 depths (3, 4, 6, 3) with the CIFAR stem and conv biases."""
    return ResNet(**{"layers": (3, 4, 6, 3), **overrides})


@register_model("cifar_infinity.efficientnet", input_size=(3, 32, 32))
def efficientnet(**overrides: Any) -> EfficientNet:
    """EfficientNet row: B0 stages at width 1.2, depth 1.1, strides 1,1,2,1,1,2,1."""
    return EfficientNet(_EFFICIENTNET_STAGES, **overrides)


@register_model("cifar_infinity.mobilenet", input_size=(3, 32, 32))
def mobilenet(**overrides: Any) -> MobileNet:
    """MobileNet row: nine depthwise-separable blocks up to 512 channels."""
    return MobileNet(_MOBILENET_LAYERS["mobilenet"], **overrides)


@register_model("cifar_infinity.mobilenet_big", input_size=(3, 32, 32))
def mobilenet_big(**overrides: Any) -> MobileNet:
    """MobileNetBig row: MobileNet plus two 512 and two 1024 blocks."""
    return MobileNet(_MOBILENET_LAYERS["mobilenet_big"], **overrides)


@register_model("cifar_infinity.inception_bn", input_size=(3, 32, 32))
def inception_bn(**overrides: Any) -> InceptionNet:
    """Inception + BatchNorm row, auxiliary classifier included."""
    return InceptionNet(**overrides)


@register_model("cifar_infinity.vgg_bn", input_size=(3, 32, 32))
def vgg_bn(**overrides: Any) -> VGG:
    """VGG + BatchNorm row: VGG16 conv layout, BN after each pool, 4096-wide classifier."""
    return VGG(_VGG_LAYERS["vgg_bn"], **{"hidden_features": 4096, **overrides})


@register_model("cifar_infinity.alexnet", input_size=(3, 32, 32))
def alexnet(**overrides: Any) -> VGG:
    """"AlexNet" row: the notebook's three-conv CNN (no BN), 1024-wide classifier."""
    return VGG(_VGG_LAYERS["alexnet"], **{"hidden_features": 1024, "norm_layer": None, **overrides})
