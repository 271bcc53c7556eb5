"""A markdown report's text as read from its file, by ``claimbench draft``, ``claimbench init`` and the check that a
ledger still copies its report: UTF-8, with or without a byte order mark, or UTF-16 or UTF-32 by its byte order mark
(PowerShell 5's ``>`` writes UTF-16 with one); any other bytes are refused at their line. Torch-free."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from claimbench.user_paths import shown

__all__ = ["NotText", "read"]

_MARKED = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
           (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
           (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
"""(byte order mark, codec that reads it away, name) of each encoding a report is read in by its mark: UTF-32's
first, as UTF-32 LE's mark begins with UTF-16 LE's."""

_LINE_END = re.compile(r"\r\n|\r|\n")
"""A line's end, as markdown reads one."""


class NotText(ValueError):
    """A report whose bytes are not text in the encoding it is read in: ``FILE:LINE: not UTF-8 (byte 0xe9: ...):
    save it as UTF-8``, at the line of its first byte that is not."""


def read(path: Path) -> str:
    """The text of the report at ``path``, its byte order mark read away; ``NotText`` where its bytes are no text in
    the encoding its mark names, or UTF-8 where it has none; ``OSError`` where it cannot be read."""
    data = path.read_bytes()
    codec, name = next(((codec, name) for mark, codec, name in _MARKED if data.startswith(mark)), ("utf-8", "UTF-8"))
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = len(_LINE_END.findall(data[:error.start].decode(codec, errors="replace"))) + 1
        bad = error.object[error.start:error.end]
        raise NotText(f"{shown(path)}:{line}: not {name} ({_bytes(bad)}: {error.reason}): save it as UTF-8") from None


def _bytes(bad: bytes) -> str:
    """The bytes a decoder refused, as "byte 0xe9" or "bytes 0x00 0xd8"."""
    return f"byte{'s' * (len(bad) > 1)} {' '.join(f'0x{byte:02x}' for byte in bad)}"
