"""Signing in and out in a real browser (Chromium via Playwright), under the strict CSP.

One server for the module: each test signs in as a person of its own (one who changes their
password changes no other's)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.accounts import PASSWORD, add_user, api_client, token_response
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    at_phone_width,
    new_tab,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    yield from serve_with_key(browser_store)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab that prefers British English."""
    tab = new_tab(browser, locale="en-GB")
    yield tab
    tab.context.close()


def test_sign_in_see_the_account_and_sign_out(live: LiveServer, page: Page) -> None:
    """Header link → form (labelled fields) → wrong password → right one → the administrator's
    home (their workspace) → account page → sign out → signed out, and the account page asks
    to sign in again."""
    from playwright.sync_api import expect

    email = "signs-out@example.org"
    add_user(live.settings, email, name="Hokuto Admin",
             roles=[("hokuto-tech", "provider-admin")])
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.goto(f"{live.url}/?lang=en")
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()

    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("not the right password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("wrong")
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live.url}/workspace/hokuto-tech")
    page.get_by_role("link", name="Signed in as Hokuto Admin").click()
    expect(page).to_have_url(f"{live.url}/account")
    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()
    expect(page.locator("#account-email")).to_have_text(email)
    expect(page.get_by_role("link", name="Signed in as Hokuto Admin")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "credstack_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(f"{live.url}/account")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_change_the_password_on_the_account_page(live: LiveServer, page: Page) -> None:
    """The password form's labelled fields, a mismatch shown next to the field, then the
    change announced; the new password signs in."""
    from playwright.sync_api import expect

    email = "changes-password@example.org"
    add_user(live.settings, email, name="Hokuto Admin")
    new = "a brand new passphrase"
    page.goto(f"{live.url}/sign-in?lang=en&next=/account")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account", exact=True)).to_be_visible()

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password again").fill(new + "!")
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("alert")).to_contain_text("The two new passwords differ.")
    expect(page.get_by_label("New password again")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password again").fill(new)
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live.url}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(new)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live.url}/wallet")  # the home of someone with no role


def test_a_client_whose_secret_a_password_change_ended_gets_a_new_one(
        live: LiveServer, page: Page) -> None:
    """Issue 55, M2, in Chromium: after the password changed, the client's row says its
    secret ended and offers a new one (axe clean, fitting a phone); the button shows the new
    secret once, and it gets a token."""
    from playwright.sync_api import expect

    email = "renews-secret@example.org"
    add_user(live.settings, email, name="Hokuto Admin",
             roles=[("hokuto-tech", "provider-admin")])
    client_id, _ = api_client(live.settings, email, ["programmes:write"])
    new = "a brand new passphrase"
    page.goto(f"{live.url}/sign-in?lang=en&next=/account")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("New password again").fill(new)
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("status")).to_contain_text(
        "the secrets of your API clients have ended")
    row = page.locator("table.clients tbody tr")
    expect(row).to_contain_text("Secret ended on")
    with at_phone_width(page):
        assert_accessible_and_fitting(page, "account-client-secret-ended-390")
    page.get_by_role("button", name="Issue a new secret for test client").click()
    expect(page.locator("#new-client")).to_contain_text("A new secret for test client")
    expect(row).not_to_contain_text("Secret ended on")
    secret = page.locator("#new-client-secret").inner_text()
    assert token_response(live.url, client_id, secret).status_code == 200
