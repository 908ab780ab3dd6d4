"""API clients (OAuth 2.0 client credentials, RFC 6749 §4.4) and their access tokens.

A client belongs to a user and acts for them; it has a set of allowed scopes within what its
owner's roles can use. A token's scopes are the requested ones (default: all the client's),
which must lie within the client's *and* within what the owner's roles allow *now*: removing
a role narrows what new tokens can do, and :mod:`credstack.core.access` checks the roles
again on every request. A signed-in user makes and revokes their own clients; an
administrator who may look after a user (the console's operator, for one) makes and revokes
theirs. Audited: ``client.created``, ``client.revoked``, ``token.issued``, ``token.refused``,
``token.revoked``.

A client's secret ends, the client staying, when its owner's password changes or an
administrator disables the account (:mod:`.endings`): a token request with it is then
refused as ``invalid_client`` — saying why only to whoever presents the right secret, as a
wrong one is answered to anybody else — until the owner issues a new secret
(:func:`renew_own_secret`, ``client.secret_renewed``), answered once like the first.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from credstack.adapters.db.repositories import accounts as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor, Principal, all_scopes, usable_scopes
from credstack.errors import (
    AuthenticationRequiredError,
    ConflictError,
    InputError,
    InvalidTokenError,
    NotFoundError,
    Problem,
)
from credstack.services import access as refusals
from credstack.services import audit
from credstack.services.accounts import service as users
from credstack.services.accounts.service import User
from credstack.services.runtime import Runtime

#: Client ids are ``cs_`` and 22 characters; tokens 47: anything much longer is not ours.
MAX_CLIENT_ID = 64
MAX_TOKEN = 128


@dataclass(frozen=True, slots=True)
class ApiClient:
    client_id: str
    name: str
    user_id: int
    scopes: frozenset[str]
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    #: When the secret stopped working (until the owner issues a new one), or None.
    secret_ended_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class NewClient:
    """A new API client and its secret (shown once, never stored)."""

    client: ApiClient
    secret: str


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scopes: frozenset[str]

    @property
    def scope(self) -> str:
        return " ".join(sorted(self.scopes))


@dataclass(frozen=True, slots=True)
class TokenInfo:
    client_id: str
    user: User
    scopes: frozenset[str]
    expires_at: dt.datetime

    def principal(self) -> Principal:
        """The client acting for its owner, limited to the token's scopes."""
        return Principal(subject=f"client:{self.client_id}", user_id=self.user.id,
                         email=self.user.email, memberships=self.user.memberships,
                         scopes=self.scopes)


def parse_scopes(value: str | Iterable[str] | None) -> frozenset[str]:
    """Scopes as OAuth writes them (space-separated) or as a list; unknown ones refused."""
    if value is None:
        return frozenset()
    items = value.split() if isinstance(value, str) else [s for v in value for s in v.split()]
    unknown = sorted(set(items) - all_scopes())
    if unknown:
        raise InputError(f"Unknown scope {unknown[0]!r}; scopes are "
                         f"{', '.join(sorted(all_scopes()))}.",
                         problems=[Problem("scope", f"unknown scope {unknown[0]}")])
    return frozenset(items)


# --- clients -------------------------------------------------------------------------------


def add_own_client(runtime: Runtime, *, actor: Actor, name: str, scopes: Iterable[str]
                   ) -> NewClient:
    """A new API client of the signed-in user (not of a token: a client cannot make more)."""
    principal, user_id = _owner(actor)
    now = runtime.now()
    with runtime.transaction() as session:
        return _add(session, principal, user_id=user_id, name=name, scopes=scopes, now=now)


def add_client(runtime: Runtime, *, actor: Actor, owner: str, name: str,
               scopes: Iterable[str]) -> NewClient:
    """A new API client of the user ``owner`` (an e-mail address), made by an administrator
    who may look after them."""
    now = runtime.now()
    # Who may is decided before the transaction opens: a refusal is written in a
    # transaction of its own, which must not wait for a connection while this one holds one.
    with runtime.sessions() as session:
        person = users.user(session, email=owner)
    principal = users.require_manager(actor, person)
    with runtime.transaction() as session:
        return _add(session, principal, user_id=person.id, name=name, scopes=scopes, now=now)


