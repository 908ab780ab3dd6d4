"""Signing keys: small immutable Ed25519 and ECDSA key types over ``cryptography``.

Ed25519 as RFC 8032 "Edwards-Curve Digital Signature Algorithm (EdDSA)" (January 2017) —
https://www.rfc-editor.org/rfc/rfc8032 — pure EdDSA, 32-byte keys, 64-byte signatures.
ECDSA as FIPS 186-5 "Digital Signature Standard" (February 2023) —
https://csrc.nist.gov/pubs/fips/186-5/final — on four curves, each with its hash:

==========  ==========  ============  ==========  =========  ======================
key type    hash        public key    secret key  signature  JOSE ``alg``
==========  ==========  ============  ==========  =========  ======================
P-256       SHA-256     33 bytes      32 bytes    64 bytes   ``ES256`` (RFC 7518)
P-384       SHA-384     49 bytes      48 bytes    96 bytes   ``ES384`` (RFC 7518)
P-521       SHA-512     67 bytes      66 bytes    132 bytes  ``ES512`` (RFC 7518)
secp256k1   SHA-256     33 bytes      32 bytes    64 bytes   ``ES256K`` (RFC 8812)
==========  ==========  ============  ==========  =========  ======================

Public keys are compressed SEC 1 points; signatures are the ``r || s`` concatenation that JOSE
(RFC 7518 §3.4) and the Data Integrity ECDSA suites use, never DER. P-256, P-384 and P-521
are the NIST curves of SP 800-186 (``secp256r1``, ``secp384r1``, ``secp521r1``); secp256k1 is
a different curve (SEC 2), read for ``did:key`` and ``ES256K`` tokens.

This is the low layer: :meth:`KeyPair.sign` signs whatever bytes it is given. Callers outside
``credstack.core.proofs`` should use the proof recipes, which decide *what* gets signed.
:meth:`PublicKey.verify` raises :class:`~credstack.errors.SignatureError`; it never returns a
boolean that could be ignored. Secret material never appears in a ``repr``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

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
    """The key types credstack reads and signs with."""

    ED25519 = "Ed25519"
    P256 = "P-256"
    P384 = "P-384"
    P521 = "P-521"
    SECP256K1 = "secp256k1"

    @property
    def jws_algorithm(self) -> str:
        """The JOSE ``alg`` for this key type (RFC 8037 ``EdDSA``, RFC 7518 ``ES256`` and
        ``ES384``, ``ES512``, RFC 8812 ``ES256K``)."""
        return _JWS_ALGORITHMS[self]

    @property
    def signature_length(self) -> int:
        """The bytes of one signature: 64, 96 for P-384, 132 for P-521."""
        return 64 if self is KeyType.ED25519 else 2 * _CURVES[self].size


@dataclass(frozen=True, slots=True)
class _Curve:
    """An ECDSA curve as credstack uses it: the curve, its scalar size and its hash."""

    curve: ec.EllipticCurve
    size: int
    hash: type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512]


_CURVES: Final = {
    KeyType.P256: _Curve(ec.SECP256R1(), 32, hashes.SHA256),
    KeyType.P384: _Curve(ec.SECP384R1(), 48, hashes.SHA384),
    KeyType.P521: _Curve(ec.SECP521R1(), 66, hashes.SHA512),
    KeyType.SECP256K1: _Curve(ec.SECP256K1(), 32, hashes.SHA256),
}
_BY_CURVE: Final = {curve.curve.name: key_type for key_type, curve in _CURVES.items()}
_JWS_ALGORITHMS: Final = {KeyType.ED25519: "EdDSA", KeyType.P256: "ES256",
                          KeyType.P384: "ES384", KeyType.P521: "ES512",
                          KeyType.SECP256K1: "ES256K"}


def _require_length(raw: bytes, length: int, what: str) -> None:
    """Refuse ``raw`` unless it has ``length`` bytes; ``what`` names it (an Ed25519 …)."""
    if len(raw) != length:
        raise MalformedCredentialError(f"{what} has {length} bytes, not {len(raw)}")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _public_length(key_type: KeyType) -> int:
    return 32 if key_type is KeyType.ED25519 else 1 + _CURVES[key_type].size


def _secret_length(key_type: KeyType) -> int:
    return 32 if key_type is KeyType.ED25519 else _CURVES[key_type].size


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key: its type and raw bytes (Ed25519: 32 bytes; ECDSA: a compressed point).

    Build one with :meth:`from_raw`; equality compares type and bytes only.
    """

    type: KeyType
    raw: bytes
    _key: Ed25519PublicKey | ec.EllipticCurvePublicKey = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, key_type: KeyType, raw: bytes) -> PublicKey:
        """Parse raw public key bytes; a wrong length or a point off the curve is malformed."""
        key_type = KeyType(key_type)
        _require_length(raw, _public_length(key_type), f"the {key_type} public key")
        try:
            key: Ed25519PublicKey | ec.EllipticCurvePublicKey
            if key_type is KeyType.ED25519:
                key = Ed25519PublicKey.from_public_bytes(raw)
            else:
                key = ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[key_type].curve, raw)
        except ValueError as exc:
            raise MalformedCredentialError(f"not a valid {key_type} public key") from exc
        return cls(key_type, bytes(raw), key)

    @property
    def jws_algorithm(self) -> str:
        return self.type.jws_algorithm

    def verify(self, signature: bytes, message: bytes) -> None:
        """Check ``signature`` over ``message``; raise :class:`SignatureError` if it fails."""
        length = self.type.signature_length
        if len(signature) != length:
            raise SignatureError(
                f"a {self.type} signature has {length} bytes, not {len(signature)}")
        try:
            if isinstance(self._key, Ed25519PublicKey):
                self._key.verify(signature, message)
            else:
                half = length // 2
                der = encode_dss_signature(int.from_bytes(signature[:half], "big"),
                                           int.from_bytes(signature[half:], "big"))
                self._key.verify(der, message, ec.ECDSA(_CURVES[self.type].hash()))
        except InvalidSignature as exc:
            raise SignatureError(f"the {self.type} signature does not verify") from exc

    def to_jwk(self) -> dict[str, str]:
        """The public key as a JWK (RFC 8037 ``OKP``, RFC 7518 ``EC``), no private part."""
        if isinstance(self._key, Ed25519PublicKey):
            return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(self.raw)}
        size = _CURVES[self.type].size
        numbers = self._key.public_numbers()
        return {"kty": "EC", "crv": self.type.value,
                "x": _b64url(numbers.x.to_bytes(size, "big")),
                "y": _b64url(numbers.y.to_bytes(size, "big"))}


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
        key_type = KeyType(key_type)
        if key_type is KeyType.ED25519:
            return cls._from_private(Ed25519PrivateKey.generate())
        return cls._from_private(ec.generate_private_key(_CURVES[key_type].curve))

    @classmethod
    def from_secret_bytes(cls, key_type: KeyType, raw: bytes) -> KeyPair:
        """Ed25519: the 32-byte seed; ECDSA: the big-endian private scalar (32, 48 or 66 bytes)."""
        key_type = KeyType(key_type)
        _require_length(raw, _secret_length(key_type), f"the {key_type} secret key")
        if key_type is KeyType.ED25519:
            return cls._from_private(Ed25519PrivateKey.from_private_bytes(raw))
        # cryptography refuses 0 and scalars beyond the curve's order.
        try:
            private = ec.derive_private_key(int.from_bytes(raw, "big"), _CURVES[key_type].curve)
        except (ValueError, OverflowError) as exc:
            raise MalformedCredentialError(f"not a valid {key_type} private scalar") from exc
        return cls._from_private(private)

    @classmethod
    def _from_private(cls, private: Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> KeyPair:
        if isinstance(private, Ed25519PrivateKey):
            public = private.public_key()
            raw = public.public_bytes_raw()
            return cls(PublicKey(KeyType.ED25519, raw, public), private)
        ec_public = private.public_key()
        raw = ec_public.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        return cls(PublicKey(_BY_CURVE[private.curve.name], raw, ec_public), private)

    def secret_bytes(self) -> bytes:
        """The raw secret (see :meth:`from_secret_bytes`); handle with care."""
        if isinstance(self._private, Ed25519PrivateKey):
            return self._private.private_bytes_raw()
        return self._private.private_numbers().private_value.to_bytes(
            _secret_length(self.type), "big")

    def sign(self, message: bytes) -> bytes:
        """A signature: Ed25519 (pure EdDSA), or ECDSA with the curve's hash as ``r || s``."""
        if isinstance(self._private, Ed25519PrivateKey):
            return self._private.sign(message)
        curve = _CURVES[self.type]
        r, s = decode_dss_signature(self._private.sign(message, ec.ECDSA(curve.hash())))
        return r.to_bytes(curve.size, "big") + s.to_bytes(curve.size, "big")
