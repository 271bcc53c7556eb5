"""The signing key: a stored run, checkpoint, session marker or numerics decision is used only where this user's
signing key signed it.

A stored run's SHA-256 tells a corrupt file, but anyone can compute it: a ``runs/`` folder a repository commits, or
a run copied from another machine, would pass it, and its numbers would be read as measured here. So claimbench
signs what it stores with an HMAC-SHA256 keyed by a secret that never lives in the project: ``CLAIMBENCH_STORE_KEY``
where set (a CI secret, shared by the jobs that share a store), else a random key in the user's state folder
(``$XDG_STATE_HOME/claimbench/store-key``, else ``~/.local/state/claimbench/store-key``), created on first use,
readable by the user alone. Torch-free.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from claimbench import atomic, errors

__all__ = ["ENV", "key", "key_file", "not_signed", "sign", "signed"]

ENV = "CLAIMBENCH_STORE_KEY"
"""The environment variable that gives the key (any text), overriding the key file."""
_KEY_BYTES = 4096
"""The most bytes a key file is read to: the key claimbench writes is 64 hex digits."""


def key_file() -> Path:
    """Where the user's key lives: ``$XDG_STATE_HOME/claimbench/store-key``, else under ``~/.local/state``."""
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "claimbench" / "store-key"


def key() -> str:
    """The key: ``CLAIMBENCH_STORE_KEY`` where set, else the key file's, created on first use;
    ``errors.MeasurementError`` in one line when it can be neither read nor created."""
    return os.environ.get(ENV) or _from_file(key_file())


@functools.cache
def _from_file(path: Path) -> str:
    """The key stored at ``path``, created there (mode 0600) when there is none; of two processes creating it at
    once, both read the one that was linked first."""
    try:
        with contextlib.suppress(FileNotFoundError):
            return _read(path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        staged = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32) + "\n")
            with contextlib.suppress(FileExistsError):  # another process created it first: its key is the key
                os.link(staged, path)
        finally:
            staged.unlink(missing_ok=True)
        return _read(path)
    except (OSError, ValueError) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise errors.MeasurementError(f"{path}: cannot read or create the signing key ({why}); remove a damaged file "
                                      f"there, make its folder writable, or set {ENV}") from None


def _read(path: Path) -> str:
    """The key in the file at ``path``; ``ValueError`` when it holds none."""
    text = atomic.read_regular(path, _KEY_BYTES).decode("ascii", "replace").strip()
    if not text:
        raise ValueError("the file is empty")
    return text


def sign(content: bytes) -> str:
    """The HMAC-SHA256 of ``content`` under the key, in hex."""
    return hmac.new(key().encode(), content, hashlib.sha256).hexdigest()


def signed(content: bytes, signature: object) -> bool:
    """Whether ``signature`` is the key's signature of ``content`` (compared in constant time)."""
    return isinstance(signature, str) and hmac.compare_digest(sign(content), signature)


def not_signed(what: str) -> str:
    """Why a sound ``what`` (a stored run, a checkpoint, a numerics decision) without this user's signature is not
    used, in one line."""
    return (f"a {what} not signed with this user's signing key ({ENV}, else {key_file()}): another user's or "
            "machine's, a repository's, or an older claimbench's, so not measured here")
