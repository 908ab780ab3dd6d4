"""did:key: the specification's example document and test vectors (P-256, P-384, secp256k1),
fragments and malformed ids."""

from __future__ import annotations

import pytest

from credstack.core.crypto import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multibase import base58_decode, decode_base64url
from credstack.core.dids import did_key, did_web
from credstack.errors import MalformedCredentialError
from credstack.words import error_words, problem_words

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


# The did:key Method's test vectors (w3c-ccg/did-method-key, test-vectors/nist-curves.json and
# secp256k1.json): each DID with its secret key (a JWK's d, or the hex seed) and its public key
# (a JWK, or the compressed point in base58).
NIST_VECTORS = [
    ("did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
     {"kty": "EC", "crv": "P-256", "x": "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns",
      "y": "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"},
     "gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc"),
    ("did:key:z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9",
     {"kty": "EC", "crv": "P-384",
      "x": "lInTxl8fjLKp_UCrxI0WDklahi-7-_6JbtiHjiRvMvhedhKVdHBfi2HCY8t_QJyc",
      "y": "y6N1IC-2mXxHreETBW7K3mBcw0qGr3CWHCs-yl09yCQRLcyfGv7XhqAngHOu51Zv"},
     "hAyGZNj9031guBCdpAOaZkO-E5m-LKLYnMIq0-msrp8JLctseaOeNTHmP3uKVWwX"),
    ("did:key:z82LkvCwHNreneWpsgPEbV3gu1C6NFJEBg4srfJ5gdxEsMGRJUz2sG9FE42shbn2xkZJh54",
     {"kty": "EC", "crv": "P-384",
      "x": "CA-iNoHDg1lL8pvX3d1uvExzVfCz7Rn6tW781Ub8K5MrDf2IMPyL0RTDiaLHC1JT",
      "y": "Kpnrn8DkXUD3ge4mFxi-DKr0DYO2KuJdwNBrhzLRtfMa3WFMZBiPKUPfJj8dYNl_"},
     "Xe1HHeh-UsrJPRNLR_Y06VTrWpZYBXi7a7kiRqCgwnAOlJZPwE-xzL3DIIVMavAL"),
]
SECP256K1_VECTORS = [
    ("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
     "9085d2bef69286a6cbb51623c8fa258629945cd55ca705cc4e66700396894e0c",
     "23o6Sau8NxxzXcgSc3PLcNxrzrZpbLeBn1izfv3jbKhuv"),
    ("did:key:zQ3shtxV1FrJfhqE1dvxYRcCknWNjHc3c5X1y3ZSoPDi2aur2",
     "f0f4df55a2b3ff13051ea814a8f24ad00f2e469af73c363ac7e9fb999a9072ed",
     "291KzQhqCPC18PqH83XKhxv1HdqrdnxyS7dh15t2uNRzJ"),
]


@pytest.mark.parametrize(("did", "jwk", "d"), NIST_VECTORS, ids=lambda v: str(v)[8:20])
def test_the_nist_curve_vectors_resolve_to_their_keys(did: str, jwk: dict[str, str],
                                                      d: str) -> None:
    """P-256 (``zDn…``) and P-384 (``z82…``): the secret gives the DID, and the DID's key is
    the published JWK."""
    key_type = KeyType(jwk["crv"])
    pair = KeyPair.from_secret_bytes(key_type, decode_base64url("u" + d))
    assert did_key.did_from_public_key(pair.public_key) == did
    key = did_key.resolve_public_key(did)
    assert key == pair.public_key and key.type is key_type
    assert key.to_jwk() == jwk
    assert did_web.public_key_from_jwk(jwk) == key


@pytest.mark.parametrize(("did", "seed", "public"), SECP256K1_VECTORS,
                         ids=lambda v: str(v)[8:20])
def test_the_secp256k1_vectors_resolve_to_their_keys(did: str, seed: str, public: str) -> None:
    """secp256k1 (``zQ3s…``): the secret gives the DID, whose key is the published point."""
    pair = KeyPair.from_secret_bytes(KeyType.SECP256K1, bytes.fromhex(seed))
    assert did_key.did_from_public_key(pair.public_key) == did
    assert did_key.resolve_public_key(did) == PublicKey.from_raw(KeyType.SECP256K1,
                                                                 base58_decode(public))
    assert "keyAgreement" not in did_key.resolve(did)


@pytest.mark.parametrize("key_type", list(KeyType))
def test_a_generated_key_resolves_to_itself(key_type: KeyType) -> None:
    """did, verification method id and resolution agree for fresh keys of every type."""
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
    with pytest.raises(MalformedCredentialError) as raised:
        did_key.resolve_public_key(f"{ED_DID}#{X25519_VALUE}")
    assert error_words(raised.value, "en") == (
        f"{ED_DID}#{X25519_VALUE} is not the signing key of {ED_DID}")


@pytest.mark.parametrize(
    "did",
    [
        "did:web:example.com",
        "did:key:",
        "did:key:1:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",  # versions unsupported
        "did:key:u7QFhbGljZQ",  # base64url
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do",  # one character short
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0",  # '0' is not base58
        "did:key:zUC7K4ndUaGZgV7Cp2yJy6JtMoUHY6u7tkcSYUvPrEidqBmLCTLmi6d5WvwnUqejscAkERJ3bfjEiSYtdPk"
        "RSE8kSa11hFBr4sTgnbZ95SJj19PN2jdvJjyzpSZgxkyyxNnBNnY",  # BLS12-381 G2
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK/path",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK?query",
        "https://example.com/issuers/1#key",
    ],
)
def test_malformed_or_unsupported_ids_are_refused(did: str) -> None:
    """Anything but ``did:key:z…`` with an Ed25519, P-256, P-384 or secp256k1 key is
    malformed."""
    with pytest.raises(MalformedCredentialError):
        did_key.resolve(did)
    with pytest.raises(MalformedCredentialError):
        did_key.resolve_public_key(did)


def test_an_unknown_fragment_is_refused() -> None:
    """A fragment that names no method of the document is refused."""
    for refused in (did_key.resolve_public_key, did_key.resolve_verification_method):
        with pytest.raises(MalformedCredentialError) as raised:
            refused(f"{ED_DID}#key-1")
        assert [(problem.location, problem_words(problem, "en"))
                for problem in raised.value.problems] == [
            ("verificationMethod", "unknown fragment #key-1")]


def test_the_did_key_specs_p521_example_is_a_p521_key() -> None:
    """The did:key specification's P-521 example (multicodec 0x1202) reads as a P-521 key,
    whose JWS algorithm is ES512 (issue 58)."""
    key = did_key.resolve_public_key(
        "did:key:z2J9gaYxrKVpdoG9A4gRnmpnRCcxU6agDtFVVBVdn1JedouoZN7SzcyREXXzWgt3gGiwpoHq7K68X4m32"
        "D8HgzG8wv3sY5j7")
    assert key.type is KeyType.P521 and len(key.raw) == 67
    assert key.jws_algorithm == "ES512"
