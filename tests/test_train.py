"""Tests of the training engine (claimbench.train) and the statistics read from its history (claimbench.metrics)."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import io
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from claimbench import accelerators, batchnorm, data, errors, metrics, registry, train, transforms, vocab
from claimbench.ledger import EarlyStopping, Plateau, Recipe, Step
from claimbench.history import Epoch, Evaluation, History
from claimbench.runs import store

REPO = Path(__file__).resolve().parent.parent
ADAM = Recipe(optimizer="adam", lr=1e-3, batch_size=32, epochs=2, schedule="constant", validation="none",
              normalize="unit")


def synthetic(n: int, seed: int, shape: tuple[int, int, int] = (3, 32, 32)) -> data.Dataset:
    """Random uint8 images whose first channel's brightness encodes the label (learnable, tiny)."""
    generator = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 10, (n,), generator=generator)
    images = torch.randint(0, 256, (n, *shape), dtype=torch.uint8, generator=generator)
    images[:, 0] = (labels * 25).to(torch.uint8).view(n, 1, 1)
    return data.Dataset(images=images, labels=labels, verified=True, source=Path("synthetic"))


def small_cnn(in_channels: int = 1) -> nn.Module:
    """Two conv-BN-ReLU-pool stages and a linear head: about 4 M MACs on a 28×28 image."""
    return nn.Sequential(
        nn.Conv2d(in_channels, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 10),
    )


# ----------------------------------------------------------------------------- real training


@pytest.mark.train_cpu
def test_small_cnn_learns_fashion_mnist(device: str) -> None:
    """Two epochs of Adam on the real Fashion-MNIST (the Debian package) reach what a correct loop reaches."""
    try:
        train_set, test_set = data.load("fashion_mnist", "train"), data.load("fashion_mnist", "test")
    except data.DataMissing as missing:
        pytest.skip(str(missing))
    recipe = dataclasses.replace(ADAM, batch_size=128, validation="test")
    torch.manual_seed(0)
    history = train.train(small_cnn(), train_set, test_set, recipe, device=device, seed=0, val_set=test_set)
    accuracies = [epoch.test.accuracy for epoch in history.epochs]
    assert accuracies[-1] >= 87.0, f"test accuracy per epoch {accuracies}"
    assert history.epochs[-1].train_loss < history.epochs[0].train_loss


# ----------------------------------------------------------------------------- resume after a kill

RESUME_RECIPE = Recipe(
    optimizer="adam", lr=1e-3, batch_size=32, epochs=6, schedule="plateau", validation="holdout", val_size=64,
    normalize="unit", augment=("crop", "flip"),
    plateau=Plateau(monitor="val_loss", factor=0.5, patience=1, min_lr=1e-5),
    early_stopping=EarlyStopping(monitor="val_loss", patience=4, restore_best=True),
)


def resume_run(checkpoint: Path | None, device: str = "cpu") -> tuple[nn.Module, History]:
    """Model 3 (BatchNorm, dropout) on synthetic data with augmentation, a plateau schedule and early stopping."""
    train_set, val_set = data.split_holdout(synthetic(384, seed=1), RESUME_RECIPE.val_size,
                                            torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    model = registry.get_model("iot_ml_hw2.model3")
    history = train.train(model, train_set, val_set, RESUME_RECIPE, device=device, seed=0, val_set=val_set,
                          checkpoint=checkpoint)
    return model, history


IN_A_CHILD = """
import os, pathlib, signal, sys
import torch
import models.iot_ml_hw2, test_train
from claimbench import train

checkpoint, device, killed, out = sys.argv[1], sys.argv[2], sys.argv[3] == "killed", sys.argv[4]
torch.use_deterministic_algorithms(True)  # train() sets it on the CPU, and leaves CUDA its fast kernels
save = train._Run.save


def save_then_die(run, *args):
    save(run, *args)
    os.kill(os.getpid(), signal.SIGKILL)


if killed:
    train._Run.save = save_then_die
model, history = test_train.resume_run(pathlib.Path(checkpoint) if checkpoint else None, device)
torch.save({"weights": model.state_dict(), "history": history.to_dict()}, out)
"""
"""``resume_run`` in a child with deterministic algorithms on every device, which SIGKILLs itself once its first
checkpoint is written when told ``killed``, and else saves the weights and history it ends with; argv: checkpoint
(``""``: none), device, ``killed`` or ``whole``, the file it saves to."""


def resume_run_in_a_child(checkpoint: Path | None, device: str, killed: bool, out: Path) -> int:
    """Run ``IN_A_CHILD``, on as many CPU threads as this process (the CPU kernels' reductions split their sums by
    thread) and with cuBLAS's deterministic workspace (what deterministic algorithms need on CUDA), so that every
    run of a test computes alike; its exit status."""
    child = subprocess.run(
        [sys.executable, "-c", IN_A_CHILD, str(checkpoint or ""), device, "killed" if killed else "whole", str(out)],
        timeout=120, cwd=REPO, env={**os.environ, "PYTHONPATH": f"{REPO / 'tests'}{os.pathsep}{REPO}",
                                    "OMP_NUM_THREADS": str(torch.get_num_threads()),
                                    "CUBLAS_WORKSPACE_CONFIG": ":4096:8"},
    )
    return child.returncode


@pytest.mark.slow
def test_resumed_run_ends_with_the_uninterrupted_weights(tmp_path: Path, device: str) -> None:
    """Kill a training process after its first checkpoint; the resumed run keeps the epochs it was killed after
    and ends with the epoch records and weights of one never interrupted, exactly: the checkpoint holds every
    generator the later epochs draw from (the CPU's, the batches', the GPU's for dropout). The three runs use
    deterministic algorithms, which ``train`` sets on the CPU and not on CUDA (its fast kernels do not promise equal
    sums): on CUDA the test sets them, as the engine's resume is checked there, not cuDNN's choice of kernels."""
    checkpoint = tmp_path / "run.ckpt"
    status = resume_run_in_a_child(checkpoint, device, True, tmp_path / "unused")
    assert status == -signal.SIGKILL, (
        f"the training process ended with exit status {status} instead of its SIGKILL after a checkpoint")
    killed = History.from_dict(torch.load(checkpoint, weights_only=True)["history"])
    done = len(killed.epochs)
    assert done == 1 < RESUME_RECIPE.epochs, f"the child was killed after {done} epochs"

    ended: dict[str, dict[str, Any]] = {}
    for name, resumed_from in (("resumed", checkpoint), ("uninterrupted", None)):
        assert resume_run_in_a_child(resumed_from, device, False, tmp_path / name) == 0, f"the {name} run failed"
        ended[name] = torch.load(tmp_path / name, weights_only=True)
    resumed, uninterrupted = (History.from_dict(ended[name]["history"]) for name in ("resumed", "uninterrupted"))
    assert resumed.epochs[:done] == killed.epochs and len(resumed.epochs) > done

    def untimed(history: History) -> list[Epoch]:
        return [dataclasses.replace(e, seconds=0.0) for e in history.epochs]

    assert untimed(resumed) == untimed(uninterrupted)
    assert uninterrupted.restored_epoch is not None, "the recipe's early stopping restores the best epoch"
    assert resumed.restored_epoch == uninterrupted.restored_epoch
    weights = ended["uninterrupted"]["weights"]
    assert weights.keys() == ended["resumed"]["weights"].keys()
    for name, tensor in weights.items():
        assert torch.equal(tensor, ended["resumed"]["weights"][name]), f"{name} differs after resuming"


def test_checkpoint_of_another_run_is_refused(tmp_path: Path, device: str) -> None:
    checkpoint = tmp_path / "run.ckpt"
    recipe = dataclasses.replace(ADAM, epochs=1)
    train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, recipe, device=device, seed=0,
                checkpoint=checkpoint)
    with pytest.raises(ValueError, match=r"checkpoint of another run .*seed 0.*delete it"):
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, recipe, device=device, seed=1,
                    checkpoint=checkpoint)


def test_checkpoint_in_other_numerics_is_refused_naming_what_differs(tmp_path: Path) -> None:
    checkpoint = tmp_path / "run.ckpt"
    recipe = dataclasses.replace(ADAM, epochs=1)
    train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, recipe, device="cpu", seed=0,
                checkpoint=checkpoint)
    with pytest.raises(ValueError, match=r"checkpoint of another run \(Sequential, seed 0; its precision differs\)"):
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, recipe, device="cpu", seed=0,
                    checkpoint=checkpoint, accel=train.Accel(autocast=torch.bfloat16))


def test_checkpoint_says_whose_run_it_holds_and_the_callers_note(tmp_path: Path) -> None:
    checkpoint = tmp_path / "run.ckpt"
    recipe = dataclasses.replace(ADAM, epochs=1)
    train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, recipe, device="cpu", seed=0,
                checkpoint=checkpoint, name="cnn", note={"began": "in a test"})
    saved = train.saved(checkpoint)
    assert saved.epochs == 1 and saved.note == {"began": "in a test"}
    assert saved.fingerprint == train.fingerprint("cnn", recipe, 0, torch.device("cpu"), 64, train.Accel())


def narrow_cnn(in_channels: int, outputs: int) -> nn.Module:
    """``small_cnn`` with ``outputs`` logits instead of one per class."""
    model = small_cnn(in_channels)
    model[-1] = nn.Linear(64 * 7 * 7, outputs)
    return model


def test_a_model_with_fewer_outputs_than_classes_is_refused_before_any_step(tmp_path: Path) -> None:
    """One line naming the model, its outputs and the classes, not the loss's IndexError; a wider head trains."""
    dataset, recipe, lines = synthetic(64, seed=0, shape=(3, 28, 28)), dataclasses.replace(ADAM, epochs=1), []
    batch = recipe.batch_size
    message = (rf"^narrow: outputs \({batch}, 4\) for {batch} image\(s\), but the data has 10 classes: training needs "
               rf"a logit for each, \({batch}, 10\) or wider$")
    with pytest.raises(errors.MeasurementError, match=message):
        train.train(narrow_cnn(3, 4), dataset, None, recipe, device="cpu", seed=0, name="narrow",
                    checkpoint=tmp_path / "run.ckpt", on_epoch=lines.append)
    assert not lines and not (tmp_path / "run.ckpt").exists()
    with pytest.raises(errors.MeasurementError, match=message):
        train.step_costs([(narrow_cnn(3, 4), train.Accel())], dataset, recipe, device="cpu", threads=1, name="narrow")
    model = narrow_cnn(3, 12)
    assert len(train.train(model, dataset, None, recipe, device="cpu", seed=0).epochs) == 1
    assert not model.training


class SoftmaxInForward(nn.Module):
    """``small_cnn`` whose forward ends in ``torch.softmax``: probabilities from no ``Softmax`` module."""

    def __init__(self) -> None:
        super().__init__()
        self.body = small_cnn(3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.body(x), dim=1)


def cnn_ending_in(last: nn.Module) -> nn.Module:
    """``small_cnn`` on three channels with ``last`` after its linear head, as a Keras port's activation."""
    torch.manual_seed(0)
    return nn.Sequential(*small_cnn(3), last)


@pytest.mark.parametrize("model", [lambda: cnn_ending_in(nn.Softmax(dim=1)), SoftmaxInForward],
                         ids=["module", "functional"])
