"""Each organisation's certificate authority and document-signing certificate (X.509).

A signed PDF certificate carries a PAdES signature, and PDF signatures are X.509: the signer
holds a certificate, issued by a certificate authority the verifier trusts. credstack gives
every organisation two certificates, kept in ``organisation_certificates``:

* its **authority** — by default a self-signed root made by credstack (ECDSA P-256, ten years,
  ``basicConstraints: CA, pathlen 0``, ``keyUsage: keyCertSign, cRLSign``); or an **external**
  CA the organisation already runs, given as a certificate and its private key
  (``credstack certificate ca create --ca-cert … --ca-key …``). The external key is used once,
  to issue the signing certificate, and is never stored: credstack keeps the certificate only.
* its **document-signing certificate**, issued by that authority for a P-256 key credstack
  generates: ``keyUsage: digitalSignature, nonRepudiation`` (critical), ``extendedKeyUsage:
  documentSigning`` (RFC 9336) and ``emailProtection`` (which NSS, hence poppler's
  ``pdfsig``, requires of a signer when an extended key usage is present), the organisation's
  did:web as a ``subjectAltName`` URI, the authority's key identifier and, under an authority
  credstack holds the key of, a ``cRLDistributionPoints`` URL (:func:`crl_url`).

**Revocation.** A signing certificate can be revoked (:func:`revoke_signing`: an RFC 5280
reason and a time), which also retires it, so that the next PDF is signed under a new one.
Each authority credstack holds the key of publishes a certificate revocation list (RFC 5280
§5, DER, ``application/pkix-crl``) at :func:`crl_url`: signed by the authority's key, valid
for :data:`CRL_VALIDITY`, re-signed when a certificate is revoked or when it is older than
:data:`CRL_REFRESH` (:func:`current_crl`), each with a higher ``cRLNumber``. An external
authority publishes its own CRLs: credstack records a revocation under it (and its own
verifier honours it) but cannot sign a list for it. Signing embeds the current CRL in the PDF
(:mod:`credstack.services.certificates.service`), so that it can be verified offline.

Private keys never leave the key store: credstack's own keys (the root's and the signing
key) are made and sealed by :mod:`credstack.adapters.keystore` exactly like issuer keys, and
opened only for one signing. ECDSA P-256 because the key store holds P-256 keys, signing is
fast (~0.05 ms), signatures are small, and both pyHanko and poppler (NSS) verify it.

Certificates are never deleted. ``create_authority(replace=True)`` retires the current pair
and makes a new one; PDFs signed under a retired authority keep verifying, as credentials
signed with retired issuer keys do. A verifier finds the authority of a PDF's signer by the
``authorityKeyIdentifier`` of its certificate (:func:`find_authority`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters import keystore
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories.organisations import find_row
from credstack.adapters.db.tables import (
    IssuerKeyRow,
    OrganisationCertificateRow,
    OrganisationRow,
)
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.errors import ConflictError, InputError, KeyStoreError, NotFoundError, Problem

__all__ = [
    "CRL_REFRESH",
    "CRL_VALIDITY",
    "DEFAULT_YEARS",
    "AuthorityInfo",
    "CertificateStatus",
    "ExternalAuthority",
    "FoundAuthority",
    "Revocation",
    "RevocationReason",
    "Role",
    "SigningIdentity",
    "StoreAuthorities",
    "authority_info",
    "certificate_revocation",
    "create_authority",
    "crl_url",
    "current_crl",
    "find_authority",
    "load_external_authority",
    "revoke_signing",
    "signing_identity",
]

#: How long credstack's own authority and signing certificate are valid.
DEFAULT_YEARS: Final = 10
#: id-kp-documentSigning (RFC 9336).
DOCUMENT_SIGNING: Final = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
#: Certificates start a little in the past, for verifiers whose clocks run behind.
_BACKDATE: Final = dt.timedelta(minutes=5)
#: A CRL's ``nextUpdate`` is this long after its ``thisUpdate``.
CRL_VALIDITY: Final = dt.timedelta(days=7)
#: A CRL older than this is re-signed when it is next asked for (well before it expires).
CRL_REFRESH: Final = dt.timedelta(days=1)


class RevocationReason(StrEnum):
    """The RFC 5280 §5.3.1 reasons credstack accepts (``certificateHold`` is not one: a
    revocation is final), named as in the standard."""

    UNSPECIFIED = "unspecified"
    KEY_COMPROMISE = "keyCompromise"
    AFFILIATION_CHANGED = "affiliationChanged"
    SUPERSEDED = "superseded"
    CESSATION_OF_OPERATION = "cessationOfOperation"
    PRIVILEGE_WITHDRAWN = "privilegeWithdrawn"

    @property
    def flag(self) -> x509.ReasonFlags:
        return {"keyCompromise": x509.ReasonFlags.key_compromise,
                "affiliationChanged": x509.ReasonFlags.affiliation_changed,
                "superseded": x509.ReasonFlags.superseded,
                "cessationOfOperation": x509.ReasonFlags.cessation_of_operation,
                "privilegeWithdrawn": x509.ReasonFlags.privilege_withdrawn,
                }.get(self.value, x509.ReasonFlags.unspecified)


class Role(StrEnum):
    AUTHORITY = "authority"
    SIGNING = "signing"


@dataclass(frozen=True, slots=True)
class ExternalAuthority:
    """A CA certificate and its private key, given from outside (the key is never stored)."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = field(repr=False)


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """What signs an organisation's PDFs: the opened key, its certificate, the chain."""

    organisation: str
    certificate: x509.Certificate
    #: The certificates between the signer and the trust anchor, the authority included.
    chain: tuple[x509.Certificate, ...]
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    #: The authority's current CRLs (DER), embedded in what is signed for offline checks.
    crls: tuple[bytes, ...] = ()


