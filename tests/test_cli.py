"""The ``claimbench`` command: draft, report and compare, run as a user would."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import claimbench
from claimbench import cli, compare, draft, drift, ledger, pytest_ini, registry, schema
from claimbench.results import JUDGED_BY, Outcome, judged_by, record_for
from claimbench.verdict import Measurement

REPO = Path(__file__).resolve().parent.parent
FP32_LINES = ("# fp32, the author's numerics, so that a training number can be refuted: auto may choose bf16 where "
              "it is faster, which never refutes one\nclaims_train_precision = fp32\n")
"""What ``init`` writes of the training precision: a number trained in bf16 that auto chose is never refuted, and a
probe near its threshold chooses either from one push to the next."""


def _record(claim_id: str, verdict: str, shown: float | None) -> dict:
    """A record whose band holds its shown number where it is reproduced, and leaves it out where it is not."""
    band = None if not isinstance(shown, (int, float)) else [shown, shown] if verdict == "reproduced" else [
        shown + 1, shown + 1]
    return {"id": claim_id, "report": "iot_ml_hw2", "kind": "params", "model": "m", "claimed": 1, "interval": None,
            "printed": "1", "scale": 1.0, "source": "s", "cell": None, "measured": shown, "shown": shown,
            "delta": None, "band": band, "tolerance": "exact", "direction": "", "counters": {}, "seeds": [],
            "spread": None, "device": "meta", "unverified_data": False, "verdict": verdict, "reason": "",
            "note": None, "date": "2026-11-30", "duration": 0.0}


def _results(path: Path, *records: dict) -> Path:
    path.write_text(json.dumps({"environment": {"date": "2026-11-30"}, "claims": list(records)}), encoding="utf-8")
    return path


def test_compare_lists_what_changed_verdict_by_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _results(tmp_path / "old.json", _record("r/a", "reproduced", 1), _record("r/b", "reproduced", 2),
                   _record("r/c", "not run", None))
    new = _results(tmp_path / "new.json", _record("r/a", "reproduced", 1), _record("r/b", "refuted", 3),
                   _record("r/d", "error", None))
    assert cli.main(["compare", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "old: 2 reproduced of 2 checked" in out and "new: 1 reproduced of 2 checked, 1 refuted, 1 error" in out
    assert "| `r/b`   | reproduced    | refuted       | 2" in out
    assert "`r/a`" not in out and "| `r/c`   | not run       | —" in out
    assert cli.main(["compare", str(old), str(new), "--fail-on-regression"]) == 1
    assert capsys.readouterr().err == "claimbench compare: 2 claim(s) became refuted or error: r/b, r/d\n"
    many = _results(tmp_path / "many.json", _record("r/a", "refuted", 11_689_512.0))
    cli.main(["compare", str(old), str(many)])
    assert "| 11,689,512" in capsys.readouterr().out  # a count reads as one, not as 11689512.0
    still = _results(tmp_path / "still.json", _record("r/a", "reproduced", 1), _record("r/b", "refuted", 4),
                     _record("r/d", "error", None))
    assert cli.main(["compare", str(new), str(still), "--fail-on-regression"]) == 0  # refuted before: no regression


PARAMS = judged_by(ledger.Claim(id="r/a", report="iot_ml_hw2", kind="params", value=1, printed="1", source="s",
                                tolerance=ledger.Tolerance(), file="r.toml", model="m", count="trainable"))
"""What a record of ``_record``'s claim (1 parameter, exact) carries of it, as a record of this claimbench does."""


