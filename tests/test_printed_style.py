"""Where a number lies against a band, and the fewest decimals that keep it there: what verdict and value_text share."""

from __future__ import annotations

from claimbench.printed_style import band_side, fewest_decimals, sides


def test_band_side_has_a_hair_of_slack_for_binary_noise_but_none_for_counts() -> None:
    assert band_side(0.1 + 0.2, (0.3, 0.3)) == "within"
    assert band_side(1001, (None, 1000)) == "above"
    assert band_side(59.999, (60.0, None)) == "below"


def test_sides_names_the_side_of_each_mark_given_and_skips_an_open_end() -> None:
    assert sides(60.0, (59.5, None, 60.0, 61.0)) == ["above", "within", "below"]


def test_fewest_decimals_counts_from_the_first_and_stops_at_the_most() -> None:
    assert fewest_decimals(0, lambda more: f"{96.6:.{more}f}" != "97") == 1  # 96.6 outside [97, 103]: not "97"
    assert fewest_decimals(2, lambda more: True) == 2
    assert fewest_decimals(20, lambda more: more == 20) == 20  # past the most: the first alone
    assert fewest_decimals(0, lambda more: False) is None


def test_a_value_is_written_in_the_form_its_claim_was_read_in() -> None:
    """"2.35e5" gave 2 decimals and the suffix "e", "1m 12s" the suffix "m": a measurement was written "2.35e" or
    "72m"."""
    from claimbench.value_text import format_value
    written = [format_value(value, printed, scale) for value, printed, scale in [
        (2.35012, "2.35e5", 1e5), (1.234, "1.2 × 10^6", 1e6), (72.4, "1m 12s", 1.0), (82.351, "82,35", 1.0),
        (1_234_567.0, "1.234.567", 1.0), (94.12, "94.1 (ours)", 1.0), (235_012.0, "2.35e5", 1.0)]]
    assert written == ["2.35e5", "1.2 × 10^6", "72 s", "82.35", "1,234,567", "94.1", "235,012"]
