"""Datasets as whole uint8 tensors, read from their standard on-disk layouts after checksum checks.

Also the pure batch functions that training applies on the device: ``normalize`` and ``augment``.
Nothing here touches the network unless ``load(..., download=True)`` or ``download()`` is called.
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
import warnings
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from claimbench import verdict

__all__ = [
    "AUGMENTATIONS",
    "AUGMENT_OPTIONS",
    "CHECKSUMS",
    "DATASETS",
    "DATA_ENV",
    "GATHERED_AUGMENTATIONS",
    "NORMALIZATIONS",
    "POINTWISE_NORMALIZATIONS",
    "SYSTEM_DIRS",
    "CLASSES",
    "IMAGE_SHAPES",
    "ChecksumMismatch",
    "DataMissing",
    "DataUnreadable",
    "Dataset",
    "augment",
    "download",
    "folds_into_gather",
    "gather_batch",
    "load",
    "normalize",
    "normalize_unit",
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

# Where each dataset sits, relative to a data root, in the layouts we read (first match wins).
_LAYOUTS: dict[str, tuple[str, ...]] = {
    "cifar10": ("cifar-10-batches-py",),
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
_HOW_TO_GET: dict[str, str] = {
    "cifar10": "put cifar-10-batches-py/ (from cifar-10-python.tar.gz) under DIR",
    "mnist": "put the four MNIST IDX files (gzipped or not) in DIR/MNIST/raw/",
    "fashion_mnist": "apt-get install dataset-fashion-mnist, or put the four Fashion-MNIST IDX files "
                     "(gzipped or not) in DIR/FashionMNIST/raw/",
}

IMAGE_SHAPES: dict[str, tuple[int, int, int]] = {"cifar10": (3, 32, 32), "mnist": (1, 28, 28),
                                                  "fashion_mnist": (1, 28, 28)}
"""C×H×W of every image of each dataset."""
CLASSES = 10
"""Labels of every dataset lie in 0 .. CLASSES - 1."""

NORMALIZATIONS = ("unit", "half", "imagenet", "per_image", "mean_std")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
PER_IMAGE_EPS = 1e-4

AUGMENTATIONS = ("flip", "crop", "rotate", "color_jitter", "perspective", "randaugment")
GATHERED_AUGMENTATIONS = ("crop", "flip")
"""Pure data movement, folded by ``gather_batch`` into the gather of a batch (in this order)."""
POINTWISE_NORMALIZATIONS = ("unit", "half", "imagenet", "mean_std")
"""Per-channel affine maps, which commute with cropping and flipping."""
CROP_PAD = 4
AUGMENT_OPTIONS: dict[str, dict[str, float | bool]] = {
    "rotate": {"degrees": 15.0, "fill": 0.0, "expand": False},
    "perspective": {"p": 0.5, "distortion": 0.5},
    "color_jitter": {"brightness": 0.4, "contrast": 0.4, "saturation": 0.4},
    "randaugment": {"ops": 2, "magnitude": 0.2},
}
"""The options each parametrised augmentation takes, with the defaults used where a recipe names none."""


class DataMissing(Exception):
    """A dataset is not on disk: names the dataset, the paths looked in and how to get it."""

    def __init__(self, dataset: str, split: str, looked_in: Sequence[Path], detail: str) -> None:
        self.dataset, self.split, self.looked_in = dataset, split, tuple(looked_in)
        where = ", ".join(str(p) for p in self.looked_in) or "nowhere (no --claims-data-root and no $CLAIMBENCH_DATA)"
        files = ", ".join(f"{f}[.gz]" if dataset != "cifar10" else f for f in _FILES[dataset][split])
        super().__init__(
            f"{dataset} {split} not found: looked for {files} in {where}{detail}; to get it, "
            f"{_HOW_TO_GET[dataset]} (pass --claims-data-root DIR or set {DATA_ENV}=DIR), or pass --claims-download"
        )


class ChecksumMismatch(verdict.MeasurementError):
    """A data file's MD5 differs from the published one: names the file and both digests."""

    def __init__(self, path: Path, expected: str, actual: str) -> None:
        self.path, self.expected, self.actual = path, expected, actual
        content = "decompressed content" if path.suffix == ".gz" else "content"
        self.finding = f"{path}: MD5 of its {content} is {actual}, the published digest is {expected}"
        super().__init__(
            f"{self.finding}; replace the file with the original, or pass --claims-allow-unverified-data "
            f"to run anyway (its verdicts are then marked 'unverified data')"
        )


