"""Writing programmes as CTDL JSON-LD."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from credstack.core.descriptors.ctdl.vocabulary import (
    _CREDIT_UNITS,
    _DELIVERY,
    _ORGANISATION_TYPES,
    _PREREQUISITES_NAME,
    _PROGRAMME_CODE_NAME,
    CONTEXT_URL,
    CTID_NAMESPACE,
    DESCRIPTORS_PROPERTY,
    ORGANISATION_PROPERTY,
    REGISTRY_RESOURCES,
    _check_ctid,
    _concept,
    organisation_ctid,
    programme_ctid,
    resource_uri,
)
from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import (
    AwardedMicroCredential,
    CreditAmount,
    CreditRecognitionKind,
    Programme,
)
from credstack.core.organisations import Organisation, OrganisationKind
from credstack.core.types import MultilingualText, json_number
from credstack.errors import InputError, Problem


def credential_class(programme: Programme) -> str:
    """``ceterms:MicroCredential`` when learning outcomes are assessed, else ``ceterms:Badge``."""
    return "ceterms:MicroCredential" if programme.assesses_learning else "ceterms:Badge"


def _json_literal(document: Mapping[str, Any]) -> dict[str, Any]:
    return {"@type": "@json", "@value": dict(document)}


def _plain(value: Decimal) -> str:
    """``Decimal("7.50")`` → ``7.5``, ``Decimal("100")`` → ``100`` (never ``1E+2``)."""
    return format(value.normalize(), "f")


def _texts(text: MultilingualText) -> dict[str, str]:
    return dict(text.root)


def _credit_value(amount: CreditAmount) -> dict[str, Any]:
    node, name, description = _CREDIT_UNITS[amount.system]
    return {
        "@type": "ceterms:ValueProfile",
        "ceterms:creditUnitType": [_concept("CreditUnit", "Credit Unit Type", "creditUnit",
                                            node, name)],
        "schema:value": json_number(amount.value),
        "schema:description": dict(description),
    }


def _competencies(programme: Programme) -> list[dict[str, Any]]:
    competencies: list[dict[str, Any]] = [
        {"@type": "ceterms:CredentialAlignmentObject",
         "ceterms:targetNodeName": _texts(outcome.statement)}
        for outcome in programme.learning_outcomes
    ]
    for skill in programme.skills:
        competency: dict[str, Any] = {"@type": "ceterms:CredentialAlignmentObject",
                                      "ceterms:targetNodeName": _texts(skill.name)}
        if skill.framework is not None:
            competency["ceterms:frameworkName"] = {"en": skill.framework}
        if skill.code is not None:
            competency["ceterms:codedNotation"] = skill.code
        if skill.url is not None:
            competency["ceterms:targetNode"] = str(skill.url)
        competencies.append(competency)
    return competencies


def _requirements(programme: Programme) -> list[dict[str, Any]]:
    requirements: list[dict[str, Any]] = []
    completion: dict[str, Any] = {"@type": "ceterms:ConditionProfile"}
    assessment = programme.assessment
    if assessment is not None and assessment.description is not None:
        completion["ceterms:description"] = _texts(assessment.description)
    effort = programme.learner_effort
    if effort is not None and effort.credits:
        completion["ceterms:creditValue"] = [_credit_value(a) for a in effort.credits]
    competencies = _competencies(programme)
    if competencies:
        completion["ceterms:targetCompetency"] = competencies
    if len(completion) > 1:
        requirements.append(completion)
    if programme.prerequisites is not None:
        requirements.append({
            "@type": "ceterms:ConditionProfile",
            "ceterms:name": dict(_PREREQUISITES_NAME),
            "ceterms:description": _texts(programme.prerequisites),
        })
    return requirements


def programme_to_ctdl(
    programme: Programme,
    *,
    ctid: str | None = None,
    owner: str | None = None,
    resource_base: str = REGISTRY_RESOURCES,
    namespace: uuid.UUID = CTID_NAMESPACE,
) -> dict[str, Any]:
    """The credential node of a programme, with its descriptors in the extension.

    ``ctid`` defaults to :func:`programme_ctid`; ``owner`` (the ``@id`` of the awarding
    body's node) to the resource URI of :func:`organisation_ctid` of its slug.
    """
    body = programme.awarding_body
    slug = body.id if body is not None else ""
    ctid = ctid or programme_ctid(slug, programme.code, namespace=namespace)
    _check_ctid(ctid, "ctid")
    node: dict[str, Any] = {
        "@id": resource_uri(ctid, base=resource_base),
        "@type": credential_class(programme),
        "ceterms:ctid": ctid,
    }
    if programme.title is not None:
        node["ceterms:name"] = _texts(programme.title)
    if programme.description is not None:
        node["ceterms:description"] = _texts(programme.description)
    node["ceterms:identifier"] = [{
        "@type": "ceterms:IdentifierValue",
        "ceterms:identifierTypeName": dict(_PROGRAMME_CODE_NAME),
        "ceterms:identifierValueCode": programme.code,
    }]
    if body is not None:
        owner = owner or resource_uri(organisation_ctid(body.id, namespace=namespace),
                                      base=resource_base)
        node["ceterms:ownedBy"] = [owner]
        node["ceterms:offeredBy"] = [owner]
    further = programme.further_information
    if further is not None and further.url is not None:
        node["ceterms:subjectWebpage"] = str(further.url)
    if programme.languages:
        node["ceterms:inLanguage"] = list(programme.languages)
    participation = programme.form_of_participation
    if participation is not None:
        delivery, name = _DELIVERY[participation.mode]
        node["ceterms:learningDeliveryType"] = [
            _concept("Delivery", "Delivery Type", "deliveryType", delivery, name)]
        if participation.description is not None:
            node["ceterms:learningMethodDescription"] = _texts(participation.description)
    effort = programme.learner_effort
    if effort is not None:
        duration: dict[str, Any] = {"@type": "ceterms:DurationProfile",
                                    "ceterms:timeRequired": f"PT{_plain(effort.hours)}H"}
        if effort.duration_weeks is not None:
            duration["ceterms:exactDuration"] = f"P{effort.duration_weeks}W"
        node["ceterms:estimatedDuration"] = [duration]
    requirements = _requirements(programme)
    if requirements:
        node["ceterms:requires"] = requirements
    stackability = programme.stackability
    if stackability is not None and stackability.targets:
        targets: list[dict[str, Any]] = []
        for target in stackability.targets:
            condition: dict[str, Any] = {"@type": "ceterms:ConditionProfile",
                                         "ceterms:name": _texts(target.title)}
            if target.url is not None:
                condition["ceterms:subjectWebpage"] = str(target.url)
            if target.credits is not None:
                condition["ceterms:creditValue"] = [_credit_value(target.credits)]
            targets.append(condition)
        node["ceterms:isPreparationFor"] = targets
    price = programme.price
    if price is not None:
        node["ceterms:estimatedCost"] = [{
            "@type": "ceterms:CostProfile",
            "ceterms:price": json_number(price.amount),
            "ceterms:currency": price.currency,
            "ceterms:directCostType": _concept("CostType", "Cost Type", "costType",
                                               "AggregateCost", "Aggregate Cost"),
        }]
        if price.financial_assistance is not None:
            node["ceterms:financialAssistance"] = [{
                "@type": "ceterms:FinancialAssistanceProfile",
                "ceterms:description": _texts(price.financial_assistance),
            }]
    if programme.fields:
        node["ceterms:keyword"] = {
            language: [label(field, language) for field in programme.fields]
            for language in ("ja", "en")
        }
    recognition = programme.credit_recognition
    if recognition is not None and set(recognition.kinds) == {CreditRecognitionKind.NONE}:
        node["ceterms:isNonCredit"] = True
    node[DESCRIPTORS_PROPERTY] = _json_literal(programme.to_document())
    return node


def organisation_to_ctdl(
    organisation: Organisation,
    *,
    ctid: str | None = None,
    resource_base: str = REGISTRY_RESOURCES,
    namespace: uuid.UUID = CTID_NAMESPACE,
) -> dict[str, Any]:
    """The organisation node, with the organisation's document in the extension."""
    ctid = ctid or organisation_ctid(organisation.slug, namespace=namespace)
    _check_ctid(ctid, "ctid")
    quality_assurance = organisation.kind is OrganisationKind.RECOGNITION_BODY
    node: dict[str, Any] = {
        "@id": resource_uri(ctid, base=resource_base),
        "@type": ("ceterms:QACredentialOrganization" if quality_assurance
                  else "ceterms:CredentialOrganization"),
        "ceterms:ctid": ctid,
        "ceterms:name": _texts(organisation.name),
    }
    if organisation.url is not None:
        node["ceterms:subjectWebpage"] = str(organisation.url)
    if organisation.kind in _ORGANISATION_TYPES:
        kind, name = _ORGANISATION_TYPES[organisation.kind]
        node["ceterms:agentType"] = [
            _concept("OrganizationType", "Organization Type", "orgType", kind, name)]
    node[ORGANISATION_PROPERTY] = _json_literal(organisation.to_document())
    return node


def ctdl_graph(
    organisations: Sequence[Organisation],
    programmes: Sequence[Programme],
    *,
    resource_base: str = REGISTRY_RESOURCES,
    namespace: uuid.UUID = CTID_NAMESPACE,
) -> dict[str, Any]:
    """One ``@graph`` of the organisations' nodes, then the programmes' nodes.

    Raises :class:`~credstack.errors.InputError` for an awarded micro-credential: a
    learner's award belongs to one credential, not to the description of a programme.
    """
    awarded = [
        Problem(f"programmes[{index}] ({programme.code})", "remove the award section: CTDL "
                "describes the programme, not one learner's credential")
        for index, programme in enumerate(programmes)
        if isinstance(programme, AwardedMicroCredential)
    ]
    if awarded:
        raise InputError("award data cannot go into CTDL", problems=awarded)
    graph = [organisation_to_ctdl(o, resource_base=resource_base, namespace=namespace)
             for o in organisations]
    graph += [programme_to_ctdl(p, resource_base=resource_base, namespace=namespace)
              for p in programmes]
    return {"@context": CONTEXT_URL, "@graph": graph}
