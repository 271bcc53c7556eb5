"""The claims ledger: read ``reference/*.toml`` into validated, frozen ``Claim`` records."""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Claim",
    "EarlyStopping",
    "LedgerError",
    "Plateau",
    "Recipe",
    "Report",
    "Table",
    "Tolerance",
    "load",
    "load_reports",
]

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "reference"
ID_PATTERN = re.compile(r"^[a-z0-9_./-]+$")

STRUCTURAL_KINDS = ("params", "macs", "layer", "size")
TRAINING_KINDS = ("accuracy", "loss", "precision", "recall", "best_epoch", "gap")
KINDS = (*STRUCTURAL_KINDS, *TRAINING_KINDS, "epoch_time")

PARAM_COUNTS = ("trainable", "constructed", "keras", "tensors", "state_dict")
MAC_COUNTS = ("pure", "torchinfo")
LAYER_QUANTITIES = ("params", "macs", "output_shape")
LAYOUTS = ("channels_first", "channels_last")
SIZES = ("torchinfo_total", "checkpoint_weights", "checkpoint_sgd_momentum")
DATASETS = ("cifar10", "mnist", "fashion_mnist", "private")
SPLITS = ("train", "train_running", "val", "test")
STATISTICS = ("final", "best_epoch", "max", "cumulative_mean", "pooled")
OPTIMIZERS = ("adam", "adamw", "sgd")
SCHEDULES = ("constant", "plateau")
VALIDATIONS = ("none", "holdout", "test")
BATCH_NORMS = ("batch", "per_image")
NORMALIZATIONS = ("unit", "half", "imagenet", "per_image", "mean_std")
AUGMENTATIONS = ("flip", "crop", "randaugment", "rotate", "color_jitter", "perspective")
AUGMENT_OPTIONS = {"rotate": ("degrees", "fill", "expand"), "perspective": ("p", "distortion"),
                   "color_jitter": ("brightness", "contrast", "saturation"), "randaugment": ("ops", "magnitude")}
"""The options a recipe may set per augmentation (``claimbench.data.AUGMENT_OPTIONS`` holds their defaults)."""
MONITORS = ("val_loss", "val_accuracy")
ROUNDING_MODES = ("round", "truncate")


class LedgerError(ValueError):
    """One or more problems in ledger files, each as ``file: claim id: field: what is wrong``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = problems[0] if len(problems) == 1 else f"{len(problems)} problems in the claims ledger"
        rest = "" if len(problems) == 1 else "\n" + "\n".join(f"  {p}" for p in problems)
        super().__init__(head + rest)


@dataclass(frozen=True)
class Tolerance:
    """How close a measurement must come: ``|shown - claimed| <= abs + rel·|claimed|``.

    ``shown`` is the measurement divided by the claim's ``scale`` and, when ``digits`` is set,
    rounded or truncated (``mode``) to that many decimals, as the report printed it.
    """

    abs: float = 0.0
    rel: float = 0.0
    digits: int | None = None
    mode: str = "round"


@dataclass(frozen=True)
class Plateau:
    """Reduce-on-plateau learning-rate schedule (Keras ``ReduceLROnPlateau``)."""

    monitor: str
    factor: float
    patience: int
    min_lr: float


@dataclass(frozen=True)
class EarlyStopping:
    """Stop after ``patience`` epochs without improvement of ``monitor``."""

    monitor: str
    patience: int
    restore_best: bool


@dataclass(frozen=True)
class Recipe:
    """The training recipe the report's author used."""

    optimizer: str
    lr: float
    batch_size: int
    epochs: int
    schedule: str
    validation: str
    normalize: str
    augment: tuple[str, ...] = ()
    momentum: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    val_size: int = 0
    plateau: Plateau | None = None
    early_stopping: EarlyStopping | None = None
    aux_loss_weight: float = 0.0
    steps_per_epoch: int = 0
    """0: an epoch is one pass over a fresh permutation; N: N batches drawn uniformly with replacement."""
    batch_norm: str = "batch"
    """"batch": BatchNorm as usual; "per_image": each image normalised by its own statistics in training
    and evaluation, as a loop that feeds images one at a time and never calls ``eval()`` does."""
    augment_options: tuple[tuple[str, tuple[tuple[str, float | bool], ...]], ...] = ()
    """(augmentation, ((option, value), ...)) pairs: the author's settings where they differ from the defaults."""
    eps: float = 1e-8
    drop_last: bool = False
    mean: tuple[float, ...] = ()
    std: tuple[float, ...] = ()

    def options(self) -> dict[str, dict[str, float | bool]]:
        """``augment_options`` as the mapping ``claimbench.data.augment`` takes."""
        return {name: dict(pairs) for name, pairs in self.augment_options}

    def images_per_epoch(self, train_images: int) -> int:
        """How many training images one epoch draws from a training set of ``train_images``."""
        return self.steps_per_epoch * self.batch_size or train_images


