"""The plugin in any project: inert until configured, claims collected from the ledger alone, options under
one prefix with ini equivalents, paths from the ini file's directory, models by reference."""

from __future__ import annotations

import ast
import configparser
import fnmatch
import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest
import torch

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parent.parent

LEDGER = '''
format = 2

[report]
title = "Mine"
modules = ["mymodels"]

[[table]]
id = "sizes"
title = "Sizes"
columns = ["Model", "Params"]
rows = [["tiny", "40"], ["resnet18", "11,689,512"], ["wrong", "41"]]
kind = "params"
count = "trainable"

[[claim]]
id = "params/tiny"
model = "mymodels:tiny"
value = 40
printed = "40"
cell = ["sizes", "tiny", "Params"]
source = "README.md, Sizes, row tiny"

[[claim]]
id = "params/resnet18"
model = "torchvision:resnet18"
value = 11_689_512
printed = "11,689,512"
cell = ["sizes", "resnet18", "Params"]
source = "README.md, Sizes, row resnet18"

[[claim]]
id = "params/wrong"
model = "mine.registered"
value = 41
printed = "41"
cell = ["sizes", "wrong", "Params"]
source = "README.md, Sizes, row wrong"
'''

MODELS = '''
import torch
from claimbench import register_model


def tiny(**overrides):
    """A linear layer of 40 parameters (4 * 8 weights, 8 biases)."""
    return torch.nn.Linear(4, 8, **overrides)


@register_model("mine.registered", input_size=(1, 2, 2))
def registered(**overrides):
    return torch.nn.Linear(4, 8, **overrides)
'''


@pytest.fixture
def author(pytester: pytest.Pytester) -> pytest.Pytester:
    """An author's project: its own models module, a ledger under claims/, the ini naming it; no test file."""
    pytester.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\n")
    (pytester.path / "claims").mkdir()
    (pytester.path / "claims" / "mine.toml").write_text(LEDGER, encoding="utf-8")
    (pytester.path / "mymodels.py").write_text(MODELS, encoding="utf-8")
    return pytester


def test_installing_claimbench_brings_in_no_other_pytest_plugin() -> None:
    """pytest-benchmark, a plugin that adds its own header line and ``.benchmarks/`` to every project, is the
    ``timing`` extra: a ledger's own items time epochs with the engine's timer."""
    from importlib.metadata import requires

    plain = [requirement for requirement in requires("claimbench") or [] if "extra ==" not in requirement]
    assert not [requirement for requirement in plain if requirement.startswith("pytest-")], plain


def test_the_readme_tells_the_plugins_markers_from_this_repositorys_own() -> None:
    """An installed user reads which markers the plugin registers, apart from those this repository's pytest.ini
    declares for its own tests, which no other project has."""
    from claimbench import plugin

    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Tiers and markers\n", 1)[1].split("\n## ")[0]
    registered, own = section.split("\nThis repository's own tests add theirs in its `pytest.ini`")

    def markers(text: str) -> set[str]:
        return {name.partition("(")[0] for line in text.splitlines() if line.startswith("| `")
                for name in re.findall(r"`([^`]+)`", line.split("|")[1])}

    ini = configparser.ConfigParser(interpolation=None)
    ini.read(REPO / "pytest.ini", encoding="utf-8")
    assert markers(registered) == {name.partition("(")[0] for name in plugin.MARKERS}
    assert markers(own) == {line.partition(":")[0] for line in ini["pytest"]["markers"].split("\n") if line}


def test_the_readme_options_table_names_every_option(pytester: pytest.Pytester) -> None:
    """The first column of the README's options table names each ``--claims-*`` option ``pytest --help`` lists, and
    no other."""
    shown = set(re.findall(r"--claims-[a-z-]+", pytester.runpytest_subprocess("--help").stdout.str()))
    section = (REPO / "README.md").read_text(encoding="utf-8").split("\n## Options\n", 1)[1].split("\n## ")[0]
    named = {option for line in section.splitlines() if line.startswith("| `")
             for option in re.findall(r"--claims-[a-z-]+", line.split(" | ")[0])}
    assert named == shown and len(shown) > 10, (named ^ shown)


def test_the_readme_says_how_to_load_the_plugin_where_pytest_loads_no_entry_point(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """``-p`` with the entry point's name, as the README says, loads the plugin under
    ``PYTEST_DISABLE_PLUGIN_AUTOLOAD``."""
    (name,) = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"][
        "pytest11"]
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    where = readme.index("(`PYTEST_DISABLE_PLUGIN_AUTOLOAD=1`")
    assert f"`-p {name}` loads it" in readme[where:where + 200]
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert "--claims-dir" not in pytester.runpytest_subprocess("--help").stdout.str()
    assert "--claims-dir=DIR" in pytester.runpytest_subprocess("-p", name, "--help").stdout.str()


def test_claims_are_collected_from_the_ledger_alone(author: pytest.Pytester) -> None:
    result = author.runpytest_subprocess()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["claims/mine.toml ..F*", "*_ claim mine/params/wrong _*",
                                 "claimed '41' = 41, measured 40, below by 1; exact",
                                 "FAILED claims/mine.toml::mine/params/wrong*"])
    records = {r["id"]: r for r in json.loads((author.path / "out" / "claims.json").read_text())["claims"]}
    assert {cid: r["verdict"] for cid, r in records.items()} == {
        "mine/params/resnet18": "reproduced", "mine/params/tiny": "reproduced", "mine/params/wrong": "refuted"}


@pytest.mark.parametrize(("style", "workers"), [("line", ()), ("line", ("-n", "2")), ("short", ()), ("long", ()),
                                               ("native", ())])
def test_a_refuted_claim_is_one_line_in_every_traceback_style(author: pytest.Pytester, style: str,
                                                              workers: tuple[str, ...]) -> None:
    """``--tb=line`` printed the refuted line, then its first 50 characters again (pytest's line style prints a
    failure's crash line, which a plain string had not); now that crash line alone, at the claim's ``id`` line, under
    pytest-xdist too, whose workers send the report to the controller as data."""
    refuted = "claimed '41' = 41, measured 40, below by 1; exact"
    result = author.runpytest_subprocess(f"--tb={style}", "-rN", "-k", "wrong", *workers)
    assert result.parseoutcomes()["failed"] == 1
    assert result.stdout.str().count(refuted[:30]) == 1, result.stdout.str()
    line = (author.path / "claims" / "mine.toml").read_text(encoding="utf-8").splitlines().index('id = "params/wrong"')
    result.stdout.fnmatch_lines([f"{author.path / 'claims' / 'mine.toml'}:{line + 1}: {refuted}" if style == "line"
                                 else refuted])


@pytest.mark.parametrize(("style", "workers"), [("line", ()), ("line", ("-n", "2")), ("short", ()), ("long", ()),
                                               ("native", ()), ("no", ())])
def test_a_refuted_claims_junit_xml_text_is_the_line_the_terminal_shows(author: pytest.Pytester, style: str,
                                                                        workers: tuple[str, ...]) -> None:
    """JUnit XML's ``<failure>`` text, which CI dashboards show, was empty under ``--tb=line``: the line was in its
    ``message`` alone, and the terminal prints it as the crash line, which pytest leaves out of the text. The text is
    now the line the terminal shows, in every style, under pytest-xdist too; the message is the claim's line."""
    if workers:
        pytest.importorskip("xdist")
    refuted = "claimed '41' = 41, measured 40, below by 1; exact"
    result = author.runpytest_subprocess(f"--tb={style}", "-k", "wrong", "--junitxml=out/junit.xml", *workers)
    assert result.parseoutcomes()["failed"] == 1
    line = (author.path / "claims" / "mine.toml").read_text(encoding="utf-8").splitlines().index('id = "params/wrong"')
    shown = f"{author.path / 'claims' / 'mine.toml'}:{line + 1}: {refuted}" if style == "line" else refuted
    assert (shown in result.stdout.lines) == (style != "no"), result.stdout.str()
    (failure,) = ElementTree.parse(author.path / "out" / "junit.xml").iter("failure")
    assert (failure.get("message"), failure.text) == (refuted, shown)


BROKEN = """
[[claim]]
id = "params/broken"
model = "broken:net"
value = 41
printed = "41"
cell = ["sizes", "broken", "Params"]
source = "README.md, Sizes, row broken"
"""
"""A claim whose model's module raises as it imports (``broken.py``): an error of ours in its item's set-up."""


def _with_a_broken_model(author: pytest.Pytester, ledger: str = LEDGER) -> None:
    """The author's ledger with a row and claim ``BROKEN``, and the module it names, which raises as it imports."""
    ledger = ledger.replace('["wrong", "41"]]', '["wrong", "41"], ["broken", "41"]]') + BROKEN
    (author.path / "claims" / "mine.toml").write_text(ledger, encoding="utf-8")
    (author.path / "broken.py").write_text("raise RuntimeError('broken at import')\n", encoding="utf-8")


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one process", "xdist"])
def test_a_ledger_items_junit_xml_testcase_carries_its_verdict(author: pytest.Pytester,
                                                               workers: tuple[str, ...]) -> None:
    """A claim that errs in its item's set-up, one nobody can check, a refuted one and a reproduced one: each
    testcase carries its verdict (``claimbench.verdict``) beside its claim, the one its record says."""
    if workers:
        pytest.importorskip("xdist")
    _with_a_broken_model(author, LEDGER.replace('source = "README.md, Sizes, row resnet18"\n',
                                                'source = "README.md, Sizes, row resnet18"\nstatus = "unverifiable"\n'
                                                'why = "the weights were never published"\n'))
    result = author.runpytest_subprocess("--junitxml=out/junit.xml", *workers)
    result.assert_outcomes(passed=1, failed=1, skipped=1, errors=1)
    shown = {case.get("name"): dict((prop.get("name"), prop.get("value")) for prop in case.iter("property"))
             for case in ElementTree.parse(author.path / "out" / "junit.xml").iter("testcase")}
    verdicts = {name: properties.get("claimbench.verdict") for name, properties in shown.items()}
    assert verdicts == {"mine/params/tiny": "reproduced", "mine/params/resnet18": "unverifiable",
                        "mine/params/wrong": "refuted", "mine/params/broken": "error"}, shown
    records = json.loads((author.path / "out" / "claims.json").read_text(encoding="utf-8"))["claims"]
    assert verdicts == {record["id"]: record["verdict"] for record in records}


