"""The review process of one application for a programme version, as a state machine.

::

    draft                 ──submit──────────────▶ submitted
    submitted             ──completeness-passed─▶ awaiting-assignment
    submitted             ──completeness-failed─▶ incomplete
    incomplete            ──revise──────────────▶ draft
    awaiting-assignment   ──assign-evaluator────▶ under-review
    under-review          ──assign-evaluator, declare-interests, submit-review──▶ under-review
    under-review          ──request-information─▶ information-requested
    information-requested ──answer-information──▶ under-review
    under-review          ──complete-review─────▶ reviewed
    reviewed              ──decide──────────────▶ decided
    decided               ──publish─────────────▶ published
    published             ──appeal──────────────▶ appealed
    appealed              ──uphold-appeal───────▶ decided      (a new decision, then publish)
    appealed              ──dismiss-appeal──────▶ published
    withdraw: from every state before ``decided`` to ``withdrawn`` (the end).

:func:`transition` is the only way from one state to the next; it knows the order of the
steps, nothing else. The conditions *around* a step are checked by the service with the other
modules before it calls :func:`transition`: the completeness check
(:mod:`~credstack.core.review.completeness`) decides between ``completeness-passed`` and
``completeness-failed``; :mod:`~credstack.core.review.conflicts` decides who may be
assigned, declare and review and when the reviews are complete; an appeal needs
:func:`appeal_open` and an appealable outcome
(:data:`~credstack.core.review.outcomes.APPEALABLE`); the outcome of a decision is data of
the decision (:mod:`~credstack.core.review.outcomes`), not a state.

Every state with a duty has a time limit (:data:`TIME_LIMITS`, :func:`due_at`), counted from
the moment the application entered the state; :func:`reminders` turns the limits and the
recognitions' expiry dates into the reminders to send. All datetimes are timezone-aware; the
time is always an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from credstack.core.review.labels import Label
from credstack.core.said import InLanguages, Listed, Named, Said
from credstack.errors import ConflictError, IllegalTransitionError, Problem

__all__ = [
    "APPEAL_WINDOW",
    "DUE_SOON",
    "RENEWAL_NOTICE",
    "RENEWAL_WINDOW",
    "TIME_LIMITS",
    "TRANSITIONS",
    "ApplicationKind",
    "Event",
    "Party",
    "PendingStep",
    "RecognitionTerm",
    "Reminder",
    "ReminderKind",
    "State",
    "TimeLimit",
    "allowed_events",
    "appeal_deadline",
    "appeal_open",
    "check_renewal",
    "due_at",
    "is_final",
    "reminders",
    "transition",
]


class State(StrEnum):
    """Where an application is in the process."""

    #: Being written by the applicant (self-evaluation, evidence, framework profile).
    DRAFT = "draft"
    #: Handed in; the automatic completeness check runs.
    SUBMITTED = "submitted"
    #: The completeness check found something missing; back to the applicant.
    INCOMPLETE = "incomplete"
    #: Complete; the committee assigns evaluators.
    AWAITING_ASSIGNMENT = "awaiting-assignment"
    #: Evaluators declare their interests and review.
    UNDER_REVIEW = "under-review"
    #: The committee asked the applicant for more information; the review clock pauses.
    INFORMATION_REQUESTED = "information-requested"
    #: Every assigned evaluator has reviewed; the committee decides.
    REVIEWED = "reviewed"
    #: Decided (the outcome is on the decision), not yet public.
    DECIDED = "decided"
    #: The decision and its reasons are public; the appeal window runs.
    PUBLISHED = "published"
    #: The applicant appealed; the committee decides the appeal.
    APPEALED = "appealed"
    #: The applicant withdrew the application before a decision. Final.
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> Label:
        return Label.named("review-state", self.value)


class Party(StrEnum):
    """Who takes a step or owes a duty; the service maps parties to people."""

    APPLICANT = "applicant"
    COMMITTEE = "committee"
    EVALUATOR = "evaluator"
    #: credstack itself (the automatic completeness check).
    SYSTEM = "system"

    @property
    def label(self) -> Label:
        return Label.named("review-party", self.value)


class Event(StrEnum):
    """A step in the process; :attr:`party` says who takes it."""

    SUBMIT = "submit"
    COMPLETENESS_PASSED = "completeness-passed"
    COMPLETENESS_FAILED = "completeness-failed"
    REVISE = "revise"
    ASSIGN_EVALUATOR = "assign-evaluator"
    DECLARE_INTERESTS = "declare-interests"
    SUBMIT_REVIEW = "submit-review"
    REQUEST_INFORMATION = "request-information"
    ANSWER_INFORMATION = "answer-information"
    COMPLETE_REVIEW = "complete-review"
    DECIDE = "decide"
    PUBLISH = "publish"
    APPEAL = "appeal"
    UPHOLD_APPEAL = "uphold-appeal"
    DISMISS_APPEAL = "dismiss-appeal"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> Label:
        return Label.named("review-event", self.value)

    @property
    def party(self) -> Party:
        return _EVENT_PARTIES[self]


#: Who takes each step (its name is in the ``review-event`` vocabulary).
_EVENT_PARTIES: Final[Mapping[Event, Party]] = MappingProxyType({
    Event.SUBMIT: Party.APPLICANT,
    Event.COMPLETENESS_PASSED: Party.SYSTEM,
    Event.COMPLETENESS_FAILED: Party.SYSTEM,
    Event.REVISE: Party.APPLICANT,
    Event.ASSIGN_EVALUATOR: Party.COMMITTEE,
    Event.DECLARE_INTERESTS: Party.EVALUATOR,
    Event.SUBMIT_REVIEW: Party.EVALUATOR,
    Event.REQUEST_INFORMATION: Party.COMMITTEE,
    Event.ANSWER_INFORMATION: Party.APPLICANT,
    Event.COMPLETE_REVIEW: Party.COMMITTEE,
    Event.DECIDE: Party.COMMITTEE,
    Event.PUBLISH: Party.COMMITTEE,
    Event.APPEAL: Party.APPLICANT,
    Event.UPHOLD_APPEAL: Party.COMMITTEE,
    Event.DISMISS_APPEAL: Party.COMMITTEE,
    Event.WITHDRAW: Party.APPLICANT,
})

_BEFORE_DECISION: Final = (
    State.DRAFT, State.SUBMITTED, State.INCOMPLETE, State.AWAITING_ASSIGNMENT,
    State.UNDER_REVIEW, State.INFORMATION_REQUESTED, State.REVIEWED,
)


def _table() -> Mapping[State, Mapping[Event, State]]:
    steps: dict[State, dict[Event, State]] = {state: {} for state in State}
    for source, event, target in (
        (State.DRAFT, Event.SUBMIT, State.SUBMITTED),
        (State.SUBMITTED, Event.COMPLETENESS_PASSED, State.AWAITING_ASSIGNMENT),
        (State.SUBMITTED, Event.COMPLETENESS_FAILED, State.INCOMPLETE),
        (State.INCOMPLETE, Event.REVISE, State.DRAFT),
        (State.AWAITING_ASSIGNMENT, Event.ASSIGN_EVALUATOR, State.UNDER_REVIEW),
        # Within the review the state stays; the steps are still checked here so that, for
        # instance, nobody submits a review while the applicant is being asked for more.
        (State.UNDER_REVIEW, Event.ASSIGN_EVALUATOR, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, Event.DECLARE_INTERESTS, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, Event.SUBMIT_REVIEW, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, Event.REQUEST_INFORMATION, State.INFORMATION_REQUESTED),
        (State.INFORMATION_REQUESTED, Event.ANSWER_INFORMATION, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, Event.COMPLETE_REVIEW, State.REVIEWED),
        (State.REVIEWED, Event.DECIDE, State.DECIDED),
        (State.DECIDED, Event.PUBLISH, State.PUBLISHED),
        (State.PUBLISHED, Event.APPEAL, State.APPEALED),
        (State.APPEALED, Event.UPHOLD_APPEAL, State.DECIDED),
        (State.APPEALED, Event.DISMISS_APPEAL, State.PUBLISHED),
        *((state, Event.WITHDRAW, State.WITHDRAWN) for state in _BEFORE_DECISION),
    ):
        steps[source][event] = target
    return MappingProxyType({state: MappingProxyType(by_event)
                             for state, by_event in steps.items()})


#: Every legal step: ``TRANSITIONS[state][event]`` is the next state. Anything not listed is
#: refused.
TRANSITIONS: Final[Mapping[State, Mapping[Event, State]]] = _table()


def allowed_events(state: State) -> tuple[Event, ...]:
    """The steps ``state`` allows, in :class:`Event` order (empty for ``withdrawn``)."""
    steps = TRANSITIONS[State(state)]
    return tuple(event for event in Event if event in steps)


def is_final(state: State) -> bool:
    """True when no step leads anywhere from ``state`` (``withdrawn``)."""
    return not TRANSITIONS[State(state)]


def transition(state: State, event: Event) -> State:
    """The state after ``event`` in ``state``.

    Raises :class:`~credstack.errors.IllegalTransitionError` (HTTP 409) when ``state`` does not
    allow ``event``; its message (``recognition.review.step.refused``) names the current
    state, the refused step and the steps allowed now. Plain strings are accepted for both
    (values of the enums); an unknown value is refused the same way.
    """
    try:
        current = State(state)
    except ValueError:
        raise IllegalTransitionError(
            code="recognition.review.step.unknown_state", params={"state": repr(state)},
            problems=[Problem("state", f"one of {', '.join(State)}")],
        ) from None
    try:
        step = Event(event)
    except ValueError:
        step = None
    target = TRANSITIONS[current].get(step) if step is not None else None
    if target is not None:
        return target
    allowed = allowed_events(current)
    now = (Listed(Said("recognition.review.step.allowed",
                       step=Named("review-event-phrase", e.value)) for e in allowed)
           if allowed else Said("recognition.review.step.nothing_allowed"))
    raise IllegalTransitionError(code="recognition.review.step.refused", params={
        "step": Named("review-event-phrase", step.value) if step is not None else repr(event),
        "state": Named("review-state-phrase", current.value), "allowed": now,
    }, problems=[
        Problem("state", current.value),
        Problem("event", step.value if step is not None else str(event)),
        Problem("allowed", ", ".join(e.value for e in allowed)),
    ])


class ApplicationKind(StrEnum):
    """A first application, or the renewal of a recognition before it expires."""

    INITIAL = "initial"
    RENEWAL = "renewal"

    @property
    def label(self) -> Label:
        return Label.named("review-application-kind", self.value)


#: How long before a recognition's end a renewal may be applied for.
RENEWAL_WINDOW: Final = dt.timedelta(days=180)


def _aware(**values: dt.datetime | None) -> None:
    for name, value in values.items():
        if value is not None and value.utcoffset() is None:
            raise ValueError(f"{name} must be a timezone-aware datetime")


def check_renewal(*, valid_until: dt.datetime, withdrawn_at: dt.datetime | None,
                  now: dt.datetime) -> None:
    """Refuse a renewal application unless the recognition is in force and ends within
    :data:`RENEWAL_WINDOW`. Raises :class:`~credstack.errors.ConflictError` located
    ``recognition`` saying why (withdrawn, expired — apply anew —, or too early, with the
    date the window opens), each a ``recognition.review.renewal.*`` message key."""
    _aware(valid_until=valid_until, withdrawn_at=withdrawn_at, now=now)
    opens = valid_until - RENEWAL_WINDOW
    if withdrawn_at is not None and withdrawn_at <= now:
        reason = Problem("recognition", code="recognition.review.renewal.withdrawn")
    elif now >= valid_until:
        reason = Problem("recognition", code="recognition.review.renewal.expired")
    elif now < opens:
        reason = Problem("recognition", code="recognition.review.renewal.opens",
                         params={"day": opens.date().isoformat()})
    else:
        return
    raise ConflictError(code="recognition.review.renewal.refused", problems=[reason])


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """The time a party has for its duty while an application is in one state."""

    state: State
    days: int
    party: Party
    #: What is due, for reminders and pages (the ``review-duty`` vocabulary names it).
    duty: Label

    @property
    def period(self) -> dt.timedelta:
        return dt.timedelta(days=self.days)


#: The time limits, by state, counted from entering the state. States without a duty (draft,
#: incomplete, submitted — checked at once —, published, withdrawn) have none. Re-entering a
#: state (answering an information request) starts its limit again.
TIME_LIMITS: Final[Mapping[State, TimeLimit]] = MappingProxyType({
    limit.state: limit for limit in (
        TimeLimit(state, days, party, Label.named("review-duty", state.value))
        for state, days, party in (
            (State.AWAITING_ASSIGNMENT, 14, Party.COMMITTEE),
            (State.UNDER_REVIEW, 30, Party.EVALUATOR),
            (State.INFORMATION_REQUESTED, 21, Party.APPLICANT),
            (State.REVIEWED, 14, Party.COMMITTEE),
            (State.DECIDED, 7, Party.COMMITTEE),
            (State.APPEALED, 30, Party.COMMITTEE),
        )
    )
})

#: How long after publication the applicant may appeal.
APPEAL_WINDOW: Final = dt.timedelta(days=30)


def due_at(state: State, entered_at: dt.datetime) -> dt.datetime | None:
    """When the duty of ``state`` is due if the application entered it at ``entered_at``;
    ``None`` for a state without a time limit."""
    _aware(entered_at=entered_at)
    limit = TIME_LIMITS.get(State(state))
    return None if limit is None else entered_at + limit.period


def appeal_deadline(published_at: dt.datetime) -> dt.datetime:
    """The end (exclusive) of the appeal window of a decision published at ``published_at``."""
    _aware(published_at=published_at)
    return published_at + APPEAL_WINDOW


def appeal_open(published_at: dt.datetime, now: dt.datetime) -> bool:
    """True while the applicant may still appeal (``published_at <= now < deadline``)."""
    _aware(now=now)
    return published_at <= now < appeal_deadline(published_at)


class ReminderKind(StrEnum):
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    #: A recognition ends within :data:`RENEWAL_NOTICE` and no renewal is under way.
    RENEWAL_DUE = "renewal-due"


@dataclass(frozen=True, slots=True)
class PendingStep:
    """An application as the reminder run sees it."""

    application: str
    state: State
    entered_at: dt.datetime
    #: Usually :func:`due_at` of the state; ``None`` when nothing is due.
    due_at: dt.datetime | None
    #: The people who owe the duty (user subjects or e-mail addresses, as the service likes).
    responsible: tuple[str, ...]
    #: The programme's title, which the reminder names it by (its id when not given).
    title: Label | None = None


@dataclass(frozen=True, slots=True)
class RecognitionTerm:
    """A granted recognition as the reminder run sees it."""

    recognition: str
    valid_until: dt.datetime
    responsible: tuple[str, ...]
    withdrawn_at: dt.datetime | None = None
    #: A renewal application is already open, so nobody needs reminding.
    renewal_pending: bool = False
    #: The recognised programme's title, which the reminder names it by.
    title: Label | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder to send."""

    kind: ReminderKind
    #: ``application:<id>`` or ``recognition:<id>`` (the audit log's subjects).
    subject: str
    recipients: tuple[str, ...]
    due_at: dt.datetime
    #: The application's state; ``None`` for renewal reminders.
    state: State | None
    #: What it says (``recognition.review.reminder.*``), for the service to word.
    message: Said
    #: Stable for the same reminder on every run, so the service can send each once.
    key: str


