"""Signed PDF certificates: render, sign, verify, and every way a PDF can fail to verify.

A store on SQLite and PostgreSQL with one organisation, its Ed25519 issuer key, a published
programme and credentials issued to a learner (JSON-LD and VC-JWT). Certificates are made
in Japanese and English and checked three ways: credstack's own verifier, pyHanko against
the organisation's CA, and poppler's ``pdfsig`` (an independent implementation, on NSS).

``pdfsig`` comes from Debian's ``poppler-utils`` and validates certificates with NSS, whose
database of trusted authorities is made per test with ``certutil`` (Debian's
``libnss3-tools``); tests that need them skip without them, and fail instead when
``CREDSTACK_REQUIRE_PDFSIG=1`` (CI).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.tables import OrganisationCertificateRow
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.certificates import certificate_content
from credstack.core.status.changes import StatusChange
from credstack.core.verification import CheckKind, VerificationReport
from credstack.entrypoints.cli.main import app
from credstack.errors import ConflictError, InputError, InputTooLargeError, UnreadableInputError
from credstack.services import formats
from credstack.services.certificates import authority as pki
from credstack.services.certificates import service as pdf
from credstack.services.certificates import verification as pdf_verify
from credstack.services.issuance import status_lists
from credstack.settings import Settings
from tests.accounts import issued_credentials, provider_store, store_sessions
from tests.conftest import store_environment

SECRET = new_master_key_text()
SLUG = "hokuto-tech"
PUBLIC_URL = "https://issuer.example.ac.jp"
REQUIRE_PDFSIG = os.environ.get("CREDSTACK_REQUIRE_PDFSIG") == "1"


def need_pdfsig() -> str:
    """The path of ``pdfsig``; skip (or, with ``CREDSTACK_REQUIRE_PDFSIG=1``, fail) without it
    or without ``certutil``, which makes the NSS database it trusts authorities from."""
    found, certutil = shutil.which("pdfsig"), shutil.which("certutil")
    if found is not None and certutil is not None:
        return found
    reason = ("pdfsig is not installed (Debian package poppler-utils)" if found is None
              else "certutil is not installed (Debian package libnss3-tools)")
    if REQUIRE_PDFSIG:
        pytest.fail(f"{reason}; CREDSTACK_REQUIRE_PDFSIG=1 makes the pdfsig tests mandatory")
    pytest.skip(reason)


def nss_database(directory: Path, trusted: Iterable[x509.Certificate],
                 crls: Iterable[bytes] = ()) -> str:
    """A new NSS database trusting ``trusted`` to certify signers of documents (the S/MIME
    trust field, which is what pdfsig asks NSS about), holding ``crls`` (DER)."""
    need_pdfsig()
    directory.mkdir(parents=True)

    def run(*args: str, stdin: bytes | None = None) -> None:
        subprocess.run(args, input=stdin, capture_output=True, timeout=60, check=True)

    run("certutil", "-N", "-d", f"sql:{directory}", "--empty-password")
    for number, certificate in enumerate(trusted):
        pem = directory / f"authority-{number}.pem"
        pem.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        run("certutil", "-A", "-d", f"sql:{directory}", "-n", f"authority-{number}",
            "-t", ",C,", "-i", str(pem))
    for number, crl in enumerate(crls):
        der = directory / f"list-{number}.crl"
        der.write_bytes(crl)
        run("crlutil", "-I", "-d", f"sql:{directory}", "-i", str(der), "-B")
    return f"sql:{directory}"


def pdfsig(path: Path, *, trusted: Iterable[x509.Certificate] = (),
           crls: Iterable[bytes] = ()) -> str:
    """What ``pdfsig`` says about a file, signature and certificate, with NSS trusting only
    the authorities in ``trusted`` (a database of its own, next to the file)."""
    database = nss_database(path.parent / f"nss-{path.stem}", trusted, crls)
    done = subprocess.run([need_pdfsig(), "-nssdir", database, str(path)], capture_output=True,
                          text=True, timeout=60, check=False)
    return done.stdout + done.stderr


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclasses.dataclass
class Store:
    settings: Settings
    sessions: sessionmaker[Session]
    secret: MasterKey
    #: Securing mechanism → the id of a credential issued with it.
    credentials: dict[str, str]


def prepare(settings: Settings) -> dict[str, str]:
    """Organisation, issuer key, programme 1 (published), a credential per securing."""
    issued_at = now() - dt.timedelta(minutes=1)
    provider_store(settings, secret=SECRET, now=issued_at)
    issued = {securing: issued_credentials(
        settings, secret=SECRET, now=issued_at, batch=securing, securing=securing,
        cohort=f"email,name.ja,name.en,grade\n{securing}@example.jp,山田 花子,Hanako Yamada,A\n"
    )[0] for securing in ("eddsa-rdfc-2022", "vc-jwt")}
    # Sign the status lists now: a list first signed during a verification gets a validFrom
    # in the second it is signed, which can be after the verification's "now" (a race of the
    # verifier's own-list shortcut, not of PDFs).
    with store_sessions(settings) as sessions:
        for purpose in ("revocation", "suspension"):
            status_lists.published_status_list(sessions, organisation=SLUG, number=1,
                                           purpose=purpose,
                                           secret=MasterKey.from_text(SECRET, source="test"),
                                           public_url=settings.public_url, now=issued_at)
    return issued


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    configured = dataclasses.replace(settings, secret_key=SECRET, public_url=PUBLIC_URL)
    credentials = prepare(configured)
    engine = make_engine(configured)
    try:
        yield Store(configured, session_factory(engine), MasterKey.from_text(SECRET,
                                                                            source="test"),
                    credentials)
    finally:
        engine.dispose()


def make_pdf(store: Store, language: str = "ja", securing: str = "eddsa-rdfc-2022") -> bytes:
    with store.sessions() as session, session.begin():
        return pdf.certificate_pdf(session, credential_id=store.credentials[securing],
                                   language=language, secret=store.secret,
                                   public_url=PUBLIC_URL, now=now()).data


def verify(store: Store, data: bytes) -> pdf_verify.PdfVerification:
    return formats.verify_pdf_with_store(data, settings=store.settings,
                                            sessions=store.sessions, now=now())


def credential_document(store: Store) -> str:
    with store.sessions() as session:
        return credential_store.get_credential(
            session, credential_id=store.credentials["eddsa-rdfc-2022"]).document


def check(result: pdf_verify.PdfVerification, name: str) -> tuple[bool | None, str | None]:
    found = result.report.check(name)
    assert found is not None, f"no {name} check"
    return found.ok, found.code


def authority(store: Store) -> x509.Certificate:
    with store.sessions() as session:
        return pki.authority_info(session, organisation=SLUG, public_url=PUBLIC_URL).authority


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms"])
def test_a_certificate_verifies_with_credstack_and_pyhanko(store: Store, language: str) -> None:
    """Issue → PDF → verify, in each of the eight languages: the signature, its CA, the
    credential inside, all pass."""
    data = make_pdf(store, language)
    result = verify(store, data)
    assert result.ok, [(c.name, c.code, c.reason_en) for c in result.report.failed]
    assert check(result, "pdf-signature") == (True, None)
    assert check(result, "pdf-credential") == (True, None)
    assert {"proof", "issuer", "status", "validity"} <= {c.name for c in result.report.checks}
    assert result.signer["organisation"] == SLUG
    reader = PdfFileReader(io.BytesIO(data))
    signature = reader.embedded_signatures[0]
    root = asn1_x509.Certificate.load(authority(store).public_bytes(serialization.Encoding.DER))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.bottom_line and status.trusted and status.docmdp_ok
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert reader.root["/Lang"] == language


@pytest.mark.parametrize("language", ["ja", "en"])
def test_pdfsig_finds_the_signature_valid_over_the_whole_document(store: Store, tmp_path: Path,
                                                                  language: str) -> None:
    """poppler's pdfsig (NSS) agrees: valid signature, total document signed, PAdES, and the
    signer's certificate trusted through the organisation's CA."""
    need_pdfsig()
    path = tmp_path / f"certificate-{language}.pdf"
    path.write_bytes(make_pdf(store, language))
    said = pdfsig(path, trusted=[authority(store)])
    assert "Signature is Valid." in said, said
    assert "Certificate is Trusted." in said, said
    assert "Total document signed" in said, said
    assert "ETSI.CAdES.detached" in said, said
    assert "Hokuto Institute of Technology" in said


def test_a_vc_jwt_credential_travels_as_credential_jwt(store: Store) -> None:
    """The PDF of a VC-JWT carries the JWT, which verifies as the credential."""
    result = verify(store, make_pdf(store, "en", securing="vc-jwt"))
    assert result.ok, [(c.name, c.code, c.reason_en) for c in result.report.failed]
    assert result.credential is not None and result.credential.startswith("eyJ")


def test_the_pdf_carries_the_credential_and_names_it(store: Store) -> None:
    """credential.json is an associated file (/AF, Source) byte-identical to the stored one."""
    data = make_pdf(store)
    reader = PdfFileReader(io.BytesIO(data))
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert names[0] == "credential.json"
    spec = names[1].get_object()
    assert spec["/AFRelationship"] == "/Source"
    assert reader.root["/AF"][0].get_object()["/UF"] == "credential.json"
    with store.sessions() as session:
        stored = credential_store.get_credential(
            session, credential_id=store.credentials["eddsa-rdfc-2022"])
    assert spec["/EF"]["/F"].get_object().data == stored.document.encode()
    assert reader.trailer["/Info"]["/Subject"] == stored.credential_id


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_text_is_set_in_an_embedded_subset_of_noto_sans_cjk(store: Store, tmp_path: Path,
                                                                 language: str) -> None:
    """CIDFontType0C subsets of Noto Sans CJK JP, with ToUnicode: the text can be read back."""
    if not pdf.fonts().embedded:
        pytest.skip("Noto Sans CJK is not installed (Debian package fonts-noto-cjk)")
    data = make_pdf(store, language)
    reader = PdfFileReader(io.BytesIO(data))
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    fonts = page["/Resources"]["/Font"]
    for name in fonts:
        font = fonts[name].get_object()
        assert font["/Subtype"] == "/Type0" and font["/Encoding"] == "/Identity-H"
        assert re.fullmatch(r"/[A-Z]{6}\+NotoSansCJKjp-(Regular|Bold)", str(font["/BaseFont"]))
        assert "/ToUnicode" in font
        descendant = font["/DescendantFonts"][0].get_object()
        program = descendant["/FontDescriptor"]["/FontFile3"].get_object()
        assert program["/Subtype"] == "/CIDFontType0C"
        assert len(program.data) < 100_000
    need_pdfsig()  # pdftotext comes with pdfsig, in poppler-utils
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    expected = ("修了証", "山田 花子 殿", "実践データサイエンス入門", "北都工科大学", "45 時間") \
        if language == "ja" else ("Certificate of Achievement", "Hanako Yamada",
                                  "Practical Introduction to Data Science", "45 hours")
    for words in expected:
        assert words in text, words


def test_the_qr_code_and_the_footer_point_at_the_credentials_verification_page(
        store: Store) -> None:
    """The verification URL (QR code target) is /verify/<credential id> under the public URL."""
    with store.sessions() as session:
        stored = credential_store.get_credential(
            session, credential_id=store.credentials["eddsa-rdfc-2022"])
    content = certificate_content(json.loads(stored.document), language="en",
                                  public_url=PUBLIC_URL)
    assert content.verify_url == f"{PUBLIC_URL}/verify/{stored.credential_id}"
    count, runs = pdf._qr_rectangles(content.verify_url)
    assert count >= 33 and runs


# --- what fails, and says why -----------------------------------------------------------------


def test_an_incremental_update_that_changes_the_text_fails_as_modified_after_signing(
        store: Store, tmp_path: Path) -> None:
    """New page content appended after signing: the certification does not allow it."""
    data = make_pdf(store)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    forged = writer.add_object(generic.StreamObject(
        stream_data=b"BT /F1 40 Tf 100 300 Td (FORGED GRADE A+) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), forged])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    result = verify(store, out.getvalue())
    assert not result.ok
    assert check(result, "pdf-signature") == (False, "modified-after-signing")
    assert "modified after it was signed" in result.report.check("pdf-signature").reason_en
    assert check(result, "pdf-credential")[0] is None
    need_pdfsig()
    path = tmp_path / "updated.pdf"
    path.write_bytes(out.getvalue())
    said = pdfsig(path, trusted=[authority(store)])
    assert "Not total document signed" in said, said


def test_a_byte_changed_in_the_signed_range_fails_as_altered(store: Store,
                                                            tmp_path: Path) -> None:
    """One byte of the font program flipped: the digest no longer matches."""
    data = bytearray(make_pdf(store))
    data[data.index(b"/CIDFontType0C") + 300] ^= 0x01
    result = verify(store, bytes(data))
    assert check(result, "pdf-signature") == (False, "altered")
    assert "altered after it was signed" in result.report.check("pdf-signature").reason_en
    need_pdfsig()
    path = tmp_path / "flipped.pdf"
    path.write_bytes(bytes(data))
    said = pdfsig(path, trusted=[authority(store)])
    assert "Signature is Valid." not in said
    assert "Digest Mismatch" in said, said


def test_damaged_copies_get_a_verdict_or_a_refusal_never_a_crash(store: Store) -> None:
    """Random bytes changed or the file cut short: a failed check, or an input error."""
    data = make_pdf(store)
    rng = random.Random(20261128)
    for _ in range(40):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 2, 5])):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.25:
            damaged = damaged[:rng.randrange(len(damaged))]
        try:
            result = verify(store, bytes(damaged))
        except InputError:
            continue
        # A verdict: usually "altered"; bytes in the signature's own zero padding (outside
        # the signed range and the CMS) change nothing, and the PDF still verifies.
        assert result.report.check("pdf-signature") is not None


def test_a_pdf_over_the_size_limit_is_refused_unread(store: Store) -> None:
    huge = b"%PDF-1.7\n" + b"0" * pdf_verify.MAX_PDF_BYTES
    with pytest.raises(InputTooLargeError, match="at most 20,971,520 bytes"):
        verify(store, huge)


def minimal_pdf(size: int) -> bytes:
    """A one-page PDF whose trailer says it has ``size`` objects."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def test_a_pdf_with_too_many_objects_is_refused(store: Store) -> None:
    """The trailer declares more objects than credstack reads: refused before any work."""
    assert check(verify(store, minimal_pdf(4)), "pdf-signature") == (False, "unsigned")
    with pytest.raises(InputTooLargeError, match="objects"):
        verify(store, minimal_pdf(pdf_verify.MAX_OBJECTS + 1))


