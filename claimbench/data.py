"""Datasets as whole uint8 tensors, read from their standard on-disk layouts after checksum checks.

Nothing here touches the network unless ``load(..., download=True)`` or ``download()`` is called.
What training does to a batch on the device is ``claimbench.transforms``.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import io
import math
import os
import pickle
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

from claimbench import errors
from claimbench.user_paths import user_path

__all__ = [
    "CHECKSUMS",
    "DATASETS",
    "DATA_ENV",
    "SYSTEM_DIRS",
    "CLASSES",
    "IMAGE_SHAPES",
    "KERAS_NPZ",
    "PUBLISHED_IMAGES",
    "ChecksumMismatch",
    "DataMissing",
    "DataUnreadable",
    "Dataset",
    "download",
    "load",
    "missing",
    "split_holdout",
]

DATASETS = ("cifar10", "mnist", "fashion_mnist")
SPLITS = ("train", "test")
DATA_ENV = "CLAIMBENCH_DATA"

# MD5 of each file's content; for the IDX files, of the *decompressed* content, so an original
# .gz, a re-compressed copy (Debian's) and an unpacked file all check against one value.
# cifar10: torchvision 0.29 datasets/cifar.py (CIFAR10.train_list / test_list), per batch file.
# mnist: the digests of the unpacked originals (sizes 47,040,016 / 60,008 / 7,840,016 / 10,008
#   bytes) as published in public loaders, e.g. pralab/secml's MNIST loader; not recomputable here.
#   torchvision's MNIST.resources lists the .gz digests instead (f68b3c2d…, d53e105e…, 9fb629c4…,
#   ec29112d…); those only match byte-identical originals, so they are not used.
# fashion_mnist: computed here from Debian's dataset-fashion-mnist (its .gz files differ byte-wise
#   from the originals, whose .gz digests torchvision lists) and equal to the unpacked-content
#   digests other public loaders publish.
CHECKSUMS: dict[str, dict[str, str]] = {
    "cifar10": {
        "data_batch_1": "c99cafc152244af753f735de768cd75f",
        "data_batch_2": "d4bba439e000b95fd0a9bffe97cbabec",
        "data_batch_3": "54ebc095f3ab1f0389bbae665268c751",
        "data_batch_4": "634d18415352ddfa80567beed471001a",
        "data_batch_5": "482c414d41f54cd18b22e5b47cb7c3cb",
        "test_batch": "40351d587109b95175f43aff81a1287e",
    },
    "mnist": {
        "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
        "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
        "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
        "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
    },
    "fashion_mnist": {
        "train-images-idx3-ubyte": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
        "train-labels-idx1-ubyte": "9018921c3c673c538a1fc5bad174d6f9",
        "t10k-images-idx3-ubyte": "8181f5470baa50b63fa0f6fddb340f0a",
        "t10k-labels-idx1-ubyte": "15d484375f8d13e6eb1aabb0c3f46965",
    },
}
# The SHA-256 of the file's bytes that Keras's load_data passes as file_hash= (keras/src/datasets/mnist.py).
KERAS_NPZ: dict[str, tuple[str, str]] = {
    "mnist": ("mnist.npz", "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"),
}
"""Dataset → the .npz file Keras keeps it in (read from the data root where no folder holds its other layout) and the
SHA-256 Keras publishes of that file."""

# Where each dataset sits, relative to a data root, in the layouts we read (first match wins). Keras's cache
# (~/.keras/datasets) is a data root too: Keras 3 unpacks CIFAR-10 into cifar-10-batches-py-target/ (its
# keras/src/datasets/cifar10.py), older Keras beside it; Keras keeps MNIST only as mnist.npz (KERAS_NPZ), read where
# no folder holds the IDX files.
# The data root may be the dataset's folder itself (".").
_LAYOUTS: dict[str, tuple[str, ...]] = {
    "cifar10": ("cifar-10-batches-py", "cifar-10-batches-py-target/cifar-10-batches-py", "."),
    "mnist": ("MNIST/raw", "."),
    "fashion_mnist": ("FashionMNIST/raw", "fashion-mnist", "."),
}
# Dataset directories installed by the system, searched after the data root without configuration.
SYSTEM_DIRS: dict[str, tuple[Path, ...]] = {
    "fashion_mnist": (Path("/usr/share/datasets/fashion-mnist"),),
}
_FILES: dict[str, dict[str, tuple[str, ...]]] = {
    "cifar10": {"train": tuple(f"data_batch_{i}" for i in range(1, 6)), "test": ("test_batch",)},
    **{
        name: {split: (f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte")
               for split, prefix in (("train", "train"), ("test", "t10k"))}
        for name in ("mnist", "fashion_mnist")
    },
}
_UNREAD_FORMS: dict[str, dict[str, str]] = {
    "cifar10": {"cifar-10-python.tar.gz": "the archive, not extracted: tar -xzf {path} -C {root}"},
}
"""Files in a data root that hold a dataset in a form ``load`` does not read, and what to say of each."""
_HOW_TO_GET: dict[str, str] = {
    "cifar10": "put cifar-10-batches-py/ (from cifar-10-python.tar.gz) under DIR",
    "mnist": "put the four MNIST IDX files (gzipped or not) in DIR/MNIST/raw/, or Keras's mnist.npz in DIR",
    "fashion_mnist": "apt-get install dataset-fashion-mnist, or put the four Fashion-MNIST IDX files "
                     "(gzipped or not) in DIR/FashionMNIST/raw/",
}
_WHAT_TO_PUT: dict[str, str] = {
    "cifar10": "put cifar-10-batches-py/",
    "mnist": "put MNIST/raw/ with its IDX files",
    "fashion_mnist": "apt-get install dataset-fashion-mnist, or put FashionMNIST/raw/ with its IDX files",
}
"""``_HOW_TO_GET`` in a few words, for a reason that says more than the data lacking (``DataMissing.lacking``)."""

CIFAR_BATCH_IMAGES = 10_000
"""The images of each of CIFAR-10's python batch files (``_FILES``: five of training, one of test)."""
PUBLISHED_IMAGES: dict[str, dict[str, int]] = {
    "cifar10": {split: len(files) * CIFAR_BATCH_IMAGES for split, files in _FILES["cifar10"].items()},
    **dict.fromkeys(("mnist", "fashion_mnist"), {"train": 60_000, "test": 10_000}),
}
"""The images of each published split: what verified data holds, and what unverified data is compared with."""
IMAGE_SHAPES: dict[str, tuple[int, int, int]] = {"cifar10": (3, 32, 32), "mnist": (1, 28, 28),
                                                  "fashion_mnist": (1, 28, 28)}
