"""An interrupted ``--claims-retrain`` is carried on by the next one, which keeps the runs it stored: the run store's
record of a retrain in progress (``claimbench.runs.retrains``), and a pytest session that writes and ends it."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fed_fifo import fed_fifo
from small_runs import LINEAR_MODELS, TINY_RECIPE, any_accuracy_claim, judged_on_small_splits, write_cifar10

from claimbench import atomic, plugin
from claimbench.runs import retrains

pytest_plugins = ["pytester"]


def test_a_retrain_is_recorded_until_it_ends_and_carried_on_meanwhile(tmp_path: Path) -> None:
    began = retrains.begin(tmp_path / "runs", "first", ["a"])
    assert not began.carried_on and began.session == "first"
    again = retrains.begin(tmp_path / "runs", "second", ["a"])
    assert (again.session, again.began, again.carried_on) == ("first", began.began, True)
    assert retrains.end(tmp_path / "runs", "another retrain", ["a"]) == []
    assert (tmp_path / "runs" / retrains.RECORD).exists(), "a record another retrain wrote stays"
    assert retrains.end(tmp_path / "runs", "first", ["a"]) == []
    assert not (tmp_path / "runs" / retrains.RECORD).exists()
    assert not retrains.begin(tmp_path / "runs", "third", ["a"]).carried_on


def test_the_record_owes_what_its_retrains_selected_until_one_runs_it_to_its_end(tmp_path: Path) -> None:
    """A retrain carrying another on adds the claims it selects; one that ends takes off those it selected, and
    the record goes once it owes none."""
    record = tmp_path / retrains.RECORD
    first = retrains.begin(tmp_path, "first", ["a", "b"])
    assert retrains.begin(tmp_path, "second", ["c"]).session == "first"
    assert json.loads(record.read_text())["owes"] == ["a", "b", "c"]
    assert retrains.end(tmp_path, "first", ["a"]) == ["b", "c"] and record.exists()
    assert "still owes 2 training claims this session did not select (b, c); the next retrain selecting them" in (
        retrains.owing_line(tmp_path, first, ["b", "c"]))
    assert retrains.end(tmp_path, "first", ["b", "c", "d"]) == [] and not record.exists()


def test_a_retrain_that_selects_no_training_claim_writes_no_record(tmp_path: Path) -> None:
    """Nothing to owe, nothing to carry on; the claims of a session known once begun (pytest-xdist) write it."""
    retrain = retrains.begin(tmp_path, "mine", [])
    assert not (tmp_path / retrains.RECORD).exists()
    retrains.owe(tmp_path, retrain, [])
    assert not (tmp_path / retrains.RECORD).exists()
    retrains.owe(tmp_path, retrain, ["a"])
    assert retrains.begin(tmp_path, "next", []) == retrains.Retrain("mine", retrain.began, carried_on=True)


def test_the_line_names_the_claims_a_retrain_selected_and_did_not_retrain() -> None:
    """A claim skipped (over the training budget, its data missing) or failing before its measurement keeps its
    earlier run: the retrain says which."""
    assert retrains.untrained_line(["a"]) == (
        "claimbench: --claims-retrain did not retrain 1 training claim it selected (a: skipped, such as over the "
        "training budget or without its data, or an error before its measurement); its earlier stored run, if any, "
        "stays the one a plain run reuses")
    assert "did not retrain 2 training claims it selected (a, b: " in retrains.untrained_line(["a", "b"])


def test_a_record_of_an_earlier_claimbench_owes_no_claim(tmp_path: Path) -> None:
    (tmp_path / retrains.RECORD).write_text(json.dumps({"session": "first", "began": "today"}))
    assert retrains.end(tmp_path, "first", []) == [] and not (tmp_path / retrains.RECORD).exists()


@pytest.mark.parametrize("content", ["not json", "[]", '{"session": 1, "began": "today"}', '{"began": "today"}'])
def test_an_unreadable_record_is_replaced(tmp_path: Path, content: str) -> None:
    (tmp_path / retrains.RECORD).write_text(content)
    began = retrains.begin(tmp_path, "x", []).began
    assert retrains.begin(tmp_path, "mine", ["a"]) == retrains.Retrain("mine", began, False)


def test_a_record_that_cannot_be_written_leaves_the_retrain_its_own(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where the run store should be")
    assert retrains.begin(tmp_path / "file", "mine", ["a"]).session == "mine"


def test_a_retrain_still_running_beside_is_joined_and_its_record_left_to_it(tmp_path: Path) -> None:
    """Two retrains at once on one run store share their runs; the one that joined does not end the other's."""
    beside = subprocess.Popen(["sleep", "60"])
    record = tmp_path / retrains.RECORD
    record.write_text(json.dumps({"session": "first", "began": "today", "host": atomic.this_host(),
                                  "pid": beside.pid}))
    try:
        joined = retrains.begin(tmp_path, "second", [])
        assert joined.session == "first" and joined.running
        assert "joins the retrain begun today by a session still running" in joined.carried_on_line(tmp_path)
        retrains.end(tmp_path, "first", [])
        assert record.exists(), "its own session ends it"
    finally:
        beside.kill()
        beside.wait()
    assert not retrains.begin(tmp_path, "third", []).running, "its session is gone: it was interrupted"
    retrains.end(tmp_path, "first", [])
    assert not record.exists()


