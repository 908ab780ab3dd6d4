"""Months and monthly series: parsing, ranges, months without events, refused series."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.figures import Month, Series, month_range, monthly_series


def test_a_month_reads_and_writes_as_year_and_month() -> None:
    """``2026-11`` both ways; the month of a day; the months before and after a new year."""
    assert Month.parse("2026-11") == Month(2026, 11)
    assert str(Month(987, 3)) == "0987-03"
    assert Month.of(dt.date(2026, 1, 31)) == Month(2026, 1)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 2).minus(3) == Month(2025, 11)
    assert Month(2026, 2).first_day() == dt.date(2026, 2, 1)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-11", "2026/11", ""])
def test_a_month_that_is_not_one_is_refused(text: str) -> None:
    """Month 13, month 0, a two-digit year and another separator are not months."""
    with pytest.raises(ValueError, match="month"):
        Month.parse(text)


def test_a_range_holds_every_month_once_in_order() -> None:
    """From November to February across a new year, both ends included; reversed, nothing."""
    assert [str(m) for m in month_range(Month(2025, 11), Month(2026, 2))] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert month_range(Month(2026, 2), Month(2025, 11)) == ()


def test_months_without_events_count_zero_and_others_are_left_out() -> None:
    """A count outside the range is dropped; a missing month is a zero, not a gap."""
    series = monthly_series(
        "issued",
        "Issued",
        {Month(2026, 1): 4, Month(2026, 3): 2, Month(2027, 1): 99},
        first=Month(2026, 1),
        last=Month(2026, 3),
    )
    assert series.points == ((Month(2026, 1), 4), (Month(2026, 2), 0), (Month(2026, 3), 2))
    assert series.total == 6


@pytest.mark.parametrize(
    ("key", "points", "message"),
    [
        ("Issued", ((Month(2026, 1), 1),), "key"),
        ("issued", ((Month(2026, 2), 1), (Month(2026, 1), 1)), "in order"),
        ("issued", ((Month(2026, 1), 1), (Month(2026, 1), 1)), "in order"),
        ("issued", ((Month(2026, 1), -1),), "negative"),
    ],
)
def test_a_series_out_of_order_negative_or_badly_keyed_is_refused(
    key: str, points: tuple[tuple[Month, int], ...], message: str
) -> None:
    """A key that cannot be a CSV column or an id, months twice or out of order, a negative."""
    with pytest.raises(ValueError, match=message):
        Series(key, "Issued", points)
