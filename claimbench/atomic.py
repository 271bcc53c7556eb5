"""Atomic file writes: a temporary file in the same folder, fsynced, then renamed over the target.

A reader (or a crash at any instant) sees the previous complete file or the new one, never a part;
two writers of one path leave one complete version; a set of files written ``together()`` is not left half old,
half new by a failed write, a Ctrl-C or a SIGTERM. An error names the file being written. Torch-free: every layer
may use it.

The temporary file of ``<folder>/<name>`` is ``<folder>/.claimbench-<name>.<host>.<pid>.<random>.tmp`` (the
pattern ``GITIGNORE`` matches it, and hardly an author's file): ``<host>`` is the writer's host name with its dots
as underscores (so that the name parses) and, on Linux, ``-<machine id>`` (two machines may share a host name) and
``-<its PID namespace>`` (containers sharing a host name number their processes apart), ``<pid>`` the writer's
process id. A writer killed mid-write (SIGKILL, a power cut) leaves it behind; the next write of ``<name>``
removes those of this host whose process is gone, never a live process's (parallel workers write side by side) nor
another host's (a shared file system), whose liveness it cannot know. Until then, ``GITIGNORE`` keeps it out of git.

``read_regular(path)`` reads a record claimbench wrote (a run, a marker, a decision) only where it is a regular file
of at most ``RECORD_BYTES``, never a FIFO (which would block), a device or a symlink (``/dev/zero``, which would
fill the memory): anything else is ``NotRegularFile``, a record as corrupt as one that is not JSON.

``set_aside(path, label)`` renames a file a run cannot use to the first free ``<name>.<label>-<n>`` beside it, never
over another file.

``locked(path)`` makes a read, merge and write of ``path`` one critical section: an exclusive ``fcntl.flock`` on the
folder that holds it, which leaves no file behind. A lock another process holds past a moment's grace is said in one
line before the wait (``flock``), and one that cannot be taken is one line naming it and what to do (``cannot_lock``).
Where Python has no ``fcntl`` (Windows) it locks nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import functools
import glob
import io
import itertools
import os
import signal
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from claimbench import errors

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["FLOCK_GRACE", "GITIGNORE", "RECORD_BYTES", "Interrupted", "NotRegularFile", "Unlockable", "alive",
           "cannot_lock", "flock", "locked", "open_regular", "read_regular", "replace_atomically", "set_aside",
           "temporary_files", "this_host", "together", "unreadable", "unwritable", "write_bytes", "write_text"]

_MARK = ".claimbench-"
"""What a temporary file's name begins with: claimbench's, so that a pattern can match it and no other file."""
GITIGNORE = f"{_MARK}*.tmp"
"""The ``.gitignore`` line that keeps the temporary files a killed writer left out of an author's commits."""
_HELD = (signal.SIGINT, signal.SIGTERM)
"""The signals ``together()`` holds back: a Ctrl-C, and the one a job is stopped with (which, unhandled, ends the
process at once, with no clean-up)."""


class Interrupted(KeyboardInterrupt):
    """A Ctrl-C that ``together()`` held back, delivered as its block ended: ``written`` names the files the block
    renamed into place before it, all of them, or none where the block failed."""

    def __init__(self, written: Sequence[Path]) -> None:
        super().__init__()
        self.written = list(written)


class _Staged(NamedTuple):
    """A file written to its temporary file, not yet renamed into place."""

    temporary: Path
    path: Path
    """What it replaces: ``given``, or the file ``given`` links to."""
    given: Path


_PENDING: contextvars.ContextVar[list[_Staged] | None] = contextvars.ContextVar("claimbench_atomic_pending",
                                                                               default=None)
"""The files the innermost ``together()`` block of this thread (or task) has written and not yet renamed."""


def replace_atomically(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Let ``write`` fill a fresh temporary file beside ``path``, fsync it, and rename it over ``path``; inside
    ``together()``, rename it when the block ends. An ``OSError`` names ``path``, never the temporary file.

    As a plain write would, it writes the file a symlink points to and keeps an existing file's mode (a new one
    gets 0666 less the process's umask, as ``open`` gives it).
    """
    given = Path(path)
    pending = _PENDING.get()
    staged = _staged(given, write)
    if pending is None:
        _rename([staged])
    else:
        pending.append(staged)
    return given


def _staged(given: Path, write: Callable[[Path], None]) -> _Staged:
    """The temporary file ``write`` filled, fsynced and given the target's mode, ready to replace ``given``."""
    path = Path(os.path.realpath(given)) if given.is_symlink() else given
    if os.path.lexists(path) and not path.is_file() and not path.is_dir():  # a device (/dev/null), a FIFO
        raise OSError(errno.EINVAL, "not a regular file, so not replaced by one", str(given))
    if path.is_dir():  # said now, before a block's other files are renamed
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(given))
    temporary = None
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else 0o666 & ~_umask()
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_dead_leftovers(path)
        handle, name = tempfile.mkstemp(prefix=f"{_MARK}{path.name}.{this_host()}.{os.getpid()}.", suffix=".tmp",
                                        dir=path.parent)
        os.close(handle)
        temporary = Path(name)
        write(temporary)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, mode)
    except BaseException as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _named(error, given) from None
        raise
    return _Staged(temporary, path, given)


