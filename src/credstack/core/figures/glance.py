"""Numbers at a glance: a figure's count this month beside last month's, with the direction it
took, for the few figures a role's landing page shows first (the full series are on the
figures pages).

Pure: the caller passes the counts per month and the month it is (read from the clock at the
edge); nothing here knows what is counted.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from credstack.core.figures.series import Month

__all__ = ["Glance", "Trend", "glance", "glance_of_days"]


class Trend(enum.StrEnum):
    """How this month's count compares with last month's."""

    UP = "up"
    DOWN = "down"
    SAME = "same"


@dataclass(frozen=True, slots=True)
class Glance:
    """One figure: ``key`` names it (the page picks its words), its count this month and last
    month, and its total over all time when the caller knows one."""

    key: str
    this_month: int
    last_month: int
    total: int | None = None

    def __post_init__(self) -> None:
        if self.this_month < 0 or self.last_month < 0 or (self.total or 0) < 0:
            raise ValueError(f"a count below zero for {self.key!r}")

    @property
    def trend(self) -> Trend:
        """Up, down or the same as last month."""
        if self.this_month > self.last_month:
            return Trend.UP
        if self.this_month < self.last_month:
            return Trend.DOWN
        return Trend.SAME

    @property
    def change(self) -> int:
        """This month's count less last month's (negative when it fell)."""
        return self.this_month - self.last_month


def glance(key: str, counts: Mapping[Month, int], *, month: Month,
           total: int | None = None) -> Glance:
    """Figure ``key`` in ``month`` and the month before, from its ``counts`` per month
    (a month without a count counts zero)."""
    return Glance(key, counts.get(month, 0), counts.get(month.minus(1), 0), total)


def glance_of_days(key: str, days: Iterable[dt.date], *, month: Month,
                   total: int | None = None) -> Glance:
    """Figure ``key`` in ``month`` and the month before, counting one for each of ``days``
    (the days its events happened on; days of other months are not counted)."""
    return glance(key, Counter(Month.of(day) for day in days), month=month, total=total)
