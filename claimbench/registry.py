"""The public model API, in torchvision's words: ``register_model``, ``get_model``, ``get_model_builder``,
``list_models``.

A claim's ``model`` is a reference: a registered name, an import path ``package.module:builder``,
``torchvision:<name>`` or ``timm:<name>``. ``resolve`` is the one place that parses references.
Torch-free at import: torchvision and timm are imported only when a reference names them.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import importlib
import re
import reprlib
import types
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from claimbench.unknown_model import UnknownModelError, missing_module, unknown_module, unknown_name

if TYPE_CHECKING:
    from torch import nn

__all__ = ["Builder", "InputSize", "NotAModuleError", "UnknownModelError", "get_model", "get_model_builder",
           "import_modules", "imported_module", "input_size", "list_models", "register_model", "resolve"]

Builder = Callable[..., Any]
B = TypeVar("B", bound=Builder)
InputSize = tuple[int] | tuple[int, int] | tuple[int, int, int]
"""(C, H, W) for an image model; one or two sides for another (``(4,)``: four features)."""

NAME = re.compile(r"[^\s:*?\[\]]+")
"""A registered name: no space, no ``:`` (which marks a reference), no wildcard of ``list_models``."""
_BUILDERS: dict[str, Builder] = {}
_INPUT_SIZES: dict[str, InputSize] = {}
"""Each registered name's input."""
_BUILDER_SIZES: dict[Builder, InputSize | None] = {}
"""Each registered builder's input, for an import path that names it; None where two names give it two."""


class NotAModuleError(TypeError):
    """A builder returned no ``torch.nn.Module``, or an import path names no callable (a module): the author's
    mistake, which a claim's measurement tells apart from a ``TypeError`` of claimbench's own."""


@overload
def register_model(name: B, *, input_size: None = None) -> B: ...
@overload
def register_model(name: str | None = None, *, input_size: InputSize | None = None
                   ) -> Callable[[B], B]: ...
def register_model(name: Any = None, *, input_size: InputSize | None = None) -> Any:
    """File a builder under ``name`` (default: its function name) with the (C, H, W) input its report
    used; a name taken by another builder raises ``ValueError`` at import time, naming both (the same builder
    imported again, after a failed import or a reload, takes its name back). ``@register_model`` alone (timm's
    way) files it under its function name. A name that is no ``str`` is a ``TypeError``."""
    if callable(name):
        return register_model()(name)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"register_model: a model's name is a str, not {type(name).__name__} ({name!r})")
    size = _size(input_size)

    def decorator(builder: B) -> B:
        key = builder.__name__ if name is None else name
        if not key:
            raise ValueError("model name '' is empty: give one, or write @register_model alone to file the builder "
                             "under its function's name")
        if not NAME.fullmatch(key):
            raise ValueError(f"model name {key!r}: no spaces, ':' (it marks a reference) or wildcards (*?[])")
        if key in _BUILDERS and not _defined_again(_BUILDERS[key], builder):
            old, new = _named(_BUILDERS[key]), _named(builder)
            if old == new:
                old, new = _named(_BUILDERS[key], line=True), _named(builder, line=True)
            raise ValueError(f"model {key!r} is registered twice: by {old}, then by {new}")
        _BUILDERS[key] = builder
        _INPUT_SIZES.pop(key, None)
        if size is not None:
            _INPUT_SIZES[key] = size
            _BUILDER_SIZES[builder] = size if _BUILDER_SIZES.get(builder, size) == size else None
        return builder

    return decorator


def _size(input_size: Any) -> InputSize | None:
    """``input_size`` as a tuple of positive integers, (C, H, W) for an image model (``(4,)`` for a model of four
    features); ``ValueError`` naming it otherwise, at import rather than at the first measurement."""
    if input_size is None:
        return None
    if not (isinstance(input_size, (tuple, list)) and 0 < len(input_size) <= 3 and all(
            isinstance(side, int) and not isinstance(side, bool) and side > 0 for side in input_size)):
        raise ValueError(f"input_size={input_size!r}: give the input's shape without the batch, (C, H, W) for an "
                         "image: one to three positive integers")
    return tuple(input_size)  # type: ignore[return-value]


def _defined_again(old: Builder, new: Builder) -> bool:
    """Whether ``new`` is ``old`` itself or its definition run again (its module imported again): the same module,
    name and first line, and not a second function of the very same code (two closures of one factory)."""
    if old is new:
        return True
    code = getattr(old, "__code__", None)
    if code is not None and code is getattr(new, "__code__", None):
        return False
    return _origin(old) == _origin(new)