def test_a_retrain_that_joined_keeps_the_record_after_the_first_ended(tmp_path: Path) -> None:
    """The session that joined adds its process to the record: the first one's end leaves it while the joined one
    still runs (an interruption of that one keeps its runs), and the last one's end removes it."""
    first = subprocess.Popen(["sleep", "60"])
    record = tmp_path / retrains.RECORD
    record.write_text(json.dumps({"session": "first", "began": "today", "host": atomic.this_host(),
                                  "pid": first.pid}))
    try:
        assert retrains.begin(tmp_path, "second", []).running
    finally:
        first.kill()
        first.wait()
    assert json.loads(record.read_text())["joined"] == [{"host": atomic.this_host(), "pid": os.getpid()}]
    joined = subprocess.Popen(["sleep", "60"])
    try:
        record.write_text(json.dumps({"session": "first", "began": "today", "host": atomic.this_host(),
                                      "pid": os.getpid(), "joined": [{"host": atomic.this_host(), "pid": joined.pid}]}))
        retrains.end(tmp_path, "first", [])
        assert record.exists(), "the session that joined still runs"
    finally:
        joined.kill()
        joined.wait()
    retrains.end(tmp_path, "first", [])
    assert not record.exists()


def test_a_retrain_that_carried_on_an_interrupted_one_keeps_the_record_while_it_runs(tmp_path: Path) -> None:
    """A session carrying on an interrupted retrain adds its process to the record too: another session's end leaves
    the record while it still runs (an interruption of it then keeps its runs)."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    record = tmp_path / retrains.RECORD
    record.write_text(json.dumps({"session": "first", "began": "today", "host": atomic.this_host(),
                                  "pid": gone.pid, "owes": ["r/a"]}))
    assert not retrains.begin(tmp_path, "second", ["r/a"]).running, "its session is gone: it was interrupted"
    assert {"host": atomic.this_host(), "pid": os.getpid()} in json.loads(record.read_text())["joined"]
    beside = subprocess.Popen(["sleep", "60"])  # the carrying session, as another process sees it
    try:
        record.write_text(json.dumps({**json.loads(record.read_text()), "joined": [
            {"host": atomic.this_host(), "pid": beside.pid}]}))
        assert retrains.begin(tmp_path, "third", ["r/a"]).running, "a third session joins the one carrying it on"
        retrains.end(tmp_path, "first", ["r/a"])
        assert record.exists(), "the session that carried it on still runs"
    finally:
        beside.kill()
        beside.wait()
    retrains.end(tmp_path, "first", ["r/a"])
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


def _two_claims_stopped_after_the_first(pytester: pytest.Pytester, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A project of two training claims whose conftest stops the session (Ctrl-C) after the first: the data, the
    retrain record's path and the conftest."""
    pytester.makeini("[pytest]\nclaims_dir = claims\nclaims_train_device = cpu\nclaims_results_dir = runs\n"
                     "claims_allow_unverified_data = true\n")
    (pytester.path / "claims").mkdir()
    (pytester.path / "claims" / "two.toml").write_text(LEDGER, encoding="utf-8")
    (pytester.path / "linearmodels.py").write_text(LINEAR_MODELS, encoding="utf-8")
    data = write_cifar10(tmp_path / "synthetic", per_batch=10, test=20)
    record = pytester.path / "runs" / retrains.RECORD
    conftest = pytester.makeconftest(CTRL_C_AFTER_FIRST)
    return data, record, conftest


