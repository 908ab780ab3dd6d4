"""OAuth 2.0 for API clients: the token endpoint and token revocation.

* ``POST /oauth/token`` — the client credentials grant (RFC 6749 §4.4). The client
  authenticates with HTTP Basic (``client_id:client_secret``, each form-urlencoded, §2.3.1)
  or with the form fields ``client_id`` and ``client_secret`` — not both. ``scope``
  (space-separated, optional) narrows the token below the client's allowed scopes. Errors are
  RFC 6749 §5.2 JSON (``invalid_request``, ``invalid_client`` 401, ``unsupported_grant_type``,
  ``invalid_scope``); every answer carries ``Cache-Control: no-store``.
* ``POST /oauth/revoke`` — token revocation (RFC 7009): 200 whether or not the token was
  known, once the client has authenticated.

The clients themselves are made and revoked through :mod:`credstack.adapters.web.api.accounts`
(or ``credstack accounts client``); the service is :mod:`credstack.services.accounts.clients`.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated
from urllib.parse import unquote_plus

from fastapi import APIRouter, Form, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from credstack.adapters.web.access import client_ip
from credstack.adapters.web.dependencies import RuntimeDep
from credstack.errors import AuthenticationRequiredError, InputError
from credstack.services.accounts import clients

router = APIRouter(tags=["accounts"])

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


# --- OAuth 2.0 ---------------------------------------------------------------------------


def _oauth_error(code: str, description: str, *, status_code: int = 400,
                 basic: bool = False) -> JSONResponse:
    headers = dict(NO_STORE)
    if status_code == 401:
        headers["WWW-Authenticate"] = 'Basic realm="credstack"' if basic else \
            'Basic realm="credstack", error="invalid_client"'
    return JSONResponse({"error": code, "error_description": description},
                        status_code=status_code, headers=headers)


class _ClientCredentials:
    """The client's id and secret from HTTP Basic or the form, or the reason they are not."""

    def __init__(self, request: Request, form_id: str | None, form_secret: str | None) -> None:
        self.basic = False
        self.problem: str | None = None
        self.client_id = ""
        self.secret = ""
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, encoded = header.strip().partition(" ")
            if scheme.lower() != "basic":
                self.problem = "Client authentication uses HTTP Basic or the form fields."
                return
            self.basic = True
            try:
                decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                self.problem = "The Basic credentials are not base64 of id:secret."
                return
            client_id, colon, secret = decoded.partition(":")
            if not colon:
                self.problem = "The Basic credentials are not base64 of id:secret."
                return
            if form_id is not None or form_secret is not None:
                self.problem = "Use one client authentication method, not two."
                return
            self.client_id, self.secret = unquote_plus(client_id), unquote_plus(secret)
        elif form_id and form_secret is not None:
            self.client_id, self.secret = form_id, form_secret
        else:
            self.problem = "The client did not authenticate."


FormText = Annotated[str | None, Form()]


@router.post("/oauth/token", summary="OAuth 2.0 token endpoint (client credentials grant)")
async def token(request: Request, runtime: RuntimeDep, grant_type: FormText = None,
                scope: FormText = None, client_id: FormText = None,
                client_secret: FormText = None) -> Response:
    if not grant_type:
        return _oauth_error("invalid_request", "grant_type is required.")
    if grant_type != "client_credentials":
        return _oauth_error("unsupported_grant_type",
                            "Only the client_credentials grant is supported.")
    client = _ClientCredentials(request, client_id, client_secret)
    if client.problem is not None:
        return _oauth_error("invalid_client", client.problem, status_code=401,
                            basic=client.basic)
    try:
        issued = await run_in_threadpool(
            clients.issue_token, runtime, client_id=client.client_id, secret=client.secret,
            scope=scope, ip=client_ip(request))
    except AuthenticationRequiredError as exc:
        return _oauth_error("invalid_client", exc.message, status_code=401, basic=client.basic)
    except InputError as exc:
        return _oauth_error("invalid_scope", exc.message)
    return JSONResponse({"access_token": issued.access_token, "token_type": "Bearer",
                         "expires_in": issued.expires_in, "scope": issued.scope},
                        headers=NO_STORE)


@router.post("/oauth/revoke", summary="OAuth 2.0 token revocation (RFC 7009)")
async def revoke(request: Request, runtime: RuntimeDep, token: FormText = None,
                 token_type_hint: FormText = None, client_id: FormText = None,
                 client_secret: FormText = None) -> Response:
    client = _ClientCredentials(request, client_id, client_secret)
    if client.problem is not None:
        return _oauth_error("invalid_client", client.problem, status_code=401,
                            basic=client.basic)
    if not token:
        return _oauth_error("invalid_request", "token is required.")
    try:
        await run_in_threadpool(clients.revoke_token, runtime, client_id=client.client_id,
                                secret=client.secret, token=token, ip=client_ip(request))
    except AuthenticationRequiredError as exc:
        return _oauth_error("invalid_client", exc.message, status_code=401, basic=client.basic)
    return Response(status_code=200, headers=NO_STORE)
