"""Training claims (accuracy, loss, precision, recall, best epoch, gap): train with the author's recipe, judge."""

import pytest

from claimbench import families, vocab
from claimbench.ledger import Claim
from claimbench.runs.settings import Settings


@pytest.mark.claims(*vocab.TRAINING_KINDS)
def test_accuracy(claim: Claim, check_claim, training_settings: Settings) -> None:
    check_claim(families.training(claim, training_settings))
