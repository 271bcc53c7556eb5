"""The ledger rejects bad input with one clear line naming file, claim id and field."""

import json
import os
import re
import textwrap
import threading
import tomllib
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from claimbench import atomic, ledger, registry, schema, vocab
from claimbench.verdict import Measurement, Observation, judge

pytest_plugins = ["pytester"]

REFERENCE = Path(__file__).resolve().parent.parent / "reference"

HEADER = 'format = 2\n[report]\ntitle = "Tiny"\nsource = "000_tiny.txt"\norigin = "someone/tiny @ abc123"\n\n'
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
                    "tiny.toml:10: (file): (syntax): TOML syntax error"),
    "missing_field": (GOOD_CLAIM.replace('printed = "62"\n', ""),
                      "tiny.toml:9: tiny/params/baseline: printed: missing required field"),
    "unknown_kind": (GOOD_CLAIM.replace('kind = "params"', 'kind = "parms"'),
                     "tiny.toml:10: tiny/params/baseline: kind: unknown kind 'parms' (did you mean params?)"),
    "duplicate_id": (GOOD_CLAIM + GOOD_CLAIM, "tiny.toml:19: tiny/params/baseline: id: duplicate id"),
    "non_numeric_value": (GOOD_CLAIM.replace("value = 62", 'value = "62"'),
                          "tiny.toml:13: tiny/params/baseline: value: must be a valid number, got '62'"),
    "rel_not_a_fraction": (GOOD_CLAIM.replace("abs = 0", "rel = 5"),
                           "tiny.toml:16: tiny/params/baseline: tolerance.rel: must be less than 1: a fraction, 0.05 "
                           "for 5%, got 5"),
    "nan_tolerance": (GOOD_CLAIM.replace("abs = 0", "abs = nan"),
                      "tiny.toml:16: tiny/params/baseline: tolerance.abs: must be a finite number, got nan"),
    "value_not_printed": (GOOD_CLAIM.replace("value = 62", "value = 26"),
                          "tiny.toml:13: tiny/params/baseline: value: 26 is not the number that printed shows ('62'), "
                          "in its printed unit"),
    "scale_not_given": (GOOD_CLAIM.replace('printed = "62"', 'printed = "62K"'),
                        "tiny.toml:9: tiny/params/baseline: scale: printed '62K' counts in units of 1000: give "
                        "scale = 1000"),
    "scale_of_another_unit": (GOOD_CLAIM.replace('printed = "62"', 'printed = "62K"\nscale = 1e6'),
                              "tiny.toml:15: tiny/params/baseline: scale: printed '62K' counts in units of 1000: give "
                              "scale = 1000, not 1e+06"),
    "mistyped_key": (GOOD_CLAIM.replace("printed =", "prnted ="),
                     "tiny.toml:14: tiny/params/baseline: prnted: unknown key (did you mean 'printed'?) for kind "
                     "'params'"),
    "mistyped_tolerance": (GOOD_CLAIM.replace("abs = 0", "digit = 2"),
                           "tiny.toml:16: tiny/params/baseline: tolerance.digit: unknown key (did you mean 'digits'?)"),
    "more_decimals_than_digits": (GOOD_CLAIM.replace("value = 62", "value = 93.195").replace(
        'printed = "62"', 'printed = "93.195"').replace("abs = 0", "digits = 2"),
        "tiny.toml:13: tiny/params/baseline: value: has more decimals than tolerance.digits = 2"),
    "digits_not_printed": (GOOD_CLAIM.replace("value = 62", "value = 11.7").replace(
        'printed = "62"', 'printed = "11.7M"\nscale = 1e6').replace("abs = 0", "digits = 3"),
        "tiny.toml:17: tiny/params/baseline: tolerance.digits: printed '11.7M' shows 1 decimal, not 3: the band comes "
        "from the printed precision; give digits = 1 (abs or rel widen it)"),
    "bound_not_printed": (GOOD_CLAIM.replace("value = 62", "below = 10_000").replace('printed = "62"',
                                                                                     'printed = "<100K"'),
                          "tiny.toml:13: tiny/params/baseline: below: 10000 is not where printed '<100K' bounds it, in "
                          "the claim's unit"),
    "value_for_a_bound": (GOOD_CLAIM.replace('printed = "62"', 'printed = "over 60"'),
                          "tiny.toml:13: tiny/params/baseline: value: printed 'over 60' shows a lower bound: give "
                          "above (or between, from it), not a value"),
    "todo": (GOOD_CLAIM.replace('count = "trainable"', 'count = "TODO: the count convention"'),
             "tiny.toml:12: tiny/params/baseline: count: TODO left by claimbench draft: the count convention"),
    "private_without_recipe": (GOOD_CLAIM.replace('kind = "params"', 'kind = "accuracy"').replace(
        'count = "trainable"', 'dataset = "private"\nsplit = "test"\nstatistic = "final"'),
        'tiny.toml:9: tiny/params/baseline: recipe: missing required field: for data claimbench does not load, give '
        'status = "unverifiable" and a why that names the dataset (or a recipe)'),
}
AT_COLLECTION = {**BAD_INPUTS, "unknown_model": (
    GOOD_CLAIM.replace("dl_cifar10_pytorch.baseline", "dl_cifar10_pytorch.basline"),
    "tiny.toml:11: tiny/params/baseline: model: unknown model 'dl_cifar10_pytorch.basline' "
    "(closest: dl_cifar10_pytorch.baseline")}
"""What collection rejects: the ledger's problems, and model references the registry cannot resolve."""


def write_ledger(directory: Path, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "tiny.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    return directory


def test_a_good_file_loads_into_frozen_claims(tmp_path: Path) -> None:
    claims = ledger.load(write_ledger(tmp_path, GOOD_CLAIM))
    assert [c.id for c in claims] == ["tiny/params/baseline"]
    assert claims[0].tolerance == ledger.Tolerance(abs=0.0)
    with pytest.raises(AttributeError):
        claims[0].value = 1  # type: ignore[misc]


@pytest.mark.parametrize("problem", BAD_INPUTS)
def test_bad_input_is_one_line_naming_file_claim_and_field(tmp_path: Path, problem: str) -> None:
    body, expected = BAD_INPUTS[problem]
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, body))
    assert str(error.value).splitlines()[0].startswith(expected)


def test_a_folder_named_like_a_ledger_file_is_refused(tmp_path: Path) -> None:
    """``load("claims/x.toml")`` where x.toml is a folder gave no claim and no word: a typo'd path, or a folder a
    tool made where the file should be."""
    (tmp_path / "x.toml").mkdir()
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(tmp_path / "x.toml")
    assert str(error.value) == (f"{tmp_path / 'x.toml'}: (file): (path): a folder, though its name ends in .toml: "
                                "name a ledger file, or a folder of them whose name does not end in .toml")


@pytest.mark.parametrize("name", ["devnull", "fifo", "folder"])
def test_a_path_that_is_no_regular_file_or_folder_is_refused_unread(tmp_path: Path, name: str) -> None:
    """/dev/null is no v1 ledger; a FIFO, given or behind a ``*.toml`` link in the folder, would block if read."""
    fifo, folder = tmp_path / "fifo", tmp_path / "ledger"
    os.mkfifo(fifo)
    folder.mkdir()
    (folder / "tiny.toml").symlink_to(fifo)
    path, expected = {"devnull": (Path(os.devnull), f"{os.devnull}: (file): (path): not a regular file or a folder"),
                      "fifo": (fifo, f"{fifo}: (file): (path): not a regular file or a folder"),
                      "folder": (folder, "tiny.toml: (file): (read): not a regular file")}[name]
    said: list[str] = []

    def load() -> None:
        try:
            ledger.load(path)
        except ledger.LedgerError as error:
            said.append(str(error))

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # let the stuck reader finish: open the FIFO's other end, and close it
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert said == [expected]


def test_a_todo_inside_a_list_is_its_one_problem(tmp_path: Path) -> None:
    """``between = [60, "TODO: ..."]``, as the draft writes "a little over 60%": the TODO, not a type error too."""
    body = GOOD_CLAIM.replace("value = 62", 'between = [60, "TODO: how far it reaches"]')
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, body))
    assert str(error.value) == ("tiny.toml:13: tiny/params/baseline: between.1: TODO left by claimbench draft: how far "
                                "it reaches")


@pytest.mark.parametrize("problem", AT_COLLECTION)
def test_pytest_rejects_bad_input_at_collection(pytester: pytest.Pytester, problem: str) -> None:
    body, expected = AT_COLLECTION[problem]
    directory = write_ledger(pytester.path / "ledger", body)
    pytester.makepyfile(test_claims="""
        import pytest

        @pytest.mark.claims("params")
        def test_params(claim, check_claim):
            check_claim(0)
    """)
    result = pytester.runpytest("--claims-dir", str(directory))
    # the ledger's own problem, or a model it names that nothing registers: an error of collecting its file, as a
    # module's syntax error is, not a usage error of the session
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ERROR collecting ledger/tiny.toml*"])
    assert f"\nclaims ledger rejected: {expected}" in result.stdout.str()
    assert "Traceback" not in result.stderr.str() + result.stdout.str()


