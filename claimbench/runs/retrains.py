"""The record of a ``--claims-retrain`` in progress, so that the next retrain keeps the runs an interrupted one stored.

A retrain reads only the stored runs its own retrain wrote (the marker beside each names it). A retrain cut short
(Ctrl-C, ``-x``, a killed process) leaves ``retrain-in-progress.json`` in the run store, naming the session that began
it; the next retrain carries that one on, reading the runs it stored as its own, and a retrain that runs to its end
removes the record. A retrain begun beside a running one joins it, adding its process to the record, which stays
until the last of them has run to its end.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimbench import atomic

__all__ = ["RECORD", "Retrain", "begin", "end"]

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
        note = json.loads(path.read_text(encoding="utf-8"))
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


def begin(results_dir: Path, session: str) -> Retrain:
    """The retrain a session retraining in ``results_dir`` carries on: the interrupted one its record names, or the
    one still running beside it, which it joins, adding itself to the record; else one it begins, writing the record.
    An unreadable record is replaced: its runs are trained again. A record that cannot be written leaves the retrain
    unrecorded (the run store's own writes then fail, each in its claim's line)."""
    path = results_dir / RECORD
    note = _record(path)
    if note is not None:
        running = _running_beside(note)
        if running:  # the record outlives the session begun first, while this one still runs
            with contextlib.suppress(OSError):
                atomic.write_text(path, json.dumps({**note, "joined": [*_joined(note), _this_process()]}))
        return Retrain(note["session"], note["began"], carried_on=True, running=running)
    began = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, json.dumps({"session": session, "began": began, **_this_process()}))
    return Retrain(session, began, carried_on=False)


def end(results_dir: Path, begun_by: str) -> None:
    """Remove the record of the retrain ``begun_by`` that session, which ran to its end here; a record another
    retrain wrote meanwhile stays, and so does one with a session that still runs beside this one, the one that began
    it or one that joined it (the last to end removes it)."""
    note = _record(results_dir / RECORD)
    if note is not None and note["session"] == begun_by and not _running_beside(note):
        (results_dir / RECORD).unlink(missing_ok=True)
