"""OAuth 2.0 endpoints of credstack's authorization server (:mod:`credstack.services.oauth`).

* ``POST /oauth/token`` — the token endpoint: the authorization code grant (PKCE, S256
  only), the refresh token grant (rotating), and the client credentials grant for API
  clients, as before (HTTP Basic, ``client_id:client_secret`` each form-urlencoded, or the
  form fields — not both). Errors are RFC 6749 §5.2 JSON; every answer carries
  ``Cache-Control: no-store``.
* ``POST /oauth/revoke`` — RFC 7009: 200 whether or not the token was known, once the client
  has authenticated; a refresh token takes its whole family with it.
* ``POST /oauth/register`` — RFC 7591 dynamic registration (no initial access token).
* ``POST /oauth/par`` — RFC 9126 pushed authorization requests: 201 with a ``request_uri``
  the authorization endpoint then reads, or the error as JSON.
* ``GET /.well-known/oauth-authorization-server`` — RFC 8414 metadata.

The authorization endpoint, where the learner consents, is a page:
:mod:`credstack.entrypoints.web.pages.oauth`. Bodies over 16 KiB are refused with 413
``invalid_request`` before they are read, and audited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from credstack.entrypoints.web.access import client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.oauth import server as endpoints
from credstack.services.oauth import service as oauth
from credstack.services.oauth.requests import HttpRequest, HttpResponse
from credstack.services.runtime import Runtime

router = APIRouter(tags=["oauth"])

#: The endpoints whose bodies are read here, under :data:`oauth.MAX_BODY_BYTES`.
BODY_PATHS = (endpoints.TOKEN_PATH, endpoints.REVOCATION_PATH, endpoints.REGISTRATION_PATH,
              endpoints.PAR_PATH)
MAX_BODY_BYTES = oauth.MAX_BODY_BYTES
_FORM = "application/x-www-form-urlencoded"


def public_url_of(request: Request, runtime: Runtime) -> str:
    """The URL the request was sent to, on the public base URL (what authlib checks for
    HTTPS, and what a proxy in front does not change)."""
    query = request.url.query
    return oauth.base_url(runtime) + request.url.path + (f"?{query}" if query else "")


def fields(text: str) -> dict[str, list[str]]:
    return parse_qs(text, keep_blank_values=True, max_num_fields=100)


async def http_request(request: Request, runtime: Runtime, *, body: bytes = b"",
                       form: dict[str, list[str]] | None = None) -> HttpRequest:
    """``request`` as the authorization server reads it."""
    document = None
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if form is None:
        form = {}
        if body and media_type == _FORM:
            form = fields(body.decode("utf-8", errors="replace"))
        elif body and media_type.endswith("json"):
            try:
                document = json.loads(body)
            except (ValueError, RecursionError):
                document = None
    return HttpRequest(method=request.method, url=public_url_of(request, runtime),
                       headers=dict(request.headers), query=fields(request.url.query),
                       form=form, json=document, ip=client_ip(request))


def as_response(answer: HttpResponse) -> Response:
    headers = {name: value for name, value in answer.headers
               if name.lower() != "content-type"}
    if isinstance(answer.body, dict):
        return JSONResponse(answer.body, status_code=answer.status, headers=headers)
    return Response(answer.body or None, status_code=answer.status, headers=headers)


async def _body(request: Request, runtime: Runtime, endpoint: str) -> bytes | Response:
    """The body, or the 413 answer when it is over the limit (declared or sent)."""
    declared = request.headers.get("content-length", "")
    size = int(declared) if declared.isdigit() else 0
    if size <= oauth.MAX_BODY_BYTES:
        body = await request.body()
        if len(body) <= oauth.MAX_BODY_BYTES:
            return body
        size = len(body)
    refused = await run_in_threadpool(oauth.refuse_oversized, runtime, endpoint=endpoint,
                                      size=size, ip=client_ip(request))
    return as_response(refused)


async def _endpoint(request: Request, runtime: Runtime, name: str,
                    serve: Callable[..., HttpResponse]) -> Response:
    """Read the body (under the limit), hand the request to the service, answer."""
    body = await _body(request, runtime, name)
    if isinstance(body, Response):
        return body
    asked = await http_request(request, runtime, body=body)
    return as_response(await run_in_threadpool(serve, runtime, request=asked))


@router.post(endpoints.TOKEN_PATH, summary="OAuth 2.0 token endpoint")
async def token(request: Request, runtime: RuntimeDep) -> Response:
    return await _endpoint(request, runtime, "token", oauth.token)


@router.post(endpoints.REVOCATION_PATH, summary="OAuth 2.0 token revocation (RFC 7009)")
async def revoke(request: Request, runtime: RuntimeDep) -> Response:
    return await _endpoint(request, runtime, "revoke", oauth.revoke)


@router.post(endpoints.REGISTRATION_PATH, status_code=201,
             summary="OAuth 2.0 dynamic client registration (RFC 7591)")
async def register(request: Request, runtime: RuntimeDep) -> Response:
    return await _endpoint(request, runtime, "register", oauth.register)


@router.post(endpoints.PAR_PATH, status_code=201,
             summary="OAuth 2.0 pushed authorization request (RFC 9126)")
async def push(request: Request, runtime: RuntimeDep) -> Response:
    return await _endpoint(request, runtime, "par", oauth.push)


@router.get(endpoints.METADATA_PATH, summary="OAuth 2.0 authorization server metadata "
                                             "(RFC 8414)")
def metadata(runtime: RuntimeDep) -> JSONResponse:
    return JSONResponse(oauth.metadata(runtime), headers={"Cache-Control": "max-age=3600"})
