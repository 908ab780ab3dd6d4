"""The review's refusals say what they always did, in Japanese and English, word for word.

``review_words.json`` holds what :mod:`credstack.core.review`'s criteria, outcomes and process
said for each refusal (a review, a self-evaluation or a decision that does not read, a decision
number, a step the application's state does not allow, a renewal out of its window) before
their words moved into the catalogues (issue 53): the error's message and each problem's place
and message, written ``English / 日本語``. They are now message keys with parameters; worded
from the catalogues they must read the same.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credstack.core.review.criteria import (
    CRITERION_IDS,
    MAX_COMMENT,
    MAX_SELF_EVALUATION,
    get_criterion,
    parse_review,
    parse_self_evaluation,
)
from credstack.core.review.labels import Label
from credstack.core.review.outcomes import (
    MAX_DECISION_TEXT,
    parse_decision,
    parse_decision_number,
)
from credstack.core.review.process import (
    TIME_LIMITS,
    Event,
    PendingStep,
    RecognitionTerm,
    Reminder,
    State,
    check_renewal,
    due_at,
    reminders,
    transition,
)
from credstack.errors import CredstackError
from credstack.words import kept_words, problem_words, words

RECORDED: dict[str, dict[str, Any]] = {
    row["case"]: row for row in json.loads(
        (Path(__file__).parent / "review_words.json").read_text(encoding="utf-8"))}

FIRST, SECOND = CRITERION_IDS[0], CRITERION_IDS[1]
GOOD_SCORES = {criterion: 3 for criterion in CRITERION_IDS}
GOOD_COMMENTS = {criterion: "fine" for criterion in CRITERION_IDS}
NOW = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _review(scores: dict[str, object], comments: dict[str, object]) -> Callable[[], object]:
    return lambda: parse_review({**GOOD_SCORES, **scores}, {**GOOD_COMMENTS, **comments})


CASES: dict[str, Callable[[], object]] = {
    "criterion_unknown": lambda: get_criterion("beauty"),
    "review_nothing": lambda: parse_review({}, {}),
    "review_unknown": _review({"beauty": 2}, {"charm": "x", "beauty": "y"}),
    "review_score_blank": _review({FIRST: "  "}, {}),
    "review_score_out": _review({FIRST: "7", SECOND: True}, {}),
    "review_score_word": _review({FIRST: "good"}, {}),
    "review_comment_not_text": _review({}, {FIRST: 5}),
    "review_comment_blank": _review({}, {FIRST: "   "}),
    "review_comment_long": _review({}, {FIRST: "あ" * (MAX_COMMENT + 1)}),
    "self_evaluation_bad": lambda: parse_self_evaluation(
        {"beauty": "x", FIRST: 3, SECOND: "x" * (MAX_SELF_EVALUATION + 2)}),
    "decision_unknown": lambda: parse_decision(outcome="maybe", reasons_ja="理由"),
    "decision_no_reasons": lambda: parse_decision(outcome="recognised", reasons_ja="  "),
    "decision_long": lambda: parse_decision(
        outcome="recognised-with-conditions", reasons_en="r" * (MAX_DECISION_TEXT + 1),
        conditions_ja="c" * (MAX_DECISION_TEXT + 3), reasons_ja="", conditions_en="ok"),
    "decision_no_conditions": lambda: parse_decision(
        outcome="recognised-with-conditions", reasons_en="Good."),
    "decision_stray_conditions": lambda: parse_decision(
        outcome="not-recognised", reasons_en="No.", conditions_en="Fix it."),
    "decision_stray_conditions_recognised": lambda: parse_decision(
        outcome="recognised", reasons_ja="良い。", conditions_ja="直すこと。"),
    "decision_number": lambda: parse_decision_number("R-26-1"),
    "decision_number_zero": lambda: parse_decision_number(" R-2026-0000 "),
    "step_unknown_state": lambda: transition("pending", Event.SUBMIT),  # type: ignore[arg-type]
    "step_unknown_event": lambda: transition(State.DRAFT, "dance"),  # type: ignore[arg-type]
    "step_draft_decide": lambda: transition(State.DRAFT, Event.DECIDE),
    "step_awaiting_review": lambda: transition(State.AWAITING_ASSIGNMENT, Event.SUBMIT_REVIEW),
    "step_reviewed_publish": lambda: transition(State.REVIEWED, Event.PUBLISH),
    "step_decided_withdraw": lambda: transition(State.DECIDED, Event.WITHDRAW),
    "step_published_revise": lambda: transition(State.PUBLISHED, Event.REVISE),
    "step_withdrawn_submit": lambda: transition(State.WITHDRAWN, Event.SUBMIT),
    "step_information_assign": lambda: transition(State.INFORMATION_REQUESTED,
                                                  Event.ASSIGN_EVALUATOR),
    "renewal_withdrawn": lambda: check_renewal(valid_until=NOW + 30 * DAY,
                                               withdrawn_at=NOW - DAY, now=NOW),
    "renewal_expired": lambda: check_renewal(valid_until=NOW - DAY, withdrawn_at=None,
                                             now=NOW),
    "renewal_early": lambda: check_renewal(valid_until=NOW + 400 * DAY, withdrawn_at=None,
                                           now=NOW),
}


def test_every_recorded_refusal_is_tried() -> None:
    assert set(CASES) == set(RECORDED)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refusal_says_what_it_said(case: str) -> None:
    """The kind of error, its message and each problem's place and words, as before."""
    recorded = RECORDED[case]
    with pytest.raises(CredstackError) as refused:
        CASES[case]()
    error = refused.value
    assert type(error).__name__ == recorded["kind"]
    assert error.code and kept_words(error) == recorded["message"]
    said = [[problem.location, f"{problem_words(problem, 'en')} / {problem_words(problem, 'ja')}"
             if problem.code else problem.message] for problem in error.problems]
    assert said == recorded["problems"]


