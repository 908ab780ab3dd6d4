"""The LMSs an organisation registers credstack with: by hand (the fields the LMS showed
when credstack was added to it) or by LTI Dynamic Registration 1.0 (the LMS's OpenID
configuration read, the tool's registration posted, then approved by one of the
organisation's administrators before any launch is accepted). Each change is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Final

from credstack.adapters.db.repositories import lti as lti_store
from credstack.adapters.db.repositories.lti import StoredPlatform
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.transactions import Session
from credstack.adapters.resolvers import fetch
from credstack.core.access import Action, Actor
from credstack.core.lti import registration as dr
from credstack.errors import ConflictError, FetchError, InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["PlatformForm", "StoredPlatform", "approve", "platforms", "register",
           "register_dynamic"]

_URL_FIELDS: Final = ("login_url", "token_url", "jwks_url")


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
            problems.append(Problem(name, "required", "必須です"))
    for name in ("issuer", *_URL_FIELDS):
        value = getattr(form, name).strip()
        if value and not value.startswith(("https://", "http://")):
            problems.append(Problem(name, "an https URL", "https の URL"))
    if not [d for d in form.deployments if d.strip()]:
        problems.append(Problem("deployments", "at least one deployment id",
                                "デプロイメント ID を 1 つ以上"))
    if problems:
        raise InputError("The LMS registration is incomplete. / LMS の登録内容が不完全です。",
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
    return ConflictError(f"{form.issuer} with client id {form.client_id} is registered "
                         "already. / この LMS とクライアント ID は登録済みです。",
                         problems=[Problem("client_id", "registered already", "登録済み")])


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
        raise InputError(f"The LMS answered {what} with HTTP {answer.status}. / LMS が "
                         f"{what} に HTTP {answer.status} を返しました。",
                         problems=[Problem(what, answer.body[:200].decode("utf-8", "replace"))])
    return document


def register_dynamic(runtime: Runtime, *, organisation: str, configuration_url: str,
                     registration_token: str | None) -> StoredPlatform:
    """LTI Dynamic Registration for ``organisation``: read the LMS's OpenID configuration,
    post the tool's registration, store the platform as ``pending`` (an administrator of the
    organisation approves it in the workspace). The LMS's administrator starts this from
    the LMS; whoever it is, nothing launches until the approval."""
    now = runtime.now()
    with runtime.transaction() as session:
        owner = existing_row(session, organisation)
        owner_name = owner.name.get("en") or owner.name.get("ja") or organisation
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
        raise InputError(f"The LMS could not be read: {getattr(exc, 'message', exc)} / LMS "
                         "の登録情報を取得できません。") from None
    done = dr.registered(_json(answer, "registration"))
    form = PlatformForm(config.product, config.issuer, done.client_id, config.login_url,
                        config.token_url, config.jwks_url,
                        (done.deployment_id,) if done.deployment_id else ())
    with runtime.transaction() as session:
        row = _store(session, organisation, form, source="dynamic", state="pending",
                     now=now)
        audit.record(session, at=now, actor=f"lti:{config.issuer}",
                     action="lti.platform.registered", subject=f"lti-platform:{row.id}",
                     details={"organisation": organisation, "issuer": config.issuer,
                              "client_id": done.client_id, "source": "dynamic",
                              "deployments": list(form.deployments)})
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
            raise NotFoundError(f"No LMS registration {platform_id} of {organisation}. / "
                                "この LMS 登録はありません。")
        row = lti_store.set_platform_state(session, platform_id, "active")
        audit.record(session, at=now, actor=principal.subject, action="lti.platform.approved",
                     subject=f"lti-platform:{row.id}",
                     details={"organisation": organisation, "issuer": row.issuer})
        return row
