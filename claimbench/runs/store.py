"""The run store: each training run once, as a JSON record under the results directory, written atomically.

A run is keyed by everything that makes it another run (``path_for``), so every claim naming it shares it.
A stored run is reused unless the session retrains. It carries the SHA-256 of its own content (``DIGEST``), and a
run without it or whose content no longer matches it, that is not JSON, or whose fields are missing or of the wrong
type (``Stored``) is corrupt: set aside under a name that says so, and trained again. A run or checkpoint this
process cannot read (another user's file, an I/O error) is not: the claim is an ``error`` naming it, and it is
left as it is. A run carries its content's HMAC under this user's signing key too (``SIGNATURE``, ``signing``): a
sound run without it or signed by another key (committed in a repository's ``runs/``, copied from another machine)
was not measured here, and is set aside as ``unsigned`` and trained again; a checkpoint whose note is not signed so
is never resumed. It also carries the file name it was written under (``STORED_AS``), which encodes its key: a run
read under another name (a file copied over another run's) is another run's, and one without that name (written by
an older claimbench) cannot be told to be this file's; both are set aside and trained again too. A checkpoint's
note carries the name too, and one signed for another name is set aside as another run's the same way. Its files' names
are ones Windows allows too (``names.portable``); a run stored under its name as built before
(``torchvision:resnet18-...``, which ``STORED_AS`` then holds) is moved to its portable name and reused. A corrupt
record of a failure is set aside too. An interrupted run's checkpoint records how the run began
(``checkpoint_note``), so that a later session resumes it as it began (``resumable``); a finished run's checkpoint
left by a kill as its record was stored is removed once a plain run reads it (``tidy_finished``).
A cluster's worker trains and stores a run under its lock as one machine does (``locked``); a run that failed
there is stored by the driver as its reason (``write_failure``), which its claims then raise.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import hashlib
import hmac
import inspect
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import torch
from pydantic import BaseModel, ConfigDict

from claimbench import atomic, batchnorm, data, errors, model_code, precision, registry, train, transforms
from claimbench.history import History
from claimbench.ledger import Claim, Recipe
from claimbench.runs import names, signing, splits
from claimbench.runs.settings import Settings, say

__all__ = ["DIGEST", "ENGINE", "SIGNATURE", "STORED_AS", "Resumable", "Stored", "architecture", "checkpoint_note",
           "content", "engine", "held", "locked", "path_for", "raise_failure", "read", "resumable", "set_aside",
           "set_aside_checkpoint_not_ours", "tidy_finished", "unwritable", "write", "write_failure"]


ENGINE = (train, transforms, batchnorm, data, splits)
"""The modules whose code decides what a run computes: an edited engine is another run."""
DIGEST = "record_sha256"
"""The stored run's field holding the SHA-256 of the rest of it, as canonical JSON (sorted keys, no spaces)."""
SIGNATURE = "record_hmac"
"""The stored run's field holding the HMAC-SHA256 of the same JSON under this user's signing key (``signing``)."""
STORED_AS = "stored_as"
"""The stored run's field holding the file name it was written under (``path_for``), which encodes its key."""


