"""Which training runs the selected claims need: the planner of a session whose runs train elsewhere.

A run is keyed as the run store keys it (``store.path_for``: model and its architecture, the engine, dataset and its
content, recipe, seed, device type, precision asked), so claims naming one run share it. Stored runs are left
out (unless the session retrains), and so are the claims that will not train: missing or unverified data, over
the budget, a failure of their own while planning them (``needs``). Those claims then skip or fail by themselves,
with the same reasons as on one machine. No Ray, no training.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimbench import errors, precision, registry, vocab
from claimbench.ledger import Claim, Recipe
from claimbench.runs import cost, splits, store
from claimbench.runs.settings import Settings

__all__ = ["Need", "ProbeKey", "Run", "needs", "probe_keys", "selected", "within_budget"]

_CLAIMS_OWN = (errors.NotRunnable, errors.MeasurementError, OSError, ImportError, registry.UnknownModelError,
              registry.NotAModuleError)
"""What planning a claim raises of the claim's own: data missing or failing its checks, a download's or the disk's
failure, a model whose module or name does not import (collection's error of that claim) or that is no module."""

ProbeKey = tuple[str, Recipe]
"""(model, recipe): what one cost and precision probe measures."""


@dataclass(frozen=True)
class Need:
    """A training claim's runs that are not stored yet, and the sizes its cost estimate needs."""

    claim: Claim
    missing: tuple[tuple[int, Path], ...]
    """(seed, store path) of each run to train."""
    resumes: tuple[store.Resumable | None, ...]
    """The checkpoint each of them resumes (``store.resumable``), None where it starts afresh (always, when the
    session retrains)."""
    train_images: int
    eval_sizes: tuple[int, ...]

    @property
    def probe_key(self) -> ProbeKey:
        return self.claim.model, self.claim.recipe


@dataclass(frozen=True)
class Run:
    """One training run to do: the first claim naming it stands for its model, dataset and recipe."""

    claim: Claim
    seed: int
    path: Path
    estimate_seconds: float


def selected(items: Iterable[Any], stale: Collection[str] = ()) -> list[Claim]:
    """The training claims of the session's items (ledger items and parametrized tests), once each,
    leaving out those marked to skip and the ``stale`` ones (their report no longer prints them: an error)."""
    claims: dict[str, Claim] = {}
    for item in items:
        claim = getattr(item, "claim", None)
        if claim is None and hasattr(item, "callspec"):
            claim = item.callspec.params.get("claim")
        if (isinstance(claim, Claim) and claim.kind in vocab.TRAINING_KINDS and claim.id not in stale
                and not item.get_closest_marker("skip")):
            claims.setdefault(claim.id, claim)
    return list(claims.values())


def needs(claims: Sequence[Claim], settings: Settings) -> list[Need]:
    """The claims that have runs to train. A claim whose planning fails of its own (``_CLAIMS_OWN``, or anything
    raised in the author's code: its model's builder) is left to fail or skip when it runs, which raises it again,
    its ``error`` or skip as on one machine. Anything else is a bug of claimbench's, raised here: on a cluster it
    would otherwise leave the claim's runs out of the plan without a word."""
    found = []
    for claim in claims:
        if claim.recipe is None or claim.model is None or claim.statistic is None:
            continue
        try:
            need = _need(claim, claim.recipe, settings)
        except Exception as error:  # noqa: BLE001 - the author's builder may raise anything
            if isinstance(error, _CLAIMS_OWN) or errors.author_line(error) is not None:
                continue
            raise
        if need is not None:
            found.append(need)
    return found


def _need(claim: Claim, recipe: Recipe, settings: Settings) -> Need | None:
    """The runs of the claim's recipe to train, None when every one is stored."""
    sets = splits.load(claim, recipe, 0, settings)
    seeds = range(settings.seed_count(claim))
    paths = [(seed, store.path_for(claim, recipe, seed, settings, sets.identity)) for seed in seeds]
    missing = tuple((seed, path) for seed, path in paths if store.read(path, settings) is None)
    if not missing:
        return None
    resumes = tuple(None if settings.retrain else store.resumable(path, claim, seed, settings, len(sets.train))
                    for seed, path in missing)  # a retrain on the cluster removes every checkpoint first
    return Need(claim, missing, resumes, len(sets.train), tuple(splits.eval_sizes(sets)))


def probe_keys(wanted: Sequence[Need]) -> dict[ProbeKey, Claim]:
    """The distinct (model, recipe) the needs' estimates and precision choices time, each with the first claim
    that needs it: a probe builds that claim's model and reads its data."""
    first: dict[ProbeKey, Claim] = {}
    for need in wanted:
        first.setdefault(need.probe_key, need.claim)
    return first


def within_budget(wanted: Sequence[Need], probes: Mapping[ProbeKey, precision.Probe], settings: Settings
                  ) -> list[Run]:
    """The distinct runs of the claims whose estimate fits the budget (a resumed run counts its epochs still to run,
    as on one machine); a claim over it, or whose probe failed (absent from ``probes``), trains nothing and skips
    or fails when it runs."""
    planned: dict[Path, Run] = {}
    for need in wanted:
        probe = probes.get(need.probe_key)
        if probe is None:
            continue
        estimates = [cost.run_seconds(probe, resumed, need.claim.recipe, need.train_images, need.eval_sizes)
                     for resumed in need.resumes]
        if sum(estimates) > settings.budget:
            continue
        for (seed, path), estimate in zip(need.missing, estimates, strict=True):
            planned.setdefault(path, Run(need.claim, seed, path, estimate))
    return list(planned.values())
