"""Whether a signature survives its certificate's revocation (EN 319 102-1's rules)."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.certificates.revocation import (
    RevocationFacts,
    RevocationVerdict,
    judge_revocation,
)

REVOKED_AT = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
BEFORE = REVOKED_AT - dt.timedelta(days=1)
AFTER = REVOKED_AT + dt.timedelta(days=1)


def test_a_certificate_that_is_not_revoked_is_good() -> None:
    assert judge_revocation(None, timestamp=None, claimed=BEFORE) is RevocationVerdict.GOOD


@pytest.mark.parametrize(("reason", "timestamp", "claimed", "verdict"), [
    ("superseded", BEFORE, BEFORE, RevocationVerdict.REVOKED_AFTER_SIGNING),
    ("superseded", AFTER, BEFORE, RevocationVerdict.REVOKED),
    ("superseded", None, BEFORE, RevocationVerdict.REVOKED_NO_TIMESTAMP),
    ("superseded", None, AFTER, RevocationVerdict.REVOKED),
    ("superseded", None, None, RevocationVerdict.REVOKED),
    ("keyCompromise", BEFORE, BEFORE, RevocationVerdict.REVOKED),
    ("keyCompromise", None, BEFORE, RevocationVerdict.REVOKED),
])
def test_only_a_timestamp_before_a_revocation_other_than_a_compromise_saves_a_signature(
        reason: str, timestamp: dt.datetime | None, claimed: dt.datetime | None,
        verdict: RevocationVerdict) -> None:
    """The claimed time alone never saves it: it is written with the revoked key."""
    facts = RevocationFacts(REVOKED_AT, reason)
    assert judge_revocation(facts, timestamp=timestamp, claimed=claimed) is verdict
