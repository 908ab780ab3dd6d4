"""CTDL JSON-LD and Open Badges 3.0 achievements as exchange formats.

credstack's own documents go through either and come back as equal models (the descriptors
travel whole in each format's extension); foreign documents without the extension give
what the standard's own properties say; a bad record is named by its place in the file and
nothing of the file is read.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_PROPERTY,
    build_achievement,
    descriptors_from_achievement,
)
from credstack.core.descriptors import Documents, Format, ctdl, read_documents, write_documents
from credstack.core.descriptors.interchange import (
    default_achievement_id,
    parse_programme,
    write_achievements,
)
from credstack.core.descriptors.models import Programme
from credstack.core.organisations import Organisation
from credstack.demo import load_demo_documents
from credstack.errors import DescriptorError, InputError, UnreadableInputError
from credstack.words import error_words
from tests.core.descriptors.interchange_refusals import worded
from tests.core.descriptors.test_interchange_roundtrip import programme_documents

DEMO = load_demo_documents()
CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _problems(text: str, fmt: Format) -> list[str]:
    with pytest.raises(DescriptorError) as caught:
        read_documents(text, fmt, source="in.jsonld")
    assert "nothing was read" in error_words(caught.value, "en")
    return [str(worded(problem)) for problem in caught.value.problems]


def _graph(*nodes: dict[str, Any]) -> str:
    return json.dumps({"@context": ctdl.CONTEXT_URL, "@graph": list(nodes)}, ensure_ascii=False)


# --- credstack → CTDL → credstack ---------------------------------------------------------


@pytest.mark.parametrize("programme", DEMO.programmes, ids=lambda p: p.code)
def test_every_demo_programme_round_trips_through_its_ctdl_node(programme: Programme) -> None:
    """The credential node of a demo programme reads back as an equal programme."""
    node = json.loads(json.dumps(ctdl.programme_to_ctdl(programme), ensure_ascii=False))
    assert Programme.model_validate(ctdl.programme_from_ctdl(node)) == programme


def test_the_demo_set_round_trips_as_one_ctdl_graph() -> None:
    """Every demo organisation and programme, written as one @graph, reads back equal."""
    text = write_documents(DEMO, Format.CTDL)
    assert read_documents(text, Format.CTDL) == DEMO


def test_every_organisation_round_trips_through_its_ctdl_node() -> None:
    """An organisation node reads back as an equal organisation."""
    for organisation in DEMO.organisations:
        node = ctdl.organisation_to_ctdl(organisation)
        assert Organisation.model_validate(ctdl.organisation_from_ctdl(node)) == organisation


@settings(max_examples=50, deadline=None)
@given(document=programme_documents)
def test_generated_programmes_round_trip_through_ctdl(document: dict[str, Any]) -> None:
    """Any programme, however sparse or odd its texts, comes back from CTDL unchanged."""
    document.pop("award", None)
    programme = parse_programme(document)
    text = write_documents(Documents(programmes=(programme,)), Format.CTDL)
    assert read_documents(text, Format.CTDL).programmes == (programme,)


# --- credstack → OB 3.0 → credstack -------------------------------------------------------


@pytest.mark.parametrize("programme", DEMO.programmes, ids=lambda p: p.code)
def test_every_demo_programme_round_trips_through_its_achievement(programme: Programme) -> None:
    """The OB 3.0 achievement of a demo programme reads back as an equal programme."""
    achievement = build_achievement(programme=programme, achievement_id="urn:uuid:x",
                                    language="en")
    assert Programme.model_validate(descriptors_from_achievement(achievement)) == programme


def test_the_demo_programmes_round_trip_as_a_list_of_achievements() -> None:
    """Every demo programme, written as a JSON list of achievements, reads back equal."""
    text = write_documents(DEMO, Format.OB3)
    assert isinstance(json.loads(text), list)
    assert read_documents(text, Format.OB3).programmes == DEMO.programmes


@settings(max_examples=50, deadline=None)
@given(document=programme_documents, language=st.sampled_from(["ja", "en", "ms"]))
def test_generated_programmes_round_trip_through_ob3(document: dict[str, Any],
                                                     language: str) -> None:
    """Any programme with a title and a description comes back from OB 3.0 unchanged."""
    document.pop("award", None)
    document.setdefault("title", {"en": "A title"})
    document.setdefault("description", {"ja": "説明"})
    programme = parse_programme(document)
    text = write_achievements([programme], language=language)
    assert read_documents(text, Format.OB3).programmes == (programme,)


# --- what credstack writes ----------------------------------------------------------------


def test_ctids_are_name_based_uuids_of_slug_and_code() -> None:
    """ce- + UUID v5: the same programme gets the same CTID every time, others another."""
    first = ctdl.programme_ctid("hokuto-tech", "DS-101")
    assert CTID.match(first)
    assert first == ctdl.programme_ctid("hokuto-tech", "DS-101")
    assert len({first, ctdl.programme_ctid("hokuto-tech", "DS-102"),
                ctdl.programme_ctid("saikai-u", "DS-101"),
                ctdl.organisation_ctid("hokuto-tech")}) == 4
    other = ctdl.programme_ctid("hokuto-tech", "DS-101", namespace=uuid.uuid4())
    assert CTID.match(other) and other != first


def test_a_ctid_that_is_not_one_is_refused() -> None:
    """A caller's CTID must be ce- and a lower-case UUID."""
    with pytest.raises(InputError, match="not a CTID"):
        ctdl.programme_to_ctdl(DEMO.programmes[0], ctid="CE-123")


