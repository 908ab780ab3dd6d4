"""The sign-in rate limit."""

from __future__ import annotations

import datetime as dt

from credstack.core.accounts.lockout import WINDOW, retry_after

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def test_fewer_failures_than_the_limit_lock_nothing() -> None:
    assert retry_after([NOW] * 4, limit=5, now=NOW) is None


def test_the_lock_holds_until_the_oldest_counted_failure_leaves_the_window() -> None:
    """Five failures, the oldest 10 minutes ago: five more minutes to wait."""
    failures = [NOW - dt.timedelta(minutes=m) for m in (1, 2, 3, 4, 10, 14)]
    assert retry_after(failures, limit=5, now=NOW) == 5 * 60


def test_a_lock_about_to_end_still_says_at_least_one_second() -> None:
    failures = [NOW - WINDOW + dt.timedelta(milliseconds=10)] * 5
    assert retry_after(failures, limit=5, now=NOW) == 1
