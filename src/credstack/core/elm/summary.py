"""What a European Digital Credential says, read into plain data for people and the credit bank.

ELM v3 (see :mod:`credstack.core.elm.vocabulary`): the learner (``credentialSubject``, a
``Person``) has claims (``hasClaim``): a ``LearningAchievement`` (a micro-credential, a
diploma, a transcript whose courses are its ``hasPart``), a ``LearningActivity`` (a course
attended) or an entitlement. Each claim is ``specifiedBy`` a specification — a
``Qualification`` or ``LearningAchievementSpecification`` (``LearningActivitySpecification``
for an activity) — which states the learning outcomes (``learningOutcome``, with their ESCO
skills in ``relatedESCOSkill``), the credit points (``creditPoint``: a framework and a
``point`` string), the EQF level (``eqfLevel``), national levels (``nqfLevel``), the ISCED-F
fields (``thematicArea``) and the volume of learning (an ISO 8601 duration).

:func:`summarise` reads them from the credential as JSON (the same nodes are written inline
wherever they are used, so no graph is needed), every text as a language map
(``{"en": "…"}``), nothing looked up. It reads what is there and leaves out what is not: it
is not a validator (the shapes are). Each EQF level is also read in the other frameworks of
the level crosswalk (:mod:`credstack.core.skills.levels`), readings through a source still to
be checked marked with the reason.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from credstack.core.elm.vocabulary import (
    ECTS_FRAMEWORK,
    ESCO_SKILL_PREFIX,
    concept_id,
    envelope_of,
    eqf_level,
    isced_f_code,
)
from credstack.core.skills.levels import crosswalk, read_level

__all__ = ["Claim", "Credit", "EdcSummary", "LearningOutcome", "summarise"]

#: A language map normalised: language tag → one text.
Texts = dict[str, str]

_CLAIM_TYPES: Final = ("LearningAchievement", "LearningActivity", "LearningEntitlement",
                       "LearningAssessment", "Qualification")
#: How deep ``hasPart`` is followed (a transcript's courses, their parts).
_MAX_DEPTH: Final = 4


def _texts(value: object) -> Texts:
    """An ELM language map as ``{language: text}`` (ELM 3.2 lists: the first text)."""
    if isinstance(value, str):
        return {"und": value}
    if not isinstance(value, Mapping):
        return {}
    found: Texts = {}
    for language, text in value.items():
        if isinstance(text, list):
            text = next((item for item in text if isinstance(item, str) and item.strip()), None)
        if isinstance(text, str) and text.strip():
            found[str(language)] = text.strip()
    return found


def _items(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _concepts(value: object) -> list[tuple[str, Texts]]:
    return [(uri, _texts(item.get("prefLabel")) if isinstance(item, Mapping) else {})
            for item in _items(value) if (uri := concept_id(item))]


@dataclass(frozen=True, slots=True)
class LearningOutcome:
    title: Texts
    #: ESCO skill URIs (``relatedESCOSkill``).
    esco_skills: tuple[str, ...] = ()
    #: Other skills (``relatedSkill``: DigComp …).
    skills: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Credit:
    framework: str
    framework_label: Texts
    #: The points as the credential writes them (a decimal string).
    points: str

    @property
    def is_ects(self) -> bool:
        return self.framework == ECTS_FRAMEWORK

    def amount(self) -> decimal.Decimal | None:
        try:
            value = decimal.Decimal(self.points.strip().replace(",", "."))
        except (decimal.InvalidOperation, AttributeError):
            return None
        return value if value.is_finite() and value >= 0 else None


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim of the credential, with its specification's content."""

    kind: str
    title: Texts
    specification_kind: str | None = None
    specification_title: Texts = field(default_factory=dict)
    description: Texts = field(default_factory=dict)
    outcomes: tuple[LearningOutcome, ...] = ()
    credits: tuple[Credit, ...] = ()
    eqf_level: int | None = None
    #: National qualification framework levels: (concept URI, label).
    nqf_levels: tuple[tuple[str, Texts], ...] = ()
    #: ISCED-F 2013 fields: (code, label).
    fields: tuple[tuple[str, Texts], ...] = ()
    volume_of_learning: str | None = None
    awarding_date: str | None = None
    grade: Texts = field(default_factory=dict)
    parts: tuple[Claim, ...] = ()


@dataclass(frozen=True, slots=True)
class EdcSummary:
    credential_id: str | None
    issuer_id: str | None
    issuer_name: Texts
    issuer_country: Texts
    learner_name: Texts
    valid_from: str | None
    issued: str | None
    claims: tuple[Claim, ...]
    #: The envelope it came in (:data:`~credstack.core.elm.vocabulary.ENVELOPES`).
    envelope: str = "unknown"

    def ects(self) -> decimal.Decimal:
        """The ECTS credit points of the credential's top-level claims (a transcript's
        courses are parts of its claim, and are not counted again)."""
        total = decimal.Decimal(0)
        for claim in self.claims:
            for credit in claim.credits:
                if credit.is_ects and (amount := credit.amount()) is not None:
                    total += amount
        return total

    def eqf_levels(self) -> tuple[int, ...]:
        return tuple(sorted({c.eqf_level for c in self.claims if c.eqf_level is not None}))

    def level_readings(self) -> list[dict[str, Any]]:
        """Each EQF level the credential states, read in every other framework of the
        crosswalk (JEQF, AQF, MQF, NZQF, AQRF), each reading with the edges it rests on and,
        for an edge whose source is still to be checked, the reason."""
        return [{"stated": f"EQF-{level}", "in": target,
                 "readings": [reading.to_dict() for reading in read_level("EQF", level, target)]}
                for level in self.eqf_levels() for target in crosswalk().frameworks
                if target != "EQF"]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ects"] = str(self.ects())
        data["eqf_levels"] = list(self.eqf_levels())
        data["level_readings"] = self.level_readings()
        return data


