"""Hosted verification policy, revocation lists, and signed badges (JWS).

What a policy refuses and why a JWS is refused are message keys (``ob2.policy.…``,
``ob2.jws.…``) with their values, worded where they are shown.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from credstack.core.credentials.openbadges_v2.vocabulary import (
    _JWS,
    ACCEPTED_ALGORITHMS,
    MIN_RSA_BITS,
    _authority,
    _items,
    is_http_url,
)
from credstack.core.said import Listed, Said
from credstack.errors import InputError, MalformedCredentialError, Problem, SignatureError

#: The prefix of why a JWS is refused (``ob2.jws.…``).
_JWS_SAID: Final = "ob2.jws."


def hosted_policy_problem(assertion_id: str, issuer: Mapping[str, Any], *,
                          issuer_location: str | None) -> tuple[Said | None, list[Said]]:
    """Whether a hosted assertion's id is in its issuer's verification scope (§HostedBadge).

    Returns (the reason it is not, or None; notes). The scope is the issuer Profile's
    ``verification`` object: every ``startsWith`` prefix and ``allowedOrigins`` host it
    declares; without ``allowedOrigins``, the host of the issuer's id — or, when that id is
    not an HTTP URL, of ``issuer_location``, the URL the profile was fetched from.
    """
    notes: list[Said] = []
    policy = issuer.get("verification", issuer.get("verify"))
    policy = policy if isinstance(policy, Mapping) else {}
    prefixes = [item for item in _items(policy.get("startsWith")) if isinstance(item, str)]
    if prefixes and not any(assertion_id.startswith(prefix) for prefix in prefixes):
        return Said("ob2.policy.prefix", id=assertion_id, prefixes=Listed(prefixes)), notes
    origins = [item.lower() for item in _items(policy.get("allowedOrigins"))
               if isinstance(item, str)]
    if not origins:
        issuer_id = issuer.get("id")
        own = is_http_url(issuer_id)
        home = issuer_id if own else issuer_location
        authority = _authority(home) if isinstance(home, str) else None
        if authority is None:
            return Said("ob2.policy.no_origin"), notes
        if not own:
            notes.append(Said("verification.check.ob2.issuer.origin_served", home=home))
        origins = [authority]
    authority = _authority(assertion_id)
    hostname = urlsplit(assertion_id).hostname if authority is not None else None
    if authority is None or (authority not in origins and (hostname or "") not in origins):
        return Said("ob2.policy.origin", host=authority or assertion_id,
                    origins=Listed(origins)), notes
    return None, notes


def revocation_entry(revocation_list: Mapping[str, Any], assertion_id: str,
                     uid: str | None = None) -> Mapping[str, Any] | None:
    """The entry of ``revokedAssertions`` that revokes ``assertion_id`` (or a legacy
    ``uid``), as an object (a bare id becomes ``{"id": …}``); None when it is not listed."""
    for entry in _items(revocation_list.get("revokedAssertions")):
        if isinstance(entry, str) and entry.strip() == assertion_id:
            return {"id": entry}
        if isinstance(entry, Mapping):
            if isinstance(entry.get("id"), str) and entry["id"].strip() == assertion_id:
                return entry
            if uid is not None and entry.get("uid") == uid:
                return entry
    return None


@dataclass(frozen=True, slots=True)
class Jws:
    """A compact JWS read but not verified: its header, payload and signed bytes."""

    token: str
    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def _refused(said: str, location: str, problem: str, /, **params: object
              ) -> MalformedCredentialError:
    """A JWS refused (``ob2.jws.<said>``) for ``problem`` (``ob2.jws.problem.<problem>``) at
    ``location``."""
    return MalformedCredentialError(code=_JWS_SAID + said, params=params, problems=[Problem(
        location, code=_JWS_SAID + "problem." + problem)])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(part: str, where: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise _refused("not_base64url", where, "not_base64url", part=where) from None


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _refused("repeated_key", key, "repeated", key=repr(key))
        result[key] = value
    return result


def _json_object(data: bytes, where: str) -> dict[str, Any]:
    try:
        value = json.loads(data, object_pairs_hook=_unique)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _refused("not_json", where, "not_json", part=where) from None
    if not isinstance(value, dict):
        raise _refused("not_object", where, "not_object", part=where)
    return value


def read_jws(token: str) -> Jws:
    """Split and decode a compact JWS (RFC 7515 §7.1) without verifying it.

    Raises :class:`~credstack.errors.MalformedCredentialError` when it is not a compact JWS
    of a JSON object.
    """
    token = token.strip()
    if not _JWS.fullmatch(token):
        raise _refused("not_compact", "jws", "not_compact")
    header_part, payload_part, signature_part = token.split(".")
    header = _json_object(_b64decode(header_part, "header"), "header")
    payload = _json_object(_b64decode(payload_part, "payload"), "payload")
    signature = _b64decode(signature_part, "signature")
    return Jws(token, header, payload, f"{header_part}.{payload_part}".encode("ascii"),
               signature)


#: A private key credstack signs OB 2.0 assertions with: RSA (RS256) or P-256 (ES256).
SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def algorithm_of(key: SigningKey) -> str:
    """The JWS algorithm a signing key makes: RS256 (RSA, ≥ 2048 bits) or ES256 (P-256).

    Raises :class:`~credstack.errors.InputError` for any other key.
    """
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise InputError(code=_JWS_SAID + "rsa_signing_key_short", params={
                "least": MIN_RSA_BITS}, problems=[Problem(
                    "key", code=_JWS_SAID + "problem.rsa_signing_key_short",
                    params={"least": MIN_RSA_BITS})])
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise InputError(code=_JWS_SAID + "signing_key", problems=[Problem(
        "key", code=_JWS_SAID + "problem.not_kind", params={"kind": type(key).__name__})])


def sign_assertion(assertion: Mapping[str, Any], *, key: SigningKey) -> str:
    """The signed badge: ``assertion`` as the payload of a compact JWS, RS256 or ES256 as
    the key is (:func:`algorithm_of`).

    RSASSA-PKCS1-v1_5 (RS256) is deterministic: the same assertion and key always give the
    same token. ECDSA (ES256) draws a fresh nonce per signature, so tokens differ, and each
    of them is valid: either may be cached by its payload.
    """
    alg = algorithm_of(key)
    header = _b64url(b'{"alg":"' + alg.encode("ascii") + b'","typ":"JWT"}')
    payload = _b64url(json.dumps(assertion, ensure_ascii=False, separators=(",", ":"),
                                 allow_nan=False).encode("utf-8"))
    signing_input = f"{header}.{payload}".encode("ascii")
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    else:
        # JWS wants the raw r ‖ s (RFC 7518 §3.4), 32 bytes each, not the DER cryptography makes.
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{header}.{payload}.{_b64url(signature)}"


def verify_jws(jws: Jws, public_key_pem: str) -> str:
    """Check a JWS's signature with a PEM public key; return the algorithm.

    ``alg`` must be one of :data:`ACCEPTED_ALGORITHMS` and fit the key: RS256 an RSA key of
    at least 2048 bits, ES256 a P-256 key, EdDSA an Ed25519 key. ``alg: none``, HMAC and
    critical header parameters are refused (:class:`~credstack.errors.MalformedCredentialError`);
    a signature that does not verify raises :class:`~credstack.errors.SignatureError`.
    """
    alg = jws.header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        raise MalformedCredentialError(code=_JWS_SAID + "unsecured",
                                       problems=[Problem("header.alg", repr(alg))])
    if alg not in ACCEPTED_ALGORITHMS:
        raise MalformedCredentialError(
            code=_JWS_SAID + "unsupported", params={"alg": repr(alg)}, problems=[Problem(
                "header.alg", code=_JWS_SAID + "problem.use_one_of",
                params={"algorithms": Listed(ACCEPTED_ALGORITHMS)})])
    if "crit" in jws.header:
        raise MalformedCredentialError(code=_JWS_SAID + "critical",
                                       problems=[Problem("header.crit", "")])
    key = _public_key(public_key_pem)
    try:
        if alg == "RS256":
            if not isinstance(key, rsa.RSAPublicKey):
                raise _mismatch(alg, "rsa")
            if key.key_size < MIN_RSA_BITS:
                raise _refused("rsa_key_short", "publicKeyPem", "too_short",
                               bits=key.key_size, least=MIN_RSA_BITS)
            key.verify(jws.signature, jws.signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif alg == "ES256":
            if not (isinstance(key, ec.EllipticCurvePublicKey)
                    and isinstance(key.curve, ec.SECP256R1)):
                raise _mismatch(alg, "p256")
            if len(jws.signature) != 64:
                raise SignatureError(code=_JWS_SAID + "es256_length")
            der = encode_dss_signature(int.from_bytes(jws.signature[:32], "big"),
                                       int.from_bytes(jws.signature[32:], "big"))
            key.verify(der, jws.signing_input, ec.ECDSA(hashes.SHA256()))
        else:
            if not isinstance(key, ed25519.Ed25519PublicKey):
                raise _mismatch(alg, "ed25519")
            key.verify(jws.signature, jws.signing_input)
    except InvalidSignature:
        raise SignatureError(code=_JWS_SAID + "signature") from None
    return alg


@functools.lru_cache(maxsize=256)
def _public_key(pem: str) -> Any:
    """A PEM public key, parsed once: an issuer's key checks every badge it signed."""
    try:
        return serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnsupportedAlgorithm, UnicodeEncodeError) as exc:
        raise _refused("unreadable_pem", "publicKeyPem", "not_pem", detail=str(exc)) from None


#: The code of a key of another kind than the JWS's algorithm needs.
KEY_MISMATCH: Final = _JWS_SAID + "key_mismatch"


def _mismatch(alg: str, wanted: str) -> MalformedCredentialError:
    """The JWS says ``alg``, which needs a key of the ``wanted`` kind (``ob2.jws.key.…``)."""
    kind = Said(_JWS_SAID + "key." + wanted)
    return MalformedCredentialError(code=KEY_MISMATCH, params={"alg": alg, "wanted": kind},
                                    problems=[Problem("publicKeyPem",
                                                      code=_JWS_SAID + "problem.not_kind",
                                                      params={"kind": kind})])
