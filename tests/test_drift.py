"""A ledger out of date with its report's file: its claims are errors, never checks of a number nobody prints."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from claimbench import drift, ledger

pytest_plugins = ["pytester"]

AUTHOR = Path(__file__).resolve().parent.parent / "examples" / "author-repo"
README = (AUTHOR / "README.md").read_text(encoding="utf-8")
SMALL_PARAMS = "author/params/model_sizes/smallcnn/parameters"


@pytest.fixture(scope="module")
def author() -> ledger.Report:
    return ledger.load_reports(AUTHOR / "claims")[0]


def test_a_ledger_that_copies_its_readme_is_current(author: ledger.Report) -> None:
    assert drift.source_file(author, [AUTHOR / "claims", AUTHOR]) == AUTHOR / "README.md"
    assert drift.stale(author, README, "README.md") == {}


def test_a_number_the_readme_no_longer_prints_makes_its_claim_stale(author: ledger.Report) -> None:
    reasons = drift.stale(author, README.replace("20,940", "1,500"), "README.md")
    assert reasons == {SMALL_PARAMS: "the ledger is out of date: README.md now prints '1,500' in table 'Model sizes', "
                                     "row 'SmallCNN', column 'Parameters', where the ledger copies '20,940'; update "
                                     "the ledger"}


def test_a_claim_of_the_text_is_stale_when_the_readme_no_longer_prints_its_words(author: ledger.Report) -> None:
    prose = dataclasses.replace(author.claims[0], id="author/params/text/total", cell=None, printed="under 25K")
    report = dataclasses.replace(author, claims=(prose,))
    wrapped = README + "\nBoth models stay\nunder\n**25K** parameters.\n"
    assert drift.stale(report, wrapped, "README.md") == {}, "a sentence may wrap anywhere, its markup gone"
    stale = {"author/params/text/total": "the ledger is out of date: README.md no longer prints 'under 25K' "
                                         "anywhere; update the ledger"}
    assert drift.stale(report, wrapped.replace("25K", "5K"), "README.md") == stale
    assert drift.stale(report, wrapped.replace("25K", "25K5"), "README.md") == stale, "a number is whole"
    count = dataclasses.replace(prose, id="author/params/text/count", printed="3,217")
    for text, stale_ids in (("It has 3,217 parameters.", []), ("It has 3,217,000 parameters.", [count.id]),
                            ("It has 23,217 parameters.", [count.id]), ("It has 3,217.5 parameters.", [count.id])):
        assert list(drift.stale(dataclasses.replace(author, claims=(count,)), README + text, "README.md")) == stale_ids


def _in_model_sizes(sentences: str) -> str:
    """The author's README with ``sentences`` under its heading "Model sizes"."""
    return README.replace("## Model sizes\n", f"## Model sizes\n\n{sentences}\n", 1)


def test_a_stale_claim_of_the_text_names_the_number_its_section_now_prints(author: ledger.Report) -> None:
    """"README.md no longer prints '9,089' anywhere" left the author to find what their README prints instead: where
    the section the claim's source names prints one number of the claim's kind and shape that no other claim of the
    text prints, the line names it; where it prints none or several, the line stays as it was."""
    prose = dataclasses.replace(author.claims[0], id="author/params/text/sizes", cell=None, printed="9,089",
                                value=9089, source="README.md, section 'Model sizes'")
    report = dataclasses.replace(author, claims=(prose,))
    lines = {text: drift.stale(report, _in_model_sizes(text), "README.md")[prose.id] for text in (
        "TinyCNN has just 9,098 trainable parameters, so it fits.",
        "TinyCNN has just 9,098 parameters. SmallCNN has 20,941 parameters.",
        "TinyCNN has 9.1K parameters.", "TinyCNN needs 9,098 MACs.", "TinyCNN is small.")}
    plain = "the ledger is out of date: README.md no longer prints '9,089' anywhere; update the ledger"
    assert list(lines.values()) == [
        "the ledger is out of date: README.md no longer prints '9,089' anywhere (its sentence in section 'Model "
        "sizes' now prints '9,098'); update the ledger", plain, plain, plain, plain]
    other = dataclasses.replace(prose, id="author/params/text/small", printed="20,941", value=20941)
    pair = drift.stale(dataclasses.replace(author, claims=(prose, other)), _in_model_sizes(
        "TinyCNN has just 9,098 parameters. SmallCNN has 20,941 parameters."), "README.md")
    assert pair == {prose.id: lines["TinyCNN has just 9,098 trainable parameters, so it fits."]}, (
        "a number another claim prints is that claim's")
    unsectioned = dataclasses.replace(report, claims=(dataclasses.replace(prose, source="README.md"),))
    assert drift.stale(unsectioned, _in_model_sizes("TinyCNN has 9,098 parameters."), "README.md") == {
        prose.id: plain}


