"""The Open Badges 2.0 keys table (migrations ``0004_ob2``, ``0010_ob2_algorithms``): each
organisation's RS256/ES256 keys for signed badges, their secrets sealed with the master key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, SealedSecret, one_active


class Ob2KeyRow(SealedSecret, Base):
    """An organisation's key for signed Open Badges 2.0 assertions (sealed secret).

    Like ``issuer_keys``: never deleted, at most one active key per organisation (a partial
    unique index on SQLite and PostgreSQL alike), the secret sealed with the master key.
    """

    __tablename__ = "ob2_keys"
    __table_args__ = (
        UniqueConstraint("organisation_id", "fragment", name="uq_ob2_keys_organisation_fragment"),
        CheckConstraint("length(nonce) = 12", name="nonce_length"),
        CheckConstraint("algorithm IN ('RS256', 'ES256')", name="algorithm"),
        one_active("uq_ob2_keys_active", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: The key's place in its URL (``rsa-1``, ``p256-2`` …), stable for the key's life.
    fragment: Mapped[str] = mapped_column(String(32))
    #: The JWS algorithm the key signs with: ``RS256`` (RSA) or ``ES256`` (P-256).
    algorithm: Mapped[str] = mapped_column(String(8), server_default="RS256")
    public_key_pem: Mapped[str] = mapped_column(Text)
    retired_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