@functools.cache
def architecture(reference: str) -> str:
    """A digest of the model a reference builds: its module tree, its initial parameters and buffers (built on the
    CPU from seed 0, so that an edited initialisation is another model), its code as its records name it
    (``model_code.digest``: its builder's whole package, so that an edited helper a ``forward`` calls is another
    model), and the source of its builder and of each ``forward`` defined outside torch (a block of another
    package)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = registry.get_model(reference)
        size = registry.input_size(reference)
        if size is not None and any(map(torch.nn.parameter.is_lazy, model.parameters())):
            with torch.no_grad():  # lazy modules take their shapes, and initial values, from a first forward
                model.eval()(torch.zeros(1, *size))
    digest = hashlib.sha256(repr(model).encode())
    for name, tensor in model.state_dict().items():
        if torch.nn.parameter.is_lazy(tensor):  # no input size to shape it with: its module's repr stands for it
            digest.update(f"{name} lazy".encode())
            continue
        digest.update(f"{name} {tuple(tensor.shape)} {tensor.dtype}".encode())
        digest.update(train.tensor_bytes(tensor))
    with contextlib.suppress(OSError, TypeError):  # no source file to read (a C builtin, an interactive session)
        digest.update(model_code.digest(reference).encode())
    own = dict.fromkeys(type(m).forward for m in model.modules() if not type(m).__module__.startswith("torch."))
    for code in (registry.resolve(reference), *own):
        with contextlib.suppress(OSError, TypeError):  # no source to read (a C builtin, an interactive session)
            digest.update(inspect.getsource(code).encode())
    return digest.hexdigest()[:12]


@functools.cache
def engine() -> str:
    """A digest of the training engine's source (``ENGINE``)."""
    return hashlib.sha256("\n".join(inspect.getsource(module) for module in ENGINE).encode()).hexdigest()[:12]


def path_for(claim: Claim, recipe: Recipe, seed: int, settings: Settings, identity: dict[str, Any]) -> Path:
    """Where the run of (model and its architecture, the engine's code, dataset, its content and verification,
    recipe, seed, device type, precision asked, ``torch.compile`` when on) is stored; shared by its claims. An
    edited model or engine, other or unverified data, or another ``--claims-train-precision`` is another run: a run
    that ``auto`` trained in bf16 never answers for fp32. So is a run under ``--claims-train-compile``, whose
    kernels may compute other numbers; the key names compile only when it is on, so a run without it keeps the key
    it was stored under before compile was part of it. The file is named by the key as a name Windows allows too
    (``names.portable``: ``torchvision~resnet18-...``); the files of the run an older claimbench stored under the
    name as built (``torchvision:resnet18-...``) are moved to it first (``_adopt``), so that the run is reused."""
    key = {"model": claim.model, "architecture": architecture(claim.model), "engine": engine(),
           "dataset": claim.dataset, "data": identity, "recipe": recipe.keyed(), "seed": seed,
           "device": torch.device(settings.device).type, "precision": settings.precision}
    if settings.compile:
        key["compile"] = True
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]
    built = f"{claim.model}-{claim.dataset}-seed{seed}-{key['device']}-{digest}.json"
    path = settings.results_dir / names.portable(built)
    _adopt(settings.results_dir / built, path)
    return path


_FAMILY = (".session", ".ckpt", ".failed", ".json")
"""The files of a run beside its ``<run>.json``, which ``_adopt`` moves: the record last."""


def _adopt(former: Path, path: Path) -> None:
    """Move the files of the run stored at ``former`` (its name as an older claimbench built it, unportable) to
    ``path``'s names, under the run's lock; a file already at a name of ``path`` stays, and so does its former one."""
    if former == path or not any(former.with_suffix(suffix).exists() for suffix in _FAMILY):
        return
    with locked(path):
        for suffix in _FAMILY:
            names.move(former.with_suffix(suffix), path.with_suffix(suffix))


