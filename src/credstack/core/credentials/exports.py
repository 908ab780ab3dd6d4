"""Lists of issued credentials as files people open in spreadsheets.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before reading a formula) is a formula to Excel, LibreOffice and
Google Sheets: a learner named ``=HYPERLINK(…)`` would run when the export is opened
(OWASP, "CSV Injection"). Such cells are written with a leading ``'``, which spreadsheets
show as text and do not display.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

__all__ = ["csv_lines", "spreadsheet_safe"]

#: What makes a spreadsheet read a cell as a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """``value`` as a cell no spreadsheet runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[str | None]]) -> Iterator[str]:
    """CSV text (CRLF, quoted where needed, every cell made :func:`spreadsheet_safe`), one
    line at a time, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([spreadsheet_safe(cell or "") for cell in row])
        yield buffer.getvalue()
