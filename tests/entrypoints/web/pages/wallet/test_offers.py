"""Sending a wallet credential to a wallet app: the offer's QR code and transaction code on a
page in Japanese and English, without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests import patiently
from tests.accounts import add_user
from tests.conftest import LiveServer, at_own_url, issued_to_members, keyed_sqlite, serve
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible, squash


@dataclass
class Site:
    live: LiveServer


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings, port = at_own_url(keyed_sqlite(tmp_path_factory.mktemp("wallet-offers")))
    issued_to_members(settings, {"hanako@example.jp": "Hanako"}, batch="offers")
    add_user(settings, "taro@example.jp", name="Taro")
    for live in serve(settings, port=port):
        yield Site(live)


def _first_credential(browser: FormBrowser) -> str:
    found = re.findall(r'data-id="([0-9a-f]{32})"', browser.get("/wallet").text)
    assert found
    return found[0]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_learner_gets_a_qr_code_and_a_transaction_code(site: Site, language: str) -> None:
    """The offer by reference is the QR code and the same-device link; the code is shown
    beside it, not inside; the page is accessible in the learner's language."""
    browser = FormBrowser(site.live, "hanako@example.jp", language)
    try:
        public_id = _first_credential(browser)
        assert "/offer" in browser.get(f"/wallet/credentials/{public_id}").text
        answer = browser.post(f"/wallet/credentials/{public_id}/offer")
        assert answer.status_code == 200, answer.text
        text = answer.text
        [link] = re.findall(r'href="(openid-credential-offer://[^"]+)"', text)
        offer_uri = parse_qs(urlsplit(link.replace("&amp;", "&")).query)[
            "credential_offer_uri"][0]
        served = patiently.get(offer_uri.replace(site.live.settings.public_url, site.live.url))
        assert served.status_code == 200
        [code] = re.findall(r'<span class="code" translate="no">(\d{6})</span>', text)
        assert code not in unquote(link)
        assert 'src="data:image/svg+xml;base64,' in text
        page = Page(text)
        assert_accessible(page, language)
        assert ("ウォレットアプリ" if language == "ja" else "wallet app") in squash(page.text)
    finally:
        browser.close()


def test_a_credential_that_is_not_the_learners_cannot_be_offered(site: Site) -> None:
    """Taro's wallet is empty: Hanako's credential page is not his (404)."""
    hanako = FormBrowser(site.live, "hanako@example.jp")
    taro = FormBrowser(site.live, "taro@example.jp")
    try:
        public_id = _first_credential(hanako)
        assert taro.post(f"/wallet/credentials/{public_id}/offer").status_code == 404
    finally:
        hanako.close()
        taro.close()
