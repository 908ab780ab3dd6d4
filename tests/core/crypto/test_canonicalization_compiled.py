"""The compiled RDFC path gives the expanded path's bytes and signatures, or falls back."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credstack.core.credentials.openbadges_v3 import IssuerProfile, build_open_badge_credential
from credstack.core.crypto import KeyPair, KeyType, rdfc, shapes
from credstack.core.crypto.canonicalization import (
    _engine,
    jsonld_expand,
    jsonld_to_rdf,
    rdfc_canonicalize,
    rdfc_canonicalize_compiled,
    rdfc_canonicalize_plain,
    rdfc_check,
)
from credstack.core.crypto.multibase import encode_base58btc
from credstack.core.descriptors.models import Award, Programme
from credstack.core.dids import did_key
from credstack.core.proofs import sign_data_integrity
from credstack.demo import load_demo_documents
from credstack.errors import CredstackError, MalformedCredentialError
from tests.core.proofs.vectors import (
    ECDSA_RDFC_VECTORS,
    ONE_EDTECH_RDFC_VECTORS,
    W3C_RDFC_VECTORS,
    ContextLoader,
    read_json,
    shared_loader,
)

KEY = KeyPair.from_secret_bytes(KeyType.ED25519, bytes(range(32)))
METHOD = did_key.verification_method_id(KEY.public_key)
CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


@pytest.fixture
def loader(shared_ref: Path) -> ContextLoader:
    """The loader over ``../shared/ref/contexts``."""
    return shared_loader(shared_ref)


def expanded_path(document: dict[str, Any], loader: ContextLoader,
                  hash_algorithm: rdfc.HashAlgorithm = "sha256") -> str:
    """The canonical form by expansion, never from a compiled shape."""
    return rdfc.canonicalize(jsonld_to_rdf(jsonld_expand(document, document_loader=loader)),
                             hash_algorithm=hash_algorithm)


def compiled(document: dict[str, Any], loader: ContextLoader,
             hash_algorithm: rdfc.HashAlgorithm = "sha256") -> str | None:
    return rdfc_canonicalize_compiled(document, document_loader=loader,
                                      hash_algorithm=hash_algorithm)


def learner_variant(document: Any, suffix: str) -> Any:
    """A copy where every IRI, date and multi-word text is another learner's: each string
    holding a colon or a space gets ``suffix`` (contexts and types are left alone)."""
    if isinstance(document, str):
        return document + suffix if (":" in document or " " in document) else document
    if isinstance(document, dict):
        return {name: value if name in ("@context", "type", "@type")
                else learner_variant(value, suffix) for name, value in document.items()}
    if isinstance(document, list):
        return [learner_variant(item, suffix) for item in document]
    return document


def _vector_documents(ref: Path) -> list[tuple[str, dict[str, Any], rdfc.HashAlgorithm]]:
    documents: list[tuple[str, dict[str, Any], rdfc.HashAlgorithm]] = []
    for vector in W3C_RDFC_VECTORS + ONE_EDTECH_RDFC_VECTORS:
        documents.append((vector.name, read_json(ref / "vectors" / vector.unsigned), "sha256"))
    for ecdsa in ECDSA_RDFC_VECTORS:
        algorithm: rdfc.HashAlgorithm = "sha384" if ecdsa.key_type is KeyType.P384 else "sha256"
        documents.append((f"ecdsa-{ecdsa.name}", ecdsa.document(ref), algorithm))
        documents.append((f"ecdsa-{ecdsa.name}-proof-configuration", ecdsa.config(ref),
                          algorithm))
    return documents


VECTOR_NAMES = ["alumni", "employment", "ob-v3p0", "clr-v2p0",
                *(f"ecdsa-{v.name}{part}" for v in ECDSA_RDFC_VECTORS
                  for part in ("", "-proof-configuration"))]


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_every_vector_compiles_to_the_expanded_paths_bytes(shared_ref: Path,
                                                           loader: ContextLoader,
                                                           name: str) -> None:
    """Each W3C and 1EdTech RDFC vector, met twice, is compiled and gives the same bytes."""
    _, document, algorithm = next(item for item in _vector_documents(shared_ref)
                                  if item[0] == name)
    expected = expanded_path(document, loader, algorithm)
    for _ in range(2):
        assert rdfc_canonicalize(document, document_loader=loader,
                                 hash_algorithm=algorithm) == expected
    assert compiled(document, loader, algorithm) == expected


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_another_learner_of_a_vectors_shape_gets_the_expanded_paths_bytes(
        shared_ref: Path, loader: ContextLoader, name: str) -> None:
    """Other ids, dates and texts in a vector's shape: the compiled path's bytes are the
    expanded path's (or the compiled path steps aside)."""
    _, document, algorithm = next(item for item in _vector_documents(shared_ref)
                                  if item[0] == name)
    for _ in range(2):
        rdfc_canonicalize(document, document_loader=loader, hash_algorithm=algorithm)
    for suffix in ("-1", "/2", " 山田 𠀋"):
        variant = learner_variant(document, suffix)
        expected = _outcome(variant, loader, lambda d, ld: expanded_path(d, ld, algorithm))
        assert _outcome(variant, loader, lambda d, ld: compiled(d, ld, algorithm)) in (
            None, expected)
        assert _outcome(variant, loader, lambda d, ld: rdfc_canonicalize(
            d, document_loader=ld, hash_algorithm=algorithm)) == expected


