"""did:web: the specification's examples, building DIDs from web addresses, DID documents."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from credstack.core.crypto import KeyPair, KeyType, PublicKey, encode_public_key
from credstack.core.crypto.multibase import base58_encode
from credstack.core.dids import did_web
from credstack.errors import MalformedCredentialError
from tests.core.dids.refusals import refused

CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


# did:web Method Specification, §2.3 "Method-specific identifier" and §2.5.1 "Create
# (Register)": each example DID with the URL its document is read from.
@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
    ],
)
def test_the_specifications_examples_resolve_to_their_urls(did: str, url: str) -> None:
    """Colons become slashes, the port's colon is decoded, a bare domain uses .well-known."""
    assert did_web.parse(did) == url


def test_a_fragment_is_ignored_and_the_domain_is_case_insensitive() -> None:
    """A verification method id gives its DID's document URL; the host is lower-cased."""
    assert did_web.parse("did:web:Example.COM:user:alice#key-1") == \
        "https://example.com/user/alice/did.json"


def test_percent_encoded_path_segments_stay_encoded_in_the_url() -> None:
    """Replacing ':' with '/' keeps each segment's percent-encoding as it is."""
    assert did_web.parse("did:web:example.com:a%20b") == "https://example.com/a%20b/did.json"


@pytest.mark.parametrize(
    "did",
    [
        "did:web:",
        "did:web:127.0.0.1",  # IP addresses are not allowed
        "did:web:%5B::1%5D",
        "did:web:192.168.0.1%3A8443:user",
        "did:web:example.com%3A",
        "did:web:example.com%3A99999",
        "did:web:example.com%3Aabc",
        "did:web:example.com%3A\u00b3",  # a digit to str.isdigit, not to int (issue 55)
        "did:web:example%2Ecom",  # only the port's colon may be encoded in the domain
        "did:web:example.com::alice",  # empty segment
        "did:web:example.com:..:alice",
        "did:web:example.com:%2E%2E",
        "did:web:example.com:user/alice",
        "did:web:example.com?service=files",
        "did:web:-example.com",
        "did:web:exa_mple.com",
        "did:web:example.com:al ice",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "https://example.com/.well-known/did.json",
    ],
)
def test_malformed_dids_are_refused(did: str) -> None:
    """Anything but a domain name, an optional port and colon-separated segments is refused."""
    with refused(MalformedCredentialError, r"not a valid did:web \(invalidDid\)"):
        did_web.parse(did)


@pytest.mark.parametrize(
    ("base_url", "segments", "did"),
    [
        ("https://w3c-ccg.github.io", [], "did:web:w3c-ccg.github.io"),
        ("https://w3c-ccg.github.io/", ["user", "alice"], "did:web:w3c-ccg.github.io:user:alice"),
        ("http://example.com:3000", [], "did:web:example.com%3A3000"),
        ("https://example.com:443", [], "did:web:example.com"),
        ("http://localhost:8000", ["organisations", "hokuto-tech"],
         "did:web:localhost%3A8000:organisations:hokuto-tech"),
        ("https://Example.com/credstack/", ["organisations", "x"],
         "did:web:example.com:credstack:organisations:x"),
        ("https://example.com/a%20b", ["c:d", "e~f", "名"],
         "did:web:example.com:a%20b:c%3Ad:e%7Ef:%E5%90%8D"),
    ],
)
def test_did_for_builds_the_did_of_a_web_address(base_url: str, segments: list[str],
                                                  did: str) -> None:
    """Host, port (colon encoded), base path and segments (percent-encoded) form the DID."""
    assert did_web.did_for(base_url, segments) == did


def test_did_for_and_parse_agree() -> None:
    """The DID of a public address resolves back to the document under that address."""
    did = did_web.did_for("https://issuer.example.ac.jp:8443/app", ["organisations", "hokuto"])
    assert did_web.parse(did) == "https://issuer.example.ac.jp:8443/app/organisations/hokuto/did.json"


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8000", "https://[::1]/", "ftp://example.com", "example.com",
     "https://user@example.com", "https://example.com/?q=1", "https://example.com/#top",
     "https://example.com:99999", "https://exa_mple.com"],
)
def test_did_for_refuses_what_cannot_be_a_did_web(base_url: str) -> None:
    """IP addresses, other schemes, credentials, queries and bad ports have no did:web."""
    with pytest.raises(ValueError, match="cannot be the base of a did:web"):
        did_web.did_for(base_url)


