"""The learner's credit bank from the demo on a phone (390 px), in Japanese and English: its
tables stay readable — each scrolls sideways inside its own box rather than squeezing its
columns to a character a line — and the page fits the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    demo_phone_tab,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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
