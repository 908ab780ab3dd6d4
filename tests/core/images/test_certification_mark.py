"""The certification mark of a recognition decision: accessible, escaped, deterministic SVG."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from credstack.core.images.certification_mark import MarkDesign, certification_mark_svg
from credstack.core.review.outcomes import Outcome

SVG = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BODY = {"ja": "日本マイクロクレデンシャル機構", "en": "Japan Micro-credential Organisation"}
TITLE = {"ja": "実践データサイエンス入門", "en": "Practical Introduction to Data Science"}


def design(**changes: Any) -> MarkDesign:
    values: dict[str, Any] = dict(outcome=Outcome.RECOGNISED, body_name=BODY,
                                  programme_title=TITLE, decision_number="R-2026-0001",
                                  valid_until=dt.date(2029, 4, 1))
    values.update(changes)
    return MarkDesign(**values)


def parsed(text: str) -> ET.Element:
    return ET.fromstring(text)


def texts(root: ET.Element) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


@pytest.mark.parametrize(("language", "title", "until"), [
    ("ja", "認定マーク：日本マイクロクレデンシャル機構による認定", "2029年4月1日まで有効"),
    ("en", "Certification mark: Recognised by Japan Micro-credential Organisation",
     "Valid until 1 April 2029"),
])
def test_the_mark_is_named_and_described_in_its_language(language: str, title: str,
                                                         until: str) -> None:
    """role=img, <title>/<desc> by aria-labelledby, xml:lang; body, title, number, date drawn."""
    root = parsed(certification_mark_svg(design(), language=language))
    assert root.get("role") == "img" and root.get(XML_LANG) == language
    assert root.get("aria-labelledby") == "mark-title mark-desc"
    assert root.findtext(f"{SVG}title") == title
    description = root.findtext(f"{SVG}desc") or ""
    assert "R-2026-0001" in description and until in description
    drawn = texts(root)
    # Wrapped lines are separate <tspan>s: compare without the spaces between words.
    assert BODY[language].replace(" ", "") in drawn.replace(" ", "")
    assert "R-2026-0001" in drawn and until in drawn
    assert TITLE[language].split()[0] in drawn


def test_conditions_show_in_the_band() -> None:
    for language, word in (("ja", "条件付き認定"), ("en", "WITH CONDITIONS")):
        root = parsed(certification_mark_svg(
            design(outcome=Outcome.RECOGNISED_WITH_CONDITIONS), language=language))
        assert word in texts(root)


def test_the_same_decision_gives_the_same_bytes() -> None:
    assert certification_mark_svg(design(), language="ja") == certification_mark_svg(
        design(), language="ja")
    assert certification_mark_svg(design(), language="ja") != certification_mark_svg(
        design(), language="en")


@pytest.mark.parametrize("hostile", [
    '<script>alert("x")</script>',
    'Acme "Quality" & <Co> \'s',
    "]]><svg onload=alert(1)>",
    "\u202eevil\u202c\x00\x07 name",
])
def test_hostile_names_are_escaped_and_nothing_can_run(hostile: str) -> None:
    """Names with markup, quotes, ampersands and control characters stay text."""
    for language in ("ja", "en"):
        text = certification_mark_svg(design(body_name={"ja": hostile, "en": hostile},
                                             programme_title={"ja": hostile, "en": hostile},
                                             decision_number="R-2026-0001"),
                                      language=language)
        root = parsed(text)  # Well-formed XML: nothing broke out of its element.
        assert not [element for element in root.iter() if element.tag not in {
            f"{SVG}svg", f"{SVG}title", f"{SVG}desc", f"{SVG}rect", f"{SVG}path",
            f"{SVG}text", f"{SVG}tspan"}]
        assert "<script" not in text and "<svg onload" not in text
        for element in root.iter():
            assert not [name for name in element.attrib if name.startswith("on")]
        assert "\u202e" not in text and "\x00" not in text


def test_no_expiry_and_missing_title_still_make_a_mark() -> None:
    root = parsed(certification_mark_svg(design(valid_until=None, programme_title=None),
                                         language="en"))
    assert "No expiry date" in texts(root)
    root = parsed(certification_mark_svg(design(body_name={"en": "Only English"}),
                                         language="ja"))
    assert "Only English" in texts(root)
