"""What a column header, a row label or a sentence names: the claim kind its words guess (``guess_kind``), what
claimbench does not measure, the kinds a unit allows, the kind's TODO where none is guessed, and the dataset a report
names (``named_dataset``). Torch-free."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

from claimbench import numerals, vocab
from claimbench.toml_lines import todo

__all__ = ["BESIDE", "DATASET_NAMES", "KIND_WORDS", "NOT_THE_MODEL", "SETTINGS", "SPLIT_WORDS", "UNIT_KINDS",
           "UNKNOWN_KIND", "UNLOADED", "UNMEASURED", "UNMEASURED_KIND", "WORD", "counts_flops", "datasets_named",
           "guess_kind", "has", "meant", "named_dataset", "names_setting", "unit_kind", "unit_kinds",
           "unit_names_kind", "unknown_kind", "unmeasured", "unmeasured_kind", "whole_time", "words_of"]

# Kinds guessed from words, first match wins: "Training-Test Gap (%)" is a gap, not an accuracy.
# "output_shape" is a layer claim's quantity (the only claim that holds a shape). A time is an epoch's only where
# the words say so: a latency, a throughput or a whole training's time is none.
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("output_shape", ("output shape", "output size", "shape")),
    ("gap", ("gap",)),
    ("best_epoch", ("best epoch", "best ep")),
    ("epoch_time", ("time per epoch", "epoch time", "time epoch", *(f"{unit}{per} epoch" for unit in (
        *numerals.TIMES, "sec", "secs", "seconds") for per in ("", " per")))),
    ("macs", ("macs", "mac", "flops", "flop", "gflops", "mflops", "gmacs", "mmacs", "kmacs", "mult adds", "madds",
              "multiply adds")),
    ("params", ("params", "param", "parameters", "parameter")),
    ("size", ("size", "mb", "kb", "gb", "mib", "kib", "gib")),
    ("precision", ("precision",)),
    ("recall", ("recall",)),
    ("loss", ("loss",)),
    ("accuracy", ("accuracy", "acc", "top 1", "top1", "genauigkeit")),
)
_PER_SECOND = tuple(f"{noun} {per}" for noun in ("img", "imgs", "im", "image", "images", "sample", "samples")
                    for per in ("s", "sec", "second", "per s", "per sec", "per second"))
"""A throughput's words: "img/s", "images/sec", "samples per second"."""
F_SCORES = ("f1", "f1score", "f 1 score", "f score", "fscore", "f measure", "fmeasure", "f beta", "fbeta")
"""Words of an F-score: "F1 (macro)", "F1-score", "Macro-F1", "F-measure", "F1 (%)"."""
UNMEASURED = ("top 5", "top5", "acc 5", "err", "error", "errors", "latency", "throughput", "fps", *_PER_SECOND,
              "inference", "ram", "sram", "dram", "memory", "activation", "activations", "drop", "delta", "δ",
              "change", "reduction", "gain", "improvement", "diff", "difference", "speedup", "speed up", "sparsity",
              "sparse", "pruned", "non zero", "nonzero", *F_SCORES)
"""Words of what claimbench does not measure, which a kind's keyword beside them would misname: a top-5 accuracy
(claimbench's is top-1), an error rate, a latency or a throughput ("img/s"), memory ("Peak memory (MB)" is no model
size), a change ("Acc. drop", "Δ Top-1", "Size reduction": no accuracy or size of one model), a pruned model's
non-zero weights ("Non-zero params", "75% sparsity": no parameter count), an F-score (``F_SCORES``: a precision and a
recall are kinds, no mean of them is). A header of a whole training's time is one too (``whole_time``)."""
_TIMES = ("time", "duration")
"""Words of a time, which is an epoch's only where a word of an epoch stands beside them ("Epoch time", "Time per
epoch"); else a whole training's ("Training time", "Total time")."""
UNMEASURED_KIND = "claimbench measures no"
"""How the kind TODO of a column of what claimbench does not measure begins, after ``UNKNOWN_KIND``: the draft writes
its claims commented out."""
SPLIT_WORDS = {"test": "test", "testing": "test", "val": "val", "valid": "val", "validation": "val",
               "train": "train", "training": "train"}
