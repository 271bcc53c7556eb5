"""Gather what each claim's test phases reported and turn it, through the judge, into one plain record."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from claimbench import model_code, verdict, vocab
from claimbench.ledger import Claim, Tolerance

__all__ = [
    "CLAIM_PROPERTY",
    "DROPPED",
    "FAILURE_PROPERTY",
    "MEASUREMENT_PROPERTY",
    "INTERRUPTED",
    "JSON_FORMAT",
    "JUDGED_BY",
    "JUDGED_OTHERWISE",
    "NOT_SELECTED",
    "Outcome",
    "RECORD_FIELDS",
    "Results",
    "VERDICT_PROPERTY",
    "claim_digest",
    "model_digest",
    "model_files",
    "complete",
    "conventions",
    "counts",
    "headline",
    "in_all",
    "judged_by",
    "landed",
    "measurement_property",
    "record_claim",
    "record_for",
    "record_problem",
]

CLAIM_PROPERTY = "claimbench.claim"
MEASUREMENT_PROPERTY = "claimbench.measurement"
"""A test's measurement, as JSON text: what JUnit XML shows of it, and what the controller reads back."""
FAILURE_PROPERTY = "claimbench.failure"
VERDICT_PROPERTY = "claimbench.verdict"
"""A claim's test's verdict (``VERDICTS``' words), added to its last phase's report: what JUnit XML shows of it."""
JSON_FORMAT = 1
"""The format of the claims JSON (``report.render_json``); a reader refuses a newer one. Raise it when a change to
the records would have an older reader misread them."""


@dataclass
class Outcome:
    """What the test phases (setup, call, teardown) of one claim reported, merged."""

    measurement: dict[str, Any] | None = None
    failure: str | None = None
    skipped: str | None = None
    duration: float = 0.0

    @property
    def recorded(self) -> bool:
        """Whether a test said anything of its claim: a test that passed without recording a measurement did not,
        and leaves the claim's last record as it is."""
        return self.measurement is not None or self.failure is not None or self.skipped is not None

    def observation(self) -> verdict.Observation:
        """The judge's view of this outcome."""
        measurement = verdict.Measurement.from_dict(self.measurement) if self.measurement else None
        return verdict.Observation(measurement, failure=self.failure, skipped=self.skipped)


@dataclass
class Results:
    """The controller's collection of outcomes, keyed by claim id."""

    claims: Mapping[str, Claim]
    date: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    tests: dict[Hashable, tuple[str, Outcome]] = field(default_factory=dict)
    """The claim and outcome of each test whose last phase is still to come (``verdict_of``)."""

    def add(self, properties: Sequence[tuple[str, Any]], *, skipped: str | None, duration: float,
            test: Hashable = None) -> None:
        """Merge one phase report of a claim test into its claim's outcome, and into the outcome of ``test`` alone
        where given; the first failure and the first skip reason win, and of two tests' measurements of one claim (a
        project's test parametrized over devices), the one judged worse: the last one to finish, under pytest-xdist
        any of them, would hide a refutation."""
        props = dict(properties)
        claim_id = props.get(CLAIM_PROPERTY)
        if claim_id not in self.claims:
            return
        self._merge(claim_id, self.outcomes.setdefault(claim_id, Outcome()), props, skipped, duration)
        if test is not None:
            self._merge(claim_id, self.tests.setdefault(test, (claim_id, Outcome()))[1], props, skipped, duration)

    def verdict_of(self, test: Hashable) -> str | None:
        """The verdict on the claim of ``test``, its phases all added, from that test alone, as the judge gives its
        claim's record (``record_for``): the same where one test checks the claim, which the record otherwise
        judges by the worse one. None where the test recorded nothing (the claim's last record stands)."""
        claim_id, outcome = self.tests.pop(test, ("", Outcome()))
        if not outcome.recorded:
            return None
        return verdict.judge(self.claims[claim_id], outcome.observation(), self.claims.values()).verdict

    def _merge(self, claim_id: str, merged: Outcome, props: Mapping[str, Any], skipped: str | None,
               duration: float) -> None:
        """Merge one phase report's properties into ``merged``, an outcome of the claim (``add``)."""
        merged.duration += duration
        if MEASUREMENT_PROPERTY in props:
            measured = json.loads(props[MEASUREMENT_PROPERTY])
            if merged.measurement is None or self._severity(claim_id, measured) > self._severity(
                    claim_id, merged.measurement):
                merged.measurement = measured
        merged.failure = merged.failure or props.get(FAILURE_PROPERTY)
        merged.skipped = merged.skipped or skipped

    def _severity(self, claim_id: str, measurement: dict[str, Any]) -> int:
        """How bad the verdict on a measurement of the claim is: reproduced, known error, refuted, error."""
        judged = verdict.judge(self.claims[claim_id], Outcome(measurement=measurement).observation()).verdict
        return SEVERITY.index(judged) if judged in SEVERITY else len(SEVERITY)

    def records(self) -> list[dict[str, Any]]:
        """One record per claim that ran (or was skipped) and recorded something, sorted by claim id."""
        return [record_for(self.claims[cid], self.outcomes[cid], self.date, self.claims.values())
                for cid in sorted(self.outcomes) if self.outcomes[cid].recorded]

    @property
    def empty(self) -> bool:
        """Whether no test recorded anything of a claim: then no file is written."""
        return not any(outcome.recorded for outcome in self.outcomes.values())