@dataclass(frozen=True)
class Claim:
    """One number a report prints, where it stands, and how to measure it."""

    id: str
    report: str
    kind: str
    value: float | int | tuple[int, ...]
    printed: str
    source: str
    tolerance: Tolerance
    file: str
    model: str | None = None
    scale: float = 1.0
    count: str | None = None
    input: tuple[int, ...] | None = None
    layer: str | None = None
    quantity: str | None = None
    layout: str | None = None
    size: str | None = None
    dataset: str | None = None
    split: str | None = None
    statistic: str | None = None
    hardware: str | None = None
    recipe: Recipe | None = None
    cell: tuple[str, str, str] | None = None
    expect: str | None = None
    status: str | None = None
    why: str | None = None
    note: str | None = None

    @property
    def local_id(self) -> str:
        """The id within its report's file."""
        return self.id.split("/", 1)[1]


@dataclass(frozen=True)
class Table:
    """A table of a source report, verbatim: its columns and rows as printed."""

    id: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Report:
    """One source report: its metadata, its tables and its claims."""

    slug: str
    title: str
    seed: str
    origin: str
    tables: tuple[Table, ...]
    claims: tuple[Claim, ...]


# ----------------------------------------------------------------------------- schema

_COMMON_REQUIRED = ("id", "kind", "value", "printed", "source", "tolerance")
_COMMON_OPTIONAL = ("model", "scale", "cell", "expect", "why", "status", "note")
_TRAINING_FIELDS = ("model", "dataset", "split", "statistic", "recipe")

_REQUIRED_BY_KIND: dict[str, tuple[str, ...]] = {
    "params": ("model", "count"),
    "macs": ("model", "count", "input"),
    "layer": ("model", "input", "layer", "quantity"),
    "size": ("model", "input", "size"),
    "accuracy": _TRAINING_FIELDS,
    "loss": _TRAINING_FIELDS,
    "precision": _TRAINING_FIELDS,
    "recall": _TRAINING_FIELDS,
    "best_epoch": ("model", "dataset", "statistic", "recipe"),
    "gap": ("model", "dataset", "statistic", "recipe"),
    "epoch_time": ("model", "dataset", "recipe", "hardware"),
}
_OPTIONAL_BY_KIND: dict[str, tuple[str, ...]] = {
    "layer": ("count", "layout"),
}

_CHOICES: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "size": SIZES,
    "dataset": DATASETS,
    "split": SPLITS,
    "statistic": STATISTICS,
    "quantity": LAYER_QUANTITIES,
    "layout": LAYOUTS,
    "expect": ("refuted",),
    "status": ("unverifiable",),
}

_RECIPE_REQUIRED = ("optimizer", "lr", "batch_size", "epochs", "schedule", "validation", "normalize")
_RECIPE_CHOICES: dict[str, tuple[str, ...]] = {
    "optimizer": OPTIMIZERS,
    "schedule": SCHEDULES,
    "validation": VALIDATIONS,
    "normalize": NORMALIZATIONS,
    "batch_norm": BATCH_NORMS,
}