@dataclass(frozen=True, slots=True)
class AuthorityInfo:
    """An organisation's active authority and signing certificate (public data only)."""

    organisation: str
    authority: x509.Certificate
    signing: x509.Certificate
    external: bool

    #: Where the authority's CRL is published (``None``: an external authority's own).
    crl_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "external": self.external,
            "authority": _describe(self.authority),
            "signing": _describe(self.signing),
            "crl_url": self.crl_url,
        }


@dataclass(frozen=True, slots=True)
class Revocation:
    """A revoked signing certificate: when, why, and where its authority lists it."""

    organisation: str
    serial_number: str
    revoked_at: dt.datetime
    reason: RevocationReason
    #: ``None`` under an external authority, whose CRLs credstack does not publish.
    crl_url: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"organisation": self.organisation, "serial_number": self.serial_number,
                "revoked_at": self.revoked_at.isoformat(), "reason": self.reason.value,
                "crl_url": self.crl_url}


@dataclass(frozen=True, slots=True)
class FoundAuthority:
    """The authority a signer's certificate names, as the store knows it."""

    organisation: str
    certificate: x509.Certificate
    retired: bool
    external: bool


def _describe(certificate: x509.Certificate) -> dict[str, Any]:
    return {
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "serial_number": format(certificate.serial_number, "x"),
        "not_before": certificate.not_valid_before_utc.isoformat(),
        "not_after": certificate.not_valid_after_utc.isoformat(),
        "sha256_fingerprint": certificate.fingerprint(hashes.SHA256()).hex(),
        "pem": certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    }


def _utc(stamp: dt.datetime) -> dt.datetime:
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


def _organisation(session: Session, slug: str) -> OrganisationRow:
    row = find_row(session, slug)
    if row is None:
        raise NotFoundError(f"No organisation with slug {slug!r}.")
    return row


def _display_name(row: OrganisationRow) -> str:
    names = row.name or {}
    return names.get("en") or names.get("ja") or next(iter(names.values()), row.slug)


