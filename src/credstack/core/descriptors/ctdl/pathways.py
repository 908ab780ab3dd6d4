"""A credit target as CTDL: a ``ceterms:Pathway`` and its ``ceterms:TransferValueProfile`` s.

The graph (:func:`target_graph`) holds:

* the **pathway** (``ceterms:Pathway``): its name, owner, the page that describes it, its
  destination (``ceterms:hasDestinationComponent``, also its one child, ``ceterms:hasChild``)
  and every component (``ceterms:hasPart``);
* the **destination** (``ceterms:CredentialComponent``): the target with its total
  (``ceterms:creditValue``) and one ``ceterms:ComponentCondition`` per requirement
  (``ceterms:hasCondition``) saying how many of its components are needed
  (``ceterms:requiredNumber``) and which they are (``ceterms:targetComponent``); each
  requirement's components are also the destination's children;
* per requirement, a ``ceterms:CredentialComponent`` for each programme it names (its
  ``ceterms:sourceData`` the programme's identifier) or one ``ceterms:BasicComponent`` for
  credits or hours (``ceterms:creditValue`` with ``schema:minValue`` / ``schema:maxValue``);
* the **transfer values** (``ceterms:TransferValueProfile``): per requirement, what it
  grants (``ceterms:transferValue``, a ``ceterms:ValueProfile`` in the target's credit
  system) and from which programmes (``ceterms:transferValueFrom``); per cap or minimum of
  the target's rules, its limit (``schema:maxValue`` / ``schema:minValue``) and source;
* per **programme elsewhere** (a reference that is not a programme of this registry), a
  ``ceterms:LearningOpportunityProfile`` node that ``ceterms:transferValueFrom`` points to,
  so that a CTDL consumer reads what it is rather than a bare IRI: the reference as its
  ``ceterms:identifier`` (``ceterms:identifierValueCode``), its name where known (given by
  the caller, else the title the target's ``programmes_elsewhere`` gives it) and its web page
  (``ceterms:subjectWebpage``: the page the target gives, else the reference when it is a web
  address). Its ``@id``
  is a blank node (``_:`` + a UUID v5 of the pathway's CTID and the reference, the same on
  every export), as the Credential Registry publishes resources it does not hold: a CTID is
  the owner's to give, and the reference's own IRI need not name a learning opportunity.
  Programmes of this registry are linked by their IRI as they are (their CTDL is their own).

The context is written inline — the CTDL prefixes and the language maps — so that the graph
expands with credstack's own document loader, offline, keeping every term (the Credential
Registry's remote context is not fetched, and none is bundled).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any, Final

from credstack.core import vocabularies
from credstack.core.creditbank.jurisdictions import RuleKind
from credstack.core.creditbank.pathways import ProgrammeElsewhere, Requirement, Target
from credstack.core.descriptors.ctdl.vocabulary import (
    _CREDIT_UNITS,
    CTID_NAMESPACE,
    _concept,
    organisation_ctid,
    resource_uri,
)
from credstack.core.descriptors.models import CreditSystem
from credstack.core.types import json_number

__all__ = ["PATHWAY_CONTEXT", "pathway_ctid", "target_graph"]

TERMS: Final = "https://purl.org/ctdl/terms/"

#: The inline context: CTDL's and schema.org's prefixes, and the properties whose values
#: are language maps (``{"ja": …, "en": …}``).
PATHWAY_CONTEXT: Final[dict[str, Any]] = {
    "ceterms": TERMS,
    "schema": "http://schema.org/",
    "ceterms:name": {"@container": "@language"},
    "ceterms:description": {"@container": "@language"},
    "schema:description": {"@container": "@language"},
    "ceterms:frameworkName": {"@container": "@language"},
    "ceterms:targetNodeName": {"@container": "@language"},
    "ceterms:identifierTypeName": {"@container": "@language"},
}


def _phrased(key: str, languages: tuple[str, ...] = ("ja", "en"), **values: object
             ) -> dict[str, str]:
    """A language map of the ``ctdl-pathway-phrase`` vocabulary's ``key`` (``reference``:
    what a programme elsewhere's identifier is, the reference the pathway file names it by),
    ``values`` filled in."""
    return {language: vocabularies.names("ctdl-pathway-phrase", language)[key].format(**values)
            for language in languages}


def pathway_ctid(organisation: str, target: str, *, namespace: uuid.UUID = CTID_NAMESPACE
                 ) -> str:
    """``ce-`` + the UUID v5 of ``pathway:<organisation>/<target id>``: one per target,
    whatever its version."""
    return f"ce-{uuid.uuid5(namespace, f'pathway:{organisation}/{target}')}"


def _ctid(pathway: str, *parts: str) -> str:
    return f"ce-{uuid.uuid5(uuid.UUID(pathway.removeprefix('ce-')), '/'.join(parts))}"


def _texts(ja: str, en: str) -> dict[str, str]:
    return {language: text for language, text in (("ja", ja), ("en", en)) if text}


def _value(system: str, *, value: Decimal | None = None, low: Decimal | None = None,
           high: Decimal | None = None, description: dict[str, str] | None = None
           ) -> dict[str, Any]:
    profile: dict[str, Any] = {"@type": "ceterms:ValueProfile"}
    if system in CreditSystem.__members__.values():
        node, name, unit = _CREDIT_UNITS[CreditSystem(system)]
        profile["ceterms:creditUnitType"] = [_concept("CreditUnit", "Credit Unit Type",
                                                      "creditUnit", node, name)]
        profile["schema:description"] = dict(description or unit)
    elif description:
        profile["schema:description"] = dict(description)
    for key, amount in (("schema:value", value), ("schema:minValue", low),
                        ("schema:maxValue", high)):
        if amount is not None:
            profile[key] = json_number(amount)
    return profile


def _requirement_name(requirement: Requirement) -> dict[str, str]:
    return _texts(requirement.ja, requirement.en) or {"en": requirement.id}


def _described_name(target: Target, reference: str) -> dict[str, str]:
    described = target.described(reference)
    return _texts(described.ja, described.en) if described is not None else {}


def _elsewhere(pathway: str, reference: str, name: Mapping[str, str] | None,
               described: ProgrammeElsewhere | None) -> dict[str, Any]:
    """The node of a programme that is not in this registry (see the module docstring)."""
    if described is not None:
        name = name or _texts(described.ja, described.en)
    node: dict[str, Any] = {
        "@id": "_:" + _ctid(pathway, "elsewhere", reference).removeprefix("ce-"),
        "@type": "ceterms:LearningOpportunityProfile",
        "ceterms:identifier": [{"@type": "ceterms:IdentifierValue",
                                "ceterms:identifierTypeName": _phrased("reference"),
                                "ceterms:identifierValueCode": reference}]}
    if name:
        node["ceterms:name"] = dict(name)
    if described is not None and described.url is not None:
        node["ceterms:subjectWebpage"] = {"@id": described.url}
    elif reference.startswith(("https://", "http://")):
        node["ceterms:subjectWebpage"] = {"@id": reference}
    return node


def target_graph(target: Target, *, organisation: str, page_url: str,
                 programme_names: Mapping[str, Mapping[str, str]] | None = None,
                 in_registry: Collection[str] = ()) -> dict[str, Any]:
    """The CTDL graph of ``target`` of ``organisation`` (its slug), described at
    ``page_url``; ``programme_names`` gives the names of the programmes it names, when
    known; ``in_registry`` the references that are programmes of this registry, every other
    one being a programme elsewhere (see the module docstring)."""
    names = programme_names or {}
    elsewhere: dict[str, dict[str, Any]] = {}
    ctid = pathway_ctid(organisation, target.id)
    owner = {"@id": resource_uri(organisation_ctid(organisation))}
    destination_ctid = _ctid(ctid, "destination")
    destination_id = resource_uri(destination_ctid)
    parts: list[dict[str, Any]] = []
    conditions: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    for requirement in target.requirements:
        components: list[dict[str, Any]] = []
        if requirement.programmes:
            for reference in requirement.programmes:
                component_ctid = _ctid(ctid, "requirement", requirement.id, reference)
                if reference not in in_registry and reference not in elsewhere:
                    elsewhere[reference] = _elsewhere(ctid, reference, names.get(reference),
                                                      target.described(reference))
                components.append({
                    "@id": resource_uri(component_ctid), "@type": "ceterms:CredentialComponent",
                    "ceterms:ctid": component_ctid,
                    "ceterms:name": dict(names.get(reference)
                                         or _described_name(target, reference)
                                         or {"en": reference}),
                    "ceterms:sourceData": {"@id": reference},
                    "ceterms:isChildOf": [{"@id": destination_id}],
                    "ceterms:isPartOf": [{"@id": resource_uri(ctid)}]})
        else:
            component_ctid = _ctid(ctid, "requirement", requirement.id)
            component: dict[str, Any] = {
                "@id": resource_uri(component_ctid), "@type": "ceterms:BasicComponent",
                "ceterms:ctid": component_ctid, "ceterms:name": _requirement_name(requirement),
                "ceterms:isChildOf": [{"@id": destination_id}],
                "ceterms:isPartOf": [{"@id": resource_uri(ctid)}]}
            if requirement.min_credits is not None:
                component["ceterms:creditValue"] = [_value(
                    target.system, low=requirement.min_credits, high=requirement.max_credits)]
            if requirement.min_hours is not None:
                component["ceterms:description"] = _phrased("at-least-hours",
                                                            hours=requirement.min_hours)
            components.append(component)
        parts.extend(components)
        conditions.append({
            "@type": "ceterms:ComponentCondition",
            "ceterms:name": _requirement_name(requirement),
            "ceterms:requiredNumber": requirement.choose or len(components),
            "ceterms:targetComponent": [{"@id": c["@id"]} for c in components]})
        profile_ctid = _ctid(ctid, "transfer", requirement.id)
        profile: dict[str, Any] = {
            "@id": resource_uri(profile_ctid), "@type": "ceterms:TransferValueProfile",
            "ceterms:ctid": profile_ctid, "ceterms:name": _requirement_name(requirement),
            "ceterms:ownedBy": [owner], "ceterms:subjectWebpage": {"@id": page_url},
            "ceterms:transferValueFor": [{"@id": destination_id}]}
        if requirement.min_credits is not None:
            profile["ceterms:transferValue"] = [_value(
                target.system, low=requirement.min_credits, high=requirement.max_credits)]
        if requirement.programmes:
            profile["ceterms:transferValueFrom"] = [
                {"@id": elsewhere[r]["@id"] if r in elsewhere else r}
                for r in requirement.programmes]
        profiles.append(profile)
    for rule in target.rules:
        if rule.kind not in (RuleKind.CAP, RuleKind.MINIMUM):
            continue
        limit = rule.limit(target.total)
        profile_ctid = _ctid(ctid, "rule", rule.id)
        cap = rule.kind is RuleKind.CAP
        profiles.append({
            "@id": resource_uri(profile_ctid), "@type": "ceterms:TransferValueProfile",
            "ceterms:ctid": profile_ctid, "ceterms:name": _texts(rule.ja, rule.en),
            "ceterms:description": _phrased("rule-source", ("en", "ja"), rule=rule.id,
                                            source=rule.source),
            "ceterms:ownedBy": [owner], "ceterms:subjectWebpage": {"@id": page_url},
            "ceterms:transferValueFor": [{"@id": destination_id}],
            "ceterms:transferValue": [_value(target.system, high=limit if cap else None,
                                             low=None if cap else limit)]})
    destination = {
        "@id": destination_id, "@type": "ceterms:CredentialComponent",
        "ceterms:ctid": destination_ctid, "ceterms:name": _texts(target.ja, target.en),
        "ceterms:creditValue": [_value(target.system, value=target.total)],
        "ceterms:isDestinationComponentOf": [{"@id": resource_uri(ctid)}],
        "ceterms:hasChild": [{"@id": c["@id"]} for c in parts],
        "ceterms:hasCondition": conditions,
        "ceterms:isPartOf": [{"@id": resource_uri(ctid)}]}
    pathway = {
        "@id": resource_uri(ctid), "@type": "ceterms:Pathway", "ceterms:ctid": ctid,
        "ceterms:name": _texts(target.ja, target.en), "ceterms:ownedBy": [owner],
        "ceterms:subjectWebpage": {"@id": page_url},
        "ceterms:hasDestinationComponent": [{"@id": destination_id}],
        "ceterms:hasChild": [{"@id": destination_id}],
        "ceterms:hasPart": [{"@id": destination_id}, *({"@id": c["@id"]} for c in parts)]}
    return {"@context": PATHWAY_CONTEXT,
            "@graph": [pathway, destination, *parts, *profiles, *elsewhere.values()]}
