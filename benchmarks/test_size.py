"""Size claims: torchinfo's estimate on the meta device, or checkpoint bytes of a zeroed CPU copy."""

import pytest
import torch

import models
from claimbench import measure
from claimbench.ledger import Claim


@pytest.mark.claims("size")
def test_size(claim: Claim, check_claim) -> None:
    with torch.device("meta"):
        model = models.build(claim.model)
    check_claim(measure.size_bytes(model, claim.input or models.input_size(claim.model), claim.size))
