"""The LMSs an organisation registers credstack with: by hand (the fields the LMS showed
when credstack was added to it) or by LTI Dynamic Registration 1.0 (the LMS's OpenID
configuration read, the tool's registration posted, then approved by one of the
organisation's administrators before any launch is accepted). Each change is audited.

Dynamic Registration starts only from a registration URL an administrator of the
organisation made (:func:`make_registration_token`, ``/lti/register/{slug}/{token}``): its
token is random, kept as its SHA-256 only, valid for :data:`TOKEN_LIFETIME` and spent by the
first registration that presents it — before credstack fetches anything from the LMS, and
whatever comes of it. The LMS's configuration and registration endpoint are reached through
the guarded fetcher (:mod:`credstack.adapters.resolvers.fetch`: public addresses only, size
and time limits, no redirect). A refused registration (an unknown, used or expired token, or
an unknown organisation) is audited ``lti.registration.refused`` and counted: after
:data:`ADDRESS_REFUSALS` from one address, or :data:`ORGANISATION_REFUSALS` for one
organisation, within :data:`~credstack.core.accounts.lockout.WINDOW`, registrations are
refused at once (429, nothing fetched, nothing written) until the oldest leaves the window
— audited once, ``lti.registration.limited``, when the limit is reached, not once per
attempt beyond it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import accounts as attempts
from credstack.adapters.db.repositories import lti as lti_store
from credstack.adapters.db.repositories import lti_registrations as tokens_store
from credstack.adapters.db.repositories.lti import StoredPlatform
from credstack.adapters.db.repositories.lti_registrations import RegistrationToken
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.transactions import Session
from credstack.adapters.resolvers import fetch
from credstack.core.access import Action, Actor
from credstack.core.accounts.lockout import WINDOW, retry_after
from credstack.core.lti import registration as dr
from credstack.errors import (
    AccessDeniedError,
    ConflictError,
    CredstackError,
    FetchError,
    InputError,
    NotFoundError,
    Problem,
    RateLimitedError,
)
from credstack.services import access as refusals
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.words import kept_words

__all__ = ["ADDRESS_REFUSALS", "ORGANISATION_REFUSALS", "TOKEN_LIFETIME", "MadeToken",
           "PlatformForm", "RegistrationToken", "StoredPlatform", "approve",
           "make_registration_token", "platforms", "register", "register_dynamic",
           "registration_tokens"]

_URL_FIELDS: Final = ("login_url", "token_url", "jwks_url")
#: How long a registration URL holds once made.
TOKEN_LIFETIME: Final = dt.timedelta(hours=24)
#: Refused registrations within the window after which an address, or an organisation, is
#: refused at once until the oldest leaves it.
ADDRESS_REFUSALS: Final = 10
ORGANISATION_REFUSALS: Final = 30


@dataclass(frozen=True, slots=True)
class PlatformForm:
    """A registration as an administrator enters it."""

    name: str
    issuer: str
    client_id: str
    login_url: str
    token_url: str
    jwks_url: str
    deployments: tuple[str, ...]


def _checked(form: PlatformForm) -> PlatformForm:
    problems = []
    for name in ("name", "issuer", "client_id"):
        if not getattr(form, name).strip():
            problems.append(Problem(name, code="lti.refused.required"))
    for name in ("issuer", *_URL_FIELDS):
        value = getattr(form, name).strip()
        if value and not value.startswith(("https://", "http://")):
            problems.append(Problem(name, code="lti.refused.https_url"))
    if not [d for d in form.deployments if d.strip()]:
        problems.append(Problem("deployments", code="lti.refused.deployment_needed"))
    if problems:
        raise InputError(code="lti.refused.registration_incomplete",
                         problems=problems)
    return PlatformForm(form.name.strip(), form.issuer.strip().rstrip("/") or form.issuer,
                        form.client_id.strip(), form.login_url.strip(), form.token_url.strip(),
                        form.jwks_url.strip(),
                        tuple(dict.fromkeys(d.strip() for d in form.deployments if d.strip())))


def _store(session: Session, organisation: str, form: PlatformForm, *, source: str,
           state: str, now: dt.datetime) -> StoredPlatform:
    """The platform stored (refused when its issuer and client id are registered already)."""
    try:
        return lti_store.add_platform(
            session, organisation_id=existing_row(session, organisation).id, name=form.name,
            issuer=form.issuer, client_id=form.client_id, login_url=form.login_url,
            token_url=form.token_url, jwks_url=form.jwks_url, source=source, state=state,
            deployments=form.deployments, at=now)
    except ConflictError:
        raise _conflict(form) from None


def _conflict(form: PlatformForm) -> ConflictError:
    return ConflictError(code="lti.refused.registered_already",
                         params={"issuer": form.issuer, "client_id": form.client_id},
                         problems=[Problem("client_id", code="lti.refused.registered_hint")])


def register(runtime: Runtime, *, actor: Actor, organisation: str, form: PlatformForm
             ) -> StoredPlatform:
    """Register an LMS by hand for ``organisation`` (active at once)."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    form = _checked(form)
    now = runtime.now()
    with runtime.transaction() as session:
        row = _store(session, organisation, form, source="hand", state="active",
                     now=now)
        audit.record(session, at=now, actor=principal.subject,
                     action="lti.platform.registered", subject=f"lti-platform:{row.id}",
                     details={"organisation": organisation, "issuer": form.issuer,
                              "client_id": form.client_id, "source": "hand",
                              "deployments": list(form.deployments)})
        return row