def test_every_problem_in_a_file_is_listed(tmp_path: Path) -> None:
    body = GOOD_CLAIM.replace('value = 62', 'value = "62"').replace('kind = "params"\n', 'kind = "params"\nfoo = 1\n')
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, body))
    permitted = ", ".join(sorted(schema.CLAIM_MODELS["params"].model_fields))
    assert error.value.problems == [
        "tiny.toml:14: tiny/params/baseline: value: must be a valid number, got '62'",
        f"tiny.toml:11: tiny/params/baseline: foo: unknown key for kind 'params' (permitted: {permitted})",
    ]
    assert str(error.value).splitlines()[0].endswith("(and 1 more problem)")


def numbered(text: str, line: int) -> str:
    """The 1-based line ``line`` of ``text``: what a problem's ``tiny.toml:LINE`` points at."""
    return text.splitlines()[line - 1]


def problem_lines(tmp_path: Path, body: str) -> list[tuple[str, str]]:
    """Each problem of a rejected ``body`` as (the line it names, the problem after its ``tiny.toml:LINE: ``)."""
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, body))
    found = [re.fullmatch(r"tiny\.toml:(\d+): (.*)", problem, re.DOTALL) for problem in error.value.problems]
    assert all(found), error.value.problems
    return [(numbered(HEADER + body, int(match[1])), match[2]) for match in found]


@pytest.mark.parametrize(("body", "line", "problem"), [
    (GOOD_CLAIM.replace("value = 62", 'value = "62"'), 'value = "62"', "value: must be a valid number"),
    (GOOD_CLAIM.replace("value = 62", '"value" = "62"  # quoted'), '"value" = "62"  # quoted', "value: must be"),
    (GOOD_CLAIM.replace("abs = 0", "rel = 5"), "tolerance = { rel = 5 }", "tolerance.rel: must be less than 1"),
    (GOOD_CLAIM.replace("tolerance = { abs = 0 }", "tolerance.rel = 5"), "tolerance.rel = 5", "tolerance.rel: must"),
    (GOOD_CLAIM.replace("tolerance = { abs = 0 }", "[claim.tolerance]\nabs = 0\nrel = 5"), "rel = 5",
     "tolerance.rel: must be less than 1"),
    (GOOD_CLAIM.replace("value = 62", 'between = [60, "TODO: how far"]'), 'between = [60, "TODO: how far"]',
     "between.1: TODO left by claimbench draft"),
    (GOOD_CLAIM.replace("source =", 'note = """\n[[claim]]\nid = "params/baseline"\nvalue = 1"""\nsource =').replace(
        "value = 62", "value = 26"), "value = 26", "value: 26 is not the number"),
    (GOOD_CLAIM.replace("value = 62", "value = 26") + "\n# id = 'params/baseline'\n", "value = 26", "value: 26"),
])
def test_a_claim_s_problem_names_the_line_its_field_is_written_on(tmp_path: Path, body: str, line: str,
                                                                  problem: str) -> None:
    """Quoted, dotted, in an inline table or a sub-table, past a multi-line string that holds a claim's words, or
    beside a comment that does: the line an editor or CI annotation jumps to (``tiny.toml:LINE:``)."""
    [(named, said)] = problem_lines(tmp_path, body)
    assert (named, said.startswith(f"tiny/params/baseline: {problem}")) == (line, True), said


def test_a_claim_s_problem_of_a_field_not_written_names_the_claim_s_id_line(tmp_path: Path) -> None:
    assert problem_lines(tmp_path, GOOD_CLAIM.replace('printed = "62"\n', "")) == [
        ('id = "params/baseline"', "tiny/params/baseline: printed: missing required field")]


def test_a_key_a_claim_shares_names_the_line_of_its_table_or_column(tmp_path: Path) -> None:
    """A key the claim's column, or its table, gives it (``_share``), ill there: the claim's problem names that line,
    past a table's rows over several lines."""
    rows = TABLE.replace('rows = [["Baseline", "62", "2 Conv Layers 62 parameters"]]',
                         'rows = [\n  ["Baseline", "62", "2 Conv Layers 62 parameters"],\n  ["Other", "6", "x"]\n]')
    columns = ('[table.by_column."Params"]\nnote = "n"\ncount = "kerass"\n',
               '[table.by_column]\nNote = { count = "trainable" }\nParams = { note = "n", count = "kerass" }\n')
    for body in (*(rows + column + TABLE_CLAIM for column in columns),
                 rows.replace('count = "trainable"', 'count = "kerass"') + TABLE_CLAIM):
        line, said = problem_lines(tmp_path, body)[-1]
        assert ('count = "kerass"' in line, said.partition(": must")[0]) == (True, "tiny/params/baseline: count"), line


def test_a_recipe_s_problem_names_its_key_s_line_else_its_header_s(tmp_path: Path) -> None:
    body = ACCURACY_CLAIM.replace("lr = 1e-3", "learning_rate = 1e-3").replace(
        'batch_norm = "per_image"', 'augment = ["crop"]\n[recipe.chart.augment_options]\n# crop\n'
                                    'crop = { padding = 2.5 }')
    assert problem_lines(tmp_path, body) == [
        ("crop = { padding = 2.5 }", "recipe.chart: augment_options.crop.padding: must be a valid integer, got 2.5"),
        ("learning_rate = 1e-3", "recipe.chart: learning_rate: unknown key (did you mean 'lr'?)"),
        ("[recipe.chart]", "recipe.chart: lr: missing required field")]


def test_a_table_s_problem_names_its_key_s_line(tmp_path: Path) -> None:
    rows = TABLE.replace('rows = [["Baseline", "62", "2 Conv Layers 62 parameters"]]',
                         'rows = [\n  ["Baseline", "62", "2 Conv Layers 62 parameters"],\n  ["Short"]\n]\n'
                         '[table.by_column]\n"Parms" = { note = "n" }')
    assert problem_lines(tmp_path, rows + TABLE_CLAIM) == [
        ("rows = [", "table t: rows: row ['Short'] has 1 cells, the table 3 columns"),
        ('"Parms" = { note = "n" }', "table t: by_column.Parms: no column 'Parms' in this table")]


def test_a_duplicate_id_names_the_second_claim_or_table(tmp_path: Path) -> None:
    second = GOOD_CLAIM.replace('id = "params/baseline"', "id = 'params/baseline'  # again")
    assert problem_lines(tmp_path, GOOD_CLAIM + second) == [
        ("id = 'params/baseline'  # again", "tiny/params/baseline: id: duplicate id")]
    other = '[[table]]\nid = "t"  # again\ntitle = "Other"\ncolumns = ["a"]\nrows = [["b"]]\n'
    assert problem_lines(tmp_path, TABLE + other + TABLE_CLAIM) == [('id = "t"  # again', "table t: id: duplicate "
                                                                                            "table id")]


def test_a_problem_of_a_claim_whose_id_is_written_twice_names_the_line_of_the_value_it_got(tmp_path: Path) -> None:
    """The second of two claims with one id writes an ill value: its problem names that line, not the first claim's
    valid one, and the duplicate id is said beside it; a problem whose words do not tell the two apart names both."""
    second = GOOD_CLAIM.replace('id = "params/baseline"', "id = 'params/baseline'  # again")
    [(line, said), duplicate] = problem_lines(tmp_path, GOOD_CLAIM + second.replace('"trainable"', '"bogus"'))
    assert (line, said.partition(": must")[0], said.endswith(", got 'bogus'")) == (
        'count = "bogus"', "tiny/params/baseline: count", True)
    assert duplicate == ("id = 'params/baseline'  # again", "tiny/params/baseline: id: duplicate id")
    body = GOOD_CLAIM + second.replace("value = 62", "value = 26")
    first, _ = problem_lines(tmp_path, body)
    also = f" (or line {(HEADER + body).splitlines().index('value = 26') + 1}: the id is written more than once)"
    assert (first[0], first[1].endswith(also)) == ("value = 62", True), first


def test_a_missing_field_of_a_claim_whose_id_is_written_twice_names_the_claim_that_lacks_it_first(
        tmp_path: Path) -> None:
    """The second of two claims with one id leaves out ``printed``: its problem is at that claim (its id's line), and
    names the first claim's ``printed``, which is fine, only as the other place."""
    second = GOOD_CLAIM.replace('id = "params/baseline"', "id = 'params/baseline'  # again")
    body = GOOD_CLAIM + second.replace('printed = "62"\n', "")
    first, duplicate = problem_lines(tmp_path, body)
    printed = (HEADER + body).splitlines().index('printed = "62"') + 1
    also = f" (or line {printed}: the id is written more than once)"
    assert first == ("id = 'params/baseline'  # again", f"tiny/params/baseline: printed: missing required field{also}")
    assert duplicate == ("id = 'params/baseline'  # again", "tiny/params/baseline: id: duplicate id")


