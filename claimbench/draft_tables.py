"""The claims of one markdown table of a report: one per cell with a digit (its number read under its column
header, or its row label in a transposed table, with the spread, scale and unit its neighbours print), and the
numbers a row label states; each with the TODOs only the author can fill in (model, count, input, ...), an input
size read where the text around it prints one, a training claim's dataset and an epoch time's machine where the
report names one, a split its header names, and Keras's count and layout in a table Keras printed.
`claimbench draft` (draft.py) writes them; its candidate claims of the running text and of model summaries take
their TODOs and byte-scale notes from here. Torch-free.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from claimbench import draft_text, draft_values, numerals, vocab
from claimbench.column_names import column_index, joined_headers
from claimbench.column_units import caption_scale, quoted, unit_column
from claimbench.draft_values import (FRACTION_KINDS, FRACTION_OR_PERCENT_SCALE, PERCENT_KINDS,
                                     PERCENT_OR_FRACTION_SCALE, TRAINED, UNIT_TODOS)
from claimbench.header_rows import read_headers, sub_header
from claimbench.kind_words import (SPLIT_WORDS, UNLOADED, counts_flops, guess_kind, has, names_setting, unit_kind,
                                   unit_kinds, unit_names_kind, unknown_kind, unmeasured, words_of)
from claimbench.markdown_tables import ABOVE, Table, slug, unique
from claimbench.name_index import Names, Texts, pattern
from claimbench.toml_lines import Guess, todo, toml

__all__ = ["DRAFTED_RECIPE", "EARLIER_EPOCH", "FLOPS_COUNT", "INPUT_SIZE", "LAST_EPOCH", "NAMED_DATASET",
           "NAMED_HARDWARE", "PARAM_COUNT", "SIZE_INPUT", "UNREAD", "Context", "byte_scale", "model_todo",
           "named_model", "per_layer", "row_models", "setting_rows", "settings", "table_claims", "todos", "unjudged"]

INPUT_SIZE = todo("[C, H, W], the input the report measured at, e.g. [3, 224, 224]; delete this line if the model "
                  "is registered with its input size")
"""The input a claim that runs the model needs (MACs, a layer's), where the report's text around it names none."""
SIZE_INPUT = f"{INPUT_SIZE}, or for a size other than {' or '.join(vocab.TORCHINFO_SIZES)}"
"""The input of a size claim, which only torchinfo's sizes run the model for."""

_PARAM_COUNT_WORDS = {
    "trainable": "parameters with requires_grad",
    "all": "every parameter, frozen ones too",
    "constructed": "trainable parameters built before the first forward",
    "keras": "all + BatchNorm's moving mean and variance, as Keras's count_params()",
    "state_dict_elements": "every element of the state_dict: parameters and buffers, num_batches_tracked too",
    "tensors": "len(list(model.parameters())): tensors, not elements",
    "state_dict": "len(model.state_dict()): entries, not elements",
}
"""What each of ``vocab.PARAM_COUNTS`` counts, in a few words."""
_MAC_COUNT_WORDS = {
    "pure": "one per multiply-add of a conv, linear or matmul, as torchvision's GFLOPS",
    "torchinfo": "pure + biases and BatchNorm, as torchinfo's Mult-Adds",
    "flops": "2 × pure",
}
"""What each of ``vocab.MAC_COUNTS`` counts, in a few words."""
_SIZE_WORDS = {
    "torchinfo_total": "torchinfo's Estimated Total Size",
    "checkpoint_weights": "a training checkpoint, no momentum",
    "checkpoint_sgd_momentum": "one with SGD momentum",
    "state_dict_file": "torch.save(model.state_dict())",
    "parameter_bytes": "the parameters' bytes",
    "torchinfo_params": "torchinfo's Params size",
    "keras_weights": "Keras 3's Total params size: BatchNorm's moving statistics too",
}
"""What each of ``vocab.SIZES`` counts, in a few words."""


def _choices(what: str, words: dict[str, str]) -> str:
    """A TODO that names what to fill in and each allowed value with what it counts."""
    return todo(f"{what}: " + " | ".join(f"{value} ({meaning})" for value, meaning in words.items()))


PARAM_COUNT = _choices("parameter count convention", {count: _PARAM_COUNT_WORDS[count] for count in vocab.PARAM_COUNTS})
"""The count of a parameter count whose header names none: each count with what it counts."""

# (field, TODO text, the kinds or layer quantities that take it), in the order they are written.
_TODO_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("layer", todo("submodule path, e.g. layer3"), ("layer",)),
    ("count", PARAM_COUNT, ("params",)),
    ("count", _choices("MAC convention", {count: _MAC_COUNT_WORDS[count] for count in vocab.MAC_COUNTS}), ("macs",)),
    ("layout", todo("output shape layout", vocab.LAYOUTS), ("output_shape",)),
    ("size", _choices("size convention", {size: _SIZE_WORDS[size] for size in vocab.SIZES}), ("size",)),
    ("input", INPUT_SIZE, ("macs", "layer")),
    ("input", SIZE_INPUT, ("size",)),
    ("dataset", todo("dataset", vocab.DATASETS), TRAINED),
    ("split", todo("split", vocab.SPLITS), vocab.METRIC_KINDS),
    ("statistic", todo("statistic", vocab.STATISTICS), vocab.TRAINING_KINDS),
    ("hardware", todo("the machine the author timed on"), ("epoch_time",)),
)
DRAFTED_RECIPE = "the recipe drafted above: a claim the report trains otherwise names a [recipe.<name>] of its own"
"""The comment on a training claim's ``recipe``, the one ``[recipe.<slug>]`` the draft writes for them all."""
NAMED_DATASET = "the only dataset claimbench loads the report names; a claim on another needs its own"
"""The comment on a training claim's ``dataset``, where the report names one (``Context.dataset``)."""
NAMED_HARDWARE = "the only machine the report names; an epoch timed on another needs its own"
"""The comment on an epoch time's ``hardware``, where the report names one machine (``Context.hardware``)."""
UNREAD = todo("the number this cell claims: value (with scale and tolerance), or above | below | between")
"""The value of a cell the draft could not read: its claim is written commented out."""
FLOPS_COUNT = todo("pure (a FLOP is one multiply-add, as most model tables count) or flops (2 × multiply-adds)")
"""The count of a number printed as FLOPs: a multiply-add is one FLOP in most tables, two in others."""
_TOTAL_PARAMS = todo("parameter count convention of a 'Total params', which counts frozen parameters too: all as "
                     "torchinfo counts them, keras as Keras's summary does, BatchNorm's moving mean and variance among "
                     "them", ("all", "keras"))
"""The count of a "Total params": torchinfo's or Keras's, which differ by a BatchNorm's moving statistics."""
_NON_TRAINABLE = todo("no count measures a 'Non-trainable params', Keras's frozen weights and BatchNorm's moving mean "
                      "and variance: delete this claim, or claim the model's trainable or total count")
"""The count of a "Non-trainable params", which claimbench does not measure."""
_TRAINABLE = Guess("trainable", "the trainable parameters its header or sentence names: those with requires_grad")
"""The count of a "Trainable params", Keras's and torchinfo's alike."""
_SUMMARY_PARAMS = todo("parameter count convention of a summary's per-layer 'Param #', which counts frozen "
                       "parameters too: all as torchinfo and torchsummary count them, keras as Keras's summary does, "
                       "BatchNorm's moving mean and variance among them", ("all", "keras"))
