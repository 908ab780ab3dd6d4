"""The review service's shared steps on stored applications: loading one and who it concerns,
checking who acts, changing its state with a compare-and-swap and an audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from credstack.adapters.db.repositories import review as store
from credstack.adapters.db.repositories.review import (
    StoredApplication,
    StoredAssignment,
)
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Principal
from credstack.core.access import decide as authorise
from credstack.core.descriptors import Programme
from credstack.core.review import (
    Assignment,
    Declaration,
    Event,
    Label,
    State,
    due_at,
    transition,
)
from credstack.errors import (
    AccessDeniedError,
    InputError,
    NotFoundError,
    Problem,
    StaleStateError,
)
from credstack.services import audit
from credstack.services.review.views import MAX_MESSAGE, Target


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware datetime (SQLite hands them back naive, in UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _opt_utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else _utc(value)


def _title(programme: Programme) -> dict[str, str]:
    return dict(programme.title.root) if programme.title is not None else {}


def _label(value: Mapping[str, str] | None) -> Label | None:
    if not value:
        return None
    return Label(value.get("ja", ""), value.get("en", ""))


def _deny(code: str, *, location: str = "application", **params: object) -> None:
    """Refuse with ``code`` (its words are the refusal and its problem at ``location``)."""
    raise AccessDeniedError(code=code, params=params,
                            problems=[Problem(location, code=code, params=params)])


def _text(value: str, location: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InputError(code="review.refused.text_empty", params={"location": location},
                         problems=[Problem(location, code="review.refused.required")])
    if len(text) > MAX_MESSAGE:
        raise InputError(code="review.refused.text_too_long",
                         params={"location": location}, problems=[
            Problem(location, code="review.refused.text_most",
                              params={"max_message": MAX_MESSAGE})])
    return text


def _user_id(principal: Principal) -> int | None:
    return principal.user_id


def _load(session: Session, application: str) -> StoredApplication:
    row = store.find_application(session, application) if application.startswith("app_") \
        else None
    if row is None:
        raise NotFoundError(code="review.refused.no_application",
                            params={"application": application})
    return row


def _target(session: Session, row: StoredApplication) -> Target:
    slugs = store.organisation_slugs(session, [row.organisation_id, row.recognition_body_id])
    return Target(row.public_id, slugs[row.organisation_id], slugs[row.recognition_body_id])


def target(session: Session, *, application: str) -> Target:
    """The applicant and recognition body of ``application`` (for ``access.require``);
    :class:`~credstack.errors.NotFoundError` for an unknown id."""
    return _target(session, _load(session, application))


def _require(principal: Principal, action: Action, where: Target) -> None:
    """The role check of :func:`credstack.core.access.decide` (routes make it too)."""
    verdict = authorise(principal, action, where.applicant,
                        recognition_body=where.recognition_body)
    if not verdict.allowed:
        raise AccessDeniedError(code=verdict.reason.key, params=verdict.reason.params,
                                problems=[Problem("action", action.value)])


def _not_of_applicant(principal: Principal, where: Target) -> None:
    if where.applicant in principal.organisations():
        _deny("recognition.review.refused.applicant_member", applicant=where.applicant)


def _assignments(session: Session, row: StoredApplication) -> list[StoredAssignment]:
    return list(store.assignment_rows(session, row.id))


def _core_assignments(session: Session, row: StoredApplication) -> list[Assignment]:
    reviewed = {review.evaluator_id for review in store.review_rows(session, row.id)}
    return [Assignment(f"user:{a.evaluator_id}", _declaration(a.declaration),
                       a.evaluator_id in reviewed) for a in _assignments(session, row)]


def _declaration(value: str | None) -> Declaration | None:
    if value is None:
        return None
    return Declaration.CONFLICT if value == store.CONFLICT else Declaration.NO_CONFLICT


def _assigned_evaluator(session: Session, principal: Principal, row: StoredApplication,
                        where: Target) -> StoredAssignment:
    """The principal's own assignment to ``row``; refused unless an assigned evaluator of
    the body (and not of the applicant)."""
    _require(principal, Action.APPLICATION_REVIEW, where)
    _not_of_applicant(principal, where)
    found = (store.find_assignment(session, row.id, principal.user_id)
             if principal.user_id is not None else None)
    if found is None:
        _deny("recognition.review.refused.not_assigned", location="evaluator")
    assert found is not None
    return found


def _change(session: Session, principal: Principal, row: StoredApplication, *,
            events: Sequence[Event], expected: int | None, now: dt.datetime, action: str,
            details: Mapping[str, Any] | None = None, **values: Any) -> None:
    """Apply ``events`` (in order) and ``values`` to ``row`` as one compare-and-swap, and
    write the audit entry ``action``.

    The state machine is asked first, so an illegal step changes nothing; a caller's
    ``expected`` version that is not the stored one, or a concurrent writer that got in
    first, raises :class:`~credstack.errors.StaleStateError`.
    """
    if expected is not None and expected != row.version:
        raise _stale(row, expected)
    before = State(row.state)
    state = before
    for event in events:
        state = transition(state, event)
    # A state is (re-)entered by a step that changes it, and by answering an information
    # request, whose return to the review starts the review's time limit again.
    entered = state is not before or Event.ANSWER_INFORMATION in events
    if entered:
        values.update(state=state.value, state_entered_at=now, due_at=due_at(state, now))
    if not store.swap(session, row, expected=row.version if expected is None else expected,
                      now=now, **values):
        raise _stale(row, expected)
    entry = {"from": before.value, "to": state.value, "version": row.version,
             **(details or {})}
    audit.record(session, at=now, actor=principal.subject, action=action,
                 subject=f"application:{row.public_id}", details=entry)


def _stale(row: StoredApplication, expected: int | None) -> StaleStateError:
    if expected is None:
        return StaleStateError(code="review.refused.stale", params={"public_id": row.public_id},
                               problems=[Problem("version", code="review.refused.stale_hint")])
    return StaleStateError(code="review.refused.stale_sent",
                           params={"public_id": row.public_id, "version": expected},
                           problems=[Problem("version", code="review.refused.stale_hint")])


def _findings_dicts(report_findings: Sequence[Any]) -> list[dict[str, Any]]:
    return [dict(f.to_dict()) for f in report_findings]


def _message(session: Session, principal: Principal, row: StoredApplication, kind: str,
             text: str, now: dt.datetime) -> None:
    store.add_message(session, application_id=row.id, kind=kind,
                      author_id=_user_id(principal), author=principal.subject, text=text,
                      at=now)
    session.flush()
