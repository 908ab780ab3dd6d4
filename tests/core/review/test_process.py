"""The review process as a state machine: every legal step, every other one refused."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.core.review import (
    TRANSITIONS,
    Event,
    Party,
    State,
    allowed_events,
    is_final,
    transition,
)
from credstack.errors import ConflictError, IllegalTransitionError
from credstack.words import error_words

S, E = State, Event

#: The process rules, written out once more by hand so that the table in the code is checked
#: against the specification rather than against itself.
LEGAL: dict[tuple[State, Event], State] = {
    (S.DRAFT, E.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, E.COMPLETENESS_PASSED): S.AWAITING_ASSIGNMENT,
    (S.SUBMITTED, E.COMPLETENESS_FAILED): S.INCOMPLETE,
    (S.INCOMPLETE, E.REVISE): S.DRAFT,
    (S.AWAITING_ASSIGNMENT, E.ASSIGN_EVALUATOR): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, E.ASSIGN_EVALUATOR): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, E.DECLARE_INTERESTS): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, E.SUBMIT_REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, E.REQUEST_INFORMATION): S.INFORMATION_REQUESTED,
    (S.INFORMATION_REQUESTED, E.ANSWER_INFORMATION): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, E.COMPLETE_REVIEW): S.REVIEWED,
    (S.REVIEWED, E.DECIDE): S.DECIDED,
    (S.DECIDED, E.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, E.APPEAL): S.APPEALED,
    (S.APPEALED, E.UPHOLD_APPEAL): S.DECIDED,
    (S.APPEALED, E.DISMISS_APPEAL): S.PUBLISHED,
    **{(state, E.WITHDRAW): S.WITHDRAWN for state in (
        S.DRAFT, S.SUBMITTED, S.INCOMPLETE, S.AWAITING_ASSIGNMENT, S.UNDER_REVIEW,
        S.INFORMATION_REQUESTED, S.REVIEWED)},
}
ILLEGAL = [(state, event) for state in State for event in Event if (state, event) not in LEGAL]


def test_state_and_event_values_are_kebab_case_and_stable() -> None:
    """The stored values are the ones the database and the API use."""
    assert [s.value for s in State] == [
        "draft", "submitted", "incomplete", "awaiting-assignment", "under-review",
        "information-requested", "reviewed", "decided", "published", "appealed", "withdrawn"]
    assert [e.value for e in Event] == [
        "submit", "completeness-passed", "completeness-failed", "revise", "assign-evaluator",
        "declare-interests", "submit-review", "request-information", "answer-information",
        "complete-review", "decide", "publish", "appeal", "uphold-appeal", "dismiss-appeal",
        "withdraw"]


@pytest.mark.parametrize(("state", "event"), sorted(LEGAL))
def test_legal_step_leads_to_the_specified_state(state: State, event: Event) -> None:
    """Each step the rules allow leads where the rules say."""
    assert transition(state, event) is LEGAL[(state, event)]


@pytest.mark.parametrize(("state", "event"), ILLEGAL)
def test_every_other_step_is_refused(state: State, event: Event) -> None:
    """Any step the rules do not list raises IllegalTransitionError (HTTP 409)."""
    with pytest.raises(IllegalTransitionError) as raised:
        transition(state, event)
    assert isinstance(raised.value, ConflictError)


def test_the_table_is_exactly_the_rules() -> None:
    """TRANSITIONS lists the legal steps and nothing else."""
    table = {(s, e): t for s, steps in TRANSITIONS.items() for e, t in steps.items()}
    assert table == LEGAL


def test_refusal_names_the_state_the_step_and_what_is_allowed() -> None:
    """The message says where the application is, what was refused and what can be done."""
    with pytest.raises(IllegalTransitionError) as raised:
        transition(State.DRAFT, Event.DECIDE)
    message, japanese = error_words(raised.value, "en"), error_words(raised.value, "ja")
    assert "draft" in message and "decide" in message
    assert "submit" in message and "withdraw" in message
    assert "作成中" in japanese and "決定" in japanese and "提出" in japanese
    assert [(p.location, p.message) for p in raised.value.problems] == [
        ("state", "draft"), ("event", "decide"), ("allowed", "submit, withdraw")]


def test_refusal_after_the_end_says_nothing_is_allowed() -> None:
    """A withdrawn application allows no step at all."""
    with pytest.raises(IllegalTransitionError) as raised:
        transition(State.WITHDRAWN, Event.SUBMIT)
    assert "Allowed now: nothing" in error_words(raised.value, "en")
    assert is_final(State.WITHDRAWN)
    assert [s for s in State if is_final(s)] == [State.WITHDRAWN]


def test_plain_strings_are_accepted_and_unknown_ones_refused() -> None:
    """The service may pass the stored strings; a value outside the enums is refused."""
    assert transition("draft", "submit") is State.SUBMITTED
    with pytest.raises(IllegalTransitionError):
        transition(State.DRAFT, "teleport")
    with pytest.raises(IllegalTransitionError) as raised:
        transition("limbo", Event.SUBMIT)
    assert error_words(raised.value, "en") == "Unknown application state 'limbo'."


@pytest.mark.parametrize("state", list(State))
def test_allowed_events_are_the_legal_steps_in_event_order(state: State) -> None:
    """allowed_events lists what transition accepts, in Event order."""
    expected = [event for event in Event if (state, event) in LEGAL]
    assert list(allowed_events(state)) == expected


def test_withdrawal_is_possible_until_the_decision_and_never_after() -> None:
    """The applicant withdraws before a decision; decided, published and appealed ones stay."""
    for state in (S.DECIDED, S.PUBLISHED, S.APPEALED, S.WITHDRAWN):
        assert Event.WITHDRAW not in allowed_events(state)


def test_every_state_and_event_has_labels_in_both_languages() -> None:
    """Pages show the labels; none is missing."""
    for item in [*State, *Event, *Party]:
        assert item.label.ja and item.label.en
    assert Event.DECIDE.party is Party.COMMITTEE
    assert Event.APPEAL.party is Party.APPLICANT
    assert Event.SUBMIT_REVIEW.party is Party.EVALUATOR
    assert Event.COMPLETENESS_PASSED.party is Party.SYSTEM


def test_the_happy_path_reaches_published() -> None:
    """Draft to published through every main step."""
    state = State.DRAFT
    for event in (E.SUBMIT, E.COMPLETENESS_PASSED, E.ASSIGN_EVALUATOR, E.ASSIGN_EVALUATOR,
                  E.DECLARE_INTERESTS, E.DECLARE_INTERESTS, E.REQUEST_INFORMATION,
                  E.ANSWER_INFORMATION, E.SUBMIT_REVIEW, E.SUBMIT_REVIEW, E.COMPLETE_REVIEW,
                  E.DECIDE, E.PUBLISH, E.APPEAL, E.UPHOLD_APPEAL, E.PUBLISH):
        state = transition(state, event)
    assert state is State.PUBLISHED


def test_every_state_is_reachable_from_draft() -> None:
    """No state is dead code."""
    seen, frontier = {State.DRAFT}, [State.DRAFT]
    while frontier:
        for target in TRANSITIONS[frontier.pop()].values():
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(State)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(list(Event)), max_size=60))
def test_random_event_sequences_never_reach_an_inconsistent_state(events: list[Event]) -> None:
    """Whatever is attempted, in any order, a refused step changes nothing and the history
    of accepted steps always respects the order of the process."""
    state, history = State.DRAFT, [State.DRAFT]
    for event in events:
        if event in allowed_events(state):
            state = transition(state, event)
            history.append(state)
        else:
            with pytest.raises(IllegalTransitionError):
                transition(state, event)
        assert state in State
    # A decision only ever follows a completed review or an upheld appeal; publication only a
    # decision; a review only a completeness check that passed.
    for before, after in pairwise(history):
        if after is State.DECIDED:
            assert before in (State.REVIEWED, State.APPEALED)
        if after is State.PUBLISHED:
            assert before in (State.DECIDED, State.APPEALED)
        if after is State.UNDER_REVIEW:
            assert before in (State.AWAITING_ASSIGNMENT, State.UNDER_REVIEW,
                              State.INFORMATION_REQUESTED)
    if State.REVIEWED in history:
        assert State.AWAITING_ASSIGNMENT in history[:history.index(State.REVIEWED)]
    # Nothing follows a withdrawal, and a decided application is never withdrawn.
    if State.WITHDRAWN in history:
        assert history[-1] is State.WITHDRAWN and history.count(State.WITHDRAWN) == 1
        assert State.DECIDED not in history
