"""Atomic writes: a failed or killed write leaves the previous complete file, never a part of the new one."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from held_lock import held_until_said

from claimbench import atomic, errors


def test_replace_atomically_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    target.write_text("old")

    def broken(path: Path) -> None:
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic.replace_atomically(target, broken)
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]
    atomic.write_text(target, "new")
    assert target.read_text() == "new" and list(tmp_path.iterdir()) == [target]


def _failing_for(name: str, number: int) -> Callable[[Path, bytes], int]:
    """``Path.write_bytes``, failing with ``number`` (and no file name, as the kernel reports it) for the
    temporary file of ``name``."""
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if self.name.startswith(f".claimbench-{name}.") and self.name.endswith(".tmp"):
            raise OSError(number, os.strerror(number))
        return real(self, data)

    return write_bytes


def test_a_failed_write_in_together_renames_none_and_names_its_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The second of three files is too large: the first stays old too, no temporary file is left, and the error
    names the second."""
    for name in ("a.md", "b.json", "c.svg"):
        (tmp_path / name).write_text("old")
    monkeypatch.setattr(Path, "write_bytes", _failing_for("b.json", errno.EFBIG))
    with pytest.raises(OSError) as raised:
        with atomic.together():
            for name in ("a.md", "b.json", "c.svg"):
                atomic.write_text(tmp_path / name, "new")
    assert (raised.value.filename, raised.value.strerror) == (str(tmp_path / "b.json"), os.strerror(errno.EFBIG))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.json", "c.svg"]
    assert {p.read_text() for p in tmp_path.iterdir()} == {"old"}


