"""The renderer on plain records: markdown, JSON, badges, plots and the README block, no pytest run."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import signal
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from claimbench import (badges, carry_over, model_code, plots, readme_markers, registry, report, results,
                        value_text, verdict, vocab)
from claimbench.errors import ClaimbenchWarning
from claimbench.ledger import Claim, Recipe, Report, Table, Tolerance
from claimbench.verdict import Measurement, meets

RECIPE = Recipe(optimizer="sgd", lr=0.1, batch_size=128, epochs=1, schedule="constant", validation="none",
                normalize="unit")
TABLE = Table(
    id="results",
    title="Results | all runs",
    columns=("Model", "Params", "Accuracy", "Notes"),
    rows=(("small", "1,000", "80.5%", "a|b"), ("big", "20,000", "90.1%", "bold"), ("plain", "5", "n/a", "")),
)
OTHER_TABLE = Table(id="extra", title="Unselected table", columns=("Model", "Size"), rows=(("small", "0.49 MB"),))
ENVIRONMENT = {"claimbench": "0.1.0 (claimbench @ abc123)", "ledger": "demo @ def456", "torch": "2.x",
               "torchvision": "0.x", "date": "2026-11-30"}


DEMO_CODE = "the demo models' code"
"""The code digest of the demo models, which no module registers."""


def _demo_code(reference: str) -> str:
    """``model_code.digest`` of the demo models."""
    return DEMO_CODE


DEMO_MODELS = ("demo.small", "demo.big")
"""The models of the demo claims."""


def _demo_model() -> None:
    """The demo models' builder: resolved, as a claim's model is before its code is read, never called."""


@pytest.fixture(autouse=True)
def _demo_models_have_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo models resolve, and their code reads the same as when their records were measured."""
    monkeypatch.setattr(registry, "_BUILDERS", {**registry._BUILDERS, **dict.fromkeys(DEMO_MODELS, _demo_model)})
    monkeypatch.setattr(model_code, "digest", _demo_code)


def _claim(local: str, kind: str, value: Any, printed: str, cell: tuple[str, str, str] | None, **fields: Any) -> Claim:
    return Claim(id=f"demo/{local}", report="demo", kind=kind, value=value, printed=printed, source="demo.txt",
                 file="demo.toml", cell=cell, **{"tolerance": Tolerance(), **fields})


CLAIMS = (
    _claim("params/small", "params", 1000, "1,000", ("results", "small", "Params"), model="demo.small",
           count="trainable"),
    _claim("params/big", "params", 20000, "20,000", ("results", "big", "Params"), model="demo.big", count="trainable"),
    _claim("accuracy/small", "accuracy", 80.5, "80.5%", ("results", "small", "Accuracy"), model="demo.small",
           dataset="cifar10", split="test", statistic="final", recipe=RECIPE, scale=0.01),
    _claim("accuracy/big", "accuracy", 90.1, "90.1%", ("results", "big", "Accuracy"), model="demo.big",
           dataset="cifar10", split="test", statistic="final", recipe=RECIPE, scale=0.01, tolerance=Tolerance(abs=1)),
    _claim("size/small", "size", 0.49, "0.49 MB", ("extra", "small", "Size"), model="demo.small",
           size="checkpoint_weights", input=(3, 32, 32)),
    _claim("params/prose", "params", 5, "5", None, model="demo.small", count="tensors", expect="refuted",
           why="counted twice"),
)
DEMO = Report(slug="demo", title="Demo report", source="demo.txt", origin="nowhere", tables=(TABLE, OTHER_TABLE),
              claims=CLAIMS)
EMPTY = Report(slug="empty", title="Empty report", source=None, origin="nowhere", tables=(), claims=())
REPORTS = [EMPTY, DEMO]


def _record(claim: Claim, verdict: str, measured: Any, reason: str = "", **fields: Any) -> dict[str, Any]:
    """The plain record ``results.record_for`` would give, with a chosen verdict."""
    shown = None if measured is None else measured / claim.scale
    return {"id": claim.id, "report": claim.report, "kind": claim.kind, "model": claim.model, "claimed": claim.value,
            "interval": None, "printed": claim.printed, "scale": claim.scale, "source": claim.source,
            "cell": list(claim.cell) if claim.cell else None, "measured": measured, "shown": shown,
            "delta": None if shown is None else shown - claim.value,
            "band": None if shown is None else [claim.value, claim.value], "tolerance": "exact",
            "direction": "", "counters": {}, "seeds": [], "spread": None, "device": "meta",
            "unverified_data": False, "verdict": verdict, "reason": reason, "note": None, "date": "2026-11-30",
            "duration": 0.1, "claim_digest": results.claim_digest(claim),
            "model_digest": DEMO_CODE if claim.model else None, **fields}


def _records() -> list[dict[str, Any]]:
    small, big, acc_small, acc_big, _, prose = CLAIMS
    return [
        _record(small, "reproduced", 1000),
        _record(big, "refuted", 21234, "off | by a lot"),
        _record(acc_small, "not run", None, "needs CUDA"),
        _record(acc_big, "reproduced", 0.903, band=[89.1, 91.1], unverified_data=True, device="CPU"),
        _record(prose, "known error", 6, "counted twice"),
    ]


def _cells(markdown: str, label: str) -> list[str]:
    line = next(line for line in markdown.splitlines() if line.startswith(f"| {label} "))
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


@pytest.mark.parametrize(("value", "printed", "scale", "text"), [
    (1234567.0, "**1,000**", 1.0, "1,234,567"),
    (1234567.0, "1000", 1.0, "1234567"),  # the report groups no thousands: neither does the measurement
    (62006, "10", 1.0, "62,006"),  # "10" does not show whether the report groups them: grouped, as everywhere else
    (6956298.0, "**722**", 1.0, "6,956,298"),
    (0.4912, "0.49 MB", 1.024e6, "0.49 MB"),
    (53.014, "53.01%", 0.01, "53.01%"),
    (1.1249, "1.12s", 1.0, "1.12s"),
    (61.0, "a little over 60%", 0.01, "61%"),
    (2.5, "n/a", 1.0, "2.5"),
    ([16, 16, 32], "(16, 16, 32)", 1.0, "(16, 16, 32)"),
    ([10], "(10,1)", 1.0, "(10,)"),
    (None, "1,000", 1.0, "—"),
    (67.704, "67.7K", 1e3, "67.7K"),
    (67704.0, "<100K", 1.0, "67,704"),  # a bound is judged in units (below = 100_000): not 67,704K
    (81.0, "41 MFLOPs", 1e6, "81 MFLOPs"),  # a unit of any length numerals reads: not 81 (FLOPs)
    (11.74, "11.7 million", 1e6, "11.7 million"),
    (1.83, "1.82 GFLOPs", 1e9, "1.83 GFLOPs"),
    (1.31, "1.2M params", 1e6, "1.3M params"),
    (2.41, "2.3 pp", 1.0, "2.4 pp"),  # a short word numerals reads as no unit stays
    (11.74, "11.7 Million parameters", 1e6, "11.7 Million parameters"),  # a unit numerals reads, in any case
    (2.0, "2 Minutes", 60.0, "2 Minutes"),
    (2.94, "3 hours", 3600.0, "3 hours"),  # not "3": hours are a unit numerals reads
    (1.46, "1.5 Hours", 3600.0, "1.5 Hours"),
    (67704.0, "<100 Thousand", 1.0, "67,704"),  # judged in units, as "<100K": not 67704 (Thousand)
])
def test_format_value_follows_the_printed_claim(value: Any, printed: str, scale: float, text: str) -> None:
    assert value_text.format_value(value, printed, scale) == text


@pytest.mark.parametrize(("delta", "shown", "claimed", "printed", "text"), [
    (0.0, 5.0, 5, "5", "0"),
    (1234.0, 2234.0, 1000, "1,000", "+1,234"),
    (61996, 62006, 10, "10", "+61,996"),  # not +61996 beside "10"
    (1234.0, 2234.0, 1000, "1000", "+1234"),
    (-0.5, 80.0, 80.5, "80.5%", "−0.5"),
    (0.001, 80.501, 80.5, "80.5%", "+0.001"),
    (None, [1, 2], [1, 2], "(1, 2)", "0"),
    (None, [1, 3], [1, 2], "(1, 2)", "≠"),
    (None, None, 5, "5", "—"),
])
def test_format_delta(delta: float | None, shown: Any, claimed: Any, printed: str, text: str) -> None:
    assert value_text.format_delta({"delta": delta, "shown": shown, "claimed": claimed, "printed": printed}) == text


HOSTILE = "Tiny <img src=x.png> <script>alert(1)</script> [verified](https://x.example) &amp; *this*"
"""A ledger's words that a renderer would show as HTML, a link and emphasis, were they written raw."""


def test_a_ledgers_words_reach_the_report_and_readme_as_text_not_html() -> None:
    """Only ``|`` and line breaks were escaped: a title's or origin's ``<img>``, ``<script>`` and links reached
    REPORT.md and the README's summary raw, and a backtick in ``source`` ended its code span. Titles, headings and
    origins now read as written (``_list_item``'s escapes, but for ``|``); ``source`` is a code span fenced by more
    backticks than it holds; the author's cells keep their markdown, but no HTML."""
    table = dataclasses.replace(TABLE, title=HOSTILE, columns=("Model", "Params", "Accuracy", "<b>Notes</b>"),
                                rows=(("small", "1,000", "80.5%", "<a href='x'>a</a> &amp; R&D"), *TABLE.rows[1:]))
    hostile = dataclasses.replace(DEMO, title=HOSTILE, origin=HOSTILE, source="a`b``.md", tables=(table,))
    markdown = report.render_markdown(_records(), [EMPTY, hostile], ENVIRONMENT)
    block = report.readme_block(_records(), [EMPTY, hostile], "README.md", None)
    escaped = ("Tiny \\<img src=x.png> \\<script>alert(1)\\</script> \\[verified\\](https://x.example) "
               "\\&amp; \\*this\\*")
    assert f"## {escaped}\n\n`demo` · source ```a`b``.md``` · {escaped}\n" in markdown
    assert f"### {escaped}\n" in markdown
    assert f"| {escaped} (`demo`) |" in markdown and f"| {escaped} (`demo`) |" in block
    assert _cells(markdown, "small")[3] == "\\<a href='x'>a\\</a> \\&amp; R&D"
    assert "| Model | Params | Accuracy | \\<b>Notes\\</b> |" in markdown
    assert not re.search(r"(?<!\\)<(?!br>)", markdown + block), "a raw tag other than our own <br>"


def test_each_claimed_cell_holds_claimed_measured_verdict_and_the_table_keeps_its_width() -> None:
    markdown = report.render_markdown(_records(), REPORTS, ENVIRONMENT)
    header = next(line for line in markdown.splitlines() if line.startswith("| Model "))
    assert [c.strip() for c in header.strip("|").split("|")] == ["Model", "Params", "Accuracy", "Notes"]
    assert _cells(markdown, "small") == ["small", "1,000 → 1,000 ✅", "80.5% ⚪ [1]", "a\\|b"]
    assert _cells(markdown, "big") == ["big", "20,000 → 21,234 ❌ +1,234 [2]", "90.1% → 90.3% ✅ ±1 ⚠️[3]", "bold"]
    assert _cells(markdown, "plain") == ["plain", "5", "n/a", ""]
    assert "### Results \\| all runs" not in markdown and "### Results | all runs" in markdown
    assert "1. needs CUDA\n2. off \\| by a lot\n3. measured on unverified data" in markdown


