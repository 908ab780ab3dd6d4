"""Exports opened in spreadsheets never run a cell as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from credstack.core.credentials.exports import csv_lines, spreadsheet_safe


@pytest.mark.parametrize("value", ["=1+2", "+81 3", "-5", "@SUM(A1)", "\t=1", "\r=1",
                                   "=HYPERLINK(\"https://evil.example\")"])
def test_a_cell_that_a_spreadsheet_would_run_is_quoted(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["山田花子", "hanako@example.jp", "1-2", "", "a=b"])
def test_other_cells_are_kept(value: str) -> None:
    assert spreadsheet_safe(value) == value


def test_the_csv_is_read_back_with_formulas_defused() -> None:
    text = "".join(csv_lines(["learner", "name"], [["=cmd|' /C calc'!A0", "Taro, \"T\""],
                                                   ["@x", None]]))
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["learner", "name"], ["'=cmd|' /C calc'!A0", "Taro, \"T\""], ["'@x", ""]]
