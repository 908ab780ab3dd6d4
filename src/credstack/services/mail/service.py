"""The outbox: queueing in the event's transaction, delivering what is due, bounces.

**Exactly one message per event.** :func:`queue` runs inside the transaction that makes the
event (the credential's, the reminder's), so the message exists exactly when the event does,
and its event key is unique in the outbox, so queueing the same event again adds nothing.

**Delivery** (:func:`deliver`) claims up to ``limit`` due pending messages in one short
transaction — each claim counts an attempt and moves the message's next attempt
:data:`LEASE` ahead, so a second deliverer running at the same time (another worker, another
machine) skips it — then sends them over one SMTP connection and records each outcome in a
transaction of its own, with an audit entry (``mail.sent``, ``mail.failed``):

* accepted → ``sent`` with the time and the ``Message-ID`` it went with;
* refused with a 5xx reply, or unrenderable → ``failed``, never tried again;
* refused with a 4xx reply, or the server unreachable, without STARTTLS, its certificate
  unverified, the login refused → still ``pending``, with the error and the next attempt
  after an exponential back-off (1, 2, 4 … minutes, at most 6 hours), until
  :data:`~credstack.core.mail.MAX_ATTEMPTS` tries are spent (then ``failed``).

A deliverer killed between the server's acceptance and the record of it leaves the message
``pending``; it is sent again when the lease ends, with the same ``Message-ID`` (SMTP gives
no way to ask whether a message was accepted, so at most that message is doubled, and
receiving systems may discard the copy by its Message-ID).

Without ``CREDSTACK_SMTP_HOST`` nothing is sent and nothing is lost: messages wait in the
outbox, which says that sending is not configured.

**One message** (:func:`shown`) is read as its recipient would (subject and text written
from its stored context), and may be sent again (:func:`resend`: pending and due now, its
tries counted afresh; audited ``mail.resend``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from jinja2 import TemplateError

from credstack.adapters.db.repositories import logos as logo_store
from credstack.adapters.db.repositories import mail as store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories.mail import OutboxMessage as StoredMessage
from credstack.adapters.db.transactions import Session
from credstack.adapters.mail.catalogue import LANGUAGES
from credstack.adapters.mail.messages import compose
from credstack.adapters.mail.rendering import CREDENTIAL_ISSUED, TEMPLATES, Rendered, render
from credstack.adapters.mail.smtp import MailTransport, SmtpServer, connect
from credstack.core.access import Action, Actor
from credstack.core.activity.events import Channel, Kind
from credstack.core.mail import MAX_ATTEMPTS, MailState, is_mail_address, next_attempt
from credstack.core.mail.bounces import read_bounce
from credstack.errors import (
    ConflictError,
    InputError,
    MailRefusedError,
    MailServerError,
    NotFoundError,
    Problem,
)
from credstack.services import audit, counting
from credstack.services import operations as metrics
from credstack.services.runtime import Runtime
from credstack.settings import Settings

__all__ = ["LEASE", "NO_MAILBOX", "DeliveryReport", "NewMessage", "Outbox", "OutboxMessage",
           "ShownMessage", "chosen_sender_name", "deliver", "logo_address", "mailbox",
           "mailbox_html", "outbox", "queue", "queue_many", "record_bounce", "resend",
           "sender_name", "set_sender_name", "shown"]

#: How long a claimed message is left to its deliverer before another may try it.
LEASE: Final = dt.timedelta(minutes=10)
#: The longest error text kept with a message.
_ERROR_LENGTH: Final = 2000


# --- queueing -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewMessage:
    """One message to queue (see :func:`queue`)."""

    event: str
    to: str
    template: str
    context: Mapping[str, Any]
    organisation: str | None
    language: str = "ja"


def queue(session: Session, *, event: str, to: str, template: str,
          context: Mapping[str, Any], organisation: str | None, language: str,
          now: dt.datetime) -> bool:
    """Queue the e-mail of ``event`` to ``to`` in the caller's transaction; ``False`` when
    that event's e-mail was queued before (nothing is added)."""
    return queue_many(session, [NewMessage(event, to, template, context, organisation,
                                           language)], now=now) == 1


