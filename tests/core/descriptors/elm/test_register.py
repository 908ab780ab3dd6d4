"""The Register profile of a dataset (:mod:`credstack.core.descriptors.elm.register`): what the
EU's Qualification Dataset Register takes (the LOQ shapes find nothing), and every programme
left out named with its reasons."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from typing import Any

from rdflib import RDF

from credstack.core.descriptors import Format, read_documents
from credstack.core.descriptors.ctdl import DESCRIPTORS_PROPERTY, ORGANISATION_PROPERTY
from credstack.core.descriptors.elm.datasets import RDF_VALUE, page_key
from credstack.core.descriptors.elm.register import register_dataset
from credstack.core.descriptors.models import LevelFramework, Programme, QualificationLevel
from credstack.core.elm import validation
from credstack.core.elm.reference import DEFAULT_PROFILE, LOQ_PROFILE, ElmReference
from credstack.core.skills.levels import Crosswalk, crosswalk
from credstack.demo import load_demo_documents

DEMO = load_demo_documents()
PAGES = {page_key(programme): f"https://credstack.example/programmes/{index}"
         for index, programme in enumerate(DEMO.programmes, start=1)}


def _results(data: dict[str, Any], reference: ElmReference, loader: Any, profile: str
             ) -> Counter[tuple[str, str, str]]:
    graph = validation.credential_graph(data, loader)
    kinds = {str(node): str(kind).rsplit("/", 1)[-1]
             for node, kind in graph.subject_objects(RDF.type)}
    return Counter((kinds.get(finding.focus, "?"), finding.path,
                    finding.constraint.rsplit("#", 1)[-1].removesuffix("ConstraintComponent"))
                   for finding in reference.shapes(profile).validate(graph, limit=None))


def _nodes(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [found for item in value for found in _nodes(item)]
    if not isinstance(value, dict):
        return []
    return [value, *(found for item in value.values() for found in _nodes(item))]


def _with_levels(*levels: tuple[LevelFramework, int]) -> Programme:
    programme = next(p for p in DEMO.programmes if p.levels and p.learning_outcomes)
    return programme.model_copy(update={"levels": tuple(
        QualificationLevel(framework=framework, level=level) for framework, level in levels)})


def _organisation(programme: Programme) -> Any:
    assert programme.awarding_body is not None
    return next(o for o in DEMO.organisations if o.slug == programme.awarding_body.id)


def test_the_register_profile_of_the_demo_set_gives_no_loq_result(
        elm_reference: ElmReference, elm_loader: Any) -> None:
    made = register_dataset(DEMO.organisations, DEMO.programmes, pages=PAGES)
    assert made.kept
    assert _results(made.dataset, elm_reference, elm_loader, LOQ_PROFILE) == Counter()


def test_the_edc_shapes_find_only_where_they_and_loq_disagree(
        elm_reference: ElmReference, elm_loader: Any) -> None:
    """An Amount's value (LOQ's rdf:value, the EDC shapes' elm:value) and the NQF level (the
    EDC shapes take the Register's list only, which has no JEQF): nothing else."""
    made = register_dataset(DEMO.organisations, DEMO.programmes, pages=PAGES)
    found = _results(made.dataset, elm_reference, elm_loader, DEFAULT_PROFILE)
    assert set(found) == {("Amount", "elm:value", "MinCount"),
                          ("Qualification", "elm:NQFLevel", "Node")}
    assert found[("Qualification", "elm:NQFLevel", "Node")] == len(made.kept)


def test_which_demo_programmes_the_register_profile_leaves_out() -> None:
    """68 of the 93 kept (the six programmes in other languages state no level); the rest
    each named with its reasons, in English and Japanese."""
    made = register_dataset(DEMO.organisations, DEMO.programmes, pages=PAGES)
    assert len(made.kept) + len(made.left_out) == len(DEMO.programmes) == 93
    assert len(made.kept) == 68
    assert Counter(reason.key for item in made.left_out for reason in item.reasons) == {
        "no_level": 15, "eqf_unchecked": 7, "no_nqf": 3}
    assert all(reason.en and reason.ja and " / " in reason.text
               for item in made.left_out for reason in item.reasons)
    report = json.loads(json.dumps(made.report()))
    assert {(item["organisation"], item["code"]) for item in report["left_out"]} == {
        (item.organisation, item.code) for item in made.left_out}


