"""Passwords: changing one's own, an administrator setting one, and one-time reset links.

* A signed-in user changes their password with the current one (``password.changed``); their
  other web sessions end.
* An administrator who may look after the user (the console's operator, a registry admin, or
  the provider admin of every organisation the user belongs to) sets a password directly
  (``password.set``) or hands out a reset link (``password.reset``), given to the
  administrator to pass on: a random token, stored as its SHA-256, valid for
  :data:`RESET_VALID` and used once; a newer link replaces an unused one. (A user who forgot
  their password asks for a link by e-mail: :mod:`.reset_by_email`.)
  The user opens it and sets a new password (``password.changed``, ``via: reset link``).
* Every new password follows the policy (:mod:`credstack.core.accounts.passwords`), ends the
  user's web sessions (all but the current one when they change it themselves), their
  tokens (those of their API clients and those OAuth issued to act for them) and their API
  clients' secrets (the clients stay, for new secrets): whoever took the password may hold
  any of them (:mod:`.endings`); it voids any reset link still unused; the entry counts
  what ended (``sessions_ended``, ``tokens_ended``, ``client_secrets_ended``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from credstack.adapters.db.repositories import accounts as store
from credstack.adapters.db.repositories.accounts import StoredUser
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor, Principal
from credstack.core.accounts.passwords import check_password
from credstack.errors import InputError, NotFoundError, Problem, RateLimitedError
from credstack.services import access as refusals
from credstack.services import audit
from credstack.services.accounts import endings, hashing, sign_in
from credstack.services.accounts import service as users
from credstack.services.accounts.service import User
from credstack.services.runtime import Runtime

RESET_VALID = dt.timedelta(hours=24)
#: Reset tokens are 43 characters; anything much longer is not one of ours.
MAX_TOKEN = 128


@dataclass(frozen=True, slots=True)
class ResetLink:
    """A password reset link for :attr:`user` (the token is shown once, never stored)."""

    url: str
    token: str
    expires_at: dt.datetime
    user: User


def change_password(runtime: Runtime, *, actor: Actor, current_password: str,
                    new_password: str, ip: str, keep_session: str | None = None) -> User:
    """The signed-in user's new password, given their current one; every other web session
    of theirs ends (``keep_session``: the cookie token of the one they are using).

    A wrong current password counts as a failed sign-in (``login.failed``), and the sign-in
    lock applies (:class:`~credstack.errors.RateLimitedError`): a stolen session cannot be
    used to guess the password.
    """
    principal, user_id = users.own_account(actor, action="password.change", what="password")
    now = runtime.now()
    ip = ip[:64]
    with runtime.transaction() as session:
        row = users.user_row(session, user_id)
        wait, what = sign_in.locked(session, key=row.email, ip=ip, now=now)
        if wait is not None:
            raise RateLimitedError(f"Too many failed attempts for this {what}; try again in "
                                   f"{wait} seconds.", retry_after=wait)
        wrong = not hashing.matches(row.password_hash, current_password,
                                     memory_kib=runtime.settings.password_memory_kib)
        if wrong:
            store.record_attempt(session, key=row.email, ip=ip, at=now, succeeded=False)
            refusals.audit_refused(runtime, session, at=now, actor=principal.subject,
                                    action="login.failed", subject=f"account:{row.email}",
                                    ip=ip, details={"ip": ip,
                                                    "reason": "wrong current password"})
        else:
            check_password(new_password, email=row.email, field="new_password")
            ended = _replace(session, row, new_password, now=now, by="password.changed",
                             memory_kib=runtime.settings.password_memory_kib,
                             keep_session=keep_session)
            audit.record(session, at=now, actor=principal.subject, action="password.changed",
                         subject=principal.subject, details={"via": "account", **ended})
            return users.view(session, row)
    # Raised after the transaction, so that the failed attempt counts.
    raise InputError("The current password is wrong.",
                     problems=[Problem("current_password", "wrong password")])


def _manager_of(runtime: Runtime, actor: Actor, email: str) -> Principal:
    """The actor's principal if they may look after ``email``'s account, checked before
    the caller's transaction opens: a refusal is written in a transaction of its own, which
    must not wait for a connection while this request holds one."""
    with runtime.sessions() as session:
        person = users.view(session, users.user_row_by_email(session, email))
    return users.require_manager(actor, person)


def set_password(runtime: Runtime, *, actor: Actor, email: str, password: str) -> User:
    """An administrator sets ``email``'s password; all their web sessions end."""
    now = runtime.now()
    principal = _manager_of(runtime, actor, email)
    with runtime.transaction() as session:
        row = users.user_row_by_email(session, email)
        check_password(password, email=row.email)
        ended = _replace(session, row, password, now=now, by="password.set",
                         memory_kib=runtime.settings.password_memory_kib)
        audit.record(session, at=now, actor=principal.subject, action="password.set",
                     subject=f"user:{row.id}", details=ended)
        return users.view(session, row)


