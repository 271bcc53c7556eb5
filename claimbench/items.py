"""Claims as pytest items: a ledger file collected like a doctest file, one item per claim, and what
every claim test shares (its marks, recording its measurement, the judge's word on it)."""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest
# pytest's private names, imported here alone, never as the plugin loads; written against pytest 9.2 (constraints.txt)
from _pytest._code.code import ReprExceptionInfo, ReprFileLocation, ReprTracebackNative
from _pytest.fixtures import TopRequest
from _pytest.junitxml import xml_key

from claimbench import errors, registry, results, verdict, vocab
from claimbench.ledger import Claim, LedgerError, Report
from claimbench.ledger_lines import Lines
from claimbench.unknown_model import NOT_IMPORTED, import_problem

if TYPE_CHECKING:
    from claimbench.runs.settings import Settings

__all__ = ["STALE", "UNFOUND", "UNIMPORTED", "ClaimItem", "LedgerFile", "OneLine", "check_models", "from_the_authors",
           "junit_properties", "marks", "measure_in_setup", "one_line", "record_and_judge"]

TIER_OF_KIND = {
    "params": "params",
    "macs": "macs",
    "layer": "layers",
    "size": "size",
    **{kind: "train" for kind in vocab.TRAINING_KINDS},
    "epoch_time": "timing",
}
"""Each kind's tier marker, cheapest first: a ledger's items run in this order (seconds of structure before
minutes of training, so that a Ctrl-C or ``-x`` during training leaves the structural verdicts measured)."""

_NO_MODULES = "[report] modules is empty: list the module that registers it, or write package.module:builder"
"""Where a report imports no module, what to do of a registered name it names that nothing registered."""
UNFOUND = "set the `pythonpath` ini (or -o pythonpath=DIR) to the folder it imports from"
"""What to do, under pytest, about a model's module found nowhere: a reviewer outside the author's clone gives
``-o pythonpath=THEIRS``, as the README's reviewer section says."""

NO_BENCHMARK = SimpleNamespace(enabled=False, extra_info={}, pedantic=lambda target: target())
"""What times epochs without pytest-benchmark (a session without the plugin): nothing, as a disabled ``benchmark``
runs its target once, untimed; the engine's own timer times each epoch."""


def marks(claim: Claim, measured: bool = True) -> list[pytest.MarkDecorator]:
    """The claim's tier marker, plus, for a test that measures it, a skip when nobody can check it or a strict xfail
    for a documented error."""
    tier = [getattr(pytest.mark, TIER_OF_KIND[claim.kind])]
    if not measured:
        return tier
    if claim.status == "unverifiable":
        return [*tier, pytest.mark.skip(reason=f"unverifiable: {claim.why}")]
    if claim.expect == "refuted":
        return [*tier, pytest.mark.xfail(strict=True, raises=verdict.KnownError, reason=claim.why or "")]
    return tier


class OneLine(ReprExceptionInfo):
    """A failure shown as one line (``one_line``), whose text (``str``: JUnit XML's, which CI dashboards show) is
    what the terminal shows of it: the line, or, where the terminal prints only the crash line, that crash line."""

    def __str__(self) -> str:
        return super().__str__() or str(self.reprcrash)


def one_line(item: pytest.Item, line: str, when: str = "call") -> OneLine:
    """A failure shown as one line, in pytest's terms (which a pytest-xdist worker sends as pytest's own, and the
    controller makes one line again): the line, or, for a test's body under ``--tb=line``, its crash line alone (at
    the item's location), as pytest prints a failure in that style; ``-r`` and JUnit XML's message read its message,
    JUnit XML's text the line the terminal shows. An error (set-up, teardown) prints the line itself, under
    ``--tb=line`` after pytest's ``E   ``, as pytest prints a fixture's error in that style (no location)."""
    path, lineno, _ = item.reportinfo()
    in_line_style = item.config.option.tbstyle == "line"
    shown = [] if in_line_style and when == "call" else [f"{'E   ' if in_line_style else ''}{line}\n"]
    return OneLine(reprtraceback=ReprTracebackNative(shown),
                   reprcrash=ReprFileLocation(os.fspath(path), (lineno or 0) + 1, line))


