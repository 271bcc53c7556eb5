"""A FIFO planted where a record should be, which a thread feeds a record to each time a reader opens it: a reader
that opens it waits for nothing and reads the record (so a test of one that should refuse it fails, not hangs)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def fed_fifo(path: Path, content: bytes) -> Iterator[None]:
    """Plant a FIFO at ``path`` fed ``content`` (at most a pipe's buffer) at each opening for reading while the block
    runs, wherever it is moved to meanwhile (it is reopened through ``/proc``, Linux's); then stop the feeder."""
    os.mkfifo(path)
    handle = os.open(path, os.O_PATH)
    fifo = f"/proc/self/fd/{handle}"
    stopping = threading.Event()

    def feed() -> None:
        while not stopping.is_set():
            writer = os.open(fifo, os.O_WRONLY)  # waits for a reader
            with contextlib.suppress(OSError):  # a reader gone before it read
                os.write(writer, content)
            os.close(writer)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        yield
    finally:
        stopping.set()
        while feeder.is_alive():  # a reader, for the open the feeder waits in
            reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            feeder.join(0.01)
            os.close(reader)
        os.close(handle)
