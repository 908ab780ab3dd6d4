"""The conflicts of interest refuse in the words they always did, in Japanese and English,
word for word.

``conflicts_words.json`` holds what :mod:`credstack.core.review.conflicts` said for each
refusal (an assignment refused for one reason or three, a declaration or review out of turn,
a review not complete) before its words moved into the catalogues (issue 53): the error's
message and each problem's place and message, both written ``English / 日本語``. They are now
message keys with parameters; worded from the catalogues they must read the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credstack.core.review.conflicts import (
    Assignment,
    Declaration,
    check_assignment,
    check_declaration,
    check_review,
    check_review_complete,
)
from credstack.errors import CredstackError
from credstack.words import kept_words, problem_words

RECORDED: dict[str, dict[str, Any]] = {
    row["case"]: row for row in json.loads(
        (Path(__file__).parent / "conflicts_words.json").read_text(encoding="utf-8"))}
A = "example-university"
CLEAR = Declaration.NO_CONFLICT
CONFLICT = Declaration.CONFLICT

CASES: dict[str, Callable[[], None]] = {
    "assign_all": lambda: check_assignment(
        evaluator="user:7", evaluator_organisations={A}, applicant=A,
        assignments=[Assignment("user:7")], declared_conflicts={A}),
    "assign_member": lambda: check_assignment(
        evaluator="user:8", evaluator_organisations={"other", "tokyo-tech"},
        applicant="tokyo-tech", assignments=[]),
    "assign_recused": lambda: check_assignment(
        evaluator="user:9", evaluator_organisations=set(), applicant=A,
        assignments=[Assignment("user:9", CONFLICT)]),
    "assign_twice": lambda: check_assignment(
        evaluator="user:3", evaluator_organisations=set(), applicant=A,
        assignments=[Assignment("user:3", CLEAR)]),
    "declare_unassigned": lambda: check_declaration([Assignment("user:7")], "user:8"),
    "declare_twice": lambda: check_declaration([Assignment("user:7", CLEAR)], "user:7"),
    "declare_twice_conflict": lambda: check_declaration([Assignment("user:7", CONFLICT)],
                                                        "user:7"),
    "review_undeclared": lambda: check_review([Assignment("user:7")], "user:7"),
    "review_recused": lambda: check_review([Assignment("user:7", CONFLICT)], "user:7"),
    "review_twice": lambda: check_review([Assignment("user:7", CLEAR, review_submitted=True)],
                                         "user:7"),
    "review_unassigned": lambda: check_review([Assignment("user:7", CLEAR)], "user:9"),
    "complete_none": lambda: check_review_complete([]),
    "complete_one": lambda: check_review_complete([Assignment("user:1", CLEAR, True)]),
    "complete_open": lambda: check_review_complete(
        [Assignment("user:1", CLEAR, True), Assignment("user:2"), Assignment("user:3", CLEAR)]),
    "complete_three": lambda: check_review_complete(
        [Assignment("user:1"), Assignment("user:2", CLEAR), Assignment("user:3", CLEAR, True),
         Assignment("user:4", CONFLICT)]),
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
             if problem.code else problem.message, ""] for problem in error.problems]
    assert said == recorded["problems"]