def test_the_graph_has_the_registry_context_and_linked_nodes() -> None:
    """The context is the Registry's URL as a string; a programme's owner is a node of the
    graph, by the Registry URI of its CTID."""
    graph = json.loads(write_documents(DEMO, Format.CTDL))
    assert graph["@context"] == "https://credreg.net/ctdl/schema/context/json"
    nodes = {node["@id"]: node for node in graph["@graph"]}
    programme = next(n for n in graph["@graph"] if n["@type"] == "ceterms:MicroCredential")
    owner = nodes[programme["ceterms:ownedBy"][0]]
    assert owner["@type"] == "ceterms:CredentialOrganization"
    assert owner["@id"] == ctdl.REGISTRY_RESOURCES + owner["ceterms:ctid"]
    assert programme["@id"].endswith(programme["ceterms:ctid"])
    extension = programme[ctdl.DESCRIPTORS_PROPERTY]
    assert extension["@type"] == "@json"
    assert extension["@value"]["code"] in json.dumps(programme["ceterms:identifier"])


def test_a_programme_states_its_descriptors_in_ctdl_properties(
    programme_document: dict[str, Any],
) -> None:
    """Hours, weeks, credits, outcomes, delivery, language and price are CTDL's own."""
    node = ctdl.programme_to_ctdl(parse_programme(programme_document))
    assert node["ceterms:name"] == {"ja": "データ活用入門", "en": "Introduction to data use"}
    assert node["ceterms:estimatedDuration"][0]["ceterms:timeRequired"] == "PT90H"
    assert node["ceterms:estimatedDuration"][0]["ceterms:exactDuration"] == "P13W"
    assert node["ceterms:learningDeliveryType"][0]["ceterms:targetNode"] == \
        "deliveryType:BlendedDelivery"
    assert node["ceterms:inLanguage"] == ["ja", "en"]
    completion, prerequisites = node["ceterms:requires"]
    assert [v["schema:value"] for v in completion["ceterms:creditValue"]] == [2, 3, 2.25]
    assert completion["ceterms:targetCompetency"][0]["ceterms:targetNodeName"]["en"] == \
        "Explain descriptive statistics."
    assert prerequisites["ceterms:description"]["en"] == "Basic spreadsheet skills"
    cost = node["ceterms:estimatedCost"][0]
    assert (cost["ceterms:price"], cost["ceterms:currency"]) == (50000, "JPY")
    assert node["ceterms:subjectWebpage"] == "https://example.ac.jp/dx-101"


