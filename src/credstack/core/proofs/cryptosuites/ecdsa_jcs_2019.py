"""The ``ecdsa-jcs-2019`` cryptosuite.

Data Integrity ECDSA Cryptosuites v1.0, §3.3 "ecdsa-jcs-2019" — W3C Recommendation,
15 May 2025 — https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-jcs-2019

The algorithms of the specification, step for step (written once for both JCS suites, in
:mod:`._jcs`), with P-256 keys and SHA-256 or P-384 keys and SHA-384:

* *Create Proof* (§3.3.1): the proof is the options plus the document's ``@context``;
* *Transformation* (§3.3.3): the RFC 8785 (JCS) canonical JSON of the unsecured document;
* *Proof Configuration* (§3.3.5): the proof (options and ``@context``, no ``proofValue``),
  checked and JCS-canonicalized;
* *Hashing* (§3.3.4): ``hash(canonical proof configuration) || hash(canonical document)``,
  SHA-256 for P-256, SHA-384 for P-384;
* *Proof Serialization / Verification* (§3.3.6, §3.3.7): ECDSA over those bytes, the 64-byte
  (P-256) or 96-byte (P-384) ``r || s`` as a base58-btc ``proofValue``;
* *Verify Proof* (§3.3.2): when the proof carries an ``@context``, the document's ``@context``
  must start with the same values in the same order, and the document is then read under
  the proof's ``@context``.

:func:`hash_data` takes the key type, which decides the hash. ECDSA signatures are
randomized: signing the same document twice gives two different, equally valid proofs.
"""

from __future__ import annotations

from typing import Final

from credstack.core.crypto.keys import KeyType

from ._jcs import JcsSuite

NAME: Final = "ecdsa-jcs-2019"
_SUITE: Final = JcsSuite(NAME, {KeyType.P256: "sha256", KeyType.P384: "sha384"})

create_proof: Final = _SUITE.create_proof
verify_proof: Final = _SUITE.verify_proof
decode_proof_value: Final = _SUITE.decode_proof_value
transform: Final = _SUITE.transform
configure: Final = _SUITE.configure
hash_data: Final = _SUITE.hash_data
