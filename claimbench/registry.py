"""The public model API, in torchvision's words: ``register_model``, ``get_model``, ``get_model_builder``,
``list_models``.

A claim's ``model`` is a reference: a registered name, an import path ``package.module:builder``,
``torchvision:<name>`` or ``timm:<name>``. ``resolve`` is the one place that parses references.
Torch-free at import: torchvision and timm are imported only when a reference names them.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import difflib
import fnmatch
import functools
import hashlib
import importlib
import importlib.metadata
import inspect
import os
import re
import reprlib
import sys
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from claimbench.unknown_model import UnknownModelError, unknown_name

if TYPE_CHECKING:
    from torch import nn

__all__ = ["Builder", "InputSize", "NotAModuleError", "UnknownModelError", "code_digest", "code_files", "get_model",
           "get_model_builder", "import_modules", "imported_module", "input_size", "list_models", "register_model",
           "resolve"]

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
    """A builder returned no ``torch.nn.Module``: the author's mistake, which a claim's measurement tells apart from
    a ``TypeError`` of claimbench's own."""


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
    module = importlib.import_module(module_name)
    try:
        return getattr(module, attribute)
    except AttributeError:
        own = set(getattr(module, "__all__", ()))  # what it exports, its own definitions, those of its package
        builders = [name for name, value in vars(module).items() if callable(value) and not name.startswith("_") and (
            name in own or str(getattr(value, "__module__", "")).startswith(module_name))]
        close = difflib.get_close_matches(attribute, builders, n=3, cutoff=0.6)
        raise UnknownModelError(f"model {reference!r}: module {module_name!r} has no {attribute!r}"
                       + (f" (closest: {', '.join(close)})" if close else "")) from None


def _torchvision(name: str) -> Builder:
    from torchvision import models

    classifiers = models.list_models(module=models)  # detection and segmentation builders fetch backbone weights
    if name not in classifiers:
        close = difflib.get_close_matches(name, classifiers, n=5, cutoff=0.5)
        raise UnknownModelError(f"unknown torchvision classification model {name!r}"
                       + (f" (closest: {', '.join(close)})" if close else ""))
    return lambda **overrides: models.get_model(name, weights=None, **overrides)


def _timm(name: str) -> Builder:
    try:
        import timm
    except ImportError:
        raise ModuleNotFoundError(f"model 'timm:{name}' needs timm: pip install timm") from None
    if not timm.is_model(name):
        raise UnknownModelError(f"unknown timm model {name!r}")
    return lambda **overrides: timm.create_model(name, pretrained=False, **overrides)


def imported_module(reference: str) -> str | None:
    """The module an import-path reference (``package.module:builder``) imports; None for any other reference."""
    scheme, _, rest = reference.partition(":")
    return scheme if rest and scheme not in ("torchvision", "timm") else None


def resolve(reference: str) -> Builder:
    """The builder a reference names; ``UnknownModelError`` (a ``KeyError`` and a ``ValueError``) in one line when
    unknown, with the closest names (``unknown_name``)."""
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
    """The builder ``get_model`` calls for a reference, as torchvision's ``get_model_builder`` returns it: a
    registered name's own; ``UnknownModelError`` as ``resolve``."""
    return resolve(reference)


@functools.cache
def code_digest(reference: str) -> str:
    """A digest of the code that builds a reference: the library's version for torchvision and timm, else the
    source of the top-level package the builder's module was imported from, every module of it, its subpackages'
    included (``_package_files``: a helper edited anywhere in it is another model), or of the builder's module alone
    when it is in no package; for a ``functools.partial``, its function's and its arguments', for a callable
    instance, its class's and its attributes' (``_code_of``). The whole package, not the modules the builder's
    imports name: an import ``importlib`` makes, or a builder that builds another by name, would escape that list,
    and keep a record of a model whose code changed."""
    scheme, _, rest = reference.partition(":")
    if rest and scheme in ("torchvision", "timm"):
        return f"{scheme} {importlib.metadata.version(scheme)}"
    files, bound = _code_of(resolve(reference))
    return hashlib.sha256(b"".join(file.read_bytes() for file in sorted(files)) + bound.encode()).hexdigest()[:16]


