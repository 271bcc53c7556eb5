"""The lines by which claimbench knows its own writing: the two lines of a README between which it writes its
summary, and the first line of its verdict report.

The report fills the span; the draft skips it, since its tables are claimbench's, not the author's claims. A file
at the verdict report's path is replaced only where it is claimbench's own (or empty).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from markdown_it import MarkdownIt

__all__ = ["README_END", "README_START", "VERDICTS_TITLE", "missing_markers", "not_a_verdict_report", "summary_span"]

README_START = "<!-- claims-summary:start -->"
README_END = "<!-- claims-summary:end -->"
VERDICTS_TITLE = "# claimbench verdicts"
"""The first line of the verdict report (``report.render_markdown``), by which a file is known as one."""
_MARKDOWN = MarkdownIt("commonmark")


def not_a_verdict_report(path: Path) -> str | None:
    """Why the verdict report must not replace ``path``: a file that holds more than white space and is not
    claimbench's verdict report (its first line is not ``VERDICTS_TITLE``, it is no UTF-8 text, or it cannot be
    read to tell), said as ``<path> is not claimbench's verdict report (why)``. None where it may be replaced: no
    such file, an empty one, a verdict report, or no regular file (a folder, a device: ``atomic.unwritable``
    refuses those)."""
    if not os.path.isfile(path):
        return None
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a byte order mark read away, as the ledger's is
    except UnicodeDecodeError:
        why = "it is no UTF-8 text"
    except OSError as error:
        why = f"it cannot be read to tell: {error.strerror or error}"
    else:
        if not text.strip() or text.partition("\n")[0] == VERDICTS_TITLE:  # read_text turned a CRLF into "\n"
            return None
        why = f"its first line is not {VERDICTS_TITLE!r}"
    return f"{path} is not claimbench's verdict report ({why})"


def summary_span(lines: Sequence[str]) -> tuple[int, int]:
    """The indices of the start and end marker lines (each a line of its own, outside code blocks, so that prose
    and examples may quote them); ``ValueError`` unless there is one of each, in order."""
    code = _code_lines(lines)
    stripped = [None if index in code else line.strip() for index, line in enumerate(lines)]
    if stripped.count(README_START) != 1 or stripped.count(README_END) != 1 or (
            stripped.index(README_START) > stripped.index(README_END)):
        raise ValueError(f"needs one {README_START} line followed by one {README_END} line, outside code blocks")
    return stripped.index(README_START), stripped.index(README_END)


def missing_markers(lines: Sequence[str]) -> list[str]:
    """The marker lines, start then end, that ``lines`` hold nowhere as a line of their own outside code blocks."""
    code = _code_lines(lines)
    found = {line.strip() for index, line in enumerate(lines) if index not in code}
    return [marker for marker in (README_START, README_END) if marker not in found]


def _code_lines(lines: Sequence[str]) -> set[int]:
    """The indices of the lines of fenced and indented code blocks, as markdown-it (CommonMark) finds them."""
    tokens = _MARKDOWN.parse("\n".join(line.rstrip("\r\n") for line in lines))
    return {index for token in tokens if token.type in ("fence", "code_block") and token.map
            for index in range(*token.map)}
