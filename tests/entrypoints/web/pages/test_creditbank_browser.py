"""The learner's credit bank from the demo on a phone (390 px), in Japanese and English: its
tables stay readable — each scrolls sideways inside its own box rather than squeezing its
columns to a character a line — and the page fits the screen. The registrar's target form
picks a requirement's field of study and its programmes by their names, with and without
JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import (
    SCREENSHOTS,
    assert_accessible_and_fitting,
    demo_phone_tab,
    new_tab,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: The cells of the credit bank's tables squeezed to a few characters a line: three lines or
#: more, with fewer than five characters on each (the text, then its lines and characters).
SQUEEZED = """() => [...document.querySelectorAll('.creditbank-table th, .creditbank-table td')]
  .filter(cell => cell.getClientRects().length > 0)
  .map(cell => {
    const range = document.createRange(); range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    const text = cell.textContent.replace(/\\s+/g, ' ').trim();
    return [text.slice(0, 24), lines, text.length];
  })
  .filter(([text, lines, length]) => lines >= 3 && length / lines < 5)"""


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_credit_banks_tables_are_readable_on_a_phone(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    tab = demo_phone_tab(browser, demo_server, "learner@demo.example", "/wallet/creditbank",
                         language=language)
    try:
        tab.locator("details summary").first.click()  # the ledger's entries, folded
        assert tab.locator(".creditbank-table").count() >= 3
        assert tab.evaluate(SQUEEZED) == []
        assert_accessible_and_fitting(tab, f"creditbank-demo-{language}")
    finally:
        tab.context.close()


#: The registrar's credit bank, where the target form is.
REGISTRAR_HOME = "/workspace/hokuto-tech/creditbank"
#: What the field search is given, and the name of the field it must offer (ISCED-F 0613).
FIELD_SEARCH = {"ja": ("ソフトウェア", "ソフトウェア・アプリケーションの開発と分析"),
                "en": ("software", "Software and applications development and analysis")}


def _registrar_tab(browser: Browser, live: LiveServer, language: str, *, phone: bool) -> Page:
    if phone:
        return demo_phone_tab(browser, live, "registrar@demo.example", REGISTRAR_HOME,
                              language=language)
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB")
    tab.goto(f"{live.url}/sign-in?lang={language}&next={REGISTRAR_HOME}")
    tab.locator("#email").fill("registrar@demo.example")
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.locator("main form").get_by_role("button").first.click()
    tab.wait_for_url(f"**{REGISTRAR_HOME}")
    return tab


@pytest.mark.parametrize(("language", "phone"), [("ja", False), ("en", True)])
def test_the_registrar_picks_a_requirements_field_of_study_by_its_name(
        browser: Browser, demo_server: LiveServer, language: str, phone: bool) -> None:
    """The target form asks for no code: the registrar types part of a field's name, finds
    it and picks it, and the form shows it by its name — with htmx the form is replaced in
    place (the page's address stays; without JavaScript the same steps post the form, as
    test_creditbank's HTTP test shows); at 1280 and 390 px, axe clean, the page no wider
    than the screen."""
    from playwright.sync_api import expect

    search, name = FIELD_SEARCH[language]
    tab = _registrar_tab(browser, demo_server, language, phone=phone)
    what = f"target-form-field-{language}-{'phone' if phone else 'desk'}"
    try:
        tab.locator("#req-field-search-1").fill(search)
        tab.locator("button[name=step][value=field-1]").click()
        pick = tab.locator("button[name=step][value=fieldpick-1-0613]")
        expect(pick).to_contain_text(name)
        # Its ISCED-F code beside its name (issue 54): 選ぶ：名前（0613）.
        expect(pick).to_contain_text("（0613）" if language == "ja" else "(0613)")
        assert_accessible_and_fitting(tab, f"{what}-found")
        pick.click()
        expect(tab.locator("#req-field-chosen-1")).to_contain_text(name)
        expect(tab.locator("#req-field-chosen-1")).to_have_attribute("data-field", "0613")
        assert tab.url.endswith(REGISTRAR_HOME), tab.url
        assert_accessible_and_fitting(tab, f"{what}-chosen")
    finally:
        tab.context.close()


#: What the registry search is given, and the provider each programme found is named with.
PROGRAMME_SEARCH = {"ja": ("データサイエンス", "北都工科大学"),
                    "en": ("data science", "Hokuto Institute of Technology")}


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("phone", [False, True], ids=["1280", "390"])
def test_the_registrar_picks_a_requirements_programmes_by_title_and_provider(
        browser: Browser, demo_server: LiveServer, language: str, phone: bool) -> None:
    """Issue 54: no programme id is typed. The registrar searches the registry by name; each
    programme found is a button naming its title and provider; the one picked is listed by
    its title and provider (its address kept in a hidden field) with a button that takes it
    away; with htmx the form is replaced in place (the page's address stays). At 1280 and
    390 px in both languages, axe clean, no wider than the screen."""
    from playwright.sync_api import expect

    search, provider = PROGRAMME_SEARCH[language]
    tab = _registrar_tab(browser, demo_server, language, phone=phone)
    what = f"target-form-programmes-{language}-{'390' if phone else '1280'}"
    try:
        assert tab.locator("textarea[name=requirement_programmes]").count() == 0
        tab.locator("#req-search-1").fill(search)
        tab.locator("button[name=step][value=search-1]").click()
        picks = tab.locator("#req-programmes-1 button[name=step][value^=pick-1-]",
                            has_text=provider)
        expect(picks.first).to_contain_text(provider)
        assert_accessible_and_fitting(tab, f"{what}-found")
        label = picks.first.inner_text()
        picks.first.click()
        chosen = tab.locator("#req-programmes-1 li[data-programme]")
        expect(chosen).to_have_count(1)
        expect(chosen).to_contain_text(provider)
        name = chosen.locator(".creditbank-chosen-name").inner_text()
        assert name and name in label, (name, label)
        assert "/programmes/" in (chosen.get_attribute("data-programme") or "")
        assert "/programmes/" not in chosen.inner_text()
        assert tab.url.endswith(REGISTRAR_HOME), tab.url
        assert_accessible_and_fitting(tab, f"{what}-chosen")
        tab.locator("#req-programmes-1").screenshot(
            path=str(SCREENSHOTS / f"{what}-picker.png"))
        chosen.get_by_role("button").click()
        expect(tab.locator("#req-programmes-none-1")).to_be_visible()
    finally:
        tab.context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("phone", [False, True], ids=["1280", "390"])
def test_a_refused_target_form_names_its_fields_in_words(
        browser: Browser, demo_server: LiveServer, language: str, phone: bool) -> None:
    """Issue 54: published with a total that is no number and a requirement's credits
    refused, the form comes back (a plain post, no script needed) with a summary whose
    links name each field in words and take the reader to it, the fields marked invalid
    with their fault beside them; no line, pointer or key of the pathway file it made. At
    1280 and 390 px in both languages, axe clean, no wider than the screen."""
    from playwright.sync_api import expect

    tab = _registrar_tab(browser, demo_server, language, phone=phone)
    what = f"target-form-refused-{language}-{'390' if phone else '1280'}"
    try:
        tab.locator("#form-title-ja").fill("却下される目標")
        tab.locator("#form-title-en").fill("A refused target")
        tab.locator("#form-total").fill("x")
        tab.locator("#req-ja-1").fill("基礎")
        tab.locator("#req-en-1").fill("Basics")
        tab.locator("#req-min-1").fill("abc")
        tab.locator("#target-form .form-actions button:not([name])").click()
        summary = tab.locator("#publish-form-error")
        expect(summary).to_be_visible()
        text = summary.inner_text()
        for forbidden in ("target-form.yaml", "/total", "/requirements", "credits/min"):
            assert forbidden not in text, (forbidden, text)
        expect(summary.locator("a")).to_have_count(2)
        expect(tab.locator("#form-total")).to_have_attribute("aria-invalid", "true")
        expect(tab.locator("#req-min-1")).to_have_attribute("aria-invalid", "true")
        expect(tab.locator("#form-total-error")).to_be_visible()
        assert_accessible_and_fitting(tab, what)
        summary.locator("a[href='#req-min-1']").click()
        assert tab.url.endswith("#req-min-1"), tab.url
        expect(tab.locator("#req-min-1")).to_be_in_viewport()
    finally:
        tab.context.close()
