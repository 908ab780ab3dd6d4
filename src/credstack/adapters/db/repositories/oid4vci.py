"""The statements of OID4VCI's pre-authorised issuance, which a wallet runs for every
credential: the offer served by reference, the offer a code redeems, the offer an
``issuer_state`` names, the offer's redemption and wrong transaction codes, the issued
credential a token gets, a key proof's nonce spent (tables in
:mod:`credstack.adapters.db.tables.oid4vc`); and those of the offers' making (the credential
offered, the offers added, the offer an issuance e-mail carries), of the credentials a
learner's token names, and of the OID4VC rows whose time is over.

Core statements on the session's connection, as the audit log's: the ORM's unit of work
(an object loaded, changed, flushed) cost more than the statements themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

from sqlalchemy import Table, and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from credstack.adapters.db import bulk
from credstack.adapters.db.tables import IssuedCredentialRow, OrganisationRow
from credstack.adapters.db.tables.oid4vc import Oid4vciNonceRow, Oid4vciOfferRow, Oid4vpRequestRow
from credstack.adapters.db.tables.wallet import WalletCredentialRow
from credstack.adapters.db.times import utc

__all__ = ["CredentialToIssue", "CredentialToOffer", "NewOffer", "OfferOfState", "OfferToRedeem",
           "OfferToServe", "active_credential_rows", "add_offers", "count_tx_code_guess",
           "credential_id_of", "credential_to_issue", "credential_to_offer", "end_offer",
           "expired", "held_in_wallet", "learners_credentials", "live_mail_offer",
           "offer_of_issuer_state", "offer_to_redeem", "offer_to_serve", "redeem",
           "session_of", "spend_nonce"]

_OFFERS: Final = cast(Table, Oid4vciOfferRow.__table__)
_CREDENTIALS: Final = cast(Table, IssuedCredentialRow.__table__)
_NONCES: Final = cast(Table, Oid4vciNonceRow.__table__)
_ORGANISATIONS: Final = cast(Table, OrganisationRow.__table__)
_CREDENTIAL_TO_ISSUE: Final = (
    select(_CREDENTIALS.c.credential_id, _CREDENTIALS.c.state, _CREDENTIALS.c.document,
           _CREDENTIALS.c.securing, _ORGANISATIONS.c.slug)
    .join_from(_CREDENTIALS, _ORGANISATIONS,
               _CREDENTIALS.c.organisation_id == _ORGANISATIONS.c.id)
    .where(_CREDENTIALS.c.id == bindparam("row_id")))
_OFFER_TO_SERVE: Final = (
    select(_OFFERS.c.configurations, _OFFERS.c.tx_code_hash.is_not(None).label("tx_code"),
           _OFFERS.c.issuer_state.is_not(None).label("authorization_code"),
           _OFFERS.c.expires_at, _OFFERS.c.redeemed_at)
    .where(_OFFERS.c.public_id == bindparam("public_id")))
_OFFER_TO_REDEEM: Final = (
    select(_OFFERS.c.id, _OFFERS.c.public_id, _OFFERS.c.credential_id,
           _CREDENTIALS.c.credential_id.label("issued_id"), _OFFERS.c.tx_code_hash,
           _OFFERS.c.configurations, _OFFERS.c.expires_at,
           _OFFERS.c.redeemed_at)
    .join_from(_OFFERS, _CREDENTIALS, _OFFERS.c.credential_id == _CREDENTIALS.c.id)
    .where(_OFFERS.c.code_hash == bindparam("code_hash")).with_for_update(of=_OFFERS))
_OFFER_OF_STATE: Final = (
    select(_OFFERS.c.id, _OFFERS.c.public_id, _OFFERS.c.credential_id, _OFFERS.c.expires_at,
           _OFFERS.c.redeemed_at, _CREDENTIALS.c.learner, _CREDENTIALS.c.state)
    .join_from(_OFFERS, _CREDENTIALS, _OFFERS.c.credential_id == _CREDENTIALS.c.id)
    .where(_OFFERS.c.issuer_state == bindparam("issuer_state")))
_REDEEM: Final = (_OFFERS.update().where(_OFFERS.c.id == bindparam("offer_id"),
                                         _OFFERS.c.redeemed_at.is_(None))
                  .values(redeemed_at=bindparam("at")))
_SPEND_NONCE: Final = _NONCES.insert()
_CREDENTIAL_ID: Final = select(_CREDENTIALS.c.credential_id).where(
    _CREDENTIALS.c.id == bindparam("row_id"))


@dataclass(frozen=True, slots=True)
class OfferToServe:
    """What the offer served by reference is made of."""

    configurations: str
    #: Whether it asks for a transaction code, and names an ``issuer_state``.
    tx_code: bool
    authorization_code: bool
    expires_at: dt.datetime
    redeemed_at: dt.datetime | None


def offer_to_serve(session: Session, public_id: str) -> OfferToServe | None:
    """The offer ``public_id``, as its ``credential_offer_uri`` serves it."""
    row = session.connection().execute(_OFFER_TO_SERVE, {"public_id": public_id}).first()
    return None if row is None else OfferToServe(
        row.configurations, bool(row.tx_code), bool(row.authorization_code),
        utc(row.expires_at), row.redeemed_at)


@dataclass(frozen=True, slots=True)
class OfferToRedeem:
    """What the pre-authorised grant reads of the offer whose code it was given."""

    id: int
    public_id: str
    #: The offered credential's row id, and its ``credential_id``.
    credential_row: int
    credential_id: str
    tx_code_hash: str | None
    configurations: str
    expires_at: dt.datetime
    redeemed_at: dt.datetime | None


def offer_to_redeem(session: Session, code_hash: str) -> OfferToRedeem | None:
    """The offer of the code whose digest is ``code_hash``, locked until the transaction
    ends (PostgreSQL; SQLite's writer takes the database's lock at the first write)."""
    row = session.connection().execute(_OFFER_TO_REDEEM, {"code_hash": code_hash}).first()
    if row is None:
        return None
    return OfferToRedeem(row.id, row.public_id, row.credential_id, row.issued_id,
                         row.tx_code_hash, row.configurations,
                         utc(row.expires_at), row.redeemed_at)


@dataclass(frozen=True, slots=True)
class OfferOfState:
    """The offer an ``issuer_state`` names, and its issued credential's learner and state."""

    id: int
    public_id: str
    #: The issued credential's row.
    credential_id: int
    expires_at: dt.datetime
    redeemed_at: dt.datetime | None
    learner: str
    state: str


