"""The credentials learners keep in their wallets, and what hangs on each: tags, places in
collections, share links (tables in :mod:`credstack.adapters.db.tables.wallet`)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.wallet import (
    WalletCollectionItemRow,
    WalletCredentialRow,
    WalletShareRow,
    WalletTagRow,
)

__all__ = ["held", "move_belongings"]


def held(session: Session, *, user_id: int, credential_id: str) -> str | None:
    """The public id of the user's wallet credential whose credential id is
    ``credential_id``; None when the wallet holds none."""
    return session.scalar(select(WalletCredentialRow.public_id).where(
        WalletCredentialRow.user_id == user_id,
        WalletCredentialRow.credential_id == credential_id).limit(1))


def move_belongings(session: Session, *, from_id: int, to_id: int) -> None:
    """Hang the tags, collection places and share links of the wallet credential ``from_id``
    on ``to_id`` (row ids)."""
    for table in (WalletTagRow, WalletCollectionItemRow, WalletShareRow):
        session.execute(update(table).where(table.credential_id == from_id)
                        .values(credential_id=to_id)
                        .execution_options(synchronize_session=False))
