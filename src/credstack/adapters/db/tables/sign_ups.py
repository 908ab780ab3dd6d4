"""Requests to sign up on one's own (migration ``0018_sign_ups``).

Each request for an address is a row, whether or not the address has an account already (the
rate limit counts them alike). For an address without an account the row holds the e-mailed
link's token as its SHA-256 digest, the display name and the argon2id hash of the chosen
password until the link is used or replaced by a newer request (then the hash is cleared).
A request is deleted once its link has expired, a day later.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base


class SignUpRow(Base):
    __tablename__ = "sign_ups"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_sign_ups_token_hash"),
        CheckConstraint("expires_at > created_at", name="ck_sign_ups_expires_after_creation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Lower case, as accounts keep addresses.
    email: Mapped[str] = mapped_column(String(320), index=True)
    #: The address the request came from (the per-address limit of a visitor).
    ip: Mapped[str] = mapped_column(String(64), index=True)
    #: None for an address that had an account (it was sent a reminder, not a link), and
    #: once the link is used, expired or replaced.
    token_hash: Mapped[str | None] = mapped_column(String(64))
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: Where the learner was going (a path on this site), followed once signed in.
    next_path: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    expires_at: Mapped[dt.datetime] = mapped_column(STAMP)
    used_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    #: The account the link made.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
