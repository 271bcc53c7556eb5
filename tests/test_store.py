"""The run store's key for lazy models, and a corrupt run that another worker set aside first."""

from __future__ import annotations

from pathlib import Path

import pytest
from torch import nn

import models.core_collapse  # noqa: F401  (registers its lazy MLC models)
from claimbench import registry
from claimbench.runs import store
from claimbench.runs.settings import Settings


def test_a_lazy_model_has_an_architecture_and_its_initialisation_counts() -> None:
    name = "core_collapse.mlc_alpha_19k"
    assert any(map(nn.parameter.is_lazy, registry.get_model(name).parameters()))
    digest = store.architecture(name)
    store.architecture.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nn.LazyLinear, "reset_parameters", lambda self: None if self.has_uninitialized_params()
                      else nn.init.zeros_(self.weight))
        assert store.architecture(name) != digest  # another initialisation of the lazy head: another run
    store.architecture.cache_clear()
    assert store.architecture(name) == digest


def test_a_lazy_model_without_an_input_size_is_keyed_by_its_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "core_collapse.mlc_alpha_19k"
    store.architecture.cache_clear()
    materialised = store.architecture(name)
    monkeypatch.setattr(registry, "input_size", lambda reference: None)
    try:
        store.architecture.cache_clear()
        unshaped = store.architecture(name)
        store.architecture.cache_clear()
        assert store.architecture(name) == unshaped != materialised  # its modules and built weights, not its heads
        store.architecture.cache_clear()
        monkeypatch.setattr(nn.LazyLinear, "extra_repr", lambda self: "wider")
        assert store.architecture(name) != unshaped, "the lazy head's module is in the key"
    finally:
        store.architecture.cache_clear()


def test_a_corrupt_run_set_aside_by_another_worker_is_simply_gone(tmp_path: Path) -> None:
    lines: list[str] = []
    settings = Settings(device="cpu", results_dir=tmp_path, progress=lines.append)
    store.set_aside(tmp_path / "run.json", "corrupt stored run", settings)  # moved by the other worker already
    assert lines == [] and list(tmp_path.iterdir()) == []
