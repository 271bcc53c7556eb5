"""The ledger's schema: frozen records whose annotations are the ledger's types, one model per claim kind, JSON Schema.

pydantic v2 rather than msgspec: it collects every error with its location, fills plain dataclasses, and writes
the JSON Schema that editors (Taplo, Even Better TOML) check a ledger with.
"""

import dataclasses
import json
from typing import Annotated, Any, Literal, Optional, Union, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, create_model

from claimbench import vocab

__all__ = ["CLAIM_MODELS", "Claim", "EarlyStopping", "LedgerFile", "Plateau", "Recipe", "RecipeTable", "Report",
           "ReportModel", "Table", "Tolerance", "json_schema"]

CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False)
"""No unknown keys, no nan or inf; numbers and booleans are strict one by one (``"62"`` is not 62, 1 not true)."""
ID_PATTERN = r"^[a-z0-9_./-]+$"
Name = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(min_length=1)]
Bool = Annotated[bool, Strict()]
Float = Annotated[float, Strict()]
NonNegative = Annotated[float, Strict(), Field(ge=0)]
Positive = Annotated[float, Strict(), Field(gt=0)]
Count = Annotated[int, Strict(), Field(ge=0)]
AtLeastOne = Annotated[int, Strict(), Field(ge=1)]
Number = Annotated[float, Strict(), Field(ge=-1e18, le=1e18)]
"""A claimed number: finite, and below 1e18 in size (beyond that it is a typo, and rounding breaks down)."""
Dim = Annotated[int, Strict(), Field(gt=0)]
Shape = Annotated[tuple[Dim, ...], Field(min_length=1)]


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
    rel: NonNegative = 0.0
    digits: Optional[Annotated[int, Strict(), Field(ge=0, le=12)]] = None
    mode: Literal[vocab.ROUNDING_MODES] = "round"


@record
class Plateau:
    """Reduce-on-plateau learning-rate schedule (Keras ``ReduceLROnPlateau``)."""

    monitor: Literal[vocab.MONITORS]
    factor: Annotated[float, Strict(), Field(gt=0, lt=1)]
    patience: Count
    min_lr: NonNegative


@record
class EarlyStopping:
    """Stop after ``patience`` epochs without improvement of ``monitor``."""

    monitor: Literal[vocab.MONITORS]
    patience: Count
    restore_best: Bool


Probability = Annotated[float, Strict(), Field(ge=0, le=1)]
_OPTION_TYPES: dict[str, Any] = {"expand": Bool, "ops": AtLeastOne, "p": Probability, "distortion": Probability}
"""The type of an augmentation's option; any other option is a non-negative number."""


def _options_model(name: str, options: tuple[str, ...]) -> Any:
    """The table of one augmentation's options, each of them optional."""
    fields = {option: (Optional[_OPTION_TYPES.get(option, NonNegative)], None) for option in options}
    return create_model(f"{name}_options", __config__=CONFIG, **fields)