"""The count of a "Param #", the column of a layer's parameters in Keras's, torchinfo's and torchsummary's summaries,
which differ by a BatchNorm's moving statistics."""
_PARAM_NUMBER = re.compile(r"(?<!\w)params?\s*#", re.IGNORECASE)
"""A summary's column of a layer's parameters: "Param #"."""
_KERAS_PARAMS = Guess("keras", "Keras's per-layer 'Param #', as its shapes' batch dimension None shows: every weight "
                               "of the layer, trainable or not, BatchNorm's moving mean and variance among them")
"""The count of a "Param #" of a Keras summary's table (``_keras_summary``)."""
_KERAS_LAYOUT = Guess("channels_last", "Keras prints (None, H, W, C), as its batch dimension None shows: channels last")
"""The layout of an output shape of a Keras summary's table (``_keras_summary``)."""
_TRAINING_SPLIT = todo("split of a number of the training set, which its header leaves open: train_running is the "
                       "running mean over each epoch's batches in train mode, as Keras's fit and most loops log it; "
                       "train is the training set evaluated once after training, in eval mode",
                       ("train_running", "train"))
"""The split of a header that names the training set ("Train acc"): its running mean or an evaluation after
training, which differ by the augmentation and dropout of train mode."""
_RUNNING = Guess("train_running", "a column of Keras's fit log with no val_ before it: the running mean over each "
                                  "epoch's training batches")
"""The split of a training claim of a Keras fit log's bare "loss" or "accuracy" column (``_keras_fit_log``)."""
_SETTINGS_HEADER = ("hyperparameter", "hyperparameters", "hyper parameter", "hyper parameters", "hparam", "hparams",
                    "parameter", "param", "setting", "settings", "value", "values", "config", "configuration",
                    "option", "options")
"""Words of a header of a table of hyperparameters' first or second column: "Hyperparameter", "Setting", "Value"."""
_RESOLUTION = re.compile(r"(?<![\w.])(\d{1,4})\s*[x×]\s*(\d{1,4})(?:\s*[x×]\s*(\d{1,4}))?(?:\s*px)?(?!\w|\.\d)")
"""An image size: "224x224", "(224×224)", "3x32x32", "32x32x3", "28 x 28 px"."""
_SMALLEST_INPUT = 16
"""Sides below this are kernels and pools ("3x3", "2x2"), not inputs."""


@dataclass
class Context:
    """Per-draft settings and the ids handed out so far."""

    slug: str
    source: str | None
    ids: set[str] = field(default_factory=set)
    sentences: tuple[str, ...] = ()
    """The sentences of the report's running text, where one that names a table row's model may count its runs."""
    dataset: str | None = None
    """The one dataset the report names (``kind_words.named_dataset``), a training claim's, or one claimbench does
    not load (``kind_words.UNLOADED``: the claim is unverifiable); None: none, or several."""
    hardware: str | None = None
    """The one machine the report names (``hardware_names.named_machine``), an epoch time's; None: none, or several."""
    models: tuple[str, ...] = ()
    """The models the tables' rows name (``row_models``), of which a sentence's number may be one's."""

    @functools.cached_property
    def indexed(self) -> Texts:
        """The ``sentences``, indexed by their words once a draft (``name_index``)."""
        return Texts(self.sentences)


def settings(table: Table) -> tuple[str, list[str]]:
    """Where the table's settings stand ("under" its columns, or "in the rows" of a transposed table) and their
    headers or row labels (``kind_words.names_setting``: "Epochs", "LR", "Year"), whose cells draft no claim."""
    if _transposed(table):
        where, lines = "in the rows", [row[0] for row in table.rows if row]
    else:
        where, lines = "under", (read_headers(table.columns, table.rows) or table.columns)[1:]
    return where, [line for line in dict.fromkeys(lines) if names_setting(line)]


def setting_rows(table: Table) -> list[list[str]]:
    """The rows of a transposed table (``_transposed``) whose label names a setting (``_setting_row``: "| Learning
    rate | 0.05 |"), as plain text, each its label and then its value cells (a column of units left out); none of
    another table."""
    if not _transposed(table):
        return []
    units = unit_column(table.columns, table.rows)
    return [[numerals.plain_text(cell).strip() for index, cell in enumerate(row) if not units or index != units[0]]
            for row in table.rows if _setting_row(row)]


def per_layer(table: Table) -> bool:
    """Whether the table's rows are the layers of one model (its first column names layers)."""
    return bool(table.columns) and "layer" in words_of(table.columns[0])


@dataclass(frozen=True)
class _Cell:
    """A table cell with a digit (or one number of it, ``part``), and the header that names its kind and unit."""

    row: int
    index: int
    """Its column's."""
    printed: str
    header: str
    """Its column header; in a transposed table (``_transposed``), its row label."""
    number: numerals.Number | None
    part: str | None = None
    """The part of the cell its number is, where the cell prints more ("90.87" of "90.87 (+0.73)")."""
    aside: Guess | None = None
    """Its ``partial``, with a comment on the rest of the cell."""
    note: str | None = None
    """What the author must say of it: which of the cell's numbers it is."""


def table_claims(table: Table, context: Context) -> Iterator[dict[str, object]]:
    """One claim per numeric cell, plus the numbers a row label states as claims; a cell with a digit but no
    number the draft can read ("3 of 5", "16x16x32") gets a claim whose value is ``UNREAD``."""
    of_layers, repeated, transposed = per_layer(table), _repeated(table), _transposed(table)
    cells = _cells(table, transposed)
    every = [cell for row in cells.values() for cell in row]
    fractions = _line_cells(every, transposed, (*PERCENT_KINDS, None), draft_values.fractions)
    unsure = _percent_or_fraction(every, transposed)
    counted = _line_cells(every, transposed, ("params", "macs"), _unitless_counts)
    timed = _line_scales(every, transposed, ("epoch_time",))
    addresses = _addresses(table, transposed)
    last = None if transposed else _last_epoch(table)
    summary, fit_log = _keras_summary(table), last is not None and _keras_fit_log(table)
    captions: dict[bool, list[tuple[str, str]]] = {}  # the table's, by orientation: once, not once a cell
    for row_index, row in enumerate(table.rows):
        label = row[0] if row else ""
        around = _row_texts(table, row, of_layers)
        claims = list(_label_claims(table, label, around, context, captions))
        whole_model = of_layers and "total" in words_of(numerals.plain_text(label))
        for cell in cells.get(row_index, []):
            column = addresses[cell.index]
            clash = _clash(cell, transposed)
            quantity = clash.kind if clash else _quantity(cell.header, cell.number, cell.part or cell.printed)
            kind = _kind(quantity, of_layers and not whole_model)
            scale = timed.get((cell.row, cell.index)) or caption_scale(table.captions, quantity)
            note = ". ".join(filter(None, (cell.note, clash.note if clash else None,
                                             _as_printed(cell, transposed, kind))))
            note = note or None
            claim = _cell_claim(table, (label, column, cell.printed), cell.number, (kind, quantity),
                                (column, *around), context, cell.part, header=cell.header, aside=cell.aside,
                                note=note, fraction=(cell.row, cell.index) in fractions,
                                counted=(cell.row, cell.index) in counted, scale=scale, place=row_index + 1,
                                unsure=(cell.row, cell.index) in unsure, either=_either(cell, transposed, kind),
                                captions=captions)
            claims.append(claim | {"kind": todo("kind", clash.kinds)} if clash and not kind else claim)
        if last is not None:
            claims = [_of_a_log(claim, row_index == last) for claim in claims]
        if summary or fit_log:
            claims = [_of_keras(claim, summary, fit_log) for claim in claims]
        yield from map(functools.partial(_addressable, repeated), claims)