def measurement_property(measurement: verdict.Measurement) -> tuple[str, str]:
    """The user property that carries a test's measurement to the report and to JUnit XML."""
    return MEASUREMENT_PROPERTY, json.dumps(measurement.to_dict())


def _plain(value: Any) -> Any:
    """A shape tuple as a JSON-friendly list; anything else unchanged."""
    return list(value) if isinstance(value, tuple) else value


def _tuple(value: Any) -> Any:
    """A JSON list (a shape, an interval) as the claim holds it: a tuple."""
    return tuple(value) if isinstance(value, list) else value


def conventions(claim: Claim) -> list[str]:
    """How the claim's number is counted or printed, in words, where that is not the plain reading."""
    words = [vocab.CONVENTION_WORDS[key] for key in (claim.count, claim.size, claim.layout)
             if key in vocab.CONVENTION_WORDS]
    if claim.tolerance.mode == "truncate" and claim.tolerance.digits is not None:
        digits = claim.tolerance.digits
        words.append(f"truncated, not rounded, to {digits} decimal{'s' * (digits != 1)}, as the report prints it")
    return words


MEASURED_AS = ("count", "quantity", "layer", "layout", "size", "dataset", "split", "statistic", "hardware")
"""The claim keys that say how its number is measured."""


def measured_as(claim: Claim, measurement: Mapping[str, Any]) -> dict[str, Any]:
    """How the number is measured: the claim's ``MEASURED_AS`` keys it gives and, where the model ran on one, the
    input it ran on; the dates of the training runs it read from the run store rather than trained."""
    how = {key: getattr(claim, key) for key in MEASURED_AS if getattr(claim, key, None) is not None}
    how |= {"input": list(measurement["input"])} if measurement.get("input") else {}
    return how | ({"stored": list(measurement["stored"])} if measurement.get("stored") else {})


def claim_digest(claim: Claim) -> str:
    """A digest of everything the ledger says of a claim but its ``note``: a record measured against another
    version of the claim (another model, count, band or recipe) is no record of this one. Its ``column``, the
    loader's index of its cell's column, says nothing the cell does not (a record digested before it keeps its
    digest), and neither does a recipe key it leaves unset that was added after records were digested
    (``Recipe.keyed``)."""
    fields = {key: value for key, value in dataclasses.asdict(claim).items() if key not in ("note", "column")}
    if claim.recipe is not None:
        fields["recipe"] = claim.recipe.keyed()
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]


T = TypeVar("T")


def model_digest(claim: Claim) -> str | None:
    """``model_code.digest`` of the claim's model; None where it cannot be read (``_model_code``): then nobody can
    tell whether its code changed, and a partial run keeps no earlier record of it."""
    return _model_code(claim, model_code.digest)


def model_files(claim: Claim) -> dict[str, str] | None:
    """``model_code.files`` of the claim's model, the digest of each file ``model_digest`` covers: what names the
    files that changed where it differs; None where that cannot be read (as ``model_digest``)."""
    return _model_code(claim, model_code.files)


