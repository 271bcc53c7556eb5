"""The training engine: one readable loop that trains a model with the recipe a report's author used.

airbench style: the dataset sits on the device as one uint8 tensor; every batch is gathered, augmented
and normalised there from a seeded ``torch.Generator``; nothing is read back inside a step. The plateau schedule
and early stopping follow Keras, the framework of the reports that name them; the cosine and step schedules are
PyTorch's ``CosineAnnealingLR`` and ``MultiStepLR``, stepped per epoch as the PyTorch reports that name them step them.
Statistics (best epoch, running means, pooled precision) are computed from the returned ``History`` by
``claimbench.metrics``.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import hashlib
import math
import pickle
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR, MultiStepLR

from claimbench import accelerators, atomic, batchnorm, data, errors, transforms, vocab
from claimbench.history import Epoch, Evaluation, History
from claimbench.ledger import EarlyStopping, Plateau, Recipe

__all__ = [
    "Accel",
    "CorruptCheckpoint",
    "ForeignCheckpoint",
    "NonFiniteLoss",
    "PROBE_STEPS",
    "RunPlace",
    "Saved",
    "StepCost",
    "Timer",
    "batch_sizes",
    "check_sizes",
    "duration",
    "evaluate",
    "fingerprint",
    "probe_threads",
    "saved",
    "step_cost",
    "step_costs",
    "tensor_bytes",
    "train",
]

KERAS_PLATEAU_MIN_DELTA = 1e-4
"""Keras ``ReduceLROnPlateau``'s default ``min_delta``; its ``EarlyStopping`` default is 0."""
KEEP_FREED_BYTES = 1 << 30
"""glibc keeps freed blocks up to this size for reuse instead of returning them to the system."""
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc mallopt() parameters
PROBE_STEPS = 3
"""Timed steps per thread count and precision, after one warm-up step, when ``step_costs`` times a model."""
MORE_THREADS_GAIN = 1.1
"""More CPU threads are chosen only when their step is this much faster than one thread's: OpenMP threads
spin at barriers, so a busy machine makes them several times slower, and one thread loses least."""


class NonFiniteLoss(errors.MeasurementError):
    """A training, validation or test loss became NaN, infinite or larger than any working run's (``DIVERGED_LOSS``):
    names the model, the epoch and the loss."""


class ForeignCheckpoint(ValueError):
    """A checkpoint of another run (another model, recipe, seed, device, data size or precision): ``what`` says
    whose and what differs; the message adds that training refuses it."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        super().__init__(f"{path}: {what}; delete it to start afresh")


class CorruptCheckpoint(ValueError):
    """A checkpoint's content cannot be loaded or resumed from, or is not what was saved (its digest differs):
    names the file. Bytes that do not unpickle are no torch checkpoint: torch's message, which advises loading
    them with ``weights_only=False`` (unsafe), is not quoted. Where torch could not load it at all (``unloadable``:
    a file cut short, or of other bytes), the message says so before torch's error."""

    def __init__(self, path: Path, error: BaseException, *, unloadable: bool = False) -> None:
        self.path = path
        if isinstance(error, pickle.UnpicklingError):
            why = f"not a torch checkpoint: {type(error).__name__}"
        else:
            why = f"{type(error).__name__}: {next(iter(str(error).splitlines()), '')}"
            if unloadable:
                why = f"truncated or not a checkpoint: it could not be read ({why})"
        super().__init__(f"{path}: corrupt checkpoint ({why})")


AUTOCAST = {"fp32": None, "bf16": torch.bfloat16}
"""Each precision a run trains in, and the autocast dtype that gives it (no float16: it needs loss scaling)."""


@dataclass(frozen=True)
class Accel:
    """How the engine runs on a device: memory layout, autocast dtype, ``torch.compile``. The default is fp32 in
    channels_last on every device; bf16 is chosen by timing the model (``claimbench.precision.probe``), never by
    the device's type (on an H200 a small CNN stepped faster in fp32)."""

    channels_last: bool = True
    autocast: torch.dtype | None = None
    compile: bool = False

    def __post_init__(self) -> None:
        if self.autocast not in AUTOCAST.values():
            raise ValueError(f"autocast must be None or torch.bfloat16, got {self.autocast}: float16 needs loss "
                             "scaling, which the engine does not do")

    @property
    def precision(self) -> str:
        """The numerics a run trains in, a key of ``AUTOCAST``."""
        return next(name for name, dtype in AUTOCAST.items() if dtype == self.autocast)

    @property
    def memory_format(self) -> torch.memory_format:
        """The memory format of images and weights."""
        return torch.channels_last if self.channels_last else torch.contiguous_format

    def autocast_on(self, device: torch.device) -> contextlib.AbstractContextManager[Any]:
        """The autocast context for ``device`` (a no-op when ``autocast`` is None)."""
        if self.autocast is None:
            return contextlib.nullcontext()
        return torch.autocast(device.type, dtype=self.autocast)


@dataclass(frozen=True)
class RunPlace:
    """Where a run stands among its claim's seeds, for its progress lines: its ``seed`` (numbered from 0, as the run
    files and the cost estimate name it) of ``seeds``, and the runs this process trains after it, with their
    ``epochs_after`` still to run in all."""

    seed: int
    seeds: int
    runs_after: int = 0
    epochs_after: int = 0


# ----------------------------------------------------------------------------- Keras callbacks


def _score(epoch: Epoch, monitor: str) -> float:
    """The monitored quantity as Keras logs it, as a score to minimise: ``val_accuracy`` is a negated fraction, so
    Keras' ``min_delta`` means what it means there."""
    if epoch.val is None:
        raise ValueError(f"monitor {monitor!r} needs a validation set")
    return epoch.val.loss if monitor == "val_loss" else -epoch.val.accuracy / 100


