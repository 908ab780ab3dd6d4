"""Tables of learners' public profiles (migration ``0033_credential_activity``).

* ``public_profiles``: a learner's opt-in public page (``/@{handle}``): its handle, kept while
  the profile exists (a hidden profile's handle answers 410 and is not given to anyone else).
* ``public_profile_items``: the wallet credentials the page shows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base


class PublicProfileRow(Base):
    __tablename__ = "public_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: Kept lower-case; stays the learner's while the profile exists (hidden or not).
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    headline: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)
    #: When shown (``None``: hidden, answered 410).
    shown_at: Mapped[dt.datetime | None] = mapped_column(STAMP)
    hidden_at: Mapped[dt.datetime | None] = mapped_column(STAMP)


class PublicProfileItemRow(Base):
    __tablename__ = "public_profile_items"
    __table_args__ = (
        UniqueConstraint("profile_id", "credential_id", name="uq_public_profile_items_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("public_profiles.id", ondelete="CASCADE"), index=True
    )
    credential_id: Mapped[int] = mapped_column(
        ForeignKey("wallet_credentials.id", ondelete="CASCADE"), index=True
    )
