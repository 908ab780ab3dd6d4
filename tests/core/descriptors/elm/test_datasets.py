"""Programme datasets written by credstack (:mod:`credstack.core.descriptors.elm.datasets`)
keep the EDC shapes, as its EDCs do: every Organisation, Qualification or
LearningAchievementSpecification and LearningOpportunity, with what it holds."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from rdflib import RDF, URIRef

from credstack.core.descriptors import Documents, Format, read_documents, write_documents
from credstack.core.descriptors.ctdl import DESCRIPTORS_PROPERTY
from credstack.core.descriptors.elm.datasets import SPECIFICATION_TYPES, dataset, page_key
from credstack.core.descriptors.elm.export import language
from credstack.core.descriptors.interchange import parse_programme
from credstack.core.elm import validation
from credstack.core.elm.reference import DEFAULT_PROFILE, LOQ_PROFILE, ElmReference
from credstack.core.elm.vocabulary import ELM_NAMESPACE
from credstack.demo import load_demo_documents
from tests.core.descriptors.test_interchange_roundtrip import programme_documents

DEMO = load_demo_documents()


def _findings(data: dict[str, Any], reference: ElmReference, loader: Any) -> list[str]:
    graph = validation.credential_graph(data, loader)
    return [f"{problem.location}: {problem.message}"
            for problem in validation.check_shapes(graph, reference, DEFAULT_PROFILE)]


def test_the_demo_set_as_one_dataset_keeps_the_edc_shapes(elm_reference: ElmReference,
                                                          elm_loader: Any) -> None:
    """Every demo organisation and programme as one ELM dataset: no finding, and every node is
    typed as RDF (the shapes target classes: an untyped node would be checked by none)."""
    data = json.loads(write_documents(DEMO, Format.ELM))
    graph = validation.credential_graph(data, elm_loader)
    for node in data["@graph"]:
        assert (URIRef(node["id"]), RDF.type, URIRef(f"{ELM_NAMESPACE}{node['type']}")) in graph
    assert {node["type"] for node in data["@graph"]} == {
        "Organisation", "Qualification", "LearningAchievementSpecification",
        "LearningOpportunity"}
    assert all(set(graph.subjects(RDF.type, URIRef(f"{ELM_NAMESPACE}{kind}")))
               for kind in ("PriceDetail", "Amount", "Grant"))
    assert _findings(data, elm_reference, elm_loader) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=programme_documents)
def test_a_generated_programme_dataset_keeps_the_edc_shapes(elm_reference: ElmReference,
                                                            elm_loader: Any,
                                                            document: dict[str, Any]) -> None:
    """Any programme, however sparse or odd, as an ELM dataset: no finding."""
    document.pop("award", None)
    programme = parse_programme(document)
    data = json.loads(write_documents(Documents(programmes=(programme,)), Format.ELM))
    assert _findings(data, elm_reference, elm_loader) == []


@pytest.mark.parametrize(("kind", "member", "path"), [
    ("Grant", "title", "dc:title"),
    ("Amount", "unit", "elm:unit"),
    ("Qualification", "title", "dc:title"),
    ("LearningOpportunity", "providedBy", "elm:providedBy"),
])
def test_a_broken_dataset_is_found(elm_reference: ElmReference, elm_loader: Any, kind: str,
                                   member: str, path: str) -> None:
    """The shapes are checked on datasets, not passed over: a node that breaks one is found."""
    data = json.loads(write_documents(DEMO, Format.ELM))

    def nodes(value: Any) -> list[dict[str, Any]]:
        if isinstance(value, list):
            return [found for item in value for found in nodes(item)]
        if not isinstance(value, dict):
            return []
        return [value, *(found for item in value.values() for found in nodes(item))]

    target = next(node for node in nodes(data["@graph"])
                  if node.get("type") == kind and member in node)
    del target[member]
    findings = _findings(data, elm_reference, elm_loader)
    assert any(finding.startswith(f"{target['id']} {path}") for finding in findings), findings


def _pages() -> dict[tuple[str, str], str]:
    """A public page for every demo programme, as the services give them."""
    return {page_key(programme): f"https://credstack.example/programmes/{index}"
            for index, programme in enumerate(DEMO.programmes, start=1)}


def test_an_awarding_opportunity_names_what_it_awards() -> None:
    """Each specification's AwardingOpportunity points back at it."""
    data = dataset(DEMO.organisations, DEMO.programmes)
    specs = [node for node in data["@graph"] if node["type"] in SPECIFICATION_TYPES]
    assert all(opportunity["learningAchievementSpecification"] == spec["id"]
               for spec in specs for opportunity in spec["awardingOpportunity"])


