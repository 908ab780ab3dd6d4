"""Counting events about issued credentials, on SQLite and PostgreSQL: each credential's
counts with their first and last dates, the batch's and the month's events and distinct
credentials, issued credentials counted as they are stored, and a credential of no one's
not counted."""

from __future__ import annotations

import dataclasses
import datetime as dt

from credstack.adapters.db.repositories import activity
from credstack.adapters.keystore import new_master_key_text
from credstack.core.activity.events import Kind
from credstack.settings import Settings
from tests.accounts import issued_credentials, provider_store, store_session

NOW = dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)


def _issued(settings: Settings) -> tuple[Settings, list[str]]:
    secret = new_master_key_text()
    keyed = dataclasses.replace(settings, secret_key=secret)
    provider_store(keyed, secret=secret, now=NOW)
    return keyed, issued_credentials(keyed, secret=secret, now=NOW, batch="spring",
                                     cohort="email\na@example.jp\nb@example.jp\n")


def test_events_add_up_per_credential_batch_and_month(settings: Settings) -> None:
    """Two verifications of one credential and one of another: the first credential 2
    times (first and last dates), the batch 3 events of 2 credentials, the month too; the
    two issued credentials are counted as issued."""
    keyed, ids = _issued(settings)
    later = NOW + dt.timedelta(hours=1)
    with store_session(keyed) as session:
        first = activity.credential_key(session, ids[0])
        second = activity.credential_key(session, ids[1])
        assert first is not None and second is not None and first.batch == "spring"
        assert activity.count(session, first, Kind.VERIFIED, at=NOW).first
        assert not activity.count(session, first, Kind.VERIFIED, at=later).first
        assert activity.count(session, second, Kind.VERIFIED, at=later, times=1).first
        assert activity.count(session, second, Kind.CLAIMED, at=later, channel="wallet").first
        assert activity.credential_key(session, "urn:uuid:not-ours") is None
    with store_session(keyed) as session:
        tallies, claimed_by = activity.credential_tallies(session, first.row_id)
        verified = tallies[Kind.VERIFIED]
        assert (verified.events, verified.first, verified.last) == (2, NOW, later)
        assert claimed_by is None
        assert activity.credential_tallies(session, second.row_id)[1] == "wallet"
        batch = activity.batch_tallies(session, organisation_id=first.organisation_id,
                                       batch="spring")
        assert (batch[Kind.VERIFIED].events, batch[Kind.VERIFIED].credentials) == (3, 2)
        assert batch[Kind.ISSUED].credentials == 2
        assert activity.batch_size(session, organisation_id=first.organisation_id,
                                   batch="spring") == 2
        months = set(activity.month_counts(session, organisation_id=first.organisation_id))
        assert ("2026-11", "verified", 2) in months and ("2026-11", "issued", 2) in months