def test_nothing_loqs_closed_shapes_refuse_is_written() -> None:
    """No credstack extension, no stack target, every Amount's value as rdf:value."""
    data = register_dataset(DEMO.organisations, DEMO.programmes, pages=PAGES).dataset
    nodes = _nodes(data["@graph"])
    assert not any({DESCRIPTORS_PROPERTY, ORGANISATION_PROPERTY, "isPartOf"} & node.keys()
                   for node in nodes)
    amounts = [node for node in nodes if node.get("type") == "Amount"]
    assert amounts and all(RDF_VALUE in node and "value" not in node for node in amounts)


def test_an_eqf_level_read_through_the_crosswalk_is_noted() -> None:
    """A JEQF 6 programme is EQF 6 by the crosswalk's checked edge, and says so."""
    programme = _with_levels((LevelFramework.JEQF, 6))
    made = register_dataset([_organisation(programme)], [programme], pages=PAGES)
    [spec] = [node for node in made.dataset["@graph"] if node["type"] == "Qualification"]
    assert spec["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    assert [level["id"] for level in spec["nqfLevel"]] == [
        "https://w3id.org/credstack/elm/level/JEQF/6"]
    assert any("JEQF-6 → EQF-6" in note["noteLiteral"]["en"] for note in spec["additionalNote"])
    assert made.kept[0].eqf_basis == "JEQF-6 → EQF-6"


def _all_checked(table: Crosswalk) -> Crosswalk:
    sources = {key: dataclasses.replace(source, check=False, reason={})
               for key, source in table.sources.items()}
    edges = tuple(dataclasses.replace(edge, source=sources[edge.source.id])
                  for edge in table.edges)
    return dataclasses.replace(table, sources=sources, edges=edges)


def test_an_eqf_level_is_never_read_through_an_edge_still_to_be_checked() -> None:
    """AQF 7 reads as EQF 6 only through the AQF–EQF report, still to be checked: left out
    with that report's reason; the same edge once checked gives the level."""
    programme = _with_levels((LevelFramework.AQF, 7))
    organisations = [_organisation(programme)]
    made = register_dataset(organisations, [programme], pages=PAGES)
    assert not made.kept
    [reason] = made.left_out[0].reasons
    source = crosswalk().sources["aqf-eqf"]
    assert reason.key == "eqf_unchecked"
    assert source.reason["en"] in reason.en and source.reason["ja"] in reason.ja
    checked = register_dataset(organisations, [programme], pages=PAGES,
                               table=_all_checked(crosswalk()))
    assert [item.eqf for item in checked.kept] == [6]


def test_a_register_dataset_reads_back_with_its_price() -> None:
    """Without the extension, a Register dataset gives what ELM says: the EQF level, the
    national level (credstack's concept), the price (read from rdf:value)."""
    programme = next(p for p in DEMO.programmes if p.price is not None and p.levels
                     and any(level.framework is LevelFramework.JEQF for level in p.levels))
    made = register_dataset([_organisation(programme)], [programme], pages=PAGES)
    assert made.kept
    [read] = read_documents(json.dumps(made.dataset), Format.ELM, source="r.jsonld").programmes
    assert programme.price is not None and read.price is not None
    assert (read.price.amount, read.price.currency) == (programme.price.amount,
                                                        programme.price.currency)
    stated = [(level.framework, level.level) for level in programme.levels
              if level.framework is not LevelFramework.EQF]
    assert [(level.framework, level.level) for level in read.levels] == [
        (LevelFramework.EQF, made.kept[0].eqf), *stated]


def test_an_offer_without_a_language_or_a_page_leaves_its_programme_out() -> None:
    """LOQ wants each offer's default language and homepage: a programme naming no language,
    or with no page of its own when the export knows no public page, is left out."""
    programme = _with_levels((LevelFramework.JEQF, 6)).model_copy(
        update={"languages": (), "further_information": None})
    organisations = [_organisation(programme)]
    made = register_dataset(organisations, [programme])
    assert {reason.key for reason in made.left_out[0].reasons} == {"no_language", "no_page"}
    # Without its organisation the dataset has no offers, and neither is needed.
    assert register_dataset([], [programme]).kept
