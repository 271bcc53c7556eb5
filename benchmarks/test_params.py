"""Parameter-count claims: build each model on the meta device and count under the claim's convention."""

import pytest

from claimbench.verdict import Measurement


@pytest.mark.claims("params")
def test_params(claim_measurement: Measurement, check_claim) -> None:
    check_claim(claim_measurement)
