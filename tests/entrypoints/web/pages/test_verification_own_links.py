"""The site's own addresses on the verification pages (``/verify`` and ``/verify/compare``).

What a verifier is most often given by a learner of this site is an address, not a file: the
credential's verification page (``/verify/<id>``, a certificate's QR code), the share link
the learner copies from the wallet (``/s/<secret>``), or where one of its files downloads
from (the baked PNG badge, the PDF certificate, the European Digital Credential, as the
learner's and the issuer's credential pages offer them). Both pages read such an address from
the store — the server never fetches its own pages — and verify the credential it names. One
server on SQLite for the module, the configured public address not the one it listens at.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import httpx
import pytest

from credstack.core.certificates.content import verification_url
from tests.accounts import ORGANISATION, signed_in_client
from tests.conftest import LiveServer, issued_to_members, keyed_sqlite, serve
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash
from tests.entrypoints.web.pages.test_verification import banner, paste, verdict
from tests.entrypoints.web.pages.test_verify_compare import post, rows

LEARNER = "hanako@example.jp"
CODE = "kita-2026"
EN = {"Accept-Language": "en"}


@dataclasses.dataclass(frozen=True)
class Site:
    live: LiveServer
    #: The learner's share link, and one that asks for :data:`CODE`.
    share: str
    coded: str
    #: The id of the credential issued to her, and its id in her wallet.
    credential_id: str
    wallet_id: str

    @property
    def public_url(self) -> str:
        return self.live.settings.public_url.rstrip("/")

    def downloads(self) -> dict[str, str]:
        """Each address a credential page offers a file of the credential at, by name."""
        own, slug = self.public_url, ORGANISATION["slug"]
        encoded, colon = quote(self.credential_id, safe=""), quote(self.credential_id, safe=":")
        wallet = f"{own}/wallet/credentials/{self.wallet_id}"
        return {
            "baked png": f"{own}/api/credentials/{encoded}/baked.png",
            "baked svg": f"{own}/api/credentials/{encoded}/baked.svg",
            "issuer's pdf": f"{own}/workspace/{slug}/credentials/{colon}/certificate.pdf?lang=ja",
            "issuer's edc": f"{own}/workspace/{slug}/credentials/{colon}/edc.json?lang=en",
            "issuer's json": f"{own}/workspace/{slug}/credentials/{colon}/credential.json",
            "api pdf": f"{own}/api/credentials/{colon}/certificate.pdf?lang=en",
            "api edc": f"{own}/api/credentials/{colon}/edc.json",
            "learner's pdf": f"{wallet}/certificate.pdf?language=ja",
            "learner's edc": f"{wallet}/edc.json?language=en",
            "learner's file": f"{wallet}/original",
        }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = keyed_sqlite(tmp_path_factory.mktemp("verify-own-links"))
    [credential_id] = issued_to_members(settings, {LEARNER: "Hanako"}, batch="own-links")
    for live in serve(settings):
        assert urlsplit(live.url).netloc != urlsplit(live.settings.public_url).netloc
        with signed_in_client(live.url, LEARNER) as learner:
            # Opening the wallet delivers the credential issued to her.
            [wallet_id] = re.findall(r'data-id="([0-9a-f]{32})"',
                                     learner.get("/wallet", headers=HTML).text)
            links = [learner.post("/api/wallet/shares", json={
                "credential": wallet_id, **extra}) for extra in ({}, {"access_code": CODE})]
            assert all(link.status_code == 201 for link in links), links[0].text
        yield Site(live, links[0].json()["url"], links[1].json()["url"], credential_id,
                   wallet_id)


@pytest.fixture
def http(site: Site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.live.url, timeout=60, headers=HTML) as client:
        yield client


# --- the single page --------------------------------------------------------------------


def test_the_credentials_own_verification_link_is_verified_from_the_store(
        site: Site, http: httpx.Client) -> None:
    """The link every learner shares, as a certificate's QR code gives it, with a query and
    a fragment, or its path alone: never refused as an address the server may not fetch."""
    link = verification_url(site.public_url, site.credential_id)
    for pasted in (link, f"  {link}?lang=en#verify-result-title\n",
                   f"/verify/{quote(site.credential_id, safe='')}"):
        response = paste(http, pasted, **EN)
        assert response.status_code == 200, (pasted, response.text)
        page = Page(response.text)
        assert verdict(page) == "true", (pasted, banner(page))
        assert "Hanako" in banner(page)
        text = squash(page.text)
        assert "may not fetch" not in text
        assert "read from this site's records" in text, text
    assert_accessible(page, "en")


def test_the_share_link_a_learner_copies_is_opened_and_checked_now(
        site: Site, http: httpx.Client) -> None:
    page = Page(paste(http, site.share, **EN).text)
    assert verdict(page) == "true", banner(page)
    assert "Hanako" in banner(page)
    assert "share link" in squash(page.one("p", id="verify-source").text)


def test_a_share_link_that_asks_for_a_code_says_where_to_enter_it(
        site: Site, http: httpx.Client) -> None:
    response = paste(http, site.coded, **EN)
    assert response.status_code == 422
    page = Page(response.text)
    problem = squash(page.one("div", id="verify-problem").text)
    assert "This link asks for an access code" in problem, problem
    assert page.one("a", href=urlsplit(site.coded).path)


@pytest.mark.parametrize("name", ["baked png", "baked svg", "issuer's pdf", "issuer's edc",
                                  "issuer's json", "api pdf", "api edc", "learner's pdf",
                                  "learner's edc", "learner's file"])
def test_the_address_of_a_file_of_the_credential_is_read_from_the_store(
        site: Site, http: httpx.Client, name: str) -> None:
    """The address a credential page downloads its badge, certificate or EDC from: the
    credential it was made from is read from the store and verified, and the page says so."""
    page = Page(paste(http, site.downloads()[name], **EN).text)
    assert verdict(page) == "true", (name, squash(page.text)[:600])
    assert "Hanako" in banner(page)
    assert "read from this site's records" in squash(page.one("p", id="verify-source").text)


def test_an_own_address_naming_no_credential_says_so(site: Site, http: httpx.Client) -> None:
    for missing in (f"{site.public_url}/verify/urn:uuid:{uuid.uuid4()}",
                    f"{site.public_url}/wallet/credentials/{'0' * 32}/certificate.pdf"):
        response = paste(http, missing, **EN)
        assert response.status_code == 422, missing
        problem = squash(Page(response.text).one("div", id="verify-problem").text)
        assert "This site has no credential at this address." in problem, problem


def test_only_the_configured_public_address_is_the_sites_own(
        site: Site, http: httpx.Client) -> None:
    """The same path at the address the server listens at (not its public one) is an
    address like any other, which the server may not fetch (it is loopback)."""
    response = paste(http, f"{site.live.url}/verify/{site.credential_id}", **EN)
    page = Page(response.text)
    assert page.all("div", id="verify-problem") or verdict(page) != "true"


# --- verify several ---------------------------------------------------------------------


def test_verify_several_reads_every_file_address_from_the_store(
        site: Site, http: httpx.Client) -> None:
    downloads = site.downloads()
    page = Page(post(http, pasted="\n".join(downloads.values()), **EN).text)
    assert [row["outcome"] for row in rows(page)] == ["verified"] * len(downloads), squash(
        page.text)[:2000]


def test_verify_several_says_when_rows_are_one_credential(
        site: Site, http: httpx.Client) -> None:
    """One credential given three ways (its verification page, the share link, its PDF's
    address) is three rows, the second and third saying they are the first's credential;
    in Japanese too."""
    given = [verification_url(site.public_url, site.credential_id), site.share,
             site.downloads()["api pdf"]]
    for language, said in (("en", "The same credential as"), ("ja", "と同じ証明書です")):
        page = Page(post(http, pasted="\n".join(given), **{"Accept-Language": language}).text)
        assert len(rows(page)) == 3
        same = page.all("span", **{"class": "compare-credential__same aside"})
        assert [element.attrs["data-same-as"] for element in same] == ["1", "1"]
        assert all(said in element.text for element in same), [e.text for e in same]
