"""The run store's key for lazy models and for compiled runs, a corrupt run that another worker set aside first, a
run or checkpoint that cannot be read, and file names Windows allows."""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fed_fifo import fed_fifo
from held_lock import held_until_said
from torch import nn

import models.core_collapse  # noqa: F401  (registers its lazy MLC models)
from claimbench import errors, ledger, model_code, registry, results, train
from claimbench.history import Epoch, History
from claimbench.ledger import Claim, Recipe, Step, Tolerance
from claimbench.runs import store
from claimbench.runs.settings import Settings

REFERENCE = Path(__file__).resolve().parent.parent / "reference"


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


def test_a_second_run_set_aside_in_the_same_second_never_overwrites_the_first(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Two corrupt runs of one name set aside one after the other (within a second, as two sessions may) both stay,
    the second beside the first under the first free name, and each message names its own."""
    monkeypatch.setattr(time, "strftime", lambda *args: "20261206T120000")  # one second for both
    lines: list[str] = []
    settings = Settings(device="cpu", results_dir=tmp_path, progress=lines.append)
    path = tmp_path / "run.json"
    for content in ("first", "second"):
        path.write_text(content, encoding="utf-8")
        with pytest.warns(errors.ClaimbenchWarning):
            store.set_aside(path, "corrupt stored run", settings)
    asides = sorted(tmp_path.iterdir())
    assert [file.read_text(encoding="utf-8") for file in asides] == ["first", "second"], "set aside, not lost"
    assert lines == [f"{path}: corrupt stored run; set aside as {aside.name}: it is not used" for aside in asides]


@pytest.mark.parametrize("number", [errno.EACCES, errno.EIO, errno.EMFILE])
def test_a_stored_run_or_checkpoint_that_cannot_be_read_is_an_error_and_left_where_it_is(
        tmp_path: Path, unreadable: Callable[[Path, int], None], number: int) -> None:
    """Another user's file, an I/O error, no descriptor left: a failure of ours to read, which says nothing of the
    content. The claim is an ``error`` naming the file and why; nothing is set aside, retrained or lost."""
    settings = Settings(device="cpu", results_dir=tmp_path)
    claim, _, _ = _accuracy_claim("small_cnn", epochs=2)
    path, checkpoint = tmp_path / "run.json", tmp_path / "run.ckpt"
    path.write_text("{}", encoding="utf-8")  # corrupt, were it read
    checkpoint.write_bytes(b"not a checkpoint")
    for file, what, then in ((path, "the training run", "train it again"),
                             (checkpoint, "the checkpoint", "train from epoch 1")):
        unreadable(file, number)
        with pytest.raises(errors.MeasurementError) as raised:
            store.read(path, settings) if file == path else store.resumable(path, claim, 0, settings, 64)
        assert str(raised.value) == (f"{file}: cannot read {what} ({os.strerror(number)}); left as it is: make it "
                                     f"readable, or delete it to {then}")
    assert sorted(file.name for file in tmp_path.iterdir()) == ["run.ckpt", "run.json"]


def _accuracy_claim(model: str, epochs: int) -> tuple[Claim, Recipe, dict[str, object]]:
    """A CIFAR-10 accuracy claim of ``model`` trained ``epochs`` with Adam, its recipe, and a data identity."""
    recipe = Recipe(optimizer="adam", lr=1e-3, batch_size=32, epochs=epochs, schedule="constant", validation="none",
                    normalize="unit")
    claim = Claim(id="t/accuracy", report="t", kind="accuracy", value=60.0, printed="60", source="a test",
                  tolerance=Tolerance(), file="t.toml", model=model, dataset="cifar10", recipe=recipe)
    return claim, recipe, {"train": "0" * 64, "test": "1" * 64, "verified": True}


def test_a_compiled_run_is_another_run_and_an_uncompiled_one_keeps_its_key(monkeypatch: pytest.MonkeyPatch,
                                                                             tmp_path: Path) -> None:
    """``--claims-train-compile`` is in the key when on, and a run without it keeps the key it was stored under
    before compile was part of it (the digest below is what the store computed then)."""
    monkeypatch.setattr(store, "architecture", lambda reference: "architecture")
    monkeypatch.setattr(store, "engine", lambda: "engine")
    claim, recipe, identity = _accuracy_claim("iot_ml_hw2.model1", epochs=2)
    plain = Settings(device="cpu", results_dir=tmp_path)
    uncompiled = store.path_for(claim, recipe, 0, plain, identity)
    assert uncompiled.name == "iot_ml_hw2.model1-cifar10-seed0-cpu-e21c6d80dcba.json"
    assert store.path_for(claim, recipe, 0, dataclasses.replace(plain, compile=True), identity) != uncompiled


def test_a_recipe_key_added_later_changes_no_run_key_nor_claim_digest_while_unset(monkeypatch: pytest.MonkeyPatch,
                                                                                   tmp_path: Path) -> None:
    """``step`` came after runs were stored and records digested: a recipe without it keeps its run's key (the
    digest above) and its claims' digest (the one results/claims.json recorded before it, for this claim of the
    iot_ml_hw2 ledger), and one with it set is another run and another claim."""
    monkeypatch.setattr(store, "architecture", lambda reference: "architecture")
    monkeypatch.setattr(store, "engine", lambda: "engine")
    claim, recipe, identity = _accuracy_claim("iot_ml_hw2.model1", epochs=2)
    plain = Settings(device="cpu", results_dir=tmp_path)
    stepped = dataclasses.replace(recipe, schedule="step", step=Step(milestones=(1,), gamma=0.1))
    unset = store.path_for(claim, recipe, 0, plain, identity)
    assert unset.name == "iot_ml_hw2.model1-cifar10-seed0-cpu-e21c6d80dcba.json"
    assert store.path_for(claim, stepped, 0, plain, identity) != unset
    iot = {each.id: each for each in ledger.load(REFERENCE / "iot_ml_hw2.toml")}["iot_ml_hw2/accuracy/model1/train"]
    assert iot.recipe is not None and iot.recipe.step is None
    assert results.claim_digest(iot) == "76cf62a5a1b9d2be"
    assert results.claim_digest(dataclasses.replace(iot, recipe=dataclasses.replace(
        iot.recipe, schedule="step", step=Step(milestones=(1,), gamma=0.1)))) != "76cf62a5a1b9d2be"


def test_a_helper_the_forward_calls_edited_is_another_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The run's key covers the model's code (``model_code.digest``), not only its builder's and its forwards'
    source: a helper a forward calls, in another module of the package or beside the builder, edited to output
    zeros is another run (the broken model reused the run its working code had stored)."""
    package = tmp_path / "zoo_act"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "blocks.py").write_text("def act(x):\n    return x.relu()\n")
    (package / "zoo.py").write_text(
        "from torch import nn\n\nfrom zoo_act import blocks\n\n\ndef swish(x):\n    return x * x.sigmoid()\n\n\n"
        "class Net(nn.Linear):\n    def forward(self, x):\n        return swish(blocks.act(super().forward(x)))\n\n\n"
        "def build():\n    return Net(4, 2)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(store, "architecture", store.architecture.__wrapped__)  # no cache: each call reads
    monkeypatch.setattr(model_code, "digest", model_code.digest.__wrapped__)
    claim, recipe, identity = _accuracy_claim("zoo_act.zoo:build", epochs=1)
    settings = Settings(device="cpu", results_dir=tmp_path)
    paths = {store.path_for(claim, recipe, 0, settings, identity)}
    (package / "blocks.py").write_text("def act(x):\n    return x * 0\n")
    paths.add(store.path_for(claim, recipe, 0, settings, identity))
    (package / "zoo.py").write_text((package / "zoo.py").read_text().replace("x * x.sigmoid()", "x * 0"))
    paths.add(store.path_for(claim, recipe, 0, settings, identity))
    assert len(paths) == 3


def test_a_session_marker_that_is_not_text_is_not_this_sessions(tmp_path: Path) -> None:
    """A retrain reads only the runs this session wrote; a marker of binary garbage is simply not this session's
    (a UnicodeDecodeError failed the claim before)."""
    settings = Settings(device="cpu", results_dir=tmp_path, session="this session", retrain=True)
    path = tmp_path / "run.json"
    store.write(path, {"history": {}, "verified_data": True}, settings)
    path.with_suffix(".session").write_bytes(b"\xff\xfe not text")
    assert store.read(path, settings) is None and path.exists()


def test_a_planted_marker_never_makes_a_retrain_take_an_earlier_run_for_its_own(tmp_path: Path) -> None:
    """A marker naming the retrain's session beside a run an earlier session stored (a shared store, a committed
    ``runs/``) made the retrain read that run as retrained; the marker is signed now, so only one this retrain
    stored counts."""
    epoch = Epoch(epoch=1, lr=1e-3, seconds=1.0, train_loss=1.0, train_running_acc=50.0, val=None, test=None)
    record = {"history": History(epochs=[epoch]).to_dict(), "verified_data": True}
    path = tmp_path / "run.json"
    store.write(path, record, Settings(device="cpu", results_dir=tmp_path, session="an earlier session"))
    retraining = Settings(device="cpu", results_dir=tmp_path, session="this session", retrain=True)
    path.with_suffix(".session").write_text(retraining.marker)
    assert store.read(path, retraining) is None
    store.write(path, record, retraining)
    assert store.read(path, retraining) is not None, "the marker it wrote itself is its own"


def test_a_stored_run_removes_its_checkpoint_and_the_temporary_files_of_its_checkpoint(tmp_path: Path) -> None:
    """Once the run is stored, its checkpoint and any write of it a killed writer left (of any host) are gone;
    another file's temporary file stays."""
    settings = Settings(device="cpu", results_dir=tmp_path, session="this session")
    path = tmp_path / "run.json"
    left = [tmp_path / "run.ckpt", tmp_path / ".claimbench-run.ckpt.elsewhere.1.a1b2c3d4.tmp"]
    other = tmp_path / ".claimbench-other.ckpt.elsewhere.1.a1b2c3d4.tmp"
    for file in (*left, other):
        file.write_text("half")
    store.write(path, {"history": {}, "verified_data": True}, settings)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, "run.json", "run.session"])


