"""The recipe option ``batch_norm = "per_image"``: BatchNorm as a loop that feeds one image at a time
and never calls ``eval()`` sees it (Deep-Learning-CIFAR10). Applied by the engine to any model."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["PerImageBatchNorm2d", "per_image_batch_norm"]


class PerImageBatchNorm2d(nn.BatchNorm2d):
    """BatchNorm2d as a loop that feeds images one at a time in train mode sees it, in training and in
    evaluation alike: each image normalised by its own per-channel mean and biased variance over H×W,
    then the affine map. Running statistics are kept up to date in training (averaged over the batch) but,
    as in such a loop, never used; evaluation leaves them as they are, so that no held-out or test image is
    in the weights a run stores."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        running = (self.running_mean, self.running_var) if self.training else (None, None)
        return F.instance_norm(x, *running, self.weight, self.bias, use_input_stats=True,
                               momentum=self.momentum or 0.0, eps=self.eps)


def per_image_batch_norm(model: nn.Module) -> None:
    """Replace every BatchNorm2d of ``model`` by a PerImageBatchNorm2d holding its parameters and buffers."""
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.BatchNorm2d) and not isinstance(child, PerImageBatchNorm2d):
                replacement = PerImageBatchNorm2d(child.num_features, child.eps, child.momentum, child.affine,
                                                  child.track_running_stats)
                replacement.load_state_dict(child.state_dict())
                setattr(parent, name, replacement)
