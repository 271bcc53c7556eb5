"""Per-layer claims: one traced table per model and input (meta device), one row per claimed layer."""

import pytest

from claimbench import families
from claimbench.ledger import Claim


@pytest.mark.claims("layer")
def test_layer(claim: Claim, check_claim) -> None:
    check_claim(families.layer(claim))
