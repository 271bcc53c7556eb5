"""The claimbench plugin end to end (pytester): a tiny ledger, a tiny claim test, the files it writes."""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from claimbench import atomic, plugin
from claimbench.ledger import load
from claimbench.options import NUMBER_INI
from claimbench.report import DEVICE_WORDS, VERDICT_MARKS
from claimbench.results import INTERRUPTED, NOT_SELECTED

pytest_plugins = ["pytester"]

LEDGER = '''
format = 2

[report]
title  = "Tiny report"
source = "tiny.txt"
origin = "made up for the plugin tests"
modules = ["models.dl_cifar10_pytorch"]

[[table]]
id      = "sizes"
title   = "Model sizes"
columns = ["Model", "Parameters", "Notes"]
rows = [
  ["A", "1,000", "matches"],
  ["B", "2,000", "off by one"],
  ["C", "3,000", "documented error"],
  ["D", "4,000", "needs a GPU"],
  ["E", "5,000", "private"],
  ["F", "6,000", "crashes"],
  ["G", "7,000", "counters disagree"],
  ["H", "8,000", "not a claim"],
]

[[claim]]
id = "params/reproduced"
kind = "params"
model = "dl_cifar10_pytorch.baseline"
count = "trainable"
value = 1000
printed = "1,000"
cell = ["sizes", "A", "Parameters"]
source = "tiny.txt, Model sizes, row A"
tolerance = { abs = 0 }

[[claim]]
id = "params/refuted"
kind = "params"
model = "dl_cifar10_pytorch.baseline"
count = "trainable"
value = 2000
printed = "2,000"
cell = ["sizes", "B", "Parameters"]
source = "tiny.txt, Model sizes, row B"
tolerance = { abs = 0 }

[[claim]]
id = "params/known_error"
kind = "params"
model = "dl_cifar10_pytorch.baseline"
count = "trainable"
value = 3000
printed = "3,000"
cell = ["sizes", "C", "Parameters"]
source = "tiny.txt, Model sizes, row C"
tolerance = { abs = 0 }
expect = "refuted"
why = "the author counted a bias twice"

[[claim]]
id = "params/not_run"
kind = "params"
model = "dl_cifar10_pytorch.baseline"
count = "trainable"
value = 4000
printed = "4,000"
cell = ["sizes", "D", "Parameters"]
source = "tiny.txt, Model sizes, row D"
tolerance = { abs = 0 }

[[claim]]
id = "params/unverifiable"
kind = "params"
model = "dl_cifar10_pytorch.baseline"
count = "trainable"
value = 5000
printed = "5,000"
cell = ["sizes", "E", "Parameters"]
source = "tiny.txt, Model sizes, row E"
tolerance = { abs = 0 }
status = "unverifiable"
why = "the weights were never published"

[[claim]]
id = "params/crash"
kind = "params"
model = "dl_cifar10_pytorch.baseline"
count = "trainable"
value = 6000
printed = "6,000"
cell = ["sizes", "F", "Parameters"]
source = "tiny.txt, Model sizes, row F"
tolerance = { abs = 0 }

[[claim]]
id = "params/counters"
kind = "params"
model = "dl_cifar10_pytorch.baseline"
count = "trainable"
value = 7000
printed = "7,000"
cell = ["sizes", "G", "Parameters"]
source = "tiny.txt, Model sizes, row G"
tolerance = { abs = 0 }

[[claim]]
id = "params/prose"
kind = "params"
model = "dl_cifar10_pytorch.resnet18"
count = "trainable"
value = 12.5
scale = 1e6
printed = "about 12.5M parameters"
source = "tiny.txt, second paragraph"
tolerance = { abs = 0.05 }
'''

CLAIM_TESTS = '''
import pytest

from claimbench.verdict import Measurement


def measure(claim, check_claim):
    """Stand-ins for real measurements, one behaviour per claim of the tiny ledger."""
    local = claim.local_id
    if local == "params/not_run":
        pytest.skip("needs CUDA: run on a GPU machine")
    if local == "params/crash":
        raise RuntimeError("model builder exploded")
    if local == "params/counters":
        check_claim(Measurement(claim.value, counters={"torchinfo": 7000, "numel": 7001}))
    off_by_one = local in ("params/refuted", "params/known_error")
    check_claim(Measurement(claim.value * claim.scale + (1 if off_by_one else 0)))


@pytest.mark.claims("params")
def test_params(claim, check_claim):
    measure(claim, check_claim)
'''

README = "# Tiny\n\nBefore.\n\n<!-- claims-summary:start -->\nold summary\n<!-- claims-summary:end -->\n\nAfter.\n"

TALLY = "2 reproduced of 4 checked, 1 refuted, 1 known error, 2 errors, 1 not run, 1 unverifiable"
"""The terminal's tally of the tiny ledger's claims, as ``CLAIM_TESTS`` measures them: the headline, then the claims
not measured, as the overall badge counts them."""
MARKDOWN_AND_JSON = ("--claims-dir", "reference", "--claims-report", "out/REPORT.md", "--claims-json",
                     "out/results.json")
OPTIONS = (*MARKDOWN_AND_JSON, "--claims-badges", "badges", "--claims-plots", "out/plots", "--claims-readme",
           "README.md")


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with the tiny ledger, its claim test and a README with summary markers."""
    (pytester.path / "reference").mkdir()
    (pytester.path / "reference" / "tiny.toml").write_text(LEDGER, encoding="utf-8")
    pytester.makepyfile(test_claims=CLAIM_TESTS)
    (pytester.path / "README.md").write_text(README, encoding="utf-8")
    return pytester


def _run(project: pytest.Pytester, *args: str, options: tuple[str, ...] = OPTIONS) -> pytest.RunResult:
    """Run the project's claim test file (this repository's way: benchmarks/ parametrized by the ledger)."""
    return project.runpytest("test_claims.py", *options, *args)


def _records(project: pytest.Pytester) -> dict[str, dict]:
    document = json.loads((project.path / "out" / "results.json").read_text(encoding="utf-8"))
    return {record["id"]: record for record in document["claims"]}


def _cells(markdown: str, label: str) -> list[str]:
    """The stripped cells of the first table row whose first cell is ``label``."""
    line = next(line for line in markdown.splitlines() if line.startswith(f"| {label} "))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_outcomes_match_pytest(project: pytest.Pytester) -> None:
    """These tests measure in their body: a failure there, ours included (a crash, counters that disagree), is a
    failed test as pytest and JUnit XML count it; the claims' records, the tally and the badge say error."""
    result = _run(project)
    result.assert_outcomes(passed=2, failed=3, skipped=2, xfailed=1)
    result.stdout.fnmatch_lines(["*claimbench verdicts*", TALLY, "wrote *out?REPORT.md"])  # each claim counted once
    assert json.loads((project.path / "badges" / "claims.json").read_text(encoding="utf-8"))["message"] == TALLY
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_quiet_runs_say_less_of_the_verdicts(project: pytest.Pytester) -> None:
    """``-q`` keeps the verdicts' section, the files written on one line; ``-qq`` the tally alone, on a line that
    names claimbench, as pytest's own summary then has no header to tell it by."""
    quiet = _run(project, "-q")
    quiet.stdout.fnmatch_lines(["*claimbench verdicts*", TALLY, "wrote *out?REPORT.md, *"])
    assert len([line for line in quiet.outlines if line.startswith("wrote ")]) == 1, quiet.outlines
    very = _run(project, "-qq")
    said = [line for line in very.outlines
            if line.startswith(("claimbench", "wrote ")) or "claimbench verdicts" in line]
    assert said == [f"claimbench: {TALLY}"], very.outlines
    assert (project.path / "out" / "REPORT.md").is_file()


