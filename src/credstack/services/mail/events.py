"""The e-mails of credstack's events, queued in the event's own transaction. (The "credential
issued" e-mails, with their credential offers, are the issuance service's:
:mod:`credstack.services.issuance.emails`.)

* :func:`credential_revoked` — when a credential is revoked, in the revocation's
  transaction: its "credential issued" e-mails not sent yet are withdrawn (kept in the
  outbox, marked ``withdrawn``, never sent; audited ``mail.withdrawn``: a revoked credential
  is never announced), and each address
  it was announced to, or would have been, is sent a notice of the revocation instead.
  Event key ``credential.revoked:<credential id>:<address>``.
* :func:`review_reminder` — to a person a review reminder was sent to (the notification
  in the application is the reminder; the e-mail tells them of it). Event key
  ``review.reminder:<user id>:<the notification's once-a-day key>``.
* :func:`recognition_decided` — to each administrator of a provider whose application's
  decision was published: the outcome, the programme, the decision's number and the
  application's page. Event key ``recognition.decided:<decision number>:<user id>``.
* :func:`invitation` — to an address invited to join an organisation: the link to join, the
  role, until when. Event key ``invitation:<invitation id>:<the link's hash>``.
* :func:`sign_up` — to an address someone asked to make an account with: the link that
  confirms the address and makes the account, until when. Event key
  ``sign_up:<request id>:<the link's hash>``.
* :func:`sign_up_existing` — to an address that has an account already when someone asks to
  make one with it: how to sign in instead (no link that changes anything). Event key
  ``sign_up.existing:<request id>``.
* :func:`password_reset` — to the address of an account whose password someone asked to
  reset on the sign-in page: the one-time link, until when. Event key
  ``password_reset:<request id>:<the link's hash>``.
* :func:`account_recovery` — instead of that, to a member who signs in by passkey only: the
  one-time link that signs them in to register a new passkey, until when. Event key
  ``account_recovery:<request id>:<the link's hash>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from credstack.adapters.db.repositories import mail as store
from credstack.adapters.db.transactions import Session
from credstack.adapters.mail.rendering import (
    ACCOUNT_RECOVERY,
    CREDENTIAL_ISSUED,
    CREDENTIAL_REVOKED,
    INVITATION,
    PASSWORD_RESET,
    RECOGNITION_DECIDED,
    REVIEW_REMINDER,
    SIGN_UP,
    SIGN_UP_EXISTING,
)
from credstack.core.mail import MailState, event_key, is_mail_address
from credstack.services import audit
from credstack.services.mail.service import NewMessage, queue_many

__all__ = ["account_recovery", "credential_revoked", "invitation", "password_reset",
           "recognition_decided", "review_reminder", "sign_up", "sign_up_existing"]


def credential_revoked(session: Session, *, credential_id: str, actor: str, now: dt.datetime
                       ) -> tuple[int, int]:
    """Withdraw the revoked credential's "issued" e-mails that are still waiting (kept, marked
    ``withdrawn``), and queue a
    notice of the revocation to each address it was (or was to be) announced to; (how many
    were withdrawn, how many notices are new). Run in the revocation's transaction."""
    rows = store.announcements(session, credential_id, template=CREDENTIAL_ISSUED,
                               states=(MailState.PENDING.value, MailState.SENT.value))
    withdrawn = 0
    notices = []
    for row in rows:
        if row.state == MailState.PENDING.value:
            audit.record(session, at=now, actor=actor, action="mail.withdrawn",
                         subject=f"mail:{row.id}",
                         details={"event": row.event_key, "to": row.to_address,
                                  "organisation": row.organisation,
                                  "why": "credential.revoke"})
            # Kept, marked: the outbox shows what was never sent, and delivery sends only
            # pending messages.
            store.change(session, row.id, state=MailState.WITHDRAWN.value,
                         next_attempt_at=None)
            withdrawn += 1
        context = {key: row.context[key] for key in
                   ("credential_id", "title", "organisation_name", "issued_on")}
        notices.append(NewMessage(event_key("credential.revoked", credential_id,
                                            row.to_address.lower()),
                                  row.to_address, CREDENTIAL_REVOKED, context,
                                  row.organisation, row.language))
    return withdrawn, queue_many(session, notices, now=now)


