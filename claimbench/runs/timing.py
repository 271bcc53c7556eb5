"""Epoch-time claims: training epochs of the claim's recipe timed with pytest-benchmark, as the author ran them
(fp32 unless asked otherwise, on every thread torch takes on the machine by default, unless the claim names its
count), on a machine that nothing
else keeps busy."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from claimbench import environment, errors, registry, train
from claimbench.ledger import Claim
from claimbench.runs import cost, splits
from claimbench.runs.settings import Settings

__all__ = ["BUSY_CORES", "TIMING_ROUNDS", "EpochTime", "OtherProcesses", "same_hardware", "time_epoch"]

TIMING_ROUNDS = 3
"""Timed epochs per timing claim, after one warm-up epoch."""
BUSY_CORES = 0.25
"""Other processes running more than this many cores' worth while an epoch is timed on the CPU make its time the
machine's, not the model's: an error of ours, never a verdict. An accelerator's epoch is not checked: one pytest-xdist
worker per GPU keeps the host's cores busy by design."""


@dataclass(frozen=True)
class EpochTime:
    """Seconds per training epoch (median of the timed ``rounds``) on the hardware the claim names."""

    seconds: float
    rounds: tuple[float, ...]
    device: str
    verified: bool
    """Whether the data's checksums matched (a truncated or altered dataset changes an epoch's time)."""
    load: str
    """Why the machine's load while the epochs were timed could not be measured; ``""`` where it was, or on an
    accelerator (``on_accelerator``)."""
    finding: str = ""
    """Of unverified data, what differs of it from the published (``splits.Splits.finding``)."""
    partial: str = ""
    """Of unverified data, its splits that hold another number of images than the published
    (``splits.Splits.partial``)."""
    on_accelerator: bool = False
    """Timed on an accelerator, whose load by other processes nothing measures (``BUSY_CORES``)."""


def _cpu_seconds() -> tuple[float, float] | None:
    """(CPU seconds every process has run, this process's), so far; None where Linux's ``/proc/stat`` is not."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()
        user, nice, system, _, _, irq, softirq, steal = map(int, fields[1:9])
    except (OSError, ValueError):
        return None
    own = os.times()
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK"), own.user + own.system


def _unmeasured_load() -> str:
    """Why other processes' load cannot be measured on this system, in one line."""
    return f"other processes' CPU time comes from Linux's /proc/stat, which this system ({platform.system()}) lacks"


def _timed(epoch: EpochTime) -> str:
    """What was timed, in words for a reason that keeps no measurement: the median, the range and the device."""
    return (f"{len(epoch.rounds)} timed epochs on {epoch.device} took a median {epoch.seconds:.3g} s, range "
            f"[{min(epoch.rounds):.3g}, {max(epoch.rounds):.3g}] s")


def _cores(others: list[tuple[float, float]]) -> float:
    """How many cores' worth other processes ran over epochs of (their CPU seconds, wall seconds): summed before
    dividing, as ``/proc/stat`` counts in 10 ms ticks, which one short epoch alone would magnify."""
    wall = sum(seconds for _, seconds in others)
    return max(0.0, sum(cpu for cpu, _ in others)) / wall if wall > 0 else 0.0


@dataclass
class OtherProcesses:
    """Other processes' CPU load over spans of this process's work (``during``), from Linux's ``/proc/stat``: a
    child process counts as another."""

    spans: list[tuple[float, float]] = field(default_factory=list)
    """(Other processes' CPU seconds, wall seconds) of each span where ``/proc/stat`` could be read."""

    @contextlib.contextmanager
    def during(self) -> Iterator[None]:
        """Measure other processes' CPU seconds over the ``with`` block, as one span."""
        before, start = _cpu_seconds(), time.perf_counter()
        yield
        after, wall = _cpu_seconds(), time.perf_counter() - start
        if before is not None and after is not None:
            self.spans.append(((after[0] - before[0]) - (after[1] - before[1]), wall))

    def cores(self) -> float | None:
        """How many cores' worth other processes ran over every span (``_cores``); None where none was measured."""
        return _cores(self.spans) if self.spans else None


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", name.casefold()))


