"""Which of a report's texts name which of its models, in whole words and any case (``pattern``), found through an
index of words built once a report: a search of every sentence for every table row's name grows with their product.
Torch-free."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

__all__ = ["Names", "Texts", "pattern"]

_WORD = re.compile(r"\w+")
_LIKE_ASCII = {"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"}
"""The non-ASCII letters that ``re`` matches to an ASCII one in any case (its documentation names these four)."""


@functools.lru_cache(maxsize=8192)
def pattern(name: str) -> re.Pattern[str]:
    """``name`` as a whole, in any case; compiled once for a report's every row (``re``'s own cache holds 512)."""
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)


def _key(word: str) -> str:
    """A word's key in an index, the same for any two spellings ``re`` matches in any case: ASCII letters in lower
    case, the four of ``_LIKE_ASCII`` as their ASCII letter, every other non-ASCII character alike."""
    if word.isascii():
        return word.lower()
    return "".join(like.lower() if (like := _LIKE_ASCII.get(char, char)).isascii() else "\0" for char in word)


def _keys(text: str) -> dict[str, None]:
    """The keys of ``text``'s words, each once, in their order."""
    return dict.fromkeys(map(_key, _WORD.findall(text)))


def _lead(name: str) -> str | None:
    """The key of the word ``name`` begins with, which a text that names it holds as a whole word; None where that is
    not sure: a name that begins with no letter or digit, or holds a non-ASCII character."""
    word = _WORD.match(name) if name.isascii() else None
    return _key(word.group()) if word else None


class Texts:
    """A report's texts (its sentences), each word's texts at hand."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = tuple(texts)
        self._holding: dict[str, list[int]] = {}
        for index, text in enumerate(self.texts):
            for key in _keys(text):
                self._holding.setdefault(key, []).append(index)

    def naming(self, name: str) -> list[str]:
        """The texts that name ``name`` (``pattern``), in their order."""
        lead = _lead(name)
        held = self.texts if lead is None else [self.texts[index] for index in self._holding.get(lead, ())]
        found = pattern(name)
        return [text for text in held if found.search(text)]


class Names:
    """A report's names (its table rows' models), each word's names at hand."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self._led: dict[str, list[int]] = {}
        self._unled: list[int] = []
        for index, name in enumerate(self.names):
            lead = _lead(name)
            if lead is None:
                self._unled.append(index)
            else:
                self._led.setdefault(lead, []).append(index)

    def named(self, text: str) -> tuple[str, ...]:
        """The names ``text`` names (``pattern``), in their order."""
        held = {*self._unled, *(index for key in _keys(text) for index in self._led.get(key, ()))}
        return tuple(self.names[index] for index in sorted(held) if pattern(self.names[index]).search(text))
