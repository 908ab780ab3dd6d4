"""The federation in the store: its entity keys, and the providers it counts as recognised.

Rules kept here (and, for the first, also by a partial unique index):

* an entity (``anchor``, or ``organisation:<slug>`` for a provider's entity) has at most one
  active federation key; it signs that entity's statements;
* a rotation retires the active key and creates the next in the same transaction; the
  retired key stays published until ``published_until`` (what it signed is valid until
  then) and is never deleted;
* secrets are sealed and opened only by :mod:`credstack.adapters.keystore`, bound to the
  entity and the key's public half.

A provider is *recognised* at a moment when one of its programmes holds a recognition
decision then: not withdrawn, begun, not yet ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from credstack.adapters import keystore
from credstack.adapters.db.tables import (
    IssuerKeyRow,
    OrganisationRow,
    ProgrammeRow,
    ProgrammeVersionRow,
)
from credstack.adapters.db.tables.federation import FederationKeyRow
from credstack.adapters.db.tables.recognitions import RecognitionRow
from credstack.adapters.db.times import utc
from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multikey import decode_public_key
from credstack.core.federation.statements import key_id
from credstack.errors import ConflictError, KeyStoreError

__all__ = [
    "ANCHOR",
    "FederationKey",
    "StoredProvider",
    "StoredRecognition",
    "active_key",
    "issuer_key_multibases",
    "key_stamp",
    "next_boundary",
    "organisation_entity",
    "programme_recognitions",
    "provider_recognitions",
    "providers",
    "published_keys",
    "recognised_slugs",
    "recognition_count",
    "rotate_key",
    "slug_of_key",
]

#: The trust anchor's entity name in the key table.
ANCHOR = "anchor"


def organisation_entity(slug: str) -> str:
    """The key table's name for provider ``slug``'s entity."""
    return f"organisation:{slug}"


@dataclass(frozen=True, slots=True)
class FederationKey:
    """A federation key's public half and its life."""

    kid: str
    public_key: PublicKey
    created_at: dt.datetime
    retired_at: dt.datetime | None
    published_until: dt.datetime | None


def _info(row: FederationKeyRow) -> FederationKey:
    return FederationKey(
        row.kid,
        decode_public_key(row.public_multibase),
        utc(row.created_at),
        utc(row.retired_at) if row.retired_at else None,
        utc(row.published_until) if row.published_until else None,
    )


def _active_row(session: Session, entity: str, *, lock: bool = False) -> FederationKeyRow | None:
    query = select(FederationKeyRow).where(
        FederationKeyRow.entity == entity, FederationKeyRow.retired_at.is_(None)
    )
    return session.scalar(query.with_for_update() if lock else query)


def _unseal(secret: keystore.MasterKey, row: FederationKeyRow) -> KeyPair:
    return keystore.unseal(
        secret,
        organisation=f"federation:{row.entity}",
        fragment="federation",
        key_type=KeyType(row.key_type),
        public_multibase=row.public_multibase,
        master_key_id=row.master_key_id,
        nonce=row.nonce,
        ciphertext=row.encrypted_secret,
    )


def _insert(
    session: Session, entity: str, key_type: KeyType, now: dt.datetime, secret: keystore.MasterKey
) -> FederationKeyRow:
    foreign = select(FederationKeyRow.id).where(FederationKeyRow.master_key_id != secret.id)
    if session.scalar(foreign.limit(1)) is not None:
        raise KeyStoreError(keystore.WRONG_KEY)
    sealed = keystore.seal_new_key(
        secret, key_type=key_type, organisation=f"federation:{entity}", fragment="federation"
    )
    row = FederationKeyRow(
        entity=entity,
        key_type=key_type.value,
        kid=key_id(sealed.public_key),
        public_multibase=sealed.public_multibase,
        master_key_id=sealed.master_key_id,
        encrypted_secret=sealed.ciphertext,
        nonce=sealed.nonce,
        created_at=now,
        retired_at=None,
        published_until=None,
    )
    session.add(row)
    return row


def active_key(
    session: Session,
    *,
    entity: str,
    secret: keystore.MasterKey,
    now: dt.datetime,
    key_type: KeyType = KeyType.P256,
) -> tuple[KeyPair, bool]:
    """The key that signs ``entity``'s statements, created on first use, and whether this
    call created it.

    Two requests creating the first key at once: one wins, the other reads its key.
    """
    row = _active_row(session, entity)
    created = row is None
    if row is None:
        try:
            with session.begin_nested():
                row = _insert(session, entity, key_type, now, secret)
        except IntegrityError:
            row = _active_row(session, entity)
            if row is None:
                raise ConflictError(
                    f"The federation key of {entity} changed at the same time; try again."
                ) from None
            created = False
    return _unseal(secret, row), created


