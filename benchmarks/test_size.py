"""Size claims: torchinfo's estimate on the meta device, or checkpoint bytes of a zeroed CPU copy."""

import pytest

from claimbench.verdict import Measurement


@pytest.mark.claims("size")
def test_size(claim_measurement: Measurement, check_claim) -> None:
    check_claim(claim_measurement)