def test_a_credential_of_a_compiled_shape_is_not_expanded(shared_ref: Path,
                                                          loader: ContextLoader) -> None:
    """The 1EdTech OB 3.0 vector's shape, compiled, answers for another learner directly."""
    document = read_json(shared_ref / "vectors" / ONE_EDTECH_RDFC_VECTORS[0].unsigned)
    for _ in range(2):
        rdfc_canonicalize(document, document_loader=loader)
    variant = learner_variant(document, "-7")
    assert compiled(variant, loader) == expanded_path(variant, loader)


# --- demo programmes -------------------------------------------------------------------------

@cache
def _programmes() -> tuple[Programme, ...]:
    return tuple(programme for programme in load_demo_documents().programmes
                 if programme.awarding_body is not None)


def _demo_credential(programme: Programme, learner: int) -> dict[str, Any]:
    body = programme.awarding_body
    assert body is not None
    award = Award.model_validate({
        "learner": {"name": {"ja": f"山田花子{learner}", "en": f"Hanako Yamada {learner}"},
                    "identifiers": [{"type": "email", "value": f"learner{learner}@example.jp"}]},
        "issued_on": "2026-03-31", "grade": ["A", "B", "C"][learner % 3]})
    return build_open_badge_credential(
        programme=programme, award=award,
        issuer=IssuerProfile(id=did_key.did_from_public_key(KEY.public_key), name=body.name,
                             url=body.url, slug=body.id),
        credential_id=uuid.UUID(int=learner).urn,
        achievement_id=f"https://credstack.example/achievements/{programme.code}/v1",
        valid_from=dt.datetime(2026, 3, 31, 15, 0, tzinfo=dt.UTC),
        valid_until=dt.datetime(2036, 3, 31, 15, 0, tzinfo=dt.UTC),
        salt=f"c2FsdA{learner}")


def test_every_demo_programme_signs_the_same_on_both_paths(loader: ContextLoader) -> None:
    """A cohort of every demo programme: the compiled path's canonical forms, and so the
    eddsa-rdfc-2022 signatures, are the expanded path's."""
    from credstack.adapters.resolvers.contexts import shared_document_loader

    document_loader = shared_document_loader()
    answered = 0
    for programme in _programmes():
        for learner in range(4):
            credential = _demo_credential(programme, learner)
            created = f"2026-03-31T15:00:0{learner}Z"
            proof = sign_data_integrity(credential, key=KEY, verification_method=METHOD,
                                        cryptosuite="eddsa-rdfc-2022", created=created,
                                        document_loader=document_loader)["proof"]
            options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
                       "created": created, "verificationMethod": METHOD,
                       "proofPurpose": "assertionMethod", "@context": credential["@context"]}
            document_form = expanded_path(credential, document_loader)
            options_form = expanded_path(options, document_loader)
            signature = KEY.sign(hashlib.sha256(options_form.encode()).digest()
                                 + hashlib.sha256(document_form.encode()).digest())
            assert proof["proofValue"] == encode_base58btc(signature)
            if learner >= 2:
                answered += compiled(credential, document_loader) == document_form
    assert answered == 2 * len(_programmes())


# --- generated credentials -------------------------------------------------------------------

_ASTRAL = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF,
                        blacklist_categories=("Cs",))
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)) | _ASTRAL, max_size=20)
_GOOD_IRIS = st.one_of(
    st.builds(lambda n: f"did:example:{n}", st.integers(0, 10**12)),
    st.uuids().map(lambda value: value.urn),
    st.builds(lambda path: f"https://learners.example/{path}",
              st.text("abcxyz0189-._~%/", max_size=12)))
