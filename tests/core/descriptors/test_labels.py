"""Every value of every labelled vocabulary of the descriptor model has a name in Japanese
and English, and the data files name no value the model does not have."""

from __future__ import annotations

from enum import StrEnum

import pytest

from credstack.core import vocabularies
from credstack.core.descriptors.labels import LABELLED, label, labels
from credstack.core.descriptors.models import DeliveryMode, LevelFramework


@pytest.mark.parametrize("enum", list(LABELLED), ids=lambda enum: enum.__name__)
def test_every_value_is_named_in_japanese_and_english(enum: type[StrEnum]) -> None:
    for value in enum:
        assert {"ja", "en"} <= labels(enum, value.value).keys(), value


@pytest.mark.parametrize("enum", list(LABELLED), ids=lambda enum: enum.__name__)
def test_no_value_the_model_does_not_have_is_named(enum: type[StrEnum]) -> None:
    for language in vocabularies.languages():
        if LABELLED[enum] not in vocabularies.vocabularies(language):
            continue  # a staff page's vocabulary, named in Japanese and English only
        named = set(vocabularies.names(LABELLED[enum], language))
        assert named == {value.value for value in enum}, language


def test_a_value_is_named_in_the_language_asked_for() -> None:
    assert label(DeliveryMode.BLENDED, "ja") == "ブレンド型（対面とオンライン）"
    assert label(LevelFramework.EQF, "en") == "European Qualifications Framework (EQF)"
    assert label(DeliveryMode.BLENDED, "ko") == "블렌디드(대면 및 온라인)"
    assert label(DeliveryMode.BLENDED, "fr") == "Blended (on site and online)"


def test_a_value_of_another_vocabulary_is_not_named() -> None:
    assert labels(DeliveryMode, "peer-review") == {}
