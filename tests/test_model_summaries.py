"""The totals of Keras and torchinfo model summaries, with the conventions their words name."""

from __future__ import annotations

import re

import pytest
import torchinfo
from torch import nn
from torchinfo import ModelStatistics
from torchinfo.enums import Units

from claimbench import model_summaries, numerals
from claimbench.toml_lines import Guess

_KERAS_AFTER_FIT = """Model: "functional"
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
│ dense (Dense)                        │ (None, 10)                  │           5,130 │
 Total params: 63,901,920 (243.77 MB)
 Trainable params: 21,294,922 (81.23 MB)
 Non-trainable params: 17,152 (67.00 KB)
 Optimizer params: 42,589,846 (162.47 MB)
"""


def _counts(code: str) -> dict[str, object]:
    """Each count's line, by its words, and the count it is drafted with (a Guess's value, or the TODO)."""
    found = {}
    for total in model_summaries.totals(code):
        if total.kind == "size":
            continue
        count = total.keys.get("count")
        found[total.line.split(":")[0].strip()] = count.value if isinstance(count, Guess) else count
    return found


def test_a_keras_total_printed_after_fit_counts_the_optimizer_and_is_no_keras_count() -> None:
    """Keras 3 after fit prints "Optimizer params", and its "Total params" adds them (63,901,920 = 21,294,922 +
    17,152 + 42,589,846): drafted as count = "keras", a correct 21,312,074 was refuted. It is a TODO now."""
    counts = _counts(_KERAS_AFTER_FIT)
    assert counts["Trainable params"] == "trainable"
    total = counts["Total params"]
    assert isinstance(total, str) and total.startswith("TODO: ") and "'Optimizer params'" in total
    before_fit = _KERAS_AFTER_FIT.replace(" Optimizer params: 42,589,846 (162.47 MB)\n", "")
    assert _counts(before_fit) == {"Total params": "keras", "Trainable params": "trainable"}


_KERAS_3 = """Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                      │ (None, 30, 30, 16)          │             448 │
│ batch_normalization                  │ (None, 30, 30, 16)          │              64 │
│ (BatchNormalization)                 │                             │                 │
│ dense (Dense)                        │ (None, 10)                  │          12,362 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 12,874 (50.29 KB)
 Trainable params: 12,842 (50.16 KB)
 Non-trainable params: 32 (128.00 B)
"""


def _sizes(code: str) -> list[tuple[str, object, object, float, int | None]]:
    """Each size total's words, the size it is drafted with (a Guess's value, or the TODO), its scale's, its number
    and its decimals."""
    found = []
    for total in model_summaries.totals(code):
        if total.kind == "size":
            size, scale = total.keys["size"], total.scale
            found.append((total.words, size.value if isinstance(size, Guess) else size,
                          scale.value if isinstance(scale, Guess) else scale, total.number.value, total.number.digits))
    return found


@pytest.mark.parametrize(("printed", "scale"), [("50.29 KB", 1024), ("1.10 MB", 1024**2), ("512.00 B", 1),
                                                ("512.00 Byte", 1), ("1.25 GB", 1024**3)])
def test_keras_3s_size_of_its_total_params_is_drafted_as_the_bytes_of_its_weights_in_its_units(printed: str,
                                                                                                scale: int) -> None:
    """Keras 3 prints "Total params: 12,874 (50.29 KB)": the bytes of every weight it counts, in units of 1,024
    (its ``readable_memory_size``; tf.keras 2.13 and later print the same, bytes as "Byte"). The size was dropped;
    it is a size claim of ``keras_weights`` now, in Keras's units. Its "Trainable params" size is none: no size
    counts the trainable weights alone."""
    code = _KERAS_3.replace("50.29 KB", printed)
    assert _sizes(code) == [("Total params", "keras_weights", scale, float(printed.split()[0]), 2)]
    size = next(total for total in model_summaries.totals(code) if total.kind == "size")
    assert size.line == f"Total params: 12,874 ({printed})" and size.printed == printed.split()[0]
    assert "1024" in size.scale.comment and "moving mean and variance" in size.keys["size"].comment
    assert _counts(code) == {"Total params": "keras", "Trainable params": "trainable"}


def test_keras_3s_totals_alone_are_read_as_keras_by_their_sizes() -> None:
    """A code block of Keras 3's totals lines alone, without its ``Model: "..."`` header, drafted no size and no keras
    count: the "(50.29 KB)" after "Total params", which only Keras 3 (and tf.keras 2.13+) prints, says it is Keras's.
    Totals without sizes stay an unknown summary's."""
    code = _KERAS_3[_KERAS_3.index(" Total params"):]
    assert _sizes(code) == [("Total params", "keras_weights", 1024, 50.29, 2)]
    assert _counts(code) == {"Total params": "keras", "Trainable params": "trainable"}
    assert _counts(re.sub(r" \([\d.]+ K?B\)", "", code)) == {"Total params": None, "Trainable params": "trainable"}


