"""What changed between two runs' claim records, claim by claim: the rows ``claimbench compare`` prints with
``report.compare_table``, and the claims its ``--fail-on-regression`` fails on. Records in, rows out; torch-free."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from claimbench import results, verdict
from claimbench.value_text import apart

__all__ = ["VOUCHED", "compare_records", "judged", "lost", "missing_claims", "regressed", "retimed_claims"]

Record = Mapping[str, Any]
Row = tuple[str, str, str, str, str, str]
"""(claim id, old verdict, new verdict, old shown, new shown, what was edited between the runs)."""

VOUCHED = ("reproduced", "known error")
"""The verdicts of the old run whose claim, missing from the new one, fails ``--fail-on-regression``: the claims the
old run vouched for, agreeing with the ledger."""


def judged(records: Sequence[Record]) -> tuple[list[Record], set[str]]:
    """The records, each whose verdict is not what its own figures say (``_misjudged``) taken as not run, as
    ``claimbench report`` shows it; and the ids of those."""
    misjudged = {record["id"] for record in records if _misjudged(record)}
    return [{**record, "verdict": "not run", "shown": None, "measured": None} if record["id"] in misjudged else record
            for record in records], misjudged


def _misjudged(record: Record) -> bool:
    """Whether the judge gives a record's figures another verdict than it holds (``verdict.follows``), judged against
    the claim the record carries (``results.record_claim``), as ``claimbench report`` judges it against the ledger's:
    figures that are no claim's are; a record without them, of an older claimbench, is taken as it is."""
    try:
        claim = results.record_claim(record)
    except ValueError:
        return True
    return claim is not None and not verdict.follows(record, claim)


def compare_records(old: Sequence[Record], new: Sequence[Record]) -> list[Row]:
    """(claim id, old verdict, new verdict, old shown, new shown, what was edited between the runs: the claim, the
    code of its model, or "") of every claim of the new run whose verdict, measurement (``shown``, or ``measured``
    where the shown number hides the change: both then say what was measured) or definition changed, sorted by
    claim id; a claim new to it shows ``—`` for the old run. A claim of the old run only is left to
    ``missing_claims``, an epoch time timed anew to ``retimed_claims``."""
    before, after = {r["id"]: r for r in old}, {r["id"]: r for r in new}
    rows: list[Row] = []
    for claim_id in sorted(after):
        a, b = before.get(claim_id, {}), after.get(claim_id, {})
        hidden = bool(a and b) and a["shown"] == b["shown"] and a["measured"] != b["measured"]
        changed = (a.get("verdict"), a.get("shown")) != (b.get("verdict"), b.get("shown")) or hidden
        edited = _edited(a, b)
        if changed and not _retimed(a, b) or edited:
            shown = (_shown(a), _shown(b))
            if hidden:
                raws = apart(a["measured"], b["measured"])
                shown = tuple(f"{text} (measured {raw})" for text, raw in zip(shown, raws))
            rows.append((claim_id, a.get("verdict", "—"), b.get("verdict", "—"), *shown, edited))
    return rows


def missing_claims(old: Sequence[Record], new: Sequence[Record]) -> list[tuple[str, str, str]]:
    """(claim id, old verdict, old shown) of every claim of the old run that has no record in the new one, sorted by
    claim id: a run writes a record of every claim of its ledger, a ``not run`` one for those it did not measure, so
    the new run's ledger no longer held it (removed on purpose, or a table or file dropped by mistake: a JSON
    cannot tell which), or its record was taken out of the JSON."""
    after = {r["id"] for r in new}
    return [(r["id"], r["verdict"], _shown(r)) for r in sorted(old, key=lambda r: r["id"]) if r["id"] not in after]


def retimed_claims(old: Sequence[Record], new: Sequence[Record]) -> list[str]:
    """The claims, by id, of the epoch times that were timed anew under the same verdict and definition: a timing
    differs from run to run, so its new number alone is no change (``compare_records`` leaves them out)."""
    after = {r["id"]: r for r in new}
    return sorted(a["id"] for a in old if (b := after.get(a["id"])) and _retimed(a, b) and not _edited(a, b)
                  and (a["shown"], a["measured"]) != (b["shown"], b["measured"]))


def regressed(rows: Sequence[Row]) -> list[str]:
    """The claims, by id, of ``compare_records``' rows that became refuted or error."""
    return [claim_id for claim_id, was, now, *_ in rows if now in ("refuted", "error") and now != was]


def lost(missing: Sequence[tuple[str, str, str]]) -> list[str]:
    """The claims, by id, of ``missing_claims`` that the old run vouched for (``VOUCHED``)."""
    return [claim_id for claim_id, was, _ in missing if was in VOUCHED]


def _retimed(a: Record, b: Record) -> bool:
    """Whether both records are epoch times (a record without a ``kind``, from an older claimbench, is none) with one
    verdict."""
    return bool(a and b) and a.get("kind") == b.get("kind") == "epoch_time" and a["verdict"] == b["verdict"]


def _edited(a: Record, b: Record) -> str:
    """What was edited between two records of a claim: "claim", "model", both, or ""."""
    return ", ".join(what for what, key in (("claim", "claim_digest"), ("model", "model_digest"))
                     if a.get(key) and b.get(key) and a[key] != b[key])


def _shown(record: Record) -> str:
    """The measurement as the report showed it: ``11,689,512``, ``93.19``, ``(10, 1)``."""
    shown = record.get("shown")
    return verdict.format_number(tuple(shown) if isinstance(shown, list) else shown)
