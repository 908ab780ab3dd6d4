"""The ``proofValue`` of ``ecdsa-sd-2023``: base and derived proofs, in CBOR.

Data Integrity ECDSA Cryptosuites v1.0 — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023-functions ("ecdsa-sd-2023 Functions":
serializeSignData, serializeBaseProofValue, parseBaseProofValue, compressLabelMap,
decompressLabelMap, serializeDerivedProofValue, parseDerivedProofValue); CBOR is RFC 8949,
read and written by ``cbor2``.

A proof value is ``u`` and the base64url (no padding) of a three-byte header — ``d9 5d 00``
for the issuer's *base* proof, ``d9 5d 01`` for a holder's *derived* proof — and a CBOR
array of five items, untagged:

* base: the issuer's signature (64 bytes), the proof-scoped P-256 public key as Multikey
  bytes (35), the HMAC key (32), one signature (64 bytes) per non-mandatory statement, and
  the mandatory JSON pointers;
* derived: the issuer's signature, the proof-scoped key, the signatures of the statements
  disclosed beyond the mandatory ones, the *label map* (canonical blank-node label number →
  32-byte HMAC label) and the indexes of the mandatory statements among those disclosed.

Reading is strict, so that one proof has one spelling: every item must have its type and
size, the CBOR must be in the shortest form the reference writes (definite lengths, minimal
heads, nothing after the array), the mandatory indexes must rise. Anything else is a
:class:`~credstack.errors.MalformedCredentialError` at ``proof.proofValue`` — a base proof
where a derived one is wanted, a :class:`~credstack.errors.BaseProofError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import cbor2

from credstack.core.crypto.multibase import decode_base64url, encode_base64url
from credstack.core.said import Said, said_of
from credstack.errors import BaseProofError, MalformedCredentialError, Problem

BASE_HEADER: Final = b"\xd9\x5d\x00"
DERIVED_HEADER: Final = b"\xd9\x5d\x01"
_SIGNATURE: Final = 64
_PUBLIC_KEY: Final = 35
_HMAC_KEY: Final = 32
_LABEL: Final = 32
_C14N: Final = "c14n"
#: The message keys of a proof value's refusals.
_KEYS: Final = "proof.ecdsa_sd."


@dataclass(frozen=True, slots=True)
class BaseProofValue:
    """What an issuer's base proof carries (parseBaseProofValue)."""

    base_signature: bytes
    public_key: bytes
    hmac_key: bytes
    signatures: tuple[bytes, ...]
    mandatory_pointers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DerivedProofValue:
    """What a holder's derived proof carries (parseDerivedProofValue); ``label_map`` maps the
    canonical labels a verifier finds (``c14n0``) to the HMAC labels signed (``u…``)."""

    base_signature: bytes
    public_key: bytes
    signatures: tuple[bytes, ...]
    label_map: Mapping[str, str]
    mandatory_indexes: tuple[int, ...]


def serialize_sign_data(proof_hash: bytes, public_key: bytes, mandatory_hash: bytes) -> bytes:
    """serializeSignData: what the issuer's key signs."""
    return proof_hash + public_key + mandatory_hash


def serialize_base(value: BaseProofValue) -> str:
    """serializeBaseProofValue."""
    return _serialize(BASE_HEADER, [value.base_signature, value.public_key, value.hmac_key,
                                    list(value.signatures), list(value.mandatory_pointers)])


def serialize_derived(value: DerivedProofValue) -> str:
    """serializeDerivedProofValue, the label map compressed (compressLabelMap)."""
    compressed = {int(label.removeprefix(_C14N)): decode_base64url(hmac_label)
                  for label, hmac_label in value.label_map.items()}
    return _serialize(DERIVED_HEADER, [value.base_signature, value.public_key,
                                       list(value.signatures), compressed,
                                       list(value.mandatory_indexes)])


def _serialize(header: bytes, components: list[Any]) -> str:
    return encode_base64url(header + cbor2.dumps(components))


def is_base(proof_value: Any) -> bool:
    """Whether a proof value is a base proof's (by its header; nothing else is checked)."""
    try:
        return decode_base64url(proof_value).startswith(BASE_HEADER)
    except MalformedCredentialError:
        return False


