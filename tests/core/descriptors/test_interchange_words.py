"""Every kind of validation error a descriptor document can meet has words of its own in
English and Japanese (:mod:`credstack.core.descriptors.interchange.words`, the words read from
the ``validation-error`` and ``validation-pattern`` vocabularies), filled from the
error's context; credstack's own validators give both; a kind not listed keeps Pydantic's
English and says in Japanese that the value cannot be used."""

from __future__ import annotations

import string
from typing import Any

import pytest
from pydantic import ValidationError

from credstack.core.descriptors.interchange.words import PATTERNS, words_for
from credstack.core.descriptors.models import Programme
from credstack.core.vocabularies import names

WORDS = {kind: (en, names("validation-error", "ja")[kind])
         for kind, en in names("validation-error", "en").items()}
COUNTRY = (names("validation-pattern", "en")["country-code"],
           names("validation-pattern", "ja")["country-code"])


def _errors(document: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        Programme.model_validate({"code": "W-1", "title": {"ja": "題"}, **document})
    return caught.value.errors(include_url=False)


@pytest.mark.parametrize("kind", sorted(WORDS))
def test_each_kind_has_words_in_both_languages_from_the_same_context(kind: str) -> None:
    """Both templates name the same context fields, so both can be filled, and the Japanese
    is not the English."""
    en, ja = WORDS[kind]
    fields = [{name for _, name, _, _ in string.Formatter().parse(text) if name}
              for text in (en, ja)]
    assert fields[0] == fields[1]
    assert en != ja and any(ord(character) > 0x3000 for character in ja)


@pytest.mark.parametrize("document, en, ja", [
    ({"learner_effort": {"hours": -5}}, "must be greater than 0",
     "0 より大きい値にしてください"),
    ({"learner_effort": {"hours": "many"}}, "must be a number", "数値で書いてください"),
    ({"issuer_region": {"country": "japan"}}, *COUNTRY),
    ({"form_of_participation": {"mode": "by-post"}},
     "must be one of 'online', 'onsite' or 'blended'",
     "次のいずれかにしてください: 'online', 'onsite' or 'blended'"),
    ({"dates_of_delivery": [{"start": "2026-05-01", "end": "2026-04-01"}]},
     "ends (2026-04-01) before it starts (2026-05-01)",
     "終了日（2026-04-01）が開始日（2026-05-01）より前です"),
    ({"levels": [{"framework": "EQF", "level": 11}]},
     "EQF has levels 1–8; 11 is not one of them", "EQF のレベルは 1〜8 です（11 はありません）"),
    ({"title": {"ja": " "}}, "the 'ja' text is empty", "ja の文章が空です"),
])
def test_an_errors_words_come_from_its_kind_and_context(document: dict[str, Any], en: str,
                                                        ja: str) -> None:
    [error] = _errors(document)
    assert words_for(error) == (en, ja)


def test_a_kind_without_words_keeps_pydantics_english() -> None:
    error = {"type": "complex_type", "msg": "Input should be a valid complex number",
             "ctx": {}}
    assert words_for(error) == ("Input should be a valid complex number",
                                "この値は使えません（Input should be a valid complex number）")


def test_every_pattern_has_its_words() -> None:
    """Each pattern of the shared types is said in both languages."""
    assert set(PATTERNS.values()) == set(names("validation-pattern", "en")) \
        == set(names("validation-pattern", "ja"))
