"""Two small CNNs for 28x28 grey images, registered with claimbench so the ledger can name them."""

from typing import Any

from torch import nn

from claimbench import register_model


def _cnn(widths: tuple[int, int], *, padding: int, pooled: int, num_classes: int = 10) -> nn.Sequential:
    first, second = widths
    return nn.Sequential(
        nn.Conv2d(1, first, 3, padding=padding), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(first, second, 3, padding=padding), nn.ReLU(), nn.MaxPool2d(2) if pooled > 1 else nn.Identity(),
        nn.AdaptiveAvgPool2d(1) if pooled == 1 else nn.Identity(), nn.Flatten(),
        nn.Linear(second * pooled * pooled, num_classes),
    )


@register_model("author.tiny_cnn", input_size=(1, 28, 28))
def tiny_cnn(**overrides: Any) -> nn.Sequential:
    """Two unpadded convolutions and global average pooling."""
    return _cnn((8, 16), padding=0, pooled=1, **overrides)


@register_model("author.small_cnn", input_size=(1, 28, 28))
def small_cnn(**overrides: Any) -> nn.Sequential:
    """Two padded convolutions, each followed by 2x2 max pooling, and a linear head on the 7x7 maps."""
    return _cnn((16, 32), padding=1, pooled=7, **overrides)