def test_an_error_names_the_file_not_its_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that takes no new file names the temporary file it refused; a full disk names nothing."""
    def refused(prefix: str, suffix: str, dir: Path) -> tuple[int, str]:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), f"{dir}/{prefix}x1y2z3{suffix}")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(PermissionError) as raised:
        atomic.write_text(tmp_path / "R.md", "new")
    assert str(raised.value) == f"[Errno {errno.EPERM}] Operation not permitted: '{tmp_path / 'R.md'}'"
    monkeypatch.undo()
    monkeypatch.setattr(Path, "write_bytes", _failing_for("R.md", errno.ENOSPC))
    with pytest.raises(OSError) as raised:
        atomic.write_text(tmp_path / "R.md", "new")
    assert raised.value.filename == str(tmp_path / "R.md") and raised.value.filename2 is None
    assert list(tmp_path.iterdir()) == []


WRITER = '''
import json, os, signal, sys
from pathlib import Path
from claimbench import atomic, report
from claimbench.ledger import Claim, Report, Tolerance

kind, directory, mode = sys.argv[1], Path(sys.argv[2]).resolve(), sys.argv[3]
CLAIMS = tuple(Claim(id=f"demo/params/{n}", report="demo", kind="params", value=n, printed=str(n), source="demo.txt",
                     tolerance=Tolerance(), file="demo.toml", model=f"demo.m{n}", count="trainable")
               for n in range(1, 600))
REPORTS = [Report(slug="demo", title="Demo", source=None, origin="", tables=(), claims=CLAIMS)]


def records(version):
    return [{"id": f"demo/params/{n}", "report": "demo", "kind": "params", "model": "demo.a", "claimed": version,
             "interval": None, "printed": str(version), "scale": 1.0, "source": "demo.txt", "cell": None,
             "measured": version * n, "shown": version * n, "delta": 0, "band": [version, version],
             "tolerance": "exact", "direction": "within", "counters": {}, "seeds": [], "spread": None,
             "device": "meta", "unverified_data": False, "verdict": "reproduced", "reason": "", "note": None,
             "date": "2026-11-30", "duration": 0.0} for n in range(1, 300 + 100 * version)]


def write(version):
    target = directory / kind
    if kind == "markdown":
        report.write_all(records(version), REPORTS, {"date": "2026-11-30"}, markdown=target)
    elif kind == "json":
        atomic.write_text(target, json.dumps({"version": version, "claims": records(version)}))
    elif kind == "badges":
        report.write_all(records(version), REPORTS, {}, badges=directory / "badges")
    elif kind == "plots":
        report.write_all(records(version), REPORTS, {}, plots=directory / "plots")
    elif kind == "readme":
        report.update_readme(target, records(version), REPORTS, None)
    elif kind == "checkpoint":
        import torch
        atomic.replace_atomically(target, lambda path: torch.save({"version": torch.full((200_000,), version)}, path))


replace, renamed, kill_before = os.replace, [], None


def replace_counted(source, target):
    """os.replace, counting the renames into the directory; SIGKILL before the ``kill_before``-th of them, when
    the new version is complete in its temporary file and the old one still in place."""
    inside = Path(target).resolve().is_relative_to(directory)
    if inside and len(renamed) + 1 == kill_before:
        os.kill(os.getpid(), signal.SIGKILL)
    replace(source, target)
    if inside:
        renamed.append(Path(target).resolve().relative_to(directory).as_posix())


os.replace = replace_counted
if mode.startswith("kill before "):  # write version 1, then version 2 up to that rename
    write(1)
    renamed, kill_before = [], int(mode.removeprefix("kill before "))
    write(2)
else:  # write this version, and say which files were renamed into place
    write(int(mode))
    print(json.dumps(renamed))
'''


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and not p.name.endswith(".tmp")}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["markdown", "json", "badges", "plots", "readme", "checkpoint"])
def test_sigkill_during_a_write_leaves_a_complete_file(tmp_path: Path, kind: str) -> None:
    """A writer writes version 1 of its files, then version 2, and is SIGKILLed inside that write: before its
    first rename, one in the middle and its last. Every file must be complete, byte for byte one of the two
    versions; and every file must arrive by a rename, none written in place, where a kill could cut it."""
    import signal
    import subprocess
    import sys

    def writer(directory: Path, mode: str) -> subprocess.CompletedProcess[str]:
        directory.mkdir()
        if kind == "readme":
            (directory / kind).write_text("<!-- claims-summary:start -->\n<!-- claims-summary:end -->\n")
        return subprocess.run([sys.executable, "-c", WRITER, kind, str(directory), mode], capture_output=True,
                              text=True, timeout=300)

    versions = []
    for version in (1, 2):
        written = writer(tmp_path / f"version{version}", str(version))
        assert written.returncode == 0, written.stderr[-3000:]
        versions.append(_snapshot(tmp_path / f"version{version}"))
        renamed = json.loads(written.stdout)
        in_place = sorted(set(versions[-1]) - set(renamed))
        assert not in_place, f"{kind}: written in place, not renamed into place: {in_place}"
    assert versions[0] != versions[1]
    for rename in sorted({1, (len(renamed) + 1) // 2, len(renamed)}):
        directory = tmp_path / f"killed_before_rename{rename}"
        killed = writer(directory, f"kill before {rename}")
        assert killed.returncode == -signal.SIGKILL, (
            f"{kind}: the writer was not killed before rename {rename}: {killed.stderr[-3000:]}")
        for name, content in _snapshot(directory).items():
            if kind == "checkpoint":  # torch.save writes a fresh serialization id each time: compare contents
                import torch

                assert torch.load(directory / name)["version"].unique().tolist() in ([1], [2])
            else:
                assert content in (versions[0][name], versions[1][name]), f"{kind}: {name} is neither version"


def test_a_write_removes_its_targets_leftovers_whose_writer_is_dead_on_this_host_only(tmp_path: Path) -> None:
    """A temporary file names its writer's host and pid, and matches the ``.gitignore`` line ``init`` advises; the
    next write of its target removes those a writer of this host left when it was killed (its pid gone), named as
    now or as an earlier claimbench named them, never a live writer's, another host's or another target's, nor one
    whose name says no writer."""
    import fnmatch
    import socket
    import subprocess
    import sys

    target = tmp_path / "claims.json"
    seen: list[str] = []
    atomic.replace_atomically(target, lambda temporary: (seen.append(temporary.name), temporary.write_text("1")))
    host = seen[0].removeprefix(".claimbench-claims.json.").split(".")[0]
    assert host.startswith(socket.gethostname().replace(".", "_")) and seen[0].split(".")[-3] == str(os.getpid())
    assert fnmatch.fnmatchcase(seen[0], atomic.GITIGNORE) and not fnmatch.fnmatchcase(".env.tmp", atomic.GITIGNORE)
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    dead = [tmp_path / f".claimbench-claims.json.{host}.{child.pid}.a1b2c3d4.tmp",
            tmp_path / f".claims.json.{host}.{child.pid}.a1b2c3d4.tmp"]  # as an earlier claimbench named it
    kept = [tmp_path / f".claimbench-claims.json.{host}.{os.getpid()}.a1b2c3d4.tmp",  # a live writer: this process
            tmp_path / f".claimbench-claims.json.elsewhere.{child.pid}.a1b2c3d4.tmp",  # another host's
            tmp_path / f".claimbench-REPORT.md.{host}.{child.pid}.a1b2c3d4.tmp",  # another target's
            tmp_path / ".claimbench-claims.json.a1b2c3d4.tmp"]  # no writer named
    for leftover in (*dead, *kept):
        leftover.write_text("half")
    atomic.write_text(target, "2")
    assert sorted(tmp_path.iterdir()) == sorted([target, *kept]) and target.read_text() == "2"


def test_two_writers_of_one_path_leave_one_complete_version(tmp_path: Path) -> None:
    target = tmp_path / "claims.json"
    contents = ["a" * 100_000, "b" * 200_000]

    def write(text: str) -> None:
        for _ in range(30):
            atomic.write_text(target, text)

    writers = [threading.Thread(target=write, args=(text,)) for text in contents]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert target.read_text() in contents and list(tmp_path.iterdir()) == [target]


def test_a_symlink_keeps_pointing_at_its_file_and_a_file_keeps_its_mode(tmp_path: Path) -> None:
    (tmp_path / "target.md").write_text("old")
    (tmp_path / "target.md").chmod(0o600)
    (tmp_path / "README.md").symlink_to("target.md")
    assert atomic.write_text(tmp_path / "README.md", "new") == tmp_path / "README.md"
    assert (tmp_path / "README.md").is_symlink() and (tmp_path / "target.md").read_text() == "new"
    assert (tmp_path / "target.md").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_the_umask_gives_and_a_replaced_one_keeps_its_own(tmp_path: Path, umask: int,
                                                                                    mode: int) -> None:
    """As ``open`` would: under umask 077 a new run record is its owner's alone (it was 0644 whatever the umask)."""
    import subprocess
    import sys

    (tmp_path / "kept.json").write_text("old")
    (tmp_path / "kept.json").chmod(0o640)
    code = "import sys\nfrom claimbench import atomic\nfor name in sys.argv[1:]:\n    atomic.write_text(name, '{}')"
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "new.json"), str(tmp_path / "kept.json")],
                   check=True, umask=umask)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == mode
    assert (tmp_path / "kept.json").stat().st_mode & 0o777 == 0o640


