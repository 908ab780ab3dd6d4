"""Pushed authorization requests (RFC 9126): a client posts its authorization request to the
server first, and sends the learner's browser with only a reference to it.

* :func:`push` — ``POST /oauth/par``: the client authenticates as at the token endpoint (a
  public client names itself with ``client_id``), the request is checked exactly as the
  authorization endpoint checks one (PKCE S256, the registered redirect URI, scopes,
  ``state``, ``authorization_details``) and kept, under the digest of a random
  ``request_uri`` (``urn:ietf:params:oauth:request_uri:…``), for ten minutes — long enough to
  sign in first — until the learner answers it. A faulty request is answered with the JSON
  error, never a redirect (§2.3). Audited: ``oauth.authorization.pushed``.
* :func:`resolve` — the authorization endpoint given ``client_id`` and ``request_uri``: the
  pushed parameters replace the address's (§4: none sent beside the reference is read).
  A reference that is unknown, another client's, expired or already answered is
  ``invalid_request``, shown to the learner (there is no checked redirect URI to send it to).

Both work in the request's :class:`~.context.Context`; the service opens the transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Final

from authlib.oauth2.rfc6749.errors import InvalidRequestError, UnauthorizedClientError

from credstack.adapters.db.repositories import oauth as store
from credstack.services import audit
from credstack.services.oauth import server as servers
from credstack.services.oauth.context import Context
from credstack.services.oauth.models import RegisteredClient
from credstack.services.oauth.requests import HttpRequest, HttpResponse, Request

#: RFC 9126 §2.2: the ``request_uri`` the server makes.
URN: Final = "urn:ietf:params:oauth:request_uri:"
#: How long a pushed request waits for the learner (seconds).
PUSHED_TTL: Final = 600
#: Client authentication is checked, never kept with the request.
_NOT_KEPT: Final = frozenset({"client_secret", "client_assertion", "client_assertion_type"})
_MAX_REFERENCE: Final = 128


def push(server: servers.Server, oauth: Request) -> HttpResponse:
    """The pushed request checked and kept: 201 with its ``request_uri`` and ``expires_in``
    (raises authlib's ``OAuth2Error`` for one refused)."""
    context: Context = server.context
    data = oauth.payload.data
    if "request_uri" in data:
        raise InvalidRequestError("request_uri may not be pushed (RFC 9126 section 2.1).")
    client = server.authenticate_client(oauth, list(servers.AUTH_METHODS),
                                        endpoint="pushed_authorization_request")
    if not isinstance(client, RegisteredClient):
        raise UnauthorizedClientError("This client may not ask a learner for authorization.")
    if data.get("client_id") != client.get_client_id():
        raise InvalidRequestError("client_id must name the client that authenticated.")
    server.get_authorization_grant(oauth).validate_authorization_request()
    secret = secrets.token_urlsafe(32)
    kept = store.add_pushed_request(
        context.session, secret=secret, client_id=client.key,
        params={name: value for name, value in oauth.form.items() if name not in _NOT_KEPT},
        at=context.now, expires_at=context.now + dt.timedelta(seconds=PUSHED_TTL))
    who = f"client:{client.get_client_id()}"
    audit.record(context.session, at=context.now, actor=who,
                 action="oauth.authorization.pushed", subject=who,
                 details={"request": kept, "scope": data.get("scope"), "ip": context.ip})
    return HttpResponse(201, {"request_uri": URN + secret, "expires_in": PUSHED_TTL})


def _single(values: object) -> str | None:
    if isinstance(values, list | tuple) and len(values) == 1 and isinstance(values[0], str):
        return values[0]
    return None


def resolve(context: Context, request: HttpRequest
            ) -> tuple[HttpRequest, int | None]:
    """``request`` with the pushed parameters its ``request_uri`` names, and their id; the
    request as it is when it names none (raises ``InvalidRequestError``, see the module)."""
    if "request_uri" not in request.query:
        return request, None
    reference = _single(request.query.get("request_uri")) or ""
    secret = reference.removeprefix(URN) if reference.startswith(URN) else ""
    row = (store.pushed_request(context.session, secret)
           if 0 < len(secret) <= _MAX_REFERENCE else None)
    if row is None:
        raise InvalidRequestError("request_uri is not known.")
    owner = store.client_by_key(context.session, row.client_id)
    if owner is None or _single(request.query.get("client_id")) != owner.client_id:
        raise InvalidRequestError("request_uri was pushed by another client.")
    if row.used_at is not None:
        raise InvalidRequestError("request_uri was answered already.")
    if context.now >= row.expires_at:
        raise InvalidRequestError("request_uri has expired.")
    pushed = {name: [value] for name, value in row.params.items()}
    return dataclasses.replace(request, query=pushed, form={}), row.id


def spend(context: Context, pushed: int | None) -> None:
    """Mark the pushed request ``pushed`` answered (nothing for none); a second answer, even
    a concurrent one, is ``invalid_request``."""
    if pushed is not None and not store.spend_pushed_request(context.session, pushed,
                                                             at=context.now):
        raise InvalidRequestError("request_uri was answered already.")
