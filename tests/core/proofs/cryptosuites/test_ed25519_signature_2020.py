"""Ed25519Signature2020: the W3C vc-di-eddsa vector byte for byte, and what it refuses."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.crypto.multibase import encode_base58btc
from credstack.core.dids import did_key
from credstack.core.proofs import sign_data_integrity, verify_data_integrity
from credstack.core.proofs.cryptosuites import ed25519_signature_2020
from credstack.errors import CredstackError, MalformedCredentialError, SignatureError
from tests.core.proofs.test_data_integrity import mutations, signed_content
from tests.core.proofs.vectors import ContextLoader, read_json, read_text, w3c_key

SUITE = ed25519_signature_2020.NAME


def _vector(ref: Path, name: str) -> Path:
    return ref / "vectors" / "vc-di-eddsa" / "Ed25519Signature2020" / name


def _signed(ref: Path) -> dict[str, Any]:
    signed: dict[str, Any] = read_json(_vector(ref, "signedEdSig.json"))
    return signed


def _unsecured(ref: Path) -> dict[str, Any]:
    return {name: value for name, value in _signed(ref).items() if name != "proof"}


def _options(ref: Path) -> dict[str, Any]:
    config = read_json(_vector(ref, "proofConfigEdSig.json"))
    return {name: value for name, value in config.items() if name != "@context"}


def test_the_canonical_document_and_proof_options_match_the_vector(
        shared_ref: Path, loader: ContextLoader) -> None:
    suite = ed25519_signature_2020._SUITE
    document = suite.transform(_unsecured(shared_ref), _options(shared_ref),
                               document_loader=loader, key_type=KeyType.ED25519)
    options = suite.configure(_unsecured(shared_ref), _options(shared_ref),
                              document_loader=loader, key_type=KeyType.ED25519)
    assert document.decode() == read_text(_vector(shared_ref, "canonDocEdSig.txt"))
    assert options.decode() == read_text(_vector(shared_ref, "proofCanonEdSig.txt"))
    assert hashlib.sha256(document).hexdigest() == read_text(
        _vector(shared_ref, "docHashEdSig.txt")).strip()
    assert hashlib.sha256(options).hexdigest() == read_text(
        _vector(shared_ref, "proofHashEdSig.txt")).strip()
    assert suite.hash_data(document, options, key_type=KeyType.ED25519).hex() == read_text(
        _vector(shared_ref, "combinedHashEdSig.txt")).strip()


def test_signing_gives_the_vector_s_proof_exactly(shared_ref: Path,
                                                  loader: ContextLoader) -> None:
    # Ed25519 is deterministic: the same key, document and options give the same signature.
    proof = ed25519_signature_2020.create_proof(
        _unsecured(shared_ref), _options(shared_ref), key=w3c_key(shared_ref),
        document_loader=loader)
    assert proof == _signed(shared_ref)["proof"]
    signature = bytes.fromhex(read_text(_vector(shared_ref, "sigHexEdSig.txt")).strip())
    assert proof["proofValue"] == encode_base58btc(signature) == read_text(
        _vector(shared_ref, "sigBTC58EdSig.txt")).strip()


def test_the_signed_vector_verifies_through_data_integrity(shared_ref: Path,
                                                           loader: ContextLoader) -> None:
    result = verify_data_integrity(_signed(shared_ref), document_loader=loader)
    assert [proof.cryptosuite for proof in result.proofs] == [SUITE]


@pytest.mark.parametrize("change", ["claim", "proof option", "created"])
def test_a_change_after_signing_fails_the_signature(shared_ref: Path, loader: ContextLoader,
                                                    change: str) -> None:
    signed = copy.deepcopy(_signed(shared_ref))
    if change == "claim":
        signed["credentialSubject"]["alumniOf"] = "Another School"
    elif change == "proof option":
        signed["proof"]["proofPurpose"] = "authentication"
    else:
        signed["proof"]["created"] = "2023-02-24T23:36:39Z"
    with pytest.raises((SignatureError, MalformedCredentialError)):
        verify_data_integrity(signed, document_loader=loader,
                              expected_purpose=signed["proof"]["proofPurpose"])


def test_the_suite_context_must_be_in_the_document(shared_ref: Path,
                                                   loader: ContextLoader) -> None:
    signed = copy.deepcopy(_signed(shared_ref))
    signed["@context"] = [url for url in signed["@context"]
                          if url != ed25519_signature_2020.SUITE_CONTEXT]
    with pytest.raises(MalformedCredentialError, match="suite context"):
        verify_data_integrity(signed, document_loader=loader)


def test_a_proof_without_a_proof_value_or_with_a_short_one_is_malformed(
        shared_ref: Path, loader: ContextLoader) -> None:
    for value in (None, "z3yMtsJ5"):
        signed = copy.deepcopy(_signed(shared_ref))
        if value is None:
            del signed["proof"]["proofValue"]
        else:
            signed["proof"]["proofValue"] = value
        with pytest.raises(MalformedCredentialError, match="proofValue"):
            verify_data_integrity(signed, document_loader=loader)


def test_only_an_ed25519_key_verifies_it(shared_ref: Path, loader: ContextLoader) -> None:
    p256 = KeyPair.generate(KeyType.P256).public_key
    with pytest.raises(MalformedCredentialError, match="Ed25519"):
        verify_data_integrity(_signed(shared_ref), document_loader=loader,
                              resolve_key=lambda method: p256)


def test_credstack_signs_beside_a_data_integrity_proof_and_both_verify(
        shared_ref: Path, loader: ContextLoader) -> None:
    key = KeyPair.generate()
    method = did_key.verification_method_id(key.public_key)
    document = _unsecured(shared_ref)
    both = sign_data_integrity(
        sign_data_integrity(document, key=key, verification_method=method,
                            cryptosuite="eddsa-rdfc-2022", created="2024-01-01T00:00:00Z",
                            document_loader=loader),
        key=key, verification_method=method, cryptosuite=SUITE,
        created="2024-01-01T00:00:00Z", document_loader=loader)
    assert both["proof"][1]["type"] == SUITE and "cryptosuite" not in both["proof"][1]
    result = verify_data_integrity(both, document_loader=loader)
    assert [proof.cryptosuite for proof in result.proofs] == ["eddsa-rdfc-2022", SUITE]
    both["credentialSubject"] = {"id": "did:example:someone-else"}
    with pytest.raises(SignatureError):
        verify_data_integrity(both, document_loader=loader)


def test_no_mutation_of_a_signed_credential_verifies(shared_ref: Path,
                                                     loader: ContextLoader) -> None:
    """200 random changes, deletions and insertions, as for the Data Integrity suites: none
    passes unless JSON-LD reads it as the very statements that were signed."""
    signed = _signed(shared_ref)
    verify_data_integrity(signed, document_loader=loader)
    outcomes: list[bool] = []

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutations(signed))
    def never_verifies(mutated: dict[str, Any]) -> None:
        try:
            verify_data_integrity(mutated, document_loader=loader)
        except CredstackError:
            outcomes.append(False)
            return
        outcomes.append(True)
        assert signed_content(mutated, loader) == signed_content(signed, loader)

    never_verifies()
    assert len(outcomes) >= 150
    assert sum(outcomes) <= len(outcomes) // 10
