"""The ``EcdsaSecp256k1Signature2019`` proof type (a Linked Data Signature with a detached JWS).

Ecdsa Secp256k1 Signature 2019 — W3C Credentials Community Group, Draft Community Group
Report — https://w3c-ccg.github.io/lds-ecdsasecp256k1-2019/ — as Digital Bazaar's
``ecdsa-secp256k1-signature-2019`` and Blockcerts' ``@blockcerts/ecdsa-secp256k1-signature-2019``
write it: the Linked Data Signature verify data of :mod:`._linked_data` (RDFC-1.0, SHA-256),
signed with ECDSA on secp256k1 in a detached JWS with an unencoded payload (RFC 7797) whose
protected header is ``{"alg":"ES256K","b64":false,"crit":["b64"]}`` (RFC 8812 §3.2); the
signature is the 64-byte JOSE ``r || s``. The algorithm is
:class:`~.ed25519_signature_2018.DetachedJwsSignature`'s, with this ``alg``.

Blockcerts 3 issuers and several did:ion / did:key (``zQ3s…``) issuers sign with it; the key is
a secp256k1 did:key, a ``JsonWebKey2020`` / ``EcdsaSecp256k1VerificationKey2019`` JWK, or an
``EcdsaSecp256k1VerificationKey2019``'s ``publicKeyBase58`` / ``publicKeyHex`` /
``publicKeyMultibase`` (:mod:`credstack.core.dids.did_web`). The document's ``@context`` must
define the proof's terms: the VC 1.1 context, security v2, or the suite's own context.
"""

from __future__ import annotations

from typing import Final

from credstack.core.crypto.keys import KeyType

from ._linked_data import SECURITY_V2
from .ed25519_signature_2018 import SIGNATURE_MEMBER, DetachedJwsSignature

__all__ = ["HEADER", "NAME", "SIGNATURE_MEMBER", "SUITE_CONTEXT", "create_proof",
           "decode_proof_value", "verify_proof"]

NAME: Final = "EcdsaSecp256k1Signature2019"
SUITE_CONTEXT: Final = "https://w3id.org/security/suites/secp256k1-2019/v1"
_VC_V1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"
#: The protected header the reference writes.
HEADER: Final = {"alg": "ES256K", "b64": False, "crit": ["b64"]}

_SUITE: Final = DetachedJwsSignature(
    NAME, {KeyType.SECP256K1: "sha256"},
    contexts=(SUITE_CONTEXT, _VC_V1_CONTEXT, SECURITY_V2), header=HEADER, signature_length=64)

create_proof: Final = _SUITE.create_proof
verify_proof: Final = _SUITE.verify_proof
decode_proof_value: Final = _SUITE.decode_proof_value
