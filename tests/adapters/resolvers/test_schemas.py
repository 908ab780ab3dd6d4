"""The bundled JSON Schemas: pinned, valid, offline, and right about Open Badges 3.0."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest
from jsonschema import Draft201909Validator, Draft202012Validator, validators
from referencing.exceptions import Unresolvable

from credstack.adapters.resolvers import schemas
from credstack.adapters.resolvers.schemas import (
    bundled_schema,
    bundled_schemas,
    schema_registry,
    verify_bundle,
)
from credstack.adapters.resolvers.schemas.references import schema_references
from credstack.core.verification.pipeline import VerificationState, credential_schema
from credstack.core.verification.runner import worded
from credstack.words import words
from tests.adapters.resolvers.conftest import assert_a_changed_file_is_named

BUNDLE = resources.files(schemas.__name__)
MANIFEST: dict[str, Any] = json.loads(BUNDLE.joinpath("manifest.json").read_bytes())
ENTRIES: dict[str, dict[str, Any]] = MANIFEST["schemas"]

OB = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
ACHIEVEMENT = OB + "ob_v3p0_achievementcredential_schema.json"
PROFILE = OB + "ob_v3p0_profile_schema.json"

#: The dialects credstack validates with, by ``$schema`` (with or without the empty fragment).
DIALECTS = {
    "https://json-schema.org/draft/2019-09/schema": Draft201909Validator,
    "https://json-schema.org/draft/2020-12/schema": Draft202012Validator,
}

#: ../shared/ref/examples/ob-v3p0/validator fixtures the AchievementCredential schema accepts:
#: the VC 2.0 ones whose faults (if any) are not in their shape.
VALID_EXAMPLES = [
    "simple.json",
    "complete.json",
    "simple-did-key-method.json",
    "simple-did-web-method.json",
    "simple-context-alias.json",
    "simple-context-version.json",
    "simple-multiple-proofs.json",
    "bit-string-list/credential-status-revoked.json",
]

#: Fixtures that break the schema, with a fragment of the first error's message: wrong types
#: (the validator's own *-type fixtures) and VC 1.1-era credentials, which OB 3.0 no longer
#: allows (the schema wants the VC 2.0 context first).
INVALID_EXAMPLES = {
    "simple-err-type.json": "is not valid under any of the given schemas",
    "simple-err-credential-subject-type.json": "is not valid under any of the given schemas",
    "simple-err-issuer-type.json": "is not valid under any of the given schemas",
    "simple_v1.json": "https://www.w3.org/2018/credentials/v1",
    "complete_v1.json": "https://www.w3.org/2018/credentials/v1",
}


def _file(url: str) -> bytes:
    return BUNDLE.joinpath(ENTRIES[url]["file"]).read_bytes()


def _validator(url: str) -> Any:
    """The validator the pipeline's credential-schema step builds, plus the offline registry."""
    schema = bundled_schema(url)
    assert schema is not None
    return validators.validator_for(schema)(schema, registry=schema_registry())


def _example(shared_ref: Path, name: str) -> dict[str, Any]:
    path = shared_ref / "examples" / "ob-v3p0" / "validator" / name
    document: dict[str, Any] = json.loads(path.read_bytes())
    return document


# --- the bundle ------------------------------------------------------------------------------


def test_bundle_matches_its_manifest():
    """verify_bundle() re-hashes every file and finds each as the manifest pins it."""
    verify_bundle()


def test_the_open_badges_credential_schema_is_bundled():
    """What OB 3.0 credentials name in credentialSchema is held, with the Profile schema."""
    assert {ACHIEVEMENT, PROFILE} <= set(ENTRIES)


@pytest.mark.parametrize("url", sorted(ENTRIES))
def test_manifest_digest_is_the_file_digest(url):
    """Each manifest entry names a shipped file, its package version and its SHA-256."""
    entry = ENTRIES[url]
    assert hashlib.sha256(_file(url)).hexdigest() == entry["sha256"]
    package = MANIFEST["packages"][entry["package"]]
    assert entry["version"] == package["version"]
    assert len(package["sha256"]) == 64


