"""The ``Ed25519Signature2020`` proof type (a Linked Data Signature, before Data Integrity).

Ed25519 Signature 2020 — W3C Credentials Community Group, Draft Community Group Report
(last revised 2023) — https://w3c-ccg.github.io/di-eddsa-2020/ — as the reference
implementation does it (npm ``@digitalbazaar/ed25519-signature-2020`` 5.x on
``jsonld-signatures`` 11.x: ``LinkedDataSignature.createVerifyData`` and
``Ed25519Signature2020.verifySignature``). Many issuers still sign with it, the Digital
Credentials Consortium's among them, often beside an ``eddsa-rdfc-2022`` proof.

It is the algorithm of ``eddsa-rdfc-2022`` (:mod:`._rdfc`) under another proof shape
(:mod:`._linked_data`):

* the proof is ``{"type": "Ed25519Signature2020", created, verificationMethod, proofPurpose,
  proofValue}`` — no ``cryptosuite``;
* the canonical proof options are the proof without its signature under the document's
  ``@context``; the document is canonicalized without its proofs; URDNA2015 (= RDFC-1.0)
  with SHA-256;
* Ed25519 signs ``SHA-256(options) || SHA-256(document)``; ``proofValue`` is the base58-btc
  multibase of the 64-byte signature;
* the document's ``@context`` must hold the suite context
  (``https://w3id.org/security/suites/ed25519-2020/v1``), which defines the proof's terms
  (``ensureSuiteContext``): without it the proof's terms would not expand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from credstack.core.crypto.canonicalization import DocumentLoader
from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey

from ._linked_data import LinkedDataSignature

NAME: Final = "Ed25519Signature2020"
SUITE_CONTEXT: Final = "https://w3id.org/security/suites/ed25519-2020/v1"


class _Ed25519Signature2020(LinkedDataSignature):
    """The RDFC algorithm with the Linked Data Signature proof shape; the signature in
    ``proofValue``."""

    def create_proof(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                     key: KeyPair, document_loader: DocumentLoader | None) -> dict[str, Any]:
        self.check_suite_context(unsecured_document)
        return super().create_proof(unsecured_document, options, key=key,
                                    document_loader=document_loader)

    def verify_proof(self, unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                     public_key: PublicKey, document_loader: DocumentLoader | None) -> None:
        self.check_suite_context(unsecured_document)
        super().verify_proof(unsecured_document, proof, public_key=public_key,
                             document_loader=document_loader)


_SUITE: Final = _Ed25519Signature2020(NAME, {KeyType.ED25519: "sha256"},
                                      contexts=(SUITE_CONTEXT,))

create_proof: Final = _SUITE.create_proof
verify_proof: Final = _SUITE.verify_proof
decode_proof_value: Final = _SUITE.decode_proof_value
