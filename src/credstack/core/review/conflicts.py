"""Conflicts of interest: who may evaluate an application, and when its review is complete.

The rules:

* an evaluator is not assigned to an application of an organisation they belong to, nor one
  they have declared a conflict with (a standing declaration about the organisation, or a
  declaration on an earlier assignment to this application), nor twice;
* an assigned evaluator declares their interests before anything else; declaring a conflict
  ends their part (they are *recused*) and the committee assigns someone else;
* only an assigned evaluator who declared no conflict reviews, once;
* the review is complete when at least :data:`MINIMUM_EVALUATORS` evaluators without a conflict
  are assigned and every one of them has submitted a review.

Every ``check_*`` function raises with the reasons located (``evaluator``, ``declaration``,
``assignments``); :func:`assignment_refusals` returns them as data for pages that explain
why a name is not offered.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from credstack.core.review.labels import Label
from credstack.core.said import Said
from credstack.errors import AccessDeniedError, ConflictError, Problem

__all__ = [
    "MINIMUM_EVALUATORS",
    "Assignment",
    "Declaration",
    "Refusal",
    "active_assignments",
    "assignment_refusals",
    "check_assignment",
    "check_declaration",
    "check_review",
    "check_review_complete",
    "review_complete",
]

#: The message keys of the refusals (``recognition.review.interest.<code>``).
_KEY: Final = "recognition.review.interest."
#: Reviews needed, from evaluators without a conflict, before an application is reviewed.
MINIMUM_EVALUATORS: Final = 2


class Declaration(StrEnum):
    """An assigned evaluator's declaration of interests."""

    NO_CONFLICT = "no-conflict"
    CONFLICT = "conflict"

    @property
    def label(self) -> Label:
        return (Label("利益相反なし", "No conflict of interest")
                if self is Declaration.NO_CONFLICT
                else Label("利益相反あり（辞退）", "Conflict of interest (recused)"))


