"""The claimbench pytest plugin: a configured ledger's claims become tests, their verdicts reports.

Inert until configured: installed, it adds its ``--claims-*`` options and ini values and nothing else
(no torch, no ledger, no markers). A ledger given by ``--claims-dir`` or the ini ``claims_dir`` turns
it on. Hooks and fixtures only; the work is done by ``ledger``, ``families``, ``verdict``, ``results``
and ``report``.
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

from claimbench import errors

if TYPE_CHECKING:
    from claimbench import verdict
    from claimbench.results import Results
    from claimbench.runs.settings import Settings
    from claimbench.ledger import Claim, Report

claims_key = pytest.StashKey["list[Claim]"]()
reports_key = pytest.StashKey["list[Report]"]()
results_key: pytest.StashKey[Results] = pytest.StashKey()
ledger_path_key = pytest.StashKey[Path]()
session_key = pytest.StashKey[str]()

MARKERS = {
    "claims(*kinds)": "parametrize the test's `claim` argument over the ledger's claims of these kinds",
    "params": "parameter-count claims (structure only, meta device)",
    "macs": "multiply-accumulate claims (structure only, meta device)",
    "layers": "per-layer claims: params, MACs, output shapes (structure only)",
    "size": "model-size claims (torchinfo estimates, checkpoint bytes)",
    "train": "accuracy / loss / epoch claims after training with the author's recipe",
    "timing": "time-per-epoch claims (pytest-benchmark)",
}
OUTPUTS = ("report", "json", "badges", "plots", "readme")
"""The files a run may write, each ``--claims-<name>`` / ini ``claims_<name>``."""
FOLDERS = ("badges", "plots", "results_dir")
"""The path options that name a folder to write files into; the other written ones name a file."""
PATHS = ("dir", *OUTPUTS, "data_root", "results_dir")
"""Every path option, each ``--claims-<name>`` (underscores as dashes) / ini ``claims_<name>``."""
BOOLEANS = ("download", "allow_unverified_data", "train_compile")
"""The flags with an ini equivalent, a boolean."""
NOTHING_CHECKED = "claimbench_nothing_checked"
PATHS_GIVEN = "claimbench_paths_given"
"""The key of a pytest-xdist worker's output that says it collected no claim while a report was asked for."""
FLAGS = ("--claims-download", "--claims-allow-unverified-data", "--claims-train-compile", "--claims-retrain")
"""The options that take no value; every other ``--claims-*`` option takes one."""
_DEVICE = re.compile(r"cpu|cuda(:\d+)?|mps")

ClaimChecker = Callable[["verdict.Measurement"], "verdict.Judgement"]


# ----------------------------------------------------------------------------- options


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("claimbench", "claimbench: published model claims as tests")

    def option(name: str, help: str, *, ini: str = "string", **kwargs: Any) -> None:
        """``--claims-<name>`` with ini ``claims_<name>`` (``ini=""``: a command-line flag only); one of
        ``FLAGS`` takes no value."""
        dest, flag = f"claims_{name.replace('-', '_')}", f"--claims-{name}"
        if flag in FLAGS:
            kwargs["action"] = "store_true"
            ini = "bool" if ini else ""  # a flag's ini value, where it has one, is a boolean
        group.addoption(flag, dest=dest, default=None, help=help, **kwargs)
        if ini:
            parser.addini(dest, help, type=ini, default=None)

    option("dir", "the ledger: a directory of *.toml or one file; turns claimbench on", metavar="DIR")
    option("report", "write the markdown verdict report here", metavar="PATH.md")
    option("json", "write one JSON record per claim here (claims not run keep their last record)", metavar="PATH")
    option("badges", "write shields.io endpoint JSON and SVG badges into DIR", metavar="DIR")
    option("plots", "write PNG plots into DIR", metavar="DIR")
    option("readme", "replace the summary between the README's claims-summary markers", metavar="README.md")
    option("data-root", "where datasets live in their standard layouts (default: $CLAIMBENCH_DATA)", metavar="DIR")
    option("download", "download a missing dataset (never done otherwise)")
    option("allow-unverified-data", "run on data whose checksums differ; verdicts are marked 'unverified data'")
    option("train-device", "device for train and timing claims (default: cuda; cpu trains what fits the budget)",
           metavar="DEVICE")
    option("train-seeds", "seeds per training claim (default: the runs the claim averages, else 1)",
           metavar="N", type=int)
    option("train-budget", "skip training claims estimated above this (default: none on CUDA, 600 s on a CPU)",
           metavar="SECONDS", type=float)
    option("train-compile", "torch.compile the model for training claims")
    option("retrain", "train again even where a stored run exists", ini="")
    option("results-dir", "where training runs and checkpoints are stored (default: runs/)", metavar="DIR")
    option("cluster", "train the runs on a Ray cluster: ray://HOST:PORT, or auto ($RAY_ADDRESS)", metavar="ADDRESS")
    option("train-precision", "auto (bf16 where measured 1.2x faster), fp32 or bf16", metavar="PRECISION")


