"""claimbench: published image-classification model claims, re-measured as pytest tests.

PYTEST_DONT_REWRITE: pytest marks an installed plugin's package for assertion rewriting, and warns (an error under
``-W error``) when the package was imported before it, as ``claimbench check`` imports it. Nothing here asserts.
"""

import importlib.metadata

from claimbench.registry import get_model, get_model_builder, list_models, register_model

__all__ = ["__version__", "get_model", "get_model_builder", "list_models", "register_model"]

try:
    __version__ = importlib.metadata.version("claimbench")
    """The installed distribution's version."""
except importlib.metadata.PackageNotFoundError:  # a source tree on sys.path, never installed
    __version__ = "(not installed)"
