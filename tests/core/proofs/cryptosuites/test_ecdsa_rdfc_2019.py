"""ecdsa-rdfc-2019: every vc-di-ecdsa vector (P-256 and P-384) step by step, randomized signing,
the keys it takes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from credstack.core.crypto import KeyPair, KeyType, PublicKey, rdfc_canonicalize
from credstack.core.crypto.multibase import decode_base58btc, encode_base58btc
from credstack.core.dids import did_key
from credstack.core.proofs.cryptosuites import ecdsa_rdfc_2019
from credstack.errors import MalformedCredentialError, SignatureError
from tests.core.proofs.vectors import ECDSA_RDFC_VECTORS, ContextLoader, EcdsaVector, ecdsa_key
from tests.words import raises_saying

VECTORS = pytest.mark.parametrize("vector", ECDSA_RDFC_VECTORS, ids=lambda v: v.name)
HASHES = {KeyType.P256: hashlib.sha256, KeyType.P384: hashlib.sha384}


def _method_key(vector: EcdsaVector, shared_ref: Path) -> PublicKey:
    return did_key.resolve_public_key(vector.options(shared_ref)["verificationMethod"])


@VECTORS
def test_the_canonical_document_matches_the_vector(shared_ref: Path, loader: ContextLoader,
                                                   vector: EcdsaVector) -> None:
    """Transformation gives the vector's canonical N-Quads, byte for byte."""
    transformed = ecdsa_rdfc_2019.transform(
        vector.document(shared_ref), vector.options(shared_ref), document_loader=loader,
        key_type=vector.key_type)
    assert transformed.decode() == vector.text(shared_ref, "canonDoc")


@VECTORS
def test_the_canonical_proof_configuration_matches_the_vector(
        shared_ref: Path, loader: ContextLoader, vector: EcdsaVector) -> None:
    """Proof Configuration gives the vector's canonical proof options under the doc's context."""
    canonical = ecdsa_rdfc_2019.configure(
        vector.document(shared_ref), vector.options(shared_ref), document_loader=loader,
        key_type=vector.key_type)
    assert canonical.decode() == vector.text(shared_ref, "proofCanon")


@VECTORS
def test_the_hashes_match_the_vector(shared_ref: Path, loader: ContextLoader,
                                     vector: EcdsaVector) -> None:
    """Hashing: SHA-256 (P-256) or SHA-384 (P-384) of the configuration, then of the document;
    the combined hash is 64 or 96 bytes."""
    document, options = vector.document(shared_ref), vector.options(shared_ref)
    transformed = ecdsa_rdfc_2019.transform(document, options, document_loader=loader,
                                            key_type=vector.key_type)
    config = ecdsa_rdfc_2019.configure(document, options, document_loader=loader,
                                       key_type=vector.key_type)
    hash_data = ecdsa_rdfc_2019.hash_data(transformed, config, key_type=vector.key_type)
    digest = HASHES[vector.key_type]
    assert digest(transformed).hexdigest() == vector.value(shared_ref, "docHash")
    assert digest(config).hexdigest() == vector.value(shared_ref, "proofHash")
    assert hash_data.hex() == vector.value(shared_ref, "combinedHash")
    assert len(hash_data) == 2 * digest().digest_size


@VECTORS
def test_the_published_signature_verifies(shared_ref: Path, vector: EcdsaVector) -> None:
    """Proof Verification: the vector's r || s verifies over its combined hash with the
    verification method's key; its base58-btc form is the signed document's proofValue."""
    signature = bytes.fromhex(vector.value(shared_ref, "sigHex"))
    assert len(signature) == vector.key_type.signature_length
    key = _method_key(vector, shared_ref)
    assert key == ecdsa_key(shared_ref, vector.key_type).public_key
    key.verify(signature, bytes.fromhex(vector.value(shared_ref, "combinedHash")))
    proof_value = vector.value(shared_ref, "sigBTC58")
    assert encode_base58btc(signature) == proof_value
    assert vector.signed(shared_ref)["proof"]["proofValue"] == proof_value


@VECTORS
def test_the_signed_document_verifies(shared_ref: Path, loader: ContextLoader,
                                      vector: EcdsaVector) -> None:
    """Verify Proof accepts the published signed document, and refuses it once changed."""
    signed = vector.signed(shared_ref)
    unsecured = {name: value for name, value in signed.items() if name != "proof"}
    assert unsecured == vector.document(shared_ref)
    key = _method_key(vector, shared_ref)
    ecdsa_rdfc_2019.verify_proof(unsecured, signed["proof"], public_key=key,
                                 document_loader=loader)
    with pytest.raises(SignatureError):
        ecdsa_rdfc_2019.verify_proof(dict(unsecured, name="Changed"), signed["proof"],
                                     public_key=key, document_loader=loader)


@VECTORS
def test_create_proof_gives_the_published_proof_with_a_fresh_signature(
        shared_ref: Path, loader: ContextLoader, vector: EcdsaVector) -> None:
    """ECDSA is randomized: Create Proof gives the published proof but for its proofValue,
    a different signature each time, and each verifies."""
    document, options = vector.document(shared_ref), vector.options(shared_ref)
    key = ecdsa_key(shared_ref, vector.key_type)
    proofs = [ecdsa_rdfc_2019.create_proof(document, options, key=key, document_loader=loader)
              for _ in range(2)]
    published = vector.signed(shared_ref)["proof"]
    for proof in proofs:
        assert {**proof, "proofValue": published["proofValue"]} == published
        assert len(decode_base58btc(proof["proofValue"])) == vector.key_type.signature_length
        ecdsa_rdfc_2019.verify_proof(document, proof, public_key=key.public_key,
                                     document_loader=loader)
    assert proofs[0]["proofValue"] != proofs[1]["proofValue"]


