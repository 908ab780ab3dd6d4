"""Shared documents for the descriptor specifications."""

from __future__ import annotations

import copy
from typing import Any

import pytest

#: One learner's micro-credential that states every descriptor and conforms to all five
#: bundled profiles without a single finding: 90 hours are 2 単位, 3 ECTS and 2.25 Malaysian
#: credits; EQF 5 and MQF 4; internal QA; a 履修証明書 among the certifications; 13 weeks.
COMPLETE_DOCUMENT: dict[str, Any] = {
    "code": "DX-101",
    "title": {"ja": "データ活用入門", "en": "Introduction to data use"},
    "awarding_body": {
        "id": "example-university",
        "name": {"ja": "例示大学", "en": "Example University"},
        "url": "https://example.ac.jp/",
    },
    "issuer_region": {"country": "JP", "subdivision": "JP-13"},
    "description": {
        "ja": "業務データの分析手法を学ぶ。",
        "en": "Methods for analysing business data.",
    },
    "learning_outcomes": [
        {"statement": {"ja": "基本統計量を説明できる。", "en": "Explain descriptive statistics."}},
        {"statement": {"ja": "回帰分析を実行できる。", "en": "Run a regression analysis."}},
    ],
    "form_of_participation": {"mode": "blended", "pace": "mixed"},
    "languages": ["ja", "en"],
    "learner_effort": {
        "hours": "90",
        "credits": [
            {"system": "jp-tani", "value": "2"},
            {"system": "ects", "value": "3"},
            {"system": "my-credit", "value": "2.25"},
        ],
        "duration_weeks": 13,
    },
    "assessment": {
        "methods": ["examination", "report"],
        "supervision": "supervised-onsite-identity-check",
        "grading": {"en": "A–D; C or better passes"},
    },
    "quality_assurance": [
        {"kind": "internal", "scope": "programme", "body": {"ja": "例示大学", "en": "Example U"}},
        {"kind": "external", "scope": "institution"},
    ],
    "levels": [{"framework": "EQF", "level": 5}, {"framework": "MQF", "level": 4}],
    "certification": {"kinds": ["rishu-shomei", "digital-badge"]},
    "credit_recognition": {"kinds": ["academic-credit", "recognition-of-prior-learning"]},
    "prerequisites": {"ja": "表計算ソフトの基本操作", "en": "Basic spreadsheet skills"},
    "stackability": {
        "stackable": True,
        "targets": [{"title": {"en": "Data science certificate"}, "kind": "certificate-programme"}],
    },
    "dates_of_delivery": [{"start": "2025-04-01", "end": "2025-06-30"}],
    "inherent_requirements": {"ja": "PC を使えること", "en": "Able to use a computer"},
    "price": {
        "amount": "50000",
        "currency": "JPY",
        "financial_assistance": {"en": "Education and training benefit eligible"},
    },
    "further_information": {"url": "https://example.ac.jp/dx-101"},
    "fields": ["digital"],
    "skills": [{"name": {"en": "Data analysis"}, "framework": "ESCO"}],
    "award": {
        "learner": {
            "name": {"ja": "山田花子", "en": "Hanako Yamada"},
            "identifiers": [{"type": "email", "value": "hanako@example.jp"}],
        },
        "issued_on": "2025-07-01",
        "grade": "A",
    },
}


@pytest.fixture
def complete_document() -> dict[str, Any]:
    """A fresh copy of :data:`COMPLETE_DOCUMENT`, free to edit."""
    return copy.deepcopy(COMPLETE_DOCUMENT)


@pytest.fixture
def programme_document(complete_document: dict[str, Any]) -> dict[str, Any]:
    """The complete document as a bare programme: everything but the learner's award."""
    del complete_document["award"]
    return complete_document
