"""The local executor: train a claim's runs in this process (or read those stored), then its statistic.

Each seed's run trains once (``claimbench.train``), checkpointing after every epoch and resuming from
there in the precision and thread count it began with (fewer threads where this process has fewer, which its
record says: the weights then differ from an uninterrupted run's); its record goes into the run store
(``claimbench.runs.store``), and the claim reads the statistic it claims from the runs' histories
(``claimbench.metrics``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from claimbench import environment, errors, metrics, precision, registry, train
from claimbench.history import History
from claimbench.ledger import Claim, Recipe
from claimbench.runs import cost, splits, store
from claimbench.runs.settings import Settings, say

__all__ = ["SeedStatistic", "bf16_chosen_by", "measure", "stored_or_trained", "train_run", "weights_digest"]


@dataclass(frozen=True)
class SeedStatistic:
    """A claim's statistic over the seeds: their mean, each value, the 95% half-width, where it ran."""

    mean: float
    values: tuple[float, ...]
    spread: float
    device: str
    """Where the seeds ran: each distinct device (precision, how ``auto`` chose it) once, in seed order, joined with
    `` + `` (the report joins the devices of claims with ``; ``)."""
    verified: bool
    results: tuple[Path, ...]
    stored: tuple[str, ...] = ()
    """The date of each run read from the run store as an earlier session trained it (not trained in this one)."""
    bf16: str = ""
    """Where a run trained in bf16 autocast, who chose it (``bf16``): ``auto`` or ``asked``; empty: all in fp32."""
    finding: str = ""
    """Where the runs trained on unverified data, what differs of it from the published (``splits.Splits.finding``)."""
    partial: str = ""
    """Where the runs trained on unverified data, its splits that hold another number of images than the published
    (``splits.Splits.partial``)."""
    step: float = 0.0
    """The least change one run can make in the statistic (``metrics.resolution``), the coarsest of the runs'; 0: none
    that floors their scatter."""


