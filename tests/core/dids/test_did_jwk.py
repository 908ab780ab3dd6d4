"""did:jwk: the specification's examples, keys of every supported type, what is refused, and
credentials signed under a did:jwk verifying with no resolver at all."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_jwk
from credstack.core.proofs import sign_data_integrity, sign_vc_jwt
from credstack.core.verification import verify_credential
from credstack.errors import CredstackError, DidDocumentError, MalformedCredentialError
from credstack.words import words
from tests.core.dids.refusals import refused
from tests.signed_credentials import VALID_FROM, unsigned

#: The specification's P-256 example (spec.md, "Examples").
SPEC_P256 = ("did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJ"
             "NNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwy"
             "R3pIM25TRSJ9")
SPEC_P256_JWK = {"crv": "P-256", "kty": "EC", "x": "acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0",
                 "y": "_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}
#: The specification's X25519 example: a key for encryption only.
SPEC_X25519 = ("did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3Y"
               "lRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9")
NOW = VALID_FROM + dt.timedelta(days=30)


def _did(value: Any) -> str:
    text = value if isinstance(value, bytes) else json.dumps(value).encode()
    return did_jwk.PREFIX + base64.urlsafe_b64encode(text).rstrip(b"=").decode()


def test_the_specifications_p256_example_resolves_to_its_document() -> None:
    """One JsonWebKey2020 method, #0, under every relationship (the JWK has no use)."""
    document = did_jwk.resolve(SPEC_P256)
    method = f"{SPEC_P256}#0"
    assert document == {
        "@context": ["https://www.w3.org/ns/did/v1",
                     "https://w3id.org/security/suites/jws-2020/v1"],
        "id": SPEC_P256,
        "verificationMethod": [{"id": method, "type": "JsonWebKey2020", "controller": SPEC_P256,
                                "publicKeyJwk": SPEC_P256_JWK}],
        "assertionMethod": [method], "authentication": [method],
        "capabilityInvocation": [method], "capabilityDelegation": [method],
        "keyAgreement": [method]}
    key = did_jwk.resolve_public_key(method)
    assert not isinstance(key, dict) and key.to_jwk() == {**SPEC_P256_JWK}


def test_a_key_for_encryption_is_a_key_agreement_only_and_never_signs() -> None:
    """use: enc lists the key under keyAgreement alone; it verifies no signature."""
    document = did_jwk.resolve(SPEC_X25519)
    assert [name for name in document if name.endswith(("Method", "ment", "ation"))] == [
        "verificationMethod", "keyAgreement"]
    with refused(DidDocumentError, "not for signatures"):
        did_jwk.resolve_public_key(f"{SPEC_X25519}#0")


def test_a_key_for_signatures_has_no_key_agreement() -> None:
    """use: sig lists the key under every relationship but keyAgreement."""
    did = _did({**KeyPair.generate().public_key.to_jwk(), "use": "sig"})
    assert "keyAgreement" not in did_jwk.resolve(did)
    assert did_jwk.resolve(did)["assertionMethod"] == [f"{did}#0"]


@pytest.mark.parametrize("key_type", list(KeyType))
def test_every_key_type_round_trips(key_type: KeyType) -> None:
    """The DID of a public JWK gives back the same key, with or without #0."""
    key = KeyPair.generate(key_type).public_key
    did = did_jwk.did_from_jwk(key.to_jwk())
    assert did_jwk.parse(did) == (did, key.to_jwk(), None)
    assert did_jwk.resolve_public_key(f"{did}#0") == key
    assert did_jwk.resolve_public_key(did) == key


