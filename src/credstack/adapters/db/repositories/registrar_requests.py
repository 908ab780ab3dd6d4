"""Requests for the registrar's documents, their delivery links and what was done through
them (tables of :mod:`credstack.adapters.db.tables.registrar_requests`, issue 56)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.accounts import UserRow
from credstack.adapters.db.tables.registrar import RegistrarStudentRow
from credstack.adapters.db.tables.registrar_documents import (
    RegistrarDocumentRow,
    RegistrarDocumentStatusRow,
)
from credstack.adapters.db.tables.registrar_requests import (
    RegistrarDeliveryEventRow,
    RegistrarRecordHolderRow,
    RegistrarRequestRow,
    RegistrarRequestRuleRow,
)
from credstack.adapters.db.times import utc

__all__ = ["DeliveredDocument", "DeliveryEvent", "RequestRule", "StoredRequest",
           "add_event", "add_request", "by_public_id", "by_token", "decide", "events_of",
           "holds", "link_holder", "of_organisation", "of_student", "of_user",
           "organisations_with_records", "request_documents", "rule", "set_rule",
           "state_counts"]


@dataclass(frozen=True, slots=True)
class RequestRule:
    auto_approve: bool
    delivery_days: int


@dataclass(frozen=True, slots=True)
class StoredRequest:
    id: int
    public_id: str
    student_id: int
    organisation_id: int
    student_number: str
    student_name: str
    user_id: int
    user_email: str
    kinds: tuple[str, ...]
    copies: int
    language: str
    addressee: str
    state: str
    reason: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    expires_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryEvent:
    event: str
    document: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class DeliveredDocument:
    kind: str
    form: str
    language: str
    credential_id: str
    media_type: str
    content: bytes
    state: str


def rule(session: Session, organisation_id: int) -> RequestRule | None:
    row = session.scalar(select(RegistrarRequestRuleRow).where(
        RegistrarRequestRuleRow.organisation_id == organisation_id))
    return None if row is None else RequestRule(row.auto_approve, row.delivery_days)


def set_rule(session: Session, *, organisation_id: int, auto_approve: bool,
             delivery_days: int, now: dt.datetime) -> None:
    row = session.scalar(select(RegistrarRequestRuleRow).where(
        RegistrarRequestRuleRow.organisation_id == organisation_id))
    if row is None:
        row = RegistrarRequestRuleRow(organisation_id=organisation_id)
        session.add(row)
    row.auto_approve = auto_approve
    row.delivery_days = delivery_days
    row.updated_at = now
    session.flush()


def holds(session: Session, *, student_id: int, user_id: int) -> bool:
    """Whether the registrar has confirmed the account as the record's student."""
    return session.scalar(select(RegistrarRecordHolderRow.id).where(
        RegistrarRecordHolderRow.student_id == student_id,
        RegistrarRecordHolderRow.user_id == user_id)) is not None


def link_holder(session: Session, *, student_id: int, user_id: int, now: dt.datetime) -> None:
    if not holds(session, student_id=student_id, user_id=user_id):
        session.add(RegistrarRecordHolderRow(student_id=student_id, user_id=user_id,
                                             linked_at=now))
        session.flush()


def add_request(session: Session, *, public_id: str, student_id: int, user_id: int,
                kinds: tuple[str, ...], copies: int, language: str, addressee: str,
                now: dt.datetime) -> int:
    row = RegistrarRequestRow(public_id=public_id, student_id=student_id, user_id=user_id,
                              kinds=" ".join(kinds), copies=copies, language=language,
                              addressee=addressee, state="pending", created_at=now)
    session.add(row)
    session.flush()
    return row.id


def decide(session: Session, *, request_id: int, state: str, reason: str | None,
           by: str, now: dt.datetime, token_hash: str | None = None,
           expires_at: dt.datetime | None = None) -> None:
    row = session.get(RegistrarRequestRow, request_id, with_for_update=True)
    assert row is not None, "the caller read the request in this transaction"
    row.state = state
    row.reason = reason
    row.decided_by = by
    row.decided_at = now
    row.token_hash = token_hash
    row.expires_at = expires_at
    session.flush()


