"""eddsa-rdfc-2022: the W3C and 1EdTech vectors byte for byte, safe mode, the fast path."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from credstack.core.crypto import KeyPair, KeyType, rdfc_canonicalize, rdfc_canonicalize_plain
from credstack.core.crypto.multibase import encode_base58btc
from credstack.core.proofs.cryptosuites import eddsa_rdfc_2022
from credstack.errors import MalformedCredentialError, UndefinedTermError, UnknownContextError
from tests.core.proofs.vectors import (
    ONE_EDTECH_RDFC_VECTORS,
    W3C_RDFC_VECTORS,
    ContextLoader,
    RdfcVector,
    one_edtech_key,
    read_contexts,
    read_json,
    read_text,
    w3c_key,
)
from tests.words import raises_saying

ALL_VECTORS = W3C_RDFC_VECTORS + ONE_EDTECH_RDFC_VECTORS


def _files(vector: RdfcVector) -> dict[str, str]:
    """The vector's file names: W3C ``canonDocDataInt.txt`` or 1EdTech ``document-canon.txt``."""
    if vector.suffix:
        s = vector.suffix
        return {"document": f"canonDoc{s}.txt", "proof": f"proofCanon{s}.txt",
                "config": f"proofConfig{s}.json", "signed": f"signed{s}.json"}
    return {"document": "document-canon.txt", "proof": "proof-canon.txt",
            "config": "proof-options.json", "signed": "credential-signed.json"}


def _key(ref: Path, vector: RdfcVector) -> KeyPair:
    return w3c_key(ref) if vector.suffix else one_edtech_key(ref, vector)


def _unsigned(ref: Path, vector: RdfcVector) -> dict[str, Any]:
    document: dict[str, Any] = read_json(ref / "vectors" / vector.unsigned)
    return document


def _options(ref: Path, vector: RdfcVector) -> dict[str, Any]:
    config = read_json(vector.path(ref, _files(vector)["config"]))
    return {name: value for name, value in config.items() if name != "@context"}


@pytest.mark.parametrize("vector", ALL_VECTORS, ids=lambda v: v.name)
def test_the_canonical_document_matches_the_vector(shared_ref: Path, loader: ContextLoader,
                                                   vector: RdfcVector) -> None:
    """Transformation gives the vector's canonical N-Quads, byte for byte."""
    expected = read_text(vector.path(shared_ref, _files(vector)["document"]))
    transformed = eddsa_rdfc_2022.transform(_unsigned(shared_ref, vector),
                                            _options(shared_ref, vector), document_loader=loader)
    assert transformed.decode() == expected


@pytest.mark.parametrize("vector", ALL_VECTORS, ids=lambda v: v.name)
def test_the_canonical_proof_configuration_matches_the_vector(
        shared_ref: Path, loader: ContextLoader, vector: RdfcVector) -> None:
    """Proof Configuration gives the vector's canonical proof options under the doc's context."""
    expected = read_text(vector.path(shared_ref, _files(vector)["proof"]))
    canonical = eddsa_rdfc_2022.configure(_unsigned(shared_ref, vector),
                                          _options(shared_ref, vector), document_loader=loader)
    assert canonical.decode() == expected


@pytest.mark.parametrize("vector", W3C_RDFC_VECTORS, ids=lambda v: v.name)
def test_w3c_hashes_and_signature_match(shared_ref: Path, loader: ContextLoader,
                                        vector: RdfcVector) -> None:
    """Hashes, combined hash, signature hex and base58 equal the W3C vector files."""
    s = vector.suffix
    document, options = _unsigned(shared_ref, vector), _options(shared_ref, vector)
    transformed = eddsa_rdfc_2022.transform(document, options, document_loader=loader)
    config = eddsa_rdfc_2022.configure(document, options, document_loader=loader)
    hash_data = eddsa_rdfc_2022.hash_data(transformed, config)
    assert hashlib.sha256(transformed).hexdigest() == read_text(
        vector.path(shared_ref, f"docHash{s}.txt")).strip()
    assert hashlib.sha256(config).hexdigest() == read_text(
        vector.path(shared_ref, f"proofHash{s}.txt")).strip()
    assert hash_data.hex() == read_text(vector.path(shared_ref, f"combinedHash{s}.txt")).strip()
    signature = w3c_key(shared_ref).sign(hash_data)
    assert signature.hex() == read_text(vector.path(shared_ref, f"sigHex{s}.txt")).strip()
    assert encode_base58btc(signature) == read_text(
        vector.path(shared_ref, f"sigBTC58{s}.txt")).strip()


