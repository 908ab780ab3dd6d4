"""Queries of the OAuth 2.0 authorization server: registered clients, codes, tokens.

The tables are in :mod:`credstack.adapters.db.tables.oauth`; the service on top is
:mod:`credstack.services.oauth`. Secrets are looked up by their digest
(:func:`~credstack.adapters.db.repositories.accounts.digest`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final, Protocol, cast

from sqlalchemy import ColumnElement, Table, bindparam, exists, func, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from credstack.adapters.db.repositories.accounts import digest
from credstack.adapters.db.tables import (
    OAuthClientRow,
    OAuthCodeRow,
    OAuthPushedRequestRow,
    OAuthTokenRow,
)
from credstack.adapters.db.times import utc


class StoredClient(Protocol):
    """A client that registered itself (RFC 7591) as the authorization server reads it."""

    id: int
    client_id: str
    secret_hash: str | None
    name: str
    client_metadata: dict[str, Any]
    redirect_uris: list[str]
    scope: str
    grant_types: str
    auth_method: str


class StoredCode(Protocol):
    """An authorization code as the authorization server reads it (kept as a digest)."""

    id: int
    client_id: int
    user_id: int
    redirect_uri: str
    scope: str
    code_challenge: str
    code_challenge_method: str
    extra: dict[str, Any] | None


class StoredToken(Protocol):
    """A token of the authorization code or refresh token grant (or an extension's), as the
    authorization server reads and revokes it."""

    id: int
    client_id: int | None
    user_id: int | None
    grant_type: str
    scope: str
    extra: dict[str, Any] | None
    family: str
    code_id: int | None
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


def client(session: Session, client_id: str) -> OAuthClientRow | None:
    return session.scalar(select(OAuthClientRow).where(OAuthClientRow.client_id == client_id))


def client_by_key(session: Session, key: int) -> OAuthClientRow | None:
    return session.get(OAuthClientRow, key)


def add_client(session: Session, *, client_id: str, secret_hash: str | None, name: str,
               client_metadata: dict[str, Any], redirect_uris: list[str], scope: str,
               grant_types: str, auth_method: str, registered_ip: str, at: dt.datetime
               ) -> OAuthClientRow:
    """A client registered (RFC 7591) from ``registered_ip``, flushed."""
    row = OAuthClientRow(client_id=client_id, secret_hash=secret_hash, name=name,
                         client_metadata=client_metadata, redirect_uris=redirect_uris,
                         scope=scope, grant_types=grant_types, auth_method=auth_method,
                         registered_ip=registered_ip, created_at=at)
    session.add(row)
    session.flush()
    return row


def registrations_since(session: Session, *, ip: str, since: dt.datetime
                        ) -> tuple[int, dt.datetime | None]:
    """How many clients ``ip`` registered after ``since``, and when the oldest of them was."""
    count, oldest = session.execute(
        select(func.count(), func.min(OAuthClientRow.created_at))
        .where(OAuthClientRow.registered_ip == ip, OAuthClientRow.created_at > since)).one()
    return int(count), utc(oldest) if oldest is not None else None


@dataclass(frozen=True, slots=True)
class PushedRequest:
    """A pushed authorization request (RFC 9126): its client (the row's key), its
    parameters, its end, and when it was answered."""

    id: int
    client_id: int
    params: dict[str, str]
    expires_at: dt.datetime
    used_at: dt.datetime | None


def add_pushed_request(session: Session, *, secret: str, client_id: int,
                       params: dict[str, str], at: dt.datetime, expires_at: dt.datetime) -> int:
    """Keep a pushed request whose ``request_uri`` ends in ``secret``; its id."""
    row = OAuthPushedRequestRow(request_hash=digest(secret), client_id=client_id,
                                params=params, created_at=at, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row.id


def pushed_request(session: Session, secret: str) -> PushedRequest | None:
    """The pushed authorization request whose ``request_uri`` ends in ``secret``."""
    row = session.scalar(select(OAuthPushedRequestRow).where(
        OAuthPushedRequestRow.request_hash == digest(secret)))
    return None if row is None else PushedRequest(
        row.id, row.client_id, dict(row.params), utc(row.expires_at),
        utc(row.used_at) if row.used_at is not None else None)


def spend_pushed_request(session: Session, request_id: int, *, at: dt.datetime) -> bool:
    """Mark the pushed request answered, unless it was already: whether this call did (one
    conditional UPDATE, as :func:`claim_code`)."""
    spent = session.execute(
        update(OAuthPushedRequestRow).where(OAuthPushedRequestRow.id == request_id,
                                            OAuthPushedRequestRow.used_at.is_(None))
        .values(used_at=at).execution_options(synchronize_session=False))
    return bool(spent.rowcount)  # type: ignore[attr-defined]


def add_code(session: Session, *, secret: str, client_id: int, user_id: int,
             redirect_uri: str, scope: str, code_challenge: str, code_challenge_method: str,
             extra: dict[str, Any] | None, at: dt.datetime, expires_at: dt.datetime) -> int:
    """Store the authorization code ``secret`` (its digest); its id."""
    row = OAuthCodeRow(code_hash=digest(secret), client_id=client_id, user_id=user_id,
                       redirect_uri=redirect_uri, scope=scope, code_challenge=code_challenge,
                       code_challenge_method=code_challenge_method, extra=extra,
                       issued_at=at, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row.id


def code(session: Session, secret: str) -> OAuthCodeRow | None:
    return session.scalar(select(OAuthCodeRow).where(OAuthCodeRow.code_hash == digest(secret)))


def claim_code(session: Session, row: StoredCode, *, at: dt.datetime) -> bool:
    """Mark the code used, unless it was already (by this or a concurrent request): whether
    this call is the one that used it. One conditional UPDATE, so two requests racing with
    the same code cannot both win."""
    claimed = session.execute(
        update(OAuthCodeRow).where(OAuthCodeRow.id == row.id, OAuthCodeRow.used_at.is_(None))
        .values(used_at=at).execution_options(synchronize_session=False))
    session.refresh(row)
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


_TOKENS: Final = cast(Table, OAuthTokenRow.__table__)
_ADD_TOKEN: Final = _TOKENS.insert().returning(_TOKENS.c.id)


def add_token(session: Session, **columns: Any) -> OAuthTokenRow:
    """A new token row: one INSERT at once, then the row in the session as if it had been
    read back (without the unit of work's flush, which cost more than the INSERT)."""
    new_id = session.connection().execute(_ADD_TOKEN, columns).scalar_one()
    unset = {column.key: None for column in _TOKENS.columns
             if column.key not in columns and column.key != "id"}
    row = OAuthTokenRow(id=new_id, **unset, **columns)
    make_transient_to_detached(row)
    session.add(row)
    return row


_TOKEN_BY_ACCESS: Final = select(OAuthTokenRow).where(
    OAuthTokenRow.access_hash == bindparam("access_hash"))


def token_by_access(session: Session, secret: str) -> OAuthTokenRow | None:
    # Built once: every bearer request looks its token up, and building the statement cost
    # as much as running it.
    return session.scalar(_TOKEN_BY_ACCESS, {"access_hash": digest(secret)})


@dataclass(frozen=True, slots=True)
class LiveToken:
    """What using an access token reads of its row (see :func:`live_token`)."""

    id: int
    client_id: int | None
    user_id: int | None
    grant_type: str
    scope: str
    extra: dict[str, Any] | None
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


_LIVE_TOKEN: Final = select(
    _TOKENS.c.id, _TOKENS.c.client_id, _TOKENS.c.user_id, _TOKENS.c.grant_type,
    _TOKENS.c.scope, _TOKENS.c.extra, _TOKENS.c.expires_at, _TOKENS.c.revoked_at,
).where(_TOKENS.c.access_hash == bindparam("access_hash"))


def live_token(session: Session, secret: str) -> LiveToken | None:
    """The access token ``secret``'s row as a bearer request uses it: one Core statement of
    the columns read, not an ORM entity (which cost twice as much, on every request)."""
    row = session.connection().execute(_LIVE_TOKEN, {"access_hash": digest(secret)}).first()
    return None if row is None else LiveToken(
        row.id, row.client_id, row.user_id, row.grant_type, row.scope, row.extra,
        row.expires_at, row.revoked_at)


def token_by_refresh(session: Session, secret: str) -> OAuthTokenRow | None:
    return session.scalar(select(OAuthTokenRow).where(
        OAuthTokenRow.refresh_hash == digest(secret)))


def rotate(session: Session, row: StoredToken, *, at: dt.datetime) -> bool:
    """Mark the refresh token exchanged, unless it already was: whether this call did (see
    :func:`claim_code`)."""
    claimed = session.execute(
        update(OAuthTokenRow).where(OAuthTokenRow.id == row.id,
                                    OAuthTokenRow.rotated_at.is_(None),
                                    OAuthTokenRow.revoked_at.is_(None))
        .values(rotated_at=at).execution_options(synchronize_session=False))
    session.refresh(row)
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _revoke(session: Session, condition: ColumnElement[bool], *, at: dt.datetime) -> int:
    done = session.execute(
        update(OAuthTokenRow).where(condition, OAuthTokenRow.revoked_at.is_(None))
        .values(revoked_at=at).execution_options(synchronize_session=False))
    return int(done.rowcount)  # type: ignore[attr-defined]


def revoke_family(session: Session, family: str, *, at: dt.datetime) -> int:
    """Revoke every live token of ``family``; how many."""
    return _revoke(session, OAuthTokenRow.family == family, at=at)


def revoke_of_user(session: Session, user_id: int, *, at: dt.datetime) -> int:
    """Revoke every live token that acts for the user ``user_id``; how many."""
    return _revoke(session, OAuthTokenRow.user_id == user_id, at=at)


def revoke_from_code(session: Session, code_id: int, *, at: dt.datetime) -> int:
    """Revoke every live token redeemed from the code ``code_id`` (or refreshed since)."""
    return _revoke(session, OAuthTokenRow.code_id == code_id, at=at)



def expired(now: dt.datetime, *, pushed_margin: dt.timedelta, code_grace: dt.timedelta,
            unused_client: dt.timedelta) -> dict[str, tuple[Any, Any]]:
    """The authorization server's rows that may go at ``now``, for
    :func:`credstack.services.housekeeping.delete_expired`: by kind (pushed requests, codes,
    clients), the table's id column and the condition. A pushed request goes
    ``pushed_margin`` after its end, a code ``code_grace`` after its end, a client registered
    more than ``unused_client`` ago once it holds no code, token or pushed request."""
    return {
        "pushed": (OAuthPushedRequestRow.id,
                   OAuthPushedRequestRow.expires_at < now - pushed_margin),
        "codes": (OAuthCodeRow.id, OAuthCodeRow.expires_at < now - code_grace),
        "clients": (OAuthClientRow.id,
                    (OAuthClientRow.created_at < now - unused_client)
                    & ~exists().where(OAuthTokenRow.client_id == OAuthClientRow.id)
                    & ~exists().where(OAuthCodeRow.client_id == OAuthClientRow.id)
                    & ~exists().where(OAuthPushedRequestRow.client_id == OAuthClientRow.id)),
    }
