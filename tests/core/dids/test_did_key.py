"""did:key: the specification's example document, P-256, fragments and malformed ids."""

from __future__ import annotations

import pytest

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.errors import MalformedCredentialError

ED_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
ED_VALUE = ED_DID.removeprefix("did:key:")
X25519_VALUE = "z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p"
P256_DID = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"

# The did:key Method v0.7, example "An did:key DID Document expressing an Ed25519 public key
# and an X25519 public key useful with the EdDSA and key agreement protocols".
SPEC_DOCUMENT = {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    "id": ED_DID,
    "verificationMethod": [{
        "id": f"{ED_DID}#{ED_VALUE}", "type": "Multikey", "controller": ED_DID,
        "publicKeyMultibase": ED_VALUE,
    }],
    "authentication": [f"{ED_DID}#{ED_VALUE}"],
    "assertionMethod": [f"{ED_DID}#{ED_VALUE}"],
    "capabilityDelegation": [f"{ED_DID}#{ED_VALUE}"],
    "capabilityInvocation": [f"{ED_DID}#{ED_VALUE}"],
    "keyAgreement": [{
        "id": f"{ED_DID}#{X25519_VALUE}", "type": "Multikey", "controller": ED_DID,
        "publicKeyMultibase": X25519_VALUE,
    }],
}


def test_the_specifications_ed25519_document_is_reproduced() -> None:
    """Resolving the spec's Ed25519 example gives its DID document, X25519 key included."""
    assert did_key.resolve(ED_DID) == SPEC_DOCUMENT


def test_a_fragment_is_ignored_when_resolving_the_did() -> None:
    """``resolve`` of a DID URL returns the DID's document."""
    assert did_key.resolve(f"{ED_DID}#{ED_VALUE}") == SPEC_DOCUMENT


def test_a_p256_did_resolves_to_a_multikey_without_key_agreement() -> None:
    """P-256 (``zDn…``) resolves to one Multikey method in every signing relationship."""
    document = did_key.resolve(P256_DID)
    value = P256_DID.removeprefix("did:key:")
    assert document["@context"] == ["https://www.w3.org/ns/did/v1",
                                    "https://w3id.org/security/multikey/v1"]
    assert document["verificationMethod"] == [{
        "id": f"{P256_DID}#{value}", "type": "Multikey", "controller": P256_DID,
        "publicKeyMultibase": value,
    }]
    assert document["assertionMethod"] == [f"{P256_DID}#{value}"]
    assert "keyAgreement" not in document


@pytest.mark.parametrize("key_type", list(KeyType))
def test_a_generated_key_resolves_to_itself(key_type: KeyType) -> None:
    """did, verification method id and resolution agree for fresh keys of both types."""
    key = KeyPair.generate(key_type).public_key
    did = did_key.did_from_public_key(key)
    method = did_key.verification_method_id(key)
    assert method.startswith(f"{did}#")
    assert did_key.resolve_public_key(method) == key
    assert did_key.resolve_public_key(did) == key
    assert did_key.resolve_verification_method(method)["publicKeyMultibase"] == method.split("#")[1]


def test_the_key_agreement_method_resolves_but_is_not_a_signing_key() -> None:
    """The derived X25519 method is in the document; as a signing key it is refused."""
    method = did_key.resolve_verification_method(f"{ED_DID}#{X25519_VALUE}")
    assert method["publicKeyMultibase"] == X25519_VALUE
    with pytest.raises(MalformedCredentialError, match="signing key"):
        did_key.resolve_public_key(f"{ED_DID}#{X25519_VALUE}")


@pytest.mark.parametrize(
    "did",
    [
        "did:web:example.com",
        "did:key:",
        "did:key:1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",  # versions unsupported
        "did:key:u7QFhbGljZQ",  # base64url
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do",  # one character short
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0",  # '0' is not base58
        "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",  # secp256k1
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK/path",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK?query",
        "https://example.com/issuers/1#key",
    ],
)
def test_malformed_or_unsupported_ids_are_refused(did: str) -> None:
    """Anything but ``did:key:z…`` with an Ed25519 or P-256 key is malformed."""
    with pytest.raises(MalformedCredentialError):
        did_key.resolve(did)
    with pytest.raises(MalformedCredentialError):
        did_key.resolve_public_key(did)


def test_an_unknown_fragment_is_refused() -> None:
    """A fragment that names no method of the document is refused."""
    with pytest.raises(MalformedCredentialError, match="fragment"):
        did_key.resolve_public_key(f"{ED_DID}#key-1")
    with pytest.raises(MalformedCredentialError, match="fragment"):
        did_key.resolve_verification_method(f"{ED_DID}#key-1")