@pytest.mark.parametrize("vector", ONE_EDTECH_RDFC_VECTORS, ids=lambda v: v.name)
def test_1edtech_hashes_and_signature_match(shared_ref: Path, loader: ContextLoader,
                                            vector: RdfcVector) -> None:
    """documentHashHex, proofHashHex, dataToSignHex, signatureHex and proofValue match."""
    hashes = read_json(vector.path(shared_ref, "hashes.json"))
    document, options = _unsigned(shared_ref, vector), _options(shared_ref, vector)
    transformed = eddsa_rdfc_2022.transform(document, options, document_loader=loader)
    config = eddsa_rdfc_2022.configure(document, options, document_loader=loader)
    hash_data = eddsa_rdfc_2022.hash_data(transformed, config)
    assert hashlib.sha256(transformed).hexdigest() == hashes["documentHashHex"]
    assert hashlib.sha256(config).hexdigest() == hashes["proofHashHex"]
    assert hash_data.hex() == hashes["dataToSignHex"]
    signature = one_edtech_key(shared_ref, vector).sign(hash_data)
    assert signature.hex() == hashes["signatureHex"]
    assert encode_base58btc(signature) == hashes["proofValue"]


@pytest.mark.parametrize("vector", ALL_VECTORS, ids=lambda v: v.name)
def test_create_proof_reproduces_the_signed_document(shared_ref: Path, loader: ContextLoader,
                                                     vector: RdfcVector) -> None:
    """Create Proof gives exactly the vector's proof, and it verifies."""
    signed = read_json(vector.path(shared_ref, _files(vector)["signed"]))
    document, options = _unsigned(shared_ref, vector), _options(shared_ref, vector)
    key = _key(shared_ref, vector)
    proof = eddsa_rdfc_2022.create_proof(document, options, key=key, document_loader=loader)
    published = signed["proof"]
    assert [proof] == (published if isinstance(published, list) else [published])
    eddsa_rdfc_2022.verify_proof(document, proof, public_key=key.public_key,
                                 document_loader=loader)


# --- cross-checks: pyoxigraph's RDFC-1.0 and PyLD's own normalize --------------------------

def _pyoxigraph_canonical(document: dict[str, Any], loader: ContextLoader) -> str:
    """Stock PyLD to_rdf, then pyoxigraph's RDFC-1.0 on the result (a second implementation)."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{quad} .\n" for quad in dataset))


@pytest.mark.parametrize("vector", ALL_VECTORS, ids=lambda v: v.name)
def test_pyoxigraph_and_pyld_agree_with_the_vectors(shared_ref: Path, loader: ContextLoader,
                                                    vector: RdfcVector) -> None:
    """Three routes to RDFC-1.0 — ours, pyoxigraph's and PyLD's — give the vector's bytes."""
    document = _unsigned(shared_ref, vector)
    expected = read_text(vector.path(shared_ref, _files(vector)["document"]))
    assert _pyoxigraph_canonical(document, loader) == expected
    assert rdfc_canonicalize_plain(document, document_loader=loader) == expected
    assert rdfc_canonicalize(document, document_loader=loader) == expected


def _text() -> st.SearchStrategy[str]:
    # Printable text: PyLD's plain path writes control characters the pre-RDFC-1.0 way (see
    # test_control_characters_are_escaped_as_rdfc_1_0_requires), so they are left out here.
    return st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


_IRIS = st.sampled_from(["https://example.edu/a", "urn:uuid:4ca4a241-fc3b-4d92-978e",
                         "did:example:123", "https://example.org/issuers/1#key"])


