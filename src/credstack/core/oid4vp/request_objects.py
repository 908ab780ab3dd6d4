"""Signed Authorization Requests passed by reference (OID4VP 1.0 §5.10, RFC 9101 JAR).

*OpenID for Verifiable Presentations 1.0* §5.10 "Request URI Method post", §5.9.3 "Defined
Client Identifier Prefixes" (``decentralized_identifier``) and *RFC 9101, The OAuth 2.0
Authorization Framework: JWT-Secured Authorization Request (JAR)*, August 2021 —
https://www.rfc-editor.org/rfc/rfc9101

The verifier shows ``openid4vp://?client_id=decentralized_identifier:<DID>&request_uri=<URL>``
(:func:`reference_uri`); the wallet fetches the URL (``GET``, or ``POST`` when
``request_uri_method=post``) and gets a compact JWS with ``typ: oauth-authz-req+jwt``
(:func:`claims` is its payload: the request's parameters with ``dcql_query`` and
``client_metadata`` as JSON objects, ``aud`` ``https://self-issued.me/v2`` (§5.8, static
discovery), ``iat`` and ``exp``, and the ``wallet_nonce`` a wallet posted, §5.10). There is
no ``iss``: RFC 9101 makes it optional, and wallets (``@openid4vc/openid4vp``) read a DID
``iss`` as the prefix of the ``kid``, which a client id with its ``decentralized_identifier:``
prefix is not; ``client_id`` says who asks.

:func:`read` is the wallet's check, in this order: the header (``typ``, a ``kid`` that is a
DID URL of the client id's DID), the signature with the key the DID gives (``did:key`` is
resolved here, without I/O; another DID method through ``resolve_key``), then the payload:
its ``client_id`` is the one the wallet was shown, ``aud`` is the wallet's, the request has
not expired (``exp``, against ``now``), it carries the ``wallet_nonce`` the wallet posted
(and none when it posted none: §5.10), and its parameters read as a request by value's.
Every refusal is an :class:`~credstack.errors.ExchangeProtocolError` whose message names what
failed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from credstack.core.crypto.keys import PublicKey
from credstack.core.dids import did_key
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.errors import CredstackError, ExchangeProtocolError

from .requests import DID_PREFIX, SCHEME, AuthorizationRequest, read_fields

__all__ = ["AUDIENCE", "MEDIA_TYPE", "TYP", "Reference", "claims", "read", "reference",
           "reference_uri"]

#: The request object's JOSE ``typ`` (RFC 9101 §10.8) and its HTTP media type.
TYP: Final = "oauth-authz-req+jwt"
MEDIA_TYPE: Final = "application/oauth-authz-req+jwt"
#: ``aud`` of a request object for a wallet found by static discovery (OID4VP 1.0 §5.8).
AUDIENCE: Final = "https://self-issued.me/v2"
#: The largest request object read (a DCQL query and metadata; a few KiB in practice).
MAX_BYTES: Final = 64 * 1024
#: How far a verifier's clock may run ahead of the wallet's (``iat``).
SKEW: Final = dt.timedelta(minutes=2)


def _bad(said: str, error: str = "invalid_request_object",
         **values: object) -> ExchangeProtocolError:
    return ExchangeProtocolError(error=error, code="oid4vp.refused." + said, params=values)


@dataclass(frozen=True, slots=True)
class Reference:
    """A request by reference, as the wallet was shown it."""

    client_id: str
    request_uri: str
    #: ``get`` or ``post`` (``request_uri_method``).
    method: str

    @property
    def signer(self) -> str:
        """The DID the request object must be signed as."""
        return self.client_id.removeprefix(DID_PREFIX)


def reference_uri(*, client_id: str, request_uri: str, method: str = "get") -> str:
    """The ``openid4vp://`` URI a wallet scans for a request object at ``request_uri``."""
    fields = {"client_id": client_id, "request_uri": request_uri}
    if method == "post":
        fields["request_uri_method"] = "post"
    return f"{SCHEME}?{urlencode(fields)}"


