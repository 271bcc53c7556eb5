"""The numbers of a report's running text (and of a table's label cells), with the words around them: their
qualifier ("over", "<"), unit and noun, which of them may be claims, and the kind the nearest keyword gives one.
Torch-free."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace

from claimbench import numerals
from claimbench.kind_words import (KIND_WORDS, UNIT_KINDS, UNKNOWN_KIND, UNMEASURED, WORD, guess_kind, has, meant,
                                   unit_kind, unmeasured, unmeasured_kind, words_of)

__all__ = ["BARE", "JOINED", "NORMALIZES", "SETTINGS", "Listed", "Mention", "change", "comment", "is_candidate",
           "kind_of", "kind_todo", "listed", "mentions", "nearest_kind", "noun_words", "plural", "run_counts",
           "sentences", "setting"]

_WORDS = "|".join(re.escape(word) for word in (*numerals.ABOVE, *numerals.BELOW) if word[0].isalpha())
_COUNTS = r"trainable|learnable|non-trainable|total"
"""The word that may stand between a number and its noun, saying which count it is: "9,089 trainable parameters"."""
_POWER = r"(?:[eE]\+?\d+|\s?[×x·]\s?10(?:\^\+?\d+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
"""A power of ten the text prints after a number's digits, a positive one ("2.35e5", "1.2 × 10^6", "2.1×10⁷"): "lr
1e-3" and "eps 1e-8" are settings."""
_NOT_INSIDE = (rf"(?<!\d[,{numerals.GROUP_SPACES[1:]}])(?:(?!\d{{3}}(?![\d.,]))|(?<!(?<![\w.\-])\d\ )"
               r"(?<!(?<![\w.\-])\d\d\ )(?<!(?<![\w.\-])\d\d\d\ ))")
"""Where no number of the text starts: after a digit and a comma or a space that groups thousands ("87,4 %" is no
4 %), nor three digits after a plain space and a number of three digits at most ("10 000 parameters" may be ten
thousand: no 000; "Top-5 100%" is 100%)."""
_MENTION = re.compile(
    rf"""(?<![\w.\-])
    (?:(?P<approximate>[~≈]|(?i:{numerals.APPROXIMATELY}(?=\s)))\s*)?
    (?:(?i:(?:(?P<near>a\ little|a\ bit|slightly|just)\s+|(?:well|far|much)\s+)?
         (?P<qualifier>{_WORDS}))\s+
      |(?P<sign>[<>≤≥])\s*)?
    {_NOT_INSIDE}
    (?P<number>{numerals.TEXT_NUMERAL})
    (?P<power>{_POWER})?
    (?:\s?(?P<unit>{numerals.UNIT})(?!\w))?
    (?!\w|\.\d)
    (?:\s+(?P<magnitude>[kKMGB](?=[A-Z]))?(?P<noun>(?i:(?:{_COUNTS})\s+)?{numerals.NOUN}))?""",
    re.VERBOSE,
)
_OUT_OF = re.compile(rf"\s+(?i:(?:out\s+)?of\s+(?:the\s+|its\s+|all\s+)?)(?:{numerals.TEXT_NUMERAL})"
                     rf"\s?(?:{numerals.UNIT})?\s+(?:(?:{_COUNTS})\s+)?(?P<noun>{numerals.NOUN})")
"""Another number and its noun after "of" ("100,416 of the 105,962 parameters", "out of 1.2M params"): the noun
counts the number before them too."""
_PER_EPOCH = re.compile(rf"{numerals.PER_EPOCH}(?!\w)")
"""What a time per epoch prints after its unit ("2.1 s/epoch", "1.2 min per epoch"): part of its printed words, as in
a cell ("1.15s/epoch"), so that they are the words the report prints."""
_RUN_NOUNS = r"runs?|seeds?|trials?|repeats?|repetitions?"
_COUNTED = re.compile(rf"\s+(?i:(?:training|train|test|validation|val|labell?ed|unlabell?ed)\s+)?"
                      rf"(?i:{_RUN_NOUNS}|epochs?|iterations?|steps?|folds?|batches|samples?|examples?|images?|"
                      r"classes)\b")
