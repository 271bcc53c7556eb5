"""Atomic writes: a failed or killed write leaves the previous complete file, never a part of the new one."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimbench import atomic


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