def test_a_claim_of_an_html_table_is_current_while_the_table_prints_it(author: ledger.Report) -> None:
    """draft reads no HTML table as a table: its numbers' claims are written by hand, with no cell, and were all
    "out of date" though the README printed them."""
    hand = dataclasses.replace(author.claims[0], id="author/params/html/resnet18", cell=None, printed="11.69")
    report = dataclasses.replace(author, claims=(hand,))
    table = ("\n<table>\n<tr><th>Model</th><th>Params (M)</th></tr>\n<tr><td>ResNet-18</td><td>11.69</td></tr>\n"
             "</table>\n")
    assert drift.stale(report, README + table, "README.md") == {}
    assert list(drift.stale(report, README + table.replace("11.69", "11.7"), "README.md")) == [hand.id]
    assert drift.stale(report, README + table.replace("11.69", "<b>11</b>.69"), "README.md") == {}


def test_a_claim_of_a_plain_html_table_cell_is_current_while_the_cell_prints_it(author: ledger.Report) -> None:
    """draft reads a plain HTML table as a table, its claims with cells: the check reads the same cells."""
    table = dataclasses.replace(author.tables[0], id="html", columns=("Model", "Params (M)"),
                                rows=(("ResNet-18", "<b>11.69</b>"),))
    cell = dataclasses.replace(author.claims[0], id="author/params/html/resnet18", cell=("html", "ResNet-18",
                                                                                        "Params (M)"),
                               printed="<b>11.69</b>")
    report = dataclasses.replace(author, tables=(table,), claims=(cell,))
    html = ("\n<table>\n<tr><th>Model</th><th>Params (M)</th></tr>\n<tr><td>ResNet-18</td><td><b>11.69</b></td>"
            "</tr>\n</table>\n")
    assert drift.stale(report, README + html, "README.md") == {}
    assert drift.stale(report, README + html.replace("11.69", "11.7"), "README.md") == {cell.id: (
        "the ledger is out of date: README.md now prints '<b>11.7</b>' in table 'Model sizes', row 'ResNet-18', "
        "column 'Params (M)', where the ledger copies '<b>11.69</b>'; update the ledger")}


@pytest.mark.parametrize(("header", "columns"), [
    ("<tr><td>Model</td><td>Params (M)</td></tr>", ("Model", "Params (M)")),
    ("<tr><td></td><th>Params (M)</th></tr>", ("", "Params (M)")),
])
def test_a_claim_of_an_html_table_cell_under_a_header_row_of_td_cells_is_current_while_the_cell_prints_it(
        author: ledger.Report, header: str, columns: tuple[str, ...]) -> None:
    """A header row of ``<td>`` cells that print no digit, or of ``<th>``s beside an empty corner cell: the table
    was not read, so a claim naming its cell was out of date though the README printed it."""
    table = dataclasses.replace(author.tables[0], id="html", columns=columns, rows=(("ResNet-18", "11.69"),))
    cell = dataclasses.replace(author.claims[0], id="author/params/html/resnet18",
                               cell=("html", "ResNet-18", "Params (M)"), printed="11.69")
    report = dataclasses.replace(author, tables=(table,), claims=(cell,))
    html = f"\n<table>\n{header}\n<tr><td>ResNet-18</td><td>11.69</td></tr>\n</table>\n"
    assert drift.stale(report, README + html, "README.md") == {}
    assert list(drift.stale(report, README + html.replace("11.69", "11.7"), "README.md")) == [cell.id]


def test_a_claim_drafted_from_a_code_block_is_current_while_the_block_prints_it(author: ledger.Report) -> None:
    """draft drafts a model summary's total from a code block; the check reads the code blocks it drafts from."""
    total = dataclasses.replace(author.claims[0], id="author/params/code/model", cell=None, printed="225,034")
    report = dataclasses.replace(author, claims=(total,))
    summary = "\n```\nModel: \"sequential\"\n Total params: 225,034 (879.04 KB)\n```\n"
    assert drift.stale(report, README + summary, "README.md") == {}
    assert list(drift.stale(report, README + summary.replace("225,034", "225,035"), "README.md")) == [total.id]
    indented = "\nThe summary:\n\n     Total params: 225,034\n"  # an indented code block is one too
    assert drift.stale(report, README + indented, "README.md") == {}


