"""Signing in on the web: the password, the TOTP code when enrolled, and the rate limit.

:func:`sign_in` refuses an account or an address that failed too often
(:mod:`credstack.core.accounts.lockout`) with :class:`~credstack.errors.RateLimitedError`
saying when to try again, even with the right password, or the lock would tell the attacker
when they guessed it. Anything else wrong (unknown address, wrong password, a missing, wrong
or replayed code) is one :class:`~credstack.errors.AuthenticationRequiredError` with one
message, so that the answer does not tell which; only someone with the right password (and
code) learns that the account is disabled (:class:`~credstack.errors.AccountDisabledError`),
or that its organisation switched passwords off (:data:`PASSWORDS_OFF`, issue 57).

The attempt, the audit entry (``login.succeeded``, ``login.failed``, ``login.locked``) and
the new session are written in one transaction, committed even when the sign-in is refused:
a refused attempt must still count.
"""

from __future__ import annotations

import datetime as dt
import logging

from credstack.adapters.db.repositories import accounts as store
from credstack.adapters.db.transactions import Session
from credstack.core.accounts.emails import account_key
from credstack.core.accounts.lockout import ACCOUNT_FAILURES, IP_FAILURES, WINDOW, retry_after
from credstack.errors import (
    AccessDeniedError,
    AccountDisabledError,
    AuthenticationRequiredError,
    CredstackError,
    Problem,
    RateLimitedError,
)
from credstack.services import access as refusals
from credstack.services import audit
from credstack.services.accounts import hashing, password_policy, sessions, totp
from credstack.services.accounts.sessions import SignedIn
from credstack.services.runtime import Runtime

log = logging.getLogger("credstack.accounts")

#: The refusal of a right password whose owner's organisation switched passwords off.
PASSWORDS_OFF = "accounts.refused.passwords_off"
#: What a lock is on, as the refusal says it.
_LOCKED = {"account": "for this account from this address", "address": "from this address"}


def sign_in(runtime: Runtime, *, email: str, password: str, totp_code: str | None,
            ip: str) -> SignedIn:
    """A new web session for whoever this password (and TOTP code, if enrolled) is; else
    the error that says as little as it should."""
    key = account_key(email)
    ip = ip[:64]
    now = runtime.now()
    refusal: CredstackError | None = None
    with runtime.transaction() as session:
        wait, what = locked(session, key=key, ip=ip, now=now)
        if wait is not None:
            log.warning("sign-in refused: %s locked for %s s (%s, from %s)", what, wait, key,
                        ip)
            refusals.audit_refused(runtime, session, at=now, actor="anonymous",
                                    action="login.locked", subject=f"account:{key}", ip=ip,
                                    details={"ip": ip, "locked": what, "retry_after": wait})
            refusal = RateLimitedError(f"Too many failed sign-ins {_LOCKED[what]}; try again "
                                       f"in {wait} seconds.", retry_after=wait)
        else:
            reason, user_id = _check(runtime, session, key=key, password=password,
                                     totp_code=totp_code, now=now)
            store.record_attempt(session, key=key, ip=ip, at=now, succeeded=reason is None)
            if reason is None and user_id is not None:
                audit.record(session, at=now, actor=f"user:{user_id}",
                             action="login.succeeded", subject=f"user:{user_id}",
                             details={"ip": ip})
                return sessions.start(session, user_id=user_id, settings=runtime.settings,
                                      now=now)
            log.warning("sign-in failed for %s from %s: %s", key, ip, reason)
            refusals.audit_refused(runtime, session, at=now, actor="anonymous",
                                    action="login.failed", subject=f"account:{key}", ip=ip,
                                    details={"ip": ip, "reason": reason})
            refusal = AccountDisabledError(
                code="accounts.refused.account_disabled") if reason == "account disabled" else \
                AccessDeniedError(code=PASSWORDS_OFF) if reason == "passwords switched off" else \
                AuthenticationRequiredError(
                    "The e-mail address, password or authentication code is wrong.",
                    problems=[Problem("password", "wrong e-mail address, password or code")])
    raise refusal


def _check(runtime: Runtime, session: Session, *, key: str, password: str,
           totp_code: str | None, now: dt.datetime) -> tuple[str | None, int | None]:
    """Why the credentials do not sign in (None: they do), and whose they are."""
    row = store.user_by_email(session, key)
    memory = runtime.settings.password_memory_kib
    valid = hashing.matches(row.password_hash if row else None, password, memory_kib=memory)
    if row is None:
        return "unknown account", None
    if not valid:
        return "wrong password", row.id
    if hashing.needs_rehash(row.password_hash, memory_kib=memory):
        row.password_hash = hashing.hash_password(password, memory_kib=memory)
    if row.totp_secret is not None:
        secret = totp.unseal(runtime.key(), row.id, row.totp_secret)
        reason = totp.use_code(row, secret, totp_code, now)
        if reason is not None:
            return reason, row.id
    if row.disabled:
        return "account disabled", row.id
    if password_policy.passwordless_organisations(session, row.id):
        return "passwords switched off", row.id
    return None, row.id


def locked(session: Session, *, key: str, ip: str, now: dt.datetime
            ) -> tuple[int | None, str]:
    """Seconds until the account (from this address), or else the address, may try again,
    and which of the two is locked; None: not locked. In the caller's transaction (changing
    a password asks too).

    The account is counted per address (:mod:`credstack.core.accounts.lockout`): failures
    sent from elsewhere never lock its owner out.
    """
    since = now - WINDOW
    for what, limit, failures in (
            ("account", ACCOUNT_FAILURES,
             store.recent_failures(session, key=key, ip=ip, since=since,
                                   limit=ACCOUNT_FAILURES)),
            ("address", IP_FAILURES,
             store.recent_failures(session, ip=ip, since=since, limit=IP_FAILURES))):
        wait = retry_after([store.utc(at) for at in failures], limit=limit, now=now)
        if wait is not None:
            return wait, what
    return None, ""
