"""PAdES B-T: PDF certificates timestamped by an RFC 3161 authority, and how they verify.

The time-stamping authority is a real RFC 3161 responder over HTTP, run in the test: pyHanko's
``DummyTimeStamper`` (a third party's, not credstack's) makes and signs the tokens with a TSA
certificate made here, behind a small ``http.server`` answering ``application/timestamp-query``
with ``application/timestamp-reply``. The store is SQLite: nothing here depends on the
database.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from credstack.adapters import tsa as tsa_client
from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.keystore import MasterKey
from credstack.errors import ConfigurationError, TimestampAuthorityError
from credstack.services import formats
from credstack.services.certificates import authority as pki
from credstack.services.certificates import service as pdf
from credstack.services.certificates import verification as pdf_verify
from credstack.settings import Settings
from tests.conftest import free_port, operator_client, serve
from tests.loopback import QuietHandler, serving
from tests.services.certificates.test_service import (
    PUBLIC_URL,
    SECRET,
    SLUG,
    Store,
    authority,
    check,
    cli,
    need_pdfsig,
    now,
    pdfsig,
    prepare,
)

# --- the time-stamping authority -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Tsa:
    root: x509.Certificate
    stamper: DummyTimeStamper


def make_tsa(name: str, *, extra_certificates: int = 0) -> Tsa:
    """A TSA root and a TSA certificate under it (RSA: what DummyTimeStamper signs with),
    with the critical ``timeStamping`` extended key usage RFC 3161 §2.3 requires; its tokens
    carry ``extra_certificates`` copies of the root besides (to make them large)."""
    moment = now()
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} Root")])
    root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(moment - dt.timedelta(days=1))
            .not_valid_after(moment + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(root_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(root_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(moment - dt.timedelta(days=1))
            .not_valid_after(moment + dt.timedelta(days=365))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(root_key, hashes.SHA256()))
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(leaf.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        certs_to_embed=[asn1_x509.Certificate.load(root.public_bytes(
            serialization.Encoding.DER)) for _ in range(extra_certificates)])
    return Tsa(root, stamper)


class Responder(QuietHandler):
    """RFC 3161 §3.4 over HTTP; ``answer`` says how (a real reply, garbage, an error)."""

    stamper: DummyTimeStamper
    answer = "token"
    served: Served

    def do_POST(self) -> None:
        self.served.requests += 1
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.answer == "error":
            self.send_response(500)
            self.end_headers()
            return
        if self.answer == "garbage":
            body = b"\x30\x03\x02\x01\x07 this is not a timestamp reply"
        else:
            assert self.headers["Content-Type"] == "application/timestamp-query"
            started = time.perf_counter()
            body = self.stamper.request_tsa_response(tsp.TimeStampReq.load(query)).dump()
            self.served.busy += time.perf_counter() - started
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclasses.dataclass
class Served:
    url: str
    tsa: Tsa
    requests: int = 0
    #: Seconds the responder spent making tokens (the benchmark subtracts them).
    busy: float = 0.0


@contextlib.contextmanager
def serve_tsa(tsa: Tsa, answer: str = "token") -> Iterator[Served]:
    handler: type[Responder] = type("Handler", (Responder,), {"stamper": tsa.stamper,
                                                              "answer": answer})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # A fresh path per server: credstack keeps one client per authority URL.
    handler.served = served = Served(
        f"http://127.0.0.1:{server.server_address[1]}/tsa/{id(server)}", tsa)
    with serving(server):
        yield served


@pytest.fixture
def tsa() -> Iterator[Served]:
    with serve_tsa(make_tsa("Kanto Time Stamping Authority")) as served:
        yield served


@pytest.fixture
def store(sqlite_settings: Settings, tmp_path: Path, tsa: Served) -> Iterator[Store]:
    """The store of tests/adapters/test_pdf.py, trusting ``tsa``'s root (CREDSTACK_TSA_TRUST)."""
    trust = tmp_path / "tsa-roots.pem"
    trust.write_bytes(tsa.tsa.root.public_bytes(serialization.Encoding.PEM))
    configured = dataclasses.replace(sqlite_settings, secret_key=SECRET, public_url=PUBLIC_URL,
                                     tsa_url=tsa.url, tsa_trust=trust)
    credentials = prepare(configured)
    engine = make_engine(configured)
    try:
        yield Store(configured, session_factory(engine),
                    MasterKey.from_text(SECRET, source="test"), credentials)
    finally:
        engine.dispose()


