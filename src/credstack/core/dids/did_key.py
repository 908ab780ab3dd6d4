"""``did:key`` for Ed25519, P-256, P-384, P-521 and secp256k1: identifiers, DID documents, keys.

The did:key Method v0.7 — W3C Credentials Community Group, Draft Community Group Report
(the v0.7 text as last revised on 2 November 2025) — https://w3c-ccg.github.io/did-key-spec/
— §3.1.1 "Document Creation Algorithm" with ``publicKeyFormat`` = ``Multikey`` and the contexts
``https://www.w3.org/ns/did/v1`` and ``https://w3id.org/security/multikey/v1`` (as its
"Ed25519 with X25519" example); v0.9 moved the documents to ``did/v1.1``, which credstack's
bundled contexts and the W3C test suites do not use yet.

For an Ed25519 key the document also carries the X25519 ``keyAgreement`` key derived from it
(§3.1.5 "Derive Encryption Key Algorithm", as the specification's example does); ECDSA keys
have none. Only base58-btc identifiers without a version component are accepted
(``did:key:z6Mk…`` Ed25519, ``did:key:zDn…`` P-256, ``did:key:z82…`` P-384, ``did:key:z2J9…`` P-521,
``did:key:zQ3s…`` secp256k1; their Multikey headers are in
:mod:`credstack.core.crypto.multikey`); anything else raises
:class:`~credstack.errors.MalformedCredentialError`.

Resolution is pure computation: no registry, no network.
"""

from __future__ import annotations

from typing import Any, Final

from credstack.core.crypto.keys import KeyType, PublicKey
from credstack.core.crypto.multikey import (
    decode_public_key,
    encode_public_key,
    encode_x25519_public_key,
)
from credstack.errors import MalformedCredentialError, Problem

__all__ = [
    "DID_CONTEXTS",
    "did_from_public_key",
    "parse",
    "resolve",
    "resolve_public_key",
    "resolve_verification_method",
    "verification_method_id",
]

PREFIX: Final = "did:key:"
#: The prefix of what this module says (``dids.key.…``).
_SAID: Final = "dids.key."
DID_CONTEXTS: Final = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1")
_RELATIONSHIPS: Final = (
    "authentication", "assertionMethod", "capabilityDelegation", "capabilityInvocation")
_P: Final = 2**255 - 19


def did_from_public_key(key: PublicKey) -> str:
    """The ``did:key`` of a public key."""
    return PREFIX + encode_public_key(key)


def verification_method_id(key: PublicKey) -> str:
    """The id of the key's (only) signing verification method: ``did:key:X#X``."""
    value = encode_public_key(key)
    return f"{PREFIX}{value}#{value}"


def parse(did_url: str) -> tuple[str, PublicKey, str | None]:
    """Split a ``did:key`` DID or DID URL into (DID, public key, fragment or ``None``)."""
    if not isinstance(did_url, str):
        raise MalformedCredentialError(code=_SAID + "not_text")
    did, _, fragment = did_url.partition("#")
    if not did.startswith(PREFIX):
        raise _invalid(did_url, Problem("did", code=_SAID + "expected"))
    if "?" in did or "/" in did:
        raise _invalid(did_url, Problem("did", code=_SAID + "no_path"))
    parts = did.split(":")
    if len(parts) != 3:
        raise _invalid(did_url, Problem("did", code=_SAID + "version"))
    value = parts[2]
    if not value.startswith("z"):
        raise _invalid(did_url, Problem("did", code=_SAID + "base58"))
    try:
        key = decode_public_key(value)
    except MalformedCredentialError as exc:
        raise _invalid(did_url, Problem("did", "" if exc.code else exc.message,
                                        code=exc.code, params=exc.params)) from None
    return did, key, fragment if "#" in did_url else None


def resolve(did: str) -> dict[str, Any]:
    """The DID document of a ``did:key`` (a fragment, if any, is ignored)."""
    did, key, _ = parse(did)
    value = did[len(PREFIX):]
    method_id = f"{did}#{value}"
    document: dict[str, Any] = {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": [_method(method_id, did, value)],
    }
    for relationship in _RELATIONSHIPS:
        document[relationship] = [method_id]
    if key.type is KeyType.ED25519:
        agreement_value = encode_x25519_public_key(_x25519_from_ed25519(key.raw))
        document["keyAgreement"] = [_method(f"{did}#{agreement_value}", did, agreement_value)]
    return document


def resolve_verification_method(did_url: str) -> dict[str, Any]:
    """The verification method a ``did:key`` DID URL names (the DID alone: its signing key)."""
    did, _, fragment = parse(did_url)
    document = resolve(did)
    if fragment is None:
        return dict(document["verificationMethod"][0])
    for method in [*document["verificationMethod"], *document.get("keyAgreement", [])]:
        if method["id"] == f"{did}#{fragment}":
            return dict(method)
    raise MalformedCredentialError(code=_SAID + "no_method", params={"method": did_url},
                                   problems=[_unknown_fragment(fragment)])


def resolve_public_key(verification_method: str) -> PublicKey:
    """The signing key a ``did:key`` verification method names (a data-integrity KeyResolver).

    A did:key lists its one signing key under every verification relationship, so it may be
    used for any proof purpose; the key-agreement key is not a signing key and is refused.
    """
    did, key, fragment = parse(verification_method)
    if fragment is not None and fragment != did[len(PREFIX):]:
        raise MalformedCredentialError(
            code=_SAID + "not_signing_key", params={"method": verification_method, "did": did},
            problems=[_unknown_fragment(fragment)])
    return key


def _method(method_id: str, controller: str, value: str) -> dict[str, str]:
    return {"id": method_id, "type": "Multikey", "controller": controller,
            "publicKeyMultibase": value}


def _x25519_from_ed25519(raw: bytes) -> bytes:
    # RFC 7748 §4.1 birational map: u = (1 + y) / (1 - y) mod p, y being the Edwards
    # y-coordinate (the public key without its sign bit, little-endian).
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    if y >= _P or (1 - y) % _P == 0:
        raise MalformedCredentialError(code=_SAID + "no_x25519")
    u = (1 + y) * pow(1 - y, -1, _P) % _P
    return u.to_bytes(32, "little")


def _unknown_fragment(fragment: str) -> Problem:
    return Problem("verificationMethod", code=_SAID + "unknown_fragment",
                   params={"fragment": fragment})


def _invalid(did_url: str, reason: Problem) -> MalformedCredentialError:
    """``did_url`` is no did:key (``invalidDid``), for ``reason``."""
    return MalformedCredentialError(code=_SAID + "invalid", params={"quoted": repr(did_url)},
                                    problems=[reason])
