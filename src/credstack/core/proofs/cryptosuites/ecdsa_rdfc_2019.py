"""The ``ecdsa-rdfc-2019`` cryptosuite.

Data Integrity ECDSA Cryptosuites v1.0, §3.2 "ecdsa-rdfc-2019" — W3C Recommendation,
15 May 2025 — https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-rdfc-2019

The algorithms of the specification, step for step (written once for both RDFC suites, in
:mod:`._rdfc`), with P-256 keys and SHA-256 or P-384 keys and SHA-384:

* *Transformation* (§3.2.3): RDFC-1.0 canonical N-Quads of the unsecured document, JSON-LD in
  safe mode with a null base IRI; RDFC-1.0 runs with the key's hash (§3 "Algorithms": SHA-384
  for P-384 keys, which changes how blank nodes are labelled);
* *Proof Configuration* (§3.2.5): the proof options with the document's ``@context``,
  checked (``type``, ``cryptosuite``, ``created``) and canonicalized the same way;
* *Hashing* (§3.2.4): ``hash(canonical proof configuration) || hash(canonical document)``,
  32 + 32 bytes with SHA-256 for P-256, 48 + 48 with SHA-384 for P-384;
* *Proof Serialization / Verification* (§3.2.6, §3.2.7): ECDSA (FIPS 186-5, which hashes the
  data once more with the same hash) over those bytes, as the 64-byte (P-256) or 96-byte
  (P-384) ``r || s``; the ``proofValue`` is its base58-btc multibase.

The key decides the hash, so :func:`transform`, :func:`configure` and :func:`hash_data` take
the key type; :func:`create_proof` (§3.2.1) and :func:`verify_proof` (§3.2.2) read it from
the key. ECDSA signatures are randomized: signing the same document twice gives two
different, equally valid proofs.
"""

from __future__ import annotations

from typing import Final

from credstack.core.crypto.keys import KeyType

from ._rdfc import RdfcSuite

NAME: Final = "ecdsa-rdfc-2019"
_SUITE: Final = RdfcSuite(NAME, {KeyType.P256: "sha256", KeyType.P384: "sha384"})

create_proof: Final = _SUITE.create_proof
verify_proof: Final = _SUITE.verify_proof
decode_proof_value: Final = _SUITE.decode_proof_value
transform: Final = _SUITE.transform
configure: Final = _SUITE.configure
hash_data: Final = _SUITE.hash_data
