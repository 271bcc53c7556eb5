"""The claims ledger: read ``reference/*.toml`` (format 2) into validated, frozen ``Claim`` records.

Types and allowed values are the schema's (``claimbench.schema``); what spans several keys is checked here.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimbench import schema, vocab
from claimbench.schema import EarlyStopping, Plateau, Tolerance

__all__ = ["Claim", "EarlyStopping", "LedgerError", "Plateau", "Recipe", "Report", "Table", "Tolerance", "load",
           "load_reports"]

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "reference"
MIGRATE = "a v1 ledger (no format key): migrate it to format = 2, see reference/README.md, 'From format 1'"
READ_ERRORS = {tomllib.TOMLDecodeError: ("(syntax)", "TOML syntax error"), UnicodeDecodeError: ("(encoding)", "not UTF-8"),
               OSError: ("(read)", "cannot read the file")}
TABLE_DEFAULTS = ("model", "kind", "count", "dataset", "source")
RECIPE_REQUIRED = ("optimizer", "lr", "batch_size", "epochs", "schedule", "validation", "normalize")


class LedgerError(ValueError):
    """Problems in ledger files, each ``file: claim id: field: what is wrong``; the first line names the first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__("\n".join([problems[0] + more, *problems[1:]]))


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
    mean: tuple[float, ...] | None = None
    std: tuple[float, ...] | None = None
    """Per-channel mean and std of ``normalize = "mean_std"``, on [0, 1] pixels."""
    eps: float = 1e-8
    """Adam/AdamW epsilon (Keras uses 1e-7)."""
    drop_last: bool = False

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
    value: float | int | tuple[int, ...] | None
    printed: str
    source: str
    tolerance: Tolerance
    file: str
    model: str | None = None
    scale: float = 1.0
    count: str | None = None
    input: tuple[int, ...] | None = None
    """None: the model's registered input size (``models.input_size``)."""
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
    interval: tuple[float | None, float | None] | None = None
    """(low, high) of a verbal claim (None: open); ``value`` is None then."""
    recipe_name: str | None = None
    runs: int | None = None
    """How many runs the author's number averages: the claim's default seed count."""
    partial: bool = False
    """``printed`` is a part of its cell's text, not all of it."""

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
    source: str | None
    origin: str | None
    tables: tuple[Table, ...]
    claims: tuple[Claim, ...]
    modules: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- where a problem is


def _item(doc: dict[str, Any], section: str, index: int, slug: str) -> str:
    """A claim's id (``slug/id``) or a table's, else its position."""
    items = doc.get(section)
    raw = items[index] if isinstance(items, list) and index < len(items) else None
    local = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(local, str) and re.match(schema.ID_PATTERN, local):
        return f"{slug}/{local}" if section == "claim" else f"table {local}"
    return f"({section} #{index + 1})"


def _locate(doc: dict[str, Any], slug: str, path: tuple[Any, ...], whole: str) -> tuple[str, str]:
    """(subject, field) of a path in the file; ``whole`` names the field when the path ends at an item."""
    head, rest = (path[0], path[1:]) if path else (whole, ())
    field = ".".join(map(str, rest[1:])) or whole
    if head in ("claim", "table") and rest and isinstance(rest[0], int):
        return _item(doc, head, rest[0], slug), field
    if head == "recipe" and rest:
        return f"recipe.{rest[0]}", field
    if head == "report":
        return "(report)", ".".join(map(str, rest)) or whole
    return "(file)", ".".join(map(str, path)) or whole


