"""Tests of claimbench.numerals: the number a report's printed text shows, and a value that contradicts it."""

from __future__ import annotations

import pytest

from claimbench import numerals


@pytest.mark.parametrize(
    ("printed", "header", "expected"),
    [
        ("21.2", "Parameters (M)", numerals.Number(21.2, 1e6, 1, unit="M")),
        ("134,276,932", "Trainable Parameters", numerals.Number(134_276_932)),
        ("**134,276,932**", "Trainable Parameters", numerals.Number(134_276_932)),
        ("549.95", "Size (MB)", numerals.Number(549.95, 1e6, 2, unit="MB")),
        ("99.47%", "Train Accuracy", numerals.Number(99.47, 1.0, 2, unit="%")),
        ("93.19", "Test Accuracy (%)", numerals.Number(93.19, 1.0, 2, unit="%")),
        ("100%", "Training Accuracy", numerals.Number(100, unit="%")),
        ("0.99", "Precision", numerals.Number(0.99, 1.0, 2)),
        ("0.01964", "Train Loss (4 s.f.)", numerals.Number(0.01964, 1.0, 5)),
        ("1.15s", "Time per Epoch", numerals.Number(1.15, 1.0, 2, unit="s")),
        ("1.15", "Time per Epoch", numerals.Number(1.15, 1.0, 2)),
        ("12 ms", "Latency", numerals.Number(12, 1e-3, 0, unit="ms")),
        ("21.2M", "Params", numerals.Number(21.2, 1e6, 1, unit="M")),
        ("113K", "Params", numerals.Number(113, 1e3, 0, unit="K")),  # a rounding to whole thousands
        ("21", "Parameters (M)", numerals.Number(21, 1e6, 0, unit="M")),
        ("0", "MACs", numerals.Number(0)),
        ("<100K", "Params", numerals.Number(100, 1e3, 0, bound="below", unit="K")),
        ("under 900", "Epoch time", numerals.Number(900, bound="below")),  # a bound in words, as the text prints it
        ("At least 2.5 s", "Epoch time", numerals.Number(2.5, 1.0, 1, bound="above", unit="s")),
        ("~85%", "Accuracy", numerals.Number(85, unit="%", approximate="~")),  # marked approximate: the draft says so
        ("≈ 1.2M", "Params", numerals.Number(1.2, 1e6, 1, unit="M", approximate="≈")),
        ("about 10.1M", "", numerals.Number(10.1, 1e6, 1, unit="M", approximate="about")),  # a word, as in the text
        ("Roughly 4.9 MB", "", numerals.Number(4.9, 1e6, 1, unit="MB", approximate="Roughly")),
        ("(10,1)", "Output Size", numerals.Number([10, 1])),
        ("(16, 16, 32)", "Output Size", numerals.Number([16, 16, 32])),
        ("(128,)", "Output Size", numerals.Number([128])),
        ("(None, 16, 16, 32)", "Output Shape", numerals.Number([16, 16, 32])),  # Keras's batch dimension: none
        ("(None, 2048)", "Output Shape", numerals.Number([2048])),
        ("[(None, 32, 32, 3)]", "Output Shape", numerals.Number([32, 32, 3])),  # Keras 2's input layer: a list of one
        ("1.2 min", "Time per Epoch", numerals.Number(1.2, 60.0, 1, unit="min")),
        ("1.2", "Epoch time (min)", numerals.Number(1.2, 60.0, 1, unit="min")),
        ("3", "Time per epoch (minutes)", numerals.Number(3, 60.0, 0, unit="minutes")),
        ("3 hours", "Time per epoch", numerals.Number(3, 3600.0, 0, unit="hours")),
        ("1.5 hrs", "Epoch time", numerals.Number(1.5, 3600.0, 1, unit="hrs")),
        ("1 hour", "", numerals.Number(1, 3600.0, 0, unit="hour")),
        ("1.5 Hours", "Time per epoch", numerals.Number(1.5, 3600.0, 1, unit="hours")),  # a word, in any case
        ("3 HOURS", "", numerals.Number(3, 3600.0, 0, unit="hours")),
        ("2 Hrs/epoch", "", numerals.Number(2, 3600.0, 0, unit="hrs")),
        ("1.2 Million", "", numerals.Number(1.2, 1e6, 1, unit="million")),
        ("2", "Epoch Time (Hours)", numerals.Number(2, 3600.0, 0, unit="hours")),
        ("5-6 Minutes", "", numerals.Number((5, 6), 60.0, 0, "between", unit="minutes")),
        ("4.2 sec", "Time per epoch", numerals.Number(4.2, 1.0, 1, unit="s")),  # seconds spelt out in a cell
        ("4 Seconds", "", numerals.Number(4, unit="s")),
        ("4.2 secs/epoch", "", numerals.Number(4.2, 1.0, 1, unit="s")),
        ("3 mins", "", numerals.Number(3, 60.0, 0, unit="min")),
        ("2 Min", "", numerals.Number(2, 60.0, 0, unit="min")),  # "min" as a word, in any case
        ("2 MIN", "", numerals.Number(2, 60.0, 0, unit="min")),
        ("4.2", "Epoch Time (Min)", numerals.Number(4.2, 60.0, 1, unit="min")),
        ("3 Hours/Epoch", "", numerals.Number(3, 3600.0, 0, unit="hours")),  # "per epoch" in any case
        ("5 secs/Epoch", "", numerals.Number(5, unit="s")),
        ("5 s/Epoch", "", numerals.Number(5, unit="s")),
        ("2 M", "", numerals.Number(2, 1e6, 0, unit="M")),  # a lone "M" is millions, not minutes
        ("1 Minute", "", numerals.Number(1, 60.0, 0, unit="minutes")),
        ("2 h", "Time per epoch", numerals.Number(2, 3600.0, 0, unit="h")),  # a lone "h" under a header of a time
        ("1.5", "Epoch time (h)", numerals.Number(1.5, 3600.0, 1, unit="h")),
        ("1.5", "Training duration (hours)", numerals.Number(1.5, 3600.0, 1, unit="hours")),
        ("1,031,744 params", "Params", numerals.Number(1_031_744)),
        ("3,504,872", "Params (M)", numerals.Number(3_504_872)),  # a whole count in groups of digits, as printed
        ("1,031,744", "Params (K)", numerals.Number(1_031_744)),
        ("4,089", "FLOPs (M)", numerals.Number(4_089, 1e6, 0, unit="M")),  # short of its header's magnitude: in it
        ("25,557", "Params (K)", numerals.Number(25_557, 1e3, 0, unit="K")),  # short of a million: in its header's
        ("3,504,872", "FLOPs (G)", numerals.Number(3_504_872, 1e9, 0, unit="G")),  # or as printed: either_magnitude
        ("1,234.5", "MACs (M)", numerals.Number(1_234.5, 1e6, 1, unit="M")),
        ("1,234", "Latency (ms)", numerals.Number(1_234, 1e-3, 0, unit="ms")),  # no magnitude: the header's unit
        ("113K parameters", "", numerals.Number(113, 1e3, 0, unit="K")),
        ("1.2 GMACs", "", numerals.Number(1.2, 1e9, 1, unit="G")),
        ("60-65%", "Accuracy", numerals.Number((60, 65), bound="between", unit="%")),
        ("60–65 %", "Accuracy", numerals.Number((60, 65), bound="between", unit="%")),
        ("60% — 65%", "Accuracy", numerals.Number((60, 65), bound="between", unit="%")),
        ("1.2-1.55", "Params (M)", numerals.Number((1.2, 1.55), 1e6, 2, bound="between", unit="M")),
        ("88.7 ± 0.3", "Acc (%)", numerals.Number(88.7, 1.0, 1, unit="%", spread=0.3)),
        ("88.7±0.3", "Accuracy", numerals.Number(88.7, 1.0, 1, spread=0.3)),
        ("88.7 +/- 0.3", "Accuracy", numerals.Number(88.7, 1.0, 1, spread=0.3)),
        ("88.7% ± 0.3", "Accuracy", numerals.Number(88.7, 1.0, 1, unit="%", spread=0.3)),
        ("**80.1**\\*", "Accuracy", numerals.Number(80.1, 1.0, 1)),  # a footnote marker is no part of it
        ("25.6M†", "Params", numerals.Number(25.6, 1e6, 1, unit="M")),
        ("688<sup>‡</sup>", "", numerals.Number(688)),
        ("91.2<sup>1</sup>", "Accuracy", numerals.Number(91.2, 1.0, 1)),  # not 91.21
        ("91.2¹", "Accuracy", numerals.Number(91.2, 1.0, 1)),
        ("92.1 (±0.3)", "Top-1 (%)", numerals.Number(92.1, 1.0, 1, unit="%", spread=0.3)),
        ("≈1.2 ± 0.1", "", numerals.Number(1.2, 1.0, 1, spread=0.1, approximate="≈")),  # approximate, with a spread
        ("~88.7 ± 0.3%", "Accuracy", numerals.Number(88.7, 1.0, 1, unit="%", spread=0.3, approximate="~")),
        ("about 92.1 (±0.3)", "Top-1 (%)", numerals.Number(92.1, 1.0, 1, unit="%", spread=0.3, approximate="about")),
        ("~60-65%", "Accuracy", numerals.Number((60, 65), bound="between", unit="%", approximate="~")),
        ("nearly 95%", "Accuracy", numerals.Number(95, bound="below", unit="%")),  # below it: no more than 95
        ("Almost 1.2M", "Params", numerals.Number(1.2, 1e6, 1, bound="below", unit="M")),
        ("2.4s/epoch", "Training time", numerals.Number(2.4, 1.0, 1, unit="s")),
        ("1.2 min per epoch", "", numerals.Number(1.2, 60.0, 1, unit="min")),
        ("2h/epoch", "", numerals.Number(2, 3600.0, 0, unit="h")),  # "h" before "/epoch": an epoch's hours
        ("0.5", "h/epoch", numerals.Number(0.5, 3600.0, 1, unit="h")),
    ],
)
def test_parse_reads_each_printed_form(printed: str, header: str, expected: numerals.Number) -> None:
    assert numerals.parse(printed, header) == expected