def make_pdf(store: Store, *, language: str = "en", at: dt.datetime | None = None,
             tsa_url: str | None = None) -> bytes:
    with store.sessions() as session, session.begin():
        return pdf.certificate_pdf(session, credential_id=store.credentials["eddsa-rdfc-2022"],
                                   language=language, secret=store.secret,
                                   public_url=PUBLIC_URL, now=at or now(),
                                   tsa_url=tsa_url or store.settings.tsa_url).data


def verify(store: Store, data: bytes) -> pdf_verify.PdfVerification:
    return formats.verify_pdf_with_store(data, settings=store.settings,
                                            sessions=store.sessions, now=now())


def token_of(data: bytes) -> bytes:
    signer_info = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].signer_info
    (attribute,) = signer_info["unsigned_attrs"]
    assert attribute["type"].native == "signature_time_stamp_token"
    return bytes(attribute["values"][0].dump())


# --- issuing and verifying ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_timestamped_certificate_verifies_and_names_its_tsa(store: Store, tsa: Served,
                                                              language: str) -> None:
    """pdf-timestamp passes with the TSA's name and genTime; pyHanko agrees on the token."""
    before = now()
    data = make_pdf(store, language=language)
    result = verify(store, data)
    assert result.ok, [(c.name, c.code, c.reason_en) for c in result.report.failed]
    found = result.report.check("pdf-timestamp")
    assert found is not None and (found.ok, found.code) == (True, None)
    assert found.details["tsa"] == "Kanto Time Stamping Authority"
    stamped = dt.datetime.fromisoformat(found.details["time"])
    assert before - dt.timedelta(seconds=1) <= stamped <= now() + dt.timedelta(seconds=1)
    assert "Kanto Time Stamping Authority" in found.reason_en
    assert check(result, "pdf-revocation") == (True, None)
    # The token is over SHA-256 of the signature value, and the signature still B-B in
    # every other respect: an independent validation with pyHanko.
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    token = signature.signer_info["unsigned_attrs"][0]["values"][0]
    imprint = token["content"]["encap_content_info"]["content"].parsed["message_imprint"]
    assert imprint["hash_algorithm"]["algorithm"].native == "sha256"
    assert imprint["hashed_message"].native == hashlib.sha256(
        signature.signer_info["signature"].native).digest()
    roots = [asn1_x509.Certificate.load(item.public_bytes(serialization.Encoding.DER))
             for item in (authority(store), tsa.tsa.root)]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots[:1]),
                                    ts_validation_context=ValidationContext(
                                        trust_roots=roots[1:]))
    assert status.bottom_line and status.timestamp_validity is not None
    assert status.timestamp_validity.trusted and status.timestamp_validity.intact


def test_pdfsig_still_finds_a_timestamped_signature_valid_and_trusted(
        store: Store, tmp_path: Path) -> None:
    need_pdfsig()
    path = tmp_path / "timestamped.pdf"
    path.write_bytes(make_pdf(store))
    said = pdfsig(path, trusted=[authority(store)])
    assert "Signature is Valid." in said, said
    assert "Certificate is Trusted." in said, said
    assert "Total document signed" in said, said


def test_without_a_tsa_the_signature_is_b_b_and_the_check_is_informational(
        store: Store) -> None:
    with store.sessions() as session, session.begin():
        data = pdf.certificate_pdf(session, credential_id=store.credentials["vc-jwt"],
                                   language="en", secret=store.secret, public_url=PUBLIC_URL,
                                   now=now()).data
    signer_info = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].signer_info
    assert signer_info["unsigned_attrs"].native is None
    result = verify(store, data)
    assert result.ok
    found = result.report.check("pdf-timestamp")
    assert found is not None and (found.ok, found.code) == (None, "no-timestamp")


def test_a_timestamp_from_an_untrusted_tsa_fails(store: Store) -> None:
    """A token that verifies, from a TSA whose root is not in CREDSTACK_TSA_TRUST."""
    with serve_tsa(make_tsa("Stranger TSA")) as stranger:
        data = make_pdf(store, tsa_url=stranger.url)
    result = verify(store, data)
    assert check(result, "pdf-signature") == (True, None)
    assert check(result, "pdf-timestamp") == (False, "untrusted")
    assert "Stranger TSA is not a trusted time-stamping authority" in \
        result.report.check("pdf-timestamp").reason_en
    assert not result.ok
    untrusting = dataclasses.replace(store.settings, tsa_trust=None)
    alone = formats.verify_pdf_with_store(data, settings=untrusting,
                                             sessions=store.sessions, now=now())
    found = alone.report.check("pdf-timestamp")
    assert (found.ok, found.code) == (False, "untrusted")
    assert "CREDSTACK_TSA_TRUST" in found.reason_en


