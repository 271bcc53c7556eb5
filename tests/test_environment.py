"""The environment record: which ledger, at which commit, measured with what."""

from __future__ import annotations

import subprocess
from pathlib import Path

from claimbench import environment


def _git(folder: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t", *arguments],
                   check=True, capture_output=True)


def test_the_ledger_is_named_by_its_checkout_and_commit(tmp_path: Path) -> None:
    ledger = tmp_path / "repo" / "claims"
    ledger.mkdir(parents=True)
    assert environment.describe(ledger)["ledger"] == "not in a git checkout"
    _git(tmp_path / "repo", "init", "-q")
    assert environment.describe(ledger)["ledger"] == "repo, no commit yet"
    (ledger / "mine.toml").write_text("format = 2\n", encoding="utf-8")
    _git(tmp_path / "repo", "add", ".")
    _git(tmp_path / "repo", "commit", "-q", "-m", "ledger")
    clean = environment.describe(ledger / "mine.toml")["ledger"]
    assert clean.startswith("repo @ ") and not clean.endswith("+")
    (ledger / "mine.toml").write_text("format = 2\n# edited\n", encoding="utf-8")
    assert environment.describe(ledger)["ledger"] == f"{clean}+"
