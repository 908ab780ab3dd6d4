"""Queries of the OAuth 2.0 authorization server: registered clients, codes, tokens.

The tables are in :mod:`credstack.adapters.db.tables.oauth`; the service on top is
:mod:`credstack.services.oauth`. Secrets are looked up by their digest
(:func:`~credstack.adapters.db.repositories.accounts.digest`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final, cast

from sqlalchemy import ColumnElement, Table, bindparam, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from credstack.adapters.db.repositories.accounts import digest
from credstack.adapters.db.tables import (
    OAuthClientRow,
    OAuthCodeRow,
    OAuthPushedRequestRow,
    OAuthTokenRow,
)


def client(session: Session, client_id: str) -> OAuthClientRow | None:
    return session.scalar(select(OAuthClientRow).where(OAuthClientRow.client_id == client_id))


def client_by_key(session: Session, key: int) -> OAuthClientRow | None:
    return session.get(OAuthClientRow, key)


def pushed_request(session: Session, secret: str) -> OAuthPushedRequestRow | None:
    """The pushed authorization request whose ``request_uri`` ends in ``secret``."""
    return session.scalar(select(OAuthPushedRequestRow).where(
        OAuthPushedRequestRow.request_hash == digest(secret)))


def spend_pushed_request(session: Session, row: OAuthPushedRequestRow, *,
                         at: dt.datetime) -> bool:
    """Mark the pushed request answered, unless it was already: whether this call did (one
    conditional UPDATE, as :func:`claim_code`)."""
    spent = session.execute(
        update(OAuthPushedRequestRow).where(OAuthPushedRequestRow.id == row.id,
                                            OAuthPushedRequestRow.used_at.is_(None))
        .values(used_at=at).execution_options(synchronize_session=False))
    return bool(spent.rowcount)  # type: ignore[attr-defined]


def code(session: Session, secret: str) -> OAuthCodeRow | None:
    return session.scalar(select(OAuthCodeRow).where(OAuthCodeRow.code_hash == digest(secret)))


def claim_code(session: Session, row: OAuthCodeRow, *, at: dt.datetime) -> bool:
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


def rotate(session: Session, row: OAuthTokenRow, *, at: dt.datetime) -> bool:
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