class _Problems:
    """Collects problems for one file, so that all are reported together."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[str] = []

    def add(self, claim_id: str, field: str, what: str) -> None:
        self.items.append(f"{self.file}: {claim_id}: {field}: {what}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_type(
    raw: Mapping[str, Any], field: str, ok: Callable[[Any], bool], what: str, cid: str, problems: _Problems,
    prefix: str = "",
) -> None:
    if field in raw and not ok(raw[field]):
        problems.add(cid, prefix + field, f"must be {what}, got {raw[field]!r}")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _parse_tolerance(raw: Any, cid: str, problems: _Problems) -> Tolerance:
    if not isinstance(raw, Mapping):
        problems.add(cid, "tolerance", f"must be a table such as {{ abs = 0 }}, got {raw!r}")
        return Tolerance()
    unknown = set(raw) - {"abs", "rel", "digits", "mode"}
    for key in sorted(unknown):
        problems.add(cid, f"tolerance.{key}", "unknown key (permitted: abs, rel, digits, mode)")
    for key in ("abs", "rel"):
        if key in raw and (not _is_number(raw[key]) or raw[key] < 0):
            problems.add(cid, f"tolerance.{key}", f"must be a non-negative number, got {raw[key]!r}")
    if "digits" in raw and (not isinstance(raw["digits"], int) or isinstance(raw["digits"], bool)):
        problems.add(cid, "tolerance.digits", f"must be an integer, got {raw['digits']!r}")
    if "mode" in raw and raw["mode"] not in ROUNDING_MODES:
        problems.add(cid, "tolerance.mode", f"must be one of {', '.join(ROUNDING_MODES)}, got {raw['mode']!r}")
    if not raw:
        problems.add(cid, "tolerance", "must state at least one of abs, rel, digits")
    try:
        return Tolerance(
            abs=float(raw.get("abs", 0.0)),
            rel=float(raw.get("rel", 0.0)),
            digits=raw.get("digits"),
            mode=raw.get("mode", "round"),
        )
    except (TypeError, ValueError):
        return Tolerance()


def _parse_table_fields(
    raw: Any, name: str, fields: Mapping[str, Callable[[Any], bool]], cid: str, problems: _Problems
) -> dict[str, Any] | None:
    """Check a small nested table (plateau, early_stopping) against its fields' checks."""
    if not isinstance(raw, Mapping):
        problems.add(cid, name, f"must be a table, got {raw!r}")
        return None
    for key in sorted(set(raw) - set(fields)):
        problems.add(cid, f"{name}.{key}", f"unknown key (permitted: {', '.join(fields)})")
    for key in fields:
        if key not in raw:
            problems.add(cid, f"{name}.{key}", "missing required field")
        elif not fields[key](raw[key]):
            problems.add(cid, f"{name}.{key}", f"invalid value {raw[key]!r}")
    return dict(raw)


_PLATEAU_FIELDS: dict[str, Callable[[Any], bool]] = {
    "monitor": lambda v: v in MONITORS,
    "factor": lambda v: _is_number(v) and 0 < v < 1,
    "patience": _is_count,
    "min_lr": lambda v: _is_number(v) and v >= 0,
}
_STOPPING_FIELDS: dict[str, Callable[[Any], bool]] = {
    "monitor": lambda v: v in MONITORS,
    "patience": _is_count,
    "restore_best": lambda v: isinstance(v, bool),
}


_OPTION_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "expand": (lambda value: isinstance(value, bool), "true or false"),
    "ops": (lambda value: _is_count(value) and value > 0, "a positive integer"),
}
"""Augmentation options that are not plain numbers: their test and its description."""


def _parse_augment_options(
    raw: Any, augment: Any, cid: str, problems: _Problems,
) -> tuple[tuple[str, tuple[tuple[str, float | bool], ...]], ...]:
    """``[claim.recipe.augment_options]``: per applied augmentation, a table of its known options."""
    field = "recipe.augment_options"
    if not isinstance(raw, Mapping):
        problems.add(cid, field, f"must be a table of augmentation = {{ option = value }}, got {raw!r}")
        return ()
    parsed = []
    for name, given in raw.items():
        if name not in AUGMENT_OPTIONS:
            problems.add(cid, f"{field}.{name}", f"takes no options (options exist for {', '.join(AUGMENT_OPTIONS)})")
        elif not isinstance(augment, list) or name not in augment:
            problems.add(cid, f"{field}.{name}", "options for an augmentation the recipe does not apply")
        elif not isinstance(given, Mapping):
            problems.add(cid, f"{field}.{name}", f"must be a table {{ option = value }}, got {given!r}")
        else:
            for key, value in given.items():
                test, kind = _OPTION_KINDS.get(key, (_is_number, "a number"))
                if key not in AUGMENT_OPTIONS[name]:
                    problems.add(cid, f"{field}.{name}.{key}",
                                 f"unknown option (permitted: {', '.join(AUGMENT_OPTIONS[name])})")
                elif not test(value):
                    problems.add(cid, f"{field}.{name}.{key}", f"must be {kind}, got {value!r}")
            parsed.append((name, tuple(sorted(given.items()))))
    return tuple(parsed)


