"""Deadline and renewal reminders, sent once per person, application and day: a
notification in the application and, in the same transaction, an e-mail in the outbox
(:func:`credstack.services.mail.events.review_reminder`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import review as store
from credstack.adapters.db.repositories.review import (
    StoredApplication,
)
from credstack.adapters.db.transactions import Session
from credstack.core.access import Principal, Role
from credstack.core.review import (
    TIME_LIMITS,
    Label,
    Party,
    PendingStep,
    RecognitionTerm,
    State,
)
from credstack.core.review import reminders as due_reminders
from credstack.services import accounts, audit, mail, recognitions
from credstack.services.review.records import _assignments, _opt_utc, _target, _utc
from credstack.services.review.views import SentReminder, Target
from credstack.words import words


def _responsible(session: Session, row: StoredApplication, where: Target, state: State,
                 members: dict[str, list[tuple[accounts.User, Role]]]) -> tuple[str, ...]:
    limit = TIME_LIMITS.get(state)
    if limit is None:
        return ()

    def of(organisation: str, role: Role) -> list[str]:
        if organisation not in members:
            members[organisation] = accounts.members(session, organisation=organisation)
        return [user.subject for user, held in members[organisation] if held is role]

    if limit.party is Party.COMMITTEE:
        return tuple(of(where.recognition_body, Role.COMMITTEE_MEMBER))
    if limit.party is Party.APPLICANT:
        return tuple(of(where.applicant, Role.PROVIDER_ADMIN))
    reviewed = {r.evaluator_id for r in store.review_rows(session, row.id)}
    return tuple(f"user:{a.evaluator_id}" for a in _assignments(session, row)
                 if a.declaration != store.CONFLICT and a.evaluator_id not in reviewed)


def reminders(session: Session, *, now: dt.datetime) -> list[SentReminder]:
    """Turn the reminders due at ``now`` (:func:`credstack.core.review.reminders`: steps
    due soon or overdue, recognitions to renew) into notifications. Idempotent per day: a
    reminder reaches each person at most once a day."""
    members: dict[str, list[tuple[accounts.User, Role]]] = {}
    rows = store.applications_in(session, [s.value for s in TIME_LIMITS])
    steps: list[PendingStep] = []
    by_id: dict[str, StoredApplication] = {}
    for row in rows:
        where = _target(session, row)
        state = State(row.state)
        by_id[row.public_id] = row
        steps.append(PendingStep(row.public_id, state, _utc(row.state_entered_at),
                                 _opt_utc(row.due_at),
                                 _responsible(session, row, where, state, members),
                                 title=_title(session, row.programme_id,
                                              row.programme_version)))
    terms: list[RecognitionTerm] = []
    renewing = {r.renewal_of for r in store.renewals_open(session)}
    for decision, application in store.granted_decisions(session):
        if decision.recognition is None or decision.valid_until is None:
            continue
        record = recognitions.recognition(session, decision.recognition)
        where = _target(session, application)
        terms.append(RecognitionTerm(
            decision.recognition, _utc(decision.valid_until),
            tuple(_responsible_applicant(session, where, members)),
            withdrawn_at=_opt_utc(record.withdrawn_at),
            renewal_pending=decision.recognition in renewing,
            title=_title(session, application.programme_id, application.programme_version)))
    sent: list[SentReminder] = []
    for reminder in due_reminders(now=now, applications=steps, recognitions=terms):
        application_row = (by_id.get(reminder.subject.removeprefix("application:"))
                           if reminder.subject.startswith("application:") else None)
        dedupe = f"{reminder.key}:{now.date().isoformat()}"[:200]
        # The notification and the e-mail keep the reminder in both of the staff's languages.
        text = Label(words(reminder.message, "ja"), words(reminder.message, "en"))
        for recipient in reminder.recipients:
            user_id = int(recipient.removeprefix("user:"))
            created = store.notify(
                session, user_id=user_id,
                application_id=application_row.id if application_row else None,
                text={"ja": text.ja, "en": text.en},
                dedupe=dedupe, now=now)
            if created is None:
                continue
            person = accounts.user_by_id(session, user_id)
            sent.append(SentReminder(user_id, person.email, reminder.kind.value,
                                     reminder.subject, reminder.due_at, text))
            mail.review_reminder(
                session, user_id=user_id, to=person.email, dedupe=dedupe,
                kind=reminder.kind.value, subject=reminder.subject, due_at=reminder.due_at,
                message={"ja": text.ja, "en": text.en},
                organisation=(_target(session, application_row).recognition_body
                              if application_row is not None else None), now=now)
            audit.record(session, at=now, actor="system", action="reminder.sent",
                         subject=reminder.subject,
                         details={"kind": reminder.kind.value, "to": recipient,
                                  "due_at": reminder.due_at.isoformat()})
    return sent


def _title(session: Session, programme_id: int, version: int) -> Label | None:
    """The programme version's title, which reminders name it by (not the ids)."""
    found = programme_store.get_version(session, programme_id=programme_id, version=version)
    title = found.programme.title
    if title is None:
        return None
    return Label(title.root.get("ja", ""), title.root.get("en", ""))


def _responsible_applicant(session: Session, where: Target,
                           members: dict[str, list[tuple[accounts.User, Role]]]) -> list[str]:
    if where.applicant not in members:
        members[where.applicant] = accounts.members(session, organisation=where.applicant)
    return [user.subject for user, role in members[where.applicant]
            if role is Role.PROVIDER_ADMIN]


def notifications(session: Session, principal: Principal, *, unread_only: bool = False
                  ) -> list[dict[str, Any]]:
    """The principal's notifications, newest first."""
    if principal.user_id is None:
        return []
    return [{"id": n.id, "text": {"ja": n.text_ja, "en": n.text_en},
             "created_at": _utc(n.created_at).isoformat(), "read": n.read_at is not None}
            for n in store.notification_rows(session, user_id=principal.user_id,
                                             unread_only=unread_only)]
