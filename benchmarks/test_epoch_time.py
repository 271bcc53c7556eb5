"""Time-per-epoch claims: time training epochs with pytest-benchmark; judge only on the claim's hardware."""

import pytest

from claimbench import families
from claimbench.ledger import Claim
from claimbench.runs.settings import Settings


@pytest.mark.claims("epoch_time")
def test_epoch_time(claim: Claim, check_claim, training_settings: Settings, benchmark) -> None:
    check_claim(families.epoch_time(claim, training_settings, benchmark))
