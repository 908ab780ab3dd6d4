"""What the browser tests of the pages share: tabs, screenshots, the phone-screen check.

* ``page`` — a fresh tab that prefers Japanese, with JavaScript (and so htmx) on.
* :func:`new_tab` — a tab in a browser context of its own, as another person would have.
* :func:`sign_in_through_form` — a tab signed in through the sign-in form.
* ``browser_store`` — an empty SQLite store that a module's browser tests share.
* ``demo_server`` — a store loaded as ``credstack serve --demo`` loads it, served, for the
  session; :func:`demo_phone_tab` — a phone's tab signed in as one of its demo accounts.
* :func:`shot` — a screenshot into ``test-artifacts/screenshots/``, for review.
* :func:`assert_fits_the_screen` and :func:`assert_pages_fit_a_phone` — nothing but the
  labelled table regions scrolls sideways; :func:`at_phone_width` — the tab narrowed to a
  phone's width for a while (the page reflows; it is not loaded again).
* :func:`assert_accessible_and_fitting` — axe-core finds nothing on the page, which fits.
* :func:`axe_violations` — what axe-core (the copy the ``axe-playwright-python`` package
  ships) finds serious or critical on a page.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from credstack.demo.accounts import DEMO_PASSWORD
from credstack.settings import Settings
from tests.accounts import PASSWORD
from tests.conftest import LiveServer, need_browser, serve, sqlite_store
from tests.demo_store import demo_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

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


def sign_in_through_form(tab: Page, base_url: str, email: str, then: str) -> Page:
    """``tab`` signed in as ``email`` (password :data:`tests.accounts.PASSWORD`) through the
    sign-in form, which leads it on to ``then``."""
    tab.goto(f"{base_url}/sign-in?next={then}")
    tab.locator("#email").fill(email)
    tab.locator("#password").fill(PASSWORD)
    tab.locator("main form").get_by_role("button").click()
    tab.wait_for_url(f"**{then}")
    return tab


@pytest.fixture(scope="module")
def browser_store(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path
                  ) -> Settings:
    """An empty SQLite store, migrated, that a module's browser tests share (skipped, or in
    CI failed, without a browser)."""
    need_browser()
    return sqlite_store(tmp_path_factory.mktemp("browser-store") / "data", _sqlite_template)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo, as ``credstack serve --demo`` serves it, shared by the session's tests
    (they only read it, or add what no other test counts)."""
    settings, port = demo_store(tmp_path_factory.mktemp("demo"))
    yield from serve(settings, port=port)


def demo_phone_tab(browser: Browser, live: LiveServer, account: str, then: str, *,
                   language: str = "ja", **options: Any) -> Page:
    """A phone's tab (390 px) signed in as the demo account ``account``
    (``learner@demo.example``…) through the sign-in form, on ``then`` in ``language``;
    ``options`` go to ``Browser.new_context``."""
    tab = new_tab(browser, locale="ja-JP" if language == "ja" else "en-GB", **PHONE,
                  is_mobile=True, has_touch=True, **options)
    tab.goto(f"{live.url}/sign-in?lang={language}&next={then}")
    tab.locator("#email").fill(account)
    tab.locator("#password").fill(DEMO_PASSWORD)
    tab.locator("main form").get_by_role("button").first.click()
    tab.wait_for_url(f"**{then}")
    return tab


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab that prefers Japanese, like most of credstack's visitors."""
    tab = new_tab(browser)
    yield tab
    tab.context.close()


def choose_language(tab: Page, name: str) -> None:
    """Open the header's language menu and follow the language named ``name`` (its own
    name for itself: "English", "日本語")."""
    menu = tab.locator("#lang-switch")
    menu.locator("summary").click()
    menu.get_by_role("link", name=name, exact=True).click()


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def assert_fits_the_screen(tab: Page, what: str) -> None:
    """The document is no wider than the tab's screen (``what`` names it in the failure)."""
    overflow = tab.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{what} is {overflow}px wider than the screen"


