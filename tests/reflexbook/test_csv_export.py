"""CSV downloads (reflexbook.lib.csv_export): quoted as CSV, and no cell a spreadsheet would
run as a formula."""

import csv

import pytest

from reflexbook.lib.csv_export import csv_lines, safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_would_be_a_formula_starts_with_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_cells_are_left_as_they_are():
    assert safe_cell("Maya Okafor") == "Maya Okafor"
    assert safe_cell(3) == "3"
    assert safe_cell(None) == ""


def test_lines_are_valid_csv_with_commas_quotes_and_line_breaks():
    lines = list(csv_lines(["a", "b"], [["x, y", 'say "hi"'], ["one\ntwo", "=1+1"]]))
    assert list(csv.reader("".join(lines).splitlines(keepends=True))) == [
        ["a", "b"],
        ["x, y", 'say "hi"'],
        ["one\ntwo", "'=1+1"],
    ]
