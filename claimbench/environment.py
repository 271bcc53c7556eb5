"""Where a run happened: claimbench's version (and commit, run from its source checkout), the checked ledger's
repository and commit, library versions and the date, as one plain record; a human name for a device, and what
its arithmetic can do (for a choice of numerics measured on it)."""

from __future__ import annotations

import functools
import importlib.metadata
import platform
import subprocess
import tomllib
from collections.abc import Collection
from pathlib import Path

import torch
import torchvision

from claimbench import accelerators, dates
from claimbench.readme_markers import summary_span

__all__ = ["BF16_FLAGS", "bf16_flags", "cpu_revision", "describe", "device_features", "device_name", "device_revision",
           "processor", "tf32"]

_PACKAGE = Path(__file__).resolve().parent
BF16_FLAGS = ("amx_bf16", "amx_tile", "avx512_bf16", "bf16")
"""The CPU flags (x86 ``flags``, Arm ``Features`` in /proc/cpuinfo) of instructions that compute in bfloat16."""


def _git(directory: Path, *arguments: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(directory), *arguments], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def _commit(directory: Path, held: Path | None = None, written: Collection[Path] = (),
            readme: Path | None = None) -> str:
    """``<repository> @ <commit>`` of the git checkout holding ``directory``, ``+`` where it is modified: a tracked
    file differs from the commit, or ``held`` (a file or folder) is, or holds, a file never committed (``git status``
    shows it untracked, not ignored). Not counted: a change inside ``written`` (the files and folders a session
    writes, rewritten by the last run: its report, JSON, badges, plots), but for a path that is or holds ``held``
    (``directory`` without one) and so the checkout's root; nor one of ``readme`` inside the summary it writes."""
    top = _git(directory, "rev-parse", "--show-toplevel")
    commit = _git(directory, "rev-parse", "--short=12", "HEAD")
    if top is None:
        return "not in a git checkout"
    if commit is None:
        return f"{Path(top).name}, no commit yet"
    kept = (held or directory).resolve()  # the ledger, or claimbench's package: inside the root
    aside = [path for path in written if Path(path).resolve() not in {kept, *kept.parents}]
    changed = _changed(Path(top), aside, readme) or held is not None and _git(
        directory, "status", "--porcelain", "--untracked-files=normal", "--", str(held.resolve()))
    return f"{Path(top).name} @ {commit}{'+' if changed else ''}"


def _changed(top: Path, written: Collection[Path], readme: Path | None = None) -> bool:
    """Whether a tracked file of the checkout at ``top`` differs from its commit (in the index or the working tree):
    one ``written`` or inside a folder ``written`` aside, and ``readme`` only where it differs outside its summary."""
    listed = _git(top, "diff", "HEAD", "--name-only", "--no-renames", "-z", "--")
    own = {Path(path).resolve() for path in written}
    summarised = readme and Path(readme).resolve()
    for name in filter(None, (listed or "").split("\0")):
        path = (top / name).resolve()
        if _edited_outside_summary(top, name) if path == summarised else own.isdisjoint({path, *path.parents}):
            return True
    return False


def _edited_outside_summary(top: Path, name: str) -> bool:
    """Whether the README ``name`` (relative to the checkout at ``top``) differs from its commit outside the span
    claimbench writes, the marker lines kept (``readme_markers.summary_span``): anywhere, where either lacks it."""
    try:
        committed = subprocess.run(["git", "-C", str(top), "cat-file", "blob", f"HEAD:{name}"], capture_output=True,
                                   check=True).stdout.decode("utf-8", errors="replace")
        current = (top / name).read_bytes().decode("utf-8", errors="replace")
    except (OSError, subprocess.CalledProcessError):
        return True
    return _outside_summary(committed) != _outside_summary(current)


def _outside_summary(text: str) -> list[str]:
    """The lines of a README but those between its summary's markers; all of them where it has no such span."""
    lines = text.splitlines()
    try:
        start, end = summary_span(lines)
    except ValueError:
        return lines
    return [*lines[:start + 1], *lines[end:]]


