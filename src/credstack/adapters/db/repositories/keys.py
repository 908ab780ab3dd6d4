"""Issuer keys in the store: creation, rotation, the active signing key, the public keys.

Rules kept here (and, for the first, also by a partial unique index):

* an organisation has at most one active key per key type; the active key signs new
  credentials;
* a rotation retires the active key and creates the next one in the same transaction;
  retired keys are never deleted and stay in the organisation's DID document, so that what
  they signed keeps verifying;
* each key has a stable fragment (``key-1``, ``key-2``… in order of creation across types),
  which names its verification method ``did:web:…:organisations:<slug>#key-1``;
* secrets are sealed and opened only by :mod:`credstack.adapters.keystore`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters import keystore
from credstack.adapters.db.driver import Reading
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.tables import IssuerKeyRow, OrganisationRow
from credstack.adapters.db.tables.console import OrganisationSuspensionRow
from credstack.adapters.db.times import utc
from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multikey import decode_public_key
from credstack.core.dids import did_key, did_web, jwt_vc_issuer
from credstack.errors import ConflictError, KeyStoreError, NotFoundError

__all__ = [
    "IssuerStamp",
    "OpenedKeys",
    "PublicKeyInfo",
    "active_key_pair",
    "active_key_pairs",
    "create_key",
    "did_document",
    "issuer_stamp",
    "issuer_stamp_reading",
    "no_active_key",
    "organisation_did",
    "organisations_with_active_key",
    "public_keys",
    "rotate_key",
]


@dataclass(frozen=True, slots=True)
class PublicKeyInfo:
    """What anyone may know about an issuer key: never its secret."""

    fragment: str
    key_type: KeyType
    public_key: PublicKey
    public_multibase: str
    created_at: dt.datetime
    retired_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.retired_at is None

    @property
    def did_key(self) -> str:
        """The key's own ``did:key`` identifier."""
        return did_key.did_from_public_key(self.public_key)

    @property
    def did_key_method(self) -> str:
        """The key's ``did:key`` verification method (``did:key:z…#z…``)."""
        return did_key.verification_method_id(self.public_key)


def organisation_did(public_url: str, slug: str) -> str:
    """The organisation's ``did:web``, served at ``<public_url>/organisations/<slug>/did.json``."""
    return did_web.did_for(public_url, ["organisations", slug])


def _info(row: IssuerKeyRow) -> PublicKeyInfo:
    return PublicKeyInfo(row.fragment, KeyType(row.key_type),
                         decode_public_key(row.public_multibase), row.public_multibase,
                         utc(row.created_at),
                         utc(row.retired_at) if row.retired_at is not None else None)


def _active_row(session: Session, organisation: OrganisationRow, key_type: KeyType, *,
                lock: bool = False) -> IssuerKeyRow | None:
    query = select(IssuerKeyRow).where(IssuerKeyRow.organisation_id == organisation.id,
                                       IssuerKeyRow.key_type == key_type.value,
                                       IssuerKeyRow.retired_at.is_(None))
    return session.scalar(query.with_for_update() if lock else query)


def _insert(session: Session, organisation: OrganisationRow, key_type: KeyType,
            now: dt.datetime, secret: keystore.MasterKey) -> PublicKeyInfo:
    # Every key in a store is sealed with the same master key: a new key sealed with another
    # one (a mistyped or replaced CREDSTACK_SECRET_KEY) would leave the old ones unopenable.
    foreign = select(IssuerKeyRow.id).where(IssuerKeyRow.master_key_id != secret.id).limit(1)
    if session.scalar(foreign) is not None:
        raise KeyStoreError(keystore.WRONG_KEY)
    count = session.scalar(select(func.count()).where(
        IssuerKeyRow.organisation_id == organisation.id)) or 0
    fragment = f"key-{count + 1}"
    sealed = keystore.seal_new_key(secret, key_type=key_type, organisation=organisation.slug,
                                   fragment=fragment)
    row = IssuerKeyRow(organisation_id=organisation.id, key_type=key_type.value,
                       fragment=fragment, public_multibase=sealed.public_multibase,
                       master_key_id=sealed.master_key_id, encrypted_secret=sealed.ciphertext,
                       nonce=sealed.nonce, created_at=now, retired_at=None)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        # Another transaction created or rotated a key of this organisation at the same time.
        raise ConflictError(
            f"The keys of {organisation.slug!r} were changed at the same time; try again."
        ) from None
    return _info(row)


