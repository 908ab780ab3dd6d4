"""Web sessions: who a session cookie belongs to, and signing out.

A session is a random 256-bit cookie token (stored as its SHA-256), a CSRF token, an
absolute lifetime (``CREDSTACK_SESSION_TTL``) and an idle limit (``CREDSTACK_SESSION_IDLE``).
Signing out revokes it (``logout``); a new password or a disabled account ends a user's
sessions at once. A disabled user's cookie is refused with a message saying so, not treated
as a visitor's.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from credstack.adapters.db.repositories import accounts as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor
from credstack.errors import AccountDisabledError
from credstack.services import audit
from credstack.services.accounts import service as users
from credstack.services.accounts.service import User
from credstack.services.runtime import Runtime
from credstack.settings import Settings

#: A session's ``last_seen_at`` is written at most this often (not on every request).
TOUCH_EVERY = dt.timedelta(seconds=60)
#: Cookie tokens are 43 characters; anything much longer is not one of ours.
MAX_TOKEN = 128


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new web session: the cookie's value is :attr:`token` (shown once, never stored)."""

    token: str
    csrf_token: str
    expires_at: dt.datetime
    user: User


@dataclass(frozen=True, slots=True)
class WebSession:
    user: User
    csrf_token: str
    expires_at: dt.datetime


def resolve(runtime: Runtime, *, token: str) -> WebSession | None:
    """The live session of a cookie token (its last use noted), or None.

    :class:`~credstack.errors.AccountDisabledError` when the session's owner has been
    disabled: the cookie stops working, and its holder is told why.
    """
    if not token or len(token) > MAX_TOKEN:
        return None
    settings = runtime.settings
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.web_session(session, token)
        if row is None or now >= store.utc(row.expires_at):
            return None
        owner = users.user_row(session, row.user_id)
        if owner.disabled:
            raise AccountDisabledError(
                code="accounts.refused.account_disabled")
        last_seen = store.utc(row.last_seen_at)
        idle = dt.timedelta(seconds=settings.session_idle)
        if row.revoked_at is not None or now - last_seen >= idle:
            return None
        if now - last_seen >= min(TOUCH_EVERY, idle / 4):
            row.last_seen_at = now
        return WebSession(user=users.view(session, owner), csrf_token=row.csrf_token,
                          expires_at=store.utc(row.expires_at))


def sign_out(runtime: Runtime, *, actor: Actor, token: str, ip: str) -> None:
    """End the session of the cookie token: it never works again (``logout``)."""
    now = runtime.now()
    with runtime.transaction() as session:
        row = store.web_session(session, token) if token and len(token) <= MAX_TOKEN else None
        if row is not None and row.revoked_at is None:
            row.revoked_at = now
        principal = actor.principal
        if principal is not None:
            audit.record(session, at=now, actor=principal.subject, action="logout",
                         subject=principal.subject, details={"ip": ip})


def start(session: Session, *, user_id: int, settings: Settings, now: dt.datetime
          ) -> SignedIn:
    """A new session for ``user_id``, in the sign-in's transaction."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(seconds=settings.session_ttl)
    store.add_web_session(session, token=token, user_id=user_id, csrf_token=csrf, at=now,
                          expires_at=expires)
    return SignedIn(token=token, csrf_token=csrf, expires_at=expires,
                    user=users.user_by_id(session, user_id))
