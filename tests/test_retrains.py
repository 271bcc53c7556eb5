"""An interrupted ``--claims-retrain`` is carried on by the next one, which keeps the runs it stored: the run store's
record of a retrain in progress (``claimbench.runs.retrains``), and a pytest session that writes and ends it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from small_runs import LINEAR_MODELS, TINY_RECIPE, any_accuracy_claim, write_cifar10

from claimbench import atomic, plugin
from claimbench.runs import retrains

pytest_plugins = ["pytester"]


def test_a_retrain_is_recorded_until_it_ends_and_carried_on_meanwhile(tmp_path: Path) -> None:
    began = retrains.begin(tmp_path / "runs", "first")
    assert not began.carried_on and began.session == "first"
    again = retrains.begin(tmp_path / "runs", "second")
    assert (again.session, again.began, again.carried_on) == ("first", began.began, True)
    retrains.end(tmp_path / "runs", "another retrain")
    assert (tmp_path / "runs" / retrains.RECORD).exists(), "a record another retrain wrote stays"
    retrains.end(tmp_path / "runs", "first")
    assert not (tmp_path / "runs" / retrains.RECORD).exists()
    assert not retrains.begin(tmp_path / "runs", "third").carried_on


@pytest.mark.parametrize("content", ["not json", "[]", '{"session": 1, "began": "today"}', '{"began": "today"}'])
def test_an_unreadable_record_is_replaced(tmp_path: Path, content: str) -> None:
    (tmp_path / retrains.RECORD).write_text(content)
    assert retrains.begin(tmp_path, "mine") == retrains.Retrain("mine", retrains.begin(tmp_path, "x").began, False)


def test_a_record_that_cannot_be_written_leaves_the_retrain_its_own(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where the run store should be")
    assert retrains.begin(tmp_path / "file", "mine").session == "mine"


def test_a_retrain_still_running_beside_is_joined_and_its_record_left_to_it(tmp_path: Path) -> None:
    """Two retrains at once on one run store share their runs; the one that joined does not end the other's."""
    beside = subprocess.Popen(["sleep", "60"])
    record = tmp_path / retrains.RECORD
    record.write_text(json.dumps({"session": "first", "began": "today", "host": atomic.this_host(),
                                  "pid": beside.pid}))
    try:
        joined = retrains.begin(tmp_path, "second")
        assert joined.session == "first" and joined.running
        assert "joins the retrain begun today by a session still running" in joined.carried_on_line(tmp_path)
        retrains.end(tmp_path, "first")
        assert record.exists(), "its own session ends it"
    finally:
        beside.kill()
        beside.wait()
    assert not retrains.begin(tmp_path, "third").running, "its session is gone: it was interrupted"
    retrains.end(tmp_path, "first")
    assert not record.exists()


def test_a_retrain_that_joined_keeps_the_record_after_the_first_ended(tmp_path: Path) -> None:
    """The session that joined adds its process to the record: the first one's end leaves it while the joined one
    still runs (an interruption of that one keeps its runs), and the last one's end removes it."""
    first = subprocess.Popen(["sleep", "60"])
    record = tmp_path / retrains.RECORD
    record.write_text(json.dumps({"session": "first", "began": "today", "host": atomic.this_host(),
                                  "pid": first.pid}))
    try:
        assert retrains.begin(tmp_path, "second").running
    finally:
        first.kill()
        first.wait()
    assert json.loads(record.read_text())["joined"] == [{"host": atomic.this_host(), "pid": os.getpid()}]
    joined = subprocess.Popen(["sleep", "60"])
    try:
        record.write_text(json.dumps({"session": "first", "began": "today", "host": atomic.this_host(),
                                      "pid": os.getpid(), "joined": [{"host": atomic.this_host(), "pid": joined.pid}]}))
        retrains.end(tmp_path, "first")
        assert record.exists(), "the session that joined still runs"
    finally:
        joined.kill()
        joined.wait()
    retrains.end(tmp_path, "first")
    assert not record.exists()


EXIT = pytest.ExitCode