def test_a_model_that_returns_probabilities_is_refused_before_any_step(model: Callable[[], nn.Module],
                                                                       tmp_path: Path) -> None:
    """A Keras port's ``Dense(10, activation="softmax")`` kept as a final softmax feeds probabilities to
    ``F.cross_entropy``, whose loss then never falls below ~1.46: one line saying so and what to change, an
    ``errors.MeasurementError`` (the ``error`` verdict, never a refuted claim), before a step is trained or timed
    (timed in bfloat16 here, whose rounded probabilities sum to 1 only within 0.4%)."""
    dataset, recipe, lines = synthetic(64, seed=0, shape=(3, 28, 28)), dataclasses.replace(ADAM, epochs=1), []
    message = (r"^softmaxed: returns probabilities \(every row of its outputs for the first 32 training images is "
               r"non-negative and sums to 1: a softmax\), but claimbench trains on logits, as torchvision's models "
               r"return them \(F\.cross_entropy applies the log-softmax itself\): remove the final softmax from the "
               r"model's builder$")
    with pytest.raises(errors.MeasurementError, match=message):
        train.train(model(), dataset, None, recipe, device="cpu", seed=0, name="softmaxed",
                    checkpoint=tmp_path / "run.ckpt", on_epoch=lines.append)
    assert not lines and not (tmp_path / "run.ckpt").exists()
    with pytest.raises(errors.MeasurementError, match=message):
        train.step_costs([(model(), train.Accel(autocast=torch.bfloat16))], dataset, recipe, device="cpu", threads=1,
                         name="softmaxed")


def test_a_model_that_returns_log_probabilities_trains_on_their_negative_log_likelihood() -> None:
    """A final ``LogSoftmax`` (PyTorch's MNIST example) is no softmax to refuse: log-softmax leaves log-probabilities
    as they are, so ``F.cross_entropy`` of them is their negative log-likelihood, the loss the author's ``nll_loss``
    reports. It trains, and its evaluation loss is ``F.nll_loss`` of its outputs."""
    dataset, recipe = synthetic(64, seed=0, shape=(3, 28, 28)), dataclasses.replace(ADAM, epochs=1)
    model = cnn_ending_in(nn.LogSoftmax(dim=1))
    assert len(train.train(model, dataset, None, recipe, device="cpu", seed=0).epochs) == 1
    with torch.no_grad():
        nll = F.nll_loss(model(transforms.normalize(dataset.images, "unit")), dataset.labels)
    assert train.evaluate(model, dataset, recipe, device="cpu").loss == pytest.approx(nll.item(), rel=1e-5)


class GhostNorm(nn.Module):
    """Normalises each ghost batch of 4 images apart (ghost BatchNorm): the batch must be a multiple of 4."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ghosts = x.view(len(x) // 4, 4, -1)
        centred = ghosts - ghosts.mean(1, keepdim=True)
        return (centred / (centred.square().mean(1, keepdim=True) + 1e-5).sqrt()).view_as(x)


def test_a_model_that_needs_a_multiple_of_its_ghost_batch_is_checked_at_the_batch_size() -> None:
    """The class check forwards a batch of the recipe's size, so a model that only takes a multiple of 4 images at
    once is timed and trains at batch size 16, as it did before there was a check."""
    def ghost_mlp() -> nn.Module:
        return nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, 32), GhostNorm(), nn.ReLU(), nn.Linear(32, 10))

    dataset, recipe = synthetic(64, seed=0, shape=(3, 28, 28)), dataclasses.replace(ADAM, batch_size=16, epochs=1)
    assert train.step_costs([(ghost_mlp(), train.Accel())], dataset, recipe, device="cpu", threads=1, name="ghost")
    assert len(train.train(ghost_mlp(), dataset, dataset, recipe, device="cpu", seed=0, name="ghost").epochs) == 1


class AlwaysDropout(nn.Module):
    """``F.dropout(x, 0.5)``: its ``training`` defaults to True, so it draws from the global generator in eval mode
    too."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(x, 0.5)


def test_the_class_check_leaves_the_random_state_so_a_resumed_run_ends_as_an_uninterrupted_one(
        tmp_path: Path) -> None:
    """The check's forward of a model that draws random numbers in eval mode changes no generator: an uninterrupted
    run and one stopped after epoch 1 and resumed (the check forwarding again, after the saved state is restored)
    end with equal weights."""
    dataset, checkpoint = synthetic(64, seed=0, shape=(3, 28, 28)), tmp_path / "run.ckpt"

    def dropping_cnn() -> nn.Module:
        torch.manual_seed(0)
        model = small_cnn(3)
        model.insert(len(model) - 1, AlwaysDropout())
        return model

    def stop_at_epoch_2(line: str) -> None:
        if " epoch 2/" in line:
            raise InterruptedError(line)

    model = dropping_cnn()
    before = torch.get_rng_state()
    train.check_classes(model, dataset, ADAM, train.Accel(), "dropping")
    assert torch.equal(torch.get_rng_state(), before)
    with pytest.raises(InterruptedError):
        train.train(dropping_cnn(), dataset, None, ADAM, device="cpu", seed=0, checkpoint=checkpoint,
                    on_epoch=stop_at_epoch_2)
    resumed, uninterrupted = dropping_cnn(), dropping_cnn()
    train.train(resumed, dataset, None, ADAM, device="cpu", seed=0, checkpoint=checkpoint)
    train.train(uninterrupted, dataset, None, ADAM, device="cpu", seed=0)
    for (name, tensor), other in zip(uninterrupted.state_dict().items(), resumed.state_dict().values()):
        assert torch.equal(tensor, other), f"{name} differs after resuming"


def _cosine_rates(recipe: Recipe) -> list[float]:
    """kuangliu/pytorch-cifar's ``CosineAnnealingLR`` stepped per epoch: epoch e trains at lr (1 + cos(pi e /
    epochs)) / 2."""
    return [recipe.lr * (1 + math.cos(math.pi * e / recipe.epochs)) / 2 for e in range(recipe.epochs)]


def _step_rates(recipe: Recipe) -> list[float]:
    """``MultiStepLR`` stepped per epoch: epoch e (from 0) trains at lr times gamma to the number of milestones at or
    below e."""
    assert recipe.step is not None
    return [recipe.lr * recipe.step.gamma ** sum(m <= e for m in recipe.step.milestones) for e in range(recipe.epochs)]


@pytest.mark.parametrize(("schedule", "rates"), [
    (dict(epochs=3, schedule="cosine", weight_decay=5e-4), _cosine_rates),
    (dict(epochs=4, schedule="step", step=Step(milestones=(1, 3), gamma=0.5)), _step_rates),
], ids=["cosine", "step"])
def test_a_schedule_sets_each_epochs_rate_and_resumes_where_it_stopped(
        tmp_path: Path, schedule: dict[str, Any], rates: Callable[[Recipe], list[float]]) -> None:
    """``schedule = "cosine"`` (kuangliu/pytorch-cifar's recipe: SGD, cosine annealing over the epochs) and
    ``"step"`` (``MultiStepLR``), each stepped after an epoch's steps, train each epoch at their rate, and a run
    stopped after epoch 1 and resumed from its checkpoint trains its later epochs (past both of step's milestones)
    at the same rates and ends with the uninterrupted run's weights."""
    dataset, checkpoint = synthetic(64, seed=0, shape=(3, 28, 28)), tmp_path / "run.ckpt"
    recipe = dataclasses.replace(ADAM, optimizer="sgd", lr=0.1, momentum=0.9, **schedule)

    def cnn() -> nn.Module:
        torch.manual_seed(0)
        return small_cnn(3)

    def stop_at_epoch_2(line: str) -> None:
        if " epoch 2/" in line:
            raise InterruptedError(line)

    with pytest.raises(InterruptedError):
        train.train(cnn(), dataset, None, recipe, device="cpu", seed=0, checkpoint=checkpoint,
                    on_epoch=stop_at_epoch_2)
    assert train.saved(checkpoint).epochs == 1
    resumed, uninterrupted = cnn(), cnn()
    resumed_history = train.train(resumed, dataset, None, recipe, device="cpu", seed=0, checkpoint=checkpoint)
    history = train.train(uninterrupted, dataset, None, recipe, device="cpu", seed=0)
    expected = rates(recipe)
    assert len(set(expected)) == 3, "the rate changes twice"
    assert [e.lr for e in history.epochs] == pytest.approx(expected, rel=1e-9)
    assert [e.lr for e in resumed_history.epochs] == [e.lr for e in history.epochs]
    for (name, tensor), other in zip(uninterrupted.state_dict().items(), resumed.state_dict().values()):
        assert torch.equal(tensor, other), f"{name} differs after resuming"


def test_float16_autocast_is_refused_for_want_of_loss_scaling() -> None:
    with pytest.raises(ValueError, match="float16 needs loss scaling"):
        train.Accel(autocast=torch.float16)


def test_evaluating_an_empty_dataset_is_refused() -> None:
    with pytest.raises(ValueError, match="empty dataset"):
        train.evaluate(small_cnn(3), synthetic(0, seed=0, shape=(3, 28, 28)), ADAM, device="cpu")


# ----------------------------------------------------------------------------- the loop's guarantees


def test_training_leaves_the_callers_random_state_as_it_was_and_the_model_in_eval_mode() -> None:
    model, train_set = small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28))
    torch.manual_seed(123)
    train.train(model, train_set, None, dataclasses.replace(ADAM, augment=("crop", "flip")), device="cpu", seed=3)
    after = torch.rand(3)
    torch.manual_seed(123)
    assert torch.equal(after, torch.rand(3))
    assert not model.training  # nothing was evaluated, yet it is ready to be


def test_same_seed_same_run_on_cpu() -> None:
    """Seeded and deterministic on the CPU: equal seeds give equal weights; another seed does not."""
    runs = []
    for seed in (0, 0, 1):
        torch.manual_seed(seed)
        model = small_cnn(3)
        history = train.train(model, synthetic(128, seed=2, shape=(3, 28, 28)), None,
                              dataclasses.replace(ADAM, augment=("crop", "flip")), device="cpu", seed=seed)
        runs.append((torch.cat([p.flatten() for p in model.parameters()]), history.epochs[-1].train_loss))
    assert torch.equal(runs[0][0], runs[1][0]) and runs[0][1] == runs[1][1]
    assert not torch.equal(runs[0][0], runs[2][0])


@pytest.mark.slow
def test_compiled_engine_follows_the_eager_run(device: str) -> None:
    """``torch.compile`` (``--claims-train-compile``) fuses kernels but trains the same model: equal seeds give
    the eager run's losses up to float rounding, and weights within what rounding can move through Adam. The
    compiled run did compile: dynamo, its caches cleared first, captured graphs."""
    runs = []
    for compile in (False, True):
        torch._dynamo.reset()  # a graph cached by an earlier test would not be captured again
        graphs = torch._dynamo.utils.counters["stats"]["unique_graphs"]
        torch.manual_seed(0)
        model = small_cnn(3)
        history = train.train(model, synthetic(128, seed=2, shape=(3, 28, 28)), None,
                              dataclasses.replace(ADAM, augment=("crop", "flip")), device=device, seed=0,
                              accel=train.Accel(compile=compile))
        runs.append((torch.cat([p.detach().flatten() for p in model.parameters()]).cpu(),
                     [epoch.train_loss for epoch in history.epochs]))
        assert (torch._dynamo.utils.counters["stats"]["unique_graphs"] > graphs) == compile
    (eager_weights, eager_losses), (compiled_weights, compiled_losses) = runs
    assert compiled_losses == pytest.approx(eager_losses, rel=1e-3)
    steps = ADAM.epochs * math.ceil(128 / ADAM.batch_size)  # Adam moves a weight by about lr at most per step
    assert (compiled_weights - eager_weights).abs().max() <= 2 * ADAM.lr * steps