#: Ids the compiled path cannot fill in place: blank nodes, compact IRIs whose prefix is a
#: context term, relative references (refused by both paths).
_OTHER_IRIS = st.sampled_from(["_:learner", "xsd:learner", "schema:learner", "learner-7", ""])


@st.composite
def _learner(draw: st.DrawFn, results: int, evidence: int, language: str) -> dict[str, Any]:
    ids = _GOOD_IRIS | _OTHER_IRIS if draw(st.integers(0, 9)) == 0 else _GOOD_IRIS
    return {
        "id": draw(ids),
        "name": {"@value": draw(_TEXT), "@language": language},
        "results": [draw(_TEXT) for _ in range(results)],
        "evidence": [(draw(ids), draw(_TEXT), draw(_TEXT)) for _ in range(evidence)],
        "credential": draw(_GOOD_IRIS),
        "valid_from": draw(st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1),
                                        timezones=st.just(dt.UTC))).isoformat(),
    }


def _cohort_credential(learner: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXTS,
        "id": learner["credential"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://issuer.example/", "type": ["Profile"], "name": "北都工科大学"},
        "validFrom": learner["valid_from"],
        "name": "データ活用入門",
        "credentialSubject": {
            "id": learner["id"], "type": ["AchievementSubject"], "name": learner["name"],
            "achievement": {
                "id": "https://issuer.example/achievements/DX-101", "type": ["Achievement"],
                "name": "Data use", "criteria": {"narrative": "Pass the project."},
                "alignment": [{"type": ["Alignment"], "targetName": "Statistics",
                               "targetUrl": "https://esco.example/statistics"}]},
            "result": [{"type": ["Result"], "value": value,
                        "resultDescription": f"urn:uuid:{uuid.UUID(int=index)}"}
                       for index, value in enumerate(learner["results"])],
        },
        "evidence": [{"id": iri, "type": ["Evidence"], "name": name, "narrative": narrative}
                     for iri, name, narrative in learner["evidence"]],
    }


@st.composite
def _cohorts(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two learners of one programme shape (results, evidence, language alike)."""
    results, evidence = draw(st.integers(0, 3)), draw(st.integers(0, 2))
    language = draw(st.sampled_from(["ja", "en", "de-DE", "zh-Hant-TW"]))
    first = draw(_learner(results, evidence, language))
    second = draw(_learner(results, evidence, language))
    return _cohort_credential(first), _cohort_credential(second)


def _outcome(document: dict[str, Any], loader: ContextLoader, compute: Any) -> Any:
    try:
        return compute(document, loader)
    except CredstackError as error:
        return type(error)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cohort=_cohorts())
def test_generated_learners_get_the_expanded_paths_bytes(
        loader: ContextLoader, cohort: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Random learners — names in any script, astral characters, results, evidence, odd ids
    — of a shape compiled from another learner: the same bytes, or the same refusal."""
    first, second = cohort
    for _ in range(2):
        _outcome(first, loader, lambda d, ld: rdfc_canonicalize(d, document_loader=ld))
    expected = _outcome(second, loader, expanded_path)
    assert _outcome(second, loader,
                    lambda d, ld: rdfc_canonicalize(d, document_loader=ld)) == expected
    assert _outcome(second, loader, compiled) in (None, expected)


# --- falling back ----------------------------------------------------------------------------

_PREFIXED = {"@context": [*CONTEXTS, {"ex": "https://terms.example/"}],
             "type": ["VerifiableCredential"], "issuer": "https://issuer.example/",
             "credentialSubject": {"id": "https://learners.example/1", "name": "Hanako"}}


def _with_subject_id(document: dict[str, Any], subject_id: str) -> dict[str, Any]:
    return {**document, "credentialSubject": {**document["credentialSubject"],
                                              "id": subject_id}}


def test_a_compact_iri_id_falls_back_to_expansion(loader: ContextLoader) -> None:
    """An id whose scheme is a context's prefix is expanded, not written as it is."""
    for _ in range(2):
        rdfc_canonicalize(_PREFIXED, document_loader=loader)
    assert compiled(_with_subject_id(_PREFIXED, "https://learners.example/2"), loader)
    prefixed = _with_subject_id(_PREFIXED, "ex:learner-3")
    assert compiled(prefixed, loader) is None
    canonical = rdfc_canonicalize(prefixed, document_loader=loader)
    assert "<https://terms.example/learner-3>" in canonical
    assert canonical == expanded_path(prefixed, loader)


def test_a_blank_node_id_falls_back_to_expansion(loader: ContextLoader) -> None:
    """A learner given as a blank node is labelled by RDFC-1.0, not written as it is."""
    for _ in range(2):
        rdfc_canonicalize(_PREFIXED, document_loader=loader)
    blank = _with_subject_id(_PREFIXED, "_:learner")
    assert compiled(blank, loader) is None
    assert rdfc_canonicalize(blank, document_loader=loader) == expanded_path(blank, loader)
    assert "_:c14n0" in rdfc_canonicalize(blank, document_loader=loader)


def test_a_relative_id_is_refused_on_a_compiled_shape(loader: ContextLoader) -> None:
    """Safe mode holds on a compiled shape: a relative id is still refused."""
    for _ in range(2):
        rdfc_canonicalize(_PREFIXED, document_loader=loader)
    with pytest.raises(MalformedCredentialError, match="not an absolute IRI"):
        rdfc_canonicalize(_with_subject_id(_PREFIXED, "learner-4"), document_loader=loader)


#: As :data:`_PREFIXED`, with an id of its own: no blank node.
_NAMED = {**_PREFIXED, "id": "urn:uuid:00000000-0000-4000-8000-000000000001"}


def test_a_check_accepts_a_compiled_shape_without_writing_its_n_quads(
        loader: ContextLoader) -> None:
    """Once a shape without blank nodes is compiled, another learner's credential of it is
    accepted by the shape alone; what the full algorithm refuses is still refused: a term no
    context defines (another shape), a relative id, a string with no UTF-8 form."""
    shapes = _engine(loader).shapes
    other = _with_subject_id(_NAMED, "https://learners.example/2")
    assert not shapes.accepts(other)  # met for the first time
    for _ in range(2):
        rdfc_check(_NAMED, document_loader=loader)
    assert shapes.accepts(other)
    rdfc_check(other, document_loader=loader)
    undefined = {**other, "credentialSubject": {**other["credentialSubject"], "nickname": "H"}}
    for _ in range(3):
        with pytest.raises(MalformedCredentialError):
            rdfc_check(undefined, document_loader=loader)
    relative = _with_subject_id(_NAMED, "learner-4")
    assert not shapes.accepts(relative)
    with pytest.raises(MalformedCredentialError, match="not an absolute IRI"):
        rdfc_check(relative, document_loader=loader)
    lone = {**other, "credentialSubject": {**other["credentialSubject"], "name": "\ud800"}}
    assert not shapes.accepts(lone)
    with pytest.raises(MalformedCredentialError):
        rdfc_check(lone, document_loader=loader)


def test_a_check_of_a_shape_with_blank_nodes_runs_the_full_algorithm(
        loader: ContextLoader) -> None:
    """Labelling related blank nodes may refuse a filling of a compiled shape (RDFC-1.0's
    work limit), so a shape whose blank nodes relate to one another never accepts by itself:
    the check canonicalizes."""
    def document(first: str, second: str) -> dict[str, Any]:
        return {"@context": {"@vocab": "https://example.org/",
                             "next": {"@id": "https://example.org/next", "@type": "@id"}},
                "@id": "_:a", "name": first, "next": {"@id": "_:b", "name": second,
                                                      "next": "_:a"}}
    for _ in range(2):
        rdfc_check(document("Hanako", "Taro"), document_loader=loader)
    assert compiled(document("Jiro", "Saburo"), loader) is not None
    assert not _engine(loader).shapes.accepts(document("Jiro", "Saburo"))
    with pytest.raises(MalformedCredentialError, match="poisoning"):
        rdfc_check(document("Hanako", "Hanako"), document_loader=loader)


def test_a_check_of_a_shape_whose_blank_nodes_relate_to_none_other_needs_no_labelling(
        loader: ContextLoader) -> None:
    """Blank nodes that no quad relates to another blank node (an achievement's criteria) are
    labelled within RDFC-1.0's work limit whatever the holes hold, so such a shape accepts by
    itself, even a filling whose nodes share a first-degree hash (both named alike), and its
    N-Quads are still the full algorithm's."""
    def document(first: str, second: str) -> dict[str, Any]:
        return {"@context": {"@vocab": "https://example.org/"},
                "@id": "https://example.org/list", "item": [{"name": first},
                                                            {"name": second}]}
    for _ in range(2):
        rdfc_check(document("Hanako", "Taro"), document_loader=loader)
    shapes = _engine(loader).shapes
    for alike in (document("Jiro", "Saburo"), document("Hanako", "Hanako")):
        assert shapes.accepts(alike)
        rdfc_check(alike, document_loader=loader)
        assert compiled(alike, loader) == expanded_path(alike, loader)


def test_an_open_badge_with_criteria_is_accepted_by_its_shape(loader: ContextLoader) -> None:
    """An OB 3.0 credential whose achievement's criteria has no id (a blank node) is
    accepted by its compiled shape once met twice: served issuance's safety check then
    writes no N-Quads."""
    def document(learner: str) -> dict[str, Any]:
        return {"@context": CONTEXTS, "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "id": f"urn:uuid:{uuid.uuid4()}", "issuer": "https://issuer.example/",
                "validFrom": "2026-01-01T00:00:00Z", "name": "Data analysis",
                "credentialSubject": {
                    "type": ["AchievementSubject"], "id": learner,
                    "achievement": {"id": "urn:example:achievement:1", "type": ["Achievement"],
                                    "name": "Data analysis", "description": "Introduction",
                                    "criteria": {"narrative": "Passed the final assessment."}}}}
    shapes = _engine(loader).shapes
    for index in range(2):
        rdfc_check(document(f"did:example:learner{index}"), document_loader=loader)
    other = document("did:example:learner9")
    assert shapes.accepts(other)
    assert compiled(other, loader) == expanded_path(other, loader)


def test_a_type_alias_is_part_of_the_shape(loader: ContextLoader) -> None:
    """A string that names a type through an alias shapes the expansion: another type is
    another variant, never filled into the first one's template."""
    def document(kind: str, name: str) -> dict[str, Any]:
        return {"@context": [*CONTEXTS, {"kind": "@type"}],
                "type": ["VerifiableCredential"], "issuer": "https://issuer.example/",
                "credentialSubject": {"kind": kind, "name": name}}
    for _ in range(2):
        rdfc_canonicalize(document("AchievementSubject", "A"), document_loader=loader)
    same = document("AchievementSubject", "B")
    assert compiled(same, loader) == expanded_path(same, loader)
    other = document("Profile", "C")
    assert compiled(other, loader) is None
    assert rdfc_canonicalize(other, document_loader=loader) == expanded_path(other, loader)


def test_a_vocabulary_value_is_part_of_the_shape(loader: ContextLoader) -> None:
    """A @vocab-typed value (a proof purpose) is kept in the shape: each value compiles on
    its own, and each gives the expanded path's bytes."""
    def options(purpose: str, created: str) -> dict[str, Any]:
        return {"@context": CONTEXTS, "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022", "created": created,
                "verificationMethod": METHOD, "proofPurpose": purpose}
    for purpose in ("assertionMethod", "authentication"):
        for second in range(3):
            document = options(purpose, f"2026-01-01T00:00:0{second}Z")
            assert rdfc_canonicalize(document, document_loader=loader) == expanded_path(
                document, loader)
        later = options(purpose, "2027-01-01T00:00:00Z")
        assert compiled(later, loader) == expanded_path(later, loader)


def test_learners_that_poison_a_compiled_shape_are_refused(loader: ContextLoader) -> None:
    """Two linked blank nodes told apart by their names compile; a learner whose two names
    are equal makes them a cycle past RDFC-1.0's work limit, refused as on the other path."""
    def document(first: str, second: str) -> dict[str, Any]:
        return {"@context": {"@vocab": "https://example.org/",
                             "next": {"@id": "https://example.org/next", "@type": "@id"}},
                "@id": "_:a", "name": first, "next": {"@id": "_:b", "name": second,
                                                      "next": "_:a"}}
    for _ in range(2):
        rdfc_canonicalize(document("Hanako", "Taro"), document_loader=loader)
    other = document("Jiro", "Saburo")
    assert compiled(other, loader) == expanded_path(other, loader)
    poisoned = document("Hanako", "Hanako")
    with pytest.raises(rdfc.PoisonedDatasetError):
        expanded_path(poisoned, loader)
    with pytest.raises(MalformedCredentialError, match="poisoning"):
        compiled(poisoned, loader)
    with pytest.raises(MalformedCredentialError, match="poisoning"):
        rdfc_canonicalize(poisoned, document_loader=loader)


def test_strings_a_datatype_rewrites_fill_their_holes_as_expansion_does(
        loader: ContextLoader) -> None:
    """A string typed xsd:double is written in canonical form and a language-tagged one with
    its tag, as expansion does; a JSON literal's content is part of the shape."""
    def document(score: str, data: str, motto: str) -> dict[str, Any]:
        return {"@context": {
            "score": {"@id": "https://example.org/score",
                      "@type": "http://www.w3.org/2001/XMLSchema#double"},
            "data": {"@id": "https://example.org/data", "@type": "@json"},
            "motto": {"@id": "https://example.org/motto", "@language": "ja"}},
            "@id": "https://learners.example/1", "score": score, "data": data, "motto": motto}
    for _ in range(2):
        rdfc_canonicalize(document("1.5", "x", "一"), document_loader=loader)
    for score, motto in [("87", "二 \t"), ("not a number", "𠀋"), ("1e3", "")]:
        other = document(score, "x", motto)
        assert compiled(other, loader) == expanded_path(other, loader)
    data = document("1.5", "é\n\"", "一")
    assert compiled(data, loader) is None
    assert rdfc_canonicalize(data, document_loader=loader) == expanded_path(data, loader)


def test_learners_alternating_on_a_template_never_get_each_others_hashes(
        loader: ContextLoader) -> None:
    """A template remembers the last first-degree hash of each blank node whose quads have
    holes; learners whose results differ, in turn, each get their own canonical form."""
    def credential(grade: str, score: str) -> dict[str, Any]:
        learner = {"id": "did:example:1", "name": {"@value": "Hanako", "@language": "ja"},
                   "results": [grade, score], "evidence": [], "credential": "urn:uuid:1",
                   "valid_from": "2026-01-01T00:00:00+00:00"}
        return _cohort_credential(learner)
    cohort = [credential("A", "87"), credential("B", "87"), credential("A", "87"),
              credential("A", "60"), credential("A", "A"), credential("87", "A")]
    expected = [expanded_path(document, loader) for document in cohort]
    for _ in range(2):
        for document, canonical in zip(cohort, expected, strict=True):
            assert rdfc_canonicalize(document, document_loader=loader) == canonical
    assert compiled(cohort[-1], loader) == expected[-1]
    assert len(set(expected)) == len(expected) - 1


def test_two_learners_alternating_on_a_demo_programme_get_their_own_bytes(
        loader: ContextLoader) -> None:
    """Holes remember their last value's term and each filled quad its last line; two
    learners in turn (other ids, names, grades, salts) each get the expanded path's bytes."""
    from credstack.adapters.resolvers.contexts import shared_document_loader

    document_loader = shared_document_loader()
    programme = _programmes()[0]
    first, second = _demo_credential(programme, 1), _demo_credential(programme, 2)
    expected = {1: expanded_path(first, document_loader),
                2: expanded_path(second, document_loader)}
    assert expected[1] != expected[2]
    for learner in (1, 2, 1, 1, 2, 2, 1, 2):
        document = first if learner == 1 else second
        assert rdfc_canonicalize(document, document_loader=document_loader) == expected[learner]
    assert compiled(first, document_loader) == expected[1]
    assert compiled(second, document_loader) == expected[2]


def test_a_learner_unlike_the_first_two_is_not_given_their_shared_values(
        loader: ContextLoader) -> None:
    """A shape fills for good the holes its first two learners held alike (here grade A); a
    learner with another grade, and every learner after, gets the expanded path's bytes."""
    from credstack.adapters.resolvers.contexts import shared_document_loader

    document_loader = shared_document_loader()
    programme = _programmes()[1]
    documents = {learner: _demo_credential(programme, learner) for learner in (0, 1, 3, 4, 6)}
    expected = {learner: expanded_path(document, document_loader)
                for learner, document in documents.items()}
    for learner in (0, 0, 3, 1, 4, 0, 1, 6, 3, 4):
        assert rdfc_canonicalize(documents[learner],
                                 document_loader=document_loader) == expected[learner]
    for learner, document in documents.items():
        assert compiled(document, document_loader) == expected[learner]


# --- numbers and booleans --------------------------------------------------------------------

_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Terms a number or boolean meets: none, each numeric datatype, an IRI or vocabulary type
#: (which a number is not: it stays a value), a list; and a blank node holding one.
_NUMBERED_CONTEXT = {
    "plain": "https://example.org/plain",
    "integer": {"@id": "https://example.org/integer", "@type": f"{_XSD}integer"},
    "double": {"@id": "https://example.org/double", "@type": f"{_XSD}double"},
    "float": {"@id": "https://example.org/float", "@type": f"{_XSD}float"},
    "decimal": {"@id": "https://example.org/decimal", "@type": f"{_XSD}decimal"},
    "link": {"@id": "https://example.org/link", "@type": "@id"},
    "word": {"@id": "https://example.org/word", "@type": "@vocab"},
    "listed": {"@id": "https://example.org/listed", "@container": "@list"},
    "part": "https://example.org/part",
}
_SLOTS = ("plain", "integer", "double", "float", "decimal", "link", "word")


def _numbered(values: list[Any], learner: str = "https://learners.example/1"
              ) -> dict[str, Any]:
    """A document with a number or boolean in each slot, two in a list and one in a blank
    node (``values``: ten, in that order)."""
    document: dict[str, Any] = {"@context": _NUMBERED_CONTEXT, "@id": learner,
                                "name": "Hanako"}
    document["@context"] = {**_NUMBERED_CONTEXT, "name": "https://example.org/name"}
    document.update(zip(_SLOTS, values, strict=False))
    document["listed"] = values[7:9]
    document["part"] = {"plain": values[9]}
    return document


_INTEGERS = st.integers(-(10**25), 10**25) | st.sampled_from([0, 10**21, -(10**21), 2**53 + 1])
_FLOATS = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, -0.0, 1.5, 2.0, 64.0, 1e21, 1e-7, 5e-324, 123456789.125])
_BY_KIND = {"int": _INTEGERS, "float": _FLOATS, "bool": st.booleans()}


