"""The e-mail outbox as services read it: one message, the message an event key names, the
messages about one credential, and whom a credential's issuance was announced to (table in
:mod:`credstack.adapters.db.tables.mail`).

Messages come back as :class:`OutboxMessage`, their times aware (SQLite hands them back naive,
in UTC)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.stamps import utc
from credstack.adapters.db.tables.mail import MailOutboxRow

__all__ = ["CREDENTIAL_EVENTS", "OutboxMessage", "announcements", "credential_messages",
           "message", "message_id", "states"]

#: The e-mails about one credential: their event keys begin ``<event>:<credential id>:``.
CREDENTIAL_EVENTS: Final = ("credential.issued", "credential.reminder", "credential.expiring",
                            "credential.revoked", "credential.suspended",
                            "credential.reinstated")


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A message of the outbox: what it is about, to whom, in which language, and how far
    it went."""

    id: int
    event_key: str
    template: str
    organisation: str | None
    to_address: str
    language: str
    context: dict[str, Any]
    state: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


def _message(row: MailOutboxRow) -> OutboxMessage:
    return OutboxMessage(row.id, row.event_key, row.template, row.organisation, row.to_address,
                         row.language, dict(row.context), row.state, utc(row.created_at),
                         utc(row.sent_at) if row.sent_at is not None else None)


def message(session: Session, message_id: int) -> OutboxMessage | None:
    """The message ``message_id``; None for none."""
    row = session.get(MailOutboxRow, message_id)
    return None if row is None else _message(row)


def message_id(session: Session, event_key: str) -> int | None:
    """The id of the message of ``event_key`` (each event is mailed once); None for none."""
    return session.scalar(select(MailOutboxRow.id).where(MailOutboxRow.event_key == event_key))


def _about(session: Session, event: str, credential_id: str, *conditions: Any
           ) -> list[MailOutboxRow]:
    """The messages of ``event`` about ``credential_id``: a range of the unique index on
    ``event_key``, which a LIKE would not use on SQLite."""
    prefix = f"{event}:{credential_id}:"
    return list(session.scalars(select(MailOutboxRow).where(
        MailOutboxRow.event_key >= prefix, MailOutboxRow.event_key < prefix + "\U0010ffff",
        *conditions)))


def credential_messages(session: Session, credential_id: str) -> list[OutboxMessage]:
    """The outbox's messages about ``credential_id``, oldest first."""
    found = [row for event in CREDENTIAL_EVENTS for row in _about(session, event, credential_id)]
    return [_message(row) for row in sorted(found, key=lambda row: row.id)]


def announcements(session: Session, credential_id: str, *, template: str,
                  states: tuple[str, ...]) -> list[OutboxMessage]:
    """The credential's "issued" e-mails (of ``template``) in one of ``states``: whom its
    issuance was announced to, in which language, with what context."""
    return [_message(row) for row in _about(
        session, "credential.issued", credential_id, MailOutboxRow.template == template,
        MailOutboxRow.state.in_(states))]


def states(session: Session) -> dict[str, int]:
    """How many messages of the outbox are in each state."""
    return {state: int(count) for state, count in session.execute(
        select(MailOutboxRow.state, func.count()).group_by(MailOutboxRow.state))}