def rotate_key(
    session: Session,
    *,
    entity: str,
    secret: keystore.MasterKey,
    now: dt.datetime,
    overlap: dt.timedelta,
    key_type: KeyType = KeyType.P256,
) -> tuple[FederationKey | None, FederationKey]:
    """Retire ``entity``'s active key (published ``overlap`` longer) and create the next:
    (the retired key or None, the new one)."""
    current = _active_row(session, entity, lock=True)
    if current is not None:
        # Opening the old key first proves the master key before anything changes.
        _unseal(secret, current)
        current.retired_at = now
        current.published_until = now + overlap
        session.flush()
    row = _insert(session, entity, key_type, now, secret)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(
            f"The federation key of {entity} was rotated at the same time; try again."
        ) from None
    return (_info(current) if current is not None else None), _info(row)


def published_keys(session: Session, *, entity: str, now: dt.datetime) -> list[FederationKey]:
    """The keys ``entity`` publishes now: the active one and those retired recently."""
    query = (
        select(FederationKeyRow)
        .where(
            FederationKeyRow.entity == entity,
            or_(FederationKeyRow.retired_at.is_(None), FederationKeyRow.published_until > now),
        )
        .order_by(FederationKeyRow.id.desc())
    )
    return [_info(row) for row in session.scalars(query)]


def retired_keys(session: Session, *, entity: str) -> list[FederationKey]:
    """The keys ``entity`` no longer signs with, newest first (its historical keys)."""
    query = (
        select(FederationKeyRow)
        .where(FederationKeyRow.entity == entity, FederationKeyRow.retired_at.is_not(None))
        .order_by(FederationKeyRow.id.desc())
    )
    return [_info(row) for row in session.scalars(query)]


def _current(now: dt.datetime) -> Any:
    return and_(
        RecognitionRow.withdrawn_at.is_(None),
        RecognitionRow.valid_from <= now,
        or_(RecognitionRow.valid_until.is_(None), RecognitionRow.valid_until > now),
    )


def recognised_slugs(session: Session, *, now: dt.datetime) -> list[str]:
    """The slugs of every provider recognised at ``now``, in order."""
    query = (
        select(OrganisationRow.slug)
        .distinct()
        .join(ProgrammeRow, ProgrammeRow.organisation_id == OrganisationRow.id)
        .join(RecognitionRow, RecognitionRow.programme_id == ProgrammeRow.id)
        .where(_current(now))
        .order_by(OrganisationRow.slug)
    )
    return list(session.scalars(query))


@dataclass(frozen=True, slots=True)
class StoredRecognition:
    """A recognition of one of a provider's programmes, with what the federation states."""

    provider: str
    programme_id: int
    version: int
    title: dict[str, str]
    number: str
    outcome: str
    recognition_body: str
    recognition_body_name: dict[str, str]
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    withdrawn_at: dt.datetime | None


def provider_recognitions(
    session: Session, *, slugs: Sequence[str] | None = None, now: dt.datetime | None = None
) -> list[StoredRecognition]:
    """The recognitions of the programmes of ``slugs`` (every provider's when None), only
    those current at ``now`` when it is given; by provider, then newest first."""
    body = aliased(OrganisationRow)
    query = (
        select(
            OrganisationRow.slug,
            RecognitionRow,
            ProgrammeVersionRow.descriptors,
            body.slug,
            body.name,
        )
        .join(ProgrammeRow, ProgrammeRow.organisation_id == OrganisationRow.id)
        .join(RecognitionRow, RecognitionRow.programme_id == ProgrammeRow.id)
        .join(
            ProgrammeVersionRow,
            and_(
                ProgrammeVersionRow.programme_id == RecognitionRow.programme_id,
                ProgrammeVersionRow.version == RecognitionRow.version,
            ),
        )
        .join(body, body.id == RecognitionRow.organisation_id)
        .order_by(OrganisationRow.slug, RecognitionRow.valid_from.desc(), RecognitionRow.id.desc())
    )
    if slugs is not None:
        query = query.where(OrganisationRow.slug.in_(list(slugs)))
    if now is not None:
        query = query.where(_current(now))
    found = []
    for slug, row, descriptors, body_slug, body_name in session.execute(query):
        title = (descriptors or {}).get("title") or {}
        found.append(
            StoredRecognition(
                provider=slug,
                programme_id=row.programme_id,
                version=row.version,
                title=dict(title) if isinstance(title, dict) else {"en": str(title)},
                number=row.number,
                outcome=row.outcome,
                recognition_body=body_slug,
                recognition_body_name=dict(body_name or {}),
                valid_from=utc(row.valid_from),
                valid_until=utc(row.valid_until) if row.valid_until else None,
                withdrawn_at=utc(row.withdrawn_at) if row.withdrawn_at else None,
            )
        )
    return found


