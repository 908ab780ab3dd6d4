"""Who is asking, and may they: credentials, CSRF and authorisation for routes and pages.

A request carries credentials in one of two ways:

* ``Authorization: Bearer <token>`` — an OAuth 2.0 access token (``POST /oauth/token``): an
  API client acting for its owner (client credentials grant), or an application acting for
  the learner who let it in (authorization code grant), limited to the token's scopes.
  A bad, expired or revoked token is refused (401, ``WWW-Authenticate: Bearer
  error="invalid_token"``) as soon as a route asks who is calling; it never falls back to
  anonymous.
* the ``credstack_session`` cookie — web sign-in (``HttpOnly``, ``SameSite=Lax``, ``Path=/``,
  ``Secure`` when ``CREDSTACK_PUBLIC_URL`` is https). A cookie-authenticated POST, PUT, PATCH
  or DELETE must carry the session's CSRF token, as the form field ``csrf_token`` or the
  header ``X-CSRF-Token`` (htmx sends it from ``hx-headers`` on ``<body>``); without it the
  request is refused (403) before the route runs. Bearer requests need none (a browser
  never adds an ``Authorization`` header to a cross-site request by itself).

Besides, a form (URL-encoded, multipart, plain text or no body: what a page of another site
can post without asking) sent with an ``Origin`` — or, without one, a ``Referer`` — that names
another site is refused (403, :class:`~credstack.errors.CrossSiteRequestError`) before
anything reads it, with or without a session and whatever token it carries: a sibling
subdomain is same-site, so ``SameSite`` cookies do not stop it. "This site" is the public
URL's origin or the one the request was sent to. A request with neither header (a client
that is no browser), with ``Origin: null`` and no ``Referer`` (a page whose referrer policy
is ``no-referrer``, as a share link's) or with an ``Authorization`` header (no browser adds
one on its own) is judged as before.

A disabled account's cookie or token stops working at once, refused with a message that
says so (:class:`~credstack.errors.AccountDisabledError` for the cookie, 403;
:class:`~credstack.errors.InvalidTokenError` for the token, 401).

Routes declare :data:`AccessDep` and call :meth:`Access.require` with the action and the
organisation the target belongs to; the decision is :func:`credstack.core.access.decide`'s.
Every refusal — no credentials, a bad token, a missing CSRF token, a role that does not
allow the action — is written to the audit log in its own transaction (``access.denied``),
so the attempt stays recorded although the request fails.

Pages get the signed-in user and the CSRF token through the Jinja globals
``signed_in()`` and ``csrf_token()``; :func:`install` registers them with a small ASGI
middleware that makes the current request known to them.
"""

from __future__ import annotations

import contextvars
import hmac
import inspect
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from credstack.core.access import Action, Principal
from credstack.core.access.actors import SIGN_IN_FIRST, DecidingActor
from credstack.core.access.homes import Place, places
from credstack.entrypoints.web import problems
from credstack.entrypoints.web.pages import rendering
from credstack.errors import (
    AccountDisabledError,
    AuthenticationRequiredError,
    CredstackError,
    CrossSiteRequestError,
    CsrfError,
    InvalidTokenError,
)
from credstack.services.access import service as refusals
from credstack.services.accounts import sessions
from credstack.services.oauth import service as oauth
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.words import kept_words

log = logging.getLogger("credstack.access")

SESSION_COOKIE = "credstack_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
#: What a page of another site can post without the browser asking this one first (CORS):
#: a form, plain text, or no body at all.
_SIMPLE_BODIES = (*_FORMS, "text/plain", "")
#: Endpoints that other sites' pages post to by design, carrying no cookie's authority: an
#: OID4VP wallet's ``direct_post`` answer (a web wallet posts it from its own origin) and its
#: fetch of a request object by ``request_uri_method=post``; an LMS's LTI login and launch
#: (its auto-submitted forms).
_CROSS_SITE_ENDPOINTS = ("/oid4vp/responses/", "/oid4vp/requests/", "/lti/login",
                         "/lti/launch", "/sso/saml/")
