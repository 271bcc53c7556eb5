"""Progress lines (cost estimates, one line per epoch) that reach the terminal under pytest's capture.

pytest captures a test's output and shows it only on failure; training runs for minutes inside one
test. ``reporter`` writes each line past the capture: through the terminal reporter in the main
process, to the real stderr in a pytest-xdist worker (whose stderr the controller passes on).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any

import pytest

__all__ = ["reporter"]


def reporter(config: pytest.Config) -> Callable[[str], None]:
    """A function writing one line to the terminal, capture suspended; silent under ``-q``."""
    if config.option.verbose < 0:
        return _silent
    plugins = config.pluginmanager
    worker = hasattr(config, "workerinput")

    def write(line: str) -> None:
        capture = plugins.getplugin("capturemanager")
        terminal = plugins.getplugin("terminalreporter")
        with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
            if terminal is not None and not worker:
                terminal.ensure_newline()
                if config.get_terminal_writer().width_of_current_line:  # at the end, after a [100%] ending no line
                    terminal.write("\n")
                terminal.write_line(line)
                terminal.flush()
            else:
                _stderr(line)

    return write


def _silent(line: str) -> None:
    """Drop the line (``-q``)."""


def _stderr(line: str) -> None:
    stream: Any = sys.__stderr__
    if stream is not None:
        stream.write(line + "\n")
        stream.flush()