def test_each_copy_of_an_id_after_the_first_is_said_a_duplicate(tmp_path: Path) -> None:
    again = GOOD_CLAIM.replace('id = "params/baseline"', "id = 'params/baseline'  # again")
    third = GOOD_CLAIM.replace('id = "params/baseline"', "id = 'params/baseline'  # third")
    assert problem_lines(tmp_path, GOOD_CLAIM + again + third) == [
        ("id = 'params/baseline'  # again", "tiny/params/baseline: id: duplicate id"),
        ("id = 'params/baseline'  # third", "tiny/params/baseline: id: duplicate id")]
    other = '[[table]]\nid = "t"  # again\ntitle = "Other"\ncolumns = ["a"]\nrows = [["b"]]\n'
    assert problem_lines(tmp_path, TABLE + other + other.replace("again", "third") + TABLE_CLAIM) == [
        ('id = "t"  # again', "table t: id: duplicate table id"),
        ('id = "t"  # third', "table t: id: duplicate table id")]


def test_a_problem_of_the_file_names_no_line_a_syntax_error_its_own(tmp_path: Path) -> None:
    (tmp_path / "tiny.toml").write_text(HEADER.replace("format = 2\n", "") + GOOD_CLAIM, encoding="utf-8")
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(tmp_path)
    assert str(error.value) == f"tiny.toml: (file): format: {ledger.MIGRATE}"
    assert problem_lines(tmp_path, GOOD_CLAIM.replace('kind = "params"', 'kind = "params')) == [
        ('kind = "params', "(file): (syntax): TOML syntax error: Illegal character '\\n' (at line 10, column 15)")]


@pytest.mark.parametrize(("extra", "expected"), [
    ('layout = "channels_last"', "layout: kind 'params' does not take it (kinds that do: layer)"),
    ('modules = ["zoo"]', "modules: not a key here: it belongs in [report]"),
    ('extends = "base"', "extends: not a key here: it belongs in [recipe.<name>]"),
])
def test_a_ledger_key_in_the_wrong_place_says_where_it_belongs(tmp_path: Path, extra: str, expected: str) -> None:
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, GOOD_CLAIM.replace('kind = "params"\n', f'kind = "params"\n{extra}\n')))
    assert error.value.problems == [f"tiny.toml:11: tiny/params/baseline: {expected}"]


def test_printed_must_match_the_table_cell(tmp_path: Path) -> None:
    table = '[[table]]\nid = "t"\ntitle = "T"\ncolumns = ["Model", "Params"]\nrows = [["Baseline", "63"]]\n'
    body = table + GOOD_CLAIM.replace('tolerance', 'cell = ["t", "Baseline", "Params"]\ntolerance')
    with pytest.raises(ledger.LedgerError, match=r"printed: '62' differs from the table cell '63'"):
        ledger.load(write_ledger(tmp_path, body))


def test_an_expected_error_needs_a_reason(tmp_path: Path) -> None:
    with pytest.raises(ledger.LedgerError, match="why: a claim with expect or status must say why"):
        ledger.load(write_ledger(tmp_path, GOOD_CLAIM.replace("tolerance", 'expect = "refuted"\ntolerance')))


@pytest.mark.parametrize(("keys", "expected"), [
    ("correct = 61", "correct: the correct value of a documented error"),
    ('expect = "refuted"\nwhy = "w"\ncorrect = [61]', "correct: the correct value of a documented error"),
])
def test_a_correct_value_goes_with_a_documented_error_of_its_type(tmp_path: Path, keys: str, expected: str) -> None:
    with pytest.raises(ledger.LedgerError, match=expected):
        ledger.load(write_ledger(tmp_path, GOOD_CLAIM.replace("tolerance", f"{keys}\ntolerance")))
    good = GOOD_CLAIM.replace("tolerance", 'expect = "refuted"\nwhy = "w"\ncorrect = 61\ntolerance')
    assert ledger.load(write_ledger(tmp_path, good))[0].correct == 61


@pytest.mark.parametrize("title", ["  ", "\\t", "\\n"])
def test_a_blank_title_is_refused(tmp_path: Path, title: str) -> None:
    """A title of white space only would be an empty heading: the report's and a table's."""
    with pytest.raises(ledger.LedgerError, match=r"tiny.toml:3: \(report\): title: String should have at least 1 "):
        (tmp_path / "tiny.toml").write_text(HEADER.replace('"Tiny"', f'"{title}"') + GOOD_CLAIM, encoding="utf-8")
        ledger.load(tmp_path)
    table = f'[[table]]\nid = "t"\ntitle = "{title}"\ncolumns = ["a"]\nrows = [["b"]]\n'
    with pytest.raises(ledger.LedgerError, match=r"title: String should have at least 1 character"):
        ledger.load(write_ledger(tmp_path, table + GOOD_CLAIM))


def test_ids_use_a_pytest_friendly_alphabet(tmp_path: Path) -> None:
    with pytest.raises(ledger.LedgerError, match=r"\(claim #1\): id: must match"):
        ledger.load(write_ledger(tmp_path, GOOD_CLAIM.replace("params/baseline", "Params Baseline")))


def test_the_project_ledger_loads() -> None:
    claims = ledger.load(REFERENCE)
    assert all(registry.resolve(c.model) for c in claims if c.model is not None)
    assert {c.report for c in claims} == {path.stem for path in REFERENCE.glob("*.toml")}, "each file has claims"


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
recipe = "chart"

[recipe.chart]
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
        "tiny.toml:29: recipe.chart: steps_per_epoch: must be greater than or equal to 0, got -1",
        "tiny.toml:30: recipe.chart: batch_norm: must be 'batch' or 'per_image', got 'instance'",
    ]


def test_a_mistyped_recipe_key_is_said_with_what_the_recipe_then_lacks(tmp_path: Path) -> None:
    body = ACCURACY_CLAIM.replace("batch_size = 24", "batch = 24").replace('schedule = "constant"\n', "")
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, body))
    assert error.value.problems == [
        "tiny.toml:24: recipe.chart: batch: unknown key (did you mean 'batch_norm' or 'batch_size'?)",
        "tiny.toml:21: recipe.chart: batch_size: missing required field",
        "tiny.toml:21: recipe.chart: schedule: missing required field",
    ]


def test_a_recipe_key_as_a_framework_names_it_is_said_with_the_key_it_means(tmp_path: Path) -> None:
    """learning_rate is spelt like no ledger key: the message names lr, and lr's absence beside it, also where another
    key of the recipe is ill-typed (the required keys it lacks were left unsaid then)."""
    body = ACCURACY_CLAIM.replace("lr = 1e-3", "learning_rate = 1e-3")
    ill = "tiny.toml:24: recipe.chart: batch_size: must be a valid integer, got '24'"
    for size, said in (("batch_size = 24", []), ('batch_size = "24"', [ill])):
        with pytest.raises(ledger.LedgerError) as error:
            ledger.load(write_ledger(tmp_path, body.replace("batch_size = 24", size)))
        assert error.value.problems == [*said, "tiny.toml:23: recipe.chart: learning_rate: unknown key (did you mean "
                                        "'lr'?)", "tiny.toml:21: recipe.chart: lr: missing required field"]


@pytest.mark.parametrize("word", ["flops", "FLOPs", "gflops", "mflops", "flop"])
def test_a_kind_written_as_flops_is_said_to_be_macs_counted_in_flops(tmp_path: Path, word: str) -> None:
    hint = (f"unknown kind {word!r} (did you mean kind = \"macs\" with count = \"flops\", or count = \"pure\" where "
            "the report counts a multiply-add as one FLOP?); permitted: ")
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, GOOD_CLAIM.replace('kind = "params"', f'kind = "{word}"')))
    assert error.value.problems[0].startswith(f"tiny.toml:10: tiny/params/baseline: kind: {hint}")
    table = TABLE.replace('kind = "params"', f'kind = "{word}"')  # a table's kind, which its claims share
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, table))
    assert error.value.problems[0].startswith(f"tiny.toml:11: table t: kind: {hint}")


def test_a_kind_as_a_report_words_it_is_said_with_the_kind_it_names(tmp_path: Path) -> None:
    said = {}
    for word in ("top1", "parameters", "output_shape", "parms"):
        with pytest.raises(ledger.LedgerError) as error:
            ledger.load(write_ledger(tmp_path, GOOD_CLAIM.replace('kind = "params"', f'kind = "{word}"')))
        said[word] = error.value.problems[0].split(f"unknown kind {word!r} ")[1].split(";")[0]
    assert said == {"top1": "(did you mean accuracy?)", "parameters": "(did you mean params?)",
                    "output_shape": '(did you mean kind = "layer" with quantity = "output_shape"?)',
                    "parms": "(did you mean params?)"}


