"""What learners are told about their credentials, and what an organisation chooses of it.

* :func:`status_notice` — in the transaction of a suspension or a reinstatement: a notice to
  each address the credential was announced to (a revocation has its own notice,
  :func:`credstack.services.mail.events.credential_revoked`).
* :func:`settings` / :func:`save_settings` — an organisation's claim reminder (after N days,
  or none) and expiry notices (30 and 7 days before, by default); saving is for whoever may
  update the organisation, audited ``notices.settings``.
* :func:`send_due` — the reminders and expiry notices due now, for one organisation or all
  (each e-mail once: its event key names the credential, the address and the notice); run
  daily by the job ``credentials.notices`` and on an issuer's asking. Audited once per
  organisation that sent something, ``notices.sent`` with the counts.
* :func:`remind_batch` — an issuer's reminder, now, to each learner of one batch who has not
  claimed the credential (once a day); audited ``notices.reminded``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from credstack.adapters.db.repositories import activity as store
from credstack.adapters.db.repositories import mail as outbox
from credstack.adapters.db.repositories import notices as notice_store
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.transactions import Session
from credstack.adapters.mail.rendering import CREDENTIAL_ISSUED, CREDENTIAL_NOTICE
from credstack.core.access import Action, Actor
from credstack.core.activity.events import Kind
from credstack.core.activity.notices import (
    NoticeSettings,
    expiry_due,
    reminder_due,
)
from credstack.core.mail import MailState, event_key
from credstack.errors import NotFoundError
from credstack.services import audit
from credstack.services.mail import NewMessage, queue_many
from credstack.services.runtime import Runtime

__all__ = ["JOB_KIND", "NoticeReport", "remind_batch", "save_settings", "send_due", "settings",
           "status_notice"]

JOB_KIND: Final = "credentials.notices"
#: Credentials read per transaction while looking for what is due.
PAGE: Final = 500
NoticeReport = dict[str, int]


def _announced(session: Session, credential_id: str) -> list[outbox.OutboxMessage]:
    """The credential's "issued" e-mails that were (or are to be) sent: whom it was
    announced to, in which language, with what context."""
    return outbox.announcements(session, credential_id, template=CREDENTIAL_ISSUED,
                                states=(MailState.PENDING.value, MailState.SENT.value))


def _notices(rows: list[outbox.OutboxMessage], kind: str, *parts: str,
             extra: Mapping[str, Any] | None = None) -> list[NewMessage]:
    messages = []
    for row in rows:
        context = {key: row.context[key] for key in
                   ("credential_id", "title", "organisation_name", "issued_on")}
        messages.append(NewMessage(
            event_key(f"credential.{kind}", context["credential_id"], row.to_address.lower(),
                      *parts),
            row.to_address, CREDENTIAL_NOTICE, {**context, "kind": kind, **(extra or {})},
            row.organisation, row.language))
    return messages


def status_notice(session: Session, *, credential_id: str, change: str, now: dt.datetime
                  ) -> int:
    """Queue the notice of a suspension or reinstatement (``change``: ``suspend`` or
    ``reinstate``) in its transaction; how many."""
    kind = {"suspend": "suspended", "reinstate": "reinstated"}[change]
    return queue_many(session, _notices(_announced(session, credential_id), kind,
                                        now.isoformat()), now=now)


# --- settings --------------------------------------------------------------------------------


def settings(runtime: Runtime, *, actor: Actor, organisation: str) -> NoticeSettings:
    actor.require(Action.CREDENTIAL_READ, organisation)
    with runtime.transaction() as session:
        try:
            _, chosen = notice_store.notice_settings(session, slug=organisation)
        except LookupError:
            raise NotFoundError(f"No organisation {organisation!r}. / "
                                f"組織 {organisation!r} はありません。") from None
        return chosen


def save_settings(runtime: Runtime, *, actor: Actor, organisation: str,
                  chosen: NoticeSettings) -> NoticeSettings:
    """Keep ``chosen`` as the organisation's notice settings (audited)."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        try:
            organisation_id, before = notice_store.notice_settings(session, slug=organisation)
        except LookupError:
            raise NotFoundError(f"No organisation {organisation!r}.") from None
        if before == chosen:
            return chosen
        notice_store.save_notice_settings(session, organisation_id=organisation_id, chosen=chosen,
                                   at=now)
        audit.record(session, at=now, actor=principal.subject, action="notices.settings",
                     subject=f"organisation:{organisation}",
                     details={"claim_reminder_days": chosen.claim_reminder_days,
                              "expiry_days": list(chosen.expiry_days)})
    return chosen


# --- sending ---------------------------------------------------------------------------------


