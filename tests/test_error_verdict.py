"""Failures of ours are `error`, never `refuted`: each class from a real path, through a whole pytest run,
into the JSON, the report and the badge counts. Data cases use tiny files in CIFAR-10's on-disk format."""

from __future__ import annotations

import json
from xml.etree import ElementTree
import re
from pathlib import Path

import pytest
from small_runs import NOT_PUBLISHED, TINY_RECIPE, any_accuracy_claim, write_cifar10

pytest_plugins = ["pytester"]

LEDGER = '''
format = 2

[report]
title = "Failures of ours"
modules = ["errmodels"]
''' + TINY_RECIPE + '''
[recipe.diverges]
extends = "tiny"
lr = 1e38

[[claim]]
id = "macs/leaf_product"
kind = "macs"
model = "errors.leaf_product"
count = "pure"
value = 1
printed = "1"
source = "a leaf layer's product torchinfo counts as its parameters: the two counters disagree"

[[claim]]
id = "params/broken"
kind = "params"
model = "errors.broken"
count = "trainable"
value = 1
printed = "1"
source = "a builder that crashes"

[[claim]]
id = "params/lazy_buffer"
kind = "params"
model = "errors.lazy_buffer"
count = "keras"
value = 1
printed = "1"
source = "a lazy BatchNorm, whose moving statistics its first forward builds"
''' + "".join(any_accuracy_claim(*claim) for claim in (
    ("accuracy/linear", "errors.linear", "tiny", "a sane claim: its data decides"),
    ("accuracy/diverges", "errors.linear", "diverges", "a learning rate that overflows"),
    ("accuracy/grey", "errors.grey", "tiny", "a one-channel model on three-channel images: its cost cannot be "
     "estimated")))

MODELS = '''
import torch
from torch import nn
from claimbench import register_model


class Product(nn.Module):
    """A leaf layer that multiplies by a weight of its own, not as a Linear: torchinfo counts its parameters."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(16, 8))

    def forward(self, x):
        return x.flatten(2) @ self.weight


@register_model("errors.leaf_product", input_size=(3, 4, 4))
def leaf_product():
    return nn.Sequential(Product(), nn.Linear(8, 10))


@register_model("errors.broken", input_size=(3, 32, 32))
def broken():
    raise RuntimeError("model builder exploded")


@register_model("errors.lazy_buffer")
def lazy_buffer():
    return nn.Sequential(nn.Linear(3, 4), nn.LazyBatchNorm1d(affine=False))


@register_model("errors.linear", input_size=(3, 32, 32))
def linear():
    return nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))


@register_model("errors.grey", input_size=(1, 32, 32))
def grey():
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.Flatten(), nn.Linear(4 * 30 * 30, 10))
'''


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini("[pytest]\nclaims_dir = claims\nclaims_json = out/claims.json\nclaims_report = out/REPORT.md\n"
                     "claims_badges = out/badges\nclaims_train_device = cpu\nclaims_results_dir = runs\n")
    (pytester.path / "claims").mkdir()
    (pytester.path / "claims" / "errors.toml").write_text(LEDGER, encoding="utf-8")
    (pytester.path / "errmodels.py").write_text(MODELS, encoding="utf-8")
    return pytester


def _outcome(project: pytest.Pytester, data: Path, *options: str) -> dict[str, dict]:
    """Run every claim; return the records, after checking the report and badge say the same."""
    result = project.runpytest_subprocess(f"--claims-data-root={data}", *options)
    records = {r["id"]: r for r in json.loads((project.path / "out" / "claims.json").read_text())["claims"]}
    errors = [r for r in records.values() if r["verdict"] == "error"]
    assert "refuted" not in {r["verdict"] for r in records.values()}
    assert result.ret == pytest.ExitCode.TESTS_FAILED and result.parseoutcomes()["errors"] == len(errors)
    badge = json.loads((project.path / "out" / "badges" / "claims.json").read_text())
    assert f", {len(errors)} error{'s' * (len(errors) > 1)}" in badge["message"] and badge["color"] == "orange"
    report = (project.path / "out" / "REPORT.md").read_text(encoding="utf-8")
    assert f"| {len(errors)} " in report.split("**all**")[1].split("\n")[0]
    words = " ".join(re.sub(r"\\(.)", r"\1", report).split())  # reasons are wrapped and markdown-escaped there
    for record in errors:
        assert "\n" not in record["reason"] and "Traceback" not in record["reason"]
        assert " ".join(record["reason"].split()) in words
    return records