@pytest.mark.parametrize("data", [b"", b"{\"not\": \"a pdf\"}", b"%PDF-1.7\ngarbage\n%%EOF"])
def test_what_is_not_a_readable_pdf_is_refused(store: Store, data: bytes) -> None:
    with pytest.raises(UnreadableInputError):
        verify(store, data)


@dataclasses.dataclass
class _Elsewhere:
    """A CA this credstack has never heard of and a document-signing certificate it issued
    (same key usages as ours)."""

    name: x509.Name
    ca_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    leaf: x509.Certificate


def _self_signed_authority(key: ec.EllipticCurvePrivateKey, name: x509.Name, *,
                           moment: dt.datetime, serial: int, days: int, path_length: int,
                           algorithm: hashes.HashAlgorithm) -> x509.Certificate:
    """A CA certificate of ``name`` signed by its own ``key``, valid from the day before
    ``moment`` to ``days`` days after it."""
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(serial)
            .not_valid_before(moment - dt.timedelta(days=1))
            .not_valid_after(moment + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=path_length),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, algorithm))


def _elsewhere(root_name: str, common_name: str) -> _Elsewhere:
    moment = now()
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, root_name)])
    root = _self_signed_authority(ca_key, name, moment=moment, serial=1, days=30, path_length=0,
                                  algorithm=hashes.SHA256())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(moment - dt.timedelta(days=1))
            .not_valid_after(moment + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return _Elsewhere(name, ca_key, root, key, leaf)


def _foreign_signer(common_name: str) -> pdf.CertificateSigner:
    """A signer under a CA this credstack has never heard of."""
    found = _elsewhere("Elsewhere Root CA", common_name)
    return pdf.CertificateSigner.for_identity(
        pki.SigningIdentity("elsewhere", found.leaf, (found.root,), found.key))


def test_a_pdf_signed_under_an_unknown_ca_names_its_signer_and_is_not_trusted(
        store: Store, tmp_path: Path) -> None:
    """Intact, but not anchored in any of this credstack's authorities (nor, for pdfsig, in
    the NSS database trusting the organisation's)."""
    with store.sessions() as session:
        stored = credential_store.get_credential(
            session, credential_id=store.credentials["eddsa-rdfc-2022"])
    content = certificate_content(json.loads(stored.document), language="en",
                                  public_url=PUBLIC_URL)
    data = pdf.render_certificate(
        content, signer=_foreign_signer("Mallory Certificates Ltd"), now=now(),
        attachment=pdf.attachment_for(stored.document, credential_id=stored.credential_id))
    result = verify(store, data)
    assert not result.ok
    assert check(result, "pdf-signature") == (False, "unknown-authority")
    reason = result.report.check("pdf-signature").reason_en
    assert "Mallory Certificates Ltd" in reason and "Elsewhere Root CA" in reason
    assert check(result, "pdf-credential")[0] is None
    # The credential inside is still verified on its own merits.
    assert result.report.check("proof").ok is True
    need_pdfsig()
    make_pdf(store)  # the organisation's authority, which the NSS database trusts
    path = tmp_path / "elsewhere.pdf"
    path.write_bytes(data)
    said = pdfsig(path, trusted=[authority(store)])
    assert "Signature is Valid." in said, said
    assert "Certificate is Trusted." not in said and "isn't Trusted" in said, said


def test_an_unsigned_pdf_fails_and_says_so(store: Store) -> None:
    with store.sessions() as session:
        stored = credential_store.get_credential(
            session, credential_id=store.credentials["eddsa-rdfc-2022"])
    content = certificate_content(json.loads(stored.document), language="ja",
                                  public_url=PUBLIC_URL)
    result = verify(store, pdf.render_page(content, now=now()))
    assert check(result, "pdf-signature") == (False, "unsigned")
    assert check(result, "pdf-credential") == (False, "no-credential")


def test_a_revoked_credential_gets_no_certificate_and_its_pdf_stops_verifying(
        store: Store) -> None:
    """The PDF is a view of the credential: revoking the credential fails the PDF too."""
    data = make_pdf(store)
    with store.sessions() as session, session.begin():
        credential_store.change_status(session, credential_id=store.credentials["eddsa-rdfc-2022"],
                                       action=StatusChange.REVOKE, now=now())
    result = verify(store, data)
    assert check(result, "pdf-signature") == (True, None)
    assert check(result, "status")[0] is False
    with pytest.raises(ConflictError, match="revoked"):
        make_pdf(store)


# --- the organisation's certificate authority -------------------------------------------------


def test_the_authority_is_made_on_first_use_and_its_keys_are_sealed(store: Store) -> None:
    """A self-signed P-256 root and a signing certificate with the usages validators want."""
    make_pdf(store)
    with store.sessions() as session:
        info = pki.authority_info(session, organisation=SLUG, public_url=PUBLIC_URL)
        rows = session.query(OrganisationCertificateRow).all()
    assert not info.external
    root, signing = info.authority, info.signing
    assert root.issuer == root.subject
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = signing.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    purposes = signing.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert pki.DOCUMENT_SIGNING in purposes
    names = signing.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.UniformResourceIdentifier) == [
        f"did:web:issuer.example.ac.jp:organisations:{SLUG}"]
    assert isinstance(signing.public_key(), ec.EllipticCurvePublicKey)
    assert {row.role for row in rows} == {"authority", "signing"}
    for row in rows:
        assert row.encrypted_secret is not None and len(row.nonce or b"") == 12
        # Nothing in the row is the private key in the clear.
        assert b"PRIVATE" not in row.encrypted_secret


