"""The programme editor in a real browser: a provider admin signs in, creates a programme,
watches the conformance matrix change as they type (htmx), saves a draft, publishes it,
makes a new version and reads the diff; an import's report of bad rows is read in Japanese
on a phone; axe-core finds nothing serious or critical on the editor's pages, and the form
fits a phone's screen.

Chromium (Debian package ``chromium``) driven by Playwright against the live server of
:mod:`tests.entrypoints.web.pages.test_editor_pages`. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_fits_the_screen,
    axe_violations,
    demo_phone_tab,
    new_tab,
    phone_tab,
    shot,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_editor_pages import ADMIN, BASE, live

__all__ = ["live"]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def assert_accessible(tab: Page, what: str) -> None:
    found = axe_violations(tab)
    assert found == [], f"{what}: {found}"


def test_a_provider_admin_writes_checks_publishes_and_versions_a_programme(
        browser: Browser, live: LiveServer) -> None:
    from playwright.sync_api import expect

    tab = new_tab(browser, locale="en-GB")
    try:
        sign_in_through_form(tab, live.url, ADMIN, BASE + "/new")
        assert_accessible(tab, "the new programme form")
        verdict = tab.locator("#conformance li[data-profile=jp-mc]")
        expect(verdict).to_have_attribute("data-verdict", "not-a-micro-credential")
        tab.locator("#f-code").fill("BROWSER-1")
        tab.locator("#f-title-ja").fill("ブラウザで作るプログラム")
        tab.locator("#f-title-en").fill("A programme made in the browser")
        tab.locator("#f-description-ja").fill("社会人向けの短期プログラム。")
        tab.locator("#f-description-en").fill("A short programme for working adults.")
        # Choosing an assessment makes it a micro-credential: the matrix follows (htmx).
        tab.locator("#f-assessment-methods-examination").check()
        expect(verdict).to_have_attribute("data-verdict", "does-not-conform", timeout=10_000)
        qa_row = tab.locator("#conformance tr[data-key=quality_assurance]")
        expect(qa_row).to_contain_text("missing")
        tab.locator("#f-quality_assurance-0-kind").select_option("internal")
        tab.locator("#f-quality_assurance-0-scope").select_option("programme")
        expect(qa_row).not_to_contain_text("missing", timeout=10_000)
        tab.locator("#f-learner_effort-hours").fill("ninety")
        tab.locator("#f-learning_outcomes-0-statement-ja").fill("データを説明できる。")
        tab.locator("#f-learning_outcomes-0-statement-en").fill("Explain data.")
        shot(tab, "editor-new-typing-en")
        tab.locator("#editor-save").click()
        # Refused beside the field, nothing lost.
        expect(tab.locator("#f-learner_effort-hours-problem")).to_contain_text("Enter a number")
        expect(tab.locator("#f-title-en")).to_have_value("A programme made in the browser")
        assert_accessible(tab, "the form with an error")
        tab.locator("#f-learner_effort-hours").fill("90")
        tab.locator("#editor-save").click()
        expect(tab.locator("#editor-done")).to_contain_text("saved as a draft")
        expect(tab.locator("#editor-version")).to_have_attribute("data-status", "draft")
        assert_accessible(tab, "the saved draft")
        tab.locator("#editor-publish").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("Publish version 1?")
        assert_accessible(tab, "the publishing confirmation")
        tab.locator("#publish-confirmed").click()
        expect(tab.locator("#editor-done")).to_have_text("✓ Published.")
        expect(tab.locator("#editor-version")).to_have_attribute("data-status", "published")
        shot(tab, "editor-published-en")
        # A new version of the published programme.
        tab.locator("#f-learner_effort-hours").fill("120")
        tab.locator("#editor-save").click()
        expect(tab.locator("#editor-done")).to_contain_text("new version")
        expect(tab.locator("#editor-version")).to_have_attribute("data-version", "2")
        tab.get_by_role("link", name="History").first.click()
        assert_accessible(tab, "the history")
        tab.locator("#show-diff").click()
        changed = tab.locator("tr[data-kind=changed]")
        expect(changed).to_have_count(1)
        expect(changed).to_contain_text("90")
        expect(changed).to_contain_text("120")
        assert_accessible(tab, "the diff")
        shot(tab, "editor-diff-en")
    finally:
        tab.context.close()


def test_the_editor_fits_a_phone(browser: Browser, live: LiveServer) -> None:
    tab = phone_tab(browser)
    try:
        sign_in_through_form(tab, live.url, ADMIN, BASE + "/new")
        assert_fits_the_screen(tab, "the editor on a phone")
        shot(tab, "editor-new-phone-ja")
        tab.goto(live.url + BASE)
        assert_fits_the_screen(tab, "the programme list on a phone")
        assert_accessible(tab, "the programme list")
    finally:
        tab.context.close()


def test_an_imports_japanese_report_is_read_on_a_phone_with_the_keyboard(
        browser: Browser, live: LiveServer, tmp_path: Path) -> None:
    """A CSV with bad cells is chosen (the one step for the mouse) and sent with the
    keyboard; the report names each row and column in Japanese words, fits the phone, and
    axe finds nothing serious on it."""
    from playwright.sync_api import expect

    bad = tmp_path / "programmes.csv"
    bad.write_text("code,title.ja,learner_effort.hours\nPH-1,一,-5\nPH-2,二,たくさん\n",
                   encoding="utf-8")
    tab = phone_tab(browser)
    try:
        sign_in_through_form(tab, live.url, ADMIN, BASE + "/import")
        tab.locator("#import-file").set_input_files(str(bad))
        tab.locator("#import-file").focus()
        for _ in range(10):
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.id") == "import-submit":
                break
        tab.keyboard.press("Enter")
        expect(tab.locator("#import-error")).to_contain_text("何も取り込んでいません")
        rows = tab.locator("tr[data-row]")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("2 行目")
        expect(rows.nth(0)).to_contain_text("0 より大きい値にしてください")
        expect(rows.nth(1)).to_contain_text("数値で書いてください")
        assert_accessible(tab, "the import's report in Japanese")
        assert_fits_the_screen(tab, "the import's report on a phone")
        shot(tab, "editor-import-report-phone-ja")
    finally:
        tab.context.close()


#: The demo's first programme's edit page.
DEMO_EDITOR = "/workspace/hokuto-tech/programmes/30/edit"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_conformance_table_is_whole_on_a_phone(
        browser: Browser, demo_server: LiveServer, language: str) -> None:
    """At 390 px the editor's conformance table is not cut at the right: each descriptor is
    a block with a row per framework, each named, inside the width of its section."""
    tab = demo_phone_tab(browser, demo_server, "provider-admin@demo.example", DEMO_EDITOR,
                         language=language)
    try:
        section = tab.locator("#conformance").bounding_box()
        table = tab.locator("#conformance table")
        box = table.bounding_box()
        assert section and box
        assert box["x"] + box["width"] <= section["x"] + section["width"] + 1, box
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
        first = tab.locator("#conformance tbody tr").first.locator("td")
        names = first.evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert len(names) == 5 and all(name not in {"none", '""'} for name in names), names
        # "必須", "選択" and "記載あり" each one line high (under 2.2 em): the framework's name
        # wraps instead.
        lines = tab.locator("#conformance td > .req, #conformance td > .state").evaluate_all(
            """marks => marks.map(mark => { const text = document.createRange();
                text.selectNodeContents(mark); return text.getBoundingClientRect().height
                / parseFloat(getComputedStyle(mark).fontSize); })""")
        assert lines and max(lines) < 2.2, lines
        assert_fits_the_screen(tab, DEMO_EDITOR)
        assert axe_violations(tab) == []
        shot(tab, f"editor-demo-{language}")
    finally:
        tab.context.close()


def _demo_editor(browser: Browser, demo_server: LiveServer, language: str, width: int
                 ) -> Page:
    if width == PHONE["width"]:
        # A person who asked for less motion: each of the 28 taps lands at once, where the
        # smooth scroll made Playwright wait for it (with a settled page) before every next
        # step: 39 s of 72 s at load 20. Where a tap leads is the same either way; the
        # smooth scroll itself is still taken at 1280 px.
        return demo_phone_tab(browser, demo_server, "provider-admin@demo.example",
                              DEMO_EDITOR, language=language, reduced_motion="reduce")
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", width=width)
    tab.goto(f"{demo_server.url}/sign-in?lang={language}&next={DEMO_EDITOR}")
    tab.locator("#email").fill("provider-admin@demo.example")
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.locator("main form").get_by_role("button").first.click()
    tab.wait_for_url(f"**{DEMO_EDITOR}")
    return tab


_IN_VIEW = """selector => { const r = document.querySelector(selector).getBoundingClientRect();
    return r.top >= -1 && r.bottom <= window.innerHeight + 1 && r.height > 0; }"""


def _in_view(tab: Page, selector: str) -> bool:
    """The element is wholly on the screen (not above it, not below it)."""
    return bool(tab.evaluate(_IN_VIEW, selector))


def _comes_into_view(tab: Page, selector: str) -> None:
    """The element is brought wholly onto the screen (the page scrolls there, smoothly
    unless the tab asked for reduced motion)."""
    tab.wait_for_function(_IN_VIEW, arg=selector, timeout=5_000)


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_editors_index_reaches_every_section_in_one_tap(
        browser: Browser, demo_server: LiveServer, language: str, width: int) -> None:
    """The index of sections lists every section with its state; from it, one tap (a click
    at 1280 px) brings each section's heading onto the screen. On a wide screen the index
    stays in view beside the form; on a phone every section has a link back to it, and the
    whole index fits on the screen."""
    tab = _demo_editor(browser, demo_server, language, width)
    try:
        links = tab.locator("#editor-index a")
        keys = [key.removeprefix("i-") for key in links.evaluate_all(
            "links => links.map(a => a.id)")]
        assert keys == [key.removeprefix("s-") for key in tab.locator(
            "fieldset.editor-section").evaluate_all("sections => sections.map(s => s.id)")]
        assert len(keys) == 14
        states = links.evaluate_all("links => links.map(a => a.dataset.state)")
        assert set(states) <= {"complete", "empty"} and "complete" in states, states
        tab.locator("#editor-index").scroll_into_view_if_needed()
        _comes_into_view(tab, "#editor-index")
        index = tab.locator("#editor-index").bounding_box()
        assert index and index["height"] <= tab.viewport_size["height"], index  # type: ignore[index]
        phone = width == PHONE["width"]
        for key in keys:
            # Each link on the screen before it is tapped: the whole index on a phone (it is
            # where "back to the sections" leads), the index beside the form otherwise.
            assert _in_view(tab, f"#i-{key}"), key
            if phone:
                tab.locator(f"#i-{key}").tap()
            else:
                tab.locator(f"#i-{key}").click()
            tab.wait_for_function(f"location.hash === '#s-{key}'")
            _comes_into_view(tab, f"#s-{key} > legend")
            if phone:
                up = tab.locator(f"#s-{key} .editor-section__up")
                up.scroll_into_view_if_needed()
                up.tap()
                _comes_into_view(tab, "#i-basics")
        tab.evaluate("window.scrollTo(0, 0)")
        assert_fits_the_screen(tab, "the editor with its index")
        assert axe_violations(tab) == []
        shot(tab, f"editor-index-{language}-{width}", full_page=False)
    finally:
        tab.context.close()


@pytest.mark.parametrize(("language", "width"), [("ja", PHONE["width"]), ("en", 1280)])
def test_saving_one_section_keeps_the_others(
        browser: Browser, live: LiveServer, language: str, width: int) -> None:
    """Typing in two sections and saving one: the message names it, the index shows it
    saved and the other unsaved with what was typed still there; loaded again, the saved
    section holds its new words and the other what was stored before."""
    from playwright.sync_api import expect

    code = f"IDX-{language}-{width}"
    options: dict[str, object] = ({"is_mobile": True, "has_touch": True,
                                   "height": PHONE["height"]} if width == PHONE["width"] else {})
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", width=width,
                  **options)
    try:
        sign_in_through_form(tab, live.url, ADMIN, BASE + "/new")
        tab.locator("#f-code").fill(code)
        tab.locator("#f-title-ja").fill("項目ごとに保存する")
        tab.locator("#f-title-en").fill("Saved a section at a time")
        tab.locator("#save-basics").click()
        expect(tab.locator("#editor-done")).to_have_attribute("data-section", "basics")
        expect(tab.locator("#i-basics")).to_have_attribute("data-state", "complete")
        expect(tab.locator("#editor-version")).to_have_attribute("data-status", "draft")
        edit = tab.url.partition("?")[0]
        tab.locator("#f-learning_outcomes-0-statement-ja").fill("データを説明できる。")
        tab.locator("#f-learning_outcomes-0-statement-en").fill("Explain data.")
        tab.locator("#f-price-amount").fill("5000")
        tab.locator("#f-price-currency").fill("JPY")
        tab.locator("#save-outcomes").click()
        done = tab.locator("#editor-done")
        expect(done).to_have_attribute("data-section", "outcomes")
        expect(done).to_contain_text("「学修成果」を保存しました。" if language == "ja"
                                     else "“Learning outcomes” is saved.")
        expect(tab.locator("#i-outcomes")).to_have_attribute("data-state", "complete")
        expect(tab.locator("#i-price")).to_have_attribute("data-state", "unsaved")
        expect(tab.locator("#f-price-amount")).to_have_value("5000")
        assert axe_violations(tab) == []
        shot(tab, f"editor-section-saved-{language}-{width}", full_page=False)
        tab.goto(edit)
        expect(tab.locator("#f-learning_outcomes-0-statement-en")).to_have_value(
            "Explain data.")
        expect(tab.locator("#f-price-amount")).to_have_value("")
        expect(tab.locator("#i-price")).to_have_attribute("data-state", "empty")
    finally:
        tab.context.close()


@pytest.mark.parametrize(("language", "width"), [("ja", PHONE["width"]), ("en", 1280)])
def test_typing_in_a_section_marks_it_unsaved_in_the_index(
        browser: Browser, live: LiveServer, language: str, width: int) -> None:
    """While the person types in a section, its link in the index shows ● and the state word
    screen readers read says unsaved (static/editor-state.js, served under the pages' own
    Content-Security-Policy); the other sections keep their states; typed back to what was
    saved, the section is complete again. Without JavaScript the page is the server's, and
    saving still marks what was typed elsewhere unsaved
    (test_saving_one_section_keeps_the_others)."""
    from playwright.sync_api import expect

    options: dict[str, object] = ({"is_mobile": True, "has_touch": True,
                                   "height": PHONE["height"]} if width == PHONE["width"] else {})
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", width=width,
                  **options)
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text)
           if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    unsaved = "未保存" if language == "ja" else "unsaved"
    try:
        sign_in_through_form(tab, live.url, ADMIN, BASE + "/new")
        tab.locator("#f-code").fill(f"TYPING-{language}-{width}")
        tab.locator("#f-title-ja").fill("入力中の印")
        tab.locator("#f-title-en").fill("Marked while typing")
        tab.locator("#save-basics").click()
        expect(tab.locator("#editor-done")).to_have_attribute("data-section", "basics")
        basics, outcomes = tab.locator("#i-basics"), tab.locator("#i-outcomes")
        expect(basics).to_have_attribute("data-state", "complete")
        expect(outcomes).to_have_attribute("data-state", "empty")
        tab.locator("#f-learning_outcomes-0-statement-en").press_sequentially("Explain")
        expect(outcomes).to_have_attribute("data-state", "unsaved")
        expect(outcomes.locator(".editor-index__mark")).to_have_text("●")
        expect(outcomes.locator(".editor-index__state")).to_contain_text(unsaved)
        expect(tab.locator("#s-outcomes .editor-section__state")).to_contain_text(unsaved)
        # Its accessible name says so: the word is read, the mark is not.
        name = outcomes.evaluate("a => a.innerText")
        assert unsaved in name, name
        expect(basics).to_have_attribute("data-state", "complete")
        # In another section: that one too; typed back as saved, complete again.
        title = tab.locator("#f-title-en")
        title.press_sequentially("!")
        expect(basics).to_have_attribute("data-state", "unsaved")
        expect(basics.locator(".editor-index__state")).to_contain_text(unsaved)
        title.press("Backspace")
        expect(basics).to_have_attribute("data-state", "complete")
        expect(basics.locator(".editor-index__mark")).to_have_text("✓")
        expect(basics.locator(".editor-index__state")).not_to_contain_text(unsaved)
        expect(outcomes).to_have_attribute("data-state", "unsaved")
        assert axe_violations(tab) == []
        tab.evaluate("document.getElementById('editor-index').scrollIntoView("
                     "{behavior: 'instant'})")
        _comes_into_view(tab, "#i-outcomes")
        shot(tab, f"editor-typing-unsaved-{language}-{width}", full_page=False)
        # Saved, the server's state again.
        tab.locator("#f-learning_outcomes-0-statement-ja").fill("説明できる。")
        tab.locator("#save-outcomes").click()
        expect(tab.locator("#editor-done")).to_have_attribute("data-section", "outcomes")
        expect(outcomes).to_have_attribute("data-state", "complete")
        assert errors == []
    finally:
        tab.context.close()
