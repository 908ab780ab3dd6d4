"""A learner's public profile in a real browser: made in the wallet with a handle and a
credential chosen, shown at ``/@{handle}`` (the credential verified, its badge, the QR code),
then hidden with one click, after which the address says it is gone (410). axe-core finds
nothing serious; the pages fit a phone's screen.

Chromium (Debian package ``chromium``) driven by Playwright.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.accounts import add_user, issued_credentials, provider_store
from tests.conftest import LiveServer, at_own_url, keyed_sqlite, serve
from tests.entrypoints.web.pages.conftest import (
    assert_fits_the_screen,
    axe_violations,
    new_tab,
    phone_tab,
    shot,
    sign_in_through_form,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

LEARNER = "mei@example.jp"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("profile-browser")))
    secret = settings.secret_key or ""
    now = dt.datetime.now(dt.UTC)
    provider_store(settings, secret=secret, now=now)
    issued_credentials(settings, secret=secret, now=now, batch="profile",
                       cohort=f"email,name\n{LEARNER},Mei\n")
    add_user(settings, LEARNER, name="Mei")
    yield from serve(settings, port=port)


def test_a_public_profile_is_shown_and_hidden(browser: Browser, live: LiveServer) -> None:
    from playwright.sync_api import expect

    url = live.settings.public_url
    tab = sign_in_through_form(new_tab(browser, locale="en-GB"), url, LEARNER, "/wallet")
    try:
        tab.locator(".wallet-nav a[href='/wallet/profile']").click()
        tab.wait_for_url("**/wallet/profile")
        assert axe_violations(tab) == []
        tab.locator("#profile-handle").fill("admin")
        tab.locator("#profile-name").fill("Mei Sato")
        tab.get_by_role("button", name="Save and show").click()
        expect(tab.locator("#profile-error")).to_contain_text("reserved")
        expect(tab.locator("#profile-handle")).to_have_attribute("aria-invalid", "true")
        tab.locator("#profile-handle").fill("mei-sato")
        tab.locator("input[name=credential]").first.check()
        tab.get_by_role("button", name="Save and show").click()
        expect(tab.locator("#profile-address")).to_have_attribute("href", f"{url}/@mei-sato")
        tab.locator("#profile-address").click()
        tab.wait_for_url("**/@mei-sato")
        expect(tab.locator("h1")).to_contain_text("Mei Sato")
        expect(tab.locator('[data-outcome="verified"]')).to_have_count(1)
        expect(tab.locator("img.qr")).to_be_visible()
        assert tab.locator('meta[property="og:title"]').get_attribute("content")
        assert axe_violations(tab) == []
        shot(tab, "public-profile-en")
        phone = phone_tab(browser)
        try:
            phone.goto(f"{url}/@mei-sato")
            assert_fits_the_screen(phone, "the public profile on a phone")
            shot(phone, "public-profile-phone")
        finally:
            phone.context.close()
        tab.goto(f"{url}/wallet/profile")
        tab.locator("#profile-hide").click()
        expect(tab.locator("#profile-hidden")).to_be_visible()
        gone = tab.goto(f"{url}/@mei-sato")
        assert gone is not None and gone.status == 410
        expect(tab.locator("h1")).to_contain_text("no longer shown")
        assert axe_violations(tab) == []
    finally:
        tab.context.close()