_LOG_INDEX = frozenset({"epoch", "epochs", "ep", "step", "steps", "iteration", "iterations", "iter"})
"""Words of the first column's header of a log of a training, each row an epoch (or a step) of it."""
EARLIER_EPOCH = todo("a row of the table's log of epochs before its last: claimbench measures a run's final epoch "
                     "(statistic = final) or its best (best_epoch), not this one; delete this claim, or keep it as the "
                     "best epoch's")
"""The note of a claim of a log's row before its last, which the draft writes commented out: re-measured, any other
epoch's number is refuted."""
LAST_EPOCH = Guess("final", "its row is the last epoch of the table's log")
"""The statistic of a training claim of a log's last row."""


def _last_epoch(table: Table) -> int | None:
    """The index of the last epoch's row of a log of epochs: a table whose first column's header is "Epoch" ("Step",
    "Iteration": ``_LOG_INDEX``) and names no kind, each of its two rows or more labelled by a whole number, the
    largest the last; None for any other table."""
    if not table.columns or len(table.rows) < 2 or guess_kind(table.columns[0]):
        return None
    if not _LOG_INDEX & set(words_of(numerals.plain_text(table.columns[0]))):
        return None
    labels = [numerals.plain_text(row[0]).strip() if row else "" for row in table.rows]
    if not all(label.isdigit() for label in labels):
        return None
    return max(range(len(labels)), key=lambda index: int(labels[index]))


def _of_a_log(claim: dict[str, object], last: bool) -> dict[str, object]:
    """A claim of a row of a log of epochs: of its ``last``, a training claim reads the final epoch
    (``LAST_EPOCH``); of another, it gets the note ``EARLIER_EPOCH``, and the draft writes it commented out."""
    if last:
        return claim | {"statistic": LAST_EPOCH} if "statistic" in claim else claim
    return claim | {"note": f"{EARLIER_EPOCH}. {claim['note']}" if "note" in claim else EARLIER_EPOCH}


def _keras_summary(table: Table) -> bool:
    """Whether the table is a Keras summary's: a cell prints a shape with Keras's batch dimension None ("(None, 32,
    32, 32)": ``numerals.keras_shape``), which no PyTorch summary prints. Its "Output Shape" and "Param #" columns
    alone are no sign: torchinfo's and torchsummary's are headed so too."""
    return any(numerals.keras_shape(cell) for row in table.rows for cell in row[1:])


def _keras_fit_log(table: Table) -> bool:
    """Whether a log of epochs (``_last_epoch``) is Keras's fit log: a column is headed by one of its history's
    validation keys ("val_loss", "val_accuracy"), so its bare "loss" and "accuracy" are the training batches'."""
    return any(re.fullmatch(r"val_\w+", numerals.plain_text(column).strip()) for column in table.columns)


def _of_keras(claim: dict[str, object], summary: bool, fit_log: bool) -> dict[str, object]:
    """A claim of a Keras table: of a ``summary``'s (``_keras_summary``), an output shape in Keras's channels-last
    layout, a "Param #" (``_SUMMARY_PARAMS``) in Keras's count; of a ``fit_log``'s (``_keras_fit_log``), a training
    claim whose column names no split, the training batches' running mean (``_RUNNING``)."""
    _, _, column = claim["cell"]  # type: ignore[misc]
    if summary and claim.get("quantity") == "output_shape":
        claim = claim | {"layout": _KERAS_LAYOUT}
    if summary and claim.get("count") == _SUMMARY_PARAMS:
        claim = claim | {"count": _KERAS_PARAMS}
    if fit_log and "split" in claim and not _splits(str(column)):
        claim = claim | {"split": _RUNNING}
    return claim


@dataclass(frozen=True)
class _Clash:
    """A cell whose own unit (or noun) names other kinds than its header does: "2.2M" under "Top-1 (%)"."""

    kinds: tuple[str, ...]
    """The kinds its unit (or noun) may be."""
    kind: str | None
    """The one of them it is, where that is clear: "12 MB" is a size; "2.2M" is a count or a size, "45%" one of
    four kinds, "12 s" an epoch's time only where the cell says per epoch."""
    note: str
    """A TODO that says the cell and its header disagree."""


def _clash(cell: _Cell, transposed: bool) -> _Clash | None:
    """How the unit the cell prints itself (or the noun after it, "1.2M params") contradicts the kind its header
    (a transposed table's row label) names, or FLOPs a header of MACs ("1.82 GFLOPs" under "MACs (G)": a FLOP may be
    half a MAC), or MACs one of FLOPs; None where they agree, or either names none. A clash is never drafted
    as the header's kind at the cell's scale ("2.2M" under "Top-1 (%)": no accuracy at scale 1e6)."""
    printed = cell.part or cell.printed
    header_kind, own = guess_kind(cell.header), numerals.parse(printed)
    if header_kind is None or own is None or own.unit is None or (named := _own_kind(printed)) is None:
        return None
    kinds, kind = named
    text = numerals.plain_text(printed)
    noun = re.search(numerals.NOUN, text)
    flops = noun is not None and counts_flops(noun.group())  # "1.82 GFLOPs" under "MACs (G)": one MAC, two FLOPs?
    counted = header_kind == "macs" and noun is not None and flops != counts_flops(cell.header)
    if header_kind in kinds and not counted:
        return None
    reads, names = ("FLOPs", "MACs") if counted and flops else ("MACs", "FLOPs") if counted else (
        " or ".join(kinds), header_kind)
    return _Clash(kinds, kind, todo(f"the cell and its header disagree: {text!r} reads as {reads}, its "
                                    f"{_header(cell, transposed)} names {names}; give the kind and scale the number "
                                    "is, or delete this claim"))


def _own_kind(printed: str) -> tuple[tuple[str, ...], str | None] | None:
    """The kinds the unit a cell prints itself (or the noun after it, "1.2M params") may be, and the one it is where
    that is clear: "12 MB" is a size; "2.2M" a count or a size, "45%" one of four kinds, "12 s" an epoch's time only
    where the cell says per epoch. None where it prints neither, or a shape."""
    own, text = numerals.parse(printed), numerals.plain_text(printed)
    noun = re.search(numerals.NOUN, text)
    named = guess_kind(noun.group()) if noun else None
    if own is None or isinstance(own.value, list) or not (named or own.unit):
        return None
    kinds = (named,) if named else unit_kinds(own.unit or "")
    if not kinds:  # a power of ten ("2.35e5", "1.2e-3") names no kind
        return None
    return kinds, kinds[0] if len(kinds) == 1 and (kinds[0] != "epoch_time" or unit_kind(own.unit, text)) else None


def _as_printed(cell: _Cell, transposed: bool, kind: str | None) -> str | None:
    """A note TODO where the cell prints a whole count in groups of three digits under a header that names a
    magnitude ("3,504,872" under "Params (M)"), or bytes under one that names a byte unit that would make them a
    terabyte ("46,830,571" under "Size (MB)"), which it is drafted without (``numerals.unheeded_magnitude``); else
    None."""
    printed = cell.part or cell.printed
    unit = numerals.unheeded_magnitude(printed, cell.header, kind or "")
    if unit is None or cell.number is None:
        return None
    text, sized = numerals.plain_text(printed), numerals.in_bytes(unit, kind or "")
    reads = (f"a whole number of bytes ({cell.number.value:,} {unit} would be a terabyte or more, no model's size)"
             if sized else "a whole count")
    scales = " or ".join(map(numerals.scale_text, numerals.scales(unit, kind or "")))
    return todo(f"the cell and its header disagree: {text!r} reads as {reads}, its {_header(cell, transposed)} names "
                f"{unit}; drafted as printed (scale 1{': bytes' if sized else ''}, exact): give scale = {scales} and "
                f"tolerance = {{ digits = 0 }} if it counts in {unit}, or delete this note")