@contextlib.contextmanager
def locked(path: Path, waiting: Callable[[str], None] | None = None) -> Iterator[bool]:
    """Hold an exclusive lock on the file ``<run>.lock`` beside ``path``, so that parallel workers train one run
    once; a lock another process holds is said to ``waiting`` before the wait (``atomic.flock``), and the block is
    given whether it waited. A lock this process cannot open as a file or cannot lock (a folder, a FIFO, a symbolic
    link, which is never followed, no permission, a file system without ``flock``) is an
    ``errors.MeasurementError`` naming it and what to do, so the claim is an ``error``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_suffix(".lock")
    try:  # without waiting: to open a FIFO for writing alone waits for a reader
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:  # a symlink is never followed: it would create the file it names, anywhere
        raise _unusable(lock, "a symbolic link" if error.errno == errno.ELOOP else error) from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _unusable(lock, "not a regular file")
        try:  # waits for another worker's lock, O_NONBLOCK or not
            waited = atomic.flock(descriptor, lock, "this run (training or storing it)", waiting)
        except OSError as error:
            raise _unusable(lock, error) from None
        yield waited
    finally:
        os.close(descriptor)  # releases the lock


def held(path: Path) -> bool:
    """Whether another process holds the lock of the run stored at ``path`` now (training it): this session will
    wait for that run, not train it. A lock that cannot be read or locked is not held; ``locked`` says what it is."""
    try:
        descriptor = os.open(path.with_suffix(".lock"), os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:  # none yet, or unusable
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return False


def _unusable(lock: Path, why: OSError | str) -> errors.MeasurementError:
    """The one-line error of a run's lock that cannot be used, and what to do."""
    return errors.MeasurementError(atomic.cannot_lock(lock, "the training run", why, "remove what is there "
                                                      "(claimbench creates an empty file) or give another "
                                                      "--claims-results-dir"))


def unwritable(path: Path, error: OSError, what: str = "the training run") -> errors.MeasurementError:
    """The one-line error of a file of the run store that cannot be written (a full disk, a file where a folder
    should be), naming it (the file ``error`` names, else ``path``) and what to do."""
    why = error.strerror or type(error).__name__
    return errors.MeasurementError(f"{error.filename or path}: cannot write {what} ({why}); free space there or "
                                   "remove what is in the way, or give another --claims-results-dir")


def set_aside(path: Path, reason: str, settings: Settings, *, label: str = "corrupt",
              then: str = "it is not used") -> None:
    """Rename a file this run cannot use to the first free ``<name>.<label>-<n>`` (``atomic.set_aside``) and say so,
    and what happens ``then`` (a warning and a progress line). A stored run's says no more than that it is not used:
    whether the claim trains instead is decided later (``--claims-train-budget``)."""
    try:
        aside = atomic.set_aside(path, label)
    except FileNotFoundError:  # another worker set it aside first
        return
    message = f"{path}: {reason}; set aside as {aside.name}: {then}"
    errors.warn(message, path)
    say(settings, message)


def _stored_digest(path: Path) -> str | None:
    """The SHA-256 of the stored run's file, None when there is none (or no regular file: no run)."""
    try:
        return hashlib.sha256(atomic.read_regular(path)).hexdigest()
    except (FileNotFoundError, atomic.NotRegularFile):
        return None


def checkpoint_note(path: Path, found: precision.Probe, settings: Settings) -> dict[str, Any]:
    """What the checkpoint of the run stored at ``path`` records beside its state: the probe the run began with
    (its precision, thread count and timings), and for a retrain the stored run it replaces (None: none)."""
    note: dict[str, Any] = {"probe": found.to_state(), STORED_AS: path.name}
    if settings.retrain:
        note["retrain_of"] = _stored_digest(path)
    return {**note, SIGNATURE: signing.sign(_note_content(path.name, note))}


def _signed_note(path: Path, note: Any) -> bool:
    """Whether a checkpoint's note carries this user's signature of the run's file name it was written for (its
    ``STORED_AS``; an older claimbench's note has none: ``path``'s) and its other fields."""
    if not isinstance(note, dict):
        return False
    name = note.get(STORED_AS, path.name)
    return isinstance(name, str) and signing.signed(_note_content(name, note), note.get(SIGNATURE))


def _checkpoint_fault(path: Path, note: Any) -> tuple[str, str] | None:
    """Why the checkpoint of a run stored at ``path`` with ``note`` is not resumed, as the label it is set aside under
    and the reason: not this user's (``_signed_note``), or written for another run's file (``_foreign``, as a stored
    run's). None when it is this run's."""
    if not _signed_note(path, note):
        return "unsigned", signing.not_signed("checkpoint")
    foreign = _foreign(note, path, "checkpoint") if STORED_AS in note else None
    return ("other-run", foreign) if foreign is not None else None


