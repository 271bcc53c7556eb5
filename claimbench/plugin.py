"""The claimbench pytest plugin: a configured ledger's claims become tests, their verdicts reports.

Inert until configured: installed, it adds its ``--claims-*`` options and ini values and nothing else
(no torch, no ledger, no markers), but for a line leading pytest's "not found" for a ledger file named then. A
ledger given by ``--claims-dir`` or the ini ``claims_dir`` turns it on; its claims are read (and torch, pydantic and
the author's models imported) only in a session that collects them (``_load``): tests named outside the ledger run
as they would without claimbench. Hooks and fixtures only; the work is done by ``options``, ``ledger``,
``families``, ``verdict``, ``results`` and ``report``.
"""

from __future__ import annotations

import contextlib
import difflib
import fnmatch
import os
import sys
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from claimbench import atomic, dates, errors, options, vocab

if TYPE_CHECKING:
    from claimbench import verdict
    from claimbench.results import Results
    from claimbench.ledger import Claim, Report
    from claimbench.runs.settings import Settings

claims_key = pytest.StashKey["list[Claim]"]()
reports_key = pytest.StashKey["list[Report]"]()
results_key: pytest.StashKey[Results] = pytest.StashKey()
rejected_key = pytest.StashKey["dict[Path, list[str]]"]()
"""The problems of each ledger file the loader rejected: a collection error of that file, not of the whole session;
its other files are collected as they would be."""
rejected_shown_key = pytest.StashKey["set[Path]"]()
"""The rejected ledger files a collection error of this process showed: the file's own, once collected (not merely
made, as a folder's other files are for one named alone), or that of a test marked ``claims``, which the rejection
left without claims (it names the first rejected file)."""
files_key = pytest.StashKey["list[Path]"]()
"""The ledger's files, checked when the session's collection began (not ``--fixtures``' own collection)."""
threads_key = pytest.StashKey[int]()
"""The torch thread count a pytest-xdist worker had before its claim tests shared out the cores (``_share_cores``),
kept while the shared count is in force, for the user's own tests (``_unshare_cores``)."""
loaded_key = pytest.StashKey[bool]()
"""Whether this process has loaded the ledger (``_load``): a session that collects no claim never does, and so never
imports torch, pydantic or the author's models."""

MARKERS = {
    "claims(*kinds)": "parametrize the test's `claim` argument over the ledger's claims of these kinds",
    "params": "parameter-count claims (structure only, meta device)",
    "macs": "multiply-accumulate claims (structure only, meta device)",
    "layers": "per-layer claims: params, MACs, output shapes (structure only)",
    "size": "model-size claims (torchinfo estimates, checkpoint bytes)",
    "train": "accuracy / loss / epoch claims after training with the author's recipe",
    "timing": "time-per-epoch claims (the engine's own timer; pytest-benchmark records them where installed)",
}
UNMEASURED = "claimbench.unmeasured"
"""The report property of a test another plugin skips without running it (``BenchmarkSkips``)."""
NOTHING_CHECKED = "claimbench_nothing_checked"
"""The key of a pytest-xdist worker's output that says it collected no claim while a report was asked for."""
PATHS_GIVEN = "claimbench_paths_given"
"""The key of a pytest-xdist worker's input that says whether the command line named what to test."""
CRASHED = "???"
"""The phase of the one report pytest-xdist gives a test whose worker died under it (``handle_crashitem``): its
last, since no teardown follows."""
ClaimChecker = Callable[["verdict.Measurement"], "verdict.Judgement"]
MEASURING = ("claim_measurement", "check_claim")
"""The fixtures by which a test of the user's own measures its claim, and so stands in for the ledger's item: a test
that only reads ``claim`` measures nothing, and leaves the ledger's item collected and the claim's record as it is."""


# ----------------------------------------------------------------------------- options and activation


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add(parser)


def pytest_configure(config: pytest.Config) -> None:
    if config.option.help or config.option.version:  # help is given whatever the options say
        return
    ledger_path = options.path_setting(config, "claims_dir")
    if ledger_path is None:
        unconfigured = options.unconfigured(config)
        if unconfigured:
            raise pytest.UsageError(unconfigured)
        return
    taken = None if hasattr(config, "workerinput") else options.taken_for_a_path(config)
    if taken:
        raise pytest.UsageError(taken)
    problems = options.option_problems(config, writes_report=_writes_report(config, ledger_path))
    if not ledger_path.exists():
        problems.insert(0, f"{options.named(config, 'dir')}: {ledger_path}: no such file or folder")
    if problems:
        raise pytest.UsageError("; ".join(problems))
    config.stash[options.ledger_path_key] = ledger_path
    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    config.pluginmanager.register(ClaimFixtures(), "claimbench-fixtures")
    config.pluginmanager.register(BenchmarkSkips(config), "claimbench-benchmark-skips")
    config.pluginmanager.register(OwnTests(), "claimbench-own-tests")
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(ClaimsSession(config), "claimbench-session")


