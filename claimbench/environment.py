"""Where a run happened: code commit, library versions, device and date, as one plain record."""

from __future__ import annotations

import datetime
import platform
import subprocess
from pathlib import Path

import torch
import torchvision

__all__ = ["describe", "device_name"]


def _commit(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def device_name(device: str | torch.device = "cpu") -> str:
    """A human name for the device: the GPU's name, or the CPU's architecture and core count."""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"CPU {platform.machine()} ({torch.get_num_threads()} threads)"


def describe(root: Path, device: str | torch.device = "cpu") -> dict[str, str]:
    """The environment record written beside every report."""
    return {
        "claimbench commit": _commit(root),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "device": device_name(device),
        "date": datetime.date.today().isoformat(),
    }
