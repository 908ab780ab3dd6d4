"""The low layer: keys, multibase and Multikey, canonical forms.

Imported by :mod:`credstack.core.proofs` and :mod:`credstack.core.dids`; other code should use
the proof recipes, which decide what gets signed. Everything that reads outside input raises
:class:`~credstack.errors.MalformedCredentialError` on garbage, and
:meth:`PublicKey.verify` raises :class:`~credstack.errors.SignatureError`.
"""

from .canonicalization import (
    DocumentLoader,
    jcs_canonicalize,
    rdfc_canonicalize,
    rdfc_canonicalize_plain,
    rdfc_check,
)
from .keys import KeyPair, KeyType, PublicKey
from .multibase import decode_base58btc, decode_base64url, encode_base58btc, encode_base64url
from .multikey import decode_public_key, decode_secret_key, encode_public_key, encode_secret_key

__all__ = [
    "DocumentLoader",
    "KeyPair",
    "KeyType",
    "PublicKey",
    "decode_base58btc",
    "decode_base64url",
    "decode_public_key",
    "decode_secret_key",
    "encode_base58btc",
    "encode_base64url",
    "encode_public_key",
    "encode_secret_key",
    "jcs_canonicalize",
    "rdfc_canonicalize",
    "rdfc_canonicalize_plain",
    "rdfc_check",
]
