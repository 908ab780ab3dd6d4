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
from credstack.core.elm.reference import DEFAULT_PROFILE, ElmReference
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