def test_a_replaced_authority_keeps_old_pdfs_verifying(store: Store) -> None:
    before = make_pdf(store)
    with store.sessions() as session, session.begin():
        pki.create_authority(session, organisation=SLUG, secret=store.secret, now=now(),
                             public_url=PUBLIC_URL, replace=True)
    after = make_pdf(store)
    old, new = verify(store, before), verify(store, after)
    assert old.ok and new.ok
    assert old.signer["authority_retired"] is True
    assert new.signer["authority_retired"] is False
    with store.sessions() as session, session.begin(), pytest.raises(ConflictError):
        pki.create_authority(session, organisation=SLUG, secret=store.secret, now=now(),
                             public_url=PUBLIC_URL)


def _external_ca(tmp_path: Path) -> tuple[Path, Path, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP384R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hokuto University PKI"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "北都工科大学")])
    certificate = _self_signed_authority(key, name, moment=now(),
                                         serial=x509.random_serial_number(), days=3650,
                                         path_length=1, algorithm=hashes.SHA384())
    cert_path, key_path = tmp_path / "ca.pem", tmp_path / "ca-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"hunter2")))
    return cert_path, key_path, certificate


def cli(store: Store, *args: str):
    environment = store_environment(store.settings, secret=SECRET, public_url=PUBLIC_URL)
    return CliRunner().invoke(app, list(args), env=environment)


def test_an_external_ca_issues_the_signing_certificate_and_its_key_is_not_kept(
        store: Store, tmp_path: Path) -> None:
    """`ca create --ca-cert --ca-key`: PDFs chain to the organisation's own CA."""
    cert_path, key_path, certificate = _external_ca(tmp_path)
    result = cli(store, "certificate", "ca", "create", "--organisation", SLUG, "--ca-cert",
                 str(cert_path), "--ca-key", str(key_path), "--ca-key-password", "hunter2")
    assert result.exit_code == 0, result.output
    assert "Hokuto University PKI" in result.output
    with store.sessions() as session:
        info = pki.authority_info(session, organisation=SLUG, public_url=PUBLIC_URL)
        rows = session.query(OrganisationCertificateRow).filter_by(role="authority").all()
    assert info.external and info.authority == certificate
    assert rows[0].encrypted_secret is None and rows[0].key_fragment is None
    result_pdf = verify(store, make_pdf(store, "en"))
    assert result_pdf.ok, [(c.name, c.code, c.reason_en) for c in result_pdf.report.failed]
    assert "Hokuto University PKI" in result_pdf.signer["authority"]


def test_an_external_ca_that_cannot_issue_is_refused_naming_why(tmp_path: Path) -> None:
    cert_path, key_path, _ = _external_ca(tmp_path)
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    with pytest.raises(InputError) as refused:
        pki.load_external_authority(cert_path.read_bytes(), other, now=now())
    assert "does not belong to the certificate" in str(refused.value)
    with pytest.raises(InputError, match="cannot be read"):
        pki.load_external_authority(cert_path.read_bytes(), key_path.read_bytes(), now=now(),
                                    password=b"wrong")


# --- the command line -------------------------------------------------------------------------


def test_the_cli_writes_and_verifies_certificates(store: Store, tmp_path: Path) -> None:
    """`certificate pdf` then `certificate verify`: exit 0; a tampered file exits 1."""
    credential_id = store.credentials["eddsa-rdfc-2022"]
    target = tmp_path / "certificate.pdf"
    written = cli(store, "certificate", "pdf", credential_id, "--language", "en", "-o",
                  str(target))
    assert written.exit_code == 0, written.output
    assert target.read_bytes().startswith(b"%PDF-")
    checked = cli(store, "certificate", "verify", str(target))
    assert checked.exit_code == 0, checked.output
    assert "PDF signature" in checked.output and "Verified: “" in checked.output
    as_json = json.loads(cli(store, "certificate", "verify", str(target), "--json").output)
    assert as_json["verified"] is True and as_json["pdf"]["signer"]["organisation"] == SLUG
    assert as_json["checks"][0]["title"] == {"en": "PDF signature", "ja": "PDF の電子署名"}
    data = bytearray(target.read_bytes())
    data[data.index(b"/CIDFontType0C") + 300] ^= 0x01
    target.write_bytes(bytes(data))
    tampered = cli(store, "certificate", "verify", str(target))
    assert tampered.exit_code == 1
    assert "altered after it was signed" in tampered.output
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"nothing here")
    assert cli(store, "certificate", "verify", str(garbage)).exit_code == 2
    shown = cli(store, "certificate", "ca", "show", "--organisation", SLUG, "--pem")
    assert shown.exit_code == 0 and shown.output.startswith("-----BEGIN CERTIFICATE-----")


