"""Invitations to join an organisation (migration ``0016_invitations``).

An invitation's link carries a random token (256 bits), kept here as its SHA-256 digest only,
like a password reset link. At most one invitation per organisation and address is pending
(neither accepted nor revoked), which a partial unique index enforces for every writer.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base

PENDING = "accepted_at IS NULL AND revoked_at IS NULL"


class InvitationRow(Base):
    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
        Index("ix_invitations_pending", "organisation_id", "email", unique=True,
              sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: Lower case, as accounts keep addresses.
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64))
    #: The audit subject of whoever invited (``user:<id>``, ``cli:<name>``).
    invited_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                               ondelete="SET NULL"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