_COUNT = re.compile(r"\b(\d+)(?:[\s-]+([a-z]+))?[\s-]+(thread|core)s?\b")
"""A number that counts threads or cores, a word between them or none ("1 thread", "(2 threads)", "8-core", "1 CPU
thread"): no model number. Not "CPU" (an "i7-8700 CPU" is no 8700 of anything)."""


def _counts(name: str) -> tuple[set[tuple[str, str]], set[str]]:
    """The (number, what it counts) of a device's name, and the words of the rest (a word between a number and
    what it counts, "CPU" of "1 CPU thread", among them)."""
    text = name.casefold()
    counts = {(match[1], match[3]) for match in _COUNT.finditer(text)}
    return counts, _words(_COUNT.sub(lambda match: f" {match[2] or ''} ", text))


ARCHITECTURES = frozenset({"x86", "64", "amd64", "arm64", "aarch64", "i386", "i686"})
"""Words of an instruction set, which name no one device ("x86_64 CPU" is any PC)."""
VARIANTS = frozenset({"ti", "super", "xt", "xtx", "laptop", "mobile", "max", "pro", "ultra", "plus", "ada"})
"""Words that make another device of the same model number: an "RTX 3070" is not an "RTX 3070 Ti", a Quadro "RTX
6000" no "RTX 6000 Ada Generation"."""


def same_hardware(claimed: str, ours: str) -> bool:
    """Whether the claim's hardware names our device: each of its words is one of ours, one of them is a model
    number (not an instruction set's, nor a count of threads or cores), a count it gives is ours too, and our
    variant words are its too ("RTX 3070 Laptop" is "NVIDIA GeForce RTX 3070 Laptop GPU"; "RTX 3070" is not, nor is
    a bare "NVIDIA", "CPU", "x86_64" or "CPU, 1 thread" any device)."""
    return _same_model(claimed, ours) and _counts(claimed)[0] <= _counts(ours)[0]


def _same_model(claimed: str, ours: str) -> bool:
    """Whether the claim's hardware names our device's model (``same_hardware``), whatever count it gives."""
    named, own = _counts(claimed)[1], _counts(ours)[1]
    return bool(_model_numbers(named)) and named <= own and own & VARIANTS <= named


def _model_numbers(words: set[str]) -> set[str]:
    """The words of a device's name (counts set aside, ``_counts``) that may be its model number: those with a
    digit, an instruction set's aside."""
    return {word for word in words - ARCHITECTURES if any(char.isdigit() for char in word)}


def _other_hardware(claimed: str, ours: str) -> str:
    """Why an epoch time timed on ``claimed`` is not judged on our device ``ours``, and what would have it judged,
    in one line."""
    why = f"the claim was timed on {claimed}, and this machine is {ours}"
    if not _model_numbers(_counts(ours)[1]):
        return f"{why}: no epoch time can be judged on this machine, whose name has no model number"
    other_count = _other_count(claimed, ours)
    if other_count:
        return f"{why}: {other_count}"
    return (f"{why}: an epoch time is judged only on the hardware it names; to be judged here, its hardware must "
            f"name this device's model ({ours!r})")


def _other_count(claimed: str, ours: str) -> str:
    """Where the claim's hardware names this CPU's model but another count of threads or cores, what differs and
    how to time the claim on the count it names, in one line; ``""`` otherwise (another model, or a GPU)."""
    counted, own_counts = _counts(claimed)[0], _counts(ours)[0]
    if not _same_model(claimed, ours) or len(own_counts) != 1:
        return ""
    given, ran = (", ".join(f"{number} {what}{'s' * (number != '1')}" for number, what in sorted(counts))
                  for counts in (counted, own_counts))
    why = f"its hardware names this device's model but {given}, and this process runs {ran}"
    if len(counted) == 1 and all(what == "thread" for _, what in counted):
        number = next(iter(counted))[0]
        return f"{why}: to be judged here, time it alone on that count (OMP_NUM_THREADS={number} pytest -p no:xdist)"
    return (f"{why}: to be judged here, its hardware must name the thread count the author's run had instead "
            f"('<n> threads'), and the claim be timed alone on that count (OMP_NUM_THREADS=<n> pytest -p no:xdist)")