def _name(row: OrganisationRow, common_name: str) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
                  x509.NameAttribute(NameOID.ORGANIZATION_NAME, _display_name(row)[:64])]
    if row.country and len(row.country) == 2:
        attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, row.country))
    return x509.Name(attributes)


def _key_id(certificate: x509.Certificate) -> str:
    try:
        return certificate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier).value.digest.hex()
    except x509.ExtensionNotFound:
        return x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest.hex()


def authority_key_id(certificate: x509.Certificate) -> str | None:
    """Hex of the certificate's ``authorityKeyIdentifier`` key id, if it has one."""
    try:
        found = certificate.extensions.get_extension_for_class(
            x509.AuthorityKeyIdentifier).value.key_identifier
    except x509.ExtensionNotFound:
        return None
    return found.hex() if found is not None else None


def _ec_private(pair: KeyPair) -> ec.EllipticCurvePrivateKey:
    # The key store hands out KeyPairs; X.509 and CMS signing need the key as cryptography's
    # object. It is derived here, in memory, for the length of one operation.
    return ec.derive_private_key(int.from_bytes(pair.secret_bytes(), "big"), ec.SECP256R1())


def _check_master_key(session: Session, secret: keystore.MasterKey) -> None:
    """Every key in a store is sealed with the same master key (see the issuer keys)."""
    for column in (IssuerKeyRow.master_key_id, OrganisationCertificateRow.master_key_id):
        foreign = select(column).where(column.is_not(None), column != secret.id).limit(1)
        if session.scalar(foreign) is not None:
            raise KeyStoreError(keystore.WRONG_KEY)


def _new_key(session: Session, organisation: OrganisationRow, role: Role,
             secret: keystore.MasterKey) -> tuple[keystore.SealedKey, str, KeyPair]:
    count = len(session.scalars(select(OrganisationCertificateRow.id).where(
        OrganisationCertificateRow.organisation_id == organisation.id)).all())
    fragment = f"pki-{role.value}-{count + 1}"
    sealed = keystore.seal_new_key(secret, key_type=KeyType.P256, organisation=organisation.slug,
                                   fragment=fragment)
    pair = _unseal(secret, organisation.slug, fragment, sealed.public_multibase,
                   sealed.master_key_id, sealed.nonce, sealed.ciphertext)
    return sealed, fragment, pair


def _unseal(secret: keystore.MasterKey, organisation: str, fragment: str,
            public_multibase: str, master_key_id: str, nonce: bytes, ciphertext: bytes
            ) -> KeyPair:
    return keystore.unseal(secret, organisation=organisation, fragment=fragment,
                           key_type=KeyType.P256, public_multibase=public_multibase,
                           master_key_id=master_key_id, nonce=nonce, ciphertext=ciphertext)


def _row(organisation: OrganisationRow, role: Role, certificate: x509.Certificate, *,
         now: dt.datetime, external: bool = False,
         sealed: tuple[keystore.SealedKey, str] | None = None) -> OrganisationCertificateRow:
    der = certificate.public_bytes(serialization.Encoding.DER)
    key, fragment = sealed if sealed is not None else (None, None)
    return OrganisationCertificateRow(
        organisation_id=organisation.id, role=role.value, certificate=der,
        subject_key_id=_key_id(certificate), authority_key_id=authority_key_id(certificate),
        fingerprint=hashlib.sha256(der).hexdigest(),
        not_before=certificate.not_valid_before_utc, not_after=certificate.not_valid_after_utc,
        external=external, key_fragment=fragment,
        public_multibase=key.public_multibase if key else None,
        master_key_id=key.master_key_id if key else None,
        encrypted_secret=key.ciphertext if key else None, nonce=key.nonce if key else None,
        created_at=now, retired_at=None)


def _self_signed_root(organisation: OrganisationRow, key: ec.EllipticCurvePrivateKey, *,
                      now: dt.datetime, years: int) -> x509.Certificate:
    name = _name(organisation, f"{_display_name(organisation)} Certificate Authority")
    public = key.public_key()
    return (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(now + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256()))