def test_p384_canonicalizes_with_sha384(shared_ref: Path, loader: ContextLoader) -> None:
    """RDFC-1.0 labels blank nodes with the key's hash: the P-384 employment vector's N-Quads
    come from SHA-384, and SHA-256 labels the same document otherwise."""
    vector = next(v for v in ECDSA_RDFC_VECTORS if v.name == "p384-employment")
    document, expected = vector.document(shared_ref), vector.text(shared_ref, "canonDoc")
    assert rdfc_canonicalize(document, document_loader=loader,
                             hash_algorithm="sha384") == expected
    assert rdfc_canonicalize(document, document_loader=loader) != expected
    p256 = next(v for v in ECDSA_RDFC_VECTORS if v.name == "p256-employment")
    assert rdfc_canonicalize(document, document_loader=loader) == p256.text(shared_ref,
                                                                             "canonDoc")


@pytest.mark.parametrize(("change", "message"), [
    ({"type": "Ed25519Signature2020"}, "DataIntegrityProof"),
    ({"cryptosuite": "ecdsa-jcs-2019"}, "ecdsa-rdfc-2019"),
    ({"created": "2023-02-29T00:00:00Z"}, "dateTime"),
])
def test_proof_configuration_checks_its_options(shared_ref: Path, loader: ContextLoader,
                                                change: dict[str, str], message: str) -> None:
    """The options must name this suite, and ``created`` must be an XML dateTime."""
    vector = ECDSA_RDFC_VECTORS[0]
    with raises_saying(MalformedCredentialError, message):
        ecdsa_rdfc_2019.configure(vector.document(shared_ref),
                                  {**vector.options(shared_ref), **change},
                                  document_loader=loader, key_type=KeyType.P256)


@pytest.mark.parametrize("key_type", [KeyType.ED25519, KeyType.SECP256K1])
def test_only_p256_and_p384_keys_sign_or_verify(shared_ref: Path, loader: ContextLoader,
                                                key_type: KeyType) -> None:
    """Ed25519 and secp256k1 keys are refused for signing and for verifying."""
    vector = ECDSA_RDFC_VECTORS[0]
    other = KeyPair.generate(key_type)
    with raises_saying(MalformedCredentialError, "P-256 or P-384"):
        ecdsa_rdfc_2019.create_proof(vector.document(shared_ref), vector.options(shared_ref),
                                     key=other, document_loader=loader)
    with raises_saying(MalformedCredentialError, "P-256 or P-384") as caught:
        ecdsa_rdfc_2019.verify_proof(vector.document(shared_ref),
                                     vector.signed(shared_ref)["proof"],
                                     public_key=other.public_key, document_loader=loader)
    assert caught.value.problems[0].location == "proof.verificationMethod"


def test_a_signature_of_the_other_curve_does_not_verify(shared_ref: Path,
                                                        loader: ContextLoader) -> None:
    """A P-256 proof checked with a P-384 key (and the reverse) fails: wrong length."""
    p256, p384 = ECDSA_RDFC_VECTORS[0], ECDSA_RDFC_VECTORS[2]
    for vector, other in ((p256, p384), (p384, p256)):
        with pytest.raises(SignatureError, match="bytes"):
            ecdsa_rdfc_2019.verify_proof(
                vector.document(shared_ref), vector.signed(shared_ref)["proof"],
                public_key=ecdsa_key(shared_ref, other.key_type).public_key,
                document_loader=loader)


@pytest.mark.parametrize(("proof_value", "message"), [
    (encode_base58btc(bytes(range(64))), None),
    (encode_base58btc(bytes(range(96))), None),
    (encode_base58btc(bytes(range(65))), "65 bytes; ecdsa-rdfc-2019 signatures have 64 or 96"),
    ("u" + encode_base58btc(bytes(64))[1:], "base58-btc"),
    (None, "no proofValue"),
])
def test_the_proof_value_is_64_or_96_bytes_of_base58(proof_value: str | None,
                                                     message: str | None) -> None:
    """decode_proof_value reads either curve's signature and refuses anything else, at
    ``proof.proofValue``."""
    proof = {} if proof_value is None else {"proofValue": proof_value}
    if message is None:
        assert len(ecdsa_rdfc_2019.decode_proof_value(proof)) in (64, 96)
        return
    with raises_saying(MalformedCredentialError, message) as caught:
        ecdsa_rdfc_2019.decode_proof_value(proof)
    assert caught.value.problems[0].location == "proof.proofValue"


def test_signing_needs_a_document_loader(shared_ref: Path) -> None:
    """RDFC without a JSON-LD document loader is refused, not attempted."""
    vector = ECDSA_RDFC_VECTORS[0]
    with raises_saying(MalformedCredentialError, "document loader"):
        ecdsa_rdfc_2019.create_proof(vector.document(shared_ref), vector.options(shared_ref),
                                     key=ecdsa_key(shared_ref, KeyType.P256),
                                     document_loader=None)
