"""``errors.authors`` tells the author's files from installed packages' wherever those are installed: another
venv's site-packages reached through a .pth file, the user site, Debian's dist-packages, a base of a
``--system-site-packages`` venv, PYTHONPATH. An author's project stays the author's, imported from its folder or
installed in editable mode."""

from __future__ import annotations

import importlib
import site
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from claimbench import errors, items

LIBRARY = '''
def divide(value):
    return 1 / value


def call(function):
    return function()
'''

MODEL = '''
import {library}


def forward():
    return {library}.divide(0)
'''


@pytest.fixture
def imported(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], ModuleType]]:
    """Import a module as the session would, by name from ``sys.path``; ``sys.path`` and ``sys.modules`` are
    restored after the test."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    names: list[str] = []

    def _import(name: str) -> ModuleType:
        importlib.invalidate_caches()
        names.append(name)
        return importlib.import_module(name)

    yield _import
    for name in names:
        sys.modules.pop(name, None)


def _write(folder: Path, name: str, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(source)
    return folder / f"{name}.py"


def _raised(function: Callable[[], object]) -> BaseException:
    with pytest.raises(ZeroDivisionError) as excinfo:
        function()
    return excinfo.value


@pytest.mark.parametrize("site_folder", ["lib/python3.11/site-packages", "usr/lib/python3/dist-packages"])
def test_a_package_of_another_site_folder_is_not_the_authors(tmp_path: Path, site_folder: str,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             imported: Callable[[str], ModuleType]) -> None:
    """A library in a site folder other than this interpreter's (torch reached through a .pth file) is no file of
    the author's: the line an error is shown at is the author's call into it, not the library's."""
    suffix = site_folder.rsplit("/", 1)[-1].replace("-", "_")
    installed = _write(tmp_path / "elsewhere" / site_folder, f"library_{suffix}", LIBRARY)
    model = _write(tmp_path / "project", f"model_{suffix}", MODEL.format(library=installed.stem))
    site.addsitedir(str(installed.parent))
    sys.path.insert(0, str(model.parent))
    monkeypatch.chdir(model.parent)

    error = _raised(imported(model.stem).forward)

    assert errors.author_line(error) == f"{model.name}:6: `return {installed.stem}.divide(0)`"
    assert not errors.authors(str(installed))
    assert errors.authors(str(model))


def test_a_crash_called_by_a_library_of_another_site_folder_starts_at_the_authors_code(
        tmp_path: Path, imported: Callable[[str], ModuleType]) -> None:
    """The traceback of a crash in the author's code that a library of another site folder called (torch's
    ``Module.__call__`` calling ``forward``) starts at the author's frame: no frame of the library's is shown."""
    library = _write(tmp_path / "elsewhere" / "lib" / "python3.11" / "site-packages", "library_calling", LIBRARY)
    model = _write(tmp_path / "project", "model_calling", "def forward():\n    return 1 / 0\n")
    site.addsitedir(str(library.parent))
    sys.path.insert(0, str(model.parent))
    error = _raised(lambda: imported(library.stem).call(imported(model.stem).forward))
    error.__traceback__ = error.__traceback__.tb_next.tb_next  # from the library's call on, as under the plugin
    excinfo = pytest.ExceptionInfo.from_exception(error)

    items.from_the_authors(excinfo)

    assert [entry.path for entry in excinfo.traceback] == [model]


def test_a_project_installed_in_editable_mode_stays_the_authors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               imported: Callable[[str], ModuleType]) -> None:
    """The author's project installed in editable mode (a .pth file in site-packages naming its folder, as
    setuptools' and hatch's editable installs write) is still the author's."""
    site_packages = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    model = _write(tmp_path / "project", "model_editable", MODEL.format(library="library_editable"))
    _write(site_packages, "library_editable", LIBRARY)
    (site_packages / "__editable__.project.pth").write_text(f"{model.parent}\n")
    site.addsitedir(str(site_packages))
    monkeypatch.chdir(model.parent)

    error = _raised(imported(model.stem).forward)

    assert errors.authors(str(model))
    assert errors.author_line(error) == f"{model.name}:6: `return library_editable.divide(0)`"


def test_a_project_linked_into_site_packages_stays_the_authors(tmp_path: Path) -> None:
    """A project installed as a link to its folder (``flit install --symlink``) is the author's: its files are
    where the link leads."""
    model = _write(tmp_path / "project" / "mymodels", "nets", "")
    linked = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "mymodels"
    linked.parent.mkdir(parents=True)
    linked.symlink_to(model.parent, target_is_directory=True)

    assert errors.authors(str(linked / "nets.py"))


def test_python_and_claimbench_are_not_the_authors() -> None:
    """Frozen modules, the standard library and claimbench's own files are not the author's."""
    assert not errors.authors("<frozen importlib._bootstrap>")
    assert not errors.authors(importlib.__file__)
    assert not errors.authors(errors.__file__)
