"""The instruments' tests see every model of this repository's ledgers: the modules each ledger names
are imported, as the plugin does at collection. Tests of the engine take ``device``: the CPU everywhere, and
CUDA where this machine has it."""

from pathlib import Path

import pytest
import torch

from claimbench import ledger, registry

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
NO_CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")

registry.import_modules(m for report in ledger.load_reports(REFERENCE) for m in report.modules)


@pytest.fixture(params=["cpu", pytest.param("cuda", marks=NO_CUDA)])
def device(request: pytest.FixtureRequest) -> str:
    """The device an engine test trains on."""
    return request.param
