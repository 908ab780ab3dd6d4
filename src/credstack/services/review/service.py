"""The review process as a service: applications for recognition, from the applicant's first
draft to the published decision, appeals, withdrawals and renewals.

Every function takes the caller's SQLAlchemy session (one transaction per request), the
:class:`~credstack.core.access.Principal` acting and, for changes, ``now``. What may happen in
which state is :mod:`credstack.core.review`'s to say (:func:`~credstack.core.review.
transition`, the conflict rules, the completeness check, the criteria); this module adds the
store, the record-level rules and the audit log:

* **Who.** Routes check the role first (``access.require(action, applicant,
  recognition_body=body)``, :func:`target` names both organisations). The service checks the
  role again (:func:`credstack.core.access.decide`) and the rules that need stored facts — the
  evaluator is *assigned* to this application, the committee member does not belong to the
  applicant — and raises :class:`~credstack.errors.AccessDeniedError` (403). A principal of
  another organisation asking for an existing application gets 403, not 404: application ids
  are 128-bit random values, so a 403 tells only someone who already holds the id that it
  exists, and it lets every refusal be the same ``access.denied`` audit entry. An unknown id
  is 404.
* **Changes.** Every state change goes through ``transition``, is written to the audit log in
  the same transaction (actor = the principal's subject, subject ``application:<id>``), and
  bumps ``applications.version`` with a compare-and-swap: a caller that read version *n*
  (``expected_version``, the API's ``If-Match``) and finds another gets
  :class:`~credstack.errors.StaleStateError` (409). Of two concurrent decisions on one
  application exactly one wins; the other changes nothing.
* **What each principal sees** (:func:`get_application`): the committee and registry admins
  see everything; an assigned evaluator sees their own assignment and review, and the other
  reviews only once the application is decided; the applicant sees reviews and decisions only
  once published, and never the evaluators' names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import review as store
from credstack.adapters.db.tables.review import (
    ApplicationRow,
    AssignmentRow,
    DecisionRow,
    EvidenceFileRow,
    MessageRow,
    ReviewRow,
)
from credstack.adapters.keystore import MasterKey
from credstack.core.access import PLATFORM, Action, Principal, Role
from credstack.core.access import decide as authorise
from credstack.core.accounts.emails import normalise_email
from credstack.core.descriptors import Programme, get_profile
from credstack.core.review import (
    APPEALABLE,
    TIME_LIMITS,
    Assignment,
    Declaration,
    Event,
    Label,
    Outcome,
    Party,
    PendingStep,
    RecognitionTerm,
    State,
    allowed_events,
    appeal_open,
    check_assignment,
    check_completeness,
    check_declaration,
    check_renewal,
    check_review,
    due_at,
    parse_decision,
    parse_review,
    parse_self_evaluation,
    review_complete,
    summarise,
    transition,
)
from credstack.core.review import reminders as due_reminders
from credstack.core.review.outcomes import decision_number, valid_until
from credstack.errors import (
    AccessDeniedError,
    ConflictError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    Problem,
    StaleStateError,
    UnsupportedMediaError,
)
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.recognitions import service as recognitions
from credstack.settings import Settings

if TYPE_CHECKING:
    from credstack.adapters.search.live import LiveIndex

#: The recognition body's signing key, or how to load it (only recognising needs it).
Signer = MasterKey | Callable[[], MasterKey]

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "MAX_MESSAGE",
    "TEXT",
    "ApplicationSummary",
    "ApplicationView",
    "AssignmentView",
    "DecisionPage",
    "DecisionView",
    "EvidenceView",
    "MessageView",
    "PublicDecision",
    "ReviewView",
    "SentReminder",
    "Signer",
    "Target",
    "Viewer",
    "add_evidence",
    "answer",
    "appeal",
    "assign_evaluator",
    "decide",
    "decide_appeal",
    "declare_interests",
    "evidence_content",
    "get_application",
    "list_applications",
    "notifications",
    "open_application",
    "public_decision",
    "public_decisions",
    "publish",
    "reminders",
    "request_information",
    "sniff",
    "start_renewal",
    "submit",
    "submit_review",
    "target",
    "update_self_evaluation",
    "withdraw_application",
    "withdraw_recognition",
]

#: The largest evidence file accepted: 10 MiB.
MAX_EVIDENCE_BYTES: Final = 10 * 1024 * 1024
#: Longest information request, answer, appeal grounds or withdrawal reason, in characters.
MAX_MESSAGE: Final = 20_000
#: Public decisions per page on the transparency page.
DECISIONS_PER_PAGE: Final = 20


# --- views -------------------------------------------------------------------------------


class Viewer(StrEnum):
    """How a principal stands to an application; decides what :func:`get_application` shows."""

    APPLICANT = "applicant"
    COMMITTEE = "committee"
    EVALUATOR = "evaluator"
    REGISTRY_ADMIN = "registry-admin"


@dataclass(frozen=True, slots=True)
class Target:
    """The two organisations an application belongs to (what ``access.require`` needs)."""

    application: str
    applicant: str
    recognition_body: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    sha256: str
    filename: str
    media_type: str
    size: int
    uploaded_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "filename": self.filename,
                "media_type": self.media_type, "size": self.size,
                "uploaded_at": self.uploaded_at.isoformat()}


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """An evaluator's assignment; the evaluator is named to the committee and to themselves."""

    evaluator_id: int
    evaluator_email: str
    evaluator_name: str
    assigned_at: dt.datetime
    due_at: dt.datetime | None
    #: ``none`` (no conflict), ``conflict`` (recused) or None (not declared yet).
    declaration: str | None
    statement: str | None
    declared_at: dt.datetime | None
    reviewed: bool

    def to_dict(self) -> dict[str, Any]:
        return {"evaluator": {"id": self.evaluator_id, "email": self.evaluator_email,
                              "name": self.evaluator_name},
                "assigned_at": self.assigned_at.isoformat(), "due_at": _iso(self.due_at),
                "declaration": self.declaration, "statement": self.statement,
                "declared_at": _iso(self.declared_at), "reviewed": self.reviewed}


@dataclass(frozen=True, slots=True)
class ReviewView:
    """One evaluator's review; ``evaluator_*`` are None when shown to the applicant."""

    evaluator_id: int | None
    evaluator_email: str | None
    evaluator_name: str | None
    #: Criterion id -> score (1–4).
    scores: Mapping[str, int]
    #: Criterion id -> comment.
    comments: Mapping[str, str]
    summary: str
    submitted_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        evaluator = (None if self.evaluator_id is None else
                     {"id": self.evaluator_id, "email": self.evaluator_email,
                      "name": self.evaluator_name})
        return {"evaluator": evaluator, "scores": dict(self.scores),
                "comments": dict(self.comments), "summary": self.summary,
                "submitted_at": self.submitted_at.isoformat()}


@dataclass(frozen=True, slots=True)
class MessageView:
    """An information request, answer, appeal's grounds or withdrawal's reason."""

    kind: str
    #: Who wrote it: ``applicant`` or ``committee`` (people are not named to each other).
    party: str
    text: str
    at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "party": self.party, "text": self.text,
                "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class DecisionView:
    number: str
    outcome: Outcome
    reasons: Label
    conditions: Label | None
    decided_at: dt.datetime
    appeal: bool
    #: The recognition granted (its number is the decision's), if any.
    recognition: str | None
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    published_at: dt.datetime | None
    #: Per criterion id: ``{"count", "mean", "minimum", "maximum"}`` over the reviews.
    criteria_summary: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "outcome": self.outcome.value,
                "outcome_label": self.outcome.label.to_dict(),
                "reasons": self.reasons.to_dict(),
                "conditions": self.conditions.to_dict() if self.conditions else None,
                "decided_at": self.decided_at.isoformat(), "appeal": self.appeal,
                "recognition": self.recognition, "valid_from": _iso(self.valid_from),
                "valid_until": _iso(self.valid_until), "published_at": _iso(self.published_at),
                "criteria_summary": dict(self.criteria_summary)}