def test_augment_options_are_read_and_checked(tmp_path: Path) -> None:
    options = 'augment = ["flip", "rotate"]\n[recipe.chart.augment_options]\n'
    good = ACCURACY_CLAIM + options + "rotate = { degrees = 30, fill = 255, expand = true }\n"
    (claim,) = ledger.load(write_ledger(tmp_path / "good", good))
    assert claim.recipe.options() == {"rotate": {"degrees": 30, "expand": True, "fill": 255}}
    bad = ACCURACY_CLAIM + options + (
        'rotate = { angle = 30, expand = "yes", degrees = "30" }\nflip = { p = 0.5 }\n')
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path / "bad", bad))
    rotate, flip = "tiny.toml:33: recipe.chart: augment_options.rotate", "tiny.toml:34: recipe.chart: augment_options"
    assert error.value.problems == [
        f"{rotate}.degrees: must be a valid number, got '30'",
        f"{rotate}.expand: must be a valid boolean, got 'yes'",
        f"{rotate}.angle: unknown key",
        f"{flip}.flip: unknown key",
    ]
    unapplied = ACCURACY_CLAIM + options.replace('"rotate"', '"crop"') + "rotate = { degrees = 30 }\n"
    with pytest.raises(ledger.LedgerError, match="recipe.chart: augment_options.rotate: options for an "
                                                 "augmentation the recipe does not apply"):
        ledger.load(write_ledger(tmp_path / "unapplied", unapplied))


def test_crop_options_are_a_whole_padding_and_a_boolean_reflect(tmp_path: Path) -> None:
    options = 'augment = ["crop"]\n[recipe.chart.augment_options]\n'
    good = ACCURACY_CLAIM + options + "crop = { padding = 2, reflect = true }\n"
    (claim,) = ledger.load(write_ledger(tmp_path / "good", good))
    assert claim.recipe.options() == {"crop": {"padding": 2, "reflect": True}}
    bad = ACCURACY_CLAIM + options + "crop = { padding = 2.5, reflect = 1 }\n"
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path / "bad", bad))
    field = "tiny.toml:33: recipe.chart: augment_options.crop"
    assert error.value.problems == [f"{field}.padding: must be a valid integer, got 2.5",
                                    f"{field}.reflect: must be a valid boolean, got 1"]


def test_randaugment_rounds_are_a_positive_integer(tmp_path: Path) -> None:
    body = ACCURACY_CLAIM + 'augment = ["randaugment"]\n[recipe.chart.augment_options]\nrandaugment = { ops = 1.5 }\n'
    with pytest.raises(ledger.LedgerError, match=r"recipe.chart: augment_options.randaugment.ops: must be a valid "
                                                 r"integer, got 1.5"):
        ledger.load(write_ledger(tmp_path, body))


def load_one(tmp_path: Path, body: str) -> list[ledger.Claim]:
    return ledger.load(write_ledger(tmp_path, body))


def first_line(tmp_path: Path, body: str) -> str:
    with pytest.raises(ledger.LedgerError) as error:
        load_one(tmp_path, body)
    return str(error.value).splitlines()[0]


def test_defaults_exact_tolerance_registered_input_and_no_recipe(tmp_path: Path) -> None:
    (claim,) = load_one(tmp_path, GOOD_CLAIM.replace("tolerance = { abs = 0 }\n", ""))
    assert (claim.tolerance, claim.input, claim.recipe, claim.interval) == (ledger.Tolerance(), None, None, None)


TABLE = ('[[table]]\nid = "t"\ntitle = "T"\nmodel = "dl_cifar10_pytorch.baseline"\nkind = "params"\n'
         'count = "trainable"\n'
         'source = "tiny.txt, table T"\ncolumns = ["Model", "Params", "Note"]\n'
         'rows = [["Baseline", "62", "2 Conv Layers 62 parameters"]]\n')
TABLE_CLAIM = '[[claim]]\nid = "params/baseline"\nvalue = 62\nprinted = "62"\ncell = ["t", "Baseline", "Params"]\n'


def test_a_table_gives_its_claims_model_kind_count_and_source(tmp_path: Path) -> None:
    (claim,) = load_one(tmp_path, TABLE + TABLE_CLAIM)
    assert (claim.model, claim.kind, claim.count, claim.source) == (
        "dl_cifar10_pytorch.baseline", "params", "trainable", "tiny.txt, table T, row Baseline")
    (own,) = load_one(tmp_path, TABLE + TABLE_CLAIM + 'count = "keras"\n')
    assert own.count == "keras"


def test_a_duplicate_table_id_is_said_first_not_as_the_keys_its_claims_then_lack(tmp_path: Path) -> None:
    """Keyed by id, the last of two tables would give its keys to the claims of both, and a claim of the first
    would be said to lack its kind: the duplicate id is the one problem."""
    other = '[[table]]\nid = "t"\ntitle = "Other"\ncolumns = ["a"]\nrows = [["b"]]\n'
    for tables, second in ((TABLE + other, 17), (other + TABLE, 13)):  # the second table's id line
        with pytest.raises(ledger.LedgerError) as error:
            ledger.load(write_ledger(tmp_path, tables + TABLE_CLAIM))
        assert str(error.value) == f"tiny.toml:{second}: table t: id: duplicate table id"


def test_a_row_with_an_empty_label_is_named_by_its_place_in_a_shared_source(tmp_path: Path) -> None:
    """As the draft names it: "row " would name no row."""
    rows = TABLE.replace('"]]\n', '"], ["", "62", "continued"]]\n')
    (claim,) = load_one(tmp_path, rows + TABLE_CLAIM.replace('"Baseline", "Params"', '"", "Params"'))
    assert claim.source == "tiny.txt, table T, unlabelled row 2"


def test_a_column_gives_its_claims_keys_over_the_table_s(tmp_path: Path) -> None:
    columns = '[table.by_column]\nParams = { count = "keras", note = "Keras count" }\n'
    (claim,) = load_one(tmp_path, TABLE + columns + TABLE_CLAIM)
    assert (claim.count, claim.note, claim.kind) == ("keras", "Keras count", "params")
    (own,) = load_one(tmp_path, TABLE + columns + TABLE_CLAIM + 'count = "tensors"\n')
    assert (own.count, own.note) == ("tensors", "Keras count")
    typo = columns.replace("Params =", "Parms =")
    assert "table t: by_column.Parms: no column 'Parms' in this table" in first_line(
        tmp_path, TABLE + typo + TABLE_CLAIM)
    assert "table t: by_column.Params.count: must be" in first_line(
        tmp_path, TABLE + columns.replace('"keras"', '"kears"') + TABLE_CLAIM)



def test_a_params_claim_takes_an_input_of_its_own_its_table_s_or_its_column_s(tmp_path: Path) -> None:
    """The input a lazy model's copy is built on for the whole model's count: a params claim was refused it, and its
    table's or column's was dropped, so a lazy model with no registered input size had no way to name one."""
    (own,) = load_one(tmp_path, GOOD_CLAIM.replace('kind = "params"\n', 'kind = "params"\ninput = [3, 8, 8]\n'))
    (tabled,) = load_one(tmp_path, TABLE + "input = [3, 8, 8]\n" + TABLE_CLAIM)
    (columned,) = load_one(tmp_path, TABLE + "[table.by_column]\nParams = { input = [3, 8, 8] }\n" + TABLE_CLAIM)
    assert own.input == tabled.input == columned.input == (3, 8, 8)


MERGED = ('[[table]]\nid = "m"\ntitle = "M"\nmodel = "dl_cifar10_pytorch.baseline"\nsource = "tiny.txt, table M"\n'
          'columns = ["", "Complexity", "", "Accuracy"]\n'
          'rows = [["**Model**", "**Params (M)**", "**MACs (G)**", "**Top-1 (%)**"], ["ResNet-18", "11.7", "1.82", '
          '"69.76"]]\n')
"""A merged header over a second header row, as torchvision's README prints one."""
MERGED_PARAMS = ('[[claim]]\nid = "params/resnet18"\nkind = "params"\nvalue = 11.7\nscale = 1e6\nprinted = "11.7"\n'
                 'cell = ["m", "ResNet-18", "Complexity"]\ntolerance = { digits = 1 }\n')
MERGED_MACS = ('[[claim]]\nid = "macs/resnet18"\nkind = "macs"\nvalue = 1.82\nscale = 1e9\nprinted = "1.82"\n'
               'cell = ["m", "ResNet-18", "Complexity MACs (G)"]\ntolerance = { digits = 2 }\n')


def test_the_first_column_under_a_merged_header_reads_its_unit_under_the_second_header_row(tmp_path: Path) -> None:
    """A cell under "Complexity", the first of its merged header's columns, is named by that header alone; its scale
    was checked under "Complexity", which names no unit, so 11.7 at scale 1e9 under "Params (M)" loaded. Its unit is
    read under the two headers joined, as the draft reads it."""
    params = MERGED_PARAMS + 'count = "trainable"\n'
    (claim,) = load_one(tmp_path, MERGED + params)
    assert (claim.cell, claim.scale) == (("m", "ResNet-18", "Complexity"), 1e6)
    assert first_line(tmp_path, MERGED + params.replace("1e6", "1e9")) == (
        "tiny.toml:18: tiny/params/resnet18: scale: printed '11.7' under 'Complexity Params (M)' counts in units of "
        "1e+06: give scale = 1e+06, not 1e+09")