def test_did_for_refuses_dot_and_empty_segments() -> None:
    """A segment that would move the document elsewhere is refused."""
    for segment in ("", ".", ".."):
        with pytest.raises(ValueError, match="path segment"):
            did_web.did_for("https://example.com", ["organisations", segment])


def test_document_lists_each_key_as_a_multikey_and_a_json_web_key_method() -> None:
    """Every key is a Multikey and a JsonWebKey method with absolute ids; all assert, current
    ones authenticate."""
    did = "did:web:example.com%3A3000:organisations:hokuto"
    old = KeyPair.generate(KeyType.ED25519).public_key
    new = KeyPair.generate(KeyType.ED25519).public_key
    p256 = KeyPair.generate(KeyType.P256).public_key
    document = did_web.document(did, [
        did_web.VerificationKey("key-1", old, current=False),
        did_web.VerificationKey("key-2", p256),
        did_web.VerificationKey("key-3", new),
    ])
    assert document == {
        "@context": [*CONTEXTS, "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": [
            {"id": f"{did}#key-1", "type": "Multikey", "controller": did,
             "publicKeyMultibase": encode_public_key(old)},
            {"id": f"{did}#key-1-jwk", "type": "JsonWebKey", "controller": did,
             "publicKeyJwk": old.to_jwk()},
            {"id": f"{did}#key-2", "type": "Multikey", "controller": did,
             "publicKeyMultibase": encode_public_key(p256)},
            {"id": f"{did}#key-2-jwk", "type": "JsonWebKey", "controller": did,
             "publicKeyJwk": p256.to_jwk()},
            {"id": f"{did}#key-3", "type": "Multikey", "controller": did,
             "publicKeyMultibase": encode_public_key(new)},
            {"id": f"{did}#key-3-jwk", "type": "JsonWebKey", "controller": did,
             "publicKeyJwk": new.to_jwk()},
        ],
        "authentication": [f"{did}#key-2", f"{did}#key-2-jwk", f"{did}#key-3",
                           f"{did}#key-3-jwk"],
        "assertionMethod": [f"{did}#key-1", f"{did}#key-1-jwk", f"{did}#key-2",
                            f"{did}#key-2-jwk", f"{did}#key-3", f"{did}#key-3-jwk"],
    }
    assert document["verificationMethod"][2]["publicKeyMultibase"].startswith("zDn")
    # Either method of a key gives the same key, for any proof that names it.
    for fragment, key in (("key-1", old), ("key-2", p256)):
        for method in (f"{did}#{fragment}", f"{did}#{fragment}-jwk"):
            assert did_web.assertion_method(document, method).public_key == key


def test_a_document_without_keys_has_no_methods() -> None:
    """No keys, no verification relationships (rather than empty lists)."""
    assert did_web.document("did:web:example.com", []) == {
        "@context": [*CONTEXTS, "https://w3id.org/security/jwk/v1"],
        "id": "did:web:example.com"}


def test_document_refuses_a_repeated_or_unsafe_fragment_and_a_foreign_did() -> None:
    """Two keys cannot share a fragment; a fragment is plain; the DID must be a did:web."""
    key = KeyPair.generate().public_key
    with pytest.raises(ValueError, match="used twice"):
        did_web.document("did:web:example.com", [did_web.VerificationKey("k", key)] * 2)
    with pytest.raises(ValueError, match="invalid"):
        did_web.document("did:web:example.com", [did_web.VerificationKey("a#b", key)])
    with pytest.raises(MalformedCredentialError):
        did_web.document("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", [])


# --- reading someone else's document --------------------------------------------------------

DID = "did:web:issuer.example.ac.jp:organisations:hokuto"
ED25519 = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32))).public_key
P256 = KeyPair.from_secret_bytes(KeyType.P256, bytes(range(1, 33))).public_key


def _document(**changes: object) -> dict:
    document = did_web.document(DID, [did_web.VerificationKey("key-1", ED25519, current=False),
                                      did_web.VerificationKey("key-2", P256)])
    return {**document, **changes}


def test_read_document_returns_the_json_object_of_the_did() -> None:
    """A JSON object whose id is the DID is the DID's document."""
    text = json.dumps(_document())
    assert did_web.read_document(DID, text.encode()) == _document()