#: How close to its due date a duty earns a "due soon" reminder.
DUE_SOON: Final = dt.timedelta(days=3)
#: How long before a recognition ends its holders are reminded to renew.
RENEWAL_NOTICE: Final = dt.timedelta(days=90)


def _named(noun: str, identifier: str, title: Label | None) -> Said:
    """How a reminder names what it is about (``noun``: ``application`` or ``recognition``):
    by the programme's title (「…」の申請 / The application for “…”), by its id only when
    there is no title."""
    if title is None or not (title.ja or title.en):
        return Said(f"recognition.review.reminder.{noun}", id=identifier)
    return Said(f"recognition.review.reminder.{noun}_titled",
                title=InLanguages(title.to_dict()))


def _step_reminder(step: PendingStep, now: dt.datetime,
                   due_soon: dt.timedelta) -> Reminder | None:
    if step.due_at is None:
        return None
    _aware(entered_at=step.entered_at, due_at=step.due_at)
    state = State(step.state)
    duty = (Named("review-duty", state.value) if state in TIME_LIMITS
            else Said("recognition.review.reminder.next_step"))
    if now >= step.due_at:
        kind = ReminderKind.OVERDUE
    elif step.due_at - now <= due_soon:
        kind = ReminderKind.DUE_SOON
    else:
        return None
    message = Said(f"recognition.review.reminder.{kind.value}",
                   name=_named("application", step.application, step.title), duty=duty,
                   day=step.due_at.date().isoformat())
    subject = f"application:{step.application}"
    return Reminder(kind, subject, step.responsible, step.due_at, state, message,
                    f"{kind.value}:{subject}:{state.value}:{step.entered_at.isoformat()}")