WINDOWS_FORBIDS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
"""The characters no file name holds on Windows (NTFS takes ``a:b`` for the stream ``b`` of the file ``a``)."""


def test_a_run_of_a_model_reference_is_stored_under_a_name_windows_allows(monkeypatch: pytest.MonkeyPatch,
                                                                          tmp_path: Path) -> None:
    """``torchvision:resnet18`` trained on ``cuda:0``: its run, the run's lock and a corrupt run set aside are named
    with ``~`` for the ``:``, the digest keeping the key, in the results folder itself."""
    monkeypatch.setattr(store, "architecture", lambda reference: "architecture")
    monkeypatch.setattr(store, "engine", lambda: "engine")
    claim, recipe, identity = _accuracy_claim("torchvision:resnet18", epochs=2)
    settings = Settings(device="cuda:0", results_dir=tmp_path)
    path = store.path_for(claim, recipe, 0, settings, identity)
    assert path.parent == tmp_path and not WINDOWS_FORBIDS.search(path.name), path.name
    assert re.fullmatch(r"torchvision~resnet18-cifar10-seed0-cuda-[0-9a-f]{12}\.json", path.name)
    with store.locked(path):
        path.write_text("{")
    with pytest.warns(UserWarning, match="corrupt stored run"):
        assert store.read(path, settings) is None
    written = sorted(file.name for file in tmp_path.iterdir())
    assert len(written) == 2 and not any(map(WINDOWS_FORBIDS.search, written)), written