def test_a_refuted_claim_fails_with_its_one_line_message(project: pytest.Pytester) -> None:
    result = _run(project, "-k", "refuted and not known")
    result.stdout.fnmatch_lines(["*_ test_params?tiny/params/refuted? _*",
                                 "claimed '2,000' = 2,000, measured 2,001, above by 1; exact"])
    assert "def check" not in result.stdout.str() and "verdict.py" not in result.stdout.str()


@pytest.mark.parametrize("style", ["line", "short"])
def test_an_error_of_ours_in_a_tests_body_is_one_line_in_either_style(project: pytest.Pytester, style: str) -> None:
    """Under ``--tb=line`` an error of ours in a test's body (counters that disagree) printed its line, then its
    first 50 characters again: now its crash line alone, at the test, as a refuted claim's."""
    error = "error: counters disagree after corrections: numel 7,001, torchinfo 7,000"
    result = _run(project, f"--tb={style}", "-rN", "-k", "counters", options=MARKDOWN_AND_JSON)
    result.assert_outcomes(failed=1, deselected=7)
    assert result.stdout.str().count(error[:40]) == 1, result.stdout.str()
    tests = project.path / "test_claims.py"
    line = tests.read_text(encoding="utf-8").splitlines().index('@pytest.mark.claims("params")')  # pytest's reportinfo
    result.stdout.fnmatch_lines([f"{tests}:{line + 1}: {error}" if style == "line" else error])


def test_a_refuted_number_another_row_prints_names_that_row_in_the_terminal_and_the_record(
        project: pytest.Pytester) -> None:
    """Row B printing row A's number (a copied row) said only how far it was; the worker's line and the
    controller's record both name the row of the same column that prints it."""
    copied = LEDGER.replace('["B", "2,000"', '["B", "1,000"').replace('value = 2000\nprinted = "2,000"',
                                                                      'value = 1000\nprinted = "1,000"')
    (project.path / "reference" / "tiny.toml").write_text(copied, encoding="utf-8")
    line = ("claimed '1,000' = 1,000, measured 1,001, above by 1; exact; it matches the number printed in row 'A' "
            "of the same column (claim params/reproduced)")
    result = _run(project, "-k", "refuted and not known", options=MARKDOWN_AND_JSON)
    result.stdout.fnmatch_lines(["*_ test_params?tiny/params/refuted? _*", line])
    assert _records(project)["tiny/params/refuted"]["reason"] == line


ROW_OF_CLAIM = {"params/reproduced": "A", "params/refuted": "B", "params/known_error": "C", "params/not_run": "D",
                "params/unverifiable": "E", "params/crash": "F", "params/counters": "G"}


@pytest.mark.parametrize(("local", "verdict", "reason"), [
    ("params/reproduced", "reproduced", ""),
    ("params/refuted", "refuted", "claimed '2,000' = 2,000, measured 2,001, above by 1; exact"),
    ("params/known_error", "known error", ("claimed '3,000' = 3,000, measured 3,001, above by 1; exact; "
                                           "documented error: the author counted a bias twice")),
    ("params/not_run", "not run", "needs CUDA: run on a GPU machine"),
    ("params/unverifiable", "unverifiable", "the weights were never published"),
    ("params/crash", "error", "RuntimeError: model builder exploded"),
    ("params/counters", "error", "counters disagree after corrections: numel 7,001, torchinfo 7,000"),
])
def test_each_verdict_renders(project: pytest.Pytester, local: str, verdict: str, reason: str) -> None:
    _run(project, options=MARKDOWN_AND_JSON)
    record = _records(project)[f"tiny/{local}"]
    assert (record["verdict"], record["reason"]) == (verdict, reason)
    markdown = (project.path / "out" / "REPORT.md").read_text(encoding="utf-8")
    cell = _cells(markdown, ROW_OF_CLAIM[local])[1]
    assert f" {VERDICT_MARKS[verdict]}" in cell
    if reason:
        number = cell.rsplit("[", 1)[1].rstrip("]")
        assert f"\n{number}. {reason}\n" in markdown


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one process", "xdist"])
def test_each_claims_junit_xml_testcase_carries_its_verdict(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                            workers: tuple[str, ...]) -> None:
    """JUnit XML told an unverifiable claim from one not run only by its skip's wording, and a known error was an
    xfail: each claim's testcase now carries its verdict (``claimbench.verdict``), the one its record says, whatever
    pytest's outcome (passed, failed, skipped, xfailed), under pytest-xdist too."""
    if workers:
        pytest.importorskip("xdist")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    result = project.runpytest_subprocess("test_claims.py", *MARKDOWN_AND_JSON, "--junitxml=out/junit.xml", *workers)
    result.assert_outcomes(passed=2, failed=3, skipped=2, xfailed=1)
    shown = {case.get("name"): [prop.get("value") for prop in case.iter("property")
                                if prop.get("name") == "claimbench.verdict"]
             for case in ElementTree.parse(project.path / "out" / "junit.xml").iter("testcase")}
    expected = {"reproduced": "reproduced", "refuted": "refuted", "known_error": "known error", "not_run": "not run",
                "unverifiable": "unverifiable", "crash": "error", "counters": "error", "prose": "reproduced"}
    assert shown == {f"test_params[tiny/params/{local}]": [verdict] for local, verdict in expected.items()}
    assert {name: verdicts[0] for name, verdicts in shown.items()} == {
        f"test_params[{claim_id}]": record["verdict"] for claim_id, record in _records(project).items()}


def test_table_keeps_the_report_layout(project: pytest.Pytester) -> None:
    _run(project)
    markdown = (project.path / "out" / "REPORT.md").read_text(encoding="utf-8")
    header = next(line for line in markdown.splitlines() if line.startswith("| Model "))
    assert [c.strip() for c in header.strip("|").split("|")] == ["Model", "Parameters", "Notes"]
    labels = [line.split("|")[1].strip() for line in markdown.splitlines() if line.startswith("| ") and
              line.split("|")[1].strip() in list("ABCDEFGH")]
    assert labels == list("ABCDEFGH")
    assert _cells(markdown, "A")[1] == "1,000 → 1,000 ✅"
    assert _cells(markdown, "B")[1].startswith("2,000 → 2,001 ❌ +1 [")
    assert _cells(markdown, "D")[1].startswith("4,000 ⚪ [")
    assert _cells(markdown, "H") == ["H", "8,000", "not a claim"]
    assert "### Claims in the text of `tiny`" in markdown and "| `tiny/params/prose`" in markdown
    assert max(len(line) for line in markdown.splitlines()) <= 250


