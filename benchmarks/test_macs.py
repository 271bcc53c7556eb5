"""MAC claims: trace each model on the meta device and count with both counters under the claim's convention."""

import pytest

from claimbench.verdict import Measurement


@pytest.mark.claims("macs")
def test_macs(claim_measurement: Measurement, check_claim) -> None:
    check_claim(claim_measurement)
