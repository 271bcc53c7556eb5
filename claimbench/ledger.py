"""The claims ledger: read ``reference/*.toml`` (format 2) into validated, frozen ``Claim`` records.

Types and allowed values are the schema's (``claimbench.schema``); what spans several keys is checked here.
Which model a reference names is the registry's question, asked when claims are collected.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from claimbench import ledger_lines, numerals, printed_style, schema, vocab
from claimbench.column_names import column_index
from claimbench.header_rows import read_headers
from claimbench.kind_words import counts_flops, guess_kind
from claimbench.ledger_files import LedgerError, files
from claimbench.schema import Claim, EarlyStopping, Plateau, Recipe, Report, Step, Table, Tolerance

__all__ = ["Claim", "EarlyStopping", "LedgerError", "Plateau", "Recipe", "Report", "Step", "Table", "Tolerance",
           "files", "load", "load_reports"]

MIGRATE = ("a v1 ledger (no format key): migrate it to format = 2 (its keys, described: `claimbench schema`, which "
           "ships with claimbench; the steps: 'From format 1' in reference/README.md of claimbench's source)")
READ_ERRORS = {tomllib.TOMLDecodeError: ("(syntax)", "TOML syntax error"),
               UnicodeDecodeError: ("(encoding)", "not UTF-8"), OSError: ("(read)", "cannot read the file"),
               ValueError: ("(syntax)", "a value Python cannot read"), RecursionError: ("(syntax)", "nested too deep")}
BOUNDS = ("value", "above", "below", "between")
TEXT_CLAIM = (": a cell is found by its row label and column as the report prints them; delete the claim's cell "
              "(its printed is then looked for anywhere in the report)")
"""The way out of a cell the table's repeated row label or column header leaves ambiguous."""
RECIPE = TypeAdapter(Recipe)
MOST_EXTENDS = 64
"""The most recipes an ``extends`` chain holds, its first included: a longer one is refused, which also bounds the
merging a ledger's recipes take (each merges its chain) to this many per recipe."""
TOO_LONG = f"chain longer than {MOST_EXTENDS} recipes: merge some of them into one"
Rows = dict[tuple[str, str], list[tuple[str, ...]]]
"""The complete rows of each (table id, row label)."""
Headers = dict[str, list[str]]
"""The columns' headers as the first row of each table whose first row is no data completes them (``read_headers``:
joined with a second header row, or with a row of units' units)."""
Problem = tuple[str, str, str]
"""(subject, field, what is wrong); a subject is a claim id, ``recipe.<name>``, ``table <id>``, ``(report)`` or
``(file)``."""


# ----------------------------------------------------------------------------- where a problem is, in words


def _where(doc: dict[str, Any], slug: str, loc: Iterable[Any], missing: bool = False, whole: str = "(table)"
           ) -> tuple[str, str]:
    """(subject, field) of a location in the document; parts that are no key of it (pydantic's labels of union
    members) are left out, except the last of a ``missing`` field. ``whole`` names a whole item's field."""
    node, path, loc = doc, [], list(loc)
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node or isinstance(node, list) and part in range(len(node)):
            node = node[part]
            path.append(part)
        elif missing and i == len(loc) - 1:
            path.append(part)
    head, index, rest = (path[0] if path else None), (path[1] if len(path) > 1 else None), path[2:]
    if head in ("claim", "table") and index is not None:
        local = doc[head][index].get("id") if isinstance(doc[head][index], dict) else None
        named = isinstance(local, str) and re.match(schema.ID_PATTERN, local)
        subject = (f"{slug}/{local}" if head == "claim" else f"table {local}") if named else f"({head} #{index + 1})"
        return subject, _dotted(rest) or whole
    if head == "recipe" and index is not None:
        return f"recipe.{index}", _dotted(rest) or whole
    if head == "report" and index is not None:
        return "(report)", _dotted(path[1:])
    return "(file)", _dotted(path) or whole


def _dotted(path: Iterable[Any]) -> str:
    """A path as a TOML dotted key: ``by_column."Train Loss".note``."""
    return ".".join(str(p) if re.fullmatch(r"[\w-]+", str(p)) else json.dumps(p) for p in path)


