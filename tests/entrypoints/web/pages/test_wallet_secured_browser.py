"""Presenting what the wallet keeps as an SD-JWT and as COSE, in a real browser (issue 58):
Hanako opens the present page in Japanese and in English, at 1280 px and on a phone's screen
(390 px); her SD-JWT's claims are listed in the page's words under it, she ticks both
credentials, unticks her identifier, chooses COSE and downloads the presentation, which
``POST /presentations/verify`` verifies for the verifier's challenge and domain. Her COSE
credential's own page says how it is secured. axe-core finds nothing at each step and nothing
is wider than the screen.

Chromium (Debian package ``chromium``) driven by Playwright against a live server on SQLite;
the credentials are signed in the test (:mod:`tests.secured_forms`) and put in her wallet over
HTTP first. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    new_tab,
    shot,
    sign_in_through_form,
)
from tests.entrypoints.web.pages.test_wallet_pages import Browser as FormBrowser
from tests.entrypoints.web.pages.test_wallet_pages import email
from tests.entrypoints.web.pages.test_wallet_secured import _kept, withheld_in
from tests.secured_forms import enveloped

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

CHALLENGE, DOMAIN = "c-browser-58", "https://hr.kita.example"
#: What the page says, in each language: the identifier's claim, the COSE form's label,
#: the button, and how the COSE credential's page names its form.
WORDS = {"ja": ("学習者の識別子", "COSE（CBOR）", "署名してダウンロード", "COSE（CBOR）"),
         "en": ("An identifier of the learner", "COSE (CBOR)", "Sign and download",
                "COSE (CBOR)")}


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    add_user(browser_store, email("hanako"), name="Hanako")
    for server in serve(browser_store):
        learner = FormBrowser(server, "hanako")
        try:
            _kept(learner)
        finally:
            learner.close()
        yield server


@pytest.mark.parametrize("language", ["ja", "en"])
def test_hanako_presents_her_sd_jwt_and_cose_credentials_at_both_widths(
        browser: Browser, live: LiveServer, language: str) -> None:
    from playwright.sync_api import expect

    claim, cose, button, secured = WORDS[language]
    tab = sign_in_through_form(new_tab(browser, locale={"ja": "ja-JP", "en": "en-GB"}[language]),
                               live.url, email("hanako"), "/wallet/present")
    try:
        listed = tab.locator("fieldset.present-disclose")
        expect(listed).to_have_count(1)
        expect(listed).to_contain_text(claim)
        assert_accessible_and_fitting(tab, f"wallet-present-secured-{language}-desk")
        tab.set_viewport_size(PHONE)
        assert_accessible_and_fitting(tab, f"wallet-present-secured-{language}-phone")
        for box in tab.locator("input[name=credential]").all():
            box.check()
        listed.get_by_label(claim).uncheck()
        tab.get_by_label(cose, exact=True).check()
        tab.locator("#challenge").fill(CHALLENGE)
        tab.locator("#domain").fill(DOMAIN)
        shot(tab, f"wallet-present-secured-{language}-phone")
        with tab.expect_download() as download:
            tab.get_by_role("button", name=button).click()
        data = Path(download.value.path()).read_bytes()
        assert download.value.suggested_filename == "presentation.cose"
        verified = patiently.post(f"{live.url}/presentations/verify", timeout=30, json={
            "verifiablePresentation": enveloped(data, "application/vp+cose", presentation=True),
            "options": {"challenge": CHALLENGE, "domain": DOMAIN}})
        assert verified.json()["verified"] is True, verified.text
        assert withheld_in(data) == [False, True], "the SD-JWT's identifier withheld"

        tab.goto(f"{live.url}/wallet")
        ids = [card.get_attribute("data-id") for card in tab.locator("article.wallet-card").all()]
        facts = []
        for public_id in ids:
            tab.goto(f"{live.url}/wallet/credentials/{public_id}")
            facts.append(tab.locator("#verify-securing").inner_text())
        assert any(secured in fact for fact in facts), facts
        assert_accessible_and_fitting(tab, f"wallet-credential-secured-{language}-phone")
    finally:
        tab.context.close()