@st.composite
def _numbered_pair(draw: st.DrawFn) -> tuple[list[Any], list[Any]]:
    """Two graduates' values: each place holds a value of the same kind in both."""
    kinds = [draw(st.sampled_from(sorted(_BY_KIND))) for _ in range(10)]
    return ([draw(_BY_KIND[kind]) for kind in kinds],
            [draw(_BY_KIND[kind]) for kind in kinds])


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(pair=_numbered_pair())
def test_numbers_and_booleans_fill_a_compiled_shape_as_expansion_writes_them(
        loader: ContextLoader, pair: tuple[list[Any], list[Any]]) -> None:
    """Random integers (past 10^21 too), floats (-0.0, subnormals, whole ones) and booleans
    in every kind of term: a shape compiled from one graduate's numbers answers for
    another's with the bytes of PyLD's expansion and RDFC-1.0, and of PyLD's own
    toRdf and URDNA2015."""
    first, second = _numbered(pair[0]), _numbered(pair[1], "https://learners.example/2")
    for _ in range(2):
        rdfc_canonicalize(first, document_loader=loader)
    expected = expanded_path(second, loader)
    assert compiled(second, loader) == expected
    assert rdfc_canonicalize(second, document_loader=loader) == expected
    assert rdfc_canonicalize_plain(second, document_loader=loader) == expected