def list_own_clients(runtime: Runtime, *, actor: Actor) -> list[ApiClient]:
    """The API clients of whoever is asking (none for the console's operator)."""
    principal = actor.user()
    if principal.user_id is None:
        return []
    with runtime.transaction() as session:
        return [_client(row) for row in store.api_clients(session, principal.user_id)]


def revoke_own_client(runtime: Runtime, *, actor: Actor, client_id: str) -> ApiClient:
    """Revoke one of the signed-in user's clients (and every token it holds); another's is
    :class:`~credstack.errors.NotFoundError`, as if it did not exist."""
    principal, user_id = _owner(actor)
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.api_client(session, client_id)
        if row is None or row.user_id != user_id:
            raise NotFoundError(f"There is no API client {client_id!r}.")
        return _revoke(session, principal, row, now=now)


def renew_own_secret(runtime: Runtime, *, actor: Actor, client_id: str) -> NewClient:
    """A new secret for one of the signed-in user's clients, answered once (the old one
    stops working, and the tokens it got end), audited (``client.secret_renewed``); another's
    client is :class:`~credstack.errors.NotFoundError`, a revoked one
    :class:`~credstack.errors.ConflictError`."""
    principal, user_id = _owner(actor)
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.api_client(session, client_id) if len(client_id) <= MAX_CLIENT_ID else None
        if row is None or row.user_id != user_id:
            raise NotFoundError(f"There is no API client {client_id!r}.")
        if row.revoked_at is not None:
            raise ConflictError(code="accounts.refused.client_revoked",
                                params={"client_id": client_id})
        secret = secrets.token_urlsafe(32)
        store.renew_client_secret(row, secret)
        ended = store.end_client_tokens(session, row.id, at=now)
        audit.record(session, at=now, actor=principal.subject, action="client.secret_renewed",
                     subject=f"client:{row.client_id}",
                     details={"owner": f"user:{user_id}", "tokens_ended": ended})
        return NewClient(client=_client(row), secret=secret)


def revoke_client(runtime: Runtime, *, actor: Actor, client_id: str) -> ApiClient:
    """Revoke any client (and every token it holds), as an administrator who may look after
    its owner."""
    now = runtime.now()
    # As add_client: who may is decided before the transaction opens.
    with runtime.sessions() as session:
        owner = users.user_by_id(session, _client_row(session, client_id).user_id)
    principal = users.require_manager(actor, owner)
    with runtime.transaction() as session:
        return _revoke(session, principal, _client_row(session, client_id), now=now)


def _client_row(session: Session, client_id: str) -> store.StoredApiClient:
    row = store.api_client(session, client_id)
    if row is None:
        raise NotFoundError(f"There is no API client {client_id!r}.")
    return row


def create_client(session: Session, *, user_id: int, name: str, scopes: Iterable[str],
                  now: dt.datetime) -> NewClient:
    """A new API client for ``user_id`` allowed ``scopes`` (within what its roles can use),
    in the caller's transaction (the caller checks who may, and audits)."""
    owner = users.user_by_id(session, user_id)
    wanted = parse_scopes(list(scopes))
    if not wanted:
        raise InputError("Give the client at least one scope.",
                         problems=[Problem("scope", "at least one scope")])
    beyond = sorted(wanted - usable_scopes(owner.memberships))
    if beyond:
        raise InputError(f"{owner.email}'s roles do not allow the scope {beyond[0]!r}.",
                         problems=[Problem("scope", f"not allowed by the roles: {beyond[0]}")])
    label = name.strip() or "API client"
    if len(label) > 200:
        raise InputError("The client's name has more than 200 characters.",
                         problems=[Problem("name", "at most 200 characters")])
    client_id = "cs_" + secrets.token_urlsafe(16)
    secret = secrets.token_urlsafe(32)
    row = store.add_api_client(session, client_id=client_id, secret=secret, user_id=user_id,
                               name=label, scopes=" ".join(sorted(wanted)), at=now)
    return NewClient(client=_client(row), secret=secret)


def _add(session: Session, principal: Principal, *, user_id: int, name: str,
         scopes: Iterable[str], now: dt.datetime) -> NewClient:
    created = create_client(session, user_id=user_id, name=name, scopes=scopes, now=now)
    audit.record(session, at=now, actor=principal.subject, action="client.created",
                 subject=f"client:{created.client.client_id}",
                 details={"scopes": sorted(created.client.scopes), "owner": f"user:{user_id}"})
    return created