@functools.cache
def _umask() -> int:
    """The process's umask, read once: from ``/proc/self/status`` where Linux says it (no other thread sees it
    changed), else by setting it and putting it back at once."""
    with contextlib.suppress(OSError, UnicodeDecodeError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def this_host() -> str:
    """This host as its temporary files name it: its host name, dots as underscores, and on Linux its machine id
    (two machines may share a host name) and PID namespace (containers of one machine number apart)."""
    try:
        machine = Path("/etc/machine-id").read_text(encoding="ascii").strip()[:12]
    except (OSError, UnicodeDecodeError):
        machine = ""
    try:
        namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        namespace = ""
    return "-".join(part for part in (socket.gethostname().replace(".", "_"), machine, namespace) if part)


def _remove_dead_leftovers(path: Path) -> None:
    """Remove the temporary files of ``path`` that a writer of this host left when it was killed: its process is
    gone. Those an earlier claimbench named without ``_MARK`` too, which ``GITIGNORE`` does not match."""
    for prefix in (f"{_MARK}{path.name}.{this_host()}.", f".{path.name}.{this_host()}."):
        for leftover in path.parent.glob(glob.escape(prefix) + "*.tmp"):
            pid, *rest = leftover.name.removeprefix(prefix).split(".")
            if pid.isdigit() and len(rest) == 2 and not alive(int(pid)):
                leftover.unlink(missing_ok=True)


def temporary_files(path: Path) -> list[Path]:
    """The temporary files of ``path`` beside it, of any writer: for a caller that knows none is writing it."""
    return sorted(path.parent.glob(glob.escape(f"{_MARK}{path.name}.") + "*.tmp"))


def alive(pid: int) -> bool:
    """Whether a process of this host has ``pid`` (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _rename(staged: Sequence[_Staged]) -> None:
    """Rename each temporary file over its target, in order, then make the renames durable; whatever is left of
    them when one fails is removed."""
    try:
        for temporary, path, given in staged:
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise _named(error, given) from None
    finally:
        for temporary, _, _ in staged:
            temporary.unlink(missing_ok=True)
    for directory in dict.fromkeys(path.parent for _, path, _ in staged):
        _fsync_directory(directory)


def _named(error: OSError, given: Path) -> OSError:
    """A system error as naming the file being written, where it named a temporary file, or nothing (a full disk);
    one raised with a message only, as it is."""
    return error if error.errno is None else OSError(error.errno, error.strerror, str(given))


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def unwritable(path: Path, *, folder: bool) -> str | None:
    """Why ``path`` (a file, or a folder to write files into) could not be written; None when it could: checked
    before anything is written, by a run's options and the command line's outputs alike. A file is replaced through
    a temporary file beside it, so its folder must take new files; the folders missing on the way are created. Past
    the permission bits (which root's access ignores), it tries: creates the folder and a temporary file in it
    (``_tried``), and removes what it created."""
    if folder and os.path.isfile(path):
        return f"{path} is a file, not a folder"
    if not folder and os.path.isdir(path):
        return f"{path} is a folder, not a file"
    if not folder and os.path.exists(path) and not os.path.isfile(path):
        return f"{path} is not a regular file (a device or a FIFO), and is never replaced"
    existing = path if folder else path.parent
    while not os.path.lexists(existing):  # the folders a run would create: their nearest existing ancestor
        existing = existing.parent
    if not os.path.isdir(existing):
        return f"cannot create {path}: {existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot write in {existing} ({_denied(existing)})"
    return _tried(path if folder else path.parent, path)


def _denied(folder: Path) -> str:
    """Why ``os.access`` denied writing in ``folder``, in the system's words: its file system is mounted read-only,
    else its permission bits refuse."""
    read_only = hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY
    return os.strerror(errno.EROFS if read_only else errno.EACCES)


def _tried(folder: Path, path: Path) -> str | None:
    """Why a file could not be created in ``folder`` (for ``path``), found by creating the folders missing on the way
    and a temporary file in it; None when it could. All it created is removed again."""
    missing = list(itertools.takewhile(lambda ancestor: not os.path.lexists(ancestor), [folder, *folder.parents]))
    created: list[Path] = []
    try:
        for new in reversed(missing):
            with contextlib.suppress(FileExistsError):  # another process created it meanwhile
                os.mkdir(new)
                created.append(new)
        probe = folder / f"{_MARK}check.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.unlink(probe)
    except OSError as error:
        where = f"create {path}" if len(created) < len(missing) else f"write in {folder}"
        return f"cannot {where} ({error.strerror or error})"
    finally:
        for new in reversed(created):
            with contextlib.suppress(OSError):
                os.rmdir(new)
    return None


def unreadable(path: Path | str, error: OSError | None = None) -> str:
    """Why a run writes nothing over the file at ``path`` whose records it carries over (the claims JSON): it cannot
    read it (``error``: reading it failed; None: found before anything is written). That is no fault of what it
    holds, so it is left as it is: set aside, its records would be lost."""
    why = f" ({error.strerror or error})" if error is not None else ""
    return (f"cannot read {path}{why}, and writing over it would lose the records of earlier runs it holds; make it "
            "readable, or name another file")


RECORD_BYTES = 32 * 1024 * 1024
"""The most bytes ``read_regular`` reads: far above any record claimbench writes (a run's is kilobytes)."""
_NO_WAIT = os.O_NOFOLLOW | os.O_NONBLOCK if hasattr(os, "O_NOFOLLOW") else 0  # not on Windows
"""The flags that make ``read_regular``'s open refuse a symlink and return at once on a FIFO."""
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class NotRegularFile(ValueError):
    """A record that is no regular file of at most its size (a FIFO, a device, a symlink, a huge file): corrupt,
    as a record that is not JSON is."""


def read_regular(path: Path | str, limit: int = RECORD_BYTES) -> bytes:
    """The content of the regular file at ``path``, of at most ``limit`` bytes (``open_regular``); a longer file is
    ``NotRegularFile`` too, and never read whole."""
    with open_regular(path) as file:
        content = _read_at_most(file, limit + 1)
    if len(content) > limit:
        raise NotRegularFile(f"over {limit} bytes, more than such a record holds")
    return content


def open_regular(path: Path | str) -> io.FileIO:
    """The regular file at ``path``, open for reading; ``NotRegularFile`` for a symlink (never followed), a FIFO
    (never waited on), a device or a folder. Another failure to open it (no permission, an I/O error) is its
    ``OSError``."""
    try:
        file = open(path, "rb", buffering=0, opener=lambda name, flags: os.open(name, flags | _NO_WAIT))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotRegularFile("a symbolic link, which is never followed") from None
        if error.errno == errno.EISDIR:
            raise NotRegularFile("a folder, not a regular file") from None
        raise
    mode = os.fstat(file.fileno()).st_mode
    if not stat.S_ISREG(mode):
        file.close()
        kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        raise NotRegularFile(f"{kind}, not a regular file")
    return file


def _read_at_most(file: io.FileIO, size: int) -> bytes:
    """Up to ``size`` bytes of ``file``, fewer only at its end."""
    chunks: list[bytes] = []
    while size > 0 and (chunk := file.read(size)):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def set_aside(path: Path, label: str, before: Callable[[Path], None] | None = None) -> Path:
    """Rename ``path`` to the first free ``<name>.<label>-<n>`` beside it (``n`` from 1) and return that path. The name
    is taken first, as an empty file only this call creates, and the file renamed onto it: never over another file,
    an earlier aside or another process's. ``before`` is told the name first; what it raises leaves ``path`` where it
    is, as does a ``path`` gone meanwhile (``FileNotFoundError``), the name freed again."""
    number = 1
    while True:
        aside = path.with_name(f"{path.name}.{label}-{number}")
        try:
            os.close(os.open(aside, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            break
        except FileExistsError:
            number += 1
    try:
        if before is not None:
            before(aside)
        os.replace(path, aside)
    except BaseException:
        aside.unlink(missing_ok=True)
        raise
    return aside


def write_bytes(path: Path | str, content: bytes) -> Path:
    """Write ``content`` to ``path`` atomically."""
    return replace_atomically(path, lambda temporary: temporary.write_bytes(content))


def write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` with ``\\n`` line ends to ``path`` atomically. A lone surrogate, which no UTF-8 file
    holds (Python's str of a path byte that is not UTF-8: ``lat\\xe9`` is ``'lat\\udce9'``), is written as its
    escape, ``\\udce9``: seen in a report, and read back by a JSON reader as the same character."""
    return write_bytes(path, text.encode("utf-8", "backslashreplace"))


@contextlib.contextmanager
def together() -> Iterator[None]:
    """Write the block's files all or none: each goes to its temporary file as the block writes it, and all are
    renamed into place, in the order written, when the block ends; when the block fails, none is, and the
    temporary files are removed. A Ctrl-C (SIGINT) or a SIGTERM is held back until the renames are done, then
    delivered, a Ctrl-C as ``Interrupted``, which names the files written. A block inside another is part of it, and
    a failed one writes nothing. Off the main thread, where Python takes no signal, it holds nothing back."""
    outer = _PENDING.get()
    if outer is not None:
        start = len(outer)
        try:
            yield
        except BaseException:
            _discard(outer, start)
            raise
        return
    pending: list[_Staged] = []
    token = _PENDING.set(pending)
    renamed: list[Path] = []
    try:
        with _signals_held():
            try:
                yield
            except BaseException:
                _discard(pending, 0)
                raise
            finally:
                _PENDING.reset(token)
            _rename(pending)
            renamed = [given for _, _, given in pending]
    except KeyboardInterrupt:
        raise Interrupted(renamed) from None


def _discard(pending: list[_Staged], start: int) -> None:
    """Remove the temporary files staged from ``start`` on, and forget them."""
    for temporary, _, _ in pending[start:]:
        temporary.unlink(missing_ok=True)
    del pending[start:]


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) and a SIGTERM back until the block ends, then deliver them, SIGTERM first (a Ctrl-C's
    KeyboardInterrupt would keep it from being delivered); on the main thread only, and only a signal whose handler
    Python can put back (not one set outside Python)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = {number: signal.signal(number, lambda signum, _frame: caught.append(signum))
            for number in _HELD if signal.getsignal(number) is not None}
    try:
        yield
    finally:
        for number, previous in held.items():
            signal.signal(number, previous)
        for number in reversed(_HELD):
            if number in caught:
                signal.raise_signal(number)


FLOCK_GRACE = 0.05
"""Seconds ``flock`` tries again, without blocking, to take a lock another process holds before it says it waits:
a process that holds it for an instant (``store.held`` asking whether a run is being trained, a record read and
written) is no wait to announce, and a line saying that another process trains the run would be false."""
_FLOCK_RETRY = 0.005
"""Seconds between ``flock``'s tries within ``FLOCK_GRACE``."""


class Unlockable(errors.MeasurementError, OSError):
    """A folder whose file system refuses a lock (NFS without lockd, some FUSE mounts): its message is one line naming
    it and what to do, a claim's ``error`` where a measurement locks it, a file not written where the report does."""


def cannot_lock(where: Path | str, what: str, why: OSError | str, remedy: str) -> str:
    """The one line of a lock that cannot be taken: where it is, what it locks, why (a system error's words), and
    what to do."""
    if isinstance(why, OSError):
        why = why.strerror or type(why).__name__
    return f"{where}: cannot lock {what} ({why}); {remedy}"


def flock(descriptor: int, where: Path | str, what: str, waiting: Callable[[str], None] | None) -> bool:
    """Take an exclusive ``fcntl.flock`` on ``descriptor``: at once, or within ``FLOCK_GRACE``, where no other
    process holds it for longer, else after handing ``waiting`` one line naming ``where`` and ``what`` the other
    holds, so that a wait (another worker's training, a session stopped with Ctrl-Z) is never silent. Return whether
    it waited past the grace (the wait ``waiting`` is told of)."""
    if _taken_within_grace(descriptor):
        return False
    if waiting is not None:
        waiting(f"{where}: another process holds {what}; waiting for it to finish (Ctrl-C to stop)")
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return True


def _taken_within_grace(descriptor: int) -> bool:
    """Whether an exclusive lock on ``descriptor`` is taken without blocking, at once or within ``FLOCK_GRACE``."""
    deadline = time.monotonic() + FLOCK_GRACE
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
        time.sleep(_FLOCK_RETRY)


@contextlib.contextmanager
def locked(path: Path | str, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock for ``path`` while the block runs: a process that reads, merges and writes
    ``path`` in such a block waits for another one's block to end, so it reads what that one wrote, and says so to
    ``waiting`` first (``flock``). The lock is an ``fcntl.flock`` on the folder that holds ``path`` (the folder of the
    file a symlink points to), so no lock file is left in an author's repository; closing it, as the block ends or
    its process dies, releases it. A folder that cannot be locked is ``Unlockable``. Where Python has no ``fcntl``
    (Windows) the block runs unlocked: every file is still whole, but of two processes at once the last to write
    wins."""
    if fcntl is None:
        yield
        return
    folder = Path(os.path.realpath(path)).parent
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            flock(descriptor, folder, "the lock of this folder (writing a file in it)", waiting)
        except OSError as error:
            raise Unlockable(cannot_lock(folder, "this folder", error, "use a folder on a local file system "
                                         "(--claims-results-dir, --claims-json)")) from None
        yield
    finally:
        os.close(descriptor)