def test_numbers_are_written_in_their_lexical_forms(loader: ContextLoader) -> None:
    """JSON-LD 1.1 §8.6: a number with no fraction is an xsd:integer (2.0 is "2"), one with
    a fraction or from 10^21 the canonical xsd:double, a boolean "true"; a term's datatype
    is kept (a whole xsd:double written as a double)."""
    for _ in range(2):
        rdfc_canonicalize(_numbered([1.25, 3, 4.0, 1.0, 7, 8, 9, 1.0, 11.0, True]),
                          document_loader=loader)
    graduate = _numbered([2.0, 64, 2.0, 1.5, 10**21, 3, 4, 1e21, -0.0, False])
    canonical = compiled(graduate, loader)
    assert canonical == expanded_path(graduate, loader)
    xsd = f"<{_XSD}"
    for line in (f'<https://example.org/plain> "2"^^{xsd}integer>',
                 f'<https://example.org/integer> "64"^^{xsd}integer>',
                 f'<https://example.org/double> "2.0E0"^^{xsd}double>',
                 f'<https://example.org/float> "1.5E0"^^{xsd}float>',
                 f'<https://example.org/decimal> "1.0E21"^^{xsd}decimal>',
                 f'<https://example.org/link> "3"^^{xsd}integer>',
                 f'<https://example.org/word> "4"^^{xsd}integer>',
                 f'"1.0E21"^^{xsd}double>', f'"0"^^{xsd}integer>',
                 f'<https://example.org/plain> "false"^^{xsd}boolean>'):
        assert line in canonical