def _schema_problem(doc: dict[str, Any], slug: str, error: Any) -> tuple[str, str, str]:
    """One pydantic error as (subject, field, what is wrong)."""
    loc = tuple(error["loc"])
    if loc[:1] == ("claim",) and len(loc) > 2:
        loc = loc[:2] + loc[3:]  # the union's tag (the claim's kind)
    cut = next((i for i, part in enumerate(loc) if i > 1 and isinstance(part, str) and ("[" in part or "-" in part)),
               None)
    loc = loc[:cut]  # a union member's label ("constrained-float", "list[int]")
    kind = error["type"]
    subject, field = _locate(doc, slug, loc, "kind" if kind.startswith("union_tag") else "(table)")
    if kind == "missing":
        return subject, field, "missing required field"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return subject, field, "unknown key" + _permitted(error["loc"])
    if kind == "union_tag_invalid":
        close = difflib.get_close_matches(str(error["input"].get("kind")), vocab.KINDS, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        return subject, field, f"unknown kind {error['input'].get('kind')!r}{hint}; permitted: {', '.join(vocab.KINDS)}"
    what = error["msg"].replace("Input should be", "must be").replace("String should match pattern", "must match")
    return subject, field, f"{what}, got {repr(error['input']):.80}"


def _permitted(loc: tuple[Any, ...]) -> str:
    """The keys a claim of this kind takes, for an unknown key on it."""
    if len(loc) == 4 and loc[0] == "claim" and loc[2] in schema.CLAIM_MODELS:
        return f" for kind {loc[2]!r} (permitted: {', '.join(sorted(schema.CLAIM_MODELS[loc[2]].model_fields))})"
    return ""


def _todos(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, what to fill in) of every string that starts with TODO."""
    if isinstance(node, str) and node.startswith("TODO"):
        yield path, node[4:].strip(" :-") or f"fill in {path[-1]}"
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield from _todos(value, (*path, key))


def _table_defaults(doc: dict[str, Any]) -> None:
    """Give each claim the keys of the table its cell is in that its kind takes and it names not itself.

    A table's ``source`` becomes ``<source>, row <row label>``.
    """
    tables = {t["id"]: t for t in _list(doc, "table") if isinstance(t, dict) and isinstance(t.get("id"), str)}
    for claim in (claim for claim in _list(doc, "claim") if isinstance(claim, dict)):
        cell = claim.get("cell")
        table = tables.get(cell[0]) if isinstance(cell, list) and len(cell) > 1 and isinstance(cell[0], str) else None
        kind = claim.get("kind", table.get("kind")) if table else None
        model = schema.CLAIM_MODELS.get(kind) if isinstance(kind, str) else None
        for key in set(TABLE_DEFAULTS) & set(model.model_fields if model else ()) - set(claim):
            if key in table:
                claim[key] = f"{table[key]}, row {cell[1]}" if key == "source" else table[key]


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    return doc[key] if isinstance(doc.get(key), list) else []


# ----------------------------------------------------------------------------- what spans several keys


def _merge(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """``own`` over ``base``, table by table."""
    return {**base, **own, **{k: _merge(base[k], v) for k, v in own.items()
                              if isinstance(v, dict) and isinstance(base.get(k), dict)}}


class _Check:
    """The cross-key checks of one file that passed the schema, with the problems they find."""

    def __init__(self, file: str, slug: str, doc: dict[str, Any], model_names: list[str] | None) -> None:
        self.file, self.slug, self.doc, self.model_names = file, slug, doc, model_names
        self.problems: list[str] = []
        self.merged: dict[str, dict[str, Any] | None] = {}

    def add(self, subject: str, field: str, what: str) -> None:
        self.problems.append(f"{self.file}: {subject}: {field}: {what}")

    def resolve(self, name: str, chain: tuple[str, ...] = ()) -> dict[str, Any] | None:
        """The recipe's keys with its ``extends`` chain merged in; None after a problem."""
        if name not in self.merged:
            own = self.doc["recipe"][name]
            parent = own.get("extends")
            if parent is None:
                self.merged[name] = own
            elif parent in (*chain, name):
                self.add(f"recipe.{name}", "extends", f"cycle: {' -> '.join((*chain, name, parent))}")
                self.merged[name] = None
            elif parent not in self.doc["recipe"]:
                self.add(f"recipe.{name}", "extends", f"unknown recipe {parent!r}{self._recipes()}")
                self.merged[name] = None
            else:
                base = self.resolve(parent, (*chain, name))
                self.merged[name] = None if base is None else _merge(base, own)
        return self.merged[name]

    def _recipes(self) -> str:
        return f" (recipes: {', '.join(self.doc.get('recipe', {})) or 'none'})"

    def recipe(self, name: str) -> Recipe | None:
        """The named recipe, complete and sane, or None after a problem."""
        raw = self.resolve(name)
        if raw is None:
            return None
        table = schema.RecipeTable.model_validate(raw)
        before = len(self.problems)
        for field, what in _recipe_problems(table):
            self.add(f"recipe.{name}", field, what)
        if len(self.problems) > before:
            return None
        given = {k: v for k, v in table if v is not None and k not in ("extends", "augment_options")}
        options = table.augment_options.model_dump(exclude_none=True) if table.augment_options else {}
        return Recipe(**{**given, **{k: tuple(given[k]) for k in ("augment", "mean", "std") if k in given}},
                      augment_options=tuple((n, tuple(sorted(o.items()))) for n, o in sorted(options.items())))

    def table(self, model: schema.TableModel) -> Table:
        for row in model.rows:
            if len(row) != len(model.columns):
                self.add(f"table {model.id}", "rows", f"row {row[:1]} has {len(row)} cells, the table "
                                                      f"{len(model.columns)} columns")
        return Table(model.id, model.title, tuple(model.columns), tuple(map(tuple, model.rows)))

    def claim(self, raw: dict[str, Any], model: Any, recipes: dict[str, Recipe | None],
              tables: dict[str, Table]) -> Claim | None:
        cid = f"{self.slug}/{model.id}"
        before = len(self.problems)
        for field, what in _claim_problems(raw, model, self.model_names):
            self.add(cid, field, what)
        name = getattr(model, "recipe", None)
        if name is not None and name not in recipes:
            self.add(cid, "recipe", f"unknown recipe {name!r}{self._recipes()}")
        if model.cell is not None:
            self.cell(cid, model, tables)
        if len(self.problems) > before or name is not None and recipes.get(name) is None:
            return None
        value = raw.get("value")
        fields = {k: v for k, v in model if k in _CLAIM_FIELDS}
        return Claim(**{**fields, **{k: tuple(fields[k]) for k in ("input", "cell") if fields.get(k)}},
                     id=cid, report=self.slug, file=self.file, recipe=recipes.get(name), recipe_name=name,
                     value=tuple(value) if isinstance(value, list) else value, interval=_interval(raw))

    def cell(self, cid: str, model: Any, tables: dict[str, Table]) -> None:
        """A cell is [table id, row label, column]; ``printed`` is its text, or a part of it when ``partial``."""
        table_id, label, column = model.cell
        table = tables.get(table_id)
        rows = [row for row in table.rows if row[0] == label and len(row) == len(table.columns)] if table else []
        text = rows[0][table.columns.index(column)] if len(rows) == 1 and column in table.columns else None
        if table is None:
            self.add(cid, "cell", f"no table {table_id!r} in this file (tables: {', '.join(tables) or 'none'})")
        elif text is None:
            self.add(cid, "cell", f"table {table_id!r} has no column {column!r}, or not one row labelled {label!r}")
        elif model.partial and model.printed not in text:
            self.add(cid, "printed", f"{model.printed!r} is not in the table cell {text!r}")
        elif not model.partial and model.printed != text:
            self.add(cid, "printed", f"{model.printed!r} differs from the table cell {text!r}")


_CLAIM_FIELDS = set(Claim.__dataclass_fields__) - {"id", "recipe", "value", "interval"}


def _interval(raw: dict[str, Any]) -> tuple[float | None, float | None] | None:
    if "between" in raw:
        return tuple(raw["between"])
    return (raw["above"], None) if "above" in raw else (None, raw["below"]) if "below" in raw else None


def _recipe_problems(recipe: schema.RecipeTable) -> Iterator[tuple[str, str]]:
    """Recipe sanity: what each key needs of the others."""
    for key in RECIPE_REQUIRED:
        if getattr(recipe, key) is None:
            yield key, "missing required field"
    if recipe.validation == "holdout" and not recipe.val_size:
        yield "val_size", "validation = 'holdout' needs val_size >= 1"
    if (recipe.schedule == "plateau") != (recipe.plateau is not None):
        yield "plateau", "a plateau table goes with schedule = 'plateau', and only with it"
    if {recipe.mean is not None, recipe.std is not None} != {recipe.normalize == "mean_std"}:
        yield "normalize", "normalize = 'mean_std' needs mean and std, and only it takes them"
    elif recipe.mean is not None and len(recipe.mean) != len(recipe.std or ()):
        yield "std", f"needs one value per channel, as mean has {len(recipe.mean)}"
    for name, options in recipe.augment_options or ():
        if options is not None and name not in (recipe.augment or ()):
            yield f"augment_options.{name}", "options for an augmentation the recipe does not apply"


def _claim_problems(raw: dict[str, Any], model: Any, model_names: list[str] | None) -> Iterator[tuple[str, str]]:
    """What a claim's keys need of each other."""
    given = [key for key in ("value", "above", "below", "between") if key in raw]
    if len(given) != 1:
        yield "value", f"give exactly one of value, above, below, between (given: {', '.join(given) or 'none'})"
    if (getattr(model, "quantity", None) == "output_shape") != isinstance(model.value, list):
        yield "value", "must be a list of integers (a shape) for output_shape, else a number or an interval"
    if model.between is not None and not model.between[0] < model.between[1]:
        yield "between", f"must be [low, high] with low < high, got {model.between}"
    digits = model.tolerance.digits
    if isinstance(model.value, float) and digits is not None and abs(round(model.value, digits) - model.value) > 1e-9 * max(1.0, abs(model.value)):
        yield "value", f"has more decimals than tolerance.digits = {digits}"
    if model.kind == "layer" and model.count is not None:
        counts = vocab.MAC_COUNTS if model.quantity == "macs" else vocab.PARAM_COUNTS
        if model.count not in counts:
            yield "count", f"must be one of {', '.join(counts)} for quantity {model.quantity!r}, got {model.count!r}"
    if (model.expect or model.status) and model.why is None:
        yield "why", "a claim with expect or status must say why"
    if model.expect and model.status:
        yield "status", "a claim is either expected refuted or unverifiable, not both"
    if "recipe" in type(model).model_fields and model.recipe is None and model.status is None:
        yield "recipe", "missing required field"
    if model.partial and model.cell is None:
        yield "partial", "partial = true needs the cell that printed is a part of"
    if model_names is not None and model.model not in model_names:
        close = difflib.get_close_matches(model.model, model_names, n=3, cutoff=0.5)
        yield "model", f"unknown model {model.model!r}" + (f" (closest: {', '.join(close)})" if close else "")


# ----------------------------------------------------------------------------- loading


def _load_report(path: Path, model_names: list[str] | None) -> tuple[Report | None, list[str]]:
    slug = path.stem
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tuple(READ_ERRORS) as error:
        field, what = next(words for kind, words in READ_ERRORS.items() if isinstance(error, kind))
        return None, [f"{path.name}: (file): {field}: {what}: {str(error).splitlines()[0]}"]
    if "format" not in doc:
        return None, [f"{path.name}: (file): format: {MIGRATE}"]
    todos = {_locate(doc, slug, loc, "(table)"): what for loc, what in _todos(doc)}
    _table_defaults(doc)
    try:
        ledger = schema.LedgerFile.model_validate(doc)
    except ValidationError as error:
        found = [_schema_problem(doc, slug, e) for e in error.errors()]
        found = [*((*where, f"TODO left by claimbench draft: {what}") for where, what in todos.items()),
                 *(p for p in found if p[:2] not in todos)]
        return None, [f"{path.name}: {s}: {f}: {w}" for s, f, w in dict.fromkeys(found)]
    return _report(_Check(path.name, slug, doc, model_names), ledger)


def _report(check: _Check, ledger: schema.LedgerFile) -> tuple[Report | None, list[str]]:
    recipes = {name: check.recipe(name) for name in ledger.recipe}
    tables: dict[str, Table] = {}
    for model in ledger.table:
        if model.id in tables:
            check.add(f"table {model.id}", "id", "duplicate table id")
        tables[model.id] = check.table(model)
    claims: dict[str, Claim] = {}
    for raw, model in zip(_list(check.doc, "claim"), ledger.claim):
        claim = check.claim(raw, model, recipes, tables)
        if claim is not None and claim.id in claims:
            check.add(claim.id, "id", "duplicate id")
        elif claim is not None:
            claims[claim.id] = claim
    if check.problems:
        return None, check.problems
    meta = ledger.report
    return Report(check.slug, meta.title, meta.source, meta.origin, tuple(tables.values()), tuple(claims.values()),
                  tuple(meta.modules)), []


def load_reports(path: Path | str = DEFAULT_DIR, *, model_names: Iterable[str] | None = None) -> list[Report]:
    """Read every ``*.toml`` under ``path`` (or one file); raise ``LedgerError`` listing all problems.

    ``model_names``, when given, is the set of names a claim's ``model`` may take.
    """
    path = Path(path)
    if not path.exists():
        raise LedgerError([f"{path}: (file): (path): no such file or directory"])
    names = list(model_names) if model_names is not None else None
    loaded = [_load_report(file, names) for file in (sorted(path.glob("*.toml")) if path.is_dir() else [path])]
    problems = [problem for _, found in loaded for problem in found]
    if problems:
        raise LedgerError(problems)
    return [report for report, _ in loaded if report is not None]


def load(path: Path | str = DEFAULT_DIR, *, model_names: Iterable[str] | None = None) -> list[Claim]:
    """All claims under ``path``, sorted by id."""
    claims = [claim for report in load_reports(path, model_names=model_names) for claim in report.claims]
    return sorted(claims, key=lambda c: c.id)
