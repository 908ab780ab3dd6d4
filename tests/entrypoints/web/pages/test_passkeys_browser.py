"""Passkeys in Chromium (issue 57), with its virtual authenticator (the DevTools protocol's
``WebAuthn`` domain: CTAP2, internal transport, resident keys, user verification): the
account page registers a passkey, the sign-in page signs in with it and no password, in
Japanese and English, axe-core finding nothing at 1280 and 390 px, under the pages'
Content-Security-Policy (``static/passkeys.js``, no inline script)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import add_user
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    at_phone_width,
    new_tab,
    sign_in_through_form,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: What each language's pages say, as the catalogues word it.
WORDS = {
    "ja": {"locale": "ja-JP", "create": "パスキーを作成", "use": "パスキーを使う",
           "added": "パスキーを追加しました", "sign_out": "サインアウト",
           "removed": "パスキーを削除しました", "title": "パスキーでサインイン",
           "never": "まだ使っていません"},
    "en": {"locale": "en-GB", "create": "Create the passkey", "use": "Use a passkey",
           "added": "Your passkey has been added", "sign_out": "Sign out",
           "removed": "The passkey has been removed", "title": "Sign in with a passkey",
           "never": "Not yet"},
}


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    """One server for the module, at ``http://localhost:<port>`` (the relying party id
    ``localhost``: WebAuthn takes no IP address)."""
    served, port = at_own_url(dataclasses.replace(browser_store,
                                                  secret_key=new_master_key_text()))
    yield from serve(served, port=port)


def authenticator(page: Page) -> tuple[Any, str]:
    """A virtual platform authenticator attached to ``page``'s browser context: CTAP2, the
    internal transport, resident keys, user verification that succeeds (the person's
    fingerprint or PIN), presence given as soon as it is asked."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable", {"enableUI": False})
    made = session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    return session, made["authenticatorId"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_passkey_is_registered_on_the_account_page_and_signs_in_without_a_password(
        live: LiveServer, browser: Browser, language: str) -> None:
    """Account page → name → the authenticator makes a resident key → listed; signed out,
    the sign-in page's passkey button signs in with no address or password, to the person's
    home; the passkey's row then says when it was used; removed, it is gone."""
    from playwright.sync_api import expect

    words = WORDS[language]
    email = f"passkey-{language}@example.jp"
    add_user(live.settings, email, name=f"Passkey {language}")
    page = new_tab(browser, locale=words["locale"])
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    try:
        session, authenticator_id = authenticator(page)
        sign_in_through_form(page, live.settings.public_url, email, f"/account?lang={language}")
        expect(page.locator("#passkeys-none")).to_be_visible()
        expect(page.locator("[data-passkey-unsupported]")).to_be_hidden()
        assert_accessible_and_fitting(page, f"passkeys-account-{language}-1280")
        page.locator("#passkey-name").fill(f"Chromium {language}")
        page.get_by_role("button", name=words["create"]).click()
        page.wait_for_url("**/account?done=passkey-added*")
        expect(page.get_by_role("status").first).to_contain_text(words["added"])
        row = page.locator("table.passkey-list tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"Chromium {language}")
        expect(row).to_contain_text(words["never"])
        held = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
        assert [c["isResidentCredential"] for c in held["credentials"]] == [True]
        with at_phone_width(page):
            assert_accessible_and_fitting(page, f"passkeys-account-{language}-390")

        page.get_by_role("button", name=words["sign_out"]).click()
        page.goto(f"{live.settings.public_url}/sign-in?lang={language}")
        block = page.locator("#passkey-sign-in")
        expect(block).to_be_visible()
        expect(block.get_by_role("heading", level=2)).to_have_text(words["title"])
        assert_accessible_and_fitting(page, f"passkeys-sign-in-{language}-1280")
        with at_phone_width(page):
            assert_accessible_and_fitting(page, f"passkeys-sign-in-{language}-390")
        block.get_by_role("button", name=words["use"]).click()
        page.wait_for_url("**/wallet*")  # the home of someone with no role

        page.goto(f"{live.settings.public_url}/account")
        expect(row).not_to_contain_text(words["never"])
        page.get_by_role("button", name=f"Chromium {language}").click()
        expect(page.get_by_role("status").first).to_contain_text(words["removed"])
        expect(page.locator("#passkeys-none")).to_be_visible()
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        page.context.close()
