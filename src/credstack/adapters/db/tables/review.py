"""Tables of the review process: applications, evidence files, assignments, reviews, messages,
decisions and notifications (migration ``0008_review``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument, UserRow


class ApplicationRow(Base):
    """A programme version's application for recognition by a recognition body."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("kind IN ('initial', 'renewal')", name="kind"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_applications_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    #: The applicant: the organisation that offers the programme.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    programme_version: Mapped[int] = mapped_column(Integer)
    recognition_body_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: The framework profile the programme is checked against (``jp-mc``, ``eu-mc`` …).
    profile: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    #: For a renewal: the number of the recognition it renews.
    renewal_of: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(32))
    state_entered_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: When the current step is due (None: no deadline in this state).
    due_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The applicant's self-evaluation, criterion id -> text.
    self_evaluation: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    #: The last completeness check's findings (a list of JSON objects).
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    #: Counts changes; every write is a compare-and-swap on it.
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)
    created_by: Mapped[int | None] = mapped_column(Integer)


class EvidenceFileRow(Base):
    __tablename__ = "evidence_files"
    __table_args__ = (
        UniqueConstraint("application_id", "sha256", name="uq_evidence_files_application_sha256"),
        CheckConstraint("size >= 0", name="size"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(STAMP)


class AssignmentRow(Base):
    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("application_id", "evaluator_id",
                         name="uq_assignments_application_evaluator"),
        CheckConstraint("declaration IS NULL OR declaration IN ('none', 'conflict')",
                        name="declaration"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey(UserRow.id), index=True)
    assigned_by: Mapped[int | None] = mapped_column(Integer)
    assigned_at: Mapped[dt.datetime] = mapped_column(STAMP)
    due_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: None until declared; then ``none`` (no conflict) or ``conflict``.
    declaration: Mapped[str | None] = mapped_column(String(16))
    declaration_statement: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class ReviewRow(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("application_id", "evaluator_id", name="uq_reviews_application_evaluator"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey(UserRow.id))
    #: Criterion id -> score.
    scores: Mapped[dict[str, int]] = mapped_column(JsonDocument)
    #: Criterion id -> comment.
    comments: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    summary: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime] = mapped_column(STAMP)


class MessageRow(Base):
    """An information request, its answer, an appeal's grounds or a withdrawal's reason."""

    __tablename__ = "review_messages"
    __table_args__ = (
        CheckConstraint("kind IN ('information-request', 'answer', 'appeal', 'withdrawal')",
                        name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    author_id: Mapped[int | None] = mapped_column(Integer)
    #: The principal's subject (``user:12``, ``client:…``), kept for the record.
    author: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(STAMP)


class DecisionRow(Base):
    """A committee decision (or an appeal decision) on an application.

    ``programme_title``, ``provider_name`` and ``search_text`` copy what the transparency page
    shows and searches, so that the public list needs no join into the programme store and
    keeps showing what was decided even after the programme changes.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint("outcome IN ('recognised', 'recognised-with-conditions', "
                        "'not-recognised')", name="outcome"),
        Index("ix_decisions_published_at", "published_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    outcome: Mapped[str] = mapped_column(String(32))
    #: ``{"ja": …, "en": …}``, either language may be missing.
    reasons: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    conditions: Mapped[dict[str, str] | None] = mapped_column(JsonDocument)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: Whether this decides an appeal against an earlier decision.
    appeal: Mapped[bool] = mapped_column(Boolean)
    #: The recognition granted by this decision (its number), if any.
    recognition: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[dt.datetime | None] = mapped_column(STAMP)
    valid_until: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: Per criterion: mean score and number of reviews, for the public summary.
    criteria_summary: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    programme_title: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    provider_name: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    search_text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class NotificationRow(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe", name="uq_notifications_user_dedupe"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey(UserRow.id), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    text_ja: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    #: What makes the notification unique for its user (a reminder's kind, application, day).
    dedupe: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    read_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
