"""The structural claims re-measured on real CPU weights instead of the meta device, for the README's comparison.

    /usr/bin/time -v python benchmarks/compare_torchinfo.py [--claims-dir reference] [--kinds params ...]

Each model is built on the CPU with its initialisation, as a plain ``torchinfo.summary`` user would.
Trainable-parameter claims are counted by ``torchinfo.summary(...).trainable_params``; the other
conventions (Keras totals, state-dict entries, lazily built heads), which torchinfo has no notion of,
and MACs, layers and sizes use the same ``claimbench.measure`` functions as the structural tier, so
torchinfo and FlopCounterMode run on real tensors. Layer claims share one table per model and input, as in the
tier. Prints the verdict counts and the seconds spent; exits 1 if any claim is judged unexpectedly.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections import Counter
from pathlib import Path

import torchinfo

from claimbench import families, ledger, measure, registry, verdict, vocab
from claimbench.ledger import Claim


@functools.cache
def _layer_table(model_name: str, input_size: tuple[int, ...]) -> measure.LayerTable:
    return measure.layer_table(registry.get_model(model_name), input_size)


def _measure(claim: Claim) -> measure.Measurement:
    """The claim's quantity, measured on a CPU-built model."""
    if claim.kind == "layer":
        row = _layer_table(claim.model, families.input_size(claim))[claim.layer]
        return row.measure(claim.quantity, count=claim.count, layout=claim.layout)
    model = registry.get_model(claim.model)
    if claim.kind == "params" and claim.count == "trainable":
        summary = torchinfo.summary(model, input_size=(1, *families.input_size(claim)), device="cpu", verbose=0)
        return measure.Measurement(summary.trainable_params)
    if claim.kind == "params":
        return measure.Measurement(measure.params(model, claim.count))
    if claim.kind == "macs":
        return measure.macs(model, families.input_size(claim), claim.count)
    return measure.Measurement(measure.size_bytes(model, families.input_size(claim), claim.size))


def _judge(claim: Claim) -> verdict.Judgement:
    """The one judge's verdict on the CPU-built measurement."""
    measured = _measure(claim)
    return verdict.judge(claim, verdict.Observation(verdict.Measurement(measured.value, measured.counters)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims-dir", type=Path, default=Path(__file__).resolve().parent.parent / "reference",
                        help="ledger directory or file")
    parser.add_argument("--kinds", nargs="+", choices=vocab.STRUCTURAL_KINDS, default=vocab.STRUCTURAL_KINDS,
                        help="claim kinds to measure (default: all structural kinds)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this repository's models/, run from anywhere
    reports = ledger.load_reports(args.claims_dir)
    registry.import_modules(m for report in reports for m in report.modules)
    claims = [
        c for report in reports for c in report.claims
        if c.kind in args.kinds and c.status is None
    ]
    started = time.perf_counter()
    outcomes = Counter()
    for claim in claims:
        judgement = _judge(claim)
        expected = judgement.verdict == ("known error" if claim.expect == "refuted" else "reproduced")
        outcomes[judgement.verdict if expected else "unexpected"] += 1
        if not expected:
            print(f"{claim.id}: {judgement.verdict}: {judgement.reason}")
    seconds = time.perf_counter() - started
    print(", ".join(f"{n} {name}" for name, n in sorted(outcomes.items())), f"({len(claims)} claims, {seconds:.1f} s)")
    return 1 if outcomes["unexpected"] else 0


if __name__ == "__main__":
    sys.exit(main())
