"""``/invitations/{token}``: the page an invitation's link opens.

Signed in with the invited address, the person accepts with one button; with another
address, the page says whose invitation it is and how to switch. Not signed in, they sign in
(when the address has an account) and come back, or make the account here: display name and
password, after which they are signed in and taken to the organisation's workspace. The
sign-up form has no session to carry a CSRF token, so it repeats a short-lived cookie's value
(``credstack_invitation``), as the sign-in form does. A link unknown, used, revoked or expired
is a page saying so (404).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access, AccessDep, set_session_cookie
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.accounts import (
    WebUserDep,
    nonce_matches,
    set_nonce_cookie,
    spend_nonce,
    web_user,
)
from credstack.entrypoints.web.pages.workspace.views import (
    FormProblem,
    page,
    problem_of,
    see_other,
)
from credstack.errors import AccessDeniedError, ConflictError, InputError, NotFoundError
from credstack.services.runtime import Runtime
from credstack.services.workspace import invitations

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
NONCE_COOKIE: Final = "credstack_invitation"


def invitation_page(request: Request, runtime: Runtime, access: Access, token: str, *,
                    status_code: int = 200, **context: Any) -> HTMLResponse:
    language = i18n.negotiate(request).language
    signed_in = web_user(access)
    try:
        found = invitations.invited(runtime, token=token, actor=access if signed_in else None)
    except NotFoundError as exc:
        return page(request, "invitation.html", status_code=404, invitation=None,
                    gone=said(exc, language), token=token, is_signed_in=False,
                    mine=False, problem=None, display_name="", nonce="")
    principal = access.principal
    mine = signed_in and principal is not None and \
        (principal.email or "").lower() == found.email
    nonce = secrets.token_urlsafe(24)
    values: dict[str, Any] = {"problem": None, "display_name": "", **context}
    response = page(request, "invitation.html", status_code=status_code, invitation=found,
                    gone=None, token=token, is_signed_in=signed_in, mine=mine, nonce=nonce,
                    **values)
    if not signed_in and not found.has_account:
        set_nonce_cookie(response, request, name=NONCE_COOKIE, path="/invitations",
                         nonce=nonce)
    return response


@router.get("/invitations/{token}", response_class=HTMLResponse)
def invitation(token: str, request: Request, runtime: RuntimeDep, access: AccessDep
               ) -> Response:
    return invitation_page(request, runtime, access, token)


@router.post("/invitations/{token}/accept", response_class=HTMLResponse)
def accept(token: str, request: Request, runtime: RuntimeDep, access: WebUserDep
           ) -> Response:
    try:
        accepted = invitations.accept(runtime, actor=access, token=token)
    except (NotFoundError, AccessDeniedError) as exc:
        problem = problem_of(request, exc)
        return invitation_page(request, runtime, access, token,
                               status_code=403 if isinstance(exc, AccessDeniedError)
                               else problem.status, problem=problem)
    return see_other(f"/workspace/{accepted.organisation.slug}")


@router.post("/invitations/{token}/join", response_class=HTMLResponse)
def join(token: str, request: Request, runtime: RuntimeDep, access: AccessDep,
         display_name: FormText = "", password: FormText = "", password_again: FormText = "",
         nonce: FormText = "") -> Response:
    t = i18n.Translator(i18n.negotiate(request).language)
    if not nonce_matches(request, name=NONCE_COOKIE, presented=nonce):
        return invitation_page(request, runtime, access, token, status_code=403,
                               problem=_words(t("workspace.invitation.form_expired")),
                               display_name=display_name)
    if password != password_again:
        return invitation_page(request, runtime, access, token, status_code=422,
                               problem=_words(t("workspace.error.password_again"),
                                              "password_again"),
                               display_name=display_name)
    try:
        started = invitations.join(runtime, token=token, display_name=display_name,
                                   password=password)
    except (InputError, ConflictError) as exc:
        problem = problem_of(request, exc)
        return invitation_page(request, runtime, access, token, status_code=problem.status,
                               problem=problem, display_name=display_name)
    except NotFoundError:
        return invitation_page(request, runtime, access, token)
    slug = next(iter(m.organisation for m in started.user.memberships))
    response = see_other(f"/workspace/{slug}")
    set_session_cookie(response, token=started.token, settings=runtime.settings)
    spend_nonce(response, request, name=NONCE_COOKIE, path="/invitations", presented=nonce)
    return response


def _words(text: object, field: str | None = None) -> FormProblem:
    return FormProblem(str(text), field, 422)
