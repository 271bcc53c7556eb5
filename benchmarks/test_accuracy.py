"""Training claims (accuracy, loss, precision, recall, best epoch, gap): train with the author's recipe, judge."""

import pytest

from claimbench import families, runs, vocab
from claimbench.ledger import Claim


@pytest.mark.claims(*vocab.TRAINING_KINDS)
def test_accuracy(claim: Claim, check_claim, training_settings: runs.Settings) -> None:
    check_claim(families.training(claim, training_settings))
