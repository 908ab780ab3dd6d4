"""The sign-in and account pages and the header of a signed-in user, as a browser draws them at
a laptop's width (1280 px) and a phone's (375–390 px): styled forms, a header of one row (on a
phone 64 px at most, its places in a menu that opens without script, the person's work first),
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
    from playwright.sync_api import Browser, Locator, Page

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
        if screen == "laptop":
            header = tab.locator(".site-header__inner").bounding_box()
            account = tab.locator(".account-nav").bounding_box()
            button = tab.locator(".account-nav button").bounding_box()
            assert header is not None and account is not None and button is not None
            assert account["height"] <= button["height"] + 4, "the account's links wrap"
            # One row: the header is no taller than its tallest control and its padding.
            assert header["height"] <= button["height"] + 32, (
                f"the header takes {header['height']}px: it wraps")
            assert not tab.locator(".site-menu").is_visible()
            assert _rows(tab, ".account-nav a[href='/wallet']") == 1, "the wallet's link wraps"
            assert _rows(tab, ".account-nav a[href='/account']") == 1
        else:
            menu = open_menu(tab)
            assert _rows(tab, ".site-menu a[href='/wallet']") == 1, "the wallet's link wraps"
            name = menu.locator("a[href='/account']")
            assert name.inner_text() == NAME, "the name is whole in the menu"
        assert_fits_the_screen(tab, "/account")
        for section in ("credentials-title", "memberships-title", "password-title"):
            card = tab.locator(f"section[aria-labelledby='{section}']")
            assert card.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid", section
        assert axe_violations(tab) == []
        shot(tab, f"account-{screen}-{locale[:2]}")
    finally:
        tab.context.close()


def open_menu(tab: Page) -> Locator:
    """Open the phone's menu (the header's one row is 64 px at most): its panel, shown."""
    header = tab.locator("header.site-header").bounding_box()
    assert header is not None and header["height"] <= 64, header
    assert not tab.locator(".site-header .account-nav").is_visible()
    tab.locator(".site-menu > summary").click()
    panel = tab.locator(".site-menu__panel")
    panel.wait_for(state="visible")
    assert tab.locator("header.site-header").bounding_box() == header, "the panel lies over"
    return panel


#: Each demo person's work, first in the phone's menu (``data-place``).
FIRST_PLACE = {"learner@demo.example": "wallet", "employer@demo.example": "employers",
               "issuer@demo.example": "issuing", "registry-admin@demo.example": "console",
               "registrar@demo.example": "creditbank"}


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("account", list(FIRST_PLACE))
def test_a_phones_header_is_one_row_and_its_menu_leads_with_the_persons_work(
        browser: Browser, demo_server: LiveServer, account: str, language: str) -> None:
    """The demo's people, on a phone (390 × 844): the header is one row of 64 px at most; its
    menu opens without script over the page, the person's own work first, then their whole
    name and the sign-out button, then the site's places; axe finds nothing serious with it
    open, and a place in it leads there."""
    tab = demo_phone_tab(browser, demo_server, account, "/account", language=language)
    try:
        assert_fits_the_screen(tab, "/account")
        panel = open_menu(tab)
        places = panel.locator(".site-menu__account a[data-place]")
        assert places.first.get_attribute("data-place") == FIRST_PLACE[account]
        name = panel.locator("a[href='/account']")
        assert name.evaluate("e => e.scrollWidth <= e.clientWidth"), name.inner_text()
        assert panel.locator(".site-menu__site a[href='/verify']").is_visible()
        assert axe_violations(tab) == []
        shot(tab, f"menu-demo-{account.split('@')[0]}-{language}")
        href = places.first.get_attribute("href")
        places.first.click()
        tab.wait_for_url(f"**{href}")
    finally:
        tab.context.close()


#: The demo people whose header folds the site's places into the menu at a desk's width.
FOLDED = frozenset({"provider-admin@demo.example", "registry-admin@demo.example",
                    "registrar@demo.example"})


@pytest.mark.parametrize("language", ["en", "ja"])
def test_at_a_laptops_width_the_language_button_is_never_alone_on_a_row(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    """1280 px, each demo person signed in: the language button stands on the row of the
    account's links, never alone on one of its own, and the whole header is one row — for
    the operator, the provider's administrator and the registrar (three places or more)
    because the site's places are in the menu, which opens over the page with them."""
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
            assert header["height"] <= sign_out["height"] + 32, (
                f"{account}'s header takes {header['height']}px: it wraps")
            folded = account in FOLDED
            assert tab.locator(".site-header .site-nav").is_visible() is not folded, account
            assert tab.locator(".site-menu").is_visible() is folded, account
            if folded:
                tab.locator(".site-menu > summary").click()
                link = tab.locator(".site-menu__site a[href='/verify']")
                link.wait_for(state="visible")
                assert not tab.locator(".site-menu__account").is_visible(), account
                assert tab.locator(".site-header__inner").bounding_box() == header, (
                    f"{account}: the menu's panel pushes the header")
                assert axe_violations(tab) == [], account
                shot(tab, f"menu-laptop-{account.split('@')[0]}-{language}", full_page=False)
                link.click()
                tab.wait_for_url("**/verify")
        finally:
            tab.context.close()
