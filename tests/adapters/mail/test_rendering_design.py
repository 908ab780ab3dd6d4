"""How every e-mail's HTML is made to be opened: the sender's band (its logo and name), one
primary button whose link the text part carries too, the words in every language the e-mail
speaks, and only what mail clients read — tables for the layout, inline styles, no script."""

from __future__ import annotations

import html as markup
import re
from typing import Any

import pytest

from credstack.adapters.mail.catalogue import LANGUAGES
from credstack.adapters.mail.rendering import (
    ACCOUNT_RECOVERY,
    CREDENTIAL_ISSUED,
    CREDENTIAL_REVOKED,
    PLATFORM_NAME,
    RECOGNITION_DECIDED,
    STAFF_ONLY,
    TEMPLATES,
    render,
)
from tests.adapters.mail.test_rendering_languages import ISSUED
from tests.adapters.mail.test_rendering_other_languages import CASES

PUBLIC = "https://badges.example.ac.jp"
LOGO = f"{PUBLIC}/providers/hokuto-tech/logo.png"
#: One context of every kind of e-mail (a credential notice of each kind).
EVERY: dict[str, dict[str, Any]] = {
    f"{template}-{case}": context for (template, case), (context, _) in CASES.items()} | {
    f"{CREDENTIAL_ISSUED}-badged": {**ISSUED, "badge": "/badges/7/v2.png"},
    f"{CREDENTIAL_REVOKED}-plain": ISSUED,
    f"{ACCOUNT_RECOVERY}-plain": {"url": f"{PUBLIC}/account-recovery/abc",
                                  "expires_at": "2026-04-08T09:30:00+00:00"},
    f"{RECOGNITION_DECIDED}-conditions": {
        "application": "app-123", "number": "2026-0007", "outcome": "recognised-with-conditions",
        "title": {"ja": "データ分析入門", "en": "Data analysis"},
        "organisation_name": {"ja": "認定機構", "en": "The Recognition Body"}}}
#: The words of the button of the e-mail that tells a learner of a credential issued.
ACCEPT = {"ja": "受け取る", "en": "Accept your credential", "ko": "크리덴셜 받기",
          "zh-Hans": "领取证书", "th": "รับเครเดนเชียล", "vi": "Nhận chứng chỉ",
          "id": "Terima kredensial Anda", "ms": "Terima kredensial anda"}


def _template(name: str) -> str:
    return name.rsplit("-", 1)[0]


def _button(html: str) -> tuple[str, str]:
    """The primary button's link and words."""
    [(href, words)] = re.findall(r'<td class="cs-button"[^>]*><a href="([^"]+)"[^>]*>(.*?)</a>',
                                 html)
    return markup.unescape(href), re.sub(r"<[^>]+>", "", words)


def test_every_kind_of_email_is_shown_here() -> None:
    assert {_template(name) for name in EVERY} == set(TEMPLATES)


@pytest.mark.parametrize("name", list(EVERY))
def test_each_email_has_one_button_whose_link_the_text_part_carries(name: str) -> None:
    rendered = render(_template(name), EVERY[name], public_url=PUBLIC)
    href, words = _button(rendered.html)
    assert href in rendered.text
    # Its words in each language the e-mail speaks, the reader's first.
    assert words.count(" / ") == 1 and all(part.strip() for part in words.split(" / "))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_issued_emails_button_accepts_the_credential_in_the_readers_words(
        language: str) -> None:
    rendered = render(CREDENTIAL_ISSUED, ISSUED, public_url=PUBLIC, language=language)
    href, words = _button(rendered.html)
    assert href == f"{PUBLIC}/claim/{ISSUED['credential_id']}"
    first = "ja" if language in {"ja", "en"} else language
    assert words == f"{ACCEPT[first]} / {ACCEPT['en']}"


def test_the_band_names_the_organisation_with_its_logo_or_the_platform() -> None:
    issued = render(CREDENTIAL_ISSUED, ISSUED, public_url=PUBLIC, logo=LOGO).html
    band = re.search(r'<td class="cs-band"[^>]*>(.*?)</td>', issued, re.S)
    assert band is not None
    assert f'<img src="{LOGO}" alt="" width="40" height="40"' in band[1]
    assert "北都工科大学" in band[1]
    # In the reader's language when the organisation has a name in it.
    english = render(CREDENTIAL_ISSUED, ISSUED, public_url=PUBLIC, language="ko").html
    assert re.search(r'class="cs-band"[^>]*>.*Hokuto Tech</span></td>', english)
    sign_up = render("sign_up", EVERY["sign_up-plain"], public_url=PUBLIC).html
    assert re.search(rf'class="cs-band"[^>]*><span[^>]*>{PLATFORM_NAME}</span></td>', sign_up)
    assert "<img" not in sign_up


@pytest.mark.parametrize("name", list(EVERY))
def test_each_email_is_made_of_what_mail_clients_read(name: str) -> None:
    html = render(_template(name), EVERY[name], public_url=PUBLIC, logo=LOGO).html
    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    assert re.search(r"\son\w+=", html) is None
    # One style sheet only: the dark-mode colours and the phone's padding; all else inline.
    [sheet] = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert "prefers-color-scheme: dark" in sheet and "max-width: 480px" in sheet
    assert '<meta name="color-scheme" content="light dark">' in html
    # The layout in tables that say they only lay out, every image with its size and words.
    assert re.findall(r"<table(?![^>]*role=\"presentation\")", html) == []
    for image in re.findall(r"<img [^>]*>", html):
        assert re.search(r'\salt="[^"]*"', image) and 'width="' in image and 'height="' in image


@pytest.mark.parametrize("name", [name for name in EVERY if _template(name) in STAFF_ONLY])
def test_the_staffs_emails_keep_japanese_and_english(name: str) -> None:
    rendered = render(_template(name), EVERY[name], public_url=PUBLIC, language="th")
    assert rendered.languages == ("ja", "en")
    assert re.search(r'<span lang="ja">[^<]+</span> / <span lang="en">', rendered.html)


def test_a_published_decision_tells_its_outcome_and_leads_to_the_application() -> None:
    rendered = render(RECOGNITION_DECIDED, EVERY[f"{RECOGNITION_DECIDED}-conditions"],
                      public_url=PUBLIC, language="ko")
    assert rendered.languages == ("ja", "en")
    assert rendered.subject == ("認定審査の結果：データ分析入門（条件付き認定） / Recognition "
                                "decision: Data analysis (Recognised with conditions)")
    href, words = _button(rendered.html)
    assert href == f"{PUBLIC}/review/applications/app-123" and href in rendered.text
    assert words == "決定を読む / Read the decision"
    assert "decision 2026-0007" in rendered.text and "決定番号 2026-0007" in rendered.html
    assert re.search(r'class="cs-band"[^>]*><span[^>]*>認定機構</span>', rendered.html)
