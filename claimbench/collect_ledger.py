"""The pytest plugin of ``claimbench check`` (``-p claimbench.collect_ledger``): collect the configured ledger's
files wherever they lie, and, when no path to test is given, those alone. Named on the command line, it is
loaded by pytest-xdist's workers too."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimbench import options


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.prog = "claimbench check"  # pytest's --help names the command that was typed, not pytest.main()


@pytest.hookimpl(trylast=True)  # after claimbench.plugin has read the ledger's path
def pytest_configure(config: pytest.Config) -> None:
    if config.option.help or config.option.version:  # pytest's own help, with the --claims-* options
        return
    ledger_path = config.stash.get(options.ledger_path_key, None)
    if ledger_path is None:
        raise pytest.UsageError("claimbench check: no ledger configured: set claims_dir in the ini (pytest.ini, "
                                "pyproject.toml) or pass --claims-dir=DIR")
    if config.args_source != pytest.Config.ArgsSource.ARGS:  # testpaths or the current folder: not asked for
        config.args[:] = [str(ledger_path)]
    elif not any(_within(ledger_path.resolve(), Path(arg.partition("::")[0]).resolve()) for arg in config.args):
        config.args.append(str(ledger_path))


def _within(ledger: Path, named: Path) -> bool:
    """Whether a path the command line names covers the ledger (a folder above it), or narrows it (one of its
    files, or a node id in one): either way, the ledger needs no path of its own."""
    return ledger.is_relative_to(named) or named.is_relative_to(ledger)