@pytest.mark.parametrize("style", ["line", "short"])
def test_an_error_of_ours_in_set_up_is_shaped_as_pytest_shapes_a_fixtures_error(author: pytest.Pytester,
                                                                               style: str) -> None:
    """Under ``--tb=line`` pytest prints a fixture's error as its header, then the exception's line after ``E   ``
    (no ``file:line:``: only a failure's crash line has one); a claim's error of ours printed its line bare. Other
    styles print it as they did."""
    _with_a_broken_model(author)
    author.makepyfile(test_fixture="import pytest\n\n\n@pytest.fixture\ndef broken():\n"
                                   "    raise RuntimeError('the fixture broke')\n\n\ndef test_broken(broken):\n"
                                   "    pass\n")
    result = author.runpytest_subprocess(f"--tb={style}", "-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=1, errors=2)
    ours = ("error: mine.toml:*: mine/params/broken: model: cannot import 'broken': RuntimeError: broken at import "
            "(at broken.py:1: *)")
    result.stdout.fnmatch_lines(["*_ ERROR at setup of claim mine/params/broken _*",
                                 f"E   {ours}" if style == "line" else ours, "*_ ERROR at setup of test_broken _*"],
                                consecutive=True)
    if style == "line":
        result.stdout.fnmatch_lines(["*_ ERROR at setup of test_broken _*", "E   RuntimeError: the fixture broke",
                                     "*= FAILURES =*"], consecutive=True)


def test_a_ledger_item_names_the_row_whose_number_its_refuted_claim_prints(author: pytest.Pytester) -> None:
    """A ledger's own item judged a refuted claim without the ledger: the resnet18 row printing the tiny row's
    number said only how far it was."""
    copied = LEDGER.replace('["resnet18", "11,689,512"]', '["resnet18", "40"]').replace(
        'value = 11_689_512\nprinted = "11,689,512"', 'value = 40\nprinted = "40"')
    (author.path / "claims" / "mine.toml").write_text(copied, encoding="utf-8")
    result = author.runpytest_subprocess("-k", "resnet18")
    result.stdout.fnmatch_lines(["claimed '40' = 40, measured 11,689,512, above by 11,689,472; exact; it matches the "
                                 "number printed in row 'tiny' of the same column (claim params/tiny)"])


@pytest.mark.parametrize(("correct", "outcome", "verdict"), [(40, "xfailed", "known error"), (39, "failed", "refuted")])
def test_a_known_error_holds_only_where_its_correct_value_is_measured(author: pytest.Pytester, correct: int,
                                                                     outcome: str, verdict: str) -> None:
    ledger = author.path / "claims" / "mine.toml"
    ledger.write_text(LEDGER.replace('printed = "41"\n', f'printed = "41"\nexpect = "refuted"\ncorrect = {correct}\n'
                                     'why = "the author counted a bias twice: 40"\n'), encoding="utf-8")
    result = author.runpytest_subprocess("-k", "wrong")
    result.assert_outcomes(**{outcome: 1}, deselected=2)
    records = json.loads((author.path / "out" / "claims.json").read_text())["claims"]
    assert {r["id"]: r["verdict"] for r in records}["mine/params/wrong"] == verdict


def test_tier_markers_select_ledger_items(author: pytest.Pytester) -> None:
    author.runpytest_subprocess("-m", "params", "-k", "tiny").assert_outcomes(passed=1, deselected=2)


def test_paths_resolve_from_the_ini_files_directory(author: pytest.Pytester) -> None:
    (author.path / "sub").mkdir()
    result = author.runpytest_subprocess("--rootdir", str(author.path / "sub"), str(author.path / "claims"))
    result.assert_outcomes(passed=2, failed=1)
    assert (author.path / "out" / "claims.json").exists()


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_tests_named_on_the_command_line_run_alone_and_write_no_report(author: pytest.Pytester,
                                                                       workers: list[str]) -> None:
    """``pytest tests/test_unit.py`` in an author's project runs that test, as pytest would without claimbench."""
    if workers:
        pytest.importorskip("xdist")
    author.makepyfile(test_other="def test_other():\n    pass\n")
    result = author.runpytest_subprocess("test_other.py", *workers)
    assert result.ret == pytest.ExitCode.OK and "INTERNALERROR" not in result.stdout.str()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["claimbench: no claim ran, so no file was written"])
    assert not (author.path / "out").exists()


HEAVY = ("torch", "pydantic", "claimbench.schema", "claimbench.ledger", "claimbench.items", "claimbench.results",
         "claimbench.verdict", "claimbench.measure")
"""What a run that collects no claim leaves unimported: seconds and hundreds of MB an author's unit tests never use."""


@pytest.mark.parametrize("options", [[], ["--co", "-q"], ["-n", "2"]], ids=["run", "co", "xdist"])
def test_tests_outside_the_ledger_import_neither_torch_nor_the_ledgers_machinery(author: pytest.Pytester,
                                                                                 options: list[str]) -> None:
    """``pytest t`` in an author's project collects no claim: as without claimbench, nothing heavy is imported, in
    the controller or in a pytest-xdist worker; the run still says that no claim ran."""
    if "-n" in options:
        pytest.importorskip("xdist")
    (author.path / "t").mkdir()
    (author.path / "t" / "test_x.py").write_text("def test_x():\n    pass\n\n\ndef test_y():\n    assert 0\n",
                                                 encoding="utf-8")  # a worker's failure reaches the controller too
    (author.path / "t" / "conftest.py").write_text(textwrap.dedent(f"""\
        import os, sys
        from pathlib import Path


        def pytest_sessionfinish(session):
            found = [name for name in {HEAVY!r} if name in sys.modules]
            Path(__file__).with_name(f"imported-{{os.getpid()}}.txt").write_text(" ".join(found) or "none")
        """), encoding="utf-8")
    result = author.runpytest_subprocess("t", *options)
    expected = pytest.ExitCode.OK if "--co" in options else pytest.ExitCode.TESTS_FAILED
    assert result.ret == expected, result.stdout.str() + result.stderr.str()
    seen = {path.name: path.read_text(encoding="utf-8") for path in (author.path / "t").glob("imported-*.txt")}
    assert len(seen) == (3 if "-n" in options else 1) and set(seen.values()) == {"none"}, seen
    if "--co" not in options:
        result.stdout.fnmatch_lines(["claimbench: no claim ran, so no file was written"])


def test_a_benchmark_json_of_tests_outside_the_ledger_imports_no_torch(author: pytest.Pytester) -> None:
    """pytest-benchmark asks every plugin for its machine info when it saves a benchmark: in a run that collected no
    claim, claimbench adds none, and so imports no torch for it."""
    pytest.importorskip("pytest_benchmark")
    (author.path / "t").mkdir()
    (author.path / "t" / "test_bench.py").write_text("def test_bench(benchmark):\n    benchmark(len, ())\n",
                                                     encoding="utf-8")
    (author.path / "t" / "conftest.py").write_text(textwrap.dedent(f"""\
        import sys
        from pathlib import Path


        def pytest_unconfigure(config):
            found = [name for name in {HEAVY!r} if name in sys.modules]
            Path(__file__).with_name("imported.txt").write_text(" ".join(found) or "none")
        """), encoding="utf-8")
    author.runpytest_subprocess("t", "--benchmark-json=bench.json").assert_outcomes(passed=1)
    assert "torch" not in json.loads((author.path / "bench.json").read_text(encoding="utf-8"))["machine_info"]
    assert (author.path / "t" / "imported.txt").read_text(encoding="utf-8") == "none"


TIMED = '''
[recipe.quick]
optimizer = "sgd"
lr = 0.1
batch_size = 32
epochs = 1
schedule = "constant"
validation = "none"
normalize = "unit"

[[claim]]
id = "epoch_time/tiny"
kind = "epoch_time"
model = "mymodels:tiny"
dataset = "fashion_mnist"
recipe = "quick"
hardware = "RTX 3070 Laptop"
value = 5.0
printed = "5.0 s"
tolerance = { rel = 0.5 }
source = "README.md, text"
'''
"""An epoch time of a GPU this machine is not: not run by claimbench (no CUDA, or another GPU) before anything is
timed."""


def test_pytest_benchmarks_options_treat_a_ledgers_epoch_times_as_benchmarks(author: pytest.Pytester) -> None:
    """A ledger's epoch-time items take pytest-benchmark's ``benchmark``, as a test function naming it does:
    ``--benchmark-only`` runs them alone, ``--benchmark-skip`` skips them alone."""
    pytest.importorskip("pytest_benchmark")
    ledger = author.path / "claims" / "mine.toml"
    ledger.write_text(ledger.read_text(encoding="utf-8") + TIMED, encoding="utf-8")
    only = author.runpytest_subprocess("-rs", "-k", "tiny", "--benchmark-only", "-p", "no:randomly")
    only.assert_outcomes(skipped=2)
    only.stdout.fnmatch_lines(["SKIPPED [[]1[]] claims/mine.toml*: Skipping non-benchmark (--benchmark-only active).",
                               "SKIPPED [[]1[]] claims/mine.toml:[0-9]*: *"])  # claimbench's: no CUDA, or no RTX
    skip = author.runpytest_subprocess("-rs", "-k", "tiny", "--benchmark-skip", "-p", "no:randomly")
    skip.assert_outcomes(passed=1, skipped=1)
    skip.stdout.fnmatch_lines(["SKIPPED [[]1[]] claims/mine.toml*: Skipping benchmark (--benchmark-skip active)."])


def test_a_benchmark_json_of_tests_outside_the_ledger_that_ran_torch_names_torch(author: pytest.Pytester) -> None:
    """Every timing record names torch's version (``STYLE.md``): where the tests themselves imported torch (this
    repository's throughput benchmarks), the machine info names it and the training device, as a claims session's."""
    pytest.importorskip("pytest_benchmark")
    (author.path / "t").mkdir()
    (author.path / "t" / "test_bench.py").write_text(
        "import torch\n\n\ndef test_bench(benchmark):\n    benchmark(torch.ones, 2)\n", encoding="utf-8")
    author.runpytest_subprocess("t", "--benchmark-json=bench.json").assert_outcomes(passed=1)
    info = json.loads((author.path / "bench.json").read_text(encoding="utf-8"))["machine_info"]
    assert info["torch"] == torch.__version__ and info["train_device"], info


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_plain_pytest_in_a_subfolder_runs_its_tests_alone(author: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                                         workers: list[str]) -> None:
    """``cd tests/unit && pytest``: pytest collects that folder, not the testpaths, as if it were named."""
    if workers:
        pytest.importorskip("xdist")
    author.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\ntestpaths = claims tests\n")
    unit = author.path / "tests" / "unit"
    unit.mkdir(parents=True)
    (unit / "test_unit.py").write_text("def test_unit():\n    pass\n", encoding="utf-8")
    monkeypatch.chdir(unit)
    result = author.runpytest_subprocess(*workers)
    assert result.ret == pytest.ExitCode.OK, result.stderr.str()
    result.assert_outcomes(passed=1)
    assert not (author.path / "out").exists()


@pytest.mark.parametrize("options", [["--co", "-q"], ["--lf", "--co", "-q"]], ids=["co", "lf-co"])
def test_listing_the_claims_prints_nothing_of_claimbench_s_own(author: pytest.Pytester, options: list[str]) -> None:
    result = author.runpytest_subprocess(*options)
    assert result.ret == pytest.ExitCode.OK
    assert result.outlines[:3] == ["claims/mine.toml::mine/params/resnet18", "claims/mine.toml::mine/params/tiny",
                                   "claims/mine.toml::mine/params/wrong"]
    assert not [line for line in result.outlines if "claimbench" in line], result.stdout.str()
    assert not (author.path / "out").exists()


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_testpaths_that_leave_the_ledger_out_are_a_usage_error(author: pytest.Pytester, workers: list[str]) -> None:
    """A plain ``pytest`` whose testpaths miss the ledger would check nothing while its ini asks for a report."""
    if workers:
        pytest.importorskip("xdist")
    author.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\ntestpaths = tests\n")
    (author.path / "tests").mkdir()
    (author.path / "tests" / "test_other.py").write_text("def test_other():\n    pass\n", encoding="utf-8")
    result = author.runpytest_subprocess(*workers)
    assert result.ret == pytest.ExitCode.USAGE_ERROR and "INTERNALERROR" not in result.stdout.str()
    assert "passed" not in result.stdout.str(), "the workers ran the tests first"
    (result.stdout if workers else result.stderr).fnmatch_lines([
        "*none of its 3 claims was collected, so nothing would be checked: add its directory to the testpaths*"])
    assert "no claim ran" not in result.stdout.str(), "a line that reads as if the run had been allowed"


@pytest.mark.parametrize("folder", [".claims", "build"])
def test_a_ledger_folder_pytest_skips_by_its_name_is_a_usage_error_that_says_so(author: pytest.Pytester,
                                                                              folder: str) -> None:
    """norecursedirs (".*", "build", ...) is pytest's default, nobody's choice to leave the ledger out: the run
    would pass having checked nothing."""
    (author.path / "claims").rename(author.path / folder)
    author.makeini(f"[pytest]\nclaims_dir = {folder}\nclaims_json = out/claims.json\n")
    author.makepyfile(test_unit="def test_unit():\n    pass\n")
    result = author.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*none of its 3 claims was collected, so nothing would be checked: pytest skips its "
                                 f"folder {folder}, whose name matches the norecursedirs pattern *: rename the folder,"
                                 " or run `claimbench check`"])