"""The split each word of a header names: "Test acc.", "val_loss", "Validation accuracy", "Train loss"."""
_PERCENT_BESIDE = frozenset({*SPLIT_WORDS, "eval", "evaluation", "set"})
"""Words beside which a percent sign names an accuracy, with a dataset's (``DATASET_NAMES``): "Test (%)", "CIFAR-10
(%)"; beside any other ("F1 (%)", "ECE (%)", "Dropout (%)") it names none."""
SETTINGS = ("year", "depth", "layers", "epochs", "epoch", "lr", "learning rate", "batch size", "batch", "resolution",
            "input size", "image size", "img size", "crop", "steps", "iterations", "dropout", "weight decay",
            "momentum", "nesterov", "warmup", "width", "optimizer", "optimiser", "schedule", "augmentation")
"""Words of a column header (or a row label) of a setting of a run or of a model, or of when it was published:
"Year", "Depth", "Epochs", "LR", "Batch size", "Layers", "Resolution", "Optimizer", "Nesterov", "LR schedule", "Data
augmentation"; no claim kind names one
(``names_setting``)."""
NOT_THE_MODEL = ("memory", "mem", "vram", "gpu", "ram", "dataset", "data", "download", "storage")
"""Words of a header whose cells' units may count what is no model's: memory ("2.1 GB" under "VRAM"), data ("163 MB"
under "Training data"), a download or storage; a cell's own unit names no kind under it."""
# What a unit allows a number in running text to be; the nearest keyword picks one (first = default).
UNIT_KINDS = {
    "%": ("accuracy", "gap", "precision", "recall"),
    **dict.fromkeys(("KB", "kB", "MB", "GB", "KiB", "MiB", "GiB"), ("size",)),
    **dict.fromkeys(numerals.TIMES, ("epoch_time",)),
    **dict.fromkeys(("k", "K", "M", "B", "thousand", "thousands", "million", "millions", "billion", "billions"),
                    ("params", "macs")),
    "G": ("macs", "params"),
}
UNKNOWN_KIND = todo("kind", vocab.KINDS)
"""The kind's TODO, where the words name no kind."""


@functools.lru_cache(maxsize=4096)
def guess_kind(header: str) -> str | None:
    """The claim kind a column header names ("Parameters (M)" -> "params"), or None; None too where it names what
    claimbench does not measure (``UNMEASURED``: "Top-5 Acc.", "Top-1 err. (%)", "RAM (KB)", "Latency (ms)")."""
    words = meant(words_of(header))
    if unmeasured(words):
        return None
    kind = next((kind for kind, phrases in KIND_WORDS if any(has(words, p) for p in phrases)), None)
    return kind or ("accuracy" if _split_percent(words) else None)


def _split_percent(words: list[str]) -> bool:
    """Whether ``words`` are a percent sign and words of a split (``_PERCENT_BESIDE``) or of a dataset's name
    (``DATASET_NAMES``) alone: "Test (%)", "CIFAR-10 (%)", "Validation %"."""
    beside = _PERCENT_BESIDE | _DATASET_WORDS
    return "%" in words and all(word in beside or word == "%" for word in words if word)


@functools.lru_cache(maxsize=4096)
def names_setting(header: str) -> str | None:
    """The word of ``SETTINGS`` a column header names where it names no kind, nor what claimbench does not measure
    ("Epochs", "Batch size", "LR"), or None ("Best epoch", "Epoch time")."""
    words = words_of(header)
    if guess_kind(header) or unmeasured(meant(words)):
        return None
    return next((setting for setting in SETTINGS if has(words, setting)), None)


@functools.lru_cache(maxsize=4096)
def counts_flops(header: str) -> bool:
    """Whether ``header`` counts FLOPs ("GFLOPs", "FLOPs (G)"), which are one or two per multiply-add."""
    return any(re.fullmatch(r"[kmgbt]?flops?", word) for word in words_of(header))


