"""Signing up on one's own, over real HTTP and real SMTP (aiosmtpd on loopback).

A learner was issued a credential at an address with no account; they come from the e-mail's
wallet link to sign in, follow the link to sign up, get the confirmation e-mail (sent by a
``mail.deliver`` job), confirm with its link, are signed in and taken to their wallet, where
the credential is. The answer to a sign-up never tells whether the address has an account:
one that has gets an e-mail saying to sign in instead. Links that are expired (the server's
clock moved on), used, replaced or tampered with are refused with a page saying so, in
Japanese and English; the forms refuse posts without their cookie's value (CSRF); too many
requests for an address are refused for a while; where sign-up is turned off, the pages say
so (404) and the sign-in page offers none. In Chromium on a phone, in Japanese, the sign-up
page, the "check your e-mail" page and the link's page fit the screen and axe-core finds
nothing serious or critical on them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from email.message import EmailMessage
from typing import TYPE_CHECKING
from urllib.parse import unquote

import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import (
    PASSWORD,
    add_user,
    issued_credentials,
    provider_store,
    sign_in,
    store_session,
)
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

LEARNER = "arai@example.jp"
MEMBER = "existing@example.jp"
CHOSEN = "my own long passphrase"
EN = {"Accept-Language": "en"}
JA = {"Accept-Language": "ja"}


@dataclasses.dataclass(frozen=True)
class Site:
    live: LiveServer
    smtp: SmtpServer
    clock: ShiftedClock
    credential: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("sign-up")
    secret = new_master_key_text()
    clock = ShiftedClock()
    with smtp_server() as smtp:
        settings, port = at_own_url(dataclasses.replace(
            Settings.from_env(data_dir=folder / "data", database_url=""), secret_key=secret,
            **relay(smtp)))
        provider_store(settings, secret=secret, now=clock())
        [credential] = issued_credentials(settings, secret=secret, now=clock(),
                                          cohort=f"email,name\n{LEARNER},新井 杏\n",
                                          batch="sign-up")
        add_user(settings, MEMBER, name="Member")
        for live in serve(settings, port=port, clock=clock):
            yield Site(live, smtp, clock, credential)


def _link(site: Site, message: EmailMessage) -> str:
    """The path of the sign-up link in ``message``."""
    return link_path(message, site.live.settings.public_url, "/sign-up")


def _ask(browser: httpx.Client, email: str, *, name: str = "Arai An",
         password: str = CHOSEN, next_path: str = "/account",
         nonce: str | None = None) -> httpx.Response:
    """Fill in the sign-up form as a browser would (GET it first for its nonce)."""
    found = form_nonce(browser, f"/sign-up?next={next_path}")
    return browser.post("/sign-up", data={
        "email": email, "display_name": name, "password": password, "next_path": next_path,
        "nonce": found if nonce is None else nonce})


def _confirm(browser: httpx.Client, path: str, password: str = CHOSEN) -> httpx.Response:
    """Open the link's page and confirm with ``password``, as a browser would."""
    return browser.post(path, data={"nonce": form_nonce(browser, path), "password": password})


