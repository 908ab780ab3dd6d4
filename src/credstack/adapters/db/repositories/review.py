"""The review process in the store: applications, evidence, assignments, reviews, messages,
decisions and notifications (migration ``0008_review``).

Rules kept here:

* an application is named by a public random id (``app_`` + 26 base32 characters), never by
  its sequential row id;
* ``applications.version`` counts the application's changes; every change is a
  compare-and-swap (``UPDATE … WHERE version = expected``) so that of two concurrent
  changes exactly one wins (:func:`swap`);
* an evidence file is stored once per application and content (unique SHA-256);
* one assignment and one review per evaluator and application;
* a notification is sent once per user and ``dedupe`` key (reminders are idempotent).

What may be done in which state is not decided here but in ``core.recognition``; who may see
or do it, in ``adapters.review``.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from credstack.adapters.db.tables import OrganisationRow, UserRow
from credstack.adapters.db.tables.review import (
    ApplicationRow,
    AssignmentRow,
    DecisionRow,
    EvidenceFileRow,
    MessageRow,
    NotificationRow,
    ReviewRow,
)
from credstack.adapters.db.times import utc

#: Kinds of application.
INITIAL = "initial"
RENEWAL = "renewal"

#: Kinds of message kept on an application.
INFORMATION_REQUEST = "information-request"
ANSWER = "answer"
APPEAL = "appeal"
WITHDRAWAL = "withdrawal"
MESSAGE_KINDS = (INFORMATION_REQUEST, ANSWER, APPEAL, WITHDRAWAL)

#: An evaluator's conflict-of-interest declaration as stored (``declaration`` column).
NO_CONFLICT = "none"
CONFLICT = "conflict"


class StoredApplication(Protocol):
    """An application as the review services read it (its state changes through
    :func:`swap`)."""

    id: int
    public_id: str
    organisation_id: int
    programme_id: int
    programme_version: int
    recognition_body_id: int
    profile: str
    kind: str
    renewal_of: str | None
    state: str
    state_entered_at: dt.datetime
    due_at: dt.datetime | None
    self_evaluation: dict[str, str]
    findings: list[dict[str, Any]]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: int | None


class StoredEvidence(Protocol):
    """An evidence file of an application (its bytes are read only when asked for)."""

    id: int
    application_id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    content: bytes
    uploaded_by: int | None
    uploaded_at: dt.datetime


class StoredAssignment(Protocol):
    """An evaluator's assignment to an application, with their declaration of interests."""

    id: int
    application_id: int
    evaluator_id: int
    assigned_by: int | None
    assigned_at: dt.datetime
    due_at: dt.datetime | None
    declaration: str | None
    declaration_statement: str | None
    declared_at: dt.datetime | None


class StoredMessage(Protocol):
    """A message kept on an application (an information request, answer, appeal…)."""

    id: int
    application_id: int
    kind: str
    author_id: int | None
    author: str
    text: str
    at: dt.datetime


class StoredDecision(Protocol):
    """A decision on an application, as the review services read and publish it."""

    id: int
    application_id: int
    number: str
    outcome: str
    reasons: dict[str, str]
    conditions: dict[str, str] | None
    decided_by: int | None
    decided_at: dt.datetime
    appeal: bool
    recognition: str | None
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    criteria_summary: dict[str, Any]
    programme_title: dict[str, str]
    provider_name: dict[str, str]
    search_text: str
    published_at: dt.datetime | None


def new_public_id() -> str:
    """``app_`` and 128 random bits in lower-case base32 (26 characters, no padding)."""
    return "app_" + base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()


# --- applications -------------------------------------------------------------------------


def find_application(session: Session, public_id: str) -> ApplicationRow | None:
    return session.scalar(select(ApplicationRow).where(ApplicationRow.public_id == public_id))


def swap(session: Session, row: StoredApplication, *, expected: int, now: dt.datetime,
         **values: Any) -> bool:
    """Write ``values`` and the next version if the stored version is still ``expected``.

    One ``UPDATE … WHERE version = :expected``: the database serialises concurrent writers
    on the row, and a writer that finds another version changes nothing and gets False.
    ``row`` is refreshed from the store when the swap succeeds.
    """
    result = session.execute(
        update(ApplicationRow)
        .where(ApplicationRow.id == row.id, ApplicationRow.version == expected)
        .values(version=expected + 1, updated_at=now, **values)
        .execution_options(synchronize_session=False))
    if getattr(result, "rowcount", 0) != 1:
        return False
    session.refresh(row)
    return True


def application_by_id(session: Session, application_id: int) -> ApplicationRow | None:
    return session.get(ApplicationRow, application_id)


