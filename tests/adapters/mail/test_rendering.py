"""The e-mails of signing up and of resetting a password, and what the "credential issued"
e-mail tells a learner without an account: Japanese first, then English; nothing the e-mail
promises is missing."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from credstack.adapters.mail.rendering import (
    CREDENTIAL_ISSUED,
    CREDENTIAL_NOTICE,
    CREDENTIAL_REVOKED,
    PASSWORD_RESET,
    REVIEW_REMINDER,
    SIGN_UP,
    SIGN_UP_EXISTING,
    render,
)
from credstack.core.dates import day_text

PUBLIC = "https://badges.example.ac.jp"
ISSUED = {"credential_id": "urn:uuid:0b0e7c9e-6a43-4a4e-9a3c-0c6d2f5f3a11",
          "title": {"ja": "データ分析入門", "en": "Data analysis"},
          "organisation_name": {"ja": "北都工科大学", "en": "Hokuto Tech"},
          "issued_on": "2026-04-01", "learner_name": None}


@pytest.mark.parametrize(("template", "extra"), [
    (CREDENTIAL_ISSUED, {}), (CREDENTIAL_REVOKED, {}),
    *((CREDENTIAL_NOTICE, {"kind": kind, "days": 30, "valid_until": "2027-04-01T00:00:00+00:00"})
      for kind in ("reminder", "expiring", "suspended", "reinstated"))])
def test_a_credential_email_shows_its_reader_no_internal_id(template: str,
                                                             extra: dict[str, object]) -> None:
    """A person reads the e-mail: the credential's ``urn:uuid:`` id appears only inside its
    links, never as text of its own, in either language (text and HTML)."""
    rendered = render(template, {**ISSUED, **extra}, public_url=PUBLIC)
    for body in (rendered.text, rendered.html):
        visible = re.sub(r'href="[^"]*"|https?://\S+', "", body)
        assert ISSUED["credential_id"] not in visible
        assert "証明書 ID" not in visible and "Credential ID" not in visible


@pytest.mark.parametrize(("template", "extra"), [
    (CREDENTIAL_ISSUED, {}), (CREDENTIAL_REVOKED, {}),
    *((CREDENTIAL_NOTICE, {"kind": kind, "days": 30, "valid_until": "2027-04-01T00:00:00+00:00"})
      for kind in ("reminder", "expiring", "suspended", "reinstated"))])
def test_a_credential_emails_date_of_issue_is_written_as_the_pages_write_it(
        template: str, extra: dict[str, object]) -> None:
    """The date of issue reads 「2026年11月5日」 and "5 November 2026", as on every page (the
    pages' one formatter), never 「11月05日」 or an ISO date (issue 51)."""
    rendered = render(template, {**ISSUED, **extra, "issued_on": "2026-11-05"},
                      public_url=PUBLIC)
    day = dt.date(2026, 11, 5)
    for body in (rendered.text, rendered.html):
        visible = re.sub(r'href="[^"]*"|https?://\S+', "", body)
        assert day_text(day, "ja") in visible and day_text(day, "en") in visible
        assert "11月05日" not in visible and "2026-11-05" not in visible


def test_a_review_reminders_due_moment_is_written_with_the_pages_days() -> None:
    """Japanese time in Japanese, UTC in English; the day as pages write it."""
    rendered = render(REVIEW_REMINDER, {
        "kind": "due", "subject": "application:7", "message": {"ja": "確認", "en": "Check"},
        "due_at": "2026-03-04T23:30:00+00:00"}, public_url=PUBLIC)
    assert "2026年3月5日 08:30（日本時間）" in rendered.text
    assert "4 March 2026, 23:30 UTC" in rendered.text


@pytest.mark.parametrize("sign_up", [True, False])
def test_the_issued_email_offers_an_account_only_where_one_can_be_made(sign_up: bool) -> None:
    """With sign-up on, the learner may create an account with the address; with it off,
    they are told to ask the issuer for one (both languages, text and HTML)."""
    rendered = render(CREDENTIAL_ISSUED, ISSUED, public_url=PUBLIC, sign_up=sign_up)
    for body in (rendered.text, rendered.html):
        assert ("初めての方はアカウントを作成" in body) is sign_up
        assert ("or create an account with it" in body) is sign_up
        assert ("発行元にお問い合わせください" in body) is not sign_up
        assert ("ask the issuer for one" in body) is not sign_up


def test_the_issued_email_carries_its_offer_with_its_end_only_when_one_was_made() -> None:
    """With an offer: the ``openid-credential-offer://`` link by reference in both languages,
    text and HTML, its end in each language's time, and the HTML's QR code as an inline
    image; without one, no wallet-app section and no image."""
    offered = {**ISSUED, "offer": "o" * 43, "offer_expires_at": "2026-04-08T09:00:00+00:00"}
    uri = ("openid-credential-offer://?credential_offer_uri="
           "https%3A%2F%2Fbadges.example.ac.jp%2Foid4vci%2Foffers%2F" + "o" * 43)
    rendered = render(CREDENTIAL_ISSUED, offered, public_url=PUBLIC)
    for body in (rendered.text, rendered.html):
        assert body.count(uri) == 2
        assert "2026年4月8日 18:00（日本時間）まで" in body and "8 April 2026, 09:00 UTC" in body
        assert "tx_code" not in body
    [image] = rendered.images
    assert rendered.html.count(f'src="cid:{image.cid}"') == 2
    assert image.data.startswith(b"\x89PNG")
    plain = render(CREDENTIAL_ISSUED, ISSUED, public_url=PUBLIC)
    assert "openid-credential-offer" not in plain.text + plain.html and plain.images == ()
    assert "ウォレットアプリ" not in plain.text


def test_the_issued_email_shows_the_programmes_badge_from_the_registry() -> None:
    """The badge the context names is shown once, above the words, linked from the registry's
    public address and described in every language the e-mail speaks; an e-mail queued
    without one shows none."""
    badged = render(CREDENTIAL_ISSUED, {**ISSUED, "badge": "/badges/7/v2.png"}, public_url=PUBLIC)
    assert rendered_images(badged.html) == [f"{PUBLIC}/badges/7/v2.png"]
    assert 'alt="「データ分析入門」のバッジ / The badge of “Data analysis”"' in badged.html
    assert badged.html.index("/badges/7/v2.png") < badged.html.index("<section")
    assert rendered_images(render(CREDENTIAL_ISSUED, ISSUED, public_url=PUBLIC).html) == []


def rendered_images(html: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', html)


def test_the_sign_up_email_gives_the_link_and_its_end_in_both_languages() -> None:
    url = f"{PUBLIC}/sign-up/{'t' * 43}"
    rendered = render(SIGN_UP, {"url": url, "expires_at": dt.datetime(
        2026, 4, 2, 0, 30, tzinfo=dt.UTC).isoformat()}, public_url=PUBLIC)
    assert rendered.subject == "【credstack】メールアドレスの確認 / Confirm your e-mail address"
    assert rendered.text.index("2026年4月2日 09:30（日本時間）") < \
        rendered.text.index("2 April 2026, 00:30 UTC")
    # Once in each language's words, and once as the e-mail's button.
    assert rendered.text.count(url) == 2 and rendered.html.count(f'href="{url}"') == 3


def test_the_email_to_an_address_with_an_account_leads_to_sign_in_and_back() -> None:
    rendered = render(SIGN_UP_EXISTING, {"next_path": "/wallet?lang=ja"}, public_url=PUBLIC)
    link = f"{PUBLIC}/sign-in?next=%2Fwallet%3Flang%3Dja"
    assert rendered.text.count(link) == 2 and "/sign-up/" not in rendered.text
    assert rendered.text.index("すでにあります") < rendered.text.index("has an account already")
    assert 'href="https://badges.example.ac.jp/sign-in?next=%2Fwallet%3Flang%3Dja"' in \
        rendered.html


def test_the_password_reset_email_gives_the_link_and_its_end_in_both_languages() -> None:
    """The one link (in the text twice, once per language; in the HTML as links), until when
    in Japanese time and in UTC, and what to do when one did not ask."""
    url = f"{PUBLIC}/password-reset/{'r' * 43}"
    rendered = render(PASSWORD_RESET, {"url": url, "expires_at": dt.datetime(
        2026, 4, 2, 0, 30, tzinfo=dt.UTC).isoformat()}, public_url=PUBLIC)
    assert rendered.subject == "【credstack】パスワードの再設定 / Reset your password"
    assert rendered.text.index("2026年4月2日 09:30（日本時間）") < \
        rendered.text.index("2 April 2026, 00:30 UTC")
    assert rendered.text.count(url) == 2 and rendered.html.count(f'href="{url}"') == 3
    assert "パスワードは変わりません" in rendered.text
    assert "the password stays as it is" in rendered.html


@pytest.mark.parametrize("days", [1, 30])
def test_an_expiry_notice_counts_its_days_in_english_one_or_many(days: int) -> None:
    """"in 1 day", "in 30 days" (was "in 1 days", issue 51); the Japanese words, and every
    other of the English, as they were."""
    rendered = render(CREDENTIAL_NOTICE, {**ISSUED, "kind": "expiring", "days": days,
                                          "valid_until": "2027-04-01T00:00:00+00:00"},
                      public_url=PUBLIC)
    english = "(in 1 day)" if days == 1 else f"(in {days} days)"
    for body in (rendered.text, rendered.html):
        assert english in body and "1 days" not in body
        assert f"（あと {days} 日）" in body
    assert ('The digital credential for "Data analysis" that Hokuto Tech issued you (issued '
            f"1 April 2026) expires on 1 April 2027, 00:00 UTC {english}. Ask Hokuto Tech "
            "about renewing it.") in " ".join(rendered.text.split())