def test_summary_environment_and_readme(project: pytest.Pytester) -> None:
    _run(project)
    markdown = (project.path / "out" / "REPORT.md").read_text(encoding="utf-8")
    assert ("**2 reproduced of 4 checked, 1 refuted, 1 known error, 2 errors.** Not measured: 1 not run, "
            "1 unverifiable.") in markdown
    assert _cells(markdown, "**all**")[1:] == ["2", "1", "1", "2", "1", "1", "0", "8"]
    for field in ("claimbench", "ledger", "torch", "torchvision", "devices", "date"):
        assert f"| {field} " in markdown
    assert _cells(markdown, "devices") == ["devices", f"{DEVICE_WORDS['meta']}: 5 claims"]
    readme = (project.path / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Tiny\n\nBefore.\n") and readme.endswith("\n\nAfter.\n")
    assert "old summary" not in readme
    assert "![claims](badges/claims.svg) ![claims: tiny](badges/claims-tiny.svg)" in readme


def test_the_files_are_dated_by_source_date_epoch_in_utc(project: pytest.Pytester,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """23:30 UTC is the next day in UTC+14: the files carry UTC's date, from SOURCE_DATE_EPOCH, whatever TZ says."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1699918200")  # 2023-11-13 23:30 UTC
    monkeypatch.setenv("TZ", "Etc/GMT-14")
    time.tzset()
    try:
        _run(project)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert _cells((project.path / "out" / "REPORT.md").read_text(encoding="utf-8"), "date")[1] == "2023-11-13"
    assert {record["date"] for record in _records(project).values()} <= {"2023-11-13", None}
    assert json.loads((project.path / "out" / "results.json").read_text(encoding="utf-8"))["environment"]["date"] \
        == "2023-11-13"


def test_a_malformed_source_date_epoch_stops_the_run(project: pytest.Pytester,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The run stops as it collects the claims, in one line naming the variable and its value, and writes nothing."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = _run(project)
    result.stdout.fnmatch_lines(["E   pytest.UsageError: $SOURCE_DATE_EPOCH: 'yesterday' is not a whole number of "
                                 "seconds since 1970-01-01 UTC"])
    assert result.ret == pytest.ExitCode.INTERRUPTED and not (project.path / "out").exists()


def test_a_second_run_names_the_commit_unless_the_readme_changed_outside_its_summary(project: pytest.Pytester) -> None:
    """The files and README summary the first run wrote, committed, are rewritten by the second: still the commit;
    an uncommitted edit of the README's own text is not."""
    _run(project)
    for arguments in (("init", "-q"), ("add", "."), ("commit", "-q", "-m", "first")):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *arguments], cwd=project.path, check=True,
                       capture_output=True)
    _run(project)
    ledger = _cells((project.path / "out" / "REPORT.md").read_text(encoding="utf-8"), "ledger")[1]
    assert re.fullmatch(r"\S+ @ [0-9a-f]{12}", ledger)
    readme = project.path / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("Before.", "Edited."), encoding="utf-8")
    _run(project)
    assert _cells((project.path / "out" / "REPORT.md").read_text(encoding="utf-8"), "ledger")[1] == f"{ledger}+"