def queue_many(session: Session, messages: Sequence[NewMessage], *, now: dt.datetime) -> int:
    """Queue ``messages`` in the caller's transaction (one query for those already queued,
    one insert for the rest); how many were new."""
    problems = [Problem(f"messages[{index}].{where}", what)
                for index, message in enumerate(messages)
                for where, what in _problems(message)]
    if problems:
        raise InputError("An e-mail cannot be queued as given.", problems=problems)
    keys = list(dict.fromkeys(message.event for message in messages))
    existing = store.queued_keys(session, keys)
    names: dict[tuple[str | None, str], str | None] = {}
    fresh: list[dict[str, Any]] = []
    for message in messages:
        if message.event in existing:
            continue
        existing.add(message.event)
        where = (message.organisation, message.language)
        if where not in names:
            names[where] = sender_name(session, organisation=message.organisation,
                                       language=message.language)
        fresh.append({
            "event_key": message.event, "organisation": message.organisation,
            "sender_name": names[where], "to_address": message.to,
            "language": message.language, "template": message.template,
            "context": dict(message.context), "state": MailState.PENDING.value,
            "attempts": 0, "next_attempt_at": now, "created_at": now})
    store.add_messages(session, fresh)
    if fresh:
        metrics.after_commit(session, lambda: metrics.count_mail("queued", len(fresh)))
    return len(fresh)


def _problems(message: NewMessage) -> list[tuple[str, str]]:
    found = []
    if not message.event or len(message.event) > 255:
        found.append(("event", "1 to 255 characters (see credstack.core.mail.event_key)"))
    if not is_mail_address(message.to):
        found.append(("to", f"{message.to!r} is not an e-mail address"))
    if message.template not in TEMPLATES:
        found.append(("template", f"one of {', '.join(sorted(TEMPLATES))}"))
    if message.language not in LANGUAGES:
        found.append(("language", f"one of {', '.join(LANGUAGES)}"))
    return found


def sender_name(session: Session, *, organisation: str | None, language: str) -> str | None:
    """The name an organisation's e-mail is sent under: the one it chose, else its name in
    ``language``; ``None`` for the platform's own e-mail."""
    if organisation is None:
        return None
    found = store.sender(session, organisation)
    if found is None:
        return None
    names, chosen = found
    if chosen:
        return chosen
    return next((names[tag] for tag in (language, "ja", "en", *names) if names.get(tag)),
                organisation)


def set_sender_name(runtime: Runtime, *, actor: Actor, organisation: str, name: str | None
                    ) -> None:
    """Send ``organisation``'s e-mail under ``name`` from now on (``None``: under its name
    again); for whoever may update the organisation. Audited as ``mail.sender_named``."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    chosen = " ".join((name or "").split()) or None
    if chosen is not None and len(chosen) > 200:
        raise InputError("A sender name has at most 200 characters.",
                         problems=[Problem("name", f"{len(chosen)} characters")])
    now = runtime.now()
    with runtime.transaction() as session:
        found = organisation_store.find_row(session, organisation)
        if found is None:
            raise NotFoundError(f"No organisation {organisation!r}.")
        if store.chosen_sender(session, found.id) == chosen:
            return
        store.choose_sender(session, found.id, chosen, at=now)
        audit.record(session, at=now, actor=principal.subject, action="mail.sender_named",
                     subject=f"organisation:{organisation}", details={"name": chosen})


def chosen_sender_name(runtime: Runtime, *, actor: Actor, organisation: str) -> str | None:
    """The sender name ``organisation`` chose (``None``: its e-mail goes under its name),
    for whoever may read its outbox."""
    _require_outbox(actor, organisation)
    with runtime.transaction() as session:
        return store.chosen_sender_of(session, organisation)


# --- delivering -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one :func:`deliver` run did."""

    #: Whether an SMTP server is configured (without one nothing is tried).
    configured: bool
    sent: int = 0
    failed: int = 0
    #: Tried and still pending (a passing failure): tried again later.
    retrying: int = 0
    #: The error of the last failed try, if any.
    last_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"configured": self.configured, "sent": self.sent, "failed": self.failed,
                "retrying": self.retrying, "last_error": self.last_error}


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: int
    event_key: str
    organisation: str | None
    sender_name: str | None
    to: str
    language: str
    template: str
    context: dict[str, Any]
    attempts: int
    message_id: str
    #: The address of the sending organisation's logo, when it has one.
    logo: str | None = None


