"""ecdsa-jcs-2019: every vc-di-ecdsa vector (P-256 and P-384) step by step, randomized signing,
the @context rule, the keys it takes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.crypto.multibase import decode_base58btc, encode_base58btc
from credstack.core.dids import did_key
from credstack.core.proofs.cryptosuites import ecdsa_jcs_2019
from credstack.errors import MalformedCredentialError, SignatureError
from tests.core.proofs.vectors import ECDSA_JCS_VECTORS, EcdsaVector, ecdsa_key
from tests.words import raises_saying

VECTORS = pytest.mark.parametrize("vector", ECDSA_JCS_VECTORS, ids=lambda v: v.name)
HASHES = {KeyType.P256: hashlib.sha256, KeyType.P384: hashlib.sha384}


@VECTORS
def test_the_canonical_document_matches_the_vector(shared_ref: Path,
                                                   vector: EcdsaVector) -> None:
    """Transformation is the vector's JCS text, byte for byte."""
    transformed = ecdsa_jcs_2019.transform(vector.document(shared_ref),
                                           vector.options(shared_ref))
    assert transformed.decode() == vector.text(shared_ref, "canonDoc")


@VECTORS
def test_the_canonical_proof_configuration_matches_the_vector(shared_ref: Path,
                                                              vector: EcdsaVector) -> None:
    """Proof Configuration (options plus the document's @context) is the vector's JCS text."""
    assert ecdsa_jcs_2019.configure(vector.config(shared_ref)).decode() == vector.text(
        shared_ref, "proofCanon")


@VECTORS
def test_the_hashes_match_the_vector(shared_ref: Path, vector: EcdsaVector) -> None:
    """Hashing: SHA-256 (P-256) or SHA-384 (P-384) of the configuration, then of the
    document."""
    transformed = ecdsa_jcs_2019.transform(vector.document(shared_ref),
                                           vector.options(shared_ref))
    config = ecdsa_jcs_2019.configure(vector.config(shared_ref))
    digest = HASHES[vector.key_type]
    assert digest(transformed).hexdigest() == vector.value(shared_ref, "docHash")
    assert digest(config).hexdigest() == vector.value(shared_ref, "proofHash")
    assert ecdsa_jcs_2019.hash_data(transformed, config, key_type=vector.key_type).hex() == (
        vector.value(shared_ref, "combinedHash"))


@VECTORS
def test_the_published_signature_and_document_verify(shared_ref: Path,
                                                     vector: EcdsaVector) -> None:
    """The vector's r || s verifies over its combined hash; it is the signed document's
    proofValue in base58-btc, and Verify Proof accepts that document."""
    signature = bytes.fromhex(vector.value(shared_ref, "sigHex"))
    key = did_key.resolve_public_key(vector.options(shared_ref)["verificationMethod"])
    assert key == ecdsa_key(shared_ref, vector.key_type).public_key
    key.verify(signature, bytes.fromhex(vector.value(shared_ref, "combinedHash")))
    signed = vector.signed(shared_ref)
    assert encode_base58btc(signature) == vector.value(shared_ref, "sigBTC58") == (
        signed["proof"]["proofValue"])
    unsecured = {name: value for name, value in signed.items() if name != "proof"}
    ecdsa_jcs_2019.verify_proof(unsecured, signed["proof"], public_key=key)


@VECTORS
def test_create_proof_gives_the_published_proof_with_a_fresh_signature(
        shared_ref: Path, vector: EcdsaVector) -> None:
    """Create Proof: the published proof (its @context included) but for the proofValue,
    which differs on every signing; each verifies."""
    document, options = vector.document(shared_ref), vector.options(shared_ref)
    key = ecdsa_key(shared_ref, vector.key_type)
    proofs = [ecdsa_jcs_2019.create_proof(document, options, key=key) for _ in range(2)]
    published = vector.signed(shared_ref)["proof"]
    for proof in proofs:
        assert {**proof, "proofValue": published["proofValue"]} == published
        assert len(decode_base58btc(proof["proofValue"])) == vector.key_type.signature_length
        ecdsa_jcs_2019.verify_proof(document, proof, public_key=key.public_key)
    assert proofs[0]["proofValue"] != proofs[1]["proofValue"]


@VECTORS
def test_a_changed_document_does_not_verify(shared_ref: Path, vector: EcdsaVector) -> None:
    """Any change to the JSON — even one JSON-LD would ignore — breaks a JCS proof."""
    document = vector.document(shared_ref)
    key = ecdsa_key(shared_ref, vector.key_type)
    proof = ecdsa_jcs_2019.create_proof(document, vector.options(shared_ref), key=key)
    for changed in (dict(document, name="Alumni Credential "), dict(document, extra=None),
                    dict(document, type=list(reversed(document["type"])))):
        with pytest.raises(SignatureError):
            ecdsa_jcs_2019.verify_proof(changed, proof, public_key=key.public_key)


def test_the_document_context_must_start_with_the_proofs(shared_ref: Path) -> None:
    """§3.3.2: a document whose @context does not begin with the proof's fails to verify."""
    vector = ECDSA_JCS_VECTORS[0]
    document = vector.document(shared_ref)
    signed = vector.signed(shared_ref)
    key = ecdsa_key(shared_ref, vector.key_type).public_key
    swapped = dict(document, **{"@context": list(reversed(document["@context"]))})
    with pytest.raises(SignatureError, match="@context"):
        ecdsa_jcs_2019.verify_proof(swapped, signed["proof"], public_key=key)


@pytest.mark.parametrize(("change", "message"), [
    ({"type": "DataIntegritySignature"}, "DataIntegrityProof"),
    ({"cryptosuite": "ecdsa-rdfc-2019"}, "ecdsa-jcs-2019"),
    ({"created": "2023-13-01T00:00:00Z"}, "dateTime"),
])
def test_proof_configuration_checks_its_options(shared_ref: Path, change: dict[str, str],
                                                message: str) -> None:
    """The options must name this suite, and ``created`` must be an XML dateTime."""
    with raises_saying(MalformedCredentialError, message):
        ecdsa_jcs_2019.configure({**ECDSA_JCS_VECTORS[0].options(shared_ref), **change})


@pytest.mark.parametrize("key_type", [KeyType.ED25519, KeyType.SECP256K1])
def test_only_p256_and_p384_keys_sign_or_verify(shared_ref: Path, key_type: KeyType) -> None:
    """Ed25519 and secp256k1 keys are refused for signing and for verifying."""
    vector = ECDSA_JCS_VECTORS[0]
    other = KeyPair.generate(key_type)
    with raises_saying(MalformedCredentialError, "P-256 or P-384"):
        ecdsa_jcs_2019.create_proof(vector.document(shared_ref), vector.options(shared_ref),
                                    key=other)
    with raises_saying(MalformedCredentialError, "P-256 or P-384"):
        ecdsa_jcs_2019.verify_proof(vector.document(shared_ref),
                                    vector.signed(shared_ref)["proof"],
                                    public_key=other.public_key)
