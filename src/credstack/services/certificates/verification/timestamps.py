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
from credstack.core.verification import (
    Check,
    CheckKind,
)
from credstack.services.certificates import authority as pki
from credstack.services.certificates.verification.reading import (
    _IMPRINT_DIGESTS,
    MAX_CRLS,
    Authorities,
    _check,
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
