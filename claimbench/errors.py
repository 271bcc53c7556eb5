"""What keeps a claim from a number: raised by the instruments, turned into a verdict by ``claimbench.verdict``.

Torch-free and import-free: the instruments raise them without knowing of verdicts, and data loading without
knowing of claims.
"""

__all__ = ["MeasurementError", "NotRunnable"]


class MeasurementError(Exception):
    """We could not measure: the message is the one-line reason; the verdict is ``error``."""


class NotRunnable(Exception):
    """The claim cannot be measured here (no CUDA, no dataset, over budget); the message says what is missing."""