def test_every_package_licence_ships():
    """Each source package's licence notice is in LICENSES/, with the README naming it."""
    readme = BUNDLE.joinpath("LICENSES/README.md").read_text(encoding="utf-8")
    for name, package in MANIFEST["packages"].items():
        text = BUNDLE.joinpath(package["licence"]).read_text(encoding="utf-8")
        assert "license" in text.lower(), name
        assert f"`{name}` {package['version']}" in readme
    assert "1EdTech" in readme


def test_verify_bundle_refuses_a_changed_file(monkeypatch):
    """One changed byte in one bundled file makes verify_bundle() raise, naming the file."""
    assert_a_changed_file_is_named(monkeypatch, schemas, "ob_v3p0_profile_schema.json",
                                   b'"required"', b'"Required"')


@pytest.mark.parametrize("url", sorted(ENTRIES))
def test_every_bundled_schema_is_a_valid_schema_of_its_dialect(url):
    """Each file declares 2019-09 or 2020-12, is a valid schema of it, and has the URL as $id."""
    document = json.loads(_file(url))
    dialect = document["$schema"].removesuffix("#")
    assert dialect in DIALECTS
    assert validators.validator_for(document, default=None) is DIALECTS[dialect]
    DIALECTS[dialect].check_schema(document)
    assert document["$id"] == url


@pytest.mark.parametrize("url", sorted(ENTRIES))
def test_every_reference_resolves_inside_the_bundle(url, no_network):
    """Every $ref points into the bundle (today: inside the schema itself) and resolves offline."""
    document = json.loads(_file(url))
    registry = schema_registry()
    found = list(schema_references(document, url))
    assert found, "the 1EdTech schemas use $defs; finding none means the walk is broken"
    for written, base in found:
        assert urldefrag(urljoin(base, written)).url in ENTRIES, written
        registry.resolver(base_uri=base).lookup(written)


# --- the lookup ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", sorted(ENTRIES))
def test_lookup_serves_every_bundled_schema(url, no_network):
    """bundled_schema(url) is the parsed file; an empty fragment names the same schema."""
    assert bundled_schema(url) == json.loads(_file(url))
    assert bundled_schema(url + "#") == json.loads(_file(url))


@pytest.mark.parametrize("url", [
    *MANIFEST["not_bundled"],
    ACHIEVEMENT + "#/$defs/Profile",
    ACHIEVEMENT.replace("https:", "http:"),
    "https://example.com/schema.json",
    "",
])
def test_lookup_answers_none_for_anything_else_without_fetching(url, no_network):
    """Unbundled schemas (CLR, endorsement, VC 2.0 …) are not held: None, with no attempt to
    reach the network (``no_network`` fails the test on any, even one caught inside)."""
    assert bundled_schema(url) is None


def test_returned_schemas_cannot_corrupt_the_cache():
    """Changing a schema the lookup returned does not change the next answer."""
    first = bundled_schema(ACHIEVEMENT)
    assert isinstance(first, dict)
    first["required"].clear()
    first["$defs"].clear()
    everything = bundled_schemas()
    everything[ACHIEVEMENT]["required"] = []
    assert bundled_schema(ACHIEVEMENT) == json.loads(_file(ACHIEVEMENT))
    assert {url: json.loads(_file(url)) for url in ENTRIES} == bundled_schemas()


# --- offline references ----------------------------------------------------------------------


def test_unknown_ref_is_an_error_not_a_fetch(no_network):
    """With the registry, a $ref to an unbundled URL raises Unresolvable, with no attempt to
    reach the network (``no_network`` fails the test on any, even one caught inside)."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$ref": "https://example.com/not-bundled.json"}
    validator = validators.validator_for(schema)(schema, registry=schema_registry())
    with pytest.raises(Unresolvable, match="not-bundled"):
        list(validator.iter_errors({}))


def test_a_ref_to_a_bundled_schema_resolves_offline(shared_ref: Path, no_network):
    """Another schema may refer to a bundled one by URL; the registry serves it."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": ACHIEVEMENT}
    validator = validators.validator_for(schema)(schema, registry=schema_registry())
    assert list(validator.iter_errors(_example(shared_ref, "simple.json"))) == []
    assert any("credentialSubject" in error.message for error in validator.iter_errors({}))


# --- Open Badges 3.0 -------------------------------------------------------------------------


