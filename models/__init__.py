"""The model zoo: every architecture the five source reports measure.

``build(name, **overrides)`` builds one; ``names()`` lists them all.
"""

from models import (  # noqa: F401  (imported to register their builders)
    cifar_infinity,
    core_collapse,
    deeper_networks,
    dl_cifar10_pytorch,
    iot_ml_hw2,
)
from models._registry import build, input_size, names

__all__ = ["build", "input_size", "names"]
