"""The OpenID Connect relying party (OpenID Connect Core 1.0 §3.1, the authorization code
flow; RFC 7636 PKCE; OpenID Connect Discovery 1.0), on authlib's PKCE and id_token claims
(:mod:`credstack.core.sso.oidc`) and credstack's guarded fetching.

:func:`begin` writes nothing: its state is a token credstack signed (a random id, the
provider, when it ends, a MAC under a key derived from the master key), and the nonce and
the PKCE verifier are derived from it, so the provider sees neither the id nor the verifier.
The web adapter keeps the state in a short-lived cookie of the browser that began
(Core §3.1.2.1's binding of the state to the user agent): :func:`finish` refuses a state
that is not the cookie's, forged, expired or spent (each state is spent once, by storing its
id). The code is exchanged at the token endpoint with the client secret and the verifier;
the id_token must verify with the provider's keys and carry this login's nonce.

Each sign-in's subject and the provider's session id (``sid``) are kept with the web session
it made, so that the provider's logout token (OpenID Connect Back-Channel Logout 1.0,
:func:`backchannel_logout`) ends exactly those sessions.

Every refusal is audited (``sso.sign_in.refused``, with its reason) in a transaction of its
own and raised as an :class:`~credstack.errors.AuthenticationRequiredError` whose code
``sso.refused.<reason>`` the page words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from credstack.adapters.db.repositories import sso as store
from credstack.adapters.db.transactions import Session
from credstack.adapters.resolvers import fetch
from credstack.core.sso.oidc import refusal, verify_id_token, verify_logout_token
from credstack.errors import AuthenticationRequiredError, FetchError, InputTooLargeError
from credstack.services import audit
from credstack.services.accounts import SignedIn
from credstack.services.login_states import LoginState
from credstack.services.runtime import Runtime
from credstack.services.sso import documents, identities, providers
from credstack.services.sso.identities import Completed

__all__ = ["STATE_LIFETIME", "Begun", "backchannel_logout", "backchannel_logout_url", "begin",
           "callback_url", "finish"]

STATE_LIFETIME: Final = dt.timedelta(minutes=10)
_STATE_KEY: Final = b"credstack sso state v1"


def callback_url(runtime: Runtime) -> str:
    """The ``redirect_uri`` of every OpenID Connect sign-in."""
    return runtime.settings.public_url.rstrip("/") + "/sso/oidc/callback"


def backchannel_logout_url(runtime: Runtime, slug: str) -> str:
    """The ``backchannel_logout_uri`` the provider ``slug`` is told (Back-Channel Logout
    §2.2): where it posts its logout tokens."""
    return runtime.settings.public_url.rstrip("/") + f"/sso/oidc/{slug}/backchannel-logout"


@dataclass(frozen=True, slots=True)
class Begun:
    """Where the browser goes (the provider's authorization endpoint), and the state it keeps
    until it comes back."""

    redirect: str
    state: str


def _refused(runtime: Runtime, error: AuthenticationRequiredError, *, provider: str,
             ip: str) -> AuthenticationRequiredError:
    audit.record_separately(runtime.sessions, at=runtime.now(), actor="anonymous",
                            action="sso.sign_in.refused", subject=f"sso:{provider}"[:200],
                            details={"reason": error.params.get("reason", "refused"),
                                     "detail": error.params.get("detail", ""), "ip": ip})
    return error


def begin(runtime: Runtime, *, slug: str, ip: str) -> Begun:
    """The redirect to provider ``slug``'s authorization endpoint, with a fresh state."""
    with runtime.transaction() as session:
        row = store.provider_by_slug(session, slug)
        found = (row.id, dict(row.config)) if row is not None and row.enabled \
            and row.kind == "oidc" else None
    if found is None:
        raise _refused(runtime, refusal("provider", slug), provider=slug, ip=ip)
    provider_id, config = found
    try:
        metadata = documents.discovery(runtime, config["issuer"])
    except AuthenticationRequiredError as exc:
        raise _refused(runtime, exc, provider=slug, ip=ip) from None
    ends = int((runtime.now() + STATE_LIFETIME).timestamp())
    state = LoginState.new(_STATE_KEY, provider_id, ends)
    query = urlencode({
        "response_type": "code", "client_id": config["client_id"],
        "redirect_uri": callback_url(runtime),
        "scope": config.get("scopes", providers.DEFAULT_SCOPES),
        "state": state.signed(runtime), "nonce": state.derived(runtime, "nonce"),
        "code_challenge": create_s256_code_challenge(state.derived(runtime, "pkce")),
        "code_challenge_method": "S256"})
    endpoint = metadata["authorization_endpoint"]
    return Begun(f"{endpoint}{'&' if '?' in endpoint else '?'}{query}", state.signed(runtime))


def _exchange(runtime: Runtime, *, metadata: dict[str, Any], slug: str,
              config: dict[str, Any], secret: str | None, code: str, verifier: str
              ) -> dict[str, Any]:
    form = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": callback_url(runtime), "client_id": config["client_id"],
            "code_verifier": verifier}
    if secret:
        form["client_secret"] = providers.unseal_secret(runtime.key(), slug, secret)
    try:
        answer = fetch.post(metadata["token_endpoint"], form=form, limit=documents.LIMIT)
    except (FetchError, InputTooLargeError) as exc:
        raise refusal("token", str(getattr(exc, "message", exc))) from None
    body = answer.json()
    if answer.status != 200 or not isinstance(body, dict) \
            or not isinstance(body.get("id_token"), str):
        error = body.get("error") if isinstance(body, dict) else None
        raise refusal("token", f"HTTP {answer.status} {error or ''}".strip())
    return body


