"""Atomic file writes: a temporary file in the same folder, fsynced, then renamed over the target.

A reader (or a crash at any instant) sees the previous complete file or the new one, never a part;
two writers of one path leave one complete version; a set of files written ``together()`` is not left half old,
half new by a Ctrl-C. Torch-free: every layer may use it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["replace_atomically", "together", "write_bytes", "write_text"]


def replace_atomically(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Let ``write`` fill a fresh temporary file beside ``path``, fsync it, and rename it over ``path``.

    As a plain write would, it writes the file a symlink points to and keeps an existing file's mode (a new one
    gets 0644).
    """
    given = Path(path)
    path = Path(os.path.realpath(given)) if given.is_symlink() else given
    if os.path.lexists(path) and not path.is_file() and not path.is_dir():  # a device (/dev/null), a FIFO
        raise OSError(errno.EINVAL, "not a regular file, so not replaced by one", str(given))
    mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else 0o644
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        _fsync_directory(path.parent)
    finally:
        temporary.unlink(missing_ok=True)
    return given


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_bytes(path: Path | str, content: bytes) -> Path:
    """Write ``content`` to ``path`` atomically."""
    return replace_atomically(path, lambda temporary: temporary.write_bytes(content))


def write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` with ``\\n`` line ends to ``path`` atomically."""
    return write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def together() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) back until the block ends, then deliver it: the files the block writes are all new,
    never some new and the rest from the previous run. Off the main thread, where Python takes no signal, it
    holds nothing back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)
