"""Programme datasets written by credstack (:mod:`credstack.core.descriptors.elm.datasets`)
keep the EDC shapes, as its EDCs do: every Organisation, Qualification or
LearningAchievementSpecification and LearningOpportunity, with what it holds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from rdflib import RDF, URIRef

from credstack.core.descriptors import Documents, Format, read_documents, write_documents
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

#: What the LOQ shapes find in the demo set as one dataset — (class, property, constraint) —
#: each explained in docs/elm-export.md ("The LOQ shapes").
LOQ_FINDINGS = {
    ("Qualification", "elm:EQFLevel", "MinCount"),  # a level in another framework, no EQF
    ("Qualification", "elm:NQFLevel", "MinCount"),  # no national level written
    ("Qualification", "elm:ISCEDFCode", "MinCount"),  # no field of study
    ("Qualification", "elm:learningOutcome", "MinCount"),  # no outcome stated
    ("Qualification", "https://w3id.org/credstack/mc#descriptors", "Closed"),
    ("Organisation", "https://w3id.org/credstack/mc#organisation", "Closed"),
    ("AwardingOpportunity", "elm:learningAchievementSpecification", "MinCount"),
    ("LearningOpportunity", "elm:defaultLanguage", "MinCount"),
    ("LearningOpportunity", "http://xmlns.com/foaf/0.1/homepage", "MinCount"),
    # LOQ wants rdf:value where the EDC-AP context and shapes say elm:value.
    ("Amount", "http://www.w3.org/1999/02/22-rdf-syntax-ns#value", "MinCount"),
    ("Amount", "elm:value", "Closed"),
}


def _loq(data: dict[str, Any], reference: ElmReference, loader: Any
         ) -> set[tuple[str, str, str]]:
    graph = validation.credential_graph(data, loader)
    kinds = {str(node): str(kind).rsplit("/", 1)[-1]
             for node, kind in graph.subject_objects(RDF.type)}
    return {(kinds.get(finding.focus, "?"), finding.path,
             finding.constraint.rsplit("#", 1)[-1].removesuffix("ConstraintComponent"))
            for finding in reference.shapes(LOQ_PROFILE).validate(graph, limit=None)}


def test_the_loq_shapes_are_read_with_every_pattern(elm_reference: ElmReference) -> None:
    """pySHACL compiles the LOQ shapes once their Java patterns are rewritten; none is
    left out."""
    assert elm_reference.shapes(LOQ_PROFILE).refused_patterns == ()


def test_what_the_loq_shapes_find_in_the_demo_dataset(elm_reference: ElmReference,
                                                      elm_loader: Any) -> None:
    data = json.loads(write_documents(DEMO, Format.ELM))
    assert _loq(data, elm_reference, elm_loader) == LOQ_FINDINGS


@pytest.mark.parametrize(("url", "found"), [("ftp://example.org/programme", True),
                                            ("HTTPS://EXAMPLE.ORG/programme", False)])
def test_the_loq_url_pattern_is_checked(elm_reference: ElmReference, elm_loader: Any,
                                        url: str, found: bool) -> None:
    """A qualification's homepage must be an http(s) URL (the QDR's pattern, case-blind)."""
    data = json.loads(write_documents(DEMO, Format.ELM))
    qualification = next(node for node in data["@graph"] if node["type"] == "Qualification")
    qualification["homepage"] = {"id": "urn:test:homepage", "type": "WebResource",
                                 "contentURL": url}
    findings = _loq(data, elm_reference, elm_loader) - LOQ_FINDINGS
    assert findings == ({("Qualification", "http://xmlns.com/foaf/0.1/homepage", "Node")}
                        if found else set())