class DataUnreadable(verdict.MeasurementError, ValueError):
    """A data file is not what its name says (truncated, not gzip, wrong shape, labels out of range): names it."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """A whole split: uint8 N×C×H×W images, int64 labels, whether every file matched its checksum."""

    images: torch.Tensor
    labels: torch.Tensor
    verified: bool
    source: Path

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
    found = _find(name, split, data_root)
    if isinstance(found, DataMissing) and download:
        if data_root is None:
            raise DataMissing(name, split, (), "; --claims-download needs a place to put it")
        _download(name, data_root)
        found = _find(name, split, data_root)
    if isinstance(found, DataMissing):
        raise found
    if found.mismatches and not allow_unverified:
        raise found.mismatches[0]
    if found.mismatches:
        findings = "; ".join(mismatch.finding for mismatch in found.mismatches)
        warnings.warn(f"{name} {split}: running on unverified data: {findings}", stacklevel=2)
    parse = _parse_cifar if name == "cifar10" else _parse_idx
    images, labels = parse(found.contents, found.paths, IMAGE_SHAPES[name])
    return Dataset(images=images, labels=labels, verified=not found.mismatches, source=found.directory)


def download(name: str, root: Path | str) -> None:
    """Fetch a dataset into ``root`` with torchvision's dataset class (its own MD5 checks included)."""
    from torchvision import datasets

    classes = {"cifar10": datasets.CIFAR10, "mnist": datasets.MNIST, "fashion_mnist": datasets.FashionMNIST}
    if name not in classes:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    classes[name](str(root), train=True, download=True)


# load() has a keyword argument named ``download``, which hides the function inside it.
_download = download


def split_holdout(dataset: Dataset, size: int, generator: torch.Generator) -> tuple[Dataset, Dataset]:
    """(train, val): ``size`` examples drawn with ``generator`` held out; both keep the original order."""
    if not 0 < size < len(dataset):
        raise ValueError(f"holdout size {size} must lie strictly between 0 and {len(dataset)}")
    order = torch.randperm(len(dataset), generator=generator, device=generator.device)
    order = order.to(dataset.images.device)
    parts = (order[size:].sort().values, order[:size].sort().values)
    train, val = (dataclasses.replace(dataset, images=dataset.images[i], labels=dataset.labels[i]) for i in parts)
    return train, val


@dataclasses.dataclass(frozen=True)
class _Found:
    """A split's files as read from one directory, with every checksum that failed."""

    directory: Path
    paths: list[Path]
    contents: list[bytes]
    mismatches: list[ChecksumMismatch]


def _data_root(root: Path | str | None) -> Path | None:
    if root is not None:
        return Path(root)
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else None


def _find(name: str, split: str, data_root: Path | None) -> _Found | DataMissing:
    """The first candidate directory holding this dataset's files for the split; else why none."""
    members = _FILES[name][split]
    candidates = [data_root / sub for sub in _LAYOUTS[name]] if data_root is not None else []
    candidates += SYSTEM_DIRS.get(name, ())
    notes = []
    for directory in candidates:
        paths = [_existing(directory, member, name) for member in members]
        if None in paths:
            continue
        contents = [_read(path, name) for path in paths]
        digests = [hashlib.md5(content).hexdigest() for content in contents]
        owners = [other for other, table in CHECKSUMS.items() if table.get(members[0]) == digests[0]]
        if owners and name not in owners:
            notes.append(f"{directory} holds {owners[0]}, not {name}")
            continue
        mismatches = [ChecksumMismatch(path, CHECKSUMS[name][member], digest)
                      for path, member, digest in zip(paths, members, digests, strict=True)
                      if digest != CHECKSUMS[name][member]]
        return _Found(directory, paths, contents, mismatches)
    return DataMissing(name, split, candidates, f" ({'; '.join(notes)})" if notes else "")


def _existing(directory: Path, member: str, name: str) -> Path | None:
    """The file for ``member`` in ``directory``: unpacked preferred, then gzipped (IDX only)."""
    names = (member,) if name == "cifar10" else (member, f"{member}.gz")
    return next((directory / n for n in names if (directory / n).is_file()), None)


