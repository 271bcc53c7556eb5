"""Numbers as a report prints them: "21.2" under "(M)", "134,276,932", "99.47%", "1.15s", "1.2 min", "<100K",
"(10,1)", "60-65%", "88.7 ± 0.3", "1,031,744 params".

``claimbench draft`` reads a claim's value from its printed text with ``parse``; the ledger checks with
``contradiction`` that a claim's value is the number its printed text shows. Printed text is markdown:
"**134,276,932**" shows 134,276,932. Torch-free.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["ABOVE", "APOSTROPHES", "APPROXIMATELY", "BELOW", "FRACTIONS", "GROUP_SPACES", "INVISIBLE", "MAGNITUDES",
           "MARKDOWN", "MINUS", "NEARLY", "NOUN", "NUMBER", "NUMERAL", "PER_EPOCH", "POWER", "SCALES", "SIZE_LETTERS",
           "TEN_POWER", "TEXT_NUMERAL", "TIMES", "UNIT", "UNITS", "WHOLE_COUNTS", "WORDS", "Number", "bound",
           "bound_contradiction", "cell_text", "change", "compounds", "contradiction", "either_magnitude", "exponent",
           "in_bytes", "keras_shape", "number", "parse", "plain", "plain_text", "power_scale", "power_unit", "powered",
           "readable", "scale_text", "scales", "unheeded_magnitude", "unit_name", "unit_scale"]

MARKDOWN = MarkdownIt("commonmark").enable("table")
"""CommonMark with GFM tables: how a report's markdown is read."""
MINUS = "\u2212\ufe63\uff0d"
"""The signs other than "-" a report may print for a minus, read as "-": the minus sign (U+2212, as pandoc and Word's
equations write it), and the small and the full-width hyphen-minus. A figure or an en dash before a number is none:
Word writes one for a bullet or a separator ("–93.1% for ResNet", "accuracy:–93.1%") as often as for a minus, so such
a number is left for the author; between two numbers either is a range's dash ("60–65%")."""
_SIGN = f"[-+{MINUS}]"
NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
"""A printed number's digits: "134,276,932", "99.47", "-3"."""
GROUP_SPACES = " \u00a0\u2009\u202f"
"""The spaces a report may group thousands by: a plain, a no-break, a thin and a narrow no-break one ("11 173 962")."""
DECIMAL_COMMA = r"(?<![(\[])\d+,(?!\d{3}(?!\d))\d+(?![\d,)\]])"
"""A number with a decimal comma, where the comma cannot separate thousands: other than exactly three digits follow
it ("87,4", "0,56", "82,35", "1,2345"; "1,234" is a thousand and more). Not one of a list ("3,5,7") nor a pair in
brackets ("(3,5)", a shape)."""
APOSTROPHES = "'\u2019"
"""The apostrophes a report may group thousands by, in Swiss style: "11'173'962", "11’173’962"."""
_GROUPED_BY = (rf"\d{{1,3}}(?:[{GROUP_SPACES[1:]}]\d{{3}})+(?!\d)|\d{{1,3}}(?:[ ]\d{{3}}){{%s,}}(?!\d)"
               + "".join(rf"|\d{{1,3}}(?:{mark}\d{{3}})+(?!\d)" for mark in APOSTROPHES))
NUMERAL = (rf"{_SIGN}?(?:{DECIMAL_COMMA}|\d{{1,3}}(?:\.\d{{3}}){{2,}}(?![\d.])"
           rf"|(?:{_GROUPED_BY % 1}|\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)")
"""A printed number in each form ``parse`` reads: ``NUMBER``'s, a decimal comma (``DECIMAL_COMMA``), thousands
grouped by spaces ("11 173 962", "10 000", ``GROUP_SPACES``), by apostrophes ("11'173'962", ``APOSTROPHES``) or by
two dots at least ("1.234.567"; "1.234" is a decimal); a minus of any form (``MINUS``)."""
TEXT_NUMERAL = NUMERAL.replace(_GROUPED_BY % 1, _GROUPED_BY % 2)
"""``NUMERAL`` as running text prints it, where a plain space groups thousands only twice at least ("11 173 962"):
"Table 2 100%" is no 2100%, nor "10 000 images" sure to be ten thousand."""
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺−", "0123456789-+-")
POWER = r"(?:[eE][-+−]?\d+|\s*[×x·*]\s*10\s*(?:\^\s*\{?[-+−]?\d+\}?|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
"""A power of ten after a number's digits, which it multiplies: "2.35e5", "4.7E5", "5e-4", "1.2 × 10^6", "1.2 x 10^6",
"2.1×10⁷" ("10<sup>6</sup>" read as "10^6")."""
WHOLE_COUNTS = {"params": "parameters", "macs": "MACs", "size": "bytes"}
"""The kinds whose measurement is a whole count, with what they count: "11.7" of them at scale 1 is no such count."""
FRACTIONS = ("precision", "recall")
"""The kinds measured as fractions (0-1): printed as a percentage, they count in units of 0.01."""


def _byte_scales(power: int) -> tuple[float, ...]:
    """The bytes a K, M or G of bytes (``power`` 1, 2, 3) may stand for: decimal, binary, or KiB divided by 1000s
    (Windows' "KB" read as KiB, then "MB" = 1,024,000 bytes)."""
    return tuple(dict.fromkeys((1000.0 ** power, 1024.0 ** power, 1024.0 * 1000.0 ** (power - 1))))


SCALES: dict[str, tuple[float, ...]] = {
    "%": (1.0,), "s": (1.0,), "ms": (1e-3,), "min": (60.0,), "minutes": (60.0,),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), (3600.0,)),
    "k": (1e3,), "K": (1e3,), "M": (1e6,), "B": (1e9,), "G": (1e9,),
    "KB": _byte_scales(1), "kB": _byte_scales(1), "MB": _byte_scales(2), "GB": _byte_scales(3),
    "KiB": (1024.0,), "MiB": (1024.0 ** 2,), "GiB": (1024.0 ** 3,),
    "thousand": (1e3,), "thousands": (1e3,), "million": (1e6,), "millions": (1e6,), "billion": (1e9,),
    "billions": (1e9,),
}
"""The scales a claim printed in each unit may take, the usual one first."""
UNITS = {unit: scales[0] for unit, scales in SCALES.items()}
"""The scale each printed unit stands for."""
SIZE_LETTERS = {"B": (1.0,), "k": SCALES["KB"], "K": SCALES["KB"], "M": SCALES["MB"], "G": SCALES["GB"]}
"""What a letter stands for in a size: bytes ("512 B"), or kilo- to gigabytes."""
WORDS = {**{word: word for word in ("thousand", "thousands", "million", "millions", "billion", "billions", "min",
                                     "minutes", "hour", "hours", "hr", "hrs")},
         **dict.fromkeys(("sec", "secs", "second", "seconds"), "s"), "minute": "minutes", "mins": "min"}
