"""The date files are stamped with: UTC's whatever the time zone, or SOURCE_DATE_EPOCH's."""

from __future__ import annotations

import datetime
import time

import pytest

from claimbench import dates


def _in_zone(zone: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """``dates.today()`` and the local date, with the process in time zone ``zone``."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    return dates.today(), datetime.date.today().isoformat()


def test_the_date_is_utcs_in_any_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """UTC+14 and UTC-12 are 26 hours apart, so their local dates always differ; the stamped date does not."""
    monkeypatch.delenv(dates.SOURCE_DATE_EPOCH, raising=False)
    try:
        east, east_local = _in_zone("Etc/GMT-14", monkeypatch)
        west, west_local = _in_zone("Etc/GMT+12", monkeypatch)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert east_local != west_local
    assert east == west == datetime.datetime.now(datetime.UTC).date().isoformat()


@pytest.mark.parametrize(("epoch", "expected"), [("0", "1970-01-01"), ("1700000000", "2023-11-14"),
                                                 ("1699999199", "2023-11-14"), ("1699919999", "2023-11-13"),
                                                 ("", datetime.datetime.now(datetime.UTC).date().isoformat())])
def test_source_date_epoch_sets_the_date(epoch: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(dates.SOURCE_DATE_EPOCH, epoch)
    assert dates.today() == expected


@pytest.mark.parametrize("epoch", ["yesterday", "-5", "1.5e9"])
def test_a_malformed_source_date_epoch_is_refused(epoch: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(dates.SOURCE_DATE_EPOCH, epoch)
    with pytest.raises(ValueError, match=rf"^\$SOURCE_DATE_EPOCH: '{epoch}' is not a whole number of seconds"):
        dates.today()
