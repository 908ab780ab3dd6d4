"""The registry's pages in a real browser: search, facets, comparison, languages, keyboard.

Chromium (Debian package ``chromium``) driven by Playwright against a live server on SQLite
with the demo data loaded before it starts. Screenshots of the search, programme, provider
and comparison pages in Japanese and English go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.accounts import published_ids
from tests.conftest import LiveServer, serve, wait_until
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    assert_pages_fit_a_phone,
    choose_language,
    new_tab,
    phone_tab,
    shot,
)
from tests.entrypoints.web.pages.test_registry import load_demo

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    """The demo data on SQLite, then the server (the browser tests need no second database),
    shared by the module's tests: they only read (a comparison lives in the address)."""
    load_demo(browser_store)
    yield from serve(browser_store)


@pytest.fixture(scope="module")
def ids(live: LiveServer) -> dict[str, int]:
    """Programme ids by code."""
    return published_ids(live.settings)


def focused(page: Page) -> str:
    found: str = page.evaluate(
        "document.activeElement?.id || document.activeElement?.tagName || ''")
    return found


def tab_until(page: Page, predicate: str, *, limit: int = 400) -> None:
    """Press Tab until ``predicate`` (JavaScript, about ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => Boolean({predicate}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def settled(page: Page) -> None:
    """Wait until htmx has no request running and has settled the swap."""
    wait_until(page,
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")


def result_titles(page: Page) -> list[str]:
    titles: list[str] = page.locator(".result__title a").all_inner_texts()
    return titles


def status(page: Page) -> str:
    text: str = page.locator("#search-status").inner_text()
    return text


# --- search ---------------------------------------------------------------------------


def test_search_in_japanese_filter_by_a_facet_and_switch_language(
        live: LiveServer, ids: dict[str, int], page: Page) -> None:
    """半導体 finds the semiconductor programmes; a facet narrows them in place; English keeps
    the query."""
    from playwright.sync_api import expect

    page.goto(live.url + "/search")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_label("キーワード").fill("半導体")
    page.get_by_role("button", name="検索", exact=True).click()
    page.wait_for_url(re.compile(r".*/search\?q=%E5%8D%8A%E5%B0%8E%E4%BD%93.*"))
    settled(page)
    titles = result_titles(page)
    assert titles and "半導体" in titles[0], "title matches come first"
    total = int(re.sub(r"\D", "", status(page)))
    assert total >= 5 and "件見つかりました" in status(page)
    shot(page, "search-ja")

    delivery = page.get_by_role("group", name="授業の方法")
    delivery.get_by_label(re.compile("^オンライン")).check()
    page.wait_for_url(re.compile(r".*delivery_mode=online.*"))
    settled(page)
    expect(page.locator("#search-status")).not_to_have_text(f"{total} 件見つかりました")
    narrowed = int(re.sub(r"\D", "", status(page)))
    assert 0 < narrowed < total
    assert page.get_by_role("group", name="授業の方法").get_by_label(
        re.compile("^オンライン")).is_checked()
    assert page.locator("#search-status").get_attribute("role") == "status"
    shot(page, "search-filtered-ja")

    choose_language(page, "English")
    page.wait_for_url(re.compile(r".*lang=en.*"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "delivery_mode=online" in page.url and "q=" in page.url
    assert page.get_by_label("Keywords").input_value() == "半導体"
    assert page.get_by_role("group", name="Delivery").get_by_label(
        re.compile("^Online")).is_checked()
    assert int(re.sub(r"\D", "", status(page))) == narrowed
    shot(page, "search-en")


def test_open_a_result_add_to_comparison_and_compare(
        live: LiveServer, ids: dict[str, int], page: Page) -> None:
    """Search → programme → add → search again with the choice kept → compare two."""
    page.goto(live.url + "/search?q=データ")
    settled(page)
    first_title = result_titles(page)[0]
    page.locator(".result__title a").first.click()
    page.wait_for_url(re.compile(r".*/programmes/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == first_title
    shot(page, "programme-ja")
    first_id = int(page.url.rsplit("/", 1)[1])

    page.get_by_role("button", name="このプログラムを比較に追加").click()
    page.wait_for_url(f"**/compare?ids={first_id}")
    assert page.locator("#compare-table thead th.compare__programme").count() == 1
    page.get_by_role("link", name="プログラムを追加する").click()
    page.wait_for_url(re.compile(r".*/search\?compare=\d+"))

    page.get_by_label("キーワード").fill("セキュリティ")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*q=.*"))
    settled(page)
    assert "compare=" in page.url, "the choice travels with the search"
    second = page.locator(".result").first
    second_title = second.locator(".result__title a").inner_text()
    second.get_by_label(re.compile("^比較")).check()
    page.get_by_role("button", name="選んだプログラムを比較").click()
    page.wait_for_url(re.compile(r".*/compare\?.*"))
    assert page.locator("#compare-table thead th.compare__programme").count() == 2
    shown = page.locator("#compare-table thead th.compare__programme").all_inner_texts()
    # In the order of the form: results as listed, earlier choices not listed first.
    assert sorted(t.split("\n", 1)[0] for t in shown) == sorted([first_title, second_title])
    assert page.locator("#r-title .differs-mark").inner_text() == "≠ 違いあり"
    assert page.locator("#r-title th").get_attribute("aria-describedby") == "differs-note"
    shot(page, "compare-ja")

    choose_language(page, "English")
    page.wait_for_url(re.compile(r".*lang=en.*"))
    assert page.locator("#r-title .differs-mark").inner_text() == "≠ Differs"
    assert page.locator("#compare-summary").inner_text().startswith("The programmes differ in")
    shot(page, "compare-en")
    page.get_by_role("link", name="Show only the rows that differ").click()
    page.wait_for_url(re.compile(r".*diff=1.*"))
    assert page.locator("#compare-table tr.compare__row:not(.compare__row--differs)").count() == 0


def test_keyboard_only_search_filter_and_open_a_result(live: LiveServer,
                                                       ids: dict[str, int],
                                                       page: Page) -> None:
    """Tab to the search box, type, Enter; Tab to a facet, Space; Tab to a result, Enter."""
    page.goto(live.url + "/search")
    tab_until(page, "el.id === 'q'")
    page.keyboard.type("データ")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*q=.*"))
    settled(page)
    before = status(page)

    tab_until(page, "el.type === 'checkbox' && el.closest('.facets')")
    box = focused(page)
    page.keyboard.press("Space")
    wait_until(page, f"() => location.search.includes('=') && "
                           f"document.getElementById('{box}')?.checked === true")
    settled(page)
    assert focused(page) == box, "focus stays on the checkbox htmx swapped in again"
    assert status(page) != before or page.locator(f"#{box}").is_checked()
    shot(page, "search-keyboard-ja", full_page=False)

    page.keyboard.press("Space")
    wait_until(page, f"() => document.getElementById('{box}')?.checked === false")
    settled(page)
    tab_until(page, "el.matches('.result__title a')")
    title = page.evaluate("document.activeElement.innerText")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/programmes/\d+.*"))
    assert page.get_by_role("heading", level=1).inner_text() == title


def test_search_works_without_javascript(live: LiveServer, ids: dict[str, int],
                                         browser: Browser) -> None:
    """Submit, tick a facet, apply, next page and compare are plain GET forms and links."""
    tab = new_tab(browser, locale="en-GB", javascript=False)
    try:
        tab.goto(live.url + "/search")
        tab.get_by_label("Keywords").fill("data")
        tab.get_by_role("button", name="Search", exact=True).click()
        tab.wait_for_url(re.compile(r".*q=data.*"))
        total = int(re.sub(r"\D", "", tab.locator("#search-status").inner_text()))
        assert total > 0
        tab.get_by_role("group", name="Delivery").get_by_label(re.compile("^Online")).check()
        tab.get_by_role("button", name="Apply filters").click()
        tab.wait_for_url(re.compile(r".*delivery_mode=online.*"))
        assert int(re.sub(r"\D", "", tab.locator("#search-status").inner_text())) <= total
        tab.goto(live.url + "/search?limit=3")
        tab.get_by_role("link", name="Next page").click()
        tab.wait_for_url(re.compile(r".*after=.*"))
        assert tab.locator(".result").count() == 3
        boxes = tab.locator(".result__compare input")
        boxes.nth(0).check()
        boxes.nth(1).check()
        tab.get_by_role("button", name="Compare the chosen programmes").click()
        tab.wait_for_url(re.compile(r".*/compare\?ids=\d+&ids=\d+"))
        assert tab.locator("#compare-table thead th.compare__programme").count() == 2
    finally:
        tab.context.close()


# --- providers, programmes and the comparison without search ---------------------------


def test_provider_page_to_comparison_with_the_keyboard(live: LiveServer, ids: dict[str, int],
                                                       page: Page) -> None:
    """Tick two programmes with Space, submit with Enter: their comparison opens."""
    page.goto(live.url + "/providers/hokuto-tech")
    assert page.get_by_role("heading", level=1).inner_text() == "北都工科大学"
    shot(page, "provider-ja")
    tab_until(page, "el.type === 'checkbox'")
    page.keyboard.press("Space")
    tab_until(page, "el.type === 'checkbox'")
    page.keyboard.press("Space")
    tab_until(page, "el.type === 'submit' && el.closest('form')?.action.endsWith('/compare')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/compare\?ids=\d+&ids=\d+"))
    assert page.locator("#compare-table thead th.compare__programme").count() == 2
    page.goto(live.url + "/providers/hokuto-tech?lang=en")
    shot(page, "provider-en")


def test_programme_pages_build_a_comparison_of_four(live: LiveServer, ids: dict[str, int],
                                                    page: Page) -> None:
    """From one programme page to the next, "add" grows the comparison to four columns."""
    codes = ["HIT-DS-01", "DLA-DS-01", "UTS-MC-DA01", "SKU-OW-02"]
    page.goto(live.url + f"/programmes/{ids[codes[0]]}?lang=en")
    shot(page, "programme-en")
    page.get_by_role("button", name="Add this programme to the comparison").click()
    for code in codes[1:]:
        chosen = page.url.split("ids=", 1)[1]
        page.goto(live.url + f"/programmes/{ids[code]}?compare={chosen}")
        page.get_by_role("button", name=re.compile("Add to the comparison")).click()
        page.wait_for_url(re.compile(r".*/compare\?ids=.*"))
    assert page.locator("#compare-table thead th.compare__programme").count() == 4
    assert page.get_by_role("link", name="Add a programme").count() == 0
    assert page.locator("#e-hours").inner_text().count("hours") == 4
    shot(page, "compare-four-en")
    page.goto(page.url.replace("lang=en", "") + "&lang=ja")
    shot(page, "compare-four-ja")


def test_registry_pages_fit_a_phone_screen(live: LiveServer, ids: dict[str, int],
                                           browser: Browser) -> None:
    """At 390 px nothing but the labelled table regions scrolls sideways."""
    pair = f"{ids['HIT-DS-01']},{ids['DLA-DS-01']}"
    assert_pages_fit_a_phone(browser, live.url, [
        ("/search?q=データ", "search-phone-ja"), ("/providers/hokuto-tech", "provider-phone-ja"),
        (f"/compare?ids={pair}", "compare-phone-ja")])


def test_on_a_phone_the_first_result_is_near_the_top(live: LiveServer, ids: dict[str, int],
                                                     browser: Browser) -> None:
    """At 390 px the facets are folded behind a button (a <details>), so the first result of
    データ is on the first screen (it was 4,048 px down); the button unfolds them, without
    JavaScript too; axe-core finds nothing and the page fits."""
    for javascript in (True, False):
        tab = phone_tab(browser) if javascript else new_tab(
            browser, javascript=False, width=390, height=844)
        try:
            tab.goto(live.url + "/search?q=データ")
            first = tab.locator(".result").first.bounding_box()
            assert first is not None and first["y"] < 844, first
            assert not tab.get_by_role("group", name="授業の方法").is_visible()
            tab.locator(".facets-fold__toggle").click()
            assert tab.get_by_role("group", name="授業の方法").is_visible()
            if javascript:
                assert_accessible_and_fitting(tab, "search-phone-folded-ja")
        finally:
            tab.context.close()


def test_search_runs_under_the_pages_content_security_policy(live: LiveServer,
                                                             ids: dict[str, int],
                                                             page: Page) -> None:
    """Searching, filtering, sorting and paging with htmx break no rule of the page's policy
    (htmx's indicator styles are off: no inline style)."""
    page.add_init_script("""window.__violations = [];
        document.addEventListener('securitypolicyviolation',
            e => window.__violations.push(e.violatedDirective + ' ' + (e.sample || '')));""")
    page.goto(live.url + "/search?q=データ")
    page.get_by_role("group", name="授業の方法").get_by_label(re.compile("^オンライン")).check()
    page.wait_for_url(re.compile(r".*delivery_mode=online.*"))
    settled(page)
    page.locator("#sort").select_option(index=1)
    settled(page)
    assert page.evaluate("window.__violations") == []