"""The units spelt as words, read in any case ("3 Hours", "1.2 Million", "4.2 sec", "2 MIN"), and their ``UNITS``
key."""
UNIT = r"(?i:thousands?|millions?|billions?|minutes?|mins?|hours?|hrs?|seconds?|secs?)|%|[KMG]i?B|kB|ms|[kKMBG]|s"
"""The units a printed number may carry: a percentage, bytes, seconds, minutes, hours, thousands to billions. A lone
"h" is hours only where a time is meant (``_TIMED``); a lone "M" is millions, never minutes."""
NOUN = r"(?i:param(?:eter)?s?|macs?|flops?|mult-adds)\b"
"""The words after a number that say what it counts: "113K parameters", "1.2 GMACs"."""
ABOVE = ("over", "above", "more than", "higher than", "greater than", "at least", ">", "≥")
BELOW = ("under", "below", "less than", "lower than", "fewer than", "shy of", "at most", "nearly", "almost", "<", "≤")
"""Words and signs that make a number a bound: the value lies above (or below) it."""
NEARLY = ("nearly", "almost")
"""The words of ``BELOW`` that make a number a near bound by themselves: "nearly 95%" is a little under it, as "just
shy of 95%" is."""
PER_EPOCH = r"\s*(?i:/|\bper\s+)\s*(?i:epoch)"
"""What a time per epoch prints after its unit, in any case: "2.4s/epoch", "1.2 min per epoch", "5 s/Epoch"."""
TIMES = ("s", "ms", "min", "minutes", "h", "hr", "hrs", "hour", "hours")
"""The units of a time."""
_LONE_HOUR = rf"\bh(?={PER_EPOCH})"
"""A lone "h" before "/epoch" or "per epoch": an epoch's hours ("2h/epoch", a header's "h/epoch")."""
_TIMED = re.compile(rf"(?i:\b(?:time|duration)\b|\b(?:hrs?|hours?|mins?|minutes?)(?={PER_EPOCH}))|{_LONE_HOUR}")
"""What makes a lone "h", a capitalised "HR" or "Min" (``_TIMED_ONLY``) hours or minutes: a header of a time
("Epoch time (h)", "Duration, h", "Epoch Time (Min)"), or "/epoch" after it ("hrs per epoch", "min/epoch");
elsewhere "h" may be a height, "HR" high resolution ("Top-1 (HR)") and "Min" a minimum, or anything else."""
_TIMED_ONLY = re.compile(r"h|H[rR]|M(?:in|IN)")
"""Hours and minutes as a header may print them meaning something else: a lone "h" (a height), a capitalised "HR"
(high resolution) or "Min" (a minimum); a unit only where a time is meant (``_TIMED``). "min", "hrs", "Hours" and
"Minutes" are read in any header ("Runtime (min)", "GPU hours")."""
_BOUND_WORDS = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in (*ABOVE, *BELOW) if word[0].isalpha())
APPROXIMATELY = r"about|approximately|approx\.|roughly|around|circa"
"""The words before a number by which its report marks it approximate ("about 10.1M"), as "~" and "≈" do."""
_MARK = rf"(?:(?P<approximate>[~≈]|(?i:{APPROXIMATELY})(?=\s))\s*)?"
"""The sign or word, and the space after it, by which a report marks the number that follows approximate."""
_APPROXIMATE = re.compile(rf"{_MARK}(?P<rest>.*)")
"""A range or a spread with the mark that makes it approximate ("~60-65%", "≈1.2 ± 0.1"), or none."""
_CELL = re.compile(rf"{_MARK}"
                   rf"(?P<sign>[<>≤≥]|(?i:{_BOUND_WORDS})(?=\s))?\s*"
                   rf"(?P<number>{NUMERAL})\s*(?P<unit>{UNIT}|h)?(?:\s*{NOUN})?(?P<per>{PER_EPOCH})?")
"""A cell's number: "~85%", "≈1.2M" and "about 1.2M" are marked approximate (``Number.approximate``);
"1,031,744 params" is 1,031,744; "2.4s/epoch" is 2.4 s; "<900" and "under 900" are bounds."""
_PARENTHESISED_SPREAD = re.compile(r"\s*\(\s*((?:±|\+/-|\+-)[^()]*?)\s*\)$")
"""A spread in brackets after its number: "92.1 (±0.3)"."""
_SPREAD_IN_BRACKETS = re.compile(rf"\(\s*([^()]*?(?:±|\+/-|\+-)[^()]*?)\s*\)\s*({UNIT})$")
"""A number and its spread in brackets, the unit of both after them: "(82.1 ± 0.3)%"."""
_RANGE = re.compile(
    rf"(?:(?P<from>(?i:from)\s+)|(?P<between>(?i:between)\s+))?(?P<number>{NUMERAL})\s*(?P<first>{UNIT})?"
    rf"(?(between)\s+(?i:and)\s+|(?(from)\s+(?i:to)\s+|\s*(?:[-‒–—~～]|(?i:to))\s*))"
    rf"(?P<other>{NUMERAL})\s*(?P<unit>{UNIT})?")
"""A range: "60-65%", "60–65 %", "95.0 ~ 95.4", "1.2M to 1.5M", "from 95.5 to 95.9%", "between 95.5 and 95.9%"."""
_SPREAD = re.compile(
    rf"(?P<number>{NUMERAL})\s*(?P<first>{UNIT})?\s*(?:±|\+/-|\+-)\s*(?P<other>{NUMERAL})\s*(?P<unit>{UNIT})?")
"""A number and the spread its author prints around it: "88.7 ± 0.3", "88.7%±0.3", "88.7 +/- 0.3 %"."""
_SHAPE = re.compile(r"\(\s*\d+(?:\s*,\s*\d+)*\s*,?\s*\)")
_KERAS_SHAPE = re.compile(r"(?P<list>\[\s*)?\(\s*None\s*,\s*\d+(?:\s*,\s*\d+)*\s*,?\s*\)(?(list)\s*\])")
"""A shape as Keras prints it, its first (batch) dimension None: "(None, 32, 32, 32)", "(None, 2048)"; Keras 2 prints
an input layer's as a list of one: "[(None, 32, 32, 3)]"."""


