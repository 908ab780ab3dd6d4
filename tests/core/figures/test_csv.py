"""Figures as CSV: header and rows, several series side by side, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest

from credstack.core.figures import Month, monthly_series, series_csv, table_csv


def _months() -> dict[str, Month]:
    return {"first": Month(2026, 10), "last": Month(2026, 12)}


def test_series_over_the_same_months_become_one_table() -> None:
    """A month column, then one column per series headed by its key, CRLF between lines."""
    issued = monthly_series(
        "issued", "発行", {Month(2026, 10): 3, Month(2026, 12): 1_000_000}, **_months()
    )
    claimed = monthly_series("claimed", "受け取り", {Month(2026, 11): 2}, **_months())
    text = series_csv([issued, claimed])
    assert text == ("month,issued,claimed\r\n2026-10,3,0\r\n2026-11,0,2\r\n2026-12,1000000,0\r\n")


def test_series_over_other_months_are_refused() -> None:
    """Two series whose months differ cannot share rows."""
    one = monthly_series("a", "A", {}, **_months())
    other = monthly_series("b", "B", {}, first=Month(2026, 10), last=Month(2026, 11))
    with pytest.raises(ValueError, match="other months"):
        series_csv([one, other])


@pytest.mark.parametrize("label", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(label: str) -> None:
    """A typed label starting like a formula gets a leading apostrophe; numbers stay numbers."""
    rows = list(csv.reader(io.StringIO(table_csv(["name", "count"], [[label, -3]]))))
    assert rows == [["name", "count"], ["'" + label, "-3"]]


def test_quotes_commas_and_line_breaks_are_quoted() -> None:
    """RFC 4180 quoting: the text reads back as it was."""
    label = 'Hokuto, "North"\nCollege'
    rows = list(csv.reader(io.StringIO(table_csv(["name"], [[label]]))))
    assert rows == [["name"], [label]]


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    """Every row has as many cells as the header."""
    with pytest.raises(ValueError, match="cells"):
        table_csv(["a", "b"], [["1"]])