@dataclass(frozen=True, slots=True)
class ApplicationView:
    """One application as one principal may see it (see :func:`get_application`)."""

    id: str
    viewer: Viewer
    applicant: str
    applicant_name: Mapping[str, str]
    recognition_body: str
    recognition_body_name: Mapping[str, str]
    programme_id: int
    programme_version: int
    programme_code: str
    programme_title: Mapping[str, str]
    profile: str
    kind: str
    renewal_of: str | None
    state: State
    state_entered_at: dt.datetime
    due_at: dt.datetime | None
    self_evaluation: Mapping[str, str]
    #: The last completeness check's findings (``code``, ``path``, ``severity``, ``message``).
    findings: tuple[Mapping[str, Any], ...]
    #: The optimistic-locking version: send it back as ``If-Match`` / ``version``.
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    evidence: tuple[EvidenceView, ...]
    assignments: tuple[AssignmentView, ...]
    reviews: tuple[ReviewView, ...]
    messages: tuple[MessageView, ...]
    decisions: tuple[DecisionView, ...]
    #: The number of evaluators assigned (shown to the applicant instead of their names).
    evaluators: int
    #: The steps (:class:`~credstack.core.review.Event` values, and
    #: ``withdraw-recognition``) this viewer may take now.
    actions: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "viewer": self.viewer.value,
            "applicant": {"slug": self.applicant, "name": dict(self.applicant_name)},
            "recognition_body": {"slug": self.recognition_body,
                                 "name": dict(self.recognition_body_name)},
            "programme": {"id": self.programme_id, "version": self.programme_version,
                          "code": self.programme_code, "title": dict(self.programme_title)},
            "profile": self.profile, "kind": self.kind, "renewal_of": self.renewal_of,
            "state": self.state.value, "state_label": self.state.label.to_dict(),
            "state_entered_at": self.state_entered_at.isoformat(),
            "due_at": _iso(self.due_at), "self_evaluation": dict(self.self_evaluation),
            "findings": [dict(f) for f in self.findings], "version": self.version,
            "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat(),
            "evidence": [e.to_dict() for e in self.evidence],
            "assignments": [a.to_dict() for a in self.assignments],
            "evaluators": self.evaluators,
            "reviews": [r.to_dict() for r in self.reviews],
            "messages": [m.to_dict() for m in self.messages],
            "decisions": [d.to_dict() for d in self.decisions],
            "actions": list(self.actions),
        }


@dataclass(frozen=True, slots=True)
class ApplicationSummary:
    """One line of :func:`list_applications`."""

    id: str
    applicant: str
    recognition_body: str
    programme_id: int
    programme_version: int
    kind: str
    state: State
    due_at: dt.datetime | None
    updated_at: dt.datetime
    version: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "applicant": self.applicant,
                "recognition_body": self.recognition_body,
                "programme": {"id": self.programme_id, "version": self.programme_version},
                "kind": self.kind, "state": self.state.value,
                "state_label": self.state.label.to_dict(), "due_at": _iso(self.due_at),
                "updated_at": self.updated_at.isoformat(), "version": self.version}


@dataclass(frozen=True, slots=True)
class PublicDecision:
    """A published decision as the transparency page shows it."""

    number: str
    application: str
    provider: str
    provider_name: Mapping[str, str]
    programme_title: Mapping[str, str]
    outcome: Outcome
    reasons: Label
    conditions: Label | None
    decided_at: dt.datetime
    published_at: dt.datetime
    appeal: bool
    recognition: str | None
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    criteria_summary: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "application": self.application,
                "provider": {"slug": self.provider, "name": dict(self.provider_name)},
                "programme_title": dict(self.programme_title),
                "outcome": self.outcome.value, "outcome_label": self.outcome.label.to_dict(),
                "reasons": self.reasons.to_dict(),
                "conditions": self.conditions.to_dict() if self.conditions else None,
                "decided_at": self.decided_at.isoformat(),
                "published_at": self.published_at.isoformat(), "appeal": self.appeal,
                "recognition": self.recognition, "valid_from": _iso(self.valid_from),
                "valid_until": _iso(self.valid_until),
                "criteria_summary": dict(self.criteria_summary)}