"""C×H×W of every image of each dataset."""
CLASSES = 10
"""Labels of every dataset lie in 0 .. CLASSES - 1."""
_GZIP_MAGIC = b"\x1f\x8b"
_IDX_MAGIC = b"\x00\x00\x08"
"""The first bytes of an IDX file of unsigned bytes: two zeros, then type 0x08."""
_ZIP_MAGIC = b"PK\x03\x04"
"""The first bytes of a zip archive, as an .npz file is."""
LARGEST_FILE = 1 << 28
"""256 MiB: over five times the largest file of these datasets (MNIST's 47,040,016-byte training images); a file,
or a gzip file's content, beyond it is refused before it fills the memory."""



class DataMissing(Exception):
    """A dataset is not on disk: names the dataset, the paths looked in and how to get it; ``notes`` say more of
    them (a folder that lacks some files, a data root that is no folder)."""

    def __init__(self, dataset: str, split: str, looked_in: Sequence[Path], notes: Sequence[str] = ()) -> None:
        self.dataset, self.split, self.looked_in, self.notes = dataset, split, tuple(looked_in), tuple(notes)
        super().__init__(
            f"{dataset} {split} not found: {self._looked()}; to get it, {_HOW_TO_GET[dataset]} (pass "
            f"--claims-data-root=DIR or set {DATA_ENV}=DIR), or pass --claims-download"
        )

    @property
    def lacking(self) -> str:
        """The message in brief, for a reason that says what else is lacking: "no cifar10 train split (put
        cifar-10-batches-py/ under ...)", with the files looked for and where only where a folder was looked in."""
        looked = f"{self._looked()}; " if self.looked_in or self.notes else ""
        return (f"no {self.dataset} {self.split} split ({looked}{_WHAT_TO_PUT[self.dataset]} under "
                f"--claims-data-root=DIR or ${DATA_ENV}, or pass --claims-download)")

    def _looked(self) -> str:
        """The files looked for and the folders they were looked for in, then the notes; with no folder to look
        in, that none was given (the files would be noise)."""
        notes = f" ({'; '.join(self.notes)})" if self.notes else ""
        if not self.looked_in:
            return f"no --claims-data-root or ${DATA_ENV} to look in{notes}"
        members = _FILES[self.dataset][self.split]
        files = ", ".join(f"{f}[.gz]" if self.dataset != "cifar10" else f for f in members)
        return f"looked for {files} in {', '.join(str(p) for p in self.looked_in)}{notes}"


