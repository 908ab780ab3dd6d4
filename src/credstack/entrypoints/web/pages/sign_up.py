"""The pages of signing up on one's own: ``/sign-up``, ``/sign-up/sent`` and the e-mailed
link ``/sign-up/{token}`` (services: :mod:`credstack.services.accounts.sign_up`).

The form asks for the e-mail address, a display name and the password once (a box shows it,
for whoever wants to check what they typed); whatever the address, the answer is the same
page saying to look for the e-mail (no one learns from it whether an address has an
account). The link's page asks for the password chosen, so that a mail scanner opening the
link does not use it up, nor can anyone who asks for an account at somebody else's address
hold its password; the account is then made, signed in and taken to where its learner was
going (``next``, kept as signing in keeps it); a session the browser had (someone else
signed in) ends. The forms have no session to carry a CSRF token, so they repeat a short-
lived cookie's value (``credstack_signup``), as the sign-in form does. Nothing needs
JavaScript, and the pages are never cached. Where sign-up is turned off
(``CREDSTACK_SIGN_UP=off``), or no e-mail reaches anyone (no SMTP server, and not a demo
server with its local mailbox), every page says so with a 404; on a demo server the "check
your e-mail" page links the local mailbox.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import (
    SESSION_COOKIE,
    AccessDep,
    client_ip,
    set_session_cookie,
)
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import (
    HOME,
    FormText,
    nonce_matches,
    page,
    password_error,
    safe_next,
    see_other,
    set_nonce_cookie,
    spend_nonce,
    web_user,
)
from credstack.errors import ConflictError, InputError, NotFoundError, RateLimitedError
from credstack.services.accounts import sign_up
from credstack.settings import Settings

router = APIRouter(include_in_schema=False)

NONCE_COOKIE: Final = "credstack_signup"
_PATH: Final = "/sign-up"
#: The message of a refused field, by the field the service names.
_FIELD_ERRORS: Final = {"email": "accounts.error.email",
                        "display_name": "accounts.error.display_name"}


def _form(request: Request, *, status_code: int = 200, email: str = "",
          display_name: str = "", next_path: str = HOME, error: str | None = None,
          error_field: str | None = None, retry_after: int | None = None) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    response = page(request, "sign_up.html", status_code=status_code, closed=False,
                    email=email, display_name=display_name, next_path=next_path, nonce=nonce,
                    error=error, error_field=error_field, retry_after=retry_after)
    set_nonce_cookie(response, request, name=NONCE_COOKIE, path=_PATH, nonce=nonce)
    return response


def _closed(request: Request) -> HTMLResponse:
    return page(request, "sign_up.html", status_code=404, closed=True)


def _is_open(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    return settings.sign_up_open


def _link_page(request: Request, token: str, *, status_code: int = 200,
               email: str | None = None, error: str | None = None) -> HTMLResponse:
    values: dict[str, Any] = {"email": email, "token": token, "error": error, "nonce": ""}
    if email is None:
        return page(request, "sign_up_confirm.html", status_code=status_code, **values)
    values["nonce"] = secrets.token_urlsafe(24)
    response = page(request, "sign_up_confirm.html", status_code=status_code, **values)
    set_nonce_cookie(response, request, name=NONCE_COOKIE, path=_PATH, nonce=values["nonce"])
    return response


@router.get("/sign-up", response_class=HTMLResponse)
def sign_up_form(request: Request, access: AccessDep,
                 next_path: Annotated[str | None, Query(alias="next")] = None) -> Response:
    if not _is_open(request):
        return _closed(request)
    target = safe_next(next_path)
    if web_user(access):
        return see_other(target)
    return _form(request, next_path=target)


@router.post("/sign-up", response_class=HTMLResponse)
def sign_up_submit(request: Request, runtime: RuntimeDep, email: FormText = "",
                   display_name: FormText = "", password: FormText = "",
                   next_path: FormText = HOME,
                   nonce: FormText = "") -> Response:
    if not _is_open(request):
        return _closed(request)
    target = safe_next(next_path)

    def again(status_code: int, error: str, *, field: str | None = None,
              retry_after: int | None = None) -> HTMLResponse:
        return _form(request, status_code=status_code, email=email, display_name=display_name,
                     next_path=target, error=error, error_field=field,
                     retry_after=retry_after)

    if not nonce_matches(request, name=NONCE_COOKIE, presented=nonce):
        return again(403, "accounts.error.form_expired")
    try:
        sign_up.request(runtime, email=email, display_name=display_name, password=password,
                        next_path=target, language=i18n.negotiate(request).language,
                        ip=client_ip(request))
    except RateLimitedError as exc:
        response = again(429, "accounts.sign_up.limited", retry_after=exc.retry_after)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except InputError as exc:
        field = exc.problems[0].location if exc.problems else "password"
        return again(422, _FIELD_ERRORS.get(field) or password_error("password", exc),
                     field=field)
    # A demo server without SMTP keeps the e-mail in its local mailbox: the answer says where.
    where = (f"?{urlencode({'mailbox': email.strip()})}"
             if runtime.settings.local_mailbox else "")
    redirect = see_other(f"{_PATH}/sent{where}")
    spend_nonce(redirect, request, name=NONCE_COOKIE, path=_PATH, presented=nonce)
    return redirect


@router.get("/sign-up/sent", response_class=HTMLResponse)
def sent(request: Request,
         mailbox: Annotated[str | None, Query(max_length=320)] = None) -> Response:
    if not _is_open(request):
        return _closed(request)
    hours = int(sign_up.SIGN_UP_VALID.total_seconds() // 3600)
    settings: Settings = request.app.state.settings
    shown = (f"/mailbox?{urlencode({'to': mailbox})}"
             if settings.local_mailbox and mailbox else None)
    return page(request, "sign_up_sent.html", hours=hours, mailbox=shown)


@router.get("/sign-up/{token}", response_class=HTMLResponse)
def link(token: str, request: Request, runtime: RuntimeDep) -> Response:
    if not _is_open(request):
        return _closed(request)
    try:
        found = sign_up.pending(runtime, token=token)
    except NotFoundError:
        return _link_page(request, token, status_code=404, error="accounts.sign_up.invalid")
    return _link_page(request, token, email=found.email)


@router.post("/sign-up/{token}", response_class=HTMLResponse)
def confirm(token: str, request: Request, runtime: RuntimeDep, password: FormText = "",
            nonce: FormText = "") -> Response:
    if not _is_open(request):
        return _closed(request)
    try:
        found = sign_up.pending(runtime, token=token)
    except NotFoundError:
        return _link_page(request, token, status_code=404, error="accounts.sign_up.invalid")
    if not nonce_matches(request, name=NONCE_COOKIE, presented=nonce):
        return _link_page(request, token, status_code=403, email=found.email,
                          error="accounts.error.form_expired")
    try:
        done = sign_up.complete(runtime, token=token, password=password,
                                replacing=request.cookies.get(SESSION_COOKIE))
    except InputError:
        return _link_page(request, token, status_code=422, email=found.email,
                          error="accounts.sign_up.wrong_password")
    except NotFoundError:
        return _link_page(request, token, status_code=404, error="accounts.sign_up.invalid")
    except ConflictError:
        return _link_page(request, token, status_code=409, error="accounts.sign_up.exists")
    redirect = see_other(safe_next(done.next_path))
    set_session_cookie(redirect, token=done.signed_in.token, settings=runtime.settings)
    spend_nonce(redirect, request, name=NONCE_COOKIE, path=_PATH, presented=nonce)
    return redirect