@pytest.mark.parametrize("edit", [("| SmallCNN |", "| SmallerCNN |"), ("| Parameters |", "| Params |"),
                                  ("## Model sizes", "")])
def test_a_row_or_table_the_readme_no_longer_has_makes_its_claims_stale(author: ledger.Report,
                                                                        edit: tuple[str, str]) -> None:
    reasons = drift.stale(author, README.replace(*edit), "README.md")
    if edit[0] == "## Model sizes":  # a table's title is the ledger's own words: its cells still match
        assert reasons == {}
    else:
        assert SMALL_PARAMS in reasons and "README.md no longer prints table 'Model sizes'" in reasons[SMALL_PARAMS]


def test_a_report_known_by_url_or_not_here_is_not_read(author: ledger.Report, tmp_path: Path) -> None:
    assert drift.source_file(author, [tmp_path]) is None
    (tmp_path / "secret.md").write_text("| Model | Params |\n|---|---|\n| A | SECRET |\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    for outside in ("../secret.md", str(tmp_path / "secret.md")):  # a ledger does not read the reviewer's files
        assert drift.source_file(ledger.Report(**{**vars(author), "source": outside}), [tmp_path / "project"]) is None
    for source in ("https://example.org/README.md", "002_report.txt"):
        report = ledger.Report(**{**vars(author), "source": source})
        assert drift.source_file(report, [AUTHOR]) is None


def test_the_plugin_makes_a_stale_claim_an_error_and_measures_the_others(pytester: pytest.Pytester) -> None:
    shutil.copytree(AUTHOR, pytester.path, dirs_exist_ok=True)
    readme = pytester.path / "README.md"
    readme.write_text(README.replace("20,940", "1,500"), encoding="utf-8")
    result = pytester.runpytest_subprocess("-m", "params or macs", "--claims-json=out.json")
    result.stdout.fnmatch_lines(["error: the ledger is out of date: README.md now prints '1,500'*",
                                 f"ERROR claims/author.toml::{SMALL_PARAMS}*"])
    records = {r["id"]: r for r in json.loads((pytester.path / "out.json").read_text(encoding="utf-8"))["claims"]}
    assert records[SMALL_PARAMS]["verdict"] == "error" and records[SMALL_PARAMS]["measured"] is None
    assert records["author/params/model_sizes/tinycnn/parameters"]["verdict"] == "reproduced"


def test_a_reviewer_checking_from_another_folder_reads_the_readme_above_the_ledger(pytester: pytest.Pytester) -> None:
    """``claimbench init`` leaves the README beside the ledger's folder, which a reviewer names from elsewhere."""
    theirs = pytester.path / "theirs"
    shutil.copytree(AUTHOR, theirs)
    (theirs / "README.md").write_text(README.replace("20,940", "1,500"), encoding="utf-8")
    (pytester.path / "mine").mkdir()
    (pytester.path / "mine" / "README.md").write_text("# The reviewer's own project\n", encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "claimbench.collect_ledger", f"--claims-dir={theirs / 'claims'}",
                                           "-o", f"pythonpath={theirs}", "-m", "params or macs",
                                           "-p", "no:cacheprovider", "--rootdir", str(pytester.path / "mine"))
    result.stdout.fnmatch_lines(["error: the ledger is out of date: README.md now prints '1,500'*"])
    result.assert_outcomes(passed=3, deselected=1, errors=1)  # only the edited cell: the reviewer's README is not read


def test_a_partial_run_keeps_no_record_of_a_cell_the_readme_changed_since(pytester: pytest.Pytester) -> None:
    """The README's number changed after a full run; a run of other claims must not carry the old ✅ over."""
    shutil.copytree(AUTHOR, pytester.path, dirs_exist_ok=True)
    pytester.runpytest_subprocess("-m", "params or macs", "--claims-json=out.json")
    (pytester.path / "README.md").write_text(README.replace("20,940", "1,500"), encoding="utf-8")
    pytester.runpytest_subprocess("-m", "macs", "--claims-json=out.json")
    records = {r["id"]: r for r in json.loads((pytester.path / "out.json").read_text(encoding="utf-8"))["claims"]}
    assert records[SMALL_PARAMS]["verdict"] == "error" and "out of date" in records[SMALL_PARAMS]["reason"]
    assert records["author/params/model_sizes/tinycnn/parameters"].get("carried"), "an unchanged cell is kept"


def test_a_readme_printing_the_cell_again_brings_back_the_record_the_error_hid(pytester: pytest.Pytester) -> None:
    """Drift is the README's state, not a measurement: fixed, it leaves no error behind, and loses no record."""
    shutil.copytree(AUTHOR, pytester.path, dirs_exist_ok=True)

    def record_after(readme: str, *args: str) -> dict:
        (pytester.path / "README.md").write_text(readme, encoding="utf-8")
        pytester.runpytest_subprocess(*args, "--claims-json=out.json")
        records = json.loads((pytester.path / "out.json").read_text(encoding="utf-8"))["claims"]
        return next(r for r in records if r["id"] == SMALL_PARAMS)

    measured = record_after(README, "-m", "params")
    assert measured["verdict"] == "refuted"  # the example's wrong number
    stale = record_after(README.replace("20,940", "1,500"), "-m", "macs")
    assert (stale["verdict"], stale["stale"], stale["hidden"]) == ("error", True, measured)
    again = record_after(README, "-m", "macs")
    assert again == {**measured, "carried": True}
    (pytester.path / "out.json").unlink()
    record_after(README.replace("20,940", "1,500"), "-m", "macs")  # stale with no record to hide
    assert record_after(README, "-m", "macs")["verdict"] == "not run", "a drift error is never carried"


def test_a_readme_source_that_is_not_there_is_a_warning(pytester: pytest.Pytester) -> None:
    """A mistyped ``source`` would otherwise turn the comparison off in silence."""
    shutil.copytree(AUTHOR, pytester.path, dirs_exist_ok=True)
    ledger_file = pytester.path / "claims" / "author.toml"
    ledger_file.write_text(ledger_file.read_text(encoding="utf-8").replace('source = "README.md"',
                                                                             'source = "READM.md"', 1))
    result = pytester.runpytest_subprocess("-m", "params", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["claims/author.toml:8",
                                 "*ClaimbenchWarning: [[]report] source 'READM.md' is in none of *: its claims are "
                                 "not compared with what it prints now"])
    result.assert_outcomes(passed=1, failed=1, deselected=3, warnings=1)
    parallel = pytester.runpytest_subprocess("-m", "params", "-p", "no:cacheprovider", "-n", "2")
    parallel.assert_outcomes(passed=1, failed=1, warnings=1)  # said by the controller, not by every worker too
    strict = pytester.runpytest_subprocess("-m", "params", "-p", "no:cacheprovider", "-W", "error")
    assert strict.ret == pytest.ExitCode.USAGE_ERROR and "INTERNALERROR" not in strict.stdout.str()
    strict.stderr.fnmatch_lines(["ERROR: *claims/author.toml:8: [[]report] source 'READM.md' is in none of *"])



def test_a_readme_saved_as_utf16_with_its_byte_order_mark_is_current(pytester: pytest.Pytester) -> None:
    """PowerShell 5's ``>`` writes UTF-16 with a byte order mark: the README is read by it, as draft reads it."""
    shutil.copytree(AUTHOR, pytester.path, dirs_exist_ok=True)
    (pytester.path / "README.md").write_bytes(README.replace("\n", "\r\n").encode("utf-16"))
    result = pytester.runpytest_subprocess("-m", "params or macs")
    result.assert_outcomes(passed=3, failed=1, deselected=1)  # the example's one typo, refuted: no error
    assert "out of date" not in result.stdout.str()


def test_a_readme_that_is_not_utf8_is_an_error_at_its_line_not_a_ledger_out_of_date(
        pytester: pytest.Pytester) -> None:
    """A README re-saved as cp1252 still prints every cell: its claims are errors that say to save it as UTF-8, at
    the line of its first byte that is not, never "the ledger is out of date"."""
    shutil.copytree(AUTHOR, pytester.path, dirs_exist_ok=True)
    (pytester.path / "README.md").write_bytes(README.replace("Two small", "Two caf\xe9 small").encode("cp1252"))
    result = pytester.runpytest_subprocess("-m", "params or macs")
    result.stdout.fnmatch_lines([f"error: {pytester.path / 'README.md'}:3: not UTF-8 (byte 0xe9: invalid continuation "
                                 "byte): save it as UTF-8"])
    assert "out of date" not in result.stdout.str()
    result.assert_outcomes(errors=4, deselected=1)