def test_read_regular_refuses_at_once_a_fifo_a_device_a_symlink_and_a_file_over_its_limit(tmp_path: Path) -> None:
    """A FIFO without a writer (a plain open waits for one forever), ``/dev/zero`` (a plain read fills the memory),
    a symlink to either or to a file, and a file longer than the limit are no record; a file within it is read."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "ten").write_bytes(b"0123456789")
    for name, target in (("zero", "/dev/zero"), ("to_fifo", "fifo"), ("to_ten", "ten")):
        (tmp_path / name).symlink_to(target)
    for path, why in ((tmp_path / "fifo", "a FIFO, not a regular file"), ("/dev/zero", "a device, not a regular file"),
                      (tmp_path, "a folder, not a regular file"), *(
                          (tmp_path / name, "a symbolic link, which is never followed")
                          for name in ("zero", "to_fifo", "to_ten"))):
        with pytest.raises(atomic.NotRegularFile, match=f"^{why}$"):
            atomic.read_regular(path)
    with pytest.raises(atomic.NotRegularFile, match="^over 9 bytes, more than such a record holds$"):
        atomic.read_regular(tmp_path / "ten", 9)
    assert atomic.read_regular(tmp_path / "ten", 10) == b"0123456789"
    with pytest.raises(FileNotFoundError):
        atomic.read_regular(tmp_path / "missing")


def test_a_device_or_fifo_is_never_replaced_by_a_file(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        atomic.write_text(fifo, "x")
    assert fifo.is_fifo() and list(tmp_path.iterdir()) == [fifo]
    with pytest.raises(OSError, match="not a regular file"):
        atomic.write_text("/dev/null", "x")
    assert Path("/dev/null").is_char_device()


def test_set_aside_takes_the_first_free_name_and_never_overwrites_one_taken(tmp_path: Path) -> None:
    """A file set aside goes to the first ``<name>.<label>-<n>`` no file holds, an earlier aside kept as it is; one
    whose caller refuses the name (``before`` raises), or gone meanwhile, stays where it was, and takes no name."""
    path = tmp_path / "claims.json"
    (tmp_path / "claims.json.unread-1").write_text("an earlier aside")
    path.write_text("cut short")
    told: list[str] = []
    assert atomic.set_aside(path, "unread", lambda aside: told.append(aside.name)) == tmp_path / "claims.json.unread-2"
    assert told == ["claims.json.unread-2"] and not path.exists()
    assert (tmp_path / "claims.json.unread-1").read_text() == "an earlier aside"
    assert (tmp_path / "claims.json.unread-2").read_text() == "cut short"

    def refuse(aside: Path) -> None:
        raise RuntimeError(f"not to {aside.name}")

    path.write_text("kept")
    with pytest.raises(RuntimeError, match="^not to claims.json.unread-3$"):
        atomic.set_aside(path, "unread", refuse)
    assert path.read_text() == "kept" and not (tmp_path / "claims.json.unread-3").exists()
    path.unlink()
    with pytest.raises(FileNotFoundError):
        atomic.set_aside(path, "unread")
    assert sorted(file.name for file in tmp_path.iterdir()) == ["claims.json.unread-1", "claims.json.unread-2"]


@pytest.mark.usefixtures("ctrl_c")
def test_together_holds_a_ctrl_c_back_until_its_block_ends(tmp_path: Path) -> None:
    with pytest.raises(atomic.Interrupted) as raised:
        with atomic.together():
            signal.raise_signal(signal.SIGINT)
            atomic.write_text(tmp_path / "a", "new")
            atomic.write_text(tmp_path / "b", "new")
    assert (tmp_path / "a").read_text() == (tmp_path / "b").read_text() == "new"
    assert raised.value.written == [tmp_path / "a", tmp_path / "b"], "it names the files written before it"
    with atomic.together():
        atomic.write_text(tmp_path / "a", "newer")
    assert (tmp_path / "a").read_text() == "newer" and signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_together_holds_a_sigterm_back_until_its_block_ends(tmp_path: Path) -> None:
    """SIGTERM, the usual signal to stop a job, ends the process as it would (Python leaves it to the system),
    but after the block's renames: every file is new, and no temporary file is left in the folder."""
    import subprocess
    import sys

    script = ("import os, signal, sys\nfrom pathlib import Path\nfrom claimbench import atomic\n"
              "folder = Path(sys.argv[1])\nwith atomic.together():\n    atomic.write_text(folder / 'a', 'new')\n"
              "    os.kill(os.getpid(), signal.SIGTERM)\n    atomic.write_text(folder / 'b', 'new')\n"
              "print('after the block')\n")
    for name in ("a", "b"):
        (tmp_path / name).write_text("old")
    ended = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert (ended.returncode, ended.stdout) == (-signal.SIGTERM, ""), ended.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]
    assert (tmp_path / "a").read_text() == (tmp_path / "b").read_text() == "new"