def test_the_cli_refuses_an_unknown_credential_and_language(store: Store) -> None:
    missing = cli(store, "certificate", "pdf", "urn:uuid:00000000-0000-0000-0000-000000000000")
    assert missing.exit_code == 1 and "no credential" in missing.output
    wrong = cli(store, "certificate", "pdf", store.credentials["eddsa-rdfc-2022"],
                "--language", "fr")
    assert wrong.exit_code == 1 and "use one of ja, en, ko, zh-Hans" in wrong.output


def test_verifying_without_a_store_knows_no_authority_and_creates_no_store(
        store: Store, tmp_path: Path) -> None:
    """Elsewhere (no store): the PDF is intact but its CA unknown; exit 1, nothing created."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(make_pdf(store, "en"))
    elsewhere = tmp_path / "elsewhere"
    result = CliRunner().invoke(app, ["certificate", "verify", str(path)], env={
        "CREDSTACK_LANG": "en", "CREDSTACK_DATA_DIR": str(elsewhere),
        "CREDSTACK_DATABASE_URL": "", "CREDSTACK_SECRET_KEY": "", "CREDSTACK_SECRET_KEY_FILE": ""})
    assert result.exit_code == 1, result.output
    assert "not anchored in a certificate authority this credstack knows" in result.output
    assert not elsewhere.exists()


# --- revocation -------------------------------------------------------------------------------


def signing_certificate(data: bytes) -> x509.Certificate:
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    return x509.load_der_x509_certificate(signature.signer_cert.dump())


def embedded_crls(data: bytes) -> list[x509.CertificateRevocationList]:
    dss = PdfFileReader(io.BytesIO(data)).root["/DSS"]
    return [x509.load_der_x509_crl(item.get_object().data) for item in dss["/CRLs"]]


def test_the_signing_certificate_names_its_crl_and_the_pdf_carries_it(store: Store) -> None:
    """CRL distribution point → the authority's CRL URL; the DSS holds the CA and the CRL."""
    data = make_pdf(store)
    ca, signer = authority(store), signing_certificate(data)
    key_id = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest.hex()
    points = signer.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    url = pki.crl_url(PUBLIC_URL, SLUG, key_id)
    assert url == f"{PUBLIC_URL}/organisations/{SLUG}/ca/{key_id}.crl"
    assert [name.value for name in points[0].full_name or []] == [url]
    (crl,) = embedded_crls(data)
    assert crl.issuer == ca.subject and crl.is_signature_valid(ca.public_key())
    assert len(crl) == 0
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 1
    dss = PdfFileReader(io.BytesIO(data)).root["/DSS"]
    assert [x509.load_der_x509_certificate(item.get_object().data) for item in dss["/Certs"]
            ] == [ca]
    # The validation data is in the signed revision: nothing is appended after the signature.
    reader = PdfFileReader(io.BytesIO(data))
    assert reader.embedded_signatures[0].signed_revision == reader.total_revisions - 1
    result = verify(store, data)
    assert result.ok and check(result, "pdf-revocation") == (True, None)
    assert result.report.check("pdf-revocation").details["source"] == "store"