def test_compare_takes_a_record_its_own_figures_refute_for_not_run(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A verdict edited to reproduced that the judge does not give its measurement, by the claim the record carries,
    is no verdict, as for report; a record without that claim's figures (of an older claimbench) is taken as it is."""
    old = _results(tmp_path / "old.json", _record("r/a", "reproduced", 1), _record("r/b", "reproduced", 2))
    forged = {**_record("r/a", "refuted", 5), **PARAMS, "verdict": "reproduced"}
    new = _results(tmp_path / "new.json", forged, _record("r/b", "reproduced", 2))
    assert cli.main(["compare", str(old), str(new)]) == 0
    captured = capsys.readouterr()
    assert captured.err == (f"claimbench compare: 1 claim(s) of {new} judged otherwise than their own figures say "
                            "(first: r/a): compared as not run\n")
    assert "| `r/a`   | reproduced    | not run       | 1" in captured.out
    assert "new: 1 reproduced of 1 checked" in captured.out
    older = _results(tmp_path / "older.json", {key: forged[key] for key in cli.COMPARED_FIELDS})
    assert cli.main(["compare", str(older), str(new)]) == 0  # an older claimbench's record, without a band: as it is
    assert "older.json" not in capsys.readouterr().err
    unjudged = _results(tmp_path / "unjudged.json", {key: value for key, value in forged.items() if key not in PARAMS})
    assert cli.main(["compare", str(old), str(unjudged)]) == 0
    assert not capsys.readouterr().err, "without its claim's figures: no claim to judge it by, as it is"


def test_compare_takes_a_seeds_record_edited_to_reproduced_for_not_run(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Refuted seeds (where a run lands off the band, no seed in it) edited to reproduced: its own figures refute
    it, so a regression is not hidden; a seed on the claim reproduces it."""
    refuted = _judged_seeds(ACCURACY, (0.70, 0.71, 0.72))
    assert refuted["verdict"] == "refuted"
    old = _results(tmp_path / "old.json", refuted)
    forged = _results(tmp_path / "forged.json", {**refuted, "verdict": "reproduced"})
    assert cli.main(["compare", str(old), str(forged)]) == 0
    captured = capsys.readouterr()
    assert captured.err == (f"claimbench compare: 1 claim(s) of {forged} judged otherwise than their own figures "
                            "say (first: r/a): compared as not run\n")
    assert "| `r/a`   | refuted       | not run" in captured.out
    landed = _results(tmp_path / "landed.json", _judged_seeds(ACCURACY, (0.70, 0.71, 0.805)))
    assert cli.main(["compare", str(old), str(landed)]) == 0
    captured = capsys.readouterr()
    assert not captured.err and "| `r/a`   | refuted       | reproduced" in captured.out


def test_compare_keeps_a_documented_error_an_outlier_seed_lands_on(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A known error whose seeds bear out the correct value, two of them in the typo's band and their interval
    meeting it (the judge's outlier rule), follows by the claim it carries: it is compared as it is."""
    typo = dataclasses.replace(ACCURACY, value=57.3, printed="57.3%", tolerance=ledger.Tolerance(abs=18, digits=1),
                               expect="refuted", why="a typo for 75.3", correct=75.3)
    known = _judged_seeds(typo, (0.753, 0.752, 0.754, 0.805))
    assert known["verdict"] == "known error"
    old, new = _results(tmp_path / "old.json", known), _results(tmp_path / "new.json", known)
    assert cli.main(["compare", str(old), str(new), "--fail-on-regression"]) == 0
    captured = capsys.readouterr()
    assert not captured.err and "No claim changed its verdict, measurement or definition." in captured.out


ACCURACY = ledger.Claim(id="r/a", report="r", kind="accuracy", value=80.5, printed="80.5%", source="r.txt",
                        tolerance=ledger.Tolerance(), file="r.toml", model="m", dataset="cifar10", split="test",
                        statistic="final", scale=0.01)
"""An accuracy claim printed "80.5%", a single run's number, exact."""


def _judged_seeds(claim: ledger.Claim, seeds: tuple[float, ...]) -> dict:
    """The record the judge writes of ``seeds`` measured for ``claim``."""
    measurement = Measurement(sum(seeds) / len(seeds), seeds=seeds, spread=0.05, device="CPU")
    return record_for(claim, Outcome(measurement=measurement.to_dict()), "2026-11-30")


def test_compare_judges_a_seeds_record_by_the_claim_it_carries(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A record carries its claim's correct value, runs and tolerance, and is judged by the judge's full rule: a
    documented error whose mean (73.8) is neither the printed 80.5 nor the correct 58, one seed on 80.5, is an error
    of ours, so edited to a known error it is compared as not run (its seeds' positions alone would pass it for one
    outlier seed on a documented error); one seed on the claim reproduces no mean of 3 runs."""
    seeds = (0.70, 0.71, 0.805)
    documented = _judged_seeds(dataclasses.replace(ACCURACY, expect="refuted", why="a typo", correct=58.0), seeds)
    averaged = _judged_seeds(dataclasses.replace(ACCURACY, runs=3), seeds)
    assert documented["verdict"] == averaged["verdict"] == "error"
    for record, verdict in ((documented, "known error"), (averaged, "reproduced")):
        edited = _results(tmp_path / "edited.json", {**record, "verdict": verdict, "reason": ""})
        older = _results(tmp_path / "older.json", {key: value for key, value in record.items()
                                                   if key not in JUDGED_BY} | {"verdict": verdict})
        assert cli.main(["compare", str(older), str(edited)]) == 0
        captured = capsys.readouterr()
        assert captured.err == (f"claimbench compare: 1 claim(s) of {edited} judged otherwise than their own figures "
                                "say (first: r/a): compared as not run\n"), verdict
        assert f"| `r/a`   | {verdict:<13} | not run" in captured.out
    known = _judged_seeds(dataclasses.replace(ACCURACY, expect="refuted", why="a typo", correct=58.0),
                          (0.575, 0.58, 0.585))
    assert known["verdict"] == "known error"
    assert cli.main(["compare", str(_results(tmp_path / "known.json", known)), str(tmp_path / "known.json")]) == 0
    assert not capsys.readouterr().err
    broken = _results(tmp_path / "broken.json", {**known, "ledger_tolerance": {"digits": "2"}})
    assert cli.main(["compare", str(tmp_path / "known.json"), str(broken)]) == 0
    assert capsys.readouterr().err == (f"claimbench compare: 1 claim(s) of {broken} judged otherwise than their own "
                                       "figures say (first: r/a): compared as not run\n"), "no claim's figures"


def test_compare_of_a_new_run_without_records_fails_the_gate(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    old = _results(tmp_path / "old.json", _record("r/a", "reproduced", 1))
    empty = _results(tmp_path / "empty.json")
    assert cli.main(["compare", str(old), str(empty), "--fail-on-regression"]) == 1
    assert capsys.readouterr().err == (f"claimbench compare: {empty} holds no claim record, {old} 1: every claim "
                                       "was lost\n")
    assert cli.main(["compare", str(old), str(empty)]) == 0
    assert cli.main(["compare", str(empty), str(empty), "--fail-on-regression"]) == 0


def test_compare_lists_the_claims_missing_from_the_new_run_and_fails_the_gate_on_a_vouched_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A claim of OLD.json without a record in a NEW.json that holds others (its run's ledger no longer held it: a
    run writes a not run record of every claim of its ledger it did not measure) is listed under its own heading;
    the gate fails where it was reproduced or a known error in OLD, not where OLD vouched for nothing."""
    old = _results(tmp_path / "old.json", _record("r/a", "reproduced", 1), _record("r/b", "known error", 2),
                   _record("r/c", "not run", None), _record("r/d", "refuted", 4), _record("r/e", "reproduced", 5))
    new = _results(tmp_path / "new.json", _record("r/a", "reproduced", 1))
    assert cli.main(["compare", str(old), str(new)]) == 0
    captured = capsys.readouterr()
    assert not captured.err and "No claim of the new run changed its verdict, measurement or" in captured.out
    assert ("Missing from NEW: 4 claims of the old run without a record in the new one (a run writes one for every "
            "claim of its ledger, not run ones too: its ledger no longer held them)") in captured.out
    assert "| `r/b`   | known error   | 2 " in captured.out and "| `r/e`   | reproduced    | 5 " in captured.out
    assert cli.main(["compare", str(old), str(new), "--fail-on-regression"]) == 1
    assert capsys.readouterr().err == (f"claimbench compare: 2 claim(s) reproduced or a known error in {old} have no "
                                       f"record in {new}: r/b, r/e\n")
    unvouched = _results(tmp_path / "unvouched.json", _record("r/a", "refuted", 3), _record("r/b", "known error", 2),
                         _record("r/e", "reproduced", 5))
    assert cli.main(["compare", str(old), str(unvouched), "--fail-on-regression"]) == 1
    assert capsys.readouterr().err == "claimbench compare: 1 claim(s) became refuted or error: r/a\n"
    kept = _results(tmp_path / "kept.json", _record("r/a", "reproduced", 1), _record("r/b", "known error", 2),
                    _record("r/e", "reproduced", 5))
    assert cli.main(["compare", str(old), str(kept), "--fail-on-regression"]) == 0


def test_compare_shows_a_number_that_is_not_finite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The NaN and Infinity an older claimbench wrote into its JSON read back, and show as Python prints them."""
    old = _results(tmp_path / "old.json", _record("r/a", "error", float("nan")), _record("r/b", "reproduced", 2))
    new = _results(tmp_path / "new.json", _record("r/a", "error", float("inf")), _record("r/b", "error", float("-inf")))
    assert "NaN" in old.read_text(encoding="utf-8")
    assert cli.main(["compare", str(old), str(new), "--fail-on-regression"]) == 1
    out = capsys.readouterr().out
    assert "| `r/a`   | error         | error         | nan" in out and "| inf" in out and "| -inf" in out, out


def test_compare_says_which_claims_were_edited_between_the_runs(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The same verdict and number after an edited recipe are another claim's, not a confirmation."""
    def run(name: str, digest: str, shown: float) -> Path:
        return _results(tmp_path / name, {**_record("r/a", "reproduced", shown), "claim_digest": digest,
                                          "model_digest": "m1"})

    cli.main(["compare", str(run("old.json", "d1", 83.2)), str(run("new.json", "d2", 83.2))])
    row = "| `r/a`   | reproduced    | reproduced    | 83.2           | 83.2           | claim "
    assert row in capsys.readouterr().out
    cli.main(["compare", str(run("old.json", "d1", 83.2)), str(run("same.json", "d1", 83.2))])
    assert "No claim changed its verdict, measurement or definition." in capsys.readouterr().out


def test_compare_lists_a_measurement_that_changed_under_the_same_shown_number(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """21,294,922 and 21,250,000 parameters both show as 21.2 (millions): the row says what was measured."""
    def run(name: str, measured: int) -> Path:
        return _results(tmp_path / name, {**_record("r/a", "reproduced", 21.2), "measured": measured, "scale": 1e6})

    assert cli.main(["compare", str(run("old.json", 21_294_922)), str(run("new.json", 21_250_000)),
                     "--fail-on-regression"]) == 0, "a verdict that did not change is no regression"
    out = capsys.readouterr().out
    assert "No claim changed" not in out
    assert re.search(r"\| `r/a` +\| reproduced +\| reproduced +\| 21.2 \(measured 21,294,922\) +"
                     r"\| 21.2 \(measured 21,250,000\) +\| — +\|", out), out
    cli.main(["compare", str(run("old.json", 21_294_922)), str(run("same.json", 21_294_922))])
    assert "No claim changed its verdict, measurement or definition." in capsys.readouterr().out
    close = compare.compare_records([{**_record("r/a", "reproduced", 0.35), "measured": 0.3456789}],
                                    [{**_record("r/a", "reproduced", 0.35), "measured": 0.3456791}])
    assert close[0][3:5] == ("0.35 (measured 0.3456789)", "0.35 (measured 0.3456791)")  # not 0.345679 twice


def test_compare_leaves_out_an_epoch_time_timed_anew_and_counts_it(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """An epoch time measured again differs by its timing alone: it is counted, not listed as a change, unless its
    verdict or definition changed too, or the record has no kind (an older claimbench's)."""
    def epoch(verdict: str, seconds: float, **fields: object) -> dict:
        return {**_record("r/t", verdict, seconds), "kind": "epoch_time", **fields}

    old = _results(tmp_path / "old.json", epoch("reproduced", 1.15), _record("r/a", "reproduced", 1))
    new = _results(tmp_path / "new.json", epoch("reproduced", 1.17), _record("r/a", "reproduced", 1))
    cli.main(["compare", str(old), str(new)])
    out = capsys.readouterr().out
    assert "`r/t`" not in out
    assert ("No claim changed its verdict or definition, and none its measurement but 1 epoch time timed anew"
            in out), out
    retimed = compare.retimed_claims(json.loads(old.read_text())["claims"], json.loads(new.read_text())["claims"])
    assert retimed == ["r/t"]
    moved = _results(tmp_path / "moved.json", epoch("reproduced", 1.17), _record("r/a", "refuted", 2))
    cli.main(["compare", str(old), str(moved)])
    out = capsys.readouterr().out
    assert "`r/a`" in out and "`r/t`" not in out
    assert "Not listed: 1 epoch time timed anew with the same verdict and definition" in out
    for other in (epoch("refuted", 3.0), epoch("reproduced", 1.17, claim_digest="d2"),
                  {**_record("r/t", "reproduced", 1.17), "kind": None}):
        cli.main(["compare", str(_results(tmp_path / "old2.json", {**epoch("reproduced", 1.15), "claim_digest": "d1"})),
                  str(_results(tmp_path / "other.json", other))])
        out = capsys.readouterr().out
        assert "`r/t`" in out and "timed anew" not in out, other


def test_compare_reads_the_json_of_an_older_claimbench_and_refuses_a_newer_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """compare needs a record's id, verdict, shown and measured only; a format it does not know is one line."""
    fields = ("id", "report", "kind", "model", "claimed", "printed", "scale", "cell", "measured", "shown", "delta",
              "device", "verdict", "reason")  # a record of before the format had 'interval' and 'band'
    older = tmp_path / "older.json"
    older.write_text(json.dumps({"claims": [{key: _record("r/a", "reproduced", 1)[key] for key in fields}]}),
                     encoding="utf-8")
    new = _results(tmp_path / "new.json", _record("r/a", "refuted", 2))
    assert cli.main(["compare", str(older), str(new)]) == 0
    assert "| `r/a`   | reproduced    | refuted " in capsys.readouterr().out
    bare = _results(tmp_path / "bare.json", {key: _record("r/a", "reproduced", 1)[key] for key in ("id", "verdict",
                                                                                                "shown")})
    with pytest.raises(SystemExit, match=r"bare.json: r/a: missing field 'measured'$"):
        cli.main(["compare", str(bare), str(new)])
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": 2, "claims": []}), encoding="utf-8")
    for command in (["compare", str(newer), str(new)], ["report", str(newer), "--markdown", str(tmp_path / "R.md")]):
        with pytest.raises(SystemExit, match=f"^claimbench {command[0]}: {re.escape(str(newer))}: format 2 is newer "
                                             r"than this claimbench reads \(format 1\): upgrade claimbench$"):
            cli.main(command)


def _measured_here(claim_id: str, measured: float, ledger_dir: Path = REPO / "reference") -> dict:
    """A record of a claim of the ledger, as a run against that ledger wrote it: judged by the judge."""
    claim = next(c for c in ledger.load(ledger_dir) if c.id == claim_id)
    return record_for(claim, Outcome(measurement=Measurement(measured).to_dict()), "2026-11-30")


def test_report_rerenders_from_a_saved_json(tmp_path: Path) -> None:
    results = _results(tmp_path / "claims.json", _measured_here("iot_ml_hw2/params/model1", 704842))
    assert cli.main(["report", str(results), "--claims-dir", str(REPO / "reference"),
                     "--markdown", str(tmp_path / "R.md"), "--badges", str(tmp_path / "badges")]) == 0
    assert "**1 reproduced of 1 checked.**" in (tmp_path / "R.md").read_text(encoding="utf-8")
    assert (tmp_path / "badges" / "claims-iot_ml_hw2.svg").exists()


def test_report_shows_a_claim_the_ledger_changed_since_its_run_as_not_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = _results(tmp_path / "claims.json", _measured_here("iot_ml_hw2/params/model1", 704842),
                     _measured_here("iot_ml_hw2/macs/model1", 12035328))
    edited = tmp_path / "ledger"
    edited.mkdir()
    text = (REPO / "reference" / "iot_ml_hw2.toml").read_text(encoding="utf-8")
    loosened = 'printed   = "**704842**"\ntolerance = { abs = 1000 }'
    (edited / "iot_ml_hw2.toml").write_text(text.replace('printed   = "**704842**"', loosened, 1), encoding="utf-8")
    assert cli.main(["report", str(saved), "--claims-dir", str(edited), "--markdown", str(tmp_path / "R.md")]) == 0
    assert capsys.readouterr().err == (f"claimbench report: 1 claim(s) of {saved} changed in the ledger since that run "
                                       "(first: iot_ml_hw2/params/model1): shown as not run\n")
    markdown = (tmp_path / "R.md").read_text(encoding="utf-8")
    assert "**1 reproduced of 1 checked.**" in markdown and "the ledger changed this claim after the run" in markdown
    assert "note: Conv and dense multiply-accumulates only" in markdown, "the ledger's note, not the saved one"


def test_report_shows_a_record_its_own_figures_refute_as_not_run(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A claims JSON edited to call a measurement outside its band reproduced vouches for nothing: re-rendered, it
    is not run, as a run's carry-over treats it, and no badge counts it."""
    forged = {**_measured_here("iot_ml_hw2/params/model1", 704843), "verdict": "reproduced", "reason": ""}
    assert forged["band"] == [704842, 704842]
    saved = _results(tmp_path / "claims.json", forged, _measured_here("iot_ml_hw2/macs/model1", 12035328))
    assert cli.main(["report", str(saved), "--claims-dir", str(REPO / "reference"), "--markdown",
                     str(tmp_path / "R.md"), "--badges", str(tmp_path / "badges")]) == 0
    assert capsys.readouterr().err == (f"claimbench report: 1 claim(s) of {saved} judged otherwise than their own "
                                       "figures say (first: iot_ml_hw2/params/model1): shown as not run\n")
    markdown = " ".join((tmp_path / "R.md").read_text(encoding="utf-8").split())
    assert "**1 reproduced of 1 checked.**" in markdown and "704,843" not in markdown
    assert "was judged otherwise than its own figures say" in markdown
    badge = json.loads((tmp_path / "badges" / "claims.json").read_text(encoding="utf-8"))
    assert badge["message"].startswith("1 reproduced of 1 checked,")


def test_a_file_that_is_not_a_claims_json_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"x.json: not a claims JSON written by --claims-json"):
        cli.main(["compare", str(tmp_path / "x.json"), str(tmp_path / "x.json")])
    with pytest.raises(SystemExit, match=r"^claimbench report: \S+x.json: not a claims JSON written by --claims-json"):
        cli.main(["report", str(tmp_path / "x.json"), "--markdown", str(tmp_path / "r.md")])
    for command in (["compare", str(tmp_path / "nope.json"), str(tmp_path / "x.json")],
                    ["report", str(tmp_path / "nope.json"), "--markdown", str(tmp_path / "r.md")]):
        with pytest.raises(SystemExit, match=rf"^claimbench {command[0]}: \S+nope.json: cannot read it: No such file "
                                             "or directory$"):
            cli.main(command)


@pytest.mark.parametrize(("records", "message"), [
    ([{"id": "core_collapse/params/vit"}],
     r"m.json: core_collapse/params/vit: missing field 'report' \(and 14 more\)$"),
    ([_record("r/a", "reproduced", 1.0), {"report": "r"}], r"m.json: claim #2: missing field 'id'"),
    (["r/a"], r"m.json: claim #1: not a record \(an object\), got 'r/a'$"),
    ([{**_record("r/a", "reproduced", 1.0), "verdict": "bogus"}],
     r"^claimbench report: \S+m.json: r/a: field 'verdict': must be 'reproduced', .* or 'unverifiable', got 'bogus'$"),
    ([{**_record("r/a", "reproduced", 1.0), "cell": "results"}], r"m.json: r/a: field 'cell': .*, got 'results'$"),
    ([{**_record("r/a", "reproduced", 1.0), "spread": "0.2"}], r"m.json: r/a: field 'spread': .*, got '0.2'$"),
])
def test_a_record_missing_a_field_is_one_line_naming_claim_and_field(tmp_path: Path, records: list,
                                                                    message: str) -> None:
    (tmp_path / "m.json").write_text(json.dumps({"claims": records}), encoding="utf-8")
    with pytest.raises(SystemExit, match=message):
        cli.main(["report", str(tmp_path / "m.json"), "--markdown", str(tmp_path / "r.md")])


@pytest.mark.parametrize("shown", ["1.5", "a lot", True, [1, "x"]])
def test_compare_of_a_record_with_a_bad_number_is_one_line_naming_claim_and_field(tmp_path: Path, shown: object,
                                                                                  ) -> None:
    good = _results(tmp_path / "good.json", _record("r/a", "reproduced", 1))
    bad = _results(tmp_path / "bad.json", {**_record("r/a", "reproduced", 1), "shown": shown})
    with pytest.raises(SystemExit, match=r"^claimbench compare: \S+bad.json: r/a: field 'shown': must be a valid "
                                         "number, "):
        cli.main(["compare", str(good), str(bad)])


def test_the_console_script_drafts(tmp_path: Path) -> None:
    report = tmp_path / "README.md"
    report.write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    script = Path(sys.executable).with_name("claimbench")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "claimbench.cli"]
    finished = subprocess.run([*command, "draft", str(report), "--slug", "mine"], capture_output=True, text=True,
                              check=True)
    assert 'printed = "1,234"' in finished.stdout and "value   = 1234" in finished.stdout


def test_python_m_claimbench_is_the_command(tmp_path: Path) -> None:
    """``python -m claimbench`` runs the ``claimbench`` command, as the console script does."""
    finished = subprocess.run([sys.executable, "-m", "claimbench", "--version"], cwd=tmp_path, capture_output=True,
                              text=True, check=False)
    assert (finished.returncode, finished.stdout) == (0, f"claimbench {claimbench.__version__}\n"), finished.stderr


def test_check_help_is_pytest_s_with_the_claims_options(tmp_path: Path) -> None:
    """Anywhere, with no ledger configured: ``claimbench check --help`` helps rather than refuses."""
    shown = subprocess.run([sys.executable, "-m", "claimbench.cli", "check", "--help"], cwd=tmp_path,
                           capture_output=True, text=True, check=False)
    assert shown.returncode == 0 and "--claims-dir=DIR" in shown.stdout, shown.stderr
    assert shown.stdout.startswith("usage: claimbench check [options]")


def test_check_joins_claims_options_to_their_values() -> None:
    assert cli._joined(["--claims-data-root", "/data", "--claims-retrain", "tests", "-k", "x"]) == [
        "--claims-data-root=/data", "--claims-retrain", "tests", "-k", "x"]


def test_init_drafts_a_ledger_and_writes_the_ini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "my-cnns"
    project.mkdir()
    (project / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert cli.main(["init"]) == 0
    out = capsys.readouterr().out
    assert "and set in the [pytest] section of pytest.ini:\nclaims_readme = README.md\n" in out
    advice = out.splitlines()[-1]  # what to keep out of git, a killed write's temporary files too
    assert advice.endswith("add them to .gitignore") and all(
        name in advice for name in ("runs/", ".benchmarks/", ".claimbench-*.tmp")), advice
    assert (project / "pytest.ini").read_text(encoding="utf-8") == (
        "[pytest]\nclaims_dir = claims\nclaims_report = REPORT.md\nclaims_json = claims.json\nclaims_badges = badges\n"
        "claims_train_device = cpu\nclaims_train_min_seeds = 3\n" + FP32_LINES)
    assert pytest_ini.in_folder(project)[2]["claims_train_precision"] == "fp32", "the comment is no value"
    assert 'printed = "1,234"' in (project / "claims" / "my_cnns.toml").read_text(encoding="utf-8")
    held = "nothing to do: claims/my_cnns.toml already holds the claims of README.md, and pytest.ini already reads it: "
    capsys.readouterr()
    assert cli.main(["init"]) == 0, "a second init, with nothing left to do, did what it was asked"
    assert capsys.readouterr().out.startswith(held)
    assert cli.main(["init", "--slug", "again"]) == 0
    assert capsys.readouterr().out.startswith(held)
    assert not (project / "claims" / "again.toml").exists()
    ledger_file = project / "claims" / "my_cnns.toml"
    # an editor's byte order mark: still that ledger, as the loader reads it
    ledger_file.write_bytes(b"\xef\xbb\xbf" + ledger_file.read_bytes())
    assert cli.main(["init", "--slug", "again"]) == 0
    assert capsys.readouterr().out.startswith(held)


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
def test_init_asks_only_for_the_gitignore_lines_git_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str], in_git: bool) -> None:
    """``init`` said to add ``runs/`` to ``.gitignore`` even where it already ignored it: it names only what git
    does not ignore (``git check-ignore``; outside git, the lines of ``.gitignore`` as written), and nothing where
    git ignores it all."""
    readme = "# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n"
    for folder, ignored in (("some", "/runs\n.benchmarks\n"), ("all", "runs/\n.benchmarks/\n.claimbench-*.tmp\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "README.md").write_text(readme, encoding="utf-8")
        (tmp_path / folder / ".gitignore").write_text(ignored, encoding="utf-8")
        if in_git:
            subprocess.run(["git", "init", "-q", str(tmp_path / folder)], check=True)
    monkeypatch.chdir(tmp_path / "some")
    assert cli.main(["init"]) == 0
    advice = capsys.readouterr().out.splitlines()[-1]
    assert advice == ("keep .claimbench-*.tmp (a file's new version, left behind where its write was killed) out of "
                      "git: add it to .gitignore"), advice
    monkeypatch.chdir(tmp_path / "all")
    assert cli.main(["init"]) == 0
    assert ".gitignore" not in capsys.readouterr().out


def test_init_after_a_draft_keeps_the_ledger_and_configures_the_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``claimbench draft README.md -o claims/x.toml``, then ``claimbench init``: init refused, wrote no pytest.ini
    and left a plain ``pytest`` collecting nothing. It keeps the ledger as it is and does the rest of its job: the
    ini written where there is none, the lines a configuration lacks printed; it refuses only with nothing to do."""
    readme = "# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n"
    for folder in ("fresh", "configured"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "README.md").write_text(readme, encoding="utf-8")
    (tmp_path / "configured" / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-q"\n',
                                                            encoding="utf-8")
    monkeypatch.chdir(tmp_path / "fresh")
    assert cli.main(["draft", "README.md", "-o", "claims/fmnist.toml"]) == 0
    edited = (tmp_path / "fresh" / "claims" / "fmnist.toml").read_text(encoding="utf-8") + "# the author's edit\n"
    (tmp_path / "fresh" / "claims" / "fmnist.toml").write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["init"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "fresh" / "pytest.ini").read_text(encoding="utf-8").startswith("[pytest]\nclaims_dir = claims\n")
    assert sorted(path.name for path in (tmp_path / "fresh" / "claims").iterdir()) == ["fmnist.toml"]
    assert (tmp_path / "fresh" / "claims" / "fmnist.toml").read_text(encoding="utf-8") == edited
    assert out.startswith("wrote pytest.ini (") and ("\nkept claims/fmnist.toml, which already holds the claims of "
                                                     "README.md: fill in any TODOs left, then run `pytest`") in out, out
    assert cli.main(["init"]) == 0
    assert capsys.readouterr().out == ("nothing to do: claims/fmnist.toml already holds the claims of README.md, and "
                                       "pytest.ini already reads it: edit it, or draft another report with claimbench "
                                       "draft\n")
    monkeypatch.chdir(tmp_path / "configured")
    assert cli.main(["draft", "README.md", "-o", "claims/fmnist.toml"]) == 0
    capsys.readouterr()
    assert cli.main(["init"]) == 0
    out = capsys.readouterr().out
    assert not (tmp_path / "configured" / "pytest.ini").exists(), "a pytest.ini would hide the pyproject.toml settings"
    assert 'set in the [tool.pytest.ini_options] section of pyproject.toml:\nclaims_dir = "claims"\n' in out, out
    assert sorted(path.name for path in (tmp_path / "configured" / "claims").iterdir()) == ["fmnist.toml"]


def test_init_from_report_md_sends_the_verdicts_to_claims_md(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """REPORT.md holding the author's results is the ledger's source: the verdict report written there would replace
    it, and leave every claim out of date for the next run."""
    table = "# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n"
    for folder in ("fresh", "configured"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "REPORT.md").write_text(table, encoding="utf-8")
    (tmp_path / "configured" / "tox.ini").write_text("[pytest]\nclaims_report = REPORT.md\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "fresh")
    assert cli.main(["init", "REPORT.md"]) == 0
    assert "claims_report = CLAIMS.md\n" in (tmp_path / "fresh" / "pytest.ini").read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert "the verdict report goes to CLAIMS.md: REPORT.md is your own report, which the ledger copies\n" in out
    assert tomllib.loads((tmp_path / "fresh" / "claims" / "fresh.toml").read_text())["report"]["source"] == "REPORT.md"
    monkeypatch.chdir(tmp_path / "configured")
    assert cli.main(["init", "REPORT.md"]) == 0
    assert "claims_report = CLAIMS.md\n" in capsys.readouterr().out
    assert (tmp_path / "configured" / "REPORT.md").read_text(encoding="utf-8") == table


def test_init_sends_the_verdicts_to_no_file_of_the_authors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A hand-written REPORT.md beside the README is kept: CLAIMS.md takes the verdicts; an earlier verdict report,
    or an empty file, may be replaced; where both names are the author's, init writes nothing and says so."""
    readme, own = "# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", "# My technical report\n"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    cases = [("# claimbench verdicts\n\nold\n", own, "REPORT.md"), ("", own, "REPORT.md"),
             (own, None, "CLAIMS.md"), (own, "# claimbench verdicts\n", "CLAIMS.md")]
    for number, (report, claims, chosen) in enumerate(cases):
        for name, text in (("REPORT.md", report), ("CLAIMS.md", claims)):
            (tmp_path / name).unlink(missing_ok=True)
            if text is not None:
                (tmp_path / name).write_text(text, encoding="utf-8")
        (tmp_path / "pytest.ini").unlink(missing_ok=True)
        assert cli.main(["init", "--slug", f"mine{number}", "--claims-dir", f"claims{number}"]) == 0
        assert f"claims_report = {chosen}\n" in (tmp_path / "pytest.ini").read_text(encoding="utf-8"), number
        said = capsys.readouterr().out
        assert ("the verdict report goes to CLAIMS.md: REPORT.md is not claimbench's verdict report (its first line "
                "is not '# claimbench verdicts'), which it would replace\n" in said) == (chosen == "CLAIMS.md")
    (tmp_path / "CLAIMS.md").write_text("# My claims\n", encoding="utf-8")
    (tmp_path / "pytest.ini").unlink()
    with pytest.raises(SystemExit, match=r"^claimbench init: neither REPORT.md nor CLAIMS.md can take the verdict "
                                         r"report: REPORT.md is not claimbench's verdict report \(its first line is "
                                         r"not '# claimbench verdicts'\), which it would replace; CLAIMS.md is not "
                                         r"claimbench's verdict report \(.*\), which it would replace; move one of "
                                         "them away, then run claimbench init again$"):
        cli.main(["init", "--slug", "last", "--claims-dir", "last"])
    assert not (tmp_path / "last").exists() and not (tmp_path / "pytest.ini").exists()
    (tmp_path / "CLAIMS.md").unlink()
    (tmp_path / "CLAIMS.md").mkdir()
    (tmp_path / "REPORT.md").write_text(readme, encoding="utf-8")
    with pytest.raises(SystemExit, match=r"report: REPORT.md is your own report, which the ledger copies; CLAIMS.md "
                                         "is not a file; move one of them away"):
        cli.main(["init", "REPORT.md", "--slug", "last", "--claims-dir", "last"])
    assert not (tmp_path / "last").exists() and (tmp_path / "REPORT.md").read_text(encoding="utf-8") == readme
    (tmp_path / "tox.ini").write_text("[pytest]\nclaims_report = out/VERDICTS.md\n", encoding="utf-8")
    assert cli.main(["init", "--slug", "kept", "--claims-dir", "kept"]) == 0, "a configured report that may be written"
    said = capsys.readouterr().out
    assert "claims_report" not in said and "the verdict report goes to" not in said, said
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "thesis.md").write_text("# My thesis\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "tox.ini").write_text("[pytest]\nclaims_report = ~/thesis.md\n", encoding="utf-8")
    (tmp_path / "CLAIMS.md").rmdir()
    assert cli.main(["init", "--slug", "home", "--claims-dir", "home"]) == 0  # read as a run reads it: ~ expanded
    assert "claims_report = CLAIMS.md\n" in capsys.readouterr().out


def test_init_of_a_report_in_a_subfolder_names_it_where_a_run_finds_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``source`` is the report's path from the project, so the run compares the ledger with it; another file of
    the same name is another report."""
    table = "# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n"
    for folder in ("docs", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "RESULTS.md").write_text(table, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init", "docs/RESULTS.md", "--slug", "docs"]) == 0
    source = tomllib.loads((tmp_path / "claims" / "docs.toml").read_text(encoding="utf-8"))["report"]["source"]
    report = ledger.Report(slug="docs", title="Mine", source=source, origin=None, tables=(), claims=())
    assert source == "docs/RESULTS.md"
    assert drift.source_file(report, [tmp_path / "claims", tmp_path]) == tmp_path / "docs" / "RESULTS.md"
    capsys.readouterr()
    assert cli.main(["init", "docs/RESULTS.md", "--slug", "again"]) == 0
    assert capsys.readouterr().out.startswith("nothing to do: claims/docs.toml already holds the claims of "
                                              "docs/RESULTS.md")
    assert cli.main(["init", "other/RESULTS.md", "--slug", "other"]) == 0
    capsys.readouterr()
    assert cli.main(["draft", "docs/RESULTS.md"]) == 0 and 'source = "docs/RESULTS.md"' in capsys.readouterr().out
    assert draft.source_name(tmp_path.parent / "x.md", [tmp_path]) is None, "outside the project: none"
    monkeypatch.chdir(tmp_path / "docs")  # the project is the pytest.ini's folder, wherever one drafts from
    assert cli.main(["draft", "RESULTS.md"]) == 0 and 'source = "docs/RESULTS.md"' in capsys.readouterr().out


def test_draft_of_a_report_outside_the_project_names_no_other_file_as_its_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`claimbench draft THEIRS/README.md -o claims/x.toml` from another project wrote ``source = "README.md"``, which
    a run finds as the project's own README.md: every claim out of date against the wrong file. ``source`` is now the
    path from the ledger's folder, the one above it or the project's by which a run finds that very file, else none,
    with its path in a comment."""
    table = "# Theirs\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n"
    for folder in ("theirs/claims", "mine"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "theirs" / "README.md").write_text(table, encoding="utf-8")
    (tmp_path / "mine" / "README.md").write_text("# Mine\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "mine")

    def drafted(output: str) -> tuple[str | None, Path | None, str]:
        """The drafted ``source``, the file a run beside the ledger compares it with, and the ledger's text."""
        assert cli.main(["draft", "../theirs/README.md", "-o", output, "--force"]) == 0
        text = Path(output).read_text(encoding="utf-8")
        source = tomllib.loads(text)["report"].get("source")
        report = ledger.Report(slug="x", title="Theirs", source=source, origin=None, tables=(), claims=())
        folder = Path(output).parent.resolve()
        return source, drift.source_file(report, [folder, folder.parent, tmp_path / "mine"]), text

    source, found, text = drafted("claims/x.toml")
    assert (source, found) == (None, None)
    assert f"# no source: a run reads one only from the ledger's folder, the one above it or the project's, and " \
        f"\"{tmp_path / 'theirs' / 'README.md'}\" lies in none of them" in text
    assert drafted("../theirs/claims/x.toml")[:2] == ("README.md", tmp_path / "theirs" / "README.md")
    monkeypatch.chdir(tmp_path / "theirs" / "claims")  # -o a bare name: its folder's parent is the one above too
    assert cli.main(["draft", "../README.md", "-o", "y.toml"]) == 0
    assert tomllib.loads(Path("y.toml").read_text(encoding="utf-8"))["report"].get("source") == "README.md"
    (tmp_path / "theirs" / "claims" / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "theirs" / "claims" / "sub")  # -o ../z.toml: its folder is claims, not sub/..
    assert cli.main(["draft", "../../README.md", "-o", "../z.toml"]) == 0
    assert tomllib.loads(Path("../z.toml").read_text(encoding="utf-8"))["report"].get("source") == "README.md"
    monkeypatch.chdir(tmp_path / "mine")
    (tmp_path / "theirs" / "claims" / "README.md").write_text("# Another\n", encoding="utf-8")
    assert drafted("../theirs/claims/x.toml")[:2] == (None, None)  # a run would read claims/README.md first
    with pytest.raises(SystemExit, match=r"README.md lies outside the project \(.*mine\)"):
        cli.main(["init", "../theirs/README.md", "--slug", "theirs"])


@pytest.mark.parametrize("slug", ["../outside", "a/b", "bad slug!", "v1.2", "Upper"])
def test_a_slug_that_is_no_bare_name_is_refused_before_anything_is_written(
        slug: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A slug names the ledger's file, its claims' ids and a ``[recipe.<slug>]`` table: '../x' would write outside
    claims/, 'a/b' where nothing collects it, 'v1.2' a recipe 'v1' with a table '2'."""
    (tmp_path / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in (["init"], ["draft", "README.md"]):
        with pytest.raises(SystemExit, match="^2$"):
            cli.main([*command, "--slug", slug])
        err = capsys.readouterr().err
        assert f"claimbench {command[0]}: error: argument --slug: '{slug}': use lower-case letters" in err, err
        assert err.startswith(f"usage: claimbench {command[0]} [-h] [--slug SLUG]"), "one parser: one usage line"
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["README.md"]


def test_init_in_a_folder_named_without_ascii_names_the_ledger_report(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "模型"
    project.mkdir()
    (project / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert cli.main(["init"]) == 0 and (project / "claims" / "report.toml").is_file()


def test_init_of_a_report_that_prints_no_number_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "README.md").write_text("# Mine\n\nNo results yet.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match=r"^claimbench init: README.md prints no number to draft a claim from: "
                                         r"write claims/.*\.toml by hand \(its keys, described: `claimbench "
                                         r"schema`, which ships with claimbench; "):
        cli.main(["init"])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["README.md"]


def test_init_reads_a_utf16_readme_and_refuses_one_not_utf8_at_its_line(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """PowerShell 5's ``>`` writes UTF-16 with a byte order mark; a cp1252 README is refused at its line."""
    text = "# Mine\r\n\r\n| Model | Params |\r\n|---|---|\r\n| A | 1,234 |\r\n"
    (tmp_path / "README.md").write_bytes(text.encode("utf-16"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init"]) == 0
    assert 'printed = "1,234"' in next((tmp_path / "claims").glob("*.toml")).read_text(encoding="utf-8")
    (tmp_path / "OTHER.md").write_bytes(text.replace("Mine", "Caf\u00e9 au lait").encode("cp1252"))
    with pytest.raises(SystemExit, match=r"^claimbench init: OTHER\.md:1: not UTF-8 \(byte 0xe9: invalid "
                                         r"continuation byte\): save it as UTF-8$"):
        cli.main(["init", "OTHER.md", "--slug", "other"])


HTML_TABLE = ("<table>\n<tr><th>Model</th><th>Params (M)</th></tr>\n<tr><td>ResNet-18</td><td>11.69</td></tr>\n"
              "</table>\n")
"""A results table written in HTML, which draft reads as it reads a markdown table."""
SPANNING_TABLE = HTML_TABLE.replace("<th>Model</th><th>Params (M)</th>", '<th colspan="2">Params (M)</th>')
"""An HTML table whose header cell spans two columns, which draft does not read as a table."""


def test_init_and_draft_read_a_plain_html_table_and_say_which_they_do_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """init said a README whose table is HTML "prints no number", and draft drafted nothing without a word."""
    (tmp_path / "README.md").write_text(f"# Mine\n\n{SPANNING_TABLE}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match=r"^claimbench init: README.md prints its numbers only in 1 HTML table\(s\), "
                                         r"which draft does not read as tables: write claims/.*\.toml by hand"):
        cli.main(["init"])
    assert cli.main(["draft", "README.md"]) == 0
    unread = ("1 HTML table(s) not read as tables (draft reads markdown tables, and HTML ones with a header row, rows "
              "of equal length and no cell spanning others): write the claims of their numbers by hand, each with its "
              "printed text and no cell")
    assert capsys.readouterr().err == f"claimbench draft: README.md: {unread}\n"
    (tmp_path / "README.md").write_text(f"# Mine\n\n{HTML_TABLE}\n{SPANNING_TABLE}", encoding="utf-8")
    assert cli.main(["init"]) == 0 and (tmp_path / "claims").is_dir()
    assert capsys.readouterr().err == f"claimbench init: README.md: {unread}\n"
    drafted = next((tmp_path / "claims").glob("*.toml")).read_text(encoding="utf-8")
    assert 'printed   = "11.69"\ncell      = ["mine", "ResNet-18", "Params (M)"]' in drafted


def test_a_report_named_in_bytes_that_are_not_utf8_is_refused_by_init_and_draft(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Linux file name may hold any bytes; its ``\\udce9`` escape is no TOML string, so a ledger naming it as its
    source was written and could never be loaded (and a second init found that file in its way)."""
    name = os.fsdecode(b"rapport_\xe9.md")
    (tmp_path / name).write_text("# Mine\n\n| Model | Params |\n|---|---|\n| tiny | 40 |\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match=r"^claimbench init: rapport_\ufffd\.md: its name 'rapport_\ufffd\.md' is "
                                         r"not UTF-8, which a ledger's source cannot hold: rename the file$"):
        cli.main(["init", name])
    drafted = subprocess.run([sys.executable, "-m", "claimbench.cli", "draft", name], capture_output=True)
    assert drafted.returncode == 1 and not drafted.stdout  # the byte shown as ls and git show it: replaced
    shown = "rapport_\ufffd.md"
    assert drafted.stderr.decode("utf-8").startswith(f"claimbench draft: {shown}: its name '{shown}' is ")
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize(("command", "words"), [
    ("report", ["--markdown PATH.md write the verdict report here", "--badges DIR", "badges' SVG", "--plots DIR",
                "write the plots here", "--readme README.md", "claims-summary marker", "With none of --markdown,",
                "the files the pytest configuration names are written"]),
    ("init", ["REPORT.md", "(default: README.md)", "the configuration's claims_dir, else claims/"]),
])
def test_help_describes_every_option(command: str, words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([command, "--help"])
    assert exited.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert all(word in shown for word in words), shown


def test_version_is_the_installed_distribution_s(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"claimbench {importlib.metadata.version('claimbench')}\n"
    assert claimbench.__version__ == importlib.metadata.version("claimbench"), "as torch.__version__ is"


def test_a_file_that_cannot_be_written_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "-o", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"claimbench schema: {tmp_path} is a folder, not a file\n"


def test_an_output_under_a_file_names_that_file_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``-o afile/x.toml`` where ``afile`` is a regular file was mkdir's "File exists" of x.toml, which does not
    exist: it is said as the plugin's option checks say it, before anything is written. A missing folder is
    created, as pytest's ``--junitxml`` creates its."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "R.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    (tmp_path / "afile").write_text("mine\n", encoding="utf-8")
    results = _results(tmp_path / "claims.json", _measured_here("iot_ml_hw2/params/model1", 704842))
    report = ["report", str(results), "--claims-dir", str(REPO / "reference")]
    for command, output in ((["draft", "R.md", "-o"], "afile/x.toml"), (["schema", "-o"], "afile/x.json"),
                            ([*report, "--markdown"], "afile/R.md"), ([*report, "--badges"], "afile/badges"),
                            ([*report, "--plots"], "afile/deeper/plots")):
        assert cli.main([*command, output]) == 1
        assert capsys.readouterr().err == f"claimbench {command[0]}: cannot create {output}: afile is not a folder\n"
    assert cli.main(["init", "R.md", "--claims-dir", "afile/claims"]) == 1
    assert re.fullmatch(r"claimbench init: cannot create afile/claims/\w+\.toml: afile is not a folder\n",
                        capsys.readouterr().err)
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "mine\n" and not (tmp_path / "pytest.ini").exists()
    assert cli.main(["draft", "R.md", "-o", "new/sub/x.toml"]) == 0 and (tmp_path / "new" / "sub" / "x.toml").is_file()


def test_a_folder_that_takes_no_file_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the temporary file the folder refused."""
    import errno
    import os
    import tempfile

    def refused(prefix: str, suffix: str, dir: Path) -> tuple[int, str]:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), f"{dir}/{prefix}e_dcw9s9{suffix}")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    assert cli.main(["schema", "-o", str(tmp_path / "ro" / "schema.json")]) == 1
    assert capsys.readouterr().err == f"claimbench schema: {tmp_path / 'ro' / 'schema.json'}: Operation not permitted\n"


def test_a_closed_standard_output_ends_quietly_with_status_1() -> None:
    """``claimbench schema | true``, a reader gone before the output is written: Python's advice on SIGPIPE, no
    BrokenPipeError traceback."""
    with subprocess.Popen([sys.executable, "-m", "claimbench.cli", "schema"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as command:
        command.stdout.close()  # before the command writes: its reader is gone
        stderr = command.stderr.read()
    assert (command.returncode, stderr) == (1, "")


def test_a_ctrl_c_is_one_line_and_status_130(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    def pressed(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(schema, "json_text", pressed)
    assert cli.main(["schema"]) == 130
    assert capsys.readouterr().err == "claimbench schema: interrupted\n"


def test_the_command_imports_pydantic_and_torch_only_once_its_ctrl_c_handler_is_in_place() -> None:
    """A Ctrl-C in the first fraction of a second, while pydantic (or torch) imported, was a traceback."""
    loaded = subprocess.run([sys.executable, "-c", "import sys, claimbench.cli; print(sorted({'pydantic', 'torch'} & "
                             "set(sys.modules)))"], capture_output=True, text=True, check=True).stdout
    assert loaded == "[]\n"



def test_the_schema_describes_every_key_an_installed_author_writes() -> None:
    """The format's document is not in the wheel; ``claimbench schema`` is, and says what each key means."""
    document = schema.json_schema()
    tables = {"(top)": document, **document["$defs"]}
    undescribed = [f"{table}.{key}" for table, definition in tables.items()
                   for key, field in definition.get("properties", {}).items() if not field.get("description")]
    assert not undescribed, undescribed
    assert "registered name" in document["$defs"]["params_claim"]["properties"]["model"]["description"]


def test_schema_writes_the_shipped_json_schema(tmp_path: Path) -> None:
    assert cli.main(["schema", "-o", str(tmp_path / "s.json")]) == 0
    assert (tmp_path / "s.json").read_bytes() == (REPO / "reference" / "ledger.schema.json").read_bytes()


def test_schema_replaces_only_an_empty_file_or_an_earlier_schema_unless_forced(tmp_path: Path) -> None:
    readme, shipped = tmp_path / "README.md", (REPO / "reference" / "ledger.schema.json").read_bytes()
    readme.write_text("# Mine\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"README.md: exists, and is no claimbench ledger schema: pass --force"):
        cli.main(["schema", "-o", str(readme)])
    assert readme.read_text(encoding="utf-8") == "# Mine\n"
    (tmp_path / "other.json").write_text('{"title": "another schema"}', encoding="utf-8")
    with pytest.raises(SystemExit, match="other.json: exists"):
        cli.main(["schema", "-o", str(tmp_path / "other.json")])
    (tmp_path / "old.json").write_text('{"title": "claimbench ledger", "$defs": {}}', encoding="utf-8")
    (tmp_path / "empty.json").touch()
    for name in ("old.json", "empty.json"):
        assert cli.main(["schema", "-o", str(tmp_path / name)]) == 0
        assert (tmp_path / name).read_bytes() == shipped
    assert cli.main(["schema", "-o", str(readme), "--force"]) == 0 and readme.read_bytes() == shipped


def test_dash_is_standard_output_for_draft_and_schema_and_refused_by_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "R.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    assert cli.main(["schema", "-o", "-"]) == 0
    assert capsys.readouterr().out == (REPO / "reference" / "ledger.schema.json").read_text(encoding="utf-8")
    assert cli.main(["draft", "R.md", "-o", "-"]) == 0
    assert 'printed = "1,234"' in capsys.readouterr().out
    assert not (tmp_path / "-").exists()
    results = _results(tmp_path / "claims.json", _record("r/a", "reproduced", 1))
    for option in ("--markdown", "--badges", "--plots", "--readme"):
        with pytest.raises(SystemExit, match=f"claimbench report: {option} -: report writes files, not standard "):
            cli.main(["report", str(results), option, "-"])
    assert not (tmp_path / "-").exists()


def test_dot_slash_dash_is_a_file_called_dash_for_every_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``./-`` is told from ``-`` as typed, though ``Path("./-") == Path("-")``."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "R.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    assert cli.main(["schema", "-o", "./-"]) == 0
    assert (tmp_path / "-").read_text(encoding="utf-8") == (REPO / "reference" / "ledger.schema.json").read_text(
        encoding="utf-8") and capsys.readouterr().out == ""
    assert cli.main(["draft", "R.md", "-o", "./-", "--force"]) == 0
    assert 'printed = "1,234"' in (tmp_path / "-").read_text(encoding="utf-8") and capsys.readouterr().out == ""
    (tmp_path / "-").unlink()
    results = _results(tmp_path / "claims.json", _measured_here("iot_ml_hw2/params/model1", 704842))
    assert cli.main(["report", str(results), "--claims-dir", str(REPO / "reference"), "--markdown", "./-"]) == 0
    assert "**1 reproduced of 1 checked.**" in (tmp_path / "-").read_text(encoding="utf-8")


def test_check_without_a_ledger_is_a_usage_error(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-m", "claimbench.cli", "check"], cwd=tmp_path, capture_output=True,
                              text=True, check=False)
    assert finished.returncode == 4 and "INTERNALERROR" not in finished.stdout + finished.stderr
    assert finished.stderr.startswith("ERROR: claimbench check: no ledger configured"), finished.stderr


def test_a_ledger_folder_without_a_ledger_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\nclaims_dir = claims\n", encoding="utf-8")
    finished = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], cwd=tmp_path,
                              capture_output=True, text=True, check=False)
    assert finished.returncode == 4, finished.stdout + finished.stderr
    assert finished.stderr.startswith(f"ERROR: claims ledger {tmp_path / 'claims'}: no *.toml file in this folder")


@pytest.mark.parametrize(("name", "text"), [
    ("pytest.ini", "[pytest]\nclaims_dir = ledger\n"),
    ("pyproject.toml", '[tool.pytest.ini_options]\nclaims_dir = "ledger"\n'),
    ("setup.cfg", "[tool:pytest]\nclaims_dir = ledger\n"),
])
def test_report_and_models_read_the_ledger_the_ini_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # pytest reads the configuration from a parent folder too
    assert cli._ledger_dir(None, "models") == tmp_path / "ledger"
    assert cli._ledger_dir(Path("given"), "models") == Path("given")


def test_without_a_claims_dir_report_and_models_say_how_to_give_one(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match=r"^claimbench models: no pytest configuration here: pass --claims-dir"):
        cli.main(["models"])
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -q\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"pytest.ini sets no claims_dir: add it, or pass --claims-dir=DIR$"):
        cli.main(["models"])


FOR_ANOTHER_CLONE = "; for another clone's ledger, set PYTHONPATH to the folder its modules import from"


@pytest.mark.parametrize(("name", "text", "lib"), [
    ("pytest.ini", "[pytest]\nclaims_dir = claims\npythonpath = lib\n", "lib"),
    ("pytest.ini", '[pytest]\nclaims_dir = claims\npythonpath = "my lib"\n', "my lib"),  # shlex, as pytest
    ("pyproject.toml", '[tool.pytest.ini_options]\nclaims_dir = "claims"\npythonpath = ["my lib"]\n', "my lib"),
])
def test_models_imports_from_the_ini_s_pythonpath_as_pytest_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str], name: str,
                                                                 text: str, lib: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "mine.toml").write_text('format = 2\n[report]\ntitle = "Mine"\nmodules = ["libnets"]\n',
                                                   encoding="utf-8")
    (tmp_path / lib).mkdir()
    (tmp_path / lib / "libnets.py").write_text(
        "import torch\nfrom claimbench import register_model\n\n@register_model('libnets.tiny', input_size=(1, 2, 2))\n"
        "def tiny():\n    return torch.nn.Linear(4, 2)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(registry, "_BUILDERS", dict(registry._BUILDERS))
    monkeypatch.delitem(sys.modules, "libnets", raising=False)
    assert cli.main(["models", "libnets.*"]) == 0
    assert capsys.readouterr().out == "libnets.tiny  1x2x2\n"


def test_models_lists_the_references_a_ledger_without_modules_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "claims").mkdir()
    claim = ('[[claim]]\nid = "params/{0}"\nkind = "params"\nmodel = "torchvision:{0}"\ncount = "trainable"\n'
             'value = 1\nprinted = "1"\nsource = "README.md"\n')
    (tmp_path / "claims" / "mine.toml").write_text('format = 2\n[report]\ntitle = "Mine"\n' + claim.format("resnet18")
                                                   + claim.format("alexnet"), encoding="utf-8")
    monkeypatch.setattr(registry, "_BUILDERS", {})
    assert cli.main(["models", "--claims-dir", str(tmp_path / "claims")]) == 0
    assert capsys.readouterr().out == ("torchvision:alexnet  (named by the ledger's claims)\n"
                                       "torchvision:resnet18  (named by the ledger's claims)\n")
    for pattern in ("*res*", "resnet*", "torchvision:res*"):  # a reference's name after its colon matches too
        assert cli.main(["models", pattern, "--claims-dir", str(tmp_path / "claims")]) == 0
        assert capsys.readouterr().out == "torchvision:resnet18  (named by the ledger's claims)\n"
    with pytest.raises(SystemExit, match=r"no model matches 'vgg\*', nor does a claim name one by reference$"):
        cli.main(["models", "vgg*", "--claims-dir", str(tmp_path / "claims")])


def test_models_names_a_module_that_does_not_import_in_one_line(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "mine.toml").write_text(
        'format = 2\n[report]\ntitle = "Mine"\nmodules = ["mynets_cli.lenett", "broken_cli"]\n', encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nclaims_dir = claims\n", encoding="utf-8")
    (tmp_path / "broken_cli.py").write_text("import torch\nx = undefined_name\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    with pytest.raises(SystemExit) as raised:
        cli.main(["models"])
    assert str(raised.value).splitlines() == [
        "claimbench models: mine.toml:4: (report): modules: cannot import 'mynets_cli.lenett': No module named "
        f"'mynets_cli' (from {tmp_path}{FOR_ANOTHER_CLONE}) (and 1 more problem)",
        "  mine.toml:4: (report): modules: cannot import 'broken_cli': NameError: name 'undefined_name' is not "
        "defined (at broken_cli.py:2: `x = undefined_name`)"]


def test_models_imports_from_the_configurations_folder(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "mine.toml").write_text(
        'format = 2\n[report]\ntitle = "Mine"\nmodules = ["tiny_cli_models"]\n', encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nclaims_dir = claims\n", encoding="utf-8")
    (tmp_path / "tiny_cli_models.py").write_text(
        "import torch\nfrom claimbench import register_model\n\n\n@register_model('tinycli.linear', input_size=(4,))\n"
        "def linear():\n    return torch.nn.Linear(4, 2)\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()

    def models(pattern: str) -> subprocess.CompletedProcess[str]:  # its own process: the registry is global
        code = f"from claimbench import cli; raise SystemExit(cli.main(['models', {pattern!r}]))"
        return subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "sub", capture_output=True, text=True)

    listed, unmatched = models("tinycli.*"), models("nothing*")
    assert (listed.returncode, listed.stdout) == (0, "tinycli.linear  4\n"), listed.stderr
    assert (unmatched.returncode, unmatched.stderr) == (
        1, "claimbench models: no model matches 'nothing*', nor does a claim name one by reference\n")


def test_an_unreadable_pytest_configuration_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pytest.ini_options\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match=r"^claimbench: .*pyproject.toml: unreadable \(.+\)$"):
        cli.main(["models"])


def test_report_refuses_before_writing_anything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = _results(tmp_path / "claims.json", _measured_here("iot_ml_hw2/params/model1", 704842))
    ledger_dir = ["--claims-dir", str(REPO / "reference")]
    with pytest.raises(SystemExit, match="nothing to write: give --markdown, --badges, --plots or --readme, or set "):
        cli.main(["report", str(results), *ledger_dir])
    (tmp_path / "README.md").write_text("# No markers\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"^claimbench report: .*README.md: needs one <!-- claims-summary:start -->"):
        cli.main(["report", str(results), *ledger_dir, "--markdown", str(tmp_path / "R.md"),
                  "--readme", str(tmp_path / "README.md")])
    assert not (tmp_path / "R.md").exists()
    stranger = _results(tmp_path / "theirs.json", _record("their_report/params/net", "reproduced", 1))
    with pytest.raises(SystemExit, match=r"theirs.json: 1 of its claims is not in the ledger \(first: their_report/"):
        cli.main(["report", str(stranger), *ledger_dir, "--markdown", str(tmp_path / "R.md")])
    assert not (tmp_path / "R.md").exists()


def test_report_refuses_to_write_over_the_ledgers_own_report_or_the_readme(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = "# Mine\n\nA has 1,234 parameters.\n\n<!-- claims-summary:start -->\n<!-- claims-summary:end -->\n"
    for name in ("REPORT.md", "README.md"):
        (tmp_path / name).write_text(own, encoding="utf-8")
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "mine.toml").write_text(
        'format = 2\n[report]\ntitle = "Mine"\nsource = "REPORT.md"\n\n[[claim]]\nid = "params/a"\nkind = "params"\n'
        'model = "torchvision:resnet18"\ncount = "trainable"\nvalue = 1234\nprinted = "1,234"\nsource = "REPORT.md"\n',
        encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nclaims_dir = claims\nclaims_report = REPORT.md\n", encoding="utf-8")
    record = _measured_here("mine/params/a", 1234, tmp_path / "claims")
    results = _results(tmp_path / "claims.json", {**record, "report": "mine"})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match=r"^claimbench report: the markdown report \S+/REPORT.md is the \[report\] "
                                         r"source of \S+/claims/mine.toml: it would overwrite it; name another "
                                         "--markdown or claims_report$"):
        cli.main(["report", str(results)])
    with pytest.raises(SystemExit, match=r"^claimbench report: the markdown report README.md is also the README"):
        cli.main(["report", str(results), "--markdown", "README.md", "--readme", "./README.md"])
    assert all((tmp_path / name).read_text(encoding="utf-8") == own for name in ("REPORT.md", "README.md"))
    assert cli.main(["report", str(results), "--markdown", "CLAIMS.md"]) == 0


def test_report_refuses_to_replace_a_file_that_is_not_a_verdict_report(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """``--markdown`` and the configured ``claims_report`` alike: the author's own REPORT.md is kept whole; an empty
    file, or a verdict report of an earlier run, is replaced."""
    results = _results(tmp_path / "claims.json", _measured_here("iot_ml_hw2/params/model1", 704842))
    (tmp_path / "pytest.ini").write_text(f"[pytest]\nclaims_dir = {REPO / 'reference'}\nclaims_report = REPORT.md\n",
                                         encoding="utf-8")
    own = "# My technical report\n\nHand written.\n"
    (tmp_path / "REPORT.md").write_text(own, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for given in ([], ["--markdown", "REPORT.md"]):
        with pytest.raises(SystemExit, match=r"^claimbench report: \S*REPORT.md is not claimbench's verdict report "
                                             r"\(its first line is not '# claimbench verdicts'\): the markdown report "
                                             "would replace it; name another --markdown or claims_report, or delete "
                                             "it if it is an old claimbench report$"):
            cli.main(["report", str(results), *given])
    assert (tmp_path / "REPORT.md").read_text(encoding="utf-8") == own
    (tmp_path / "REPORT.md").write_text("", encoding="utf-8")
    assert cli.main(["report", str(results)]) == 0
    assert cli.main(["report", str(results), "--markdown", "REPORT.md"]) == 0, "an earlier verdict report"
    assert (tmp_path / "REPORT.md").read_text(encoding="utf-8").startswith("# claimbench verdicts\n\n**1 reproduced")


def test_report_writes_what_the_configuration_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pytest.ini").write_text(f"[pytest]\nclaims_dir = {REPO / 'reference'}\nclaims_report = out/R.md\n"
                                         "claims_json = claims.json\n", encoding="utf-8")
    results = _results(tmp_path / "claims.json", _measured_here("iot_ml_hw2/params/model1", 704842))
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert cli.main(["report", str(results)]) == 0
    assert "**1 reproduced of 1 checked.**" in (tmp_path / "out" / "R.md").read_text(encoding="utf-8")
    (tmp_path / "out" / "R.md").unlink()
    (tmp_path / "README.md").write_text("# No markers\n", encoding="utf-8")
    with (tmp_path / "pytest.ini").open("a", encoding="utf-8") as ini:
        ini.write("claims_readme = README.md\n")
    with pytest.raises(SystemExit, match=r"README.md: needs one <!-- claims-summary:start --> line"):
        cli.main(["report", str(results)])
    assert not (tmp_path / "out" / "R.md").exists(), "the README is checked before anything is written"


def test_init_beside_a_pyproject_toml_without_a_pytest_table_writes_pytest_ini(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """pytest reads a ``pyproject.toml`` without a pytest table where it finds no other configuration, and
    ``pytest_ini.found`` now says so; it holds no settings, so a ``pytest.ini`` written beside it hides none."""
    (tmp_path / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'mine'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init"]) == 0
    assert capsys.readouterr().out.startswith("wrote pytest.ini (")
    assert (tmp_path / "pytest.ini").read_text(encoding="utf-8").startswith("[pytest]\nclaims_dir = claims\n")


def test_init_beside_another_pytest_configuration_prints_the_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-q"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init"]) == 0
    assert not (tmp_path / "pytest.ini").exists(), "a pytest.ini would hide the pyproject.toml settings"
    out = capsys.readouterr().out
    assert 'set in the [tool.pytest.ini_options] section of pyproject.toml:\nclaims_dir = "claims"\n' in out
    assert ("and set in the [tool.pytest.ini_options] section of pyproject.toml:\nclaims_readme = \"README.md\"\n"
            in out), "the README's line too, in the syntax of the file it goes into"
    settings = tomllib.loads("\n".join(line for line in out.splitlines() if re.match(r"\w+ = ", line)))
    assert settings["claims_readme"] == "README.md" and settings["claims_dir"] == "claims", out
    assert settings["claims_train_min_seeds"] == 3, "a number, as pytest reads an int ini value from TOML"
    assert settings["claims_train_precision"] == "fp32" and FP32_LINES.replace("= fp32", '= "fp32"') in out, out


def test_init_prints_only_the_lines_the_configuration_lacks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A value the configuration sets is the author's: init drafts into its claims_dir and never prints a line that
    would change one, but the claims_dir an explicit --claims-dir moves, with a line that says so."""
    (tmp_path / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    (tmp_path / "tox.ini").write_text("[pytest]\nclaims_dir = ledgers\nclaims_report = REPORT.md\n"
                                      "claims_json = out/results.json\nclaims_badges = badges\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "ledgers" / f"{draft.slug(tmp_path.name)}.toml").is_file() and not (tmp_path / "claims").exists()
    assert ("set in the [pytest] section of tox.ini:\nclaims_train_device = cpu\nclaims_train_min_seeds = 3\n"
            f"{FP32_LINES}\n") in out, out
    assert "claims_json" not in out and "claims_dir" not in out, out
    (tmp_path / "tox.ini").write_text("[pytest]\nclaims_dir = ledgers\nclaims_train_device = cuda\n"
                                      "claims_train_precision = auto\nclaims_readme = docs/R.md\n", encoding="utf-8")
    assert cli.main(["init", "--slug", "other", "--claims-dir", "claims"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "claims" / "other.toml").is_file()
    assert "tox.ini sets claims_dir = ledgers, another folder than --claims-dir claims" in out
    assert "claims_dir = claims\n" in out and "claims_train_device" not in out and "claims_readme =" not in out, out
    assert "claims_train_precision" not in out, "the author's auto is kept"
    assert "for the verdicts and badges in docs/R.md (the configuration's claims_readme): put a" in out


@pytest.mark.parametrize("summary, asked", [
    ("{start}\n{end}\n", ""),
    ("{start}\n\n```\n{end}\n```\n", "put a {end} line in it, and "),
    ("{end}\n{start}\n", "it needs one {start} line followed by one {end} line, outside code blocks, and "),
    ("", "put a {start} line and a {end} line in it, and ")], ids=["both", "start", "reversed", "none"])
def test_init_asks_only_for_the_summary_marker_lines_the_readme_lacks(
        summary: str, asked: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A README that holds the marker lines as a run wants them is asked only for its claims_readme line; one
    holding a marker outside code blocks is asked for the other only; a configured claims_readme that holds both
    is asked nothing."""
    markers = {"start": "<!-- claims-summary:start -->", "end": "<!-- claims-summary:end -->"}
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text(f"# Mine\n\n{summary.format(**markers)}\n| Model | Params |\n|---|---|\n"
                                        "| A | 1,234 |\n", encoding="utf-8")
    assert cli.main(["init"]) == 0
    assert (f"for the verdicts and badges in README.md: {asked.format(**markers)}set in the [pytest] section of "
            "pytest.ini:\nclaims_readme = README.md\n") in capsys.readouterr().out
    with (tmp_path / "pytest.ini").open("a", encoding="utf-8") as ini:
        ini.write("claims_readme = README.md\n")
    assert cli.main(["init", "--slug", "again", "--claims-dir", "again"]) == 0
    assert ("for the verdicts and badges" in capsys.readouterr().out) == bool(asked)


@pytest.mark.parametrize("written", ["~/ledgers", "$LEDGERS/ledgers"])
def test_init_and_models_expand_a_configured_claims_dir_as_a_run_does(
        written: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``~`` and ``$VAR`` in the configuration's claims_dir are expanded, as ``options.path_setting`` reads it."""
    project, home = tmp_path / "project", tmp_path / "home"
    project.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("LEDGERS", str(home))
    (project / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    (project / "pytest.ini").write_text(f"[pytest]\nclaims_dir = {written}\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert cli.main(["init", "--slug", "mine"]) == 0
    out = capsys.readouterr().out
    assert (home / "ledgers" / "mine.toml").is_file() and sorted(path.name for path in project.iterdir()) == [
        "README.md", "pytest.ini"], out
    assert "claims_dir" not in out and "another folder" not in out, out
    assert cli._ledger_dir(None, "models") == project / Path(os.path.expandvars(written)).expanduser()


def test_a_claims_dir_option_after_an_equals_sign_has_its_tilde_expanded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A shell expands no ``~`` in ``--claims-dir=~/ledgers``: init wrote ./~/ledgers/mine.toml, where the next run
    looked in the home folder. An unknown user's ``~nosuchuser`` is left as typed (a traceback before)."""
    project, home = tmp_path / "project", tmp_path / "home"
    project.mkdir()
    monkeypatch.setenv("HOME", str(home))
    (project / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert cli.main(["init", "--slug", "mine", "--claims-dir=~/ledgers"]) == 0
    assert (home / "ledgers" / "mine.toml").is_file() and not (project / "~").exists(), capsys.readouterr().out
    (project / "pytest.ini").write_text("[pytest]\nclaims_dir = ~nosuchuser_of_claimbench/ledgers\n", encoding="utf-8")
    assert cli._ledger_dir(None, "models") == project / "~nosuchuser_of_claimbench" / "ledgers"


def _init_in_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                         options: str, report: Path) -> str:
    """``claimbench init`` run in the report's folder, below a pyproject.toml holding ``options``: what it printed."""
    (tmp_path / "pyproject.toml").write_text(f"[tool.pytest.ini_options]\n{options}\n", encoding="utf-8")
    (tmp_path / report.parent).mkdir()
    (tmp_path / report).write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / report.parent)
    assert cli.main(["init", *([report.name] if report.name != "README.md" else [])]) == 0
    return capsys.readouterr().out


def test_init_from_a_subfolder_drafts_into_the_configured_claims_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """claims_dir is relative to the configuration file, not to the folder init runs in."""
    out = _init_in_a_subfolder(tmp_path, monkeypatch, capsys, 'claims_dir = "claims"', Path("sub/R.md"))
    assert not (tmp_path / "sub" / "claims").exists()
    ledger_text = (tmp_path / "claims" / "sub.toml").read_text(encoding="utf-8")
    assert tomllib.loads(ledger_text)["report"]["source"] == "sub/R.md"
    assert "wrote ../claims/sub.toml:" in out and "claims_dir" not in out, out
    assert 'claims_report = "sub/REPORT.md"\n' in out


def test_init_below_a_configured_folder_prints_its_lines_relative_to_that_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """pytest run from the subfolder reads the configuration above it, which a pytest.ini there would hide."""
    out = _init_in_a_subfolder(tmp_path, monkeypatch, capsys, 'testpaths = ["tests"]', Path("paper/README.md"))
    assert not (tmp_path / "paper" / "pytest.ini").exists()
    assert ('set in the [tool.pytest.ini_options] section of ../pyproject.toml:\nclaims_dir = "paper/claims"\n'
            'claims_report = "paper/REPORT.md"\n') in out and 'testpaths = ["tests", "paper/claims"]\n' in out


@pytest.mark.skipif(pytest_ini.PYTEST_MAJOR < 9, reason="pytest 9 reads pytest.toml and [tool.pytest]")
@pytest.mark.parametrize(("name", "text"), [("pyproject.toml", "[tool.pytest]\nclaims_dir = 'reference'\n"),
                                            ("pytest.toml", "[pytest]\nclaims_dir = 'reference'\n")])
def test_pytest_9_toml_configurations_name_the_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], name: str, text: str) -> None:
    shutil.copytree(REPO / "reference", tmp_path / "reference")
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["models", "iot_ml_hw2.model1"]) == 0
    assert capsys.readouterr().out.startswith("iot_ml_hw2.model1")


@pytest.mark.parametrize(("name", "text", "line", "folder"), [
    ("tox.ini", "[pytest]\ntestpaths = tests docs\n", "testpaths = tests docs claims\n", "claims"),
    ("pyproject.toml", '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n', 'testpaths = ["tests", "claims"]\n',
     "claims"),
    ("tox.ini", "[pytest]\ntestpaths = tests\n", "testpaths = tests 'my claims'\n", "my claims"),  # as pytest splits
])
def test_init_adds_the_ledger_to_testpaths_that_leave_it_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str], name: str, text: str,
                                                             line: str, folder: str) -> None:
    (tmp_path / "README.md").write_text("# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n", encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init", "--claims-dir", folder]) == 0
    assert line in capsys.readouterr().out



REPORT_MD = "# Mine\n\n| Model | Params |\n|---|---|\n| A | 1,234 |\n"


@pytest.mark.parametrize("command", [["draft", "R.md", "-o"], ["schema", "-o"], ["report", "c.json", "--markdown"]])
def test_an_output_ending_in_a_slash_names_a_folder_and_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str],
                                                                    command: list[str]) -> None:
    """``-o claims/`` where no ``claims`` folder exists was a file called ``claims``; no folder is created either."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "R.md").write_text(REPORT_MD, encoding="utf-8")
    assert cli.main([*command, "claims/"]) == 1
    assert capsys.readouterr().err == f"claimbench {command[0]}: claims/ names a folder (it ends in /), not a file\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["R.md"]


@pytest.mark.parametrize("argv", [["models", "--claims-dir", "nowhere"],
                                  ["report", "claims.json", "--claims-dir", "nowhere", "--markdown", "V.md"]])
def test_a_claims_dir_that_is_not_there_is_one_line_naming_the_option(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    """As ``check --claims-dir=nowhere`` says it, without the ledger's ``(file): (path)`` placeholders."""
    monkeypatch.chdir(tmp_path)
    _results(tmp_path / "claims.json", _record("r/a", "reproduced", 1))
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == f"claimbench {argv[0]}: --claims-dir: {tmp_path / 'nowhere'}: no such file or folder"


def test_a_configured_claims_dir_that_is_not_there_names_the_ini_key(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nclaims_dir = nowhere\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        cli.main(["models"])
    assert exited.value.code == (f"claimbench models: claims_dir (ini) / --claims-dir: {tmp_path / 'nowhere'}: "
                                 "no such file or folder")


@pytest.mark.parametrize(("argv", "what"), [
    (["report", "-", "--markdown", "V.md"], "RESULTS.json -"),
    (["report", "claims.json", "--claims-dir", "-", "--markdown", "V.md"], "--claims-dir -"),
    (["draft", "-"], "REPORT.md -"),
    (["compare", "-", "claims.json"], "OLD.json -"),
    (["compare", "claims.json", "-"], "NEW.json -"),
])
def test_dash_is_refused_for_a_file_a_command_reads_even_beside_a_file_called_dash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], what: str) -> None:
    """Not a file called ``-``, which ``./-`` names; standard input is not read."""
    monkeypatch.chdir(tmp_path)
    _results(tmp_path / "claims.json", _record("r/a", "reproduced", 1))
    shutil.copy(tmp_path / "claims.json", tmp_path / "-")
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == (f"claimbench {argv[0]}: {what}: {argv[0]} reads files, not standard input; name a "
                                 "file (./- for one called -)")
    assert not (tmp_path / "V.md").exists()


def test_dot_slash_dash_is_a_file_called_dash_for_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _results(tmp_path / "-", _record("r/a", "reproduced", 1))
    assert cli.main(["compare", "./-", "./-"]) == 0 and "r/a" not in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "unknown"), [
    (["draft", "R.md", "--slg", "x"], "--slg x"), (["schema", "--frce"], "--frce"), (["compare", "a", "b", "c"], "c")])
def test_an_unknown_argument_of_a_command_shows_that_command_s_usage(argv: list[str], unknown: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """As a missing argument does: ``usage: claimbench draft ...``, not the top level's, and status 2."""
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith(f"usage: claimbench {argv[0]} "), err
    assert err.endswith(f"\nclaimbench {argv[0]}: error: unrecognized arguments: {unknown}\n"), err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("argv", [["draft", "R.md"], ["schema"]])
def test_a_full_standard_output_is_named(tmp_path: Path, argv: list[str]) -> None:
    (tmp_path / "R.md").write_text(REPORT_MD, encoding="utf-8")
    with open("/dev/full", "w", encoding="utf-8") as full:
        finished = subprocess.run([sys.executable, "-m", "claimbench.cli", *argv], stdout=full, cwd=tmp_path,
                                  stderr=subprocess.PIPE, text=True, check=False)
    assert (finished.returncode, finished.stderr) == (
        1, f"claimbench {argv[0]}: standard output: No space left on device\n")


@pytest.mark.parametrize(("read_only", "why"), [(True, "Read-only file system"), (False, "Permission denied")])
def test_a_folder_that_takes_no_file_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], read_only: bool, why: str) -> None:
    """``cannot write in .`` said no more where its permission bits or its file system refused."""
    import errno

    def refused(path: str, mode: int, **_: object) -> bool:
        return False

    def mounted(path: str) -> os.statvfs_result:
        flags = os.ST_RDONLY if read_only else 0
        return os.statvfs_result((4096, 4096, 1, 1, 1, 1, 1, 1, flags, 255))

    monkeypatch.chdir(tmp_path)
    (tmp_path / "R.md").write_text(REPORT_MD, encoding="utf-8")
    monkeypatch.setattr(os, "access", refused)
    monkeypatch.setattr(os, "statvfs", mounted)
    assert cli.main(["draft", "R.md", "-o", "new.toml"]) == 1
    assert capsys.readouterr().err == f"claimbench draft: cannot write in . ({why})\n"
    assert why == os.strerror(errno.EROFS if read_only else errno.EACCES)


@pytest.mark.parametrize("argv", [["draft", "nope.md"], ["init", "nope.md"], ["init"]])
def test_a_report_that_is_not_there_is_named_once_with_the_system_s_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    name = argv[1] if len(argv) > 1 else "README.md"
    try:
        status = cli.main(argv)
    except SystemExit as exited:
        status, said = 1, f"{exited.code}\n"
    else:
        said = capsys.readouterr().err
    assert (status, said) == (1, f"claimbench {argv[0]}: {name}: No such file or directory\n")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("command", "words"), [
    ("compare", ["--fail-on-regression", "exit 1 when a claim became refuted or error, or one reproduced or a known "
                                         "error in OLD.json has no record in NEW.json"]),
    ("init", ["--slug SLUG", "(default: this folder's name, else report)"]),
])
def test_help_says_what_the_command_does(command: str, words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert all(word in shown for word in words), shown
