"""Accounts: users, their roles in organisations, web sign-in, TOTP, API clients and tokens.

* **Passwords** are hashed with argon2id at OWASP's recommended minimum (19 MiB of memory,
  2 passes, 1 lane — a sign-in costs tens of milliseconds, not a second, on a small server);
  hashes made with other parameters are upgraded at the next sign-in. A password has at least
  :data:`MIN_PASSWORD` characters. An unknown
  e-mail address costs the same hashing time as a known one, so timing does not tell which
  addresses have accounts.
* **Rate limit**: :func:`authenticate` refuses an account after :data:`ACCOUNT_FAILURES`
  failed attempts within :data:`WINDOW` (counting from its last success), and an address
  after :data:`IP_FAILURES`, with :class:`~credstack.errors.RateLimitedError` saying when to
  try again — even with the right password, or the lock would tell the attacker when they
  guessed it. The attempts live in the database (every process sees them); failures and
  lockouts go to the log and the audit log (``login.failed``, ``login.locked``).
* **TOTP** (RFC 6238, 30-second steps, 6 digits, ±1 step of clock drift) is optional per
  user: :func:`begin_totp` shows a secret (``otpauth://`` URI and QR code), :func:`confirm_totp`
  turns it on once a code from it is entered. A code is accepted only for a time step later
  than the last one accepted, so a code seen over someone's shoulder cannot be replayed.
* **Web sessions**: a random 256-bit cookie token (stored as its SHA-256), a CSRF token,
  an absolute lifetime (``CREDSTACK_SESSION_TTL``) and an idle limit
  (``CREDSTACK_SESSION_IDLE``); signing out revokes the session.
* **API clients** (OAuth 2.0 client credentials, RFC 6749 §4.4) belong to a user and act for
  them; each has a set of allowed scopes within what its owner's roles can use. A token's
  scopes are the requested ones (default: all the client's), which must lie within the
  client's *and* within what the owner's roles allow *now* — removing a role narrows what new
  tokens can do, and :mod:`credstack.core.access` checks the roles again on every request.

The functions take the SQLAlchemy session of the caller's transaction, except
:func:`authenticate`, which commits the attempt it records in its own transaction (a refused
sign-in must still count).
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import logging
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import argon2
import pyotp
import qrcode
import qrcode.image.svg
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.repositories import accounts as store
from credstack.core.access import (
    PLATFORM,
    RECOGNITION_BODY_ROLES,
    Membership,
    Principal,
    Role,
    all_scopes,
    usable_scopes,
)
from credstack.errors import (
    AuthenticationRequiredError,
    ConflictError,
    InputError,
    InvalidTokenError,
    KeyStoreError,
    NotFoundError,
    Problem,
    RateLimitedError,
)
from credstack.services.audit import service as audit
from credstack.settings import Settings

log = logging.getLogger("credstack.accounts")

MIN_PASSWORD = 12
#: Longer passwords are refused before hashing: hashing megabytes is a denial of service.
MAX_PASSWORD = 1024
WINDOW = dt.timedelta(minutes=15)
ACCOUNT_FAILURES = 5
IP_FAILURES = 20
#: A session's ``last_seen_at`` is written at most this often (not on every request).
TOUCH_EVERY = dt.timedelta(seconds=60)
TOTP_STEP = 30
TOTP_ISSUER = "credstack"
#: Names the key (derived from the master key) that seals TOTP secrets in the database.
TOTP_KEY_LABEL = b"credstack accounts: TOTP secrets v1"

_hasher = argon2.PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
#: Verified against when the e-mail address is unknown, so that both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


# --- records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    display_name: str
    totp_enabled: bool
    disabled: bool
    created_at: dt.datetime
    memberships: frozenset[Membership]

    @property
    def subject(self) -> str:
        return f"user:{self.id}"

    def principal(self) -> Principal:
        """The user as a web-session principal (every scope their roles allow)."""
        return Principal(subject=self.subject, user_id=self.id, email=self.email,
                         memberships=self.memberships, scopes=None)


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


@dataclass(frozen=True, slots=True)
class ApiClient:
    client_id: str
    name: str
    user_id: int
    scopes: frozenset[str]
    created_at: dt.datetime
    revoked_at: dt.datetime | None


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


@dataclass(frozen=True, slots=True)
class TotpEnrolment:
    secret: str
    uri: str
    #: The URI as a QR code, an SVG document (dark modules on a white square).
    qr_svg: str

    @property
    def qr_data_uri(self) -> str:
        encoded = base64.b64encode(self.qr_svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


# --- users -----------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """An e-mail address in the form accounts are keyed by (trimmed, lower case)."""
    value = email.strip().lower()
    local, _, domain = value.partition("@")
    if (not local or "." not in domain or domain.startswith(".") or domain.endswith(".")
            or len(value) > 320 or any(c.isspace() for c in value) or "@" in domain):
        raise InputError(f"{email!r} is not an e-mail address.",
                         problems=[Problem("email", "not an e-mail address")])
    return value


def check_password(password: str, *, email: str | None = None) -> None:
    """Refuse a password the policy does not accept (length; not the e-mail address)."""
    problem = None
    if len(password) < MIN_PASSWORD:
        problem = f"shorter than {MIN_PASSWORD} characters"
    elif len(password) > MAX_PASSWORD:
        problem = f"longer than {MAX_PASSWORD} characters"
    elif email is not None and password.strip().lower() == email.strip().lower():
        problem = "the same as the e-mail address"
    if problem is not None:
        raise InputError(f"The password is {problem}.",
                         problems=[Problem("password", problem)])


def create_user(session: Session, *, email: str, display_name: str, password: str,
                now: dt.datetime) -> User:
    """A new user; ConflictError when the e-mail address already has an account."""
    address = normalise_email(email)
    name = display_name.strip()
    if not name or len(name) > 200:
        raise InputError("The display name must have 1 to 200 characters.",
                         problems=[Problem("display_name", "1 to 200 characters")])
    check_password(password, email=address)
    if store.user_by_email(session, address) is not None:
        raise ConflictError(f"There is already an account for {address}.")
    row = store.UserRow(email=address, display_name=name, password_hash=_hasher.hash(password),
                        disabled=False, created_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(f"There is already an account for {address}.") from None
    return _user(session, row)


def set_password(session: Session, *, user_id: int, password: str) -> None:
    row = _user_row(session, user_id)
    check_password(password, email=row.email)
    row.password_hash = _hasher.hash(password)


def set_disabled(session: Session, *, email: str, disabled: bool, now: dt.datetime) -> User:
    """Disable (or enable) an account; disabling ends its sessions and tokens at once."""
    row = _row_by_email(session, email)
    row.disabled = disabled
    if disabled:
        for web_session in store.live_sessions(session, row.id):
            web_session.revoked_at = now
    return _user(session, row)


def user(session: Session, *, email: str) -> User:
    return _user(session, _row_by_email(session, email))


def user_by_id(session: Session, user_id: int) -> User:
    return _user(session, _user_row(session, user_id))


def users(session: Session) -> list[User]:
    return [_user(session, row) for row in store.users(session)]


def memberships(session: Session, user_id: int) -> frozenset[Membership]:
    return frozenset(Membership(slug or PLATFORM, Role(role))
                     for slug, role in store.memberships(session, user_id))


def add_membership(session: Session, *, email: str, organisation: str | None, role: Role | str,
                   now: dt.datetime) -> User:
    """Give a user ``role`` in ``organisation`` (a registry admin needs none).

    Evaluators and committee members belong to recognition bodies only; anyone else's role
    needs an organisation that exists.
    """
    row = _row_by_email(session, email)
    the_role = _role(role)
    organisation_id = _organisation_for(session, organisation, the_role)
    if store.membership_row(session, user_id=row.id, organisation_id=organisation_id,
                            role=the_role.value) is not None:
        raise ConflictError(f"{row.email} already is {the_role.value} of "
                            f"{organisation or 'the platform'}.")
    session.add(store.MembershipRow(user_id=row.id, organisation_id=organisation_id,
                                    role=the_role.value, created_at=now))
    session.flush()
    return _user(session, row)


def remove_membership(session: Session, *, email: str, organisation: str | None,
                      role: Role | str) -> User:
    row = _row_by_email(session, email)
    the_role = _role(role)
    organisation_id = None
    if organisation not in (None, PLATFORM):
        found = store.organisation_row(session, str(organisation))
        if found is None:
            raise NotFoundError(f"There is no organisation {organisation!r}.")
        organisation_id = found.id
    membership = store.membership_row(session, user_id=row.id, organisation_id=organisation_id,
                                      role=the_role.value)
    if membership is None:
        raise NotFoundError(f"{row.email} is not {the_role.value} of "
                            f"{organisation or 'the platform'}.")
    session.delete(membership)
    session.flush()
    return _user(session, row)


def members(session: Session, *, organisation: str) -> list[tuple[User, Role]]:
    """The users with a role in ``organisation``, with that role."""
    found = store.organisation_row(session, organisation)
    if found is None:
        raise NotFoundError(f"There is no organisation {organisation!r}.")
    return [(_user(session, row), Role(role)) for row, role in store.members(session, found.id)]


# --- signing in ------------------------------------------------------------------------


def authenticate(sessions: sessionmaker[Session], *, email: str, password: str,
                 totp_code: str | None, ip: str, now: dt.datetime) -> User:
    """The user whose password (and TOTP code, if enrolled) this is, or an error.

    Raises :class:`RateLimitedError` while the account or address is locked (without
    checking the password), else :class:`AuthenticationRequiredError` for anything wrong —
    unknown address, wrong password, missing, wrong or replayed code, disabled account —
    with one message, so that the answer does not tell which.
    """
    key = email.strip().lower()[:320]
    ip = ip[:64]
    with sessions() as session, session.begin():
        retry_after, what = _locked(session, key=key, ip=ip, now=now)
        if retry_after is None:
            row = store.user_by_email(session, key)
            valid = _password_matches(row.password_hash if row else None, password)
            if row is not None and valid and _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            reason = ("unknown account" if row is None else "wrong password" if not valid
                      else "account disabled" if row.disabled else None)
            if reason is None and row is not None and row.totp_secret is not None:
                reason = _use_totp(row, _open_totp(session, row, row.totp_secret), totp_code,
                                   now)
            store.record_attempt(session, key=key, ip=ip, at=now, succeeded=reason is None)
            signed_in = _user(session, row) if row is not None and reason is None else None
    if retry_after is not None:
        log.warning("sign-in refused: %s locked for %s s (%s, from %s)", what, retry_after,
                    key, ip)
        _audit(sessions, now=now, actor="anonymous", action="login.locked",
               subject=f"account:{key}", details={"ip": ip, "locked": what,
                                                  "retry_after": retry_after})
        raise RateLimitedError(f"Too many failed sign-ins for this {what}; try again in "
                               f"{retry_after} seconds.", retry_after=retry_after)
    if signed_in is None:
        log.warning("sign-in failed for %s from %s: %s", key, ip, reason)
        _audit(sessions, now=now, actor="anonymous", action="login.failed",
               subject=f"account:{key}", details={"ip": ip, "reason": reason})
        raise AuthenticationRequiredError(
            "The e-mail address, password or authentication code is wrong.",
            problems=[Problem("password", "wrong e-mail address, password or code")])
    _audit(sessions, now=now, actor=signed_in.subject, action="login.succeeded",
           subject=signed_in.subject, details={"ip": ip})
    return signed_in


def _locked(session: Session, *, key: str, ip: str, now: dt.datetime
            ) -> tuple[int | None, str]:
    """Seconds until the account (or else the address) may try again; None: not locked."""
    since = now - WINDOW
    for what, failures in (
            ("account", store.recent_failures(session, key=key, since=since,
                                              limit=ACCOUNT_FAILURES)),
            ("address", store.recent_failures(session, ip=ip, since=since, limit=IP_FAILURES))):
        limit = ACCOUNT_FAILURES if what == "account" else IP_FAILURES
        if len(failures) >= limit:
            # The lock holds until the oldest of the last `limit` failures leaves the window.
            until = store.utc(failures[limit - 1]) + WINDOW
            return max(1, int((until - now).total_seconds() + 0.999)), what
    return None, ""


def _password_matches(stored: str | None, password: str) -> bool:
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _audit(sessions: sessionmaker[Session], *, now: dt.datetime, actor: str, action: str,
           subject: str, details: dict[str, object]) -> None:
    audit.record_separately(sessions, at=now, actor=actor, action=action, subject=subject,
                            details=details)


# --- TOTP ------------------------------------------------------------------------------


def begin_totp(session: Session, *, user_id: int) -> TotpEnrolment:
    """A new TOTP secret for the user to scan; TOTP stays off until :func:`confirm_totp`."""
    row = _user_row(session, user_id)
    secret = pyotp.random_base32()
    row.totp_pending = _seal_totp(session, row, secret)
    return _enrolment(row.email, secret)


def pending_totp(session: Session, *, user_id: int) -> TotpEnrolment | None:
    row = _user_row(session, user_id)
    if row.totp_pending is None:
        return None
    return _enrolment(row.email, _open_totp(session, row, row.totp_pending))


def confirm_totp(session: Session, *, user_id: int, code: str, now: dt.datetime) -> None:
    """Turn TOTP on with the pending secret, proven by a current code from it."""
    row = _user_row(session, user_id)
    if row.totp_pending is None:
        raise ConflictError("There is no TOTP enrolment to confirm; start one first.")
    if _use_totp(row, _open_totp(session, row, row.totp_pending), code, now) is not None:
        raise InputError("The authentication code is wrong or expired.",
                         problems=[Problem("code", "wrong or expired code")])
    row.totp_secret, row.totp_pending = row.totp_pending, None


def disable_totp(session: Session, *, user_id: int, code: str, now: dt.datetime) -> None:
    """Turn TOTP off, proven by a current code."""
    row = _user_row(session, user_id)
    if row.totp_secret is None:
        raise ConflictError("TOTP is not on for this account.")
    if _use_totp(row, _open_totp(session, row, row.totp_secret), code, now) is not None:
        raise InputError("The authentication code is wrong, expired or already used.",
                         problems=[Problem("code", "wrong, expired or used code")])
    row.totp_secret = None
    row.totp_last_step = None


def _use_totp(row: store.UserRow, secret: str, code: str | None, now: dt.datetime
              ) -> str | None:
    """Accept ``code`` (recording its step) or say why not."""
    candidate = "".join((code or "").split())
    if not candidate:
        return "code missing"
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // TOTP_STEP
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * TOTP_STEP), candidate):
            if row.totp_last_step is not None and step <= row.totp_last_step:
                return "code replayed"
            row.totp_last_step = step
            return None
    return "wrong code"


def _totp_cipher(session: Session) -> AESGCM:
    return AESGCM(audit.master_key(session).derive(TOTP_KEY_LABEL))


def _seal_totp(session: Session, row: store.UserRow, secret: str) -> str:
    """A TOTP secret sealed for the database (AES-256-GCM under a key derived from the master
    key, bound to the user): a copy of the table alone cannot make codes."""
    nonce = os.urandom(12)
    sealed = _totp_cipher(session).encrypt(nonce, secret.encode(), f"user:{row.id}".encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def _open_totp(session: Session, row: store.UserRow, stored: str) -> str:
    raw = base64.urlsafe_b64decode(stored.encode("ascii"))
    try:
        plain = _totp_cipher(session).decrypt(raw[:12], raw[12:], f"user:{row.id}".encode())
    except InvalidTag:
        raise KeyStoreError(f"The TOTP secret of user {row.id} does not open with this "
                            "master key (was the key replaced, or the row copied?).") from None
    return plain.decode("ascii")


def _enrolment(email: str, secret: str) -> TotpEnrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage)
    return TotpEnrolment(secret=secret, uri=uri, qr_svg=image.to_string(encoding="unicode"))


# --- web sessions ----------------------------------------------------------------------


def start_session(session: Session, *, user_id: int, settings: Settings, now: dt.datetime
                  ) -> SignedIn:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(seconds=settings.session_ttl)
    session.add(store.WebSessionRow(token_hash=store.digest(token), user_id=user_id,
                                    csrf_token=csrf, created_at=now, last_seen_at=now,
                                    expires_at=expires))
    session.flush()
    return SignedIn(token=token, csrf_token=csrf, expires_at=expires,
                    user=user_by_id(session, user_id))


def session_for(session: Session, *, token: str, settings: Settings, now: dt.datetime
                ) -> WebSession | None:
    """The live session of a cookie token (its last use noted), or None."""
    if not token or len(token) > 128:
        return None
    row = store.web_session(session, token)
    if row is None or row.revoked_at is not None or now >= store.utc(row.expires_at):
        return None
    last_seen = store.utc(row.last_seen_at)
    if now - last_seen >= dt.timedelta(seconds=settings.session_idle):
        return None
    owner = _user_row(session, row.user_id)
    if owner.disabled:
        return None
    if now - last_seen >= min(TOUCH_EVERY, dt.timedelta(seconds=settings.session_idle / 4)):
        row.last_seen_at = now
    return WebSession(user=_user(session, owner), csrf_token=row.csrf_token,
                      expires_at=store.utc(row.expires_at))


def end_session(session: Session, *, token: str, now: dt.datetime) -> None:
    """Sign out: the cookie token never works again."""
    row = store.web_session(session, token) if token and len(token) <= 128 else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = now


# --- API clients and tokens ------------------------------------------------------------


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


def create_client(session: Session, *, user_id: int, name: str, scopes: Iterable[str],
                  now: dt.datetime) -> NewClient:
    """A new API client for ``user_id`` allowed ``scopes`` (within what its roles can use)."""
    owner = user_by_id(session, user_id)
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
    row = store.ApiClientRow(client_id=client_id, secret_hash=store.digest(secret),
                             user_id=user_id, name=label, scopes=" ".join(sorted(wanted)),
                             created_at=now)
    session.add(row)
    session.flush()
    return NewClient(client=_client(row), secret=secret)


def clients(session: Session, *, user_id: int) -> list[ApiClient]:
    return [_client(row) for row in store.api_clients(session, user_id)]


def revoke_client(session: Session, *, client_id: str, now: dt.datetime,
                  user_id: int | None = None) -> ApiClient:
    """Revoke a client (and with it every token it holds); ``user_id``: only if theirs."""
    row = store.api_client(session, client_id)
    if row is None or (user_id is not None and row.user_id != user_id):
        raise NotFoundError(f"There is no API client {client_id!r}.")
    if row.revoked_at is None:
        row.revoked_at = now
    return _client(row)


def authenticate_client(session: Session, *, client_id: str, secret: str
                        ) -> store.ApiClientRow:
    """The client these credentials belong to; AuthenticationRequiredError otherwise."""
    row = store.api_client(session, client_id) if len(client_id) <= 64 else None
    expected = row.secret_hash if row is not None else store.digest("")
    matches = hmac.compare_digest(expected, store.digest(secret))
    if row is None or not matches or row.revoked_at is not None:
        raise AuthenticationRequiredError("Client authentication failed.")
    if _user_row(session, row.user_id).disabled:
        raise AuthenticationRequiredError("Client authentication failed.")
    return row


def issue_token(session: Session, *, client_id: str, secret: str, scope: str | None,
                settings: Settings, now: dt.datetime) -> IssuedToken:
    """An access token for the client credentials grant (RFC 6749 §4.4).

    AuthenticationRequiredError: the client is unknown, revoked or its secret wrong
    (``invalid_client``); InputError on ``scope``: unknown, or beyond what the client and its
    owner's roles allow (``invalid_scope``).
    """
    client = authenticate_client(session, client_id=client_id, secret=secret)
    owner = user_by_id(session, client.user_id)
    allowed = frozenset(client.scopes.split()) & usable_scopes(owner.memberships)
    granted = allowed if scope is None or not scope.strip() else parse_scopes(scope)
    beyond = sorted(granted - allowed)
    if beyond:
        raise InputError(f"The scope {beyond[0]!r} is not allowed for this client.",
                         problems=[Problem("scope", f"not allowed: {beyond[0]}")])
    if not granted:
        raise InputError("This client's owner has no role that allows any of its scopes.",
                         problems=[Problem("scope", "no scope allowed")])
    token = "cst_" + secrets.token_urlsafe(32)
    session.add(store.AccessTokenRow(
        token_hash=store.digest(token), client_id=client.id, scopes=" ".join(sorted(granted)),
        issued_at=now, expires_at=now + dt.timedelta(seconds=settings.token_ttl)))
    session.flush()
    return IssuedToken(access_token=token, expires_in=settings.token_ttl, scopes=granted)


def token_info(session: Session, *, token: str, now: dt.datetime) -> TokenInfo:
    """What a bearer token stands for; InvalidTokenError when unknown, expired or revoked."""
    row = store.access_token(session, token) if 0 < len(token) <= 128 else None
    if row is None:
        raise InvalidTokenError("The access token is not known.")
    if row.revoked_at is not None:
        raise InvalidTokenError("The access token has been revoked.")
    if now >= store.utc(row.expires_at):
        raise InvalidTokenError("The access token has expired.")
    client = session.get(store.ApiClientRow, row.client_id)
    if client is None or client.revoked_at is not None:
        raise InvalidTokenError("The access token's client has been revoked.")
    owner = _user_row(session, client.user_id)
    if owner.disabled:
        raise InvalidTokenError("The access token's owner is disabled.")
    return TokenInfo(client_id=client.client_id, user=_user(session, owner),
                     scopes=frozenset(row.scopes.split()), expires_at=store.utc(row.expires_at))


def revoke_token(session: Session, *, client_id: str, secret: str, token: str,
                 now: dt.datetime) -> None:
    """RFC 7009: revoke a token the authenticated client holds; unknown tokens are ignored."""
    client = authenticate_client(session, client_id=client_id, secret=secret)
    row = store.access_token(session, token) if 0 < len(token) <= 128 else None
    if row is not None and row.client_id == client.id and row.revoked_at is None:
        row.revoked_at = now


# --- helpers ---------------------------------------------------------------------------


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InputError(f"Unknown role {role!r}; roles are "
                         f"{', '.join(r.value for r in Role)}.",
                         problems=[Problem("role", f"unknown role {role}")]) from None


def _organisation_for(session: Session, organisation: str | None, role: Role) -> int | None:
    if organisation in (None, "", PLATFORM):
        if role is not Role.REGISTRY_ADMIN:
            raise InputError(f"The role {role.value} needs an organisation.",
                             problems=[Problem("organisation", "required for this role")])
        return None
    found = store.organisation_row(session, str(organisation))
    if found is None:
        raise NotFoundError(f"There is no organisation {organisation!r}.")
    if role in RECOGNITION_BODY_ROLES and found.kind != "recognition-body":
        raise InputError(f"{role.value} is a role of recognition bodies; {organisation} is a "
                         f"{found.kind}.",
                         problems=[Problem("role", "only in a recognition body")])
    return found.id


def _row_by_email(session: Session, email: str) -> store.UserRow:
    row = store.user_by_email(session, email.strip().lower())
    if row is None:
        raise NotFoundError(f"There is no account for {email.strip()}.")
    return row


def _user_row(session: Session, user_id: int) -> store.UserRow:
    row = session.get(store.UserRow, user_id)
    if row is None:
        raise NotFoundError(f"There is no user {user_id}.")
    return row


def _user(session: Session, row: store.UserRow) -> User:
    return User(id=row.id, email=row.email, display_name=row.display_name,
                totp_enabled=row.totp_secret is not None, disabled=row.disabled,
                created_at=store.utc(row.created_at), memberships=memberships(session, row.id))


def _client(row: store.ApiClientRow) -> ApiClient:
    return ApiClient(client_id=row.client_id, name=row.name, user_id=row.user_id,
                     scopes=frozenset(row.scopes.split()), created_at=store.utc(row.created_at),
                     revoked_at=store.utc(row.revoked_at) if row.revoked_at else None)