_UNLIMITED_THREADS = ("import contextlib, os\n"
                      "with contextlib.suppress(AttributeError, OSError):  # no affinity here, or a cpuset forbids it\n"
                      "    os.sched_setaffinity(0, range(os.cpu_count() or 1))\n"
                      "import torch\n"
                      "print(torch.get_num_threads())")
"""A fresh process free to run on every CPU (``taskset`` undone) that prints the threads torch takes in it."""


@functools.cache
def _default_threads() -> int:
    """The threads torch takes by default on this machine with no limit: in a fresh process free to run on every CPU,
    without ``OMP_NUM_THREADS`` or ``MKL_NUM_THREADS`` (its physical cores on MKL and OpenMP builds, the performance
    cores on Apple silicon: not the logical CPUs ``os.cpu_count()`` counts on a hyper-threaded or hybrid CPU). Asked
    once per process; ``MeasurementError`` where that process fails."""
    env = {name: value for name, value in os.environ.items() if name not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    fresh = subprocess.run([sys.executable, "-c", _UNLIMITED_THREADS], env=env, capture_output=True, text=True)
    if fresh.returncode or not fresh.stdout.strip().isdigit():
        last = (fresh.stderr.strip().splitlines() or ["no output"])[-1]
        raise errors.MeasurementError(f"cannot tell how many threads torch takes on this machine by default: a fresh "
                               f"Python process exited {fresh.returncode}: {last}")
    return int(fresh.stdout)


def _threads(claimed: str, device: str) -> int:
    """The threads to time on: the process's (the author's: every core, not the probe's choice), but on a CPU no
    more than torch takes on it by default, unless the claim's hardware names that count (a lone pytest-xdist
    worker is given every logical CPU of a hyper-threaded one, where torch takes its physical cores)."""
    threads = torch.get_num_threads()
    if torch.device(device).type != "cpu" or str(threads) in {n for n, _ in _counts(claimed)[0]}:
        return threads
    return min(threads, _default_threads())


def _fewer_threads(claimed: str, device: str, threads: int) -> str:
    """Why an epoch time on this CPU would be timed on fewer threads than torch takes on it by default (pytest-xdist
    workers share them out, ``OMP_NUM_THREADS`` or ``taskset`` limit the process), in one line; ``""`` where it
    would use them all, where the claim's hardware names that thread or core count, or on a GPU."""
    if torch.device(device).type != "cpu" or str(threads) in {n for n, _ in _counts(claimed)[0]}:
        return ""
    default = _default_threads()
    if threads >= default:
        return ""
    count = f"{threads} thread{'s' * (threads != 1)}"
    return (f"the epochs would be timed on {count} of the {default} torch takes on this machine by default "
            f"(pytest-xdist workers, OMP_NUM_THREADS or taskset leave this process fewer), and the claim's hardware "
            f"{claimed!r} names no such count: an epoch time on a CPU is judged on every thread torch takes on it; "
            f"time it alone (-p no:xdist, no OMP_NUM_THREADS, no taskset), or, where the author's run had {count}, "
            f"say so in its hardware ('{claimed}, {count}')")


def time_epoch(claim: Claim, settings: Settings, benchmark: Any) -> EpochTime:
    """Time training epochs of the claim's recipe with pytest-benchmark (one warm-up, then the rounds).

    An epoch is the training pass plus the validation pass, as Keras' ``fit()`` times one; the
    seconds are the engine's own (``train.Timer``: CUDA events read after a synchronise on CUDA, perf_counter after
    one on mps, perf_counter on the CPU).
    """
    recipe = claim.recipe
    if recipe is None or claim.model is None or claim.hardware is None:
        raise ValueError(f"{claim.id}: a timing claim needs model, hardware and recipe")
    device = splits.device(claim, settings)
    threads = _threads(claim.hardware, device)
    ours = environment.device_name(device, threads)
    if not same_hardware(claim.hardware, ours):  # decided before anything is timed: no time of ours is shown
        raise errors.NotRunnable(_other_hardware(claim.hardware, ours))
    fewer = _fewer_threads(claim.hardware, device, threads)
    if fewer:  # so is a CPU timed on part of its cores
        raise errors.NotRunnable(fewer)
    sets = splits.load(claim, recipe, 0, settings)
    train_set, val_set = sets.train, sets.val
    one_epoch = dataclasses.replace(recipe, epochs=1, plateau=None, step=None, early_stopping=None, schedule="constant")
    eval_images = len(val_set) if val_set is not None else 0
    # The author's numerics, not the fastest: fp32, unless --claims-train-precision=bf16 asks for bf16.
    accel = train.Accel(autocast=train.AUTOCAST.get(settings.precision), compile=settings.compile)
    probed = cost.timing_step(claim.model, recipe, train_set, settings, accel.precision, threads)
    estimate = cost.estimate_seconds(probed.cost, one_epoch, len(train_set), [eval_images], final_train_pass=False)
    cost.skip_over_budget(claim, 1, estimate * (TIMING_ROUNDS + 1), TIMING_ROUNDS + 1, settings, threads=threads,
                          gpu_helps=False)
    cost.announce(claim.model, f"timing {TIMING_ROUNDS + 1} epochs (1 warm-up)", estimate * (TIMING_ROUNDS + 1),
                  probed, settings)
    torch.manual_seed(0)
    model = registry.get_model(claim.model)
    seconds: list[float] = []
    others = OtherProcesses()  # a span per epoch

    def run_epoch() -> None:
        with others.during():
            history = train.train(model, train_set, None, one_epoch, device=device, seed=0, val_set=val_set,
                                  threads=threads, accel=accel, name=claim.model)
        seconds.append(history.epochs[0].seconds)

    if benchmark.enabled:
        benchmark.pedantic(run_epoch, rounds=TIMING_ROUNDS, warmup_rounds=1)
    else:  # disabled (--benchmark-disable, xdist), it runs its target once, untimed; the engine times each epoch
        benchmark.pedantic(lambda: [run_epoch() for _ in range(TIMING_ROUNDS + 1)])
    timed = tuple(seconds[-TIMING_ROUNDS:])
    busy = _cores(others.spans[-TIMING_ROUNDS:]) if len(others.spans) > TIMING_ROUNDS else None
    benchmark.extra_info.update({"claim": claim.id, "device": ours, "epoch_seconds": list(timed),
                                 "images_per_epoch": len(train_set), "val_images": eval_images,
                                 "threads": threads, "precision": accel.precision, "other_processes_cores": busy})
    on_cpu = torch.device(device).type == "cpu"  # a GPU's siblings (gpu-train -- -n 4) keep the host busy by design
    epoch = EpochTime(seconds=statistics.median(timed), rounds=timed, device=f"{ours}, {accel.precision}",
                      verified=sets.verified, load="" if busy is not None or not on_cpu else _unmeasured_load(),
                      finding=sets.finding, partial=sets.partial, on_accelerator=not on_cpu)
    if on_cpu and busy is not None and busy > BUSY_CORES:
        raise errors.MeasurementError(
            f"the machine was busy: other processes ran {busy:.2f} of its cores while the epochs were timed (over "
            f"{BUSY_CORES} makes the time the machine's): {_timed(epoch)}; time it on an otherwise idle machine")
    return epoch
