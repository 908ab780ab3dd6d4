"""The sign-in and account pages and the header of a signed-in user, as a browser draws them at
a laptop's width (1280 px) and a phone's (375 px): styled forms, a header that keeps its rows,
no serious or critical axe violations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from credstack.settings import Settings
from tests.accounts import PASSWORD, add_user
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.conftest import (
    assert_fits_the_screen,
    axe_violations,
    demo_phone_tab,
    new_tab,
    shot,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

EMAIL = "learner@example.jp"
#: A long display name, as people have: the header must still keep to its rows.
NAME = "Hanako Yamada-Suzuki (Sakura University)"
WIDTHS = {"laptop": 1280, "phone": 375}


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(browser_store):
        add_user(server.settings, EMAIL, name=NAME, roles=[("sakura-university", "learner")])
        yield server


def _signed_in(browser: Browser, live: LiveServer, *, width: int, locale: str) -> Page:
    tab = new_tab(browser, locale=locale, width=width, height=900)
    tab.goto(f"{live.url}/sign-in?next=/account")
    tab.locator("#email").fill(EMAIL)
    tab.locator("#password").fill(PASSWORD)
    tab.locator(".sign-in-form button[type=submit]").click()
    tab.wait_for_url(f"{live.url}/account")
    return tab


def _rows(tab: Page, selector: str) -> int:
    """How many lines the element's text takes (1 when it does not wrap)."""
    return int(tab.evaluate(f"""() => {{
        const e = document.querySelector({selector!r});
        const r = document.createRange(); r.selectNodeContents(e);
        const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
        return tops.size; }}"""))


@pytest.mark.parametrize("locale", ["ja-JP", "en-GB"])
@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_sign_in_and_account_pages_are_styled_and_the_header_keeps_its_rows(
        live: LiveServer, browser: Browser, screen: str, locale: str) -> None:
    """The sign-in form is a styled card with full-width fields; signed in, the header keeps
    one row on a laptop (on a phone the site's links go under the brand, and the account's
    places over the name) and the name is whole; the account page's sections are cards; axe
    finds nothing serious."""
    width = WIDTHS[screen]
    tab = new_tab(browser, locale=locale, width=width, height=900)
    try:
        tab.goto(f"{live.url}/sign-in")
        form = tab.locator(".sign-in-form")
        assert form.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
        field = tab.locator("#email").bounding_box()
        box = form.bounding_box()
        assert field is not None and box is not None
        assert field["width"] >= box["width"] * 0.8, "the fields span the form"
        assert_fits_the_screen(tab, "/sign-in")
        assert axe_violations(tab) == []
        shot(tab, f"sign-in-{screen}-{locale[:2]}")
    finally:
        tab.context.close()

    tab = _signed_in(browser, live, width=width, locale=locale)
    try:
        header = tab.locator(".site-header__inner").bounding_box()
        account = tab.locator(".account-nav").bounding_box()
        button = tab.locator(".account-nav button").bounding_box()
        assert header is not None and account is not None and button is not None
        if screen == "laptop":
            assert account["height"] <= button["height"] + 4, "the account's links wrap"
            # One row: the header is no taller than its tallest control and its padding.
            assert header["height"] <= button["height"] + 32, (
                f"the header takes {header['height']}px: it wraps")
        assert _rows(tab, ".account-nav a[href='/wallet']") == 1, "the wallet's link wraps"
        # The name is whole: on one row on a laptop, on two at most on a phone.
        assert _rows(tab, ".account-nav a[href='/account']") <= (1 if screen == "laptop"
                                                                  else 2)
        assert_fits_the_screen(tab, "/account")
        for section in ("credentials-title", "memberships-title", "password-title"):
            card = tab.locator(f"section[aria-labelledby='{section}']")
            assert card.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid", section
        assert axe_violations(tab) == []
        shot(tab, f"account-{screen}-{locale[:2]}")
    finally:
        tab.context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("account", ["learner@demo.example", "employer@demo.example"])
def test_the_signed_in_persons_name_is_shown_whole_in_a_phones_header(
        browser: Browser, demo_server: LiveServer, account: str, language: str) -> None:
    """The demo's people, on a phone (390 px): the header shows their whole name, not a
    name cut with an ellipsis, and still fits the screen."""
    tab = demo_phone_tab(browser, demo_server, account, "/account", language=language)
    try:
        name = tab.locator(".account-nav__me")
        assert name.evaluate("e => e.scrollWidth <= e.clientWidth"), name.inner_text()
        assert name.evaluate("e => getComputedStyle(e).textOverflow") != "ellipsis"
        assert _rows(tab, ".account-nav a[href='/account']") <= 2
        assert_fits_the_screen(tab, "/account")
        assert axe_violations(tab) == []
        shot(tab, f"account-demo-{account.split('@')[0]}-{language}")
    finally:
        tab.context.close()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_at_a_laptops_width_the_language_button_is_never_alone_on_a_row(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    """1280 px, each demo person signed in: the language button stands on the row of the
    account's links, never alone on one of its own; the issuer's whole header is one row."""
    for account in ("issuer@demo.example", "provider-admin@demo.example",
                    "registry-admin@demo.example", "registrar@demo.example",
                    "learner@demo.example"):
        tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", width=1280)
        try:
            tab.goto(f"{demo_server.url}/sign-in?lang={language}&next=/account")
            tab.locator("#email").fill(account)
            tab.locator("#password").fill(DEMO_PASSWORD)
            tab.locator("main form").get_by_role("button").first.click()
            tab.wait_for_url("**/account")
            switch = tab.locator("#lang-switch").bounding_box()
            sign_out = tab.locator(".account-nav button").bounding_box()
            header = tab.locator(".site-header__inner").bounding_box()
            assert switch is not None and sign_out is not None and header is not None
            assert abs(switch["y"] + switch["height"] / 2
                       - (sign_out["y"] + sign_out["height"] / 2)) < 8, (
                f"{account}: the language button is on a row of its own")
            if account == "issuer@demo.example":
                assert header["height"] <= sign_out["height"] + 32, (
                    f"the issuer's header takes {header['height']}px: it wraps")
        finally:
            tab.context.close()
