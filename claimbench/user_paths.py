"""A path as a user typed it, its ``~`` expanded as a shell would have, and a path an ini file sets: torch-free and
pytest-free, for the CLI and the plugin's options alike."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["setting_path", "shown", "user_path"]


def user_path(text: str) -> Path:
    """A path as typed, ``~`` and ``~user`` expanded where they name a home (an unknown user's is left as typed, as
    ``os.path.expanduser`` leaves it, where ``Path.expanduser`` raises): a shell expands no ``~`` after ``--opt=``."""
    return Path(os.path.expanduser(text))


def setting_path(folder: Path, value: str) -> Path:
    """A path an ini file in ``folder`` sets, as pytest reads its ``cache_dir``: ``$VAR``, then ``~``, expanded,
    relative to that folder."""
    return folder / user_path(os.path.expandvars(value))


def shown(path: Path | str) -> str:
    """``path`` as a message shows it: a byte of its name that is not UTF-8 (a Linux name may hold any) as the
    replacement character, as ``ls`` and git show one, never Python's ``\\udce9`` escape of it."""
    return os.fsencode(path).decode("utf-8", errors="replace")
