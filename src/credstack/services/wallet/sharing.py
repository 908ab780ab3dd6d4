"""Share links: one credential or one collection, shown to whoever has the link.

A link's secret is 256 bits, an HMAC-SHA-256 under a key derived from the master key of the
link's row (its id, owner and moment of creation), and is kept only as its SHA-256 digest:
the store alone cannot give it, while its owner sees the whole link again whenever they list
their links (:attr:`ShareView.token`). Its public id (for listing and revoking) is the
digest's first 16 hex characters, which say nothing about the secret. The owner may give it
an expiry and an access code (hashed with argon2id like a password), sees how often it was
opened, and may revoke it at any time. A revoked or expired link answers 410
(:class:`GoneError`), an unknown one 404; neither says more.

Guessing is hopeless (2²⁵⁶ secrets) and is made noisy: every failed opening — an unknown
secret, a wrong access code — is counted in the sign-in rate limiter's table (per link and
per address) and, past the limit, refused for a while (:class:`RateLimitedError`); a wrong
access code is written to the audit log. Opening a link that works counts a view.

The page a link opens checks each credential again, live (revoked, suspended, expired and a
recognition withdrawn show at once): :func:`open_share` returns the items with their reports.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.adapters.db.repositories import accounts as attempts
from credstack.adapters.db.repositories import wallet_collections as collection_store
from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.adapters.db.repositories import wallet_shares as share_store
from credstack.adapters.db.repositories.wallet_collections import StoredCollection
from credstack.adapters.db.repositories.wallet_shares import StoredShare
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.accounts.lockout import ACCOUNT_FAILURES, IP_FAILURES, WINDOW, retry_after
from credstack.core.activity.events import Channel, Kind
from credstack.core.verification import VerificationReport
from credstack.errors import (
    AccessCodeError,
    GoneError,
    InputError,
    KeyStoreError,
    NotFoundError,
    Problem,
    RateLimitedError,
)
from credstack.services import access as refusals
from credstack.services import accounts as hashing
from credstack.services import audit, certificates, counting
from credstack.services.runtime import Runtime
from credstack.services.wallet.collections import owned_collection
from credstack.services.wallet.credentials import recheck_all
from credstack.services.wallet.holders import wallet_owner
from credstack.services.wallet.items import WalletItem, issued_here, item_of, not_held, owned_row

__all__ = ["CreatedShare", "OpenedShare", "ShareView", "create_share", "issued_credential",
           "list_shares", "open_share", "revoke_share", "shared_certificate",
           "shared_original"]

#: The longest a link may live, and the access code's length limits.
MAX_DAYS: Final = 3_650
MIN_CODE: Final = 4
MAX_CODE: Final = 100
MAX_LABEL: Final = 200
MAX_SHARES: Final = 500
#: What the rate limiter's table names a link's failures by, and unknown secrets'.
_KEY: Final = "share:{}"
_UNKNOWN: Final = "share:unknown"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ShareView:
    """One of the owner's links (never its secret)."""

    public_id: str
    label: str
    #: ``credential`` or ``collection``, and its wallet id and title.
    kind: str
    target: str
    title: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    views: int
    last_viewed_at: dt.datetime | None
    has_access_code: bool
    #: The secret, for its owner to see the link again (``/s/<token>``); None for a link
    #: whose secret cannot be derived again (made under another master key, or at random
    #: before links were derived).
    token: str | None = None
    #: A credential's title in each language it has (language tag to text), for a page to
    #: name it in the reader's language; empty for a collection (its name is ``title``).
    titles: Mapping[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str | None:
        return f"/s/{self.token}" if self.token else None

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    def to_dict(self, now: dt.datetime) -> dict[str, Any]:
        def stamp(moment: dt.datetime | None) -> str | None:
            return moment.isoformat().replace("+00:00", "Z") if moment else None

        return {"id": self.public_id, "label": self.label, "type": self.kind,
                "target": self.target, "title": self.title, "state": self.state(now),
                "created_at": stamp(self.created_at), "expires_at": stamp(self.expires_at),
                "revoked_at": stamp(self.revoked_at), "views": self.views,
                "last_viewed_at": stamp(self.last_viewed_at),
                "access_code": self.has_access_code}


@dataclass(frozen=True, slots=True)
class CreatedShare:
    view: ShareView
    #: The secret, shown this once: the link is ``/s/<token>``.
    token: str

    @property
    def path(self) -> str:
        return f"/s/{self.token}"


@dataclass(frozen=True, slots=True)
class OpenedShare:
    """What a link shows: whose it is, and each credential checked now."""

    label: str
    holder_name: str
    kind: str
    title: str
    description: str
    items: tuple[tuple[WalletItem, VerificationReport], ...]
    expires_at: dt.datetime | None
    #: The items this platform issued to the holder: those whose PDF certificate the link gives.
    certified: frozenset[str] = frozenset()


#: What the key that derives the links' secrets is derived for (HKDF's info).
_LINK_KEY: Final = b"credstack wallet share links v1"


def _secret(key: bytes, row: StoredShare) -> str:
    """The secret of the link ``row``: HMAC-SHA-256 of its id, owner and moment of creation
    under ``key`` (the links' key), in base64url."""
    message = f"{row.id}:{row.user_id}:{row.created_at.astimezone(dt.UTC).isoformat()}".encode()
    return base64.urlsafe_b64encode(hmac.digest(key, message, "sha256")).rstrip(b"=").decode()


def _links_key(runtime: Runtime) -> bytes | None:
    try:
        return runtime.key().derive(_LINK_KEY)
    except KeyStoreError:
        return None


def _view(session: Session, row: StoredShare, key: bytes | None = None) -> ShareView:
    if row.credential_id is not None:
        public_id, filename, entry = wallet_store.titled(session, row.credential_id)
        titles = entry.get("title") or {}
        kind, target = "credential", public_id
        title = next(iter(titles.values()), filename or public_id)
    else:
        titles = {}
        assert row.collection_id is not None
        group = collection_store.collection(session, row.collection_id)
        assert group is not None
        kind, target, title = "collection", group.public_id, group.name
    token = _secret(key, row) if key is not None else None
    return ShareView(row.token_hash[:16], row.label, kind, target, str(title), row.created_at,
                     row.expires_at, row.revoked_at, row.views,
                     row.last_viewed_at, row.access_code_hash is not None,
                     token if token is not None and _digest(token) == row.token_hash
                     else None, {str(tag): str(text) for tag, text in titles.items()})


def create_share(runtime: Runtime, *, actor: Actor, credential: str | None = None,
                 collection: str | None = None, label: str = "",
                 expires_in_days: int | None = None, access_code: str | None = None
                 ) -> CreatedShare:
    """A new link to one of the caller's credentials or collections (exactly one)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    problems = []
    if (credential is None) == (collection is None):
        problems.append(Problem("target", "name one credential or one collection"))
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        problems.append(Problem("expires_in_days", f"1 to {MAX_DAYS} days"))
    code = (access_code or "").strip() or None
    if code is not None and not MIN_CODE <= len(code) <= MAX_CODE:
        problems.append(Problem("access_code", f"{MIN_CODE} to {MAX_CODE} characters"))
    if len(label) > MAX_LABEL:
        problems.append(Problem("label", f"at most {MAX_LABEL} characters"))
    if problems:
        raise InputError(code="wallet.refused.share_invalid",
                         problems=problems)
    now = runtime.now()
    key = _links_key(runtime)
    with runtime.transaction() as session:
        if share_store.count(session, principal.user_id) >= MAX_SHARES:
            raise InputError(code="wallet.refused.too_many_shares",
                             params={"max_shares": MAX_SHARES})
        credential_row = (owned_row(session, principal.user_id, credential)
                          if credential is not None else None)
        collection_row = (owned_collection(session, principal.user_id, collection)
                          if collection is not None else None)
        # The secret depends on the row's id: a random one holds its place until it has one
        # (and stays, without a master key to derive it).
        token = secrets.token_urlsafe(32)
        row = share_store.add(
            session, token_hash=_digest(token), user_id=principal.user_id,
            credential_id=credential_row.id if credential_row else None,
            collection_id=collection_row.id if collection_row else None,
            label=label.strip(), access_code_hash=hashing.hash_password(
                code, memory_kib=runtime.settings.password_memory_kib) if code else None,
            at=now,
            expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None)
        if key is not None:
            token = _secret(key, row)
            row = share_store.set_token(session, row.id, _digest(token))
        view = _view(session, row, key)
        for shared in _shared_ids(session, credential_row, collection_row):
            # Credentials of ours in the link: their issuers' view counts a share.
            counting.count_in(session, credential_id=shared, kind=Kind.SHARED, at=now,
                              channel=Channel.SHARE)
        audit.record(session, at=now, actor=principal.subject, action="wallet.share.created",
                     subject=view.public_id,
                     details={"type": view.kind, "target": view.target,
                              "expires": expires_in_days, "access_code": code is not None})
        return CreatedShare(view, token)


def list_shares(runtime: Runtime, *, actor: Actor) -> list[ShareView]:
    """The caller's links, newest first."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.sessions() as session:
        rows = share_store.of_user(session, principal.user_id)
        key = _links_key(runtime)
        return [_view(session, row, key) for row in rows]


def _owned_share(session: Session, user_id: int, public_id: str) -> StoredShare:
    if len(public_id) != 16 or any(c not in "0123456789abcdef" for c in public_id):
        raise NotFoundError(code="wallet.refused.no_share", params={"public_id": public_id})
    row = share_store.owned(session, user_id=user_id, public_id=public_id)
    if row is None:
        raise NotFoundError(code="wallet.refused.no_share", params={"public_id": public_id})
    return row


def revoke_share(runtime: Runtime, *, actor: Actor, public_id: str) -> ShareView:
    """Revoke one of the caller's links: from now on it answers 410."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        row = _owned_share(session, principal.user_id, public_id)
        if row.revoked_at is None:
            row = share_store.revoke(session, row.id, at=now)
            audit.record(session, at=now, actor=principal.subject,
                         action="wallet.share.revoked", subject=public_id, details={})
        session.flush()
        return _view(session, row)


def _limited(session: Session, *, key: str | None, ip: str, now: dt.datetime) -> None:
    """Refuse while the link ``key`` (None: an unknown secret, counted per address only, so
    that nobody's guessing locks out everybody) or the address has failed too often."""
    since = now - WINDOW
    checks = [(IP_FAILURES, attempts.recent_failures(session, ip=ip, since=since,
                                                     limit=IP_FAILURES))]
    if key is not None:
        checks.append((ACCOUNT_FAILURES, attempts.recent_failures(
            session, key=key, since=since, limit=ACCOUNT_FAILURES)))
    for limit, failures in checks:
        wait = retry_after([attempts.utc(at) for at in failures], limit=limit, now=now)
        if wait is not None:
            raise RateLimitedError(
                code="wallet.refused.too_many_share_attempts",
                params={"wait": wait}, retry_after=wait)


def _fail(runtime: Runtime, *, key: str, ip: str, error: Exception,
          audited: str | None = None) -> Exception:
    """Count a failed opening (in its own transaction: the request fails) and give the error."""
    now = runtime.now()
    with runtime.transaction() as session:
        attempts.record_attempt(session, key=key, ip=ip, at=now, succeeded=False)
        if audited is not None:
            refusals.audit_refused(runtime, session, at=now, actor="anonymous",
                                    action="wallet.share.refused", subject=audited, ip=ip,
                                    details={"ip": ip, "reason": "access code"})
    return error


def _admitted(runtime: Runtime, *, token: str, access_code: str | None, ip: str
              ) -> StoredShare:
    """The link ``/s/<token>``'s share when it may be opened now with ``access_code``: not
    revoked nor expired, the code right where it asks for one; failures counted."""
    now = runtime.now()
    digest = _digest(token) if 20 <= len(token) <= 100 else None
    with runtime.transaction() as session:
        row = share_store.by_token(session, digest) if digest else None
        _limited(session, key=_KEY.format(row.token_hash[:16]) if row else None, ip=ip,
                 now=now)
    if row is None:
        raise _fail(runtime, key=_UNKNOWN, ip=ip, error=NotFoundError(
            code="wallet.refused.share_unknown"))
    public_id = row.token_hash[:16]
    expires_at = row.expires_at
    if row.revoked_at is not None or (expires_at is not None and expires_at <= now):
        raise GoneError(code="wallet.refused.share_gone")
    if row.access_code_hash is not None:
        code = (access_code or "").strip()
        if not code:
            raise AccessCodeError(code="wallet.refused.access_code_needed", given=False)
        if not hashing.matches(row.access_code_hash, code,
                               memory_kib=runtime.settings.password_memory_kib):
            raise _fail(runtime, key=_KEY.format(public_id), ip=ip, audited=public_id,
                        error=AccessCodeError(code="wallet.refused.access_code_wrong", given=True))
    return row


def _shown(session: Session, stored: StoredShare) -> tuple[Sequence[str], str, str, str]:
    """The wallet items a share shows, and its kind, title and description."""
    if stored.credential_id is not None:
        return [wallet_store.titled(session, stored.credential_id)[0]], "credential", "", ""
    assert stored.collection_id is not None
    group = collection_store.collection(session, stored.collection_id)
    assert group is not None
    return (collection_store.members(session, group.id), "collection", group.name,
            group.description)


def open_share(runtime: Runtime, *, token: str, access_code: str | None = None,
               ip: str = "unknown") -> OpenedShare:
    """What the link ``/s/<token>`` shows, each credential checked now; counts a view."""
    row = _admitted(runtime, token=token, access_code=access_code, ip=ip)
    with runtime.transaction() as session:
        stored = share_store.viewed(session, row.id, at=runtime.now())
        owner = attempts.user_row(session, stored.user_id)
        assert owner is not None
        public_ids, kind, title, description = _shown(session, stored)
        user_id, holder_name, label = owner.id, owner.display_name, stored.label
        certified = frozenset(public_id for public_id in public_ids
                              if issued_here(session, user_id, public_id) is not None)
    items = tuple(recheck_all(runtime, user_id=user_id, public_ids=public_ids))
    return OpenedShare(label, holder_name, kind, title, description, items, row.expires_at,
                       certified)


def _shared_row(session: Session, row: StoredShare, public_id: str) -> Any:
    """The wallet row of ``public_id`` when the share shows it; else not found (as for a
    credential the link does not show, whatever the holder's wallet holds)."""
    if public_id not in _shown(session, row)[0]:
        raise not_held(public_id)
    return owned_row(session, row.user_id, public_id)


def shared_original(runtime: Runtime, *, token: str, public_id: str,
                    access_code: str | None = None, ip: str = "unknown"
                    ) -> tuple[bytes, WalletItem]:
    """A credential the link shows, byte for byte as its holder keeps it (a download for
    whoever was given the link, to verify it with their own tools)."""
    row = _admitted(runtime, token=token, access_code=access_code, ip=ip)
    with runtime.sessions() as session:
        held = _shared_row(session, row, public_id)
        return bytes(held.original), item_of(session, held)


def shared_certificate(runtime: Runtime, *, token: str, public_id: str, language: str,
                       access_code: str | None = None, ip: str = "unknown"
                       ) -> certificates.CertificatePdf:
    """The signed PDF certificate, in ``language``, of a credential the link shows that this
    platform issued to its holder."""
    row = _admitted(runtime, token=token, access_code=access_code, ip=ip)
    settings = runtime.settings
    with runtime.transaction() as session:
        _shared_row(session, row, public_id)
        credential_id = issued_here(session, row.user_id, public_id)
        if credential_id is None:
            raise not_held(public_id)
        return certificates.certificate_pdf_in_session(
            session, credential_id=credential_id, language=language, secret=runtime.key(),
            public_url=settings.public_url, now=runtime.now(), tsa_url=settings.tsa_url)


def issued_credential(runtime: Runtime, *, public_id: str) -> str | None:
    """The id of the credential this platform issued that the wallet item ``public_id``
    holds, else ``None``: what a verifier given the address of one of its downloads (its PDF
    certificate, its EDC, its file) reads, as that credential's public verification page
    shows it. Nothing else of the wallet is read, and a credential imported from elsewhere is
    never named."""
    with runtime.transaction() as session:
        return wallet_store.issued_here(session, public_id)


def _shared_ids(session: Session, credential: Any, collection: StoredCollection | None
                ) -> list[str]:
    """The credentials' own ids a new link shows (those that name one)."""
    if credential is not None:
        return [credential.credential_id] if credential.credential_id else []
    if collection is None:
        return []
    return collection_store.credential_ids(session, collection.id)
