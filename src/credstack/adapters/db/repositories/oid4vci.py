"""The statements of OID4VCI's pre-authorised issuance, which a wallet runs for every
credential: the offer served by reference, the offer a code redeems, the offer an
``issuer_state`` names, the offer's redemption and wrong transaction codes, the issued
credential a token gets, a key proof's nonce spent (tables in
:mod:`credstack.adapters.db.tables.oid4vc`).

Core statements on the session's connection, as the audit log's: the ORM's unit of work
(an object loaded, changed, flushed) cost more than the statements themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from credstack.adapters.db.repositories.stamps import utc
from credstack.adapters.db.tables import IssuedCredentialRow, OrganisationRow
from credstack.adapters.db.tables.oid4vc import Oid4vciNonceRow, Oid4vciOfferRow

__all__ = ["CredentialToIssue", "OfferOfState", "OfferToRedeem", "OfferToServe",
           "count_tx_code_guess", "credential_to_issue", "end_offer", "offer_of_issuer_state",
           "offer_to_redeem", "offer_to_serve", "redeem", "spend_nonce"]

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
