"""The signature check: the PDF signed under one of this deployment's authorities and unchanged
since."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from credstack.core.said import Said
from credstack.core.verification import (
    Check,
)
from credstack.errors import (
    InputTooLargeError,
)
from credstack.services.certificates import authority as pki
from credstack.services.certificates.verification.reading import MAX_SIGNATURES, Authorities, _said


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


def _untrusted_reason(status: PdfSignatureStatus) -> Said | str:
    """Why the signer's certificate did not validate: pyHanko's indication as it names it
    (``revoked``), else that no path leads to the authority."""
    indication = status.trust_problem_indic
    if indication is None:
        return Said("pdf.check.signature.no_path")
    return str(getattr(indication, "name", indication)).lower().replace("_", " ")


#: What an update appended after a certification signature did, by pyHanko's level.
_MODIFIED: Final = {ModificationLevel.FORM_FILLING: "pdf.check.signature.modified.form_filling",
                    ModificationLevel.ANNOTATIONS: "pdf.check.signature.modified.annotations"}


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
        return _said(name, False, Said("pdf.check.signature.unsigned"),
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
        # The reason as pyHanko words it: a library's message, not credstack's.
        return _said(name, False, Said("pdf.check.signature.unsupported", reason=str(exc)),
                     code="unsupported", details=details), signature, authority, None
    coverage, level = status.coverage, status.modification_level
    details.update(coverage=coverage.name.lower() if coverage is not None else None,
                   modification=level.name.lower() if level is not None else None)
    if not status.intact:
        return _said(name, False, Said("pdf.check.signature.altered"), code="altered",
                     details=details), signature, authority, status
    if not status.valid:
        return _said(name, False, Said("pdf.check.signature.invalid", signer=subject),
                     code="signature", details=details), signature, authority, status
    untouched = coverage == SignatureCoverageLevel.ENTIRE_FILE
    allowed = (coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok is True
               and level in {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES})
    if not (untouched or allowed):
        if coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            modified = _MODIFIED.get(level, "pdf.check.signature.modified.content") \
                if level is not None else "pdf.check.signature.modified.content"
            return _said(name, False, Said(modified), code="modified-after-signing",
                         details=details), signature, authority, status
        return _said(name, False, Said("pdf.check.signature.not_covered"), code="not-covered",
                     details=details), signature, authority, status
    if authority is None:
        return _said(name, False, Said("pdf.check.signature.unknown_authority", signer=subject,
                                       issuer=details["issuer_name"]),
                     code="unknown-authority", details=details), signature, None, status
    if not status.trusted:
        return _said(name, False, Said("pdf.check.signature.untrusted", signer=subject,
                                       organisation=authority.organisation,
                                       reason=_untrusted_reason(status)),
                     code="untrusted", details=details), signature, authority, status
    valid = ("pdf.check.signature.valid_retired" if authority.retired
             else "pdf.check.signature.valid")
    return _said(name, True, Said(valid, signer=subject, organisation=authority.organisation),
                 code=None, details=details), signature, authority, status