#: What each reminder said, in Japanese and English, before its words moved into the
#: catalogues (``review_reminder_words.json``: each reminder's kind, subject and message).
REMINDED: dict[str, list[dict[str, str]]] = json.loads(
    (Path(__file__).parent / "review_reminder_words.json").read_text(encoding="utf-8"))
TITLED = Label("データ活用入門", "Introduction to data use")


def _pending(state: State, entered: dt.datetime, title: Label | None,
             due: dt.datetime | None = None) -> PendingStep:
    return PendingStep(f"app_{state.value}", state, entered,
                       due or due_at(state, entered), ("user:1",), title=title)


def _term(days: int, title: Label | None) -> RecognitionTerm:
    return RecognitionTerm(f"rec_{days}", NOW + days * DAY, ("user:1",), title=title)


REMINDERS: dict[str, Callable[[], list[Reminder]]] = {
    "each_duty_overdue": lambda: reminders(now=NOW, applications=[
        _pending(state, NOW - 60 * DAY, None) for state in TIME_LIMITS]),
    "each_duty_due_soon": lambda: reminders(now=NOW, applications=[
        _pending(state, NOW - (limit.days - 2) * DAY, TITLED)
        for state, limit in TIME_LIMITS.items()]),
    "no_duty_of_the_state": lambda: reminders(now=NOW, applications=[
        _pending(State.DRAFT, NOW - 9 * DAY, None, due=NOW - DAY),
        _pending(State.PUBLISHED, NOW - 9 * DAY, Label("", "Data use"), due=NOW + DAY)]),
    "renewals": lambda: reminders(now=NOW, recognitions=[
        _term(30, None), _term(40, TITLED), _term(50, Label("生成AI", "")),
        _term(60, Label("", "Generative AI"))]),
}


def test_every_recorded_reminder_is_tried() -> None:
    assert set(REMINDERS) == set(REMINDED)


@pytest.mark.parametrize("case", sorted(REMINDERS))
def test_a_reminder_says_what_it_said(case: str) -> None:
    """Each reminder's kind, subject and message in Japanese and English, as before."""
    assert [{"kind": r.kind.value, "subject": r.subject, "ja": words(r.message, "ja"),
             "en": words(r.message, "en")} for r in REMINDERS[case]()] == REMINDED[case]
