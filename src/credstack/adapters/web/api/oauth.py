"""OAuth 2.0 for API clients, and the account API.

* ``POST /oauth/token`` — the client credentials grant (RFC 6749 §4.4). The client
  authenticates with HTTP Basic (``client_id:client_secret``, each form-urlencoded, §2.3.1)
  or with the form fields ``client_id`` and ``client_secret`` — not both. ``scope``
  (space-separated, optional) narrows the token below the client's allowed scopes. Errors are
  RFC 6749 §5.2 JSON (``invalid_request``, ``invalid_client`` 401, ``unsupported_grant_type``,
  ``invalid_scope``); every answer carries ``Cache-Control: no-store``.
* ``POST /oauth/revoke`` — token revocation (RFC 7009): 200 whether or not the token was
  known, once the client has authenticated.
* ``GET /api/me`` — who the credentials belong to; ``/api/me/clients`` — the signed-in
  user's API clients (create: the secret is shown once; ``DELETE …/{client_id}`` revokes).
* ``/api/organisations/{slug}/members`` — an organisation's users and roles
  (``accounts:manage``: its provider admin, or a registry admin).
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.adapters.web.access import AccessDep, client_ip
from credstack.adapters.web.dependencies import NowDep, SessionDep
from credstack.core.access import Action, Role
from credstack.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    InputError,
)
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.settings import Settings

router = APIRouter(tags=["accounts"])

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


# --- OAuth 2.0 ---------------------------------------------------------------------------


def _oauth_error(code: str, description: str, *, status_code: int = 400,
                 basic: bool = False) -> JSONResponse:
    headers = dict(NO_STORE)
    if status_code == 401:
        headers["WWW-Authenticate"] = 'Basic realm="credstack"' if basic else \
            'Basic realm="credstack", error="invalid_client"'
    return JSONResponse({"error": code, "error_description": description},
                        status_code=status_code, headers=headers)


class _ClientCredentials:
    """The client's id and secret from HTTP Basic or the form, or the reason they are not."""

    def __init__(self, request: Request, form_id: str | None, form_secret: str | None) -> None:
        self.basic = False
        self.problem: str | None = None
        self.client_id = ""
        self.secret = ""
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, encoded = header.strip().partition(" ")
            if scheme.lower() != "basic":
                self.problem = "Client authentication uses HTTP Basic or the form fields."
                return
            self.basic = True
            try:
                decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                self.problem = "The Basic credentials are not base64 of id:secret."
                return
            client_id, colon, secret = decoded.partition(":")
            if not colon:
                self.problem = "The Basic credentials are not base64 of id:secret."
                return
            if form_id is not None or form_secret is not None:
                self.problem = "Use one client authentication method, not two."
                return
            self.client_id, self.secret = unquote_plus(client_id), unquote_plus(secret)
        elif form_id and form_secret is not None:
            self.client_id, self.secret = form_id, form_secret
        else:
            self.problem = "The client did not authenticate."


FormText = Annotated[str | None, Form()]


@router.post("/oauth/token", summary="OAuth 2.0 token endpoint (client credentials grant)")
def token(request: Request, session: SessionDep, now: NowDep,
          grant_type: FormText = None, scope: FormText = None, client_id: FormText = None,
          client_secret: FormText = None) -> Response:
    settings: Settings = request.app.state.settings
    if not grant_type:
        return _oauth_error("invalid_request", "grant_type is required.")
    if grant_type != "client_credentials":
        return _oauth_error("unsupported_grant_type",
                            "Only the client_credentials grant is supported.")
    client = _ClientCredentials(request, client_id, client_secret)
    if client.problem is not None:
        return _oauth_error("invalid_client", client.problem, status_code=401,
                            basic=client.basic)
    try:
        issued = accounts.issue_token(session, client_id=client.client_id,
                                      secret=client.secret, scope=scope, settings=settings,
                                      now=now)
    except AuthenticationRequiredError as exc:
        audit.record_separately(
            request.app.state.sessions, at=now, actor="anonymous", action="token.refused",
            subject=f"client:{client.client_id[:64]}",
            details={"reason": exc.message, "ip": client_ip(request)})
        return _oauth_error("invalid_client", exc.message, status_code=401, basic=client.basic)
    except InputError as exc:
        return _oauth_error("invalid_scope", exc.message)
    audit.record(session, at=now, actor=f"client:{client.client_id}", action="token.issued",
                 subject=f"client:{client.client_id}",
                 details={"scope": issued.scope, "expires_in": issued.expires_in,
                          "ip": client_ip(request)})
    return JSONResponse({"access_token": issued.access_token, "token_type": "Bearer",
                         "expires_in": issued.expires_in, "scope": issued.scope},
                        headers=NO_STORE)


