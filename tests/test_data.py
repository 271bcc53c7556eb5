"""Tests of claimbench.data on tiny files written in each real on-disk format, plus the Debian copy."""

from __future__ import annotations

import gzip
import hashlib
import pickle
import socket
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from claimbench import data, verdict, vocab

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


def test_one_bad_file_fails_the_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    bad = tmp_path / "cifar-10-batches-py" / "data_batch_4"
    bad.write_bytes(bad.read_bytes() + b"\n")
    with pytest.raises(data.ChecksumMismatch, match="data_batch_4"):
        data.load("cifar10", "train", tmp_path)
    assert data.load("cifar10", "test", tmp_path).verified


def test_allow_unverified_loads_and_marks(tmp_path: Path) -> None:
    write_cifar(tmp_path)
    write_idx(tmp_path / "MNIST/raw", gz=True)
    with pytest.warns(UserWarning, match="cifar10 train: running on unverified data: .*data_batch_1.*data_batch_5"):
        cifar = data.load("cifar10", "train", tmp_path, allow_unverified=True)
    with pytest.warns(UserWarning, match="train-labels-idx1-ubyte.gz"):
        mnist = data.load("mnist", "train", tmp_path, allow_unverified=True)
    assert not cifar.verified and not mnist.verified
    assert cifar.images.shape == (10, 3, 32, 32) and mnist.images.shape == (5, 1, 28, 28)


# -------------------------------------------------------------------------------- missing data