def review_reminder(session: Session, *, user_id: int, to: str, dedupe: str, kind: str,
                    subject: str, due_at: dt.datetime, message: Mapping[str, str],
                    organisation: str | None, now: dt.datetime) -> bool:
    """Queue the e-mail of one reminder to one person (once: ``dedupe`` is the reminder's
    once-a-day key)."""
    if not is_mail_address(to):
        return False
    context: dict[str, Any] = {"kind": kind, "subject": subject, "due_at": due_at.isoformat(),
                               "message": dict(message)}
    return queue_many(session, [NewMessage(event_key("review.reminder", str(user_id), dedupe),
                                           to, REVIEW_REMINDER, context, organisation)],
                      now=now) == 1


def recognition_decided(session: Session, *, to: Sequence[tuple[int, str]], application: str,
                        number: str, outcome: str, title: Mapping[str, str],
                        recognition_body: str, recognition_body_name: Mapping[str, str],
                        now: dt.datetime) -> int:
    """Queue the e-mail of a published decision to each of ``to`` (user id, address): the
    applicant's administrators; sent by the recognition body (its name and logo atop). How
    many were new (a decision is told once to each person)."""
    context: dict[str, Any] = {"application": application, "number": number,
                               "outcome": outcome, "title": dict(title),
                               "organisation_name": dict(recognition_body_name)}
    return queue_many(session, [
        NewMessage(event_key("recognition.decided", number, str(user_id)), address,
                   RECOGNITION_DECIDED, context, recognition_body)
        for user_id, address in to if is_mail_address(address)], now=now)


def invitation(session: Session, *, invitation_id: int, token_hash: str, to: str, url: str,
               role: str, organisation: str, organisation_name: Mapping[str, str],
               expires_at: dt.datetime, language: str, now: dt.datetime) -> bool:
    """Queue the e-mail of an invitation to join ``organisation`` as ``role``. The event names
    the invitation and its current link, so a renewed invitation sends its new link once and a
    retried delivery never sends one twice."""
    context: dict[str, Any] = {"url": url, "role": role,
                               "organisation_name": dict(organisation_name),
                               "expires_at": expires_at.isoformat()}
    return queue_many(session, [NewMessage(
        event_key("invitation", str(invitation_id), token_hash[:16]), to, INVITATION,
        context, organisation, language)], now=now) == 1


def sign_up(session: Session, *, request_id: int, token_hash: str, to: str, url: str,
            expires_at: dt.datetime, language: str, now: dt.datetime) -> bool:
    """Queue the e-mail with the link that confirms ``to`` and makes its account (the
    platform's own e-mail: no organisation sends it)."""
    context: dict[str, Any] = {"url": url, "expires_at": expires_at.isoformat()}
    return queue_many(session, [NewMessage(
        event_key("sign_up", str(request_id), token_hash[:16]), to, SIGN_UP, context, None,
        language)], now=now) == 1


def sign_up_existing(session: Session, *, request_id: int, to: str, next_path: str,
                     language: str, now: dt.datetime) -> bool:
    """Queue the e-mail telling ``to``, which has an account, to sign in instead (and back to
    ``next_path``)."""
    return queue_many(session, [NewMessage(
        event_key("sign_up.existing", str(request_id)), to, SIGN_UP_EXISTING,
        {"next_path": next_path}, None, language)], now=now) == 1


def password_reset(session: Session, *, request_id: int, token_hash: str, to: str, url: str,
                   expires_at: dt.datetime, language: str, now: dt.datetime) -> bool:
    """Queue the e-mail with the one-time link that sets a new password for ``to``'s account
    (the platform's own e-mail: no organisation sends it)."""
    context: dict[str, Any] = {"url": url, "expires_at": expires_at.isoformat()}
    return queue_many(session, [NewMessage(
        event_key("password_reset", str(request_id), token_hash[:16]), to, PASSWORD_RESET,
        context, None, language)], now=now) == 1


def account_recovery(session: Session, *, request_id: int, token_hash: str, to: str, url: str,
                     expires_at: dt.datetime, language: str, now: dt.datetime) -> bool:
    """Queue the e-mail with the one-time link that signs ``to``'s account in to register a
    new passkey (the platform's own e-mail: no organisation sends it)."""
    context: dict[str, Any] = {"url": url, "expires_at": expires_at.isoformat()}
    return queue_many(session, [NewMessage(
        event_key("account_recovery", str(request_id), token_hash[:16]), to, ACCOUNT_RECOVERY,
        context, None, language)], now=now) == 1