def _closest(word: str, options: Iterable[str], meant: str | None = None) -> str:
    """`` (did you mean X?)``: X is ``meant`` where given, else the one of ``options`` close to ``word``, or, for a
    word of three letters or more, the options (three at most) it begins."""
    options = sorted(options)
    close = [meant] if meant else [o for o in options if len(word) > 2 and o.startswith(word)][:3]
    close = close or difflib.get_close_matches(word, options, n=1, cutoff=0.75)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""


KEYS = sorted({*(key for model in (schema.LedgerFile, schema.ReportModel, schema.RecipeTable, schema.TableModel,
                                   *schema.CLAIM_MODELS.values()) for key in model.model_fields),
               *(f.name for record in (Tolerance, Plateau, Step, EarlyStopping) for f in dataclasses.fields(record))})
"""Every key a ledger file may hold somewhere: what a mistyped key is compared with."""
UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")
"""pydantic's error types for a key that a model, or a record's own table, does not take."""


KEY_WORDS = {**dict.fromkeys(("learning_rate", "learningrate", "base_lr", "initial_lr", "init_lr"), "lr"),
             **dict.fromkeys(("num_epochs", "n_epochs", "max_epochs"), "epochs"), "bs": "batch_size",
             **dict.fromkeys(("scheduler", "lr_schedule", "lr_scheduler"), "schedule"),
             **dict.fromkeys(("wd", "decay", "l2"), "weight_decay"), "epsilon": "eps",
             **dict.fromkeys(("augmentation", "augmentations", "transforms"), "augment"),
             **dict.fromkeys(("normalization", "normalisation"), "normalize"),
             "early_stop": "early_stopping", "reduce_lr_on_plateau": "plateau"}
"""A recipe's keys as its author's framework names them (Keras, PyTorch), which neither begin nor are spelt like
the ledger's (``_closest``): the key they mean."""

HOMES = {"[report]": schema.ReportModel, "[recipe.<name>]": schema.RecipeTable, "[[table]]": schema.TableModel}
"""Where a key that is no claim's belongs."""


def _unknown(key: str, kind: str | None) -> str:
    """Why a key is not taken: where it belongs when it is a ledger key, else the keys it may be a typo of."""
    takers = [name for name, model in schema.CLAIM_MODELS.items() if key in model.model_fields]
    homes = [home for home, model in HOMES.items() if key in model.model_fields]
    if kind is not None and takers:
        return f"kind {kind!r} does not take it (kinds that do: {', '.join(takers)})"
    if key in KEYS:
        return f"not a key here{': it belongs in ' + ' or '.join(homes) if homes else ''}"
    unknown = f"unknown key{_closest(key, KEYS, KEY_WORDS.get(key.lower()))}"
    if kind is None:
        return unknown
    return f"{unknown} for kind {kind!r} (permitted: {', '.join(sorted(schema.CLAIM_MODELS[kind].model_fields))})"


