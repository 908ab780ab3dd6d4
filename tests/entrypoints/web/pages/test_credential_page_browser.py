"""The credential's own page in Chromium, in Japanese and English, at 1280 and 390 px: on
``/verify/{id}`` and on a share link, the badge drawn large, axe-core finding nothing serious,
nothing wider than the screen, the copy and print buttons shown by their scripts; printed
(``emulate_media(media="print")``), only the credential: no header, no actions, no form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

from tests.conftest import Issued, need_browser, serve_issued, sqlite_store
from tests.entrypoints.web.pages import test_wallet_pages as wallet_pages
from tests.entrypoints.web.pages.conftest import assert_accessible_and_fitting, new_tab
from tests.entrypoints.web.pages.test_shares import make_link
from tests.entrypoints.web.pages.test_wallet_pages import Browser, Wallets
from tests.services.certificates.test_service import SECRET, prepare

if TYPE_CHECKING:
    from playwright.sync_api import Browser as PlaywrightBrowser
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

#: The wallet pages' server and learners (for the share link).
wallets = wallet_pages.wallets
browsers = wallet_pages.browsers

#: The badge's drawn width: large on a desk, smaller on a phone so the verdict stays in view.
BADGE_WIDTH = {1280: 200, 390: 96}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Iterator[Issued]:
    need_browser()
    settings = sqlite_store(tmp_path_factory.mktemp("credential-browser") / "data",
                            _sqlite_template)
    yield from serve_issued(settings, prepare, secret_key=SECRET)


def _check(tab: Page, url: str, width: int, name: str) -> None:
    """The page at ``url``: the badge, axe, the fit, the scripts' buttons, then print."""
    from playwright.sync_api import expect

    tab.goto(url)
    badge = tab.locator("img.credential__badge").first
    assert tab.evaluate("img => img.complete && img.naturalWidth > 0", badge.element_handle())
    box = badge.bounding_box()
    assert box is not None and round(box["width"]) == BADGE_WIDTH[width], box
    assert_accessible_and_fitting(tab, name)
    article = tab.locator("article.credential").first
    expect(article.locator("button[data-copy]")).to_be_visible()
    expect(article.locator("button[data-print]")).to_be_visible()
    tab.emulate_media(media="print")
    expect(article).to_be_visible()
    expect(article.locator(".credential__title")).to_be_visible()
    for hidden in ("header.site-header", "footer.site-footer"):
        expect(tab.locator(hidden)).to_be_hidden()
    expect(article.locator(".credential__actions")).to_be_hidden()
    for form in tab.locator("main form.verify-form").all():
        expect(form).to_be_hidden()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("locale", ["ja-JP", "en-GB"])
def test_the_verification_page_is_the_credentials_page(live: Issued, browser: PlaywrightBrowser,
                                                        locale: str, width: int) -> None:
    tab = new_tab(browser, locale=locale, width=width, height=844)
    try:
        _check(tab, f"{live.server.url}/verify/{live.credentials['eddsa-rdfc-2022']}", width,
               f"credential-verify-{locale[:2]}-{width}")
    finally:
        tab.context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("locale", ["ja-JP", "en-GB"])
def test_the_shared_link_is_the_credentials_page(wallets: Wallets,
                                                 browsers: dict[str, Browser],
                                                 browser: PlaywrightBrowser, locale: str,
                                                 width: int) -> None:
    path = urlparse(make_link(browsers["hanako"])).path
    tab = new_tab(browser, locale=locale, width=width, height=844)
    try:
        _check(tab, f"{wallets.live.url}{path}", width, f"credential-share-{locale[:2]}-{width}")
    finally:
        tab.context.close()
