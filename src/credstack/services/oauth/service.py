"""The OAuth 2.0 authorization server's use cases, as the web adapter calls them.

* :func:`token` — the token endpoint (``POST /oauth/token``): the authorization code,
  refresh token and client credentials grants, and the extensions' grants.
* :func:`revoke` — RFC 7009 revocation (``POST /oauth/revoke``).
* :func:`register` — RFC 7591 dynamic registration (``POST /oauth/register``), open to
  anyone, so at most :data:`REGISTRATIONS_PER_HOUR` from one address an hour
  (429 ``temporarily_unavailable`` with ``Retry-After``, audited like every refusal);
  clients never used are purged after a week (:mod:`.purge`).
* :func:`push` — RFC 9126 pushed authorization requests (``POST /oauth/par``,
  :mod:`.pushed`), which :func:`consent` and :func:`decide` then read by ``request_uri``.
* :func:`consent` and :func:`decide` — the authorization endpoint (``/oauth/authorize``): the
  request checked and described for the consent page, then the learner's answer.
* :func:`metadata` — RFC 8414 (``/.well-known/oauth-authorization-server``).
* :func:`token_info` — what a bearer token stands for, whichever grant issued it (and
  :func:`known_token`, the same when it was read a moment ago).
* :func:`refuse_oversized` — a request body over the endpoints' limit, refused and audited.

Each call is one transaction. What authlib refuses is answered with the specification's error
and audited in the same transaction (``token.refused``, ``oauth.authorization.refused``,
``oauth.registration.refused``, ``token.revoke.refused``); what the grants do is audited by
them (``token.issued``, ``oauth.code.issued``, ``oauth.code.replayed``,
``oauth.refresh.replayed``, ``token.revoked``, ``oauth.client.registered``,
``oauth.authorization.pushed``; a pushed request refused: ``oauth.par.refused``) and a
learner's refusal by :func:`decide` (``oauth.consent.refused``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from authlib.oauth2.rfc6749.errors import (
    InvalidClientError,
    InvalidRequestError,
    OAuth2Error,
)
from authlib.oauth2.rfc6749.util import extract_basic_authorization

from credstack.adapters.db.repositories import oauth as store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Actor
from credstack.core.oauth.scopes import MAX_SCOPE_PARAMETER
from credstack.errors import RateLimitedError
from credstack.services import access as refusals
from credstack.services import accounts as clients
from credstack.services import accounts as users
from credstack.services import audit
from credstack.services.accounts import TokenInfo
from credstack.services.oauth import pushed, token_cache, tokens
from credstack.services.oauth import server as servers
from credstack.services.oauth.context import Context, ascii_description
from credstack.services.oauth.extensions import Learner
from credstack.services.oauth.models import RegisteredClient
from credstack.services.oauth.requests import HttpRequest, HttpResponse, JsonRequest, Request
from credstack.services.runtime import Runtime

#: Clients one address may register in an hour by default (a wallet registers once per
#: install); ``Settings.oauth_registrations_per_hour`` sets it.
REGISTRATIONS_PER_HOUR: Final = 20
_REGISTRATION_WINDOW: Final = dt.timedelta(hours=1)

#: The largest body the token, revocation and registration endpoints read.
MAX_BODY_BYTES = 16 * 1024
_NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


@dataclass(frozen=True, slots=True)
class ConsentScope:
    scope: str
    ja: str
    en: str


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    """An authorization request that checked out, as the consent page shows it."""

    client_id: str
    client_name: str
    #: The client's home page, if it registered one (on the redirect URIs' host).
    client_uri: str | None
    #: Where the learner is sent back: its host is shown, so that a look-alike name cannot
    #: hide where the code goes.
    redirect_uri: str
    redirect_host: str
    scopes: tuple[ConsentScope, ...]
    #: What ``authorization_details`` ask for, as (ja, en).
    details: tuple[tuple[str, str], ...]
    tos_uri: str | None
    policy_uri: str | None


def base_url(runtime: Runtime) -> str:
    """The issuer identifier and the endpoints' base: the public URL."""
    return runtime.settings.public_url.rstrip("/")


def _context(runtime: Runtime, session: Session, ip: str) -> Context:
    return Context(session=session, now=runtime.now(), ip=ip[:64],
                   ttl=runtime.settings.token_ttl, extensions=runtime.oauth_extensions,
                   runtime=runtime)


def _server(runtime: Runtime, session: Session, ip: str) -> servers.Server:
    return servers.server_for(_context(runtime, session, ip), base_url=base_url(runtime))


