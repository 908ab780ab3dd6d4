"""An LTI 1.3 launch, the tool's side: the OIDC third-party-initiated login (LTI Core 1.3
§5.1.1, OpenID Connect Core §4) answered with a redirect to the platform's authorization
endpoint carrying a fresh ``state`` and ``nonce``; then the launch itself, whose ``state``
must be the one the browser that started the login holds (the web adapter keeps it in a
short-lived cookie, OpenID Connect Core §3.1.2.1's binding of the state to the user agent,
so that a launch made for one browser cannot be posted from another), is used once (it is
spent before the id_token is even read) and whose id_token must carry that login's
``nonce`` and pass :func:`credstack.core.lti.launches.verify_id_token` against
the platform's key set (:mod:`.platform_keys`).

Every accepted launch is audited (``lti.launch``), every refusal too
(``lti.launch.refused``, with the reason), in a transaction of its own.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.lti import (
    LtiDeploymentRow,
    LtiLaunchRow,
    LtiLoginRow,
    LtiPlatformRow,
)
from credstack.core.lti.launches import Launch, key_id, refusal, verify_id_token
from credstack.errors import AuthenticationRequiredError
from credstack.services import audit
from credstack.services.lti import platform_keys
from credstack.services.runtime import Runtime

#: How long the page a launch opened may act on it.
LAUNCH_LIFETIME: Final = dt.timedelta(hours=8)

__all__ = ["LAUNCH_LIFETIME", "Login", "Verified", "fresh", "launch", "launch_url", "login",
           "stored_launch"]


def launch_url(runtime: Runtime) -> str:
    """Where platforms post launches (the ``redirect_uri`` of every login)."""
    return runtime.settings.public_url.rstrip("/") + "/lti/launch"


def _refused(runtime: Runtime, error: AuthenticationRequiredError, *, issuer: str,
             details: dict[str, Any]) -> AuthenticationRequiredError:
    reason = error.problems[0].rule.removeprefix("lti-") if error.problems else "refused"
    audit.record_separately(runtime.sessions, at=runtime.now(), actor=f"lti:{issuer}"[:200],
                            action="lti.launch.refused", subject=f"lti:{issuer}"[:200],
                            details={"reason": reason, "message": error.problems[0].message
                                     if error.problems else error.message, **details})
    return error


@dataclass(frozen=True, slots=True)
class Login:
    """Where the browser goes next: the platform's authorization endpoint, and the state
    the browser must keep until it posts the launch."""

    redirect: str
    state: str


def _platform(session: Session, issuer: str, client_id: str | None) -> LtiPlatformRow | None:
    query = select(LtiPlatformRow).where(LtiPlatformRow.issuer == issuer.rstrip("/"),
                                         LtiPlatformRow.state == "active")
    if client_id:
        query = query.where(LtiPlatformRow.client_id == client_id)
    rows = session.scalars(query.limit(2)).all()
    return rows[0] if len(rows) == 1 else None


def login(runtime: Runtime, *, issuer: str, login_hint: str, target_link_uri: str,
          lti_message_hint: str | None = None, client_id: str | None = None) -> Login:
    """Answer a platform's login initiation: a state and nonce stored, the redirect made."""
    now = runtime.now()
    with runtime.transaction() as session:
        platform = _platform(session, issuer, client_id)
        if platform is None or not login_hint:
            error = refusal("platform", f"{issuer} {client_id or ''}".strip())
        else:
            state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            session.add(LtiLoginRow(state=state, nonce=nonce, platform_id=platform.id,
                                    created_at=now))
            query = {"scope": "openid", "response_type": "id_token", "response_mode":
                     "form_post", "prompt": "none", "client_id": platform.client_id,
                     "redirect_uri": launch_url(runtime), "login_hint": login_hint,
                     "state": state, "nonce": nonce}
            if lti_message_hint:
                query["lti_message_hint"] = lti_message_hint
            separator = "&" if "?" in platform.login_url else "?"
            return Login(platform.login_url + separator + urlencode(query), state)
    raise _refused(runtime, error, issuer=issuer,
                   details={"step": "login", "target_link_uri": target_link_uri[:500]})