def test_each_failure_of_ours_is_an_error_with_its_one_line_reason(project: pytest.Pytester, tmp_path: Path) -> None:
    data = write_cifar10(tmp_path / "synthetic", per_batch=10, test=20)
    unverified = _outcome(project, data)
    assert unverified["errors/macs/leaf_product"]["reason"].startswith("counters disagree after corrections: ")
    assert unverified["errors/params/broken"]["reason"] == "RuntimeError: model builder exploded"
    assert unverified["errors/params/lazy_buffer"]["reason"].startswith(
        "count 'keras': the model builds buffers in its first forward (its lazy layer '1', a LazyBatchNorm1d")
    for claim_id in ("errors/accuracy/linear", "errors/accuracy/diverges", "errors/accuracy/grey"):
        reason = unverified[claim_id]["reason"]
        assert "data_batch_1" in reason and "--claims-allow-unverified-data" in reason, reason

    allowed = _outcome(project, data, "--claims-allow-unverified-data")
    assert allowed["errors/accuracy/linear"]["verdict"] == "error"  # trained, but on splits of another size
    assert NOT_PUBLISHED in allowed["errors/accuracy/linear"]["reason"]
    assert allowed["errors/accuracy/linear"]["unverified_data"] is True
    assert "training loss is nan at epoch 1" in allowed["errors/accuracy/diverges"]["reason"]
    assert allowed["errors/accuracy/grey"]["reason"].startswith("cost estimate failed: errors.grey: RuntimeError")

    (data / "cifar-10-batches-py" / "test_batch").write_bytes(b"\x80\x04\x95 truncated")
    (project.path / "out" / "claims.json").unlink()  # this run's records only, none kept from the last
    unreadable = _outcome(project, data, "--claims-allow-unverified-data", "--claims-retrain", "-k", "linear")
    reason = unreadable["errors/accuracy/linear"]["reason"]
    assert unreadable["errors/accuracy/linear"]["verdict"] == "error" and "test_batch" in reason, reason


def test_an_error_reads_as_its_reason_and_a_crash_as_a_short_traceback(project: pytest.Pytester) -> None:
    """A known failure of ours is its one-line reason; a crash keeps a short traceback (from the author's code on,
    for a builder's crash: ``test_an_authors_crash_leads_with_the_authors_frame``)."""
    output = project.runpytest_subprocess("-k", "leaf_product or broken").stdout.str()
    assert re.search(r"(?m)^error: counters disagree after corrections: ", output), output
    crash = output.split("ERROR at setup of claim errors/params/broken")[1].split("claimbench verdicts")[0]
    crash = crash.split("ERROR at setup of claim")[0]
    assert "errmodels.py" in crash and "RuntimeError: model builder exploded" in crash, crash
    assert "_pytest" not in crash and "pluggy" not in crash and len(crash.splitlines()) < 30, crash


def test_a_crash_in_set_up_follows_the_tb_option(project: pytest.Pytester) -> None:
    """``--tb=line`` and ``--tb=native`` shape a ledger item's set-up crash as they shape a test function's."""
    line = project.runpytest_subprocess("-k", "broken", "--tb=line").stdout.str()
    crash = line.split("ERROR at setup of claim errors/params/broken")[1].split("claimbench verdicts")[0]
    assert [text for text in crash.splitlines() if text.strip("-_ ")] == ["E   RuntimeError: model builder exploded"]
    native = project.runpytest_subprocess("-k", "broken", "--tb=native").stdout.str()
    crash = native.split("ERROR at setup of claim errors/params/broken")[1].split("claimbench verdicts")[0]
    assert "Traceback (most recent call last):" in crash and "errmodels.py" in crash, crash


CRASHING_LEDGER = """
format = 2

[report]
title = "An author's crash"
modules = ["crashmodels"]

[[claim]]
id = "macs/forward"
kind = "macs"
model = "crash.forward"
count = "pure"
value = 1
printed = "1"
source = "a forward that raises"
"""

CRASHING_MODELS = """
from torch import nn
from claimbench import register_model


class Crashing(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(4, 2)

    def forward(self, x):
        return self.route(x)

    def route(self, x):
        raise ValueError("no route for a batch of 1")


@register_model("crash.forward", input_size=(4,))
def crashing():
    return Crashing()
"""


def _line(source: str, code: str) -> str:
    """The number (1-based, as a traceback shows it) of the line of ``source`` holding ``code``."""
    return str(next(number for number, line in enumerate(source.splitlines(), 1) if code in line))


