"""An HTML block of a report read as text, and its tables of numbers counted."""

import pytest

from claimbench import html_blocks


@pytest.mark.parametrize(("block", "text"), [
    ("<table><tr><td>71.2<sup>†</sup></td><td>76.1<sub>±0.2</sub></td></tr></table>", "71.2† 76.1±0.2"),
    ("<p><font color=red>71.2</font><mark>%</mark> and <b>11</b>.69</p>", "71.2% and 11.69"),
    ("<div align=\"center\">\n<b>Note</b> <![ draft ]> figures of 71.2<sup>†</sup> &amp; more\n</div>",
     "Note figures of 71.2† & more"),  # html.parser asserts on "<![ draft ]>"
])
def test_a_number_inside_inline_tags_reads_as_printed(block: str, text: str) -> None:
    assert html_blocks.read(block).text == text


def test_only_a_table_that_prints_a_number_is_a_table_of_results() -> None:
    """A table that lays out logos or badges is no results table a draft failed to read."""
    logos = '<table><tr><td><img src="a.png"></td><td><img src="b.png"></td></tr></table>'
    results = "<table><tr><th>Model</th><th>Top-1</th></tr><tr><td>A</td><td>71.2</td></tr></table>"
    assert html_blocks.read(logos).tables == 0
    assert html_blocks.read(f"<div>{logos}{results}</div>").tables == 1
    assert html_blocks.read(f"<table><tr><td>{results}</td></tr></table>").tables == 2, "nested: each prints one"
