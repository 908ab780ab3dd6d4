"""Getting back into an account whose passkeys are lost (issue 57), over real HTTP and real
SMTP (aiosmtpd on loopback).

A member of an organisation that switched passwords off asks on the sign-in page's "forgot"
form like anyone; the answer is the same, and the e-mail they get is a recovery link, not a
password link. The link signs them in once and takes them to their passkeys: every other
session and token of the account ends, the lost passkey stays listed for its owner to
remove, a new one is registered, and the link does not work twice. A password reset link an
administrator hands such a member leads to the same page. Each step is audited. In Chromium,
in Japanese on a phone, the pages pass axe-core.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from credstack.services.audit import service as audit
from tests.accounts import add_user, csrf_of, signed_in_client, store_session
from tests.conftest import LiveServer, at_own_url, keyed_sqlite, serve
from tests.entrypoints.web.pages.conftest import assert_accessible_and_fitting, phone_tab
from tests.entrypoints.web.pages.forms import form_nonce
from tests.passkeys import SoftAuthenticator
from tests.smtp import SmtpServer, link_path, plain_text, relay, smtp_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ORGANISATION = "kita-univ"
ADMIN = "admin@kita.example.jp"
MEMBERS = ("lost-phone@kita.example.jp", "handed-link@kita.example.jp",
           "phone-ja@kita.example.jp")
OUTSIDER = "own-password@example.jp"
EN = {"Accept-Language": "en"}
SUBJECT = "Get back into your account"


@dataclasses.dataclass(frozen=True)
class Site:
    live: LiveServer
    smtp: SmtpServer
    devices: dict[str, SoftAuthenticator]


def _register(web: httpx.Client, device: SoftAuthenticator, name: str) -> None:
    options = web.post("/api/me/passkeys/options")
    assert options.status_code == 200, options.text
    made = web.post("/api/me/passkeys",
                    json={"name": name, "credential": device.create(options.json())})
    assert made.status_code == 201, made.text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Members with a passkey each, whose organisation then switched passwords off."""
    with smtp_server() as smtp:
        settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("recovery")),
                                    **relay(smtp))
        add_user(settings, ADMIN, roles=[(ORGANISATION, "provider-admin")])
        add_user(settings, OUTSIDER, name="Outsider")
        for member in MEMBERS:
            add_user(settings, member, name="Member", roles=[(ORGANISATION, "issuer")])
        for live in serve(settings, port=port):
            devices = {}
            for member in (ADMIN, *MEMBERS):
                devices[member] = SoftAuthenticator(origin=live.settings.public_url)
                with signed_in_client(live.url, member) as web:
                    _register(web, devices[member], "Phone")
            with signed_in_client(live.url, ADMIN) as web:
                off = web.put(f"/api/organisations/{ORGANISATION}/passwords",
                              json={"allowed": False})
                assert off.status_code == 200, off.text
            yield Site(live, smtp, devices)


def _ask(browser: httpx.Client, email: str) -> httpx.Response:
    found = form_nonce(browser, "/password-reset")
    return browser.post("/password-reset", data={"email": email, "nonce": found})


def _entries(site: Site, action: str) -> list[Any]:
    with store_session(site.live.settings) as session:
        return [entry for entry in audit.entries(session, limit=100_000)
                if entry.action == action]


def _passkey_session(site: Site, member: str) -> httpx.Client:
    """A browser signed in as ``member`` with their passkey (passwords are off)."""
    browser = httpx.Client(base_url=site.live.url, timeout=30)
    options = browser.post("/api/passkeys/sign-in/options")
    assert options.status_code == 200, options.text
    answer = browser.post("/api/passkeys/sign-in",
                          json={"credential": site.devices[member].get(options.json())})
    assert answer.status_code == 200, answer.text
    return browser


