"""The registrar's documents (tables of :mod:`credstack.adapters.db.tables.
registrar_documents`): a record's one status entry, the forms issued under it (issue 56)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.status_lists import Slot
from credstack.adapters.db.tables import StatusListRow
from credstack.adapters.db.tables.registrar import RegistrarStudentRow
from credstack.adapters.db.tables.registrar_documents import (
    RegistrarDocumentRow,
    RegistrarDocumentStatusRow,
)
from credstack.adapters.db.times import utc

__all__ = ["DocumentStatus", "NewDocument", "StoredDocument", "add_documents",
           "add_status_entry", "credential_content", "documents_of", "entries_of",
           "inactive_entries", "numbers_in_standing", "set_state", "status_entry", "taken_keys"]

#: Keys per statement: well under SQLite's 32,766 bound parameters.
_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class DocumentStatus:
    """A record's status entry for one version of it."""

    id: int
    student_id: int
    record_version: int
    slot: Slot
    state: str
    created_at: dt.datetime
    state_changed_at: dt.datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class NewDocument:
    status_id: int
    request_key: str
    kind: str
    form: str
    language: str
    credential_id: str
    media_type: str
    content: bytes
    batch: str | None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    kind: str
    form: str
    language: str
    credential_id: str
    media_type: str
    content: bytes
    created_at: dt.datetime
    state: str
    record_version: int


def _status(row: RegistrarDocumentStatusRow, number: int) -> DocumentStatus:
    return DocumentStatus(row.id, row.student_id, row.record_version,
                          Slot(row.status_list_id, number, row.status_index), row.state,
                          utc(row.created_at),
                          utc(row.state_changed_at) if row.state_changed_at else None,
                          row.reason)


def _number(session: Session, list_id: int) -> int:
    number = session.scalar(select(StatusListRow.number).where(StatusListRow.id == list_id))
    assert number is not None, "a status entry's list exists (foreign key)"
    return number


def status_entry(session: Session, *, student_id: int, record_version: int
                 ) -> DocumentStatus | None:
    """The status entry of the student's record at ``record_version``, if any."""
    row = session.scalar(select(RegistrarDocumentStatusRow).where(
        RegistrarDocumentStatusRow.student_id == student_id,
        RegistrarDocumentStatusRow.record_version == record_version))
    return None if row is None else _status(row, _number(session, row.status_list_id))


def entries_of(session: Session, *, student_id: int) -> list[DocumentStatus]:
    """Every status entry of the student's documents, newest version first."""
    rows = session.scalars(select(RegistrarDocumentStatusRow).where(
        RegistrarDocumentStatusRow.student_id == student_id)
        .order_by(RegistrarDocumentStatusRow.record_version.desc()))
    return [_status(row, _number(session, row.status_list_id)) for row in rows]


def add_status_entry(session: Session, *, student_id: int, record_version: int, slot: Slot,
                     now: dt.datetime) -> DocumentStatus:
    row = RegistrarDocumentStatusRow(student_id=student_id, record_version=record_version,
                                     status_list_id=slot.list_id, status_index=slot.index,
                                     state="active", created_at=now)
    session.add(row)
    session.flush()
    return _status(row, slot.number)


def set_state(session: Session, *, status_id: int, state: str, now: dt.datetime,
              reason: str | None) -> None:
    row = session.get(RegistrarDocumentStatusRow, status_id, with_for_update=True)
    assert row is not None, "the caller read the entry in this transaction"
    row.state = state
    row.state_changed_at = now
    row.reason = reason
    session.flush()


def taken_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` name documents already stored."""
    wanted = list(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(session.scalars(select(RegistrarDocumentRow.request_key).where(
            RegistrarDocumentRow.request_key.in_(wanted[start:start + _CHUNK]))))
    return found


def inactive_entries(session: Session, *, status_ids: Iterable[int]) -> set[int]:
    """Which of the status entries ``status_ids`` are no longer active (withdrawn)."""
    return set(session.scalars(select(RegistrarDocumentStatusRow.id).where(
        RegistrarDocumentStatusRow.id.in_(list(status_ids)),
        RegistrarDocumentStatusRow.state != "active")))


def add_documents(session: Session, *, documents: Sequence[NewDocument],
                  now: dt.datetime) -> None:
    if documents:
        session.execute(insert(RegistrarDocumentRow), [
            {"status_id": item.status_id, "request_key": item.request_key, "kind": item.kind,
             "form": item.form, "language": item.language,
             "credential_id": item.credential_id, "media_type": item.media_type,
             "content": item.content, "batch": item.batch, "created_at": now}
            for item in documents])


def documents_of(session: Session, *, student_id: int) -> list[StoredDocument]:
    """Every form issued from the student's record, oldest first, with its entry's state."""
    rows = session.execute(
        select(RegistrarDocumentRow, RegistrarDocumentStatusRow.state,
               RegistrarDocumentStatusRow.record_version)
        .join(RegistrarDocumentStatusRow,
              RegistrarDocumentStatusRow.id == RegistrarDocumentRow.status_id)
        .where(RegistrarDocumentStatusRow.student_id == student_id)
        .order_by(RegistrarDocumentRow.id))
    return [StoredDocument(row.kind, row.form, row.language, row.credential_id,
                           row.media_type, row.content, utc(row.created_at), state, version)
            for row, state, version in rows]


def numbers_in_standing(session: Session, *, organisation_id: int, standings: Sequence[str]
                        ) -> list[str]:
    """The 学籍番号 of the organisation's students in one of ``standings``, in order."""
    return list(session.scalars(select(RegistrarStudentRow.student_number).where(
        RegistrarStudentRow.organisation_id == organisation_id,
        RegistrarStudentRow.standing.in_(list(standings)))
        .order_by(RegistrarStudentRow.student_number)))


def credential_content(session: Session, *, credential_id: str) -> bytes | None:
    """The credential or the CLR whose id is ``credential_id``, as issued (a PDF carries the
    credential of its id: the credential is what is read)."""
    return session.scalar(select(RegistrarDocumentRow.content).where(
        RegistrarDocumentRow.credential_id == credential_id,
        RegistrarDocumentRow.form.in_(("vc", "clr"))).limit(1))
