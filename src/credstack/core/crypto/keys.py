"""Signing keys: small immutable Ed25519 and P-256 key types over ``cryptography``.

Ed25519 as RFC 8032 "Edwards-Curve Digital Signature Algorithm (EdDSA)" (January 2017) —
https://www.rfc-editor.org/rfc/rfc8032 — pure EdDSA, 32-byte keys, 64-byte signatures.
P-256 ECDSA with SHA-256 as FIPS 186-5 "Digital Signature Standard" (February 2023) —
https://csrc.nist.gov/pubs/fips/186-5/final — public keys as 33-byte compressed SEC 1 points,
signatures as the 64-byte ``r || s`` concatenation that JOSE (RFC 7518 §3.4) and the Data
Integrity ECDSA suites use, never DER.

This is the low layer: :meth:`KeyPair.sign` signs whatever bytes it is given. Callers outside
``credstack.core.proofs`` should use the proof recipes, which decide *what* gets signed.
:meth:`PublicKey.verify` raises :class:`~credstack.errors.SignatureError`; it never returns a
boolean that could be ignored. Secret material never appears in a ``repr``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from credstack.errors import MalformedCredentialError, SignatureError

__all__ = ["KeyPair", "KeyType", "PublicKey"]


class KeyType(StrEnum):
    """The key types credstack signs with."""

    ED25519 = "Ed25519"
    P256 = "P-256"

    @property
    def jws_algorithm(self) -> str:
        """The JOSE ``alg`` for this key type (RFC 8037 ``EdDSA``, RFC 7518 ``ES256``)."""
        return "EdDSA" if self is KeyType.ED25519 else "ES256"


_PUBLIC_LENGTH = {KeyType.ED25519: 32, KeyType.P256: 33}
_SECRET_LENGTH = {KeyType.ED25519: 32, KeyType.P256: 32}
_SIGNATURE_LENGTH = 64
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _require_length(raw: bytes, length: int, what: str) -> None:
    """Refuse ``raw`` unless it has ``length`` bytes; ``what`` names it (an Ed25519 …)."""
    if len(raw) != length:
        raise MalformedCredentialError(f"{what} has {length} bytes, not {len(raw)}")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key: its type and raw bytes (Ed25519: 32 bytes; P-256: 33, compressed).

    Build one with :meth:`from_raw`; equality compares type and bytes only.
    """

    type: KeyType
    raw: bytes
    _key: Ed25519PublicKey | ec.EllipticCurvePublicKey = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, key_type: KeyType, raw: bytes) -> PublicKey:
        """Parse raw public key bytes; a wrong length or a point off the curve is malformed."""
        key_type = KeyType(key_type)
        _require_length(raw, _PUBLIC_LENGTH[key_type], f"an {key_type} public key")
        try:
            key: Ed25519PublicKey | ec.EllipticCurvePublicKey
            if key_type is KeyType.ED25519:
                key = Ed25519PublicKey.from_public_bytes(raw)
            else:
                key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError as exc:
            raise MalformedCredentialError(f"not a valid {key_type} public key") from exc
        return cls(key_type, bytes(raw), key)

    @property
    def jws_algorithm(self) -> str:
        return self.type.jws_algorithm

    def verify(self, signature: bytes, message: bytes) -> None:
        """Check ``signature`` over ``message``; raise :class:`SignatureError` if it fails."""
        if len(signature) != _SIGNATURE_LENGTH:
            raise SignatureError(
                f"an {self.type} signature has {_SIGNATURE_LENGTH} bytes, not {len(signature)}")
        try:
            if isinstance(self._key, Ed25519PublicKey):
                self._key.verify(signature, message)
            else:
                r = int.from_bytes(signature[:32], "big")
                s = int.from_bytes(signature[32:], "big")
                self._key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature as exc:
            raise SignatureError(f"the {self.type} signature does not verify") from exc

    def to_jwk(self) -> dict[str, str]:
        """The public key as a JWK (RFC 8037 ``OKP`` or RFC 7518 ``EC``), no private part."""
        if isinstance(self._key, Ed25519PublicKey):
            return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(self.raw)}
        numbers = self._key.public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": _b64url(numbers.x.to_bytes(32, "big")),
                "y": _b64url(numbers.y.to_bytes(32, "big"))}


@dataclass(frozen=True, slots=True)
class KeyPair:
    """A private key with its public key. The secret never shows in ``repr``."""

    public_key: PublicKey
    _private: Ed25519PrivateKey | ec.EllipticCurvePrivateKey = field(repr=False, compare=False)

    @property
    def type(self) -> KeyType:
        return self.public_key.type

    @classmethod
    def generate(cls, key_type: KeyType = KeyType.ED25519) -> KeyPair:
        """A fresh key pair from the operating system's randomness."""
        if KeyType(key_type) is KeyType.ED25519:
            return cls._from_private(Ed25519PrivateKey.generate())
        return cls._from_private(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_secret_bytes(cls, key_type: KeyType, raw: bytes) -> KeyPair:
        """Ed25519: the 32-byte seed; P-256: the 32-byte big-endian private scalar."""
        key_type = KeyType(key_type)
        _require_length(raw, _SECRET_LENGTH[key_type], f"an {key_type} secret key")
        if key_type is KeyType.ED25519:
            return cls._from_private(Ed25519PrivateKey.from_private_bytes(raw))
        scalar = int.from_bytes(raw, "big")
        if not 0 < scalar < _P256_ORDER:
            raise MalformedCredentialError("not a valid P-256 private scalar")
        return cls._from_private(ec.derive_private_key(scalar, ec.SECP256R1()))

    @classmethod
    def _from_private(cls, private: Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> KeyPair:
        if isinstance(private, Ed25519PrivateKey):
            public = private.public_key()
            raw = public.public_bytes_raw()
            return cls(PublicKey(KeyType.ED25519, raw, public), private)
        ec_public = private.public_key()
        raw = ec_public.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        return cls(PublicKey(KeyType.P256, raw, ec_public), private)

    def secret_bytes(self) -> bytes:
        """The raw secret (see :meth:`from_secret_bytes`); handle with care."""
        if isinstance(self._private, Ed25519PrivateKey):
            return self._private.private_bytes_raw()
        return self._private.private_numbers().private_value.to_bytes(32, "big")

    def sign(self, message: bytes) -> bytes:
        """A 64-byte signature: Ed25519 (pure EdDSA) or P-256 ECDSA-SHA-256 as ``r || s``."""
        if isinstance(self._private, Ed25519PrivateKey):
            return self._private.sign(message)
        r, s = decode_dss_signature(self._private.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