def test_a_member_who_lost_their_passkey_signs_in_once_by_email_and_registers_a_new_one(
        site: Site) -> None:
    """The same answer as for anyone → a recovery e-mail (Japanese, then English) → its page
    → signed in on the account page's passkeys: the old session ends, a new passkey is
    registered, the lost one is removed, and the link works once; both steps are audited."""
    member = MEMBERS[0]
    before = _passkey_session(site, member)
    assert before.get("/api/me").status_code == 200
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        answer = _ask(browser, member)
        assert (answer.status_code, answer.headers["location"]) == (303, "/password-reset/sent")
        message = site.smtp.wait_for_mail(member, SUBJECT)
        text = plain_text(message)
        assert text.index("新しいパスキーを登録できます") < text.index("register a new passkey")
        assert "/password-reset/" not in text
        path = link_path(message, site.live.settings.public_url, "/account-recovery")
        page = browser.get(path)
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert member in page.text and "Sign in and register a passkey" in page.text
        # The form repeats its cookie's value: a post from elsewhere is refused.
        assert browser.post(path, data={"nonce": "forged"}).status_code == 403
        done = browser.post(path, data={"nonce": form_nonce(browser, path)})
        assert done.status_code == 303
        assert done.headers["location"] == "/account?done=recovered#passkeys"
        account = browser.get(done.headers["location"])
        assert account.status_code == 200 and "Register a new passkey below" in account.text
        assert browser.get("/api/me").json()["email"] == member
        browser.headers["X-CSRF-Token"] = csrf_of(browser)
        [lost] = browser.get("/api/me/passkeys").json()
        _register(browser, SoftAuthenticator(origin=site.live.settings.public_url), "New phone")
        assert browser.delete(f"/api/me/passkeys/{lost['id']}").status_code == 204
        assert [p["name"] for p in browser.get("/api/me/passkeys").json()] == ["New phone"]
        again = browser.get(path)
        assert again.status_code == 404 and "unknown, used or expired" in again.text
    assert before.get("/api/me").status_code == 401
    before.close()
    [asked] = [e for e in _entries(site, "password.reset.requested")
               if e.details["outcome"] == "recovery link sent"][:1]
    assert asked.actor == "anonymous"
    [recovered] = [e for e in _entries(site, "account.recovered")][:1]
    assert recovered.actor == recovered.subject == asked.subject
    assert recovered.details["via"] == "e-mailed link"
    assert recovered.details["sessions_ended"] >= 1


def test_a_member_with_a_password_is_still_sent_a_password_link(site: Site) -> None:
    """Outside an organisation that switched passwords off, the e-mail sets a password."""
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        assert _ask(browser, OUTSIDER).status_code == 303
        message = site.smtp.wait_for_mail(OUTSIDER, "Reset your password")
        path = link_path(message, site.live.settings.public_url, "/password-reset")
        assert browser.get(path).status_code == 200
    assert site.smtp.mails(OUTSIDER, SUBJECT) == []


def test_an_administrators_reset_link_for_a_passkey_member_leads_to_recovery(
        site: Site) -> None:
    """A password would not sign this member in: the link's page sends them on, for a GET and
    a POST alike, and the password stays unset."""
    member = MEMBERS[1]
    admin = _passkey_session(site, ADMIN)
    admin.headers["X-CSRF-Token"] = csrf_of(admin)
    made = admin.post(f"/api/users/{member}/password-reset")
    admin.close()
    assert made.status_code == 201, made.text
    url = made.json()["reset_url"]
    path = re.sub(r"^https?://[^/]+", "", url)
    token = path.rsplit("/", 1)[1]
    with httpx.Client(base_url=site.live.url, timeout=30, headers=EN) as browser:
        sent_on = browser.get(path)
        assert (sent_on.status_code, sent_on.headers["location"]) == \
            (303, f"/account-recovery/{token}")
        posted = browser.post(path, data={"nonce": "x", "password": "a long new passphrase",
                                          "password_again": "a long new passphrase"})
        assert (posted.status_code, posted.headers["location"]) == \
            (303, f"/account-recovery/{token}")
        assert browser.get(f"/account-recovery/{token}").status_code == 200


@pytest.mark.browser
def test_in_chromium_on_a_phone_in_japanese_the_recovery_pages_are_accessible(
        browser: Browser, site: Site) -> None:
    """The e-mail's link, its page, and the account page it signs in to: each fits a phone,
    passes axe, and needs no script for the form."""
    member = MEMBERS[2]
    with httpx.Client(base_url=site.live.url, timeout=30) as asking:
        assert _ask(asking, member).status_code == 303
    message = site.smtp.wait_for_mail(member, SUBJECT)
    tab = phone_tab(browser)
    try:
        tab.goto(site.live.url
                 + link_path(message, site.live.settings.public_url, "/account-recovery"))
        assert tab.get_by_role("heading", level=1).inner_text() == "アカウントの復旧"
        assert_accessible_and_fitting(tab, "account-recovery-phone-ja")
        tab.get_by_role("button", name="サインインしてパスキーを登録する").click()
        tab.wait_for_url("**/account?done=recovered#passkeys")
        assert "新しいパスキーを登録し" in tab.get_by_role("status").first.inner_text()
        assert_accessible_and_fitting(tab, "account-recovered-phone-ja")
    finally:
        tab.context.close()