def test_a_participation_only_programme_is_a_badge_not_a_micro_credential(
    programme_document: dict[str, Any],
) -> None:
    """Attendance alone is no assessment of learning outcomes: ceterms:Badge."""
    programme_document["assessment"] = {"methods": ["participation"]}
    assert ctdl.programme_to_ctdl(parse_programme(programme_document))["@type"] == \
        "ceterms:Badge"


def test_a_learners_award_goes_into_neither_exchange_format(
    complete_document: dict[str, Any],
) -> None:
    """CTDL and achievements describe the programme; a learner's award is refused by name."""
    documents = Documents(programmes=(parse_programme(complete_document),))
    for fmt in (Format.CTDL, Format.OB3):
        with pytest.raises(InputError) as caught:
            write_documents(documents, fmt)
        assert "programmes[0] (DX-101)" in str(caught.value)


def test_a_programme_without_title_or_description_cannot_become_an_achievement() -> None:
    """Every programme that cannot be written is named, with the missing descriptor."""
    programmes = [parse_programme({"code": "A", "title": {"en": "T"}}),
                  parse_programme({"code": "B", "description": {"en": "D"}})]
    with pytest.raises(InputError) as caught:
        write_achievements(programmes)
    assert [str(p) for p in caught.value.problems] == [
        "programmes[0] (A): description: needed: an OB 3.0 achievement has a name and a "
        "description",
        "programmes[1] (B): title: needed: an OB 3.0 achievement has a name and a description",
    ]


def test_achievement_ids_default_to_the_uuid_of_the_ctid() -> None:
    """Both exports name one programme with one UUID: urn:uuid:X and ce-X."""
    programme = DEMO.programmes[0]
    assert programme.awarding_body is not None
    ctid = ctdl.programme_ctid(programme.awarding_body.id, programme.code)
    assert default_achievement_id(programme) == "urn:uuid:" + ctid.removeprefix("ce-")
    (achievement,) = json.loads(write_achievements([programme]))
    assert achievement["id"] == default_achievement_id(programme)


# --- foreign CTDL -------------------------------------------------------------------------

ORGANISATION_NODE: dict[str, Any] = {
    "@id": "https://credentialengineregistry.org/resources/ce-b4a6bf5d-103b-4548-877c-649f6f79fb01",
    "@type": "ceterms:CredentialOrganization",
    "ceterms:ctid": "ce-b4a6bf5d-103b-4548-877c-649f6f79fb01",
    "ceterms:name": {"en-US": "Example Training Co."},
    "ceterms:subjectWebpage": "https://training.example.com/",
    "ceterms:agentType": [{"@type": "ceterms:CredentialAlignmentObject",
                           "ceterms:targetNode": "orgType:Business"}],
    "ceterms:address": [{"@type": "ceterms:Place", "ceterms:addressCountry": {"en-US": "US"}}],
}

