"""People's names for the descriptor vocabularies, in every language credstack speaks.

One table for every place that shows a code to a person: the web pages, the CLI and the
readable parts of an issued credential. The names live in the data files of
:mod:`credstack.core.vocabularies`, one vocabulary per enum (:data:`LABELLED`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from credstack.core import vocabularies
from credstack.core.descriptors.models import (
    AssessmentMethod,
    CertificationKind,
    CreditRecognitionKind,
    DeliveryMode,
    FieldOfStudy,
    IdentifierType,
    LevelFramework,
    Pace,
    QualityAssuranceKind,
    QualityAssuranceScope,
    SkillTargetType,
    StackTargetKind,
    Supervision,
)

__all__ = ["LABELLED", "label", "labels"]

#: Each labelled vocabulary of the descriptor model: its enum and its data files' name.
LABELLED: Final[dict[type[StrEnum], str]] = {
    DeliveryMode: "delivery-mode",
    Pace: "pace",
    AssessmentMethod: "assessment-method",
    Supervision: "supervision",
    QualityAssuranceKind: "quality-assurance-kind",
    QualityAssuranceScope: "quality-assurance-scope",
    LevelFramework: "level-framework",
    SkillTargetType: "skill-target-type",
    CertificationKind: "certification-kind",
    CreditRecognitionKind: "credit-recognition-kind",
    StackTargetKind: "stack-target-kind",
    FieldOfStudy: "field-of-study",
    IdentifierType: "identifier-type",
}


def labels(enum: type[StrEnum], value: str) -> dict[str, str]:
    """The names of ``value`` of ``enum`` by language (``{"ja": …, "en": …}``); empty when
    ``value`` is not one of its values."""
    vocabulary = LABELLED[enum]
    named = {language: vocabularies.names(vocabulary, language).get(value)
             for language in vocabularies.languages()}
    return {language: text for language, text in named.items() if text is not None}


def label(value: StrEnum, language: str) -> str:
    """The name of ``value`` in ``language`` (in English when that language has none)."""
    found = vocabularies.name(LABELLED[type(value)], value.value, language)
    if found is None:
        raise KeyError(f"{type(value).__name__}.{value.name} has no name in the vocabularies")
    return found
