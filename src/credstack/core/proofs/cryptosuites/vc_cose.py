"""Credentials secured with COSE: ``application/vc+cose``.

*Securing Verifiable Credentials using JOSE and COSE* — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-jose-cose/ — §3.3.1 "Securing JSON-LD Verifiable Credentials with
COSE": a ``COSE_Sign1`` whose payload is the unsecured credential's JSON, ``typ`` (header 16)
``application/vc+cose`` (or content type, header 3, ``application/vc``), ``kid`` (header 4)
the verification method; enveloped as ``data:application/vc+cose;base64,<COSE_Sign1>``.

*CBOR Object Signing and Encryption (COSE): Structures and Process* — RFC 9052, August 2022 —
https://www.rfc-editor.org/rfc/rfc9052 — §4.2 ``COSE_Sign1`` (``[protected, unprotected,
payload, signature]``, perhaps under tag 18) and §4.4 the ``Sig_structure`` that is signed:
``["Signature1", protected, external_aad, payload]`` (no external data here). Algorithms
(RFC 9053 §2.1, §2.2; RFC 8812 §3.2): ES256 (-7, P-256), ES384 (-35, P-384), ES512 (-36,
P-521), EdDSA (-8, Ed25519) and ES256K (-47, secp256k1), signatures as ``r || s``; the
algorithm must be in the protected header, and the key must be of its kind.

:func:`sign` writes one: the protected header holds ``alg``, ``kid`` (its UTF-8 bytes, as
RFC 9052 §3.1 types it), ``typ`` ``application/vc+cose`` and content type
``application/vc`` (the Recommendation's "SHOULD"s); the message is tagged (18).

Written here rather than taken from PyPI's ``pycose``: verifying a ``COSE_Sign1`` is decoding
four CBOR items and encoding one ``Sig_structure`` (``cbor2``, which credstack already
uses), then one signature check with the keys of :mod:`credstack.core.crypto.keys`; ``pycose``
would bring a key model of its own and the pure-Python ``ecdsa`` package beside
``cryptography`` for those few lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import cbor2

from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.errors import MalformedCredentialError, Problem, SignatureError

from .vc_jwt import credential_bytes

__all__ = ["ALGORITHMS", "DATA_URL", "MEDIA_TYPE", "VP_DATA_URL", "VP_MEDIA_TYPE", "CoseSign1",
           "is_cose", "parse", "sign", "verify"]

MEDIA_TYPE: Final = "application/vc+cose"
DATA_URL: Final = f"data:{MEDIA_TYPE};base64,"
#: §3.3.2 "Securing JSON-LD Verifiable Presentations with COSE": the same with ``vp``.
VP_MEDIA_TYPE: Final = "application/vp+cose"
VP_DATA_URL: Final = f"data:{VP_MEDIA_TYPE};base64,"
#: COSE algorithm identifiers and the key each needs.
ALGORITHMS: Final[Mapping[int, tuple[str, KeyType]]] = {
    -7: ("ES256", KeyType.P256), -35: ("ES384", KeyType.P384), -36: ("ES512", KeyType.P521),
    -8: ("EdDSA", KeyType.ED25519), -47: ("ES256K", KeyType.SECP256K1)}
_ALG, _CONTENT_TYPE, _KID, _TYP = 1, 3, 4, 16
_SIGN1_TAG: Final = 18
#: ``typ`` and content type values read as a credential (or none at all).
_TYPES: Final = (MEDIA_TYPE, "vc+cose", "application/vc", "application/vc+ld+json", None)
_MAX_BYTES: Final = 8 * 1024 * 1024
#: The COSE algorithm of each key type credstack signs with.
_SIGNING: Final[Mapping[KeyType, int]] = {key_type: alg for alg, (_, key_type)
                                          in ALGORITHMS.items()}


@dataclass(frozen=True, slots=True)
class CoseSign1:
    """A ``COSE_Sign1``, split (nothing verified yet)."""

    #: The protected header as signed (its CBOR bytes) and decoded.
    protected_bytes: bytes = field(repr=False)
    protected: dict[Any, Any]
    unprotected: dict[Any, Any]
    payload: bytes = field(repr=False)
    signature: bytes = field(repr=False)

    @property
    def algorithm(self) -> object:
        return self.protected.get(_ALG)

    @property
    def algorithm_name(self) -> str | None:
        """``ES256``, ``ES384``, ``EdDSA`` or ``ES256K`` (``None``: not one of those)."""
        alg = self.algorithm
        known = ALGORITHMS.get(alg) if isinstance(alg, int) and not isinstance(alg, bool) \
            else None
        return known[0] if known is not None else None

    @property
    def kind(self) -> object:
        """The ``typ`` the protected header names, else its content type (``None``: none)."""
        return self.protected.get(_TYP, self.protected.get(_CONTENT_TYPE))

    @property
    def kid(self) -> str | None:
        """The ``kid`` (protected or not) as text: the verification method it names."""
        value = self.protected.get(_KID, self.unprotected.get(_KID))
        if isinstance(value, bytes):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return value if isinstance(value, str) else None

    def credential(self) -> dict[str, Any]:
        """The payload as the credential it carries: a JSON object with an ``@context``."""
        kind = self.kind
        if kind not in _TYPES:
            raise MalformedCredentialError(
                code="proof.vc_cose.typ", params={"typ": repr(kind)},
                problems=[Problem("protected.typ", code="proof.problem.expected",
                                  params={"expected": repr(MEDIA_TYPE)})])
        try:
            value = json.loads(self.payload)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise MalformedCredentialError(code="proof.vc_cose.payload_not_json", problems=[
                Problem("payload", code="proof.problem.not_json")]) from None
        if not isinstance(value, dict) or "@context" not in value:
            raise MalformedCredentialError(
                code="proof.vc_cose.payload_not_credential",
                problems=[Problem("payload", code="proof.problem.not_a_credential")])
        return value


def is_cose(data: bytes) -> bool:
    """Whether ``data`` starts as a ``COSE_Sign1`` does: tag 18, or an array of four."""
    return data[:1] in (b"\xd2", b"\x84")


def parse(data: bytes) -> CoseSign1:
    """Split a (tagged or untagged) ``COSE_Sign1``; raise MalformedCredentialError if it is
    not one."""
    if len(data) > _MAX_BYTES:
        raise MalformedCredentialError(code="proof.vc_cose.too_large",
                                       params={"limit": f"{_MAX_BYTES:,}"})
    try:
        value = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError, TypeError, RecursionError, MemoryError):
        raise MalformedCredentialError(code="proof.vc_cose.not_cbor", problems=[
            Problem("cose", code="proof.problem.bad_cbor")]) from None
    if isinstance(value, cbor2.CBORTag):
        if value.tag != _SIGN1_TAG:
            raise MalformedCredentialError(
                code="proof.vc_cose.tag", params={"tag": value.tag},
                problems=[Problem("cose", code="proof.vc_cose.problem.not_sign1")])
        value = value.value  # cbor2 gives a tagged array as a tuple
    if not (isinstance(value, list | tuple) and len(value) == 4):
        raise MalformedCredentialError(code="proof.vc_cose.not_four_items", problems=[
            Problem("cose", code="proof.vc_cose.problem.not_sign1")])
    protected_bytes, unprotected, payload, signature = value
    if not isinstance(protected_bytes, bytes) or not isinstance(unprotected, Mapping) \
            or not isinstance(signature, bytes):
        raise MalformedCredentialError(code="proof.vc_cose.item_types", problems=[
            Problem("cose", code="proof.vc_cose.problem.malformed")])
    if not isinstance(payload, bytes):
        raise MalformedCredentialError(code="proof.vc_cose.detached",
                                       problems=[Problem("payload", "nil")])
    try:
        protected = cbor2.loads(protected_bytes) if protected_bytes else {}
    except (cbor2.CBORDecodeError, ValueError, TypeError, RecursionError):
        protected = None
    if not isinstance(protected, Mapping):
        raise MalformedCredentialError(code="proof.vc_cose.protected_not_map", problems=[
            Problem("protected", code="proof.problem.not_a_map")])
    # (Inside a tag cbor2 gives maps as its immutable FrozenDict: plain dicts from here on.)
    return CoseSign1(protected_bytes, dict(protected), dict(unprotected), payload, signature)


def sign(credential: Mapping[str, Any], *, key: KeyPair, kid: str,
         presentation: bool = False) -> bytes:
    """The credential (or, with ``presentation``, the presentation: ``application/vp+cose``)
    as a tagged ``COSE_Sign1`` signed by ``key`` (its payload the document's UTF-8 JSON);
    ``kid`` is the verification method."""
    payload = credential_bytes(credential)
    kind, content = (VP_MEDIA_TYPE, "application/vp") if presentation \
        else (MEDIA_TYPE, "application/vc")
    protected = cbor2.dumps({_ALG: _SIGNING[key.type], _KID: kid.encode("utf-8"),
                             _TYP: kind, _CONTENT_TYPE: content})
    signature = key.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
    return cbor2.dumps(cbor2.CBORTag(_SIGN1_TAG, [protected, {}, payload, signature]))


def verify(message: CoseSign1, key: PublicKey) -> None:
    """Check the signature (RFC 9052 §4.4) with ``key``; SignatureError when it does not
    verify or the key is not of the algorithm's kind, MalformedCredentialError when the
    algorithm is missing, unprotected or unknown."""
    alg = message.algorithm
    known = ALGORITHMS.get(alg) if isinstance(alg, int) and not isinstance(alg, bool) else None
    if known is None:
        where = "protected.alg" if _ALG in message.protected or _ALG not in \
            message.unprotected else "unprotected.alg"
        raise MalformedCredentialError(code="proof.vc_cose.alg_not_accepted",
                                       params={"alg": repr(alg)},
                                       problems=[Problem(where, repr(alg))])
    name, key_type = known
    if key.type is not key_type:
        raise SignatureError(code="proof.vc_cose.key_mismatch",
                             params={"alg": name, "key": f"{key.type}"},
                             problems=[Problem("protected.alg", code="proof.problem.not_the_key")])
    signed = cbor2.dumps(["Signature1", message.protected_bytes, b"", message.payload])
    key.verify(message.signature, signed)
