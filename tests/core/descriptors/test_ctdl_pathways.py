"""A credit target as CTDL: a ``ceterms:Pathway`` with its components and the target's rules
as ``ceterms:TransferValueProfile`` s, programmes elsewhere as nodes of their own, expanding
offline with credstack's document loader and keeping every term."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.creditbank import load_target
from credstack.core.crypto.canonicalization import jsonld_expand
from credstack.core.descriptors.ctdl.pathways import TERMS, pathway_ctid, target_graph

BASE = "https://registry.example.jp"
TARGET = f"""\
id: hokuto/bachelor-dx
title: {{ja: 情報学士課程（DX）, en: Bachelor of Informatics (DX)}}
kind: degree
system: jp-tani
jurisdiction: jp
award: bachelor
rules: [jp.prior-learning]
requirements:
  - id: core
    title: {{ja: データサイエンス基礎, en: Data science foundations}}
    programmes: [{BASE}/programmes/31, {BASE}/achievements/32/v1]
  - {{id: pick, choose: 1, programmes: [{BASE}/programmes/33, "urn:example:elsewhere"]}}
  - {{id: green, credits: {{min: 4, max: 8}}, field: green}}
"""


#: A target whose requirement counts hours (its component says how many), with the same rule.
HOURS = TARGET + "  - {id: practice, hours: {min: 90}}\n"

#: The references that are programmes of this registry.
OURS = frozenset({f"{BASE}/programmes/31", f"{BASE}/achievements/32/v1", f"{BASE}/programmes/33"})


def graph(target: str = TARGET, names: dict[str, dict[str, str]] | None = None
          ) -> dict[str, Any]:
    return target_graph(load_target(target), organisation="hokuto-tech",
                        page_url=f"{BASE}/targets/abc",
                        programme_names={f"{BASE}/programmes/31": {"ja": "基礎", "en": "Basics"},
                                         **(names or {})},
                        in_registry=OURS)


def nodes(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [node for node in document["@graph"] if node["@type"] == kind]


def properties(element: Any, *, language_maps: frozenset[str] = frozenset()) -> int:
    """How many property entries ``element`` holds, nested nodes included; the values of a
    language map are one entry."""
    if isinstance(element, list):
        return sum(properties(item, language_maps=language_maps) for item in element)
    if not isinstance(element, dict):
        return 0
    count = 0
    for key, value in element.items():
        if key.startswith("@"):
            if key == "@graph":
                count += properties(value, language_maps=language_maps)
            continue
        count += 1
        if key not in language_maps:
            count += properties(value, language_maps=language_maps)
    return count


def test_the_target_is_a_pathway_whose_destination_holds_a_condition_per_requirement() -> None:
    """The pathway names the destination as its destination and child; the destination
    carries the total and one condition per requirement, naming how many of which
    components are needed."""
    document = graph()
    [pathway] = nodes(document, "ceterms:Pathway")
    assert pathway["ceterms:ctid"] == pathway_ctid("hokuto-tech", "hokuto/bachelor-dx")
    destination_id = pathway["ceterms:hasDestinationComponent"][0]["@id"]
    assert pathway["ceterms:hasChild"] == [{"@id": destination_id}]
    [destination] = [n for n in document["@graph"] if n["@id"] == destination_id]
    assert destination["ceterms:creditValue"][0]["schema:value"] == 124
    conditions = destination["ceterms:hasCondition"]
    assert [c["ceterms:requiredNumber"] for c in conditions] == [2, 1, 1]
    components = {n["@id"]: n for n in document["@graph"]
                  if n["@type"] in ("ceterms:CredentialComponent", "ceterms:BasicComponent")}
    core = [components[ref["@id"]] for ref in conditions[0]["ceterms:targetComponent"]]
    assert [c["ceterms:sourceData"]["@id"] for c in core] == [
        f"{BASE}/programmes/31", f"{BASE}/achievements/32/v1"]
    assert core[0]["ceterms:name"] == {"ja": "基礎", "en": "Basics"}
    [green] = [components[ref["@id"]] for ref in conditions[2]["ceterms:targetComponent"]]
    assert green["@type"] == "ceterms:BasicComponent"
    assert (green["ceterms:creditValue"][0]["schema:minValue"],
            green["ceterms:creditValue"][0]["schema:maxValue"]) == (4, 8)
    assert {p["@id"] for p in pathway["ceterms:hasPart"]} == {destination_id, *components}


def test_the_rules_are_transfer_value_profiles_from_the_programmes() -> None:
    """Each requirement's profile says from which programmes credit transfers and how much;
    the jurisdiction's cap is a profile of its own with its limit and source."""
    profiles = {p["ceterms:name"].get("en"): p
                for p in nodes(graph(), "ceterms:TransferValueProfile")}
    core = profiles["Data science foundations"]
    assert core["ceterms:transferValueFrom"] == [{"@id": f"{BASE}/programmes/31"},
                                                 {"@id": f"{BASE}/achievements/32/v1"}]
    green = profiles["green"]
    assert green["ceterms:transferValue"][0]["@type"] == "ceterms:ValueProfile"
    assert green["ceterms:transferValue"][0]["schema:minValue"] == 4
    [cap] = [p for p in profiles.values() if "jp.prior-learning" in
             p.get("ceterms:description", {}).get("en", "")]
    assert cap["ceterms:transferValue"][0]["schema:maxValue"] == 60
    assert "seed 001" in cap["ceterms:description"]["en"]


