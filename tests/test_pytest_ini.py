"""``claimbench.pytest_ini`` finds the configuration pytest itself reads, for every file kind: the CLI reads the
settings a run reads."""

from __future__ import annotations

import shlex

import pytest

from claimbench import pytest_ini

pytest_plugins = ["pytester"]

PYTEST_9 = pytest.mark.skipif(pytest_ini.PYTEST_MAJOR < 9, reason="pytest 9 reads pytest.toml and [tool.pytest]")
INI = "[{}]\nclaims_dir = my claims\ntestpaths = tests 'my claims'\n"
TOML = "[{}]\nclaims_dir = 'my claims'\ntestpaths = ['tests', 'my claims']\n"
FILES = [
    pytest.param({"pytest.toml": TOML.format("pytest")}, id="pytest.toml", marks=PYTEST_9),
    pytest.param({".pytest.toml": TOML.format("pytest")}, id=".pytest.toml", marks=PYTEST_9),
    pytest.param({"pytest.ini": INI.format("pytest")}, id="pytest.ini"),
    pytest.param({".pytest.ini": INI.format("pytest")}, id=".pytest.ini"),
    pytest.param({"pyproject.toml": TOML.format("tool.pytest.ini_options")}, id="pyproject-ini_options"),
    pytest.param({"pyproject.toml": TOML.format("tool.pytest")}, id="pyproject-tool.pytest", marks=PYTEST_9),
    pytest.param({"tox.ini": INI.format("pytest")}, id="tox.ini"),
    pytest.param({"setup.cfg": INI.format("tool:pytest")}, id="setup.cfg"),
    # the first file of a folder that holds pytest's configuration wins; an empty pytest.ini holds it
    pytest.param({"pytest.ini": "", "tox.ini": INI.format("pytest")}, id="empty-pytest.ini-first"),
    pytest.param({"pyproject.toml": "[project]\nname = 'x'\n", "tox.ini": "[tox]\n", "setup.cfg": INI.format(
        "tool:pytest")}, id="setup.cfg-after-files-without-a-section"),
    pytest.param({"pytest.ini": INI.format("pytest"), "tox.ini": "[pytest]\nclaims_dir = other\n"},
                 id="pytest.ini-before-tox.ini"),
    pytest.param({".pytest.ini": INI.format("pytest"), "pyproject.toml": TOML.format("tool.pytest.ini_options")},
                 id=".pytest.ini-before-pyproject.toml"),
    pytest.param({"pyproject.toml": "[tool.pytest.ini_options]\n", "tox.ini": INI.format("pytest")},
                 id="empty-ini_options-before-tox.ini"),
    pytest.param({"pytest.toml": TOML.format("pytest"), "pytest.ini": "[pytest]\nclaims_dir = other\n"},
                 id="pytest.toml-before-pytest.ini", marks=PYTEST_9),
]


@pytest.mark.parametrize("files", FILES)
def test_the_configuration_found_is_the_one_pytest_reads(pytester: pytest.Pytester, files: dict[str, str]) -> None:
    for name, text in files.items():
        (pytester.path / name).write_text(text, encoding="utf-8")
    config = pytester.parseconfig()
    found = pytest_ini.found(pytester.path)
    assert found is not None
    path, _, options = found
    assert path == config.inipath
    assert options.get("claims_dir") == config.getini("claims_dir")
    assert shlex.split(options.get("testpaths", "")) == config.getini("testpaths")


def test_a_subfolder_reads_the_configuration_above_it(pytester: pytest.Pytester) -> None:
    (pytester.path / "tox.ini").write_text(INI.format("pytest"), encoding="utf-8")
    below = pytester.mkdir("below")
    (below / "setup.cfg").write_text("[metadata]\nname = x\n", encoding="utf-8")
    found = pytest_ini.found(below)
    assert found is not None and found[0] == pytester.path / "tox.ini"
    config = pytester.parseconfig(below)
    assert config.inipath == found[0]


def test_an_unreadable_configuration_is_a_value_error_naming_the_file(pytester: pytest.Pytester) -> None:
    (pytester.path / "tox.ini").write_text("[pytest\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"tox\.ini: unreadable \("):
        pytest_ini.found(pytester.path)


PACKAGING = "[project]\nname = 'x'\n"
"""A ``pyproject.toml`` without a pytest table: the file pytest reads where it finds none other."""
TREES = [
    pytest.param({"below/pyproject.toml": PACKAGING}, "below/pyproject.toml", id="pyproject-without-table-alone"),
    pytest.param({"pyproject.toml": PACKAGING, "setup.cfg": "[metadata]\nname = x\n", "tox.ini": "[tox]\n"},
                 "pyproject.toml", id="pyproject-without-table-beside-files-without-a-section"),
    pytest.param({"below/pyproject.toml": PACKAGING, "pytest.ini": INI.format("pytest")}, "pytest.ini",
                 id="pyproject-without-table-below-a-pytest.ini"),
    pytest.param({"below/pyproject.toml": PACKAGING, "pyproject.toml": TOML.format("tool.pytest.ini_options")},
                 "pyproject.toml", id="pyproject-without-table-below-one-with-a-table"),
    pytest.param({"below/pyproject.toml": PACKAGING, "setup.cfg": INI.format("tool:pytest")}, "setup.cfg",
                 id="pyproject-without-table-below-a-setup.cfg-with-a-section"),
    pytest.param({"pyproject.toml": PACKAGING}, "pyproject.toml", id="pyproject-without-table-above"),
    pytest.param({"below/pyproject.toml": PACKAGING, "pyproject.toml": PACKAGING}, "below/pyproject.toml",
                 id="the-nearest-pyproject-without-table"),
    pytest.param({"below/setup.cfg": "[metadata]\nname = x\n", "tox.ini": "[tox]\n"}, None,
                 id="no-configuration"),
]


@pytest.mark.parametrize(("files", "read"), TREES)
def test_a_pyproject_toml_without_a_table_is_read_where_no_other_configuration_is(
        pytester: pytest.Pytester, files: dict[str, str], read: str | None) -> None:
    """Run from ``below``: pytest reads the nearest ``pyproject.toml`` without a pytest table where no file of it
    and its parents holds a section, as its configuration (no options) and rootdir."""
    below = pytester.mkdir("below")
    for name, text in files.items():
        (pytester.path / name).write_text(text, encoding="utf-8")
    config = pytester.parseconfig(below)
    found = pytest_ini.found(below)
    assert (found and found[0]) == config.inipath == (pytester.path / read if read else None)
    assert found is None or found[2].get("claims_dir") == config.getini("claims_dir")