@functools.cache
def code_files(reference: str) -> dict[str, str]:
    """A short digest of each file ``code_digest`` hashes, by its path from the folder its import names start in
    (``models/mlp.py``: the common folder of the files, above any regular package it is in); none for torchvision
    and timm, whose version is their digest. What tells which file changed where ``code_digest`` did."""
    scheme, _, rest = reference.partition(":")
    if rest and scheme in ("torchvision", "timm"):
        return {}
    files = _code_of(resolve(reference))[0]
    base = Path(os.path.commonpath([file.parent for file in files]))
    while (base / "__init__.py").is_file() and base.parent != base:
        base = base.parent
    return {file.relative_to(base).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()[:12]
            for file in sorted(files)}


def _package_files(code: Any) -> set[Path]:
    """The source files of the package a function or class is defined in, as its module was imported: every module
    under its top-level package's folders (``__path__``: a namespace package's too), its subpackages' included, not in
    ``__pycache__`` or a hidden folder; where its module is in no package (a top-level module, a script, whatever
    ``__init__.py`` lies beside it), its own file and the modules beside it that it imports (``_imported_beside``).
    ``TypeError`` where it has no source file."""
    file = Path(inspect.getfile(code))
    spec = getattr(sys.modules.get(getattr(code, "__module__", None) or ""), "__spec__", None)
    if spec is None or not spec.parent:
        return _imported_beside(file.parent, file)
    roots = [Path(root) for root in getattr(sys.modules.get(spec.parent.partition(".")[0]), "__path__", [])]
    return {found for root in roots for found in _sources(root)} or {file}


def _sources(folder: Path) -> set[Path]:
    """Every module under ``folder``, its subfolders' included, not in ``__pycache__`` or a hidden folder."""
    return {found for found in folder.rglob("*.py")
            if not any(part == "__pycache__" or part.startswith(".") for part in found.relative_to(folder).parts[:-1])}


