"""Error pages speak the page's language: the right half of a bilingual message."""

from __future__ import annotations

import pytest

from credstack.entrypoints.web.pages.rendering import detail_in, split_bilingual


@pytest.mark.parametrize(("text", "english", "japanese"), [
    ("Your wallet has no credential 'x'. / ウォレットにその証明はありません。",
     "Your wallet has no credential 'x'.", "ウォレットにその証明はありません。"),
    ("See /api/a / b and more. / 詳しくは /api/a をご覧ください。",
     "See /api/a / b and more.", "詳しくは /api/a をご覧ください。"),
    ("Two halves. / 日本語 / 続きもある。", "Two halves.", "日本語 / 続きもある。"),
    ("No programme with id 9.", "No programme with id 9.", None),
    ("Open https://a.example/x / y", "Open https://a.example/x / y", None),
])
def test_a_bilingual_message_is_split_at_its_japanese_half(text, english, japanese):
    """'English. / 日本語。' splits in two; an English-only message stays whole."""
    assert split_bilingual(text) == (english, japanese)


def test_each_page_language_gets_its_half():
    """Japanese pages show the Japanese half, English pages the English one; an English-only
    detail on a Japanese page is kept apart as technical detail."""
    both = "Not found. / 見つかりません。"
    assert detail_in("ja", both) == ("見つかりません。", None)
    assert detail_in("en", both) == ("Not found.", None)
    assert detail_in("ja", "No programme with id 9.") == (None, "No programme with id 9.")
    assert detail_in("en", "No programme with id 9.") == ("No programme with id 9.", None)