def logo_address(settings: Settings, organisation: str | None, with_logos: frozenset[str]
                 ) -> str | None:
    """Where an e-mail of ``organisation`` shows its logo from: the small PNG the registry
    serves (mail clients read no SVG), when the organisation has a logo."""
    if organisation is None or organisation not in with_logos:
        return None
    return f"{settings.public_url.rstrip('/')}/providers/{organisation}/logo.png"


def deliver(runtime: Runtime, *, limit: int = 100, server: SmtpServer | None = None
            ) -> DeliveryReport:
    """Send up to ``limit`` pending messages that are due, over ``server`` (default: the
    configured one), and record what became of each (see the module docstring)."""
    settings = runtime.settings
    server = server or SmtpServer.from_settings(settings)
    if server is None or settings.mail_from is None:
        return DeliveryReport(configured=False)
    claimed = _claim(runtime, limit=limit, domain=settings.mail_from.rpartition("@")[2])
    counts = {"sent": 0, "failed": 0, "retrying": 0}
    last_error: str | None = None
    done = 0
    try:
        with connect(server) as connection:
            for message in claimed:
                outcome, error = _send_one(runtime, connection, message,
                                           sender=settings.mail_from)
                counts[outcome] += 1
                last_error = error or last_error
                done += 1
    except MailServerError as exc:
        # The server cannot be used: the message in hand and every one after it wait.
        for message in claimed[done:]:
            counts[_record_failure(runtime, message, exc.message, permanent=False)] += 1
        last_error = exc.message
    return DeliveryReport(True, counts["sent"], counts["failed"], counts["retrying"],
                          last_error)


def _claim(runtime: Runtime, *, limit: int, domain: str) -> list[_Claimed]:
    now = runtime.now()
    claimed: list[_Claimed] = []
    with runtime.transaction() as session:
        rows = store.due(session, state=MailState.PENDING.value, now=now, limit=limit)
        with_logos = logo_store.with_logos(session, (row.organisation for row in rows))
        for row in rows:
            message_id = row.message_id or f"<{uuid.uuid4().hex}.{row.id}@{domain}>"
            # Taken only if no other deliverer took it since it was read.
            if store.take(session, row.id, state=MailState.PENDING.value,
                          attempts=row.attempts, until=now + LEASE, sent_as=message_id):
                claimed.append(_Claimed(row.id, row.event_key, row.organisation,
                                        row.sender_name, row.to_address, row.language,
                                        row.template, dict(row.context), row.attempts + 1,
                                        message_id, logo_address(runtime.settings,
                                                                 row.organisation, with_logos)))
    return claimed


def _send_one(runtime: Runtime, connection: MailTransport, message: _Claimed, *,
              sender: str) -> tuple[str, str | None]:
    """Send one claimed message; its outcome (``sent``, ``failed``, ``retrying``) and error.
    :class:`MailServerError` goes up: the connection is no longer usable."""
    try:
        rendered = render(message.template, message.context,
                          public_url=runtime.settings.public_url,
                          sign_up=runtime.settings.sign_up_open, language=message.language,
                          logo=message.logo)
    except (KeyError, ValueError, TypeError, TemplateError) as exc:
        error = f"The e-mail cannot be written from its stored context: {exc!r}"
        return _record_failure(runtime, message, error, permanent=True), error
    email = compose(sender=sender, sender_name=message.sender_name, to=message.to,
                    subject=rendered.subject, text=rendered.text, html=rendered.html,
                    message_id=message.message_id, now=runtime.now(),
                    languages=rendered.languages, images=rendered.images)
    try:
        connection.send(email)
    except MailRefusedError as exc:
        return _record_failure(runtime, message, exc.message, permanent=exc.permanent), \
            exc.message
    _record_sent(runtime, message, subject=rendered.subject)
    return "sent", None


