"""Whether a seal's certificate was good when it sealed, and whether the operator trusts it.

ETSI TS 119 172-4 (validation of e-seals) asks the European Union's trusted lists whether the
certificate's issuer was a qualified trust service at the signing time. Those lists are out of
reach offline, so credstack asks the operator's own list instead: a PEM file of the
certificate authorities (or seal certificates) they trust (``CREDSTACK_ELM_TRUST``). The
chain from the seal's certificate through the ``x5c`` intermediates to one of them is built
and checked by ``cryptography``'s X.509 path validation, at the claimed signing time
(``sigT``): a seal made while its certificate was valid stays valid after the certificate
expires, which is what a JAdES Baseline-LTA seal's archive timestamps are for.

The seal's timestamps (:mod:`credstack.core.elm.timestamps`) are trusted from the same list
(:func:`trusted_tsa`): a time-stamping authority's certificate must name the extended key usage
``timeStamping`` (RFC 3161 §2.3) and chain, at the token's time, to one of the operator's
certificates — the authority's own certificate on the list will do. The EU trusted lists name
qualified time-stamping services too; an operator who copies their certificates into the PEM
file trusts them for both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import (
    ClientVerifier,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from credstack.core.elm.jades import Seal
from credstack.core.said import Said
from credstack.errors import Problem, SignatureError, TrustChainError

__all__ = ["UnreadableCertificateError", "check_certificate_at_signing", "trusted_anchor",
           "trusted_tsa"]

#: The prefix of what this module says (``verification.check.elm.trust.…``).
_SAID = "verification.check.elm.trust."


class UnreadableCertificateError(ValueError):
    """A certificate a timestamp token carries cannot be read: ``said`` says so, with the
    reader's own error (``cryptography``'s words) as its parameter."""

    def __init__(self, error: str) -> None:
        self.said = Said(_SAID + "tsa_unreadable", error=error)
        super().__init__(self.said.key)


def _problems(location: str, rule: str, what: str, **params: object) -> list[Problem]:
    """An error's one problem, said as ``what`` (a key under :data:`_SAID`) with ``params``,
    naming the ``rule`` broken (the error says the same key)."""
    return [Problem(location, code=_SAID + what, params=params, rule=rule)]


def check_certificate_at_signing(seal: Seal) -> None:
    """Raise :class:`~credstack.errors.SignatureError` when the signing certificate was not
    valid at the claimed signing time (expired, or not yet valid)."""
    certificate, when = seal.certificate, seal.signing_time
    if when > certificate.not_valid_after_utc:
        expired = certificate.not_valid_after_utc.date().isoformat()
        signed = when.date().isoformat()
        raise SignatureError(
            code=_SAID + "expired_at_signing", params={"expired": expired, "signed": signed},
            problems=_problems("protected.x5c[0]", "certificate-expired-at-signing",
                               "expired_at_signing", expired=expired, signed=signed))
    if when < certificate.not_valid_before_utc:
        start = certificate.not_valid_before_utc.date().isoformat()
        raise SignatureError(
            code=_SAID + "not_yet_valid_at_signing", params={"start": start},
            problems=_problems("protected.x5c[0]", "certificate-not-yet-valid-at-signing",
                               "not_yet_valid_at_signing", start=start))


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
    try:
        # A seal certificate's extensions are the eIDAS profile's (ETSI EN 319 412-3).
        verified = _verifier(anchors, seal.signing_time).verify(leaf, list(seal.certificates[1:]))
    except VerificationError as error:
        said = {"subject": _subject(leaf), "error": str(error)}
        raise TrustChainError(reason="untrusted-seal", code=_SAID + "untrusted", params=said,
                              problems=_problems("protected.x5c", "untrusted-seal",
                                                 "untrusted", **said)) from None
    return verified.chain[-1]


def _verifier(anchors: Sequence[x509.Certificate], when: dt.datetime) -> ClientVerifier:
    return (PolicyBuilder().store(Store(list(anchors)))
            .time(when.astimezone(dt.UTC).replace(tzinfo=None))
            # Neither a seal's nor an authority's certificate is a TLS client: the leaf's
            # extensions are its own profile's (the authority's usage is checked apart); the
            # CAs are still checked as CAs.
            .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(),
                                ee_policy=ExtensionPolicy.permit_all())
            .build_client_verifier())


def _not_for_time_stamping(certificate: x509.Certificate) -> str | None:
    """What makes ``certificate`` unfit for a time-stamping authority (a key under
    :data:`_SAID`: ``tsa_usage_missing``, ``tsa_usage_others``, ``tsa_usage_not_critical``),
    or ``None``: RFC 3161 §2.3 asks for one extended key usage, timeStamping alone, marked
    critical."""
    try:
        extension = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return "tsa_usage_missing"
    usage = list(extension.value)
    if ExtendedKeyUsageOID.TIME_STAMPING not in usage:
        return "tsa_usage_missing"
    if len(usage) > 1:
        return "tsa_usage_others"
    if not extension.critical:
        return "tsa_usage_not_critical"
    return None


def trusted_tsa(certificates: Sequence[bytes], when: dt.datetime,
                anchors: Sequence[x509.Certificate]) -> x509.Certificate:
    """The certificate of ``anchors`` a time-stamping authority chains to at ``when`` (its
    token's time); ``certificates``: those the token carries (DER), the authority's first.

    Raises ``ValueError`` when ``anchors`` is empty, :class:`UnreadableCertificateError` (a
    ``ValueError``) when a certificate cannot be read (the caller says "could not be checked"
    then), and :class:`~credstack.errors.TrustChainError` when the certificate is not for
    time-stamping (``reason``: ``tsa-usage``) or no chain reaches ``anchors``
    (``untrusted-tsa``).
    """
    if not anchors:
        raise ValueError("no trusted certificates are configured")
    try:
        leaf, *others = (x509.load_der_x509_certificate(der) for der in certificates)
    except ValueError as error:
        raise UnreadableCertificateError(str(error)) from None
    subject = _subject(leaf)
    unfit = _not_for_time_stamping(leaf)
    if unfit is not None:
        raise TrustChainError(reason="tsa-usage", code=_SAID + unfit,
                              params={"subject": subject},
                              problems=_problems("tstTokens[].val", "tsa-usage", unfit,
                                                 subject=subject))
    if leaf in anchors:
        return leaf  # The operator trusts this very authority.
    try:
        verified = _verifier(anchors, when).verify(leaf, others)
    except VerificationError as error:
        said = {"subject": subject, "error": str(error)}
        raise TrustChainError(reason="untrusted-tsa", code=_SAID + "untrusted", params=said,
                              problems=_problems("tstTokens[].val", "untrusted-tsa",
                                                 "untrusted", **said)) from None
    anchor: x509.Certificate = verified.chain[-1]
    return anchor