class ChecksumMismatch(errors.MeasurementError):
    """A data file's digest (``algorithm``: MD5, SHA-256 of Keras's .npz) differs from the published one: names the
    file and both digests, and, where its digest is another published file's (``holds``, in words, and that file
    ``published_as``), that it holds that file."""

    def __init__(self, path: Path, expected: str, actual: str, holds: str = "", published_as: str = "", *,
                 algorithm: str = "MD5") -> None:
        self.path, self.expected, self.actual = path, expected, actual
        content = "decompressed content" if path.suffix == ".gz" else "content"
        self.finding = (f"{path}: holds {holds} ({algorithm} of its {content} is {actual}, the published digest of "
                        f"{published_as}, not {expected})" if holds else
                        f"{path}: {algorithm} of its {content} is {actual}, the published digest is {expected}")
        super().__init__(
            f"{self.finding}; replace the file with the original, or pass --claims-allow-unverified-data "
            f"to run anyway (its verdicts are then marked 'unverified data')"
        )


class DataUnreadable(errors.MeasurementError, ValueError):
    """A data file is not what its name says (truncated, not gzip, wrong shape, labels out of range): names it."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """A whole split: uint8 N×C×H×W images, int64 labels, whether every file matched its checksum."""

    images: torch.Tensor
    labels: torch.Tensor
    verified: bool
    source: Path
    finding: str = ""
    """Of unverified data, what differs from the published files: each checksum that failed and, where it holds
    another number of images than the published split, how many of how many; ``""`` where it is verified."""
    partial: str = ""
    """Where it holds another number of images than the published split (a truncated copy), that alone: "mnist test
    holds 5,000 images of the published 10,000"; ``""`` where it holds the published number."""

    def __post_init__(self) -> None:
        if self.images.dtype != torch.uint8 or self.images.dim() != 4:
            raise ValueError(f"{self.source}: images must be uint8 N×C×H×W, got {self.images.dtype} "
                             f"{tuple(self.images.shape)}")
        if self.labels.dtype != torch.int64 or self.labels.shape != self.images.shape[:1]:
            raise ValueError(f"{self.source}: labels must be int64 of shape ({self.images.shape[0]},), "
                             f"got {self.labels.dtype} {tuple(self.labels.shape)}")

    def __len__(self) -> int:
        return self.labels.shape[0]

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 of the images and labels (shapes included): the identity of the data a run trains on."""
        content = hashlib.sha256(repr((tuple(self.images.shape), tuple(self.labels.shape))).encode())
        for tensor in (self.images, self.labels):
            content.update(tensor.detach().cpu().contiguous().numpy().tobytes())
        return content.hexdigest()

    def to(self, device: torch.device | str) -> Dataset:
        """A copy with images and labels on ``device``."""
        return dataclasses.replace(self, images=self.images.to(device), labels=self.labels.to(device))


# ---------------------------------------------------------------------------------------- loading


def load(
    name: str,
    split: str,
    root: Path | str | None = None,
    *,
    allow_unverified: bool = False,
    download: bool = False,
) -> Dataset:
    """One split of a dataset from ``root`` (else $CLAIMBENCH_DATA), then the system's directories."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} of {name}; known: {', '.join(SPLITS)}")
    data_root = _data_root(root)
    found = _find(name, split, data_root, _no_folder(root, data_root))
    if isinstance(found, DataMissing) and download:
        if data_root is None:
            raise DataMissing(name, split, (), ["--claims-download needs a place to put it"])
        _download_once(name, data_root)
        found = _find(name, split, data_root, _no_folder(root, data_root))
    if isinstance(found, DataMissing):
        raise found
    if data_root is not None and not found.directory.is_relative_to(data_root):
        notes = "".join(f"; {note}" for note in found.notes)
        errors.warn(f"{name} {split}: not under the data root {data_root} (looked in "
                    f"{', '.join(str(data_root / sub) for sub in _LAYOUTS[name])}{notes}); read from {found.directory}",
                    data_root)
    if found.mismatches and not allow_unverified:
        raise found.mismatches[0]
    images, labels = found.parse(found.contents, found.paths, IMAGE_SHAPES[name])
    finding, partial = "", ""
    if found.mismatches:
        findings = "; ".join(mismatch.finding for mismatch in found.mismatches)
        published = PUBLISHED_IMAGES[name][split]
        count = f"{len(labels):,} images of the published {published:,}" if len(labels) != published else ""
        partial = f"{name} {split} holds {count}" if count else ""
        said = f"; it holds {count}, so its verdicts say nothing of the author's number" if count else ""
        finding = f"{name} {split}: {findings}{said}"
        errors.warn(f"{name} {split}: running on unverified data: {findings}{said}", found.directory)
    return Dataset(images=images, labels=labels, verified=not found.mismatches, source=found.directory,
                   finding=finding, partial=partial)