def _either(cell: _Cell, transposed: bool, kind: str | None) -> str | None:
    """A scale TODO that names both readings where the cell prints a whole number in groups of three digits that may
    be a count (or bytes) as printed or count in the magnitude (or byte unit) its header names ("3,504,872" under
    "FLOPs (G)", "46,830,571" under "Size (KB)": ``numerals.either_magnitude``); else None."""
    printed = cell.part or cell.printed
    unit = numerals.either_magnitude(printed, cell.header, kind or "")
    if unit is None or cell.number is None:
        return None
    text, digits = numerals.plain_text(printed), f"{cell.number.value:,}"
    scales = " or ".join(map(numerals.scale_text, numerals.scales(unit, kind or "")))
    whole = "bytes" if numerals.in_bytes(unit, kind or "") else "a whole count"
    return todo(f"{text!r} under {_header(cell, transposed)} is {digits} as printed (scale = 1: {whole}, its "
                f"header's {unit} not applied) or {digits} {unit} (scale = {scales}): give the scale it counts in")


def _header(cell: _Cell, transposed: bool) -> str:
    """What names the cell's kind and unit, in words: its column header, or a transposed table's row label."""
    return f"{'row label' if transposed else 'column header'} {numerals.plain_text(cell.header)!r}"


def _transposed(table: Table) -> bool:
    """Whether the table's rows are its metrics and its columns its models: no column header but the first names
    a kind, and a column of units (``unit_column``) gives each row its unit, or it is a table of hyperparameters
    (``_of_settings``) half of whose row labels at least name a setting and print no number (``_setting_row``), or
    half name a kind (``_metric_kind``), two kinds at least among them (an ablation's "Focal loss", "Mixed precision"
    rows name methods, of one kind each)."""
    if per_layer(table) or any(guess_kind(column) for column in table.columns[1:]):
        return False
    if unit_column(table.columns, table.rows):
        return True
    if _of_settings(table) and 2 * sum(_setting_row(row) for row in table.rows) >= len(table.rows) > 0:
        return True
    kinds = [kind for row in table.rows if row and (kind := _metric_kind(row[0]))]
    return len(set(kinds)) >= 2 and 2 * len(kinds) >= len(table.rows)


def _of_settings(table: Table) -> bool:
    """Whether the table may be one of hyperparameters, whose rows state settings: it has one value column, or its
    first or second header names settings (``_SETTINGS_HEADER``: "| Hyperparameter | Value |", "| Setting | ResNet |");
    not an ablation's "| Variant | ResNet-18 | VGG-16 |", whose "Cosine schedule" row holds accuracies."""
    return len(table.columns) == 2 or any(has(words_of(header), word) for header in table.columns[:2]
                                          for word in _SETTINGS_HEADER)


def _setting_row(row: list[str]) -> bool:
    """Whether the row's label names a setting and prints no number ("Learning rate", "Epochs"), as a variant's
    label does ("LR 0.1", an ablation's row, whose cells are its results)."""
    return bool(row) and names_setting(row[0]) is not None and not re.search(r"\d", row[0])


def _metric_kind(label: str) -> str | None:
    """The kind a row label names as a metric's ("Parameters", "Test accuracy (%, 4 runs)"), or None where it names
    none or states a number of its own, as a model's does ("ResNet (11M params)"): one with a unit, a noun, a bound
    or decimals. A whole number with none is a word of a header ("Top-1", "Params (×10^6)"), and a count of runs
    ("4 runs") no number of the label's."""
    stated = any(mention.unit or mention.noun or mention.number.bound or mention.number.digits
                 for mention in draft_text.mentions(label))
    return None if stated else guess_kind(label)


def _cells(table: Table, transposed: bool) -> dict[int, list[_Cell]]:
    """The cells with a digit, by row; their numbers read under their column header (with the unit a row of units
    under it prints, or joined with the header a second header row prints: rows that hold no claim), or in a
    ``transposed`` table under their row label (with the unit
    its cell of a column of units prints, a column that holds no claim)."""
    found: dict[int, list[_Cell]] = {}
    headers = None if transposed else read_headers(table.columns, table.rows)
    units = unit_column(table.columns, table.rows) if transposed else None
    for row_index, row in enumerate(table.rows[1:] if headers else table.rows, start=1 if headers else 0):
        label = f"{row[0]} ({units[1][row_index]})" if units and units[1][row_index] else row[0] if row else ""
        for index, (column, printed) in enumerate(zip((headers or table.columns)[1:], row[1:]), start=1):
            header = label if transposed else column
            if units and index == units[0] or names_setting(header):
                continue
            number = _read(printed, header)
            cell = _Cell(row_index, index, printed, header, number)
            if number is None and (parts := _parts(cell)):
                found.setdefault(row_index, []).extend(parts)
            elif number is not None or re.search(r"\d", numerals.plain_text(printed)):
                found.setdefault(row_index, []).append(cell)
    return _with_spreads(table, found, transposed)


def _read(printed: str, header: str) -> numerals.Number | None:
    """The number ``printed`` shows under ``header``, for the kind the header names: under "Size (B)", bytes, printed
    whole or not ("1,234,567,890"); under "Params (B)", billions, but a count printed whole from them up."""
    return numerals.parse(printed, header, guess_kind(header) or "")


_SPREAD_WORD = r"std\.?(?:\s*dev\.?)?|s\.?d\.?|stdev|standard\s+deviation|σ"
_SPREAD_HEADER = re.compile(rf"(?:(?:±|\+/?-)\s*(?:{_SPREAD_WORD})?|{_SPREAD_WORD})(?:\s*[(\[][^()\[\]]*[)\]])?",
                            re.IGNORECASE)
"""A column header that names a spread and nothing else: "±", "+/-", "std", "SD", "± std", "σ (%)"."""


def _with_spreads(table: Table, found: dict[int, list[_Cell]], transposed: bool) -> dict[int, list[_Cell]]:
    """The cells ``found`` (by row), each number in a spread's column ("±", "std": ``_SPREAD_HEADER``) read as the
    spread of the number in the column to its left, and in a ``transposed`` table each in a spread's row as that of
    the number in the row above, as "84.6 ± 0.5" in one cell is, and no claim of its own; a spread cell stays where
    that number, or its own, is no plain one (a bound, a range, a shape, a part, in another unit)."""
    whole = {(cell.row, cell.index): cell for cells in found.values() for cell in cells if cell.part is None}
    spread_of: dict[tuple[int, int], float] = {}
    spreads = set()
    for cell in whole.values():
        place = (cell.row - 1, cell.index) if transposed else (cell.row, cell.index - 1)
        line = table.rows[cell.row][0] if transposed else table.columns[cell.index]
        of = whole.get(place)
        spread = numerals.parse(re.sub(r"^\s*(?:±|\+/?-)\s*", "", cell.printed))  # in its own unit: "0.3%", "0.3"
        if (of is not None and of.number is not None and spread is not None
                and _SPREAD_HEADER.fullmatch(numerals.plain_text(line).strip())
                and _plain(of.number) and _plain(spread) and isinstance(spread.value, (int, float))
                and spread.value >= 0 and spread.unit in (None, of.number.unit)):
            spread_of[place] = spread.value
            spreads.add((cell.row, cell.index))
    return {row: [dataclasses.replace(cell, number=dataclasses.replace(cell.number, spread=spread_of[place]))
                  if (place := (cell.row, cell.index)) in spread_of and cell.number is not None else cell
                  for cell in cells if (cell.row, cell.index) not in spreads] for row, cells in found.items()}


