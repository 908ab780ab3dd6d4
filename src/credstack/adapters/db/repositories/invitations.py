"""Invitations to join an organisation, as services read and write them (table in
:mod:`credstack.adapters.db.tables.invitations`).

An invitation comes back as :class:`StoredInvitation`, its times aware; a link's token is
looked up by its digest (:func:`credstack.adapters.db.repositories.accounts.digest`), never
kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import InvitationRow
from credstack.adapters.db.times import utc

__all__ = ["StoredInvitation", "accept", "by_token", "invitation", "pending", "revoke",
           "write_pending"]


@dataclass(frozen=True, slots=True)
class StoredInvitation:
    """An invitation: to whom, for which role where, and how far it went."""

    id: int
    organisation_id: int
    email: str
    role: str
    token_hash: str
    invited_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    accepted_at: dt.datetime | None
    accepted_by: int | None
    revoked_at: dt.datetime | None

    def usable(self, now: dt.datetime) -> bool:
        """Neither accepted nor revoked, and not expired at ``now``."""
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


def _stored(row: InvitationRow) -> StoredInvitation:
    return StoredInvitation(
        row.id, row.organisation_id, row.email, row.role, row.token_hash, row.invited_by,
        utc(row.created_at), utc(row.expires_at),
        utc(row.accepted_at) if row.accepted_at is not None else None, row.accepted_by,
        utc(row.revoked_at) if row.revoked_at is not None else None)


def invitation(session: Session, invitation_id: int) -> StoredInvitation | None:
    """The invitation ``invitation_id``; None for none."""
    row = session.get(InvitationRow, invitation_id)
    return None if row is None else _stored(row)


def by_token(session: Session, token_hash: str, *, lock: bool = False
             ) -> StoredInvitation | None:
    """The invitation whose link's token has the digest ``token_hash`` (locked until the
    transaction ends with ``lock``, on PostgreSQL); None for none."""
    query = select(InvitationRow).where(InvitationRow.token_hash == token_hash)
    row = session.scalar(query.with_for_update() if lock else query)
    return None if row is None else _stored(row)


def pending(session: Session, organisation_id: int) -> list[StoredInvitation]:
    """The organisation's invitations neither accepted nor revoked, newest first."""
    return [_stored(row) for row in session.scalars(
        select(InvitationRow).where(InvitationRow.organisation_id == organisation_id,
                                    InvitationRow.accepted_at.is_(None),
                                    InvitationRow.revoked_at.is_(None))
        .order_by(InvitationRow.created_at.desc(), InvitationRow.id.desc()))]


def write_pending(session: Session, *, organisation_id: int, email: str, role: str,
                  token_hash: str, invited_by: str, at: dt.datetime, expires_at: dt.datetime
                  ) -> tuple[StoredInvitation, bool] | None:
    """The pending invitation of ``email`` to the organisation, renewed (a new token, role,
    inviter and expiry) when there is one, else made: it and whether it was renewed. None
    when another transaction made one for the same address at the same moment (the partial
    unique index refused this one; the transaction can only be rolled back)."""
    row = session.scalar(select(InvitationRow).where(
        InvitationRow.organisation_id == organisation_id, InvitationRow.email == email,
        InvitationRow.accepted_at.is_(None), InvitationRow.revoked_at.is_(None)
    ).with_for_update())
    renewed = row is not None
    if row is not None:
        row.token_hash, row.role, row.invited_by = token_hash, role, invited_by
        row.created_at, row.expires_at = at, expires_at
    else:
        row = InvitationRow(organisation_id=organisation_id, email=email, role=role,
                            token_hash=token_hash, invited_by=invited_by, created_at=at,
                            expires_at=expires_at)
        session.add(row)
    try:
        session.flush()
    except IntegrityError:
        return None
    return _stored(row), renewed


def accept(session: Session, invitation_id: int, *, user_id: int, at: dt.datetime
           ) -> StoredInvitation:
    """Mark the invitation accepted by ``user_id`` at ``at``."""
    row = session.get(InvitationRow, invitation_id)
    assert row is not None
    row.accepted_at, row.accepted_by = at, user_id
    session.flush()
    return _stored(row)


def revoke(session: Session, invitation_id: int, *, at: dt.datetime) -> None:
    """Revoke the invitation at ``at`` (its link stops working)."""
    row = session.get(InvitationRow, invitation_id)
    assert row is not None
    row.revoked_at = at
