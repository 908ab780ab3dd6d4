"""Programmes and organisations as CTDL JSON-LD, the language of the Credential Registry.

Specification: *Credential Transparency Description Language (CTDL)*, Credential Engine,
release of 31 January 2025, https://credreg.net/ctdl/terms (terms under the ``ceterms:``
prefix, https://purl.org/ctdl/terms/; concept schemes such as ``deliveryType:`` and
``creditUnit:``). Documents are written and read in the compact form the Credential Registry
publishes as its "graph" JSON-LD (https://credreg.net/registry/handbook): ``"@context"`` is
the string :data:`CONTEXT_URL`, every property is ``ceterms:``-prefixed, texts are language
maps (``{"ja": …, "en": …}``) and a bundle is one ``"@graph"`` of nodes. Nothing here loads
the context or does JSON-LD processing: documents are read as plain JSON.

A programme is one credential node — ``ceterms:MicroCredential`` when its learning outcomes
are assessed, else ``ceterms:Badge`` (the rule of
:func:`credstack.core.credentials.openbadges_v3.achievement_type`: an attendance badge is
never dressed up as a micro-credential) — and an organisation one
``ceterms:CredentialOrganization`` node (``ceterms:QACredentialOrganization`` for a
recognition body). Only properties whose CTDL domain includes those classes are written:

=================================== ========================================================
descriptor                          CTDL (on the credential node unless said otherwise)
=================================== ========================================================
code                                ``ceterms:identifier`` (``IdentifierValue``); read as
                                    the first valid code of ``ceterms:codedNotation``, the
                                    identifiers' values and the ``ceterms:ctid``
title, description                  ``ceterms:name``, ``ceterms:description``
awarding body                       ``ceterms:ownedBy`` and ``ceterms:offeredBy``: the
                                    ``@id`` of the organisation's node
country/region of the issuer        read only: an ISO 3166-1 code in the owning
                                    organisation's ``ceterms:address/addressCountry``
languages                           ``ceterms:inLanguage``
form of participation (mode)        ``ceterms:learningDeliveryType``: ``deliveryType:
                                    OnlineOnly`` / ``InPerson`` / ``BlendedDelivery``
                                    (``ceterms:deliveryType`` on a learning opportunity)
form of participation (description) ``ceterms:learningMethodDescription``
learner effort: hours               ``ceterms:estimatedDuration`` → ``DurationProfile``
                                    ``ceterms:timeRequired`` (``PT45H``)
learner effort: weeks               the same profile's ``ceterms:exactDuration`` (``P10W``)
learner effort: credits             ``ceterms:requires`` → ``ConditionProfile``
                                    ``ceterms:creditValue`` → ``ValueProfile``
                                    (``schema:value``, ``ceterms:creditUnitType``)
learning outcomes, skills           that profile's ``ceterms:targetCompetency``
                                    (``CredentialAlignmentObject``)
assessment (description)            that profile's ``ceterms:description``
prerequisites                       a second ``ceterms:requires`` profile named
                                    "Prerequisites" (``ceterms:entryCondition`` on a
                                    learning opportunity)
stackability (targets)              ``ceterms:isPreparationFor`` → ``ConditionProfile``
                                    (name, ``subjectWebpage``, ``creditValue``)
price                               ``ceterms:estimatedCost`` → ``CostProfile``
                                    (``price``, ``currency``, ``costType:AggregateCost``)
financial assistance                ``ceterms:financialAssistance`` →
                                    ``FinancialAssistanceProfile``
further information (URL)           ``ceterms:subjectWebpage``
fields of study                     ``ceterms:keyword`` (their labels; written only)
credit recognition "none"           ``ceterms:isNonCredit: true``
every descriptor, in full           :data:`DESCRIPTORS_PROPERTY` (see below)
=================================== ========================================================

Decisions the mapping takes:

* **What CTDL cannot say travels in an extension property.** CTDL has no property for the
  assessment methods, supervision, quality assurance, qualification levels, certification,
  credit recognition, dates of delivery, inherent requirements or pace, and its credit units
  name no Japanese, Malaysian or New Zealand credit. So every credential node also carries
  the programme's whole descriptor document under :data:`DESCRIPTORS_PROPERTY`
  (``https://w3id.org/credstack/mc#descriptors``, in the vocabulary of the credstack
  micro-credential extension, ``docs/mc-extension.md``), and every organisation node its
  organisation document under :data:`ORGANISATION_PROPERTY`. The property is a full IRI so
  that the ``@context`` stays the Credential Registry's string, and its value is a JSON
  literal (``{"@type": "@json", "@value": {…}}``, JSON-LD 1.1) so that JSON-LD processing
  keeps the document whole. Reading a node with the extension uses the extension alone:
  credstack → CTDL → credstack is lossless. A node without it (foreign CTDL) yields what
  the CTDL properties say, as the table shows, and no more.
* **CTIDs are derived, not stored.** A CTID is ``ce-`` and a UUID; the Registry asks that a
  resource keep its CTID for life, so that publishing again updates it. credstack keeps no
  CTID column: :func:`programme_ctid` is ``ce-`` + the UUID v5 of ``programme:<organisation
  slug>/<code>`` (:func:`organisation_ctid`: ``organisation:<slug>``) in
  :data:`CTID_NAMESPACE`. Every export gives the same CTID to the same programme, without
  a database write; the programme's key in credstack is exactly that pair. Slugs are
  unique within one credstack registry only: a deployment publishing beside another
  credstack deployment passes its own ``namespace``.
* **Node ids** are the Registry's resource URIs (``https://credentialengineregistry.org/
  resources/<ctid>``): the graph is what publishing it would produce. They resolve only
  once published; ``resource_base`` changes them.
* **Credits**: ``us-credit-hour`` is ``creditUnit:SemesterHour``; the other systems are
  academic credits towards a degree, ``creditUnit:DegreeCredit``, with the system named in
  ``schema:description``. Reading foreign CTDL, ``SemesterHour`` and descriptions naming
  ECTS or one of those systems are understood; other units are left out.
* **Foreign CTDL** is read leniently where CTDL is looser than credstack: empty texts,
  durations in months, currencies that are not ISO 4217 codes and credit units without a
  credstack system are left out rather than refused; hours need ``timeRequired`` (or an
  ``exactDuration`` in hours). A competency with only a name is a learning outcome; one
  with a framework, code or URL is a skill. An organisation is read only when CTDL states
  what credstack needs of one (a name and a country code); its slug is its CTID. Values of
  the wrong shape are passed on, so that validation names them.

Pure: no clock, no network, no I/O.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final, Literal

from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import (
    AwardedMicroCredential,
    CreditAmount,
    CreditRecognitionKind,
    CreditSystem,
    DeliveryMode,
    Programme,
)
from credstack.core.organisations import Organisation, OrganisationKind
from credstack.core.types import MultilingualText
from credstack.errors import InputError, Problem

__all__ = [
    "CONTEXT_URL",
    "CTID_NAMESPACE",
    "DESCRIPTORS_PROPERTY",
    "ORGANISATION_PROPERTY",
    "REGISTRY_RESOURCES",
    "credential_class",
    "ctdl_graph",
    "graph_nodes",
    "has_extension",
    "looks_like_ctdl",
    "node_kind",
    "organisation_ctid",
    "organisation_from_ctdl",
    "organisation_to_ctdl",
    "programme_ctid",
    "programme_from_ctdl",
    "programme_to_ctdl",
    "programme_uuid",
    "property_of",
    "resource_uri",
]

#: The CTDL JSON-LD context, written as a string and never fetched.
CONTEXT_URL: Final = "https://credreg.net/ctdl/schema/context/json"
#: Where the Credential Registry serves a resource by its CTID.
REGISTRY_RESOURCES: Final = "https://credentialengineregistry.org/resources/"
#: The credstack micro-credential vocabulary (the OB 3.0 extension's, ``docs/mc-extension.md``).
VOCABULARY: Final = "https://w3id.org/credstack/mc#"
#: The property of a credential node that holds the programme's whole descriptor document.
DESCRIPTORS_PROPERTY: Final = VOCABULARY + "descriptors"
#: The property of an organisation node that holds the organisation's document.
ORGANISATION_PROPERTY: Final = VOCABULARY + "organisation"
#: The namespace of credstack's name-based CTIDs (UUID v5); never change it.
CTID_NAMESPACE: Final = uuid.UUID("53f65a0c-d76b-4149-812b-f9152c862655")

_CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_CODE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<Mo>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<H>\d+(?:[.,]\d+)?)H)?(?:(?P<Mi>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<S>\d+(?:[.,]\d+)?)S)?)?$"
)
#: "Undetermined" (BCP 47): the language of a CTDL text given as a bare string.
_UNDETERMINED = "und"
_TERMS = "https://credreg.net/ctdl/terms/"

# --- classes ----------------------------------------------------------------------------

#: Credential classes (subclasses of ``ceterms:Credential``) read as programmes.
_CREDENTIAL_CLASSES: Final = frozenset({
    "Credential", "MicroCredential", "Badge", "DigitalBadge", "OpenBadge", "Certificate",
    "CertificateOfCompletion", "CertificateOfParticipation", "AcademicCertificate",
    "BasicTechnicalCertificate", "ProfessionalCertificate", "Certification",
    "ApprenticeshipCertificate", "JourneymanCertificate", "MasterCertificate",
    "PreApprenticeshipCertificate", "Degree", "AssociateDegree", "BachelorDegree",
    "MasterDegree", "DoctoralDegree", "ProfessionalDoctorate", "ResearchDoctorate", "Diploma",
    "GeneralEducationDevelopment", "SecondarySchoolDiploma", "License",
    "QualityAssuranceCredential",
})
#: Learning opportunity classes, also read as programmes.
_LEARNING_CLASSES: Final = frozenset({"LearningOpportunityProfile", "LearningProgram", "Course"})
_ORGANISATION_CLASSES: Final = frozenset({
    "CredentialOrganization", "QACredentialOrganization", "Organization",
})

# --- concept schemes --------------------------------------------------------------------

_DELIVERY: Final[dict[DeliveryMode, tuple[str, str]]] = {
    DeliveryMode.ONLINE: ("OnlineOnly", "Online Only"),
    DeliveryMode.ONSITE: ("InPerson", "In Person Only"),
    DeliveryMode.BLENDED: ("BlendedDelivery", "Blended Delivery"),
}

#: Each credit system as a CTDL credit unit, with the words that name the system.
_CREDIT_UNITS: Final[dict[CreditSystem, tuple[str, str, dict[str, str]]]] = {
    CreditSystem.JP_TANI: ("DegreeCredit", "Degree Credit", {
        "ja": "単位（日本の大学の単位）", "en": "Japanese university credits (tan'i)"}),
    CreditSystem.ECTS: ("DegreeCredit", "Degree Credit", {
        "ja": "ECTS 単位", "en": "ECTS credits"}),
    CreditSystem.MY_CREDIT: ("DegreeCredit", "Degree Credit", {
        "ja": "マレーシアの単位（MQF）", "en": "Malaysian credits (MQF)"}),
    CreditSystem.NZ_CREDIT: ("DegreeCredit", "Degree Credit", {
        "ja": "ニュージーランドの単位（NZQCF）", "en": "New Zealand credits (NZQCF)"}),
    CreditSystem.US_CREDIT_HOUR: ("SemesterHour", "Semester Hour", {
        "ja": "米国のセメスター単位時間", "en": "US semester credit hours"}),
}

#: Organisation kinds as CTDL organisation types (``orgType:``); "other" states none.
_ORGANISATION_TYPES: Final[dict[OrganisationKind, tuple[str, str]]] = {
    OrganisationKind.UNIVERSITY: ("FourYear", "Four-Year College"),
    OrganisationKind.JUNIOR_COLLEGE: ("TwoYear", "Two-Year College"),
    OrganisationKind.COLLEGE_OF_TECHNOLOGY: ("Technical", "Career and Technical School"),
    OrganisationKind.VOCATIONAL_SCHOOL: ("Technical", "Career and Technical School"),
    OrganisationKind.COMPANY: ("Business", "Business"),
    OrganisationKind.ACADEMIC_SOCIETY: ("ProfessionalAssociation", "Professional Association"),
    OrganisationKind.MOOC_PLATFORM: ("PrimarilyOnline", "Primarily Online"),
    OrganisationKind.GOVERNMENT: ("Government", "Government Agency"),
    OrganisationKind.RECOGNITION_BODY: ("QualityAssurance", "Quality Assurance Body"),
}
#: Reading: the first kind listed for a type wins (a technical school is a vocational one).
_KIND_OF_TYPE: Final[dict[str, OrganisationKind]] = {
    "FourYear": OrganisationKind.UNIVERSITY,
    "TwoYear": OrganisationKind.JUNIOR_COLLEGE,
    "Technical": OrganisationKind.VOCATIONAL_SCHOOL,
    "Business": OrganisationKind.COMPANY,
    "ProfessionalAssociation": OrganisationKind.ACADEMIC_SOCIETY,
    "PrimarilyOnline": OrganisationKind.MOOC_PLATFORM,
    "Government": OrganisationKind.GOVERNMENT,
    "QualityAssurance": OrganisationKind.RECOGNITION_BODY,
}

_PROGRAMME_CODE_NAME: Final = {"ja": "プログラムコード", "en": "Programme code"}
_PREREQUISITES_NAME: Final = {"ja": "受講要件", "en": "Prerequisites"}


def _concept(scheme: str, scheme_name: str, prefix: str, node: str, name: str
             ) -> dict[str, Any]:
    """A ``CredentialAlignmentObject`` naming one concept of a CTDL concept scheme."""
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": _TERMS + scheme,
        "ceterms:targetNode": f"{prefix}:{node}",
        "ceterms:frameworkName": {"en": scheme_name},
        "ceterms:targetNodeName": {"en": name},
    }


# --- identifiers ------------------------------------------------------------------------


def programme_uuid(organisation: str, code: str, *, namespace: uuid.UUID = CTID_NAMESPACE
                   ) -> uuid.UUID:
    """The name-based UUID (v5) of a programme: ``programme:<organisation slug>/<code>``
    (the slug is empty for a programme without an awarding body)."""
    return uuid.uuid5(namespace, f"programme:{organisation}/{code}")


def programme_ctid(organisation: str, code: str, *, namespace: uuid.UUID = CTID_NAMESPACE
                   ) -> str:
    """``ce-`` + :func:`programme_uuid`: the same CTID for the same programme, every time."""
    return f"ce-{programme_uuid(organisation, code, namespace=namespace)}"


def organisation_ctid(slug: str, *, namespace: uuid.UUID = CTID_NAMESPACE) -> str:
    """``ce-`` + the UUID v5 of ``organisation:<slug>``."""
    return f"ce-{uuid.uuid5(namespace, f'organisation:{slug}')}"


def resource_uri(ctid: str, *, base: str = REGISTRY_RESOURCES) -> str:
    """The ``@id`` of the node with this CTID: the Registry's resource URI by default."""
    return f"{base}{ctid}"


