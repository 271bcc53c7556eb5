"""Mutated real ledgers either load, and then judge their own numbers as reproduced, or raise one clear LedgerError.

A third of the mutations re-value one claimed number (printing it anew in the claim and its table) and a fifth
make a small edit that a ledger's author would (a note, a tolerance, a recipe's epochs); both should load. The rest
delete, duplicate or replace any key at any depth.
"""

import math
import re
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from claimbench import ledger, verdict

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
REAL = {path.name: tomllib.loads(path.read_text(encoding="utf-8")) for path in sorted(REFERENCE.glob("*.toml"))}
DIGITS = {claim.id: claim.tolerance.digits for claim in ledger.load(REFERENCE)}
BOUND_WORDS = {"above": "over", "below": "below"}
FIRST_LINE = re.compile(r"^[a-z0-9_]+\.toml(?::[1-9]\d*)?: "
                        r"(\S+/\S+|\(file\)|\(report\)|recipe\.\S+|table \S+|\(\w+ #\d+\)): "
                        r'(?:[\w.()-]|"(?:[^"\\]|\\.)*")+: \S')
ODD_VALUES = st.sampled_from([0, -1, -0.5, math.nan, math.inf, -math.inf, 1e308, 10**30, "text", "TODO", [], [1, 2],
                              {}, {"x": 1}, True, False, 1.5, 2])
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)
EDITS = {"note": TEXT, "why": TEXT, "epochs": st.integers(1, 500), "batch_size": st.integers(1, 1024),
         "lr": st.floats(1e-6, 1.0), "momentum": st.floats(0, 0.99), "weight_decay": st.floats(0, 0.1),
         "patience": st.integers(0, 50), "abs": st.floats(0, 100), "rel": st.floats(0, 1, exclude_max=True),
         "runs": st.integers(1, 20)}
"""Keys an author edits, and values they may take (not ``scale``: the printed unit fixes it, and the ledger refuses
another, as "wild" mutations find)."""


def toml_value(value: Any) -> str:
    """A value as TOML text (inline tables, arrays, nan and inf included)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + "}"


def toml_text(doc: dict[str, Any]) -> str:
    """The whole document, one ``key = value`` line per top-level key."""
    return "".join(f'"{key}" = {toml_value(value)}\n' for key, value in doc.items())


def paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Every key path into the document, at any depth."""
    found = [path] if path else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found += paths(value, (*path, key))
    return found


def number(draw: st.DrawFn, digits: int | None) -> float | int:
    """A claimed number with no more decimals than the claim's tolerance allows."""
    places = draw(st.integers(0, 6 if digits is None else digits))
    return round(draw(st.integers(-10**7, 10**7)) / 10**places, places) if places else draw(st.integers(-10**7, 10**7))


def revalue(draw: st.DrawFn, name: str, doc: dict[str, Any]) -> None:
    """Give one claim a new number of the same form: a shape, a value, a bound or an ordered pair. A new value is
    printed anew too, as when a report is corrected: its ``printed`` text and its table cell, in the decimals of its
    ``tolerance.digits``, which the loader holds to what ``printed`` shows; a new bound in the words of a bound."""
    claim = draw(st.sampled_from([claim for claim in doc["claim"] if not labels_its_row(doc, claim)]))
    digits = DIGITS.get(f"{Path(name).stem}/{claim['id']}")
    key = next(key for key in ledger.BOUNDS if key in claim)
    if isinstance(claim[key], list) and key == "value":
        claim[key] = draw(st.lists(st.integers(1, 4096), min_size=1, max_size=4))
        reprint(doc, claim, "(" + ", ".join(map(str, claim[key])) + ")")
    elif key == "between":
        claim[key] = sorted(draw(st.lists(st.integers(-1000, 1000), min_size=2, max_size=2, unique=True)))
        reprint(doc, claim, "between {} and {}".format(*claim[key]))
    else:  # a whole number stays one: a count at scale 1 with a fraction is refused ("11.7" parameters)
        claim[key] = number(draw, 0 if isinstance(claim[key], int) else digits)
        shown = f"{claim[key]:,}" if digits is None else f"{claim[key]:,.{digits}f}"
        reprint(doc, claim, shown if key == "value" else f"{BOUND_WORDS[key]} {shown}")


