"""The page a certificate's QR code, an e-mail or a LinkedIn post opens: ``/verify/{id}``.

The result comes first — the badge image and the verdict, above the fold — and the form to
verify another credential after it. The store is the one of
``tests/services/certificates/test_service.py``: programme 1 published, a credential issued.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from credstack.settings import Settings
from tests.conftest import Issued, serve_issued
from tests.entrypoints.web.pages.test_programmes import HTML, Page, get_page
from tests.services.certificates.test_service import SECRET, prepare


@pytest.fixture
def live(sqlite_settings: Settings) -> Iterator[Issued]:
    yield from serve_issued(sqlite_settings, prepare, secret_key=SECRET)


@pytest.fixture
def http(live: Issued) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.server.url, headers=HTML, timeout=60) as client:
        yield client


def position(page: Page, tag: str, **attrs: str) -> int:
    """Where the one ``tag`` with ``attrs`` stands among the page's elements."""
    return page.elements.index(page.one(tag, **attrs))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_result_comes_before_the_form(http: httpx.Client, live: Issued, lang: str) -> None:
    """The verdict is the page's first section after the heading; the form follows it."""
    page = get_page(http, f"/verify/{live.credentials['eddsa-rdfc-2022']}",
                    **{"Accept-Language": lang})
    verdict = position(page, "div", id="verify-verdict")
    form = page.elements.index(next(e for e in page.all("form")
                                    if e.attrs.get("class") == "verify-form"))
    assert verdict < form
    # Nothing but the heading and the badge stands between the page's title and the verdict.
    assert position(page, "h1") < verdict
    assert not page.all("textarea")[0].text.strip()


def test_the_result_shows_the_programmes_badge(http: httpx.Client, live: Issued) -> None:
    """The badge image of the credential's programme version, with a text alternative."""
    page = get_page(http, f"/verify/{live.credentials['eddsa-rdfc-2022']}")
    badge = page.one("img", **{"class": "badge-image credential__badge"})
    assert badge.attrs["src"] == "/badges/1/v1.svg"
    assert badge.attrs["alt"]
    assert position(page, "img", **{"class": "badge-image credential__badge"}) < position(
        page, "div", id="verify-verdict")
    image = http.get(badge.attrs["src"])
    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/svg+xml")


@pytest.mark.parametrize(("lang", "kind"), [("ja", "種類："), ("en", "Kind: ")])
def test_the_achievements_type_is_in_words(http: httpx.Client, live: Issued, lang: str,
                                           kind: str) -> None:
    """The achievement's type is named in the page's words beside its title (not glued to
    it as ``MicroCredential``)."""
    page = get_page(http, f"/verify/{live.credentials['eddsa-rdfc-2022']}",
                    **{"Accept-Language": lang})
    [tag] = [span for span in page.all("span") if span.attrs.get("class") == "tag"
             and span.text.startswith(kind)]
    assert "MicroCredential" not in tag.text and "Achievement" not in tag.text
