"""MAC claims: trace each model on the meta device and count with both counters under the claim's convention."""

import pytest

from claimbench import families
from claimbench.ledger import Claim


@pytest.mark.claims("macs")
def test_macs(claim: Claim, check_claim) -> None:
    check_claim(families.macs(claim))