def test_badges_and_plots(project: pytest.Pytester) -> None:
    _run(project)
    endpoint = json.loads((project.path / "badges" / "claims.json").read_text(encoding="utf-8"))
    assert endpoint == {"schemaVersion": 1, "label": "claims",
                        "message": "2 reproduced of 4 checked, 1 refuted, 1 known error, 2 errors, 1 not run, "
                                   "1 unverifiable", "color": "red"}
    assert (project.path / "badges" / "claims-tiny.svg").read_text(encoding="utf-8").startswith("<svg")
    for name in ("accuracy_vs_params.png", "claimed_vs_measured.png"):
        assert (project.path / "out" / "plots" / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_json_has_every_field(project: pytest.Pytester) -> None:
    _run(project)
    record = _records(project)["tiny/params/refuted"]
    assert {"id", "report", "kind", "model", "claimed", "interval", "printed", "measured", "shown", "delta", "band",
            "tolerance", "direction", "counters", "seeds", "spread", "verdict", "reason", "unverified_data",
            "data_finding", "date", "duration", "device"} <= record.keys()
    assert (record["band"], record["tolerance"], record["direction"]) == ([2000, 2000], "exact", "above")
    assert len(record["model_digest"]) == 16, "the code of the model it measured, for a later partial run to check"
    assert record["model_files"]["models/dl_cifar10_pytorch.py"], "its files', for the reason to name one changed"
    assert _records(project)["tiny/params/counters"]["counters"] == {"torchinfo": 7000, "numel": 7001}


def test_a_partial_run_keeps_the_other_records(project: pytest.Pytester) -> None:
    _run(project)
    everything = _records(project)
    _run(project, "-k", "params/reproduced")
    again = _records(project)
    for records in (everything, again):
        records["tiny/params/reproduced"].pop("duration")
    assert {cid for cid, record in again.items() if record.pop("carried", False)} == everything.keys() - {
        "tiny/params/reproduced"}
    assert again == everything
    markdown = (project.path / "out" / "REPORT.md").read_text(encoding="utf-8")
    assert "No claim of this report" not in markdown and "2,000 → 2,001 ❌" in markdown


def _ini_number(text: str) -> str:
    """An ini number as a problem shows it: as pytest typed it (pytest >= 8.4), else quoted as written."""
    return text if NUMBER_INI else repr(text)


@pytest.mark.parametrize(("option", "message"), [
    ("--claims-train-seeds=0", "--claims-train-seeds: must be a whole number >= 1, got '0'"),
    ("--claims-train-seeds=x", "--claims-train-seeds: must be a whole number >= 1, got 'x'"),
    ("--override-ini=claims_train_seeds=x",
     "claims_train_seeds (ini) / --claims-train-seeds: must be a whole number >= 1, got 'x'"),
    ("--override-ini=claims_train_seeds=2.5",
     "claims_train_seeds (ini) / --claims-train-seeds: must be a whole number >= 1, got '2.5'"),
    ("--override-ini=claims_train_seeds=-1",
     f"claims_train_seeds (ini) / --claims-train-seeds: must be a whole number >= 1, got {_ini_number('-1')}"),
    ("--claims-train-min-seeds=0", "--claims-train-min-seeds: must be a whole number >= 1, got '0'"),
    ("--override-ini=claims_train_min_seeds=three",
     "claims_train_min_seeds (ini) / --claims-train-min-seeds: must be a whole number >= 1, got 'three'"),
    ("--claims-train-device=tpu", "--claims-train-device: must be cpu, cuda, cuda:N or mps, got 'tpu'"),
    ("--claims-train-budget=nan", "--claims-train-budget: must be a positive number of seconds, got 'nan'"),
    ("--claims-train-budget=soon", "--claims-train-budget: must be a positive number of seconds, got 'soon'"),
    ("--override-ini=claims_train_budget=0",
     "claims_train_budget (ini) / --claims-train-budget: must be a positive number of seconds, got "
     f"{_ini_number('0')}"),
    ("--override-ini=claims_train_budget=-1.5",
     "claims_train_budget (ini) / --claims-train-budget: must be a positive number of seconds, got "
     f"{_ini_number('-1.5')}"),
    ("--override-ini=claims_download=maybe",
     "claims_download (ini) / --claims-download: invalid truth value 'maybe'; give true or false"),
    ("--override-ini=claims_allow_unverified_data=sometimes",
     "claims_allow_unverified_data (ini) / --claims-allow-unverified-data: invalid truth value 'sometimes'; give "
     "true or false"),
    ("--override-ini=claims_train_compile=2",
     "claims_train_compile (ini) / --claims-train-compile: invalid truth value '2'; give true or false"),
])
def test_bad_options_are_usage_errors(project: pytest.Pytester, option: str, message: str) -> None:
    result = _run(project, option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


def test_bad_ini_values_are_usage_errors(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\nclaims_train_seeds = three\nclaims_train_budget = soon\n")
    result = _run(project)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: claims_train_seeds (ini) / --claims-train-seeds: must be a whole number >= 1, "
                                 "got 'three'; claims_train_budget (ini) / --claims-train-budget: must be a positive "
                                 "number of seconds, got 'soon'"])


@pytest.mark.parametrize(("line", "message"), [
    ("claims_dir = claimz", "claims_dir (ini) / --claims-dir: */claimz: no such file or folder"),
    ("claims_train_device = tpu",
     "claims_train_device (ini) / --claims-train-device: must be cpu, cuda, cuda:N or mps, got 'tpu'"),
    ("claims_train_precision = fp16",
     "claims_train_precision (ini) / --claims-train-precision: must be auto, fp32 or bf16, got 'fp16'"),
    ("claims_cluster = foo", "claims_cluster (ini) / --claims-cluster: *"),
    ("claims_report = out", "claims_report (ini) / --claims-report: */out is a folder, not a file"),
    ("claims_json = out", "claims_json (ini) / --claims-json: */out is a folder, not a file"),
    ("claims_badges = README.md", "claims_badges (ini) / --claims-badges: */README.md is a file, not a folder"),
    ("claims_plots = README.md/plots",
     "claims_plots (ini) / --claims-plots: cannot create */README.md/plots: */README.md is not a folder"),
    ("claims_results_dir = README.md",
     "claims_results_dir (ini) / --claims-results-dir: */README.md is a file, not a folder"),
    ("claims_readme = out", "claims_readme (ini) / --claims-readme: */out is a folder, not a file"),
    ("claims_readme = plain.md", "claims_readme (ini) / --claims-readme: *plain.md: needs one <!-- claims-summary:*"),
    ("claims_download = maybe",
     "claims_download (ini) / --claims-download: invalid truth value 'maybe'; give true or false"),
], ids=["dir", "device", "precision", "cluster", "report", "json", "badges", "plots", "results-dir", "readme-folder",
        "readme-markers", "download"])
def test_a_bad_value_the_ini_gave_names_the_ini_key(project: pytest.Pytester, line: str, message: str) -> None:
    """A user who never typed the option is told which ini key to fix, as for a number (README, Options)."""
    (project.path / "out").mkdir()
    (project.path / "plain.md").write_text("# Plain\n", encoding="utf-8")
    ledger = "" if line.startswith("claims_dir ") else "claims_dir = reference\n"
    project.makeini(f"[pytest]\n{ledger}{line}\n")
    result = _run(project, options=())
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_a_data_root_given_that_does_not_exist_is_a_usage_error(project: pytest.Pytester,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Said once, before anything runs, naming where it was given, not by every training claim's skip; not under
    --claims-download (which creates it), nor by a plugin left inert (no ledger). A stale ``$CLAIMBENCH_DATA``
    (``test_a_stale_data_root_in_the_environment_stops_no_session``) is no option given."""
    missing, readme = project.path / "missing", project.path / "README.md"
    monkeypatch.delenv("CLAIMBENCH_DATA", raising=False)
    for given, line in (
            ((f"--claims-data-root={missing}",), f"--claims-data-root: {missing}: no such directory"),
            ((f"--override-ini=claims_data_root={missing}",),
             f"claims_data_root (ini) / --claims-data-root: {missing}: no such directory"),
            ((f"--claims-data-root={readme}", "--claims-download"), f"--claims-data-root: {readme}: not a folder")):
        result = _run(project, *given)
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines([f"ERROR: {line}"])
    assert _run(project, f"--claims-data-root={missing}", "--claims-download").ret == pytest.ExitCode.TESTS_FAILED
    project.makepyfile(test_plain="def test_nothing():\n    pass\n")
    project.runpytest("test_plain.py", f"--claims-data-root={missing}").assert_outcomes(passed=1)


def test_a_stale_data_root_in_the_environment_stops_no_session(project: pytest.Pytester,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """``$CLAIMBENCH_DATA`` naming a folder since deleted is no usage error: a session that trains nothing runs as
    without it (the claims that need data say it, ``test_data``), with the same verdicts."""
    monkeypatch.delenv("CLAIMBENCH_DATA", raising=False)
    assert _run(project).ret == pytest.ExitCode.TESTS_FAILED
    without = _records(project)
    monkeypatch.setenv("CLAIMBENCH_DATA", str(project.path / "deleted"))
    result = _run(project)
    assert result.ret == pytest.ExitCode.TESTS_FAILED and "CLAIMBENCH_DATA" not in result.stdout.str() + \
        result.stderr.str()
    assert {id: record["verdict"] for id, record in _records(project).items()} == {
        id: record["verdict"] for id, record in without.items()}


def test_an_ini_number_pytest_cannot_read_is_refused_whatever_pytest_raises(pytester: pytest.Pytester,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest 9.2 raises a UsageError for ``claims_train_seeds = two``, pytest 8.4 a plain ValueError: either is
    one line, never a value silently taken for its default."""
    from claimbench import options

    config = pytester.parseconfig()
    read = config.getini

    def getini(name: str) -> object:
        if name == "claims_train_seeds":
            raise ValueError("invalid literal for int() with base 10: 'two'")
        return read(name)

    monkeypatch.setattr(config, "getini", getini)
    assert options.option_problems(config) == [
        "claims_train_seeds (ini) / --claims-train-seeds: must be a whole number >= 1, got 'two'"]


@pytest.mark.skipif(int(pytest.__version__.split(".")[0]) < 9, reason="pytest 9 reads pytest.toml")
def test_a_toml_configuration_writes_numbers_as_numbers(project: pytest.Pytester) -> None:
    project.makefile(".toml", pytest="[pytest]\nclaims_train_seeds = 2\nclaims_train_budget = 600\n")
    _run(project, "-k", "params/reproduced").assert_outcomes(passed=1, deselected=7)
    project.makefile(".toml", pytest='[pytest]\nclaims_train_seeds = "2"\n')
    result = _run(project)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*claims_train_seeds (ini) / --claims-train-seeds: *config option "
                                 "'claims_train_seeds' expects an int, got str*"])