_DEFAULT_PORTS = {"http": 80, "https": 443}

Scope = MutableMapping[str, Any]
_current: contextvars.ContextVar[Scope | None] = contextvars.ContextVar(
    "credstack_request_scope", default=None)


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the request's credentials resolved to (cached on the request)."""

    principal: Principal | None
    #: How: "token", "session" or None (anonymous).
    via: str | None = None
    #: The session's CSRF token (cookie sign-in only).
    csrf_token: str | None = None
    #: A presented credential that is not valid (raised when the route asks who is calling).
    error: CredstackError | None = None
    #: The signed-in user's display name (for the page header).
    display_name: str | None = None


def credentials(request: Request) -> Credentials:
    """Resolve the request's bearer token or session cookie, once per request."""
    cached: Credentials | None = getattr(request.state, "credstack_credentials", None)
    if cached is None:
        cached = _resolve(request)
        request.state.credstack_credentials = cached
    return cached


def _resolve(request: Request) -> Credentials:
    runtime: Runtime = request.app.state.runtime
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return Credentials(None, "token", error=InvalidTokenError(
                "The Authorization header must be 'Bearer <access token>'."))
        try:
            info = oauth.token_info(runtime, token=token.strip())
        except InvalidTokenError as exc:
            return Credentials(None, "token", error=exc)
        return Credentials(info.principal(), "token", display_name=info.user.display_name)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            found = sessions.resolve(runtime, token=cookie)
        except AccountDisabledError as exc:
            return Credentials(None, "session", error=exc)
        if found is not None:
            return Credentials(found.user.principal(), "session", csrf_token=found.csrf_token,
                               display_name=found.user.display_name)
    return Credentials(None)


def _known(request: Request) -> Credentials | None:
    """The request's bearer token's holder when the token was verified a moment ago (read
    without the store, so without a worker thread), else ``None``."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    info = oauth.known_token(request.app.state.runtime, token=token.strip())
    if info is None:
        return None
    found = Credentials(info.principal(), "token", display_name=info.user.display_name)
    request.state.credstack_credentials = found
    return found


def current_principal(request: Request) -> Principal | None:
    """The signed-in user or token holder, or None (an invalid token counts as None here)."""
    return credentials(request).principal


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def record_refusal(request: Request, *, principal: Principal | None, action: str,
                   organisation: str | None, reason: str) -> None:
    """Write an ``access.denied`` entry in its own transaction (the request will fail), or,
    past the address's budget, count it (:mod:`credstack.services.access.service`)."""
    actor = principal.subject if principal is not None else "anonymous"
    log.warning("access denied: %s %s %s (%s, %s): %s", actor, request.method,
                request.url.path, action, organisation, reason)
    refusals.record_refusal(request.app.state.runtime, actor=actor, action=action,
                            organisation=organisation, reason=reason,
                            method=request.method, path=request.url.path,
                            ip=client_ip(request), refusals=request.app.state.refusals)


class Access(DecidingActor):
    """The caller of one request, and the checks a route makes about them; every refusal is
    written to the audit log."""

    def __init__(self, request: Request, found: Credentials) -> None:
        self._request = request
        self._found = found

    @property
    def principal(self) -> Principal | None:
        return self._found.principal

    @property
    def error(self) -> CredstackError | None:
        """Why the credentials presented do not sign anyone in (None: they do, or there were
        none)."""
        return self._found.error

    @property
    def via(self) -> str | None:
        """"token", "session" or None."""
        return self._found.via

    def require(self, action: Action, organisation: str | None = None, *,
                recognition_body: str | None = None, owner: str | None = None) -> Principal:
        """The principal, if allowed ``action`` on ``organisation``'s records; else refuse.

        AuthenticationRequiredError (401) without credentials, InvalidTokenError (401) for
        a bad token, AccessDeniedError (403) when the roles or the token's scopes do not
        allow it. Every refusal is written to the audit log.
        """
        if self._found.error is not None:
            self.refuse(self._found.error, action=action.value, organisation=organisation)
        return super().require(action, organisation, recognition_body=recognition_body,
                               owner=owner)

    def user(self) -> Principal:
        """The signed-in user (or token holder), whatever their roles; else 401."""
        if self._found.error is not None:
            self.refuse(self._found.error, action="sign-in")
        if self.principal is None:
            self.refuse(AuthenticationRequiredError(code=SIGN_IN_FIRST), action="sign-in")
        assert self.principal is not None
        return self.principal

    def refuse(self, error: CredstackError, *, action: str,
               organisation: str | None = None) -> NoReturn:
        """Record and raise a refusal (the route's own, such as not the assigned evaluator or
        not the credential's learner, or :meth:`require`'s)."""
        record_refusal(self._request, principal=self.principal, action=action,
                       organisation=organisation, reason=kept_words(error))
        raise error


