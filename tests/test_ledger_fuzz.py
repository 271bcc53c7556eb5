"""Mutated real ledgers either load, and then judge an exact match as reproduced, or raise one clear LedgerError."""

import math
import re
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from claimbench import ledger, registry, verdict
from claimbench.schema import RecipeTable

REAL = {path.name: tomllib.loads(path.read_text(encoding="utf-8")) for path in sorted(ledger.DEFAULT_DIR.glob("*.toml"))}
FIRST_LINE = re.compile(r"^[a-z0-9_]+\.toml: (\S+/\S+|\(file\)|\(report\)|recipe\.\S+|table \S+|\(\w+ #\d+\)): "
                        r"[^:\s]+: \S")
NAMES = registry.list_models()
ODD_VALUES = st.sampled_from([0, -1, -0.5, math.nan, math.inf, -math.inf, 1e308, 10**30, "text", "TODO", [], [1, 2],
                              {}, {"x": 1}, True, False, 1.5, 2])


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


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(REAL)))
    doc = tomllib.loads(toml_text(REAL[name]))
    for _ in range(draw(st.integers(1, 3))):
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
    return name, doc


def judged_exactly(claim: ledger.Claim) -> None:
    """A loaded claim is sane: finite numbers, a sound recipe, and its own value judged as reproduced."""
    assert math.isfinite(claim.scale) and all(map(math.isfinite, (claim.tolerance.abs, claim.tolerance.rel)))
    if claim.recipe is not None:
        recipe = claim.recipe
        assert recipe.batch_size >= 1 and recipe.epochs >= 1 and 0 < recipe.lr < math.inf and 0 <= recipe.momentum < 1
        assert (recipe.schedule == "plateau") == (recipe.plateau is not None)
        assert recipe.validation != "holdout" or recipe.val_size >= 1
        RecipeTable.model_validate({k: v for k, v in vars(recipe).items() if k in ("lr", "weight_decay", "eps")})
    if claim.interval is None:
        measured = claim.value if isinstance(claim.value, tuple) else claim.value * claim.scale
        judged = verdict.judge(claim, verdict.Observation(verdict.Measurement(measured)))
        assert judged.verdict in ("reproduced", "unverifiable"), (claim, judged)


@settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_ledger_loads_sanely_or_fails_in_one_clear_line(tmp_path_factory, case) -> None:
    name, doc = case
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_text(toml_text(doc), encoding="utf-8")
    try:
        claims = ledger.load(path, model_names=NAMES)
    except ledger.LedgerError as error:
        event("rejected")
        assert FIRST_LINE.match(str(error).splitlines()[0]), str(error).splitlines()[0]
        return
    event("loaded")
    for claim in claims:
        judged_exactly(claim)