"""A noun that makes the number before it a count of runs or data, a split's name between them: "over 3 seeds" is no
bound on a claim, and "the 10k test images" no parameter count."""
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_RUN_COUNT = re.compile(
    rf"""(?<![\w.])(?:(?:(?:mean|average|averaged|avg\.?)\s+)?(?:of|over|across)\s+)?
    (?P<count>\d{{1,3}}|{"|".join(_NUMBER_WORDS)})(?:\s+|\s*-\s*)
    (?:(?:independent|random|different|separate|training|repeated)\s+)*(?:{_RUN_NOUNS})(?!\w)""",
    re.IGNORECASE | re.VERBOSE)
"""A count of runs, with the words of a mean before it: "mean of 5 runs", "averaged over five seeds", "(3 runs)",
"5 random seeds", "a 5-run mean"."""
_NO_MEAN = re.compile(r"(?:best|top|max\w*|min\w*|median|worst|highest|lowest)\W+(?:(?:of|over|across|among|from)\W+)?"
                      r"(?:the\W+)?$", re.IGNORECASE)
"""What makes a count of runs no mean's: "best of 5 runs", "the max over 3 seeds"."""
_SPREAD_SIGNS = ("±", "+/-", "+-")
"""What precedes a spread, which is no claim of its own where it is printed apart from its number."""


@dataclass(frozen=True)
class Mention:
    """A number in running text (or in a label cell) and the words around it."""

    start: int
    printed: str
    number: numerals.Number
    unit: str | None
    noun: str | None
    near: bool = False
    """Its bound is a near one: "a little over", "just shy of", "slightly above", "nearly", "almost"."""


def mentions(text: str) -> list[Mention]:
    """The numbers of ``text`` with their qualifier, unit and the noun after them, and the word or sign before them
    that marks them approximate ("about 10.1M", "~4.9 MB": ``Number.approximate``), the noun of another after "of"
    where it prints none ("100,416 of the 105,962 parameters": ``_OUT_OF``); a number with its spread
    ("88.7 ± 0.3") is one, and so is a range that prints a unit or decimals ("60-65%", not "2019-2020")."""
    found = [Mention(match.start(), match.group(), number, numerals.unit_name(match["first"] or match["unit"]), None)
                for match, number in numerals.compounds(text)
                if number.bound != "between" or match["first"] or match["unit"] or number.digits]
    spans = [range(mention.start, mention.start + len(mention.printed)) for mention in found]
    for match in _MENTION.finditer(text):
        if len(match["number"]) > numerals.LONGEST_CELL:  # no claim prints a number so long (nor can int read it)
            continue
        if any(match.start("number") in span for span in spans):
            continue
        if match["unit"] in (None, *numerals.MAGNITUDES) and _COUNTED.match(text, match.end()):  # "over 3 seeds"
            continue
        if text[max(0, match.start() - 16) : match.start()].rstrip().endswith(_SPREAD_SIGNS):  # "(±0.2 over 3 seeds)"
            continue
        qualifier = match["qualifier"] or match["sign"]
        unit = numerals.unit_name(match["unit"]) or match["magnitude"]  # "1.2 GMACs": the magnitude glued to its noun
        if match["power"] and (unit or numerals.readable(match["number"]) != match["number"]):
            continue  # "1e6 M", "1,5e6": no number
        number = numerals.powered(match["number"], match["power"]) if match["power"] else numerals.number(
            match["number"], unit, None)
        number = replace(number, bound=numerals.bound(qualifier) if qualifier else None)
        unit = number.unit
        number = replace(number, approximate=match["approximate"])  # "about 10.1M": the note says so
        end = match.end("noun") if match["magnitude"] else match.end(next(
            group for group in ("unit", "power", "number") if match[group] or group == "number"))
        if unit in numerals.TIMES and (per := _PER_EPOCH.match(text, end)):  # "2.1 s/epoch": the report's words
            end = per.end()
        printed = text[match.start() : end]
        near = bool(match["near"]) or (qualifier or "").lower() in numerals.NEARLY  # "nearly 95%": a little under it
        found.append(Mention(match.start(), printed.strip(), number, unit, _noun(text, match), near))
    return sorted(found, key=lambda mention: mention.start)