def start_reset(runtime: Runtime, *, actor: Actor, email: str) -> ResetLink:
    """A one-time link for ``email`` to set a new password (replacing an unused one); the
    password stays as it is until the link is used."""
    now = runtime.now()
    principal = _manager_of(runtime, actor, email)
    with runtime.transaction() as session:
        row = users.user_row_by_email(session, email)
        person = users.view(session, row)
        store.forget_resets(session, row.id)
        token = secrets.token_urlsafe(32)
        expires = now + RESET_VALID
        store.add_reset(session, token=token, user_id=row.id, at=now, expires_at=expires)
        audit.record(session, at=now, actor=principal.subject, action="password.reset",
                     subject=person.subject,
                     details={"valid_hours": int(RESET_VALID.total_seconds() // 3600)})
    url = f"{runtime.settings.public_url.rstrip('/')}/password-reset/{token}"
    return ResetLink(url=url, token=token, expires_at=expires, user=person)


def reset_for(runtime: Runtime, *, token: str) -> User:
    """The user a reset link is for, while it can be used;
    :class:`~credstack.errors.NotFoundError` for a link unknown, used or expired."""
    now = runtime.now()
    with runtime.transaction() as session:
        return users.view(session, link_owner(session, token, now))


def complete_reset(runtime: Runtime, *, token: str, password: str) -> User:
    """Set the new password a reset link allows, and use the link up."""
    now = runtime.now()
    with runtime.transaction() as session:
        row = link_owner(session, token, now)
        check_password(password, email=row.email)
        use_link(session, token, now)
        ended = _replace(session, row, password, now=now, by="password.changed",
                         memory_kib=runtime.settings.password_memory_kib)
        audit.record(session, at=now, actor=f"user:{row.id}", action="password.changed",
                     subject=f"user:{row.id}",
                     details={"via": "reset link", **ended})
        return users.view(session, row)


def use_link(session: Session, token: str, now: dt.datetime) -> None:
    """Mark the reset link :func:`link_owner` found as used, in the caller's transaction,
    before the account's unused links are deleted."""
    reset = store.password_reset(session, token)
    assert reset is not None  # link_owner found it
    reset.used_at = now
    session.flush()


def link_owner(session: Session, token: str, now: dt.datetime) -> StoredUser:
    """The account a reset link is for, in the caller's transaction, while the link can be
    used; :class:`~credstack.errors.NotFoundError` for a link unknown, used or expired."""
    reset = store.password_reset(session, token) if 0 < len(token) <= MAX_TOKEN else None
    if reset is None or reset.used_at is not None or now >= store.utc(reset.expires_at):
        raise NotFoundError(code="accounts.refused.reset_link_unusable")
    return users.user_row(session, reset.user_id)


def _replace(session: Session, row: StoredUser, password: str, *, now: dt.datetime, by: str,
             memory_kib: int, keep_session: str | None = None) -> dict[str, int]:
    """Store the new password's hash, end the web sessions, tokens and API client secrets
    (:func:`.endings.end_access`; ``by``: the audit action) and void unused reset links; how
    many of each ended, for the audit entry."""
    row.password_hash = hashing.hash_password(password, memory_kib=memory_kib)
    store.forget_resets(session, row.id)
    return endings.end_access(session, row.id, at=now, by=by, keep_session=keep_session)
