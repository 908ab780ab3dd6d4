"""c_nonce values carry their own time and are checked without a store."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.oid4vci import nonces
from credstack.errors import ExchangeProtocolError

KEY = b"k" * 32
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def test_a_nonce_tells_when_it_was_made_within_its_lifetime() -> None:
    nonce = nonces.issue(key=KEY, now=NOW)
    made = nonces.verify(nonce, key=KEY, now=NOW + dt.timedelta(minutes=4))
    assert abs((made - NOW).total_seconds()) < 0.001


@pytest.mark.parametrize(("nonce", "now"), [
    (nonces.issue(key=KEY, now=NOW), NOW + nonces.LIFETIME + dt.timedelta(seconds=1)),
    (nonces.issue(key=b"x" * 32, now=NOW), NOW),
    (nonces.issue(key=KEY, now=NOW) + "A", NOW),
    ("no-dot", NOW),
    (None, NOW),
    (nonces.issue(key=KEY, now=NOW + dt.timedelta(minutes=1)), NOW),
], ids=["expired", "another-key", "altered", "malformed", "none", "future"])
def test_an_old_forged_altered_or_future_nonce_is_invalid_nonce(nonce: object,
                                                                now: dt.datetime) -> None:
    with pytest.raises(ExchangeProtocolError) as refused:
        nonces.verify(nonce, key=KEY, now=now)
    assert refused.value.error == "invalid_nonce"


def test_nonces_are_unpredictable_and_stored_only_as_digests() -> None:
    first, second = nonces.issue(key=KEY, now=NOW), nonces.issue(key=KEY, now=NOW)
    assert first != second
    assert len(nonces.nonce_digest(first)) == 64 and first not in nonces.nonce_digest(first)