@dataclass(frozen=True)
class Number:
    """A number as printed: ``value`` in the printed unit (``measured / scale``), its decimals, a bound."""

    value: int | float | list[int] | tuple[int | float, int | float]  # a shape is a list, a range (low, high)
    scale: float = 1.0
    digits: int | None = None  # None: an exact integer; 0: a whole number of a unit ("188K"), rounded to it
    bound: str | None = None  # "above", "below" or "between" (a range): the number is a limit, not a value
    unit: str | None = None  # the unit it is printed in, by the text or its header: "M", "%", "MB"
    spread: int | float | None = None  # the author's own "± 0.3", in the printed unit
    approximate: str | None = None  # the "~" or "≈" (in the text, "about") before it: the report marks it approximate


_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
"""An HTML line break, which ends a word ("Test<br>acc. (%)")."""


def plain(children: list[Token]) -> str:
    """The text of inline tokens without markup: "**12,345**" -> "12,345"; images and HTML dropped, but for a line
    break, a space as a markdown one is ("Test<br>acc." -> "Test acc.")."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
                child.type == "html_inline" and _LINE_BREAK.fullmatch(child.content)):
            parts.append(" ")
    return "".join(parts)


def plain_text(text: str) -> str:
    """The plain text of one line of markdown."""
    inline = MARKDOWN.parseInline(text)
    return plain(inline[0].children or []) if inline else ""


LONGEST_CELL = 80
"""The most characters of a cell read for a number ("1,234,567,890.12 ± 0.34 parameters" is 35)."""
LONGEST_HEADER = 300
"""The most characters of a header read for a unit: a long header ("Trainable parameters of the model as built
for ImageNet at 224 px, counted by torchinfo (M)") keeps its unit, and a run of commas stays under a millisecond."""


def keras_shape(printed: str) -> bool:
    """Whether ``printed`` is a shape as Keras prints it, its batch dimension None ("(None, 32, 32, 32)", Keras 2's
    input layer's "[(None, 32, 32, 3)]"), which PyTorch's summaries never print (torchinfo's "[1, 32, 32, 32]",
    torchsummary's "[-1, 32, 32, 32]")."""
    return bool(_KERAS_SHAPE.fullmatch(cell_text(printed)))


def parse(printed: str, header: str = "", kind: str = "") -> Number | None:
    """The number a cell prints, or None: "21.2" under "(M)", "134,276,932", "99.47%", "1.15s", "~85%", "(10,1)",
    "1,031,744 params" ("3,504,872" under "(M)" too: a whole count in groups of three digits of at least its header's
    magnitude and a million is one as printed; "4,089" under "(M)" is 4,089 M; "3,504,872" under "(G)" is read in G,
    though it may be one as printed: ``either_magnitude``; "46,830,571" under "(MB)", 46.8 TB in it, is bytes as
    printed, and under a size's "(B)" (``kind``) in bytes: ``unheeded_magnitude``); a bound "<100K", "under 900"; a
    range "60-65%" (``bound = "between"``); "88.7 ± 0.3" (``spread = 0.3``); a shape "(16, 16, 32)", as Keras
    prints it too, its batch dimension None ("(None, 16, 16, 32)", Keras 2's input layer "[(None, 16, 16, 32)]":
    ``keras_shape``), is [16, 16, 32]; a footnote marker after it ("80.1*", "688<sup>‡</sup>") is no part of it;
    "92.1 (±0.3)" is "92.1 ± 0.3", "2.4s/epoch" 2.4 s; "~85%" is 85, marked approximate, and so are "≈1.2 ± 0.1"
    and "~60-65%"; "nearly 95%" is a bound below it.
    Read too: a decimal comma ("82,35"), thousands grouped by spaces ("11 173 962") or dots ("1.234.567"), a power of
    ten ("2.35e5", "1.2 × 10^6": ``powered``), a time in two units ("1m 12s" is 72 s, "2h 13m" 133 min, "3:20:00"
    12000 s), a remark in brackets after the number ("94.1 (ours)"), a range "95.0 ~ 95.4" or "between 95.5 and
    95.9%"."""
    text = cell_text(printed)
    if len(text) > LONGEST_CELL:  # no number is printed so long; and the patterns below backtrack on long runs
        return None
    if _SHAPE.fullmatch(text) or _KERAS_SHAPE.fullmatch(text):  # Keras's batch dimension None is no part of it
        return Number([int(part) for part in re.findall(r"\d+", text)])
    if match := _POWERED.fullmatch(text):
        return replace(powered(match["mantissa"], match["power"]), approximate=match["approximate"])
    if match := _CELL.fullmatch(text):
        unit = unit_name(match["unit"]) or (None if _unheeded(match, header, kind) else _header_unit(header))
        if match["per"] and unit not in TIMES:
            return None
        if match["unit"] == "h" and not (match["per"] or _TIMED.search(header)):  # "2 h" under "Height": no hours
            return None
        read = number(match["number"], unit, bound(match["sign"]) if match["sign"] else None)
        return replace(read, approximate=match["approximate"])
    marked = _APPROXIMATE.fullmatch(text)  # always matches: the mark is optional
    text = _SPREAD_IN_BRACKETS.sub(r"\1 \2", _PARENTHESISED_SPREAD.sub(r" \1", marked["rest"]))
    if (match := _RANGE.fullmatch(text)) and (pair := _pair(match, header)):
        compound = _range(*pair)
    elif (match := _SPREAD.fullmatch(text)) and (pair := _pair(match, header)):
        compound = _spread(*pair)
    else:
        return None
    return replace(compound, approximate=marked["approximate"]) if compound else None


MAGNITUDES = ("k", "K", "M", "B", "G", "thousand", "thousands", "million", "millions", "billion", "billions")
"""The units that only scale a count: a header's does not scale a count printed whole, digit by digit."""
_BYTES = ("KB", "kB", "MB", "GB", "KiB", "MiB", "GiB")
"""The units of a size: a header's does not scale a number of bytes printed whole."""
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
"""A whole number printed in groups of three digits: "3,504,872"."""
_AS_PRINTED_FROM = 1e6
"""The least grouped whole number read as a count as printed under a magnitude (a million): "25,557" under "Params
(K)" is 25.6 million in thousands."""
_NO_SIZE_FROM = 1e12
"""A terabyte, which no image classifier's size reaches (ViT-22B's weights in float32 are 88 GB; with Adam's two
moments, 264 GB): a grouped whole number its header's byte unit would make one is bytes as printed."""


def in_bytes(unit: str, kind: str = "") -> bool:
    """Whether ``unit`` counts bytes, for a claim of ``kind``: "MB", "KiB"; a size's "M" (a megabyte) or "B"."""
    return unit in _BYTES or (kind == "size" and unit in SIZE_LETTERS)


def _grouped(match: re.Match[str], header: str, kind: str) -> tuple[str, int] | None:
    """The magnitude or byte unit ``header`` names ("Params (M)", "Size (MB)") and a cell's number (``_CELL``'s
    ``match``) where that is a whole number in groups of three digits with no unit of its own ("3,504,872"); else
    None, as where that unit is one for ``kind`` (a size's "(B)": bytes, whether printed whole or in it)."""
    unit = _header_unit(header) if not match["unit"] and _GROUPED.fullmatch(match["number"]) else None
    if unit not in (*MAGNITUDES, *_BYTES) or scales(unit, kind) == (1.0,):
        return None
    return unit, int(match["number"].replace(",", ""))


def _whole_from(unit: str, kind: str) -> float:
    """The least grouped whole number under a header in ``unit`` read as printed, without it (a million at least):
    a count's at the header's magnitude, where in G it would pass 1e18, which no forward pass reaches ("3,504,872"
    under "Params (M)"); a size's where the header's unit would make it a terabyte ("46,830,571" under "Size (MB)":
    46.8 TB; under "KB" from 1,000,000,000)."""
    bytes_from = _NO_SIZE_FROM / scales(unit, kind)[0] if in_bytes(unit, kind) else UNITS[unit]
    return max(bytes_from, _AS_PRINTED_FROM)


def _unheeded(match: re.Match[str], header: str, kind: str) -> str | None:
    """The magnitude or byte unit ``header`` names ("Params (M)", "Size (MB)") that a cell's number (``_CELL``'s
    ``match``) of ``kind`` is not in: a whole number in groups of three digits with no unit of its own is one as
    printed from a million up where its header's unit would make it a count no forward pass reaches or a size no
    model has (``_whole_from``: "3,504,872" under "(M)", not 3.5 trillion; "46,830,571" under "(MB)", bytes); short
    of it, it counts in the header's ("4,089" under "FLOPs (M)": 4.1 billion)."""
    grouped = _grouped(match, header, kind)
    return grouped[0] if grouped and grouped[1] >= _whole_from(grouped[0], kind) else None


def _cell_match(printed: str) -> re.Match[str] | None:
    """``_CELL``'s match of a cell's text (``cell_text``); None where it prints no such number."""
    text = cell_text(printed)
    return _CELL.fullmatch(text) if len(text) <= LONGEST_CELL else None


def unheeded_magnitude(printed: str, header: str, kind: str = "") -> str | None:
    """The magnitude or byte unit of the column ``header`` that the cell ``printed`` of ``kind`` is read without,
    as a count or bytes as printed (``parse``: "3,504,872" under "Params (M)", "46,830,571" under "Size (MB)"); None
    where it is read in its header's unit, or in none."""
    match = _cell_match(printed)
    return _unheeded(match, header, kind) if match else None


def either_magnitude(printed: str, header: str, kind: str = "") -> str | None:
    """The magnitude or byte unit of the column ``header`` that the cell ``printed`` of ``kind`` may count in or
    not: a whole number in groups of three digits with no unit of its own, at least a million and short of where it
    is read as printed (``_whole_from``: "3,504,872" under "FLOPs (G)", a count printed whole, its header's G not
    applied, or 3.5 million G; "46,830,571" under "Size (KB)", 46.8 MB or 46.8 GB), which ``parse`` reads in it; None
    elsewhere, or where that unit is a single one for ``kind`` (a size's "(B)": bytes)."""
    match = _cell_match(printed)
    grouped = _grouped(match, header, kind) if match else None
    if grouped is None or not _AS_PRINTED_FROM <= grouped[1] < _whole_from(grouped[0], kind):
        return None
    return grouped[0]


_CHANGE = re.compile(rf"(?P<number>.*?\d.*?)\s*(?P<change>[(\[]\s*[+\-{MINUS}↑↓]\s*\d[\d,]*(?:\.\d+)?\s*"
                     rf"(?:{UNIT}|pp|pts?|points?)?\s*[)\]])")
"""A number and the signed change printed after it: "90.87 (+0.73)", "88.9 (-1.2)", "71.0 [↑0.4 pp]", "(−0.1M)"."""


def change(printed: str) -> tuple[str, str] | None:
    """(the number's text, the change's) of a cell that prints a signed change after its number ("90.87 (+0.73)":
    a difference from another row, which is no band around it and no claim of its kind), or None. A spread
    ("92.1 (±0.3)") is no change."""
    match = _CHANGE.fullmatch(printed.strip()) if len(printed) <= LONGEST_CELL else None
    return (match["number"], match["change"]) if match else None


_POWERED = re.compile(rf"{_MARK}(?P<mantissa>{_SIGN}?\d+(?:\.\d+)?)(?P<power>{POWER})(?:\s*{NOUN})?")
"""A number times a power of ten, with the noun after it: "2.35e5", "1.2 × 10^6 params", "~1e6"."""
_EXPONENT = re.compile(r"[eE]([-+−]?\d+)$|\^\s*\{?([-+−]?\d+)\}?$|10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$"
                       r"|10([-−]\d+)$")
_POWER_UNIT = re.compile(r"×10\^(-?\d+)")
"""How ``powered`` names the unit of a power of ten: "×10^5"."""


def powered(mantissa: str, power: str) -> Number:
    """The number ``mantissa`` times the power of ten ``power`` (``POWER``) prints, in units of that power, to the
    mantissa's decimals: "2.35e5" is 2.35 at scale 1e5, as "2.35M" is 2.35 at scale 1e6; "3e5" is 3, a rounding to
    whole 1e5s."""
    return number(mantissa, f"×10^{exponent(power)}", None)


TEN_POWER = r"10\s*(?:\^\s*\{?[-+−]?\d+\}?|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
"""A power of ten printed alone, base and exponent: "10^-4", "10^{-4}", "10⁻⁴"; not "10e-4", which is 1e-3 as
written."""


def exponent(power: str) -> int:
    """The exponent of the power of ten ``power`` prints (``POWER``, ``TEN_POWER``): "e5" 5, "× 10^-4", "10⁻⁴" and
    "x10-4" -4."""
    return int(next(part for part in _EXPONENT.search(power).groups() if part).translate(_SUPERSCRIPTS))


def whole_value(shown: Number) -> float | None:
    """A number printed times a power of ten (``powered``) as a whole, at scale 1: "2.35e5" is 235000; None for a
    number printed otherwise."""
    power = _POWER_UNIT.fullmatch(shown.unit or "")
    if power is None or not isinstance(shown.value, (int, float)):
        return None
    return float(Decimal(repr(shown.value)).scaleb(int(power[1])))


def unit_scale(unit: str) -> float:
    """The scale a printed unit stands for (``UNITS``, or a power of ten's: "×10^5" is 1e5); 1 for none."""
    return power_scale(unit) or UNITS.get(unit, 1.0)


def power_scale(unit: str | None) -> float | None:
    """The scale of a power of ten as ``powered`` names its unit ("×10^5": 1e5); None for any other unit."""
    match = _POWER_UNIT.fullmatch(unit or "")
    return float(f"1e{match[1]}") if match else None


_HOURS_SPELT, _MINUTES_SPELT, _SECONDS_SPELT = r"h|(?i:hrs?|hours?)", r"m|(?i:mins?|minutes?)", r"s|(?i:secs?|seconds?)"
_TIME_PARTS = re.compile(rf"(?<![\w.:])(?:(?P<h>\d+(?:\.\d+)?)\s*(?:{_HOURS_SPELT})(?![^\W\d_])\s*)?"
                         rf"(?:(?P<m>\d+(?:\.\d+)?)\s*(?:{_MINUTES_SPELT})(?![^\W\d_])\s*)?"
                         rf"(?:(?P<s>\d+(?:\.\d+)?)\s*(?:{_SECONDS_SPELT})(?![^\W\d_]))?")
"""A time in hours, minutes and seconds, any of them: "1m 12s", "2h 13m", "1 h 30 min", "1h 2m 3.5s"."""
_CLOCK = re.compile(r"(?<![\w.:])(?P<h>\d+):(?P<m>[0-5]\d):(?P<s>[0-5]\d(?:\.\d+)?)(?![\w:])")
"""A time as a clock prints it, hours, minutes and seconds: "3:20:00" ("0:45", minutes or hours, is none)."""
_IN_SECONDS = {"h": 3600, "m": 60, "s": 1}
_REMARK = re.compile(r"(?P<body>.*?\d.*?)\s*\((?P<remark>[^()\d]*[^\W\d_][^()\d]*)\)")
"""A number and a remark in brackets after it, with a letter and no digit: "94.1 (ours)", "93.2 (w/o aug.)"."""
_NO_REMARK = re.compile(rf"\s*(?:{UNIT}|h|{NOUN})\s*|.*(?i:{APPROXIMATELY}|approx|est\b|estimated|{_BOUND_WORDS})"
                        rf".*")
"""What a number's brackets hold that is no mere remark: its unit ("21.2 (M)"), or a word that makes it approximate
or a bound ("94 (approx.)", "(at most)")."""


def cell_text(printed: str) -> str:
    """A cell's text (``printed``) as ``parse`` reads it: its plain text less a footnote marker (``_without_footnote``)
    and a remark in brackets after its number ("94.1 (ours)": ``_REMARK``), a time in two units or more in its last
    ("1m 12s": "72 s"; "2h 13m": "133 min"; "3:20:00": "12000 s")."""
    text = _without_footnote(printed)
    if len(text) > LONGEST_CELL:
        return text
    remark = _REMARK.fullmatch(text)
    if remark and not _NO_REMARK.fullmatch(remark["remark"]):
        text = remark["body"]
    text = _CLOCK.sub(lambda clock: f"{_in_last_unit(clock, 's')} s", text)
    return _TIME_PARTS.sub(_spelt_time, text)


def _spelt_time(match: re.Match[str]) -> str:
    """A time printed in two units or more (``_TIME_PARTS``), in its last ("1m 12s": "72 s"); as printed where it
    prints one unit, or decimals before its last."""
    parts = [name for name in _IN_SECONDS if match[name]]
    if len(parts) < 2 or any("." in match[name] for name in parts[:-1]):
        return match.group()
    last = parts[-1]
    space = " " if match.group().endswith((" ", "\t")) else ""
    return f"{_in_last_unit(match, last)} {'min' if last == 'm' else 's'}{space}"


def _in_last_unit(match: re.Match[str], last: str) -> str:
    """The time of ``match``'s groups h, m and s (those it has) in the unit ``last``, to the decimals printed in it."""
    total = sum(Decimal(match[name]) * (_IN_SECONDS[name] // _IN_SECONDS[last])
                for name in _IN_SECONDS if match[name])
    return f"{total:f}"


_SUPERSCRIPT = re.compile(r"<sup>([^<]*)</sup>", re.IGNORECASE)
_FOOTNOTE = re.compile(
    r"(?P<body>.*?\d.*?)\s*(?:\^(?P<sup>[^^]*)|[*†‡§¶]+|(?P<power>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)|\[\^[^\]\s]+\])")
"""A number and the footnote marker after it: "80.1*", "80.1†", "91.2¹", a superscript (written "^1"), or a markdown
footnote reference ("95.12[^1]")."""
INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\ufffd\x00"
"""What a cell may hold that prints nothing, dropped before its number is read: a soft hyphen, zero-width spaces and
joiners, direction marks, a byte order mark, and a NUL (which the markdown reader makes U+FFFD)."""
_DROP_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))
_MATH_WRAPPER = re.compile(r"\\(?:mathbf|textbf|mathrm|textrm|text|boldsymbol|bm)\s*\{([^{}]*)\}")
"""A LaTeX command that only styles what its braces hold: "\\mathbf{93.4}", "\\textbf{93.4}", "\\mathrm{95.12}"."""
_MATH_SIGNS = {"times": "×", "cdot": "·", "pm": "±", "dagger": "†", "ddagger": "‡", "ast": "*", "sim": "~",
               "approx": "≈"}