def _check_ctid(ctid: str, name: str) -> None:
    if not _CTID.match(ctid):
        raise InputError(f"{name} is not a CTID", problems=[
            Problem(name, f"{ctid!r} is not ce- followed by a lower-case UUID")])


# --- writing ----------------------------------------------------------------------------


def credential_class(programme: Programme) -> str:
    """``ceterms:MicroCredential`` when learning outcomes are assessed, else ``ceterms:Badge``."""
    assessment = programme.assessment
    if assessment is None or assessment.participation_only:
        return "ceterms:Badge"
    return "ceterms:MicroCredential"


def _json_literal(document: Mapping[str, Any]) -> dict[str, Any]:
    return {"@type": "@json", "@value": dict(document)}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


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
        "schema:value": _number(amount.value),
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
            "ceterms:price": _number(price.amount),
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


# --- reading: the shape of a document ---------------------------------------------------


def _types(node: Mapping[str, Any]) -> list[str]:
    value = node.get("@type", node.get("type"))
    values = value if isinstance(value, list) else [value]
    return [v.removeprefix("ceterms:") for v in values if isinstance(v, str)]


def node_kind(node: Any) -> Literal["programme", "organisation"] | None:
    """What a node is to credstack: a programme, an organisation, or nothing it reads."""
    if not isinstance(node, Mapping):
        return None
    types = set(_types(node))
    if types & (_CREDENTIAL_CLASSES | _LEARNING_CLASSES):
        return "programme"
    if types & _ORGANISATION_CLASSES:
        return "organisation"
    return None


