"""The totals a model summary prints in a report's code block, Keras's `model.summary()` ("Total params:
1,234,567", "Trainable params: ...", and the size of the weights Keras 3 prints after its total, "(4.71 MB)") and
torchinfo's ("Total mult-adds (G): 1.81", which torchinfo 1.8.0 prints
"Total mult-adds (Units.GIGABYTES): 1.81" on Python 3.11 and later; "Estimated Total Size (MB): 87.11"), each with
the kind and convention its words name, and the input torchinfo's "Input Shape" column states; a code block's other
numbers are no claims. Torch-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from claimbench import numerals
from claimbench.toml_lines import Guess, todo

__all__ = ["Total", "input_shape", "totals"]

_TOTAL = re.compile(rf"^[ \t]*(?P<what>Total params|Trainable params|Total mult-adds|Estimated Total Size|Params size)"
                    rf"[ \t]*(?:\((?P<unit>[^()\n]*)\))?[ \t]*:[ \t]*(?P<number>{numerals.NUMBER})(?![\w.])",
                    re.MULTILINE | re.IGNORECASE)
"""A summary's line of a total: its words, the unit in brackets after them, its number."""
_ENUM_UNIT = re.compile(r"Units\.(?P<letter>[A-Z])[A-Z]*BYTES")
"""A unit as torchinfo 1.8.0 prints it on Python 3.11 and later: the name of its ``Units`` enum member, whose value,
printed by older Pythons, is the name's first letter ("Units.GIGABYTES": "G"), the magnitude of a count (mult-adds,
or parameters in ``params_units``) for all that the name says bytes."""
_KERAS_SIZE = re.compile(rf"[ \t]*\((?P<number>{numerals.NUMBER})[ \t]*(?P<unit>B|Byte|[KMGTP]B)\)")
"""The size Keras 3 (and tf.keras from 2.13) prints after a total's count, "Total params: 12,874 (50.29 KB)": the
bytes of the weights it counts, in the unit ``readable_memory_size`` picks (bytes as "B", tf.keras's "Byte")."""
_KERAS_BYTES = {"B": 1, "Byte": 1, **{f"{letter}B": 1024 ** power for power, letter in enumerate("KMGTP", 1)}}
"""The bytes of each unit of ``_KERAS_SIZE``: ``readable_memory_size`` divides by 1,024 for each, so its "KB" is a
KiB and its "MB" a MiB, whatever the letters say."""
_TORCHINFO = re.compile(r"depth-idx|mult-adds|Estimated Total Size", re.IGNORECASE)
_KERAS = re.compile(r'^Model: "|Layer \(type\)', re.MULTILINE)
_NAMES = {"keras": "Keras", "torchinfo": "torchinfo"}
_NONE_FROZEN = re.compile(r"^[ \t]*Non-trainable params[ \t]*:[ \t]*0(?![\d.,])", re.MULTILINE | re.IGNORECASE)
_OPTIMIZER = re.compile(r"^[ \t]*Optimizer params[ \t]*:", re.MULTILINE | re.IGNORECASE)
"""Keras 3's line of the optimizer's slots, in a summary printed after ``fit``: its "Total params" counts them."""
_BATCH = re.compile(r"\[\s*(\d+)\s*,\s*\d")
"""The first dimension of the first shape torchinfo prints ("[1, 64, 16, 16]"): the batch it summarised."""
_HEADER = re.compile(r"^.*Layer \(type.*$", re.MULTILINE)
"""A summary's header line, which names its columns."""
_FIRST_ROW = re.compile(r"\n(?:[ \t]*(?:=+|-+|_+)?[ \t]*\n)*(?P<row>.*)")
"""The first row under a header: the model's own, past the rules and blank lines."""
_IMAGE = re.compile(r"\[\s*\d+\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\](?!\S)")
"""A batch of images as torchinfo prints its shape, [B, C, H, W]: "[1, 3, 224, 224]"."""
_PER_BATCH = ("macs", "size")
"""The totals torchinfo counts for the whole batch: claimbench measures one image."""


@dataclass(frozen=True)
class Total:
    """A total of a model summary: its line, its number as printed and read, its kind and convention keys."""

    line: str
    words: str
    """What the line names ("Total mult-adds"), which names its claim."""
    printed: str
    number: numerals.Number
    kind: str
    keys: dict[str, object]
    """``count`` or ``size``, with a comment that says where they were read; none where the words do not say."""
    note: str | None = None
    """A TODO where the summary counted a batch of images."""
    scale: str | Guess | None = None
    """A TODO where the line prints its number in a unit the draft does not read ("(Units.TERABYTES)": T); the
    bytes of the unit of a Keras size, which are no unit's usual ones ("KB": 1,024)."""


