"""A report's words, and the limit on reports from one address."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.console.reports import REPORTS_PER_WINDOW, refuse_flood, report_text
from credstack.errors import InputError, RateLimitedError
from credstack.words import kept_words

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def test_a_report_says_something_and_not_too_much() -> None:
    """Empty and over 2,000 characters are refused; spaces around are dropped."""
    assert report_text("  wrong hours ") == "wrong hours"
    with pytest.raises(InputError):
        report_text("   ")
    with pytest.raises(InputError):
        report_text("x" * 2001)


def test_the_address_that_sent_the_most_waits_until_its_oldest_report_ages_out() -> None:
    """Under the limit nothing happens; at it, the wait is what is left of the hour."""
    refuse_flood(REPORTS_PER_WINDOW - 1, oldest=NOW, now=NOW)
    with pytest.raises(RateLimitedError) as raised:
        refuse_flood(REPORTS_PER_WINDOW, oldest=NOW - dt.timedelta(minutes=50), now=NOW)
    assert raised.value.retry_after == 600
    said = kept_words(raised.value)
    assert "10" in said and "分後" in said
