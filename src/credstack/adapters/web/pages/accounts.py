"""The pages of accounts: sign in, sign out, and one's own account (TOTP, API clients).

Plain forms that work without JavaScript. Signing in is protected against login CSRF by a
short-lived cookie (``credstack_signin``, ``SameSite=Lax``) whose value the form repeats:
another site can post the form but cannot read or send that cookie. Every other form here
is cookie-authenticated and carries the session's CSRF token (checked by
:data:`~credstack.adapters.web.access.AccessDep`). Pages about the account are never cached.
``next`` after signing in is followed only to a path on this site.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from credstack.adapters.web import i18n
from credstack.adapters.web.access import (
    SESSION_COOKIE,
    AccessDep,
    clear_session_cookie,
    client_ip,
    set_session_cookie,
)
from credstack.adapters.web.dependencies import NowDep, SessionDep
from credstack.adapters.web.pages.rendering import render
from credstack.core.access import DESCRIPTIONS, PLATFORM, ROLE_NAMES, Action, usable_scopes
from credstack.errors import (
    AuthenticationRequiredError,
    ConflictError,
    InputError,
    RateLimitedError,
)
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.settings import Settings

router = APIRouter(include_in_schema=False)

SIGNIN_COOKIE = "credstack_signin"
NO_STORE = {"Cache-Control": "no-store"}

FormText = Annotated[str, Form()]


def safe_next(value: str | None) -> str:
    """``value`` if it is a path on this site, else ``/account`` (no open redirects)."""
    if (not value or not value.startswith("/") or value.startswith("//")
            or "\\" in value or any(ord(c) < 0x20 for c in value)):
        return "/account"
    return value


def _page(request: Request, template: str, *, status_code: int = 200, **context: Any
          ) -> HTMLResponse:
    response = render(request, template, section="account", status_code=status_code,
                      **context)
    response.headers.update(NO_STORE)
    return response


# --- signing in and out ------------------------------------------------------------------


def _sign_in_page(request: Request, *, status_code: int = 200, email: str = "",
                  next_path: str = "/account", error: str | None = None,
                  retry_after: int | None = None) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    response = _page(request, "sign_in.html", status_code=status_code, email=email,
                     next_path=next_path, error=error, retry_after=retry_after,
                     signin_nonce=nonce)
    settings: Settings = request.app.state.settings
    response.set_cookie(SIGNIN_COOKIE, nonce, max_age=3600, path="/sign-in", httponly=True,
                        samesite="lax", secure=settings.secure_cookies)
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request,
                 next_path: Annotated[str | None, Query(alias="next")] = None) -> HTMLResponse:
    return _sign_in_page(request, next_path=safe_next(next_path))


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, session: SessionDep, now: NowDep, email: FormText = "",
            password: FormText = "", code: FormText = "", next_path: FormText = "/account",
            signin_nonce: FormText = "") -> Response:
    settings: Settings = request.app.state.settings
    target = safe_next(next_path)
    cookie = request.cookies.get(SIGNIN_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie.encode(), signin_nonce.encode()):
        return _sign_in_page(request, status_code=403, email=email, next_path=target,
                             error="accounts.error.form_expired")
    try:
        user = accounts.authenticate(request.app.state.sessions, email=email,
                                     password=password, totp_code=code or None,
                                     ip=client_ip(request), now=now)
    except RateLimitedError as exc:
        response = _sign_in_page(request, status_code=429, email=email, next_path=target,
                                 error="accounts.error.locked", retry_after=exc.retry_after)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except AuthenticationRequiredError:
        return _sign_in_page(request, status_code=401, email=email, next_path=target,
                             error="accounts.error.wrong")
    started = accounts.start_session(session, user_id=user.id, settings=settings, now=now)
    redirect = RedirectResponse(target, status_code=303, headers=NO_STORE)
    set_session_cookie(redirect, token=started.token, settings=settings)
    redirect.delete_cookie(SIGNIN_COOKIE, path="/sign-in")
    return redirect


@router.post("/sign-out")
def sign_out(request: Request, access: AccessDep, session: SessionDep, now: NowDep
             ) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and access.via == "session":
        accounts.end_session(session, token=token, now=now)
        if access.principal is not None:
            audit.record(session, at=now, actor=access.principal.subject,
                         action="logout", subject=access.principal.subject,
                         details={"ip": client_ip(request)})
    response = RedirectResponse("/", status_code=303, headers=NO_STORE)
    clear_session_cookie(response, settings=request.app.state.settings)
    return response


# --- the account page --------------------------------------------------------------------


def _signed_in_user(request: Request, access: AccessDep, session: SessionDep
                    ) -> accounts.User | None:
    principal = access.principal
    if access.via != "session" or principal is None or principal.user_id is None:
        return None
    return accounts.user_by_id(session, principal.user_id)


def _to_sign_in(request: Request) -> Response:
    return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303,
                            headers=NO_STORE)


def _account_page(request: Request, session: SessionDep, user: accounts.User, *,
                  status_code: int = 200, **context: Any) -> HTMLResponse:
    t = i18n.Translator(i18n.negotiate(request).language)
    pick = 0 if t.language == "ja" else 1
    memberships = sorted(user.memberships, key=lambda m: (m.organisation, m.role.value))
    offered = sorted(usable_scopes(user.memberships))
    scope_labels = {action.value: DESCRIPTIONS[action][pick] for action in Action}
    values: dict[str, Any] = {
        "new_client": None, "error": None, "error_field": None, "done": None,
        **context}
    return _page(
        request, "account.html", status_code=status_code, user=user,
        memberships=[(m.organisation if m.organisation != PLATFORM else None,
                      ROLE_NAMES[m.role][pick]) for m in memberships],
        clients=accounts.clients(session, user_id=user.id), scopes=offered,
        scope_labels=scope_labels, **values)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, access: AccessDep, session: SessionDep,
            done: Annotated[str | None, Query()] = None) -> Response:
    user = _signed_in_user(request, access, session)
    if user is None:
        return _to_sign_in(request)
    known = {"totp-on", "totp-off", "client-revoked"}
    return _account_page(request, session, user, done=done if done in known else None)


@router.post("/account/clients", response_class=HTMLResponse)
def create_client(request: Request, access: AccessDep, session: SessionDep, now: NowDep,
                  name: FormText = "", scope: Annotated[list[str] | None, Form()] = None
                  ) -> Response:
    user = _signed_in_user(request, access, session)
    if user is None:
        return _to_sign_in(request)
    try:
        created = accounts.create_client(session, user_id=user.id, name=name,
                                         scopes=scope or [], now=now)
    except InputError as exc:
        field = exc.problems[0].location if exc.problems else "scope"
        return _account_page(request, session, user, status_code=422,
                             error=f"accounts.error.client_{field}", error_field=field)
    audit.record(session, at=now, actor=user.subject, action="client.created",
                 subject=f"client:{created.client.client_id}",
                 details={"scopes": sorted(created.client.scopes)})
    return _account_page(request, session, user, new_client=created)


@router.post("/account/clients/{client_id}/revoke")
def revoke_client(client_id: str, request: Request, access: AccessDep, session: SessionDep,
                  now: NowDep) -> Response:
    user = _signed_in_user(request, access, session)
    if user is None:
        return _to_sign_in(request)
    accounts.revoke_client(session, client_id=client_id, user_id=user.id, now=now)
    audit.record(session, at=now, actor=user.subject, action="client.revoked",
                 subject=f"client:{client_id}", details={})
    return RedirectResponse("/account?done=client-revoked", status_code=303, headers=NO_STORE)


# --- TOTP --------------------------------------------------------------------------------


@router.post("/account/totp")
def begin_totp(request: Request, access: AccessDep, session: SessionDep) -> Response:
    user = _signed_in_user(request, access, session)
    if user is None:
        return _to_sign_in(request)
    if user.totp_enabled:
        raise ConflictError("TOTP is already on for this account.")
    accounts.begin_totp(session, user_id=user.id)
    return RedirectResponse("/account/totp", status_code=303, headers=NO_STORE)


@router.get("/account/totp", response_class=HTMLResponse)
def totp_page(request: Request, access: AccessDep, session: SessionDep) -> Response:
    user = _signed_in_user(request, access, session)
    if user is None:
        return _to_sign_in(request)
    enrolment = accounts.pending_totp(session, user_id=user.id)
    if enrolment is None or user.totp_enabled:
        return RedirectResponse("/account", status_code=303, headers=NO_STORE)
    return _page(request, "account_totp.html", user=user, enrolment=enrolment, error=None)


@router.post("/account/totp/confirm", response_class=HTMLResponse)
def confirm_totp(request: Request, access: AccessDep, session: SessionDep, now: NowDep,
                 code: FormText = "") -> Response:
    user = _signed_in_user(request, access, session)
    if user is None:
        return _to_sign_in(request)
    try:
        accounts.confirm_totp(session, user_id=user.id, code=code, now=now)
    except InputError:
        enrolment = accounts.pending_totp(session, user_id=user.id)
        return _page(request, "account_totp.html", status_code=422, user=user,
                     enrolment=enrolment, error="accounts.error.code")
    audit.record(session, at=now, actor=user.subject, action="totp.enabled",
                 subject=user.subject, details={})
    return RedirectResponse("/account?done=totp-on", status_code=303, headers=NO_STORE)


@router.post("/account/totp/disable", response_class=HTMLResponse)
def disable_totp(request: Request, access: AccessDep, session: SessionDep, now: NowDep,
                 code: FormText = "") -> Response:
    user = _signed_in_user(request, access, session)
    if user is None:
        return _to_sign_in(request)
    try:
        accounts.disable_totp(session, user_id=user.id, code=code, now=now)
    except InputError:
        return _account_page(request, session, user, status_code=422,
                             error="accounts.error.code", error_field="disable-code")
    audit.record(session, at=now, actor=user.subject, action="totp.disabled",
                 subject=user.subject, details={})
    return RedirectResponse("/account?done=totp-off", status_code=303, headers=NO_STORE)