class _ReduceOnPlateau:
    """Keras ``ReduceLROnPlateau``: multiply the learning rate by ``factor`` after ``patience`` epochs
    without an improvement larger than ``min_delta``, never below ``min_lr``."""

    def __init__(self, rule: Plateau) -> None:
        self.rule = rule
        self.best = math.inf
        self.wait = 0

    def step(self, epoch: Epoch, optimizer: torch.optim.Optimizer) -> None:
        score = _score(epoch, self.rule.monitor)
        if score < self.best - KERAS_PLATEAU_MIN_DELTA:
            self.best, self.wait = score, 0
            return
        self.wait += 1
        if self.wait >= self.rule.patience:
            for group in optimizer.param_groups:
                if group["lr"] > self.rule.min_lr:
                    group["lr"] = max(group["lr"] * self.rule.factor, self.rule.min_lr)
            self.wait = 0

    def state_dict(self) -> dict[str, float]:
        return {"best": self.best, "wait": self.wait}

    def load_state_dict(self, state: dict[str, float]) -> None:
        self.best, self.wait = state["best"], int(state["wait"])


class _EarlyStopping:
    """Keras ``EarlyStopping`` (``min_delta`` 0): stop after ``patience`` epochs without improvement,
    keeping a copy of the best epoch's weights when they are to be restored."""

    def __init__(self, rule: EarlyStopping) -> None:
        self.rule = rule
        self.best = math.inf
        self.wait = 0
        self.best_epoch: int | None = None
        self.best_weights: dict[str, torch.Tensor] | None = None
        self.stopped = False

    def step(self, epoch: Epoch, model: nn.Module) -> None:
        score = _score(epoch, self.rule.monitor)
        self.wait += 1
        if score < self.best:
            self.best, self.wait, self.best_epoch = score, 0, epoch.epoch
            if self.rule.restore_best:
                self.best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
        elif self.wait >= self.rule.patience and epoch.epoch > 1:
            self.stopped = True

    def state_dict(self) -> dict[str, Any]:
        return {"best": self.best, "wait": self.wait, "best_epoch": self.best_epoch,
                "best_weights": self.best_weights, "stopped": self.stopped}

    def load_state_dict(self, state: dict[str, Any], device: torch.device) -> None:
        self.best, self.wait, self.best_epoch, self.stopped = (
            state["best"], state["wait"], state["best_epoch"], state["stopped"])
        weights = state["best_weights"]
        self.best_weights = {k: v.to(device) for k, v in weights.items()} if weights is not None else None


# ----------------------------------------------------------------------------- pieces of the loop


class Timer:
    """Seconds between ``start`` and ``stop`` (or ``end``): events on the device's own stream where it
    ``accelerators.times_by_events`` (CUDA), read once it has run them; else perf_counter, read after the device has
    run the work queued before (``accelerators.synchronize``: mps; nothing to wait for on the CPU)."""

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.events = accelerators.times_by_events(device)

    def start(self) -> None:
        if self.events:
            self.begin = accelerators.timing_event(self.device)
        else:
            accelerators.synchronize(self.device)
            self.began = time.perf_counter()

    def end(self) -> Callable[[], float]:
        """End the interval; what gives its seconds, which for events is to be called after ``wait``: the host does
        not wait for the device here."""
        if self.events:
            begin, end = self.begin, accelerators.timing_event(self.device)
            return lambda: begin.elapsed_time(end) / 1000
        accelerators.synchronize(self.device)
        seconds = time.perf_counter() - self.began
        return lambda: seconds

    def wait(self) -> None:
        """Wait until the device has run what the intervals ended so far time."""
        if self.events:
            accelerators.synchronize(self.device)

    def stop(self) -> float:
        """The seconds of the interval, once the device has run it."""
        seconds = self.end()
        self.wait()
        return seconds()


@dataclass(frozen=True)
class StepCost:
    """Seconds of one training step and of one evaluation batch at the recipe's batch size, and the
    thread count that gave them (the faster of one and the process's, on the CPU)."""

    train_seconds: float
    eval_seconds: float
    threads: int


def step_cost(model: nn.Module, train_set: data.Dataset, recipe: Recipe, *, device: torch.device | str,
              accel: Accel | None = None) -> StepCost:
    """Time ``model`` (the probe trains it: pass a spare) in one ``accel`` (``step_costs``)."""
    return step_costs([(model, accel or Accel())], train_set, recipe, device=device)[0]


def step_costs(models: Sequence[tuple[nn.Module, Accel]], train_set: data.Dataset, recipe: Recipe, *,
               device: torch.device | str, threads: int | None = None, name: str | None = None) -> list[StepCost]:
    """Time each model in its ``Accel`` (the probe trains them: pass spares) on a batch of ``train_set``: one
    warm-up and ``PROBE_STEPS`` timed training steps and evaluation batches at each candidate thread count (on
    the CPU, the process's and one; ``threads`` alone where given), the models and thread counts taking turns
    step by step, so that every one meets the same load. Medians; a fixed number of steps, whatever they take. On a
    GPU that times by events the host queues the steps as a run does, and waits for them once, at the end
    (``Timer.end``). A model without one output per class is refused first (``check_classes``; ``name`` names it)."""
    device = torch.device(device)
    batch = dataclasses.replace(train_set, images=train_set.images[:recipe.batch_size],
                                labels=train_set.labels[:recipe.batch_size]).to(device)
    indices = torch.arange(len(batch), device=device)
    timer = Timer(device)
    candidates = probe_threads(device, threads)
    probes = []
    for model, accel in models:
        if recipe.batch_norm == "per_image":
            batchnorm.per_image_batch_norm(model)
        model.to(device=device, memory_format=accel.memory_format)
        probes.append((model, accel, _optimizer(model, recipe), torch.Generator(device).manual_seed(0)))
        check_classes(model, batch, recipe, accel, name or type(model).__name__)  # after the optimizer, as in a run
    ended: list[dict[int, list[tuple[Callable[[], float], Callable[[], float]]]]] = [
        {n: [] for n in candidates} for _ in probes]
    with accelerators.current(device), _deterministic(device):
        for _ in range(1 + PROBE_STEPS):
            for (model, accel, optimizer, generator), timed in zip(probes, ended, strict=True):
                for count in candidates:
                    with _cpu_threads(device, count):
                        timer.start()
                        model.train()
                        _step(_objective(model, recipe), optimizer, batch, indices, recipe, generator, accel)
                        trained = timer.end()
                        timer.start()
                        evaluate(model, batch, recipe, device=device, accel=accel)
                        timed[count].append((trained, timer.end()))
        timer.wait()
    return [_fastest({n: [(trained(), evaluated()) for trained, evaluated in rounds] for n, rounds in timed.items()})
            for timed in ended]


