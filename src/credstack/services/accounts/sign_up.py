"""Signing up on one's own: an account made once its address is confirmed by e-mail.

A learner sent a credential at an address with no account makes one here (``/sign-up``):

* :func:`request` takes the address, a display name and a password (the policy of
  :mod:`credstack.core.accounts.passwords`) and always answers the same, so that nobody learns
  whether the address has an account. An address without one is sent a link
  (:func:`credstack.services.mail.events.sign_up`): a random token kept as its SHA-256, valid
  for :data:`SIGN_UP_VALID` and used once; a newer request for the address replaces an unused
  link. An address with an account is sent a reminder to sign in instead
  (:func:`~credstack.services.mail.events.sign_up_existing`) and nothing else changes. The
  password is hashed in both cases, so that both answers take as long.
* Requests are limited like sign-in attempts (:func:`credstack.core.accounts.lockout
  .retry_after`, over its window): :data:`PER_ADDRESS` per e-mail address and
  :data:`PER_IP` per visitor's address, whatever the outcome, so that nobody is sent a flood
  of e-mail and the limit tells nothing either (and the password is hashed only when the
  limit allows). Either e-mail goes out at once, by a
  ``mail.deliver`` job (:func:`credstack.services.mail.delivery.start_delivery`).
* :func:`complete` uses the link, with the password chosen when asking (so that nobody can
  ask for an account at another person's address, with a password of their own, and wait
  for its owner to follow the link): the account is made with the name and password chosen
  (``user.created``, ``via: sign-up``), signed in, and the learner goes on to where they were
  going. Its sign-in address is verified, so the wallet takes in the credentials issued to it
  when it is first opened (:func:`credstack.services.wallet.holders.open_wallet`).
* A request is forgotten once its link has expired (with it the address and the password's
  hash); a used or replaced link keeps no password's hash meanwhile.

A deployment that makes every account itself turns this off (``CREDSTACK_SIGN_UP=off``), and
it is off where no e-mail is sent (no ``CREDSTACK_SMTP_HOST``): every function here then
refuses with :data:`CLOSED`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import accounts as store
from credstack.adapters.db.repositories import sign_ups as sign_up_store
from credstack.adapters.db.repositories.sign_ups import SignUp
from credstack.adapters.db.transactions import Session
from credstack.adapters.mail.catalogue import LANGUAGES
from credstack.core.accounts.emails import normalise_email
from credstack.core.accounts.lockout import WINDOW, retry_after
from credstack.core.accounts.passwords import check_password
from credstack.errors import InputError, NotFoundError, Problem, RateLimitedError
from credstack.services import audit
from credstack.services import mail as events
from credstack.services.accounts import hashing, sessions
from credstack.services.accounts import service as users
from credstack.services.accounts.sessions import SignedIn
from credstack.services.mail import start_delivery
from credstack.services.runtime import Runtime
from credstack.settings import Settings

__all__ = ["CLOSED", "NOT_CHOSEN", "PER_ADDRESS", "PER_IP", "SIGN_UP_VALID", "UNUSABLE",
           "Pending", "SignedUp", "complete", "pending", "request", "require_open"]

SIGN_UP_VALID: Final = dt.timedelta(hours=24)
#: Requests per e-mail address, and per visitor's address, within the sign-in limit's window:
#: a whole class signing up together from a university's network shares one address.
PER_ADDRESS: Final = 3
PER_IP: Final = 60
#: Sign-up tokens are 43 characters; anything much longer is not one of ours.
MAX_TOKEN: Final = 128
#: The refusals' codes (worded by the page or the API that shows them): sign-up is closed; a
#: link that cannot be used; a password that is not the one chosen when signing up.
CLOSED: Final = "accounts.refused.sign_up_closed"
UNUSABLE: Final = "accounts.refused.sign_up_link_unusable"


NOT_CHOSEN: Final = "accounts.refused.not_chosen_password"


@dataclass(frozen=True, slots=True)
class Pending:
    """What a sign-up link will make, as its page shows it."""

    email: str
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SignedUp:
    """The new account's web session, and where its learner was going."""

    signed_in: SignedIn
    next_path: str


def require_open(settings: Settings) -> None:
    """Refuse (:class:`~credstack.errors.NotFoundError`) where sign-up is turned off, or
    cannot work because no e-mail is sent (no SMTP server is configured)."""
    if not settings.sign_up_open:
        raise NotFoundError(code=CLOSED)


