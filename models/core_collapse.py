"""Models of the Core-Collapse report (seed ``000_827f13bddd0b1dce.txt``), all with 4-class heads.

Public source: MeowLLM/Core-Collapse at 7f57311. ``Benchmark.py`` builds the torchvision models
(weights=None, last classifier layer replaced by a 4-class one) and the MLC α model; the pickled
``Model/MLC/Pretrained/Comet-*.pth`` objects fix the α-93k and α-412k configurations, and
``Model/MLC/Gate Variant - Beta.py`` defines MLC β (gated conv nodes, gated MLP head).

Deliberate differences and choices:

- MLC heads are lazy (``nn.LazyLinear`` for every head layer), as the source builds the whole head
  in the first ``forward()``: right after construction only the conv-node stack holds
  initialised parameters, which is what the report's "trainable parameters" counts.
  ``Benchmark.py`` also creates Adam before that first forward, so the head is never trained
  there; these modules do not freeze it.
- MLC α nodes are the ungated nodes the pickled models contain (``Original.py``'s
  parameter-free Hardsigmoid gates are left out).
- MLC α-19k's configuration is inferred (no file states it): L=2, N=2, F=16, i.e. the α-93k
  model without its last layer. Its ``mlp_units`` are unknown; we take α-93k's (64, 32).
- MLC β-159K's configuration is inferred from its count: L=2, N=4, F=16, head width 128
  (the file's default); N=1/F=64 and N=8/F=8 give the same count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn as nn
import torchvision.models as tvm

from claimbench import register_model

__all__ = [
    "ConvNode",
    "GatedConvNode",
    "ConvLayer",
    "MLPHead",
    "GatedMLPHead",
    "MLC",
    "LeNet",
    "lenet",
    "mlc_alpha_19k",
    "mlc_alpha_93k",
    "mlc_alpha_412k",
    "mlc_beta_159k",
    "vit",
    "efficientnet_b0",
    "googlenet",
    "resnet18",
    "alexnet",
    "vgg16",
    "densenet121",
    "squeezenet",
    "mobilenet_v2",
]


class ConvNode(nn.Module):
    """MLC α conv node: ReLU(conv k×k) plus a 1×1 conv shortcut if channels change, else identity."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2, bias=True)
        self.shortcut = (
            nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=True)
            if in_channels != out_channels
            else nn.Identity()
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.conv(x)) + self.shortcut(x)


