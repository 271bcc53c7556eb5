"""The ledger's schema: frozen records whose annotations are the ledger's types, one model per claim kind, JSON Schema.

pydantic v2 rather than msgspec: it collects every error with its location, fills plain dataclasses, and writes
the JSON Schema that editors (Taplo, Even Better TOML) check a ledger with.
"""

import dataclasses
import json
from typing import Annotated, Any, Literal, Optional, Union, get_args

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, TypeAdapter,
                      ValidationError, ValidatorFunctionWrapHandler, WrapValidator, create_model)
from pydantic_core import PydanticCustomError

from claimbench import vocab

__all__ = ["CLAIM_MODELS", "Claim", "EarlyStopping", "LedgerFile", "Plateau", "Recipe", "RecipeTable", "Report",
           "ReportModel", "Step", "Table", "Tolerance", "json_schema"]

CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False, use_attribute_docstrings=True)
"""No unknown keys, no nan or inf; numbers and booleans are strict one by one (``"62"`` is not 62, 1 not true); a
field's docstring is its description in the JSON Schema, which ships with the package (``claimbench schema``)."""
ID_PATTERN = r"^[a-z0-9_./-]+$"
Name = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(min_length=1)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A heading's words: white space only would be an empty heading."""
Bool = Annotated[bool, Strict()]
Float = Annotated[float, Strict()]
NonNegative = Annotated[float, Strict(), Field(ge=0)]
Positive = Annotated[float, Strict(), Field(gt=0)]
MOST = 10**6
"""The largest count (epochs, batch size, steps, images held out, patience, runs): over 16 times MNIST's training
set, past any real recipe's; a typo beyond it (``steps_per_epoch = 10**20``) would overflow the cost estimate."""
Count = Annotated[int, Strict(), Field(ge=0, le=MOST)]
AtLeastOne = Annotated[int, Strict(), Field(ge=1, le=MOST)]
Number = Annotated[float, Strict(), Field(ge=-1e18, le=1e18)]
"""A claimed number: finite, and below 1e18 in size (beyond that it is a typo, and rounding breaks down)."""
Dim = Annotated[int, Strict(), Field(gt=0)]
Shape = Annotated[tuple[Dim, ...], Field(min_length=1)]