def test_the_next_retrain_carries_on_an_interrupted_one(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """A Ctrl-C after the first claim's run keeps the record; the next retrain says it carries that one on, trains
    only the second claim's run and, having run to its end, removes the record; the one after trains both."""
    data, record, conftest = _two_claims_stopped_after_the_first(pytester, tmp_path)

    interrupted = pytester.runpytest_subprocess(f"--claims-data-root={data}", "--claims-retrain", "-p", "no:xdist")
    assert interrupted.ret == pytest.ExitCode.INTERRUPTED and record.exists()
    first = _sessions(pytester.path / "runs")
    assert list(first) == ["0.01"]

    conftest.unlink()
    carried_on = pytester.runpytest_subprocess(f"--claims-data-root={data}", "--claims-retrain", "-p", "no:xdist")
    assert judged_on_small_splits(carried_on), carried_on.stdout.str()
    carried_on.stdout.fnmatch_lines(["claimbench: --claims-retrain carries on the retrain begun *, which was "
                                     "interrupted: the runs it stored are kept (remove *retrain-in-progress.json "
                                     "to train them again too)"])
    second = _sessions(pytester.path / "runs")
    assert second["0.01"] == first["0.01"] != second["0.02"] and not record.exists()

    anew = pytester.runpytest_subprocess(f"--claims-data-root={data}", "--claims-retrain", "-p", "no:xdist")
    assert judged_on_small_splits(anew) and "carries on" not in anew.stdout.str() and not record.exists()
    third = _sessions(pytester.path / "runs")
    assert third["0.01"] == third["0.02"] != second["0.02"]


@pytest.mark.slow
def test_a_narrower_retrain_leaves_the_record_owing_what_it_did_not_select(pytester: pytest.Pytester,
                                                                           tmp_path: Path) -> None:
    """A ``-k`` retrain that carries on an interrupted retrain of both claims runs its one to the end and leaves the
    record, saying what it still owes; a retrain selecting the other one ends it, keeping the interrupted run."""
    data, record, conftest = _two_claims_stopped_after_the_first(pytester, tmp_path)
    retrain = [f"--claims-data-root={data}", "--claims-retrain", "-p", "no:xdist"]
    assert pytester.runpytest_subprocess(*retrain).ret == pytest.ExitCode.INTERRUPTED
    conftest.unlink()
    first = _sessions(pytester.path / "runs")

    narrower = pytester.runpytest_subprocess(*retrain, "-k", "first")
    assert judged_on_small_splits(narrower), narrower.stdout.str()
    narrower.stdout.fnmatch_lines(["claimbench: --claims-retrain leaves *retrain-in-progress.json: its retrain, "
                                   "begun *, still owes 1 training claim this session did not select "
                                   "(two/accuracy/second); the next retrain selecting it carries it on and ends it*"])
    assert record.exists() and _sessions(pytester.path / "runs") == first

    rest = pytester.runpytest_subprocess(*retrain, "-k", "second")
    assert judged_on_small_splits(rest) and "still owes" not in rest.stdout.str() and not record.exists()
    ended = _sessions(pytester.path / "runs")
    assert ended["0.01"] == first["0.01"] != ended["0.02"], "the interrupted retrain's run kept, the other trained"


def _project(pytester: pytest.Pytester) -> Path:
    """The two claims' project; its run store's record of a retrain in progress."""
    pytester.makeini("[pytest]\nclaims_dir = claims\nclaims_train_device = cpu\nclaims_results_dir = runs\n"
                     "claims_allow_unverified_data = true\n")
    (pytester.path / "claims").mkdir()
    (pytester.path / "claims" / "two.toml").write_text(LEDGER, encoding="utf-8")
    (pytester.path / "linearmodels.py").write_text(LINEAR_MODELS, encoding="utf-8")
    return pytester.path / "runs" / retrains.RECORD


@pytest.mark.slow
def test_a_retrain_under_xdist_that_selects_no_training_claim_leaves_the_record_as_it_was(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``-n 2`` and no training claim selected (a ``-k`` that matches nothing, tests outside the ledger), a
    retrain writes no record, and leaves an interrupted one's owing its claims, as without pytest-xdist."""
    pytest.importorskip("xdist")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    record = _project(pytester)
    pytester.makepyfile(test_other="def test_other():\n    pass\n")
    none = pytester.runpytest_subprocess("--claims-retrain", "-n", "2", "-k", "no_such_test")
    assert none.ret == pytest.ExitCode.NO_TESTS_COLLECTED and not record.exists(), none.stdout.str()

    interrupted = {"session": "earlier", "began": "today", "owes": ["two/accuracy/first"]}
    record.parent.mkdir()
    record.write_text(json.dumps(interrupted))
    assert pytester.runpytest_subprocess("--claims-retrain", "-n", "2", "-k", "no_such_test").ret == (
        pytest.ExitCode.NO_TESTS_COLLECTED)
    assert json.loads(record.read_text()) == interrupted
    for parallel in (["-n", "2"], ["-p", "no:xdist"]):  # a run that trains nothing says nothing of the retrain
        other = pytester.runpytest_subprocess("--claims-retrain", *parallel, "test_other.py")
        assert other.ret == pytest.ExitCode.OK and json.loads(record.read_text()) == interrupted, other.stdout.str()
        assert "--claims-retrain" not in other.stdout.str() + other.stderr.str(), parallel


@pytest.mark.slow
def test_a_retrain_whose_xdist_worker_died_leaves_the_record(pytester: pytest.Pytester, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed under a test (its replacement runs the rest to the end) leaves the retrain unfinished."""
    pytest.importorskip("xdist")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    record = _project(pytester)
    pytester.makepyfile(test_crash="import os\n\n\ndef test_crash():\n    os._exit(9)\n")
    data = write_cifar10(tmp_path / "synthetic", per_batch=10, test=20)
    crashed = pytester.runpytest_subprocess(f"--claims-data-root={data}", "--claims-retrain", "-n", "2",
                                            "-k", "first or crash")
    assert crashed.ret == pytest.ExitCode.TESTS_FAILED, crashed.stdout.str()
    crashed.stdout.fnmatch_lines(["*replacing crashed worker*"])
    assert list(_sessions(pytester.path / "runs")) == ["0.01"], "the claim ran to its end"
    assert record.exists() and json.loads(record.read_text())["owes"] == ["two/accuracy/first"]


@pytest.mark.parametrize("why", ["over the training budget", "without its data", "an error before measuring"])
def test_a_retrain_that_does_not_retrain_a_selected_claim_says_so_and_owes_it_not(
        pytester: pytest.Pytester, tmp_path: Path, why: str) -> None:
    """A selected training claim skipped (over ``--claims-train-budget``, its data missing) or erring before its
    measurement keeps its earlier stored run: the retrain says so. It comes off the record, or a claim always over
    the budget would keep every later retrain carrying this one on, reusing what it stored; the claim an interrupted
    retrain owes that this one did not select stays owed."""
    record = _project(pytester)
    record.parent.mkdir()
    record.write_text(json.dumps({"session": "earlier", "began": "today", "owes": ["two/accuracy/second"]}))
    data = f"--claims-data-root={write_cifar10(tmp_path / 'synthetic', per_batch=10, test=20)}"
    given = {"over the training budget": [data, "--claims-train-budget=0.000001"], "without its data": [],
             "an error before measuring": [data, "-o", "claims_allow_unverified_data=false"]}[why]
    result = pytester.runpytest_subprocess("--claims-retrain", "-p", "no:xdist", "-k", "first", *given)
    assert result.ret == (pytest.ExitCode.TESTS_FAILED if "error" in why else pytest.ExitCode.OK), result.stdout.str()
    assert json.loads(record.read_text())["owes"] == ["two/accuracy/second"]
    result.stdout.fnmatch_lines(["claimbench: --claims-retrain did not retrain 1 training claim it selected "
                                 "(two/accuracy/first: skipped, *",
                                 "claimbench: --claims-retrain leaves *: its retrain, begun today, still owes 1 "
                                 "training claim this session did not select (two/accuracy/second)*"])


def test_two_sessions_owing_at_once_lose_neither_claim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sessions (or a controller and a session beside it) adding claims to one record at once: the second waits
    for the first one's read and write, so neither's claims are lost. The first pauses between its read and its
    write until the second has written or waits for it."""
    retrain = retrains.Retrain("mine", "today", carried_on=False)
    first_read, go = threading.Event(), threading.Event()
    read = retrains._record
    real_flock = atomic.flock

    def paused(path: Path) -> dict[str, Any] | None:
        note = read(path)
        if threading.current_thread() is first:
            first_read.set()
            go.wait(timeout=60)  # never let go: the test fails, not hangs
        return note

    def flock(descriptor: int, where: Path | str, what: str, waiting: Callable[[str], None] | None) -> bool:
        return real_flock(descriptor, where, what, lambda line: go.set())

    def second_owes() -> None:
        try:
            retrains.owe(tmp_path, retrain, ["b"])
        finally:
            go.set()

    monkeypatch.setattr(retrains, "_record", paused)
    monkeypatch.setattr(atomic, "flock", flock)
    first = threading.Thread(target=retrains.owe, args=(tmp_path, retrain, ["a"]))
    first.start()
    assert first_read.wait(timeout=60)
    second = threading.Thread(target=second_owes)
    second.start()
    first.join()
    second.join()
    assert json.loads((tmp_path / retrains.RECORD).read_text())["owes"] == ["a", "b"]


def test_a_record_that_is_a_fifo_or_a_symlink_is_never_waited_on_nor_carried_on(tmp_path: Path) -> None:
    """A FIFO planted as the record blocked ``begin`` until a writer came, whose retrain it then carried on; a
    symlink was followed. Each is refused at once as no regular file: the session's retrain is its own."""
    other = json.dumps({"session": "planted", "began": "yesterday"}).encode()
    (tmp_path / "fifo").mkdir()
    with fed_fifo(tmp_path / "fifo" / retrains.RECORD, other):
        assert retrains.begin(tmp_path / "fifo", "mine", []).session == "mine"
    (tmp_path / "elsewhere.json").write_bytes(other)
    (tmp_path / retrains.RECORD).symlink_to(tmp_path / "elsewhere.json")
    assert retrains.begin(tmp_path, "mine", []).session == "mine"
