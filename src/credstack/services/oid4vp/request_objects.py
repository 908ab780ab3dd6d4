"""The verifier's signed request objects (OID4VP 1.0 §5.10, RFC 9101), served at the
``request_uri`` of a request signed as an organisation.

The request object is signed with the organisation's active Ed25519 issuer key, opened from
the key store for the one signature, as the organisation's ``did:key`` (the client id
``decentralized_identifier:did:key:…``; the ``kid`` its verification method): a wallet checks
it without fetching anything, and the DID is fixed when the request is made
(:func:`signer_of`), so a key rotated since makes the request unanswerable rather than signed
by another key than the one the QR code names.

* :func:`signer_of` — the DID an organisation signs requests as, when a person allowed to
  issue its credentials asks (a request signed as an organisation speaks for it).
* :func:`signed` — the compact JWS of a request (served by
  :func:`credstack.services.oid4vp.verifier.request_object`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import keys as key_store
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.oid4vp import request_objects
from credstack.core.oid4vp.requests import AuthorizationRequest
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.errors import ExchangeProtocolError, NotFoundError
from credstack.services.runtime import Runtime

__all__ = ["signed", "signer_of"]


def _key(session: Session, runtime: Runtime, organisation: str) -> KeyPair:
    _, pair = key_store.active_key_pair(session, organisation=organisation,
                                        key_type=KeyType.ED25519, secret=runtime.key(),
                                        public_url=runtime.settings.public_url)
    return pair


def signer_of(session: Session, runtime: Runtime, *, organisation: str) -> str:
    """The ``did:key`` ``organisation`` signs request objects as (inside the caller's
    transaction); :class:`NotFoundError` when it has no active Ed25519 key."""
    try:
        return did_key.did_from_public_key(_key(session, runtime, organisation).public_key)
    except NotFoundError:
        raise NotFoundError(
            f"{organisation} has no active Ed25519 key to sign a request with; create one "
            f"with `credstack issuer keys create --organisation {organisation}`. / "
            f"{organisation} には要求に署名する有効な Ed25519 鍵がありません。") from None


def signed(session: Session, runtime: Runtime, *, organisation: str, did: str,
           request: AuthorizationRequest, now: dt.datetime, expires_at: dt.datetime) -> str:
    """``request``'s request object signed as ``did`` by ``organisation`` (inside the caller's
    session); ``invalid_request_uri`` when the organisation's key is no longer that DID's."""
    pair = _key(session, runtime, organisation)
    if did_key.did_from_public_key(pair.public_key) != did:
        raise ExchangeProtocolError(
            "The verifier's key changed since this request was made; ask for a new one.",
            code="invalid_request_uri")
    claims = request_objects.claims(request, issued_at=now, expires_at=expires_at)
    return vc_jwt.sign_claims(claims, key=pair,
                              kid=did_key.verification_method_id(pair.public_key),
                              typ=request_objects.TYP)
