"""Programmes and credentials written as ELM v3: the specification and the EDC credential.

Specification: *European Learning Model (ELM) v3*, European Commission, DG EMPL — ontology
3.1.0 and the EDC application profile ``http://data.europa.eu/snb/model/ap/edc-generic-full``
— https://europa.eu/europass/elm-browser/. The documents are built as the European
Commission's own samples are (``ec-elm/credentials/Sample-MC-Annex1-*.jsonld``): every node
written inline wherever it is used, with a ``urn:epass:<class>:<uuid>`` id; every
classification a SKOS ``Concept`` with its ``inScheme``; language maps of plain strings.

What goes where is the table ``mapping.yaml`` beside this module (and ``docs/elm-export.md``).
Decisions it takes:

* **Qualification or LearningAchievementSpecification.** A programme that states a level
  is level-referenced — what a Qualification is in ELM and what the Qualification Dataset
  Register takes — and is written as a ``Qualification``; any other as a
  ``LearningAchievementSpecification``.
* **Only EU vocabularies' own URIs.** Where ELM's vocabularies have no concept for a
  credstack value (in-person delivery in the samples' scheme, the Japanese 単位, JEQF
  levels), the value is written as a credstack concept in credstack's own scheme, or as a
  ``Note``; no EU URI is made up.
* **Every descriptor travels whole** in the specification under :data:`DESCRIPTORS_PROPERTY`,
  a JSON literal (JSON-LD 1.1 ``@json``), as in credstack's CTDL: reading it back
  (:mod:`.datasets`) gives the same programme. The ELM properties say what ELM can say, for
  readers that do not know the extension.
* **Two envelopes.** :data:`PROFILE_31` is the EDC the European Commission's samples show
  (VC 1.1 context, ``EuropeanDigitalCredential``), checked against the EDC SHACL shapes;
  :data:`PROFILE_32` is EBSI's ELM 3.2 (VC 2.0 context first, ``VerifiableAttestation``,
  EBSI's JSON Schema named in ``credentialSchema``). The body is the same; the 2023 EDC-AP
  context clashes with VC 2.0 on ``description`` (a *protected term redefinition*), so the
  3.2 envelope can be checked against EBSI's schema but not expanded with that context.

Pure: the clock and ids are parameters.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Literal

import pycountry

from credstack.core.descriptors.catalogue import descriptors_by_key
from credstack.core.descriptors.ctdl import DESCRIPTORS_PROPERTY, programme_uuid
from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import (
    CreditAmount,
    CreditSystem,
    DeliveryMode,
    FieldOfStudy,
    LevelFramework,
    Programme,
    Supervision,
)
from credstack.core.organisations import Organisation
from credstack.core.types import MultilingualText

__all__ = [
    "CONTEXT",
    "ISCED_F",
    "PROFILE_31",
    "PROFILE_32",
    "Learner",
    "Profile",
    "concept",
    "country",
    "display_parameter",
    "edc_credential",
    "language",
    "organisation_node",
    "seeded_id",
    "specification",
]

Profile = Literal["elm-3.1", "elm-3.2"]
PROFILE_31: Final = "elm-3.1"
PROFILE_32: Final = "elm-3.2"

#: The EDC application profile's JSON-LD context.
CONTEXT: Final = "http://data.europa.eu/snb/model/context/edc-ap"
_VC1: Final = "https://www.w3.org/2018/credentials/v1"
_VC2: Final = "https://www.w3.org/ns/credentials/v2"
_SNB: Final = "http://data.europa.eu/snb/"
_AUTHORITY: Final = "http://publications.europa.eu/resource/authority/"
_CREDSTACK: Final = "https://w3id.org/credstack/elm/"
#: EBSI's Trusted Schemas Registry entry of the EDC schema (``schema.metadata.json``).
EBSI_EDC_SCHEMA: Final = ("https://api-pilot.ebsi.eu/trusted-schemas-registry/v3/schemas/"
                          "0x4d40d34533797f62a8a03d7c4a4cd7827d289fadf1bfa582ec0ecfedbe55a6e0")

#: ISCED-F 2013 fields (broad, narrow or detailed) for each credstack field of study.
ISCED_F: Final[Mapping[FieldOfStudy, tuple[str, ...]]] = {
    FieldOfStudy.MEDICAL_WELFARE: ("09",), FieldOfStudy.BUSINESS: ("041",),
    FieldOfStudy.DIGITAL: ("06",), FieldOfStudy.SCIENCE_ENGINEERING: ("05", "07"),
    FieldOfStudy.SEMICONDUCTORS: ("0714",), FieldOfStudy.GREEN: ("0521",),
    FieldOfStudy.REGIONAL: ("031",), FieldOfStudy.SOCIAL_SCIENCES: ("031",),
    FieldOfStudy.EDUCATION: ("01",), FieldOfStudy.HUMANITIES: ("022",),
    FieldOfStudy.LANGUAGES: ("023",), FieldOfStudy.LAW_POLITICS: ("042", "0312"),
    FieldOfStudy.HOME_ECONOMICS: ("1012",), FieldOfStudy.ARTS: ("021",),
    FieldOfStudy.SPORTS: ("1014",), FieldOfStudy.HOBBIES: ("003",), FieldOfStudy.OTHER: (),
}
_MODES: Final[Mapping[DeliveryMode, tuple[str, str, dict[str, str]]]] = {
    DeliveryMode.ONLINE: (f"{_SNB}learning-assessment/920fbb3cbe",
                          f"{_SNB}learning-assessment/25831c2", {"en": "Online"}),
    DeliveryMode.BLENDED: (f"{_SNB}learning-assessment/e92d221e4d",
                           f"{_SNB}learning-assessment/25831c2", {"en": "Blended"}),
    DeliveryMode.ONSITE: (f"{_CREDSTACK}delivery/onsite", f"{_CREDSTACK}delivery",
                             {"en": "In person", "ja": "対面"}),
}
_ECTS: Final = f"{_SNB}education-credit/6fcec5c5af"
_UNSUPERVISED: Final = f"{_SNB}supervision-verification/c598449d64"


def _id(kind: str, seed: uuid.UUID, part: str = "") -> str:
    return f"urn:epass:{kind}:{uuid.uuid5(seed, kind + part)}"


def seeded_id(kind: str, seed: str, part: str = "") -> str:
    """A node id derived from another node's id (``seed``) and its place there."""
    return _id(kind, uuid.uuid5(uuid.NAMESPACE_URL, seed), part)