def probe_threads(device: torch.device | str, threads: int | None = None) -> tuple[int, ...]:
    """The thread counts ``step_costs`` times a model at: ``threads`` alone where given; else the process's, and one
    too on the CPU."""
    if threads:
        return (threads,)
    return tuple(dict.fromkeys((torch.get_num_threads(), 1) if torch.device(device).type == "cpu"
                               else (torch.get_num_threads(),)))


def _fastest(seconds: Mapping[int, list[tuple[float, float]]]) -> StepCost:
    """The step cost at the thread count ``step_costs`` chooses: more threads only when ``MORE_THREADS_GAIN``
    faster than the first candidate (the process's count), by the medians of the timed steps."""
    medians = {n: tuple(statistics.median(s) for s in zip(*rounds[1:], strict=True)) for n, rounds in seconds.items()}
    first, *others = medians
    chosen = min(others, key=lambda n: medians[n][0], default=first)
    if not others or medians[first][0] * MORE_THREADS_GAIN < medians[chosen][0]:
        chosen = first
    return StepCost(train_seconds=medians[chosen][0], eval_seconds=medians[chosen][1], threads=chosen)


@contextlib.contextmanager
def _cpu_threads(device: torch.device, threads: int | None) -> Iterator[None]:
    """Run with ``threads`` torch threads on the CPU (None: as the process is set), then restore the count."""
    if device.type != "cpu" or threads is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


@functools.cache
def _keep_freed_memory() -> None:
    """Once per process, make glibc reuse freed blocks instead of unmapping them: otherwise every
    step's activations and gradients fault in fresh pages (10-15% of a step on the 2-core CPU)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    libc.mallopt(_M_MMAP_THRESHOLD, KEEP_FREED_BYTES)
    libc.mallopt(_M_TRIM_THRESHOLD, KEEP_FREED_BYTES)


@contextlib.contextmanager
def _deterministic(device: torch.device) -> Iterator[None]:
    """Deterministic algorithms for the run on the CPU (equal seeds and thread counts give equal weights);
    CUDA keeps its fast kernels. New tensors are not pre-filled with NaN (a debugging aid of
    deterministic mode that cost 7% of a step)."""
    if device.type != "cpu":
        yield
        return
    previous = torch.are_deterministic_algorithms_enabled(), torch.utils.deterministic.fill_uninitialized_memory
    torch.use_deterministic_algorithms(True)
    torch.utils.deterministic.fill_uninitialized_memory = False
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(previous[0])
        torch.utils.deterministic.fill_uninitialized_memory = previous[1]


def _check(model: nn.Module, recipe: Recipe, train_images: int, val_set: data.Dataset | None, name: str) -> None:
    """Refuse a recipe the engine cannot honour, before any work is done."""
    monitors = [rule.monitor for rule in (recipe.plateau, recipe.early_stopping) if rule is not None]
    if monitors and val_set is None:
        raise ValueError(f"{name}: the recipe monitors {monitors[0]} but no validation set was given")
    if recipe.aux_loss_weight and not hasattr(model, "forward_with_aux"):
        raise ValueError(f"{name}: aux_loss_weight = {recipe.aux_loss_weight} but the model has no forward_with_aux")
    if recipe.optimizer not in vocab.OPTIMIZERS:
        raise ValueError(f"{name}: unknown optimizer {recipe.optimizer!r}")
    if recipe.batch_norm == "per_image" and not any(isinstance(m, nn.BatchNorm2d) for m in model.modules()):
        raise ValueError(f"{name}: batch_norm = 'per_image' but the model has no BatchNorm2d")
    check_sizes(recipe, train_images, name)


def check_classes(model: nn.Module, dataset: data.Dataset, recipe: Recipe, accel: Accel, name: str) -> None:
    """Refuse a model whose outputs are not a logit for each class before any step: fewer outputs than the data has
    classes (``data.CLASSES``), not as the loss's IndexError, or probabilities (``_refuse_probabilities``). One
    forward of a batch of the recipe's size (the training set's first images, up to it: a model may take only a
    multiple of some count, as ghost BatchNorm does), normalised, in ``accel``, in eval mode and without gradients
    (no weight or running statistic changes), with every random generator of the device left as it was (a model's
    ``F.dropout`` draws in eval mode too: a resumed run must draw as an uninterrupted one);
    ``errors.MeasurementError`` names the model, and for too few outputs its output's shape and the classes. More
    outputs than classes train as they always did (a 1000-way head on CIFAR-10)."""
    images = _normalize(dataset.images[:recipe.batch_size], recipe).contiguous(memory_format=accel.memory_format)
    training = model.training
    with accelerators.fork_rng(images.device), torch.no_grad(), accel.autocast_on(images.device):
        logits = model.eval()(images)
    model.train(training)
    if not isinstance(logits, torch.Tensor) or logits.dim() != 2 or logits.shape[1] < data.CLASSES:
        shape = tuple(logits.shape) if isinstance(logits, torch.Tensor) else type(logits).__name__
        raise errors.MeasurementError(f"{name}: outputs {shape} for {len(images)} image(s), but the data has "
                                      f"{data.CLASSES} classes: training needs a logit for each, "
                                      f"({len(images)}, {data.CLASSES}) or wider")
    _refuse_probabilities(logits, name)


PROBABILITY_SUM_TOLERANCE = 1e-2
"""How far from 1 a row of probabilities may sum: a softmax rounded to bfloat16 (8 significant bits) sums within
0.4% of 1; logits miss it by far more in some row of a batch."""


def _refuse_probabilities(outputs: torch.Tensor, name: str) -> None:
    """Refuse outputs that are probabilities (a final softmax, as a literal port of Keras' ``Dense(...,
    activation="softmax")`` keeps): every row non-negative and summing to 1. ``F.cross_entropy`` of them trains a
    model whose loss never nears 0, a failure of the port, not of the author's claim: ``errors.MeasurementError``.
    Judged on the outputs, not on a ``Softmax`` module: a forward may call ``torch.softmax``, and module order is
    registration order, not the order of the forward. Log-probabilities (a final ``LogSoftmax``) pass: log-softmax
    leaves them as they are, so the loss is their negative log-likelihood."""
    rows = outputs.detach().float()
    if (rows >= 0).all() and ((rows.sum(1) - 1).abs() <= PROBABILITY_SUM_TOLERANCE).all():
        raise errors.MeasurementError(
            f"{name}: returns probabilities (every row of its outputs for the first {len(rows)} training images is "
            f"non-negative and sums to 1: a softmax), but claimbench trains on logits, as torchvision's models return "
            f"them (F.cross_entropy applies the log-softmax itself): remove the final softmax from the model's builder")


def check_sizes(recipe: Recipe, train_images: int, name: str) -> None:
    """Refuse a recipe that its training set's size cannot feed: checked before any step is timed or trained."""
    if not batch_sizes(recipe, train_images):
        raise ValueError(f"{name}: drop_last with {train_images} training images and batch size "
                         f"{recipe.batch_size} leaves no batch")


