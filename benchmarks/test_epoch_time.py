"""Time-per-epoch claims: time training epochs with pytest-benchmark; judge only on the claim's hardware."""

import pytest

from claimbench import runs
from claimbench.ledger import Claim


@pytest.mark.claims("epoch_time")
def test_epoch_time(claim: Claim, check_claim, training_settings: runs.Settings, benchmark) -> None:
    timing = runs.time_epoch(claim, training_settings, benchmark)
    check_claim(timing.seconds, device=timing.device, incomparable=timing.incomparable)