def _setting(config: pytest.Config, name: str) -> Any:
    """An option's value: the command line's, else the ini's (``None`` when neither is given)."""
    value = config.getoption(name)
    if value is not None:
        return value
    try:
        return config.getini(name)
    except ValueError:  # a flag with no ini equivalent
        return None


def _path(config: pytest.Config, name: str) -> Path | None:
    """A path option: from the invocation directory on the command line, from the ini file's directory
    in the ini, never from wherever the rootdir landed."""
    if config.getoption(name) is not None:
        return config.invocation_params.dir / config.getoption(name)
    value = _setting(config, name)
    if not value:
        return None
    base = config.inipath.parent if config.inipath else config.invocation_params.dir
    return base / value


def _option_problems(config: pytest.Config) -> list[str]:
    """What is wrong with the session's claimbench options, each as ``--option: problem``."""
    problems = []
    seeds, device, budget = (_setting(config, f"claims_train_{name}") for name in ("seeds", "device", "budget"))
    if seeds is not None and not (str(seeds).isdigit() and int(seeds) >= 1):
        problems.append(f"--claims-train-seeds: must be at least 1, got {seeds}")
    if device is not None and not _DEVICE.fullmatch(device):
        problems.append(f"--claims-train-device: must be cpu, cuda, cuda:N or mps, got {device!r}")
    if budget is not None and not _positive(budget):
        problems.append(f"--claims-train-budget: must be a positive number of seconds, got {budget}")
    precision = _setting(config, "claims_train_precision")
    if precision not in (None, "auto", "fp32", "bf16"):
        problems.append(f"--claims-train-precision: must be auto, fp32 or bf16, got {precision!r}")
    if _setting(config, "claims_cluster"):
        problems.extend(_cluster_problems(config))
    return problems + _boolean_problems(config) + _path_problems(config)


def _boolean_problems(config: pytest.Config) -> list[str]:
    """The boolean ini values that pytest cannot read as true or false (``claims_download = maybe``)."""
    problems = []
    for name in BOOLEANS:
        try:
            _setting(config, f"claims_{name}")
        except pytest.UsageError as error:  # pytest's own "invalid truth value 'maybe'"
            problems.append(f"claims_{name}: {error}; give true or false")
    return problems


def _path_problems(config: pytest.Config) -> list[str]:
    """The path options given empty on the command line, and the written ones that a run could not write."""
    problems = []
    for name in PATHS:
        flag = f"--claims-{name.replace('_', '-')}"
        given = config.getoption(f"claims_{name}")
        if given is not None and not given.strip():
            problems.append(f"{flag}: empty; give a path")
            continue
        path, written = _path(config, f"claims_{name}"), name in OUTPUTS or name in FOLDERS
        problem = _unwritable(path, folder=name in FOLDERS) if path and written else None
        if problem:
            problems.append(f"{flag}: {problem}")
    return problems


