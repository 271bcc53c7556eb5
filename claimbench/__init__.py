"""claimbench: published image-classification model claims, re-measured as pytest tests.

PYTEST_DONT_REWRITE: pytest marks an installed plugin's package for assertion rewriting, and warns (an error under
``-W error``) when the package was imported before it, as ``claimbench check`` imports it. Nothing here asserts.
"""

from claimbench.registry import get_model, get_model_builder, list_models, register_model

__all__ = ["get_model", "get_model_builder", "list_models", "register_model"]