@pytest.mark.parametrize(
    ("printed", "header", "expected"),
    [
        ("~0.37", "GFLOPs", numerals.Number(0.37, 1e9, 2, unit="G", approximate="~")),  # a magnitude glued to its noun
        ("452", "MFLOPs", numerals.Number(452, 1e6, 0, unit="M")),
        ("1.84", "GMACs", numerals.Number(1.84, 1e9, 2, unit="G")),
        ("0.55", "gmacs", numerals.Number(0.55, 1e9, 2, unit="G")),  # timm's lower-case headers
        ("3.21", "param_count (m)", numerals.Number(3.21, 1e6, 2, unit="M")),
        ("3.2", "Time (m)", numerals.Number(3.2, 1.0, 1)),  # metres or minutes: no count's million
        ("3.2", "Height (h)", numerals.Number(3.2, 1.0, 1)),  # a lone "h" is hours only in a header of a time
        ("3.2", "Params (h)", numerals.Number(3.2, 1.0, 1)),
        ("11.3", "Params, M", numerals.Number(11.3, 1e6, 1, unit="M")),
        ("11.3", "Params in M", numerals.Number(11.3, 1e6, 1, unit="M")),
        ("42.7", "Size (MiB)", numerals.Number(42.7, 1024.0 ** 2, 1, unit="MiB")),
        ("4.9 MiB", "Memory", numerals.Number(4.9, 1024.0 ** 2, 1, unit="MiB")),
        ("3 KiB", "", numerals.Number(3, 1024.0, 0, unit="KiB")),
        ("1.2 GiB", "", numerals.Number(1.2, 1024.0 ** 3, 1, unit="GiB")),
        ("11.3 million", "", numerals.Number(11.3, 1e6, 1, unit="million")),
        ("11.3 million parameters", "", numerals.Number(11.3, 1e6, 1, unit="million")),
        ("2 billion", "FLOPs", numerals.Number(2, 1e9, 0, unit="billion")),
        ("2.4", "s/epoch", numerals.Number(2.4, 1.0, 1, unit="s")),  # seconds spelt out, or "s" before "/epoch"
        ("843", "Time per epoch (sec)", numerals.Number(843, 1.0, unit="s")),
        ("12", "Seconds per epoch", numerals.Number(12, 1.0, unit="s")),
        ("12", "Params/epoch", numerals.Number(12, 1.0)),  # no lone "s"
    ],
)
def test_parse_reads_units_in_header_words_binary_bytes_and_number_words(printed: str, header: str,
                                                                          expected: numerals.Number) -> None:
    assert numerals.parse(printed, header) == expected


@pytest.mark.parametrize(("header", "scale"), [
    ("Params (×10^6)", 1e6), ("Params (x10^6)", 1e6), ("Params (10^6)", 1e6), ("Params (1e6)", 1e6),
    ("Params (×10⁶)", 1e6), ("Params (×10<sup>6</sup>)", 1e6), ("MACs (×10^9)", 1e9), ("FLOPs [x10^9]", 1e9),
    ("Params (×10^3)", 1e3), ("Params, ×10^6", 1e6)])
