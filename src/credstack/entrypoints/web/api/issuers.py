"""Issuer identity: organisations' did:web documents, their JWT VC Issuer Metadata and their
keys' public halves.

The DID document is served as ``application/did+ld+json``, the media type DID Core v1.0
§6.3.1 gives the JSON-LD representation — the one credstack produces, since the document
carries an ``@context``. It is readable from any origin, as public key material must be.
No response here ever carries a secret: the models below have no field that could hold one.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import APIRouter, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict

from credstack.core.crypto.keys import KeyType
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.caching import Cached, answer, remembered
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.issuance import keys as issuer_keys
from credstack.services.issuance.keys import IssuerKeyPublic, IssuerPublic
from credstack.services.runtime import Runtime

DID_MEDIA_TYPE = "application/did+ld+json"
#: A new key is published within five minutes to whoever holds the document.
DID_CACHE = "public, max-age=300"

router = APIRouter(tags=["issuers"])


class KeyRequest(BaseModel):
    """Which key type to create or rotate (default Ed25519)."""

    model_config = ConfigDict(extra="forbid")

    type: KeyType = KeyType.ED25519


# Like the pages, the DID document is not part of the JSON API's description (``/api/…``).
@router.get("/organisations/{slug}/did.json", response_class=Response, include_in_schema=False)
def did_document(slug: str, request: Request, runtime: RuntimeDep) -> Response:
    """The organisation's did:web DID document, with every key it ever signed with; kept by
    this process until a key is made or retired."""
    stamp = issuer_keys.key_stamp(runtime, organisation=slug)
    cached = remembered(runtime, "did-document", (slug, stamp), lambda: Cached.of(
        json.dumps(issuer_keys.did_document(runtime, organisation=slug), ensure_ascii=False,
                   indent=2).encode(), DID_MEDIA_TYPE, {"Access-Control-Allow-Origin": "*"}))
    return answer(request, cached, DID_CACHE)


@router.get("/.well-known/jwt-vc-issuer/organisations/{slug}", response_class=Response,
            include_in_schema=False)
def jwt_vc_issuer_metadata(slug: str, request: Request, runtime: RuntimeDep) -> Response:
    """The organisation's JWT VC Issuer Metadata (SD-JWT VC §5), for the HTTPS issuer
    ``<public URL>/organisations/<slug>``: its keys as a JWK Set, each ``kid`` a fragment."""
    stamp = issuer_keys.key_stamp(runtime, organisation=slug)
    cached = remembered(runtime, "jwt-vc-issuer", (slug, stamp), lambda: Cached.of(
        json.dumps(issuer_keys.jwt_vc_issuer_metadata(runtime, organisation=slug)).encode(),
        "application/json", {"Access-Control-Allow-Origin": "*"}))
    return answer(request, cached, DID_CACHE)


@router.get("/api/organisations/{slug}/issuer", response_model=IssuerPublic)
def get_issuer(slug: str, runtime: RuntimeDep) -> IssuerPublic:
    """The organisation's DIDs and keys, as ``credstack issuer show --json`` prints them."""
    return issuer_keys.issuer(runtime, organisation=slug)


@router.get("/api/organisations/{slug}/keys", response_model=list[IssuerKeyPublic])
def list_keys(slug: str, runtime: RuntimeDep) -> list[IssuerKeyPublic]:
    """Every key of the organisation, active and retired (public halves only)."""
    return issuer_keys.keys(runtime, organisation=slug)


@router.get("/api/organisations/{slug}/keys/{fragment}", response_model=IssuerKeyPublic)
def get_key(slug: str, fragment: str, runtime: RuntimeDep) -> IssuerKeyPublic:
    """One key of the organisation by its fragment (``key-1``…)."""
    return issuer_keys.key(runtime, organisation=slug, fragment=fragment)


async def _new_key(change: Callable[..., IssuerKeyPublic], runtime: Runtime, *,
                   access: AccessDep, slug: str, body: KeyRequest, response: Response
                   ) -> IssuerKeyPublic:
    """The key ``change`` makes the organisation, its URL in the ``Location`` header."""
    key = await run_in_threadpool(change, runtime, actor=access, organisation=slug,
                                  key_type=body.type)
    response.headers["Location"] = f"/api/organisations/{slug}/keys/{key.fragment}"
    return key


@router.post("/api/organisations/{slug}/keys", response_model=IssuerKeyPublic,
             status_code=status.HTTP_201_CREATED)
async def create_key(slug: str, body: KeyRequest, runtime: RuntimeDep, response: Response,
                     access: AccessDep) -> IssuerKeyPublic:
    """Create the organisation's first key of a type; 409 when it already has one."""
    return await _new_key(issuer_keys.create_key, runtime, access=access, slug=slug, body=body,
                          response=response)


@router.post("/api/organisations/{slug}/keys/rotate", response_model=IssuerKeyPublic,
             status_code=status.HTTP_201_CREATED)
async def rotate_key(slug: str, body: KeyRequest, runtime: RuntimeDep, response: Response,
                     access: AccessDep) -> IssuerKeyPublic:
    """Retire the active key of a type and create its successor; old signatures still verify."""
    return await _new_key(issuer_keys.rotate_key, runtime, access=access, slug=slug, body=body,
                          response=response)
