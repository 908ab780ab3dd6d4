"""Resetting a forgotten password by e-mail, over real HTTP and real SMTP (aiosmtpd on
loopback).

From the sign-in page's "Forgot your password?" a user asks for a link; the answer is the same
page whether or not the address has an account (only an account's address gets an e-mail,
sent by a ``mail.deliver`` job, in Japanese then English, or in the language the form was read
in then English for a reader of one of the six others); its link sets a new password once,
ends the account's sessions, and expires after an hour; a newer link replaces an older one.
Requests are limited per address for every address alike (429, Retry-After);
the form refuses posts without its cookie's value (CSRF); without an SMTP server there is no
such page and the sign-in page offers none. Every request is audited. In Chromium, in
Japanese on a phone and in English on a desktop, the pages pass axe-core.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from credstack.services.audit import service as audit
from tests.accounts import PASSWORD, add_user, sign_in, signed_in_client, store_session
from tests.conftest import LiveServer, ShiftedClock, at_own_url, keyed_sqlite, serve
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    new_tab,
    phone_tab,
)
from tests.entrypoints.web.pages.forms import form_nonce
from tests.smtp import SmtpServer, link_path, plain_text, relay, smtp_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

MEMBER = "forgetful@example.jp"
OTHER = "other-member@example.jp"
NEW = "a fresh long passphrase"
EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}
SUBJECT = "Reset your password"


@dataclasses.dataclass(frozen=True)
class Site:
    live: LiveServer
    smtp: SmtpServer
    clock: ShiftedClock


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    clock = ShiftedClock()
    with smtp_server() as smtp:
        settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("password-reset")),
                                    **relay(smtp))
        for address in (MEMBER, OTHER, "phone@example.jp", "desk@example.jp"):
            add_user(settings, address, name="Member")
        for live in serve(settings, port=port, clock=clock):
            yield Site(live, smtp, clock)


def _ask(browser: httpx.Client, email: str, *, nonce: str | None = None,
         headers: dict[str, str] | None = None) -> httpx.Response:
    """Fill in the form as a browser would (GET it first for its nonce)."""
    found = form_nonce(browser, "/password-reset", headers=headers)
    return browser.post("/password-reset", headers=headers, data={
        "email": email, "nonce": found if nonce is None else nonce})


def _link(site: Site, message: EmailMessage) -> str:
    return link_path(message, site.live.settings.public_url, "/password-reset")


def _set(browser: httpx.Client, path: str, password: str = NEW) -> httpx.Response:
    return browser.post(path, data={"nonce": form_nonce(browser, path), "password": password,
                                    "password_again": password})


def _requests(site: Site) -> list[Any]:
    with store_session(site.live.settings) as session:
        return [entry for entry in audit.entries(session, limit=100_000)
                if entry.action == "password.reset.requested"]


def test_a_member_resets_a_forgotten_password_with_the_emailed_link(site: Site) -> None:
    """Sign-in page → "Forgot your password?" → the form → "check your e-mail" → the e-mail
    (Japanese, then English) → its link → a new password: the old one and the account's
    sessions end, the link works once, and the request is audited."""
    before = signed_in_client(site.live.url, MEMBER)
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        offered = re.search(r'href="(/password-reset)"', browser.get("/sign-in").text)
        assert offered is not None
        form = browser.get(offered.group(1))
        assert form.headers["cache-control"] == "no-store"
        assert '<label for="email">' in form.text
        answer = _ask(browser, MEMBER.upper())
        assert answer.status_code == 303
        assert answer.headers["location"] == "/password-reset/sent"
        sent = browser.get("/password-reset/sent")
        assert sent.status_code == 200 and "60 minutes" in sent.text
        message = site.smtp.wait_for_mail(MEMBER, SUBJECT)
        text = plain_text(message)
        assert text.index("新しいパスワードを設定できます") < text.index("choose a new password")
        path = _link(site, message)
        done = _set(browser, path)
        assert done.status_code == 303
        assert done.headers["location"] == "/sign-in?done=password-set"
        again = browser.get(path, headers=JA)
        assert again.status_code == 404 and "新しいリンクを申し込む" in again.text
        assert sign_in(browser, MEMBER, PASSWORD).status_code == 401
        assert sign_in(browser, MEMBER, NEW).status_code == 303
    assert before.get("/api/me").status_code == 401
    before.close()
    [entry] = [e for e in _requests(site) if e.subject.startswith("user:")
               and e.details["outcome"] == "link sent"][:1]
    assert entry.actor == "anonymous" and entry.details["ip"]


def test_the_answer_is_the_same_for_an_address_without_an_account(site: Site) -> None:
    """An unknown address gets the same redirect and page as a member's; it is sent nothing,
    and the audit log notes it."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        known = _ask(browser, OTHER)
        unknown = _ask(browser, "nobody-here@example.jp")
        assert (known.status_code, known.headers["location"]) == \
            (unknown.status_code, unknown.headers["location"])
        site.smtp.wait_for_mail(OTHER, SUBJECT)
    assert site.smtp.mails("nobody-here@example.jp", "") == []
    assert any(entry.subject == "account:nobody-here@example.jp"
               and entry.details["outcome"] == "no account" for entry in _requests(site))


