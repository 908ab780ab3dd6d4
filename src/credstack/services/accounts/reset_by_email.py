"""Resetting a forgotten password on one's own: a link e-mailed from the sign-in page.

* :func:`request` takes an e-mail address and always answers the same, so that nobody learns
  whether the address has an account. An address with an account that is not disabled is
  sent a link (:func:`credstack.services.mail.events.password_reset`): a random token kept as
  its SHA-256 (the administrators' reset links' table, :class:`PasswordResetRow`), valid for
  :data:`EMAILED_VALID` and used once; a newer link replaces an unused one, and a new
  password voids it. Other addresses are sent nothing.
* Requests are limited like sign-up requests: :data:`PER_ADDRESS` per e-mail address and
  :data:`PER_IP` per visitor's address within the sign-in limit's window, counted over
  every request (:class:`PasswordResetRequestRow`, one row each, account or not), so that
  nobody floods an inbox and the limit reveals nothing either.
* Each request is audited (``password.reset.requested``, by ``anonymous``, with the outcome:
  the account sent a link, or none), and the e-mail goes out at once by a ``mail.deliver``
  job. The link leads to the page of :mod:`credstack.services.accounts.passwords`
  (:func:`~credstack.services.accounts.passwords.complete_reset`), which sets the password
  (``password.changed``, ``via: reset link``) and ends the account's web sessions.
* Requests are forgotten a day after they were made.

Where no e-mail is sent (no ``CREDSTACK_SMTP_HOST``) there is no self-service reset:
:func:`require_available` refuses with :data:`UNAVAILABLE`, and administrators hand out links
as before.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Final

from credstack.adapters.db.repositories import accounts as store
from credstack.adapters.db.transactions import Session
from credstack.adapters.mail.catalogue import LANGUAGES
from credstack.core.accounts.emails import normalise_email
from credstack.core.accounts.lockout import WINDOW, retry_after
from credstack.errors import NotFoundError, RateLimitedError
from credstack.services import audit
from credstack.services import mail as events
from credstack.services.accounts import password_policy
from credstack.services.mail import start_delivery
from credstack.services.runtime import Runtime
from credstack.settings import Settings

__all__ = ["EMAILED_VALID", "PER_ADDRESS", "PER_IP", "UNAVAILABLE", "request",
           "require_available"]

#: An e-mailed link works for an hour: long enough to read one's mail, short for a link
#: that sits in an inbox.
EMAILED_VALID: Final = dt.timedelta(hours=1)
#: Requests per e-mail address, and per visitor's address, within the sign-in limit's window.
PER_ADDRESS: Final = 3
PER_IP: Final = 60
#: How long a request is kept (for the limit only: its window is far shorter).
KEPT: Final = dt.timedelta(days=1)
#: The refusal's code: passwords are not reset by e-mail here.
UNAVAILABLE: Final = "accounts.refused.reset_by_email_off"


def require_available(settings: Settings) -> None:
    """Refuse (:class:`~credstack.errors.NotFoundError`) where no e-mail is sent."""
    if not settings.mail_reaches_people:
        raise NotFoundError(code=UNAVAILABLE)


def request(runtime: Runtime, *, email: str, language: str, ip: str) -> None:
    """Ask for a password reset link for ``email``: e-mailed when the address has an
    account, nothing otherwise; the caller cannot tell which. InputError for what is not an
    e-mail address; RateLimitedError after too many requests for the address or from
    ``ip``."""
    require_available(runtime.settings)
    address = normalise_email(email)
    ip = ip[:64]
    # The e-mail speaks the page's language (any of the eight), then English.
    language = language if language in LANGUAGES else "ja"
    now = runtime.now()
    with runtime.transaction() as session:
        _check_limit(session, address=address, ip=ip, now=now)
        store.forget_reset_requests(session, before=now - KEPT)
        user = store.user_by_email(session, address)
        sent = user is not None and not user.disabled
        passkeys_only = False
        if user is not None and sent:
            store.forget_resets(session, user.id)
            token = secrets.token_urlsafe(32)
            expires_at = now + EMAILED_VALID
            token_hash = store.add_reset(session, token=token, user_id=user.id, at=now,
                                         expires_at=expires_at)
            request_id = store.add_reset_request(session, email=address, ip=ip,
                                                 user_id=user.id, at=now)
            # A member who signs in by passkey only is sent a recovery link (:mod:`.recovery`).
            passkeys_only = bool(password_policy.passwordless_organisations(session, user.id))
            base = runtime.settings.public_url.rstrip('/')
            (events.account_recovery if passkeys_only else events.password_reset)(
                session, request_id=request_id, token_hash=token_hash, to=address,
                url=f"{base}/account-recovery/{token}" if passkeys_only
                else f"{base}/password-reset/{token}",
                expires_at=expires_at, language=language, now=now)
        else:
            request_id = store.add_reset_request(session, email=address, ip=ip, user_id=None,
                                                 at=now)
        audit.record(session, at=now, actor="anonymous", action="password.reset.requested",
                     subject=f"user:{user.id}" if user is not None else f"account:{address}",
                     details={"ip": ip, "outcome": "no account" if user is None
                              else "account disabled" if not sent
                              else "recovery link sent" if passkeys_only else "link sent"})
    if sent:
        # Sent at once by a mail.deliver job, not at the worker's next minute: someone waits.
        start_delivery(runtime, after=f"password-reset-{request_id}")


def _check_limit(session: Session, *, address: str, ip: str, now: dt.datetime) -> None:
    since = now - WINDOW
    for recent, limit in (
            (store.reset_requests_since(session, email=address, since=since, limit=PER_ADDRESS),
             PER_ADDRESS),
            (store.reset_requests_since(session, ip=ip, since=since, limit=PER_IP), PER_IP)):
        wait = retry_after(recent, limit=limit, now=now)
        if wait is not None:
            raise RateLimitedError(
                code="accounts.refused.too_many_resets", params={"wait": wait}, retry_after=wait)