def _signing_certificate(organisation: OrganisationRow, public: ec.EllipticCurvePublicKey, *,
                         authority: x509.Certificate,
                         authority_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
                         now: dt.datetime, years: int, did: str,
                         crl_url: str | None) -> x509.Certificate:
    not_after = min(now + dt.timedelta(days=365 * years), authority.not_valid_after_utc)
    try:
        authority_ski = authority.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        identifier = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
            authority_ski.value)
    except x509.ExtensionNotFound:
        identifier = x509.AuthorityKeyIdentifier.from_issuer_public_key(
            authority.public_key())  # type: ignore[arg-type]
    builder = x509.CertificateBuilder()
    if crl_url is not None:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    return (builder
            .subject_name(_name(organisation, _display_name(organisation)))
            .issuer_name(authority.subject).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _BACKDATE).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage(
                [DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectAlternativeName(
                [x509.UniformResourceIdentifier(did)]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(identifier, critical=False)
            .sign(authority_key, hashes.SHA256()))


def load_external_authority(certificate_pem: bytes, key_pem: bytes, *,
                            password: bytes | None = None,
                            now: dt.datetime) -> ExternalAuthority:
    """An external CA from PEM (or DER) files: a CA certificate that is valid ``now`` and the
    private key that matches it (ECDSA P-256/P-384 or RSA ≥ 2048 bits)."""
    try:
        certificate = (x509.load_pem_x509_certificate(certificate_pem)
                       if b"-----BEGIN" in certificate_pem
                       else x509.load_der_x509_certificate(certificate_pem))
    except ValueError:
        raise InputError("the CA certificate cannot be read", problems=[Problem(
            "ca-cert", "give an X.509 certificate in PEM or DER")]) from None
    try:
        key = (serialization.load_pem_private_key(key_pem, password)
               if b"-----BEGIN" in key_pem
               else serialization.load_der_private_key(key_pem, password))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InputError("the CA private key cannot be read", problems=[Problem(
            "ca-key", "give the CA's private key in PEM or DER (with its password, if it "
                      "has one)")]) from None
    problems = []
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if key.curve.name not in {"secp256r1", "secp384r1"}:
            problems.append(Problem("ca-key", f"the curve {key.curve.name} is not supported; "
                                              "use P-256 or P-384"))
    elif isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < 2048:
            problems.append(Problem("ca-key", "an RSA key needs at least 2048 bits"))
    else:
        problems.append(Problem("ca-key", "the key must be an ECDSA or RSA key"))
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
        is_ca = constraints.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        problems.append(Problem("ca-cert", "the certificate is not a CA certificate "
                                           "(basicConstraints cA is not set)"))
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not usage.key_cert_sign:
            problems.append(Problem("ca-cert", "its keyUsage does not allow keyCertSign"))
    except x509.ExtensionNotFound:
        pass
    if not certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc:
        problems.append(Problem("ca-cert", "the certificate is not valid now (valid "
                                           f"{certificate.not_valid_before_utc:%Y-%m-%d} to "
                                           f"{certificate.not_valid_after_utc:%Y-%m-%d})"))
    public = certificate.public_key()
    if not problems and public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != key.public_key().public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo):
        problems.append(Problem("ca-key", "the private key does not belong to the certificate"))
    if problems:
        raise InputError("the external CA cannot be used", problems=problems)
    assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
    return ExternalAuthority(certificate, key)


def _active(session: Session, organisation: OrganisationRow, role: Role, *, lock: bool = False
            ) -> OrganisationCertificateRow | None:
    query = select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == organisation.id,
        OrganisationCertificateRow.role == role.value,
        OrganisationCertificateRow.retired_at.is_(None))
    return session.scalar(query.with_for_update() if lock else query)


def _certificate(row: OrganisationCertificateRow) -> x509.Certificate:
    return x509.load_der_x509_certificate(row.certificate)