def test_last_failed_reruns_the_failures_without_a_usage_error(author: pytest.Pytester) -> None:
    """``--lf`` collects only the files that failed: no ledger item, by the user's choice."""
    author.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\ntestpaths = tests claims\n")
    right = LEDGER.replace('"41"', '"40"').replace("value = 41", "value = 40")  # every claim passes
    (author.path / "claims" / "mine.toml").write_text(right, encoding="utf-8")
    (author.path / "tests").mkdir()
    (author.path / "tests" / "test_unit.py").write_text("def test_unit():\n    assert False\n", encoding="utf-8")
    author.runpytest_subprocess("-p", "cacheprovider").assert_outcomes(passed=3, failed=1)
    result = author.runpytest_subprocess("-p", "cacheprovider", "--lf")
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str() + result.stderr.str()
    result.assert_outcomes(failed=1)


def test_a_claim_whose_own_test_k_leaves_out_is_measured_by_its_ledger_item(author: pytest.Pytester) -> None:
    """A test of the author's own takes its claims' ledger items' place only when it is itself selected."""
    author.makepyfile(test_own="import pytest\n\n@pytest.mark.claims('params')\n"
                               "def test_params(claim_measurement, check_claim):\n    check_claim(claim_measurement)\n")
    mine = author.runpytest_subprocess("-k", "test_params")
    mine.assert_outcomes(passed=2, failed=1, deselected=3)
    ledger = author.runpytest_subprocess("-k", "not test_params")
    ledger.assert_outcomes(passed=2, failed=1, deselected=3)
    assert "claims/mine.toml::mine/params/wrong" in ledger.stdout.str()
    both = author.runpytest_subprocess("-k", "params")  # selected both ways: each claim measured once, by the test
    both.assert_outcomes(passed=2, failed=1, deselected=3)
    assert "claims/mine.toml::mine/params/wrong" not in both.stdout.str()


def test_a_claim_two_tests_measure_is_recorded_as_the_worse_measurement(author: pytest.Pytester) -> None:
    """A project's test parametrized over devices measures a claim twice: the last to finish decided its verdict,
    a refutation hidden under a green badge in a red run (and, under pytest-xdist, in no fixed order)."""
    author.makepyfile(test_own="import dataclasses\n\nimport pytest\n\n"
                               "@pytest.mark.parametrize('offset', [450, 0])\n@pytest.mark.claims('params')\n"
                               "def test_params(claim_measurement, check_claim, offset):\n"
                               "    check_claim(dataclasses.replace(claim_measurement, "
                               "measured=claim_measurement.measured + offset))\n")
    author.runpytest_subprocess("-k", "test_params and tiny").assert_outcomes(passed=1, failed=1, deselected=7)
    records = {r["id"]: r for r in json.loads((author.path / "out" / "claims.json").read_text())["claims"]}
    assert (records["mine/params/tiny"]["verdict"], records["mine/params/tiny"]["measured"]) == ("refuted", 490)


def test_a_kind_the_claims_marker_does_not_know_is_an_error_of_collecting_its_test(author: pytest.Pytester) -> None:
    """``@pytest.mark.claims("param")``, a list, or a tier marker's name ("layers"): the test was skipped as an empty
    parameter set, the project's own check never ran, and the run passed."""
    author.makepyfile(test_own="import pytest\n\n@pytest.mark.claims('params', 'layers')\n"
                               "def test_params(claim_measurement, check_claim):\n    check_claim(claim_measurement)\n")
    result = author.runpytest_subprocess("test_own.py")
    assert result.ret == pytest.ExitCode.INTERRUPTED, result.stdout.str()
    result.stdout.fnmatch_lines(["*@pytest.mark.claims('params', 'layers'): 'layers' is no claim kind (did you mean "
                                 "'layer'?); the kinds: params, macs, layer, *"])
    author.makepyfile(test_own="import pytest\n\n@pytest.mark.claims()\n"
                               "def test_params(claim_measurement, check_claim):\n    check_claim(claim_measurement)\n")
    bare = author.runpytest_subprocess("test_own.py")
    assert bare.ret == pytest.ExitCode.INTERRUPTED, bare.stdout.str()
    bare.stdout.fnmatch_lines(["*@pytest.mark.claims(): it names no kind; the kinds: params, *"])


def test_a_test_that_only_reads_its_claim_leaves_the_ledger_items_and_their_records(author: pytest.Pytester) -> None:
    """Only a test that measures (``claim_measurement``, ``check_claim``) stands in for a claim's ledger item: one
    that reads ``claim`` leaves the items collected, the records of a run before it kept, and a documented error's
    strict xfail on the item, not on the reading test."""
    ledger = author.path / "claims" / "mine.toml"
    ledger.write_text(LEDGER.replace('printed = "41"\n', 'printed = "41"\nexpect = "refuted"\ncorrect = 40\n'
                                     'why = "the author counted a bias twice: 40"\n'), encoding="utf-8")
    author.runpytest_subprocess("-k", "tiny or wrong").assert_outcomes(passed=1, xfailed=1, deselected=1)
    author.makepyfile(test_meta="import pytest\n\n@pytest.mark.claims('params')\n"
                                "def test_printed(claim):\n    assert claim.printed.replace(',', '') == "
                                "str(claim.value)\n")
    result = author.runpytest_subprocess("-k", "test_printed or tiny or wrong")
    result.assert_outcomes(passed=4, xfailed=1, deselected=1)
    records = {r["id"]: r for r in json.loads((author.path / "out" / "claims.json").read_text())["claims"]}
    assert {cid: r["verdict"] for cid, r in records.items()} == {
        "mine/params/resnet18": "not run", "mine/params/tiny": "reproduced", "mine/params/wrong": "known error"}
    assert "not selected" in records["mine/params/resnet18"]["reason"]
    author.runpytest_subprocess("-k", "test_printed").assert_outcomes(passed=3, deselected=3)
    again = {r["id"]: r for r in json.loads((author.path / "out" / "claims.json").read_text())["claims"]}
    assert again == records  # a run that measured nothing wrote nothing
    author.makepyfile(test_idle="import pytest\n\n@pytest.mark.claims('params')\n"
                                "def test_idle(claim, check_claim):\n    pass\n")
    author.runpytest_subprocess("-k", "test_idle").assert_outcomes(passed=2, failed=1, deselected=6)  # strict xfail
    idle = {r["id"]: r for r in json.loads((author.path / "out" / "claims.json").read_text())["claims"]}
    assert idle == records  # a test that stood in but recorded nothing leaves the records as they were


def test_a_claim_dropped_for_a_change_says_why_in_every_partial_run_until_it_is_measured(
        author: pytest.Pytester) -> None:
    """The second partial run after an edit of the models said the dropped claim had 'no earlier record', as the
    first had left it undated: it says why until it is measured again, a claim never measured still has no earlier
    record, and the model file restored brings back the record measured with it."""
    author.runpytest_subprocess().assert_outcomes(passed=2, failed=1)
    unmeasured = ('\n[[claim]]\nid = "params/new"\nkind = "params"\ncount = "trainable"\nmodel = "mymodels:tiny"\n'
                  'value = 40\nprinted = "40"\nsource = "README.md, Sizes, below"\n')
    (author.path / "claims" / "mine.toml").write_text(LEDGER + unmeasured, encoding="utf-8")
    models = author.path / "mymodels.py"
    models.write_text(MODELS + "# c\n", encoding="utf-8")
    saved = author.path / "out" / "claims.json"
    line = "claimbench: 1 earlier record dropped, shown as not run: 1 measured with other model code"
    for selected in ("tiny", "resnet18"):
        result = author.runpytest_subprocess("-k", selected)
        result.stdout.fnmatch_lines([line])
        records = {r["id"]: r for r in json.loads(saved.read_text(encoding="utf-8"))["claims"]}
        assert records["mine/params/wrong"]["verdict"] == "not run"
        assert records["mine/params/wrong"]["reason"].endswith(
            "was measured with other model code (changed: mymodels.py): run it again")
        assert records["mine/params/new"]["reason"] == "not measured: not selected in this run, and no earlier record"
    models.write_text(MODELS, encoding="utf-8")
    author.runpytest_subprocess("-k", "resnet18")
    records = {r["id"]: r for r in json.loads(saved.read_text(encoding="utf-8"))["claims"]}
    assert (records["mine/params/wrong"]["verdict"], records["mine/params/wrong"].get("carried")) == ("refuted", True)
    assert records["mine/params/tiny"]["dropped"] == "measured with other model code (changed: mymodels.py)", (
        "measured with the edit")


def test_a_record_dropped_for_an_edited_module_of_the_models_package_names_that_module(
        author: pytest.Pytester) -> None:
    """An author who edited a comment in one module of their package saw every record of its models dropped as
    'measured with other model code', without a word on which file changed: the reason names it, and the terminal
    still counts the records dropped for it under one reason."""
    (author.path / "mymodels.py").unlink()
    package = author.path / "mymodels"
    package.mkdir()
    (package / "__init__.py").write_text(MODELS, encoding="utf-8")
    (package / "layers.py").write_text("WIDTH = 8\n", encoding="utf-8")
    author.runpytest_subprocess().assert_outcomes(passed=2, failed=1)
    (package / "layers.py").write_text("WIDTH = 8  # the hidden width\n", encoding="utf-8")
    result = author.runpytest_subprocess("-k", "resnet18")
    result.stdout.fnmatch_lines(["claimbench: 2 earlier records dropped, shown as not run: "
                                 "2 measured with other model code"])
    records = {r["id"]: r for r in json.loads((author.path / "out" / "claims.json").read_text())["claims"]}
    words = "measured with other model code (changed: mymodels/layers.py)"
    assert {cid: r["dropped"] for cid, r in records.items() if r.get("dropped")} == dict.fromkeys(
        ("mine/params/tiny", "mine/params/wrong"), words)
    assert records["mine/params/tiny"]["reason"].endswith(f"was {words}: run it again")


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_check_runs_the_ledger_alone_from_anywhere(author: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory,
                                                  workers: list[str]) -> None:
    """A reviewer's ``claimbench check`` of another clone runs its claims, not the tests of the reviewer's folder,
    with the models of the pythonpath given, not a module of the same name in that folder, also under
    pytest-xdist (whose workers do not see a plugin object handed to ``pytest.main``), and writes no
    ``__pycache__`` into the clone."""
    if workers:
        pytest.importorskip("xdist")
    reviewer = tmp_path_factory.mktemp("reviewer")
    (reviewer / "test_mine.py").write_text("def test_mine():\n    pass\n", encoding="utf-8")
    (reviewer / "mymodels.py").write_text("raise ImportError('the reviewer\\'s own mymodels')\n", encoding="utf-8")
    script = Path(sys.executable).with_name("claimbench")  # as installed: the current folder is not on sys.path
    command = [str(script), "check", f"--claims-dir={author.path / 'claims'}", "-o",
               f"pythonpath={author.path}", "-p", "no:cacheprovider", "-rA", *workers]
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    finished = subprocess.run(command, cwd=reviewer, capture_output=True, text=True, check=False, env=environment)
    assert finished.returncode == pytest.ExitCode.TESTS_FAILED, finished.stdout[-2000:] + finished.stderr
    assert "1 failed, 2 passed" in finished.stdout and "test_mine" not in finished.stdout, finished.stdout[-2000:]
    assert not list(author.path.rglob("__pycache__")), "the check wrote into the clone it checked"