def send_due(runtime: Runtime, *, actor: Actor, organisation: str | None = None
             ) -> NoticeReport:
    """Send the reminders and expiry notices due now (see the module): for ``organisation``
    (its issuers may ask) or, with ``None``, every organisation (the platform's scheduler)."""
    principal = actor.require(Action.CREDENTIAL_ISSUE if organisation else
                              Action.ACCOUNTS_MANAGE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        chosen = notice_store.organisations_notice_settings(session, slug=organisation)
    if organisation is not None and not chosen:
        raise NotFoundError(f"No organisation {organisation!r}.")
    report: NoticeReport = {"reminders": 0, "expiry_notices": 0}
    for organisation_id, slug, wanted in chosen:
        sent = _send_for(runtime, organisation_id, wanted, now)
        if any(sent.values()):
            with runtime.transaction() as session:
                audit.record(session, at=now, actor=principal.subject, action="notices.sent",
                             subject=f"organisation:{slug}", details=dict(sent))
        for name, number in sent.items():
            report[name] += number
    return report


def _send_for(runtime: Runtime, organisation_id: int, wanted: NoticeSettings,
              now: dt.datetime) -> NoticeReport:
    sent: NoticeReport = {"reminders": 0, "expiry_notices": 0}
    if wanted.claim_reminder_days is None and not wanted.expiry_days:
        return sent
    # Only the credentials that may be due something are read, by the indexes: not claimed,
    # not reminded and issued long enough ago; or ending within the furthest notice's days
    # and not noticed as near yet. The rules themselves are core's (reminder_due, expiry_due).
    reminders_by = (now - dt.timedelta(days=wanted.claim_reminder_days)
                    if wanted.claim_reminder_days is not None else None)
    ending = ((now, now + dt.timedelta(days=max(wanted.expiry_days)))
              if wanted.expiry_days else None)
    after = 0
    while True:
        with runtime.transaction() as session:
            candidates = notice_store.notice_candidates(
                session, organisation_id=organisation_id, after=after, limit=PAGE,
                unreminded_issued_by=reminders_by, ending_between=ending,
                noticed_beyond=min(wanted.expiry_days, default=0))
            if not candidates:
                return sent
            after = candidates[-1].row_id
            for candidate in candidates:
                credential_id = candidate.credential_id
                messages: list[NewMessage] = []
                stamp: dict[str, Any] = {}
                if not candidate.claimed and not candidate.reminded and reminder_due(
                        issued_at=candidate.issued_at, now=now,
                        days=wanted.claim_reminder_days):
                    messages += _notices(_announced(session, credential_id), "reminder")
                    stamp["reminded_at"] = now
                    sent["reminders"] += len(messages)
                until = candidate.valid_until if wanted.expiry_days else None
                nearest = (expiry_due(valid_until=until, now=now, days=wanted.expiry_days)
                           if until is not None else None)
                noticed = candidate.expiry_noticed
                if nearest is not None and (noticed is None or nearest < noticed):
                    notices = _notices(_announced(session, credential_id), "expiring",
                                       str(nearest), extra={"days": max(1, (until - now).days)
                                                            if until else nearest,
                                                            "valid_until": until.isoformat()
                                                            if until else None})
                    messages += notices
                    stamp["expiry_noticed"] = nearest
                    sent["expiry_notices"] += len(notices)
                if stamp:
                    queue_many(session, messages, now=now)
                    notice_store.record_notices(session, credential_row=candidate.row_id,
                                         organisation_id=organisation_id, **stamp)


def remind_batch(runtime: Runtime, *, actor: Actor, organisation: str, batch: str) -> int:
    """Remind now each learner of ``batch`` (``""``: the credentials issued in none) whose
    active credential is not claimed: the claim reminder, to each address it was announced
    to, once a day however often it is asked (the daily job's reminder is another); how many
    e-mails were queued. Audited ``notices.reminded`` when any was."""
    principal = actor.require(Action.CREDENTIAL_ISSUE, organisation)
    now = runtime.now()
    sent = reminded = 0
    after = 0
    with runtime.transaction() as session:
        organisation_id = existing_row(session, organisation).id
        while True:
            waiting = store.batch_learners(session, organisation_id=organisation_id,
                                           batch=batch, not_yet=Kind.CLAIMED, after=after,
                                           limit=PAGE)
            if not waiting:
                break
            after = waiting[-1].row_id
            for learner in waiting:
                if learner.state != "active":
                    continue
                queued = queue_many(session, _notices(_announced(
                    session, learner.credential_id), "reminder", now.date().isoformat()),
                    now=now)
                if queued:
                    sent += queued
                    reminded += 1
                    notice_store.record_notices(session, credential_row=learner.row_id,
                                         organisation_id=organisation_id, reminded_at=now)
        if reminded:
            audit.record(session, at=now, actor=principal.subject, action="notices.reminded",
                         subject=f"organisation:{organisation}",
                         details={"batch": batch, "credentials": reminded, "e-mails": sent})
    return sent