def add_application(session: Session, *, public_id: str, organisation_id: int,
                    programme_id: int, programme_version: int, recognition_body_id: int,
                    profile: str, kind: str, renewal_of: str | None, state: str,
                    now: dt.datetime, created_by: int | None) -> StoredApplication:
    """A new application in ``state`` (its first version, no findings yet; not flushed)."""
    row = ApplicationRow(
        public_id=public_id, organisation_id=organisation_id, programme_id=programme_id,
        programme_version=programme_version, recognition_body_id=recognition_body_id,
        profile=profile, kind=kind, renewal_of=renewal_of, state=state, state_entered_at=now,
        due_at=None, self_evaluation={}, findings=[], version=1, created_at=now,
        updated_at=now, created_by=created_by)
    session.add(row)
    return row


@dataclass(frozen=True, slots=True)
class ApplicationFilter:
    """Which applications a principal may list; None means no limit on that dimension.

    An application is listed when it belongs to one of ``applicants``, or is addressed to one
    of ``bodies``, or has ``evaluator`` assigned; ``everything`` lists all.
    """

    everything: bool = False
    applicants: frozenset[str] = frozenset()
    bodies: frozenset[str] = frozenset()
    evaluator: int | None = None


def list_application_rows(session: Session, *, scope: ApplicationFilter,
                          state: str | None = None, limit: int = 50,
                          after: int | None = None) -> list[ApplicationRow]:
    query = select(ApplicationRow)
    if not scope.everything:
        conditions: list[Any] = []
        if scope.applicants:
            conditions.append(ApplicationRow.organisation_id.in_(
                select(OrganisationRow.id).where(OrganisationRow.slug.in_(scope.applicants))))
        if scope.bodies:
            conditions.append(ApplicationRow.recognition_body_id.in_(
                select(OrganisationRow.id).where(OrganisationRow.slug.in_(scope.bodies))))
        if scope.evaluator is not None:
            conditions.append(ApplicationRow.id.in_(
                select(AssignmentRow.application_id)
                .where(AssignmentRow.evaluator_id == scope.evaluator)))
        if not conditions:
            return []
        query = query.where(or_(*conditions))
    if state is not None:
        query = query.where(ApplicationRow.state == state)
    if after is not None:
        query = query.where(ApplicationRow.id > after)
    return list(session.scalars(query.order_by(ApplicationRow.id).limit(limit)))


def applications_in(session: Session, states: Sequence[str]) -> list[ApplicationRow]:
    return list(session.scalars(select(ApplicationRow).where(ApplicationRow.state.in_(states))
                                .order_by(ApplicationRow.id)))


