"""The pages' (ja, en) labels are read from the vocabularies' data files: every value of
each vocabulary a page labels is named, and no value its enum does not have."""

from __future__ import annotations

from enum import StrEnum

import pytest

from credstack.core.descriptors.models import CreditSystem
from credstack.core.organisations import OrganisationKind
from credstack.entrypoints.web.i18n.vocabulary import (
    COUNTRY_NAMES,
    CREDIT_UNITS,
    LABELS,
    LANGUAGE_NAMES,
)


@pytest.mark.parametrize("enum", list(LABELS), ids=lambda enum: enum.__name__)
def test_every_value_of_a_labelled_vocabulary_has_both_names(enum: type[StrEnum]) -> None:
    assert set(LABELS[enum]) == {value.value for value in enum}
    assert all(ja and en for ja, en in LABELS[enum].values())


def test_every_credit_system_has_its_units() -> None:
    """A credit system has a Japanese unit and an English one for one and for any number."""
    assert set(CREDIT_UNITS) == set(CreditSystem)
    assert CREDIT_UNITS[CreditSystem.JP_TANI] == ("単位", "Japanese credit", "Japanese credits")


def test_the_pairs_are_japanese_then_english() -> None:
    assert LABELS[OrganisationKind][OrganisationKind.UNIVERSITY] == ("大学", "University")
    assert COUNTRY_NAMES["KR"] == ("韓国", "South Korea")
    assert LANGUAGE_NAMES["th"] == ("タイ語", "Thai")