@pytest.mark.parametrize(("option", "message"), [
    ("--claims-json=out", "--claims-json: */out is a folder, not a file"),
    ("--claims-report=reports/", "--claims-report: reports/ names a folder (it ends in /), not a file"),
    ("--claims-readme=reference", "--claims-readme: */reference is a folder, not a file"),
    ("--claims-badges=README.md", "--claims-badges: */README.md is a file, not a folder"),
    ("--claims-plots=README.md/plots", "--claims-plots: cannot create */README.md/plots: */README.md is not a folder"),
    ("--claims-report=locked/new/REPORT.md", "--claims-report: cannot write in */locked (Permission denied)"),
    ("--claims-results-dir=README.md", "--claims-results-dir: */README.md is a file, not a folder"),
    ("--claims-report=", "--claims-report: empty; give a path"),
    ("--claims-dir=", "--claims-dir: empty; give a path"),
    ("--claims-json=/dev/null", "--claims-json: /dev/null is not a regular file (a device or a FIFO), and is never*"),
    ("--claims-json=unread.json", "--claims-json: cannot read */unread.json, and writing over it would lose the "
                                  "records of earlier runs it holds; make it readable, or name another file"),
], ids=["file-is-a-folder", "file-ends-in-a-separator", "readme-is-a-folder", "folder-is-a-file", "under-a-file", "unwritable", "runs-is-a-file",
        "empty-output", "empty-ledger", "a-device", "unreadable"])
def test_paths_a_run_could_not_use_are_usage_errors_before_any_test_runs(
        project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, option: str, message: str) -> None:
    for folder in ("out", "locked"):
        (project.path / folder).mkdir()
    (project.path / "unread.json").write_text('{"claims": []}', encoding="utf-8")
    refused = (project.path / "locked", project.path / "unread.json")
    access = os.access  # as root, os.access finds every file and folder usable: these are not
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) not in refused and access(path, mode))
    readme = (project.path / "README.md").read_text(encoding="utf-8")
    result = _run(project, option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])
    assert "passed" not in result.stdout.str() and not list((project.path / "out").iterdir())
    assert (project.path / "README.md").read_text(encoding="utf-8") == readme


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, where nobody creates files")
@pytest.mark.parametrize(("option", "message"), [
    ("--claims-results-dir=/proc/claimbench-runs/new", "--claims-results-dir: cannot *proc*"),
    ("--claims-json=/proc/claimbench.json", "--claims-json: cannot write in /proc*"),
], ids=["results-dir", "json"])
def test_paths_that_cannot_be_created_are_usage_errors_as_root_too(project: pytest.Pytester, option: str,
                                                                   message: str) -> None:
    """A folder or file whose folder lets root in by its permission bits, where nothing can be created (as under
    ``/proc`` or ``/sys``): the check tries to create it, so root gets the usage error too, before any test runs."""
    result = _run(project, option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])
    assert "passed" not in result.stdout.str()


@pytest.mark.parametrize(("selection", "status"), [("reproduced or blocker", pytest.ExitCode.INTERNAL_ERROR),
                                                   ("refuted or blocker", pytest.ExitCode.TESTS_FAILED)])
def test_a_path_made_unusable_while_the_tests_ran_is_one_line_after_the_summary(
        project: pytest.Pytester, selection: str, status: pytest.ExitCode) -> None:
    """The options were checked before the tests ran; the JSON's path became a folder since. Nothing is written, so
    the report and its JSON never disagree."""
    project.makepyfile(test_blocker="import os\n\ndef test_blocker():\n    os.makedirs('out/results.json')\n")
    result = _run(project, "test_blocker.py", "-k", selection, options=MARKDOWN_AND_JSON)
    assert result.ret == status
    result.stdout.fnmatch_lines(["*claimbench verdicts*", "ERROR: claimbench: no file was written: "
                                 "*/out/results.json is a folder, not a file", "*passed*"])
    assert not (project.path / "out" / "REPORT.md").exists()


def test_a_file_of_the_authors_put_at_the_reports_path_while_the_tests_ran_is_kept(project: pytest.Pytester) -> None:
    """The report's path was checked before the tests ran; a file that is no verdict report was written there
    since. It is kept, and nothing is written."""
    project.makepyfile(test_blocker="from pathlib import Path\n\ndef test_blocker():\n    Path('out').mkdir()\n"
                                    "    Path('out/REPORT.md').write_text('# Mine\\n', encoding='utf-8')\n")
    result = _run(project, "test_blocker.py", "-k", "reproduced or blocker", options=MARKDOWN_AND_JSON)
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR
    result.stdout.fnmatch_lines(["*claimbench verdicts*", "ERROR: claimbench: no file was written: */out/REPORT.md "
                                 "is not claimbench's verdict report (its first line is not '# claimbench verdicts'): "
                                 "the verdict report would replace it; name another file, or delete it if it is an "
                                 "old claimbench report", "*passed*"])
    assert (project.path / "out" / "REPORT.md").read_text(encoding="utf-8") == "# Mine\n"
    assert not (project.path / "out" / "results.json").exists()


def test_a_file_that_cannot_be_written_at_the_end_is_one_line_after_the_summary(
        project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: Path | str, content: bytes) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(atomic, "write_bytes", full)
    result = _run(project, "-k", "reproduced", options=MARKDOWN_AND_JSON)
    assert result.ret == pytest.ExitCode.INTERNAL_ERROR
    result.stdout.fnmatch_lines(["*claimbench verdicts*", "1 reproduced of 1 checked",
                                 "ERROR: claimbench: could not write */out/REPORT.md: No space left on device",
                                 "*1 passed*"])


