"""The ``eddsa-rdfc-2022`` cryptosuite.

Data Integrity EdDSA Cryptosuites v1.0, §3.2 "eddsa-rdfc-2022" — W3C Recommendation,
15 May 2025 — https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022

The algorithms of the specification, step for step:

* *Transformation* (§3.2.3): RDFC-1.0 canonical N-Quads of the unsecured document, JSON-LD in
  safe mode with a null base IRI (``credstack.core.crypto.canonicalization``);
* *Proof Configuration* (§3.2.5): the proof options with the document's ``@context``,
  checked (``type``, ``cryptosuite``, ``created``) and canonicalized the same way;
* *Hashing* (§3.2.4): ``SHA-256(canonical proof configuration) || SHA-256(canonical document)``;
* *Proof Serialization / Verification* (§3.2.6, §3.2.7): Ed25519 over those 64 bytes; the
  ``proofValue`` is the base58-btc multibase of the 64-byte signature.

:func:`create_proof` and :func:`verify_proof` are the suite's two entry points; the Data
Integrity layer (``credstack.core.proofs.data_integrity``) checks the proof's structure and
purpose, handles proof sets and chains and resolves keys before calling them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.crypto.canonicalization import DocumentLoader, rdfc_canonicalize
from credstack.core.crypto.keys import KeyPair, PublicKey
from credstack.core.crypto.multibase import encode_base58btc
from credstack.errors import MalformedCredentialError

from ._common import (
    ConfigHashes,
    check_proof_configuration,
    check_signing_key,
    check_verification_key,
    decode_proof_value,
)

NAME: Final = "eddsa-rdfc-2022"


def transform(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
              document_loader: DocumentLoader) -> bytes:
    """§3.2.3 Transformation: the canonical N-Quads of the document, UTF-8."""
    _check_suite(options)
    return rdfc_canonicalize(unsecured_document, document_loader=document_loader).encode()


def configure(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
              document_loader: DocumentLoader) -> bytes:
    """§3.2.5 Proof Configuration: the canonical proof options under the document's context."""
    proof_config = dict(options)
    check_proof_configuration(proof_config, NAME)
    proof_config.pop("proofValue", None)
    if "@context" in unsecured_document:
        proof_config["@context"] = unsecured_document["@context"]
    else:
        proof_config.pop("@context", None)
    return rdfc_canonicalize(proof_config, document_loader=document_loader).encode()


def hash_data(transformed_document: bytes, canonical_proof_config: bytes) -> bytes:
    """§3.2.4 Hashing: SHA-256 of the proof configuration, then of the document (64 bytes)."""
    return (hashlib.sha256(canonical_proof_config).digest()
            + hashlib.sha256(transformed_document).digest())


def create_proof(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                 key: KeyPair, document_loader: DocumentLoader) -> dict[str, Any]:
    """§3.2.1 Create Proof: the proof options with a ``proofValue``."""
    check_signing_key(key, NAME)
    proof = dict(options)
    config_hash = _config_hash(unsecured_document, options, document_loader)
    transformed = transform(unsecured_document, options, document_loader=document_loader)
    signature = key.sign(config_hash + hashlib.sha256(transformed).digest())
    proof["proofValue"] = encode_base58btc(signature)
    return proof


def verify_proof(unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                 public_key: PublicKey, document_loader: DocumentLoader) -> None:
    """§3.2.2 Verify Proof: raise SignatureError unless the proof verifies.

    ``unsecured_document`` is the document without this proof (for a chained proof, with
    ``proof`` set to the proofs it names in ``previousProof``).
    """
    check_verification_key(public_key, NAME)
    proof_bytes = decode_proof_value(proof)
    options = {name: value for name, value in proof.items() if name != "proofValue"}
    transformed = transform(unsecured_document, options, document_loader=document_loader)
    config_hash = _config_hash(unsecured_document, options, document_loader)
    public_key.verify(proof_bytes, config_hash + hashlib.sha256(transformed).digest())


_CONFIG_HASHES = ConfigHashes()


def _config_hash(unsecured_document: Mapping[str, Any], options: Mapping[str, Any],
                 document_loader: DocumentLoader) -> bytes:
    """SHA-256 of :func:`configure` — the first half of :func:`hash_data`, remembered.

    The key holds the options, the document's ``@context`` and the loader: the same context
    URLs may mean other things through another loader.
    """
    config = {name: value for name, value in options.items() if name != "proofValue"}
    config["@context"] = unsecured_document.get("@context")
    return _CONFIG_HASHES.get(config, document_loader, lambda: hashlib.sha256(configure(
        unsecured_document, options, document_loader=document_loader)).digest())


def _check_suite(options: Mapping[str, Any]) -> None:
    if options.get("type") != "DataIntegrityProof" or options.get("cryptosuite") != NAME:
        raise MalformedCredentialError(
            f"the transformation options are not a DataIntegrityProof with cryptosuite {NAME}")
