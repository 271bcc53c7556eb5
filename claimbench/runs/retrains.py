"""The record of a ``--claims-retrain`` in progress, so that the next retrain keeps the runs an interrupted one stored.

A retrain reads only the stored runs its own retrain wrote (the marker beside each names it). A retrain that selects a
training claim writes ``retrain-in-progress.json`` in the run store, naming the session that began it and the training
claims it selected (``owes``); one cut short (Ctrl-C, ``-x``, a killed process) leaves it, and the next retrain carries
it on, reading the runs it stored as its own and adding the claims it selects and its process. A retrain that runs to
its end takes the claims it selected off the record, and removes the record once it owes none: a narrower retrain
(``-k``) leaves it owing the rest. A claim it selected and did not retrain (skipped over the training budget or
without its data, or an error before its measurement) comes off too, or one always over the budget would keep every
later retrain carrying this one on: the retrain says which, and that their earlier stored runs stay
(``untrained_line``). A retrain begun beside a running one joins it, adding its process to the record,
which stays until the last of them has run to its end. A record that names no claims (an earlier claimbench's) owes
none. Each read, change and write of the record is one critical section under the lock of its folder
(``atomic.locked``), so that two sessions at once lose neither's claims nor process.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimbench import atomic

__all__ = ["RECORD", "Retrain", "begin", "end", "owe", "owing_line"]

RECORD = "retrain-in-progress.json"


@dataclass(frozen=True)
class Retrain:
    """The retrain a session carries on: the session that began it, when, whether that was an earlier one, and
    whether its process still runs (a session of this host: two retrains at once share their runs)."""

    session: str
    began: str
    carried_on: bool
    running: bool = False

    def carried_on_line(self, results_dir: Path) -> str:
        """The progress line saying that this session carries on another's retrain, and how not to."""
        if self.running:
            return (f"claimbench: --claims-retrain joins the retrain begun {self.began} by a session still running: "
                    "the runs either stores serve both")
        return (f"claimbench: --claims-retrain carries on the retrain begun {self.began}, which was interrupted: "
                f"the runs it stored are kept (remove {results_dir / RECORD} to train them again too)")


def _record(path: Path) -> dict[str, Any] | None:
    """The record at ``path`` where this claimbench wrote one (a session and the date it began), else None."""
    try:
        note = json.loads(atomic.read_regular(path).decode("utf-8"))
    except (OSError, ValueError):
        return None
    ours = isinstance(note, dict) and isinstance(note.get("session"), str) and isinstance(note.get("began"), str)
    return note if ours else None


def _running_beside(note: dict[str, Any]) -> bool:
    """Whether a process the record names, the one that began the retrain or one that joined it, another than this
    one, still runs on this host."""
    return any(process.get("host") == atomic.this_host() and isinstance(pid := process.get("pid"), int)
               and pid != os.getpid() and atomic.alive(pid) for process in [note, *_joined(note)])


def _joined(note: dict[str, Any]) -> list[dict[str, Any]]:
    """The processes of the sessions that joined the retrain while its first one ran."""
    joined = note.get("joined")
    return [process for process in joined if isinstance(process, dict)] if isinstance(joined, list) else []


def _this_process() -> dict[str, Any]:
    return {"host": atomic.this_host(), "pid": os.getpid()}


def _owes(note: dict[str, Any]) -> list[str]:
    """The training claims the record's retrain selected that no retrain of it has run to its end yet."""
    owes = note.get("owes")
    return [claim for claim in owes if isinstance(claim, str)] if isinstance(owes, list) else []


def begin(results_dir: Path, session: str, selected: Collection[str],
          waiting: Callable[[str], None] | None = None) -> Retrain:
    """The retrain a session retraining in ``results_dir`` carries on: the interrupted one its record names, or the
    one still running beside it, which it joins, adding itself to the record; else one it begins. The record then
    owes the training claims ``selected`` too, and is written where there is none only when some are (``owe``).
    An unreadable record is replaced: its runs are trained again. A record that cannot be written leaves the retrain
    unrecorded (the run store's own writes then fail, each in its claim's line). A lock of the record held by
    another process is said to ``waiting`` before the wait."""
    path = results_dir / RECORD
    with _locked(path, waiting, create=bool(selected)):
        note = _record(path)
        if note is None:
            retrain = Retrain(session, datetime.datetime.now().astimezone().isoformat(timespec="seconds"), False)
        else:
            retrain = Retrain(note["session"], note["began"], carried_on=True, running=_running_beside(note))
            if retrain.running:  # the record outlives the session begun first, while this one still runs
                with contextlib.suppress(OSError):
                    atomic.write_text(path, json.dumps({**note, "joined": [*_joined(note), _this_process()]}))
        _add(path, retrain, selected)
    return retrain