CREDENTIAL_NODE: dict[str, Any] = {
    "@id": "https://credentialengineregistry.org/resources/ce-58ea4f49-08ab-493d-b88d-cf36d507e536",
    "@type": "ceterms:MicroCredential",
    "ceterms:ctid": "ce-58ea4f49-08ab-493d-b88d-cf36d507e536",
    "ceterms:name": {"en-US": "Cloud Operations Fundamentals"},
    "ceterms:description": {"en-US": "Operate cloud services safely.", "es": ""},
    "ceterms:codedNotation": "COF-100",
    "ceterms:ownedBy": [ORGANISATION_NODE["@id"]],
    "ceterms:inLanguage": ["en-US"],
    "ceterms:subjectWebpage": "https://training.example.com/cof-100",
    "ceterms:learningDeliveryType": [
        {"@type": "ceterms:CredentialAlignmentObject",
         "ceterms:targetNode": "deliveryType:InPerson"},
        {"@type": "ceterms:CredentialAlignmentObject",
         "ceterms:targetNode": "deliveryType:OnlineOnly"},
    ],
    "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile",
                                   "ceterms:timeRequired": "PT37H30M",
                                   "ceterms:exactDuration": "P42D"}],
    "ceterms:requires": [
        {"@type": "ceterms:ConditionProfile",
         "ceterms:description": {"en-US": "Pass the final practical."},
         "ceterms:creditValue": [{"@type": "ceterms:ValueProfile", "schema:value": 3,
                                  "ceterms:creditUnitType": [{
                                      "@type": "ceterms:CredentialAlignmentObject",
                                      "ceterms:targetNode": "creditUnit:SemesterHour"}]},
                                 {"@type": "ceterms:ValueProfile", "schema:value": 1,
                                  "ceterms:creditUnitType": [{
                                      "@type": "ceterms:CredentialAlignmentObject",
                                      "ceterms:targetNode": "creditUnit:ContinuingEducationUnit"
                                  }]}],
         "ceterms:targetCompetency": [
             {"@type": "ceterms:CredentialAlignmentObject",
              "ceterms:targetNodeName": {"en-US": "Deploy a monitored service."}},
             {"@type": "ceterms:CredentialAlignmentObject",
              "ceterms:targetNodeName": {"en-US": "Cloud computing"},
              "ceterms:frameworkName": {"en-US": "ESCO"},
              "ceterms:codedNotation": "S5.6.1",
              "ceterms:targetNode": "http://data.europa.eu/esco/skill/example"},
         ]},
        {"@type": "ceterms:ConditionProfile",
         "ceterms:name": {"en-US": "Program Prerequisite Conditions"},
         "ceterms:description": {"en-US": "Basic Linux skills."}},
    ],
    "ceterms:isPreparationFor": [{"@type": "ceterms:ConditionProfile",
                                  "ceterms:name": {"en-US": "Cloud Engineer Certificate"}}],
    "ceterms:estimatedCost": [
        {"@type": "ceterms:CostProfile", "ceterms:price": 450.0, "ceterms:currency": "USD",
         "ceterms:directCostType": {"@type": "ceterms:CredentialAlignmentObject",
                                    "ceterms:targetNode": "costType:Tuition"}},
        {"@type": "ceterms:CostProfile", "ceterms:price": 495.0, "ceterms:currency": "USD",
         "ceterms:directCostType": {"@type": "ceterms:CredentialAlignmentObject",
                                    "ceterms:targetNode": "costType:AggregateCost"}},
    ],
    "ceterms:lifeCycleStatusType": {"@type": "ceterms:CredentialAlignmentObject",
                                    "ceterms:targetNode": "lifeCycle:Active"},
}


def test_foreign_ctdl_yields_what_its_properties_say() -> None:
    """A Registry graph without credstack's extension gives the mapped descriptors."""
    competency = {"@id": "_:c1", "@type": "ceasn:Competency"}
    documents = read_documents(_graph(CREDENTIAL_NODE, ORGANISATION_NODE, competency),
                               Format.CTDL)
    (organisation,) = documents.organisations
    assert organisation.to_document() == {
        "slug": "ce-b4a6bf5d-103b-4548-877c-649f6f79fb01", "kind": "company",
        "name": {"en-US": "Example Training Co."}, "country": "US",
        "url": "https://training.example.com/"}
    (programme,) = documents.programmes
    assert programme.to_document() == {
        "code": "COF-100",
        "title": {"en-US": "Cloud Operations Fundamentals"},
        "awarding_body": {"id": "ce-b4a6bf5d-103b-4548-877c-649f6f79fb01",
                          "name": {"en-US": "Example Training Co."},
                          "url": "https://training.example.com/"},
        "issuer_region": {"country": "US"},
        "description": {"en-US": "Operate cloud services safely."},
        "learning_outcomes": [{"statement": {"en-US": "Deploy a monitored service."}}],
        "form_of_participation": {"mode": "blended"},
        "languages": ["en-US"],
        "learner_effort": {"hours": "37.5", "credits": [{"system": "us-credit-hour",
                                                         "value": "3"}],
                           "duration_weeks": 6},
        "prerequisites": {"en-US": "Basic Linux skills."},
        "stackability": {"stackable": True, "targets": [
            {"title": {"en-US": "Cloud Engineer Certificate"}, "kind": "other"}]},
        "price": {"amount": "495", "currency": "USD"},
        "further_information": {"url": "https://training.example.com/cof-100"},
        "skills": [{"name": {"en-US": "Cloud computing"}, "framework": "ESCO",
                    "code": "S5.6.1", "url": "http://data.europa.eu/esco/skill/example"}],
    }


