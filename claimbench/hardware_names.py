"""The machine a report names (``named_machine``), an epoch time's ``hardware``: a GPU's or a CPU's model, written
as the words of it that the name torch gives that device holds, so that ``runs.timing.same_hardware`` judges it
there and nowhere else ("RTX 2080 Ti" of "NVIDIA GeForce RTX 2080 Ti", not of an "RTX 2080"). Read conservatively:
a model number and the family it belongs to ("Tesla T4", "A100 GPU"; not a bare "T4", nor a family alone, "Intel
Core i7 CPU"); no Apple silicon, whose CPU claimbench names by its architecture alone. Torch-free."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from claimbench.kind_words import words_of

__all__ = ["machines_named", "named_machine"]

_VARIANTS = {"ti": "Ti", "super": "Super", "laptop": "Laptop", "mobile": "Mobile", "max q": "Max-Q", "xtx": "XTX",
             "xt": "XT", "ada": "Ada"}
"""The words after a GPU's number that make it another device, as they are written; each is one of
``runs.timing.VARIANTS``, the words a device's name must share with its ``hardware``."""
_VARIANT = re.compile(r"\b(?:" + "|".join(_VARIANTS) + r")\b")
"""A word of ``_VARIANTS``, whole: "xtx" is no "xt"."""


def _gpu(match: re.Match[str]) -> tuple[str, ...]:
    """A GeForce's or Radeon's family, number and variants: "RTX 2080 Ti", "RX 7900 XTX"."""
    variants = "".join(f" {_VARIANTS[word]}" for word in _VARIANT.findall(match["variants"]))
    return (f"{match['family'].upper()} {match['number']}{variants}",)


def _lettered(match: re.Match[str]) -> tuple[str, ...]:
    """Data-centre GPUs' models alone ("T4": "Tesla T4" and "NVIDIA T4" alike), where a GPU's word goes before or
    after them, each of a list that one word ends ("T4 and P100 GPUs": both); none for a bare one ("T4" may be
    anything)."""
    if not (match["lead"] or match["gpu"]):
        return ()
    return tuple(model.upper() for model in (*_LISTED.findall(match["chain"]), match["model"]))


def _core(match: re.Match[str]) -> tuple[str, ...]:
    """An Intel Core's tier and model: "i7-8700K"."""
    return (f"i{match['tier']}-{match['model'].upper()}",)


def _xeon(match: re.Match[str]) -> tuple[str, ...]:
    """"Xeon Gold 6248", "Xeon E5-2690 v4", "Xeon W-2145"."""
    tier, model = match["tier"] or "", match["model"].upper()
    named = f"{tier.title()} {model}" if len(tier) > 2 else f"{tier.upper()}-{model}" if tier else model
    return (f"Xeon {named}" + (f" {match['version']}" if match["version"] else ""),)


def _amd(match: re.Match[str]) -> tuple[str, ...]:
    """"EPYC 7B13", "Ryzen 9 5900X", "Ryzen 7 PRO 4750U", "Threadripper 3990X"."""
    family = {"epyc": "EPYC", "ryzen": "Ryzen", "threadripper": "Threadripper"}[match["family"]]
    tier = f" {match['tier']}" if match["tier"] else ""
    return (f"{family}{tier}{' PRO' if match['pro'] else ''} {match['model'].upper()}",)


_LETTERED = r"(?:gh|gb|[kpvtalhb])\d{1,4}[gs]?"
"""An NVIDIA data-centre or workstation GPU's model, in words_of's words: "t4", "a100", "a6000", "gh200"."""
_LISTED = re.compile(rf"\b{_LETTERED}\b")


_MACHINES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str, ...]]], ...] = (
    (re.compile(r"\b(?P<family>rtx|gtx|rx) ?(?P<number>\d{3,4})(?P<variants>(?: ?(?:"
                + "|".join(_VARIANTS) + r")\b)*)\b"), _gpu),
    (re.compile(rf"\b(?:(?P<lead>nvidia|tesla|quadro|rtx) )?(?P<chain>(?:{_LETTERED} (?:and |or |vs )?)*)"
                rf"(?P<model>{_LETTERED})\b"
                r"(?P<gpu>(?: (?:\d+ ?gb|pcie|sxm\d?|nvl|hbm\d?e?))* gpus?\b)?"), _lettered),
    (re.compile(r"\b(?:(?P<lead>amd|instinct) )?(?P<chain>)(?P<model>mi\d{2,3}[ax]?)\b(?P<gpu> gpus?\b)?"), _lettered),
    (re.compile(r"\bi(?P<tier>[3579]) (?P<model>\d{4,5}[a-z]{0,2}\d?)\b"), _core),
    (re.compile(r"\bxeon(?: r)?(?: cpu)? (?:(?P<tier>gold|silver|platinum|bronze|e[357]|w) )?(?P<model>\d{4}[a-z]?)"
                r"(?: (?P<version>v\d))?\b(?! [gm]hz)"), _xeon),
    (re.compile(r"\b(?P<family>epyc|ryzen|threadripper)(?: (?P<tier>[3579]))?(?: (?P<pro>pro))? "
                r"(?P<model>\d[\da-z]{3,5})\b"), _amd),
)
"""What names one machine, in ``words_of``'s words joined by spaces ("i7-8700K" is "i7 8700k"), with what writes it
as its ``hardware``: a GeForce or Radeon by its family and number, an NVIDIA data-centre or workstation GPU and an
AMD Instinct by their model beside a GPU's word, an Intel Core, a Xeon, an EPYC, a Ryzen or a Threadripper by their
family and model number."""


_DENIED = frozenset({"not", "than", "unlike", "instead"})
"""Words that, among the three before a machine, say the run was not on it: "a P100, not a T4 GPU", "faster than an
A100 GPU", "instead of a V100 GPU"."""


def machines_named(text: str) -> set[str]:
    """The machines ``text`` names, each as its ``hardware`` ("RTX 2080Ti", "GeForce RTX 2080 Ti": "RTX 2080 Ti"),
    less one it denies (``_DENIED``)."""
    words = " ".join(words_of(text))
    return {machine for pattern, write in _MACHINES for match in pattern.finditer(words)
            if _DENIED.isdisjoint(words[:match.start()].split()[-3:]) for machine in write(match)}


def named_machine(texts: Iterable[str]) -> str | None:
    """The one machine ``texts`` name; None where they name none, or more than one ("RTX 3070" and "RTX 3070 Ti")."""
    named = set().union(*map(machines_named, texts))
    return named.pop() if len(named) == 1 else None