def test_a_newer_link_replaces_the_older_one_and_a_link_expires_after_an_hour(
        site: Site) -> None:
    """The first link stops working when a second is sent; the second works for an hour."""
    address = "twice@example.jp"
    add_user(site.live.settings, address, name="Twice")
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        assert _ask(browser, address).status_code == 303
        first = _link(site, site.smtp.wait_for_mail(address, SUBJECT))
        assert _ask(browser, address).status_code == 303
        second = _link(site, site.smtp.wait_for_mail(address, SUBJECT, count=2))
        assert browser.get(first).status_code == 404
        assert browser.get(second).status_code == 200
        site.clock.offset = dt.timedelta(minutes=61)
        try:
            expired = browser.get(second)
            assert expired.status_code == 404 and "cannot be used" in expired.text
        finally:
            site.clock.offset = dt.timedelta(0)


def test_a_reader_of_the_page_in_korean_gets_the_e_mail_in_korean_then_english(
        site: Site) -> None:
    """The e-mail speaks the language the form was read in (one of the eight), English
    after it; its link works as the Japanese-and-English e-mail's does."""
    address = "korean@example.jp"
    add_user(site.live.settings, address, name="Korean")
    with httpx.Client(base_url=site.live.url, timeout=30,
                      headers={"Accept-Language": "ko"}) as browser:
        assert _ask(browser, address).status_code == 303
        message = site.smtp.wait_for_mail(address, SUBJECT)
        assert message["Subject"] == "[credstack] 비밀번호 재설정 / Reset your password"
        assert message["Content-Language"] == "ko, en"
        text = plain_text(message)
        assert text.index("새 비밀번호를 정하십시오") < text.index("choose a new password")
        assert "新しいパスワード" not in text
        assert browser.get(_link(site, message)).status_code == 200


def test_too_many_requests_are_refused_alike_for_every_address(site: Site) -> None:
    """Three requests per address in the window; the fourth waits (429, Retry-After), with the
    same words for an address with an account and one without."""
    address = "limited@example.jp"
    add_user(site.live.settings, address, name="Limited")
    answers = {}
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        for email in (address, "limited-nobody@example.jp"):
            for _ in range(3):
                assert _ask(browser, email).status_code == 303
            refused = _ask(browser, email)
            assert refused.status_code == 429
            assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
            notice = re.search(r'role="alert">\s*<p>(.*?)</p>', refused.text, re.DOTALL)
            assert notice is not None
            answers[email] = re.sub(r"\d+ seconds", "N seconds", notice.group(1))
    assert "Too many requests" in answers[address]
    assert answers[address] == answers["limited-nobody@example.jp"]
    site.smtp.wait_for_mail(address, SUBJECT, count=3)
    assert len(site.smtp.mails(address, SUBJECT)) == 3


