"""Which language a BCP 47 tag names, and which one ``Accept-Language`` prefers."""

from __future__ import annotations

import pytest

from credstack.entrypoints.web.i18n.negotiation import (
    ENDONYMS,
    LANGUAGES,
    language_of,
    parse_accept_language,
)


@pytest.mark.parametrize(("tag", "language"), [
    ("ja", "ja"), ("ja-JP", "ja"), ("EN-gb", "en"), ("en_US", "en"),
    ("ko", "ko"), ("ko-KR", "ko"),
    ("zh-Hans", "zh-Hans"), ("zh-hans", "zh-Hans"), ("zh-Hans-CN", "zh-Hans"),
    ("zh-CN", "zh-Hans"), ("zh-SG", "zh-Hans"), ("zh", "zh-Hans"),
    ("th", "th"), ("th-TH", "th"), ("vi-VN", "vi"),
    ("id", "id"), ("id-ID", "id"), ("in", "id"), ("ms", "ms"), ("ms-MY", "ms"),
    ("zh-TW", None), ("zh-Hant", None), ("zh-Hant-HK", None), ("fr", None), ("", None),
    (None, None), ("*", None),
])
def test_a_tag_names_the_language_credstack_has_words_for(tag: str | None,
                                                          language: str | None) -> None:
    """Region and script subtags aside; simplified Chinese by its script or by the regions
    that write it; traditional Chinese is not simplified Chinese."""
    assert language_of(tag) == language


def test_accept_language_prefers_the_highest_quality_among_those_given() -> None:
    """RFC 9110: quality first, then the order listed; a language not among those the page is
    offered in is passed over."""
    eight = LANGUAGES
    assert parse_accept_language("ko-KR, zh-CN;q=0.9, en;q=0.5", eight) == "ko"
    assert parse_accept_language("ko-KR, zh-CN;q=0.9, en;q=0.5", ("ja", "en")) == "en"
    assert parse_accept_language("th;q=0.4, zh-CN;q=0.8", eight) == "zh-Hans"
    assert parse_accept_language("ms-MY;q=0, id", eight) == "id"
    assert parse_accept_language("fr-FR, de", eight) is None
    assert parse_accept_language("*", eight) == "ja"


def test_each_language_is_named_in_itself() -> None:
    """The language menu's names, each in its own language."""
    assert ENDONYMS == {"ja": "日本語", "en": "English", "ko": "한국어", "zh-Hans": "简体中文",
                        "th": "ไทย", "vi": "Tiếng Việt", "id": "Bahasa Indonesia",
                        "ms": "Bahasa Melayu"}
    assert tuple(ENDONYMS) == LANGUAGES