def test_a_number_of_another_kind_is_another_shape(loader: ContextLoader) -> None:
    """A shape compiled from a float does not answer for an integer or a boolean in its
    place (1, 1.0 and True are equal in Python, three values in JSON-LD)."""
    values = [1.5, 3, 4.0, 1.0, 7, 8, 9, 10, 11, True]
    for _ in range(2):
        rdfc_canonicalize(_numbered(values), document_loader=loader)
    for other in (1, True):
        changed = _numbered([other, *values[1:]])
        assert compiled(changed, loader) is None
        assert rdfc_canonicalize(changed, document_loader=loader) == expanded_path(changed,
                                                                                   loader)


def test_a_number_inside_a_json_literal_is_part_of_the_shape(loader: ContextLoader) -> None:
    """A number in an @json value is data, not a value of its own: another number there is
    another variant of the shape, compiled when met twice."""
    def document(score: float, data: float) -> dict[str, Any]:
        return {"@context": {"score": "https://example.org/score",
                             "data": {"@id": "https://example.org/data", "@type": "@json"}},
                "@id": "https://learners.example/1", "score": score, "data": {"n": data}}
    for _ in range(2):
        rdfc_canonicalize(document(1.5, 2.5), document_loader=loader)
    assert compiled(document(3.5, 2.5), loader) == expanded_path(document(3.5, 2.5), loader)
    other = document(3.5, 7.5)
    assert compiled(other, loader) is None
    assert rdfc_canonicalize(other, document_loader=loader) == expanded_path(other, loader)
    assert compiled(other, loader) == expanded_path(other, loader)


