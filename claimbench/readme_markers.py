"""The two lines of a README between which claimbench writes its summary.

The report fills the span; the draft skips it, since its tables are claimbench's, not the author's claims.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["README_END", "README_START", "summary_span"]

README_START = "<!-- claims-summary:start -->"
README_END = "<!-- claims-summary:end -->"


def summary_span(lines: Sequence[str]) -> tuple[int, int]:
    """The indices of the start and end marker lines (each a line of its own, so that prose may quote them);
    ``ValueError`` unless there is one of each, in order."""
    stripped = [line.strip() for line in lines]
    if stripped.count(README_START) != 1 or stripped.count(README_END) != 1 or (
            stripped.index(README_START) > stripped.index(README_END)):
        raise ValueError(f"needs one {README_START} line followed by one {README_END} line")
    return stripped.index(README_START), stripped.index(README_END)