def _unwritable(path: Path, *, folder: bool) -> str | None:
    """Why a run could not write ``path`` (a file, or a folder to write files into); None when it could. A file
    is replaced through a temporary file beside it, so its folder must take new files."""
    if folder and os.path.isfile(path):
        return f"{path} is a file, not a folder"
    if not folder and os.path.isdir(path):
        return f"{path} is a folder, not a file"
    if not folder and os.path.exists(path) and not os.path.isfile(path):
        return f"{path} is not a regular file (a device or a FIFO), and is never replaced"
    existing = path if folder else path.parent
    while not os.path.lexists(existing):  # the folders a run would create: their nearest existing ancestor
        existing = existing.parent
    if not os.path.isdir(existing):
        return f"cannot create {path}: {existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot write in {existing}"
    return None


def _positive(value: object) -> bool:
    """Whether an option's value (a float, or an ini string) is a finite number above 0."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except ValueError:
        return False
    return math.isfinite(number) and number > 0


def _cluster_problems(config: pytest.Config) -> list[str]:
    """The cluster's address cannot be resolved, or pytest-xdist would plan the runs once per worker."""
    from claimbench.runs import cluster

    if getattr(config.option, "numprocesses", None):
        return ["--claims-cluster: the cluster trains the runs in parallel; drop -n"]
    try:
        cluster.address(_setting(config, "claims_cluster"))
    except ValueError as error:
        return [str(error)]
    return []


# ----------------------------------------------------------------------------- activation


def separated(option: str, value: str) -> bool:
    """Whether ``option value`` is a ``--claims-*`` option given its value after a space: pytest looks for its ini
    file before it knows plugin options, and takes such a value for a path to test."""
    return option.startswith("--claims-") and "=" not in option and option not in FLAGS and not value.startswith("-")


def _unconfigured(config: pytest.Config) -> str | None:
    """Why a session given ``--claims-*`` options on its command line has no ledger, or None when it was given
    none (an ini file's output settings alone leave the plugin inert). A value after a space hid the ini file only
    where it names an existing path: pytest looks for its ini file from the paths it was given that exist."""
    arguments = config.invocation_params.args
    for option, value in zip(arguments, arguments[1:]):
        if separated(option, value) and os.path.lexists(config.invocation_params.dir / value):
            return (f"no ledger configured; write {option}={value}, not {option} {value}: pytest looks for its "
                    f"ini file before it knows plugin options, and took {value!r} for a path to test")
    wanted = [f"--claims-{name}" for name in OUTPUTS if config.getoption(f"claims_{name}")]
    if wanted:
        return f"{wanted[0]}: there is no ledger to report on: give --claims-dir=DIR, or claims_dir in the ini file"
    return None


def pytest_configure(config: pytest.Config) -> None:
    ledger_path = _path(config, "claims_dir")
    if ledger_path is None:
        unconfigured = _unconfigured(config)
        if unconfigured:
            raise pytest.UsageError(unconfigured)
        return
    problems = _option_problems(config)
    if problems:
        raise pytest.UsageError("; ".join(problems))
    config.stash[ledger_path_key] = ledger_path
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    config.pluginmanager.register(ClaimFixtures(), "claimbench-fixtures")
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
    for name in ("claimbench-session", "claimbench-fixtures"):
        plugin = config.pluginmanager.get_plugin(name)
        if plugin is not None:
            config.pluginmanager.unregister(plugin)


def pytest_report_header(config: pytest.Config) -> str | None:
    if ledger_path_key not in config.stash:
        return None
    return f"claimbench: ledger {config.stash[ledger_path_key]}"


# ----------------------------------------------------------------------------- collection


def _project(config: pytest.Config) -> Path:
    """The project's folder: the ini file's, else the rootdir."""
    return config.inipath.parent if config.inipath else config.rootpath


def _pythonpath(config: pytest.Config) -> list[str]:
    """The ``pythonpath`` ini's folders, which pytest put first on ``sys.path``."""
    return [str(path) for path in config.getini("pythonpath")]


def _import_model_modules(config: pytest.Config, reports: list[Report]) -> None:
    """Import the modules each ledger names, from the project's directory, so their models register."""
    from claimbench import items
    from claimbench.ledger import LedgerError

    hint = "; run pytest where the module's package lies, or set the `pythonpath` ini"
    problems = items.import_problems(reports, _project(config), hint, _pythonpath(config))
    if problems:
        raise pytest.UsageError(f"claims ledger rejected: {LedgerError(problems)}")


