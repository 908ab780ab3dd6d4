"""Receiving another issuer's OID4VCI offer on a page in Japanese and English, without
JavaScript: the offer pasted, the credential kept; a wrong offer refused in place."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible, squash
from tests.entrypoints.web.pages.wallet.sites import Site, serve_over_https


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The issuer whose offer is pasted, and the wallet that receives it."""
    yield from serve_over_https(tmp_path_factory.mktemp("wallet-receive"), batch="receive",
                                learners={"hanako@example.jp": "Hanako"})


def _offer(browser: FormBrowser) -> tuple[str, str]:
    """An offer of Hanako's first credential made on this platform: its link and code."""
    [public_id, *_] = re.findall(r'data-id="([0-9a-f]{32})"', browser.get("/wallet").text)
    made = browser.post(f"/wallet/credentials/{public_id}/offer")
    assert made.status_code == 200, made.text
    [link] = re.findall(r'href="(openid-credential-offer://[^"]+)"', made.text)
    [code] = re.findall(r'<span class="code" translate="no">(\d{6})</span>', made.text)
    return link.replace("&amp;", "&"), code


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_pasted_offer_imports_the_credential(site: Site, language: str) -> None:
    """The wallet's page links to the form; the offer and its code pasted, the credential is
    received and linked; without the code, the page asks for it (422)."""
    browser = FormBrowser(site.live, "hanako@example.jp", language)
    try:
        assert 'href="/wallet/receive"' in browser.get("/wallet").text
        form = browser.page("/wallet/receive")
        assert_accessible(form, language)
        link, code = _offer(browser)
        missing = browser.post("/wallet/receive", offer=link)
        assert missing.status_code == 422, missing.text
        assert ("確認コード" if language == "ja" else "transaction code") in squash(
            Page(missing.text).text)
        received = browser.post("/wallet/receive", offer=link, tx_code=code)
        assert received.status_code == 200, received.text
        page = Page(received.text)
        assert_accessible(page, language)
        [public_id] = re.findall(r'id="received" href="/wallet/credentials/([0-9a-f]{32})"',
                                 received.text)
        shown = browser.get(f"/wallet/credentials/{public_id}")
        assert shown.status_code == 200
        again = browser.post("/wallet/receive", offer=link, tx_code=code)
        assert again.status_code == 422, "an offer is redeemed once"
    finally:
        browser.close()


@pytest.mark.parametrize(("language", "words"), [
    ("ja", "証明の提供（オファー）ではありません"),
    ("en", "This is not a credential offer"),
])
def test_a_garbage_offer_is_refused_in_place(site: Site, language: str, words: str) -> None:
    """Something that is not an offer: the reason in the page's language, next to the form
    with what was typed; nothing is added to the wallet."""
    browser = FormBrowser(site.live, "hanako@example.jp", language)
    try:
        before = browser.get("/wallet").text.count("data-id=")
        refused = browser.post("/wallet/receive", offer="not an offer at all")
        assert refused.status_code == 422
        page = Page(refused.text)
        assert_accessible(page, language)
        assert words in squash(page.text)
        assert 'id="receive-error"' in refused.text
        assert "not an offer at all" in refused.text
        assert browser.get("/wallet").text.count("data-id=") == before
    finally:
        browser.close()
