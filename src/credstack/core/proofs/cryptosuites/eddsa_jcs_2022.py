"""The ``eddsa-jcs-2022`` cryptosuite.

Data Integrity EdDSA Cryptosuites v1.0, §3.3 "eddsa-jcs-2022" — W3C Recommendation,
15 May 2025 — https://www.w3.org/TR/vc-di-eddsa/#eddsa-jcs-2022

The algorithms of the specification, step for step (written once for both JCS suites, in
:mod:`._jcs`), with Ed25519 keys and SHA-256:

* *Create Proof* (§3.3.1): the proof is the options plus the document's ``@context`` (step 2,
  which the specification strongly advises so the proof can join a set or chain);
* *Transformation* (§3.3.3): the RFC 8785 (JCS) canonical JSON of the unsecured document;
* *Proof Configuration* (§3.3.5): the proof (options and ``@context``, no ``proofValue``),
  checked and JCS-canonicalized;
* *Hashing* (§3.3.4): ``SHA-256(canonical proof configuration) || SHA-256(canonical document)``;
* *Verify Proof* (§3.3.2): when the proof carries an ``@context``, the document's ``@context``
  must start with the same values in the same order, and the document is then read under
  the proof's ``@context``.

No JSON-LD processing happens here (and so no document loader): the signature covers the
JSON text itself.
"""

from __future__ import annotations

from typing import Final

from credstack.core.crypto.keys import KeyType

from ._jcs import JcsSuite

NAME: Final = "eddsa-jcs-2022"
_SUITE: Final = JcsSuite(NAME, {KeyType.ED25519: "sha256"})

create_proof: Final = _SUITE.create_proof
verify_proof: Final = _SUITE.verify_proof
decode_proof_value: Final = _SUITE.decode_proof_value
transform: Final = _SUITE.transform
configure: Final = _SUITE.configure


def hash_data(transformed_document: bytes, canonical_proof_config: bytes) -> bytes:
    """§3.3.4 Hashing: SHA-256 of the proof configuration, then of the document (64 bytes)."""
    return _SUITE.hash_data(transformed_document, canonical_proof_config,
                            key_type=KeyType.ED25519)