def _share_cores(config: pytest.Config) -> None:
    """pytest-xdist workers split the CPU's cores between their torch threads while they measure claims: each
    taking them all oversubscribes the CPU, and OpenMP threads preempted at a barrier made training 7x slower on 2
    cores. The count before is kept for the user's own tests (``_unshare_cores``); a thread count the user set
    (``OMP_NUM_THREADS``) stands."""
    worker = getattr(config, "workerinput", None)
    if worker is None or threads_key in config.stash or os.environ.get("OMP_NUM_THREADS"):
        return
    import torch  # a claim's measurement imports it anyway

    config.stash[threads_key] = torch.get_num_threads()
    torch.set_num_threads(max(1, _usable_cpus() // int(worker["workercount"])))


def _unshare_cores(config: pytest.Config) -> None:
    """A test of the user's own runs on the thread count it would without claimbench: the one before the claim tests
    shared out the cores, restored."""
    if threads_key in config.stash:
        sys.modules["torch"].set_num_threads(config.stash[threads_key])
        del config.stash[threads_key]


def _usable_cpus() -> int:
    """The CPUs this process may run on (``taskset`` and cgroups' cpusets heeded); on an OS that keeps no affinity
    (macOS), every CPU."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A worker's test that measures a claim (a ledger's item, or a test of the user's that ``MEASURING`` tags) runs
    on its share of the cores; any other test on the thread count it would without claimbench."""
    if _measures_a_claim(item):
        _share_cores(item.config)
    else:
        _unshare_cores(item.config)


def _measures_a_claim(item: pytest.Item) -> bool:
    """Whether ``item`` measures one of the ledger's claims: a claim collected, and the test tagged with it."""
    if claims_key not in item.config.stash:
        return False
    from claimbench import results

    return any(name == results.CLAIM_PROPERTY for name, _ in item.user_properties)


def pytest_unconfigure(config: pytest.Config) -> None:
    for name in ("claimbench-session", "claimbench-fixtures", "claimbench-benchmark-skips", "claimbench-own-tests"):
        plugin = config.pluginmanager.get_plugin(name)
        if plugin is not None:
            config.pluginmanager.unregister(plugin)


def pytest_report_header(config: pytest.Config) -> str | None:
    if options.ledger_path_key not in config.stash:
        return None
    return f"claimbench: ledger {config.stash[options.ledger_path_key]}"


# ----------------------------------------------------------------------------- collection


def _unimportable(config: pytest.Config, loaded: dict[Path, list[Report]]) -> dict[Path, list[str]]:
    """Import the modules each ledger file names, from the project's directory, so their models register: the
    problems of each file with a module that does not import, an error of collecting that file alone, as a test
    module's failing import is."""
    from claimbench import items

    found = {file: items.import_problems(reports, options.project(config), f"; {items.UNFOUND}",
                                         options.pythonpath(config), [file])
             for file, reports in loaded.items()}
    return {file: problems for file, problems in found.items() if problems}


@contextlib.contextmanager
def _project_importable(config: pytest.Config) -> Iterator[None]:
    """The ledger's modules import from the project's folder (``items.import_problems``), which stays on ``sys.path``
    under pytest's prepend and append import modes, as the folders pytest puts there itself do; under
    ``--import-mode=importlib``, which puts none there, it is taken off once they have imported, so that it hides
    no import of a test's that only works from there."""
    project = str(options.project(config))
    added = project not in sys.path
    try:
        yield
    finally:
        if added and project in sys.path and config.getoption("importmode") == "importlib":
            sys.path.remove(project)


def _source_folders(config: pytest.Config) -> tuple[Path, list[Path]]:
    """The ledger's folder, and the folders a report's ``source`` is looked for in, first found first: the ledger's,
    the one above it (where `claimbench init` leaves the README it drafts from), the project's."""
    ledger_path = config.stash[options.ledger_path_key]
    ledger_folder = ledger_path if ledger_path.is_dir() else ledger_path.parent
    return ledger_folder, list(dict.fromkeys([ledger_folder, ledger_folder.parent, options.project(config)]))


def _refuse_overwriting_sources(config: pytest.Config, reports: list[Report]) -> None:
    """A verdict report written where a ledger's report is read from would replace the author's own report, and
    leave every claim of it out of date for the next run: a usage error before anything is written."""
    from claimbench import drift

    target = options.path_setting(config, "claims_report")
    if target is None:
        return
    ledger_folder, folders = _source_folders(config)
    source = drift.read_from(target, reports, folders)
    if source is not None:
        raise pytest.UsageError(f"{options.named(config, 'report')}: {target} is the [report] source of "
                                f"{ledger_folder / f'{source.slug}.toml'}: the verdict report would overwrite it; "
                                "name another file (claimbench init names CLAIMS.md)")


def _stale_claims(config: pytest.Config, reports: list[Report]) -> dict[str, str]:
    """The claims whose report's markdown file (in the ledger's folder, in the folder above it, where `claimbench init`
    leaves the README it drafts from, or beside the ini, first found) no longer prints them as copied: the ledger's
    own folders come first, so that a reviewer's README is never read for the author's. A markdown file found in
    none of them is a warning: nothing then compares its claims with it."""
    from claimbench import drift

    ledger_folder, folders = _source_folders(config)
    reasons: dict[str, str] = {}
    for report in reports:
        path = drift.source_file(report, folders)
        if path is not None:
            reasons |= _drift(report, path)
        elif drift.names_markdown(report) and not hasattr(config, "workerinput"):  # said once, by the controller
            file = ledger_folder / f"{report.slug}.toml"
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
            line = next((n for n, text in enumerate(lines, 1) if text.lstrip().startswith("source")), 1)
            try:
                warnings.warn_explicit(
                    f"[report] source {report.source!r} is in none of {', '.join(map(str, folders))}: its claims "
                    "are not compared with what it prints now", errors.ClaimbenchWarning, str(file), line)
            except errors.ClaimbenchWarning as error:  # -W error: the user's own filter makes it an error
                raise pytest.UsageError(f"{file}:{line}: {error}") from None
    return reasons


def _drift(report: Report, path: Path) -> dict[str, str]:
    """``drift.stale``'s reasons for the report's claims, its markdown file read at ``path``; one that is no text
    (``report_text.NotText``) makes each of its claims an error that says so, never one "out of date"."""
    from claimbench import drift, report_text

    try:
        return drift.stale(report, report_text.read(path), report.source or "")
    except report_text.NotText as error:
        return dict.fromkeys((claim.id for claim in report.claims), str(error))


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """Check the ledger's files (no file to collect the error at: no ledger, or a file in it that pytest would not
    collect), then load it, unless the command line names only paths that can collect none of its files."""
    config = session.config
    if options.ledger_path_key not in config.stash:
        return
    from claimbench.ledger_files import LedgerError, files

    try:
        config.stash[files_key] = files(config.stash[options.ledger_path_key])
        if not config.stash[files_key]:
            raise pytest.UsageError(f"claims ledger {config.stash[options.ledger_path_key]}: no *.toml file in this "
                                    "folder: write one with `claimbench init` or `claimbench draft REPORT.md -o FILE`")
    except LedgerError as error:
        raise pytest.UsageError(f"claims ledger rejected: {error}") from None
    if not _paths_given(config) or config.option.pyargs or _names_the_ledger(config,
                                                                             config.stash[options.ledger_path_key]):
        _load(config)


@pytest.hookimpl(wrapper=True, specname="pytest_collection")
def pytest_collection_hint(session: pytest.Session) -> Generator[None, object, object]:
    """pytest's usage error ("not found") for a ledger file named with no ledger configured, led by a line saying
    how to configure one: only where pytest stops anyway, so the unconfigured plugin changes no other run."""
    try:
        return (yield)
    except pytest.UsageError as error:
        hints = [] if options.ledger_path_key in session.config.stash else options.unconfigured_ledgers(session.config)
        if not hints:
            raise
        raise pytest.UsageError(*hints, *error.args) from None


def _load(config: pytest.Config) -> None:
    """Read the ledger, import its modules and resolve its models, once per process, when the session first needs
    its claims: a ledger file collected, a test marked ``claims``, a claim's report (a pytest-xdist controller's)."""
    if loaded_key in config.stash:
        return
    config.stash[loaded_key] = True
    from claimbench import items, ledger, results

    loaded, rejected = {}, {}
    for file in config.stash[files_key]:
        try:
            loaded[file.resolve()] = ledger.load_reports(file)
        except ledger.LedgerError as error:  # an error of collecting this file only, as a module's syntax error
            rejected[file.resolve()] = error.problems
    _refuse_overwriting_sources(config, [report for reports in loaded.values() for report in reports])
    with _project_importable(config):
        for file, problems in _unimportable(config, loaded).items():
            rejected[file] = problems
            del loaded[file]
        unimported, unresolved = items.check_models([report for reports in loaded.values() for report in reports],
                                                    (options.project(config), *options.pythonpath(config)),
                                                    config.stash[files_key])
    for file, reports in list(loaded.items()):  # an unknown model, a missing input size: an error of its file alone
        if problems := [problem for report in reports for problem in unresolved.get(report.slug, [])]:
            rejected[file] = problems
            del loaded[file]
    if rejected:
        config.stash[rejected_key] = rejected
    reports = [report for reports in loaded.values() for report in reports]
    if not reports:
        return
    config.stash[items.UNIMPORTED] = unimported
    config.stash[items.STALE] = _stale_claims(config, reports)
    config.stash[reports_key] = reports
    config.stash[claims_key] = sorted((c for r in reports for c in r.claims), key=lambda c: c.id)
    if not hasattr(config, "workerinput"):
        claims = {c.id: c for c in config.stash[claims_key]}
        try:
            date = dates.today()
        except ValueError as error:
            raise pytest.UsageError(str(error)) from None
        config.stash[results_key] = results.Results(claims, date=date)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A ledger file visited by collection yields one test item per claim, as a doctest file would; a file of a
    ledger the loader rejected is a collection error, as a test module with a syntax error would be."""
    config = parent.config
    if file_path.suffix != ".toml" or options.ledger_path_key not in config.stash:
        return None
    ledger_path = config.stash[options.ledger_path_key].resolve()
    if file_path.resolve() != ledger_path and file_path.resolve().parent != ledger_path:
        return None
    if files_key not in config.stash:  # --fixtures' own collection
        return None
    _load(config)
    from claimbench import items

    nodeid = _named_alone(file_path, parent.session)
    if file_path.resolve() in config.stash.get(rejected_key, {}):
        return items.RejectedLedgerFile.from_parent(parent, path=file_path, nodeid=nodeid,
                                                    problems=config.stash[rejected_key][file_path.resolve()],
                                                    shown=config.stash.setdefault(rejected_shown_key, set()))
    if claims_key not in config.stash:  # every file of the ledger was rejected
        return None
    return items.LedgerFile.from_parent(parent, path=file_path, nodeid=nodeid, claims=config.stash[claims_key],
                                        settings=lambda: options.settings(config))


def _named_alone(file_path: Path, session: pytest.Session) -> str | None:
    """A ledger file's node id where pytest would give it none: its name, for a file named itself on the command line
    outside the rootdir (``claimbench check --claims-dir=../theirs/claims.toml``), which pytest names relative to the
    path given, "" (its error "of the test session", its claims' ids "::<id>"), as a file of a folder given outside
    is; None elsewhere, pytest's own."""
    if file_path.is_relative_to(session.config.rootpath) or not session.isinitpath(file_path):
        return None
    return file_path.name


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("claims")
    if marker is not None and "claim" in metafunc.fixturenames and files_key in metafunc.config.stash:
        _load(metafunc.config)
    if marker is not None and "claim" in metafunc.fixturenames and rejected_key in metafunc.config.stash:
        file, problems = next(iter(metafunc.config.stash[rejected_key].items()))
        metafunc.config.stash.setdefault(rejected_shown_key, set()).add(file)
        raise pytest.Collector.CollectError(f"@pytest.mark.claims: its claims ledger was rejected: {problems[0]}")
    if marker is None or "claim" not in metafunc.fixturenames or claims_key not in metafunc.config.stash:
        return
    from claimbench import items

    unknown = next((kind for kind in marker.args if not isinstance(kind, str) or kind not in vocab.KINDS), None)
    if unknown is not None or not marker.args:
        why = _not_a_kind(unknown) if marker.args else "it names no kind"
        raise pytest.Collector.CollectError(
            f"@pytest.mark.claims({', '.join(map(repr, marker.args))}): {why}; the kinds: {', '.join(vocab.KINDS)}")
    measures = any(name in metafunc.fixturenames for name in MEASURING)
    claims = [c for c in metafunc.config.stash[claims_key] if c.kind in marker.args]
    metafunc.parametrize("claim", [pytest.param(c, id=c.id, marks=items.marks(c, measured=measures))
                                   for c in claims])


def _not_a_kind(given: object) -> str:
    """Why a ``claims`` marker's argument selects nothing: no kind, with the closest one (a tier marker's name,
    "layers", is the kind "layer"), or a list where the kinds are separate arguments."""
    if not isinstance(given, str):
        return f"{given!r} is no claim kind (give each kind as an argument of its own)"
    close = difflib.get_close_matches(given, vocab.KINDS, n=1, cutoff=0.6)
    return f"{given!r} is no claim kind" + (f" (did you mean {close[0]!r}?)" if close else "")


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


def _writes_report(config: pytest.Config, ledger: Path) -> bool:
    """Whether the session may measure the ledger's claims, and so write the verdict report: not a collection only,
    nor a run whose named paths (``_paths_given``) neither hold the ledger nor lie in it."""
    if config.option.collectonly:
        return False
    return not _paths_given(config) or _names_the_ledger(config, ledger)


def _names_the_ledger(config: pytest.Config, ledger: Path) -> bool:
    """Whether a path the command line names holds the ledger or lies in it."""
    named = [(config.invocation_params.dir / arg.partition("::")[0]).resolve() for arg in config.args]
    ledger = ledger.resolve()
    return any(ledger.is_relative_to(path) or path.is_relative_to(ledger) for path in named)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tag each test that measures a claim (``MEASURING``) with its claim; a run that would check nothing while
    asked for a report is a usage error (``--lf``, which collects only the files that failed, aside), and so is one
    that collects none of the ledger's files while one is rejected, report or none, or one whose configured paths
    collect some of its files but not a rejected one, or it would pass in silence: led by the problems of the
    rejected files, as no collection error shows them."""
    if claims_key not in config.stash and rejected_key not in config.stash:  # no ledger, or --fixtures' collection
        return
    from claimbench import items as claim_items
    from claimbench import results
    from claimbench.ledger import Claim

    for item in items:
        claim = getattr(item, "callspec", None) and item.callspec.params.get("claim")
        measures = any(name in getattr(item, "fixturenames", ()) for name in MEASURING)
        if isinstance(claim, Claim) and measures:  # an empty parameter set holds a placeholder instead
            item.user_properties.append((results.CLAIM_PROPERTY, claim.id))
    wanted = any(options.path_setting(config, f"claims_{name}") for name in options.OUTPUTS)
    collected = bool(config.stash.get(rejected_shown_key, None)) or any(
        isinstance(item, claim_items.ClaimItem) or dict(item.user_properties).get(results.CLAIM_PROPERTY)
        for item in items)
    if _paths_given(config) or config.option.collectonly or config.getoption("lf", False) or _ignored(config):
        return
    if not collected and (rejected_key in config.stash or config.stash.get(claims_key, None) and (
            wanted or not items)):
        nothing = _nothing_collected(config)
    elif unshown := _unshown_rejected(config):
        nothing = _passed_over(config, unshown)
    else:
        return
    if not hasattr(config, "workeroutput"):
        raise pytest.UsageError(nothing)
    config.workeroutput[NOTHING_CHECKED] = nothing  # a worker's usage error would be xdist's internal error
    config.hook.pytest_deselected(items=items[:])  # and it runs nothing, as the controller would
    items[:] = []


def _nothing_collected(config: pytest.Config) -> str:
    """Why a run that collected none of the ledger's files would check nothing: the problems of its rejected files
    first, each on a line of its own, then where pytest did not look."""
    ledger, count = config.stash[options.ledger_path_key], len(config.stash.get(claims_key, []))
    what = f"{count} claim{'s' * (count != 1)}" if count else "files"
    return _led_by_problems(config, list(config.stash.get(rejected_key, {})),
                            f"claims ledger {ledger}: none of its {what} was collected, so nothing would be checked: "
                            f"{_where_to_look(config)}")


def _passed_over(config: pytest.Config, unshown: list[Path]) -> str:
    """Why a run that collected some of the ledger's files, but not the rejected ones ``unshown``, would pass over
    them in silence: their problems first, each on a line of its own, then where pytest did not look."""
    ledger, many = config.stash[options.ledger_path_key], len(unshown) != 1
    names = ", ".join(file.name for file in unshown)
    return _led_by_problems(config, unshown, f"claims ledger {ledger}: its rejected file{'s' * many} {names} "
                            f"{'were' if many else 'was'} not collected, so the run would pass over "
                            f"{'them' if many else 'it'} in silence: {_where_to_look(config)}")


def _where_to_look(config: pytest.Config) -> str:
    """How a plain ``pytest`` would collect the ledger's files: where pytest did not look, and what to do."""
    hidden = _norecursed(config)
    where = (f"pytest skips its folder {hidden[0]}, whose name matches the norecursedirs pattern {hidden[1]!r}: "
             "rename the folder" if hidden else "add its directory to the testpaths ini, run pytest where it "
             "collects the ledger's files")
    return f"{where}, or run `claimbench check`"


def _led_by_problems(config: pytest.Config, files: list[Path], line: str) -> str:
    """``line``, led by the problems of the rejected ledger files ``files``, each on a line of its own."""
    from claimbench.ledger_files import LedgerError

    rejected = config.stash.get(rejected_key, {})
    problems = [problem for file in files for problem in rejected[file]]
    return f"claims ledger rejected: {LedgerError(problems)}\n{line}" if problems else line


def _unshown_rejected(config: pytest.Config) -> list[Path]:
    """The rejected ledger files that no collection error of this process showed, and that the user's own choice
    (``--ignore``, ``--ignore-glob``, ``collect_ignore``) did not leave out."""
    shown = config.stash.get(rejected_shown_key, set())
    return [file for file in config.stash.get(rejected_key, {}) if file not in shown
            and not config.hook.pytest_ignore_collect(collection_path=file, config=config)]


def _ignored(config: pytest.Config) -> bool:
    """Whether the user's own choice leaves the ledger out: ``--ignore``, ``--ignore-glob``, ``collect_ignore``,
    as pytest's ``pytest_ignore_collect`` decides for the ledger's folder or for each of its files; not a folder
    that pytest's ``norecursedirs`` skips by its name (".claims", "build"), which nobody chose to leave out."""
    ledger = config.stash[options.ledger_path_key].resolve()
    files = [file.resolve() for file in config.stash[files_key]]  # collected: none is refused
    return (bool(config.hook.pytest_ignore_collect(collection_path=ledger, config=config)) or all(
        config.hook.pytest_ignore_collect(collection_path=file, config=config) for file in files)) and not (
        _norecursed(config))


def _norecursed(config: pytest.Config) -> tuple[str, str] | None:
    """(folder, pattern) of the first folder from the rootdir to the ledger whose name a ``norecursedirs``
    pattern matches, else None."""
    ledger = config.stash[options.ledger_path_key].resolve()
    folder = ledger if ledger.is_dir() else ledger.parent
    parts = folder.relative_to(config.rootpath).parts if folder.is_relative_to(config.rootpath) else (folder.name,)
    patterns = config.getini("norecursedirs")
    return next(((part, pattern) for part in parts for pattern in patterns if fnmatch.fnmatch(part, pattern)), None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """A retrain notes the training claims it selected (its record owes them); with ``--claims-cluster``, the runs
    the selected training claims need train there before any test runs."""
    config = session.config
    if claims_key in config.stash and not hasattr(config, "workerinput"):
        options.select_for_retrain(config, _training_claims([item.nodeid for item in session.items],
                                                            config.stash[claims_key]))
    if config.option.collectonly or claims_key not in config.stash or not options.setting(config, "claims_cluster"):
        return
    from claimbench import items
    from claimbench.runs import cluster, plan

    pythonpath = [*options.pythonpath(config), str(options.project(config))]
    claims = plan.selected(session.items, config.stash.get(items.STALE, {}))
    try:
        cluster.train_claims(claims, options.settings(config),
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
        return items.measure_in_setup(request.node, claim, lambda: families.measurement(
            claim, lambda: request.getfixturevalue("training_settings"), timer))

    @pytest.fixture
    def check_claim(self, request: pytest.FixtureRequest, claim: Claim) -> ClaimChecker:
        """Record a measurement of this test's claim for the report, then judge it: raise on a mismatch."""
        from claimbench import items

        return lambda measurement: items.record_and_judge(request.node, claim, measurement,
                                                          request.config.stash[claims_key])

    @pytest.fixture(scope="session")
    @classmethod
    def training_settings(cls, request: pytest.FixtureRequest) -> Settings:
        """The training options of this session; under pytest-xdist each worker takes its own GPU."""
        return options.settings(request.config)


def _one_line(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """A failure of ours in one line: the message of a ``MeasurementError``, else its type and first line."""
    error = excinfo.value
    return errors.first_line(error) if isinstance(error, errors.MeasurementError) else errors.described(error)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A claim's mismatch is its one-line message; any other exception is a failure of ours, kept apart, and a
    ``MeasurementError`` (a known failure with its reason: data, divergence, estimate) is one line too. A crash of
    the author's model in a test of the user's own starts at the author's code, as a ledger item's does
    (``items.from_the_authors``), unless ``--fulltrace``. A claim skipped while it ran is reported at the claim's
    test, not at this plugin's line that skipped it."""
    if claims_key not in item.config.stash or call.excinfo is None:  # no claim collected: no test measures one
        return (yield)
    from claimbench import items as claim_items
    from claimbench import results, verdict

    if not any(name == results.CLAIM_PROPERTY for name, _ in item.user_properties):
        return (yield)
    if not isinstance(item, claim_items.ClaimItem) and not item.config.option.fulltrace:
        claim_items.from_the_authors(call.excinfo)  # before pytest formats it: a ledger item formats its own
    report = yield
    if report.skipped and call.excinfo.errisinstance(pytest.skip.Exception) and isinstance(report.longrepr, tuple):
        path, line, _ = item.reportinfo()
        report.longrepr = (os.fspath(path), (line or 0) + 1, report.longrepr[2])
    if not report.failed:
        return report
    if isinstance(call.excinfo.value, verdict.ClaimMismatch):
        report.longrepr = claim_items.one_line(item, str(call.excinfo.value), call.when)
        return report
    if call.when == "setup" and isinstance(item, claim_items.ClaimItem):  # pytest formats set-up errors itself
        report.longrepr = item.repr_failure(call.excinfo)
    reason = _one_line(call.excinfo)
    report.user_properties.append((results.FAILURE_PROPERTY, reason))
    if isinstance(call.excinfo.value, errors.MeasurementError) and not item.config.option.fulltrace:
        report.longrepr = claim_items.one_line(item, f"error: {reason}", call.when)
    return report


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


def _training_claims(nodeids: Iterable[str], claims: Sequence[Claim]) -> list[str]:
    """The training claims (whose runs a retrain replaces) that the tests of these ids check."""
    kinds = {claim.id: claim.kind for claim in claims}
    return sorted({claim_id for nodeid in nodeids
                   if (claim_id := _claim_of(nodeid, claims)) and kinds[claim_id] in vocab.TRAINING_KINDS})


class OwnTests:
    """A claim that a test of the user's own measures (``@pytest.mark.claims`` and a fixture of ``MEASURING``) is
    measured there only."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """After pytest's own selection (``-k``, ``-m``, ``--deselect``), deselect each ledger item whose claim a
        selected test of the user's measures: a claim whose test ``-k`` left out is still measured by its item."""
        if claims_key not in config.stash:  # no claim collected
            return
        from claimbench import items as claim_items
        from claimbench import results

        tested = {value for item in items if not isinstance(item, claim_items.ClaimItem)
                  for name, value in item.user_properties if name == results.CLAIM_PROPERTY}
        twice = [item for item in items if isinstance(item, claim_items.ClaimItem) and item.claim.id in tested]
        if twice:
            config.hook.pytest_deselected(items=twice)
            items[:] = [item for item in items if item not in twice]


class BenchmarkSkips:
    """Under ``--benchmark-only``, pytest-benchmark skips every test that takes no ``benchmark``, and under
    ``--benchmark-skip`` every one that does: such a skip measures nothing, and must not replace a claim's last
    record with a 'not run'. Its claims' items say so in their report (``UNMEASURED``), which pytest-xdist's
    workers hand to the controller; a test of no claim is left as it is (and its JUnit XML without the property)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        only, skip = (self.config.getoption(f"benchmark_{name}", False) for name in ("only", "skip"))
        for item in items if only or skip else ():
            fixtures = getattr(item, "fixturenames", ())
            if (hasattr(item, "claim") or "claim" in fixtures) and ("benchmark" in fixtures) == (skip and not only):
                item.user_properties.append((UNMEASURED, "skipped by pytest-benchmark"))


def _ran_to_its_end(session: pytest.Session, crashed: bool) -> bool:
    """Whether the session ran every test it selected: not interrupted, stopped early (``-x``, ``--maxfail``,
    ``--sw``), ``crashed`` (a pytest-xdist worker died), failed outside the tests, run to collect only, or left
    with no test to run."""
    ended = (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
    return (session.exitstatus in ended and not (session.shouldfail or session.shouldstop or crashed)
            and not session.config.option.collectonly)


class ClaimsSession:
    """The controller's side of a run: gathers outcomes, writes the files once, prints the summary."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.written: list[Path] = []
        self.shown: list[dict[str, Any]] = []
        """What the files show: this run's records and those kept from the last JSON."""
        self.nothing_checked: str | None = None
        self.crashed = False
        """Whether a pytest-xdist worker died, under a test or not (``pytest_testnodedown``, which pytest-xdist calls
        before ``pytest_handlecrashitem``)."""
        self.unwritten: str | None = None
        self.interrupted: str | None = None
        """The line saying what a Ctrl-C while the files were written, or waited for, left of them."""
        self.retrain_lines: list[str] = []
        """The lines of a retrain that ran to its end: the claims it selected and did not retrain, whose earlier runs
        stay, and those the retrain it carries on still owes, which it did not select."""

    def pytest_sessionstart(self) -> None:
        readme = options.path_setting(self.config, "claims_readme")
        if readme:
            from claimbench import report

            try:
                report.check_readme(readme)
            except ValueError as error:
                raise pytest.UsageError(f"{options.named(self.config, 'readme')}: {error}") from None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Gather each phase of a claim's test; after its last (its teardown, or the report of its crashed pytest-xdist
        worker), its verdict joins the report's properties, before JUnit XML writes them (``results.VERDICT_PROPERTY``;
        a crashed test's, which JUnit XML would not write, ``items.junit_properties`` writes)."""
        if report.user_properties and loaded_key not in self.config.stash:  # a claim of a worker's, maybe
            from claimbench import results

            if any(name == results.CLAIM_PROPERTY for name, _ in report.user_properties):
                _load(self.config)
        collected = self.config.stash.get(results_key, None)
        if collected is not None and UNMEASURED not in dict(report.user_properties):
            from claimbench import results

            skipped = None
            if report.skipped and not hasattr(report, "wasxfail"):
                # A skip's longrepr is (path, line, "Skipped: reason"); keep the reason only.
                longrepr = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
                skipped = str(longrepr).removeprefix("Skipped: ")
            test = (report.nodeid, getattr(report, "node", None))  # a pytest-xdist worker's, as JUnit XML tells them
            collected.add(report.user_properties, skipped=skipped, duration=report.duration, test=test)
            if report.when in ("teardown", CRASHED) and (judged := collected.verdict_of(test)):
                report.user_properties.append((results.VERDICT_PROPERTY, judged))
                if report.when == CRASHED:
                    from claimbench import items as claim_items

                    claim_items.junit_properties(self.config, report)

    @pytest.hookimpl(wrapper=True)
    def pytest_report_from_serializable(self, data: dict[str, Any]) -> Any:
        """A claim's one-line failure (``items.one_line``) comes from a pytest-xdist worker as pytest's plain form,
        whose text, which JUnit XML writes, is empty under ``--tb=line``: it is made one line again."""
        report = yield
        failed = isinstance(report, pytest.TestReport) and report.failed and report.user_properties
        if failed:  # none of the user's own tests imports ours
            from claimbench import results

            if any(name == results.CLAIM_PROPERTY for name, _ in report.user_properties):
                from claimbench import items as claim_items

                if isinstance(report.longrepr, claim_items.ReprExceptionInfo):
                    report.longrepr = claim_items.OneLine(report.longrepr.reprtraceback, report.longrepr.reprcrash)
        return report

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[PATHS_GIVEN] = _paths_given(self.config)
        if not self.config.option.collectonly:
            node.workerinput[options.RETRAIN] = options.retrain_begun_by(self.config)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """A retrain's record owes the training claims a pytest-xdist worker collected, before any test runs."""
        options.select_for_retrain(self.config, _training_claims(ids, self.config.stash.get(claims_key, [])))

    @pytest.hookimpl(optionalhook=True)
    def pytest_handlecrashitem(self, crashitem: str, report: pytest.TestReport, sched: Any) -> None:
        """A claim whose pytest-xdist worker died under it is an error of ours, never a verdict kept from before."""
        from claimbench import results

        _load(self.config)
        claim_id = _claim_of(crashitem, self.config.stash.get(claims_key, []))
        if claim_id is not None:
            report.user_properties = [*report.user_properties, (results.CLAIM_PROPERTY, claim_id),
                                      (results.FAILURE_PROPERTY, f"the pytest-xdist worker running it crashed "
                                       f"({report.longrepr}); no measurement")]

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """A pytest-xdist worker that collected no claim while a report was asked for: the run's usage error; one
        that went down with an error (killed) leaves the run unfinished."""
        self.nothing_checked = getattr(node, "workeroutput", {}).get(NOTHING_CHECKED, self.nothing_checked)
        self.crashed |= error is not None

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        retrain = self.config.stash.get(options.retrain_key, None)
        selected = self.config.stash.get(options.selected_key, [])
        if retrain is not None and selected and _ran_to_its_end(session, self.crashed):
            from claimbench import progress
            from claimbench.runs import retrains

            results_dir = options.results_dir(self.config)
            collected = self.config.stash.get(results_key, None)
            outcomes = collected.outcomes if collected is not None else {}
            untrained = [claim for claim in selected if claim not in outcomes or outcomes[claim].measurement is None]
            owes = retrains.end(results_dir, retrain.session, selected, progress.reporter(self.config))
            self.retrain_lines = [*([retrains.untrained_line(untrained)] if untrained else []),
                                  *([retrains.owing_line(results_dir, retrain, owes)] if owes else [])]
        if self.config.option.setupplan or self.config.option.setuponly:
            return  # pytest showed the set-up and ran no test: nothing was measured
        if self.nothing_checked:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            return
        collected = self.config.stash.get(results_key, None)
        targets = {name: options.path_setting(self.config, f"claims_{name}") for name in options.OUTPUTS}
        if collected is None or collected.empty or not any(targets.values()) or rejected_key in self.config.stash:
            return  # a run that measured no claim, or not every file's, leaves the files of the last one as they are
        from claimbench import carry_over, environment, items, progress, report, results

        stale = self.config.stash.get(items.STALE, {})
        unimported = self.config.stash.get(items.UNIMPORTED, {})
        for claim_id, reason in (unimported | stale).items():  # never vouched for by a kept record
            collected.outcomes.setdefault(claim_id, results.Outcome(failure=reason))

        unusable = [problem for name, path in targets.items()
                    if path and (problem := atomic.unwritable(path, folder=name in options.FOLDERS)
                                 or name == "report" and options.replaced_problem(path))]
        if unusable:  # checked before the tests ran; changed since
            self._write_failed(session, f"no file was written: {'; '.join(unusable)}")
            return
        stopped = bool(session.shouldfail or session.shouldstop)  # -x, --maxfail, --sw: the rest was never reached
        interrupted = session.exitstatus == pytest.ExitCode.INTERRUPTED or stopped
        reports = self.config.stash[reports_key]
        where = environment.describe(self.config.stash[options.ledger_path_key], readme=targets["readme"],
                                     written=options.written(self.config))
        try:
            self.shown, self.written = report.merge_and_write(
                collected.records(), reports, where, {**targets, "markdown": targets["report"]}, stale=stale,
                unmeasured=results.INTERRUPTED if interrupted else results.NOT_SELECTED,
                keep_earlier=not self.config.getoption("claims_retrain"), waiting=progress.reporter(self.config))
        except KeyboardInterrupt as interrupt:
            self._interrupted(session, interrupt.written if isinstance(interrupt, atomic.Interrupted) else [])
        except (errors.ClaimbenchWarning, carry_over.Unreadable) as error:  # -W error's warning; a JSON it may not read
            self._write_failed(session, f"no file was written: {error}")
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

    def _interrupted(self, session: pytest.Session, written: list[Path]) -> None:
        """A Ctrl-C while the files were written (``atomic.together`` holds it back until all are renamed into
        place: all are written, or none) or while the run waited for another one's lock on them: one line after the
        summary says which, not a traceback through pytest's hooks; the run's status is pytest's for an
        interruption, 2."""
        session.exitstatus = pytest.ExitCode.INTERRUPTED
        self.interrupted = (f"claimbench: interrupted once the files were written: {', '.join(map(str, written))}"
                            if written else "claimbench: interrupted before any file was written (each is as the "
                                            "last run left it); the runs trained are stored, and a rerun reuses them")

    def _unshown(self, terminalreporter: pytest.TerminalReporter) -> str:
        """The first problem of the rejected ledger files that no collection error showed (the ledger's other files
        named on the command line ran alone), as the end of the line that says no file was written; else ""."""
        from claimbench.ledger_files import LedgerError

        shown = {(self.config.rootpath / report.nodeid.partition("::")[0]).resolve()
                 for report in terminalreporter.stats.get("error", []) if isinstance(report, pytest.CollectReport)}
        problems = [problem for file, problems in self.config.stash[rejected_key].items() if file not in shown
                    for problem in problems]
        return f": {errors.first_line(LedgerError(problems))}" if problems else ""

    def _say_kept(self, terminalreporter: pytest.TerminalReporter) -> None:
        """Where the files written keep records of earlier runs beside this run's, a line with their own tally."""
        from claimbench import results

        kept = sum(bool(record.get("carried")) for record in self.shown)
        if kept and self.written:
            terminalreporter.write_line(f"the files keep {kept} record{'s' * (kept != 1)} of earlier runs beside "
                                        f"this run's: {results.in_all(self.shown)} in all")

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
        for line in self.retrain_lines:
            terminalreporter.write_line(line, yellow=True)
        if self.nothing_checked:
            terminalreporter.write_line(f"ERROR: {self.nothing_checked}", red=True)
            return
        if exitstatus == pytest.ExitCode.USAGE_ERROR:  # its one line says what is wrong: nothing to add to it
            return
        collected = self.config.stash.get(results_key, None)
        option = self.config.option
        if option.collectonly or option.setupplan or option.setuponly:  # no claim was measured
            return
        if collected is None and loaded_key in self.config.stash:  # every file of the ledger was rejected
            return
        wanted = any(options.path_setting(self.config, f"claims_{name}") for name in options.OUTPUTS)
        if collected is None or collected.empty:  # a ledger not loaded: no claim collected
            if wanted:
                terminalreporter.write_line("claimbench: no claim ran, so no file was written")
            return
        if wanted and rejected_key in self.config.stash:
            terminalreporter.write_line("claimbench: a ledger file was rejected, so no file was written"
                                        + self._unshown(terminalreporter))
        from claimbench import carry_over, results

        tally, verbosity = results.in_all(collected.records()), self.config.get_verbosity()
        if verbosity <= -2:  # -qq: the tally alone, and what went wrong
            terminalreporter.write_line(f"claimbench: {tally}")
        else:
            terminalreporter.write_sep("-", "claimbench verdicts")
            terminalreporter.write_line(tally)
            self._say_kept(terminalreporter)
        if self.written and (dropped := carry_over.dropped_summary(self.shown)):
            terminalreporter.write_line(dropped, yellow=True)
        if verbosity == -1 and self.written:  # -q: the files on one line
            terminalreporter.write_line(f"wrote {', '.join(map(str, self.written))}")
        elif verbosity >= 0:
            for path in self.written:
                terminalreporter.write_line(f"wrote {path}")
        if self.interrupted:
            terminalreporter.write_line(self.interrupted, yellow=True)
        if self.unwritten:
            terminalreporter.write_line(f"ERROR: {self.unwritten}", red=True)


@pytest.hookimpl(optionalhook=True)
def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict[str, Any]) -> None:
    """Add torch, the training device and its CUDA driver to pytest-benchmark's machine info, in a session that
    loaded claims or whose tests imported torch (every timing record names torch): one that did neither imports no
    torch for it."""
    if claims_key not in config.stash and "torch" not in sys.modules:
        return
    from claimbench.runs.settings import machine_info as describe

    machine_info.update(describe(options.setting(config, "claims_train_device") or "cuda"))
