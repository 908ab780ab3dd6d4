"""eddsa-jcs-2022: the W3C vector byte for byte, JCS against rfc8785, the @context rule."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.core.crypto import KeyPair, KeyType, jcs_canonicalize
from credstack.core.crypto.multibase import encode_base58btc
from credstack.core.proofs.cryptosuites import eddsa_jcs_2022
from credstack.errors import MalformedCredentialError, SignatureError
from tests.core.proofs.vectors import read_json, read_text
from tests.words import raises_saying


def _vector(ref: Path, name: str) -> Path:
    return ref / "vectors" / "vc-di-eddsa" / "eddsa-jcs-2022" / name


def _unsigned(ref: Path) -> dict[str, Any]:
    document: dict[str, Any] = read_json(ref / "vectors" / "vc-di-eddsa" / "unsigned.json")
    return document


def _options(ref: Path) -> dict[str, Any]:
    config = read_json(_vector(ref, "proofConfigJCS.json"))
    return {name: value for name, value in config.items() if name != "@context"}


def test_the_canonical_document_matches_the_vector(shared_ref: Path) -> None:
    """Transformation is the vector's JCS text, byte for byte."""
    transformed = eddsa_jcs_2022.transform(_unsigned(shared_ref), _options(shared_ref))
    assert transformed.decode() == read_text(_vector(shared_ref, "canonDocJCS.txt"))


def test_the_canonical_proof_configuration_matches_the_vector(shared_ref: Path) -> None:
    """Proof Configuration (options plus the document's @context) is the vector's JCS text."""
    config = read_json(_vector(shared_ref, "proofConfigJCS.json"))
    assert eddsa_jcs_2022.configure(config).decode() == read_text(
        _vector(shared_ref, "proofCanonJCS.txt"))


def test_hashes_signature_and_signed_document_match(shared_ref: Path, key: KeyPair) -> None:
    """Document hash, proof hash, combined hash, signature and the signed proof all match."""
    document, options = _unsigned(shared_ref), _options(shared_ref)
    transformed = eddsa_jcs_2022.transform(document, options)
    config = eddsa_jcs_2022.configure(read_json(_vector(shared_ref, "proofConfigJCS.json")))
    hash_data = eddsa_jcs_2022.hash_data(transformed, config)
    assert hashlib.sha256(transformed).hexdigest() == read_text(
        _vector(shared_ref, "docHashJCS.txt")).strip()
    assert hashlib.sha256(config).hexdigest() == read_text(
        _vector(shared_ref, "proofHashJCS.txt")).strip()
    assert hash_data.hex() == read_text(_vector(shared_ref, "combinedHashJCS.txt")).strip()
    signature = key.sign(hash_data)
    assert signature.hex() == read_text(_vector(shared_ref, "sigHexJCS.txt")).strip()
    assert encode_base58btc(signature) == read_text(_vector(shared_ref, "sigBTC58JCS.txt")).strip()
    proof = eddsa_jcs_2022.create_proof(document, options, key=key)
    assert proof == read_json(_vector(shared_ref, "signedJCS.json"))["proof"]
    eddsa_jcs_2022.verify_proof(document, proof, public_key=key.public_key)


def test_a_changed_document_does_not_verify(shared_ref: Path, key: KeyPair) -> None:
    """Any change to the JSON — even one JSON-LD would ignore — breaks a JCS proof."""
    document = _unsigned(shared_ref)
    proof = eddsa_jcs_2022.create_proof(document, _options(shared_ref), key=key)
    for changed in (dict(document, name="Alumni Credential "),
                    dict(document, extra=None),
                    dict(document, type=list(reversed(document["type"])))):
        with pytest.raises(SignatureError):
            eddsa_jcs_2022.verify_proof(changed, proof, public_key=key.public_key)


def test_the_document_context_must_start_with_the_proofs(shared_ref: Path, key: KeyPair) -> None:
    """§3.3.2: a document whose @context does not begin with the proof's fails to verify."""
    document = _unsigned(shared_ref)
    proof = eddsa_jcs_2022.create_proof(document, _options(shared_ref), key=key)
    swapped = dict(document, **{"@context": list(reversed(document["@context"]))})
    with pytest.raises(SignatureError, match="@context"):
        eddsa_jcs_2022.verify_proof(swapped, proof, public_key=key.public_key)
    # Appending a context keeps the prefix; the suite then reads the document under the
    # proof's own @context (data_integrity refuses it unless another proof covers it).
    extended = dict(document, **{"@context": [*document["@context"], "https://x.example/v1"]})
    eddsa_jcs_2022.verify_proof(extended, proof, public_key=key.public_key)