def unmeasured(words: list[str]) -> str | None:
    """The first phrase of ``UNMEASURED`` in ``words`` (as ``meant`` leaves them), or None."""
    return next((phrase for phrase in UNMEASURED if has(words, phrase)), None)


def whole_time(words: list[str]) -> bool:
    """Whether a header's ``words`` name a whole training's time: a word of a time (``_TIMES``) and none of an epoch
    ("Training time", "Total time"; not "Epoch time", "Time per epoch")."""
    return any(word in _TIMES for word in words) and not any(word.startswith("epoch") for word in words)


@functools.lru_cache(maxsize=4096)
def unit_names_kind(header: str) -> bool:
    """Whether a cell's own unit or noun may give its kind under ``header`` ("11.9 KB" under "Checkpoint"): not where
    the header names what claimbench does not measure (``UNMEASURED``, a whole training's time: ``whole_time``) or
    what is no model's (``NOT_THE_MODEL``)."""
    words = meant(words_of(header))
    return not unmeasured(words) and not whole_time(words) and not any(has(words, word) for word in NOT_THE_MODEL)


@functools.lru_cache(maxsize=4096)
def unit_kind(unit: str | None, text: str) -> str | None:
    """The kind a unit gives a number by default (``UNIT_KINDS``): a time only where ``text`` speaks of an epoch."""
    kind = UNIT_KINDS.get(unit or "", (None,))[0]
    if kind == "epoch_time" and not any(word.startswith("epoch") for word in words_of(text)):
        return None
    return kind


def unit_kinds(unit: str) -> tuple[str, ...]:
    """The kinds a number printed in ``unit`` may be: ``UNIT_KINDS``, and a size for a size's letters ("2.2M" under
    "Size" is 2.2 MB)."""
    return (*UNIT_KINDS.get(unit, ()), *(("size",) if unit in numerals.SIZE_LETTERS else ()))


_OTHER_SIZES = frozenset({"batch", "kernel", "patch", "step", "image", "img", "input", "hidden", "window", "pool",
                          "filter", "sample", "embedding", "vocabulary", "font", "population", "training", "test",
                          "dataset", "resolution"})
"""Nouns whose "size" is not the model's: "batch size", "kernel size", "image size"."""


_SPREADS = frozenset({"std", "standard"})
_QUALIFIED = {"size": _OTHER_SIZES, **dict.fromkeys(("err", "error", "errors"), _SPREADS)}
"""Words that the word before them makes another thing: "batch size" (no model size), "std. error" (a spread's
name, no error rate)."""


def meant(words: list[str]) -> list[str]:
    """``words`` with each one the word before it makes another thing (``_QUALIFIED``) blanked, in its place: no
    kind's keyword, and no word of ``UNMEASURED``."""
    return ["" if i and words[i - 1] in _QUALIFIED.get(word, ()) else word for i, word in enumerate(words)]


def unknown_kind(header: str) -> str:
    """The kind's TODO; where ``header`` names what claimbench does not measure ("Top-5", an F-score: "F1 (macro)",
    "F1 (%)"), saying so; where a word of it is a near-spelling of a kind's keyword ("Paramters"), naming the kind it
    reads like, for the author to confirm."""
    words = words_of(header)
    if any(has(words, phrase) for phrase in F_SCORES):
        return unmeasured_kind(f"F-score ({header!r}), only the precision and the recall it combines")
    if unmeasured(words) or whole_time(words):
        return unmeasured_kind(repr(header))
    if "%" in words:
        return unmeasured_kind(f"percentage but an accuracy, a gap, a precision or a recall, and {header!r} names "
                               "none")
    keywords = {phrase: kind for kind, phrases in KIND_WORDS for phrase in phrases if len(phrase) >= 5}
    for word in words_of(header):
        close = difflib.get_close_matches(word, keywords, n=1, cutoff=0.85)
        if close:
            kind = keywords[close[0]]
            named = "layer, with quantity = output_shape" if kind == "output_shape" else kind
            return f"{UNKNOWN_KIND}; {word!r} reads like {close[0]!r}: {named}?"
    return UNKNOWN_KIND


