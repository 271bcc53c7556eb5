"""Blocks and layer conventions shared by more than one report's models."""

from __future__ import annotations

import torch.nn as nn

__all__ = ["keras_batch_norm1d", "keras_batch_norm2d", "keras_init"]


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