def create_key(session: Session, *, organisation: str, key_type: KeyType, now: dt.datetime,
               secret: keystore.MasterKey) -> PublicKeyInfo:
    """Give ``organisation`` its first active key of ``key_type``; refused if it has one."""
    row = existing_row(session, organisation)
    key_type = KeyType(key_type)
    active = _active_row(session, row, key_type)
    if active is not None:
        raise ConflictError(
            f"{organisation!r} already has an active {key_type} key ({active.fragment}); "
            "rotate it to replace it.")
    return _insert(session, row, key_type, now, secret)


def rotate_key(session: Session, *, organisation: str, key_type: KeyType, now: dt.datetime,
               secret: keystore.MasterKey) -> PublicKeyInfo:
    """Retire the active key of ``key_type`` and create its successor, which signs from now."""
    row = existing_row(session, organisation)
    key_type = KeyType(key_type)
    active = _active_row(session, row, key_type, lock=True)
    if active is None:
        raise NotFoundError(
            f"{organisation!r} has no active {key_type} key to rotate; create one first.")
    # Opening the old key first proves the master key before anything changes: a wrong one
    # leaves the old key active instead of sealing its successor with a key nobody has.
    _unseal(secret, row, active)
    active.retired_at = now
    session.flush()
    return _insert(session, row, key_type, now, secret)


def no_active_key(organisation: str, key_type: KeyType) -> NotFoundError:
    """The error for an organisation without an active key of ``key_type``."""
    return NotFoundError(
        f"{organisation!r} has no active {key_type} key; create one with "
        f"`credstack issuer keys create --organisation {organisation} --type {key_type}`.")


def active_key_pair(session: Session, *, organisation: str, key_type: KeyType,
                    secret: keystore.MasterKey, public_url: str | None = None
                    ) -> tuple[str, KeyPair]:
    """The verification method id and key pair that sign ``organisation``'s new credentials.

    With ``public_url`` the method is the organisation's did:web one (``did:web:…#key-2``);
    without it, the key's own did:key method (``did:key:z…#z…``).
    """
    row = existing_row(session, organisation)
    key_type = KeyType(key_type)
    active = _active_row(session, row, key_type)
    if active is None:
        raise no_active_key(organisation, key_type)
    key_pair = _unseal(secret, row, active)
    if public_url is None:
        return did_key.verification_method_id(key_pair.public_key), key_pair
    return f"{organisation_did(public_url, organisation)}#{active.fragment}", key_pair


#: Key pairs opened before, by what opened them (the master key's id, the key row's id and
#: its nonce): a key row is never changed, only retired, so the same three open the same
#: pair. A caller that signs often (the VC-API's issue batches) keeps one of these, in
#: memory only, to open each key once.
OpenedKeys = MutableMapping[tuple[str, int, bytes], KeyPair]


def active_key_pairs(session: Session, *, organisation: OrganisationRow,
                     secret: keystore.MasterKey, public_url: str,
                     opened: OpenedKeys | None = None) -> dict[KeyType, tuple[str, KeyPair]]:
    """Each key type's active key of ``organisation``: its did:web verification method id
    and key pair (as :func:`active_key_pair` gives them one type at a time), read in one
    statement; ``opened`` keeps the pairs opened (see :data:`OpenedKeys`)."""
    query = select(IssuerKeyRow).where(IssuerKeyRow.organisation_id == organisation.id,
                                       IssuerKeyRow.retired_at.is_(None))
    did = organisation_did(public_url, organisation.slug)
    found: dict[KeyType, tuple[str, KeyPair]] = {}
    for row in session.scalars(query):
        memo = (secret.id, row.id, bytes(row.nonce))
        pair = opened.get(memo) if opened is not None else None
        if pair is None:
            pair = _unseal(secret, organisation, row)
            if opened is not None:
                opened[memo] = pair
        found[KeyType(row.key_type)] = (f"{did}#{row.fragment}", pair)
    return found


@dataclass(frozen=True, slots=True)
class IssuerStamp:
    """What an organisation's signer is made of, and whether it may issue: it differs
    whenever the signer would (a key created, rotated or retired; the name or URL changed)
    or the organisation was suspended or reinstated."""

    organisation_id: int
    name: dict[str, str]
    url: str | None
    active_keys: frozenset[int]
    suspended: bool


def issuer_stamp(session: Session, *, organisation: str) -> IssuerStamp | None:
    """``organisation``'s :class:`IssuerStamp`, read in one light statement (no key's sealed
    secret, no profile beyond the name and URL); None: no such organisation."""
    return _stamp(session.execute(_stamp_query(), {"slug": organisation}).all())


def issuer_stamp_reading(*, organisation: str) -> Reading[IssuerStamp | None]:
    """:func:`issuer_stamp` as a read to send with another
    (:func:`~credstack.adapters.db.driver.read_together`)."""
    return Reading(_stamp_query(), {"slug": organisation}, _stamp)