def _info(organisation: str, authority: OrganisationCertificateRow,
          signing: OrganisationCertificateRow, public_url: str) -> AuthorityInfo:
    return AuthorityInfo(organisation, _certificate(authority), _certificate(signing),
                         authority.external, _crl_url_of(public_url, organisation, authority))


def crl_url(public_url: str, organisation: str, key_id: str) -> str:
    """Where the CRL of ``organisation``'s authority with key id ``key_id`` is published.

    One URL per authority, not per organisation: a CRL is signed by the authority that issued
    the certificates it lists, and certificates issued before ``--replace`` still name theirs.
    """
    return f"{public_url.rstrip('/')}/organisations/{organisation}/ca/{key_id}.crl"


def _crl_url_of(public_url: str, organisation: str, authority: OrganisationCertificateRow
                ) -> str | None:
    return (None if authority.external
            else crl_url(public_url, organisation, authority.subject_key_id))


def create_authority(session: Session, *, organisation: str, secret: keystore.MasterKey,
                     now: dt.datetime, public_url: str, years: int = DEFAULT_YEARS,
                     external: ExternalAuthority | None = None, replace: bool = False
                     ) -> AuthorityInfo:
    """Give ``organisation`` an authority and a document-signing certificate.

    Without ``external``, credstack makes a self-signed root (its key sealed in the store);
    with it, the external CA issues the signing certificate and only its certificate is
    kept. Refused (:class:`ConflictError`) when the organisation has an authority, unless
    ``replace``: then the current certificates are retired (they stay trust anchors).
    """
    if not 1 <= years <= 30:
        raise InputError("unsupported validity", problems=[Problem(
            "years", "give between 1 and 30 years")])
    row = _organisation(session, organisation)
    _check_master_key(session, secret)
    current = _active(session, row, Role.AUTHORITY, lock=True)
    if current is not None and not replace:
        raise ConflictError(
            f"{organisation!r} already has a certificate authority; replace it with "
            f"`credstack certificate ca create --organisation {organisation} --replace`.")
    for role in Role:
        found = _active(session, row, role, lock=True)
        if found is not None:
            found.retired_at = now
    session.flush()
    did = key_store.organisation_did(public_url, organisation)
    if external is None:
        sealed, fragment, pair = _new_key(session, row, Role.AUTHORITY, secret)
        root_key = _ec_private(pair)
        authority_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = root_key
        authority = _self_signed_root(row, root_key, now=now, years=years)
        authority_row = _row(row, Role.AUTHORITY, authority, now=now,
                             sealed=(sealed, fragment))
    else:
        authority, authority_key = external.certificate, external.private_key
        authority_row = _row(row, Role.AUTHORITY, authority, now=now, external=True)
    session.add(authority_row)
    signing_row = _issue_signing(session, row, secret, authority=authority,
                                 authority_key=authority_key, now=now, years=years, did=did,
                                 crl_url=_crl_url_of(public_url, organisation, authority_row))
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(
            f"The certificates of {organisation!r} were changed at the same time, or this CA "
            "certificate is already in the store; try again.") from None
    return _info(organisation, authority_row, signing_row, public_url)


def _issue_signing(session: Session, organisation: OrganisationRow,
                   secret: keystore.MasterKey, *, authority: x509.Certificate,
                   authority_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
                   now: dt.datetime, years: int, did: str, crl_url: str | None
                   ) -> OrganisationCertificateRow:
    sealed, fragment, pair = _new_key(session, organisation, Role.SIGNING, secret)
    certificate = _signing_certificate(organisation, _ec_private(pair).public_key(),
                                       authority=authority, authority_key=authority_key,
                                       now=now, years=years, did=did, crl_url=crl_url)
    signing_row = _row(organisation, Role.SIGNING, certificate, now=now,
                       sealed=(sealed, fragment))
    session.add(signing_row)
    return signing_row