def test_a_run_lock_another_process_holds_is_waited_for_saying_so_in_one_line(tmp_path: Path) -> None:
    """A run's lock held elsewhere (a worker training the run) is said, naming the lock, before the wait, which ends
    when it is released; the block learns that it waited. One free at once is taken without a word."""
    path = tmp_path / "model-cifar10-seed0-cpu-0123456789ab.json"
    said: list[str] = []
    with store.locked(path, said.append) as waited:
        assert said == [] and waited is False
    lock = path.with_suffix(".lock")
    say, lines, released = held_until_said(lock)
    with store.locked(path, say) as waited:
        assert released.is_set() and waited is True
    assert lines == [f"{lock}: another process holds this run (training or storing it); waiting for it to finish "
                     "(Ctrl-C to stop)"]


def test_a_stored_run_a_marker_or_a_failure_that_is_a_fifo_is_never_waited_on_nor_trusted(tmp_path: Path) -> None:
    """A FIFO planted in a shared store blocked a plain read until a writer came, and what it wrote was read as
    the file: a stored run, this session's marker, a failure. Now each is opened without waiting and refused as no
    regular file: the run and the failure are set aside as corrupt, the marker is not this session's."""
    settings = Settings(device="cpu", results_dir=tmp_path, session="this session")
    path = tmp_path / "run.json"
    store.write(path, {"history": {}, "verified_data": True}, settings)
    record = path.read_bytes()
    path.unlink()
    with fed_fifo(path, record), pytest.warns(errors.ClaimbenchWarning, match=(
            rf"^{path}: corrupt stored run \(NotRegularFile: a FIFO, not a regular file\); set aside as "
            r"run\.json\.corrupt-1: it is not used$")):
        assert store.read(path, settings) is None
    store.write(path, {"history": {}, "verified_data": True}, settings)
    marker = path.with_suffix(".session")
    marker.unlink()
    retraining = Settings(device="cpu", results_dir=tmp_path, session="this session", retrain=True)
    with fed_fifo(marker, retraining.marker.encode()):
        assert store.read(path, retraining) is None, "a FIFO is no marker of this session's"
    failed = path.with_suffix(".failed")
    with fed_fifo(failed, b'{"session": "this session", "reason": "planted"}'), pytest.warns(
            errors.ClaimbenchWarning, match=r"corrupt record of a failed run \(NotRegularFile: a FIFO"):
        store.raise_failure(path, settings)
    assert failed.with_name("run.failed.corrupt-1").is_fifo()


