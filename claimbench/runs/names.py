"""The file names of the run store, portable: a name built from a model reference (``torchvision:resnet18``,
``package.module:builder``) is one Windows allows too (``portable``), and a file an older claimbench stored under
the name as built is moved to it (``move``).

Windows forbids ``<>:"/\\|?*`` and the control characters in a file name (NTFS takes ``a:b`` for the stream ``b``
of the file ``a``: a run stored as ``torchvision:resnet18-...`` was no file of the results folder), and a name
whose part before its first dot is a device (``con``, ``nul``, ``aux``, ``com1``...). ``portable`` writes ``:`` as
``~`` and the others as ``_``, and puts ``_`` before a device's name:
``torchvision~resnet18-cifar10-seed0-cuda-<digest>.json``. It is not reversible; the key's digest in the name keeps
two runs apart.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

__all__ = ["move", "portable"]

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
"""The characters Windows forbids in a file name."""
_DEVICE = re.compile(r"(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]) *(\.|$)")
"""A name Windows takes for a device, whatever its extension."""


def portable(name: str) -> str:
    """``name`` as a file name every system allows: ``:`` as ``~``, every other character Windows forbids as
    ``_``, and ``_`` before a name Windows takes for a device. A portable name is its own."""
    name = _FORBIDDEN.sub(lambda found: "~" if found[0] == ":" else "_", name)
    return f"_{name}" if _DEVICE.match(name) else name


def move(former: Path, path: Path) -> None:
    """Move the file ``former`` to ``path`` unless a file is there (then ``former`` is left as it is) or ``former``
    is not (another process moved it first): a link, then an unlink, never replacing ``path``. Where the file
    system links no files, a rename after a check; one that fails too leaves ``former`` (what it held is measured
    again under ``path``)."""
    if former == path:
        return
    try:
        os.link(former, path)
    except (FileNotFoundError, FileExistsError):
        return
    except OSError:  # no hard links here (FAT, some network file systems)
        if not path.exists():
            with contextlib.suppress(OSError):
                former.replace(path)
        return
    former.unlink(missing_ok=True)