def batch_sizes(recipe: Recipe, train_images: int) -> list[int]:
    """The size of each training batch of an epoch: the last one is short, or dropped with ``drop_last``."""
    full, rest = divmod(recipe.images_per_epoch(train_images), recipe.batch_size)
    return [recipe.batch_size] * full + ([rest] if rest and not recipe.drop_last else [])


def _optimizer(model: nn.Module, recipe: Recipe) -> torch.optim.Optimizer:
    """The recipe's optimizer, fused (one kernel for all parameters: 12% faster on the 2-core CPU).

    Adam's ``weight_decay`` is coupled L2 (PyTorch ``Adam``), AdamW's decoupled.
    """
    params = [p for p in model.parameters() if p.requires_grad]
    if recipe.optimizer == "adam":
        return torch.optim.Adam(params, lr=recipe.lr, eps=recipe.eps, weight_decay=recipe.weight_decay, fused=True)
    if recipe.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=recipe.lr, eps=recipe.eps, weight_decay=recipe.weight_decay, fused=True)
    return torch.optim.SGD(params, lr=recipe.lr, momentum=recipe.momentum, nesterov=recipe.nesterov,
                           weight_decay=recipe.weight_decay, fused=True)


def _cosine(optimizer: torch.optim.Optimizer, recipe: Recipe) -> CosineAnnealingLR | None:
    """``schedule = "cosine"``'s scheduler: the learning rate annealed from the recipe's to 0 over its ``epochs``
    (``T_max``), stepped once per epoch after the epoch's optimizer steps (``_Run.record``), as kuangliu/pytorch-cifar's
    main.py steps it; None for another schedule."""
    return CosineAnnealingLR(optimizer, T_max=recipe.epochs) if recipe.schedule == "cosine" else None


def _multistep(optimizer: torch.optim.Optimizer, recipe: Recipe) -> MultiStepLR | None:
    """``schedule = "step"``'s scheduler: the learning rate multiplied by the step table's ``gamma`` after each of its
    ``milestones`` epochs, stepped once per epoch as the cosine is; None for another schedule."""
    if recipe.schedule != "step" or recipe.step is None:
        return None
    return MultiStepLR(optimizer, milestones=list(recipe.step.milestones), gamma=recipe.step.gamma)


_Forward = Callable[[torch.Tensor], Any]
"""What a step or an evaluation calls on the images (``_objective``): the logits, or both heads' under an
auxiliary loss."""


def _objective(model: nn.Module, recipe: Recipe) -> _Forward:
    """The forward the recipe's loss needs: the model's, or its ``forward_with_aux`` where an auxiliary head's loss
    counts (``aux_loss_weight``). It is what ``torch.compile`` compiles, so that an auxiliary head's model is
    compiled too."""
    return model.forward_with_aux if recipe.aux_loss_weight else model


def _logits_and_loss(forward: _Forward, images: torch.Tensor, labels: torch.Tensor, aux_loss_weight: float,
                     ) -> tuple[torch.Tensor, torch.Tensor]:
    """Cross-entropy on the logits, plus ``aux_loss_weight`` times the auxiliary head's where ``forward`` gives
    both (``_objective``)."""
    if not aux_loss_weight:
        logits = forward(images)
        return logits, F.cross_entropy(logits, labels)
    logits, aux = forward(images)
    return logits, F.cross_entropy(logits, labels) + aux_loss_weight * F.cross_entropy(aux, labels)