@dataclass(frozen=True, slots=True)
class Assignment:
    """One evaluator's assignment to one application."""

    #: The evaluator (a principal subject such as ``user:12``).
    evaluator: str
    #: ``None`` until the evaluator declares.
    declaration: Declaration | None = None
    review_submitted: bool = False

    @property
    def recused(self) -> bool:
        return self.declaration is Declaration.CONFLICT


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an evaluator cannot be assigned: a stable code and a message (a message key and
    its values, ``recognition.review.interest.<code>``, worded by whoever shows it)."""

    #: ``member-of-applicant``, ``declared-conflict`` or ``already-assigned``.
    code: str
    message: Said


def _refusal(code: str, **params: str) -> Refusal:
    return Refusal(code, Said(_KEY + code, **params))


def active_assignments(assignments: Sequence[Assignment]) -> tuple[Assignment, ...]:
    """The assignments that still count: every one but the recused."""
    return tuple(a for a in assignments if not a.recused)


def _find(assignments: Sequence[Assignment], evaluator: str) -> Assignment | None:
    return next((a for a in assignments if a.evaluator == evaluator), None)


def assignment_refusals(*, evaluator: str, evaluator_organisations: Collection[str],
                        applicant: str, assignments: Sequence[Assignment],
                        declared_conflicts: Collection[str] = ()) -> tuple[Refusal, ...]:
    """Every reason ``evaluator`` cannot be assigned to an application by ``applicant`` (an
    organisation slug); empty when they can.

    ``evaluator_organisations`` are the slugs of the organisations the evaluator belongs to
    (any role); ``declared_conflicts`` the organisations they have declared a standing conflict
    with; ``assignments`` the application's assignments so far, recused ones included.
    """
    refusals: list[Refusal] = []
    if applicant in evaluator_organisations:
        refusals.append(_refusal("member-of-applicant", applicant=applicant))
    existing = _find(assignments, evaluator)
    if applicant in declared_conflicts or (existing is not None and existing.recused):
        refusals.append(_refusal("declared-conflict"))
    if existing is not None and not existing.recused:
        refusals.append(_refusal("already-assigned"))
    return tuple(refusals)


def check_assignment(*, evaluator: str, evaluator_organisations: Collection[str],
                     applicant: str, assignments: Sequence[Assignment],
                     declared_conflicts: Collection[str] = ()) -> None:
    """Raise :class:`~credstack.errors.ConflictError` (located ``evaluator``) unless
    :func:`assignment_refusals` finds nothing."""
    refusals = assignment_refusals(
        evaluator=evaluator, evaluator_organisations=evaluator_organisations,
        applicant=applicant, assignments=assignments, declared_conflicts=declared_conflicts,
    )
    if refusals:
        raise ConflictError(
            code="recognition.review.interest.cannot_assign", params={"evaluator": evaluator},
            problems=[Problem("evaluator", code=r.message.key, params=r.message.params)
                      for r in refusals],
        )


def _assigned(assignments: Sequence[Assignment], evaluator: str) -> Assignment:
    assignment = _find(assignments, evaluator)
    if assignment is None:
        raise AccessDeniedError(
            code="recognition.review.interest.not_assigned", params={"evaluator": evaluator},
            problems=[Problem("evaluator", code="recognition.review.interest.not_assigned_short")],
        )
    return assignment


def check_declaration(assignments: Sequence[Assignment], evaluator: str) -> None:
    """An evaluator declares once, after being assigned. Raises
    :class:`~credstack.errors.AccessDeniedError` if not assigned,
    :class:`~credstack.errors.ConflictError` (located ``declaration``) if already declared."""
    assignment = _assigned(assignments, evaluator)
    if assignment.declaration is not None:
        raise ConflictError(
            code="recognition.review.interest.declared_already",
            problems=[Problem("declaration", assignment.declaration.value)],
        )


def check_review(assignments: Sequence[Assignment], evaluator: str) -> None:
    """An evaluator reviews once, after declaring no conflict. Raises
    :class:`~credstack.errors.AccessDeniedError` if not assigned,
    :class:`~credstack.errors.ConflictError` if no declaration yet, recused, or already
    reviewed."""
    assignment = _assigned(assignments, evaluator)
    if assignment.declaration is None:
        reason, location = "recognition.review.interest.declare_first", "declaration"
    elif assignment.recused:
        reason, location = "recognition.review.interest.recused", "declaration"
    elif assignment.review_submitted:
        reason, location = "recognition.review.interest.reviewed_already", "review"
    else:
        return
    raise ConflictError(code=reason, problems=[Problem(location, code=reason)])


def _missing(assignments: Sequence[Assignment]) -> list[Problem]:
    active = active_assignments(assignments)
    problems: list[Problem] = []
    if len(active) < MINIMUM_EVALUATORS:
        problems.append(Problem("assignments", code="recognition.review.interest.too_few",
                                params={"least": MINIMUM_EVALUATORS, "now": len(active)}))
    for assignment in active:
        if assignment.declaration is None:
            problems.append(Problem(f"assignments.{assignment.evaluator}",
                                    code="recognition.review.interest.undeclared"))
        elif not assignment.review_submitted:
            problems.append(Problem(f"assignments.{assignment.evaluator}",
                                    code="recognition.review.interest.unreviewed"))
    return problems


def review_complete(assignments: Sequence[Assignment]) -> bool:
    """True when at least :data:`MINIMUM_EVALUATORS` evaluators without a conflict are
    assigned and each of them declared and submitted a review."""
    return not _missing(assignments)


def check_review_complete(assignments: Sequence[Assignment]) -> None:
    """Raise :class:`~credstack.errors.ConflictError` naming what is missing (located
    ``assignments`` or ``assignments.<evaluator>``) unless :func:`review_complete`."""
    problems = _missing(assignments)
    if problems:
        raise ConflictError(code="recognition.review.interest.incomplete", problems=problems)
