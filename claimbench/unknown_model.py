"""The error of a model reference that names no model, and the one line that says where its model may be, or why
its module did not import.

Torch-free at import, as ``registry`` is: torchvision and timm are imported only to tell whether a name that nothing
registered is one of theirs.
"""

from __future__ import annotations

import difflib
import importlib.util
import pkgutil
from collections.abc import Collection, Sequence
from pathlib import Path

from claimbench import errors

__all__ = ["UnknownModelError", "import_problem", "missing_module", "unknown_module", "unknown_name"]

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


def unknown_module(reference: str, error: ImportError, registered: Collection[str], modules: Collection[str]
                   ) -> UnknownModelError:
    """The error of an import path ``package.module:builder`` whose module is found nowhere (``missing_module``), in
    one line: why (``import_problem``), then the closest registered name (``core_collapse.vgg16`` for
    ``core_collapse:vgg16``) and the builder in the closest of the registered builders' ``modules``."""
    module, _, attribute = reference.partition(":")
    close = difflib.get_close_matches(f"{module}.{attribute}", list(registered), n=1, cutoff=0.6)
    close += [f"{near}:{attribute}" for near in difflib.get_close_matches(module, list(modules), n=2, cutoff=0.6)]
    problem = import_problem(module, error, "add the folder it imports from to sys.path")
    return UnknownModelError(f"unknown model {reference!r}: cannot import {module!r}: {problem}"
                             + (f"; closest: {', '.join(close)}" if close else ""))


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


def missing_module(module: str, error: Exception) -> str | None:
    """The name of the module itself, or of a package above it, when that is what is not found (not a module it
    imports in turn); else None."""
    if isinstance(error, ModuleNotFoundError) and error.name is not None and (
            module == error.name or module.startswith(f"{error.name}.")):
        return error.name
    return None


def import_problem(module: str, error: Exception, not_found: str, folders: Sequence[str | Path] = ()) -> str:
    """Why ``module`` did not import, in one line: a package's closest module when the package imports but lacks
    it, ``not_found`` (where it was looked for, what to set) when nothing is found, after the top-level name spelt
    like it (``_spelt_like``), else the error and the line of the author's code that raised it."""
    missing = missing_module(module, error)
    if missing is None:
        return errors.in_one_line(error)
    package, _, leaf = missing.rpartition(".")
    try:
        spec = importlib.util.find_spec(package) if package else None
    except ImportError:
        spec = None
    if not package and (close := _spelt_like(leaf, folders)):
        return f"{error} (did you mean {close!r}? If not: {not_found})"
    if spec is None or not spec.submodule_search_locations:
        return f"{error} ({not_found})"
    siblings = [found.name for found in pkgutil.iter_modules(spec.submodule_search_locations)]
    close = difflib.get_close_matches(leaf, siblings, n=1)
    searched = ", ".join(spec.submodule_search_locations)
    return f"package {package!r} ({searched}) has no module {leaf!r}" + (
        f" (did you mean {close[0]!r}?)" if close else "")


def _spelt_like(name: str, folders: Sequence[str | Path]) -> str | None:
    """The package or module in ``folders`` (the project, the ``pythonpath``), or on ``sys.path``, spelt like the
    top-level ``name`` found nowhere (``mymodles``: ``mymodels``), or None."""
    names = {found.name for found in pkgutil.iter_modules([str(folder) for folder in folders])}
    names |= {found.name for found in pkgutil.iter_modules()}
    return next(iter(difflib.get_close_matches(name, sorted(names - {name}), n=1, cutoff=0.8)), None)
