"""Per-layer claims: one traced table per model and input (meta device), one row per claimed layer."""

import functools

import pytest
import torch

import models
from claimbench import measure
from claimbench.ledger import Claim


@functools.cache
def _layer_table(model_name: str, input_size: tuple[int, ...]) -> measure.LayerTable:
    """Trace each model once; its layer claims read rows of the same table."""
    with torch.device("meta"):
        model = models.build(model_name)
    return measure.layer_table(model, input_size)


@pytest.mark.claims("layer")
def test_layer(claim: Claim, check_claim) -> None:
    row = _layer_table(claim.model, claim.input or models.input_size(claim.model))[claim.layer]
    measured = row.measure(claim.quantity, count=claim.count, layout=claim.layout)
    check_claim(measured.value, counters=measured.counters)
