"""The five reports' model zoo: one module per report, each registering its builders with
``claimbench.register_model`` when imported."""

from models import (  # noqa: F401  (imported to register their builders)
    cifar_infinity,
    core_collapse,
    deeper_networks,
    dl_cifar10_pytorch,
    iot_ml_hw2,
)
from claimbench.registry import get_model as build
from claimbench.registry import input_size
from claimbench.registry import list_models as names

__all__ = ["build", "input_size", "names"]
