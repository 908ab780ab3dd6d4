"""Programmes through ELM datasets and back with every descriptor; foreign datasets give what
ELM says; the descriptors' mapping table and its page of docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings

from credstack.core.descriptors import Documents, Format, read_documents, write_documents
from credstack.core.descriptors.elm.export import specification
from credstack.core.descriptors.interchange import parse_programme
from credstack.demo import load_demo_documents
from tests.core.descriptors.test_interchange_roundtrip import programme_documents

DEMO = load_demo_documents()
ROOT = Path(__file__).parents[3]


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
    # Its offers are written with their provider, the awarding body, in the same dataset.
    assert programme.awarding_body is not None
    organisation = next(o for o in DEMO.organisations if o.slug == programme.awarding_body.id)
    data = json.loads(write_documents(Documents(organisations=(organisation,),
                                                programmes=(programme,)), Format.ELM))
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
    table = yaml.safe_load((ROOT / "src/credstack/core/descriptors/elm/mapping.yaml")
                           .read_text(encoding="utf-8"))
    mapped = {row["key"] for row in table}
    assert {item["key"] for item in catalogue} <= mapped
    assert all(row["elm"] and row["how"]["en"] and row["how"]["ja"] for row in table)
    docs = (ROOT / "docs/elm-export.md").read_text(encoding="utf-8")
    assert all(f"| `{row['key']}` | {row['elm']} |" in docs for row in table)
