"""The ledger's schema (pydantic v2): one model per claim kind, named recipes, and its JSON Schema for editors."""

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, Strict, create_model
from pydantic.dataclasses import dataclass

from claimbench import vocab

__all__ = ["CLAIM_MODELS", "EarlyStopping", "LedgerFile", "Plateau", "RecipeTable", "Tolerance", "json_schema"]

STRICT = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)
"""No coercion (``"62"`` is not 62, ``1`` is not true), no unknown keys, no nan or inf."""
RECORD = ConfigDict(extra="forbid", allow_inf_nan=False)
"""For the dataclasses that are also records: they take a table, their fields are strict one by one."""

ID_PATTERN = r"^[a-z0-9_./-]+$"
Text = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(pattern=ID_PATTERN)]
NonNegative = Annotated[float, Strict(), Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Strict(), Field(ge=0)]
AtLeastOne = Annotated[int, Field(ge=1)]
Number = Annotated[float, Field(ge=-1e18, le=1e18)]
"""A claimed number: finite, and below 1e18 in size (beyond that it is a typo, and rounding breaks down)."""
Shape = Annotated[list[Annotated[int, Field(gt=0)]], Field(min_length=1)]
Input = Annotated[list[Annotated[int, Field(gt=0)]], Field(min_length=3, max_length=3)]


@dataclass(frozen=True, config=RECORD)
class Tolerance:
    """How close a measurement must come: ``|shown - claimed| <= abs + rel·|claimed|``.

    ``shown`` is the measurement divided by the claim's ``scale`` and, when ``digits`` is set,
    rounded or truncated (``mode``) to that many decimals, as the report printed it.
    """

    abs: NonNegative = 0.0
    rel: NonNegative = 0.0
    digits: Optional[Annotated[int, Strict(), Field(ge=0, le=12)]] = None
    mode: Literal[vocab.ROUNDING_MODES] = "round"


@dataclass(frozen=True, config=RECORD)
class Plateau:
    """Reduce-on-plateau learning-rate schedule (Keras ``ReduceLROnPlateau``)."""

    monitor: Literal[vocab.MONITORS]
    factor: Annotated[float, Strict(), Field(gt=0, lt=1)]
    patience: Count
    min_lr: NonNegative


@dataclass(frozen=True, config=RECORD)
class EarlyStopping:
    """Stop after ``patience`` epochs without improvement of ``monitor``."""

    monitor: Literal[vocab.MONITORS]
    patience: Count
    restore_best: Annotated[bool, Strict()]


_OPTION_TYPES: dict[str, Any] = {"expand": bool, "ops": AtLeastOne, "p": Fraction, "distortion": Fraction}
AugmentOptions = create_model("AugmentOptions", __config__=STRICT, **{
    name: (Optional[create_model(f"{name}_options", __config__=STRICT, **{
        option: (Optional[_OPTION_TYPES.get(option, NonNegative)], None) for option in options})], None)
    for name, options in vocab.AUGMENT_OPTIONS.items()})


class RecipeTable(BaseModel):
    """A ``[recipe.<name>]`` table. Every key is optional here: a recipe is complete once ``extends`` is merged."""

    model_config = STRICT
    extends: Optional[Text] = None
    optimizer: Optional[Literal[vocab.OPTIMIZERS]] = None
    lr: Optional[Positive] = None
    eps: Optional[Positive] = None
    momentum: Optional[Annotated[float, Field(ge=0, lt=1)]] = None
    nesterov: Optional[bool] = None
    weight_decay: Optional[NonNegative] = None
    batch_size: Optional[AtLeastOne] = None
    epochs: Optional[AtLeastOne] = None
    steps_per_epoch: Optional[Count] = None
    drop_last: Optional[bool] = None
    schedule: Optional[Literal[vocab.SCHEDULES]] = None
    plateau: Optional[Plateau] = None
    early_stopping: Optional[EarlyStopping] = None
    validation: Optional[Literal[vocab.VALIDATIONS]] = None
    val_size: Optional[Count] = None
    normalize: Optional[Literal[vocab.NORMALIZATIONS]] = None
    mean: Optional[Annotated[list[float], Field(min_length=1)]] = None
    std: Optional[Annotated[list[Positive], Field(min_length=1)]] = None
    augment: Optional[list[Literal[vocab.AUGMENTATIONS]]] = None
    augment_options: Optional[AugmentOptions] = None  # type: ignore[valid-type]
    aux_loss_weight: Optional[NonNegative] = None
    batch_norm: Optional[Literal[vocab.BATCH_NORMS]] = None