def authority_info(session: Session, *, organisation: str, public_url: str) -> AuthorityInfo:
    """The organisation's active authority and signing certificate.

    A signing certificate that was revoked has no successor until the next PDF is signed:
    then the revoked one is shown (its ``not_after`` is what it was).
    """
    row = _organisation(session, organisation)
    authority = _active(session, row, Role.AUTHORITY)
    if authority is None:
        raise NotFoundError(
            f"{organisation!r} has no certificate authority yet; create one with "
            f"`credstack certificate ca create --organisation {organisation}`.")
    signing = _active(session, row, Role.SIGNING) or session.scalar(
        select(OrganisationCertificateRow).where(
            OrganisationCertificateRow.organisation_id == row.id,
            OrganisationCertificateRow.role == Role.SIGNING.value,
            OrganisationCertificateRow.authority_key_id == authority.subject_key_id)
        .order_by(OrganisationCertificateRow.id.desc()).limit(1))
    if signing is None:
        raise NotFoundError(f"{organisation!r} has no document-signing certificate.")
    return _info(organisation, authority, signing, public_url)


def _open(secret: keystore.MasterKey, organisation: str, row: OrganisationCertificateRow
          ) -> KeyPair:
    if (row.key_fragment is None or row.public_multibase is None or row.master_key_id is None
            or row.nonce is None or row.encrypted_secret is None):
        raise KeyStoreError(f"credstack holds no key for the {row.role} certificate of "
                            f"{organisation}.")
    return _unseal(secret, organisation, row.key_fragment, row.public_multibase,
                   row.master_key_id, row.nonce, row.encrypted_secret)


def signing_identity(session: Session, *, organisation: str, secret: keystore.MasterKey,
                     now: dt.datetime, public_url: str, create: bool = True
                     ) -> SigningIdentity:
    """The organisation's signing key (opened), certificate and chain.

    With ``create`` an organisation without an authority gets credstack's own root and
    signing certificate first. A signing certificate that has expired is renewed by an
    authority credstack holds the key of; under an external authority it is refused
    (:class:`ConflictError`) until the authority is replaced.
    """
    row = _organisation(session, organisation)
    authority = _active(session, row, Role.AUTHORITY)
    if authority is None:
        if not create:
            authority_info(session, organisation=organisation,
                           public_url=public_url)  # raises NotFoundError
        # Two first requests at the same time: one of them fails with a ConflictError (the
        # unique index keeps one authority), and its retry finds the other's.
        create_authority(session, organisation=organisation, secret=secret, now=now,
                         public_url=public_url)
        authority = _active(session, row, Role.AUTHORITY)
        assert authority is not None
    signing = _active(session, row, Role.SIGNING)
    if signing is None or _utc(signing.not_after) <= now:
        if authority.external:
            what = "has expired" if signing is not None else "was revoked"
            raise ConflictError(
                f"The document-signing certificate of {organisation!r} {what} and its "
                "authority is external: issue a new one with `credstack certificate ca create "
                f"--organisation {organisation} --replace --ca-cert … --ca-key …`.")
        if signing is not None:
            signing.retired_at = now
            session.flush()
        authority_key = _ec_private(_open(secret, organisation, authority))
        signing = _issue_signing(
            session, row, secret, authority=_certificate(authority), authority_key=authority_key,
            now=now, years=DEFAULT_YEARS,
            did=key_store.organisation_did(public_url, organisation),
            crl_url=_crl_url_of(public_url, organisation, authority))
        session.flush()
    pair = _open(secret, organisation, signing)
    crls = () if authority.external else (
        _current_crl(session, authority, organisation, secret=secret, now=now),)
    return SigningIdentity(organisation, _certificate(signing), (_certificate(authority),),
                           _ec_private(pair), crls)