def _unknown_kind(word: Any) -> str:
    """Why a kind is refused, with the kind its words name as a report's header's would (``guess_kind``: "top1" an
    accuracy, "FLOPs" MACs counted in FLOPs), else the kinds it is spelt like."""
    text = str(word)
    meant = guess_kind(text)
    if counts_flops(text):
        hint = (' (did you mean kind = "macs" with count = "flops", or count = "pure" where the report counts a '
                "multiply-add as one FLOP?)")
    elif meant == "output_shape":
        hint = ' (did you mean kind = "layer" with quantity = "output_shape"?)'
    else:
        close = [meant] if meant else difflib.get_close_matches(text, vocab.KINDS, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"unknown kind {word!r}{hint}; permitted: {', '.join(vocab.KINDS)}"


def _what(error: Any) -> str:
    """What a pydantic error says is wrong, in the ledger's words."""
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        return ledger_lines.MISSING
    if kind == "union_tag_not_found":
        return f"{ledger_lines.MISSING}: give the claim a kind, or a cell in a table that gives one"
    if kind in UNKNOWN_KEY:
        return _unknown(str(loc[-1]), loc[2] if len(loc) == 4 and loc[0] == "claim" else None)
    if kind == "union_tag_invalid":
        return _unknown_kind(error["input"].get("kind"))
    if kind == "literal_error" and loc[-1:] == ("kind",):  # a table's, or a column's
        return _unknown_kind(error["input"])
    what = error["msg"].replace("Input should be", "must be").replace("String should match pattern", "must match")
    hint = ": a fraction, 0.05 for 5%" if kind == "less_than" and loc[-1:] == ("rel",) else ""
    return f"{what}{hint}{ledger_lines.got(error['input'])}"


def _schema_problems(doc: dict[str, Any], slug: str, error: ValidationError) -> Iterator[Problem]:
    """Each pydantic error of the file: the claim's kind tag left out of its location, missing fields last (a
    mistyped key, said first, is why its right spelling is missing)."""
    for e in sorted(error.errors(), key=lambda e: e["type"] == "missing"):
        loc = e["loc"][:2] + e["loc"][3:] if e["loc"][:1] == ("claim",) else e["loc"]
        whole = "kind" if e["type"].startswith("union_tag") else "(table)"
        yield *_where(doc, slug, loc, missing=e["type"] == "missing", whole=whole), _what(e)


def _todos(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, what to fill in) of every string that starts with TODO."""
    if isinstance(node, str) and node.startswith("TODO"):
        yield path, node[4:].strip(" :-") or f"fill in {_dotted(path)}"
    for key, value in node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ():
        yield from _todos(value, (*path, key))


# ----------------------------------------------------------------------------- what spans several keys


def _share(doc: dict[str, Any]) -> None:
    """Give each claim the keys its table, then its column, share that its kind takes and it names not itself.

    A shared ``source`` becomes ``<source>, row <row label>`` (``_row_name``).
    """
    listed = {key: doc[key] if isinstance(doc.get(key), list) else [] for key in ("table", "claim")}
    tables = {t["id"]: t for t in listed["table"] if isinstance(t, dict) and isinstance(t.get("id"), str)}
    by_index = {table_id: _by_index(table) for table_id, table in tables.items()}
    for claim in (c for c in listed["claim"] if isinstance(c, dict)):
        cell = claim.get("cell")
        if not (isinstance(cell, list) and len(cell) == 3 and all(isinstance(part, str) for part in cell)):
            continue
        table = tables.get(cell[0], {})
        column = table["by_column"].get(cell[2]) if isinstance(table.get("by_column"), dict) else None
        if column is None and by_index.get(cell[0]):  # named otherwise: "Complexity Params (M)" for "Complexity"
            column = by_index[cell[0]].get(column_index(table["columns"], table["rows"][:1], cell[2]))
        shared = {**table, **(column if isinstance(column, dict) else {})}
        model = schema.CLAIM_MODELS.get(str(claim.get("kind", shared.get("kind"))))
        for key in set(model.model_fields if model else ()) & set(shared) - set(claim) - set(schema.OWN):
            claim[key] = f"{shared[key]}, {_row_name(table, cell[1])}" if key == "source" else shared[key]


def _by_index(table: dict[str, Any]) -> dict[int, Any]:
    """The keys of each column ``by_column`` names, by the column's index (``column_index``: "Complexity" and
    "Complexity Params (M)" name one column); empty where the table's columns or first row are no lists of text."""
    columns, rows, by_column = table.get("columns"), table.get("rows"), table.get("by_column")
    first = rows[:1] if isinstance(rows, list) else [None]
    if not isinstance(by_column, dict) or not all(
            isinstance(texts, list) and all(isinstance(text, str) for text in texts) for texts in (columns, *first)):
        return {}
    indexes = {name: column_index(columns, first, name) for name in by_column}
    return {index: by_column[name] for name, index in indexes.items() if index is not None}