def test_the_form_refuses_a_post_without_its_cookies_value_and_what_is_no_address(
        site: Site) -> None:
    """Another site can post the form but not read its cookie: nothing is sent (403). What is
    not an e-mail address is refused next to the field, in the page's language."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        forged = _ask(browser, OTHER, nonce="forged")
        assert forged.status_code == 403 and "The form has expired" in forged.text
        wrong = _ask(browser, "not an address")
        assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text
        japanese = _ask(browser, "not an address", headers=JA)
        assert "メールアドレスの形式が正しくありません" in japanese.text
    with httpx.Client(base_url=site.live.url, timeout=30) as elsewhere:
        assert elsewhere.post("/password-reset", data={"email": OTHER}).status_code == 403


def test_without_an_smtp_server_there_is_no_reset_by_email(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The pages say to ask an administrator (404); the sign-in page offers no link."""
    settings = keyed_sqlite(tmp_path_factory.mktemp("no-mail"))
    for live in serve(settings):
        with httpx.Client(base_url=live.url, timeout=30, headers=EN) as browser:
            assert 'href="/password-reset"' not in browser.get("/sign-in").text
            for answer in (browser.get("/password-reset"), browser.get("/password-reset/sent"),
                           browser.post("/password-reset", data={"email": MEMBER})):
                assert answer.status_code == 404
                assert "administrator for a reset link" in answer.text
            assert "管理者に再設定リンクを依頼" in browser.get("/password-reset",
                                                         headers=JA).text


@pytest.mark.browser
def test_in_chromium_on_a_phone_in_japanese_the_pages_are_accessible(browser: Browser,
                                                                      site: Site) -> None:
    """From the sign-in page's link with the keyboard, through the form, to the link's page:
    each fits a phone and passes axe."""
    address = "phone@example.jp"
    tab = phone_tab(browser)
    try:
        tab.goto(f"{site.live.url}/sign-in")
        tab.get_by_role("link", name="パスワードを忘れた場合").focus()
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/password-reset")
        assert_accessible_and_fitting(tab, "password-forgot-phone-ja")
        tab.get_by_label("メールアドレス").fill(address)
        tab.keyboard.press("Enter")
        tab.wait_for_url("**/password-reset/sent")
        assert_accessible_and_fitting(tab, "password-forgot-sent-phone-ja")
        tab.goto(site.live.url + _link(site, site.smtp.wait_for_mail(address, SUBJECT)))
        assert_accessible_and_fitting(tab, "password-reset-link-phone-ja")
    finally:
        tab.context.close()


@pytest.mark.browser
def test_in_chromium_in_english_a_member_sets_a_new_password_and_signs_in(
        browser: Browser, site: Site) -> None:
    """The whole way on a desktop in English: ask, follow the e-mail's link, set the password,
    sign in with it; every page passes axe."""
    address = "desk@example.jp"
    tab = new_tab(browser, locale="en-GB")
    try:
        tab.goto(f"{site.live.url}/password-reset")
        assert_accessible_and_fitting(tab, "password-forgot-en")
        tab.get_by_label("E-mail address").fill(address)
        tab.get_by_role("button", name="E-mail me a link").click()
        tab.wait_for_url("**/password-reset/sent")
        tab.goto(site.live.url + _link(site, site.smtp.wait_for_mail(address, SUBJECT)))
        assert_accessible_and_fitting(tab, "password-reset-link-en")
        tab.get_by_label("New password", exact=True).fill(NEW)
        tab.get_by_label("New password again").fill(NEW)
        tab.get_by_role("button", name="Set the password").click()
        tab.wait_for_url("**/sign-in?done=password-set")
        assert_accessible_and_fitting(tab, "password-reset-done-en")
        tab.get_by_label("E-mail address").fill(address)
        tab.get_by_label("Password", exact=True).fill(NEW)
        tab.get_by_role("button", name="Sign in").click()
        # Home: a member without a role keeps a wallet.
        tab.wait_for_url("**/wallet")
    finally:
        tab.context.close()
