"""What differs between the kinds of device a run trains on (the CPU, CUDA GPUs, Apple's ``mps``), in one place:
waiting for a device's queued work, the random generators a run forks and checkpoints, how an interval on it is
timed, and its name. The engine and the environment ask this module, never a device's type."""

from __future__ import annotations

import contextlib
import functools
import platform
import subprocess
from typing import Any

import torch

__all__ = ["ACCELERATORS", "available", "current", "device_count", "features", "fork_rng", "is_accelerator", "name",
           "rng_state", "set_rng_state", "synchronize", "times_by_events", "timing_event"]

ACCELERATORS = ("cuda", "mps")
"""The device types that queue work for later (a step returns before its kernels have run) and have generators of
their own."""


def is_accelerator(device: torch.device | str) -> bool:
    """Whether ``device`` is a GPU (``ACCELERATORS``), not the CPU."""
    return torch.device(device).type in ACCELERATORS


def device_count(device: torch.device | str) -> int:
    """How many devices of ``device``'s kind torch finds on this machine: mps is one device where
    ``torch.backends.mps`` finds it (a Mac's GPU, with a torch built for it); CUDA, or any other kind torch knows, as
    many as its device module (``torch.cuda``) counts where it finds one. The CPU is one."""
    kind = torch.device(device).type
    if kind == "cpu":
        return 1
    if kind == "mps":
        return int(torch.backends.mps.is_available())
    module = torch.get_device_module(kind)
    return module.device_count() if module.is_available() else 0


def available(device: torch.device | str) -> bool:
    """Whether torch finds ``device`` on this machine: one of its kind, and where it names one by index
    (``cuda:1``), that one (``device_count``)."""
    device = torch.device(device)
    return device.type == "cpu" or (device.index or 0) < device_count(device)


def synchronize(device: torch.device | str) -> None:
    """Wait until the work queued on ``device`` has run: ``cuda:N``'s own queue, or mps's; nothing on the CPU."""
    device = torch.device(device)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def current(device: torch.device | str) -> contextlib.AbstractContextManager[Any]:
    """``device`` as the current CUDA device while a run or probe uses it, so that what names no device (a stream,
    a kernel library's handle) is that GPU's, not GPU 0's; the caller's is current again afterwards
    (``torch.cuda.device``, whose exit creates no context on the GPU it returns to). Nothing elsewhere: mps is one
    device."""
    device = torch.device(device)
    return torch.cuda.device(device) if device.type == "cuda" else contextlib.nullcontext()


def times_by_events(device: torch.device | str) -> bool:
    """Whether an interval on ``device`` is timed by events on its stream (``timing_event``): on CUDA. Elsewhere by
    the host's clock after a ``synchronize``: on the CPU, and on mps, whose events could hang or time a short interval
    backwards (pytorch/pytorch#196395)."""
    return torch.device(device).type == "cuda"


def timing_event(device: torch.device | str) -> torch.cuda.Event:
    """An event recorded now on the device's own stream (not the current device's: a pytest-xdist worker's ``cuda:N``
    need not be current), where it ``times_by_events``; its ``elapsed_time`` to a later one is read once the device
    has run them (``synchronize``)."""
    event = torch.cuda.Event(enable_timing=True)
    event.record(torch.cuda.current_stream(torch.device(device)))
    return event


def fork_rng(device: torch.device | str) -> contextlib.AbstractContextManager[Any]:
    """``torch.random.fork_rng`` of the CPU's generator and those of the device's kind: each one ``torch.manual_seed``
    seeds (every CUDA GPU's, mps's). They are as they were afterwards."""
    device = torch.device(device)
    if not is_accelerator(device):
        return torch.random.fork_rng(devices=[])
    count = torch.get_device_module(device.type).device_count()
    return torch.random.fork_rng(devices=list(range(count)), device_type=device.type)


def rng_state(device: torch.device | str) -> torch.Tensor | None:
    """The state of the device's own generator, which dropout on it draws from; None on the CPU (``torch``'s)."""
    device = torch.device(device)
    return torch.get_device_module(device.type).get_rng_state(device) if is_accelerator(device) else None


def set_rng_state(device: torch.device | str, state: torch.Tensor | None) -> None:
    """Restore what ``rng_state`` returned for ``device``."""
    device = torch.device(device)
    if is_accelerator(device):
        torch.get_device_module(device.type).set_rng_state(state, device)


def name(device: torch.device | str) -> str:
    """A GPU's name: CUDA's own for it (``NVIDIA H200``), or the Apple chip whose GPU mps runs on (``Apple M2 Pro
    GPU``). ``ValueError`` for the CPU, which ``claimbench.environment`` names."""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return f"{_apple_chip()} GPU"
    raise ValueError(f"{device} is no GPU: its name is the CPU's")


def features(device: torch.device | str) -> str:
    """What a GPU's arithmetic can do beyond its name: a CUDA GPU's compute capability (``compute capability
    9.0``), or the macOS whose Metal Performance Shaders mps runs (``MPS on macOS 14.5``). ``ValueError`` for the
    CPU."""
    device = torch.device(device)
    if device.type == "cuda":
        major, minor = torch.cuda.get_device_capability(device)
        return f"compute capability {major}.{minor}"
    if device.type == "mps":
        return f"MPS on macOS {platform.mac_ver()[0] or 'of unknown version'}"
    raise ValueError(f"{device} is no GPU: its features are the CPU's")


@functools.cache
def _apple_chip() -> str:
    """The Apple chip this Mac runs on (``Apple M2 Pro``, from ``sysctl``), else ``Apple silicon``, which names no
    model."""
    try:
        found = subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found = ""
    return found or "Apple silicon"
