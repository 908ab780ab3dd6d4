"""The degree as a European Digital Credential over HTTP (issue 56), on SQLite and
PostgreSQL: before the degree is issued neither the record's documents page nor the API
offers one; once ``credstack registrar-documents issue`` has issued it, the page links the
sealed EDC in both primary languages and the API answers the same document to a client
allowed ``records:read`` (the certificate office's own right); each download is a JAdES
seal whose signature holds over an ELM qualification of the student's degree; a learner is
refused it, and once the record's documents are withdrawn the link is gone and the download
is refused (409)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from credstack.core.elm import jades
from credstack.entrypoints.cli.main import app
from credstack.settings import Settings
from tests.accounts import api_client, bearer_token
from tests.conftest import store_environment
from tests.entrypoints.web.pages.forms import FormBrowser
from tests.entrypoints.web.pages.registrar_site import CLERK, SLUG, STUDENT, Site, registrar_site

NUMBER = "20A1001"
DOCUMENTS = f"/workspace/{SLUG}/records/{NUMBER}/documents"
API = f"/api/registrar/{SLUG}/students/{NUMBER}/degree-edc.json"


@pytest.fixture(scope="module")
def site(module_settings: Settings) -> Iterator[Site]:
    yield from registrar_site(module_settings)


@pytest.fixture(scope="module")
def clerk(site: Site) -> Iterator[FormBrowser]:
    browser = FormBrowser(site.live, CLERK, "en")
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def api(site: Site) -> Iterator[httpx.Client]:
    client_id, secret = api_client(site.live.settings, CLERK, ["records:read"])
    token = bearer_token(site.live.url, client_id, secret)
    with httpx.Client(base_url=site.live.url, timeout=60,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def sealed(response: httpx.Response) -> dict[str, Any]:
    """The ELM credential a sealed EDC download carries, its seal's signature checked."""
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    document = json.loads(response.content)
    seal = jades.read_seal(document)
    jades.verify_signature(document, seal)
    credential: dict[str, Any] = json.loads(seal.payload)
    return credential


def edc_links(html: str) -> dict[str, str]:
    return {language: href.replace("&amp;", "&") for href, language in
            re.findall(r'<a href="([^"]+)"[^>]*data-edc="(\w+)"', html)}


def test_the_degree_is_offered_as_an_edc_only_once_issued_and_in_force(
        site: Site, clerk: FormBrowser, api: httpx.Client) -> None:
    page = clerk.get(DOCUMENTS)
    assert page.status_code == 200, page.text[:2000]
    assert 'id="degree-edc"' not in page.text
    assert api.get(API).status_code == 404

    issued = CliRunner().invoke(app, [
        "registrar-documents", "issue", NUMBER, "--organisation", SLUG,
        "--kind", "degree", "--form", "vc", "--out", str(site.live.settings.data_dir / "out")],
        env=store_environment(site.live.settings, secret=site.live.settings.secret_key))
    assert issued.exit_code == 0, issued.output

    page = clerk.get(DOCUMENTS)
    links = edc_links(page.text)
    assert links == {"ja": f"/workspace/{SLUG}/records/{NUMBER}/degree-edc.json?lang=ja",
                     "en": f"/workspace/{SLUG}/records/{NUMBER}/degree-edc.json?lang=en"}
    japanese, english = sealed(clerk.get(links["ja"])), sealed(clerk.get(links["en"]))
    for credential in (japanese, english):
        claim = credential["credentialSubject"]["hasClaim"][0]
        assert claim["specifiedBy"]["type"] == "Qualification"
        assert claim["specifiedBy"]["title"]["ja"] == "学士（工学）"
        assert credential["credentialSubject"]["identifier"][0]["notation"] == NUMBER
    api_read = sealed(api.get(API, params={"lang": "en"}))
    assert api_read["credentialSubject"]["hasClaim"][0]["specifiedBy"] == (
        english["credentialSubject"]["hasClaim"][0]["specifiedBy"])

    student = FormBrowser(site.live, STUDENT, "en")
    try:
        assert student.get(links["ja"]).status_code == 403
    finally:
        student.close()

    withdrawn = clerk.post(f"{DOCUMENTS}/withdraw", reason="Degree rescinded")
    assert withdrawn.status_code == 303, withdrawn.text[:2000]
    assert 'id="degree-edc"' not in clerk.get(DOCUMENTS).text
    assert clerk.get(links["en"]).status_code == 409
    assert api.get(API).status_code == 409