def _step(
    forward: _Forward, optimizer: torch.optim.Optimizer, train_set: data.Dataset, indices: torch.Tensor,
    recipe: Recipe, generator: torch.Generator, accel: Accel,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One optimizer step on the training images at ``indices``; the batch's labels and loss, on the device."""
    images = _training_batch(train_set, indices, recipe, generator).contiguous(memory_format=accel.memory_format)
    labels = train_set.labels[indices]
    with accel.autocast_on(images.device):
        logits, loss = _logits_and_loss(forward, images, labels, recipe.aux_loss_weight)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return (logits.argmax(1) == labels).sum(), loss.detach()


def evaluate(
    model: nn.Module, dataset: data.Dataset, recipe: Recipe, *, device: torch.device | str, accel: Accel | None = None,
) -> Evaluation:
    """Loss, accuracy and confusion matrix of ``model`` on ``dataset``: eval mode, no augmentation. The loss is
    the training objective (with an auxiliary head's weighted share, as Keras reports a two-output model's
    loss); the accuracy is the main head's. The matrix's rows are the data's classes (``data.CLASSES``, or the
    model's outputs where it has fewer, which ``train`` refuses), its columns those classes and the outputs beyond
    them that the model predicted (``Evaluation``)."""
    device = torch.device(device)
    accel = accel or Accel()
    if not len(dataset):
        raise ValueError("cannot evaluate on an empty dataset")
    model.eval()
    loss_sum = torch.zeros((), device=device)
    counts: torch.Tensor | int = 0
    with torch.inference_mode(), accel.autocast_on(device):
        for start in range(0, len(dataset), recipe.batch_size):
            images = _normalize(dataset.images[start:start + recipe.batch_size].to(device), recipe)
            labels = dataset.labels[start:start + recipe.batch_size].to(device)
            logits, loss = _logits_and_loss(_objective(model, recipe), images.contiguous(
                memory_format=accel.memory_format), labels, recipe.aux_loss_weight)
            outputs = logits.shape[1]
            classes = min(outputs, data.CLASSES)
            loss_sum += loss.float() * len(labels)
            logits = logits.float()
            counts = counts + torch.bincount(labels * outputs + logits.argmax(1), minlength=classes * outputs)
    confusion, beyond = _confusion(torch.as_tensor(counts).view(classes, outputs))
    correct = sum(confusion[i][i] for i in range(classes))
    return Evaluation(loss=loss_sum.item() / len(dataset), accuracy=100 * correct / len(dataset), confusion=confusion,
                      beyond=beyond)


def _confusion(counts: torch.Tensor) -> tuple[list[list[int]], list[int]]:
    """The counts of each (class, output) pair, a row per class, as ``Evaluation`` keeps them: the classes'
    columns, then those of the outputs beyond the classes that were predicted; and those outputs."""
    classes = len(counts)
    beyond = counts[:, classes:].sum(0).nonzero().flatten() + classes
    kept = torch.cat([torch.arange(classes, device=counts.device), beyond])
    return counts[:, kept].tolist(), beyond.tolist()


def _training_batch(
    train_set: data.Dataset, indices: torch.Tensor, recipe: Recipe, generator: torch.Generator,
) -> torch.Tensor:
    """The images at ``indices``, augmented then normalised, in torchvision's order: augmentation acts on
    [0, 1] values (a zero fill is black, jitter scales intensities), and per-image statistics are those of
    the augmented image. Crop and flip are folded into the gather of the uint8 images when the
    normalisation is pointwise, so that it may follow (half to a third of the time)."""
    if transforms.folds_into_gather(recipe.augment) and recipe.normalize in transforms.POINTWISE_NORMALIZATIONS:
        return _normalize(transforms.gather_batch(train_set.images, indices, recipe.augment, generator,
                                                  recipe.options()), recipe)
    unit = transforms.augment(transforms.normalize(train_set.images[indices], "unit"), recipe.augment, generator,
                              recipe.options())
    return transforms.normalize_unit(unit, recipe.normalize, mean=recipe.mean, std=recipe.std)


def _normalize(images: torch.Tensor, recipe: Recipe) -> torch.Tensor:
    """uint8 images normalised as the recipe says."""
    return transforms.normalize(images, recipe.normalize, mean=recipe.mean, std=recipe.std)


_DIVERGED = "the run stopped (lower the learning rate, or check the data and its normalisation)"


DIVERGED_LOSS = 100.0
"""A mean cross-entropy that no working run reaches: a uniform guess over a million classes is 13.8 (ln 1e6)."""


def _check_finite(batch_losses: list[float], train_loss: float, evaluations: dict[str, Evaluation | None],
                  name: str, epoch: int) -> None:
    """Raise ``NonFiniteLoss`` at the first NaN or infinite batch loss of the epoch, or evaluation loss, and where
    the epoch's mean training loss ``train_loss``, or an evaluation's loss, passes ``DIVERGED_LOSS`` (a run that
    diverged with finite losses, at chance accuracy)."""
    for batch, loss in enumerate(batch_losses, start=1):
        if not math.isfinite(loss):
            raise NonFiniteLoss(f"{name}: training loss is {loss} at epoch {epoch}, batch {batch} of "
                                f"{len(batch_losses)}; {_DIVERGED}")
    losses = {"training": train_loss,
              **{split: evaluation.loss for split, evaluation in evaluations.items() if evaluation is not None}}
    for split, loss in losses.items():
        if not math.isfinite(loss) or loss > DIVERGED_LOSS:
            raise NonFiniteLoss(f"{name}: {split} loss is {loss:.4g} at epoch {epoch}"
                                f"{f', over {DIVERGED_LOSS:g}' if math.isfinite(loss) else ''}; {_DIVERGED}")


def duration(seconds: float) -> str:
    """``45s``, ``7m36s`` or ``2h05m``."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds // 60 % 60:02d}m"


def _epoch_line(name: str, record: Epoch, epochs: int, held_out: str, seconds: list[float],
                place: RunPlace | None) -> str:
    """``model seed 1 (2 of 3) epoch 3/40  loss 1.234  train acc 45.6%  val acc 44.1%  12.3 s/epoch  ETA 7m36s``: the
    model's name first and short, the seed where the caller placed the run among its claim's several (numbered from 0,
    as the run files name it, then its place among them), the held-out set as
    the recipe names it, the ETA at this session's pace (``_eta``)."""
    shown = name if len(name) <= 28 else name[:27] + "…"
    held = record.val or record.test
    seed = f" seed {place.seed} ({place.seed + 1} of {place.seeds})" if place is not None and place.seeds > 1 else ""
    parts = [f"{shown}{seed} epoch {record.epoch}/{epochs}", f"loss {record.train_loss:.4g}",
             f"train acc {record.train_running_acc:.1f}%"]
    if held is not None:
        parts.append(f"{held_out} acc {held.accuracy:.1f}%")
    parts += [f"{record.seconds:.3g} s/epoch", _eta(sum(seconds) / len(seconds), epochs - record.epoch, place)]
    return "  ".join(parts)


def _eta(pace: float, epochs_left: int, place: RunPlace | None) -> str:
    """``ETA 7m36s`` for this run's ``epochs_left`` at ``pace`` seconds an epoch; where runs follow it, the claim's
    rest, estimated at this run's pace: ``ETA 21m10s (this seed 7m36s, 2 more seeds at its pace)``."""
    this_run = duration(pace * epochs_left)
    if place is None or place.runs_after == 0:
        return f"ETA {this_run}"
    more = f"{place.runs_after} more seed{'s' if place.runs_after > 1 else ''}"
    return (f"ETA {duration(pace * (epochs_left + place.epochs_after))} (this seed {this_run}, {more} at its "
            "pace)")


def fingerprint(name: str, recipe: Recipe, seed: int, device: torch.device, train_size: int, accel: Accel
                ) -> dict[str, Any]:
    """What a checkpoint must match to be resumed: the recipe as a run's key reads it (``Recipe.keyed``)."""
    return {"model": name, "recipe": recipe.keyed(), "seed": seed, "device": device.type,
            "train_size": train_size, "precision": accel.precision}


class _ErrorKeepingWriter:
    """A binary file that ``torch.save`` streams to, keeping the ``OSError`` a write met: torch's zip writer turns it
    into a ``RuntimeError`` of its own (``[enforce fail at inline_container.cc...]``) that names no file."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.error: OSError | None = None

    def write(self, data: bytes | memoryview) -> int:
        try:
            return self.file.write(data)
        except OSError as error:
            self.error = error
            raise

    def flush(self) -> None:
        self.file.flush()


def _save_streamed(state: Mapping[str, Any], path: Path) -> None:
    """``torch.save`` ``state`` to ``path``, each record written as it is serialised; a failed write is its
    ``OSError``."""
    with path.open("wb") as file:
        streamed = _ErrorKeepingWriter(file)
        try:
            torch.save(state, streamed)
        except RuntimeError:
            if streamed.error is None:
                raise
            raise streamed.error from None


def _load(checkpoint: Path, *, mmap: bool = False) -> dict[str, Any]:
    """A checkpoint's contents; ``CorruptCheckpoint`` when they cannot be loaded, or it is no regular file (a FIFO,
    never waited on; a symlink, never followed). A file this process cannot open or read (another user's, an I/O
    error, no descriptor left) says nothing of its content: an ``errors.MeasurementError`` naming it, and it is
    left as it is. With ``mmap`` its tensors are mapped, not read."""
    try:  # ours to open: torch.load raises OSError for what a file holds too (EINVAL for a zip cut short)
        with atomic.open_regular(checkpoint) as file:  # never a FIFO's wait, nor a symlink's target
            file.read(1)
    except FileNotFoundError:
        pass  # gone since it was found: torch.load says so below
    except atomic.NotRegularFile as error:
        raise CorruptCheckpoint(checkpoint, error) from None
    except OSError as error:
        raise errors.MeasurementError(f"{checkpoint}: cannot read the checkpoint ({error.strerror or error}); left "
                                      "as it is: make it readable, or delete it to train from epoch 1") from None
    try:
        state = torch.load(checkpoint, map_location="cpu", weights_only=True, mmap=mmap)
        if not isinstance(state, dict) or "fingerprint" not in state:
            raise KeyError("no fingerprint")
    except Exception as error:  # torch.load fails in many ways on what a file holds (zip, pickle, EOF)
        raise CorruptCheckpoint(checkpoint, error, unloadable=True) from error
    return state


def tensor_bytes(tensor: torch.Tensor) -> bytes:
    """A tensor's values as raw bytes, in order, whatever its device or memory layout: what a digest hashes."""
    return tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()


