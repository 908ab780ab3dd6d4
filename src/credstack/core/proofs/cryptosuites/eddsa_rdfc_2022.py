"""The ``eddsa-rdfc-2022`` cryptosuite.

Data Integrity EdDSA Cryptosuites v1.0, §3.2 "eddsa-rdfc-2022" — W3C Recommendation,
15 May 2025 — https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022

The algorithms of the specification, step for step (written once for both RDFC suites, in
:mod:`._rdfc`), with Ed25519 keys and SHA-256:

* *Transformation* (§3.2.3): RDFC-1.0 canonical N-Quads of the unsecured document, JSON-LD in
  safe mode with a null base IRI (``credstack.core.crypto.canonicalization``);
* *Proof Configuration* (§3.2.5): the proof options with the document's ``@context``,
  checked (``type``, ``cryptosuite``, ``created``) and canonicalized the same way;
* *Hashing* (§3.2.4): ``SHA-256(canonical proof configuration) || SHA-256(canonical document)``;
* *Proof Serialization / Verification* (§3.2.6, §3.2.7): Ed25519 over those 64 bytes; the
  ``proofValue`` is the base58-btc multibase of the 64-byte signature.

:func:`create_proof` (§3.2.1) and :func:`verify_proof` (§3.2.2) are the suite's two entry
points; the Data Integrity layer (``credstack.core.proofs.data_integrity``) checks the proof's
structure and purpose, handles proof sets and chains and resolves keys before calling them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from credstack.core.crypto.canonicalization import DocumentLoader
from credstack.core.crypto.keys import KeyType

from ._rdfc import RdfcSuite

NAME: Final = "eddsa-rdfc-2022"
_SUITE: Final = RdfcSuite(NAME, {KeyType.ED25519: "sha256"})

create_proof: Final = _SUITE.create_proof
verify_proof: Final = _SUITE.verify_proof
decode_proof_value: Final = _SUITE.decode_proof_value


def transform(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
              document_loader: DocumentLoader) -> bytes:
    """§3.2.3 Transformation: the canonical N-Quads of the document, UTF-8."""
    return _SUITE.transform(unsecured_document, options, document_loader=document_loader,
                            key_type=KeyType.ED25519)


def configure(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
              document_loader: DocumentLoader) -> bytes:
    """§3.2.5 Proof Configuration: the canonical proof options under the document's context."""
    return _SUITE.configure(unsecured_document, options, document_loader=document_loader,
                            key_type=KeyType.ED25519)


def hash_data(transformed_document: bytes, canonical_proof_config: bytes) -> bytes:
    """§3.2.4 Hashing: SHA-256 of the proof configuration, then of the document (64 bytes)."""
    return _SUITE.hash_data(transformed_document, canonical_proof_config,
                            key_type=KeyType.ED25519)