def test_a_power_of_ten_in_a_header_is_its_magnitude(header: str, scale: float) -> None:
    """"11.7" under "Params (×10^6)" or "MACs (×10^9)" was read at scale 1, as under "Params": claimbench draft asked
    for a scale, and a ledger's scale went unchecked. A power of ten in brackets is the magnitude it stands for."""
    assert numerals.parse("11.7", header).scale == scale
    assert numerals.contradiction("11.7", 11.7, 1.0, header, "params")[0] == "scale"


@pytest.mark.parametrize("header", ["Params (106)", "Top-1 (103)", "Params (10^6 of them)"])
def test_a_number_in_a_headers_brackets_is_no_power_of_ten(header: str) -> None:
    assert numerals.parse("11.7", header).scale == 1.0


@pytest.mark.parametrize("header", ["Top-1 (HR)", "Top-1 (Hr)", "HR Top-1", "Top-1 HR", "Top-1 @ HR", "Acc. (HR)",
                                    "Accuracy (HR input)", "PSNR (HR)", "Top-1 (Min)", "Acc (MIN)"])  # a minimum
def test_hours_in_a_header_of_no_time_are_no_unit(header: str) -> None:
    """"HR" (high resolution) in a header was read as hours once words were read in any case: the accuracy under
    "Top-1 (HR)" was drafted at scale 3600. A capitalised "HR" or "Min" is hours or minutes only where a time is
    meant."""
    assert numerals.parse("76.1", header) == numerals.Number(76.1, 1.0, 1)


@pytest.mark.parametrize(("header", "scale"), [
    ("Runtime (min)", 60), ("Elapsed (min)", 60), ("Wall clock (min)", 60), ("Epoch (min)", 60),
    ("Latency (min)", 60), ("Train. (min)", 60), ("Training (hours)", 3600), ("GPU hours", 3600), ("Hours", 3600),
    ("Minutes", 60), ("Training (Hours)", 3600), ("Train (Mins)", 60), ("Train (hrs)", 3600)])
def test_hours_or_minutes_spelt_unmistakably_are_read_in_any_header(header: str, scale: float) -> None:
    """Hours and minutes in a header of no "time" word were read before "HR" was taken for hours, and were not read
    after its fix: "42.5" under "Runtime (min)" asked for a scale, and the loader took scale 1, 60 times off. Only a
    capitalised "HR" or "Min" (high resolution, a minimum) and a lone "h" wait for a time word."""
    assert numerals.parse("42.5", header).scale == scale
    assert numerals.contradiction("42.5", 42.5, 1.0, header, "epoch_time")[0] == "scale"


@pytest.mark.parametrize(("header", "unit"), [("Epoch time (HRS)", "hrs"), ("Duration (hours)", "hours"),
                                           ("Training time, hrs", "hrs"), ("Epoch Time (Hr)", "hr"),
                                           ("hrs per epoch", "hrs"), ("Hours/epoch", "hours"),
                                           ("Hours Per Epoch", "hours")])
def test_hours_in_a_header_of_a_time_are_hours(header: str, unit: str) -> None:
    assert numerals.parse("1.5", header) == numerals.Number(1.5, 3600.0, 1, unit=unit)


@pytest.mark.parametrize("printed", ["Convolution", "-", "**Total**", "MLC.Œ±-19k", "", "3.12.1", "N/A", "x32",
                                     "65-60%", "60% - 65K", "88.7% ± 0.3 s", "88.7 ± -0.3", "16x16",
                                     "10<sup>6</sup>", "10⁶", "2<sup>10</sup>",  # powers, not footnotes
                                     "12/epoch", "91%/epoch",  # per epoch: a time
                                     "2 h", "3h",  # a lone "h" under a header of no time: no hours
                                     "(None, None, 3)", "(None,)",  # a shape whose sides Keras does not know
                                     "[(None, 32, 32, 3), (None, 10)]"])  # a list of two shapes: no one shape
def test_parse_refuses_text(printed: str) -> None:
    assert numerals.parse(printed, "Params") is None


@pytest.mark.parametrize(("printed", "value", "scale", "header"), [
    ("134,276,932", 134_276_932, 1.0, "Trainable Parameters"),
    ("**134,276,932**", 134_276_932, 1.0, ""),
    ("5.6M", 5.6, 1e6, ""),
    ("21.2", 21.2, 1e6, "Parameters (M)"),
    ("0.49 MB", 0.49, 1.024e6, ""),  # a report's own megabyte: the unit's scale is not imposed
    ("(10,1)", (10, 1), 1.0, "Output Size"),
    ("(None, 32, 32, 32)", (32, 32, 32), 1.0, "Output Shape"),  # Keras's batch dimension None is no part of it
    ("[(None, 32, 32, 3)]", (32, 32, 3), 1.0, "Output Shape"),  # Keras 2's input layer prints a list of one shape
    ("just shy of 60%", 59, 1.0, ""),  # words: no one number to hold the value to
    ("88.7 ± 0.3", 88.7, 1.0, ""),
    ("1.2 min", 1.2, 60.0, "Time per Epoch"),
    ("3 hours", 3, 3600.0, "Time per Epoch"),
    ("3,504,872", 3_504_872, 1.0, "Params (M)"),  # a count as printed
    ("3,504,872", 3_504_872, 1.0, "FLOPs (G)"),  # a count as printed, or in G: either reading
    ("3,504,872", 3_504_872, 1e9, "FLOPs (G)"),
    ("25,557,032", 25_557_032, 1.0, "Params (B)"),
    ("46,830,571", 46_830_571, 1.0, "Size (MB)"),  # bytes as printed: 46.8 TB in MB is no model's
])
def test_a_value_the_printed_text_shows_is_no_contradiction(printed: str, value: float | tuple[int, ...],
                                                               scale: float, header: str) -> None:
    assert numerals.contradiction(printed, value, scale, header) is None


WRONG = "is not the number that printed shows"


