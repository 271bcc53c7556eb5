"""Every registered model builds on the meta device and maps its report's input to class logits."""

import functools
import hashlib
import importlib
import importlib.metadata
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

import claimbench
from claimbench import families, ledger, model_code, registry, results, verdict


DEFAULT_CLASSES = {"core_collapse": 4}
"""The class count a report's builders default to where it is not 10 (CIFAR-10, MNIST): Core-Collapse's private set."""


@pytest.mark.parametrize("name", registry.list_models())
@pytest.mark.parametrize("num_classes", [None, 7], ids=["default", "num_classes=7"])
def test_builds_on_meta_and_forwards(name: str, num_classes: int | None) -> None:
    overrides = {} if num_classes is None else {"num_classes": num_classes}
    expected = num_classes or DEFAULT_CLASSES.get(name.split(".")[0], 10)
    with torch.device("meta"):
        model = registry.get_model(name, **overrides)
        logits = model(torch.empty(2, *registry.input_size(name)))
    assert logits.shape == (2, expected), f"{name}({overrides}): logits {tuple(logits.shape)}, not (2, {expected})"
    assert all(p.device.type == "meta" for p in model.parameters())


def test_every_public_builder_is_registered() -> None:
    for module_name in {name.split(".")[0] for name in registry.list_models()}:
        module = importlib.import_module(f"models.{module_name}")
        builders = [
            obj for obj in vars(module).values()
            if inspect.isfunction(obj) and obj.__module__ == module.__name__ and obj.__name__ in module.__all__
        ]
        registered = {registry.resolve(name) for name in registry.list_models()}
        assert [b.__name__ for b in builders if b not in registered] == []


def test_unknown_name_lists_the_closest() -> None:
    with pytest.raises(KeyError, match="closest: core_collapse.vgg16"):
        registry.get_model("core_collapse.vgg61")


def test_an_override_replaces_a_default() -> None:
    with torch.device("meta"):
        model = registry.get_model("dl_cifar10_pytorch.baseline", num_classes=3)
        assert model(torch.empty(1, 3, 32, 32)).shape == (1, 3)


def test_an_unknown_override_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        registry.get_model("dl_cifar10_pytorch.baseline", no_such_argument=1)


def test_names_sort_naturally_and_filter_by_pattern() -> None:
    assert registry.list_models("iot_ml_hw2.model*") == [
        "iot_ml_hw2.model1", "iot_ml_hw2.model2", "iot_ml_hw2.model3", "iot_ml_hw2.model_50k"]
    assert registry._natural_key("model2") < registry._natural_key("model10")


def test_list_models_filters_as_torchvision_s_does() -> None:
    assert registry.list_models(include=["iot_ml_hw2.*", "core_collapse.vgg1*"], exclude="*model[12]") == [
        "core_collapse.vgg16", "iot_ml_hw2.model3", "iot_ml_hw2.model_50k"]
    assert registry.list_models(exclude="*") == []


