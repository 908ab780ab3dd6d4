"""The rule a course link awards on, as a specification: who passes, who waits, who is
blocked and why, and a grade lowered after issuance."""

from __future__ import annotations

import pytest

from credstack.core.lti.awarding import Rule, award_of, decide
from credstack.errors import InputError
from credstack.words import words

SCORE = Rule("score", "final", 60)
COMPLETION = Rule("completion", "final")


def test_a_score_at_the_minimum_passes_and_below_it_waits() -> None:
    """60 of 100 meets a 60 % minimum; 59.5 does not."""
    assert decide(SCORE, score=60, maximum=100, email="a@example.jp", issued=False).outcome \
        == "passed"
    assert decide(SCORE, score=59.5, maximum=100, email="a@example.jp", issued=False).outcome \
        == "pending"


def test_completion_is_any_result_recorded() -> None:
    """Any score counts as completion; no result yet does not."""
    assert decide(COMPLETION, score=0, maximum=None, email="a@example.jp",
                  issued=False).outcome == "passed"
    assert decide(COMPLETION, score=None, maximum=None, email="a@example.jp",
                  issued=False).outcome == "pending"


def test_a_grade_without_maximum_and_a_learner_without_email_are_blocked() -> None:
    """Neither can be issued, each with its reason in English and Japanese."""
    no_maximum = decide(SCORE, score=9, maximum=None, email="a@example.jp", issued=False)
    assert no_maximum.outcome == "blocked" and no_maximum.reason is not None
    assert "maximum" in words(no_maximum.reason, "en")
    assert "満点" in words(no_maximum.reason, "ja")
    no_email = decide(SCORE, score=90, maximum=100, email=None, issued=False)
    assert no_email.outcome == "blocked" and no_email.reason is not None
    assert "e-mail" in words(no_email.reason, "en")


def test_a_grade_lowered_after_issuance_is_reported_not_revoked() -> None:
    """Issued, then below the rule: ``lowered``, with the new result in the reason."""
    lowered = decide(SCORE, score=10, maximum=100, email="a@example.jp", issued=True)
    assert lowered.outcome == "lowered" and lowered.reason is not None
    assert "10/100" in words(lowered.reason, "en")
    assert decide(SCORE, score=70, maximum=100, email="a@example.jp", issued=True).outcome \
        == "issued"


@pytest.mark.parametrize(("kind", "item", "minimum"), [
    ("grade", "final", 60), ("score", " ", 60), ("score", "final", None),
    ("score", "final", 0), ("score", "final", 101)])
def test_an_incomplete_rule_is_refused(kind: str, item: str, minimum: float | None) -> None:
    """An unknown kind, no line item, a minimum missing or outside (0, 100]."""
    with pytest.raises(InputError):
        Rule(kind, item, minimum)


def test_a_japanese_name_is_kept_as_japanese() -> None:
    """The learner's name goes in the language it is written in."""
    assert award_of(name="山田 花子", email="h@example.jp").learner.name.root == {"ja": "山田 花子"}
    assert award_of(name="Emma Wilson", email="e@example.jp").learner.name.root \
        == {"en": "Emma Wilson"}
