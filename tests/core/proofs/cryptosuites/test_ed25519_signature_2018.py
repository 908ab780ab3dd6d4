"""Ed25519Signature2018: the JavaScript reference's signature byte for byte, and what it refuses.

No W3C vector is published for this suite; the credential below (the VC 1.1 specification's
university degree example) was signed by the reference implementation
(``@digitalbazaar/ed25519-signature-2018`` 4.2.0 on ``jsonld-signatures`` 11.6.0) with the
Ed25519 key of seed ``00 01 … 1f``. ``tests/interop/test_js_reference.py`` checks both ways
against the reference itself, where node is installed.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import re
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from credstack.adapters.resolvers.contexts import document_loader
from credstack.core.crypto import KeyPair, KeyType, PublicKey
from credstack.core.crypto.canonicalization import rdfc_canonicalize
from credstack.core.crypto.multibase import base58_encode
from credstack.core.proofs import sign_data_integrity, verify_data_integrity
from credstack.core.proofs.cryptosuites import ed25519_signature_2018, ed25519_signature_2020
from credstack.core.verification import verify_credential
from credstack.errors import (
    CredstackError,
    MalformedCredentialError,
    SignatureError,
    VerificationMethodUnavailableError,
)
from credstack.words import words
from tests.core.proofs.test_data_integrity import mutations

SUITE = ed25519_signature_2018.NAME
KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
METHOD = "did:example:issuer#key-1"
CREATED = "2022-07-01T00:00:00Z"
HEADER = "eyJhbGciOiJFZERTQSIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19"
#: The reference's proof of UNSIGNED with KEY, created at CREATED.
REFERENCE_JWS = (HEADER + "..WvsFQ8G0uj4q08LY8k0EAJRZWT3_dVrJA8qTfnxGlE96-VJjj3dwjax0LHa1DwV_"
                 "xlh4_EQwyvLun26tWsCkDA")
UNSIGNED: dict[str, Any] = {
    "@context": ["https://www.w3.org/2018/credentials/v1",
                 "https://www.w3.org/2018/credentials/examples/v1"],
    "id": "http://example.edu/credentials/1872",
    "type": ["VerifiableCredential", "UniversityDegreeCredential"],
    "issuer": "did:example:issuer",
    "issuanceDate": CREATED,
    "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
                          "degree": {"type": "BachelorDegree",
                                     "name": "Bachelor of Science and Arts"}},
}


def _signed() -> dict[str, Any]:
    return {**copy.deepcopy(UNSIGNED), "proof": {
        "type": SUITE, "created": CREATED, "verificationMethod": METHOD,
        "proofPurpose": "assertionMethod", "jws": REFERENCE_JWS}}


def _key(method: str) -> PublicKey:
    """The test key, for its method only: any other (a mutation's) cannot be had, as a real
    resolver would say."""
    if method != METHOD:
        raise VerificationMethodUnavailableError(f"No key is known for {method!r}.")
    return KEY.public_key


def _verify(document: dict[str, Any], **options: Any) -> Any:
    return verify_data_integrity(document, resolve_key=_key, document_loader=_loader(),
                                 **options)


@cache
def _loader() -> Any:
    return document_loader()


def _sign(document: dict[str, Any]) -> dict[str, Any]:
    return sign_data_integrity(document, key=KEY, verification_method=METHOD, cryptosuite=SUITE,
                               created=CREATED, document_loader=_loader())


def test_the_key_is_the_reference_s() -> None:
    """The reference's publicKeyBase58 for the seed, so that the vector means what it says."""
    assert base58_encode(KEY.public_key.raw) == "FAe4sisG95oZ42w7buUn5qEE4TAnfTTFPiguZUHmhiF"


def test_signing_gives_the_reference_s_proof_exactly() -> None:
    # Ed25519 is deterministic: the same key, document and options give the same signature.
    assert _sign(UNSIGNED)["proof"] == _signed()["proof"]


def test_the_reference_s_credential_verifies_through_data_integrity() -> None:
    result = _verify(_signed())
    assert [(proof.cryptosuite, proof.verification_method) for proof in result.proofs] == [
        (SUITE, METHOD)]


def test_the_jws_signs_the_header_and_the_unencoded_verify_data() -> None:
    """RFC 7797: the signing input is ``BASE64URL(header) || '.' || verify data``, the 64
    bytes of SHA-256(canonical proof options) || SHA-256(canonical document) as they are."""
    proof = _signed()["proof"]
    options = {name: value for name, value in proof.items() if name != "jws"}
    verify_data = ed25519_signature_2018._SUITE.verify_data(
        UNSIGNED, options, document_loader=_loader(), key_type=KeyType.ED25519)
    assert len(verify_data) == 64
    signature = base64.urlsafe_b64decode(REFERENCE_JWS.split(".")[2] + "==")
    KEY.public_key.verify(signature, HEADER.encode() + b"." + verify_data)
    assert json.loads(base64.urlsafe_b64decode(HEADER + "==")) == {
        "alg": "EdDSA", "b64": False, "crit": ["b64"]}


def test_a_proof_with_its_own_context_is_read_under_it() -> None:
    """Older signers wrote the proof's context into the proof; the reference then reads the
    proof options under it (here security v2, which gives the proof's terms the same IRIs:
    the reference's signature is the same)."""
    signed = _signed()
    signed["proof"] = {"@context": "https://w3id.org/security/v2", **signed["proof"]}
    assert _verify(signed).proofs
    signed["proof"]["@context"] = "https://www.w3.org/ns/credentials/v2"
    with pytest.raises(CredstackError):
        _verify(signed)


@pytest.mark.parametrize("change", ["claim", "proof option", "created"])
def test_a_change_after_signing_fails_the_signature(change: str) -> None:
    signed = _signed()
    if change == "claim":
        signed["credentialSubject"]["degree"]["name"] = "Master of Arts"
    elif change == "proof option":
        signed["proof"]["proofPurpose"] = "authentication"
    else:
        signed["proof"]["created"] = "2022-07-02T00:00:00Z"
    with pytest.raises(SignatureError):
        _verify(signed, expected_purpose=signed["proof"]["proofPurpose"])


@pytest.mark.parametrize(("jws", "message"), [
    (None, "incomplete"),
    (HEADER + ".e30." + REFERENCE_JWS.split(".")[2], "not a detached JWS"),
    (REFERENCE_JWS.replace("..", "."), "not a detached JWS"),
    ("eyJhbGciOiJFUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19.."
     + REFERENCE_JWS.split(".")[2], "not the Ed25519Signature2018 one"),
    (HEADER + "..c2hvcnQ", "holds 5 bytes"),
    (HEADER + "..+/+/", "jws"),
])
def test_a_jws_that_is_not_this_suite_s_is_malformed(jws: str | None, message: str) -> None:
    """Missing, with a payload, another algorithm, a short or unreadable signature: each is
    refused before any key is used, naming proof.jws."""
    signed = _signed()
    if jws is None:
        del signed["proof"]["jws"]
    else:
        signed["proof"]["jws"] = jws
    with pytest.raises(MalformedCredentialError, match=message) as raised:
        _verify(signed)
    assert "proof.jws" in [problem.location for problem in raised.value.problems]


def test_the_document_needs_a_context_that_defines_the_proof() -> None:
    """Without the VC 1.1, security v2 or a suite context the proof's terms do not expand."""
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1",
                "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
                "credentialSubject": {"id": "did:example:learner"}}
    with pytest.raises(MalformedCredentialError, match="suite context"):
        _sign(document)