def _outcomes(specification: Mapping[str, Any]) -> tuple[LearningOutcome, ...]:
    found = []
    for outcome in _items(specification.get("learningOutcome")):
        if not isinstance(outcome, Mapping):
            continue
        esco = tuple(uri for uri, _ in _concepts(outcome.get("relatedESCOSkill"))
                     if uri.startswith(ESCO_SKILL_PREFIX))
        others = tuple(uri for uri, _ in _concepts(outcome.get("relatedSkill")))
        found.append(LearningOutcome(_texts(outcome.get("title")), esco, others))
    return tuple(found)


def _credits(specification: Mapping[str, Any]) -> tuple[Credit, ...]:
    found = []
    for credit in _items(specification.get("creditPoint")):
        if not isinstance(credit, Mapping):
            continue
        framework = credit.get("framework")
        points = credit.get("point")
        if isinstance(points, int | float) and not isinstance(points, bool):
            points = str(points)
        if (uri := concept_id(framework)) and isinstance(points, str):
            label = _texts(framework.get("prefLabel")) if isinstance(framework, Mapping) else {}
            found.append(Credit(uri, label, points))
    return tuple(found)


def _kind(node: Mapping[str, Any]) -> str | None:
    kinds = [kind for kind in _items(node.get("type")) if isinstance(kind, str)]
    return kinds[-1] if kinds else None


def _claim(node: Mapping[str, Any], depth: int) -> Claim:
    specification = node.get("specifiedBy")
    specification = specification[0] if isinstance(specification, list) and specification \
        else specification
    spec: Mapping[str, Any] = specification if isinstance(specification, Mapping) else {}
    awarded = node.get("awardedBy")
    awarded = awarded[0] if isinstance(awarded, list) and awarded else awarded
    assessment = next((item for item in _items(node.get("provenBy"))
                       if isinstance(item, Mapping)), {})
    grade = assessment.get("grade") if isinstance(assessment, Mapping) else None
    parts = tuple(_claim(part, depth + 1) for part in _items(node.get("hasPart"))
                  if isinstance(part, Mapping)) if depth < _MAX_DEPTH else ()
    return Claim(
        kind=_kind(node) or "Claim",
        title=_texts(node.get("title")) or _texts(spec.get("title")),
        specification_kind=_kind(spec),
        specification_title=_texts(spec.get("title")),
        description=_texts(node.get("description")) or _texts(spec.get("description")),
        outcomes=_outcomes(spec),
        credits=_credits(spec),
        eqf_level=next((level for item in _items(spec.get("eqfLevel"))
                        if (level := eqf_level(item)) is not None), None),
        nqf_levels=tuple(_concepts(spec.get("nqfLevel"))),
        fields=tuple((code, label) for uri, label in _concepts(spec.get("thematicArea"))
                     if (code := isced_f_code(uri)) is not None),
        volume_of_learning=spec.get("volumeOfLearning")
        if isinstance(spec.get("volumeOfLearning"), str) else None,
        awarding_date=awarded.get("awardingDate") if isinstance(awarded, Mapping)
        and isinstance(awarded.get("awardingDate"), str) else None,
        grade=_texts(grade.get("noteLiteral")) if isinstance(grade, Mapping) else {},
        parts=parts)


def _learner_name(subject: Mapping[str, Any]) -> Texts:
    full = _texts(subject.get("fullName"))
    if full:
        return full
    given, family = _texts(subject.get("givenName")), _texts(subject.get("familyName"))
    return {language: f"{given[language]} {family.get(language, '')}".strip()
            for language in given}


def summarise(credential: Mapping[str, Any]) -> EdcSummary:
    """What ``credential`` (an EDC as JSON) says, read without a graph or any look-up."""
    subject = next((item for item in _items(credential.get("credentialSubject"))
                    if isinstance(item, Mapping)), {})
    claims: Sequence[Any] = _items(subject.get("hasClaim"))
    issuer = credential.get("issuer")
    issuer_node: Mapping[str, Any] = issuer if isinstance(issuer, Mapping) else {}
    location = next((item for item in _items(issuer_node.get("location"))
                     if isinstance(item, Mapping)), {})
    address = next((item for item in _items(location.get("address"))
                    if isinstance(item, Mapping)), {})
    country = address.get("countryCode")
    return EdcSummary(
        credential_id=credential.get("id") if isinstance(credential.get("id"), str) else None,
        issuer_id=concept_id(issuer),
        issuer_name=_texts(issuer_node.get("legalName")) or _texts(issuer_node.get("name")),
        issuer_country=_texts(country.get("prefLabel")) if isinstance(country, Mapping) else {},
        learner_name=_learner_name(subject),
        valid_from=credential.get("validFrom") if isinstance(credential.get("validFrom"), str)
        else None,
        issued=credential.get("issued") if isinstance(credential.get("issued"), str) else None,
        claims=tuple(_claim(claim, 0) for claim in claims if isinstance(claim, Mapping)
                     and (_kind(claim) in _CLAIM_TYPES or "specifiedBy" in claim)),
        envelope=envelope_of(credential))
