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


def test_only_a_table_that_prints_a_number_and_is_not_plain_is_counted_unread() -> None:
    """A table that lays out logos or badges is no results table a draft failed to read; a plain one is read."""
    logos = '<table><tr><td><img src="a.png"></td><td><img src="b.png"></td></tr></table>'
    spanning = '<table><tr><th colspan="2">Top-1</th></tr><tr><td>A</td><td>71.2</td></tr></table>'
    results = "<table><tr><th>Model</th><th>Top-1</th></tr><tr><td>A</td><td>71.2</td></tr></table>"
    assert html_blocks.read(logos).unread == 0
    assert html_blocks.read(f"<div>{logos}{spanning}{results}</div>")[1:] == (
        ((("Model", "Top-1"), ("A", "71.2")),), 1)
    assert html_blocks.read(f"<table><tr><td>{results}</td></tr></table>").unread == 1, "a table inside: not plain"
    assert html_blocks.read("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td></tr></table>")[1:] == ((), 1)


def test_a_plain_table_is_read_cell_by_cell_its_source_verbatim() -> None:
    """Each cell's source as written, inline tags and entities kept, its white space runs one space; end tags HTML
    lets out close a cell, and ``thead``/``tbody`` hold rows as ``table`` does."""
    block = ("<table>\n<thead><tr><th>Model</th><th align=right>Params\n (M)</th></thead>\n<tbody>\n"
             "<tr><td>ResNet-18<td><b>11.69</b>\n<tr><td>A &amp; B</td><td rowspan=1>71.2<sup>†</sup></td></tr>\n"
             "</tbody></table>")
    assert html_blocks.read(block).tables == (
        (("Model", "Params (M)"), ("ResNet-18", "<b>11.69</b>"), ("A &amp; B", "71.2<sup>†</sup>")),)
