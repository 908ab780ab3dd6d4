"""The outbox's rules: event keys, back-off, giving up."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.mail import MAX_ATTEMPTS, event_key, next_attempt, retry_delay

NOW = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def test_event_keys_join_their_parts_and_hash_what_is_too_long() -> None:
    """Short keys are readable; a long one becomes its digest, still unique and short."""
    assert event_key("credential.issued", "urn:uuid:1", "a@example.jp") == \
        "credential.issued:urn:uuid:1:a@example.jp"
    long = event_key("credential.issued", "x" * 300)
    assert long.startswith("sha256:") and len(long) == 71
    assert long != event_key("credential.issued", "x" * 301)
    with pytest.raises(ValueError):
        event_key("credential.issued", "")


def test_retries_back_off_exponentially_up_to_six_hours() -> None:
    """1, 2, 4 … minutes, never more than six hours."""
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 6)] == [1, 2, 4, 8, 16]
    assert retry_delay(30) == dt.timedelta(hours=6)


def test_a_message_is_given_up_after_the_last_attempt() -> None:
    """The next attempt follows the back-off until the attempts are spent."""
    assert next_attempt(1, now=NOW) == NOW + dt.timedelta(minutes=1)
    assert next_attempt(MAX_ATTEMPTS - 1, now=NOW) is not None
    assert next_attempt(MAX_ATTEMPTS, now=NOW) is None
