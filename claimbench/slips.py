"""The slips of a report's pen a refuted number may be, told from the ledger and the measurement alone: a number
copied from another row of its table's column, and an exact count typed with two adjacent digits swapped or one
digit dropped or doubled. The judge says which one a refuted number matches; the verdict stays refuted."""

from __future__ import annotations

from collections.abc import Iterable

from claimbench.ledger import Claim

__all__ = ["copied", "mistyped"]


def copied(claim: Claim, ledger: Iterable[Claim]) -> list[str]:
    """The other rows of the claim's column (its report's table and column, its kind and unit) that print its number,
    in words: ``the number printed in row 'ResNet-18' of the same column (claim resnet18)``."""
    if claim.cell is None:
        return []
    return [f"the number printed in row {other.cell[1]!r} of the same column (claim {other.local_id})"
            for other in ledger if other.cell is not None and other.id != claim.id and other.report == claim.report
            and _column(other) == _column(claim) and other.cell[1] != claim.cell[1]
            and (other.kind, other.value, other.scale) == (claim.kind, claim.value, claim.scale)]


def _column(claim: Claim) -> tuple[str, int | str] | None:
    """A cell claim's table and column: the column's index where the loader found it (``Claim.column``: one column
    whichever name its cell gives it), else, in a claim not loaded from a ledger, the name; None without a cell."""
    if claim.cell is None:
        return None
    return claim.cell[0], claim.cell[2] if claim.column is None else claim.column


def mistyped(claim: Claim, measured: object) -> str | None:
    """How the claim's number is the measured count mistyped: ``its adjacent digits 2 and 6 swapped``, ``a 0
    dropped``, ``its 4 doubled``. Only an exact count (no slack, in units of one) can be: a rounded one's digits
    ("60.4K") are not the count's. In units of one, ``digits`` rounds no count ("4,915,891 B" drafted with ``digits =
    0`` has the band of "134,276,932" drafted with none). None where no one such slip of the measured count gives the
    claim's number."""
    exact = claim.tolerance.abs == claim.tolerance.rel == 0 and claim.scale == 1
    if not exact or not all(type(number) is int and number >= 0 for number in (claim.value, measured)):
        return None
    return _slip(str(measured), str(claim.value))


def _slip(true: str, typed: str) -> str | None:
    """The one slip that turns the digits ``true`` into ``typed``, in words; None where none does."""
    for at in range(len(true) - 1):
        if true[at] != true[at + 1] and true[:at] + true[at + 1] + true[at] + true[at + 2:] == typed:
            return f"its adjacent digits {true[at]} and {true[at + 1]} swapped"
    for at in range(len(true)):
        if true[:at] + true[at + 1:] == typed:
            return f"a {true[at]} dropped"
        if true[:at] + true[at] + true[at:] == typed:
            return f"its {true[at]} doubled"
    return None