def reference(uri: str) -> Reference | None:
    """The reference in ``uri``, or None when the request is by value. A reference a wallet
    cannot follow (no https ``request_uri``, a client id that is not a DID, a method other
    than get and post, a ``request`` by value) is ``invalid_request``."""
    if len(uri) > 16 * 1024:
        raise _bad("request.too_long", "invalid_request")
    fields = dict(parse_qsl(urlsplit(uri).query, keep_blank_values=True))
    if "request" in fields:
        raise _bad("reference.by_value", "invalid_request")
    if "request_uri" not in fields:
        return None
    request_uri, client_id = fields["request_uri"], fields.get("client_id", "")
    if not request_uri.startswith("https://"):
        raise _bad("reference.request_uri_https", "invalid_request_uri")
    if not client_id.startswith(DID_PREFIX + "did:"):
        raise _bad("reference.no_signer", "invalid_request")
    method = fields.get("request_uri_method", "get")
    if method not in ("get", "post"):
        raise _bad("reference.method", "invalid_request_uri_method")
    return Reference(client_id, request_uri, method)


def claims(request: AuthorizationRequest, *, issued_at: dt.datetime,
           expires_at: dt.datetime, wallet_nonce: str | None = None,
           audience: str = AUDIENCE) -> dict[str, Any]:
    """The payload of ``request``'s request object (see the module), with the
    ``wallet_nonce`` the wallet posted, if it did (§5.10: the verifier MUST use it), for
    ``audience`` (§5.8: the wallet metadata's ``issuer`` when the wallet gave it)."""
    parameters: dict[str, Any] = {**request.parameters(), "dcql_query": request.query_json,
                                  "client_metadata": request.client_metadata}
    if wallet_nonce is not None:
        parameters["wallet_nonce"] = wallet_nonce
    return {**parameters, "aud": audience,
            "iat": int(issued_at.timestamp()), "exp": int(expires_at.timestamp())}


def _check_wallet_nonce(found: object, sent: str | None) -> None:
    """§5.10: a wallet that posted a ``wallet_nonce`` MUST find it in the request object. One
    that posted none refuses an object carrying one too: it was made for another fetch."""
    if sent is not None and found is None:
        raise _bad("object.nonce_missing")
    if sent is not None and found != sent:
        raise _bad("object.nonce_other")
    if sent is None and found is not None:
        raise _bad("object.nonce_unsent")


def _did_key(method: str) -> PublicKey:
    return did_key.resolve_public_key(method)


def read(token: str, *, shown: Reference, now: dt.datetime,
         resolve_key: Callable[[str], PublicKey | Mapping[str, Any]] = _did_key,
         wallet_nonce: str | None = None, audience: str = AUDIENCE) -> AuthorizationRequest:
    """The request in ``token``, fetched from ``shown.request_uri`` by a wallet that posted
    ``wallet_nonce`` (or none; see the module) and is known as ``audience``."""
    if len(token) > MAX_BYTES:
        raise _bad("object.too_large")
    try:
        header = vc_jwt.read_header(token)
    except CredstackError:
        raise _bad("object.not_jws") from None
    if header.get("typ") != TYP:
        raise _bad("object.typ", typ=TYP)
    kid = header.get("kid")
    if not isinstance(kid, str) or kid.partition("#")[0] != shown.signer or "#" not in kid:
        raise _bad("object.signer", signer=shown.signer[:100])
    try:
        key = resolve_key(kid)
    except CredstackError as error:
        raise ExchangeProtocolError(error="invalid_request_object", cause=error,
                                    code="oid4vp.refused.object.key_unfound") from None
    try:
        _, payload = vc_jwt.verify_signature(token, key)
        body = json.loads(payload)
    except (CredstackError, ValueError):
        raise _bad("object.signature", kid=kid[:120]) from None
    if not isinstance(body, dict):
        raise _bad("object.payload")
    if body.get("client_id") != shown.client_id:
        raise _bad("object.client_id")
    if body.get("aud") != audience:
        raise _bad("object.audience", audience=audience[:100])
    expires, issued = body.get("exp"), body.get("iat")
    if not isinstance(expires, int) or expires <= now.timestamp():
        raise _bad("object.expired")
    if isinstance(issued, int) and issued > (now + SKEW).timestamp():
        raise _bad("object.future")
    _check_wallet_nonce(body.get("wallet_nonce"), wallet_nonce)
    try:
        return read_fields(body, signer=shown.signer)
    except ExchangeProtocolError as error:
        raise ExchangeProtocolError(error="invalid_request_object", code=error.code,
                                    params=error.params) from None