def _model_code(claim: Claim, read: Callable[[str], T]) -> T | None:
    """``read`` of the claim's model; None where this process cannot resolve it (its module is not imported here, as
    in a pytest-xdist controller, or raises as it imports) or the code cannot be read (``model_code.UNREADABLE``: the
    builder has no source file). Any other error, raised as claimbench reads the code, is claimbench's own bug."""
    if not claim.model:
        return None
    try:
        model_code.builder(claim.model)
    except Exception:  # noqa: BLE001 - an author's module may raise anything as it imports
        return None
    try:
        return read(claim.model)
    except model_code.UNREADABLE:
        return None


def record_for(claim: Claim, outcome: Outcome, date: str | None, ledger: Iterable[Claim] = ()) -> dict[str, Any]:
    """The plain record of one claim: what the report says, what we measured, the judge's verdict (``ledger`` as
    ``verdict.judge`` takes it)."""
    judgement = verdict.judge(claim, outcome.observation(), ledger)
    measurement = outcome.measurement or {}
    return {
        "id": claim.id,
        "report": claim.report,
        "kind": claim.kind,
        "model": claim.model,
        "claimed": _plain(claim.value),
        "interval": _plain(claim.interval),
        "printed": claim.printed,
        "scale": claim.scale,
        "source": claim.source,
        "cell": list(claim.cell) if claim.cell else None,
        "measured": _plain(judgement.measured),
        "shown": _plain(judgement.shown),
        "delta": judgement.delta,
        "band": _plain(judgement.band),
        "reach": _plain(judgement.reach),
        "tolerance": judgement.tolerance,
        "direction": judgement.direction,
        "counters": measurement.get("counters", {}),
        "seeds": list(judgement.seeds),
        "spread": judgement.spread,
        **({"step": measurement["step"]} if measurement.get("step") else {}),
        "device": measurement.get("device"),
        "unverified_data": judgement.unverified_data,
        "data_finding": judgement.data_finding,
        "verdict": judgement.verdict,
        "reason": judgement.reason,
        "note": claim.note,
        "conventions": conventions(claim) + list(measurement.get("words", ())),
        "measured_as": measured_as(claim, measurement),
        "date": date,
        "duration": round(outcome.duration, 4),
        "claim_digest": claim_digest(claim),
        "model_digest": model_digest(claim) if outcome.measurement is not None else None,
        "model_files": model_files(claim) if outcome.measurement is not None else None,
        **judged_by(claim),
    }


JUDGED_BY = ("correct", "runs", "expect", "ledger_tolerance")
"""The fields of a record that carry what the judge read of its claim beyond its band: a documented error's
``correct`` value, the ``runs`` the author's number averages, ``expect``, and the claim's ``tolerance`` as the
ledger gives it (``abs``, ``rel``, ``digits``, ``mode``), from which the correct value's band and each seed as the
report prints it follow. A record of an older claimbench lacks them."""


def judged_by(claim: Claim) -> dict[str, Any]:
    """The ``JUDGED_BY`` fields of a record of ``claim``: with them, ``claimbench compare`` judges a record of several
    seeds by the judge's full rule, as ``claimbench report`` does with the ledger's claim."""
    return {"correct": _plain(claim.correct), "runs": claim.runs, "expect": claim.expect,
            "ledger_tolerance": dataclasses.asdict(claim.tolerance)}


CLAIM = TypeAdapter(Claim)
"""The ledger's own check of a claim's fields, by their types and bounds, as a ledger file's claim is checked."""


def record_claim(record: Mapping[str, Any]) -> Claim | None:
    """The claim a record was judged against, as far as the judge reads it: what it claims (``claimed``,
    ``interval``, ``printed``, ``scale``, ``kind``) and ``JUDGED_BY``; None for a record without them (of an older
    claimbench); a ``ValueError`` where they are no claim's (a hand-edited JSON)."""
    if not all(key in record for key in JUDGED_BY):
        return None
    try:
        return CLAIM.validate_python({
            "id": record["id"], "report": record["report"], "kind": record["kind"], "printed": record["printed"],
            "source": record.get("source") or "the record", "file": "", "scale": record["scale"],
            "tolerance": record["ledger_tolerance"], "runs": record["runs"], "expect": record["expect"],
            **{key: _tuple(record[field]) for key, field in (("value", "claimed"), ("interval", "interval"),
                                                              ("correct", "correct"))}})
    except (KeyError, ValidationError) as error:  # a ValidationError names the field
        raise ValueError(f"{record.get('id')}: figures that are no claim's ({error})") from None


