"""The timestamp and revocation checks: the RFC 3161 token and the CRLs embedded at signing."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, TimestampSignatureStatus

from credstack.core.certificates.revocation import (
    RevocationFacts,
    RevocationVerdict,
    judge_revocation,
)
from credstack.core.said import Said
from credstack.core.verification import (
    Check,
    CheckKind,
)
from credstack.services.certificates import authority as pki
from credstack.services.certificates.verification.reading import (
    _IMPRINT_DIGESTS,
    MAX_CRLS,
    Authorities,
    _said,
)
from credstack.services.certificates.verification.signature import _common_name, _cryptography


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
        return _said(name, None, Said("pdf.check.timestamp.none"), code="no-timestamp",
                     kind=CheckKind.INFO), None
    if signature is None or token is None or status is None or not signed:
        return _said(name, None, Said("pdf.check.not_checked")), None
    info = token["content"]["encap_content_info"]["content"].parsed
    validity = status.timestamp_validity
    if not isinstance(info, tsp.TSTInfo) or validity is None or validity.signing_cert is None:
        return _said(name, False, Said("pdf.check.timestamp.unreadable"),
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
        return _said(name, False, Said("pdf.check.timestamp.imprint", tsa=tsa),
                     code="imprint", details=details), None
    if not validity.intact:
        return _said(name, False, Said("pdf.check.timestamp.altered", tsa=tsa),
                     code="altered", details=details), None
    if not validity.valid:
        return _said(name, False, Said("pdf.check.timestamp.signature", tsa=tsa),
                     code="signature", details=details), None
    if not validity.trusted:
        # Without CREDSTACK_TSA_TRUST no authority is trusted: the words say how to set it.
        untrusted = ("pdf.check.timestamp.untrusted" if trust_configured
                     else "pdf.check.timestamp.untrusted_unset")
        return _said(name, False, Said(untrusted, tsa=tsa), code="untrusted",
                     details=details), None
    return _said(name, True, Said("pdf.check.timestamp.valid", tsa=tsa,
                                  time=moment.isoformat()), details=details), moment


def _revocation_check(reader: PdfFileReader, signature: EmbeddedPdfSignature | None,
                      authority: pki.FoundAuthority | None, authorities: Authorities, *,
                      signed: bool, timestamp: dt.datetime | None) -> Check:
    name = "pdf-revocation"
    if signature is None or not signed:
        return _said(name, None, Said("pdf.check.not_checked"))
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
            return _said(name, None, Said("pdf.check.revocation.none"), code="no-revocation-info",
                         details={"source": None}, kind=CheckKind.INFO)
        facts, details = embedded
    claimed = signature.self_reported_timestamp
    details.update(signed_at=claimed.isoformat() if claimed is not None else None,
                   timestamp=timestamp.isoformat() if timestamp is not None else None)
    verdict = judge_revocation(facts, timestamp=timestamp, claimed=claimed)
    if facts is None:
        said = (Said("pdf.check.revocation.valid_store") if details["source"] == "store"
                else Said("pdf.check.revocation.valid_crl", issued=details["crl_this_update"]))
        return _said(name, True, said, details=details)
    details.update(revoked_at=facts.revoked_at.isoformat(), reason=facts.reason)
    # The times as ISO 8601 text, as the details give them; the reason as the CRL names it.
    when, why = facts.revoked_at.isoformat(), facts.reason
    if verdict is RevocationVerdict.REVOKED_AFTER_SIGNING:
        return _said(name, True, Said("pdf.check.revocation.after_signing", when=when, why=why,
                                      time=details["timestamp"]), details=details)
    if verdict is RevocationVerdict.REVOKED_NO_TIMESTAMP:
        return _said(name, False, Said("pdf.check.revocation.no_timestamp", when=when, why=why,
                                       signed_at=details["signed_at"]),
                     code="revoked-no-timestamp", details=details)
    revoked = ("pdf.check.revocation.compromised" if why == "keyCompromise"
               else "pdf.check.revocation.revoked")
    return _said(name, False, Said(revoked, when=when, why=why), code="revoked",
                 details=details)
