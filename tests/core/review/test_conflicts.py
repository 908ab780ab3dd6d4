"""Conflict-of-interest rules for evaluators, and when a review is complete."""

from __future__ import annotations

import pytest

from credstack.core.review import (
    MINIMUM_EVALUATORS,
    Assignment,
    Declaration,
    active_assignments,
    assignment_refusals,
    check_assignment,
    check_declaration,
    check_review,
    check_review_complete,
    review_complete,
)
from credstack.errors import AccessDeniedError, ConflictError
from credstack.words import kept_words, problem_words

APPLICANT = "hokuto-tech"
CLEAR = Declaration.NO_CONFLICT


def refusals(evaluator: str = "user:7", organisations: tuple[str, ...] = ("jmicro",),
             assignments: tuple[Assignment, ...] = (),
             declared: tuple[str, ...] = ()) -> list[str]:
    return [r.code for r in assignment_refusals(
        evaluator=evaluator, evaluator_organisations=organisations, applicant=APPLICANT,
        assignments=assignments, declared_conflicts=declared)]


def test_an_independent_evaluator_may_be_assigned() -> None:
    """No membership, no declaration, not yet assigned: no refusal."""
    assert refusals() == []
    check_assignment(evaluator="user:7", evaluator_organisations={"jmicro"},
                     applicant=APPLICANT, assignments=[Assignment("user:8")])


def test_a_member_of_the_applicant_is_refused() -> None:
    """Nobody evaluates their own organisation's programme."""
    assert refusals(organisations=("jmicro", APPLICANT)) == ["member-of-applicant"]


def test_a_declared_conflict_is_refused() -> None:
    """A standing declaration about the applicant, or a recusal from this application."""
    assert refusals(declared=(APPLICANT,)) == ["declared-conflict"]
    assert refusals(assignments=(Assignment("user:7", Declaration.CONFLICT),)) == [
        "declared-conflict"]


def test_an_evaluator_is_not_assigned_twice() -> None:
    """One assignment per evaluator and application."""
    assert refusals(assignments=(Assignment("user:7"),)) == ["already-assigned"]


def test_every_reason_is_given_at_once() -> None:
    """The refusal explains everything that is wrong."""
    with pytest.raises(ConflictError) as raised:
        check_assignment(evaluator="user:7", evaluator_organisations={APPLICANT},
                         applicant=APPLICANT, assignments=[Assignment("user:7")],
                         declared_conflicts={APPLICANT})
    problems = raised.value.problems
    assert [p.location for p in problems] == ["evaluator"] * 3
    assert "所属" in problem_words(problems[0], "ja")
    assert "belongs" in problem_words(problems[0], "en")


def test_a_declaration_comes_once_from_an_assigned_evaluator() -> None:
    """Not assigned: 403; already declared: 409."""
    check_declaration([Assignment("user:7")], "user:7")
    with pytest.raises(AccessDeniedError):
        check_declaration([Assignment("user:7")], "user:8")
    with pytest.raises(ConflictError):
        check_declaration([Assignment("user:7", CLEAR)], "user:7")


def test_a_review_needs_a_declaration_of_no_conflict_first() -> None:
    """No declaration yet, or a declared conflict, stops the review."""
    with pytest.raises(ConflictError) as undeclared:
        check_review([Assignment("user:7")], "user:7")
    assert "Declare your interests" in kept_words(undeclared.value)
    with pytest.raises(ConflictError) as recused:
        check_review([Assignment("user:7", Declaration.CONFLICT)], "user:7")
    assert "declared a conflict" in kept_words(recused.value)
    check_review([Assignment("user:7", CLEAR)], "user:7")


def test_a_review_is_submitted_once_and_only_by_an_assigned_evaluator() -> None:
    """Submitting twice, or without an assignment, is refused."""
    with pytest.raises(ConflictError) as twice:
        check_review([Assignment("user:7", CLEAR, review_submitted=True)], "user:7")
    assert "already submitted" in kept_words(twice.value)
    with pytest.raises(AccessDeniedError):
        check_review([Assignment("user:7", CLEAR)], "user:9")


def test_recused_evaluators_do_not_count() -> None:
    """An evaluator who declared a conflict is out of the review."""
    assignments = [Assignment("user:1", Declaration.CONFLICT), Assignment("user:2", CLEAR)]
    assert [a.evaluator for a in active_assignments(assignments)] == ["user:2"]


def test_review_is_complete_with_two_reviews_from_evaluators_without_conflict() -> None:
    """Two evaluators without a conflict, both reviewed."""
    assert MINIMUM_EVALUATORS == 2
    done = [Assignment("user:1", CLEAR, True), Assignment("user:2", CLEAR, True),
            Assignment("user:3", Declaration.CONFLICT)]
    assert review_complete(done)
    check_review_complete(done)


@pytest.mark.parametrize(("assignments", "locations"), [
    ([], ["assignments"]),
    ([Assignment("user:1", CLEAR, True)], ["assignments"]),
    ([Assignment("user:1", CLEAR, True), Assignment("user:2", Declaration.CONFLICT)],
     ["assignments"]),
    ([Assignment("user:1", CLEAR, True), Assignment("user:2")], ["assignments.user:2"]),
    ([Assignment("user:1", CLEAR, True), Assignment("user:2", CLEAR)], ["assignments.user:2"]),
])
def test_review_is_not_complete_until_every_active_evaluator_reviewed(
        assignments: list[Assignment], locations: list[str]) -> None:
    """Too few evaluators, a missing declaration or a missing review each keep it open."""
    assert not review_complete(assignments)
    with pytest.raises(ConflictError) as raised:
        check_review_complete(assignments)
    assert [p.location for p in raised.value.problems] == locations