def _origin(builder: Builder) -> tuple[str, str, int | None]:
    """Where a builder is defined: its module, its qualified name and, for a function, its first line."""
    code = getattr(builder, "__code__", None)
    return (getattr(builder, "__module__", ""), getattr(builder, "__qualname__", repr(builder)),
            code.co_firstlineno if code is not None else None)


def _defined(builder: Builder) -> Any:
    """What defines a builder: a ``functools.partial``'s function, a callable instance's class, else itself."""
    while isinstance(builder, functools.partial):
        builder = builder.func
    return builder if hasattr(builder, "__qualname__") else type(builder)


def _named(builder: Builder, *, line: bool = False) -> str:
    """A builder as ``module:qualname`` (what defines it, ``_defined``), with its first line where ``line`` and it
    has one: what tells two lambdas of one module apart."""
    module, qualname, first = _origin(_defined(builder))
    return f"{module or '?'}:{qualname}" + (f" (line {first})" if line and first is not None else "")


def import_modules(names: Iterable[str]) -> None:
    """Import the modules a ledger names, so that their builders register (this runs their code)."""
    for name in sorted(set(names)):
        importlib.import_module(name)


def _natural_key(name: str) -> list[int | str]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def list_models(include: str | Iterable[str] | None = None, exclude: str | Iterable[str] | None = None, *,
                module: types.ModuleType | str | None = None) -> list[str]:
    """Registered names matching any fnmatch pattern of ``include`` (all by default) and none of ``exclude``,
    naturally sorted, as torchvision's ``list_models`` filters; with ``module`` (a module or its name), only those
    whose builder is defined in it or in a submodule of it. Names register as their module is imported: none
    before."""
    if isinstance(include, types.ModuleType):
        raise TypeError(f"list_models({include!r}): give it as module=; the first argument is include, a pattern")
    within = module if isinstance(module, str) or module is None else module.__name__
    candidates = [n for n, builder in _BUILDERS.items() if within is None
                  or f"{getattr(_defined(builder), '__module__', None)}.".startswith(f"{within}.")]

    def matching(patterns: str | Iterable[str]) -> set[str]:
        return {n for pattern in ([patterns] if isinstance(patterns, str) else patterns)
                for n in fnmatch.filter(candidates, pattern)}

    names = set(candidates) if include is None else matching(include)
    return sorted(names - (matching(exclude) if exclude is not None else set()), key=_natural_key)


def _import_path(reference: str) -> Builder:
    module_name, _, attribute = reference.partition(":")
    module = _imported(reference, module_name)
    try:
        return getattr(module, attribute)
    except AttributeError:
        own = set(getattr(module, "__all__", ()))  # what it exports, its own definitions, those of its package
        builders = [name for name, value in vars(module).items() if callable(value) and not name.startswith("_") and (
            name in own or str(getattr(value, "__module__", "")).startswith(module_name))]
        close = difflib.get_close_matches(attribute, builders, n=3, cutoff=0.6)
        raise UnknownModelError(f"model {reference!r}: module {module_name!r} has no {attribute!r}"
                       + (f" (closest: {', '.join(close)})" if close else "")) from None


def _imported(reference: str, module_name: str) -> types.ModuleType:
    """The module of an import path; one found nowhere is an ``UnknownModelError`` (``unknown_module``) whose cause is
    the ``ImportError``; an ``ImportError`` raised inside a module that is found (its own bug) is raised as it is."""
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        if missing_module(module_name, error) is None:
            raise
        modules = {str(getattr(_defined(builder), "__module__", "")) for builder in _BUILDERS.values()} - {""}
        raise unknown_module(reference, error, _BUILDERS, modules) from error


def _torchvision(name: str) -> Builder:
    from torchvision import models

    classifiers = models.list_models(module=models)  # detection and segmentation builders fetch backbone weights
    lowered = name.lower()  # in any case, as torchvision's get_model reads a name
    if lowered not in classifiers:
        close = difflib.get_close_matches(lowered, classifiers, n=5, cutoff=0.5)
        raise UnknownModelError(f"unknown torchvision classification model {name!r}"
                       + (f" (closest: {', '.join(close)})" if close else ""))
    return lambda **overrides: models.get_model(lowered, weights=None, **overrides)


def _timm(name: str) -> Builder:
    try:
        import timm
    except ImportError:
        raise ModuleNotFoundError(f"model 'timm:{name}' needs timm: pip install timm") from None
    if not timm.is_model(name):
        close = difflib.get_close_matches(name, timm.list_models(), n=5, cutoff=0.5)
        raise UnknownModelError(f"unknown timm model {name!r}" + (f" (closest: {', '.join(close)})" if close else ""))
    return lambda **overrides: timm.create_model(name, pretrained=False, **overrides)


