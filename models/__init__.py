"""The five reports' model zoo: one module per report, each registering its builders with
``claimbench.register_model`` when imported. Each ledger in reference/ names its module."""
