"""Which code built a model, and whether it has changed: a digest of the source a reference's builder comes from
(``digest``) and of each of its files (``files``), which a record keeps to tell whether it still stands for the
model. Reads a builder only through ``registry.resolve``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import functools
import hashlib
import importlib.metadata
import inspect
import os
import re
import sys
import types
from pathlib import Path
from typing import Any

from claimbench import registry

__all__ = ["UNREADABLE", "builder", "digest", "files"]

UNREADABLE = (OSError, TypeError, importlib.metadata.PackageNotFoundError)
"""What ``digest`` and ``files`` raise where a resolved model's code cannot be read: a builder with no source file
(``inspect.getfile``: ``TypeError`` for a built-in, ``OSError`` for a class of ``__main__``), a file gone or
unreadable (``OSError``), torchvision or timm not installed (``PackageNotFoundError``). Anything else is a bug."""


def builder(reference: str) -> registry.Builder | None:
    """The builder whose code ``digest`` reads (``registry.resolve``: an author's module imports here, and may raise
    anything); None for a torchvision or timm model, whose library's version is its digest, imported by neither."""
    return None if _library(reference) else registry.resolve(reference)


def _library(reference: str) -> str | None:
    """``torchvision`` or ``timm`` where a reference names one of their models; None for any other reference."""
    scheme, _, rest = reference.partition(":")
    return scheme if rest and scheme in ("torchvision", "timm") else None


@functools.cache
def digest(reference: str) -> str:
    """A digest of the code that builds a reference: the library's version for torchvision and timm, else the
    source of the top-level package the builder's module was imported from, every module of it, its subpackages'
    included (``_package_files``: a helper edited anywhere in it is another model), or of the builder's module alone
    when it is in no package; for a ``functools.partial``, its function's and its arguments', for a callable
    instance, its class's and its attributes' (``_code_of``). The whole package, not the modules the builder's
    imports name: an import ``importlib`` makes, or a builder that builds another by name, would escape that list,
    and keep a record of a model whose code changed."""
    library = _library(reference)
    if library:
        return f"{library} {importlib.metadata.version(library)}"
    paths, bound = _code_of(registry.resolve(reference))
    return hashlib.sha256(b"".join(path.read_bytes() for path in sorted(paths)) + bound.encode()).hexdigest()[:16]


@functools.cache
def files(reference: str) -> dict[str, str]:
    """A short digest of each file ``digest`` hashes, by its path from the folder its import names start in
    (``models/mlp.py``: the common folder of the files, above any regular package it is in); none for torchvision
    and timm, whose version is their digest. What tells which file changed where ``digest`` did. Each file is read
    before their folder is sought: one that is not there (a function compiled from a string) is an ``OSError``."""
    if _library(reference):
        return {}
    paths = sorted(_code_of(registry.resolve(reference))[0])
    digests = [hashlib.sha256(path.read_bytes()).hexdigest()[:12] for path in paths]
    base = Path(os.path.commonpath([path.parent for path in paths]))
    while (base / "__init__.py").is_file() and base.parent != base:
        base = base.parent
    return {path.relative_to(base).as_posix(): short for path, short in zip(paths, digests)}


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
        return _author_repr(value)
    return f"{type(value).__qualname__}({', '.join(f'{name}={inner(item)}' for name, item in fields)})"


def _author_repr(value: Any) -> str:
    """``repr(value)``, which runs an author's ``__repr__``, that may raise anything: a ``TypeError`` then, one of
    ``UNREADABLE``, so that a model whose bound arguments cannot be written has no digest, never a crash of ours."""
    try:
        return repr(value)
    except Exception as error:  # noqa: BLE001 - an author's __repr__
        raise TypeError(f"repr of a {type(value).__qualname__} raised {type(error).__name__}") from error
