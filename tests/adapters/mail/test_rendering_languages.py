"""The "credential issued" and "credential revoked" e-mails in their reader's language:
Japanese and English readers get the words they always got, word for word; a reader of
Korean, Chinese, Thai, Vietnamese, Indonesian or Malay gets their language first, then
English, dates written by Babel.

``before/`` holds the e-mail as the Japanese-and-English templates wrote it before its words
moved into the catalogues (subject, plain text and HTML, three contexts of the first, one of
the second)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.mail.catalogue import LANGUAGES
from credstack.adapters.mail.rendering import CREDENTIAL_ISSUED, CREDENTIAL_REVOKED, render
from tests.mail_html import says_all_of

PUBLIC = "https://badges.example.ac.jp"
BEFORE = Path(__file__).parent / "before"
ISSUED: dict[str, Any] = {
    "credential_id": "urn:uuid:0b0e7c9e-6a43-4a4e-9a3c-0c6d2f5f3a11",
    "title": {"ja": "データ分析入門", "en": "Data analysis"},
    "organisation_name": {"ja": "北都工科大学", "en": "Hokuto Tech"},
    "issued_on": "2026-04-01", "learner_name": None}
#: The contexts ``before/`` was written from, and whether sign-up was open.
CASES: dict[str, tuple[dict[str, Any], bool]] = {
    "plain": (ISSUED, True),
    "named_closed": ({**ISSUED, "learner_name": {"ja": "山田 花子", "en": "Hanako Yamada"},
                      "badge": "/badges/7/v2.png"}, False),
    "offered": ({**ISSUED, "offer": "o" * 43, "offer_expires_at": "2026-04-08T09:00:00+00:00",
                 "learner_name": {"ja": "山田 花子 <b>", "en": "Hanako & Yamada"}}, True),
}
SIX = [language for language in LANGUAGES if language not in {"ja", "en"}]



@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_japanese_or_english_reader_gets_the_words_of_before_word_for_word(
        case: str, language: str) -> None:
    context, sign_up = CASES[case]
    rendered = render(CREDENTIAL_ISSUED, context, public_url=PUBLIC, sign_up=sign_up,
                      language=language)
    before = {part: (BEFORE / f"credential_issued.{case}.{part}").read_text(encoding="utf-8")
              for part in ("subject", "txt", "html")}
    assert rendered.subject == before["subject"].rstrip("\n")
    assert rendered.text == before["txt"]
    assert says_all_of(rendered.html, before["html"])
    assert rendered.languages == ("ja", "en")


#: What each language's part begins with, and its date of issue (Babel's long date).
SAID = {
    "ko": ("크리덴셜이 발급되었습니다: 데이터 분석", "2026년 4월 1일"),
    "zh-Hans": ("证书已颁发：数据分析", "2026年4月1日"),
    "th": ("ออกเครเดนเชียลแล้ว: การวิเคราะห์ข้อมูล", "1 เมษายน"),
    "vi": ("Chứng chỉ đã được cấp: Phân tích dữ liệu", "1 tháng 4, 2026"),
    "id": ("Kredensial diterbitkan: Analisis data", "1 April 2026"),
    "ms": ("Kredensial dikeluarkan: Analisis data", "1 April 2026"),
}
TITLES = {"ko": "데이터 분석", "zh-Hans": "数据分析", "th": "การวิเคราะห์ข้อมูล",
          "vi": "Phân tích dữ liệu", "id": "Analisis data", "ms": "Analisis data"}


@pytest.mark.parametrize("language", SIX)
def test_a_reader_of_another_language_reads_it_first_then_english(language: str) -> None:
    context = {**CASES["offered"][0], "title": {**ISSUED["title"], language: TITLES[language]}}
    rendered = render(CREDENTIAL_ISSUED, context, public_url=PUBLIC, language=language)
    subject, day = SAID[language]
    assert rendered.subject == f"{subject} / Credential issued: Data analysis"
    assert rendered.languages == (language, "en")
    assert rendered.html.startswith(f'<!DOCTYPE html>\n<html lang="{language}">')
    assert f'<section lang="{language}">' in rendered.html
    assert '<section lang="en">' in rendered.html and 'lang="ja"' not in rendered.html
    for body in (rendered.text, rendered.html):
        assert day in body and "1 April 2026" in body
        # The Japanese words are gone; no English fallback stands in the reader's part.
        assert "修了証" not in body and "データ分析入門" not in body
        ours = body.split('<section lang="en">' if body is rendered.html else "-" * 70)[0]
        assert TITLES[language] in ours and "Hokuto Tech" in ours
    # The learner has no name in the language: the English one, escaped in the HTML.
    assert "Hanako &amp; Yamada" in rendered.html
    # The certificate is written in each of the eight languages: the reader's part downloads
    # it in theirs, the English part in English.
    ours, english = rendered.text.split("-" * 70)[:2]
    assert f"certificate.pdf?lang={language}" in ours
    assert "certificate.pdf?lang=en" in english and "lang=ja" not in rendered.text
    # The offer's end, to the minute, in UTC.
    assert "09:00 UTC" in rendered.text.split("-" * 70)[0]


REVOKED: dict[str, Any] = {**ISSUED, "organisation_name": {"ja": "北都工科大学 <&>",
                                                         "en": "Hokuto & Tech"}}
del REVOKED["learner_name"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_revocation_notice_to_a_japanese_or_english_reader_is_word_for_word(
        language: str) -> None:
    rendered = render(CREDENTIAL_REVOKED, REVOKED, public_url=PUBLIC, language=language)
    before = {part: (BEFORE / f"credential_revoked.plain.{part}").read_text(encoding="utf-8")
              for part in ("subject", "txt", "html")}
    assert rendered.subject == before["subject"].rstrip("\n")
    assert rendered.text == before["txt"]
    assert says_all_of(rendered.html, before["html"])


#: Each language's revocation subject.
REVOKED_SAID = {"ko": "크리덴셜이 폐기되었습니다", "zh-Hans": "证书已撤销",
                "th": "เพิกถอนเครเดนเชียลแล้ว", "vi": "Chứng chỉ đã bị thu hồi",
                "id": "Kredensial dicabut", "ms": "Kredensial dibatalkan"}


@pytest.mark.parametrize("language", SIX)
def test_the_revocation_notice_speaks_its_readers_language_then_english(language: str) -> None:
    context = {**REVOKED, "title": {**ISSUED["title"], language: TITLES[language]}}
    rendered = render(CREDENTIAL_REVOKED, context, public_url=PUBLIC, language=language)
    colon = "：" if language == "zh-Hans" else ": "
    assert rendered.subject == (f"{REVOKED_SAID[language]}{colon}{TITLES[language]}"
                                " / Credential revoked: Data analysis")
    assert rendered.languages == (language, "en")
    ours, english = rendered.text.split("-" * 70)
    assert TITLES[language] in ours and SAID[language][1] in ours and "Hokuto & Tech" in ours
    assert "Data analysis" in english and "修了証" not in rendered.text
    assert f'<section lang="{language}">' in rendered.html and "Hokuto &amp; Tech" in rendered.html
