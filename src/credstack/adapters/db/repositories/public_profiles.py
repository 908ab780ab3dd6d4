"""Learners' public profiles: the handle, the name and line shown, whether it is shown, and
the wallet credentials chosen for it (tables in
:mod:`credstack.adapters.db.tables.public_profiles`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.public_profiles import PublicProfileItemRow, PublicProfileRow
from credstack.adapters.db.tables.wallet import WalletCredentialRow

__all__ = ["StoredProfile", "by_handle", "chosen", "hide", "own", "save"]


@dataclass(frozen=True, slots=True)
class StoredProfile:
    id: int
    user_id: int
    handle: str
    name: str
    headline: str
    shown: bool


def _stored(row: PublicProfileRow) -> StoredProfile:
    return StoredProfile(row.id, row.user_id, row.handle, row.name, row.headline,
                         row.shown_at is not None)


def own(session: Session, user_id: int) -> StoredProfile | None:
    """The user's profile; None before they make one."""
    row = session.scalar(select(PublicProfileRow).where(PublicProfileRow.user_id == user_id))
    return None if row is None else _stored(row)


def by_handle(session: Session, handle: str) -> StoredProfile | None:
    """The profile of ``handle`` (lower case), shown or hidden; None for none."""
    row = session.scalar(select(PublicProfileRow).where(PublicProfileRow.handle == handle))
    return None if row is None else _stored(row)


def chosen(session: Session, profile_id: int) -> list[str]:
    """The public ids of the wallet credentials chosen for the profile, in the order
    chosen."""
    return list(session.scalars(select(WalletCredentialRow.public_id).join(
        PublicProfileItemRow, PublicProfileItemRow.credential_id == WalletCredentialRow.id
    ).where(PublicProfileItemRow.profile_id == profile_id).order_by(PublicProfileItemRow.id)))


def save(session: Session, *, user_id: int, handle: str, name: str, headline: str,
         credentials: Sequence[int], at: dt.datetime) -> bool:
    """Make or change the user's profile, shown, with the wallet credentials ``credentials``
    (row ids) chosen; False when another profile took ``handle`` at the same moment (the
    transaction can only be rolled back)."""
    row = session.scalar(select(PublicProfileRow).where(PublicProfileRow.user_id == user_id))
    if row is None:
        row = PublicProfileRow(user_id=user_id, handle=handle, name=name, headline=headline,
                               created_at=at, updated_at=at, shown_at=at)
        session.add(row)
    else:
        row.handle, row.name, row.headline, row.updated_at = handle, name, headline, at
        row.shown_at, row.hidden_at = row.shown_at or at, None
    try:
        session.flush()
        session.execute(delete(PublicProfileItemRow).where(
            PublicProfileItemRow.profile_id == row.id))
        session.add_all(PublicProfileItemRow(profile_id=row.id, credential_id=credential)
                        for credential in credentials)
        session.flush()
    except IntegrityError:
        return False
    return True


def hide(session: Session, profile_id: int, *, at: dt.datetime) -> None:
    """Hide the profile at ``at``."""
    row = session.get(PublicProfileRow, profile_id)
    assert row is not None
    row.shown_at, row.hidden_at, row.updated_at = None, at, at