def test_register_model_also_works_bare_as_timm_s(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_BUILDERS", {})

    @registry.register_model
    def bare_net() -> torch.nn.Module:
        return torch.nn.Identity()

    assert registry.list_models() == ["bare_net"] and isinstance(registry.get_model("bare_net"), torch.nn.Identity)


def test_weights_are_refused_in_one_line_rather_than_passed_twice() -> None:
    assert registry.get_model("dl_cifar10_pytorch.baseline", weights=None) is not None
    with pytest.raises(ValueError, match=r"weights='DEFAULT': claimbench builds untrained models"):
        registry.get_model("torchvision:resnet18", weights="DEFAULT")


def test_a_duplicate_registration_fails_at_import_time() -> None:
    with pytest.raises(ValueError, match="model 'core_collapse.vgg16' is registered twice"):
        registry.register_model("core_collapse.vgg16", input_size=(3, 32, 32))(torch.nn.Identity)


@pytest.fixture
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty registry for the test only."""
    for table in ("_BUILDERS", "_INPUT_SIZES", "_BUILDER_SIZES"):
        monkeypatch.setattr(registry, table, {})


@pytest.mark.usefixtures("own_registry")
@pytest.mark.parametrize("name", ["zoo:net", "my net", "net*"])
def test_a_name_no_reference_can_reach_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"model name {name!r}: no spaces")):
        registry.register_model(name)(torch.nn.Identity)


@pytest.mark.usefixtures("own_registry")
def test_an_empty_name_says_it_is_empty_and_a_name_that_is_no_string_is_a_type_error() -> None:
    with pytest.raises(ValueError, match=r"^model name '' is empty: give one, or write @register_model alone"):
        registry.register_model("")(torch.nn.Identity)
    for name, kind in ((5, "int"), (b"net", "bytes")):
        with pytest.raises(TypeError, match=rf"^register_model: a model's name is a str, not {kind} \(.+\)$"):
            registry.register_model(name)  # type: ignore[call-overload]
    assert registry.list_models() == []


@pytest.mark.usefixtures("own_registry")
def test_a_duplicate_names_both_builders_in_one_line() -> None:
    def first() -> torch.nn.Module:
        return torch.nn.Identity()

    def second() -> torch.nn.Module:
        return torch.nn.Identity()

    registry.register_model("dup")(first)
    with pytest.raises(ValueError) as raised:
        registry.register_model("dup")(second)
    here = "test_models:test_a_duplicate_names_both_builders_in_one_line.<locals>"
    assert str(raised.value) == f"model 'dup' is registered twice: by {here}.first, then by {here}.second"
    registry.register_model("lambda")(lambda: torch.nn.Identity())
    with pytest.raises(ValueError, match=r"^model 'lambda' is registered twice: by test_models:[^ ]*<lambda> "
                                         r"\(line \d+\), then by test_models:[^ ]*<lambda> \(line \d+\)$"):
        registry.register_model("lambda")(lambda: torch.nn.Identity())


@pytest.mark.usefixtures("own_registry")
def test_a_builder_that_returns_no_module_is_a_type_error_naming_it() -> None:
    registry.register_model("number")(lambda: 5)

    def pair() -> tuple[torch.nn.Module, str]:
        return torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()), "sgd"

    registry.register_model("pair")(pair)
    with pytest.raises(TypeError, match=r"^get_model\('number'\): its builder test_models:[^ ]*<lambda> returned 5 "
                                        r"\(int\), not a torch.nn.Module$"):
        registry.get_model("number")
    with pytest.raises(TypeError) as raised:
        registry.get_model("pair")
    assert re.fullmatch(r"get_model\('pair'\): its builder test_models:\S*pair returned \(.*\) \(tuple\), not a "
                        r"torch.nn.Module", str(raised.value)), raised.value


@pytest.mark.parametrize("reference", ["core_collapse.vgg61", "torchvision:resnet19", "models.dl_cifar10_pytorch:none",
                                       "nothing.at_all"])
def test_an_unknown_reference_is_both_a_key_error_and_torchvision_s_value_error(reference: str) -> None:
    """Code written for torchvision's ``get_model`` (``ValueError``) and for a mapping (``KeyError``) both catch it;
    its message reads as one line, not as a KeyError's quoted key."""
    for caught in (KeyError, ValueError):
        with pytest.raises(caught) as raised:
            registry.get_model(reference)
        assert isinstance(raised.value, KeyError) and isinstance(raised.value, ValueError)
        message = str(raised.value)
        assert message == raised.value.args[0] and "\n" not in message and reference.partition(":")[2] in message
    with pytest.raises(ValueError):
        registry.get_model_builder(reference)


def test_a_torchvision_model_s_name_suggests_torchvision_s_reference_first() -> None:
    """A torchvision user's ``resnet18`` is steered to ``torchvision:resnet18``, not to a report's 4-class model."""
    with pytest.raises(KeyError, match=r"^unknown model 'resnet18' \(closest: torchvision:resnet18, "
                                       r"core_collapse.resnet18[,)]"):
        registry.get_model("resnet18")
    with pytest.raises(KeyError, match=r"^unknown model 'ResNet18' \(closest: torchvision:resnet18[,)]"):
        registry.get_model("ResNet18")
    with pytest.raises(KeyError, match=r"^unknown model 'fasterrcnn_resnet50_fpn'( \(closest: [^:]*\))?$"):
        registry.get_model("fasterrcnn_resnet50_fpn")  # not a classification model: torchvision:<name> refuses it


def test_a_timm_model_s_name_suggests_timm_s_reference_where_timm_is_installed() -> None:
    pytest.importorskip("timm")
    with pytest.raises(KeyError, match=r"^unknown model 'resnet26d' \(closest: timm:resnet26d[,)]"):
        registry.get_model("resnet26d")
    with pytest.raises(KeyError, match=r"^unknown model 'resnet18' \(closest: torchvision:resnet18, "
                                       r"core_collapse.resnet18[,)]"):
        registry.get_model("resnet18")  # torchvision's first: timm's ResNet-18 counts as it does


@pytest.mark.usefixtures("own_registry")
def test_a_name_under_a_prefix_nothing_registers_says_its_module_may_not_be_imported() -> None:
    may_not = ("the module that registers it may not be imported yet; import it first, or list it in a ledger's "
               "[report] modules)")
    with pytest.raises(KeyError) as raised:
        registry.get_model("iot_ml_hw2.model2")
    assert str(raised.value) == f"unknown model 'iot_ml_hw2.model2' (nothing is registered yet: {may_not}"
    registry.register_model("other.model2")(torch.nn.Identity)
    with pytest.raises(KeyError) as raised:
        registry.get_model("iot_ml_hw2.model2")
    assert str(raised.value) == ("unknown model 'iot_ml_hw2.model2' (closest: other.model2; no registered name "
                                 f"begins 'iot_ml_hw2.': {may_not}")
    registry.register_model("iot_ml_hw2.model1")(torch.nn.Identity)
    with pytest.raises(KeyError) as raised:
        registry.get_model("iot_ml_hw2.model9")
    assert str(raised.value) == "unknown model 'iot_ml_hw2.model9' (closest: iot_ml_hw2.model1, other.model2)"
    with pytest.raises(KeyError, match=r"^unknown model 'nothing'$"):
        registry.get_model("nothing")


def test_list_models_takes_torchvision_s_module_and_get_model_builder_its_builder() -> None:
    iot = importlib.import_module("models.iot_ml_hw2")
    assert registry.list_models(module=iot) == registry.list_models("iot_ml_hw2.*") != []
    assert registry.list_models("*model1", module="models.iot_ml_hw2") == ["iot_ml_hw2.model1"]
    assert set(registry.list_models(module="models")) >= set(registry.list_models("iot_ml_hw2.*"))
    assert registry.list_models(module="models.iot") == registry.list_models(module=torch) == []
    with pytest.raises(TypeError, match=r"^list_models\(<module 'models.iot_ml_hw2'.*\): give it as module="):
        registry.list_models(iot)  # type: ignore[arg-type]
    assert registry.get_model_builder("iot_ml_hw2.model1").__wrapped__ is iot.model1, "wrapped to take weights=None"
    assert claimbench.get_model_builder is registry.get_model_builder and "get_model_builder" in claimbench.__all__


@pytest.mark.usefixtures("own_registry")
def test_list_models_module_goes_by_where_the_builder_is_defined() -> None:
    """The builder's module or a submodule of it, as the builder was defined (a ``functools.partial``'s function's),
    not a module whose name merely begins the same."""
    def made_in(module: str) -> Callable[[], torch.nn.Module]:
        def net() -> torch.nn.Module:
            return torch.nn.Identity()

        net.__module__ = module
        return net

    for name, module in (("a", "zoo"), ("b", "zoo.cnn"), ("c", "zoo_other"), ("e", "zoology")):
        registry.register_model(f"zz.{name}")(made_in(module))
    registry.register_model("zz.d")(functools.partial(made_in("zoo.cnn.deep")))
    assert registry.list_models(module="zoo") == ["zz.a", "zz.b", "zz.d"]
    assert registry.list_models(module="zoo.cnn") == ["zz.b", "zz.d"]
    assert registry.list_models(module="zoo", exclude="*b") == ["zz.a", "zz.d"]


@pytest.mark.usefixtures("own_registry")
@pytest.mark.parametrize("size", [(3, "32", 32), (0, 32, 32), (), (3, True, 32), "3x32x32", (1, 3, 32, 32)])
def test_an_input_size_that_is_no_shape_is_refused_at_registration(size: object) -> None:
    with pytest.raises(ValueError, match=r"input_size=.*: give the input's shape without the batch"):
        registry.register_model("net", input_size=size)(torch.nn.Identity)  # type: ignore[arg-type]


@pytest.mark.usefixtures("own_registry")
def test_one_builder_under_two_names_keeps_each_name_s_input_size() -> None:
    def net() -> torch.nn.Module:
        return torch.nn.Identity()

    registry.register_model("zz.mnist", input_size=(1, 28, 28))(net)
    registry.register_model("zz.cifar", input_size=[3, 32, 32])(net)  # type: ignore[arg-type]
    assert (registry.input_size("zz.mnist"), registry.input_size("zz.cifar")) == ((1, 28, 28), (3, 32, 32))
    assert registry._BUILDER_SIZES[net] is None, "an import path to it names no one size"


@pytest.mark.usefixtures("own_registry")
def test_a_module_imported_again_takes_its_names_back_and_only_it() -> None:
    source = ("import torch\nfrom claimbench import register_model\n\n@register_model('again')\ndef net():\n"
              "    return torch.nn.Identity()\n")
    for _ in range(2):  # the module's second import, after a failed first one: the same code compiled again
        exec(compile(source, "again_models.py", "exec"), {"__name__": "again_models"})

    def other() -> torch.nn.Module:
        return torch.nn.Identity()

    with pytest.raises(ValueError, match="model 'again' is registered twice"):
        registry.register_model("again")(other)
    registry.register_model("lambda")(lambda: "first")
    with pytest.raises(ValueError, match="model 'lambda' is registered twice"):
        registry.register_model("lambda")(lambda: "second")

    def factory(width: int) -> Callable[[], torch.nn.Module]:
        return lambda: torch.nn.Linear(width, 2)

    registry.register_model("closure", input_size=(1,))(factory(1))
    with pytest.raises(ValueError, match="model 'closure' is registered twice"):
        registry.register_model("closure")(factory(2))


@pytest.mark.usefixtures("own_registry")
def test_a_builder_registered_again_without_a_size_keeps_none() -> None:
    def net() -> torch.nn.Module:
        return torch.nn.Identity()

    registry.register_model("sized", input_size=(3, 32, 32))(net)
    registry.register_model("sized")(net)
    assert registry.input_size("sized") is None


def test_torchvision_s_and_timm_s_download_arguments_are_taken_and_never_download() -> None:
    with torch.device("meta"):
        assert registry.get_model("dl_cifar10_pytorch.baseline", weights=None, progress=False) is not None
    with pytest.raises(ValueError, match=r"pretrained=True: claimbench builds untrained models"):
        registry.get_model("dl_cifar10_pytorch.baseline", pretrained=True)
    with pytest.raises(KeyError, match="unknown torchvision classification model 'lraspp_mobilenet_v3_large'"):
        registry.get_model("torchvision:lraspp_mobilenet_v3_large")  # its builder would fetch backbone weights


def test_torchvision_and_import_path_references() -> None:
    with torch.device("meta"):
        resnet = registry.get_model("torchvision:resnet18", num_classes=7)
        baseline = registry.get_model("models.dl_cifar10_pytorch:baseline")
    assert resnet.fc.out_features == 7 and sum(p.numel() for p in baseline.parameters()) > 0
    assert registry.input_size("torchvision:resnet18") is None
    assert registry.input_size("models.dl_cifar10_pytorch:baseline") == registry.input_size(
        "dl_cifar10_pytorch.baseline") == (3, 32, 32), "an import path finds the size its builder was registered with"
    with pytest.raises(KeyError, match=r"unknown torchvision classification model 'resnet19' \(closest: resnet18"):
        registry.get_model("torchvision:resnet19")
    with pytest.raises(KeyError, match=r"module 'models.dl_cifar10_pytorch' has no 'nothing'$"):
        registry.get_model("models.dl_cifar10_pytorch:nothing")
    with pytest.raises(KeyError, match=r"has no 'resnet81' \(closest: resnet18[,)]"):
        registry.get_model("models.dl_cifar10_pytorch:resnet81")


def test_a_timm_reference_without_timm_says_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "timm", None)
    with pytest.raises(ModuleNotFoundError, match=r"^model 'timm:resnet18' needs timm: pip install timm$"):
        registry.get_model("timm:resnet18")


