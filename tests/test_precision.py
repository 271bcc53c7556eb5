"""The training precision chosen by measurement (``claimbench.precision``), and bf16's accuracy against fp32
on the real Fashion-MNIST."""

from __future__ import annotations

import dataclasses
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

    def step_cost(model: nn.Module, train_set: data.Dataset, recipe: Recipe, *, device: str, accel: train.Accel
                  ) -> train.StepCost:
        name = "bf16" if accel.autocast == torch.bfloat16 else "fp32"
        timed.append(name)
        assert accel.channels_last
        return train.StepCost(train_seconds={"fp32": fp32, "bf16": bf16}[name], eval_seconds=0.1, threads=1)

    monkeypatch.setattr(train, "step_cost", step_cost)
    probe = precision.probe(small_cnn, None, recipe(), device="cpu", asked=asked)
    assert probe.chosen == chosen and probe.cost.train_seconds == {"fp32": fp32, "bf16": bf16}[chosen]
    assert timed == (["fp32", "bf16"] if asked == "auto" else [asked])
    assert probe.to_dict() == {"asked": asked, "chosen": chosen, "step_seconds": {
        name: {"fp32": fp32, "bf16": bf16}[name] for name in timed}}
    assert probe.accel().autocast == (torch.bfloat16 if chosen == "bf16" else None)


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError, match="^precision must be one of auto, fp32, bf16, got 'fp16'$"):
        precision.probe(small_cnn, None, recipe(), device="cpu", asked="fp16")


@pytest.mark.train_cpu
def test_bf16_trains_as_accurately_as_fp32_on_fashion_mnist(record_property: Any, device: str) -> None:
    """A small CNN, 2 epochs on real Fashion-MNIST in each precision (channels_last both): the test
    accuracies agree within 1 point. What ``auto`` chooses on this machine, and why, is recorded."""
    try:
        train_set, test_set = data.load("fashion_mnist", "train"), data.load("fashion_mnist", "test")
    except data.DataMissing as missing:
        pytest.skip(str(missing))
    train_set = dataclasses.replace(train_set, images=train_set.images[:TRAIN_IMAGES],
                                    labels=train_set.labels[:TRAIN_IMAGES])
    probe = precision.probe(small_cnn, train_set, recipe(), device=device)
    record_property("auto_chose", probe.chosen)
    record_property("step_ms", {name: round(seconds * 1e3, 2) for name, seconds in probe.step_seconds.items()})
    accuracy = {}
    for name in ("fp32", "bf16"):
        torch.manual_seed(0)
        history = train.train(small_cnn(), train_set, test_set, recipe(), device=device, seed=0,
                              accel=precision.accel(name))
        accuracy[name] = history.epochs[-1].test.accuracy
        record_property(f"{name}_test_accuracy", accuracy[name])
        record_property(f"{name}_test_loss", round(history.epochs[-1].test.loss, 4))
        record_property(f"{name}_images_per_second", round(TRAIN_IMAGES / history.epochs[-1].seconds))
    assert abs(accuracy["bf16"] - accuracy["fp32"]) <= 1.0, accuracy
