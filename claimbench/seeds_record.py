"""Whether a results record's verdict on several seeds is one the judge could give its seeds, read from the record
alone, without the claim it was judged against (``claimbench compare`` reads records alone).

The record carries its ``band``, where a run lands (``reach``), its mean as shown and its seeds, but not the claim's
printed decimals, its ``runs`` or a documented error's ``correct`` value: a seed lands in the band where it prints
inside it as the report printed the claim (``printed``), a seed that lands is taken as a single run's number, and a
known error's mean as bearing out its correct value.
Imports neither pytest nor torch.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from claimbench.value_text import printed_decimals
from claimbench.verdict import band_side, meets, printings

__all__ = ["seeds_follow"]

Band = tuple[float | None, float | None]


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
