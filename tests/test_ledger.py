"""The ledger rejects bad input with one clear line naming file, claim id and field."""

from pathlib import Path

import pytest

import models
from claimbench import ledger

pytest_plugins = ["pytester"]

HEADER = '[report]\ntitle = "Tiny"\nseed = "000_tiny.txt"\norigin = "someone/tiny @ abc123"\n\n'
GOOD_CLAIM = """
[[claim]]
id = "params/baseline"
kind = "params"
model = "dl_cifar10_pytorch.baseline"
count = "trainable"
value = 62
printed = "62"
source = "tiny.txt, table 1, row Baseline"
tolerance = { abs = 0 }
"""

# (what is wrong, the file's text after the header, the text the one-line error must hold)
BAD_INPUTS = {
    "toml_syntax": (GOOD_CLAIM.replace('kind = "params"', 'kind = "params'),
                    "tiny.toml: (file): (syntax): TOML syntax error"),
    "missing_field": (GOOD_CLAIM.replace('printed = "62"\n', ""),
                      "tiny.toml: tiny/params/baseline: printed: missing required field"),
    "unknown_kind": (GOOD_CLAIM.replace('kind = "params"', 'kind = "parms"'),
                     "tiny.toml: tiny/params/baseline: kind: unknown kind 'parms' (did you mean params?)"),
    "unknown_model": (GOOD_CLAIM.replace("dl_cifar10_pytorch.baseline", "dl_cifar10_pytorch.basline"),
                      "tiny.toml: tiny/params/baseline: model: unknown model 'dl_cifar10_pytorch.basline' "
                      "(closest: dl_cifar10_pytorch.baseline"),
    "duplicate_id": (GOOD_CLAIM + GOOD_CLAIM, "tiny.toml: tiny/params/baseline: id: duplicate id"),
    "non_numeric_value": (GOOD_CLAIM.replace("value = 62", 'value = "62"'),
                          "tiny.toml: tiny/params/baseline: value: must be a number, got '62'"),
}


def write_ledger(directory: Path, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "tiny.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    return directory


def test_a_good_file_loads_into_frozen_claims(tmp_path: Path) -> None:
    claims = ledger.load(write_ledger(tmp_path, GOOD_CLAIM), model_names=models.names())
    assert [c.id for c in claims] == ["tiny/params/baseline"]
    assert claims[0].tolerance == ledger.Tolerance(abs=0.0)
    with pytest.raises(AttributeError):
        claims[0].value = 1  # type: ignore[misc]


@pytest.mark.parametrize("problem", BAD_INPUTS)
def test_bad_input_is_one_line_naming_file_claim_and_field(tmp_path: Path, problem: str) -> None:
    body, expected = BAD_INPUTS[problem]
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, body), model_names=models.names())
    assert str(error.value).splitlines()[0].startswith(expected)


@pytest.mark.parametrize("problem", BAD_INPUTS)
def test_pytest_rejects_bad_input_at_collection(pytester: pytest.Pytester, problem: str) -> None:
    body, expected = BAD_INPUTS[problem]
    directory = write_ledger(pytester.path / "ledger", body)
    pytester.makepyfile(test_claims="""
        import pytest

        @pytest.mark.claims("params")
        def test_params(claim, check_claim):
            check_claim(0)
    """)
    result = pytester.runpytest("--claims-dir", str(directory))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert f"ERROR: claims ledger rejected: {expected}" in result.stderr.str()
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


def test_every_problem_in_a_file_is_listed(tmp_path: Path) -> None:
    body = GOOD_CLAIM.replace('value = 62', 'value = "62"').replace('kind = "params"\n', 'kind = "params"\nfoo = 1\n')
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, body))
    assert error.value.problems == [
        "tiny.toml: tiny/params/baseline: foo: unknown key for kind 'params' (permitted: "
        + ", ".join(sorted({*ledger._COMMON_REQUIRED, *ledger._COMMON_OPTIONAL, "count"})) + ")",
        "tiny.toml: tiny/params/baseline: value: must be a number, got '62'",
    ]


def test_printed_must_match_the_table_cell(tmp_path: Path) -> None:
    table = '[[table]]\nid = "t"\ntitle = "T"\ncolumns = ["Model", "Params"]\nrows = [["Baseline", "63"]]\n'
    body = table + GOOD_CLAIM.replace('tolerance', 'cell = ["t", "Baseline", "Params"]\ntolerance')
    with pytest.raises(ledger.LedgerError, match=r"printed: '62' differs from the table cell '63'"):
        ledger.load(write_ledger(tmp_path, body))


