"""PDF certificates over real HTTP, on SQLite and PostgreSQL: the API and the /verify page.

``GET /api/credentials/{id}/certificate.pdf`` makes the signed PDF; ``POST
/api/certificates/verify`` and the upload on ``/verify`` verify one; ``/verify/{id}`` is where
a certificate's QR code leads. The store is the one of ``tests/adapters/test_pdf.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from cryptography import x509

from credstack.services.audit import service as audit
from credstack.settings import Settings
from tests.accounts import store_session
from tests.conftest import Issued, operator_client, serve_issued
from tests.entrypoints.web.pages.test_programmes import HTML, Page, get_page
from tests.entrypoints.web.pages.test_verification import outcomes, upload, verdict
from tests.services.certificates.test_service import SECRET, SLUG, need_pdfsig, pdfsig, prepare

EN = {**HTML, "Accept-Language": "en"}


@pytest.fixture
def live(settings: Settings) -> Iterator[Issued]:
    yield from serve_issued(settings, prepare, secret_key=SECRET)


@pytest.fixture
def http(live: Issued) -> Iterator[httpx.Client]:
    with operator_client(live.server, timeout=60) as client:
        yield client


def download(http: httpx.Client, credential_id: str, lang: str = "ja") -> httpx.Response:
    return http.get(f"/api/credentials/{quote(credential_id, safe=':')}/certificate.pdf",
                    params={"lang": lang})


def tamper(data: bytes) -> bytes:
    changed = bytearray(data)
    changed[changed.index(b"/CIDFontType0C") + 300] ^= 0x01
    return bytes(changed)


# --- the API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_downloaded_certificate_verifies_through_the_api(http: httpx.Client, live: Issued,
                                                           lang: str) -> None:
    """GET the PDF, POST it back (as the body): 200, verified, signed by the organisation."""
    credential_id = live.credentials["eddsa-rdfc-2022"]
    response = download(http, credential_id, lang)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].endswith(f'-{lang}.pdf"')
    assert response.content.startswith(b"%PDF-")
    checked = http.post("/api/certificates/verify", content=response.content,
                        headers={"Content-Type": "application/pdf"})
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert body["verified"] is True and body["errors"] == []
    assert [item["check"] for item in body["checks"][:2]] == ["pdf-signature",
                                                              "pdf-credential"]
    assert body["checks"][0]["title"]["ja"] == "PDF の電子署名"
    assert body["pdf"]["signer"]["organisation"] == SLUG
    assert body["pdf"]["credential_embedded"] is True
    assert body["meaning"]["achievement"]["id"].endswith("/achievements/1/v1")


def test_a_vc_jwt_certificate_verifies_as_a_multipart_upload(http: httpx.Client,
                                                             live: Issued) -> None:
    data = download(http, live.credentials["vc-jwt"], "en").content
    checked = http.post("/api/certificates/verify",
                        files={"file": ("certificate.pdf", data, "application/pdf")})
    assert checked.status_code == 200, checked.text
    assert checked.json()["verified"] is True


def test_a_tampered_certificate_is_not_verified_and_the_api_says_why(http: httpx.Client,
                                                                     live: Issued) -> None:
    data = tamper(download(http, live.credentials["eddsa-rdfc-2022"]).content)
    checked = http.post("/api/certificates/verify", content=data,
                        headers={"Content-Type": "application/pdf"})
    assert checked.status_code == 400
    body = checked.json()
    assert body["verified"] is False
    failed = {error["check"]: error["code"] for error in body["errors"]}
    assert failed["pdf-signature"] == "altered"
    assert body["errors"][0]["title"] == "PDF signature"


def test_unusable_uploads_are_problems(http: httpx.Client) -> None:
    """Over the body limit: 413; not a PDF or nothing sent: 422 — never a verdict."""
    huge = http.post("/api/certificates/verify", content=b"%PDF-1.7\n" + b"0" * 2_000_000,
                     headers={"Content-Type": "application/pdf"})
    assert huge.status_code == 413
    not_pdf = http.post("/api/certificates/verify", content=b'{"id": "x"}',
                        headers={"Content-Type": "application/pdf"})
    assert not_pdf.status_code == 422
    assert "not a PDF" in not_pdf.json()["detail"]
    empty = http.post("/api/certificates/verify", files={"other": ("a", b"x", "text/plain")})
    assert empty.status_code == 422


def test_certificates_are_refused_for_unknown_credentials_and_languages(
        http: httpx.Client, live: Issued) -> None:
    missing = download(http, "urn:uuid:00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = download(http, live.credentials["eddsa-rdfc-2022"], "fr")
    assert wrong.status_code == 422


def test_the_certificate_authority_is_published_once_made(http: httpx.Client,
                                                          live: Issued) -> None:
    assert http.get(f"/api/organisations/{SLUG}/certificate-authority").status_code == 404
    assert download(http, live.credentials["eddsa-rdfc-2022"]).status_code == 200
    response = http.get(f"/api/organisations/{SLUG}/certificate-authority")
    assert response.status_code == 200
    body = response.json()
    assert body["authority"]["pem"].startswith("-----BEGIN CERTIFICATE-----")
    assert body["signing"]["issuer"] == body["authority"]["subject"]


def test_pdfsig_validates_the_downloaded_certificate(http: httpx.Client, live: Issued,
                                                     tmp_path) -> None:
    need_pdfsig()
    path = tmp_path / "certificate.pdf"
    path.write_bytes(download(http, live.credentials["eddsa-rdfc-2022"]).content)
    authority = x509.load_pem_x509_certificate(
        http.get(f"/api/organisations/{SLUG}/certificate-authority").json()["authority"]["pem"]
        .encode())
    said = pdfsig(path, trusted=[authority])
    assert "Signature is Valid." in said and "Total document signed" in said, said
    assert "Certificate is Trusted." in said, said


# --- the verification page ---------------------------------------------------------------------


def test_the_verify_page_verifies_an_uploaded_pdf(http: httpx.Client, live: Issued) -> None:
    """A PDF chosen on /verify is verified as a certificate: its checks, then the credential's."""
    data = download(http, live.credentials["eddsa-rdfc-2022"]).content
    response = upload(http, "certificate-ja.pdf", data)
    assert response.status_code == 200, response.text
    page = Page(response.text)
    assert verdict(page) == "true"
    found = outcomes(page)
    assert found["pdf-signature"] == "passed" and found["pdf-credential"] == "passed"
    assert found["proof"] == "passed"
    assert "PDF の電子署名" in page.text
    assert "山田 花子" in page.text
    assert "certificate-ja.pdf" in page.text