def test_a_foreign_learning_opportunity_is_a_programme_too() -> None:
    """LearningProgram and Course nodes are read; without a code their CTID is the code."""
    node = {"@type": "ceterms:LearningProgram",
            "ceterms:ctid": "ce-bada0d68-f026-441d-80c1-cdabace4e525",
            "ceterms:name": "Lifelong Learning Accelerator",
            "ceterms:deliveryType": [{"ceterms:targetNode": "deliveryType:OnlineOnly"}],
            "ceterms:deliveryTypeDescription": {"en-US": "Online, weekly."},
            "ceterms:entryCondition": [{"ceterms:description": {"en-US": "Age 18 or older."}}],
            "ceterms:estimatedDuration": [{"ceterms:exactDuration": "P9M"}],
            "ceterms:teaches": [{"ceterms:targetNodeName": {"en-US": "Set goals."}}],
            "ceterms:isNonCredit": True}
    (programme,) = read_documents(json.dumps(node), Format.CTDL).programmes
    assert programme.to_document() == {
        "code": "ce-bada0d68-f026-441d-80c1-cdabace4e525",
        "title": {"und": "Lifelong Learning Accelerator"},
        "learning_outcomes": [{"statement": {"en-US": "Set goals."}}],
        "form_of_participation": {"mode": "online", "description": {"en-US": "Online, weekly."}},
        "credit_recognition": {"kinds": ["none"]},
        "prerequisites": {"en-US": "Age 18 or older."},
    }


def test_a_foreign_organisation_without_a_country_code_is_not_read() -> None:
    """credstack needs an organisation's country; a Registry address may give only a name."""
    organisation = {**ORGANISATION_NODE,
                    "ceterms:address": [{"ceterms:addressCountry": {"en-US": "United States"}}]}
    documents = read_documents(_graph(CREDENTIAL_NODE, organisation), Format.CTDL)
    assert documents.organisations == ()
    (programme,) = documents.programmes
    assert programme.awarding_body is not None and programme.issuer_region is None


def test_a_recognition_body_is_a_quality_assurance_organisation() -> None:
    """kind recognition-body ↔ ceterms:QACredentialOrganization."""
    node = {**ORGANISATION_NODE, "@type": "ceterms:QACredentialOrganization"}
    del node["ceterms:agentType"]
    assert ctdl.organisation_from_ctdl(node)["kind"] == "recognition-body"
    body = next(o for o in DEMO.organisations if o.kind.value == "recognition-body")
    assert ctdl.organisation_to_ctdl(body)["@type"] == "ceterms:QACredentialOrganization"


# --- bad records --------------------------------------------------------------------------


def test_bad_ctdl_records_are_named_by_their_place_in_the_graph() -> None:
    """Each problem names the record, the CTDL property and the descriptor; nothing is read."""
    bad_language = {**CREDENTIAL_NODE, "ceterms:inLanguage": ["English"]}
    not_a_node = ["a", "list"]
    problems = _problems(_graph(ORGANISATION_NODE, not_a_node, bad_language), Format.CTDL)
    assert problems[0] == "in.jsonld: record 2 (@graph[1]): expected a CTDL node, found a list"
    assert problems[1].startswith(
        "in.jsonld: record 3 (@graph[2]): ceterms:inLanguage (languages[0]): must be a "
        "language tag")


def test_a_bad_descriptor_in_the_extension_is_named_by_its_descriptor_path() -> None:
    """In credstack's own nodes the descriptor document is what is wrong, so its path."""
    graph = json.loads(write_documents(Documents(programmes=DEMO.programmes[:2]), Format.CTDL))
    graph["@graph"][1][ctdl.DESCRIPTORS_PROPERTY]["@value"]["learner_effort"]["hours"] = "0"
    problems = _problems(json.dumps(graph), Format.CTDL)
    assert problems == ["in.jsonld: record 2 (@graph[1]): learner_effort.hours: must be "
                        "greater than 0 (got '0')"]