@pytest.mark.parametrize(("exitstatus", "stopped", "crashed", "collect_only", "ended"), [
    (EXIT.OK, False, False, False, True), (EXIT.TESTS_FAILED, False, False, False, True),
    (EXIT.TESTS_FAILED, True, False, False, False), (EXIT.TESTS_FAILED, False, True, False, False),
    (EXIT.INTERRUPTED, False, False, False, False), (EXIT.NO_TESTS_COLLECTED, False, False, False, False),
    (EXIT.USAGE_ERROR, False, False, False, False), (EXIT.OK, False, False, True, False)])
def test_a_retrain_ends_only_where_its_session_ran_every_test_it_selected(
        exitstatus: pytest.ExitCode, stopped: bool, crashed: bool, collect_only: bool, ended: bool) -> None:
    """-x or --maxfail (stopped), a worker that died, Ctrl-C, no test to run (a -k that matches nothing), a usage
    error or --co leave the retrain to be carried on."""
    session = SimpleNamespace(exitstatus=exitstatus, shouldfail=False, shouldstop="-x" if stopped else False,
                              config=SimpleNamespace(option=SimpleNamespace(collectonly=collect_only)))
    assert plugin._ran_to_its_end(session, crashed) is ended  # type: ignore[arg-type]


LEDGER = '''
format = 2

[report]
title = "Two runs"
modules = ["linearmodels"]
''' + TINY_RECIPE + '''
[recipe.other]
extends = "tiny"
lr = 0.02
''' + any_accuracy_claim("accuracy/first", "small.linear", "tiny", "the run a Ctrl-C follows") + any_accuracy_claim(
    "accuracy/second", "small.linear", "other", "the run the Ctrl-C kept from training")

CTRL_C_AFTER_FIRST = '''
def pytest_runtest_teardown(item):
    if "first" in item.name:
        raise KeyboardInterrupt
'''


def _sessions(runs: Path) -> dict[str, str]:
    """The session that stored each claim's run, by the recipe's learning rate."""
    found = [json.loads(path.read_text()) for path in runs.rglob("*.json")]
    return {str(record["recipe"]["lr"]): record["session"] for record in found if "history" in record}


def test_the_next_retrain_carries_on_an_interrupted_one(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """A Ctrl-C after the first claim's run keeps the record; the next retrain says it carries that one on, trains
    only the second claim's run and, having run to its end, removes the record; the one after trains both."""
    pytester.makeini("[pytest]\nclaims_dir = claims\nclaims_train_device = cpu\nclaims_results_dir = runs\n"
                     "claims_allow_unverified_data = true\n")
    (pytester.path / "claims").mkdir()
    (pytester.path / "claims" / "two.toml").write_text(LEDGER, encoding="utf-8")
    (pytester.path / "linearmodels.py").write_text(LINEAR_MODELS, encoding="utf-8")
    data = write_cifar10(tmp_path / "synthetic", per_batch=10, test=20)
    record = pytester.path / "runs" / retrains.RECORD
    conftest = pytester.makeconftest(CTRL_C_AFTER_FIRST)

    interrupted = pytester.runpytest_subprocess(f"--claims-data-root={data}", "--claims-retrain", "-p", "no:xdist")
    assert interrupted.ret == pytest.ExitCode.INTERRUPTED and record.exists()
    first = _sessions(pytester.path / "runs")
    assert list(first) == ["0.01"]

    conftest.unlink()
    carried_on = pytester.runpytest_subprocess(f"--claims-data-root={data}", "--claims-retrain", "-p", "no:xdist")
    assert carried_on.ret == pytest.ExitCode.OK, carried_on.stdout.str()
    carried_on.stdout.fnmatch_lines(["claimbench: --claims-retrain carries on the retrain begun *, which was "
                                     "interrupted: the runs it stored are kept (remove *retrain-in-progress.json "
                                     "to train them again too)"])
    second = _sessions(pytester.path / "runs")
    assert second["0.01"] == first["0.01"] != second["0.02"] and not record.exists()

    anew = pytester.runpytest_subprocess(f"--claims-data-root={data}", "--claims-retrain", "-p", "no:xdist")
    assert anew.ret == pytest.ExitCode.OK and "carries on" not in anew.stdout.str() and not record.exists()
    third = _sessions(pytester.path / "runs")
    assert third["0.01"] == third["0.02"] != second["0.02"]