@st.composite
def open_badges(draw: st.DrawFn) -> dict[str, Any]:
    """Open Badges 3.0 credentials of varying shape and content."""
    achievement: dict[str, Any] = {
        "id": draw(_IRIS), "type": ["Achievement"], "name": draw(_text()),
        "criteria": {"narrative": draw(_text())},
    }
    if draw(st.booleans()):
        achievement["description"] = draw(_text())
    if draw(st.booleans()):
        achievement["achievementType"] = draw(st.sampled_from(["Badge", "MicroCredential"]))
    if draw(st.booleans()):
        achievement["creditsAvailable"] = draw(st.floats(0, 60) | st.integers(0, 60))
    alignments = draw(st.lists(st.fixed_dictionaries({
        "type": st.just(["Alignment"]), "targetName": _text(), "targetUrl": _IRIS}), max_size=3))
    if alignments:
        achievement["alignment"] = alignments
    subject: dict[str, Any] = {"type": ["AchievementSubject"], "achievement": achievement}
    if draw(st.booleans()):
        subject["id"] = draw(_IRIS)
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": draw(_IRIS), "type": ["Profile"], "name": draw(_text())},
        "validFrom": "2010-01-01T00:00:00Z",
        "name": draw(_text()),
        "credentialSubject": subject,
    }
    if draw(st.booleans()):
        credential["id"] = draw(_IRIS)
    return credential


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(credential=open_badges())
def test_the_fast_path_gives_the_plain_paths_bytes(loader: ContextLoader,
                                                   credential: dict[str, Any]) -> None:
    """Memoized context processing changes nothing: byte-identical N-Quads on any credential."""
    fast = rdfc_canonicalize(credential, document_loader=loader)
    assert fast == rdfc_canonicalize_plain(credential, document_loader=loader)
    assert fast == _pyoxigraph_canonical(credential, loader)


def test_control_characters_are_escaped_as_rdfc_1_0_requires(loader: ContextLoader) -> None:
    """Canonical N-Quads escape \\b, \\f and other controls (rdf-canonize 4 does the same)."""
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "VerifiableCredential", "name": "a\bb\fc\x01d\x7fe\tf"}
    canonical = rdfc_canonicalize(document, document_loader=loader)
    assert '"a\\bb\\fc\\u0001d\\u007Fe\\tf"' in canonical
    # PyLD's normalize predates RDFC-1.0's canonical N-Quads and writes them raw; this is why
    # credstack canonicalizes with pyoxigraph.
    assert "\b" in rdfc_canonicalize_plain(document, document_loader=loader)


def test_each_loader_keeps_its_own_contexts(shared_ref: Path, loader: ContextLoader) -> None:
    """What one loader says a context URL means never answers for another loader."""
    document = _unsigned(shared_ref, W3C_RDFC_VECTORS[0])
    url = "https://www.w3.org/ns/credentials/examples/v2"
    other = loader.with_documents({url: {"@context": {
        "@vocab": "https://vocab.example/other#"}}})
    assert "https://www.w3.org/ns/credentials/examples#alumniOf" in rdfc_canonicalize(
        document, document_loader=loader)
    assert "https://vocab.example/other#alumniOf" in rdfc_canonicalize(
        document, document_loader=other)
    without = ContextLoader({u: d for u, d in read_contexts(shared_ref).items() if u != url})
    with pytest.raises(UnknownContextError):
        rdfc_canonicalize(document, document_loader=without)


# --- safe mode --------------------------------------------------------------------------------

def _ob(shared_ref: Path) -> dict[str, Any]:
    return _unsigned(shared_ref, ONE_EDTECH_RDFC_VECTORS[0])


@pytest.mark.parametrize("canonicalize", [rdfc_canonicalize, rdfc_canonicalize_plain])
def test_an_undefined_term_is_an_error_not_dropped(shared_ref: Path, loader: ContextLoader,
                                                   canonicalize: Any) -> None:
    """A top-level term the contexts do not define raises UndefinedTermError, naming it."""
    document = dict(_ob(shared_ref), undefinedTerm="IfDroppedWillVerify")
    with pytest.raises(UndefinedTermError, match="undefinedTerm"):
        canonicalize(document, document_loader=loader)


def test_a_nested_undefined_term_is_an_error(shared_ref: Path, loader: ContextLoader) -> None:
    """An undefined term inside credentialSubject is refused as well."""
    document = _ob(shared_ref)
    document["credentialSubject"] = dict(document["credentialSubject"], invalidTerm="x")
    with pytest.raises(UndefinedTermError, match="invalidTerm"):
        rdfc_canonicalize(document, document_loader=loader)