def _caller(request: HttpRequest) -> str:
    """The client a request names (HTTP Basic user or ``client_id``), for the audit log."""
    oauth = Request(request)
    header = oauth.headers.get("Authorization")
    if header:
        from_basic = _basic_user(header)
        if from_basic:
            return from_basic[:64]
    return str(oauth.payload.data.get("client_id") or "")[:64]


def _basic_user(header: str) -> str | None:
    user, _ = extract_basic_authorization({"Authorization": header})
    return str(user) if user else None


def _refused(runtime: Runtime, session: Session, server: servers.Server,
             request: HttpRequest, response: HttpResponse, *, action: str,
             **details: Any) -> None:
    # A refusal redirected to the client carries its error in the redirect's query.
    body = response.json() or _redirected(response)
    error = body.get("error") or ("redirected with an error" if response.location else None)
    refusals.audit_refused(runtime, session, at=server.context.now, actor="anonymous",
                            action=action, subject=f"client:{_caller(request)}",
                            details={"error": error, "reason": body.get("error_description"),
                                     "status": response.status, "ip": server.context.ip,
                                     **details}, ip=server.context.ip)


def _redirected(response: HttpResponse) -> dict[str, str]:
    """The parameters of the redirect ``response`` sends the learner with (none if not one)."""
    if not response.location:
        return {}
    return {name: values[0] for name, values in
            parse_qs(urlsplit(response.location).query).items()}


def _client_authentication_problem(request: HttpRequest) -> str | None:
    """Why the request's client authentication cannot be read, before authlib looks: an
    ``Authorization`` header that is not HTTP Basic, or two methods at once (RFC 6749
    §2.3)."""
    oauth = Request(request)
    header = oauth.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "basic" or _basic_user(header) is None or not credentials:
        return "Client authentication uses HTTP Basic or the form fields."
    if "client_secret" in request.form:
        return "Use one client authentication method, not two."
    return None


def token(runtime: Runtime, *, request: HttpRequest) -> HttpResponse:
    """The token endpoint (see the module)."""
    with runtime.transaction() as session:
        server = _server(runtime, session, request.ip)
        oauth = Request(request)
        problem = _client_authentication_problem(request)
        grant_type = oauth.payload.data.get("grant_type")
        if problem is not None:
            response = server.handle_error_response(
                oauth, InvalidClientError(status_code=401, description=problem))
        elif not grant_type:
            response = server.handle_error_response(
                oauth, InvalidRequestError("grant_type is required."))
        elif len(oauth.payload.data.get("scope") or "") > MAX_SCOPE_PARAMETER:
            response = server.handle_error_response(
                oauth, InvalidRequestError(f"scope is longer than {MAX_SCOPE_PARAMETER} "
                                           "characters."))
        else:
            response = server.create_token_response(oauth)
        if response.status != 200:
            _refused(runtime, session, server, request, response, action="token.refused",
                     grant_type=str(grant_type)[:100] if grant_type else None)
        return _no_store(response)


def revoke(runtime: Runtime, *, request: HttpRequest) -> HttpResponse:
    """RFC 7009 revocation: 200 for a token the client holds or an unknown one."""
    with runtime.transaction() as session:
        server = _server(runtime, session, request.ip)
        oauth = Request(request)
        problem = _client_authentication_problem(request)
        if problem is not None:
            response = server.handle_error_response(
                oauth, InvalidClientError(status_code=401, description=problem))
        else:
            response = server.create_endpoint_response("revocation", oauth)
        if response.status != 200:
            _refused(runtime, session, server, request, response, action="token.revoke.refused")
        return _no_store(response)


def register(runtime: Runtime, *, request: HttpRequest) -> HttpResponse:
    """RFC 7591 registration: 201 with the metadata, ``client_id`` and (for a confidential
    client) ``client_secret``, shown this once; 400 ``invalid_redirect_uri`` or
    ``invalid_client_metadata`` naming the field."""
    with runtime.transaction() as session:
        server = _server(runtime, session, request.ip)
        try:
            _limit_registrations(session, ip=server.context.ip, now=server.context.now,
                                 most=runtime.settings.oauth_registrations_per_hour)
        except RateLimitedError as limited:
            response = _rate_limited(limited)
        else:
            response = server.create_endpoint_response("client_registration",
                                                       JsonRequest(request))
        if response.status != 201:
            ip = server.context.ip
            refusals.audit_refused(runtime, session, at=server.context.now,
                                    actor="anonymous", action="oauth.registration.refused",
                                    subject="client:", ip=ip, details={
                                        "error": response.json().get("error"),
                                        "reason": response.json().get("error_description"),
                                        "status": response.status, "ip": ip})
        return _no_store(response)