def owe(results_dir: Path, retrain: Retrain, claims: Collection[str],
        waiting: Callable[[str], None] | None = None) -> None:
    """Add the training claims a session of ``retrain`` selected to what its record owes, writing the record where
    there is none yet and ``claims`` names some (under pytest-xdist, the controller learns them once its workers have
    collected, before any test runs); a session carrying on an interrupted retrain that selects some adds its
    process too, so that another's end leaves the record while it runs. A record another retrain wrote meanwhile is
    left as it is."""
    path = results_dir / RECORD
    with _locked(path, waiting, create=bool(claims)):
        _add(path, retrain, claims)


def _add(path: Path, retrain: Retrain, claims: Collection[str]) -> None:
    """``owe``'s read, change and write of the record at ``path``, under its lock."""
    note = _record(path)
    if note is not None and note["session"] != retrain.session or note is None and not claims:
        return
    me = _this_process()
    note = note or {"session": retrain.session, "began": retrain.began, **me}
    named = {"host": note.get("host"), "pid": note.get("pid")} == me or me in _joined(note)
    changed = {**note, "owes": sorted({*_owes(note), *claims}), **({} if named or not claims else {
        "joined": [*_joined(note), me]})}
    if changed != note or not path.exists():
        with contextlib.suppress(OSError):
            atomic.write_text(path, json.dumps(changed))


def end(results_dir: Path, begun_by: str, selected: Collection[str],
        waiting: Callable[[str], None] | None = None) -> list[str]:
    """Take the training claims ``selected`` by a session of the retrain ``begun_by`` that session, which ran to its
    end here, off its record, and remove the record once it owes none; the claims it still owes (a narrower retrain
    carrying on one of more claims). A record another retrain wrote meanwhile stays, and so does one with a session
    that still runs beside this one, the one that began it or one that joined it (the last to end removes it)."""
    path = results_dir / RECORD
    with _locked(path, waiting, create=False):
        note = _record(path)
        if note is None or note["session"] != begun_by:
            return []
        owes = [claim for claim in _owes(note) if claim not in set(selected)]
        if not owes and not _running_beside(note):
            path.unlink(missing_ok=True)
        elif owes != _owes(note):
            with contextlib.suppress(OSError):
                atomic.write_text(path, json.dumps({**note, "owes": owes}))
    return owes


@contextlib.contextmanager
def _locked(path: Path, waiting: Callable[[str], None] | None, *, create: bool) -> Iterator[None]:
    """Run the block under the lock of the record's folder (``atomic.locked``), so that another session's read,
    change and write of the record waits for this one's; the folder is created where the block may write the record
    (``create``). A folder missing (no record to read) or that cannot be created or locked (a file in its place, a
    file system without ``flock``) leaves the block unlocked: a write of the record there fails, or is the last to
    win, as on Windows."""
    with contextlib.ExitStack() as stack:
        if create or path.parent.is_dir():
            with contextlib.suppress(OSError):
                stack.enter_context(atomic.locked(path, waiting))
        yield


def owing_line(results_dir: Path, retrain: Retrain, owes: Collection[str]) -> str:
    """The line saying that a retrain which ran to its end leaves the record, and which claims it still owes."""
    many = len(owes) != 1
    return (f"claimbench: --claims-retrain leaves {results_dir / RECORD}: its retrain, begun {retrain.began}, "
            f"still owes {len(owes)} training claim{'s' * many} this session did not select ({', '.join(owes)}); "
            f"the next retrain selecting {'them' if many else 'it'} carries it on and ends it "
            f"(remove the file to train them all again)")


def untrained_line(untrained: Collection[str]) -> str:
    """The line saying which training claims a retrain that ran to its end selected and did not retrain: their
    earlier stored runs, if any, stay the ones a plain run reuses."""
    many = len(untrained) != 1
    return (f"claimbench: --claims-retrain did not retrain {len(untrained)} training claim{'s' * many} it selected "
            f"({', '.join(untrained)}: skipped, such as over the training budget or without its data, or an error "
            f"before its measurement); {'their' if many else 'its'} earlier stored run{'s' * many}, if any, "
            f"{'stay' if many else 'stays'} the one{'s' * many} a plain run reuses")
