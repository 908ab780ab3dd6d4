"""did:web: the specification's examples, building DIDs from web addresses, DID documents."""

from __future__ import annotations

import pytest

from credstack.core.crypto import KeyPair, KeyType, encode_public_key
from credstack.core.dids import did_web
from credstack.errors import MalformedCredentialError

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
    with pytest.raises(MalformedCredentialError, match=r"not a valid did:web \(invalidDid\)"):
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


def test_document_lists_each_key_as_a_multikey_method() -> None:
    """Every key is a Multikey method with an absolute id; all assert, current ones authenticate."""
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
        "@context": CONTEXTS,
        "id": did,
        "verificationMethod": [
            {"id": f"{did}#key-1", "type": "Multikey", "controller": did,
             "publicKeyMultibase": encode_public_key(old)},
            {"id": f"{did}#key-2", "type": "Multikey", "controller": did,
             "publicKeyMultibase": encode_public_key(p256)},
            {"id": f"{did}#key-3", "type": "Multikey", "controller": did,
             "publicKeyMultibase": encode_public_key(new)},
        ],
        "authentication": [f"{did}#key-2", f"{did}#key-3"],
        "assertionMethod": [f"{did}#key-1", f"{did}#key-2", f"{did}#key-3"],
    }
    assert document["verificationMethod"][1]["publicKeyMultibase"].startswith("zDn")


def test_a_document_without_keys_has_no_methods() -> None:
    """No keys, no verification relationships (rather than empty lists)."""
    assert did_web.document("did:web:example.com", []) == {
        "@context": CONTEXTS, "id": "did:web:example.com"}


def test_document_refuses_a_repeated_or_unsafe_fragment_and_a_foreign_did() -> None:
    """Two keys cannot share a fragment; a fragment is plain; the DID must be a did:web."""
    key = KeyPair.generate().public_key
    with pytest.raises(ValueError, match="used twice"):
        did_web.document("did:web:example.com", [did_web.VerificationKey("k", key)] * 2)
    with pytest.raises(ValueError, match="invalid"):
        did_web.document("did:web:example.com", [did_web.VerificationKey("a#b", key)])
    with pytest.raises(MalformedCredentialError):
        did_web.document("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", [])