def _renewal_reminder(term: RecognitionTerm, now: dt.datetime,
                      notice: dt.timedelta) -> Reminder | None:
    _aware(valid_until=term.valid_until, withdrawn_at=term.withdrawn_at)
    if term.renewal_pending or (term.withdrawn_at is not None and term.withdrawn_at <= now):
        return None
    if not term.valid_until - notice <= now < term.valid_until:
        return None
    day = term.valid_until.date().isoformat()
    subject = f"recognition:{term.recognition}"
    message = Said("recognition.review.reminder.renewal-due",
                   name=_named("recognition", term.recognition, term.title), day=day)
    return Reminder(ReminderKind.RENEWAL_DUE, subject, term.responsible, term.valid_until,
                    None, message,
                    f"{ReminderKind.RENEWAL_DUE.value}:{subject}:{term.valid_until.isoformat()}")


def reminders(*, now: dt.datetime, applications: Iterable[PendingStep] = (),
              recognitions: Iterable[RecognitionTerm] = (), due_soon: dt.timedelta = DUE_SOON,
              renewal_notice: dt.timedelta = RENEWAL_NOTICE) -> list[Reminder]:
    """The reminders due at ``now``, earliest due first.

    * ``overdue`` for every step past its ``due_at`` (again on every run: the service sends a
      :attr:`Reminder.key` once, or as often as it likes);
    * ``due-soon`` for every step due within ``due_soon``;
    * ``renewal-due`` for every recognition ending within ``renewal_notice`` that is neither
      withdrawn nor already being renewed.
    """
    _aware(now=now)
    found = [
        *(r for step in applications if (r := _step_reminder(step, now, due_soon))),
        *(r for term in recognitions if (r := _renewal_reminder(term, now, renewal_notice))),
    ]
    return sorted(found, key=lambda r: (r.due_at, r.subject, r.kind.value))