@pytest.mark.parametrize("own_test", [False, True], ids=["ledger item", "own test"])
def test_an_authors_crash_leads_with_the_authors_frame(project: pytest.Pytester, own_test: bool) -> None:
    """A model whose forward or builder raises: its traceback starts at the author's frame, claimbench's frames (and
    torch's calls into the model) hidden, except under --fulltrace; the verdict is an error, its reason one line."""
    (project.path / "claims" / "crash.toml").write_text(CRASHING_LEDGER, encoding="utf-8")
    (project.path / "crashmodels.py").write_text(CRASHING_MODELS, encoding="utf-8")
    if own_test:
        project.makepyfile(test_claims="""
            import pytest

            @pytest.mark.claims("macs", "params")
            def test_structure(claim_measurement, check_claim):
                check_claim(claim_measurement)
        """)
    where = "test_structure[{}]" if own_test else "claim {}"
    crashes = {  # claim: the author's file, its first and last frames' lines, the error, a file of ours
        "crash/macs/forward": ("crashmodels.py", _line(CRASHING_MODELS, "return self.route(x)"),
                               _line(CRASHING_MODELS, "raise ValueError"), "ValueError: no route for a batch of 1",
                               "claimbench/measure.py"),
        "errors/params/broken": ("errmodels.py", *[_line(MODELS, "raise RuntimeError")] * 2,  # one frame
                                 "RuntimeError: model builder exploded", "claimbench/registry.py")}
    for fulltrace in (False, True):
        output = project.runpytest_subprocess("-k", "crash or broken", *["--fulltrace"] * fulltrace).stdout.str()
        for claim_id, (file, first, last, error, ours) in crashes.items():
            crash = re.split(r"\n_{3,} |\n-{3,} claimbench verdicts", output.split(
                f"ERROR at setup of {where.format(claim_id)}")[1])[0]
            assert re.search(rf"(?m)^E +{re.escape(error)}$", crash), crash
            if fulltrace:
                assert ours in crash and "claimbench/families.py" in crash and "_pytest" in crash, crash
            else:
                frames = re.findall(r"(?m)^(\S+?\.py):(\d+):", crash)
                assert frames == list(dict.fromkeys([(file, first), (file, last)])), crash
                assert "claimbench/" not in crash and "torch/" not in crash, crash
            summary = rf"(?m)^ERROR \S+::\S*{re.escape(claim_id)}\S* - {error.partition(':')[0]}: "  # cut to width
            assert re.search(summary, output), output
        records = {r["id"]: r for r in json.loads((project.path / "out" / "claims.json").read_text())["claims"]}
        for claim_id, (*_, error, _) in crashes.items():
            assert (records[claim_id]["verdict"], records[claim_id]["reason"]) == ("error", error)


NOT_A_MODULE_LEDGER = """
format = 2

[report]
title = "A builder that returns no model"
modules = []

[[claim]]
id = "params/not_a_module"
kind = "params"
model = "notmodels:not_a_module"
count = "all"
value = 1
printed = "1"
source = "a builder that returns a number"
"""


def test_a_builder_that_returns_no_module_is_a_one_line_error_naming_it(project: pytest.Pytester) -> None:
    """The author's mistake, not a crash of ours: one line in the terminal and in JUnit XML, no frame of
    claimbench's, as the README says of a builder that returns no ``torch.nn.Module``."""
    (project.path / "claims" / "notmodule.toml").write_text(NOT_A_MODULE_LEDGER, encoding="utf-8")
    (project.path / "notmodels.py").write_text("def not_a_module():\n    return 42\n", encoding="utf-8")
    result = project.runpytest_subprocess("-k", "not_a_module", "--junitxml=out/junit.xml")
    result.assert_outcomes(errors=1)
    said = ("TypeError: get_model('notmodels:not_a_module'): its builder notmodels:not_a_module returned 42 (int), "
            "not a torch.nn.Module")
    output = result.stdout.str()
    crash = re.split(r"\n-+ (?:generated xml file|claimbench verdicts)",
                     output.split("ERROR at setup of claim notmodule/params/not_a_module")[1])[0]
    assert [line for line in crash.splitlines() if line.strip("-_ ")] == [f"error: {said}"], crash
    records = {r["id"]: r for r in json.loads((project.path / "out" / "claims.json").read_text())["claims"]}
    record = records["notmodule/params/not_a_module"]
    assert (record["verdict"], record["reason"]) == ("error", said)
    junit = ElementTree.parse(project.path / "out" / "junit.xml").find(".//error")
    assert junit is not None and junit.text == f"error: {said}", junit


