"""The configuration file the installed pytest reads from a folder, its section and its options, read without
importing pytest (torch-free and pytest-free, for the CLI): ``tests/test_pytest_ini.py`` checks it against pytest's
own answer for every file kind."""

from __future__ import annotations

import configparser
import importlib.metadata
import shlex
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["ALWAYS_READ", "INI_FILES", "PYTEST_MAJOR", "Found", "found", "in_folder"]

Found = tuple[Path, str | None, dict[str, str]]
"""A configuration file, the section pytest reads of it, and its options as strings (a TOML list shell-joined); no
section, and no options, for a ``pyproject.toml`` read for want of any file with a section."""

PYTEST_MAJOR = int(importlib.metadata.version("pytest").split(".")[0])
INI_FILES = (*((("pytest.toml", "pytest"), (".pytest.toml", "pytest")) if PYTEST_MAJOR >= 9 else ()),
             ("pytest.ini", "pytest"), (".pytest.ini", "pytest"), ("pyproject.toml", "tool.pytest"),
             ("tox.ini", "pytest"), ("setup.cfg", "tool:pytest"))
"""Where the installed pytest looks for its configuration in each folder, in its order, and the section it reads
(pytest 8 reads no ``pytest.toml``, and of ``pyproject.toml`` only ``[tool.pytest.ini_options]``)."""
ALWAYS_READ = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini")
"""The files that are pytest's configuration even when empty."""


def in_folder(folder: Path) -> Found | None:
    """The configuration file pytest reads in ``folder``, its section and its options; None when it has none. A
    ``ValueError`` naming the file where one cannot be read."""
    for name, section in INI_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            if name.endswith(".toml"):
                section, options = _toml_section(tomllib.loads(path.read_text(encoding="utf-8")), section)
            else:
                parser = configparser.ConfigParser(interpolation=None, strict=False)
                parser.read(path, encoding="utf-8")
                options = dict(parser[section]) if parser.has_section(section) else None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, configparser.Error) as error:
            raise ValueError(f"{path}: unreadable ({str(error).splitlines()[0]})") from None
        if options is not None or name in ALWAYS_READ:
            return path, section, {key: shlex.join(map(str, value)) if isinstance(value, list) else str(value)
                                   for key, value in (options or {}).items()}
    return None


def _toml_section(document: dict[str, Any], section: str) -> tuple[str, dict[str, Any] | None]:
    """The table pytest reads of a TOML file, and its name: ``[pytest]`` of ``pytest.toml``; of ``pyproject.toml``,
    ``[tool.pytest]`` (pytest 9's native table) where it holds more than ``ini_options``, else
    ``[tool.pytest.ini_options]``."""
    if section == "pytest":
        return section, document.get("pytest")
    table = document.get("tool", {}).get("pytest", {})
    native = {key: value for key, value in table.items() if key != "ini_options"}
    if native and PYTEST_MAJOR >= 9:
        return section, native
    return f"{section}.ini_options", table.get("ini_options")


def found(folder: Path) -> Found | None:
    """The configuration pytest would read run from ``folder``: the first of it and its parents that holds one, else
    the nearest ``pyproject.toml``, without a pytest table."""
    folders = (folder, *folder.parents)
    return next(filter(None, map(in_folder, folders)), None) or _nearest_pyproject(folders)


def _nearest_pyproject(folders: tuple[Path, ...]) -> Found | None:
    """The first ``pyproject.toml`` of ``folders``, with no section and no options, which pytest falls back on (its
    ``locate_config``); None where none of them has one."""
    path = next((folder / "pyproject.toml" for folder in folders if (folder / "pyproject.toml").is_file()), None)
    return (path, None, {}) if path else None