def _parse_recipe(raw: Any, cid: str, problems: _Problems) -> Recipe | None:
    if not isinstance(raw, Mapping):
        problems.add(cid, "recipe", f"must be a table, got {raw!r}")
        return None
    known = {f.name for f in dataclasses.fields(Recipe)}
    before = len(problems.items)
    for key in sorted(set(raw) - known):
        problems.add(cid, f"recipe.{key}", f"unknown key (permitted: {', '.join(sorted(known))})")
    for key in _RECIPE_REQUIRED:
        if key not in raw:
            problems.add(cid, f"recipe.{key}", "missing required field")
    for key, choices in _RECIPE_CHOICES.items():
        if key in raw and raw[key] not in choices:
            problems.add(cid, f"recipe.{key}", f"must be one of {', '.join(choices)}, got {raw[key]!r}")
    for key in ("lr", "momentum", "weight_decay", "aux_loss_weight"):
        _check_type(raw, key, _is_number, "a number", cid, problems, prefix="recipe.")
    for key in ("batch_size", "epochs", "val_size", "steps_per_epoch"):
        _check_type(raw, key, _is_count, "a non-negative integer", cid, problems, prefix="recipe.")
    _check_type(raw, "nesterov", lambda v: isinstance(v, bool), "true or false", cid, problems, prefix="recipe.")
    augment = raw.get("augment", [])
    if not isinstance(augment, list) or any(a not in AUGMENTATIONS for a in augment):
        problems.add(cid, "recipe.augment", f"must be a list drawn from {', '.join(AUGMENTATIONS)}, got {augment!r}")
    augment_options = _parse_augment_options(raw.get("augment_options", {}), augment, cid, problems)
    plateau = raw.get("plateau")
    if raw.get("schedule") == "plateau" and plateau is None:
        problems.add(cid, "recipe.plateau", "schedule = 'plateau' needs a plateau table")
    plateau_raw = _parse_table_fields(plateau, "recipe.plateau", _PLATEAU_FIELDS, cid, problems) if plateau else None
    stopping = raw.get("early_stopping")
    stopping_raw = (
        _parse_table_fields(stopping, "recipe.early_stopping", _STOPPING_FIELDS, cid, problems) if stopping else None
    )
    if len(problems.items) > before:
        return None
    fields = {k: v for k, v in raw.items() if k not in ("plateau", "early_stopping", "augment", "augment_options")}
    return Recipe(
        **fields,
        augment=tuple(augment),
        augment_options=augment_options,
        plateau=Plateau(**plateau_raw) if plateau_raw else None,
        early_stopping=EarlyStopping(**stopping_raw) if stopping_raw else None,
    )