def _noun(text: str, match: re.Match[str]) -> str | None:
    """The noun after a number (``_MENTION``'s), or the one of another number after "of" (``_OUT_OF``), or None."""
    out_of = None if match["noun"] else _OUT_OF.match(text, match.end())
    return match["noun"] or (out_of["noun"] if out_of else None)


def run_counts(text: str, *, best: bool = False) -> list[tuple[int, str]]:
    """(count, the words that say it) of each count of runs ``text`` names as a mean's ("mean of 5 runs", "over
    five seeds", "(3 runs)"), not a best run's ("best of 5 runs"), nor a count of none ("0 runs"); with ``best``, each
    it names as a best run's (or another's of the runs but their mean: "the max over 3 seeds") instead."""
    found = []
    for match in _RUN_COUNT.finditer(numerals.plain_text(text)):
        no_mean = _NO_MEAN.search(match.string[: match.start("count")])
        if bool(no_mean) != best:
            continue
        word = match["count"].lower()
        count = _NUMBER_WORDS.index(word) + 1 if word in _NUMBER_WORDS else int(word)
        if count:
            found.append((count, comment(match.string[no_mean.start() if no_mean else match.start():match.end()])))
    return found


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, after each ".", "!" or "?" that white space follows."""
    return re.split(r"(?<=[.!?])\s+", text)


SETTINGS = ("learning rate", "lr", "base lr", "dropout", "dropout rate", "drop rate", "drop path", "drop path rate",
            "weight decay", "wd", "l2", "momentum", "beta1", "beta2", "betas", "eps", "epsilon", "validation split",
            "val split", "test size", "label smoothing", "warmup ratio", "lr decay", "decay rate", "gamma",
            "step size", "alpha", "temperature", "gradient clipping", "clip norm", "max norm")
"""Training settings (hyperparameters) whose value may print decimals: a number one names ("dropout 0.5",
"validation_split=0.1", "lr: 1e-3") is the recipe's, no claim, whatever kind's keyword stands near it. The
whole-number ones (epochs, batch size, seed) print integers, no candidates anyway; and "after 30 epochs: 91.2%" is
a claim."""
_SETTING = re.compile(r"(?<![^\W_])(?:%s)(?P<plural>s)?(?![^\W_])" % "|".join(
    re.escape(name).replace(r"\ ", r"[\s_-]+") for name in sorted(SETTINGS, key=len, reverse=True)), re.IGNORECASE)
"""A setting's name, or its plural: "learning rates of 0.1 and 0.01"."""
JOINED = r"\s*(?:(?:,\s*)?(?:(?:and|or|to)\b|[-–~/])|,)\s*"
"""What joins the numbers of a list or a range: "0.1, 0.01", "0.1 or 0.01", "100 to 200", "0.1/0.01"; the recipe's
draft (draft_recipe) reads its lists by it too."""
BARE = r"\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+−]?\d+)?|\.\d+(?:[eE][-+−]?\d+)?"
"""A setting's value as a report prints it: "0.1", "5e-4" (or "5e−4", U+2212), ".001", "1,024"; the recipe's draft
reads its numbers by it too."""
_NAMED_BY = re.compile(r"(?:[\s=:∈'\"`{\[(]|(?<![^\W_])(?:of|is|was|set|to|at|in|rate|p|from|starts?|started|starting"
                       r"|begins?|began|beginning)(?![^\W_]))*", re.IGNORECASE)
