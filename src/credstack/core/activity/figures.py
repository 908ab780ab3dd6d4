"""An organisation's figures per month, as rows and as CSV (RFC 4180, a header row)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from credstack.core.activity.events import Kind

__all__ = ["MonthRow", "figures_csv", "month_rows"]


@dataclass(frozen=True, slots=True)
class MonthRow:
    """One month: how many credentials each kind of event reached in it."""

    month: str
    counts: Mapping[Kind, int]

    def __getitem__(self, kind: Kind) -> int:
        return self.counts.get(kind, 0)


def month_rows(counts: Iterable[tuple[str, str, int]]) -> list[MonthRow]:
    """``(month, kind, credentials)`` triples as one row per month, oldest first; kinds not
    known here are left out."""
    months: dict[str, dict[Kind, int]] = {}
    known = {kind.value: kind for kind in Kind}
    for month, kind, number in counts:
        if kind in known:
            months.setdefault(month, {})[known[kind]] = int(number)
    return [MonthRow(month, months[month]) for month in sorted(months)]


def figures_csv(rows: Iterable[MonthRow]) -> str:
    """The rows as CSV: ``month`` then one column per kind, in :class:`Kind`'s order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["month", *(kind.value for kind in Kind)])
    for row in rows:
        writer.writerow([row.month, *(row[kind] for kind in Kind)])
    return out.getvalue()