def _texts(text: MultilingualText) -> dict[str, str]:
    """A language map keyed by each tag's language alone (``zh-Hans`` → ``zh``): ELM's
    LangStrings name ISO 639-1 languages (EBSI's EDC schema allows no other key); where
    two scripts of one language are written, the first is kept."""
    texts: dict[str, str] = {}
    for tag, value in text.root.items():
        texts.setdefault(language_key(tag), value)
    return texts


def language_key(tag: str) -> str:
    """The key ELM writes a BCP 47 tag's text under: its primary language subtag."""
    return tag.split("-", 1)[0].lower()


def concept(uri: str, scheme: str, labels: Mapping[str, str],
            notation: str | None = None) -> dict[str, Any]:
    """A SKOS concept written inline, as ELM writes every classification."""
    node: dict[str, Any] = {"id": uri, "type": "Concept",
                            "inScheme": {"id": scheme, "type": "ConceptScheme"},
                            "prefLabel": dict(labels)}
    if notation is not None:
        node["notation"] = notation
    return node


def country(code: str) -> dict[str, Any]:
    """The EU country authority's concept of an ISO 3166-1 alpha-2 code (``JP`` → ``JPN``)."""
    found = pycountry.countries.get(alpha_2=code.upper())
    alpha_3 = found.alpha_3 if found is not None else code.upper()
    name = found.name if found is not None else code.upper()
    return concept(f"{_AUTHORITY}country/{alpha_3}", f"{_AUTHORITY}country", {"en": name},
                   "country")


def language(tag: str) -> dict[str, Any]:
    """The EU language authority's concept of a BCP 47 tag (``ja`` → ``JPN``)."""
    primary = tag.split("-", 1)[0].lower()
    found = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else \
        pycountry.languages.get(alpha_3=primary)
    alpha_3 = (found.alpha_3 if found is not None else primary).upper()
    name = found.name if found is not None else tag
    return concept(f"{_AUTHORITY}language/{alpha_3}", f"{_AUTHORITY}language", {"en": name},
                   "language")