def test_a_programme_elsewhere_is_a_learning_opportunity_node_of_its_own() -> None:
    """A reference that is no programme of this registry is not left a bare IRI: the
    transfer value comes from a ``ceterms:LearningOpportunityProfile`` (a blank node, the same
    on every export) identified by the reference, named when its name is known, with the
    reference as its web page when it is one; programmes of the registry stay linked."""
    elsewhere = "https://other-univ.example.ac.jp/courses/ml-101"
    text = TARGET.replace('"urn:example:elsewhere"', f'"urn:example:elsewhere", "{elsewhere}"')
    document = graph(text, {elsewhere: {"en": "Machine learning 101"}})
    [pick] = [p for p in nodes(document, "ceterms:TransferValueProfile")
              if p["ceterms:name"].get("en") == "pick"]
    ours, urn, web = pick["ceterms:transferValueFrom"]
    assert ours == {"@id": f"{BASE}/programmes/33"}
    found = {n["@id"]: n for n in nodes(document, "ceterms:LearningOpportunityProfile")}
    assert set(found) == {urn["@id"], web["@id"]}
    assert all(key.startswith("_:") for key in found)
    assert found[urn["@id"]] == {
        "@id": urn["@id"], "@type": "ceterms:LearningOpportunityProfile",
        "ceterms:identifier": [{
            "@type": "ceterms:IdentifierValue",
            "ceterms:identifierTypeName": {"ja": "経路ファイルでの参照",
                                           "en": "Reference in the pathway file"},
            "ceterms:identifierValueCode": "urn:example:elsewhere"}]}
    assert found[web["@id"]]["ceterms:name"] == {"en": "Machine learning 101"}
    assert found[web["@id"]]["ceterms:subjectWebpage"] == {"@id": elsewhere}
    assert graph(text, {elsewhere: {"en": "Machine learning 101"}}) == document
    # A programme named by two requirements is one node.
    twice = text.replace("field: green}}", "field: green}}\n  - {id: again, programmes: "
                         "[urn:example:elsewhere]}")
    assert len(nodes(graph(twice), "ceterms:LearningOpportunityProfile")) == 2


def test_a_programme_elsewhere_takes_the_title_and_page_the_target_gives_it() -> None:
    """``programmes_elsewhere`` names the URN's programme and gives its web page: the node
    and the component carry them."""
    text = TARGET + """programmes_elsewhere:
  - id: "urn:example:elsewhere"
    title: {ja: 生成AI入門, en: Generative AI basics}
    url: "https://other-univ.example.ac.jp/gai"
"""
    document = graph(text)
    [node] = nodes(document, "ceterms:LearningOpportunityProfile")
    assert node["ceterms:name"] == {"ja": "生成AI入門", "en": "Generative AI basics"}
    assert node["ceterms:subjectWebpage"] == {"@id": "https://other-univ.example.ac.jp/gai"}
    [component] = [n for n in nodes(document, "ceterms:CredentialComponent")
                   if n.get("ceterms:sourceData") == {"@id": "urn:example:elsewhere"}]
    assert component["ceterms:name"]["en"] == "Generative AI basics"


def test_the_graph_expands_offline_keeping_every_term() -> None:
    """Expanded with credstack's own loader (which fetches nothing and refuses unknown
    contexts) the graph keeps every property: the same count, every one a CTDL or
    schema.org IRI."""
    document = graph()
    expanded = jsonld_expand(document, document_loader=shared_document_loader())
    language_maps = frozenset(k for k, v in document["@context"].items()
                              if isinstance(v, dict) and v.get("@container") == "@language")
    assert properties(expanded) == properties(document, language_maps=language_maps)
    keys: set[str] = set()

    def collect(element: Any) -> None:
        if isinstance(element, list):
            for item in element:
                collect(item)
        elif isinstance(element, dict):
            for key, value in element.items():
                if not key.startswith("@"):
                    keys.add(key)
                collect(value)

    collect(expanded)
    assert keys and all(k.startswith((TERMS, "http://schema.org/")) for k in keys), keys
    assert TERMS + "transferValueFrom" in keys and TERMS + "hasDestinationComponent" in keys


def test_the_graph_says_what_it_said() -> None:
    """Word for word, in Japanese and English, the graph a target with a rule and a requirement
    of hours made before its words moved into the ``ctdl-pathway-phrase`` vocabulary (issue
    53): the identifier's type of a programme elsewhere, the hours, the rule and its source
    (``ctdl_pathway_words.json``)."""
    recorded = json.loads((Path(__file__).parent / "ctdl_pathway_words.json")
                          .read_text(encoding="utf-8"))
    assert json.loads(json.dumps(graph(HOURS), ensure_ascii=False)) == recorded
