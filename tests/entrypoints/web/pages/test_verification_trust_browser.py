"""The trust line in a real browser, in Japanese and English, at a phone's width: the
verification page (a recognised provider's credential and an unlisted issuer's), the
employer's comparison of both, the learner's credential page in the wallet and the shared
link an employer opens; axe-core finds nothing serious on any of them.

Chromium driven by Playwright against :func:`tests.entrypoints.web.api.test_verification_trust.
trusted_server`; screenshots go to ``test-artifacts/screenshots/``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import need_browser
from tests.entrypoints.web.api.test_verification_trust import (
    LEARNER,
    LISTED_EN,
    LISTED_JA,
    NOT_LISTED_EN,
    NOT_LISTED_JA,
    Trusted,
    trusted_server,
)
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    new_tab,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_shares import make_link
from tests.entrypoints.web.pages.test_wallet_pages import Browser
from tests.signed_credentials import signed

if TYPE_CHECKING:
    from playwright.sync_api import Browser as PlaywrightBrowser
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

LOCALES = {"ja": "ja-JP", "en": "en-GB"}
LINES = {("listed", "ja"): LISTED_JA, ("listed", "en"): LISTED_EN,
         ("not-listed", "ja"): NOT_LISTED_JA, ("not-listed", "en"): NOT_LISTED_EN}


@pytest.fixture(scope="module")
def trusted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    need_browser()
    yield from trusted_server(tmp_path_factory.mktemp("trust-browser"))


@pytest.fixture(scope="module")
def share_address(trusted: Trusted) -> str:
    learner = Browser(trusted.live, "hanako")
    try:
        return make_link(learner)
    finally:
        learner.close()


def assert_line(tab: Page, state: str, language: str) -> None:
    from playwright.sync_api import expect

    line = tab.locator(f"p[data-trust={state}]")
    expect(line).to_have_count(1)
    expect(line).to_be_visible()
    expect(line).to_have_text(LINES[state, language])


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_trust_line_on_the_verification_page(trusted: Trusted, browser: PlaywrightBrowser,
                                                 language: str) -> None:
    tab = new_tab(browser, locale=LOCALES[language], **PHONE)
    try:
        for credential, state in ((trusted.recognised, "listed"), (signed(), "not-listed")):
            tab.goto(f"{trusted.live.url}/verify")
            tab.locator("#credential").fill(json.dumps(credential, ensure_ascii=False))
            tab.locator("main form button[type=submit]").first.click()
            assert_line(tab, state, language)
            assert_accessible_and_fitting(tab, f"trust-verify-{state}-{language}")
    finally:
        tab.context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_trust_line_in_the_wallet_and_on_the_shared_link(
        trusted: Trusted, browser: PlaywrightBrowser, share_address: str, language: str) -> None:
    tab = new_tab(browser, locale=LOCALES[language], **PHONE)
    try:
        sign_in_through_form(tab, trusted.live.url, LEARNER, "/wallet")
        tab.locator("a[href^='/wallet/credentials/']").first.click()
        tab.wait_for_url("**/wallet/credentials/*")
        assert_line(tab, "listed", language)
        assert_accessible_and_fitting(tab, f"trust-wallet-{language}")
    finally:
        tab.context.close()
    employer = new_tab(browser, locale=LOCALES[language], **PHONE)
    try:
        employer.goto(share_address)
        assert_line(employer, "listed", language)
        assert_accessible_and_fitting(employer, f"trust-share-{language}")
    finally:
        employer.context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_trust_line_on_the_employers_comparison(trusted: Trusted, browser: PlaywrightBrowser,
                                                    language: str) -> None:
    """The employer pastes the recognised provider's credential and another issuer's into
    the comparison: each row's issuer carries its line, at a phone's width."""
    from playwright.sync_api import expect

    tab = new_tab(browser, locale=LOCALES[language], **PHONE)
    try:
        tab.goto(f"{trusted.live.url}/verify/compare")
        tab.locator("#credentials").fill("\n".join(
            json.dumps(credential, ensure_ascii=False)
            for credential in (trusted.recognised, signed())))
        tab.locator("main form.verify-form button[type=submit]").click()
        lines = tab.locator("tr[data-outcome] [data-trust]")
        expect(lines).to_have_count(2)
        for index, state in enumerate(("listed", "not-listed")):
            expect(lines.nth(index)).to_have_attribute("data-trust", state)
            expect(lines.nth(index)).to_have_text(LINES[state, language])
        assert_accessible_and_fitting(tab, f"trust-compare-{language}")
    finally:
        tab.context.close()
