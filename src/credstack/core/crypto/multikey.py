"""Multikey: public and secret keys as multicodec-prefixed base58-btc multibase strings.

Controlled Identifiers v1.0, §2.2.2 "Multikey" — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/cid-1.0/#Multikey ; the header values are the multicodec table's
varint-encoded codes (https://github.com/multiformats/multicodec/blob/master/table.csv):

=================  ========  ============  ==================================
key                code      header bytes  body
=================  ========  ============  ==================================
Ed25519 public     0xed      ``ed 01``     32 bytes
Ed25519 secret     0x1300    ``80 26``     32-byte seed
P-256 public       0x1200    ``80 24``     33-byte compressed point
P-256 secret       0x1306    ``86 26``     32-byte scalar
P-384 public       0x1201    ``81 24``     49-byte compressed point
P-384 secret       0x1307    ``87 26``     48-byte scalar
secp256k1 public   0xe7      ``e7 01``     33-byte compressed point
secp256k1 secret   0x1301    ``81 26``     32-byte scalar
X25519 public      0xec      ``ec 01``     32 bytes (did:key ``keyAgreement`` only)
=================  ========  ============  ==================================

A public key therefore always reads ``z6Mk…`` (Ed25519), ``zDn…`` (P-256), ``z82…`` (P-384)
or ``zQ3s…`` (secp256k1). Some
publishers (the 1EdTech vectors among them) write an Ed25519 secret as the 64-byte
``seed || public key``; it is accepted when its public half matches the seed.
"""

from __future__ import annotations

from collections.abc import Mapping

from credstack.errors import MalformedCredentialError

from .keys import KeyPair, KeyType, PublicKey, _require_length
from .multibase import decode_base58btc, encode_base58btc

ED25519_PUBLIC_HEADER = b"\xed\x01"
ED25519_SECRET_HEADER = b"\x80\x26"
P256_PUBLIC_HEADER = b"\x80\x24"
P256_SECRET_HEADER = b"\x86\x26"
P384_PUBLIC_HEADER = b"\x81\x24"
P384_SECRET_HEADER = b"\x87\x26"
P521_PUBLIC_HEADER = b"\x82\x24"
P521_SECRET_HEADER = b"\x88\x26"
SECP256K1_PUBLIC_HEADER = b"\xe7\x01"
SECP256K1_SECRET_HEADER = b"\x81\x26"
X25519_PUBLIC_HEADER = b"\xec\x01"

_PUBLIC_HEADERS = {KeyType.ED25519: ED25519_PUBLIC_HEADER, KeyType.P256: P256_PUBLIC_HEADER,
                   KeyType.P384: P384_PUBLIC_HEADER, KeyType.P521: P521_PUBLIC_HEADER,
                   KeyType.SECP256K1: SECP256K1_PUBLIC_HEADER}
_SECRET_HEADERS = {KeyType.ED25519: ED25519_SECRET_HEADER, KeyType.P256: P256_SECRET_HEADER,
                   KeyType.P384: P384_SECRET_HEADER, KeyType.P521: P521_SECRET_HEADER,
                   KeyType.SECP256K1: SECP256K1_SECRET_HEADER}
_PUBLIC_TYPES = {header: key_type for key_type, header in _PUBLIC_HEADERS.items()}
_SECRET_TYPES = {header: key_type for key_type, header in _SECRET_HEADERS.items()}


def encode_public_key(key: PublicKey) -> str:
    """``publicKeyMultibase`` of a public key (``z6Mk…``, ``zDn…``, ``z82…``, ``zQ3s…``)."""
    return encode_base58btc(public_key_bytes(key))


def decode_public_key(value: str) -> PublicKey:
    """The public key of a ``publicKeyMultibase`` value; other key types are refused."""
    return decode_public_key_bytes(decode_base58btc(value), "publicKeyMultibase")


def public_key_bytes(key: PublicKey) -> bytes:
    """The Multikey bytes of a public key: header, then the key (as ``ecdsa-sd-2023`` carries
    its proof-scoped key, without multibase)."""
    return _PUBLIC_HEADERS[key.type] + key.raw


def decode_public_key_bytes(data: bytes, name: str = "the Multikey public key") -> PublicKey:
    """The public key of Multikey bytes (:func:`public_key_bytes`); ``name`` says what held
    them, for the message when they are not a public key credstack reads."""
    key_type, body = _typed(data, _PUBLIC_TYPES, name, "public")
    return PublicKey.from_raw(key_type, body)


def encode_secret_key(key_pair: KeyPair) -> str:
    """``secretKeyMultibase`` of a key pair (the seed or the scalar)."""
    return encode_base58btc(_SECRET_HEADERS[key_pair.type] + key_pair.secret_bytes())


def decode_secret_key(value: str) -> KeyPair:
    """The key pair of a ``secretKeyMultibase`` value."""
    key_type, body = _typed(decode_base58btc(value), _SECRET_TYPES, "secretKeyMultibase",
                            "secret")
    if key_type is KeyType.ED25519 and len(body) == 64:
        key_pair = KeyPair.from_secret_bytes(key_type, body[:32])
        if key_pair.public_key.raw != body[32:]:
            raise MalformedCredentialError(
                "the 64-byte Ed25519 secret key's public half does not match its seed")
        return key_pair
    return KeyPair.from_secret_bytes(key_type, body)


def _typed(data: bytes, types: Mapping[bytes, KeyType], name: str, kind: str
           ) -> tuple[KeyType, bytes]:
    """The key type Multikey bytes' header names, and the body after the header."""
    key_type = types.get(data[:2])
    if key_type is None:
        known = ", ".join(f"{option} (0x{header.hex()})" for header, option in types.items())
        raise MalformedCredentialError(
            f"{name} header 0x{data[:2].hex()} is not one of the {kind} keys credstack reads: "
            f"{known}")
    return key_type, data[2:]


def encode_x25519_public_key(raw: bytes) -> str:
    """``publicKeyMultibase`` of a raw X25519 public key (``z6LS…``)."""
    _require_length(raw, 32, "an X25519 public key")
    return encode_base58btc(X25519_PUBLIC_HEADER + raw)
