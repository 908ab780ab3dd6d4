"""The credential's own page (``_credential.html``), as ``/verify/{id}`` shows it over HTTP in
Japanese, English and Korean: the badge large, the issuer, the title, what was achieved, the
live verification, the link to copy, LinkedIn's "Add licence or certification" form filled in
(read back field by field), the Open Graph preview made from the badge, and ids only inside
the folded technical details. The store is the one of
``tests/services/certificates/test_service.py``: programme 1 published, a credential issued.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import httpx
import pytest

from tests.conftest import Issued, serve_issued, sqlite_store
from tests.entrypoints.web.pages.test_programmes import HTML, get_page, squash
from tests.services.certificates.test_service import SECRET, prepare

#: What the page's sections are called, by language (the catalogues' words).
WORDS = {
    "ja": ("修得した内容", "共有・保存", "いま検証しました", "LinkedIn のプロフィールに追加"),
    "en": ("What was achieved", "Share and keep", "Checked just now", "Add to LinkedIn profile"),
    "ko": ("성취한 내용", "공유 및 보관", "방금 확인했습니다", "LinkedIn 프로필에 추가"),
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Iterator[Issued]:
    settings = sqlite_store(tmp_path_factory.mktemp("credential-page") / "data",
                            _sqlite_template)
    yield from serve_issued(settings, prepare, secret_key=SECRET)


@pytest.fixture(scope="module")
def http(live: Issued) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.server.url, headers=HTML, timeout=60) as client:
        yield client


def _credential(live: Issued) -> tuple[str, str]:
    """The issued credential's id and its /verify/{id} address as the site names it."""
    credential_id = live.credentials["eddsa-rdfc-2022"]
    public_url = live.server.settings.public_url.rstrip("/")
    return credential_id, f"{public_url}/verify/{quote(credential_id, safe=':')}"


@pytest.mark.parametrize("lang", ["ja", "en", "ko"])
def test_the_page_shows_the_credential_in_the_readers_language(http: httpx.Client,
                                                              live: Issued, lang: str) -> None:
    """One article: the badge at 200 px, the issuer, the title as its heading, what was
    achieved, the verdict checked just now with what was checked folded, and the actions —
    each section named in the reader's language."""
    credential_id, _ = _credential(live)
    page = get_page(http, f"/verify/{credential_id}", **{"Accept-Language": lang})
    [article] = page.all("article", **{"class": "credential"})
    badge = page.one("img", **{"class": "badge-image credential__badge"})
    assert (badge.attrs["src"], badge.attrs["width"], badge.attrs["height"]) == (
        "/badges/1/v1.svg", "200", "200")
    assert badge.attrs["alt"]
    assert squash(page.one("p", **{"class": "credential__issuer"}).text)
    assert squash(page.one("h2", id="credential-title").text)
    did, actions, checked, linkedin = WORDS[lang]
    assert squash(page.one("h3", id="credential-did").text) == did
    assert squash(page.one("h3", id="credential-actions").text) == actions
    assert checked in article.text
    assert linkedin in page.one("a", **{"data-action": "linkedin"}).text
    # The full report is the live verification here: its verdict and its folded checks.
    assert page.one("div", id="verify-verdict").attrs["data-verified"] == "true"
    assert page.one("details", id="verify-details")


def test_the_linkedin_link_fills_in_the_add_certification_form(http: httpx.Client,
                                                              live: Issued) -> None:
    """LinkedIn's "Add licence or certification" address, read back field by field: the
    title, the issuer, the year and month of issue, the /verify/{id} address and the id."""
    credential_id, address = _credential(live)
    page = get_page(http, f"/verify/{credential_id}", **{"Accept-Language": "en"})
    href = page.one("a", **{"data-action": "linkedin"}).attrs["href"]
    url = urlparse(href)
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    fields = parse_qs(url.query)
    issued = next(element.attrs["datetime"] for element in page.all("time")
                  if element.attrs.get("datetime", "").count("-") == 2
                  and "T" not in element.attrs["datetime"])
    year, month, _ = issued.split("-")
    assert fields == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [squash(page.one("h2", id="credential-title").text)],
        "organizationName": [squash(page.one("p", **{"class": "credential__issuer"}).text)],
        "issueYear": [year], "issueMonth": [str(int(month))],
        "certUrl": [address], "certId": [credential_id]}


def test_the_link_to_copy_works_without_javascript(http: httpx.Client, live: Issued) -> None:
    """The address is a read-only field a reader selects; the copy button waits for the
    script (hidden without it)."""
    credential_id, address = _credential(live)
    page = get_page(http, f"/verify/{credential_id}")
    field = page.one("input", id="credential-link")
    assert field.attrs["value"] == address and "readonly" in field.attrs
    assert page.one("label", **{"for": "credential-link"})
    assert "hidden" in page.one("button", **{"data-copy": "credential-link"}).attrs


def test_the_preview_of_the_link_is_made_from_the_badge(http: httpx.Client,
                                                        live: Issued) -> None:
    """og:image is the badge as PNG; og:title the credential's title; og:description says
    who awarded what; og:url the page."""
    credential_id, address = _credential(live)
    page = get_page(http, f"/verify/{credential_id}", **{"Accept-Language": "en"})
    meta = {element.attrs["property"]: element.attrs["content"] for element in page.all("meta")
            if element.attrs.get("property", "").startswith("og:")}
    public_url = live.server.settings.public_url.rstrip("/")
    assert meta["og:image"] == f"{public_url}/badges/1/v1.png"
    assert meta["og:title"] == squash(page.one("h2", id="credential-title").text)
    assert meta["og:url"] == address and meta["og:description"]
    image = http.get("/badges/1/v1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"


def test_ids_are_only_in_the_folded_technical_details(http: httpx.Client,
                                                      live: Issued) -> None:
    """The credential's id is on the page only inside a <details> (and in the addresses of
    the link and of LinkedIn's form); the public page offers no personal downloads."""
    credential_id, _ = _credential(live)
    page = get_page(http, f"/verify/{credential_id}")
    article = page.one("article", **{"class": "credential"})
    folded = [element for element in page.all("details")
              if credential_id in element.text]
    assert folded, "the id is in a technical details fold"
    shown = article.text
    for element in folded:
        shown = shown.replace(element.text, "")
    assert credential_id not in shown
    assert not [a for a in page.all("a") if a.attrs.get("data-action") in {"pdf", "baked", "json"}]
