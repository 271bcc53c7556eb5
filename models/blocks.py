"""Blocks and layer conventions shared by more than one report's models."""

from __future__ import annotations

import torch
import torch.nn as nn

__all__ = ["LeNet", "keras_batch_norm1d", "keras_batch_norm2d", "keras_init"]


def keras_batch_norm2d(num_features: int) -> nn.BatchNorm2d:
    """Keras ``BatchNormalization()`` defaults: eps 1e-3, momentum 0.99 (PyTorch's is 1 − Keras')."""
    return nn.BatchNorm2d(num_features, eps=1e-3, momentum=0.01)


def keras_batch_norm1d(num_features: int) -> nn.BatchNorm1d:
    """Keras ``BatchNormalization()`` after a dense layer."""
    return nn.BatchNorm1d(num_features, eps=1e-3, momentum=0.01)


def keras_init(model: nn.Module) -> None:
    """Keras' default initialisers: Glorot-uniform kernels, zero biases."""
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(module.weight)
            if module.bias is not None:
                nn.init.zeros_(module.bias)


class LeNet(nn.Module):
    """LeNet-5 for 3×32×32 input: two 5×5 convs with max-pool, then three linear layers.

    Core-Collapse (000) and Deep-Learning-CIFAR10-pytorch (003) both use this layout.
    """

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
