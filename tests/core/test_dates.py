"""How a day is read from a credential's dates and written for people."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.dates import day_in, day_text


@pytest.mark.parametrize(("value", "day"), [
    ("2025-05-01", dt.date(2025, 5, 1)),
    ("2025-05-01T00:00:00Z", dt.date(2025, 5, 1)),
    # A date-time's day is the day in the zone it is written in, not in UTC.
    ("2025-05-01T23:30:00-05:00", dt.date(2025, 5, 1)),
    ("2025-05-01T08:30:00+09:00", dt.date(2025, 5, 1)),
])
def test_the_day_of_an_iso_date_or_date_time_is_read(value: str, day: dt.date) -> None:
    assert day_in(value) == day


@pytest.mark.parametrize("value", [None, 20250501, "", "1 May 2025", "2025-13-01", ["2025-05-01"]])
def test_anything_else_names_no_day(value: object) -> None:
    assert day_in(value) is None


def test_a_day_is_written_as_each_language_reads_it() -> None:
    day = dt.date(2025, 5, 1)
    assert day_text(day, "en") == "1 May 2025"
    assert day_text(day, "ja") == "2025年5月1日"
    assert day_text(day, "ko") == "2025년 5월 1일"
