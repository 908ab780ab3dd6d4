"""One verifier: ``POST /credentials/verify`` takes every format credstack issues and answers
with the same report — OB 3.0 JSON and VC-JWT, a badge image with the credential baked in, a
signed PDF certificate (sent as the body with its media type), and the Open Badges 2.0 form
of the same credential. SQLite and PostgreSQL, real server."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from credstack.services.formats import detect
from tests.conftest import operator_client, serve_issued, shared_store
from tests.services.certificates.test_service import SECRET, prepare


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def issued(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    """An operator's client of a server whose store holds a credential issued with each
    securing mechanism; one per database for the module's tests, which only fetch and
    verify them."""
    for settings in shared_store(request, tmp_path_factory):
        # Open Badges 2.0 issuer profiles need a contact address.
        for live in serve_issued(settings, prepare, secret_key=SECRET,
                                 ob2_contact_email="badges@example.ac.jp"):
            with operator_client(live.server, timeout=60) as client:
                yield client, live.credentials


def path_of(credential_id: str) -> str:
    return quote(credential_id, safe=":")


def verify_body(http: httpx.Client, body: bytes, media_type: str) -> httpx.Response:
    return http.post("/credentials/verify", content=body, headers={"content-type": media_type})


@pytest.mark.parametrize("securing", ["eddsa-rdfc-2022", "vc-jwt"])
def test_a_signed_pdf_certificate_verifies_as_the_body(issued: tuple[httpx.Client, dict],
                                                       securing: str) -> None:
    http, credentials = issued
    pdf = http.get(f"/api/credentials/{path_of(credentials[securing])}/certificate.pdf")
    assert pdf.status_code == 200, pdf.text
    response = verify_body(http, pdf.content, "application/pdf")
    body = response.json()
    assert response.status_code == 200, body["errors"]
    assert {"pdf-signature", "pdf-credential", "proof"} <= {c["check"] for c in body["checks"]}
    tampered = bytearray(pdf.content)
    tampered[len(tampered) // 2] ^= 0x01
    refused = verify_body(http, bytes(tampered), "application/pdf")
    assert refused.status_code == 400
    assert refused.json()["verified"] is False


@pytest.mark.parametrize("image", ["png", "svg"])
def test_a_baked_badge_verifies_as_the_body(issued: tuple[httpx.Client, dict],
                                            image: str) -> None:
    http, credentials = issued
    baked = http.get(f"/api/credentials/{path_of(credentials['eddsa-rdfc-2022'])}/baked.{image}")
    assert baked.status_code == 200, baked.text
    media_type = "image/png" if image == "png" else "image/svg+xml"
    response = verify_body(http, baked.content, media_type)
    assert response.status_code == 200, response.json()["errors"]
    assert response.json()["meaning"]["achievement"]["type"] == "MicroCredential"
    assert response.json()["strict"] is False
    strictly = http.post("/credentials/verify?strict=true", content=baked.content,
                         headers={"content-type": media_type})
    assert strictly.status_code == 200, "it conforms: strictly verified too"
    assert strictly.json()["strict"] is True


def test_the_open_badges_2_form_verifies_as_a_verifiable_credential(
        issued: tuple[httpx.Client, dict]) -> None:
    """The hosted OB 2.0 assertion and the signed one, given as verifiableCredential."""
    http, credentials = issued
    uuid = credentials["eddsa-rdfc-2022"].removeprefix("urn:uuid:")
    hosted = http.get(f"/ob2/assertions/{uuid}")
    assert hosted.status_code == 200, hosted.text
    assert detect(hosted.json()) == "ob2"
    response = http.post("/credentials/verify", json={"verifiableCredential": hosted.json()})
    assert response.status_code == 200, response.json()["errors"]
    signed = http.get(f"/ob2/assertions/{uuid}.jws")
    assert signed.status_code == 200, signed.text
    jws = signed.text.strip()
    assert detect(jws) == "ob2"
    response = http.post("/credentials/verify", json={"verifiableCredential": jws})
    assert response.status_code == 200, response.json()["errors"]


def test_garbage_bodies_are_refused_with_a_report(issued: tuple[httpx.Client, dict]) -> None:
    http, _ = issued
    for media_type, body in (("application/pdf", b"%PDF-1.7 not really"),
                             ("image/png", b"\x89PNG\r\n\x1a\n broken"),
                             ("image/svg+xml", b"<svg><!ENTITY x 'y'></svg>")):
        response = verify_body(http, body, media_type)
        assert response.status_code == 400, (media_type, response.text)
        assert response.json()["verified"] is False
