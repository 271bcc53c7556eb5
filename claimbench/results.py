"""Gather test outcomes into one plain record per claim, with its verdict and reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimbench.ledger import Claim
from claimbench.verdict import Comparison

__all__ = ["CLAIM_PROPERTY", "MEASUREMENT_PROPERTY", "Outcome", "Results", "measurement", "record_for"]

CLAIM_PROPERTY = "claimbench.claim"
MEASUREMENT_PROPERTY = "claimbench.measurement"


def _plain(value: Any) -> Any:
    """A shape tuple as a JSON-friendly list; anything else unchanged."""
    return list(value) if isinstance(value, tuple) else value


def measurement(
    comparison: Comparison,
    *,
    message: str,
    counters: Mapping[str, Any] | None = None,
    seeds: Sequence[float] = (),
    spread: float | None = None,
    device: str = "meta",
    unverified_data: bool = False,
    comparable: bool = True,
) -> dict[str, Any]:
    """What a claim test measured, as plain data for ``user_properties``."""
    return {
        "measured": _plain(comparison.measured),
        "shown": _plain(comparison.shown),
        "delta": comparison.delta,
        "within": comparison.within,
        "message": message,
        "counters": dict(counters or {}),
        "seeds": list(seeds),
        "spread": spread,
        "device": device,
        "unverified_data": unverified_data,
        "comparable": comparable,
    }


@dataclass
class Outcome:
    """What the test phases of one claim reported, merged."""

    outcome: str = "passed"
    message: str = ""
    xfailed: bool = False
    duration: float = 0.0
    measurement: dict[str, Any] | None = None


@dataclass
class Results:
    """The controller's collection of outcomes, keyed by claim id."""

    claims: Mapping[str, Claim]
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    def add(
        self,
        properties: Sequence[tuple[str, Any]],
        *,
        when: str,
        outcome: str,
        message: str,
        xfailed: bool,
        duration: float,
    ) -> None:
        """Merge one phase report (setup, call or teardown) of a claim test."""
        props = dict(properties)
        claim_id = props.get(CLAIM_PROPERTY)
        if claim_id not in self.claims:
            return
        merged = self.outcomes.setdefault(claim_id, Outcome())
        merged.duration += duration
        if MEASUREMENT_PROPERTY in props:
            merged.measurement = props[MEASUREMENT_PROPERTY]
        if outcome != "passed" and (merged.outcome == "passed" or when == "call"):
            merged.outcome, merged.message, merged.xfailed = outcome, message, xfailed

    def records(self) -> list[dict[str, Any]]:
        """One record per claim that ran (or was skipped), sorted by claim id."""
        return [record_for(self.claims[cid], self.outcomes[cid]) for cid in sorted(self.outcomes)]


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E ")]
    return (errors[0][1:].strip() if errors else lines[-1] if lines else "").removeprefix("Skipped: ")


def _verdict(claim: Claim, outcome: Outcome) -> tuple[str, str]:
    measurement = outcome.measurement
    if measurement is not None and not measurement.get("comparable", True):
        return "not run", measurement["message"]
    if measurement is not None and measurement.get("within") is not None:
        notes = [measurement["message"]] if measurement.get("message") else []
        if measurement.get("unverified_data"):
            notes.append("unverified data: checksums did not match")
        if measurement["within"] and outcome.outcome == "failed" and claim.expect != "refuted":
            # Within tolerance, yet the test failed: counters disagreed, or it crashed after the check.
            return "refuted", measurement["message"] or f"crashed: {_first_line(outcome.message)}"
        if measurement["within"]:
            if claim.expect == "refuted":
                notes.insert(0, f"the ledger expected a documented error ({claim.why}), but the claim reproduced")
            return "reproduced", "; ".join(notes)
        if claim.expect == "refuted":
            # verdict.check's message already ends with "documented error: <why>".
            return "known error", "; ".join(notes) or claim.why or ""
        return "refuted", "; ".join(notes)
    if outcome.outcome == "skipped" and not outcome.xfailed:
        if claim.status == "unverifiable":
            return "unverifiable", claim.why or ""
        return "not run", _first_line(outcome.message)
    return "refuted", f"crashed: {_first_line(outcome.message)}"


def record_for(claim: Claim, outcome: Outcome) -> dict[str, Any]:
    """The plain record of one claim: what the report says, what we measured, the verdict."""
    verdict, reason = _verdict(claim, outcome)
    measurement = outcome.measurement or {}
    return {
        "id": claim.id,
        "report": claim.report,
        "kind": claim.kind,
        "model": claim.model,
        "claimed": _plain(claim.value),
        "printed": claim.printed,
        "scale": claim.scale,
        "source": claim.source,
        "cell": list(claim.cell) if claim.cell else None,
        "measured": _plain(measurement.get("measured")),
        "shown": _plain(measurement.get("shown")),
        "delta": measurement.get("delta"),
        "counters": measurement.get("counters", {}),
        "seeds": measurement.get("seeds", []),
        "spread": measurement.get("spread"),
        "device": measurement.get("device"),
        "verdict": verdict,
        "reason": reason,
        "note": claim.note,
        "duration": round(outcome.duration, 4),
    }
