"""Every state, party, step, score, outcome and recognition status is named in Japanese and
English from the vocabularies' data files, and the files name nothing else."""

from __future__ import annotations

from enum import Enum

import pytest

from credstack.core import vocabularies
from credstack.core.review.criteria import CRITERIA, Score
from credstack.core.review.labels import Label
from credstack.core.review.outcomes import Outcome, RecognitionStatus
from credstack.core.review.process import Event, Party, State

#: Each labelled enum of the review, with its vocabulary and how a member is keyed there.
VOCABULARIES: dict[type[Enum], str] = {
    State: "review-state", Party: "review-party", Event: "review-event",
    Score: "review-score", Outcome: "review-outcome", RecognitionStatus: "recognition-status",
}


def _naming(vocabulary: str) -> list[str]:
    """The languages with a file for ``vocabulary``."""
    return [language for language in vocabularies.languages()
            if vocabulary in vocabularies.vocabularies(language)]


def _key(member: Enum) -> str:
    return member.value if isinstance(member.value, str) else member.name.lower().replace(
        "_", "-")


@pytest.mark.parametrize("enum", list(VOCABULARIES), ids=lambda enum: enum.__name__)
def test_every_member_is_named_in_both_languages(enum: type[Enum]) -> None:
    for member in enum:
        label = member.label  # type: ignore[attr-defined]
        assert label.ja and label.en and label.ja != label.en, member


@pytest.mark.parametrize("enum", list(VOCABULARIES), ids=lambda enum: enum.__name__)
def test_the_files_name_no_member_the_enum_does_not_have(enum: type[Enum]) -> None:
    """Japanese and English (the review's staff languages) name it; a language that names
    it at all names every member and nothing else."""
    assert {"ja", "en"} <= set(_naming(VOCABULARIES[enum]))
    for language in _naming(VOCABULARIES[enum]):
        assert set(vocabularies.names(VOCABULARIES[enum], language)) \
            == {_key(member) for member in enum}, language


def test_a_label_is_read_from_its_vocabulary() -> None:
    assert State.UNDER_REVIEW.label == Label("審査中", "Under review")
    assert Score.EXEMPLARY.label == Label("特に優れている", "Exemplary")
    assert Event.APPEAL.party is Party.APPLICANT


def test_a_value_the_vocabulary_does_not_name_is_refused() -> None:
    with pytest.raises(KeyError, match="review-state"):
        Label.named("review-state", "lost-in-the-post")


def test_the_criteria_files_name_every_criterion_and_question_and_nothing_else() -> None:
    assert {"ja", "en"} <= set(_naming("review-criterion"))
    for language in _naming("review-criterion"):
        assert set(vocabularies.names("review-criterion", language)) \
            == set(vocabularies.names("review-criterion-description", language)) \
            == {criterion.id for criterion in CRITERIA}, language
        assert set(vocabularies.names("review-question", language)) \
            == {question.id for criterion in CRITERIA for question in criterion.checklist}
