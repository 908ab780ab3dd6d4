"""Organisations' issuer keys and DIDs: creating and rotating signing keys (audited), and
what anyone may read about them — the did:web document, the keys' public halves.

The API (``/api/organisations/{slug}/keys…``, ``/organisations/{slug}/did.json``) and the
console (``credstack issuer keys create|rotate|list``, ``credstack issuer show``) call these.
No view here carries a secret: the models have no field that could hold one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.keystore import new_master_key_text, write_key_file
from credstack.core.access import Action, Actor
from credstack.core.crypto.keys import KeyType
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = [
    "IssuerKeyPublic",
    "IssuerPublic",
    "create_key",
    "did_document",
    "issuer",
    "jwt_vc_issuer_metadata",
    "key",
    "keys",
    "new_master_key",
    "rotate_key",
]

#: The key types an organisation signs with: Ed25519 (Data Integrity ``eddsa-*``, EdDSA
#: VC-JWTs) and P-256 (ES256). Other curves are read in others' credentials, never issued with.
_ISSUING_KEY_TYPES = (KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.P521)


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


def _public(key: key_store.PublicKeyInfo, *, did: str) -> IssuerKeyPublic:
    return IssuerKeyPublic(
        fragment=key.fragment, type=key.key_type, active=key.active,
        public_key_multibase=key.public_multibase, public_key_jwk=key.public_key.to_jwk(),
        verification_method=f"{did}#{key.fragment}", did_key=key.did_key,
        did_key_verification_method=key.did_key_method, created_at=key.created_at,
        retired_at=key.retired_at)


def keys(runtime: Runtime, *, organisation: str) -> list[IssuerKeyPublic]:
    """Every key of the organisation, active and retired, oldest first (public halves)."""
    did = key_store.organisation_did(runtime.settings.public_url, organisation)
    with runtime.transaction() as session:
        found = key_store.public_keys(session, organisation=organisation)
    return [_public(item, did=did) for item in found]


def key(runtime: Runtime, *, organisation: str, fragment: str) -> IssuerKeyPublic:
    """One key of the organisation by its fragment (``key-1`` …)."""
    for item in keys(runtime, organisation=organisation):
        if item.fragment == fragment:
            return item
    raise NotFoundError(f"{organisation!r} has no key {fragment!r}.")


def issuer(runtime: Runtime, *, organisation: str) -> IssuerPublic:
    """The organisation as an issuer: its did:web, its document's URL and its keys."""
    public_url = runtime.settings.public_url
    described = keys(runtime, organisation=organisation)
    return IssuerPublic(
        organisation=organisation, did=key_store.organisation_did(public_url, organisation),
        did_document_url=f"{public_url}/organisations/{organisation}/did.json",
        active={item.type.value: item.verification_method for item in described
                if item.active},
        keys=described)


def did_document(runtime: Runtime, *, organisation: str) -> dict[str, Any]:
    """The organisation's did:web DID document, with every key it ever signed with."""
    with runtime.transaction() as session:
        return key_store.did_document(session, organisation=organisation,
                                      public_url=runtime.settings.public_url)


def jwt_vc_issuer_metadata(runtime: Runtime, *, organisation: str) -> dict[str, Any]:
    """The organisation's JWT VC Issuer Metadata (SD-JWT VC §5): its HTTPS issuer and every
    key it ever signed with, for JWTs whose ``iss`` is that URL and ``kid`` a key's fragment."""
    with runtime.transaction() as session:
        return key_store.jwt_vc_issuer_metadata(session, organisation=organisation,
                                                public_url=runtime.settings.public_url)


def key_stamp(runtime: Runtime, *, organisation: str) -> tuple[int, int, int]:
    """What the organisation's DID document is made of, named: it moves whenever a key is
    made or retired."""
    with runtime.sessions() as session:
        return key_store.key_stamp(session, organisation=organisation)


def create_key(runtime: Runtime, *, actor: Actor, organisation: str,
               key_type: KeyType = KeyType.ED25519) -> IssuerKeyPublic:
    """Give the organisation its first key of ``key_type`` (refused when it has one: rotate
    it), sealed with the master key; audited as ``issuer-key.created``."""
    return _changed_key(runtime, actor=actor, organisation=organisation, key_type=key_type,
                        rotate=False)


def rotate_key(runtime: Runtime, *, actor: Actor, organisation: str,
               key_type: KeyType = KeyType.ED25519, replacing: str | None = None
               ) -> IssuerKeyPublic:
    """Retire the organisation's active key of ``key_type`` and make its successor, which
    signs new credentials (old signatures keep verifying); audited as
    ``issuer-key.rotated``. With ``replacing`` (the fragment of the key the caller saw
    active), a key that is no longer the active one is not rotated again: the active key is
    returned as it is, so that a form sent twice rotates once."""
    return _changed_key(runtime, actor=actor, organisation=organisation, key_type=key_type,
                        rotate=True, replacing=replacing)


def _changed_key(runtime: Runtime, *, actor: Actor, organisation: str, key_type: KeyType,
                 rotate: bool, replacing: str | None = None) -> IssuerKeyPublic:
    if KeyType(key_type) not in _ISSUING_KEY_TYPES:
        raise InputError(f"organisations sign with Ed25519, P-256, P-384 or P-521 keys, not "
                         f"{key_type}", problems=[Problem(
                             "type", "expected Ed25519, P-256, P-384 or P-521")])
    now = runtime.now()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE, organisation)
        did = key_store.organisation_did(runtime.settings.public_url, organisation)
        if replacing is not None:
            active = [item for item in key_store.public_keys(session, organisation=organisation)
                      if item.active and item.key_type is KeyType(key_type)]
            if active and active[0].fragment != replacing:
                return _public(active[0], did=did)
        change = key_store.rotate_key if rotate else key_store.create_key
        made = change(session, organisation=organisation, key_type=KeyType(key_type), now=now,
                      secret=runtime.key())
        audit.record(session, at=now, actor=principal.subject,
                     action=f"issuer-key.{'rotated' if rotate else 'created'}",
                     subject=f"{did}#{made.fragment}",
                     details={"organisation": organisation, "type": made.key_type.value})
    return _public(made, did=did)


def new_master_key(*, output: Path | None = None) -> str:
    """A fresh master key for the issuer key store, as the text ``CREDSTACK_SECRET_KEY``
    takes; with ``output``, also written to that new file, readable by its owner only
    (:class:`~credstack.errors.KeyStoreError` when it exists: a key file is never
    overwritten, since the keys sealed with it would be lost). No store is involved."""
    text = new_master_key_text()
    if output is not None:
        write_key_file(output, text)
    return text