def _rate_limited(limited: RateLimitedError) -> HttpResponse:
    """A registration past the address's hourly limit as RFC 7591 §3.2.2 answers an error
    (a JSON ``error`` and ``error_description``): 429 (RFC 6585) with ``Retry-After``, and
    ``temporarily_unavailable`` — the OAuth error registry's word for a server that cannot
    take the request now but will later (RFC 7591 names no error for a limit)."""
    return HttpResponse(429, {"error": "temporarily_unavailable",
                              "error_description": ascii_description(limited.message)},
                        (("Retry-After", str(limited.retry_after)),))


def _limit_registrations(session: Session, *, ip: str, now: dt.datetime, most: int) -> None:
    """RateLimitedError when ``ip`` registered ``most`` clients in the last hour (the
    setting, :data:`REGISTRATIONS_PER_HOUR` by default), saying when the oldest of them leaves
    the window."""
    since = now - _REGISTRATION_WINDOW
    count, oldest = store.registrations_since(session, ip=ip, since=since)
    if count < most or oldest is None:
        return
    wait = max(1, int((oldest + _REGISTRATION_WINDOW - now).total_seconds()) + 1)
    raise RateLimitedError(
        f"This address registered {most} clients in the last hour, the "
        f"most accepted; try again in {wait} seconds. / このアドレスからの直近 1 時間の"
        f"クライアント登録が上限（{most} 件）に達しました。{wait} 秒後に"
        "もう一度お試しください。", retry_after=wait)


def push(runtime: Runtime, *, request: HttpRequest) -> HttpResponse:
    """RFC 9126: 201 with the ``request_uri`` of the checked request, or its error as JSON
    (never a redirect), audited (``oauth.par.refused``)."""
    with runtime.transaction() as session:
        server = _server(runtime, session, request.ip)
        problem = _client_authentication_problem(request)
        try:
            if problem is not None:
                raise InvalidClientError(status_code=401, description=problem)
            response = pushed.push(server, Request(request))
        except OAuth2Error as error:
            body = {"error": error.error}
            if error.description:
                body["error_description"] = error.description
            response = HttpResponse(error.status_code, body)
            _refused(runtime, session, server, request, response, action="oauth.par.refused")
        return _no_store(response)


def metadata(runtime: Runtime) -> dict[str, Any]:
    """RFC 8414 authorization server metadata."""
    return servers.metadata(base_url(runtime), runtime.oauth_extensions)


def _user(session: Session, actor: Actor) -> Learner:
    principal = actor.user()
    assert principal.user_id is not None
    owner = users.user_row(session, principal.user_id)
    assert owner is not None
    return owner


@dataclass(frozen=True, slots=True)
class _Checked:
    """An authorization request that checked out: the signed-in learner, the server that
    checked it, the request as authlib reads it (the pushed one, if it named one), authlib's
    grant for it, and the pushed request's id."""

    owner: Learner
    server: servers.Server
    oauth: Request
    grant: Any
    pushed: int | None


def _checked(runtime: Runtime, session: Session, actor: Actor,
             request: HttpRequest) -> _Checked | HttpResponse:
    """The signed-in learner's checked authorization request, or the error answer (a redirect
    to the client, or a 400 for the learner), audited (``oauth.authorization.refused``)."""
    owner = _user(session, actor)
    server = _server(runtime, session, request.ip)
    oauth = Request(request)
    try:
        resolved, row = pushed.resolve(server.context, request)
        oauth = Request(resolved)
        return _Checked(owner, server, oauth, server.get_consent_grant(oauth, end_user=owner),
                        row)
    except OAuth2Error as error:
        response: HttpResponse = server.handle_error_response(oauth, error)
        _refused(runtime, session, server, request, response,
                 action="oauth.authorization.refused", user=f"user:{owner.id}")
        return response