def _row_name(table: dict[str, Any], label: str) -> str:
    """``row <label>``; a row whose label is empty by its place, as the draft names it: ``unlabelled row 2``."""
    if label.strip():
        return f"row {label}"
    rows = table["rows"] if isinstance(table.get("rows"), list) else []
    places = [i for i, row in enumerate(rows, 1) if isinstance(row, list) and row[:1] == [label]]
    return f"unlabelled row {places[0]}" if len(places) == 1 else "row "


def _recipe(recipes: dict[str, dict[str, Any]], name: str) -> Recipe | list[tuple[str, str]]:
    """The recipe with its ``extends`` chain merged in, complete and sane; else its own problems as (field, what).

    A broken chain is the problem of the recipe whose ``extends`` breaks it, not of those extending that one; one
    longer than ``MOST_EXTENDS`` recipes is its own.
    """
    merged, chain = dict(recipes[name]), [name]
    while (parent := merged.pop("extends", None)) is not None:
        if parent in chain or parent not in recipes:
            cycle = f"cycle: {' -> '.join((*chain, parent))}"
            own = cycle if parent == name else f"unknown recipe {parent!r} (recipes: {', '.join(recipes)})"
            return [("extends", own)] if len(chain) == 1 or parent == name else []
        if len(chain) == MOST_EXTENDS:
            return [("extends", TOO_LONG)]
        chain.append(parent)
        merged = _merge(recipes[parent], merged)
    try:
        recipe = RECIPE.validate_python(merged)
    except ValidationError as error:
        return [(_dotted(e["loc"]), _what(e)) for e in error.errors()]
    problems = []
    if recipe.validation == "holdout" and not recipe.val_size:
        problems.append(("val_size", "validation = 'holdout' needs val_size >= 1"))
    if (recipe.schedule == "plateau") != (recipe.plateau is not None):
        problems.append(("plateau", "a plateau table goes with schedule = 'plateau', and only with it"))
    problems += _step_problems(recipe)
    problems += [(key, f"monitors {rule.monitor!r}, which needs validation = 'holdout' or 'test'")
                 for key, rule in (("plateau", recipe.plateau), ("early_stopping", recipe.early_stopping))
                 if rule is not None and recipe.validation == "none"]
    if {recipe.mean is not None, recipe.std is not None} != {recipe.normalize == "mean_std"}:
        problems.append(("normalize", "normalize = 'mean_std' needs mean and std, and only it takes them"))
    elif recipe.mean is not None and len(recipe.mean) != len(recipe.std or ()):
        problems.append(("std", f"needs one value per channel, as mean has {len(recipe.mean)}"))
    problems += [(f"augment_options.{name}", "options for an augmentation the recipe does not apply")
                 for name, _ in recipe.augment_options if name not in recipe.augment]
    problems += _momentum_problems(recipe)
    return problems or recipe


def _step_problems(recipe: Recipe) -> list[tuple[str, str]]:
    """A step table without ``schedule = "step"`` or the schedule without it, and milestones that are not strictly
    increasing epochs below the recipe's ``epochs`` (``MultiStepLR`` would drop the rate twice at a repeated one, or
    never at one past the end)."""
    if (recipe.schedule == "step") != (recipe.step is not None):
        return [("step", "a step table goes with schedule = 'step', and only with it")]
    milestones = recipe.step.milestones if recipe.step is not None else ()
    if any(later <= earlier for earlier, later in zip(milestones, milestones[1:])):
        return [("step.milestones", f"must be strictly increasing epochs, got {list(milestones)}")]
    if milestones and milestones[-1] >= recipe.epochs:
        return [("step.milestones", f"must be below epochs ({recipe.epochs}), got {milestones[-1]}")]
    return []


def _momentum_problems(recipe: Recipe) -> list[tuple[str, str]]:
    """A momentum the optimizer would not apply: ``momentum`` or ``nesterov = true`` beside Adam or AdamW, which take
    neither (their ``betas`` are fixed), and Nesterov's without a momentum, which torch's SGD refuses once a run has
    started."""
    if recipe.optimizer != vocab.MOMENTUM_OPTIMIZER:
        return [(key, f"needs optimizer = {vocab.MOMENTUM_OPTIMIZER!r} (only SGD takes {what}), "
                      f"got {recipe.optimizer!r}")
                for key, what, given in (("momentum", "a momentum", recipe.momentum > 0),
                                         ("nesterov", "Nesterov momentum", recipe.nesterov)) if given]
    if recipe.nesterov and not recipe.momentum > 0:
        return [("nesterov", "needs momentum > 0 (torch's SGD refuses Nesterov without momentum)")]
    return []