def _revoke(session: Session, principal: Principal, row: store.StoredApiClient, *, now: dt.datetime
            ) -> ApiClient:
    if row.revoked_at is None:
        row.revoked_at = now
        audit.record(session, at=now, actor=principal.subject, action="client.revoked",
                     subject=f"client:{row.client_id}",
                     details={"owner": f"user:{row.user_id}"})
    return _client(row)


def _owner(actor: Actor) -> tuple[Principal, int]:
    return users.own_account(actor, action="clients.manage", what="clients")


def client_view(row: store.StoredApiClient) -> ApiClient:
    """The view of a stored client (for the other services that list clients)."""
    return _client(row)


def _client(row: store.StoredApiClient) -> ApiClient:
    return ApiClient(client_id=row.client_id, name=row.name, user_id=row.user_id,
                     scopes=frozenset(row.scopes.split()), created_at=store.utc(row.created_at),
                     revoked_at=store.utc(row.revoked_at) if row.revoked_at else None,
                     secret_ended_at=store.utc(row.secret_ended_at)
                     if row.secret_ended_at else None)


# --- tokens --------------------------------------------------------------------------------


def issue_token(runtime: Runtime, *, client_id: str, secret: str, scope: str | None, ip: str
                ) -> IssuedToken:
    """An access token for the client credentials grant (RFC 6749 §4.4).

    AuthenticationRequiredError: the client is unknown, revoked, its owner disabled, its
    secret wrong or ended (``invalid_client``; recorded as ``token.refused``); InputError on
    ``scope``: unknown, or beyond what the client and its owner's roles allow
    (``invalid_scope``).
    """
    now = runtime.now()
    try:
        with runtime.transaction() as session:
            client = _authenticate(session, client_id=client_id, secret=secret)
            return grant_token(session, client, scope=scope, ip=ip, now=now,
                               ttl=runtime.settings.token_ttl)
    except AuthenticationRequiredError as refused:
        with runtime.transaction() as session:
            refusals.audit_refused(runtime, session, at=now, actor="anonymous",
                                    action="token.refused", ip=ip,
                                    subject=f"client:{client_id[:MAX_CLIENT_ID]}",
                                    details={"reason": refused.message, "ip": ip})
        raise


def grant_token(session: Session, client: store.StoredApiClient, *, scope: str | None, ip: str,
                now: dt.datetime, ttl: int) -> IssuedToken:
    """An access token for an authenticated client (the client credentials grant), in the
    caller's transaction, audited (``token.issued``); InputError on ``scope`` as
    :func:`issue_token` says. The authorization server's client credentials grant calls
    this once it has authenticated the client."""
    if users.user_row(session, client.user_id).disabled:
        raise AuthenticationRequiredError("The client's owner has been disabled by an "
                                          "administrator.")
    owner = users.user_by_id(session, client.user_id)
    allowed = frozenset(client.scopes.split()) & usable_scopes(owner.memberships)
    granted = allowed if scope is None or not scope.strip() else parse_scopes(scope)
    beyond = sorted(granted - allowed)
    if beyond:
        raise InputError(f"The scope {beyond[0]!r} is not allowed for this client.",
                         problems=[Problem("scope", f"not allowed: {beyond[0]}")])
    if not granted:
        raise InputError("This client's owner has no role that allows any of its "
                         "scopes.", problems=[Problem("scope", "no scope allowed")])
    token = "cst_" + secrets.token_urlsafe(32)
    store.add_access_token(session, token=token, client_id=client.id,
                           scopes=" ".join(sorted(granted)), at=now,
                           expires_at=now + dt.timedelta(seconds=ttl))
    issued = IssuedToken(access_token=token, expires_in=ttl, scopes=granted)
    audit.record(session, at=now, actor=f"client:{client.client_id}", action="token.issued",
                 subject=f"client:{client.client_id}",
                 details={"scope": issued.scope, "expires_in": ttl, "ip": ip,
                          "grant_type": "client_credentials"})
    return issued


class _Expiring(Protocol):
    """What :func:`refuse_unusable` reads of a token: an API client's, the authorization
    server's stored one, or the live one a process remembers."""

    @property
    def expires_at(self) -> dt.datetime: ...
    @property
    def revoked_at(self) -> dt.datetime | None: ...


