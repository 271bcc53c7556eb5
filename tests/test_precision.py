"""The training precision chosen by measurement (``claimbench.precision``), and bf16's accuracy against fp32
on the real Fashion-MNIST."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from torch import nn

from claimbench import data, precision, train
from claimbench.ledger import Recipe

TRAIN_IMAGES = 10_000
"""Real Fashion-MNIST training images per epoch (of 60,000), for a CI test of about a minute on 2 cores."""


def recipe(**changes: Any) -> Recipe:
    return Recipe(optimizer="adam", lr=1e-3, batch_size=128, epochs=2, schedule="constant", validation="none",
                  normalize="unit", **changes)


def small_cnn() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 7 * 7, 10))


@pytest.mark.parametrize(("fp32", "bf16", "asked", "chosen"), [
    (1.2, 1.0, "auto", "bf16"), (1.19, 1.0, "auto", "fp32"), (1.0, 2.0, "bf16", "bf16"), (2.0, 1.0, "fp32", "fp32")])
def test_auto_takes_bf16_only_when_it_is_at_least_1_2x_faster(monkeypatch: pytest.MonkeyPatch, fp32: float,
                                                                bf16: float, asked: str, chosen: str) -> None:
    timed: list[str] = []

    def step_costs(models: list[tuple[nn.Module, train.Accel]], train_set: data.Dataset, recipe: Recipe, *,
                   device: str, threads: int | None, name: str | None) -> list[train.StepCost]:
        assert not timed and threads is None, "one call times every precision, on the thread counts it chooses"
        timed.extend(accel.precision for _, accel in models)
        assert all(accel.channels_last for _, accel in models)
        return [train.StepCost(train_seconds={"fp32": fp32, "bf16": bf16}[name], eval_seconds=0.1, threads=1)
                for name in timed]

    monkeypatch.setattr(train, "step_costs", step_costs)
    probe = precision.probe(small_cnn, None, recipe(), device="cpu", asked=asked)
    assert probe.chosen == chosen and probe.cost.train_seconds == {"fp32": fp32, "bf16": bf16}[chosen]
    assert timed == (["fp32", "bf16"] if asked == "auto" else [asked])
    assert probe.to_dict() == {"asked": asked, "chosen": chosen, "decided": "measured" if asked == "auto" else "asked",
                               "step_seconds": {name: {"fp32": fp32, "bf16": bf16}[name] for name in timed}}
    assert probe.accel().autocast == (torch.bfloat16 if chosen == "bf16" else None)


class LoadedClock:
    """``train.Timer`` with the step times a probe would measure on a machine whose load changes halfway through
    the probe's training steps: a training step takes its precision's ``cost`` times the load of the moment, an
    evaluation batch a millisecond. Which precision steps is seen through ``train._step``."""

    def __init__(self, cost: dict[str, float], loads: tuple[float, float], steps: int) -> None:
        self.cost, self.loads, self.steps = cost, loads, steps
        self.stepped: list[str] = []
        self.timed = 0

    def step(self, *args: Any) -> Any:
        self.stepped.append(args[-1].precision)
        return STEP(*args)

    def timer(self, device: torch.device) -> LoadedClock:
        return self

    def start(self) -> None:
        pass

    def stop(self) -> float:
        if self.timed == len(self.stepped):
            return 1e-3
        self.timed += 1
        load = self.loads[self.timed > self.steps // 2]
        return self.cost[self.stepped[-1]] * load

    def end(self) -> Callable[[], float]:
        seconds = self.stop()
        return lambda: seconds

    def wait(self) -> None:
        pass


STEP = train._step


@pytest.mark.parametrize(("cost", "loads", "chosen"), [
    ({"fp32": 1.0, "bf16": 1.0}, (3.0, 1.0), "fp32"),   # no gain; the load eases after fp32's turn, before bf16's
    ({"fp32": 1.5, "bf16": 1.0}, (1.0, 3.0), "bf16")])  # 1.5x; the load rises after fp32's turn, before bf16's
def test_auto_times_both_precisions_under_the_same_load(monkeypatch: pytest.MonkeyPatch, cost: dict[str, float],
                                                        loads: tuple[float, float], chosen: str) -> None:
    """fp32 and bf16 take turns step by step, so a load that changes halfway through the probe meets both alike:
    the choice and the recorded timings (medians) follow the precisions' own costs, not the load."""
    steps = 2 * (1 + train.PROBE_STEPS)  # one thread count: warm-up and timed steps of fp32 and of bf16
    clock = LoadedClock(cost, loads, steps)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 1)
    monkeypatch.setattr(torch, "set_num_threads", lambda n: None)
    monkeypatch.setattr(train, "_step", clock.step)
    monkeypatch.setattr(train, "Timer", clock.timer)
    tiny = dataclasses.replace(recipe(), batch_size=8)
    found = precision.probe(lambda: nn.Sequential(nn.Flatten(), nn.Linear(64, 10)), synthetic(8), tiny, device="cpu")
    assert found.chosen == chosen
    assert found.step_seconds == {name: seconds * loads[1] for name, seconds in cost.items()}
    assert clock.stepped == ["fp32", "bf16"] * (1 + train.PROBE_STEPS), "the precisions take turns step by step"