@pytest.mark.parametrize(("did", "reason"), [
    (_did({**SPEC_P256_JWK, "d": "AAAA"}), "private key material (d)"),
    (SPEC_P256 + "=", "base64url without padding"),
    ("did:jwk:", "base64url without padding"),
    (_did(b"not json"), "the identifier is not JSON"),
    (_did(b"\xff\xfe"), "the identifier is not JSON"),
    (_did([SPEC_P256_JWK]), "not decode to a JSON object"),
    (_did(b'{"kty":"EC","kty":"OKP"}'), "'kty' is repeated"),
    (_did({"crv": "P-256"}), "the JWK has no kty"),
    ("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "expected did:jwk:"),
])
def test_what_is_not_a_did_jwk_is_refused_saying_why(did: str, reason: str) -> None:
    """Private keys, padding, not JSON, not an object, repeated members: invalidDid, why named."""
    with refused(MalformedCredentialError, "invalidDid(.|\n)*" + re.escape(reason)):
        did_jwk.resolve(did)


@pytest.mark.parametrize(("method", "error", "message"), [
    (f"{SPEC_P256}#1", MalformedCredentialError, "a did:jwk has one verification method, #0"),
    (_did({"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA"}) + "#0", DidDocumentError,
     "is an EC P-192 key"),
    (_did({"kty": "oct", "kk": "AA"}) + "#0", DidDocumentError, "is an oct key"),
])
def test_a_method_that_names_no_usable_key_is_refused(method: str, error: type[CredstackError],
                                                      message: str) -> None:
    """Another fragment than #0, an unsupported curve or key type: refused, saying which."""
    with refused(error, re.escape(message)):
        did_jwk.resolve_public_key(method)


# --- credentials signed under a did:jwk ---------------------------------------------------------

def _refuse(method: str) -> Any:
    raise AssertionError(f"{method} was sent to the resolver: did:jwk needs no I/O")


def _verify(credential: Any) -> Any:
    return verify_credential(credential, document_loader=shared_document_loader(),
                             resolve_verification_method=_refuse, fetch_status_list=None,
                             now=NOW, programme_lookup=lambda achievement: None, words=words)


def _issued_by(did: str) -> dict[str, Any]:
    credential = unsigned()
    credential["issuer"]["id"] = did
    achievement = credential["credentialSubject"]["achievement"]
    if "creator" in achievement:
        achievement["creator"]["id"] = did
    return credential


@pytest.mark.parametrize(("key_type", "suite"), [(KeyType.ED25519, "eddsa-rdfc-2022"),
                                                 (KeyType.ED25519, "eddsa-jcs-2022")])
def test_a_data_integrity_proof_by_a_did_jwk_key_verifies_without_a_resolver(
        key_type: KeyType, suite: str) -> None:
    """The key is in the identifier: the proof and the issuer check pass, nothing is fetched."""
    key = KeyPair.generate(key_type)
    did = did_jwk.did_from_jwk(key.public_key.to_jwk())
    signed = sign_data_integrity(_issued_by(did), key=key, verification_method=f"{did}#0",
                                 cryptosuite=suite, created=VALID_FROM,
                                 document_loader=shared_document_loader())
    report = _verify(signed)
    assert report.ok, [check.to_dict() for check in report.failed]
    issuer = report.check("issuer")
    assert issuer is not None and issuer.details["issuer"] == did


@pytest.mark.parametrize("key_type", [KeyType.ED25519, KeyType.P256])
def test_a_vc_jwt_by_a_did_jwk_key_verifies_and_another_key_does_not(key_type: KeyType) -> None:
    """EdDSA and ES256 tokens whose kid is <did:jwk>#0; a token signed by another key fails."""
    key = KeyPair.generate(key_type)
    did = did_jwk.did_from_jwk(key.public_key.to_jwk())
    assert _verify(sign_vc_jwt(_issued_by(did), key=key, kid=f"{did}#0")).ok
    forged = _verify(sign_vc_jwt(_issued_by(did), key=KeyPair.generate(key_type),
                                 kid=f"{did}#0"))
    proof = forged.check("proof")
    assert proof is not None and proof.code == "signature"


def test_a_did_jwk_that_is_not_one_fails_the_proof_saying_why() -> None:
    """A verification method whose JWK holds a private key: unresolvable, the reason named."""
    key = KeyPair.generate()
    did = _did({**key.public_key.to_jwk(), "d": "AAAA"})
    report = _verify(sign_vc_jwt(_issued_by(did), key=key, kid=f"{did}#0"))
    proof = report.check("proof")
    assert proof is not None and proof.code == "unresolvable-method"
    assert "private key material (d)" in proof.reason_en
