"""What the RDFC cryptosuites do alike: ``eddsa-rdfc-2022`` and ``ecdsa-rdfc-2019``.

Data Integrity EdDSA Cryptosuites v1.0 §3.2 and Data Integrity ECDSA Cryptosuites v1.0 §3.2 —
W3C Recommendations, 15 May 2025 — https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022 ,
https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-rdfc-2019 — give the same algorithms, step for
step; they differ only in the keys that sign and the hash each key takes. A suite module
names those in an :class:`RdfcSuite` and offers its methods as the specification's
algorithms:

* *Transformation*: the RDFC-1.0 canonical N-Quads of the unsecured document, JSON-LD in safe
  mode with a null base IRI (:mod:`credstack.core.crypto.canonicalization`); RDFC-1.0 labels
  blank nodes with the key's hash (ECDSA §3, https://www.w3.org/TR/vc-di-ecdsa/#canon-and-hash:
  SHA-384 for P-384 keys);
* *Proof Configuration*: the proof options with the document's ``@context``, checked
  (``type``, ``cryptosuite``, ``created``) and canonicalized the same way;
* *Hashing*: ``hash(canonical proof configuration) || hash(canonical document)``, SHA-256 or
  SHA-384 as the key says;
* *Proof Serialization* / *Proof Verification*: the key's signature over those bytes; the
  ``proofValue`` is the base58-btc multibase of the signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from credstack.core.crypto.canonicalization import DocumentLoader, rdfc_canonicalize_utf8
from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multibase import encode_base58btc
from credstack.errors import MalformedCredentialError

from ._common import (
    Suite,
    check_proof_configuration,
    check_signing_key,
    check_verification_key,
    digest,
)


class RdfcSuite(Suite):
    """An RDFC cryptosuite: its name, and the key types that sign with the hash each takes."""

    def transform(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                  document_loader: DocumentLoader | None, key_type: KeyType) -> bytes:
        """*Transformation*: the canonical N-Quads of the document, UTF-8."""
        self.check_transformation_options(options)
        return rdfc_canonicalize_utf8(unsecured_document,
                                      document_loader=self._loader(document_loader),
                                      hash_algorithm=self.hashes[key_type])

    def configure(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                  document_loader: DocumentLoader | None, key_type: KeyType) -> bytes:
        """*Proof Configuration*: the canonical proof options under the document's context."""
        proof_config = dict(options)
        check_proof_configuration(proof_config, self.name)
        proof_config.pop("proofValue", None)
        if "@context" in unsecured_document:
            proof_config["@context"] = unsecured_document["@context"]
        else:
            proof_config.pop("@context", None)
        return rdfc_canonicalize_utf8(proof_config, document_loader=self._loader(document_loader),
                                      hash_algorithm=self.hashes[key_type])

    def create_proof(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                     key: KeyPair, document_loader: DocumentLoader | None) -> dict[str, Any]:
        """*Create Proof*: the proof options with a ``proofValue``."""
        check_signing_key(key, self.name, self.hashes)
        proof = dict(options)
        config_hash = self._config_hash(unsecured_document, options, document_loader, key.type)
        transformed = self.transform(unsecured_document, options,
                                     document_loader=document_loader, key_type=key.type)
        signature = key.sign(config_hash + digest(self.hashes[key.type], transformed))
        proof["proofValue"] = encode_base58btc(signature)
        return proof

    def verify_proof(self, unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                     public_key: PublicKey, document_loader: DocumentLoader | None) -> None:
        """*Verify Proof*: raise SignatureError unless the proof verifies.

        ``unsecured_document`` is the document without this proof (for a chained proof, with
        ``proof`` set to the proofs it names in ``previousProof``).
        """
        check_verification_key(public_key, self.name, self.hashes)
        proof_bytes = self.decode_proof_value(proof)
        options = {name: value for name, value in proof.items() if name != "proofValue"}
        transformed = self.transform(unsecured_document, options,
                                     document_loader=document_loader, key_type=public_key.type)
        config_hash = self._config_hash(unsecured_document, options, document_loader,
                                        public_key.type)
        public_key.verify(proof_bytes,
                          config_hash + digest(self.hashes[public_key.type], transformed))

    def _loader(self, document_loader: DocumentLoader | None) -> DocumentLoader:
        if document_loader is None:
            raise MalformedCredentialError(f"{self.name} needs a JSON-LD document loader")
        return document_loader

    def _config_hash(self, unsecured_document: Mapping[str, Any], options: Mapping[str, Any],
                     document_loader: DocumentLoader | None, key_type: KeyType) -> bytes:
        """The hash of :meth:`configure` — the first half of :meth:`hash_data`, remembered.

        The key holds the options, the document's ``@context``, the loader (the same context
        URLs may mean other things through another loader) and the hash.
        """
        config = {name: value for name, value in options.items() if name != "proofValue"}
        config["@context"] = unsecured_document.get("@context")
        algorithm = self.hashes[key_type]
        return self._config_hashes.get(
            config, (document_loader, algorithm), lambda: digest(algorithm, self.configure(
                unsecured_document, options, document_loader=document_loader,
                key_type=key_type)))
