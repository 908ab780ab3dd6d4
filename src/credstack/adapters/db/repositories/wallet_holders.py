"""Learners as holders: each one's holder key (sealed) and the identifiers credentials name
them by (tables in :mod:`credstack.adapters.db.tables.wallet`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.wallet import HolderKeyRow, WalletIdentifierRow
from credstack.adapters.keystore import SealedKey

__all__ = [
    "HolderKeyRecord",
    "IdentifierRecord",
    "add_identifier",
    "add_key",
    "identifier_records",
    "identifiers",
    "key",
    "opened",
    "owner_of",
    "remove_identifier",
]

# Built once and run on the session's connection: every import and every reading of the
# record asks them, and building a statement and the ORM's bookkeeping cost more than the
# statement itself.
_OPENED = select(HolderKeyRow.id).where(HolderKeyRow.user_id == bindparam("user_id"))
_IDENTIFIERS = select(WalletIdentifierRow.kind, WalletIdentifierRow.value).where(
    WalletIdentifierRow.user_id == bindparam("user_id")).order_by(WalletIdentifierRow.id)
_VERIFIED_IDENTIFIERS = select(WalletIdentifierRow.kind, WalletIdentifierRow.value).where(
    WalletIdentifierRow.user_id == bindparam("user_id"),
    WalletIdentifierRow.verified_at.is_not(None)).order_by(WalletIdentifierRow.id)


@dataclass(frozen=True, slots=True)
class HolderKeyRecord:
    """A holder key as stored: the public half in the clear, the secret sealed."""

    key_type: str
    public_multibase: str
    master_key_id: str
    encrypted_secret: bytes
    nonce: bytes


@dataclass(frozen=True, slots=True)
class IdentifierRecord:
    kind: str
    value: str
    verified: bool
    #: As stored (SQLite gives it back naive).
    created_at: dt.datetime


def opened(session: Session, user_id: int) -> bool:
    """Whether the user's wallet has its holder key (it was opened)."""
    return bool(session.connection().scalar(_OPENED, {"user_id": user_id}))


def add_key(session: Session, *, user_id: int, sealed: SealedKey, at: dt.datetime) -> None:
    """Keep the user's holder key."""
    session.add(HolderKeyRow(user_id=user_id, key_type=str(sealed.key_type),
                             public_multibase=sealed.public_multibase,
                             master_key_id=sealed.master_key_id,
                             encrypted_secret=sealed.ciphertext, nonce=sealed.nonce,
                             created_at=at))


def key(session: Session, user_id: int) -> HolderKeyRecord | None:
    """The user's holder key; None before their wallet is opened."""
    row = session.scalar(select(HolderKeyRow).where(HolderKeyRow.user_id == user_id))
    return None if row is None else HolderKeyRecord(
        row.key_type, row.public_multibase, row.master_key_id, row.encrypted_secret, row.nonce)


def owner_of(session: Session, *, kind: str, value: str) -> int | None:
    """The user whose identifier this is; None for nobody's."""
    return session.scalar(select(WalletIdentifierRow.user_id).where(
        WalletIdentifierRow.kind == kind, WalletIdentifierRow.value == value))


def identifiers(session: Session, user_id: int, *, verified_only: bool = False
                ) -> list[tuple[str, str]]:
    """(kind, value) of the user's identifiers (only the verified ones with
    ``verified_only``), in the order they were added."""
    query = _VERIFIED_IDENTIFIERS if verified_only else _IDENTIFIERS
    return [(kind, value) for kind, value in session.connection().execute(
        query, {"user_id": user_id})]


def identifier_records(session: Session, user_id: int) -> list[IdentifierRecord]:
    """The user's identifiers, in the order they were added."""
    return [IdentifierRecord(row.kind, row.value, row.verified_at is not None, row.created_at)
            for row in session.scalars(select(WalletIdentifierRow).where(
                WalletIdentifierRow.user_id == user_id).order_by(WalletIdentifierRow.id))]


def add_identifier(session: Session, *, user_id: int, kind: str, value: str, at: dt.datetime,
                   verified: bool) -> None:
    """Give the user the identifier (verified at ``at`` with ``verified``)."""
    session.add(WalletIdentifierRow(user_id=user_id, kind=kind, value=value, created_at=at,
                                    verified_at=at if verified else None))


def remove_identifier(session: Session, *, user_id: int, kind: str, value: str) -> None:
    """Take the identifier from the user."""
    session.execute(delete(WalletIdentifierRow).where(
        WalletIdentifierRow.user_id == user_id, WalletIdentifierRow.kind == kind,
        WalletIdentifierRow.value == value))