def offer_of_issuer_state(session: Session, issuer_state: str) -> OfferOfState | None:
    """The offer whose authorization code grant names ``issuer_state``; None for none."""
    row = session.connection().execute(_OFFER_OF_STATE, {"issuer_state": issuer_state}).first()
    if row is None:
        return None
    return OfferOfState(row.id, row.public_id, row.credential_id, utc(row.expires_at),
                        row.redeemed_at, row.learner or "", row.state)


def redeem(session: Session, offer_id: int, *, at: dt.datetime) -> bool:
    """Mark the offer's code used: False when it already was (on SQLite, by a request that
    read the offer at the same moment, before either took the write lock)."""
    return session.connection().execute(_REDEEM, {"offer_id": offer_id, "at": at}
                                        ).rowcount == 1


def count_tx_code_guess(session: Session, offer_id: int) -> int:
    """Add one to the offer's count of transaction codes given, in the database (one
    statement: concurrent guesses each count, whatever each read before); the new count."""
    counted = session.connection().execute(
        _OFFERS.update().where(_OFFERS.c.id == offer_id)
        .values(tx_attempts=_OFFERS.c.tx_attempts + 1)
        .returning(_OFFERS.c.tx_attempts)).scalar_one()
    return int(counted)


def end_offer(session: Session, offer_id: int, *, at: dt.datetime) -> None:
    """End the offer at ``at`` (its code no longer redeems)."""
    session.connection().execute(
        _OFFERS.update().where(_OFFERS.c.id == offer_id).values(expires_at=at))