def test_the_undefined_terms_context_defines_them(shared_ref: Path,
                                                  loader: ContextLoader) -> None:
    """With VC 2.0's undefined-terms context (an @vocab), the same term expands and is kept."""
    document = dict(_ob(shared_ref), undefinedTerm="kept")
    document["@context"] = [*document["@context"],
                            "https://www.w3.org/ns/credentials/undefined-terms/v2"]
    canonical = rdfc_canonicalize(document, document_loader=loader)
    assert '<https://www.w3.org/ns/credentials/undefined-term#undefinedTerm> "kept"' in canonical


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("id",), "relative-iri"),
        (("issuer", "id"), "issuers/565049"),
        (("credentialSubject", "id"), "456321"),
        (("credentialSubject", "achievement", "id"), "../teamwork"),
        (("type",), ["VerifiableCredential", "OpenBadgeCredential", "https:x y"]),
    ],
)
def test_relative_iris_are_refused(shared_ref: Path, loader: ContextLoader,
                                   path: tuple[str, ...], value: Any) -> None:
    """The base IRI is null: a relative IRI cannot become RDF, and is an error, not dropped."""
    document = _ob(shared_ref)
    target = document
    for name in path[:-1]:
        target[name] = dict(target[name])
        target = target[name]
    target[path[-1]] = value
    with pytest.raises(MalformedCredentialError):
        rdfc_canonicalize(document, document_loader=loader)


def test_an_unknown_context_is_the_loaders_error(shared_ref: Path, loader: ContextLoader) -> None:
    """A context the loader does not hold raises UnknownContextError; nothing is fetched."""
    document = _ob(shared_ref)
    document["@context"] = [*document["@context"], "https://contexts.example/unknown.jsonld"]
    with pytest.raises(UnknownContextError):
        rdfc_canonicalize(document, document_loader=loader)
    assert loader.requests[-1] == "https://contexts.example/unknown.jsonld"


@pytest.mark.parametrize(
    "document",
    [
        {"name": "no context at all"},
        {"@context": 5, "name": "x"},
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "@id": 5},
    ],
    ids=["no-context", "context-number", "id-number"],
)
def test_unprocessable_json_ld_is_malformed(loader: ContextLoader, document: Any) -> None:
    """Whatever JSON-LD cannot process, or RDF cannot say, is a MalformedCredentialError."""
    with pytest.raises(MalformedCredentialError):
        rdfc_canonicalize(document, document_loader=loader)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "Ed25519Signature2020"}, "DataIntegrityProof"),
        ({"cryptosuite": "eddsa-jcs-2022"}, "eddsa-rdfc-2022"),
        ({"created": "yesterday"}, "dateTime"),
        ({"created": "2023-02-30T00:00:00Z"}, "dateTime"),
    ],
)
def test_proof_configuration_checks_its_options(shared_ref: Path, loader: ContextLoader,
                                                change: dict[str, str], message: str) -> None:
    """The options must name this suite, and ``created`` must be an XML dateTime."""
    vector = W3C_RDFC_VECTORS[0]
    with raises_saying(MalformedCredentialError, message):
        eddsa_rdfc_2022.configure(_unsigned(shared_ref, vector),
                                  {**_options(shared_ref, vector), **change},
                                  document_loader=loader)


def test_only_ed25519_keys_sign_or_verify(shared_ref: Path, loader: ContextLoader) -> None:
    """A P-256 key is refused by an EdDSA suite, for signing and for verifying."""
    vector = W3C_RDFC_VECTORS[0]
    document, options = _unsigned(shared_ref, vector), _options(shared_ref, vector)
    p256 = KeyPair.generate(KeyType.P256)
    with raises_saying(MalformedCredentialError, "Ed25519"):
        eddsa_rdfc_2022.create_proof(document, options, key=p256, document_loader=loader)
    proof = read_json(vector.path(shared_ref, "signedDataInt.json"))["proof"]
    with raises_saying(MalformedCredentialError, "Ed25519"):
        eddsa_rdfc_2022.verify_proof(document, proof, public_key=p256.public_key,
                                     document_loader=loader)


def test_a_lone_surrogate_is_malformed_not_a_crash() -> None:
    """A string with a lone surrogate (no UTF-8 form) is refused as a malformed credential."""
    from credstack.adapters.resolvers.contexts import document_loader

    document = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"], "issuer": "did:example:1",
                "credentialSubject": {"id": "did:example:2", "name": "x\ud800y"}}
    with raises_saying(MalformedCredentialError, "lone surrogate"):
        rdfc_canonicalize(document, document_loader=document_loader())
