"""What a training run logged, as plain records: what the run store keeps and ``claimbench.metrics`` reads.

Torch-free: a stored run is read without the engine.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Epoch", "Evaluation", "History"]


@dataclass(frozen=True)
class Evaluation:
    """One pass over a set in eval mode: mean loss, accuracy in percent, confusion[true][predicted].

    ``confusion`` has a row per class of the data (only they are true labels) and a column per class, then one per
    output beyond the classes that the model predicted on the set, ``beyond`` naming those outputs in ascending
    order: a head wider than the data's classes (a 1000-way head on CIFAR-10) keeps a few columns, not an
    outputs × outputs matrix. Accuracy, each class's precision and recall, and sklearn's macro averages (an output
    beyond the classes that was predicted counts as a label with precision and recall 0) read as from the full
    matrix. A run stored before ``beyond`` holds a square matrix over the model's outputs, read the same way.
    """

    loss: float
    accuracy: float
    confusion: list[list[int]]
    beyond: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Epoch:
    """What one epoch logged. ``seconds`` covers the training pass and the validation pass, as Keras'
    ``fit()`` times an epoch; the test pass is outside it."""

    epoch: int
    lr: float
    seconds: float
    train_loss: float
    train_running_acc: float
    val: Evaluation | None
    test: Evaluation | None


@dataclass
class History:
    """Per-epoch records, the epoch whose weights early stopping restored, and the returned weights'
    clean evaluation on the training set (when asked for)."""

    epochs: list[Epoch] = field(default_factory=list)
    restored_epoch: int | None = None
    train_final: Evaluation | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for JSON and checkpoints."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> History:
        """The inverse of ``to_dict``."""
        def evaluation(raw_evaluation: dict[str, Any] | None) -> Evaluation | None:
            return Evaluation(**raw_evaluation) if raw_evaluation is not None else None

        epochs = [Epoch(**{**e, "val": evaluation(e["val"]), "test": evaluation(e["test"])}) for e in raw["epochs"]]
        return cls(epochs=epochs, restored_epoch=raw["restored_epoch"], train_final=evaluation(raw["train_final"]))
