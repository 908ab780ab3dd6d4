"""The account API: who is calling, their API clients and password, organisations' members,
and the users administrators look after.

* ``GET /api/me`` — who the credentials belong to; ``POST /api/me/password`` — a new
  password (the current one with it; a signed-in user's own, not an access token's).
* ``/api/me/clients`` — the signed-in user's API clients (create: the secret is shown once;
  ``DELETE …/{client_id}`` revokes; ``POST …/{client_id}/secret`` issues a new secret,
  shown once, when a password change or a disabled account ended the old one, or at will).
* ``/api/organisations/{slug}/members`` — an organisation's users and roles
  (``accounts:manage``: its provider admin, or a registry admin).
* ``/api/organisations/{slug}/invitations`` — its pending invitations; ``POST`` invites an
  address to a role (201; the link is answered once and e-mailed; a pending invitation of the
  address is renewed), ``DELETE …/{id}`` revokes one (204).
* ``/api/users`` — every user (registry admins); ``POST /api/users/{email}/disable`` and
  ``…/enable`` (registry admins); ``PUT /api/users/{email}/password`` sets a password and
  ``POST /api/users/{email}/password-reset`` makes a one-time reset link, for whoever may
  look after that user (a registry admin, or the provider admin of all their organisations).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.core.access import Role
from credstack.core.accounts.passwords import MAX_PASSWORD
from credstack.entrypoints.web.access import SESSION_COOKIE, AccessDep, client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import PathId
from credstack.services.accounts import clients, passwords
from credstack.services.accounts import service as accounts
from credstack.services.workspace import members

router = APIRouter(tags=["accounts"])

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


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
    #: When the secret stopped working (a password changed, the account disabled) until
    #: its owner issues a new one; None while it works.
    secret_ended_at: str | None


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


class UserPublic(BaseModel):
    user_id: int
    email: str
    display_name: str
    disabled: bool
    totp_enabled: bool
    memberships: list[MembershipPublic]


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=MAX_PASSWORD)
    new_password: str = Field(max_length=MAX_PASSWORD + 1)


class PasswordSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(max_length=MAX_PASSWORD + 1)


class ResetLinkPublic(BaseModel):
    #: Shown once: credstack keeps only the token's hash. Hand it to the user.
    reset_url: str
    expires_at: str


def _memberships(user: accounts.User) -> list[MembershipPublic]:
    return [MembershipPublic(organisation=m.organisation, role=m.role)
            for m in sorted(user.memberships, key=lambda m: (m.organisation, m.role.value))]


def _user_public(user: accounts.User) -> UserPublic:
    return UserPublic(user_id=user.id, email=user.email, display_name=user.display_name,
                      disabled=user.disabled, totp_enabled=user.totp_enabled,
                      memberships=_memberships(user))


def _client_public(client: clients.ApiClient) -> dict[str, Any]:
    return {"client_id": client.client_id, "name": client.name,
            "scopes": sorted(client.scopes), "created_at": client.created_at.isoformat(),
            "revoked_at": client.revoked_at.isoformat() if client.revoked_at else None,
            "secret_ended_at": client.secret_ended_at.isoformat()
            if client.secret_ended_at else None}


# --- the caller's own account ----------------------------------------------------------------


@router.get("/api/me", response_model=MePublic)
def me(runtime: RuntimeDep, access: AccessDep) -> MePublic:
    found = accounts.me(runtime, actor=access)
    principal, user = found.principal, found.user
    return MePublic(
        subject=principal.subject, user_id=principal.user_id, email=principal.email,
        display_name=user.display_name if user else None,
        totp_enabled=user.totp_enabled if user else None,
        memberships=[MembershipPublic(organisation=m.organisation, role=m.role)
                     for m in sorted(principal.memberships,
                                     key=lambda m: (m.organisation, m.role.value))],
        scopes=sorted(principal.scopes) if principal.scopes is not None else None)


@router.post("/api/me/password", status_code=status.HTTP_204_NO_CONTENT)
def change_my_password(body: PasswordChange, request: Request, runtime: RuntimeDep,
                       access: AccessDep) -> Response:
    passwords.change_password(runtime, actor=access, current_password=body.current_password,
                              new_password=body.new_password, ip=client_ip(request),
                              keep_session=request.cookies.get(SESSION_COOKIE))
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=NO_STORE)


@router.get("/api/me/clients", response_model=list[ClientPublic])
def my_clients(runtime: RuntimeDep, access: AccessDep) -> list[dict[str, Any]]:
    return [_client_public(c) for c in clients.list_own_clients(runtime, actor=access)]


@router.post("/api/me/clients", response_model=NewClientPublic,
             status_code=status.HTTP_201_CREATED)
def create_my_client(body: ClientCreate, runtime: RuntimeDep, access: AccessDep,
                     response: Response) -> dict[str, Any]:
    created = clients.add_own_client(runtime, actor=access, name=body.name,
                                     scopes=body.scopes)
    response.headers.update(NO_STORE)
    return {**_client_public(created.client), "client_secret": created.secret}


@router.post("/api/me/clients/{client_id}/secret", response_model=NewClientPublic,
             status_code=status.HTTP_201_CREATED)
def renew_my_client_secret(client_id: str, runtime: RuntimeDep, access: AccessDep,
                           response: Response) -> dict[str, Any]:
    renewed = clients.renew_own_secret(runtime, actor=access, client_id=client_id)
    response.headers.update(NO_STORE)
    return {**_client_public(renewed.client), "client_secret": renewed.secret}


@router.delete("/api/me/clients/{client_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_my_client(client_id: str, runtime: RuntimeDep, access: AccessDep) -> Response:
    clients.revoke_own_client(runtime, actor=access, client_id=client_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- organisations' members ------------------------------------------------------------------


@router.get("/api/organisations/{slug}/members", response_model=list[MemberPublic])
def list_members(slug: str, runtime: RuntimeDep, access: AccessDep) -> list[MemberPublic]:
    return [MemberPublic(user_id=user.id, email=user.email, display_name=user.display_name,
                         role=role)
            for user, role in accounts.list_members(runtime, actor=access, organisation=slug)]


@router.post("/api/organisations/{slug}/members", response_model=MemberPublic,
             status_code=status.HTTP_201_CREATED)
def add_member(slug: str, body: MemberCreate, runtime: RuntimeDep, access: AccessDep
               ) -> MemberPublic:
    user = accounts.add_role(runtime, actor=access, email=body.email, organisation=slug,
                             role=body.role)
    return MemberPublic(user_id=user.id, email=user.email, display_name=user.display_name,
                        role=body.role)


@router.delete("/api/organisations/{slug}/members/{email}/{role}",
               status_code=status.HTTP_204_NO_CONTENT)
def remove_member(slug: str, email: str, role: Role, runtime: RuntimeDep, access: AccessDep
                  ) -> Response:
    accounts.remove_role(runtime, actor=access, email=email, organisation=slug, role=role)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- invitations ----------------------------------------------------------------------------


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)
    role: Role
    language: Literal["ja", "en"] = Field("ja", description="The invitation e-mail's.")


class InvitationPublic(BaseModel):
    id: int
    email: str
    role: Role
    invited_by: str
    created_at: str
    expires_at: str


class NewInvitationPublic(InvitationPublic):
    #: Answered once (credstack keeps only the token's hash); also e-mailed to the address.
    invitation_url: str
    renewed: bool


def _invitation_public(invitation: members.Invitation) -> dict[str, Any]:
    return {"id": invitation.id, "email": invitation.email, "role": invitation.role,
            "invited_by": invitation.invited_by,
            "created_at": invitation.created_at.isoformat(),
            "expires_at": invitation.expires_at.isoformat()}


@router.get("/api/organisations/{slug}/invitations", response_model=list[InvitationPublic])
def list_invitations(slug: str, runtime: RuntimeDep, access: AccessDep
                     ) -> list[InvitationPublic]:
    roster = members.roster(runtime, actor=access, organisation=slug)
    return [InvitationPublic(**_invitation_public(i)) for i in roster.invitations]


@router.post("/api/organisations/{slug}/invitations", response_model=NewInvitationPublic,
             status_code=status.HTTP_201_CREATED)
def invite(slug: str, body: InvitationCreate, runtime: RuntimeDep, access: AccessDep
           ) -> JSONResponse:
    made = members.invite(runtime, actor=access, organisation=slug, email=body.email,
                          role=body.role, language=body.language)
    public = NewInvitationPublic(**_invitation_public(made.invitation),
                                 invitation_url=made.url, renewed=made.renewed)
    return JSONResponse(public.model_dump(mode="json"), status_code=status.HTTP_201_CREATED,
                        headers=NO_STORE)


@router.delete("/api/organisations/{slug}/invitations/{invitation_id}",
               status_code=status.HTTP_204_NO_CONTENT)
def revoke_invitation(slug: str, invitation_id: PathId,
                      runtime: RuntimeDep, access: AccessDep) -> Response:
    members.revoke_invitation(runtime, actor=access, organisation=slug,
                              invitation_id=invitation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- users, for the administrators who look after them --------------------------------------


@router.get("/api/users", response_model=list[UserPublic])
def list_users(runtime: RuntimeDep, access: AccessDep) -> list[UserPublic]:
    return [_user_public(user) for user in accounts.list_users(runtime, actor=access)]


@router.post("/api/users/{email}/disable", response_model=UserPublic)
def disable_user(email: str, runtime: RuntimeDep, access: AccessDep) -> UserPublic:
    return _user_public(accounts.set_disabled(runtime, actor=access, email=email,
                                              disabled=True))


@router.post("/api/users/{email}/enable", response_model=UserPublic)
def enable_user(email: str, runtime: RuntimeDep, access: AccessDep) -> UserPublic:
    return _user_public(accounts.set_disabled(runtime, actor=access, email=email,
                                              disabled=False))


@router.put("/api/users/{email}/password", status_code=status.HTTP_204_NO_CONTENT)
def set_password(email: str, body: PasswordSet, runtime: RuntimeDep, access: AccessDep
                 ) -> Response:
    passwords.set_password(runtime, actor=access, email=email, password=body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=NO_STORE)


@router.post("/api/users/{email}/password-reset", response_model=ResetLinkPublic,
             status_code=status.HTTP_201_CREATED)
def reset_password(email: str, runtime: RuntimeDep, access: AccessDep, response: Response
                   ) -> ResetLinkPublic:
    link = passwords.start_reset(runtime, actor=access, email=email)
    response.headers.update(NO_STORE)
    return ResetLinkPublic(reset_url=link.url, expires_at=link.expires_at.isoformat())