def organisation_slugs(session: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(select(OrganisationRow.id, OrganisationRow.slug)
                           .where(OrganisationRow.id.in_(list(ids))))
    return {oid: slug for oid, slug in rows}


def organisation_names(session: Session, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    rows = session.execute(select(OrganisationRow.id, OrganisationRow.name)
                           .where(OrganisationRow.id.in_(list(ids))))
    return {oid: dict(name) for oid, name in rows}


def people(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(e-mail address, display name) of the users ``ids``, in one query."""
    if not ids:
        return {}
    rows = session.execute(select(UserRow.id, UserRow.email, UserRow.display_name)
                           .where(UserRow.id.in_(list(ids))))
    return {uid: (email, name) for uid, email, name in rows}


def organisation_row(session: Session, slug: str) -> OrganisationRow | None:
    return session.scalar(select(OrganisationRow).where(OrganisationRow.slug == slug))


# --- evidence -----------------------------------------------------------------------------


def evidence_rows(session: Session, application_id: int) -> list[EvidenceFileRow]:
    """The application's evidence files without their content, oldest first."""
    return list(session.scalars(select(EvidenceFileRow)
                                .options(defer(EvidenceFileRow.content))
                                .where(EvidenceFileRow.application_id == application_id)
                                .order_by(EvidenceFileRow.id)))


def add_evidence(session: Session, *, application_id: int, filename: str, media_type: str,
                 content: bytes, sha256: str, uploaded_by: int | None, at: dt.datetime
                 ) -> StoredEvidence:
    """Keep an evidence file of the application (not flushed)."""
    row = EvidenceFileRow(application_id=application_id, filename=filename,
                          media_type=media_type, size=len(content), sha256=sha256,
                          content=content, uploaded_by=uploaded_by, uploaded_at=at)
    session.add(row)
    return row


def find_evidence(session: Session, application_id: int, sha256: str, *,
                  content: bool = False) -> EvidenceFileRow | None:
    query = select(EvidenceFileRow).where(EvidenceFileRow.application_id == application_id,
                                          EvidenceFileRow.sha256 == sha256)
    if not content:
        query = query.options(defer(EvidenceFileRow.content))
    return session.scalar(query)


# --- assignments, reviews, messages -------------------------------------------------------


def assignment_rows(session: Session, application_id: int) -> list[AssignmentRow]:
    return list(session.scalars(select(AssignmentRow)
                                .where(AssignmentRow.application_id == application_id)
                                .order_by(AssignmentRow.id)))


def find_assignment(session: Session, application_id: int, evaluator_id: int
                    ) -> AssignmentRow | None:
    return session.scalar(select(AssignmentRow).where(
        AssignmentRow.application_id == application_id,
        AssignmentRow.evaluator_id == evaluator_id))


def add_assignment(session: Session, *, application_id: int, evaluator_id: int,
                   assigned_by: int | None, at: dt.datetime, due_at: dt.datetime | None
                   ) -> None:
    """Assign the evaluator to the application (not flushed)."""
    session.add(AssignmentRow(application_id=application_id, evaluator_id=evaluator_id,
                              assigned_by=assigned_by, assigned_at=at, due_at=due_at))


def add_review(session: Session, *, application_id: int, evaluator_id: int,
               scores: dict[str, int], comments: dict[str, str], summary: str,
               at: dt.datetime) -> None:
    """Keep an evaluator's review of the application (not flushed)."""
    session.add(ReviewRow(application_id=application_id, evaluator_id=evaluator_id,
                          scores=scores, comments=comments, summary=summary,
                          submitted_at=at))


def review_rows(session: Session, application_id: int) -> list[ReviewRow]:
    return list(session.scalars(select(ReviewRow).where(ReviewRow.application_id == application_id)
                                .order_by(ReviewRow.id)))


def message_rows(session: Session, application_id: int) -> list[MessageRow]:
    return list(session.scalars(select(MessageRow)
                                .where(MessageRow.application_id == application_id)
                                .order_by(MessageRow.id)))


# --- decisions ----------------------------------------------------------------------------


def add_message(session: Session, *, application_id: int, kind: str, author_id: int | None,
                author: str, text: str, at: dt.datetime) -> None:
    """Keep a message of ``kind`` on the application (not flushed)."""
    session.add(MessageRow(application_id=application_id, kind=kind, author_id=author_id,
                           author=author, text=text, at=at))


def add_decision(session: Session, *, application_id: int, number: str, outcome: str,
                 reasons: dict[str, str], conditions: dict[str, str] | None,
                 decided_by: int | None, at: dt.datetime, appeal: bool,
                 recognition: str | None, valid_from: dt.datetime | None,
                 valid_until: dt.datetime | None, criteria_summary: dict[str, Any],
                 programme_title: dict[str, str], provider_name: dict[str, str],
                 search_text: str, published_at: dt.datetime | None) -> StoredDecision:
    """Keep the decision numbered ``number`` on the application (not flushed)."""
    row = DecisionRow(
        application_id=application_id, number=number, outcome=outcome, reasons=reasons,
        conditions=conditions, decided_by=decided_by, decided_at=at, appeal=appeal,
        recognition=recognition, valid_from=valid_from, valid_until=valid_until,
        criteria_summary=criteria_summary, programme_title=programme_title,
        provider_name=provider_name, search_text=search_text, published_at=published_at)
    session.add(row)
    return row


def decision_rows(session: Session, application_id: int) -> list[DecisionRow]:
    return list(session.scalars(select(DecisionRow)
                                .where(DecisionRow.application_id == application_id)
                                .order_by(DecisionRow.id)))


def search_key(*parts: str | None) -> str:
    """The lower-cased text a decision is found by (case-insensitive on every database)."""
    return "\n".join(part for part in parts if part).casefold()


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class DecisionPage:
    rows: list[tuple[DecisionRow, str, str]]
    total: int


def published_decisions(session: Session, *, query: str | None = None,
                        outcome: str | None = None, offset: int = 0, limit: int = 20
                        ) -> DecisionPage:
    """Published decisions, newest first, with their application's public id and programme
    code; every word of ``query`` must occur in the decision's search text."""
    base = (select(DecisionRow, ApplicationRow.public_id, OrganisationRow.slug)
            .join(ApplicationRow, ApplicationRow.id == DecisionRow.application_id)
            .join(OrganisationRow, OrganisationRow.id == ApplicationRow.organisation_id)
            .where(DecisionRow.published_at.is_not(None)))
    count = (select(func.count()).select_from(DecisionRow)
             .where(DecisionRow.published_at.is_not(None)))
    for word in (query or "").casefold().split():
        condition = DecisionRow.search_text.like(_like(word), escape="\\")
        base = base.where(condition)
        count = count.where(condition)
    if outcome:
        base = base.where(DecisionRow.outcome == outcome)
        count = count.where(DecisionRow.outcome == outcome)
    rows = session.execute(base.order_by(DecisionRow.published_at.desc(), DecisionRow.id.desc())
                           .offset(offset).limit(limit)).all()
    return DecisionPage([(d, pid, slug) for d, pid, slug in rows], session.scalar(count) or 0)


def decision_sequence(session: Session, year: int) -> int:
    """The highest sequence number given to a decision of ``year`` (0: none yet)."""
    numbers = session.scalars(select(DecisionRow.number)
                              .where(DecisionRow.number.like(f"R-{year:04d}-%")))
    return max((int(number.rsplit("-", 1)[1]) for number in numbers), default=0)


def granted_decisions(session: Session) -> list[tuple[DecisionRow, ApplicationRow]]:
    """Decisions that granted a recognition, with their applications (for renewal notices)."""
    rows = session.execute(select(DecisionRow, ApplicationRow)
                           .join(ApplicationRow, ApplicationRow.id == DecisionRow.application_id)
                           .where(DecisionRow.recognition.is_not(None))
                           .order_by(DecisionRow.id))
    return [(decision, application) for decision, application in rows]


def renewals_open(session: Session) -> list[ApplicationRow]:
    """Renewal applications still in the process (neither withdrawn nor decided)."""
    return list(session.scalars(select(ApplicationRow).where(
        ApplicationRow.kind == RENEWAL,
        ApplicationRow.state.not_in(("withdrawn", "decided", "published", "appealed")))))


def find_decision(session: Session, number: str) -> DecisionRow | None:
    return session.scalar(select(DecisionRow).where(DecisionRow.number == number))


def decision_for_recognition(session: Session, recognition: str) -> DecisionRow | None:
    return session.scalar(select(DecisionRow).where(DecisionRow.recognition == recognition)
                          .order_by(DecisionRow.id.desc()).limit(1))


# --- notifications ------------------------------------------------------------------------


def notify(session: Session, *, user_id: int, application_id: int | None, text: Mapping[str, str],
           dedupe: str, now: dt.datetime) -> NotificationRow | None:
    """Add a notification unless the user already has one with ``dedupe``; the new row."""
    exists = session.scalar(select(NotificationRow.id).where(
        NotificationRow.user_id == user_id, NotificationRow.dedupe == dedupe))
    if exists is not None:
        return None
    row = NotificationRow(user_id=user_id, application_id=application_id, text_ja=text["ja"],
                          text_en=text["en"], dedupe=dedupe, created_at=now)
    # A savepoint: a concurrent reminder run that inserted the same key first makes this one
    # a no-op instead of failing the whole run.
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


def notification_rows(session: Session, *, user_id: int, unread_only: bool = False,
                      limit: int = 50) -> list[NotificationRow]:
    query = select(NotificationRow).where(NotificationRow.user_id == user_id)
    if unread_only:
        query = query.where(NotificationRow.read_at.is_(None))
    return list(session.scalars(query.order_by(NotificationRow.id.desc()).limit(limit)))


def has_review_records(session: Session, evaluator_id: int) -> bool:
    """Whether the user reviewed, or was assigned to review, a recognition application."""
    return session.scalar(select(ReviewRow.id).where(
        ReviewRow.evaluator_id == evaluator_id).limit(1)) is not None or session.scalar(
        select(AssignmentRow.id).where(AssignmentRow.evaluator_id == evaluator_id).limit(1)
    ) is not None


def forget_notifications(session: Session, user_id: int) -> None:
    """Delete every notification of the user's."""
    session.execute(delete(NotificationRow).where(NotificationRow.user_id == user_id))


def body_figures(session: Session, *, bodies: Sequence[str], granting: Sequence[str],
                 since: dt.datetime) -> dict[str, tuple[list[dt.datetime], int]]:
    """What the recognition bodies of slugs ``bodies`` saw happen: for each figure, its
    moments from ``since`` on and its count over all time. ``received``: the applications
    addressed to them and no longer drafts, when they were made; ``decided``: the decisions
    published on those applications; ``recognised``: those of them whose outcome is one of
    ``granting``."""
    addressed = (select(ApplicationRow.id).join(
        OrganisationRow, OrganisationRow.id == ApplicationRow.recognition_body_id)
        .where(OrganisationRow.slug.in_(bodies)))
    received = (ApplicationRow.id.in_(addressed), ApplicationRow.state != "draft")
    decided = (DecisionRow.application_id.in_(addressed), DecisionRow.published_at.is_not(None))
    recognised = (*decided, DecisionRow.outcome.in_(granting))
    found: dict[str, tuple[list[dt.datetime], int]] = {}
    for key, column, conditions in (("received", ApplicationRow.created_at, received),
                                    ("decided", DecisionRow.published_at, decided),
                                    ("recognised", DecisionRow.published_at, recognised)):
        moments = [utc(moment) for moment in session.scalars(
            select(column).where(*conditions, column >= since)) if moment is not None]
        total = session.scalar(select(func.count(column)).where(*conditions)) or 0
        found[key] = (moments, total)
    return found
