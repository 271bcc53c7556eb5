"""Every registered model builds on the meta device and maps its report's input to class logits."""

import inspect

import pytest
import torch

import models
from models import _registry


@pytest.mark.parametrize("name", models.names())
def test_builds_on_meta_and_forwards(name: str) -> None:
    with torch.device("meta"):
        model = models.build(name)
        logits = model(torch.empty(2, *models.input_size(name)))
    assert logits.shape[0] == 2 and logits.ndim == 2
    assert all(p.device.type == "meta" for p in model.parameters())


def test_at_least_the_models_of_the_five_reports() -> None:
    reports = {name.split(".")[0] for name in models.names()}
    assert reports == {"core_collapse", "cifar_infinity", "iot_ml_hw2", "dl_cifar10_pytorch", "deeper_networks"}
    assert len(models.names()) >= 33


def test_every_public_builder_is_registered() -> None:
    for module_name in {name.split(".")[0] for name in models.names()}:
        module = getattr(models, module_name)
        builders = [
            obj for obj in vars(module).values()
            if inspect.isfunction(obj) and obj.__module__ == module.__name__ and obj.__name__ in module.__all__
        ]
        registered = set(_registry._BUILDERS.values())
        assert [b.__name__ for b in builders if b not in registered] == []


def test_unknown_name_lists_the_closest() -> None:
    with pytest.raises(KeyError, match="closest: core_collapse.vgg16"):
        models.build("core_collapse.vgg61")


def test_an_override_replaces_a_default() -> None:
    with torch.device("meta"):
        model = models.build("dl_cifar10_pytorch.baseline", num_classes=3)
        assert model(torch.empty(1, 3, 32, 32)).shape == (1, 3)


def test_an_unknown_override_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        models.build("dl_cifar10_pytorch.baseline", no_such_argument=1)


def test_names_sort_naturally() -> None:
    assert _registry._natural_key("model2") < _registry._natural_key("model10")


def test_a_duplicate_registration_fails_at_import_time() -> None:
    def builder() -> torch.nn.Module:
        return torch.nn.Identity()

    builder.__module__ = "models.core_collapse"
    with pytest.raises(ValueError, match="registered twice"):
        _registry.register("vgg16", input_size=(3, 32, 32))(builder)