def test_a_document_holding_a_number_sentinel_is_not_compiled(loader: ContextLoader) -> None:
    """A number that is one of the sentinels would be taken for a hole: such a document is
    expanded every time."""
    def document(score: float) -> dict[str, Any]:
        return {"@context": {"score": "https://example.org/score"},
                "@id": "https://learners.example/1", "score": score}
    poisoned = document(shapes.number_sentinel(0))
    for _ in range(3):
        assert rdfc_canonicalize(poisoned, document_loader=loader) == expanded_path(poisoned,
                                                                                    loader)
    assert compiled(poisoned, loader) is None


def test_a_number_that_is_not_finite_falls_back_to_expansion(loader: ContextLoader) -> None:
    """NaN or an infinity (not JSON) in a number hole: the full algorithm decides."""
    def document(score: float) -> dict[str, Any]:
        return {"@context": {"score": "https://example.org/score"},
                "@id": "https://learners.example/1", "score": score}
    for _ in range(2):
        rdfc_canonicalize(document(1.5), document_loader=loader)
    for number in (float("nan"), float("inf")):
        assert compiled(document(number), loader) is None
        assert _outcome(document(number), loader, lambda d, ld: rdfc_canonicalize(
            d, document_loader=ld)) == _outcome(document(number), loader, expanded_path)


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_a_node_object_is_remembered_by_its_content_null_apart(loader: ContextLoader,
                                                               number: float) -> None:
    """An expanded node object is kept by its content and used again for the same content:
    null (dropped) and a NaN or an infinity (a double), which orjson both writes ``null``,
    are different content in whichever order they come."""
    def expanded(value: object) -> Any:
        return jsonld_expand({"@context": CONTEXTS[:1], "id": "urn:example:x",
                              "type": ["VerifiableCredential"],
                              "credentialSubject": {"id": "did:example:1", "name": "Hanako",
                                                    "https://example.org/score": value}},
                             document_loader=loader)

    subject = "https://www.w3.org/2018/credentials#credentialSubject"
    without = expanded(None)
    with_number = expanded(number)
    assert without == expanded(None)
    assert "score" not in str(without[0][subject])
    assert "score" in str(with_number[0][subject])
    assert with_number != expanded(None)


