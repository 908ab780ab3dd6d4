"""The page a certificate's QR code or an e-mail opens, ``/verify/{id}``, in a real browser on
a phone: the badge and the verdict above the fold, nothing wider than the screen, and axe-core
finding nothing. The store is the one of ``tests/services/certificates/test_service.py``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.conftest import Issued, serve_issued
from tests.entrypoints.web.pages.conftest import PHONE, assert_accessible_and_fitting, new_tab
from tests.services.certificates.test_service import SECRET, prepare

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[Issued]:
    """The issued store served once: each language only reads its page."""
    yield from serve_issued(browser_store, prepare, secret_key=SECRET)


@pytest.mark.parametrize("locale", ["ja-JP", "en-GB"])
def test_on_a_phone_the_result_is_above_the_fold(live: Issued, browser: Browser,
                                                  locale: str) -> None:
    """At 390 × 844 the badge (drawn, not broken) and the verdict's headline are on the
    first screen; the form to verify another credential is below the result."""
    tab = new_tab(browser, locale=locale, **PHONE, is_mobile=True, has_touch=True)
    try:
        tab.goto(f"{live.server.url}/verify/{live.credentials['eddsa-rdfc-2022']}")
        badge = tab.locator("img.badge-image")
        assert tab.evaluate("img => img.complete && img.naturalWidth > 0",
                            badge.element_handle())
        # The badge and the verdict's headline (verified, who earned what from whom) are on
        # the first screen.
        for shown in (badge, tab.locator("#verify-verdict .verdict-banner__title"),
                      tab.locator("#verify-verdict .verdict-banner__statement")):
            box = shown.bounding_box()
            assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
        verdict = tab.locator("#verify-verdict").bounding_box()
        assert verdict is not None
        assert tab.locator("#verify-verdict").get_attribute("data-verified") == "true"
        form = tab.locator("form.verify-form").bounding_box()
        assert form is not None and form["y"] > verdict["y"]
        assert_accessible_and_fitting(tab, f"verify-stored-phone-{locale[:2]}")
    finally:
        tab.context.close()
