"""Parameter-count claims: build each model on the meta device and count under the claim's convention."""

import pytest

from claimbench import families
from claimbench.ledger import Claim


@pytest.mark.claims("params")
def test_params(claim: Claim, check_claim) -> None:
    check_claim(families.params(claim))
