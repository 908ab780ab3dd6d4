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

from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import (
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