def _state_digest(state: Mapping[str, Any]) -> str:
    """The SHA-256 of a checkpoint's contents but its own ``"sha256"``: every key and value in order, a tensor by
    its dtype, shape and bytes (not its device or memory layout), anything else by its type and ``repr``."""
    digest = hashlib.sha256()

    def add(value: Any) -> None:
        if isinstance(value, torch.Tensor):
            digest.update(f"tensor {value.dtype} {tuple(value.shape)}:".encode())
            digest.update(tensor_bytes(value))
        elif isinstance(value, Mapping):
            digest.update(f"dict {len(value)}:".encode())
            for key, item in value.items():
                add(key)
                add(item)
        elif isinstance(value, (list, tuple)):
            digest.update(f"{type(value).__name__} {len(value)}:".encode())
            for item in value:
                add(item)
        else:
            digest.update(f"{type(value).__name__} {value!r};".encode())

    add({key: value for key, value in state.items() if key != "sha256"})
    return digest.hexdigest()


def _verify(checkpoint: Path, state: Mapping[str, Any]) -> None:
    """``CorruptCheckpoint`` unless the state is what was saved: its ``"sha256"`` is its ``_state_digest``."""
    if state.get("sha256") != _state_digest(state):
        what = "no digest" if "sha256" not in state else "its content does not match its sha256"
        raise CorruptCheckpoint(checkpoint, ValueError(what))


def _read_checkpoint(checkpoint: Path, expected: dict[str, Any]) -> dict[str, Any]:
    """The checkpoint's state; ``CorruptCheckpoint`` when its content cannot be loaded or is not what was saved (a
    flipped bit), ``ForeignCheckpoint`` when of another run; a file this process cannot read is ``_load``'s error."""
    state = _load(checkpoint)
    found = state["fingerprint"]
    if found != expected:
        differ = [key for key in expected if found.get(key) != expected[key]]
        raise ForeignCheckpoint(checkpoint, f"checkpoint of another run ({found.get('model')}, seed {found.get('seed')}"
                                            f"; its {', '.join(differ)} differ{'s' * (len(differ) == 1)})")
    _verify(checkpoint, state)
    return state


@dataclass(frozen=True)
class Saved:
    """What a checkpoint says of its run: the fingerprint a resumed run must match, the epochs it finished, the
    note its caller saved with it (``train(note=...)``; None without one), and the wall seconds its sessions spent
    training it up to the save (``_Run.wall_seconds``; 0 in a checkpoint written before they were kept, which
    resumes rather than losing its epochs)."""

    fingerprint: dict[str, Any]
    epochs: int
    note: dict[str, Any] | None
    wall_seconds: float