def _fixed(form: str) -> WrapValidator:
    """A list of a fixed length refused as one problem on its key, whatever is wrong, that says the list it must be
    (``form``): pydantic's words for a tuple name items that do not exist (``input = [4]``: ``input.1`` and
    ``input.2`` missing)."""
    def whole(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError("fixed_list", "must be {form}", {"form": form}) from None

    return WrapValidator(whole)


Input = Annotated[tuple[Dim, Dim, Dim], _fixed("[C, H, W] (three positive integers)")]
Cell = Annotated[tuple[str, str, str], _fixed("[table id, row label, column] (three strings)")]


def record(cls: type) -> Any:
    """A frozen dataclass that pydantic fills from a ledger table by its annotations."""
    cls.__pydantic_config__ = CONFIG  # type: ignore[attr-defined]
    return dataclasses.dataclass(frozen=True)(cls)


@record
class Tolerance:
    """How close a measurement must come: ``|shown - claimed| <= abs + rel·|claimed|``.

    ``shown`` is the measurement divided by the claim's ``scale`` and, when ``digits`` is set,
    rounded or truncated (``mode``) to that many decimals, as the report printed it.
    """

    abs: NonNegative = 0.0
    """Absolute slack, in the claim's unit."""
    rel: Annotated[float, Strict(), Field(ge=0, lt=1)] = 0.0
    """Relative slack, a fraction of the claimed number (0.05 for 5%): 1 or more would put 0 in the band."""
    digits: Optional[Annotated[int, Strict(), Field(ge=0, le=12)]] = None
    """The decimals the report printed: the measurement is rounded (or truncated) to them before comparing."""
    mode: Literal[vocab.ROUNDING_MODES] = "round"
    """How ``digits`` shortens the measurement: round, or truncate as some reports print."""


@record
class Plateau:
    """Reduce-on-plateau learning-rate schedule (Keras ``ReduceLROnPlateau``)."""

    monitor: Literal[vocab.MONITORS]
    """The quantity watched."""
    factor: Annotated[float, Strict(), Field(gt=0, lt=1)]
    """What the learning rate is multiplied by on a plateau."""
    patience: Count
    """Epochs without improvement before the learning rate drops."""
    min_lr: NonNegative
    """The learning rate never drops below this."""


@record
class Step:
    """Step learning-rate schedule (PyTorch's ``MultiStepLR``): the rate multiplied by ``gamma`` at each milestone."""

    milestones: Annotated[tuple[AtLeastOne, ...], Field(min_length=1)]
    """The epochs after which the learning rate drops, strictly increasing and below the recipe's ``epochs``."""
    gamma: Annotated[float, Strict(), Field(gt=0, lt=1)]
    """What the learning rate is multiplied by at each milestone (0.1: divided by 10)."""


@record
class EarlyStopping:
    """Stop after ``patience`` epochs without improvement of ``monitor``."""

    monitor: Literal[vocab.MONITORS]
    """The quantity watched."""
    patience: Count
    """Epochs without improvement before training stops."""
    restore_best: Bool
    """Whether the weights of the best epoch are restored at the end."""


Probability = Annotated[float, Strict(), Field(ge=0, le=1)]
_OPTION_TYPES: dict[str, Any] = {"expand": Bool, "ops": AtLeastOne, "p": Probability, "distortion": Probability,
                                 "padding": Count, "reflect": Bool}
"""The type of an augmentation's option; any other option is a non-negative number."""
_OPTION_WORDS = {"reflect": "whether the crop's padding mirrors the image (torchvision's padding_mode 'reflect', "
                            "airbench's) rather than filling zeros (its default 'constant', fill 0)"}
"""The description of an option torchvision's transform does not take by that name."""


def _options_model(name: str, options: tuple[str, ...]) -> Any:
    """The table of one augmentation's options, each of them optional."""
    fields = {option: (Optional[_OPTION_TYPES.get(option, NonNegative)], Field(
        None, description=_OPTION_WORDS.get(option, f"{name}'s {option}, as torchvision's transform takes it")))
        for option in options}
    return create_model(f"{name}_options", __config__=CONFIG, **fields)


AugmentOptions = create_model("AugmentOptions", __config__=CONFIG, **{
    name: (Optional[_options_model(name, options)], Field(None, description=f"the {name} augmentation's options"))
    for name, options in vocab.AUGMENT_OPTIONS.items()})
"""The options each augmentation takes (``claimbench.transforms.AUGMENT_OPTIONS`` holds their defaults)."""
OptionPairs = tuple[tuple[str, tuple[tuple[str, Union[Bool, Annotated[int, Strict()], Float]], ...]], ...]


def _pairs(options: Any) -> Any:
    """A ``{augmentation: {option: value}}`` table as sorted pairs."""
    if not isinstance(options, dict):
        return options
    typed = AugmentOptions.model_validate(options).model_dump(exclude_none=True)
    return tuple((name, tuple(sorted(own.items()))) for name, own in sorted(typed.items()))


@record
class Recipe:
    """The training recipe the report's author used: a ``[recipe.<name>]`` table with its ``extends`` merged in."""

    optimizer: Literal[vocab.OPTIMIZERS]
    """The optimizer, as the author's framework implements it."""
    lr: Positive
    """The (initial) learning rate."""
    batch_size: AtLeastOne
    """Images per training step."""
    epochs: AtLeastOne
    """Epochs trained (at most, with ``early_stopping``)."""
    schedule: Literal[vocab.SCHEDULES]
    """The learning-rate schedule: "plateau" goes with a ``plateau`` table; "cosine" anneals the rate to 0 over the
    epochs (PyTorch's ``CosineAnnealingLR``, ``T_max`` = ``epochs``, stepped after each epoch); "step" goes with a
    ``step`` table (PyTorch's ``MultiStepLR``, stepped after each epoch)."""
    validation: Literal[vocab.VALIDATIONS]
    """What the validation numbers are measured on; "holdout" needs ``val_size``."""
    normalize: Literal[vocab.NORMALIZATIONS]
    """How pixels are scaled; "mean_std" takes ``mean`` and ``std``."""
    augment: tuple[Literal[vocab.AUGMENTATIONS], ...] = ()
    """The training augmentations, in order."""
    momentum: Annotated[float, Strict(), Field(ge=0, lt=1)] = 0.0
    """SGD's momentum."""
    nesterov: Bool = False
    """Whether SGD's momentum is Nesterov's."""
    weight_decay: NonNegative = 0.0
    """L2 weight decay, as the optimizer applies it."""
    val_size: Count = 0
    """Training images held out for validation (``validation = "holdout"``)."""
    plateau: Optional[Plateau] = None
    """Reduce-on-plateau settings of ``schedule = "plateau"``."""
    step: Optional[Step] = None
    """Milestones and factor of ``schedule = "step"``."""
    early_stopping: Optional[EarlyStopping] = None
    """Stop when the monitored quantity no longer improves."""
    aux_loss_weight: NonNegative = 0.0
    """The weight of an auxiliary classifier's loss, for a model that has one."""
    steps_per_epoch: Count = 0
    """0: an epoch is one pass over a fresh permutation; N: N batches drawn uniformly with replacement."""
    batch_norm: Literal[vocab.BATCH_NORMS] = "batch"
    """"batch": BatchNorm as usual; "per_image": each image normalised by its own statistics in training
    and evaluation, as a loop that feeds images one at a time and never calls ``eval()`` does."""
    augment_options: Annotated[OptionPairs, BeforeValidator(_pairs)] = ()
    """(augmentation, ((option, value), ...)) pairs: the author's settings where they differ from the defaults."""
    mean: Optional[Annotated[tuple[Float, ...], Field(min_length=1)]] = None
    """Mean of ``normalize = "mean_std"`` on [0, 1] pixels: one per channel of the claims' dataset, or one for all."""
    std: Optional[Annotated[tuple[Positive, ...], Field(min_length=1)]] = None
    """Standard deviation of ``normalize = "mean_std"`` on [0, 1] pixels: as many values as ``mean``."""
    eps: Positive = 1e-8
    """Adam/AdamW epsilon (Keras uses 1e-7)."""
    drop_last: Bool = False
    """Whether the last short batch of an epoch is dropped."""

    def options(self) -> dict[str, dict[str, float | bool]]:
        """``augment_options`` as the mapping ``claimbench.transforms.augment`` takes."""
        return {name: dict(pairs) for name, pairs in self.augment_options}

    def images_per_epoch(self, train_images: int) -> int:
        """How many training images one epoch draws from a training set of ``train_images``."""
        return self.steps_per_epoch * self.batch_size or train_images

    def keyed(self) -> dict[str, Any]:
        """The recipe as a run's key and a claim's digest read it: its fields, less those of ``KEYED_WHEN_SET`` left
        unset."""
        return {key: value for key, value in dataclasses.asdict(self).items()
                if not (key in KEYED_WHEN_SET and value is None)}


KEYED_WHEN_SET = ("step",)
"""Recipe keys added after runs were stored, and claims digested, under recipes without them: in a run's key and a
claim's digest only where set, so that every recipe without them keeps its run and its claims' records."""


@record
class Claim:
    """One number a report prints, where it stands, and how to measure it."""

    id: str
    """``<file stem>/<id>``: unique, usable with ``pytest -k``."""
    report: str
    """The slug of the report: its ledger file's stem."""
    kind: Literal[vocab.KINDS]
    """What the number is: a parameter count, MACs, a layer's, a size, a training metric, an epoch time."""
    value: Union[Number, Shape, None]
    """The number the report claims, in its printed unit (the measurement divided by ``scale``); for a layer's
    output_shape, a list of ints."""
    printed: Text
    """The number exactly as printed: the cell's text verbatim, or the sentence's words ("a little over 60%")."""
    source: Text
    """Where it is printed: the report's file, then table and row, or section and sentence."""
    tolerance: Tolerance
    """How close a measurement must come (default: exact)."""
    file: str
    """The ledger file's name."""
    model: Optional[Text] = None
    """A registered name, an import path package.module:builder, torchvision:<name> or timm:<name>."""
    scale: Annotated[float, Strict(), Field(ge=1e-12, le=1e12)] = 1.0
    """The printed unit: value = measured / scale ("5.6M" or "5.6" under "Params (M)": scale = 1e6)."""
    count: Optional[Literal[vocab.PARAM_COUNTS + vocab.MAC_COUNTS]] = None
    """The counting convention of a parameter or MAC count."""
    input: Optional[Input] = None
    """[C, H, W] the model runs on, batch 1; default: the model's registered input size. On a params claim, a lazy
    model's copy is built on it: every count but constructed counts that copy (a constructed count's words give it)."""
    layer: Optional[Text] = None
    """The dotted path of the submodule ("layer3")."""
    quantity: Optional[Literal[vocab.LAYER_QUANTITIES]] = None
    """What is measured on the layer."""
    layout: Optional[Literal[vocab.LAYOUTS]] = None
    """How an output_shape is written; Keras prints (H, W, C): channels_last."""
    size: Optional[Literal[vocab.SIZES]] = None
    """Which bytes a size claim counts."""
    dataset: Optional[Literal[vocab.DATASETS]] = None
    """The dataset trained and measured on."""
    split: Optional[Literal[vocab.SPLITS]] = None
    """The split a metric is measured on."""
    statistic: Optional[Literal[vocab.STATISTICS]] = None
    """Which epoch's (or which summary of the epochs') number the report prints."""
    hardware: Optional[Text] = None
    """The machine the author timed on: judged only on a device whose name holds each of its words, a model
    number among them."""
    recipe: Optional[Recipe] = None
    """The author's training recipe."""
    cell: Optional[Cell] = None
    """[table id, row label, column]: the table cell this claim is, whose text ``printed`` must be; a row label or
    column header the table repeats addresses no cell (leave ``cell`` out: ``printed`` is then looked for in the
    report's text). Under a merged header, a column is named by its header joined with the second header row's cell
    below it ("Complexity MACs (G)")."""
    expect: Optional[Literal[vocab.EXPECTS]] = None
    """"refuted": a documented error of the report (a strict xfail), with ``why``."""
    status: Optional[Literal[vocab.STATUSES]] = None
    """"unverifiable": nobody can check it (skipped), with ``why``."""
    why: Optional[Text] = None
    """For expect: the correct value and how the printed one arose; for status: what is missing."""
    correct: Union[Number, Shape, None] = None
    """The correct value of a documented error (``expect``), in the claim's unit: a known error only when
    measured there."""
    note: Optional[Text] = None
    """Conventions, caveats, the band's justification: listed in the report under "Reasons and notes"."""
    interval: Optional[tuple[Optional[Number], Optional[Number]]] = None
    """(low, high) of a verbal claim (None: open); ``value`` is None then."""
    runs: Optional[AtLeastOne] = None
    """How many runs the author's number averages: the claim's default seed count, and the N of the interval within
    which the author's mean of N lands, given our seeds (``verdict``)."""
    partial: Bool = False
    """``printed`` is a part of its cell's text, not all of it."""
    column: Optional[int] = None
    """The index of ``cell``'s column in its table, which the loader finds (``column_names.column_index``): one
    column whichever of its names the cell gives it ("Complexity", "Complexity Params (M)")."""

    @property
    def local_id(self) -> str:
        """The id within its report's file."""
        return self.id.split("/", 1)[1]


@record
class Table:
    """A table of a source report, verbatim: its columns and rows as printed."""

    id: Name
    """What a claim's ``cell`` names the table by."""
    title: Title
    """The table's heading in the report."""
    columns: Annotated[tuple[str, ...], Field(min_length=1)]
    """The header cells, verbatim."""
    rows: tuple[tuple[str, ...], ...]
    """Every row, every cell, verbatim; the first cell is the row's label, as printed even where it repeats or is
    empty."""


@record
class Report:
    """One source report: its metadata, its tables and its claims."""

    slug: str
    title: str
    source: Optional[str]
    origin: Optional[str]
    tables: tuple[Table, ...]
    claims: tuple[Claim, ...]
    modules: tuple[str, ...] = ()


def _descriptions(cls: type) -> dict[str, str]:
    """The docstrings of a record's fields, as pydantic reads them (``use_attribute_docstrings``)."""
    fields = TypeAdapter(cls).json_schema()["properties"]
    return {name: field["description"] for name, field in fields.items() if "description" in field}


def _choices(what: str, values: tuple[str, ...]) -> str:
    """``what``, then each of ``values`` with its meaning (``vocab.PLAIN_WORDS``, ``vocab.CONVENTION_WORDS``), for an
    editor to show beside the key."""
    words = {**vocab.PLAIN_WORDS, **vocab.CONVENTION_WORDS}
    return f"{what}: " + "; ".join(f"{value}: {words[value]}" for value in values) + "."


_DOCS = {**_descriptions(Recipe), **_descriptions(Claim),
         "count": _choices("The counting convention of a parameter or MAC count",
                           vocab.PARAM_COUNTS + vocab.MAC_COUNTS),
         "params count": _choices("The counting convention of the parameters", vocab.PARAM_COUNTS),
         "macs count": _choices("The counting convention of the MACs", vocab.MAC_COUNTS),
         "size": _choices("Which bytes a size claim counts", vocab.SIZES),
         "layout": _choices("How an output_shape is written (Keras prints (H, W, C): channels_last)",
                            vocab.LAYOUTS),
         "id": "Unique within the file; the loaded id is <file stem>/<id>, usable with pytest -k.",
         "recipe": "The name of a [recipe.<name>] table: the author's training recipe.",
         "value": "The number the report claims, in its printed unit (the measurement divided by scale); exactly one "
                  "of value, above, below and between.",
         "above": "A verbal claim's lower bound ('over 60%'), instead of value.",
         "below": "A verbal claim's upper bound ('<100K'), instead of value.",
         "between": "A verbal claim's [low, high] ('just shy of 60%', a printed range), instead of value."}
"""Each key's description as a file writes it: the record's field's, or the key's own where the loader turns it
into another."""


def _described(kind: Any, default: Any, key: str, docs: dict[str, str] = _DOCS) -> tuple[Any, Any]:
    """(type, field) of a key with its description (in ``docs``)."""
    return kind, Field(default, description=docs.get(key))


COMMON = ("id model printed source tolerance? scale? cell? partial? expect? status? why? correct? note? "
          "above? below? between? value?")
"""The keys every claim takes (``?``: optional), as in ``Claim``."""
KIND_KEYS = {"params": "count input?", "macs": "count input?", "layer": "layer quantity count? layout? input?",
             "size": "size input?", **dict.fromkeys(vocab.METRIC_KINDS, "dataset split statistic recipe? runs?"),
             **dict.fromkeys(vocab.SUMMARY_KINDS, "dataset statistic recipe? runs?"),
             "epoch_time": "dataset hardware recipe?"}
"""The keys each kind takes besides the common ones."""
Interval = Annotated[tuple[Number, ...], Field(min_length=2, max_length=2),
                     _fixed("[low, high] (two numbers, each at most 1e18 in size)")]
_KEYS: dict[str, tuple[Any, Any]] = {
    **{f.name: (f.type, f.default) for f in dataclasses.fields(Claim)},
    "id": (Name, ...), "recipe": (Optional[Text], None), "tolerance": (Tolerance, Tolerance()),
    "value": (Optional[Number], None), "above": (Optional[Number], None), "below": (Optional[Number], None),
    "between": (Optional[Interval], None)}
"""(type, default) of each claim key as a file writes it: the ``Claim`` field's, but where the loader turns the
key into another (``recipe`` names a recipe; the bounds become ``value`` and ``interval``)."""
_NARROW = {"params": {"count": _described(Literal[vocab.PARAM_COUNTS], ..., "params count")},
           "macs": {"count": _described(Literal[vocab.MAC_COUNTS], ..., "macs count")},
           "layer": {"value": _described(Union[Number, Shape, None], None, "value")}}
OWN = ("id", "above", "below", "between", "value", "correct", "printed", "cell", "partial")
"""The keys a table cannot give its claims: they name the one number."""


def _required(kind: Any) -> Any:
    """The type without its None."""
    return Union[tuple(a for a in get_args(kind) if a is not type(None))] if type(None) in get_args(kind) else kind


def _key(key: str) -> tuple[Any, Any]:
    """(type, field) of a key as ``KIND_KEYS`` writes it, with its description."""
    name = key.rstrip("?")
    kind, default = _KEYS[name]
    return _described(kind, default, name) if key.endswith("?") else _described(_required(kind), ..., name)


CLAIM_MODELS: dict[str, type[BaseModel]] = {kind: create_model(
    f"{kind}_claim", __config__=CONFIG, kind=_described(Literal[kind], ..., "kind"),
    **{**{key.rstrip("?"): _key(key) for key in f"{COMMON} {keys}".split()}, **_NARROW.get(kind, {})})
    for kind, keys in KIND_KEYS.items()}
"""One model per claim kind."""
_ANY_KIND = dict.fromkeys(key.rstrip("?") for keys in (COMMON, *KIND_KEYS.values()) for key in keys.split())
_SHAREABLE = [key for key in _ANY_KIND if key not in OWN]
Shared = create_model("Shared", __config__=CONFIG, __doc__="Keys a table, or a column, gives its claims.",
                      kind=_described(Optional[Literal[vocab.KINDS]], None, "kind"),
                      **{key: _described(Optional[_required(_KEYS[key][0])], None, key) for key in _SHAREABLE})
TableModel = create_model(
    "TableModel", __base__=Shared, __doc__=Table.__doc__,
    by_column=(dict[str, Shared], Field({}, description="Column, named as a claim's cell names it (its header, or "
                                                        "under a merged header the two headers joined) -> the keys "
                                                        "the claims of that column share (over the table's).")),
    **{f.name: _described(f.type, ..., f.name, _descriptions(Table)) for f in dataclasses.fields(Table)})
RecipeTable = create_model(
    "RecipeTable", __config__=CONFIG, __doc__="A recipe's keys: optional until ``extends`` is merged.",
    extends=(Optional[Text], Field(None, description="A recipe this one starts from: its keys override the parent's.")),
    **{**{f.name: _described(Optional[f.type], None, f.name) for f in dataclasses.fields(Recipe)},
       "augment_options": _described(Optional[AugmentOptions], None, "augment_options")})


class ReportModel(BaseModel):
    """``[report]``: where the report lives and which modules register its models."""

    model_config = CONFIG
    title: Title
    """The report's own title."""
    source: Optional[Text] = None
    """The report's file or URL; a markdown file by its path from the ledger's folder, the one above it or the
    project's, which a run compares the ledger with."""
    origin: Optional[Text] = None
    """Where the report lives: "owner/name @ commit"."""
    modules: tuple[Text, ...] = ()
    """The modules whose import registers this ledger's models."""


class LedgerFile(BaseModel):
    """A whole ledger file (format 2)."""

    model_config = CONFIG
    format: Literal[2]
    """The ledger format."""
    report: ReportModel
    """Where the report lives and which modules register its models."""
    recipe: dict[Name, RecipeTable] = {}  # type: ignore[valid-type]
    """Named training recipes: claims share one by name (one recipe, one training run)."""
    table: list[TableModel] = []  # type: ignore[valid-type]
    """The report's tables, verbatim."""
    claim: list[Annotated[Union[tuple(CLAIM_MODELS.values())], Field(discriminator="kind")]] = []  # type: ignore
    """One claim per printed number."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a ledger file as written, for editors (Taplo, Even Better TOML): a claim may leave to its
    table or column every key but those it alone can give (``OWN``), its ``kind`` included."""
    written = LedgerFile.model_json_schema()
    for kind in CLAIM_MODELS:
        claim = written["$defs"][f"{kind}_claim"]
        claim["required"] = [key for key in claim["required"] if key in OWN]
    items = written["properties"]["claim"]["items"]
    items["anyOf"] = items.pop("oneOf")  # without its kind, a claim may fit more than one
    del items["discriminator"]
    written["properties"]["recipe"]["additionalProperties"] = False  # a name outside the pattern is no recipe
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **written, "title": "claimbench ledger"}


def json_text() -> str:
    """``json_schema()`` as the text of ``reference/ledger.schema.json`` and of ``claimbench schema``."""
    return json.dumps(json_schema(), indent=2) + "\n"