def weights_digest(model: torch.nn.Module) -> str:
    """SHA-256 over the state dict's names and bytes, in name order: equal digests, equal weights."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(train.tensor_bytes(tensor))
    return digest.hexdigest()


def _train(claim: Claim, recipe: Recipe, seed: int, settings: Settings, sets: splits.Splits, checkpoint: Path,
           threads: int, accel: train.Accel, note: dict[str, Any], place: train.RunPlace | None
           ) -> tuple[History, torch.nn.Module]:
    """One run, resumed from ``checkpoint`` when it holds one; a corrupt checkpoint, or one of another run (an older
    claimbench, a file copied in), is set aside and the run starts afresh. A checkpoint that cannot be written (a
    full disk) is ``store.unwritable``; the one written before it is kept. A Ctrl-C says what is kept
    (``_say_kept``)."""
    torch.manual_seed(seed)
    model = registry.get_model(claim.model)
    try:
        history = train.train(model, sets.train, sets.test, recipe, device=settings.device, seed=seed,
                              val_set=sets.val, checkpoint=checkpoint, on_epoch=settings.progress, place=place,
                              threads=threads, evaluate_train=True, accel=accel, name=claim.model, note=note)
    except train.CorruptCheckpoint as corrupt:
        store.set_aside(checkpoint, str(corrupt).removeprefix(f"{checkpoint}: "), settings,
                        then="training from epoch 1")
        return _train(claim, recipe, seed, settings, sets, checkpoint, threads, accel, note, place)
    except train.ForeignCheckpoint as foreign:
        store.set_aside(checkpoint, foreign.what, settings, label="other-run", then="training from epoch 1")
        return _train(claim, recipe, seed, settings, sets, checkpoint, threads, accel, note, place)
    except OSError as error:
        if error.filename != str(checkpoint):  # not the checkpoint's write: a failure of the training itself
            raise
        raise store.unwritable(checkpoint, error) from None
    except KeyboardInterrupt:
        _say_kept(claim, checkpoint, settings)
        raise
    return history, model


def _say_kept(claim: Claim, checkpoint: Path, settings: Settings) -> None:
    """Say, as a Ctrl-C stops the claim's run, that the checkpoint of its last finished epoch is kept and from which
    epoch the next run (a retrain's: the next retrain) resumes it; or that none finished, where none did."""
    try:
        epochs = train.saved(checkpoint).epochs if checkpoint.exists() else 0
    except (train.CorruptCheckpoint, errors.MeasurementError):  # nothing to say of it: the next run sets it aside
        return
    if not epochs:
        say(settings, f"{claim.model}: interrupted before its first epoch finished: the next run trains from epoch 1")
        return
    after = "next --claims-retrain" if settings.retrain else "next run"
    say(settings, f"{claim.model}: interrupted; the checkpoint of its last finished epoch, {epochs} of "
                  f"{claim.recipe.epochs}, is kept ({checkpoint}): the {after} resumes from epoch {epochs + 1}")


def train_run(claim: Claim, seed: int, settings: Settings, path: Path,
              found: precision.Probe | None = None, place: train.RunPlace | None = None) -> dict[str, Any]:
    """Train the claim's run of ``seed``, checkpointing beside ``path`` and showing its progress lines with ``place``
    (None: the seed of the claim's ``settings.seed_count``, no run after it), and return its record; writes nothing but
    the checkpoint. A run with a checkpoint to resume (``store.resumable``) continues as it began (precision,
    threads), without timing again, and its record's ``wall_seconds`` adds the earlier sessions' (up to the
    checkpoint) to this one's; any other starts as ``found`` chose (None: ``cost.step_cost``), a retrain
    first removing a checkpoint it does not resume, and a plain run setting aside one this user's key did not sign
    or another run's (``store.set_aside_checkpoint_not_ours``)."""
    recipe = claim.recipe
    sets = splits.load(claim, recipe, seed, settings)
    checkpoint = path.with_suffix(".ckpt")
    resumed = store.resumable(path, claim, seed, settings, len(sets.train))
    if resumed is not None:
        found = resumed.found
    else:
        if settings.retrain:
            checkpoint.unlink(missing_ok=True)
        else:
            store.set_aside_checkpoint_not_ours(path, settings)
        found = found or cost.step_cost(claim.model, recipe, sets.train, settings)
    earlier_seconds = resumed.wall_seconds if resumed is not None else 0.0
    started = time.perf_counter()
    accel = found.accel(compile=settings.compile)
    began, on_cpu = found.cost.threads, torch.device(settings.device).type == "cpu"
    threads = min(began, torch.get_num_threads())  # a resumed run: never more than this process has
    history, model = _train(claim, recipe, seed, settings, sets, checkpoint, threads, accel,
                            store.checkpoint_note(path, found, settings),
                            place or train.RunPlace(seed, settings.seed_count(claim)))
    return {
        "model": claim.model,
        "dataset": claim.dataset,
        "recipe": dataclasses.asdict(recipe),
        "seed": seed,
        "device": torch.device(settings.device).type,
        "accel": {"channels_last": accel.channels_last, "compile": accel.compile,
                  "autocast": str(accel.autocast).removeprefix("torch.") if accel.autocast else None,
                  "tf32": environment.tf32(settings.device)},
        "precision": found.to_dict(),
        "threads": threads if on_cpu else None,
        **({"began_with_threads": began} if resumed is not None and on_cpu and threads < began else {}),
        "environment": environment.describe(settings.ledger, settings.device, threads, settings.written, settings.readme),
        "verified_data": sets.verified,
        "data": sets.identity,
        "data_sizes": {"train": len(sets.train), "val": len(sets.val) if sets.val is not None else 0,
                       "test": len(sets.test)},
        "session": settings.session,
        "wall_seconds": earlier_seconds + time.perf_counter() - started,
        "weights_sha256": weights_digest(model),
        "history": history.to_dict(),
    }


def stored_or_trained(claim: Claim, seed: int, settings: Settings, path: Path,
                      found: precision.Probe | None = None, *, sets: splits.Splits | None = None,
                      place: train.RunPlace | None = None) -> dict[str, Any]:
    """The run of ``seed`` stored at ``path``, trained (``train_run``) and stored first when it is not there, under
    the run's lock (``store.locked``): a worker or session that waited for it says so, and uses the run stored
    meanwhile. Given the claim's ``sets`` (one machine), a run waited for that the other process left unstored (a
    Ctrl-C, a failure) is budgeted first as ``measure`` budgets a missing run (``_check_budget``), resuming that
    process's checkpoint where it can; the cluster's driver budgeted every run it submits. ``place`` goes to the
    run's progress lines (``train_run``). A plain run tidies what a stored run's kill left beside it (``_tidy``)."""
    with store.locked(path, settings.progress) as waited:
        record = store.read(path, settings)
        if record is None:
            if waited and sets is not None:
                _check_budget(claim, claim.recipe, {seed: path}, sets, settings)
            record = train_run(claim, seed, settings, path, found, place)
            store.write(path, record, settings)
        else:
            if waited:
                say(settings, f"{path}: stored by the other process meanwhile; read, not trained again")
            if not settings.retrain:
                _tidy(claim, path, settings)
    return record


def _tidy(claim: Claim, path: Path, settings: Settings) -> None:
    """Remove what a finished run's kill left beside it (``store.tidy_finished``), and say where an unfinished
    ``--claims-retrain`` of it left its checkpoint: the stored run stays the one used until that retrain ends."""
    epochs = store.tidy_finished(path)
    if epochs is not None:
        say(settings, f"{claim.model}: a --claims-retrain of this run is unfinished ({path.with_suffix('.ckpt')} holds "
                      f"epoch {epochs} of {claim.recipe.epochs}); the stored run is used: --claims-retrain carries "
                      f"the retrain on from epoch {epochs + 1}")


def _trained_on(record: dict[str, Any], settings: Settings) -> str:
    """The device a stored run trained on, its autocast where it used one, else what its fp32 ran in TF32, and how
    ``auto`` chose its precision: ``CPU ..., bfloat16 autocast (auto: measured)``, ``NVIDIA H200, TF32
    convolutions, fp32 (auto: measured)``."""
    device = record.get("environment", {}).get("device") or environment.device_name(settings.device,
                                                                                      record.get("threads"))
    autocast, began = record.get("accel", {}).get("autocast"), record.get("began_with_threads")
    tf32 = record.get("accel", {}).get("tf32")
    device += f", {autocast} autocast" if autocast else f", TF32 {' and '.join(tf32)}" if tf32 else ""
    device += _decided(record.get("precision", {}))
    return device + (f", resumed on fewer threads than the {began} it began with" if began else "")


def _decided(found: dict[str, Any]) -> str:
    """How ``auto`` decided a stored run's precision, naming fp32 where it chose fp32: `` (auto: measured)``,
    ``, fp32 (auto: reused, measured 2025-06-01)``; nothing where it was asked for, or the run is older than
    the words (its record has no ``decided``)."""
    decided = found.get("decided")
    if decided not in ("measured", "reused"):
        return ""
    fp32 = ", fp32" if found.get("chosen") == "fp32" else ""
    if decided == "measured":
        return f"{fp32} (auto: measured)"
    return f"{fp32} (auto: reused, measured {found.get('decision', {}).get('date', 'on an unrecorded date')})"


def bf16_chosen_by(records: Sequence[dict[str, Any]]) -> str:
    """Who chose bf16 autocast for runs that trained in it: ``auto`` where claimbench's ``auto`` did for any of them
    (its choice, measured or reused), else ``asked`` where ``--claims-train-precision=bf16`` did; empty where every
    run trained in fp32, the author's numerics."""
    chosen = [record.get("precision", {}) for record in records]
    asked = {found.get("asked") for found in chosen if found.get("chosen") == "bf16"}
    return "auto" if "auto" in asked else "asked" if asked else ""


def _check_budget(claim: Claim, recipe: Recipe, missing: dict[int, Path], sets: splits.Splits,
                  settings: Settings, elsewhere: Sequence[int] = ()) -> dict[int, int]:
    """Skip the claim (``errors.NotRunnable``) when its missing runs are estimated over the budget, else print the
    estimate; return each missing run's epochs still to run. A run with a checkpoint to resume counts only its epochs
    still to run, at the step cost it began with; the others are timed now (``cost.step_cost``), unless every run
    resumes. The seeds ``elsewhere``, whose lock another process holds (``store.held``: training them), are only
    named: their checkpoints are that process's; the session waits for each, and budgets it then if that process
    stores nothing (``stored_or_trained``)."""
    if not missing:
        return {}
    resumes = {seed: store.resumable(path, claim, seed, settings, len(sets.train)) for seed, path in missing.items()}
    fresh = None
    if any(resumed is None for resumed in resumes.values()):
        fresh = cost.step_cost(claim.model, recipe, sets.train, settings)
    estimate = sum(cost.run_seconds(fresh, resumed, recipe, len(sets.train), splits.eval_sizes(sets))
                   for resumed in resumes.values())
    resuming = [cost.resuming(seed, resumed, recipe) for seed, resumed in resumes.items() if resumed is not None]
    shown = fresh or next(resumed.found for resumed in resumes.values() if resumed is not None)
    cost.skip_over_budget(claim, recipe.epochs, estimate, len(missing), settings, resuming=resuming,
                          threads=shown.cost.threads)
    work = ", ".join([f"training {len(missing)} run(s) of up to {recipe.epochs} epochs", *resuming,
                      *(f"seed {seed} held by another process (not estimated)" for seed in elsewhere)])
    cost.announce(claim.model, work, estimate, shown, settings)
    return {seed: recipe.epochs - min(resumed.epochs, recipe.epochs) if resumed is not None else recipe.epochs
            for seed, resumed in resumes.items()}


def _place(seed: int, seeds: int, epochs_left: dict[int, int]) -> train.RunPlace:
    """Where the run of ``seed`` stands among the claim's ``seeds``: the runs still to train after it (``epochs_left``
    of each, in seed order) count in its ETA."""
    after = [epochs for later, epochs in epochs_left.items() if later > seed]
    return train.RunPlace(seed, seeds, runs_after=len(after), epochs_after=sum(after))


def measure(claim: Claim, settings: Settings) -> SeedStatistic:
    """Train (or reuse) ``settings.seed_count(claim)`` runs of the claim's recipe and read the claimed statistic."""
    recipe = claim.recipe
    if recipe is None or claim.model is None or claim.statistic is None:
        raise ValueError(f"{claim.id}: a training claim needs model, statistic and recipe")
    if settings.cluster is None:
        splits.device(claim, settings)
    sets = splits.load(claim, recipe, 0, settings)
    seeds = range(settings.seed_count(claim))
    paths = [store.path_for(claim, recipe, seed, settings, sets.identity) for seed in seeds]
    missing = {seed: path for seed, path in enumerate(paths) if store.read(path, settings) is None}
    for path in missing.values():  # a good stored run wins over a failure recorded beside it
        store.raise_failure(path, settings)
    elsewhere = [seed for seed, path in missing.items() if store.held(path)]
    here = {seed: path for seed, path in missing.items() if seed not in elsewhere}
    epochs_left = _check_budget(claim, recipe, here, sets, settings, elsewhere)
    values, verified, devices, stored, records, steps = [], True, [], [], [], []
    for seed, path in enumerate(paths):
        record = stored_or_trained(claim, seed, settings, path, sets=sets,
                                   place=_place(seed, len(paths), epochs_left))
        records.append(record)
        history = History.from_dict(record["history"])
        values.append(metrics.value(claim.kind, claim.split, claim.statistic, history, batch_size=recipe.batch_size))
        steps.append(metrics.resolution(claim.kind, claim.split, claim.statistic, history))
        verified = verified and record["verified_data"]
        devices.append(_trained_on(record, settings))
        if record.get("session") != settings.session:
            stored.append(str(record.get("environment", {}).get("date", "an unrecorded date")))
    mean, spread = metrics.interval95(values)
    return SeedStatistic(mean=mean, values=tuple(values), spread=spread, device=" + ".join(dict.fromkeys(devices)),
                         verified=verified, results=tuple(paths), stored=tuple(stored),
                         bf16=bf16_chosen_by(records), finding="" if verified else sets.finding,
                         partial="" if verified else sets.partial, step=max(steps))