@pytest.mark.parametrize(("printed", "value", "scale", "header", "problem"), [
    ("134,276,932", 134_276_923, 1.0, "", ("value", f"134276923 {WRONG} ('134,276,932'), in its printed unit")),
    ("**5.6M**", 5.5, 1e6, "", ("value", f"5.5 {WRONG} ('5.6M'), in its printed unit")),
    ("5.6M", 5_600_000, 1.0, "", ("value", f"5600000 {WRONG} ('5.6M'), in its printed unit")),
    ("99.47%", 99.74, 1.0, "", ("value", f"99.74 {WRONG} ('99.47%'), in its printed unit")),
    ("(10,1)", (1, 10), 1.0, "", ("value", f"[1, 10] {WRONG} ('(10,1)'), in its printed unit")),
    ("(10,1)", 10, 1.0, "", ("value", f"10 {WRONG} ('(10,1)'), in its printed unit")),
    ("(None, 32, 32, 32)", (16, 32, 32), 1.0, "Output Shape",
     ("value", f"[16, 32, 32] {WRONG} ('(None, 32, 32, 32)'), in its printed unit")),
    ("5.6M", 5.6, 1.0, "", ("scale", "printed '5.6M' counts in units of 1e+06: give scale = 1e+06")),
    ("21.2", 21.2, 1.0, "Parameters (M)",
     ("scale", "printed '21.2' under 'Parameters (M)' counts in units of 1e+06: give scale = 1e+06")),
    ("12 ms", 12, 1.0, "", ("scale", "printed '12 ms' counts in units of 0.001: give scale = 0.001")),
    ("88.7 ± 0.3", 88.3, 1.0, "", ("value", f"88.3 {WRONG} ('88.7 ± 0.3'), in its printed unit")),
    ("91.2<sup>1</sup>", 91.21, 1.0, "", ("value", f"91.21 {WRONG} ('91.2'), in its printed unit")),
    ("1.2 ± 0.1", 1.2, 1.0, "Params (M)",
     ("scale", "printed '1.2 ± 0.1' under 'Params (M)' counts in units of 1e+06: give scale = 1e+06")),
    ("1.2 min", 1.2, 1.0, "", ("scale", "printed '1.2 min' counts in units of 60: give scale = 60")),
    ("3 hours", 3, 1.0, "", ("scale", "printed '3 hours' counts in units of 3600: give scale = 3600")),
    ("3 Hours", 3, 1.0, "", ("scale", "printed '3 Hours' counts in units of 3600: give scale = 3600")),
    ("1.5", 1.5, 60.0, "Epoch time (h)",
     ("scale", "printed '1.5' under 'Epoch time (h)' counts in units of 3600: give scale = 3600, not 60")),
])
def test_a_value_or_scale_the_printed_text_does_not_show_is_named(
        printed: str, value: float | tuple[int, ...], scale: float, header: str, problem: tuple[str, str]) -> None:
    assert numerals.contradiction(printed, value, scale, header) == problem


@pytest.mark.parametrize(("printed", "value", "scale", "header", "kind"), [
    ("2.5G", 2.5, 1e9, "", "macs"),
    ("4.8 MB", 4.8, 2.0 ** 20, "", "size"),  # a megabyte of 2**20 bytes
    ("4.8", 4.8, 1.024e6, "Size (MB)", "size"),  # Windows' "MB": KiB / 1000
    ("4.8", 4.8, 1.024e6, "Size (M)", "size"),  # a size's M is a megabyte
    ("46,830,571", 46_830_571, 1.0, "Size (MB)", "size"),  # bytes as printed: 46.8 TB in MB is no model's
    ("3,504,872", 3_504_872, 1.0, "Size (G)", "size"),  # 3.5 PB in GB
    ("46,830,571", 46_830_571, 1.0, "Size (KB)", "size"),  # 46.8 MB as printed, or 46.8 GB: either reading
    ("46,830,571", 46_830_571, 1024.0, "Size (KB)", "size"),
    ("1,234,567,890", 1_234_567_890, 1.0, "Size (B)", "size"),  # bytes
    ("87.5%", 87.5, 0.01, "Precision", "precision"),  # a fraction printed as a percentage
    ("87.5%", 87.5, 1.0, "Test Accuracy", "accuracy"),
])
def test_a_scale_its_unit_stands_for_is_no_contradiction(printed: str, value: float, scale: float, header: str,
                                                           kind: str) -> None:
    assert numerals.contradiction(printed, value, scale, header, kind) is None


@pytest.mark.parametrize(("printed", "value", "header", "kind", "noun"), [
    ("11.7", 11.7, "", "params", "parameters"),  # "Params (M)" in a second header row the draft did not read
    ("**1.82**", 1.82, "Complexity", "macs", "MACs"),
    ("44.7", 44.7, "", "size", "bytes"),
])
def test_a_fraction_of_a_count_at_scale_1_asks_for_its_scale(printed: str, value: float, header: str, kind: str,
                                                             noun: str) -> None:
    field, why = numerals.contradiction(printed, value, 1.0, header, kind)
    assert field == "scale"
    assert why.startswith(f"printed {printed.strip('*')!r} would be {value} {noun}, no whole number: give the scale")


@pytest.mark.parametrize(("printed", "value", "scale", "kind"), [
    ("11,689,512", 11_689_512, 1.0, "params"),
    ("11.7", 11.7, 1e6, "params"),
    ("69.76", 69.76, 1.0, "accuracy"),
    ("1.15", 1.15, 1.0, "epoch_time"),
])
def test_a_whole_count_or_a_fraction_of_a_measure_needs_no_scale(printed: str, value: float, scale: float,
                                                                 kind: str) -> None:
    assert numerals.contradiction(printed, value, scale, "", kind) is None


@pytest.mark.parametrize(("printed", "value", "header", "kind", "hint"), [
    ("1.82", 1.82, "", "macs", "give the scale it counts in (scale = 1e+09 for G, 1e+06 for M)"),
    ("11.7", 11.7, "#Params", "params", "give the scale it counts in (scale = 1e+06 for M, 1000 for K)"),
    ("44.7", 44.7, "Size", "size", "give the scale it counts in (scale = 1e+06 for MB, 1048576 for MiB, 1000 for KB)"),
    ("1.82", 1.82, "G", "macs", "give the scale it counts in (scale = 1e+09 for its header's G)"),
    ("850.5", 850.5, "K", "params", "give the scale it counts in (scale = 1000 for its header's K)"),
])
def test_a_fraction_of_a_count_at_scale_1_is_offered_the_scales_that_fit_it(printed: str, value: float, header: str,
                                                                           kind: str, hint: str) -> None:
    """"1.82" MACs was told "scale = 1e6 for millions", whatever its kind or header: a count of MACs is most often in
    G, a size in MB; a header the draft reads no unit in but a magnitude ("G") gives that one."""
    field, why = numerals.contradiction(printed, value, 1.0, header, kind)
    assert (field, why.partition("no whole number: ")[2]) == ("scale", hint)