def set_aside_checkpoint_not_ours(path: Path, settings: Settings) -> None:
    """Set aside the checkpoint beside ``path`` where it loads but its note is not this user's (another machine's,
    a repository's, an older claimbench's) or is another run's (a file copied over this run's), so that the run
    trains from epoch 1 instead of resuming it (``_checkpoint_fault``); a corrupt one is left for training to set
    aside."""
    checkpoint = path.with_suffix(".ckpt")
    if not checkpoint.exists():
        return
    try:
        note = train.saved(checkpoint).note
    except train.CorruptCheckpoint:
        return
    fault = _checkpoint_fault(path, note)
    if fault is not None:
        set_aside(checkpoint, fault[1], settings, label=fault[0], then="training from epoch 1")


def tidy_finished(path: Path) -> int | None:
    """Beside the run stored at ``path``, which a plain run has read (so finished), remove what its session left when
    killed as it stored it, which no later write would: its checkpoint and the temporary files of its files. A
    checkpoint of an unfinished retrain of this stored run (its note's ``retrain_of``) is kept, for
    ``--claims-retrain`` to carry on: the epochs it holds are returned (None: none), and so is one not this user's
    or not readable (left as it is). Under the run's lock: nobody writes these files meanwhile."""
    checkpoint = path.with_suffix(".ckpt")
    for temporary in (*atomic.temporary_files(path), *atomic.temporary_files(path.with_suffix(".session")),
                      *atomic.temporary_files(checkpoint)):
        temporary.unlink(missing_ok=True)
    if not checkpoint.exists():
        return None
    try:
        saved = train.saved(checkpoint)
    except (train.CorruptCheckpoint, errors.MeasurementError):
        return None
    if _checkpoint_fault(path, saved.note) is not None:
        return None
    if "retrain_of" in saved.note and saved.note["retrain_of"] == _stored_digest(path):
        return saved.epochs
    checkpoint.unlink(missing_ok=True)
    return None


