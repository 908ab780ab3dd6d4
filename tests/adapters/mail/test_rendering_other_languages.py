"""The other e-mails from the catalogues: sign-up, password reset, invitation, the notices
about a credential, the review reminder and the answers to a provider's application.
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
    APPLICATION_APPROVED,
    APPLICATION_REFUSED,
    CREDENTIAL_NOTICE,
    INVITATION,
    PASSWORD_RESET,
    REVIEW_REMINDER,
    SIGN_UP,
    SIGN_UP_EXISTING,
    render,
)

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


def _tags_closed_up(html: str) -> str:
    """HTML with no white space between tags (a line break there shows nothing)."""
    return re.sub(r">\s+<", "><", html)


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
    assert _tags_closed_up(rendered.html) == _tags_closed_up(before["html"])
    assert rendered.languages == ("ja", "en")
