"""The textbook training loop, run as its own program by the engine throughput benchmark.

A torchvision-style CIFAR dataset (uint8 H×W×C rows, a PIL image made per item), per-sample
transforms, a ``DataLoader``, fp32 in contiguous memory, PyTorch's default Adam, and the running
loss and accuracy that the engine keeps too: what a user writes first. It runs in a process of its
own, so that nothing the engine sets in its process reaches it. It reads one line on stdin per
epoch and answers with that epoch's seconds.

    PYTHONPATH=. python benchmarks/conventional_loop.py MODEL IMAGES
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


def recipe_of(model: str) -> ledger.Recipe:
    """The model's recipe from the ledger, one epoch, with the crop-and-flip augmentation both loops apply."""
    reports = ledger.load_reports()
    registry.import_modules(m for report in reports for m in report.modules)
    claims = [c for report in reports for c in report.claims]
    recipe = next(c.recipe for c in claims if c.model == model and c.kind == "accuracy" and c.recipe)
    return dataclasses.replace(recipe, epochs=1, validation="none", augment=("crop", "flip"))


def cifar_shaped(n: int) -> data.Dataset:
    """n random CIFAR-shaped images with random labels, the same in every process."""
    generator = torch.Generator().manual_seed(0)
    return data.Dataset(images=torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=generator),
                        labels=torch.randint(0, 10, (n,), generator=generator), verified=True,
                        source=Path("synthetic"))


class CifarLike(torch.utils.data.Dataset):
    """torchvision's CIFAR10 access pattern: H×W×C uint8 rows, ``Image.fromarray`` and the transform per item."""

    def __init__(self, dataset: data.Dataset, transform: transforms.Compose) -> None:
        self.data: np.ndarray = dataset.images.permute(0, 2, 3, 1).numpy().copy()
        self.targets: list[int] = dataset.labels.tolist()
        self.transform = transform

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        return self.transform(Image.fromarray(self.data[index])), self.targets[index]


def main(model_name: str, images: int) -> None:
    recipe = recipe_of(model_name)
    pipeline = transforms.Compose([transforms.RandomCrop(32, padding=data.CROP_PAD, padding_mode="reflect"),
                                   transforms.RandomHorizontalFlip(), transforms.ToTensor()])
    # num_workers=0: on 2 cores, worker processes only compete with the training threads (measured slower).
    loader = DataLoader(CifarLike(cifar_shaped(images), pipeline), batch_size=recipe.batch_size, shuffle=True,
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
            running_loss += loss.item() * len(labels)
            correct += (logits.argmax(1) == labels).sum().item()
        print(time.perf_counter() - started, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