def download(name: str, root: Path | str) -> None:
    """Fetch a dataset into ``root`` with torchvision's dataset class (its own MD5 checks included)."""
    from torchvision import datasets

    classes = {"cifar10": datasets.CIFAR10, "mnist": datasets.MNIST, "fashion_mnist": datasets.FashionMNIST}
    if name not in classes:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    classes[name](str(root), train=True, download=True)


# load() has a keyword argument named ``download``, which hides the function inside it.
_download = download

_FAILED_DOWNLOADS: dict[tuple[str, Path], str] = {}
"""(dataset, data root) → why its download failed in this process: not tried again."""


def _download_once(name: str, data_root: Path) -> None:
    """``download``, once per process and folder: a failure (no network, a corrupt archive, a full disk) is an
    ``errors.MeasurementError`` naming the dataset and folder, and the later loads of the dataset there raise it
    again without another attempt."""
    failed = _FAILED_DOWNLOADS.get((name, data_root))
    if failed is not None:
        raise errors.MeasurementError(failed)
    try:
        _download(name, data_root)
    except Exception as error:  # noqa: BLE001 - urllib, tarfile, torchvision's checks and the disk raise their own
        failed = f"{name}: download into {data_root} failed: {errors.described_whole(error)}"
        _FAILED_DOWNLOADS[name, data_root] = failed
        raise errors.MeasurementError(failed) from error


def split_holdout(dataset: Dataset, size: int, generator: torch.Generator) -> tuple[Dataset, Dataset]:
    """(train, val): ``size`` examples drawn with ``generator`` held out; both keep the original order."""
    if not 0 < size < len(dataset):
        raise ValueError(f"cannot hold out {size:,} of {len(dataset):,} images (leaving at least one of each)")
    order = torch.randperm(len(dataset), generator=generator, device=generator.device)
    order = order.to(dataset.images.device)
    parts = (order[size:].sort().values, order[:size].sort().values)
    train, val = (dataclasses.replace(dataset, images=dataset.images[i], labels=dataset.labels[i]) for i in parts)
    return train, val


_Parse = Callable[[Sequence[bytes], Sequence[Path], tuple[int, int, int]], tuple[torch.Tensor, torch.Tensor]]


@dataclasses.dataclass(frozen=True)
class _Found:
    """A split's files as read from one directory, with every checksum that failed, what the folders looked in
    before it held or lacked (``DataMissing.notes``), and what turns the files into tensors."""

    directory: Path
    paths: list[Path]
    contents: list[bytes]
    mismatches: list[ChecksumMismatch]
    notes: list[str]
    parse: _Parse


