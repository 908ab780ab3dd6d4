"""Getting back into an account whose passkeys are lost: the page of an e-mailed recovery link
(:mod:`credstack.services.accounts.recovery`, issue 57).

``/account-recovery/{token}`` says whose account the link is for and what signing in with it
ends; its button uses the link up, signs the person in and takes them to their account
page's passkeys, where they register a new one and remove the lost one. A password reset link
of a member who signs in by passkey only leads here too (``/password-reset/{token}`` sends it
on). Like the password pages, the form has no session to carry a CSRF token and is protected
by a cookie it repeats; it works without JavaScript, and the page is never cached.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web.access import client_ip, set_session_cookie
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import (
    FormText,
    nonce_matches,
    page,
    see_other,
    set_nonce_cookie,
    spend_nonce,
)
from credstack.errors import AccountDisabledError, NotFoundError
from credstack.services.accounts import recovery

router = APIRouter(include_in_schema=False)

RECOVERY_COOKIE = "credstack_recovery"
PATH = "/account-recovery"


def _form(request: Request, token: str, *, email: str, status_code: int = 200,
          error: str | None = None) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    response = page(request, "account_recovery.html", status_code=status_code, email=email,
                    token=token, nonce=nonce, error=error)
    set_nonce_cookie(response, request, name=RECOVERY_COOKIE, path=PATH, nonce=nonce)
    return response


def _refused(request: Request, error: str, *, status_code: int) -> HTMLResponse:
    return page(request, "account_recovery.html", status_code=status_code, email=None,
                token="", nonce="", error=error)


@router.get(PATH + "/{token}", response_class=HTMLResponse)
def recovery_form(token: str, request: Request, runtime: RuntimeDep) -> Response:
    try:
        found = recovery.recovery_for(runtime, token=token)
    except NotFoundError:
        return _refused(request, "accounts.reset.invalid", status_code=404)
    return _form(request, token, email=found.user.email)


@router.post(PATH + "/{token}", response_class=HTMLResponse)
def recover(token: str, request: Request, runtime: RuntimeDep, nonce: FormText = ""
            ) -> Response:
    try:
        found = recovery.recovery_for(runtime, token=token)
    except NotFoundError:
        return _refused(request, "accounts.reset.invalid", status_code=404)
    if not nonce_matches(request, name=RECOVERY_COOKIE, presented=nonce):
        return _form(request, token, email=found.user.email, status_code=403,
                     error="accounts.error.form_expired")
    try:
        started = recovery.complete(runtime, token=token, ip=client_ip(request))
    except NotFoundError:
        return _refused(request, "accounts.reset.invalid", status_code=404)
    except AccountDisabledError:
        return _refused(request, "accounts.error.disabled", status_code=403)
    response = see_other("/account?done=recovered#passkeys")
    set_session_cookie(response, token=started.token, settings=runtime.settings)
    spend_nonce(response, request, name=RECOVERY_COOKIE, path=PATH, presented=nonce)
    return response