"""The LaTeX commands of a number's signs, and the sign each prints: "1.2 \\times 10^6", "82.1 \\pm 0.3"."""
_MATH_SIGN = re.compile(rf"\\({'|'.join(_MATH_SIGNS)})(?![A-Za-z])")


def _unmath(text: str) -> str:
    """``text`` with its inline math read as the signs it prints: "$95.12$" is "95.12", "$\\mathbf{93.4}$" "93.4",
    "$1.2 \\times 10^6$" "1.2 × 10^6", "$11{,}173{,}962$" "11,173,962", "82.1 $\\pm$ 0.3" "82.1 ± 0.3". An odd "$",
    and a command not listed ("\\frac{1}{2}"), stay, and no number is read from them."""
    if text.count("$") % 2 == 0:
        text = text.replace("$", "")
    text = _MATH_WRAPPER.sub(r"\1", text).replace("{,}", ",")
    return _MATH_SIGN.sub(lambda sign: _MATH_SIGNS[sign[1]], text)


def _without_footnote(printed: str) -> str:
    """The plain text of ``printed``, its math read (``_unmath``), less what prints nothing (``INVISIBLE``) and a
    footnote marker after its number
    ("**80.1**\\*", "80.1†", "688<sup>‡</sup>", "91.2<sup>1</sup>", "95.12[^1]"). A superscript digit after a 10 or
    a 2 is a power ("10<sup>6</sup>", "2¹⁰"), and stays as "^6", which no pattern reads as a number; so does a
    superscript elsewhere."""
    text = plain_text(_SUPERSCRIPT.sub(lambda sup: f"^{sup[1].strip()}", printed)).translate(_DROP_INVISIBLE)
    text = _unmath(text).strip()
    match = _FOOTNOTE.fullmatch(text) if len(text) <= LONGEST_CELL else None  # the pattern backtracks on long runs
    if match is None:
        return text
    digits = match["power"] or (match["sup"] if match["sup"] and re.match(r"\{?[-+−]?\d", match["sup"]) else None)
    power = digits is not None and re.search(r"(?:^|[^\d.,])(?:10|2)$", match["body"])
    return text if power else match["body"]


