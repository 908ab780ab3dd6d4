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
unknown number. What each decision shows is read by
:mod:`credstack.services.review.transparency`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from credstack.core.review import (
    APPEAL_WINDOW,
    CRITERIA,
    TIME_LIMITS,
    VALIDITY_YEARS,
    Outcome,
    Score,
    State,
    TimeLimit,
    get_criterion,
)
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.rendering import render, with_query
from credstack.services.review import transparency as transparency_service

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


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    state: State | None

    @property
    def limit(self) -> TimeLimit | None:
        return TIME_LIMITS.get(self.state) if self.state is not None else None


# --- routes -----------------------------------------------------------------------------


def _outcome(value: str | None) -> Outcome | None:
    """The outcome filter; an unknown value is forgotten (it only narrows a public list)."""
    try:
        return Outcome(value) if value else None
    except ValueError:
        return None


@router.get("/recognition", response_class=HTMLResponse)
def transparency(
    request: Request, runtime: RuntimeDep,
    q: Annotated[str | None, Query()] = None,
    outcome: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    text = (q or "").strip()[:MAX_QUERY]
    chosen = _outcome(outcome)
    listing = transparency_service.published_decisions(runtime, query=text or None,
                                                       outcome=chosen, page=page,
                                                       per_page=PAGE_SIZE)
    previous_url = with_query(request, page=page - 1 if page > 2 else None) if page > 1 else None
    next_url = with_query(request, page=page + 1) if page < listing.pages else None
    return render(
        request, "transparency.html", section="recognition", criteria=CRITERIA,
        scores=list(Score), steps=[Step(key, state) for key, state in STEPS],
        validity=VALIDITY_YEARS, appeal_days=APPEAL_WINDOW.days, outcomes=list(Outcome),
        listing=listing, text=text, outcome=chosen, previous_url=previous_url,
        next_url=next_url, searched=bool(text or chosen))


@router.get("/recognition/decisions/{number}", response_class=HTMLResponse)
def decision_page(request: Request, number: str, runtime: RuntimeDep) -> HTMLResponse:
    decision = transparency_service.published_decision(runtime, number=number)
    return render(request, "transparency_decision.html", section="recognition",
                  decision=decision, get_criterion=get_criterion, scores=list(Score))
