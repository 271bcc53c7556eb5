"""Size claims: torchinfo's estimate on the meta device, or checkpoint bytes of a zeroed CPU copy."""

import pytest

from claimbench import families
from claimbench.ledger import Claim


@pytest.mark.claims("size")
def test_size(claim: Claim, check_claim) -> None:
    check_claim(families.size(claim))
