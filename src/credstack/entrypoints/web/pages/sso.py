"""Signing in through an organisation's identity provider (campus single sign-on, issue 57).

* ``GET /sso/{provider}/start?next=…`` — on to the provider with a fresh state, kept in a
  cookie of this browser (HttpOnly, ``SameSite=Lax``: the provider's answer is a top-level
  navigation back), with where to go afterwards (a path on this site only).
* ``GET /sso/oidc/callback`` — the provider's answer: signed in and on, or a page naming
  why it was refused (the service audited it), or, when the address has an account already,
  on to confirm the link.
* ``POST /sso/oidc/{provider}/backchannel-logout`` — the OpenID provider's logout token
  (Back-Channel Logout 1.0 §2.5, posted by the provider itself, no browser): the credstack
  sessions its sign-ins in that session end; 200, or 400 naming the reason (§2.8).
* ``GET /sso/saml/{provider}/metadata`` — our SAML service provider's metadata towards that
  identity provider (its entity id is this URL).
* ``POST /sso/saml/acs`` — a SAML identity provider's answer (HTTP-POST binding), posted from
  its site: no CSRF token, no ``SameSite`` cookie. The ``next`` cookie (``SameSite=Lax``) is
  not carried by a POST from another site: signed in, the browser goes on to
  ``GET /sso/saml/continue``, a top-level navigation that carries it, which sends it on to
  the path kept (home without one). A POST that carries it (the identity provider on this
  site) goes there at once.
* ``GET|POST /sso/saml/{provider}/slo`` — the identity provider's LogoutRequest (single
  logout): the credstack sessions its sign-ins of that person made end, and the browser goes
  back with our signed LogoutResponse. Or (``SAMLResponse``, HTTP-Redirect or HTTP-POST) its
  LogoutResponse to ours: a person whose session a SAML sign-in made signs out (``POST /sign-out``,
  ``pages.accounts.leave``), the session here ends and the browser carries our LogoutRequest to the
  identity provider, which ends its own and sends the browser back here; checked, on to the
  path kept in the ``next`` cookie, or a page saying the provider did not confirm it.
* ``GET|POST /sso/link?token=…`` — the account's owner, signed in, confirms that this
  identity may sign in to their account from now on.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from credstack.entrypoints.web.access import clear_session_cookie, client_ip, set_session_cookie
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import NEXT_COOKIE, safe_next
from credstack.entrypoints.web.pages.accounts import SSO_PATHS as _CALLBACKS
from credstack.entrypoints.web.pages.rendering import render
from credstack.entrypoints.web.pages.signed_in import WebUserDep, see_other
from credstack.errors import AccountDisabledError, AuthenticationRequiredError, NotFoundError
from credstack.services.sso import identities, oidc, providers, saml
from credstack.services.sso.identities import Completed

router = APIRouter(include_in_schema=False)

STATE_COOKIE = "credstack-sso-state"
#: Where a SAML sign-in posted from the identity provider's site goes on (a same-site GET).
CONTINUE = "/sso/saml/continue"
_NO_STORE = {"Cache-Control": "no-store"}


def _refused(request: Request, error: AuthenticationRequiredError | AccountDisabledError,
             *, status_code: int = 401) -> HTMLResponse:
    reason = str(error.params.get("reason", "")) if error.params else ""
    key = error.code if error.code.startswith("sso.refused.") else "sso.refused.disabled"
    response = render(request, "sso_refused.html", status_code=status_code, reason=reason,
                      reason_key=key)
    response.headers.update(_NO_STORE)
    return response


def _forget(response: Response, *, secure: bool) -> None:
    for name in (STATE_COOKIE, NEXT_COOKIE):
        response.delete_cookie(name, path=_CALLBACKS, httponly=True, secure=secure,
                               samesite="lax")


def _saml_start(request: Request, runtime: RuntimeDep, provider: str) -> Response:
    sent = saml.begin(runtime, slug=provider, ip=client_ip(request))
    if sent.form is None:
        return see_other(sent.url)
    page = render(request, "sso_post.html", url=sent.url, form=dict(sent.form))
    parts = urlsplit(sent.url)
    page.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; "
        f"form-action 'self' {parts.scheme}://{parts.netloc}; frame-ancestors 'none'")
    return page


@router.get("/sso/{provider}/start")
async def start(provider: str, request: Request, runtime: RuntimeDep,
                next_path: Annotated[str | None, Query(alias="next", max_length=2000)] = None
                ) -> Response:
    slug = provider[:64]
    secure = runtime.settings.secure_cookies
    lifetime = int(oidc.STATE_LIFETIME.total_seconds())
    try:
        if await run_in_threadpool(providers.kind_of, runtime, slug) == "saml":
            response = await run_in_threadpool(_saml_start, request, runtime, slug)
        else:
            begun = await run_in_threadpool(oidc.begin, runtime, slug=slug,
                                            ip=client_ip(request))
            response = see_other(begun.redirect)
            response.set_cookie(STATE_COOKIE, begun.state, max_age=lifetime, path=_CALLBACKS,
                                httponly=True, secure=secure, samesite="lax")
    except AuthenticationRequiredError as error:
        return _refused(request, error)
    response.set_cookie(NEXT_COOKIE, safe_next(next_path), max_age=lifetime, path=_CALLBACKS,
                        httponly=True, secure=secure, samesite="lax")
    response.headers.update(_NO_STORE)
    return response


@router.get("/sso/oidc/callback")
async def callback(request: Request, runtime: RuntimeDep,
                   state: Annotated[str, Query(max_length=200)] = "",
                   code: Annotated[str | None, Query(max_length=2000)] = None,
                   error: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    secure = runtime.settings.secure_cookies
    try:
        completed = await run_in_threadpool(
            oidc.finish, runtime, state=state, kept_state=request.cookies.get(STATE_COOKIE),
            code=code, error=error, ip=client_ip(request))
    except AuthenticationRequiredError as refused:
        response: Response = _refused(request, refused)
        _forget(response, secure=secure)
        return response
    except AccountDisabledError as disabled:
        response = _refused(request, disabled, status_code=403)
        _forget(response, secure=secure)
        return response
    if completed.signed_in is None:
        response = see_other(f"/sso/link?token={completed.link_token}")
    else:
        response = see_other(safe_next(request.cookies.get(NEXT_COOKIE)))
        set_session_cookie(response, token=completed.signed_in.token, settings=runtime.settings)
    _forget(response, secure=secure)
    return response


@router.post("/sso/oidc/{provider}/backchannel-logout")
async def backchannel_logout(provider: str, request: Request, runtime: RuntimeDep,
                             logout_token: Annotated[str, Form(max_length=16_000)] = ""
                             ) -> Response:
    try:
        await run_in_threadpool(oidc.backchannel_logout, runtime, slug=provider[:64],
                                logout_token=logout_token, ip=client_ip(request))
    except AuthenticationRequiredError as refused:
        return JSONResponse({"error": "invalid_request",
                             "error_description": str(refused.params.get("reason", ""))},
                            status_code=400, headers=_NO_STORE)
    return Response(status_code=200, headers=_NO_STORE)


def _signed_in(request: Request, runtime: RuntimeDep, completed: Completed) -> Response:
    if completed.signed_in is None:
        response = see_other(f"/sso/link?token={completed.link_token}")
        _forget(response, secure=runtime.settings.secure_cookies)
        return response
    kept = request.cookies.get(NEXT_COOKIE)
    # The identity provider's POST from its own site carries no SameSite=Lax cookie: the
    # path to return to is read on the next request, a top-level GET that carries it.
    response = see_other(CONTINUE if kept is None else safe_next(kept))
    set_session_cookie(response, token=completed.signed_in.token, settings=runtime.settings)
    if kept is not None:
        _forget(response, secure=runtime.settings.secure_cookies)
    return response


@router.get(CONTINUE)
def saml_continue(request: Request, runtime: RuntimeDep) -> Response:
    """On to the path kept when the sign-in began (home without one), the cookies
    forgotten."""
    response = see_other(safe_next(request.cookies.get(NEXT_COOKIE)))
    _forget(response, secure=runtime.settings.secure_cookies)
    response.headers.update(_NO_STORE)
    return response


@router.get("/sso/saml/{provider}/metadata")
def saml_metadata(provider: str, runtime: RuntimeDep) -> Response:
    document = saml.metadata(runtime, slug=provider[:64])
    if document is None:
        return Response(status_code=404)
    return Response(document, media_type="application/samlmetadata+xml",
                    headers={"Cache-Control": "max-age=300"})


@router.post("/sso/saml/acs")
async def saml_acs(request: Request, runtime: RuntimeDep,
                   saml_response: Annotated[str, Form(alias="SAMLResponse",
                                                      max_length=2_000_000)] = "",
                   relay_state: Annotated[str, Form(alias="RelayState", max_length=200)] = ""
                   ) -> Response:
    secure = runtime.settings.secure_cookies
    try:
        completed = await run_in_threadpool(saml.finish, runtime, saml_response=saml_response,
                                            relay_state=relay_state, ip=client_ip(request))
    except AuthenticationRequiredError as refused:
        response: Response = _refused(request, refused)
        _forget(response, secure=secure)
        return response
    except AccountDisabledError as disabled:
        response = _refused(request, disabled, status_code=403)
        _forget(response, secure=secure)
        return response
    return _signed_in(request, runtime, completed)


def _answered(request: Request, runtime: RuntimeDep, provider: str, fields: dict[str, str],
              *, post: bool) -> Response:
    secure = runtime.settings.secure_cookies
    try:
        saml.logout_answered(runtime, slug=provider[:64],
                             saml_response=fields.get("SAMLResponse", ""),
                             relay_state=fields.get("RelayState"),
                             sigalg=fields.get("SigAlg"), signature=fields.get("Signature"),
                             post=post, ip=client_ip(request))
    except AuthenticationRequiredError as refused:
        response: Response = render(
            request, "sso_refused.html", status_code=400,
            reason=str(refused.params.get("reason", "")),
            reason_key="sso.logout.unconfirmed.body", title_key="sso.logout.unconfirmed.title")
    else:
        kept = request.cookies.get(NEXT_COOKIE)
        response = see_other(safe_next(kept) if kept else "/")
    _forget(response, secure=secure)
    clear_session_cookie(response, settings=runtime.settings)
    response.headers.update(_NO_STORE)
    return response


def _logout(request: Request, runtime: RuntimeDep, provider: str, fields: dict[str, str],
            *, post: bool) -> Response:
    if "SAMLResponse" in fields:
        return _answered(request, runtime, provider, fields, post=post)
    try:
        sent = saml.logout(runtime, slug=provider[:64],
                           saml_request=fields.get("SAMLRequest", ""),
                           relay_state=fields.get("RelayState"), sigalg=fields.get("SigAlg"),
                           signature=fields.get("Signature"), post=post,
                           ip=client_ip(request))
    except AuthenticationRequiredError as refused:
        return _refused(request, refused, status_code=400)
    response = see_other(sent.url)
    clear_session_cookie(response, settings=runtime.settings)
    response.headers.update(_NO_STORE)
    return response


_LOGOUT_FIELDS = ("SAMLRequest", "SAMLResponse", "RelayState", "SigAlg", "Signature")


@router.get("/sso/saml/{provider}/slo")
def saml_logout(provider: str, request: Request, runtime: RuntimeDep) -> Response:
    fields = {name: request.query_params[name][:200_000] for name in _LOGOUT_FIELDS
              if name in request.query_params}
    return _logout(request, runtime, provider, fields, post=False)


@router.post("/sso/saml/{provider}/slo")
async def saml_logout_posted(provider: str, request: Request, runtime: RuntimeDep) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    fields = {name: str(form[name])[:200_000] for name in _LOGOUT_FIELDS if name in form}
    return await run_in_threadpool(_logout, request, runtime, provider, fields, post=True)


@router.get("/sso/link", response_class=HTMLResponse)
def link_form(request: Request, access: WebUserDep,
              token: Annotated[str, Query(max_length=128)] = "") -> Response:
    """The signed-in owner is asked to confirm the link (a visitor signs in first)."""
    response = render(request, "sso_link.html", token=token, unknown=False,
                      email=access.principal.email if access.principal else "")
    response.headers.update(_NO_STORE)
    return response


@router.post("/sso/link", response_class=HTMLResponse)
def link(request: Request, runtime: RuntimeDep, access: WebUserDep,
         token: Annotated[str, Form(max_length=128)] = "") -> Response:
    try:
        identities.confirm_link(runtime, actor=access, token=token)
    except NotFoundError:
        response = render(request, "sso_link.html", status_code=404, token="", email="",
                          unknown=True)
        response.headers.update(_NO_STORE)
        return response
    return see_other("/account")
