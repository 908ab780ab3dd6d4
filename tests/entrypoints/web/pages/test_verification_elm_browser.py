"""A European Digital Credential in a real browser, in Japanese and in English: chosen as a
file on the verification page, and imported into a learner's wallet through its form. The
verdict and what the EDC states (the achievement, its credits, its EQF level read across
borders) are shown; axe-core finds nothing serious or critical; the pages fit a phone.

Chromium (Debian package ``chromium``) driven by Playwright against a live server whose
operator configured the ELM files and a trusted e-seal root: one server for the module on
each database (SQLite and PostgreSQL), the wallet keeping the EDC in either. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.settings import Settings
from credstack.testing.elm import SealPki, make_pki, seal
from tests.accounts import add_user
from tests.conftest import LiveServer, need_browser, serve
from tests.entrypoints.web.pages.conftest import (
    assert_accessible_and_fitting,
    at_phone_width,
    new_tab,
    sign_in_through_form,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

NOW = dt.datetime.now(dt.UTC)
LOCALES = {"ja": "ja-JP", "en": "en-GB"}


@dataclasses.dataclass(frozen=True)
class Site:
    live: LiveServer
    pki: SealPki


@pytest.fixture(scope="module")
def site(module_settings: Settings, shared_ref: Path,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    need_browser()
    folder = tmp_path_factory.mktemp("elm-browser")
    pki = make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=300))
    trust = folder / "trusted-seals.pem"
    trust.write_bytes(pki.root_pem)
    settings = dataclasses.replace(
        module_settings, secret_key=module_settings.secret_key or new_master_key_text(),
        elm_dir=shared_ref / "elm", elm_trust=trust)
    for live in serve(settings):
        yield Site(live, pki)


def sealed_file(shared_ref: Path, pki: SealPki, folder: Path, address: str) -> Path:
    """The EC's micro-credential sealed again for ``address``, as a file to choose."""
    sample = json.loads((shared_ref / "elm/ec-elm/credentials/Sample-MC-Annex1-signed.jsonld")
                        .read_text())
    payload = re.sub(r'"mailto:ana\.andromeda[^"]*"', f'"mailto:{address}"', sample["payload"])
    path = folder / "micro-credential-edc.json"
    path.write_text(json.dumps(seal(payload, pki, signing_time=NOW)), encoding="utf-8")
    return path


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_edc_on_the_verification_page(browser: Browser, site: Site, shared_ref: Path,
                                         tmp_path: Path, language: str) -> None:
    """Verified, its achievement, credits and levels shown; accessible on a phone."""
    from playwright.sync_api import expect

    tab = new_tab(browser, locale=LOCALES[language])
    try:
        tab.goto(f"{site.live.url}/verify")
        tab.locator("#file").set_input_files(
            sealed_file(shared_ref, site.pki, tmp_path, "someone@example.eu"))
        tab.locator("main form button[type=submit]").first.click()
        verdict = tab.locator("#verify-verdict")
        expect(verdict).to_have_attribute("data-outcome", "verified", timeout=30_000)
        edc = tab.locator("#edc")
        expect(edc).to_contain_text("Digital micro-credential creation")
        expect(edc).to_contain_text("EQF レベル 6" if language == "ja" else "EQF level 6")
        expect(tab.locator('li[data-level="EQF-6"][data-in="AQF"]')).to_contain_text(
            "出典の確認が必要" if language == "ja" else "source to be checked")
        with at_phone_width(tab):
            assert_accessible_and_fitting(tab, f"elm-verify-{language}")
    finally:
        tab.context.close()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_edc_in_the_wallet(browser: Browser, site: Site, shared_ref: Path, tmp_path: Path,
                              language: str) -> None:
    """Imported through the wallet's form: kept, verified, with its ECTS credits."""
    from playwright.sync_api import expect

    address = f"elm-{language}@example.jp"
    add_user(site.live.settings, address, name=f"Learner {language}")
    tab = new_tab(browser, locale=LOCALES[language])
    try:
        sign_in_through_form(tab, site.live.url, address, "/wallet")
        tab.locator("#import-file").set_input_files(
            sealed_file(shared_ref, site.pki, tmp_path, address))
        tab.locator("form.wallet-form button[type=submit]").click()
        tab.wait_for_url("**/wallet/credentials/**")
        expect(tab.locator("#verify-verdict")).to_have_attribute("data-outcome", "verified",
                                                                 timeout=30_000)
        expect(tab.locator("#edc")).to_contain_text("Digital micro-credential creation")
        expect(tab.locator('#edc [data-fact="credits"]')).to_contain_text("2")
        with at_phone_width(tab):
            assert_accessible_and_fitting(tab, f"elm-wallet-{language}")
        tab.goto(f"{site.live.url}/wallet")
        expect(tab.locator("main")).to_contain_text("Digital micro-credential creation")
        expect(tab.locator("main")).to_contain_text("ECTS")
    finally:
        tab.context.close()