def test_a_report_rendered_again_from_its_json_is_the_same() -> None:
    """The JSON keeps the environment's keys sorted; the report lists them so too, so that `claimbench report`
    writes the REPORT.md of the run that wrote the JSON."""
    document = json.loads(report.render_json(_records(), ENVIRONMENT))
    assert list(document["environment"]) != list(ENVIRONMENT)
    assert report.render_markdown(document["claims"], REPORTS, document["environment"]) == report.render_markdown(
        _records(), REPORTS, ENVIRONMENT)


def test_a_reason_is_written_once_and_referred_to() -> None:
    small, big, acc_small, acc_big, _, prose = CLAIMS
    records = [_record(claim, "not run", None, "needs CUDA") for claim in (small, big, acc_small, acc_big)]
    markdown = report.render_markdown(records, REPORTS, ENVIRONMENT)
    assert markdown.count("needs CUDA") == 1
    assert _cells(markdown, "big") == ["big", "20,000 ⚪ [1]", "90.1% ⚪ [1]", "bold"]


def test_text_claims_and_reports_without_records() -> None:
    markdown = report.render_markdown(_records(), REPORTS, ENVIRONMENT)
    assert _cells(markdown, "`demo/params/prose`") == ["`demo/params/prose`", "5 → 6 🟡 +1 [4]"]
    assert "### Unselected table" not in markdown, "a table none of whose claims has a record is left out"
    assert "## Empty report\n\n`empty` · nowhere\n\nNo claim of this report has a record yet." in markdown
    assert "`demo` · source `demo.txt` · nowhere" in markdown
    assert markdown.index("## Demo report") < markdown.index("## Empty report")


