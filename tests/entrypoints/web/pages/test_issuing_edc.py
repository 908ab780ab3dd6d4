"""The European Digital Credential downloads on the issuer's credential page and the learner's
wallet page, in Japanese and English, over real HTTP: each link gives a JAdES-sealed EDC
that verifies, its primary language the one the link names.

One server for the module on each database (SQLite and PostgreSQL): hokuto-tech's batch of
three and a credential issued to each of two learners before it starts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator

import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.elm import jades
from credstack.settings import Settings
from tests.accounts import add_user, issued_credentials
from tests.conftest import LiveServer, at_own_url, issued_to_members, serve
from tests.entrypoints.web.pages import test_issuing_pages as issuing_pages
from tests.entrypoints.web.pages.test_issuing_pages import (
    COHORT,
    ISSUER,
    SLUG,
    Issuing,
    path,
)
from tests.entrypoints.web.pages.test_wallet_pages import (
    NOBODYS,
    Browser,
    Wallets,
    dcc,
    done,
    email,
    fresh,
)

_PRIMARY = {"ja": "/JPN", "en": "/ENG"}
LEARNERS = ("kazuko", "sachiko")


@dataclasses.dataclass(frozen=True)
class Site:
    live: LiveServer
    #: The batch hokuto-tech's issuer sees (ids, newest first).
    batch: list[str]
    #: Learner → the id of the credential issued to them.
    issued: dict[str, str]


@pytest.fixture(scope="module")
def site(module_settings: Settings) -> Iterator[Site]:
    secret = module_settings.secret_key or new_master_key_text()
    settings, port = at_own_url(module_settings, secret_key=secret)
    ids = issued_to_members(settings, {email(name): name.title() for name in LEARNERS},
                            batch="edc-wallet")
    batch = issued_credentials(settings, secret=secret, now=dt.datetime.now(dt.UTC),
                               cohort=COHORT, batch="2026-spring")
    add_user(settings, ISSUER, name="Issuer", roles=[(SLUG, "issuer")])
    for live in serve(settings, port=port):
        yield Site(live, batch, dict(zip(reversed(LEARNERS), ids, strict=True)))


@pytest.fixture
def issuing(site: Site) -> Issuing:
    return Issuing(site.live, site.batch)


@pytest.fixture
def issuer(issuing: Issuing) -> Iterator[issuing_pages.Browser]:
    browser = issuing_pages.Browser(issuing.live, ISSUER)
    yield browser
    browser.http.close()


@pytest.fixture
def wallets(site: Site) -> Wallets:
    return Wallets(site.live, site.issued)


def _sealed_in(response_text: str, language: str) -> dict[str, object]:
    sealed = json.loads(response_text)
    seal = jades.read_seal(sealed)
    jades.verify_signature(sealed, seal)
    credential: dict[str, object] = json.loads(seal.payload)
    display = credential["displayParameter"]
    assert isinstance(display, dict)
    assert display["primaryLanguage"]["id"].endswith(_PRIMARY[language])
    return credential


def test_the_issuers_credential_page_offers_the_edc_in_both_languages(
        issuing: Issuing, issuer: issuing_pages.Browser) -> None:
    """Two links beside the PDFs; each download is a sealed EDC of that credential."""
    credential = issuing.batch[0]
    page = issuer.page(path(credential))
    links = [a.attrs["href"] for a in page.all("a") if "/edc.json" in a.attrs.get("href", "")]
    assert links == [path(credential, "/edc.json?lang=ja"), path(credential, "/edc.json?lang=en")]
    for link, language in zip(links, ("ja", "en"), strict=True):
        response = issuer.get(link)
        assert response.status_code == 200, response.text[-500:]
        assert response.headers["content-disposition"].endswith(f'-{language}.json"')
        edc = _sealed_in(response.text, language)
        assert credential in json.dumps(edc["identifier"])


def test_the_learners_wallet_page_offers_the_edc_and_only_of_their_own(
        wallets: Wallets) -> None:
    """The wallet page links the EDC in the page's language and the other; another learner
    gets a 404; a credential issued elsewhere has none."""
    learner = Browser(wallets.live, "sachiko")
    try:
        own = learner.ids()[0]
        page = learner.page(f"/wallet/credentials/{own}")
        links = [a.attrs["href"] for a in page.all("a")
                 if "/edc.json" in a.attrs.get("href", "")]
        assert links == [f"/wallet/credentials/{own}/edc.json?language=en",
                         f"/wallet/credentials/{own}/edc.json?language=ja"]
        for link, language in zip(links, ("en", "ja"), strict=True):
            response = learner.get(link)
            assert response.status_code == 200, response.text[-500:]
            _sealed_in(response.text, language)
        other = Browser(wallets.live, "kazuko")
        try:
            assert other.get(f"/wallet/credentials/{own}/edc.json").status_code == 404
        finally:
            other.close()
    finally:
        learner.close()
    stranger = fresh(wallets, "elsewhere")
    try:
        foreign = done(stranger.paste(dcc(NOBODYS).decode())).split("/")[-1].split("?")[0]
        page = stranger.get(f"/wallet/credentials/{foreign}")
        assert page.status_code == 200 and "edc.json" not in page.text
        refused = stranger.get(f"/wallet/credentials/{foreign}/edc.json")
        assert refused.status_code == 404 and "not issued on this platform" in refused.text
    finally:
        stranger.close()