def request(runtime: Runtime, *, email: str, display_name: str, password: str,
            next_path: str, language: str, ip: str) -> None:
    """Ask for an account at ``email``: the link to make it, or the reminder that it exists,
    is queued for e-mail. InputError for an address, name or password the account rules
    refuse; RateLimitedError after too many requests for the address or from ``ip``."""
    require_open(runtime.settings)
    address = normalise_email(email)
    name = users.check_display_name(display_name)
    check_password(password, email=address)
    ip = ip[:64]
    # The e-mail speaks the page's language (any of the eight), then English.
    language = language if language in LANGUAGES else "ja"
    now = runtime.now()
    with runtime.transaction() as session:
        _check_limit(session, address=address, ip=ip, now=now)
        # Hashed whoever the address belongs to (both answers take as long), and only once
        # the limit allows: nobody makes the server hash passwords without end.
        password_hash = hashing.hash_password(
            password, memory_kib=runtime.settings.password_memory_kib)
        _forget_expired(session, now=now)
        kept_path, expires_at = next_path[:2000], now + SIGN_UP_VALID
        if store.user_by_email(session, address) is not None:
            request_id = sign_up_store.add(session, email=address, ip=ip, next_path=kept_path,
                                           at=now, expires_at=expires_at)
            events.sign_up_existing(session, request_id=request_id, to=address,
                                    next_path=kept_path, language=language, now=now)
        else:
            # A newer link replaces an unused one: only the latest e-mail's link works.
            sign_up_store.replace_unused(session, address)
            token = secrets.token_urlsafe(32)
            token_hash = store.digest(token)
            request_id = sign_up_store.add(
                session, email=address, ip=ip, next_path=kept_path, at=now,
                expires_at=expires_at, token_hash=token_hash, display_name=name,
                password_hash=password_hash)
            events.sign_up(session, request_id=request_id, token_hash=token_hash, to=address,
                           url=f"{runtime.settings.public_url.rstrip('/')}/sign-up/{token}",
                           expires_at=expires_at, language=language, now=now)
    # Sent at once by a mail.deliver job, not at the worker's next minute: someone is waiting.
    start_delivery(runtime, after=f"sign-up-{request_id}")


def pending(runtime: Runtime, *, token: str) -> Pending:
    """The sign-up a link is for, while it can be used; NotFoundError (:data:`UNUSABLE`)
    otherwise."""
    require_open(runtime.settings)
    now = runtime.now()
    with runtime.transaction() as session:
        row = _usable(session, token, now)
        return Pending(email=row.email, expires_at=row.expires_at)


def complete(runtime: Runtime, *, token: str, password: str,
             replacing: str | None = None) -> SignedUp:
    """Use a sign-up link with the password chosen when asking: make the account, sign it
    in. NotFoundError (:data:`UNUSABLE`) for a link that cannot be used; InputError for
    another password; ConflictError when the address was given an account since (its owner
    signs in).

    The password is asked again because whoever asked chose it, not necessarily the owner of
    the address: someone who asks for an account at another person's address, hoping they
    follow the link, would otherwise hold the password of the account it makes.

    ``replacing``: the cookie token of a session the browser had (someone else signed in on
    it): that session ends (``logout``), rather than live on unseen behind the new one."""
    require_open(runtime.settings)
    now = runtime.now()
    with runtime.transaction() as session:
        row = _usable(session, token, now, lock=True)
        assert row.display_name is not None and row.password_hash is not None  # usable
        if not hashing.matches(row.password_hash, password,
                               memory_kib=runtime.settings.password_memory_kib):
            raise InputError(code=NOT_CHOSEN, problems=[Problem("password", "not the password "
                                                                           "chosen")])
        created = users.create_user_with_hash(session, email=row.email,
                                              display_name=row.display_name,
                                              password_hash=row.password_hash, now=now)
        audit.record(session, at=now, actor=created.subject, action="user.created",
                     subject=created.subject,
                     details={"email": created.email, "via": "sign-up"})
        sign_up_store.use(session, row.id, at=now, user_id=created.id)
        earlier = store.web_session(session, replacing) \
            if replacing and len(replacing) <= sessions.MAX_TOKEN else None
        if earlier is not None and earlier.revoked_at is None:
            earlier.revoked_at = now
            audit.record(session, at=now, actor=f"user:{earlier.user_id}", action="logout",
                         subject=f"user:{earlier.user_id}", details={"via": "sign-up"})
        started = sessions.start(session, user_id=created.id, settings=runtime.settings,
                                 now=now)
        return SignedUp(started, row.next_path)


def _usable(session: Session, token: str, now: dt.datetime, *, lock: bool = False
            ) -> SignUp:
    row = (sign_up_store.by_token_hash(session, store.digest(token), lock=lock)
           if 0 < len(token) <= MAX_TOKEN else None)
    if (row is None or row.used_at is not None or row.password_hash is None
            or now >= row.expires_at):
        raise NotFoundError(code=UNUSABLE)
    return row


def _check_limit(session: Session, *, address: str, ip: str, now: dt.datetime) -> None:
    since = now - WINDOW
    for recent, limit in (
            (sign_up_store.made_since(session, email=address, since=since, limit=PER_ADDRESS),
             PER_ADDRESS),
            (sign_up_store.made_since(session, ip=ip, since=since, limit=PER_IP), PER_IP)):
        wait = retry_after(recent, limit=limit, now=now)
        if wait is not None:
            raise RateLimitedError(code="accounts.refused.too_many_sign_ups", params={"wait": wait},
                                   retry_after=wait)


def _forget_expired(session: Session, *, now: dt.datetime) -> None:
    """Requests whose link expired (a day old: long past the limit's window) are kept no
    longer, nor the address and the password's hash they hold."""
    sign_up_store.forget_expired(session, now=now)