def test_a_learner_signs_up_from_the_wallet_link_and_finds_the_credential_there(
        site: Site) -> None:
    """Sign-in page → sign-up (``next`` kept) → "check your e-mail" → the e-mail (Japanese,
    then English) → its link → the password chosen (another is refused) → signed in, in the
    wallet, which holds the credential issued to the address before the account existed;
    the creation is audited."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        sign_in_page = browser.get("/sign-in?next=/wallet")
        offered = re.search(r'href="(/sign-up\?next=[^"]+)"', sign_in_page.text)
        assert offered is not None and unquote(offered.group(1)) == "/sign-up?next=/wallet"
        form = browser.get(offered.group(1))
        assert form.headers["cache-control"] == "no-store"
        for field in ("email", "display_name", "password"):
            assert f'<label for="{field}">' in form.text
        answer = _ask(browser, LEARNER, next_path="/wallet")
        assert answer.status_code == 303 and answer.headers["location"] == "/sign-up/sent"
        sent = browser.get("/sign-up/sent")
        assert sent.status_code == 200 and "Check your e-mail" in sent.text
        message = site.smtp.wait_for_mail(LEARNER, "Confirm your e-mail address")
        text = plain_text(message)
        assert text.index("メールアドレスが確認され") < text.index("Open this link")
        assert "Arai An" not in text  # nobody can put their words in someone else's inbox
        path = _link(site, message)
        page = browser.get(path)
        assert page.status_code == 200 and LEARNER in page.text
        assert browser.get("/api/me").status_code == 401  # opening the link is not enough
        # Someone who asked for an account at another person's address chose its password:
        # the owner who follows the link without knowing it makes no account with it.
        wrong = _confirm(browser, path, password="somebody else's pick")
        assert wrong.status_code == 422 and "not the password chosen" in wrong.text
        assert 'aria-invalid="true"' in wrong.text
        done = _confirm(browser, path)
        assert done.status_code == 303 and done.headers["location"] == "/wallet"
        me = browser.get("/api/me")
        assert me.status_code == 200 and me.json()["email"] == LEARNER
        wallet = browser.get("/wallet", headers={"Accept": "text/html"})
        assert wallet.status_code == 200
        assert wallet.text.count('class="wallet-card"') == 1
        again = browser.get(path, headers=JA)
        assert again.status_code == 404 and "この登録リンクは使えません" in again.text
    with store_session(site.live.settings) as session:
        created = [entry for entry in audit.entries(session, limit=100_000)
                   if entry.action == "user.created"]
    assert [(entry.details["email"], entry.details["via"]) for entry in created] == [
        (LEARNER, "sign-up")]
    with httpx.Client(base_url=site.live.url, timeout=30) as later:
        assert sign_in(later, LEARNER, CHOSEN).status_code == 303


def test_an_address_with_an_account_gets_the_same_answer_and_an_email_to_sign_in(
        site: Site) -> None:
    """The answer for an address with an account is the one for a new address; its e-mail
    says to sign in (back to where they were going) and changes nothing."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        known = _ask(browser, MEMBER, next_path="/wallet")
        unknown = _ask(browser, "someone-new@example.jp", next_path="/wallet")
    assert (known.status_code, known.headers["location"]) == \
        (unknown.status_code, unknown.headers["location"]) == (303, "/sign-up/sent")
    message = site.smtp.wait_for_mail(MEMBER, "You already have an account")
    text = plain_text(message)
    assert text.index("アカウントはすでにあります") < text.index("has an account already")
    assert f"{site.live.settings.public_url}/sign-in?next=%2Fwallet" in text
    assert "/sign-up/" not in text
    with httpx.Client(base_url=site.live.url, timeout=30) as member:
        assert sign_in(member, MEMBER, PASSWORD).status_code == 303
        assert sign_in(member, MEMBER, CHOSEN).status_code == 401


def test_the_password_is_asked_once_and_once_more_only_to_confirm_at_the_link(
        site: Site) -> None:
    """The form has one password field (a new password, with a way to show it); the link's
    page asks it once more, as the proof that whoever follows it chose it: twice in all."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        form = browser.get("/sign-up?next=/wallet").text
        fields = re.findall(r"<input[^>]*type=\"password\"[^>]*>", form)
        assert len(fields) == 1 and 'autocomplete="new-password"' in fields[0]
        assert 'data-show-password="password"' in form
        assert _ask(browser, "once@example.jp").status_code == 303
        path = _link(site, site.smtp.wait_for_mail("once@example.jp", "Confirm"))
        confirm = browser.get(path).text
        assert len(re.findall(r"<input[^>]*type=\"password\"", confirm)) == 1


def test_expired_replaced_and_tampered_links_are_refused_in_both_languages(
        site: Site) -> None:
    """A link replaced by a newer request, one whose token was changed, and one older than a
    day are refused with a page (404) that says what to do, in Japanese and English."""
    address = "late@example.jp"
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        assert _ask(browser, address).status_code == 303
        first = _link(site, site.smtp.wait_for_mail(address, "Confirm"))
        assert _ask(browser, address).status_code == 303
        second = _link(site, site.smtp.wait_for_mail(address, "Confirm", count=2))
        tampered = second[:-1] + ("A" if second[-1] != "A" else "B")
        for path in (first, tampered):
            refused = browser.get(path)
            assert refused.status_code == 404
            assert "This sign-up link cannot be used" in refused.text
            assert browser.get(path, headers=JA).text.count("この登録リンクは使えません") == 1
        assert browser.get(second).status_code == 200
        site.clock.offset = dt.timedelta(hours=24, minutes=1)
        try:
            expired = browser.get(second)
            assert expired.status_code == 404 and "expired" in expired.text
            assert browser.post(second, data={"nonce": "x"}).status_code == 404
        finally:
            site.clock.offset = dt.timedelta(0)
        assert browser.get("/api/me").status_code == 401


def test_the_forms_refuse_posts_without_their_cookies_value(site: Site) -> None:
    """Another site can post the forms but not read their cookie: the sign-up form and the
    link's button then change nothing (403) and ask again."""
    address = "csrf@example.jp"
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        forged = _ask(browser, address, nonce="forged")
        assert forged.status_code == 403 and "The form has expired" in forged.text
        assert _ask(browser, address).status_code == 303
        path = _link(site, site.smtp.wait_for_mail(address, "Confirm"))
        browser.get(path)
        refused = browser.post(path, data={"nonce": "forged", "password": CHOSEN})
        assert refused.status_code == 403 and "The form has expired" in refused.text
        assert browser.get("/api/me").status_code == 401
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as elsewhere:
        assert elsewhere.post(path, data={"nonce": "", "password": CHOSEN}).status_code == 403
        assert _confirm(elsewhere, path).status_code == 303
    assert len(site.smtp.mails(address, "Confirm")) == 1