@pytest.mark.parametrize("name", VALID_EXAMPLES)
def test_open_badges_examples_validate(shared_ref: Path, name: str, no_network):
    """The 1EdTech validator's well-formed OB 3.0 fixtures match the bundled schema."""
    errors = [error.message for error in _validator(ACHIEVEMENT).iter_errors(
        _example(shared_ref, name))]
    assert errors == []


def test_open_badges_test_vector_validates(shared_ref: Path, no_network):
    """The 1EdTech eddsa-rdfc-2022 test vector credential (one proof object) matches too."""
    path = shared_ref / "vectors" / "ob-v3p0-eddsa-rdfc-2022" / "credential-signed.json"
    assert list(_validator(ACHIEVEMENT).iter_errors(json.loads(path.read_bytes()))) == []


@pytest.mark.parametrize(("name", "message"), sorted(INVALID_EXAMPLES.items()))
def test_malformed_open_badges_examples_fail(shared_ref: Path, name: str, message: str,
                                             no_network):
    """Wrong types and VC 1.1-era credentials do not match the OB 3.0 schema."""
    errors = list(_validator(ACHIEVEMENT).iter_errors(_example(shared_ref, name)))
    assert errors
    assert any(message in error.message for error in errors), [e.message for e in errors]


def test_a_credential_without_a_subject_fails(shared_ref: Path, no_network):
    """credentialSubject is required."""
    credential = _example(shared_ref, "simple.json")
    del credential["credentialSubject"]
    errors = [error.message for error in _validator(ACHIEVEMENT).iter_errors(credential)]
    assert "'credentialSubject' is a required property" in errors


def test_the_issuer_profile_validates_against_the_profile_schema(shared_ref: Path, no_network):
    """The issuer of complete.json is a Profile the Profile schema accepts; one without a
    type is not."""
    issuer = _example(shared_ref, "complete.json")["issuer"]
    assert list(_validator(PROFILE).iter_errors(issuer)) == []
    del issuer["type"]
    assert list(_validator(PROFILE).iter_errors(issuer))


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_bundle_is_the_schema_purl_serves(shared_ref: Path, name: str):
    """Each bundled file is byte-identical to the copy in ../shared/ref that was vendored from
    the purl URL (the "JSON-LD Schema adaptation", not the formal gh-pages build)."""
    filename = name.rsplit("/", 1)[1]
    reference = shared_ref / "schemas" / "ob-v3p0" / "json-ld" / filename
    assert hashlib.sha256(reference.read_bytes()).hexdigest() == ENTRIES[name]["sha256"]
    formal = shared_ref / "schemas" / "ob-v3p0" / "json" / filename
    assert hashlib.sha256(formal.read_bytes()).hexdigest() != ENTRIES[name]["sha256"]


# --- the pipeline step -----------------------------------------------------------------------


def _state(credential: dict[str, Any]) -> VerificationState:
    def unused(*args: object, **kwargs: object) -> Any:
        raise AssertionError("the credential-schema step uses no other seam")

    return VerificationState(
        input=credential, document_loader=unused, resolve_verification_method=unused,
        fetch_status_list=None, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
        programme_lookup=unused, credential=credential, words=words,
    )


def test_the_pipeline_step_checks_against_the_bundled_schema(shared_ref: Path, no_network):
    """credential_schema(bundled_schema) passes complete.json, fails it without a subject, and
    only notes a schema it does not hold."""
    step = credential_schema(bundled_schema)
    credential = _example(shared_ref, "complete.json")
    assert credential["credentialSchema"][0]["id"] == ACHIEVEMENT
    check = step(_state(credential))
    assert check.ok is True, check
    assert check.details["schemas"] == [ACHIEVEMENT]
    del credential["credentialSubject"]
    check = step(_state(credential))
    assert check.ok is False
    assert check.code == "schema"
    credential = _example(shared_ref, "complete.json")
    credential["credentialSchema"] = [{"id": MANIFEST["not_bundled"][0],
                                       "type": "1EdTechJsonSchemaValidator2019"}]
    check = step(_state(credential))
    assert check.ok is True
    assert [notice.code for notice in check.warnings] == ["schema-not-available"]
    # Worded as before its words moved into the catalogues (issue 53).
    url = MANIFEST["not_bundled"][0]
    assert [(notice.message_en, notice.message_ja) for notice in worded(check, words).warnings] \
        == [(f"the JSON Schema {url} is not held: not checked",
             f"JSON スキーマ {url} を保持していないため確認していません")]