def _note(seed: uuid.UUID, part: str, text: Mapping[str, str]) -> dict[str, Any]:
    return {"id": _id("note", seed, part), "type": "Note", "noteLiteral": dict(text)}


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _credit(seed: uuid.UUID, part: str, amount: CreditAmount) -> dict[str, Any]:
    if amount.system is CreditSystem.ECTS:
        framework = concept(_ECTS, f"{_SNB}education-credit/25831c2",
                            {"en": "European Credit Transfer System"})
    else:
        framework = concept(f"{_CREDSTACK}credit/{amount.system.value}", f"{_CREDSTACK}credit",
                            {"en": amount.system.value})
    return {"id": _id("creditPoint", seed, part), "type": "CreditPoint",
            "framework": framework, "point": _plain(amount.value)}


def organisation_node(organisation: Organisation, *, public_url: str | None = None
                      ) -> dict[str, Any]:
    """The organisation as an ELM ``Organisation``: its legal name, its credstack slug as its
    registration, its country, its home page."""
    seed = uuid.uuid5(uuid.NAMESPACE_URL, f"credstack:organisation:{organisation.slug}")
    registration = {"id": _id("legalIdentifier", seed, "registration"),
                    "type": "LegalIdentifier", "notation": organisation.slug,
                    "spatial": country(organisation.country)}
    node: dict[str, Any] = {
        "id": _id("org", seed),
        "type": "Organisation",
        "legalName": _texts(organisation.name),
        "registration": registration,
        # ELM asks a sealing issuer for its eIDAS identifier; credstack's organisations are
        # known by their registration here, which is what the seal's certificate names.
        "eIDASIdentifier": registration,
        "location": {"id": _id("location", seed), "type": "Location",
                     "address": {"id": _id("address", seed), "type": "Address",
                                 "countryCode": country(organisation.country)}},
    }
    homepage = str(organisation.url) if organisation.url is not None else public_url
    if homepage:
        node["homepage"] = {"id": _id("webResource", seed), "type": "WebResource",
                            "contentURL": homepage}
    return node


def _outcomes(programme: Programme, seed: uuid.UUID) -> list[dict[str, Any]]:
    outcomes = [{"id": _id("learningOutcome", seed, str(index)), "type": "LearningOutcome",
                 "title": _texts(outcome.statement)}
                for index, outcome in enumerate(programme.learning_outcomes)]
    for index, skill in enumerate(programme.skills):
        node: dict[str, Any] = {"id": _id("learningOutcome", seed, f"skill-{index}"),
                                "type": "LearningOutcome", "title": _texts(skill.name)}
        url = str(skill.url) if skill.url is not None else None
        if url is not None and url.startswith("http://data.europa.eu/esco/skill/"):
            node["relatedESCOSkill"] = [concept(url, "http://data.europa.eu/esco/concept-scheme"
                                                "/skills", _texts(skill.name))]
        elif url is not None:
            node["relatedSkill"] = [concept(url, url.rsplit("/", 1)[0], _texts(skill.name))]
        outcomes.append(node)
    return outcomes


def _joined(values: Sequence[Any], language_: str) -> str:
    return ("、" if language_ == "ja" else ", ").join(
        label(value, language_) if not isinstance(value, str) else value for value in values)


def _described(parts: Sequence[Any], description: MultilingualText | None,
                language_: str) -> str:
    text = _joined(parts, language_)
    extra = description.text(language_, "en", "ja") if description is not None else None
    return f"{text} — {extra}" if extra else text


def _noted(programme: Programme) -> dict[str, dict[str, str]]:
    """The descriptors ELM has no property for, written out per language."""
    found: dict[str, dict[str, str]] = {}
    for lang in ("ja", "en"):
        texts: dict[str, str] = {}
        if programme.quality_assurance:
            texts["quality_assurance"] = "; ".join(
                _joined([item.kind, item.scope], lang)
                + (f" ({item.body.text(lang, 'en', 'ja')})" if item.body else "")
                + (f" {item.url}" if item.url else "") for item in programme.quality_assurance)
        if programme.certification is not None:
            texts["certification"] = _described(programme.certification.kinds,
                                                programme.certification.description, lang)
        if programme.credit_recognition is not None:
            texts["credit_recognition"] = _described(programme.credit_recognition.kinds,
                                                     programme.credit_recognition.description,
                                                     lang)
        others = [f"{level.framework.value} {level.level}" for level in programme.levels
                  if level.framework is not LevelFramework.EQF]
        if others:
            texts["levels"] = ", ".join(others)
        supervision = programme.assessment.supervision if programme.assessment else None
        if supervision is not None and supervision is not Supervision.UNSUPERVISED:
            texts["supervision"] = label(supervision, lang)
        for key, value in texts.items():
            found.setdefault(key, {})[lang] = value
    return found