@pytest.mark.parametrize("name, expected_dir, how", [
    ("cifar10", "cifar-10-batches-py", "put cifar-10-batches-py/"),
    ("mnist", "MNIST/raw", "DIR/MNIST/raw/"),
    ("fashion_mnist", "FashionMNIST/raw", "apt-get install dataset-fashion-mnist"),
])
def test_missing_data_says_where_and_how(tmp_path: Path, name: str, expected_dir: str, how: str) -> None:
    with pytest.raises(data.DataMissing) as caught:
        data.load(name, "train", tmp_path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{name} train not found")
    assert str(tmp_path / expected_dir) in message and how in message
    assert all(flag in message for flag in ("--claims-data-root DIR", data.DATA_ENV, "--claims-download"))
    assert caught.value.looked_in[0] == tmp_path / expected_dir


def test_missing_without_any_root_says_so() -> None:
    with pytest.raises(data.DataMissing, match=r"nowhere \(no --claims-data-root and no \$CLAIMBENCH_DATA\)"):
        data.load("mnist", "test")


def test_incomplete_cifar_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trust(monkeypatch, "cifar10", write_cifar(tmp_path))
    (tmp_path / "cifar-10-batches-py" / "data_batch_3").unlink()
    with pytest.raises(data.DataMissing, match="data_batch_3"):
        data.load("cifar10", "train", tmp_path)


def test_system_directory_searched_after_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "usr/share/datasets/fashion-mnist"
    trust(monkeypatch, "fashion_mnist", write_idx(system, gz=True))
    monkeypatch.setattr(data, "SYSTEM_DIRS", {"fashion_mnist": (system,)})
    assert data.load("fashion_mnist", "train", tmp_path / "empty").source == system
    assert data.load("fashion_mnist", "test").source == system


@pytest.mark.parametrize("name, split", [("cifar100", "train"), ("mnist", "val")])
def test_unknown_dataset_or_split(name: str, split: str) -> None:
    with pytest.raises(ValueError, match=repr(split if name == "mnist" else name)):
        data.load(name, split)


# ------------------------------------------------------------------------------ malformed files


def test_pickle_referencing_code_is_refused(tmp_path: Path) -> None:
    write_cifar(tmp_path)
    evil = pickle.dumps({b"data": print, b"labels": []}, protocol=2)
    (tmp_path / "cifar-10-batches-py" / "test_batch").write_bytes(evil)
    with pytest.raises(ValueError, match="may not reference .*print"), pytest.warns(UserWarning):
        data.load("cifar10", "test", tmp_path, allow_unverified=True)


def test_truncated_idx_is_an_error(tmp_path: Path) -> None:
    write_idx(tmp_path, gz=False)
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(ValueError, match=f"{path}: IDX header says"), pytest.warns(UserWarning):
        data.load("mnist", "test", tmp_path, allow_unverified=True)


def test_truncated_pickle_names_its_file(tmp_path: Path) -> None:
    write_cifar(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "data_batch_3"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(data.DataUnreadable, match=f"^{path}: not a CIFAR-10 python batch"), pytest.warns(UserWarning):
        data.load("cifar10", "train", tmp_path, allow_unverified=True)


def test_gz_that_is_not_gzip_names_its_file(tmp_path: Path) -> None:
    write_idx(tmp_path, gz=True)
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(data.DataUnreadable, match=f"^{path}: unreadable"):
        data.load("mnist", "test", tmp_path, allow_unverified=True)


def test_cifar_label_out_of_range_names_its_file(tmp_path: Path) -> None:
    write_cifar(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "test_batch"
    path.write_bytes(pickle.dumps({b"data": fake_images(2, (3072,), 0), b"labels": [3, 12]}, protocol=2))
    with pytest.raises(data.DataUnreadable, match=rf"^{path}: 1 label\(s\) outside 0..9, e.g. 12"), \
            pytest.warns(UserWarning):
        data.load("cifar10", "test", tmp_path, allow_unverified=True)


def test_idx_of_the_wrong_image_shape_names_its_file(tmp_path: Path) -> None:
    write_idx(tmp_path, gz=False)
    path = tmp_path / "t10k-images-idx3-ubyte"
    path.write_bytes(idx_bytes(fake_images(3, (32, 32), 0)))
    with pytest.raises(data.DataUnreadable, match=f"^{path}: expected N×28×28 images, got \\(3, 32, 32\\)"), \
            pytest.warns(UserWarning):
        data.load("mnist", "test", tmp_path, allow_unverified=True)


def test_idx_label_out_of_range_names_its_file(tmp_path: Path) -> None:
    write_idx(tmp_path, gz=False)
    path = tmp_path / "t10k-labels-idx1-ubyte"
    path.write_bytes(idx_bytes(np.array([1, 10, 2], dtype=np.uint8)))
    with pytest.raises(data.DataUnreadable, match=f"^{path}: 1 label"), pytest.warns(UserWarning):
        data.load("mnist", "test", tmp_path, allow_unverified=True)


def test_load_failures_are_measurement_errors() -> None:
    assert issubclass(data.ChecksumMismatch, verdict.MeasurementError)
    assert issubclass(data.DataUnreadable, verdict.MeasurementError)


def test_digest_is_the_content() -> None:
    images = torch.zeros(2, 1, 2, 2, dtype=torch.uint8)
    first = data.Dataset(images, torch.tensor([0, 1]), verified=True, source=Path("a"))
    same = data.Dataset(images.clone(), torch.tensor([0, 1]), verified=False, source=Path("b"))
    other = data.Dataset(images, torch.tensor([1, 1]), verified=True, source=Path("a"))
    assert first.digest == same.digest != other.digest and len(first.digest) == 64


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


# --------------------------------------------------------------------------------- normalize


def uint8_batch(seed: int, shape: tuple[int, ...] = (4, 3, 8, 8)) -> torch.Tensor:
    return torch.randint(0, 256, shape, generator=torch.Generator().manual_seed(seed), dtype=torch.uint8)


def test_normalize_unit_and_half_endpoints() -> None:
    batch = torch.tensor([0, 255], dtype=torch.uint8).view(2, 1, 1, 1)
    assert data.normalize(batch, "unit").flatten().tolist() == [0.0, 1.0]
    assert data.normalize(batch, "half").flatten().tolist() == [-1.0, 1.0]


def test_normalize_imagenet_per_channel() -> None:
    batch = uint8_batch(0)
    out = data.normalize(batch, "imagenet")
    for c, (mean, std) in enumerate(zip(data.IMAGENET_MEAN, data.IMAGENET_STD, strict=True)):
        torch.testing.assert_close(out[:, c], (batch[:, c].float() / 255 - mean) / std)
    with pytest.raises(ValueError, match=r"has 3 mean\(s\) and 3 std\(s\); the images have 1 channel"):
        data.normalize(uint8_batch(0, (2, 1, 4, 4)), "imagenet")


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), channels=st.sampled_from([1, 3]))
def test_normalize_per_image_standardises_each_channel(seed: int, channels: int) -> None:
    out = data.normalize(uint8_batch(seed, (3, channels, 6, 6)), "per_image")
    std, mean = torch.std_mean(out, dim=(2, 3), correction=0)
    torch.testing.assert_close(mean, torch.zeros_like(mean), atol=1e-5, rtol=0)
    torch.testing.assert_close(std, torch.ones_like(std), atol=1e-2, rtol=0)


def test_normalize_per_image_constant_image_is_zero() -> None:
    out = data.normalize(torch.full((1, 1, 4, 4), 7, dtype=torch.uint8), "per_image")
    assert torch.equal(out, torch.zeros_like(out))


def test_normalize_mean_std_per_channel() -> None:
    batch = uint8_batch(0)
    out = data.normalize(batch, "mean_std", mean=(0.1, 0.2, 0.3), std=(0.5, 0.25, 2.0))
    for c, (mean, std) in enumerate(((0.1, 0.5), (0.2, 0.25), (0.3, 2.0))):
        torch.testing.assert_close(out[:, c], (batch[:, c].float() / 255 - mean) / std)
    with pytest.raises(ValueError, match=r"has 2 mean\(s\) and 2 std\(s\); the images have 1 channel"):
        data.normalize(uint8_batch(0, (2, 1, 4, 4)), "mean_std", mean=(0.1, 0.2), std=(1.0, 1.0))


@pytest.mark.parametrize("batch, how, match", [
    (torch.zeros(1, 1, 2, 2), "unit", "uint8"),
    (torch.zeros(1, 1, 2, 2, dtype=torch.uint8), "zscore", "'zscore'"),
])
def test_normalize_rejects(batch: torch.Tensor, how: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        data.normalize(batch, how)


# ----------------------------------------------------------------------------------- augment


def float_batch(seed: int, shape: tuple[int, ...] = (16, 3, 12, 12)) -> torch.Tensor:
    return data.normalize(uint8_batch(seed, shape), "unit")


def seeded(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def test_flip_mirrors_a_random_subset() -> None:
    batch = float_batch(0, (64, 3, 5, 5))
    out = data.augment(batch, ["flip"], seeded(1))
    flipped = (out == batch.flip(-1)).flatten(1).all(1)
    assert ((out == batch).flatten(1).all(1) | flipped).all()
    assert 0 < int(flipped.sum()) < 64


def test_flip_is_an_involution_under_one_mask() -> None:
    batch = float_batch(0)
    once = data.augment(batch, ["flip"], seeded(3))
    assert torch.equal(data.augment(once, ["flip"], seeded(3)), batch)


def test_crop_takes_a_window_of_the_reflect_padded_image() -> None:
    batch = float_batch(1, (12, 2, 9, 9))
    out = data.augment(batch, ["crop"], seeded(2))
    padded = F.pad(batch, (4, 4, 4, 4), mode="reflect")
    windows = padded.unfold(2, 9, 1).unfold(3, 9, 1)  # N, C, 9 offsets, 9 offsets, 9, 9
    for i in range(len(batch)):
        matches = (windows[i] == out[i][:, None, None]).flatten(3).all(-1).all(0)
        assert matches.any(), f"image {i} is no window of its padded copy"
    assert not torch.equal(out, batch)


@pytest.mark.parametrize("name", data.AUGMENTATIONS)
def test_augment_keeps_shape_and_is_seeded(name: str) -> None:
    batch = float_batch(4)
    torch.manual_seed(0)
    out = data.augment(batch, [name], seeded(5))
    torch.manual_seed(1)
    assert torch.equal(out, data.augment(batch, [name], seeded(5)))
    assert out.shape == batch.shape and out.dtype == batch.dtype and out.isfinite().all()
    assert not torch.equal(out, data.augment(batch, [name], seeded(6)))


@pytest.mark.parametrize("name, options", [
    ("rotate", {"degrees": 0.0}), ("rotate", {"degrees": 0.0, "expand": True, "fill": 255.0}),
    ("perspective", {"distortion": 0.0}), ("perspective", {"p": 0.0}),
    ("color_jitter", {"brightness": 0.0, "contrast": 0.0, "saturation": 0.0}), ("randaugment", {"ops": 0}),
])
def test_augmentations_at_zero_magnitude_are_the_identity(name: str, options: dict[str, float]) -> None:
    batch = float_batch(6)
    rounding = 1e-5 * max(1.0, options.get("fill", 0.0))  # a fill is subtracted and added back
    torch.testing.assert_close(data.augment(batch, [name], seeded(0), {name: options}), batch, atol=rounding, rtol=0)


def test_rotation_fills_with_its_fill_value() -> None:
    """The author's fill 255 on [0, 1] images: corners turned out of the image read 255."""
    black = torch.zeros(16, 3, 12, 12)
    out = data.augment(black, ["rotate"], seeded(1), {"rotate": {"degrees": 45.0, "fill": 255.0}})
    assert out.amin().item() == pytest.approx(0, abs=1e-3) and out.amax().item() == pytest.approx(255, abs=1e-3)


def test_expanded_rotation_shrinks_the_image_to_keep_all_of_it() -> None:
    """expand=True then a resize back: the turned image is scaled by 1 / (|cos| + |sin|) <= 1 and never
    cut, so a white image keeps between half and all of its mass, less than the unexpanded rotation."""
    white = torch.ones(64, 1, 32, 32)
    options = {"degrees": 45.0, "fill": 0.0}
    plain = data.augment(white, ["rotate"], seeded(2), {"rotate": options}).sum(dim=(1, 2, 3))
    expanded = data.augment(white, ["rotate"], seeded(2), {"rotate": {**options, "expand": True}}).sum(dim=(1, 2, 3))
    area = 32 * 32
    assert (expanded <= plain + 1e-3).all() and (expanded < plain).any()
    assert (expanded >= area / 2 - 32).all() and (expanded <= area + 1e-3).all()


def test_augment_rejects_unknown_options() -> None:
    with pytest.raises(ValueError, match="rotate takes no option angle; it takes degrees, fill, expand"):
        data.augment(float_batch(0), ["rotate"], seeded(0), {"rotate": {"angle": 3.0}})
    with pytest.raises(ValueError, match="flip takes no option p; it takes none"):
        data.augment(float_batch(0), ["flip"], seeded(0), {"flip": {"p": 0.3}})


def test_ledger_and_data_know_the_same_augmentations_and_options() -> None:
    assert set(vocab.AUGMENTATIONS) == set(data.AUGMENTATIONS)
    assert {name: tuple(options) for name, options in data.AUGMENT_OPTIONS.items()} == vocab.AUGMENT_OPTIONS


@pytest.mark.parametrize("name", data.AUGMENTATIONS)
def test_augment_single_channel(name: str) -> None:
    batch = float_batch(7, (8, 1, 28, 28))
    assert data.augment(batch, [name], seeded(0)).shape == batch.shape


def test_augment_composes_in_order() -> None:
    batch = float_batch(8)
    both = data.augment(batch, ["crop", "flip"], seeded(9))
    generator = seeded(9)
    assert torch.equal(both, data.augment(data.augment(batch, ["crop"], generator), ["flip"], generator))


@pytest.mark.parametrize("batch, names, match", [
    (float_batch(0), ["mixup"], "'mixup'"),
    (uint8_batch(0), ["flip"], "float"),
])
def test_augment_rejects(batch: torch.Tensor, names: list[str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        data.augment(batch, names, seeded(0))


@pytest.mark.parametrize("names", [[], ["crop"], ["flip"], ["crop", "flip"]])
@pytest.mark.parametrize("how", data.POINTWISE_NORMALIZATIONS)
def test_gather_batch_equals_augmenting_the_indexed_batch(names: list[str], how: str) -> None:
    images, indices = uint8_batch(10, (20, 3, 9, 7)), torch.tensor([4, 0, 19, 4, 11, 7])
    gathered = data.gather_batch(images, indices, names, seeded(3))
    assert gathered.dtype == torch.uint8 and gathered.is_contiguous(memory_format=torch.channels_last)
    channel_stats = {"mean": (0.4, 0.5, 0.6), "std": (0.2, 0.3, 0.4)} if how == "mean_std" else {}
    expected = data.augment(data.normalize(images[indices], how, **channel_stats), names, seeded(3))
    torch.testing.assert_close(data.normalize(gathered, how, **channel_stats), expected, atol=1e-6, rtol=0)


@pytest.mark.parametrize("names, folds", [
    ([], True), (["crop"], True), (["flip"], True), (["crop", "flip"], True),
    (["flip", "crop"], False), (["crop", "crop"], False), (["crop", "rotate"], False), (["randaugment"], False),
])
def test_only_crop_then_flip_folds_into_the_gather(names: list[str], folds: bool) -> None:
    assert data.folds_into_gather(names) is folds
    if not folds:
        with pytest.raises(ValueError, match="crop then flip"):
            data.gather_batch(uint8_batch(0), torch.tensor([0]), names, seeded(0))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")
@pytest.mark.parametrize("generator_device", ["cpu", "cuda"])
def test_batch_functions_run_on_cuda(generator_device: str) -> None:
    batch = uint8_batch(0).cuda()
    out = data.augment(data.normalize(batch, "per_image"), list(data.AUGMENTATIONS),
                       torch.Generator(generator_device).manual_seed(0))
    assert out.device.type == "cuda" and out.shape == batch.shape
    gathered = data.gather_batch(batch, torch.tensor([1, 0], device="cuda"), ["crop", "flip"],
                                 torch.Generator(generator_device).manual_seed(0))
    assert gathered.device.type == "cuda" and gathered.shape == (2, *batch.shape[1:])
    dataset = numbered(10).to("cuda")
    train, val = data.split_holdout(dataset, 3, torch.Generator(generator_device).manual_seed(0))
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