def test_a_stored_run_that_is_a_symlink_is_set_aside_and_what_it_names_left_alone(tmp_path: Path) -> None:
    """A committed ``runs/<key>.json`` linking to ``/dev/zero`` filled the memory; one linking to any file was read
    as the run. A symlink is never followed: set aside as corrupt, the file it names untouched."""
    settings = Settings(device="cpu", results_dir=tmp_path / "runs", session="this session")
    elsewhere = tmp_path / "elsewhere.json"
    path = settings.results_dir / "run.json"
    store.write(path, {"history": {}, "verified_data": True}, settings)
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    with pytest.warns(errors.ClaimbenchWarning, match=r"corrupt stored run \(NotRegularFile: a symbolic link, which "
                                                      r"is never followed\)"):
        assert store.read(path, settings) is None
    assert path.with_name("run.json.corrupt-1").is_symlink() and elsewhere.is_file()
    linked = Settings(device="cpu", results_dir=tmp_path / "linked", session="this session")
    linked.results_dir.symlink_to(settings.results_dir, target_is_directory=True)
    store.write(linked.results_dir / "run.json", {"history": {}, "verified_data": True}, linked)
    with pytest.warns(errors.ClaimbenchWarning, match=r"history\.epochs"):  # read, found an empty history
        store.read(linked.results_dir / "run.json", linked)


def test_a_checkpoint_that_is_a_fifo_is_corrupt_and_never_waited_on(tmp_path: Path) -> None:
    """The checkpoint's probe open blocked on a FIFO (and torch.load after it): now it is corrupt at once."""
    checkpoint = tmp_path / "run.ckpt"
    with fed_fifo(checkpoint, b"not a checkpoint"), pytest.raises(train.CorruptCheckpoint, match=(
            rf"^{checkpoint}: corrupt checkpoint \(NotRegularFile: a FIFO, not a regular file\)")):
        train.saved(checkpoint)


def test_a_run_lock_that_is_a_symlink_is_never_followed(tmp_path: Path) -> None:
    """Opening the lock created the file a planted ``<run>.lock`` symlink names, anywhere the job may write: now
    the lock is unusable, in one line, and nothing is created."""
    path, planted = tmp_path / "runs" / "run.json", tmp_path / "planted"
    path.parent.mkdir()
    path.with_suffix(".lock").symlink_to(planted)
    with pytest.raises(errors.MeasurementError) as raised, store.locked(path):
        pass
    assert str(raised.value) == (f"{path.with_suffix('.lock')}: cannot lock the training run (a symbolic link); "
                                 "remove what is there (claimbench creates an empty file) or give another "
                                 "--claims-results-dir")
    assert not planted.exists() and not store.held(path)
