"""The recognitions table: one row per recognition decision that granted one (migration
``0007_recognitions``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument


class RecognitionRow(Base):
    """A granted recognition and its endorsement credential."""

    __tablename__ = "recognitions"
    __table_args__ = (
        CheckConstraint("outcome IN ('recognised', 'recognised-with-conditions')",
                        name="outcome"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_recognitions_programme", "programme_id", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The decision's public number (``R-2026-0001``): the recognition's URL.
    number: Mapped[str] = mapped_column(String(64), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    version: Mapped[int] = mapped_column(Integer)
    #: The recognition body.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: The application's public id (``app_…``); no foreign key: the review tables own it.
    application: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(32))
    conditions: Mapped[dict[str, str] | None] = mapped_column(JsonDocument)
    reasons: Mapped[dict[str, str]] = mapped_column(JsonDocument)
    valid_from: Mapped[dt.datetime] = mapped_column(STAMP)
    valid_until: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The endorsement credential's ``id`` (as in ``issued_credentials.credential_id``).
    credential_id: Mapped[str] = mapped_column(String(2048), unique=True)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(10_000))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
