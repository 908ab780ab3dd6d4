"""The ``Ed25519Signature2018`` proof type (a Linked Data Signature with a detached JWS).

Ed25519 Signature 2018 — W3C Credentials Community Group, Draft Community Group Report,
2021 — https://w3c-ccg.github.io/lds-ed25519-2018/ — as the reference implementation does it
(npm ``@digitalbazaar/ed25519-signature-2018`` 4.x on ``@digitalbazaar/jws-linked-data-signature``
3.x and ``jsonld-signatures`` 11.x). Older issuers signed with it, the 2022 JFF plugfests among
them.

The data signed is the Linked Data Signature *verify data* of :mod:`._linked_data` —
``SHA-256(canonical proof options) || SHA-256(canonical document)``, RDFC-1.0 — and the
signature is a JWS with a detached, unencoded payload (RFC 7515 Appendix F, RFC 7797):

* the protected header is ``{"alg":"EdDSA","b64":false,"crit":["b64"]}``;
* Ed25519 signs ``ASCII(BASE64URL(header)) || "." || verify data`` (the 64 bytes, not
  base64url-encoded: ``b64`` is false);
* the proof's ``jws`` is ``BASE64URL(header) + ".." + BASE64URL(signature)``.

The document's ``@context`` must hold a context that defines the proof's terms: the suite's
(``https://w3id.org/security/suites/ed25519-2018/v1``), the Ed25519 2020 suite's, the VC 1.1
context or security v2 — but not the 2018 suite context beside the VC 1.1 context or security
v2, which define the same protected terms (``_includesCompatibleContext``).

:class:`DetachedJwsSignature` is what it shares with ``EcdsaSecp256k1Signature2019``
(:mod:`.ecdsa_secp256k1_signature_2019`): the same verify data and detached JWS, another
``alg``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.core.crypto.canonicalization import DocumentLoader
from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multibase import base64url_decode, base64url_json
from credstack.errors import MalformedCredentialError, Problem

from ._common import check_signing_key, check_verification_key
from ._linked_data import SECURITY_V2, LinkedDataSignature, document_contexts

NAME: Final = "Ed25519Signature2018"
SUITE_CONTEXT: Final = "https://w3id.org/security/suites/ed25519-2018/v1"
#: The proof member that holds the signature.
SIGNATURE_MEMBER: Final = "jws"
_VC_V1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"
_ED25519_2020_CONTEXT: Final = "https://w3id.org/security/suites/ed25519-2020/v1"
#: The protected header the reference writes.
HEADER: Final = {"alg": "EdDSA", "b64": False, "crit": ["b64"]}


@dataclass(frozen=True, eq=False)
class DetachedJwsSignature(LinkedDataSignature):
    """A Linked Data Signature whose signature is a detached JWS over the verify data: the
    protected ``header`` it writes (and requires), and the bytes of one signature."""

    header: Mapping[str, Any] = field(default_factory=dict)
    signature_length: int = 64

    @property
    def encoded_header(self) -> str:
        # JSON.stringify's bytes (no spaces), as the reference writes the header.
        text = json.dumps(dict(self.header), separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode("ascii")

    def create_proof(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                     key: KeyPair, document_loader: DocumentLoader | None) -> dict[str, Any]:
        """The proof options with a ``jws``."""
        check_signing_key(key, self.name, self.hashes)
        self.check_suite_context(unsecured_document)
        verify_data = self.verify_data(unsecured_document, options,
                                       document_loader=document_loader, key_type=key.type)
        encoded_header = self.encoded_header
        signature = key.sign(_signing_input(encoded_header, verify_data))
        encoded = base64.urlsafe_b64encode(signature).rstrip(b"=").decode("ascii")
        return {**options, SIGNATURE_MEMBER: f"{encoded_header}..{encoded}"}

    def verify_proof(self, unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                     public_key: PublicKey, document_loader: DocumentLoader | None) -> None:
        """Raise SignatureError unless the proof's JWS verifies over the verify data."""
        check_verification_key(public_key, self.name, self.hashes)
        self.check_suite_context(unsecured_document)
        encoded_header, signature = self._read_jws(proof)
        verify_data = self.verify_data(unsecured_document, proof,
                                       document_loader=document_loader, key_type=public_key.type)
        public_key.verify(signature, _signing_input(encoded_header, verify_data))

    def decode_proof_value(self, proof: Mapping[str, Any]) -> bytes:
        """The signature bytes of the proof's ``jws``."""
        return self._read_jws(proof)[1]

    def _read_jws(self, proof: Mapping[str, Any]) -> tuple[str, bytes]:
        """The encoded protected header and the signature of a detached ``jws``; the header
        must be the one this suite writes (extra header members are signed too, and
        ignored)."""
        value = proof.get(SIGNATURE_MEMBER)
        if not isinstance(value, str):
            raise _malformed("the proof has no jws string", "missing or not a string")
        parts = value.split(".")
        if len(parts) != 3 or parts[1]:
            raise _malformed("jws is not a detached JWS (header..signature)",
                             "expected <header>..<signature>, with no payload")
        encoded_header, _, encoded_signature = parts
        try:
            header = base64url_json(encoded_header, "the jws header")
            signature = base64url_decode(encoded_signature)
        except MalformedCredentialError as exc:
            raise _malformed(exc.message, "not base64url JSON header..base64url signature"
                             ) from None
        if not isinstance(header, dict) or any(header.get(name) != value
                                               for name, value in self.header.items()):
            raise _malformed(f"the jws header is not the {self.name} one",
                             f"expected {json.dumps(dict(self.header))}, found "
                             f"{json.dumps(header)}")
        if len(signature) != self.signature_length:
            raise _malformed(f"the jws signature holds {len(signature)} bytes; {self.name} "
                             f"signatures have {self.signature_length}",
                             "wrong signature length")
        return encoded_header, signature


@dataclass(frozen=True, eq=False)
class _Ed25519Signature2018(DetachedJwsSignature):
    """The Linked Data Signature verify data, signed by Ed25519 in a detached JWS."""

    def check_suite_context(self, document: Mapping[str, Any]) -> None:
        super().check_suite_context(document)
        found = document_contexts(document)
        for other in (_VC_V1_CONTEXT, SECURITY_V2):
            if SUITE_CONTEXT in found and other in found:
                raise MalformedCredentialError(
                    f"the {SUITE_CONTEXT} and {other} contexts define the same protected "
                    f"terms; with {other} an {NAME} proof needs no other context",
                    problems=[Problem("@context", f"both {SUITE_CONTEXT} and {other}")])


def _signing_input(encoded_header: str, verify_data: bytes) -> bytes:
    # RFC 7797 §3: with "b64": false the payload is used as it is, not base64url-encoded.
    return encoded_header.encode("ascii") + b"." + verify_data


def _malformed(message: str, detail: str) -> MalformedCredentialError:
    return MalformedCredentialError(message, problems=[Problem("proof.jws", detail)])


_SUITE: Final = _Ed25519Signature2018(
    NAME, {KeyType.ED25519: "sha256"},
    contexts=(SUITE_CONTEXT, _ED25519_2020_CONTEXT, _VC_V1_CONTEXT, SECURITY_V2),
    header=HEADER, signature_length=64)

create_proof: Final = _SUITE.create_proof
verify_proof: Final = _SUITE.verify_proof
decode_proof_value: Final = _SUITE.decode_proof_value
