"""Index documents from stored programme JSON, and cached profile conformance."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import orjson

from credstack.core.descriptors import profiles, validate
from credstack.core.descriptors.models import Programme
from credstack.core.descriptors.synthetic import iter_programmes
from credstack.core.registry.documents import (
    ProfileConformance,
    Provider,
    ects_equivalent,
    index_document,
    skeleton,
    title_sort_text,
)
from credstack.demo import load_demo_documents

PROVIDER = Provider("sakura", "university", {"ja": "さくら大学", "en": "Sakura University"})


@cache
def _documents() -> list[dict[str, Any]]:
    """The demo set and 3,000 generated programmes, as the store keeps them."""
    programmes = [*load_demo_documents().programmes, *iter_programmes(3000, seed=11)]
    return [orjson.loads(p.canonical_json()) for p in programmes]


def _validated(document: dict[str, Any]) -> tuple[str, ...]:
    programme = Programme.model_validate(document)
    return tuple(p.id for p in profiles().values() if validate(programme, p).conforms)


def test_cached_conformance_equals_full_validation() -> None:
    """Over the demo set and generated programmes, the verdicts are validation's."""
    conformance = ProfileConformance()
    for document in _documents():
        assert conformance.conforming(document) == _validated(document), document["code"]


def test_conformance_is_cached_on_what_validation_reads() -> None:
    """Each part of a verdict is evaluated once per distinct input: the second thousand
    programmes need far fewer evaluations than the first, the same ones none at all."""
    conformance = ProfileConformance()
    generated = _documents()[-3000:]
    for document in generated[:1500]:
        conformance.conforming(document)
    first = conformance.evaluations
    for document in generated[1500:]:
        conformance.conforming(document)
    assert conformance.evaluations - first < first / 2
    before = conformance.evaluations
    for document in generated:
        conformance.conforming(document)
    assert conformance.evaluations == before


def test_a_skeleton_keeps_what_validation_reads_and_drops_the_rest() -> None:
    """Texts, codes, URLs and money become placeholders; dates keep their length."""
    document = {
        "code": "DX-1", "title": {"ja": "データ", "en": "Data"},
        "awarding_body": {"id": "sakura", "name": {"ja": "さくら"}, "url": "https://s.example/"},
        "learner_effort": {"hours": "90"},
        "dates_of_delivery": [{"start": "2025-04-01", "end": "2025-04-10"}],
        "price": {"amount": "50000", "currency": "JPY"},
        "quality_assurance": [{"kind": "internal", "scope": "institution",
                               "valid_until": "2029-03-31"}],
    }
    assert skeleton(document) == {
        "code": "x", "title": {"en": "x"},
        "awarding_body": {"id": "x", "name": {"en": "x"}, "url": "https://x.example/"},
        "learner_effort": {"hours": "90"},
        "dates_of_delivery": [{"start": "2000-01-01", "end": "2000-01-10"}],
        "price": {"amount": "0", "currency": "JPY"},
        "quality_assurance": [{"kind": "internal", "scope": "institution",
                               "valid_until": "2000-01-01"}],
    }


def test_an_index_document_has_the_searchable_text_and_the_facets() -> None:
    """Title, description, outcomes, provider names and skills are searched."""
    document = {
        "code": "DX-1", "title": {"ja": "データ活用入門", "en": "Introduction to data use"},
        "awarding_body": {"id": "sakura", "name": {"ja": "旧さくら大学", "en": "Sakura"}},
        "description": {"ja": "業務データの分析", "en": "Analysing business data"},
        "learning_outcomes": [{"statement": {"ja": "統計を説明できる。"}}],
        "skills": [{"name": {"ja": "データ分析", "en": "Data analysis"}}],
        "learner_effort": {"hours": "45", "credits": [{"system": "jp-tani", "value": "1"}]},
        "assessment": {"methods": ["report"]},
    }
    indexed = index_document(document, programme_id=7, version=2, provider=PROVIDER,
                             conformance=ProfileConformance())
    assert indexed.title_texts == ("データ活用入門", "Introduction to data use")
    assert indexed.texts == ("業務データの分析", "Analysing business data", "統計を説明できる。",
                             "さくら大学", "Sakura University", "旧さくら大学", "Sakura",
                             "データ分析", "Data analysis")
    assert indexed.facets["provider"] == ("sakura",)
    assert indexed.hours == Decimal(45)
    assert indexed.credits == Decimal("1.636")


def test_credits_compare_as_ects_equivalents() -> None:
    """ECTS as stated; other systems through their hours per credit (27.5 h an ECTS)."""
    assert ects_equivalent([{"system": "ects", "value": "3"}]) == Decimal(3)
    assert ects_equivalent([{"system": "jp-tani", "value": "2"},
                            {"system": "ects", "value": "3"}]) == Decimal(3)
    assert ects_equivalent([{"system": "nz-credit", "value": "11"}]) == Decimal(4)
    assert ects_equivalent([]) is None


def test_titles_sort_in_the_chosen_language_with_a_fallback() -> None:
    """Normalised text in the language asked for, else the other one."""
    assert title_sort_text({"ja": "データ", "en": "Data"}, "en") == "data"
    assert title_sort_text({"ja": "ＤＸ入門"}, "en") == "dx入門"
    assert title_sort_text({"de": "Einführung"}, "ja") == "einführung"
