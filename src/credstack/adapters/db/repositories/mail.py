"""The e-mail outbox (tables in :mod:`credstack.adapters.db.tables.mail`): messages queued
once per event key, claimed for delivery, marked sent, failed, bounced, withdrawn or due
again; read one at a time, by event key, by credential, by recipient, by state; and the name
each organisation's e-mail is sent under.

Messages come back as :class:`OutboxMessage`, their times aware (SQLite hands them back naive,
in UTC)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from credstack.adapters.db import bulk
from credstack.adapters.db.tables import OrganisationRow
from credstack.adapters.db.tables.mail import MailOutboxRow, MailSenderRow
from credstack.adapters.db.times import utc

__all__ = ["CREDENTIAL_EVENTS", "OutboxMessage", "add_messages", "announcements",
           "by_message_id", "change", "choose_sender", "chosen_sender", "chosen_sender_of",
           "credential_messages", "due", "latest", "message", "message_id", "queued_keys",
           "sender", "sent_to", "states", "take"]

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
    sender_name: str | None = None
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None
    last_error: str | None = None
    subject: str | None = None
    message_id: str | None = None


def _aware(stamp: dt.datetime | None) -> dt.datetime | None:
    return utc(stamp) if stamp is not None else None


def _message(row: MailOutboxRow) -> OutboxMessage:
    return OutboxMessage(row.id, row.event_key, row.template, row.organisation, row.to_address,
                         row.language, dict(row.context), row.state, utc(row.created_at),
                         _aware(row.sent_at), row.sender_name, row.attempts,
                         _aware(row.next_attempt_at), row.last_error, row.subject,
                         row.message_id)


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


def states(session: Session, organisation: str | None = None) -> dict[str, int]:
    """How many messages (of ``organisation``'s outbox; None: of every outbox) are in each
    state."""
    where = [] if organisation is None else [MailOutboxRow.organisation == organisation]
    return {state: int(count) for state, count in session.execute(
        select(MailOutboxRow.state, func.count()).where(*where).group_by(MailOutboxRow.state))}


def latest(session: Session, *, organisation: str | None, state: str | None, limit: int
           ) -> list[OutboxMessage]:
    """The newest messages (of ``organisation``'s outbox, None: of every outbox; in
    ``state``), at most ``limit``."""
    where = [] if organisation is None else [MailOutboxRow.organisation == organisation]
    if state is not None:
        where.append(MailOutboxRow.state == state)
    return [_message(row) for row in session.scalars(select(MailOutboxRow).where(*where)
                                                     .order_by(MailOutboxRow.id.desc())
                                                     .limit(limit))]


def sent_to(session: Session, address: str, *, limit: int) -> list[OutboxMessage]:
    """The newest messages to ``address`` (lower case; any case stored), at most ``limit``."""
    return [_message(row) for row in session.scalars(select(MailOutboxRow).where(
        func.lower(MailOutboxRow.to_address) == address).order_by(
        MailOutboxRow.id.desc()).limit(limit))]


def by_message_id(session: Session, message_id: str) -> OutboxMessage | None:
    """The message sent with the ``Message-ID`` ``message_id``; None for none."""
    row = session.scalar(select(MailOutboxRow).where(MailOutboxRow.message_id == message_id))
    return None if row is None else _message(row)


def queued_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Those of the event keys ``keys`` whose message is in the outbox."""
    found: set[str] = set()
    # In slices: under the databases' bound parameter limits.
    for start in range(0, len(keys), 500):
        found.update(session.scalars(select(MailOutboxRow.event_key).where(
            MailOutboxRow.event_key.in_(keys[start:start + 500]))))
    return found


def add_messages(session: Session, rows: Sequence[Mapping[str, object]]) -> None:
    """Queue the messages ``rows`` (column name → value, the same columns in each)."""
    bulk.insert_rows(session, MailOutboxRow, rows)


def due(session: Session, *, state: str, now: dt.datetime, limit: int) -> list[OutboxMessage]:
    """The messages in ``state`` whose next attempt is due at ``now``, the longest due
    first, at most ``limit``."""
    return [_message(row) for row in session.scalars(select(MailOutboxRow).where(
        MailOutboxRow.state == state, MailOutboxRow.next_attempt_at <= now).order_by(
        MailOutboxRow.next_attempt_at, MailOutboxRow.id).limit(limit))]


def take(session: Session, message_id: int, *, state: str, attempts: int,
         until: dt.datetime, sent_as: str) -> bool:
    """Take the message for one attempt (its ``attempts`` counted, leased ``until``, to be
    sent as ``sent_as``) if it is still in ``state`` after ``attempts`` attempts: whether
    this call took it (no other deliverer took it since it was read)."""
    taken = session.execute(update(MailOutboxRow).where(
        MailOutboxRow.id == message_id, MailOutboxRow.state == state,
        MailOutboxRow.attempts == attempts).values(
        attempts=attempts + 1, next_attempt_at=until, message_id=sent_as)
        .execution_options(synchronize_session=False))
    return getattr(taken, "rowcount", 0) == 1


def change(session: Session, message_id: int, **values: object) -> None:
    """Set the message's columns ``values`` (its state and what goes with it)."""
    session.execute(update(MailOutboxRow).where(MailOutboxRow.id == message_id)
                    .values(**values))


def sender(session: Session, organisation: str) -> tuple[dict[str, str], str | None] | None:
    """The organisation's name and the sender name it chose (None: its name); None when
    there is no organisation ``organisation``."""
    row = session.execute(select(OrganisationRow.id, OrganisationRow.name).where(
        OrganisationRow.slug == organisation)).one_or_none()
    if row is None:
        return None
    return dict(row.name or {}), chosen_sender(session, row.id)


def chosen_sender(session: Session, organisation_id: int) -> str | None:
    """The sender name the organisation chose; None for none."""
    return session.scalar(select(MailSenderRow.name).where(
        MailSenderRow.organisation_id == organisation_id))


def choose_sender(session: Session, organisation_id: int, name: str | None, *,
                  at: dt.datetime) -> None:
    """The organisation's e-mail is sent under ``name`` (None: under its name)."""
    row = session.scalar(select(MailSenderRow).where(
        MailSenderRow.organisation_id == organisation_id))
    if name is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(MailSenderRow(organisation_id=organisation_id, name=name, updated_at=at))
    else:
        row.name, row.updated_at = name, at


def chosen_sender_of(session: Session, slug: str) -> str | None:
    """The sender name the organisation ``slug`` chose; None for none."""
    return session.scalar(select(MailSenderRow.name).join(
        OrganisationRow, OrganisationRow.id == MailSenderRow.organisation_id).where(
        OrganisationRow.slug == slug))

