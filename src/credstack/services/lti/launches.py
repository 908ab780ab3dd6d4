"""An LTI 1.3 launch, the tool's side: the OIDC third-party-initiated login (LTI Core 1.3
§5.1.1, OpenID Connect Core §4) answered with a redirect to the platform's authorization
endpoint carrying a fresh ``state`` and ``nonce``; then the launch itself, whose ``state``
must be the one the browser that started the login holds (the web adapter keeps it in a
short-lived cookie, OpenID Connect Core §3.1.2.1's binding of the state to the user agent,
so that a launch made for one browser cannot be posted from another), is used once, and
whose id_token must carry that login's ``nonce`` and pass
:func:`credstack.core.lti.launches.verify_id_token` against the platform's key set
(:mod:`.platform_keys`).

The login writes nothing: its state is a token credstack signed (:mod:`..login_states`: a random
id, the platform, when it ends, a MAC under a key derived from the key store's master key),
and the nonce is derived from it. The launch spends the state by storing its id — a second
launch with it finds the id taken — in the one transaction that stores the verified launch,
audits it and, for a resource link, notes on the course link what the launch taught it
(only what changed). A launch whose id_token is refused spends its state too.

Every accepted launch is audited (``lti.launch``), every refusal too
(``lti.launch.refused``, with the reason), in a transaction of its own.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from credstack.adapters.db.repositories import lti as lti_store
from credstack.adapters.db.repositories.lti import StoredLaunch
from credstack.adapters.db.transactions import Session
from credstack.core.lti.launches import DEEP_LINKING, Launch, key_id, refusal, verify_id_token
from credstack.core.lti.messages import LINK_PARAMETER
from credstack.errors import AuthenticationRequiredError, ConflictError, KeyStoreError
from credstack.services import audit
from credstack.services.login_states import LoginState
from credstack.services.lti import platform_keys
from credstack.services.runtime import Runtime
from credstack.words import kept_words, problem_words

#: How long the page a launch opened may act on it.
LAUNCH_LIFETIME: Final = dt.timedelta(hours=8)
#: How long a login's state may wait for its launch: seconds, or minutes for a slow LMS.
STATE_LIFETIME: Final = dt.timedelta(minutes=10)
_STATE_KEY: Final = b"credstack lti state v1"

__all__ = ["LAUNCH_LIFETIME", "STATE_LIFETIME", "Login", "Verified", "fresh", "launch",
           "launch_url", "login", "login_origin", "stored_launch"]


def launch_url(runtime: Runtime) -> str:
    """Where platforms post launches (the ``redirect_uri`` of every login)."""
    return runtime.settings.public_url.rstrip("/") + "/lti/launch"


def _refused(runtime: Runtime, error: AuthenticationRequiredError, *, issuer: str,
             details: dict[str, Any]) -> AuthenticationRequiredError:
    reason = error.problems[0].rule.removeprefix("lti-") if error.problems else "refused"
    audit.record_separately(runtime.sessions, at=runtime.now(), actor=f"lti:{issuer}"[:200],
                            action="lti.launch.refused", subject=f"lti:{issuer}"[:200],
                            details={"reason": reason, "message": problem_words(
                                error.problems[0], "en") if error.problems
                                else kept_words(error), **details})
    return error


@dataclass(frozen=True, slots=True)
class Login:
    """Where the browser goes next: the platform's authorization endpoint, and the state
    the browser must keep until it posts the launch."""

    redirect: str
    state: str


def login(runtime: Runtime, *, issuer: str, login_hint: str, target_link_uri: str,
          lti_message_hint: str | None = None, client_id: str | None = None) -> Login:
    """Answer a platform's login initiation: the redirect made with a signed state and its
    nonce (nothing stored)."""
    now = runtime.now()
    with runtime.sessions() as session:
        platform = lti_store.platform_by_issuer(session, issuer, client_id)
        facts = (platform.id, platform.client_id, platform.login_url) if platform else None
    if facts is None or not login_hint:
        raise _refused(runtime, refusal("platform", f"{issuer} {client_id or ''}".strip()),
                       issuer=issuer, details={"step": "login",
                                               "target_link_uri": target_link_uri[:500]})
    platform_id, platform_client, login_url = facts
    state = LoginState.new(_STATE_KEY, platform_id, int((now + STATE_LIFETIME).timestamp()))
    signed = state.signed(runtime)
    query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
             "prompt": "none", "client_id": platform_client, "redirect_uri": launch_url(runtime),
             "login_hint": login_hint, "state": signed, "nonce": state.derived(runtime, "nonce")}
    if lti_message_hint:
        query["lti_message_hint"] = lti_message_hint
    separator = "&" if "?" in login_url else "?"
    return Login(login_url + separator + urlencode(query), signed)


@dataclass(frozen=True, slots=True)
class Verified:
    """A launch that passed every check: its claims, and the id of the stored launch the
    page that answers it carries."""

    launch: Launch
    public_id: str
    organisation_id: int
    platform_id: int
    #: For a resource link launch, the course link it opened (None: not credstack's).
    link: str | None = None
    created_at: dt.datetime | None = None


def _issuer_of(runtime: Runtime, state: LoginState | None) -> str:
    """The issuer of the platform ``state`` was made for (for the audit log), if any."""
    if state is None:
        return "unknown"
    with runtime.sessions() as session:
        platform = lti_store.platform(session, state.ref)
    return platform.issuer if platform is not None else "unknown"


def _spent(session: Session, state: LoginState, nonce: str, *, now: dt.datetime) -> None:
    """Store ``state``'s id as used (ConflictError when it was used already)."""
    lti_store.spend_state(session, state=state.id, nonce=nonce[:64],
                          platform_id=state.ref, at=now)


