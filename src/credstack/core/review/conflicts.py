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
    """Why an evaluator cannot be assigned: a stable code and a message."""

    #: ``member-of-applicant``, ``declared-conflict`` or ``already-assigned``.
    code: str
    message: Label


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
        refusals.append(Refusal("member-of-applicant", Label(
            f"評価者は申請組織（{applicant}）に所属しているため選任できません。",
            f"The evaluator belongs to the applicant organisation ({applicant}).",
        )))
    existing = _find(assignments, evaluator)
    if applicant in declared_conflicts or (existing is not None and existing.recused):
        refusals.append(Refusal("declared-conflict", Label(
            "評価者はこの申請について利益相反を申告しています。",
            "The evaluator has declared a conflict of interest with this applicant.",
        )))
    if existing is not None and not existing.recused:
        refusals.append(Refusal("already-assigned", Label(
            "評価者はすでにこの申請に選任されています。",
            "The evaluator is already assigned to this application.",
        )))
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
            f"{evaluator} cannot evaluate this application. / "
            f"{evaluator} はこの申請の評価者に選任できません。",
            problems=[Problem("evaluator", str(r.message)) for r in refusals],
        )


def _assigned(assignments: Sequence[Assignment], evaluator: str) -> Assignment:
    assignment = _find(assignments, evaluator)
    if assignment is None:
        raise AccessDeniedError(
            f"{evaluator} is not assigned to this application. / "
            f"{evaluator} はこの申請の評価者ではありません。",
            problems=[Problem("evaluator", "not assigned / 未選任")],
        )
    return assignment


def check_declaration(assignments: Sequence[Assignment], evaluator: str) -> None:
    """An evaluator declares once, after being assigned. Raises
    :class:`~credstack.errors.AccessDeniedError` if not assigned,
    :class:`~credstack.errors.ConflictError` (located ``declaration``) if already declared."""
    assignment = _assigned(assignments, evaluator)
    if assignment.declaration is not None:
        raise ConflictError(
            "The declaration of interests was already made. / 利益相反はすでに申告済みです。",
            problems=[Problem("declaration", assignment.declaration.value)],
        )


def check_review(assignments: Sequence[Assignment], evaluator: str) -> None:
    """An evaluator reviews once, after declaring no conflict. Raises
    :class:`~credstack.errors.AccessDeniedError` if not assigned,
    :class:`~credstack.errors.ConflictError` if no declaration yet, recused, or already
    reviewed."""
    assignment = _assigned(assignments, evaluator)
    if assignment.declaration is None:
        reason = Label("審査の前に利益相反を申告してください。",
                       "Declare your interests before reviewing.")
        location = "declaration"
    elif assignment.recused:
        reason = Label("利益相反を申告したため、この申請は審査できません。",
                       "You declared a conflict of interest, so you cannot review this "
                       "application.")
        location = "declaration"
    elif assignment.review_submitted:
        reason = Label("審査結果はすでに提出済みです。", "Your review was already submitted.")
        location = "review"
    else:
        return
    raise ConflictError(str(reason), problems=[Problem(location, str(reason))])


def _missing(assignments: Sequence[Assignment]) -> list[Problem]:
    active = active_assignments(assignments)
    problems: list[Problem] = []
    if len(active) < MINIMUM_EVALUATORS:
        problems.append(Problem("assignments", str(Label(
            f"利益相反のない評価者が{MINIMUM_EVALUATORS}名以上必要です（現在{len(active)}名）。",
            f"At least {MINIMUM_EVALUATORS} evaluators without a conflict are needed "
            f"({len(active)} now).",
        ))))
    for assignment in active:
        if assignment.declaration is None:
            problems.append(Problem(f"assignments.{assignment.evaluator}", str(Label(
                "利益相反の申告がありません。", "has not declared their interests yet.",
            ))))
        elif not assignment.review_submitted:
            problems.append(Problem(f"assignments.{assignment.evaluator}", str(Label(
                "審査結果が未提出です。", "has not submitted a review yet.",
            ))))
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
        raise ConflictError("The review is not complete yet. / 審査はまだ完了していません。",
                            problems=problems)
