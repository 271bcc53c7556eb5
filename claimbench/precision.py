"""The numerics a run trains in, chosen by measurement on the model itself and the device it trains on.

``auto`` times a few training steps (``train.step_costs``) in fp32 and in bf16 autocast, channels_last in
both, the two taking turns step by step so that both meet the same load, and takes bf16 only where its median
step is at least ``BF16_GAIN`` times faster on this model: usually on CUDA, on CPUs with AMX and on some with
AVX-512 BF16 alone, rarely for depthwise convolutions. Never chosen from the device type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from claimbench import data, train
from claimbench.ledger import Recipe

__all__ = ["BF16_GAIN", "PRECISIONS", "Probe", "accel", "probe"]

PRECISIONS = ("auto", "fp32", "bf16")
"""The values of ``--claims-train-precision``."""
BF16_GAIN = 1.2
"""``auto`` picks bf16 when an fp32 step takes at least this many times a bf16 step."""


def accel(precision: str, *, compile: bool = False) -> train.Accel:
    """channels_last, with bf16 autocast for ``bf16`` and none for ``fp32`` (``train.AUTOCAST``)."""
    return train.Accel(autocast=train.AUTOCAST[precision], compile=compile)


@dataclass(frozen=True)
class Probe:
    """What the probe measured: the precision asked and chosen, the chosen one's step cost, and the
    seconds of a training step in each precision timed."""

    asked: str
    chosen: str
    cost: train.StepCost
    step_seconds: dict[str, float]

    def accel(self, *, compile: bool = False) -> train.Accel:
        """How the run trains."""
        return accel(self.chosen, compile=compile)

    def to_dict(self) -> dict[str, object]:
        """Plain data for the run record."""
        return {"asked": self.asked, "chosen": self.chosen, "step_seconds": dict(self.step_seconds)}

    def to_state(self) -> dict[str, object]:
        """All of it as plain data, the chosen step cost included, for a checkpoint (``from_state``)."""
        return {**self.to_dict(), "cost": dataclasses.asdict(self.cost)}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Probe:
        """The probe ``to_state`` wrote; ``KeyError``, ``TypeError`` or ``ValueError`` when it is not one."""
        chosen = state["chosen"]
        if chosen not in train.AUTOCAST:
            raise ValueError(f"unknown precision {chosen!r}")
        return cls(asked=state["asked"], chosen=chosen, cost=train.StepCost(**state["cost"]),
                   step_seconds={name: float(seconds) for name, seconds in state["step_seconds"].items()})


def probe(build: Callable[[], nn.Module], train_set: data.Dataset, recipe: Recipe, *, device: torch.device | str,
          asked: str = "auto", threads: int | None = None) -> Probe:
    """Time a fresh model from ``build`` in each precision ``asked`` allows, in turn step by step
    (``train.step_costs``, on ``threads`` alone where given), and choose one by their median steps."""
    if asked not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {asked!r}")
    timed = ("fp32", "bf16") if asked == "auto" else (asked,)
    models = []
    for precision in timed:
        torch.manual_seed(0)
        models.append((build(), accel(precision)))
    costs = dict(zip(timed, train.step_costs(models, train_set, recipe, device=device, threads=threads), strict=True))
    chosen = asked
    if asked == "auto":
        chosen = "bf16" if costs["fp32"].train_seconds >= BF16_GAIN * costs["bf16"].train_seconds else "fp32"
    return Probe(asked=asked, chosen=chosen, cost=costs[chosen],
                 step_seconds={name: cost.train_seconds for name, cost in costs.items()})