def _claims(runtime: Runtime, *, metadata: dict[str, Any], issuer: str, client_id: str,
            nonce: str, tokens: dict[str, Any]) -> dict[str, Any]:
    """The id_token's claims; the key set is read again once when it lacks the token's key
    (the provider rotated its keys)."""
    jwks_uri = metadata["jwks_uri"]
    access = tokens.get("access_token") if isinstance(tokens.get("access_token"), str) else None
    try:
        return verify_id_token(tokens["id_token"],
                               key_set=documents.document(runtime, jwks_uri, "token"),
                               issuer=issuer, client_id=client_id, nonce=nonce,
                               now=runtime.now(), access_token=access)
    except AuthenticationRequiredError as exc:
        if exc.params.get("reason") != "unknown-key":
            raise
    return verify_id_token(tokens["id_token"],
                           key_set=documents.document(runtime, jwks_uri, "token", fresh=True),
                           issuer=issuer, client_id=client_id, nonce=nonce, now=runtime.now(),
                           access_token=access)


def finish(runtime: Runtime, *, state: str, kept_state: str | None, code: str | None,
           error: str | None, ip: str) -> Completed:
    """The provider's answer, checked; the sign-in completed (:func:`identities.complete`)."""
    read = LoginState.read(runtime, _STATE_KEY, state) if state and len(state) <= 200 else None
    slug = "unknown"
    try:
        if read is None:
            raise refusal("state", "not a state credstack made")
        with runtime.transaction() as session:
            row = store.provider(session, read.ref)
            if row is not None:
                slug = row.slug
            found = (row.slug, dict(row.config), row.secret) \
                if row is not None and row.enabled and row.kind == "oidc" else None
        if not kept_state or not hmac.compare_digest(kept_state.encode(), state.encode()):
            raise refusal("state-cookie")
        if runtime.now().timestamp() >= read.ends:
            raise refusal("state", "expired")
        with runtime.transaction() as session:
            if not store.spend_state(session, state_id=read.id, at=runtime.now()):
                raise refusal("state", "used already")
        if found is None:
            raise refusal("provider")
        slug, config, secret = found
        if error or not code:
            raise refusal("denied", (error or "no code")[:100])
        metadata = documents.discovery(runtime, config["issuer"])
        tokens = _exchange(runtime, metadata=metadata, slug=slug, config=config, secret=secret,
                           code=code, verifier=read.derived(runtime, "pkce"))
        claims = _claims(runtime, metadata=metadata, issuer=config["issuer"],
                         client_id=config["client_id"], nonce=read.derived(runtime, "nonce"),
                         tokens=tokens)
    except AuthenticationRequiredError as exc:
        raise _refused(runtime, exc, provider=slug, ip=ip) from None
    provider_id = read.ref
    sid = claims.get("sid") if isinstance(claims.get("sid"), str) else None

    def noted(session: Session, signed_in: SignedIn) -> None:
        store.add_oidc_session(session, provider_id=provider_id, subject=claims["sub"],
                               sid=sid, token=signed_in.token, at=runtime.now())

    return identities.complete(runtime, provider_id=provider_id, issuer=claims["iss"],
                               subject=claims["sub"], attributes=claims, ip=ip, then=noted)


def backchannel_logout(runtime: Runtime, *, slug: str, logout_token: str, ip: str) -> int:
    """The provider's logout token (Back-Channel Logout §2.5-2.7), checked
    (:func:`credstack.core.sso.oidc.verify_logout_token`, its ``jti`` spent once): the web
    sessions its sign-ins made in that ``sid`` (or of that ``sub``) end, ``sso.logout`` one
    entry a person; how many people. Every refusal is audited (``sso.logout.refused``) and
    raised as ``sso.refused.<reason>``."""
    try:
        with runtime.transaction() as session:
            row = store.provider_by_slug(session, slug)
            found = (row.id, dict(row.config)) if row is not None and row.enabled \
                and row.kind == "oidc" else None
        if found is None:
            raise refusal("provider", slug)
        provider_id, config = found
        if not logout_token or len(logout_token) > 16_000:
            raise refusal("malformed", "logout_token")
        metadata = documents.discovery(runtime, config["issuer"])
        try:
            token = verify_logout_token(
                logout_token, key_set=documents.document(runtime, metadata["jwks_uri"], "token"),
                issuer=config["issuer"], client_id=config["client_id"], now=runtime.now())
        except AuthenticationRequiredError as exc:
            if exc.params.get("reason") != "unknown-key":
                raise
            token = verify_logout_token(
                logout_token,
                key_set=documents.document(runtime, metadata["jwks_uri"], "token", fresh=True),
                issuer=config["issuer"], client_id=config["client_id"], now=runtime.now())
        spent = hashlib.sha256(f"oidc-logout {token.issuer} {token.jti}".encode()).hexdigest()
        now = runtime.now()
        with runtime.transaction() as session:
            if not store.spend_state(session, state_id=spent, at=now):
                raise refusal("replayed", f"jti {token.jti[:80]}")
            users = store.oidc_logout(session, provider_id=provider_id, subject=token.sub,
                                      sid=token.sid, at=now)
            for user in users:
                audit.record(session, at=now, actor=f"sso:{slug}", action="sso.logout",
                             subject=f"user:{user}",
                             details={"provider": slug, "sid": token.sid or "", "ip": ip,
                                      "protocol": "oidc"})
            return len(users)
    except AuthenticationRequiredError as exc:
        audit.record_separately(runtime.sessions, at=runtime.now(), actor="anonymous",
                                action="sso.logout.refused", subject=f"sso:{slug}"[:200],
                                details={"reason": exc.params.get("reason", "refused"),
                                         "detail": exc.params.get("detail", ""), "ip": ip,
                                         "message": "logout_token"})
        raise
