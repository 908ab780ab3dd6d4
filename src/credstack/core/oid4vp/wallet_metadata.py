"""What a wallet posts to the ``request_uri``, and the request fitted to it (OID4VP 1.0 §5.10).

*OpenID for Verifiable Presentations 1.0* §5.10 "Request URI Method post", §10 "Wallet
Metadata (Authorization Server Metadata)" and §8.5 "Error Response" —
https://openid.net/specs/openid-4-verifiable-presentations-1_0.html

With ``request_uri_method=post`` the wallet fetches the request object by ``POST``ing a form
that may hold ``wallet_metadata`` (a JSON object of RFC 8414 metadata: ``vp_formats_supported``,
``client_id_prefixes_supported``, ``request_object_signing_alg_values_supported``,
``authorization_encryption_alg_values_supported`` and ``…_enc_values_supported``, ``jwks`` to
encrypt the request object to, :mod:`.request_encryption`) and
``wallet_nonce``, which the request object must then carry as its ``wallet_nonce`` claim.
Other form fields, and metadata members credstack does not read, are ignored (§5.10, §10.1:
"The Verifier MUST ignore any unrecognized parameters").

* :func:`read_post` parses the form: a ``wallet_metadata`` that is not a JSON object, is too
  large or holds a member of the wrong shape, or a ``wallet_nonce`` that is empty, too long or
  not printable, is ``invalid_request`` naming the field.
* :func:`fitted` is the request the verifier can serve that wallet, or the error saying why it
  cannot, with §8.5's codes (the wallet's own, answered here before it would have to send
  them): a wallet that lists its Client Identifier Prefixes without ``decentralized_identifier``
  is ``invalid_request`` ("The Wallet does not support the Client Identifier Prefix"); one
  whose ``vp_formats_supported`` leaves no way to satisfy the DCQL query is
  ``vp_formats_not_supported``; one that cannot encrypt the response the way a
  ``direct_post.jwt`` request asks is ``invalid_request``. The query the wallet gets keeps only
  the Credential Queries of formats it supports (and the options of Credential Sets made of
  them), and ``client_metadata`` only the formats and content encryptions both sides know: a
  request the wallet can read and answer, never a weaker one.
* A wallet that names its ``issuer`` has given its metadata dynamically: the request
  object's ``aud`` is then that ``issuer`` (§5.8), else ``https://self-issued.me/v2``.
* :func:`signing_alg` is the first algorithm of the verifier's the wallet verifies request
  objects with (``request_object_signing_alg_values_supported``), or ``invalid_request``.

A wallet that names no prefixes is not read as supporting only ``pre-registered`` (§10.1's
default): it followed a ``decentralized_identifier`` client id to get here.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.said import Said
from credstack.errors import ExchangeProtocolError

from . import dcql
from .requests import AuthorizationRequest
from .responses import ALG as RESPONSE_ALG

__all__ = ["MAX_METADATA_CHARS", "MAX_NONCE_CHARS", "WalletMetadata", "WalletPost", "fitted",
           "read_post", "signing_alg"]

#: The longest ``wallet_metadata`` read (formats, algorithms and a few keys: a few KiB).
MAX_METADATA_CHARS: Final = 32 * 1024
#: The longest ``wallet_nonce`` taken (§5.10 suggests a base64url random number).
MAX_NONCE_CHARS: Final = 256
#: The Client Identifier Prefix of a request signed as a DID (§5.9.3).
PREFIX: Final = "decentralized_identifier"
_ALIASES: Final = {"vc+sd-jwt": "dc+sd-jwt"}


def _bad(said: str, error: str = "invalid_request", **values: object) -> ExchangeProtocolError:
    return ExchangeProtocolError(error=error, code="oid4vp.refused.wallet." + said,
                                 params=values)


def _listed(values: Sequence[str], most: int, empty: str = "nothing") -> str | Said:
    """``values`` as the refusal names them, cut at ``most`` characters; when there are
    none, said so (``oid4vp.refused.nothing``: "nothing")."""
    return ", ".join(values)[:most] or Said("oid4vp.refused." + empty)


@dataclass(frozen=True, slots=True)
class WalletMetadata:
    """The members of ``wallet_metadata`` credstack reads (None: the wallet did not say)."""

    #: Credential Format Identifier → its parameters (``{}`` when the wallet gave none).
    vp_formats: Mapping[str, Mapping[str, Any]] | None = None
    client_id_prefixes: tuple[str, ...] | None = None
    request_object_signing_algs: tuple[str, ...] | None = None
    encryption_algs: tuple[str, ...] | None = None
    encryption_encs: tuple[str, ...] | None = None
    #: Keys to encrypt the request object to (:mod:`.request_encryption`), and the RFC 8414
    #: algorithms the wallet decrypts request objects with.
    jwks: Mapping[str, Any] | None = None
    request_object_encryption_algs: tuple[str, ...] | None = None
    request_object_encryption_encs: tuple[str, ...] | None = None
    #: The wallet's ``issuer`` (RFC 8414): the request object's ``aud`` (§5.8).
    issuer: str | None = None


@dataclass(frozen=True, slots=True)
class WalletPost:
    """The form a wallet posted to the ``request_uri``."""

    metadata: WalletMetadata | None = None
    nonce: str | None = None


def _strings(metadata: Mapping[str, Any], name: str) -> tuple[str, ...] | None:
    value = metadata.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _bad("strings", name=name)
    return tuple(value)


def _formats(metadata: Mapping[str, Any]) -> dict[str, Mapping[str, Any]] | None:
    value = metadata.get("vp_formats_supported")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad("formats")
    formats: dict[str, Mapping[str, Any]] = {}
    for name, parameters in value.items():
        # A format listed with null for its parameters (as some wallets send) supports it
        # with no restriction.
        if parameters is not None and not isinstance(parameters, dict):
            raise _bad("format", format=name[:40])
        formats[_ALIASES.get(str(name), str(name))] = parameters or {}
    return formats


def read_post(form: Mapping[str, str]) -> WalletPost:
    """The wallet's ``wallet_metadata`` and ``wallet_nonce`` from the posted ``form`` (see
    the module)."""
    nonce = form.get("wallet_nonce")
    if nonce is not None and (not nonce or len(nonce) > MAX_NONCE_CHARS
                              or not nonce.isprintable() or not nonce.isascii()):
        raise _bad("nonce", most=MAX_NONCE_CHARS)
    text = form.get("wallet_metadata")
    if text is None:
        return WalletPost(None, nonce)
    if len(text) > MAX_METADATA_CHARS:
        raise _bad("too_long", most=MAX_METADATA_CHARS)
    try:
        value = json.loads(text)
    except ValueError:
        raise _bad("not_json") from None
    except RecursionError:
        raise _bad("too_deep") from None
    if not isinstance(value, dict):
        raise _bad("not_object")
    issuer = value.get("issuer")
    if issuer is not None and not (isinstance(issuer, str) and 0 < len(issuer) <= 2048):
        raise _bad("issuer")
    jwks = value.get("jwks")
    if jwks is not None and not (isinstance(jwks, dict) and isinstance(jwks.get("keys"), list)):
        raise _bad("jwks", shape='{"keys": [...]}')
    return WalletPost(WalletMetadata(
        _formats(value), _strings(value, "client_id_prefixes_supported"),
        _strings(value, "request_object_signing_alg_values_supported"),
        _strings(value, "authorization_encryption_alg_values_supported"),
        _strings(value, "authorization_encryption_enc_values_supported"), jwks,
        _strings(value, "request_object_encryption_alg_values_supported"),
        _strings(value, "request_object_encryption_enc_values_supported"), issuer), nonce)


def signing_alg(wallet: WalletMetadata | None, offered: Sequence[str]) -> str:
    """The first of ``offered`` (the algorithms the verifier can sign this request with, its
    preference first) the wallet verifies; ``invalid_request`` when it verifies none."""
    if wallet is None or wallet.request_object_signing_algs is None:
        return offered[0]
    chosen = next((alg for alg in offered if alg in wallet.request_object_signing_algs), None)
    if chosen is None:
        raise _bad("signing_alg", theirs=_listed(wallet.request_object_signing_algs, 120),
                   ours=tuple(offered))
    return chosen


def _common(ours: Any, theirs: Any) -> bool:
    """Whether two lists of a format parameter share a value (either unsaid: they do)."""
    if not isinstance(ours, list) or not isinstance(theirs, list):
        return True
    return any(value in theirs for value in ours)


def _format_fits(ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> bool:
    return all(_common(value, theirs.get(name)) for name, value in ours.items())


def _supported(request: AuthorizationRequest, formats: Mapping[str, Mapping[str, Any]]
               ) -> set[str]:
    """The Credential Queries whose format both sides support with a common algorithm."""
    ours = request.client_metadata.get("vp_formats_supported") or {}
    return {query.id for query in request.query.credentials
            if query.format in formats
            and _format_fits(ours.get(query.format) or {}, formats[query.format])}


def _narrowed_query(query_json: Mapping[str, Any], kept: set[str]) -> dict[str, Any]:
    narrowed: dict[str, Any] = {**query_json, "credentials": [
        item for item in query_json["credentials"] if item["id"] in kept]}
    if "credential_sets" in query_json:
        narrowed["credential_sets"] = [
            {**item, "options": [option for option in item["options"]
                                 if all(name in kept for name in option)]}
            for item in query_json["credential_sets"]]
        narrowed["credential_sets"] = [item for item in narrowed["credential_sets"]
                                       if item["options"]]
        if not narrowed["credential_sets"]:
            del narrowed["credential_sets"]
    return narrowed


def _encryption(request: AuthorizationRequest, wallet: WalletMetadata) -> dict[str, Any]:
    """``client_metadata`` with the content encryptions both sides know, for a request whose
    answer is to come encrypted."""
    metadata = dict(request.client_metadata)
    if wallet.encryption_algs is not None and RESPONSE_ALG not in wallet.encryption_algs:
        raise _bad("response_alg", alg=RESPONSE_ALG,
                   theirs=_listed(wallet.encryption_algs, 120))
    ours = list(metadata.get("encrypted_response_enc_values_supported") or [])
    if wallet.encryption_encs is not None:
        common = [value for value in ours if value in wallet.encryption_encs]
        if not common:
            raise _bad("response_enc", ours=tuple(ours),
                       theirs=_listed(wallet.encryption_encs, 120))
        metadata["encrypted_response_enc_values_supported"] = common
    return metadata


def fitted(request: AuthorizationRequest, wallet: WalletMetadata | None
           ) -> AuthorizationRequest:
    """``request`` as the verifier serves it to a wallet of ``wallet`` metadata (see the
    module)."""
    if wallet is None:
        return request
    if wallet.client_id_prefixes is not None and request.signer is not None \
            and PREFIX not in wallet.client_id_prefixes:
        raise _bad("prefixes", theirs=_listed(wallet.client_id_prefixes, 160, "none"),
                   prefix=PREFIX)
    query_json, metadata = request.query_json, dict(request.client_metadata)
    if wallet.vp_formats is not None:
        kept = _supported(request, wallet.vp_formats)
        if not dcql.satisfied(request.query, kept):
            asked = sorted({query.format for query in request.query.credentials})
            raise _bad("formats_unsupported", "vp_formats_not_supported",
                       theirs=_listed(tuple(wallet.vp_formats), 160), asked=tuple(asked))
        query_json = _narrowed_query(request.query_json, kept)
        ours = metadata.get("vp_formats_supported") or {}
        metadata["vp_formats_supported"] = {name: value for name, value in ours.items()
                                            if name in wallet.vp_formats}
    if request.response_mode == "direct_post.jwt":
        metadata = {**_encryption(request, wallet),
                    "vp_formats_supported": metadata["vp_formats_supported"]}
    return dataclasses.replace(request, query=dcql.parse(query_json), query_json=query_json,
                               client_metadata=metadata)
