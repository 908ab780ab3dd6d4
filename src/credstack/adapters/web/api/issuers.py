"""Issuer identity: organisations' did:web documents and their keys' public halves.

The DID document is served as ``application/did+ld+json``, the media type DID Core v1.0
§6.3.1 gives the JSON-LD representation — the one credstack produces, since the document
carries an ``@context``. It is readable from any origin, as public key material must be.
No response here ever carries a secret: the models below have no field that could hold one.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from credstack.adapters.db.repositories import keys as repository
from credstack.adapters.keystore import MasterKey
from credstack.adapters.web.access import AccessDep
from credstack.adapters.web.dependencies import NowDep, SessionDep
from credstack.core.access.policy import Action
from credstack.core.crypto.keys import KeyType
from credstack.errors import NotFoundError

DID_MEDIA_TYPE = "application/did+ld+json"

router = APIRouter(tags=["issuers"])


def _master_key(request: Request) -> MasterKey:
    source = request.app.state.master_key
    key: MasterKey = source()
    return key


def _public_url(request: Request) -> str:
    url: str = request.app.state.settings.public_url
    return url


MasterKeyDep = Annotated[MasterKey, Depends(_master_key)]
PublicUrlDep = Annotated[str, Depends(_public_url)]


class KeyRequest(BaseModel):
    """Which key type to create or rotate (default Ed25519)."""

    model_config = ConfigDict(extra="forbid")

    type: KeyType = KeyType.ED25519


class IssuerKeyPublic(BaseModel):
    """One issuer key's public half and the identifiers that name it."""

    fragment: str
    type: KeyType
    active: bool = Field(description="Whether new credentials are signed with this key.")
    public_key_multibase: str
    public_key_jwk: dict[str, str]
    verification_method: str = Field(description="The key's did:web verification method.")
    did_key: str
    did_key_verification_method: str
    created_at: dt.datetime
    retired_at: dt.datetime | None


class IssuerPublic(BaseModel):
    """An organisation as an issuer: its DID, its document's URL and its keys."""

    organisation: str
    did: str
    did_document_url: str
    active: dict[str, str] = Field(
        description="For each key type, the verification method that signs new credentials.")
    keys: list[IssuerKeyPublic]


def key_public(key: repository.PublicKeyInfo, *, did: str) -> IssuerKeyPublic:
    return IssuerKeyPublic(
        fragment=key.fragment, type=key.key_type, active=key.active,
        public_key_multibase=key.public_multibase, public_key_jwk=key.public_key.to_jwk(),
        verification_method=f"{did}#{key.fragment}", did_key=key.did_key,
        did_key_verification_method=key.did_key_method, created_at=key.created_at,
        retired_at=key.retired_at)


def issuer_public(keys: list[repository.PublicKeyInfo], *, organisation: str,
                  public_url: str) -> IssuerPublic:
    did = repository.organisation_did(public_url, organisation)
    described = [key_public(key, did=did) for key in keys]
    return IssuerPublic(
        organisation=organisation, did=did,
        did_document_url=f"{public_url}/organisations/{organisation}/did.json",
        active={key.type.value: key.verification_method for key in described if key.active},
        keys=described)


# Like the pages, the DID document is not part of the JSON API's description (``/api/…``).
@router.get("/organisations/{slug}/did.json", response_class=Response, include_in_schema=False)
def did_document(slug: str, session: SessionDep, public_url: PublicUrlDep) -> Response:
    """The organisation's did:web DID document, with every key it ever signed with."""
    document = repository.did_document(session, organisation=slug, public_url=public_url)
    return Response(json.dumps(document, ensure_ascii=False, indent=2),
                    media_type=DID_MEDIA_TYPE, headers={"Access-Control-Allow-Origin": "*"})


@router.get("/api/organisations/{slug}/issuer", response_model=IssuerPublic)
def get_issuer(slug: str, session: SessionDep, public_url: PublicUrlDep) -> IssuerPublic:
    """The organisation's DIDs and keys, as ``credstack issuer show --json`` prints them."""
    keys = repository.public_keys(session, organisation=slug)
    return issuer_public(keys, organisation=slug, public_url=public_url)


@router.get("/api/organisations/{slug}/keys", response_model=list[IssuerKeyPublic])
def list_keys(slug: str, session: SessionDep, public_url: PublicUrlDep
              ) -> list[IssuerKeyPublic]:
    """Every key of the organisation, active and retired (public halves only)."""
    did = repository.organisation_did(public_url, slug)
    return [key_public(k, did=did) for k in repository.public_keys(session, organisation=slug)]


@router.get("/api/organisations/{slug}/keys/{fragment}", response_model=IssuerKeyPublic)
def get_key(slug: str, fragment: str, session: SessionDep, public_url: PublicUrlDep
            ) -> IssuerKeyPublic:
    """One key of the organisation by its fragment (``key-1``…)."""
    did = repository.organisation_did(public_url, slug)
    for key in repository.public_keys(session, organisation=slug):
        if key.fragment == fragment:
            return key_public(key, did=did)
    raise NotFoundError(f"{slug!r} has no key {fragment!r}.")


@router.post("/api/organisations/{slug}/keys", response_model=IssuerKeyPublic,
             status_code=status.HTTP_201_CREATED)
def create_key(slug: str, body: KeyRequest, session: SessionDep, now: NowDep,
               secret: MasterKeyDep, public_url: PublicUrlDep, response: Response,
               access: AccessDep) -> IssuerKeyPublic:
    """Create the organisation's first key of a type; 409 when it already has one."""
    access.require(Action.KEYS_MANAGE, slug)
    key = repository.create_key(session, organisation=slug, key_type=body.type, now=now,
                                secret=secret)
    response.headers["Location"] = f"/api/organisations/{slug}/keys/{key.fragment}"
    return key_public(key, did=repository.organisation_did(public_url, slug))


@router.post("/api/organisations/{slug}/keys/rotate", response_model=IssuerKeyPublic,
             status_code=status.HTTP_201_CREATED)
def rotate_key(slug: str, body: KeyRequest, session: SessionDep, now: NowDep,
               secret: MasterKeyDep, public_url: PublicUrlDep, response: Response,
               access: AccessDep) -> IssuerKeyPublic:
    """Retire the active key of a type and create its successor; old signatures still verify."""
    access.require(Action.KEYS_MANAGE, slug)
    key = repository.rotate_key(session, organisation=slug, key_type=body.type, now=now,
                                secret=secret)
    response.headers["Location"] = f"/api/organisations/{slug}/keys/{key.fragment}"
    return key_public(key, did=repository.organisation_did(public_url, slug))