def junit_properties(config: pytest.Config, report: pytest.TestReport) -> None:
    """Give ``report``'s properties to its testcase in ``--junitxml``'s file, which pytest's JUnit XML takes from a
    test's teardown report alone: a test whose pytest-xdist worker crashed under it gets none."""
    xml = config.stash.get(xml_key, None)
    if xml is not None:
        testcase = xml.node_reporter(report)
        for name, value in report.user_properties:
            testcase.add_property(name, str(value))


STALE = pytest.StashKey[dict[str, str]]()
"""Claim id → why the ledger's copy of its cell is no longer what the report's file prints (``claimbench.drift``)."""
UNIMPORTED = pytest.StashKey[dict[str, str]]()
"""Claim id → why the module of its import-path model does not import (``check_models``)."""


def _refuse_unmeasurable(node: pytest.Item) -> None:
    """A claim whose report no longer prints it as the ledger copies it is an error: its number is nobody's; so is
    a claim whose model's module does not import: there is no model to measure."""
    reasons = node.config.stash.get(STALE, {}) | node.config.stash.get(UNIMPORTED, {})
    for name, value in node.user_properties:
        if name == results.CLAIM_PROPERTY and value in reasons:
            raise errors.MeasurementError(reasons[value])


def measure_in_setup(node: pytest.Item, claim: Claim, measure: Callable[[], verdict.Measurement]
                     ) -> verdict.Measurement | None:
    """A claim's measurement, taken in set-up so that a failure to measure is an error as pytest, and JUnit XML,
    count them: a claim that cannot run here is skipped, and a measurement the judge cannot use (counters that
    disagree, one seed outside the band, timed epochs too spread, a number that is not finite), or a ledger out of
    date with its report, is an error of the set-up. None under ``--setup-only`` and ``--setup-plan``, which show
    the set-up and run no test."""
    if getattr(node.config.option, "setuponly", False) or getattr(node.config.option, "setupplan", False):
        return None
    _refuse_unmeasurable(node)
    try:
        measurement = measure()
    except errors.NotRunnable as reason:
        pytest.skip(str(reason))
    try:
        verdict.usable(claim, measurement)
    except errors.MeasurementError:
        node.user_properties.append(results.measurement_property(measurement))  # kept beside the error
        raise
    return measurement


def record_and_judge(node: pytest.Item, claim: Claim, measurement: verdict.Measurement,
                     ledger: Sequence[Claim]) -> verdict.Judgement:
    """Record the measurement for the report, then judge it among the ledger's claims (``verdict.judge``): raise on a
    mismatch or an error of ours."""
    _refuse_unmeasurable(node)
    node.user_properties.append(results.measurement_property(measurement))
    return verdict.check(claim, measurement, ledger)