"""What may stand between a setting's name and its number: "dropout of 0.5", "lr = 1e-3", "'dropout': 0.5", "lr in
{0.1", "the learning rate starts at 0.1", "momentum (0.9)": a bracket only where it holds the value alone
(``_BRACKET_ENDS``)."""
_BRACKET_ENDS = re.compile(rf"(?:{JOINED}(?:{BARE}))*\s*\)")
"""The end of a bracket that holds a setting's value alone, or its list of values: ")" of "momentum (0.9)",
", 0.999)" of "betas (0.9, 0.999)"; not " accuracy)" of "dropout (93.42 accuracy)", an ablation's result."""
_VALUE = re.compile(rf"(?:{BARE})(?![\w%]|\.\d)")
"""A setting's first value, bare, that a list may follow: "0.1" of "lr 0.1, 0.01"."""
_JOINED_BARE = re.compile(rf"(?:{JOINED}|\s*\(\s*)(?P<number>{BARE})"
                          rf"(?![\w%]|\.\d|\s*%|\s*[×x·*]\s*[\w.]|\s*/\s*[^\W\d])")
"""A bare number joined to the one before it: ", 0.01", " or 0.99", " (0.01", " / 0.01"; not a percentage, a number
glued to a word ("1.2M"), a product's factor ("128 (2 × 64)") nor a ratio's ("0.4 / batch")."""
_OWN = re.compile(rf"\s+(?:{_SETTING.pattern}|batch[\s_-]*size)|\s*{numerals.NOUN}|{_COUNTED.pattern}",
                  re.IGNORECASE)
"""The name or noun of its own after a number, which makes it no list's: "0.9 momentum", "200 epochs", "1.2 params"."""
_GOES_ON = re.compile(rf"{JOINED}\.?\d|\s*(?:[,;.)\]}}]|$)|\s+(?:and|or|respectively|too|also|each|both)(?![^\W_])",
                      re.IGNORECASE)
"""What may follow an item of a setting's list: another joined number, a clause's end or a list word."""
_FOR_SETTING = re.compile(rf"\s+for\s+(?:the\s+)?(?P<setting>{_SETTING.pattern})", re.IGNORECASE)
"""A setting's name after "for": "0.9 for momentum" is another setting's value."""
_NEXT_WORDS = re.compile(r"[^\w,;.()]*([^\s,;.()]+(?:\s+[^\s,;.()]+)?)")
"""The two words after a number, in its clause: "test accuracy" of "0.9234 test accuracy."."""
_SPAN = 100
"""How many times one value of a setting's list may be another: "lr 0.1, 0.01 and 0.001", not "lr 0.01, 94.12" nor
"lr 3e-4, 0.9, 0.999" (Adam's betas)."""


@dataclass(frozen=True)
class Listed:
    """The bare numbers joined after a setting's value (``listed``)."""

    items: tuple[re.Match[str], ...]
    """Its further values ("number" group): "0.01" of "lr 0.1, 0.01 too"."""
    after: re.Match[str] | None
    """The bare number joined after them that is no sure value of it: a result ("lr 0.1, 93.2 on CIFAR-10"), another
    setting's ("0.9 for momentum") or one in doubt ("lr 0.1 and 0.01 yield")."""
    maybe: bool
    """Whether ``after`` may be a further value: in the first's range, and no result's nor other setting's word after
    it ("lr 0.1 and 0.01 yield", not "lr 0.01, 0.9234 test accuracy")."""


def listed(text: str, end: int, first: float, plural: bool = False) -> Listed:
    """The bare numbers of ``text`` joined after a setting's value ``first`` that ends at ``end``: each a further value
    where it is in the first's range (``_in_range``) and followed by another, a clause's end or a list word ("and",
    "too", "respectively"), after a plural name ("learning rates of 0.1 and 0.01 were") by any word but a result's;
    the list ends at the first that is not, and at one with a name or noun of its own ("lr 0.1 and 200 epochs"). The
    one reader of such lists: a draft's candidates (``setting``) and the recipe's draft (draft_recipe)."""
    items: list[re.Match[str]] = []
    while (item := _JOINED_BARE.match(text, end)) and not _OWN.match(text, item.end()):
        near, theirs = _in_range(first, _float(item["number"])), _theirs(text, item.end())
        if not (near and (_GOES_ON.match(text, item.end()) or plural and not theirs)):
            return Listed(tuple(items), item, near and not theirs)
        items.append(item)
        end = item.end()
    return Listed(tuple(items), None, False)


