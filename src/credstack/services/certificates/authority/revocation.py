"""Revocation: CRLs issued and refreshed, signing certificates revoked, and the authorities and
revocations a PDF verifier asks about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from credstack.adapters import keystore
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import organisation_certificates as certificate_store
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.times import utc
from credstack.adapters.db.transactions import Session
from credstack.errors import ConflictError, InputError, NotFoundError, Problem
from credstack.services.certificates.authority.certificates import (
    FoundAuthority,
    Revocation,
    RevocationReason,
)
from credstack.services.certificates.authority.stored import (
    _certificate,
    _current_crl,
    _issue_crl,
    crl_url,
)


def current_crl(session: Session, *, organisation: str, key_id: str,
                secret: keystore.MasterKey, now: dt.datetime) -> bytes:
    """The current CRL (DER) of ``organisation``'s authority with key id ``key_id`` (hex),
    re-signed first when it is older than :data:`CRL_REFRESH`. Retired authorities keep
    publishing theirs; an external authority has none here (:class:`NotFoundError`)."""
    row = existing_row(session, organisation)
    authority = certificate_store.authority(session, row.id, key_id.lower())
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
    row = existing_row(session, organisation)
    candidates = certificate_store.signing_certificates(session, row.id)
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
                            f"on {utc(found.revoked_at).isoformat()}.")
    moment = now if revoked_at is None else utc(revoked_at)
    if not certificate.not_valid_before_utc <= moment <= now:
        raise InputError("unsupported revocation time", problems=[Problem(
            "revoked_at", f"give a time between {certificate.not_valid_before_utc.isoformat()} "
                          f"(when the certificate became valid) and now")])
    found.revoked_at, found.revocation_reason = moment, reason.value
    found.retired_at = found.retired_at or now
    session.flush()
    authority = (certificate_store.authority(session, row.id, found.authority_key_id)
                 if found.authority_key_id is not None else None)
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
    row = certificate_store.signing_by_fingerprint(session, fingerprint.lower())
    if row is None:
        return None
    if row.revoked_at is None:
        return CertificateStatus(None, None)
    return CertificateStatus(utc(row.revoked_at),
                             RevocationReason(row.revocation_reason or "unspecified"))


def find_authority(session: Session, *, key_id: str) -> FoundAuthority | None:
    """The authority (active or retired) whose ``subjectKeyIdentifier`` is ``key_id`` (hex)."""
    found = certificate_store.by_authority_key_id(session, key_id.lower())
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