def looks_like_ctdl(data: Any) -> bool:
    """A CTDL document: a graph, or a node whose context or keys are CTDL's."""
    if isinstance(data, list):
        return bool(data) and looks_like_ctdl(data[0])
    if not isinstance(data, Mapping):
        return False
    if "@graph" in data:
        return True
    context = data.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(isinstance(c, str) and "credreg.net/ctdl" in c for c in contexts):
        return True
    return any(isinstance(key, str) and key.startswith("ceterms:") for key in data)


def graph_nodes(data: Any) -> tuple[list[Any], bool]:
    """The nodes of a CTDL document and whether it is a graph (else one node, or a list).

    Raises :class:`~credstack.errors.InputError` when the document is neither.
    """
    if isinstance(data, Mapping) and "@graph" in data:
        graph = data["@graph"]
        if not isinstance(graph, list):
            raise InputError("@graph must be a list of nodes",
                             problems=[Problem("@graph", "expected a list of nodes")])
        return graph, True
    if isinstance(data, list):
        return data, True
    if isinstance(data, Mapping):
        return [data], False
    raise InputError("not a CTDL document", problems=[
        Problem("", "expected an object with @graph, or one CTDL node")])


def has_extension(node: Any) -> bool:
    """Whether the node carries credstack's own document (and is read from it alone)."""
    return isinstance(node, Mapping) and (
        DESCRIPTORS_PROPERTY in node or ORGANISATION_PROPERTY in node)


