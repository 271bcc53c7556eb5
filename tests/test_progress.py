"""Progress lines (``claimbench.progress``): past pytest's capture, on a line of their own."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

from claimbench import progress


class Terminal:
    """Just enough of pytest's terminal reporter: what it writes, and no private writer of its own."""

    def __init__(self) -> None:
        self.written = io.StringIO()

    def ensure_newline(self) -> None:
        """As pytest's, a no-op here: the writer's line is what ``reporter`` reads."""

    def write(self, text: str) -> None:
        self.written.write(text)

    def write_line(self, line: str) -> None:
        self.written.write(line + "\n")

    def flush(self) -> None:
        """Nothing buffered."""


def configured(terminal: Terminal, width_of_current_line: int) -> Any:
    """A config whose public ``get_terminal_writer`` says how far the terminal's current line has been written."""
    plugins = {"terminalreporter": terminal, "capturemanager": None}
    writer = SimpleNamespace(width_of_current_line=width_of_current_line)
    return SimpleNamespace(option=SimpleNamespace(verbose=0), pluginmanager=SimpleNamespace(getplugin=plugins.get),
                           get_terminal_writer=lambda: writer)


def test_a_line_follows_a_line_left_unended_on_a_line_of_its_own() -> None:
    """After pytest's ``[100%]``, which ends no line, the progress line starts a new one; read through the config's
    public writer, never the terminal reporter's private one."""
    ended, unended = Terminal(), Terminal()
    progress.reporter(configured(ended, 0))("epoch 1")
    progress.reporter(configured(unended, 7))("epoch 1")
    assert (ended.written.getvalue(), unended.written.getvalue()) == ("epoch 1\n", "\nepoch 1\n")