def test_an_offer_has_its_language_and_a_page() -> None:
    """An offer's default language is the programme's first; its homepage the provider's
    page, else credstack's public page of the programme."""
    pages = _pages()
    data = dataset(DEMO.organisations, DEMO.programmes, pages=pages)
    specs = {node["id"]: node for node in data["@graph"] if node["type"] in SPECIFICATION_TYPES}
    by_spec = {spec_id: programme for programme in DEMO.programmes
               for spec_id, spec in specs.items()
               if spec[DESCRIPTORS_PROPERTY]["@value"] == programme.to_document()}
    offers = [node for node in data["@graph"] if node["type"] == "LearningOpportunity"]
    assert offers
    for offer in offers:
        programme = by_spec[offer["learningAchievementSpecification"]]
        assert offer["elm:defaultLanguage"]["id"] == language(programme.languages[0])["id"]
        further = programme.further_information
        own = str(further.url) if further is not None and further.url is not None else None
        assert offer["homepage"][0]["contentURL"] == own or pages[page_key(programme)]
    assert any(offer["homepage"][0]["contentURL"].startswith("https://credstack.example/")
               for offer in offers)


def test_a_foreign_datasets_price_is_read() -> None:
    """Without credstack's extension, an offer's Amount gives the programme's price."""
    programme = next(p for p in DEMO.programmes if p.price is not None)
    # Its offers are written with their provider, the awarding body, in the same dataset.
    assert programme.awarding_body is not None
    organisation = next(o for o in DEMO.organisations if o.slug == programme.awarding_body.id)
    data = json.loads(write_documents(Documents(organisations=(organisation,),
                                                programmes=(programme,)), Format.ELM))
    for node in data["@graph"]:
        node.pop("https://w3id.org/credstack/mc#descriptors", None)
    [read] = read_documents(json.dumps(data), Format.ELM, source="f.jsonld").programmes
    assert programme.price is not None and read.price is not None
    assert (read.price.amount, read.price.currency) == (programme.price.amount,
                                                        programme.price.currency)


# --- the Qualification Dataset Register's profile (LOQ) ---------------------------------------

#: What the LOQ shapes find in the demo set as one dataset with the programmes' public pages
#: (as credstack's services export it) — (class, property, constraint): how many — each
#: explained in docs/elm-export.md ("The LOQ shapes"). 598 results (830 before offers named
#: their language and page and awarding opportunities their specification).
LOQ_FINDINGS = Counter({
    ("Qualification", "elm:NQFLevel", "MinCount"): 116,  # no national level written
    ("Qualification", "elm:EQFLevel", "MinCount"): 112,  # a level in another framework only
    # LOQ wants rdf:value where the EDC-AP context and shapes say elm:value.
    ("Amount", "http://www.w3.org/1999/02/22-rdf-syntax-ns#value", "MinCount"): 100,
    ("Amount", "elm:value", "Closed"): 100,
    ("Qualification", "https://w3id.org/credstack/mc#descriptors", "Closed"): 78,
    # The stack targets (isPartOf), Qualifications of a title and credits only.
    ("Qualification", "elm:ISCEDFCode", "MinCount"): 38,
    ("Qualification", "elm:learningOutcome", "MinCount"): 38,
    ("Organisation", "https://w3id.org/credstack/mc#organisation", "Closed"): 23,
})


def _loq(data: dict[str, Any], reference: ElmReference, loader: Any
         ) -> Counter[tuple[str, str, str]]:
    graph = validation.credential_graph(data, loader)
    kinds = {str(node): str(kind).rsplit("/", 1)[-1]
             for node, kind in graph.subject_objects(RDF.type)}
    return Counter((kinds.get(finding.focus, "?"), finding.path,
                    finding.constraint.rsplit("#", 1)[-1].removesuffix("ConstraintComponent"))
                   for finding in reference.shapes(LOQ_PROFILE).validate(graph, limit=None))


def test_the_loq_shapes_are_read_with_every_pattern(elm_reference: ElmReference) -> None:
    """pySHACL compiles the LOQ shapes once their Java patterns are rewritten; none is
    left out."""
    assert elm_reference.shapes(LOQ_PROFILE).refused_patterns == ()


def test_what_the_loq_shapes_find_in_the_demo_dataset(elm_reference: ElmReference,
                                                      elm_loader: Any) -> None:
    data = dataset(DEMO.organisations, DEMO.programmes, pages=_pages())
    assert _loq(data, elm_reference, elm_loader) == LOQ_FINDINGS


@pytest.mark.parametrize(("url", "found"), [("ftp://example.org/programme", True),
                                            ("HTTPS://EXAMPLE.ORG/programme", False)])
def test_the_loq_url_pattern_is_checked(elm_reference: ElmReference, elm_loader: Any,
                                        url: str, found: bool) -> None:
    """A qualification's homepage must be an http(s) URL (the QDR's pattern, case-blind)."""
    data = dataset(DEMO.organisations, DEMO.programmes, pages=_pages())
    qualification = next(node for node in data["@graph"] if node["type"] == "Qualification")
    qualification["homepage"] = {"id": "urn:test:homepage", "type": "WebResource",
                                 "contentURL": url}
    findings = set(_loq(data, elm_reference, elm_loader)) - set(LOQ_FINDINGS)
    assert findings == ({("Qualification", "http://xmlns.com/foaf/0.1/homepage", "Node")}
                        if found else set())
