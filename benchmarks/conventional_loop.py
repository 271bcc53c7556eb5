"""The textbook training loop, run as its own program by the engine throughput benchmark.

A torchvision-style CIFAR dataset (uint8 H×W×C rows, a PIL image made per item), per-sample
transforms, a ``DataLoader``, fp32 in contiguous memory, PyTorch's default Adam, and the running
loss and accuracy that the engine keeps too: what a user writes first. It runs in a process of its
own, so that nothing the engine sets in its process reaches it. It reads one line on stdin per
epoch and answers with that epoch's seconds.

    PYTHONPATH=. python benchmarks/conventional_loop.py MODEL IMAGES BATCH_SIZE
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import transforms

from claimbench import data, ledger, registry
from claimbench.transforms import AUGMENT_OPTIONS


RECIPE_MODEL = "iot_ml_hw2.model1"
"""Whose ledger recipe (Adam, lr 1e-3) both loops train every model with."""


def recipe_of(batch_size: int) -> ledger.Recipe:
    """IoT-ML Model 1's recipe from the ledger at ``batch_size``, one epoch, with the crop-and-flip
    augmentation both loops apply; imports every ledger's models."""
    reports = ledger.load_reports(Path(__file__).resolve().parent.parent / "reference")
    registry.import_modules(m for report in reports for m in report.modules)
    claims = [c for report in reports for c in report.claims]
    recipe = next(c.recipe for c in claims if c.model == RECIPE_MODEL and c.kind == "accuracy" and c.recipe)
    return dataclasses.replace(recipe, epochs=1, validation="none", augment=("crop", "flip"), batch_size=batch_size)


def images_for(model: str, n: int) -> data.Dataset:
    """n random images of the model's input size with random labels, the same in every process."""
    generator = torch.Generator().manual_seed(0)
    shape = tuple(registry.input_size(model))
    return data.Dataset(images=torch.randint(0, 256, (n, *shape), dtype=torch.uint8, generator=generator),
                        labels=torch.randint(0, 10, (n,), generator=generator), verified=True,
                        source=Path("synthetic"))


class CifarLike(torch.utils.data.Dataset):
    """torchvision's CIFAR10 access pattern: H×W×C uint8 rows, ``Image.fromarray`` and the transform per item."""

    def __init__(self, dataset: data.Dataset, transform: transforms.Compose) -> None:
        rows = dataset.images.permute(0, 2, 3, 1).numpy()
        self.data: np.ndarray = (rows[..., 0] if rows.shape[-1] == 1 else rows).copy()  # grey: PIL mode L
        self.targets: list[int] = dataset.labels.tolist()
        self.transform = transform

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        return self.transform(Image.fromarray(self.data[index])), self.targets[index]


def main(model_name: str, images: int, batch_size: int) -> None:
    recipe = recipe_of(batch_size)
    side = registry.input_size(model_name)[-1]
    crop = AUGMENT_OPTIONS["crop"]  # the engine's default crop: zero padding
    pipeline = transforms.Compose([transforms.RandomCrop(side, padding=crop["padding"], padding_mode="constant"),
                                   transforms.RandomHorizontalFlip(), transforms.ToTensor()])
    # num_workers=0: on 2 cores, worker processes only compete with the training threads (measured slower).
    loader = DataLoader(CifarLike(images_for(model_name, images), pipeline), batch_size=recipe.batch_size, shuffle=True,
                        num_workers=0)
    model = registry.get_model(model_name)
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.lr)
    for _ in sys.stdin:
        started = time.perf_counter()
        model.train()
        running_loss, correct = 0.0, 0
        for batch, labels in loader:
            logits = model(batch)
            loss = F.cross_entropy(logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            running_loss += loss.item() * len(labels)  # read back every step, as a conventional loop logs
            correct += (logits.argmax(1) == labels).sum().item()
        print(time.perf_counter() - started, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
