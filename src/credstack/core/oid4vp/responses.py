"""Encrypted Authorization Responses: ``response_mode=direct_post.jwt`` (OID4VP 1.0 §8.3).

*OpenID for Verifiable Presentations 1.0* §8.3 "Encrypted Responses" and *RFC 7516 JSON Web
Encryption*, with ``ECDH-ES`` on P-256 (RFC 7518 §4.6) and ``A128GCM`` or ``A256GCM``.

The verifier puts an ephemeral public key in ``client_metadata.jwks`` with the content
encryptions it takes in ``encrypted_response_enc_values_supported``
(:func:`encryption_metadata`); the wallet encrypts the response parameters (``vp_token``,
``state``) as a compact JWE to that key (:func:`encrypt`) and posts ``response=<the JWE>``;
the verifier decrypts it with the private key (:func:`decrypt`), which is derived from a seed
the caller keeps (:func:`key_from_seed`): nothing here stores a key or reads a clock.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from credstack.errors import ExchangeProtocolError

__all__ = ["ALG", "ENC_VALUES", "decrypt", "encrypt", "encryption_metadata", "key_from_seed"]

ALG: Final = "ECDH-ES"
#: What credstack's verifier decrypts, its preference first (§8.3: A128GCM is the default).
ENC_VALUES: Final = ("A128GCM", "A256GCM")
#: The order of the P-256 group (SEC 2 §2.4.2), for a private scalar from a seed.
_ORDER: Final = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
#: The largest encrypted response decrypted (the direct_post limit, with JWE's overhead).
MAX_BYTES: Final = 2 * 1024 * 1024


def _bad(said: str, **values: object) -> ExchangeProtocolError:
    return ExchangeProtocolError(error="invalid_request", code="oid4vp.refused.response." + said,
                                 params=values)


def key_from_seed(seed: bytes) -> ECKey:
    """The P-256 key pair a 32-byte ``seed`` (a key derived for one request) stands for."""
    scalar = int.from_bytes(seed, "big") % (_ORDER - 1) + 1
    return ECKey.import_key(ec.derive_private_key(scalar, ec.SECP256R1()))


def encryption_metadata(key: ECKey, *, kid: str) -> dict[str, Any]:
    """What ``client_metadata`` says to encrypt to ``key`` (its public half)."""
    public = {**key.as_dict(private=False), "use": "enc", "alg": ALG, "kid": kid}
    return {"jwks": {"keys": [public]},
            "encrypted_response_enc_values_supported": list(ENC_VALUES)}


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def encrypt(parameters: Mapping[str, Any], *, metadata: Mapping[str, Any], nonce: str) -> str:
    """``parameters`` as a compact JWE to the first ``ECDH-ES`` P-256 key of
    ``metadata["jwks"]``, with the first content encryption both sides know (the wallet's
    side of §8.3; ``apv`` is the request's nonce, as the npm wallet sends it)."""
    keys = (metadata.get("jwks") or {}).get("keys") or []
    chosen = next((item for item in keys if isinstance(item, Mapping)
                   and item.get("kty") == "EC" and item.get("crv") == "P-256"
                   and item.get("alg", ALG) == ALG and item.get("use", "enc") == "enc"), None)
    if chosen is None:
        raise _bad("no_key")
    offered = metadata.get("encrypted_response_enc_values_supported") or ["A128GCM"]
    enc = next((value for value in offered if value in ENC_VALUES), None)
    if enc is None:
        raise _bad("no_enc", offered=", ".join(map(str, offered))[:100])
    header = {"alg": ALG, "enc": enc, "apv": _b64(nonce),
              **({"kid": chosen["kid"]} if isinstance(chosen.get("kid"), str) else {})}
    plaintext = json.dumps(dict(parameters), separators=(",", ":")).encode()
    return jwe.encrypt_compact(header, plaintext, ECKey.import_key(dict(chosen)))


def decrypt(token: str, *, key: ECKey, kid: str) -> dict[str, Any]:
    """The response parameters in ``token``, encrypted to ``key`` (the verifier's side of
    §8.3): ``invalid_request`` for a JWE of another algorithm, for another key, or whose
    plaintext is not a JSON object."""
    if len(token) > MAX_BYTES:
        raise _bad("too_large")
    try:
        header = json.loads(base64.urlsafe_b64decode(
            token.split(".")[0] + "=" * (-len(token.split(".")[0]) % 4)))
    except ValueError:
        raise _bad("not_jwe") from None
    if not isinstance(header, dict) or header.get("alg") != ALG \
            or header.get("enc") not in ENC_VALUES:
        raise _bad("algorithm", alg=ALG, encs=ENC_VALUES)
    if "kid" in header and header["kid"] != kid:
        raise _bad("other_key")
    try:
        opened = jwe.decrypt_compact(token, key, algorithms=[ALG, *ENC_VALUES])
        parameters = json.loads(opened.plaintext or b"")
    except (JoseError, ValueError):
        raise _bad("undecryptable") from None
    if not isinstance(parameters, dict):
        raise _bad("not_object")
    return parameters