def test_a_number_copied_within_a_column_named_two_ways_is_named(tmp_path: Path) -> None:
    """Two claims of one column under a merged header, one naming it "Complexity" and one "Complexity Params (M)"
    (both its names since by_column took them as one), were two columns to the judge's "copied from another row":
    a number pasted from the row above went unnamed. A claim's column is its index in its table, whichever name."""
    table = MERGED.replace('"69.76"]]', '"69.76"], ["ResNet-34", "11.7", "3.67", "73.31"]]')
    assert table != MERGED
    params = MERGED_PARAMS + 'count = "trainable"\n'
    pasted = params.replace("resnet18", "resnet34").replace('"ResNet-18", "Complexity"]',
                                                            '"ResNet-34", "Complexity Params (M)"]')
    claims = {claim.local_id: claim for claim in load_one(tmp_path, table + params + pasted)}
    judged = judge(claims["params/resnet34"], Observation(Measurement(21_797_672)), list(claims.values()))
    assert judged.verdict == "refuted"
    assert judged.reason.endswith("it matches the number printed in row 'ResNet-18' of the same column (claim "
                                  "params/resnet18)")


UNITS_ROW = ('[[table]]\nid = "u"\ntitle = "U"\nmodel = "dl_cifar10_pytorch.baseline"\nsource = "tiny.txt, table U"\n'
             'columns = ["Model", "Params", "Acc"]\nrows = [["", "(M)", "(%)"], ["ResNet-18", "11.7", "69.8"]]\n'
             '[[claim]]\nid = "params/resnet18"\nkind = "params"\ncount = "trainable"\nvalue = 11.7\nscale = 1e6\n'
             'printed = "11.7"\ncell = ["u", "ResNet-18", "Params"]\ntolerance = { digits = 1 }\n')
"""A row of units under the header, "| | (M) | (%) |": the draft reads the column as "Params (M)"."""


def test_a_column_reads_its_unit_in_a_row_of_units_under_the_header(tmp_path: Path) -> None:
    """The draft reads "11.7" under "Params" over a row of units "(M)" as "Params (M)" does; the loader checked its
    scale under "Params" alone, which names no unit, so 11.7 at scale 1e9 loaded where under an ordinary "Params (M)"
    it is refused. The loader reads the unit as the draft does."""
    (claim,) = load_one(tmp_path, UNITS_ROW)
    assert (claim.cell, claim.scale) == (("u", "ResNet-18", "Params"), 1e6)
    assert first_line(tmp_path, UNITS_ROW.replace("1e6", "1e9")) == (
        "tiny.toml:19: tiny/params/resnet18: scale: printed '11.7' under 'Params (M)' counts in units of 1e+06: give "
        "scale = 1e+06, not 1e+09")


def test_by_column_names_a_column_under_a_merged_header_as_a_cell_does(tmp_path: Path) -> None:
    """A by_column key joined from two headers ("Complexity MACs (G)") was refused as no column of the table. It
    takes the names a claim's cell takes, and gives its keys to the claims of that column, however their cells name
    it ("Complexity" and "Complexity Params (M)" are one column)."""
    columns = ('[table.by_column]\n"Complexity MACs (G)" = { count = "flops" }\n'
               '"Complexity Params (M)" = { count = "keras" }\n')
    macs, params = load_one(tmp_path, MERGED + columns + MERGED_PARAMS + MERGED_MACS)
    assert (params.count, macs.count) == ("keras", "flops")
    twice = columns + '"Complexity" = { count = "trainable" }\n'
    assert first_line(tmp_path, MERGED + twice + MERGED_PARAMS + MERGED_MACS) == (
        "tiny.toml:17: table m: by_column.Complexity: names the column 'Complexity Params (M)' names: give its keys "
        "under one name")
    mistyped = MERGED + columns.replace("MACs (G)", "MAC (G)") + MERGED_PARAMS + MERGED_MACS + 'count = "flops"\n'
    assert first_line(tmp_path, mistyped) == (
        "tiny.toml:15: table m: by_column.\"Complexity MAC (G)\": no column 'Complexity MAC (G)' in this table")
    repeated = MERGED + columns.replace('"Complexity MACs (G)"', '""') + MERGED_PARAMS + MERGED_MACS
    repeated += 'count = "flops"\n'
    assert first_line(tmp_path, repeated).startswith(
        "tiny.toml:15: table m: by_column.\"\": the table has more than one column '', so it names none")