@dataclass(frozen=True, slots=True)
class CredentialToIssue:
    """What the credential endpoint reads of the issued credential it binds and secures."""

    credential_id: str
    state: str
    #: The stored document, and how it was secured (see
    #: :func:`credstack.core.oid4vci.credentials.unsecured`).
    document: str
    securing: str
    #: The issuing organisation's slug.
    organisation: str


def credential_to_issue(session: Session, row_id: int) -> CredentialToIssue | None:
    """The issued credential of row ``row_id``."""
    row = session.connection().execute(_CREDENTIAL_TO_ISSUE, {"row_id": row_id}).first()
    return None if row is None else CredentialToIssue(
        row.credential_id, row.state, row.document, row.securing, row.slug)


def spend_nonce(session: Session, nonce_hash: str, *, at: dt.datetime,
                expires_at: dt.datetime) -> bool:
    """Record the nonce whose digest is ``nonce_hash`` as used: False when it already was
    (the caller then abandons its transaction)."""
    try:
        session.connection().execute(_SPEND_NONCE, {
            "nonce_hash": nonce_hash, "used_at": at, "expires_at": expires_at})
    except IntegrityError:
        return False
    return True


def credential_id_of(session: Session, row_id: int | None) -> str | None:
    """The ``credential_id`` of the issued credential of row ``row_id``; None for none.

    On the session's connection: a column read needs none of the ORM's execution (about
    56 µs instead of 95 for every credential a wallet asks for)."""
    found = session.connection().scalar(_CREDENTIAL_ID, {"row_id": row_id})
    return None if found is None else str(found)


def learners_credentials(session: Session, names: Iterable[str], *, limit: int
                         ) -> list[tuple[int, str]]:
    """The active credentials issued to any of ``names`` (lower-case), newest first, at most
    ``limit``: (row id, ``credential_id``)."""
    return [(row_id, credential_id) for row_id, credential_id in session.execute(
        select(IssuedCredentialRow.id, IssuedCredentialRow.credential_id).where(
            func.lower(IssuedCredentialRow.learner).in_(list(names)),
            IssuedCredentialRow.state == "active")
        .order_by(IssuedCredentialRow.id.desc()).limit(limit))]


def session_of(row: object) -> Session | None:
    """The session a stored object (a token the authorization server hands over) was read
    in, if it still is in one."""
    return object_session(row)


@dataclass(frozen=True, slots=True)
class CredentialToOffer:
    """What an offer's making reads of the issued credential it offers."""

    #: The issued credential's row, and its ``credential_id``.
    row_id: int
    credential_id: str
    learner: str | None
    state: str
    #: The issuing organisation's slug.
    organisation: str


def credential_to_offer(session: Session, credential_id: str) -> CredentialToOffer | None:
    """The issued credential ``credential_id``; None for none."""
    found = session.execute(
        select(IssuedCredentialRow.id, IssuedCredentialRow.credential_id,
               IssuedCredentialRow.learner, IssuedCredentialRow.state, OrganisationRow.slug)
        .join(OrganisationRow).where(IssuedCredentialRow.credential_id == credential_id)).first()
    return None if found is None else CredentialToOffer(*found)


def held_in_wallet(session: Session, *, user_id: int, credential_id: str) -> bool:
    """Whether the wallet of user ``user_id`` holds the credential ``credential_id``."""
    return bool(session.scalar(select(func.count()).select_from(WalletCredentialRow).where(
        WalletCredentialRow.user_id == user_id,
        WalletCredentialRow.credential_id == credential_id)))


