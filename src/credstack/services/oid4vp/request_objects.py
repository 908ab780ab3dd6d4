"""The verifier's signed request objects (OID4VP 1.0 §5.10, RFC 9101), served at the
``request_uri`` of a request signed as an organisation.

The request object is signed with one of the organisation's active issuer keys, opened from
the key store for the one signature, as one of its two DIDs (the client id
``decentralized_identifier:<DID>``, the ``kid`` a verification method of that DID):

* its ``did:key`` (the active Ed25519 key's): a wallet checks it without fetching anything,
  and the DID names the key itself, so a key rotated since the request was made makes the
  request unanswerable rather than signed by another key than the one the QR code names;
* its ``did:web`` (``did:web:<public host>:organisations:<slug>``), whose document
  (``/organisations/<slug>/did.json``) lists every key the organisation has: the request is
  signed with its active Ed25519 key (``EdDSA``) or, for a wallet that verifies only
  ``ES256`` request objects (``request_object_signing_alg_values_supported``), its active
  P-256 key, the ``kid`` the key's method in that document (``…#key-2``).

* :func:`signer_of` — the DID an organisation signs requests as, when a person allowed to
  issue its credentials asks (a request signed as an organisation speaks for it).
* :func:`signed` — the compact JWS of a request for the wallet that fetches it (served by
  :func:`credstack.services.oid4vp.verifier.request_object`), with its ``wallet_nonce``, and
  encrypted to the key of its ``wallet_metadata.jwks`` if it gave one for encryption
  (:mod:`credstack.core.oid4vp.request_encryption`).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.transactions import Session
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_key, did_web
from credstack.core.oid4vp import request_encryption, request_objects
from credstack.core.oid4vp.requests import AuthorizationRequest
from credstack.core.oid4vp.wallet_metadata import WalletPost, signing_alg
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.errors import ExchangeProtocolError, NotFoundError
from credstack.services.runtime import Runtime

__all__ = ["DID_METHODS", "signed", "signer_of"]

#: The DID methods an organisation signs requests as.
DID_METHODS: Final = ("did:key", "did:web")
#: The key types a did:web request is signed with, by JWS algorithm, preferred first.
_WEB_KEYS: Final = {"EdDSA": KeyType.ED25519, "ES256": KeyType.P256}


def _key(session: Session, runtime: Runtime, organisation: str,
         key_type: KeyType = KeyType.ED25519) -> tuple[str, KeyPair]:
    """The did:web verification method and key pair of the organisation's active key."""
    return key_store.active_key_pair(session, organisation=organisation, key_type=key_type,
                                     secret=runtime.key(),
                                     public_url=runtime.settings.public_url)


def signer_of(session: Session, runtime: Runtime, *, organisation: str,
              did_method: str = "did:key") -> str:
    """The DID (``did_method``) ``organisation`` signs request objects as (inside the caller's
    transaction); :class:`NotFoundError` when it has no active Ed25519 key."""
    try:
        _, pair = _key(session, runtime, organisation)
    except NotFoundError:
        raise NotFoundError(code="verifier.refused.no_signing_key",
                            params={"organisation": organisation}) from None
    if did_method == "did:web":
        return key_store.organisation_did(runtime.settings.public_url, organisation)
    return did_key.did_from_public_key(pair.public_key)


def _web_key(session: Session, runtime: Runtime, organisation: str, wallet: WalletPost
             ) -> tuple[str, KeyPair]:
    """The did:web method and key to sign with: the first algorithm the wallet verifies of
    those the organisation has an active key for."""
    offered: dict[str, tuple[str, KeyPair]] = {}
    for alg, key_type in _WEB_KEYS.items():
        try:
            offered[alg] = _key(session, runtime, organisation, key_type)
        except NotFoundError:
            continue
    if not offered:
        raise ExchangeProtocolError("The verifier has no key to sign this request with any "
                                    "more; ask for a new one.", error="invalid_request_uri")
    return offered[signing_alg(wallet.metadata, list(offered))]


def signed(session: Session, runtime: Runtime, *, organisation: str, did: str,
           request: AuthorizationRequest, now: dt.datetime, expires_at: dt.datetime,
           wallet: WalletPost = WalletPost()) -> str:
    """``request``'s request object signed as ``did`` by ``organisation`` (inside the caller's
    session) for the ``wallet`` that posted to fetch it (or fetched it by GET);
    ``invalid_request_uri`` when the organisation's key is no longer that did:key's, or its
    did:web is no longer that DID (the public address changed); ``invalid_request`` when
    the wallet verifies none of the algorithms the organisation can sign with."""
    if did.startswith(did_web.PREFIX):
        if key_store.organisation_did(runtime.settings.public_url, organisation) != did:
            raise ExchangeProtocolError(
                "The verifier's address changed since this request was made; ask for a new "
                "one.", error="invalid_request_uri")
        kid, pair = _web_key(session, runtime, organisation, wallet)
    else:
        signing_alg(wallet.metadata, ["EdDSA"])
        _, pair = _key(session, runtime, organisation)
        if did_key.did_from_public_key(pair.public_key) != did:
            raise ExchangeProtocolError(
                "The verifier's key changed since this request was made; ask for a new one.",
                error="invalid_request_uri")
        kid = did_key.verification_method_id(pair.public_key)
    metadata = wallet.metadata
    encryption = request_encryption.chosen(
        metadata.jwks, algs=metadata.request_object_encryption_algs,
        encs=metadata.request_object_encryption_encs) if metadata is not None else None
    claims = request_objects.claims(
        request, issued_at=now, expires_at=expires_at, wallet_nonce=wallet.nonce,
        audience=metadata.issuer if metadata and metadata.issuer else request_objects.AUDIENCE)
    token = vc_jwt.sign_claims(claims, key=pair, kid=kid, typ=request_objects.TYP)
    if encryption is None:
        return token
    jwk, enc = encryption
    return request_encryption.encrypt(token, jwk=jwk, enc=enc)