def _source_checkout(package: Path, written: Collection[Path] = (), readme: Path | None = None) -> str | None:
    """``<repository> @ <commit>`` where ``package`` is claimbench's own source checkout (its ``written`` files and
    ``readme`` summary aside, as ``_commit`` leaves them): the git toplevel holds it as ``claimbench/`` beside a
    pyproject.toml naming claimbench. None where it is installed, in site-packages inside some other repository too."""
    top = _git(package, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() / "claimbench" != package.resolve():
        return None
    try:
        project = tomllib.loads((Path(top) / "pyproject.toml").read_text(encoding="utf-8")).get("project")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    named = isinstance(project, dict) and project.get("name") == "claimbench"
    return _commit(package, written=written, readme=readme) if named else None


def _version(package: Path = _PACKAGE, written: Collection[Path] = (), readme: Path | None = None) -> str:
    """claimbench's version, with the commit where it runs from its source checkout (its ``written`` files and
    ``readme`` summary aside)."""
    try:
        version = importlib.metadata.version("claimbench")
    except importlib.metadata.PackageNotFoundError:
        version = "not installed"
    checkout = _source_checkout(package, written, readme)
    return f"{version} ({checkout})" if checkout else version


def device_name(device: str | torch.device = "cpu", threads: int | None = None) -> str:
    """A human name for the device: the GPU's name (``accelerators.name``: CUDA's, or mps's Apple chip), or the CPU's
    model and architecture with the threads that ran on it (``threads``; by default, this process's)."""
    device = torch.device(device)
    if accelerators.is_accelerator(device):
        return processor(device)
    threads = threads or torch.get_num_threads()
    return f"{processor(device)} ({threads} thread{'s' * (threads != 1)})"


def processor(device: str | torch.device = "cpu") -> str:
    """The device's name without the threads a CPU runs on: the GPU's name, or ``CPU <model>, <architecture>``."""
    device = torch.device(device)
    return accelerators.name(device) if accelerators.is_accelerator(device) else f"CPU {_cpu_model()}"


def device_features(device: str | torch.device = "cpu") -> str:
    """What the device's arithmetic can do beyond its name: a GPU's (``accelerators.features``: ``compute capability
    9.0``, ``MPS on macOS 14.5``); the vector instructions torch's CPU kernels dispatch to and the CPU's bfloat16
    instructions (``BF16_FLAGS``) where Linux lists them (``CPU capability AVX512, avx512_bf16``). A virtual CPU may
    hide instructions its model name has."""
    device = torch.device(device)
    if accelerators.is_accelerator(device):
        return accelerators.features(device)
    return ", ".join([f"CPU capability {torch.backends.cpu.get_cpu_capability()}", *_cpu_flags()])


def tf32(device: str | torch.device = "cpu") -> list[str]:
    """What torch's flags run in TensorFloat-32 on the device when fp32 is asked for: ``convolutions`` (cuDNN's
    ``allow_tf32``, on by default) and ``matmuls`` (off by default), on a GPU of compute capability 8.0 or later,
    which has TF32; none on another device. The author's PyTorch on such a GPU had the same defaults."""
    device = torch.device(device)
    if device.type != "cuda" or torch.cuda.get_device_capability(device)[0] < 8:
        return []
    flags = (("convolutions", torch.backends.cudnn.allow_tf32), ("matmuls", torch.backends.cuda.matmul.allow_tf32))
    return [name for name, on in flags if on]


@functools.cache
def _cpu_flags() -> tuple[str, ...]:
    """The ``BF16_FLAGS`` this machine's CPU has (``bf16_flags``); none where Linux does not list them."""
    try:
        return bf16_flags(Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ()


def bf16_flags(cpuinfo: str) -> tuple[str, ...]:
    """The ``BF16_FLAGS`` among the first processor's flags in the text of /proc/cpuinfo, in ``BF16_FLAGS`` order."""
    listed = next((line.partition(":")[2].split() for line in cpuinfo.splitlines()
                   if line.startswith(("flags", "Features"))), [])
    return tuple(flag for flag in BF16_FLAGS if flag in listed)


def device_revision(device: str | torch.device = "cpu") -> str:
    """What tells two CPUs of one name apart (one with AMX, one without): its family, model and stepping where Linux
    lists them (``cpu_revision``), else ``platform.processor()``; ``""`` for a GPU, which its name and features tell
    apart."""
    return "" if accelerators.is_accelerator(device) else _cpu_revision()


@functools.cache
def _cpu_revision() -> str:
    """This machine's ``cpu_revision``, else ``platform.processor()``."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        cpuinfo = ""
    return cpu_revision(cpuinfo) or platform.processor()


def cpu_revision(cpuinfo: str) -> str:
    """The first processor's ``cpu family``, ``model`` and ``stepping`` in the text of /proc/cpuinfo
    (``cpu family 25, model 17, stepping 1``); ``""`` where it lists none."""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        fields.setdefault(name.strip(), value.strip())
    return ", ".join(f"{name} {fields[name]}" for name in ("cpu family", "model", "stepping") if name in fields)


@functools.cache
def _cpu_model() -> str:
    """The CPU's model name where Linux gives it (``/proc/cpuinfo``), with the architecture: "AMD EPYC 7B13, x86_64"."""
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    model = next((line.partition(":")[2].strip() for line in lines if line.startswith("model name")), "")
    return f"{model}, {platform.machine()}" if model else platform.processor() or platform.machine()


def describe(ledger: Path, device: str | torch.device | None = None, threads: int | None = None,
             written: Collection[Path] = (), readme: Path | None = None) -> dict[str, str]:
    """The environment record written beside every report and run; ``device`` where one device ran it all, on
    ``threads`` of a CPU; ``written``: the files and folders the session writes, whose changes leave the ledger's
    and claimbench's commits unmarked, as do those of the summary it writes in ``readme`` (the rest of that file
    counts)."""
    ledger = Path(ledger)
    record = {
        "claimbench": _version(written=written, readme=readme),
        "ledger": _commit(ledger if ledger.is_dir() else ledger.parent, ledger, written, readme),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "torchinfo": importlib.metadata.version("torchinfo"),  # the second MAC counter and the estimated sizes
    }
    if device is not None:
        record["device"] = device_name(device, threads)
    return {**record, "date": dates.today()}