def unit_name(printed: str | None) -> str | None:
    """The ``UNITS`` key of a unit as printed: a word in lower case ("Hours": hours), any other as it is."""
    return WORDS.get(printed.lower(), printed) if printed else printed


_AS_HYPHEN = str.maketrans(dict.fromkeys(MINUS, "-"))


def readable(text: str) -> str:
    """A printed number (``NUMERAL``) as Python reads it: "82,35" is "82.35"; "134,276,932", "11 173 962" and
    "1.234.567", "11'173'962" lose their separators; "−1.2" (``MINUS``) is "-1.2"."""
    text = text.translate(_AS_HYPHEN)
    if "," in text and re.fullmatch(rf"{_SIGN}?{DECIMAL_COMMA}", text):
        return text.replace(",", ".")
    if text.count(".") > 1:
        text = text.replace(".", "")
    return re.sub(rf"[,{GROUP_SPACES}{APOSTROPHES}]", "", text)


def number(text: str, unit: str | None, limit: str | None) -> Number:
    """A Number from its printed digits ``text``, its unit and bound ("above", "below" or None).

    A whole number printed in a unit other than the base one ("188K", "21" under "(M)") is a rounding to that
    unit: 0 decimals. A whole number in the base unit ("1234", "85%") is exact: no decimals."""
    plain_digits = readable(text)
    value: int | float = float(plain_digits) if "." in plain_digits else int(plain_digits)
    unit = unit_name(unit)
    unit = unit if unit in UNITS or power_scale(unit) else None
    scale = power_scale(unit) or UNITS.get(unit or "", 1.0)
    decimals = len(plain_digits.partition(".")[2]) or (0 if scale != 1.0 else None)
    return Number(value, scale, decimals, limit, unit)