def active_credential_rows(session: Session, credential_ids: Sequence[str]) -> dict[str, int]:
    """The row of each of ``credential_ids`` that is active, by credential id."""
    rows: dict[str, int] = {}
    for start in range(0, len(credential_ids), 500):
        rows.update({credential_id: row_id for row_id, credential_id in session.execute(
            select(IssuedCredentialRow.id, IssuedCredentialRow.credential_id).where(
                IssuedCredentialRow.credential_id.in_(credential_ids[start:start + 500]),
                IssuedCredentialRow.state == "active"))})
    return rows


@dataclass(frozen=True, slots=True)
class NewOffer:
    """An offer to store: only digests of its code and transaction code are kept."""

    public_id: str
    #: The offered credential's row.
    credential_row: int
    code_hash: str
    tx_code_hash: str | None
    #: The configurations' names, separated by spaces.
    configurations: str
    issuer_state: str | None
    created_by: str
    channel: str
    created_at: dt.datetime
    expires_at: dt.datetime


def add_offers(session: Session, offers: Sequence[NewOffer]) -> None:
    """Store ``offers`` (in bulk for a cohort's chunk, not an ORM object per learner), none
    redeemed and no transaction code tried yet."""
    bulk.insert_rows(session, Oid4vciOfferRow, [
        {"public_id": offer.public_id, "credential_id": offer.credential_row,
         "code_hash": offer.code_hash, "tx_code_hash": offer.tx_code_hash, "tx_attempts": 0,
         "configurations": offer.configurations, "issuer_state": offer.issuer_state,
         "created_by": offer.created_by, "channel": offer.channel,
         "created_at": offer.created_at, "expires_at": offer.expires_at, "redeemed_at": None}
        for offer in offers])


def live_mail_offer(session: Session, credential_row: int, *, now: dt.datetime
                    ) -> tuple[str, dt.datetime] | None:
    """The public id and end of the e-mailed offer of the credential of row ``credential_row``
    that can still be taken at ``now`` (not redeemed, not expired), the latest to end."""
    found = session.execute(select(Oid4vciOfferRow.public_id, Oid4vciOfferRow.expires_at)
                            .where(Oid4vciOfferRow.credential_id == credential_row,
                                   Oid4vciOfferRow.channel == "mail",
                                   Oid4vciOfferRow.redeemed_at.is_(None),
                                   Oid4vciOfferRow.expires_at > now)
                            .order_by(Oid4vciOfferRow.expires_at.desc()).limit(1)).first()
    return None if found is None else (found.public_id, utc(found.expires_at))


def expired(now: dt.datetime, *, nonce_margin: dt.timedelta, offer_grace: dt.timedelta,
            issuer_state_grace: dt.timedelta, answer_kept: dt.timedelta
            ) -> dict[str, tuple[Any, Any]]:
    """The OID4VC rows that may go at ``now``, for
    :func:`credstack.services.housekeeping.delete_expired`: by kind (nonces, offers,
    presentation requests), the table's id column and the condition. A used nonce goes
    ``nonce_margin`` after its end; an offer ``offer_grace`` after it, or
    ``issuer_state_grace`` for one naming an ``issuer_state``; a request never answered at
    its end, an answered one ``answer_kept`` after it."""
    return {
        "nonces": (Oid4vciNonceRow.id, Oid4vciNonceRow.expires_at < now - nonce_margin),
        "offers": (Oid4vciOfferRow.id, or_(
            and_(Oid4vciOfferRow.issuer_state.is_(None),
                 Oid4vciOfferRow.expires_at < now - offer_grace),
            Oid4vciOfferRow.expires_at < now - issuer_state_grace)),
        "requests": (Oid4vpRequestRow.id, or_(
            and_(Oid4vpRequestRow.responded_at.is_(None), Oid4vpRequestRow.expires_at < now),
            Oid4vpRequestRow.expires_at < now - answer_kept)),
    }