def totals(code: str) -> list[Total]:
    """The totals of each model summary in the code block ``code``, in order."""
    library = "torchinfo" if _TORCHINFO.search(code) else "keras" if _KERAS.search(code) or _sized(code) else None
    batch = int(shape[1]) if library == "torchinfo" and (shape := _BATCH.search(code)) else 1
    found = []
    for match in _TOTAL.finditer(code):
        what, unit = " ".join(match["what"].lower().split()), _unit(match["unit"])
        read = _read(what, f"{_NAMES.get(library, 'the summary')}'s {match['what']!r}", library,
                     bool(_NONE_FROZEN.search(code)), bool(_OPTIMIZER.search(code)))
        if read is None:
            continue
        note = None
        if read[0] in _PER_BATCH and batch != 1 and what != "params size":  # parameter bytes are the model's
            note = todo(f"the summary's shapes are of a batch of {batch}, and its {match['what']!r} counts them all: "
                        "claimbench measures one image; give that image's number, or delete this claim")
        number = numerals.number(match["number"], unit, None)
        scale = None
        if unit and unit not in numerals.UNITS:  # a whole number in it is rounded to it, as "21" under "(M)" is
            number = replace(number, digits=number.digits or 0)
            scale = todo(f"the {numerals.WHOLE_COUNTS[read[0]]} in one {match['unit']!r}, a unit the draft does not "
                         "read (e.g. 1e6 for 'M' or 'MB', 1e12 for 'T')")
        end = code.find("\n", match.end())
        found.append(Total(code[match.start() : end if end >= 0 else None].strip(), match["what"], match["number"],
                           number, *read, note, scale))
        if what == "total params" and library == "keras" and (size := _KERAS_SIZE.match(code, match.end())):
            found.append(_keras_size(found[-1], size, bool(_OPTIMIZER.search(code))))
    return found


def _sized(code: str) -> bool:
    """Whether a "Total params" line of ``code`` prints a size after its count ("(50.29 KB)", ``_KERAS_SIZE``), as
    only Keras 3 does: its totals lines alone, without the summary's ``Model: "..."`` header, are Keras's."""
    return any(match["what"].lower() == "total params" and _KERAS_SIZE.match(code, match.end())
               for match in _TOTAL.finditer(code))


def _keras_size(total: Total, size: re.Match[str], optimizer: bool) -> Total:
    """The size Keras 3 prints after its ``total`` ("(50.29 KB)"), the bytes of every weight Keras counts
    (``size = "keras_weights"``, a TODO where the total counts the optimizer's slots: ``optimizer``), in the unit
    it prints, whose bytes are Keras's (``_KERAS_BYTES``)."""
    named = f"Keras's {total.words!r} size"
    keys: dict[str, object] = {"size": Guess("keras_weights", f"{named}: the bytes of every weight it counts, "
                                                              "BatchNorm's moving mean and variance among them")}
    if optimizer:
        keys = {"size": todo(f"{named} of a summary printed after fit counts the optimizer's slots (its 'Optimizer "
                             "params' line), which no size measures; delete this claim")}
    unit = size["unit"]
    scale = Guess(_KERAS_BYTES[unit], f"Keras's {unit!r} is {_KERAS_BYTES[unit]} bytes: its readable_memory_size "
                                      "divides by 1024")
    return Total(total.line, total.words, size["number"], numerals.number(size["number"], None, None), "size", keys,
                 scale=scale)


def _unit(printed: str | None) -> str | None:
    """The unit of a total as its brackets print it ("M", "MB"), torchinfo's enum member's name read as the letter
    it stands for ("Units.GIGABYTES": "G", ``_ENUM_UNIT``); None where it prints none."""
    member = _ENUM_UNIT.fullmatch(printed or "")
    return member["letter"] if member else printed or None


def input_shape(code: str) -> Guess | None:
    """The [C, H, W] the summaries in the code block ``code`` state as their model's input: the shape under
    torchinfo's "Input Shape" header in the first row (the whole model's), less its batch, with a comment that says
    so; None where a summary prints no such column, its input is no batch of images, or two summaries differ."""
    shapes = set()
    for header in _HEADER.finditer(code):
        column = header.group().find("Input Shape")
        row = _FIRST_ROW.match(code, header.end())
        image = _IMAGE.match(row["row"], column) if column >= 0 and row else None
        if image is None:
            return None
        shapes.add((image.group(), tuple(int(side) for side in image.groups())))
    if len(shapes) != 1:
        return None
    ((printed, shape),) = shapes
    return Guess(list(shape), f"read from torchinfo's 'Input Shape' {printed}, less its batch; delete if the model "
                              "is registered with its input size")


def _read(what: str, named: str, library: str | None, none_frozen: bool, optimizer: bool
          ) -> tuple[str, dict[str, object]] | None:
    """(kind, convention keys) of a summary's total ``what`` (lower case), as ``library`` prints it and ``named`` names
    it (``none_frozen``: it prints no non-trainable parameters; ``optimizer``: it prints the optimizer's); None where
    claimbench measures no such total (or only torchinfo prints it, and the summary is not torchinfo's)."""
    if what == "trainable params":
        return "params", {"count": Guess("trainable", f"{named}: the parameters with requires_grad")}
    if what == "total params" and library == "keras" and optimizer:
        return "params", {"count": todo(f"{named} of a summary printed after fit counts the optimizer's slots (its "
                                        "'Optimizer params' line), which no parameter count measures; claim its "
                                        "'Trainable params' instead, and delete this claim")}
    if what == "total params" and library == "keras":
        return "params", {"count": Guess("keras", f"{named}: count_params(), trainable and not, BatchNorm's moving "
                                                  "mean and variance among them")}
    if what == "total params":  # torchinfo's counts frozen parameters too; an unknown summary's, who knows
        trainable = library == "torchinfo" and none_frozen
        return "params", {"count": Guess("trainable", f"{named}, with no non-trainable ones")} if trainable else {}
    if library != "torchinfo":
        return None
    if what == "total mult-adds":
        return "macs", {"count": Guess("torchinfo", f"{named}: biases and BatchNorm count too")}
    size = {"estimated total size": "torchinfo_total", "params size": "torchinfo_params"}[what]
    every = "; size = 'parameter_bytes' counts every parameter, 1.8.0 leaves some out" if what == "params size" else ""
    return "size", {"size": Guess(size, f"{named}; its MB are 10^6 bytes{every}")}
