"""Signing in lands each role on its home, in Chromium, in Japanese and English: the sign-in
form with no destination leads the committee member and the evaluator to the review queue,
the provider's administrator to the organisation's workspace, the learner to the wallet; the
menu marks the home as the current page and offers nothing the roles do not open; axe-core
finds nothing serious on any home, and each fits a phone's screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.accounts import PASSWORD
from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import assert_accessible_and_fitting, new_tab
from tests.entrypoints.web.pages.test_accounts_homes import LEARNER, live
from tests.entrypoints.web.pages.test_review import ADMIN, COMMITTEE, EVALUATORS, PROVIDER

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser
__all__ = ["live"]

HOMES = {COMMITTEE: ("/review", "review"), EVALUATORS[0]: ("/review", "review"),
         ADMIN: (f"/workspace/{PROVIDER}", "workspace"), LEARNER: ("/wallet", "wallet")}


@pytest.mark.parametrize("locale", ["ja-JP", "en-GB"])
@pytest.mark.parametrize("email", list(HOMES))
def test_signing_in_lands_on_the_roles_home(browser: Browser, live: LiveServer, email: str,
                                            locale: str) -> None:
    """The form, filled and sent as a person would, ends on the home, marked in the menu."""
    path, place = HOMES[email]
    tab = new_tab(browser, locale=locale, width=390, height=844)
    try:
        tab.goto(f"{live.url}/sign-in")
        tab.locator("#email").fill(email)
        tab.locator("#password").fill(PASSWORD)
        tab.locator(".sign-in-form button[type=submit]").click()
        tab.wait_for_url(f"{live.url}{path}")
        current = tab.locator(".account-nav a[aria-current=page]")
        assert current.get_attribute("data-place") == place
        shown = set(tab.locator(".account-nav a[data-place]").evaluate_all(
            "links => links.map(a => a.dataset.place)"))
        assert place in shown
        if email != ADMIN:
            assert "workspace" not in shown and "operator" not in shown
        assert_accessible_and_fitting(tab, f"home-{place}-{email.split('@')[0]}-{locale[:2]}")
    finally:
        tab.context.close()