@pytest.mark.usefixtures("ctrl_c")
def test_a_ctrl_c_held_back_by_a_failed_block_names_no_file_written(tmp_path: Path) -> None:
    with pytest.raises(atomic.Interrupted) as raised, atomic.together():
        atomic.write_text(tmp_path / "a", "new")
        signal.raise_signal(signal.SIGINT)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "b"))
    assert raised.value.written == [] and not (tmp_path / "a").exists()


def test_a_folder_in_the_way_is_said_before_any_file_of_the_block_is_renamed(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("old")
    (tmp_path / "b.json").mkdir()
    with pytest.raises(IsADirectoryError) as raised, atomic.together():
        atomic.write_text(tmp_path / "a.md", "new")
        atomic.write_text(tmp_path / "b.json", "new")
    assert raised.value.filename == str(tmp_path / "b.json") and (tmp_path / "a.md").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.json"]


def test_a_failed_block_inside_another_writes_nothing_of_its_own(tmp_path: Path) -> None:
    with atomic.together():
        atomic.write_text(tmp_path / "outer.md", "outer")
        with contextlib.suppress(RuntimeError), atomic.together():
            atomic.write_text(tmp_path / "inner.md", "inner")
            raise RuntimeError("the inner block fails")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outer.md"]


def test_a_folder_lock_another_process_holds_is_waited_for_saying_so_in_one_line(tmp_path: Path) -> None:
    """A lock held elsewhere is said, naming the folder, before the wait, which ends when it is released; one free
    at once is taken without a word."""
    target = tmp_path / "claims.json"
    said: list[str] = []
    with atomic.locked(target, said.append):
        assert said == []
    say, lines, released = held_until_said(tmp_path)
    with atomic.locked(target, say):
        assert released.is_set(), "the block ran while another process held the lock"
    assert lines == [f"{tmp_path}: another process holds the lock of this folder (writing a file in it); waiting "
                     "for it to finish (Ctrl-C to stop)"]


def test_a_folder_that_cannot_be_locked_is_one_line_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system that refuses ``flock`` (NFS without lockd, some FUSE mounts): one line naming the folder and
    what to do, an ``OSError`` for the report's writer and a ``MeasurementError`` for a claim."""

    def no_flock(*args: object) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(atomic.fcntl, "flock", no_flock)
    with pytest.raises(OSError) as raised, atomic.locked(tmp_path / "claims.json"):
        pytest.fail("ran unlocked")
    assert isinstance(raised.value, errors.MeasurementError)
    assert str(raised.value) == (f"{tmp_path}: cannot lock this folder ({os.strerror(errno.ENOLCK)}); use a folder "
                                 "on a local file system (--claims-results-dir, --claims-json)")


def _held_shared(lock: Path) -> int:
    """A descriptor of ``lock`` holding a shared ``flock``, as ``store.held`` takes one for an instant to ask whether
    another process trains a run."""
    descriptor = os.open(lock, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_SH)
    return descriptor


def test_a_lock_let_go_within_the_grace_is_taken_without_a_word(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A holder that lets go at once (a session asking whether the run is trained) is no wait to be said: the lock
    is taken once it is free, and ``flock`` says it did not wait. The grace is made generous, so that a busy CPU's
    late timer still lets go well inside it."""
    monkeypatch.setattr(atomic, "FLOCK_GRACE", 10.0)
    descriptor = _held_shared(tmp_path)
    release = threading.Timer(0.005, os.close, (descriptor,))
    said: list[str] = []
    mine = os.open(tmp_path, os.O_RDONLY)
    try:
        release.start()
        assert atomic.flock(mine, tmp_path, "the lock", said.append) is False
    finally:
        release.join()
        os.close(mine)
    assert said == []


def test_a_lock_held_past_the_grace_is_said_once_then_waited_for(tmp_path: Path) -> None:
    """A holder that keeps the lock (a worker training the run) is said in one line, and ``flock`` says it waited."""
    descriptor = _held_shared(tmp_path)
    said, released = threading.Event(), threading.Event()
    lines: list[str] = []

    def release() -> None:
        said.wait(timeout=60)  # a wait never said is released all the same, and the test fails, not hangs
        released.set()
        os.close(descriptor)

    def say(line: str) -> None:
        lines.append(line)
        said.set()

    threading.Thread(target=release, daemon=True).start()
    mine = os.open(tmp_path, os.O_RDONLY)
    try:
        assert atomic.flock(mine, tmp_path, "the lock", say) is True
        assert released.is_set(), "taken while another held it"
    finally:
        os.close(mine)
    assert lines == [f"{tmp_path}: another process holds the lock; waiting for it to finish (Ctrl-C to stop)"]
