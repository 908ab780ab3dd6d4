"""The operator's console (migration ``0032_console``): providers' applications to join and
their documents, organisations' suspensions, reports of a problem with a programme and the
programmes hidden for one, and the platform's figures as counters by month.

Duplicate applications are held off by the store itself: at most one application per
corporate number is waiting or approved (a partial unique index), so two forms sent at once
leave one. A counter is one row per figure and month, raised in the transaction of the event
it counts, so the figures page reads a few hundred rows whatever the platform's size.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument

_OPEN = text("status IN ('waiting', 'approved')")


class ProviderApplicationRow(Base):
    __tablename__ = "provider_applications"
    __table_args__ = (
        CheckConstraint("status IN ('waiting', 'approved', 'refused')", name="status"),
        Index(
            "uq_provider_applications_open_number",
            "corporate_number",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
        Index("ix_provider_applications_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The application's id in links and e-mails (random, not the row's number).
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    #: The organisation's name per language (``ja``, ``en``).
    name: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    corporate_number: Mapped[str] = mapped_column(String(13))
    kind: Mapped[str] = mapped_column(String(32))
    #: Who applied and where the answer goes (lower case).
    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    #: The language the applicant wrote in: the answer's e-mail is in it first.
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16))
    #: Why it was refused (sent to the applicant).
    reason: Mapped[str | None] = mapped_column(Text)
    #: The organisation an approval made.
    organisation_slug: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    decided_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    decided_by: Mapped[str | None] = mapped_column(String(200))


class ProviderDocumentRow(Base):
    __tablename__ = "provider_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("provider_applications.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class OrganisationSuspensionRow(Base):
    """An organisation suspended by the operator: it issues nothing while the row exists;
    reinstating deletes it (the audit log keeps both)."""

    __tablename__ = "organisation_suspensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text)
    suspended_at: Mapped[dt.datetime] = mapped_column(STAMP)
    suspended_by: Mapped[str] = mapped_column(String(200))


class ProgrammeReportRow(Base):
    __tablename__ = "programme_reports"
    __table_args__ = (
        CheckConstraint("status IN ('waiting', 'hidden', 'dismissed')", name="status"),
        Index("ix_programme_reports_address", "address_hash", "created_at"),
        Index("ix_programme_reports_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    #: The reporter's address as a keyed digest: enough to limit a flood, not to find them.
    address_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    decided_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    decided_by: Mapped[str | None] = mapped_column(String(200))


class ProgrammeHidingRow(Base):
    """A programme the operator hid: its page says so, with this public reason."""

    __tablename__ = "programme_hidings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(Text)
    hidden_at: Mapped[dt.datetime] = mapped_column(STAMP)
    hidden_by: Mapped[str] = mapped_column(String(200))


class PlatformCounterRow(Base):
    __tablename__ = "platform_counters"
    __table_args__ = (UniqueConstraint("figure", "month", name="uq_platform_counters_figure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    figure: Mapped[str] = mapped_column(String(32))
    #: ``2026-11``.
    month: Mapped[str] = mapped_column(String(7))
    count: Mapped[int] = mapped_column(BigInteger)