def test_a_revoked_certificate_fails_its_pdfs_and_the_next_pdf_gets_a_new_one(
        store: Store, tmp_path: Path) -> None:
    """`ca revoke --reason keyCompromise`: listed in the CRL, old PDFs fail (credstack and
    pdfsig given the CRL), the next PDF is signed under a new certificate."""
    before = make_pdf(store)
    old = signing_certificate(before)
    revoked = cli(store, "certificate", "ca", "revoke", "--organisation", SLUG, "--reason",
                  "keyCompromise")
    assert revoked.exit_code == 0, revoked.output
    assert format(old.serial_number, "x") in revoked.output
    assert "/organisations/hokuto-tech/ca/" in revoked.output
    result = verify(store, before)
    assert not result.ok
    assert check(result, "pdf-signature") == (True, None)
    assert check(result, "pdf-revocation") == (False, "revoked")
    assert "compromised" in result.report.check("pdf-revocation").reason_en
    after = make_pdf(store)
    assert signing_certificate(after).serial_number != old.serial_number
    assert verify(store, after).ok
    (crl,) = embedded_crls(after)
    entry = crl.get_revoked_certificate_by_serial_number(old.serial_number)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == \
        x509.ReasonFlags.key_compromise
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 2
    again = cli(store, "certificate", "ca", "revoke", "--organisation", SLUG, "--serial",
                format(old.serial_number, "x"))
    assert again.exit_code == 1 and "already revoked" in again.output
    need_pdfsig()
    old_path, new_path = tmp_path / "before.pdf", tmp_path / "after.pdf"
    old_path.write_bytes(before)
    new_path.write_bytes(after)
    listed = crl.public_bytes(serialization.Encoding.DER)
    said = pdfsig(old_path, trusted=[authority(store)], crls=[listed])
    assert "Signature is Valid." in said and "Certificate has been Revoked." in said, said
    said = pdfsig(new_path, trusted=[authority(store)], crls=[listed])
    assert "Certificate is Trusted." in said, said


