"""Time-per-epoch claims: time training epochs with pytest-benchmark; judge only on the claim's hardware."""

import pytest

from claimbench.verdict import Measurement


@pytest.mark.claims("epoch_time")
def test_epoch_time(claim_measurement: Measurement, check_claim, benchmark) -> None:
    """``benchmark`` is named so that pytest-benchmark counts this test as one (``--benchmark-only``)."""
    check_claim(claim_measurement)