def _note_content(name: str, note: dict[str, Any]) -> bytes:
    """What a checkpoint's note signs: the run's file name it was written for (its key) and the note's other
    fields."""
    body = {key: value for key, value in note.items() if key != SIGNATURE}
    return json.dumps([name, body], sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Resumable:
    """A checkpoint the session resumes: the epochs its run finished, the probe the run began with, and the wall
    seconds the sessions before spent on it."""

    epochs: int
    found: precision.Probe
    wall_seconds: float


def resumable(path: Path, claim: Claim, seed: int, settings: Settings, train_images: int) -> Resumable | None:
    """The checkpoint beside ``path`` when the run resumes it: readable, of this run, signed with this user's key
    (its note's ``SIGNATURE``: a checkpoint another machine or a repository left is never resumed), in a precision
    the session allows (under ``auto`` the one the run began with, whatever a probe would choose now), with the
    note its run began with, and under ``--claims-retrain`` begun by a retrain while the run stored now (or none)
    was stored. None otherwise, and nothing is set aside here: the run starts afresh, setting aside a corrupt
    checkpoint, an unsigned one or one of another run when it trains, and a retrain removes it. A checkpoint this
    process cannot read is an ``errors.MeasurementError`` naming it (``train.saved``)."""
    checkpoint = path.with_suffix(".ckpt")
    if not checkpoint.exists():
        return None
    try:
        saved = train.saved(checkpoint)
        found = precision.Probe.from_state(saved.note["probe"])
        if _checkpoint_fault(path, saved.note) is not None:
            return None
    except (train.CorruptCheckpoint, KeyError, TypeError, ValueError):
        return None
    if settings.precision not in ("auto", found.chosen):
        return None
    expected = train.fingerprint(claim.model, claim.recipe, seed, torch.device(settings.device), train_images,
                                 found.accel())
    if saved.fingerprint != expected:
        return None
    if settings.retrain and ("retrain_of" not in saved.note or saved.note["retrain_of"] != _stored_digest(path)):
        return None
    return Resumable(epochs=saved.epochs, found=found, wall_seconds=saved.wall_seconds)


_MARKER_BYTES = 4096
"""The most bytes a session marker is read to: a session's name or its retrain's is far shorter."""


def _marker(path: Path, settings: Settings) -> bytes:
    """What the marker beside the run stored at ``path`` holds: the session, or the retrain it carries on, that
    stored it, and this user's signature of that and the run's name, so that a marker planted beside a run of an
    earlier session never makes a retrain take that run for its own."""
    signature = signing.sign(f"{path.name}\n{settings.marker}".encode())
    return f"{settings.marker}\n{signature}".encode()


def _trained_this_session(path: Path, settings: Settings) -> bool:
    """Whether this session, or the interrupted retrain it carries on, wrote the run (the marker beside it)."""
    try:  # bytes: any file compares
        found = atomic.read_regular(path.with_suffix(".session"), _MARKER_BYTES)
    except (FileNotFoundError, atomic.NotRegularFile):
        return False
    return hmac.compare_digest(found, _marker(path, settings))


class _Environment(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")
    device: str | None = None


class _Accel(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")
    autocast: str | None = None


class Stored(BaseModel):
    """The fields of a stored run that its claims read, and their types (its history's as ``History`` declares
    them); the run's other fields are kept as they are."""

    model_config = ConfigDict(strict=True, extra="allow")
    history: History
    verified_data: bool
    session: str | None = None
    environment: _Environment = _Environment()
    accel: _Accel = _Accel()
    threads: int | None = None
    began_with_threads: int | None = None


def content(record: dict[str, Any]) -> bytes:
    """A record's canonical JSON (sorted keys, no spaces) without its ``DIGEST`` and ``SIGNATURE`` fields: what they
    hash and sign (a stored run's, a numerics decision's)."""
    body = {key: value for key, value in record.items() if key not in (DIGEST, SIGNATURE)}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def _content_digest(record: dict[str, Any]) -> str:
    """The SHA-256 of a stored run's ``content``."""
    return hashlib.sha256(content(record)).hexdigest()


def _fault(record: Any) -> str | None:
    """What is wrong with a parsed stored run, in one line; None when nothing is."""
    if not isinstance(record, dict):
        return f"a JSON {type(record).__name__}, not an object"
    if DIGEST not in record:  # every claimbench that can find a run at its path wrote the digest
        return f"it has no {DIGEST}"
    if record[DIGEST] != _content_digest(record):
        return f"its content does not match its {DIGEST}"
    try:
        Stored.model_validate(record)
    except pydantic.ValidationError as invalid:
        first = invalid.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the record"
        return f"{where}: {first['msg']}" + (f" ({invalid.error_count()} errors)" if invalid.error_count() > 1 else "")
    return None


def read(path: Path, settings: Settings) -> dict[str, Any] | None:
    """The stored run, unless missing, corrupt, unsigned or another run's (then set aside) or, with
    ``--claims-retrain``, written before this session (then not read at all). Corrupt: not JSON, without its
    ``DIGEST`` or altered since it was written (the ``DIGEST`` does not match), or a field its claims read missing or
    of the wrong type (``Stored``), or no regular file of a record's size (``atomic.read_regular``: a FIFO, a
    symlink). Unsigned: without this user's ``SIGNATURE`` (``signing``). Another run's: written under another file
    name than ``path``'s, or without one (``STORED_AS``).
    A file this process cannot read (another user's, an I/O error) is an ``errors.MeasurementError`` naming it, and
    is left as it is: that says nothing of its content."""
    if settings.retrain and not _trained_this_session(path, settings) or not path.exists():
        return None
    try:
        record = json.loads(atomic.read_regular(path).decode("utf-8"))
    except FileNotFoundError:  # set aside by another worker since the check above
        return None
    except OSError as error:  # ours to fail on (no permission, an I/O error), not a fault of what it holds
        raise errors.MeasurementError(f"{path}: cannot read the training run ({error.strerror or error}); left as "
                                      "it is: make it readable, or delete it to train it again") from None
    except ValueError as error:  # not JSON, or not a regular file (a FIFO, a symlink, a huge file)
        set_aside(path, f"corrupt stored run ({type(error).__name__}: {error})", settings)
        return None
    fault = _fault(record)
    if fault is not None:
        set_aside(path, f"corrupt stored run ({fault})", settings)
        return None
    if not signing.signed(content(record), record.get(SIGNATURE)):
        set_aside(path, signing.not_signed("stored run"), settings, label="unsigned")
        return None
    foreign = _foreign(record, path, "stored run")
    if foreign is not None:
        set_aside(path, foreign, settings, label="other-run")
        return None
    return record


def _foreign(record: dict[str, Any], path: Path, what: str) -> str | None:
    """Why a sound stored run or checkpoint note (``what``) is not of the run the file name ``path`` keys, in one
    line; None when it is."""
    written = record.get(STORED_AS)
    if written is None:
        return (f"a {what} without its {STORED_AS} (written by an older claimbench): it cannot be told to be "
                "the run this file name keys")
    if not isinstance(written, str) or names.portable(written) != path.name:  # as built before names were portable
        return f"another run's {what} (written as {written})"
    return None


def write(path: Path, record: dict[str, Any], settings: Settings) -> None:
    """Write the run's record, with the file name it is written under (``STORED_AS``), its ``DIGEST`` and its
    ``SIGNATURE``, and this session's marker atomically; remove its checkpoint, the temporary files a killed writer
    left beside it, and a failure this or an earlier session recorded. A write that fails is ``unwritable``, and
    leaves the checkpoint."""
    body = json.loads(json.dumps({**{key: value for key, value in record.items() if key not in (DIGEST, SIGNATURE)},
                                  STORED_AS: path.name}))  # as read back
    try:
        signature = signing.sign(content(body))
        atomic.write_text(path, json.dumps({**body, DIGEST: _content_digest(body), SIGNATURE: signature}, indent=1))
        atomic.write_bytes(path.with_suffix(".session"), _marker(path, settings))
    except OSError as error:
        raise unwritable(path, error) from None
    checkpoint = path.with_suffix(".ckpt")
    for leftover in (checkpoint, path.with_suffix(".failed"), *atomic.temporary_files(checkpoint)):
        leftover.unlink(missing_ok=True)


def write_failure(path: Path, reason: str, settings: Settings) -> None:
    """Record that the run failed in this session, with its one-line reason (``raise_failure`` raises it)."""
    atomic.write_text(path.with_suffix(".failed"), json.dumps({"session": settings.session, "reason": reason}))


def raise_failure(path: Path, settings: Settings) -> None:
    """``errors.MeasurementError`` with the reason when this session recorded the run as failed; a corrupt record
    of a failure is set aside, and the run is read or trained as if it had none."""
    failed = path.with_suffix(".failed")
    if not failed.exists():
        return
    try:
        note = json.loads(atomic.read_regular(failed).decode("utf-8"))
        session, reason = note["session"], note["reason"]
        if not isinstance(session, str) or not isinstance(reason, str):
            raise TypeError("its session and reason are not strings")
    except FileNotFoundError:  # set aside or replaced by another worker since the check above
        return
    except (OSError, ValueError, KeyError, TypeError) as error:
        set_aside(failed, f"corrupt record of a failed run ({type(error).__name__}: {error})", settings,
                  then="reading or training the run as if it had not failed")
        return
    if session == settings.session:
        raise errors.MeasurementError(reason)
