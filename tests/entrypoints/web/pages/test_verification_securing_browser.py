"""The verification page in a real browser with credentials secured as JOSE and COSE (issue
58): in each of the eight public languages, a visitor pastes a presentation its holder
secured as an SD-JWT at 1280 px and uploads a credential's COSE file on a phone's screen
(390 px), reads how each is secured and the verdict, and axe-core finds nothing.

Chromium (Debian package ``chromium``) driven by Playwright against a live server on SQLite;
inputs signed in the test (:mod:`tests.secured_forms`). Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from credstack.settings import Settings
from tests.conftest import LiveServer, serve
from tests.entrypoints.web.pages.conftest import (
    PHONE,
    assert_accessible_and_fitting,
    new_tab,
)
from tests.entrypoints.web.pages.test_verification_securing import LANGUAGES
from tests.secured_forms import credential, presentation

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(browser_store: Settings) -> Iterator[LiveServer]:
    yield from serve(browser_store)


def submit(tab: Page) -> None:
    tab.locator("form.verify-form button[type=submit]").click()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_form_is_said_in_the_visitors_language_at_both_widths(
        live: LiveServer, browser: Browser, tmp_path: Path, language: str) -> None:
    """Pasted vp+sd-jwt (1280 px), uploaded vc+cose (390 px): verified, the form named in
    the page's language, the disclosed claims listed, nothing for axe-core."""
    from playwright.sync_api import expect

    tab = new_tab(browser)
    try:
        tab.goto(f"{live.url}/verify?lang={language}")
        assert tab.locator("html").get_attribute("lang") == language
        tab.locator("#credential").fill(presentation("vc+sd-jwt").decode("ascii"))
        submit(tab)
        fact = tab.locator("#verify-securing")
        expect(fact).to_have_attribute("data-presentation", "true")
        expect(tab.locator("#verify-verdict")).to_have_attribute("data-outcome", "verified")
        expect(fact.locator(".securing__enclosed li")).to_have_count(3)
        assert "verify." not in fact.inner_text(), "every key has its words"
        assert_accessible_and_fitting(tab, f"verify-vp-sd-jwt-{language}-1280")

        tab.set_viewport_size(PHONE)
        tab.goto(f"{live.url}/verify?lang={language}")
        cose = tmp_path / "credential.cose"
        cose.write_bytes(credential("vc+cose"))
        tab.locator("#file").set_input_files(str(cose))
        submit(tab)
        expect(tab.locator("#verify-securing")).to_have_attribute("data-form", "cose")
        expect(tab.locator("#verify-verdict")).to_have_attribute("data-outcome", "verified")
        assert_accessible_and_fitting(tab, f"verify-vc-cose-{language}-390")
    finally:
        tab.context.close()
