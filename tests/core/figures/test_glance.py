"""Numbers at a glance: this month beside last month, and the direction it took."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.figures import Glance, Month, Trend, glance, glance_of_days


def test_this_month_and_last_month_are_read_from_the_counts() -> None:
    """January's figure is compared with December's of the year before."""
    counts = {Month(2026, 12): 4, Month(2027, 1): 7, Month(2026, 11): 50}
    found = glance("issued", counts, month=Month(2027, 1), total=61)
    assert (found.this_month, found.last_month, found.total) == (7, 4, 61)
    assert (found.trend, found.change) == (Trend.UP, 3)


@pytest.mark.parametrize(("this", "last", "trend"), [
    (0, 0, Trend.SAME), (2, 5, Trend.DOWN), (3, 3, Trend.SAME), (1, 0, Trend.UP)])
def test_the_trend_follows_the_two_months(this: int, last: int, trend: Trend) -> None:
    """Up, down or the same, by comparing the two counts."""
    assert Glance("claimed", this, last).trend is trend


def test_a_month_without_a_count_counts_zero() -> None:
    """No events at all is zero this month and last, the same."""
    found = glance("shared", {}, month=Month(2026, 11))
    assert (found.this_month, found.last_month, found.trend) == (0, 0, Trend.SAME)


def test_a_count_below_zero_is_refused() -> None:
    """A figure is a count: never negative."""
    with pytest.raises(ValueError, match="below zero"):
        Glance("verified", -1, 0)


def test_days_are_counted_in_their_months() -> None:
    """Two days of November and one of October: two this month, one last month; a day of
    September counts in neither."""
    days = [dt.date(2026, 11, 1), dt.date(2026, 11, 30), dt.date(2026, 10, 31),
            dt.date(2026, 9, 2)]
    found = glance_of_days("received", days, month=Month(2026, 11), total=4)
    assert (found.this_month, found.last_month, found.total, found.trend) == (
        2, 1, 4, Trend.UP)