def _in_range(first: float, value: float) -> bool:
    """Whether ``value`` may be another value of the setting whose first is ``first``: neither is 0 nor more than
    ``_SPAN`` times the other."""
    low, high = sorted((abs(first), abs(value)))
    return 0 < low and high <= _SPAN * low


def plural(name: str) -> bool:
    """Whether ``name`` is a setting's name in the plural ("learning rates", "lrs"), which states several values."""
    return bool((match := _SETTING.fullmatch(name)) and match["plural"])


def _theirs(text: str, end: int) -> bool:
    """Whether the words after a number make it a result or another setting's: a kind's keyword in the next two
    ("0.9234 test accuracy", "76.4 top-1"), or "for" and a setting's name ("0.9 for momentum")."""
    words = _NEXT_WORDS.match(text, end)
    return bool(_FOR_SETTING.match(text, end) or words and guess_kind(words[1]))


_TIMES_AFTER = re.compile(r"\s?[×xX](?!\w|\s*\d)")
"""A multiplication sign after a number that makes it a ratio or a multiplier: "8.4× smaller", "2.5 x faster",
"ShuffleNetV2 0.5×"; not a product's ("1.2 × 10^6", "3 x 3")."""
_WORD_BEFORE = re.compile(r"(?<![\w-])[\w-]+(?=\s\Z)")
"""The word right before a number, a space between: "SqueezeNet" of "SqueezeNet 1.1", "EfficientNet-B0"."""
_VERSION_BELOW = 10
"""A version or a width multiplier prints one digit before its point ("1.1", "0.5"); "SqueezeNet 58.18" is a claim."""
_VERSION_DECIMALS = 1
"""A version or a width multiplier prints at most one decimal ("1.1", "0.5", "2.2"); "LeNet 0.312" is a loss."""


_SOFTWARE_VERSION_BELOW = 20
"""A library's version starts below 20 ("CUDA 12.4", "Python 3.12", "PyTorch 2", "torchvision 0.15"); "PyTorch
94.12" and "TensorFlow 76.1" are results."""
_SOFTWARE_DECIMALS = 2
"""A library's version prints at most two decimals ("TensorFlow 2.12", "Python 3.11"); "Keras 0.2987" is a result."""
_SOFTWARE = ("tensorflow", "tf", "keras", "pytorch", "torch", "torchvision", "timm", "jax", "flax", "python", "cuda",
             "cudnn", "numpy", "scikit-learn", "sklearn", "version")
"""The libraries (and the word) a version follows, under ``_SOFTWARE_VERSION_BELOW`` to ``_SOFTWARE_DECIMALS``:
"TensorFlow 2.12", "Python 3.11", "CUDA 11.8", "cuDNN version 8.6"."""


def is_candidate(mention: Mention, sentence: str) -> bool:
    """A number with a unit, decimals, a bound, a spread or a quantity noun; not a bare count or a year, nor the
    value of a training setting its ``sentence`` names (``setting``), nor a ratio or a multiplier (``_multiplier``),
    nor a version or a width in a model's name (``_in_name``), nor a normalisation's mean or std
    (``_normalization``)."""
    return bool(mention.unit or mention.number.digits or mention.number.bound or mention.number.spread is not None
                or mention.noun) and not (setting(sentence, mention) or _multiplier(sentence, mention)
                                          or _in_name(sentence, mention) or _normalization(sentence, mention))


NORMALIZES = re.compile(r"normali[sz]|standardi[sz]", re.IGNORECASE)
"""The words of a sentence on how pixels are normalised: "normalised", "Normalize(", "standardized"; the recipe's
draft (draft_recipe) reads a normalisation's mean and std only in such a sentence too."""
_NORMALIZATION_STAT = re.compile(rf"(?<![^\W_])(?:mean|std|stdev|standard[\s_-]+deviation)s?(?![^\W_])"
                                 rf"(?:\s*[=:(\[]\s*|\s+(?:(?:of|is|are)\s+)?[(\[]?\s*)(?:(?:{BARE})\s*,\s*)*$",
                                 re.IGNORECASE)
