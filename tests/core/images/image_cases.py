"""The badges and certification marks drawn before and after their words moved into the
vocabularies' data files (issue 53): :func:`cases` draws each, ``image_words.json`` holds the
digests of what was drawn before, so the words stay word for word."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

from credstack.core.descriptors import parse_programme
from credstack.core.images.badge_svg import (
    TEMPLATES,
    BadgeStyle,
    badge_svg,
    design_for_achievement,
    design_for_programme,
)
from credstack.core.images.certification_mark import MarkDesign, certification_mark_svg
from credstack.core.review.outcomes import Outcome
from tests.helpers import programme as programme_document

BODY = {"ja": "日本マイクロクレデンシャル機構", "en": "Japan Micro-credential Organisation"}
TITLE = {"ja": "実践データサイエンス入門", "en": "Practical Introduction to Data Science"}


def _badges() -> Iterator[tuple[str, str]]:
    plain = programme_document()
    participation = programme_document(assessment={"methods": ["participation"]})
    for kind, document in (("micro", plain), ("participation", participation)):
        for template in TEMPLATES:
            design = design_for_programme(parse_programme(document),
                                          style=BadgeStyle(template=template))
            for latin_only in (False, True):
                yield (f"badge/{kind}/{template}/latin={latin_only}",
                       badge_svg(design, latin_only=latin_only))
    for achievement_type in ("MicroCredential", "Badge"):
        for name in ("データ分析の基礎", "Foundations of Data Analysis"):
            design = design_for_achievement({"achievementType": achievement_type,
                                             "name": name, "humanCode": "DA-1"},
                                            issuer_name="Example University")
            for latin_only in (False, True):
                yield (f"achievement/{achievement_type}/{name}/latin={latin_only}",
                       badge_svg(design, latin_only=latin_only))


def _marks() -> Iterator[tuple[str, str]]:
    for outcome in (Outcome.RECOGNISED, Outcome.RECOGNISED_WITH_CONDITIONS):
        for label, changes in (
                ("full", {}), ("no-title", {"programme_title": None}),
                ("no-body", {"body_name": {}}), ("no-end", {"valid_until": None}),
                ("english-only", {"body_name": {"en": BODY["en"]},
                                  "programme_title": {"en": TITLE["en"]}}),
                ("japanese-only", {"body_name": {"ja": BODY["ja"]},
                                   "programme_title": {"ja": TITLE["ja"]}})):
            values: dict[str, Any] = dict(outcome=outcome, body_name=BODY,
                                          programme_title=TITLE,
                                          decision_number="R-2026-0001",
                                          valid_until=dt.date(2029, 4, 1))
            values.update(changes)
            for language in ("ja", "en", "ko"):
                yield (f"mark/{outcome.value}/{label}/{language}",
                       certification_mark_svg(MarkDesign(**values), language=language))


def cases() -> dict[str, str]:
    """Each case's name and the SHA-256 of the SVG drawn for it."""
    return {name: hashlib.sha256(svg.encode("utf-8")).hexdigest()
            for name, svg in (*_badges(), *_marks())}
