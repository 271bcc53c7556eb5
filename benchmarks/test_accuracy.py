"""Training claims (accuracy, loss, precision, recall, best epoch, gap): train with the author's recipe, judge."""

import pytest

from claimbench import vocab
from claimbench.verdict import Measurement


@pytest.mark.claims(*vocab.TRAINING_KINDS)
def test_accuracy(claim_measurement: Measurement, check_claim) -> None:
    check_claim(claim_measurement)