def landed(record: Mapping[str, Any]) -> int:
    """How many of a record's seeds land in its band, each as the judge reads it (``verdict.shown_value`` of the claim
    the record carries, ``record_claim``); 0 for a record without the claim's figures (of an older claimbench, whose
    rounding is unknown) or figures that are no claim's."""
    band, seeds = record.get("band"), record.get("seeds")
    if not isinstance(band, list) or len(band) != 2 or not isinstance(seeds, list):
        return 0
    try:
        claim = record_claim(record)
    except ValueError:
        return 0
    numbers = [seed for seed in seeds if isinstance(seed, (int, float))]
    return 0 if claim is None else verdict.landed(claim, numbers, (band[0], band[1]))


RECORD_FIELDS = ("id", "report", "kind", "model", "claimed", "interval", "printed", "scale", "cell", "measured",
                 "shown", "delta", "band", "device", "verdict", "reason")
"""The fields of a record that the report, badges and plots read: a record read back lacks none of them."""
_Pair = Annotated[list[float | None], Field(min_length=2, max_length=2)]
_Ends = Annotated[list[float], Field(min_length=2, max_length=2)]
_Value = float | list[int] | None
_Verdict = Literal[verdict.VERDICTS]


class _MeasuredAs(BaseModel):
    """What the report reads of a record's ``measured_as``."""

    model_config = ConfigDict(strict=True, extra="allow")
    input: list[int] | None = None
    stored: list[str] = []


class _Shape(BaseModel):
    """The types of the fields of a record that claimbench reads back (``record_for`` writes them); a field may be
    missing here (``record_problem`` says which must be there), and other fields are free. Strict: ``"62"`` is no
    number, 1 no boolean."""

    model_config = ConfigDict(strict=True, extra="allow")
    id: str = ""
    report: str = ""
    kind: str = ""
    model: str | None = None
    claimed: _Value = None
    interval: _Pair | None = None
    printed: str = ""
    scale: float = 1.0
    source: str | None = None
    cell: Annotated[list[str], Field(min_length=3, max_length=3)] | None = None
    measured: _Value = None
    shown: _Value = None
    delta: float | None = None
    band: _Pair | None = None
    reach: _Ends | None = None
    device: str | None = None
    verdict: _Verdict = "not run"
    reason: str | None = None
    note: str | None = None
    unverified_data: bool = False
    data_finding: str = ""  # absent from a record of an older claimbench
    conventions: list[str] = []
    measured_as: _MeasuredAs | None = None
    seeds: list[float | None] = []  # None: a run's value that was not finite
    spread: float | None = None
    step: float = 0.0  # of seeds whose statistic moves in steps (``verdict.Measurement.step``); absent: none
    date: str | None = None
    duration: float = 0.0
    claim_digest: str | None = None
    model_digest: str | None = None
    model_files: dict[str, str] | None = None  # absent from a record of an older claimbench
    carried: bool = False
    stale: bool = False
    dropped: str | None = None
    correct: _Value = None
    runs: int | None = None
    expect: Literal[vocab.EXPECTS] | None = None
    ledger_tolerance: Tolerance | None = None  # checked as the ledger checks a claim's tolerance


def record_problem(record: Any, required: Sequence[str] = RECORD_FIELDS, *, only: Sequence[str] | None = None
                   ) -> str | None:
    """What is wrong with a record read back from a JSON, in one line naming its field (``field 'verdict': must be
    'reproduced', ... or 'unverifiable', got 'bogus'``): not an object, a field of ``required`` missing, or a field
    of the wrong type (of those in ``only``, where given); None where nothing is."""
    if not isinstance(record, dict):
        return f"not a record (an object), got {record!r:.40}"
    missing = [name for name in required if name not in record]
    if missing:
        return f"missing field {missing[0]!r}" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
    try:
        _Shape.model_validate(record if only is None else {key: record[key] for key in only if key in record})
    except ValidationError as error:
        first = error.errors()[0]
        known = {*_Shape.model_fields, *_MeasuredAs.model_fields, *(f.name for f in dataclasses.fields(Tolerance))}
        where = ".".join(str(part) for part in first["loc"] if part in known)
        what = first["msg"].replace("Input should be", "must be").replace("List should have", "must have")
        return f"field {where!r}: {re.sub(' or instance of .*', '', what)}, got {first['input']!r:.40}"
    return None