def _summary_notes(programme: Programme, seed: uuid.UUID) -> list[dict[str, Any]]:
    """The descriptors ELM has no property for, each a Note in Japanese and English named
    by the descriptor (its name as credstack's catalogue gives it)."""
    catalogue = descriptors_by_key()
    notes = [_note(seed, key, {lang: f"{catalogue[key].name.text(lang)}: {text}"
                               for lang, text in texts.items()})
             for key, texts in _noted(programme).items()]
    for key, text in (("form_of_participation", programme.form_of_participation
                       and programme.form_of_participation.description),
                      ("inherent_requirements", programme.inherent_requirements),
                      ("further_information", programme.further_information
                       and programme.further_information.text)):
        if text:
            notes.append(_note(seed, key, _texts(text)))
    return notes


def specification(programme: Programme, *, organisation: Mapping[str, Any] | None = None
                  ) -> dict[str, Any]:
    """The programme as a ``Qualification`` (when it states a level) or a
    ``LearningAchievementSpecification``, every descriptor also whole in the extension."""
    slug = programme.awarding_body.id if programme.awarding_body is not None else ""
    seed = programme_uuid(slug, programme.code)
    qualification = bool(programme.levels)
    kind = "qualification" if qualification else "learningAchievementSpec"
    node: dict[str, Any] = {
        "id": f"urn:epass:{kind}:{seed}",
        "type": "Qualification" if qualification else "LearningAchievementSpecification",
        "identifier": {"id": _id("identifier", seed, "code"), "type": "Identifier",
                       "schemeName": "programme code", "notation": programme.code},
        "title": _texts(programme.title) if programme.title else {"en": programme.code},
    }
    if programme.description is not None:
        node["description"] = _texts(programme.description)
    outcomes = _outcomes(programme, seed)
    if outcomes:
        node["learningOutcome"] = outcomes
    form = programme.form_of_participation
    if form is not None:
        uri, scheme, labels = _MODES[form.mode]
        node["mode"] = [concept(uri, scheme, labels)]
    if programme.languages:
        node["language"] = [language(tag) for tag in programme.languages]
    effort = programme.learner_effort
    if effort is not None:
        node["volumeOfLearning"] = f"PT{_plain(effort.hours)}H"
        if effort.duration_weeks is not None:
            node["maximumDuration"] = f"P{effort.duration_weeks}W"
        if effort.credits:
            node["creditPoint"] = [_credit(seed, str(index), amount)
                                   for index, amount in enumerate(effort.credits)]
    assessment = programme.assessment
    if assessment is not None:
        title = {lang: _joined(assessment.methods, lang) for lang in ("ja", "en")}
        proven: dict[str, Any] = {"id": _id("learningAssessmentSpec", seed),
                                  "type": "LearningAssessmentSpecification", "title": title}
        if assessment.description is not None:
            proven["description"] = _texts(assessment.description)
        node["provenBy"] = [proven]
    eqf = [level.level for level in programme.levels if level.framework is LevelFramework.EQF]
    if eqf:
        node["eqfLevel"] = concept(f"{_SNB}eqf/{eqf[0]}", f"{_SNB}eqf/25831c2",
                                   {"en": f"Level {eqf[0]}"})
    areas = dict.fromkeys(code for field in programme.fields for code in ISCED_F[field])
    if areas:
        node["thematicArea"] = [concept(f"{_SNB}isced-f/{code}", f"{_SNB}isced-f/25831c2",
                                        {"en": f"ISCED-F {code}"}, code) for code in areas]
    if programme.prerequisites is not None:
        node["entryRequirement"] = _note(seed, "prerequisites", _texts(programme.prerequisites))
    stack = programme.stackability
    if stack is not None:
        if qualification:  # a LearningAchievementSpecification has no such property
            node["isPartialQualification"] = stack.stackable
        if stack.targets:
            node["isPartOf"] = [_target(seed, index, target, node["type"])
                                for index, target in enumerate(stack.targets)]
    further = programme.further_information
    if further is not None and further.url is not None:
        node["homepage"] = [{"id": _id("webResource", seed, "further"), "type": "WebResource",
                             "contentURL": str(further.url)}]
    notes = _summary_notes(programme, seed)
    if notes:
        node["additionalNote"] = notes
    if organisation is not None:
        # The opportunity names what it awards (LOQ requires it; the EDC shapes allow it).
        node["awardingOpportunity"] = [{"id": _id("awardingOpportunity", seed),
                                        "type": "AwardingOpportunity",
                                        "awardingBody": [organisation],
                                        "learningAchievementSpecification": node["id"]}]
    node[DESCRIPTORS_PROPERTY] = {"@type": "@json", "@value": programme.to_document()}
    return node


