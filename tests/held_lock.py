"""A lock held as another process holds it, released from a thread once a line says it is waited for."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from pathlib import Path


def held_until_said(lock: Path) -> tuple[Callable[[str], None], list[str], threading.Event]:
    """Hold ``lock`` (a file or a folder) as another process would, through a descriptor of its own (``flock`` locks
    belong to an open file description), and release it from a thread once a line has been said; return what says
    a line, the lines said, and the event set just before the release."""
    descriptor = os.open(lock, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    lines: list[str] = []
    said, released = threading.Event(), threading.Event()

    def release() -> None:
        said.wait(timeout=60)  # a lock never said is released all the same, and the test fails, not hangs
        released.set()
        os.close(descriptor)

    threading.Thread(target=release, daemon=True).start()

    def say(line: str) -> None:
        lines.append(line)
        said.set()

    return say, lines, released