"""A mean's or a std's name right before a number, or before a list it ends: "mean 0.2860", "std=0.3530", "mean of
(0.4914, 0.4822, 0.4465"."""
_IN_NORMALIZE = re.compile(r"Normali[sz]e\s*\((?:[^()]|\([^()]*\))*(?:\([^()]*)?$", re.IGNORECASE)
"""The call of a normalisation whose bracket, or a bracket within it, a number stands in: "Normalize((0.1307,),
(0.3081,))"."""


def _normalization(sentence: str, mention: Mention) -> bool:
    """Whether the number is a mean or a std that pixels are normalised with, a training setting: one of ``sentence``
    that names normalisation, named as a mean or a std ("normalised with mean 0.2860 and std 0.3530") or in a
    Normalize call's bracket ("Normalize((0.1307,), (0.3081,))")."""
    if not _bare(mention) or not NORMALIZES.search(sentence):
        return False
    before = sentence[: mention.start]
    return bool(_NORMALIZATION_STAT.search(before) or _IN_NORMALIZE.search(before))


def _multiplier(sentence: str, mention: Mention) -> bool:
    """Whether the number is a ratio or a multiplier, which compares two models or scales one: "×" or "x" after it
    ("8.4× smaller than ResNet-18's", "2.5 x faster", "ShuffleNetV2 0.5×"), or "×" glued before it ("×0.5")."""
    glued = sentence[mention.start - 1 : mention.start] == "×"
    return glued or bool(_TIMES_AFTER.match(sentence, mention.start + len(mention.printed)))


def _in_name(sentence: str, mention: Mention) -> bool:
    """Whether the number is a version or a width in a model's (or a library's) name: under ``_VERSION_BELOW``, to
    one decimal at most, with no unit, noun, bound or spread, right after a name (a word with a capital and a small
    letter) that names no kind: "SqueezeNet 1.1", "MobileNetV2 1.0", "PyTorch 2.2", "Python 3.6+"; not "MACs 0.31",
    "Accuracy 0.9", "VGG 0.91", "LeNet 0.312". After a library's name (``_SOFTWARE``) a bare number is its version
    under ``_SOFTWARE_VERSION_BELOW`` to ``_SOFTWARE_DECIMALS`` decimals: "TensorFlow 2.12", "CUDA 11.8"; not "PyTorch
    94.12", "TensorFlow 76.1" nor "Keras 0.2987", results."""
    value = mention.number.value
    if not _bare(mention) or not isinstance(value, (int, float)):
        return False
    word = match.group() if (match := _WORD_BEFORE.search(sentence, 0, mention.start)) else ""
    if word.lower() in _SOFTWARE:
        return value < _SOFTWARE_VERSION_BELOW and (mention.number.digits or 0) <= _SOFTWARE_DECIMALS
    if value >= _VERSION_BELOW or (mention.number.digits or 0) > _VERSION_DECIMALS:
        return False
    named = word[:1].isalpha() and any(ch.isupper() for ch in word) and any(ch.islower() for ch in word)
    return named and guess_kind(word) is None


def _bare(mention: Mention) -> bool:
    """Whether the number prints no unit, noun, bound nor spread: "0.01", not "93.2%" nor "1.2M"."""
    return not (mention.unit or mention.noun or mention.number.bound or mention.number.spread is not None)


