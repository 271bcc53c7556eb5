"""Whether a results record's verdict on several seeds is one the judge could give its seeds, read from the record
alone, without the ledger's claim it was judged against (``claimbench compare`` reads records alone).

A record carries what the judge read of its claim (``results.JUDGED_BY``: the claim's tolerance, ``runs``,
``expect`` and a documented error's ``correct`` value), from which ``record_claim`` rebuilds the claim as the judge
reads it. A record of an older claimbench carries only its ``band``, where a run lands (``reach``), its mean as
shown and its seeds (``seeds_follow``): a seed lands in the band where it prints inside it as the report printed the
claim (``printed``), a seed that lands is taken as a single run's number, and a known error's mean as bearing out
its correct value.
Imports neither pytest nor torch.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError

from claimbench.ledger import Claim
from claimbench.printed_style import printed_decimals
from claimbench.results import JUDGED_BY
from claimbench.verdict import band_side, meets, printings, shown_value

__all__ = ["landed", "record_claim", "seeds_follow"]

Band = tuple[float | None, float | None]
CLAIM = TypeAdapter(Claim)
"""The ledger's own check of a claim's fields, by their types and bounds, as a ledger file's claim is checked."""


def seeds_follow(record: Mapping[str, Any], band: Band, reach: tuple[float, float]) -> bool:
    """Whether a checked record's verdict follows from its seeds as the judge reads them (``verdict._settles``):
    reproduced only where the interval a run lands in meets the band or a seed lands in it; refuted only where the
    interval misses it; a known error where it misses it, or, its mean outside the band, where a seed lands in it
    (one outlier seed on a documented error whose correct value the mean bears out, which the record cannot tell)."""
    met = meets(reach, band)
    if record["verdict"] == "reproduced":
        return met or _landed(record, band)
    if record["verdict"] == "known error" and met:
        shown = record.get("shown")
        return isinstance(shown, (int, float)) and band_side(shown, band) != "within" and _landed(record, band)
    return not met


def landed(record: Mapping[str, Any]) -> int:
    """How many of a record's seeds land in its band, each as the judge reads it (``verdict.shown_value`` of the claim
    the record carries, ``record_claim``); 0 for a record without the claim's figures (of an older claimbench, whose
    seeds ``_landed`` reads only loosely, at either rounding) or figures that are no claim's."""
    band, seeds = record.get("band"), record.get("seeds")
    if not isinstance(band, list) or len(band) != 2 or not isinstance(seeds, list):
        return 0
    try:
        claim = record_claim(record)
    except ValueError:
        return 0
    return 0 if claim is None else sum(band_side(shown_value(claim, seed), (band[0], band[1])) == "within"
                                       for seed in seeds if isinstance(seed, (int, float)))


def _landed(record: Mapping[str, Any], band: Band) -> bool:
    """Whether one of the record's seeds, in the claim's unit, lands in the band as it is or as the report would
    print it at the printed claim's decimals."""
    seeds, scale = record.get("seeds"), record.get("scale")
    if not isinstance(seeds, list) or not isinstance(scale, (int, float)) or not scale:
        return False
    decimals = printed_decimals(record.get("printed") or "")
    return any(band_side(value, band) == "within" for seed in seeds if isinstance(seed, (int, float))
               for value in _as_printed(Decimal(repr(seed)) / Decimal(repr(scale)), decimals))


def _as_printed(exact: Decimal, decimals: int | None) -> set[float]:
    """``exact`` as it is and as a report may print it at ``decimals`` decimals: rounded or truncated."""
    if decimals is None:
        return {float(exact)}
    return {float(exact)} | printings(exact, decimals, "round") | printings(exact, decimals, "truncate")


def record_claim(record: Mapping[str, Any]) -> Claim | None:
    """The claim a record was judged against, as far as the judge reads it: what it claims (``claimed``,
    ``interval``, ``printed``, ``scale``, ``kind``) and ``results.JUDGED_BY``; None for a record without them (of an
    older claimbench); a ``ValueError`` where they are no claim's (a hand-edited JSON)."""
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


def _tuple(value: Any) -> Any:
    """A JSON list (a shape, an interval) as the claim holds it: a tuple."""
    return tuple(value) if isinstance(value, list) else value