def _stale_claims(config: pytest.Config, reports: list[Report]) -> dict[str, str]:
    """The claims whose report's markdown file (in the ledger's folder, in the folder above it, where `claimbench init`
    leaves the README it drafts from, or beside the ini, first found) no longer prints them as copied: the ledger's
    own folders come first, so that a reviewer's README is never read for the author's."""
    from claimbench import drift

    ledger_path = config.stash[ledger_path_key]
    ledger_folder = ledger_path if ledger_path.is_dir() else ledger_path.parent
    folders = [ledger_folder, ledger_folder.parent, _project(config)]
    reasons: dict[str, str] = {}
    for report in reports:
        path = drift.source_file(report, folders)
        if path is not None:
            reasons |= drift.stale(report, path.read_text(encoding="utf-8", errors="replace"), report.source or "")
    return reasons


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    config = session.config
    if ledger_path_key not in config.stash:
        return
    from claimbench import items, ledger, results

    try:
        reports = ledger.load_reports(config.stash[ledger_path_key])
    except ledger.LedgerError as error:
        raise pytest.UsageError(f"claims ledger rejected: {error}") from None
    _import_model_modules(config, reports)
    items.check_models(reports)
    config.stash[items.STALE] = _stale_claims(config, reports)
    config.stash[reports_key] = reports
    config.stash[claims_key] = sorted((c for r in reports for c in r.claims), key=lambda c: c.id)
    if not hasattr(config, "workerinput"):
        claims = {c.id: c for c in config.stash[claims_key]}
        config.stash[results_key] = results.Results(claims, date=datetime.date.today().isoformat())


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A ledger file visited by collection yields one test item per claim, as a doctest file would."""
    config = parent.config
    if ledger_path_key not in config.stash or file_path.suffix != ".toml":
        return None
    ledger_path = config.stash[ledger_path_key].resolve()
    if file_path.resolve() != ledger_path and file_path.resolve().parent != ledger_path:
        return None
    from claimbench import items

    return items.LedgerFile.from_parent(parent, path=file_path, claims=config.stash[claims_key],
                                        settings=lambda: settings(config))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("claims")
    if marker is None or "claim" not in metafunc.fixturenames or claims_key not in metafunc.config.stash:
        return
    from claimbench import items

    claims = [c for c in metafunc.config.stash[claims_key] if c.kind in marker.args]
    metafunc.parametrize("claim", [pytest.param(c, id=c.id, marks=items.marks(c)) for c in claims])


def _paths_given(config: pytest.Config) -> bool:
    """Whether the command line named what to test (then tests outside the ledger run alone, with no report),
    as the controller saw it on a pytest-xdist worker. A plain ``pytest`` in a subfolder of the rootdir names
    that folder: pytest collects it, not the ``testpaths``."""
    worker = getattr(config, "workerinput", None)
    if worker is not None:
        return bool(worker.get(PATHS_GIVEN))
    if config.args_source == pytest.Config.ArgsSource.INVOCATION_DIR:
        return config.invocation_params.dir != config.rootpath
    return config.args_source == pytest.Config.ArgsSource.ARGS


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tag each claim test with its claim; a ledger item whose claim a test file already checks is
    deselected; a run that would check nothing while asked for a report is a usage error."""
    if claims_key not in config.stash:  # no ledger, or a collection outside pytest_collection (--fixtures)
        return
    from claimbench import items as claim_items
    from claimbench import results
    from claimbench.ledger import Claim

    for item in items:
        claim = getattr(item, "callspec", None) and item.callspec.params.get("claim")
        if isinstance(claim, Claim):  # an empty parameter set holds a placeholder instead
            item.user_properties.append((results.CLAIM_PROPERTY, claim.id))
    tested = {value for item in items if not isinstance(item, claim_items.ClaimItem)
              for name, value in item.user_properties if name == results.CLAIM_PROPERTY}
    twice = [item for item in items if isinstance(item, claim_items.ClaimItem) and item.claim.id in tested]
    if twice:
        config.hook.pytest_deselected(items=twice)
        items[:] = [item for item in items if item not in twice]
    wanted = any(_path(config, f"claims_{name}") for name in OUTPUTS)
    claimed = tested or any(isinstance(item, claim_items.ClaimItem) for item in items)
    if not claimed and config.stash[claims_key] and (wanted or not items) and not _paths_given(config):
        nothing = (f"claims ledger {config.stash[ledger_path_key]}: none of its {len(config.stash[claims_key])} "
                   "claims was collected, so nothing would be checked: add its directory to the testpaths ini, "
                   "run pytest where it collects the ledger's files, or run `claimbench check`")
        if not hasattr(config, "workeroutput"):
            raise pytest.UsageError(nothing)
        config.workeroutput[NOTHING_CHECKED] = nothing  # a worker's usage error would be xdist's internal error
        config.hook.pytest_deselected(items=items[:])  # and it runs nothing, as the controller would
        items[:] = []