def parse_base(proof_value: Any) -> BaseProofValue:
    """parseBaseProofValue."""
    components, payload = _components(proof_value, BASE_HEADER, "base")
    signature, public_key, hmac_key, signatures, pointers = components
    _check(_is_bytes(signature, _SIGNATURE), "base_signature")
    _check(_is_bytes(public_key, _PUBLIC_KEY), "public_key")
    _check(_is_bytes(hmac_key, _HMAC_KEY), "hmac_key")
    _check(isinstance(signatures, list) and all(_is_bytes(s, _SIGNATURE) for s in signatures),
           "signatures")
    _check(isinstance(pointers, list) and all(isinstance(p, str) for p in pointers),
           "pointers")
    _check_shortest(components, payload)
    return BaseProofValue(signature, public_key, hmac_key, tuple(signatures), tuple(pointers))


def parse_derived(proof_value: Any) -> DerivedProofValue:
    """parseDerivedProofValue, the label map decompressed (decompressLabelMap)."""
    components, payload = _components(proof_value, DERIVED_HEADER, "derived")
    signature, public_key, signatures, labels, indexes = components
    _check(_is_bytes(signature, _SIGNATURE), "base_signature")
    _check(_is_bytes(public_key, _PUBLIC_KEY), "public_key")
    _check(isinstance(signatures, list) and all(_is_bytes(s, _SIGNATURE) for s in signatures),
           "signatures")
    _check(isinstance(labels, dict) and all(
        type(number) is int and number >= 0 and _is_bytes(label, _LABEL)
        for number, label in labels.items()),
           "label_map")
    _check(isinstance(indexes, list) and all(type(index) is int for index in indexes)
           and all(a < b for a, b in zip([-1, *indexes], indexes, strict=False)),
           "indexes")
    _check_shortest(components, payload)
    label_map = {f"{_C14N}{number}": encode_base64url(label) for number, label in labels.items()}
    return DerivedProofValue(signature, public_key, tuple(signatures), label_map,
                             tuple(indexes))


def _components(proof_value: Any, header: bytes, kind: str) -> tuple[list[Any], bytes]:
    """The five items of a proof value with ``header``, a ``kind`` (``base``, ``derived``)
    of proof."""
    if not isinstance(proof_value, str) or not proof_value.startswith("u"):
        raise _malformed("not_multibase")
    try:
        data = decode_base64url(proof_value)
    except MalformedCredentialError as exc:
        raise _malformed("not_base64url", reason=said_of(exc)) from None
    if not data.startswith(header):
        if header == DERIVED_HEADER and data.startswith(BASE_HEADER):
            raise BaseProofError(code=f"{_KEYS}base_proof", problems=[
                Problem("proof.proofValue", code=f"{_KEYS}base_proof")])
        raise _malformed("wrong_header", kind=Said(f"{_KEYS}kind.{kind}"),
                         header=f"0x{header.hex()}", found=f"0x{data[:3].hex()}")
    payload = data[len(header):]
    try:
        components = cbor2.loads(payload)
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError,
            MemoryError) as exc:
        raise _malformed("not_cbor", reason=str(exc)) from None
    _check(isinstance(components, list) and len(components) == 5, "not_five")
    return components, payload


def _check_shortest(components: list[Any], payload: bytes) -> None:
    """The items have their types: now the bytes must be the shortest CBOR of them."""
    _check(cbor2.dumps(components) == payload, "not_shortest")


def _is_bytes(value: Any, length: int) -> bool:
    return isinstance(value, bytes) and len(value) == length


def _check(condition: bool, code: str) -> None:
    if not condition:
        raise _malformed(code)


def _malformed(code: str, **params: object) -> MalformedCredentialError:
    """A proof value that is not one: the message key ``proof.ecdsa_sd.<code>``, said of the
    error and of its problem at ``proof.proofValue``."""
    return MalformedCredentialError(code=f"{_KEYS}{code}", params=params, problems=[
        Problem("proof.proofValue", code=f"{_KEYS}{code}", params=params)])
