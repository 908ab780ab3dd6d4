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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import activity as store
from credstack.adapters.db.repositories.stamps import utc
from credstack.adapters.db.tables import IssuedCredentialRow, OrganisationRow
from credstack.adapters.db.tables.activity import CredentialActivityRow, OrganisationNoticesRow
from credstack.adapters.db.tables.mail import MailOutboxRow
from credstack.adapters.mail.rendering import CREDENTIAL_ISSUED, CREDENTIAL_NOTICE
from credstack.core.access import Action, Actor
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

__all__ = ["JOB_KIND", "NoticeReport", "save_settings", "send_due", "settings",
           "status_notice"]

JOB_KIND: Final = "credentials.notices"
#: Credentials read per transaction while looking for what is due.
PAGE: Final = 500
NoticeReport = dict[str, int]


def _announced(session: Session, credential_id: str) -> list[MailOutboxRow]:
    """The credential's "issued" e-mails that were (or are to be) sent: whom it was
    announced to, in which language, with what context."""
    prefix = f"credential.issued:{credential_id}:"
    return list(session.scalars(select(MailOutboxRow).where(
        MailOutboxRow.template == CREDENTIAL_ISSUED,
        MailOutboxRow.event_key >= prefix, MailOutboxRow.event_key < prefix + "\U0010ffff",
        MailOutboxRow.state.in_((MailState.PENDING.value, MailState.SENT.value)))))


def _notices(rows: list[MailOutboxRow], kind: str, *parts: str,
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


def _settings_of(row: OrganisationNoticesRow | None) -> NoticeSettings:
    if row is None:
        return NoticeSettings()
    days = tuple(int(part) for part in row.expiry_days.split(",") if part)
    return NoticeSettings(row.claim_reminder_days, days)


def settings(runtime: Runtime, *, actor: Actor, organisation: str) -> NoticeSettings:
    actor.require(Action.CREDENTIAL_READ, organisation)
    with runtime.transaction() as session:
        try:
            _, row = store.notices_row(session, slug=organisation)
        except LookupError:
            raise NotFoundError(f"No organisation {organisation!r}. / "
                                f"組織 {organisation!r} はありません。") from None
        return _settings_of(row)


def save_settings(runtime: Runtime, *, actor: Actor, organisation: str,
                  chosen: NoticeSettings) -> NoticeSettings:
    """Keep ``chosen`` as the organisation's notice settings (audited)."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        try:
            organisation_id, row = store.notices_row(session, slug=organisation)
        except LookupError:
            raise NotFoundError(f"No organisation {organisation!r}.") from None
        before = _settings_of(row)
        if before == chosen:
            return chosen
        days = ",".join(str(day) for day in chosen.expiry_days)
        if row is None:
            session.add(OrganisationNoticesRow(
                organisation_id=organisation_id, claim_reminder_days=chosen.claim_reminder_days,
                expiry_days=days, updated_at=now))
        else:
            row.claim_reminder_days, row.expiry_days, row.updated_at = (
                chosen.claim_reminder_days, days, now)
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
        query = select(OrganisationRow.id, OrganisationRow.slug, OrganisationNoticesRow).join(
            OrganisationNoticesRow, OrganisationNoticesRow.organisation_id == OrganisationRow.id,
            isouter=True)
        if organisation is not None:
            query = query.where(OrganisationRow.slug == organisation)
        chosen = [(row[0], row[1], _settings_of(row[2])) for row in session.execute(query)]
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
    due: list[Any] = []
    if wanted.claim_reminder_days is not None:
        due.append(and_(
            or_(CredentialActivityRow.id.is_(None), and_(
                CredentialActivityRow.claimed_count == 0,
                CredentialActivityRow.reminded_at.is_(None))),
            IssuedCredentialRow.issued_at
            <= now - dt.timedelta(days=wanted.claim_reminder_days)))
    if wanted.expiry_days:
        due.append(and_(
            IssuedCredentialRow.valid_until > now,
            IssuedCredentialRow.valid_until <= now + dt.timedelta(days=max(wanted.expiry_days)),
            or_(CredentialActivityRow.id.is_(None),
                CredentialActivityRow.expiry_noticed.is_(None),
                CredentialActivityRow.expiry_noticed > min(wanted.expiry_days))))
    after = 0
    while True:
        with runtime.transaction() as session:
            rows = session.execute(select(
                IssuedCredentialRow.id, IssuedCredentialRow.credential_id,
                IssuedCredentialRow.issued_at, IssuedCredentialRow.valid_until,
                CredentialActivityRow).join(
                    CredentialActivityRow,
                    CredentialActivityRow.credential_row_id == IssuedCredentialRow.id,
                    isouter=True).where(
                    IssuedCredentialRow.organisation_id == organisation_id,
                    IssuedCredentialRow.state == "active", IssuedCredentialRow.id > after,
                    or_(*due)).order_by(IssuedCredentialRow.id).limit(PAGE)).all()
            if not rows:
                return sent
            after = rows[-1][0]
            for row_id, credential_id, issued_at, valid_until, activity in rows:
                issued = issued_at if issued_at.tzinfo else issued_at.replace(tzinfo=dt.UTC)
                claimed = activity is not None and activity.claimed_count > 0
                reminded = activity is not None and activity.reminded_at is not None
                messages: list[NewMessage] = []
                stamp: dict[str, Any] = {}
                if not claimed and not reminded and reminder_due(
                        issued_at=issued, now=now, days=wanted.claim_reminder_days):
                    messages += _notices(_announced(session, credential_id), "reminder")
                    stamp["reminded_at"] = now
                    sent["reminders"] += len(messages)
                until = utc(valid_until) if valid_until and wanted.expiry_days else None
                nearest = (expiry_due(valid_until=until, now=now, days=wanted.expiry_days)
                           if until is not None else None)
                noticed = activity.expiry_noticed if activity is not None else None
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
                    _stamp(session, row_id, organisation_id, stamp)


def _stamp(session: Session, row_id: int, organisation_id: int, values: Mapping[str, Any]
           ) -> None:
    row = session.scalar(select(CredentialActivityRow).where(
        CredentialActivityRow.credential_row_id == row_id))
    if row is None:
        row = CredentialActivityRow(credential_row_id=row_id, organisation_id=organisation_id)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
