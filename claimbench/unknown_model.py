"""The error of a model reference that names no model, and the one line that says where its model may be.

Torch-free at import, as ``registry`` is: torchvision and timm are imported only to tell whether a name that nothing
registered is one of theirs.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

__all__ = ["UnknownModelError", "unknown_name"]

NOT_IMPORTED = ("the module that registers it may not be imported yet; import it first, or list it in a ledger's "
                "[report] modules")
"""Where the names of a reference's prefix come from: models register as their module is imported."""


class UnknownModelError(KeyError, ValueError):
    """A reference that names no model: a ``KeyError``, as a name missing from a mapping, and a ``ValueError``, as
    torchvision's ``get_model`` raises for an unknown name, so that code written for either catches it. Its text is
    its message, not a ``KeyError``'s quoted key."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def unknown_name(name: str, registered: Collection[str]) -> UnknownModelError:
    """The error of a name nothing registered, in one line: the closest names, a torchvision or timm model's
    reference first (``torchvision:resnet18`` for ``resnet18``), then registered ones; where nothing is registered
    under its prefix (``iot_ml_hw2.`` of ``iot_ml_hw2.model2``), or nothing at all, that its module may not be
    imported yet."""
    prefix = name.rpartition(".")[0]
    unclaimed = not registered or bool(prefix) and not any(n.startswith(f"{prefix}.") for n in registered)
    library = _library_reference(name) if "." not in name else None
    close = [library] if library else []
    close += difflib.get_close_matches(name, list(registered), n=5, cutoff=0.5)
    notes = [f"closest: {', '.join(close)}"] if close else []
    if unclaimed and library is None:
        where = f"no registered name begins {f'{prefix}.'!r}" if registered else "nothing is registered yet"
        notes.append(f"{where}: {NOT_IMPORTED}")
    return UnknownModelError(f"unknown model {name!r}" + (f" ({'; '.join(notes)})" if notes else ""))


def _library_reference(name: str) -> str | None:
    """``torchvision:<name>`` where torchvision has a classification model of that name (in any case, as its
    ``get_model`` reads it), else ``timm:<name>`` where timm is installed and has it; None otherwise."""
    from torchvision import models

    if name.lower() in models.list_models(module=models):  # its classifiers: claimbench builds no other
        return f"torchvision:{name.lower()}"
    try:
        import timm
    except ImportError:
        return None
    return f"timm:{name}" if timm.is_model(name) else None
