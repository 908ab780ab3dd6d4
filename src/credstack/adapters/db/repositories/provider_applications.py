"""Providers' applications to join the platform and the documents they attach (tables in
:mod:`credstack.adapters.db.tables.console`): stored, listed, read, decided.

Applications come back as :class:`StoredApplication` (times as the store gives them); the
unique index that keeps one waiting or approved application per corporate number answers
:func:`add` with None, never with the database's error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import ProviderApplicationRow, ProviderDocumentRow
from credstack.core.console.applications import ApplicationStatus
from credstack.errors import ConflictError

__all__ = ["NewDocument", "StoredApplication", "StoredDocument", "add", "application",
           "applications", "count_for", "decide", "document"]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document of an application as kept (without its bytes)."""

    id: int
    filename: str
    media_type: str
    size: int


@dataclass(frozen=True, slots=True)
class NewDocument:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class StoredApplication:
    """An organisation's application to join as a provider, with its documents: what the
    operator's queue and the applicant's receipt show."""

    id: int
    public_id: str
    name: dict[str, str]
    corporate_number: str
    kind: str
    contact_name: str
    email: str
    language: str
    status: ApplicationStatus
    reason: str | None
    organisation_slug: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    documents: tuple[StoredDocument, ...]


def _stored(session: Session, row: ProviderApplicationRow) -> StoredApplication:
    documents = tuple(StoredDocument(*found) for found in session.execute(select(
        ProviderDocumentRow.id, ProviderDocumentRow.filename, ProviderDocumentRow.media_type,
        ProviderDocumentRow.size).where(ProviderDocumentRow.application_id == row.id)
        .order_by(ProviderDocumentRow.id)))
    return StoredApplication(row.id, row.public_id, dict(row.name), row.corporate_number,
                             row.kind, row.contact_name, row.email, row.language,
                             ApplicationStatus(row.status),
                             row.reason, row.organisation_slug, row.created_at,
                             row.decided_at, documents)


def count_for(session: Session, corporate_number: str, *, statuses: Collection[str]) -> int:
    """How many applications for ``corporate_number`` are in one of ``statuses``."""
    return session.scalar(select(func.count()).select_from(ProviderApplicationRow).where(
        ProviderApplicationRow.corporate_number == corporate_number,
        ProviderApplicationRow.status.in_(list(statuses)))) or 0


def add(session: Session, *, public_id: str, name: dict[str, str], corporate_number: str,
        kind: str, contact_name: str, email: str, language: str, status: str,
        at: dt.datetime, documents: Sequence[NewDocument]) -> StoredApplication:
    """A new application and its documents; :class:`~credstack.errors.ConflictError` when one
    for the same corporate number was stored at the same moment (the unique index refused
    it; the transaction is then abandoned)."""
    row = ProviderApplicationRow(public_id=public_id, name=name,
                                 corporate_number=corporate_number, kind=kind,
                                 contact_name=contact_name, email=email, language=language,
                                 status=status, created_at=at)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(f"An application for the corporate number {corporate_number} "
                            "was stored at the same time.") from None
    session.add_all(ProviderDocumentRow(application_id=row.id, filename=item.filename,
                                        media_type=item.media_type, size=len(item.content),
                                        content=item.content) for item in documents)
    session.flush()
    return _stored(session, row)


def applications(session: Session, *, status: str | None, limit: int
                 ) -> list[StoredApplication]:
    """The applications (of ``status``), oldest first, at most ``limit``."""
    query = select(ProviderApplicationRow).order_by(ProviderApplicationRow.created_at,
                                                    ProviderApplicationRow.id)
    if status is not None:
        query = query.where(ProviderApplicationRow.status == status)
    return [_stored(session, row) for row in session.scalars(query.limit(limit))]


def application(session: Session, public_id: str, *, lock: bool = False
                ) -> StoredApplication | None:
    """The application ``public_id`` (its row locked for update when ``lock``); None for
    none."""
    query = select(ProviderApplicationRow).where(ProviderApplicationRow.public_id == public_id)
    row = session.scalar(query.with_for_update() if lock else query)
    return None if row is None else _stored(session, row)


def document(session: Session, application_id: int, document_id: int
             ) -> tuple[StoredDocument, bytes] | None:
    """The document ``document_id`` of the application ``application_id``, and its content;
    None for none."""
    found = session.get(ProviderDocumentRow, document_id)
    if found is None or found.application_id != application_id:
        return None
    return (StoredDocument(found.id, found.filename, found.media_type, found.size),
            bytes(found.content))


def decide(session: Session, application_id: int, *, status: str, at: dt.datetime, by: str,
           reason: str | None = None, organisation_slug: str | None = None
           ) -> StoredApplication:
    """Give the application its decision (``status``, with the refusal's ``reason`` or the
    approved organisation's slug)."""
    row = session.get(ProviderApplicationRow, application_id)
    assert row is not None
    row.status, row.decided_at, row.decided_by = status, at, by
    if reason is not None:
        row.reason = reason
    if organisation_slug is not None:
        row.organisation_slug = organisation_slug
    session.flush()
    return _stored(session, row)
