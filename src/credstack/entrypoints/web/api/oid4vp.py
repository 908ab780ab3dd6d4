"""OpenID for Verifiable Presentations 1.0 over HTTP: credstack as verifier, and the wallet.

==============================================  ============================================
``POST /api/oid4vp/requests``                   a signed-in person asks for credentials:
                                                ``{"label", "dcql_query", "signed_as",
                                                "request_uri_method", "response_mode"}``
                                                (all optional)
                                                → the ``openid4vp://`` request to show
``GET|POST /oid4vp/requests/{id}``              the ``request_uri`` of a signed request:
                                                the request object
                                                (``application/oauth-authz-req+jwt``); a
                                                POST's form may hold ``wallet_metadata``
                                                and ``wallet_nonce`` (§5.10)
``GET /api/oid4vp/requests/{id}``               what the wallet answered, verified (the
                                                asker only)
``POST /oid4vp/responses/{id}``                 the response URI: the wallet's
                                                ``direct_post`` (``vp_token``, ``state``) or
                                                ``direct_post.jwt`` (``response``)
``POST /api/wallet/oid4vp/proposal``            the learner's wallet reads a request
                                                ``{"request": "openid4vp://…"}``: what of
                                                the wallet answers each Credential Query
``POST /api/wallet/oid4vp/answer``              ``{"request", "chosen": {query id: wallet
                                                id}}``: present those, post to the verifier
==============================================  ============================================

The response URI answers the specification's JSON errors (``invalid_request``), the rest RFC
9457 problems.
"""

from __future__ import annotations

from typing import Any, Final, Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from credstack.core.oid4vp.request_objects import MEDIA_TYPE
from credstack.entrypoints.web.access import AccessDep, client_ip
from credstack.entrypoints.web.api.oid4vci import protocol_error
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.errors import ExchangeProtocolError
from credstack.services.oid4vp import holder, verifier

router = APIRouter(tags=["oid4vp"])

_NO_STORE: Final = {"Cache-Control": "no-store"}
#: The largest answer read at the response URI (a few presentations with their credentials).
MAX_RESPONSE_BYTES: Final = 1024 * 1024
#: The largest body of a ``request_uri_method=post`` fetch (its wallet metadata and nonce).
MAX_WALLET_METADATA_BYTES: Final = 64 * 1024
_FORM: Final = "application/x-www-form-urlencoded"


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(default="", max_length=200)
    dcql_query: dict[str, Any] | None = None
    signed_as: str | None = Field(default=None, max_length=64, description=(
        "An organisation (slug) to sign the request as: passed by request_uri."))
    request_uri_method: Literal["get", "post"] = "get"
    response_mode: Literal["direct_post", "direct_post.jwt"] = "direct_post"
    did_method: Literal["did:key", "did:web"] = Field(default="did:key", description=(
        "With signed_as: the organisation's DID the request is signed as."))


@router.post("/api/oid4vp/requests", summary="Ask a wallet for credentials (OID4VP)")
async def create_request(body: RequestIn, runtime: RuntimeDep, access: AccessDep
                         ) -> JSONResponse:
    made = await run_in_threadpool(verifier.create_request, runtime, actor=access,
                                   label=body.label, query=body.dcql_query,
                                   signed_as=body.signed_as,
                                   request_uri_method=body.request_uri_method,
                                   response_mode=body.response_mode,
                                   did_method=body.did_method)
    return JSONResponse({"id": made.public_id, "request_uri": made.uri,
                         "expires_at": made.expires_at.isoformat()},
                        status_code=201, headers=_NO_STORE)


@router.get("/api/oid4vp/requests/{public_id}", summary="What the wallet answered, verified")
async def read_request(public_id: str, runtime: RuntimeDep, access: AccessDep
                       ) -> JSONResponse:
    found = await run_in_threadpool(verifier.result, runtime, actor=access,
                                    public_id=public_id)
    return JSONResponse(found.to_dict(), headers=_NO_STORE)