def refuse_unusable(row: _Expiring | None, *, now: dt.datetime) -> None:
    """InvalidTokenError, saying why, for a token that is unknown, revoked or expired."""
    if row is None:
        raise InvalidTokenError("The access token is not known.")
    if row.revoked_at is not None:
        raise InvalidTokenError("The access token has been revoked.")
    if now >= store.utc(row.expires_at):
        raise InvalidTokenError("The access token has expired.")


def token_info(runtime: Runtime, *, token: str) -> TokenInfo:
    """What a bearer token stands for; InvalidTokenError when unknown, expired or revoked,
    or when its client is revoked or its owner disabled."""
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.access_token(session, token) if 0 < len(token) <= MAX_TOKEN else None
        client = store.api_client_by_key(session, row.client_id) if row is not None else None
        # A disabled owner is said first: disabling also revoked the token.
        if client is not None and users.user_row(session, client.user_id).disabled:
            raise InvalidTokenError(code="accounts.refused.token_owner_disabled")
        refuse_unusable(row, now=now)
        assert row is not None
        if client is None or client.revoked_at is not None:
            raise InvalidTokenError("The access token's client has been revoked.")
        owner = users.user_row(session, client.user_id)
        return TokenInfo(client_id=client.client_id, user=users.view(session, owner),
                         scopes=frozenset(row.scopes.split()),
                         expires_at=store.utc(row.expires_at))


def revoke_token(runtime: Runtime, *, client_id: str, secret: str, token: str, ip: str
                 ) -> None:
    """RFC 7009: revoke a token the authenticated client holds; unknown tokens are ignored
    (``token.revoked`` either way, the client having asked)."""
    now = runtime.now()
    with runtime.transaction() as session:
        client = _authenticate(session, client_id=client_id, secret=secret)
        row = store.access_token(session, token) if 0 < len(token) <= MAX_TOKEN else None
        revoke_held(session, client, row if row is not None and row.client_id == client.id
                    else None, ip=ip, now=now)


def revoke_held(session: Session, client: store.StoredApiClient,
                row: store.StoredAccessToken | None, *, ip: str, now: dt.datetime) -> None:
    """Revoke ``row``, a token ``client`` holds (None: one it does not, or none at all), in
    the caller's transaction; ``token.revoked`` either way, the client having asked."""
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
    audit.record(session, at=now, actor=f"client:{client.client_id}", action="token.revoked",
                 subject=f"client:{client.client_id}", details={"ip": ip})


def _authenticate(session: Session, *, client_id: str, secret: str) -> store.StoredApiClient:
    """The client these credentials belong to; AuthenticationRequiredError otherwise."""
    row = store.api_client(session, client_id) if len(client_id) <= MAX_CLIENT_ID else None
    expected = row.secret_hash if row is not None else store.digest("")
    matches = hmac.compare_digest(expected, store.digest(secret))
    if row is None or not matches or row.revoked_at is not None:
        raise AuthenticationRequiredError("Client authentication failed.")
    if users.user_row(session, row.user_id).disabled:
        raise AuthenticationRequiredError("The client's owner has been disabled by an "
                                          "administrator.")
    refuse_ended(row)
    return row


#: Why a client's secret ended, by the audit action that ended it (:mod:`.endings`).
_ENDED_BY = {"password.changed": "its owner's password was changed",
             "password.set": "an administrator set its owner's password",
             "user.disabled": "an administrator disabled its owner's account"}


def refuse_ended(client: store.StoredApiClient) -> None:
    """AuthenticationRequiredError, saying when and why, for a client whose secret has
    ended; only ever said to a caller who presented that secret (a wrong one is refused
    first, without a reason)."""
    if client.secret_ended_at is None:
        return
    why = _ENDED_BY.get(client.secret_ended_by or "", "its owner's account changed")
    raise AuthenticationRequiredError(
        f"This client's secret ended on {store.utc(client.secret_ended_at):%Y-%m-%d %H:%M} "
        f"UTC because {why}; its owner can issue a new secret on their account page "
        f"(POST /api/me/clients/{client.client_id}/secret).")


def usable_client(session: Session, client_id: str) -> store.StoredApiClient | None:
    """The API client ``client_id`` if it may get tokens now: not revoked, its owner not
    disabled (the authorization server checks its secret, then :func:`refuse_ended`)."""
    row = store.api_client(session, client_id) if len(client_id) <= MAX_CLIENT_ID else None
    if row is None or row.revoked_at is not None or users.user_row(session, row.user_id).disabled:
        return None
    return row
