"""Each organisation's Open Badges 2.0 signing keys (table in
:mod:`credstack.adapters.db.tables.openbadges_v2`): made, retired, read.

Keys come back as :class:`StoredOb2Key` (times as the store gives them); the unique indexes
that keep one active key and distinct fragments per organisation answer :func:`add` with
False, never with the database's error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow
from credstack.adapters.db.tables.openbadges_v2 import Ob2KeyRow

__all__ = ["StoredOb2Key", "active", "add", "count", "keys", "public_key_pem", "retire"]


@dataclass(frozen=True, slots=True)
class StoredOb2Key:
    """An OB 2.0 key: its fragment, algorithm and public half, its private half sealed."""

    fragment: str
    algorithm: str
    public_key_pem: str
    master_key_id: str
    encrypted_secret: bytes
    nonce: bytes
    created_at: dt.datetime
    retired_at: dt.datetime | None


def _key(row: Ob2KeyRow) -> StoredOb2Key:
    return StoredOb2Key(row.fragment, row.algorithm, row.public_key_pem, row.master_key_id,
                        row.encrypted_secret, row.nonce, row.created_at, row.retired_at)


def count(session: Session, organisation_id: int) -> int:
    """How many keys the organisation has had."""
    return session.scalar(select(func.count()).where(
        Ob2KeyRow.organisation_id == organisation_id)) or 0


def active(session: Session, organisation_id: int) -> StoredOb2Key | None:
    """The organisation's active key; None for none."""
    row = session.scalar(select(Ob2KeyRow).where(Ob2KeyRow.organisation_id == organisation_id,
                                                 Ob2KeyRow.retired_at.is_(None)))
    return None if row is None else _key(row)


def keys(session: Session, organisation_id: int) -> list[StoredOb2Key]:
    """The organisation's keys, oldest first."""
    return [_key(row) for row in session.scalars(select(Ob2KeyRow).where(
        Ob2KeyRow.organisation_id == organisation_id).order_by(Ob2KeyRow.id))]


def add(session: Session, organisation_id: int, key: StoredOb2Key) -> bool:
    """Store ``key`` for the organisation; False when another transaction made one of its
    keys at the same moment (the unique indexes refused it)."""
    try:
        with session.begin_nested():
            session.add(Ob2KeyRow(organisation_id=organisation_id, fragment=key.fragment,
                                  algorithm=key.algorithm, public_key_pem=key.public_key_pem,
                                  master_key_id=key.master_key_id,
                                  encrypted_secret=key.encrypted_secret, nonce=key.nonce,
                                  created_at=key.created_at, retired_at=key.retired_at))
    except IntegrityError:
        return False
    return True


def retire(session: Session, organisation_id: int, *, at: dt.datetime) -> None:
    """Retire the organisation's active key (if any) at ``at``."""
    session.execute(update(Ob2KeyRow).where(Ob2KeyRow.organisation_id == organisation_id,
                                            Ob2KeyRow.retired_at.is_(None))
                    .values(retired_at=at))


def public_key_pem(session: Session, *, organisation: str, fragment: str) -> str | None:
    """The public half (PEM) of the key ``fragment`` of the organisation ``organisation``;
    None for none."""
    return session.scalar(select(Ob2KeyRow.public_key_pem).join(
        OrganisationRow, OrganisationRow.id == Ob2KeyRow.organisation_id)
        .where(OrganisationRow.slug == organisation, Ob2KeyRow.fragment == fragment))
