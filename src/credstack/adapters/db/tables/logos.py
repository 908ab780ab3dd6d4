"""Organisations' logos (migration ``0021_workspace_finish``) and programmes' badge designs.

One logo per organisation, as its administrator uploaded it once screened
(:mod:`credstack.core.images.logos`): the bytes, their media type (PNG, JPEG or SVG) and
SHA-256 (the served image's ETag), and for an SVG logo the PNG drawn from it, which badge
images embed (a badge stays one self-contained image that the wallet's screening accepts).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base


class OrganisationLogoRow(Base):
    __tablename__ = "organisation_logos"
    __table_args__ = (
        CheckConstraint("media_type IN ('image/png', 'image/jpeg', 'image/svg+xml')",
                        name="media_type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    #: An SVG logo drawn as a PNG (None for PNG and JPEG logos, embedded as they are).
    raster: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)


class ProgrammeBadgeStyleRow(Base):
    """A programme's badge design (migration ``0061_badge_styles``), one a programme: the
    template and the colour its badge designer chose (no colour: the generated one)."""

    __tablename__ = "programme_badge_styles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), unique=True)
    template: Mapped[str] = mapped_column(String(16))
    colour: Mapped[str | None] = mapped_column(String(7))
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)
