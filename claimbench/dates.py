"""The date a report, a run's record or a numerics decision is stamped with: UTC's, or ``SOURCE_DATE_EPOCH``'s.

Torch-free and free of claimbench's imports. The local date would make the files depend on the machine's time zone
(``TZ``); ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention: whole seconds since 1970-01-01 UTC) pins it, so
that two runs on different days write the same date.
"""

from __future__ import annotations

import datetime
import os

__all__ = ["SOURCE_DATE_EPOCH", "today"]

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
"""The environment variable that fixes the date (https://reproducible-builds.org/specs/source-date-epoch/)."""


def today() -> str:
    """Today's date in UTC as ISO 8601 (``2024-05-01``), or ``SOURCE_DATE_EPOCH``'s where it is set and not empty; a
    value that is not a whole number of seconds is a ``ValueError`` naming the variable and the value."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "")
    if not epoch:
        return datetime.datetime.now(datetime.UTC).date().isoformat()
    if not epoch.strip().isdigit():
        raise ValueError(f"${SOURCE_DATE_EPOCH}: {epoch!r} is not a whole number of seconds since 1970-01-01 UTC")
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