def test_a_compiled_run_compiles_an_auxiliary_heads_model_too() -> None:
    """``--claims-train-compile`` on a recipe with an auxiliary loss trained ``forward_with_aux`` uncompiled, while its
    runs were stored as compiled: the forward the loss needs is the one compiled."""
    torch._dynamo.reset()
    graphs = torch._dynamo.utils.counters["stats"]["unique_graphs"]
    recipe = dataclasses.replace(ADAM, batch_size=16, epochs=1, aux_loss_weight=0.3)
    train.train(TwoHeads(), synthetic(32, seed=1, shape=(3, 8, 8)), None, recipe, device="cpu", seed=0,
                accel=train.Accel(compile=True))
    assert torch._dynamo.utils.counters["stats"]["unique_graphs"] > graphs


def test_per_image_batch_norm_is_batch_norm_fed_one_image_at_a_time() -> None:
    """The author's loop: each image alone through train-mode BatchNorm, in training and at test."""
    torch.manual_seed(0)
    reference = nn.BatchNorm2d(8).train()
    with torch.no_grad():
        reference.weight.uniform_(0.5, 2.0)
        reference.bias.uniform_(-1.0, 1.0)
    parent = nn.Sequential(reference)
    batchnorm.per_image_batch_norm(parent)
    per_image = parent[0]
    assert isinstance(per_image, batchnorm.PerImageBatchNorm2d)
    assert per_image.state_dict().keys() == reference.state_dict().keys()
    x = torch.randn(5, 8, 4, 4) * 3 + 1
    one_at_a_time = torch.cat([reference(image[None]) for image in x])
    for mode in (per_image.train, per_image.eval):
        mode()
        torch.testing.assert_close(per_image(x), one_at_a_time)


def test_per_image_batch_norm_keeps_its_running_statistics_out_of_evaluation() -> None:
    """Training updates them; an evaluation (held-out or test images) leaves the stored weights as they were."""
    parent = nn.Sequential(nn.BatchNorm2d(3))
    batchnorm.per_image_batch_norm(parent)
    x = torch.randn(4, 3, 5, 5) * 2 + 3
    parent.eval()(x)
    assert torch.equal(parent[0].running_mean, torch.zeros(3)) and torch.equal(parent[0].running_var, torch.ones(3))
    parent.train()(x)
    assert not torch.equal(parent[0].running_mean, torch.zeros(3))


def test_recipe_batch_norm_and_draws_with_replacement_reach_the_loop() -> None:
    """``steps_per_epoch`` batches an epoch, drawn with replacement; ``batch_norm = "per_image"`` swaps the layers."""
    recipe = dataclasses.replace(ADAM, epochs=1, steps_per_epoch=5, batch_norm="per_image")
    model, seen = small_cnn(3), []
    model.register_forward_pre_hook(lambda module, args: seen.append(len(args[0])) if module.training else None)
    history = train.train(model, synthetic(12, seed=0, shape=(3, 28, 28)), synthetic(6, seed=1, shape=(3, 28, 28)),
                          recipe, device="cpu", seed=0)
    assert seen == [recipe.batch_size] * 5, "five full batches from twelve images: drawn with replacement"
    assert all(isinstance(m, batchnorm.PerImageBatchNorm2d) for m in model.modules() if isinstance(m, nn.BatchNorm2d))
    assert math.isfinite(history.epochs[0].train_loss) and history.epochs[0].test is not None
    with pytest.raises(ValueError, match="batch_norm = 'per_image' but the model has no BatchNorm2d"):
        train.train(nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, 10)), synthetic(12, seed=0, shape=(3, 28, 28)),
                    None, recipe, device="cpu", seed=0)


def test_augmentation_acts_on_unit_values_before_normalisation() -> None:
    """torchvision's order: a rotation of a white image fills its corners with black, which ImageNet
    normalisation then maps to -mean/std (normalising first would fill with the mean colour)."""
    white = data.Dataset(images=torch.full((8, 3, 16, 16), 255, dtype=torch.uint8),
                         labels=torch.zeros(8, dtype=torch.int64), verified=True, source=Path("white"))
    recipe = dataclasses.replace(ADAM, normalize="imagenet", augment=("rotate",),
                                 augment_options=(("rotate", (("degrees", 45.0),)),))
    batch = train._training_batch(white, torch.arange(8), recipe, torch.Generator().manual_seed(0))
    mean, std = torch.tensor([0.485, 0.456, 0.406]), torch.tensor([0.229, 0.224, 0.225])  # torchvision's ImageNet
    black, full = -mean / std, (1 - mean) / std
    torch.testing.assert_close(batch.amin(dim=(0, 2, 3)), black)
    torch.testing.assert_close(batch.amax(dim=(0, 2, 3)), full)


@pytest.mark.parametrize("normalize", ["unit", "per_image"])  # folded into the gather, and not
def test_the_recipes_crop_options_reach_the_batch(normalize: str) -> None:
    """A crop by no padding leaves each image where it is, whichever path the batch takes."""
    images = synthetic(8, seed=0, shape=(3, 12, 12))
    recipe = dataclasses.replace(ADAM, normalize=normalize, augment=("crop", "flip"),
                                 augment_options=(("crop", (("padding", 0),)),))
    batch = train._training_batch(images, torch.arange(8), recipe, torch.Generator().manual_seed(0))
    unflipped = transforms.normalize(images.images, normalize)
    flipped = (batch == unflipped).flatten(1).all(1) | (batch == unflipped.flip(-1)).flatten(1).all(1)
    assert flipped.all(), "a crop by no padding moved an image"


def test_non_finite_loss_names_model_epoch_and_batch(device: str) -> None:
    model = small_cnn(3)
    with torch.no_grad():
        model[-1].bias.fill_(math.nan)
    with pytest.raises(train.NonFiniteLoss, match=r"^tiny: training loss is nan at epoch 1, batch 1 of 2;"):
        train.train(model, synthetic(64, seed=0, shape=(3, 28, 28)), None, ADAM, device=device, seed=0,
                    name="tiny")


def test_history_records_every_epoch_and_survives_json(device: str) -> None:
    test_set = synthetic(40, seed=3, shape=(3, 28, 28))
    history = train.train(small_cnn(3), synthetic(80, seed=4, shape=(3, 28, 28)), test_set, ADAM, device=device,
                          seed=0, evaluate_train=True)
    assert [e.epoch for e in history.epochs] == [1, 2]
    assert all(e.seconds > 0 and e.lr == ADAM.lr and e.val is None for e in history.epochs)
    assert sum(map(sum, history.epochs[0].test.confusion)) == len(test_set)
    assert history.train_final is not None and history.restored_epoch is None
    assert History.from_dict(history.to_dict()) == history


@pytest.mark.parametrize(("change", "says"), [
    (lambda raw: raw["epochs"][0]["val"].update(accuracy="70.0"),
     r"epochs\.0\.val\.accuracy\W+Input should be a valid number"),
    (lambda raw: raw["epochs"][2].update(momentum=0.9), r"epochs\.2\.momentum\W+Unexpected keyword argument"),
    (lambda raw: raw["epochs"][1].update(epoch=3), r"epochs are not numbered 1 to their count"),
    (lambda raw: raw.update(train_final={**raw["train_final"], "confusion": [[10, 0, 0], [1, 9, 0]]}),
     r"train_final\W+Value error, a confusion matrix.s rows are not 2 \+ 0 long"),
    (lambda raw: raw.pop("epochs"), r"epochs\W+List should have at least 1 item")],
    ids=["string", "unknown key", "order", "width", "no epochs"])
def test_a_history_read_back_is_checked_as_the_run_store_checks_it(change: Callable[[dict[str, Any]], Any],
                                                                   says: str) -> None:
    """One declaration of a history: the run store's record holds the ``History`` that the metrics read, and what
    the store refuses (a string for a number, a key no epoch has, epochs out of order, a confusion matrix of another
    width, no epochs) ``History.from_dict`` refuses too, naming the field; it read anything before."""
    raw = run_history().to_dict()
    assert store.Stored.model_validate({"history": raw, "verified_data": True}).history == run_history()
    assert History.from_dict(raw) == run_history()
    change(raw)
    with pytest.raises(ValueError, match=says):
        History.from_dict(raw)
    with pytest.raises(ValueError, match=says):
        store.Stored.model_validate({"history": raw, "verified_data": True})


class PredictsClassZero(nn.Module):
    """Logits (2, 0, 0) for every image, whatever it holds."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tensor([2.0, 0.0, 0.0], device=x.device).expand(len(x), 3)


def test_evaluation_is_the_mean_loss_and_the_percentage_correct_over_every_image() -> None:
    """Four images in batches of 3 and 1, two of them class 0: 50% correct, and a mean cross-entropy of
    log(e² + 2) - 2 on each class-0 image and log(e² + 2) on the others."""
    dataset = data.Dataset(images=torch.zeros(4, 3, 2, 2, dtype=torch.uint8), labels=torch.tensor([0, 1, 2, 0]),
                           verified=True, source=Path("four"))
    evaluation = train.evaluate(PredictsClassZero(), dataset, dataclasses.replace(ADAM, batch_size=3), device="cpu")
    assert evaluation.accuracy == 50.0 and evaluation.confusion == [[2, 0, 0], [1, 0, 0], [1, 0, 0]]
    assert evaluation.loss == pytest.approx(math.log(math.exp(2) + 2) - 1, rel=1e-6)


class TwoHeads(nn.Module):
    """A main and an auxiliary linear head on the flattened image, as the Inception notebook's two outputs."""

    def __init__(self) -> None:
        super().__init__()
        self.main, self.aux = nn.Linear(3 * 8 * 8, 10), nn.Linear(3 * 8 * 8, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(x.flatten(1))

    def forward_with_aux(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.main(x.flatten(1)), self.aux(x.flatten(1))


def test_evaluation_loss_is_the_objective_keras_monitors() -> None:
    """A two-output Keras model's val_loss, which its plateau and early stopping watch, is main + 0.3 · aux; its
    accuracy is the main head's."""
    torch.manual_seed(0)
    model, dataset = TwoHeads(), synthetic(40, seed=1, shape=(3, 8, 8))
    recipe = dataclasses.replace(ADAM, batch_size=16, aux_loss_weight=0.3)
    images, labels = transforms.normalize(dataset.images, "unit"), dataset.labels
    with torch.no_grad():
        main, aux = model.forward_with_aux(images)
        expected = F.cross_entropy(main, labels) + 0.3 * F.cross_entropy(aux, labels)
        accuracy = 100 * (main.argmax(1) == labels).float().mean().item()
    evaluation = train.evaluate(model, dataset, recipe, device="cpu")
    assert evaluation.loss == pytest.approx(expected.item(), rel=1e-5)
    assert evaluation.accuracy == pytest.approx(accuracy)
    assert train.evaluate(model, dataset, ADAM, device="cpu").loss < evaluation.loss, "without the head's share"


def test_an_epochs_training_loss_weighs_each_batch_by_its_size() -> None:
    """40 images in batches of 32 and 8 with a model that does not move (lr 1e-12): the epoch's training loss is
    the mean over the 40 images, each batch's mean weighted by its size (as Keras's epoch loss), not the mean of
    the two batches' means. The large weights spread the images' losses, so the two differ by far."""
    torch.manual_seed(0)
    model, dataset = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 10)), synthetic(40, seed=1, shape=(3, 8, 8))
    with torch.no_grad():
        model[1].weight.mul_(20)
    before = [p.detach().clone() for p in model.parameters()]
    recipe = dataclasses.replace(ADAM, optimizer="sgd", lr=1e-12, batch_size=32, epochs=1)
    assert train.batch_sizes(recipe, len(dataset)) == [32, 8]
    with torch.no_grad():
        losses = F.cross_entropy(model(transforms.normalize(dataset.images, "unit")), dataset.labels, reduction="none")
    history = train.train(model, dataset, None, recipe, device="cpu", seed=0)
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), before, strict=True)), "the model moved"
    assert losses.std().item() > 1.0
    assert history.epochs[0].train_loss == pytest.approx(losses.mean().item(), rel=1e-5)


