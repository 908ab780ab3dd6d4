"""Whether a seal's certificate was good when it sealed, and whether the operator trusts it.

ETSI TS 119 172-4 (validation of e-seals) asks the European Union's trusted lists whether the
certificate's issuer was a qualified trust service at the signing time. Those lists are out of
reach offline, so credstack asks the operator's own list instead: a PEM file of the
certificate authorities (or seal certificates) they trust (``CREDSTACK_ELM_TRUST``). The
chain from the seal's certificate through the ``x5c`` intermediates to one of them is built
and checked by ``cryptography``'s X.509 path validation, at the claimed signing time
(``sigT``): a seal made while its certificate was valid stays valid after the certificate
expires, which is what a JAdES Baseline-LTA seal's archive timestamps are for (credstack does
not verify those timestamps: see :mod:`credstack.core.elm.jades`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509
from cryptography.x509.verification import (
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from credstack.core.elm.jades import Seal
from credstack.errors import Problem, SignatureError, TrustChainError

__all__ = ["check_certificate_at_signing", "trusted_anchor"]


def check_certificate_at_signing(seal: Seal) -> None:
    """Raise :class:`~credstack.errors.SignatureError` when the signing certificate was not
    valid at the claimed signing time (expired, or not yet valid)."""
    certificate, when = seal.certificate, seal.signing_time
    if when > certificate.not_valid_after_utc:
        expired = certificate.not_valid_after_utc.date().isoformat()
        raise SignatureError("the seal's certificate had expired when it sealed", problems=[
            Problem("protected.x5c[0]",
                    f"the certificate expired on {expired}, before the signing time "
                    f"{when.date().isoformat()}",
                    f"証明書は署名時刻（{when.date().isoformat()}）より前の {expired} に"
                    "有効期限が切れていました", "certificate-expired-at-signing")])
    if when < certificate.not_valid_before_utc:
        start = certificate.not_valid_before_utc.date().isoformat()
        raise SignatureError("the seal's certificate was not yet valid when it sealed",
                             problems=[Problem("protected.x5c[0]",
                                               f"the certificate is valid only from {start}",
                                               f"証明書の有効期間は {start} からです",
                                               "certificate-not-yet-valid-at-signing")])


def _subject(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()


def trusted_anchor(seal: Seal, anchors: Sequence[x509.Certificate]) -> x509.Certificate:
    """The certificate of ``anchors`` the seal's certificate chains to at its signing time.

    Raises ``ValueError`` when ``anchors`` is empty (the caller says "could not be checked"
    then), and :class:`~credstack.errors.TrustChainError` when no chain reaches one of them.
    """
    if not anchors:
        raise ValueError("no trusted certificates are configured")
    leaf = seal.certificate
    if leaf in anchors:
        return leaf  # The operator trusts this very seal certificate.
    verifier = (PolicyBuilder().store(Store(list(anchors)))
                .time(seal.signing_time.astimezone(dt.UTC).replace(tzinfo=None))
                # A seal certificate is no TLS client: its extensions are the eIDAS profile's
                # (ETSI EN 319 412-3), not the Web PKI's; the CAs are still checked as CAs.
                .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(),
                                    ee_policy=ExtensionPolicy.permit_all())
                .build_client_verifier())
    try:
        verified = verifier.verify(leaf, list(seal.certificates[1:]))
    except VerificationError as error:
        raise TrustChainError(
            "the seal's certificate does not chain to a certificate the operator trusts",
            reason="untrusted-seal",
            problems=[Problem("protected.x5c", f"{_subject(leaf)}: {error}",
                              f"{_subject(leaf)} は信頼する証明書につながりません",
                              "untrusted-seal")]) from None
    return verified.chain[-1]
