"""Share links of wallets: one credential or one collection, shown to whoever has the link
(table in :mod:`credstack.adapters.db.tables.wallet`).

A link comes back as :class:`StoredShare`, its times aware; its secret is never kept, only
its SHA-256 (``token_hash``), whose first 16 characters name it to its owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.wallet import WalletShareRow
from credstack.adapters.db.times import utc

__all__ = ["StoredShare", "add", "by_token", "count", "of_user", "owned", "revoke",
           "set_token", "viewed"]


@dataclass(frozen=True, slots=True)
class StoredShare:
    id: int
    token_hash: str
    user_id: int
    #: The wallet credential or the collection shown (row ids; exactly one is set).
    credential_id: int | None
    collection_id: int | None
    label: str
    access_code_hash: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    views: int
    last_viewed_at: dt.datetime | None


def _maybe(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else utc(moment)


def _stored(row: WalletShareRow) -> StoredShare:
    return StoredShare(row.id, row.token_hash, row.user_id, row.credential_id,
                       row.collection_id, row.label, row.access_code_hash, utc(row.created_at),
                       _maybe(row.expires_at), _maybe(row.revoked_at), row.views,
                       _maybe(row.last_viewed_at))


def _row(session: Session, share_id: int) -> WalletShareRow:
    row = session.get(WalletShareRow, share_id)
    assert row is not None
    return row


def count(session: Session, user_id: int) -> int:
    """How many links the user has made (revoked ones too)."""
    return session.scalar(select(func.count()).select_from(WalletShareRow).where(
        WalletShareRow.user_id == user_id)) or 0


def add(session: Session, *, token_hash: str, user_id: int, credential_id: int | None,
        collection_id: int | None, label: str, access_code_hash: str | None,
        at: dt.datetime, expires_at: dt.datetime | None) -> StoredShare:
    """A new link of the user's to the wallet credential or the collection (row ids)."""
    row = WalletShareRow(token_hash=token_hash, user_id=user_id, credential_id=credential_id,
                         collection_id=collection_id, label=label,
                         access_code_hash=access_code_hash, created_at=at, views=0,
                         expires_at=expires_at)
    session.add(row)
    session.flush()
    return _stored(row)


def set_token(session: Session, share_id: int, token_hash: str) -> StoredShare:
    """Give the link the secret of digest ``token_hash``."""
    row = _row(session, share_id)
    row.token_hash = token_hash
    session.flush()
    return _stored(row)


def of_user(session: Session, user_id: int) -> list[StoredShare]:
    """The user's links, newest first."""
    return [_stored(row) for row in session.scalars(select(WalletShareRow).where(
        WalletShareRow.user_id == user_id).order_by(
        WalletShareRow.created_at.desc(), WalletShareRow.id.desc()))]


def owned(session: Session, *, user_id: int, public_id: str) -> StoredShare | None:
    """The user's link whose digest begins with ``public_id``; None for none."""
    row = session.scalar(select(WalletShareRow).where(
        WalletShareRow.user_id == user_id, WalletShareRow.token_hash.startswith(public_id)))
    return None if row is None else _stored(row)


def by_token(session: Session, token_hash: str) -> StoredShare | None:
    """The link whose secret has the digest ``token_hash``; None for none."""
    row = session.scalar(select(WalletShareRow).where(WalletShareRow.token_hash == token_hash))
    return None if row is None else _stored(row)


def revoke(session: Session, share_id: int, *, at: dt.datetime) -> StoredShare:
    """Revoke the link at ``at``."""
    row = _row(session, share_id)
    row.revoked_at = at
    session.flush()
    return _stored(row)


def viewed(session: Session, share_id: int, *, at: dt.datetime) -> StoredShare:
    """Count a view of the link, at ``at``."""
    row = _row(session, share_id)
    row.views += 1
    row.last_viewed_at = at
    return _stored(row)
