"""Tests of claimbench.data on tiny files written in each real on-disk format, plus the Debian copy."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import importlib
import io
import os
import pickle
import pickletools
import re
import socket
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch
from py2_pickle import CIFAR10_META, py2_dumps

from claimbench import data, errors, vocab

SYSTEM_DIRS = data.SYSTEM_DIRS
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
IDX_DIRS = {"mnist": "MNIST/raw", "fashion_mnist": "FashionMNIST/raw"}


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    """No data root from the environment and no system directories, unless a test sets them."""
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setattr(data, "SYSTEM_DIRS", {})


def md5(content: bytes) -> str:
    return hashlib.md5(content).hexdigest()


def trust(monkeypatch: pytest.MonkeyPatch, name: str, files: dict[str, bytes]) -> None:
    """Make the checksum table publish the digests of these tiny files."""
    monkeypatch.setitem(data.CHECKSUMS, name, {member: md5(content) for member, content in files.items()})


def fake_images(n: int, shape: tuple[int, ...], seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(n, *shape), dtype=np.uint8)


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes: 0x0000, type 0x08, ndim, big-endian int32 sizes, data."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(s.to_bytes(4, "big") for s in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_idx(directory: Path, *, gz: bool, seed: int = 0, level: int = 9) -> dict[str, bytes]:
    """Train (5 images) and test (3 images) IDX files, 28×28; returns each member's unpacked content."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    for prefix, n in (("train", 5), ("t10k", 3)):
        images = fake_images(n, (28, 28), seed)
        labels = np.arange(n, dtype=np.uint8) % 10
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            member, content = f"{prefix}-{kind}-ubyte", idx_bytes(array)
            files[member] = content
            if gz:
                (directory / f"{member}.gz").write_bytes(gzip.compress(content, compresslevel=level, mtime=0))
            else:
                (directory / member).write_bytes(content)
    return files


def write_cifar(root: Path, per_batch: int = 2) -> dict[str, bytes]:
    """cifar-10-batches-py/ with five training batches and a test batch, pickled as the originals."""
    directory = root / "cifar-10-batches-py"
    directory.mkdir(parents=True)
    files = {}
    for i, member in enumerate([f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]):
        batch = {
            b"batch_label": f"batch {i}".encode(),
            b"labels": [(i + j) % 10 for j in range(per_batch)],
            b"data": fake_images(per_batch, (3072,), i),
            b"filenames": [f"img_{i}_{j}.png".encode() for j in range(per_batch)],
        }
        files[member] = pickle.dumps(batch, protocol=2)
        (directory / member).write_bytes(files[member])
    return files


def write_cifar_py2(root: Path, per_batch: int = 10) -> dict[str, bytes]:
    """cifar-10-batches-py/ as the real files are: Python 2 cPickle protocol 2 (py2 ``str`` keys, NumPy 1.x's
    ``numpy.core.multiarray._reconstruct``), keys in the originals' order, plus batches.meta; returns the batches."""
    directory = root / "cifar-10-batches-py"
    directory.mkdir(parents=True)
    files = {}
    members = [(f"data_batch_{k}", f"training batch {k} of 5") for k in range(1, 6)]
    members.append(("test_batch", "testing batch 1 of 1"))
    for i, (member, label) in enumerate(members):
        batch = {
            b"batch_label": label.encode(),
            b"labels": [(3 * i + j) % 10 for j in range(per_batch)],
            b"data": fake_images(per_batch, (3072,), 100 + i),
            b"filenames": [f"py2_image_{i}_{j:06d}.png".encode() for j in range(per_batch)],
        }
        files[member] = py2_dumps(batch)
        (directory / member).write_bytes(files[member])
    (directory / "batches.meta").write_bytes(py2_dumps(CIFAR10_META))
    return files


# ------------------------------------------------------------------------------------ loading


def test_cifar_loads_as_uint8_nchw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    train = data.load("cifar10", "train", tmp_path)
    test = data.load("cifar10", "test", tmp_path)
    assert (train.images.shape, train.images.dtype, train.labels.dtype) == ((10, 3, 32, 32), torch.uint8, torch.int64)
    assert len(test) == 2 and train.verified and test.verified
    assert train.source == tmp_path / "cifar-10-batches-py"
    first = torch.from_numpy(fake_images(2, (3072,), 0)).reshape(2, 3, 32, 32)
    assert torch.equal(train.images[:2], first)
    assert torch.equal(test.images, torch.from_numpy(fake_images(2, (3072,), 5)).reshape(2, 3, 32, 32))
    assert train.labels.tolist() == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5]


