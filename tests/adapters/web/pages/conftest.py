"""What the browser tests of the pages share: tabs, screenshots, the phone-screen check.

* ``page`` — a fresh tab that prefers Japanese, with JavaScript (and so htmx) on.
* :func:`new_tab` — a tab in a browser context of its own, as another person would have.
* :func:`shot` — a screenshot into ``test-artifacts/screenshots/``, for review.
* :func:`assert_fits_the_screen` and :func:`assert_pages_fit_a_phone` — nothing but the
  labelled table regions scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SCREENSHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"
#: A phone's screen, in CSS pixels.
PHONE = {"width": 390, "height": 844}


def new_tab(browser: Browser, *, locale: str = "ja-JP", javascript: bool = True,
            width: int = 1280, height: int = 900, **options: Any) -> Page:
    """A tab in a new browser context (its own cookies); close it with
    ``tab.context.close()``. ``options`` go to ``Browser.new_context``."""
    context = browser.new_context(locale=locale, java_script_enabled=javascript,
                                  viewport={"width": width, "height": height}, **options)
    tab = context.new_page()
    # CI machines are small and busy; a slow step is not a failure.
    tab.set_default_timeout(30_000)
    return tab


def phone_tab(browser: Browser) -> Page:
    """A tab on a phone's screen (390 px wide, touch), in Japanese."""
    return new_tab(browser, **PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab that prefers Japanese, like most of credstack's visitors."""
    tab = new_tab(browser)
    yield tab
    tab.context.close()


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def assert_fits_the_screen(tab: Page, what: str) -> None:
    """The document is no wider than the tab's screen (``what`` names it in the failure)."""
    overflow = tab.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{what} is {overflow}px wider than the screen"


def assert_pages_fit_a_phone(browser: Browser, base_url: str,
                             pages: Iterable[tuple[str, str]]) -> None:
    """Each of ``pages`` — (path, screenshot name) — fits a phone's screen; each is shot."""
    tab = phone_tab(browser)
    try:
        for url, name in pages:
            tab.goto(base_url + url)
            assert_fits_the_screen(tab, url)
            shot(tab, name)
    finally:
        tab.context.close()
