"""Verifying a PDF certificate: its signature, who signed it, and the credential it carries.

:func:`verify_pdf` answers with credstack's verification report (one
:class:`~credstack.core.verification.Check` per finding): four checks about the PDF, then
every check of the credential inside it.

``pdf-signature``
    The first (certification) signature is validated with pyHanko, offline: the digest of
    the signed byte range, the signature value, the chain of the signer's certificate to a
    trust anchor, and the *difference analysis* of whatever was appended after the signed
    revision. The trust anchor is the certificate authority of one of this credstack's
    organisations, found by the signer certificate's ``authorityKeyIdentifier``
    (:class:`credstack.services.certificates.authority.StoreAuthorities`); a PDF signed under any
    other CA
    names its signer and fails with ``unknown-authority``. Codes: ``unsigned``,
    ``altered`` (bytes inside the signed range changed), ``signature`` (the signature
    value does not verify), ``modified-after-signing`` (an incremental update after the
    signature that the certification does not allow), ``not-covered``,
    ``unknown-authority``, ``untrusted`` (a known authority, but the chain does not validate:
    expired, wrong key usage …), ``unsupported``.
``pdf-credential``
    The credential is read from the *signed* revision (a later update cannot swap it) as an
    embedded file (``credential.json`` / ``credential.jwt``), and must be issued by the
    organisation whose authority signed the PDF. Codes: ``no-credential``,
    ``issuer-mismatch``.
``pdf-timestamp``
    The signature timestamp (PAdES B-T: an RFC 3161 token, the unsigned attribute
    ``signature-time-stamp-token``), if any. It counts only when its message imprint is the
    digest of the signature value (``imprint``), its content is what its TSA signed
    (``altered``), its signature verifies (``signature``) and the TSA's certificate chains to
    one of the TSA roots this deployment trusts, ``CREDSTACK_TSA_TRUST`` (``untrusted``);
    nothing is fetched. Passed, it names the TSA and the time it attests (``genTime``), which
    the revocation check takes as proof that the signature existed then. Without a token the
    check is informational (``no-timestamp``: PAdES B-B, the time is the signer's claim).
``pdf-revocation``
    Whether the signer's certificate was revoked, offline: a certificate one of this
    credstack's organisations holds is looked up in the store (its record is current);
    any other is looked up in the CRLs the PDF carries in its ``/DSS`` (signed by the
    certificate's issuer; the newest one counts). Nothing is fetched from the network.
    Without either, the check is informational (nothing to decide it with). A revoked
    certificate fails the check (``revoked``), unless a valid timestamp proves the signature
    was made before a revocation for any reason but ``keyCompromise`` (then it passes); a
    signature whose *claimed* time is before the revocation, with no valid timestamp, fails
    with ``revoked-no-timestamp`` (:mod:`credstack.core.certificates.revocation` says why).

Input credstack cannot judge at all raises instead (:class:`~credstack.errors.InputError`):
not a PDF, unreadable, encrypted, or over the limits below — :data:`MAX_PDF_BYTES` (20 MiB;
the web service's body limit is usually lower), :data:`MAX_OBJECTS`, :data:`MAX_REVISIONS`,
:data:`MAX_PAGES`, :data:`MAX_SIGNATURES` — which bound the work a hostile file can cause, as
pyHanko's decode limits bound what a stream may decompress to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, Protocol

from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, TimestampSignatureStatus
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.orm import Session

from credstack.core.certificates import PDF_CHECK_TITLES, read_credential
from credstack.core.certificates.revocation import (
    RevocationFacts,
    RevocationVerdict,
    judge_revocation,
)
from credstack.core.verification import (
    MAX_CREDENTIAL_BYTES,
    Check,
    CheckKind,
    VerificationReport,
)
from credstack.errors import (
    ConfigurationError,
    CredstackError,
    InputTooLargeError,
    MalformedCredentialError,
    UnreadableInputError,
)
from credstack.services.certificates import authority as pki
from credstack.services.verification import service as verifier
from credstack.settings import Settings

__all__ = [
    "CHECK_TITLES",
    "MAX_OBJECTS",
    "MAX_PAGES",
    "MAX_PDF_BYTES",
    "MAX_REVISIONS",
    "MAX_SIGNATURES",
    "Authorities",
    "PdfVerification",
    "is_pdf",
    "tsa_roots",
    "verify_pdf",
    "verify_pdf_with_store",
]

#: The largest PDF read at all.
MAX_PDF_BYTES: Final = 20 * 1024 * 1024
#: At most this many objects (the trailer's ``/Size``), revisions, pages and signatures.
MAX_OBJECTS: Final = 20_000
MAX_REVISIONS: Final = 32
MAX_PAGES: Final = 200
MAX_SIGNATURES: Final = 16
#: At most this many CRLs in the document security store are read.
MAX_CRLS: Final = 16
#: The digests a timestamp's message imprint may be made with.
_IMPRINT_DIGESTS: Final = ("sha256", "sha384", "sha512")
#: The names credstack gives the credential a certificate carries.
CREDENTIAL_FILES: Final = ("credential.json", "credential.jwt")
#: Titles of the PDF checks, in English and Japanese (as ``CHECK_TITLES`` of the pipeline).
CHECK_TITLES: Final = PDF_CHECK_TITLES
_MAX_NAME_TREE_NODES: Final = 256
#: What pyHanko, asn1crypto and zlib raise on damaged input: the PDF cannot be read.
_DAMAGED: Final = (misc.PdfError, KeyError, TypeError, ValueError, AttributeError,
                   IndexError, RecursionError, AssertionError, zlib.error)

# pyHanko logs the reasons of a failed difference analysis (with a traceback) before it
# reports them; credstack reports them itself, in the check. Without a handler of its own,
# Python's last-resort handler would print them on every command line.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())


class Authorities(Protocol):
    """Finds the authority of a signer's certificate (by key id), organisations' DIDs, and
    the revocation status of the signing certificates the store issued (by SHA-256)."""

    def __call__(self, key_id: str) -> pki.FoundAuthority | None: ...

    def organisation_did(self, organisation: str) -> str: ...

    def revocation(self, fingerprint: str) -> pki.CertificateStatus | None: ...


@dataclass(frozen=True, slots=True)
class PdfVerification:
    """The report, and what the PDF carried: the credential's text and the signer."""

    report: VerificationReport
    #: The embedded credential exactly as carried (JSON text or a VC-JWT), if any.
    credential: str | None = None
    signer: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.ok

    def to_dict(self) -> dict[str, Any]:
        """The report as the VC-API verify result, with ``pdf``: who signed, what it holds."""
        result = self.report.to_dict()
        for item in (*result["checks"], *result["errors"]):
            titles = CHECK_TITLES.get(item["check"])
            if titles is not None:
                item["title"] = ({"en": titles[0], "ja": titles[1]}
                                 if isinstance(item["title"], dict) else titles[0])
        result["pdf"] = {"signer": dict(self.signer),
                         "credential_embedded": self.credential is not None}
        return result


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF (``%PDF-`` within its first kilobyte)."""
    return data.find(b"%PDF-", 0, 1024) >= 0


def _check(name: str, ok: bool | None, en: str, ja: str, *, code: str | None = None,
           details: Mapping[str, Any] | None = None) -> Check:
    return Check(name, ok, en, ja, dict(details or {}), code)


def _read(data: bytes) -> PdfFileReader:
    if len(data) > MAX_PDF_BYTES:
        raise InputTooLargeError(
            f"The PDF is {len(data):,} bytes; credstack reads PDFs of at most "
            f"{MAX_PDF_BYTES:,} bytes.")
    if not is_pdf(data):
        raise UnreadableInputError("The file is not a PDF (it does not start with %PDF-).")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise UnreadableInputError("The PDF is encrypted; credstack verifies PDF "
                                       "certificates, which are not.")
        limits = (("revisions", reader.total_revisions, MAX_REVISIONS),
                  ("objects", int(reader.trailer_view.get("/Size", 0)), MAX_OBJECTS),
                  ("pages", int(reader.root["/Pages"].get("/Count", 0)), MAX_PAGES))
    except CredstackError:
        raise
    except _DAMAGED as exc:
        raise UnreadableInputError(f"The PDF cannot be read: {exc}") from None
    for what, count, limit in limits:
        if count > limit:
            raise InputTooLargeError(f"The PDF has {count:,} {what}; credstack reads PDFs of "
                                     f"at most {limit:,} {what}.")
    return reader


def _cryptography(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())


def _common_name(name: x509.Name) -> str:
    found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(found[0].value) if found else name.rfc4514_string()


def _signer_details(signature: EmbeddedPdfSignature) -> dict[str, Any]:
    certificate = _cryptography(signature.signer_cert)
    signed_at = signature.self_reported_timestamp
    return {
        "field": signature.field_name,
        "name": _common_name(certificate.subject),
        "issuer_name": _common_name(certificate.issuer),
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "serial_number": format(certificate.serial_number, "x"),
        "not_after": certificate.not_valid_after_utc.isoformat(),
        "signed_at": signed_at.isoformat() if signed_at is not None else None,
    }


def _untrusted_reason(status: PdfSignatureStatus) -> str:
    indication = status.trust_problem_indic
    if indication is None:
        return "no path to the authority"
    return str(getattr(indication, "name", indication)).lower().replace("_", " ")


_Signature = tuple[Check, EmbeddedPdfSignature | None, pki.FoundAuthority | None,
                   PdfSignatureStatus | None]


def _signature_check(reader: PdfFileReader, authorities: Authorities, now: dt.datetime,
                     timestamps: ValidationContext) -> _Signature:
    name = "pdf-signature"
    signatures = sorted(reader.embedded_regular_signatures, key=lambda s: s.signed_revision)
    if len(signatures) > MAX_SIGNATURES:
        raise InputTooLargeError(f"The PDF has {len(signatures)} signatures; credstack reads "
                                 f"PDFs with at most {MAX_SIGNATURES}.")
    if not signatures:
        return _check(name, False, "The PDF is not signed.", "PDF に電子署名がありません。",
                      code="unsigned"), None, None, None
    signature = signatures[0]
    details = _signer_details(signature)
    details["signatures"] = len(signatures)
    subject = details["name"]
    key_id = pki.authority_key_id(_cryptography(signature.signer_cert))
    authority = authorities(key_id) if key_id is not None else None
    if authority is not None:
        details.update(organisation=authority.organisation,
                       authority=authority.certificate.subject.rfc4514_string(),
                       authority_retired=authority.retired)
    roots = ([asn1_x509.Certificate.load(authority.certificate.public_bytes(
        Encoding.DER))] if authority is not None else [])
    context = ValidationContext(trust_roots=roots, other_certs=signature.other_embedded_certs,
                                moment=now, allow_fetching=False, revocation_mode="soft-fail")
    try:
        # pyHanko validates a signature timestamp in the same pass, against ``timestamps``.
        status = validate_pdf_signature(signature, context, ts_validation_context=timestamps)
    except (SignatureValidationError, misc.PdfError, ValueError, KeyError, TypeError) as exc:
        return _check(name, False, f"The signature cannot be validated: {exc}",
                      f"電子署名を検証できません：{exc}", code="unsupported",
                      details=details), signature, authority, None
    coverage, level = status.coverage, status.modification_level
    details.update(coverage=coverage.name.lower() if coverage is not None else None,
                   modification=level.name.lower() if level is not None else None)
    if not status.intact:
        return _check(
            name, False,
            "The PDF was altered after it was signed: the signed bytes no longer match the "
            "digest in the signature.",
            "署名後に PDF が改ざんされています（署名対象のデータが署名のダイジェストと"
            "一致しません）。",
            code="altered", details=details), signature, authority, status
    if not status.valid:
        return _check(name, False,
                      f"The signature value does not verify with the certificate of {subject}.",
                      f"署名値が {subject} の証明書で検証できません。", code="signature",
                      details=details), signature, authority, status
    untouched = coverage == SignatureCoverageLevel.ENTIRE_FILE
    allowed = (coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok is True
               and level in {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES})
    if not (untouched or allowed):
        if coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            what = {ModificationLevel.FORM_FILLING: "form fields were filled in",
                    ModificationLevel.ANNOTATIONS: "annotations were added"}.get(
                level, "content was added or changed") if level is not None else \
                "content was added or changed"
            return _check(
                name, False,
                f"The PDF was modified after it was signed: {what} in an update appended to "
                "the signed document, which its certification signature does not allow.",
                "署名後に PDF が変更されています（署名済みの文書に追記された更新で内容が追加・"
                "変更されました。認証署名はこれを認めていません）。",
                code="modified-after-signing", details=details), signature, authority, status
        return _check(name, False, "The signature does not cover the whole document.",
                      "電子署名が文書全体を対象としていません。", code="not-covered",
                      details=details), signature, authority, status
    if authority is None:
        return _check(
            name, False,
            f"The signature is intact, but its signer ({subject}, certified by "
            f"{details['issuer_name']}) is not anchored in a certificate authority this credstack "
            "knows.",
            f"署名は完全ですが、署名者（{subject}、発行者 {details['issuer_name']}）の証明書は、"
            "この credstack が知る認証局につながっていません。",
            code="unknown-authority", details=details), signature, None, status
    if not status.trusted:
        reason = _untrusted_reason(status)
        return _check(
            name, False,
            f"The signer's certificate ({subject}) does not validate against the certificate "
            f"authority of {authority.organisation}: {reason}.",
            f"署名者の証明書（{subject}）が {authority.organisation} の認証局で検証できません："
            f"{reason}。", code="untrusted", details=details), signature, authority, status
    retired = "" if not authority.retired else " (an authority since replaced)"
    retired_ja = "" if not authority.retired else "（現在は更新済みの認証局）"
    return _check(
        name, True,
        f"Signed by {subject}, certified by the certificate authority of "
        f"{authority.organisation}{retired}; the PDF is unchanged since it was signed.",
        f"{authority.organisation} の認証局{retired_ja}が認証した {subject} による電子署名です。"
        "署名後に変更されていません。", code=None, details=details), signature, authority, status


def _name_tree_files(node: Any, found: dict[str, Any], budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0 or not isinstance(node, generic.DictionaryObject):
        return
    names = node.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, generic.ArrayObject):
        for index in range(0, len(names) - 1, 2):
            key, value = names[index].get_object(), names[index + 1].get_object()
            if isinstance(value, generic.DictionaryObject):
                found.setdefault(str(key), value)
    kids = node.get("/Kids")
    kids = kids.get_object() if kids is not None else None
    if isinstance(kids, generic.ArrayObject):
        for kid in kids:
            _name_tree_files(kid.get_object(), found, budget)


def _embedded_credential(reader: PdfFileReader, revision: int | None) -> str | None:
    """The credential file in ``revision`` of the document (the signed one), if any."""
    root = reader.get_historical_root(revision) if revision is not None else reader.root
    try:
        tree = root["/Names"]["/EmbeddedFiles"]
    except KeyError:
        return None
    files: dict[str, Any] = {}
    _name_tree_files(tree.get_object(), files, [_MAX_NAME_TREE_NODES])
    for wanted in CREDENTIAL_FILES:
        for key, spec in files.items():
            names = {key, str(spec.get("/UF", "")), str(spec.get("/F", ""))}
            if wanted not in names:
                continue
            try:
                data = spec["/EF"].get("/UF", spec["/EF"].get("/F")).get_object().data
            except _DAMAGED:
                # A damaged file stream: the signature check says what happened to the PDF.
                return None
            if len(data) > MAX_CREDENTIAL_BYTES:
                raise InputTooLargeError(
                    f"The credential in the PDF is {len(data):,} bytes; credstack reads "
                    f"credentials of at most {MAX_CREDENTIAL_BYTES:,} bytes.")
            try:
                return bytes(data).decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def _issuer_of(text: str) -> str | None:
    try:
        credential = read_credential(text)
    except MalformedCredentialError:
        return None
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    if issuer is None:
        issuer = credential.get("iss")
    return issuer if isinstance(issuer, str) else None


def _credential_check(credential: str | None, authority: pki.FoundAuthority | None,
                      authorities: Authorities, *, signed: bool) -> Check:
    name = "pdf-credential"
    if credential is None:
        return _check(name, False,
                      "The PDF carries no credential (no credential.json or credential.jwt in "
                      "its signed revision): it cannot be checked against one.",
                      "PDF に証明（署名済みの版の credential.json / credential.jwt）が含まれて"
                      "いません。", code="no-credential")
    issuer = _issuer_of(credential)
    if not signed and authority is not None:
        return _check(name, None,
                      "The PDF carries a credential; whether its signer issued it is not "
                      "decided, because the PDF's signature did not verify.",
                      "PDF に証明が含まれていますが、PDF の電子署名を検証できなかったため、"
                      "署名者との対応は確認していません。", details={"issuer": issuer})
    if authority is None:
        return _check(name, None,
                      "The PDF carries a credential; whether its signer issued it is not "
                      "decided, because the signer is not known.",
                      "PDF に証明が含まれていますが、署名者が不明なため発行者との対応は確認して"
                      "いません。", details={"issuer": issuer})
    expected = authorities.organisation_did(authority.organisation)
    if issuer != expected:
        return _check(name, False,
                      f"The credential in the PDF is issued by {issuer or 'nobody'}, not by "
                      f"{authority.organisation} ({expected}), whose authority signed the PDF.",
                      f"PDF 内の証明の発行者（{issuer or '記載なし'}）が、PDF に署名した "
                      f"{authority.organisation}（{expected}）ではありません。",
                      code="issuer-mismatch", details={"issuer": issuer, "expected": expected})
    return _check(name, True,
                  f"The PDF carries the credential it stands for, issued by "
                  f"{authority.organisation}, the PDF's signer.",
                  f"PDF は署名者 {authority.organisation} が発行した証明を含んでいます。",
                  details={"issuer": issuer})


def _embedded_revocation(reader: PdfFileReader, signature: EmbeddedPdfSignature,
                         authority: pki.FoundAuthority | None
                         ) -> tuple[RevocationFacts | None, dict[str, Any]] | None:
    """What the newest CRL in the PDF's DSS, signed by the signer's issuer, says of it."""
    try:
        store = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None
    certificate = _cryptography(signature.signer_cert)
    issuers = ([authority.certificate] if authority is not None else [
        _cryptography(item) for item in (*signature.other_embedded_certs, *store.load_certs())
        if item.subject.dump() == signature.signer_cert.issuer.dump()])
    newest: x509.CertificateRevocationList | None = None
    for reference in store.crls[:MAX_CRLS]:
        try:
            candidate = x509.load_der_x509_crl(reference.get_object().data)
        except ValueError:
            continue
        if candidate.issuer != certificate.issuer or not any(
                _signed_by(candidate, issuer) for issuer in issuers):
            continue
        if newest is None or candidate.last_update_utc > newest.last_update_utc:
            newest = candidate
    if newest is None:
        return None
    details: dict[str, Any] = {
        "source": "crl", "crl_issuer": newest.issuer.rfc4514_string(),
        "crl_this_update": newest.last_update_utc.isoformat(),
        "crl_next_update": (newest.next_update_utc.isoformat()
                            if newest.next_update_utc is not None else None)}
    entry = newest.get_revoked_certificate_by_serial_number(certificate.serial_number)
    if entry is None:
        return None, details
    try:
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.value
    except x509.ExtensionNotFound:
        reason = "unspecified"
    return RevocationFacts(entry.revocation_date_utc, reason), details


def _signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    public = issuer.public_key()
    try:
        return crl.is_signature_valid(public)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _timestamp_token(signature: EmbeddedPdfSignature) -> cms.ContentInfo | None:
    """The first ``signature-time-stamp-token`` among the signature's unsigned attributes."""
    attributes = signature.signer_info["unsigned_attrs"]
    if not isinstance(attributes, cms.CMSAttributes):
        return None
    for attribute in attributes:
        if attribute["type"].native == "signature_time_stamp_token" and len(attribute["values"]):
            token: cms.ContentInfo = attribute["values"][0]
            return token
    return None