AugmentOptions = create_model("AugmentOptions", __config__=CONFIG, **{
    name: (Optional[_options_model(name, options)], None) for name, options in vocab.AUGMENT_OPTIONS.items()})
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
    lr: Positive
    batch_size: AtLeastOne
    epochs: AtLeastOne
    schedule: Literal[vocab.SCHEDULES]
    validation: Literal[vocab.VALIDATIONS]
    normalize: Literal[vocab.NORMALIZATIONS]
    augment: tuple[Literal[vocab.AUGMENTATIONS], ...] = ()
    momentum: Annotated[float, Strict(), Field(ge=0, lt=1)] = 0.0
    nesterov: Bool = False
    weight_decay: NonNegative = 0.0
    val_size: Count = 0
    plateau: Optional[Plateau] = None
    early_stopping: Optional[EarlyStopping] = None
    aux_loss_weight: NonNegative = 0.0
    steps_per_epoch: Count = 0
    """0: an epoch is one pass over a fresh permutation; N: N batches drawn uniformly with replacement."""
    batch_norm: Literal[vocab.BATCH_NORMS] = "batch"
    """"batch": BatchNorm as usual; "per_image": each image normalised by its own statistics in training
    and evaluation, as a loop that feeds images one at a time and never calls ``eval()`` does."""
    augment_options: Annotated[OptionPairs, BeforeValidator(_pairs)] = ()
    """(augmentation, ((option, value), ...)) pairs: the author's settings where they differ from the defaults."""
    mean: Optional[Annotated[tuple[Float, ...], Field(min_length=1)]] = None
    std: Optional[Annotated[tuple[Positive, ...], Field(min_length=1)]] = None
    """Per-channel mean and std of ``normalize = "mean_std"``, on [0, 1] pixels."""
    eps: Positive = 1e-8
    """Adam/AdamW epsilon (Keras uses 1e-7)."""
    drop_last: Bool = False

    def options(self) -> dict[str, dict[str, float | bool]]:
        """``augment_options`` as the mapping ``claimbench.transforms.augment`` takes."""
        return {name: dict(pairs) for name, pairs in self.augment_options}

    def images_per_epoch(self, train_images: int) -> int:
        """How many training images one epoch draws from a training set of ``train_images``."""
        return self.steps_per_epoch * self.batch_size or train_images


@record
class Claim:
    """One number a report prints, where it stands, and how to measure it."""

    id: str
    report: str
    kind: Literal[vocab.KINDS]
    value: Union[Number, Shape, None]
    printed: Text
    source: Text
    tolerance: Tolerance
    file: str
    model: Optional[Text] = None
    scale: Annotated[float, Strict(), Field(ge=1e-12, le=1e12)] = 1.0
    count: Optional[Literal[vocab.PARAM_COUNTS + vocab.MAC_COUNTS]] = None
    input: Optional[tuple[Dim, Dim, Dim]] = None
    """None: the model's registered input size (``models.input_size``)."""
    layer: Optional[Text] = None
    quantity: Optional[Literal[vocab.LAYER_QUANTITIES]] = None
    layout: Optional[Literal[vocab.LAYOUTS]] = None
    size: Optional[Literal[vocab.SIZES]] = None
    dataset: Optional[Literal[vocab.DATASETS]] = None
    split: Optional[Literal[vocab.SPLITS]] = None
    statistic: Optional[Literal[vocab.STATISTICS]] = None
    hardware: Optional[Text] = None
    recipe: Optional[Recipe] = None
    cell: Optional[tuple[str, str, str]] = None
    expect: Optional[Literal[vocab.EXPECTS]] = None
    status: Optional[Literal[vocab.STATUSES]] = None
    why: Optional[Text] = None
    correct: Union[Number, Shape, None] = None
    """The correct value of a documented error (``expect``), in the claim's unit: a known error only when
    measured there."""
    note: Optional[Text] = None
    interval: Optional[tuple[Optional[Number], Optional[Number]]] = None
    """(low, high) of a verbal claim (None: open); ``value`` is None then."""
    runs: Optional[AtLeastOne] = None
    """How many runs the author's number averages: the claim's default seed count."""
    partial: Bool = False
    """``printed`` is a part of its cell's text, not all of it."""

    @property
    def local_id(self) -> str:
        """The id within its report's file."""
        return self.id.split("/", 1)[1]


@record
class Table:
    """A table of a source report, verbatim: its columns and rows as printed."""

    id: Name
    title: Text
    columns: Annotated[tuple[str, ...], Field(min_length=1)]
    rows: tuple[tuple[str, ...], ...]


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


COMMON = ("id model printed source tolerance? scale? cell? partial? expect? status? why? correct? note? "
          "above? below? between? value?")
"""The keys every claim takes (``?``: optional), as in ``Claim``."""
KIND_KEYS = {"params": "count", "macs": "count input?", "layer": "layer quantity count? layout? input?",
             "size": "size input?", **dict.fromkeys(vocab.METRIC_KINDS, "dataset split statistic recipe? runs?"),
             **dict.fromkeys(vocab.SUMMARY_KINDS, "dataset statistic recipe? runs?"),
             "epoch_time": "dataset hardware recipe?"}
