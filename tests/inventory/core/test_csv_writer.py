"""The one CSV writer: RFC 4180, "\n" line ends, spreadsheet formulas escaped (OWASP)."""

import csv
import io

import pytest

from inventory.core.csv_writer import csv_cell, csv_cell_read, csv_writer


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_with_a_formula_prefix_is_escaped_and_read_back(prefix):
    value = f"{prefix}HYPERLINK(1)"
    assert csv_cell(value) == f"'{value}"
    assert csv_cell_read(csv_cell(value)) == value


@pytest.mark.parametrize("value", ["Plain", "", "a=b", " =x", "'quoted", 42, -3, 1.5, None, True])
def test_other_values_are_written_as_they_are(value):
    assert csv_cell(value) == value
    if isinstance(value, str):
        assert csv_cell_read(value) == value


def test_rows_end_with_a_line_feed_and_quote_a_lone_carriage_return():
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["a", "b\rc", 'd"e', "=1+1", -1])
    writer.writerows([["x", "y\nz"]])
    assert buffer.getvalue() == 'a,"b\rc","d""e",\'=1+1,-1\nx,"y\nz"\n'
    assert list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [
        ["a", "b\rc", 'd"e', "'=1+1", "-1"],
        ["x", "y\nz"],
    ]