def test_a_json_too_large_to_write_leaves_the_report_of_the_last_run_too(
        project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(project, options=MARKDOWN_AND_JSON)
    before = (project.path / "out" / "REPORT.md").read_bytes()
    real = Path.write_bytes

    def too_large(self: Path, data: bytes) -> int:
        if self.name.startswith(".claimbench-results.json."):
            raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", too_large)
    result = _run(project, "-k", "reproduced", options=MARKDOWN_AND_JSON)
    result.stdout.fnmatch_lines(["ERROR: claimbench: could not write */out/results.json: File too large"])
    assert (project.path / "out" / "REPORT.md").read_bytes() == before


PRESSED_IN = '''
import signal

from claimbench import report

signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal, whatever the parent ignores
real = report.{0}


def pressed(*args, **kwargs):
    signal.raise_signal(signal.SIGINT)
    return real(*args, **kwargs)


report.{0} = pressed
'''


@pytest.mark.parametrize(("pressed_in", "line", "written"), [
    ("render_markdown", "claimbench: interrupted once the files were written: */out/REPORT.md, */out/results.json",
     True),
    ("final_records", "claimbench: interrupted before any file was written*", False),
], ids=["while-writing", "before-writing"])
def test_a_ctrl_c_after_the_tests_is_one_line_saying_whether_the_files_were_written(
        project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, pressed_in: str, line: str, written: bool) -> None:
    """Ctrl-C pressed while the files are written (held back until all are renamed into place), or before, while
    the run waits for another one's lock on them: one line says which, in place of a traceback through pytest's
    hooks, and the run's status is pytest's for an interruption."""
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    project.makeconftest(PRESSED_IN.format(pressed_in))
    result = project.runpytest_subprocess("test_claims.py", *MARKDOWN_AND_JSON, "-k", "reproduced")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*claimbench verdicts*", "1 reproduced of 1 checked", line,
                                 "*1 passed*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    assert all((project.path / "out" / name).is_file() == written for name in ("REPORT.md", "results.json"))


def _outputs(project: pytest.Pytester) -> dict[str, bytes]:
    files = {str(p.relative_to(project.path)): p.read_bytes() for p in sorted(project.path.rglob("*"))
             if p.is_file() and (p.parts[-2] in ("out", "badges", "plots") or p.name == "README.md")}
    document = json.loads(files.pop("out/results.json"))
    for record in document["claims"]:
        record.pop("duration")
    files["out/results.json"] = json.dumps(document).encode()
    return files


def test_files_are_deterministic(project: pytest.Pytester) -> None:
    _run(project)
    first = _outputs(project)
    _run(project)
    assert _outputs(project) == first


def test_empty_selection_says_so_and_writes_nothing(project: pytest.Pytester) -> None:
    readme = (project.path / "README.md").read_text(encoding="utf-8")
    result = _run(project, "-k", "no_such_claim")
    result.assert_outcomes(deselected=8)
    result.stdout.fnmatch_lines(["claimbench: no claim ran, so no file was written"])
    assert not (project.path / "out").exists() and (project.path / "README.md").read_text(encoding="utf-8") == readme


def test_a_partial_selection_still_accounts_for_every_claim(project: pytest.Pytester) -> None:
    _run(project, "-k", "params/reproduced")
    records = json.loads((project.path / "out" / "results.json").read_text(encoding="utf-8"))["claims"]
    verdicts = [(r["verdict"], r["reason"] == NOT_SELECTED) for r in records]
    assert sorted(verdicts) == [("not run", True)] * 6 + [("reproduced", False), ("unverifiable", False)]
    endpoint = json.loads((project.path / "badges" / "claims.json").read_text(encoding="utf-8"))
    assert endpoint["message"] == "1 reproduced of 1 checked, 6 not run, 1 unverifiable"


def test_a_partial_run_says_what_the_files_keep_of_earlier_runs(project: pytest.Pytester) -> None:
    """The terminal's tally is this run's; the files also show the records kept from the last run, counted as the
    badge counts them: the claims not run and those nobody can check too."""
    _run(project)
    result = _run(project, "-k", "params/reproduced")
    endpoint = json.loads((project.path / "badges" / "claims.json").read_text(encoding="utf-8"))
    kept = sum(bool(r.get("carried")) for r in _records(project).values())
    assert kept > 0
    result.stdout.fnmatch_lines(["1 reproduced of 1 checked",
                                 f"the files keep {kept} records of earlier runs beside this run's: "
                                 f"{endpoint['message']} in all"])


def test_a_partial_run_says_which_earlier_records_it_dropped_and_why(project: pytest.Pytester) -> None:
    """Records measured with other model code are not kept: each is not run for that reason, never 'no earlier
    record', and the terminal counts them."""
    _run(project)
    saved = project.path / "out" / "results.json"
    document = json.loads(saved.read_text(encoding="utf-8"))
    for record in document["claims"]:
        record["model_digest"] = record["model_digest"] and "0" * 16  # measured with another version of models/
    saved.write_text(json.dumps(document), encoding="utf-8")
    result = _run(project, "-k", "params/reproduced")
    dropped = {cid: r for cid, r in _records(project).items() if r.get("dropped")}
    assert dropped and all(r["verdict"] == "not run" and r["reason"].startswith(
        "not measured in this run; its earlier record (of ") and r["reason"].endswith(
        "was measured with other model code: run it again") for r in dropped.values())
    assert "no earlier record" not in (project.path / "out" / "REPORT.md").read_text(encoding="utf-8")
    result.stdout.fnmatch_lines([f"claimbench: {len(dropped)} earlier records dropped, shown as not run: "
                                 f"{len(dropped)} measured with other model code"])


def test_a_partial_retrain_keeps_no_earlier_record_and_says_so(project: pytest.Pytester, tmp_path: Path) -> None:
    """A claims JSON committed beside the ledger is its author's file: a ``--claims-retrain`` run, with its run store
    outside the checkout, shows every claim it did not measure as not run, and its badge counts only what it
    measured; the earlier records stay hidden in the JSON, and a later partial run without ``--claims-retrain``
    carries them again: nothing of the author's JSON is lost."""
    _run(project)
    earlier = {cid for cid, record in _records(project).items() if record["verdict"] != "unverifiable"}
    result = _run(project, "-k", "params/reproduced", "--claims-retrain", f"--claims-results-dir={tmp_path}")
    assert result.ret == pytest.ExitCode.OK
    records = _records(project)
    assert not any(record.get("carried") for record in records.values())
    assert records["tiny/params/unverifiable"]["reason"] == "the weights were never published"
    left_out = {cid for cid, record in records.items() if record.get("dropped")}
    assert left_out == earlier - {"tiny/params/reproduced"} and left_out
    assert all(records[cid]["verdict"] == "not run" and records[cid]["reason"].endswith(
        "was left out, as --claims-retrain keeps no earlier record: run it again") for cid in left_out)
    endpoint = json.loads((project.path / "badges" / "claims.json").read_text(encoding="utf-8"))
    assert endpoint["message"] == "1 reproduced of 1 checked, 6 not run, 1 unverifiable"
    result.stdout.fnmatch_lines([f"claimbench: {len(left_out)} earlier records dropped, shown as not run: "
                                 f"{len(left_out)} left out, as --claims-retrain keeps no earlier record"])
    assert all("hidden" in records[cid] for cid in left_out)
    _run(project, "-k", "params/reproduced")
    assert {cid for cid, record in _records(project).items() if record.get("carried")} == left_out


def test_an_earlier_record_with_a_bad_field_is_dropped_with_a_warning_naming_file_claim_and_field(
        project: pytest.Pytester) -> None:
    """A hand-edited claims JSON: the bad record is not carried (nor rendered: ``bogus`` is no verdict), the others
    are, and the run's files are written; under ``-W error`` the warning is one line after the summary."""
    _run(project)
    saved = project.path / "out" / "results.json"
    document = json.loads(saved.read_text(encoding="utf-8"))
    bad = next(record for record in document["claims"] if record["id"] == "tiny/params/refuted")
    bad["verdict"] = "bogus"
    saved.write_text(json.dumps(document), encoding="utf-8")
    strict = _run(project, "-k", "params/reproduced", "-W", "error::claimbench.errors.ClaimbenchWarning")
    assert strict.ret == pytest.ExitCode.INTERNAL_ERROR and json.loads(saved.read_text(encoding="utf-8")) == document
    strict.stdout.fnmatch_lines(["ERROR: claimbench: no file was written: *results.json: tiny/params/refuted: "
                                 "field 'verdict': must be 'reproduced', *, got 'bogus'; not carried over"])
    result = _run(project, "-k", "params/reproduced")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*ClaimbenchWarning: *results.json: tiny/params/refuted: field 'verdict': must be "
                                 "'reproduced', *, got 'bogus'; not carried over"])
    assert not re.search(r"claimbench[/\\]\S+\.py:\d+", result.stdout.str()), "the summary shows no line of ours"
    result.stdout.fnmatch_lines([f"  {saved}:0: ClaimbenchWarning: {saved}: tiny/params/refuted: *"])
    records = _records(project)
    assert records["tiny/params/refuted"]["verdict"] == "not run" and records["tiny/params/known_error"]["carried"]


