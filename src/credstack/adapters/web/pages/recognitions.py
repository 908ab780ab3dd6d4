"""The transparency pages: the review criteria, the process, and every published decision.

``GET /recognition`` shows the six published criteria with their checklists and the score
scale, the steps of the process with their time limits, and the list of every published
decision (outcome, reasons, provider, programme, date, validity and whether the recognition
holds today: valid, expired or withdrawn) — searchable with ``?q=``, filterable by
``?outcome=``, paginated with ``?page=``. ``GET /recognition/decisions/{number}`` shows one
decision: its reasons and conditions, the evaluators' scores summed up per criterion, the
certification mark, and links to the endorsement credential and to the verification page.

Both are public and need no JavaScript: the search is a plain GET form. Only published
decisions exist here; a decision the committee has not yet published is a 404 like an
unknown number. The list reads the copies the decision keeps of the programme's title and the
provider's name (what was decided stays readable when the programme changes later).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import review as review_store
from credstack.adapters.db.tables import OrganisationRow
from credstack.adapters.web.dependencies import NowDep, SessionDep
from credstack.adapters.web.pages.rendering import render, with_query
from credstack.core.credentials.endorsements import DECISION_PATH
from credstack.core.review import (
    APPEAL_WINDOW,
    CRITERIA,
    TIME_LIMITS,
    VALIDITY_YEARS,
    Criterion,
    Label,
    Outcome,
    RecognitionStatus,
    Score,
    State,
    TimeLimit,
    get_criterion,
    recognition_status,
)
from credstack.errors import NotFoundError
from credstack.services.recognitions import service as recognitions
from credstack.services.review import service as review

router = APIRouter(include_in_schema=False)

#: Decisions per page of the public list.
PAGE_SIZE: Final = 20
#: The longest search a visitor can type; longer queries are cut, not refused.
MAX_QUERY: Final = 200
#: The deepest page anyone can ask for (the offset stays a small integer).
MAX_PAGE: Final = 10_000

#: The steps of the process as the page explains them, each with the state whose time limit
#: applies while the step is under way (``None``: no limit).
STEPS: Final[tuple[tuple[str, State | None], ...]] = (
    ("apply", None),
    ("completeness", None),
    ("assignment", State.AWAITING_ASSIGNMENT),
    ("review", State.UNDER_REVIEW),
    ("information", State.INFORMATION_REQUESTED),
    ("decision", State.REVIEWED),
    ("publication", State.DECIDED),
    ("appeal", State.APPEALED),
    ("renewal", None),
)


# --- view objects -----------------------------------------------------------------------


def _label(value: Mapping[str, str] | None) -> Label | None:
    if not value:
        return None
    ja, en = value.get("ja", ""), value.get("en", "")
    return Label(ja, en) if ja or en else None


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    state: State | None

    @property
    def limit(self) -> TimeLimit | None:
        return TIME_LIMITS.get(self.state) if self.state is not None else None


@dataclass(frozen=True, slots=True)
class CriterionScores:
    """The evaluators' scores on one criterion, as the decision keeps them."""

    criterion: Criterion
    count: int
    mean: Decimal | None
    minimum: int | None
    maximum: int | None


@dataclass(frozen=True, slots=True)
class PublicDecision:
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
              detailed: bool = False) -> PublicDecision:
    """What the page shows of a published decision: the decision itself, its recognition's
    standing today (withdrawn or not) and where the programme is."""
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
        body = session.get(OrganisationRow, application.recognition_body_id)
        body_name = _label(body.name) if body is not None else None
    return PublicDecision(
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


@dataclass(frozen=True, slots=True)
class DecisionList:
    decisions: tuple[PublicDecision, ...]
    total: int
    page: int
    pages: int


def published(session: Session, *, query: str | None, outcome: Outcome | None, page: int,
              now: dt.datetime) -> DecisionList:
    """One page of the published decisions, newest first."""
    found = review.public_decisions(session, query=query,
                                    outcome=outcome.value if outcome else None, page=page,
                                    per_page=PAGE_SIZE)
    return DecisionList(tuple(_decision(session, item, now) for item in found.items),
                        found.total, found.page, found.pages)


def published_decision(session: Session, number: str, now: dt.datetime) -> PublicDecision:
    """The published decision ``number``; 404 for an unknown or unpublished one."""
    if len(number) > 32:
        raise NotFoundError(f"No published decision numbered {number[:40]!r}.")
    return _decision(session, review.public_decision(session, number=number), now,
                     detailed=True)


# --- routes -----------------------------------------------------------------------------


def _outcome(value: str | None) -> Outcome | None:
    """The outcome filter; an unknown value is forgotten (it only narrows a public list)."""
    try:
        return Outcome(value) if value else None
    except ValueError:
        return None


@router.get("/recognition", response_class=HTMLResponse)
def transparency(
    request: Request, session: SessionDep, now: NowDep,
    q: Annotated[str | None, Query()] = None,
    outcome: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    text = (q or "").strip()[:MAX_QUERY]
    chosen = _outcome(outcome)
    listing = published(session, query=text or None, outcome=chosen, page=page, now=now)
    previous_url = with_query(request, page=page - 1 if page > 2 else None) if page > 1 else None
    next_url = with_query(request, page=page + 1) if page < listing.pages else None
    return render(
        request, "transparency.html", section="recognition", criteria=CRITERIA,
        scores=list(Score), steps=[Step(key, state) for key, state in STEPS],
        validity=VALIDITY_YEARS, appeal_days=APPEAL_WINDOW.days, outcomes=list(Outcome),
        listing=listing, text=text, outcome=chosen, previous_url=previous_url,
        next_url=next_url, searched=bool(text or chosen))


@router.get("/recognition/decisions/{number}", response_class=HTMLResponse)
def decision_page(request: Request, number: str, session: SessionDep, now: NowDep
                  ) -> HTMLResponse:
    decision = published_decision(session, number, now)
    return render(request, "transparency_decision.html", section="recognition",
                  decision=decision, get_criterion=get_criterion, scores=list(Score))