def _record_sent(runtime: Runtime, message: _Claimed, *, subject: str) -> None:
    now = runtime.now()
    with runtime.transaction() as session:
        store.change(session, message.id, state=MailState.SENT.value, sent_at=now,
                     next_attempt_at=None, last_error=None, subject=subject[:998])
        audit.record(session, at=now, actor="system", action="mail.sent",
                     subject=f"mail:{message.id}", details=_details(message))
        if message.template == CREDENTIAL_ISSUED:
            # The issuer's view counts the credential's e-mail as handed to the server.
            counting.count_in(session, credential_id=str(message.context["credential_id"]),
                              kind=Kind.MAILED, at=now, channel=Channel.MAIL)
    metrics.count_mail("sent")


def _record_failure(runtime: Runtime, message: _Claimed, error: str, *, permanent: bool
                    ) -> str:
    now = runtime.now()
    retry = None if permanent else next_attempt(message.attempts, now=now)
    if retry is None and not permanent:
        error = f"Given up after {MAX_ATTEMPTS} attempts. {error}"
    with runtime.transaction() as session:
        store.change(session, message.id,
                     state=MailState.PENDING.value if retry else MailState.FAILED.value,
                     next_attempt_at=retry, last_error=error[:_ERROR_LENGTH])
        if retry is None:
            audit.record(session, at=now, actor="system", action="mail.failed",
                         subject=f"mail:{message.id}",
                         details={**_details(message), "error": error[:500]})
    outcome = "retrying" if retry else "failed"
    metrics.count_mail(outcome)
    return outcome


def _details(message: _Claimed) -> dict[str, Any]:
    return {"event": message.event_key, "template": message.template,
            "organisation": message.organisation, "attempts": message.attempts,
            "message_id": message.message_id}


# --- bounces ---------------------------------------------------------------------------------


def record_bounce(runtime: Runtime, *, actor: Actor, dsn: bytes | None = None,
                  message_id: str | None = None, reason: str | None = None) -> OutboxMessage:
    """Record that a sent message never arrived: the one a delivery status notification
    (``dsn``, RFC 3464) reports, or the one with ``message_id`` an administrator marks with
    ``reason``. Audited as ``mail.bounced``; a message already bounced is left as it is."""
    if dsn is not None:
        bounce = read_bounce(dsn)
        message_id, reason = bounce.message_id, reason or bounce.reason
    if not message_id:
        raise InputError("Say which message bounced: give its delivery status notification "
                         "or its Message-ID.", problems=[Problem("message_id", "missing")])
    wanted = message_id.strip()
    if not wanted.startswith("<"):
        wanted = f"<{wanted}>"
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.by_message_id(session, wanted)
        if row is None:
            raise NotFoundError(f"No e-mail in the outbox was sent as {wanted}.")
        principal = _require_outbox(actor, row.organisation)
        if row.state == MailState.BOUNCED.value:
            return _message(row)
        if row.state != MailState.SENT.value:
            raise ConflictError(f"The e-mail {wanted} is {row.state}, not sent: only a sent "
                                "e-mail can bounce.")
        error = (reason or "bounced")[:_ERROR_LENGTH]
        store.change(session, row.id, state=MailState.BOUNCED.value, bounced_at=now,
                     last_error=error)
        audit.record(session, at=now, actor=principal.subject, action="mail.bounced",
                     subject=f"mail:{row.id}",
                     details={"event": row.event_key, "organisation": row.organisation,
                              "message_id": wanted, "reason": error[:500]})
        return _message(dataclasses.replace(row, state=MailState.BOUNCED.value,
                                            last_error=error))


