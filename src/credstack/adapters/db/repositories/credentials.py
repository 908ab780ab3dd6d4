"""Issued credentials in the store: recording them, finding them, changing their status.

A credential is stored exactly as it was handed out (JSON text, or the compact JWS of a
VC-JWT) with its place in its organisation's status lists. Its ``state`` mirrors the bits
of those lists: ``active``, ``suspended`` or ``revoked``. Revocation is final (Bitstring
Status List v1.0 §2.1: a revoked credential is not reinstated); suspension is lifted by
reinstating.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import status_lists
from credstack.adapters.db.repositories.stamps import utc
from credstack.adapters.db.tables import IssuedCredentialRow, OrganisationRow
from credstack.core.status.changes import StatusChange, transition
from credstack.errors import NotFoundError

__all__ = [
    "NewCredential",
    "StoredCredential",
    "by_request_keys",
    "change_status",
    "get_credential",
    "insert_credentials",
    "list_credentials",
]


@dataclass(frozen=True, slots=True)
class _Credential:
    """A signed credential as it was handed out, and what it was issued for."""

    credential_id: str
    request_key: str | None
    programme_version_id: int | None
    learner: str | None
    batch: str | None
    securing: str
    document: str


@dataclass(frozen=True, slots=True)
class NewCredential(_Credential):
    """A signed credential about to be recorded."""

    slot: status_lists.Slot
    purposes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredCredential(_Credential):
    """A recorded credential, with its place in its organisation's status lists."""

    organisation: str
    status_list: int
    status_index: int
    purposes: tuple[str, ...]
    state: str
    issued_at: dt.datetime
    state_changed_at: dt.datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "credentialId": self.credential_id, "organisation": self.organisation,
            "learner": self.learner, "batch": self.batch, "securing": self.securing,
            "statusList": self.status_list, "statusListIndex": str(self.status_index),
            "statusPurposes": list(self.purposes),
            "state": self.state, "issuedAt": self.issued_at.isoformat(),
            "stateChangedAt": (self.state_changed_at.isoformat()
                               if self.state_changed_at is not None else None),
        }


def _stored(row: IssuedCredentialRow, organisation: str, number: int) -> StoredCredential:
    return StoredCredential(
        credential_id=row.credential_id, organisation=organisation, request_key=row.request_key,
        programme_version_id=row.programme_version_id, learner=row.learner, batch=row.batch,
        securing=row.securing, document=row.document, status_list=number,
        status_index=row.status_index, purposes=tuple(row.purposes.split(",")),
        state=row.state, issued_at=utc(row.issued_at),
        state_changed_at=utc(row.state_changed_at) if row.state_changed_at else None)


def insert_credentials(session: Session, *, organisation_id: int,
                       credentials: Sequence[NewCredential], now: dt.datetime) -> None:
    """Record signed credentials (one multi-row insert; nothing is committed here)."""
    if not credentials:
        return
    session.execute(insert(IssuedCredentialRow), [{
        "credential_id": item.credential_id, "request_key": item.request_key,
        "organisation_id": organisation_id, "programme_version_id": item.programme_version_id,
        "learner": item.learner, "batch": item.batch, "securing": item.securing,
        "document": item.document, "status_list_id": item.slot.list_id,
        "status_index": item.slot.index, "purposes": ",".join(item.purposes),
        "state": "active", "issued_at": now,
        "state_changed_at": None,
    } for item in credentials])


def by_request_keys(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """The stored documents of the credentials issued for ``keys`` (request key → document)."""
    wanted = list(keys)
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start:start + 5000]
        query = select(IssuedCredentialRow.request_key, IssuedCredentialRow.document).where(
            IssuedCredentialRow.request_key.in_(chunk))
        found.update((key, document) for key, document in session.execute(query) if key)
    return found


def _row(session: Session, credential_id: str, *, lock: bool = False
         ) -> tuple[IssuedCredentialRow, str]:
    query = (select(IssuedCredentialRow, OrganisationRow.slug).join(OrganisationRow)
             .where(IssuedCredentialRow.credential_id == credential_id))
    result = session.execute(query.with_for_update() if lock else query).first()
    if result is None:
        raise NotFoundError(f"credstack issued no credential with id {credential_id!r}.")
    return result[0], result[1]


def get_credential(session: Session, *, credential_id: str) -> StoredCredential:
    row, organisation = _row(session, credential_id)
    _, number = status_lists.find_slot(session, list_id=row.status_list_id)
    return _stored(row, organisation, number)


def list_credentials(session: Session, *, organisation: str | None = None,
                     batch: str | None = None, limit: int = 100) -> list[StoredCredential]:
    """Recently issued credentials, newest first, optionally of one organisation or batch."""
    query = (select(IssuedCredentialRow, OrganisationRow.slug).join(OrganisationRow)
             .order_by(IssuedCredentialRow.id.desc()).limit(limit))
    if organisation is not None:
        query = query.where(OrganisationRow.slug == organisation)
    if batch is not None:
        query = query.where(IssuedCredentialRow.batch == batch)
    rows = session.execute(query).all()
    numbers = {row.status_list_id: status_lists.find_slot(session, list_id=row.status_list_id)[1]
               for row, _ in rows}
    return [_stored(row, slug, numbers[row.status_list_id]) for row, slug in rows]


def change_status(session: Session, *, credential_id: str, action: StatusChange,
                  now: dt.datetime,
                  organisation: str | None = None) -> StoredCredential:
    """Revoke, suspend or reinstate a credential; its status lists change in the same
    transaction. Refused (:class:`~credstack.errors.ConflictError`) when the credential's
    state does not allow it; with ``organisation``, refused unless it issued the credential.
    """
    row, issuer = _row(session, credential_id, lock=True)
    if organisation is not None and issuer != organisation:
        raise NotFoundError(f"{organisation!r} issued no credential with id {credential_id!r}.")
    result = transition(action, credential_id=credential_id, state=row.state,
                        purposes=frozenset(row.purposes.split(",")))
    status_lists.set_bits(session, list_id=row.status_list_id,
                          changes=[(purpose, row.status_index, value)
                                   for purpose, value in result.bits], now=now)
    row.state = result.state
    row.state_changed_at = now
    session.flush()
    _, number = status_lists.find_slot(session, list_id=row.status_list_id)
    return _stored(row, issuer, number)