def _literal(value: Any) -> Any:
    """The JSON inside a ``{"@type": "@json", "@value": …}`` literal (or the value itself)."""
    if isinstance(value, Mapping) and value.get("@type") == "@json" and "@value" in value:
        return value["@value"]
    return value


#: Where each descriptor comes from in foreign CTDL, for messages that name the source.
_PROPERTY_OF: Final[dict[str, str]] = {
    "code": "ceterms:codedNotation",
    "title": "ceterms:name",
    "description": "ceterms:description",
    "awarding_body": "ceterms:ownedBy",
    "issuer_region": "ceterms:ownedBy → ceterms:address",
    "learning_outcomes": "ceterms:requires → ceterms:targetCompetency",
    "skills": "ceterms:requires → ceterms:targetCompetency",
    "form_of_participation": "ceterms:learningDeliveryType",
    "languages": "ceterms:inLanguage",
    "learner_effort": "ceterms:estimatedDuration",
    "prerequisites": "ceterms:requires",
    "stackability": "ceterms:isPreparationFor",
    "price": "ceterms:estimatedCost",
    "further_information": "ceterms:subjectWebpage",
    "credit_recognition": "ceterms:isNonCredit",
    "slug": "ceterms:ctid",
    "kind": "ceterms:agentType",
    "name": "ceterms:name",
    "country": "ceterms:address",
    "url": "ceterms:subjectWebpage",
}


