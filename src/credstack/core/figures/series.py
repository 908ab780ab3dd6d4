"""Months and series of monthly counts, the data a figure is drawn from."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = ["Month", "Series", "month_range", "monthly_series"]

_MONTH_TEXT: Final = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A calendar month, ``2026-11`` as text (ISO 8601's year and month), ordered in time."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2026-11`` as a month; anything else raises ``ValueError``."""
        found = _MONTH_TEXT.fullmatch(text.strip())
        if found is None:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(int(found.group(1)), int(found.group(2)))

    def next(self) -> Month:
        """The month after this one."""
        if self.month == 12:
            return Month(self.year + 1, 1)
        return Month(self.year, self.month + 1)

    def minus(self, months: int) -> Month:
        """The month ``months`` before this one."""
        index = self.year * 12 + (self.month - 1) - months
        return Month(index // 12, index % 12 + 1)

    def first_day(self) -> dt.date:
        """The first day of the month."""
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_range(first: Month, last: Month) -> tuple[Month, ...]:
    """Every month from ``first`` to ``last``, both included (empty when ``last`` is earlier)."""
    months: list[Month] = []
    current = first
    while current <= last:
        months.append(current)
        current = current.next()
    return tuple(months)


@dataclass(frozen=True, slots=True)
class Series:
    """One figure: its key (a CSV column and the chart's id), the label a reader sees, and one
    count per month, in order."""

    key: str
    label: str
    points: tuple[tuple[Month, int], ...]

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", self.key):
            raise ValueError(f"a series key is lower-case letters, digits, - and _: {self.key!r}")
        months = [month for month, _ in self.points]
        if months != sorted(set(months)):
            raise ValueError("a series' months are in order, each once")
        if any(count < 0 for _, count in self.points):
            raise ValueError("a series counts events: no count is negative")

    @property
    def months(self) -> tuple[Month, ...]:
        return tuple(month for month, _ in self.points)

    @property
    def total(self) -> int:
        return sum(count for _, count in self.points)


def monthly_series(
    key: str, label: str, counts: Mapping[Month, int], *, first: Month, last: Month
) -> Series:
    """The series of ``counts`` from ``first`` to ``last``; a month without a count counts zero,
    counts outside the months are left out."""
    return Series(
        key, label, tuple((month, int(counts.get(month, 0))) for month in month_range(first, last))
    )