def test_a_signature_claimed_before_the_revocation_without_a_timestamp_fails_precisely(
        store: Store) -> None:
    """Revoked as superseded after the PDF says it was signed: no timestamp proves that."""
    earlier = now() - dt.timedelta(minutes=3)
    with store.sessions() as session, session.begin():
        data = pdf.certificate_pdf(session, credential_id=store.credentials["eddsa-rdfc-2022"],
                                   language="en", secret=store.secret, public_url=PUBLIC_URL,
                                   now=earlier).data
    with store.sessions() as session, session.begin():
        pki.revoke_signing(session, organisation=SLUG, secret=store.secret, now=now(),
                           public_url=PUBLIC_URL, reason=pki.RevocationReason.SUPERSEDED)
    result = verify(store, data)
    assert check(result, "pdf-revocation") == (False, "revoked-no-timestamp")
    found = result.report.check("pdf-revocation")
    assert "no timestamp proves it" in found.reason_en
    assert found.details["reason"] == "superseded"
    assert found.details["signed_at"] == earlier.isoformat()


def test_a_revocation_time_must_be_between_the_certificates_start_and_now(
        store: Store) -> None:
    make_pdf(store)
    with store.sessions() as session, session.begin(), pytest.raises(InputError,
                                                                     match="revocation time"):
        pki.revoke_signing(session, organisation=SLUG, secret=store.secret, now=now(),
                           public_url=PUBLIC_URL, revoked_at=now() + dt.timedelta(hours=1))


