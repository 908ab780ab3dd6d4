"""The Authorization Request of a verifier (OID4VP 1.0 §5), and a holder's reading of it.

credstack's verifier identifies itself with the ``redirect_uri`` Client Identifier Prefix
(§5.9.3): the client id is ``redirect_uri:<response_uri>``, the request is unsigned and travels
by value in an ``openid4vp://`` URI (a QR code); or, signed as an organisation, with the
``decentralized_identifier`` prefix (§5.9.3: ``decentralized_identifier:<the DID>``) in a
request object fetched from a ``request_uri`` (:mod:`.request_objects`). Either carries
``response_type=vp_token``,
``response_mode=direct_post``, a fresh ``nonce`` and ``state``, the ``dcql_query`` and the
``client_metadata`` (``vp_formats_supported``). A presentation answers it bound to the nonce
and the *full* client id: as a Data Integrity proof's ``challenge`` and ``domain``
(§B.1.3.2), a key binding JWT's ``nonce`` and ``aud`` (§B.3.6), a VP JWT's ``nonce`` and
``aud``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from credstack.errors import ExchangeProtocolError

from . import dcql

__all__ = ["DID_PREFIX", "SCHEME", "VP_FORMATS", "AuthorizationRequest", "parse_request",
           "read_fields", "to_uri"]

SCHEME: Final = "openid4vp://"
PREFIX: Final = "redirect_uri:"
#: The response modes credstack's verifier asks for and its wallet answers (§8.2, §8.3).
RESPONSE_MODES: Final = ("direct_post", "direct_post.jwt")
#: The Client Identifier Prefix of a verifier that signs as a DID (§5.9.3).
DID_PREFIX: Final = "decentralized_identifier:"
#: ``vp_formats_supported`` (§11.1, Appendix B): what credstack's verifier checks.
VP_FORMATS: Final = {
    "ldp_vc": {"proof_type_values": ["DataIntegrityProof"],
               "cryptosuite_values": ["eddsa-rdfc-2022", "eddsa-jcs-2022"]},
    "jwt_vc_json": {"alg_values": ["EdDSA", "ES256"]},
    "dc+sd-jwt": {"sd-jwt_alg_values": ["EdDSA", "ES256"],
                  "kb-jwt_alg_values": ["EdDSA", "ES256"]},
}


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """An OID4VP request, as the verifier makes it and a holder reads it."""

    response_uri: str
    nonce: str
    state: str
    query: dcql.DcqlQuery
    #: The DCQL query as JSON (what travels).
    query_json: Mapping[str, Any]
    client_metadata: Mapping[str, Any]
    #: The DID the request object is signed as (``decentralized_identifier``), or None for an
    #: unsigned request (``redirect_uri``).
    signer: str | None = None
    #: ``direct_post``, or ``direct_post.jwt`` (the answer encrypted to a key of
    #: ``client_metadata.jwks``, §8.3; :mod:`.responses`).
    response_mode: str = "direct_post"

    @property
    def client_id(self) -> str:
        return DID_PREFIX + self.signer if self.signer else PREFIX + self.response_uri

    def parameters(self) -> dict[str, str]:
        return {"client_id": self.client_id, "response_type": "vp_token",
                "response_mode": self.response_mode, "response_uri": self.response_uri,
                "nonce": self.nonce, "state": self.state,
                "dcql_query": json.dumps(self.query_json, separators=(",", ":")),
                "client_metadata": json.dumps(self.client_metadata, separators=(",", ":"))}


def to_uri(request: AuthorizationRequest) -> str:
    """The request by value, as an ``openid4vp://`` URI."""
    return f"{SCHEME}?{urlencode(request.parameters())}"


def _bad(said: str) -> ExchangeProtocolError:
    return ExchangeProtocolError(error="invalid_request", code="oid4vp.refused.request." + said)


def parse_request(uri: str) -> AuthorizationRequest:
    """Read an ``openid4vp://`` request by value (what credstack's holder accepts: unsigned
    requests of the ``redirect_uri`` prefix with ``direct_post`` to an HTTPS response URI).
    A request by reference is read by :func:`.request_objects.reference` instead."""
    if len(uri) > 16 * 1024:
        raise _bad("too_long")
    fields = dict(parse_qsl(urlsplit(uri).query, keep_blank_values=True))
    if "request_uri" in fields or "request" in fields:
        raise _bad("by_reference")
    return read_fields(fields, signer=None)


def read_fields(fields: Mapping[str, Any], *, signer: str | None) -> AuthorizationRequest:
    """The request's parameters, read: by value (every value a string) or from a request
    object signed as ``signer`` (``dcql_query`` and ``client_metadata`` JSON objects)."""
    client_id, response_uri = fields.get("client_id", ""), fields.get("response_uri", "")
    mode = fields.get("response_mode")
    if fields.get("response_type") != "vp_token" or mode not in RESPONSE_MODES:
        raise _bad("response_type")
    if not isinstance(response_uri, str) or not response_uri.startswith("https://"):
        raise _bad("response_uri")
    if signer is None and client_id != PREFIX + response_uri:
        raise _bad("client_id_redirect")
    if signer is not None and client_id != DID_PREFIX + signer:
        raise _bad("client_id_did")
    nonce = fields.get("nonce")
    if not nonce or not isinstance(nonce, str):
        raise _bad("no_nonce")
    try:
        query_json = _json(fields.get("dcql_query", ""))
        metadata = _json(fields.get("client_metadata") or "{}")
    except ValueError:
        raise _bad("not_json") from None
    state = fields.get("state", "")
    metadata = metadata if isinstance(metadata, dict) else {}
    if mode == "direct_post.jwt" and not isinstance(metadata.get("jwks"), dict):
        raise _bad("no_jwks")
    return AuthorizationRequest(response_uri, nonce, state if isinstance(state, str) else "",
                                dcql.parse(query_json), query_json, metadata, signer, str(mode))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