@pytest.mark.parametrize("printed", ["about 10.1M", "approximately 10.1M", "~10.1M", "around 10.1 million"])
def test_a_number_printed_approximate_is_checked_against_its_value_and_scale(printed: str) -> None:
    """The draft keeps "about" in a text claim's printed ("about 10.1M"), which read as no number: the loader then
    took any value and scale for it (10.1 at scale 1e3)."""
    assert numerals.contradiction(printed, 10.1, 1e3, "", "params")[0] == "scale"
    assert numerals.contradiction(printed, 10.2, 1e6, "", "params")[0] == "value"
    assert numerals.contradiction(printed, 10.1, 1e6, "", "params") is None


@pytest.mark.parametrize(("printed", "value", "scale", "header", "kind", "why"), [
    ("1.81G", 1.81, 1e6, "", "macs", "printed '1.81G' counts in units of 1e+09: give scale = 1e+09, not 1e+06"),
    ("1.81", 1.81, 1e6, "FLOPs (G)", "macs",
     "printed '1.81' under 'FLOPs (G)' counts in units of 1e+09: give scale = 1e+09, not 1e+06"),
    ("3.4M", 3.4, 2.0 ** 20, "Params", "params",
     "printed '3.4M' counts in units of 1e+06: give scale = 1e+06, not 1048576"),  # a count's M is no MiB
    ("4.8 MB", 4.8, 1e3, "", "size",
     "printed '4.8 MB' counts in units of 1e+06: give scale = 1e+06 or 1048576 or 1.024e+06, not 1000"),
    ("87.5%", 87.5, 1.0, "Precision", "precision", "printed '87.5%' counts in units of 0.01: give scale = 0.01"),
    ("87.5%", 87.5, 0.01, "Test Accuracy", "accuracy",
     "printed '87.5%' counts in units of 1: give scale = 1, not 0.01"),
    ("4.9 MiB", 4.9, 1e6, "", "size", "printed '4.9 MiB' counts in units of 1048576: give scale = 1048576, not 1e+06"),
    ("0.55", 0.55, 1.0, "gmacs", "macs", "printed '0.55' under 'gmacs' counts in units of 1e+09: give scale = 1e+09"),
    ("512 B", 512, 1e9, "Size", "size", "printed '512 B' counts in units of 1: give scale = 1, not 1e+09"),  # bytes
    ("843", 843, 1e-3, "sec/epoch", "epoch_time",
     "printed '843' under 'sec/epoch' counts in units of 1: give scale = 1, not 0.001"),
    ("3,504,872", 3_504_872, 1e6, "FLOPs (G)", "macs",
     "printed '3,504,872' under 'FLOPs (G)' counts in units of 1e+09, or of 1 as printed: give scale = 1e+09 or 1, "
     "not 1e+06"),
    ("3,504,872", 3_504_872, 1e9, "Size (B)", "size",
     "printed '3,504,872' under 'Size (B)' counts in units of 1: give scale = 1, not 1e+09"),  # bytes: one reading
    ("1,234,567,890", 1_234_567_890, 1e9, "Size (B)", "size",
     "printed '1,234,567,890' under 'Size (B)' counts in units of 1: give scale = 1, not 1e+09"),  # no billions
    ("46,830,571", 46_830_571, 1e6, "Size (KB)", "size",
     "printed '46,830,571' under 'Size (KB)' counts in units of 1000, or of 1 as printed: give scale = 1000 or 1024 "
     "or 1, not 1e+06"),
])
def test_a_scale_its_unit_does_not_stand_for_is_named(printed: str, value: float, scale: float, header: str,
                                                       kind: str, why: str) -> None:
    assert numerals.contradiction(printed, value, scale, header, kind) == ("scale", why)


@pytest.mark.parametrize(("printed", "header", "kind", "magnitude"), [
    ("3,504,872", "FLOPs (G)", "", "G"),  # 3.5 million as printed, or 3.5 million G (3.5e15)
    ("1,000,000", "MACs (G)", "macs", "G"),
    ("999,999,999", "Params (B)", "params", "B"),
    ("25,557,032", "FLOPs in billions", "", "billions"),
    ("**3,504,872**\\*", "FLOPs (G)", "", "G"),
    ("46,830,571", "Size (KB)", "size", "KB"),  # 46.8 MB as printed, or 46.8 GB
    ("1,000,000", "Checkpoint (KiB)", "", "KiB"),
    ("3,504,872", "Size (K)", "size", "K"),  # a size's K is a kilobyte
    ("3,504,872", "Size (G)", "size", None),  # 3.5 PB in its header's G: bytes as printed (unheeded_magnitude)
    ("46,830,571", "Size (MB)", "size", None),  # 46.8 TB
    ("1,000,000,000", "Size (KB)", "size", None),  # a terabyte
    ("999,999", "FLOPs (G)", "", None),  # short of a million: in its header's G, as "4,089" under "FLOPs (M)"
    ("1,000,000,000", "FLOPs (G)", "", None),  # at least its header's magnitude: as printed (unheeded_magnitude)
    ("3,504,872", "Params (M)", "", None),
    ("25,557", "Params (K)", "", None),
    ("3,504,872", "Size (B)", "size", None),  # a size's B is a byte: both readings are one
    ("3504872", "FLOPs (G)", "", None),  # no groups of digits: in its header's G
    ("3,504,872 M", "FLOPs (G)", "", None),  # a unit of its own
    ("3,504,872.5", "FLOPs (G)", "", None),
    ("3,504,872", "Top-1 (%)", "", None),
])
def test_a_grouped_whole_number_from_a_million_to_its_headers_magnitude_reads_either_way(
        printed: str, header: str, kind: str, magnitude: str | None) -> None:
    """A whole number in groups of three digits with no unit of its own, at least a million and short of the
    magnitude its header names, is a count printed whole or a number in that magnitude: neither is sure."""
    assert numerals.either_magnitude(printed, header, kind) == magnitude