def unmeasured_kind(what: str) -> str:
    """The kind's TODO of a number of what claimbench does not measure (``what``, in words), whose claim the draft
    writes commented out."""
    return f"{UNKNOWN_KIND}; {UNMEASURED_KIND} {what}: commented out; to claim it, name what it is"


WORD = re.compile(r"δ|[^\W_δ]+|%")
"""A word (letters and digits of any script), a delta (lower-cased: "ΔAcc" is δ, acc) or a percent sign."""


def words_of(text: str) -> list[str]:
    """Lower-case words and percent signs: "Training-Test Gap (%)" -> training, test, gap, %; "Δ Top-1" -> δ,
    top, 1."""
    return WORD.findall(text.lower())


def has(words: list[str], phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``words`` as consecutive words."""
    wanted = phrase.split()
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1))


DATASET_NAMES: dict[str, tuple[str, ...]] = {
    "cifar10": ("cifar 10", "cifar10", "cifar 10 100", "cifar10 100"),
    "mnist": ("mnist",),
    "fashion_mnist": ("fashion mnist", "fashionmnist", "f mnist", "fmnist"),
    "cifar100": ("cifar 100", "cifar100", "cifar 10 100", "cifar10 100"),
    "imagenet": ("imagenet", "imagenet 1k", "imagenet1k", "imagenet 21k", "imagenet 22k", "ilsvrc", "ilsvrc 2012",
                 "ilsvrc2012"),
    "tiny_imagenet": ("tiny imagenet", "tinyimagenet"),
    "svhn": ("svhn",),
    "stl10": ("stl 10", "stl10"),
}
"""The names of each dataset of ``vocab.DATASETS`` as ``words_of`` splits them ("CIFAR-10", "Fashion-MNIST",
"FashionMNIST"); and those of datasets claimbench does not load (``UNLOADED``), which a report may train on instead
or too ("CIFAR-10/100" names two)."""
UNLOADED = {"cifar100": "CIFAR-100", "imagenet": "ImageNet", "tiny_imagenet": "Tiny ImageNet", "svhn": "SVHN",
            "stl10": "STL-10"}
"""The datasets of ``DATASET_NAMES`` claimbench does not load, as a ``why`` names them."""
_NAMED = {name: tuple(dataset for dataset, names in DATASET_NAMES.items() if name in names)
          for names in DATASET_NAMES.values() for name in names}
"""The datasets each name of ``DATASET_NAMES`` names."""
_DATASET_WORDS = frozenset(word for name in _NAMED for word in name.split())
"""The words of the names of ``DATASET_NAMES``."""
_DATASET_NAME = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(_NAMED, key=len, reverse=True))) + r")\b")
"""A name of ``DATASET_NAMES`` in whole words, the longest first: "fashion mnist" is one name, not "mnist"."""


def datasets_named(text: str) -> set[str]:
    """The datasets of ``DATASET_NAMES`` that ``text`` names: "Fashion-MNIST" fashion_mnist alone, "CIFAR-100" no
    cifar10, "EMNIST" none."""
    return {dataset for name in _DATASET_NAME.finditer(" ".join(words_of(text))) for dataset in _NAMED[name.group()]}


BESIDE = frozenset({"cifar100"})
"""The datasets of ``UNLOADED`` that a report naming one claimbench loads may train on too ("CIFAR-10/100"); the
others (ImageNet, ...) a report of CIFAR-10 names for its pretrained weights or as a reference."""


def named_dataset(texts: Iterable[str]) -> str | None:
    """The one dataset claimbench loads (``vocab.DATASETS``) that ``texts`` name, none of ``BESIDE`` with it; else
    the one of ``UNLOADED`` they name; None where they name none, or more than one."""
    named = set().union(*map(datasets_named, texts))
    loaded = named & set(vocab.DATASETS)
    mine = loaded | named & BESIDE if loaded else named
    return mine.pop() if len(mine) == 1 else None