@pytest.mark.parametrize(("data", "message"), [
    (b"<html>not found</html>", "is not JSON"),
    (b"\xff\xfe", "is not JSON"),
    (b"[1, 2]", "is not a JSON object"),
    (json.dumps(_document(id="did:web:attacker.example")).encode(),
     "is the document of 'did:web:attacker.example', not of " + DID),
    (json.dumps({"verificationMethod": []}).encode(), "is the document of None"),
])
def test_read_document_refuses_what_is_not_the_dids_document(data: bytes, message: str) -> None:
    """Not JSON, not an object, another DID's document (did:web §2.5.2): refused, saying where."""
    with refused(did_web.DidDocumentError, re.escape(message)):
        did_web.read_document(DID, data, source="https://issuer.example.ac.jp/x/did.json")
    with refused(did_web.DidDocumentError, "https://issuer.example.ac.jp/x/did.json"):
        did_web.read_document(DID, data, source="https://issuer.example.ac.jp/x/did.json")


def test_every_assertion_method_gives_its_key_and_the_did_as_controller() -> None:
    """Retired keys stay assertion methods, so what they signed keeps verifying."""
    for fragment, key in (("key-1", ED25519), ("key-2", P256)):
        found = did_web.assertion_method(_document(), f"{DID}#{fragment}")
        assert found == did_web.AssertionMethod(f"{DID}#{fragment}", DID, key)


def test_relative_ids_and_embedded_methods_are_read() -> None:
    """``#key-1`` is relative to the DID; a method may be embedded in assertionMethod only."""
    multibase = encode_public_key(ED25519)
    document = {"id": DID,
                "verificationMethod": [{"id": "#key-1", "type": "Multikey", "controller": DID,
                                        "publicKeyMultibase": multibase}],
                "assertionMethod": ["#key-1", {"id": f"{DID}#jwk", "type": "JsonWebKey2020",
                                               "controller": DID,
                                               "publicKeyJwk": P256.to_jwk()}]}
    assert did_web.assertion_method(document, f"{DID}#key-1").public_key == ED25519
    assert did_web.assertion_method(document, f"{DID}#jwk").public_key == P256


def test_a_method_listed_twice_with_identical_content_is_one_method() -> None:
    """In verificationMethod and again in assertionMethod, relative or absolute: one key."""
    method = {"id": f"{DID}#key-1", "type": "Multikey", "controller": DID,
              "publicKeyMultibase": encode_public_key(ED25519)}
    for embedded in (method, {**method, "id": "#key-1"}):
        document = {"id": DID, "verificationMethod": [method], "assertionMethod": [embedded]}
        assert did_web.assertion_method(document, f"{DID}#key-1").public_key == ED25519


def test_an_ed25519_verification_key_2018_is_read_from_its_public_key_base58() -> None:
    """Ed25519VerificationKey2018: the raw 32-byte key in base58, as older DID documents
    publish it (the lds-ed25519-2018 example key)."""
    method = {"id": f"{DID}#key-1", "type": "Ed25519VerificationKey2018", "controller": DID,
              "publicKeyBase58": "GycSSui454dpYRKiFdsQ5uaE8Gy3ac6dSMPcAoQsk8yq"}
    document = {"id": DID, "verificationMethod": [method], "assertionMethod": [method["id"]]}
    key = did_web.assertion_method(document, f"{DID}#key-1").public_key
    assert key.type is KeyType.ED25519
    assert base58_encode(key.raw) == method["publicKeyBase58"]


def test_an_ecdsa_secp256k1_verification_key_2019_is_read_from_any_member() -> None:
    """EcdsaSecp256k1VerificationKey2019 (Blockcerts, did:ion): the same secp256k1 key as a
    JWK, a Multikey, a compressed point in base58 and an uncompressed one in hex."""
    key = KeyPair.from_secret_bytes(KeyType.SECP256K1, bytes(range(1, 33))).public_key
    jwk = key.to_jwk()
    x = base64.urlsafe_b64decode(jwk["x"] + "==")
    y = base64.urlsafe_b64decode(jwk["y"] + "==")
    members = [{"publicKeyJwk": jwk}, {"publicKeyMultibase": encode_public_key(key)},
               {"publicKeyBase58": base58_encode(key.raw)},
               {"publicKeyHex": (b"\x04" + x + y).hex()}]
    for member in members:
        method = {"id": f"{DID}#k1", "type": "EcdsaSecp256k1VerificationKey2019",
                  "controller": DID, **member}
        document = {"id": DID, "verificationMethod": [method], "assertionMethod": ["#k1"]}
        assert did_web.assertion_method(document, f"{DID}#k1").public_key == key, member
    p256 = {"id": f"{DID}#k1", "type": "EcdsaSecp256k1VerificationKey2019", "controller": DID,
            "publicKeyMultibase": encode_public_key(P256)}
    with refused(did_web.DidDocumentError, "another kind of key"):
        did_web.assertion_method({"id": DID, "verificationMethod": [p256],
                                  "assertionMethod": ["#k1"]}, f"{DID}#k1")


