"""The two lines of a README between which claimbench writes its summary.

The report fills the span; the draft skips it, since its tables are claimbench's, not the author's claims.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt

__all__ = ["README_END", "README_START", "summary_span"]

README_START = "<!-- claims-summary:start -->"
README_END = "<!-- claims-summary:end -->"
_MARKDOWN = MarkdownIt("commonmark")


def summary_span(lines: Sequence[str]) -> tuple[int, int]:
    """The indices of the start and end marker lines (each a line of its own, outside code blocks, so that prose
    and examples may quote them); ``ValueError`` unless there is one of each, in order."""
    code = _code_lines(lines)
    stripped = [None if index in code else line.strip() for index, line in enumerate(lines)]
    if stripped.count(README_START) != 1 or stripped.count(README_END) != 1 or (
            stripped.index(README_START) > stripped.index(README_END)):
        raise ValueError(f"needs one {README_START} line followed by one {README_END} line, outside code blocks")
    return stripped.index(README_START), stripped.index(README_END)


def _code_lines(lines: Sequence[str]) -> set[int]:
    """The indices of the lines of fenced and indented code blocks, as markdown-it (CommonMark) finds them."""
    tokens = _MARKDOWN.parse("\n".join(line.rstrip("\r\n") for line in lines))
    return {index for token in tokens if token.type in ("fence", "code_block") and token.map
            for index in range(*token.map)}
