"""Training claims (accuracy, loss, precision, recall, best epoch, gap): train with the author's recipe, judge."""

import pytest

from claimbench import runs, vocab
from claimbench.ledger import Claim


@pytest.mark.claims(*vocab.TRAINING_KINDS)
def test_accuracy(claim: Claim, check_claim, training_settings: runs.Settings, record_property) -> None:
    outcome = runs.measure(claim, training_settings)
    record_property("estimated_seconds", round(outcome.estimate_seconds, 1))
    check_claim(outcome.mean, seeds=outcome.values, spread=outcome.spread, device=outcome.device,
                unverified_data=not outcome.verified)