class _Claim(BaseModel):
    """Keys every claim takes; exactly one of value, above, below, between (checked in ``ledger``)."""

    model_config = STRICT
    id: Name
    model: Text
    value: Optional[Number] = None
    above: Optional[Number] = None
    below: Optional[Number] = None
    between: Optional[Annotated[list[Number], Field(min_length=2, max_length=2)]] = None
    printed: Text
    source: Text
    tolerance: Tolerance = Tolerance()
    scale: Annotated[float, Field(ge=1e-12, le=1e12)] = 1.0
    cell: Optional[Annotated[list[str], Field(min_length=3, max_length=3)]] = None
    partial: bool = False
    expect: Optional[Literal[vocab.EXPECTS]] = None
    status: Optional[Literal[vocab.STATUSES]] = None
    why: Optional[Text] = None
    note: Optional[Text] = None


class ParamsClaim(_Claim):
    kind: Literal["params"]
    count: Literal[vocab.PARAM_COUNTS]


class MacsClaim(_Claim):
    kind: Literal["macs"]
    count: Literal[vocab.MAC_COUNTS]
    input: Optional[Input] = None


class LayerClaim(_Claim):
    kind: Literal["layer"]
    value: Union[Number, Shape, None] = None
    layer: Text
    quantity: Literal[vocab.LAYER_QUANTITIES]
    count: Optional[Literal[vocab.PARAM_COUNTS + vocab.MAC_COUNTS]] = None
    layout: Optional[Literal[vocab.LAYOUTS]] = None
    input: Optional[Input] = None


class SizeClaim(_Claim):
    kind: Literal["size"]
    size: Literal[vocab.SIZES]
    input: Optional[Input] = None


class _Trained(_Claim):
    dataset: Literal[vocab.DATASETS]
    recipe: Optional[Text] = None


class MetricClaim(_Trained):
    kind: Literal[vocab.METRIC_KINDS]
    split: Literal[vocab.SPLITS]
    statistic: Literal[vocab.STATISTICS]
    runs: Optional[AtLeastOne] = None


class SummaryClaim(_Trained):
    kind: Literal[vocab.SUMMARY_KINDS]
    statistic: Literal[vocab.STATISTICS]
    runs: Optional[AtLeastOne] = None


class EpochTimeClaim(_Trained):
    kind: Literal["epoch_time"]
    hardware: Text


CLAIM_MODELS: dict[str, type[_Claim]] = {
    kind: model for model in (ParamsClaim, MacsClaim, LayerClaim, SizeClaim, MetricClaim, SummaryClaim, EpochTimeClaim)
    for kind in model.model_fields["kind"].annotation.__args__}
AnyClaim = Annotated[Union[tuple(dict.fromkeys(CLAIM_MODELS.values()))], Field(discriminator="kind")]


class TableModel(BaseModel):
    """A ``[[table]]``: verbatim cells, plus keys its claims share (a claim's own key wins)."""

    model_config = STRICT
    id: Name
    title: Text
    columns: Annotated[list[str], Field(min_length=1)]
    rows: list[list[str]]
    model: Optional[Text] = None
    kind: Optional[Literal[vocab.KINDS]] = None
    count: Optional[Literal[vocab.PARAM_COUNTS + vocab.MAC_COUNTS]] = None
    dataset: Optional[Literal[vocab.DATASETS]] = None
    source: Optional[Text] = None
    """Its claims' source is ``<source>, row <row label>``."""


class ReportModel(BaseModel):
    """``[report]``: where the report lives and which modules register its models."""

    model_config = STRICT
    title: Text
    source: Optional[Text] = None
    origin: Optional[Text] = None
    modules: list[Text] = []


class LedgerFile(BaseModel):
    """A whole ledger file (format 2)."""

    model_config = STRICT
    format: Literal[2]
    report: ReportModel
    recipe: dict[Name, RecipeTable] = {}
    table: list[TableModel] = []
    claim: list[AnyClaim] = []  # type: ignore[valid-type]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a ledger file, for editors (Taplo, Even Better TOML)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "claimbench ledger",
            **LedgerFile.model_json_schema()}
