"""Numbers at a glance in a real browser, on the demo: the issuer's organisation home, the
operator's console, the recognition committee's review queue and the registrar's credit bank
show each figure this month with its trend and total, at 1280 px in
Japanese and at a phone's 390 px in English; axe-core finds nothing serious and the page fits
the screen (screenshots in ``test-artifacts/screenshots/``).

Chromium (Debian package ``chromium``) driven by Playwright.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from tests.conftest import LiveServer
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

#: Who lands where, and the figures their landing page shows at a glance.
HOMES = (
    ("issuer@demo.example", "/workspace/hokuto-tech", ("issued", "claimed", "shared",
                                                        "verified")),
    ("registry-admin@demo.example", "/console", ("organisations", "programmes", "issued",
                                                 "claimed", "verified", "recognitions")),
    ("committee@demo.example", "/review", ("received", "decided", "recognised")),
    ("registrar@demo.example", "/workspace/hokuto-tech/creditbank", ("submitted", "approved",
                                                                     "refused")),
)


def _desk(browser: Browser, live: LiveServer, account: str, then: str) -> Page:
    tab = new_tab(browser, locale="ja-JP")
    tab.goto(f"{live.url}/sign-in?lang=ja&next={then}")
    tab.locator("#email").fill(account)
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.locator("main form").get_by_role("button").first.click()
    tab.wait_for_url(f"**{then}")
    return tab


def _check(tab: Page, figures: tuple[str, ...], what: str) -> None:
    from playwright.sync_api import expect

    shown = tab.locator("[data-glance]")
    expect(shown).to_have_count(len(figures))
    assert [shown.nth(i).get_attribute("data-glance") for i in range(len(figures))] == list(
        figures)
    for figure in figures:
        expect(tab.locator(f"#glance-{figure}")).to_be_visible()
    assert axe_violations(tab) == [], what
    assert_fits_the_screen(tab, what)


@pytest.mark.parametrize(("account", "home", "figures"), HOMES)
def test_a_landing_pages_numbers_at_a_glance_read_on_a_desk_and_a_phone(
        browser: Browser, demo_server: LiveServer, account: str, home: str,
        figures: tuple[str, ...]) -> None:
    name = home.strip("/").replace("/", "-")
    desk = _desk(browser, demo_server, account, home)
    try:
        _check(desk, figures, f"{home} at 1280 px")
        shot(desk, f"glance-{name}-ja")
    finally:
        desk.context.close()
    phone = demo_phone_tab(browser, demo_server, account, home, language="en")
    try:
        _check(phone, figures, f"{home} at 390 px")
        # The first figure is in the phone's first screen.
        box = phone.locator(f"#glance-{figures[0]}").bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, box
        shot(phone, f"glance-{name}-phone-en")
    finally:
        phone.context.close()


#: What makes a tab look like a tab, read from the current one.
TAB_STYLE = """() => {
  const tab = document.querySelector('nav.tabs a[aria-current="page"]');
  const style = getComputedStyle(tab);
  return ['border-top-left-radius', 'border-top-color', 'background-color', 'padding-left',
          'font-weight', 'text-decoration-line'].map(name => style.getPropertyValue(name));
}"""


def test_the_workspace_and_the_console_have_one_tab_style(browser: Browser,
                                                          demo_server: LiveServer) -> None:
    """The current tab of the organisation's workspace, of the console and of the wallet is
    drawn alike; on a phone each row of tabs scrolls sideways within the screen."""
    styles = {}
    for account, home in (("issuer@demo.example", "/workspace/hokuto-tech"),
                          ("registry-admin@demo.example", "/console"),
                          ("learner@demo.example", "/wallet")):
        tab = _desk(browser, demo_server, account, home)
        try:
            styles[home] = tab.evaluate(TAB_STYLE)
        finally:
            tab.context.close()
        phone = demo_phone_tab(browser, demo_server, account, home, language="en")
        try:
            assert phone.evaluate("getComputedStyle(document.querySelector('nav.tabs ul'))"
                                  ".overflowX") == "auto", home
            assert_fits_the_screen(phone, f"{home}'s tabs on a phone")
        finally:
            phone.context.close()
    assert len({tuple(style) for style in styles.values()}) == 1, styles
