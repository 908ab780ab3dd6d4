"""The passkeys API: one's own passkeys, and signing in with one (issue 57).

* ``GET /api/me/passkeys`` — the signed-in person's passkeys.
* ``POST /api/me/passkeys/options`` — the options of a registration ceremony, its challenge
  bound to the web session (a session only: an access token registers nothing); ``POST
  /api/me/passkeys`` — the authenticator's answer and a name: the passkey kept (201);
  ``DELETE /api/me/passkeys/{id}`` — removed (204), the account's other sessions, its tokens
  and API client secrets ended with it.
* ``POST /api/passkeys/sign-in/options`` — the options of a sign-in ceremony, bound to this
  browser by the ``credstack_passkey`` cookie (``HttpOnly``, ``SameSite=Strict``, sent only
  back here); ``POST /api/passkeys/sign-in`` — the answer: a web session (the session cookie
  set) and where to go next.
* ``GET``/``PUT /api/organisations/{slug}/passwords`` — whether the organisation's members
  may sign in with a password (``{"allowed": false}``: by passkey or single sign-on only), for
  its administrator.

Both ceremonies' answers are ``PublicKeyCredential`` objects as JSON (``toJSON()``: ids and
binary values in base64url), which ``static/passkeys.js`` sends.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.core.accounts.passkeys import MAX_NAME
from credstack.entrypoints.web.access import (
    SESSION_COOKIE,
    AccessDep,
    client_ip,
    set_session_cookie,
)
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import PathId
from credstack.entrypoints.web.pages.accounts import safe_next
from credstack.errors import AccessDeniedError
from credstack.services.accounts import passkey_sign_in, passkeys, password_policy

router = APIRouter(tags=["accounts"])

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
#: The cookie that binds a sign-in ceremony to the browser that began it.
CEREMONY_COOKIE = "credstack_passkey"
CEREMONY_PATH = "/api/passkeys/sign-in"


class PasskeyPublic(BaseModel):
    id: int
    name: str
    transports: list[str]
    createdAt: str
    lastUsedAt: str | None


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=MAX_NAME * 2)
    #: The ``PublicKeyCredential`` the browser made, as JSON.
    credential: dict[str, Any]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any]
    #: A path on this site to go to once signed in.
    next: str = Field(default="", max_length=2000)


class SignedInPublic(BaseModel):
    #: Where to go now: ``next`` when it is a path on this site, else the person's home.
    next: str


def _session_token(request: Request, access: AccessDep) -> str:
    token = request.cookies.get(SESSION_COOKIE)
    if access.via != "session" or not token:
        access.refuse(AccessDeniedError(
            "Passkeys are registered in a browser signed in to its account, not with an "
            "access token. / パスキーはアカウントにサインインしたブラウザで登録します。"),
            action="passkeys.manage")
    return token


@router.get("/api/me/passkeys", response_model=list[PasskeyPublic])
def my_passkeys(runtime: RuntimeDep, access: AccessDep) -> list[dict[str, Any]]:
    return [p.to_dict() for p in passkeys.list_own(runtime, actor=access)]


@router.post("/api/me/passkeys/options")
def registration_options(request: Request, runtime: RuntimeDep, access: AccessDep,
                         response: Response) -> dict[str, Any]:
    """The ``PublicKeyCredentialCreationOptions`` of a new registration, as JSON."""
    options = passkeys.begin_registration(runtime, actor=access,
                                          session_token=_session_token(request, access))
    response.headers.update(NO_STORE)
    return options


@router.post("/api/me/passkeys", response_model=PasskeyPublic,
             status_code=status.HTTP_201_CREATED)
def register_passkey(body: Registration, request: Request, runtime: RuntimeDep,
                     access: AccessDep) -> dict[str, Any]:
    made = passkeys.finish_registration(
        runtime, actor=access, session_token=_session_token(request, access),
        credential=body.credential, name=body.name, ip=client_ip(request))
    return made.to_dict()


@router.delete("/api/me/passkeys/{passkey_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_passkey(passkey_id: PathId, request: Request, runtime: RuntimeDep,
                   access: AccessDep) -> Response:
    passkeys.remove_own(runtime, actor=access, passkey_id=passkey_id,
                        ip=client_ip(request), keep_session=request.cookies.get(SESSION_COOKIE))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/api/passkeys/sign-in/options")
async def sign_in_options(request: Request, runtime: RuntimeDep) -> Response:
    """The ``PublicKeyCredentialRequestOptions`` of a new sign-in, as JSON; the ceremony is
    bound to this browser by a cookie."""
    ceremony = await run_in_threadpool(passkey_sign_in.begin, runtime)
    answer = JSONResponse(ceremony.options, headers=NO_STORE)
    answer.set_cookie(CEREMONY_COOKIE, ceremony.binding, max_age=300, path=CEREMONY_PATH,
                      httponly=True, samesite="strict",
                      secure=runtime.settings.secure_cookies)
    return answer


@router.post("/api/passkeys/sign-in", response_model=SignedInPublic)
def sign_in(body: SignIn, request: Request, runtime: RuntimeDep, response: Response
            ) -> dict[str, str]:
    """Sign in with the passkey's answer: the session cookie is set."""
    started = passkey_sign_in.finish(runtime, binding=request.cookies.get(CEREMONY_COOKIE, ""),
                                     credential=body.credential, ip=client_ip(request))
    set_session_cookie(response, token=started.token, settings=runtime.settings)
    response.delete_cookie(CEREMONY_COOKIE, path=CEREMONY_PATH)
    response.headers.update(NO_STORE)
    return {"next": safe_next(body.next)}


class PasswordsPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Whether the organisation's members may sign in with a password.
    allowed: bool


@router.get("/api/organisations/{slug}/passwords", response_model=PasswordsPublic)
def organisation_passwords(slug: str, runtime: RuntimeDep, access: AccessDep
                           ) -> dict[str, bool]:
    return {"allowed": password_policy.passwords_allowed(runtime, actor=access,
                                                         organisation=slug)}


@router.put("/api/organisations/{slug}/passwords", response_model=PasswordsPublic)
def set_organisation_passwords(slug: str, body: PasswordsPublic, runtime: RuntimeDep,
                               access: AccessDep) -> dict[str, bool]:
    """Switch passwords off (or on again) for the organisation's members."""
    return {"allowed": password_policy.set_passwords_allowed(
        runtime, actor=access, organisation=slug, allowed=body.allowed)}