@dataclass(frozen=True, slots=True)
class DecisionPage:
    items: tuple[PublicDecision, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {"items": [d.to_dict() for d in self.items], "total": self.total,
                "page": self.page, "per_page": self.per_page, "pages": self.pages}


@dataclass(frozen=True, slots=True)
class SentReminder:
    """A notification :func:`reminders` created."""

    user_id: int
    email: str
    kind: str
    subject: str
    due_at: dt.datetime
    text: Label

    def to_dict(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "email": self.email, "kind": self.kind,
                "subject": self.subject, "due_at": self.due_at.isoformat(),
                "text": self.text.to_dict()}


# --- small helpers -----------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


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


def _deny(message_en: str, message_ja: str, *, location: str = "application") -> None:
    raise AccessDeniedError(f"{message_en} / {message_ja}",
                            problems=[Problem(location, message_en)])


def _text(value: str, location: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InputError(f"{location} is empty. / {location} が空です。",
                         problems=[Problem(location, "required / 必須です")])
    if len(text) > MAX_MESSAGE:
        raise InputError(f"{location} is too long. / {location} が長すぎます。", problems=[
            Problem(location, f"at most {MAX_MESSAGE:,} characters / {MAX_MESSAGE:,} 文字以内")])
    return text


def _user_id(principal: Principal) -> int | None:
    return principal.user_id


def _load(session: Session, application: str) -> ApplicationRow:
    row = store.find_application(session, application) if application.startswith("app_") \
        else None
    if row is None:
        raise NotFoundError(f"No application {application!r}. / 申請 {application!r} は"
                            "見つかりません。")
    return row


def _target(session: Session, row: ApplicationRow) -> Target:
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
        raise AccessDeniedError(f"{verdict.reason_en} / {verdict.reason_ja}",
                                problems=[Problem("action", action.value)])


def _not_of_applicant(principal: Principal, where: Target) -> None:
    if where.applicant in principal.organisations():
        _deny(f"Members of the applicant organisation {where.applicant!r} take no part in "
              "reviewing or deciding its application.",
              f"申請組織 {where.applicant} の所属者は、その申請の審査・決定に関与できません。")


def _assignments(session: Session, row: ApplicationRow) -> list[AssignmentRow]:
    return store.assignment_rows(session, row.id)


def _core_assignments(session: Session, row: ApplicationRow) -> list[Assignment]:
    reviewed = {review.evaluator_id for review in store.review_rows(session, row.id)}
    return [Assignment(f"user:{a.evaluator_id}", _declaration(a.declaration),
                       a.evaluator_id in reviewed) for a in _assignments(session, row)]


def _declaration(value: str | None) -> Declaration | None:
    if value is None:
        return None
    return Declaration.CONFLICT if value == store.CONFLICT else Declaration.NO_CONFLICT


def _assigned_evaluator(session: Session, principal: Principal, row: ApplicationRow,
                        where: Target) -> AssignmentRow:
    """The principal's own assignment to ``row``; refused unless an assigned evaluator of
    the body (and not of the applicant)."""
    _require(principal, Action.APPLICATION_REVIEW, where)
    _not_of_applicant(principal, where)
    found = (store.find_assignment(session, row.id, principal.user_id)
             if principal.user_id is not None else None)
    if found is None:
        _deny("You are not assigned to evaluate this application.",
              "この申請の評価者に選任されていません。", location="evaluator")
    assert found is not None
    return found


# --- changing an application ----------------------------------------------------------------


def _change(session: Session, principal: Principal, row: ApplicationRow, *,
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


def _stale(row: ApplicationRow, expected: int | None) -> StaleStateError:
    seen = f" (you sent version {expected})" if expected is not None else ""
    return StaleStateError(
        f"Application {row.public_id} was changed by someone else{seen}; reload it and try "
        f"again. / 申請 {row.public_id} は他の利用者によって更新されました。再読み込みして"
        "からやり直してください。", problems=[Problem("version", "stale / 古い版です")])


def _findings_dicts(report_findings: Sequence[Any]) -> list[dict[str, Any]]:
    return [dict(f.to_dict()) for f in report_findings]


# --- the applicant's steps ----------------------------------------------------------------


def open_application(session: Session, principal: Principal, *, organisation: str,
                     programme_id: int, recognition_body: str, profile: str,
                     programme_version: int | None = None, now: dt.datetime,
                     kind: str = store.INITIAL, renewal_of: str | None = None
                     ) -> ApplicationView:
    """Open a draft application of ``organisation`` for a published version of its programme
    (the newest published one unless ``programme_version`` is given) to ``recognition_body``,
    to be checked against the framework profile ``profile``."""
    where = Target("", organisation, recognition_body)
    _require(principal, Action.APPLICATION_MANAGE, where)
    applicant = store.organisation_row(session, organisation)
    body = store.organisation_row(session, recognition_body)
    if applicant is None:
        raise NotFoundError(f"No organisation {organisation!r}. / 組織 {organisation!r} は"
                            "ありません。")
    if body is None or body.kind != "recognition-body":
        raise InputError(f"{recognition_body!r} is not a recognition body. / "
                         f"{recognition_body!r} は認定機関ではありません。",
                         problems=[Problem("recognition_body", "a recognition body's slug")])
    if body.id == applicant.id:
        raise InputError("A recognition body does not recognise its own programmes. / "
                         "認定機関は自らのプログラムを認定できません。",
                         problems=[Problem("recognition_body", "another organisation")])
    get_profile(profile)  # UnknownProfileError (422) for a profile credstack does not know
    programme = programme_store.get_programme(session, programme_id=programme_id)
    if programme.organisation_slug != organisation:
        raise NotFoundError(f"Organisation {organisation!r} has no programme {programme_id}. / "
                            f"組織 {organisation} にプログラム {programme_id} はありません。")
    if programme_version is None:
        published = programme_store.get_published_programme(session, programme_id=programme_id)
        programme_version = published.latest.version
    version = programme_store.get_version(session, programme_id=programme_id,
                                          version=programme_version)
    if version.status is not programme_store.Status.PUBLISHED:
        raise ConflictError(f"Version {programme_version} of programme {programme_id} is a "
                            "draft; publish it before applying. / 下書きの版は申請できません。",
                            problems=[Problem("programme_version", "a published version")])
    row = ApplicationRow(
        public_id=store.new_public_id(), organisation_id=applicant.id, programme_id=programme_id,
        programme_version=programme_version, recognition_body_id=body.id, profile=profile,
        kind=kind, renewal_of=renewal_of, state=State.DRAFT.value, state_entered_at=now,
        due_at=None, self_evaluation={}, findings=[], version=1, created_at=now,
        updated_at=now, created_by=_user_id(principal))
    session.add(row)
    session.flush()
    audit.record(session, at=now, actor=principal.subject,
                 action="application.renewal-opened" if kind == store.RENEWAL
                 else "application.opened",
                 subject=f"application:{row.public_id}",
                 details={"applicant": organisation, "recognition_body": recognition_body,
                          "programme_id": programme_id, "programme_version": programme_version,
                          "profile": profile, "kind": kind, "renewal_of": renewal_of,
                          "version": row.version})
    return _view(session, principal, row)


def _editable(row: ApplicationRow) -> list[Event]:
    """The steps that make an application editable again: none for a draft, ``revise`` for
    an incomplete one; for any other state the state machine refuses ``revise``."""
    return [] if row.state == State.DRAFT.value else [Event.REVISE]


def update_self_evaluation(session: Session, principal: Principal, *, application: str,
                           self_evaluation: Mapping[str, object],
                           expected_version: int | None = None, now: dt.datetime
                           ) -> ApplicationView:
    """Replace the texts of the criteria named in ``self_evaluation`` (an empty text clears
    one). A draft, or an incomplete application (which goes back to draft)."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    texts = parse_self_evaluation(self_evaluation)
    merged = {**row.self_evaluation}
    for criterion in self_evaluation:
        if criterion in texts:
            merged[criterion] = texts[criterion]
        else:
            merged.pop(criterion, None)
    _change(session, principal, row, events=_editable(row), expected=expected_version, now=now,
            action="application.self-evaluation-updated",
            details={"criteria": sorted(self_evaluation)}, self_evaluation=merged)
    return _view(session, principal, row)


_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
TEXT: Final = "text/plain"
#: What a file's name may say about its type; a name that says otherwise is refused.
_EXTENSIONS: Final[Mapping[str, str]] = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".txt": TEXT, ".text": TEXT, ".md": TEXT, ".csv": TEXT,
}
_MARKUP = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|meta|[a-z]+[\s>])",
                     re.IGNORECASE)


def sniff(content: bytes, filename: str) -> str:
    """The media type of an evidence file, judged by its bytes (never by its name alone):
    PDF, PNG, JPEG or UTF-8 plain text. Markup (HTML, SVG, XML) is not plain text. A name
    whose extension says another type is refused too: an HTML page named ``.pdf``."""
    detected = next((media for magic, media in _MAGIC if content.startswith(magic)), None)
    if detected is None:
        body = content.removeprefix(b"\xef\xbb\xbf")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if (text is not None and not _MARKUP.match(body)
                and not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f"
                            for c in text)):
            detected = TEXT
    dot = filename.rfind(".")
    named = _EXTENSIONS.get(filename[dot:].lower()) if dot >= 0 else None
    if detected is None or (named is not None and named != detected) or (
            named is None and dot >= 0 and detected != TEXT):
        what = detected or "not PDF, PNG, JPEG or UTF-8 plain text"
        raise UnsupportedMediaError(
            f"{filename}: evidence must be a PDF, PNG, JPEG or UTF-8 plain-text file whose "
            f"name matches its content (the content is {what}). / 根拠資料は PDF・PNG・JPEG・"
            "UTF-8 のテキストのいずれかで、ファイル名と内容が一致している必要があります。",
            problems=[Problem("file", what)])
    return detected


def _filename(name: str) -> str:
    """The last part of an uploaded file's name, without control characters, ≤ 255."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return cleaned[:255] or "evidence"


def add_evidence(session: Session, principal: Principal, *, application: str, filename: str,
                 content: bytes, now: dt.datetime, expected_version: int | None = None
                 ) -> EvidenceView:
    """Attach an evidence file (PDF, PNG, JPEG or UTF-8 text, at most 10 MiB, type judged by
    its bytes). The same content twice is one file: the existing one is returned."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    if len(content) > MAX_EVIDENCE_BYTES:
        raise InputTooLargeError(
            f"The evidence file is {len(content):,} bytes; at most {MAX_EVIDENCE_BYTES:,} "
            "bytes (10 MiB) are accepted. / 根拠資料は 10 MiB までです。",
            problems=[Problem("file", f"{len(content):,} bytes")])
    if not content:
        raise InputError("The evidence file is empty. / 根拠資料が空です。",
                         problems=[Problem("file", "empty / 空です")])
    name = _filename(filename)
    media_type = sniff(content, name)
    digest = hashlib.sha256(content).hexdigest()
    existing = store.find_evidence(session, row.id, digest)
    if existing is not None:
        return _evidence(existing)
    events = (_editable(row) if row.state in (State.DRAFT.value, State.INCOMPLETE.value)
              else None)
    if events is None:
        # More evidence may come with the answer to an information request.
        if row.state != State.INFORMATION_REQUESTED.value:
            transition(State(row.state), Event.REVISE)  # refuses, naming the allowed steps
        events = []
    _change(session, principal, row, events=events, expected=expected_version, now=now,
            action="evidence.added",
            details={"sha256": digest, "filename": name, "media_type": media_type,
                     "size": len(content)})
    added = EvidenceFileRow(application_id=row.id, filename=name, media_type=media_type,
                                  size=len(content), sha256=digest, content=content,
                                  uploaded_by=_user_id(principal), uploaded_at=now)
    session.add(added)
    session.flush()
    return _evidence(added)


def _evidence(row: EvidenceFileRow) -> EvidenceView:
    return EvidenceView(row.sha256, row.filename, row.media_type, row.size,
                        _utc(row.uploaded_at))


def evidence_content(session: Session, principal: Principal, *, application: str,
                     sha256: str) -> tuple[EvidenceView, bytes]:
    """An evidence file and its bytes, for anyone who may read the application."""
    row = _load(session, application)
    _viewer(session, principal, row, _target(session, row))
    found = store.find_evidence(session, row.id, sha256.lower(), content=True)
    if found is None:
        raise NotFoundError(f"Application {application} has no evidence file {sha256}. / "
                            "根拠資料が見つかりません。")
    return _evidence(found), found.content


def submit(session: Session, principal: Principal, *, application: str,
           expected_version: int | None = None, now: dt.datetime) -> ApplicationView:
    """Hand the application in; the completeness check runs at once. Complete: it awaits
    evaluators. Incomplete: the findings are stored and it goes back to the applicant
    (``incomplete``), who revises and submits again."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    version = programme_store.get_version(session, programme_id=row.programme_id,
                                          version=row.programme_version)
    report = check_completeness(programme=version.programme, profile=row.profile,
                                self_evaluation=row.self_evaluation,
                                evidence_files=len(store.evidence_rows(session, row.id)))
    outcome = Event.COMPLETENESS_PASSED if report.complete else Event.COMPLETENESS_FAILED
    events = [*(_editable(row) if row.state == State.INCOMPLETE.value else []), Event.SUBMIT,
              outcome]
    findings = _findings_dicts(report.findings)
    _change(session, principal, row, events=events, expected=expected_version, now=now,
            action="application.submitted",
            details={"complete": report.complete, "errors": len(report.errors)},
            findings=findings)
    audit.record(session, at=now, actor="system",
                 action="application.complete" if report.complete
                 else "application.incomplete",
                 subject=f"application:{row.public_id}",
                 details={"profile": row.profile,
                          "errors": [f["code"] + " " + f["path"] for f in findings
                                     if f["severity"] == "error"]})
    return _view(session, principal, row)


def answer(session: Session, principal: Principal, *, application: str, text: str,
           expected_version: int | None = None, now: dt.datetime) -> ApplicationView:
    """Answer the committee's request for information; the review resumes."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    body = _text(text, "text")
    _change(session, principal, row, events=[Event.ANSWER_INFORMATION],
            expected=expected_version, now=now, action="information.answered",
            details={"length": len(body)})
    _message(session, principal, row, store.ANSWER, body, now)
    return _view(session, principal, row)


def appeal(session: Session, principal: Principal, *, application: str, grounds: str,
           expected_version: int | None = None, now: dt.datetime) -> ApplicationView:
    """Appeal a published decision that is appealable (not recognised, or recognised with
    conditions) within the appeal window."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    text = _text(grounds, "grounds")
    decisions = store.decision_rows(session, row.id)
    latest = decisions[-1] if decisions else None
    transition(State(row.state), Event.APPEAL)
    assert latest is not None and latest.published_at is not None
    if Outcome(latest.outcome) not in APPEALABLE:
        raise ConflictError("An unconditional recognition cannot be appealed. / "
                            "条件なしの認定に異議申立てはできません。",
                            problems=[Problem("outcome", latest.outcome)])
    if any(d.appeal for d in decisions):
        raise ConflictError("This application's appeal was already decided. / "
                            "この申請の異議申立てはすでに決定済みです。",
                            problems=[Problem("appeal", "decided")])
    if not appeal_open(_utc(latest.published_at), now):
        raise ConflictError("The time to appeal has ended. / 異議申立ての期間は終了しました。",
                            problems=[Problem("appeal", "window closed")])
    _change(session, principal, row, events=[Event.APPEAL], expected=expected_version,
            now=now, action="application.appealed", details={"decision": latest.number})
    _message(session, principal, row, store.APPEAL, text, now)
    return _view(session, principal, row)


def withdraw_application(session: Session, principal: Principal, *, application: str,
                         reason: str, expected_version: int | None = None,
                         now: dt.datetime) -> ApplicationView:
    """The applicant withdraws the application (any time before a decision). Final."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_MANAGE, where)
    text = _text(reason, "reason")
    _change(session, principal, row, events=[Event.WITHDRAW], expected=expected_version,
            now=now, action="application.withdrawn", details={})
    _message(session, principal, row, store.WITHDRAWAL, text, now)
    return _view(session, principal, row)


def start_renewal(session: Session, principal: Principal, *, recognition: str,
                  programme_version: int | None = None, profile: str | None = None,
                  now: dt.datetime) -> ApplicationView:
    """Open a renewal application for the recognition numbered ``recognition`` (in force and
    ending within the renewal window), for the same programme, body and (unless given)
    profile; the newest published version unless ``programme_version`` is given."""
    record = recognitions.recognition(session, recognition)
    decision = store.decision_for_recognition(session, recognition)
    if decision is None:
        raise NotFoundError(f"No decision granted recognition {recognition}.")
    previous = session.get(ApplicationRow, decision.application_id)
    assert previous is not None
    where = _target(session, previous)
    _require(principal, Action.APPLICATION_MANAGE, where)
    if record.valid_until is None:
        raise ConflictError("This recognition does not expire; it needs no renewal. / "
                            "この認定に有効期限はありません。")
    check_renewal(valid_until=_utc(record.valid_until),
                  withdrawn_at=_opt_utc(record.withdrawn_at), now=now)
    return open_application(session, principal, organisation=where.applicant,
                            programme_id=previous.programme_id,
                            programme_version=programme_version,
                            recognition_body=where.recognition_body,
                            profile=profile or previous.profile, now=now,
                            kind=store.RENEWAL, renewal_of=recognition)


# --- the committee's and evaluators' steps --------------------------------------------------


def assign_evaluator(session: Session, principal: Principal, *, application: str,
                     evaluator_email: str, expected_version: int | None = None,
                     now: dt.datetime) -> ApplicationView:
    """Assign an evaluator of the recognition body, named by e-mail address, under the
    conflict-of-interest rules (not a member of the applicant, not recused, not twice)."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_ASSIGN, where)
    _not_of_applicant(principal, where)
    transition(State(row.state), Event.ASSIGN_EVALUATOR)
    try:
        evaluator = accounts.user(session, email=normalise_email(evaluator_email))
    except (NotFoundError, InputError):
        raise InputError(f"No user with the e-mail address {evaluator_email!r}. / "
                         "そのメールアドレスの利用者はいません。",
                         problems=[Problem("evaluator", "unknown e-mail address")]) from None
    if not any(m.role is Role.EVALUATOR and m.organisation == where.recognition_body
               for m in evaluator.memberships):
        raise InputError(f"{evaluator.email} is not an evaluator of {where.recognition_body}. / "
                         f"{evaluator.email} は {where.recognition_body} の評価者ではありません。",
                         problems=[Problem("evaluator", "not an evaluator of the body")])
    organisations = {m.organisation for m in evaluator.memberships if m.organisation != PLATFORM}
    check_assignment(evaluator=evaluator.subject, evaluator_organisations=organisations,
                     applicant=where.applicant,
                     assignments=_core_assignments(session, row))
    _change(session, principal, row, events=[Event.ASSIGN_EVALUATOR],
            expected=expected_version, now=now, action="evaluator.assigned",
            details={"evaluator": evaluator.subject})
    limit = TIME_LIMITS[State.UNDER_REVIEW].period
    existing = store.find_assignment(session, row.id, evaluator.id)
    if existing is not None:  # recused before: check_assignment refuses; kept for safety
        raise ConflictError("The evaluator was assigned before. / 選任済みです。")
    session.add(AssignmentRow(application_id=row.id, evaluator_id=evaluator.id,
                                    assigned_by=_user_id(principal), assigned_at=now,
                                    due_at=now + limit))
    store.notify(session, user_id=evaluator.id, application_id=row.id, text={
        "ja": f"申請 {row.public_id} の評価者に選任されました。利益相反を申告してください。",
        "en": f"You were assigned to evaluate application {row.public_id}; please declare "
              "your interests first."}, dedupe=f"assigned:{row.public_id}", now=now)
    session.flush()
    return _view(session, principal, row)


def declare_interests(session: Session, principal: Principal, *, application: str,
                      conflict: bool, statement: str = "", expected_version: int | None = None,
                      now: dt.datetime) -> ApplicationView:
    """The assigned evaluator declares whether they have a conflict of interest; declaring
    one recuses them (the committee assigns someone else)."""
    row = _load(session, application)
    where = _target(session, row)
    mine = _assigned_evaluator(session, principal, row, where)
    check_declaration(_core_assignments(session, row), f"user:{mine.evaluator_id}")
    text = (statement or "").strip()
    if conflict and not text:
        raise InputError("Say what the conflict of interest is. / 利益相反の内容を記入して"
                         "ください。", problems=[Problem("statement", "required / 必須です")])
    if len(text) > MAX_MESSAGE:
        raise InputError("The statement is too long. / 記述が長すぎます。",
                         problems=[Problem("statement", f"at most {MAX_MESSAGE:,} characters")])
    _change(session, principal, row, events=[Event.DECLARE_INTERESTS],
            expected=expected_version, now=now, action="interests.declared",
            details={"evaluator": f"user:{mine.evaluator_id}",
                     "declaration": store.CONFLICT if conflict else store.NO_CONFLICT})
    mine.declaration = store.CONFLICT if conflict else store.NO_CONFLICT
    mine.declaration_statement = text or None
    mine.declared_at = now
    session.flush()
    return _view(session, principal, row)


def submit_review(session: Session, principal: Principal, *, application: str,
                  scores: Mapping[str, object], comments: Mapping[str, object],
                  summary: str = "", expected_version: int | None = None, now: dt.datetime
                  ) -> ApplicationView:
    """The assigned evaluator's review against every criterion (score 1–4 and a comment).
    When it is the last review needed, the application becomes ``reviewed``."""
    row = _load(session, application)
    where = _target(session, row)
    mine = _assigned_evaluator(session, principal, row, where)
    me = f"user:{mine.evaluator_id}"
    check_review(_core_assignments(session, row), me)
    review = parse_review(scores, comments)
    text = (summary or "").strip()
    if len(text) > MAX_MESSAGE:
        raise InputError("The summary is too long. / 総評が長すぎます。",
                         problems=[Problem("summary", f"at most {MAX_MESSAGE:,} characters")])
    after = [a if a.evaluator != me else Assignment(a.evaluator, a.declaration, True)
             for a in _core_assignments(session, row)]
    events = [Event.SUBMIT_REVIEW]
    if review_complete(after):
        events.append(Event.COMPLETE_REVIEW)
    _change(session, principal, row, events=events, expected=expected_version, now=now,
            action="review.submitted",
            details={"evaluator": me, "scores": {e.criterion: int(e.score)
                                                 for e in review.entries},
                     "complete": Event.COMPLETE_REVIEW in events})
    session.add(ReviewRow(
        application_id=row.id, evaluator_id=mine.evaluator_id,
        scores={e.criterion: int(e.score) for e in review.entries},
        comments={e.criterion: e.comment for e in review.entries}, summary=text,
        submitted_at=now))
    session.flush()
    return _view(session, principal, row)


def request_information(session: Session, principal: Principal, *, application: str,
                        text: str, expected_version: int | None = None, now: dt.datetime
                        ) -> ApplicationView:
    """The committee asks the applicant for more information; the review pauses."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_ASSIGN, where)
    _not_of_applicant(principal, where)
    body = _text(text, "text")
    _change(session, principal, row, events=[Event.REQUEST_INFORMATION],
            expected=expected_version, now=now, action="information.requested",
            details={"length": len(body)})
    _message(session, principal, row, store.INFORMATION_REQUEST, body, now)
    _notify_applicant(session, row, where, now, dedupe=f"information:{row.public_id}:"
                      f"{row.version}", text={
                          "ja": f"申請 {row.public_id} について追加情報の依頼があります。",
                          "en": f"More information is requested on application "
                                f"{row.public_id}."})
    return _view(session, principal, row)


def _message(session: Session, principal: Principal, row: ApplicationRow, kind: str,
             text: str, now: dt.datetime) -> None:
    session.add(MessageRow(application_id=row.id, kind=kind,
                                 author_id=_user_id(principal), author=principal.subject,
                                 text=text, at=now))
    session.flush()


def _notify_applicant(session: Session, row: ApplicationRow, where: Target, now: dt.datetime,
                      *, dedupe: str, text: Mapping[str, str]) -> None:
    for user, role in accounts.members(session, organisation=where.applicant):
        if role is Role.PROVIDER_ADMIN:
            store.notify(session, user_id=user.id, application_id=row.id, text=text,
                         dedupe=dedupe, now=now)


def _criteria_summary(session: Session, row: ApplicationRow) -> dict[str, Any]:
    reviews = [parse_review(r.scores, r.comments) for r in store.review_rows(session, row.id)]
    summary = summarise(reviews)
    return {c.criterion: {"count": c.count, "mean": str(c.mean), "minimum": int(c.minimum),
                          "maximum": int(c.maximum)} for c in summary.criteria}


def _record_decision(session: Session, principal: Principal, row: ApplicationRow,
                     where: Target, *, outcome: str, reasons_ja: str | None,
                     reasons_en: str | None, conditions_ja: str | None,
                     conditions_en: str | None, appeal: bool, now: dt.datetime,
                     signer: Signer | None, settings: Settings | None,
                     registry: LiveIndex | None, published: bool = False,
                     standing: DecisionRow | None = None) -> DecisionRow:
    """Insert the decision and, when it recognises the programme, grant the recognition
    (unless it confirms the ``standing`` decision, whose recognition it keeps)."""
    decided = parse_decision(outcome=outcome, reasons_ja=reasons_ja, reasons_en=reasons_en,
                             conditions_ja=conditions_ja, conditions_en=conditions_en)
    programme = programme_store.get_version(session, programme_id=row.programme_id,
                                            version=row.programme_version)
    applicant = store.organisation_row(session, where.applicant)
    assert applicant is not None
    title = _title(programme.programme)
    reasons, conditions = decided.reasons, decided.conditions
    number = decision_number(now.year, store.decision_sequence(session, now.year) + 1)
    recognition = None
    valid_from = until = None
    if standing is not None:
        recognition = standing.recognition
        valid_from, until = standing.valid_from, standing.valid_until
    elif decided.outcome.grants_recognition:
        if signer is None or settings is None:
            raise ConflictError("Recognising needs the recognition body's signing key. / "
                                "認定には認定機関の署名鍵が必要です。")
        valid_from = now
        until = valid_until(decided.outcome, now)
        granted = recognitions.grant(
            session, signer_secret=signer() if callable(signer) else signer, settings=settings,
            recognition_body=where.recognition_body, programme_id=row.programme_id,
            version=row.programme_version, application=row.public_id, decision_number=number,
            outcome=decided.outcome, conditions=conditions, reasons=reasons,
            valid_from=valid_from, valid_until=until, now=now, actor=principal.subject,
            registry=registry)
        recognition = granted.number
    decision = DecisionRow(
        application_id=row.id, number=number, outcome=decided.outcome.value,
        reasons=reasons.to_dict(), conditions=conditions.to_dict() if conditions else None,
        decided_by=_user_id(principal), decided_at=now, appeal=appeal, recognition=recognition,
        valid_from=valid_from, valid_until=until,
        criteria_summary=_criteria_summary(session, row), programme_title=title,
        provider_name=dict(applicant.name),
        search_text=store.search_key(
            number, *title.values(), programme.programme.code, applicant.slug,
            *applicant.name.values(), decided.outcome.value, decided.outcome.label.ja,
            decided.outcome.label.en, reasons.ja, reasons.en,
            *(conditions.ja, conditions.en) if conditions else ()),
        published_at=now if published else None)
    session.add(decision)
    session.flush()
    audit.record(session, at=now, actor=principal.subject,
                 action="appeal.decided" if appeal else "decision.made",
                 subject=f"application:{row.public_id}",
                 details={"decision": number, "outcome": decided.outcome.value,
                          "recognition": recognition})
    return decision


def decide(session: Session, principal: Principal, *, application: str, outcome: str,
           reasons_ja: str | None = None, reasons_en: str | None = None,
           conditions_ja: str | None = None, conditions_en: str | None = None,
           expected_version: int | None = None, now: dt.datetime,
           signer: Signer | None = None, settings: Settings | None = None,
           registry: LiveIndex | None = None) -> ApplicationView:
    """The committee decides a reviewed application: recognised, recognised with conditions
    (which need conditions) or not recognised, with reasons. A recognition issues the
    body's endorsement credential (``signer``, ``settings``). Never by a member of the
    applicant organisation. Of two concurrent decisions exactly one is recorded."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_DECIDE, where)
    _not_of_applicant(principal, where)
    parse_decision(outcome=outcome, reasons_ja=reasons_ja, reasons_en=reasons_en,
                   conditions_ja=conditions_ja, conditions_en=conditions_en)
    # The compare-and-swap comes before any other write: the loser of a race stops here.
    _change(session, principal, row, events=[Event.DECIDE], expected=expected_version, now=now,
            action="application.decided", details={"outcome": outcome})
    _record_decision(session, principal, row, where, outcome=outcome, reasons_ja=reasons_ja,
                     reasons_en=reasons_en, conditions_ja=conditions_ja,
                     conditions_en=conditions_en, appeal=False, now=now, signer=signer,
                     settings=settings, registry=registry)
    return _view(session, principal, row)


def publish(session: Session, principal: Principal, *, application: str,
            expected_version: int | None = None, now: dt.datetime) -> ApplicationView:
    """Publish the decision: it appears, with its reasons, on the transparency page."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_DECIDE, where)
    _not_of_applicant(principal, where)
    pending = [d for d in store.decision_rows(session, row.id) if d.published_at is None]
    _change(session, principal, row, events=[Event.PUBLISH], expected=expected_version,
            now=now, action="decision.published",
            details={"decisions": [d.number for d in pending]})
    for decision in pending:
        decision.published_at = now
    _notify_applicant(session, row, where, now, dedupe=f"published:{row.public_id}:"
                      f"{row.version}", text={
                          "ja": f"申請 {row.public_id} の決定が公表されました。",
                          "en": f"The decision on application {row.public_id} is published."})
    session.flush()
    return _view(session, principal, row)


def decide_appeal(session: Session, principal: Principal, *, application: str, uphold: bool,
                  reasons_ja: str | None = None, reasons_en: str | None = None,
                  outcome: str | None = None, conditions_ja: str | None = None,
                  conditions_en: str | None = None, expected_version: int | None = None,
                  now: dt.datetime, signer: Signer | None = None,
                  settings: Settings | None = None, registry: LiveIndex | None = None
                  ) -> ApplicationView:
    """Decide an appeal. Dismissed: the decision stands, the dismissal and its reasons are
    published at once. Upheld: a new decision with ``outcome`` replaces the old one (a
    recognition the old one granted is withdrawn) and is published like any decision."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_DECIDE, where)
    _not_of_applicant(principal, where)
    previous = store.decision_rows(session, row.id)[-1:]
    standing = previous[0] if previous else None
    if uphold and not outcome:
        raise InputError("An upheld appeal needs the new outcome. / 認容には新しい結果が"
                         "必要です。", problems=[Problem("outcome", "required / 必須です")])
    new_outcome = outcome if uphold and outcome else (standing.outcome if standing else "")
    # Check the texts before anything is written (a dismissal's are its reasons only).
    parse_decision(outcome=new_outcome if uphold else Outcome.NOT_RECOGNISED.value,
                   reasons_ja=reasons_ja, reasons_en=reasons_en,
                   conditions_ja=conditions_ja if uphold else None,
                   conditions_en=conditions_en if uphold else None)
    event = Event.UPHOLD_APPEAL if uphold else Event.DISMISS_APPEAL
    _change(session, principal, row, events=[event], expected=expected_version, now=now,
            action="appeal.upheld" if uphold else "appeal.dismissed",
            details={"outcome": new_outcome})
    if not uphold:
        assert standing is not None
        conditions = _label(standing.conditions) if standing.conditions else None
        _record_decision(session, principal, row, where, outcome=standing.outcome,
                         reasons_ja=reasons_ja, reasons_en=reasons_en,
                         conditions_ja=conditions.ja if conditions else None,
                         conditions_en=conditions.en if conditions else None, appeal=True,
                         now=now, signer=None, settings=None, registry=registry,
                         published=True, standing=standing)
        return _view(session, principal, row)
    if standing is not None and standing.recognition is not None:
        withdrawn = recognitions.recognition(session, standing.recognition)
        if withdrawn.withdrawn_at is None:
            recognitions.withdraw(session, recognition=standing.recognition,
                                  reason="Replaced by the decision on appeal. / "
                                         "異議申立てに対する決定により置き換えられました。",
                                  now=now, actor=principal.subject, registry=registry)
    assert outcome is not None
    _record_decision(session, principal, row, where, outcome=outcome, reasons_ja=reasons_ja,
                     reasons_en=reasons_en, conditions_ja=conditions_ja,
                     conditions_en=conditions_en, appeal=True, now=now, signer=signer,
                     settings=settings, registry=registry)
    return _view(session, principal, row)


def withdraw_recognition(session: Session, principal: Principal, *, application: str,
                         reason: str, expected_version: int | None = None, now: dt.datetime,
                         registry: LiveIndex | None = None) -> ApplicationView:
    """Withdraw the recognition the application's latest decision granted: its endorsement
    is revoked through the body's status list. Final."""
    row = _load(session, application)
    where = _target(session, row)
    _require(principal, Action.APPLICATION_DECIDE, where)
    _not_of_applicant(principal, where)
    text = _text(reason, "reason")
    granted = [d for d in store.decision_rows(session, row.id) if d.recognition]
    if not granted or row.state not in (State.PUBLISHED.value, State.APPEALED.value):
        raise ConflictError("This application has no published recognition to withdraw. / "
                            "取り消す認定（公表済み）がありません。",
                            problems=[Problem("recognition", "none")])
    number = granted[-1].recognition
    assert number is not None
    _change(session, principal, row, events=[], expected=expected_version, now=now,
            action="application.recognition-withdrawn", details={"recognition": number})
    recognitions.withdraw(session, recognition=number, reason=text, now=now,
                          actor=principal.subject, registry=registry)
    _message(session, principal, row, store.WITHDRAWAL, text, now)
    return _view(session, principal, row)


# --- reading ------------------------------------------------------------------------------


def _viewer(session: Session, principal: Principal, row: ApplicationRow, where: Target
            ) -> Viewer:
    """How ``principal`` stands to the application, if allowed to read it; else refused."""
    _require(principal, Action.APPLICATION_READ, where)
    return _relation(session, principal, row, where)


def _relation(session: Session, principal: Principal, row: ApplicationRow, where: Target
              ) -> Viewer:
    """How ``principal`` stands to the application (the role check aside); refused if not
    at all."""
    if where.applicant in principal.organisations():
        # A member of the applicant sees the applicant's view whatever else they are.
        if principal.has_role(Role.PROVIDER_ADMIN, where.applicant):
            return Viewer.APPLICANT
        _deny("Only the applicant's administrators read its applications.",
              "申請組織の管理者のみが申請を閲覧できます。")
    if principal.has_role(Role.REGISTRY_ADMIN):
        return Viewer.REGISTRY_ADMIN
    if principal.has_role(Role.COMMITTEE_MEMBER, where.recognition_body):
        return Viewer.COMMITTEE
    if (principal.has_role(Role.EVALUATOR, where.recognition_body)
            and principal.user_id is not None
            and store.find_assignment(session, row.id, principal.user_id) is not None):
        return Viewer.EVALUATOR
    _deny("You may not read this application.", "この申請を閲覧する権限がありません。")
    raise AssertionError("unreachable")


def get_application(session: Session, principal: Principal, *, application: str
                    ) -> ApplicationView:
    """The application as ``principal`` may see it:

    * committee members of the body and registry admins: everything;
    * an assigned evaluator: their own assignment and review; every review once decided;
    * the applicant's administrators: reviews (without evaluators' names) and decisions only
      once published; assignments only as a count.
    """
    return _view(session, principal, _load(session, application), read=True)


_DECIDED: Final = frozenset({State.DECIDED.value, State.PUBLISHED.value, State.APPEALED.value})


def _view(session: Session, principal: Principal, row: ApplicationRow, *,
          read: bool = False) -> ApplicationView:
    """The application as ``principal`` sees it. ``read``: a plain read, which needs
    ``application.read``; after a step the actor sees the result of what they were allowed
    to do (a token scoped to ``recognition:review`` alone included)."""
    where = _target(session, row)
    viewer = (_viewer if read else _relation)(session, principal, row, where)
    state = State(row.state)
    names = store.organisation_names(session, [row.organisation_id, row.recognition_body_id])
    version = programme_store.get_version(session, programme_id=row.programme_id,
                                          version=row.programme_version)
    assignment_rows = _assignments(session, row)
    review_rows = store.review_rows(session, row.id)
    decision_rows = store.decision_rows(session, row.id)
    people = store.people(session, [a.evaluator_id for a in assignment_rows])
    reviewed = {r.evaluator_id for r in review_rows}
    full = viewer in (Viewer.COMMITTEE, Viewer.REGISTRY_ADMIN)
    published = any(d.published_at is not None for d in decision_rows)

    assignments: list[AssignmentView] = []
    for a in assignment_rows:
        if full or (viewer is Viewer.EVALUATOR and a.evaluator_id == principal.user_id):
            email, name = people[a.evaluator_id]
            assignments.append(AssignmentView(
                a.evaluator_id, email, name, _utc(a.assigned_at),
                _opt_utc(a.due_at), a.declaration, a.declaration_statement,
                _opt_utc(a.declared_at), a.evaluator_id in reviewed))
    reviews: list[ReviewView] = []
    for r in review_rows:
        show = (full or (viewer is Viewer.EVALUATOR and (r.evaluator_id == principal.user_id
                                                         or row.state in _DECIDED))
                or (viewer is Viewer.APPLICANT and published))
        if not show:
            continue
        named = viewer is not Viewer.APPLICANT
        author = people.get(r.evaluator_id)
        reviews.append(ReviewView(
            r.evaluator_id if named else None,
            author[0] if named and author else None,
            author[1] if named and author else None,
            dict(r.scores), dict(r.comments), r.summary, _utc(r.submitted_at)))
    decisions = tuple(_decision(d) for d in decision_rows
                      if viewer is not Viewer.APPLICANT or d.published_at is not None)
    messages = tuple(MessageView(m.kind, _party(m, state), m.text, _utc(m.at))
                     for m in store.message_rows(session, row.id))
    return ApplicationView(
        id=row.public_id, viewer=viewer, applicant=where.applicant,
        applicant_name=names.get(row.organisation_id, {}),
        recognition_body=where.recognition_body,
        recognition_body_name=names.get(row.recognition_body_id, {}),
        programme_id=row.programme_id, programme_version=row.programme_version,
        programme_code=version.programme.code,
        programme_title=_title(version.programme), profile=row.profile, kind=row.kind,
        renewal_of=row.renewal_of, state=state, state_entered_at=_utc(row.state_entered_at),
        due_at=_opt_utc(row.due_at), self_evaluation=dict(row.self_evaluation),
        findings=tuple(row.findings), version=row.version, created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
        evidence=tuple(_evidence(e) for e in store.evidence_rows(session, row.id)),
        assignments=tuple(assignments), reviews=tuple(reviews), messages=messages,
        decisions=decisions, evaluators=len(assignment_rows),
        actions=_actions(viewer, state, principal, assignment_rows, reviewed, decision_rows))


def _party(message: MessageRow, state: State) -> str:
    # A withdrawal's reason is the applicant's when the application was withdrawn (before any
    # decision), else the committee's (a recognition withdrawn after publication).
    if message.kind in (store.ANSWER, store.APPEAL) or (
            message.kind == store.WITHDRAWAL and state is State.WITHDRAWN):
        return Party.APPLICANT.value
    return Party.COMMITTEE.value


def _decision(row: DecisionRow) -> DecisionView:
    return DecisionView(
        row.number, Outcome(row.outcome), _label(row.reasons) or Label("", ""),
        _label(row.conditions), _utc(row.decided_at), row.appeal, row.recognition,
        _opt_utc(row.valid_from), _opt_utc(row.valid_until), _opt_utc(row.published_at),
        dict(row.criteria_summary))


_PARTIES: Final[Mapping[Viewer, frozenset[Party]]] = {
    Viewer.APPLICANT: frozenset({Party.APPLICANT}),
    Viewer.COMMITTEE: frozenset({Party.COMMITTEE}),
    Viewer.EVALUATOR: frozenset({Party.EVALUATOR}),
    Viewer.REGISTRY_ADMIN: frozenset(),
}


def _actions(viewer: Viewer, state: State, principal: Principal,
             assignments: Sequence[AssignmentRow], reviewed: set[int],
             decisions: Sequence[DecisionRow]) -> tuple[str, ...]:
    """The steps the viewer may take now (buttons to show; the service still checks)."""
    found: list[str] = []
    for event in allowed_events(state):
        if event.party not in _PARTIES[viewer]:
            continue
        if viewer is Viewer.EVALUATOR:
            mine = next((a for a in assignments if a.evaluator_id == principal.user_id), None)
            if mine is None:
                continue
            if event is Event.DECLARE_INTERESTS and mine.declaration is not None:
                continue
            if event is Event.SUBMIT_REVIEW and (mine.declaration != store.NO_CONFLICT
                                                 or mine.evaluator_id in reviewed):
                continue
        if event is Event.COMPLETE_REVIEW:
            continue  # taken automatically with the last review
        found.append(event.value)
    if state is State.INCOMPLETE and viewer is Viewer.APPLICANT:
        found.append(Event.SUBMIT.value)
    if (viewer is Viewer.COMMITTEE and state in (State.PUBLISHED, State.APPEALED)
            and any(d.recognition for d in decisions)):
        found.append("withdraw-recognition")
    return tuple(found)


def list_applications(session: Session, principal: Principal, *, state: str | None = None,
                      limit: int = 50, after: int | None = None) -> list[ApplicationSummary]:
    """The applications ``principal`` may read: their organisations' (provider admins), their
    recognition bodies' (committee members), those they are assigned to (evaluators), all
    (registry admins). A token without ``recognition:read`` lists none."""
    if principal.scopes is not None and Action.APPLICATION_READ.value not in principal.scopes:
        return []
    if state is not None and state not in State._value2member_map_:
        raise InputError(f"Unknown state {state!r}. / 不明な状態です。",
                         problems=[Problem("state", ", ".join(State))])
    scope = store.ApplicationFilter(
        everything=principal.has_role(Role.REGISTRY_ADMIN),
        applicants=principal.organisations(Role.PROVIDER_ADMIN),
        bodies=principal.organisations(Role.COMMITTEE_MEMBER),
        evaluator=principal.user_id if principal.organisations(Role.EVALUATOR) else None)
    rows = store.list_application_rows(session, scope=scope, state=state, limit=limit,
                                       after=after)
    slugs = store.organisation_slugs(
        session, list({r.organisation_id for r in rows} | {r.recognition_body_id for r in rows}))
    return [ApplicationSummary(r.public_id, slugs[r.organisation_id],
                               slugs[r.recognition_body_id], r.programme_id,
                               r.programme_version, r.kind, State(r.state), _opt_utc(r.due_at),
                               _utc(r.updated_at), r.version) for r in rows]


def _public(row: DecisionRow, application: str, provider: str) -> PublicDecision:
    assert row.published_at is not None
    return PublicDecision(
        row.number, application, provider, dict(row.provider_name), dict(row.programme_title),
        Outcome(row.outcome), _label(row.reasons) or Label("", ""), _label(row.conditions),
        _utc(row.decided_at), _utc(row.published_at), row.appeal, row.recognition,
        _opt_utc(row.valid_from), _opt_utc(row.valid_until), dict(row.criteria_summary))


def public_decisions(session: Session, *, query: str | None = None, outcome: str | None = None,
                     page: int = 1, per_page: int = DECISIONS_PER_PAGE) -> DecisionPage:
    """Published decisions, newest first, for the transparency page: every word of ``query``
    must occur in the programme's title or code, the provider's name or slug, the outcome,
    the decision number, the reasons or the conditions (case-insensitive)."""
    if outcome and outcome not in Outcome._value2member_map_:
        raise InputError(f"Unknown outcome {outcome!r}. / 不明な結果です。",
                         problems=[Problem("outcome", ", ".join(Outcome))])
    page = max(1, page)
    found = store.published_decisions(session, query=(query or "")[:200], outcome=outcome,
                                      offset=(page - 1) * per_page, limit=per_page)
    return DecisionPage(tuple(_public(d, pid, slug) for d, pid, slug in found.rows),
                        found.total, page, per_page)


def public_decision(session: Session, *, number: str) -> PublicDecision:
    """One published decision by number; :class:`NotFoundError` unless published."""
    row = store.find_decision(session, number)
    if row is None or row.published_at is None:
        raise NotFoundError(f"No published decision {number!r}. / 公表された決定 {number!r} は"
                            "ありません。")
    application = session.get(ApplicationRow, row.application_id)
    assert application is not None
    slugs = store.organisation_slugs(session, [application.organisation_id])
    return _public(row, application.public_id, slugs[application.organisation_id])


# --- reminders ----------------------------------------------------------------------------


def _responsible(session: Session, row: ApplicationRow, where: Target, state: State,
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
    by_id: dict[str, ApplicationRow] = {}
    for row in rows:
        where = _target(session, row)
        state = State(row.state)
        by_id[row.public_id] = row
        steps.append(PendingStep(row.public_id, state, _utc(row.state_entered_at),
                                 _opt_utc(row.due_at),
                                 _responsible(session, row, where, state, members)))
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
            renewal_pending=decision.recognition in renewing))
    sent: list[SentReminder] = []
    for reminder in due_reminders(now=now, applications=steps, recognitions=terms):
        application_row = (by_id.get(reminder.subject.removeprefix("application:"))
                           if reminder.subject.startswith("application:") else None)
        for recipient in reminder.recipients:
            user_id = int(recipient.removeprefix("user:"))
            created = store.notify(
                session, user_id=user_id,
                application_id=application_row.id if application_row else None,
                text={"ja": reminder.message.ja, "en": reminder.message.en},
                dedupe=f"{reminder.key}:{now.date().isoformat()}"[:200], now=now)
            if created is None:
                continue
            person = accounts.user_by_id(session, user_id)
            sent.append(SentReminder(user_id, person.email, reminder.kind.value,
                                     reminder.subject, reminder.due_at, reminder.message))
            audit.record(session, at=now, actor="system", action="reminder.sent",
                         subject=reminder.subject,
                         details={"kind": reminder.kind.value, "to": recipient,
                                  "due_at": reminder.due_at.isoformat()})
    return sent


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

