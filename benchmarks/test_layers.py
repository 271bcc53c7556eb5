"""Per-layer claims: one traced table per model and input (meta device), one row per claimed layer."""

import pytest

from claimbench.verdict import Measurement


@pytest.mark.claims("layer")
def test_layer(claim_measurement: Measurement, check_claim) -> None:
    check_claim(claim_measurement)
