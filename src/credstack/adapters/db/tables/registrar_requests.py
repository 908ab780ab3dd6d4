"""Requests for the registrar's documents and their delivery (migration
``0057_registrar_requests``, issue 56).

* ``registrar_request_rules`` — an organisation's rule: whether requests from an account the
  registrar has already confirmed are approved without the queue, and how many days a
  delivery link answers;
* ``registrar_record_holders`` — the accounts confirmed as a record's student (by the
  registrar's first approval): the learner's own account, kept after the campus one ends;
* ``registrar_requests`` — a request: which documents, how many copies, the language, the
  addressee printed on them, its state and, once approved, the delivery link's digest and end;
* ``registrar_delivery_events`` — every view and download through a delivery link.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import Base

STAMP = DateTime(timezone=True)


class RegistrarRequestRuleRow(Base):
    __tablename__ = "registrar_request_rules"
    __table_args__ = (UniqueConstraint("organisation_id",
                                       name="uq_registrar_request_rules_organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    auto_approve: Mapped[bool] = mapped_column(Boolean)
    delivery_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)


class RegistrarRecordHolderRow(Base):
    __tablename__ = "registrar_record_holders"
    __table_args__ = (UniqueConstraint("student_id", "user_id",
                                       name="uq_registrar_record_holders_student_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("registrar_students.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    linked_at: Mapped[dt.datetime] = mapped_column(STAMP)


class RegistrarRequestRow(Base):
    __tablename__ = "registrar_requests"
    __table_args__ = (UniqueConstraint("public_id", name="uq_registrar_requests_public_id"),
                      UniqueConstraint("token_hash", name="uq_registrar_requests_token_hash"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32))
    student_id: Mapped[int] = mapped_column(
        ForeignKey("registrar_students.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    #: The kinds asked for, space-separated (``transcript graduation``).
    kinds: Mapped[str] = mapped_column(String(200))
    copies: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    addressee: Mapped[str] = mapped_column(String(200))
    #: pending, approved, refused.
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    decided_at: Mapped[dt.datetime | None] = mapped_column(STAMP, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: The SHA-256 of the delivery link's secret, and when the link stops answering.
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    expires_at: Mapped[dt.datetime | None] = mapped_column(STAMP, nullable=True)


class RegistrarDeliveryEventRow(Base):
    __tablename__ = "registrar_delivery_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("registrar_requests.id", ondelete="CASCADE"), index=True)
    #: view or download.
    event: Mapped[str] = mapped_column(String(16))
    #: The form downloaded (its credential id and form), empty for a view.
    document: Mapped[str] = mapped_column(String(220))
    at: Mapped[dt.datetime] = mapped_column(STAMP)
