"""The signature check: the PDF signed under one of this deployment's authorities and unchanged
since."""

from __future__ import annotations

import datetime as dt
from typing import Any

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

from credstack.core.verification import (
    Check,
)
from credstack.errors import (
    InputTooLargeError,
)
from credstack.services.certificates import authority as pki
from credstack.services.certificates.verification.reading import MAX_SIGNATURES, Authorities, _check


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
