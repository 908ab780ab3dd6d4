"""What the JCS cryptosuites do alike: ``eddsa-jcs-2022`` and ``ecdsa-jcs-2019``.

Data Integrity EdDSA Cryptosuites v1.0 §3.3 and Data Integrity ECDSA Cryptosuites v1.0 §3.3 —
W3C Recommendations, 15 May 2025 — https://www.w3.org/TR/vc-di-eddsa/#eddsa-jcs-2022 ,
https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-jcs-2019 — give the same algorithms, step for step;
they differ only in the keys that sign and the hash each key takes. A suite module names
those in a :class:`JcsSuite` and offers its methods as the specification's algorithms:

* *Create Proof*: the proof is the options plus the document's ``@context`` (step 2, which
  the specifications strongly advise so the proof can join a set or chain);
* *Transformation*: the RFC 8785 (JCS) canonical JSON of the unsecured document;
* *Proof Configuration*: the proof (options and ``@context``, no ``proofValue``), checked and
  JCS-canonicalized;
* *Hashing*: ``hash(canonical proof configuration) || hash(canonical document)``, SHA-256 or
  SHA-384 as the key says;
* *Verify Proof*: when the proof carries an ``@context``, the document's ``@context`` must
  start with the same values in the same order, and the document is then read under the
  proof's ``@context``.

No JSON-LD processing happens here (and so no document loader): the signature covers the
JSON text itself. This path is kept lean — it is the one bulk issuance runs most.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.crypto.canonicalization import jcs_canonicalize
from credstack.core.crypto.keys import KeyPair, PublicKey
from credstack.core.crypto.multibase import encode_base58btc
from credstack.core.crypto.rdfc import HashAlgorithm
from credstack.errors import Problem, SignatureError

from ._common import (
    Suite,
    check_proof_configuration,
    check_signing_key,
    check_verification_key,
    digest,
)


class JcsSuite(Suite):
    """A JCS cryptosuite: its name, and the key types that sign with the hash each takes."""

    def transform(self, unsecured_document: Mapping[str, Any],
                  options: Mapping[str, Any]) -> bytes:
        """*Transformation*: the JCS canonical form of the document."""
        self.check_transformation_options(options)
        return jcs_canonicalize(unsecured_document)

    def configure(self, options: Mapping[str, Any]) -> bytes:
        """*Proof Configuration*: the JCS canonical form of the checked proof options."""
        check_proof_configuration(options, self.name)
        return jcs_canonicalize(options)

    def create_proof(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                     key: KeyPair, document_loader: object = None) -> dict[str, Any]:
        """*Create Proof*. ``document_loader`` is accepted for symmetry and never used."""
        check_signing_key(key, self.name, self.hashes)
        proof = dict(options)
        proof.pop("proofValue", None)
        if "@context" in unsecured_document:
            proof["@context"] = unsecured_document["@context"]
        algorithm = self.hashes[key.type]
        config_hash = self._config_hash(proof, algorithm)
        transformed = self.transform(unsecured_document, options)
        proof["proofValue"] = encode_base58btc(
            key.sign(config_hash + digest(algorithm, transformed)))
        return proof

    def verify_proof(self, unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                     public_key: PublicKey, document_loader: object = None) -> None:
        """*Verify Proof*: raise SignatureError unless the proof verifies."""
        check_verification_key(public_key, self.name, self.hashes)
        proof_bytes = self.decode_proof_value(proof)
        proof_options = {name: value for name, value in proof.items() if name != "proofValue"}
        document = unsecured_document
        if "@context" in proof_options:
            proof_context = _as_list(proof_options["@context"])
            document_context = _as_list(unsecured_document.get("@context"))
            if document_context[:len(proof_context)] != proof_context:
                raise SignatureError(
                    "the document's @context does not start with the proof's @context",
                    problems=[Problem("@context", "differs from proof.@context")])
            document = dict(unsecured_document)
            document["@context"] = proof_options["@context"]
        algorithm = self.hashes[public_key.type]
        transformed = self.transform(document, proof_options)
        config_hash = self._config_hash(proof_options, algorithm)
        public_key.verify(proof_bytes, config_hash + digest(algorithm, transformed))

    def _config_hash(self, proof_config: Mapping[str, Any], algorithm: HashAlgorithm) -> bytes:
        """The hash of :meth:`configure` — the first half of :meth:`hash_data`, remembered."""
        return self._config_hashes.get(proof_config, algorithm,
                                       lambda: digest(algorithm, self.configure(proof_config)))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