def setting(sentence: str, mention: Mention) -> str | None:
    """The training setting (``SETTINGS``) whose value the number is, or None: named right before it ("dropout 0.5",
    "validation_split=0.1", "a learning rate of 0.001", "momentum (0.9)", not "dropout (93.42 accuracy)"; a percentage
    only with a word or sign between, as in "dropout of 50%", since "with dropout: 91.2%" and "with dropout (91.2%)"
    are an ablation's accuracy), a bare further value listed after such a value (``listed``: "lr 0.1, 0.01", "learning
    rates of 0.1 and 0.01"; not the results of "lr 0.1, 93.2% accuracy", "lr 0.1, 93.2 on CIFAR-10", "lr 0.01, 0.9234
    test accuracy"), right after it ("0.1 label smoothing", "10% validation split") or after "for" a bare one
    (``_given``: "0.9 for momentum")."""
    end = mention.start + len(mention.printed)
    if _bare(mention) and (given := _given(sentence, end)):
        return given
    for match in _SETTING.finditer(sentence):
        if match.start() >= end and not sentence[end : match.start()].strip():
            return match.group()
        if match.end() > mention.start:
            continue
        named = _NAMED_BY.fullmatch(sentence, match.end(), mention.start)
        if named and (mention.unit != "%" or named.group().strip(" :(")) and (
                "(" not in named.group() or _BRACKET_ENDS.match(sentence, end)):
            return match.group()
        first = _VALUE.match(sentence, _NAMED_BY.match(sentence, match.end()).end()) if _bare(mention) else None
        found = listed(sentence, first.end(), _float(first.group()), bool(match["plural"])) if first else None
        if found and mention.start in {item.start("number") for item in found.items}:
            return match.group()
    return None


def _given(sentence: str, end: int) -> str | None:
    """The setting whose name follows "for" after a number that ends at ``end`` ("0.9 for momentum", "5e-4 for the
    weight decay"), or None; none where a number of the setting's own follows its name ("93.2 for the lr 0.1
    model")."""
    named = _FOR_SETTING.match(sentence, end)
    if not named or _VALUE.match(sentence, _NAMED_BY.match(sentence, named.end()).end()):
        return None
    return named["setting"]


def _float(number: str) -> float:
    """A bare number (``BARE``) as a float: "1,024" is 1024.0."""
    return float(number.replace(",", ""))


def kind_of(sentence: str, mention: Mention) -> str | None:
    """The kind a number of ``sentence`` is drafted as: none for a change (``change``: "by 2.1%", "+2.1%") or a share
    (``share``: "80% of the training set"); else the one its noun names ("9,089 trainable parameters"), else the
    nearest keyword's (``nearest_kind``)."""
    if change(sentence, mention) or share(sentence, mention):
        return None
    return guess_kind(mention.noun) if mention.noun else nearest_kind(sentence, mention)


def noun_words(sentence: str, mention: Mention) -> str:
    """The words of ``sentence`` that name what a number is, read as a table's header is: its noun ("9,089 trainable
    parameters"), else the nearest kind's keyword with the words before it (``_nearest``: "90% test accuracy"); ""
    where none stands in it."""
    if mention.noun:
        return mention.noun
    nearest = _nearest(sentence, mention)
    return nearest[1] if nearest else ""


def kind_todo(sentence: str, mention: Mention) -> str:
    """The kind's TODO of a number of ``sentence`` of no kind (``kind_of``): one that names the words of a change or
    of what claimbench does not measure ("top-5 accuracy of 99.6%"), as a table's header does; else
    ``UNKNOWN_KIND``."""
    if changed := change(sentence, mention):
        return unmeasured_kind(f"change ({changed!r})")
    if shared := share(sentence, mention):
        return unmeasured_kind(f"share ({shared!r})")
    nearest = _nearest(sentence, mention)
    return unmeasured_kind(repr(nearest[1])) if nearest and nearest[0] is None else UNKNOWN_KIND


_CHANGE_BEFORE = re.compile(r"(?<![^\W_])by\s+$", re.IGNORECASE)
""""by" right before a number, which makes it a change: "improves on the baseline by 2.1%"."""
_CHANGE_AFTER = re.compile(r"\s*(?:higher|lower|better|worse|more|less|fewer|smaller|larger|improvement|gain|drop|"
                           r"increase|decrease|reduction|points?|pp)(?![^\W_])", re.IGNORECASE)
