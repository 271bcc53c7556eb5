"""A measured value, its Δ and its band, written as the report printed its claim, in as many more digits as it takes
to read on the side of the band the verdict says: 96.6 outside [97, 103] reads 96.6, not 97.

Imports neither pytest nor torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from claimbench import numerals
from claimbench.printed_style import band_side, fewest_decimals, finer, sides, style
from claimbench.verdict import format_number, shown_band

__all__ = ["NOTHING", "apart", "band_text", "bound_text", "format_delta", "format_value"]

Record = Mapping[str, Any]

NOTHING = "—"


def format_value(value: float | Sequence[int] | None, printed: str, scale: float,
                 band: Sequence[float | None] | None = None) -> str:
    """A value (in the claim's unit, ``measured / scale``) written the way the report printed its claim; plainly
    where the printed unit is not the claim's ("<100K" is judged in units, not thousands). Given the ``band`` it was
    judged against, in as many more decimals as it takes to read on the side of the band it lies on: 96.6 outside
    [97, 103] reads 96.6, not 97."""
    if value is None:
        return NOTHING
    if isinstance(value, Sequence):
        return str(tuple(value))
    decimals, thousands, suffix, unit = style(printed)
    if scale == 1.0 and numerals.unit_scale(unit) != 1.0:
        return format_number(value)
    if decimals is None:
        return f"{value:g}"
    return f"{value:{',' if thousands else ''}.{_sided(value, decimals, band)}f}{suffix}"


def _sided(value: float, decimals: int, band: Sequence[float | None] | None, base: float = 0) -> int:
    """The fewest decimals, from ``decimals`` on, in which ``base`` plus ``value`` written so lies on the side of
    ``band`` (``printed_style.band_side``) that ``base + value`` does; ``decimals`` where no band is given, or where
    no number of decimals up to ``printed_style.MAX_DECIMALS`` reaches that side."""
    if not band or not math.isfinite(value):
        return decimals
    ends, start = (band[0], band[1]), Decimal(repr(base))
    side = band_side(float(start + Decimal(repr(value))), ends)
    more = fewest_decimals(decimals, lambda more: band_side(float(start + Decimal(f"{value:.{more}f}")), ends) == side)
    return decimals if more is None else more


def _fewest_digits(values: Sequence[float], reads_right: Callable[[tuple[str, ...]], bool]) -> tuple[str, ...]:
    """``values`` in ``format_number``'s digits, or in the fewest more significant ones, up to a double's 17, in which
    ``reads_right`` holds of their texts (``repr`` if none does)."""
    texts = tuple(format_number(value) for value in values)
    if reads_right(texts):
        return texts
    return next((texts for digits in range(7, 18)
                 if reads_right(texts := tuple(f"{value:.{digits}g}" for value in values))),
                tuple(repr(value) for value in values))


def bound_text(value: float | Sequence[int] | None, printed: str, scale: float,
               interval: Sequence[float | None], band: Sequence[float | None] | None) -> str:
    """A bound or interval claim's measurement in the decimals its words print (its ``interval``'s where they print
    no number: "well over half"), in as many more as it takes to lie on the side of each end of the ``band`` that it
    does: 87.99 below [88, 90] reads 87.99, not 88, and 59.96 "just shy of 60%" not 60, on the bound. Where the printed
    unit is not the claim's ("below 20k" is judged in units), in ``format_number``'s six digits, or in as many more
    significant ones as it takes to read on its side of the band: 59.99996 below "at least 60" reads 59.99996."""
    if not band or not isinstance(value, (int, float)) or not math.isfinite(value):
        return format_number(value)
    ends = (band[0], band[1])
    decimals, _, _, unit = style(printed)
    if scale == 1.0 and numerals.unit_scale(unit) != 1.0:
        side = band_side(value, ends)
        return _fewest_digits([value], lambda texts: band_side(float(texts[0].replace(",", "")), ends) == side)[0]
    if decimals is None:
        decimals = max(_decimals(end) for end in interval if end is not None)
    lies = sides(value, ends)
    more = fewest_decimals(decimals, lambda more: sides(float(f"{value:.{more}f}"), ends) == lies)
    return f"{value:,.{decimals if more is None else more}f}"


def _decimals(number: float) -> int:
    """The decimals a number of the ledger is written in: 12.5 has 1, 88.0 and 12_000 none."""
    return max(0, -int(Decimal(repr(number)).normalize().as_tuple().exponent))


def apart(old: Any, new: Any) -> tuple[str, str]:
    """Two different measurements written so that they read differently: ``format_number``'s digits, or as many more
    significant ones as it takes (0.3456789 and 0.3456791, not 0.345679 twice)."""
    old, new = (tuple(value) if isinstance(value, list) else value for value in (old, new))
    if not all(isinstance(value, (int, float)) for value in (old, new)):
        return format_number(old), format_number(new)
    first, second = _fewest_digits([old, new], lambda texts: texts[0] != texts[1])
    return first, second


def format_delta(record: Record) -> str:
    """Measured minus claimed, in the claim's unit and decimals: more digits when those hide it, or put it on
    another side of the band than the measurement (``format_value``'s)."""
    delta, shown = record["delta"], record["shown"]
    if delta is None:
        if shown is None:
            return NOTHING
        return "0" if list(shown) == list(record["claimed"] or []) else "≠"
    if delta == 0:
        return "0"
    decimals, thousands, _, _ = style(record["printed"])
    claimed = record["claimed"]
    if decimals is not None and isinstance(claimed, (int, float)):
        decimals = _sided(delta, decimals, record.get("band"), claimed)
    text = f"{delta:+{',' if thousands else ''}.{decimals if decimals is not None else 3}f}"
    text = f"{delta:+.3g}" if float(text.replace(",", "")) == 0 else text
    return text.replace("-", "−")


def band_text(record: Record) -> str:
    """The allowed band where it is not the claimed value itself: ``∈ [60, 63]``, ``≤ 60``, ``±1``, ``±111,000``,
    ``±0.025`` (``_half_width``'s digits); an interval's ends as ``verdict.shown_band`` cuts them (``∈ [99, 100]`` of
    an accuracy, not ``∈ [99, 100.5]``), a half-width as it is."""
    band = record.get("band")
    if not band:
        return ""
    low, high = band
    if record["interval"] is not None:
        low, high = shown_band(str(record.get("kind")), record["scale"], (low, high))
        if low is None:
            return f"≤ {format_number(high)}"
        return f"≥ {format_number(low)}" if high is None else f"∈ [{format_number(low)}, {format_number(high)}]"
    half = (high - low) / 2
    return f"±{_half_width(record, low, high)}" if half > 1e-9 * max(1.0, abs(high)) else ""


def _half_width(record: Record, low: float, high: float) -> str:
    """The half-width of a band around the claim in ``printed_style.finer``'s digits, one decimal more than the report
    printed its number (12.34 ±0.2% reads ±0.025, not ±0.02468), or as many more as it takes for the measurement, as
    ``format_value`` writes it, to read on the side of the band its verdict says (10.2 above 10.0 ±0.1996 reads so,
    not inside ±0.20); ``format_number``'s digits where the printed number is not in the claim's unit. Only the
    text is rounded: the verdict went by the band as it is."""
    exact_low, exact_high = Decimal(repr(low)), Decimal(repr(high))
    exact, centre = (exact_high - exact_low) / 2, (exact_high + exact_low) / 2
    shown, band = record["shown"], (low, high)
    measured = isinstance(shown, (int, float)) and math.isfinite(shown)
    decimals = style(record["printed"])[0]
    written = float(f"{shown:.{_sided(shown, decimals, band)}f}") if measured and decimals is not None else None
    side = band_side(shown, band) if measured else None
    text = finer(exact, record["printed"], record["scale"], lambda half: written is None or band_side(
        written, (float(centre - half), float(centre + half))) == side)
    return format_number(float(exact)) if text is None else text
