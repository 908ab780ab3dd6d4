"""Verifying a PDF certificate: every check in order, with the store's authorities or without."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko_certvalidator import ValidationContext

from credstack.core.verification import (
    VerificationReport,
)
from credstack.errors import (
    ConfigurationError,
    CredstackError,
    UnreadableInputError,
)
from credstack.services.certificates.verification.credential import (
    _credential_check,
    _embedded_credential,
)
from credstack.services.certificates.verification.reading import (
    _DAMAGED,
    Authorities,
    PdfVerification,
    _read,
)
from credstack.services.certificates.verification.signature import _signature_check
from credstack.services.certificates.verification.timestamps import (
    _revocation_check,
    _timestamp_check,
)


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
