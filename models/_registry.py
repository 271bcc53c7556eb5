"""The model registry: one dict of builders, filed under ``<report>.<model>``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

import torch.nn as nn

Builder = Callable[..., nn.Module]

_BUILDERS: dict[str, Builder] = {}
_INPUT_SIZES: dict[str, tuple[int, int, int]] = {}


def register(local_name: str, *, input_size: tuple[int, int, int]) -> Callable[[Builder], Builder]:
    """File a builder as ``<module>.<local_name>`` with the (C, H, W) input its report used.

    A duplicate name raises at import time.
    """

    def decorator(builder: Builder) -> Builder:
        key = f"{builder.__module__.rsplit('.', 1)[-1]}.{local_name}"
        if key in _BUILDERS:
            raise ValueError(f"{key} is registered twice")
        _BUILDERS[key] = builder
        _INPUT_SIZES[key] = input_size
        return builder

    return decorator


def _natural_key(name: str) -> list[int | str]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def names() -> list[str]:
    """All registered model names, naturally sorted (``model2`` before ``model10``)."""
    return sorted(_BUILDERS, key=_natural_key)


def _lookup(table: dict[str, Any], name: str) -> Any:
    try:
        return table[name]
    except KeyError:
        close = difflib.get_close_matches(name, names(), n=5, cutoff=0.5)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise KeyError(f"unknown model {name!r}{hint}") from None


def build(name: str, **overrides: Any) -> nn.Module:
    """Build the named model; ``overrides`` replace the builder's defaults."""
    return _lookup(_BUILDERS, name)(**overrides)


def input_size(name: str) -> tuple[int, int, int]:
    """The (C, H, W) input the named model's report fed it."""
    return _lookup(_INPUT_SIZES, name)