def _plain(number: numerals.Number) -> bool:
    """Whether ``number`` is one value, with no bound and no spread of its own."""
    return isinstance(number.value, (int, float)) and not number.bound and number.spread is None


def _parts(cell: _Cell) -> list[_Cell]:
    """The number of a cell that prints a signed change after it ("90.87 (+0.73)": a difference from another row,
    neither its band nor a claim of its kind), or the numbers of one that prints several split by slashes ("2.2M /
    3.4M", each with a TODO to say which it is), each as a part of the cell; none where its text is no such thing,
    or its slashes part numbers of no kind, unit or decimals ("3/5")."""
    if (split := numerals.change(cell.printed)) and (number := _read(split[0], cell.header)) is not None:
        aside = Guess(True, f"its cell's {split[1]!r} is a change from another row, not its band: no claim drafted")
        return [dataclasses.replace(cell, number=number, part=split[0], aside=aside)]
    texts = re.split(r"\s*/\s*", cell.printed.strip())
    numbers = [number for text in texts if (number := _read(text, cell.header)) is not None
               and not isinstance(number.value, list)]
    if len(texts) < 2 or len(numbers) < len(texts):
        return []
    if not guess_kind(cell.header) and not any(number.unit or number.digits for number in numbers):
        return []
    note = todo(f"its cell prints {len(texts)} numbers ({numerals.plain_text(cell.printed)}): say which this one is "
                "(its model, split, count, ...), or delete this claim")
    return [dataclasses.replace(cell, number=number, part=text, note=note) for text, number in zip(texts, numbers)]


def _lines(cells: list[_Cell], transposed: bool, kinds: tuple[str | None, ...]
           ) -> list[list[tuple[_Cell, numerals.Number]]]:
    """The cells with a number, and their numbers, of each column (each row, where ``transposed``) whose header
    names one of ``kinds`` (None: no kind, nor anything claimbench does not measure): a column prints its numbers
    in one unit."""
    lines: dict[int, list[tuple[_Cell, numerals.Number]]] = {}
    for cell in cells:
        kind = guess_kind(cell.header)
        if cell.number is not None and kind in kinds and (kind or not unmeasured(words_of(cell.header))):
            lines.setdefault(cell.row if transposed else cell.index, []).append((cell, cell.number))
    return list(lines.values())


def _line_cells(cells: list[_Cell], transposed: bool, kinds: tuple[str | None, ...],
                printed_so: Callable[[list[numerals.Number]], bool]) -> set[tuple[int, int]]:
    """(row, column index) of the cells of each line of ``kinds`` (``_lines``) whose numbers are ``printed_so``."""
    return {(cell.row, cell.index) for line in _lines(cells, transposed, kinds)
            if printed_so([number for _, number in line]) for cell, _ in line}


def _percent_or_fraction(cells: list[_Cell], transposed: bool) -> set[tuple[int, int]]:
    """(row, column index) of the accuracies, precisions and recalls that may be fractions of 1 or percentages,
    their line printing percentages above 1 beside them (``draft_values.percent_or_fraction``)."""
    return {(cell.row, cell.index) for line in _lines(cells, transposed, (*PERCENT_KINDS, *FRACTION_KINDS))
            for (cell, _), unsure in zip(line, draft_values.percent_or_fraction([number for _, number in line]))
            if unsure}


def _line_scales(cells: list[_Cell], transposed: bool, kinds: tuple[str, ...]) -> dict[tuple[int, int], Guess]:
    """(row, column index) of the numbers with no unit of each line of ``kinds`` (``_lines``), and the scale of the
    one unit its other numbers print, with a comment: "1.15" below "1.15s" and "1.12s" is in seconds."""
    scales = {}
    for line in _lines(cells, transposed, kinds):
        printed = {number.unit for _, number in line if number.unit}
        if len(printed) == 1 and min(printed) in numerals.UNITS:  # "2.35e5" says nothing of "1.2" beside it
            unit = min(printed)
            scale = Guess(numerals.UNITS[unit], f"in {unit}, as the {'row' if transposed else 'column'} prints it")
            scales |= {(cell.row, cell.index): scale for cell, number in line if not number.unit}
    return scales


def _unitless_counts(numbers: list[numerals.Number]) -> bool:
    """Whether a column of parameter or MAC counts prints them in a unit it does not name: one number at least with
    decimals and no unit ("101.8" beside "93": thousands, both)."""
    return any(number.unit is None and not number.bound and number.digits for number in numbers)


def _addresses(table: Table, transposed: bool) -> list[str]:
    """The column each column's cells name: its header, or where the table repeats it (the empty headers under a
    merged one) and its first row is a second header row (``sub_header``), its header joined with that row's cell
    ("Complexity MACs (G)"), where that names it alone (``column_names``)."""
    if transposed or sub_header(table.columns, table.rows) is None:
        return list(table.columns)
    joined = joined_headers(table.columns, table.rows[0])
    return [name if table.columns.count(column) > 1 and column_index(table.columns, table.rows, name) == index
            else column for index, (column, name) in enumerate(zip(table.columns, joined))]


def _repeated(table: Table) -> set[str]:
    """The table's repeated column headers and row labels, in words: a cell is found by its row label and column
    header, so these leave a cell ambiguous."""
    columns, labels = Counter(table.columns), Counter(row[0] for row in table.rows if row)
    return {*(f"column {c!r}" for c, n in columns.items() if n > 1), *(f"row label {r!r}" for r, n in labels.items()
                                                                        if n > 1)}


def _addressable(repeated: set[str], claim: dict[str, object]) -> dict[str, object]:
    """The claim, its ``cell`` a TODO where a repeated column header or row label (``_repeated``) leaves it
    ambiguous."""
    _, label, column = claim["cell"]  # type: ignore[misc]
    ambiguous = [what for what in (f"column {column!r}", f"row label {label!r}") if what in repeated]
    if not ambiguous:
        return claim
    return {**claim, "cell": f"TODO: the table repeats its {' and its '.join(ambiguous)}, so no cell address finds "
                             f"{toml(claim['cell'])}: delete this line and keep the [[table]] as printed (the claim's "
                             f"printed is then looked for anywhere in the report)"}


def _row_texts(table: Table, row: list[str], of_layers: bool) -> tuple[str, ...]:
    """Where a row's input size may be printed, nearest first: its cells under an input or resolution header, its
    label (a model's, not a layer's), the table's title."""
    inputs = [cell for column, cell in zip(table.columns, row) if {"input", "resolution"} & set(words_of(column))]
    return (*inputs, *([] if of_layers or not row else [row[0]]), table.title)


def _quantity(column: str, number: numerals.Number | None, printed: str = "") -> str | None:
    """What a cell measures: an output shape for a shape, else the column header's kind; where the header names none
    (nor what claimbench does not measure, nor memory or data: ``unit_names_kind``), the one its own unit or noun
    names (``_own_kind``: "11.9 KB" under "Checkpoint", "1.82 GFLOPs"), or a time per epoch where the cell
    ``printed`` says so ("2.4s/epoch" under "Training time")."""
    kind = guess_kind(column)
    if number is not None and isinstance(number.value, list):
        return "output_shape"
    if kind is None and number is not None and re.search(rf"{numerals.PER_EPOCH}\W*$", numerals.plain_text(printed)):
        return "epoch_time"
    if kind is None and unit_names_kind(column) and (own := _own_kind(printed)):
        return own[1]
    return None if kind == "output_shape" else kind


def _kind(quantity: str | None, layer_row: bool) -> str | None:
    """A layer claim for a shape, and for params or MACs in a per-layer table's layer row."""
    if quantity == "output_shape" or (layer_row and quantity in ("params", "macs")):
        return "layer"
    return quantity


