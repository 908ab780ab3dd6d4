"""ELM v3 written by credstack: EDCs that keep the EDC shapes and EBSI's schema, sealed as
JAdES-B; programmes through ELM datasets and back with every descriptor; the mapping table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings

from credstack.core.descriptors import Documents, Format, read_documents, write_documents
from credstack.core.descriptors.interchange import parse_programme
from credstack.core.descriptors.models import Programme
from credstack.core.elm import jades, sealing, validation
from credstack.core.elm.export import PROFILE_32, Learner, edc_credential, specification
from credstack.core.elm.reference import ElmReference
from credstack.core.elm.trust import check_certificate_at_signing, trusted_anchor
from credstack.demo import load_demo_documents
from credstack.testing.elm import make_pki
from tests.core.descriptors.test_interchange_roundtrip import programme_documents

DEMO = load_demo_documents()
ORGANISATIONS = {organisation.slug: organisation for organisation in DEMO.organisations}
AWARDED = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
#: A PNG signature is enough for the shapes; services put the badge image there.
IMAGES = {"ja": b"\x89PNG\r\n\x1a\n", "en": b"\x89PNG\r\n\x1a\n"}
ROOT = Path(__file__).parents[3]
#: One programme of each shape the demo has: a Qualification (EQF level), stack targets, none.
SAMPLES = [DEMO.programmes[0], DEMO.programmes[1], DEMO.programmes[2],
           next(p for p in DEMO.programmes if not p.levels)]


def _edc(programme: Programme, **options: Any) -> dict[str, Any]:
    assert programme.awarding_body is not None
    made = edc_credential(
        credential_id="urn:uuid:8a1d6a8e-0c3b-4c53-9d0e-3c4b1f2a7e10", programme=programme,
        organisation=ORGANISATIONS[programme.awarding_body.id],
        learner=Learner(names={"ja": "山田 花子", "en": "Hanako Yamada"},
                        emails=["hanako@example.org"]),
        awarded=AWARDED, issued=AWARDED, images=IMAGES, grade="A", **options)
    loaded: dict[str, Any] = json.loads(json.dumps(made, ensure_ascii=False))
    return loaded


@pytest.mark.parametrize("programme", SAMPLES, ids=lambda p: p.code)
def test_an_exported_edc_keeps_the_edc_shapes(programme: Programme,
                                             elm_reference: ElmReference,
                                             elm_loader: Any) -> None:
    """The ELM 3.1 EDC (the EC's envelope) conforms to edc-generic-full."""
    credential = _edc(programme)
    graph = validation.credential_graph(credential, elm_loader)
    assert validation.check_shapes(graph, elm_reference,
                                   validation.shapes_profile(credential)) == []


@pytest.mark.parametrize("programme", DEMO.programmes, ids=lambda p: p.code)
def test_an_exported_edc_keeps_ebsis_schema(programme: Programme,
                                            elm_reference: ElmReference) -> None:
    """The ELM 3.2 EDC (EBSI's envelope) passes EBSI's EDC JSON Schema, for every demo
    programme."""
    credential = _edc(programme, profile=PROFILE_32)
    assert validation.names_ebsi_schema(credential)
    assert validation.check_ebsi_schema(credential, elm_reference) == []


def test_the_two_envelopes_carry_the_same_claim() -> None:
    """3.1 and 3.2 differ in the envelope; the achievement is the same but for the
    descriptors' extension, which EBSI's closed schema does not take."""
    programme = SAMPLES[0]
    claim_31 = _edc(programme)["credentialSubject"]["hasClaim"][0]
    claim_32 = _edc(programme, profile=PROFILE_32)["credentialSubject"]["hasClaim"][0]
    claim_31["specifiedBy"].pop("https://w3id.org/credstack/mc#descriptors")
    assert claim_31 == claim_32


def test_a_sealed_edc_verifies_and_its_chain_is_trusted_at_signing() -> None:
    """JAdES-B with b64 false and x5c: the reader's verifier takes it, the payload is the
    credential, and the chain leads to the organisation's root."""
    pki = make_pki(not_before=AWARDED - dt.timedelta(days=1),
                   not_after=AWARDED + dt.timedelta(days=365))
    credential = _edc(SAMPLES[0])
    sealed = json.loads(json.dumps(sealing.seal_credential(
        credential, key=pki.seal_key, certificate=pki.seal_certificate, chain=[pki.root],
        signing_time=AWARDED)))
    seal = jades.read_seal(sealed)
    jades.verify_signature(sealed, seal)
    assert json.loads(seal.payload) == credential
    assert seal.header["b64"] is False and seal.header["crit"] == ["b64", "sigT"]
    assert len(seal.certificates) == 2
    check_certificate_at_signing(seal)
    assert trusted_anchor(seal, [pki.root]) == pki.root


def test_a_changed_sealed_edc_does_not_verify() -> None:
    """One character of the payload changed: the signature fails."""
    pki = make_pki(not_before=AWARDED, not_after=AWARDED + dt.timedelta(days=30))
    sealed = sealing.seal_credential(_edc(SAMPLES[0]), key=pki.seal_key,
                                     certificate=pki.seal_certificate, signing_time=AWARDED)
    sealed["payload"] = sealed["payload"].replace("山田", "川田")
    with pytest.raises(Exception, match="does not verify"):
        jades.verify_signature(sealed, jades.read_seal(sealed))


def test_only_p256_keys_seal() -> None:
    """credstack's organisation keys are P-256; the header says ES256."""
    pki = make_pki(not_before=AWARDED, not_after=AWARDED + dt.timedelta(days=30))
    assert isinstance(pki.seal_key.curve, ec.SECP256R1)
    sealed = sealing.seal_credential({"id": "x"}, key=pki.seal_key,
                                     certificate=pki.seal_certificate, signing_time=AWARDED)
    assert jades.read_seal(sealed).algorithm == "ES256"


def test_the_demo_set_round_trips_through_an_elm_dataset() -> None:
    """Every demo organisation and programme, as one ELM dataset, reads back equal (and is
    recognised as ELM from its content)."""
    text = write_documents(DEMO, Format.ELM)
    assert read_documents(text, Format.JSON, source="d.jsonld") == DEMO


@settings(max_examples=40, deadline=None)
@given(document=programme_documents)
def test_generated_programmes_round_trip_through_elm(document: dict[str, Any]) -> None:
    """Any programme, however sparse or odd, comes back from ELM with every descriptor."""
    document.pop("award", None)
    programme = parse_programme(document)
    text = write_documents(Documents(programmes=(programme,)), Format.ELM)
    assert read_documents(text, Format.ELM, source="d.jsonld").programmes == (programme,)


def test_a_foreign_dataset_gives_what_elm_says() -> None:
    """Without credstack's extension: title, code, outcomes, languages, hours, ECTS, the EQF
    level, entry requirements and dates come from ELM's own properties."""
    programme = next(p for p in DEMO.programmes if p.levels and p.learner_effort)
    data = json.loads(write_documents(Documents(programmes=(programme,)), Format.ELM))
    for node in data["@graph"]:
        node.pop("https://w3id.org/credstack/mc#descriptors", None)
    [read] = read_documents(json.dumps(data), Format.ELM, source="f.jsonld").programmes
    assert (read.code, read.title, read.description) == (
        programme.code, programme.title, programme.description)
    assert read.languages == programme.languages
    assert read.learner_effort is not None and programme.learner_effort is not None
    assert read.learner_effort.hours == programme.learner_effort.hours
    assert [level for level in read.levels] == [
        level for level in programme.levels if level.framework.value == "EQF"]
    assert read.dates_of_delivery == programme.dates_of_delivery
    assert read.prerequisites == programme.prerequisites
    statements = [outcome.statement for outcome in read.learning_outcomes]
    assert statements[:len(programme.learning_outcomes)] == [
        outcome.statement for outcome in programme.learning_outcomes]


def test_a_level_makes_a_qualification() -> None:
    """Level-referenced: Qualification; otherwise LearningAchievementSpecification."""
    with_level = next(p for p in DEMO.programmes if p.levels)
    without = next(p for p in DEMO.programmes if not p.levels)
    assert specification(with_level)["type"] == "Qualification"
    assert specification(without)["type"] == "LearningAchievementSpecification"


def test_the_mapping_table_names_every_descriptor_and_the_docs_show_it() -> None:
    """Each descriptor of the catalogue has its ELM property in mapping.yaml, and
    docs/elm-export.md lists each row."""
    catalogue = yaml.safe_load((ROOT / "src/credstack/core/descriptors/descriptors.yaml")
                               .read_text(encoding="utf-8"))
    table = yaml.safe_load((ROOT / "src/credstack/core/elm/mapping.yaml")
                           .read_text(encoding="utf-8"))
    mapped = {row["key"] for row in table}
    assert {item["key"] for item in catalogue} <= mapped
    assert all(row["elm"] and row["how"]["en"] and row["how"]["ja"] for row in table)
    docs = (ROOT / "docs/elm-export.md").read_text(encoding="utf-8")
    assert all(f"| `{row['key']}` | {row['elm']} |" in docs for row in table)
