"""The trust line on the employer's comparison page: beside each credential's issuer,
whether the issuer is in a registry the server trusts, in the page's language — the
recognised provider's credential "listed", another issuer's "in no trusted registry" — and
the line never changes a row's outcome.

The server is :func:`tests.entrypoints.web.api.test_verification_trust.trusted_server`'s."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.entrypoints.web.api.test_verification_trust import (
    LISTED_EN,
    LISTED_JA,
    NOT_LISTED_EN,
    NOT_LISTED_JA,
    Trusted,
    trusted_server,
)
from tests.entrypoints.web.pages.test_programmes import HTML, Page, assert_accessible, squash
from tests.entrypoints.web.pages.test_verify_compare import as_file, post
from tests.signed_credentials import signed

LINES = {("listed", "ja"): LISTED_JA, ("listed", "en"): LISTED_EN,
         ("not-listed", "ja"): NOT_LISTED_JA, ("not-listed", "en"): NOT_LISTED_EN}


@pytest.fixture(scope="module")
def trusted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trusted]:
    yield from trusted_server(tmp_path_factory.mktemp("compare-trust"))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_credentials_issuer_has_its_trust_line(trusted: Trusted, language: str) -> None:
    other = signed()
    with httpx.Client(base_url=trusted.live.url, timeout=60, headers=HTML) as http:
        answer = post(http, as_file("recognised.json", trusted.recognised),
                      as_file("other.json", other), **{"Accept-Language": language})
    assert answer.status_code == 200, answer.text[:400]
    page = Page(answer.text)
    assert_accessible(page, language)
    outcomes = [row.attrs["data-outcome"] for row in page.all("tr")
                if "data-outcome" in row.attrs]
    lines = [span for span in page.all("span") if "data-trust" in span.attrs]
    assert outcomes == ["verified", "verified"]
    assert [line.attrs["data-trust"] for line in lines] == ["listed", "not-listed"]
    for line, issuer in zip(lines, (trusted.recognised["issuer"], other["issuer"]),
                            strict=True):
        assert squash(line.text) == LINES[line.attrs["data-trust"], language]
        assert (issuer["id"] if isinstance(issuer, dict) else issuer) not in line.text