@pytest.mark.parametrize(("printed", "header", "kind", "magnitude"), [
    ("3,504,872", "Params (M)", "", "M"),
    ("1,000,000,000", "FLOPs (G)", "", "G"),
    ("1,234,567,890", "Params (B)", "params", "B"),
    ("46,830,571", "Size (MB)", "size", "MB"),  # 46.8 TB in its header's MB: no model's size
    ("46,830,571", "Size (MB)", "", "MB"),  # an MB is bytes, whatever the header's kind
    ("1,000,000", "Size (GiB)", "size", "GiB"),
    ("3,504,872", "Size (G)", "size", "G"),  # a size's G is a gigabyte: 3.5 PB
    ("1,000,000,000", "Size (KB)", "size", "KB"),  # a terabyte
    ("999,999", "Size (MB)", "size", None),  # short of a million: in its header's MB
    ("46,830,571", "Size (KB)", "size", None),  # 46.8 GB, or 46.8 MB as printed: either_magnitude
    ("1,234,567,890", "Size (B)", "size", None),  # a size's B is a byte: as printed is in it
    ("46,830,571 B", "Size (MB)", "size", None),  # a unit of its own
])
def test_a_grouped_whole_number_its_headers_unit_makes_implausible_is_read_as_printed(
        printed: str, header: str, kind: str, magnitude: str | None) -> None:
    """A whole number in groups of three digits with no unit of its own, at least a million, is read as printed
    where its header's unit would make it a count no forward pass reaches (from its magnitude up: 1e18 in G) or a
    size no model has (a terabyte and up: "46,830,571" under "Size (MB)"); a size's "(B)" is a byte either way."""
    assert numerals.unheeded_magnitude(printed, header, kind) == magnitude
    read = numerals.parse(printed, header, kind)
    assert read is not None and (read.unit is None) == (magnitude is not None)


def test_a_cell_or_header_longer_than_any_number_is_read_as_none() -> None:
    """Runs of spaces or commas made the patterns backtrack for minutes; no number is printed so long."""
    assert numerals.parse("1" + " " * 32_000 + "x") is None
    assert numerals.parse("12", "Acc (" + " " * 4_000 + "x") == numerals.parse("12")
    assert numerals.parse("12", "Acc " + "," * 32_000 + " x") == numerals.parse("12")
    assert numerals.parse("12", "Params  (M)").scale == 1e6  # a run of spaces inside a header is one space


def test_a_long_header_keeps_its_unit() -> None:
    header = "Trainable parameters of the model as built for ImageNet at 224 px, counted by torchinfo (M)"
    assert len(header) > numerals.LONGEST_CELL and numerals.parse("21.2", header).scale == 1e6


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("90.87 (+0.73)", ("90.87", "(+0.73)")), ("**88.9** (-1.2)", ("**88.9**", "(-1.2)")),
     ("71.0 [↑0.4 pp]", ("71.0", "[↑0.4 pp]")), ("11.1M (−0.1M)", ("11.1M", "(−0.1M)")), ("92.1 (±0.3)", None),
     ("92.1 (+/-0.3)", None), ("(+0.73)", None), ("90.87", None)],
)
def test_a_signed_change_after_a_number_is_told_from_a_spread(printed: str, expected: tuple[str, str] | None) -> None:
    assert numerals.change(printed) == expected


@pytest.mark.parametrize(
    ("printed", "header", "expected"),
    [
        ("82,35", "Genauigkeit (%)", numerals.Number(82.35, 1.0, 2, unit="%")),  # a decimal comma
        ("87,4 %", "", numerals.Number(87.4, 1.0, 1, unit="%")),
        ("0,56 GFLOPs", "", numerals.Number(0.56, 1e9, 2, unit="G")),
        ("1,2345", "", numerals.Number(1.2345, 1.0, 4)),
        ("1,234", "", numerals.Number(1234)),  # exactly three digits after the comma: thousands
        ("11 173 962", "Parameter", numerals.Number(11_173_962)),  # thousands grouped by spaces
        ("11\u202f173\u202f962", "", numerals.Number(11_173_962)),
        ("10 000", "", numerals.Number(10_000)),
        ("1.234.567", "", numerals.Number(1_234_567)),  # by dots, twice at least
        ("2.35e5", "Params", numerals.Number(2.35, 1e5, 2, unit="×10^5")),  # in units of its power of ten
        ("4.7E5", "", numerals.Number(4.7, 1e5, 1, unit="×10^5")),
        ("3e5", "", numerals.Number(3, 1e5, 0, unit="×10^5")),
        ("5e-4", "", numerals.Number(5, 1e-4, 0, unit="×10^-4")),
        ("1.2 × 10^6", "FLOPs", numerals.Number(1.2, 1e6, 1, unit="×10^6")),
        ("1.2×10⁶", "", numerals.Number(1.2, 1e6, 1, unit="×10^6")),
        ("1.2 x 10^6 params", "", numerals.Number(1.2, 1e6, 1, unit="×10^6")),
        ("1.2 × 10<sup>6</sup>", "", numerals.Number(1.2, 1e6, 1, unit="×10^6")),
        ("~1e6", "", numerals.Number(1, 1e6, 0, unit="×10^6", approximate="~")),
        ("1m 12s", "Epoch time", numerals.Number(72, unit="s")),  # a time in two units: in its last
        ("1 min 12.5 s", "", numerals.Number(72.5, 1.0, 1, unit="s")),
        ("2h 13m", "Total time", numerals.Number(133, 60.0, 0, unit="min")),
        ("1m 12s/epoch", "", numerals.Number(72, unit="s")),
        ("3:20:00", "", numerals.Number(12_000, unit="s")),
        ("94.1 (ours)", "Top-1 (%)", numerals.Number(94.1, 1.0, 1, unit="%")),  # a remark after the number
        ("93.2 (w/o aug.)", "", numerals.Number(93.2, 1.0, 1)),
        ("95.0 ~ 95.4", "Top-1", numerals.Number((95.0, 95.4), 1.0, 1, "between")),
        ("between 95.5 and 95.9%", "", numerals.Number((95.5, 95.9), 1.0, 1, "between", unit="%")),
        ("from 95.5 to 95.9%", "", numerals.Number((95.5, 95.9), 1.0, 1, "between", unit="%")),
    ],
)
def test_parse_reads_decimal_commas_grouped_thousands_powers_times_remarks_and_ranges(
        printed: str, header: str, expected: numerals.Number) -> None:
    """Each was no number ("82,35", "2.35e5", "1m 12s", "94.1 (ours)": the draft left their values TODO and the
    loader took any value for them)."""
    assert numerals.parse(printed, header) == expected


@pytest.mark.parametrize("printed", ["0:45", "1,234,56", "3,5,7", "21.2 (M)", "94 (approx.)", "94.1 (top-5)",
                                     "12 34", "1.2e6 M", "between 95.5 to 95.9", "from 95.5 and 95.9"])
def test_a_form_of_two_readings_is_no_number(printed: str) -> None:
    """"0:45" is minutes or hours; a remark that names a unit, makes the number approximate or holds a digit is no
    mere remark."""
    assert numerals.parse(printed, "Top-1") is None


