"""What the review service returns: applications as each principal may see them, decisions,
notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from credstack.adapters.keystore import MasterKey
from credstack.core.review import (
    Label,
    Outcome,
    State,
)

#: The recognition body's signing key, or how to load it (only recognising needs it).
Signer = MasterKey | Callable[[], MasterKey]


#: The largest evidence file accepted: 10 MiB.
MAX_EVIDENCE_BYTES: Final = 10 * 1024 * 1024


#: Longest information request, answer, appeal grounds or withdrawal reason, in characters.
MAX_MESSAGE: Final = 20_000


#: Public decisions per page on the transparency page.
DECISIONS_PER_PAGE: Final = 20


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


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