def _pair(match: re.Match[str], header: str) -> tuple[Number, Number] | None:
    """The two numbers of a range or a spread in their one unit, printed after either or both ("60%-65%") or
    given by the header; None when they print two different units."""
    first, last = unit_name(match["first"]), unit_name(match["unit"])
    if first and last and first != last:
        return None
    unit = first or last or _header_unit(header)
    return number(match["number"], unit, None), number(match["other"], unit, None)


def _range(low: Number, high: Number) -> Number | None:
    """The range from ``low`` to ``high`` as one Number, or None when it is empty or reversed."""
    if not low.value < high.value:  # type: ignore[operator]
        return None
    digits = max((end.digits for end in (low, high) if end.digits is not None), default=None)
    return replace(low, value=(low.value, high.value), digits=digits, bound="between")


def _spread(center: Number, spread: Number) -> Number | None:
    """``center`` with the spread printed around it, or None for a negative spread."""
    if spread.value < 0:  # type: ignore[operator]
        return None
    return replace(center, spread=spread.value)


_IN_TEXT = {_range: re.compile(rf"(?<![\w.,\-]){_MARK}(?:(?P<from>(?i:from)\s+)|(?P<between>(?i:between)\s+))?"
                               rf"(?P<number>{TEXT_NUMERAL})\s*(?P<first>{UNIT})?"
                               rf"(?(between)\s+(?i:and)\s+|(?(from)\s+(?i:to)\s+|\s*[-‒–—]\s*))"
                               rf"(?P<other>{TEXT_NUMERAL})\s*(?P<unit>{UNIT})?(?!\w|\.\d)"),
            _spread: re.compile(rf"(?<![\w.,\-]){_MARK}(?:{_SPREAD.pattern.replace(NUMERAL, TEXT_NUMERAL)})"
                                rf"(?!\w|\.\d)")}
"""A range and a spread where running text prints them, with the mark that makes them approximate ("≈1.2 ± 0.1"),
not inside a word or a longer number: a range with a dash, "between 95.5 and 95.9%", or "from 95.5 to 95.9%" after
a verb of a range (``_RANGED``), since "improved from 85.2% to 87.1%" is a change in prose, not a range. No match
starts after a comma: inside "1,000,000" that would start again at every group, and take time quadratic in a long
run of them."""
_RANGED = re.compile(r"(?i:\b(?:rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying)|spann?(?:s|ed|ing)?|lies|lay|lying|"
                     r"falls?|fell|falling)\s+)$")
"""A verb of a range, right before "from": "ranged from 95.5 to 95.9%", "varies from", "spanning from"."""
_APART = re.compile(r"(?i:\b(?:difference|gap|delta|margin|change|drop|gain|improvement|increase|decrease)\s+)$")
"""A word of a change right before "between": "the gap between 93.1% and 95.2%" is two numbers, not a range."""


def compounds(text: str) -> Iterator[tuple[re.Match[str], Number]]:
    """Each range ("60-65%", "between 95.5 and 95.9%", "ranged from 95.5 to 95.9%") and each number with its spread
    ("88.7 ± 0.3") that running text prints, as one Number, with where it stands."""
    for make, pattern in _IN_TEXT.items():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if match.groupdict().get("from") and not _RANGED.search(before):
                continue
            if match.groupdict().get("between") and _APART.search(before):
                continue
            if (pair := _pair(match, "")) and (compound := make(*pair)):
                yield match, replace(compound, approximate=match["approximate"])