def _stamp(rows: Sequence[Sequence[Any]]) -> IssuerStamp | None:
    if not rows:
        return None
    organisation_id, name, url = rows[0][:3]
    return IssuerStamp(organisation_id, name, url,
                       frozenset(row[3] for row in rows if row[3] is not None),
                       any(row[4] is not None for row in rows))


@cache
def _stamp_query() -> Any:
    """:func:`issuer_stamp`'s statement, built once on the tables (not the mapped classes):
    each issue batch runs it, and building and keying it each time cost more than the
    database's answer."""
    organisations, keys = OrganisationRow.__table__.c, IssuerKeyRow.__table__.c
    suspensions = OrganisationSuspensionRow.__table__.c
    return (select(organisations.id, organisations.name, organisations.url, keys.id,
                   suspensions.id)
            .select_from(OrganisationRow.__table__)
            .outerjoin(IssuerKeyRow.__table__, and_(keys.organisation_id == organisations.id,
                                                    keys.retired_at.is_(None)))
            .outerjoin(OrganisationSuspensionRow.__table__,
                       suspensions.organisation_id == organisations.id)
            .where(organisations.slug == bindparam("slug")))


def organisations_with_active_key(session: Session, *, key_type: KeyType, limit: int
                                  ) -> list[str]:
    """The slugs of up to ``limit`` organisations with an active key of ``key_type``, in
    order."""
    query = (select(OrganisationRow.slug).join(IssuerKeyRow)
             .where(IssuerKeyRow.retired_at.is_(None), IssuerKeyRow.key_type == key_type.value)
             .order_by(OrganisationRow.slug).limit(limit))
    return list(session.scalars(query))


def public_keys(session: Session, *, organisation: str) -> list[PublicKeyInfo]:
    """Every key of ``organisation``, active and retired, oldest first."""
    row = existing_row(session, organisation)
    query = (select(IssuerKeyRow).where(IssuerKeyRow.organisation_id == row.id)
             .order_by(IssuerKeyRow.id))
    return [_info(key) for key in session.scalars(query)]


def key_stamp(session: Session, *, organisation: str) -> tuple[int, int, int]:
    """Moves whenever ``organisation`` gains or retires a key: (keys, newest id, retired)."""
    row = session.execute(
        select(func.count(IssuerKeyRow.id), func.max(IssuerKeyRow.id),
               func.count(IssuerKeyRow.retired_at))
        .join(OrganisationRow, OrganisationRow.id == IssuerKeyRow.organisation_id)
        .where(OrganisationRow.slug == organisation)).one()
    return int(row[0]), int(row[1] or 0), int(row[2])


def did_document(session: Session, *, organisation: str, public_url: str) -> dict[str, Any]:
    """The organisation's did:web document: every key, retired ones as assertion methods."""
    keys = public_keys(session, organisation=organisation)
    if not keys:
        raise NotFoundError(
            f"{organisation!r} has no issuer keys yet, so no DID document; create one with "
            f"`credstack issuer keys create --organisation {organisation}`.")
    return did_web.document(
        organisation_did(public_url, organisation),
        [did_web.VerificationKey(key.fragment, key.public_key, key.active) for key in keys])


def jwt_vc_issuer_metadata(session: Session, *, organisation: str, public_url: str
                           ) -> dict[str, Any]:
    """The organisation's JWT VC Issuer Metadata: the HTTPS issuer
    ``<public_url>/organisations/<slug>`` and every key, by fragment."""
    keys = public_keys(session, organisation=organisation)
    if not keys:
        raise NotFoundError(
            f"{organisation!r} has no issuer keys yet, so no JWT VC Issuer Metadata; create one "
            f"with `credstack issuer keys create --organisation {organisation}`.")
    return jwt_vc_issuer.metadata(
        organisation_url(public_url, organisation),
        [did_web.VerificationKey(key.fragment, key.public_key, key.active) for key in keys])


def organisation_url(public_url: str, slug: str) -> str:
    """The organisation as an HTTPS issuer (a JWT's ``iss``), whose JWT VC Issuer Metadata is
    served at ``<public_url>/.well-known/jwt-vc-issuer/organisations/<slug>``."""
    return f"{public_url.rstrip('/')}/organisations/{slug}"


def _unseal(secret: keystore.MasterKey, organisation: OrganisationRow, row: IssuerKeyRow
            ) -> KeyPair:
    return keystore.unseal(secret, organisation=organisation.slug, fragment=row.fragment,
                           key_type=KeyType(row.key_type),
                           public_multibase=row.public_multibase,
                           master_key_id=row.master_key_id, nonce=row.nonce,
                           ciphertext=row.encrypted_secret)