def test_cifar_reads_the_python2_pickles_of_the_real_files(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The real batches are cPickle protocol 2 from Python 2 and NumPy 1.x, not what pickle.dumps writes here;
    they load, without a single warning (numpy.core's deprecation included), through the restricted unpickler."""
    files = write_cifar_py2(tmp_path)
    ops = [(op.name, arg) for op, arg, _ in pickletools.genops(files["data_batch_1"])]
    assert ops[0] == ("PROTO", 2) and {arg for name, arg in ops if name == "GLOBAL"} == {
        "numpy.core.multiarray _reconstruct", "numpy ndarray", "numpy dtype"}
    raw = fake_images(10, (3072,), 100).tobytes().decode("latin1")  # pickletools shows py2 str as latin-1
    assert ("SHORT_BINSTRING", "data") in ops and ("BINSTRING", raw) in ops
    assert not {"BINUNICODE", "SHORT_BINBYTES", "BINBYTES"} & {name for name, _ in ops}
    trust(monkeypatch, "cifar10", files)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        train = data.load("cifar10", "train", tmp_path)
        test = data.load("cifar10", "test", tmp_path)
    assert train.verified and test.verified and (len(train), len(test)) == (50, 10)
    expected = np.concatenate([fake_images(10, (3072,), 100 + i) for i in range(5)]).reshape(50, 3, 32, 32)
    assert train.images.dtype == torch.uint8 and torch.equal(train.images, torch.from_numpy(expected))
    assert torch.equal(test.images, torch.from_numpy(fake_images(10, (3072,), 105)).reshape(10, 3, 32, 32))
    assert train.labels.tolist() == [(3 * i + j) % 10 for i in range(5) for j in range(10)]
    assert test.labels.tolist() == [(15 + j) % 10 for j in range(10)]


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_cifar_reads_python3_pickles_as_torchvision_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         protocol: int) -> None:
    """Batches as ``pickle.dumps`` writes them today and torchvision reads them: str keys, labels a list of NumPy
    integers (``numpy._core.multiarray.scalar``), and at protocol 5 the array rebuilt by
    ``numpy._core.numeric._frombuffer``."""
    from torchvision import datasets

    directory = tmp_path / "cifar-10-batches-py"
    directory.mkdir()
    files = {}
    for i, member in enumerate([f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]):
        batch = {"batch_label": f"batch {i}", "labels": list(np.array([i, (7 * i + 3) % 10])),
                 "data": fake_images(2, (3072,), 200 + i)}
        files[member] = pickle.dumps(batch, protocol=protocol)
        (directory / member).write_bytes(files[member])
    (directory / "batches.meta").write_bytes(py2_dumps(CIFAR10_META))
    trust(monkeypatch, "cifar10", files)
    monkeypatch.setattr(datasets.CIFAR10, "_check_integrity", lambda self: True)  # its digests are the originals'
    for split, train in (("train", True), ("test", False)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ours = data.load("cifar10", split, tmp_path)
        theirs = datasets.CIFAR10(str(tmp_path), train=train)
        assert len(ours) == (10 if train else 2)
        assert np.array_equal(ours.images.permute(0, 2, 3, 1).numpy(), theirs.data)
        assert ours.labels.tolist() == [int(label) for label in theirs.targets]


def test_cifar_pickled_again_by_python3_is_unverified_data_of_the_same_images(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The published checksums are of the files' bytes: the originals' batches pickled again as torchvision reads
    them hold the same images and labels, yet check as unverified data (README says so), never as verified."""
    trust(monkeypatch, "cifar10", write_cifar_py2(tmp_path / "published"))
    again = tmp_path / "again/cifar-10-batches-py"
    again.mkdir(parents=True)
    for batch in (tmp_path / "published/cifar-10-batches-py").glob("*_batch*"):
        (again / batch.name).write_bytes(pickle.dumps(pickle.loads(batch.read_bytes(), encoding="latin1")))
    with pytest.raises(data.ChecksumMismatch, match="--claims-allow-unverified-data"):
        data.load("cifar10", "test", again.parent)
    with pytest.warns(UserWarning, match="running on unverified data"):
        repickled = data.load("cifar10", "test", again.parent, allow_unverified=True)
    published = data.load("cifar10", "test", tmp_path / "published")
    assert (published.verified, repickled.verified) == (True, False)
    assert repickled.digest == published.digest


@pytest.mark.parametrize("module, name", [(f"numpy.{core}.{module}", name) for core in ("core", "_core")
                                          for module, name in (("multiarray", "scalar"), ("numeric", "_frombuffer"))])
def test_numpy_1_and_2_names_of_array_and_scalar_builders_are_allowed(module: str, name: str) -> None:
    """NumPy 1.x writes ``numpy.core``, NumPy 2 ``numpy._core``: both are read from the NumPy installed, without
    the deprecation warning ``numpy.core`` gives under NumPy 2."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = data._ArrayUnpickler(io.BytesIO(b"")).find_class(module, name)
    assert found is getattr(importlib.import_module(module.replace("numpy.core", "numpy._core")), name)


def test_python2_pickles_are_byte_exact() -> None:
    """The writer reproduces the real batches.meta (158 bytes; torchvision's MD5 of it) and a py2 NumPy 1.x
    pickle of ``array([1, 2, 3, 4], 'u1')`` as published by pickle readers' tests."""
    meta = py2_dumps(CIFAR10_META)
    assert (len(meta), md5(meta)) == (158, "5ff9c542aee3614f3951f8cda6e48888")
    assert py2_dumps(np.array([1, 2, 3, 4], dtype=np.uint8)) == (
        b"\x80\x02cnumpy.core.multiarray\n_reconstruct\nq\x01cnumpy\nndarray\nq\x02K\x00\x85U\x01b\x87Rq\x03"
        b"(K\x01K\x04\x85cnumpy\ndtype\nq\x04U\x02u1K\x00K\x01\x87Rq\x05"
        b"(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89U\x04\x01\x02\x03\x04tb.")


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
@pytest.mark.parametrize("layout", ["torchvision", "flat"])
@pytest.mark.parametrize("name", ["mnist", "fashion_mnist"])
def test_idx_loads_in_each_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, layout: str,
                                  gz: bool) -> None:
    directory = tmp_path / IDX_DIRS[name] if layout == "torchvision" else tmp_path
    trust(monkeypatch, name, write_idx(directory, gz=gz))
    train = data.load(name, "train", tmp_path)
    test = data.load(name, "test", tmp_path)
    assert (train.images.shape, train.images.dtype, train.labels.dtype) == ((5, 1, 28, 28), torch.uint8, torch.int64)
    assert len(test) == 3 and train.verified and train.source == directory
    assert torch.equal(train.images[:, 0], torch.from_numpy(fake_images(5, (28, 28), 0)))
    assert train.labels.tolist() == [0, 1, 2, 3, 4]


def test_idx_checksum_is_of_decompressed_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-compressed copies (Debian's) differ byte-wise from the originals yet check against one digest."""
    fast, best = tmp_path / "fast", tmp_path / "best"
    files = write_idx(fast / "MNIST/raw", gz=True, level=1)
    assert write_idx(best / "MNIST/raw", gz=True, level=9) == files
    trust(monkeypatch, "mnist", files)
    gz_name = "train-images-idx3-ubyte.gz"
    assert (fast / "MNIST/raw" / gz_name).read_bytes() != (best / "MNIST/raw" / gz_name).read_bytes()
    assert data.load("mnist", "train", fast).verified and data.load("mnist", "train", best).verified


def test_unpacked_file_preferred_over_gz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """torchvision's raw/ holds both; the unpacked copy is read."""
    directory = tmp_path / "MNIST/raw"
    trust(monkeypatch, "mnist", write_idx(directory, gz=False))
    (directory / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip")
    assert data.load("mnist", "train", tmp_path).verified


def test_data_root_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    assert len(data.load("cifar10", "test")) == 2


def test_data_root_from_environment_expands_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``CLAIMBENCH_DATA='~/fm'`` (quoted, so no shell expanded it) reads as ``--claims-data-root=~/fm`` does."""
    monkeypatch.setenv("HOME", str(tmp_path))
    trust(monkeypatch, "cifar10", write_cifar(tmp_path / "fm"))
    monkeypatch.setenv(data.DATA_ENV, "~/fm")
    assert data.load("cifar10", "test").source == tmp_path / "fm/cifar-10-batches-py"
    assert data.missing("cifar10") is None


@pytest.mark.parametrize("folder", ["cifar-10-batches-py-target", "."], ids=["keras3", "keras2"])
def test_cifar_found_in_the_keras_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    """~/.keras/datasets as the data root: Keras 3 unpacks the archive one folder deeper than older Keras."""
    keras = tmp_path / ".keras/datasets"
    trust(monkeypatch, "cifar10", write_cifar(keras / folder))
    test = data.load("cifar10", "test", keras)
    assert test.verified and test.source == keras / folder / "cifar-10-batches-py"
    assert data.missing("cifar10", keras) is None


def test_cifar_found_with_its_own_folder_as_the_data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--claims-data-root=.../cifar-10-batches-py reads it, as a root that is MNIST/raw itself reads MNIST."""
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    folder = tmp_path / "cifar-10-batches-py"
    assert data.load("cifar10", "test", folder).source == folder and data.missing("cifar10", folder) is None


@pytest.mark.parametrize("name, archive, said", [
    ("cifar10", "cifar-10-python.tar.gz", "the archive, not extracted: tar -xzf {path} -C {root}"),
])
def test_missing_data_says_the_form_it_was_found_in_that_is_not_read(tmp_path: Path, name: str, archive: str,
                                                                      said: str) -> None:
    """CIFAR-10's archive not extracted: the data is there in a form that is not read, and the message says so,
    with what to do."""
    path = tmp_path / archive
    path.write_bytes(b"not read")
    note = f"{path}: {said.format(path=path, root=tmp_path)}"
    with pytest.raises(data.DataMissing) as caught:
        data.load(name, "train", tmp_path)
    assert note in str(caught.value), str(caught.value)
    assert note in str(data.missing(name, tmp_path))


def test_flat_root_holding_the_other_dataset_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MNIST and Fashion-MNIST share file names; a flat root is identified by its digests."""
    trust(monkeypatch, "mnist", write_idx(tmp_path, gz=True))
    with pytest.raises(data.DataMissing, match=f"{tmp_path} holds mnist, not fashion_mnist"):
        data.load("fashion_mnist", "train", tmp_path)


# ---------------------------------------------------------------------------------- checksums


def test_cifar_checksum_mismatch_names_file_and_flag(tmp_path: Path) -> None:
    files = write_cifar(tmp_path)
    with pytest.raises(data.ChecksumMismatch) as caught:
        data.load("cifar10", "train", tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "data_batch_1"
    message = str(caught.value)
    assert caught.value.path == path and str(path) in message and "--claims-allow-unverified-data" in message
    assert data.CHECKSUMS["cifar10"]["data_batch_1"] in message and md5(files["data_batch_1"]) in message


def test_idx_checksum_mismatch_names_file_and_flag(tmp_path: Path) -> None:
    files = write_idx(tmp_path / "FashionMNIST/raw", gz=True)
    with pytest.raises(data.ChecksumMismatch) as caught:
        data.load("fashion_mnist", "test", tmp_path)
    path = tmp_path / "FashionMNIST/raw/t10k-images-idx3-ubyte.gz"
    message = str(caught.value)
    assert str(path) in message and "decompressed content" in message and "--claims-allow-unverified-data" in message
    assert (caught.value.expected, caught.value.actual) == (
        data.CHECKSUMS["fashion_mnist"]["t10k-images-idx3-ubyte"], md5(files["t10k-images-idx3-ubyte"]))


def test_a_training_file_holding_the_published_test_file_says_so(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Train and test swapped (each file's digest is the other's published one): the mismatch says which published
    file it holds, as it does of another dataset's, beside both digests."""
    files = write_idx(tmp_path / "FashionMNIST/raw", gz=True)
    trust(monkeypatch, "fashion_mnist", files)
    raw = tmp_path / "FashionMNIST/raw"
    for kind in ("images-idx3", "labels-idx1"):
        train, test = raw / f"train-{kind}-ubyte.gz", raw / f"t10k-{kind}-ubyte.gz"
        content = train.read_bytes()
        train.write_bytes(test.read_bytes())
        test.write_bytes(content)
    published = data.CHECKSUMS["fashion_mnist"]
    with pytest.raises(data.ChecksumMismatch, match=(
            rf"^{re.escape(str(raw / 'train-images-idx3-ubyte.gz'))}: holds the published test images \(MD5 of its "
            rf"decompressed content is {published['t10k-images-idx3-ubyte']}, the published digest of "
            rf"t10k-images-idx3-ubyte, not {published['train-images-idx3-ubyte']}\); replace")):
        data.load("fashion_mnist", "train", tmp_path)
    with pytest.warns(UserWarning, match="running on unverified data"):
        test = data.load("fashion_mnist", "test", tmp_path, allow_unverified=True)
    assert ": holds the published train images (" in test.finding and ": holds the published train labels (" in (
        test.finding), test.finding
    monkeypatch.setitem(data.CHECKSUMS, "fashion_mnist", {**published, "train-labels-idx1-ubyte": "0" * 32})
    monkeypatch.setitem(data.CHECKSUMS, "mnist", {"t10k-labels-idx1-ubyte": published["train-labels-idx1-ubyte"]})
    with pytest.warns(UserWarning, match="running on unverified data"):
        test = data.load("fashion_mnist", "test", tmp_path, allow_unverified=True)
    assert "t10k-labels-idx1-ubyte.gz: holds the published mnist test labels (" in test.finding, "another dataset's"


def test_one_bad_file_fails_the_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    bad = tmp_path / "cifar-10-batches-py" / "data_batch_4"
    bad.write_bytes(bad.read_bytes() + b"\n")
    with pytest.raises(data.ChecksumMismatch, match="data_batch_4"):
        data.load("cifar10", "train", tmp_path)
    verified = data.load("cifar10", "test", tmp_path)
    assert verified.verified and verified.finding == verified.partial == ""


def test_allow_unverified_loads_and_marks(tmp_path: Path) -> None:
    write_cifar(tmp_path)
    write_idx(tmp_path / "MNIST/raw", gz=True)
    with pytest.warns(UserWarning, match="cifar10 train: running on unverified data: .*data_batch_1.*data_batch_5.*; "
                                         "it holds 10 images of the published 50,000, so its verdicts say nothing"):
        cifar = data.load("cifar10", "train", tmp_path, allow_unverified=True)
    with pytest.warns(UserWarning, match="train-labels-idx1-ubyte.gz"):
        mnist = data.load("mnist", "train", tmp_path, allow_unverified=True)
    assert not cifar.verified and not mnist.verified
    assert re.fullmatch(r"cifar10 train: \S+data_batch_1: MD5 of its content is \w+, the published digest is \w+; .*"
                        r"data_batch_5: .*; it holds 10 images of the published 50,000, so its verdicts say nothing "
                        r"of the author's number", cifar.finding), "what was wrong with the data, for the record"
    assert mnist.finding.startswith("mnist train: ") and "5 images of the published 60,000" in mnist.finding
    assert cifar.images.shape == (10, 3, 32, 32) and mnist.images.shape == (5, 1, 28, 28)
    assert cifar.partial == "cifar10 train holds 10 images of the published 50,000", "the count alone, for the judge"
    assert mnist.partial == "mnist train holds 5 images of the published 60,000"


def test_unverified_data_of_the_published_size_is_no_partial_split(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Checksums that differ on a split of the published size (an altered file, a re-encoding) leave it whole: the
    finding says what differs, and no image count is short."""
    write_cifar(tmp_path)
    monkeypatch.setitem(data.PUBLISHED_IMAGES, "cifar10", {"train": 10, "test": 2})
    with pytest.warns(UserWarning, match="cifar10 train: running on unverified data: "):
        altered = data.load("cifar10", "train", tmp_path, allow_unverified=True)
    assert not altered.verified and "data_batch_1: MD5" in altered.finding and altered.partial == ""
    assert "images of the published" not in altered.finding


# -------------------------------------------------------------------------------- missing data


@pytest.mark.parametrize("name, expected_dir, how", [
    ("cifar10", "cifar-10-batches-py", "put cifar-10-batches-py/"),
    ("mnist", "MNIST/raw", "DIR/MNIST/raw/"),
    ("fashion_mnist", "FashionMNIST/raw", "apt-get install dataset-fashion-mnist"),
])
def test_missing_data_says_where_and_how(tmp_path: Path, name: str, expected_dir: str, how: str) -> None:
    """The message, and the brief form a training claim's reason quotes, tell the user to put the data in the
    folder the loader looks in first: the two forms are written apart, and each must follow a moved layout."""
    with pytest.raises(data.DataMissing) as caught:
        data.load(name, "train", tmp_path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{name} train not found")
    assert str(tmp_path / expected_dir) in message and how in message
    assert all(flag in message for flag in ("--claims-data-root=DIR", data.DATA_ENV, "--claims-download"))
    assert caught.value.looked_in[0] == tmp_path / expected_dir
    assert f"{expected_dir}/" in message.split("; to get it, ", 1)[1] and f"{expected_dir}/" in caught.value.lacking


def test_missing_without_any_root_says_so_and_lists_no_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no folder to look in, the files a folder would need are noise: the message says what to give."""
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    with pytest.raises(data.DataMissing) as caught:
        data.load("mnist", "test")
    assert str(caught.value).startswith(
        "mnist test not found: no --claims-data-root or $CLAIMBENCH_DATA to look in; to get it, put the four MNIST")
    assert "idx" not in str(caught.value)
    assert caught.value.lacking == ("no mnist test split (put MNIST/raw/ with its IDX files under "
                                    "--claims-data-root=DIR or $CLAIMBENCH_DATA, or pass --claims-download)")


def test_a_data_root_in_the_environment_that_is_no_folder_is_said_by_the_missing_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stale ``$CLAIMBENCH_DATA`` (its folder deleted, or a file) stops no session: the claims that need data say
    it, naming the variable and its folder, where they would say the data is missing; ``missing`` says it too."""
    for given, problem in ((tmp_path / "gone", "no such directory"), (tmp_path / "a-file", "not a folder")):
        (tmp_path / "a-file").touch()
        monkeypatch.setenv(data.DATA_ENV, str(given))
        said = f"(${data.DATA_ENV}: {given}: {problem})"
        with pytest.raises(data.DataMissing) as caught:
            data.load("cifar10", "train")
        assert said in str(caught.value) and "\n" not in str(caught.value)
        assert said in str(data.missing("cifar10"))
    system = tmp_path / "usr/share/datasets/fashion-mnist"
    trust(monkeypatch, "fashion_mnist", write_idx(system, gz=True))
    monkeypatch.setattr(data, "SYSTEM_DIRS", {"fashion_mnist": (system,)})
    with pytest.warns(UserWarning, match=rf"; \${data.DATA_ENV}: {tmp_path / 'a-file'}: not a folder\); read from"):
        assert data.load("fashion_mnist", "test").source == system  # found where the system keeps it


def test_incomplete_cifar_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    (tmp_path / "cifar-10-batches-py" / "data_batch_3").unlink()
    with pytest.raises(data.DataMissing, match=rf"\({tmp_path / 'cifar-10-batches-py'} lacks data_batch_3\)"):
        data.load("cifar10", "train", tmp_path)


def test_system_directory_searched_after_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "usr/share/datasets/fashion-mnist"
    trust(monkeypatch, "fashion_mnist", write_idx(system, gz=True))
    monkeypatch.setattr(data, "SYSTEM_DIRS", {"fashion_mnist": (system,)})
    with pytest.warns(UserWarning, match=rf"^fashion_mnist train: not under the data root {tmp_path / 'empty'} "
                                         rf"\(looked in .*empty/FashionMNIST/raw, .*\); read from {system}$") as warned:
        assert data.load("fashion_mnist", "train", tmp_path / "empty").source == system  # a mistyped root is said
    assert (warned[0].filename, warned[0].lineno) == (str(tmp_path / "empty"), 0), (
        "located at the data root it is about, not at claimbench's source line (pytest's summary shows it)")
    assert data.load("fashion_mnist", "test").source == system


def test_a_copy_read_elsewhere_keeps_what_the_data_root_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MNIST put in FashionMNIST/raw, with Debian's Fashion-MNIST read instead: the warning says what the data root's
    folder held, not only that the data was not there (as if that folder were empty)."""
    system = tmp_path / "usr/share/datasets/fashion-mnist"
    trust(monkeypatch, "fashion_mnist", write_idx(system, gz=True))
    trust(monkeypatch, "mnist", write_idx(tmp_path / "root/FashionMNIST/raw", gz=True, seed=1))
    monkeypatch.setattr(data, "SYSTEM_DIRS", {"fashion_mnist": (system,)})
    held = re.escape(f"{tmp_path / 'root/FashionMNIST/raw'} holds mnist, not fashion_mnist")
    with pytest.warns(UserWarning, match=rf"^fashion_mnist test: not under the data root .*\(looked in .*; {held}\); "
                                         rf"read from {system}$"):
        assert data.load("fashion_mnist", "test", tmp_path / "root").source == system


@pytest.mark.parametrize("name, split", [("cifar100", "train"), ("mnist", "val")])
def test_unknown_dataset_or_split(name: str, split: str) -> None:
    with pytest.raises(ValueError, match=repr(split if name == "mnist" else name)):
        data.load(name, split)


# ------------------------------------------------------------------------------ malformed files


def test_pickle_referencing_code_is_refused(tmp_path: Path) -> None:
    write_cifar(tmp_path)
    evil = pickle.dumps({b"data": print, b"labels": []}, protocol=2)
    (tmp_path / "cifar-10-batches-py" / "test_batch").write_bytes(evil)
    with pytest.raises(ValueError, match="may not reference .*print"):
        data.load("cifar10", "test", tmp_path, allow_unverified=True)


IDX_DAMAGE = {
    "truncated": ("t10k-images-idx3-ubyte", lambda content: content[:-1], r"IDX header says"),
    "no images": ("t10k-images-idx3-ubyte", lambda _: idx_bytes(fake_images(0, (28, 28), 0)),
                  r"holds no data \(IDX shape \(0, 28, 28\)\)$"),
    "gzip without .gz": ("t10k-images-idx3-ubyte", gzip.compress, r"a gzip file: name it t10k-images-idx3-ubyte\.gz$"),
    "wrong shape": ("t10k-images-idx3-ubyte", lambda _: idx_bytes(fake_images(3, (32, 32), 0)),
                    r"expected N×28×28 images, got \(3, 32, 32\)$"),
    "label out of range": ("t10k-labels-idx1-ubyte", lambda _: idx_bytes(np.array([1, 10, 2], dtype=np.uint8)),
                           r"1 label\(s\) outside 0\.\.9, e\.g\. 10$"),
}
"""An IDX file damaged (the member, what it becomes, what the error says after naming it)."""


@pytest.mark.parametrize("member, damage, message", IDX_DAMAGE.values(), ids=IDX_DAMAGE)
def test_a_damaged_idx_file_is_unreadable_and_named(tmp_path: Path, member: str, damage: Callable[[bytes], bytes],
                                                    message: str) -> None:
    write_idx(tmp_path, gz=False)
    path = tmp_path / member
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(data.DataUnreadable, match=rf"^{re.escape(str(path))}: {message}"):
        data.load("mnist", "test", tmp_path, allow_unverified=True)


def test_truncated_pickle_names_its_file(tmp_path: Path) -> None:
    write_cifar(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "data_batch_3"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(data.DataUnreadable, match=f"^{path}: not a CIFAR-10 python batch"):
        data.load("cifar10", "train", tmp_path, allow_unverified=True)


class _Reduced:
    """Unpickles as ``function(*arguments)``."""

    def __init__(self, function: Callable[..., object], *arguments: object) -> None:
        self.function, self.arguments = function, arguments

    def __reduce__(self) -> tuple[Callable[..., object], tuple[object, ...]]:
        return self.function, self.arguments


UNPICKLING_FAILURES = {
    # NumPy's own reconstructor of an array of 2**62 bytes, which no machine allocates
    "MemoryError": (_Reduced(np.zeros(0).__reduce__()[0], np.ndarray, (2**62,), b"b"), r"\w*MemoryError: Unable"),
    "LookupError": (_Reduced(codecs.encode, "x", "no-such-codec"), r"LookupError: unknown encoding"),
}


@pytest.mark.parametrize("content, message", UNPICKLING_FAILURES.values(), ids=UNPICKLING_FAILURES)
def test_any_failure_to_unpickle_names_its_file(tmp_path: Path, content: object, message: str) -> None:
    """A broken or hostile pickle can raise anything while it is read: every error names the file."""
    write_cifar(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "test_batch"
    path.write_bytes(pickle.dumps({b"data": content, b"labels": [1]}, protocol=2))
    with pytest.raises(data.DataUnreadable, match=rf"^{re.escape(str(path))}: not a CIFAR-10 python batch \({message}"):
        data.load("cifar10", "test", tmp_path, allow_unverified=True)


def test_an_unpickling_error_without_a_message_is_named_by_its_type(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A memo index past the memory (``LONG_BINPUT 0x7fffffff``) raises a bare ``MemoryError()`` where the machine
    cannot allocate it: its type alone, not "MemoryError: "."""
    write_cifar(tmp_path)

    def out_of_memory(self: pickle.Unpickler) -> object:
        raise MemoryError

    monkeypatch.setattr(data._ArrayUnpickler, "load", out_of_memory)
    path = tmp_path / "cifar-10-batches-py" / "test_batch"
    message = rf"^{re.escape(str(path))}: not a CIFAR-10 python batch \(MemoryError\)$"
    with pytest.raises(data.DataUnreadable, match=message):
        data.load("cifar10", "test", tmp_path, allow_unverified=True)


def lock(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """What another user's folder of mode 700 is to us (root reads through chmod): nothing under it can be stat'ed."""
    stat = os.stat

    def locked_stat(path: object, *args: object, **kwargs: object) -> object:
        if Path(path).is_relative_to(folder) and Path(path) != folder:
            raise PermissionError(13, "Permission denied", str(path))
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", locked_stat)


@pytest.mark.parametrize(("name", "locked", "looked_in"), [("mnist", "MNIST", "MNIST/raw"),
                                                           ("cifar10", "cifar-10-batches-py", "cifar-10-batches-py")])
def test_a_folder_that_cannot_be_opened_is_unreadable_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 name: str, locked: str, looked_in: str) -> None:
    """A folder of another user (mode 700) on the way to the files is an unreadable file's one line, naming the
    folder that cannot be opened and the one looked in, both for ``load`` and for ``missing``, never a traceback."""
    trust(monkeypatch, "mnist", write_idx(tmp_path / "MNIST/raw", gz=False))
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    lock(monkeypatch, tmp_path / locked)
    message = (rf"^{re.escape(str(tmp_path / locked))}: a folder that cannot be opened, where {name} is looked for in "
               rf"{re.escape(str(tmp_path / looked_in))} \(PermissionError: \[Errno 13\] Permission denied: .*\)$")
    with pytest.raises(data.DataUnreadable, match=message):
        data.load(name, "train", tmp_path)
    with pytest.raises(data.DataUnreadable, match=message):
        data.missing(name, tmp_path)


def test_a_truncated_unpacked_idx_file_beside_its_gz_says_the_gz_is_not_read(tmp_path: Path) -> None:
    """The unpacked file comes first: truncated beside an intact .gz, its error says that the .gz is there, unread."""
    write_idx(tmp_path, gz=True)
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(gzip.decompress((tmp_path / "t10k-images-idx3-ubyte.gz").read_bytes())[:-10])
    with pytest.raises(data.DataUnreadable, match=rf"^{re.escape(str(path))}: IDX header says .* bytes follow; "
                                                  rf"{re.escape(str(path))}\.gz beside it is not read while it is "
                                                  r"there \(the unpacked file comes first\): remove the unpacked one$"):
        data.load("mnist", "test", tmp_path, allow_unverified=True)


def test_gz_that_is_not_gzip_names_its_file(tmp_path: Path) -> None:
    write_idx(tmp_path, gz=True)
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(data.DataUnreadable, match=f"^{path}: unreadable"):
        data.load("mnist", "test", tmp_path, allow_unverified=True)


@pytest.mark.parametrize("gz", [False, True], ids=["gzip named raw", "raw named gz"])
def test_a_file_named_against_its_packing_says_its_name_before_any_checksum(tmp_path: Path, gz: bool) -> None:
    """Not a checksum mismatch advising --claims-allow-unverified-data, nor gzip's BadGzipFile: the rename."""
    write_idx(tmp_path, gz=gz)
    member = "t10k-labels-idx1-ubyte"
    path, other = (tmp_path / f"{member}.gz", member) if gz else (tmp_path / member, f"{member}.gz")
    content = path.read_bytes()
    path.write_bytes(gzip.decompress(content) if gz else gzip.compress(content))
    what = "an unpacked IDX file, not gzip" if gz else "a gzip file"
    for allow_unverified in (False, True):
        with pytest.raises(data.DataUnreadable, match=rf"^{re.escape(f'{path}: {what}: name it {other}')}$"):
            data.load("mnist", "test", tmp_path, allow_unverified=allow_unverified)


def test_cifar_label_out_of_range_names_its_file(tmp_path: Path) -> None:
    write_cifar(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "test_batch"
    path.write_bytes(pickle.dumps({b"data": fake_images(2, (3072,), 0), b"labels": [3, 12]}, protocol=2))
    with pytest.raises(data.DataUnreadable, match=rf"^{path}: 1 label\(s\) outside 0..9, e.g. 12"):
        data.load("cifar10", "test", tmp_path, allow_unverified=True)


@pytest.mark.parametrize("member, split", [("test_batch", "test"), ("data_batch_2", "train")])
def test_a_cifar_batch_of_no_images_names_its_file(tmp_path: Path, member: str, split: str) -> None:
    """As an empty IDX file: refused at load, not after a whole recipe has trained on the other split. Pickled by
    Python 3 (protocol 2 pickles empty data as a call of ``bytes``, which the reader refuses already)."""
    write_cifar(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / member
    path.write_bytes(pickle.dumps({b"data": fake_images(0, (3072,), 0), b"labels": []}, protocol=4))
    message = rf"^{re.escape(str(path))}: holds no data \(data of shape \(0, 3072\)\)$"
    with pytest.raises(data.DataUnreadable, match=message):
        data.load("cifar10", split, tmp_path, allow_unverified=True)


@pytest.mark.parametrize("labels", [[1.7, 2.0], [True, False], np.array([2.9, 3.0])], ids=["float", "bool", "array"])
def test_cifar_labels_that_are_not_integers_name_their_file(tmp_path: Path, labels: object) -> None:
    """Read as integers, 1.7 would train as class 1 and True as class 1: refused instead."""
    write_cifar(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "test_batch"
    path.write_bytes(pickle.dumps({b"data": fake_images(2, (3072,), 0), b"labels": labels}, protocol=2))
    with pytest.raises(data.DataUnreadable, match=rf"^{path}: labels must be integers, got (float64|bool)"):
        data.load("cifar10", "test", tmp_path, allow_unverified=True)


def test_the_torch_free_channel_table_is_the_images_shape() -> None:
    """The ledger checks a recipe's mean and std against ``vocab.CHANNELS``; the images loaded have as many."""
    assert vocab.CHANNELS == {name: shape[0] for name, shape in data.IMAGE_SHAPES.items()}


def test_load_failures_are_measurement_errors() -> None:
    assert issubclass(data.ChecksumMismatch, errors.MeasurementError)
    assert issubclass(data.DataUnreadable, errors.MeasurementError)


def test_digest_is_the_content() -> None:
    images = torch.zeros(2, 1, 2, 2, dtype=torch.uint8)
    first = data.Dataset(images, torch.tensor([0, 1]), verified=True, source=Path("a"))
    same = data.Dataset(images.clone(), torch.tensor([0, 1]), verified=False, source=Path("b"))
    other = data.Dataset(images, torch.tensor([1, 1]), verified=True, source=Path("a"))
    assert first.digest == same.digest != other.digest and len(first.digest) == 64


# ------------------------------------------------------------------------------- Keras's mnist.npz


def keras_arrays(train: int = 5, test: int = 3) -> dict[str, np.ndarray]:
    """The four arrays of Keras's mnist.npz, as ``write_idx`` writes the same images and labels."""
    return {"x_train": fake_images(train, (28, 28), 0), "y_train": np.arange(train, dtype=np.uint8) % 10,
            "x_test": fake_images(test, (28, 28), 0), "y_test": np.arange(test, dtype=np.uint8) % 10}


def write_npz(root: Path, arrays: dict[str, np.ndarray], *, compressed: bool = False) -> Path:
    """``root/mnist.npz`` as Keras keeps it: ``np.savez`` of the four arrays (``keras_arrays``)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "mnist.npz"
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return path


def trust_npz(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make Keras's published SHA-256 of mnist.npz that of this tiny file."""
    monkeypatch.setitem(data.KERAS_NPZ, "mnist", ("mnist.npz", hashlib.sha256(path.read_bytes()).hexdigest()))


@pytest.mark.parametrize("compressed", [False, True], ids=["savez", "savez_compressed"])
def test_mnist_npz_loads_as_the_idx_files_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             compressed: bool) -> None:
    """A data root holding only Keras's mnist.npz gives the tensors the IDX files of the same digits give."""
    trust(monkeypatch, "mnist", write_idx(tmp_path / "idx/MNIST/raw", gz=True))
    trust_npz(monkeypatch, write_npz(tmp_path / "keras", keras_arrays(), compressed=compressed))
    for split in data.SPLITS:
        from_idx, from_npz = data.load("mnist", split, tmp_path / "idx"), data.load("mnist", split, tmp_path / "keras")
        assert from_npz.verified and from_npz.source == tmp_path / "keras" and from_npz.finding == ""
        assert from_npz.images.dtype == torch.uint8 and from_npz.labels.dtype == torch.int64
        assert torch.equal(from_npz.images, from_idx.images) and torch.equal(from_npz.labels, from_idx.labels)
    assert len(from_npz) == 3 and data.missing("mnist", tmp_path / "keras") is None


def test_idx_files_come_before_mnist_npz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a data root holds both, the IDX files are read, as they were before mnist.npz was."""
    trust(monkeypatch, "mnist", write_idx(tmp_path / "MNIST/raw", gz=False))
    trust_npz(monkeypatch, write_npz(tmp_path, keras_arrays(train=7)))
    assert data.load("mnist", "train", tmp_path).source == tmp_path / "MNIST/raw"


def test_mnist_npz_of_another_digest_is_unverified_data(tmp_path: Path) -> None:
    """An npz whose SHA-256 is not Keras's: refused without the flag, naming the file and both digests; with it,
    loaded and marked unverified, as a mismatched IDX file is."""
    path = write_npz(tmp_path, keras_arrays())
    actual, published = hashlib.sha256(path.read_bytes()).hexdigest(), data.KERAS_NPZ["mnist"][1]
    said = f"{path}: SHA-256 of its content is {actual}, the published digest is {published}"
    with pytest.raises(data.ChecksumMismatch, match=rf"^{re.escape(said)}; .*--claims-allow-unverified-data"):
        data.load("mnist", "train", tmp_path)
    with pytest.warns(UserWarning, match=rf"mnist test: running on unverified data: {re.escape(said)}; it holds 3"):
        test = data.load("mnist", "test", tmp_path, allow_unverified=True)
    assert not test.verified and test.finding.startswith(f"mnist test: {said}; it holds 3 images of the published")
    assert test.partial == "mnist test holds 3 images of the published 10,000" and test.images.shape == (3, 1, 28, 28)


def _without(arrays: dict[str, np.ndarray], key: str) -> dict[str, np.ndarray]:
    return {name: array for name, array in arrays.items() if name != key}


@pytest.mark.parametrize("arrays, said", [
    (_without(keras_arrays(), "y_train"), "no array 'y_train'"),
    ({**keras_arrays(), "x_train": keras_arrays()["x_train"].astype(np.float32)}, "x_train"),
    ({**keras_arrays(), "y_train": keras_arrays()["y_train"].astype(np.int64)}, "y_train"),
    ({**keras_arrays(), "x_train": fake_images(5, (28, 27), 0)}, "x_train"),
    ({**keras_arrays(), "x_train": fake_images(5, (1, 28, 28), 0)}, "x_train"),
    ({**keras_arrays(), "y_train": np.zeros((5, 1), dtype=np.uint8)}, "y_train"),
    ({**keras_arrays(), "y_train": np.zeros(4, dtype=np.uint8)}, "y_train"),
    ({**keras_arrays(train=0), "y_test": keras_arrays()["y_test"]}, "x_train"),
    ({**keras_arrays(), "y_train": np.full(5, 10, dtype=np.uint8)}, "outside 0..9"),
    ({**keras_arrays(), "y_train": np.array([1, 2, 3, 4, 5], dtype=object)}, "y_train"),
], ids=["missing-key", "float-images", "int64-labels", "wrong-size", "extra-axis", "2d-labels", "label-count",
        "no-images", "label-range", "pickled-objects"])
def test_a_malformed_mnist_npz_is_one_line_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            arrays: dict[str, np.ndarray], said: str) -> None:
    """A key missing, a dtype or shape that is not Keras's, or an object array (never unpickled): ``DataUnreadable``
    in one line that begins with the file and says what is wrong."""
    path = write_npz(tmp_path, arrays)
    trust_npz(monkeypatch, path)
    with pytest.raises(data.DataUnreadable) as caught:
        data.load("mnist", "train", tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and said in message and "\n" not in message, message


def test_a_file_named_mnist_npz_that_is_no_npz_is_one_line_naming_it(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mnist.npz"
    path.write_bytes(b"not read")
    trust_npz(monkeypatch, path)
    with pytest.raises(data.DataUnreadable, match=rf"^{re.escape(str(path))}: not Keras's mnist.npz \(") as caught:
        data.load("mnist", "test", tmp_path)
    assert "\n" not in str(caught.value)


def test_mnist_npz_is_never_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An object array in mnist.npz is refused without calling pickle: a hostile file cannot run code."""
    path = write_npz(tmp_path, {**keras_arrays(), "y_test": np.array([object()] * 3, dtype=object)})
    trust_npz(monkeypatch, path)
    monkeypatch.setattr(pickle, "load", lambda *_, **__: pytest.fail("mnist.npz was unpickled"))
    monkeypatch.setattr(pickle, "loads", lambda *_, **__: pytest.fail("mnist.npz was unpickled"))
    with pytest.raises(data.DataUnreadable, match=re.escape(str(path))):
        data.load("mnist", "test", tmp_path)


# ------------------------------------------------------------------------------------- network


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection, or to reach torchvision's downloaders, fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    from torchvision import datasets

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(data, "_download", refuse)
    for cls in ("CIFAR10", "MNIST", "FashionMNIST"):
        monkeypatch.setattr(datasets, cls, refuse)


@pytest.mark.usefixtures("no_network")
def test_nothing_touches_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    assert len(data.load("cifar10", "train", tmp_path)) == 10
    with pytest.raises(data.DataMissing):
        data.load("fashion_mnist", "train", tmp_path)
    write_idx(tmp_path / "MNIST/raw", gz=True)
    with pytest.raises(data.ChecksumMismatch):
        data.load("mnist", "test", tmp_path)
    with pytest.warns(UserWarning):
        assert not data.load("mnist", "test", tmp_path, allow_unverified=True).verified


def test_download_only_when_asked_and_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_download(name: str, root: Path) -> None:
        calls.append((name, root))
        trust(monkeypatch, name, write_idx(root / IDX_DIRS[name], gz=True))

    monkeypatch.setattr(data, "_download", fake_download)
    with pytest.raises(data.DataMissing):
        data.load("mnist", "train", tmp_path)
    assert calls == []
    assert data.load("mnist", "train", tmp_path, download=True).verified
    assert data.load("mnist", "test", tmp_path, download=True).verified
    assert calls == [("mnist", tmp_path)]


def test_a_failed_download_names_dataset_and_folder_and_is_tried_once(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """No network: one line naming the dataset and the folder, and every later claim of the dataset gets it
    without another attempt (another folder is tried)."""
    from torchvision import datasets

    tried = []

    def refused(self: datasets.CIFAR10) -> None:
        tried.append(Path(self.root))
        raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))

    monkeypatch.setattr(datasets.CIFAR10, "download", refused)
    for root in (tmp_path, tmp_path, tmp_path / "other"):
        for split in data.SPLITS:
            message = (rf"^cifar10: download into {re.escape(str(root))} failed: "
                       r"URLError: <urlopen error \[Errno 111\] Connection refused>$")
            with pytest.raises(errors.MeasurementError, match=message):
                data.load("cifar10", split, root, download=True)
    assert tried == [tmp_path, tmp_path / "other"]


def test_a_failed_mnist_download_says_each_mirror_and_its_error_in_one_line(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """torchvision's MNIST download error lists the mirrors it tried and their errors on lines of their own, after a
    first line that says nothing: the reason keeps them all, joined in one line."""
    from torchvision import datasets
    from torchvision.datasets import mnist

    def offline(url: str, *args: object, **kwargs: object) -> None:
        raise urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(datasets.MNIST, "mirrors", ["https://a.example/mnist/", "https://b.example/mnist/"])
    monkeypatch.setattr(mnist, "download_and_extract_archive", offline)
    with pytest.raises(errors.MeasurementError) as caught:
        data.load("mnist", "train", tmp_path, download=True)
    assert str(caught.value) == (
        f"mnist: download into {tmp_path} failed: RuntimeError: Error downloading train-images-idx3-ubyte.gz: Tried "
        "https://a.example/mnist/, got: <urlopen error [Errno -3] Temporary failure in name resolution> Tried "
        "https://b.example/mnist/, got: <urlopen error [Errno -3] Temporary failure in name resolution>")


def test_download_needs_a_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "_download", pytest.fail)
    with pytest.raises(data.DataMissing, match="--claims-download needs a place to put it"):
        data.load("cifar10", "train", download=True)


@pytest.mark.parametrize("name, cls", [("cifar10", "CIFAR10"), ("mnist", "MNIST"), ("fashion_mnist", "FashionMNIST")])
def test_download_goes_through_torchvision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                           cls: str) -> None:
    from torchvision import datasets

    calls = []
    monkeypatch.setattr(datasets, cls, lambda *args, **kwargs: calls.append((args, kwargs)))
    data.download(name, tmp_path)
    assert calls == [((str(tmp_path),), {"train": True, "download": True})]


# ------------------------------------------------------------------------- Dataset and holdout


def numbered(n: int) -> data.Dataset:
    """A dataset whose image i is filled with i % 256 and whose label i is i."""
    images = (torch.arange(n) % 256).to(torch.uint8).view(n, 1, 1, 1).expand(n, 1, 2, 2).contiguous()
    return data.Dataset(images=images, labels=torch.arange(n), verified=True, source=Path("numbered"))


def test_dataset_to_device_is_a_copy() -> None:
    dataset = numbered(4)
    moved = dataset.to("cpu")
    assert len(moved) == 4 and moved.verified and moved.source == dataset.source
    assert torch.equal(moved.images, dataset.images) and moved is not dataset


def test_dataset_rejects_wrong_dtypes() -> None:
    with pytest.raises(ValueError, match="uint8"):
        data.Dataset(torch.zeros(2, 1, 2, 2), torch.zeros(2, dtype=torch.int64), True, Path("x"))
    with pytest.raises(ValueError, match="int64"):
        data.Dataset(torch.zeros(2, 1, 2, 2, dtype=torch.uint8), torch.zeros(3, dtype=torch.int64), True, Path("x"))


def test_split_holdout_is_a_seeded_partition() -> None:
    dataset = numbered(50)
    train, val = data.split_holdout(dataset, 5, torch.Generator().manual_seed(0))
    again, val_again = data.split_holdout(dataset, 5, torch.Generator().manual_seed(0))
    _, other = data.split_holdout(dataset, 5, torch.Generator().manual_seed(1))
    assert (len(train), len(val)) == (45, 5)
    assert sorted(train.labels.tolist() + val.labels.tolist()) == list(range(50))
    assert train.labels.tolist() == sorted(train.labels.tolist())
    assert torch.equal(train.images[:, 0, 0, 0].long(), train.labels % 256)
    assert torch.equal(val.labels, val_again.labels) and torch.equal(train.labels, again.labels)
    assert not torch.equal(val.labels, other.labels)


@pytest.mark.parametrize("size", [0, 50])
def test_split_holdout_rejects_bad_sizes(size: int) -> None:
    with pytest.raises(ValueError, match=str(size)):
        data.split_holdout(numbered(50), size, torch.Generator())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")
@pytest.mark.parametrize("generator_device", ["cpu", "cuda"])
def test_split_holdout_runs_on_cuda(generator_device: str) -> None:
    train, val = data.split_holdout(numbered(10).to("cuda"), 3, torch.Generator(generator_device).manual_seed(0))
    assert train.images.device.type == "cuda" and len(val) == 3


# ------------------------------------------------------------------------------ real Debian data


@pytest.mark.skipif(not DEBIAN_FASHION_MNIST.is_dir(),
                    reason=f"{DEBIAN_FASHION_MNIST} absent (apt-get install dataset-fashion-mnist)")
def test_debian_fashion_mnist_found_without_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "SYSTEM_DIRS", SYSTEM_DIRS)
    train, test = data.load("fashion_mnist", "train"), data.load("fashion_mnist", "test")
    assert (len(train), len(test)) == (60000, 10000)
    assert train.verified and test.verified and train.source == DEBIAN_FASHION_MNIST
    assert train.images.shape == (60000, 1, 28, 28) and train.labels.bincount().tolist() == [6000] * 10


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gz"])
def test_a_file_larger_than_any_of_the_dataset_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  gz: bool) -> None:
    """A gzip bomb (or a huge raw file) is refused at a bound, before it fills the memory."""
    write_idx(tmp_path, gz=gz)
    monkeypatch.setattr(data, "LARGEST_FILE", 1000)
    path = tmp_path / f"t10k-images-idx3-ubyte{'.gz' * gz}"
    if gz:
        path.write_bytes(gzip.compress(bytes(5000)))
        assert path.stat().st_size < 1000
    more = "unpacks to more than 1,000 bytes" if gz else "bytes, more than any file of mnist holds"
    with pytest.raises(data.DataUnreadable, match=f"^{path}: .*{more}"):
        data.load("mnist", "test", tmp_path, allow_unverified=True)