@router.post("/oauth/revoke", summary="OAuth 2.0 token revocation (RFC 7009)")
def revoke(request: Request, session: SessionDep, now: NowDep, token: FormText = None,
           token_type_hint: FormText = None, client_id: FormText = None,
           client_secret: FormText = None) -> Response:
    client = _ClientCredentials(request, client_id, client_secret)
    if client.problem is not None:
        return _oauth_error("invalid_client", client.problem, status_code=401,
                            basic=client.basic)
    if not token:
        return _oauth_error("invalid_request", "token is required.")
    try:
        accounts.revoke_token(session, client_id=client.client_id, secret=client.secret,
                              token=token, now=now)
    except AuthenticationRequiredError as exc:
        return _oauth_error("invalid_client", exc.message, status_code=401, basic=client.basic)
    audit.record(session, at=now, actor=f"client:{client.client_id}", action="token.revoked",
                 subject=f"client:{client.client_id}", details={"ip": client_ip(request)})
    return Response(status_code=200, headers=NO_STORE)


# --- the account API -----------------------------------------------------------------------


class MembershipPublic(BaseModel):
    organisation: str
    role: Role


class MePublic(BaseModel):
    subject: str
    user_id: int | None
    email: str | None
    display_name: str | None
    totp_enabled: bool | None
    memberships: list[MembershipPublic]
    #: The token's scopes; None when signed in on the web (every scope the roles allow).
    scopes: list[str] | None


class ClientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="API client", max_length=200)
    scopes: list[str] = Field(min_length=1, max_length=32)


class ClientPublic(BaseModel):
    client_id: str
    name: str
    scopes: list[str]
    created_at: str
    revoked_at: str | None


class NewClientPublic(ClientPublic):
    #: Shown once: credstack keeps only its hash.
    client_secret: str


class MemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)
    role: Role


class MemberPublic(BaseModel):
    user_id: int
    email: str
    display_name: str
    role: Role


def _client_public(client: accounts.ApiClient) -> dict[str, Any]:
    return {"client_id": client.client_id, "name": client.name,
            "scopes": sorted(client.scopes), "created_at": client.created_at.isoformat(),
            "revoked_at": client.revoked_at.isoformat() if client.revoked_at else None}


@router.get("/api/me", response_model=MePublic)
def me(access: AccessDep, session: SessionDep) -> MePublic:
    principal = access.user()
    user = accounts.user_by_id(session, principal.user_id) if principal.user_id else None
    return MePublic(
        subject=principal.subject, user_id=principal.user_id, email=principal.email,
        display_name=user.display_name if user else None,
        totp_enabled=user.totp_enabled if user else None,
        memberships=[MembershipPublic(organisation=m.organisation, role=m.role)
                     for m in sorted(principal.memberships,
                                     key=lambda m: (m.organisation, m.role.value))],
        scopes=sorted(principal.scopes) if principal.scopes is not None else None)


def _web_user(access: AccessDep) -> int:
    principal = access.user()
    if access.via != "session" or principal.user_id is None:
        access.refuse(AccessDeniedError(
            "API clients are managed by their signed-in owner (or with the credstack "
            "command), not with an access token. / "
            "API クライアントはサインインした本人が管理します。"),
            action="clients.manage")
    assert principal.user_id is not None
    return principal.user_id


