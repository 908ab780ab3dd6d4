"""Password reset links: asking for one by e-mail, and the page that sets a new password.

* ``/password-reset`` (linked from the sign-in page where e-mail is sent): the form that asks
  for a link by e-mail (:mod:`credstack.services.accounts.reset_by_email`). Whatever the
  address, the answer is ``/password-reset/sent``, so nobody learns which addresses have
  accounts; too many requests are answered 429 with ``Retry-After``, for every address
  alike. Without an SMTP server the page says to ask an administrator (404).
* ``/password-reset/{token}`` sets a new password with a link: e-mailed (valid an hour), or
  made by an administrator (``credstack accounts user reset-password``, the people page or
  the API; valid a day) and handed over. Whoever opens it sets the password of the account
  it is for, once. After the new password is set, the user signs in with it. The link of a
  member who signs in by passkey only goes on to ``/account-recovery/{token}``
  (:mod:`.account_recovery`).

The forms have no session to carry a CSRF token, so they are protected like the sign-in
form (a cookie they repeat, which another site can neither read nor send); they work
without JavaScript, and the pages are never cached.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import (
    FormText,
    nonce_matches,
    page,
    password_error,
    see_other,
    set_nonce_cookie,
    spend_nonce,
)
from credstack.errors import InputError, NotFoundError, RateLimitedError
from credstack.services.accounts import passwords, recovery, reset_by_email
from credstack.settings import Settings

router = APIRouter(include_in_schema=False)

RESET_COOKIE = "credstack_reset"
#: The asking form's own cookie: a link's form open in another tab keeps its value.
ASK_COOKIE = "credstack_forgot"


def _available(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    return settings.mail_reaches_people


def _ask_form(request: Request, *, status_code: int = 200, email: str = "",
              error: str | None = None, retry_after: int | None = None) -> HTMLResponse:
    if not _available(request):
        return page(request, "password_forgot.html", status_code=404, unavailable=True)
    nonce = secrets.token_urlsafe(24)
    response = page(request, "password_forgot.html", status_code=status_code,
                    unavailable=False, email=email, nonce=nonce, error=error,
                    retry_after=retry_after)
    set_nonce_cookie(response, request, name=ASK_COOKIE, path="/password-reset",
                     nonce=nonce)
    return response


@router.get("/password-reset", response_class=HTMLResponse)
def ask_form(request: Request) -> Response:
    return _ask_form(request)


@router.post("/password-reset", response_class=HTMLResponse)
def ask(request: Request, runtime: RuntimeDep, email: FormText = "", nonce: FormText = ""
        ) -> Response:
    if not _available(request):
        return _ask_form(request)
    if not nonce_matches(request, name=ASK_COOKIE, presented=nonce):
        return _ask_form(request, status_code=403, email=email,
                         error="accounts.error.form_expired")
    try:
        reset_by_email.request(runtime, email=email, ip=client_ip(request),
                               language=i18n.negotiate(request).language)
    except RateLimitedError as exc:
        response = _ask_form(request, status_code=429, email=email,
                             error="accounts.forgot.limited", retry_after=exc.retry_after)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotFoundError:
        return _ask_form(request)
    except InputError:
        return _ask_form(request, status_code=422, email=email, error="accounts.error.email")
    redirect = see_other("/password-reset/sent")
    spend_nonce(redirect, request, name=ASK_COOKIE, path="/password-reset", presented=nonce)
    return redirect


@router.get("/password-reset/sent", response_class=HTMLResponse)
def sent(request: Request) -> Response:
    if not _available(request):
        return _ask_form(request)
    minutes = int(reset_by_email.EMAILED_VALID.total_seconds() // 60)
    return page(request, "password_forgot_sent.html", minutes=minutes)


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
        found = recovery.recovery_for(runtime, token=token)
    except NotFoundError:
        return _gone(request)
    if found.passkeys_only:
        # A password would not sign this member in: the link recovers the account instead.
        return see_other(f"/account-recovery/{token}")
    return _form(request, token, email=found.user.email)


@router.post("/password-reset/{token}", response_class=HTMLResponse)
def reset_submit(token: str, request: Request, runtime: RuntimeDep, password: FormText = "",
                 password_again: FormText = "", nonce: FormText = "") -> Response:
    try:
        found = recovery.recovery_for(runtime, token=token)
    except NotFoundError:
        return _gone(request)
    if found.passkeys_only:
        return see_other(f"/account-recovery/{token}")
    person = found.user
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
    spend_nonce(response, request, name=RESET_COOKIE, path="/password-reset",
                presented=nonce)
    return response
