"""The pages in a real browser: language switch, htmx "show more", keyboard, small screens,
the programme's ELM dataset for the EU's Register (or why it is not one).

Chromium (Debian package ``chromium``) driven by Playwright against one live server on SQLite
for the module, seeded once through the JSON API (the tests only read). Screenshots go to
``test-artifacts/screenshots/`` for review.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.conftest import LiveServer, operator_client, serve, wait_until
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    assert_pages_fit_a_phone,
    axe_violations,
    choose_language,
    demo_phone_tab,
    new_tab,
    shot,
)
from tests.entrypoints.web.pages.test_programmes import Registry, seed

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: Twenty-three programmes: one more page than the list's twenty rows.
VARIANTS = 20


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    """A live server on SQLite (the browser tests need no second database)."""
    yield from serve(browser_store)


@pytest.fixture(scope="module")
def registry(live: LiveServer) -> Registry:
    with operator_client(live, timeout=30) as client:
        return seed(client, variants=VARIANTS)


def rows(page: Page) -> int:
    count: int = page.locator("#programme-rows > tr").count()
    return count


def test_a_visitor_switches_language_loads_more_rows_and_reads_a_programme(
        live: LiveServer, registry: Registry, page: Page) -> None:
    """Home in Japanese → English → list → htmx appends the next rows → programme matrix."""
    from playwright.sync_api import expect

    page.goto(live.url + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("#stat-programmes").inner_text() == str(3 + VARIANTS)
    shot(page, "home-ja")

    choose_language(page, "English")
    page.wait_for_url("**/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Micro-credentials")
    shot(page, "home-en")

    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Programmes").click()
    page.wait_for_url("**/programmes")
    assert page.locator("html").get_attribute("lang") == "en", "the cookie keeps English"
    assert rows(page) == 20
    shot(page, "programmes-en", full_page=False)

    page.get_by_role("link", name="Show the next page").click()
    wait_until(page, "document.querySelectorAll('#programme-rows > tr').length === 23")
    assert page.url == live.url + "/programmes", "htmx appends; the page stays"
    # The status message and the focus are applied when htmx settles, a moment after the
    # rows are in: wait for them rather than read them at once.
    expect(page.locator("#list-status")).to_have_text("3 more programmes shown.")
    expect(page.get_by_role("link", name="Show the next page")).to_have_count(0)
    wait_until(page, "document.activeElement?.closest('tr')?.rowIndex === 21")
    shot(page, "programmes-more-en")

    page.get_by_role("link", name="Introduction to data use").click()
    page.wait_for_url(f"**/programmes/{registry.ids['DX-101']}")
    assert page.get_by_role("heading", level=1).inner_text() == "Introduction to data use"
    matrix = page.get_by_role("table", name="What each framework asks of each descriptor "
                                            "(required, optional, not listed) and whether it "
                                            "is stated")
    matrix.scroll_into_view_if_needed()
    assert matrix.is_visible()
    assert matrix.locator("tbody tr").count() == 23
    shot(page, "programme-en")

    page.goto(live.url + f"/programmes/{registry.ids['SEM-2025']}?lang=ja")
    assert page.get_by_text("マイクロクレデンシャルではありません").first.is_visible()
    shot(page, "programme-not-a-micro-credential-ja")
    page.goto(live.url + "/profiles")
    shot(page, "profiles-ja")


def test_keyboard_tab_reaches_the_skip_link_first_and_enter_moves_focus_to_main(
        live: LiveServer, registry: Registry, page: Page) -> None:
    """The first Tab shows the skip link; Enter puts focus on <main>."""
    page.goto(live.url + f"/programmes/{registry.ids['DX-101']}")
    page.keyboard.press("Tab")
    skip = page.evaluate("[document.activeElement.className, document.activeElement.innerText]")
    assert skip == ["skip-link", "本文へ移動"]
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is on screen"
    shot(page, "skip-link-focused", full_page=False)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    inside = page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert inside, "the next Tab continues inside the main content"


def test_the_list_pages_on_without_javascript(live: LiveServer, registry: Registry,
                                              browser: Browser) -> None:
    """With JavaScript off, the same link goes to the next page (keyset: after=<last id>)."""
    tab = new_tab(browser, locale="en-GB", javascript=False, height=720)
    try:
        tab.goto(live.url + "/programmes")
        assert tab.locator("#programme-rows > tr").count() == 20
        tab.get_by_role("link", name="Show the next page").click()
        tab.wait_for_url("**/programmes?after=*")
        assert tab.locator("#programme-rows > tr").count() == 3
        tab.get_by_role("combobox", name="Provider").select_option("sakura-university")
        tab.get_by_role("button", name="Apply").click()
        tab.wait_for_url("**/programmes?provider=sakura-university")
        assert tab.locator("#programme-rows > tr").count() == 1
    finally:
        tab.context.close()


def test_pages_fit_a_phone_screen(live: LiveServer, registry: Registry, browser: Browser
                                  ) -> None:
    """At 390 px wide nothing but the labelled table regions scrolls sideways."""
    assert_pages_fit_a_phone(browser, live.url, [
        ("/", "home-phone-ja"), ("/programmes", "programmes-phone-ja"),
        (f"/programmes/{registry.ids['DX-101']}", "programme-phone-ja")])


#: What the Register's reasons must not show a reader: a code such as ``no_level``.
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
SAID = {"ja": "資格レベルの記載がなく", "en": "states no qualification level"}
REGISTER_LINK = {"ja": "欧州の資格データセット登録簿向け ELM データセット",
                 "en": "ELM dataset for the EU's Qualification Dataset Register"}


@pytest.mark.parametrize("width", [PHONE["width"], 1280], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_programme_links_its_register_dataset_or_says_why_the_register_would_not_take_it(
        live: LiveServer, registry: Registry, browser: Browser, language: str, width: int
) -> None:
    """DX-101 (EQF 5, MQF 4): its Register link, followed, gives the ELM dataset as JSON.
    GAI-01 states no level: no such link, and the reason in the reader's words, no code.
    axe-core finds nothing serious on either page, and both fit the screen."""
    from playwright.sync_api import expect

    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", width=width,
                  height=PHONE["height"] if width == PHONE["width"] else 900)
    try:
        kept = registry.ids["DX-101"]
        tab.goto(f"{live.url}/programmes/{kept}?lang={language}")
        assert tab.locator("html").get_attribute("lang") == language
        link = tab.get_by_role("link", name=REGISTER_LINK[language], exact=True)
        expect(link).to_have_attribute("href", f"/api/programmes/{kept}/elm?profile=register")
        link.scroll_into_view_if_needed()
        expect(link).to_be_visible()
        expect(tab.locator("#elm-register")).to_have_count(0)
        assert_accessible_and_fitting(tab, f"programme-register-{language}-{width}")
        with tab.expect_response(f"**/api/programmes/{kept}/elm?profile=register") as answer:
            link.click()
        response = answer.value
        assert response.status == 200
        assert response.headers["content-type"].startswith("application/ld+json")
        dataset = json.loads(response.body())
        assert isinstance(dataset, dict) and dataset, "a JSON object, not empty"

        left = registry.ids["GAI-01"]
        tab.goto(f"{live.url}/programmes/{left}?lang={language}")
        expect(tab.get_by_role("link", name=REGISTER_LINK[language], exact=True)
               ).to_have_count(0)
        expect(tab.locator(f'a[href="/api/programmes/{left}/elm"]')).to_have_count(1)
        reasons = tab.get_by_role("list", name=tab.locator("#elm-register").inner_text())
        reasons.scroll_into_view_if_needed()
        expect(reasons).to_be_visible()
        said = " ".join(tab.locator("#elm-register").inner_text().split()
                        + reasons.inner_text().split())
        assert SAID[language] in said
        assert CODE.findall(said) == [], f"internal codes shown: {said}"
        assert_accessible_and_fitting(tab, f"programme-register-left-out-{language}-{width}")
    finally:
        tab.context.close()


#: The programme tables: the registry's list, a provider's page, the provider's own list in
#: the editor (the demo's provider administrator).
PROGRAMME_TABLES = ("/programmes", "/providers/hokuto-tech", "/workspace/hokuto-tech/programmes")

#: For each row of the page's programme table: its height, and the most blank space in any of
#: its cells (the cell's height less its content's, less its padding).
_ROWS = """() => [...document.querySelectorAll('table.stack-cards tbody tr')].map(row => ({
    height: row.getBoundingClientRect().height,
    right: row.getBoundingClientRect().right,
    blank: Math.max(...[...row.children].map(cell => {
        const content = document.createRange();
        content.selectNodeContents(cell);
        const style = getComputedStyle(cell);
        return cell.getBoundingClientRect().height - content.getBoundingClientRect().height
            - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom); })) }))"""


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_programme_tables_are_cards_on_a_phone(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    """At 390 px each programme of the registry's list, a provider's page and the editor's
    list is a card headed by its title, each fact beside its column's name: nothing scrolls
    sideways, not even inside the table's box, no cell holds blank space (a row was ~450 px
    of it in the editor's list, the narrowest cell's words a character a line) and no card is
    taller than its facts. At 1280 px the same pages are tables with their column heads."""
    tab = demo_phone_tab(browser, demo_server, "provider-admin@demo.example",
                         PROGRAMME_TABLES[-1], language=language)
    try:
        for path in PROGRAMME_TABLES:
            tab.goto(f"{demo_server.url}{path}?lang={language}")
            assert tab.evaluate("""document.documentElement.scrollWidth
                - document.documentElement.clientWidth""") <= 0, path
            region = tab.locator(".table-scroll:has(> table.stack-cards)")
            assert region.evaluate("r => r.scrollWidth - r.clientWidth") <= 0, path
            found = tab.evaluate(_ROWS)
            assert len(found) >= 5, (path, found)
            for row in found:
                assert row["right"] <= PHONE["width"], (path, row)
                # A cell's blank is at most a line beside a two-line name.
                assert row["blank"] < 32, (path, row)
                # A card is as tall as its facts: the next card's title on the same screen.
                assert row["height"] < 0.6 * PHONE["height"], (path, row)
            # The title heads the card; the facts are named.
            first = tab.locator("table.stack-cards tbody tr").first
            assert first.locator("th").evaluate(
                "th => th.getBoundingClientRect().top <= Math.min(...[...th.parentElement"
                ".children].map(c => c.getBoundingClientRect().top))")
            labels = first.locator("td[data-label]").evaluate_all(
                "cells => cells.map(c => getComputedStyle(c, '::before').content)")
            assert labels and all(label not in {"none", '""'} for label in labels), labels
            assert axe_violations(tab) == [], path
            shot(tab, "54-programme-cards" + path.replace("/", "-") + f"-{language}-390",
                 full_page=False)
        tab.set_viewport_size({"width": 1280, "height": 900})
        for path in PROGRAMME_TABLES:
            tab.goto(f"{demo_server.url}{path}?lang={language}")
            assert tab.locator("table.stack-cards td").first.evaluate(
                "td => getComputedStyle(td).display") == "table-cell", path
            assert tab.locator("table.stack-cards thead th").first.is_visible(), path
    finally:
        tab.context.close()