def consent(runtime: Runtime, *, actor: Actor, request: HttpRequest
            ) -> ConsentRequest | HttpResponse:
    """The authorization request of a signed-in learner, checked: what the consent page shows,
    or the error — a redirect to the client when its redirect URI is known good, else a 400
    the page shows the learner (RFC 6749 §4.1.2.1: never redirect to an unchecked URI)."""
    with runtime.transaction() as session:
        checked = _checked(runtime, session, actor, request)
        if isinstance(checked, HttpResponse):
            return checked
        server, oauth, grant = checked.server, checked.oauth, checked.grant
        client: RegisteredClient = grant.client
        extensions = server.context.extensions
        details = tuple(
            describe(entry) for entry in getattr(oauth, "authorization_details", None) or ()
            for extension in extensions
            if (describe := extension.describe_details) is not None)
        registered: Mapping[str, Any] = client.row.client_metadata
        return ConsentRequest(
            client_id=client.get_client_id(), client_name=client.name,
            client_uri=registered.get("client_uri"), redirect_uri=grant.redirect_uri,
            redirect_host=_host(grant.redirect_uri),
            scopes=tuple(ConsentScope(scope, *servers.describe_scope(scope, extensions))
                         for scope in oauth.scope.split()),
            details=details, tos_uri=registered.get("tos_uri"),
            policy_uri=registered.get("policy_uri"))


def decide(runtime: Runtime, *, actor: Actor, request: HttpRequest, allow: bool
           ) -> HttpResponse:
    """The learner's answer on the consent page: a code (``oauth.code.issued``) or
    ``access_denied`` (``oauth.consent.refused``), sent to the client's redirect URI."""
    with runtime.transaction() as session:
        checked = _checked(runtime, session, actor, request)
        if isinstance(checked, HttpResponse):
            return checked
        owner, server, oauth, grant = checked.owner, checked.server, checked.oauth, checked.grant
        try:
            pushed.spend(server.context, checked.pushed)
        except OAuth2Error as error:
            refused: HttpResponse = server.handle_error_response(oauth, error)
            _refused(runtime, session, server, request, refused,
                     action="oauth.authorization.refused", user=f"user:{owner.id}")
            return refused
        answer: HttpResponse = server.create_authorization_response(
            oauth, grant_user=owner if allow else None, grant=grant)
        if allow and (answer.status >= 400 or "error" in _redirected(answer)):
            # An extension refused to let the code be made (an issuer_state taken meanwhile).
            _refused(runtime, session, server, request, answer,
                     action="oauth.authorization.refused", user=f"user:{owner.id}")
        elif not allow:
            audit.record(session, at=server.context.now, actor=f"user:{owner.id}",
                         action="oauth.consent.refused",
                         subject=f"client:{grant.client.get_client_id()}",
                         details={"scope": oauth.scope, "ip": server.context.ip})
        return answer


def token_info(runtime: Runtime, *, token: str) -> TokenInfo:
    """What a bearer token stands for — an API client's (``cst_``) or a learner's
    authorization's (``csa_``); InvalidTokenError when it may not be used. Read once a
    moment (:mod:`.token_cache`)."""
    return token_cache.verified(runtime, token, lambda: _token_info(runtime, token))


def known_token(runtime: Runtime, *, token: str) -> TokenInfo | None:
    """What :func:`token_info` answers for ``token`` if it was read within the moment, else
    ``None``, without reading the store (what an event loop may ask before it hands the
    read to a thread)."""
    return token_cache.known(runtime, token)


def _token_info(runtime: Runtime, token: str) -> TokenInfo:
    if not token.startswith(tokens.ACCESS_PREFIX):
        return clients.token_info(runtime, token=token)
    with runtime.sessions() as session:
        return tokens.token_info(session, token, now=runtime.now())


def refuse_oversized(runtime: Runtime, *, endpoint: str, size: int, ip: str) -> HttpResponse:
    """A body over :data:`MAX_BODY_BYTES` sent to ``endpoint``: 413 ``invalid_request``,
    audited (``oauth.request.refused``); nothing of it is read."""
    description = (f"The request body is {size:,} bytes; this endpoint accepts at most "
                   f"{MAX_BODY_BYTES:,}.")
    with runtime.transaction() as session:
        refusals.audit_refused(runtime, session, at=runtime.now(), actor="anonymous",
                                action="oauth.request.refused", subject=f"endpoint:{endpoint}",
                                details={"size": size, "limit": MAX_BODY_BYTES,
                                         "ip": ip[:64]}, ip=ip[:64])
    return HttpResponse(413, {"error": "invalid_request", "error_description": description},
                        _NO_STORE)


def _host(url: str) -> str:
    """Where the code goes, as the consent page names it: the redirect URI's host, or the
    private-use scheme of a native app's (``com.example.wallet:``)."""
    parts = urlsplit(url)
    return parts.netloc or f"{parts.scheme}:"


def _no_store(response: HttpResponse) -> HttpResponse:
    names = {name.lower() for name, _ in response.headers}
    extra = tuple(header for header in _NO_STORE if header[0].lower() not in names)
    return HttpResponse(response.status, response.body, (*response.headers, *extra))
