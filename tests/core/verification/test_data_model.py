"""The VC Data Model gate, pure: each rule's code, location, JSON pointer and message key
(worded in both languages); the digests of related resources; every rule covered by a test
here or over HTTP (``tests/entrypoints/web/api/test_credentials_data_model.py``)."""

from __future__ import annotations

import base64
import copy
import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credstack.core.said import Said
from credstack.core.verification.data_model import (
    RULES,
    credential_problems,
    envelope_problems,
)
from credstack.core.verification.report import Notice
from credstack.errors import Problem, json_pointer
from credstack.words import words
from tests.entrypoints.web.api.test_credentials_data_model import BROKEN

VC2 = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
HELD = b'{"@context": {"held": "https://example.org/held#"}}'
HELD_URL = "https://example.org/held/v1"


def read(url: str) -> bytes | None:
    return HELD if url == HELD_URL else None


def credential(**changes: Any) -> dict[str, Any]:
    document = {"@context": [VC2], "type": ["VerifiableCredential"],
                "issuer": "did:example:issuer",
                "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}}
    document.update(changes)
    return {key: value for key, value in document.items() if value is not ...}


def _changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """A credential of the HTTP table (:data:`BROKEN`), broken as it breaks it."""
    document = copy.deepcopy(credential())
    change(document)
    return document


def problems_of(document: dict[str, Any]) -> tuple[list[Problem], list[Notice]]:
    problems: list[Problem] = []
    notices: list[Notice] = []
    credential_problems(document, problems, notices, read_resource=read)
    return problems, notices


#: (case, document, rule, JSON pointer): the rules the HTTP table does not reach (the issuer
#: fills in @context and issuer, so only a verifier meets their breach).
CASES = [
    ("no @context", credential(**{"@context": ...}), "context-required", "/@context"),
    ("@context a number", credential(**{"@context": 7}), "context-shape", "/@context"),
    ("another base context", credential(**{"@context": ["https://example.org/v1"]}),
     "context-base", "/@context/0"),
    ("a context item that is neither", credential(**{"@context": [VC2, 7]}), "context-item",
     "/@context/1"),
    ("no type", credential(type=...), "type-required", "/type"),
    ("type a number", credential(type=7), "type-shape", "/type"),
    ("no issuer", credential(issuer=...), "issuer-required", "/issuer"),
    ("issuer not a URL", credential(issuer="Hokuto"), "issuer-url", "/issuer"),
    ("issuer object without a URL id", credential(issuer={"name": "Hokuto"}), "issuer-url",
     "/issuer/id"),
    ("VC 1.1 without issuanceDate", credential(**{"@context": [VC1]}),
     "issuance-date-required", "/issuanceDate"),
    ("a status that is no object", credential(credentialStatus=["revoked"]),
     "property-object", "/credentialStatus/0"),
    ("a malformed digestSRI",
     credential(relatedResource={"id": HELD_URL, "digestSRI": "sha1-abc"}),
     "related-resource-digest-form", "/relatedResource/digestSRI"),
    ("a wrong digest of a held resource",
     credential(relatedResource={"id": HELD_URL, "digestSRI": "sha256-" + base64.b64encode(
         hashlib.sha256(b"other").digest()).decode()}),
     "related-resource-digest-mismatch", "/relatedResource/digestSRI"),
]


@pytest.mark.parametrize(("document", "rule", "pointer"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_each_rule_is_named_with_its_pointer_in_both_languages(document: dict[str, Any],
                                                               rule: str, pointer: str) -> None:
    problems, _ = problems_of(document)
    assert (rule, pointer) in {(problem.rule, problem.pointer) for problem in problems}
    for problem in problems:
        assert problem.rule in RULES and problem.code.startswith("verification.data_model.")
        said = Said(problem.code, **problem.params)
        assert all(words(said, language) not in {"", problem.code} for language in ("en", "ja"))


def test_every_rule_has_a_test() -> None:
    """Each code of the gate is exercised here or in the HTTP table (issuer and verifier),
    or by the envelope test."""
    covered = {case[2] for case in CASES} | {case[2] for case in BROKEN} | {"envelope-context"}
    assert covered == set(RULES)


def test_a_well_formed_credential_breaks_nothing() -> None:
    assert problems_of(credential()) == ([], [])


@pytest.mark.parametrize("digest", [
    {"digestSRI": "sha384-" + base64.b64encode(hashlib.sha384(HELD).digest()).decode()},
    {"digestSRI": "sha256-" + base64.b64encode(hashlib.sha256(HELD).digest()).decode()
                  + " sha512-" + base64.b64encode(hashlib.sha512(HELD).digest()).decode()},
    {"digestMultibase": "u" + base64.urlsafe_b64encode(
        b"\x12\x20" + hashlib.sha256(HELD).digest()).decode().rstrip("=")},
    {"digestMultibase": ["u" + base64.urlsafe_b64encode(
        b"\x20\x30" + hashlib.sha384(HELD).digest()).decode().rstrip("=")]},
])
def test_the_right_digest_of_a_held_resource_passes(digest: dict[str, Any]) -> None:
    problems, notices = problems_of(credential(relatedResource={"id": HELD_URL, **digest}))
    assert problems == [] and notices == []


def test_a_resource_credstack_does_not_hold_is_noted_not_fetched() -> None:
    """Its digest is well formed but cannot be computed offline: a notice, not an error."""
    problems, notices = problems_of(credential(relatedResource={
        "id": "https://example.org/elsewhere", "digestSRI": "sha384-" + "A" * 64}))
    assert problems == []
    assert [notice.code for notice in notices] == ["related-resource-not-checked"]


@pytest.mark.parametrize(("envelope", "pointer"), [
    ({"@context": []}, "/@context"), ({}, "/@context"),
    ({"@context": ["https://example.org/v1"]}, "/@context")])
def test_an_envelope_holds_the_base_context(envelope: dict[str, Any], pointer: str) -> None:
    problems: list[Problem] = []
    envelope_problems({**envelope, "type": "EnvelopedVerifiableCredential"}, problems)
    assert [(problem.rule, problem.pointer) for problem in problems] == [
        ("envelope-context", pointer)]
    ok: list[Problem] = []
    envelope_problems({"@context": VC2, "type": "EnvelopedVerifiableCredential"}, ok)
    assert ok == []


@pytest.mark.parametrize(("location", "pointer"), [
    ("", ""), ("@context[0]", "/@context/0"), ("credentialSubject[1].id",
                                                "/credentialSubject/1/id"),
    ("credential.relatedResource[0].digestSRI", "/credential/relatedResource/0/digestSRI"),
    ("a/b~c", "/a~1b~0c")])
def test_locations_become_json_pointers(location: str, pointer: str) -> None:
    assert json_pointer(location) == pointer


#: Documents that break every rule in each of its wordings, or that the gate notes something
#: of: (name, document, whether it is an envelope).
WORDED: list[tuple[str, dict[str, Any], bool]] = [
    *((name, document, False) for name, document, _, _ in CASES),
    *((name, _changed(change), False) for name, change, _, _ in BROKEN),
    ("a context item that is no URL", credential(**{"@context": [VC2, "not a URL"]}), False),
    ("an issuer object without id", credential(issuer={"name": "Hokuto"}), False),
    ("a VC 1.1 credential with bad dates", credential(**{
        "@context": [VC1], "issuanceDate": "yesterday", "expirationDate": "2020-01-01"}), False),
    ("a VC 1.1 credential issued after it expires", credential(**{
        "@context": [VC1], "issuanceDate": "2026-01-01T00:00:00Z",
        "expirationDate": "2025-01-01T00:00:00"}), False),
    ("a refresh service", credential(refreshService={
        "type": "ManualRefresh", "id": "https://example.org/refresh"}), False),
    ("resources not held", credential(relatedResource=[
        {"id": "https://example.org/a", "digestSRI": "sha384-" + "A" * 64},
        {"id": "https://example.org/b", "digestSRI": "sha384-" + "A" * 64}]), False),
    ("no related resources", credential(relatedResource=[]), False),
    ("a related resource that is a number", credential(relatedResource=[7]), False),
    ("malformed digests", credential(relatedResource={
        "id": HELD_URL, "digestSRI": "md5-abc", "digestMultibase": ["zabc", 7]}), False),
    ("ids that are no URLs", credential(
        credentialSubject=[{"id": "learner 7", "name": "A"}, 7, {}],
        evidence={"type": "Evidence", "id": "evidence 7"}), False),
    ("an empty envelope", {"@context": [], "type": "EnvelopedVerifiableCredential"}, True),
    ("an envelope without the base context", {
        "@context": ["https://example.org/v1"], "type": "EnvelopedVerifiableCredential"}, True),
]
#: What the gate said of each, recorded before its words moved into the catalogues (issue 53):
#: each problem as an ``errors`` item (rule, pointer, English and Japanese) and each notice.
RECORDED_WORDS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data_model_words.json").read_text(encoding="utf-8"))


def _worded(problem: Problem) -> dict[str, str]:
    said = Said(problem.code, **problem.params)
    return dataclasses.replace(problem, message=words(said, "en"),
                               message_ja=words(said, "ja")).to_dict()


@pytest.mark.parametrize(("name", "document", "envelope"), WORDED,
                         ids=[case[0] for case in WORDED])
def test_every_problem_and_notice_says_what_it_said(name: str, document: dict[str, Any],
                                                    envelope: bool) -> None:
    """In English and Japanese, word for word as before the move into the catalogues."""
    problems: list[Problem] = []
    notices: list[Notice] = []
    if envelope:
        envelope_problems(document, problems)
    else:
        credential_problems(document, problems, notices, read_resource=read)
    assert {"problems": [_worded(problem) for problem in problems],
            "notices": [[notice.code, *(words(notice.said, language) for language in ("en", "ja"))]
                        for notice in notices if notice.said is not None]} == RECORDED_WORDS[name]