def _read(path: Path, name: str) -> bytes:
    """The file's bytes, decompressed when it is a gzipped IDX file."""
    try:
        raw = path.read_bytes()
        return gzip.decompress(raw) if name != "cifar10" and path.suffix == ".gz" else raw
    except (OSError, EOFError, zlib.error) as error:
        raise DataUnreadable(f"{path}: unreadable ({type(error).__name__}: {error})") from error


def _check_labels(labels: torch.Tensor, path: Path) -> None:
    """Labels must lie in 0 .. CLASSES - 1."""
    outside = labels[(labels < 0) | (labels >= CLASSES)]
    if len(outside):
        raise DataUnreadable(f"{path}: {len(outside)} label(s) outside 0..{CLASSES - 1}, "
                             f"e.g. {outside[0].item()}")


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles dicts of NumPy arrays, lists and bytes only: a CIFAR batch cannot run code."""

    ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),
    }

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"a CIFAR batch may not reference {module}.{name}")
        return super().find_class(module, name)


def _parse_cifar(contents: Sequence[bytes], paths: Sequence[Path], shape: tuple[int, int, int],
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """CIFAR python batches: pickled dicts with b"data" (uint8 N×3072, RGB planes) and b"labels"."""
    images, labels = [], []
    for content, path in zip(contents, paths, strict=True):
        try:
            batch = _ArrayUnpickler(io.BytesIO(content), encoding="bytes").load()
            data, targets = np.asarray(batch[b"data"]), torch.tensor(list(batch[b"labels"]), dtype=torch.int64)
        except (pickle.UnpicklingError, KeyError, TypeError, EOFError, ValueError, AttributeError,
                IndexError, OverflowError) as error:
            raise DataUnreadable(f"{path}: not a CIFAR-10 python batch ({type(error).__name__}: {error})") from error
        if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != math.prod(shape) or len(targets) != len(data):
            raise DataUnreadable(f"{path}: expected uint8 data of shape (N, {math.prod(shape)}) and N labels, "
                                 f"got {data.dtype} {data.shape} and {len(targets)} labels")
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


def _idx_array(content: bytes, path: Path) -> torch.Tensor:
    """An IDX file of unsigned bytes: magic 0x0000 08 <ndim>, big-endian int32 sizes, then the data."""
    if len(content) < 4 or content[:3] != b"\x00\x00\x08":
        raise DataUnreadable(f"{path}: not an unsigned-byte IDX file (magic {content[:4].hex()})")
    ndim = content[3]
    shape = tuple(int.from_bytes(content[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    offset = 4 + 4 * ndim
    if len(content) != offset + math.prod(shape):
        raise DataUnreadable(f"{path}: IDX header says {shape} ({math.prod(shape)} bytes) "
                         f"but {len(content) - offset} bytes follow")
    return torch.frombuffer(bytearray(content[offset:]), dtype=torch.uint8).reshape(shape)


# ------------------------------------------------------------------------------ batch functions


def normalize(batch: torch.Tensor, how: str, *, mean: Sequence[float] = (), std: Sequence[float] = ()
              ) -> torch.Tensor:
    """A uint8 N×C×H×W batch as float32: "unit" /255, "half" to [-1, 1], "imagenet", "per_image" or
    "mean_std" (see ``normalize_unit``)."""
    if batch.dtype != torch.uint8 or batch.dim() != 4:
        raise ValueError(f"normalize takes a uint8 N×C×H×W batch, got {batch.dtype} {tuple(batch.shape)}")
    return normalize_unit(batch.to(torch.float32) / 255, how, mean=mean, std=std)


def normalize_unit(unit: torch.Tensor, how: str, *, mean: Sequence[float] = (), std: Sequence[float] = ()
                   ) -> torch.Tensor:
    """A [0, 1]-scaled float N×C×H×W batch normalised as ``how`` names: "unit" as it is, "half" to
    [-1, 1], "imagenet" by ImageNet's channel means and deviations, "mean_std" by the given ones (one
    per channel, torchvision's ``Normalize(mean, std)``), "per_image" by each image's own:
    (x - mean) / (std + 1e-4) per channel over H×W, with the population standard deviation.
    Augmentation comes before it, as torchvision's ``Normalize`` comes last in a transform."""
    if how == "unit":
        return unit
    if how == "half":
        return (unit - 0.5) / 0.5
    if how == "imagenet":
        return _by_channel(unit, IMAGENET_MEAN, IMAGENET_STD, how)
    if how == "mean_std":
        return _by_channel(unit, mean, std, how)
    if how == "per_image":
        std, mean = torch.std_mean(unit, dim=(2, 3), keepdim=True, correction=0)
        return (unit - mean) / (std + PER_IMAGE_EPS)
    raise ValueError(f"unknown normalisation {how!r}; known: {', '.join(NORMALIZATIONS)}")