def _lacking(tables: Any) -> list[Problem]:
    """The required keys each recipe lacks, said beside the file's other problems (a mistyped key among them) rather
    than on the next run: not one a recipe gives ill-typed (said already), nor those of a recipe whose ``extends``
    is."""
    def known(table: Any) -> dict[str, Any] | None:
        if not isinstance(table, dict):
            return None
        known = {key: value for key, value in table.items() if key in schema.RecipeTable.model_fields}
        try:
            schema.RecipeTable.model_validate(known)
        except ValidationError as error:
            own = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            ill.update(own)
            return None if "extends" in own else {key: value for key, value in known.items() if key not in own}
        return known

    ill: set[str] = set()
    valid = {name: known(table) for name, table in tables.items()} if isinstance(tables, dict) else {}
    valid = {name: table for name, table in valid.items() if table is not None}
    return [(f"recipe.{name}", field, what) for name in valid if isinstance(found := _recipe(valid, name), list)
            for field, what in found if what == ledger_lines.MISSING and field not in ill]


def _merge(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """``own`` over ``base``, table by table."""
    return {**base, **own, **{k: _merge(base[k], v) for k, v in own.items() if isinstance(base.get(k), dict)}}


def _claim_problems(claim: Any, recipes: dict[str, Any], tables: dict[str, Table], rows: Rows, headers: Headers
                    ) -> Iterator[tuple[str, str]]:
    """What a claim's keys need of each other, of the recipes and of the tables, as (field, what)."""
    given = [key for key in BOUNDS if getattr(claim, key) is not None]
    if len(given) != 1:
        yield "value", f"give exactly one of {', '.join(BOUNDS)} (given: {', '.join(given) or 'none'})"
    if (getattr(claim, "quantity", None) == "output_shape") != isinstance(claim.value, tuple):
        yield "value", "must be a list of integers (a shape) for output_shape, else a number or an interval"
    if claim.between is not None and not claim.between[0] < claim.between[1]:
        yield "between", f"must be [low, high] with low < high, got {list(claim.between)}"
    digits = claim.tolerance.digits
    for key in given if digits is not None else ():
        numbers = getattr(claim, key) if key == "between" else [getattr(claim, key)]
        if any(isinstance(n, float) and abs(round(n, digits) - n) > 1e-9 * max(1, abs(n)) for n in numbers):
            yield key, f"has more decimals than tolerance.digits = {digits}"
    counts = vocab.MAC_COUNTS if getattr(claim, "quantity", "macs") == "macs" else vocab.PARAM_COUNTS
    if claim.kind == "layer" and claim.count is not None and claim.count not in counts:
        yield "count", f"must be one of {', '.join(counts)} for quantity {claim.quantity!r}, got {claim.count!r}"
    if (claim.expect or claim.status) and claim.why is None:
        yield "why", "a claim with expect or status must say why"
    if claim.expect and claim.status:
        yield "status", "a claim is either expected refuted or unverifiable, not both"
    if claim.correct is not None and (not claim.expect or isinstance(claim.correct, tuple) != isinstance(
            claim.value, tuple)):
        yield "correct", "the correct value of a documented error (expect), a shape where the value is one"
    recipe = getattr(claim, "recipe", None)
    if "recipe" in type(claim).model_fields and recipe is None and claim.status is None:
        private = getattr(claim, "dataset", None) == "private"
        yield "recipe", ledger_lines.MISSING + (': for data claimbench does not load, give status = "unverifiable" '
                                                "and a why that names the dataset (or a recipe)" if private else "")
    if recipe is not None and recipe not in recipes:
        yield "recipe", f"unknown recipe {recipe!r} (recipes: {', '.join(recipes) or 'none'})"
    yield from _reading_problems(claim, recipes.get(recipe))
    yield from _channel_problems(claim, recipes.get(recipe))
    if claim.partial and claim.cell is None:
        yield "partial", "partial = true needs the cell that printed is a part of"
    yield from _cell_problems(claim, tables, rows) if claim.cell is not None else ()
    header = _header(claim.cell, tables, headers) if claim.cell else ""
    if claim.value is not None and (
            wrong := numerals.contradiction(claim.printed, claim.value, claim.scale, header, claim.kind)
            or printed_style.digits_problem(claim.printed, digits, header, claim.kind, claim.scale)):
        yield wrong
    for key in (key for key in given if key != "value"):
        yield from filter(None, [numerals.bound_contradiction(claim.printed, key, getattr(claim, key), claim.scale,
                                                              header, claim.kind)])


def _header(cell: tuple[str, str, str], tables: dict[str, Table], headers: Headers) -> str:
    """The header a cell's column gives its unit, as the draft reads it: the column as the cell names it, or where its
    table's first row is a second header row, that column's two headers joined ("Complexity Params (M)" for
    "Complexity"), or where it is a row of units, its header with its unit ("Params (M)" over "(M)")."""
    table_id, _, column = cell
    table, joined = tables.get(table_id), headers.get(table_id)
    index = column_index(table.columns, table.rows, column) if table is not None and joined else None
    return joined[index] if joined and index is not None else column


def _reading_problems(claim: Any, recipe: Recipe | list[tuple[str, str]] | None) -> Iterator[tuple[str, str]]:
    """A training claim reads a split the run evaluates, with a statistic that split can give: checked here, not
    after hours of training."""
    split, statistic = getattr(claim, "split", None), getattr(claim, "statistic", None)
    for key, needs in (("split", split == "val"), ("statistic", statistic == "min_val_loss")):
        if needs and isinstance(recipe, Recipe) and recipe.validation == "none":
            yield key, f"{getattr(claim, key)!r} needs a recipe that validates (validation = 'holdout' or 'test')"
    if statistic == "cumulative_mean" and split == "train_running":
        yield "statistic", "'cumulative_mean' reads per-epoch evaluations (split 'val' or 'test'), not 'train_running'"
    reader = "split 'train' (evaluated once, after training)" if split == "train" else f"kind {claim.kind!r}"
    allowed = vocab.READINGS.get("train" if split == "train" else claim.kind)
    if statistic is not None and allowed and statistic not in allowed:
        yield "statistic", f"must be one of {', '.join(allowed)} for {reader}, got {statistic!r}"


def _channel_problems(claim: Any, recipe: Recipe | list[tuple[str, str]] | None) -> Iterator[tuple[str, str]]:
    """A recipe's ``mean_std`` gives one value for each channel of the claim's dataset, or one for all of them (as
    torchvision's ``Normalize`` broadcasts it): checked here, not when training starts."""
    channels = vocab.CHANNELS.get(getattr(claim, "dataset", None))
    if channels is None or not isinstance(recipe, Recipe) or recipe.mean is None or len(recipe.mean) in (1, channels):
        return
    yield "recipe", (f"recipe {claim.recipe!r} normalises by {len(recipe.mean)} mean(s) and std(s), but "
                     f"{claim.dataset} has {channels} channel(s): give {channels}, or one for all")


def _cell_problems(claim: Any, tables: dict[str, Table], rows: Rows) -> Iterator[tuple[str, str]]:
    """A cell is [table id, row label, column]; ``printed`` is its text, or a part of it when ``partial``. The column
    is its header, or under a merged header its header joined with a second header row's cell (``column_names``)."""
    table_id, label, column = claim.cell
    table, labelled = tables.get(table_id), rows.get((table_id, label), [])
    index = column_index(table.columns, table.rows, column) if table is not None else None
    text = labelled[0][index] if index is not None and len(labelled) == 1 else None
    if table is None:
        yield "cell", f"no table {table_id!r} in this file (tables: {', '.join(tables) or 'none'})"
    elif table.columns.count(column) > 1:
        yield "cell", f"table {table_id!r} has more than one column {column!r}{TEXT_CLAIM}"
    elif index is None:
        yield "cell", f"table {table_id!r} has no column {column!r}{_closest(column, table.columns)}"
    elif text is None:
        labels = [row[0] for row in table.rows if row]
        found, hint = (("more than one row", TEXT_CLAIM) if labels.count(label) > 1
                       else ("no row", _closest(label, labels)))
        yield "cell", f"table {table_id!r} has {found} labelled {label!r}{hint}"
    elif claim.partial and claim.printed not in text:
        yield "printed", f"{claim.printed!r} is not in the table cell {text!r}"
    elif not claim.partial and claim.printed != text:
        yield "printed", f"{claim.printed!r} differs from the table cell {text!r}"


def _table_problems(table: Any) -> Iterator[tuple[str, str]]:
    """Each row of a table has a cell per column, and ``by_column`` names its columns as a claim's cell does
    (``column_index``), each once."""
    for row in table.rows:
        if len(row) != len(table.columns):
            yield "rows", f"row {list(row[:1])} has {len(row)} cells, the table {len(table.columns)} columns"
    named: dict[int, str] = {}
    for column in table.by_column:
        index, field = column_index(table.columns, table.rows, column), _dotted(("by_column", column))
        if table.columns.count(column) > 1:
            yield field, (f"the table has more than one column {column!r}, so it names none (a column under a merged "
                          "header is named by its header joined with the second header row's cell below it)")
        elif index is None:
            yield field, f"no column {column!r} in this table"
        elif index in named:
            yield field, f"names the column {named[index]!r} names: give its keys under one name"
        else:
            named[index] = column


# ----------------------------------------------------------------------------- loading


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and TOML, as a format-2 ledger; else a one-problem ``LedgerError`` (a syntax error's at its
    line)."""
    if path.exists() and not path.is_file() and not path.is_dir():  # a FIFO or device: reading may block for ever
        raise LedgerError([f"{path.name}: (file): (read): not a regular file"])
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark read away, as a report's is
        doc = tomllib.loads(text)
    except tuple(READ_ERRORS) as error:
        field, what = next(words for kind, words in READ_ERRORS.items() if isinstance(error, kind))
        place = ledger_lines.at(path.name, ledger_lines.syntax_line(error))
        raise LedgerError([f"{place}: (file): {field}: {what}: {str(error).splitlines()[0]}"]) from None
    if not doc:
        raise LedgerError([f"{path.name}: (file): (read): the file is empty (no TOML key in it): draft a ledger "
                           "into it with `claimbench draft REPORT.md -o FILE`, or delete it"])
    if "format" not in doc:
        raise LedgerError([f"{path.name}: (file): format: {MIGRATE}"])
    return text, doc


def _rejected(path: Path, text: str, problems: Iterable[Problem]) -> LedgerError:
    """The file's problems, each at the line its field, else its subject, is written on (``ledger_lines``); one of
    a claim whose id is written twice that cannot tell which it is of names the other's line too; a duplicate id is
    said at each copy after the first."""
    lines, said = ledger_lines.Lines(text), []
    for subject, field, what in dict.fromkeys(problems):
        found = lines.lines(subject, field, what) or [None]
        for first, *others in [[line] for line in found] if field == "id" else [found]:
            also = f" (or line {', '.join(map(str, others))}: the id is written more than once)" if others else ""
            said.append(f"{ledger_lines.at(path.name, first)}: {subject}: {field}: {what}{also}")
    return LedgerError(said)


def _duplicates(doc: dict[str, Any], slug: str) -> list[Problem]:
    """A claim id written more than once (said at each copy after the first, ``ledger_lines``), beside the claims'
    other problems."""
    claims = doc["claim"] if isinstance(doc.get("claim"), list) else []
    ids = [c["id"] for c in claims if isinstance(c, dict) and isinstance(c.get("id"), str)]
    return [(f"{slug}/{i}", "id", "duplicate id") for i in dict.fromkeys(ids)
            if re.match(schema.ID_PATTERN, i) and ids.count(i) > 1]


def _load_report(path: Path) -> Report:
    """One file's report; ``LedgerError`` lists its problems."""
    slug, (text, doc) = path.stem, _read(path)
    ids = [t["id"] for t in doc["table"] if isinstance(t, dict) and isinstance(t.get("id"), str)] if isinstance(
        doc.get("table"), list) else []
    if twice := sorted({i for i in ids if ids.count(i) > 1}):  # before _share hands out one table's keys for both
        raise _rejected(path, text, [(f"table {i}", "id", "duplicate table id") for i in twice])
    todos = {_where(doc, slug, loc): f"TODO left by claimbench draft: {what}" for loc, what in _todos(doc)}
    _share(doc)
    problems: list[Problem] = [(*where, what) for where, what in todos.items()]
    try:
        ledger = schema.LedgerFile.model_validate(doc)
    except ValidationError as error:
        problems += [p for p in _schema_problems(doc, slug, error)  # not what a TODO there already says
                     if not any(p[0] == s and (f == p[1] or f.startswith(f"{p[1]}.")) for s, f in todos)]
        problems += _lacking(doc.get("recipe")) + _duplicates(doc, slug)
        raise _rejected(path, text, problems) from None
    recipes = {name: _recipe(doc["recipe"], name) for name in ledger.recipe}
    problems += [(f"recipe.{name}", *p) for name, found in recipes.items() if isinstance(found, list) for p in found]
    tables: dict[str, Table] = {}
    headers: Headers = {}
    for model in ledger.table:
        problems += [(f"table {model.id}", *p) for p in _table_problems(model)]
        tables[model.id] = Table(model.id, model.title, model.columns, model.rows)
        if joined := read_headers(list(model.columns), [list(row) for row in model.rows[:1]]):
            headers[model.id] = joined
    rows: Rows = {}
    for table in tables.values():
        for row in (row for row in table.rows if row and len(row) == len(table.columns)):
            rows.setdefault((table.id, row[0]), []).append(row)
    claims: dict[str, Claim] = {}
    for raw, model in zip(doc.get("claim", []), ledger.claim):
        cid = f"{slug}/{model.id}"
        problems += [(cid, *p) for p in _claim_problems(model, recipes, tables, rows, headers)]
        claims[cid] = _claim(slug, path.name, raw, model, recipes, tables)
    problems += _duplicates(doc, slug)
    if problems:
        raise _rejected(path, text, problems)
    meta = ledger.report
    return Report(slug, meta.title, meta.source, meta.origin, tuple(tables.values()), tuple(claims.values()),
                  meta.modules)


def _claim(slug: str, file: str, raw: dict[str, Any], model: Any, recipes: dict[str, Any], tables: dict[str, Table]
           ) -> Claim:
    """A claim's record; its numbers as the file writes them (``1`` stays an integer), its cell's column by index."""
    value, above, below, between, correct = (tuple(v) if isinstance(v := raw.get(key), list) else v
                                             for key in (*BOUNDS, "correct"))
    interval = between or ((above, below) if above is not None or below is not None else None)
    fields = {key: v for key, v in model if key not in (*BOUNDS, "id", "recipe", "correct")}
    table = tables.get(model.cell[0]) if model.cell else None
    column = column_index(table.columns, table.rows, model.cell[2]) if table is not None else None
    return Claim(**fields, id=f"{slug}/{model.id}", report=slug, file=file, value=value, interval=interval,
                 correct=correct, recipe=recipes.get(getattr(model, "recipe", None)), column=column)


def load_reports(path: Path | str) -> list[Report]:
    """Read every ledger file of ``path`` (``files``); raise ``LedgerError`` listing all problems."""
    reports, problems = [], []
    for file in files(Path(path)):
        try:
            reports.append(_load_report(file))
        except LedgerError as error:
            problems += error.problems
    if problems:
        raise LedgerError(problems)
    return reports


def load(path: Path | str) -> list[Claim]:
    """All claims under ``path``, sorted by id."""
    return sorted((claim for report in load_reports(path) for claim in report.claims), key=lambda c: c.id)
