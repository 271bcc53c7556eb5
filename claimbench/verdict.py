"""The one judge: a claim and what a test observed become one record (verdict, band, the words for it).

Nothing else decides a verdict. ``refuted`` means we measured and the number disagrees; anything that
kept us from measuring (our crash, bad data, counters that disagree, divergence) is ``error``, and so is a training
number that we cannot tell from seed-to-seed noise (one seed outside the band) or that trained in numerics
claimbench chose (``auto``'s bf16), not the author's, or that was measured on splits of another size than the
published (``--claims-allow-unverified-data``), and an epoch time outside the band timed where the machine's
load could not be measured.
Torch-free: the controller judges the plain records that tests send it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from dataclasses import asdict, dataclass, field
from typing import Any

from claimbench import metrics, numerals, siblings, slips, vocab
from claimbench.numerals import plain_text
from claimbench.errors import MeasurementError
from claimbench.ledger import Claim, Tolerance
from claimbench.printed_style import band_side, finer, printed_decimals, sides, style

__all__ = [
    "CHECKED",
    "DECIDING_SEEDS",
    "VERDICTS",
    "ClaimMismatch",
    "CounterDisagreement",
    "Judgement",
    "KnownError",
    "Measurement",
    "Observation",
    "check",
    "confidence",
    "counters_disagree",
    "describe_tolerance",
    "format_interval",
    "format_number",
    "format_spread",
    "follows",
    "judge",
    "landed",
    "meets",
    "printings",
    "shown_band",
    "shown_value",
    "usable",
]

VERDICTS = ("reproduced", "refuted", "known error", "error", "not run", "unverifiable")
CHECKED = ("reproduced", "refuted", "known error")
"""Verdicts on a number we measured: the denominator of 'N reproduced of M checked'."""
DECIDING_SEEDS = 3
"""The seeds asked for where one ran (more where the claim's ``runs`` are more): one cannot refute a number, and two
rarely do (t95 is 12.7); ``claimbench init`` sets it as the least seed count (``claims_train_min_seeds``)."""

_CHOSE_BF16 = ("the runs trained in bf16 autocast, which claimbench's --claims-train-precision=auto chose for speed, "
               "not the author's fp32")
"""Why runs in bf16 that ``auto`` chose refute nothing: a timing that tipped the other way trains in fp32."""
_IN_FP32 = "--claims-train-precision=fp32 judges it in fp32"
FASTER_ENGINE = ("timed with claimbench's own engine, which runs faster than a conventional DataLoader loop (README, "
                 "The training engine): a time below the band says nothing of the author's loop")
"""Why an epoch timed faster than the band refutes nothing: the engine, not the author's number, may be the cause."""
TIED = ("the seeds gave one value, of a statistic too fine for runs to tie by chance: they show nothing of a run's "
        "scatter (does the seed reach the model's initialisation and the data's order?)")
"""Why seeds that tie on a statistic with no step refute nothing: the interval of width 0 is no 95% one."""

Measured = float | int | tuple[int, ...]


class ClaimMismatch(AssertionError):
    """We measured, and the measurement does not match the claim (``refuted`` or ``known error``)."""


class KnownError(ClaimMismatch):
    """A mismatch the ledger documents (``known error``): what a claim's strict xfail expects."""


class CounterDisagreement(MeasurementError):
    """Two independent counters of the same quantity disagree: no verdict on the claim is possible."""


@dataclass(frozen=True)
class Measurement:
    """What a claim test measured, as plain data that travels from an xdist worker to the controller."""

    measured: Measured
    counters: Mapping[str, Measured] = field(default_factory=dict)
    seeds: tuple[float, ...] = ()
    spread: float = 0.0
    device: str = "meta"
    unverified_data: bool = False
    data_finding: str = ""
    """Of unverified data, what differs of it from the published (``data.Dataset.finding``): the checksums that
    failed, and how many images it holds of how many where that differs."""
    partial_data: str = ""
    """Of unverified data, the splits that hold another number of images than the published
    (``data.Dataset.partial``): no verdict against the author rests on them."""
    input: tuple[int, ...] | None = None
    """The (C, H, W) input the model ran on, for what depends on one (MACs, layers, torchinfo's size)."""
    stored: tuple[str, ...] = ()
    """The dates of the training runs read from the run store, trained by an earlier session."""
    words: tuple[str, ...] = ()
    """How this model made the claim's convention count, in words, where its words alone do not say (the parameters
    torchinfo leaves out): the report says them beside the convention's."""
    bf16: str = ""
    """Where training runs trained in bf16 autocast, who chose it: ``auto`` (claimbench's ``auto``, for speed) or
    ``asked`` (``--claims-train-precision=bf16``); empty in fp32, the author's numerics."""
    load: str = ""
    """Why the machine's load while the epochs were timed could not be measured (no ``/proc/stat``); empty where it
    was, and was quiet, or on an accelerator."""
    on_accelerator: bool = False
    """Epochs timed on an accelerator, whose load by other processes nothing measures: a refutation says so."""
    siblings: Mapping[str, Measured] = field(default_factory=dict)
    """Where a structural claim is refuted, the model's value under each other convention of its kind
    (``claimbench.siblings``) that could be measured: the judge says which one the author's number matches."""
    module: str = ""
    """Of a layer claim, the class of the module its ``layer`` names (``Dropout``): a refutation names it, as a path
    one off names another layer."""
    step: float = 0.0
    """Of seeds, the least change one run can make in their statistic (``metrics.resolution``: 1 for a best epoch,
    one image of the evaluation for an accuracy), the least scatter their interval takes; 0: none."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-friendly data (shapes as lists)."""
        plain = asdict(self)
        plain["measured"] = _plain(self.measured)
        plain["counters"] = {name: _plain(value) for name, value in self.counters.items()}
        plain["seeds"] = list(self.seeds)
        plain["input"] = _plain(self.input)
        plain["stored"] = list(self.stored)
        plain["words"] = list(self.words)
        plain["siblings"] = {name: _plain(value) for name, value in self.siblings.items()}
        return plain

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Measurement:
        """The inverse of ``to_dict``."""
        return cls(**{**raw, "measured": _tuple(raw["measured"]), "seeds": tuple(raw["seeds"]),
                      "counters": {name: _tuple(value) for name, value in raw["counters"].items()},
                      "input": _tuple(raw.get("input")), "stored": tuple(raw.get("stored", ())),
                      "words": tuple(raw.get("words", ())),
                      "siblings": {name: _tuple(value) for name, value in raw.get("siblings", {}).items()}})


@dataclass(frozen=True)
class Observation:
    """How a claim's test ended: a measurement, a failure of ours, or a skip (each with its one line)."""

    measurement: Measurement | None = None
    failure: str | None = None
    skipped: str | None = None


@dataclass(frozen=True)
class Judgement:
    """The verdict on one claim and everything the reader needs to check it."""

    verdict: str
    reason: str
    measured: Measured | None = None
    shown: Measured | None = None
    delta: float | None = None
    band: tuple[float | None, float | None] | None = None
    """The allowed interval, in the claim's unit (None end: open)."""
    tolerance: str = ""
    seeds: tuple[float, ...] = ()
    spread: float | None = None
    direction: str = ""
    """``above``, ``below`` or ``within``: where the shown value lands against the band."""
    unverified_data: bool = False
    data_finding: str = ""
    """Of unverified data, what differs of it from the published (``Measurement.data_finding``)."""
    reach: tuple[float, float] | None = None
    """Where several seeds ran: the 95% interval, in the claim's unit, its ends as the report would print them,
    within which a run of the author's (the mean of the claim's ``runs``) lands, cut to the values its statistic can
    take; the verdict is whether it meets the band."""


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _rounded(measured: float | int, claim: Claim) -> float:
    """``measured / scale`` to the printed decimals, in decimal arithmetic and as the float prints (``printings``):
    a measurement exactly halfway between two printed numbers may be printed as either, so it takes the one nearer
    the claim."""
    if claim.tolerance.digits is None or not math.isfinite(measured):
        return measured / claim.scale
    exact = Decimal(repr(measured)) / Decimal(repr(claim.scale))
    either = printings(exact, claim.tolerance.digits, claim.tolerance.mode)
    ends = [end for end in claim.interval or () if end is not None]
    target = claim.value if isinstance(claim.value, (int, float)) else sum(ends) / len(ends) if ends else 0.0
    return min(either, key=lambda shown: (abs(shown - target), shown))


def printings(exact: Decimal, digits: int, mode: str) -> set[float]:
    """What a report may print ``exact`` as, at ``digits`` decimals: truncated (``mode`` ``truncate``), or rounded
    half up or half to even; and the float nearest it, as ``f"{x:.2f}"`` prints it, its binary value rounded (2.675
    is 2.67499..., printed 2.67), or as ``math.trunc(x * 10**digits) / 10**digits`` truncates it, in floats (0.7 +
    0.1 is 0.79999..., truncated 0.7; 3.3, the double 3.2999..., times 10 is 33.0, truncated 3.3, not 3.2)."""
    quantum, binary = Decimal(1).scaleb(-digits), Decimal(float(exact))
    if mode == "truncate":  # a hair away from zero undoes binary error (28.99999999999999...)
        hair = min(abs(exact) * Decimal("1e-15"), quantum * Decimal("1e-3"))
        return {float((exact + hair.copy_sign(exact)).quantize(quantum, ROUND_DOWN)),
                math.trunc(float(exact) * 10 ** digits) / 10 ** digits}
    return {float(exact.quantize(quantum, ROUND_HALF_UP)),
            *(float(number.quantize(quantum, ROUND_HALF_EVEN)) for number in (exact, binary))}


def shown_value(claim: Claim, measured: Measured) -> Measured:
    """The measurement in the claim's unit (``measured / scale``), rounded as the report printed it."""
    if isinstance(measured, tuple) or isinstance(measured, int) and claim.scale == 1:
        return measured  # a count stays an integer: floats lose exactness above 2**53
    return _rounded(measured, claim)


def describe_tolerance(tolerance: Tolerance, interval: tuple[float | None, float | None] | None = None) -> str:
    """The tolerance in words, e.g. ``exact`` or ``±0.01 after rounding to 2 decimals``; for a claim's ``interval``
    (a verbal claim's bound or interval), that first: ``at most 20,000``, ``within [57, 60], each end ±0.5``."""
    parts = []
    if tolerance.abs:
        parts.append(f"±{tolerance.abs:g}")
    if tolerance.rel:
        parts.append(f"±{tolerance.rel * 100:.4g}%")
    slack = " + ".join(parts)
    if interval is None:
        band = slack or "exact"
    else:
        band = _describe_band(interval, words=True) + (f", each end {slack}" if slack else "")
    if tolerance.digits is not None:
        verb = "truncating" if tolerance.mode == "truncate" else "rounding"
        band += f" after {verb} to {tolerance.digits} decimal{'s' * (tolerance.digits != 1)}"
    return band


def format_number(value: Measured | None) -> str:
    """A value for a message: thousands separators from 1,000 on (every decimal kept from a million on, where six
    significant digits would hide a difference in the last printed one), six significant digits below (1,500.1)."""
    if value is None:
        return "—"
    if isinstance(value, tuple) or not math.isfinite(value):  # nan, inf: as Python prints them
        return str(value)
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1000:
        return f"{int(value):,}"
    if abs(value) < 1e6:
        return f"{value:,.6g}"
    decimals = max(0, 15 - len(str(int(abs(value)))))  # 15 significant digits: no binary noise (…1199999999)
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def format_spread(spread: float, printed: str, scale: float,
                  reads_right: Callable[[float], bool] = lambda _: True) -> str:
    """A spread of measurements in the claim's unit (a ``±``) in one decimal more than the claim ``printed`` shows
    (``printed_style.finer``: 80.5% ±0.12345 reads ±0.12), or in as many more as it takes for ``reads_right`` to hold
    of it as written."""
    return _finer(spread, printed, scale, reads_right)


def format_interval(interval: Sequence[float | None], printed: str, scale: float,
                    marks: Iterable[float | None]) -> str:
    """An interval of measurements in the claim's unit (where a run lands, the seeds' or timed epochs' range), its
    ends in one decimal more than the claim ``printed`` shows, at its decimals at least (``[57.0, 65.24]`` beside
    "57.3%"), or in as many more as it takes for each end to lie on the side of each of ``marks`` (the band's ends,
    the claimed value) that it does: 61.0023 above [59, 61] reads 61.002, not 61.00."""
    marks = tuple(marks)
    return f"[{', '.join(_sided(end, printed, scale, marks, keep_printed=True) for end in interval)}]"


def _sided(value: float | None, printed: str, scale: float, marks: Iterable[float | None],
           keep_printed: bool = False) -> str:
    """A measured ``value`` (an end of an interval, a band's end, a measurement) in ``_finer``'s digits, on the side
    of each of ``marks`` (the band's ends, the claimed value, the measurement) that it lies on."""
    lies = sides(value, marks) if value is not None and math.isfinite(value) else []
    return _finer(value, printed, scale, lambda written: sides(written, marks) == lies, keep_printed)


def _finer(value: float | None, printed: str, scale: float, reads_right: Callable[[float], bool],
           keep_printed: bool = False) -> str:
    """A measured ``value`` in ``printed_style.finer``'s digits; in ``format_number``'s where they give none, or
    where it is no finite number (a record's null)."""
    finite = isinstance(value, (int, float)) and math.isfinite(value)
    text = finer(Decimal(repr(value)), printed, scale, lambda written: reads_right(float(written)),
                 keep_printed) if finite else None
    return format_number(value) if text is None else text


def _decimal_sum(a: float, b: float, sign: int = 1) -> float:
    """``a + sign·b`` in decimal arithmetic, as printed numbers add (27.74 + 0.05548 is 27.79548, not
    27.795479999999998); integers stay exact integers."""
    if isinstance(a, int) and isinstance(b, int):
        return a + sign * b
    return float(Decimal(repr(a)) + sign * Decimal(repr(b)))


def _band(claim: Claim, value: float | None = None) -> tuple[float | None, float | None]:
    """The allowed interval: the claimed ``value`` (default: the claim's), or its own interval, each end widened by
    ``abs + rel·|end|`` (an exact end stays as written: a count keeps its integer)."""
    ends = claim.interval if claim.interval is not None and value is None else (
        (claim.value if value is None else value),) * 2
    tolerance = claim.tolerance
    slack = [float(Decimal(repr(tolerance.abs)) + Decimal(repr(tolerance.rel)) * abs(Decimal(repr(end))))
             if end is not None else 0 for end in ends]
    return (None if ends[0] is None else _decimal_sum(ends[0], slack[0], -1) if slack[0] else ends[0],
            None if ends[1] is None else _decimal_sum(ends[1], slack[1]) if slack[1] else ends[1])


def _noise(claim: Claim, measurement: Measurement) -> tuple[float, float] | None:
    """The range of an epoch time's timed epochs, in the claim's unit; None for a single one."""
    if len(measurement.seeds) < 2:
        return None
    rounds = [shown_value(claim, seconds) for seconds in measurement.seeds]
    return min(rounds), max(rounds)


def _reach(claim: Claim, measurement: Measurement) -> tuple[float, float] | None:
    """Where a run of the author's lands, given our seeds: the raw mean of the seeds ± the 95% prediction
    half-width for the mean of the claim's ``runs`` (``metrics.prediction95``), in the claim's unit, its ends as the
    report would print them (``_as_printed``); None for fewer than two seeds, which cannot tell their scatter. Seeds
    that scatter less than one step of their statistic take that step as their scatter (``_confidence``). The
    interval stops at the values the statistic can take (``metrics.possible``): three best epochs of 1 of a 3-epoch
    recipe land in [1, 3], not [-3.97, 5.97]; an accuracy at 100% at most."""
    if len(measurement.seeds) < 2:
        return None
    _, half = metrics.prediction95(measurement.seeds, claim.runs or 1, measurement.step)
    mean = float(measurement.measured)
    least, most = metrics.possible(claim.kind, claim.recipe.epochs if claim.recipe else None)
    return _as_printed(claim, (max(mean - half, least) / claim.scale, min(mean + half, most) / claim.scale))


def meets(reach: tuple[float, float], band: tuple[float | None, float | None]) -> bool:
    """Whether the interval ``reach`` has a point in the closed ``band`` (``band_side``'s comparison)."""
    return band_side(reach[0], band) != "above" and band_side(reach[1], band) != "below"


def _describe_band(band: tuple[float | None, float | None], *, words: bool = False,
                   number: Callable[[float], str] = format_number) -> str:
    """A band in signs (``≤ 20,000``, ``≥ 60``, ``[57, 60]``) or, ``words``, as a claim's interval reads in words
    (``at most 20,000``, ``at least 60``, ``within [57, 60]``), its ends written by ``number``."""
    low, high = band
    if low is None:
        return f"{'at most' if words else '≤'} {number(high)}"
    if high is None:
        return f"{'at least' if words else '≥'} {number(low)}"
    return f"{'within ' * words}[{number(low)}, {number(high)}]"


def shown_band(kind: str, scale: float, band: tuple[float | None, float | None]
               ) -> tuple[float | None, float | None]:
    """The band as a reason or a report shows it: of a kind measured in a share of a whole (an accuracy 0 to 100%, a
    precision or recall 0 to 1), a loss or a gap, an end past the values a run can give (``metrics.possible``, in the
    claim's unit) cut to them, where the band reaches them at all (99.9% ±1.5 shows [98.4, 100.0], not [98.4, 101.4]);
    a band wholly past them is shown as it is, as a cut one would read wrongly. Only the text: the verdict goes by the
    band as it is."""
    if kind not in (*_PERCENTAGES, "loss"):
        return band
    least, most = (limit / scale for limit in metrics.possible(kind))
    low, high = band
    if (low is not None and low > most) or (high is not None and high < least):
        return band
    return (None if low is None else max(low, least) if math.isfinite(least) else low,
            None if high is None else min(high, most) if math.isfinite(most) else high)


def _band_text(claim: Claim, band: tuple[float | None, float | None], marks: Iterable[float | None]) -> str:
    """A band judged against (``_describe_band``). An end is a threshold the ledger set, not a measurement: it reads
    exactly where that takes at most one decimal more than ``printed_style.finer`` writes (60% ±0.2%: [59.88, 60.12];
    an end of a count, or 87.34 ±1: as it is), else, where a relative tolerance or binary noise made it long, by
    ``finer`` (87.34 MB ±0.2%: [87.165, 87.515], not [87.1653, 87.5147]), in more where fewer would put it on another
    side of one of ``marks`` (the measurement, the claimed value) than it lies; in the claim's own decimals at least,
    as an interval's ends are (86.5% ±1.5: [85.0, 88.0], not [85, 88])."""
    marks, decimals = tuple(marks), printed_decimals(claim.printed)

    def end_text(end: float) -> str:
        if not isinstance(end, float) or not math.isfinite(end) or decimals is None:
            return format_number(end)
        exact = Decimal(repr(end)).normalize()
        if -exact.as_tuple().exponent <= decimals + 2:
            whole, _, fraction = f"{exact:,f}".partition(".")
            fraction = fraction.ljust(decimals, "0")
            return f"{whole}.{fraction}" if fraction else whole
        return _sided(end, claim.printed, claim.scale, marks, keep_printed=True)

    return _describe_band(shown_band(claim.kind, claim.scale, band), number=end_text)


def _measured(claim: Claim, measurement: Measurement, ledger: Iterable[Claim]) -> Judgement:
    """Judge a measurement that came out: reproduced, refuted or known error; an error where our seeds cannot tell
    the claim from noise (``_unsettled``, ``_settles``), or an epoch time's timed epochs range over an edge of the
    band; wherever it lands, one measured on splits of another size than the published (``_not_published``), which
    its mean or median alone places, no seed. A refutation says what the number matches (``_matches``), the ledger's
    other rows of its column among them."""
    shown = shown_value(claim, measurement.measured)
    words = describe_tolerance(claim.tolerance, claim.interval)
    common = {"measured": measurement.measured, "shown": shown, "seeds": measurement.seeds,
              "spread": measurement.spread or None, "unverified_data": measurement.unverified_data,
              "data_finding": measurement.data_finding}
    timed = claim.kind == "epoch_time"
    if isinstance(shown, tuple):
        same = shown == claim.value
        direction = "within" if same else "differs"
        band, delta, noise, reach = None, None, None, None
    else:
        band = _band(claim)
        direction = band_side(shown, band)
        delta = _decimal_sum(shown, claim.value, -1) if claim.value is not None else None
        noise = _noise(claim, measurement) if timed else None
        reach = None if timed else _reach(claim, measurement)
    if noise is not None:
        words += (f"; median of {len(measurement.seeds)} timed epochs, their range "
                  f"{_interval(claim, noise, band, claim.value)}")
    told = words  # a refutation says where a run lands once, after the band
    landing = "" if reach is None else _interval(claim, reach, band, claim.value)
    if landing:
        words += (f"; mean of {len(measurement.seeds)} seeds, {_lands(claim)} in {landing} "
                  f"({_confidence(claim, measurement)})")
    common |= {"band": band, "delta": delta, "tolerance": words, "direction": direction, "reach": reach}
    marks = () if band is None else (*band, claim.value)  # a measured number, as written, stays on its side of each
    ends = "" if band is None else _band_text(claim, band, (shown, claim.value))
    partial = band is not None and bool(measurement.partial_data)  # no seed, nor their interval, is the author's
    if partial and direction == "within":
        return Judgement("error", f"{_claimed_measured(claim, shown, marks)}, within the band {ends}; "
                         f"{_not_published(measurement)}", **common)
    over_an_edge = band is not None and noise is not None and band_side(noise[0], band) != band_side(noise[1], band)
    if over_an_edge and not partial:
        return Judgement("error", _undecided(claim, measurement, shown, band, noise), **common)
    settled = direction if band is None or partial else _settles(claim, measurement, shown, band, reach)
    if settled == "within" != direction and claim.expect == "refuted" and claim.correct is not None and _bears_out(
            claim, measurement, shown, reach):  # seeds on the typo and on the correct value: the more of them win
        on_typo = landed(claim, measurement.seeds, band)
        on_correct = landed(claim, measurement.seeds, _band(claim, claim.correct))
        if on_correct <= on_typo:
            count, chose = len(measurement.seeds), measurement.bf16 == "auto"
            return Judgement("error", f"{on_typo} of the {count} seeds land in the band {ends} of the "
                             f"printed number and {on_correct} on the correct {format_number(claim.correct)} the "
                             f"ledger documents ({claim.why}): {count} seeds cannot tell which a run prints; more "
                             f"seeds (--claims-train-seeds={2 * count}) may"
                             f"{' reproduce it, but never bear out the documented error' if chose else ''}"
                             f"{_chose_bf16(measurement)}", **common)
        settled = "outside"
    if settled == "undecided":
        return Judgement("error", _undecided_seeds(claim, measurement, shown, band, reach, claim.value), **common)
    if settled == "within":
        reasons = []
        if direction != "within":
            met = reach is not None and meets(reach, band)
            reasons.append(f"the mean {_at(claim, shown, marks)} of {len(measurement.seeds)} seeds is {direction} "
                           f"the band {ends}, but {_of_them(landed(claim, measurement.seeds, band))} in it"
                           + (f", and {_named(claim, measurement, landing)} within which {_lands(claim)}, given our "
                              "seeds, meets it" if met else ": a run of this recipe printed the claimed number"))
        if claim.expect == "refuted":  # the ledger's fault, as an out-of-date copy of the report is: the run fails
            reasons.append(f"the ledger expected a documented error ({claim.why}), but the claim reproduced: the "
                           "ledger is out of date (delete the claim's expect, why and correct)")
            return Judgement("error", "; ".join(reasons), **common)
        return Judgement("reproduced", "; ".join([*reasons, *_numerics(measurement)]), **common)
    line = _claimed_measured(claim, shown, marks) + _layer_named(claim, measurement)
    if band is not None:
        edge = band[1] if direction == "above" else band[0]  # a bound's distance is to the edge it crossed
        by = f" by {_off(claim, shown, edge if delta is None else claim.value, marks)}"
        allowed = (told if band[0] == band[1] else f"allowed {told}" if band == claim.interval
                   else f"allowed {ends} ({told})")  # an interval's own band: its words say it
        line += f", {direction}{by}; {allowed}"
        if reach is not None and meets(reach, band):  # outlier seeds', beside more on the correct value
            on_correct = (landed(claim, measurement.seeds, _band(claim, claim.correct)) if claim.correct is not None
                          else 0)
            line += (f"; {_named(claim, measurement, landing)} within which {_lands(claim)}, given our "
                     f"{len(measurement.seeds)} seeds, meets it, but {on_correct} of them land on the correct value")
        elif reach is not None:
            line += (f"; outside {_named(claim, measurement, landing)} within which {_lands(claim)}, given our "
                     f"{len(measurement.seeds)} seeds")
        line += _single_runs(claim, measurement, band) + _fewer_seeds(claim, measurement)
    documented = claim.expect == "refuted" and (claim.correct is None or _bears_out(claim, measurement, shown, reach))
    unsettled = "" if band is None else _unsettled(claim, measurement, timed, direction, documented)
    if unsettled:
        return Judgement("error", f"{line}; {unsettled}", **common)
    if timed:
        line += _timed_with(measurement)
    correct = None if band is None or claim.correct is None else _band(claim, claim.correct)
    if claim.expect == "refuted" and correct is not None and _settles(claim, measurement, shown, correct,
                                                                      reach) == "undecided":
        undecided = _undecided_seeds(claim, measurement, shown, correct, reach, claim.correct)
        return Judgement("error", f"{line}; whether it is the correct {format_number(claim.correct)} the ledger "
                         f"documents ({claim.why}) is undecided: {undecided}", **common)
    if claim.expect == "refuted" and claim.correct is not None and not _bears_out(claim, measurement, shown, reach):
        return Judgement("refuted", f"{line}; nor is it the correct {format_number(claim.correct)} the ledger "
                         f"documents ({claim.why}){_matches(claim, measurement, ledger)}{_caveats(measurement)}",
                         **common)
    if claim.expect == "refuted":
        return Judgement("known error", f"{line}; documented error: {claim.why}{_caveats(measurement)}", **common)
    return Judgement("refuted", line + _matches(claim, measurement, ledger) + _caveats(measurement), **common)


def _layer_named(claim: Claim, measurement: Measurement) -> str:
    """Of a layer claim whose number is not the measured one, its module's class, `` (layer '9' is a Dropout)``: it
    shows a path that names another layer than the author's row (one off, a Dropout's 0 parameters); else ``""``."""
    if claim.kind != "layer" or not claim.layer or not measurement.module:
        return ""
    article = "an" if measurement.module[0] in "AEIOU" else "a"
    return f" (layer {claim.layer!r} is {article} {measurement.module})"


def _claimed_measured(claim: Claim, shown: Measured, marks: tuple[float | None, ...]) -> str:
    """``claimed '88.7%' = 88.7, measured 88.2``: the printed cell as the reader saw it, its value, and the
    measurement as the report would print it, on the same side of each of ``marks`` (the band's ends, the value)."""
    claimed = _claimed(claim) if claim.value is not None else _describe_band(claim.interval)
    measured = _at(claim, shown, marks) if isinstance(shown, float) else format_number(shown)  # as printed
    return f"claimed {plain_text(claim.printed)!r} = {claimed}, measured {measured}"


def _claimed(claim: Claim) -> str:
    """The claimed value in the decimals the report printed it in, where they hold it ("106.0" = 106.0, not 106);
    in ``format_number``'s digits where it prints none, or in another unit ("100.0K" judged in units), or fewer."""
    decimals, _, _, unit = style(claim.printed)
    value = claim.value
    if (not decimals or isinstance(value, tuple) or not math.isfinite(value)
            or claim.scale == 1.0 and numerals.unit_scale(unit) != 1.0
            or Decimal(repr(value)).as_tuple().exponent < -decimals):
        return format_number(value)
    return f"{value:,.{decimals}f}"


def _matches(claim: Claim, measurement: Measurement, ledger: Iterable[Claim]) -> str:
    """What a refuted number matches, as ``; it matches <words> (count = "flops"), or <words>``; else ``""``. Of the
    other ways of counting a structural number (``siblings.readings``: another convention of its kind, another unit
    of its bytes, the model without a part), those that give the model's value within the claim's own tolerance and
    change the fewest of them; its model built with 1000 classes (``_other_classes``); a percentage read as a
    fraction of 1, or a fraction as a percentage (``_percent_or_fraction``); the measurement rounded twice
    (``_rounded_twice``); then the slips of the pen it is (``slips``): the measured count mistyped, the number
    another row of its column prints. Only a refuted claim's
    test measures the other ways; the verdict stays refuted: the number is wrong as the ledger says it was counted.
    A count of tensors (``vocab.ENTRY_COUNTS``) says so first: ``; count = "state_dict" counts state_dict entries,
    ...: tensors, not their elements``."""
    typo, twice = slips.mistyped(claim, measurement.measured), _rounded_twice(claim, measurement.measured)
    found = [*_fewest_readings(claim, measurement), *_other_classes(claim, measurement),
             *_percent_or_fraction(claim, measurement), *([twice] if twice else []),
             *([f"the measured number mistyped, {typo}"] if typo else []), *slips.copied(claim, ledger)]
    entries = (f'; count = "{claim.count}" {vocab.CONVENTION_WORDS[claim.count]}' if claim.count in vocab.ENTRY_COUNTS
               else "")
    return entries + (f"; it matches {', or '.join(found)}" if found else "")


def _rounded_twice(claim: Claim, measured: Measured) -> str:
    """Where a claim rounded to its ``digits`` is the measurement rounded to one decimal more first, as a value is
    printed from one already rounded (torchvision's GFLOPS: ``f"{_ops:.2f}"`` of ``_ops`` rounded to 3 decimals, 15.3547
    printed 15.36), it in words; else ``""``. The first rounding is read as a decimal and as the float it is (0.215 is
    the binary 0.21499..., which prints 0.21). Rounding to two or more decimals more first gives nothing this does
    not: the second rounding reads only whether what the first left ends in a 5."""
    digits = claim.tolerance.digits
    if digits is None or claim.tolerance.mode != "round" or claim.value is None or isinstance(measured, tuple):
        return ""
    exact = Decimal(repr(measured)) / Decimal(repr(claim.scale))
    firsts = printings(exact, digits + 1, "round")
    seconds = {twice for first in firsts for read in (Decimal(repr(first)), Decimal(first))
               for twice in printings(read, digits, "round")}
    if float(Decimal(repr(claim.value)).quantize(Decimal(1).scaleb(-digits))) not in seconds:  # the number, no band
        return ""
    return (f"the measurement rounded twice (to {digits + 1} decimal{'s' if digits else ''}, then to {digits}), as a "
            "value printed from a rounded one is")


def _fewest_readings(claim: Claim, measurement: Measurement) -> list[str]:
    """The words of the readings of a structural claim (``siblings.readings``) that give the model's value within
    its own tolerance, those that change the fewest of its fields."""
    readings = siblings.readings(claim)
    values = {**measurement.siblings, siblings.convention(claim): measurement.measured}
    matched = [reading for reading in readings
               if reading.convention in values and _gives(claim, values[reading.convention], reading.scale)]
    return [reading.words for reading in matched if reading.changes == matched[0].changes]


def _gives(claim: Claim, value: Measured, scale: float) -> bool:
    """Whether ``value``, read at ``scale``, gives the claim's number within its tolerance; a shape, whether it is
    the claimed one."""
    if isinstance(value, tuple):
        return value == claim.value
    return band_side(shown_value(dataclasses.replace(claim, scale=scale), value), _band(claim)) == "within"


def _other_classes(claim: Claim, measurement: Measurement) -> list[str]:
    """Where the claim's model built with ``siblings.CLASSES`` classes (measured for a refuted parameter or MAC count
    whose builder takes ``num_classes``) gives its number within its tolerance, it in words, with that count."""
    value = measurement.siblings.get(siblings.WITH_CLASSES)
    if value is None or band_side(shown_value(claim, value), _band(claim)) != "within":
        return []
    return [f"the same model with {siblings.CLASSES} classes ({format_number(value)})"]


_PERCENTAGES = ("accuracy", "gap", *numerals.FRACTIONS)
"""The kinds a report prints as a percentage or as a fraction of 1: an accuracy or a gap measured in percent, a
precision or a recall as a fraction."""


def _percent_or_fraction(claim: Claim, measurement: Measurement) -> list[str]:
    """Where a claim of ``_PERCENTAGES`` at the scale of a percentage gives the measurement within its band read as a
    fraction of 1 (an accuracy "0.99" at scale 1, measured 99.01%), or one at a fraction's read as a percentage, it
    in words with the scale that reads it so; the loader cannot tell: a gap of 0.5 points is one."""
    percent = numerals.scales("%", claim.kind)[0]
    if claim.kind not in _PERCENTAGES or claim.scale not in (percent, 100 * percent):
        return []
    fraction = claim.scale == percent
    scale = 100 * percent if fraction else percent
    if band_side(shown_value(dataclasses.replace(claim, scale=scale), measurement.measured), _band(claim)) != "within":
        return []
    unit, band = ("a fraction of 1", "fractions") if fraction else ("a percentage", "percent")
    return [f"as {unit} (scale = {numerals.scale_text(scale)}, its band in {band} too)"]


def _scatter(claim: Claim, measurement: Measurement) -> tuple[float, float]:
    """The range of the seeds, each as the report would print it."""
    shown = [shown_value(claim, seed) for seed in measurement.seeds]
    return min(shown), max(shown)


def landed(claim: Claim, seeds: Iterable[float], band: tuple[float | None, float | None]) -> int:
    """How many ``seeds``, each as the report would print it, land in the band: the judge's count, and a record's
    read back (``results.landed``)."""
    return sum(band_side(shown_value(claim, seed), band) == "within" for seed in seeds)


def _of_them(count: int) -> str:
    """``one of them lands``, ``2 of them land``."""
    return "one of them lands" if count == 1 else f"{count} of them land"


def _settles(claim: Claim, measurement: Measurement, shown: float, band: tuple[float | None, float | None],
             reach: tuple[float, float] | None) -> str:
    """Whether the measurement lands ``within`` the band, ``outside`` it, or leaves it ``undecided``. With several
    seeds it is within where something we observed lands in it: one of the seeds, for a single run's number (a run
    of the recipe printed it, wherever the interval a run lands in, ``reach``, lies); for a mean of runs, only our
    mean, none of the seeds being such a mean. Where nothing does, but the interval meets the band, widened by the
    seeds' scatter (20, 50 and 80 against 95 ±1; 20, 30 and 80 against 50 ±1), it is undecided: an error of ours,
    not a reproduction."""
    if band_side(shown, band) == "within":
        return "within"
    if reach is None:
        return "outside"
    if (claim.runs or 1) == 1 and landed(claim, measurement.seeds, band):
        return "within"  # a run of this recipe printed the number: more seeds, their interval narrower, never undo it
    return "undecided" if meets(reach, band) else "outside"


def _undecided_seeds(claim: Claim, measurement: Measurement, shown: float, band: tuple[float | None, float | None],
                     reach: tuple[float, float], value: float | None) -> str:
    """Why seeds whose interval meets the band (of the claimed ``value``, or of its ``correct`` one), with nothing we
    observed in it, decide nothing (``_settles``)."""
    direction, count = band_side(shown, band), len(measurement.seeds)
    head = (f"the mean {_at(claim, shown, (*band, value))} of {count} seeds is {direction} the band "
            f"{_band_text(claim, band, (shown, value))}")
    landing, scatter = _interval(claim, reach, band, value), _interval(claim, _scatter(claim, measurement), band, value)
    chose, more = measurement.bf16 == "auto", f"more seeds (--claims-train-seeds={2 * count})"
    tail = _fewer_seeds(claim, measurement) + _chose_bf16(measurement)
    if (claim.runs or 1) == 1:
        floored = measurement.step and metrics.floored(measurement.seeds, measurement.step)
        may = (f"{more} may reproduce it, one landing in the band, but never refute it" if chose
               or floored and _always_reaches(claim, measurement, shown, band)
               else f"{more} may: one landing in the band reproduces it, an interval that misses it refutes it")
        return (f"{head}, and no seed lands in it (their range {scatter}); only {_named(claim, measurement, landing)} "
                f"within which a single run lands, given their scatter, meets the band: {count} seeds cannot tell a "
                f"reproduction from a miss; {may}{tail}")
    head += f", but {_named(claim, measurement, landing)} within which {_lands(claim)}, given our seeds, meets it"
    always = _always_reaches(claim, measurement, shown, band)
    if always:
        limit, distance = always
        return (f"{head}, and would however many seeds ran: a mean of {claim.runs} runs lands within "
                f"±{format_spread(limit, claim.printed, claim.scale, lambda written: distance <= written)} "
                f"of ours ({_confidence(claim, measurement)}) at the least, which reaches the band; no number of seeds "
                f"decides it, only a mean of ours in the band{tail}")
    return (f"{head}: {count} seeds cannot tell a reproduction from a miss; {more} narrow the interval"
            f"{', which may reproduce it but never refute it' if chose else ''}{tail}")


def _always_reaches(claim: Claim, measurement: Measurement, shown: float,
                    band: tuple[float | None, float | None]) -> tuple[float, float] | None:
    """Where the interval a mean of the claim's ``runs`` lands in reaches the band's nearer edge however many seeds
    run (its half-width never narrows below ``metrics.prediction95_limit``, of one step at least for seeds that tie):
    that least half-width and the mean's distance to the edge, in the claim's unit; else None."""
    edge = band[1] if band_side(shown, band) == "above" else band[0]
    limit = metrics.prediction95_limit(measurement.seeds, claim.runs or 1, measurement.step) / claim.scale
    return (limit, abs(shown - edge)) if edge is not None and abs(shown - edge) <= limit else None


def _unsettled(claim: Claim, measurement: Measurement, timed: bool, direction: str, documented: bool) -> str:
    """Why a training number outside the band is no verdict against the author, known or not, or ``""``: one seed
    cannot tell a wrong number from seed-to-seed noise, nor can seeds that tie on a statistic with no step (unless
    they bear out the ledger's ``documented`` error); a run in bf16 that claimbench chose (``auto``) is not in the
    author's numerics; an epoch timed slower than the band where the machine's load is unknown may be the
    machine's time (load only slows: inside the band it may still reproduce); an epoch timed faster than the band
    may be the engine's, faster than a conventional loop, unless it is the ledger's ``documented`` error. Each is a
    failure of ours to measure (``error``); so is one measured on splits of another size than the published
    (``_not_published``)."""
    if measurement.partial_data:
        return _not_published(measurement)
    if timed and direction == "below" and not documented:
        return FASTER_ENGINE
    if timed:
        unknown = measurement.load and direction == "above"
        return f"cannot tell whether the machine was busy: {measurement.load}" if unknown else ""
    if not measurement.seeds:
        return ""
    if len(measurement.seeds) > 1 and not measurement.step and len(set(measurement.seeds)) == 1 and not documented:
        return TIED
    one, bf16, needed = len(measurement.seeds) == 1, measurement.bf16 == "auto", max(DECIDING_SEEDS, claim.runs or 1)
    why = ["one seed cannot tell a wrong number from seed-to-seed noise"] if one else []
    if bf16:
        why.append(_CHOSE_BF16)
    if one and bf16:  # either option alone leaves the other reason standing
        why.append(f"{needed} seeds in fp32 (--claims-train-seeds={needed} --claims-train-precision=fp32) decide")
    elif one:
        why.append(f"{needed} seeds (--claims-train-seeds={needed}) decide")
    elif bf16:
        why.append(_IN_FP32)
    return "; ".join(why)


def _not_published(measurement: Measurement) -> str:
    """Why a training number measured on splits of another size than the published (``partial_data``) is an error of
    ours wherever it lands, inside the band as outside it: it says nothing of the author's number, and more seeds
    would not either."""
    return (f"measured on data that is not the published split ({measurement.partial_data}; "
            "--claims-allow-unverified-data): it says nothing of the author's number")


def _chose_bf16(measurement: Measurement) -> str:
    """Where the runs trained in bf16 that ``auto`` chose, that they did and how to judge the claim in fp32, the end of
    every reason of ours they get outside the band (``_unsettled``); else ``""``."""
    return f"; {_CHOSE_BF16}; {_IN_FP32}" if measurement.bf16 == "auto" else ""


def _numerics(measurement: Measurement) -> list[str]:
    """Where a reproduced number's runs trained in bf16 autocast, that they did and who chose it, so that the claim's
    own note says which numerics reproduced it (the report's devices row only counts them); else nothing."""
    if measurement.bf16 == "auto":
        return [_CHOSE_BF16]
    return ["trained in bf16 autocast, as --claims-train-precision=bf16 asked"] if measurement.bf16 == "asked" else []


def _caveats(measurement: Measurement) -> str:
    """What a verdict against the author rests on that the author did not use: bf16 the user asked for, data whose
    checksums differ from the published ones (what differs, its ``data_finding``, where the measurement has it);
    else ``""``. A CI annotation or a JUnit message shows this line alone, without the warnings or the report's
    marks."""
    unverified = (f"; measured on unverified data (--claims-allow-unverified-data): {measurement.data_finding}"
                  if measurement.data_finding else "; measured on unverified data (checksums that differ from the "
                  "published ones, run with --claims-allow-unverified-data)")
    return ("; trained in bf16 autocast, as --claims-train-precision=bf16 asked" if measurement.bf16 == "asked"
            else "") + (unverified if measurement.unverified_data else "")


def _timed_with(measurement: Measurement) -> str:
    """What an epoch time judged against the author rests on: claimbench's engine, not the author's loop (how it
    compares is README's measurement, named, not copied here), and, on an accelerator, a load by other
    processes that nothing measured."""
    load = ", on a device whose load by other processes was not measured" if measurement.on_accelerator else ""
    return ("; timed with claimbench's own engine, not the author's loop (measured against a conventional DataLoader "
            f"loop: README, The training engine){load}")


def _fewer_seeds(claim: Claim, measurement: Measurement) -> str:
    """Where fewer seeds ran than the runs the author's number averages (``--claims-train-seeds`` overrode them),
    saying so; else ``""``."""
    runs, count = claim.runs or 1, len(measurement.seeds)
    if not 0 < count < runs:
        return ""
    return (f"; the author's number is the mean of {runs} runs, and {count} seed{'s' * (count != 1)} ran "
            f"(--claims-train-seeds={count} overrode runs = {runs})")


def _lands(claim: Claim) -> str:
    """What the interval of ``_reach`` holds: a single run of the recipe, or the mean of the author's runs."""
    runs = claim.runs or 1
    return "a single run lands" if runs == 1 else f"a mean of {runs} runs, as the author's, lands"


def confidence(seeds: Sequence[float], step: float, printed: str, scale: float) -> str:
    """What the interval a run lands in (``_reach``) holds: 95% of such runs, given the ``seeds``' scatter; where they
    scatter less than one ``step`` of their statistic (``metrics.floored``: tied seeds), which tells only that a run's
    scatter is under a step or so, not that it is 0, 95% for a scatter of one step, which it takes as theirs (in the
    unit of a claim ``printed`` at ``scale``)."""
    if not step or not metrics.floored(seeds, step):
        return "95%"
    written = format_spread(step / scale, printed, scale)
    return f"95% with the seeds' scatter taken as one step of the statistic, {written}, as they scatter less"


def _confidence(claim: Claim, measurement: Measurement) -> str:
    """``confidence`` of the measurement's seeds, for the claim."""
    return confidence(measurement.seeds, measurement.step, claim.printed, claim.scale)


def _named(claim: Claim, measurement: Measurement, landing: str) -> str:
    """The interval ``landing`` where a run lands, named by what it holds (``confidence``): ``the 95% interval
    [59.51, 61.49]``, or ``the interval [45, 55] (95% with the seeds' scatter taken as one step ...)``."""
    held = _confidence(claim, measurement)
    return f"the 95% interval {landing}" if held == "95%" else f"the interval {landing} ({held})"


def _interval(claim: Claim, interval: tuple[float, float], band: tuple[float | None, float | None],
              value: float | None) -> str:
    """An interval of measurements as ``format_interval`` writes it for the claim, each end on its side of the
    ``band`` and of the claimed ``value``: ``[57.9, 65.24]``."""
    return format_interval(interval, claim.printed, claim.scale, (*band, value))


def _undecided(claim: Claim, measurement: Measurement, shown: float, band: tuple[float | None, float | None],
               noise: tuple[float, float]) -> str:
    """Why timed epochs whose range (``_noise``) crosses an edge of the band decide nothing: they are too spread."""
    where = "inside" if (side := band_side(shown, band)) == "within" else side
    return (f"the timed epochs are too spread to judge: their median {_at(claim, shown, (*band, claim.value))} is "
            f"{where} the band {_band_text(claim, band, (shown, claim.value))}, but their range "
            f"{_interval(claim, noise, band, claim.value)} over {len(measurement.seeds)} timed epochs crosses its "
            f"edge{_single_runs(claim, measurement, band)}; time them on an otherwise idle machine")


def _as_printed(claim: Claim, interval: tuple[float, float]) -> tuple[float, float]:
    """An interval of values as the report would print its ends, at the claim's decimals (none given: as it is):
    printing is monotone, so a value inside it prints inside what it gives; of a tie's two prints, the outer one."""
    if claim.tolerance.digits is None:
        return interval
    digits, mode = claim.tolerance.digits, claim.tolerance.mode
    return (min(printings(Decimal(repr(interval[0])), digits, mode)),
            max(printings(Decimal(repr(interval[1])), digits, mode)))


def _at(claim: Claim, value: float, marks: Iterable[float | None]) -> str:
    """A measured value (a mean, a median) at the digits the claim says it was printed in ("83.0" for a claim printed
    "84.6"), else in one decimal more than it prints (``printed_style.finer``: 62.4 beside "60%", not 62.3718), in
    more where fewer would put it on another side of one of ``marks`` (the band's ends, the claimed value) than it
    lies (61.002 above [59, 61], not 61.00); a count, or a shape, as it is."""
    digits = claim.tolerance.digits
    if digits is not None:
        return f"{value:,.{digits}f}"
    return _sided(value, claim.printed, claim.scale, marks) if isinstance(value, float) else format_number(value)


def _off(claim: Claim, shown: float, base: float, marks: Iterable[float | None]) -> str:
    """How far the measurement ``shown`` lies from ``base`` (the claimed value, or the edge of a bound it crossed):
    exact where the claim gives the digits it was printed in (``shown`` is rounded to them), in those digits as
    ``_at`` writes ``shown`` (82.2 above "80.2 KB" is off by 2.0, not 2), or more where ``base`` has more; else as
    ``_at`` writes ``shown``, in as many more decimals as it takes for ``base`` that far off to lie on the side of
    each of ``marks`` that ``shown`` does (59.99996 below "at least 60%" is off by 0.00004, not 0.0); a count's,
    exact."""
    off = _decimal_sum(shown, base, -1)
    if claim.tolerance.digits is not None:
        decimals = max(claim.tolerance.digits, -min(0, Decimal(repr(off)).as_tuple().exponent))
        return f"{abs(off):,.{decimals}f}"
    if not isinstance(shown, float):
        return format_number(abs(off))
    lies = sides(shown, marks)
    return _finer(abs(off), claim.printed, claim.scale,
                  lambda written: sides(_decimal_sum(base, math.copysign(written, off)), marks) == lies)


def _single_runs(claim: Claim, measurement: Measurement, band: tuple[float | None, float | None]) -> str:
    """How many seeds (or timed epochs) land in the band on their own, where several ran."""
    if len(measurement.seeds) < 2:
        return ""
    runs = "timed epochs" if claim.kind == "epoch_time" else "seeds"
    count = landed(claim, measurement.seeds, band)
    return f"; {count} of the {len(measurement.seeds)} {runs} on their own land in the band"


def _bears_out(claim: Claim, measurement: Measurement, shown: Measured, reach: tuple[float, float] | None) -> bool:
    """Whether the measurement is the correct value the ledger documents for a claim's known error: lands within
    its band as a claim's value would (``_settles``: undecided is no)."""
    if isinstance(shown, tuple) or isinstance(claim.correct, tuple):
        return shown == claim.correct
    return _settles(claim, measurement, shown, _band(claim, claim.correct), reach) == "within"


def _unjudged(claim: Claim) -> dict[str, Any]:
    """The band and tolerance of a claim judged without a measurement: the reader still sees what would pass."""
    if isinstance(claim.value, tuple):
        return {}
    return {"band": _band(claim), "tolerance": describe_tolerance(claim.tolerance, claim.interval)}


def judge(claim: Claim, observation: Observation, ledger: Iterable[Claim] = ()) -> Judgement:
    """The verdict on ``claim`` given how its test ended; the only place a verdict is decided. ``ledger``: the claims
    a refutation looks among for another row of its column that prints the same number."""
    measurement = observation.measurement
    if claim.status == "unverifiable":
        return Judgement("unverifiable", claim.why or "", **_unjudged(claim))
    if observation.failure is not None:  # a measurement the judge could not use is kept beside it, its seeds too
        own = None if measurement is None else judge(claim, Observation(measurement))
        if own is not None and own.verdict == "error" and own.reason == observation.failure:
            return own  # the judge's own error (one seed, undecided seeds, timed epochs too spread): its figures kept
        kept = {} if measurement is None else {"measured": measurement.measured, "seeds": measurement.seeds,
                                               "spread": measurement.spread or None,
                                               "unverified_data": measurement.unverified_data,
                                               "data_finding": measurement.data_finding}
        return Judgement("error", observation.failure, **kept, **_unjudged(claim))
    if measurement is None:
        return Judgement("not run", observation.skipped or "", **_unjudged(claim))
    if isinstance(measurement.measured, float) and not math.isfinite(measurement.measured):
        return Judgement("error", f"the measurement is not a finite number: {measurement.measured}",
                         **_unjudged(claim))
    disagreement = counters_disagree(measurement.counters)
    if disagreement:
        return Judgement("error", disagreement, measured=measurement.measured, **_unjudged(claim))
    return _measured(claim, measurement, ledger)


def counters_disagree(counters: Mapping[str, Measured]) -> str:
    """The one-line reason when independent counters of one quantity give different values, else ``""``."""
    if len(set(counters.values())) < 2:
        return ""
    listing = ", ".join(f"{name} {format_number(value)}" for name, value in sorted(counters.items()))
    return f"counters disagree after corrections: {listing}"


def check(claim: Claim, measurement: Measurement, ledger: Iterable[Claim] = ()) -> Judgement:
    """Judge a fresh measurement in a test (``ledger`` as ``judge`` takes it): return the judgement, or raise on a
    mismatch or an error."""
    result = _usable(judge(claim, Observation(measurement), ledger), measurement)
    if result.verdict in ("refuted", "known error"):
        raise (KnownError if result.verdict == "known error" else ClaimMismatch)(result.reason)
    return result


def usable(claim: Claim, measurement: Measurement) -> None:
    """Raise the error of ours a measurement comes to (counters that disagree, one seed outside the band, timed
    epochs too spread, a number that is not finite), known as soon as it is measured, before anything is judged
    against the claim."""
    _usable(judge(claim, Observation(measurement)), measurement)


def _usable(result: Judgement, measurement: Measurement) -> Judgement:
    """The judgement, unless it is an error: then its ``MeasurementError``."""
    if result.verdict == "error":
        raise (CounterDisagreement if counters_disagree(measurement.counters) else MeasurementError)(result.reason)
    return result


def follows(record: Mapping[str, Any], claim: Claim) -> bool:
    """Whether a results record (read back: carried over, re-rendered, compared) has the verdict the judge gives, on
    ``claim``, the measurement it keeps (its number, seeds and their ``step``), and, where it shows one, the judge's
    interval a run lands in (``reach``). A verdict on no number (an error, not run, unverifiable) follows; a checked
    one whose number or seeds are no measurement does not."""
    if record.get("verdict") not in CHECKED:
        return True
    measured, seeds, reach = _tuple(record.get("measured")), record.get("seeds") or [], record.get("reach")
    if (isinstance(measured, bool) or not isinstance(measured, (int, float, tuple)) or not isinstance(seeds, list)
            or not all(isinstance(seed, (int, float)) for seed in seeds)):
        return False
    step = record.get("step") or 0.0
    if isinstance(step, bool) or not isinstance(step, (int, float)):
        return False
    judged = judge(claim, Observation(Measurement(measured, seeds=tuple(seeds), step=step)))
    same_reach = reach is None or (judged.reach is not None and isinstance(reach, list) and len(reach) == 2 and all(
        isinstance(then, (int, float)) and math.isclose(now, then, rel_tol=1e-9, abs_tol=1e-12)
        for now, then in zip(judged.reach, reach)))
    return judged.verdict == record["verdict"] and same_reach
