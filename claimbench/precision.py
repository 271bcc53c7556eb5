"""The numerics a run trains in, chosen by measurement on the model itself and the device it trains on.

``auto`` times a few training steps (``train.step_costs``) in fp32 and in bf16 autocast, channels_last in
both, the two taking turns step by step so that both meet the same load, and takes bf16 only where its median
step is at least ``BF16_GAIN`` times faster on this model: usually on CUDA, on CPUs with AMX and on some with
AVX-512 BF16 alone, rarely for depthwise convolutions. Never chosen from the device type.

Near 1.2x the medians of a few steps on a busy machine fall either side of it from one probe to the next, so a
session's ``auto`` records its choice (a ``Decision``) and a later one on the same device reuses it
(``claimbench.runs.numerics``), timing only the precision chosen: a probe says which it did (``Probe.decided``).
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

__all__ = ["BF16_GAIN", "PRECISIONS", "Decision", "Probe", "accel", "probe"]

PRECISIONS = ("auto", "fp32", "bf16")
"""The values of ``--claims-train-precision``."""
BF16_GAIN = 1.2
"""``auto`` picks bf16 when an fp32 step takes at least this many times a bf16 step."""


def accel(precision: str, *, compile: bool = False) -> train.Accel:
    """channels_last, with bf16 autocast for ``bf16`` and none for ``fp32`` (``train.AUTOCAST``)."""
    return train.Accel(autocast=train.AUTOCAST[precision], compile=compile)


@dataclass(frozen=True)
class Decision:
    """What ``auto`` chose for a model on a device, the median seconds of a training step in fp32 and in bf16 it
    chose by, and the date they were timed."""

    chosen: str
    step_seconds: dict[str, float]
    date: str

    def to_dict(self) -> dict[str, object]:
        """Plain data (``from_dict``)."""
        return {"chosen": self.chosen, "step_seconds": dict(self.step_seconds), "date": self.date}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> Decision:
        """The decision ``to_dict`` wrote; ``KeyError``, ``TypeError`` or ``ValueError`` when it is not one."""
        chosen, seconds, date = state["chosen"], state["step_seconds"], state["date"]
        if chosen not in train.AUTOCAST:
            raise ValueError(f"unknown precision {chosen!r}")
        if not isinstance(seconds, dict) or set(seconds) != set(train.AUTOCAST) or not isinstance(date, str):
            raise TypeError("step_seconds is not a number for each of fp32 and bf16, or date not a string")
        return cls(chosen=chosen, step_seconds={name: float(value) for name, value in seconds.items()}, date=date)


@dataclass(frozen=True)
class Probe:
    """What the probe measured: the precision asked and chosen, the chosen one's step cost, and the
    seconds of a training step in each precision timed."""

    asked: str
    chosen: str
    cost: train.StepCost
    step_seconds: dict[str, float]
    reused: Decision | None = None
    """Under ``auto``, the decision of an earlier probe that this one kept, timing only its choice; None: this
    probe timed both precisions and chose, or was asked for one."""

    @property
    def decided(self) -> str:
        """How the precision was decided: ``asked`` (fp32 or bf16 given), ``measured`` (``auto``, timed by this
        probe) or ``reused`` (``auto``, an earlier probe's choice on this device)."""
        if self.asked != "auto":
            return "asked"
        return "measured" if self.reused is None else "reused"

    def accel(self, *, compile: bool = False) -> train.Accel:
        """How the run trains."""
        return accel(self.chosen, compile=compile)

    def to_dict(self) -> dict[str, object]:
        """Plain data for the run record: what this probe timed, how the precision was decided and, where it
        reused a decision, that decision."""
        record = {"asked": self.asked, "chosen": self.chosen, "step_seconds": dict(self.step_seconds),
                  "decided": self.decided}
        return record if self.reused is None else {**record, "decision": self.reused.to_dict()}

    def to_state(self) -> dict[str, object]:
        """All of it as plain data, the chosen step cost included, for a checkpoint (``from_state``)."""
        return {**self.to_dict(), "cost": dataclasses.asdict(self.cost)}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Probe:
        """The probe ``to_state`` wrote; ``KeyError``, ``TypeError`` or ``ValueError`` when it is not one. A
        state without ``decision`` (all before decisions were kept) reused none."""
        chosen = state["chosen"]
        if chosen not in train.AUTOCAST:
            raise ValueError(f"unknown precision {chosen!r}")
        reused = Decision.from_dict(state["decision"]) if "decision" in state else None
        return cls(asked=state["asked"], chosen=chosen, cost=train.StepCost(**state["cost"]),
                   step_seconds={name: float(seconds) for name, seconds in state["step_seconds"].items()},
                   reused=reused)


def probe(build: Callable[[], nn.Module], train_set: data.Dataset, recipe: Recipe, *, device: torch.device | str,
          asked: str = "auto", threads: int | None = None, name: str | None = None) -> Probe:
    """Time a fresh model from ``build`` (``name``) in each precision ``asked`` allows, in turn step by step
    (``train.step_costs``, on ``threads`` alone where given), and choose one by their median steps."""
    if asked not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {asked!r}")
    timed = ("fp32", "bf16") if asked == "auto" else (asked,)
    models = []
    for precision in timed:
        torch.manual_seed(0)
        models.append((build(), accel(precision)))
    costs = dict(zip(timed, train.step_costs(models, train_set, recipe, device=device, threads=threads, name=name),
                     strict=True))
    chosen = asked
    if asked == "auto":
        chosen = "bf16" if costs["fp32"].train_seconds >= BF16_GAIN * costs["bf16"].train_seconds else "fp32"
    return Probe(asked=asked, chosen=chosen, cost=costs[chosen],
                 step_seconds={name: cost.train_seconds for name, cost in costs.items()})
