"""A learner's four public pages in each of the eight languages on a phone (issue 53): the
wallet, the credential's own page (``/verify/{id}``), the verification form and the registry's
search, each in Chromium at 390 px in the language asked for — ``<html lang>`` says it, no
notice that the page falls back, the page's own words are in that language, nothing wider
than the screen, axe-core finding nothing serious — and the search finding the demo programme
that each language's first fixed query finds (``tests/entrypoints/web/api/
test_search_languages.py``).

One tab per language walks the four pages, signed in as the demo learner, as a learner who
reads that language would.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from credstack.demo import load_demo_documents
from credstack.entrypoints.web.i18n import offered
from credstack.entrypoints.web.i18n.translator import Translator
from tests.conftest import LiveServer
from tests.entrypoints.web.api.test_search_languages import QUERIES
from tests.entrypoints.web.pages.conftest import assert_accessible_and_fitting, demo_phone_tab

pytestmark = pytest.mark.browser

LEARNER = "learner@demo.example"
#: The demo's credential, as its certificate's QR code and its e-mail link to it.
CREDENTIAL = "/verify/urn:uuid:d497e63e-8e95-571a-85a9-448cfabc2e94"

TITLES = {programme.code: programme.title.root for programme in
          load_demo_documents().programmes if programme.title}


def _title(code: str, language: str) -> str:
    titles = TITLES[code]
    return titles.get(language) or titles.get("en") or next(iter(titles.values()))


def _read(tab: Any, url: str, language: str, name: str) -> str:
    """Open ``url`` in ``language``; it speaks the language and passes axe and the fit."""
    tab.goto(f"{url}{'&' if '?' in url else '?'}lang={language}")
    assert tab.locator("html").get_attribute("lang") == language, name
    assert tab.locator("#language-notice").count() == 0, name
    assert_accessible_and_fitting(tab, f"53-{name}-{language}")
    return str(tab.locator("body").inner_text())


@pytest.mark.parametrize("language", offered())
def test_a_learner_reads_the_wallet_credential_verification_and_search_in_their_language(
        browser: Any, demo_server: LiveServer, language: str) -> None:
    tab = demo_phone_tab(browser, demo_server, LEARNER, "/wallet", language=language)
    try:
        base = demo_server.url
        wallet = _read(tab, f"{base}/wallet", language, "wallet")
        assert tab.locator("main a[href*='/wallet/credentials/']").count() >= 1, wallet
        credential = _read(tab, f"{base}{CREDENTIAL}", language, "credential")
        assert tab.locator("#verify-verdict").get_attribute("data-outcome") == "verified"
        assert tab.locator("article.credential").count() == 1, credential
        _read(tab, f"{base}/verify", language, "verify")
        assert tab.locator("main form").count() >= 1
        code, queries = QUERIES[language]
        found = _read(tab, f"{base}/search?q={quote(queries[0])}", language, "search")
        assert _title(code, language) in found, (queries[0], found[:500])
        # The interface's own words are the language's: the search form's label, as its
        # catalogue writes it.
        assert str(Translator(language)("nav.search")) in found
    finally:
        tab.context.close()