def test_the_2018_suite_context_beside_the_vc_1_1_context_is_refused_naming_both() -> None:
    """They define the same protected terms (the reference refuses the pair too)."""
    signed = _signed()
    signed["@context"] = [*signed["@context"], ed25519_signature_2018.SUITE_CONTEXT]
    with pytest.raises(MalformedCredentialError,
                       match=re.escape("ed25519-2018/v1 and https://www.w3.org/2018/"
                                       "credentials/v1")):
        _verify(signed)


def test_a_document_under_the_suite_context_alone_signs_and_verifies() -> None:
    """A non-credential document (a key description) secured with the suite context only."""
    document = {"@context": [ed25519_signature_2018.SUITE_CONTEXT], "id": METHOD,
                "type": "Ed25519VerificationKey2018", "controller": "did:example:issuer",
                "publicKeyBase58": base58_encode(KEY.public_key.raw)}
    signed = _sign(document)
    assert _verify(signed).proofs
    signed["controller"] = "did:example:someone-else"
    with pytest.raises(SignatureError):
        _verify(signed)


def test_only_an_ed25519_key_verifies_it() -> None:
    p256 = KeyPair.generate(KeyType.P256).public_key
    with pytest.raises(MalformedCredentialError, match="Ed25519"):
        verify_data_integrity(_signed(), document_loader=_loader(),
                              resolve_key=lambda method: p256)


