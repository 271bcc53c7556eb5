"""Deep-Learning-CIFAR10-pytorch (seed ``003_64bd677d18823a1b.txt``): a LeNet baseline and three
CIFAR-10 residual / dense networks.

Source: ``shambhurajmane/Deep-Learning-CIFAR10-pytorch``, ``Code/Network/Network.py``, whose
ResNet18, ResNeXt29_32x4d and DenseNet121 are the CIFAR variants of ``kuangliu/pytorch-cifar``:
stride-1 stems, no stem max-pool. Submodule names follow that file, the baseline's
``CIFAR10Model`` included, so state_dict keys match the author's checkpoints (their names reach
a checkpoint's bytes).

Deliberate differences from the source:

- ReLU, the pools and the flatten are modules instead of functional calls (no state_dict entries).
- The final ``avg_pool2d(4)`` / ``avg_pool2d(8)`` is a global average pool: the same at 32×32.
- An identity shortcut is ``nn.Identity()`` instead of an empty ``nn.Sequential()``.
- ``in_channels`` and ``num_classes`` are arguments (the source fixes 3 and 10).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import torch
import torch.nn as nn

from claimbench import register_model

__all__ = [
    "BasicBlock",
    "CIFAR10Model",
    "DenseLayer",
    "DenseNet",
    "ResNeXtBlock",
    "ResNet",
    "Transition",
    "baseline",
    "densenet121",
    "resnet18",
    "resnext29_32x4d",
]


def _shortcut(in_planes: int, out_planes: int, stride: int) -> nn.Module:
    """A 1×1 conv + BatchNorm projection where shape changes, else the identity."""
    if stride == 1 and in_planes == out_planes:
        return nn.Identity()
    return nn.Sequential(
        nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False),
        nn.BatchNorm2d(out_planes),
    )


class CIFAR10Model(nn.Module):
    """The baseline: LeNet-5 under the author's names (``conv1``, ``conv2``, ``fc1``-``fc3``)."""

    def __init__(self, num_classes: int = 10, in_channels: int = 3) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 6, kernel_size=5)
        self.pool = nn.MaxPool2d(2)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.relu(self.conv1(x)))
        x = self.flatten(self.pool(self.relu(self.conv2(x))))
        return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))


class BasicBlock(nn.Module):
    """Two 3×3 convs with BatchNorm and a shortcut (ResNet18)."""

    expansion = 1

    def __init__(self, in_planes: int, planes: int, stride: int = 1, groups: int = 1) -> None:
        super().__init__()
        if groups != 1:
            raise ValueError(f"BasicBlock supports only groups=1, got groups={groups}")
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.shortcut = _shortcut(in_planes, planes, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + self.shortcut(x))


class ResNeXtBlock(nn.Module):
    """1×1, grouped 3×3 (``groups`` = cardinality), 1×1 to twice the group width, and a shortcut."""

    expansion = 2

    def __init__(self, in_planes: int, planes: int, stride: int = 1, groups: int = 1) -> None:
        super().__init__()
        out_planes = self.expansion * planes
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out_planes, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_planes)
        self.relu = nn.ReLU(inplace=True)
        self.shortcut = _shortcut(in_planes, out_planes, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + self.shortcut(x))


class DenseLayer(nn.Module):
    """Pre-activation bottleneck: BN, ReLU, 1×1 to 4·growth, BN, ReLU, 3×3 to growth; output [new, input]."""

    def __init__(self, in_planes: int, growth_rate: int) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, 4 * growth_rate, kernel_size=1, bias=False)
        self.bn2 = nn.BatchNorm2d(4 * growth_rate)
        self.conv2 = nn.Conv2d(4 * growth_rate, growth_rate, kernel_size=3, padding=1, bias=False)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(self.relu(self.bn1(x)))
        out = self.conv2(self.relu(self.bn2(out)))
        return torch.cat([out, x], 1)


class Transition(nn.Sequential):
    """BN, ReLU, 1×1 conv, 2×2 average pool between dense blocks."""

    def __init__(self, in_planes: int, out_planes: int) -> None:
        super().__init__(
            OrderedDict(
                bn=nn.BatchNorm2d(in_planes),
                relu=nn.ReLU(inplace=True),
                conv=nn.Conv2d(in_planes, out_planes, kernel_size=1, bias=False),
                pool=nn.AvgPool2d(2),
            )
        )