def _json(answer: fetch.Answer, what: str) -> object:
    document = answer.json()
    if answer.status >= 400 or document is None:
        raise InputError(code="lti.refused.lms_http_status",
                         params={"what": what, "status": answer.status},
                         problems=[Problem(what, answer.body[:200].decode("utf-8", "replace"))])
    return document


@dataclass(frozen=True, slots=True)
class MadeToken:
    """A registration URL just made (shown this once: only its token's digest is kept)."""

    url: str
    token: RegistrationToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_registration_token(runtime: Runtime, *, actor: Actor, organisation: str) -> MadeToken:
    """A new registration URL for ``organisation``'s LMS administrator to give the LMS (the
    tool's "registration URL"), valid :data:`TOKEN_LIFETIME`, used once; audited."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    secret = secrets.token_urlsafe(32)
    now = runtime.now()
    with runtime.transaction() as session:
        made = tokens_store.add_registration_token(
            session, organisation_id=existing_row(session, organisation).id,
            token_hash=_digest(secret), created_by=principal.email or principal.subject,
            at=now,
            expires_at=now + TOKEN_LIFETIME)
        audit.record(session, at=now, actor=principal.subject,
                     action="lti.registration-token.made",
                     subject=f"lti-registration-token:{made.id}",
                     details={"organisation": organisation,
                              "expires_at": made.expires_at.isoformat()})
    base = runtime.settings.public_url.rstrip("/")
    return MadeToken(f"{base}/lti/register/{organisation}/{secret}", made)


def registration_tokens(runtime: Runtime, *, actor: Actor, organisation: str
                        ) -> list[RegistrationToken]:
    """The organisation's newest registration URLs (made, until, used, the LMS registered)."""
    actor.require(Action.ORGANISATION_UPDATE, organisation)
    with runtime.sessions() as session:
        return tokens_store.registration_tokens(session, existing_row(session, organisation).id)


def _key(organisation: str) -> str:
    """What the rate limiter's table names an organisation's registrations by."""
    return f"lti-register:{organisation}"[:320]


def _limited(runtime: Runtime, *, organisation: str, ip: str, now: dt.datetime) -> None:
    """Refuse at once while the address or the organisation is past its refusals."""
    since = now - WINDOW
    with runtime.sessions() as session:
        checks = [(ADDRESS_REFUSALS, attempts.recent_failures(
                      session, ip=ip, since=since, limit=ADDRESS_REFUSALS)),
                  (ORGANISATION_REFUSALS, attempts.recent_failures(
                      session, key=_key(organisation), since=since,
                      limit=ORGANISATION_REFUSALS))]
    for limit, failures in checks:
        wait = retry_after([attempts.utc(at) for at in failures], limit=limit, now=now)
        if wait is not None:
            raise RateLimitedError(
                code="lti.refused.too_many_registrations", params={"wait": wait}, retry_after=wait)


def _refuse(runtime: Runtime, *, organisation: str, ip: str, now: dt.datetime,
            reason: str) -> AccessDeniedError:
    """Count and audit a refused registration (in a transaction of its own: the request
    fails); the limit reached by it audited once. The error to raise."""
    since = now - WINDOW
    with runtime.transaction() as session:
        attempts.record_attempt(session, key=_key(organisation), ip=ip, at=now,
                                succeeded=False)
        refusals.audit_refused(runtime, session, at=now, actor="anonymous",
                               action="lti.registration.refused",
                               subject=f"organisation:{organisation[:200]}", ip=ip,
                               details={"organisation": organisation[:200], "ip": ip,
                                        "reason": reason})
        for limit, by, failures in (
                (ADDRESS_REFUSALS, "address", attempts.recent_failures(
                    session, ip=ip, since=since, limit=ADDRESS_REFUSALS + 1)),
                (ORGANISATION_REFUSALS, "organisation", attempts.recent_failures(
                    session, key=_key(organisation), since=since,
                    limit=ORGANISATION_REFUSALS + 1))):
            if len(failures) == limit:
                audit.record(session, at=now, actor="anonymous",
                             action="lti.registration.limited",
                             subject=f"organisation:{organisation[:200]}",
                             details={"organisation": organisation[:200], "ip": ip, "by": by,
                                      "refusals": limit})
    return AccessDeniedError(
        code="lti.refused.registration_url_unusable")