def test_a_2018_and_a_2020_proof_make_a_proof_set_that_verifies_as_one() -> None:
    """Beside an Ed25519Signature2020 proof (its context added before either is signed)."""
    document = copy.deepcopy(UNSIGNED)
    document["@context"].append(ed25519_signature_2020.SUITE_CONTEXT)
    both = sign_data_integrity(_sign(document), key=KEY, verification_method=METHOD,
                               cryptosuite=ed25519_signature_2020.NAME, created=CREATED,
                               document_loader=_loader())
    result = _verify(both)
    assert [proof.cryptosuite for proof in result.proofs] == [
        SUITE, ed25519_signature_2020.NAME]
    both["credentialSubject"]["id"] = "did:example:someone-else"
    with pytest.raises(SignatureError):
        _verify(both)


def _signed_content(document: dict[str, Any]) -> tuple[str, str]:
    """What the proof signs: the canonical document and the canonical proof options."""
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    options = ed25519_signature_2018._SUITE.proof_options(unsecured, document["proof"])
    return (rdfc_canonicalize(unsecured, document_loader=_loader()),
            rdfc_canonicalize(options, document_loader=_loader()))


def test_no_mutation_of_a_signed_credential_verifies() -> None:
    """200 random changes, deletions and insertions, as for the Data Integrity suites: none
    passes unless JSON-LD reads it as the very statements that were signed."""
    signed = _signed()
    outcomes: list[bool] = []

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutations(signed))
    def never_verifies(mutated: dict[str, Any]) -> None:
        try:
            _verify(mutated)
        except CredstackError:
            outcomes.append(False)
            return
        outcomes.append(True)
        assert _signed_content(mutated) == _signed_content(signed)

    never_verifies()
    assert len(outcomes) >= 150
    assert sum(outcomes) <= len(outcomes) // 10


def test_two_proofs_of_this_suite_are_a_set_and_one_given_twice_verifies() -> None:
    """Proofs of this suite carry their signature in ``jws``, not ``proofValue``: two proofs
    made at different times are two proofs (each verified); the same proof twice is a proof
    set whose every proof verifies, and verifies (Data Integrity 1.0: "all referenced
    proofs in the array MUST verify")."""
    later = sign_data_integrity(UNSIGNED, key=KEY, verification_method=METHOD,
                                cryptosuite=SUITE, created="2022-07-02T00:00:00Z",
                                document_loader=_loader())["proof"]

    def verify(proofs: list[dict[str, Any]]) -> Any:
        return verify_credential(
            {**copy.deepcopy(UNSIGNED), "proof": proofs}, document_loader=_loader(),
            resolve_verification_method=lambda method: (_key(method), "did:example:issuer"),
            fetch_status_list=None, programme_lookup=lambda achievement: None,
            now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), words=words)

    both = verify([_signed()["proof"], later])
    assert both.check("proof") is not None and both.check("proof").passed, both.to_dict()
    twice = verify([_signed()["proof"], _signed()["proof"]])
    assert twice.check("proof") is not None and twice.check("proof").passed, twice.to_dict()