_SECONDS = re.compile(rf"(?i:sec|secs|seconds?)|s(?={PER_EPOCH})")
"""Seconds as a header spells them: "Time per epoch (sec)", "seconds per epoch", "s/epoch" (a lone "s" says
seconds only before "/epoch" or "per epoch")."""
_LOWER_MAGNITUDES = {"m": "M", "g": "G"}
"""A lower-case magnitude in the header of a count ("gmacs", "mflops", "param_count (m)"): elsewhere "m" may be
metres or minutes, and "g" grams."""


_POWER = re.compile(r"(?:[x×]\s*)?(?:(?:10\s*\^\s*|1e)(?P<power>[369])|10(?P<raised>[³⁶⁹]))")
"""A unit printed as a power of ten: "×10^6", "x10^6", "10^6", "1e6", "10⁶" ("10<sup>6</sup>" read as "10^6")."""
_POWERS = {"3": "K", "6": "M", "9": "G", "³": "K", "⁶": "M", "⁹": "G"}


def power_unit(text: str) -> str | None:
    """The magnitude a power of ten printed as a unit stands for ("×10^6", "1e6", "10⁶": "M"; "x10^9": "G"), or None
    where ``text`` is no such power ("106", "10^6 bytes")."""
    match = _POWER.fullmatch(text.strip())
    return _POWERS[match["power"] or match["raised"]] if match else None


def _header_unit(header: str) -> str | None:
    """The unit a header gives its cells: "(M)", "(MB)", "(%)", "[ms]", "millions", "%", "Params, M", "Params in M",
    a power of ten ("(×10^6)", "(1e6)", "(10<sup>9</sup>)": ``power_unit``), a magnitude glued to its noun ("GFLOPs",
    "MMACs", timm's "gmacs"); a lower-case "m" or "g" only in the header of a count ("param_count (m)"); seconds spelt
    "sec" or "seconds", or "s/epoch"; hours ("hrs", "Hours") and minutes ("min", "Minutes"), but a lone "h", a
    capitalised "HR" or "Min" only in the header of a time ("Epoch time (h)", "h/epoch", "Epoch Time (Min)"): "Top-1
    (HR)" and "Top-1 (Min)" are no time (``_TIMED_ONLY``)."""
    header = " ".join(_SUPERSCRIPT.sub(lambda sup: f"^{sup[1].strip()}", header).split())
    if len(header) > LONGEST_HEADER:  # the patterns below backtrack on long runs of commas
        return None
    bracketed = re.findall(r"[(\[]\s*([^()\[\]]*?)\s*[)\]]", header)
    words = [word for word in re.findall(r"[A-Za-z]+", header) if len(word) > 1]
    seconds = [match.group() for match in re.finditer(rf"\b(?:{_SECONDS.pattern})\b", header)]
    trailing = re.findall(r"(?:,\s*|\bin\s+)(\S+)\s*$", header)
    glued = re.findall(rf"\b([kKMGBmg])(?={NOUN})", header)
    hours = ["h"] if re.search(_LONE_HOUR, header) else []
    candidates = [*bracketed, *words, *trailing, *glued, *(["s"] if seconds else []), *hours,
                  *(["%"] if "%" in header else [])]
    if re.search(NOUN, header.replace("_", " ")):
        candidates = [_LOWER_MAGNITUDES.get(unit, unit) for unit in candidates]
    timed = _TIMED.search(header)
    units = [power_unit(word) or unit_name(word) for word in candidates if timed or not _TIMED_ONLY.fullmatch(word)]
    return next((unit for unit in units if unit in UNITS), None)


def bound(qualifier: str) -> str:
    """"above" or "below" for a qualifier ("over", "shy of", "<")."""
    return "above" if " ".join(qualifier.lower().split()) in ABOVE else "below"


def scales(unit: str, kind: str = "") -> tuple[float, ...]:
    """The scales a claim of ``kind`` printed in ``unit`` may take: a size's "M" is a megabyte and its "B" a byte,
    a precision's "%" a hundredth."""
    if (power := power_scale(unit)) is not None:
        return (power,)
    if unit == "%" and kind in FRACTIONS:
        return (0.01,)
    if kind == "size" and unit in SIZE_LETTERS:
        return SIZE_LETTERS[unit]
    return SCALES[unit]


def contradiction(printed: str, value: float | tuple[int, ...], scale: float, header: str = "", kind: str = ""
                  ) -> tuple[str, str] | None:
    """(field, why) when ``value`` is not the number ``printed`` shows, in its printed unit, or when ``scale`` is
    not one the unit of the text, or of its column ``header``, stands for ("5.6M", "21.2" under "Params (M)":
    value 5.6 with scale 1e6; a report's "MB" may be 1e6, 1,024,000 or 2**20 bytes; "3,504,872" under "FLOPs (G)"
    1 or 1e9: ``either_magnitude``), or when it shows a bound (``bound_contradiction`` checks a claim's). None when
    they agree, or when the text shows no number (words)."""
    shown = parse(printed, header, kind)
    if shown is None:
        return None
    text = _without_footnote(printed)
    if shown.bound is not None:
        return "value", f"printed {text!r} shows {BOUND_WORDS[shown.bound]}, not a value"
    if isinstance(value, tuple) or isinstance(shown.value, list):
        same = isinstance(value, tuple) and isinstance(shown.value, list) and list(value) == shown.value
    elif scale == 1.0 and (whole := whole_value(shown)) is not None and math.isclose(value, whole, rel_tol=1e-9):
        return None  # "2.35e5" written whole: value = 2.35e5
    else:
        same = math.isclose(value, shown.value, rel_tol=1e-9, abs_tol=1e-12)
    if not same:
        written = list(value) if isinstance(value, tuple) else int(value) if float(value).is_integer() else value
        return "value", f"{written!r} is not the number that printed shows ({text!r}{_reading(text, shown)}), in its " \
                        "printed unit"
    allowed = _unit_scales(printed, header, kind, shown)
    if allowed and not any(math.isclose(scale, one, rel_tol=1e-9) for one in allowed):
        return "scale", _scale_why(printed, header, kind, shown, scale)
    if kind in WHOLE_COUNTS and scale == 1.0 and not float(value).is_integer():  # "11.7" under a header not read
        return "scale", (f"printed {text!r} would be {value} {WHOLE_COUNTS[kind]}, no whole number: give the scale it "
                         f"counts in (scale = {_scales_offered(header, kind)})")
    return None