async def access_of(request: Request) -> Access:
    """The caller of ``request``, once a cookie-authenticated write has shown its CSRF token
    (what :data:`AccessDep` gives a route). A page that reads its own form first, with limits
    of its own (the wallet's import), calls this afterwards: the token is read from the form
    it parsed."""
    found = _known(request)
    if found is None:
        found = await run_in_threadpool(credentials, request)
    # A cookie that signs nobody in (a disabled account's) carries no authority to protect.
    if (found.via == "session" and found.principal is not None
            and request.method in UNSAFE_METHODS):
        presented = request.headers.get(CSRF_HEADER) or None
        if presented is None and request.headers.get("content-type", "").startswith(_FORMS):
            value = (await request.form()).get(CSRF_FIELD)
            presented = value if isinstance(value, str) else None
        if not presented or not _same(presented, found.csrf_token or ""):
            error = CsrfError("This form was not sent from this site's page or has expired: "
                              "the CSRF token is missing or wrong. Reload the page and try "
                              "again. / フォームを再読み込みしてからもう一度送信してください。")
            await run_in_threadpool(record_refusal, request, principal=found.principal,
                                    action="csrf", organisation=None, reason=error.message)
            raise error
    return Access(request, found)


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


AccessDep = Annotated[Access, Depends(access_of)]


# --- cookies -----------------------------------------------------------------------------


def set_session_cookie(response: Response, *, token: str, settings: Settings) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=settings.session_ttl, path="/",
                        httponly=True, samesite="lax", secure=settings.secure_cookies)


def clear_session_cookie(response: Response, *, settings: Settings) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=settings.secure_cookies)


# --- pages -------------------------------------------------------------------------------


def csrf_token(request: Request | None = None) -> str:
    """The signed-in session's CSRF token for forms ("" when not signed in with a cookie)."""
    request = request or _request()
    if request is None:
        return ""
    return credentials(request).csrf_token or ""


@dataclass(frozen=True, slots=True)
class SignedInView:
    email: str
    display_name: str
    #: The places the user's roles open, their home first (the menu).
    places: tuple[Place, ...] = ()
    #: The menu's place the page being shown belongs to (the one whose path is the longest
    #: start of the page's), to mark as "here".
    here: str = ""
    #: Whether this demo server keeps the user's e-mail in its local mailbox.
    mailbox: bool = False


def signed_in(request: Request | None = None) -> SignedInView | None:
    """The signed-in web user, for the page header (None for visitors and API tokens)."""
    request = request or _request()
    if request is None:
        return None
    found = credentials(request)
    if found.via != "session" or found.principal is None:
        return None
    settings: Settings = request.app.state.settings
    opened, path = places(found.principal), request.url.path
    return SignedInView(email=found.principal.email or "",
                        display_name=found.display_name or found.principal.email or "",
                        places=opened, here=max(
                            (place.path for place in opened if path == place.path
                             or path.startswith(place.path.rstrip("/") + "/")),
                            key=len, default=path),
                        mailbox=settings.local_mailbox)


def _request() -> Request | None:
    scope = _current.get()
    return Request(scope) if scope is not None else None