@pytest.mark.parametrize("test_file", [None, "measured in set-up"])
def test_an_error_of_ours_is_an_error_in_junit_xml_too(project: pytest.Pytester, test_file: str | None) -> None:
    """A claim we could not measure is an error for every reader of the run, JUnit XML's CI dashboards included:
    a ledger item, or a test that takes ``claim_measurement``, measures in set-up. Its measurement is JSON there."""
    if test_file:
        project.makepyfile(test_claims="""
            import pytest

            @pytest.mark.claims("params", "macs")
            def test_structure(claim_measurement, check_claim):
                check_claim(claim_measurement)
        """)
    result = project.runpytest_subprocess("-k", "leaf_product or broken", "--junitxml=out/junit.xml")
    result.assert_outcomes(errors=2)
    suite = ElementTree.parse(project.path / "out" / "junit.xml").getroot().find("testsuite")
    assert (suite.get("errors"), suite.get("failures"), suite.get("tests")) == ("2", "0", "2")
    named = [case.get("name") for case in suite.iter("testcase")]
    assert all(("test_structure" in name) == bool(test_file) for name in named), named
    measured = [json.loads(p.get("value")) for p in suite.iter("property") if p.get("name") == "claimbench.measurement"]
    assert measured and all("counters" in m for m in measured), "the measurement reads as JSON in JUnit XML"


@pytest.mark.parametrize(("style", "workers"), [("line", ()), ("line", ("-n", "2")), ("auto", ())])
def test_an_error_of_ours_has_its_reason_as_its_junit_xml_text(project: pytest.Pytester, style: str,
                                                              workers: tuple[str, ...]) -> None:
    """CI dashboards show an ``<error>`` element's text: a claim we could not measure has its reason there, under
    ``--tb=line`` too (where a refuted claim's ``<failure>`` once had none) after pytest's ``E   ``, as the terminal
    shows it, and its traceback's last line for a crash of the author's model."""
    if workers:
        pytest.importorskip("xdist")
    result = project.runpytest_subprocess("-k", "leaf_product or broken", f"--tb={style}", "--junitxml=out/junit.xml",
                                          *workers)
    result.assert_outcomes(errors=2)
    texts = {case.get("name").rpartition("/")[2]: case.find("error").text
             for case in ElementTree.parse(project.path / "out" / "junit.xml").iter("testcase")}
    shown = "E   error: counters" if style == "line" else "error: counters"
    assert texts["leaf_product"].startswith(f"{shown} disagree after corrections: "), texts
    assert texts["broken"].splitlines()[-1] == "E   RuntimeError: model builder exploded", texts


def test_one_seed_outside_the_band_is_an_error_in_junit_xml_too(project: pytest.Pytester) -> None:
    """A measurement the judge cannot use (here one seed outside the band, which cannot tell a wrong number from
    seed-to-seed noise) is known only once measured; it is judged in set-up, so JUnit XML counts an error of ours,
    not a failed claim."""
    project.makeconftest("""
        import claimbench.families
        from claimbench.verdict import Measurement

        def one_seed(claim, settings, timer):
            return Measurement(200.0, seeds=(200.0,), device="cpu")

        claimbench.families.measurement = one_seed
    """)
    result = project.runpytest_subprocess("-k", "accuracy and linear", "--junitxml=out/junit.xml")
    result.assert_outcomes(errors=1)
    suite = ElementTree.parse(project.path / "out" / "junit.xml").getroot().find("testsuite")
    assert (suite.get("errors"), suite.get("failures")) == ("1", "0")
    record = json.loads((project.path / "out" / "claims.json").read_text())["claims"]
    linear = next(r for r in record if r["id"] == "errors/accuracy/linear")
    assert linear["verdict"] == "error" and linear["reason"].endswith(
        "; one seed cannot tell a wrong number from seed-to-seed noise; 3 seeds (--claims-train-seeds=3) decide")
    assert linear["measured"] == 200.0, "the measurement is kept beside the error"
    assert linear["seeds"] == [200.0], "and so is its seed"


def test_a_test_of_your_own_failing_in_its_body_is_a_failure_and_its_claim_an_error(project: pytest.Pytester) -> None:
    """pytest's model: a call-phase exception is a failure, in the terminal as in JUnit XML; the claim's record
    still says error, as nothing was judged."""
    project.makepyfile(test_claims="""
        import pytest

        @pytest.mark.claims("macs")
        def test_macs(claim, check_claim):
            raise RuntimeError("boom in the body")
    """)
    result = project.runpytest_subprocess("test_claims.py", "--junitxml=out/junit.xml")
    result.assert_outcomes(failed=1)
    suite = ElementTree.parse(project.path / "out" / "junit.xml").getroot().find("testsuite")
    assert (suite.get("errors"), suite.get("failures")) == ("0", "1")
    records = {r["id"]: r for r in json.loads((project.path / "out" / "claims.json").read_text())["claims"]}
    assert records["errors/macs/leaf_product"]["verdict"] == "error"
    assert records["errors/macs/leaf_product"]["reason"] == "RuntimeError: boom in the body"