def saved(checkpoint: Path) -> Saved:
    """What ``checkpoint`` says of its run, its tensors mapped rather than read into memory; ``CorruptCheckpoint``
    when its content cannot be loaded or is not what was saved; a file this process cannot read is ``_load``'s
    error."""
    state = _load(checkpoint, mmap=True)
    _verify(checkpoint, state)
    try:
        return Saved(fingerprint=dict(state["fingerprint"]), epochs=len(state["history"]["epochs"]),
                     note=state["note"], wall_seconds=float(state.get("wall_seconds", 0.0)))
    except (KeyError, TypeError, ValueError) as error:
        raise CorruptCheckpoint(checkpoint, error) from error


# ----------------------------------------------------------------------------- the engine


@dataclass
class _Run:
    """What a checkpoint holds and a resumed run restores: weights, optimizer, callbacks, history, random state, and
    the wall seconds of the sessions before this one (a killed session's, up to its last checkpoint)."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    plateau: _ReduceOnPlateau | None
    cosine: CosineAnnealingLR | None
    multistep: MultiStepLR | None
    stopping: _EarlyStopping | None
    generator: torch.Generator
    device: torch.device
    history: History = field(default_factory=History)
    earlier_seconds: float = 0.0
    began: float = field(default_factory=time.perf_counter)
    """When this session's part of the run began (``time.perf_counter``)."""

    @property
    def wall_seconds(self) -> float:
        """The run's wall seconds so far: the earlier sessions' and this one's."""
        return self.earlier_seconds + time.perf_counter() - self.began

    @classmethod
    def start(cls, model: nn.Module, recipe: Recipe, seed: int, device: torch.device) -> _Run:
        """A fresh run: the recipe's optimizer and callbacks, and the batch generator seeded with ``seed``."""
        optimizer = _optimizer(model, recipe)
        return cls(model, optimizer,
                   _ReduceOnPlateau(recipe.plateau) if recipe.schedule == "plateau" and recipe.plateau else None,
                   _cosine(optimizer, recipe), _multistep(optimizer, recipe),
                   _EarlyStopping(recipe.early_stopping) if recipe.early_stopping else None,
                   torch.Generator(device).manual_seed(seed), device)

    @property
    def stopped(self) -> bool:
        """Early stopping ended the run."""
        return self.stopping is not None and self.stopping.stopped

    def record(self, epoch: Epoch) -> None:
        """Log a finished epoch and let the callbacks act on it."""
        self.history.epochs.append(epoch)
        if self.plateau is not None:
            self.plateau.step(epoch, self.optimizer)
        if self.cosine is not None:
            self.cosine.step()
        if self.multistep is not None:
            self.multistep.step()
        if self.stopping is not None:
            self.stopping.step(epoch, self.model)

    def restore_best(self) -> None:
        """Leave the best epoch's weights in the model when early stopping kept them."""
        if self.stopping is not None and self.stopping.best_weights is not None:
            self.model.load_state_dict(self.stopping.best_weights)
            self.history.restored_epoch = self.stopping.best_epoch

    def state_dict(self) -> dict[str, Any]:
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "plateau": self.plateau.state_dict() if self.plateau is not None else None,
            "cosine": self.cosine.state_dict() if self.cosine is not None else None,
            "multistep": self.multistep.state_dict() if self.multistep is not None else None,
            "stopping": self.stopping.state_dict() if self.stopping is not None else None,
            "history": self.history.to_dict(),
            "generator": self.generator.get_state(),
            "rng": torch.get_rng_state(),
            "device_rng": accelerators.rng_state(self.device),
            "wall_seconds": self.wall_seconds,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.plateau is not None:
            self.plateau.load_state_dict(state["plateau"])
        if self.cosine is not None:
            self.cosine.load_state_dict(state["cosine"])
        if self.multistep is not None:
            self.multistep.load_state_dict(state["multistep"])
        if self.stopping is not None:
            self.stopping.load_state_dict(state["stopping"], self.device)
        self.history = History.from_dict(state["history"])
        self.generator.set_state(state["generator"])
        torch.set_rng_state(state["rng"])
        accelerators.set_rng_state(self.device, state["device_rng"])
        self.earlier_seconds = float(state.get("wall_seconds", 0.0))  # none in an older checkpoint: saved()

    def save(self, checkpoint: Path, expected: dict[str, Any], note: Mapping[str, Any] | None) -> None:
        """Write the state to ``checkpoint`` atomically, with the fingerprint a resumed run must match, the
        caller's note, and the digest of it all (``_state_digest``) that a resumed run checks. It is streamed to the
        file (``_save_streamed``: never whole in memory), and a failed write (a full disk) is an ``OSError`` naming
        ``checkpoint``, not the ``RuntimeError`` of torch's zip writer."""
        state = {"fingerprint": expected, "note": dict(note) if note is not None else None, **self.state_dict()}
        state["sha256"] = _state_digest(state)
        atomic.replace_atomically(checkpoint, functools.partial(_save_streamed, state))

    def resume(self, checkpoint: Path, expected: dict[str, Any], epochs: int) -> None:
        """Continue from ``checkpoint`` of a run of ``epochs``; ``CorruptCheckpoint`` when it cannot be (its content
        does not load, or is not what was saved), ``ForeignCheckpoint`` when of another run."""
        state = _read_checkpoint(checkpoint, expected)
        try:
            self.load_state_dict(state)
        except (KeyError, TypeError, ValueError, RuntimeError, AttributeError) as error:
            raise CorruptCheckpoint(checkpoint, error) from error
        if len(self.history.epochs) > epochs:
            raise CorruptCheckpoint(checkpoint, ValueError(f"{len(self.history.epochs)} epochs logged of {epochs}"))


