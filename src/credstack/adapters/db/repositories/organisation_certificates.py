"""The X.509 certificates of organisations' authorities and document-signing keys (table
``organisation_certificates`` in :mod:`credstack.adapters.db.tables`): stored, found by role,
key id, fingerprint or issuing authority, locked to retire or revoke.

Roles are the strings of :class:`credstack.services.certificates.authority.certificates.Role`
(``authority``, ``signing``). A unique index's refusal comes back from :func:`add` as False,
never as the database's error."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import (
    IssuerKeyRow,
    OrganisationCertificateRow,
    OrganisationRow,
)
from credstack.errors import ConflictError

__all__ = [
    "StoredCertificate",
    "active",
    "add",
    "authority",
    "by_authority_key_id",
    "count",
    "latest_signing",
    "lock",
    "new",
    "revoked_signing",
    "sealed_with_another_key",
    "signing_by_fingerprint",
    "signing_certificates",
]

_AUTHORITY = "authority"
_SIGNING = "signing"


class StoredCertificate(Protocol):
    """An organisation's certificate as the certificate services read and change it (what
    they set — retired, revoked, the latest CRL — is written when their transaction
    commits)."""

    id: int
    organisation_id: int
    role: str
    certificate: bytes
    subject_key_id: str
    authority_key_id: str | None
    fingerprint: str
    not_before: dt.datetime
    not_after: dt.datetime
    external: bool
    key_fragment: str | None
    public_multibase: str | None
    master_key_id: str | None
    encrypted_secret: bytes | None
    nonce: bytes | None
    created_at: dt.datetime
    retired_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revocation_reason: str | None
    crl: bytes | None
    crl_number: int | None


def new(*, organisation_id: int, role: str, certificate: bytes, subject_key_id: str,
        authority_key_id: str | None, fingerprint: str, not_before: dt.datetime,
        not_after: dt.datetime, external: bool, key_fragment: str | None,
        public_multibase: str | None, master_key_id: str | None,
        encrypted_secret: bytes | None, nonce: bytes | None, created_at: dt.datetime
        ) -> StoredCertificate:
    """A certificate of the organisation, active, not yet stored (:func:`add` stores it)."""
    return OrganisationCertificateRow(
        organisation_id=organisation_id, role=role, certificate=certificate,
        subject_key_id=subject_key_id, authority_key_id=authority_key_id,
        fingerprint=fingerprint, not_before=not_before, not_after=not_after, external=external,
        key_fragment=key_fragment, public_multibase=public_multibase,
        master_key_id=master_key_id, encrypted_secret=encrypted_secret, nonce=nonce,
        created_at=created_at, retired_at=None)


def sealed_with_another_key(session: Session, master_key_id: str) -> bool:
    """Whether any key of the store (an issuer key, a certificate's) is sealed with a master
    key other than ``master_key_id``."""
    for column in (IssuerKeyRow.master_key_id, OrganisationCertificateRow.master_key_id):
        foreign = select(column).where(column.is_not(None), column != master_key_id).limit(1)
        if session.scalar(foreign) is not None:
            return True
    return False


def count(session: Session, organisation_id: int) -> int:
    """How many certificates the organisation has had."""
    return session.scalar(select(func.count()).where(
        OrganisationCertificateRow.organisation_id == organisation_id)) or 0


def active(session: Session, organisation_id: int, role: str, *, lock: bool = False
           ) -> OrganisationCertificateRow | None:
    """The organisation's active certificate of ``role`` (locked for update when ``lock``)."""
    query = select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == organisation_id,
        OrganisationCertificateRow.role == role,
        OrganisationCertificateRow.retired_at.is_(None))
    return session.scalar(query.with_for_update() if lock else query)


def add(session: Session, *rows: StoredCertificate) -> None:
    """Store ``rows`` (flushed); :class:`~credstack.errors.ConflictError` when a unique index
    refused them (another transaction changed the organisation's certificates at the same
    time, or a certificate is stored already; the transaction is then abandoned)."""
    session.add_all(rows)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError("The organisation's certificates were changed at the same time, "
                            "or this certificate is already in the store; try again.") from None


def lock(session: Session, row: StoredCertificate) -> None:
    """Read ``row`` again, locked for update until the transaction ends."""
    session.refresh(row, with_for_update=True)


def latest_signing(session: Session, organisation_id: int, authority_key_id: str
                   ) -> OrganisationCertificateRow | None:
    """The newest signing certificate the organisation's authority ``authority_key_id``
    issued."""
    return session.scalar(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == organisation_id,
        OrganisationCertificateRow.role == _SIGNING,
        OrganisationCertificateRow.authority_key_id == authority_key_id)
        .order_by(OrganisationCertificateRow.id.desc()).limit(1))


def revoked_signing(session: Session, organisation_id: int, authority_key_id: str
                    ) -> list[OrganisationCertificateRow]:
    """The signing certificates the authority ``authority_key_id`` issued that were revoked,
    oldest first."""
    return list(session.scalars(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == organisation_id,
        OrganisationCertificateRow.role == _SIGNING,
        OrganisationCertificateRow.authority_key_id == authority_key_id,
        OrganisationCertificateRow.revoked_at.is_not(None))
        .order_by(OrganisationCertificateRow.id)))


def authority(session: Session, organisation_id: int, key_id: str
              ) -> OrganisationCertificateRow | None:
    """The organisation's authority (active or retired) with the key id ``key_id``."""
    return session.scalar(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == organisation_id,
        OrganisationCertificateRow.role == _AUTHORITY,
        OrganisationCertificateRow.subject_key_id == key_id))


def signing_certificates(session: Session, organisation_id: int
                         ) -> list[OrganisationCertificateRow]:
    """The organisation's signing certificates, newest first, locked for update."""
    return list(session.scalars(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.organisation_id == organisation_id,
        OrganisationCertificateRow.role == _SIGNING)
        .order_by(OrganisationCertificateRow.id.desc()).with_for_update()))


def signing_by_fingerprint(session: Session, fingerprint: str
                           ) -> OrganisationCertificateRow | None:
    """The signing certificate whose SHA-256 is ``fingerprint`` (hex)."""
    return session.scalar(select(OrganisationCertificateRow).where(
        OrganisationCertificateRow.fingerprint == fingerprint,
        OrganisationCertificateRow.role == _SIGNING))


def by_authority_key_id(session: Session, key_id: str
                        ) -> tuple[OrganisationCertificateRow, str] | None:
    """The newest authority (of any organisation, active or retired) with the key id
    ``key_id``, and its organisation's slug."""
    found = session.execute(
        select(OrganisationCertificateRow, OrganisationRow.slug)
        .join(OrganisationRow, OrganisationRow.id == OrganisationCertificateRow.organisation_id)
        .where(OrganisationCertificateRow.subject_key_id == key_id,
               OrganisationCertificateRow.role == _AUTHORITY)
        .order_by(OrganisationCertificateRow.id.desc())).first()
    return None if found is None else (found[0], found[1])