def test_what_the_expansion_memo_keeps_is_bounded_by_size(loader: ContextLoader) -> None:
    """The memo is keyed by a digest of a node object's content (32 bytes, whatever the
    node's size), and a node object over 64 KiB is expanded afresh each time, never kept:
    a thousand distinct large credentials cannot make it hold a thousand copies of their
    largest parts. The expansion is the same either way."""
    image = "data:image/png;base64," + "A" * 100_000
    document = {"@context": CONTEXTS[:1], "id": "urn:example:large",
                "type": ["VerifiableCredential"],
                "credentialSubject": {"id": "did:example:1", "name": "Hanako",
                                      "https://example.org/page": {
                                          "https://example.org/image": image,
                                          "https://example.org/name": "page 1",
                                          "https://example.org/rank": 1}}}
    first = jsonld_expand(document, document_loader=loader)
    assert jsonld_expand(document, document_loader=loader) == first
    assert jsonld_expand(document, document_loader=loader) == first
    memo = _engine(loader).processor._expansions
    assert memo is not None and len(memo) > 0
    assert all(isinstance(key[-1], bytes) and len(key[-1]) == 32 for key in memo)
    kept = [value[2] for value in memo.values() if value[2] is not None]
    assert all(len(expansion) < 64 * 1024 for expansion in kept)
    assert not any(image in str(pickle.loads(expansion)) for expansion in kept)