def _by_channel(unit: torch.Tensor, mean: Sequence[float], std: Sequence[float], how: str) -> torch.Tensor:
    """(x - mean[c]) / std[c] for each channel c."""
    channels = unit.shape[1]
    if len(mean) != channels or len(std) != channels:
        raise ValueError(f"{how!r} normalisation has {len(mean)} mean(s) and {len(std)} std(s); "
                         f"the images have {channels} channel(s)")
    mean_, std_ = (torch.tensor(values, device=unit.device).view(1, channels, 1, 1) for values in (mean, std))
    return (unit - mean_) / std_


def augment(
    batch: torch.Tensor, names: Sequence[str], generator: torch.Generator,
    options: Mapping[str, Mapping[str, float | bool]] | None = None,
) -> torch.Tensor:
    """Apply the named augmentations, in the given order, to a float N×C×H×W batch.

    Exact (airbench style, whole batch at once): "flip" mirrors each image with probability 1/2;
    "crop" reflect-pads by 4 pixels and takes a random H×W window per image (one gather).
    Batched counterparts of torchvision's per-image transforms, with ``options[name]`` overriding
    ``AUGMENT_OPTIONS[name]``: "rotate" turns each image by U(-degrees, degrees) about its centre
    (bilinear; ``fill`` outside; ``expand`` shrinks the turned image to fit, as torchvision's
    expand=True followed by a resize back); "perspective" warps with probability ``p`` by a random
    homography moving each corner inward by up to ``distortion`` times the half-size (bilinear, zero
    fill); "color_jitter" scales brightness, contrast and saturation by U(1 - x, 1 + x) each, in that
    fixed order, without hue and without clamping; "randaugment" applies ``ops`` rounds of one op per
    image chosen from flip, translate (up to ``magnitude`` of the size, zero fill), brightness and
    contrast (factor U(1 - magnitude, 1 + magnitude)), not the 14-op original.
    Photometric ops act on the values as given; pass [0, 1]-scaled images to match torchvision.
    All randomness comes from ``generator``, which may live on another device than ``batch``.
    """
    unknown = [name for name in names if name not in AUGMENTATIONS]
    if unknown:
        raise ValueError(f"unknown augmentation(s) {', '.join(map(repr, unknown))}; known: {', '.join(AUGMENTATIONS)}")
    if not batch.is_floating_point() or batch.dim() != 4:
        raise ValueError(f"augment takes a float N×C×H×W batch, got {batch.dtype} {tuple(batch.shape)}")
    options = options or {}
    for name, given in options.items():
        unknown_options = set(given) - set(AUGMENT_OPTIONS.get(name, {}))
        if unknown_options:
            raise ValueError(f"{name} takes no option {', '.join(sorted(unknown_options))}; "
                             f"it takes {', '.join(AUGMENT_OPTIONS.get(name, {})) or 'none'}")
    ops = {"flip": _flip, "crop": _crop, "rotate": _rotate, "color_jitter": _color_jitter,
           "perspective": _perspective, "randaugment": _randaugment}
    for name in names:
        batch = ops[name](batch, generator, **{**AUGMENT_OPTIONS.get(name, {}), **options.get(name, {})})
    return batch


def _rand(n: int, generator: torch.Generator, like: torch.Tensor, low: float = 0.0, high: float = 1.0) -> torch.Tensor:
    """n draws of U(low, high) from ``generator``, on ``like``'s device and dtype."""
    draws = torch.rand(n, generator=generator, device=generator.device)
    return (draws * (high - low) + low).to(device=like.device, dtype=like.dtype)


