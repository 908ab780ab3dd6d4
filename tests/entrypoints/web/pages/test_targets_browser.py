"""The credit target pages in a real browser (Chromium through Playwright): axe-core finds
nothing serious in Japanese or English, and the pages fit a phone's screen (they use no
JavaScript of their own; axe itself needs it, so the tab runs it). Screenshots go to
``test-artifacts/screenshots/``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.entrypoints.web.pages.conftest import (
    assert_pages_fit_a_phone,
    axe_violations,
    new_tab,
    shot,
)
from tests.entrypoints.web.pages.test_targets import Store, serve_with_target

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[Store]:
    """The demo data and a published target on SQLite, then the server (read only)."""
    yield from serve_with_target(browser_store)


@pytest.mark.parametrize(("language", "locale"), [("ja", "ja-JP"), ("en", "en-GB")])
def test_the_target_pages_pass_axe(live: Store, browser: Browser, language: str,
                                   locale: str) -> None:
    """The list, the target's page, its history and a programme page that stacks into it."""
    tab = new_tab(browser, locale=locale)
    try:
        for name, path in (("targets", "/targets"), ("target", f"/targets/{live.target}"),
                           ("history", f"/targets/{live.target}/history"),
                           ("stacks-into", f"/programmes/{live.ids['HIT-DS-01']}")):
            tab.goto(f"{live.server.url}{path}?lang={language}")
            assert tab.locator("html").get_attribute("lang") == language
            assert axe_violations(tab) == [], (path, language)
            shot(tab, f"targets-{name}-{language}")
    finally:
        tab.context.close()


def test_the_target_pages_fit_a_phone(live: Store, browser: Browser) -> None:
    assert_pages_fit_a_phone(browser, live.server.url, [
        ("/targets", "targets-phone"), (f"/targets/{live.target}", "target-phone"),
        (f"/targets/{live.target}/history", "target-history-phone")])


