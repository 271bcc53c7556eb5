"""Parameter-count claims: build each model on the meta device and count under the claim's convention."""

import pytest
import torch

import models
from claimbench import measure
from claimbench.ledger import Claim


@pytest.mark.claims("params")
def test_params(claim: Claim, check_claim) -> None:
    with torch.device("meta"):
        model = models.build(claim.model)
    check_claim(measure.params(model, claim.count))
