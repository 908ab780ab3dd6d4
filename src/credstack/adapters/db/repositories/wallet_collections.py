"""Collections: a learner's own groupings of the credentials in their wallet, and which
credentials each holds (tables in :mod:`credstack.adapters.db.tables.wallet`).

A collection comes back as :class:`StoredCollection`, its time aware; its members as the
public ids of its wallet credentials.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.wallet import (
    WalletCollectionItemRow,
    WalletCollectionRow,
    WalletCredentialRow,
)
from credstack.adapters.db.times import utc

__all__ = ["StoredCollection", "add", "collection", "count", "credential_ids", "forget",
           "members", "of_user", "owned", "put", "take", "update"]


@dataclass(frozen=True, slots=True)
class StoredCollection:
    id: int
    public_id: str
    name: str
    description: str
    created_at: dt.datetime


def _stored(row: WalletCollectionRow) -> StoredCollection:
    return StoredCollection(row.id, row.public_id, row.name, row.description,
                            utc(row.created_at))


def members(session: Session, collection_id: int) -> list[str]:
    """The public ids of the collection's wallet credentials, in the order they were
    added."""
    return list(session.scalars(select(WalletCredentialRow.public_id).join(
        WalletCollectionItemRow,
        WalletCollectionItemRow.credential_id == WalletCredentialRow.id).where(
        WalletCollectionItemRow.collection_id == collection_id).order_by(
        WalletCollectionItemRow.added_at, WalletCollectionItemRow.id)))


def credential_ids(session: Session, collection_id: int) -> list[str]:
    """The credentials' own ids (those that name one) of the collection's wallet
    credentials."""
    return [found for found in session.scalars(select(WalletCredentialRow.credential_id).join(
        WalletCollectionItemRow, WalletCollectionItemRow.credential_id == WalletCredentialRow.id
    ).where(WalletCollectionItemRow.collection_id == collection_id)) if found]


def collection(session: Session, collection_id: int) -> StoredCollection | None:
    """The collection of row id ``collection_id``; None for none."""
    row = session.get(WalletCollectionRow, collection_id)
    return None if row is None else _stored(row)


def owned(session: Session, *, user_id: int, public_id: str) -> StoredCollection | None:
    """The user's collection ``public_id``; None when they have none of that id."""
    row = session.scalar(select(WalletCollectionRow).where(
        WalletCollectionRow.public_id == public_id, WalletCollectionRow.user_id == user_id))
    return None if row is None else _stored(row)


def of_user(session: Session, user_id: int) -> list[StoredCollection]:
    """The user's collections, by name."""
    return [_stored(row) for row in session.scalars(select(WalletCollectionRow).where(
        WalletCollectionRow.user_id == user_id).order_by(
        WalletCollectionRow.name, WalletCollectionRow.id))]


def count(session: Session, user_id: int) -> int:
    """How many collections the user has."""
    return session.scalar(select(func.count()).select_from(WalletCollectionRow).where(
        WalletCollectionRow.user_id == user_id)) or 0


def add(session: Session, *, public_id: str, user_id: int, name: str, description: str,
        at: dt.datetime) -> StoredCollection:
    """A new, empty collection of the user's."""
    row = WalletCollectionRow(public_id=public_id, user_id=user_id, name=name,
                              description=description, created_at=at)
    session.add(row)
    session.flush()
    return _stored(row)


def update(session: Session, collection_id: int, *, name: str, description: str
           ) -> StoredCollection:
    """Rename the collection and change its description."""
    row = session.get(WalletCollectionRow, collection_id)
    assert row is not None
    row.name, row.description = name, description
    session.flush()
    return _stored(row)


def put(session: Session, collection_id: int, credential_id: int, at: dt.datetime) -> bool:
    """Put the wallet credential (a row id) in the collection, unless it is there; whether it
    was put."""
    present = session.scalar(select(WalletCollectionItemRow.id).where(
        WalletCollectionItemRow.collection_id == collection_id,
        WalletCollectionItemRow.credential_id == credential_id))
    if present is not None:
        return False
    session.add(WalletCollectionItemRow(collection_id=collection_id,
                                        credential_id=credential_id, added_at=at))
    session.flush()
    return True


def take(session: Session, collection_id: int, credential_id: int) -> bool:
    """Take the wallet credential (a row id) out of the collection; whether it was in it."""
    taken = session.execute(delete(WalletCollectionItemRow).where(
        WalletCollectionItemRow.collection_id == collection_id,
        WalletCollectionItemRow.credential_id == credential_id))
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def forget(session: Session, collection_id: int) -> None:
    """Delete the collection (its credentials stay in the wallet)."""
    row = session.get(WalletCollectionRow, collection_id)
    if row is not None:
        session.delete(row)
        session.flush()
