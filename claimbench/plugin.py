"""The claimbench pytest plugin: claims from the ledger as parametrized tests, verdicts into reports.

Hooks and fixtures only; the work is done by ``ledger``, ``verdict``, ``results`` and ``report``.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from claimbench import ledger, results, verdict, vocab
from claimbench.ledger import Claim

if TYPE_CHECKING:
    from claimbench import runs

claims_key = pytest.StashKey[list[Claim]]()
reports_key = pytest.StashKey[list[ledger.Report]]()
results_key = pytest.StashKey[results.Results]()

TIER_OF_KIND = {
    "params": "params",
    "macs": "macs",
    "layer": "layers",
    "size": "size",
    **{kind: "train" for kind in vocab.TRAINING_KINDS},
    "epoch_time": "timing",
}
MARKERS = {
    "claims(*kinds)": "parametrize the test's `claim` argument over the ledger's claims of these kinds",
    "params": "parameter-count claims (structure only, meta device)",
    "macs": "multiply-accumulate claims (structure only, meta device)",
    "layers": "per-layer claims: params, MACs, output shapes (structure only)",
    "size": "model-size claims (torchinfo estimates, checkpoint bytes)",
    "train": "accuracy / loss / epoch claims after training with the author's recipe",
    "train_cpu": "real training that fits a CPU in minutes",
    "timing": "time-per-epoch claims (pytest-benchmark)",
    "throughput": "training engine against a conventional loop, and matmul FLOP/s (pytest-benchmark; opt-in)",
    "slow": "a test of the instruments that takes more than a few seconds",
}

_DEVICE = re.compile(r"cpu|cuda(:\d+)?|mps")

ClaimChecker = Callable[..., verdict.Judgement]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("claimbench", "claimbench: published claims as tests")
    group.addoption("--claims-dir", dest="claims_dir", default=None, metavar="DIR",
                    help="ledger directory or file (default: ini claims_dir, else reference/)")
    group.addoption("--claims-report", dest="claims_report", default=None, metavar="PATH.md",
                    help="write the markdown verdict report here")
    group.addoption("--claims-json", dest="claims_json", default=None, metavar="PATH",
                    help="write one JSON record per claim here")
    group.addoption("--claims-badges", dest="claims_badges", default=None, metavar="DIR",
                    help="write shields.io endpoint JSON and SVG badges into DIR")
    group.addoption("--claims-plots", dest="claims_plots", default=None, metavar="DIR",
                    help="write PNG plots into DIR")
    group.addoption("--claims-readme", dest="claims_readme", default=None, metavar="PATH",
                    help="replace the summary between the README's claims-summary markers")
    group.addoption("--data-root", dest="data_root", default=None, metavar="DIR",
                    help="where datasets live in their standard on-disk layouts (default: $CLAIMBENCH_DATA)")
    group.addoption("--download", dest="download", action="store_true",
                    help="download a missing dataset (never done otherwise)")
    group.addoption("--allow-unverified-data", dest="allow_unverified_data", action="store_true",
                    help="run on data whose checksums do not match; affected verdicts say 'unverified data'")
    group.addoption("--train-device", dest="train_device", default="cuda", metavar="DEVICE",
                    help="device for train and timing claims (default: cuda; 'cpu' runs what fits the budget)")
    group.addoption("--train-seeds", dest="train_seeds", type=int, default=1, metavar="N",
                    help="seeds per training claim; N > 1 judges the mean with a 95%% interval")
    group.addoption("--train-budget", dest="train_budget", type=float, default=None, metavar="SECONDS",
                    help="skip training claims whose estimated cost exceeds this (default: no limit on CUDA, "
                         "600 s on the CPU)")
    group.addoption("--train-compile", dest="train_compile", action="store_true",
                    help="torch.compile the model for training claims (about 5 s of compiling per model; "
                         "-10%% to +9%% images/s measured on a 2-core CPU)")
    group.addoption("--retrain", dest="retrain", action="store_true",
                    help="train again even where a stored result exists")
    group.addoption("--results-dir", dest="results_dir", default="runs", metavar="DIR",
                    help="where training checkpoints and results are stored (default: runs/)")
    parser.addini("claims_dir", "ledger directory, relative to the rootdir", default="reference")


def _claims_path(config: pytest.Config) -> Path:
    option = config.getoption("claims_dir")
    return Path(option) if option else config.rootpath / config.getini("claims_dir")


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    import models

    config = session.config
    try:
        reports = ledger.load_reports(_claims_path(config), model_names=models.names())
    except ledger.LedgerError as error:
        raise pytest.UsageError(f"claims ledger rejected: {error}") from None
    config.stash[reports_key] = reports
    config.stash[claims_key] = sorted((c for r in reports for c in r.claims), key=lambda c: c.id)
    if not hasattr(config, "workerinput"):
        claims = {c.id: c for c in config.stash[claims_key]}
        config.stash[results_key] = results.Results(claims, date=datetime.date.today().isoformat())


def _marks(claim: Claim) -> list[pytest.MarkDecorator]:
    marks = [getattr(pytest.mark, TIER_OF_KIND[claim.kind])]
    if claim.status == "unverifiable":
        marks.append(pytest.mark.skip(reason=f"unverifiable: {claim.why}"))
    elif claim.expect == "refuted":
        marks.append(pytest.mark.xfail(strict=True, raises=verdict.ClaimMismatch, reason=claim.why or ""))
    return marks


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("claims")
    if marker is None or "claim" not in metafunc.fixturenames:
        return
    claims = [c for c in metafunc.config.stash[claims_key] if c.kind in marker.args]
    metafunc.parametrize("claim", [pytest.param(c, id=c.id, marks=_marks(c)) for c in claims])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        claim = getattr(item, "callspec", None) and item.callspec.params.get("claim")
        if isinstance(claim, Claim):
            item.user_properties.append((results.CLAIM_PROPERTY, claim.id))


@pytest.fixture
def check_claim(request: pytest.FixtureRequest, claim: Claim) -> ClaimChecker:
    """Record a measurement of this test's claim for the report, then judge it: raise on a mismatch,
    skip when it cannot be compared with the claim (other hardware)."""

    def check(measurement: verdict.Measurement) -> verdict.Judgement:
        request.node.user_properties.append((results.MEASUREMENT_PROPERTY, measurement.to_dict()))
        if measurement.incomparable is not None:
            pytest.skip(measurement.incomparable)
        return verdict.check(claim, measurement)

    return check


def _one_line(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """A failure of ours in one line: the message of a ``MeasurementError``, else its type and first line."""
    lines = str(excinfo.value).strip().splitlines()
    first = lines[0] if lines else ""
    if isinstance(excinfo.value, verdict.MeasurementError):
        return first
    return f"{excinfo.typename}: {first}" if first else excinfo.typename


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A claim's mismatch is its one-line message; any other exception is a failure of ours, kept apart."""
    report = yield
    claimed = any(name == results.CLAIM_PROPERTY for name, _ in item.user_properties)
    excinfo = call.excinfo
    if not claimed or excinfo is None or not report.failed:
        return report
    if isinstance(excinfo.value, verdict.ClaimMismatch):
        report.longrepr = str(excinfo.value)
    else:
        report.user_properties.append((results.FAILURE_PROPERTY, _one_line(excinfo)))
    return report


