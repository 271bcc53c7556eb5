"""The instruments' tests see every model of this repository's ledgers: the modules each ledger names
are imported, as the plugin does at collection."""

from pathlib import Path

from claimbench import ledger, registry

REFERENCE = Path(__file__).resolve().parent.parent / "reference"

registry.import_modules(m for report in ledger.load_reports(REFERENCE) for m in report.modules)