def _unit_scales(printed: str, header: str, kind: str, shown: Number) -> tuple[float, ...]:
    """The scales the unit ``printed`` shows, in its own text or its column ``header``, stands for, the usual one
    first, and 1 where the cell may count as printed too (``either_magnitude``); () where it shows no unit."""
    if not shown.unit:
        return ()
    either = either_magnitude(printed, header, kind) is not None
    return *scales(shown.unit, kind), *([1.0] if either else [])


def _scale_why(printed: str, header: str, kind: str, shown: Number, scale: float) -> str:
    """Why ``scale`` is not one the unit ``printed`` shows stands for, and which scales it is."""
    allowed = _unit_scales(printed, header, kind, shown)
    either = either_magnitude(printed, header, kind) is not None
    own = parse(printed)  # without the header: the text's own unit
    under = f" under {header!r}" if header and own and own.unit != shown.unit else ""
    given = f", not {scale_text(scale)}" if scale != 1.0 else ""
    return (f"printed {_without_footnote(printed)!r}{under} counts in units of {scale_text(allowed[0])}"
            f"{', or of 1 as printed' if either else ''}: give scale = {' or '.join(map(scale_text, allowed))}{given}")


BOUND_ENDS = {"above": (0,), "below": (1,), "between": (0, 1)}
"""Which ends of an interval (low, high) a printed bound gives: "over 60%" its low, "<100K" its high."""
BOUND_WORDS = {"above": "a lower bound: give above (or between, from it)",
               "below": "an upper bound: give below (or between, up to it)", "between": "a range: give between"}
"""What a claim gives for a printed bound."""


def bound_contradiction(printed: str, key: str, bound: float | tuple[float, float], scale: float, header: str = "",
                        kind: str = "") -> tuple[str, str] | None:
    """(field, why) when a claim's ``bound`` (its ``key``: above, below or between, in its unit: ``measured /
    scale``) does not end where the bound ``printed`` shows ends ("over 60%": above 60, or between from 60; "95.0 ~
    95.4": between 95.0 and 95.4), in a unit the text, its column ``header`` or the claim's scale stands for, or as
    the fraction of 1 (or percentage) the draft reads it as. The unit the text or its ``header`` shows decides the
    bound's magnitude ("<100K": below 100 at scale 1e3, or 100,000 at scale 1); the claim's scale counts only where
    neither shows one, and where the ends are the printed numbers at a scale the unit does not stand for ("<100K":
    below 100 at scale 1), the problem is the scale. None when they agree, or when the text shows no bound."""
    shown = parse(printed, header, kind)
    if shown is None or shown.bound is None or isinstance(shown.value, list):
        return None
    text = _without_footnote(printed)
    interval = bound if key == "between" else (bound, None) if key == "above" else (None, bound)
    given = [interval[end] for end in BOUND_ENDS[shown.bound]]  # type: ignore[index]
    if any(end is None for end in given):
        return key, f"printed {text!r} shows {BOUND_WORDS[shown.bound]}"
    ends = shown.value if isinstance(shown.value, tuple) else (shown.value,)
    allowed = _unit_scales(printed, header, kind, shown)
    if any(_ends_at(given, ends, scale, unit)
           for unit in {*(allowed or (scale, 1.0)), *_fraction_or_percent(ends, shown.unit)}):
        return None
    if allowed and _ends_at(given, ends, 1.0, 1.0):  # the printed numbers, at a scale the unit does not stand for
        return "scale", _scale_why(printed, header, kind, shown, scale)
    written = [int(end) if float(end).is_integer() else end for end in given]  # type: ignore[arg-type]
    return key, (f"{written[0] if len(written) == 1 else written!r} is not where printed {text!r} bounds it"
                 f"{_reading(text, shown)}, in the claim's unit")


def _ends_at(given: list[float], ends: tuple[float, ...], scale: float, unit: float) -> bool:
    """Whether a claim's ``given`` ends, at its ``scale``, are the printed ``ends`` in ``unit``."""
    return all(math.isclose(end * scale, printed_end * unit, rel_tol=1e-9, abs_tol=1e-12)
               for end, printed_end in zip(given, ends))


def _fraction_or_percent(ends: tuple[float, ...], unit: str | None) -> tuple[float, ...]:
    """The scale of a bound printed with no unit that the draft reads as a percentage where it is a fraction of 1
    ("over 0.9": above 90), or as a fraction of 1 where it is above 1 ("over 85" for a precision: above 0.85)."""
    if unit is not None:
        return ()
    return (100.0,) if all(0 <= end <= 1 for end in ends) else (0.01,)


def _reading(text: str, shown: Number) -> str:
    """How ``parse`` read ``text`` where its digits do not show it plainly ("82,35": ", read as 82.35 %"; "2.35e5":
    ", read as 2.35 ×10^5"; "1m 12s": ", read as 72 s"); "" where they do ("62", "1,234", "5.6M")."""
    plainly = not isinstance(shown.value, (int, float)) or (
        power_scale(shown.unit) is None and repr(shown.value) in text.replace(",", "").translate(_AS_HYPHEN))
    return "" if plainly else f", read as {shown.value!r}{f' {shown.unit}' if shown.unit else ''}"


_USUAL_UNITS = {"params": ("M", "K"), "macs": ("G", "M"), "size": ("MB", "MiB", "KB")}
"""The units a count of each kind is most often printed in, the most usual first: parameters in millions, MACs in
G, a size in MB."""


def _scales_offered(header: str, kind: str) -> str:
    """The scales a fraction of a whole count of ``kind`` (``WHOLE_COUNTS``) may count in: a magnitude its column
    ``header`` prints alone, which ``parse`` reads as no unit ("G"), else the usual ones ("1e+09 for G, 1e+06 for
    M" for MACs)."""
    letters = [_LOWER_MAGNITUDES.get(word, word) for word in re.findall(r"[A-Za-z]+", header)]
    offered = [unit for unit in letters if unit in (*MAGNITUDES, *_BYTES) and scales(unit, kind) != (1.0,)]
    if offered:
        return f"{scale_text(scales(offered[0], kind)[0])} for its header's {offered[0]}"
    return ", ".join(f"{scale_text(scales(unit, kind)[0])} for {unit}" for unit in _USUAL_UNITS[kind])


def scale_text(scale: float) -> str:
    """A scale as short as it stays exact: "1e+06", "1.024e+06", "1048576", "0.01"."""
    short = f"{scale:g}"
    return short if float(short) == scale else str(int(scale)) if float(scale).is_integer() else repr(scale)