def _issue_crl(session: Session, authority: OrganisationCertificateRow, organisation: str, *,
               secret: keystore.MasterKey, now: dt.datetime) -> bytes:
    """Sign the authority's next CRL: every signing certificate it issued that was revoked."""
    revoked = session.scalars(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == authority.organisation_id,
        OrganisationCertificateRow.role == Role.SIGNING.value,
        OrganisationCertificateRow.authority_key_id == authority.subject_key_id,
        OrganisationCertificateRow.revoked_at.is_not(None))
        .order_by(OrganisationCertificateRow.id)).all()
    certificate = _certificate(authority)
    number = (authority.crl_number or 0) + 1
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(certificate.subject)
               .last_update(now).next_update(now + CRL_VALIDITY)
               .add_extension(x509.CRLNumber(number), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                   certificate.extensions.get_extension_for_class(
                       x509.SubjectKeyIdentifier).value), critical=False))
    for row in revoked:
        assert row.revoked_at is not None
        entry = (x509.RevokedCertificateBuilder()
                 .serial_number(_certificate(row).serial_number)
                 .revocation_date(_utc(row.revoked_at)))
        reason = RevocationReason(row.revocation_reason or "unspecified")
        if reason is not RevocationReason.UNSPECIFIED:
            # RFC 5280 §5.3.1: the unspecified reason is said by leaving the entry out.
            entry = entry.add_extension(x509.CRLReason(reason.flag), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    key = _ec_private(_open(secret, organisation, authority))
    der = builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    authority.crl, authority.crl_number = der, number
    session.flush()
    return der


def _current_crl(session: Session, authority: OrganisationCertificateRow, organisation: str,
                 *, secret: keystore.MasterKey, now: dt.datetime) -> bytes:
    if authority.crl is not None:
        this_update = x509.load_der_x509_crl(authority.crl).last_update_utc
        if this_update <= now < this_update + CRL_REFRESH:
            return authority.crl
    # Re-read under a lock: two requests refreshing at once sign one list, not two with the
    # same number.
    session.refresh(authority, with_for_update=True)
    if authority.crl is not None:
        this_update = x509.load_der_x509_crl(authority.crl).last_update_utc
        if this_update <= now < this_update + CRL_REFRESH:
            return authority.crl
    return _issue_crl(session, authority, organisation, secret=secret, now=now)


def current_crl(session: Session, *, organisation: str, key_id: str,
                secret: keystore.MasterKey, now: dt.datetime) -> bytes:
    """The current CRL (DER) of ``organisation``'s authority with key id ``key_id`` (hex),
    re-signed first when it is older than :data:`CRL_REFRESH`. Retired authorities keep
    publishing theirs; an external authority has none here (:class:`NotFoundError`)."""
    row = _organisation(session, organisation)
    authority = session.scalar(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == row.id,
        OrganisationCertificateRow.role == Role.AUTHORITY.value,
        OrganisationCertificateRow.subject_key_id == key_id.lower()))
    if authority is None:
        raise NotFoundError(f"{organisation!r} has no certificate authority {key_id!r}.")
    if authority.external:
        raise NotFoundError(f"The certificate authority {key_id!r} of {organisation!r} is "
                            "external: it publishes its own revocation lists.")
    return _current_crl(session, authority, organisation, secret=secret, now=now)


