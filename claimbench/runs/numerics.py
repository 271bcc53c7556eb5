"""The ``auto`` numerics decision, kept: measured once per model and device, recorded in the results folder, and
reused by every later probe there, so that two sessions on one machine train a claim in the same numerics.

``auto`` chooses by timing a few steps in fp32 and in bf16 (``claimbench.precision``); on a loaded machine two
such timings of a model near the 1.2x threshold choose differently. The first choice is therefore written, with the
timings it rests on, to ``<results>/numerics/<model>-<digest>.json`` (atomically; under a lock on that folder, so
that parallel workers measure a model once; ``<model>`` as ``names.portable`` writes it, ``torchvision~resnet18``,
and a decision recorded under the reference as typed, ``torchvision:resnet18``, is moved to that name);
``<digest>`` hashes what makes it valid (``key``): the model and its architecture, the recipe and the image shape
it was timed at, the training engine, the device's name, features and revision (a CPU's family, model and
stepping: ``claimbench.environment``), on the CPU the thread counts the probe times at, torch's version and
``BF16_GAIN``.
A later probe with the same key times only the precision recorded, for its cost estimate and thread count, and
keeps it; another device, torch or model measures again (so does one recorded under an older key, which is not
found). An explicit ``--claims-train-precision`` fp32 or bf16 never reads nor writes a decision. A file that cannot
be read as one is set aside and the model measured again, and so is one this user's signing key did not sign
(``signing``: a decision a repository commits was not measured here); removing the file measures again too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from claimbench import atomic, data, dates, environment, precision, train
from claimbench.ledger import Recipe
from claimbench.runs import names, signing, store
from claimbench.runs.settings import Settings, say

__all__ = ["FOLDER", "decide", "key", "path_for"]

FOLDER = "numerics"
"""The folder of the results folder that holds the decisions."""
_DECISION = "the numerics decision"
"""What a write that fails (``store.unwritable``) could not write."""


def key(model_name: str, recipe: Recipe, train_set: data.Dataset, device: str) -> dict[str, Any]:
    """What the decision for ``model_name`` is valid for, as plain data: another value of any of it measures
    again. The probe's thread counts only on the CPU: a GPU's steps do not rest on them, and under pytest-xdist
    they are the cores over the workers, which would make ``-n 4`` and ``-n 8`` each measure one GPU again."""
    valid_for = {"model": model_name, "architecture": store.architecture(model_name), "engine": store.engine(),
                 "recipe": json.loads(json.dumps(dataclasses.asdict(recipe))),
                 "image": list(train_set.images.shape[1:]), "device": environment.processor(device),
                 "features": environment.device_features(device), "revision": environment.device_revision(device),
                 "torch": str(torch.__version__), "bf16_gain": precision.BF16_GAIN}
    if torch.device(device).type == "cpu":
        valid_for["threads"] = list(train.probe_threads(device))
    return valid_for


def path_for(model_name: str, valid_for: dict[str, Any], settings: Settings) -> Path:
    """Where the decision of ``valid_for`` (``key``) is recorded: under a name Windows allows too
    (``names.portable``)."""
    return settings.results_dir / FOLDER / names.portable(_built(model_name, valid_for))


def _built(model_name: str, valid_for: dict[str, Any]) -> str:
    """The decision's file name as built from the model's reference, a ``:`` kept (as an older claimbench named it)."""
    digest = hashlib.sha256(json.dumps(valid_for, sort_keys=True).encode()).hexdigest()[:12]
    return f"{model_name}-{digest}.json"


def decide(model_name: str, recipe: Recipe, train_set: data.Dataset, settings: Settings, device: str,
           probe: Callable[[str], precision.Probe]) -> precision.Probe:
    """``auto``'s probe of the model: ``probe("auto")`` where no decision is recorded for its ``key`` (then this
    one is recorded), else ``probe`` of the precision recorded, kept as ``auto``'s (``Probe.reused``). A folder or
    decision that cannot be written (a file where the folder should be, a full disk) is ``store.unwritable``."""
    valid_for = key(model_name, recipe, train_set, device)
    path = path_for(model_name, valid_for, settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise store.unwritable(path.parent, error, _DECISION) from None
    with atomic.locked(path, settings.progress):
        names.move(settings.results_dir / FOLDER / _built(model_name, valid_for), path)  # as an older one named it
        recorded = _read(path, valid_for, settings)
        if recorded is not None:
            found = probe(recorded.chosen)
            say(settings, f"{model_name}: {recorded.chosen}, as auto chose on {recorded.date} ({path})")
            return dataclasses.replace(found, asked="auto", reused=recorded)
        found = probe("auto")
        decision = precision.Decision(chosen=found.chosen, step_seconds=dict(found.step_seconds),
                                      date=dates.today())
        record = {"key": valid_for, **decision.to_dict()}
        try:
            signature = signing.sign(store.content(record))
            atomic.write_text(path, json.dumps({**record, store.SIGNATURE: signature}, indent=1, sort_keys=True))
        except OSError as error:
            raise store.unwritable(path, error, _DECISION) from None
        say(settings, f"{model_name}: auto chose {found.chosen}, recorded in {path}")
        return found


def _read(path: Path, valid_for: dict[str, Any], settings: Settings) -> precision.Decision | None:
    """The decision recorded at ``path`` for ``valid_for``; None where there is none, and where the file is not
    one (then set aside: not JSON, not a regular file) or this user's signing key did not sign it (``signing``: a
    repository's or another machine's, set aside as unsigned)."""
    try:
        recorded = json.loads(atomic.read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        _set_aside(path, f"{type(error).__name__}: {error}", settings)
        return None
    if not isinstance(recorded, dict):
        _set_aside(path, f"a JSON {type(recorded).__name__}, not an object", settings)
        return None
    if recorded.get("key") != valid_for:
        _set_aside(path, "its key is missing or not the one its name digests", settings)
        return None
    try:
        decision = precision.Decision.from_dict(recorded)
    except (KeyError, TypeError, ValueError) as error:
        _set_aside(path, f"{type(error).__name__}: {error}", settings)
        return None
    if not signing.signed(store.content(recorded), recorded.get(store.SIGNATURE)):
        store.set_aside(path, signing.not_signed("numerics decision"), settings, label="unsigned",
                        then="timing fp32 and bf16 again")
        return None
    return decision


def _set_aside(path: Path, reason: str, settings: Settings) -> None:
    """Set the unreadable decision aside, saying why; its model is measured again."""
    store.set_aside(path, f"corrupt numerics decision ({reason})", settings, then="timing fp32 and bf16 again")