def pytest_report_teststatus(
    report: pytest.TestReport | pytest.CollectReport,
) -> tuple[str, str, tuple[str, Mapping[str, bool]]] | None:
    """A claim we could not measure is reported as an error, not as a failed claim."""
    properties = getattr(report, "user_properties", ())
    if report.failed and any(name == results.FAILURE_PROPERTY for name, _ in properties):
        return "error", "E", ("ERROR", {"red": True})
    return None


class ClaimsSession:
    """The controller's side of a run: gathers outcomes, writes the files once, prints the summary."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.written: list[Path] = []

    def pytest_sessionstart(self) -> None:
        readme = self.config.getoption("claims_readme")
        if readme:
            from claimbench import report

            try:
                report.check_readme(readme)
            except ValueError as error:
                raise pytest.UsageError(f"--claims-readme: {error}") from None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        collected = self.config.stash.get(results_key, None)
        if collected is not None:
            skipped = None
            if report.skipped and not hasattr(report, "wasxfail"):
                # A skip's longrepr is (path, line, "Skipped: reason"); keep the reason only.
                longrepr = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
                skipped = str(longrepr).removeprefix("Skipped: ")
            collected.add(report.user_properties, skipped=skipped, duration=report.duration)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        collected = self.config.stash.get(results_key, None)
        targets = {name: self.config.getoption(f"claims_{name}")
                   for name in ("report", "json", "badges", "plots", "readme")}
        if collected is None or not any(targets.values()):
            return
        from claimbench import environment, report

        self.written = report.write_all(
            collected.records(), self.config.stash[reports_key], environment.describe(_claims_path(self.config)),
            markdown=targets["report"], json=targets["json"], badges=targets["badges"], plots=targets["plots"],
            readme=targets["readme"],
        )

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        collected = self.config.stash.get(results_key, None)
        if collected is None or not collected.outcomes:
            return
        records = collected.records()
        tally = results.counts(records)
        terminalreporter.write_sep("-", "claimbench verdicts")
        terminalreporter.write_line(f"{results.headline(records)} ("
                                    + ", ".join(f"{tally[v]} {v}" for v in verdict.VERDICTS if tally[v]) + ")")
        for path in self.written:
            terminalreporter.write_line(f"wrote {path}")


def _option_problems(config: pytest.Config) -> list[str]:
    """What is wrong with the session's claimbench options, each as ``--option: problem``."""
    problems = []
    if config.getoption("train_seeds") < 1:
        problems.append(f"--train-seeds: must be at least 1, got {config.getoption('train_seeds')}")
    if not _DEVICE.fullmatch(config.getoption("train_device")):
        problems.append(f"--train-device: must be cpu, cuda, cuda:N or mps, got {config.getoption('train_device')!r}")
    budget = config.getoption("train_budget")
    if budget is not None and not (math.isfinite(budget) and budget > 0):
        problems.append(f"--train-budget: must be a positive number of seconds, got {budget}")
    return problems


