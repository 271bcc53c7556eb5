"""Tests of claimbench.numerals: the number a report's printed text shows, and a value that contradicts it."""

from __future__ import annotations

import pytest

from claimbench import numerals


@pytest.mark.parametrize(
    ("printed", "header", "expected"),
    [
        ("21.2", "Parameters (M)", numerals.Number(21.2, 1e6, 1)),
        ("134,276,932", "Trainable Parameters", numerals.Number(134_276_932)),
        ("**134,276,932**", "Trainable Parameters", numerals.Number(134_276_932)),
        ("549.95", "Size (MB)", numerals.Number(549.95, 1e6, 2)),
        ("99.47%", "Train Accuracy", numerals.Number(99.47, 1.0, 2, percent=True)),
        ("93.19", "Test Accuracy (%)", numerals.Number(93.19, 1.0, 2, percent=True)),
        ("100%", "Training Accuracy", numerals.Number(100, percent=True)),
        ("0.99", "Precision", numerals.Number(0.99, 1.0, 2)),
        ("0.01964", "Train Loss (4 s.f.)", numerals.Number(0.01964, 1.0, 5)),
        ("1.15s", "Time per Epoch", numerals.Number(1.15, 1.0, 2)),
        ("1.15", "Time per Epoch", numerals.Number(1.15, 1.0, 2)),
        ("12 ms", "Latency", numerals.Number(12, 1e-3)),
        ("21.2M", "Params", numerals.Number(21.2, 1e6, 1)),
        ("113K", "Params", numerals.Number(113, 1e3)),
        ("0", "MACs", numerals.Number(0)),
        ("<100K", "Params", numerals.Number(100, 1e3, bound="below")),
        ("(10,1)", "Output Size", numerals.Number([10, 1])),
        ("(16, 16, 32)", "Output Size", numerals.Number([16, 16, 32])),
        ("(128,)", "Output Size", numerals.Number([128])),
    ],
)
def test_parse_reads_each_printed_form(printed: str, header: str, expected: numerals.Number) -> None:
    assert numerals.parse(printed, header) == expected


@pytest.mark.parametrize("printed", ["Convolution", "-", "**Total**", "MLC.Œ±-19k", "", "3.12.1", "N/A", "x32"])
def test_parse_refuses_text(printed: str) -> None:
    assert numerals.parse(printed, "Params") is None


@pytest.mark.parametrize(("printed", "value", "scale", "header"), [
    ("21.2", 21_200_000, 1.0, "Parameters (M)"),
    ("21.2", 21.2, 1e6, "Parameters (M)"),
])
def test_a_column_header_gives_the_printed_unit(printed: str, value: float, scale: float, header: str) -> None:
    assert numerals.contradiction(printed, value, scale, header) is None
    assert numerals.contradiction(printed, 21_300_000, 1.0, header) == (
        "21300000 is not the number that printed shows ('21.2')")


@pytest.mark.parametrize(("printed", "value", "scale"), [
    ("134,276,932", 134_276_932, 1.0),
    ("**134,276,932**", 134_276_932, 1.0),
    ("5.6M", 5.6, 1e6),
    ("5.6M", 5_600_000, 1.0),
    ("21.2", 21.2, 1e6),  # the unit is the column header's, which the ledger's scale gives too
    ("99.47%", 99.47, 0.01),
    ("(10,1)", (10, 1), 1.0),
    ("just shy of 60%", 59, 1.0),  # words: no one number to hold the value to
    ("<100K", 99_000, 1.0),  # a bound
])
def test_a_value_the_printed_text_shows_is_no_contradiction(printed: str, value: float | tuple[int, ...],
                                                               scale: float) -> None:
    assert numerals.contradiction(printed, value, scale) is None


@pytest.mark.parametrize(("printed", "value", "scale", "reason"), [
    ("134,276,932", 134_276_923, 1.0, "134276923 is not the number that printed shows ('134,276,932')"),
    ("**5.6M**", 5.5, 1e6, "5.5 is not the number that printed shows ('5.6M')"),
    ("5.6M", 56_000_000.0, 1.0, "56000000 is not the number that printed shows ('5.6M')"),
    ("99.47%", 99.74, 1.0, "99.74 is not the number that printed shows ('99.47%')"),
    ("(10,1)", (1, 10), 1.0, "[1, 10] is not the number that printed shows ('(10,1)')"),
    ("(10,1)", 10, 1.0, "10 is not the number that printed shows ('(10,1)')"),
])
def test_a_value_the_printed_text_does_not_show_is_named(printed: str, value: float | tuple[int, ...], scale: float,
                                                        reason: str) -> None:
    assert numerals.contradiction(printed, value, scale) == reason
