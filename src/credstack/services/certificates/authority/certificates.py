"""The X.509 certificates of an organisation's authority: a self-signed root or an external CA,
the document-signing certificate it issues, their keys sealed with the master key."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Protocol

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from credstack.adapters import keystore
from credstack.adapters.db.repositories import organisation_certificates as certificate_store
from credstack.adapters.db.repositories.organisation_certificates import StoredCertificate
from credstack.adapters.db.transactions import Session
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.errors import InputError, KeyStoreError, Problem

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


class _Organisation(Protocol):
    """What a certificate names of its organisation (the stored organisation's row)."""

    @property
    def id(self) -> int: ...
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> dict[str, str]: ...
    @property
    def country(self) -> str | None: ...


def _display_name(row: _Organisation) -> str:
    names = row.name or {}
    return names.get("en") or names.get("ja") or next(iter(names.values()), row.slug)


def _name(row: _Organisation, common_name: str) -> x509.Name:
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
    if certificate_store.sealed_with_another_key(session, secret.id):
        raise KeyStoreError(keystore.WRONG_KEY)


def _new_key(session: Session, organisation: _Organisation, role: Role,
             secret: keystore.MasterKey) -> tuple[keystore.SealedKey, str, KeyPair]:
    count = certificate_store.count(session, organisation.id)
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


def _row(organisation: _Organisation, role: Role, certificate: x509.Certificate, *,
         now: dt.datetime, external: bool = False,
         sealed: tuple[keystore.SealedKey, str] | None = None) -> StoredCertificate:
    der = certificate.public_bytes(serialization.Encoding.DER)
    key, fragment = sealed if sealed is not None else (None, None)
    return certificate_store.new(
        organisation_id=organisation.id, role=role.value, certificate=der,
        subject_key_id=_key_id(certificate), authority_key_id=authority_key_id(certificate),
        fingerprint=hashlib.sha256(der).hexdigest(),
        not_before=certificate.not_valid_before_utc, not_after=certificate.not_valid_after_utc,
        external=external, key_fragment=fragment,
        public_multibase=key.public_multibase if key else None,
        master_key_id=key.master_key_id if key else None,
        encrypted_secret=key.ciphertext if key else None, nonce=key.nonce if key else None,
        created_at=now)


def _self_signed_root(organisation: _Organisation, key: ec.EllipticCurvePrivateKey, *,
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


def _signing_certificate(organisation: _Organisation, public: ec.EllipticCurvePublicKey, *,
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
