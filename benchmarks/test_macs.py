"""MAC claims: trace each model on the meta device and count with both counters under the claim's convention."""

import pytest
import torch

import models
from claimbench import measure
from claimbench.ledger import Claim


@pytest.mark.claims("macs")
def test_macs(claim: Claim, check_claim) -> None:
    with torch.device("meta"):
        model = models.build(claim.model)
    count = measure.macs(model, claim.input or models.input_size(claim.model), claim.count)
    check_claim(count.value, counters=count.counters)