def _spend(runtime: Runtime, state: LoginState, nonce: str, *, now: dt.datetime) -> bool:
    """:func:`_spent` in a transaction of its own; False when it was used already."""
    try:
        with runtime.transaction() as session:
            _spent(session, state, nonce, now=now)
    except ConflictError:
        return False
    return True


def _noted(session: Session, claims: Launch, platform_id: int) -> str | None:
    """The course link a resource link launch opened, noting on it what the launch says of
    it (its resource link id, its services' URLs) when that changed."""
    return lti_store.note_launch(session, public_id=claims.custom.get(LINK_PARAMETER) or "",
                                 platform_id=platform_id,
                                 resource_link_id=claims.resource_link_id,
                                 memberships_url=claims.memberships_url,
                                 lineitems_url=claims.lineitems_url)

def launch(runtime: Runtime, *, id_token: str, state: str, browser_state: str | None
           ) -> Verified:
    """Verify a launch (see the module); the stored launch. ``browser_state`` is the state
    the posting browser kept from its login (``None`` when it kept none)."""
    now = runtime.now()
    signed = LoginState.read(runtime, _STATE_KEY, state) if state else None
    # Checked before the state is spent: a launch posted from another browser must not
    # use up the login of the browser it was made for.
    if not state or browser_state is None or not secrets.compare_digest(
            browser_state.encode(), state.encode()):
        raise _refused(runtime, refusal("state-cookie"), issuer=_issuer_of(runtime, signed),
                       details={"step": "launch", "state_cookie": "absent"
                                if browser_state is None else "different"})
    if signed is None or signed.ends < now.timestamp():
        raise _refused(runtime, refusal("state"), issuer=_issuer_of(runtime, signed),
                       details={"step": "launch"})
    nonce = signed.derived(runtime, "nonce")
    with runtime.sessions() as session:
        platform = lti_store.platform(session, signed.ref)
    if platform is None:
        raise _refused(runtime, refusal("state"), issuer="unknown", details={"step": "launch"})
    issuer, client_id, jwks_url, organisation_id, platform_state = (
        platform.issuer, platform.client_id, platform.jwks_url, platform.organisation_id,
        platform.state)
    deployments = set(platform.deployments)
    try:
        if platform_state != "active":
            raise refusal("platform", "not approved yet")
        keys = platform_keys.key_set(runtime, url=jwks_url, kid=key_id(id_token))
        claims = verify_id_token(id_token, jwks=keys, issuer=issuer, client_id=client_id,
                                 nonce=nonce, deployments=deployments, now=now)
    except AuthenticationRequiredError as error:
        # A state is worth one launch, accepted or not.
        spent = _spend(runtime, signed, nonce, now=now)
        raise _refused(runtime, error if spent else refusal("state"), issuer=issuer,
                       details={"step": "launch", "platform": signed.ref}) from None
    verified = Launch.of(claims)
    public_id = secrets.token_urlsafe(32)
    try:
        with runtime.transaction() as session:
            # First, so that a replayed state writes nothing else.
            _spent(session, signed, nonce, now=now)
            lti_store.add_launch(session, public_id=public_id, platform_id=signed.ref,
                                 claims=claims, at=now)
            audit.record(session, at=now, actor=f"lti:{issuer}#{verified.subject}"[:200],
                         action="lti.launch", subject=f"lti-platform:{signed.ref}",
                         details={"message_type": verified.message_type,
                                  "context": verified.context_id,
                                  "resource_link": verified.resource_link_id,
                                  "deployment": verified.deployment_id})
            link = (None if verified.message_type == DEEP_LINKING
                    else _noted(session, verified, signed.ref))
    except ConflictError:
        raise _refused(runtime, refusal("state"), issuer=issuer,
                       details={"step": "launch", "platform": signed.ref}) from None
    return Verified(verified, public_id, organisation_id, signed.ref, link, now)


def login_origin(runtime: Runtime, *, state: str) -> str | None:
    """The origin of the authorization endpoint of the platform ``state`` was signed for
    (where the LMS's window that keeps it in its storage lives), if credstack signed it
    (None also without the key store's master key, which signs states)."""
    try:
        signed = LoginState.read(runtime, _STATE_KEY, state)
    except KeyStoreError:
        return None
    if signed is None:
        return None
    with runtime.sessions() as session:
        platform = lti_store.platform(session, signed.ref)
    if platform is None:
        return None
    parts = urlsplit(platform.login_url)
    return f"{parts.scheme}://{parts.netloc}"


def fresh(runtime: Runtime, row: StoredLaunch) -> None:
    """Refuse a launch older than :data:`LAUNCH_LIFETIME`."""
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    if runtime.now() - created > LAUNCH_LIFETIME:
        raise refusal("state", "the launch is over 8 hours old: open the link in the LMS again")



def stored_launch(session: Session, public_id: str) -> tuple[StoredLaunch, Launch]:
    """A launch stored by :func:`launch` (the page's capability); refused when unknown."""
    row = lti_store.stored_launch(session, public_id)
    if row is None:
        raise refusal("state", "unknown launch")
    return row, Launch.of(row.claims)
