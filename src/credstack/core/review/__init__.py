"""The quality-assurance review process: criteria, state machine, conflicts of interest,
completeness check and outcomes. Pure: no web, database, network or clock; time comes in as
``now`` and ``entered_at`` arguments.

* :mod:`.criteria` — the six published criteria of seed 002, their checklists, the score
  scale, one evaluator's review (:func:`parse_review`) and the summary of several
  (:func:`summarise`).
* :mod:`.process` — states and steps (:func:`transition`, :func:`allowed_events`), time limits
  (:func:`due_at`), appeals, renewals and :func:`reminders`.
* :mod:`.conflicts` — who may be assigned, declare and review; when the review is complete.
* :mod:`.completeness` — the automatic check on submission (:func:`check_completeness`).
* :mod:`.outcomes` — decisions, validity periods, :func:`recognition_status`, decision numbers.

Errors (all from :mod:`credstack.errors`): ``IllegalTransitionError`` for a step the state does
not allow; ``InputError`` for reviews, decisions and self-evaluations that do not hold;
``ConflictError`` / ``AccessDeniedError`` from the conflict rules and renewals. Texts for
people are :class:`Label` (``ja`` and ``en``).
"""

from credstack.core.review.completeness import CompletenessReport, check_completeness
from credstack.core.review.conflicts import (
    MINIMUM_EVALUATORS,
    Assignment,
    Declaration,
    Refusal,
    active_assignments,
    assignment_refusals,
    check_assignment,
    check_declaration,
    check_review,
    check_review_complete,
    review_complete,
)
from credstack.core.review.criteria import (
    CRITERIA,
    CRITERION_IDS,
    MAX_COMMENT,
    MAX_SELF_EVALUATION,
    Criterion,
    CriterionReview,
    CriterionSummary,
    Question,
    Review,
    ReviewSummary,
    Score,
    get_criterion,
    parse_review,
    parse_self_evaluation,
    recommend,
    summarise,
)
from credstack.core.review.labels import Label
from credstack.core.review.outcomes import (
    APPEALABLE,
    MAX_DECISION_TEXT,
    VALIDITY_YEARS,
    Decision,
    Outcome,
    RecognitionStatus,
    decision_number,
    parse_decision,
    parse_decision_number,
    recognition_status,
    valid_until,
)
from credstack.core.review.process import (
    APPEAL_WINDOW,
    DUE_SOON,
    RENEWAL_NOTICE,
    RENEWAL_WINDOW,
    TIME_LIMITS,
    TRANSITIONS,
    ApplicationKind,
    Event,
    Party,
    PendingStep,
    RecognitionTerm,
    Reminder,
    ReminderKind,
    State,
    TimeLimit,
    allowed_events,
    appeal_deadline,
    appeal_open,
    check_renewal,
    due_at,
    is_final,
    reminders,
    transition,
)

__all__ = [
    "APPEALABLE",
    "APPEAL_WINDOW",
    "CRITERIA",
    "CRITERION_IDS",
    "DUE_SOON",
    "MAX_COMMENT",
    "MAX_DECISION_TEXT",
    "MAX_SELF_EVALUATION",
    "MINIMUM_EVALUATORS",
    "RENEWAL_NOTICE",
    "RENEWAL_WINDOW",
    "TIME_LIMITS",
    "TRANSITIONS",
    "VALIDITY_YEARS",
    "ApplicationKind",
    "Assignment",
    "CompletenessReport",
    "Criterion",
    "CriterionReview",
    "CriterionSummary",
    "Decision",
    "Declaration",
    "Event",
    "Label",
    "Outcome",
    "Party",
    "PendingStep",
    "Question",
    "RecognitionStatus",
    "RecognitionTerm",
    "Refusal",
    "Reminder",
    "ReminderKind",
    "Review",
    "ReviewSummary",
    "Score",
    "State",
    "TimeLimit",
    "active_assignments",
    "allowed_events",
    "appeal_deadline",
    "appeal_open",
    "assignment_refusals",
    "check_assignment",
    "check_completeness",
    "check_declaration",
    "check_renewal",
    "check_review",
    "check_review_complete",
    "decision_number",
    "due_at",
    "get_criterion",
    "is_final",
    "parse_decision",
    "parse_decision_number",
    "parse_review",
    "parse_self_evaluation",
    "recognition_status",
    "recommend",
    "reminders",
    "review_complete",
    "summarise",
    "transition",
    "valid_until",
]
