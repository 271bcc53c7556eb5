"""``auto``'s choice of precision kept per model and device (``claimbench.runs.numerics``): measured once, recorded
in the results folder, reused by later sessions; timings are injected (``train.step_costs``), never measured."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
from fed_fifo import fed_fifo
from torch import nn

from claimbench import data, environment, precision, train
from claimbench.ledger import Recipe
from claimbench.runs import cost, numerics, store
from claimbench.runs.settings import Settings

MODEL = "test_numerics:tiny"
"""Resolved by import path: ``tests`` is on pytest's ``pythonpath``."""
RECIPE = Recipe(optimizer="adam", lr=1e-3, batch_size=8, epochs=1, schedule="constant", validation="none",
                normalize="unit")
TRAIN_SET = data.Dataset(images=torch.zeros(8, 1, 8, 8, dtype=torch.uint8), labels=torch.arange(8) % 10,
                         verified=True, source=Path("synthetic"))


def tiny() -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 10))


class Timings:
    """``train.step_costs`` giving each session's injected seconds of an fp32 and a bf16 step, in turn; each call
    is a probe, and the precisions it timed are kept."""

    def __init__(self, sessions: list[tuple[float, float]]) -> None:
        self.sessions: Iterator[tuple[float, float]] = iter(sessions)
        self.timed: list[list[str]] = []

    def __call__(self, models: list[tuple[nn.Module, train.Accel]], train_set: data.Dataset, recipe: Recipe, *,
                 device: str, threads: int | None, name: str | None) -> list[train.StepCost]:
        seconds = dict(zip(("fp32", "bf16"), next(self.sessions), strict=True))
        self.timed.append([accel.precision for _, accel in models])
        return [train.StepCost(train_seconds=seconds[accel.precision], eval_seconds=1e-3, threads=1)
                for _, accel in models]


def sessions(settings: Settings, count: int, monkeypatch: pytest.MonkeyPatch) -> list[precision.Probe]:
    """The probe of the model in each of ``count`` sessions (processes: each probes afresh) sharing ``settings``'
    results folder."""
    found = []
    for _ in range(count):
        monkeypatch.setattr(cost, "PROBES", {})
        found.append(cost.step_cost(MODEL, RECIPE, TRAIN_SET, settings))
    return found


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(device="cpu", results_dir=tmp_path / "runs", session="a session")


