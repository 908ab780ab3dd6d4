"""The other e-mails from the catalogues: sign-up, password reset, account recovery,
invitation, the notices about a credential, the review reminder and the answers to a
provider's application.
Japanese and English readers get the words they always got, word for word (``before/`` holds
each e-mail as its Japanese-and-English template wrote it); a learner or a member of the public
reading Korean, Chinese, Thai, Vietnamese, Indonesian or Malay gets their language first, then
English; the staff's e-mails speak Japanese and English to everyone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.mail.catalogue import LANGUAGES
from credstack.adapters.mail.rendering import (
    ACCOUNT_RECOVERY,
    APPLICATION_APPROVED,
    APPLICATION_REFUSED,
    CREDENTIAL_NOTICE,
    INVITATION,
    PASSWORD_RESET,
    REVIEW_REMINDER,
    SIGN_UP,
    SIGN_UP_EXISTING,
    STAFF_ONLY,
    render,
)
from tests.mail_html import says_all_of

PUBLIC = "https://badges.example.ac.jp"
BEFORE = Path(__file__).parent / "before"
LINK = {"url": "https://badges.example.ac.jp/sign-up/confirm#t=abc<&>",
        "expires_at": "2026-04-08T09:30:00+00:00"}
CREDENTIAL: dict[str, Any] = {
    "credential_id": "urn:uuid:0b0e7c9e-6a43-4a4e-9a3c-0c6d2f5f3a11",
    "title": {"ja": "データ分析入門", "en": "Data analysis"},
    "organisation_name": {"ja": "北都工科大学 <&>", "en": "Hokuto & Tech"},
    "issued_on": "2026-04-01"}
#: The contexts ``before/`` was written from (template, case), and whether sign-up was open.
CASES: dict[tuple[str, str], tuple[dict[str, Any], bool]] = {
    (SIGN_UP, "plain"): (LINK, True),
    (SIGN_UP_EXISTING, "plain"): ({"next_path": "/wallet?x=1&y=2"}, True),
    (PASSWORD_RESET, "plain"): (LINK, True),
    (INVITATION, "issuer"): ({**LINK, "organisation_name": {"ja": "北都工科大学 <&>",
                                                           "en": "Hokuto & Tech"},
                              "role": "issuer"}, True),
    (INVITATION, "provider_admin"): ({**LINK, "organisation_name": "Kita Academy",
                                      "role": "provider-admin"}, True),
    (CREDENTIAL_NOTICE, "reminder"): ({**CREDENTIAL, "kind": "reminder"}, True),
    (CREDENTIAL_NOTICE, "expiring"): ({**CREDENTIAL, "kind": "expiring", "days": 30,
                                       "valid_until": "2026-05-01T15:00:00+00:00"}, True),
    (CREDENTIAL_NOTICE, "suspended"): ({**CREDENTIAL, "kind": "suspended"}, True),
    (CREDENTIAL_NOTICE, "reinstated"): ({**CREDENTIAL, "kind": "reinstated"}, True),
    (REVIEW_REMINDER, "application"): ({"kind": "evaluation_due",
                                        "subject": "application:app-123",
                                        "message": {"ja": "評価の期限です <&>",
                                                    "en": "The evaluation is due <&>"},
                                        "due_at": "2026-04-08T09:30:00+00:00"}, True),
    (REVIEW_REMINDER, "recognition"): ({"kind": "renewal_due", "subject": "recognition:r-9",
                                        "message": "Renew", "due_at": "2026-04-08T09:30:00"},
                                       True),
    (REVIEW_REMINDER, "other"): ({"kind": "x", "subject": "programme:p-1",
                                  "message": {"en": "Only English"},
                                  "due_at": "2026-04-08T09:30:00+00:00"}, True),
    (APPLICATION_APPROVED, "plain"): ({**LINK, "organisation": "kita-academy",
                                       "name": {"ja": "北アカデミー <&>", "en": "Kita & Academy"}},
                                      True),
    (APPLICATION_REFUSED, "plain"): ({"reason": "法人番号が一致しません <&>",
                                      "name": {"ja": "北アカデミー", "en": "Kita Academy"}},
                                     True),
}
SIX = [language for language in LANGUAGES if language not in {"ja", "en"}]
#: The e-mails a learner or a member of the public reads, in their language.
PUBLIC_MAILS = (SIGN_UP, SIGN_UP_EXISTING, PASSWORD_RESET, INVITATION, CREDENTIAL_NOTICE)



@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(("template", "case"), list(CASES))
def test_a_japanese_or_english_reader_gets_the_words_of_before_word_for_word(
        template: str, case: str, language: str) -> None:
    context, sign_up = CASES[template, case]
    rendered = render(template, context, public_url=PUBLIC, sign_up=sign_up, language=language)
    before = {part: (BEFORE / f"{template}.{case}.{part}").read_text(encoding="utf-8")
              for part in ("subject", "txt", "html")}
    assert rendered.subject == before["subject"].rstrip("\n")
    assert rendered.text == before["txt"]
    assert says_all_of(rendered.html, before["html"])
    assert rendered.languages == ("ja", "en")


#: How each language's subject of a sign-up, a sign-up to an existing account and a password
#: reset begins.
SUBJECTS = {
    SIGN_UP: {"ko": "[credstack] 이메일 주소 확인", "zh-Hans": "【credstack】确认您的电子邮件地址",
              "th": "[credstack] ยืนยันที่อยู่อีเมลของคุณ",
              "vi": "[credstack] Xác nhận địa chỉ e-mail của bạn",
              "id": "[credstack] Konfirmasi alamat e-mail Anda",
              "ms": "[credstack] Sahkan alamat e-mel anda"},
    SIGN_UP_EXISTING: {"ko": "[credstack] 이미 계정이 있습니다",
                       "zh-Hans": "【credstack】您已有账户",
                       "th": "[credstack] คุณมีบัญชีอยู่แล้ว",
                       "vi": "[credstack] Bạn đã có tài khoản",
                       "id": "[credstack] Anda sudah memiliki akun",
                       "ms": "[credstack] Anda sudah mempunyai akaun"},
    PASSWORD_RESET: {"ko": "[credstack] 비밀번호 재설정", "zh-Hans": "【credstack】重置您的密码",
                     "th": "[credstack] ตั้งรหัสผ่านใหม่",
                     "vi": "[credstack] Đặt lại mật khẩu của bạn",
                     "id": "[credstack] Atur ulang kata sandi Anda",
                     "ms": "[credstack] Tetapkan semula kata laluan anda"},
}
ENGLISH_SUBJECTS = {SIGN_UP: "Confirm your e-mail address",
                    SIGN_UP_EXISTING: "You already have an account",
                    PASSWORD_RESET: "Reset your password"}
#: Babel's long date of the link's end (8 April 2026) in each language.
DAYS = {"ko": "2026년 4월 8일", "zh-Hans": "2026年4月8日", "th": "8 เมษายน ค.ศ. 2026",
        "vi": "8 tháng 4, 2026", "id": "8 April 2026", "ms": "8 April 2026"}


@pytest.mark.parametrize("language", SIX)
@pytest.mark.parametrize("template", list(SUBJECTS))
def test_an_account_e_mail_speaks_its_readers_language_then_english(
        template: str, language: str) -> None:
    context, _ = CASES[template, "plain"]
    rendered = render(template, context, public_url=PUBLIC, language=language)
    assert rendered.subject == f"{SUBJECTS[template][language]} / {ENGLISH_SUBJECTS[template]}"
    assert rendered.languages == (language, "en")
    assert rendered.html.startswith(f'<!DOCTYPE html>\n<html lang="{language}">')
    assert f'<section lang="{language}">' in rendered.html
    ours, english = rendered.text.split("-" * 70)
    assert "This address does not receive replies." in english
    assert not re.search(r"[ぁ-ん]", rendered.text + rendered.html)
    if template != SIGN_UP_EXISTING:
        # The link's end, to the minute in UTC, and escaped in the HTML's link.
        assert f"{DAYS[language]} 09:30 UTC" in ours
        assert 'href="https://badges.example.ac.jp/sign-up/confirm#t=abc&lt;&amp;&gt;"' \
            in rendered.html


@pytest.mark.parametrize("language", SIX)
@pytest.mark.parametrize(("template", "case"), [key for key in CASES if key[0] in STAFF_ONLY])
def test_a_staff_e_mail_speaks_japanese_and_english_to_every_reader(
        template: str, case: str, language: str) -> None:
    context, sign_up = CASES[template, case]
    rendered = render(template, context, public_url=PUBLIC, sign_up=sign_up, language=language)
    assert rendered.text == (BEFORE / f"{template}.{case}.txt").read_text(encoding="utf-8")
    assert rendered.languages == ("ja", "en")


#: An invitation to be an issuer, as each language says it in its subject.
INVITED = {"ko": "[초대] Hokuto & Tech(발급 담당자)",
           "zh-Hans": "【邀请】Hokuto & Tech（颁发负责人）",
           "th": "[คำเชิญ] Hokuto & Tech (ผู้ออกเครเดนเชียล)",
           "vi": "Lời mời tham gia Hokuto & Tech với vai trò người cấp chứng chỉ",
           "id": "Undangan ke Hokuto & Tech sebagai penerbit",
           "ms": "Jemputan ke Hokuto & Tech sebagai pengeluar"}


@pytest.mark.parametrize("language", SIX)
def test_an_invitation_names_the_role_in_its_readers_language_then_english(
        language: str) -> None:
    context, _ = CASES[INVITATION, "issuer"]
    rendered = render(INVITATION, context, public_url=PUBLIC, language=language)
    assert rendered.subject == f"{INVITED[language]} / Invitation to Hokuto & Tech as issuer"
    assert rendered.languages == (language, "en")
    ours, english = rendered.text.split("-" * 70)
    assert f"{DAYS[language]} 09:30 UTC" in ours and "Hokuto & Tech" in ours
    assert "You are invited to join Hokuto & Tech on credstack as issuer." in english
    assert "Hokuto &amp; Tech" in rendered.html and "北都" not in rendered.html


#: How each language's subject of a notice that a credential expires soon begins.
EXPIRING = {"ko": "크리덴셜 만료가 다가옵니다", "zh-Hans": "您的证书即将过期",
            "th": "เครเดนเชียลของคุณใกล้หมดอายุ", "vi": "Chứng chỉ của bạn sắp hết hạn",
            "id": "Kredensial Anda segera kedaluwarsa", "ms": "Kredensial anda akan tamat tempoh"}


@pytest.mark.parametrize("language", SIX)
@pytest.mark.parametrize("kind", ["reminder", "expiring", "suspended", "reinstated"])
def test_a_notice_about_a_credential_speaks_its_readers_language_then_english(
        kind: str, language: str) -> None:
    context, _ = CASES[CREDENTIAL_NOTICE, kind]
    rendered = render(CREDENTIAL_NOTICE, context, public_url=PUBLIC, language=language)
    assert rendered.languages == (language, "en")
    assert f'<html lang="{language}">' in rendered.html
    ours, english = rendered.text.split("-" * 70)
    assert "Hokuto & Tech" in ours
    # The organisation sends it: its name heads the HTML (its words name it but in an expiry
    # notice).
    assert rendered.html.count("Hokuto &amp; Tech") == (1 if kind == "expiring" else 3)
    assert "北都" not in rendered.text + rendered.html
    assert "This address does not receive replies." in english
    link = "/claim" if kind == "reminder" else "/verify/urn:uuid:"
    assert link in ours and link in english
    if kind == "expiring":
        assert rendered.subject == (f"{EXPIRING[language]}：Data analysis" if language == "zh-Hans"
                                    else f"{EXPIRING[language]}: Data analysis") + \
            " / Your credential expires soon: Data analysis"
        # The credential's end, to the minute in UTC; its days left.
        assert "09:30 UTC" not in ours and "15:00 UTC" in ours and "30" in ours


#: The subject of the recovery link a member who signs in by passkey only is sent, by language.
RECOVERY = {"ja": "【credstack】アカウントの復旧", "en": "Get back into your account",
            "ko": "[credstack] 계정 복구", "zh-Hans": "【credstack】找回您的账户",
            "th": "[credstack] กู้คืนบัญชีของคุณ",
            "vi": "[credstack] Lấy lại quyền truy cập tài khoản",
            "id": "[credstack] Pulihkan akses ke akun Anda",
            "ms": "[credstack] Dapatkan semula akses ke akaun anda"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_recovery_link_speaks_its_readers_language_then_english(language: str) -> None:
    """Its words say it signs in once to register a passkey, until when, and that it signs the
    account out elsewhere; the button and the text part carry the same link."""
    url = "https://badges.example.ac.jp/account-recovery/abc<&>"
    rendered = render(ACCOUNT_RECOVERY, {"url": url, "expires_at": "2026-04-08T09:30:00+00:00"},
                      public_url=PUBLIC, language=language)
    spoken = ("ja", "en") if language in {"ja", "en"} else (language, "en")
    assert rendered.languages == spoken
    assert rendered.subject == " / ".join(RECOVERY[each] for each in spoken)
    assert rendered.text.count(url) == 2
    assert rendered.html.count('href="https://badges.example.ac.jp/account-recovery/abc&lt;&amp;'
                               '&gt;"') >= 2
    english = rendered.text.split("-" * 70)[-1]
    assert "sign in once and register a new passkey" in english
    assert "Remove the passkey you lost on your account page." in english
    if language not in {"ja", "en"}:
        assert f"{DAYS[language]} 09:30 UTC" in rendered.text
        assert not re.search(r"[ぁ-ん]", rendered.text + rendered.html)
