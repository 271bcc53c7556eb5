"""The engine's training throughput beside a conventional loop, and this machine's matmul FLOP/s.

Opt-in: ``pytest benchmarks -m throughput -p no:xdist``. For IoT-ML Model 1 and the Deeper Networks
ResNet50 at MNIST size, at batch 32 and 128, one run times side by side: the conventional loop
(``conventional_loop.py``, in its own process), the engine in fp32, and the engine in the precision
``auto`` chooses (``claimbench.precision``). All train with the same recipe and augmentation (the default crop,
zero-padded by 4 pixels, horizontal flip) on the same images. Each model and batch is its own pytest-benchmark group
(its relative columns compare one model's epochs only). Images per second and their ratios go into
pytest-benchmark's ``extra_info``, with whether the CPU has AMX and the cores' worth other processes ran while the
engine's epochs (or the matmuls) ran (``other_processes_cores``; the conventional loop's own process is another), and
the ratios into one terminal line per model and batch (``conftest.py``), which says where the machine was busy; no
ratio is asserted: they are measured. What is asserted is that the engine trained: every timed call logged an epoch
and the weights moved.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from conventional_loop import images_for, recipe_of
from torch import nn

from claimbench import measure, precision, registry, train
from claimbench.runs.timing import OtherProcesses

pytestmark = pytest.mark.throughput

IMAGES = {"iot_ml_hw2.model1": 2048, "deeper_networks.resnet50_mnist": 256}
"""Images per epoch: a few seconds an epoch on a 2-core CPU."""
ROUNDS = 3
MATMUL_SIZE = 2048
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def timed_by_pytest_benchmark(benchmark) -> None:
    """These read pytest-benchmark's statistics, which it keeps none of when disabled (``--benchmark-disable``,
    ``-n``)."""
    if not benchmark.enabled:
        pytest.skip("the throughput benchmarks need pytest-benchmark enabled: no --benchmark-disable, no -n")


def cpu_flags() -> dict[str, bool]:
    """Whether the CPU has AMX (bf16 tiles) and AVX-512 bf16 instructions, from /proc/cpuinfo."""
    try:
        flags = set(next(line for line in Path("/proc/cpuinfo").read_text().splitlines()
                         if line.startswith("flags")).split())
    except (OSError, StopIteration):
        flags = set()
    return {name: name in flags for name in ("amx_bf16", "amx_tile", "avx512_bf16")}


def weights(model: nn.Module) -> torch.Tensor:
    """A copy of the model's parameters, flattened: what an optimizer step moves."""
    return torch.cat([p.detach().flatten() for p in model.parameters()]).clone()


def training_flops_per_image(model_name: str) -> int:
    """Forward and backward: three times a forward pass, which is twice the pure MACs."""
    with torch.device("meta"):
        model = registry.get_model(model_name)
    return 3 * 2 * int(measure.macs(model, registry.input_size(model_name), "pure").value)


@pytest.mark.parametrize(("model_name", "batch_size"), [
    pytest.param(model_name, batch_size, marks=pytest.mark.benchmark(group=f"engine {model_name} batch {batch_size}"))
    for model_name in IMAGES for batch_size in (32, 128)])
def test_engine_against_a_conventional_loop(benchmark, record_ratios, record_load, model_name: str,
                                            batch_size: int) -> None:
    """Rounds rotate (a conventional epoch and an fp32 engine epoch in pytest-benchmark's untimed set-up,
    then an epoch of the engine in ``auto`` precision, the one benchmarked) so that all three meet the same
    machine load; the best round of each is compared, as airbench reports."""
    recipe = recipe_of(batch_size)
    images = IMAGES[model_name]
    dataset = images_for(model_name, images)
    probe = precision.probe(lambda: registry.get_model(model_name), dataset, recipe, device="cpu")
    models = {"fp32": registry.get_model(model_name), "auto": registry.get_model(model_name)}
    seconds: dict[str, list[float]] = {"conventional": [], "fp32": []}
    built = {name: weights(model) for name, model in models.items()}
    losses: dict[str, list[float]] = {name: [] for name in models}
    others = OtherProcesses()

    def engine_epoch(name: str, accel: train.Accel) -> None:
        with others.during():
            history = train.train(models[name], dataset, None, recipe, device="cpu", seed=0, accel=accel)
        losses[name].extend(epoch.train_loss for epoch in history.epochs)

    with subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("conventional_loop.py")), model_name, str(images),
         str(batch_size)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    ) as conventional:

        def untimed_rounds() -> None:
            conventional.stdin.write("\n")
            conventional.stdin.flush()
            seconds["conventional"].append(float(conventional.stdout.readline()))
            started = time.perf_counter()
            engine_epoch("fp32", precision.accel("fp32"))
            seconds["fp32"].append(time.perf_counter() - started)

        benchmark.pedantic(engine_epoch, args=("auto", probe.accel()), setup=untimed_rounds, rounds=ROUNDS,
                           warmup_rounds=1)
        conventional.stdin.close()
    for name, model in models.items():  # a rate of epochs that trained nothing would be no rate
        assert len(losses[name]) == ROUNDS + 1 and all(map(math.isfinite, losses[name])), f"{name}: {losses[name]}"
        assert not torch.equal(weights(model), built[name]), f"{name}: the engine left the weights as built"
    rates = {name: images / min(rounds[1:]) for name, rounds in seconds.items()}
    rates["auto"] = images / benchmark.stats.stats.min
    ratios = {"fp32_vs_conventional": round(rates["fp32"] / rates["conventional"], 2),
              "auto_vs_conventional": round(rates["auto"] / rates["conventional"], 2),
              "auto_vs_fp32": round(rates["auto"] / rates["fp32"], 2)}
    words = ", ".join(f"{name.replace('_vs_', ' / ')} {ratio:.2f}x" for name, ratio in ratios.items())
    busy = record_load(others.cores())
    chose = f"auto chose {probe.chosen}"
    record_ratios(f"{model_name} batch {batch_size}: {words} ({chose})" + (f"; {busy}" if busy else ""))
    benchmark.extra_info.update({
        "model": model_name, "batch_size": batch_size, "images": images,
        **{f"{name}_images_per_second": round(rate) for name, rate in rates.items()},
        **ratios,
        "auto_chose": probe.chosen,
        "probe_step_ms": {name: round(s * 1e3, 2) for name, s in probe.step_seconds.items()},
        "auto_gflops": round(training_flops_per_image(model_name) * rates["auto"] / 1e9, 1),
        "threads": torch.get_num_threads(),
        **cpu_flags(),
    })


@pytest.mark.benchmark(group="matmul")  # fp32 and bf16 side by side, with pytest-benchmark's ratio between them
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
def test_matmul_flops(benchmark, record_load, dtype: torch.dtype) -> None:
    """A square matmul's FLOP/s in each precision: what the engine's FLOP/s is read against."""
    generator = torch.Generator().manual_seed(0)
    a, b = (torch.randn(MATMUL_SIZE, MATMUL_SIZE, generator=generator).to(dtype) for _ in range(2))
    others = OtherProcesses()
    with others.during():
        benchmark.pedantic(torch.matmul, args=(a, b), rounds=5, warmup_rounds=1)
    record_load(others.cores())
    benchmark.extra_info["gflops"] = round(2 * MATMUL_SIZE**3 / benchmark.stats.stats.min / 1e9, 1)
    benchmark.extra_info.update(cpu_flags())