def pytest_collection_finish(session: pytest.Session) -> None:
    """With ``--claims-cluster``, the runs the selected training claims need train there before any test runs."""
    config = session.config
    if ledger_path_key not in config.stash or not _setting(config, "claims_cluster") or config.option.collectonly:
        return
    from claimbench.runs import cluster, plan

    pythonpath = [*_pythonpath(config), str(_project(config))]
    try:
        cluster.train_claims(plan.selected(session.items), settings(config),
                             [m for report in config.stash[reports_key] for m in report.modules], pythonpath=pythonpath)
    except cluster.Unreachable as error:
        raise pytest.UsageError(str(error)) from None


# ----------------------------------------------------------------------------- running a claim


class ClaimFixtures:
    """The fixtures a claim test takes, registered only once a ledger is configured."""

    @pytest.fixture
    def claim(self, request: pytest.FixtureRequest) -> Claim:
        """The claim of a test parametrized by ``@pytest.mark.claims``; without the mark there is none."""
        pytest.fail(f"{request.node.nodeid}: a `claim` argument needs @pytest.mark.claims(<kinds>)", pytrace=False)

    @pytest.fixture
    def claim_measurement(self, request: pytest.FixtureRequest, claim: Claim) -> verdict.Measurement:
        """The claim measured by its family during set-up (``items.measure_in_setup``): a failure to measure is
        the test's error, in the terminal and in JUnit XML, never its failure."""
        from claimbench import families, items

        timed = claim.kind == "epoch_time" and request.config.pluginmanager.hasplugin("benchmark")
        timer = request.getfixturevalue("benchmark") if timed else items.NO_BENCHMARK
        return items.measure_in_setup(request.node, lambda: families.measurement(
            claim, lambda: request.getfixturevalue("training_settings"), timer))

    @pytest.fixture
    def check_claim(self, request: pytest.FixtureRequest, claim: Claim) -> ClaimChecker:
        """Record a measurement of this test's claim for the report, then judge it: raise on a mismatch,
        skip when it cannot be compared with the claim (other hardware)."""
        from claimbench import items

        return lambda measurement: items.record_and_judge(request.node, claim, measurement)

    @pytest.fixture(scope="session")
    @classmethod
    def training_settings(cls, request: pytest.FixtureRequest) -> Settings:
        """The training options of this session; under pytest-xdist each worker takes its own GPU."""
        return settings(request.config)


def settings(config: pytest.Config) -> Settings:
    """The session's training settings, from the options and ini values."""
    from claimbench import progress
    from claimbench.runs import cluster
    from claimbench.runs.settings import Settings, worker_device

    worker = getattr(config, "workerinput", {})
    seeds, budget = _setting(config, "claims_train_seeds"), _setting(config, "claims_train_budget")
    address = _setting(config, "claims_cluster")
    return Settings(
        device=worker_device(_setting(config, "claims_train_device") or "cuda", worker.get("workerid")),
        seeds=int(seeds) if seeds is not None else None,
        data_root=_path(config, "claims_data_root"),
        budget_seconds=float(budget) if budget is not None else None,
        retrain=bool(config.getoption("claims_retrain")),
        results_dir=_path(config, "claims_results_dir") or _project(config) / "runs",
        allow_unverified=bool(_setting(config, "claims_allow_unverified_data")),
        download=bool(_setting(config, "claims_download")),
        compile=bool(_setting(config, "claims_train_compile")),
        session=worker.get("testrunuid") or config.stash.setdefault(session_key, uuid.uuid4().hex),
        ledger=config.stash[ledger_path_key],
        progress=progress.reporter(config),
        precision=_setting(config, "claims_train_precision") or "auto",
        cluster=cluster.address(address) if address else None,
    )