def imported_module(reference: str) -> str | None:
    """The module an import-path reference (``package.module:builder``) imports; None for any other reference."""
    scheme, _, rest = reference.partition(":")
    return scheme if rest and scheme not in ("torchvision", "timm") else None


def resolve(reference: str) -> Builder:
    """The builder a reference names; ``UnknownModelError`` (a ``KeyError`` and a ``ValueError``) in one line when
    unknown, with the closest names (``unknown_name``); a reference that is no ``str`` is a ``TypeError`` naming it."""
    if not isinstance(reference, str):
        raise TypeError(f"a model reference is a str, not {type(reference).__name__} ({reference!r})")
    scheme, _, rest = reference.partition(":")
    if rest and scheme == "torchvision":
        return _torchvision(rest)
    if rest and scheme == "timm":
        return _timm(rest)
    if rest:
        return _import_path(reference)
    if reference not in _BUILDERS:
        raise unknown_name(reference, _BUILDERS)
    return _BUILDERS[reference]


def get_model_builder(reference: str) -> Builder:
    """The builder ``get_model`` calls for a reference, as torchvision's ``get_model_builder`` returns it: it takes
    ``weights=None`` and ``progress`` as ``get_model`` does (``functools.wraps`` of the registered name's own, its
    ``__wrapped__``); ``UnknownModelError`` as ``resolve``."""
    caller = f"get_model_builder({reference!r})"
    builder = _callable(caller, reference)

    @functools.wraps(builder)
    def untrained(*args: Any, weights: None = None, progress: bool = True, **overrides: Any) -> Any:
        return builder(*args, **_overrides(caller, weights, overrides))

    return untrained


def get_model(reference: str, *, weights: None = None, progress: bool = True, **overrides: Any) -> nn.Module:
    """Build the referenced model, untrained; ``overrides`` replace the builder's defaults. ``weights`` and
    ``progress`` are there for torchvision's signature (and timm's ``pretrained``): claimbench measures models as
    built, and trains them itself, so it never downloads anything. A ``num_classes`` that is no positive integer is a
    ``ValueError`` naming it. A reference to no callable, or a builder that returns no ``torch.nn.Module``, is a
    ``NotAModuleError`` (a ``TypeError``) naming it and what it is or returned."""
    caller = f"get_model({reference!r})"
    builder = _callable(caller, reference)
    model = builder(**_overrides(caller, weights, overrides))
    from torch import nn

    if not isinstance(model, nn.Module):
        raise NotAModuleError(f"{caller}: its builder {_named(builder)} returned {_described(model)}, not a "
                              "torch.nn.Module")
    return model


def _callable(caller: str, reference: str) -> Builder:
    """The builder ``resolve`` gives; ``NotAModuleError`` naming the reference where it is no callable (an import
    path to a module or a constant)."""
    builder = resolve(reference)
    if not callable(builder):
        what = "a module" if isinstance(builder, types.ModuleType) else _described(builder)
        raise NotAModuleError(f"{caller}: {reference!r} is {what}, not a builder (a callable that returns a "
                              "torch.nn.Module)")
    return builder


def _described(value: Any) -> str:
    """A value in one short line, with its type: ``5 (int)``."""
    return f"{' '.join(reprlib.repr(value).split())} ({type(value).__qualname__})"


def _overrides(caller: str, weights: Any, overrides: dict[str, Any]) -> dict[str, Any]:
    """``overrides`` without timm's ``pretrained``; a ``ValueError`` naming ``caller`` where weights are asked for, or
    where ``num_classes`` is no positive integer (torch's own error would not name it)."""
    pretrained = overrides.get("pretrained", False)
    if weights is not None or pretrained:
        given = f"weights={weights!r}" if weights is not None else f"pretrained={pretrained!r}"
        raise ValueError(f"{caller}: {given}: claimbench builds untrained models (weights=None); load a checkpoint "
                         "into the model yourself")
    classes = overrides.get("num_classes", 1)
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 1:
        raise ValueError(f"{caller}: num_classes={classes!r}: give a positive integer, the number of classes")
    return {key: value for key, value in overrides.items() if key != "pretrained"}


def input_size(reference: str) -> InputSize | None:
    """The (C, H, W) input the referenced model was registered with, by its name or by its import path (None for
    a builder two names register with two sizes); None when it was registered without one, or not at all (a claim
    then states its ``input``)."""
    builder = resolve(reference)
    return _INPUT_SIZES.get(reference) if reference in _BUILDERS else _BUILDER_SIZES.get(builder)