def _target(seed: uuid.UUID, index: int, target: Any, kind: str) -> dict[str, Any]:
    """A stack target, of the specification's own class (ELM wants a Qualification to be
    part of a Qualification)."""
    node: dict[str, Any] = {"id": _id("learningAchievementSpec", seed, f"target-{index}"),
                            "type": kind, "title": _texts(target.title)}
    if target.credits is not None:
        node["creditPoint"] = [_credit(seed, f"target-{index}", target.credits)]
    if target.url is not None:
        node["homepage"] = [{"id": _id("webResource", seed, f"target-{index}"),
                             "type": "WebResource", "contentURL": str(target.url)}]
    return node


class Learner:
    """Who the credential is about: a name per language, e-mail addresses, identifiers."""

    __slots__ = ("emails", "identifiers", "names")

    def __init__(self, *, names: Mapping[str, str], emails: Sequence[str] = (),
                 identifiers: Sequence[tuple[str, str]] = ()) -> None:
        self.names = dict(names)
        self.emails = tuple(emails)
        self.identifiers = tuple(identifiers)


def _person(learner: Learner, seed: uuid.UUID, primary: str) -> dict[str, Any]:
    person: dict[str, Any] = {"id": _id("person", seed), "type": "Person"}
    if learner.names:
        # ELM takes one full name: the one in the credential's primary language.
        chosen = primary if primary in learner.names else next(iter(learner.names))
        person["fullName"] = {chosen: learner.names[chosen]}
    if learner.identifiers:
        person["identifier"] = [{"id": _id("identifier", seed, f"learner-{index}"),
                                 "type": "Identifier", "schemeName": scheme, "notation": value}
                                for index, (scheme, value) in enumerate(learner.identifiers)]
    if learner.emails:
        person["contactPoint"] = [{"id": _id("contactPoint", seed, str(index)),
                                   "type": "ContactPoint",
                                   "emailAddress": {"id": f"mailto:{email}", "type": "Mailbox"}}
                                  for index, email in enumerate(learner.emails)]
    return person


