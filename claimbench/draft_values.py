"""What a number a report prints claims: its value and scale, or a bound, and its tolerance; a TODO where only the
author knows its unit or the band a re-run may land in. Torch-free."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from claimbench import draft_text, numerals, vocab
from claimbench.toml_lines import Guess, todo

__all__ = ["APPROXIMATE_BAND", "BOUND_COUNT_UNIT", "COUNT_UNIT", "FRACTION_BAND", "FRACTION_KINDS",
           "FRACTION_OR_PERCENT_BAND", "FRACTION_OR_PERCENT_SCALE", "FRACTION_SCALE", "KIND_UNIT", "PERCENT_KINDS",
           "PERCENT_OR_FRACTION_BAND", "PERCENT_OR_FRACTION_SCALE", "RELATIVE_BAND", "RELATIVE_KINDS", "RUNS",
           "SIZE_UNIT", "TIME_UNIT", "TRAINED", "TRAINING_BAND", "UNIT_TODOS", "UNKNOWN_FRACTION_BAND",
           "UNKNOWN_KIND_BAND", "as_printed", "claimed", "fractions", "in_base_units", "near_bound", "nearly",
           "percent_or_fraction", "runs", "spread_said", "tolerance_keys"]

TRAINED = (*vocab.TRAINING_KINDS, "epoch_time")
"""The kinds a re-run trains (or times) for: no re-run lands on the printed digits."""

TRAINING_BAND = todo("the band a re-run may land in, in the printed unit (e.g. abs = 2)")
RUNS = todo("how many runs the printed mean averages (e.g. 5; 1 for a single run's number): the seeds a re-run "
            "trains, and the N of the interval a mean of N lands in")
"""The ``runs`` of a trained number printed with a spread ("90.8 ± 0.3"), where no words near it count them: a mean
of several runs judged as one run's number would be held to a single run's scatter."""
RELATIVE_BAND = todo("the band a re-run may land in, as a fraction of the claim (e.g. rel = 0.1)")
RELATIVE_KINDS = ("loss", "epoch_time")
"""The kinds whose band is relative (the ledger format's section 3): a loss, or a time, scales with itself."""
FRACTION_BAND = todo("the band a re-run may land in, in the printed unit: a fraction of 1 here (e.g. abs = 0.02 for "
                     "2 points)")
"""The band of an accuracy printed as a fraction of 1 ("0.9142"): 2 would take any re-run."""
UNKNOWN_KIND_BAND = todo("a band if it is trained or timed: abs in the printed unit for an accuracy-like kind (e.g. "
                         "abs = 2), or rel instead for a loss or a time (e.g. rel = 0.1); else delete this key")
"""The band of a number with decimals whose kind the draft leaves to the author: filled in as an accuracy, it
would be exact, and no re-run lands on the same digits."""
FRACTION_SCALE = todo("100 if these are accuracies or gaps printed as fractions of 1, with a band in fractions (abs = "
                      "0.02 for 2 points); else delete this line")
"""The scale of a number of unknown kind that its column prints as a fraction of 1 ("0.89033" under "Public LB"):
filled in as an accuracy at scale 1, it would be 0.89%."""
UNKNOWN_FRACTION_BAND = todo("a band if it is trained or timed, in the printed unit: a fraction of 1 here for an "
                             "accuracy (e.g. abs = 0.02 for 2 points), or rel instead for a loss or a time (e.g. rel "
                             "= 0.1); else delete this key")
"""The band of a number of unknown kind printed as a fraction of 1: ``UNKNOWN_KIND_BAND``'s "abs = 2" would take any
re-run."""
PERCENT_KINDS = ("accuracy",)
"""The kinds measured in percent that a report may print as fractions of 1 ("0.9142" under "Val accuracy")."""
PERCENT_OR_FRACTION_SCALE = todo("100 if this is a fraction of 1 (its column prints percentages above 1 beside it), "
                                 "1 if it is a percentage")
"""The scale of an accuracy printed at most 1 with no unit in a column that prints others above 1 ("0.859" under
"85.1"): a fraction of 1 at scale 1 would be refuted by every re-run, a percentage at scale 100 too."""
PERCENT_OR_FRACTION_BAND = todo("the band a re-run may land in, in the printed unit: a fraction of 1 at scale 100 "
                                "(e.g. abs = 0.02 for 2 points), a percentage at scale 1 (e.g. abs = 2)")
"""The band of a number whose scale is ``PERCENT_OR_FRACTION_SCALE``: its unit is the author's to say."""
FRACTION_KINDS = ("precision", "recall")
"""The kinds measured as fractions of 1 that a report may print in percent with no "%" ("85.1" under "Precision"):
one above 1 is a percentage, as no fraction of 1 is."""
FRACTION_OR_PERCENT_SCALE = todo("0.01 if this is a percentage (its column prints numbers above 1 beside it), 1 if "
                                 "it is a fraction of 1")
"""The scale of a precision or recall printed at most 1 with no unit in a column that prints others above 1 ("0.859"
under "85.1"): a percentage at scale 1 would be refuted by every re-run, a fraction of 1 at scale 0.01 too."""
FRACTION_OR_PERCENT_BAND = todo("the band a re-run may land in, in the printed unit: a percentage at scale 0.01 "
                                "(e.g. abs = 2), a fraction of 1 at scale 1 (e.g. abs = 0.02 for 2 points)")
"""The band of a number whose scale is ``FRACTION_OR_PERCENT_SCALE``: its unit is the author's to say."""
SIZE_UNIT = todo("the bytes in one printed unit: 1e6 for MB, 1048576 for MiB, 1.024e6 for KiB / 1000 (Windows' MB), "
                 "1 for bytes")
"""The scale of a size printed with no unit, in the cell or its header."""
COUNT_UNIT = todo("the count in one printed unit: 1e6 for millions (M), 1e9 for billions (G), 1e3 for thousands (K)")
"""The scale of a parameter or MAC count printed with decimals and no unit ("3.21" under "param_count"): nobody has
3.21 parameters."""
BOUND_COUNT_UNIT = todo("the count in one printed unit: 1e3 for thousands (K), 1e6 for millions (M), 1e9 for "
                        "billions (G), 1 for single parameters or MACs")
"""The scale of a bound on a parameter or MAC count printed whole and with no unit ("<100" under "Params"): 100
parameters, or 100 thousand?"""
TIME_UNIT = todo("the seconds in one printed unit: 1 for s, 0.001 for ms, 60 for min, 3600 for h")
"""The scale of a time printed with no unit, in the cell or its header ("843" under "Epoch time")."""
KIND_UNIT = todo("what one printed unit is in the unit of the kind given above: 1e6 for millions of parameters (M), "
                 "1e9 for billions of MACs (G), 1e6 for MB (1048576 for MiB), 0.001 for ms; 1 for a percentage, a "
                 "loss or seconds")
"""The scale of a number with decimals and no unit whose kind the draft leaves to the author ("11.7" under
"Complexity"): filled in at scale 1, a count in millions would be refuted by every right count."""
UNIT_TODOS = (SIZE_UNIT, COUNT_UNIT, BOUND_COUNT_UNIT, TIME_UNIT)
"""The scales of a number whose unit the report does not name: a whole one is a whole number of that unit."""
APPROXIMATE_BAND = todo("the band the report's '~', '≈' or 'about' allows, in the printed unit (e.g. abs = 1000 "
                        "for '~25,000'), or rel instead (e.g. rel = 0.05)")
"""The band of a number the report marks approximate ("~25,000", "about 25,000") whose printed digits give none:
exact would contradict the mark, and how far it reaches only the author can say."""


def fractions(numbers: list[numerals.Number]) -> bool:
    """Whether ``numbers`` (of one column, or one number of the text) read as fractions of 1: no unit ("%" in a
    cell or the header), every one in [0, 1], one at least with decimals; of an accuracy or a gap, or of a column
    that names no kind ("Public LB")."""
    return (bool(numbers) and all(number.unit is None and not isinstance(number.value, list) for number in numbers)
            and all(0 <= end <= 1 for number in numbers for end in _ends(number))
            and any(number.digits for number in numbers))


def percent_or_fraction(numbers: list[numerals.Number]) -> list[bool]:
    """Which of ``numbers`` (of one column of accuracies) may be a fraction of 1 or a percentage: each with no unit
    in [0, 1], where another prints a percentage ("85.1", or "85.1%"), which makes none of the others one."""
    plain = [number.unit is None and not isinstance(number.value, list) for number in numbers]
    percent = any(number.unit == "%" or (alone and max(_ends(number)) > 1) for number, alone in zip(numbers, plain))
    return [percent and alone and all(0 <= end <= 1 for end in _ends(number)) for number, alone in zip(numbers, plain)]


def _ends(number: numerals.Number) -> list[float]:
    """A number's value, or a range's two ends."""
    return list(number.value) if isinstance(number.value, tuple) else [number.value]  # type: ignore[list-item]


def claimed(number: numerals.Number, quantity: str | None, fraction: str | None = None, counted: bool = False,
            named: bool = False) -> dict[str, object]:
    """``value`` and ``scale``, or a bound (``above``/``below``, or a range's ``between``) in base units with no
    scale. ``fraction``: what prints a percentage as a fraction of 1 ("the column"), read as such with a comment;
    ``counted``: the column prints its counts in a unit it does not name, whole ones too; ``named``: the words after
    the number say what it counts ("<100 params": single ones). A number of unknown kind its column prints as a
    fraction of 1 (``fraction``) asks whether it is a percentage, and one with decimals and no unit (``KIND_UNIT``)
    in what unit it is printed. A size, a time or a count in a unit nobody names
    ("4.9", "<900" under "Epoch time", "3.21" under "param_count") is written as printed, with a ``scale`` TODO."""
    unnamed = number.unit is None and not isinstance(number.value, list)
    if unnamed and quantity in ("size", "epoch_time"):  # "4.9" MB? "843" ms? "<900" s?
        return as_printed(number, SIZE_UNIT if quantity == "size" else TIME_UNIT)
    if unnamed and quantity in ("params", "macs") and (number.digits or counted):
        return as_printed(number, COUNT_UNIT)  # "3.21" parameters: millions, most likely
    if unnamed and quantity in ("params", "macs") and number.bound and not named:
        return as_printed(number, BOUND_COUNT_UNIT)  # "<100" parameters: thousands?
    if unnamed and quantity in FRACTION_KINDS and max(_ends(number)) > 1:
        return _percent_claimed(number, quantity)
    if fraction and quantity is None and not number.bound:
        return {"value": number.value, "scale": FRACTION_SCALE}
    if unnamed and quantity is None and number.digits:  # "11.7" under "Complexity": millions of parameters?
        return as_printed(number, KIND_UNIT)
    if fraction and quantity is not None:
        return _fraction_claimed(number, fraction)
    scale = numerals.scales(number.unit, quantity or "")[0] if number.unit else 1.0  # a precision's "%": 0.01
    if isinstance(number.value, tuple):
        return {"between": [in_base_units(end, scale) for end in number.value]}
    if number.bound and not isinstance(number.value, list):
        return {number.bound: in_base_units(number.value, scale)}
    return {"value": number.value, **({"scale": scale} if scale != 1.0 else {})}


def as_printed(number: numerals.Number, scale: object) -> dict[str, object]:
    """``value`` (or the bound: ``above``, ``below``, a range's ``between``) in the printed unit, and ``scale``: the
    interval of a bound is in the claim's unit (``measured / scale``) too."""
    if isinstance(number.value, tuple):
        return {"between": list(number.value), "scale": scale}
    return {number.bound or "value": number.value, "scale": scale}


def near_bound(claimed: dict[str, object], printed: str, near: bool) -> dict[str, object]:
    """A ``near`` bound ("a little over 60%", "nearly 95%") as an interval whose far end only the author can give: an
    open bound would take 99% for "a little over 60%"; a bound read with a comment keeps it."""
    if not near or not claimed.keys() & {"above", "below"}:
        return claimed
    far, bound = todo(f"how far {printed!r} reaches, in the claim's unit"), claimed.get("above", claimed.get("below"))
    end = bound.value if isinstance(bound, Guess) else bound
    between = [end, far] if "above" in claimed else [far, end]
    return {"between": Guess(between, bound.comment) if isinstance(bound, Guess) else between,
            **{key: value for key, value in claimed.items() if key not in ("above", "below")}}


def nearly(printed: str) -> bool:
    """Whether a cell's word makes its number a near bound by itself: "nearly 95%", "almost 1.2M" (``NEARLY``)."""
    return bool(re.match(rf"(?i:{'|'.join(numerals.NEARLY)})\b", numerals.plain_text(printed).strip()))


def _fraction_claimed(number: numerals.Number, where: str) -> dict[str, object]:
    """An accuracy or a gap printed as a fraction of 1 ("0.9142"), read as the percentage claimbench measures
    (scale 100, or a bound in percent), with a comment that says so and what ``where`` in percent would give."""
    percent = functools.partial(in_base_units, scale=100.0)
    if isinstance(number.value, tuple):
        ends = [percent(end) for end in number.value]
        return {"between": Guess(ends, f"read as fractions of 1 ({'-'.join(map(str, number.value))} = "
                                       f"{'-'.join(map(str, ends))}%); {list(number.value)} if {where} is in percent")}
    if number.bound:
        shown = percent(number.value)
        return {number.bound: Guess(shown, f"read as a fraction of 1 ({number.value} = {shown}%); {number.value} if "
                                           f"{where} is in percent")}
    return {"value": number.value, "scale": Guess(100.0, f"read as a fraction of 1 ({number.value} = "
                                                          f"{percent(number.value)}%); 1 if {where} is in percent")}


def _percent_claimed(number: numerals.Number, kind: str) -> dict[str, object]:
    """A precision or recall printed above 1 with no unit ("85.1"): the percentage it must be, as no fraction of 1 is
    above 1 (scale 0.01, or a bound in the fraction claimbench measures), with a comment that says so."""
    fraction = functools.partial(in_base_units, scale=0.01)
    why = f"read as a percentage: a {kind} as a fraction of 1 is at most 1"
    if isinstance(number.value, tuple):
        return {"between": Guess([fraction(end) for end in number.value], why)}
    if number.bound:
        return {number.bound: Guess(fraction(number.value), why)}
    return {"value": number.value, "scale": Guess(0.01, why)}


def tolerance_keys(number: numerals.Number, kind: str | None, fraction: bool = False, unnamed: bool = False,
                   unsure: bool = False, said: tuple[str, str, str] | None = None) -> dict[str, object]:
    """Compare after rounding to the printed decimals ("188K": to whole thousands); integers and bounds are exact,
    but in a unit the report does not name (``unnamed``: whole megabytes, thousands, milliseconds).
    A trained or timed number needs a band only the author can give: no re-run lands on the same digits (a
    ``fraction`` of 1's in fractions, an ``unsure`` one's in the unit its scale TODO asks for), and one of unknown
    kind with decimals a TODO to give one or delete it. A printed spread ("88.7 ± 0.3") is the author's own band,
    with a note to say what it is, or what the words around it ``said`` it is (``spread_said``), and, of a training
    kind, that ``runs`` counts the runs of its mean. A number the report marks approximate ("~10.1M") says so in a
    note (``_approximate``)."""
    keys = _band(number, kind, fraction, unnamed, unsure, said)
    return _approximate(number, keys) if number.approximate else keys


def _approximate(number: numerals.Number, keys: dict[str, object]) -> dict[str, object]:
    """``keys`` (``_band``'s) of a number its report marks approximate ("~10.1M", "about 10.1M"), and a note that
    says so and which band the draft took: the one its printed digits give (what rounds to 10.1), as a wider one
    would be a guess; where they give none ("~25,000"), a band TODO, as exact would contradict the mark; a bound's
    is as printed, and a number's with a spread ("≈1.2 ± 0.1") that spread. The note states facts, as REPORT.md
    prints it; how far the mark reaches is the author's to say, which a comment on the band, for the ledger's editor
    alone, asks."""
    band = keys.get("tolerance")
    tolerance: dict[str, object] = dict(band) if isinstance(band, dict) else {}
    mark = repr(number.approximate)
    said = f"The report marks this number approximate ({mark})"
    ask = None
    if number.bound:
        note = f"{said}: drafted as the bound it prints, with no band around it"
    elif number.spread is not None:
        note = f"{said}: drafted with its printed spread as the band, as without {mark}"
        ask = f"widen this band if {mark} allows more than the printed spread, and edit the note"
    elif tolerance.keys() & {"abs", "rel"}:
        note, ask = said, f"the band asked for should hold what {mark} allows"
    elif tolerance:
        note = (f"{said}: drafted with the band its printed digits give, as without {mark} (tolerance.digits = "
                f"{tolerance['digits']}: what rounds to {number.value} in the printed unit)")
        ask = f"how far {mark} reaches is the author's to say: widen this band with abs or rel, and edit the note"
    else:
        tolerance["abs"] = APPROXIMATE_BAND
        note = f"{said}: its printed digits give no band, and exact would contradict {mark}"
    noted = f"{note}. {keys['note']}" if "note" in keys else f"{note}."
    return {**({"tolerance": Guess(tolerance, ask) if ask else tolerance} if tolerance else {}), "note": noted}


def _band(number: numerals.Number, kind: str | None, fraction: bool, unnamed: bool, unsure: bool,
          said: tuple[str, str, str] | None = None) -> dict[str, object]:
    """``tolerance_keys``'s band (and a spread's note) of a number as if its report did not mark it approximate."""
    if number.bound:
        return {}
    digits = 0 if number.digits is None and unnamed else number.digits
    tolerance: dict[str, object] = {"digits": digits} if digits is not None else {}
    if number.spread is not None:
        return {"tolerance": tolerance | {"abs": number.spread}, "note": _spread_note(number.spread, kind, said)}
    if kind in RELATIVE_KINDS:
        tolerance["rel"] = RELATIVE_BAND
    elif unsure:
        tolerance["abs"] = FRACTION_OR_PERCENT_BAND if kind in FRACTION_KINDS else PERCENT_OR_FRACTION_BAND
    elif fraction or (kind in FRACTION_KINDS and number.unit is None and max(_ends(number)) <= 1):
        tolerance["abs"] = FRACTION_BAND if kind else UNKNOWN_FRACTION_BAND
    elif kind in TRAINED:
        tolerance["abs"] = TRAINING_BAND
    elif kind is None and number.digits:
        tolerance["abs"] = UNKNOWN_KIND_BAND
    return {"tolerance": tolerance} if tolerance else {}


def _spread_note(spread: float, kind: str | None, said: tuple[str, str, str] | None) -> str:
    """The note of a number printed with a ``spread``: the author's own, taken as the band; what it is where the words
    around it ``said`` so (what, the words, where), else a request to check it."""
    if said:
        what, words, where = said
        taken = f"{what}, as {words!r} in {where} says, taken as the band (tolerance.abs): widen it if need be"
    else:
        taken = ("taken as the band (tolerance.abs): check what it is (a std over runs, a standard error, a 95% "
                 "interval) and widen it if need be")
    return (f"The printed ± {spread:g} is the author's own spread, {taken}"
            + ("; runs is how many runs the printed mean averages." if kind in vocab.TRAINING_KINDS else "."))


_SPREAD_WORDS = (("a standard deviation", re.compile(r"(?i:(?<!\w)(?:standard[\s-]+deviations?|std|s\.d\.)(?!\w))"
                                                     r"|(?<!\w)SDs?(?!\w)")),
                 ("a standard error", re.compile(r"(?i:(?<!\w)(?:standard[\s-]+errors?|s\.e\.(?:m\.)?)(?!\w))"
                                                 r"|(?<!\w)SEM(?!\w)")),
                 ("a confidence interval", re.compile(r"(?i:(?<![\w.])\d+(?:\.\d+)?\s*%\s*(?:confidence\s+)?"
                                                      r"intervals?|(?<!\w)confidence\s+intervals?)|(?<!\w)CIs?(?!\w)")))
"""What a printed spread ("± 0.3") may be, by the words that say so: "mean and standard deviation", "std", "SD";
"standard error", "SEM"; "95% interval", "confidence interval", "CI"."""


def spread_said(places: list[tuple[str, str]]) -> tuple[str, str, str] | None:
    """(what, the words, where) of the nearest of ``places`` ((where, text), nearest first) whose words say what a
    printed spread is (``_SPREAD_WORDS``); None where none does, or the nearest says several."""
    for where, text in places:
        found = _spread_words(text)
        if len(found) == 1:
            ((what, words),) = found
            return what, words, where
        if found:
            return None
    return None


@functools.lru_cache(maxsize=1024)
def _spread_words(text: str) -> tuple[tuple[str, str], ...]:
    """(what, the words) of each of ``_SPREAD_WORDS`` that ``text`` says; once a text, as a table's captions are a
    place of each of its cells."""
    plain = numerals.plain_text(text)
    return tuple((what, match.group()) for what, pattern in _SPREAD_WORDS if (match := pattern.search(plain)))


def runs(kind: str | None, number: numerals.Number, places: list[tuple[str, str]],
         unsure: tuple[str, ...] = ()) -> dict[str, object]:
    """``runs`` of a claim of a kind that takes it (a training kind): the count of runs the nearest of ``places``
    ((where, text), nearest first) to name one names, with a comment that quotes it; a TODO where that place names
    several, or is among ``unsure`` (its count may be another model's), where it names a best of runs (no single
    run's number, nor a mean's), or where none names one and ``number`` prints a spread (a mean of runs, most
    likely); else nothing."""
    if kind not in vocab.TRAINING_KINDS:
        return {}
    for where, text in places:
        found = _run_counts(text)
        if len({count for count, _ in found}) == 1 and where not in unsure:
            return {"runs": Guess(found[0][0], f"read from {found[0][1]!r} in {where}")}
        if found:
            named = " and ".join(repr(words) for _, words in found)
            return {"runs": todo(f"how many runs the printed number averages: {named} in {where}")}
        if best := _run_counts(text, best=True):
            return {"runs": todo(f"{best[0][1]!r} in {where} is no mean of runs: each seed is judged as a single run, "
                                 "which lands below a best of several; delete runs, and give between = [LOW, the "
                                 "printed value] for what a single run prints, or delete the claim")}
    return {"runs": RUNS} if number.spread is not None else {}


@functools.lru_cache(maxsize=1024)
def _run_counts(text: str, *, best: bool = False) -> tuple[tuple[int, str], ...]:
    """``draft_text.run_counts``, once a text, as a table's captions are a place of each of its cells."""
    return tuple(draft_text.run_counts(text, best=best))


def in_base_units(value: float, scale: float) -> int | float:
    """``value · scale`` in decimal arithmetic, as an int when it is one: 100 · 1e3 is 100000, 57 · 0.01 is 0.57
    (not 0.5700000000000001)."""
    product = Decimal(repr(value)) * Decimal(repr(scale))
    return int(product) if product == product.to_integral_value() else float(product)