@router.get("/api/me/clients", response_model=list[ClientPublic])
def my_clients(access: AccessDep, session: SessionDep) -> list[dict[str, Any]]:
    principal = access.user()
    if principal.user_id is None:
        return []
    return [_client_public(c) for c in accounts.clients(session, user_id=principal.user_id)]


@router.post("/api/me/clients", response_model=NewClientPublic,
             status_code=status.HTTP_201_CREATED)
def create_my_client(body: ClientCreate, access: AccessDep, session: SessionDep, now: NowDep,
                     response: Response) -> dict[str, Any]:
    user_id = _web_user(access)
    created = accounts.create_client(session, user_id=user_id, name=body.name,
                                     scopes=body.scopes, now=now)
    audit.record(session, at=now, actor=f"user:{user_id}", action="client.created",
                 subject=f"client:{created.client.client_id}",
                 details={"scopes": sorted(created.client.scopes)})
    response.headers.update(NO_STORE)
    return {**_client_public(created.client), "client_secret": created.secret}


@router.delete("/api/me/clients/{client_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_my_client(client_id: str, access: AccessDep, session: SessionDep, now: NowDep
                     ) -> Response:
    user_id = _web_user(access)
    accounts.revoke_client(session, client_id=client_id, user_id=user_id, now=now)
    audit.record(session, at=now, actor=f"user:{user_id}", action="client.revoked",
                 subject=f"client:{client_id}", details={})
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/organisations/{slug}/members", response_model=list[MemberPublic])
def list_members(slug: str, access: AccessDep, session: SessionDep) -> list[MemberPublic]:
    access.require(Action.ACCOUNTS_MANAGE, slug)
    return [MemberPublic(user_id=user.id, email=user.email, display_name=user.display_name,
                         role=role)
            for user, role in accounts.members(session, organisation=slug)]


def _grantable(access: AccessDep, slug: str, role: Role) -> None:
    principal = access.require(Action.ACCOUNTS_MANAGE, slug)
    # A registry admin is one everywhere: only another registry admin makes one.
    if role is Role.REGISTRY_ADMIN and not principal.has_role(Role.REGISTRY_ADMIN):
        access.refuse(AccessDeniedError(
            "Only a registry admin grants or removes the registry-admin role. / "
            "レジストリ管理者の役割はレジストリ管理者だけが付与・削除できます。"),
            action=Action.ACCOUNTS_MANAGE.value, organisation=slug)


@router.post("/api/organisations/{slug}/members", response_model=MemberPublic,
             status_code=status.HTTP_201_CREATED)
def add_member(slug: str, body: MemberCreate, access: AccessDep, session: SessionDep,
               now: NowDep) -> MemberPublic:
    _grantable(access, slug, body.role)
    user = accounts.add_membership(session, email=body.email, organisation=slug,
                                   role=body.role, now=now)
    audit.record(session, at=now, actor=_actor(access), action="membership.added",
                 subject=user.subject, details={"organisation": slug, "role": body.role.value})
    return MemberPublic(user_id=user.id, email=user.email, display_name=user.display_name,
                        role=body.role)


@router.delete("/api/organisations/{slug}/members/{email}/{role}",
               status_code=status.HTTP_204_NO_CONTENT)
def remove_member(slug: str, email: str, role: Role, access: AccessDep, session: SessionDep,
                  now: NowDep) -> Response:
    _grantable(access, slug, role)
    user = accounts.remove_membership(session, email=email, organisation=slug, role=role)
    audit.record(session, at=now, actor=_actor(access), action="membership.removed",
                 subject=user.subject, details={"organisation": slug, "role": role.value})
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _actor(access: AccessDep) -> str:
    return access.principal.subject if access.principal is not None else "anonymous"
