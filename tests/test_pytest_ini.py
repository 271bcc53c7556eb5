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