def _tsa_name(info: tsp.TSTInfo, status: TimestampSignatureStatus) -> str:
    """The TSA as its token names it (``tsa``), else as its certificate does."""
    named = info["tsa"]
    if isinstance(named, asn1_x509.GeneralName) and named.name == "directory_name":
        common = named.chosen.native.get("common_name")
        return common if isinstance(common, str) else str(named.chosen.human_friendly)
    if isinstance(named, asn1_x509.GeneralName):
        return str(named.native)
    return _common_name(_cryptography(status.signing_cert).subject)


def _timestamp_check(signature: EmbeddedPdfSignature | None,
                     status: PdfSignatureStatus | None, *, signed: bool,
                     trust_configured: bool) -> tuple[Check, dt.datetime | None]:
    """The ``pdf-timestamp`` check, and the time a valid timestamp proves."""
    name = "pdf-timestamp"
    token = _timestamp_token(signature) if signature is not None else None
    if signature is not None and token is None:
        return Check(name, None,
                     "The signature carries no timestamp (PAdES B-B): the time it was made is "
                     "the signer's own claim.",
                     "電子署名にタイムスタンプがありません（PAdES B-B）。署名日時は署名者自身の"
                     "記載です。", {}, code="no-timestamp", kind=CheckKind.INFO), None
    if signature is None or token is None or status is None or not signed:
        return _check(name, None, "Not checked, because the PDF's signature did not verify.",
                      "PDF の電子署名を検証できなかったため、確認していません。"), None
    info = token["content"]["encap_content_info"]["content"].parsed
    validity = status.timestamp_validity
    if not isinstance(info, tsp.TSTInfo) or validity is None or validity.signing_cert is None:
        return _check(name, False, "The signature's timestamp token cannot be read.",
                      "電子署名のタイムスタンプトークンを読み取れません。",
                      code="unsupported"), None
    moment = info["gen_time"].native
    tsa = _tsa_name(info, validity)
    details: dict[str, Any] = {
        "time": moment.isoformat(), "tsa": tsa,
        "tsa_certificate": _cryptography(validity.signing_cert).subject.rfc4514_string(),
        "serial_number": format(info["serial_number"].native, "x")}
    imprint = info["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    value = signature.signer_info["signature"].native
    if algorithm not in _IMPRINT_DIGESTS or \
            hashlib.new(algorithm, value).digest() != imprint["hashed_message"].native:
        return _check(
            name, False,
            f"The timestamp by {tsa} is not over this signature: its message imprint is not "
            "the digest of the signature value.",
            f"{tsa} のタイムスタンプはこの電子署名に対するものではありません（メッセージ"
            "インプリントが署名値のダイジェストと一致しません）。",
            code="imprint", details=details), None
    if not validity.intact:
        return _check(
            name, False,
            f"The timestamp by {tsa} was altered: its content does not match the digest its "
            "authority signed.",
            f"{tsa} のタイムスタンプが改ざんされています（内容が局の署名したダイジェストと"
            "一致しません）。", code="altered", details=details), None
    if not validity.valid:
        return _check(
            name, False,
            f"The signature of the timestamp does not verify with the certificate of {tsa}.",
            f"タイムスタンプの署名が {tsa} の証明書で検証できません。",
            code="signature", details=details), None
    if not validity.trusted:
        why = ("" if trust_configured else
               " (this credstack trusts no time-stamping authority: set CREDSTACK_TSA_TRUST)")
        why_ja = ("" if trust_configured else
                  "（この credstack は信頼するタイムスタンプ局が未設定です：CREDSTACK_TSA_TRUST）")
        return _check(
            name, False,
            f"The timestamp by {tsa} is intact, but {tsa} is not a trusted time-stamping "
            f"authority{why}.",
            f"{tsa} のタイムスタンプは完全ですが、{tsa} は信頼されたタイムスタンプ局ではあり"
            f"ません{why_ja}。", code="untrusted", details=details), None
    return _check(name, True,
                  f"Timestamped by {tsa}: the signature existed on {moment.isoformat()}.",
                  f"{tsa} のタイムスタンプにより、電子署名が {moment.isoformat()} に存在した"
                  "ことが証明されています。", details=details), moment


def _revocation_check(reader: PdfFileReader, signature: EmbeddedPdfSignature | None,
                      authority: pki.FoundAuthority | None, authorities: Authorities, *,
                      signed: bool, timestamp: dt.datetime | None) -> Check:
    name = "pdf-revocation"
    if signature is None or not signed:
        return _check(name, None,
                      "Not checked, because the PDF's signature did not verify.",
                      "PDF の電子署名を検証できなかったため、確認していません。")
    certificate = _cryptography(signature.signer_cert)
    fingerprint = hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()
    status = authorities.revocation(fingerprint) if authority is not None else None
    facts: RevocationFacts | None
    if status is not None:
        details: dict[str, Any] = {"source": "store"}
        facts = (RevocationFacts(status.revoked_at, status.reason.value)
                 if status.revoked_at is not None and status.reason is not None else None)
    else:
        embedded = _embedded_revocation(reader, signature, authority)
        if embedded is None:
            return Check(name, None,
                         "The PDF carries no revocation list of its signer's authority, and "
                         "credstack does not fetch one: revocation was not checked.",
                         "PDF に署名者の認証局の失効リストが含まれておらず、credstack は取得も"
                         "しないため、失効は確認していません。", {"source": None},
                         code="no-revocation-info", kind=CheckKind.INFO)
        facts, details = embedded
    claimed = signature.self_reported_timestamp
    details.update(signed_at=claimed.isoformat() if claimed is not None else None,
                   timestamp=timestamp.isoformat() if timestamp is not None else None)
    verdict = judge_revocation(facts, timestamp=timestamp, claimed=claimed)
    if facts is None:
        source_en = ("credstack's record of the certificate" if details["source"] == "store"
                     else "the revocation list the PDF carries, issued "
                          f"{details['crl_this_update']}")
        source_ja = ("credstack の証明書の記録" if details["source"] == "store"
                     else f"PDF に含まれる失効リスト（{details['crl_this_update']} 発行）")
        return _check(name, True, f"The signer's certificate is not revoked ({source_en}).",
                      f"署名者の証明書は失効していません（{source_ja}）。", details=details)
    details.update(revoked_at=facts.revoked_at.isoformat(), reason=facts.reason)
    when, why = facts.revoked_at.isoformat(), facts.reason
    if verdict is RevocationVerdict.REVOKED_AFTER_SIGNING:
        return _check(
            name, True,
            f"The signer's certificate was revoked on {when} ({why}), after the signature: "
            f"a trusted timestamp proves it was made on {details['timestamp']}.",
            f"署名者の証明書は {when} に失効しました（{why}）が、信頼できるタイムスタンプに"
            f"より電子署名はそれ以前の {details['timestamp']} に行われたことが証明されて"
            "います。", details=details)
    if verdict is RevocationVerdict.REVOKED_NO_TIMESTAMP:
        return _check(
            name, False,
            f"The signer's certificate was revoked on {when} ({why}). The PDF says it was "
            f"signed before, on {details['signed_at']}, but that time is written by the signer "
            "and no timestamp proves it, so the signature cannot be trusted; ask the issuer "
            "for a new certificate.",
            f"署名者の証明書は {when} に失効しました（{why}）。PDF には署名日時がそれ以前の "
            f"{details['signed_at']} と記載されていますが、これは署名者自身の記載で、"
            "タイムスタンプによる証明がないため、署名を信頼できません。発行機関に証明書の"
            "再発行を依頼してください。",
            code="revoked-no-timestamp", details=details)
    compromised = " because its key was compromised" if why == "keyCompromise" else ""
    return _check(name, False,
                  f"The signer's certificate was revoked on {when} ({why}){compromised}: the "
                  "signature cannot be trusted.",
                  f"署名者の証明書は {when} に失効しています（{why}）。署名を信頼できません。",
                  code="revoked", details=details)


def tsa_roots(path: Path | None) -> tuple[x509.Certificate, ...]:
    """The trusted TSA roots in the PEM file ``CREDSTACK_TSA_TRUST`` names (none without).

    Every verification asks; the file is read and parsed again only when it changed.
    """
    if path is None:
        return ()
    try:
        found = path.stat()
    except OSError as exc:
        raise ConfigurationError(f"CREDSTACK_TSA_TRUST: cannot read {path}: "
                                 f"{exc.strerror}.") from None
    return _read_roots(path, found.st_mtime_ns, found.st_size)


@cache
def _read_roots(path: Path, modified: int, size: int) -> tuple[x509.Certificate, ...]:
    del modified, size  # the cache key: a changed file is read again
    try:
        return tuple(x509.load_pem_x509_certificates(path.read_bytes()))
    except OSError as exc:
        raise ConfigurationError(f"CREDSTACK_TSA_TRUST: cannot read {path}: "
                                 f"{exc.strerror}.") from None
    except ValueError:
        raise ConfigurationError(f"CREDSTACK_TSA_TRUST: {path} holds no PEM "
                                 "certificates.") from None


def verify_pdf(data: bytes, *, authorities: Authorities,
               verify_credential: Callable[[str], VerificationReport],
               now: dt.datetime,
               tsa_roots: Sequence[x509.Certificate] = ()) -> PdfVerification:
    """Verify a PDF certificate: its signature, then the credential it carries.

    ``authorities`` finds trust anchors; ``verify_credential`` is credstack's credential
    verification (with the deployment's sources); ``now`` is the validation time;
    ``tsa_roots`` are the time-stamping authorities whose timestamps count.
    """
    reader = _read(data)
    timestamps = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(root.public_bytes(Encoding.DER))
                     for root in tsa_roots],
        moment=now, allow_fetching=False, revocation_mode="soft-fail")
    try:
        signature_check, signature, authority, status = _signature_check(
            reader, authorities, now, timestamps)
        credential = _embedded_credential(
            reader, signature.signed_revision if signature is not None else None)
        timestamp_check, timestamp = _timestamp_check(
            signature, status, signed=signature_check.passed, trust_configured=bool(tsa_roots))
        revocation_check = _revocation_check(reader, signature, authority, authorities,
                                             signed=signature_check.passed,
                                             timestamp=timestamp)
    except CredstackError:
        raise
    except _DAMAGED as exc:
        raise UnreadableInputError(f"The PDF cannot be read: {exc}") from None
    checks = [signature_check, _credential_check(credential, authority, authorities,
                                                 signed=signature_check.passed),
              timestamp_check, revocation_check]
    meaning = None
    if credential is not None:
        inner = verify_credential(credential)
        checks += inner.checks
        meaning = inner.meaning
    return PdfVerification(VerificationReport(tuple(checks), meaning), credential,
                           signature_check.details)


def verify_pdf_with_store(data: bytes, *, settings: Settings,
                          sessions: Callable[[], Session],
                          now: dt.datetime) -> PdfVerification:
    """:func:`verify_pdf` with this deployment's authorities and verification sources."""
    sources = verifier.VerificationSources.from_settings(settings, sessions)
    return verify_pdf(
        data, authorities=pki.StoreAuthorities(sessions, public_url=settings.public_url),
        verify_credential=lambda text: verifier.verify(text, now=now, sources=sources),
        now=now, tsa_roots=tsa_roots(settings.tsa_trust))