def _maybe(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else utc(moment)


_SELECT = (select(RegistrarRequestRow, RegistrarStudentRow.organisation_id,
                  RegistrarStudentRow.student_number, RegistrarStudentRow.name, UserRow.email)
           .join(RegistrarStudentRow, RegistrarStudentRow.id == RegistrarRequestRow.student_id)
           .join(UserRow, UserRow.id == RegistrarRequestRow.user_id))


def _stored(found: Row[RegistrarRequestRow, int, str, str, str]) -> StoredRequest:
    row, organisation_id, number, name, email = found
    return StoredRequest(row.id, row.public_id, row.student_id, organisation_id, number, name,
                         row.user_id, email, tuple(row.kinds.split()), row.copies,
                         row.language, row.addressee, row.state, row.reason,
                         utc(row.created_at), _maybe(row.decided_at), row.decided_by,
                         _maybe(row.expires_at))


def by_public_id(session: Session, public_id: str) -> StoredRequest | None:
    found = session.execute(_SELECT.where(RegistrarRequestRow.public_id == public_id)).first()
    return None if found is None else _stored(found)


def by_token(session: Session, token_hash: str) -> StoredRequest | None:
    found = session.execute(_SELECT.where(RegistrarRequestRow.token_hash == token_hash)).first()
    return None if found is None else _stored(found)


def of_user(session: Session, user_id: int) -> list[StoredRequest]:
    """The account's requests, newest first."""
    return [_stored(found) for found in session.execute(
        _SELECT.where(RegistrarRequestRow.user_id == user_id)
        .order_by(RegistrarRequestRow.id.desc()))]


def of_organisation(session: Session, organisation_id: int, *, state: str | None = None,
                    limit: int = 200) -> list[StoredRequest]:
    """The organisation's requests in ``state`` (every state when ``None``), oldest first
    for the pending queue, newest first otherwise."""
    statement = _SELECT.where(RegistrarStudentRow.organisation_id == organisation_id)
    if state is not None:
        statement = statement.where(RegistrarRequestRow.state == state)
    order = (RegistrarRequestRow.id if state == "pending" else RegistrarRequestRow.id.desc())
    return [_stored(found) for found in
            session.execute(statement.order_by(order).limit(limit))]


def of_student(session: Session, student_id: int) -> list[StoredRequest]:
    """The requests made of one record, oldest first."""
    return [_stored(found) for found in session.execute(
        _SELECT.where(RegistrarRequestRow.student_id == student_id)
        .order_by(RegistrarRequestRow.id))]


def state_counts(session: Session, organisation_id: int) -> dict[str, int]:
    """How many of the organisation's requests are in each state."""
    rows = session.execute(
        select(RegistrarRequestRow.state, func.count())
        .join(RegistrarStudentRow, RegistrarStudentRow.id == RegistrarRequestRow.student_id)
        .where(RegistrarStudentRow.organisation_id == organisation_id)
        .group_by(RegistrarRequestRow.state))
    return {state: count for state, count in rows}


def organisations_with_records(session: Session) -> list[int]:
    """The organisations that hold students' records (those a student may ask)."""
    return list(session.scalars(select(RegistrarStudentRow.organisation_id).distinct()
                                .order_by(RegistrarStudentRow.organisation_id)))


def add_event(session: Session, *, request_id: int, event: str, document: str,
              now: dt.datetime) -> None:
    session.add(RegistrarDeliveryEventRow(request_id=request_id, event=event,
                                          document=document[:220], at=now))
    session.flush()


def events_of(session: Session, request_ids: list[int]) -> dict[int, list[DeliveryEvent]]:
    """Each request's views and downloads, oldest first."""
    found: dict[int, list[DeliveryEvent]] = {request_id: [] for request_id in request_ids}
    if request_ids:
        for row in session.scalars(select(RegistrarDeliveryEventRow).where(
                RegistrarDeliveryEventRow.request_id.in_(request_ids))
                .order_by(RegistrarDeliveryEventRow.id)):
            found[row.request_id].append(DeliveryEvent(row.event, row.document, utc(row.at)))
    return found


def request_documents(session: Session, *, student_id: int, batch: str
                      ) -> list[DeliveredDocument]:
    """The forms issued for a request (its batch), with their status entry's state."""
    rows = session.execute(
        select(RegistrarDocumentRow, RegistrarDocumentStatusRow.state)
        .join(RegistrarDocumentStatusRow,
              RegistrarDocumentStatusRow.id == RegistrarDocumentRow.status_id)
        .where(RegistrarDocumentStatusRow.student_id == student_id,
               RegistrarDocumentRow.batch == batch)
        .order_by(RegistrarDocumentRow.id))
    return [DeliveredDocument(row.kind, row.form, row.language, row.credential_id,
                              row.media_type, row.content, state) for row, state in rows]