def _moment(day: dt.datetime) -> str:
    return day.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def edc_credential(*, credential_id: str, programme: Programme, organisation: Organisation,
                   learner: Learner, awarded: dt.datetime, issued: dt.datetime,
                   images: Mapping[str, bytes], grade: str | None = None,
                   primary_language: str = "ja",
                   profile: Profile = PROFILE_31, public_url: str | None = None
                   ) -> dict[str, Any]:
    """One learner's award of ``programme`` as a European Digital Credential (unsealed):
    a ``LearningAchievement`` specified by the programme's specification, awarded by
    ``organisation``. ``credential_id`` is credstack's id of the credential it stands for
    (the EDC's id is ``urn:credential:`` + the UUID derived from it). ``images`` are what
    Europass shows, a PNG per language (``primary_language`` first)."""
    seed = uuid.uuid5(uuid.NAMESPACE_URL, credential_id)
    body = organisation_node(organisation, public_url=public_url)
    spec = specification(programme)
    awarding = {"id": _id("awardingProcess", seed), "type": "AwardingProcess",
                "awardingBody": [body], "awardingDate": _moment(awarded)}
    achievement: dict[str, Any] = {"id": _id("learningAchievement", seed),
                                   "type": "LearningAchievement",
                                   "title": spec["title"], "awardedBy": awarding,
                                   "specifiedBy": spec}
    assessment = programme.assessment
    if grade is not None:
        # ELM's LearningAssessment is a graded result: written when the award has a grade.
        proven: dict[str, Any] = {"id": _id("learningAssessment", seed),
                                  "type": "LearningAssessment",
                                  "title": spec.get("provenBy", [{}])[0].get("title")
                                  or spec["title"], "awardedBy": awarding}
        proven["grade"] = _note(seed, "grade", {"en": grade})
        if assessment is not None and assessment.supervision is Supervision.UNSUPERVISED:
            proven["idVerification"] = concept(
                _UNSUPERVISED, f"{_SNB}supervision-verification/25831c2",
                {"en": "Unsupervised without ID Verification"})
        if "provenBy" in spec:
            proven["specifiedBy"] = spec["provenBy"][0]
        achievement["provenBy"] = [proven]
    person = _person(learner, seed, primary_language)
    person["hasClaim"] = [achievement]
    credential: dict[str, Any] = {
        "id": f"urn:credential:{seed}",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [concept(f"{_SNB}credential/e34929035b",
                                       f"{_SNB}credential/25831c2", {"en": "Generic"})],
        "identifier": [{"id": _id("identifier", seed, "credential"), "type": "Identifier",
                        "schemeName": "credstack credential", "notation": credential_id}],
        "credentialSchema": [{"id": f"{_SNB}model/ap/edc-generic-full",
                              "type": "ShaclValidator2017"}],
        "credentialSubject": person,
        "issuer": body,
        "issuanceDate": _moment(issued),
        "issued": _moment(issued),
        "validFrom": _moment(awarded),
        "displayParameter": _display(seed, spec["title"], primary_language, images),
    }
    if profile == PROFILE_32:
        _to_32(credential)
        credential["type"] = ["VerifiableCredential", "VerifiableAttestation",
                              "EuropeanDigitalCredential"]
        credential["credentialSchema"].append({"id": EBSI_EDC_SCHEMA, "type": "JsonSchema"})
        credential["@context"] = [_VC2, CONTEXT]
    else:
        credential["@context"] = [_VC1, CONTEXT]
    return credential


def _to_32(credential: dict[str, Any]) -> None:
    """Nothing EBSI's closed schema refuses: the descriptors' extension stays out (the 3.2
    EDC says what ELM says)."""
    for claim in credential["credentialSubject"]["hasClaim"]:
        claim["specifiedBy"].pop(DESCRIPTORS_PROPERTY, None)


def display_parameter(seed: str, title: Mapping[str, str], primary: str,
                      images: Mapping[str, bytes]) -> dict[str, Any]:
    """What Europass shows of a credential whose nodes are seeded by ``seed`` (an id): the
    title, and an image per language, the primary one first."""
    return _display(uuid.uuid5(uuid.NAMESPACE_URL, seed), title, primary, images)


def _display(seed: uuid.UUID, title: Mapping[str, str], primary: str,
             images: Mapping[str, bytes]) -> dict[str, Any]:
    """What Europass shows: the title, and an image per language, the primary one first."""
    languages = sorted(images, key=lambda tag: tag != primary)
    return {"id": _id("displayParameter", seed), "type": "DisplayParameter",
            "title": dict(title), "language": [language(tag) for tag in languages],
            "primaryLanguage": language(languages[0] if languages else primary),
            "individualDisplay": [{
                "id": _id("individualDisplay", seed, tag), "type": "IndividualDisplay",
                "language": language(tag),
                "displayDetail": [{
                    "id": _id("displayDetail", seed, tag), "type": "DisplayDetail", "page": 1,
                    "image": {"id": _id("mediaObject", seed, tag), "type": "MediaObject",
                              "content": base64.b64encode(images[tag]).decode(),
                              "contentEncoding": concept(
                                  f"{_SNB}encoding/6146cde7dd", f"{_SNB}encoding/25831c2",
                                  {"en": "base64"}),
                              "contentType": concept(
                                  f"{_AUTHORITY}file-type/PNG", f"{_AUTHORITY}file-type",
                                  {"en": "PNG"}, "file-type")}}]}
                for tag in languages]}
