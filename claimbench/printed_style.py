"""How a report printed a claim's number (its decimals, thousands separators and unit), and a figure derived from a
measurement written to that precision and one decimal more: a band's half-width, a spread, the ends of an interval;
where a number lies against a band, and the fewest decimals that keep it there.

Imports neither pytest nor torch; below ``verdict`` and ``value_text``, which both write by it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from claimbench import numerals

__all__ = ["MAX_DECIMALS", "band_side", "digits_problem", "fewest_decimals", "finer", "printed_decimals", "sides",
           "style"]

MAX_DECIMALS = 15
"""The most decimals a value is written in to show which side of its band it lies on."""

_NUMBER = re.compile(rf"(?<![\d.,]){numerals.NUMERAL}")
"""A printed number, in any form ``numerals`` reads: "1,234.5", "82,35", "11 173 962"."""
_POWER = re.compile(numerals.POWER)
_UNIT = re.compile(rf"\s?(?:(?P<unit>(?i:{numerals.UNIT}))(?:\s*{numerals.NOUN})?|[A-Za-z]{{1,3}})(?![A-Za-z])")
"""The unit printed after a number: one ``numerals`` reads, in any case, with its noun ("%", " MB", " MFLOPs",
" Million parameters"), else a short word ("pp")."""


def style(printed: str) -> tuple[int | None, bool, str, str]:
    """How the report printed its number, as ``numerals.parse`` reads its text ("1m 12s" as "72 s", "94.1 (ours)" as
    "94.1"): decimals, thousands separators (where its whole part has fewer than four digits, which does not show
    whether the report groups them, they are used: "10" beside 62,006 measured), the suffix it printed its unit in
    (a power of ten's: "e5" of "2.35e5"), and the unit."""
    text = numerals.cell_text(printed)
    match = _NUMBER.search(text)
    if match is None:
        return None, False, "", ""
    whole, _, decimals = numerals.readable(match.group()).lstrip("+-").partition(".")
    thousands = len(whole) < 4 or not match.group().lstrip("+-").startswith(whole)
    if power := _POWER.match(text, match.end()):
        return len(decimals), thousands, power.group(), numerals.powered(match.group(), power.group()).unit or ""
    unit = _UNIT.match(text, match.end())
    suffix, named = (unit.group(0), _spelt(unit["unit"] or "")) if unit else ("", "")
    return len(decimals), thousands, suffix, named


def _spelt(unit: str) -> str:
    """The unit of ``numerals.UNITS`` a printed unit is, as printed or in lower case ("Million": million); "" where
    it is none ("mb")."""
    return next((spelt for spelt in (unit, unit.lower()) if spelt in numerals.UNITS), "")


def printed_decimals(printed: str) -> int | None:
    """The decimals the report printed its number in (``"80.5%"``: 1); None where it printed no number."""
    return style(printed)[0]


def digits_problem(printed: str, digits: int | None, header: str = "", kind: str = "", scale: float | None = None
                   ) -> tuple[str, str] | None:
    """(field, why) where a claim's ``tolerance.digits`` are not the decimals ``printed`` shows its one number in
    (``numerals.parse``'s, under its column ``header``: "11.7M" 1, "62" and "188K" 0; "2.35e5" 2 at its ``scale``
    1e5, and written whole, at scale 1, none if it shows none: 2.35e5 is rounded to the thousand): its band comes
    from them, and a hand-typed slip would turn into a verdict against the author. None where they are, or where it
    shows no one number (words, a bound, a range, a shape)."""
    shown = numerals.parse(printed, header, kind)
    if digits is None or shown is None or shown.bound is not None or isinstance(shown.value, list):
        return None
    decimals = shown.digits or 0
    if scale == 1.0 and (power := numerals.power_scale(shown.unit)) is not None:  # "1e-5" written whole
        decimals -= round(math.log10(power))
        if decimals < 0:
            return "tolerance.digits", (f"printed {numerals.plain_text(printed)!r} written whole shows no decimal: "
                                        f"give its band by abs, or value and scale in its power of ten (scale = "
                                        f"{numerals.scale_text(power)}, digits = {shown.digits or 0})")
    if digits == decimals:
        return None
    return "tolerance.digits", (f"printed {numerals.plain_text(printed)!r} shows {decimals} decimal"
                                f"{'s' * (decimals != 1)}, not {digits}: the band comes from the printed precision; "
                                f"give digits = {decimals} (abs or rel widen it)")


def finer(exact: Decimal, printed: str, scale: float, reads_right: Callable[[Decimal], bool],
          keep_printed: bool = False) -> str | None:
    """``exact`` (in the claim's unit) in one decimal more than ``printed`` shows its number, rounded half up,
    trailing zeros dropped (12.34 ±0.2% reads ±0.025, not ±0.02468), down to the printed decimals where
    ``keep_printed`` (an interval's end beside "84.6" reads 83.0); in as many more, up to ``MAX_DECIMALS``, as it
    takes for ``reads_right`` to hold of the number so rounded, and for a number that is not zero not to read 0.
    None where ``printed`` shows no number in the claim's unit (none at all, or "<100K", judged in units), or no
    decimals read right. Only the text is rounded: a verdict goes by the exact number."""
    decimals, _, _, unit = style(printed)
    if decimals is None or scale == 1.0 and numerals.unit_scale(unit) != 1.0:
        return None

    def reads(more: int) -> bool:
        rounded = _half_up(exact, more)
        return bool(rounded or not exact) and reads_right(rounded)

    more = fewest_decimals(decimals + 1, reads)
    if more is None:
        return None
    whole, _, fraction = f"{_half_up(exact, more):,f}".partition(".")
    fraction = fraction.rstrip("0").ljust(decimals if keep_printed else 0, "0")
    return f"{whole}.{fraction}" if fraction else whole


def _half_up(exact: Decimal, decimals: int) -> Decimal:
    """``exact`` rounded half up to ``decimals`` decimals, as a report rounds a number it prints."""
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fewest_decimals(first: int, reads_right: Callable[[int], bool]) -> int | None:
    """The fewest decimals, from ``first`` up to ``MAX_DECIMALS`` (just ``first`` where it is more), in which a number
    written so ``reads_right`` (lies on the side of a band it lies on); None where none does."""
    return next((more for more in range(first, max(first, MAX_DECIMALS) + 1) if reads_right(more)), None)


def band_side(shown: float, band: tuple[float | None, float | None]) -> str:
    """"below", "within" or "above" the closed band (None: an open end), with a hair of slack for binary rounding
    (0.1 + 0.2); whole numbers, counts above all, compare exactly."""
    low, high = band
    ends = [end for end in band if end is not None]
    whole = all(float(number).is_integer() for number in (shown, *ends))
    hair = 0 if whole else 1e-12 * max(1.0, *map(abs, ends))
    if low is not None and shown < low - hair:
        return "below"
    if high is not None and shown > high + hair:
        return "above"
    return "within"


def sides(value: float, marks: Iterable[float | None]) -> list[str]:
    """Where ``value`` lies against each of ``marks`` that is a number (a band's ends, the claimed value), by
    ``band_side``: ``below``, ``within`` (on it) or ``above``."""
    return [band_side(value, (mark, mark)) for mark in marks if mark is not None]