def test_every_claim_of_the_ledger_gets_a_record_so_no_summary_leaves_one_out(tmp_path: Path) -> None:
    """A run limited by -m or -k hides no claim: those it did not select, with no earlier record, are not run."""
    written = report.write_all(_records(), REPORTS, ENVIRONMENT, markdown=tmp_path / "R.md", json=tmp_path / "c.json")
    records = {r["id"]: r for r in json.loads(written[1].read_text(encoding="utf-8"))["claims"]}
    unselected = records["demo/size/small"]
    assert len(records) == len(CLAIMS) and (unselected["verdict"], unselected["reason"]) == (
        "not run", results.NOT_SELECTED)
    markdown = written[0].read_text(encoding="utf-8")
    assert _cells(markdown.split("### Unselected table")[1], "small")[1].startswith("0.49 MB ⚪ ")
    assert "Not measured: 2 not run." in markdown
    rerun = [_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")]
    kept = {r["id"]: r for r in carry_over.carry_over(rerun, written[1], REPORTS, ENVIRONMENT)}
    assert "demo/size/small" not in kept, "a claim that was not selected is not an earlier record"


def test_two_claims_in_one_cell_share_it() -> None:
    twin = _claim("params/small_keras", "params", 1000, "1,000", ("results", "small", "Params"), model="demo.small",
                  count="keras")
    records = [*_records(), _record(twin, "refuted", 1100, "keras counts buffers")]
    cells = _cells(report.render_markdown(records, REPORTS, ENVIRONMENT), "small")
    assert cells[1] == "1,000 → 1,000 ✅<br>1,000 → 1,100 ❌ +100 [1]"


def test_an_interval_claim_shows_its_interval() -> None:
    small = CLAIMS[0]
    verbal = _record(small, "reproduced", 1234, printed="over 1,000", claimed=None, delta=None, interval=[1000, None],
                     band=[1000, None], cell=None, id="demo/params/verbal")
    markdown = report.render_markdown([verbal], REPORTS, ENVIRONMENT)
    assert _cells(markdown, "`demo/params/verbal`")[1] == "over 1,000 → 1,234 ✅ ≥ 1,000"  # 1.3e6 read 1.3e+06


def test_each_reports_claims_in_the_text_have_a_heading_of_their_own() -> None:
    """Two reports of one title each with a claim outside its tables: their headings differ, so each has its own
    anchor on GitHub (``#claims-in-the-text-of-demo``), not ``-1`` and ``-2`` suffixes."""
    twin = dataclasses.replace(DEMO, slug="twin")
    records = [_record(CLAIMS[0], "reproduced", 1234, cell=None, id=f"{slug}/params/verbal", report=slug)
               for slug in ("demo", "twin")]
    headings = [line for line in report.render_markdown(records, [DEMO, twin], ENVIRONMENT).splitlines()
                if line.startswith("### Claims in the text")]
    assert headings == ["### Claims in the text of `demo`", "### Claims in the text of `twin`"]


def test_a_claims_note_is_a_reference_of_its_cell() -> None:
    noted = _record(CLAIMS[0], "reproduced", 1000, note="configuration inferred from the count")
    markdown = report.render_markdown([noted], REPORTS, ENVIRONMENT)
    assert _cells(markdown, "small")[1] == "1,000 → 1,000 ✅ [1]"
    assert markdown.endswith("1. note: configuration inferred from the count\n")


def test_a_bounds_measurement_shows_the_digits_that_put_it_outside() -> None:
    shy = _record(CLAIMS[2], "refuted", 0.604, "measured above the interval", printed="just shy of 60%", claimed=None,
                  delta=None, interval=[57, 60], band=[57, 60], cell=None, id="demo/accuracy/shy")
    markdown = report.render_markdown([shy], REPORTS, ENVIRONMENT)
    assert _cells(markdown, "`demo/accuracy/shy`")[1] == "just shy of 60% → 60.4 ❌ ∈ [57, 60] [1]"


def test_an_interval_band_past_100_percent_shows_100() -> None:
    """"99.5-100%" with ±1: the band [98.5, 101] reads ∈ [98.5, 100], what an accuracy can be."""
    claim = dataclasses.replace(CLAIMS[2], value=None, interval=(99.5, 100.0), printed="99.5-100%", cell=None,
                                scale=1.0, tolerance=Tolerance(abs=1.0))
    record = results.record_for(claim, results.Outcome(measurement=Measurement(97.0).to_dict()), "2026-11-30")
    assert record["band"] == [98.5, 101.0], "the record keeps the band the verdict judged by"
    cell = _cells(report.render_markdown([record], REPORTS, ENVIRONMENT), "`demo/accuracy/small`")[1]
    assert cell.startswith("99.5-100% → 97.0 ❌ ∈ [98.5, 100]"), cell


@pytest.mark.parametrize(("interval", "printed", "measured", "cell"), [
    ((60, None), "over 60%", 0.5999996, "over 60% → 59.99996 ❌ ≥ 60"),  # 60 would read as on the bound
    ((None, 60), "<60%", 0.6000004, "<60% → 60.00004 ❌ ≤ 60"),
    ((60, None), "over 60%", 0.6000004, "over 60% → 60.00004 ✅ ≥ 60"),  # 60 would read as on the bound
])
def test_a_bounds_measurement_near_its_bound_reads_on_its_side(interval: tuple[float | None, float | None],
                                                               printed: str, measured: float, cell: str) -> None:
    claim = dataclasses.replace(CLAIMS[2], value=None, interval=interval, printed=printed, cell=None)
    record = results.record_for(claim, results.Outcome(measurement=Measurement(measured).to_dict()), "2026-11-30")
    markdown = report.render_markdown([record], REPORTS, ENVIRONMENT)
    assert re.sub(r"( \[\d+\])+$", "", _cells(markdown, "`demo/accuracy/small`")[1]) == cell


@pytest.mark.parametrize(("interval", "printed", "measured", "seeds", "cell"), [
    ((88, 90), "just under 90%", 0.8798667, (0.8783, 0.8894, 0.8719),
     "just under 90% → 87.99 ✅ 1 of 3 seeds ∈ [88, 90]"),  # 88 would read inside; the mean is not what reproduced
    ((88, 90), "just under 90%", 0.8921, (), "just under 90% → 89 ✅ ∈ [88, 90]"),  # the printed decimals
    ((None, 60), "just shy of 60%", 0.5996, (), "just shy of 60% → 59.96 ✅ ≤ 60"),  # 60 would read as on it
    ((50.5, None), "well over half", 0.61237, (), "well over half → 61.2 ✅ ≥ 50.5"),  # no number: the bound's
])
def test_an_interval_claims_measurement_reads_in_its_printed_decimals(
        interval: tuple[float | None, float | None], printed: str, measured: float, seeds: tuple[float, ...],
        cell: str) -> None:
    """A verbal claim's measurement reads in the decimals its words print (its bounds' where they print none), in
    more only where it would read on another side of an end of the band, or on it (a first-time author's 87.9867); a
    reproduction that rests on the seeds in the band, their mean outside it, says how many landed, where the record
    carries the claim's figures to count them by (an older claimbench's does not: how it rounded them is unknown)."""
    claim = dataclasses.replace(CLAIMS[2], value=None, interval=interval, printed=printed, cell=None)
    measurement = Measurement(measured, seeds=seeds, spread=0.0088 if seeds else 0.0, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    older = {key: value for key, value in record.items() if key not in results.JUDGED_BY}  # no claim's figures
    for shown, expected in ((record, cell), (older, cell.replace(" 1 of 3 seeds", ""))):
        markdown = report.render_markdown([shown], REPORTS, ENVIRONMENT)
        assert re.sub(r"( \[\d+\])+$", "", _cells(markdown, "`demo/accuracy/small`")[1]) == expected


@pytest.mark.parametrize(("value", "printed", "slack", "measured", "cell"), [
    (100, "100%", 3, 0.966, "100% → 96.6% ❌ −3.4 ±3"),  # 97% −3 would read as the band's edge, inside it
    (6.8, "6.8%", 2, 0.0884, "6.8% → 8.84% ❌ +2.04 ±2"),
    (97, "97%", 0.5, 0.965, "97% → 96.5% ✅ ±0.5"),  # 96% would read outside
    (100, "100%", 3, 0.953, "100% → 95% ❌ −5 ±3"),  # no digit more than it takes
])
def test_a_measurement_judged_unrounded_reads_on_its_side_of_the_band(value: float, printed: str, slack: float,
                                                                      measured: float, cell: str) -> None:
    """A claim judged on the measurement as it is (no ``digits``) shows it, and Δ, in the printed decimals only where
    those keep it on the side of the band its verdict says; else in as many more as that takes."""
    claim = dataclasses.replace(CLAIMS[2], value=value, printed=printed, tolerance=Tolerance(abs=slack), cell=None)
    record = results.record_for(claim, results.Outcome(measurement=Measurement(measured).to_dict()), "2026-11-30")
    markdown = report.render_markdown([record], REPORTS, ENVIRONMENT)
    assert re.sub(r" \[\d+\]$", "", _cells(markdown, "`demo/accuracy/small`")[1]) == cell


@pytest.mark.parametrize(("value", "printed", "rel", "measured", "cell"), [
    (11_100_000, "11,100,000", 0.01, 11_150_000, "11,100,000 → 11,150,000 ✅ ±111,000"),  # not ±1.11e+05
    (0.02745, "0.02745", 0.5, 0.04116, "0.02745 → 0.04116 ✅ ±0.013725"),  # ±0.0137 would put it outside
])
def test_a_band_is_written_in_full(value: float, printed: str, rel: float, measured: float, cell: str) -> None:
    """A band's half-width reads as a number of the claim's (thousands separated), and in the digits that keep the
    measurement inside it where it is."""
    claim = dataclasses.replace(CLAIMS[5], value=value, printed=printed, tolerance=Tolerance(rel=rel), count=None,
                                expect=None, why=None)
    record = results.record_for(claim, results.Outcome(measurement=Measurement(measured).to_dict()), "2026-11-30")
    assert record["verdict"] == "reproduced"
    assert _cells(report.render_markdown([record], REPORTS, ENVIRONMENT), "`demo/params/prose`")[1] == cell


@pytest.mark.parametrize(("value", "printed", "tolerance", "measured", "cell"), [
    (12.34, "12.34%", Tolerance(rel=0.002), 0.1236, "12.34% → 12.36% ✅ ±0.025"),  # not ±0.02468
    (45.678, "45.678%", Tolerance(rel=0.002), 0.45701, "45.678% → 45.701% ✅ ±0.0914"),  # not ±0.091356
    (0.37, "0.37%", Tolerance(rel=0.002), 0.0037, "0.37% → 0.37% ✅ ±0.001"),  # not ±0.00074
    (98.76, "98.76%", Tolerance(abs=0.5), None, "98.76% ⚪ ±0.5"),  # not ±0.500
    (10.0, "10.0%", Tolerance(abs=0.1996), 0.101998, "10.0% → 10.2% ❌ +0.2 ±0.1996"),  # ±0.20 would hold 10.2
])
def test_a_band_is_written_in_one_decimal_more_than_the_claim(value: float, printed: str, tolerance: Tolerance,
                                                             measured: float | None, cell: str) -> None:
    """A band's half-width reads in one decimal more than the printed claim, trailing zeros dropped, and in more only
    where the measurement as written would read on another side of it than its verdict says; the band judged by
    stays exact."""
    claim = dataclasses.replace(CLAIMS[2], value=value, printed=printed, tolerance=tolerance, cell=None)
    outcome = results.Outcome(skipped="no CUDA") if measured is None else results.Outcome(
        measurement=Measurement(measured).to_dict())
    record = results.record_for(claim, outcome, "2026-11-30")
    assert re.sub(r"( \[\d+\])+$", "", _cells(report.render_markdown([record], REPORTS, ENVIRONMENT),
                                               "`demo/accuracy/small`")[1]) == cell


def test_a_number_counted_by_a_convention_says_how() -> None:
    state_dict = dataclasses.replace(CLAIMS[5], count="state_dict")
    truncated = dataclasses.replace(CLAIMS[0], tolerance=Tolerance(digits=1, mode="truncate"))
    assert results.conventions(state_dict) == [
        "counts state_dict entries, len(model.state_dict()): tensors, not their elements"]
    assert results.conventions(truncated) == ["truncated, not rounded, to 1 decimal, as the report prints it"]
    assert results.conventions(CLAIMS[0]) == []
    record = _record(state_dict, "reproduced", 5, conventions=results.conventions(state_dict))
    markdown = report.render_markdown([record], REPORTS, ENVIRONMENT)
    reference = re.fullmatch(r"5 → 5 ✅ \[(\d+)\]", _cells(markdown, "`demo/params/prose`")[1])
    assert reference, markdown
    assert f"{reference[1]}. counts state_dict entries, len(model.state_dict()): tensors, not their elements" in markdown


def test_every_convention_that_is_not_the_plain_one_has_words_and_records_carry_them() -> None:
    plain = {"trainable", "pure", "channels_first"}
    conventions = {*vocab.PARAM_COUNTS, *vocab.MAC_COUNTS, *vocab.SIZES, *vocab.LAYOUTS}
    assert set(vocab.CONVENTION_WORDS) == conventions - plain
    claim = dataclasses.replace(CLAIMS[4], size="checkpoint_sgd_momentum")
    record = results.record_for(claim, results.Outcome(), "2026-11-30")
    assert record["conventions"] == [vocab.CONVENTION_WORDS["checkpoint_sgd_momentum"]]


def test_a_record_says_how_it_was_measured_and_the_report_names_the_input() -> None:
    claim = dataclasses.replace(CLAIMS[0], kind="macs", count="pure")
    measurement = Measurement(1000, device="meta", input=(3, 32, 32))
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert record["measured_as"] == {"count": "pure", "input": [3, 32, 32]}
    assert "measured on a 3×32×32 input (C×H×W), batch 1" in report.render_markdown([record], REPORTS, ENVIRONMENT)
    unmeasured = results.record_for(CLAIMS[2], results.Outcome(skipped="needs CUDA"), None)
    assert unmeasured["measured_as"] == {"dataset": "cifar10", "split": "test", "statistic": "final"}


@pytest.mark.parametrize(("seeds", "stored", "words"), [
    ((90.3,), ("2026-11-29",), "its run read from the run store, trained on 2026-11-29 by an earlier session"),
    ((90.1, 90.3, 90.5), ("2026-11-28", "2026-11-29"), "2 of its 3 runs read from the run store, trained on "
                                                       "2026-11-28, 2026-11-29 by an earlier session"),
])
def test_a_training_number_read_from_the_run_store_says_so(seeds: tuple[float, ...], stored: tuple[str, ...],
                                                           words: str) -> None:
    measurement = Measurement(sum(seeds) / len(seeds) / 100, seeds=seeds, device="CPU", stored=stored)
    assert Measurement.from_dict(measurement.to_dict()) == measurement
    record = results.record_for(CLAIMS[2], results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert record["measured_as"]["stored"] == list(stored)
    markdown = " ".join(report.render_markdown([record], REPORTS, ENVIRONMENT).split())  # reasons wrap
    assert f"{words} (--claims-retrain trains again)" in markdown
    trained = results.record_for(CLAIMS[2], results.Outcome(measurement=Measurement(0.9, seeds=(90.0,)).to_dict()),
                                 "2026-11-30")
    assert "stored" not in trained["measured_as"] and "run store" not in report.render_markdown([trained], REPORTS,
                                                                                                 ENVIRONMENT)


@pytest.mark.parametrize("runs", [None, 3])
def test_a_refuted_training_number_does_not_say_the_authors_lands_in_the_interval(runs: int | None) -> None:
    """The interval beside a mean of seeds is where a run of the recipe (a mean of the author's ``runs``) lands,
    given them: a refuted claim's number lies outside it, and the words never say it lands there."""
    claim = dataclasses.replace(CLAIMS[2], tolerance=Tolerance(abs=1), cell=None, runs=runs)
    measurement = Measurement(0.6, seeds=(0.59, 0.6, 0.61), spread=0.01, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert record["verdict"] == "refuted"
    markdown = " ".join(report.render_markdown([record], REPORTS, ENVIRONMENT).split())
    lands = ("a single run of the recipe lands" if runs is None
             else "a mean of 3 runs of the recipe, as the author's, lands")
    assert f"mean of 3 training runs (seeds 0-2); given them, {lands} in \\[" in markdown
    assert "the author's number lands" not in markdown


@pytest.mark.parametrize(("seeds", "spread", "words"), [
    ((0.9319,), 0.0, "one training run (seed 0)"),
    ((0.929, 0.932, 0.935), 0.0025, "mean of 3 training runs (seeds 0-2); given them, a single run of the recipe "
                                    "lands in \\[91.71, 94.69\\] (95%)"),  # the verdict's, a decimal more than 80.5%
])
def test_a_training_number_says_how_many_runs_it_rests_on(seeds: tuple[float, ...], spread: float,
                                                          words: str) -> None:
    """93.19 → 93.00 ✅ reads the same for one seed and for the mean of three: a reference says which, and for several
    the interval the verdict went by (where a run of the author's lands, given them; the interval of their mean, in a
    record without it), in the claim's unit; an epoch time's timed epochs are no training runs."""
    claim = dataclasses.replace(CLAIMS[2], tolerance=Tolerance(abs=20), cell=None)
    measurement = Measurement(sum(seeds) / len(seeds), seeds=seeds, spread=spread, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    markdown = report.render_markdown([record], REPORTS, ENVIRONMENT)
    reference = re.fullmatch(r"80\.5% → 93\.\d% ✅ ±20 \[(\d+)\]", _cells(markdown, "`demo/accuracy/small`")[1])
    assert reference and f"\n{reference[1]}. {words}\n" in markdown, markdown
    document = json.loads(report.render_json([record], ENVIRONMENT))
    assert report.render_markdown(document["claims"], REPORTS, document["environment"]) == markdown
    if len(seeds) > 1:  # a record of an older claimbench, without the interval: the interval of the mean
        older = {**record, "reach": None, "spread": 0.0012345}
        assert "mean of 3 training runs (seeds 0-2), 95% interval ±0.12\n" in report.render_markdown(
            [older], REPORTS, ENVIRONMENT)  # one decimal more than 80.5%, not ±0.12345
        tiny = report.render_markdown([{**older, "spread": 4e-7}], REPORTS, ENVIRONMENT)
        assert "95% interval ±0.00004\n" in tiny, "a spread that is not zero never reads ±0.00"
        edge = report.render_markdown([{**record, "reach": [60.49996, 93.0]}], REPORTS, ENVIRONMENT)
        assert "lands in \\[60.49996, 93.0\\] (95%)" in edge, "below the band [60.5, 100.5], not on its edge"
    timed = dataclasses.replace(claim, kind="epoch_time", scale=1.0, value=90.0, printed="90s")
    epochs = results.record_for(timed, results.Outcome(measurement=Measurement(93.0, seeds=(92.0, 93.0, 94.0),
                                                                               spread=1.0).to_dict()), "2026-11-30")
    assert "training run" not in report.render_markdown([epochs], REPORTS, ENVIRONMENT)


def test_a_training_numbers_note_shows_where_a_run_lands_cut_to_the_values_it_can_take() -> None:
    """Three seeds whose best epoch is 1, of a 3-epoch recipe: the note's interval runs from epoch 1 to epoch 3, not
    from -4 to 6 (1 ± 4.303 · 1 step · sqrt(4/3))."""
    claim = dataclasses.replace(CLAIMS[2], kind="best_epoch", value=1, printed="1", scale=1.0, split=None,
                                statistic="min_val_loss", recipe=dataclasses.replace(RECIPE, epochs=3), cell=None)
    measurement = Measurement(1.0, seeds=(1.0, 1.0, 1.0), step=1.0, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert (record["verdict"], record["reach"]) == ("reproduced", [1.0, 3.0])
    assert ("mean of 3 training runs (seeds 0-2); given them, a single run of the recipe lands in \\[1, 3\\] (95% "
            "with") in report.render_markdown([record], REPORTS, ENVIRONMENT)


def test_a_measurement_that_is_not_finite_is_written_as_standard_json_and_read_back() -> None:
    """A training that diverged: its error record keeps the reason, its numbers are null, not JSON's NaN extension
    (which jq and JavaScript refuse), and the report renders again from the file."""
    failure = "MeasurementError: the measurement is not a finite number: nan"
    measurement = Measurement(float("nan"), seeds=(float("nan"), float("inf"), 80.0), spread=float("-inf"))
    record = results.record_for(CLAIMS[2], results.Outcome(measurement=measurement.to_dict(), failure=failure),
                                "2026-11-30")
    assert record["verdict"] == "error" and record["measured"] != record["measured"]  # nan
    text = report.render_json([record], ENVIRONMENT)
    document = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is no standard JSON"))
    saved = document["claims"][0]
    assert (saved["measured"], saved["seeds"], saved["spread"], saved["reason"]) == (None, [None, None, 80.0], None,
                                                                                     failure)
    assert results.record_problem(saved, results.RECORD_FIELDS) is None
    markdown = report.render_markdown(document["claims"], REPORTS, document["environment"])
    assert "**0 reproduced of 0 checked, 1 error.**" in markdown and "not a finite number: nan" in markdown


def test_a_record_follows_only_the_verdict_the_judge_gives_its_measurement() -> None:
    """A single number's record is judged as the judge judges its measurement, not by its shown number and band
    alone: a refuted count edited to a known error (the ledger documents none) does not follow."""
    claim = CLAIMS[1]  # 20,000, exact
    record = results.record_for(claim, results.Outcome(measurement=Measurement(21234).to_dict()), "2026-11-30")
    assert record["verdict"] == "refuted" and verdict.follows(record, claim)
    assert not verdict.follows({**record, "verdict": "known error"}, claim)
    documented = dataclasses.replace(claim, expect="refuted", why="a typo")
    assert verdict.follows({**record, "verdict": "known error"}, documented)
    assert not verdict.follows({**record, "verdict": "reproduced", "shown": 20000}, claim)


def test_a_seeds_record_follows_where_a_run_lands_not_its_mean(tmp_path: Path) -> None:
    """Seeds whose mean shows outside the band, one of them in it and where a single run lands meeting it, are
    reproduced: the record keeps that interval (``reach``), so that it is carried as judged; one whose interval was
    edited off the band is dropped."""
    claim = CLAIMS[2]  # 80.5%, exact
    measurement = Measurement(0.84, seeds=(0.805, 0.84, 0.875), spread=0.0869, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert (record["verdict"], record["shown"], record["band"]) == ("reproduced", 84.0, [80.5, 80.5])
    assert record["reach"] == pytest.approx([66.6097, 101.3903], abs=1e-3)  # 84 ± 4.303 · 3.5 · sqrt(4/3)
    previous = tmp_path / "claims.json"
    report.write_all([record], REPORTS, ENVIRONMENT, json=previous)
    assert not _dropped(carry_over.carry_over([], previous, REPORTS, ENVIRONMENT))
    report.write_all([{**record, "reach": [82.0, 86.0]}], REPORTS, ENVIRONMENT, json=previous)
    assert _dropped(carry_over.carry_over([], previous, REPORTS, ENVIRONMENT)) == {
        claim.id: "judged otherwise than its own figures say"}


def test_a_seeds_record_of_looser_rules_is_not_carried(tmp_path: Path) -> None:
    """A record an earlier claimbench judged reproduced where only its seeds' interval met the band, none of them
    landing in it (an error now: ``verdict._settles``), is dropped rather than carried as judged."""
    claim = CLAIMS[2]  # 80.5%, exact, one run's number
    measurement = Measurement(0.84, seeds=(0.79, 0.84, 0.89), spread=0.05, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert record["verdict"] == "error" and meets(tuple(record["reach"]), tuple(record["band"]))
    previous = tmp_path / "claims.json"
    report.write_all([{**record, "verdict": "reproduced", "reason": ""}], REPORTS, ENVIRONMENT, json=previous)
    assert _dropped(carry_over.carry_over([], previous, REPORTS, ENVIRONMENT)) == {
        claim.id: "judged otherwise than its own figures say"}


def test_a_seeds_record_of_a_documented_error_follows_only_the_verdict_its_seeds_give_now() -> None:
    """The correct value of a documented error is judged as the claim's value: a record an earlier claimbench
    called refuted, whose seeds bear the correct value out, does not follow from its figures."""
    claim = dataclasses.replace(CLAIMS[2], expect="refuted", why="a typo", correct=58.0)
    measurement = Measurement(0.58, seeds=(0.56, 0.58, 0.60), spread=0.02, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert record["verdict"] == "known error" and verdict.follows(record, claim)
    assert not verdict.follows({**record, "verdict": "refuted"}, claim)
    own = results.record_claim(record)
    assert own is not None and not verdict.follows({**record, "verdict": "refuted"}, own), "it carries its figures"
    older = {key: value for key, value in record.items() if key not in results.JUDGED_BY}
    assert results.record_claim(older) is None, "of an older claimbench: no claim to judge it by without the ledger"


def test_a_seeds_record_reproduced_by_a_seed_outside_the_interval_is_carried_as_judged(tmp_path: Path) -> None:
    """One of 12 seeds printed the claim, the other 11 put the interval off the band: the judge reproduces it, and
    the record it wrote must follow from its figures, not be dropped on the next partial run."""
    claim = CLAIMS[2]  # 80.5%, exact, one run's number
    measurement = Measurement(0.8371, seeds=(0.84,) * 11 + (0.805,), spread=0.006, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert record["verdict"] == "reproduced" and not meets(tuple(record["reach"]), tuple(record["band"]))
    assert verdict.follows(record, claim) and verdict.follows(record, results.record_claim(record))
    previous = tmp_path / "claims.json"
    report.write_all([record], REPORTS, ENVIRONMENT, json=previous)
    assert not _dropped(carry_over.carry_over([], previous, REPORTS, ENVIRONMENT))


def test_a_seeds_record_edited_to_reproduced_does_not_follow_by_the_claim_it_carries() -> None:
    """By the claim it carries (as ``compare`` reads it), a refuted seeds record edited to reproduced does not follow:
    where a run lands is off the band and no seed lands in it. A seed that prints inside the band, at the printed
    claim's decimals, is a run of the recipe that printed the claim: that record follows."""
    claim = CLAIMS[2]  # 80.5%, exact
    refuted = results.record_for(claim, results.Outcome(measurement=Measurement(
        0.71, seeds=(0.70, 0.71, 0.72), spread=0.01, device="CPU").to_dict()), "2026-11-30")
    assert refuted["verdict"] == "refuted" and not meets(tuple(refuted["reach"]), tuple(refuted["band"]))
    own = results.record_claim(refuted)
    assert verdict.follows(refuted, own) and not verdict.follows({**refuted, "verdict": "reproduced"}, own)
    rounded = dataclasses.replace(claim, tolerance=Tolerance(digits=1))
    measurement = Measurement(0.8371, seeds=(0.84,) * 11 + (0.80496,), spread=0.006, device="CPU")
    reproduced = results.record_for(rounded, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert reproduced["verdict"] == "reproduced" and not meets(tuple(reproduced["reach"]), tuple(reproduced["band"]))
    assert verdict.follows(reproduced, results.record_claim(reproduced)), "80.496 prints as the claimed 80.5"


def test_a_record_of_tied_seeds_keeps_their_step_follows_from_it_and_says_what_its_interval_holds() -> None:
    """Three seeds that tie on an accuracy moving by one image of 100 (0.01, a point of "80.5%") take that step as
    their scatter: the record keeps it, its verdict and interval follow from its figures with it and not without it,
    and the note does not call the interval a 95% one of their own."""
    claim = dataclasses.replace(CLAIMS[2], tolerance=Tolerance(abs=1), cell=None)
    measurement = Measurement(0.9, seeds=(0.9,) * 3, device="CPU", step=0.01)
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert (record["verdict"], record["step"]) == ("refuted", 0.01)
    assert verdict.follows(record, claim)
    assert not verdict.follows({key: value for key, value in record.items() if key != "step"}, claim)
    markdown = " ".join(report.render_markdown([record], REPORTS, ENVIRONMENT).split())
    assert ("given them, a single run of the recipe lands in \\[85.03, 94.97\\] (95% with the seeds' scatter taken "
            "as one step of the statistic, 1, as they scatter less)") in markdown
    near = Measurement(0.83, seeds=(0.83,) * 3, device="CPU", step=0.01)
    assert results.record_for(claim, results.Outcome(measurement=near.to_dict()), None)["verdict"] == "error"
    continuous = Measurement(0.9, seeds=(0.9,) * 3, device="CPU")
    assert "step" not in results.record_for(claim, results.Outcome(measurement=continuous.to_dict()), None)


def test_a_documented_error_an_outlier_seed_lands_on_follows_by_the_claim_it_carries() -> None:
    """Seeds on the documented correct value, two of them in the typo's wide band and their interval meeting it:
    the judge gives the known error (the outlier rule), and the record follows by the claim it carries too (as
    ``compare`` reads it); with no seed in the band it is an error of undecided seeds, and a refuted verdict never
    follows from an interval that meets the band."""
    claim = dataclasses.replace(CLAIMS[2], value=57.3, printed="57.3%", tolerance=Tolerance(abs=18, digits=1),
                                expect="refuted", why="a typo for 75.3", correct=75.3)
    measurement = Measurement(0.766, seeds=(0.753, 0.752, 0.754, 0.805), spread=0.026, device="CPU")
    record = results.record_for(claim, results.Outcome(measurement=measurement.to_dict()), "2026-11-30")
    assert record["verdict"] == "known error" and meets(tuple(record["reach"]), tuple(record["band"]))
    own = results.record_claim(record)
    assert verdict.follows(record, claim) and own is not None and verdict.follows(record, own)
    assert not verdict.follows({**record, "seeds": [0.76, 0.77, 0.78, 0.754]}, own)
    assert not verdict.follows({**record, "verdict": "refuted"}, own)


def test_a_partial_claim_keeps_its_cell_text() -> None:
    inside = _record(CLAIMS[0], "reproduced", 1000, printed="1,000", cell=["results", "plain", "Notes"])
    markdown = report.render_markdown([inside], REPORTS, ENVIRONMENT)
    assert _cells(markdown, "plain")[3] == "<br>1,000 → 1,000 ✅"


def test_kept_records_are_dated() -> None:
    old = _record(CLAIMS[0], "reproduced", 1000, date="2026-11-01", carried=True)
    assert _cells(report.render_markdown([old], REPORTS, ENVIRONMENT), "small")[1] == "1,000 → 1,000 ✅ [1]"
    assert ("1. kept from the run of 2026-11-01: not measured in this run (not selected, or not reached by a run cut "
            "short)") in report.render_markdown([old], REPORTS, ENVIRONMENT)


def test_a_title_with_line_breaks_is_one_heading() -> None:
    """A ``[report] title`` (or a table's) written over lines in a TOML multi-line string stays one heading."""
    titled = dataclasses.replace(DEMO, title="Demo\nreport,\r\n  second line", tables=(
        dataclasses.replace(TABLE, title="Results\nall runs"), OTHER_TABLE))
    lines = report.render_markdown(_records(), [titled], ENVIRONMENT).splitlines()
    assert "## Demo report, second line" in lines and "### Results all runs" in lines
    assert not {"report,", "second line", "all runs"} & set(lines)


def test_the_environment_shows_a_checkout_folders_name_as_written() -> None:
    """A checkout folder named with markdown and HTML (``h|5`<b>_x_``) shows in the ledger row as its name, not as
    code, bold or emphasis: escaped as a title is."""
    from markdown_it import MarkdownIt

    folder = "h|5`<b>_x_"
    markdown = report.render_markdown(_records(), REPORTS, {**ENVIRONMENT, "ledger": f"{folder} @ def456"})
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<td>h|5`&lt;b&gt;_x_ @ def456</td>" in html


def test_a_file_is_known_as_a_verdict_report_by_its_first_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The verdict report may replace no file, an empty one or an earlier verdict report, never the author's own."""
    path, foreign = tmp_path / "REPORT.md", readme_markers.not_a_verdict_report
    assert foreign(path) is None and foreign(tmp_path) is None  # none yet; a folder is atomic.unwritable's to refuse
    path.write_text(report.render_markdown(_records(), REPORTS, ENVIRONMENT), encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith(f"{readme_markers.VERDICTS_TITLE}\n") and foreign(path) is None
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # a Windows checkout's line ends
    assert foreign(path) is None
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # an editor's byte order mark
    assert foreign(path) is None
    committed = Path(__file__).resolve().parents[1] / "REPORT.md"
    assert committed.is_file() and foreign(committed) is None, "this repository's committed report"
    for blank in (b" \n\n", b"\xef\xbb\xbf"):
        path.write_bytes(blank)
        assert foreign(path) is None
    for text in ("# My technical report\n\n# claimbench verdicts\n", "## claimbench verdicts\n"):
        path.write_text(text, encoding="utf-8")
        assert foreign(path) == (f"{path} is not claimbench's verdict report (its first line is not '# claimbench "
                                 "verdicts')")
    path.write_bytes(b"# claimbench verdicts\n\xff\xfe\n")
    assert foreign(path) == f"{path} is not claimbench's verdict report (it is no UTF-8 text)"
    path.write_text("# Mine\n", encoding="utf-8")

    def unreadable(self: Path, *args: Any, **kwargs: Any) -> str:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "read_text", unreadable)  # chmod 000 would not stop root
    assert foreign(path) == (f"{path} is not claimbench's verdict report (it cannot be read to tell: "
                             f"{os.strerror(errno.EACCES)})")


def test_summary_and_environment() -> None:
    records = [*_records(), _record(CLAIMS[4], "error", None, "ValueError: boom")]
    markdown = report.render_markdown(records, REPORTS, ENVIRONMENT)
    assert markdown.startswith("# claimbench verdicts\n\n**1 reproduced of 4 checked, 1 reproduced on unverified "
                               "data, 1 refuted, 1 known error, 1 error.** Not measured: 1 not run. Checked: 3 "
                               "params, 1 accuracy; none of: size.\n\n| Report ")  # kinds: not taken for trained
    assert _cells(markdown, "Demo report (`demo`)")[1:] == ["2", "1", "1", "1", "1", "0", "1", "6"]
    assert _cells(markdown, "Empty report (`empty`)")[1:] == ["0", "0", "0", "0", "0", "0", "0", "0"]
    assert _cells(markdown, "**all**")[1:] == ["2", "1", "1", "1", "1", "0", "1", "6"]
    assert _cells(markdown, "claimbench") == ["claimbench", "0.1.0 (claimbench @ abc123)"]
    assert _cells(markdown, "devices") == ["devices", f"CPU: 1 claim; {report.DEVICE_WORDS['meta']}: 5 claims"]
    assert _cells(markdown, "date") == ["date", "2026-11-30"]


def test_no_claims_selected_says_so() -> None:
    markdown = report.render_markdown([], REPORTS, ENVIRONMENT)
    assert "No claims were selected in this run" in markdown
    assert "## Demo report" not in markdown and "| torch " in markdown


def _dropped(records: list[dict[str, Any]]) -> dict[str, str]:
    """The claims whose earlier record a partial run dropped, and why; each is ``not run``."""
    assert all(r["verdict"] == "not run" for r in records if r.get("dropped"))
    return {r["id"]: r["dropped"] for r in records if r.get("dropped")}


def test_a_record_its_figures_do_not_bear_out_or_of_unknown_model_code_is_not_carried(tmp_path: Path) -> None:
    """A claims JSON is the project's file, which a pull request may edit: a verdict its own figures contradict
    (reproduced, outside its band), or a record naming no model code for a claim whose model has some, vouches
    for nothing."""
    previous = tmp_path / "claims.json"
    forged = {**_record(CLAIMS[1], "reproduced", 21234)}  # shows 21,234 against a band of [20,000, 20,000]
    report.write_all([_records()[0], forged], REPORTS, ENVIRONMENT, json=previous)
    rerun = [_record(CLAIMS[3], "not run", None, "needs CUDA")]
    assert _dropped(carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT)) == {
        "demo/params/big": "judged otherwise than its own figures say"}
    unnamed = [{**record, "model_digest": None} for record in (_records()[0], forged)]
    report.write_all(unnamed, REPORTS, ENVIRONMENT, json=previous)
    assert _dropped(carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT)) == dict.fromkeys(
        ("demo/params/small", "demo/params/big"), "measured with other model code")
    rounded = _record(CLAIMS[3], "reproduced", 0.891, band=[89.1, 91.1], shown=89.1 - 1e-14)  # binary rounding
    report.write_all([rounded], REPORTS, ENVIRONMENT, json=previous)
    assert _dropped(carry_over.carry_over(rerun[:0], previous, REPORTS, ENVIRONMENT)) == dict.fromkeys(
        ("demo/params/small", "demo/params/big"), "measured with other model code"), (
        "the judge's binary hair: accuracy/big kept; the records dropped before still say why")


def test_a_partial_run_keeps_the_other_claims_records(tmp_path: Path) -> None:
    previous = tmp_path / "claims.json"
    report.write_all(_records(), REPORTS, ENVIRONMENT, json=previous)
    rerun = [_record(CLAIMS[0], "refuted", 999, "changed", date="2026-12-01")]
    kept = {r["id"]: r for r in carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT)}
    assert len(kept) == len(_records()) and kept["demo/params/small"]["verdict"] == "refuted"
    assert kept["demo/params/big"] == {**_records()[1], "carried": True} and "carried" not in kept["demo/params/small"]
    big = CLAIMS[1]
    for edited in (dataclasses.replace(big, printed="20 000"), dataclasses.replace(big, model="demo.small"),
                   dataclasses.replace(big, count="keras"), dataclasses.replace(big, tolerance=Tolerance(rel=0.5))):
        changed = Report(slug="demo", title="Demo report", source=None, origin="", tables=(),
                         claims=(CLAIMS[0], edited))
        assert _dropped(carry_over.carry_over(rerun, previous, [changed], ENVIRONMENT)) == {
            "demo/params/big": "measured against another version of this claim in the ledger"}
    noted = Report(slug="demo", title="Demo report", source=None, origin="", tables=(),
                   claims=(CLAIMS[0], dataclasses.replace(big, note="a new note")))
    carried = carry_over.carry_over(rerun, previous, [noted], ENVIRONMENT)
    assert len(carried) == 2, "a note says nothing of the verdict"
    assert carried[1]["note"] == "a new note", "but the report shows the ledger's note of today"
    for upgraded, then in (({**ENVIRONMENT, "torch": "3.x"}, "torch 2.x"), ({**ENVIRONMENT, "claimbench": "0.2.0"},
                                                                            "claimbench 0.1.0"),
                           ({**ENVIRONMENT, "torchinfo": "1.9"}, "torchinfo unrecorded")):  # a JSON of before
        assert _dropped(carry_over.carry_over(rerun, previous, REPORTS, upgraded)) == {
            cid: f"measured with other software ({then})" for cid in kept.keys() - {"demo/params/small"}}
    committed = {**ENVIRONMENT, "claimbench": "0.1.0 (claimbench @ fed987)"}
    assert len(carry_over.carry_over(rerun, previous, REPORTS, committed)) == len(_records()), "another commit: kept"
    newer = json.loads(previous.read_text(encoding="utf-8")) | {"format": results.JSON_FORMAT + 1}
    previous.write_text(json.dumps(newer), encoding="utf-8")
    with pytest.warns(ClaimbenchWarning, match="newer than this claimbench reads"):
        assert carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT) == rerun, "a newer claimbench's records"


def test_a_reason_naming_a_path_that_is_not_utf8_is_written_escaped_and_carried_over(tmp_path: Path) -> None:
    """A byte of a path that is not UTF-8 (``--claims-data-root=$'/data/lat\\xe9'``) is a lone surrogate in the str
    Python makes of it, which no UTF-8 file holds: REPORT.md shows its escape, claims.json holds it as a JSON
    escape, which reads back as the same str, and a rerun carries the record over."""
    reason = "/data/lat\udce9/MNIST/raw/train-images-idx3-ubyte: IDX header says (9, 28, 28) but 6956 bytes follow"
    errored = _record(CLAIMS[1], "error", None, reason)
    outputs = {"markdown": tmp_path / "REPORT.md", "json": tmp_path / "claims.json"}
    report.write_all([errored], REPORTS, ENVIRONMENT, **outputs)
    assert "/data/lat\\udce9/MNIST/raw" in outputs["markdown"].read_text(encoding="utf-8")
    assert '"reason": "/data/lat\\udce9/MNIST/raw' in outputs["json"].read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # read, not set aside
        report.write_all([_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")], REPORTS, ENVIRONMENT, **outputs)
    records = {r["id"]: r for r in json.loads(outputs["json"].read_text(encoding="utf-8"))["claims"]}
    assert records["demo/params/big"] == {**errored, "carried": True, "note": None}
    assert "/data/lat\\udce9/MNIST/raw" in outputs["markdown"].read_text(encoding="utf-8")


@pytest.mark.parametrize("number", [errno.EACCES, errno.EIO])
def test_a_results_json_a_run_may_not_read_is_left_as_it_is_and_nothing_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unreadable: Callable[[Path, int], None], number: int) -> None:
    """Another user's JSON, an I/O error: a failure to read, not a file cut short. Renaming it aside would drop the
    records it holds from the report; nothing is written instead, in one line naming it."""
    previous = tmp_path / "claims.json"
    report.write_all([_record(CLAIMS[1], "reproduced", 5000, date="2026-11-30")], REPORTS, ENVIRONMENT, json=previous)
    kept = previous.read_bytes()
    unreadable(previous, number)
    with pytest.raises(carry_over.Unreadable) as raised:
        report.write_all([_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")], REPORTS, ENVIRONMENT,
                         markdown=tmp_path / "REPORT.md", json=previous)
    assert str(raised.value) == (f"cannot read {previous} ({os.strerror(number)}), and writing over it would "
                                 "lose the records of earlier runs it holds; make it readable, or name another file")
    monkeypatch.undo()  # readable again
    assert sorted(file.name for file in tmp_path.iterdir()) == ["claims.json"] and previous.read_bytes() == kept


@pytest.mark.parametrize(("content", "why"), [
    (b'{"claims": [{"id": "demo/params/big", "verd', "Unterminated string starting at: line 1 column 39 (char 38)"),
    (b"", "Expecting value: line 1 column 1 (char 0)"),
    (b"[1, 2]", "no 'claims' list"),
    (b'{"claims": [], "format": 9}', "format 9, newer than this claimbench reads (1)"),
    (b"\xff\xfe{}", "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
])
def test_a_results_json_a_run_cannot_read_is_set_aside_with_a_warning_never_overwritten(
        tmp_path: Path, content: bytes, why: str) -> None:
    """A JSON cut short (a disk that filled up under another tool, a bad merge) holds records nobody else has: the
    run renames it aside, says so in one line, and writes its own; a second one goes beside the first."""
    previous = tmp_path / "claims.json"
    rerun = [_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")]
    for number in (1, 2):
        previous.write_bytes(content)
        with pytest.warns(ClaimbenchWarning) as warned:
            report.write_all(rerun, REPORTS, ENVIRONMENT, json=previous)
        assert [str(w.message) for w in warned] == [
            f"{previous}: not a claims JSON this claimbench reads ({why}): renamed to claims.json.unread-{number}; "
            "no earlier record is carried over"]
        assert (tmp_path / f"claims.json.unread-{number}").read_bytes() == content
        written = {r["id"]: r["verdict"] for r in json.loads(previous.read_text(encoding="utf-8"))["claims"]}
        assert written["demo/params/small"] == "reproduced"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report.write_all(rerun, REPORTS, ENVIRONMENT, json=previous)  # a JSON it reads, or none: no word of it
        previous.unlink()
        report.write_all(rerun, REPORTS, ENVIRONMENT, json=previous)


@pytest.mark.parametrize(("field", "value", "what"), [
    ("verdict", "bogus", "'verdict': must be 'reproduced', 'refuted', 'known error', 'error', 'not run' or "
                         "'unverifiable', got 'bogus'"),
    ("shown", "1,000", "'shown': must be a valid number, got '1,000'"),
    ("band", [1000], "'band': must have at least 2 items after validation, not 1, got [1000]"),
    ("measured_as", ["input"], "'measured_as': must be a valid dictionary, got ['input']"),
    ("measured_as", {"stored": [20261130]}, "'measured_as.stored': must be a valid string, got 20261130"),
    ("ledger_tolerance", {"digits": "2"}, "'ledger_tolerance.digits': must be a valid integer, got '2'"),
])
def test_an_earlier_record_with_a_bad_field_is_not_carried_and_a_warning_names_it(
        tmp_path: Path, field: str, value: Any, what: str) -> None:
    """A record of a hand-edited JSON that the renderer would choke on, or that no judge wrote, vouches for
    nothing: one warning naming the file, the claim and the field; the other records are carried as before."""
    previous = tmp_path / "claims.json"
    report.write_all(_records(), REPORTS, ENVIRONMENT, json=previous)
    document = json.loads(previous.read_text(encoding="utf-8"))
    next(r for r in document["claims"] if r["id"] == "demo/params/big")[field] = value
    previous.write_text(json.dumps(document), encoding="utf-8")
    rerun = [_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")]
    with pytest.warns(ClaimbenchWarning) as warned:
        shown = report.final_records(rerun, REPORTS, ENVIRONMENT, json=previous)
    assert [str(w.message) for w in warned] == [
        f"{previous}: demo/params/big: field {what}; not carried over"]
    by_id = {r["id"]: r for r in shown}
    assert by_id["demo/params/big"]["reason"] == results.NOT_SELECTED and by_id["demo/params/prose"]["carried"]
    assert "20,000 ⚪" in report.render_markdown(shown, REPORTS, ENVIRONMENT)


def test_every_record_a_run_writes_reads_back_without_a_problem() -> None:
    """The shape ``record_problem`` checks is the one ``record_for`` and the saved results of this repository
    hold: no record of ours is dropped for it."""
    saved = json.loads((Path(__file__).parent.parent / "results" / "claims.json").read_text(encoding="utf-8"))
    measured = Measurement(1000, counters={"numel": 1000}, input=(3, 32, 32))
    written = [results.record_for(claim, results.Outcome(measurement=measured.to_dict()), "2026-12-01")
               for claim in CLAIMS]
    assert [results.record_problem(r) for r in [*saved["claims"], *written, *_records()]] == [None] * (
        len(saved["claims"]) + len(written) + len(_records()))


def test_a_drift_error_is_never_carried_even_hidden_under_another(tmp_path: Path) -> None:
    previous = tmp_path / "claims.json"
    stale = {**_records()[1], "verdict": "error", "stale": True}
    report.write_all([_records()[0], {**stale, "hidden": stale}], REPORTS, ENVIRONMENT, json=previous)
    rerun = [_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")]
    assert carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT) == rerun


def test_a_partial_run_drops_the_records_of_a_model_whose_code_changed(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    previous = tmp_path / "claims.json"
    monkeypatch.setattr(model_code, "digest", lambda reference: f"{reference} v1")
    measured = [{**record, "model_digest": results.model_digest(claim)}
                for record, claim in zip(_records(), (CLAIMS[0], CLAIMS[1]))]
    report.write_all(measured, REPORTS, ENVIRONMENT, json=previous)
    rerun = [_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")]
    assert len(carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT)) == 2, "the same code: kept"
    monkeypatch.setattr(model_code, "digest", lambda reference: f"{reference} v2")
    dropped = carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT)
    assert _dropped(dropped) == {"demo/params/big": "measured with other model code"}
    assert dropped[1]["verdict"] == "not run" and dropped[1]["reason"] == (
        "not measured in this run; its earlier record (of 2026-11-30, ledger demo @ def456) was measured with other "
        "model code: run it again")
    assert carry_over.dropped_summary(dropped) == ("claimbench: 1 earlier record dropped, shown as not run: "
                                               "1 measured with other model code")
    markdown = " ".join(report.render_markdown(report.final_records(rerun, REPORTS, ENVIRONMENT, json=previous),
                                               REPORTS, ENVIRONMENT).split())
    assert "was measured with other model code" in markdown and "no earlier record" in markdown, (
        "the claims without an earlier record say so, the dropped one says why")
    monkeypatch.delitem(registry._BUILDERS, "demo.big")  # its module no longer registers it
    assert _dropped(carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT)) == {
        "demo/params/big": "measured with model code that cannot be read now"}, "where nobody can tell, not kept"


def test_a_record_dropped_for_other_model_code_names_the_files_that_changed(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """'measured with other model code' did not say which file: an author who edited a comment in one module of
    their package could not tell why every record of the model was dropped. The record names its files' digests
    (``model_files``), and the reason the files that differ now; the terminal still counts them as one reason."""
    previous = tmp_path / "claims.json"
    then = {"zoo/__init__.py": "1", "zoo/nets.py": "2", "zoo/layers.py": "3", "zoo/old.py": "4"}
    measured = [{**record, "model_files": then} for record in _records()[:2]]
    report.write_all([measured[0], {**measured[1], "model_files": None}], REPORTS, ENVIRONMENT, json=previous)
    rerun = [_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")]
    monkeypatch.setattr(model_code, "digest", lambda reference: "edited")
    monkeypatch.setattr(model_code, "files", lambda reference: {**then, "zoo/layers.py": "5"})
    assert _dropped(carry_over.carry_over(rerun[:0], previous, REPORTS, ENVIRONMENT)) == {
        "demo/params/small": "measured with other model code (changed: zoo/layers.py)",
        "demo/params/big": "measured with other model code"}, "a record of an older claimbench names no file"
    report.write_all(measured, REPORTS, ENVIRONMENT, json=previous)
    monkeypatch.setattr(model_code, "files", lambda reference: {
        "zoo/__init__.py": "1", "zoo/nets.py": "6", "zoo/layers.py": "5", "zoo/a.py": "7", "zoo/b.py": "8"})
    dropped = carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT)
    assert dropped[1]["reason"] == (
        "not measured in this run; its earlier record (of 2026-11-30, ledger demo @ def456) was measured with other "
        "model code (changed: zoo/layers.py, zoo/nets.py; added: zoo/a.py and 2 more): run it again")
    assert carry_over.dropped_summary([*dropped, {**dropped[1], "dropped": "measured with other model code"}]) == (
        "claimbench: 2 earlier records dropped, shown as not run: 2 measured with other model code")
    record = results.record_for(CLAIMS[0], results.Outcome(measurement=Measurement(1000).to_dict()), "2026-12-01")
    assert record["model_files"] == model_code.files("demo.small") and results.record_problem(record) is None


def test_a_dropped_claim_says_why_in_every_later_partial_run_and_comes_back_once_the_change_is_undone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The record a partial run dropped was undated, so the next one took the claim for never measured ('no earlier
    record'): the dropped record hides the one it replaces, which each later run judges again, against the software
    and ledger it was measured with."""
    previous = tmp_path / "claims.json"
    report.write_all(_records()[:2], REPORTS, ENVIRONMENT, json=previous)
    rerun = [_record(CLAIMS[0], "reproduced", 1000, date="2026-12-01")]
    monkeypatch.setattr(model_code, "digest", lambda reference: "edited")
    first = report.final_records(rerun, REPORTS, {**ENVIRONMENT, "ledger": "demo @ 777"}, json=previous)
    report.write_all(rerun, REPORTS, {**ENVIRONMENT, "ledger": "demo @ 777"}, json=previous)
    again = report.final_records(rerun, REPORTS, ENVIRONMENT, json=previous)
    big = next(r for r in again if r["id"] == "demo/params/big")
    assert big == next(r for r in first if r["id"] == "demo/params/big") and big["reason"] == (
        "not measured in this run; its earlier record (of 2026-11-30, ledger demo @ def456) was measured with other "
        "model code: run it again")
    assert next(r for r in again if r["id"] == "demo/params/prose")["reason"] == results.NOT_SELECTED
    monkeypatch.setattr(model_code, "digest", _demo_code)  # the model file restored
    assert carry_over.carry_over(rerun, previous, REPORTS, ENVIRONMENT)[1] == {**_records()[1], "carried": True}
    upgraded = {**ENVIRONMENT, "torch": "3.x"}
    report.write_all(_records()[:2], REPORTS, ENVIRONMENT, json=previous)
    report.write_all(rerun, REPORTS, upgraded, json=previous)
    assert _dropped(carry_over.carry_over(rerun, previous, REPORTS, upgraded)) == {
        "demo/params/big": "measured with other software (torch 2.x)"}, "its own software's, not the last run's"
    older = json.loads(previous.read_text(encoding="utf-8"))  # a dropped record of a claimbench before this one
    for record in older["claims"]:
        record.pop("hidden", None)
    previous.write_text(json.dumps(older), encoding="utf-8")
    assert carry_over.carry_over(rerun, previous, REPORTS, upgraded)[1]["reason"] == big["reason"].replace(
        "measured with other model code", "measured with other software (torch 2.x)")


def test_output_does_not_depend_on_record_order() -> None:
    records = _records()
    forward = report.render_markdown(records, REPORTS, ENVIRONMENT), report.render_json(records, ENVIRONMENT)
    backward = (report.render_markdown(records[::-1], REPORTS[::-1], ENVIRONMENT),
                report.render_json(records[::-1], ENVIRONMENT))
    assert forward == backward


def test_json_holds_one_record_per_claim() -> None:
    document = json.loads(report.render_json(_records(), ENVIRONMENT))
    assert document["format"] == results.JSON_FORMAT == 1 and document["environment"] == ENVIRONMENT
    assert [r["id"] for r in document["claims"]] == sorted(r["id"] for r in _records())
    assert document["claims"][0] == _records()[3]


def test_badge_counts_what_was_checked() -> None:
    records = _records()
    document = badges.endpoint("claims", records)
    assert document["message"] == ("1 reproduced of 4 checked, 1 reproduced on unverified data, 1 refuted, "
                                   "1 known error, 1 not run")
    assert document["color"] == "red"


@pytest.mark.parametrize(("verdicts", "message", "color"), [
    (["reproduced", "reproduced"], "2 reproduced of 2 checked", "brightgreen"),
    (["reproduced", "reproduced", "unverifiable"], "2 reproduced of 2 checked, 1 unverifiable", "yellowgreen"),
    (["reproduced", "reproduced", "not run"], "2 reproduced of 2 checked, 1 not run", "yellowgreen"),
    (["reproduced", "known error", "not run"], "1 reproduced of 2 checked, 1 known error, 1 not run", "yellowgreen"),
    (["reproduced", "refuted", "error"], "1 reproduced of 2 checked, 1 refuted, 1 error", "red"),
    (["known error", "refuted", "known error"], "0 reproduced of 3 checked, 1 refuted, 2 known errors", "red"),
    (["reproduced", "error", "error"], "1 reproduced of 1 checked, 2 errors", "orange"),
    ([("reproduced", True), ("refuted", True), ("reproduced", False)],
     "1 reproduced of 3 checked, 1 reproduced on unverified data, 1 refuted (1 on unverified data)", "yellow"),
    ([("refuted", True), ("refuted", False)], "0 reproduced of 2 checked, 2 refuted (1 on unverified data)", "red"),
    ([("refuted", True), "error"], "0 reproduced of 1 checked, 1 refuted (1 on unverified data), 1 error", "orange"),
    (["not run", "unverifiable"], "none checked, 1 not run, 1 unverifiable", "lightgrey"),
])
def test_endpoint_badge(verdicts: list[str | tuple[str, bool]], message: str, color: str) -> None:
    records = [{"verdict": v} if isinstance(v, str) else {"verdict": v[0], "unverified_data": v[1]} for v in verdicts]
    document = badges.endpoint("claims", records)
    assert document == {"schemaVersion": 1, "label": "claims", "message": message, "color": color}


def test_a_refutation_on_unverified_data_never_turns_the_badge_red() -> None:
    """A number refuted on data whose checksums differ (a copy of 1,000 of the published 60,000 images, say) says
    nothing of the author's number: its badge is yellow, and says it, as the report says what was wrong with it."""
    small, big, *_ = CLAIMS
    finding = ("fashion_mnist train: train-images-idx3-ubyte: MD5 of its content is 0a, the published digest is 8d; "
               "it holds 1,000 images of the published 60,000, so its verdicts say nothing of the author's number")
    records = [_record(small, "reproduced", 1000), _record(big, "refuted", 21234, "off by a lot", unverified_data=True,
                                                           data_finding=finding)]
    document = badges.endpoint("claims", records)
    assert (document["message"], document["color"]) == (
        "1 reproduced of 2 checked, 1 refuted (1 on unverified data)", "yellow")
    markdown = " ".join(report.render_markdown(records, REPORTS, ENVIRONMENT).split())
    assert f"measured on unverified data (--claims-allow-unverified-data): {finding}" in markdown
    older = {key: value for key, value in records[1].items() if key != "data_finding"}
    assert results.record_problem(older) is None and results.record_problem(records[1]) is None
    assert report.UNVERIFIED_REASON in " ".join(report.render_markdown([older], REPORTS, ENVIRONMENT).split()), (
        "an older record's reason")
    assert results.record_problem({**records[1], "data_finding": 1000}) == (
        "field 'data_finding': must be a valid string, got 1000")


def test_the_report_says_what_its_marks_and_columns_mean() -> None:
    """A legend under the summary table: each mark, the unverified column counted under the verdicts too (so that
    the headline's clean reproductions are the ✅ column less those on unverified data), and a cell's signs."""
    markdown = report.render_markdown(_records(), REPORTS, ENVIRONMENT)
    after = markdown.split("| **all** ", 1)[1].split("\n\n", 2)[1]
    assert after == report.LEGEND and after.count("\n") <= 1
    signs = ("→", "±", "∈", "Δ", "counted under its verdict")
    for mark in (*report.VERDICT_MARKS.values(), report.UNVERIFIED_MARK, *signs):
        assert mark in report.LEGEND, mark
    assert max(map(len, report.LEGEND.splitlines())) <= 250, "as long as a wrapped reason's line at most"


def test_badges_are_written_offline_and_stable(tmp_path: Path) -> None:
    written = badges.write_badges(_records(), REPORTS, tmp_path)
    assert [p.name for p in written] == ["claims.json", "claims.svg", "claims-demo.json", "claims-demo.svg",
                                         "claims-empty.json", "claims-empty.svg"]
    message = "1 reproduced of 4 checked, 1 reproduced on unverified data, 1 refuted, 1 known error, 1 not run"
    assert json.loads((tmp_path / "claims-demo.json").read_text(encoding="utf-8"))["message"] == message
    svg = (tmp_path / "claims.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and f"claims: {message}" in svg
    first = {p.name: p.read_bytes() for p in written}
    badges.write_badges(_records(), REPORTS, tmp_path)
    assert {p.name: p.read_bytes() for p in written} == first


@pytest.mark.parametrize("slug", ["r&d", "a<b>", 'say"so"', "it's", "x</text>y"])
def test_a_badge_of_a_report_whose_name_xml_reserves_is_xml_and_says_it(tmp_path: Path, slug: str) -> None:
    """A ledger's file name is its report's slug, and its badge's label: each SVG parses, and reads as written."""
    named = Report(slug=slug, title="Named", source=None, origin="", tables=(), claims=())
    badges.write_badges(_records(), [named, DEMO], tmp_path)
    svg = ElementTree.parse(tmp_path / f"claims-{slug}.svg").getroot()
    texts = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == [f"claims: {slug}"] * 2 + ["none checked"] * 2
    assert svg.get("aria-label") == svg.findtext("{http://www.w3.org/2000/svg}title") == f"claims: {slug}: none checked"
    ElementTree.parse(tmp_path / "claims.svg")


def test_pareto_front() -> None:
    points = [(10.0, 0.5), (20.0, 0.4), (30.0, 0.7), (30.0, 0.6), (40.0, 0.7), (50.0, 0.9)]
    assert plots.pareto_front(points) == [(10.0, 0.5), (30.0, 0.7), (50.0, 0.9)]


def test_plot_points() -> None:
    claims = {claim.id: claim for claim in CLAIMS}
    points = plots.accuracy_points(_records(), claims)
    assert points == {"cifar10": [("demo.big", 21234, 0.903, pytest.approx(0.901), False)]}  # unverified data
    scatter = plots.scatter_points([*_records(), {**_records()[0], "id": "demo/shape", "measured": [1, 2],
                                                  "claimed": [1, 2]}])
    assert sorted(scatter) == ["accuracy", "params"]
    assert scatter["params"]["refuted"] == [(20000.0, 21234)]
    assert scatter["accuracy"] == {"untrusted": [(pytest.approx(0.901), 0.903)]}


def test_an_untrusted_measurement_is_plotted_apart_and_off_the_front() -> None:
    """An accuracy whose verdict is an error, or measured on unverified data, is no measurement to trust: it is
    marked as such, off the Pareto front, with a legend that says so; the claimed-against-measured scatter plots
    it under ``untrusted``, never under its verdict."""
    claims = {claim.id: claim for claim in CLAIMS}
    small, big, acc_small, acc_big, _, _ = CLAIMS
    trusted = _record(acc_big, "refuted", 0.5, band=[89.1, 91.1])
    errored = _record(acc_small, "error", 0.95, "one seed outside the band")
    unverified = {**trusted, "verdict": "reproduced", "measured": 0.903, "unverified_data": True}
    sizes = [_record(small, "reproduced", 1000), _record(big, "reproduced", 20000)]
    points = plots.accuracy_points([*sizes, trusted, errored], claims)
    assert points == {"cifar10": [("demo.big", 20000, 0.5, pytest.approx(0.901), True),
                                  ("demo.small", 1000, 0.95, pytest.approx(0.805), False)]}
    assert plots.accuracy_points([*sizes, unverified], claims)["cifar10"][0][4] is False
    axes = plots._accuracy_figure(points).axes[0]
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "measured (reproduced, refuted or known error, on verified data)" in labels
    assert "untrusted (error verdict, or unverified data): off the front" in labels
    front = next(line for line in axes.get_lines() if line.get_label() == "Pareto front")
    assert list(front.get_xdata()) == [20000]
    scatter = plots.scatter_points([errored, unverified, sizes[0]])
    assert scatter == {"accuracy": {"untrusted": [(pytest.approx(0.805), 0.95), (pytest.approx(0.901), 0.903)]},
                       "params": {"reproduced": [(1000.0, 1000)]}}
    assert "untrusted (error verdict, or unverified data)" in [
        text.get_text() for text in plots._scatter_figure(scatter).axes[0].get_legend().get_texts()]


def test_a_bound_on_accuracy_is_plotted_as_measured_only(tmp_path: Path) -> None:
    claims = {claim.id: claim for claim in CLAIMS}
    bound = {**_records()[3], "claimed": None, "interval": [80, None], "printed": "over 80%"}
    assert plots.accuracy_points([_records()[1], bound], claims) == {"cifar10": [("demo.big", 21234, 0.903, None,
                                                                                              False)]}
    assert [p.name for p in plots.write_plots([_records()[1], bound], REPORTS, tmp_path)][0] == "accuracy_vs_params.png"


@pytest.mark.parametrize("records", [[], _records()], ids=["nothing measured", "demo"])
def test_plots_are_pngs_and_stable(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    written = plots.write_plots(records, REPORTS, tmp_path)
    assert [p.name for p in written] == ["accuracy_vs_params.png", "claimed_vs_measured.png"]
    first = [p.read_bytes() for p in written]
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in first)
    assert [p.read_bytes() for p in plots.write_plots(records, REPORTS, tmp_path)] == first


def test_readme_block_is_replaced(tmp_path: Path) -> None:
    readme = tmp_path / "docs" / "README.md"
    readme.parent.mkdir()
    readme.write_text(f"intro\n{report.README_START}\nold\n{report.README_END}\noutro\n", encoding="utf-8")
    report.update_readme(readme, _records(), REPORTS, tmp_path / "out" / "badges")
    once = readme.read_text(encoding="utf-8")
    assert once.startswith(f"intro\n{report.README_START}\n\n![claims](../out/badges/claims.svg) "
                           "![claims: demo](../out/badges/claims-demo.svg) "
                           "![claims: empty](../out/badges/claims-empty.svg)\n\n**1 reproduced of 4 checked")
    assert _cells(once, "**all**")[1:] == ["2", "1", "1", "0", "1", "0", "1", "5"]
    assert once.endswith(f"|\n\n{report.README_END}\noutro\n")
    assert "old" not in once
    report.update_readme(readme, _records(), REPORTS, tmp_path / "out" / "badges")
    assert readme.read_text(encoding="utf-8") == once


def test_a_summary_inside_details_renders_as_markdown(tmp_path: Path) -> None:
    """A blank line after the start marker and before the end marker ends the HTML blocks (CommonMark's rule 6 block
    of ``<details>`` and the markers' comments), so the badges and the headline render inside ``<details>``; a
    summary written without those blank lines is replaced, and a second run changes no byte."""
    from markdown_it import MarkdownIt

    readme = tmp_path / "README.md"
    readme.write_text(f"<details>\n<summary>Verdicts</summary>\n{report.README_START}\n![claims](badges/claims.svg)\n"
                      f"\n**old**\n{report.README_END}\n</details>\n", encoding="utf-8")
    report.update_readme(readme, _records(), REPORTS, tmp_path / "badges")
    once = readme.read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").render(once)
    assert html.count("<img src=") == 3 and "<strong>1 reproduced of 4 checked" in html
    assert f"{report.README_START}\n\n![claims]" in once and f"|\n\n{report.README_END}\n</details>" in once
    report.update_readme(readme, _records(), REPORTS, tmp_path / "badges")
    assert readme.read_text(encoding="utf-8") == once


def test_a_readme_rendered_without_badges_keeps_its_badge_images(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"{report.README_START}\nold\n{report.README_END}\n", encoding="utf-8")
    report.update_readme(readme, _records(), REPORTS, tmp_path / "badges")
    with_badges = readme.read_text(encoding="utf-8")
    report.update_readme(readme, _records()[:2], REPORTS, None)
    again = readme.read_text(encoding="utf-8")
    assert again.splitlines()[2] == with_badges.splitlines()[2] == (
        "![claims](badges/claims.svg) ![claims: demo](badges/claims-demo.svg) "
        "![claims: empty](badges/claims-empty.svg)")
    report.update_readme(readme, _records(), REPORTS, None)
    assert readme.read_text(encoding="utf-8") == with_badges


ODD_SLUGS = ["a b", "x](y)", "[z]", "p(q", "100% é", "back\\slash`*star*`", "<angle> & amp"]
"""Ledger file stems a user may have, each with what ends or alters a markdown link or image."""


def _images(markdown: str) -> list[tuple[str, str]]:
    """(alt text, decoded target) of every image, as markdown-it (CommonMark) renders the document."""
    from urllib.parse import unquote

    from markdown_it import MarkdownIt

    tokens = [child for token in MarkdownIt("commonmark").parse(markdown) for child in token.children or []]
    return [("".join(c.content for c in image.children or []), unquote(str(image.attrs["src"])))
            for image in tokens if image.type == "image"]


def test_badge_images_link_to_their_files_whatever_the_slug(tmp_path: Path) -> None:
    """A README's badge images render, in a CommonMark parser, as their labels, linking to the SVG files written,
    for ledger names with spaces, brackets, parentheses, ``%``, non-ASCII letters or markdown marks; a README
    re-rendered without badges keeps that line."""
    reports = [dataclasses.replace(EMPTY, slug=slug) for slug in ODD_SLUGS]
    readme, folder = tmp_path / "README.md", tmp_path / "my badges (new)"
    readme.write_text(f"{report.README_START}\n{report.README_END}\n", encoding="utf-8")
    badges.write_badges([], reports, folder)
    report.update_readme(readme, [], reports, folder)
    with_badges = readme.read_text(encoding="utf-8")
    rendered = _images(with_badges)
    assert [alt for alt, _ in rendered] == [label for _, label in badges.targets(reports)]
    assert [target for _, target in rendered] == [f"{folder.name}/{stem}.svg" for stem, _ in badges.targets(reports)]
    assert all((tmp_path / target).is_file() for _, target in rendered)
    report.update_readme(readme, [], reports, None)
    assert readme.read_text(encoding="utf-8") == with_badges


def test_this_repositorys_readme_takes_make_reports_summary() -> None:
    report.check_readme(Path(__file__).resolve().parent.parent / "README.md")


QUOTED_MARKERS = {"prose": f"Add `{report.README_START}` and `{report.README_END}` lines.\n",
                  "code": f"Add:\n\n```markdown\n{report.README_START}\n{report.README_END}\n```\n\n"
                          f"    {report.README_START}\n"}
"""A README quoting the marker lines to its readers: in a sentence, in a fenced and in an indented code block."""


@pytest.mark.parametrize("quoted", QUOTED_MARKERS.values(), ids=QUOTED_MARKERS)
def test_markers_quoted_in_prose_or_code_are_no_block(tmp_path: Path, quoted: str) -> None:
    """Only a marker on a line of its own, outside code blocks, counts: a README may show which lines to add."""
    readme = tmp_path / "README.md"
    readme.write_text(f"{quoted}\n{report.README_START}\nold\n{report.README_END}\n{quoted}", encoding="utf-8")
    report.update_readme(readme, _records(), REPORTS, None)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"{quoted}\n{report.README_START}\n\n**1 reproduced of 4 checked")
    assert text.endswith(f"{report.README_END}\n{quoted}") and "old" not in text
    readme.write_text(quoted, encoding="utf-8")
    with pytest.raises(ValueError, match="README.md: needs one .* line, outside code blocks"):
        report.check_readme(readme)


def test_a_crlf_readme_keeps_its_line_ends(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes(f"intro\r\n{report.README_START}\r\nold\r\n{report.README_END}\r\noutro\r\n".encode())
    report.update_readme(readme, _records(), REPORTS, tmp_path / "badges")
    written = readme.read_bytes()
    assert written.startswith(f"intro\r\n{report.README_START}\r\n\r\n![claims]".encode())
    assert written.endswith(f"{report.README_END}\r\noutro\r\n".encode()) and b"old" not in written
    assert written.count(b"\n") == written.count(b"\r\n"), "every line ends in CRLF"


@pytest.mark.parametrize("text", ["no markers\n", f"{report.README_END}\n{report.README_START}\n",
                                  f"{report.README_START}\n{report.README_START}\n{report.README_END}\n"])
def test_readme_without_markers_is_rejected(tmp_path: Path, text: str) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="README.md: needs one"):
        report.check_readme(readme)


def test_write_all_writes_what_was_asked(tmp_path: Path) -> None:
    written = report.write_all(_records(), REPORTS, ENVIRONMENT, markdown=tmp_path / "r" / "REPORT.md",
                               json=tmp_path / "r.json")
    assert written == [tmp_path / "r" / "REPORT.md", tmp_path / "r.json"]
    assert report.write_all(_records(), REPORTS, ENVIRONMENT) == []


@pytest.mark.parametrize("failing", ["R.md", "claims.svg", "c.json"])
def test_a_file_that_cannot_be_written_leaves_every_file_of_the_last_run(tmp_path: Path, failing: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A file too large to write: no file is replaced, none of the temporary files is left, the error names the
    file; written, the JSON (what the next run carries from) is renamed into place last."""
    outputs = {"markdown": tmp_path / "R.md", "json": tmp_path / "c.json", "badges": tmp_path / "badges"}
    report.write_all(_records()[:1], REPORTS, ENVIRONMENT, **outputs)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    real = Path.write_bytes

    def too_large(self: Path, data: bytes) -> int:
        if self.name.startswith(f".claimbench-{failing}."):
            raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", too_large)
    with pytest.raises(OSError) as raised:
        report.write_all(_records(), REPORTS, ENVIRONMENT, **outputs)
    assert raised.value.filename.endswith(failing) and raised.value.strerror == "File too large"
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    monkeypatch.undo()
    renamed: list[str] = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda source, target: (renamed.append(Path(target).name),
                                                               replace(source, target)))
    report.write_all(_records(), REPORTS, ENVIRONMENT, **outputs)
    assert renamed[0] == "R.md" and renamed[-1] == "c.json"


def _write_pausing(previous: Path, read: Any, written: Any) -> None:
    """A run that measured the first claim: it writes the results folder, pausing after it has read the earlier JSON
    until the other run has written it (or 2 s have passed, where that one waits for this one)."""
    registry._BUILDERS.update(dict.fromkeys(DEMO_MODELS, _demo_model))  # a process of its own
    model_code.digest = _demo_code  # type: ignore[assignment]
    merge = carry_over.carry_over

    def paused(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        merged = merge(*args, **kwargs)
        read.set()
        written.wait(2)
        return merged

    carry_over.carry_over = paused  # type: ignore[assignment]
    rerun = [_record(CLAIMS[0], "refuted", 999, "off by one", date="2026-12-01")]
    report.write_all(rerun, REPORTS, ENVIRONMENT, json=previous, markdown=previous.with_name("REPORT.md"))


def _write_meanwhile(previous: Path, read: Any, written: Any) -> None:
    """A run that measured the second claim: it writes the results folder once the other run has read it."""
    registry._BUILDERS.update(dict.fromkeys(DEMO_MODELS, _demo_model))  # a process of its own
    model_code.digest = _demo_code  # type: ignore[assignment]
    read.wait(30)
    report.write_all([_records()[1]], REPORTS, ENVIRONMENT, json=previous, markdown=previous.with_name("REPORT.md"))
    written.set()


def test_two_runs_writing_one_results_folder_at_once_keep_each_others_records(tmp_path: Path) -> None:
    """Two processes read the earlier JSON, then write theirs: the second to take the folder's lock reads what the
    first wrote, so neither's fresh verdict becomes a 'not run'."""
    import multiprocessing

    previous = tmp_path / "claims.json"
    context = multiprocessing.get_context("spawn")
    read, written = context.Event(), context.Event()
    runs = [context.Process(target=target, args=(previous, read, written))
            for target in (_write_pausing, _write_meanwhile)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert [run.exitcode for run in runs] == [0, 0]
    verdicts = {r["id"]: r["verdict"] for r in json.loads(previous.read_text(encoding="utf-8"))["claims"]}
    assert (verdicts["demo/params/small"], verdicts["demo/params/big"]) == ("refuted", "refuted")
    assert "off by one" in (tmp_path / "REPORT.md").read_text(encoding="utf-8"), "the report shows both too"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no lock file is left behind"


@pytest.mark.usefixtures("ctrl_c")
def test_a_ctrl_c_while_the_files_are_written_waits_for_the_last(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C pressed while REPORT.md is written: the JSON is written too, then the interrupt is raised."""
    render = report.render_markdown

    def pressed_during(*args: object) -> str:
        signal.raise_signal(signal.SIGINT)
        return render(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(report, "render_markdown", pressed_during)
    with pytest.raises(KeyboardInterrupt):
        report.write_all(_records(), REPORTS, ENVIRONMENT, markdown=tmp_path / "R.md", json=tmp_path / "c.json")
    assert (tmp_path / "R.md").is_file() and (tmp_path / "c.json").is_file()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_renderer_imports_neither_pytest_nor_torch() -> None:
    code = "import sys, claimbench.report; print(sorted({'pytest', 'torch'} & sys.modules.keys()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


MARKDOWN_LOOKALIKES = ["+ x", "- x", "* x", "# x", "## x", "###### x", "> x", "1. x", "1) x", "===", "---", "***",
                      "```", "~~~", "<div>", "&amp;", "__init__", "*not em*", "a|b", "[link](x)", "`code`", "~~gone~~",
                      "\\"]


def _list_texts(markdown: str) -> list[str]:
    """The text each item of the document's ordered list renders as (markdown-it, CommonMark plus tables and
    strike-through); an item that renders as anything but one plain paragraph fails."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)
    start = next(i for i, token in enumerate(tokens) if token.type == "ordered_list_open")
    texts = []
    for index in range(start + 1, len(tokens)):
        token = tokens[index]
        if token.type == "ordered_list_close" and token.level == tokens[start].level:
            break
        assert token.type in ("list_item_open", "list_item_close", "paragraph_open", "paragraph_close",
                              "inline"), f"a reason renders as {token.type}: {token.map}"
        if token.type == "inline":
            children = token.children or []
            assert {child.type for child in children} <= {"text", "softbreak"}, [c.type for c in children]
            texts.append("".join(" " if child.type == "softbreak" else child.content for child in children))
    return texts


def test_a_reason_renders_as_the_text_it_is() -> None:
    """Wrapped anywhere, a reason's text starts no list, heading, quote, rule or code block, and Python's error
    text is no HTML (GitHub would hide ``<lambda>``)."""
    reasons = ["TypeError: <lambda>() takes 0 positional arguments but 1 was given",
               "\n    needs CUDA: an indented skip message, which must not become a code block",
               *(" ".join(["word"] * words) + f" {lookalike} end" for lookalike in MARKDOWN_LOOKALIKES
                 for words in range(18, 30))]
    claims = [_claim(f"params/r{n}", "params", 5, "5", None, model="demo.small", count="tensors")
              for n in range(len(reasons))]
    demo = dataclasses.replace(DEMO, claims=tuple(claims))
    records = [_record(claim, "error", None, reason) for claim, reason in zip(claims, reasons, strict=True)]
    markdown = report.render_markdown(records, [demo], ENVIRONMENT)
    continued = [line.lstrip() for line in markdown.split("## Reasons and notes")[1].splitlines()
                 if line.startswith("   ")]
    assert set("-#+*1>`") <= {line.replace("\\", "")[:1] for line in continued}, (
        "the test wraps each look-alike to the start of a line")
    assert sorted(_list_texts(markdown)) == sorted(" ".join(reason.split()) for reason in reasons)
    assert max(len(line) for line in markdown.split("## Reasons and notes")[1].splitlines()) <= report.WIDTH


def test_a_reason_shared_by_two_reports_is_written_once_and_long_ones_wrap() -> None:
    long_reason = "needs CUDA " + "and a very long explanation " * 20
    other = _claim("params/x", "params", 5, "5", None, model="demo.small", count="tensors")
    twin = Report(slug="twin", title="Twin report", source=None, origin="", tables=(),
                  claims=(dataclasses.replace(other, id="twin/params/x", report="twin"),))
    records = [_record(CLAIMS[0], "not run", None, long_reason),
               {**_record(twin.claims[0], "not run", None, long_reason), "report": "twin"}]
    markdown = report.render_markdown(records, [DEMO, twin], ENVIRONMENT)
    assert markdown.count("needs CUDA") == 1 and max(len(line) for line in markdown.splitlines()) <= 250
    assert markdown.endswith("## Reasons and notes\n\nEach reason, and each note of the ledger, is written once; "
                             "the numbers in the tables refer to it.\n\n"
                             "1. needs CUDA and a very long explanation and a very long explanation" +
                             markdown.split("1. needs CUDA and a very long explanation and a very long explanation")[1])
