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

from credstack.services.certificates.verification.reading import CHECK_TITLES as CHECK_TITLES
from credstack.services.certificates.verification.reading import (
    CREDENTIAL_FILES as CREDENTIAL_FILES,
)
from credstack.services.certificates.verification.reading import MAX_CRLS as MAX_CRLS
from credstack.services.certificates.verification.reading import MAX_OBJECTS as MAX_OBJECTS
from credstack.services.certificates.verification.reading import MAX_PAGES as MAX_PAGES
from credstack.services.certificates.verification.reading import MAX_PDF_BYTES as MAX_PDF_BYTES
from credstack.services.certificates.verification.reading import MAX_REVISIONS as MAX_REVISIONS
from credstack.services.certificates.verification.reading import MAX_SIGNATURES as MAX_SIGNATURES
from credstack.services.certificates.verification.reading import Authorities as Authorities
from credstack.services.certificates.verification.reading import PdfVerification as PdfVerification
from credstack.services.certificates.verification.reading import _read as _read
from credstack.services.certificates.verification.reading import is_pdf as is_pdf
from credstack.services.certificates.verification.verifying import tsa_roots as tsa_roots
from credstack.services.certificates.verification.verifying import verify_pdf as verify_pdf

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
]

