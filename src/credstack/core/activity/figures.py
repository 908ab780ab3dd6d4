"""An organisation's figures per month: rows, the series charts are drawn from
(:mod:`credstack.core.figures`), and CSV."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from credstack.core.activity.events import Kind
from credstack.core.figures import Month, Series, monthly_series, series_csv, table_csv

__all__ = ["MonthRow", "figures_csv", "month_rows", "month_series"]


@dataclass(frozen=True, slots=True)
class MonthRow:
    """One month: how many credentials each kind of event reached in it."""

    month: str
    counts: Mapping[Kind, int]

    def __getitem__(self, kind: Kind) -> int:
        return self.counts.get(kind, 0)


def month_rows(counts: Iterable[tuple[str, str, int]]) -> list[MonthRow]:
    """``(month, kind, credentials)`` triples as one row per month, oldest first, the months
    between without events included (as zeros); kinds not known here are left out."""
    months: dict[str, dict[Kind, int]] = {}
    known = {kind.value: kind for kind in Kind}
    for month, kind, number in counts:
        if kind in known:
            months.setdefault(month, {})[known[kind]] = int(number)
    if not months:
        return []
    first, last = Month.parse(min(months)), Month.parse(max(months))
    rows = []
    current = first
    while current <= last:
        rows.append(MonthRow(str(current), months.get(str(current), {})))
        current = current.next()
    return rows


def month_series(rows: list[MonthRow], *, labels: Mapping[Kind, str] | None = None
                 ) -> list[Series]:
    """One series per kind of event over the rows' months (keyed by the kind), labelled with
    ``labels`` (the kind's name by default)."""
    if not rows:
        return []
    first, last = Month.parse(rows[0].month), Month.parse(rows[-1].month)
    return [monthly_series(kind.value, (labels or {}).get(kind, kind.value),
                           {Month.parse(row.month): row[kind] for row in rows},
                           first=first, last=last) for kind in Kind]


def figures_csv(rows: list[MonthRow]) -> str:
    """The rows as CSV: ``month`` then one column per kind, in :class:`Kind`'s order."""
    if not rows:
        return table_csv(["month", *(kind.value for kind in Kind)], [])
    return series_csv(month_series(rows))