@pytest.mark.parametrize(("printed", "value", "scale"), [
    ("82,35", 82.35, 1.0), ("11 173 962", 11_173_962, 1.0), ("2.35e5", 2.35, 1e5), ("2.35e5", 235_000, 1.0),
    ("1e-05", 1e-05, 1.0), ("1.2 × 10^6", 1.2, 1e6), ("1m 12s", 72, 1.0), ("94.1 (ours)", 94.1, 1.0)])
def test_each_form_read_agrees_with_its_value(printed: str, value: float, scale: float) -> None:
    assert numerals.contradiction(printed, value, scale) is None


@pytest.mark.parametrize(("printed", "value", "scale", "why"), [
    ("82,35", 8235, 1.0, "8235 is not the number that printed shows ('82,35', read as 82.35), in its printed unit"),
    ("2.35e5", 2.35, 1.0, "printed '2.35e5' counts in units of 100000: give scale = 100000"),
    ("2.35e5", 235, 1e3, "235 is not the number that printed shows ('2.35e5', read as 2.35 ×10^5), in its printed "
                         "unit"),
    ("1m 12s", 1.12, 60.0, "1.12 is not the number that printed shows ('1m 12s', read as 72 s), in its printed unit"),
])
def test_a_value_that_contradicts_a_form_read_says_how_it_was_read(printed: str, value: float, scale: float,
                                                                    why: str) -> None:
    """Once an author filled value = 8235 for "82,35", it loaded."""
    assert numerals.contradiction(printed, value, scale)[1] == why


@pytest.mark.parametrize(("printed", "key", "bound", "scale", "kind"), [
    ("over 60%", "above", 60, 1.0, "accuracy"), ("slightly above 60%", "between", (60, 65), 1.0, "accuracy"),
    ("<100K", "below", 100_000, 1.0, "params"), ("<100K", "below", 100, 1e3, "params"),
    ("95.0 ~ 95.4", "between", (95.0, 95.4), 1.0, "accuracy"), ("over 0.9", "above", 90, 1.0, "accuracy"),
    ("over 85", "above", 0.85, 1.0, "precision"), ("under 900", "below", 900, 1.0, "epoch_time"),
    ("between 0 and 5%", "between", (0, 5), 1.0, "gap"), ("under 21", "below", 21, 1e6, "params")])
def test_a_bound_where_the_printed_one_ends_is_no_contradiction(printed: str, key: str, bound: float | tuple,
                                                                 scale: float, kind: str) -> None:
    assert numerals.bound_contradiction(printed, key, bound, scale, kind=kind) is None


@pytest.mark.parametrize(("printed", "key", "bound", "problem"), [
    ("over 60%", "above", 6, ("above", "6 is not where printed 'over 60%' bounds it, in the claim's unit")),
    ("over 60%", "between", (61, 65), ("between", "61 is not where printed 'over 60%' bounds it, in the claim's unit")),
    ("95.0 ~ 95.4", "between", (95.0, 95.8),
     ("between", "[95, 95.8] is not where printed '95.0 ~ 95.4' bounds it, in the claim's unit")),
    ("<100K", "below", 10_000, ("below", "10000 is not where printed '<100K' bounds it, in the claim's unit")),
    ("over 60%", "below", 60, ("below", "printed 'over 60%' shows a lower bound: give above (or between, from it)")),
    ("95.0 ~ 95.4", "above", 95.0, ("above", "printed '95.0 ~ 95.4' shows a range: give between"))])
def test_a_bound_that_ends_elsewhere_than_the_printed_one_is_refused(printed: str, key: str, bound: float | tuple,
                                                                     problem: tuple[str, str]) -> None:
    """A mistyped bound loaded: between = [95.0, 95.8] for printed "95.0 ~ 95.4" judged another claim."""
    assert numerals.bound_contradiction(printed, key, bound, 1.0, kind="accuracy") == problem


@pytest.mark.parametrize(("printed", "key", "bound", "scale", "header", "why"), [
    ("<100K", "below", 100, 1.0, "", "printed '<100K' counts in units of 1000: give scale = 1000"),
    ("over 5M", "above", 5, 1e3, "", "printed 'over 5M' counts in units of 1e+06: give scale = 1e+06, not 1000"),
    ("<5", "below", 5, 1.0, "Params (M)", "printed '<5' under 'Params (M)' counts in units of 1e+06: give scale = "
                                          "1e+06"),
    ("between 2K and 3K", "between", (2, 3), 1e6, "", "printed 'between 2K and 3K' counts in units of 1000: give "
                                                      "scale = 1000, not 1e+06")])
def test_a_bound_at_a_scale_its_printed_unit_does_not_stand_for_is_refused(printed: str, key: str,
                                                                            bound: float | tuple, scale: float,
                                                                            header: str, why: str) -> None:
    """below = 100 for "<100K" at scale 1 loaded as "under 100 parameters", and a 95K model was refuted; a value
    of the same mistake ("5.6M": 5.6 at scale 1) was refused."""
    assert numerals.bound_contradiction(printed, key, bound, scale, header, "params") == ("scale", why)


@pytest.mark.parametrize(("printed", "value", "shows"), [
    ("over 60%", 60, "a lower bound: give above (or between, from it)"),
    ("<100K", 99_000, "an upper bound: give below (or between, up to it)"), ("60-65%", 70, "a range: give between")])
def test_a_value_for_a_printed_bound_is_refused(printed: str, value: float, shows: str) -> None:
    """value = 60 for "over 60%" loaded, and was judged as exactly 60; value = 70 for "60-65%" loaded."""
    assert numerals.contradiction(printed, value, 1.0, kind="accuracy") == (
        "value", f"printed {printed!r} shows {shows}, not a value")


@pytest.mark.parametrize(("printed", "header", "expected"), [
    ("−1.2", "Gap (pt)", numerals.Number(-1.2, 1.0, 1)),  # U+2212, as pandoc and Word's equations write it
    ("−0.5%", "", numerals.Number(-0.5, 1.0, 1, unit="%")),
    ("**−0.5**", "Δ acc.", numerals.Number(-0.5, 1.0, 1)),
    ("−1.2M", "", numerals.Number(-1.2, 1e6, 1, unit="M")),
    ("−2.35e5", "", numerals.Number(-2.35, 1e5, 2, unit="×10^5")),
    ("－3", "", numerals.Number(-3)),  # a full-width hyphen-minus
    ("−82,35", "", numerals.Number(-82.35, 1.0, 2)),
    ("60–65%", "", numerals.Number((60, 65), unit="%", bound="between")),  # still a range
    ("60‒65%", "", numerals.Number((60, 65), unit="%", bound="between")),
    ("−5–10%", "", numerals.Number((-5, 10), unit="%", bound="between")),
    ("82.1 ± 0.3", "", numerals.Number(82.1, 1.0, 1, spread=0.3)),
])
def test_a_minus_sign_of_any_form_is_the_numbers_sign(printed: str, header: str, expected: numerals.Number) -> None:
    """"−1.2" (U+2212) was no number: the draft left its value TODO and the loader took value = 1.2 or 7.5 for it."""
    assert numerals.parse(printed, header) == expected


