"""The planner (``claimbench.runs.plan``): which runs the selected claims need, without Ray and without training."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import Mock

import pytest
from small_runs import MODEL1_CLAIMS, claim

from claimbench import errors, precision, train
from claimbench.ledger import Claim
from claimbench.history import Epoch, Evaluation, History
from claimbench.runs import plan, splits, store
from claimbench.runs.settings import Settings

pytestmark = pytest.mark.filterwarnings("ignore:cifar10 .*running on unverified data")


def probe(train_seconds: float) -> precision.Probe:
    return precision.Probe(asked="fp32", chosen="fp32", step_seconds={"fp32": train_seconds},
                           cost=train.StepCost(train_seconds=train_seconds, eval_seconds=0.0, threads=1))


def test_claims_sharing_a_run_need_it_once(cifar_root: Path, small_ledger: Path, tmp_path: Path) -> None:
    settings = Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path,
                             seeds=2, session="s")
    model1 = [claim(claim_id, small_ledger) for claim_id in MODEL1_CLAIMS[:3]]
    model2 = claim("iot_ml_hw2/accuracy/model2/val", small_ledger)
    wanted = plan.needs([*model1, model2], settings)
    assert [len(need.missing) for need in wanted] == [2, 2, 2, 2]
    assert plan.probe_keys(wanted) == {(model1[0].model, model1[0].recipe): model1[0],
                                       (model2.model, model2.recipe): model2}
    todo = plan.within_budget(wanted, {key: probe(1e-3) for key in plan.probe_keys(wanted)}, settings)
    assert [(run.claim.model, run.seed) for run in todo] == [(model1[0].model, 0), (model1[0].model, 1),
                                                             (model2.model, 0), (model2.model, 1)]
    assert len({run.path for run in todo}) == 4 and all(run.estimate_seconds > 0 for run in todo)

    # A stored run is not planned again (unless the session retrains); a claim over budget plans nothing.
    evaluation = Evaluation(loss=1.0, accuracy=50.0, confusion=[[1]])
    one_epoch = History(epochs=[Epoch(epoch=1, lr=1e-3, seconds=1.0, train_loss=1.0, train_running_acc=50.0,
                                      val=evaluation, test=evaluation)])
    store.write(todo[0].path, {"history": one_epoch.to_dict(), "verified_data": False}, settings)
    assert [len(need.missing) for need in plan.needs(model1[:1], settings)] == [1]
    assert [len(need.missing) for need in plan.needs(model1[:1], dataclasses.replace(
        settings, retrain=True, session="later"))] == [2]
    first, second = plan.probe_keys(wanted)
    slow = {first: probe(1e3), second: probe(1e-3)}
    assert {run.claim.model for run in plan.within_budget(wanted, slow, settings)} == {model2.model}
    assert plan.within_budget(wanted, {}, settings) == [], "a failed probe trains nothing"


def test_a_run_resuming_a_checkpoint_is_estimated_at_its_epochs_left(small_ledger: Path) -> None:
    """As on one machine: a resumed run counts the epochs its checkpoint leaves, at the step cost it began with."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    epochs = model1.recipe.epochs
    settings = Settings(device="cpu", results_dir=Path("runs"), budget_seconds=1.0 + epochs)
    resumed = store.Resumable(epochs=epochs - 1, found=probe(0.5), wall_seconds=30.0)
    need = plan.Need(model1, ((0, Path("runs/a.json")), (1, Path("runs/b.json"))), (resumed, None), 32, ())
    # one 32-image batch an epoch, no evaluation: seed 0 has one epoch left at its 0.5 s, seed 1 every epoch at 1 s
    todo = plan.within_budget([need], {need.probe_key: probe(1.0)}, settings)
    assert [(run.seed, run.estimate_seconds) for run in todo] == [(0, 0.5), (1, 1.0 * epochs)]
    assert plan.within_budget([need], {need.probe_key: probe(1.0)},
                              dataclasses.replace(settings, budget_seconds=epochs)) == []


def test_claims_without_data_plan_nothing(small_ledger: Path, tmp_path: Path) -> None:
    settings = Settings(device="cpu", data_root=tmp_path, results_dir=tmp_path)
    assert plan.needs([claim(MODEL1_CLAIMS[1], small_ledger)], settings) == []


