"""The source distribution: what its own test suite reads travels in it."""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LEFT_OUT = (".ci/", ".github/", ".gitignore", "badges/", "plots/")
"""Tracked files the sdist leaves out: CI's own, and the images a report run draws again."""


def _tracked() -> list[str]:
    if not (REPO / ".git").exists() or not shutil.which("git"):
        pytest.skip("not a git checkout (an unpacked sdist): its tracked files are unknown")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_the_sdist_holds_every_tracked_file_its_tests_read(tmp_path: Path) -> None:
    """Built from a copy of the tracked files (so no build output lands in this checkout), the sdist holds them all
    but CI's and the drawn badges and plots: REPORT.md and results/claims.json, which tests read, and docs/, which
    the README links to and a test follows, included; its long description, the page PyPI shows, is docs/pypi.md."""
    source = tmp_path / "source"
    tracked = _tracked()
    for name in tracked:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    built = subprocess.run(
        [sys.executable, "-c", "import setuptools.build_meta as b, sys; print(b.build_sdist(sys.argv[1]))",
         str(tmp_path / "dist")], cwd=source, capture_output=True, text=True, check=True).stdout.split()[-1]
    with tarfile.open(tmp_path / "dist" / built) as sdist:
        packed = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
        pkg_info = sdist.extractfile(f"{built.removesuffix('.tar.gz')}/PKG-INFO").read().decode()
    missing = [name for name in tracked if name not in packed and not name.startswith(LEFT_OUT)]
    assert missing == [], f"MANIFEST.in leaves out {missing}"
    assert {"REPORT.md", "results/claims.json", "docs/verdicts.md", "docs/report.md", "docs/draft.md", "docs/source.md",
            "docs/models.md", "docs/collection.md", "docs/review.md", "docs/options.md", "docs/commands.md",
            "docs/pypi.md"} <= packed
    metadata = email.message_from_string(pkg_info)
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().strip() == (REPO / "docs" / "pypi.md").read_text(encoding="utf-8").strip(), (
        "the sdist's long description (PyPI's page) is not docs/pypi.md")