class GatedConvNode(ConvNode):
    """MLC β conv node: ReLU(conv(x)) · sigmoid(gate(x)) plus the α node's shortcut."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int) -> None:
        super().__init__(in_channels, out_channels, kernel_size)
        self.gate = nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.conv(x)) * torch.sigmoid(self.gate(x)) + self.shortcut(x)


class ConvLayer(nn.Module):
    """One MLC layer: ``num_nodes`` nodes read the same input; their outputs are concatenated on channels."""

    def __init__(
        self, in_channels: int, out_channels: int, num_nodes: int, kernel_size: int, block: type[ConvNode]
    ) -> None:
        super().__init__()
        self.nodes = nn.ModuleList(block(in_channels, out_channels, kernel_size) for _ in range(num_nodes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([node(x) for node in self.nodes], dim=1)


class MLPHead(nn.Sequential):
    """MLC α head, built lazily: Flatten, then Linear → ReLU per ``mlp_units`` entry, then Linear."""

    def __init__(self, mlp_units: Sequence[int], num_classes: int) -> None:
        layers: list[nn.Module] = [nn.Flatten()]
        for units in mlp_units:
            layers += [nn.LazyLinear(units, bias=True), nn.ReLU(inplace=True)]
        layers.append(nn.LazyLinear(num_classes, bias=True))
        super().__init__(*layers)


class GatedMLPHead(nn.Module):
    """MLC β head, built lazily: h = ReLU(fc1(x)) · sigmoid(gate(x)), then fc2(h)."""

    def __init__(self, mlp_units: Sequence[int], num_classes: int) -> None:
        super().__init__()
        if len(mlp_units) != 1:
            raise ValueError(f"GatedMLPHead takes one hidden width, got mlp_units={list(mlp_units)}")
        self.flatten = nn.Flatten()
        self.fc1 = nn.LazyLinear(mlp_units[0], bias=True)
        self.gate = nn.LazyLinear(mlp_units[0], bias=True)
        self.fc2 = nn.LazyLinear(num_classes, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.flatten(x)
        return self.fc2(torch.relu(self.fc1(x)) * torch.sigmoid(self.gate(x)))


class MLC(nn.Module):
    """Multilayer convolution: ``num_layers`` layers of ``num_nodes`` nodes, layer i with filters·2^i.

    No pooling or striding, so the spatial size is kept; the head flattens everything.
    """

    def __init__(
        self,
        num_layers: int,
        num_nodes: int,
        filters: int,
        mlp_units: Sequence[int],
        num_classes: int = 4,
        in_channels: int = 3,
        kernel_size: int = 3,
        block: type[ConvNode] = ConvNode,
        head: Callable[[Sequence[int], int], nn.Module] = MLPHead,
    ) -> None:
        super().__init__()
        if num_layers < 1 or num_nodes < 1:
            raise ValueError(f"MLC needs at least one layer and node, got {num_layers=}, {num_nodes=}")
        layers: list[nn.Module] = []
        channels = in_channels
        for i in range(num_layers):
            width = filters * 2**i
            layers.append(ConvLayer(channels, width, num_nodes, kernel_size, block))
            channels = num_nodes * width
        self.features = nn.Sequential(*layers)
        self.classifier = head(mlp_units, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


_MLC_CONFIGS: dict[str, dict[str, Any]] = {
    "alpha_19k": {"num_layers": 2, "num_nodes": 2, "filters": 16, "mlp_units": (64, 32)},
    "alpha_93k": {"num_layers": 3, "num_nodes": 2, "filters": 16, "mlp_units": (64, 32)},
    "alpha_412k": {"num_layers": 3, "num_nodes": 4, "filters": 16, "mlp_units": (64, 128)},
    "beta_159k": {
        "num_layers": 2,
        "num_nodes": 4,
        "filters": 16,
        "mlp_units": (128,),
        "block": GatedConvNode,
        "head": GatedMLPHead,
    },
}


class LeNet(nn.Module):
    """LeNet-5 for 3×32×32 input: two 5×5 convs with max-pool, then three linear layers."""

    def __init__(self, num_classes: int = 10, in_channels: int = 3) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, kernel_size=5, bias=True),
            nn.MaxPool2d(2),
            nn.ReLU(inplace=True),
            nn.Conv2d(6, 16, kernel_size=5, bias=True),
            nn.MaxPool2d(2),
            nn.ReLU(inplace=True),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120, bias=True),
            nn.ReLU(inplace=True),
            nn.Linear(120, 84, bias=True),
            nn.ReLU(inplace=True),
            nn.Linear(84, num_classes, bias=True),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def _mlc(config: str, overrides: dict[str, Any]) -> MLC:
    return MLC(**{**_MLC_CONFIGS[config], "num_classes": 4, **overrides})


@register_model("core_collapse.lenet", input_size=(3, 32, 32))
def lenet(**overrides: Any) -> LeNet:
    """LeNet row: LeNet-5 on 32×32 input, 4-class head."""
    return LeNet(**{"num_classes": 4, **overrides})


@register_model("core_collapse.mlc_alpha_19k", input_size=(3, 32, 32))
def mlc_alpha_19k(**overrides: Any) -> MLC:
    """MLC.α-19k row: L=2, N=2, F=16 (inferred), lazy head, built by its first forward (at 3×32×32):
    run one before counting parameters, scripting or exporting it (docs/models.md)."""
    return _mlc("alpha_19k", overrides)


@register_model("core_collapse.mlc_alpha_93k", input_size=(3, 32, 32))
def mlc_alpha_93k(**overrides: Any) -> MLC:
    """MLC.α-93k row: L=3, N=2, F=16 (pickled Comet-93k), lazy head, built by its first forward (at 3×32×32):
    run one before counting parameters, scripting or exporting it (docs/models.md)."""
    return _mlc("alpha_93k", overrides)


@register_model("core_collapse.mlc_alpha_412k", input_size=(3, 32, 32))
def mlc_alpha_412k(**overrides: Any) -> MLC:
    """MLC.α-412k row: L=3, N=4, F=16 (Benchmark.py and pickled Comet-412k), lazy head, built by its first
    forward (at 3×32×32): run one before counting parameters, scripting or exporting it (docs/models.md)."""
    return _mlc("alpha_412k", overrides)


@register_model("core_collapse.mlc_beta_159k", input_size=(3, 32, 32))
def mlc_beta_159k(**overrides: Any) -> MLC:
    """MLC.β-159K row: gated nodes, L=2, N=4, F=16 (inferred), lazy gated head of width 128, built by its first
    forward (at 3×32×32): run one before counting parameters, scripting or exporting it (docs/models.md)."""
    return _mlc("beta_159k", overrides)


@register_model("core_collapse.vit", input_size=(3, 224, 224))
def vit(*, num_classes: int = 4, **overrides: Any) -> tvm.VisionTransformer:
    """ViT row: torchvision vit_b_16 at 224 px, ``heads.head`` replaced by a 4-class Linear."""
    model = tvm.vit_b_16(weights=None, **{"image_size": 224, **overrides})
    model.heads.head = nn.Linear(model.heads.head.in_features, num_classes, bias=True)
    return model


@register_model("core_collapse.efficientnet_b0", input_size=(3, 224, 224))
def efficientnet_b0(*, num_classes: int = 4, **overrides: Any) -> tvm.EfficientNet:
    """EfficientNetB0 row: torchvision efficientnet_b0, ``classifier[1]`` replaced by a 4-class Linear."""
    model = tvm.efficientnet_b0(weights=None, **overrides)
    model.classifier[1] = nn.Linear(model.classifier[1].in_features, num_classes, bias=True)
    return model


@register_model("core_collapse.googlenet", input_size=(3, 224, 224))
def googlenet(*, num_classes: int = 4, **overrides: Any) -> tvm.GoogLeNet:
    """GoogLeNet row: torchvision googlenet without aux heads, ``fc`` replaced by a 4-class Linear; with
    ``aux_logits=True`` the aux heads' last layers (``fc2``) are replaced too, so every head has ``num_classes``."""
    model = tvm.googlenet(weights=None, **{"aux_logits": False, "init_weights": True, **overrides})
    model.fc = nn.Linear(model.fc.in_features, num_classes, bias=True)
    for aux in (model.aux1, model.aux2):
        if aux is not None:
            aux.fc2 = nn.Linear(aux.fc2.in_features, num_classes, bias=True)
    return model


