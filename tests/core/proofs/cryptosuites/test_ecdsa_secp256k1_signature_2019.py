"""EcdsaSecp256k1Signature2019: a detached ES256K JWS over the Linked Data Signature verify
data, signed and verified with secp256k1 keys (did:key ``zQ3s…``), through the proof layer and
the credential pipeline; changed credentials, other headers and other keys refused.

No published vector can be checked offline (the ones in circulation name did:ion, did:ethr or
did:ebsi keys); the JWS form is the one ``ed25519_signature_2018``'s reference vector pins.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
from typing import Any

import pytest

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.proofs import sign_data_integrity, verify_data_integrity
from credstack.core.proofs.cryptosuites import ecdsa_secp256k1_signature_2019 as suite
from credstack.core.verification import verify_credential
from credstack.errors import MalformedCredentialError, SignatureError
from credstack.words import words

KEY = KeyPair.from_secret_bytes(KeyType.SECP256K1, bytes(range(1, 33)))
ISSUER = did_key.did_from_public_key(KEY.public_key)
METHOD = did_key.verification_method_id(KEY.public_key)
CREATED = "2024-07-01T00:00:00Z"
UNSIGNED: dict[str, Any] = {
    "@context": ["https://www.w3.org/2018/credentials/v1"],
    "id": "urn:uuid:2f0c1b7e-6f4e-4c8a-9d59-5b0c0f7e3a11",
    "type": ["VerifiableCredential"],
    "issuer": ISSUER,
    "issuanceDate": CREATED,
    "credentialSubject": {"id": "did:example:learner", "https://schema.org/name": "Hanako"},
}


def _signed(document: dict[str, Any] | None = None, key: KeyPair = KEY) -> dict[str, Any]:
    return sign_data_integrity(document or copy.deepcopy(UNSIGNED), key=key,
                               verification_method=did_key.verification_method_id(
                                   key.public_key),
                               cryptosuite=suite.NAME, created=CREATED,
                               document_loader=shared_document_loader())


def _verify(document: dict[str, Any]) -> Any:
    return verify_data_integrity(document, document_loader=shared_document_loader())


def test_a_secp256k1_did_key_signs_and_verifies() -> None:
    """The proof is the suite's type with a detached ES256K JWS; it verifies."""
    signed = _signed()
    proof = signed["proof"]
    assert proof["type"] == suite.NAME and "cryptosuite" not in proof
    header, empty, signature = proof["jws"].split(".")
    assert empty == "" and len(base64.urlsafe_b64decode(signature + "==")) == 64
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == suite.HEADER
    assert ISSUER.startswith("did:key:zQ3s")
    [verified] = _verify(signed).proofs
    assert (verified.cryptosuite, verified.verification_method) == (suite.NAME, METHOD)


def test_a_changed_credential_or_signature_is_refused() -> None:
    signed = _signed()
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["https://schema.org/name"] = "Someone else"
    with pytest.raises(SignatureError):
        _verify(changed)
    header, _, signature = signed["proof"]["jws"].split(".")
    flipped = copy.deepcopy(signed)
    flipped["proof"]["jws"] = f"{header}..{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    with pytest.raises(SignatureError):
        _verify(flipped)


def test_another_header_or_key_type_is_refused() -> None:
    """An EdDSA header is not this suite's; an Ed25519 key does not sign it."""
    signed = _signed()
    eddsa = base64.urlsafe_b64encode(json.dumps(
        {"alg": "EdDSA", "b64": False, "crit": ["b64"]}).encode()).rstrip(b"=").decode()
    signed["proof"]["jws"] = f"{eddsa}..{signed['proof']['jws'].split('.')[2]}"
    with pytest.raises(MalformedCredentialError, match="jws header"):
        _verify(signed)
    with pytest.raises(MalformedCredentialError):
        _signed(key=KeyPair.from_secret_bytes(KeyType.ED25519, bytes(32)))


def test_the_credential_pipeline_verifies_it() -> None:
    """A VC 1.1 credential so signed is verified, and one changed after signing is not."""
    def verify(document: dict[str, Any]) -> Any:
        return verify_credential(document, document_loader=shared_document_loader(),
                                 resolve_verification_method=_no_resolver,
                                 fetch_status_list=None, programme_lookup=lambda _: None,
                                 now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), words=words)

    report = verify(_signed())
    assert report.ok, [check.to_dict() for check in report.failed]
    changed = _signed()
    changed["issuanceDate"] = "2024-07-02T00:00:00Z"
    proof = report.check("proof")
    assert proof is not None and suite.NAME in proof.reason_en
    failed = verify(changed).check("proof")
    assert failed is not None and failed.ok is False and failed.code == "signature"


def _no_resolver(method: str) -> Any:
    raise AssertionError(f"{method}: a did:key needs no resolver")