def from_the_authors(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """Start the traceback of a crash at its outermost frame in the author's code (a model's builder or forward), as
    pytest starts a test function's at the test: the frames of claimbench, and of the libraries that called the
    author's code (torch's ``Module.__call__``), are hidden as pytest hides its own. A crash in no frame of the
    author's (ours) keeps them all."""
    frames = excinfo.traceback
    first = next((index for index, frame in enumerate(frames) if errors.authors(frame.frame.code.raw.co_filename)), 0)
    excinfo.traceback = frames[first:]


def import_problems(reports: Sequence[Report], project: Path, hint: str, pythonpath: Sequence[str] = (),
                    files: Sequence[Path] = ()) -> list[str]:
    """Import the modules each report names so that their models register: from the ``pythonpath`` given
    (pytest's ini), then from ``project`` where it holds them (``_import``), else as the session's ``sys.path``
    finds them (an installed package). One line per module that fails, naming its ledger file: where it was
    looked for when it is not found, else its own error and the line that raised it (the author's to fix). The
    module of a claim's import-path model (``package.module:builder``) is found the same way, and imported when
    the claim's model is resolved (``check_models``), where failing to is that claim's error alone. A problem of a
    file among the ledger's ``files`` names the line of its ``modules`` (``_place``)."""
    where = f"{project}, after the pythonpath {', '.join(pythonpath)}" if pythonpath else str(project)
    problems = []
    for report in reports:
        for module in report.modules:
            try:
                _import(module, project, pythonpath)
            except Exception as error:  # noqa: BLE001 - any import-time error, one line each
                file = _place(f"{report.slug}.toml", "(report)", "modules", files)
                problems.append(f"{file}: (report): modules: cannot import {module!r}: "
                                f"{import_problem(module, error, f'from {where}{hint}', (project, *pythonpath))}")
        for claim in report.claims:
            module = registry.imported_module(claim.model) if claim.model else None
            if module is not None:
                _project_first(module, project, pythonpath)
    return problems


def _import(module: str, project: Path, pythonpath: Sequence[str]) -> None:
    """Import ``module``, from ``project`` where it holds it (``_project_first``)."""
    _project_first(module, project, pythonpath)
    registry.import_modules([module])


def _project_first(module: str, project: Path, pythonpath: Sequence[str]) -> None:
    """Where ``project`` holds the top package (or module) of ``module``, put ``project`` on ``sys.path`` first,
    right after the ``pythonpath`` entries, so that the project's own code is measured, never an installed copy;
    elsewhere leave ``sys.path`` as it is (``--import-mode=importlib`` tests what is installed)."""
    top = module.partition(".")[0]
    if str(project) not in sys.path and ((project / top).is_dir() or (project / f"{top}.py").is_file()):
        ahead = [sys.path.index(path) for path in pythonpath if path in sys.path]
        sys.path.insert(max(ahead, default=-1) + 1, str(project))


def check_models(reports: Sequence[Report], folders: Sequence[str | Path] = (), files: Sequence[Path] = ()
                 ) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each claim's model resolved, and its input size where it runs its model: returns the one-line reason, by
    claim id, of each claim whose import-path model's module does not import (not found, or raising as it
    imports), that claim's own error for its set-up to raise (``UNIMPORTED``), led by its file, line and claim as a
    collection error is; and, by report slug, the problems of each report with a reference that names no model or a
    claim that lacks its input size, one line each naming file, claim and field, an error of collecting that report's
    file alone. The session's other files and tests still run. A module found nowhere is told the name in
    ``folders`` (the project's) spelt like it. A problem of a file among the ledger's ``files`` names the line of the
    claim's field (``_place``)."""
    from claimbench import families

    problems: dict[str, list[str]] = {}
    unimported: dict[str, str] = {}
    failed: dict[str, str] = {}
    for report, claim in ((report, claim) for report in reports for claim in report.claims):
        if claim.model is None:
            continue
        module = claim.model.partition(":")[0] if ":" in claim.model else None  # an import path's, timm, torchvision
        if module in failed:  # imported once: a module that raises runs again at each import
            unimported[claim.id] = f"{_claims_place(claim, 'model', files)}: {failed[module]}"
            continue
        try:
            if module is not None:  # before resolving: a KeyError the module's own code raises names no unknown model
                importlib.import_module(module)
        except Exception as error:  # noqa: BLE001 - the module failed to import: its own error
            failed[module] = f"model: cannot import {module!r}: {import_problem(module, error, UNFOUND, folders)}"
            unimported[claim.id] = f"{_claims_place(claim, 'model', files)}: {failed[module]}"
            continue
        try:
            registry.resolve(claim.model)
        except KeyError as error:
            said = str(error.args[0])
            if not report.modules and ":" not in claim.model:  # the registry's "may not be imported", made precise
                said = (said.replace(NOT_IMPORTED, _NO_MODULES) if NOT_IMPORTED in said else f"{said}; {_NO_MODULES}")
            problems.setdefault(report.slug, []).append(f"{_claims_place(claim, 'model', files)}: model: {said}")
            continue
        if families.needs_input(claim):
            try:
                families.input_size(claim)
            except errors.MeasurementError as error:
                problems.setdefault(report.slug, []).append(f"{_claims_place(claim, 'input', files)}: input: {error}")
    return unimported, problems


def _claims_place(claim: Claim, field: str, files: Sequence[Path]) -> str:
    """``file:LINE: claim id``, LINE that of the claim's ``field`` (``_place``): what a claim's problem leads with."""
    return f"{_place(claim.file, claim.id, field, files)}: {claim.id}"


def _place(name: str, subject: str, field: str, files: Sequence[Path]) -> str:
    """``name:LINE`` where the ledger file ``name``, one of ``files``, writes the subject's field (``ledger_lines``),
    else ``name``."""
    path = next((file for file in files if file.name == name), None)
    return _lines(path.read_text(encoding="utf-8-sig")).place(name, subject, field) if path else name


@functools.lru_cache(maxsize=4)
def _lines(text: str) -> Lines:
    """A ledger file's ``Lines``, scanned once for all the problems of its claims."""
    return Lines(text)


class LedgerFile(pytest.File):
    """A ledger file visited by collection: its claims, each an item."""

    def __init__(self, *, claims: Sequence[Claim], settings: Callable[[], Settings], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claims, self.settings = claims, settings

    def collect(self) -> Iterator[ClaimItem]:
        lines = Lines(self.path.read_text(encoding="utf-8-sig")).claims()  # each claim's id line: where it is reported
        cheapest = list(TIER_OF_KIND)
        for claim in sorted(self.claims, key=lambda claim: (cheapest.index(claim.kind), claim.id)):
            if claim.file == self.path.name:
                yield ClaimItem.from_parent(self, name=claim.id, claim=claim, ledger=self.claims,
                                            settings=self.settings, line=lines.get(claim.local_id, 0))


class RejectedLedgerFile(pytest.File):
    """A file of a ledger the loader rejected: a collection error of this file alone, its problems one per line,
    the first naming file, claim and field; the session's other tests are collected as they would be. Once
    collected, and so shown, its path joins ``shown``: a node made for a folder's other file named alone
    (``testpaths = claims/good.toml``) is never collected, and shows nothing."""

    def __init__(self, *, problems: Sequence[str], shown: set[Path], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems = problems
        self.shown = shown

    def collect(self) -> Iterator[ClaimItem]:
        self.shown.add(self.path.resolve())
        if self.problems:
            raise self.CollectError(f"claims ledger rejected: {LedgerError(list(self.problems))}")
        return iter(())


class ClaimItem(pytest.Item):
    """One claim of a ledger, measured by its family and judged; needs no test file."""

    def __init__(self, *, claim: Claim, ledger: Sequence[Claim], settings: Callable[[], Settings], line: int = 0,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim, self.ledger, self.settings, self.line = claim, ledger, settings, line
        for mark in marks(claim):
            self.add_marker(mark)
        self.user_properties.append((results.CLAIM_PROPERTY, claim.id))
        self.timed = claim.kind == "epoch_time" and self.config.pluginmanager.hasplugin("benchmark")
        if self.timed:
            self._take_benchmark()

    def _take_benchmark(self) -> None:
        """Take pytest-benchmark's ``benchmark`` fixture (and the autouse ones) as a test function naming it does,
        through pytest's fixture machinery as its doctest items do: ``--benchmark-only``, ``--benchmark-skip`` and
        ``--benchmark-json`` then treat the item as a benchmark."""
        self.add_marker(pytest.mark.usefixtures("benchmark"))
        self._fixtureinfo = self.session._fixturemanager.getfixtureinfo(node=self, func=None, cls=None)
        self.fixturenames = self._fixtureinfo.names_closure
        self.funcargs: dict[str, object] = {}
        self._request = TopRequest(self, _ispytest=True)  # type: ignore[arg-type]

    def setup(self) -> None:
        """Measure the claim: a failure to measure is then an error of the set-up, as pytest counts errors."""
        from claimbench import families

        if self.timed:
            self._request._fillfixtures()
        timer = self.funcargs["benchmark"] if self.timed else NO_BENCHMARK
        self.measurement = measure_in_setup(self, self.claim, lambda: families.measurement(
            self.claim, self.settings, timer))

    def runtest(self) -> None:
        record_and_judge(self, self.claim, self.measurement, self.ledger)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        """A mismatch is its one line; a crash's traceback starts at the author's code where it ran through it (a
        model's builder or forward: ``from_the_authors``), else at this item, as a test function's starts at the test,
        one line a frame unless ``--tb`` asks for more; ``--fulltrace`` shows every frame."""
        if isinstance(excinfo.value, verdict.ClaimMismatch):
            return one_line(self, str(excinfo.value))
        if self.config.option.fulltrace:
            return super().repr_failure(excinfo, style=style)
        excinfo.traceback = excinfo.traceback.cut(path=Path(__file__))
        from_the_authors(excinfo)
        style = style or self.config.option.tbstyle  # as a test function reads --tb, in every phase
        return super().repr_failure(excinfo, style="short" if style == "auto" else style)

    def reportinfo(self) -> tuple[Path, int, str]:
        """The claim's ``id`` line (0-based, as pytest counts)."""
        return self.path, self.line, f"claim {self.claim.id}"