def test_what_the_form_refuses_is_said_next_to_its_field(site: Site) -> None:
    """The password policy, an address and a name."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        for answer, words in (
                (_ask(browser, "p@example.jp", password="short"), "at least 12 characters"),
                (_ask(browser, "not an address"), "not an e-mail address"),
                (_ask(browser, "p@example.jp", name=" "), "1 to 200 characters")):
            assert answer.status_code == 422 and words in answer.text
            assert 'aria-invalid="true"' in answer.text
            assert 'value="p@example.jp"' in answer.text or "not an address" in answer.text


def test_too_many_requests_for_an_address_are_refused_for_a_while(site: Site) -> None:
    """Three requests for an address within the window; the fourth waits (429, Retry-After),
    whether or not the address has an account."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        for _ in range(3):
            assert _ask(browser, "busy@example.jp").status_code == 303
        refused = _ask(browser, "busy@example.jp")
        assert refused.status_code == 429 and "Too many sign-up requests" in refused.text
        assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60


def test_where_sign_up_is_turned_off_the_pages_say_so(tmp_path_factory: pytest.TempPathFactory
                                                      ) -> None:
    """``CREDSTACK_SIGN_UP=off``: each sign-up page is a 404 saying whom to ask; the sign-in
    page offers no sign-up."""
    settings = keyed_sqlite(tmp_path_factory.mktemp("closed"), sign_up=False)
    for live in serve(settings):
        with httpx.Client(base_url=live.url, timeout=30, headers=EN) as browser:
            assert "/sign-up" not in browser.get("/sign-in").text
            for answer in (browser.get("/sign-up"), browser.get("/sign-up/sent"),
                           browser.get("/sign-up/" + "a" * 43),
                           browser.post("/sign-up", data={"email": LEARNER})):
                assert answer.status_code == 404
                assert "ask your organisation" in answer.text
            assert "アカウントを自分で作成できません" in browser.get("/sign-up", headers=JA).text


def test_the_sign_in_page_keeps_where_the_learner_was_going(site: Site) -> None:
    """The sign-up page's own sign-in link, and a visitor already signed in, go to ``next``."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        form = browser.get("/sign-up?next=/wallet")
        assert 'href="/sign-in?next=/wallet"' in form.text
        assert sign_in(browser, MEMBER).status_code == 303
        already = browser.get("/sign-up?next=/wallet")
        assert already.status_code == 303 and already.headers["location"] == "/wallet"


@pytest.mark.browser
def test_in_chromium_on_a_phone_the_sign_up_pages_are_accessible(browser: Browser,
                                                                 site: Site) -> None:
    """Fill in the form on a phone in Japanese; the pages it leads to fit and pass axe."""
    address = "phone@example.jp"
    tab = phone_tab(browser)
    try:
        tab.goto(f"{site.live.url}/sign-up?next=/wallet")
        assert_accessible_and_fitting(tab, "sign-up-phone-ja")
        tab.get_by_label("メールアドレス").fill(address)
        tab.get_by_label("表示名").fill("電話 花子")
        tab.get_by_label("パスワード", exact=True).fill(CHOSEN)
        tab.get_by_role("button", name="確認メールを送信").click()
        tab.wait_for_url("**/sign-up/sent")
        assert_accessible_and_fitting(tab, "sign-up-sent-phone-ja")
        tab.goto(site.live.url + _link(site, site.smtp.wait_for_mail(address, "Confirm")))
        assert_accessible_and_fitting(tab, "sign-up-confirm-phone-ja")
    finally:
        tab.context.close()


@pytest.mark.browser
def test_in_chromium_in_english_a_learner_signs_up_and_lands_in_the_wallet(
        browser: Browser, site: Site) -> None:
    """The whole way in English on a desktop: the form, the e-mail's link, the password
    again, and the wallet, signed in; every page passes axe."""
    address = "desktop@example.jp"
    tab = new_tab(browser, locale="en-GB")
    try:
        tab.goto(f"{site.live.url}/sign-up?next=/wallet")
        assert_accessible_and_fitting(tab, "sign-up-en")
        tab.get_by_label("E-mail address").fill(address)
        tab.get_by_label("Display name").fill("Desk Top")
        tab.get_by_label("Password", exact=True).fill(CHOSEN)
        tab.get_by_label("Show the password").check()
        assert tab.get_by_label("Password", exact=True).get_attribute("type") == "text"
        tab.get_by_role("button", name="Send the confirmation e-mail").click()
        tab.wait_for_url("**/sign-up/sent")
        assert_accessible_and_fitting(tab, "sign-up-sent-en")
        tab.goto(site.live.url + _link(site, site.smtp.wait_for_mail(address, "Confirm")))
        assert_accessible_and_fitting(tab, "sign-up-confirm-en")
        tab.get_by_label("Password", exact=True).fill(CHOSEN)
        tab.get_by_role("button", name="Create the account").click()
        tab.wait_for_url("**/wallet")
        assert "Desk Top" in tab.locator("header").inner_text()
    finally:
        tab.context.close()