class TrustedAuthority:
    """A verifier elsewhere: it trusts one CA certificate and keeps no record of revocations,
    so it relies on the revocation lists the PDF carries."""

    def __init__(self, organisation: str, certificate: x509.Certificate) -> None:
        self.organisation, self.certificate = organisation, certificate
        self.key_id = certificate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier).value.digest.hex()

    def __call__(self, key_id: str) -> pki.FoundAuthority | None:
        return (pki.FoundAuthority(self.organisation, self.certificate, False, True)
                if key_id == self.key_id else None)

    def organisation_did(self, organisation: str) -> str:
        return key_store.organisation_did(PUBLIC_URL, organisation)

    def revocation(self, fingerprint: str) -> None:
        return None


def _listed_signer(revoked: bool) -> tuple[pdf.CertificateSigner, x509.Certificate]:
    """A signer under another CA, with that CA's CRL (embedded at signing) listing it as
    compromised, or listing nothing."""
    moment = now()
    found = _elsewhere("Listing Root CA", "Listed Ltd")
    builder = (x509.CertificateRevocationListBuilder().issuer_name(found.name)
               .last_update(moment - dt.timedelta(hours=1))
               .next_update(moment + dt.timedelta(days=7)))
    if revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(2)
            .revocation_date(moment - dt.timedelta(hours=2))
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build())
    crl = builder.sign(found.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return pdf.CertificateSigner.for_identity(
        pki.SigningIdentity("elsewhere", found.leaf, (found.root,), found.key, (crl,))
    ), found.root


@pytest.mark.parametrize("revoked", [False, True])
def test_elsewhere_the_crl_the_pdf_carries_decides_revocation(store: Store,
                                                              revoked: bool) -> None:
    """No record of the signer: the CRL in the PDF's DSS, signed by its issuer, is used."""
    signer, root = _listed_signer(revoked)
    with store.sessions() as session:
        stored = credential_store.get_credential(
            session, credential_id=store.credentials["eddsa-rdfc-2022"])
    content = certificate_content(json.loads(stored.document), language="en",
                                  public_url=PUBLIC_URL)
    data = pdf.render_certificate(content, signer=signer, now=now())
    result = pdf_verify.verify_pdf(data, authorities=TrustedAuthority("elsewhere", root),
                                   verify_credential=lambda _: VerificationReport(()),
                                   now=now())
    assert check(result, "pdf-signature") == (True, None)
    found = result.report.check("pdf-revocation")
    assert found is not None and found.details["source"] == "crl"
    assert (found.ok, found.code) == ((False, "revoked") if revoked else (True, None))


def test_without_any_revocation_information_the_check_says_so_and_decides_nothing(
        store: Store) -> None:
    """A PDF with no CRL, from a signer no store knows: informational, nothing fetched."""
    signer, root = _listed_signer(False)
    bare = pdf.CertificateSigner.for_identity(pki.SigningIdentity(
        "elsewhere", signer.signer.template.certificate, (root,), signer.signer._key))
    data = pdf.render_certificate(
        certificate_content(json.loads(credential_document(store)), language="en",
                            public_url=PUBLIC_URL), signer=bare, now=now())
    result = pdf_verify.verify_pdf(data, authorities=TrustedAuthority("elsewhere", root),
                                   verify_credential=lambda _: VerificationReport(()),
                                   now=now())
    found = result.report.check("pdf-revocation")
    assert found is not None and (found.ok, found.code) == (None, "no-revocation-info")
    assert found.kind is CheckKind.INFO