def _imported_beside(root: Path, file: Path) -> set[Path]:
    """``file`` and the modules under ``root`` (its folder) that it imports by name (``import layers``, ``from
    nets.layers import act``, ``from . import blocks``: a research repository's ``model.py`` beside ``layers.py``),
    theirs in turn; a regular package's every module, a namespace package's modules it names. Read from the source,
    not from what this process happened to import; a file that cannot be parsed adds nothing of its own."""
    found, waiting = {file}, [file]
    while waiting:
        current = waiting.pop()
        try:
            tree = ast.parse(current.read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                paths = [root.joinpath(*alias.name.split(".")) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = root if not node.level else current.parents[min(node.level, len(current.parents)) - 1]
                module = base.joinpath(*node.module.split(".")) if node.module else base
                paths = [module, *(module / alias.name for alias in node.names)]  # a name may be a submodule
            else:
                continue
            new = set().union(*(_module_files(root, path) for path in paths)) - found
            found |= new
            waiting += sorted(new)
    return found


def _module_files(root: Path, path: Path) -> set[Path]:
    """The source files an import of ``path`` (a module's path under ``root``, without the suffix) runs: every module
    of the first regular package on the way to it, else the module's own file; none where nothing is there (a
    library's module, outside ``root``)."""
    if not path.is_relative_to(root) or path == root:
        return set()
    parts = path.relative_to(root).parts
    for depth in range(1, len(parts) + 1):
        folder = root.joinpath(*parts[:depth])
        if (folder / "__init__.py").is_file():
            return _sources(folder)
        if not folder.is_dir():
            break
    return {path.with_suffix(".py")} if path.with_suffix(".py").is_file() else set()


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
"""The memory address in the repr of a function or object, which differs from one process to the next."""


def _code_of(builder: Any) -> tuple[set[Path], str]:
    """The source files of a builder's code (``_package_files``), and what is bound to it in words: a
    ``functools.partial``'s function's files and its arguments, a callable instance's class's files and its
    attributes, with the files of any function or class among those and their text (``_canonical``). ``TypeError``
    where a builder has no source file (a built-in)."""
    if isinstance(builder, functools.partial):
        files, bound = _code_of(builder.func)
        arguments: Any = (builder.args, sorted(builder.keywords.items()))
        values = [*builder.args, *builder.keywords.values()]
    elif inspect.isroutine(builder) or inspect.isclass(builder):
        return _package_files(builder), ""
    else:  # a callable instance: its class's code, and the state it builds with
        files, bound = _package_files(type(builder)), ""
        arguments = sorted(vars(builder).items()) if hasattr(builder, "__dict__") else []
        values = [value for _, value in arguments]
    for value in values:
        if isinstance(value, functools.partial) or inspect.isfunction(value) or inspect.isclass(value):
            with contextlib.suppress(TypeError):  # a built-in class (int) has no file: its repr names it
                files |= _code_of(value)[0]
    return files, f"{bound}{_ADDRESS.sub('', _canonical(arguments))}"


def _canonical(value: Any, seen: frozenset[int] = frozenset()) -> str:
    """``repr(value)``, but a set's members in sorted order, in a list, tuple, dict, dataclass, namedtuple or
    namespace too: the order of a set of strings differs from one process to the next (hash randomisation), and so
    would a digest of its repr. A value inside itself (a tree's node pointing to its parent) is ``...``."""
    if id(value) in seen:
        return "..."
    inner = functools.partial(_canonical, seen=seen | {id(value)})
    if isinstance(value, (set, frozenset)) and value:
        members = "{" + ", ".join(sorted(map(inner, value))) + "}"
        return members if type(value) is set else f"{type(value).__name__}({members})"
    if type(value) is list:
        return "[" + ", ".join(map(inner, value)) + "]"
    if type(value) is tuple:
        return "(" + ", ".join(map(inner, value)) + ("," if len(value) == 1 else "") + ")"
    if type(value) is dict:
        return "{" + ", ".join(f"{inner(key)}: {inner(item)}" for key, item in value.items()) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [(field.name, getattr(value, field.name, "<unset>")) for field in dataclasses.fields(value)]
    elif isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple
        fields = list(zip(value._fields, value))
    elif isinstance(value, (types.SimpleNamespace, argparse.Namespace)):
        fields = sorted(vars(value).items())
    else:
        return repr(value)
    return f"{type(value).__qualname__}({', '.join(f'{name}={inner(item)}' for name, item in fields)})"


def get_model(reference: str, *, weights: None = None, progress: bool = True, **overrides: Any) -> nn.Module:
    """Build the referenced model, untrained; ``overrides`` replace the builder's defaults. ``weights`` and
    ``progress`` are there for torchvision's signature (and timm's ``pretrained``): claimbench measures models as
    built, and trains them itself, so it never downloads anything. A builder that returns no ``torch.nn.Module`` is
    a ``NotAModuleError`` (a ``TypeError``) naming it and what it returned."""
    pretrained = overrides.pop("pretrained", False)
    if weights is not None or pretrained:
        given = f"weights={weights!r}" if weights is not None else f"pretrained={pretrained!r}"
        raise ValueError(f"get_model({reference!r}): {given}: claimbench builds untrained models "
                         "(weights=None); load a checkpoint into the model yourself")
    builder = resolve(reference)
    model = builder(**overrides)
    from torch import nn

    if not isinstance(model, nn.Module):
        returned = f"{' '.join(reprlib.repr(model).split())} ({type(model).__qualname__})"
        raise NotAModuleError(f"get_model({reference!r}): its builder {_named(builder)} returned {returned}, not a "
                              "torch.nn.Module")
    return model


def input_size(reference: str) -> InputSize | None:
    """The (C, H, W) input the referenced model was registered with, by its name or by its import path (None for
    a builder two names register with two sizes); None when it was registered without one, or not at all (a claim
    then states its ``input``)."""
    builder = resolve(reference)
    return _INPUT_SIZES.get(reference) if reference in _BUILDERS else _BUILDER_SIZES.get(builder)