def test_a_partial_run_sets_a_results_json_it_cannot_read_aside_and_says_so(project: pytest.Pytester) -> None:
    _run(project)
    saved = project.path / "out" / "results.json"
    cut = saved.read_bytes()[:-200]
    saved.write_bytes(cut)
    result = _run(project, "-k", "params/reproduced")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*ClaimbenchWarning: *results.json: not a claims JSON this claimbench reads (*): "
                                 "renamed to results.json.unread-1; no earlier record is carried over"])
    assert (project.path / "out" / "results.json.unread-1").read_bytes() == cut
    assert _records(project)["tiny/params/refuted"]["reason"] == NOT_SELECTED


def test_under_w_error_a_results_json_it_cannot_read_is_left_where_it_is(project: pytest.Pytester) -> None:
    """``-W error`` makes the warning that the JSON is set aside an error, and the run writes nothing: the JSON
    stays in place, not renamed, and the one line after the summary says so."""
    _run(project)
    saved = project.path / "out" / "results.json"
    cut = saved.read_bytes()[:-200]
    saved.write_bytes(cut)
    strict = _run(project, "-k", "params/reproduced", "-W", "error::claimbench.errors.ClaimbenchWarning")
    assert strict.ret == pytest.ExitCode.INTERNAL_ERROR
    strict.stdout.fnmatch_lines(["ERROR: claimbench: no file was written: *results.json: not a claims JSON this "
                                 "claimbench reads (*): left as it is (a warning filter makes renaming it to "
                                 "results.json.unread-1 an error)"])
    assert saved.read_bytes() == cut and not (project.path / "out" / "results.json.unread-1").exists()


def test_unknown_model_is_an_error_of_collecting_its_ledger_file(project: pytest.Pytester) -> None:
    """Not a usage error of the session: the ledger file's collection error, one line naming file, claim and field
    with the closest name; the claims test that parametrizes over the ledger says it was rejected."""
    ledger = project.path / "reference" / "tiny.toml"
    ledger.write_text(LEDGER.replace('"dl_cifar10_pytorch.resnet18"', '"dl_cifar10_pytorch.resnet19"'),
                      encoding="utf-8")
    result = _run(project, "reference/tiny.toml")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting reference/tiny.toml*",
                                 "claims ledger rejected: tiny.toml:109: tiny/*: model: unknown model "
                                 "'dl_cifar10_pytorch.resnet19' (closest: dl_cifar10_pytorch.resnet18*"])
    assert "claims ledger was rejected: tiny.toml:109: tiny/" in result.stdout.str()
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_readme_without_markers_is_a_usage_error(project: pytest.Pytester) -> None:
    (project.path / "README.md").write_text("# Tiny\n", encoding="utf-8")
    result = _run(project)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--claims-readme: *README.md: needs one <!-- claims-summary:start -->*"])