def register_dynamic(runtime: Runtime, *, organisation: str, token: str,
                     configuration_url: str, registration_token: str | None,
                     ip: str = "unknown") -> StoredPlatform:
    """LTI Dynamic Registration for ``organisation`` with its registration URL's ``token``
    (see the module: spent first, refusals limited): read the LMS's OpenID configuration,
    post the tool's registration, store the platform as ``pending`` (an administrator of the
    organisation approves it in the workspace); nothing launches until the approval."""
    now = runtime.now()
    _limited(runtime, organisation=organisation, ip=ip, now=now)
    with runtime.transaction() as session:
        try:
            owner = existing_row(session, organisation)
        except NotFoundError:
            owner = None
        token_id, why = (tokens_store.spend_registration_token(
            session, organisation_id=owner.id, token_hash=_digest(token), at=now)
            if owner is not None else (None, "unknown-organisation"))
        owner_name = owner and (owner.name.get("en") or owner.name.get("ja"))
    if token_id is None:
        raise _refuse(runtime, organisation=organisation, ip=ip, now=now, reason=why)
    try:
        return _registered(runtime, organisation=organisation, token_id=token_id,
                           owner_name=owner_name or organisation,
                           configuration_url=configuration_url,
                           registration_token=registration_token, now=now)
    except CredstackError as failed:
        refusals.audit_refused_separately(
            runtime, at=now, actor="anonymous", action="lti.registration.refused",
            subject=f"organisation:{organisation}", ip=ip,
            details={"organisation": organisation, "ip": ip, "reason": "lms",
                     "message": kept_words(failed)[:500]})
        raise


def _registered(runtime: Runtime, *, organisation: str, token_id: int, owner_name: str,
                configuration_url: str, registration_token: str | None, now: dt.datetime
                ) -> StoredPlatform:
    try:
        body = fetch.fetch_bytes(configuration_url, limit=256 * 1024)
        config = dr.platform_configuration(json.loads(body or b"null"), url=configuration_url)
        headers = {"Authorization": f"Bearer {registration_token}"} if registration_token \
            else {}
        answer = fetch.post(config.registration_url, headers=headers,
                            json_body=dr.tool_registration(
                                public_url=runtime.settings.public_url,
                                organisation=organisation, name=f"credstack ({owner_name})"))
    except (FetchError, ValueError) as exc:
        raise InputError(code="lti.refused.registration_unreadable",
                         params={"reason": str(getattr(exc, "message", exc))}) from None
    done = dr.registered(_json(answer, "registration"))
    form = PlatformForm(config.product, config.issuer, done.client_id, config.login_url,
                        config.token_url, config.jwks_url,
                        (done.deployment_id,) if done.deployment_id else ())
    with runtime.transaction() as session:
        row = _store(session, organisation, form, source="dynamic", state="pending",
                     now=now)
        tokens_store.token_registered(session, token_id, row.id)
        audit.record(session, at=now, actor=f"lti:{config.issuer}",
                     action="lti.platform.registered", subject=f"lti-platform:{row.id}",
                     details={"organisation": organisation, "issuer": config.issuer,
                              "client_id": done.client_id, "source": "dynamic",
                              "token": token_id, "deployments": list(form.deployments)})
        return row


def platforms(runtime: Runtime, *, actor: Actor, organisation: str) -> list[StoredPlatform]:
    """The organisation's LMS registrations, pending ones first."""
    actor.require(Action.ORGANISATION_UPDATE, organisation)
    with runtime.sessions() as session:
        owner = existing_row(session, organisation)
        return lti_store.organisation_platforms(session, owner.id)


def approve(runtime: Runtime, *, actor: Actor, organisation: str, platform_id: int
            ) -> StoredPlatform:
    """Approve a dynamic registration: launches from the LMS are accepted from now on."""
    principal = actor.require(Action.ORGANISATION_UPDATE, organisation)
    now = runtime.now()
    with runtime.transaction() as session:
        owner = existing_row(session, organisation)
        row = lti_store.platform(session, platform_id)
        if row is None or row.organisation_id != owner.id:
            raise NotFoundError(code="lti.refused.no_registration",
                                params={"platform_id": platform_id, "organisation": organisation})
        row = lti_store.set_platform_state(session, platform_id, "active")
        audit.record(session, at=now, actor=principal.subject, action="lti.platform.approved",
                     subject=f"lti-platform:{row.id}",
                     details={"organisation": organisation, "issuer": row.issuer})
        return row