def test_aux_loss_needs_an_auxiliary_head() -> None:
    with pytest.raises(ValueError, match="aux_loss_weight = 0.3 but the model has no forward_with_aux"):
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None,
                    dataclasses.replace(ADAM, aux_loss_weight=0.3), device="cpu", seed=0)


# ----------------------------------------------------------------------------- Keras callbacks


def epoch(number: int, val_loss: float) -> Epoch:
    return Epoch(epoch=number, lr=0.0, seconds=0.0, train_loss=0.0, train_running_acc=0.0,
                 val=Evaluation(loss=val_loss, accuracy=0.0, confusion=[[0]]), test=None)


def test_early_stopping_stops_patience_epochs_after_the_best_as_keras() -> None:
    """Keras: best at epoch 3, patience 2, so it stops after epoch 5 and restores epoch 3."""
    stopping = train._EarlyStopping(EarlyStopping(monitor="val_loss", patience=2, restore_best=True))
    model = nn.Linear(1, 1)
    for number, loss in enumerate([1.0, 0.9, 0.5, 0.6, 0.55], start=1):
        assert not stopping.stopped
        stopping.step(epoch(number, loss), model)
    assert stopping.stopped and stopping.best_epoch == 3 and stopping.best_weights is not None


def test_early_stopping_on_accuracy_keeps_the_highest_and_a_tie_keeps_the_first() -> None:
    """Keras maximises ``val_accuracy`` and counts only a strict improvement: accuracy peaks at epoch 3; a loss
    equal to the best, at epoch 3, does not move the best from epoch 2."""
    model = nn.Linear(1, 1)
    on_accuracy = train._EarlyStopping(EarlyStopping(monitor="val_accuracy", patience=2, restore_best=True))
    for number, accuracy in enumerate([50.0, 70.0, 90.0, 80.0, 60.0], start=1):
        assert not on_accuracy.stopped
        on_accuracy.step(dataclasses.replace(epoch(number, 1.0), val=Evaluation(1.0, accuracy, [[0]])), model)
    assert on_accuracy.stopped and on_accuracy.best_epoch == 3
    on_loss = train._EarlyStopping(EarlyStopping(monitor="val_loss", patience=2, restore_best=True))
    for number, loss in enumerate([1.0, 0.5, 0.5, 0.7], start=1):
        on_loss.step(epoch(number, loss), model)
    assert on_loss.stopped and on_loss.best_epoch == 2


def test_early_stopping_ends_the_run_and_returns_the_best_epochs_weights(device: str) -> None:
    """Through ``train``: a linear model overfitting 64 images at Adam 3e-2 stops ``patience`` epochs after its
    lowest validation loss, long before its 20 epochs, and returns that epoch's weights."""
    patience = 2
    recipe = dataclasses.replace(ADAM, lr=3e-2, epochs=20, batch_size=16,
                                 early_stopping=EarlyStopping(monitor="val_loss", patience=patience, restore_best=True))
    val_set = synthetic(64, seed=1, shape=(3, 8, 8))
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 10))
    history = train.train(model, synthetic(64, seed=0, shape=(3, 8, 8)), None, recipe, device=device, seed=0,
                          val_set=val_set)
    val_losses = [epoch.val.loss for epoch in history.epochs]
    best = 1 + val_losses.index(min(val_losses))
    assert len(history.epochs) == best + patience < recipe.epochs, val_losses
    assert history.restored_epoch == best
    assert val_losses[-1] != val_losses[best - 1], "the last epoch's weights would not show a missing restore"
    assert train.evaluate(model, val_set, recipe, device=device).loss == pytest.approx(val_losses[best - 1], rel=1e-6)


def test_the_training_set_is_evaluated_on_the_restored_best_weights(device: str) -> None:
    """``evaluate_train`` (gap claims, split "train") reads the weights the run returns: under early stopping with
    ``restore_best``, the best epoch's, not the last epoch's. The same seeded run without early stopping, cut to
    as many epochs, ends on the last epoch's weights and shows they evaluate otherwise."""
    train_set, val_set = synthetic(64, seed=0, shape=(3, 8, 8)), synthetic(64, seed=1, shape=(3, 8, 8))
    stopping = dataclasses.replace(ADAM, lr=3e-2, epochs=20, batch_size=16,
                                   early_stopping=EarlyStopping(monitor="val_loss", patience=2, restore_best=True))

    def run(recipe: Recipe) -> tuple[nn.Module, History]:
        torch.manual_seed(0)
        model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 10))
        return model, train.train(model, train_set, None, recipe, device=device, seed=0, val_set=val_set,
                                  evaluate_train=True)

    model, history = run(stopping)
    assert history.restored_epoch is not None and history.restored_epoch < len(history.epochs)
    returned = train.evaluate(model, train_set, stopping, device=device)
    assert history.train_final is not None and history.train_final.confusion == returned.confusion
    assert history.train_final.loss == pytest.approx(returned.loss, rel=1e-6)
    _, unstopped = run(dataclasses.replace(stopping, epochs=len(history.epochs), early_stopping=None))
    assert unstopped.train_final is not None
    assert unstopped.train_final.loss != pytest.approx(returned.loss, rel=1e-3), "last and best weights alike"


def test_plateau_halves_after_patience_epochs_and_respects_min_lr() -> None:
    plateau = train._ReduceOnPlateau(Plateau(monitor="val_loss", factor=0.5, patience=2, min_lr=0.3))
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    lrs = []
    for number, loss in enumerate([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], start=1):
        plateau.step(epoch(number, loss), optimizer)
        lrs.append(optimizer.param_groups[0]["lr"])
    assert lrs == [1.0, 1.0, 0.5, 0.5, 0.3, 0.3, 0.3]


def test_plateau_on_accuracy_takes_keras_min_delta_on_a_fraction() -> None:
    """Keras logs val_accuracy as a fraction: rises under 0.01 points (1e-4) are under its min_delta."""
    plateau = train._ReduceOnPlateau(Plateau(monitor="val_accuracy", factor=0.5, patience=2, min_lr=0.0))
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    lrs = []
    for number, accuracy in enumerate([90.0, 90.005, 90.008, 90.009, 90.0095, 91.0], start=1):
        plateau.step(dataclasses.replace(epoch(number, 0.3), val=Evaluation(0.3, accuracy, [[0]])), optimizer)
        lrs.append(optimizer.param_groups[0]["lr"])
    assert lrs == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]


# ----------------------------------------------------------------------------- statistics


def run_history() -> History:
    """Three epochs; early stopping restored epoch 2."""
    def ev(accuracy: float, loss: float, confusion: list[list[int]]) -> Evaluation:
        return Evaluation(loss=loss, accuracy=accuracy, confusion=confusion)

    epochs = [
        Epoch(1, 1e-3, 1.0, 2.0, 50.0, ev(70.0, 1.5, [[3, 1], [2, 4]]), ev(70.0, 1.6, [[2, 2], [1, 5]])),
        Epoch(2, 1e-3, 1.0, 1.0, 70.0, ev(100.0, 0.9, [[4, 0], [0, 6]]), ev(90.0, 1.0, [[4, 0], [1, 5]])),
        Epoch(3, 5e-4, 1.0, 0.5, 90.0, ev(80.0, 1.1, [[4, 0], [2, 4]]), ev(80.0, 1.2, [[3, 1], [1, 5]])),
    ]
    return History(epochs=epochs, restored_epoch=2, train_final=ev(95.0, 0.2, [[10, 0], [1, 9]]))


@pytest.mark.parametrize(("kind", "split", "statistic", "expected"), [
    ("accuracy", "test", "final", 80.0),
    ("accuracy", "test", "best_epoch", 90.0),
    ("accuracy", "val", "max", 100.0),
    ("accuracy", "test", "pooled", 80.0),
    ("loss", "test", "pooled", (1.6 + 1.0 + 1.2) / 3),
    ("accuracy", "train_running", "final", 90.0),
    ("loss", "train_running", "best_epoch", 1.0),
    ("accuracy", "train", "best_epoch", 95.0),
    ("best_epoch", None, "best_epoch", 2.0),
    ("best_epoch", None, "final", 3.0),
    ("gap", None, "best_epoch", 5.0),
    ("recall", "test", "pooled", (9 / 12 + 15 / 18) / 2),
    ("precision", "test", "pooled", (9 / 12 + 15 / 18) / 2),
    ("precision", "test", "best_epoch", (4 / 5 + 5 / 5) / 2),
])
def test_statistics_read_the_report_definition(kind: str, split: str | None, statistic: str, expected: float) -> None:
    assert metrics.value(kind, split, statistic, run_history()) == pytest.approx(expected)


@pytest.mark.parametrize(("kind", "split", "statistic", "expected"), [
    ("best_epoch", None, "min_val_loss", 1.0),
    ("accuracy", "test", "final", 10.0),  # one image of the 10 the test set holds
    ("accuracy", "val", "max", 10.0),
    ("accuracy", "train", "best_epoch", 5.0),  # of the 20 the training set's evaluation holds
    ("accuracy", "test", "pooled", 10 / 3),  # a mean over 3 evaluations of 10 images
    ("accuracy", "train_running", "final", 0.0),  # the history keeps no count of the images trained on
    ("accuracy", "test", "cumulative_mean", 0.0),
    ("loss", "test", "final", 0.0),
    ("gap", None, "best_epoch", 0.0),
    ("precision", "test", "best_epoch", 0.0),
])
def test_the_step_of_a_statistic_is_the_least_change_one_run_can_make_in_it(
        kind: str, split: str | None, statistic: str, expected: float) -> None:
    """An epoch number moves by whole epochs and an accuracy by one image of its evaluation; a loss, a ratio's macro
    mean, a gap between two sets and a never-reset counter's running mean move by steps too fine to floor a scatter
    (0), as does an accuracy of a set whose size the history does not keep."""
    assert metrics.resolution(kind, split, statistic, run_history()) == pytest.approx(expected)


@pytest.mark.parametrize(("kind", "epochs", "expected"), [
    ("accuracy", 50, (0.0, 100.0)),  # percent
    ("gap", 50, (-100.0, 100.0)),  # train minus test accuracy: a test set can do better than the training set
    ("precision", 50, (0.0, 1.0)),  # fractions
    ("recall", None, (0.0, 1.0)),
    ("loss", 50, (0.0, math.inf)),
    ("best_epoch", 50, (1.0, 50.0)),  # 1-based, at most the recipe's epochs
    ("best_epoch", None, (1.0, math.inf)),
])
def test_a_statistic_can_take_only_the_values_its_unit_allows(kind: str, epochs: int | None,
                                                               expected: tuple[float, float]) -> None:
    """What an interval a run lands in is cut to: a best epoch of no less than 1, an accuracy of no more than 100%."""
    assert metrics.possible(kind, epochs) == expected


def test_every_training_kind_has_its_possible_values_and_nothing_else_does() -> None:
    assert all(metrics.possible(kind, 10)[0] < metrics.possible(kind, 10)[1] for kind in vocab.TRAINING_KINDS)
    with pytest.raises(ValueError, match="kind 'params' is not a training statistic"):
        metrics.possible("params")


