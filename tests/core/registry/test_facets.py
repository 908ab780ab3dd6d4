"""Facet values of a programme: bands, derived recognition status, labels."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from credstack.core import vocabularies
from credstack.core.registry.facets import (
    NOT_STATED,
    effort_band,
    facet_values,
    price_band,
    recognition_status,
)
from credstack.core.registry.labels import facet_label
from credstack.core.registry.query import FACETS


@pytest.mark.parametrize(("hours", "band"), [
    (None, NOT_STATED), ("0.5", "lt-10h"), ("9.99", "lt-10h"), ("10", "10-29h"),
    ("29.5", "10-29h"), ("30", "30-59h"), ("59", "30-59h"), ("60", "60-119h"),
    ("119.99", "60-119h"), ("120", "120h-plus"), ("5580", "120h-plus"),
])
def test_effort_bands_follow_the_frameworks_thresholds(hours: str | None, band: str) -> None:
    """10 h (Japanese proposal's minimum) and 60 h (履修証明) start bands."""
    assert effort_band(Decimal(hours) if hours else None) == band


@pytest.mark.parametrize(("amount", "currency", "band"), [
    (None, None, NOT_STATED), ("0", "JPY", "free"), ("0", "EUR", "free"),
    ("9999", "JPY", "lt-10k-jpy"), ("10000", "JPY", "10k-50k-jpy"),
    ("49999", "JPY", "10k-50k-jpy"), ("50000", "JPY", "50k-100k-jpy"),
    ("100000", "JPY", "100k-300k-jpy"), ("300000", "JPY", "300k-jpy-plus"),
    ("500", "EUR", "50k-100k-jpy"), ("1000", "MYR", "10k-50k-jpy"),
    ("10", "XTS", "other-currency"),
])
def test_price_bands_are_in_yen_at_indicative_rates(
        amount: str | None, currency: str | None, band: str) -> None:
    """Free first; other currencies through the fixed rates; unknown ones apart."""
    assert price_band(Decimal(amount) if amount else None, currency) == band


@pytest.mark.parametrize(("qa", "status"), [
    ([], "none"),
    ([{"kind": "internal", "scope": "institution"}], "internal-qa"),
    ([{"kind": "internal", "scope": "institution"}, {"kind": "external", "scope": "programme"}],
     "external-qa"),
])
def test_recognition_status_is_derived_from_quality_assurance(
        qa: list[dict[str, str]], status: str) -> None:
    """Until recognition decisions exist: external QA, internal QA only, or none."""
    assert recognition_status(1, {"quality_assurance": qa}) == status


DOCUMENT: dict[str, Any] = {
    "code": "DX-1",
    "fields": ["digital", "business"],
    "levels": [{"framework": "EQF", "level": 5}, {"framework": "MQF", "level": 4}],
    "learner_effort": {"hours": "90", "credits": [{"system": "jp-tani", "value": "2"},
                                                  {"system": "ects", "value": "3"}]},
    "form_of_participation": {"mode": "blended"},
    "languages": ["ja", "en"],
    "price": {"amount": "50000", "currency": "JPY"},
    "assessment": {"methods": ["examination", "report"]},
    "stackability": {"stackable": True},
}


def test_facet_values_of_a_document() -> None:
    """Every facet gets its values; multi-valued facets keep the document's order."""
    values = facet_values(DOCUMENT, provider="sakura", provider_kind="university",
                          profiles=("jp-mc", "eu-2022"), recognition="internal-qa")
    assert set(values) == set(FACETS)
    assert values == {
        "field": ("digital", "business"), "provider": ("sakura",),
        "provider_type": ("university",), "level": ("EQF-5", "MQF-4"),
        "effort_band": ("60-119h",), "credits": ("jp-tani", "ects"),
        "delivery_mode": ("blended",), "language": ("ja", "en"),
        "price_band": ("50k-100k-jpy",), "assessment": ("examination", "report"),
        "recognition": ("internal-qa",), "stackable": ("yes",),
        "profile": ("jp-mc", "eu-2022"), "skill": ("none",),
    }


def test_a_bare_document_is_not_stated_everywhere() -> None:
    """Missing descriptors are a value of their own, so they can be found or excluded."""
    values = facet_values({"code": "X"}, provider="p", provider_kind="company", profiles=(),
                          recognition="none")
    assert values["field"] == values["level"] == values["effort_band"] == (NOT_STATED,)
    assert values["delivery_mode"] == values["price_band"] == values["stackable"] == (
        NOT_STATED,)
    assert values["credits"] == ("none",)
    assert values["profile"] == ("none",)


def test_malformed_parts_count_as_not_stated() -> None:
    """A document the index cannot make sense of never stops a build."""
    odd: dict[str, Any] = {"fields": "digital", "levels": [{"framework": 3}],
                           "learner_effort": {"hours": "lots", "credits": "2"},
                           "price": [], "stackability": {"stackable": "maybe"}}
    values = facet_values(odd, provider="p", provider_kind="", profiles=(), recognition="none")
    assert values["field"] == values["level"] == values["effort_band"] == (NOT_STATED,)
    assert values["provider_type"] == (NOT_STATED,)
    assert values["stackable"] == (NOT_STATED,)


@pytest.mark.parametrize(("facet", "value", "ja", "en"), [
    ("field", "digital", "デジタル・情報", "Digital"),
    ("delivery_mode", "online", "オンライン", "Online"),
    ("assessment", "peer-review", "ピアレビュー", "Peer review"),
    ("provider_type", "university", "大学", "University"),
    ("language", "ja", "日本語", "Japanese"),
    ("credits", "ects", "ECTS 単位", "ECTS credit"),
    ("credits", "none", "単位なし", "No credits"),
    ("level", "EQF-5", "EQF レベル5", "EQF level 5"),
    ("effort_band", "10-29h", "10〜29時間", "10–29 hours"),
    ("price_band", "free", "無料", "Free"),
    ("recognition", "external-qa", "外部質保証あり", "External quality assurance"),
    ("stackable", "yes", "積み上げ可能", "Stackable"),
    ("field", "not-stated", "記載なし", "Not stated"),
    ("field", "0542", "統計学（0542）", "Statistics (0542)"),
    ("field", "5555", "5555", "5555"),
    ("language", "xx", "xx", "xx"),
])
def test_facet_values_have_names_in_japanese_and_english(
        facet: str, value: str, ja: str, en: str) -> None:
    """Vocabulary labels, credit systems, levels, bands and ISCED-F fields (which a credit
    bank's target searches by) are named; unknown values are named by themselves. Every
    language the vocabularies are written in has a name, never an empty one."""
    label = facet_label(facet, value)
    assert (label["ja"], label["en"]) == (ja, en)
    assert set(label) == set(vocabularies.languages())
    assert all(label.values())


def test_profiles_are_named_by_their_files() -> None:
    """The profile facet uses the profiles' own names."""
    label = facet_label("profile", "jp-mc")
    assert label["en"] == "Common descriptors (Japanese proposal)"
    assert label["ja"]