def _data_root(root: Path | str | None) -> Path | None:
    if root is not None:
        return Path(root)
    env = os.environ.get(DATA_ENV)
    return user_path(env) if env else None


def _no_folder(root: Path | str | None, data_root: Path | None) -> str | None:
    """Why the data root ``load`` was given (``root``), else ``$CLAIMBENCH_DATA`` names, is no folder, as a note of
    its ``DataMissing`` ("$CLAIMBENCH_DATA: /data: no such directory"); None where it is one, or none is given. A
    stale variable stops no session: only the claims that need data say it."""
    if data_root is None or data_root.is_dir():
        return None
    where = "the data root" if root is not None else f"${DATA_ENV}"
    return f"{where}: {data_root}: {'not a folder' if os.path.lexists(data_root) else 'no such directory'}"


def missing(name: str, root: Path | str | None = None) -> DataMissing | None:
    """Why ``load`` would not find a split of the dataset, by the files' names alone (nothing is read); None when
    every split's files are in one of the folders ``load`` looks in."""
    data_root = _data_root(root)
    candidates, problem = _candidates(name, data_root), _no_folder(root, data_root)
    for split in SPLITS:
        if not any(all(_existing(folder, member, name) for member in _FILES[name][split]) for folder in candidates
                   ) and _keras_npz(name, data_root) is None:
            return DataMissing(name, split, candidates, [*([problem] if problem else []), *_unread(name, data_root)])
    return None


def _candidates(name: str, data_root: Path | None) -> list[Path]:
    """The folders a dataset is looked for in: the data root's layouts, then the system's."""
    own = [data_root / sub for sub in _LAYOUTS[name]] if data_root is not None else []
    return [*own, *SYSTEM_DIRS.get(name, ())]


def _find(name: str, split: str, data_root: Path | None, problem: str | None) -> _Found | DataMissing:
    """The first candidate directory holding this dataset's files for the split, else Keras's .npz file in the data
    root; else why none, beginning with ``problem``, why the data root is no folder (``_no_folder``)."""
    members = _FILES[name][split]
    candidates = _candidates(name, data_root)
    notes = [problem] if problem else []
    for directory in candidates:
        paths = [_existing(directory, member, name) for member in members]
        if None in paths:
            lacking = [member for member, path in zip(members, paths, strict=True) if path is None]
            notes += [f"{directory} lacks {', '.join(lacking)}"] if len(lacking) < len(members) else []
            continue
        contents = [_read(path, name) for path in paths]
        digests = [hashlib.md5(content).hexdigest() for content in contents]
        owners = [other for other, table in CHECKSUMS.items() if table.get(members[0]) == digests[0]]
        if owners and name not in owners:
            notes.append(f"{directory} holds {owners[0]}, not {name}")
            continue
        mismatches = [ChecksumMismatch(path, CHECKSUMS[name][member], digest, *_published_file(digest, name))
                      for path, member, digest in zip(paths, members, digests, strict=True)
                      if digest != CHECKSUMS[name][member]]
        return _Found(directory, paths, contents, mismatches, notes, _parse_cifar if name == "cifar10" else _parse_idx)
    return _find_npz(name, split, data_root, notes) or DataMissing(name, split, candidates,
                                                                   [*notes, *_unread(name, data_root)])


def _keras_npz(name: str, data_root: Path | None) -> Path | None:
    """The data root's .npz file of the dataset as Keras keeps it (``KERAS_NPZ``); None where there is none."""
    if data_root is None or name not in KERAS_NPZ:
        return None
    path = data_root / KERAS_NPZ[name][0]
    return path if path.is_file() else None


def _find_npz(name: str, split: str, data_root: Path | None, notes: list[str]) -> _Found | None:
    """The split from Keras's .npz file in the data root, its SHA-256 checked against Keras's; None where none."""
    path = _keras_npz(name, data_root)
    if path is None:
        return None
    content, published = _read(path, name), KERAS_NPZ[name][1]
    digest = hashlib.sha256(content).hexdigest()
    mismatches = [] if digest == published else [ChecksumMismatch(path, published, digest, algorithm="SHA-256")]
    return _Found(path.parent, [path], [content], mismatches, notes, functools.partial(_parse_npz, split=split))