def test_the_same_programme_twice_in_a_graph_names_both_records() -> None:
    """Duplicates are found across the graph, as in any other format."""
    node = ctdl.programme_to_ctdl(DEMO.programmes[0])
    problems = _problems(_graph(node, copy.deepcopy(node)), Format.CTDL)
    assert problems == [f"in.jsonld: record 2 (@graph[1]): programme {DEMO.programmes[0].code!r}"
                        " of hinokuni-kosen is also at in.jsonld: record 1 (@graph[0])"]


def test_a_graph_with_nothing_credstack_reads_is_unreadable() -> None:
    """Nodes of other classes only: the file is refused, saying what a node needs."""
    with pytest.raises(UnreadableInputError) as caught:
        read_documents(_graph({"@type": "ceasn:Competency"}), Format.CTDL)
    assert "ceterms:MicroCredential" in error_words(caught.value, "en")


def test_an_empty_graph_holds_nothing() -> None:
    """Exporting an empty store and reading it back is no error."""
    assert read_documents(write_documents(Documents(), Format.CTDL), Format.CTDL) == Documents()


@pytest.mark.parametrize("text", ['{"@graph": {"a": 1}}', '"text"', "3"])
def test_a_document_that_is_not_ctdl_is_unreadable(text: str) -> None:
    """@graph must be a list; a scalar is no document."""
    with pytest.raises(UnreadableInputError) as caught:
        read_documents(text, Format.CTDL)
    assert "not a CTDL document" in error_words(caught.value, "en")


# --- foreign and bad achievements ---------------------------------------------------------


def test_a_foreign_achievement_yields_its_standard_fields() -> None:
    """Without the microCredential extension: code, name, description, language, skills."""
    achievement = {"id": "https://badges.example.org/a/1", "type": ["Achievement"],
                   "humanCode": "B-1", "name": "Safety basics", "description": "Site safety.",
                   "criteria": {"narrative": "Pass the quiz."}, "inLanguage": "en"}
    (programme,) = read_documents(json.dumps(achievement), Format.OB3).programmes
    assert programme.to_document() == {
        "code": "B-1", "title": {"und": "Safety basics"},
        "description": {"und": "Site safety."}, "languages": ["en"]}


def test_an_open_badge_credential_is_read_as_the_achievement_it_awards() -> None:
    """A whole credential is accepted: its credentialSubject.achievement is the record."""
    programme = DEMO.programmes[0]
    achievement = build_achievement(programme=programme, achievement_id="urn:uuid:x")
    credential = {"type": ["VerifiableCredential", "OpenBadgeCredential"],
                  "credentialSubject": {"type": ["AchievementSubject"],
                                        "achievement": achievement}}
    assert read_documents(json.dumps([credential]), Format.OB3).programmes == (programme,)


def test_bad_achievements_are_named_by_their_place_in_the_list() -> None:
    """Not an achievement, or a bad descriptor in the extension (by its camelCase key)."""
    good, bad = (build_achievement(programme=p, achievement_id="urn:uuid:x")
                 for p in DEMO.programmes[:2])
    bad[EXTENSION_PROPERTY]["learnerEffort"]["hours"] = "-1"
    bad[EXTENSION_PROPERTY]["awardingBody"]["slug"] = "Not A Slug"
    problems = _problems(json.dumps([good, {"type": "Profile"}, bad]), Format.OB3)
    assert problems[0] == ("in.jsonld: record 2 ([1]): expected an OB 3.0 Achievement (type "
                           "Achievement) or an OpenBadgeCredential; its type is ['Profile']")
    assert problems[1].startswith(
        "in.jsonld: record 3 ([2]): microCredential.awardingBody.slug: must be a short name")
    assert problems[2].startswith(
        "in.jsonld: record 3 ([2]): microCredential.learnerEffort.hours: must be greater "
        "than 0")