def pytest_configure(config: pytest.Config) -> None:
    problems = _option_problems(config)
    if problems:
        raise pytest.UsageError("; ".join(problems))
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    worker = getattr(config, "workerinput", None)
    if worker is None:
        config.pluginmanager.register(ClaimsSession(config), "claimbench-session")
    else:
        _share_cores(int(worker["workercount"]))


def _share_cores(workers: int) -> None:
    """pytest-xdist workers split the CPU's cores between their torch threads: each taking them all
    oversubscribes the CPU, and OpenMP threads preempted at a barrier made training 7x slower on 2 cores."""
    import torch

    torch.set_num_threads(max(1, len(os.sched_getaffinity(0)) // workers))


def pytest_unconfigure(config: pytest.Config) -> None:
    session = config.pluginmanager.get_plugin("claimbench-session")
    if session is not None:
        config.pluginmanager.unregister(session)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """A claim that cannot be measured here (no CUDA, no data, over budget) is skipped with the reason."""
    try:
        return (yield)
    except verdict.NotRunnable as reason:
        pytest.skip(str(reason))


@pytest.fixture(scope="session")
def training_settings(request: pytest.FixtureRequest) -> runs.Settings:
    """The training options of this session; under pytest-xdist each worker takes its own GPU."""
    from claimbench import runs

    config = request.config
    worker = getattr(config, "workerinput", {})
    return runs.Settings(
        device=runs.worker_device(config.getoption("train_device"), worker.get("workerid")),
        seeds=config.getoption("train_seeds"),
        data_root=Path(config.getoption("data_root")) if config.getoption("data_root") else None,
        budget_seconds=config.getoption("train_budget"),
        retrain=config.getoption("retrain"),
        results_dir=config.rootpath / config.getoption("results_dir"),
        allow_unverified=config.getoption("allow_unverified_data"),
        download=config.getoption("download"),
        compile=config.getoption("train_compile"),
        session=worker.get("testrunuid", uuid.uuid4().hex),
    )


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict[str, Any]) -> None:
    """Add torch, the training device and its CUDA driver to pytest-benchmark's machine info."""
    from claimbench import runs

    machine_info.update(runs.machine_info(config.getoption("train_device")))