@pytest.mark.parametrize(("change", "expected"), [
    (('"Params"]', '"Parms"]'), "cell: table 't' has no column 'Parms' (did you mean 'Params'?)"),
    (('["t", "Baseline"', '["t", "Basline"'),
     "cell: table 't' has no row labelled 'Basline' (did you mean 'Baseline'?)"),
    (('["t", "Baseline"', '["u", "Baseline"'), "kind: missing required field: give the claim a kind, or a cell in a "
                                                 "table that gives one"),
    (('"]]\n', '"], ["Baseline", "63", ""]]\n'), "cell: table 't' has more than one row labelled 'Baseline': a cell "
     "is found by its row label and column as the report prints them; delete the claim's cell (its printed is then "
     "looked for anywhere in the report)\n"),
    (('"Note"]', '"Params"]'), "cell: table 't' has more than one column 'Params': a cell is found by its row label "
     "and column as the report prints them; delete the claim's cell"),
])
def test_a_cell_names_what_it_misses(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert expected in first_line(tmp_path, (TABLE + TABLE_CLAIM).replace(*change)) + "\n"


def test_partial_printed_is_a_part_of_its_cell(tmp_path: Path) -> None:
    body = TABLE + TABLE_CLAIM.replace('"Params"]', '"Note"]')
    assert "printed: '62' differs from the table cell '2 Conv Layers 62 parameters'" in first_line(tmp_path, body)
    (claim,) = load_one(tmp_path, body + "partial = true\n")
    assert claim.partial
    assert "printed: '63' is not in the table cell" in first_line(
        tmp_path, body.replace('printed = "62"', 'printed = "63"') + "partial = true\n")
    assert "partial: partial = true needs the cell" in first_line(tmp_path, GOOD_CLAIM + "partial = true\n")


DIGITS_CLAIM = GOOD_CLAIM.replace("value = 62", "value = 11.7").replace('printed = "62"',
                                                                      'printed = "11.7M"\nscale = 1e6')


@pytest.mark.parametrize(("printed", "value", "expected"), [
    ("11.70M", "11.7", "tolerance.digits: printed '11.70M' shows 2 decimals, not 1: "),
    ("12M", "12", "tolerance.digits: printed '12M' shows 0 decimals, not 1: "),
], ids=["fewer", "more"])
def test_tolerance_digits_other_than_printed_shows_are_refused(tmp_path: Path, printed: str, value: str,
                                                               expected: str) -> None:
    """"44.70 MB" with digits = 1 reproduced 44,740,000 bytes, which print 44.74: the band came from a hand-typed
    digits, not from the printed precision."""
    body = DIGITS_CLAIM.replace("11.7M", printed).replace("value = 11.7", f"value = {value}")
    assert expected in first_line(tmp_path, body.replace("abs = 0", "digits = 1"))


@pytest.mark.parametrize("change", [
    ("abs = 0", "digits = 1"),
    ("abs = 0", 'digits = 1, mode = "truncate"'),
    ("abs = 0", "digits = 1, rel = 0.01"),
    ('printed = "11.7M"', 'printed = "~11.7M"'),
    ('printed = "11.7M"', 'printed = "**11.7M**†"'),
    ('printed = "11.7M"\nscale = 1e6', 'printed = "under 12M"\nscale = 1e6'),
], ids=["same", "truncate", "widened", "approximate", "footnote", "bound"])
def test_tolerance_digits_as_printed_and_a_bound_s_load(tmp_path: Path, change: tuple[str, str]) -> None:
    """A bound's printed shows no value to take decimals from: its digits stay the ledger's."""
    body = DIGITS_CLAIM.replace(*change).replace("abs = 0", "digits = 1")
    if "under" in change[1]:
        body = body.replace("value = 11.7", "below = 12").replace("digits = 1", "digits = 3")
    (claim,) = load_one(tmp_path, body)
    assert claim.tolerance.digits == (3 if "under" in change[1] else 1)


def test_tolerance_digits_0_of_a_whole_number_as_printed_load(tmp_path: Path) -> None:
    """A whole count in units of one, "62", is as exact with digits = 0 as without; "188K" rounds to thousands."""
    (claim,) = load_one(tmp_path, GOOD_CLAIM.replace("abs = 0", "digits = 0"))
    (thousands,) = load_one(tmp_path, GOOD_CLAIM.replace("value = 62", "value = 188").replace(
        'printed = "62"', 'printed = "188K"\nscale = 1e3').replace("abs = 0", "digits = 0"))
    assert claim.tolerance.digits == thousands.tolerance.digits == 0


@pytest.mark.parametrize(("bound", "interval"), [
    ("above = 60", (60, None)), ("below = 100_000", (None, 100_000)), ("between = [57, 60]", (57, 60))])
def test_a_verbal_claim_is_an_interval(tmp_path: Path, bound: str, interval: tuple) -> None:
    (claim,) = load_one(tmp_path, GOOD_CLAIM.replace("value = 62", bound))
    assert (claim.value, claim.interval) == (None, interval)


def test_a_bound_in_thousands_at_scale_1_is_refused(tmp_path: Path) -> None:
    """below = 100 for printed "<100K" with no scale loaded as the interval (None, 100): under 100 parameters."""
    body = GOOD_CLAIM.replace("value = 62", "below = 100").replace('printed = "62"', 'printed = "<100K"')
    assert first_line(tmp_path, body).endswith(
        "tiny/params/baseline: scale: printed '<100K' counts in units of 1000: give scale = 1000")
    (claim,) = load_one(tmp_path, body.replace("below = 100", "below = 100\nscale = 1e3"))
    assert claim.interval == (None, 100)


@pytest.mark.parametrize(("bounds", "expected"), [
    ("value = 62\nabove = 60", "value: give exactly one of value, above, below, between (given: value, above)"),
    ("", "value: give exactly one of value, above, below, between (given: none)"),
    ("between = [60, 57]", "between: must be [low, high] with low < high"),
    ("between = [60]", "between: must be [low, high] (two numbers, each at most 1e18 in size), got [60]"),
])
def test_an_interval_is_one_bound_or_an_ordered_pair(tmp_path: Path, bounds: str, expected: str) -> None:
    assert expected in first_line(tmp_path, GOOD_CLAIM.replace("value = 62", bounds))


TABLE_T = '[[table]]\nid = "t"\ntitle = "T"\ncolumns = ["a"]\nrows = [["x"]]\n'
INPUT_FORM = "must be [C, H, W] (three positive integers)"


@pytest.mark.parametrize(("text", "expected"), [
    ("input = [4]", f"tiny/params/baseline: input: {INPUT_FORM}, got [4]"),
    ("input = []", f"tiny/params/baseline: input: {INPUT_FORM}, got []"),
    ("input = [3, 32, 32, 1]", f"tiny/params/baseline: input: {INPUT_FORM}, got [3, 32, 32, 1]"),
    ('input = [3, "32", 32]', f"tiny/params/baseline: input: {INPUT_FORM}, got [3, '32', 32]"),
    ("input = [3, 0, 32]", f"tiny/params/baseline: input: {INPUT_FORM}, got [3, 0, 32]"),
    ("input = 3", f"tiny/params/baseline: input: {INPUT_FORM}, got 3"),
    ('cell = ["t", "x"]', "tiny/params/baseline: cell: must be [table id, row label, column] (three strings), got "
                          "['t', 'x']"),
    ("between = [60, 61, 62]", "tiny/params/baseline: between: must be [low, high] (two numbers, each at most 1e18 in "
                               "size), got [60, 61, 62]"),
    (f"{TABLE_T}input = [4]", f"table t: input: {INPUT_FORM}, got [4]"),
    (f"{TABLE_T}by_column = {{ a = {{ input = [4] }} }}", f"table t: by_column.a.input: {INPUT_FORM}, got [4]"),
], ids=["short", "empty", "long", "a-string", "a-zero", "no-list", "cell", "between", "table", "column"])
def test_a_list_of_fixed_length_that_is_wrong_is_one_problem_on_its_key(tmp_path: Path, text: str,
                                                                         expected: str) -> None:
    """``input = [4]`` was two problems in pydantic's words for a tuple, on fields that do not exist:
    ``input.1: missing required field`` and ``input.2: missing required field``. Every key that takes a list of
    a fixed length says the list it must be, once, with what it got."""
    if text.startswith(TABLE_T):
        body = f"{text}\n{GOOD_CLAIM}"
    else:
        body = GOOD_CLAIM.replace("value = 62", text if text.startswith("between") else f"value = 62\n{text}")
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(write_ledger(tmp_path, body))
    line = (HEADER + body).splitlines().index(text.splitlines()[-1]) + 1  # the key's own line
    assert str(error.value) == f"tiny.toml:{line}: {expected}"


RECIPES = """
[recipe.base]
optimizer = "adam"
lr = 1e-3
batch_size = 32
epochs = 50
schedule = "constant"
validation = "test"
normalize = "unit"
augment = ["rotate"]
augment_options = { rotate = { degrees = 10 } }

[recipe.longer]
extends = "base"
epochs = 100
augment_options = { rotate = { fill = 1 } }

[recipe.mnist]
extends = "longer"
normalize = "mean_std"
mean = [0.1307]
std = [0.3081]
eps = 1e-7
drop_last = true
"""


def training_claim(recipe: str, local: str = "accuracy/baseline/test") -> str:
    return ACCURACY_CLAIM.split("[recipe.chart]")[0].replace('"chart"', f'"{recipe}"').replace(
        "accuracy/baseline/test", local)


def test_extends_overrides_chains_and_shares_one_recipe(tmp_path: Path) -> None:
    body = RECIPES + training_claim("mnist") + training_claim("mnist", "accuracy/baseline/val") + training_claim(
        "base", "accuracy/baseline/train")
    claims = {c.local_id: c for c in load_one(tmp_path, body + 'runs = 10\n')}
    mnist, base = claims["accuracy/baseline/test"].recipe, claims["accuracy/baseline/train"].recipe
    assert (base.epochs, mnist.epochs, mnist.lr, mnist.normalize, mnist.mean, mnist.std, mnist.eps,
            mnist.drop_last) == (50, 100, 1e-3, "mean_std", (0.1307,), (0.3081,), 1e-7, True)
    assert mnist.options() == {"rotate": {"degrees": 10, "fill": 1}}
    assert claims["accuracy/baseline/val"].recipe is mnist
    assert claims["accuracy/baseline/train"].runs == 10


def test_a_recipe_may_anneal_its_learning_rate_on_a_cosine(tmp_path: Path) -> None:
    """``schedule = "cosine"`` loads, without a plateau table (kuangliu/pytorch-cifar's recipe)."""
    body = RECIPES.replace('schedule = "constant"', 'schedule = "cosine"') + training_claim("mnist")
    recipe = load_one(tmp_path, body)[0].recipe
    assert recipe.schedule == "cosine" and recipe.plateau is None


STEP = 'schedule = "step"\nstep = { milestones = [20, 40], gamma = 0.1 }'


def test_a_recipe_may_cut_its_learning_rate_at_milestones(tmp_path: Path) -> None:
    """``schedule = "step"`` loads with its step table (PyTorch's ``MultiStepLR``), and a recipe that extends it may
    give a step table of its own."""
    body = RECIPES.replace('schedule = "constant"', STEP).replace(
        'epochs = 100\n', 'epochs = 100\nstep = { milestones = [50, 75], gamma = 0.5 }\n') + training_claim("base") + \
        training_claim("longer", "accuracy/baseline/train")
    claims = {c.local_id: c.recipe for c in load_one(tmp_path, body)}
    base, longer = claims["accuracy/baseline/test"], claims["accuracy/baseline/train"]
    assert base.schedule == "step" and (base.step.milestones, base.step.gamma) == ((20, 40), 0.1)
    assert (longer.step.milestones, longer.step.gamma) == ((50, 75), 0.5)


def test_an_sgd_recipe_with_momentum_may_be_nesterovs(tmp_path: Path) -> None:
    """``nesterov = true`` loads beside SGD and a momentum, which torch's SGD needs of it."""
    body = RECIPES.replace('optimizer = "adam"', 'optimizer = "sgd"\nmomentum = 0.9\nnesterov = true')
    recipe = load_one(tmp_path, body + training_claim("mnist"))[0].recipe
    assert (recipe.optimizer, recipe.momentum, recipe.nesterov) == ("sgd", 0.9, True)


def extends_chain(length: int) -> str:
    """Recipes ``r0`` extends ``r1`` ... extends ``r<length - 1>``, the last complete, and a claim trained by r0."""
    links = "".join(f'[recipe.r{i}]\nextends = "r{i + 1}"\nepochs = {i + 1}\n\n' for i in range(length - 1))
    last = RECIPES.split("[recipe.longer]")[0].replace("[recipe.base]", f"[recipe.r{length - 1}]")
    return links + last + training_claim("r0")


def test_a_chain_of_the_most_extends_loads(tmp_path: Path) -> None:
    (claim,) = load_one(tmp_path, extends_chain(ledger.MOST_EXTENDS))
    assert (claim.recipe.epochs, claim.recipe.optimizer) == (1, "adam")


def test_an_extends_chain_longer_than_the_cap_is_one_problem(tmp_path: Path) -> None:
    """The recipe whose chain passes ``MOST_EXTENDS`` says so on its ``extends``; those it extends do not."""
    body = extends_chain(ledger.MOST_EXTENDS + 1)
    with pytest.raises(ledger.LedgerError) as error:
        load_one(tmp_path, body)
    line = (HEADER + body).splitlines().index('extends = "r1"') + 1
    assert str(error.value) == f"tiny.toml:{line}: recipe.r0: extends: {ledger.TOO_LONG}"
    assert f"longer than {ledger.MOST_EXTENDS} recipes" in ledger.TOO_LONG


def test_a_long_extends_chain_merges_at_most_the_cap_per_recipe(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Each recipe merged its whole chain, so a ledger's merges grew with the square of a chain's length (a 130 KB
    ledger of a 4,000-long chain took 115 s to load); the cap bounds them to ``MOST_EXTENDS`` a recipe."""
    merges = Counter[str]()
    merge = ledger._merge
    monkeypatch.setattr(ledger, "_merge", lambda base, own: merges.update(["call"]) or merge(base, own))
    recipes = 3 * ledger.MOST_EXTENDS
    with pytest.raises(ledger.LedgerError, match=re.escape(ledger.TOO_LONG)):
        load_one(tmp_path, extends_chain(recipes))
    assert 0 < merges["call"] <= ledger.MOST_EXTENDS * recipes


@pytest.mark.parametrize(("change", "expected"), [
    (('extends = "base"', 'extends = "mnist"'), "recipe.longer: extends: cycle: longer -> mnist -> longer"),
    (('extends = "base"', 'extends = "bass"'), "recipe.longer: extends: unknown recipe 'bass' (recipes: base, longer"),
    (("std = [0.3081]", "std = [0.3081, 0.3]"), "recipe.mnist: std: needs one value per channel"),
    (("mean = [0.1307]\n", ""), "recipe.mnist: normalize: normalize = 'mean_std' needs mean and std"),
    (('validation = "test"', 'validation = "holdout"'), "recipe.base: val_size: validation = 'holdout' needs"),
    (('schedule = "constant"', 'schedule = "plateau"'), "recipe.base: plateau: a plateau table goes with"),
    (('schedule = "constant"', 'schedule = "cosine"\nplateau = { monitor = "val_loss", factor = 0.5, patience = 5, '
                               'min_lr = 1e-6 }'), "recipe.base: plateau: a plateau table goes with"),
    (('schedule = "constant"', 'schedule = "step"'), "recipe.base: step: a step table goes with schedule = 'step', and "
                                                   "only with it"),
    (('schedule = "constant"', 'schedule = "cosine"\nstep = { milestones = [20], gamma = 0.1 }'),
     "recipe.base: step: a step table goes with schedule = 'step', and only with it"),
    (('schedule = "constant"', STEP.replace("[20, 40]", "[40, 20]")),
     "recipe.base: step.milestones: must be strictly increasing epochs, got [40, 20]"),
    (('schedule = "constant"', STEP.replace("[20, 40]", "[20, 20]")),
     "recipe.base: step.milestones: must be strictly increasing epochs, got [20, 20]"),
    (('schedule = "constant"', STEP.replace("[20, 40]", "[20, 50]")),
     "recipe.base: step.milestones: must be below epochs (50), got 50"),
    (('schedule = "constant"', STEP.replace("[20, 40]", "[0, 40]")),
     "recipe.base: step.milestones.0: must be greater than or equal to 1, got 0"),
    (('schedule = "constant"', STEP.replace("[20, 40]", "[]")),
     "recipe.base: step.milestones: Tuple should have at least 1 item"),
    (('schedule = "constant"', STEP.replace("0.1", "1.0")), "recipe.base: step.gamma: must be less than 1, got 1.0"),
    (('schedule = "constant"', STEP.replace("0.1", "0.0")), "recipe.base: step.gamma: must be greater than 0, got 0.0"),
    (('schedule = "constant"', STEP.replace(", gamma = 0.1", "")), "recipe.base: step.gamma: missing required field"),
    (('schedule = "constant"', STEP.replace("gamma", "gama")), "recipe.base: step.gama: unknown key"),
    (('validation = "test"', 'validation = "none"\nearly_stopping = { monitor = "val_loss", patience = 2, '
                             'restore_best = true }'),
     "recipe.base: early_stopping: monitors 'val_loss', which needs validation = 'holdout' or 'test'"),
    (("epochs = 50", "epochs = 0"), "recipe.base: epochs: must be greater than or equal to 1, got 0"),
    (("epochs = 50", "epochs = 50\nsteps_per_epoch = 100_000_000_000_000_000_000"),  # overflowed the cost estimate
     "recipe.base: steps_per_epoch: must be less than or equal to 1000000, got 100000000000000000000"),
    (("epochs = 50", "epochs = 1_000_001"), "recipe.base: epochs: must be less than or equal to 1000000, got 1000001"),
    (("batch_size = 32", "batch_size = 10_000_000"), "recipe.base: batch_size: must be less than or equal to 1000000"),
    (("epochs = 50", "epochs = 50\nval_size = 10_000_000"), "recipe.base: val_size: must be less than or equal to"),
    (("lr = 1e-3", "lr = nan"), "recipe.base: lr: must be a finite number, got nan"),
    (('optimizer = "adam"\n', ""), "recipe.base: optimizer: missing required field"),
    (('optimizer = "adam"', 'optimizer = "sgd"\nnesterov = true'),  # torch's SGD refused it once a run had started
     "recipe.base: nesterov: needs momentum > 0 (torch's SGD refuses Nesterov without momentum)"),
    (('lr = 1e-3', 'lr = 1e-3\nnesterov = true\nmomentum = 0.9'),  # Adam ignored both
     "recipe.base: momentum: needs optimizer = 'sgd' (only SGD takes a momentum), got 'adam'"),
    (('lr = 1e-3', 'lr = 1e-3\nnesterov = true'), "recipe.base: nesterov: needs optimizer = 'sgd' (only SGD takes "
                                                  "Nesterov momentum), got 'adam'"),
    (('lr = 1e-3', 'lr = 1e-3\nmomentum = 0.9'),  # Adam ignored it
     "recipe.base: momentum: needs optimizer = 'sgd' (only SGD takes a momentum), got 'adam'"),
])
def test_recipes_are_checked(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert expected in first_line(tmp_path, RECIPES.replace(*change) + training_claim("mnist"))


@pytest.mark.parametrize(("change", "expected"), [
    (('split = "test"', 'split = "val"'),
     "accuracy/baseline/test: split: 'val' needs a recipe that validates (validation = 'holdout' or 'test')"),
    (('statistic = "final"', 'statistic = "max"', 'split = "test"', 'split = "train"'),
     "statistic: must be one of final, best_epoch for split 'train' (evaluated once, after training), got 'max'"),
    (('statistic = "final"', 'statistic = "cumulative_mean"', 'kind = "accuracy"', 'kind = "precision"'),
     "statistic: must be one of final, best_epoch, min_val_loss, pooled for kind 'precision', got 'cumulative_mean'"),
    (('statistic = "final"', 'statistic = "min_val_loss"'),
     "accuracy/baseline/test: statistic: 'min_val_loss' needs a recipe that validates (validation = 'holdout'"),
    (('statistic = "final"', 'statistic = "cumulative_mean"', 'split = "test"', 'split = "train_running"'),
     "statistic: 'cumulative_mean' reads per-epoch evaluations (split 'val' or 'test'), not 'train_running'"),
])
def test_a_training_claim_reads_what_its_run_gives(tmp_path: Path, change: tuple[str, ...], expected: str) -> None:
    body = ACCURACY_CLAIM
    for old, new in zip(change[::2], change[1::2]):
        body = body.replace(old, new)
    assert expected in first_line(tmp_path, body)


@pytest.mark.parametrize(("dataset", "mean", "std"), [
    ("fashion_mnist", "[0.2860, 0.2860, 0.2860]", "[0.3530, 0.3530, 0.3530]"), ("cifar10", "[0.4, 0.5]", "[0.2, 0.3]")])
def test_a_recipe_normalises_each_channel_of_its_claims_dataset(tmp_path: Path, dataset: str, mean: str,
                                                                 std: str) -> None:
    """Said when the ledger loads, naming the claim, its recipe and both counts, not at training as the cost
    estimate's ValueError; one value for all channels is torchvision's broadcast, and loads."""
    channels = vocab.CHANNELS[dataset]
    given = len(mean.split(","))
    body = RECIPES.replace("mean = [0.1307]", f"mean = {mean}").replace("std = [0.3081]", f"std = {std}")
    claim = training_claim("mnist").replace('dataset = "cifar10"', f'dataset = "{dataset}"')
    assert first_line(tmp_path, body + claim) == (
        f"tiny.toml:43: tiny/accuracy/baseline/test: recipe: recipe 'mnist' normalises by {given} mean(s) and std(s), "
        f"but {dataset} has {channels} channel(s): give {channels}, or one for all")
    (loaded,) = load_one(tmp_path / "one", RECIPES + claim)
    assert (loaded.dataset, loaded.recipe.mean) == (dataset, (0.1307,))


def test_a_claim_names_a_known_recipe(tmp_path: Path) -> None:
    assert "tiny/accuracy/baseline/test: recipe: unknown recipe 'mnst'" in first_line(
        tmp_path, RECIPES + training_claim("mnst"))


def test_a_v1_file_is_one_line_saying_how_to_migrate(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOOD_CLAIM)
    path = tmp_path / "tiny.toml"
    path.write_text(path.read_text().replace("format = 2\n", ""))
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(tmp_path)
    assert str(error.value) == f"tiny.toml: (file): format: {ledger.MIGRATE}"
    assert "`claimbench schema`, which ships with claimbench" in ledger.MIGRATE, "the format's document does not"


@pytest.mark.parametrize("text", ["", "# nothing yet\n"], ids=["0-bytes", "comments-only"])
def test_an_empty_file_is_said_to_be_empty_not_a_v1_ledger(tmp_path: Path, text: str) -> None:
    (tmp_path / "tiny.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(tmp_path)
    assert str(error.value) == ("tiny.toml: (file): (read): the file is empty (no TOML key in it): draft a ledger into "
                                "it with `claimbench draft REPORT.md -o FILE`, or delete it")


def test_a_byte_order_mark_is_read_away(tmp_path: Path) -> None:
    """As a report's is: editors on Windows write one."""
    path = write_ledger(tmp_path, GOOD_CLAIM) / "tiny.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [claim.id for claim in ledger.load(path)] == ["tiny/params/baseline"]


@pytest.mark.parametrize("make", ["directory", "dangling_symlink"])
def test_a_toml_name_that_is_no_file_is_a_ledger_error(tmp_path: Path, make: str) -> None:
    write_ledger(tmp_path, GOOD_CLAIM)
    odd = tmp_path / "odd.toml"
    odd.mkdir() if make == "directory" else odd.symlink_to(tmp_path / "missing")
    with pytest.raises(ledger.LedgerError, match=r"^odd.toml: \(file\): \(read\): cannot read the file"):
        ledger.load(tmp_path)


@pytest.mark.parametrize(("name", "expected"), [
    ("sub/old.toml", "ledger files must lie directly in {folder} (a subfolder is not read): move it up"),
    ("old.TOML", "ledger files end in .toml, in lower case (old.TOML is not read): rename it to old.toml"),
    ("my ledger [v2].toml", "a ledger file's name begins its claims' ids, and pytest refuses a '[' or ']' there "
                            "(my ledger [v2].toml): rename it without them"),
    ("v2].toml", "a ledger file's name begins its claims' ids, and pytest refuses a '[' or ']' there (v2].toml): "
                 "rename it without them"),
], ids=["subfolder", "upper-case", "brackets", "closing-bracket"])
def test_a_ledger_file_no_run_would_read_is_refused_by_name(tmp_path: Path, name: str, expected: str) -> None:
    """A ledger file in a subfolder of the ledger's, or ending in .TOML, is read by no run: its claims would leave
    the report unsaid. One whose name holds a '[' or ']' was read, and its claims' ids were node ids pytest refuses
    pasted back ("path cannot contain [] parametrization") and badge file names."""
    folder = write_ledger(tmp_path / "claims", GOOD_CLAIM)
    (folder / name).parent.mkdir(exist_ok=True)
    (folder / name).write_text(HEADER + GOOD_CLAIM, encoding="utf-8")
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(folder)
    assert str(error.value) == (f"{folder / name}: (file): (path): {expected.format(folder=folder)}, or rename it so "
                                "it does not end in .toml")


def test_a_ledger_file_given_alone_whose_name_holds_a_bracket_is_refused_by_name(tmp_path: Path) -> None:
    """Its claims' ids begin with its name, as a folder's files' do."""
    file = tmp_path / "my ledger [v2].toml"
    file.write_text(HEADER + GOOD_CLAIM, encoding="utf-8")
    with pytest.raises(ledger.LedgerError, match=r"my ledger \[v2\]\.toml: \(file\): \(path\): a ledger file's name"):
        ledger.load(file)


def test_a_ledger_copy_in_a_hidden_folder_is_left_alone(tmp_path: Path) -> None:
    """An editor's copy in a hidden folder (Jupyter's ``.ipynb_checkpoints/x-checkpoint.toml``) is no ledger file:
    pytest does not look into such a folder either."""
    folder = write_ledger(tmp_path / "claims", GOOD_CLAIM)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "tiny-checkpoint.toml").write_text(HEADER + GOOD_CLAIM, encoding="utf-8")
    assert ledger.files(folder) == [folder / "tiny.toml"]


def test_the_shipped_json_schema_is_current() -> None:
    """``reference/ledger.schema.json`` is ``schema.json_schema()``; CLAIMBENCH_REGENERATE=1 rewrites it."""
    path = REFERENCE / "ledger.schema.json"
    generated = schema.json_text()
    if os.environ.get("CLAIMBENCH_REGENERATE") == "1":
        atomic.write_text(path, generated)
    assert path.read_text(encoding="utf-8") == generated, "stale: rerun with CLAIMBENCH_REGENERATE=1"


def _descriptions(node: object) -> list[str]:
    """Every description in a JSON Schema, however deep."""
    if isinstance(node, dict):
        return [*([node["description"]] if "description" in node else []), *(d for v in node.values()
                                                                            for d in _descriptions(v))]
    return [d for v in node for d in _descriptions(v)] if isinstance(node, list) else []


@pytest.mark.parametrize(("kind", "key", "values"), [
    ("params", "count", vocab.PARAM_COUNTS), ("macs", "count", vocab.MAC_COUNTS), ("size", "size", vocab.SIZES),
    ("layer", "layout", vocab.LAYOUTS)])
def test_the_json_schema_says_what_each_convention_counts(kind: str, key: str, values: tuple[str, ...]) -> None:
    """An editor showed "The counting convention of a parameter or MAC count." beside ``count``: which of pure,
    torchinfo and flops a table's MACs are, or which bytes parameter_bytes counts, was written nowhere an author
    filling a ledger reads. Each claim kind's key now describes every value it takes, and any table's key all."""
    described = schema.CLAIM_MODELS[kind].model_json_schema()["properties"][key]["description"]
    words = {**vocab.PLAIN_WORDS, **vocab.CONVENTION_WORDS}
    assert all(f"{value}: {words[value]}" in described for value in values)
    shipped = "\n".join(_descriptions(json.loads((REFERENCE / "ledger.schema.json").read_text("utf-8"))))
    assert all(f"{value}: {words[value]}" in shipped for value in values)


@pytest.mark.parametrize("path", [*sorted(REFERENCE.glob("*.toml")),
                                  *(REFERENCE.parent / "examples").rglob("claims/*.toml")],
                         ids=lambda path: path.name)
def test_an_editor_checking_a_ledger_with_the_json_schema_accepts_what_the_loader_does(path: Path) -> None:
    checker = jsonschema.Draft202012Validator(json.loads((REFERENCE / "ledger.schema.json").read_text("utf-8")))
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [error.message for error in checker.iter_errors(document)] == []
    document["claim"][0]["cuont"] = "trainable"
    assert [error.validator for error in checker.iter_errors(document)] == ["anyOf"], "a mistyped key is not taken"
    document["claim"][0].pop("cuont")
    document["recipe"] = {"Fashion": {}}
    assert [error.validator for error in checker.iter_errors(document)] == ["additionalProperties"], "nor a bad name"


def test_the_ledger_folders_readme_counts_each_files_claims() -> None:
    readme = (REFERENCE / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"(?m)^\| `(\w+)\.toml` \|.*\| (\d+) \|$", readme))
    counted = Counter(claim.report for claim in ledger.load(REFERENCE))
    assert {slug: int(n) for slug, n in listed.items()} == dict(counted)