def test_check_of_one_ledger_file_outside_the_current_folder_names_it(
        author: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A ledger file given alone lies outside the rootdir (the current folder), where pytest gives the path it was
    named by an empty node id: its error was "of the test session", and its claims' ids began with "::". It is named
    as a file of a folder given is, by its name."""
    reviewer = tmp_path_factory.mktemp("reviewer")
    command = [sys.executable, "-m", "claimbench.cli", "check", "-p", "no:cacheprovider",
               f"--claims-dir={author.path / 'claims' / 'mine.toml'}", "-o", f"pythonpath={author.path}"]
    listed = subprocess.run([*command, "--co", "-q"], cwd=reviewer, capture_output=True, text=True, check=False)
    assert [line for line in listed.stdout.splitlines() if "::" in line] == [
        "mine.toml::mine/params/resnet18", "mine.toml::mine/params/tiny", "mine.toml::mine/params/wrong"], listed.stdout
    (author.path / "claims" / "mine.toml").write_text(LEDGER.replace("value = 40\n", 'value = "40"\n'))
    finished = subprocess.run(command, cwd=reviewer, capture_output=True, text=True, check=False)
    assert finished.returncode == pytest.ExitCode.INTERRUPTED, finished.stdout[-2000:] + finished.stderr
    assert re.search(r"\n_+ ERROR collecting mine\.toml _+\nclaims ledger rejected: mine\.toml:19: mine/params/tiny: "
                     r"value: .*\n=+ short test summary info =+\nERROR mine\.toml\n", finished.stdout), finished.stdout


def test_check_runs_with_pytests_plugin_autoload_off(author: pytest.Pytester) -> None:
    """``PYTEST_DISABLE_PLUGIN_AUTOLOAD``: no entry point is loaded, so ``check`` names claimbench itself."""
    script = Path(sys.executable).with_name("claimbench")
    environment = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    finished = subprocess.run([str(script), "check", "-p", "no:cacheprovider"], cwd=author.path, capture_output=True,
                              text=True, check=False, env=environment)
    assert finished.returncode == pytest.ExitCode.TESTS_FAILED, finished.stdout[-2000:] + finished.stderr
    assert "1 failed, 2 passed" in finished.stdout


def test_a_rejected_ledger_is_an_error_of_collecting_it_alone(author: pytest.Pytester) -> None:
    """A ledger with a TODO left by ``claimbench init`` fails the sessions that collect it, as a syntax error fails
    its module's: a unit test named on the command line still runs; ``claimbench check`` fails in one line."""
    (author.path / "claims" / "mine.toml").write_text(LEDGER.replace("value = 40\n", 'value = "TODO: how many"\n'))
    (author.path / "tests").mkdir()
    (author.path / "tests" / "test_unit.py").write_text("def test_unit():\n    assert True\n", encoding="utf-8")
    author.runpytest_subprocess("tests/test_unit.py").assert_outcomes(passed=1)
    line = "claims ledger rejected: mine.toml:19: mine/params/tiny: value: TODO left by claimbench draft: how many"
    everything = author.runpytest_subprocess()
    assert everything.ret == pytest.ExitCode.INTERRUPTED
    everything.stdout.fnmatch_lines(["*ERROR collecting claims/mine.toml*", line, "ERROR claims/mine.toml"])
    finished = subprocess.run([str(Path(sys.executable).with_name("claimbench")), "check", "-p", "no:cacheprovider"],
                              cwd=author.path, capture_output=True, text=True, check=False)
    assert finished.returncode == pytest.ExitCode.INTERRUPTED, finished.stdout[-2000:] + finished.stderr
    assert f"\n{line}\n" in finished.stdout


def test_a_rejected_ledger_file_leaves_the_others_collected_and_writes_nothing(author: pytest.Pytester) -> None:
    """A rejected file is an error of its own collection: the ledger's other files still yield their claims (one of
    them named on the command line runs alone), and no result file is written while one file's claims go unjudged."""
    (author.path / "claims" / "bad.toml").write_text(LEDGER.replace("value = 40\n", 'value = "TODO: how many"\n'))
    alone = author.runpytest_subprocess("claims/mine.toml")
    alone.assert_outcomes(passed=2, failed=1)
    alone.stdout.fnmatch_lines(["claimbench: a ledger file was rejected, so no file was written: bad.toml:19: "
                                "*/params/tiny: value: TODO left by claimbench draft: how many"])
    assert not (author.path / "out").exists()
    everything = author.runpytest_subprocess("--continue-on-collection-errors")
    everything.assert_outcomes(passed=2, failed=1, errors=1)
    everything.stdout.fnmatch_lines(["*ERROR collecting claims/bad.toml*", "claims ledger rejected: bad.toml:19: *",
                                     "claimbench: a ledger file was rejected, so no file was written"])
    assert not (author.path / "out").exists()


@pytest.mark.parametrize(("folder", "beside", "options"), [
    ("claims", False, []), ("claims", True, []), (".claims", False, ["-k", "tiny"]), (".claims", True, []),
    ("claims", False, ["-n", "2"]), ("claims", True, ["-n", "2"])],
    ids=["testpaths", "testpaths-beside-a-valid-file", "norecursedirs-k", "norecursedirs-beside-a-valid-file",
         "testpaths-xdist", "testpaths-beside-a-valid-file-xdist"])
def test_a_rejected_ledger_file_no_run_collects_is_a_usage_error_that_shows_it(
        author: pytest.Pytester, folder: str, beside: bool, options: list[str]) -> None:
    """A ledger that a plain ``pytest`` leaves out (testpaths without it, a folder norecursedirs skips) shows no
    collection error: its rejected file's problems lead the usage error, the first line naming file, claim and
    field, never a run that passes, or ends in 'no tests ran', having said nothing; the last run's files stay."""
    if "-n" in options:
        pytest.importorskip("xdist")
    name = "bad.toml" if beside else "mine.toml"
    (author.path / "claims" / name).write_text(LEDGER.replace("value = 40\n", 'value = "TODO: how many"\n'))
    (author.path / "claims").rename(author.path / folder)
    testpaths = "testpaths = tests\n" if folder == "claims" else ""
    author.makeini(f"[pytest]\nclaims_dir = {folder}\nclaims_json = out/claims.json\n{testpaths}")
    (author.path / "tests").mkdir()
    (author.path / "tests" / "test_unit.py").write_text("def test_unit():\n    pass\n", encoding="utf-8")
    (author.path / "out").mkdir()
    (author.path / "out" / "claims.json").write_text("the last run's\n", encoding="utf-8")
    result = author.runpytest_subprocess(*options)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str() + result.stderr.str()
    assert "passed" not in result.stdout.str() and "INTERNALERROR" not in result.stdout.str()
    (result.stdout if "-n" in options else result.stderr).fnmatch_lines([
        f"ERROR: claims ledger rejected: {name}:19: */params/tiny: value: TODO left by claimbench draft: how many",
        f"claims ledger */{folder}: none of its * was collected, so nothing would be checked: *"])
    assert (author.path / "out" / "claims.json").read_text(encoding="utf-8") == "the last run's\n"


TODO_VALUE = ("value = 40\n", 'value = "TODO: how many"\n')
"""A TODO that ``claimbench init`` left in a claim's value: a ledger file the loader refuses."""
REFUSED = {  # how a ledger file is refused: the first line that says so, past its start
    "a field": "mine.toml:19: mine/params/tiny: value: TODO left by claimbench draft: how many",
    "an unknown model": "mine.toml:18: mine/params/tiny: model: model 'mymodels:tiny2': module 'mymodels' has no *",
    "a module that does not import": "mine.toml:6: (report): modules: cannot import 'mymodels': No module named *",
    "a file name": "*/mine?2?.toml: (file): (path): a ledger file's name begins its claims' ids, *",
    "a marked test": "mine.toml:19: mine/params/tiny: value: TODO left by claimbench draft: how many",
}


def _refuse(author: pytest.Pytester, refusal: str) -> None:
    """Make the author's ledger file one the plugin refuses, in the way ``refusal`` names."""
    ledger = author.path / "claims" / "mine.toml"
    if refusal in ("a field", "a marked test"):
        ledger.write_text(LEDGER.replace(*TODO_VALUE), encoding="utf-8")
    elif refusal == "an unknown model":
        ledger.write_text(LEDGER.replace("mymodels:tiny", "mymodels:tiny2"), encoding="utf-8")
    elif refusal == "a module that does not import":
        (author.path / "mymodels.py").rename(author.path / "elsewhere.py")
    else:
        ledger.rename(ledger.with_name("mine[2].toml"))
    if refusal == "a marked test":
        (author.path / "tests" / "test_own.py").write_text(
            "import pytest\n\n@pytest.mark.claims('params')\ndef test_params(claim):\n    pass\n", encoding="utf-8")


@pytest.mark.parametrize(("refusal", "folder", "options"), [
    *((refusal, "claims", []) for refusal in REFUSED), *((refusal, ".claims", []) for refusal in REFUSED),
    ("a field", "claims", ["-n", "2"]), ("a marked test", "claims", ["-n", "2"])],
    ids=[*(f"testpaths-{refusal}" for refusal in REFUSED), *(f"norecursedirs-{refusal}" for refusal in REFUSED),
         "testpaths-xdist-a field", "testpaths-xdist-a marked test"])
def test_a_refused_ledger_file_fails_a_plain_pytest_that_writes_no_report(
        author: pytest.Pytester, refusal: str, folder: str, options: list[str]) -> None:
    """With no report, JSON, badges or plots configured, a plain ``pytest`` whose testpaths, or norecursedirs,
    leave the ledger out, and which collects the author's other tests, never passes in silence over a ledger file
    refused at collection, by the loader, for an unknown model or a module that does not import, or by the
    parametrization of a test marked ``claims``: the marked test's collection error, else a usage error, says which
    file, claim and field in its first line."""
    if "-n" in options:
        pytest.importorskip("xdist")
    (author.path / "tests").mkdir()
    (author.path / "tests" / "test_unit.py").write_text("def test_unit():\n    pass\n", encoding="utf-8")
    _refuse(author, refusal)
    (author.path / "claims").rename(author.path / folder)
    testpaths = "testpaths = tests\n" if folder == "claims" else ""
    author.makeini(f"[pytest]\nclaims_dir = {folder}\n{testpaths}")
    result = author.runpytest_subprocess(*options)
    said = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in said and "INTERNALERROR" not in said, said
    if refusal == "a marked test":  # under pytest-xdist, as a test module's syntax error: the other tests run
        assert result.ret == (pytest.ExitCode.TESTS_FAILED if options else pytest.ExitCode.INTERRUPTED), said
        result.stdout.fnmatch_lines(["*ERROR collecting tests/test_own.py*",
                                     f"@pytest.mark.claims: its claims ledger was rejected: {REFUSED[refusal]}"])
        assert "ERROR: claims ledger rejected" not in said, "a second error for the one the collection showed"
        return
    assert result.ret == pytest.ExitCode.USAGE_ERROR and "passed" not in result.stdout.str(), said
    first = result.stderr.lines[0] if not options else next(
        (line for line in result.stdout.lines if line.startswith("ERROR: ")), "")
    assert fnmatch.fnmatch(first, f"ERROR: claims ledger rejected: {REFUSED[refusal]}"), said


@pytest.mark.parametrize(("folder", "ini", "options"), [
    ("claims", "", []), ("claims", "", ["-n", "2"]), (".claims", "", []), (".claims", "", ["-n", "2"]),
    ("claims", "claims_json = out/claims.json\n", []), ("claims", "", ["--ignore=claims/bad.toml"])],
    ids=["testpaths", "testpaths-xdist", "norecursedirs", "norecursedirs-xdist", "testpaths-report",
         "testpaths-ignore"])
def test_a_refused_ledger_file_the_configured_paths_leave_out_fails_a_run_that_collects_another(
        author: pytest.Pytester, folder: str, ini: str, options: list[str]) -> None:
    """testpaths that name the author's tests and one good ledger file, not the refused one beside it (in a folder
    norecursedirs skips, which only the testpaths' file is collected from), never pass in silence: the run collects
    claims, and no collection error shows the refused file, whose problems lead the usage error, report or none,
    under pytest-xdist too, and the last run's files stay; a refused file the user ``--ignore``s is their choice."""
    if "-n" in options:
        pytest.importorskip("xdist")
    (author.path / "tests").mkdir()
    (author.path / "tests" / "test_unit.py").write_text("def test_unit():\n    pass\n", encoding="utf-8")
    (author.path / "claims" / "bad.toml").write_text(LEDGER.replace(*TODO_VALUE), encoding="utf-8")
    right = LEDGER.replace('"41"', '"40"').replace("value = 41", "value = 40")  # every claim of it reproduced
    (author.path / "claims" / "mine.toml").write_text(right, encoding="utf-8")
    (author.path / "claims").rename(author.path / folder)
    author.makeini(f"[pytest]\nclaims_dir = {folder}\n{ini}testpaths = tests {folder}/mine.toml\n")
    (author.path / "out").mkdir()
    (author.path / "out" / "claims.json").write_text("the last run's\n", encoding="utf-8")
    result = author.runpytest_subprocess(*options)
    said = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in said and "INTERNALERROR" not in said, said
    if "--ignore=claims/bad.toml" in options:
        assert result.ret == pytest.ExitCode.OK, said
        result.assert_outcomes(passed=4)
        return
    assert result.ret == pytest.ExitCode.USAGE_ERROR and "passed" not in result.stdout.str(), said
    (result.stdout if "-n" in options else result.stderr).fnmatch_lines([
        "ERROR: claims ledger rejected: bad.toml:19: bad/params/tiny: value: TODO left by claimbench draft: how many",
        f"claims ledger */{folder}: its rejected file bad.toml was not collected, so the run would pass over it in "
        "silence: *, or run `claimbench check`"])
    assert (author.path / "out" / "claims.json").read_text(encoding="utf-8") == "the last run's\n"


@pytest.mark.parametrize("name", ["sub/old.toml", "old.TOML"])
def test_a_ledger_file_no_run_would_collect_is_a_usage_error_naming_it(author: pytest.Pytester, name: str) -> None:
    """A ledger file in a subfolder of the ledger's, or ending in .TOML, is collected by nothing: its claims would
    leave the report unsaid. Named on the command line, it is the same usage error, not pytest's 'not found'."""
    (author.path / "claims" / name).parent.mkdir(exist_ok=True)
    (author.path / "claims" / name).write_text(LEDGER, encoding="utf-8")
    for args in ((), (f"claims/{name}",)):
        result = author.runpytest_subprocess(*args)
        assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
        assert fnmatch.fnmatch(result.stderr.lines[0], f"ERROR: claims ledger rejected: *claims/{name}: (file): "
                               "(path): ledger files *, or rename it so it does not end in .toml"), result.stderr.str()
    assert not (author.path / "out").exists()


def test_check_of_a_node_id_or_file_of_the_ledger_runs_that_alone(author: pytest.Pytester) -> None:
    """As plain pytest narrows to a node id, so does ``claimbench check``: the ledger is not added back whole."""
    command = [sys.executable, "-m", "claimbench.cli", "check", "-p", "no:cacheprovider", "--co", "-q"]
    node = "claims/mine.toml::mine/params/resnet18"
    listed = subprocess.run([*command, node], cwd=author.path, capture_output=True, text=True, check=False)
    assert [line for line in listed.stdout.splitlines() if "::" in line] == [node], listed.stdout
    whole = subprocess.run([*command, "claims/mine.toml"], cwd=author.path, capture_output=True, text=True)
    assert len([line for line in whole.stdout.splitlines() if "::" in line]) == 3, whole.stdout


def test_check_imports_claimbench_before_pytest_without_a_warning(author: pytest.Pytester) -> None:
    """pytest marks an installed plugin's package for assertion rewriting and warns when it was imported already,
    as ``claimbench check`` imports it: under ``-W error`` the warning would end the run."""
    finished = subprocess.run([sys.executable, "-m", "claimbench.cli", "check", "-W", "error", "--co", "-q",
                               "-p", "no:cacheprovider"], cwd=author.path, capture_output=True, text=True, check=False)
    assert finished.returncode == pytest.ExitCode.OK, finished.stdout[-2000:] + finished.stderr
    assert "PytestAssertRewriteWarning" not in finished.stdout + finished.stderr


@pytest.mark.parametrize("option", ["--setup-plan", "--setup-only"])
def test_showing_the_set_up_measures_nothing_and_writes_nothing(author: pytest.Pytester, option: str) -> None:
    author.makepyfile(test_claims="""
        import pytest

        @pytest.mark.claims("params")
        def test_params(claim_measurement, check_claim):
            assert claim_measurement is None, "measured while pytest only shows the set-up"
    """)
    builds = MODELS.replace("return torch.nn.Linear(4, 8, **overrides)", "raise RuntimeError('built')")
    assert builds != MODELS
    (author.path / "mymodels.py").write_text(builds, encoding="utf-8")  # a measurement would be an error
    result = author.runpytest_subprocess(option, "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()[-2000:]
    assert not (author.path / "out").exists()


def test_fixtures_are_listed_once_a_ledger_is_configured(author: pytest.Pytester) -> None:
    result = author.runpytest_subprocess("--fixtures")
    assert result.ret == pytest.ExitCode.OK and "INTERNALERROR" not in result.stdout.str()
    result.stdout.fnmatch_lines(["claim_measurement*"])


@pytest.mark.parametrize("command", [["pytest"], ["claimbench", "check"]])
def test_a_claims_import_path_into_the_authors_package_imports_under_the_console_scripts(
        author: pytest.Pytester, command: list[str]) -> None:
    """An installed console script puts its own folder first on ``sys.path``, not the current one (``python -m
    pytest`` does): a claim's ``package.module:builder`` is found in the project as a ``[report] modules`` entry
    is, with no ``pythonpath`` ini."""
    (author.path / "claims" / "mine.toml").write_text(LEDGER.replace('modules = ["mymodels"]\n', "").replace(
        "mymodels:tiny", "author_pkg.nets:tiny").replace("mine.registered", "author_pkg.nets:registered"),
        encoding="utf-8")
    (author.path / "mymodels.py").unlink()
    (author.path / "author_pkg").mkdir()
    (author.path / "author_pkg" / "__init__.py").write_text("", encoding="utf-8")
    (author.path / "author_pkg" / "nets.py").write_text(MODELS, encoding="utf-8")
    script = Path(sys.executable).with_name(command[0])
    finished = subprocess.run([str(script), *command[1:], "-p", "no:cacheprovider"], cwd=author.path,
                              capture_output=True, text=True, check=False)
    assert finished.returncode == pytest.ExitCode.TESTS_FAILED, finished.stdout[-2000:] + finished.stderr
    assert "1 failed, 2 passed" in finished.stdout, finished.stdout[-2000:]


def test_a_pythonpath_ini_goes_ahead_of_the_project_folder_without_hiding_it(author: pytest.Pytester) -> None:
    """``pythonpath = src`` set for other reasons: the ledger's modules at the project's root still import."""
    author.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\npythonpath = src\n")
    (author.path / "src").mkdir()
    author.runpytest_subprocess().assert_outcomes(passed=2, failed=1)


def test_a_module_that_does_not_import_is_each_claims_own_reason_imported_once(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim's model whose module does not import is no usage error but the claim's reason, the module tried once
    for the claims naming it (a module that raises runs again at each import), a KeyError it raises included."""
    from claimbench import items, ledger

    claim = ('[[claim]]\nid = "params/{0}"\nkind = "params"\nmodel = "{1}:{0}"\ncount = "trainable"\n'
             'value = 1\nprinted = "1"\nsource = "README.md"\n')
    (tmp_path / "mine.toml").write_text('format = 2\n[report]\ntitle = "Mine"\n' + "".join(
        claim.format(name, module) for name, module in (("a", "absentpkg.nets"), ("b", "absentpkg.nets"),
                                                        ("c", "counted_boom"), ("d", "keyed_boom"))),
                                          encoding="utf-8")
    (tmp_path / "counted_boom.py").write_text("import builtins\nbuiltins.counted_boom = "
                                              "getattr(builtins, 'counted_boom', 0) + 1\nraise RuntimeError('boom')\n")
    (tmp_path / "keyed_boom.py").write_text("import os\nDATA = os.environ['CLAIMBENCH_UNSET_VARIABLE']\n")
    monkeypatch.syspath_prepend(tmp_path)
    unimported, problems = items.check_models(ledger.load_reports(tmp_path))
    assert problems == {}
    assert unimported["mine/params/a"].startswith("mine.toml: mine/params/a: model: cannot import 'absentpkg.nets': "
                                                  "No module named 'absentpkg'")
    assert unimported["mine/params/b"] == unimported["mine/params/a"].replace("params/a", "params/b", 1)
    assert re.fullmatch(r"mine.toml: mine/params/c: model: cannot import 'counted_boom': RuntimeError: boom \(at "
                        r"\S*counted_boom.py:3: `raise RuntimeError\('boom'\)`\)", unimported["mine/params/c"]), (
        unimported)
    assert unimported["mine/params/d"].startswith(  # its own KeyError, no unknown model's
        "mine.toml: mine/params/d: model: cannot import 'keyed_boom': KeyError: 'CLAIMBENCH_UNSET_VARIABLE' (at "
    ), unimported
    import builtins

    assert builtins.counted_boom == 1  # type: ignore[attr-defined]
    del builtins.counted_boom  # type: ignore[attr-defined]


UNKNOWN = ("claims ledger rejected: mine.toml:18: mine/params/tiny: model: model 'mymodels:tiny2': module 'mymodels' "
           "has no 'tiny2' (closest: tiny)")
"""The one line of a ledger file whose claim names a model its module does not hold (``mymodels:tiny2``)."""


def test_an_unknown_reference_is_one_line_an_error_of_collecting_its_file(author: pytest.Pytester) -> None:
    """A typo in a claim's model is its file's collection error, as a test module's syntax error is, not a usage
    error of every session: the project's own tests still run, and ``claimbench check`` fails in the same line."""
    (author.path / "claims" / "mine.toml").write_text(LEDGER.replace("mymodels:tiny", "mymodels:tiny2"))
    author.makepyfile(test_unit="def test_unit():\n    pass\n")
    author.runpytest_subprocess("test_unit.py").assert_outcomes(passed=1)
    result = author.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting claims/mine.toml*", UNKNOWN, "ERROR claims/mine.toml"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()
    finished = subprocess.run([str(Path(sys.executable).with_name("claimbench")), "check", "-p", "no:cacheprovider"],
                              cwd=author.path, capture_output=True, text=True, check=False)
    assert finished.returncode == pytest.ExitCode.INTERRUPTED, finished.stdout[-2000:] + finished.stderr
    assert f"\n{UNKNOWN}\n" in finished.stdout


@pytest.mark.parametrize("typo", ["mymodels:tiny2", "mine.registred"])
def test_an_unknown_reference_in_one_file_leaves_the_others_collected_and_writes_nothing(
        author: pytest.Pytester, typo: str) -> None:
    """Two ledger files, one with a typo in a claim's model (a builder its module lacks, or a name nothing
    registered): that file is the one collection error, with its did-you-mean hint; the other file's claims run,
    and no result file is written while one file's claims go unjudged."""
    mistyped = LEDGER.replace('title = "Mine"', 'title = "Bad"').replace(
        "mymodels:tiny" if typo.startswith("mymodels") else '"mine.registered"', typo if ":" in typo else f'"{typo}"')
    assert mistyped.count(typo) == 1
    (author.path / "claims" / "bad.toml").write_text(mistyped, encoding="utf-8")
    hint = ("model 'mymodels:tiny2': module 'mymodels' has no 'tiny2' (closest: tiny)" if ":" in typo
            else "unknown model 'mine.registred' (closest: mine.registered*")
    claim, line = ("bad/params/tiny", 18) if ":" in typo else ("bad/params/wrong", 34)  # its model's line
    result = author.runpytest_subprocess("--continue-on-collection-errors")
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.fnmatch_lines(["claims/mine.toml *", "*ERROR collecting claims/bad.toml*",
                                 f"claims ledger rejected: bad.toml:{line}: {claim}: model: {hint}",
                                 "claimbench: a ledger file was rejected, so no file was written"])
    assert not (author.path / "out").exists()
    author.runpytest_subprocess("claims/mine.toml").assert_outcomes(passed=2, failed=1)


@pytest.mark.parametrize(("module", "problem"), [
    ("", "No module named 'theirmodels' (set the `pythonpath` ini (or -o pythonpath=DIR) to the folder it imports "
         "from)"),
    ("import torch\n\nraise RuntimeError('boom at import')\n",
     "RuntimeError: boom at import (at theirmodels.py:3: `raise RuntimeError('boom at import')`)"),
], ids=["not-found", "raises"])
def test_a_claims_model_that_does_not_import_is_that_claims_error(author: pytest.Pytester, module: str,
                                                                  problem: str) -> None:
    """The claim's own error, its reason one line led by the file and line of its model and its id, as a collection
    error's (it named neither), its record of a run before, when the module imported, not kept; the ledger's other
    claims and the project's tests still run."""
    (author.path / "claims" / "mine.toml").write_text(LEDGER.replace("mymodels:tiny", "theirmodels:tiny"))
    (author.path / "theirmodels.py").write_text("import torch\n\ndef tiny(**overrides):\n    return "
                                                "torch.nn.Linear(4, 8, **overrides)\n", encoding="utf-8")
    author.runpytest_subprocess().assert_outcomes(passed=2, failed=1)
    (author.path / "theirmodels.py").unlink()
    if module:
        (author.path / "theirmodels.py").write_text(module, encoding="utf-8")
    author.makepyfile(test_unit="def test_unit():\n    pass\n")
    author.runpytest_subprocess("test_unit.py").assert_outcomes(passed=1)
    result = author.runpytest_subprocess()
    result.assert_outcomes(passed=2, failed=1, errors=1)
    line = LEDGER.splitlines().index('model = "mymodels:tiny"') + 1  # the claim's model, as a collection error's
    reason = f"mine.toml:{line}: mine/params/tiny: model: cannot import 'theirmodels': {problem}"
    result.stdout.fnmatch_lines(["*_ ERROR at setup of claim mine/params/tiny _*", f"error: {reason}"])
    records = {r["id"]: r for r in json.loads((author.path / "out" / "claims.json").read_text())["claims"]}
    assert (records["mine/params/tiny"]["verdict"], records["mine/params/tiny"]["reason"]) == ("error", reason)
    assert records["mine/params/resnet18"]["verdict"] == "reproduced"


@pytest.mark.parametrize(("module", "problem"), [
    (None, "No module named 'mymodels' (*from *; set the `pythonpath` ini (or -o pythonpath=DIR) to the folder it "
           "imports from)"),  # "(did you mean 'models'? If not: from": a machine whose sys.path has a models
    ("import torch\nraise RuntimeError('boom at import')\n",
     "RuntimeError: boom at import (at mymodels.py:2: `raise RuntimeError('boom at import')`)"),
], ids=["not-found", "raises"])
def test_a_ledger_module_that_does_not_import_is_an_error_of_collecting_its_file_alone(
        author: pytest.Pytester, module: str | None, problem: str) -> None:
    """As a test module whose import fails: one line naming the file, the module and its error (found, its own
    error and line, not where to look for it); the project's tests and the ledger's other files still run."""
    if module is None:
        (author.path / "mymodels.py").rename(author.path / "elsewhere.py")
    else:
        (author.path / "mymodels.py").write_text(module, encoding="utf-8")
    author.makepyfile(test_unit="def test_unit():\n    pass\n")
    author.runpytest_subprocess("test_unit.py").assert_outcomes(passed=1)
    line = f"claims ledger rejected: mine.toml:6: (report): modules: cannot import 'mymodels': {problem}"
    result = author.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting claims/mine.toml*", line, "ERROR claims/mine.toml"])
    assert "pythonpath" not in result.stdout.str() or module is None
    other = LEDGER.replace('modules = ["mymodels"]\n', "").replace('title = "Mine"', 'title = "Other"').split(
        "[[claim]]")
    (author.path / "claims" / "other.toml").write_text("[[claim]]".join(other[:1] + other[2:3]), encoding="utf-8")
    rest = author.runpytest_subprocess("--continue-on-collection-errors")
    rest.assert_outcomes(passed=2, errors=1)
    rest.stdout.fnmatch_lines(["claims/other.toml .*",
                               "claimbench: a ledger file was rejected, so no file was written"])


def test_a_model_module_spelt_like_one_of_the_projects_is_told_its_name(tmp_path: Path) -> None:
    """A claim's import-path model whose package is found nowhere, but spelt like one the project holds (not on
    ``sys.path``: claimbench puts the project there only for a module it holds), is told that name first."""
    from claimbench import items, ledger

    (tmp_path / "mynets").mkdir()
    (tmp_path / "mynets" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "mine.toml").write_text('format = 2\n[report]\ntitle = "Mine"\n[[claim]]\nid = "params/a"\n'
                                        'kind = "params"\nmodel = "mynest.cnn:a"\ncount = "trainable"\nvalue = 1\n'
                                        'printed = "1"\nsource = "README.md"\n', encoding="utf-8")
    reports = ledger.load_reports(tmp_path)
    unimported, _ = items.check_models(reports, (tmp_path,))
    assert unimported["mine/params/a"] == (f"mine.toml: mine/params/a: model: cannot import 'mynest.cnn': No module "
                                           f"named 'mynest' (did you mean 'mynets'? If not: {items.UNFOUND})")
    assert "did you mean" not in items.check_models(reports)[0]["mine/params/a"]
    placed = items.check_models(reports, (tmp_path,), [tmp_path / "mine.toml"])[0]["mine/params/a"]
    assert placed.startswith("mine.toml:7: mine/params/a: model: cannot import 'mynest.cnn': "), placed


@pytest.mark.parametrize(("module", "files", "problem"), [
    ("nopkg_imp.cnn", {}, r"No module named 'nopkg_imp' \(from \S+; HINT\)"),
    ("pkg_imp_spetl.cnn", {"pkg_imp_spelt/__init__.py": "", "pkg_imp_spelt/cnn.py": ""},
     r"No module named 'pkg_imp_spetl' \(did you mean 'pkg_imp_spelt'\? If not: from \S+; HINT\)"),
    ("pkg_imp_absent.cnn", {"pkg_imp_absent/__init__.py": ""},
     r"package 'pkg_imp_absent' \(\S+/pkg_imp_absent\) has no module 'cnn'"),
    ("pkg_imp_typo.cn", {"pkg_imp_typo/__init__.py": "", "pkg_imp_typo/cnn.py": ""},
     r"package 'pkg_imp_typo' \(\S+/pkg_imp_typo\) has no module 'cn' \(did you mean 'cnn'\?\)"),
    ("pkg_imp_dep.cnn", {"pkg_imp_dep/__init__.py": "", "pkg_imp_dep/cnn.py": "import torch\nimport nonexistent_dep\n"},
     r"ModuleNotFoundError: No module named 'nonexistent_dep' "
     r"\(at \S+pkg_imp_dep/cnn.py:2: `import nonexistent_dep`\)"),
    ("pkg_imp_boom.cnn", {"pkg_imp_boom/__init__.py": "", "pkg_imp_boom/cnn.py": "\n\nraise RuntimeError('boom')\n"},
     r"RuntimeError: boom \(at \S+pkg_imp_boom/cnn.py:3: `raise RuntimeError\('boom'\)`\)"),
    ("pkg_imp_inner.cnn", {"pkg_imp_inner/__init__.py": "", "pkg_imp_inner/cnn.py": "from pkg_imp_inner import x\n"},
     r"ImportError: cannot import name 'x' from 'pkg_imp_inner' \(\S+\) "
     r"\(at \S+pkg_imp_inner/cnn.py:1: `from pkg_imp_inner import x`\)"),
    ("pkg_imp_syntax.cnn", {"pkg_imp_syntax/__init__.py": "", "pkg_imp_syntax/cnn.py": "x = 1\ndef (:\n"},
     r"SyntaxError: invalid syntax \(cnn.py, line 2\) \(at \S+pkg_imp_syntax/cnn.py:2: `def \(:`\)"),
], ids=["package-not-found", "package-mistyped", "module-not-found", "module-mistyped", "its-import-not-found", "raises", "bad-import-name",
        "syntax"])
def test_only_a_module_not_found_says_where_it_was_looked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              module: str, files: dict[str, str], problem: str) -> None:
    """The hint is for the module, or a package above it, not on the path; any other error is the author's, with
    the line it came from."""
    from claimbench import items
    from claimbench.ledger import Report

    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys, "path", list(sys.path))
    for name in (module.split(".")[0], module):
        monkeypatch.delitem(sys.modules, name, raising=False)
    report = Report(slug="t", title="T", source=None, origin=None, tables=(), claims=(), modules=(module,))
    [line] = items.import_problems([report], tmp_path, "; HINT")
    assert re.fullmatch(rf"t.toml: \(report\): modules: cannot import '{re.escape(module)}': {problem}", line), line


def test_the_project_goes_on_sys_path_only_for_a_ledger_module_it_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger's module the project holds is the project's, never an installed copy's, whole package and all; a
    module it does not hold is imported as installed, and the project folder is not put ahead of what is
    installed (``--import-mode=importlib`` tests the installed package)."""
    from claimbench import items
    from claimbench.ledger import Report

    installed, project = tmp_path / "site", tmp_path / "project"
    for root, where in ((installed, "installed"), (project, "project")):
        (root / "zoo_b").mkdir(parents=True)
        (root / "zoo_b" / "__init__.py").write_text(f"WHERE = {where!r}\n", encoding="utf-8")
        (root / "zoo_b" / "a.py").write_text(f"WHERE = {where!r}\n", encoding="utf-8")
    (installed / "zoo_a.py").write_text("WHERE = 'installed'\n", encoding="utf-8")
    (project / "zoo_b" / "mine.py").write_text("WHERE = 'project'\n", encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(installed), *sys.path])
    for name in ("zoo_a", "zoo_b", "zoo_b.a", "zoo_b.mine"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    report = Report(slug="t", title="T", source=None, origin=None, tables=(), claims=(), modules=("zoo_a",))
    assert items.import_problems([report], project, "") == [] and str(project) not in sys.path
    assert sys.modules["zoo_a"].WHERE == "installed"
    report = Report(slug="t", title="T", source=None, origin=None, tables=(), claims=(), modules=("zoo_b.a",
                                                                                                  "zoo_b.mine"))
    assert items.import_problems([report], project, "") == [] and str(project) in sys.path
    assert {sys.modules[name].WHERE for name in ("zoo_b", "zoo_b.a", "zoo_b.mine")} == {"project"}


def test_under_import_mode_importlib_the_project_leaves_sys_path_once_the_models_imported(
        author: pytest.Pytester) -> None:
    """``--import-mode=importlib`` puts nothing on ``sys.path``, so that a test's import that works only from the
    project's folder fails: the project is there only while the ledger's modules import, and its claims are still
    measured."""
    author.makepyfile(test_path="""
        import importlib.machinery


        def test_the_project_is_not_on_sys_path():
            assert importlib.machinery.PathFinder.find_spec("mymodels") is None
    """)
    script = Path(sys.executable).with_name("pytest")  # pytester's own runs put their folder on PYTHONPATH
    command = [str(script), "claims", "test_path.py", "--import-mode=importlib", "-p", "no:cacheprovider"]
    finished = subprocess.run(command, cwd=author.path, capture_output=True, text=True, check=False)
    assert "1 failed, 3 passed" in finished.stdout, finished.stdout[-2000:] + finished.stderr
    assert "FAILED claims/mine.toml::mine/params/wrong " in finished.stdout, finished.stdout[-2000:]


@pytest.mark.parametrize(("settings", "message", "written"), [
    (["-o", "claims_report=REPORT.md"], "claims_report (ini) / --claims-report: */REPORT.md is not claimbench's "
     "verdict report (its first line is not '# claimbench verdicts'): the verdict report would replace it; name "
     "another file, or delete it if it is an old claimbench report", ("REPORT.md", "README.md")),
    (["--claims-report=claims/../REPORT.md"], "--claims-report: */REPORT.md is not claimbench's verdict report *",
     ("REPORT.md", "README.md")),
    (["-o", "claims_report=REPORT.md"], "claims_report (ini) / --claims-report: */REPORT.md is the [[]report] "
     "source of */claims/mine.toml: the verdict report would overwrite it; name another file (claimbench init names "
     "CLAIMS.md)", ("README.md",)),
    (["-o", "claims_report=README.md", "-o", "claims_readme=README.md"], "claims_report (ini) / --claims-report: "
     "*/README.md is also claims_readme (ini) / --claims-readme: the verdict report would replace the README; name "
     "another file", ("REPORT.md", "README.md")),
], ids=["source", "source-spelled-otherwise", "source-not-written-yet", "readme"])
def test_a_verdict_report_over_the_authors_own_is_a_usage_error_before_anything_is_written(
        author: pytest.Pytester, settings: list[str], message: str, written: tuple[str, ...]) -> None:
    """``claimbench init REPORT.md`` once configured ``claims_report = REPORT.md``: the first run replaced the author's
    results with its verdicts, and every later one found the ledger out of date. A ledger's source not written yet
    is refused too: the next run would compare the ledger with the verdicts."""
    own = ("# Mine\n\n<!-- claims-summary:start -->\n<!-- claims-summary:end -->\n\n| Model | Params |\n|---|---|\n"
           "| tiny | 40 |\n| resnet18 | 11,689,512 |\n| wrong | 41 |\n")
    for name in written:
        (author.path / name).write_text(own, encoding="utf-8")
    (author.path / "claims" / "mine.toml").write_text(LEDGER.replace('title = "Mine"\n', 'title = "Mine"\nsource = '
                                                                     '"REPORT.md"\n'), encoding="utf-8")
    result = author.runpytest_subprocess(*settings)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])
    assert all((author.path / name).read_text(encoding="utf-8") == own for name in written)
    assert not (author.path / "out").exists() and (author.path / "REPORT.md").exists() == ("REPORT.md" in written)
    if "REPORT.md" in written:
        author.runpytest_subprocess("-o", "claims_report=CLAIMS.md").assert_outcomes(passed=2, failed=1)
        assert (author.path / "CLAIMS.md").is_file()


def test_a_verdict_report_over_a_file_of_the_authors_is_refused_and_its_own_replaced(author: pytest.Pytester) -> None:
    """``claimbench init`` once chose REPORT.md beside the author's hand-written report (not the ledger's source):
    the first ``pytest`` replaced it. A verdict report of an earlier run, or an empty file, is replaced."""
    author.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\nclaims_report = REPORT.md\n")
    own = "# My technical report\n\nHand written.\n"
    (author.path / "REPORT.md").write_text(own, encoding="utf-8")
    result = author.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: claims_report (ini) / --claims-report: */REPORT.md is not claimbench's "
                                 "verdict report (its first line is not '# claimbench verdicts'): the verdict report "
                                 "would replace it; name another file, or delete it if it is an old claimbench report"])
    assert (author.path / "REPORT.md").read_text(encoding="utf-8") == own and not (author.path / "out").exists()
    (author.path / "REPORT.md").write_text("", encoding="utf-8")
    for _ in range(2):  # the second run replaces the first one's report
        author.runpytest_subprocess().assert_outcomes(passed=2, failed=1)
        assert (author.path / "REPORT.md").read_text(encoding="utf-8").startswith("# claimbench verdicts\n\n**")


def test_a_file_of_the_authors_at_the_report_path_stops_no_session_that_writes_no_report(
        author: pytest.Pytester) -> None:
    """Only a session that may write the verdict report is refused for the file it would replace: a collection only,
    or a run of tests outside the ledger, writes none, and runs as it did before the refusal existed."""
    author.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\nclaims_report = REPORT.md\n")
    own = "# My technical report\n\nHand written.\n"
    (author.path / "REPORT.md").write_text(own, encoding="utf-8")
    (author.path / "tests").mkdir()
    (author.path / "tests" / "test_a.py").write_text("def test_a():\n    pass\n", encoding="utf-8")
    author.runpytest_subprocess("tests/test_a.py").assert_outcomes(passed=1)
    assert author.runpytest_subprocess("--collect-only", "-q").ret == pytest.ExitCode.OK
    assert author.runpytest_subprocess("claims").ret == pytest.ExitCode.USAGE_ERROR  # it measures the claims
    assert (author.path / "REPORT.md").read_text(encoding="utf-8") == own and not (author.path / "out").exists()


def test_a_claims_option_whose_value_hid_the_ini_file_is_a_usage_error(author: pytest.Pytester) -> None:
    """``--claims-data-root /data`` sends pytest looking for its ini file from /data: no ledger, so say why
    rather than run nothing."""
    data = author.path.parent / "data"
    data.mkdir()
    result = author.runpytest_subprocess("--claims-data-root", str(data))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: no ledger configured; write --claims-data-root={data}, not *"])
    author.runpytest_subprocess(f"--claims-data-root={data}").assert_outcomes(passed=2, failed=1)


def test_a_claims_dir_after_a_space_that_took_another_projects_ini_file_is_a_usage_error(
        author: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory) -> None:
    """``--claims-dir ../B/reference`` run in project A: pytest looks for its ini file before it knows plugin
    options, takes the value for a path to test, and reads B's ini file (its testpaths, its outputs): the run would
    check nothing, or write into B. One line says so; a value inside A hides nothing."""
    theirs = tmp_path_factory.mktemp("theirs")
    (theirs / "pytest.ini").write_text("[pytest]\ntestpaths = tests\nclaims_json = written/claims.json\n")
    (theirs / "reference").mkdir()
    (theirs / "reference" / "mine.toml").write_text(LEDGER, encoding="utf-8")
    (theirs / "mymodels.py").write_text(MODELS, encoding="utf-8")
    value = os.path.relpath(theirs / "reference", author.path)
    result = author.runpytest_subprocess("--claims-dir", value)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()[-2000:]
    assert [line for line in result.errlines if line] == [
        f"ERROR: write --claims-dir={value}, not --claims-dir {value}: pytest looks for its ini file before it knows "
        f"plugin options, took {value!r} for a path to test and read {theirs / 'pytest.ini'}, another project's "
        "configuration"], result.errlines
    assert not (theirs / "written").exists() and not (author.path / "out").exists()
    author.runpytest_subprocess("--claims-dir", "claims").assert_outcomes(passed=2, failed=1)


def test_a_claims_dir_after_a_space_in_pytest_addopts_is_the_same_usage_error(
        author: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest reads ``PYTEST_ADDOPTS`` before the command line, and before it looks for its ini file: the value
    after a space there takes another project's ini file as it does typed, and the run, which would check no claim
    and pass, is the same usage error, naming where the option was given."""
    theirs = tmp_path_factory.mktemp("theirs")
    (theirs / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    (theirs / "reference").mkdir()
    (theirs / "reference" / "mine.toml").write_text(LEDGER, encoding="utf-8")
    author.makepyfile(test_own="def test_own():\n    pass\n")
    value = os.path.relpath(theirs / "reference", author.path)
    monkeypatch.setenv("PYTEST_ADDOPTS", f"-q --claims-dir {value}")
    result = author.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()[-2000:]
    result.stderr.fnmatch_lines([f"ERROR: write --claims-dir={value}, not --claims-dir {value} in PYTEST_ADDOPTS: "
                                 f"pytest looks for its ini file before it knows plugin options, took {value!r} *"])
    data = theirs / "data"
    data.mkdir()
    monkeypatch.setenv("PYTEST_ADDOPTS", f"--claims-data-root {data}")
    result = author.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()[-2000:]
    result.stderr.fnmatch_lines([f"ERROR: no ledger configured; write --claims-data-root={data}, not "
                                 f"--claims-data-root {data} in PYTEST_ADDOPTS: *"])


def test_a_claims_value_after_a_space_that_names_no_path_hid_nothing(pytester: pytest.Pytester) -> None:
    """pytest looks for its ini file from the paths it was given that exist: ``cpu`` is none, so a project without
    a ledger is simply one the plugin leaves alone."""
    pytester.makepyfile(test_plain="def test_nothing():\n    pass\n")
    pytester.runpytest_subprocess("--claims-train-device", "cpu").assert_outcomes(passed=1)


def test_a_claim_skipped_while_it_runs_is_reported_at_its_ledger(author: pytest.Pytester) -> None:
    accuracy = ('\n[recipe.quick]\noptimizer = "sgd"\nlr = 0.1\nbatch_size = 8\nepochs = 1\nschedule = "constant"\n'
                'validation = "none"\nnormalize = "unit"\n\n[[ claim ]]  # a header as TOML allows it\n'
                'id = "accuracy/tiny"\nkind = "accuracy"\n'
                'model = "mymodels:tiny"\ndataset = "mnist"\nsplit = "test"\nstatistic = "final"\nvalue = 90\n'
                'printed = "90%"\nsource = "README.md"\ntolerance = { abs = 5 }\nrecipe = "quick"\n')
    with (author.path / "claims" / "mine.toml").open("a", encoding="utf-8") as ledger:
        ledger.write(accuracy)
    (author.path / "empty").mkdir()
    result = author.runpytest_subprocess("-rs", "-k", "accuracy", "--claims-train-device=cpu",
                                         f"--claims-data-root={author.path / 'empty'}")
    result.assert_outcomes(skipped=1, deselected=3)
    line = (author.path / "claims" / "mine.toml").read_text(encoding="utf-8").splitlines().index('id = "accuracy/tiny"')
    result.stdout.fnmatch_lines([f"SKIPPED ?1? claims/mine.toml:{line + 1}: mnist train not found: *"])


def test_a_data_root_under_the_home_folder_is_read_as_the_shell_would(author: pytest.Pytester) -> None:
    """``--claims-data-root=~/data``: no shell expands a ``~`` after ``=``, so the plugin does (pytester's HOME is
    its own folder)."""
    (author.path / "claims" / "mine.toml").write_text(
        (author.path / "claims" / "mine.toml").read_text(encoding="utf-8") + '\n[recipe.quick]\noptimizer = "sgd"\n'
        'lr = 0.1\nbatch_size = 8\nepochs = 1\nschedule = "constant"\nvalidation = "none"\nnormalize = "unit"\n\n'
        '[[claim]]\nid = "accuracy/tiny"\nkind = "accuracy"\nmodel = "mymodels:tiny"\ndataset = "mnist"\n'
        'split = "test"\nstatistic = "final"\nvalue = 90\nprinted = "90%"\nsource = "README.md"\n'
        'tolerance = { abs = 5 }\nrecipe = "quick"\n', encoding="utf-8")
    (author.path / "data").mkdir()
    result = author.runpytest_subprocess("-rs", "-k", "accuracy", "--claims-train-device=cpu",
                                         "--claims-data-root=~/data")
    result.assert_outcomes(skipped=1, deselected=3)
    result.stdout.fnmatch_lines([f"SKIPPED * mnist train not found: * in {author.path / 'data' / 'MNIST' / 'raw'}, *"])


def test_a_test_of_the_authors_own_keeps_the_line_that_skipped_it(author: pytest.Pytester) -> None:
    author.makepyfile(test_own="import pytest\n\ndef needs_gpu():\n    pytest.skip('no GPU')\n\n"
                               "def test_own():\n    needs_gpu()\n")
    result = author.runpytest_subprocess("-rs", "test_own.py")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED ?1? test_own.py:4: no GPU"])


def test_a_report_asked_for_without_a_ledger_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("--claims-report=REPORT.md")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: --claims-report: there is no ledger to report on: give --claims-dir=DIR*"])
    assert not (pytester.path / "REPORT.md").exists()
    pytester.makeini("[pytest]\nclaims_report = REPORT.md\n")  # an ini's outputs alone leave the plugin inert
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    assert not (pytester.path / "REPORT.md").exists()


def test_a_ledger_file_named_with_no_ledger_configured_says_how_to_configure_one(pytester: pytest.Pytester) -> None:
    """``pytest claims/mine.toml`` with no claims_dir said only pytest's "not found": pytest's usage error is now led
    by one line saying how to configure the ledger, and only for a named file that reads as a ledger."""
    (pytester.path / "claims").mkdir()
    (pytester.path / "claims" / "mine.toml").write_text(LEDGER, encoding="utf-8")
    pytester.makefile(".toml", pyproject='[project]\nname = "unrelated"\n\n[report]\ntitle = "not a ledger"\n')
    named = pytester.runpytest_subprocess("claims/mine.toml")
    assert named.ret == pytest.ExitCode.USAGE_ERROR
    assert named.errlines[0] == ("ERROR: claims/mine.toml is a claims ledger, but no ledger is configured: set "
                                 'claims_dir = "claims" in the [tool.pytest.ini_options] section of pyproject.toml, '
                                 "or pass --claims-dir=claims"), named.errlines
    named.stderr.fnmatch_lines(["ERROR: not found: */claims/mine.toml"])
    unrelated = pytester.runpytest_subprocess("pyproject.toml")
    assert unrelated.ret == pytest.ExitCode.USAGE_ERROR and unrelated.errlines[0].startswith("ERROR: not found: ")
    assert "claims" not in unrelated.stderr.str(), unrelated.errlines
    (pytester.path / "pyproject.toml").unlink()
    bare = pytester.runpytest_subprocess("claims/mine.toml::params/tiny")
    assert bare.errlines[0] == ("ERROR: claims/mine.toml::params/tiny is a claims ledger, but no ledger is configured: "
                                "set claims_dir = claims in the [pytest] section of a pytest.ini here, or pass "
                                "--claims-dir=claims"), bare.errlines


PROBE = textwrap.dedent('''
    import sys

    def pytest_addoption(parser):
        parser.addoption("--data-root")  # a name claimbench once took; its options now share --claims-

    def pytest_unconfigure(config):
        heavy = sorted({"torch", "pydantic", "claimbench.ledger"} & sys.modules.keys())
        markers = [m for m in config.getini("markers") if m.split(":")[0] in ("params", "train", "claims(*kinds)")]
        registered = config.pluginmanager.is_registered(sys.modules.get("claimbench.plugin"))
        print(f"probe: registered={registered} loaded={heavy} markers={markers}")
''')


def test_installed_but_not_configured_the_plugin_is_inert(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(PROBE)
    pytester.makepyfile(test_plain="def test_nothing():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess("-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["probe: registered=True loaded=[] markers=[]"])
    shown = [line for line in result.outlines if not line.startswith("plugins:")]  # pytest lists installed ones
    assert not [line for line in shown if "claimbench" in line]
    fixtures = pytester.runpytest_subprocess("--fixtures").stdout.str()
    assert not {"claim", "claim_measurement", "check_claim", "training_settings"} & set(re.findall(r"(?m)^(\w+)",
                                                                                                     fixtures))


def test_only_items_imports_pytests_private_modules_and_the_plugin_not_as_it_loads() -> None:
    """pytest loads the plugin in every session of anyone who installed claimbench, configured or not: a private
    ``_pytest`` module imported then would break them all at a pytest release that renames it. ``items`` alone
    imports them (a claim's one-line failure), once a ledger is configured."""
    importing = sorted(str(path.relative_to(REPO)) for path in (REPO / "claimbench").rglob("*.py")
                       if any(name == "_pytest" or name.startswith("_pytest.") for name in _imported(path)))
    assert importing == [str(Path("claimbench", "items.py"))]


def _imported(path: Path) -> list[str]:
    """The modules a Python file imports, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names] + [
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]


SIXTH = '''
format = 2

[report]
title = "A sixth report"
modules = ["sixth_models"]

[[table]]
id = "sizes"
title = "Sizes"
columns = ["Model", "Params", "MACs"]
rows = [["linear", "40", "32"]]
model = "sixth.linear"

[[claim]]
id = "params/linear"
kind = "params"
count = "trainable"
value = 40
printed = "40"
cell = ["sizes", "linear", "Params"]
source = "sixth.md, Sizes, row linear"

[[claim]]
id = "macs/linear"
kind = "macs"
count = "pure"
value = 32
printed = "32"
cell = ["sizes", "linear", "MACs"]
source = "sixth.md, Sizes, row linear"
'''


def test_a_sixth_report_costs_its_ledger_and_its_model_code_only(pytester: pytest.Pytester) -> None:
    """This repository's benchmarks/ judge a new report's claims with no line changed anywhere else."""
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    ledger = pytester.path / "reference"
    ledger.mkdir()
    for path in (repo / "reference").glob("*.toml"):
        (ledger / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (ledger / "sixth.toml").write_text(SIXTH, encoding="utf-8")
    (pytester.path / "sixth_models.py").write_text(MODELS.replace('"mine.registered", input_size=(1, 2, 2)',
                                                                  '"sixth.linear", input_size=(4,)'))
    pytester.syspathinsert(pytester.path)
    result = pytester.runpytest_subprocess(str(repo / "benchmarks"), "-p", "no:randomly", "-k", "sixth",
                                           f"--claims-dir={ledger}", f"--claims-json={pytester.path / 'out.json'}")
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] == 2 and "failed" not in outcomes and "errors" not in outcomes
    records = json.loads((pytester.path / "out.json").read_text())["claims"]
    assert [(r["id"], r["verdict"]) for r in records if r["report"] == "sixth"] == [
        ("sixth/macs/linear", "reproduced"), ("sixth/params/linear", "reproduced")]


LAZY_LEDGER = '''
format = 2

[report]
title = "Lazy"
modules = ["lazymodels"]

[[table]]
id = "sizes"
title = "Sizes"
columns = ["Model", "Params"]
rows = [["tiny", "112"]]
{table}
[[claim]]
id = "params/tiny"
kind = "params"
model = "{model}"
count = "constructed"
value = 112
printed = "112"
cell = ["sizes", "tiny", "Params"]
source = "README.md, Sizes, row tiny"
{claim}'''
"""A constructed count of 112 of a lazy model: ``model``, ``table`` and ``claim`` fill in its model, its table's
other keys and its own."""

LAZY_BUILD = "torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(), torch.nn.LazyLinear(2))"
"""A conv of 112 parameters and a linear head its first forward builds."""

LAZY_MODELS = f'''
import torch
from claimbench import register_model


@register_model("lazy.tiny", input_size=(3, 8, 8))
def tiny(**overrides):
    return {LAZY_BUILD}


def by_path():
    return {LAZY_BUILD}
'''
"""The lazy model registered with its input size, and again as an import path that registers none."""


@pytest.mark.parametrize(("model", "table", "claim"), [
    ("lazy.tiny", "", ""),
    ("lazymodels:by_path", "", "input = [3, 8, 8]"),
    ("lazymodels:by_path", "by_column = { Params = { input = [3, 8, 8] } }", ""),
], ids=["registered", "claim_input", "column_input"])
def test_a_constructed_count_of_a_lazy_model_reports_the_whole_model_built(
        pytester: pytest.Pytester, model: str, table: str, claim: str) -> None:
    """Core-Collapse's MLC.α-93k read "93,376 → 93,376 ✅" with no measured number for the whole model, its lazy
    head built (8,484,260 parameters): the JSON's and the report's words now give the count of the model built by a
    forward on its registered input size, and the verdict is the constructed count's. A model imported by path
    registers no input size, and a params claim was refused ``input``: the claim, or its column, now names it."""
    pytester.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\nclaims_report = out/REPORT.md\n")
    (pytester.path / "claims").mkdir()
    ledger_text = LAZY_LEDGER.format(model=model, table=table, claim=claim)
    (pytester.path / "claims" / "lazy.toml").write_text(ledger_text, encoding="utf-8")
    (pytester.path / "lazymodels.py").write_text(LAZY_MODELS, encoding="utf-8")
    built = eval(LAZY_BUILD, {"torch": torch})  # the model alone, registered nowhere
    counted = sum(p.numel() for p in built[0].parameters())  # the conv: all there is before the first forward
    built(torch.rand(1, 3, 8, 8))
    whole = sum(p.numel() for p in built.parameters() if p.requires_grad)

    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    record = json.loads((pytester.path / "out" / "claims.json").read_text())["claims"][0]
    words = (f"built by a first forward on a 3×8×8 input (its lazy layer '2', a LazyLinear), the whole model has "
             f"{whole:,} trainable parameters, {whole - counted:,} more than this count")
    assert record["verdict"] == "reproduced" and record["measured"] == counted
    assert record["conventions"][1:] == [words]
    report = (pytester.path / "out" / "REPORT.md").read_text(encoding="utf-8")
    assert words in " ".join(re.sub(r"\\(.)", r"\1", report).split())  # wrapped and markdown-escaped there


def test_a_trainable_count_of_a_lazy_model_counts_it_built_by_a_first_forward(pytester: pytest.Pytester) -> None:
    """Core-Collapse's MLC.α-19k under "trainable" was an error even with its input registered: only its conv stack
    (19,520 of 4,216,100 parameters) could be checked. The whole count is now counted on a copy built by one forward
    on the registered input size, and the report and the JSON say so."""
    pytester.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\nclaims_report = out/REPORT.md\n")
    (pytester.path / "claims").mkdir()
    built = eval(LAZY_BUILD, {"torch": torch})
    built(torch.rand(1, 3, 8, 8))
    whole = sum(p.numel() for p in built.parameters() if p.requires_grad)
    ledger_text = (LAZY_LEDGER.format(model="lazy.tiny", table="", claim="").replace('"constructed"', '"trainable"')
                   .replace("112", str(whole)))
    (pytester.path / "claims" / "lazy.toml").write_text(ledger_text, encoding="utf-8")
    (pytester.path / "lazymodels.py").write_text(LAZY_MODELS, encoding="utf-8")

    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    record = json.loads((pytester.path / "out" / "claims.json").read_text())["claims"][0]
    words = "built by a first forward on a 3×8×8 input (its lazy layer '2', a LazyLinear)"
    assert (record["verdict"], record["measured"], record["conventions"]) == ("reproduced", whole, [words])
    assert record["measured_as"] == {"count": "trainable", "input": [3, 8, 8]}
    report = (pytester.path / "out" / "REPORT.md").read_text(encoding="utf-8")
    assert words in " ".join(re.sub(r"\\(.)", r"\1", report).split())
