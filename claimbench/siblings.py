"""The other ways a structural claim's number may have been counted: each convention of its kind (of a layer claim,
of its quantity: a count, or a shape's layout) that claimbench measures and, for a size, each other bytes a K, M or G
may stand for, in the ledger's words and fields. The judge
tells a refuted number which of them it matches (FLOPs printed as MACs, MiB printed as MB); a parameter count is
also read as its model's count without a part of it (``vocab.PARAM_PARTS``: its BatchNorm layers, its classifier,
its auxiliary classifiers, its biases), and a parameter or MAC count as its model's built with ``CLASSES`` classes
(``WITH_CLASSES``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from claimbench import numerals, vocab
from claimbench.ledger import Claim

__all__ = ["CLASSES", "WITH_CLASSES", "Reading", "convention", "conventions", "field", "parts", "readings"]

_FIELDS = {"params": ("count", vocab.PARAM_COUNTS), "macs": ("count", vocab.MAC_COUNTS), "size": ("size", vocab.SIZES)}
"""The claim field that names a kind's convention, and the conventions it may name."""
_LAYER_FIELDS = {"params": _FIELDS["params"], "macs": _FIELDS["macs"], "output_shape": ("layout", vocab.LAYOUTS)}
"""The same, of a layer claim, by its quantity."""
_UNSAID = {"layout": "channels_first"}
"""The convention a claim that leaves its field out is measured in: a shape with no layout is PyTorch's own."""
_BYTE_UNITS = ("KB", "MB", "GB")
_PART_WORDS = {"without_batchnorm": "counted without its BatchNorm layers",
               "without_classifier": "counted without its classifier, the final Linear layer",
               "without_aux_classifiers": ("counted without its auxiliary classifiers, its modules named aux* "
                                           "(torchvision's googlenet weights drop them: aux_logits=False)"),
               "without_biases": "counted without its biases, every parameter named bias, bias_* or *_bias"}
"""Each of ``vocab.PARAM_PARTS`` in words: what the count leaves out."""
CLASSES = 1000
"""ImageNet's classes, torchvision's models' default: a CIFAR-10 table often prints the count of its model with them."""
WITH_CLASSES = f"with_{CLASSES}_classes"
"""The key of a measurement's siblings that holds its model's count built with ``num_classes=CLASSES``."""


@dataclass(frozen=True)
class Reading:
    """One other way of counting a claim's number: a convention of its kind, or its own without a part of the model
    (``parts``), in a printed unit (``scale``)."""

    convention: str
    scale: float
    words: str
    """What it counts and how the ledger writes it: ``counted in FLOPs: ... (count = "flops")``."""
    changes: int
    """How many of the claim's convention and unit it changes: 1 or 2."""


def _field(claim: Claim) -> tuple[str, tuple[str, ...]] | None:
    """The claim field that names the claim's convention, and the conventions it may name; None for a kind (or a
    layer's quantity) with none."""
    return _LAYER_FIELDS.get(claim.quantity) if claim.kind == "layer" else _FIELDS.get(claim.kind)


def field(claim: Claim) -> str | None:
    """The claim field that names the claim's convention (``count``, ``size``, ``layout``); None where it has none."""
    found = _field(claim)
    return None if found is None else found[0]


def convention(claim: Claim) -> str | None:
    """The claim's own convention (a field it leaves out, as it is measured: ``_UNSAID``); None for a kind
    ``readings`` has none for."""
    name = field(claim)
    if name is None:
        return None
    own = getattr(claim, name)
    return _UNSAID.get(name) if own is None else own


def conventions(claim: Claim) -> tuple[str, ...]:
    """The conventions of the claim's kind other than its own: what a refuted claim's model is measured under."""
    found = _field(claim)
    if found is None:
        return ()
    return tuple(name for name in found[1] if name != convention(claim))


def parts(claim: Claim) -> tuple[str, ...]:
    """The parts of the model a refuted claim's count is measured without: those of ``vocab.PARAM_PARTS`` for a
    parameter count, none for another kind."""
    return vocab.PARAM_PARTS if claim.kind == "params" else ()


def _byte_scales(scale: float) -> tuple[float, ...]:
    """The other bytes the K, M or G of ``scale`` may stand for (2**20 and 1,024,000 for 1e6); none for a scale that
    is no K, M or G of bytes."""
    for unit in _BYTE_UNITS:
        scales = numerals.scales(unit, "size")
        if any(math.isclose(scale, one, rel_tol=1e-9) for one in scales):
            return tuple(one for one in scales if not math.isclose(scale, one, rel_tol=1e-9))
    return ()


def readings(claim: Claim) -> tuple[Reading, ...]:
    """Every other convention of the claim's kind in its own unit, for a parameter count its own without each of
    ``parts``, and, for a size, every convention (its own too) in the other units of its bytes: those that change one
    of them first."""
    found = _field(claim)
    if found is None:
        return ()
    field_name, names = found
    own = convention(claim)
    scales = (claim.scale, *(_byte_scales(claim.scale) if claim.kind == "size" else ()))
    other = [Reading(name, scale,
                     _words(field_name, name if name != own else None, scale if scale != claim.scale else None),
                     (name != own) + (scale != claim.scale))
             for scale in scales for name in names if (name, scale) != (own, claim.scale)]
    other += [Reading(part, claim.scale, _PART_WORDS[part], 1) for part in parts(claim)]
    return tuple(sorted(other, key=lambda reading: reading.changes))


def _words(field: str, name: str | None, scale: float | None) -> str:
    """A reading in words, the ledger's fields for it after them in brackets; None: the claim's own."""
    words, fields = [], []
    if name is not None:
        words.append({**vocab.PLAIN_WORDS, **vocab.CONVENTION_WORDS}[name])
        fields.append(f'{field} = "{name}"')
    if scale is not None:
        words.append(f"in units of {scale:,.0f} bytes")
        fields.append(f"scale = {numerals.scale_text(scale)}")
    return f"{', '.join(words)} ({', '.join(fields)})"