def labels_its_row(doc: dict[str, Any], claim: dict[str, Any]) -> bool:
    """The claim's number is in its row's label ("2 Conv Layers 113K parameters"), which names the row."""
    if "cell" not in claim:
        return False
    table = next(table for table in doc["table"] if table["id"] == claim["cell"][0])
    return table["columns"].index(claim["cell"][2]) == 0


def reprint(doc: dict[str, Any], claim: dict[str, Any], text: str) -> None:
    """Print ``text`` where the claim's number stood: its ``printed`` and its table cell."""
    old, claim["printed"] = claim["printed"], text
    if "cell" in claim:
        table_id, label, column = claim["cell"]
        table = next(table for table in doc["table"] if table["id"] == table_id)
        row, index = next(row for row in table["rows"] if row[0] == label), table["columns"].index(column)
        row[index] = row[index].replace(old, text) if claim.get("partial") else text


def edit(draw: st.DrawFn, doc: dict[str, Any]) -> None:
    """Change one key an author edits to another value it may take."""
    path = draw(st.sampled_from([path for path in paths(doc) if path[-1] in EDITS]))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = draw(EDITS[path[-1]])


def wild(draw: st.DrawFn, doc: dict[str, Any]) -> None:
    """Delete, duplicate, replace or scale any key at any depth."""
    path = draw(st.sampled_from(paths(doc)))
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    key, how = path[-1], draw(st.sampled_from(["delete", "duplicate", "odd", "scale"]))
    if how == "delete":
        del parent[key]
    elif how == "duplicate" and isinstance(parent, list):
        parent.append(parent[key])
    elif how == "duplicate":
        parent[f"{key}_copy"] = parent[key]
    elif how == "scale" and isinstance(parent[key], int | float) and not isinstance(parent[key], bool):
        parent[key] = parent[key] * draw(st.sampled_from([0, -1, 10, 1e300, 0.5]))
    else:
        parent[key] = draw(ODD_VALUES)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any], str]:
    name = draw(st.sampled_from(sorted(REAL)))
    doc = tomllib.loads(toml_text(REAL[name]))
    how = draw(st.sampled_from(["revalue"] * 7 + ["edit"] * 4 + ["wild"] * 9))
    event(how)
    for _ in range(draw(st.integers(1, 3)) if how == "wild" else 1):
        revalue(draw, name, doc) if how == "revalue" else edit(draw, doc) if how == "edit" else wild(draw, doc)
    return name, doc, how


def judged_reproduced(claim: ledger.Claim) -> None:
    """A loaded claim is sane: finite numbers, a sound recipe, and a measurement of its own number reproduces it (or,
    of a documented error, says the ledger is out of date)."""
    assert math.isfinite(claim.scale) and all(map(math.isfinite, (claim.tolerance.abs, claim.tolerance.rel)))
    if claim.recipe is not None:
        recipe = claim.recipe
        assert recipe.batch_size >= 1 and recipe.epochs >= 1 and 0 < recipe.lr < math.inf and 0 <= recipe.momentum < 1
        assert (recipe.schedule == "plateau") == (recipe.plateau is not None)
        assert recipe.validation != "holdout" or recipe.val_size >= 1
        assert all(map(math.isfinite, (recipe.lr, recipe.weight_decay, recipe.eps, *(recipe.mean or ()))))
    if claim.status is not None:
        return
    low, high = claim.interval or (claim.value, claim.value)
    point = claim.value if isinstance(claim.value, tuple) else (
        (low + high) / 2 if low is not None and high is not None else low + 1 if low is not None else high - 1)
    measured = point if isinstance(point, tuple) else point * claim.scale
    judgement = verdict.judge(claim, verdict.Observation(verdict.Measurement(measured)))
    if claim.expect == "refuted":  # a documented error that did not occur: the ledger is out of date
        assert judgement.verdict == "error" and "the ledger is out of date" in judgement.reason, (claim, judgement)
    else:
        assert judgement.verdict == "reproduced", (claim, judgement)


@settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_ledger_loads_sanely_or_fails_in_one_clear_line(tmp_path_factory, case) -> None:
    name, doc, how = case
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_text(toml_text(doc), encoding="utf-8")
    try:
        claims = ledger.load(path)
    except ledger.LedgerError as error:
        event("rejected")
        assert how == "wild", f"an author's {how} was refused: {error}"
        assert FIRST_LINE.match(str(error).splitlines()[0]), str(error).splitlines()[0]
        return
    event("loaded")
    for claim in claims:
        judged_reproduced(claim)
