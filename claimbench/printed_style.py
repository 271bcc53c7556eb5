"""How a report printed a claim's number (its decimals, thousands separators and unit), and a figure derived from a
measurement written to that precision and one decimal more: a band's half-width, a spread, the ends of an interval.

Imports neither pytest nor torch; below ``verdict`` and ``value_text``, which both write by it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from claimbench import numerals

__all__ = ["MAX_DECIMALS", "finer", "printed_decimals", "style"]

MAX_DECIMALS = 15
"""The most decimals a value is written in to show which side of its band it lies on."""

_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?")
_UNIT = re.compile(rf"\s?(?:(?P<unit>(?i:{numerals.UNIT}))(?:\s*{numerals.NOUN})?|[A-Za-z]{{1,3}})(?![A-Za-z])")
"""The unit printed after a number: one ``numerals`` reads, in any case, with its noun ("%", " MB", " MFLOPs",
" Million parameters"), else a short word ("pp")."""


def style(printed: str) -> tuple[int | None, bool, str, str]:
    """How the report printed its number: decimals, thousands separators (where its whole part has fewer than four
    digits, which does not show whether the report groups them, they are used: "10" beside 62,006 measured), the
    suffix it printed its unit in, and the unit."""
    match = _NUMBER.search(printed)
    if match is None:
        return None, False, "", ""
    unit = _UNIT.match(printed, match.end())
    suffix, named = (unit.group(0), _spelt(unit["unit"] or "")) if unit else ("", "")
    whole = match.group(1)
    return len(match.group(2) or ""), "," in whole or len(whole) < 4, suffix, named


def _spelt(unit: str) -> str:
    """The unit of ``numerals.UNITS`` a printed unit is, as printed or in lower case ("Million": million); "" where
    it is none ("mb")."""
    return next((spelt for spelt in (unit, unit.lower()) if spelt in numerals.UNITS), "")


def printed_decimals(printed: str) -> int | None:
    """The decimals the report printed its number in (``"80.5%"``: 1); None where it printed no number."""
    return style(printed)[0]


def finer(exact: Decimal, printed: str, scale: float, reads_right: Callable[[Decimal], bool],
          keep_printed: bool = False) -> str | None:
    """``exact`` (in the claim's unit) in one decimal more than ``printed`` shows its number, rounded half up,
    trailing zeros dropped (12.34 ±0.2% reads ±0.025, not ±0.02468), down to the printed decimals where
    ``keep_printed`` (an interval's end beside "84.6" reads 83.0); in as many more, up to ``MAX_DECIMALS``, as it
    takes for ``reads_right`` to hold of the number so rounded, and for a number that is not zero not to read 0.
    None where ``printed`` shows no number in the claim's unit (none at all, or "<100K", judged in units), or no
    decimals read right. Only the text is rounded: a verdict goes by the exact number."""
    decimals, _, _, unit = style(printed)
    if decimals is None or scale == 1.0 and numerals.UNITS.get(unit, 1.0) != 1.0:
        return None
    for more in range(decimals + 1, max(decimals + 1, MAX_DECIMALS) + 1):
        rounded = exact.quantize(Decimal(1).scaleb(-more), rounding=ROUND_HALF_UP)
        if (rounded or not exact) and reads_right(rounded):
            whole, _, fraction = f"{rounded:,f}".partition(".")
            fraction = fraction.rstrip("0").ljust(decimals if keep_printed else 0, "0")
            return f"{whole}.{fraction}" if fraction else whole
    return None