def _unread(name: str, data_root: Path | None) -> list[str]:
    """The files of the data root that hold the dataset in a form not read (``_UNREAD_FORMS``), each with what to
    do: "DIR/cifar-10-python.tar.gz: the archive, not extracted: tar -xzf ... -C DIR"."""
    if data_root is None:
        return []
    forms = _UNREAD_FORMS.get(name, {}).items()
    return [f"{data_root / file}: {said.format(path=data_root / file, root=data_root)}" for file, said in forms
            if os.path.isfile(data_root / file)]


def _published_file(digest: str, name: str) -> tuple[str, str]:
    """The published file whose digest this is, of ``name`` first, then of the other datasets: in words ("the published
    test images", "the published mnist test labels", "the published data_batch_2") and by its name; else ``("", "")``,
    for a file that is none of them."""
    for dataset in (name, *(other for other in DATASETS if other != name)):
        for split, members in _FILES[dataset].items():
            for member in members:
                if CHECKSUMS[dataset].get(member) == digest:
                    what = member if dataset == "cifar10" else f"{split} {member.split('-')[1]}"
                    return f"the published {'' if dataset == name else f'{dataset} '}{what}", member
    return "", ""


def _existing(directory: Path, member: str, name: str) -> Path | None:
    """The file for ``member`` in ``directory``: unpacked preferred, then gzipped (IDX only). A folder on the way
    that cannot be opened (another user's, of mode 700) is ``DataUnreadable`` naming it, as an unreadable file is."""
    names = (member,) if name == "cifar10" else (member, f"{member}.gz")
    try:
        return next((directory / n for n in names if (directory / n).is_file()), None)
    except OSError as error:
        raise DataUnreadable(f"{_unopenable(directory / names[0])}: a folder that cannot be opened, where {name} is "
                             f"looked for in {directory} ({type(error).__name__}: {error})") from error


def _unopenable(path: Path) -> Path:
    """The folder on the way to ``path`` that cannot be opened: the deepest that can itself be looked at."""
    for folder in path.parents:
        try:
            os.stat(folder)
        except OSError:
            continue
        return folder
    return path.parent


