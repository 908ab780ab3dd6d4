"""An organisation's authority in the store: made, described, and opened for signing."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from credstack.adapters import keystore
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import organisation_certificates as certificate_store
from credstack.adapters.db.repositories.organisation_certificates import StoredCertificate
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.times import utc
from credstack.adapters.db.transactions import Session
from credstack.core.crypto.keys import KeyPair
from credstack.errors import ConflictError, InputError, KeyStoreError, NotFoundError, Problem
from credstack.services.certificates.authority.certificates import (
    CRL_REFRESH,
    CRL_VALIDITY,
    DEFAULT_YEARS,
    AuthorityInfo,
    ExternalAuthority,
    RevocationReason,
    Role,
    SigningIdentity,
    _check_master_key,
    _ec_private,
    _new_key,
    _Organisation,
    _row,
    _self_signed_root,
    _signing_certificate,
    _unseal,
)


def _active(session: Session, organisation: _Organisation, role: Role, *, lock: bool = False
            ) -> StoredCertificate | None:
    return certificate_store.active(session, organisation.id, role.value, lock=lock)


def _certificate(row: StoredCertificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(row.certificate)


def _info(organisation: str, authority: StoredCertificate,
          signing: StoredCertificate, public_url: str) -> AuthorityInfo:
    return AuthorityInfo(organisation, _certificate(authority), _certificate(signing),
                         authority.external, _crl_url_of(public_url, organisation, authority))


def crl_url(public_url: str, organisation: str, key_id: str) -> str:
    """Where the CRL of ``organisation``'s authority with key id ``key_id`` is published.

    One URL per authority, not per organisation: a CRL is signed by the authority that issued
    the certificates it lists, and certificates issued before ``--replace`` still name theirs.
    """
    return f"{public_url.rstrip('/')}/organisations/{organisation}/ca/{key_id}.crl"


def _crl_url_of(public_url: str, organisation: str, authority: StoredCertificate
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
    row = existing_row(session, organisation)
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
    conflict = ConflictError(
        f"The certificates of {organisation!r} were changed at the same time, or this CA "
        "certificate is already in the store; try again.")
    try:
        # Stored first: the signing key's fragment counts it.
        certificate_store.add(session, authority_row)
        signing_row = _signing_row(session, row, secret, authority=authority,
                                   authority_key=authority_key, now=now, years=years, did=did,
                                   crl_url=_crl_url_of(public_url, organisation, authority_row))
        certificate_store.add(session, signing_row)
    except ConflictError:
        raise conflict from None
    return _info(organisation, authority_row, signing_row, public_url)


def _signing_row(session: Session, organisation: _Organisation,
                 secret: keystore.MasterKey, *, authority: x509.Certificate,
                 authority_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
                 now: dt.datetime, years: int, did: str, crl_url: str | None
                 ) -> StoredCertificate:
    """A new signing certificate of the organisation, issued by ``authority`` (not stored)."""
    sealed, fragment, pair = _new_key(session, organisation, Role.SIGNING, secret)
    certificate = _signing_certificate(organisation, _ec_private(pair).public_key(),
                                       authority=authority, authority_key=authority_key,
                                       now=now, years=years, did=did, crl_url=crl_url)
    return _row(organisation, Role.SIGNING, certificate, now=now, sealed=(sealed, fragment))


def authority_info(session: Session, *, organisation: str, public_url: str) -> AuthorityInfo:
    """The organisation's active authority and signing certificate.

    A signing certificate that was revoked has no successor until the next PDF is signed:
    then the revoked one is shown (its ``not_after`` is what it was).
    """
    row = existing_row(session, organisation)
    authority = _active(session, row, Role.AUTHORITY)
    if authority is None:
        raise NotFoundError(
            f"{organisation!r} has no certificate authority yet; create one with "
            f"`credstack certificate ca create --organisation {organisation}`.")
    signing = _active(session, row, Role.SIGNING) or certificate_store.latest_signing(
        session, row.id, authority.subject_key_id)
    if signing is None:
        raise NotFoundError(f"{organisation!r} has no document-signing certificate.")
    return _info(organisation, authority, signing, public_url)


def _open(secret: keystore.MasterKey, organisation: str, row: StoredCertificate
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
    row = existing_row(session, organisation)
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
    if signing is None or utc(signing.not_after) <= now:
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
        signing = _signing_row(
            session, row, secret, authority=_certificate(authority), authority_key=authority_key,
            now=now, years=DEFAULT_YEARS,
            did=key_store.organisation_did(public_url, organisation),
            crl_url=_crl_url_of(public_url, organisation, authority))
        certificate_store.add(session, signing)
    pair = _open(secret, organisation, signing)
    crls = () if authority.external else (
        _current_crl(session, authority, organisation, secret=secret, now=now),)
    return SigningIdentity(organisation, _certificate(signing), (_certificate(authority),),
                           _ec_private(pair), crls)


def _issue_crl(session: Session, authority: StoredCertificate, organisation: str, *,
               secret: keystore.MasterKey, now: dt.datetime) -> bytes:
    """Sign the authority's next CRL: every signing certificate it issued that was revoked."""
    revoked = certificate_store.revoked_signing(session, authority.organisation_id,
                                                authority.subject_key_id)
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
                 .revocation_date(utc(row.revoked_at)))
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


def _current_crl(session: Session, authority: StoredCertificate, organisation: str,
                 *, secret: keystore.MasterKey, now: dt.datetime) -> bytes:
    if authority.crl is not None:
        this_update = x509.load_der_x509_crl(authority.crl).last_update_utc
        if this_update <= now < this_update + CRL_REFRESH:
            return authority.crl
    # Re-read under a lock: two requests refreshing at once sign one list, not two with the
    # same number.
    certificate_store.lock(session, authority)
    if authority.crl is not None:
        this_update = x509.load_der_x509_crl(authority.crl).last_update_utc
        if this_update <= now < this_update + CRL_REFRESH:
            return authority.crl
    return _issue_crl(session, authority, organisation, secret=secret, now=now)