def _parse_claim(
    raw: Mapping[str, Any], slug: str, file: str, tables: Mapping[str, Table], problems: _Problems,
    model_names: Iterable[str] | None,
) -> Claim | None:
    local = raw.get("id")
    if not isinstance(local, str) or not ID_PATTERN.match(local):
        problems.add(repr(local) if local is not None else "(no id)", "id",
                     "missing or invalid: use lowercase letters, digits and _ . / - only")
        return None
    cid = f"{slug}/{local}"
    before = len(problems.items)
    kind = raw.get("kind")
    if kind not in KINDS:
        close = difflib.get_close_matches(str(kind), KINDS, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        problems.add(cid, "kind", f"unknown kind {kind!r}{hint}; permitted: {', '.join(KINDS)}")
        return None
    required = (*_COMMON_REQUIRED, *_REQUIRED_BY_KIND[kind])
    unverifiable = raw.get("status") == "unverifiable"
    if unverifiable:
        required = tuple(f for f in required if f != "recipe")
    permitted = {*required, *_COMMON_OPTIONAL, *_REQUIRED_BY_KIND[kind], *_OPTIONAL_BY_KIND.get(kind, ())}
    for key in sorted(set(raw) - permitted):
        problems.add(cid, key, f"unknown key for kind {kind!r} (permitted: {', '.join(sorted(permitted))})")
    for key in required:
        if key not in raw:
            problems.add(cid, key, "missing required field")
    for key, choices in _CHOICES.items():
        if key in raw and raw[key] not in choices:
            problems.add(cid, key, f"must be one of {', '.join(choices)}, got {raw[key]!r}")
    if "count" in raw:
        counts = MAC_COUNTS if kind == "macs" or raw.get("quantity") == "macs" else PARAM_COUNTS
        if raw["count"] not in counts:
            problems.add(cid, "count", f"must be one of {', '.join(counts)} for this claim, got {raw['count']!r}")
    for key in ("printed", "source", "why", "note", "model", "layer", "hardware"):
        _check_type(raw, key, lambda v: isinstance(v, str) and v != "", "a non-empty string", cid, problems)
    value = raw.get("value")
    if kind == "layer" and raw.get("quantity") == "output_shape":
        if "value" in raw and not (isinstance(value, list) and value and all(isinstance(v, int) for v in value)):
            problems.add(cid, "value", f"must be a list of integers (a shape), got {value!r}")
        value = tuple(value) if isinstance(value, list) else value
    else:
        _check_type(raw, "value", _is_number, "a number", cid, problems)
    _check_type(raw, "scale", lambda v: _is_number(v) and v > 0, "a positive number", cid, problems)
    if "input" in raw:
        shape = raw["input"]
        if not (isinstance(shape, list) and len(shape) == 3 and all(isinstance(v, int) and v > 0 for v in shape)):
            problems.add(cid, "input", f"must be [channels, height, width], got {shape!r}")
    if ("expect" in raw or "status" in raw) and "why" not in raw:
        problems.add(cid, "why", "a claim with expect or status must say why")
    if "expect" in raw and "status" in raw:
        problems.add(cid, "status", "a claim is either expected refuted or unverifiable, not both")
    if model_names is not None and isinstance(raw.get("model"), str):
        known = list(model_names)
        if raw["model"] not in known:
            close = difflib.get_close_matches(raw["model"], known, n=3, cutoff=0.5)
            hint = f" (closest: {', '.join(close)})" if close else ""
            problems.add(cid, "model", f"unknown model {raw['model']!r}{hint}")
    cell = raw.get("cell")
    if cell is not None:
        _check_cell(cell, raw.get("printed"), tables, cid, problems)
    tolerance = _parse_tolerance(raw["tolerance"], cid, problems) if "tolerance" in raw else Tolerance()
    recipe = _parse_recipe(raw["recipe"], cid, problems) if "recipe" in raw else None
    if len(problems.items) > before:
        return None
    return Claim(
        id=cid,
        report=slug,
        kind=kind,
        value=value,
        printed=raw["printed"],
        source=raw["source"],
        tolerance=tolerance,
        file=file,
        model=raw.get("model"),
        scale=float(raw.get("scale", 1.0)),
        count=raw.get("count"),
        input=tuple(raw["input"]) if "input" in raw else None,
        layer=raw.get("layer"),
        quantity=raw.get("quantity"),
        layout=raw.get("layout"),
        size=raw.get("size"),
        dataset=raw.get("dataset"),
        split=raw.get("split"),
        statistic=raw.get("statistic"),
        hardware=raw.get("hardware"),
        recipe=recipe,
        cell=tuple(cell) if cell is not None else None,
        expect=raw.get("expect"),
        status=raw.get("status"),
        why=raw.get("why"),
        note=raw.get("note"),
    )


def _check_cell(cell: Any, printed: Any, tables: Mapping[str, Table], cid: str, problems: _Problems) -> None:
    """A cell reference is [table id, row label, column]; its text must equal ``printed``."""
    if not (isinstance(cell, list) and len(cell) == 3 and all(isinstance(c, str) for c in cell)):
        problems.add(cid, "cell", f"must be [table id, row label, column name], got {cell!r}")
        return
    table_id, row_label, column = cell
    table = tables.get(table_id)
    if table is None:
        problems.add(cid, "cell", f"no table {table_id!r} in this file (tables: {', '.join(tables) or 'none'})")
        return
    if column not in table.columns:
        problems.add(cid, "cell", f"table {table_id!r} has no column {column!r}")
        return
    rows = [row for row in table.rows if row[0] == row_label]
    if len(rows) != 1:
        problems.add(cid, "cell", f"table {table_id!r} has {len(rows)} rows labelled {row_label!r}, expected 1")
        return
    text = rows[0][table.columns.index(column)]
    if printed is not None and text != printed:
        problems.add(cid, "printed", f"{printed!r} differs from the table cell {text!r}")


def _parse_tables(raw_tables: Any, problems: _Problems) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    if not isinstance(raw_tables, list):
        problems.add("(file)", "table", "must be an array of tables ([[table]])")
        return tables
    for raw in raw_tables:
        tid = raw.get("id", "(no id)")
        name = f"table {tid}"
        unknown = set(raw) - {"id", "title", "columns", "rows"}
        for key in sorted(unknown):
            problems.add(name, key, "unknown key (permitted: id, title, columns, rows)")
        columns, rows = raw.get("columns"), raw.get("rows")
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            problems.add(name, "columns", "must be a list of column names")
            continue
        if not isinstance(rows, list) or not all(
            isinstance(r, list) and len(r) == len(columns) and all(isinstance(c, str) for c in r) for r in rows
        ):
            problems.add(name, "rows", f"must be a list of rows, each {len(columns)} strings")
            continue
        if tid in tables:
            problems.add(name, "id", "duplicate table id")
        tables[tid] = Table(id=tid, title=raw.get("title", tid), columns=tuple(columns),
                            rows=tuple(tuple(r) for r in rows))
    return tables


def _load_report(path: Path, model_names: Iterable[str] | None) -> tuple[Report | None, list[str]]:
    problems = _Problems(path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        problems.add("(file)", "(syntax)", f"TOML syntax error: {error}")
        return None, problems.items
    except UnicodeDecodeError as error:
        problems.add("(file)", "(encoding)", f"not UTF-8: {error}")
        return None, problems.items
    slug = path.stem
    for key in sorted(set(data) - {"report", "table", "claim"}):
        problems.add("(file)", key, "unknown top-level key (permitted: report, table, claim)")
    meta = data.get("report", {})
    for key in ("title", "seed", "origin"):
        if not isinstance(meta.get(key), str):
            problems.add("(file)", f"report.{key}", "missing required field")
    for key in sorted(set(meta) - {"title", "seed", "origin"}):
        problems.add("(file)", f"report.{key}", "unknown key (permitted: title, seed, origin)")
    tables = _parse_tables(data.get("table", []), problems)
    claims: list[Claim] = []
    seen: set[str] = set()
    raw_claims = data.get("claim", [])
    if not isinstance(raw_claims, list):
        problems.add("(file)", "claim", "must be an array of tables ([[claim]])")
        raw_claims = []
    for raw in raw_claims:
        claim = _parse_claim(raw, slug, path.name, tables, problems, model_names)
        if claim is None:
            continue
        if claim.id in seen:
            problems.add(claim.id, "id", "duplicate id")
            continue
        seen.add(claim.id)
        claims.append(claim)
    if problems.items:
        return None, problems.items
    report = Report(slug=slug, title=meta["title"], seed=meta["seed"], origin=meta["origin"],
                    tables=tuple(tables.values()), claims=tuple(claims))
    return report, []


def load_reports(path: Path | str = DEFAULT_DIR, *, model_names: Iterable[str] | None = None) -> list[Report]:
    """Read every ``*.toml`` under ``path`` (or one file); raise ``LedgerError`` listing all problems.

    ``model_names``, when given, is the set of names a claim's ``model`` may take.
    """
    path = Path(path)
    if not path.exists():
        raise LedgerError([f"{path}: (file): (path): no such file or directory"])
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    names = list(model_names) if model_names is not None else None
    reports: list[Report] = []
    problems: list[str] = []
    for file in files:
        report, file_problems = _load_report(file, names)
        problems.extend(file_problems)
        if report is not None:
            reports.append(report)
    if problems:
        raise LedgerError(problems)
    return reports


def load(path: Path | str = DEFAULT_DIR, *, model_names: Iterable[str] | None = None) -> list[Claim]:
    """All claims under ``path``, sorted by id."""
    claims = [claim for report in load_reports(path, model_names=model_names) for claim in report.claims]
    return sorted(claims, key=lambda c: c.id)
