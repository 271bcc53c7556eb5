"""The IoT-ML ledger's training claims made small: a synthetic CIFAR-10 in its real on-disk format, and the
sizes the ledger is cut to. Shared by the training tests (their fixtures ``small_ledger`` and ``cifar_root``
are in conftest.py) and by benchmarks/test_runs_per_hour.py; a helper module, so that no test module imports
another."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from claimbench import ledger

REPO = Path(__file__).resolve().parent.parent
IOT_ML = REPO / "reference" / "iot_ml_hw2.toml"
MODEL1_CLAIMS = ("iot_ml_hw2/accuracy/model1/train", "iot_ml_hw2/accuracy/model1/val",
                 "iot_ml_hw2/accuracy/model1/val/text", "iot_ml_hw2/epoch_time/model1")


def write_cifar10(root: Path, per_batch: int, test: int) -> Path:
    """CIFAR-10's python layout (five training batches and a test batch, pickled dicts of uint8 rows)
    filled with random images whose red plane encodes the label."""
    directory = root / "cifar-10-batches-py"
    directory.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name, n in [*((f"data_batch_{i}", per_batch) for i in range(1, 6)), ("test_batch", test)]:
        labels = rng.integers(0, 10, n)
        rows = rng.integers(0, 256, (n, 3 * 32 * 32), dtype=np.uint8)
        rows[:, :1024] = (labels[:, None] * 25).astype(np.uint8)
        (directory / name).write_bytes(pickle.dumps({b"data": rows, b"labels": labels.tolist()}))
    return root


TINY_RECIPE = """
[recipe.tiny]
optimizer = "sgd"
lr = 0.01
batch_size = 16
epochs = 1
schedule = "constant"
validation = "none"
normalize = "unit"
"""
"""A recipe of one epoch of plain SGD, named ``tiny``: a run in seconds."""


NOT_PUBLISHED = "; measured on data that is not the published split"
"""The reason that ends every training claim's verdict on ``write_cifar10``'s splits: they hold another number of
images than CIFAR-10's published ones, so whatever is measured says nothing of the author's number (an ``error`` of
ours, pytest's exit status 1)."""


def judged_on_small_splits(result: pytest.RunResult) -> bool:
    """Whether a session that trained claims on ``write_cifar10``'s splits ran each to its verdict and nothing else
    failed: every claim it ran an error for ``NOT_PUBLISHED``, none a crash or a failed test."""
    outcomes = result.parseoutcomes()
    return (result.ret == pytest.ExitCode.TESTS_FAILED and "failed" not in outcomes
            and result.stdout.str().count(NOT_PUBLISHED) >= outcomes.get("errors", 0) > 0)


def any_accuracy_claim(claim_id: str, model: str, recipe: str, source: str) -> str:
    """A ``[[claim]]`` of a model's final CIFAR-10 test accuracy whose band holds any number (10% ±100): its run's
    data and failures decide, never its value (on ``write_cifar10``'s splits, an error: ``NOT_PUBLISHED``)."""
    return f'''
[[claim]]
id = "{claim_id}"
kind = "accuracy"
model = "{model}"
dataset = "cifar10"
split = "test"
statistic = "final"
recipe = "{recipe}"
value = 10
printed = "10%"
tolerance = {{ abs = 100 }}
source = "{source}"
'''


LINEAR_MODELS = '''
from torch import nn
from claimbench import register_model


@register_model("small.linear", input_size=(3, 32, 32))
def linear():
    return nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
'''
"""A project's module (``linearmodels.py``) registering ``small.linear``, a model a tiny recipe trains in seconds."""


TRAIN_IMAGES, TEST_IMAGES = 50, 50
"""Images left for training after the recipes' hold-out, and test images: tiny, for speed."""
EPOCHS, HELD_OUT = 2, 100
"""The IoT-ML recipes cut to this many epochs and hold-out images (50 and 5,000 in the ledger)."""


def claim(claim_id: str, path: Path = IOT_ML) -> ledger.Claim:
    return next(c for c in ledger.load(path) if c.id == claim_id)