def test_the_code_digest_changes_with_a_helper_beside_the_builder(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "zoo_digest"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "nets.py").write_text("from zoo_digest.init import zeroed\n\ndef net():\n    return zeroed()\n")
    (package / "init.py").write_text("def zeroed():\n    return 0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = model_code.digest("zoo_digest.nets:net")
    (package / "init.py").write_text("def zeroed():\n    return 1\n")
    model_code.digest.cache_clear()
    assert model_code.digest("zoo_digest.nets:net") != before
    assert model_code.digest("torchvision:resnet18") == f"torchvision {importlib.metadata.version('torchvision')}"


def test_the_code_digest_covers_the_subpackages_of_the_builders_package(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A block in a subpackage of the builder's top-level package is its code (a 5x5 stem in place of a 3x3 kept
    the 3x3's MACs record); a ``__pycache__`` or hidden folder in it is not, nor a module beside a top-level one."""
    package = tmp_path / "zoo_tree"
    (package / "blocks").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "zoo.py").write_text("from zoo_tree.blocks import stem\n\ndef net():\n    return stem()\n")
    (package / "blocks" / "__init__.py").write_text("def stem():\n    return 3\n")
    (tmp_path / "zoo_alone.py").write_text("def net():\n    return 0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(model_code, "digest", model_code.digest.__wrapped__)  # no cache: each call reads
    before, alone = model_code.digest("zoo_tree.zoo:net"), model_code.digest("zoo_alone:net")
    for ignored in ("__pycache__", ".hidden"):
        (package / "blocks" / ignored).mkdir()
        (package / "blocks" / ignored / "stale.py").write_text("x = 1\n")
    (tmp_path / "zoo_beside.py").write_text("x = 1\n")
    assert model_code.digest("zoo_tree.zoo:net") == before, "no cache or hidden folder"
    assert model_code.digest("zoo_alone:net") == alone, "a top-level module alone"
    (package / "blocks" / "__init__.py").write_text("def stem():\n    return 5\n")
    assert model_code.digest("zoo_tree.zoo:net") != before, "a block in a subpackage"


def test_the_code_digest_goes_by_how_the_builders_module_was_imported(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A namespace package (no ``__init__.py``) is a package: a helper edited in it is other code. A module imported
    as a top-level one is read alone, though an ``__init__.py`` lies beside it (a repository root): an edited test
    file beside it is no other code."""
    (tmp_path / "zoo_ns").mkdir()
    (tmp_path / "zoo_ns" / "zoo.py").write_text("from zoo_ns.blocks import act\n\ndef net():\n    return act()\n")
    (tmp_path / "zoo_ns" / "blocks.py").write_text("def act():\n    return 1\n")
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "zoo_root.py").write_text("def net():\n    return 0\n")
    (tmp_path / "test_unit.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(model_code, "digest", model_code.digest.__wrapped__)  # no cache: each call reads
    spaced, root = model_code.digest("zoo_ns.zoo:net"), model_code.digest("zoo_root:net")
    (tmp_path / "zoo_ns" / "blocks.py").write_text("def act():\n    return 0\n")
    (tmp_path / "test_unit.py").write_text("x = 2\n")
    assert model_code.digest("zoo_ns.zoo:net") != spaced, "a helper in a namespace package"
    assert model_code.digest("zoo_root:net") == root, "a file beside a top-level module"


def test_the_code_digest_of_a_top_level_module_covers_the_modules_beside_it_that_it_imports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A research repository's ``model.py`` beside ``layers.py``: an edited activation in the helper kept the trained
    run and the verdict of the old one. What it imports beside it, in turn, is its code; what it does not, is not."""
    (tmp_path / "zoo_model.py").write_text("import zoo_layers\n\ndef net():\n    return zoo_layers.act()\n")
    (tmp_path / "zoo_layers.py").write_text("from zoo_blocks import stem\n\ndef act():\n    return stem()\n")
    (tmp_path / "zoo_blocks").mkdir()
    (tmp_path / "zoo_blocks" / "__init__.py").write_text("def stem():\n    return 1\n")
    (tmp_path / "zoo_unrelated.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(model_code, "digest", model_code.digest.__wrapped__)  # no cache: each call reads
    before = model_code.digest("zoo_model:net")
    (tmp_path / "zoo_unrelated.py").write_text("x = 2\n")
    assert model_code.digest("zoo_model:net") == before, "a module it does not import"
    (tmp_path / "zoo_blocks" / "__init__.py").write_text("def stem():\n    return 0\n")
    after = model_code.digest("zoo_model:net")
    assert after != before, "a package beside it that its helper imports"
    (tmp_path / "zoo_layers.py").write_text("from zoo_blocks import stem\n\ndef act():\n    return -stem()\n")
    assert model_code.digest("zoo_model:net") != after, "the helper it imports"
    (tmp_path / "zoo_spaced").mkdir()  # a namespace package: no __init__.py
    (tmp_path / "zoo_spaced" / "acts.py").write_text("from . import gates\n\ndef act():\n    return 1\n")
    (tmp_path / "zoo_spaced" / "gates.py").write_text("def gate():\n    return 1\n")
    (tmp_path / "zoo_spaced" / "unused.py").write_text("x = 1\n")
    (tmp_path / "zoo_model.py").write_text("from zoo_spaced.acts import act\n\ndef net():\n    return act()\n")
    spaced = model_code.digest("zoo_model:net")
    (tmp_path / "zoo_spaced" / "unused.py").write_text("x = 2\n")
    assert model_code.digest("zoo_model:net") == spaced, "a module of the namespace package it does not import"
    (tmp_path / "zoo_spaced" / "gates.py").write_text("def gate():\n    return 0\n")
    assert model_code.digest("zoo_model:net") != spaced, "a namespace package's module, and what it imports"


def test_the_code_files_name_each_file_the_code_digest_reads_by_its_import_path(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """What names the file that changed where ``model_code.digest`` did: a package's modules under its name, a
    top-level module's and those beside it that it imports under theirs; the digest itself is as before (records
    keep matching); torchvision has no files, its version is its code."""
    package = tmp_path / "zoo_files"
    (package / "blocks").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "nets.py").write_text("def net():\n    return 0\n")
    (package / "blocks" / "__init__.py").write_text("x = 1\n")
    (tmp_path / "zoo_lone.py").write_text("import zoo_lone_layers\n\ndef net():\n    return 0\n")
    (tmp_path / "zoo_lone_layers.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(model_code, "files", model_code.files.__wrapped__)  # no cache: each call reads
    files = model_code.files("zoo_files.nets:net")
    assert list(files) == ["zoo_files/__init__.py", "zoo_files/blocks/__init__.py", "zoo_files/nets.py"]
    assert list(model_code.files("zoo_lone:net")) == ["zoo_lone.py", "zoo_lone_layers.py"]
    assert model_code.digest("zoo_files.nets:net") == hashlib.sha256(b"".join(
        (tmp_path / name).read_bytes() for name in files)).hexdigest()[:16]
    (package / "blocks" / "__init__.py").write_text("x = 1  # one\n")
    assert {name for name, digest in model_code.files("zoo_files.nets:net").items() if files[name] != digest} == {
        "zoo_files/blocks/__init__.py"}
    assert model_code.files("torchvision:resnet18") == {}


def test_the_code_digest_of_a_set_among_a_builders_attributes_is_the_same_in_every_process(tmp_path: Path) -> None:
    """A set of strings prints in another order in each process (hash randomisation): its members are sorted."""
    (tmp_path / "zoo_sets.py").write_text(
        "class Builder:\n    def __init__(self):\n        self.skip = {'fc', 'head', 'stem', 'body', 'neck'}\n\n"
        "    def __call__(self):\n        return 0\n\nnet = Builder()\n")
    script = "from claimbench import model_code; print(model_code.digest('zoo_sets:net'))"
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed),
                                   "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}).stdout
               for seed in (1, 2, 3)}
    assert len(digests) == 1, digests
    (tmp_path / "zoo_sets.py").write_text(
        "import argparse, collections, dataclasses\n\n@dataclasses.dataclass\nclass Cfg:\n    skip: frozenset\n\n"
        "Pair = collections.namedtuple('Pair', 'names')\n\nclass Builder:\n    def __init__(self):\n"
        "        self.cfg = Cfg(frozenset({'fc', 'head', 'stem', 'body', 'neck'}))\n"
        "        self.pair = Pair({'a', 'b', 'c', 'd', 'e'})\n"
        "        self.args = argparse.Namespace(drop={'x', 'y', 'z', 'w', 'v'})\n\n"
        "    def __call__(self):\n        return 0\n\nnet = Builder()\n")
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed),
                                   "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}).stdout
               for seed in (1, 2, 3)}
    assert len(digests) == 1, f"in a dataclass, a namedtuple, a namespace: {digests}"
    (tmp_path / "zoo_tree_nodes.py").write_text(
        "import dataclasses\n\n@dataclasses.dataclass(eq=False)\nclass Node:\n    parent: object = None\n"
        "    children: list = dataclasses.field(default_factory=list)\n\nclass Builder:\n    def __init__(self):\n"
        "        self.root = Node()\n        self.root.children.append(Node(parent=self.root))\n\n"
        "    def __call__(self):\n        return 0\n\nnet = Builder()\n")
    cyclic = "from claimbench import model_code; print(model_code.digest('zoo_tree_nodes:net'))"
    done = subprocess.run([sys.executable, "-c", cyclic], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])})
    assert done.returncode == 0 and len(done.stdout.strip()) == 16, f"a node naming its parent: {done.stderr[-300:]}"