def _cell_claim(
    table: Table,
    cell: tuple[str, str, str],
    number: numerals.Number | None,
    kinds: tuple[str | None, str | None],
    around: tuple[str, ...],
    context: Context,
    partial: str | None = None,
    *,
    header: str | None = None,
    fraction: bool = False,
    counted: bool = False,
    scale: Guess | str | None = None,
    aside: Guess | None = None,
    note: str | None = None,
    place: int | None = None,
    unsure: bool = False,
    either: str | None = None,
    captions: dict[bool, list[tuple[str, str]]] | None = None,
) -> dict[str, object]:
    """The claim of one table cell (or of its part ``partial``: a label's, or a cell's); ``UNREAD`` without a number.
    ``around``: the texts that may print the input size its model ran on, nearest first; ``header``: what names
    its kind, if not its column (a transposed table's row label); ``fraction``: its column (or row) prints a
    percentage as a fraction of 1; ``counted``: its column (or row) prints counts in a unit it does not name;
    ``scale``: of the unit its column's (or row's) other numbers print, or the text above its table names (a TODO
    where it names several), where it prints none; ``aside``: its ``partial``, with a comment on the rest of the
    cell; ``note``: what the author must say of it; ``place``: its row's among the table's rows (1 for the first),
    which names the row in its ``source`` where the row's label is empty; ``unsure``: its line prints percentages
    above 1 and it, at most 1, with no unit, may be a fraction of 1 (a scale TODO asks which); ``either``: the scale
    TODO of a count (or bytes) that may be printed whole or in its header's magnitude (or byte unit: ``_either``);
    ``captions``: the table's ``_captions`` by orientation, which a cell of the same table fills and reads. A size
    printed whole that its header's byte unit would make a terabyte is in bytes (``_as_printed`` notes it)."""
    label, column, printed = cell
    header = header or column
    kind, quantity = kinds
    name = "/".join([kind or "claim", table.id, slug(label) or "row", slug(column) or "column"])
    claim: dict[str, object] = {"id": unique(name, context.ids), "kind": kind or unknown_kind(header)}
    if kind == "layer":
        claim["quantity"] = quantity or "TODO: params | macs | output_shape"
    line = "the row" if header != column else "the column"
    unnamed = False  # a whole number in a unit nobody names (or in one but the base one) is a rounding to it
    whole = kind == "size" and numerals.unheeded_magnitude(partial or printed, header, kind) is not None
    sized = byte_scale(number, scale, (header, partial or printed, *(text for _, text in table.captions))) if (
        kind == "size" and number is not None and either is None and not whole) else None
    if number is None:
        claimed: dict[str, object] = {"value": UNREAD}
    elif either is not None:  # "3,504,872" under "FLOPs (G)": 3.5 million as printed, or in G?
        claimed = draft_values.as_printed(number, either)
    elif whole:  # "46,830,571" under "Size (MB)": bytes as printed, not 46.8 TB
        claimed = {number.bound or "value": number.value}
    elif isinstance(sized, Guess):  # "MB" the report says are 2^20 bytes
        claimed = draft_values.as_printed(number, sized)
        unnamed = number.unit is None
    elif unsure:
        claimed = draft_values.as_printed(number, FRACTION_OR_PERCENT_SCALE if kind in FRACTION_KINDS
                                          else PERCENT_OR_FRACTION_SCALE)
    elif scale is not None and number.unit is None:
        claimed = draft_values.as_printed(number, scale)
        unnamed = not isinstance(scale, Guess) or scale.value != 1.0
    else:
        named = bool(re.search(numerals.NOUN, numerals.plain_text(partial or printed)))  # "<100 params"
        claimed = draft_values.claimed(number, quantity, line if fraction else None, counted, named)
        unnamed = claimed.get("scale") in UNIT_TODOS
    if number is not None:  # "nearly 95%": a little under it, as in the text
        claimed = draft_values.near_bound(claimed, partial or printed, draft_values.nearly(partial or printed))
    asked = todos(kind, quantity, f"{header} {partial or printed}", around, context, table.captions, table.below)
    claim |= {"model": model_todo(context), **asked, **claimed}
    claim["printed"] = partial or printed
    if partial:
        claim["partial"] = aside or True
    claim["cell"] = [table.id, label, column]
    where = f"{table.title}, {f'row {label}' if label.strip() or place is None else f'unlabelled row {place}'}"
    claim["source"] = f"{context.source}, {where}" if context.source else where
    if number is not None:
        transposed = header != column
        model = column if transposed else label  # a transposed table's models are its columns
        models = table.columns[1:] if transposed else [row[0] for row in table.rows if row]
        naming, doubtful = _naming(model, models, context.indexed)
        captions = {} if captions is None else captions
        if transposed not in captions:
            captions[transposed] = _captions(table, models)
        places = _run_places(table, transposed, header, partial or printed, naming, captions[transposed])
        claim |= unjudged(claim, draft_values.runs(kind, number, places, doubtful))
        claim |= unjudged(claim, draft_values.tolerance_keys(number, kind, fraction, unnamed, unsure,
                                                             draft_values.spread_said(places)))
    if isinstance(sized, str):
        note = ". ".join(filter(None, (note, sized)))
    if note:
        claim["note"] = f"{note}. {claim['note']}" if "note" in claim else note
    return claim