class ResNet(nn.Sequential):
    """CIFAR ResNet / ResNeXt: a stride-1 stem, stages ``layer1`` … of residual blocks, ``linear``.

    The first stage keeps stride 1, every later one halves the resolution in its first block.
    """

    def __init__(
        self,
        block: type[BasicBlock | ResNeXtBlock],
        layers: Sequence[int],
        widths: Sequence[int],
        groups: int = 1,
        stem_kernel_size: int = 3,
        num_classes: int = 10,
        in_channels: int = 3,
    ) -> None:
        if len(layers) != len(widths):
            raise ValueError(f"layers {list(layers)} and widths {list(widths)} differ in length")
        in_planes = 64
        modules: OrderedDict[str, nn.Module] = OrderedDict(
            conv1=nn.Conv2d(
                in_channels, in_planes, stem_kernel_size, padding=stem_kernel_size // 2, bias=False
            ),
            bn1=nn.BatchNorm2d(in_planes),
            relu=nn.ReLU(inplace=True),
        )
        for index, (num_blocks, planes) in enumerate(zip(layers, widths), start=1):
            blocks = []
            for stride in [1 if index == 1 else 2] + [1] * (num_blocks - 1):
                blocks.append(block(in_planes, planes, stride, groups))
                in_planes = planes * block.expansion
            modules[f"layer{index}"] = nn.Sequential(*blocks)
        modules["avgpool"] = nn.AdaptiveAvgPool2d(1)
        modules["flatten"] = nn.Flatten()
        modules["linear"] = nn.Linear(in_planes, num_classes)
        super().__init__(modules)


class DenseNet(nn.Sequential):
    """CIFAR DenseNet: a 3×3 stem, dense blocks ``dense1`` … joined by transitions ``trans1`` …, ``linear``."""

    def __init__(
        self,
        block_config: Sequence[int],
        growth_rate: int = 32,
        reduction: float = 0.5,
        num_classes: int = 10,
        in_channels: int = 3,
    ) -> None:
        planes = 2 * growth_rate
        modules: OrderedDict[str, nn.Module] = OrderedDict(
            conv1=nn.Conv2d(in_channels, planes, kernel_size=3, padding=1, bias=False)
        )
        for index, num_layers in enumerate(block_config, start=1):
            layers = []
            for _ in range(num_layers):
                layers.append(DenseLayer(planes, growth_rate))
                planes += growth_rate
            modules[f"dense{index}"] = nn.Sequential(*layers)
            if index < len(block_config):
                out_planes = int(planes * reduction)
                modules[f"trans{index}"] = Transition(planes, out_planes)
                planes = out_planes
        modules["bn"] = nn.BatchNorm2d(planes)
        modules["relu"] = nn.ReLU(inplace=True)
        modules["avgpool"] = nn.AdaptiveAvgPool2d(1)
        modules["flatten"] = nn.Flatten()
        modules["linear"] = nn.Linear(planes, num_classes)
        super().__init__(modules)


# ResNeXt29_32x4d: cardinality 32, bottleneck width 4 doubled per stage → group widths 128/256/512.
_RESNEXT29_CARDINALITY = 32
_RESNEXT29_WIDTHS = [_RESNEXT29_CARDINALITY * 4 * 2**stage for stage in range(3)]


def _resnet(
    block: type[BasicBlock | ResNeXtBlock], layers: Sequence[int], widths: Sequence[int], **kwargs: Any
) -> ResNet:
    return ResNet(block, layers, widths, **{"num_classes": 10, **kwargs})


@register_model("dl_cifar10_pytorch.baseline", input_size=(3, 32, 32))
def baseline(**overrides: Any) -> CIFAR10Model:
    """The baseline ``CIFAR10Model``: LeNet-5."""
    return CIFAR10Model(**overrides)


@register_model("dl_cifar10_pytorch.resnet18", input_size=(3, 32, 32))
def resnet18(**overrides: Any) -> ResNet:
    """ResNet18, CIFAR form: 3×3 stem, [2, 2, 2, 2] basic blocks."""
    return _resnet(BasicBlock, [2, 2, 2, 2], [64, 128, 256, 512], **overrides)


@register_model("dl_cifar10_pytorch.resnext29_32x4d", input_size=(3, 32, 32))
def resnext29_32x4d(**overrides: Any) -> ResNet:
    """ResNeXt29 (32×4d), CIFAR form: 1×1 stem, [3, 3, 3] grouped bottleneck blocks."""
    return _resnet(
        ResNeXtBlock,
        [3, 3, 3],
        _RESNEXT29_WIDTHS,
        **{"groups": _RESNEXT29_CARDINALITY, "stem_kernel_size": 1, **overrides},
    )


@register_model("dl_cifar10_pytorch.densenet121", input_size=(3, 32, 32))
def densenet121(**overrides: Any) -> DenseNet:
    """DenseNet121, CIFAR form: growth 32, blocks [6, 12, 24, 16], reduction 0.5."""
    return DenseNet([6, 12, 24, 16], **{"growth_rate": 32, "reduction": 0.5, "num_classes": 10, **overrides})