class _CurrentRequest:
    """ASGI middleware: the request being served, for the templates' globals."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        marker = _current.set(scope)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(marker)


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url`` as a browser serialises an origin (lower case, no
    default port); None when ``url`` has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    shown = "" if port is None or port == _DEFAULT_PORTS[parts.scheme] else f":{port}"
    return f"{parts.scheme}://{host}{shown}"


def sent_from(request: Request) -> str | None:
    """The origin a browser says the request was sent from: ``Origin``, else the
    ``Referer``'s; None when it says none (``Origin: null`` counts as saying none)."""
    origin = request.headers.get("origin")
    if origin is not None and origin.strip() != "null":
        return origin_of(origin) or origin.strip()
    referer = request.headers.get("referer")
    return origin_of(referer) if referer else None


def _own_origins(request: Request) -> set[str]:
    settings: Settings = request.app.state.settings
    own = {origin_of(settings.public_url), origin_of(str(request.base_url))}
    return {origin for origin in own if origin is not None}


class _SameOrigin:
    """ASGI middleware: refuse a form posted from another site's page (see the module)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        origin = sent_from(request)
        if (media_type in _SIMPLE_BODIES and "authorization" not in request.headers
                and not request.url.path.startswith(_CROSS_SITE_ENDPOINTS)
                and origin is not None and origin not in _own_origins(request)):
            error = CrossSiteRequestError(
                f"This form was sent from a page of another site ({origin[:100]}), not from "
                "this site's own: it was refused and nothing was changed. Open the form on "
                "this site and send it from there. / このフォームは別のサイトのページから送信"
                "されたため、受け付けませんでした（何も変更されていません）。このサイトのフォーム"
                "から送信してください。")
            log.warning("cross-site form refused: %s %s from %s", request.method,
                        request.url.path, origin)
            await run_in_threadpool(record_refusal, request, principal=None,
                                    action="cross-site", organisation=None,
                                    reason=error.message)
            response = problems.problem_response(
                request, status=403, slug=error.slug, title=error.title_en,
                title_ja=error.title_ja, detail=error.message)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    """Give the templates what they need to know who is signed in (the routers of accounts
    are added with the others, in :mod:`credstack.entrypoints.web.app`), and make sure a write
    is refused for want of credentials before its body is judged (install after
    :func:`credstack.entrypoints.web.problems.install`)."""
    rendering.templates.globals.update(csrf_token=csrf_token, signed_in=signed_in)
    app.add_middleware(_CurrentRequest)
    app.add_middleware(_SameOrigin)
    judge_body = app.exception_handlers[RequestValidationError]
    answer_error = app.exception_handlers[CredstackError]

    async def authenticate_first(request: Request, exc: Exception) -> Response:
        try:
            await run_in_threadpool(refuse_an_unknown_writer, request)
            answer = judge_body(request, exc)
        except CredstackError as refused:
            answer = answer_error(request, refused)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(RequestValidationError, authenticate_first)


def asks_who_is_calling(route: object) -> bool:
    """Whether ``route`` (a matched FastAPI route) depends on :func:`access_of`, directly or
    through another dependency: it decides by who is calling."""
    dependant = getattr(route, "dependant", None)
    pending = [dependant] if dependant is not None else []
    while pending:
        current = pending.pop()
        if current.call is access_of:
            return True
        pending.extend(current.dependencies)
    return False


def refuse_an_unknown_writer(request: Request) -> None:
    """Refuse (401, recorded) a write whose body did not validate, to a route that asks who
    is calling, when no one is signed in or the credentials are bad: authentication comes
    before the body is judged, so a stranger learns nothing of what a request must hold.

    FastAPI parses and validates the body before the route runs (and before its
    dependencies finish when the JSON itself is malformed), so the route's own check never
    comes; the validation error passes through here first.
    """
    if request.method not in UNSAFE_METHODS or not asks_who_is_calling(
            request.scope.get("route")):
        return
    found = credentials(request)
    if found.principal is None:
        Access(request, found).user()
