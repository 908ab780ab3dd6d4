"""The employer's page in a real browser: an employer chooses three credentials a candidate
sent (one valid, one changed after signing, one expired) and the candidate's presentation in
one file dialog, verifies them all at once, and reads the table — with JavaScript and
without, with the keyboard, on a phone's screen (each credential a card); axe-core finds
nothing serious or critical.

Chromium (Debian package ``chromium``) driven by Playwright against the live server of
:mod:`tests.entrypoints.web.pages.test_verify_compare`. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.entrypoints.web.pages.conftest import (
    assert_fits_the_screen,
    axe_violations,
    new_tab,
    phone_tab,
    shot,
)
from tests.entrypoints.web.pages.test_verify_compare import Employer, employer
from tests.services.candidates.test_comparison import expired
from tests.signed_credentials import presentation, signed, tampered

__all__ = ["employer"]  # the module's server, shared with the HTTP tests

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def candidate_files(folder: Path) -> list[Path]:
    """What the candidate sent: three credentials and a presentation of two more."""
    documents: dict[str, Any] = {
        "valid.json": signed(), "tampered.json": tampered(), "expired.json": expired(),
        "presentation.json": presentation(signed(), expired())}
    paths = []
    for name, document in documents.items():
        path = folder / name
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def verify_all(tab: Page, employer: Employer, files: list[Path]) -> None:
    tab.goto(f"{employer.live.url}/verify/compare")
    tab.locator("#files").set_input_files(files)
    tab.get_by_role("button", name="まとめて検証する").click()
    tab.wait_for_selector("#compare-table")


def test_an_employer_verifies_three_credentials_and_a_presentation(
        browser: Browser, employer: Employer, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    files = candidate_files(tmp_path)
    tab = new_tab(browser)
    try:
        tab.goto(f"{employer.live.url}/verify")
        tab.get_by_role("link", name="複数の証明書をまとめて検証し、並べて比べる").click()
        tab.wait_for_url("**/verify/compare")
        assert axe_violations(tab) == [], "the form"
        verify_all(tab, employer, files)
        table = tab.get_by_role("table", name="証明書ごとの検証結果と内容（行ごとに 1 件）")
        expect(table.get_by_role("row")).to_have_count(6)  # the heads, five credentials
        outcomes = tab.locator("tr[data-outcome]").evaluate_all(
            "rows => rows.map(row => [row.dataset.label, row.dataset.outcome])")
        assert outcomes == [["valid.json", "verified"], ["tampered.json", "not-verified"],
                            ["expired.json", "not-verified"],
                            ["presentation.json #1", "verified"],
                            ["presentation.json #2", "not-verified"]]
        tampered_row = tab.locator('tr[data-label="tampered.json"]')
        expect(tampered_row).to_contain_text("署名の後に内容が変更されています")
        expect(tab.locator('tr[data-label="expired.json"]')).to_contain_text(
            "2025年5月1日に有効期限が切れています")
        valid_row = tab.locator('tr[data-label="valid.json"]')
        expect(valid_row).to_contain_text("検証済み")
        expect(valid_row).to_contain_text("45")
        expect(valid_row).to_contain_text("JEQF")
        expect(tab.locator(".compare-presentation")).to_contain_text("提示者の署名を確認しました")
        expect(tab.locator("#compare-summary")).to_have_text("5 件中 2 件を検証できました。")
        found = axe_violations(tab)
        assert found == [], f"the comparison: {found}"
        shot(tab, "verify-compare-ja")
    finally:
        tab.context.close()


def test_on_a_phone_each_credential_is_a_card(browser: Browser, employer: Employer,
                                              tmp_path: Path) -> None:
    tab = phone_tab(browser)
    try:
        verify_all(tab, employer, candidate_files(tmp_path))
        assert_fits_the_screen(tab, "the comparison on a phone")
        first = tab.locator("tr[data-outcome]").first
        assert first.evaluate("row => getComputedStyle(row).display") == "block"
        # Each fact is labelled in the card itself.
        label = tab.locator('tr[data-label="valid.json"] td[data-label]').first.evaluate(
            "cell => getComputedStyle(cell, '::before').content")
        assert label == '"検証結果"'
        assert axe_violations(tab) == []
        shot(tab, "verify-compare-phone-ja")
    finally:
        tab.context.close()


def test_without_javascript_with_the_keyboard_in_english(browser: Browser, employer: Employer,
                                                         tmp_path: Path) -> None:
    from playwright.sync_api import expect

    tab = new_tab(browser, locale="en-GB", javascript=False)
    try:
        tab.goto(f"{employer.live.url}/verify/compare")
        tab.locator("#files").set_input_files(candidate_files(tmp_path)[:3])
        tab.locator("#credentials").focus()
        tab.keyboard.type(employer.share)
        tab.locator("#strict").focus()
        tab.keyboard.press("Tab")
        expect(tab.get_by_role("button", name="Verify them all")).to_be_focused()
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#compare-table")
        expect(tab.locator("#compare-summary")).to_have_text("2 of 4 verified.")
        expect(tab.locator('tr[data-label="pasted 1"]')).to_contain_text("From a share link")
        assert tab.url.endswith("#compare-result-title")
        # (axe-core needs JavaScript to run: the same page is checked with it above.)
        shot(tab, "verify-compare-en-nojs")
    finally:
        tab.context.close()
