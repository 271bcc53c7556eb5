"""An HTML block of a report read as text, and its tables of numbers counted."""

import pytest

from claimbench import html_blocks, markdown_tables


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
    assert html_blocks.read(f"<div>{logos}{spanning}{results}</div>")[1:3] == (
        ((("Model", "Top-1"), ("A", "71.2")),), 1)
    assert html_blocks.read(f"<table><tr><td>{results}</td></tr></table>").unread == 0, "read inside a layout table"
    assert html_blocks.read(f"<table><tr><td>{results}</td><td>9</td></tr></table>").unread == 1, "a table inside: " \
                                                                                                   "not plain"
    assert html_blocks.read("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td></tr></table>")[1:3] == ((), 1)


def test_a_plain_table_is_read_cell_by_cell_its_source_verbatim() -> None:
    """Each cell's source as written, inline tags and entities kept, its white space runs one space; end tags HTML
    lets out close a cell, and ``thead``/``tbody`` hold rows as ``table`` does."""
    block = ("<table>\n<thead><tr><th>Model</th><th align=right>Params\n (M)</th></thead>\n<tbody>\n"
             "<tr><td>ResNet-18<td><b>11.69</b>\n<tr><td>A &amp; B</td><td rowspan=1>71.2<sup>†</sup></td></tr>\n"
             "</tbody></table>")
    assert html_blocks.read(block).tables == (
        (("Model", "Params (M)"), ("ResNet-18", "<b>11.69</b>"), ("A &amp; B", "71.2<sup>†</sup>")),)


def test_a_table_without_a_header_row_is_not_read_but_counted() -> None:
    """Its first row taken for the header lost a row of numbers, silently: a header row is in ``<thead>``, of
    ``<th>`` cells (an empty ``<td>`` among them), or prints no digit."""
    rows = "<tr><td>A</td><td>11.69</td></tr><tr><td>B</td><td>25.6</td></tr>"
    assert html_blocks.read(f"<table>{rows}</table>")[1:3] == ((), 1)
    assert html_blocks.read(f"<table><thead><tr><td>Model</td><td>Params</td></tr></thead>{rows}</table>").tables == (
        (("Model", "Params"), ("A", "11.69"), ("B", "25.6")),)
    numbered = "<tr><th>A</th><td>11.69</td></tr>"  # a number in a <td>: a row of numbers, beside a <th> too
    assert html_blocks.read(f"<table>{numbered}{rows}</table>")[1:3] == ((), 1)
    named = "<tr><td>ResNet-18</td><td>Top-1</td></tr>"  # a model's name with digits: no header's word
    assert html_blocks.read(f"<table>{named}{rows}</table>")[1:3] == ((), 1)


@pytest.mark.parametrize(("header", "columns"), [
    ("<tr><td>Model</td><td>Params (M)</td></tr>", ("Model", "Params (M)")),  # no digit: nothing lost to it
    ("<tr><td></td><th>Top-1</th></tr>", ("", "Top-1")),  # <th>s beside an empty corner cell
    ("<tr><td>&nbsp;</td><th>Top-1</th></tr>", ("&nbsp;", "Top-1")),
    ("<tr><th>Model</th><td><b>Top</b></td></tr>", ("Model", "<b>Top</b>")),
    ("<tr><td><b>Model</b></td><td><b>Top-1 (%)</b></td></tr>", ("<b>Model</b>", "<b>Top-1 (%)</b>")),  # a header's
    ("<tr><td>Model</td><td>Params (×10^6)</td></tr>", ("Model", "Params (×10^6)")),  # digits, in a word or unit
])
def test_a_first_row_of_th_cells_beside_empty_td_cells_or_printing_no_digit_is_the_header(
        header: str, columns: tuple[str, ...]) -> None:
    """Real READMEs write a header row of ``<td>`` cells, or an empty corner cell beside ``<th>``s: such a table was
    left unread (and counted), its numbers drafted no claim and a claim naming its cells was out of date."""
    rows = "<tr><td>A</td><td>11.69</td></tr><tr><td>B</td><td>25.6</td></tr>"
    assert html_blocks.read(f"<table>\n{header}\n{rows}\n</table>")[1:3] == (
        ((columns, ("A", "11.69"), ("B", "25.6")),), 0)


def test_a_layout_table_counts_only_the_numbers_of_the_tables_inside_it_it_did_not_read() -> None:
    """Two results tables side by side in a layout table are read, and the layout table is no table left unread."""
    inner = "<table><tr><th>Model</th><th>Top-1</th></tr><tr><td>{}</td><td>{}</td></tr></table>"
    side_by_side = f"<table><tr><td>{inner.format('A', '71.2')}</td><td>{inner.format('B', '76.1')}</td></tr></table>"
    assert html_blocks.read(side_by_side)[1:3] == (((("Model", "Top-1"), ("A", "71.2")),
                                                    (("Model", "Top-1"), ("B", "76.1"))), 0)


def test_a_table_a_blank_line_splits_is_counted_unread_once() -> None:
    """GitHub's way of markdown in a cell: blank lines end the HTML block inside the table, which no block reads
    whole, and draft said nothing of it (init: "prints no number")."""
    split = ("# R\n\n<table>\n<tr><th>Model</th><th>Top-1</th></tr>\n\n<tr><td>\n\n**A**\n\n</td><td>71.2</td>"
             "</tr>\n</table>\n\nText after it: 3 runs.\n")
    assert markdown_tables.scan(split).html_tables == 1
    logos = "# R\n\n<table>\n<tr><td>\n\n![a](a.png)\n\n</td></tr>\n</table>\n\nText after it: 3 runs.\n"
    assert markdown_tables.scan(logos).html_tables == 0, "a closed split table of logos, a number after it"