def test_the_readmes_claim_on_a_dataset_claimbench_does_not_load_loads(tmp_path: Path) -> None:
    """The README's example of a claim on ImageNet or a private set is a whole claim: the loader takes it as it is."""
    readme = (REFERENCE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("- **A dataset claimbench does not load**", 1)[1].split("\n- **", 1)[0]
    example = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert example, "the README shows no such claim"
    (tmp_path / "mine.toml").write_text(HEADER + textwrap.dedent(example[1]), encoding="utf-8")
    (claim,) = ledger.load(tmp_path)
    assert (claim.dataset, claim.status, claim.recipe) == ("private", "unverifiable", None)


@pytest.mark.parametrize(("text", "expected"), [
    ("format = 2\nx = " + "9" * 5000 + "\n", "big.toml: (file): (syntax): a value Python cannot read: "),
    ("format = 2\nx = " + "[" * 2000 + "]" * 2000 + "\n", "big.toml: (file): (syntax): nested too deep"),
], ids=["a-5000-digit-integer", "arrays-2000-deep"])
def test_a_file_python_cannot_read_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "big.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(tmp_path / "big.toml")
    assert str(error.value).startswith(expected) and "\n" not in str(error.value)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "byte-order-mark"])
def test_a_byte_that_is_not_utf8_is_said_at_its_line(tmp_path: Path, bom: bytes) -> None:
    """A Latin-1 ``é`` in the title: the line it is on, as every other problem with a place in the file."""
    text = (HEADER + GOOD_CLAIM).replace('"Tiny"', '"Tiny r\xe9sum\xe9"')
    (tmp_path / "tiny.toml").write_bytes(bom + text.encode("latin-1"))
    with pytest.raises(ledger.LedgerError) as error:
        ledger.load(tmp_path)
    assert str(error.value).startswith("tiny.toml:3: (file): (encoding): not UTF-8: ") and "\n" not in str(error.value)