def revoke_signing(session: Session, *, organisation: str, secret: keystore.MasterKey,
                   now: dt.datetime, public_url: str,
                   reason: RevocationReason = RevocationReason.UNSPECIFIED,
                   serial_number: str | None = None, revoked_at: dt.datetime | None = None
                   ) -> Revocation:
    """Revoke one of ``organisation``'s document-signing certificates: the active one, or the
    one with ``serial_number`` (hex). It is retired too, and its authority's CRL re-signed.

    ``revoked_at`` (default ``now``) may be earlier than ``now`` — when the key is known to
    have been compromised since then — but not before the certificate was valid, nor later
    than ``now``. Revoking twice is a :class:`ConflictError`.
    """
    row = _organisation(session, organisation)
    candidates = session.scalars(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == row.id,
        OrganisationCertificateRow.role == Role.SIGNING.value)
        .order_by(OrganisationCertificateRow.id.desc()).with_for_update()).all()
    if serial_number is None:
        found = next((item for item in candidates if item.retired_at is None), None)
        if found is None:
            raise NotFoundError(f"{organisation!r} has no active document-signing certificate; "
                                "name the one to revoke by its serial number.")
    else:
        wanted = serial_number.lower().removeprefix("0x").replace(":", "")
        found = next((item for item in candidates
                      if format(_certificate(item).serial_number, "x") == wanted), None)
        if found is None:
            raise NotFoundError(f"{organisation!r} has no document-signing certificate with "
                                f"serial number {serial_number!r}.")
    certificate = _certificate(found)
    serial = format(certificate.serial_number, "x")
    if found.revoked_at is not None:
        raise ConflictError(f"The certificate {serial} of {organisation!r} was already revoked "
                            f"on {_utc(found.revoked_at).isoformat()}.")
    moment = now if revoked_at is None else _utc(revoked_at)
    if not certificate.not_valid_before_utc <= moment <= now:
        raise InputError("unsupported revocation time", problems=[Problem(
            "revoked_at", f"give a time between {certificate.not_valid_before_utc.isoformat()} "
                          f"(when the certificate became valid) and now")])
    found.revoked_at, found.revocation_reason = moment, reason.value
    found.retired_at = found.retired_at or now
    session.flush()
    authority = session.scalar(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == row.id,
        OrganisationCertificateRow.role == Role.AUTHORITY.value,
        OrganisationCertificateRow.subject_key_id == found.authority_key_id))
    url = None
    if authority is not None and not authority.external:
        _issue_crl(session, authority, organisation, secret=secret, now=now)
        url = crl_url(public_url, organisation, authority.subject_key_id)
    return Revocation(organisation, serial, moment, reason, url)


@dataclass(frozen=True, slots=True)
class CertificateStatus:
    """What the store knows of one of its signing certificates: revoked or not."""

    revoked_at: dt.datetime | None
    reason: RevocationReason | None


def certificate_revocation(session: Session, *, fingerprint: str) -> CertificateStatus | None:
    """The revocation status of the signing certificate whose SHA-256 is ``fingerprint``
    (hex), or ``None`` when the store did not issue it."""
    row = session.scalar(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.fingerprint == fingerprint.lower(),
        OrganisationCertificateRow.role == Role.SIGNING.value))
    if row is None:
        return None
    if row.revoked_at is None:
        return CertificateStatus(None, None)
    return CertificateStatus(_utc(row.revoked_at),
                             RevocationReason(row.revocation_reason or "unspecified"))


def find_authority(session: Session, *, key_id: str) -> FoundAuthority | None:
    """The authority (active or retired) whose ``subjectKeyIdentifier`` is ``key_id`` (hex)."""
    query = (select(OrganisationCertificateRow, OrganisationRow.slug)
             .join(OrganisationRow,
                   OrganisationRow.id == OrganisationCertificateRow.organisation_id)
             .where(OrganisationCertificateRow.subject_key_id == key_id.lower(),
                    OrganisationCertificateRow.role == Role.AUTHORITY.value)
             .order_by(OrganisationCertificateRow.id.desc()))
    found = session.execute(query).first()
    if found is None:
        return None
    row, slug = found
    return FoundAuthority(slug, _certificate(row), row.retired_at is not None, row.external)


class StoreAuthorities:
    """The authorities of this deployment's organisations, looked up in the store.

    The seam :mod:`credstack.services.certificates.verification` takes (``key id → authority``),
    with
    each organisation's did:web for matching a PDF's credential to its signer.
    """

    def __init__(self, sessions: Callable[[], Session], *, public_url: str) -> None:
        self._sessions = sessions
        self.public_url = public_url

    def __call__(self, key_id: str) -> FoundAuthority | None:
        with self._sessions() as session:
            return find_authority(session, key_id=key_id)

    def organisation_did(self, organisation: str) -> str:
        return key_store.organisation_did(self.public_url, organisation)

    def revocation(self, fingerprint: str) -> CertificateStatus | None:
        with self._sessions() as session:
            return certificate_revocation(session, fingerprint=fingerprint)