def synthetic(n: int) -> data.Dataset:
    return data.Dataset(images=torch.zeros(n, 1, 8, 8, dtype=torch.uint8), labels=torch.arange(n) % 10,
                        verified=True, source=Path("synthetic"))


@pytest.mark.parametrize(("name", "dtype"), [pytest.param("fp32", torch.float32, id="fp32"),
                                           pytest.param("bf16", torch.bfloat16, id="bf16")])
def test_the_engine_trains_and_evaluates_in_the_precision_it_records(device: str, name: str,
                                                                    dtype: torch.dtype) -> None:
    """bf16 is autocast: the convolution and the linear layer compute in bfloat16 in every training step and
    evaluation batch while the weights stay fp32; fp32 computes in float32 throughout."""
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 8 * 8, 10))
    computed: dict[bool, set[torch.dtype]] = {True: set(), False: set()}  # training or not: the outputs' dtypes
    for layer in (model[0], model[3]):
        layer.register_forward_hook(lambda module, inputs, output: computed[module.training].add(output.dtype))
    accel = precision.accel(name)
    train.train(model, synthetic(16), synthetic(8), dataclasses.replace(recipe(), batch_size=8, epochs=1),
                device=device, seed=0, accel=accel)
    assert accel.precision == name
    assert computed == {True: {dtype}, False: {dtype}}, "two training steps and a test evaluation, in the precision"
    assert {parameter.dtype for parameter in model.parameters()} == {torch.float32}


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError, match="^precision must be one of auto, fp32, bf16, got 'fp16'$"):
        precision.probe(small_cnn, None, recipe(), device="cpu", asked="fp16")


@pytest.mark.train_cpu
def test_bf16_trains_as_accurately_as_fp32_on_fashion_mnist(record_property: Any, device: str) -> None:
    """A small CNN, 2 epochs on real Fashion-MNIST in each precision (channels_last both): the test
    accuracies agree within 1 point, and the losses differ (bf16's rounding, not one precision run twice).
    What ``auto`` chooses on this machine, and why, is recorded."""
    try:
        train_set, test_set = data.load("fashion_mnist", "train"), data.load("fashion_mnist", "test")
    except data.DataMissing as missing:
        pytest.skip(str(missing))
    train_set = dataclasses.replace(train_set, images=train_set.images[:TRAIN_IMAGES],
                                    labels=train_set.labels[:TRAIN_IMAGES])
    probe = precision.probe(small_cnn, train_set, recipe(), device=device)
    record_property("auto_chose", probe.chosen)
    record_property("step_ms", {name: round(seconds * 1e3, 2) for name, seconds in probe.step_seconds.items()})
    accuracy, losses = {}, {}
    for name in ("fp32", "bf16"):
        torch.manual_seed(0)
        history = train.train(small_cnn(), train_set, test_set, recipe(), device=device, seed=0,
                              accel=precision.accel(name))
        accuracy[name] = history.epochs[-1].test.accuracy
        losses[name] = [(epoch.train_loss, epoch.test.loss) for epoch in history.epochs]
        record_property(f"{name}_test_accuracy", accuracy[name])
        record_property(f"{name}_test_loss", round(history.epochs[-1].test.loss, 4))
        record_property(f"{name}_images_per_second", round(TRAIN_IMAGES / history.epochs[-1].seconds))
    assert losses["bf16"] != losses["fp32"], "the bf16 run lost what the fp32 run did: it trained in fp32"
    assert abs(accuracy["bf16"] - accuracy["fp32"]) <= 1.0, accuracy
