"""The committee's published decisions as anyone may read them, on a runtime: each with its
recognition's standing today (withdrawn or not) and its scores per criterion.

The transparency pages (:mod:`credstack.entrypoints.web.pages.recognitions`) call these. A
decision the committee has not yet published is not found, like an unknown number. The
decisions keep copies of the programme's title and the provider's name, so what was decided
stays readable when the programme changes later. They stand in the review (the process), which
reads the recognitions (its results), rather than in ``recognitions``, which would then import
the review back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from credstack.adapters.db.repositories import review as review_store
from credstack.adapters.db.transactions import Session
from credstack.core.credentials.endorsements import DECISION_PATH
from credstack.core.review import (
    CRITERIA,
    Criterion,
    Label,
    Outcome,
    RecognitionStatus,
    recognition_status,
)
from credstack.errors import NotFoundError
from credstack.services import recognitions
from credstack.services.review import service as review
from credstack.services.runtime import Runtime

__all__ = [
    "CriterionScores",
    "DecisionList",
    "PublishedDecision",
    "criteria_scores",
    "published_decision",
    "published_decisions",
]


@dataclass(frozen=True, slots=True)
class CriterionScores:
    """The evaluators' scores on one criterion, as the decision keeps them."""

    criterion: Criterion
    count: int
    mean: Decimal | None
    minimum: int | None
    maximum: int | None


@dataclass(frozen=True, slots=True)
class PublishedDecision:
    """One published decision, as the public pages show it."""

    number: str
    outcome: Outcome
    reasons: Label | None
    conditions: Label | None
    programme_title: Label | None
    provider_name: Label | None
    provider: str
    programme_id: int
    programme_version: int
    decided_at: dt.datetime
    published_at: dt.datetime
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    appeal: bool
    status: RecognitionStatus | None
    withdrawn_at: dt.datetime | None = None
    withdrawal_reason: str | None = None
    criteria: tuple[CriterionScores, ...] = ()
    recognition_body_name: Label | None = None

    @property
    def url(self) -> str:
        return DECISION_PATH.format(number=self.number)

    @property
    def mark_url(self) -> str:
        return f"/recognitions/{self.number}/mark.svg"

    @property
    def credential_url(self) -> str:
        return f"/recognitions/{self.number}"

    @property
    def programme_url(self) -> str:
        return f"/programmes/{self.programme_id}"

    @property
    def grants(self) -> bool:
        return self.outcome.grants_recognition


@dataclass(frozen=True, slots=True)
class DecisionList:
    decisions: tuple[PublishedDecision, ...]
    total: int
    page: int
    pages: int


def _label(value: Mapping[str, str] | None) -> Label | None:
    if not value:
        return None
    ja, en = value.get("ja", ""), value.get("en", "")
    return Label(ja, en) if ja or en else None


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def criteria_scores(summary: Mapping[str, Any] | None) -> tuple[CriterionScores, ...]:
    """The per-criterion summary a decision keeps (criterion id → count, mean, minimum,
    maximum), read leniently: what is missing or malformed is left out, not shown wrongly."""
    if not isinstance(summary, Mapping):
        return ()
    found = []
    for criterion in CRITERIA:
        item = summary.get(criterion.id)
        if not isinstance(item, Mapping):
            continue
        found.append(CriterionScores(criterion, _whole(item.get("count")) or 0,
                                     _number(item.get("mean")), _whole(item.get("minimum")),
                                     _whole(item.get("maximum"))))
    return tuple(found)


def _decision(session: Session, found: review.PublicDecision, now: dt.datetime, *,
              detailed: bool = False) -> PublishedDecision:
    """What the page shows of a published decision: the decision itself, its recognition's
    standing at ``now`` (withdrawn or not) and where the programme is."""
    granted = None
    if found.recognition is not None:
        try:
            granted = recognitions.recognition(session, found.recognition)
        except NotFoundError:
            granted = None
    application = review_store.find_application(session, found.application)
    valid_from = granted.valid_from if granted else found.valid_from
    valid_until = granted.valid_until if granted else found.valid_until
    withdrawn_at = granted.withdrawn_at if granted else None
    status = (recognition_status(valid_from, valid_until, withdrawn_at, now)
              if valid_from is not None and found.outcome.grants_recognition else None)
    body_name = _label(granted.recognition_body_name) if granted else None
    if detailed and body_name is None and application is not None:
        body = review_store.organisation_names(
            session, [application.recognition_body_id]).get(application.recognition_body_id)
        body_name = _label(body) if body is not None else None
    return PublishedDecision(
        number=found.number, outcome=found.outcome,
        reasons=found.reasons if found.reasons.ja or found.reasons.en else None,
        conditions=found.conditions, programme_title=_label(found.programme_title),
        provider_name=_label(found.provider_name), provider=found.provider,
        programme_id=application.programme_id if application is not None else 0,
        programme_version=application.programme_version if application is not None else 0,
        decided_at=found.decided_at, published_at=found.published_at, valid_from=valid_from,
        valid_until=valid_until, appeal=found.appeal, status=status, withdrawn_at=withdrawn_at,
        withdrawal_reason=granted.withdrawal_reason if granted else None,
        criteria=criteria_scores(found.criteria_summary) if detailed else (),
        recognition_body_name=body_name)


def published_decisions(runtime: Runtime, *, query: str | None, outcome: Outcome | None,
                        page: int, per_page: int) -> DecisionList:
    """One page of the published decisions, newest first, each with its recognition's
    standing now (see :func:`credstack.services.review.service.public_decisions` for the
    search)."""
    now = runtime.now()
    with runtime.transaction() as session:
        found = review.public_decisions(session, query=query,
                                        outcome=outcome.value if outcome else None, page=page,
                                        per_page=per_page)
        return DecisionList(tuple(_decision(session, item, now) for item in found.items),
                            found.total, found.page, found.pages)


def published_decision(runtime: Runtime, *, number: str) -> PublishedDecision:
    """The published decision ``number`` with its scores per criterion and its recognition's
    standing now; :class:`~credstack.errors.NotFoundError` for an unknown or unpublished
    one."""
    if len(number) > 32:
        raise NotFoundError(f"No published decision numbered {number[:40]!r}.")
    now = runtime.now()
    with runtime.transaction() as session:
        return _decision(session, review.public_decision(session, number=number), now,
                         detailed=True)