def test_the_dcc_document_that_lists_its_key_twice_gives_it(shared_ref: Path) -> None:
    """The DCC fixtures' did:web document repeats its key in assertionMethod; it resolves."""
    document = json.loads((shared_ref / "wild" / "dcc-vc-test-fixtures" / "dids" / "oidf"
                           / "did.json").read_bytes())
    method = document["verificationMethod"][0]["id"]
    assert document["assertionMethod"][0] == document["verificationMethod"][0]
    found = did_web.assertion_method(document, method)
    assert (found.controller, encode_public_key(found.public_key)) == (
        document["id"], document["verificationMethod"][0]["publicKeyMultibase"])


@pytest.mark.parametrize(("document", "method", "message"), [
    (_document(), f"{DID}#key-9", f"lists no verification method {DID}#key-9"),
    (_document(assertionMethod=[f"{DID}#key-2"]), f"{DID}#key-1",
     "is not an assertion method of"),
    ({**_document(), "assertionMethod": None}, f"{DID}#key-1", "assertionMethod of the DID "
     "document of " + DID + " is not a list"),
    (_document(), DID, "names no key"),
    (_document(id="did:web:other.example"), f"{DID}#key-1", "not of " + DID),
    (_document(verificationMethod=[{"id": f"{DID}#key-1", "type": "Multikey",
                                    "controller": "did:web:other.example",
                                    "publicKeyMultibase": encode_public_key(ED25519)}],
               assertionMethod=[f"{DID}#key-1"]),
     f"{DID}#key-1", "is controlled by 'did:web:other.example'"),
    (_document(verificationMethod=[
        {"id": f"{DID}#key-1", "type": "Multikey", "publicKeyMultibase": encode_public_key(k)}
        for k in (ED25519, P256)]), f"{DID}#key-1", "more than once, with different content"),
])
def test_a_method_that_may_not_assert_is_refused(document: dict, method: str,
                                                 message: str) -> None:
    """Missing, not under assertionMethod, another controller, ambiguous: each says which."""
    with refused(did_web.DidDocumentError, re.escape(message)):
        did_web.assertion_method(document, method)


@pytest.mark.parametrize(("method", "message"), [
    ({"type": "EcdsaSecp256kVerificationKey2019", "publicKeyHex": "02ab"},
     "of type 'EcdsaSecp256kVerificationKey2019'; credstack reads Multikey"),
    ({"type": "EcdsaSecp256k1VerificationKey2019", "publicKeyHex": "02ab"},
     "the key of " + DID + "#k"),
    ({"type": "EcdsaSecp256k1VerificationKey2019"}, "without a public key"),
    ({"type": "Multikey", "publicKeyJwk": {"kty": "OKP"}}, "without a publicKeyMultibase"),
    ({"type": "Multikey",  # a BLS12-381 G2 key (multicodec 0xeb)
      "publicKeyMultibase": "zUC7K4ndUaGZgV7Cp2yJy6JtMoUHY6u7tkcSYUvPrEidqBmLCTLmi6d5WvwnUqejs"
                            "cAkERJ3bfjEiSYtdPkRSE8kSa11hFBr4sTgnbZ95SJj19PN2jdvJjyzpSZgxkyyx"
                            "NnBNnY"},
     "not a key credstack reads"),
    ({"type": "Ed25519VerificationKey2020", "publicKeyMultibase": encode_public_key(P256)},
     "Ed25519VerificationKey2020 holding a P-256 key"),
    ({"type": "JsonWebKey2020"}, "publicKeyJwk of " + DID + "#k is not a JSON object"),
    ({"type": "Ed25519VerificationKey2018", "publicKeyMultibase": encode_public_key(ED25519)},
     "Ed25519VerificationKey2018 without a publicKeyBase58"),
    ({"type": "Ed25519VerificationKey2018", "publicKeyBase58": "0OIl"}, "is not base58"),
    ({"type": "Ed25519VerificationKey2018", "publicKeyBase58": "3mJr7AoUXx2Wqd"},
     "publicKeyBase58 of " + DID + "#k"),
])
def test_unsupported_or_inconsistent_key_types_are_refused(method: dict, message: str) -> None:
    """Only Multikey (and Ed25519VerificationKey2020 / 2018) and JsonWebKey(2020) methods are
    read."""
    document = {"id": DID, "verificationMethod": [{"id": f"{DID}#k", **method}],
                "assertionMethod": [f"{DID}#k"]}
    with refused(did_web.DidDocumentError, re.escape(message)):
        did_web.assertion_method(document, f"{DID}#k")