@router.get("/oid4vp/requests/{public_id}", operation_id="oid4vp_request_object_get",
            summary="The request_uri of a signed OID4VP request (RFC 9101)")
@router.post("/oid4vp/requests/{public_id}", operation_id="oid4vp_request_object_post",
             summary="The request_uri of a signed OID4VP request, with the wallet's "
                     "metadata (OID4VP §5.10)")
async def request_object(public_id: str, request: Request, runtime: RuntimeDep) -> Response:
    try:
        body = await request.body()
        if len(body) > MAX_WALLET_METADATA_BYTES:
            raise ExchangeProtocolError(
                f"The request_uri POST body is over {MAX_WALLET_METADATA_BYTES} bytes "
                "(wallet_metadata and wallet_nonce are a few KiB).", error="invalid_request")
        fields: dict[str, str] = {}
        if request.method == "POST" and body:
            fields = _posted(request, body)
        signed = await run_in_threadpool(verifier.request_object, runtime,
                                         public_id=public_id, method=request.method.lower(),
                                         form=fields)
    except ExchangeProtocolError as exc:
        return protocol_error(exc)
    return Response(signed, media_type=MEDIA_TYPE, headers=_NO_STORE)


def _posted(request: Request, body: bytes) -> dict[str, str]:
    """The fields of a ``request_uri`` POST (§5.10: ``application/x-www-form-urlencoded``,
    UTF-8); a field sent twice is refused rather than one of its values picked."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != _FORM:
        raise ExchangeProtocolError(f"The request_uri takes a POST of {_FORM}, not "
                                    f"{media_type[:60] or 'an unnamed type'}.",
                                    error="invalid_request")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict",
                          max_num_fields=100)
    except (UnicodeDecodeError, ValueError):
        raise ExchangeProtocolError("The request_uri POST body is not UTF-8 form data (of at "
                                    "most 100 fields).",
                                    error="invalid_request") from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields and name in ("wallet_metadata", "wallet_nonce"):
            raise ExchangeProtocolError(f"{name} is given twice.", error="invalid_request")
        fields[name] = value
    return fields


@router.post("/oid4vp/responses/{public_id}", summary="The OID4VP response URI (direct_post)")
async def response(public_id: str, request: Request, runtime: RuntimeDep) -> JSONResponse:
    body = await request.body()
    try:
        if len(body) > MAX_RESPONSE_BYTES:
            raise ExchangeProtocolError("The response is too large.", error="invalid_request")
        form = await request.form()
        fields = {name: value for name, value in form.items() if isinstance(value, str)}
        answer = await run_in_threadpool(verifier.receive, runtime, public_id=public_id,
                                         form=fields, ip=client_ip(request))
    except ExchangeProtocolError as exc:
        return protocol_error(exc)
    return JSONResponse(answer, headers=_NO_STORE)


class ProposalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: str = Field(max_length=16 * 1024, description="The openid4vp:// request.")


class AnswerIn(ProposalIn):
    chosen: dict[str, str] = Field(description="Credential Query id → wallet credential id.")


@router.post("/api/wallet/oid4vp/proposal", summary="What the wallet could answer a request "
             "with")
async def proposal(body: ProposalIn, runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    found = await run_in_threadpool(holder.proposal, runtime, actor=access, uri=body.request)
    return JSONResponse({"verifier": found.verifier, "choices": {
        name: [{"id": item.public_id, "title": item.title, "format": item.format}
               for item in items] for name, items in found.choices.items()}},
        headers=_NO_STORE)


@router.post("/api/wallet/oid4vp/answer", summary="Present chosen credentials to a verifier")
async def answer(body: AnswerIn, runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    sent = await run_in_threadpool(holder.answer, runtime, actor=access, uri=body.request,
                                   chosen=body.chosen)
    return JSONResponse({"verifier_answer": sent.reply}, headers=_NO_STORE)
