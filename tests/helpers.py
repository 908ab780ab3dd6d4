"""Documents the adapter tests build on: a small, realistic, conforming programme."""

from __future__ import annotations

import copy
from typing import Any

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


def organisation(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(ORGANISATION), **changes}


def programme(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(PROGRAMME), **changes}