def _tampered(data: bytes, part: str) -> bytes:
    """``data`` with one byte of its timestamp token changed, inside /Contents (which the
    PDF signature's byte range leaves out): the imprint, genTime, or the TSA's signature."""
    token = token_of(data)
    parsed = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].signer_info[
        "unsigned_attrs"][0]["values"][0]["content"]["encap_content_info"]["content"].parsed
    if part == "imprint":
        target = parsed["message_imprint"]["hashed_message"].native
    elif part == "genTime":
        # The year's last digit: a digit still (a valid time), another year.
        target = parsed["gen_time"].contents[:4]
    else:
        target = token[-8:]
    where = token.index(target) + len(target) - 1
    changed = token[:where] + bytes([token[where] ^ 0x01]) + token[where + 1:]
    old, new = token.hex().upper().encode(), changed.hex().upper().encode()
    assert data.count(old) == 1
    return data.replace(old, new)


@pytest.mark.parametrize(("part", "code"), [("imprint", "imprint"), ("genTime", "altered"),
                                            ("signature", "signature")])
def test_a_tampered_token_fails_precisely(store: Store, part: str, code: str) -> None:
    data = _tampered(make_pdf(store), part)
    result = verify(store, data)
    assert check(result, "pdf-signature") == (True, None), \
        result.report.check("pdf-signature").reason_en
    assert check(result, "pdf-timestamp") == (False, code)
    assert not result.ok


@pytest.mark.parametrize("answer", ["down", "garbage", "error"])
def test_a_tsa_that_fails_fails_the_pdf_naming_it(store: Store, answer: str) -> None:
    """Down, answering garbage or HTTP 500: no PDF, an error naming the TSA and the reason."""
    with serve_tsa(make_tsa("Broken TSA"), "token" if answer == "down" else answer) as served:
        url = served.url
        if answer != "down":
            with pytest.raises(TimestampAuthorityError) as raised:
                make_pdf(store, tsa_url=url)
    if answer == "down":
        with pytest.raises(TimestampAuthorityError) as raised:
            make_pdf(store, tsa_url=url)
    message = str(raised.value)
    assert url in message and "CREDSTACK_TSA_URL" in message
    expected = {"down": "cannot be reached", "garbage": "not a timestamp reply",
                "error": "answered HTTP 500"}[answer]
    assert expected in message, message


def test_a_first_token_larger_than_the_room_reserved_is_signed_again_with_room(
        store: Store) -> None:
    """The room for the CMS is reserved before the token exists: an authority whose tokens
    outgrow the first guess costs one more request, once; its PDFs still verify."""
    large = make_tsa("Kanto Time Stamping Authority", extra_certificates=12)
    trust = store.settings.tsa_trust
    assert trust is not None
    trust.write_bytes(large.root.public_bytes(serialization.Encoding.PEM))
    with serve_tsa(large) as served:
        first = make_pdf(store, tsa_url=served.url)
        assert len(token_of(first)) > tsa_client.FIRST_ROOM
        assert served.requests == 2
        second = make_pdf(store, tsa_url=served.url)
        assert served.requests == 3
    for data in (first, second):
        assert check(verify(store, data), "pdf-timestamp") == (True, None)


