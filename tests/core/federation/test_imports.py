"""Another registry's providers read from a validated trust chain and from a CTDL graph;
anything short of what is required refused with its reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from credstack.core.federation import chains, imports
from credstack.core.federation.imports import ImportedProgramme
from credstack.errors import TrustChainError
from credstack.testing.federation import MemoryFederation

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
ANCHOR = "https://registry.example.my"
LEAF = "https://registry.example.my/um"
ORG = "https://credentialengineregistry.org/resources/ce-0b7d1c2a"


def _chain(metadata: dict[str, Any]) -> chains.ValidatedChain:
    memory = MemoryFederation(NOW)
    memory.add(ANCHOR)
    memory.add(LEAF, authority_hints=[ANCHOR], metadata=metadata)
    memory.state(ANCHOR, LEAF, metadata=metadata)
    return chains.validate(memory.chain(LEAF, ANCHOR), anchor=ANCHOR,
                           anchor_jwks=memory.jwks(ANCHOR), now=NOW)


def test_a_chain_gives_names_country_dids_and_programmes() -> None:
    provider = imports.from_chain(_chain({
        "federation_entity": {"organization_name": "Universiti Malaya",
                              "organization_name#ja": "マラヤ大学",
                              "organization_uri": "https://um.edu.my"},
        "institution_additional_information": {"country": "MY"},
        "micro_credential_provider": {
            "dids": ["did:web:um.edu.my", "did:web:um.edu.my"],
            "programmes": [{"achievement": "https://um.edu.my/a/1", "title": {"en": "Data"}}]},
    }))
    assert provider.entity_id == LEAF
    assert provider.name == {"ja": "マラヤ大学", "en": "Universiti Malaya"}
    assert (provider.country, provider.url) == ("MY", "https://um.edu.my")
    assert provider.dids == ("did:web:um.edu.my",)
    assert provider.programmes == (ImportedProgramme("https://um.edu.my/a/1", {"en": "Data"}),)
    assert provider.recognised is False


@pytest.mark.parametrize("metadata", [
    {"federation_entity": {}},
    {"federation_entity": {"organization_name": "UM"},
     "micro_credential_provider": {"dids": ["https://um.edu.my"]}},
    {"federation_entity": {"organization_name": "UM"},
     "micro_credential_provider": {"programmes": [{"title": {"en": "No achievement"}}]}},
])
def test_a_chain_without_what_is_needed_is_refused(metadata: dict[str, Any]) -> None:
    with pytest.raises(TrustChainError) as refused:
        imports.from_chain(_chain(metadata))
    assert refused.value.reason == "registry-garbage"


def _graph(organisation: dict[str, Any], *programmes: dict[str, Any]) -> dict[str, Any]:
    node = {"@id": ORG, "@type": "ceterms:CredentialOrganization", "ceterms:ctid": "ce-0b7d1c2a",
            "ceterms:name": {"en-US": "Universiti Malaya"}, **organisation}
    return {"@context": "https://credreg.net/ctdl/schema/context/json",
            "@graph": [{key: value for key, value in node.items() if value is not None},
                       *programmes]}


def _programme(**change: Any) -> dict[str, Any]:
    node = {"@id": "https://credentialengineregistry.org/resources/ce-5c1e9b3f",
            "@type": "ceterms:LearningOpportunityProfile", "ceterms:name": "Data science",
            "ceterms:offeredBy": {"@id": ORG}}
    node.update(change)
    return {key: value for key, value in node.items() if value is not None}


def test_a_ctdl_graph_gives_its_organisations_and_what_they_offer() -> None:
    [provider] = imports.from_ctdl(_graph(
        {"ceterms:address": {"ceterms:addressCountry": "my"},
         "ceterms:identifier": [{"ceterms:identifierValueCode": "did:web:um.edu.my"}],
         "ceterms:sameAs": ["https://um.edu.my", "did:key:z6Mk"]},
        _programme()), source="graph.jsonld")
    assert provider.entity_id == ORG
    assert provider.name == {"en": "Universiti Malaya"}
    assert provider.country == "MY"
    assert provider.dids == ("did:key:z6Mk", "did:web:um.edu.my")
    assert [item.title for item in provider.programmes] == [{"en": "Data science"}]


@pytest.mark.parametrize(("document", "reason", "named"), [
    (_graph({"ceterms:name": None}), "ctdl-incomplete", "ceterms:name"),
    (_graph({"ceterms:ctid": None}), "ctdl-incomplete", "ceterms:ctid"),
    (_graph({}, _programme(**{"ceterms:offeredBy": None})), "ctdl-incomplete", "offeredBy"),
    (_graph({}, _programme(**{"ceterms:offeredBy": "https://elsewhere"})), "ctdl-incomplete",
     "not an organisation in the graph"),
    (_graph({}, _programme(**{"ceterms:name": None})), "ctdl-incomplete", "@graph[1]"),
    ({"@graph": [{"@type": "ceterms:Badge"}]}, "ctdl-incomplete", "@id"),
    ({"@graph": []}, "ctdl-incomplete", "CredentialOrganization"),
    ({"@graph": "nodes"}, "registry-garbage", "@graph"),
    (["not", "a", "graph"], "registry-garbage", "@graph"),
])
def test_a_ctdl_graph_short_of_a_required_field_is_refused(
    document: Any, reason: str, named: str
) -> None:
    with pytest.raises(TrustChainError) as refused:
        imports.from_ctdl(document, source="graph.jsonld")
    assert refused.value.reason == reason
    assert named in refused.value.message
