"""The ``eddsa-jcs-2022`` cryptosuite.

Data Integrity EdDSA Cryptosuites v1.0, §3.3 "eddsa-jcs-2022" — W3C Recommendation,
15 May 2025 — https://www.w3.org/TR/vc-di-eddsa/#eddsa-jcs-2022

The algorithms of the specification, step for step:

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
JSON text itself. This path is kept lean — it is the one bulk issuance runs most.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.crypto.canonicalization import jcs_canonicalize
from credstack.core.crypto.keys import KeyPair, PublicKey
from credstack.core.crypto.multibase import encode_base58btc
from credstack.errors import MalformedCredentialError, Problem, SignatureError

from ._common import (
    ConfigHashes,
    check_proof_configuration,
    check_signing_key,
    check_verification_key,
    decode_proof_value,
)

NAME: Final = "eddsa-jcs-2022"


def transform(unsecured_document: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    """§3.3.3 Transformation: the JCS canonical form of the document."""
    if options.get("type") != "DataIntegrityProof" or options.get("cryptosuite") != NAME:
        raise MalformedCredentialError(
            f"the transformation options are not a DataIntegrityProof with cryptosuite {NAME}")
    return jcs_canonicalize(unsecured_document)


def configure(options: Mapping[str, Any]) -> bytes:
    """§3.3.5 Proof Configuration: the JCS canonical form of the checked proof options."""
    check_proof_configuration(options, NAME)
    return jcs_canonicalize(options)


def hash_data(transformed_document: bytes, canonical_proof_config: bytes) -> bytes:
    """§3.3.4 Hashing: SHA-256 of the proof configuration, then of the document (64 bytes)."""
    return (hashlib.sha256(canonical_proof_config).digest()
            + hashlib.sha256(transformed_document).digest())


def create_proof(unsecured_document: Mapping[str, Any], options: Mapping[str, Any], *,
                 key: KeyPair, document_loader: object = None) -> dict[str, Any]:
    """§3.3.1 Create Proof. ``document_loader`` is accepted for symmetry and never used."""
    check_signing_key(key, NAME)
    proof = dict(options)
    proof.pop("proofValue", None)
    if "@context" in unsecured_document:
        proof["@context"] = unsecured_document["@context"]
    config_hash = _config_hash(proof)
    transformed = transform(unsecured_document, options)
    signature = key.sign(config_hash + hashlib.sha256(transformed).digest())
    proof["proofValue"] = encode_base58btc(signature)
    return proof


def verify_proof(unsecured_document: Mapping[str, Any], proof: Mapping[str, Any], *,
                 public_key: PublicKey, document_loader: object = None) -> None:
    """§3.3.2 Verify Proof: raise SignatureError unless the proof verifies."""
    check_verification_key(public_key, NAME)
    proof_bytes = decode_proof_value(proof)
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
    transformed = transform(document, proof_options)
    config_hash = _config_hash(proof_options)
    public_key.verify(proof_bytes, config_hash + hashlib.sha256(transformed).digest())


_CONFIG_HASHES = ConfigHashes()


def _config_hash(proof_config: Mapping[str, Any]) -> bytes:
    """SHA-256 of :func:`configure` — the first half of :func:`hash_data`, remembered."""
    return _CONFIG_HASHES.get(proof_config, None,
                              lambda: hashlib.sha256(configure(proof_config)).digest())


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