def test_auto_keeps_the_choice_its_first_session_measured(settings: Settings,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """bf16 steps 1.3x faster, but noise on a loaded machine brings 3 of 16 probes under 1.2x: every session trains in
    the bf16 the first measured, and each later one times bf16 alone (its cost) and says it reused the choice."""
    noisy = {2, 7, 11}
    timings = Timings([(1.1 if n in noisy else 1.3, 1.0) for n in range(16)])
    monkeypatch.setattr(train, "step_costs", timings)
    found = sessions(settings, 16, monkeypatch)
    assert [probe.chosen for probe in found] == ["bf16"] * 16
    assert [probe.decided for probe in found] == ["measured"] + ["reused"] * 15
    assert timings.timed == [["fp32", "bf16"]] + [["bf16"]] * 15
    assert all(probe.asked == "auto" and probe.accel().autocast == torch.bfloat16 for probe in found)
    recorded = found[1].to_dict()
    assert recorded["decided"] == "reused" and recorded["step_seconds"] == {"bf16": 1.0}
    assert recorded["decision"] == {"chosen": "bf16", "step_seconds": {"fp32": 1.3, "bf16": 1.0},
                                    "date": found[1].reused.date}
    assert precision.Probe.from_state(found[1].to_state()) == found[1], "a checkpoint keeps the reused decision"


def test_the_decision_is_recorded_atomically_with_its_key(settings: Settings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train, "step_costs", Timings([(1.0, 1.0)]))
    sessions(settings, 1, monkeypatch)
    [path] = (settings.results_dir / numerics.FOLDER).iterdir()
    record = json.loads(path.read_text())
    assert record["chosen"] == "fp32" and record["step_seconds"] == {"fp32": 1.0, "bf16": 1.0}
    assert record["key"] == numerics.key(MODEL, RECIPE, TRAIN_SET, "cpu")
    assert record["key"]["device"] == environment.processor("cpu") and record["key"]["torch"] == torch.__version__
    assert record["key"]["features"] == environment.device_features("cpu") and record["key"]["image"] == [1, 8, 8]
    assert record["key"]["revision"] == environment.device_revision("cpu") and record["key"]["threads"] == list(
        train.probe_threads("cpu"))
    assert path == numerics.path_for(MODEL, record["key"], settings) and path.name.startswith("test_numerics~tiny-")
    assert list(settings.results_dir.glob("*")) == [path.parent], "no run, lock or temporary file beside it"


def test_a_decision_recorded_under_its_former_name_is_kept(settings: Settings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A decision an older claimbench recorded as ``test_numerics:tiny-<digest>.json`` (a ':' that Windows forbids)
    is moved to its portable name and kept: the next session times bf16 alone."""
    timings = Timings([(1.3, 1.0), (1.0, 1.0)])
    monkeypatch.setattr(train, "step_costs", timings)
    sessions(settings, 1, monkeypatch)
    [path] = (settings.results_dir / numerics.FOLDER).iterdir()
    former = path.with_name(f"{MODEL}-{path.name.rsplit('-', 1)[1]}")
    path.replace(former)
    [found] = sessions(settings, 1, monkeypatch)
    assert found.chosen == "bf16" and found.decided == "reused" and timings.timed[-1] == ["bf16"]
    assert path != former and [*path.parent.iterdir()] == [path]


CHANGES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "another-device": lambda patch: patch.setattr(environment, "processor", lambda device: "CPU another"),
    "other-features": lambda patch: patch.setattr(environment, "device_features", lambda device: "no bf16"),
    "another-torch": lambda patch: patch.setattr(torch, "__version__", "9.9.9"),
    "another-revision": lambda patch: patch.setattr(environment, "_cpu_revision", lambda: "cpu family 6, model 143"),
    "other-threads": lambda patch: patch.setattr(torch, "get_num_threads", lambda: 96),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_machine_or_torch_measures_again(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                   change: str) -> None:
    """The decision holds for the device, its features, its revision (CPUs of one name differ), the probe's thread
    counts and torch's version it was measured with: under another, both precisions are timed again and that choice
    is recorded beside the first, which stays."""
    timings = Timings([(1.3, 1.0), (1.0, 1.0), (2.0, 1.0)])
    monkeypatch.setattr(train, "step_costs", timings)
    [first] = sessions(settings, 1, monkeypatch)
    CHANGES[change](monkeypatch)
    again, kept = sessions(settings, 2, monkeypatch)
    assert (first.chosen, again.chosen, kept.chosen) == ("bf16", "fp32", "fp32")
    assert (again.decided, kept.decided) == ("measured", "reused")
    assert timings.timed == [["fp32", "bf16"], ["fp32", "bf16"], ["fp32"]]
    assert len(list((settings.results_dir / numerics.FOLDER).iterdir())) == 2


@pytest.mark.parametrize("asked", ["fp32", "bf16"])
def test_an_explicit_precision_wins_and_leaves_the_decision_alone(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                                  asked: str) -> None:
    timings = Timings([(1.0, 2.0), (1.0, 2.0), (1.3, 1.0)])
    monkeypatch.setattr(train, "step_costs", timings)
    [measured] = sessions(settings, 1, monkeypatch)
    [path] = (settings.results_dir / numerics.FOLDER).iterdir()
    written = path.read_bytes()
    [found] = sessions(dataclasses.replace(settings, precision=asked), 1, monkeypatch)
    assert measured.chosen == "fp32" and (found.chosen, found.decided, found.reused) == (asked, "asked", None)
    assert path.read_bytes() == written and list(path.parent.iterdir()) == [path]
    [after] = sessions(settings, 1, monkeypatch)
    assert (after.chosen, after.decided) == ("fp32", "reused"), "auto still reuses what it measured"


@pytest.mark.parametrize("content", ['{"chosen": ', '["bf16"]', '{"chosen": "bf16"}', "KEY-fp16", "KEY-no-date"])
def test_an_unreadable_decision_is_set_aside_and_measured_again(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                                content: str) -> None:
    timings = Timings([(1.3, 1.0), (1.0, 1.0)])
    monkeypatch.setattr(train, "step_costs", timings)
    sessions(settings, 1, monkeypatch)
    [path] = (settings.results_dir / numerics.FOLDER).iterdir()
    record: dict[str, Any] = json.loads(path.read_text())
    if content == "KEY-fp16":
        content = json.dumps({**record, "chosen": "fp16"})
    elif content == "KEY-no-date":
        content = json.dumps({key: value for key, value in record.items() if key != "date"})
    path.write_text(content)
    with pytest.warns(UserWarning, match=rf"^{path}: corrupt numerics decision \(.*\); set aside as "
                                         rf"{path.name}\.corrupt-1: timing fp32 and bf16 again$"):
        [again] = sessions(settings, 1, monkeypatch)
    assert (again.chosen, again.decided) == ("fp32", "measured") and timings.timed[-1] == ["fp32", "bf16"]
    assert json.loads(path.read_text())["chosen"] == "fp32"


def test_a_decision_this_users_key_did_not_sign_is_set_aside_and_measured_again(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A decision a repository commits in its ``runs/numerics/`` (here fp32 where this machine's timings choose
    bf16), sound but unsigned, decided this machine's numerics unmeasured: it is set aside as unsigned, and the model
    timed again."""
    timings = Timings([(1.3, 1.0), (1.3, 1.0)])
    monkeypatch.setattr(train, "step_costs", timings)
    sessions(settings, 1, monkeypatch)
    [path] = (settings.results_dir / numerics.FOLDER).iterdir()
    record = json.loads(path.read_text())
    assert record["chosen"] == "bf16"
    path.write_text(json.dumps({key: value for key, value in {**record, "chosen": "fp32"}.items()
                                if key != store.SIGNATURE}))
    with pytest.warns(UserWarning, match=rf"^{path}: a numerics decision not signed with this user's signing key "
                                         r".*; set aside as \S+\.unsigned-1: timing fp32 and bf16 again$"):
        [again] = sessions(settings, 1, monkeypatch)
    assert (again.chosen, again.decided) == ("bf16", "measured") and timings.timed[-1] == ["fp32", "bf16"]


def test_two_workers_measure_a_model_once(settings: Settings) -> None:
    """A worker that asks while another measures waits for its decision (a lock on the folder), then reuses it:
    two pytest-xdist workers never train one model's runs in two precisions."""
    waiting = threading.Event()
    second: list[precision.Probe] = []

    def probe(asked: str, log: list[str]) -> precision.Probe:
        log.append(asked)
        chosen = "bf16" if asked == "auto" else asked
        return precision.Probe(asked=asked, chosen=chosen, cost=train.StepCost(1.0, 1e-3, 1),
                               step_seconds={"fp32": 1.3, "bf16": 1.0} if asked == "auto" else {asked: 1.0})

    def the_other_worker() -> None:
        waiting.set()
        second.append(numerics.decide(MODEL, RECIPE, TRAIN_SET, settings, "cpu", lambda asked: probe(asked, later)))

    first_log: list[str] = []
    later: list[str] = []
    other = threading.Thread(target=the_other_worker)

    def measuring(asked: str) -> precision.Probe:
        other.start()
        waiting.wait()
        other.join(timeout=1.0)  # held by the lock: it cannot decide while this probe measures
        return probe(asked, first_log)

    first = numerics.decide(MODEL, RECIPE, TRAIN_SET, settings, "cpu", measuring)
    other.join()
    assert (first.decided, second[0].decided) == ("measured", "reused") and second[0].chosen == "bf16"
    assert (first_log, later) == (["auto"], ["bf16"])


@pytest.mark.parametrize("threads", [1, 4])
def test_a_gpus_decision_holds_whatever_the_cpu_threads(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                         threads: int) -> None:
    """On CUDA the CPU's thread count (cores / workers under pytest-xdist) is no part of the key: a session under
    ``-n 4`` keeps the choice one without pytest-xdist measured on the GPU, and times only it."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)  # cuda:1 is there
    monkeypatch.setattr(environment, "processor", lambda device: "NVIDIA H200")
    monkeypatch.setattr(environment, "device_features", lambda device: "compute capability 9.0")
    monkeypatch.setattr(environment, "device_revision", lambda device: "")
    timings = Timings([(1.3, 1.0), (1.0, 1.0)])
    monkeypatch.setattr(train, "step_costs", timings)
    on_gpu = dataclasses.replace(settings, device="cuda:1")
    monkeypatch.setattr(torch, "get_num_threads", lambda: 16)
    [first] = sessions(on_gpu, 1, monkeypatch)
    monkeypatch.setattr(torch, "get_num_threads", lambda: threads)
    [kept] = sessions(on_gpu, 1, monkeypatch)
    assert (first.decided, kept.decided, kept.chosen) == ("measured", "reused", "bf16")
    assert timings.timed == [["fp32", "bf16"], ["bf16"]]
    [path] = (settings.results_dir / numerics.FOLDER).iterdir()
    assert "threads" not in json.loads(path.read_text())["key"]


def test_a_decision_that_is_a_fifo_is_set_aside_never_waited_on_nor_trusted(settings: Settings,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO planted in a shared store blocked the read until a writer came, which chose the precision: now it is
    refused at once as no regular file, set aside, and the model measured again."""
    timings = Timings([(1.3, 1.0), (1.0, 1.0)])
    monkeypatch.setattr(train, "step_costs", timings)
    sessions(settings, 1, monkeypatch)
    [path] = (settings.results_dir / numerics.FOLDER).iterdir()
    planted = json.dumps({**json.loads(path.read_text()), "chosen": "fp32"}).encode()
    path.unlink()
    with fed_fifo(path, planted), pytest.warns(UserWarning, match=(
            rf"^{path}: corrupt numerics decision \(NotRegularFile: a FIFO, not a regular file\); set aside")):
        [again] = sessions(settings, 1, monkeypatch)
    assert again.decided == "measured" and timings.timed[-1] == ["fp32", "bf16"]
    assert path.is_file() and path.with_name(f"{path.name}.corrupt-1").is_fifo()