def _run_places(table: Table, transposed: bool, header: str, printed: str, naming: list[tuple[str, str]],
                captions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(where, text) of the places that may count the runs a cell's number averages, nearest first: the cell, its
    header (a ``transposed`` table's row label), the table's title, the text above it and the paragraph right below
    it (``_captions``), which speak for every number of the table; then the sentences ``naming`` its model, as a
    sentence elsewhere speaks only for what it names."""
    return [("the cell", printed), (f"the row label {header!r}" if transposed else f"the column header {header!r}",
                                    header), (f"the table's title {table.title!r}", table.title),
            *captions, *naming]


def _captions(table: Table, models: list[str]) -> list[tuple[str, str]]:
    """(where, text) of the text above ``table`` and the paragraph right below it, nearest first: the paragraph
    right before it, the one right after it (but its sentences that name one of the table's ``models``, which speak
    for what they name: ``_naming``), then the rest above it back to its heading."""
    adjacent = [caption for caption in table.captions[:1] if caption[0] == ABOVE[0]]
    names = [pattern(name) for name in map(str.strip, map(numerals.plain_text, models))
             if len(name) >= 2 and re.search(r"[^\W\d_]", name)]
    below = [(where, " ".join(sentence for sentence in draft_text.sentences(text)
                              if not any(name.search(sentence) for name in names))) for where, text in table.below]
    return [*adjacent, *below, *table.captions[len(adjacent):]]


def _naming(model: str, models: list[str],
            sentences: Texts) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """(where, text) of the ``sentences`` that name ``model`` (a row's label, or a transposed table's column), and
    the wheres among them whose count may be another model's; none for a label too short or plain to name a model
    ("A", "1"). A name within a longer one of the table's ``models`` ("ResNet-18" in "ResNet-18 + CutMix") is that
    model's, not this one's; a sentence with a run count that names both, the longer one and this one alone, is
    unsure."""
    name = numerals.plain_text(model).strip()
    if len(name) < 2 or not re.search(r"[^\W\d_]", name):
        return [], ()
    naming = pattern(name)
    mentioning = sentences.naming(name)
    longer = {other: pattern(other) for other in {numerals.plain_text(label).strip() for label in models}
              if len(other) > len(name) and naming.search(other)} if mentioning else {}  # rows read once per mention
    named, also = [], set()
    for sentence in mentioning:
        found = {other: [match.span() for match in spelt.finditer(sentence)] for other, spelt in longer.items()}
        within = [span for spans in found.values() for span in spans]
        alone = [match for match in naming.finditer(sentence)
                 if not any(start <= match.start() and match.end() <= end for start, end in within)]
        if not alone:
            continue
        named.append(sentence)
        if within and draft_text.run_counts(sentence):
            also |= {other for other, spans in found.items() if spans}
    if also:
        where = f"a sentence that names both {name!r} and {' and '.join(map(repr, sorted(also)))}"
        return [(where, " ".join(named))], (where,)
    return [(f"a sentence that names {name!r}", " ".join(named))], ()


_DECIMAL_BYTES = re.compile(r"decimal|(?<!\w)SI(?!\w)|10\s*(?:\^|\*\*)\s*[369](?!\d)|10[³⁶⁹]"
                            r"|(?<![\w.])1e\+?0?[369](?!\d)|(?<![\d,.])1[,\s]?000(?:[,\s]?000){0,2}\s*bytes",
                            re.IGNORECASE)
"""Words that say a "KB", "MB" or "GB" counts in powers of 1000: "decimal", "SI", "10^6", "1e6", "1,000,000 bytes"."""
_BINARY_BYTES = re.compile(r"(?<!\w)binary[\s-]+(?:[kmg]i?b|(?:kilo|mega|giga)?bytes?|prefix(?:es)?|units?)(?!\w)"
                           r"|(?<!\w)(?:[kmg]i?b|(?:kilo|mega|giga)?bytes?)\s*[,(]\s*binary(?!\w)"
                           r"|(?<!\w)(?:IEC|[KMG]iB)(?!\w)|(?<![\w.])2\s*(?:\^|\*\*)\s*[123]0(?!\d)"
                           r"|(?<![\w.])2(?:¹⁰|²⁰|³⁰)|(?<![\w.])1024\s*(?:\^|\*\*)\s*[123](?!\d)|(?<![\w.])1024[²³]"
                           r"|[/÷]\s*1024(?![\d.])"
                           r"|(?<![\d,.])1[,\s]?0(?:24|48[,\s]?576|73[,\s]?741[,\s]?824)\s*bytes", re.IGNORECASE)
"""Words that say a "KB", "MB" or "GB" counts in powers of 1024: "MiB", "binary megabytes", "MB, binary", "IEC",
"2^20", "1024^2", "/ 1024", "1,048,576 bytes"."""


def byte_scale(number: numerals.Number, scale: Guess | str | None, texts: tuple[str, ...]) -> Guess | str | None:
    """How a size in "KB", "MB" or "GB" (its own, its header's or its caption's ``scale``) counts, which a report
    may count in powers of 1000 (as drafted, and as torchinfo prints) or of 1024 (torchvision's "File size" of
    resnet18, 44.7 MB, is 46,830,571 bytes): a size right in one is refuted in the other. The binary scale (2^20 for
    "MB"), with a comment, where one of ``texts`` (its header, its printed text, the text above its table, its
    sentence) says the unit is binary; None where one says it is decimal, or it is in another unit; a note TODO that
    asks which where they say neither, or both."""
    if number.unit is not None:
        decimal, *others = numerals.scales(number.unit, "size")
        if not others:
            return None
    elif isinstance(scale, Guess) and isinstance(scale.value, float) and scale.value in (1e3, 1e6, 1e9):
        decimal = scale.value
    else:
        return None
    plain = [numerals.plain_text(text) for text in texts]
    said_decimal = any(_DECIMAL_BYTES.search(text) for text in plain)
    said_binary = next(filter(None, map(_BINARY_BYTES.search, plain)), None)
    power = round(math.log(decimal, 1000))
    unit, binary = number.unit or "KMG"[power - 1] + "B", 1024 ** power
    if said_decimal and not said_binary:
        return None
    if said_binary and not said_decimal:
        return Guess(binary, f"{unit!r} is 2^{10 * power} bytes here, as {said_binary.group()!r} says")
    return todo(f"is {unit!r} here 1e{3 * power} bytes (scale = 1e{3 * power}, as drafted; torchinfo counts so) or "
                f"2^{10 * power} = {binary} bytes (scale = {binary}, {'KMG'[power - 1]}iB; torchvision's 'File size' "
                "of its weight files, size = 'state_dict_file', Keras' summary and ls -h count so)? A size right in "
                "one is refuted in the other: make the claim count in the one the report means, then write here where "
                "it says so")


def _label_claims(table: Table, label: str, around: tuple[str, ...], context: Context,
                  captions: dict[bool, list[tuple[str, str]]]) -> Iterator[dict[str, object]]:
    """A label's number that is clearly a claim: "113K parameters" (partial) or "<100K" (a bound); ``captions`` as
    ``_cell_claim`` takes them."""
    column = table.columns[0] if table.columns else ""
    for mention in draft_text.mentions(label):
        if mention.noun or mention.number.bound:
            kind = guess_kind(mention.noun or "") or unit_kind(mention.unit, label)
            kind = kind or guess_kind(column)
            partial = None if mention.printed == label else mention.printed
            yield _cell_claim(table, (label, column, label), mention.number, (kind, kind), around, context, partial,
                              captions=captions)


def unjudged(claim: dict[str, object], keys: dict[str, object]) -> dict[str, object]:
    """``keys`` (``draft_values.tolerance_keys``, ``draft_values.runs``) without the TODOs of a claim drafted
    unverifiable, which is never judged (a training claim on a dataset claimbench does not load): its band's, and
    how many runs its number averages; and the note and the comment on how to read its band."""
    if claim.get("status") != "unverifiable":
        return keys
    bare = {key: value.value if key == "tolerance" and isinstance(value, Guess) else value
            for key, value in keys.items()}
    kept = {key: {k: v for k, v in value.items() if not str(v).startswith("TODO")} if isinstance(value, dict)
            else value for key, value in bare.items() if key != "note" and not str(value).startswith("TODO")}
    return {key: value for key, value in kept.items() if value != {}}


def model_todo(context: Context, named: str | None = None) -> str:
    """The model reference only the author can give; of the model of a table's row a sentence ``named``, where it
    did."""
    of = f" of {named!r}, the table row its sentence names" if named else ""
    return f"TODO: model reference{of} ({context.slug}.<name>, torchvision:<name>, package.module:builder)"


def row_models(tables: list[Table]) -> tuple[str, ...]:
    """The models the ``tables``' rows name (a transposed table's columns; a per-layer table's rows name layers), as
    plain text, each once; none too short or plain to name a model ("A", "1")."""
    labels = [label for table in tables if not per_layer(table)
              for label in (table.columns[1:] if _transposed(table) else [row[0] for row in table.rows if row])]
    plain = (numerals.plain_text(label).strip() for label in labels)
    return tuple(dict.fromkeys(name for name in plain if len(name) >= 2 and re.search(r"[^\W\d_]", name)))


def named_model(sentence: str, models: tuple[str, ...]) -> str | None:
    """The one of the table rows' ``models`` that ``sentence`` names, leaving out one it names only as another's
    owner ("at a fifth of BNNet's MACs") where it names one otherwise, and a name within a longer one's ("ResNet-18"
    in "ResNet-18 + CutMix"); None where it names none, or several."""
    present = _indexed(models).named(sentence)
    named = {model: _mentions(sentence, model, present) for model in present}
    plain = [model for model, found in named.items() if any(not owner for owner in found)]
    some = plain or [model for model, found in named.items() if found]
    return some[0] if len(some) == 1 else None


@functools.lru_cache(maxsize=4)
def _indexed(models: tuple[str, ...]) -> Names:
    """``models``, indexed by their words once a draft (``name_index``)."""
    return Names(models)


def _mentions(sentence: str, name: str, models: tuple[str, ...]) -> list[bool]:
    """Whether each mention of ``name`` in ``sentence`` (but within a longer one of ``models``) is an owner's
    ("BNNet's")."""
    longer = [pattern(other) for other in models if len(other) > len(name) and pattern(name).search(other)]
    within = [match.span() for spelt in longer for match in spelt.finditer(sentence)]
    return [sentence.startswith(("'s", "’s"), match.end()) for match in pattern(name).finditer(sentence)
            if not any(start <= match.start() and match.end() <= end for start, end in within)]


def todos(kind: str | None, quantity: str | None, header: str, around: tuple[str, ...], context: Context,
          captions: tuple[tuple[str, str], ...] = (), below: tuple[tuple[str, str], ...] = ()) -> dict[str, object]:
    """The TODO fields of a claim of this kind (and layer quantity), its number printed under ``header`` (a column,
    or the noun after it in the text): FLOPs ask which count they are, and an input size printed in one of the
    texts ``around`` it (nearest first), else in the text above its table (``captions``) or the paragraph right
    below it (``below``: ``_caption_input``), is its input; a parameter count whose header names it ("Trainable
    params") takes it; a training claim names the one recipe the draft writes (``context.slug``), and the dataset the
    report names (``context.dataset``) where it names one, an epoch time the machine (``context.hardware``)
    likewise."""
    roles = {kind, quantity}
    asked: dict[str, object] = {name: text for name, text, applies in _TODO_FIELDS if roles.intersection(applies)}
    if "count" in asked and "macs" in roles and counts_flops(header):
        asked["count"] = FLOPS_COUNT
    if "count" in asked and "params" in roles and (named := _param_count(header)):
        asked["count"] = named
    if "split" in asked and (split := _split(header)):
        asked["split"] = split
    if "input" in asked and (shape := next(filter(None, map(_input_shape, around)), None)
                             or _caption_input(captions, below, str(asked["input"]))):
        asked["input"] = shape
    if roles.intersection(TRAINED):
        asked["recipe"] = Guess(context.slug, DRAFTED_RECIPE)
    if "dataset" in asked and context.dataset in UNLOADED:  # unverifiable: no recipe to ask for
        name = UNLOADED[context.dataset]
        asked.pop("recipe", None)
        asked["dataset"] = Guess("private", f"{name}, the only dataset the report names, which claimbench does not "
                                            "load")
        asked["status"] = "unverifiable"
        asked["why"] = f"measured on {name}, which claimbench does not load"
    elif "dataset" in asked and context.dataset:
        asked["dataset"] = Guess(context.dataset, NAMED_DATASET)
    if "hardware" in asked and context.hardware:
        asked["hardware"] = Guess(context.hardware, NAMED_HARDWARE)
    return asked


@functools.lru_cache(maxsize=1024)
def _input_shape(text: str) -> Guess | None:
    """The [C, H, W] the first image size in ``text`` gives ("224x224" -> [3, 224, 224], "3x32x32", "32x32x3"), with
    a comment on where it was read and what was assumed; None without one. Read once a text: a table's title and
    headers are around each of its cells."""
    return next(_input_shapes(text), None)


def _input_shapes(text: str, where: str = "") -> Iterator[Guess]:
    """The [C, H, W] of each image size in ``text``, with a comment on where it was read (``where``: " in ...") and
    what was assumed."""
    for match in _RESOLUTION.finditer(numerals.plain_text(text)):
        sides = [int(side) for side in match.groups() if side is not None]
        if len(sides) == 2:
            shape, assumed = [3, *sides], "; 3 channels assumed (1 for grayscale)"
        elif sides[0] in (1, 3) or sides[2] in (1, 3):
            shape, assumed = (sides if sides[0] in (1, 3) else [sides[2], *sides[:2]]), ""
        else:
            continue
        if min(shape[1:]) >= _SMALLEST_INPUT:
            yield Guess(shape, f"read from {match.group()!r}{where}{assumed}; delete if the model is registered with "
                               "its input size")


@functools.lru_cache(maxsize=64)
def _caption_input(captions: tuple[tuple[str, str], ...], below: tuple[tuple[str, str], ...] = (),
                   asking: str = INPUT_SIZE) -> Guess | str | None:
    """The input that the nearest of the ``captions`` (where, text) above a table that prints an image size, and the
    paragraph ``below`` it ("Measured at 224×224 input."), give its claims ("All numbers at 32×32 input."), with a
    comment that quotes the sentence (or the clause after a ";") that prints it, the one above first where both print
    it; an input TODO (``asking``'s words) that quotes them where they print several sizes, one or both; None where
    none prints one. Read once a table, not once a cell."""
    found = [sized for sized in (_sized_caption(captions), _sized_caption(below)) if sized]
    if len(_sizes(shape for _, _, shapes in found for shape in shapes)) == 1:
        return found[0][2][0]
    if found:
        return "; ".join([asking, *(f"{where} names {' and '.join(_sizes(shapes))}: {quoted(' '.join(said))!r}"
                                        for where, said, shapes in found)])
    return None


def _sizes(shapes: Iterable[Guess]) -> list[str]:
    """The distinct input sizes of ``shapes``, as the ledger writes them ("[3, 32, 32]"), in their order."""
    return list(dict.fromkeys(str(shape.value) for shape in shapes))


def _sized_caption(captions: tuple[tuple[str, str], ...]) -> tuple[str, list[str], list[Guess]] | None:
    """(where, the clauses that print an image size, their shapes) of the nearest of the ``captions`` (where, text)
    that prints one, a sentence or the clause after a ";" a clause; None where none does."""
    for where, caption in captions:
        clauses = [clause for sentence in draft_text.sentences(caption) for clause in re.split(r"(?<=;)\s+", sentence)]
        said = [clause for clause in clauses if _input_shape(clause)]
        if said:
            return where, said, [shape for clause in said
                                 for shape in _input_shapes(clause, f" in {where}: {quoted(clause)!r}")]
    return None


def _param_count(header: str) -> Guess | str | None:
    """The parameter count ``header`` (or the words before a noun in the text) names, as Keras's and torchinfo's
    summaries print it: "Trainable params" ("learnable parameters"), "Total params" (a TODO: whose?), "Non-trainable
    params" (a TODO: none measures it), a layer's "Param #" (a TODO: whose? ``_of_keras`` answers it in a Keras
    summary's table); None where it names none."""
    words = words_of(header)
    if has(words, "non trainable") or "nontrainable" in words:
        return _NON_TRAINABLE
    if "trainable" in words or "learnable" in words:
        return _TRAINABLE
    if "total" in words:
        return _TOTAL_PARAMS
    return _SUMMARY_PARAMS if _PARAM_NUMBER.search(numerals.plain_text(header)) else None


def _splits(header: str) -> dict[str, str]:
    """The splits the words of ``header`` name (``kind_words.SPLIT_WORDS``), each with the first word that names it."""
    named: dict[str, str] = {}
    for word in words_of(header):
        if word in SPLIT_WORDS:
            named.setdefault(SPLIT_WORDS[word], word)
    return named


def _split(header: str) -> Guess | str | None:
    """The split ``header`` (or the noun after a number in the text) names alone, with a comment: "Test acc." test,
    "val_loss" val; a TODO of the two a training set's number may be ("Train acc": ``_TRAINING_SPLIT``); None where
    it names none, or several ("Train/Test acc")."""
    named = _splits(header)
    if len(named) != 1:
        return None
    ((split, word),) = named.items()
    return _TRAINING_SPLIT if split == "train" else Guess(split, f"read from {word!r}")

