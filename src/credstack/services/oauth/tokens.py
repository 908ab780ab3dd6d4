"""Tokens of the authorization code and refresh token grants (and the extensions' grants):
issued, stored hashed, looked up for a request, revoked by family.

An access token is ``csa_`` and 43 random characters, a refresh token ``csr_`` and 43: the
prefix tells the bearer check which table to read (the client credentials grant's tokens are
``cst_``, :mod:`credstack.services.accounts.clients`). A refresh token is issued only to a
client registered for the ``refresh_token`` grant that was granted ``offline_access``; it
lives :data:`REFRESH_TTL` and is exchanged once (rotation).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import oauth as store
from credstack.adapters.db.transactions import Session
from credstack.errors import InvalidTokenError
from credstack.services import accounts as users
from credstack.services import audit
from credstack.services.accounts import TokenInfo, refuse_unusable
from credstack.services.oauth.extensions import IssuedToken

ACCESS_PREFIX = "csa_"
REFRESH_PREFIX = "csr_"
#: RFC 6749 §4.1.2 recommends at most ten minutes.
CODE_TTL = dt.timedelta(minutes=10)
REFRESH_TTL = dt.timedelta(days=30)
#: Longer than any token credstack makes: not looked up at all.
MAX_TOKEN = 128


@dataclass(frozen=True, slots=True)
class Issued:
    """A token just issued: the stored row and the response's fields."""

    row: IssuedToken
    response: dict[str, Any]


def secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def issue(session: Session, *, now: dt.datetime, ttl: int, grant_type: str, scope: str,
          client_key: int | None, client_id: str | None, user_id: int | None,
          refresh: bool, family: str | None = None, code_id: int | None = None,
          extra: Mapping[str, Any] | None = None, ip: str = "unknown") -> Issued:
    """Store a new access token (and refresh token when ``refresh``) in the caller's
    transaction, audited (``token.issued``); ``family``: the family it continues (a refresh),
    else a new one."""
    access = secret(ACCESS_PREFIX)
    renewal = secret(REFRESH_PREFIX) if refresh else None
    row = store.add_token(
        session, access_hash=account_store.digest(access),
        refresh_hash=account_store.digest(renewal) if renewal else None,
        client_id=client_key, user_id=user_id, grant_type=grant_type, scope=scope,
        extra=dict(extra) if extra else None, family=family or secrets.token_hex(16),
        code_id=code_id, issued_at=now, expires_at=now + dt.timedelta(seconds=ttl),
        refresh_expires_at=now + REFRESH_TTL if renewal else None)
    response: dict[str, Any] = {"access_token": access, "token_type": "Bearer",
                                "expires_in": ttl, "scope": scope}
    if renewal:
        response["refresh_token"] = renewal
    audit.record(session, at=now, actor=f"client:{client_id}" if client_id else "anonymous",
                 action="token.issued", subject=f"token:{row.id}",
                 details={"grant_type": grant_type, "scope": scope, "expires_in": ttl,
                          "refresh": renewal is not None, "family": row.family,
                          "user": f"user:{user_id}" if user_id else None, "ip": ip})
    return Issued(row, response)


def live(session: Session, token: str, *, now: dt.datetime) -> store.LiveToken:
    """The stored access token ``token`` if it may be used now; InvalidTokenError with the
    reason otherwise (unknown, revoked, expired, its client revoked)."""
    row = store.live_token(session, token) if 0 < len(token) <= MAX_TOKEN else None
    refuse_unusable(row, now=now)
    assert row is not None
    if row.client_id is not None:
        client = store.client_by_key(session, row.client_id)
        if client is None or client.revoked_at is not None:
            raise InvalidTokenError("The access token's client has been revoked.")
    return row


def token_info(session: Session, token: str, *, now: dt.datetime) -> TokenInfo:
    """What an access token of a learner's authorization stands for (its client acting for
    the learner, with the granted scopes); InvalidTokenError as :func:`live` says, and for a
    token that acts for no account (an extension's, read by that extension alone) or a
    disabled one."""
    row = live(session, token, now=now)
    if row.user_id is None:
        raise InvalidTokenError("This access token is not for this API.")
    owner = users.user_row(session, row.user_id)
    if owner.disabled:
        raise InvalidTokenError("The access token's owner has been disabled by an "
                                "administrator. / アクセストークンの所有者のアカウントは"
                                "管理者によって無効化されています。")
    client = store.client_by_key(session, row.client_id) if row.client_id else None
    return TokenInfo(client_id=client.client_id if client else "none",
                     user=users.view(session, owner), scopes=frozenset(row.scope.split()),
                     expires_at=account_store.utc(row.expires_at))