def test_the_verify_page_shows_why_a_tampered_pdf_fails(http: httpx.Client,
                                                        live: Issued) -> None:
    data = tamper(download(http, live.credentials["eddsa-rdfc-2022"]).content)
    page = Page(upload(http, "certificate.pdf", data, **EN).text)
    assert verdict(page) == "false"
    assert outcomes(page)["pdf-signature"] == "failed"
    assert "altered after it was signed" in page.text


def test_the_verify_page_explains_an_unreadable_pdf(http: httpx.Client) -> None:
    response = upload(http, "broken.pdf", b"%PDF-1.7\nthis is not really a PDF\n")
    assert response.status_code == 422
    assert "PDF" in Page(response.text).one("div", id="verify-problem").text


def test_the_qr_code_page_verifies_the_stored_credential(http: httpx.Client,
                                                         live: Issued) -> None:
    """/verify/<credential id>: the credential from the store, verified, in the page's shape."""
    credential_id = live.credentials["eddsa-rdfc-2022"]
    page = get_page(http, f"/verify/{credential_id}", **EN)
    assert verdict(page) == "true"
    assert outcomes(page)["proof"] == "passed"
    assert "Hanako Yamada" in page.text or "山田 花子" in page.text
    missing = http.get("/verify/urn:uuid:00000000-0000-0000-0000-000000000000", headers=HTML)
    assert missing.status_code == 404


# --- revocation --------------------------------------------------------------------------------


def test_a_revocation_through_the_api_is_published_in_the_crl(http: httpx.Client,
                                                              live: Issued) -> None:
    """POST …/revocations (keys:manage; anonymous refused), then the public CRL lists it and a
    PDF it signed fails; the CRL URL is the one the signing certificate names."""
    credential_id = live.credentials["eddsa-rdfc-2022"]
    signed = download(http, credential_id).content
    info = http.get(f"/api/organisations/{SLUG}/certificate-authority").json()
    authority = x509.load_pem_x509_certificate(info["authority"]["pem"].encode())
    signing = x509.load_pem_x509_certificate(info["signing"]["pem"].encode())
    (point,) = signing.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    url = point.full_name[0].value
    public_url = live.server.settings.public_url
    assert url == info["crl_url"] and url.startswith(public_url + "/organisations/")
    path = url.removeprefix(public_url)
    with httpx.Client(base_url=live.server.url, timeout=60) as anonymous:
        listed = anonymous.get(path)
        assert listed.status_code == 200
        assert listed.headers["content-type"] == "application/pkix-crl"
        assert len(x509.load_der_x509_crl(listed.content)) == 0
        refused = anonymous.post(
            f"/api/organisations/{SLUG}/certificate-authority/revocations", json={})
        assert refused.status_code in {401, 403}
    revoked = http.post(f"/api/organisations/{SLUG}/certificate-authority/revocations",
                        json={"reason": "cessationOfOperation"})
    assert revoked.status_code == 201, revoked.text
    assert revoked.json()["serial_number"] == format(signing.serial_number, "x")
    with store_session(live.server.settings) as session:
        (logged,) = audit.entries(session, subject=f"{SLUG}:{format(signing.serial_number, 'x')}")
    assert (logged.action, logged.details) == (
        "certificate.revoked", {"organisation": SLUG, "reason": "cessationOfOperation"})
    crl = x509.load_der_x509_crl(http.get(path).content)
    assert crl.is_signature_valid(authority.public_key())
    entry = crl.get_revoked_certificate_by_serial_number(signing.serial_number)
    assert entry is not None
    checked = http.post("/api/certificates/verify", content=signed,
                        headers={"Content-Type": "application/pdf"})
    assert checked.status_code == 400
    failed = {item["check"]: item["code"] for item in checked.json()["errors"]}
    assert failed["pdf-revocation"] in {"revoked", "revoked-no-timestamp"}
    wrong = http.post(f"/api/organisations/{SLUG}/certificate-authority/revocations",
                      json={"reason": "certificateHold"})
    assert wrong.status_code == 422
    assert http.get(f"/organisations/{SLUG}/ca/{'0' * 40}.crl").status_code == 404
