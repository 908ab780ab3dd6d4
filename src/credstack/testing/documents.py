"""A small, realistic, conforming micro-credential and the university that awards it, as the
JSON documents the API, the importer and the descriptor parsers read.

The tests build on them (``tests/helpers.py``) and the benchmarks fill their stores with
variations of them. Each function returns a fresh copy with the top-level fields given
replaced, so a caller may change what it gets::

    programme_document(code="DS-102", fields=["digital", "business"])
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["ORGANISATION", "PROGRAMME", "organisation_document", "programme_document"]

ORGANISATION: dict[str, Any] = {
    "slug": "hokuto-tech",
    "kind": "university",
    "name": {"ja": "北都工科大学", "en": "Hokuto Institute of Technology"},
    "country": "JP",
    "url": "https://www.example.ac.jp/",
}

PROGRAMME: dict[str, Any] = {
    "code": "DS-101",
    "title": {"ja": "実践データサイエンス入門", "en": "Practical Introduction to Data Science"},
    "awarding_body": {"id": "hokuto-tech", "name": ORGANISATION["name"]},
    "issuer_region": {"country": "JP", "subdivision": "JP-01"},
    "description": {"ja": "社会人のためのデータ分析の基礎。", "en": "Data analysis basics for "
                    "working adults."},
    "learning_outcomes": [
        {"statement": {"ja": "データを整理し可視化できる。", "en": "Clean and visualise data."}},
        {"statement": {"ja": "回帰分析を説明できる。", "en": "Explain regression analysis."}},
    ],
    "form_of_participation": {"mode": "online", "pace": "asynchronous"},
    "languages": ["ja"],
    "learner_effort": {"hours": 45, "credits": [{"system": "jp-tani", "value": 1}]},
    "assessment": {"methods": ["examination", "project"]},
    "quality_assurance": [{"kind": "internal", "scope": "programme"}],
    "credit_recognition": {"kinds": ["academic-credit"]},
    "fields": ["digital"],
}


def organisation_document(**changes: Any) -> dict[str, Any]:
    """The organisation, with ``changes`` to its top-level fields."""
    return {**copy.deepcopy(ORGANISATION), **changes}


def programme_document(**changes: Any) -> dict[str, Any]:
    """The programme, with ``changes`` to its top-level fields."""
    return {**copy.deepcopy(PROGRAMME), **changes}
