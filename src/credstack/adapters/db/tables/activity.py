"""Tables of what happens to issued credentials (migration ``0033_credential_activity``).

* ``credential_activity``: one row per issued credential that something happened to — for
  each kind of event (:class:`credstack.core.activity.events.Kind`) how many times, first and
  last; the claim reminder's and the last expiry notice's dates. Written when the event
  happens (an ``INSERT … ON CONFLICT DO UPDATE``), never counted on a view.
* ``batch_activity`` and ``organisation_activity``: the same events added up per batch and
  per organisation and month, with how many distinct credentials each reached, so that a
  batch of 100,000 is one row per kind to read.
* ``organisation_notices``: what an organisation tells its learners (claim reminders, expiry
  notices).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base

ZERO = text("0")


class CredentialActivityRow(Base):
    __tablename__ = "credential_activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_row_id: Mapped[int] = mapped_column(
        ForeignKey("issued_credentials.id", ondelete="CASCADE"), unique=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    mailed_count: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    mailed_first: Mapped[dt.datetime | None] = mapped_column(STAMP)
    mailed_last: Mapped[dt.datetime | None] = mapped_column(STAMP)
    opened_count: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    opened_first: Mapped[dt.datetime | None] = mapped_column(STAMP)
    opened_last: Mapped[dt.datetime | None] = mapped_column(STAMP)
    claimed_count: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    claimed_first: Mapped[dt.datetime | None] = mapped_column(STAMP)
    claimed_last: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: Where it was first claimed: ``wallet`` (here) or ``oid4vci`` (a wallet app).
    claimed_by: Mapped[str | None] = mapped_column(String(16))
    shared_count: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    shared_first: Mapped[dt.datetime | None] = mapped_column(STAMP)
    shared_last: Mapped[dt.datetime | None] = mapped_column(STAMP)
    verified_count: Mapped[int] = mapped_column(Integer, server_default=ZERO)
    verified_first: Mapped[dt.datetime | None] = mapped_column(STAMP)
    verified_last: Mapped[dt.datetime | None] = mapped_column(STAMP)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The days-before of the last expiry notice sent (30, 7 …).
    expiry_noticed: Mapped[int | None] = mapped_column(Integer)


class BatchActivityRow(Base):
    __tablename__ = "batch_activity"
    __table_args__ = (
        UniqueConstraint("organisation_id", "batch", "kind", name="uq_batch_activity_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    #: The batch's name; ``""`` for credentials issued in none.
    batch: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    events: Mapped[int] = mapped_column(Integer)
    credentials: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    last_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class OrganisationActivityRow(Base):
    __tablename__ = "organisation_activity"
    __table_args__ = (
        UniqueConstraint("organisation_id", "month", "kind", name="uq_organisation_activity_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    #: ``2026-11`` (UTC).
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(16))
    events: Mapped[int] = mapped_column(Integer)
    credentials: Mapped[int] = mapped_column(Integer)


class OrganisationNoticesRow(Base):
    __tablename__ = "organisation_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    claim_reminder_days: Mapped[int | None] = mapped_column(Integer)
    #: Days before the end of validity, comma-separated (``30,7``); ``""``: none.
    expiry_days: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)