def test_the_cli_timestamps_with_the_configured_tsa_and_fails_when_it_is_down(
        store: Store, tsa: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CREDSTACK_TSA_URL / CREDSTACK_TSA_TRUST through the command line, end to end."""
    assert store.settings.tsa_trust is not None
    monkeypatch.setenv("CREDSTACK_TSA_TRUST", str(store.settings.tsa_trust))
    monkeypatch.setenv("CREDSTACK_TSA_URL", tsa.url)
    target = tmp_path / "cli.pdf"
    made = cli(store, "certificate", "pdf", store.credentials["eddsa-rdfc-2022"], "-l", "en",
               "-o", str(target))
    assert made.exit_code == 0, made.output
    assert tsa.requests == 1 and token_of(target.read_bytes())
    checked = cli(store, "certificate", "verify", str(target), "--json")
    assert checked.exit_code == 0, checked.output
    assert '"check": "pdf-timestamp"' in checked.output
    with serve_tsa(make_tsa("Gone TSA")) as gone:
        url = gone.url
    monkeypatch.setenv("CREDSTACK_TSA_URL", url)
    failed = cli(store, "certificate", "pdf", store.credentials["eddsa-rdfc-2022"], "-o",
                 str(tmp_path / "never.pdf"))
    assert failed.exit_code == 1 and url in failed.output, failed.output
    assert not (tmp_path / "never.pdf").exists()


def test_the_api_serves_timestamped_certificates_and_answers_502_when_the_tsa_is_down(
        sqlite_settings: Settings, tmp_path: Path) -> None:
    """Over real HTTP: a timestamped PDF that verifies; then, the TSA gone, a 502 problem
    naming it, and no PDF."""
    port = free_port()
    tsa = make_tsa("Kanto Time Stamping Authority")
    trust = tmp_path / "tsa-roots.pem"
    trust.write_bytes(tsa.root.public_bytes(serialization.Encoding.PEM))
    with contextlib.ExitStack() as stack:
        served = stack.enter_context(serve_tsa(tsa))
        configured = dataclasses.replace(sqlite_settings, secret_key=SECRET,
                                         public_url=f"http://localhost:{port}",
                                         tsa_url=served.url, tsa_trust=trust)
        credentials = prepare(configured)
        server = stack.enter_context(contextlib.contextmanager(serve)(configured, port=port))
        client = stack.enter_context(operator_client(server, timeout=60))
        path = f"/api/credentials/{quote(credentials['eddsa-rdfc-2022'], safe=':')}" \
               "/certificate.pdf"
        made = client.get(path, params={"lang": "en"})
        assert made.status_code == 200, made.text
        checked = client.post("/api/certificates/verify", content=made.content,
                              headers={"Content-Type": "application/pdf"})
        assert checked.status_code == 200, checked.text
        found = {item["check"]: item for item in checked.json()["checks"]}
        assert found["pdf-timestamp"]["details"]["tsa"] == "Kanto Time Stamping Authority"
    # The TSA is gone now; the same configuration served again.
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(contextlib.contextmanager(serve)(configured, port=port))
        client = stack.enter_context(operator_client(server, timeout=60))
        failed = client.get(path, params={"lang": "en"})
    assert failed.status_code == 502, failed.text
    problem = failed.json()
    assert problem["type"] == "/problems/timestamp-authority"
    assert served.url in problem["detail"]


# --- revocation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("reason", "outcome"), [
    (pki.RevocationReason.SUPERSEDED, (True, None)),
    (pki.RevocationReason.KEY_COMPROMISE, (False, "revoked"))])
def test_a_certificate_revoked_after_the_timestamp(store: Store, tsa: Served,
                                                   reason: pki.RevocationReason,
                                                   outcome: tuple[bool, str | None]) -> None:
    """Superseded after the timestamp: the timestamp proves the signature older, it passes.
    A key compromise: nothing saves it."""
    earlier = now() - dt.timedelta(minutes=3)
    # The TSA attests a time a few seconds after the signer's claim, minutes before the
    # revocation (which is made at the current second).
    tsa.tsa.stamper.fixed_dt = earlier + dt.timedelta(seconds=5)
    data = make_pdf(store, at=earlier)
    with store.sessions() as session, session.begin():
        pki.revoke_signing(session, organisation=SLUG, secret=store.secret, now=now(),
                           public_url=PUBLIC_URL, reason=reason)
    result = verify(store, data)
    assert check(result, "pdf-timestamp") == (True, None)
    assert check(result, "pdf-revocation") == outcome
    found = result.report.check("pdf-revocation")
    assert found.details["timestamp"] == (earlier + dt.timedelta(seconds=5)).isoformat()
    if outcome[0]:
        assert "after the signature" in found.reason_en
        assert result.ok, [(c.name, c.code) for c in result.report.failed]


# --- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["ftp://tsa.example.org/", "tsa.example.org", "https://"])
def test_the_tsa_url_must_be_http_or_https(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           value: str) -> None:
    monkeypatch.setenv("CREDSTACK_TSA_URL", value)
    monkeypatch.setenv("CREDSTACK_TSA_TRUST", str(tmp_path / "roots.pem"))
    with pytest.raises(ConfigurationError, match="CREDSTACK_TSA_URL must be an http"):
        Settings.from_env(data_dir=tmp_path)


def test_a_tsa_needs_trusted_tsa_roots(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CREDSTACK_TSA_URL", "https://tsa.example.org/")
    monkeypatch.delenv("CREDSTACK_TSA_TRUST", raising=False)
    with pytest.raises(ConfigurationError, match="needs CREDSTACK_TSA_TRUST"):
        Settings.from_env(data_dir=tmp_path)
    monkeypatch.setenv("CREDSTACK_TSA_TRUST", str(tmp_path / "roots.pem"))
    configured = Settings.from_env(data_dir=tmp_path)
    assert configured.tsa_url == "https://tsa.example.org/"
    with pytest.raises(ConfigurationError, match="cannot read"):
        pdf_verify.tsa_roots(configured.tsa_trust)