def _train_pass(
    forward: _Forward, run: _Run, train_set: data.Dataset, recipe: Recipe, sizes: list[int], accel: Accel,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One epoch's training: a fresh permutation (or draws with replacement), cut to whole batches under
    drop_last, each batch gathered, augmented and normalised on the device. Per-batch correct counts and
    losses, left on the device: nothing is read back inside the pass."""
    images_per_epoch = sum(sizes)
    correct = torch.zeros(len(sizes), device=run.device, dtype=torch.int64)
    losses = torch.zeros(len(sizes), device=run.device)
    if recipe.steps_per_epoch:
        order = torch.randint(len(train_set), (images_per_epoch,), generator=run.generator, device=run.device)
    else:
        order = torch.randperm(len(train_set), generator=run.generator, device=run.device)[:images_per_epoch]
    run.model.train()
    for step, indices in enumerate(order.split(recipe.batch_size)):
        correct[step], losses[step] = _step(forward, run.optimizer, train_set, indices, recipe, run.generator,
                                            accel)
    return correct, losses


def _epoch(number: int, run: _Run, seconds: float, correct: torch.Tensor, losses: torch.Tensor, sizes: list[int],
           held_out: dict[str, Evaluation | None], name: str) -> Epoch:
    """The epoch's record, read back from the device once; ``NonFiniteLoss`` when a loss is not finite or diverged."""
    batch_losses = losses.tolist()
    images = sum(sizes)
    train_loss = sum(value * size for value, size in zip(batch_losses, sizes)) / images
    _check_finite(batch_losses, train_loss, {"validation": held_out["val"], "test": held_out["test"]}, name, number)
    return Epoch(epoch=number, lr=run.optimizer.param_groups[0]["lr"], seconds=seconds, train_loss=train_loss,
                 train_running_acc=100 * correct.sum().item() / images, **held_out)


def train(
    model: nn.Module,
    train_set: data.Dataset,
    test_set: data.Dataset | None,
    recipe: Recipe,
    *,
    device: torch.device | str,
    seed: int,
    val_set: data.Dataset | None = None,
    checkpoint: Path | None = None,
    on_epoch: Callable[[str], None] | None = None,
    place: RunPlace | None = None,
    threads: int | None = None,
    evaluate_train: bool = False,
    accel: Accel | None = None,
    name: str | None = None,
    note: Mapping[str, Any] | None = None,
) -> History:
    """Train ``model`` in place with ``recipe`` and return its history.

    After every epoch ``val_set`` and ``test_set`` (either may be None; pass the same object for a
    recipe that validates on the test set) are evaluated. With ``checkpoint``, state is saved there
    after every epoch, with ``note`` (plain data; ``saved`` reads it back), and a run found there is resumed
    (``ForeignCheckpoint`` when it is of another run). Early stopping with ``restore_best`` leaves
    the best epoch's weights in ``model``; ``evaluate_train`` then evaluates them on ``train_set``.
    ``on_epoch`` receives one line per epoch (loss, accuracies, s/epoch, ETA), naming the seed and counting the runs
    after this one in its ETA where ``place`` says where the run stands among its claim's; ``threads`` sets the
    CPU thread count for the run (None: as the process is set). A non-finite or diverged loss raises
    ``NonFiniteLoss``.
    ``seed`` seeds the batches, the augmentation and dropout, and the caller's random state is restored
    afterwards; the weights' initialisation is the caller's (seed before building the model). ``accel``
    defaults to fp32 in channels_last. The model is returned in eval mode, ready to evaluate.
    """
    device = torch.device(device)
    accel = accel or Accel()
    name = name or type(model).__name__
    _check(model, recipe, len(train_set), val_set, name)

    # Set-up: seeds, the data and the model on the device, the run's state, resumed if there is a checkpoint.
    if device.type == "cpu":
        _keep_freed_memory()
    validates_on_test = test_set is not None and test_set is val_set
    held_out = "val" if val_set is not None and not validates_on_test else "test"
    train_set = train_set.to(device)
    val_set = val_set.to(device) if val_set is not None else None
    test_set = val_set if validates_on_test else test_set.to(device) if test_set is not None else None
    if recipe.batch_norm == "per_image":
        batchnorm.per_image_batch_norm(model)
    model.to(device=device, memory_format=accel.memory_format)
    forward = torch.compile(_objective(model, recipe)) if accel.compile else _objective(model, recipe)
    sizes = batch_sizes(recipe, len(train_set))
    timer = Timer(device)
    paces: list[float] = []

    with (accelerators.current(device), accelerators.fork_rng(device), _deterministic(device),
          _cpu_threads(device, threads)):
        torch.manual_seed(seed)  # dropout draws from the global generator, which is the caller's again afterwards
        run = _Run.start(model, recipe, seed, device)
        expected = fingerprint(name, recipe, seed, device, len(train_set), accel)
        if checkpoint is not None and checkpoint.exists():
            run.resume(checkpoint, expected, recipe.epochs)
        check_classes(model, train_set, recipe, accel, name)  # a lazy layer is built here, as by the first step
        for number in range(len(run.history.epochs) + 1, recipe.epochs + 1):
            if run.stopped:
                break
            timer.start()  # an epoch's time covers training and validation, as Keras' fit() times it
            correct, losses = _train_pass(forward, run, train_set, recipe, sizes, accel)
            val = evaluate(model, val_set, recipe, device=device, accel=accel) if val_set is not None else None
            seconds = timer.stop()
            if validates_on_test:
                test = val
            else:
                test = evaluate(model, test_set, recipe, device=device, accel=accel) if test_set is not None else None
            record = _epoch(number, run, seconds, correct, losses, sizes, {"val": val, "test": test}, name)
            run.record(record)
            paces.append(seconds)
            if on_epoch is not None:
                on_epoch(_epoch_line(name, record, recipe.epochs, held_out, paces, place))
            if checkpoint is not None:
                run.save(checkpoint, expected, note)
        run.restore_best()
        if evaluate_train:
            run.history.train_final = evaluate(model, train_set, recipe, device=device, accel=accel)
    model.eval()
    return run.history