def _randint(high: int, n: int, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    return torch.randint(high, (n,), generator=generator, device=generator.device).to(device)


def _per_image(values: torch.Tensor) -> torch.Tensor:
    return values.view(-1, 1, 1, 1)


def _flip(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    mask = _rand(len(batch), generator, batch) < 0.5
    return torch.where(_per_image(mask), batch.flip(-1), batch)


def _reflect(position: torch.Tensor, size: int) -> torch.Tensor:
    """Positions up to ``size - 1`` outside ``[0, size)`` mirrored back in, as reflect padding reads them."""
    return (size - 1) - ((size - 1) - position.abs()).abs()


def folds_into_gather(names: Sequence[str]) -> bool:
    """Whether ``gather_batch`` can apply these augmentations: "crop", "flip", or both in that order."""
    return list(names) == [name for name in GATHERED_AUGMENTATIONS if name in names]


def gather_batch(
    images: torch.Tensor, indices: torch.Tensor, names: Sequence[str], generator: torch.Generator,
) -> torch.Tensor:
    """``images[indices]`` with "crop" and "flip" folded into one gather, in channels_last memory (any dtype:
    the engine gathers its uint8 images, ``augment`` crops float batches with it).

    Each output pixel is read straight from the stored image at its reflect-padded, shifted and mirrored
    position, so the batch is never padded, cropped or flipped as separate copies. Equal to
    ``augment(images[indices], names, generator)`` for the same generator state; a pointwise
    normalisation (``POINTWISE_NORMALIZATIONS``) commutes with it and may follow.
    """
    if not folds_into_gather(names):
        raise ValueError(f"gather_batch folds in {' then '.join(GATHERED_AUGMENTATIONS)}, got {list(names)}")
    if not names:
        return images[indices].contiguous(memory_format=torch.channels_last)
    n, (c, h, w), device = len(indices), images.shape[1:], images.device
    rows = torch.arange(h, device=device).expand(n, h)
    cols = torch.arange(w, device=device).expand(n, w)
    if "crop" in names:  # the draws of _crop, then of _flip: equal results for equal generator states
        rows = rows + _randint(2 * CROP_PAD + 1, n, generator, device)[:, None] - CROP_PAD
        cols = cols + _randint(2 * CROP_PAD + 1, n, generator, device)[:, None] - CROP_PAD
    if "flip" in names:
        mirrored = torch.rand(n, generator=generator, device=generator.device).to(device) < 0.5
        cols = torch.where(mirrored[:, None], cols.flip(1), cols)
    pixels = _reflect(rows, h)[:, :, None] * w + _reflect(cols, w)[:, None, :]
    flat = images.flatten(2)[indices]  # N×C×(H·W): whole images, one contiguous copy each
    picked = flat.gather(2, pixels.view(n, 1, h * w).expand(n, c, h * w))
    return picked.view(n, c, h, w).contiguous(memory_format=torch.channels_last)


def _translate(batch: torch.Tensor, generator: torch.Generator, pad: int) -> torch.Tensor:
    """Each image shifted by U{-pad..pad} pixels on each axis, zero-filled, read from a padded copy in one gather."""
    n, c, h, w = batch.shape
    padded = F.pad(batch, (pad, pad, pad, pad))
    dy = _randint(2 * pad + 1, n, generator, batch.device)
    dx = _randint(2 * pad + 1, n, generator, batch.device)
    rows = (dy[:, None] + torch.arange(h, device=batch.device)).view(n, 1, h, 1)
    cols = (dx[:, None] + torch.arange(w, device=batch.device)).view(n, 1, 1, w)
    images = torch.arange(n, device=batch.device).view(n, 1, 1, 1)
    channels = torch.arange(c, device=batch.device).view(1, c, 1, 1)
    return padded[images, channels, rows, cols]


def _crop(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    return gather_batch(batch, torch.arange(len(batch), device=batch.device), ["crop"], generator)


def _warp(batch: torch.Tensor, homographies: torch.Tensor) -> torch.Tensor:
    """Sample each image at H·(x, y, 1) of every output pixel's normalised coordinates."""
    n, _, h, w = batch.shape
    identity = torch.eye(2, 3, device=batch.device, dtype=batch.dtype).expand(n, 2, 3)
    grid = F.affine_grid(identity, [n, 1, h, w], align_corners=False)
    points = torch.cat([grid, torch.ones_like(grid[..., :1])], dim=-1) @ homographies.transpose(1, 2).unsqueeze(1)
    return F.grid_sample(batch, points[..., :2] / points[..., 2:], mode="bilinear",
                         padding_mode="zeros", align_corners=False)


def _rotate(batch: torch.Tensor, generator: torch.Generator, *, degrees: float, fill: float, expand: bool,
            ) -> torch.Tensor:
    angle = torch.deg2rad(_rand(len(batch), generator, batch, -degrees, degrees))
    cos, sin, zero, one = angle.cos(), angle.sin(), torch.zeros_like(angle), torch.ones_like(angle)
    zoom = cos.abs() + sin.abs() if expand else one  # the expanded canvas's size over the image's
    rows = [torch.stack(r, dim=-1) for r in ((cos * zoom, -sin * zoom, zero), (sin * zoom, cos * zoom, zero),
                                             (zero, zero, one))]
    return _warp(batch - fill, torch.stack(rows, dim=1)) + fill


def _perspective(batch: torch.Tensor, generator: torch.Generator, *, p: float, distortion: float) -> torch.Tensor:
    n = len(batch)
    corners = torch.tensor([[-1, -1], [1, -1], [1, 1], [-1, 1]], device=batch.device, dtype=batch.dtype)
    apply = (_rand(n, generator, batch) < p).to(batch.dtype).view(n, 1, 1)
    inward = _rand(8 * n, generator, batch, 0, distortion).view(n, 4, 2) * apply
    source = corners - corners * inward
    x, y = corners[:, 0].expand(n, 4), corners[:, 1].expand(n, 4)
    u, v = source[..., 0], source[..., 1]
    zeros, ones = torch.zeros_like(u), torch.ones_like(u)
    a = torch.cat([torch.stack([x, y, ones, zeros, zeros, zeros, -u * x, -u * y], dim=-1),
                   torch.stack([zeros, zeros, zeros, x, y, ones, -v * x, -v * y], dim=-1)], dim=1)
    solve_dtype = torch.promote_types(batch.dtype, torch.float32)
    h = torch.linalg.solve(a.to(solve_dtype), torch.cat([u, v], dim=1).to(solve_dtype)).to(batch.dtype)
    return _warp(batch, torch.cat([h, torch.ones_like(h[:, :1])], dim=1).view(n, 3, 3))


def _gray(batch: torch.Tensor) -> torch.Tensor:
    if batch.shape[1] != 3:
        return batch.mean(dim=1, keepdim=True)
    weights = torch.tensor((0.299, 0.587, 0.114), device=batch.device, dtype=batch.dtype).view(1, 3, 1, 1)
    return (batch * weights).sum(dim=1, keepdim=True)


def _brightness(batch: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    return batch * _per_image(factor)


def _contrast(batch: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    mean = _gray(batch).mean(dim=(1, 2, 3), keepdim=True)
    return mean + (batch - mean) * _per_image(factor)


def _color_jitter(batch: torch.Tensor, generator: torch.Generator, *, brightness: float, contrast: float,
                  saturation: float) -> torch.Tensor:
    n = len(batch)
    batch = _brightness(batch, _rand(n, generator, batch, 1 - brightness, 1 + brightness))
    batch = _contrast(batch, _rand(n, generator, batch, 1 - contrast, 1 + contrast))
    gray = _gray(batch)
    return gray + (batch - gray) * _per_image(_rand(n, generator, batch, 1 - saturation, 1 + saturation))


def _randaugment(batch: torch.Tensor, generator: torch.Generator, *, ops: int, magnitude: float) -> torch.Tensor:
    n, _, h, w = batch.shape
    low, high = 1 - magnitude, 1 + magnitude
    pad = max(1, round(magnitude * min(h, w)))
    for _ in range(ops):
        choice = _per_image(_randint(4, n, generator, batch.device))
        candidates = (
            batch.flip(-1),
            _translate(batch, generator, pad),
            _brightness(batch, _rand(n, generator, batch, low, high)),
            _contrast(batch, _rand(n, generator, batch, low, high)),
        )
        batch = sum(torch.where(choice == k, c, 0) for k, c in enumerate(candidates))
    return batch
