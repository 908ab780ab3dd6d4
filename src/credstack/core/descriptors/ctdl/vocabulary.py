"""The CTDL vocabulary credstack maps descriptors to: classes, concept schemes, identifiers."""

from __future__ import annotations

import re
import uuid
from typing import Any, Final

from credstack.core import vocabularies
from credstack.core.descriptors.models import (
    CreditSystem,
    DeliveryMode,
)
from credstack.core.organisations import OrganisationKind
from credstack.errors import InputError, Problem

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


_DELIVERY: Final[dict[DeliveryMode, tuple[str, str]]] = {
    DeliveryMode.ONLINE: ("OnlineOnly", "Online Only"),
    DeliveryMode.ONSITE: ("InPerson", "In Person Only"),
    DeliveryMode.BLENDED: ("BlendedDelivery", "Blended Delivery"),
}


#: Each credit system as a CTDL credit unit (its node and the node's name).
_UNIT_NODES: Final[dict[CreditSystem, tuple[str, str]]] = {
    CreditSystem.JP_TANI: ("DegreeCredit", "Degree Credit"),
    CreditSystem.ECTS: ("DegreeCredit", "Degree Credit"),
    CreditSystem.MY_CREDIT: ("DegreeCredit", "Degree Credit"),
    CreditSystem.NZ_CREDIT: ("DegreeCredit", "Degree Credit"),
    CreditSystem.US_CREDIT_HOUR: ("SemesterHour", "Semester Hour"),
}

#: Each credit system as a CTDL credit unit, with the words that name the system (the
#: ``ctdl-credit-unit`` vocabulary).
_CREDIT_UNITS: Final[dict[CreditSystem, tuple[str, str, dict[str, str]]]] = {
    system: (*_UNIT_NODES[system],
             {language: vocabularies.names("ctdl-credit-unit", language)[system]
              for language in ("ja", "en")})
    for system in _UNIT_NODES}


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