SEVERITY = ("reproduced", "known error", "refuted")
"""Verdicts on a measurement from the best to the worst; any other (an error of ours) is worse still."""
NOT_SELECTED = "not measured: not selected in this run, and no earlier record"
"""Why a claim of the ledger was not run when the run selected others."""
INTERRUPTED = "not measured: not selected, or the run was interrupted before it; no earlier record"
"""Why a claim was not run in a run that was interrupted (Ctrl-C, a failure with -x)."""
DROPPED = "not measured in this run; its earlier record (of {when}) was {why}: run it again"
"""Why a claim is not run whose earlier record was measured against something that has changed since."""
LEDGER_CHANGED = "not measured: the ledger changed this claim after the run that measured it; run it again"
"""Why a re-rendered record is not shown: it was measured against another version of its claim."""
JUDGED_OTHERWISE = ("not measured: the record of the run that measured it was judged otherwise than its own figures "
                    "say; run it again")
"""Why a re-rendered record is not shown: its verdict is not the one its measurement and band give (an edited JSON)."""


def complete(records: Sequence[Mapping[str, Any]], claims: Sequence[Claim], reason: str = NOT_SELECTED
             ) -> list[Mapping[str, Any]]:
    """The records, plus a ``not run`` one for every claim that has none, undated: it was never measured."""
    recorded = {r["id"] for r in records}
    return [*records, *(record_for(claim, Outcome(skipped=reason), None) for claim in claims
                        if claim.id not in recorded)]


def counts(records: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Claims per verdict, plus ``checked`` (measured), ``unverified`` (measured on unverified data, whatever the
    verdict), of each checked verdict those on unverified data (``unverified refuted``, ...) and ``clean``
    (reproduced on verified data)."""
    tally = {name: sum(r["verdict"] == name for r in records) for name in verdict.VERDICTS}
    tally["checked"] = sum(tally[v] for v in verdict.CHECKED)
    tally["unverified"] = sum(bool(r.get("unverified_data")) for r in records)
    tally |= {f"unverified {name}": sum(r["verdict"] == name and bool(r.get("unverified_data")) for r in records)
              for name in verdict.CHECKED}
    tally["clean"] = tally["reproduced"] - tally["unverified reproduced"]
    return tally


def headline(records: Sequence[Mapping[str, Any]]) -> str:
    """``158 reproduced of 165 checked, 1 reproduced on unverified data, 2 refuted (1 on unverified data), 4 known
    errors``: each checked claim counted once, so the parts add up to the checked; then the errors."""
    tally = counts(records)
    text = f"{tally['clean']} reproduced of {tally['checked']} checked"
    if tally["unverified reproduced"]:
        text += f", {tally['unverified reproduced']} reproduced on unverified data"
    for name in ("refuted", "known error"):
        if tally[name]:
            text += f", {tally[name]} {name}{'s' * (name == 'known error' and tally[name] != 1)}"
            text += f" ({tally[f'unverified {name}']} on unverified data)" if tally[f"unverified {name}"] else ""
    if tally["error"]:
        text += f", {tally['error']} error{'s' * (tally['error'] != 1)}"
    return text


def in_all(records: Sequence[Mapping[str, Any]]) -> str:
    """``headline`` (``none checked`` where nothing was checked and nothing erred), then what is counted apart: the
    claims not run and those nobody can check, ``5 reproduced of 5 checked, 1 not run``: a badge's message, and the
    terminal's line of what the files show."""
    tally = counts(records)
    text = headline(records) if tally["checked"] or tally["error"] else "none checked"
    return text + "".join(f", {tally[name]} {name}" for name in ("not run", "unverifiable") if tally[name])