def issuer_key_multibases(session: Session, *, slugs: Sequence[str] | None) -> dict[str, list[str]]:
    """The public keys (multibase) of every issuer key of ``slugs`` (of every organisation
    when None), oldest first."""
    query = (
        select(OrganisationRow.slug, IssuerKeyRow.public_multibase)
        .join(IssuerKeyRow, IssuerKeyRow.organisation_id == OrganisationRow.id)
        .order_by(IssuerKeyRow.id)
    )
    if slugs is not None:
        query = query.where(OrganisationRow.slug.in_(list(slugs)))
    found: dict[str, list[str]] = {}
    for slug, multibase in session.execute(query):
        found.setdefault(slug, []).append(multibase)
    return found


@dataclass(frozen=True, slots=True)
class StoredProvider:
    """What the federation states of a provider organisation."""

    slug: str
    name: dict[str, str]
    country: str
    url: str | None
    email: str | None
    corporate_number: str | None = None


def slug_of_key(session: Session, *, multibase: str) -> str | None:
    """The organisation whose issuer key has the public key ``multibase``, if any."""
    return session.scalar(
        select(OrganisationRow.slug)
        .join(IssuerKeyRow, IssuerKeyRow.organisation_id == OrganisationRow.id)
        .where(IssuerKeyRow.public_multibase == multibase)
        .limit(1)
    )


def providers(session: Session, *, slugs: Sequence[str] | None) -> dict[str, StoredProvider]:
    """The organisations ``slugs`` (every one when None), by slug."""
    query = select(
        OrganisationRow.slug,
        OrganisationRow.name,
        OrganisationRow.country,
        OrganisationRow.url,
        OrganisationRow.email,
        OrganisationRow.corporate_number,
    )
    if slugs is not None:
        query = query.where(OrganisationRow.slug.in_(list(slugs)))
    return {
        slug: StoredProvider(slug, dict(name or {}), country, url, email, number)
        for slug, name, country, url, email, number in session.execute(query)
    }


def recognition_count(session: Session) -> tuple[int, int]:
    """(recognitions, withdrawals): moves with every grant and withdrawal."""
    granted, withdrawn = session.execute(
        select(func.count(), func.count(RecognitionRow.withdrawn_at)).select_from(RecognitionRow)
    ).one()
    return int(granted or 0), int(withdrawn or 0)


def providers_stamp(session: Session) -> tuple[object, ...]:
    """Moves whenever a provider's issuer keys or its name, address or country change:
    (issuer keys, newest key id, retired keys, newest change of an organisation)."""
    keys = session.execute(select(func.count(IssuerKeyRow.id), func.max(IssuerKeyRow.id),
                                  func.count(IssuerKeyRow.retired_at))).one()
    changed = session.scalar(select(func.max(OrganisationRow.updated_at)))
    return int(keys[0]), int(keys[1] or 0), int(keys[2]), changed


def next_boundary(session: Session, *, after: dt.datetime) -> dt.datetime | None:
    """The next moment after ``after`` when a recognition not withdrawn begins or ends: until
    then, who is recognised changes only with a decision."""
    begins = session.scalar(
        select(func.min(RecognitionRow.valid_from)).where(
            RecognitionRow.withdrawn_at.is_(None), RecognitionRow.valid_from > after
        )
    )
    ends = session.scalar(
        select(func.min(RecognitionRow.valid_until)).where(
            RecognitionRow.withdrawn_at.is_(None), RecognitionRow.valid_until > after
        )
    )
    moments = [utc(moment) for moment in (begins, ends) if moment is not None]
    return min(moments) if moments else None


def programme_recognitions(
    session: Session, *, programme_id: int, now: dt.datetime
) -> list[StoredRecognition]:
    """The current recognitions of programme ``programme_id``, with its provider."""
    query = (
        select(OrganisationRow.slug)
        .join(ProgrammeRow, ProgrammeRow.organisation_id == OrganisationRow.id)
        .where(ProgrammeRow.id == programme_id)
    )
    slug = session.scalar(query)
    if slug is None:
        return []
    return [
        found
        for found in provider_recognitions(session, slugs=[slug], now=now)
        if found.programme_id == programme_id
    ]


def key_stamp(session: Session) -> tuple[int, int, int]:
    """Moves whenever a federation key is made or retired: (keys, newest id, retired)."""
    row = session.execute(select(func.count(FederationKeyRow.id), func.max(FederationKeyRow.id),
                                 func.count(FederationKeyRow.retired_at))).one()
    return int(row[0]), int(row[1] or 0), int(row[2])