@dataclass(frozen=True, slots=True)
class Verified:
    """A launch that passed every check: its claims, and the id of the stored launch the
    page that answers it carries."""

    launch: Launch
    public_id: str
    organisation_id: int
    platform_id: int


def _issuer_of(runtime: Runtime, state: str) -> str:
    """The issuer of the platform whose login ``state`` is (for the audit log), if any."""
    with runtime.sessions() as session:
        return session.scalar(select(LtiPlatformRow.issuer).join(
            LtiLoginRow, LtiLoginRow.platform_id == LtiPlatformRow.id).where(
            LtiLoginRow.state == state[:64])) or "unknown"


def launch(runtime: Runtime, *, id_token: str, state: str, browser_state: str | None
           ) -> Verified:
    """Verify a launch (see the module); the stored launch. ``browser_state`` is the state
    the posting browser kept from its login (``None`` when it kept none)."""
    now = runtime.now()
    # Checked before the state is spent: a launch posted from another browser must not
    # use up the login of the browser it was made for.
    if not state or browser_state is None or not secrets.compare_digest(
            browser_state.encode(), state.encode()):
        raise _refused(runtime, refusal("state-cookie"), issuer=_issuer_of(runtime, state),
                       details={"step": "launch", "state_cookie": "absent"
                                if browser_state is None else "different"})
    with runtime.transaction() as session:
        # Spent at once, whatever follows: a state is worth one launch.
        spent = session.execute(update(LtiLoginRow).where(
            LtiLoginRow.state == state, LtiLoginRow.used_at.is_(None)).values(used_at=now))
        login_row = session.scalar(select(LtiLoginRow).where(LtiLoginRow.state == state))
        platform = session.get(LtiPlatformRow, login_row.platform_id) if login_row else None
        deployments = set(session.scalars(select(LtiDeploymentRow.deployment_id).where(
            LtiDeploymentRow.platform_id == (platform.id if platform else -1))))
        facts = (platform.issuer, platform.client_id, platform.jwks_url, platform.id,
                 platform.organisation_id, platform.state) if platform else None
    if getattr(spent, "rowcount", 0) != 1 or login_row is None or facts is None:
        raise _refused(runtime, refusal("state"), issuer="unknown", details={"step": "launch"})
    issuer, client_id, jwks_url, platform_id, organisation_id, platform_state = facts
    try:
        if platform_state != "active":
            raise refusal("platform", "not approved yet")
        keys = platform_keys.key_set(runtime, url=jwks_url, kid=key_id(id_token))
        claims = verify_id_token(id_token, jwks=keys, issuer=issuer, client_id=client_id,
                                 nonce=login_row.nonce, deployments=deployments, now=now)
    except AuthenticationRequiredError as error:
        raise _refused(runtime, error, issuer=issuer,
                       details={"step": "launch", "platform": platform_id}) from None
    verified = Launch.of(claims)
    public_id = secrets.token_urlsafe(32)
    with runtime.transaction() as session:
        session.add(LtiLaunchRow(public_id=public_id, platform_id=platform_id, claims=claims,
                                 created_at=now))
        audit.record(session, at=now, actor=f"lti:{issuer}#{verified.subject}"[:200],
                     action="lti.launch", subject=f"lti-platform:{platform_id}",
                     details={"message_type": verified.message_type,
                              "context": verified.context_id,
                              "resource_link": verified.resource_link_id,
                              "deployment": verified.deployment_id})
    return Verified(verified, public_id, organisation_id, platform_id)


def fresh(runtime: Runtime, row: LtiLaunchRow) -> None:
    """Refuse a launch older than :data:`LAUNCH_LIFETIME`."""
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    if runtime.now() - created > LAUNCH_LIFETIME:
        raise refusal("state", "the launch is over 8 hours old: open the link in the LMS again")



def stored_launch(session: Session, public_id: str) -> tuple[LtiLaunchRow, Launch]:
    """A launch stored by :func:`launch` (the page's capability); refused when unknown."""
    row = session.scalar(select(LtiLaunchRow).where(LtiLaunchRow.public_id == public_id))
    if row is None:
        raise refusal("state", "unknown launch")
    return row, Launch.of(row.claims)
