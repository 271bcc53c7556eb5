"""Measure a built model's structure: parameter counts under each convention the reports use."""

from __future__ import annotations

import torch.nn as nn
from torch.nn.parameter import UninitializedParameter

__all__ = ["PARAM_COUNTERS", "params"]


def _trainable(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _constructed(model: nn.Module) -> int:
    """Trainable parameters that exist right after construction; lazy layers are not built yet."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad and not isinstance(p, UninitializedParameter))


def _keras(model: nn.Module) -> int:
    """Keras ``count_params()``: trainable parameters plus BatchNorm moving mean and variance."""
    running = sum(
        m.running_mean.numel() + m.running_var.numel()
        for m in model.modules()
        if isinstance(m, nn.modules.batchnorm._BatchNorm) and m.track_running_stats
    )
    return _trainable(model) + running


def _tensors(model: nn.Module) -> int:
    return len(list(model.parameters()))


def _state_dict(model: nn.Module) -> int:
    return len(model.state_dict())


PARAM_COUNTERS = {
    "trainable": _trainable,
    "constructed": _constructed,
    "keras": _keras,
    "tensors": _tensors,
    "state_dict": _state_dict,
}


def params(model: nn.Module, count: str) -> int:
    """Count the model's parameters under the named convention (see ``PARAM_COUNTERS``)."""
    try:
        counter = PARAM_COUNTERS[count]
    except KeyError:
        raise ValueError(f"unknown parameter count {count!r}; known: {', '.join(PARAM_COUNTERS)}") from None
    return counter(model)
