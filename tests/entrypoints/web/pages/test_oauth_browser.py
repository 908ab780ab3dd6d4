"""The consent page in Chromium: a learner sent by an application signs in, reads who asks
for what, in Japanese and in English, and answers with the form alone (no script needed);
axe-core finds nothing serious or critical. One server for the module: each test registers
an application of its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from tests.accounts import PASSWORD, add_user
from tests.conftest import LiveServer, at_own_url, serve
from tests.entrypoints.web.pages.conftest import axe_violations, new_tab, shot
from tests.oauth import (
    APP,
    authorization_url,
    fetch_token,
    oauth_client,
    query_of,
    register,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

LEARNER = "learner@example.jp"


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    configured, port = at_own_url(browser_store, secret_key=new_master_key_text())
    add_user(configured, LEARNER, name="学習 花子")
    yield from serve(configured, port=port)


def _application_answers(tab: Page) -> None:
    """The application's redirect URI answers (nothing listens on it in the tests)."""
    tab.route(f"{APP}/**", lambda route: route.fulfill(status=200, body="ok",
                                                       content_type="text/plain"))


def _sign_in(tab: Page) -> None:
    tab.locator("#email").fill(LEARNER)
    tab.locator("#password").fill(PASSWORD)
    tab.locator("form.sign-in-form button[type=submit]").click()


def test_a_learner_signs_in_reads_the_request_and_allows_it(live: LiveServer,
                                                            browser: Browser) -> None:
    """Sign in on the way, the page in both languages passes axe, Allow sends a code that
    the application exchanges for a token."""
    from playwright.sync_api import expect

    client = oauth_client(register(live.url, client_name="Career Wallet"))
    url, verifier = authorization_url(live.url, client)
    tab = new_tab(browser)
    try:
        _application_answers(tab)
        tab.goto(url)
        _sign_in(tab)
        expect(tab.get_by_role("heading", level=1)).to_have_text("アプリケーションへのアクセス許可")
        for language in ("ja", "en"):
            tab.goto(f"{url}&lang={language}")
            assert tab.locator("html").get_attribute("lang") == language
            expect(tab.locator("main")).to_contain_text("Career Wallet")
            assert axe_violations(tab) == [], language
            shot(tab, f"oauth-consent-{language}")
        tab.get_by_role("button", name="Allow").click()
        tab.wait_for_url(f"{APP}/callback?*")
        location = tab.url
    finally:
        tab.context.close()
    assert query_of(location)["code"]
    assert fetch_token(live.url, client, location, verifier)["access_token"]


def test_the_consent_form_works_without_javascript(live: LiveServer, browser: Browser) -> None:
    """With JavaScript off, Deny (許可しない) sends access_denied back to the application."""
    client = oauth_client(register(live.url))
    url, _ = authorization_url(live.url, client)
    tab = new_tab(browser, javascript=False)
    try:
        _application_answers(tab)
        tab.goto(url)
        _sign_in(tab)
        tab.get_by_role("button", name="許可しない").click()
        tab.wait_for_url(f"{APP}/callback?*")
        answer = query_of(tab.url)
    finally:
        tab.context.close()
    assert answer["error"] == "access_denied" and "code" not in answer
