"""The sets a recipe trains, validates and tests on, and the identity of the data they came from."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from claimbench import data, errors
from claimbench.ledger import Claim, Recipe
from claimbench.runs.settings import Settings, no_device, usable

__all__ = ["Splits", "device", "eval_sizes", "load"]


@functools.lru_cache(maxsize=4)
def _load(name: str, split: str, root: Path | None, allow_unverified: bool, download: bool) -> data.Dataset:
    return data.load(name, split, root, allow_unverified=allow_unverified, download=download)


@dataclass(frozen=True)
class Splits:
    """A claim's splits as its recipe makes them, and the identity of the loaded data they came from."""

    train: data.Dataset
    val: data.Dataset | None
    test: data.Dataset
    identity: dict[str, Any]

    @property
    def verified(self) -> bool:
        return bool(self.identity["verified"])

    @property
    def finding(self) -> str:
        """What differs of the unverified data from the published (``data.Dataset.finding``); ``""`` where the
        checksums of both matched."""
        return "; ".join(found for found in (self.train.finding, self.test.finding) if found)

    @property
    def partial(self) -> str:
        """Which loaded splits hold another number of images than the published (``data.Dataset.partial``), joined
        with "and"; ``""`` where both hold the published number."""
        return " and ".join(held for held in (self.train.partial, self.test.partial) if held)


def device(claim: Claim, settings: Settings) -> str:
    """The session's device for the claim's runs; else ``errors.NotRunnable`` naming all it lacks to train here:
    its device (CUDA, mps), and the dataset too when its files are not on disk either."""
    try:
        return usable(settings.device)
    except errors.NotRunnable:
        lacking = data.missing(claim.dataset, settings.data_root) if claim.dataset in data.DATASETS and not (
            settings.download) else None  # "private" has no files to look for
        if lacking is None:
            raise
        raise errors.NotRunnable(f"{no_device(settings.device, default_budget=False)} and {lacking.lacking}") from None


def load(claim: Claim, recipe: Recipe, seed: int, settings: Settings) -> Splits:
    """The recipe's train, val and test sets; missing data is ``errors.NotRunnable``. The identity is the
    loaded sets' content digests (computed once per loaded set) and whether their checksums matched."""
    if claim.dataset is None:
        raise ValueError(f"{claim.id}: a training claim needs a dataset")
    try:
        train_set, test_set = (_load(claim.dataset, split, settings.data_root, settings.allow_unverified,
                                     settings.download) for split in ("train", "test"))
    except data.DataMissing as missing:
        raise errors.NotRunnable(str(missing)) from None
    identity = {"train": train_set.digest, "test": test_set.digest,
                "verified": train_set.verified and test_set.verified}
    val_set: data.Dataset | None = None
    if recipe.validation == "holdout":
        try:
            train_set, val_set = data.split_holdout(train_set, recipe.val_size, torch.Generator().manual_seed(seed))
        except ValueError as error:
            raise errors.MeasurementError(f"{claim.dataset} train in {train_set.source}: {error}, the recipe's "
                                          "val_size") from None
    elif recipe.validation == "test":
        val_set = test_set
    return Splits(train_set, val_set, test_set, identity)


def eval_sizes(splits: Splits) -> list[int]:
    """The sizes of the sets evaluated every epoch: val, and test unless it is the validation set."""
    sizes = [len(splits.val)] if splits.val is not None else []
    return sizes + [len(splits.test)] if splits.test is not None and splits.test is not splits.val else sizes