@register_model("core_collapse.resnet18", input_size=(3, 224, 224))
def resnet18(*, num_classes: int = 4, **overrides: Any) -> tvm.ResNet:
    """ResNet18 row: torchvision resnet18, ``fc`` replaced by a 4-class Linear."""
    model = tvm.resnet18(weights=None, **overrides)
    model.fc = nn.Linear(model.fc.in_features, num_classes, bias=True)
    return model


@register_model("core_collapse.alexnet", input_size=(3, 224, 224))
def alexnet(*, num_classes: int = 4, **overrides: Any) -> tvm.AlexNet:
    """AlexNet row: torchvision alexnet, ``classifier[6]`` replaced by a 4-class Linear."""
    model = tvm.alexnet(weights=None, **overrides)
    model.classifier[6] = nn.Linear(model.classifier[6].in_features, num_classes, bias=True)
    return model


@register_model("core_collapse.vgg16", input_size=(3, 224, 224))
def vgg16(*, num_classes: int = 4, **overrides: Any) -> tvm.VGG:
    """VGG16 row: torchvision vgg16 (no BN), ``classifier[6]`` replaced by a 4-class Linear."""
    model = tvm.vgg16(weights=None, **overrides)
    model.classifier[6] = nn.Linear(model.classifier[6].in_features, num_classes, bias=True)
    return model


@register_model("core_collapse.densenet121", input_size=(3, 224, 224))
def densenet121(*, num_classes: int = 4, **overrides: Any) -> tvm.DenseNet:
    """DenseNet121 row: torchvision densenet121, ``classifier`` replaced by a 4-class Linear."""
    model = tvm.densenet121(weights=None, **overrides)
    model.classifier = nn.Linear(model.classifier.in_features, num_classes, bias=True)
    return model


@register_model("core_collapse.squeezenet", input_size=(3, 32, 32))
def squeezenet(*, num_classes: int = 4, **overrides: Any) -> tvm.SqueezeNet:
    """SqueezeNet row: torchvision squeezenet1_0, ``classifier[1]`` replaced by a 4-class 1×1 conv."""
    model = tvm.squeezenet1_0(weights=None, **overrides)
    model.classifier[1] = nn.Conv2d(model.classifier[1].in_channels, num_classes, kernel_size=1, bias=True)
    return model


@register_model("core_collapse.mobilenet_v2", input_size=(3, 32, 32))
def mobilenet_v2(*, num_classes: int = 4, **overrides: Any) -> tvm.MobileNetV2:
    """MobileNetV2 row: torchvision mobilenet_v2, ``classifier[1]`` replaced by a 4-class Linear."""
    model = tvm.mobilenet_v2(weights=None, **overrides)
    model.classifier[1] = nn.Linear(model.classifier[1].in_features, num_classes, bias=True)
    return model