@contextmanager
def at_phone_width(tab: Page) -> Iterator[Page]:
    """The tab as wide as a phone's screen until the block ends, then as wide as before."""
    wide = tab.viewport_size
    tab.set_viewport_size(PHONE)
    try:
        yield tab
    finally:
        if wide is not None:
            tab.set_viewport_size(wide)


def assert_accessible_and_fitting(tab: Page, name: str) -> None:
    """axe-core finds nothing serious or critical on the tab's page, and the page fits the
    tab's screen; it is shot as ``name``."""
    found = axe_violations(tab)
    assert found == [], f"{name}: {found}"
    assert_fits_the_screen(tab, name)
    shot(tab, name)


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


#: The impacts a page may not have any violation of (WCAG 2.2 AA, as the issues ask).
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def axe_script() -> str:
    """axe-core's script, from the ``axe-playwright-python`` package (a dev dependency);
    skipped (failed in CI) without it."""
    try:
        return _axe_script()
    except (ModuleNotFoundError, FileNotFoundError):
        reason = "axe-core is not installed (the axe-playwright-python package, a dev extra)"
        if os.environ.get("CREDSTACK_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@functools.cache
def _axe_script() -> str:
    """The script's half a megabyte, read once per test process (every page checked with
    axe-core is given it)."""
    script = importlib.resources.files("axe_playwright_python") / "axe.min.js"
    return script.read_text(encoding="utf-8")


#: The browser contexts that have had axe-core handed to one page, and those whose new pages
#: are given it as they open (:func:`_axe_ahead`).
_AXE_ONCE: weakref.WeakSet[BrowserContext] = weakref.WeakSet()
_AXE_AHEAD: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


def _axe_ahead(context: BrowserContext) -> None:
    """The second time a page of ``context`` is handed axe-core, each page the context opens
    from then on is given it before its own scripts run, in the top window only (a frame is
    left as before: axe-core in the page asks it and gets no answer). The script's half a
    megabyte then crosses from the test to the browser twice per context instead of once per
    page checked: a fifth of a second each on a busy machine, most of what handing it to a
    page costs. A context that checks one page pays nothing more."""
    if context in _AXE_AHEAD:
        return
    if context not in _AXE_ONCE:
        _AXE_ONCE.add(context)
        return
    _AXE_AHEAD.add(context)
    context.add_init_script(
        "if (window.top === window && typeof axe === 'undefined') {\n"
        + axe_script() + "\n}")


#: The rules axe-core runs: those of WCAG 2.0–2.2 A and AA, and its best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


def axe_violations(tab: Page) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.0–2.2 A and AA on the tab's page,
    one line each (rule, impact, the first element's selector).

    A rule that declares its impact (as every rule of axe-core 4.12 does) gives each of its
    findings that impact, so a rule whose impact is minor or moderate can find nothing
    serious or critical: those rules (``region``, the landmark and heading rules, a third of
    the set) are not run, which spares a fifth of each page's check, and the findings are
    the same (:func:`axe_findings` runs them all, and the tests of this helper compare)."""
    return axe_findings(tab, every_rule=False)


def axe_findings(tab: Page, *, every_rule: bool) -> list[str]:
    """What :func:`axe_violations` says; ``every_rule``: with the rules that cannot find
    anything serious or critical run too."""
    if not tab.evaluate("typeof axe !== 'undefined'"):
        # Evaluated through the DevTools protocol (as the context's init script is): the
        # page's Content-Security-Policy, which runs no script but its own, does not apply.
        tab.evaluate(axe_script())
        _axe_ahead(tab.context)
    results = tab.evaluate("""([tags, blocking, every]) => {
        const rules = {};
        for (const rule of every ? [] : axe._audit.rules) {
            if (rule.impact && !blocking.includes(rule.impact)) {
                rules[rule.id] = {enabled: false};
            }
        }
        return axe.run(document, {runOnly: {type: 'tag', values: tags}, rules,
                                  resultTypes: ['violations']});
    }""", [list(AXE_TAGS), sorted(BLOCKING_IMPACTS), every_rule])
    return [f"{found['id']} ({found['impact']}): {found['nodes'][0]['target']}"
            for found in results["violations"] if found["impact"] in BLOCKING_IMPACTS]