"""A word right after a number that makes it a change: "2.1% higher", "1.2 points better"."""


def change(sentence: str, mention: Mention) -> str | None:
    """The words that make a number of ``sentence`` a change, no quantity of one model: its sign ("+2.1%"), "by"
    before it ("improves by 2.1%") or a comparison after it ("2.1% higher"); None where none does."""
    end = mention.start + len(mention.printed)
    if mention.printed.startswith(("+", "-", *numerals.MINUS)):
        return mention.printed
    if before := _CHANGE_BEFORE.search(sentence, 0, mention.start):
        return sentence[before.start() : end]
    after = _CHANGE_AFTER.match(sentence, end)
    return sentence[mention.start : after.end()] if after else None


_SHARE = re.compile(r"\s+of\s+(?:[^\W\d_][\w'-]*\s*){1,3}", re.IGNORECASE)
""""of" and the words after a percentage that make it a share of them: "80% of the training set"."""


def share(sentence: str, mention: Mention) -> str | None:
    """The words that make a percentage of ``sentence`` a share of something, no accuracy: "of" and a noun after it
    ("80% of the training set", "40% of the weights", "99% of the teacher's accuracy"); None where none does."""
    after = _SHARE.match(sentence, mention.start + len(mention.printed)) if mention.unit == "%" else None
    return sentence[mention.start : after.end()].strip() if after else None


def nearest_kind(sentence: str, mention: Mention) -> str | None:
    """The kind whose keyword stands nearest the number, among those its unit allows (``_nearest``); None where the
    words of that keyword name what claimbench does not measure ("128 KB of RAM", "a top-5 accuracy of 99.6%"). Where
    none stands in its sentence, the one its unit gives by default (``unit_kind``: a percentage an accuracy)."""
    nearest = _nearest(sentence, mention)
    return nearest[0] if nearest is not None else unit_kind(mention.unit, sentence)


_PHRASE_WORDS = 3
"""How many words before a kind's keyword, in its clause, are read with it as a header is: "top-5 test accuracy"."""


def _nearest(sentence: str, mention: Mention) -> tuple[str | None, str] | None:
    """(kind, its words) of the keyword nearest the number among the kinds its unit allows, the kind None where its
    words, the keyword and the ``_PHRASE_WORDS`` before it in its clause (not the number's), name what claimbench
    does not measure ("top-5 accuracy", "RAM"); None where none stands in ``sentence``."""
    allowed = UNIT_KINDS.get(mention.unit or "")
    kinds = (*(allowed or (kind for kind, _ in KIND_WORDS if kind != "output_shape")), None)
    end = mention.start + len(mention.printed)
    hits = [(abs(start - mention.start), start, stop, kind) for start, stop, kind in _keywords(sentence)
            if kind in kinds and not mention.start <= start < end]
    if not hits:
        return None
    _, start, stop, kind = min(hits, key=lambda hit: hit[0])
    clause = re.split(r"[,;:()\[\]]", sentence[end if start >= end else 0 : start])[-1]
    before = list(WORD.finditer(clause))[-_PHRASE_WORDS:]
    words = sentence[start - len(clause) + before[0].start() if before else start : stop]
    return (None if unmeasured(meant(words_of(words))) else kind), words


@functools.lru_cache(maxsize=64)
def _keywords(sentence: str) -> tuple[tuple[int, int, str | None], ...]:
    """(where it starts, where it ends, kind) of each kind's keyword in ``sentence``, kind None for a word of
    ``UNMEASURED``: found once per sentence, not once per number in it."""
    found = list(WORD.finditer(sentence.lower()))
    words = meant([m.group() for m in found])
    return tuple((m.start(), found[i + len(phrase.split()) - 1].end(), kind) for i, m in enumerate(found)
                 for kind, phrases in (*KIND_WORDS, (None, UNMEASURED))
                 if (phrase := next((p for p in phrases if has(words[i : i + len(p.split())], p)), None)))


def comment(text: str) -> str:
    """``text`` on one comment line: control characters become spaces."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text).strip()
