"""Judge a measurement against a claim: the claimed value, the tolerance, the verdict."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from claimbench.ledger import Claim, Tolerance

__all__ = [
    "VERDICTS",
    "ClaimMismatch",
    "Comparison",
    "CounterDisagreement",
    "MeasurementError",
    "NotRunnable",
    "check",
    "check_counters",
    "compare",
    "describe_tolerance",
    "shown_value",
]

VERDICTS = ("reproduced", "refuted", "known error", "not run", "unverifiable")

Measured = float | int | tuple[int, ...]


class ClaimMismatch(AssertionError):
    """The measurement does not match the claim under its tolerance."""


class CounterDisagreement(AssertionError):
    """Two independent counters of the same quantity disagree: no verdict on the claim is possible."""


class NotRunnable(Exception):
    """The claim cannot be measured here (no CUDA, no dataset, over budget); the message says what is missing."""


class MeasurementError(Exception):
    """We could not measure: the message is the one-line reason; the verdict is `error`."""


@dataclass(frozen=True)
class Comparison:
    """A claim's value beside our measurement, as the report would have printed it."""

    claimed: Measured
    measured: Measured
    shown: Measured
    delta: float | None
    allowed: float | None
    within: bool

    @property
    def direction(self) -> str:
        """``above``, ``below`` or ``equal``: where our measurement lands against the claim."""
        if self.delta is None or self.delta == 0:
            return "equal"
        return "above" if self.delta > 0 else "below"


def _round(value: float, tolerance: Tolerance) -> float:
    if tolerance.digits is None:
        return value
    factor = 10**tolerance.digits
    if tolerance.mode == "truncate":
        # The small epsilon keeps 0.29 * 100 (28.999999...) from truncating to 28.
        return math.trunc(value * factor + math.copysign(1e-9, value)) / factor
    return round(value, tolerance.digits)


def shown_value(claim: Claim, measured: Measured) -> Measured:
    """The measurement in the claim's unit (``measured / scale``), rounded as the report printed it."""
    if isinstance(measured, tuple):
        return measured
    return _round(measured / claim.scale, claim.tolerance)


def compare(claim: Claim, measured: Measured, *, spread: float = 0.0) -> Comparison:
    """Compare without judging; ``spread`` widens the band (half-width of a 95% interval over seeds)."""
    shown = shown_value(claim, measured)
    if isinstance(claim.value, tuple) or isinstance(shown, tuple):
        return Comparison(claim.value, measured, shown, None, None, tuple(shown) == claim.value)
    allowed = max(claim.tolerance.abs + claim.tolerance.rel * abs(claim.value), spread)
    delta = shown - claim.value
    # A tolerance of 0 on integers is exact; a float tolerance gets a hair of slack for binary rounding.
    within = abs(delta) <= allowed + 1e-9 * max(1.0, abs(claim.value))
    return Comparison(claim.value, measured, shown, delta, allowed, within)


def describe_tolerance(tolerance: Tolerance) -> str:
    """The tolerance in words, e.g. ``exact`` or ``±0.01 after rounding to 2 decimals``."""
    parts = []
    if tolerance.abs:
        parts.append(f"±{tolerance.abs:g}")
    if tolerance.rel:
        parts.append(f"±{tolerance.rel:.2%}")
    band = " + ".join(parts) if parts else "exact"
    if tolerance.digits is not None:
        verb = "truncating" if tolerance.mode == "truncate" else "rounding"
        band += f" after {verb} to {tolerance.digits} decimals"
    return band


def _format(value: Measured) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(str(v) for v in value) + ")"
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1000:
        return f"{int(value):,}"
    return f"{value:.6g}"


def check(claim: Claim, measured: Measured, *, spread: float = 0.0) -> Comparison:
    """Return the comparison if the measurement reproduces the claim, else raise ``ClaimMismatch``."""
    result = compare(claim, measured, spread=spread)
    if result.within:
        return result
    message = (
        f"{claim.id}: claimed {claim.printed!r} = {_format(claim.value)}, "
        f"measured {_format(result.shown)}"
    )
    if result.delta is not None:
        band = describe_tolerance(claim.tolerance)
        if spread > claim.tolerance.abs + claim.tolerance.rel * abs(float(claim.value)):
            band = f"±{spread:.3g} (95% interval over seeds)"
        message += f" ({result.direction} by {abs(result.delta):.6g}; tolerance {band})"
    if claim.expect == "refuted":
        message += f"; documented error: {claim.why}"
    raise ClaimMismatch(message)


def check_counters(claim: Claim, counters: Mapping[str, Measured]) -> None:
    """Raise ``CounterDisagreement`` unless every independent counter gives the same value."""
    values = set(counters.values())
    if len(values) > 1:
        listing = ", ".join(f"{name} {_format(value)}" for name, value in sorted(counters.items()))
        raise CounterDisagreement(f"{claim.id}: counters disagree after corrections: {listing}")
