"""What a training run logged, as plain records: what the run store keeps and ``claimbench.metrics`` reads.

Torch-free: a stored run is read without the engine. The one declaration of a history's shape: pydantic checks a
history read back (``History.from_dict``, the run store's ``Stored``) by these dataclasses, their config and their
``__post_init__``.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import ConfigDict, Field, Strict, TypeAdapter, ValidationError

__all__ = ["Epoch", "Evaluation", "History"]

CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False)
"""A history's fields as ``History.to_dict`` writes them: no other key, finite numbers (strict one by one)."""
Number = Annotated[float, Strict()]
"""A JSON number: not a string, nor a boolean."""
Count = Annotated[int, Strict()]
"""A JSON integer: not a float, a string, nor a boolean."""


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

    __pydantic_config__ = CONFIG

    loss: Number
    accuracy: Number
    confusion: list[list[Count]]
    beyond: list[Count] = field(default_factory=list)

    def __post_init__(self) -> None:
        """A row per class and a column per class then per output in ``beyond`` (ascending, past the classes), as
        ``claimbench.metrics`` sums and reads it; square in a run stored before ``beyond``."""
        classes, width = len(self.confusion), len(self.confusion) + len(self.beyond)
        if any(len(row) != width for row in self.confusion):
            raise ValueError(f"a confusion matrix's rows are not {classes} + {len(self.beyond)} long (a column per "
                             "class, then per output in beyond)")
        if self.beyond != sorted(set(self.beyond)) or self.beyond and self.beyond[0] < classes:
            raise ValueError(f"beyond {self.beyond} does not name outputs past the {classes} classes, ascending")


@dataclass(frozen=True)
class Epoch:
    """What one epoch logged. ``seconds`` covers the training pass and the validation pass, as Keras'
    ``fit()`` times an epoch; the test pass is outside it."""

    __pydantic_config__ = CONFIG

    epoch: Count
    lr: Number
    seconds: Number
    train_loss: Number
    train_running_acc: Number
    val: Evaluation | None
    test: Evaluation | None


@dataclass
class History:
    """Per-epoch records, the epoch whose weights early stopping restored, and the returned weights'
    clean evaluation on the training set (when asked for). Training's starts empty; one read back has an epoch."""

    __pydantic_config__ = CONFIG

    epochs: Annotated[list[Epoch], Field(min_length=1, validate_default=True)] = field(default_factory=list)
    restored_epoch: Count | None = None
    train_final: Evaluation | None = None

    def __post_init__(self) -> None:
        """Epochs numbered 1, 2, ... and a restored epoch among them, as ``claimbench.metrics`` reads them."""
        if [epoch.epoch for epoch in self.epochs] != list(range(1, len(self.epochs) + 1)):
            raise ValueError("epochs are not numbered 1 to their count")
        if self.restored_epoch is not None and not 1 <= self.restored_epoch <= len(self.epochs):
            raise ValueError(f"restored epoch {self.restored_epoch} is not one of the {len(self.epochs)} epochs")

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for JSON and checkpoints."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> History:
        """The inverse of ``to_dict``, checked as the run store checks a stored run: a one-line ``ValueError``
        naming the first field that is wrong (a checkpoint's message quotes its first line)."""
        try:
            return _adapter().validate_python(raw)
        except ValidationError as invalid:
            first = invalid.errors()[0]
            where = ".".join(map(str, ("history", *first["loc"])))
            raise ValueError(f"{where}: {first['msg']}") from None


@functools.cache
def _adapter() -> TypeAdapter[History]:
    """Pydantic's validator of a history, built on first use (not at every import of ``claimbench.metrics``)."""
    return TypeAdapter(History)
