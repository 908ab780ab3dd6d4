"""The small shared types: language tags, codes, slugs and multilingual text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from credstack.core.types import (
    MAX_TEXT_LENGTH,
    CountryCode,
    LanguageTag,
    MultilingualText,
    ProgrammeCode,
    ShortText,
    Slug,
    whole_number,
)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (LanguageTag, ["ja", "en", "en-GB", "zh-Hant", "yue"], ["", "JA", "Japanese", "en_GB"]),
        (CountryCode, ["JP", "MY"], ["jp", "JPN", ""]),
        (Slug, ["example-university", "u1", "a"], ["Example", "-a", "a-", "a_b", "", "a" * 65]),
        (ProgrammeCode, ["DX-101", "mc.2025_1", "A"], ["DX 101", "-A", "A-", "", "A" * 65]),
        (ShortText, ["A", "x" * 200], ["", "   ", "x" * 201]),
    ],
)
def test_identifiers_accept_their_shape_only(kind: Any, good: list[str], bad: list[str]) -> None:
    """Each identifier type accepts well-formed values and rejects the rest."""
    adapter: TypeAdapter[str] = TypeAdapter(kind)
    for value in good:
        assert adapter.validate_python(value) == value
    for value in bad:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("Data use", 'give the text per language, for example {"ja": "…", "en": "…"}'),
        ({}, "needs the text in at least one language"),
        ({"ja": ""}, "the 'ja' text is empty"),
        ({"en": " \t\n"}, "the 'en' text is empty"),
        ({"en": "x" * (MAX_TEXT_LENGTH + 1)}, f"at most {MAX_TEXT_LENGTH}"),
        ({"EN": "x"}, "should match pattern"),
        ({"en": 1}, "valid string"),
        (["ja", "データ"], "valid dictionary"),
    ],
)
def test_multilingual_text_is_a_mapping_of_language_to_non_empty_text(
    value: Any, complaint: str
) -> None:
    """Text is given per language, never as a bare string, and never empty or huge."""
    with pytest.raises(ValidationError, match=re.escape(complaint)):
        MultilingualText.model_validate(value)


def test_multilingual_text_is_stripped_and_read_with_fallbacks() -> None:
    """Text is kept without surrounding blanks and read in the first language available."""
    text = MultilingualText({"ja": "  データ活用 ", "en": "Data use\n"})
    assert text.root == {"ja": "データ活用", "en": "Data use"}
    assert text.languages == ("ja", "en")
    assert text.text("en") == "Data use"
    assert text.text("fr", "en") == "Data use"
    assert text.text("fr", "de") == "データ活用"


def test_multilingual_text_of_the_maximum_length_is_accepted() -> None:
    """Exactly the maximum length is fine."""
    assert MultilingualText({"en": "x" * MAX_TEXT_LENGTH}).text("en") == "x" * MAX_TEXT_LENGTH


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("42", 42), ("2147483647", 2**31 - 1),
                                              ("2147483648", None), ("9" * 5000, None),
                                              ("\u00b3", None), ("\u2460", None),
                                              ("\u0663", None), ("-1", None), (" 1", None),
                                              ("", None), ("1.0", None)])
def test_whole_numbers_are_ascii_digits_within_the_store_s_reach(
        text: str, number: int | None) -> None:
    """"³" and "①" are digits to ``str.isdigit`` but not to ``int`` (a 500 where a request
    sent them, issue 55); a number past the store's largest id names nothing."""
    assert whole_number(text) == number