def test_the_code_digest_of_a_partial_covers_its_function_and_arguments(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A builder that is a ``functools.partial`` has a digest: its function's code and its arguments, a function
    among them by its code (no memory address: the same code digests the same in every process)."""
    import sys

    import torchvision

    package = tmp_path / "zoo_partial"
    package.mkdir()
    (package / "__init__.py").write_text("")
    nets = "import functools\n\ndef net(width, act):\n    return width\n\nwide = functools.partial(net, {}, act=len)\n"
    (package / "nets.py").write_text(nets.format(2))
    (package / "acts.py").write_text("def relu():\n    return 0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(model_code, "digest", model_code.digest.__wrapped__)  # no cache: each call reads
    before = model_code.digest("zoo_partial.nets:wide")
    importlib.reload(sys.modules["zoo_partial.nets"])
    assert model_code.digest("zoo_partial.nets:wide") == before, "the same code and arguments"
    (package / "nets.py").write_text(nets.format(64).replace("act=len", "act=lambda: 0"))
    importlib.reload(sys.modules["zoo_partial.nets"])
    assert model_code.digest("zoo_partial.nets:wide") != before, "other arguments"
    sixty_four = model_code.digest("zoo_partial.nets:wide")
    (package / "acts.py").write_text("def relu():\n    return 1\n")
    assert model_code.digest("zoo_partial.nets:wide") != sixty_four, "a helper beside the function"
    (package / "nets.py").write_text("import functools\n\nimport torchvision\n\n"
                                     "r18 = functools.partial(torchvision.models.resnet18, num_classes=10)\n")
    importlib.reload(sys.modules["zoo_partial.nets"])
    ten = model_code.digest("zoo_partial.nets:r18")
    monkeypatch.setattr(sys.modules["zoo_partial.nets"], "r18", functools.partial(torchvision.models.resnet18,
                                                                                   num_classes=100))
    assert model_code.digest("zoo_partial.nets:r18") != ten, "a library's builder, other keywords"


def test_the_code_digest_of_a_callable_instance_covers_its_class_and_attributes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A builder that is an instance of a class with ``__call__`` has a digest (it had none, and a partial run kept
    no record of its model): its class's code and its attributes, without memory addresses."""
    import sys

    package = tmp_path / "zoo_instance"
    package.mkdir()
    (package / "__init__.py").write_text("")
    nets = ("class Builder:\n    def __init__(self, width):\n        self.width, self.act = width, len\n\n"
            "    def __call__(self):\n        return self.width\n\nwide = Builder({})\n")
    (package / "nets.py").write_text(nets.format(2))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(model_code, "digest", model_code.digest.__wrapped__)  # no cache: each call reads
    before = model_code.digest("zoo_instance.nets:wide")
    importlib.reload(sys.modules["zoo_instance.nets"])
    assert model_code.digest("zoo_instance.nets:wide") == before, "the same code and attributes"
    monkeypatch.setattr(sys.modules["zoo_instance.nets"].wide, "width", 64)
    assert model_code.digest("zoo_instance.nets:wide") != before, "other attributes"
    (package / "nets.py").write_text(nets.format(2).replace("return self.width", "return self.width + 1"))
    importlib.reload(sys.modules["zoo_instance.nets"])
    assert model_code.digest("zoo_instance.nets:wide") != before, "other code of its class"


def _claim_of(model: str) -> ledger.Claim:
    """A parameter count of ``model``: what ``results.model_digest`` and ``model_files`` read of a claim."""
    return ledger.Claim(id="zoo/params", report="zoo", kind="params", value=1, printed="1", source="zoo.txt",
                        tolerance=ledger.Tolerance(), file="zoo.toml", model=model, count="trainable")


def test_a_bug_in_reading_a_models_code_is_raised_not_taken_for_code_that_cannot_be_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A model's code cannot be read where the author's module raises as it imports, the builder has no source file
    (a built-in, a function compiled from a string), an argument's ``__repr__`` raises, a file is gone, or the
    library is not installed: then
    ``results.model_digest`` and ``model_files`` are None (nobody can tell whether it changed). A bug of claimbench's
    own as it reads the code is raised: taken for None, it dropped every earlier record of the model, and nothing
    named the bug."""
    (tmp_path / "zoo_read.py").write_text("def net():\n    return 0\n")
    (tmp_path / "zoo_broken.py").write_text("raise RuntimeError('the author broke it')\n")
    (tmp_path / "zoo_made.py").write_text(  # a function compiled from a string has no file, one beside it has
        "import functools\n\ndef real():\n    return 0\n\nmade = {}\nexec('def net(x):\\n    return x', made)\n"
        "net = functools.partial(made['net'], real)\n")
    (tmp_path / "zoo_repr.py").write_text(  # an argument whose __repr__, the author's, raises
        "import functools\n\nclass Act:\n    def __repr__(self):\n        raise ValueError('no repr')\n\n"
        "def build(act):\n    return act\n\nnet = functools.partial(build, Act())\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(model_code, "digest", model_code.digest.__wrapped__)  # no cache: each call reads
    monkeypatch.setattr(model_code, "files", model_code.files.__wrapped__)
    read = (results.model_digest, results.model_files)
    assert all(reading(_claim_of("zoo_read:net")) for reading in read)
    for model in ("zoo_broken:net", "builtins:len", "zoo_made:net", "zoo_repr:net"):
        assert [reading(_claim_of(model)) for reading in read] == [None, None], model
    (tmp_path / "zoo_read.py").rename(tmp_path / "zoo_read.txt")
    assert [reading(_claim_of("zoo_read:net")) for reading in read] == [None, None], "a file gone"

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert results.model_digest(_claim_of("torchvision:resnet18")) is None, "a library not installed"

    def bug(builder: Any) -> Any:
        raise RuntimeError("claimbench's own bug")

    monkeypatch.setattr(model_code, "_code_of", bug)
    for reading in read:
        with pytest.raises(RuntimeError, match="claimbench's own bug"):
            reading(_claim_of("zoo_read:net"))


def test_an_import_path_suggests_the_builders_a_package_exports(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pkgx").mkdir()
    (tmp_path / "pkgx" / "nets.py").write_text("from typing import Any\n\ndef tiny_cnn():\n    return None\n")
    (tmp_path / "pkgx" / "__init__.py").write_text("from pkgx.nets import tiny_cnn\n\n__all__ = ['tiny_cnn']\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(KeyError, match=r"module 'pkgx' has no 'tiny_cn' \(closest: tiny_cnn\)"):
        registry.get_model("pkgx:tiny_cn")
    with pytest.raises(KeyError, match=r"module 'pkgx.nets' has no 'Anyy'$"):  # typing's Any is no builder
        registry.get_model("pkgx.nets:Anyy")


def _claims_of(directory: Path, models: tuple[str, ...]) -> dict[tuple[str, str], Any]:
    """A params and a MACs claim (224×224 input) of each model, with a placeholder value the measurement ignores."""
    text = 'format = 2\n[report]\ntitle = "timm against torchvision"\n'
    for number, model in enumerate(models):
        for kind, keys in (("params", 'count = "trainable"'), ("macs", 'count = "pure"\ninput = [3, 224, 224]')):
            text += (f'[[claim]]\nid = "{kind}/{number}"\nkind = "{kind}"\nmodel = "{model}"\n{keys}\n'
                     'value = 1\nprinted = "1"\nsource = "here"\n')
    (directory / "zoo.toml").write_text(text)
    return {(claim.model, claim.kind): claim for claim in ledger.load(directory)}


def test_a_timm_model_is_measured_as_its_torchvision_twin(tmp_path: Path) -> None:
    """timm's and torchvision's ResNet-18 are the same network: the structural counters, run on timm's through the
    registry on the meta device, agree with themselves and with torchvision's, and timm's version is its digest."""
    timm = pytest.importorskip("timm")
    claims = _claims_of(tmp_path, ("timm:resnet18", "torchvision:resnet18"))
    for kind in ("params", "macs"):
        twin, own = (getattr(families, kind)(claims[name, kind]) for name in ("timm:resnet18", "torchvision:resnet18"))
        assert twin.measured == own.measured and twin.device == "meta", kind
        assert len(set(twin.counters.values())) <= 1 and not verdict.counters_disagree(twin.counters), twin.counters
    assert model_code.digest("timm:resnet18") == f"timm {timm.__version__}"
    with torch.device("meta"):
        assert registry.get_model("timm:resnet18", num_classes=7, in_chans=1).fc.out_features == 7
    with pytest.raises(KeyError, match="unknown timm model 'resnet19'"):
        registry.get_model("timm:resnet19")


def test_functional_attention_is_counted_and_the_counters_agree_on_the_leaf_layers(tmp_path: Path) -> None:
    """A ViT's attention products are functional, outside any leaf layer, which is all torchinfo counts: its terms
    take them from FlopCounterMode, so the two MAC counters agree (on the leaf layers) and the claim is judged, its
    words naming the part torchinfo cannot see. It was an error on every ViT."""
    pytest.importorskip("timm")
    claim = _claims_of(tmp_path, ("timm:vit_tiny_patch16_224",))["timm:vit_tiny_patch16_224", "macs"]
    found = families.macs(claim)
    assert not verdict.counters_disagree(found.counters), found.counters
    assert len(found.words) == 1 and "in Attention's own forward" in found.words[0], found.words
    judged = verdict.judge(claim, verdict.Observation(measurement=found))
    assert judged.verdict == "refuted", judged  # the claim's value is 1


def test_googlenet_s_auxiliary_heads_take_num_classes_as_torchvision_s_do() -> None:
    """Every head of ``core_collapse.googlenet(aux_logits=True, num_classes=7)`` has 7 outputs, and the model counts as
    torchvision's ``googlenet(num_classes=7, aux_logits=True)``; the default build keeps its count without them."""
    import torchvision

    with torch.device("meta"):
        ours = registry.get_model("core_collapse.googlenet", aux_logits=True, num_classes=7).train()
        outputs = ours(torch.empty(2, 3, 224, 224))
        theirs = torchvision.models.googlenet(num_classes=7, aux_logits=True, init_weights=False)
        plain = registry.get_model("core_collapse.googlenet", num_classes=7)
        plain_theirs = torchvision.models.googlenet(num_classes=7, aux_logits=False, init_weights=False)
    assert [tuple(output.shape) for output in outputs] == [(2, 7)] * 3

    def count(model: torch.nn.Module) -> int:
        return sum(p.numel() for p in model.parameters())

    assert (count(ours), count(plain)) == (count(theirs), count(plain_theirs))


@pytest.mark.parametrize("reference", ["core_collapse:vgg16", "zz_no_such_module:net"])
def test_an_import_path_whose_module_is_found_nowhere_is_an_unknown_model_naming_it(reference: str) -> None:
    """A module found nowhere is a reference that names no model: ``UnknownModelError`` naming the module, the
    ``ModuleNotFoundError`` its cause, with the registered name the reference is spelt like."""
    module = reference.partition(":")[0]
    with pytest.raises(registry.UnknownModelError) as raised:
        registry.get_model(reference)
    message = str(raised.value)
    assert message.startswith(f"unknown model {reference!r}: cannot import {module!r}: ") and "\n" not in message
    assert isinstance(raised.value.__cause__, ModuleNotFoundError)
    assert ("closest: core_collapse.vgg16" in message) == (reference == "core_collapse:vgg16"), message


def test_an_import_path_spelt_like_a_module_on_the_path_is_told_its_name(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "zz_mymodels.py").write_text("import torch\n\ndef net():\n    return torch.nn.Identity()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(KeyError, match=r"^unknown model 'zz_mymodel:net': cannot import 'zz_mymodel': .*"
                                       r"\(did you mean 'zz_mymodels'\?"):
        registry.get_model("zz_mymodel:net")


def test_an_import_error_inside_a_module_that_exists_is_its_own(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The author's bug (a module it imports is missing) is raised as it is, never taken for an unknown model."""
    (tmp_path / "zz_broken_models.py").write_text("import zz_no_such_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="zz_no_such_dependency") as raised:
        registry.get_model("zz_broken_models:net")
    assert not isinstance(raised.value, KeyError)


@pytest.mark.parametrize("reference", ["torchvision:resnet18", "core_collapse.resnet18", "iot_ml_hw2.model1"])
def test_get_model_builder_s_builder_takes_weights_none_as_get_model_does(reference: str) -> None:
    builder = registry.get_model_builder(reference)
    with torch.device("meta"):
        assert isinstance(builder(weights=None, progress=False), torch.nn.Module)
        assert isinstance(builder(num_classes=3), torch.nn.Module)
    with pytest.raises(ValueError, match=r"weights='DEFAULT': claimbench builds untrained models"):
        builder(weights="DEFAULT")


def test_a_timm_name_nothing_has_lists_timm_s_closest() -> None:
    pytest.importorskip("timm")
    with pytest.raises(KeyError, match=r"^unknown timm model 'resnet181' \(closest: [^)]*\bresnet18\b"):
        registry.get_model("timm:resnet181")


def test_a_torchvision_name_is_read_in_any_case_as_torchvision_s_get_model_reads_it() -> None:
    with torch.device("meta"):
        model = registry.get_model("torchvision:ResNet18", num_classes=3)
    assert type(model).__name__ == "ResNet" and model.fc.out_features == 3


def test_an_import_path_to_a_module_is_not_a_module_error_naming_it() -> None:
    with pytest.raises(registry.NotAModuleError, match=r"^get_model\('models.core_collapse:tvm'\): "
                                                       r"'models.core_collapse:tvm' is a module, not a builder"):
        registry.get_model("models.core_collapse:tvm")


@pytest.mark.parametrize("reference", [None, 5, b"core_collapse.lenet"])
def test_a_reference_that_is_no_string_is_a_type_error_naming_it(reference: object) -> None:
    with pytest.raises(TypeError, match=rf"^a model reference is a str, not {type(reference).__name__} "
                                        rf"\({re.escape(repr(reference))}\)$"):
        registry.get_model(reference)  # type: ignore[arg-type]


@pytest.mark.parametrize("num_classes", [None, -1, 0, True, 2.0, "4"])
def test_num_classes_that_is_no_positive_integer_is_a_value_error_naming_it(num_classes: object) -> None:
    pattern = rf"^get_model\('core_collapse.lenet'\): num_classes={re.escape(repr(num_classes))}: give a positive"
    with pytest.raises(ValueError, match=pattern):
        registry.get_model("core_collapse.lenet", num_classes=num_classes)
    with pytest.raises(ValueError, match=r"num_classes=0: give a positive"):
        registry.get_model_builder("core_collapse.lenet")(num_classes=0)
