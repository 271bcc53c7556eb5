"""Tests of what differs between device kinds (claimbench.accelerators), without a GPU: torch's CUDA and mps functions
replaced by fakes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
import torch
from test_train import FakeEvent, FakeGenerator

from claimbench import accelerators


def test_a_cuda_device_is_made_current_and_the_cpu_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """``accelerators.current`` enters ``torch.cuda.device`` for a GPU (scoped, unlike ``set_device``), and nothing
    for the CPU."""
    entered: list[torch.device] = []

    @contextlib.contextmanager
    def cuda_device(device: torch.device) -> Iterator[None]:
        entered.append(device)
        yield

    monkeypatch.setattr(torch.cuda, "device", cuda_device)
    with accelerators.current(torch.device("cuda:1")), accelerators.current(torch.device("cpu")):
        assert entered == [torch.device("cuda:1")]


def test_synchronize_waits_for_the_device_s_own_queue_and_nothing_on_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[object] = []
    monkeypatch.setattr(torch.cuda, "synchronize", waited.append)
    monkeypatch.setattr(torch.mps, "synchronize", lambda: waited.append("mps"))
    for device in ("cpu", "cuda:1", "mps"):
        accelerators.synchronize(device)
    assert waited == [torch.device("cuda:1"), "mps"]


@pytest.mark.parametrize("kind", ["cuda", "mps"])
def test_a_fork_leaves_the_device_s_generator_as_it_was(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """What a run draws on the GPU (dropout) is the caller's state again afterwards, on mps as on CUDA."""
    generator = FakeGenerator()
    module = getattr(torch, kind)
    monkeypatch.setattr(module, "get_rng_state", generator.get_rng_state)
    monkeypatch.setattr(module, "set_rng_state", generator.set_rng_state)
    monkeypatch.setattr(module, "device_count", lambda: 1)
    with accelerators.fork_rng(torch.device(kind)):
        generator.state = torch.tensor([9, 9, 9], dtype=torch.uint8)
    assert generator.state.tolist() == [1, 2, 3]


def test_a_checkpoint_s_device_generator_is_the_gpu_s_and_none_on_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    generator = FakeGenerator()
    monkeypatch.setattr(torch.mps, "get_rng_state", generator.get_rng_state)
    monkeypatch.setattr(torch.mps, "set_rng_state", generator.set_rng_state)
    assert accelerators.rng_state("cpu") is None
    state = accelerators.rng_state("mps")
    generator.state = torch.tensor([9, 9, 9], dtype=torch.uint8)
    accelerators.set_rng_state(torch.device("mps"), state)
    assert generator.state.tolist() == [1, 2, 3]


def test_only_cuda_times_by_events_on_the_gpu_s_own_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    """mps events could hang or run backwards (pytorch/pytorch#196395): mps is timed by the host's clock."""
    monkeypatch.setattr(torch.cuda, "current_stream", lambda device=None: ("stream", device))
    monkeypatch.setattr(torch.cuda, "Event", FakeEvent)
    assert [accelerators.times_by_events(kind) for kind in ("cuda:1", "mps", "cpu")] == [True, False, False]
    assert accelerators.timing_event("cuda:1").stream == ("stream", torch.device("cuda:1"))


def test_a_mac_s_gpu_is_named_by_its_chip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accelerators, "_apple_chip", lambda: "Apple M2 Pro")
    assert accelerators.name("mps") == "Apple M2 Pro GPU"
    assert accelerators.features("mps").startswith("MPS on macOS ")
    with pytest.raises(ValueError, match="cpu is no GPU"):
        accelerators.name("cpu")


def test_a_device_kind_is_available_where_torch_finds_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """mps is asked of ``torch.backends.mps``, CUDA of ``torch.cuda``; the CPU is always there."""
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert [accelerators.available(device) for device in ("cpu", "cuda:1", "mps")] == [True, True, False]
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert [accelerators.available(device) for device in ("cpu", "cuda", "mps")] == [True, False, True]


def test_a_gpu_index_past_the_gpus_torch_finds_is_not_available(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cuda:2`` on a machine with two GPUs (``cuda:0``, ``cuda:1``) is as absent as CUDA on a machine with none; so
    is ``mps:1``, mps being one device."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert [accelerators.available(device) for device in ("cuda", "cuda:1", "cuda:2", "mps:0", "mps:1")] == [
        True, True, False, True, False]
    assert accelerators.device_count("cuda:5") == 2
