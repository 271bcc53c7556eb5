"""The claimbench pytest plugin: claims from the ledger as parametrized tests, verdicts into reports.

Hooks and fixtures only; the work is done by ``ledger``, ``verdict``, ``results`` and ``report``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from claimbench import ledger, results, verdict
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
    **{kind: "train" for kind in ledger.TRAINING_KINDS},
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

ClaimChecker = Callable[..., verdict.Comparison]


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
        config.stash[results_key] = results.Results({c.id: c for c in config.stash[claims_key]})


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
    """Judge a measurement of this test's claim, record it for the report, raise on a mismatch."""

    def check(
        measured: verdict.Measured,
        *,
        counters: Mapping[str, verdict.Measured] | None = None,
        seeds: Sequence[float] = (),
        spread: float = 0.0,
        device: str = "meta",
        unverified_data: bool = False,
        incomparable: str | None = None,
    ) -> verdict.Comparison:
        """``incomparable``, when given, says why the measurement cannot be judged against the claim
        (other hardware): it is recorded beside the claim and the test is skipped."""
        comparison = verdict.compare(claim, measured, spread=spread)
        if incomparable is not None:
            request.node.user_properties.append((results.MEASUREMENT_PROPERTY, results.measurement(
                comparison, message=incomparable, seeds=seeds, device=device, comparable=False)))
            pytest.skip(incomparable)
        message = ""
        try:
            verdict.check_counters(claim, counters or {})
            verdict.check(claim, measured, spread=spread)
        except (verdict.ClaimMismatch, verdict.CounterDisagreement) as error:
            message = str(error).removeprefix(f"{claim.id}: ")
            raise
        finally:
            request.node.user_properties.append((results.MEASUREMENT_PROPERTY, results.measurement(
                comparison, message=message, counters=counters, seeds=seeds, spread=spread or None,
                device=device, unverified_data=unverified_data)))
        return comparison

    return check


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
            # A skip's longrepr is (path, line, "Skipped: reason"); keep the reason only.
            longrepr = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            collected.add(report.user_properties, when=report.when, outcome=report.outcome,
                          message=str(longrepr or ""), xfailed=hasattr(report, "wasxfail"),
                          duration=report.duration)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        collected = self.config.stash.get(results_key, None)
        targets = {name: self.config.getoption(f"claims_{name}")
                   for name in ("report", "json", "badges", "plots", "readme")}
        if collected is None or not any(targets.values()):
            return
        from claimbench import environment, report

        self.written = report.write_all(
            collected.records(), self.config.stash[reports_key], environment.describe(self.config.rootpath),
            markdown=targets["report"], json=targets["json"], badges=targets["badges"], plots=targets["plots"],
            readme=targets["readme"],
        )

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        collected = self.config.stash.get(results_key, None)
        if collected is None or not collected.outcomes:
            return
        counts: dict[str, int] = {}
        for record in collected.records():
            counts[record["verdict"]] = counts.get(record["verdict"], 0) + 1
        terminalreporter.write_sep("-", "claimbench verdicts")
        terminalreporter.write_line(", ".join(f"{counts[v]} {v}" for v in verdict.VERDICTS if v in counts))
        for path in self.written:
            terminalreporter.write_line(f"wrote {path}")


def pytest_configure(config: pytest.Config) -> None:
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
    from claimbench import progress, runs

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
        progress=progress.reporter(config),
    )


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict[str, Any]) -> None:
    """Add torch, the training device and its CUDA driver to pytest-benchmark's machine info."""
    from claimbench import runs

    machine_info.update(runs.machine_info(config.getoption("train_device")))
