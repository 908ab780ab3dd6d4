"""The page of a password reset link: ``/password-reset/{token}`` sets a new password.

An administrator makes the link (``credstack accounts user reset-password``, the people page
or the API) and hands it over; whoever opens it sets the password of the account it is for,
once, within a day. The form is protected like the sign-in form (a cookie it repeats, which
another site can neither read nor send), works without JavaScript, and the page is never
cached. After the new password is set, the user signs in with it.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.adapters.web.dependencies import RuntimeDep
from credstack.adapters.web.pages.accounts import (
    FormText,
    nonce_matches,
    page,
    password_error,
    see_other,
    set_nonce_cookie,
)
from credstack.errors import InputError, NotFoundError
from credstack.services.accounts import passwords

router = APIRouter(include_in_schema=False)

RESET_COOKIE = "credstack_reset"


def _form(request: Request, token: str, *, email: str, status_code: int = 200,
          error: str | None = None, error_field: str | None = None) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    response = page(request, "password_reset.html", status_code=status_code, email=email,
                    token=token, nonce=nonce, error=error, error_field=error_field)
    set_nonce_cookie(response, request, name=RESET_COOKIE, path="/password-reset",
                     nonce=nonce)
    return response


def _gone(request: Request) -> HTMLResponse:
    return page(request, "password_reset.html", status_code=404, email=None, token="",
                nonce="", error="accounts.reset.invalid", error_field=None)


@router.get("/password-reset/{token}", response_class=HTMLResponse)
def reset_form(token: str, request: Request, runtime: RuntimeDep) -> Response:
    try:
        person = passwords.reset_for(runtime, token=token)
    except NotFoundError:
        return _gone(request)
    return _form(request, token, email=person.email)


@router.post("/password-reset/{token}", response_class=HTMLResponse)
def reset_submit(token: str, request: Request, runtime: RuntimeDep, password: FormText = "",
                 password_again: FormText = "", nonce: FormText = "") -> Response:
    try:
        person = passwords.reset_for(runtime, token=token)
    except NotFoundError:
        return _gone(request)
    if not nonce_matches(request, name=RESET_COOKIE, presented=nonce):
        return _form(request, token, email=person.email, status_code=403,
                     error="accounts.error.form_expired")
    if password != password_again:
        return _form(request, token, email=person.email, status_code=422,
                     error="accounts.error.password_again", error_field="password_again")
    try:
        passwords.complete_reset(runtime, token=token, password=password)
    except NotFoundError:
        return _gone(request)
    except InputError as exc:
        return _form(request, token, email=person.email, status_code=422,
                     error=password_error("password", exc), error_field="password")
    response = see_other("/sign-in?done=password-set")
    response.delete_cookie(RESET_COOKIE, path="/password-reset")
    return response