def test_a_claim_whose_planning_raises_plans_nothing_and_the_others_plan(
        cifar_root: Path, small_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception raised in the author's code while planning one claim (here this file's, outside claimbench, as a
    model's builder is) leaves that claim to raise it again when it runs, its error as on one machine; the session's
    other claims are planned as before."""
    settings = Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path, session="s")
    model1, model2 = claim(MODEL1_CLAIMS[1], small_ledger), claim("iot_ml_hw2/accuracy/model2/val", small_ledger)
    load = splits.load

    def broken_for_model1(which: Claim, *arguments: Any) -> splits.Splits:
        if which.model == model1.model:
            raise RuntimeError("Dataset not found or corrupted. You can use download=True to download it")
        return load(which, *arguments)

    monkeypatch.setattr(splits, "load", broken_for_model1)
    assert [need.claim for need in plan.needs([model1, model2], settings)] == [model2]


@pytest.mark.parametrize("raised", [errors.NotRunnable("no cifar10 here"), errors.MeasurementError("corrupt batch"),
                                    OSError("disk gone"), ModuleNotFoundError("No module named 'mymodels'")],
                         ids=type)
def test_a_claims_own_failure_in_claimbench_plans_nothing(small_ledger: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch, raised: Exception) -> None:
    """Missing or failing data, the disk, the model's module: the claim's own, which it raises again when it runs."""
    settings = Settings(device="cpu", results_dir=tmp_path, session="s")
    monkeypatch.setattr(splits, "load", Mock(side_effect=raised))  # a stdlib frame: none of the author's
    assert plan.needs([claim(MODEL1_CLAIMS[1], small_ledger)], settings) == []


def test_a_bug_of_claimbenchs_while_planning_is_raised_not_hidden(small_ledger: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Under ``--claims-cluster`` a planning bug of ours, raised in no frame of the author's, would otherwise leave
    every run out of the cluster's plan without a word."""
    settings = Settings(device="cpu", results_dir=tmp_path, session="s")
    monkeypatch.setattr(splits, "load", Mock(side_effect=RuntimeError("a bug of ours")))
    with pytest.raises(RuntimeError, match="a bug of ours"):
        plan.needs([claim(MODEL1_CLAIMS[1], small_ledger)], settings)


def test_selected_takes_training_claims_once_and_not_those_skipped(small_ledger: Path) -> None:
    def item(claim_id: str, skip: bool = False, param: bool = False) -> SimpleNamespace:
        found = claim(claim_id, small_ledger)
        where = {"callspec": SimpleNamespace(params={"claim": found})} if param else {"claim": found}
        return SimpleNamespace(**where, get_closest_marker=lambda name: skip or None)

    items = [item(MODEL1_CLAIMS[0]), item(MODEL1_CLAIMS[0], param=True), item(MODEL1_CLAIMS[1], skip=True),
             item("iot_ml_hw2/epoch_time/model1"), item("iot_ml_hw2/params/model1", param=True)]
    assert [c.id for c in plan.selected(items)] == [MODEL1_CLAIMS[0]]
    assert plan.selected(items, stale={MODEL1_CLAIMS[0]}) == [], "a claim its report no longer prints trains nothing"


def test_a_failure_recorded_this_session_is_raised_then_forgotten(tmp_path: Path) -> None:
    settings = Settings(device="cpu", results_dir=tmp_path, session="this one")
    path = tmp_path / "run.json"
    store.write_failure(path, "model: training loss is nan at epoch 1", settings)
    assert json.loads(path.with_suffix(".failed").read_text())["session"] == "this one"
    with pytest.raises(errors.MeasurementError, match="^model: training loss is nan at epoch 1$"):
        store.raise_failure(path, settings)
    store.raise_failure(path, dataclasses.replace(settings, session="another"))
    store.write(path, {"history": {}}, settings)
    assert not path.with_suffix(".failed").exists()


def test_data_too_small_for_the_holdout_is_an_error_that_plans_nothing(cifar_root: Path, tmp_path: Path) -> None:
    """The ledger's hold-out of 5,000 images from 150: an error naming the data and the recipe's key, which leaves
    the claim to its own test rather than ending the plan (and a cluster session) with a bare ValueError."""
    settings = Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path, seeds=1,
                        session="s")
    full = claim(MODEL1_CLAIMS[1])
    with pytest.raises(errors.MeasurementError, match=r"^cifar10 train in .*cifar-10-batches-py: cannot hold out "
                                                      r"5,000 of 150 images \(.*\), the recipe's val_size$"):
        splits.load(full, full.recipe, 0, settings)
    assert plan.needs([full], settings) == []


def test_a_claims_seed_count_is_its_runs_raised_to_the_least_unless_the_session_gives_it(
        cifar_root: Path, small_ledger: Path, tmp_path: Path) -> None:
    """A claim trains the runs its number averages (``runs``, else 1), raised to ``claims_train_min_seeds`` (which
    ``claimbench init`` writes: one seed can never refute a wrong number), never lowered by it;
    ``--claims-train-seeds`` gives every claim its count."""
    single = claim(MODEL1_CLAIMS[1], small_ledger)
    two, five = (dataclasses.replace(single, runs=runs) for runs in (2, 5))
    settings = Settings(device="cpu", data_root=cifar_root, allow_unverified=True, results_dir=tmp_path, session="s")
    assert [settings.seed_count(c) for c in (single, two, five)] == [1, 2, 5]
    least = dataclasses.replace(settings, min_seeds=3)
    assert [least.seed_count(c) for c in (single, two, five)] == [3, 3, 5]
    assert [dataclasses.replace(least, seeds=1).seed_count(c) for c in (single, two, five)] == [1, 1, 1]
    assert [len(need.missing) for need in plan.needs([single], least)] == [3], "the planner trains as many"