def _one_line(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """A failure of ours in one line: the message of a ``MeasurementError``, else its type and first line."""
    lines = str(excinfo.value).strip().splitlines()
    first = lines[0] if lines else ""
    if isinstance(excinfo.value, errors.MeasurementError):
        return first
    return f"{excinfo.typename}: {first}" if first else excinfo.typename


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A claim's mismatch is its one-line message; any other exception is a failure of ours, kept apart, and a
    ``MeasurementError`` (a known failure with its reason: data, divergence, estimate) is one line too. A claim
    skipped while it ran is reported at the claim's test, not at this plugin's line that skipped it."""
    report = yield
    if ledger_path_key not in item.config.stash or call.excinfo is None:
        return report
    from claimbench import items as claim_items
    from claimbench import results, verdict

    if not any(name == results.CLAIM_PROPERTY for name, _ in item.user_properties):
        return report
    if report.skipped and call.excinfo.errisinstance(pytest.skip.Exception) and isinstance(report.longrepr, tuple):
        path, line, _ = item.reportinfo()
        report.longrepr = (os.fspath(path), (line or 0) + 1, report.longrepr[2])
    if not report.failed:
        return report
    if isinstance(call.excinfo.value, verdict.ClaimMismatch):
        report.longrepr = str(call.excinfo.value)
        return report
    if call.when == "setup" and isinstance(item, claim_items.ClaimItem):  # pytest formats set-up errors itself
        report.longrepr = item.repr_failure(call.excinfo)
    reason = _one_line(call.excinfo)
    report.user_properties.append((results.FAILURE_PROPERTY, reason))
    if isinstance(call.excinfo.value, errors.MeasurementError) and not item.config.option.fulltrace:
        report.longrepr = f"error: {reason}"
    return report


def pytest_report_teststatus(
    report: pytest.TestReport | pytest.CollectReport, config: pytest.Config,
) -> tuple[str, str, tuple[str, Mapping[str, bool]]] | None:
    """A claim we could not measure is reported as an error, not as a failed claim."""
    if ledger_path_key not in config.stash or not report.failed:
        return None
    from claimbench import results

    if any(name == results.FAILURE_PROPERTY for name, _ in getattr(report, "user_properties", ())):
        return "error", "E", ("ERROR", {"red": True})
    return None


# ----------------------------------------------------------------------------- the controller


def _claim_of(nodeid: str, claims: Sequence[Claim]) -> str | None:
    """The claim a test id checks: a ledger item's name, or the claim's id among its parameters' ids."""
    name = nodeid.rpartition("::")[2]
    ids = {claim.id for claim in claims}
    if name in ids:
        return name
    params = name.partition("[")[2].removesuffix("]")
    found = [cid for cid in ids if params == cid or params.startswith(f"{cid}-") or params.endswith(f"-{cid}")
             or f"-{cid}-" in params]
    return max(found, key=len) if found else None


class ClaimsSession:
    """The controller's side of a run: gathers outcomes, writes the files once, prints the summary."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.written: list[Path] = []
        self.shown: list[dict[str, Any]] = []
        """What the files show: this run's records and those kept from the last JSON."""
        self.nothing_checked: str | None = None
        self.unwritten: str | None = None

    def pytest_sessionstart(self) -> None:
        readme = _path(self.config, "claims_readme")
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

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[PATHS_GIVEN] = _paths_given(self.config)

    @pytest.hookimpl(optionalhook=True)
    def pytest_handlecrashitem(self, crashitem: str, report: pytest.TestReport, sched: Any) -> None:
        """A claim whose pytest-xdist worker died under it is an error of ours, never a verdict kept from before."""
        from claimbench import results

        claim_id = _claim_of(crashitem, self.config.stash.get(claims_key, []))
        if claim_id is not None:
            report.user_properties = [*report.user_properties, (results.CLAIM_PROPERTY, claim_id),
                                      (results.FAILURE_PROPERTY, f"the pytest-xdist worker running it crashed "
                                       f"({report.longrepr}); no measurement")]

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any) -> None:
        """A pytest-xdist worker that collected no claim while a report was asked for: the run's usage error."""
        self.nothing_checked = getattr(node, "workeroutput", {}).get(NOTHING_CHECKED, self.nothing_checked)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.config.option.setupplan or self.config.option.setuponly:
            return  # pytest showed the set-up and ran no test: nothing was measured
        if self.nothing_checked:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            return
        collected = self.config.stash.get(results_key, None)
        targets = {name: _path(self.config, f"claims_{name}") for name in OUTPUTS}
        if collected is None or not collected.outcomes or not any(targets.values()):
            return  # a run that measured no claim leaves the files of the last one as they are
        from claimbench import environment, items, report, results

        for claim_id, reason in self.config.stash.get(items.STALE, {}).items():  # never vouched for by a kept record
            collected.outcomes.setdefault(claim_id, results.Outcome(failure=reason))

        unusable = [problem for name, path in targets.items()
                    if path and (problem := _unwritable(path, folder=name in FOLDERS))]
        if unusable:  # checked before the tests ran; changed since
            self._write_failed(session, f"no file was written: {'; '.join(unusable)}")
            return
        stopped = bool(session.shouldfail or session.shouldstop)  # -x, --maxfail, --sw: the rest was never reached
        interrupted = session.exitstatus == pytest.ExitCode.INTERRUPTED or stopped
        reports, where = self.config.stash[reports_key], environment.describe(self.config.stash[ledger_path_key])
        try:
            self.shown = report.final_records(collected.records(), reports, where, json=targets["json"],
                                              unmeasured=results.INTERRUPTED if interrupted else results.NOT_SELECTED)
            self.written = report.write_records(self.shown, reports, where, {**targets, "markdown": targets["report"]})
        except OSError as error:
            where = error.filename2 or error.filename
            self._write_failed(session, f"could not write {where}: {error.strerror}" if where and error.strerror
                               else f"could not write the files: {error}")

    def _write_failed(self, session: pytest.Session, problem: str) -> None:
        """Files the run could not write (a full disk, a path made a folder while the tests ran): one line after the
        summary, not a traceback in its place. The run's own failure status stands; a run that otherwise passed
        exits with ``INTERNAL_ERROR`` (3), pytest's status for a plugin that fails outside any test, since neither
        the tests nor the command line are at fault, and a CI job must not pass without its report."""
        self.unwritten = f"claimbench: {problem}"
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.nothing_checked:
            terminalreporter.write_line(f"ERROR: {self.nothing_checked}", red=True)
            return
        collected = self.config.stash.get(results_key, None)
        if collected is None or self.config.option.collectonly:  # pytest listed the claims and ran none
            return
        if not collected.outcomes:
            if any(_path(self.config, f"claims_{name}") for name in OUTPUTS):
                terminalreporter.write_line("claimbench: no claim ran, so no file was written")
            return
        from claimbench import results, verdict

        records = collected.records()
        tally = results.counts(records)
        terminalreporter.write_sep("-", "claimbench verdicts")
        terminalreporter.write_line(f"{results.headline(records)} ("
                                    + ", ".join(f"{tally[v]} {v}" for v in verdict.VERDICTS if tally[v]) + ")")
        kept = sum(bool(record.get("carried")) for record in self.shown)
        if kept and self.written:
            terminalreporter.write_line(f"the files keep {kept} record{'s' * (kept != 1)} of earlier runs beside "
                                        f"this run's: {results.headline(self.shown)} in all")
        for path in self.written:
            terminalreporter.write_line(f"wrote {path}")
        if self.unwritten:
            terminalreporter.write_line(f"ERROR: {self.unwritten}", red=True)


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict[str, Any]) -> None:
    """Add torch, the training device and its CUDA driver to pytest-benchmark's machine info."""
    if ledger_path_key not in config.stash:
        return
    from claimbench.runs.settings import machine_info as describe

    machine_info.update(describe(_setting(config, "claims_train_device") or "cuda"))