def counters_history(correct: list[int], images: int) -> History:
    """One test evaluation per epoch, of ``images`` two-class images, ``correct`` of them right (all of class 0)."""
    def ev(right: int) -> Evaluation:
        return Evaluation(loss=0.0, accuracy=100 * right / images, confusion=[[right, images - right], [0, 0]])

    return History(epochs=[Epoch(e + 1, 1e-3, 1.0, 1.0, 50.0, None, ev(right)) for e, right in enumerate(correct)])


def test_cumulative_mean_is_the_mean_over_the_last_epochs_batches_of_never_reset_counters() -> None:
    """Deeper Networks' loop, simulated batch by batch: 2 epochs of 5 test images in batches of 2 (2, 2, 1), 3 then
    5 right. The last epoch's 5 right are spread over its batches as its 3 batches hold them (2, 2, 1), so the
    spread-evenly reading is exact here."""
    correct_by_batch, sizes = [[1, 2, 0], [2, 2, 1]], [2, 2, 1]
    right = seen = 0
    printed = []
    for epoch in correct_by_batch:
        printed = []  # the author's list of the epoch's batch accuracies; the counters are never reset
        for batch_right, size in zip(epoch, sizes):
            right, seen = right + batch_right, seen + size
            printed.append(100 * right / seen)
    expected = sum(printed) / len(printed)  # (100·5/7 + 100·7/9 + 100·8/10) / 3
    assert expected == pytest.approx((500 / 7 + 700 / 9 + 80) / 3)
    history = counters_history([3, 5], 5)
    assert metrics.value("accuracy", "test", "cumulative_mean", history, batch_size=2) == pytest.approx(expected)
    plain_mean = (60 + 100) / 2
    assert metrics.value("accuracy", "test", "cumulative_mean", history, batch_size=2) != pytest.approx(plain_mean)


def test_cumulative_mean_spreads_the_last_epochs_correct_images_evenly() -> None:
    """3 epochs of 4 images in batches of 3 (3, 1): 2, 4, then 2 right, the last epoch's taken as 1.5 then 0.5."""
    expected = ((2 + 4 + 1.5) / 11 + (2 + 4 + 2) / 12) / 2 * 100
    history = counters_history([2, 4, 2], 4)
    assert metrics.value("accuracy", "test", "cumulative_mean", history, batch_size=3) == pytest.approx(expected)


def test_cumulative_mean_needs_the_batch_size_and_a_per_epoch_evaluation() -> None:
    with pytest.raises(ValueError, match="statistic 'cumulative_mean' needs the evaluation batch size, got None"):
        metrics.value("accuracy", "test", "cumulative_mean", run_history())
    with pytest.raises(ValueError, match=r"needs a per-epoch evaluation \(split 'val' or 'test'\), got split 'train_"):
        metrics.value("accuracy", "train_running", "cumulative_mean", run_history(), batch_size=2)


def test_min_val_loss_reads_the_epoch_of_the_lowest_validation_loss_restored_or_not() -> None:
    unrestored = dataclasses.replace(run_history(), restored_epoch=None)
    assert metrics.value("best_epoch", None, "best_epoch", unrestored) == 3.0  # the weights the run returned
    assert metrics.value("best_epoch", None, "min_val_loss", unrestored) == 2.0  # val loss 1.5, 0.9, 1.1
    assert metrics.value("accuracy", "test", "min_val_loss", unrestored) == 90.0
    unvalidated = dataclasses.replace(unrestored, epochs=[dataclasses.replace(e, val=None) for e in unrestored.epochs])
    with pytest.raises(ValueError, match="statistic 'min_val_loss' needs a per-epoch 'val' evaluation"):
        metrics.value("best_epoch", None, "min_val_loss", unvalidated)
    with pytest.raises(ValueError, match="weights of epoch 3; statistic 'min_val_loss' needs other weights"):
        metrics.value("accuracy", "train", "min_val_loss", unrestored)


def test_clean_train_split_is_only_known_for_the_returned_weights() -> None:
    with pytest.raises(ValueError, match="weights of epoch 2; statistic 'final' needs other weights"):
        metrics.value("accuracy", "train", "final", run_history())


@given(st.lists(st.lists(st.integers(0, 50), min_size=3, max_size=3), min_size=3, max_size=3))
def test_macro_precision_recall_match_their_definition(confusion: list[list[int]]) -> None:
    present = [c for c in range(3) if sum(confusion[c]) or sum(row[c] for row in confusion)]
    if not present:
        return
    precision, recall = metrics.macro_precision_recall(confusion)
    tp = {c: confusion[c][c] for c in present}
    expect_p = sum(tp[c] / s if (s := sum(row[c] for row in confusion)) else 0 for c in present) / len(present)
    expect_r = sum(tp[c] / s if (s := sum(confusion[c])) else 0 for c in present) / len(present)
    assert precision == pytest.approx(expect_p) and recall == pytest.approx(expect_r)


@pytest.mark.parametrize(("confusion", "precision", "recall"), [
    # class 2 labelled twice, never predicted: precision 0 and recall 0 for it, and it counts in both means
    ([[5, 1, 0], [2, 3, 0], [1, 1, 0]], (5 / 8 + 3 / 5 + 0) / 3, (5 / 6 + 3 / 5 + 0 / 2) / 3),
    # class 2 predicted twice, never labelled: precision 0/2 and recall 0 for it, and it counts in both means
    ([[4, 1, 1], [0, 3, 1], [0, 0, 0]], (4 / 4 + 3 / 4 + 0 / 2) / 3, (4 / 6 + 3 / 4 + 0) / 3),
    # class 1 neither labelled nor predicted: left out of both means
    ([[3, 0, 1], [0, 0, 0], [2, 0, 4]], (3 / 5 + 4 / 5) / 2, (3 / 4 + 4 / 6) / 2),
], ids=["never-predicted", "never-labelled", "absent"])
def test_macro_precision_recall_by_hand(confusion: list[list[int]], precision: float, recall: float) -> None:
    """sklearn's average="macro" with zero_division=0 over the labels in y_true or y_pred, worked by hand."""
    assert metrics.macro_precision_recall(confusion) == pytest.approx((precision, recall), rel=1e-12)


