"""Figures as CSV (RFC 4180): a header line, then one line per row, CRLF-separated.

A cell a spreadsheet would read as a formula (starting ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe, so a label someone typed cannot run in
the reader's spreadsheet (OWASP's "CSV injection"); numbers are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from credstack.core.figures.series import Series

__all__ = ["series_csv", "table_csv"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def table_csv(header: Sequence[str], rows: Sequence[Sequence[str | int]]) -> str:
    """``rows`` under ``header`` as CSV text; every row has as many cells as the header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(name) for name in header])
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row has {len(row)} cells, the header {len(header)}")
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def series_csv(series: Sequence[Series], *, month_header: str = "month") -> str:
    """Several series over the same months as one table: a ``month`` column (``2026-11``), then
    one column per series, headed by its key."""
    if not series:
        return table_csv([month_header], [])
    months = series[0].months
    for other in series[1:]:
        if other.months != months:
            raise ValueError(f"series {other.key!r} covers other months than {series[0].key!r}")
    columns = [dict(one.points) for one in series]
    rows: list[list[str | int]] = [
        [str(month), *(column[month] for column in columns)] for month in months
    ]
    return table_csv([month_header, *(one.key for one in series)], rows)