def _read(path: Path, name: str) -> bytes:
    """The file's bytes, decompressed when it is a gzipped IDX file; never more than ``LARGEST_FILE`` of them."""
    try:
        if path.stat().st_size > LARGEST_FILE:
            raise DataUnreadable(f"{path}: {path.stat().st_size:,} bytes, more than any file of {name} holds")
        if name == "cifar10":
            return path.read_bytes()
        _check_packing(path)
        if path.suffix != ".gz":
            return path.read_bytes()
        with gzip.open(path) as unpacked:
            content = unpacked.read(LARGEST_FILE + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise DataUnreadable(f"{path}: unreadable ({type(error).__name__}: {error})") from error
    if len(content) > LARGEST_FILE:
        raise DataUnreadable(f"{path}: unpacks to more than {LARGEST_FILE:,} bytes, more than any file of {name} "
                             "holds")
    return content


def _check_packing(path: Path) -> None:
    """An IDX file named as it is packed, said before its checksum: gzip under a ``.gz`` name, unpacked under none."""
    with path.open("rb") as file:
        head = file.read(len(_IDX_MAGIC))
    if path.suffix != ".gz" and head.startswith(_GZIP_MAGIC):
        raise DataUnreadable(f"{path}: a gzip file: name it {path.name}.gz")
    if path.suffix == ".gz" and head == _IDX_MAGIC:
        raise DataUnreadable(f"{path}: an unpacked IDX file, not gzip: name it {path.stem}")


def _gz_beside(path: Path) -> str:
    """Of an unpacked IDX file with its gzipped copy beside it, that the copy is not read while it is there (an
    unpacked file comes first, ``_existing``); else ``""``."""
    gz = path.with_name(f"{path.name}.gz")
    return (f"; {gz} beside it is not read while it is there (the unpacked file comes first): remove the unpacked one"
            if path.suffix != ".gz" and os.path.isfile(gz) else "")


def _check_labels(labels: torch.Tensor, path: Path) -> None:
    """Labels must lie in 0 .. CLASSES - 1."""
    outside = labels[(labels < 0) | (labels >= CLASSES)]
    if len(outside):
        raise DataUnreadable(f"{path}: {len(outside)} label(s) outside 0..{CLASSES - 1}, "
                             f"e.g. {outside[0].item()}")


_NUMPY_CORE = "numpy._core" if int(np.__version__.split(".")[0]) >= 2 else "numpy.core"
"""Where the installed NumPy keeps what a pickle names as ``numpy.core`` (NumPy 1.x) or ``numpy._core`` (2.x)."""


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles dicts of NumPy arrays and integers, lists and bytes only: a CIFAR batch cannot run code."""

    ALLOWED = {
        *((f"numpy.{core}.multiarray", "_reconstruct") for core in ("core", "_core")),  # an array, protocols 2-4
        *((f"numpy.{core}.numeric", "_frombuffer") for core in ("core", "_core")),  # an array, protocol 5
        *((f"numpy.{core}.multiarray", "scalar") for core in ("core", "_core")),  # a NumPy integer label
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),
    }

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"a CIFAR batch may not reference {module}.{name}")
        package, _, submodule = module.rpartition(".")
        if package in ("numpy.core", "numpy._core"):  # the installed NumPy's, and no deprecation warning
            module = f"{_NUMPY_CORE}.{submodule}"
        return super().find_class(module, name)


def _parse_cifar(contents: Sequence[bytes], paths: Sequence[Path], shape: tuple[int, int, int],
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """CIFAR python batches: pickled dicts with "data" (uint8 N×3072, RGB planes) and "labels", their keys bytes
    (Python 2's originals) or str (a batch pickled again by Python 3, as torchvision reads it; its checksum, of the
    published file's bytes, then differs, so it is unverified data)."""
    images, labels = [], []
    for content, path in zip(contents, paths, strict=True):
        try:
            batch = _ArrayUnpickler(io.BytesIO(content), encoding="bytes").load()
            fields = {key.decode("latin-1") if isinstance(key, bytes) else key: value for key, value in batch.items()}
            data, given = np.asarray(fields["data"]), np.asarray(fields["labels"])
        except Exception as error:  # noqa: BLE001 - a broken or hostile pickle can raise anything (MemoryError...)
            raise DataUnreadable(f"{path}: not a CIFAR-10 python batch ({errors.described(error)})") from error
        if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != math.prod(shape) or given.shape != (len(data),):
            raise DataUnreadable(f"{path}: expected uint8 data of shape (N, {math.prod(shape)}) and N labels, "
                                 f"got {data.dtype} {data.shape} and labels of shape {given.shape}")
        if not len(data):
            raise DataUnreadable(f"{path}: holds no data (data of shape {data.shape})")
        if given.size and given.dtype.kind not in "iu":  # a float label would be cut (2.9 to 2), a bool read as 0/1
            raise DataUnreadable(f"{path}: labels must be integers, got {given.dtype}")
        targets = torch.from_numpy(given.astype(np.int64))
        _check_labels(targets, path)
        images.append(data)
        labels.append(targets)
    return torch.from_numpy(np.concatenate(images)).reshape(-1, *shape), torch.cat(labels)


def _parse_idx(contents: Sequence[bytes], paths: Sequence[Path], shape: tuple[int, int, int],
               ) -> tuple[torch.Tensor, torch.Tensor]:
    """IDX images (N×H×W ubyte, become N×1×H×W) and labels (N ubyte, become int64)."""
    images, labels = (_idx_array(content, path) for content, path in zip(contents, paths, strict=True))
    if images.dim() != 3 or tuple(images.shape[1:]) != shape[1:]:
        raise DataUnreadable(f"{paths[0]}: expected N×{shape[1]}×{shape[2]} images, got {tuple(images.shape)}")
    if labels.dim() != 1 or len(images) != len(labels):
        raise DataUnreadable(f"{paths[1]}: expected {len(images)} labels (one per image in {paths[0].name}), "
                             f"got shape {tuple(labels.shape)}")
    labels = labels.to(torch.int64)
    _check_labels(labels, paths[1])
    return images.unsqueeze(1), labels


def _parse_npz(contents: Sequence[bytes], paths: Sequence[Path], shape: tuple[int, int, int], *, split: str,
               ) -> tuple[torch.Tensor, torch.Tensor]:
    """Keras's .npz (never unpickled): uint8 x_<split> (N×H×W, becomes N×1×H×W) and y_<split> (N, becomes
    int64)."""
    path, keys = paths[0], (f"x_{split}", f"y_{split}")
    images, labels = _npz_arrays(contents[0], path, keys)
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != shape[1:]:
        raise DataUnreadable(f"{path}: {keys[0]} must be uint8 of shape (N, {shape[1]}, {shape[2]}), got "
                             f"{images.dtype} {images.shape}")
    if labels.dtype != np.uint8 or labels.shape != images.shape[:1]:
        raise DataUnreadable(f"{path}: {keys[1]} must be uint8 of shape ({len(images)},) (one per image of {keys[0]}), "
                             f"got {labels.dtype} {labels.shape}")
    if not len(images):
        raise DataUnreadable(f"{path}: {keys[0]} holds no images (shape {images.shape})")
    targets = torch.from_numpy(labels.astype(np.int64))
    _check_labels(targets, path)
    return torch.from_numpy(images).unsqueeze(1), targets


def _npz_arrays(content: bytes, path: Path, keys: Sequence[str]) -> list[np.ndarray]:
    """The arrays named ``keys`` of an .npz file's bytes, with pickles refused and no member unpacking to more than
    ``LARGEST_FILE`` bytes."""
    if not content.startswith(_ZIP_MAGIC):
        raise DataUnreadable(f"{path}: not Keras's {path.name} (not a zip archive of .npy arrays)")
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            lacking = [key for key in keys if key not in archive.files]
            if lacking:
                raise DataUnreadable(f"{path}: no array {lacking[0]!r} (it holds {', '.join(archive.files) or 'none'})")
            oversized = [key for key in keys if archive.zip.getinfo(f"{key}.npy").file_size > LARGEST_FILE]
            if oversized:
                raise DataUnreadable(f"{path}: {oversized[0]} unpacks to more than {LARGEST_FILE:,} bytes")
            return [_npz_member(archive, key, path) for key in keys]
    except DataUnreadable:
        raise
    except Exception as error:  # noqa: BLE001 - a broken zip or .npy header raises anything (BadZipFile, MemoryError)
        raise DataUnreadable(f"{path}: not Keras's {path.name} ({errors.described(error)})") from error


def _npz_member(archive: np.lib.npyio.NpzFile, key: str, path: Path) -> np.ndarray:
    """One array of an open .npz file; an object array (a pickle) or a broken one is ``DataUnreadable`` naming it."""
    try:
        return archive[key]
    except Exception as error:  # noqa: BLE001 - numpy's reader raises ValueError, EOFError, MemoryError...
        raise DataUnreadable(f"{path}: {key}: unreadable ({errors.described(error)})") from error


def _idx_array(content: bytes, path: Path) -> torch.Tensor:
    """An IDX file of unsigned bytes: magic 0x0000 08 <ndim>, big-endian int32 sizes, then the data."""
    if len(content) < 4 or content[:3] != _IDX_MAGIC:
        raise DataUnreadable(f"{path}: not an unsigned-byte IDX file (magic {content[:4].hex()})")
    ndim = content[3]
    shape = tuple(int.from_bytes(content[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    offset = 4 + 4 * ndim
    if len(content) != offset + math.prod(shape):
        raise DataUnreadable(f"{path}: IDX header says {shape} ({math.prod(shape)} bytes) "
                             f"but {len(content) - offset} bytes follow{_gz_beside(path)}")
    if not math.prod(shape):
        raise DataUnreadable(f"{path}: holds no data (IDX shape {shape})")
    return torch.frombuffer(bytearray(content[offset:]), dtype=torch.uint8).reshape(shape)
