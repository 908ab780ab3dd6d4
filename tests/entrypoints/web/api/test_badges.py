"""Badge images and baked credentials over HTTP, on a real server (SQLite and PostgreSQL).

A store with an organisation, its Ed25519 key, one published programme (id 1) and one draft
(id 2); credentials issued to a cohort with Data Integrity and with VC-JWT. A baked image
goes out through the API, its credential comes back out of it and verifies through
``POST /credentials/verify``; tampered with, it does not.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections.abc import Iterator
from urllib.parse import quote

import defusedxml.ElementTree as SafeET
import httpx
import pytest

from credstack.adapters.keystore import new_master_key_text
from credstack.core.credentials.baking_png import bake_png, extract_png, read_chunks
from credstack.core.credentials.baking_svg import extract_svg
from credstack.core.images.baked import PayloadKind, Standard
from credstack.settings import Settings
from tests.accounts import issued_credentials, provider_store
from tests.conftest import Issued, operator_client, operator_token, serve_issued

SECRET = new_master_key_text()
NOW = dt.datetime(2025, 4, 1, 9, 0, tzinfo=dt.UTC)


def _prepare(settings: Settings) -> dict[str, str]:
    """Organisation, key, programmes 1 (published) and 2 (draft), and two cohorts issued."""
    provider_store(settings, secret=SECRET, now=NOW, drafts=["DRAFT-1"])
    return {securing: issued_credentials(
        settings, secret=SECRET, now=NOW, batch=securing, securing=securing,
        cohort=f"email,name.ja,name.en\n{securing}@example.jp,学習者,Learner\n")[0]
        for securing in ("eddsa-rdfc-2022", "vc-jwt")}


@pytest.fixture(scope="module")
def live(module_settings: Settings) -> Iterator[Issued]:
    """One prepared store and server per database for the module: its tests read the badges
    and baked images of what was issued before it started (one issues a credential of its
    own, which no other test looks for)."""
    yield from serve_issued(module_settings, _prepare, secret_key=SECRET)


@pytest.fixture(scope="module")
def _operator(live: Issued) -> str:
    return operator_token(live.server)


@pytest.fixture
def http(live: Issued, _operator: str) -> Iterator[httpx.Client]:
    with operator_client(live.server, token=_operator, timeout=30) as client:
        yield client


def _verify(http: httpx.Client, credential: object) -> httpx.Response:
    return http.post("/credentials/verify", json={"verifiableCredential": credential})


# --- programme badges -----------------------------------------------------------------------


def test_the_svg_badge_of_a_published_version_is_cacheable_and_safe(http: httpx.Client) -> None:
    """SVG with an ETag, kept by caches and asked again each time, and a CSP that forbids
    every load."""
    response = http.get("/badges/1/v1.svg")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "public, no-cache"
    assert response.headers["content-security-policy"] == "default-src 'none'"
    root = SafeET.fromstring(response.content)
    assert root.get("role") == "img"
    assert "マイクロクレデンシャル" in response.text
    again = http.get("/badges/1/v1.svg", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["etag"] == response.headers["etag"]


def test_the_png_badge_is_a_512_pixel_square(http: httpx.Client) -> None:
    response = http.get("/badges/1/v1.png")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    header = read_chunks(response.content)[0]
    assert struct.unpack(">II", header.data[:8]) == (512, 512)
    assert response.headers["etag"]
    assert http.get("/badges/1/v1.png", headers={
        "If-None-Match": f'"x", {response.headers["etag"]}'}).status_code == 304


@pytest.mark.parametrize("path", ["/badges/2/v1.svg", "/badges/2/v1.png", "/badges/1/v9.svg",
                                  "/badges/99/v1.png"])
def test_drafts_and_unknown_versions_have_no_badge(http: httpx.Client, path: str) -> None:
    assert http.get(path).status_code == 404


# --- baked credentials ----------------------------------------------------------------------


def test_a_baked_png_credential_comes_out_and_verifies(http: httpx.Client, live: Issued) -> None:
    """Data Integrity: the stored JSON is baked; extracted, it verifies."""
    credential_id = live.credentials["eddsa-rdfc-2022"]
    response = http.get(f"/api/credentials/{credential_id}/baked.png")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-store"
    extracted = extract_png(response.content)
    assert (extracted.standard, extracted.kind) == (Standard.OB3, PayloadKind.JSON)
    assert extracted.document is not None
    assert extracted.document["id"] == credential_id
    verified = _verify(http, extracted.document)
    assert verified.status_code == 200, verified.json()["errors"]
    assert verified.json()["verified"] is True


def test_a_tampered_baked_credential_does_not_verify(http: httpx.Client, live: Issued) -> None:
    """Change one word of the baked credential and bake it again: the proof fails."""
    credential_id = live.credentials["eddsa-rdfc-2022"]
    image = http.get(f"/api/credentials/{credential_id}/baked.png").content
    document = extract_png(image).document
    assert document is not None
    document["credentialSubject"]["achievement"]["name"] = "Advanced Data Science"
    tampered = bake_png(image, json.dumps(document, ensure_ascii=False), replace=True)
    response = _verify(http, extract_png(tampered).document)
    assert response.status_code == 400
    assert response.json()["verified"] is False
    proof = next(check for check in response.json()["checks"] if check["check"] == "proof")
    assert proof["ok"] is False


def test_a_vc_jwt_is_baked_as_its_compact_jws_in_svg(http: httpx.Client, live: Issued) -> None:
    credential_id = live.credentials["vc-jwt"]
    response = http.get(f"/api/credentials/{credential_id}/baked.svg")
    assert response.status_code == 200, response.text
    assert response.headers["content-security-policy"] == "default-src 'none'"
    extracted = extract_svg(response.content)
    assert (extracted.standard, extracted.kind) == (Standard.OB3, PayloadKind.JWS)
    assert extracted.where == "verify attribute of the <openbadges:credential> element"
    verified = _verify(http, extracted.text)
    assert verified.status_code == 200, verified.json()["errors"]
    assert "マイクロクレデンシャル" in response.text


def test_a_vc_api_credential_without_a_programme_is_baked_into_a_plain_badge(
        http: httpx.Client) -> None:
    """No registered programme: the badge comes from the credential and never says MC."""
    issued = http.post("/issuers/eddsa-rdfc-2022/credentials/issue", json={"credential": {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:learner"}}})
    assert issued.status_code == 201, issued.text
    credential = issued.json()["verifiableCredential"]
    response = http.get(f"/api/credentials/{credential['id']}/baked.svg")
    assert response.status_code == 200, response.text
    assert "マイクロクレデンシャル" not in response.text
    assert extract_svg(response.content).document == credential


def test_an_unknown_credential_has_no_baked_image(http: httpx.Client) -> None:
    response = http.get("/api/credentials/urn:uuid:00000000-0000-0000-0000-000000000000"
                        "/baked.png")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("extension", ["png", "svg"])
def test_a_baked_badge_downloads_as_a_file_named_after_the_programme(
        http: httpx.Client, live: Issued, extension: str) -> None:
    """``Content-Disposition: attachment``: a browser saves it rather than opening it, under
    the programme's code (ASCII) and title (UTF-8, RFC 6266 ``filename*``)."""
    credential_id = live.credentials["eddsa-rdfc-2022"]
    response = http.get(f"/api/credentials/{credential_id}/baked.{extension}")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="DS-101-badge.{extension}"' in disposition
    assert ("filename*=UTF-8''" + quote(f"実践データサイエンス入門.{extension}")) in disposition
