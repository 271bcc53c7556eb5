"""claimbench: published image-classification model claims, re-measured as pytest tests."""

from claimbench.registry import get_model, list_models, register_model

__all__ = ["get_model", "list_models", "register_model"]
