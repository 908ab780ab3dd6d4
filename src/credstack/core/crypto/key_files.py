"""A signing key as a developer keeps it in a file: a private JWK (RFC 7517, with ``d``; RFC
8037 for Ed25519) or a PEM private key (PKCS #8, or SEC 1 for ECDSA), unencrypted — what
DIDKit's and walt.id's command lines read. Pure: the caller reads the file."""

from __future__ import annotations

import json
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.crypto.multibase import base64url_decode
from credstack.errors import CredstackError, InputError, Problem

__all__ = ["read_signing_key"]

#: JWK ``crv`` and the EC curve's name (cryptography's) → the key type.
_CURVES: Final = {"Ed25519": KeyType.ED25519, "P-256": KeyType.P256, "P-384": KeyType.P384,
                  "P-521": KeyType.P521, "secp256k1": KeyType.SECP256K1,
                  "secp256r1": KeyType.P256, "secp384r1": KeyType.P384,
                  "secp521r1": KeyType.P521}
_SCALAR_BYTES: Final = {KeyType.P256: 32, KeyType.P384: 48, KeyType.P521: 66,
                        KeyType.SECP256K1: 32}


def read_signing_key(data: bytes, *, where: str) -> KeyPair:
    """The key pair in a key file's bytes; :class:`InputError` (``sign.key.*``) naming
    ``where`` for a public key only, an encrypted or unknown key, or what is not a key."""
    text = data.decode("utf-8", errors="replace").strip()
    try:
        if text.startswith("-----BEGIN"):
            return _from_pem(data, where)
        value = json.loads(text)
    except ValueError:
        raise _refused("unreadable", where) from None
    if not isinstance(value, dict):
        raise _refused("unreadable", where)
    return _from_jwk(value, where)


def _from_jwk(jwk: dict[str, Any], where: str) -> KeyPair:
    if "d" not in jwk:
        raise _refused("public_only", where)
    key_type = _CURVES.get(str(jwk.get("crv")))
    if jwk.get("kty") not in {"OKP", "EC"} or key_type is None \
            or (jwk.get("kty") == "OKP") != (key_type is KeyType.ED25519):
        raise _refused("unsupported", where)
    try:
        return KeyPair.from_secret_bytes(key_type, base64url_decode(str(jwk["d"])))
    except CredstackError:
        raise _refused("unreadable", where) from None


def _from_pem(data: bytes, where: str) -> KeyPair:
    if b"PRIVATE KEY" not in data.partition(b"\n")[0]:
        raise _refused("public_only", where)
    try:
        private = load_pem_private_key(data, password=None)
    except TypeError:
        raise _refused("encrypted", where) from None
    except ValueError:
        raise _refused("unreadable", where) from None
    if isinstance(private, ed25519.Ed25519PrivateKey):
        return KeyPair.from_secret_bytes(KeyType.ED25519, private.private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()))
    if isinstance(private, ec.EllipticCurvePrivateKey):
        key_type = _CURVES.get(private.curve.name)
        if key_type is not None:
            scalar = private.private_numbers().private_value
            return KeyPair.from_secret_bytes(key_type,
                                             scalar.to_bytes(_SCALAR_BYTES[key_type], "big"))
    raise _refused("unsupported", where)


def _refused(reason: str, where: str) -> InputError:
    code = f"sign.key.{reason}"
    return InputError(code=code, params={"where": where},
                      problems=[Problem(where, code=code, params={"where": where})])