@pytest.mark.slow
def test_xdist_gives_the_serial_report(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    options = ("--claims-dir", "reference", "--claims-report", "X.md", "--claims-json", "X.json")
    serial = project.runpytest_subprocess("test_claims.py", *options)
    serial.assert_outcomes(passed=2, failed=3, skipped=2, xfailed=1)
    serial_files = (project.path / "X.md").read_bytes(), _without_durations(project.path / "X.json")
    parallel = project.runpytest_subprocess("test_claims.py", *options, "-n", "2")
    parallel.assert_outcomes(passed=2, failed=3, skipped=2, xfailed=1)
    assert ((project.path / "X.md").read_bytes(), _without_durations(project.path / "X.json")) == serial_files


@pytest.mark.slow
@pytest.mark.parametrize("omp", [None, "2"])
def test_xdist_workers_share_the_cores_for_claims_alone_unless_the_user_set_the_threads(
        omp: str | None, project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's claim tests split the CPU's cores with the other workers; a test of the user's own, before one or
    after, keeps the thread count torch takes without claimbench."""
    pytest.importorskip("xdist")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    if omp is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", omp)
    project.makepyfile(test_threads="""
        import pytest, torch

        def note(name):
            open(f"{name}.threads", "w").write(str(torch.get_num_threads()))

        def test_a_own():
            note("own_before")

        @pytest.mark.claims("params")
        def test_b_claim(claim, check_claim):
            note("claim")

        def test_c_own():
            note("own_after")
    """)
    project.runpytest_subprocess("test_threads.py", "--claims-dir=reference", "-n", "2", "--dist", "loadfile",
                                 "-p", "no:randomly")
    counts = {path.stem: path.read_text() for path in project.path.glob("*.threads")}
    alone = subprocess.run([sys.executable, "-c", "import torch; print(torch.get_num_threads())"], check=True,
                           capture_output=True, text=True).stdout.strip()
    shared = omp or str(max(1, len(os.sched_getaffinity(0)) // 2))
    assert counts == {"own_before": alone, "claim": shared, "own_after": alone}


def test_workers_share_the_cpus_where_the_os_keeps_no_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS has no ``os.sched_getaffinity``: a pytest-xdist worker there shares ``os.cpu_count()``'s CPUs, not an
    ``AttributeError`` at its start."""
    import torch

    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    threads: list[int] = []
    monkeypatch.setattr(torch, "set_num_threads", threads.append)
    worker = SimpleNamespace(workerinput={"workercount": 2}, stash=pytest.Stash())
    plugin._share_cores(worker)  # type: ignore[arg-type]
    assert threads == [4]


def test_an_interrupted_run_keeps_what_it_measured_and_says_why_the_rest_is_missing(
        project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    tests = CLAIM_TESTS.replace('    if local == "params/not_run":',
                                '    if local == "params/prose":\n        raise KeyboardInterrupt\n'
                                '    if local == "params/not_run":')  # claims run in the order of their ids
    project.makepyfile(test_claims=tests)
    result = project.runpytest_subprocess("test_claims.py", *OPTIONS, "-p", "no:randomly")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    records = _records(project)
    assert records["tiny/params/known_error"]["verdict"] == "known error" and records["tiny/params/known_error"]["date"]
    unmeasured = records["tiny/params/refuted"]
    assert (unmeasured["verdict"], unmeasured["reason"], unmeasured["date"]) == ("not run", INTERRUPTED, None)


def test_a_run_stopped_by_x_says_so_of_the_claims_it_left(project: pytest.Pytester) -> None:
    result = _run(project, "-x", "-p", "no:randomly")
    result.assert_outcomes(failed=1)
    left = [r["reason"] for r in _records(project).values() if r["verdict"] == "not run" and r["date"] is None]
    assert left and set(left) == {INTERRUPTED}


@pytest.mark.slow
def test_a_crashed_worker_is_an_error_never_a_kept_verdict(project: pytest.Pytester,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    assert project.runpytest_subprocess("test_claims.py", *OPTIONS).ret == pytest.ExitCode.TESTS_FAILED
    assert _records(project)["tiny/params/reproduced"]["verdict"] == "reproduced"
    crashing = CLAIM_TESTS.replace('    local = claim.local_id\n', '    local = claim.local_id\n'
                                   '    if local == "params/reproduced":\n        import os; os._exit(9)\n')
    project.makepyfile(test_claims=crashing)
    project.runpytest_subprocess("test_claims.py", *OPTIONS, "-n", "2")
    crashed = _records(project)["tiny/params/reproduced"]
    assert crashed["verdict"] == "error" and "carried" not in crashed
    assert crashed["reason"].startswith("the pytest-xdist worker running it crashed (worker 'gw")


def test_a_crashed_workers_claim_carries_its_error_verdict_in_junit_xml(project: pytest.Pytester,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim whose pytest-xdist worker died under it had an error record, but its JUnit XML testcase no verdict nor
    reason: pytest's JUnit XML writes a test's properties at its teardown, which a crashed test never reports. Its
    testcase now carries them, as the record says them."""
    pytest.importorskip("xdist")
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    crashing = CLAIM_TESTS.replace('    local = claim.local_id\n', '    local = claim.local_id\n'
                                   '    if local == "params/reproduced":\n        import os; os._exit(1)\n')
    project.makepyfile(test_claims=crashing)
    result = project.runpytest_subprocess("test_claims.py", *MARKDOWN_AND_JSON, "--junitxml=out/junit.xml", "-n", "1",
                                          "-k", "reproduced or refuted", "-p", "no:randomly")
    result.stdout.fnmatch_lines(["*worker 'gw0' crashed while running*"])
    properties = {case.get("name"): {prop.get("name"): prop.get("value") for prop in case.iter("property")}
                  for case in ElementTree.parse(project.path / "out" / "junit.xml").iter("testcase")}
    record = _records(project)["tiny/params/reproduced"]
    assert record["verdict"] == "error" and "\n" not in record["reason"], record
    assert properties["test_params[tiny/params/reproduced]"] == {
        "claimbench.claim": "tiny/params/reproduced", "claimbench.failure": record["reason"],
        "claimbench.verdict": "error"}, properties
    assert properties["test_params[tiny/params/refuted]"]["claimbench.verdict"] == "refuted", "the other test's own"


def test_a_test_id_names_its_claim() -> None:
    claims = load(Path(__file__).resolve().parent.parent / "reference")
    assert plugin._claim_of("reference/iot_ml_hw2.toml::iot_ml_hw2/params/model1", claims) == "iot_ml_hw2/params/model1"
    assert plugin._claim_of("benchmarks/test_params.py::test_params[core_collapse/params/resnet18]",
                            claims) == "core_collapse/params/resnet18"
    assert plugin._claim_of("t.py::test_x[cpu-core_collapse/params/resnet18-2]", claims) == (
        "core_collapse/params/resnet18")
    assert plugin._claim_of("t.py::test_unrelated[3]", claims) is None


def _without_durations(path: Path) -> dict:
    document = json.loads(path.read_text(encoding="utf-8"))
    for record in document["claims"]:
        record.pop("duration")
    return document


def test_a_ledgers_claims_run_cheapest_first(pytester: pytest.Pytester) -> None:
    """Structure before training: a Ctrl-C or ``-x`` in a training claim leaves the structural verdicts, although
    ``accuracy/...`` sorts before ``macs/...`` and ``params/...``."""
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "author-repo", pytester.path,
                    dirs_exist_ok=True)
    result = pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:randomly")
    kinds = [line.split("::author/")[1].split("/")[0] for line in result.stdout.lines if "::author/" in line]
    assert kinds == ["params", "params", "macs", "macs", "accuracy"], result.stdout.lines


def test_runs_that_measure_nothing_leave_the_files_and_say_no_tally(project: pytest.Pytester) -> None:
    """``--benchmark-only`` skips every test without a benchmark (pytest-benchmark's way), ``--setup-plan`` runs
    none: neither replaces a record with 'not run', nor prints a tally of claims it never measured."""
    _run(project)
    written = (project.path / "out" / "results.json").read_text(encoding="utf-8")
    if importlib.util.find_spec("pytest_benchmark") is not None:
        result = _run(project, "--benchmark-only")
        assert "claimbench: no claim ran, so no file was written" in result.stdout.str()
    result = _run(project, "--setup-plan")
    assert "claimbench verdicts" not in result.stdout.str()
    assert (project.path / "out" / "results.json").read_text(encoding="utf-8") == written


def test_a_benchmark_skipped_on_xdist_workers_keeps_the_claims_records(project: pytest.Pytester) -> None:
    """Under ``--benchmark-skip`` each pytest-xdist worker's pytest-benchmark skips the tests taking ``benchmark``;
    the controller, which collects nothing, still leaves their claims' last records as they are."""
    for needed in ("pytest_benchmark", "xdist"):
        pytest.importorskip(needed)
    project.makepyfile(test_claims=CLAIM_TESTS.replace("def test_params(claim, check_claim):",
                                                       "def test_params(claim, check_claim, benchmark):")
                       + "\n\ndef test_of_no_claim(benchmark):\n    benchmark(sum, [1, 2])\n")
    _run(project, "-W", "ignore::pytest_benchmark.logger.PytestBenchmarkWarning")
    written = (project.path / "out" / "results.json").read_text(encoding="utf-8")
    repository = Path(__file__).resolve().parent.parent  # where the ledger's models module lies
    result = project.runpytest_subprocess("test_claims.py", *OPTIONS, "-n", "2", "--benchmark-skip", "-o",
                                          f"pythonpath={repository}", "--junitxml=out/junit.xml")
    assert "claimbench: no claim ran, so no file was written" in result.stdout.str(), result.stdout.str()
    marked = {case.get("name"): any(p.get("name") == "claimbench.unmeasured" for p in case.iter("property"))
              for case in ElementTree.parse(project.path / "out" / "junit.xml").iter("testcase")}
    assert marked.pop("test_of_no_claim") is False and marked and all(marked.values()), marked
    assert (project.path / "out" / "results.json").read_text(encoding="utf-8") == written


def test_an_ignored_ledger_is_the_users_choice_and_help_is_given_whatever_the_options(
        pytester: pytest.Pytester) -> None:
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "author-repo", pytester.path,
                    dirs_exist_ok=True)
    pytester.makepyfile(test_own="def test_own():\n    pass\n")
    for ignored in ("--ignore=claims", "--ignore=claims/author.toml", "--ignore-glob=claims/*"):
        pytester.runpytest_subprocess("-p", "no:cacheprovider", ignored).assert_outcomes(passed=1)
    assert pytester.runpytest_subprocess("--help", "-o", "claims_train_seeds=0").ret == pytest.ExitCode.OK
    missing = pytester.runpytest_subprocess("--claims-dir=nope")
    assert missing.ret == pytest.ExitCode.USAGE_ERROR and "no tests ran" not in missing.stdout.str()
    missing.stderr.fnmatch_lines(["ERROR: --claims-dir: */nope: no such file or folder"])


@pytest.mark.parametrize("listing", ["--fixtures", "--fixtures-per-test"])
def test_pytests_fixture_listings_collect_a_ledger_folder_without_failing(project: pytest.Pytester,
                                                                         listing: str) -> None:
    """pytest's fixture listings collect without ``pytest_collection``: the ledger's files yield nothing there."""
    result = project.runpytest(listing, "--claims-dir", "reference", "-p", "no:randomly")
    assert result.ret == pytest.ExitCode.OK and "KeyError" not in result.stdout.str(), result.stdout.str()
    assert "check_claim" in result.stdout.str()