"""The keys each kind takes besides the common ones."""
Interval = Annotated[tuple[Number, ...], Field(min_length=2, max_length=2)]
_KEYS: dict[str, tuple[Any, Any]] = {
    **{f.name: (f.type, f.default) for f in dataclasses.fields(Claim)},
    "id": (Name, ...), "recipe": (Optional[Text], None), "tolerance": (Tolerance, Tolerance()),
    "value": (Optional[Number], None), "above": (Optional[Number], None), "below": (Optional[Number], None),
    "between": (Optional[Interval], None)}
"""(type, default) of each claim key as a file writes it: the ``Claim`` field's, but where the loader turns the
key into another (``recipe`` names a recipe; the bounds become ``value`` and ``interval``)."""
_NARROW = {"params": {"count": (Literal[vocab.PARAM_COUNTS], ...)}, "macs": {"count": (Literal[vocab.MAC_COUNTS], ...)},
           "layer": {"value": (Union[Number, Shape, None], None)}}
OWN = ("id", "above", "below", "between", "value", "correct", "printed", "cell", "partial")
"""The keys a table cannot give its claims: they name the one number."""


def _required(kind: Any) -> Any:
    """The type without its None."""
    return Union[tuple(a for a in get_args(kind) if a is not type(None))] if type(None) in get_args(kind) else kind


def _key(key: str) -> tuple[Any, Any]:
    """(type, default) of a key as ``KIND_KEYS`` writes it."""
    kind, default = _KEYS[key.rstrip("?")]
    return (kind, default) if key.endswith("?") else (_required(kind), ...)


CLAIM_MODELS: dict[str, type[BaseModel]] = {kind: create_model(
    f"{kind}_claim", __config__=CONFIG, kind=(Literal[kind], ...),
    **{**{key.rstrip("?"): _key(key) for key in f"{COMMON} {keys}".split()}, **_NARROW.get(kind, {})})
    for kind, keys in KIND_KEYS.items()}
"""One model per claim kind."""
_ANY_KIND = dict.fromkeys(key.rstrip("?") for keys in (COMMON, *KIND_KEYS.values()) for key in keys.split())
_SHAREABLE = [key for key in _ANY_KIND if key not in OWN]
Shared = create_model("Shared", __config__=CONFIG, __doc__="Keys a table, or a column, gives its claims.",
                      kind=(Optional[Literal[vocab.KINDS]], None),
                      **{key: (Optional[_required(_KEYS[key][0])], None) for key in _SHAREABLE})
TableModel = create_model("TableModel", __base__=Shared, __doc__=Table.__doc__, by_column=(dict[str, Shared], {}),
                          **{f.name: (f.type, ...) for f in dataclasses.fields(Table)})
RecipeTable = create_model(
    "RecipeTable", __config__=CONFIG, __doc__="A recipe's keys: optional until ``extends`` is merged.",
    extends=(Optional[Text], None), **{**{f.name: (Optional[f.type], None) for f in dataclasses.fields(Recipe)},
                                       "augment_options": (Optional[AugmentOptions], None)})


class ReportModel(BaseModel):
    """``[report]``: where the report lives and which modules register its models."""

    model_config = CONFIG
    title: Text
    source: Optional[Text] = None
    origin: Optional[Text] = None
    modules: tuple[Text, ...] = ()


class LedgerFile(BaseModel):
    """A whole ledger file (format 2)."""

    model_config = CONFIG
    format: Literal[2]
    report: ReportModel
    recipe: dict[Name, RecipeTable] = {}  # type: ignore[valid-type]
    table: list[TableModel] = []  # type: ignore[valid-type]
    claim: list[Annotated[Union[tuple(CLAIM_MODELS.values())], Field(discriminator="kind")]] = []  # type: ignore


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
