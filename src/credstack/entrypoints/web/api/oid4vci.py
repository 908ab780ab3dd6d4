"""OpenID for Verifiable Credential Issuance 1.0: the issuer's HTTP endpoints.

============================================  ================================================
``GET /.well-known/openid-credential-issuer``  the Credential Issuer Metadata (§12.2)
``GET /oid4vci/offers/{id}``                  an offer by reference (``credential_offer_uri``)
``POST /oid4vci/nonce``                        a fresh ``c_nonce`` (``no-store``)
``POST /oid4vci/credential``                   the Credential Endpoint (Bearer access token)
``POST /api/oid4vci/offers``                   make an offer of a credential (its learner or
                                               issuer): the offer, its URIs and ``tx_code``
``POST /api/wallet/oid4vci/offers``            the learner's wallet receives another
                                               issuer's offer: ``{"offer", "tx_code"}``
============================================  ================================================

The token endpoint and the RFC 8414 metadata are the authorization server's (:mod:`.oauth`);
OID4VCI's pre-authorised code grant, scopes and ``authorization_details`` type are added to
it by :mod:`credstack.services.oid4vci.grants`.

Refusals are the specification's JSON errors (``{"error", "error_description"}``, 400, or 401
with ``WWW-Authenticate: Bearer error="invalid_token"``), not RFC 9457 problems; every answer
is ``Cache-Control: no-store``.
"""

from __future__ import annotations

import json
from typing import Final

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.entrypoints.web.access import AccessDep, client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.errors import ExchangeProtocolError
from credstack.services.oid4vci import offers
from credstack.services.oid4vci import service as oid4vci
from credstack.services.oid4vci import wallet as receiving
from credstack.words import protocol_description

router = APIRouter(tags=["oid4vci"])

NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}
#: The largest Credential Request read (a key proof and two ids fit in a few kilobytes).
MAX_REQUEST_BYTES: Final = 64 * 1024


def protocol_error(error: ExchangeProtocolError) -> JSONResponse:
    """The specification's error answer for ``error``."""
    headers = dict(NO_STORE)
    if error.status == 401:
        headers["WWW-Authenticate"] = f'Bearer error="{error.error}"'
    return JSONResponse({"error": error.error, "error_description": protocol_description(error)},
                        status_code=error.status, headers=headers)


@router.get("/.well-known/openid-credential-issuer",
            summary="OID4VCI Credential Issuer Metadata")
async def issuer_metadata(runtime: RuntimeDep) -> JSONResponse:
    return JSONResponse(oid4vci.issuer_metadata(runtime),
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/oid4vci/offers/{public_id}", summary="A credential offer, by reference")
async def offer(public_id: str, runtime: RuntimeDep) -> JSONResponse:
    document = await run_in_threadpool(offers.offer_document, runtime, public_id=public_id)
    return JSONResponse(document, headers=NO_STORE)


@router.post("/oid4vci/nonce", summary="A fresh c_nonce for key proofs")
async def nonce(runtime: RuntimeDep) -> JSONResponse:
    return JSONResponse({"c_nonce": oid4vci.new_nonce(runtime)}, headers=NO_STORE)


@router.post("/oid4vci/credential", summary="The OID4VCI Credential Endpoint")
async def credential(request: Request, runtime: RuntimeDep) -> JSONResponse:
    body = await request.body()
    try:
        if len(body) > MAX_REQUEST_BYTES:
            raise ExchangeProtocolError("The Credential Request is too large.",
                                        error="invalid_credential_request")
        try:
            parsed: object = json.loads(body)
        except ValueError:
            parsed = None
        issued = await run_in_threadpool(
            oid4vci.issue, runtime,
            access_token=oid4vci.bearer_token(request.headers.get("authorization")),
            body=parsed, ip=client_ip(request))
    except ExchangeProtocolError as exc:
        return protocol_error(exc)
    return JSONResponse(issued.to_json(), headers=NO_STORE)


class OfferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential_id: str = Field(max_length=2048, description="The issued credential's id.")
    tx_code: bool = Field(default=True, description="Ask for a transaction code (a PIN).")
    channel: str = Field(default="api", pattern="^(page|mail|api)$")
    configurations: list[str] | None = Field(default=None, max_length=8)
    authorization_code: bool = Field(default=False, description="Name the authorization_code "
                                     "grant too (an issuer_state), for wallets that sign the "
                                     "learner in.")


@router.post("/api/oid4vci/offers", summary="Offer an issued credential to a wallet")
async def create_offer(body: OfferIn, runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    made = await run_in_threadpool(
        offers.create_offer, runtime, actor=access, credential_id=body.credential_id,
        channel=body.channel, tx_code=body.tx_code, configurations=body.configurations,
        authorization_code=body.authorization_code)
    return JSONResponse({"offer": made.offer, "credential_offer": made.by_value,
                         "credential_offer_uri": made.by_reference, "offer_url": made.url,
                         "tx_code": made.tx_code, "expires_at": made.expires_at.isoformat()},
                        status_code=201, headers=NO_STORE)


class ReceiveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offer: str = Field(max_length=16 * 1024, description="The openid-credential-offer:// URI.")
    tx_code: str | None = Field(default=None, max_length=64)


@router.post("/api/wallet/oid4vci/offers", summary="Receive an issuer's offer into the wallet")
async def receive_offer(body: ReceiveIn, runtime: RuntimeDep, access: AccessDep
                        ) -> JSONResponse:
    imported = await run_in_threadpool(receiving.accept_offer, runtime, actor=access,
                                       uri=body.offer, tx_code=body.tx_code)
    return JSONResponse({"id": imported.item.public_id, "created": imported.created,
                         "outcome": imported.item.outcome.value},
                        status_code=201 if imported.created else 200, headers=NO_STORE)