def test_a_keras_2_summary_prints_no_size_and_is_drafted_as_before() -> None:
    """Keras 2 prints its totals without sizes: no size is drafted, and its counts are as they were."""
    code = re.sub(r" \([\d.]+ K?B\)", "", _KERAS_3)
    assert "(" not in code.split("Total params")[1]
    assert _sizes(code) == [] and _counts(code) == {"Total params": "keras", "Trainable params": "trainable"}


def test_the_size_of_a_keras_total_printed_after_fit_counts_the_optimizer_and_is_a_todo() -> None:
    """After fit, Keras 3's "Total params" size adds the optimizer's slots, which no size measures: a TODO."""
    ((words, size, scale, value, digits),) = _sizes(_KERAS_AFTER_FIT)
    assert (words, value, scale) == ("Total params", 243.77, 1024**2)
    assert isinstance(size, str) and size.startswith("TODO: ") and "'Optimizer params'" in size


def test_torchinfos_params_size_is_drafted_as_torchinfo_counts_it() -> None:
    """"Params size" was drafted as parameter_bytes, every parameter; torchinfo 1.8.0 leaves some out, so a ViT-B/16's
    232.27 MB was refuted (346.27) beside its reproduced Estimated Total Size. It is torchinfo_params now."""
    code = ("Layer (type:depth-idx)        Output Shape     Param #\nTotal params: 86,567,656\n"
            "Params size (MB): 232.27\nEstimated Total Size (MB): 336.96\n")
    sizes = {total.printed: total.keys["size"] for total in model_summaries.totals(code) if total.kind == "size"}
    assert {printed: size.value for printed, size in sizes.items()} == {
        "232.27": "torchinfo_params", "336.96": "torchinfo_total"}
    assert "'parameter_bytes' counts every parameter" in sizes["232.27"].comment


def _torchinfo_summary(units: dict[str, Units]) -> tuple[str, ModelStatistics]:
    """What the pinned torchinfo prints for a small CNN on a 3x32x32 image, in ``units`` (its formatting's
    ``macs_units``, ``params_units``), and its statistics."""
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16 * 30 * 30, 10))
    statistics = torchinfo.summary(model, input_size=(1, 3, 32, 32), verbose=0)
    for name, unit in units.items():
        setattr(statistics.formatting, name, unit)
    return str(statistics), statistics


@pytest.mark.parametrize("units", [{}, {"macs_units": Units.GIGABYTES, "params_units": Units.MEGABYTES}],
                         ids=["default", "giga-mega"])
def test_the_totals_the_pinned_torchinfo_prints_are_read_with_the_scale_of_their_unit(units: dict[str, Units]) -> None:
    """torchinfo 1.8.0 on Python 3.11 and later prints its unit as its enum's name, "Total mult-adds
    (Units.MEGABYTES): 0.68", which was no unit the draft read: the total was skipped in silence. Each total is read
    now, in the magnitude torchinfo means (a count's, for all that the name says bytes), and agrees with torchinfo's
    own count to the printed decimals."""
    printed, statistics = _torchinfo_summary(units)
    found = {total.words: total for total in model_summaries.totals(printed)}
    assert set(found) == {"Total params", "Trainable params", "Total mult-adds", "Params size",
                          "Estimated Total Size"}, printed
    counted = {"Total params": statistics.total_params, "Trainable params": statistics.trainable_params,
               "Total mult-adds": statistics.total_mult_adds}
    for words, count in counted.items():
        total = found[words]
        scale = numerals.UNITS[total.number.unit] if total.number.unit else 1.0
        assert total.scale is None and abs(total.number.value * scale - count) <= 0.005 * scale, (printed, words)
    assert found["Total mult-adds"].keys["count"].value == "torchinfo"


def test_a_total_in_a_unit_the_draft_does_not_read_asks_for_its_scale() -> None:
    """A total whose unit is none the draft reads ("(Units.TERABYTES)", which torchinfo prints for a batch of 10^12
    mult-adds) was dropped in silence; it is a total now, its scale a TODO that names the unit."""
    code = ("Layer (type:depth-idx)        Output Shape     Param #\nTotal params (Units.PETABYTES): 3\n"
            "Total mult-adds (Units.TERABYTES): 1.05\n")
    scales = {total.words: total.scale for total in model_summaries.totals(code)}
    assert set(scales) == {"Total params", "Total mult-adds"}
    assert all(scale.startswith("TODO: ") for scale in scales.values())
    assert "'Units.TERABYTES'" in scales["Total mult-adds"] and "MACs" in scales["Total mult-adds"]
    assert "'Units.PETABYTES'" in scales["Total params"] and "parameters" in scales["Total params"]