@pytest.mark.parametrize("printed", ["–95.1", "‒0.5", "–0.5 %", "**–93.1**"])
def test_a_dash_before_a_number_is_no_minus_but_left_to_the_author(printed: str) -> None:
    """Word writes an en dash for a bullet or a separator ("–93.1% for ResNet") as often as for a minus: "–95.1" under
    "Test acc. (%)" was drafted as an accuracy of -95.1."""
    assert numerals.parse(printed, "Test acc. (%)") is None


@pytest.mark.parametrize(("printed", "value", "scale"), [("−1.2", 1.2, 1.0), ("−1.2", 7.5, 1.0), ("﹣0.5%", 0.5, 1.0),
                                                     ("−1.2M", 1.2, 1e6)])
def test_a_value_that_drops_a_printed_minus_is_refused(printed: str, value: float, scale: float) -> None:
    assert numerals.contradiction(printed, value, scale) == (
        "value", f"{value!r} is not the number that printed shows ({printed!r}), in its printed unit")


@pytest.mark.parametrize(("printed", "value", "scale"), [("−1.2", -1.2, 1.0), ("﹣0.5%", -0.5, 1.0),
                                                     ("−1.2M", -1.2, 1e6), ("$-1.2$", -1.2, 1.0)])
def test_a_value_with_the_printed_minus_agrees(printed: str, value: float, scale: float) -> None:
    assert numerals.contradiction(printed, value, scale) is None


@pytest.mark.parametrize(("printed", "expected"), [
    ("11'173'962", numerals.Number(11_173_962)),  # Swiss grouping
    ("11’173’962", numerals.Number(11_173_962)),  # its typographic apostrophe
    ("1'000", numerals.Number(1_000)),
    ("11,173,962\u200b", numerals.Number(11_173_962)),  # a zero-width space
    ("\u200b14,728,266", numerals.Number(14_728_266)),
    ("93.4\u00ad", numerals.Number(93.4, 1.0, 1)),  # a soft hyphen
    ("\ufeff95.12", numerals.Number(95.12, 1.0, 2)),  # a byte order mark
    ("95.12\x00", numerals.Number(95.12, 1.0, 2)),  # NUL, which the markdown reader makes U+FFFD
    ("95.12\ufffd", numerals.Number(95.12, 1.0, 2)),
    ("95.12[^1]", numerals.Number(95.12, 1.0, 2)),  # a markdown footnote reference
    ("**95.12**[^note]", numerals.Number(95.12, 1.0, 2)),
    ("95.12 [^a]", numerals.Number(95.12, 1.0, 2)),
])
def test_apostrophe_groups_invisible_characters_and_footnote_references(printed: str,
                                                                       expected: numerals.Number) -> None:
    """Each was no number, so the loader skipped its check and took value = 5 for it."""
    assert numerals.parse(printed) == expected
    assert numerals.contradiction(printed, 5, 1.0)[0] == "value"


@pytest.mark.parametrize("printed", ["1'0000", "11'173,962", "11'173’962", "95.12[^]", "95.12[^1][^2]x"])
def test_a_mixed_or_broken_grouping_or_reference_is_no_number(printed: str) -> None:
    assert numerals.parse(printed) is None


@pytest.mark.parametrize(("printed", "expected"), [
    ("$95.12$", numerals.Number(95.12, 1.0, 2)),
    ("$\\mathbf{93.4}$", numerals.Number(93.4, 1.0, 1)),
    ("$\\textbf{93.4}$", numerals.Number(93.4, 1.0, 1)),
    ("$\\mathrm{93.4}\\%$", numerals.Number(93.4, 1.0, 1, unit="%")),
    ("$-1.2$", numerals.Number(-1.2, 1.0, 1)),
    ("$1.2 \\times 10^6$", numerals.Number(1.2, 1e6, 1, unit="×10^6")),
    ("1.2 \\times 10^{6}", numerals.Number(1.2, 1e6, 1, unit="×10^6")),
    ("$1.2 \\cdot 10^{-3}$", numerals.Number(1.2, 1e-3, 1, unit="×10^-3")),
    ("$11{,}173{,}962$", numerals.Number(11_173_962)),
    ("82.1 $\\pm$ 0.3", numerals.Number(82.1, 1.0, 1, spread=0.3)),
    ("$82.1 \\pm 0.3$", numerals.Number(82.1, 1.0, 1, spread=0.3)),
    ("(82.1 ± 0.3)%", numerals.Number(82.1, 1.0, 1, unit="%", spread=0.3)),
    ("**93.4**$^\\dagger$", numerals.Number(93.4, 1.0, 1)),
    ("$\\sim$95%", numerals.Number(95, unit="%", approximate="~")),
])
def test_a_number_in_math_markup_is_read(printed: str, expected: numerals.Number) -> None:
    """Each was no number: the draft left its value TODO and the loader took any value for it."""
    assert numerals.parse(printed) == expected
    assert numerals.contradiction(printed, 5, expected.scale)[0] == "value"


@pytest.mark.parametrize("printed", ["$x = 95.12$", "$\\frac{1}{2}$", "$95.12", "$\\mathbf{93.4$", "$\\sqrt{2}$",
                                     "$95.12$ $93.4$"])
def test_math_that_is_not_clearly_one_number_is_none(printed: str) -> None:
    assert numerals.parse(printed) is None


@pytest.mark.parametrize("text", ["Test<br>acc. (%)", "Test<br/>acc. (%)", "Test<BR />acc. (%)"])
def test_an_html_line_break_ends_a_word_as_a_markdown_one_does(text: str) -> None:
    assert numerals.plain_text(text) == "Test acc. (%)"


@pytest.mark.parametrize("printed", ["2.3e−3", "2.3E−3", "−2.3e−3"])
def test_an_exponents_unicode_minus_is_read_as_a_hyphen(printed: str) -> None:
    assert numerals.parse(printed, "Loss") == numerals.parse(printed.replace("−", "-"), "Loss")