class WideGuess(nn.Module):
    """A 1000-way head on the data's 10 classes whose guesses never move, read from the image's byte at channel 1,
    row 0, column 0: the label (channel 0, ``synthetic``'s code) below 100, the byte's last digit below 180, else
    an output beyond the classes, ``far`` minus the byte's remainder by 40. ``shift`` (the same added to every
    logit) gives the optimizer a parameter that changes no guess."""

    def __init__(self, far: int) -> None:
        super().__init__()
        self.far, self.shift = far, nn.Parameter(torch.zeros(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        label, byte = (x[:, 0, 0, 0] * 255 / 25).round().long(), (x[:, 1, 0, 0] * 255).round().long()
        guess = torch.where(byte < 100, label, torch.where(byte < 180, byte % 10, self.far - byte % 40))
        return F.one_hot(guess, 1000).float() * 10 + self.shift


def wide_guesses(dataset: data.Dataset, far: int) -> list[int]:
    """``WideGuess(far)``'s guesses, from the dataset's bytes directly."""
    label, byte = (dataset.images[:, 0, 0, 0].long() // 25).tolist(), dataset.images[:, 1, 0, 0].long().tolist()
    return [t if b < 100 else b % 10 if b < 180 else far - b % 40 for t, b in zip(label, byte)]


def macro_by_definition(truth: list[int], guess: list[int]) -> tuple[float, float]:
    """sklearn's macro precision and recall (zero_division=0) over every label true or guessed, from the pairs."""
    labels, right = set(truth) | set(guess), [t for t, p in zip(truth, guess) if t == p]
    precision = [right.count(c) / guess.count(c) if guess.count(c) else 0.0 for c in labels]
    recall = [right.count(c) / truth.count(c) if truth.count(c) else 0.0 for c in labels]
    return statistics.fmean(precision), statistics.fmean(recall)


def test_a_head_wider_than_the_datas_classes_keeps_a_row_per_class_and_a_column_per_output_it_guessed() -> None:
    """A 1000-way head evaluated on 10 classes: 10 rows, one per true label, and a column per class then one per
    output beyond them that it guessed (``beyond``), not 1000 × 1000 (6 MB of run record for 2 epochs)."""
    dataset = synthetic(200, seed=5, shape=(3, 8, 8))
    guesses = wide_guesses(dataset, 999)
    evaluation = train.evaluate(WideGuess(999), dataset, ADAM, device="cpu")
    assert len(evaluation.confusion) == data.CLASSES
    assert evaluation.beyond == sorted({g for g in guesses if g >= data.CLASSES}) and len(evaluation.beyond) > 1
    assert all(len(row) == data.CLASSES + len(evaluation.beyond) for row in evaluation.confusion)
    columns = [*range(data.CLASSES), *evaluation.beyond]
    assert all(evaluation.confusion[t][columns.index(p)] == sum(1 for pair in zip(dataset.labels.tolist(), guesses)
                                                                if pair == (t, p))
               for t in range(data.CLASSES) for p in columns)


def test_a_wide_heads_accuracy_precision_and_recall_are_those_of_its_guesses() -> None:
    """A 1000-way head trained on 10 classes: its run's accuracy, precision and recall, final and pooled over
    epochs, are those of its guesses by definition, the outputs beyond the classes it guessed counted as sklearn
    counts them; pooled over two epochs that guessed partly different outputs beyond them too."""
    test_set = synthetic(200, seed=5, shape=(3, 8, 8))
    truth = test_set.labels.tolist()
    history = train.train(WideGuess(999), synthetic(64, seed=6, shape=(3, 8, 8)), test_set, ADAM, device="cpu",
                          seed=0)
    guesses = wide_guesses(test_set, 999)
    precision, recall = macro_by_definition(truth, guesses)
    for statistic in ("final", "pooled"):
        assert metrics.value("precision", "test", statistic, history) == pytest.approx(precision, rel=1e-12)
        assert metrics.value("recall", "test", statistic, history) == pytest.approx(recall, rel=1e-12)
    assert metrics.value("accuracy", "test", "final", history) == pytest.approx(
        100 * statistics.fmean(t == g for t, g in zip(truth, guesses)), rel=1e-12)
    epochs = [dataclasses.replace(history.epochs[0], epoch=number, test=train.evaluate(
        WideGuess(far), test_set, ADAM, device="cpu")) for number, far in ((1, 999), (2, 979))]
    both = macro_by_definition(truth * 2, guesses + wide_guesses(test_set, 979))
    assert set(epochs[0].test.beyond) & set(epochs[1].test.beyond) and epochs[0].test.beyond != epochs[1].test.beyond
    assert (metrics.value("precision", "test", "pooled", History(epochs=epochs)),
            metrics.value("recall", "test", "pooled", History(epochs=epochs))) == pytest.approx(both, rel=1e-12)


def test_a_run_stored_with_a_square_matrix_over_the_heads_outputs_reads_as_before() -> None:
    """A run stored before the matrix kept only the data's classes as rows holds outputs × outputs matrices and no
    ``beyond``: it is still a sound record, and its accuracy, precision and recall are those of its guesses."""
    test_set = synthetic(200, seed=5, shape=(3, 8, 8))
    truth = test_set.labels.tolist()
    guesses = {far: wide_guesses(test_set, far) for far in (999, 979)}

    def evaluation(far: int) -> dict[str, Any]:
        square = [[0] * 1000 for _ in range(1000)]
        for t, g in zip(truth, guesses[far]):
            square[t][g] += 1
        return {"loss": 1.0, "accuracy": 100 * statistics.fmean(t == g for t, g in zip(truth, guesses[far])),
                "confusion": square}

    epochs = [{"epoch": n, "lr": 1e-3, "seconds": 1.0, "train_loss": 1.0, "train_running_acc": 50.0, "val": None,
               "test": evaluation(far)} for n, far in ((1, 999), (2, 979))]
    record = {"history": {"epochs": epochs, "restored_epoch": None, "train_final": None}, "verified_data": True}
    store.Stored.model_validate(record)
    history = History.from_dict(record["history"])
    pooled = macro_by_definition(truth * 2, guesses[999] + guesses[979])
    for statistic, expected in (("final", macro_by_definition(truth, guesses[979])), ("pooled", pooled)):
        assert (metrics.value("precision", "test", statistic, history),
                metrics.value("recall", "test", statistic, history)) == pytest.approx(expected, rel=1e-12)
    right = [t == g for t, g in zip(truth, guesses[999])]
    assert metrics.value("accuracy", "test", "cumulative_mean", history, batch_size=200) == pytest.approx(
        100 * (sum(right) + sum(t == g for t, g in zip(truth, guesses[979]))) / 400, rel=1e-12)



@pytest.mark.parametrize("old_first", [True, False])
def test_a_history_mixing_square_and_beyond_matrices_is_pooled(old_first: bool) -> None:
    """A run checkpointed before ``beyond`` (outputs × outputs matrices) and resumed after it mixes both forms; pooled
    precision and recall crashed on a bare zip error. An old square matrix wider than the classes reads as its class
    rows and a column per output past them: pooled, both equal the full matrices summed."""
    test_set = synthetic(200, seed=5, shape=(3, 8, 8))
    truth = test_set.labels.tolist()
    square = [[0] * 1000 for _ in range(1000)]
    for t, g in zip(truth, wide_guesses(test_set, 999)):
        square[t][g] += 1
    old = Evaluation(loss=1.0, accuracy=0.0, confusion=square)
    new = train.evaluate(WideGuess(979), test_set, ADAM, device="cpu")
    evaluations = [old, new] if old_first else [new, old]
    epochs = [Epoch(epoch=n, lr=1e-3, seconds=1.0, train_loss=1.0, train_running_acc=0.0, val=None, test=evaluation)
              for n, evaluation in enumerate(evaluations, start=1)]
    expected = macro_by_definition(truth * 2, wide_guesses(test_set, 999) + wide_guesses(test_set, 979))
    assert (metrics.value("precision", "test", "pooled", History(epochs=epochs)),
            metrics.value("recall", "test", "pooled", History(epochs=epochs))) == pytest.approx(expected, rel=1e-12)

@given(st.floats(-100, 100), st.lists(st.floats(-1, 1), min_size=2, max_size=40))
def test_interval_is_centred_and_shrinks_with_agreement(centre: float, offsets: list[float]) -> None:
    values = [centre + o for o in offsets]
    mean, half = metrics.interval95(values)
    assert mean == pytest.approx(centre + sum(offsets) / len(offsets), abs=1e-9)
    narrower = metrics.interval95([centre + o / 2 for o in offsets])[1]
    assert half >= 0 and narrower == pytest.approx(half / 2, rel=1e-6, abs=1e-9)


def test_interval_of_one_seed_is_a_point_and_two_seeds_use_student_t() -> None:
    assert metrics.interval95([71.5]) == (71.5, 0.0)
    assert metrics.interval95([70.0, 72.0]) == pytest.approx((71.0, 12.706))


def test_the_t_quantile_past_the_table_never_steps_down_to_the_normal() -> None:
    """31 seeds (df 30, the table's last row) take t = 2.042; 32 seeds took the normal 1.96, whose "95%" interval
    covers 94.1% at df 31. Past the table the quantile keeps falling towards 1.96 a little at a time."""
    quantiles = [_quantile_in_interval95(df + 1) for df in range(30, 400)]
    assert quantiles[0] == pytest.approx(2.042, abs=1e-9)
    assert all(later < earlier for earlier, later in zip(quantiles, quantiles[1:])) and quantiles[-1] > 1.96


def _quantile_in_interval95(seeds: int) -> float:
    """The t that ``interval95`` multiplied the standard error by, for ``seeds`` values."""
    values = [float(v % 3) for v in range(seeds)]
    return metrics.interval95(values)[1] * math.sqrt(seeds) / statistics.stdev(values)


@pytest.mark.parametrize(("df", "textbook"), [(2, 4.303), (3, 3.182), (5, 2.571), (9, 2.262), (19, 2.093),
                                              (29, 2.045)])
def test_interval_takes_the_textbooks_t_quantile(df: int, textbook: float) -> None:
    """Student's t at 0.975 as printed in any t table (scipy.stats.t.ppf(0.975, df) to 3 decimals)."""
    assert _quantile_in_interval95(df + 1) == pytest.approx(textbook, abs=1e-9)


@pytest.mark.parametrize(("df", "textbook"), [(31, 2.040), (40, 2.021), (60, 2.000), (120, 1.980), (1000, 1.962)])
def test_interval_takes_the_textbooks_t_quantile_past_30_degrees_of_freedom(df: int, textbook: float) -> None:
    """Past the table the quantile is computed, not looked up: to 3 decimals it is the table's."""
    assert round(_quantile_in_interval95(df + 1), 3) == textbook


def _student_t_cdf(t: float, df: int, intervals: int = 4000) -> float:
    """P(T <= t) for t >= 0: one half plus the density integrated from 0 to t by Simpson's rule."""
    scale = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    weights = [1, *([4, 2] * (intervals // 2))][:intervals] + [1]
    h = t / intervals
    return 0.5 + h / 3 * math.fsum(w * scale * (1 + (i * h) ** 2 / df) ** (-(df + 1) / 2)
                                   for i, w in enumerate(weights))


@pytest.mark.parametrize("df", [*range(1, 41), 60, 120, 1000])
def test_every_t_quantile_is_the_975_percent_point_to_three_decimals(df: int) -> None:
    """Each row of the table and the quantiles past it, checked against the t distribution itself: the 0.975 point
    lies within half a unit of the third decimal of the t used."""
    t = round(_quantile_in_interval95(df + 1), 3)
    assert _student_t_cdf(t - 5e-4, df) < 0.975 < _student_t_cdf(t + 5e-4, df)


# ----------------------------------------------------------------------------- divergence, progress, recipe keys


def test_a_run_that_diverges_with_finite_losses_stops_as_one_of_ours(device: str) -> None:
    """SGD at a learning rate of 1e4: losses of 1e10 and more, at chance, but never NaN: not a verdict on the claim."""
    exploding = dataclasses.replace(ADAM, optimizer="sgd", lr=1e4)
    with pytest.raises(train.NonFiniteLoss, match=r"^tiny: training loss is \S+ at epoch 1, over 100; the run stop"):
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, exploding, device=device, seed=0,
                    name="tiny")


def test_non_finite_validation_loss_stops_the_run(device: str) -> None:
    """A model whose training loss stays finite while its evaluation diverges: the run stops, naming the loss."""
    model = small_cnn(3)

    def diverge_in_eval(module: nn.Module, inputs: tuple[torch.Tensor], output: torch.Tensor) -> torch.Tensor:
        return output if module.training else output * math.inf

    model[-1].register_forward_hook(diverge_in_eval)
    with pytest.raises(train.NonFiniteLoss, match=r"^tiny: validation loss is nan at epoch 1; the run stopped"):
        train.train(model, synthetic(64, seed=0, shape=(3, 28, 28)), None, ADAM, device=device, seed=0,
                    val_set=synthetic(32, seed=1, shape=(3, 28, 28)), name="tiny")
    assert issubclass(train.NonFiniteLoss, errors.MeasurementError)


def test_epoch_line_names_the_held_out_set_as_the_recipe_does() -> None:
    lines: list[str] = []
    train_set, val_set = synthetic(64, seed=0, shape=(3, 28, 28)), synthetic(32, seed=1, shape=(3, 28, 28))
    train.train(small_cnn(3), train_set, None, ADAM, device="cpu", seed=0, val_set=val_set, name="tiny",
                on_epoch=lines.append)
    train.train(small_cnn(3), train_set, val_set, ADAM, device="cpu", seed=0, name="tiny", on_epoch=lines.append)
    train.train(small_cnn(3), train_set, val_set, ADAM, device="cpu", seed=0, val_set=val_set,
                name="a_model_name_far_longer_than_the_line_allows", on_epoch=lines.append)
    number = r"[\d.e+-]+"
    assert re.fullmatch(rf"tiny epoch 1/2  loss {number}  train acc {number}%  val acc {number}%  "
                        rf"{number} s/epoch  ETA \d+s", lines[0]), lines[0]
    assert lines[1].startswith("tiny epoch 2/2") and lines[1].endswith("ETA 0s")
    assert "  test acc " in lines[2] and "val acc" not in lines[2], "no validation set: the held-out set is test"
    assert lines[4].startswith("a_model_name_far_longer_tha… epoch 1/2  loss ") and "  test acc " in lines[4]


def test_epoch_line_names_the_seed_and_counts_the_claims_later_runs_in_its_eta() -> None:
    """A run with runs after it: its seed of the claim's, and an ETA over the epochs still to train in all (this run's
    and the later runs'), at this run's pace and saying so; the last run's ETA is its own, ending at 0s."""
    lines: list[str] = []
    dataset = synthetic(64, seed=0, shape=(3, 28, 28))
    later = train.RunPlace(seed=1, seeds=3, runs_after=1, epochs_after=ADAM.epochs)
    train.train(small_cnn(3), dataset, dataset, ADAM, device="cpu", seed=1, name="tiny", on_epoch=lines.append,
                place=later)
    train.train(small_cnn(3), dataset, dataset, ADAM, device="cpu", seed=2, name="tiny", on_epoch=lines.append,
                place=train.RunPlace(seed=2, seeds=3))
    first = re.fullmatch(r"tiny seed 1 \(2 of 3\) epoch 1/2  loss \S+  train acc \S+  test acc \S+  \S+ s/epoch  "
                         r"ETA \S+ \(this seed \S+, 1 more seed at its pace\)", lines[0])
    assert first, lines[0]
    assert lines[1].startswith("tiny seed 1 (2 of 3) epoch 2/2  ") and lines[1].endswith(
        " (this seed 0s, 1 more seed at its pace)"), "the claim's next seed is still to train"
    assert lines[2].startswith("tiny seed 2 (3 of 3) epoch 1/2  ") and lines[3].endswith("s/epoch  ETA 0s")


def test_eta_adds_the_later_runs_epochs_at_this_runs_pace() -> None:
    """30 s an epoch, 3 epochs left here and 10 in the two runs after: 6m30s in all, 1m30s of it this seed's."""
    assert train._eta(30.0, 3, None) == "ETA 1m30s"
    assert train._eta(30.0, 3, train.RunPlace(seed=0, seeds=3)) == "ETA 1m30s"
    assert (train._eta(30.0, 3, train.RunPlace(seed=0, seeds=3, runs_after=2, epochs_after=10))
            == "ETA 6m30s (this seed 1m30s, 2 more seeds at its pace)")


@pytest.mark.parametrize("seconds, shown", [(0.4, "0s"), (45, "45s"), (456, "7m36s"), (7500, "2h05m")])
def test_durations_read_as_a_clock(seconds: float, shown: str) -> None:
    assert train.duration(seconds) == shown


def test_drop_last_trains_whole_batches_only() -> None:
    recipe = dataclasses.replace(ADAM, batch_size=24, epochs=1)
    assert train.batch_sizes(recipe, 64) == [24, 24, 16]
    assert train.batch_sizes(dataclasses.replace(recipe, drop_last=True), 64) == [24, 24]
    seen: list[int] = []
    model = small_cnn(3)
    model.register_forward_pre_hook(lambda module, inputs: seen.append(len(inputs[0])) if module.training else None)
    train.train(model, synthetic(64, seed=0, shape=(3, 28, 28)), None, dataclasses.replace(recipe, drop_last=True),
                device="cpu", seed=0)
    assert seen == [24, 24]
    with pytest.raises(ValueError, match="drop_last with 20 training images and batch size 24 leaves no batch"):
        train.train(small_cnn(3), synthetic(20, seed=0, shape=(3, 28, 28)), None,
                    dataclasses.replace(recipe, drop_last=True), device="cpu", seed=0, name="tiny")


def test_adam_and_adamw_take_the_recipes_eps() -> None:
    for optimizer in ("adam", "adamw"):
        recipe = dataclasses.replace(ADAM, optimizer=optimizer, eps=1e-7)
        assert train._optimizer(small_cnn(), recipe).param_groups[0]["eps"] == 1e-7
    assert train._optimizer(small_cnn(), ADAM).param_groups[0]["eps"] == 1e-8


def test_mean_std_normalisation_reaches_training_and_evaluation() -> None:
    recipe = dataclasses.replace(ADAM, normalize="mean_std", mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25),
                                 augment=("crop", "flip"))
    batch = train._training_batch(synthetic(8, seed=0), torch.arange(8), recipe, torch.Generator().manual_seed(0))
    assert batch.min() >= -2.0 and batch.max() <= 2.0 and batch.min() < -1.5
    evaluation = train.evaluate(small_cnn(3), synthetic(8, seed=0, shape=(3, 28, 28)), recipe, device="cpu")
    assert math.isfinite(evaluation.loss)


def test_corrupt_checkpoint_names_its_file(tmp_path: Path) -> None:
    checkpoint = tmp_path / "run.ckpt"
    checkpoint.write_bytes(b"not a checkpoint")
    with pytest.raises(train.CorruptCheckpoint, match=rf"^{checkpoint}: corrupt checkpoint"):
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, ADAM, device="cpu", seed=0,
                    checkpoint=checkpoint)


def test_a_checkpoint_of_random_bytes_is_corrupt_without_torchs_advice(tmp_path: Path) -> None:
    """torch's UnpicklingError advises loading with weights_only=False: wrong for bytes that are no checkpoint,
    and unsafe."""
    checkpoint = tmp_path / "run.ckpt"
    checkpoint.write_bytes(bytes([246]) * 5000)  # no pickle opcode: what random bytes mostly begin with
    with pytest.raises(train.CorruptCheckpoint) as raised:
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, ADAM, device="cpu", seed=0,
                    checkpoint=checkpoint)
    assert str(raised.value) == f"{checkpoint}: corrupt checkpoint (not a torch checkpoint: UnpicklingError)"


@pytest.mark.parametrize("cut", [1, 30, 1000])
def test_a_checkpoint_cut_short_is_corrupt(tmp_path: Path, cut: int) -> None:
    """torch's zip reader fails on a checkpoint whose end is cut off (a killed copy, a full disk) with an
    ``OSError`` (EINVAL) of what the file holds: it is corrupt, set aside and trained again, not an unreadable file
    left in place to fail every later session."""
    checkpoint = tmp_path / "run.ckpt"
    torch.save({"fingerprint": "run", "weights": torch.zeros(1000)}, checkpoint)
    checkpoint.write_bytes(checkpoint.read_bytes()[:-cut])
    with pytest.raises(train.CorruptCheckpoint, match=rf"^{checkpoint}: corrupt checkpoint \(truncated or not a "
                                                      r"checkpoint: it could not be read \(\w+: .+\)\)$"):
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, ADAM, device="cpu", seed=0,
                    checkpoint=checkpoint)


def test_a_checkpoint_that_cannot_be_read_is_an_error_and_kept(
        tmp_path: Path, unreadable: Callable[[Path, int], None]) -> None:
    """No permission to read it says nothing of its content: the run is an error naming it, not a
    ``CorruptCheckpoint`` that the run store sets aside, losing its epochs."""
    checkpoint = tmp_path / "run.ckpt"
    checkpoint.write_bytes(b"not a checkpoint")  # corrupt, were it read
    unreadable(checkpoint, errno.EACCES)
    with pytest.raises(errors.MeasurementError) as raised:
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, ADAM, device="cpu", seed=0,
                    checkpoint=checkpoint)
    assert str(raised.value) == (f"{checkpoint}: cannot read the checkpoint (Permission denied); left as it is: "
                                 "make it readable, or delete it to train from epoch 1")