def test_an_expected_error_needs_a_reason(tmp_path: Path) -> None:
    with pytest.raises(ledger.LedgerError, match="why: a claim with expect or status must say why"):
        ledger.load(write_ledger(tmp_path, GOOD_CLAIM.replace("tolerance", 'expect = "refuted"\ntolerance')))


def test_ids_use_a_pytest_friendly_alphabet(tmp_path: Path) -> None:
    with pytest.raises(ledger.LedgerError, match="id: missing or invalid"):
        ledger.load(write_ledger(tmp_path, GOOD_CLAIM.replace("params/baseline", "Params Baseline")))


def test_the_project_ledger_loads() -> None:
    claims = ledger.load(model_names=models.names())
    assert {c.report for c in claims} == {
        "core_collapse", "cifar_infinity", "iot_ml_hw2", "dl_cifar10_pytorch", "deeper_networks"}


ACCURACY_CLAIM = """
[[claim]]
id = "accuracy/baseline/test"
kind = "accuracy"
model = "dl_cifar10_pytorch.baseline"
dataset = "cifar10"
split = "test"
statistic = "final"
value = 64.81
printed = "64.81%"
source = "tiny.txt, chart"
tolerance = { abs = 3 }
[claim.recipe]
optimizer = "sgd"
lr = 1e-3
batch_size = 24
epochs = 21
schedule = "constant"
validation = "none"
normalize = "per_image"
steps_per_epoch = 1666
batch_norm = "per_image"
"""


def test_recipe_sampling_and_batch_norm_are_read_and_checked(tmp_path: Path) -> None:
    (claim,) = ledger.load(write_ledger(tmp_path / "good", ACCURACY_CLAIM))
    assert (claim.recipe.steps_per_epoch, claim.recipe.batch_norm) == (1666, "per_image")
    assert claim.recipe.images_per_epoch(50_000) == 1666 * 24
    assert ledger.Recipe(**{**vars(claim.recipe), "steps_per_epoch": 0}).images_per_epoch(50_000) == 50_000
    body = ACCURACY_CLAIM.replace("steps_per_epoch = 1666", "steps_per_epoch = -1").replace(
        'batch_norm = "per_image"', 'batch_norm = "instance"')
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path / "bad", body))
    assert error.value.problems == [
        "tiny.toml: tiny/accuracy/baseline/test: recipe.batch_norm: must be one of batch, per_image, got 'instance'",
        "tiny.toml: tiny/accuracy/baseline/test: recipe.steps_per_epoch: must be a non-negative integer, got -1",
    ]


def test_augment_options_are_read_and_checked(tmp_path: Path) -> None:
    options = 'augment = ["flip", "rotate"]\n[claim.recipe.augment_options]\n'
    good = ACCURACY_CLAIM + options + "rotate = { degrees = 30, fill = 255, expand = true }\n"
    (claim,) = ledger.load(write_ledger(tmp_path / "good", good))
    assert claim.recipe.options() == {"rotate": {"degrees": 30, "expand": True, "fill": 255}}
    bad = ACCURACY_CLAIM + options + (
        'rotate = { angle = 30, expand = "yes", degrees = "30" }\nperspective = { p = 0.2 }\nflip = { p = 0.5 }\n')
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path / "bad", bad))
    field = "tiny.toml: tiny/accuracy/baseline/test: recipe.augment_options"
    assert error.value.problems == [
        f"{field}.rotate.angle: unknown option (permitted: degrees, fill, expand)",
        f"{field}.rotate.expand: must be true or false, got 'yes'",
        f"{field}.rotate.degrees: must be a number, got '30'",
        f"{field}.perspective: options for an augmentation the recipe does not apply",
        f"{field}.flip: takes no options (options exist for rotate, perspective, color_jitter, randaugment)",
    ]


def test_randaugment_rounds_are_a_positive_integer(tmp_path: Path) -> None:
    body = ACCURACY_CLAIM + 'augment = ["randaugment"]\n[claim.recipe.augment_options]\nrandaugment = { ops = 1.5 }\n'
    with pytest.raises(ledger.LedgerError, match=r"recipe.augment_options.randaugment.ops: must be a positive "
                                                 r"integer, got 1.5"):
        ledger.load(write_ledger(tmp_path, body))