def test_a_document_without_context_is_signed_as_plain_json(key: KeyPair) -> None:
    """JCS needs no JSON-LD: a context-free document gets a proof without @context."""
    document = {"myWebsite": "https://hello.world.example/"}
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
               "created": "2023-03-05T19:23:24Z", "proofPurpose": "assertionMethod",
               "verificationMethod": "https://di.example/issuer#key"}
    proof = eddsa_jcs_2022.create_proof(document, options, key=key)
    assert "@context" not in proof
    eddsa_jcs_2022.verify_proof(document, proof, public_key=key.public_key)


@pytest.mark.parametrize(
    ("change", "message"),
    [({"type": "DataIntegritySignature"}, "DataIntegrityProof"),
     ({"cryptosuite": "eddsa-rdfc-2022"}, "eddsa-jcs-2022"),
     ({"created": "2023-13-01T00:00:00Z"}, "dateTime")],
)
def test_proof_configuration_checks_its_options(shared_ref: Path, change: dict[str, str],
                                                message: str) -> None:
    """The options must name this suite, and ``created`` must be an XML dateTime."""
    with raises_saying(MalformedCredentialError, message):
        eddsa_jcs_2022.configure({**_options(shared_ref), **change})


# --- JCS: CPython's encoder where it agrees with RFC 8785, rfc8785 elsewhere ------------------

#: Text made of JSON's own punctuation and number characters, to tempt the fast path into
#: rewriting something inside a string.
_JSONISH_TEXT = st.text(alphabet=':,[]{}"\\-.eE+0129 a', max_size=12)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text() | _JSONISH_TEXT,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6) | _JSONISH_TEXT, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300)
@given(_JSON_VALUES)
def test_jcs_equals_rfc8785(value: Any) -> None:
    """On any JSON value, credstack's JCS is rfc8785's — or both refuse it."""
    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError, ValueError):
        with pytest.raises(MalformedCredentialError):
            jcs_canonicalize(value)
        return
    assert jcs_canonicalize(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"\U0001f600": 1, "\ufb33": 2, "a": 3},  # UTF-16 order differs from code point order
        {"numbers": [1.0, 1e21, 1e-7, -0.0, 333333333.33333329, 2**53 - 1]},
        {"escapes": "\u0000\u001f\"\\\u007f\u2028"},
        # Float-looking text inside strings stays as it is; real floats around it are rewritten.
        {"a": "x:1.5,y", "b": 2.0, "c": 'q\\":1.0]', "d": ["\\", 1e-7, '"[3.0}'], "e": 1e16},
        {"k": 10**15, "big": 2**53 - 1, "n": -0.0, "dash": "x:-y,[-", "m": [-1.5, -2]},
        5.5,
        -1,
    ],
)
def test_jcs_hard_cases_follow_rfc8785(value: Any) -> None:
    """Key order, ECMAScript numbers and escapes are exactly RFC 8785's."""
    assert jcs_canonicalize(value) == rfc8785.dumps(value)


def test_jcs_refuses_what_is_not_i_json() -> None:
    """Integers beyond 2**53, NaN and lone surrogates are refused, never approximated."""
    for value in ({"n": 2**60}, {"n": float("nan")}, {"s": "\ud800"}, {"k": object()}):
        with pytest.raises(MalformedCredentialError):
            jcs_canonicalize(value)


def test_jcs_of_a_vector_document_is_compact_sorted_json(shared_ref: Path) -> None:
    """For ordinary credentials JCS is sorted, compact, UTF-8 JSON."""
    document = _unsigned(shared_ref)
    assert jcs_canonicalize(document) == json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_only_ed25519_keys_sign(shared_ref: Path) -> None:
    """eddsa-jcs-2022 refuses a P-256 key."""
    with raises_saying(MalformedCredentialError, "Ed25519"):
        eddsa_jcs_2022.create_proof(_unsigned(shared_ref), _options(shared_ref),
                                    key=KeyPair.generate(KeyType.P256))