def test_a_method_url_that_is_not_a_did_web_is_malformed() -> None:
    with refused(MalformedCredentialError, "invalidDid"):
        did_web.assertion_method(_document(), "did:web:127.0.0.1#key-1")


# --- public JWKs ----------------------------------------------------------------------------

def test_the_rfc_8037_ed25519_jwk_is_read_as_its_raw_key() -> None:
    """RFC 8037 Appendix A.2: the public key of the A.1 secret key."""
    key = did_web.public_key_from_jwk(
        {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})
    assert key == PublicKey.from_raw(KeyType.ED25519, bytes.fromhex(
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))


def test_the_rfc_7515_p256_jwk_is_read_and_round_trips() -> None:
    """RFC 7515 Appendix A.3: the ES256 example key, compressed and back to the same JWK."""
    jwk = {"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
           "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
    key = did_web.public_key_from_jwk(jwk)
    assert isinstance(key, PublicKey) and key.type is KeyType.P256
    assert key.to_jwk() == jwk


@pytest.mark.parametrize("key_type", [KeyType.P384, KeyType.SECP256K1])
def test_p384_and_secp256k1_keys_are_read_as_multikeys_and_jwks(key_type: KeyType) -> None:
    """The other ECDSA curves, in either form, give the same key (the JWK's y checked)."""
    key = KeyPair.generate(key_type).public_key
    document = {"id": DID, "verificationMethod": [
        {"id": f"{DID}#multikey", "type": "Multikey", "controller": DID,
         "publicKeyMultibase": encode_public_key(key)},
        {"id": f"{DID}#jwk", "type": "JsonWebKey", "controller": DID,
         "publicKeyJwk": key.to_jwk()}], "assertionMethod": [f"{DID}#multikey", f"{DID}#jwk"]}
    for fragment in ("multikey", "jwk"):
        assert did_web.assertion_method(document, f"{DID}#{fragment}").public_key == key
    jwk = key.to_jwk()
    with refused(did_web.DidDocumentError, f"not a point on the {key_type} curve"):
        did_web.public_key_from_jwk({**jwk, "y": jwk["x"]})


def test_an_rsa_jwk_is_kept_as_its_public_members() -> None:
    """RSA keys (RS256 VC-JWTs) stay a JWK with kty, n and e only."""
    numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key() \
        .public_numbers()
    n = base64.urlsafe_b64encode(numbers.n.to_bytes(256, "big")).rstrip(b"=").decode()
    key = did_web.public_key_from_jwk({"kty": "RSA", "n": n, "e": "AQAB", "alg": "RS256"})
    assert key == {"kty": "RSA", "n": n, "e": "AQAB"}


@pytest.mark.parametrize(("jwk", "message"), [
    ({**P256.to_jwk(), "y": P256.to_jwk()["x"]}, "not a point on the P-256 curve"),
    ({**ED25519.to_jwk(), "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"},
     "holds private key material (d)"),
    ({**ED25519.to_jwk(), "use": "enc"}, "is for 'enc', not for signatures"),
    ({"kty": "OKP", "crv": "X25519", "x": ED25519.to_jwk()["x"]}, "is an OKP X25519 key"),
    ({"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA"}, "is an EC P-192 key"),
    ({"kty": "EC", "crv": "P-384", "x": P256.to_jwk()["x"], "y": P256.to_jwk()["y"]},
     "'x' has 32 bytes, not 48"),
    ({"kty": "oct", "k": "c2VjcmV0"}, "holds private key material (k)"),
    ({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}, "'x' has 3 bytes, not 32"),
    ({"kty": "OKP", "crv": "Ed25519", "x": "not base64url!"}, "no base64url 'x' member"),
    ({"kty": "RSA", "n": base64.urlsafe_b64encode((2**1023 + 1).to_bytes(128, "big"))
      .rstrip(b"=").decode(), "e": "AQAB"}, "is a 1024-bit RSA key"),
    ("not an object", "is not a JSON object"),
])
def test_unusable_jwks_are_refused(jwk: object, message: str) -> None:
    """Private parts, encryption keys, other curves, wrong sizes, short RSA keys: refused."""
    with refused(did_web.DidDocumentError, re.escape(message)):
        did_web.public_key_from_jwk(jwk)