def _require_outbox(actor: Actor, organisation: str | None) -> Any:
    """An organisation's e-mail is its issuers'; the platform's, the registry admins'."""
    if organisation is None:
        return actor.require(Action.ACCOUNTS_MANAGE, None)
    return actor.require(Action.CREDENTIAL_ISSUE, organisation)


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    event: str
    organisation: str | None
    sender_name: str | None
    to: str
    template: str
    state: MailState
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    subject: str | None
    message_id: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    language: str = "ja"
    #: The plain text of the message as it is (or would be) sent; ``None`` when its stored
    #: context no longer makes a message.
    body: str | None = None
    #: The addresses the message links to, in the order it names them.
    links: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        def stamp(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {"id": self.id, "event": self.event, "organisation": self.organisation,
                "sender_name": self.sender_name, "to": self.to, "template": self.template,
                "state": self.state.value, "attempts": self.attempts,
                "next_attempt_at": stamp(self.next_attempt_at), "last_error": self.last_error,
                "subject": self.subject, "message_id": self.message_id,
                "created_at": stamp(self.created_at), "sent_at": stamp(self.sent_at),
                "language": self.language, "body": self.body, "links": list(self.links)}


@dataclass(frozen=True, slots=True)
class Outbox:
    """The outbox as someone may see it: whether sending is configured, how many messages
    are in each state, and the latest ones."""

    configured: bool
    counts: dict[MailState, int] = field(default_factory=dict)
    messages: list[OutboxMessage] = field(default_factory=list)


def _message(row: StoredMessage, settings: Settings | None = None) -> OutboxMessage:
    """The message of ``row``; with ``settings``, its subject, text and links as they are
    (or would be) sent from that deployment."""
    subject, body, links = row.subject, None, ()
    if settings is not None:
        try:
            rendered = render(row.template, row.context, public_url=settings.public_url,
                              sign_up=settings.sign_up_open, language=row.language)
        except (KeyError, ValueError, TypeError, TemplateError):
            pass
        else:
            subject, body = subject or rendered.subject, rendered.text
            links = tuple(dict.fromkeys(link.rstrip(".,;:)）」") for link in
                                        _LINK.findall(rendered.text)))
    return OutboxMessage(row.id, row.event_key, row.organisation, row.sender_name,
                         row.to_address, row.template, MailState(row.state), row.attempts,
                         row.next_attempt_at, row.last_error, subject, row.message_id,
                         row.created_at, row.sent_at, row.language, body, links)


#: A link in a message's plain text (up to the next space or bracket).
_LINK: Final = re.compile(r"https?://[^\s<>\"'（）「」]+")


def outbox(runtime: Runtime, *, actor: Actor, organisation: str | None = None,
           state: MailState | None = None, limit: int = 50) -> Outbox:
    """The outbox of ``organisation`` (its issuers') or, for a registry admin, of every
    organisation and the platform: counts by state and the latest ``limit`` messages."""
    _require_outbox(actor, organisation)
    with runtime.transaction() as session:
        counts = {MailState(value): number
                  for value, number in store.states(session, organisation).items()}
        rows = store.latest(session, organisation=organisation,
                            state=state.value if state is not None else None, limit=limit)
        return Outbox(runtime.settings.mail_configured, counts,
                      [_message(r, runtime.settings) for r in rows])


#: Why a server has no local mailbox: the code it is refused with.
NO_MAILBOX: Final = "mailbox.refused.none"


def mailbox(runtime: Runtime, *, address: str, limit: int = 50) -> list[OutboxMessage]:
    """The e-mail to ``address`` in the local mailbox of a demo or development server that
    sends none (like Mailpit's), newest first, with its text and links.
    :class:`NotFoundError` on any other server: there, e-mail is private to its reader."""
    if not runtime.settings.local_mailbox:
        raise NotFoundError(code=NO_MAILBOX)
    wanted = address.strip().lower()
    if not is_mail_address(wanted):
        return []
    with runtime.transaction() as session:
        rows = store.sent_to(session, wanted, limit=limit)
        return [_message(row, runtime.settings) for row in rows]


def mailbox_html(runtime: Runtime, *, address: str, message_id: int) -> str:
    """The HTML of message ``message_id`` of the local mailbox, as it would have been sent
    to ``address`` (:meth:`~credstack.adapters.mail.rendering.Rendered.standalone_html`).
    :class:`NotFoundError` on a server with no mailbox, for a message to another address or
    one whose stored context no longer makes an e-mail."""
    if not runtime.settings.local_mailbox:
        raise NotFoundError(code=NO_MAILBOX)
    wanted = address.strip().lower()
    with runtime.transaction() as session:
        row = store.message(session, message_id)
        if row is None or row.to_address.lower() != wanted:
            raise NotFoundError(code="mailbox.refused.not_to_you",
                                params={"message_id": message_id})
        rendered = _rendered(session, row, runtime.settings)
    if rendered is None:
        raise NotFoundError(code="mailbox.refused.unwritable", params={"message_id": message_id})
    return rendered.standalone_html()


def _rendered(session: Session, row: StoredMessage, settings: Settings) -> Rendered | None:
    """The e-mail ``row`` makes as it is (or would be) sent from the deployment of
    ``settings``, its organisation's logo in it; ``None`` when its stored context no longer
    makes one."""
    logo = logo_address(settings, row.organisation,
                        logo_store.with_logos(session, [row.organisation]))
    try:
        return render(row.template, row.context, public_url=settings.public_url,
                      sign_up=settings.sign_up_open, language=row.language, logo=logo)
    except (KeyError, ValueError, TypeError, TemplateError):
        return None


# --- one message: read it, send it again -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShownMessage:
    """One message of an outbox as its recipient reads it: subject and plain-text body
    written from its stored context (``None`` when that context no longer renders)."""

    message: OutboxMessage
    subject: str | None
    text: str | None
    #: The HTML as the recipient's mail program shows it (``standalone_html``).
    html: str | None = None


def _owned_row(session: Session, *, organisation: str | None, message_id: int
               ) -> StoredMessage:
    row = store.message(session, message_id)
    if row is None or row.organisation != organisation:
        raise NotFoundError(code="workspace.mail.refused.not_in_outbox",
                            params={"message_id": message_id})
    return row


def shown(runtime: Runtime, *, actor: Actor, organisation: str | None, message_id: int
          ) -> ShownMessage:
    """Message ``message_id`` of ``organisation``'s outbox, with what it says."""
    _require_outbox(actor, organisation)
    with runtime.transaction() as session:
        row = _owned_row(session, organisation=organisation, message_id=message_id)
        message, rendered = _message(row), _rendered(session, row, runtime.settings)
    if rendered is None:
        return ShownMessage(message, None, None)
    return ShownMessage(message, rendered.subject, rendered.text, rendered.standalone_html())


def resend(runtime: Runtime, *, actor: Actor, organisation: str | None, message_id: int
           ) -> OutboxMessage:
    """Send message ``message_id`` again (a sent, failed or bounced one, or a pending one
    now): pending, due now, its tries counted afresh; audited ``mail.resend``. A withdrawn
    one is refused (:class:`ConflictError`)."""
    principal = _require_outbox(actor, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        row = _owned_row(session, organisation=organisation, message_id=message_id)
        if row.state == MailState.WITHDRAWN.value:
            # A withdrawn e-mail announced a credential revoked since: never sent.
            raise ConflictError(code="workspace.mail.refused.withdrawn")
        store.change(session, row.id, state=MailState.PENDING.value, attempts=0,
                     next_attempt_at=now, last_error=None, bounced_at=None)
        audit.record(session, at=now, actor=principal.subject, action="mail.resend",
                     subject=f"mail:{row.id}",
                     details={"event": row.event_key, "to": row.to_address,
                              "organisation": row.organisation, "was": row.state})
        return _message(dataclasses.replace(row, state=MailState.PENDING.value, attempts=0,
                                            next_attempt_at=now, last_error=None),
                        runtime.settings)