class FullDisk(io.FileIO):
    """A file on a full disk: every write fails with ENOSPC."""

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_checkpoint_the_disk_has_no_room_for_is_an_os_error_naming_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk fails the write of epoch 2's checkpoint, streamed to its file by torch's zip writer, with an
    ``OSError`` naming it (that writer turns the error it meets into a ``RuntimeError`` naming nothing); epoch 1's
    checkpoint is kept, nothing else left."""
    checkpoint = tmp_path / "run.ckpt"
    open_file, written = Path.open, []

    def full_after_one(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        if "w" in mode:
            if written:
                return FullDisk(path, "w")
            written.append(path)
        return open_file(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full_after_one)
    with pytest.raises(OSError) as raised:
        train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, ADAM, device="cpu", seed=0,
                    checkpoint=checkpoint)
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(checkpoint))
    assert [epoch["epoch"] for epoch in torch.load(checkpoint, weights_only=True)["history"]["epochs"]] == [1]
    assert list(tmp_path.iterdir()) == [checkpoint]


def test_a_checkpoint_is_streamed_to_its_file_never_held_whole_in_memory(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """torch's zip writer hands the file each record as it serialises it: no write holds the whole checkpoint (a
    copy of it all in memory, as large as the weights and the optimizer's state together)."""
    checkpoint, open_file, written = tmp_path / "run.ckpt", Path.open, []

    class Recorded(io.FileIO):
        def write(self, data: Any) -> int:
            written.append(memoryview(data).nbytes)
            return super().write(data)

    def recording(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        return Recorded(path, "w") if "w" in mode else open_file(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", recording)
    train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, dataclasses.replace(ADAM, epochs=1),
                device="cpu", seed=0, checkpoint=checkpoint)
    assert sum(written) == checkpoint.stat().st_size and max(written) < checkpoint.stat().st_size / 2, written
    assert train.saved(checkpoint).epochs == 1


def test_a_checkpoint_logging_more_epochs_than_its_recipe_is_corrupt(tmp_path: Path) -> None:
    """Its fingerprint and digest match, yet it cannot be this run's: refused, not returned as a finished run; one
    whose epochs are not numbered 1 on is refused naming its history."""
    checkpoint, dataset = tmp_path / "run.ckpt", synthetic(64, seed=0, shape=(3, 28, 28))
    train.train(small_cnn(3), dataset, None, ADAM, device="cpu", seed=0, checkpoint=checkpoint)
    state = torch.load(checkpoint, weights_only=False)
    state["history"]["epochs"].append({**state["history"]["epochs"][-1], "epoch": 3})
    torch.save({**state, "sha256": train._state_digest(state)}, checkpoint)
    with pytest.raises(train.CorruptCheckpoint, match=rf"^{checkpoint}: .*3 epochs logged of 2"):
        train.train(small_cnn(3), dataset, None, ADAM, device="cpu", seed=0, checkpoint=checkpoint)
    state["history"]["epochs"][-1]["epoch"] = 2
    torch.save({**state, "sha256": train._state_digest(state)}, checkpoint)
    with pytest.raises(train.CorruptCheckpoint, match=rf"^{checkpoint}: .*ValueError: history: Value error, epochs "
                                                     "are not numbered"):
        train.train(small_cnn(3), dataset, None, ADAM, device="cpu", seed=0, checkpoint=checkpoint)


def test_step_costs_at_given_threads_time_those_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """An epoch timed on every core is estimated at every core, not at the count a busy machine's probe chooses."""
    set_to: list[int] = []
    monkeypatch.setattr(torch, "get_num_threads", lambda: 1)
    monkeypatch.setattr(torch, "set_num_threads", set_to.append)
    [cost] = train.step_costs([(small_cnn(3), train.Accel())], synthetic(64, seed=0, shape=(3, 28, 28)), ADAM,
                              device="cpu", threads=2)
    assert cost.threads == 2 and set_to[::2] == [2] * (1 + train.PROBE_STEPS) and set(set_to[1::2]) == {1}


def test_step_cost_times_a_fixed_number_of_steps_and_picks_threads(monkeypatch: pytest.MonkeyPatch,
                                                                    device: str) -> None:
    """Whatever the clock says, the probe takes one warm-up and PROBE_STEPS timed steps per thread count: one
    and the process's on the CPU, the process's alone on CUDA (timed by CUDA events)."""
    steps: list[int] = []
    model = small_cnn(3)
    model.register_forward_pre_hook(lambda module, inputs: steps.append(torch.get_num_threads()) if module.training
                                    else None)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    monkeypatch.setattr(torch, "set_num_threads", lambda n: None)
    cost = train.step_cost(model, synthetic(64, seed=0, shape=(3, 28, 28)), ADAM, device=device)
    counts = (1, 2) if device == "cpu" else (2,)
    assert len(steps) == len(counts) * (1 + train.PROBE_STEPS)
    assert cost.threads in counts and cost.train_seconds > 0 and cost.eval_seconds > 0


def timed(warm_up: float, *steps: float, evaluation: float = 0.1) -> list[tuple[float, float]]:
    """A thread count's (training, evaluation) seconds as the probe times them: a warm-up step, then the timed."""
    return [(warm_up, warm_up)] + [(step, evaluation) for step in steps]


@pytest.mark.parametrize(("one_thread", "chosen"), [
    (1.05, 1),  # every core less than MORE_THREADS_GAIN faster: one thread, which a busy machine slows least
    (2.0, 2),   # clearly faster: every core
    (1.0, 1),   # a tie: one thread
    (0.5, 1),   # one thread faster: every core's OpenMP threads spinning on a loaded machine
])
def test_the_probe_takes_every_core_only_when_more_threads_gain_faster(one_thread: float, chosen: int) -> None:
    cost = train._fastest({2: timed(9.0, 1.0, 1.0, 1.0, evaluation=0.2), 1: timed(9.0, *[one_thread] * 3)})
    assert cost == train.StepCost(train_seconds={2: 1.0, 1: one_thread}[chosen],
                                  eval_seconds={2: 0.2, 1: 0.1}[chosen], threads=chosen)


def test_every_core_exactly_more_threads_gain_faster_is_not_enough() -> None:
    """The gain is a strict bound: one thread at exactly ``MORE_THREADS_GAIN`` times every core's step stays."""
    gain = train.MORE_THREADS_GAIN
    every_core = timed(9.0, 1.0, 1.0, 1.0)
    assert train._fastest({2: every_core, 1: timed(9.0, gain, gain, gain)}).threads == 1
    above = math.nextafter(gain, math.inf)
    assert train._fastest({2: every_core, 1: timed(9.0, above, above, above)}).threads == 2


def test_the_thread_count_is_chosen_by_the_medians_of_the_timed_steps() -> None:
    """A slow warm-up (first-call allocations) or one slow timed step (a moment's load) moves no choice: with
    the warm-up, every core's median would be 3 s; their mean is 2.33 s; their median 1 s, 1.5x faster."""
    cost = train._fastest({2: timed(100.0, 1.0, 5.0, 1.0), 1: timed(0.1, 1.5, 1.5, 1.5)})
    assert cost.threads == 2 and cost.train_seconds == 1.0


def test_a_single_thread_count_is_taken_as_timed() -> None:
    """``threads`` given, or CUDA: nothing to weigh it against."""
    assert train._fastest({4: timed(9.0, 3.0, 2.0, 2.5)}) == train.StepCost(2.5, 0.1, 4)


class ThreadClock:
    """``train.Timer`` and torch's thread count for a probe: every step at ``n`` threads takes ``seconds[n]``;
    the process starts at the largest count."""

    def __init__(self, seconds: dict[int, float]) -> None:
        self.seconds = seconds
        self.threads = max(seconds)

    def timer(self, device: torch.device) -> ThreadClock:
        return self

    def set_threads(self, threads: int) -> None:
        self.threads = threads

    def start(self) -> None:
        pass

    def stop(self) -> float:
        return self.seconds[self.threads]

    def end(self) -> Callable[[], float]:
        seconds = self.stop()
        return lambda: seconds

    def wait(self) -> None:
        pass


@pytest.mark.parametrize(("seconds", "chosen"), [({2: 1.0, 1: 1.05}, 1), ({2: 1.0, 1: 2.0}, 2)])
def test_the_probe_weighs_the_processs_thread_count_against_one(monkeypatch: pytest.MonkeyPatch,
                                                                 seconds: dict[int, float], chosen: int) -> None:
    clock = ThreadClock(seconds)
    monkeypatch.setattr(torch, "get_num_threads", lambda: clock.threads)
    monkeypatch.setattr(torch, "set_num_threads", clock.set_threads)
    monkeypatch.setattr(train, "Timer", clock.timer)
    [cost] = train.step_costs([(small_cnn(3), train.Accel())], synthetic(64, seed=0, shape=(3, 28, 28)), ADAM,
                              device="cpu")
    assert cost.threads == chosen and cost.train_seconds == seconds[chosen]


class FakeEvent:
    """``torch.cuda.Event`` without a GPU: keeps the stream it was recorded on; 250 ms from any event to another."""

    def __init__(self, enable_timing: bool) -> None:
        self.stream: tuple[str, torch.device] | None = None

    def record(self, stream: tuple[str, torch.device] | None = None) -> None:
        self.stream = stream

    def elapsed_time(self, end: FakeEvent) -> float:
        return 250.0


def test_cuda_timer_records_on_the_stream_of_its_own_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pytest-xdist worker trains on ``cuda:1`` while GPU 0 stays the current device: both events go on
    cuda:1's stream, not GPU 0's idle one (which would time only the host's queueing), and cuda:1 is synchronised."""
    events: list[FakeEvent] = []
    synchronised: list[torch.device] = []

    def event(enable_timing: bool) -> FakeEvent:
        events.append(FakeEvent(enable_timing))
        return events[-1]

    monkeypatch.setattr(torch.cuda, "Event", event)
    monkeypatch.setattr(torch.cuda, "current_stream",
                        lambda device=None: ("stream", torch.device("cuda:0" if device is None else device)))
    monkeypatch.setattr(torch.cuda, "synchronize", synchronised.append)
    timer = train.Timer(torch.device("cuda:1"))
    timer.start()
    assert timer.stop() == 0.25
    assert [e.stream for e in events] == [("stream", torch.device("cuda:1"))] * 2
    assert synchronised == [torch.device("cuda:1")]


class HostClock:
    """``time.perf_counter`` and an accelerator's ``synchronize`` that log their calls in order; the clock ticks 2 s."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.now = 0.0

    def perf_counter(self) -> float:
        self.calls.append("clock")
        self.now += 2.0
        return self.now

    def synchronize(self, *device: torch.device) -> None:
        self.calls.append("synchronize")


def test_an_mps_interval_is_read_after_the_device_has_run_its_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """mps queues its kernels as CUDA does: the clock is read only once ``torch.mps.synchronize`` has waited for the
    work queued before the interval began and within it, or an epoch would time how fast the host queued it."""
    clock = HostClock()
    monkeypatch.setattr(time, "perf_counter", clock.perf_counter)
    monkeypatch.setattr(torch.mps, "synchronize", clock.synchronize)
    timer = train.Timer(torch.device("mps"))
    timer.start()
    assert timer.stop() == 2.0
    assert clock.calls == ["synchronize", "clock", "synchronize", "clock"]


class SyncedEvent(FakeEvent):
    """A ``FakeEvent`` whose time may be read only after a ``torch.cuda.synchronize`` that followed its record."""

    synchronised: list[torch.device]

    def record(self, stream: tuple[str, torch.device] | None = None) -> None:
        super().record(stream)
        self.waits = len(self.synchronised)

    def elapsed_time(self, end: FakeEvent) -> float:
        assert len(self.synchronised) > max(self.waits, end.waits), "an event was read before the GPU ran it"
        return super().elapsed_time(end)


REAL_TIMER = train.Timer


def test_the_probe_waits_for_a_gpu_once_not_at_every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe's steps are timed by CUDA events recorded as they are queued, and read after one synchronise at
    the end: a synchronise after every step would make the host wait for the GPU at each one, which a run never
    does. The model trains on the CPU here, its timer on a fake ``cuda:0``."""
    synchronised: list[torch.device] = []
    SyncedEvent.synchronised = synchronised
    monkeypatch.setattr(torch.cuda, "Event", SyncedEvent)
    monkeypatch.setattr(torch.cuda, "current_stream", lambda device=None: ("stream", torch.device(device)))
    monkeypatch.setattr(torch.cuda, "synchronize", synchronised.append)
    monkeypatch.setattr(train, "Timer", lambda device: REAL_TIMER(torch.device("cuda:0")))
    [cost] = train.step_costs([(small_cnn(3), train.Accel())], synthetic(64, seed=0, shape=(3, 28, 28)), ADAM,
                              device="cpu", threads=1)
    assert synchronised == [torch.device("cuda:0")]
    assert cost == train.StepCost(train_seconds=0.25, eval_seconds=0.25, threads=1)


class FakeGenerator:
    """The mps generator's ``get_rng_state`` and ``set_rng_state`` without a Mac: a state tensor held here."""

    def __init__(self) -> None:
        self.state = torch.tensor([1, 2, 3], dtype=torch.uint8)

    def get_rng_state(self, device: object = "mps") -> torch.Tensor:
        return self.state.clone()

    def set_rng_state(self, state: torch.Tensor, device: object = "mps") -> None:
        self.state = state.clone()


def test_a_checkpoint_keeps_the_mps_generator_and_a_resumed_run_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dropout on mps draws from mps's own generator, as on CUDA from the GPU's: a checkpoint saves its state and a
    resumed run restores it, or the resumed epochs would drop other units than the uninterrupted run's."""
    generator = FakeGenerator()
    monkeypatch.setattr(torch.mps, "get_rng_state", generator.get_rng_state)
    monkeypatch.setattr(torch.mps, "set_rng_state", generator.set_rng_state)
    model = small_cnn(3)
    run = train._Run(model, train._optimizer(model, ADAM), None, None, None, None, torch.Generator(),
                     torch.device("mps"))
    run.record(Epoch(1, 1e-3, 1.0, 1.0, 50.0, None, None))
    saved = run.state_dict()
    generator.state = torch.tensor([9, 9, 9], dtype=torch.uint8)  # later epochs drew from it
    run.load_state_dict(saved)
    assert generator.state.tolist() == [1, 2, 3]


class CurrentDevice:
    """``accelerators.current`` that keeps the device it makes current, and a ``train.Timer`` that says which device was
    current as it started and stopped."""

    def __init__(self) -> None:
        self.current: list[torch.device] = []
        self.timed: list[list[torch.device]] = []

    @contextlib.contextmanager
    def on_device(self, device: torch.device) -> Iterator[None]:
        self.current.append(device)
        try:
            yield
        finally:
            self.current.pop()

    def timer(self, device: torch.device) -> CurrentDevice:
        return self

    def start(self) -> None:
        self.timed.append(list(self.current))

    def stop(self) -> float:
        self.timed.append(list(self.current))
        return 1.0

    def end(self) -> Callable[[], float]:
        seconds = self.stop()
        return lambda: seconds

    def wait(self) -> None:
        pass


def test_training_and_the_probe_run_with_their_device_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every step ``train`` and ``step_costs`` time runs with the run's device current (``accelerators.current``)."""
    spy = CurrentDevice()
    monkeypatch.setattr(accelerators, "current", spy.on_device)
    monkeypatch.setattr(train, "Timer", spy.timer)
    train.step_costs([(small_cnn(3), train.Accel())], synthetic(64, seed=0, shape=(3, 28, 28)), ADAM, device="cpu")
    recipe = dataclasses.replace(ADAM, epochs=1)
    train.train(small_cnn(3), synthetic(64, seed=0, shape=(3, 28, 28)), None, recipe, device="cpu", seed=0)
    assert spy.timed and all(current == [torch.device("cpu")] for current in spy.timed)


def test_where_a_further_run_lands_never_narrows_below_the_runs_own_scatter() -> None:
    """``prediction95``: t95(n - 1)·s·sqrt(1/runs + 1/n) around the mean, where the mean's own interval
    (``interval95``) shrinks as 1/sqrt(n); the mean of several further runs lands closer."""
    assert metrics.prediction95([1.0, 2.0, 3.0]) == pytest.approx((2.0, 4.303 * math.sqrt(4 / 3)))
    assert metrics.prediction95([1.0, 2.0, 3.0], runs=3) == pytest.approx((2.0, 4.303 * math.sqrt(2 / 3)))
    many = [1.0, 2.0, 3.0] * 20  # s = 0.8233, t(59) = 2.001
    assert metrics.prediction95(many)[1] == pytest.approx(2.001 * 0.82339 * math.sqrt(1 + 1 / 60), rel=1e-4)
    assert metrics.interval95(many)[1] == pytest.approx(2.001 * 0.82339 / math.sqrt(60), rel=1e-4)
    for values, runs in (([1.0], 1), ([1.0, 2.0], 0)):
        with pytest.raises(ValueError):
            metrics.prediction95(values, runs)


def test_seeds_that_scatter_less_than_one_step_of_their_statistic_are_taken_to_scatter_one_step() -> None:
    """Three seeds whose best epoch is 50 each have s = 0, and gave a 95% interval of width 0: a statistic that
    moves in steps takes at least one step as its scatter; seeds that scatter more keep their own."""
    assert metrics.prediction95([50.0] * 3, step=1.0) == pytest.approx((50.0, 4.303 * math.sqrt(4 / 3)))
    assert metrics.prediction95([49.0, 50.0, 50.0], step=1.0) == pytest.approx((49 + 2 / 3, 4.303 * math.sqrt(4 / 3)))
    assert metrics.prediction95([1.0, 2.0, 3.0], step=0.5) == metrics.prediction95([1.0, 2.0, 3.0])
    assert metrics.prediction95_limit([50.0] * 3, runs=4, step=1.0) == pytest.approx(1.96 / 2)
    assert metrics.floored([50.0] * 3, 1.0) and not metrics.floored([50.0] * 3, 0.0)
    assert not metrics.floored([1.0, 2.0, 3.0], 0.5)


def test_a_checkpoint_saved_before_wall_seconds_were_kept_resumes(tmp_path: Path) -> None:
    """A checkpoint without the sessions' wall seconds is no corrupt one: its epochs resume, counted from 0 s."""
    checkpoint = tmp_path / "run.ckpt"
    state: dict[str, Any] = {"fingerprint": {"model": "m", "seed": 0}, "history": {"epochs": []}, "note": None}
    state["sha256"] = train._state_digest(state)
    torch.save(state, checkpoint)
    assert train.saved(checkpoint).wall_seconds == 0.0