def property_of(path: Sequence[str | int]) -> str | None:
    """The CTDL property a descriptor path was read from in foreign CTDL (None if unknown)."""
    if not path or not isinstance(path[0], str):
        return None
    if path[:2] == ("learner_effort", "credits"):
        return "ceterms:requires → ceterms:creditValue"
    return _PROPERTY_OF.get(path[0])


# --- reading: values --------------------------------------------------------------------


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _texts_of(value: Any) -> Any:
    """A language map as credstack text: empty texts dropped, a bare string undetermined."""
    if isinstance(value, str):
        return {_UNDETERMINED: value} if value.strip() else None
    if isinstance(value, Mapping):
        texts = {k: v for k, v in value.items() if not (isinstance(v, str) and not v.strip())}
        return texts or None
    return value


def _first_text(value: Any) -> str | None:
    """One string from a language map (English first) or a bare string."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        for key in sorted(value, key=lambda tag: not str(tag).lower().startswith("en")):
            text = value[key]
            if isinstance(text, str) and text.strip():
                return text.strip()
    return None


def _all_texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        out: list[str] = []
        for text in value.values():
            out += [t for t in _list(text) if isinstance(t, str)]
        return out
    return []


def _concept_names(value: Any) -> list[str]:
    """The local names of the concepts a property lists (``deliveryType:InPerson`` →
    ``InPerson``), whether given as alignment objects, prefixed names or IRIs."""
    names: list[str] = []
    for item in _list(value):
        node = item.get("ceterms:targetNode") if isinstance(item, Mapping) else item
        if isinstance(node, str) and node:
            names.append(re.split(r"[:/#]", node)[-1])
    return names


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _duration_parts(value: Any) -> dict[str, Decimal] | None:
    if not isinstance(value, str):
        return None
    match = _DURATION.match(value.strip())
    if match is None or value.strip() in {"P", "PT"}:
        return None
    return {k: Decimal(v.replace(",", ".")) for k, v in match.groupdict().items() if v}


def _hours(value: Any) -> Decimal | None:
    """Hours from an ISO 8601 duration of hours, minutes and seconds (``PT7H30M``)."""
    parts = _duration_parts(value)
    if not parts or set(parts) - {"H", "Mi", "S"}:
        return None
    hours = (parts.get("H", Decimal(0)) + parts.get("Mi", Decimal(0)) / 60
             + parts.get("S", Decimal(0)) / 3600)
    hours = hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return hours if hours > 0 else None


def _weeks(value: Any) -> int | None:
    """Whole weeks from ``P10W`` (or ``P70D``); months and years are not weeks."""
    parts = _duration_parts(value)
    if not parts or len(parts) != 1:
        return None
    (unit, amount), = parts.items()
    if unit == "W" and amount == amount.to_integral_value():
        return int(amount)
    if unit == "D" and amount % 7 == 0:
        return int(amount / 7)
    return None


def _credit_system(profile: Mapping[str, Any]) -> CreditSystem | None:
    units = _concept_names(profile.get("ceterms:creditUnitType"))
    if "SemesterHour" in units:
        return CreditSystem.US_CREDIT_HOUR
    words = [t.strip() for t in _all_texts(profile.get("schema:description"))]
    for system, (_, _, names) in _CREDIT_UNITS.items():
        if any(word in names.values() for word in words):
            return system
    if any("ECTS" in word for word in words):
        return CreditSystem.ECTS
    return None


def _credits(profiles: list[Any]) -> list[dict[str, str]]:
    credits: dict[CreditSystem, Decimal] = {}
    for profile in profiles:
        if not isinstance(profile, Mapping):
            continue
        system = _credit_system(profile)
        value = _decimal(profile.get("schema:value"))
        if system is not None and value is not None and system not in credits:
            credits[system] = value
    return [{"system": s.value, "value": _plain(v)} for s, v in credits.items()]


def _competency(item: Any) -> tuple[str, dict[str, Any]] | None:
    """A learning outcome (a name alone) or a skill (with a framework, code or URL)."""
    if not isinstance(item, Mapping):
        return None
    name = _texts_of(item.get("ceterms:targetNodeName"))
    if name is None:
        return None
    skill: dict[str, Any] = {"name": name}
    framework = _first_text(item.get("ceterms:frameworkName"))
    if framework is not None:
        skill["framework"] = framework
    code = item.get("ceterms:codedNotation")
    if isinstance(code, str) and code.strip():
        skill["code"] = code.strip()
    node = item.get("ceterms:targetNode")
    if isinstance(node, str) and re.match(r"^https?://", node):
        skill["url"] = node
    if len(skill) == 1:
        return "learning_outcomes", {"statement": name}
    return "skills", skill


def _is_prerequisites(profile: Mapping[str, Any]) -> bool:
    names = _all_texts(profile.get("ceterms:name"))
    return any("prerequisite" in n.lower() or n in _PREREQUISITES_NAME.values() for n in names)


def _owner_node(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for reference in [*_list(node.get("ceterms:ownedBy")), *_list(node.get("ceterms:offeredBy"))]:
        owner = graph.get(reference) if isinstance(reference, str) else reference
        if isinstance(owner, Mapping) and node_kind(owner) == "organisation":
            return owner
    return None


def _country(node: Mapping[str, Any]) -> str | None:
    for place in _list(node.get("ceterms:address")):
        if isinstance(place, Mapping):
            for text in _all_texts(place.get("ceterms:addressCountry")):
                if _COUNTRY.match(text.strip()):
                    return text.strip()
    return None


def _slug(node: Mapping[str, Any]) -> str | None:
    document = _literal(node.get(ORGANISATION_PROPERTY))
    if isinstance(document, Mapping) and isinstance(document.get("slug"), str):
        return str(document["slug"])
    ctid = node.get("ceterms:ctid")
    if isinstance(ctid, str) and _SLUG.match(ctid.strip().lower()):
        return ctid.strip().lower()
    return None


def _code(node: Mapping[str, Any]) -> Any:
    candidates: list[Any] = [node.get("ceterms:codedNotation")]
    candidates += [identifier.get("ceterms:identifierValueCode")
                   for identifier in _list(node.get("ceterms:identifier"))
                   if isinstance(identifier, Mapping)]
    candidates.append(node.get("ceterms:ctid"))
    for candidate in candidates:
        if isinstance(candidate, str) and _CODE.match(candidate.strip()):
            return candidate.strip()
    return node.get("ceterms:codedNotation", node.get("ceterms:ctid"))


def _price(node: Mapping[str, Any]) -> dict[str, Any] | None:
    costs = [c for c in _list(node.get("ceterms:estimatedCost")) if isinstance(c, Mapping)]
    aggregate = [c for c in costs
                 if "AggregateCost" in _concept_names(c.get("ceterms:directCostType"))]
    chosen = aggregate[0] if aggregate else costs[0] if len(costs) == 1 else None
    if chosen is None:
        return None
    amount = _decimal(chosen.get("ceterms:price"))
    currency = chosen.get("ceterms:currency")
    if amount is None or not isinstance(currency, str) or not _CURRENCY.match(currency):
        return None
    return {"amount": _plain(amount), "currency": currency}


#: Some descriptors of a programme, read from a CTDL node.
Fields = dict[str, Any]


def _read_texts(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    fields: Fields = {}
    code = _code(node)
    if code is not None:
        fields["code"] = code
    for field, key in (("title", "ceterms:name"), ("description", "ceterms:description")):
        text = _texts_of(node.get(key))
        if text is not None:
            fields[field] = text
    languages = node.get("ceterms:inLanguage")
    if languages:
        fields["languages"] = _list(languages)
    webpage = node.get("ceterms:subjectWebpage")
    if isinstance(webpage, str):
        fields["further_information"] = {"url": webpage}
    return fields


def _read_owner(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    owner = _owner_node(node, graph)
    if owner is None:
        return {}
    fields: Fields = {}
    slug, name = _slug(owner), _texts_of(owner.get("ceterms:name"))
    if slug is not None and name is not None:
        body: dict[str, Any] = {"id": slug, "name": name}
        webpage = owner.get("ceterms:subjectWebpage")
        if isinstance(webpage, str):
            body["url"] = webpage
        fields["awarding_body"] = body
    country = _country(owner)
    if country is not None:
        fields["issuer_region"] = {"country": country}
    return fields


def _requirements_of(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [r for r in _list(node.get("ceterms:requires")) if isinstance(r, Mapping)]


def _read_competencies(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    items = [item for requirement in _requirements_of(node)
             for item in _list(requirement.get("ceterms:targetCompetency"))]
    items += _list(node.get("ceterms:teaches"))
    fields: Fields = {}
    for read in map(_competency, items):
        if read is not None:
            fields.setdefault(read[0], []).append(read[1])
    return fields


def _read_participation(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    names = _concept_names(node.get("ceterms:learningDeliveryType")
                           or node.get("ceterms:deliveryType"))
    known = {name: mode for mode, (name, _) in _DELIVERY.items()}
    modes = {known[name] for name in names if name in known}
    if not modes:
        return {}
    # In person and online offered side by side is, for a learner, a blended programme.
    mode = modes.pop() if len(modes) == 1 else DeliveryMode.BLENDED
    participation: dict[str, Any] = {"mode": mode.value}
    text = _texts_of(node.get("ceterms:learningMethodDescription")
                     or node.get("ceterms:deliveryTypeDescription"))
    if text is not None:
        participation["description"] = text
    return {"form_of_participation": participation}


def _read_effort(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    durations = [d for d in _list(node.get("ceterms:estimatedDuration")) if isinstance(d, Mapping)]
    hours = next((h for d in durations for h in (_hours(d.get("ceterms:timeRequired")),
                                                 _hours(d.get("ceterms:exactDuration")))
                  if h is not None), None)
    if hours is None:  # Credits and weeks without the hours make no learner effort.
        return {}
    effort: dict[str, Any] = {"hours": _plain(hours)}
    weeks = next((w for d in durations if (w := _weeks(d.get("ceterms:exactDuration")))), None)
    if weeks is not None:
        effort["duration_weeks"] = weeks
    values = _list(node.get("ceterms:creditValue"))
    values += [v for r in _requirements_of(node) if not _is_prerequisites(r)
               for v in _list(r.get("ceterms:creditValue"))]
    credits = _credits(values)
    if credits:
        effort["credits"] = credits
    return {"learner_effort": effort}


def _read_prerequisites(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    entry = [r for r in _requirements_of(node) if _is_prerequisites(r)]
    entry += [c for c in _list(node.get("ceterms:entryCondition")) if isinstance(c, Mapping)]
    text = next((t for c in entry if (t := _texts_of(c.get("ceterms:description"))) is not None),
                None)
    return {"prerequisites": text} if text is not None else {}


def _read_stackability(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    targets = []
    for condition in _list(node.get("ceterms:isPreparationFor")):
        if not isinstance(condition, Mapping):
            continue
        title = _texts_of(condition.get("ceterms:name"))
        if title is None:
            continue
        target: dict[str, Any] = {"title": title, "kind": "other"}
        webpage = condition.get("ceterms:subjectWebpage")
        if isinstance(webpage, str):
            target["url"] = webpage
        credits = _credits(_list(condition.get("ceterms:creditValue")))
        if credits:
            target["credits"] = credits[0]
        targets.append(target)
    return {"stackability": {"stackable": True, "targets": targets}} if targets else {}


def _read_price(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    price = _price(node)
    if price is None:
        return {}
    assistance = next(
        (t for p in _list(node.get("ceterms:financialAssistance")) if isinstance(p, Mapping)
         and (t := _texts_of(p.get("ceterms:description"))) is not None), None)
    if assistance is not None:
        price["financial_assistance"] = assistance
    return {"price": price}


def _read_credit_recognition(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    if node.get("ceterms:isNonCredit") is True:
        return {"credit_recognition": {"kinds": [CreditRecognitionKind.NONE.value]}}
    return {}


#: How foreign CTDL becomes descriptors: each reader gives the fields it can tell.
_READERS: Final = (
    _read_texts, _read_owner, _read_competencies, _read_participation, _read_effort,
    _read_prerequisites, _read_stackability, _read_price, _read_credit_recognition,
)


def _foreign_programme(node: Mapping[str, Any], graph: Mapping[str, Any]) -> dict[str, Any]:
    """What the CTDL properties of a node say, as a descriptor document."""
    document: dict[str, Any] = {}
    for read in _READERS:
        document.update(read(node, graph))
    return document


def programme_from_ctdl(node: Mapping[str, Any], *, graph: Mapping[str, Any] | None = None
                        ) -> Any:
    """The descriptor document a credential (or learning opportunity) node states.

    From a credstack node this is the programme's whole document, as it was written. From a
    foreign node, what its CTDL properties say (see the module docstring); ``graph`` maps
    ``@id`` to the graph's nodes, for the owning organisation. The result is not validated:
    pass it to :meth:`Programme.model_validate` to judge it.
    """
    if DESCRIPTORS_PROPERTY in node:
        document = _literal(node[DESCRIPTORS_PROPERTY])
        return dict(document) if isinstance(document, Mapping) else document
    return _foreign_programme(node, graph or {})


def organisation_from_ctdl(node: Mapping[str, Any]) -> Any:
    """The organisation document an organisation node states, or None when a foreign node
    does not say what credstack needs of an organisation (a name and a country code)."""
    if ORGANISATION_PROPERTY in node:
        own = _literal(node[ORGANISATION_PROPERTY])
        return dict(own) if isinstance(own, Mapping) else own
    slug, name, country = _slug(node), _texts_of(node.get("ceterms:name")), _country(node)
    if slug is None or name is None or country is None:
        return None
    kinds = [_KIND_OF_TYPE[t] for t in _concept_names(node.get("ceterms:agentType"))
             if t in _KIND_OF_TYPE]
    if "QACredentialOrganization" in _types(node):
        kinds.insert(0, OrganisationKind.RECOGNITION_BODY)
    document: dict[str, Any] = {
        "slug": slug,
        "kind": (kinds[0] if kinds else OrganisationKind.OTHER).value,
        "name": name,
        "country": country,
    }
    webpage = node.get("ceterms:subjectWebpage")
    if isinstance(webpage, str):
        document["url"] = webpage
    return document
