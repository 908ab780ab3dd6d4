"""The degree certificate as a European Digital Credential: an ELM v3 ``Qualification`` awarded
to the graduate, with the Diploma Supplement's fields (issue 56), for study abroad.

European Learning Model 3.1.0 (``http://data.europa.eu/snb/model/elm/``) and the EDC
application profiles ``…/ap/edc-generic-full`` (which the credential names) and
``…/ap/edc-diploma-supplement``. The Diploma Supplement's sections, where the record holds
them:

1. the holder — ``Person``: full name (one, in the primary language, as the profile wants),
   date of birth, the student number as an ``Identifier``;
2. the qualification — the ``Qualification`` (the degree's name in Japanese and English), the
   faculty and department (the field of study, as notes), the awarding body (the
   institution, an ``AwardingOpportunity`` and the ``AwardingProcess`` with the date);
3. its level — EQF 6, 7 or 8 for a bachelor's, master's or doctor's degree (the Japanese
   degree's name says which; none when it says none of them), the language of instruction;
4. contents and results — each course a ``LearningAchievement`` in ``hasPart`` with its
   credits (``creditReceived``) and its grade (a ``LearningAssessment``, the grade in the
   institution's scale and the term), the whole degree's credits and its GPA as the overall
   result (the record's rule), the grading scheme named on the assessment's specification;
5. admission and completion dates — ``temporal``-free notes of the programme's period.

What ELM cannot say from a record (the ISCED-F field, the official length, learning outcomes,
the institution's accreditation) is left out rather than guessed: a Diploma Supplement
profile check names those as missing. The labels are the record's own words; nothing here
is worded for a reader (the record is Japanese or English as imported).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from credstack.core.descriptors.elm.export import (
    CONTEXT,
    concept,
    display_parameter,
    language,
    organisation_node,
    seeded_id,
)
from credstack.core.organisations import Organisation
from credstack.core.registrar.records import Student

__all__ = ["DIPLOMA_SUPPLEMENT_PROFILE", "GENERIC_PROFILE", "degree_edc", "eqf_level"]

_SNB: Final = "http://data.europa.eu/snb/"
_VC1: Final = "https://www.w3.org/2018/credentials/v1"
_CREDSTACK: Final = "https://w3id.org/credstack/elm/"
GENERIC_PROFILE: Final = f"{_SNB}model/ap/edc-generic-full"
#: The Diploma Supplement profile as credstack names it (the file's own name).
DIPLOMA_SUPPLEMENT_PROFILE: Final = f"{_SNB}model/ap/edc-diplomaSupplement"
#: The first character of a Japanese degree's name (gakushi, shushi, hakushi) and its EQF
#: level.
_LEVELS: Final = {"\u5b66": 6, "\u4fee": 7, "\u535a": 8}
#: Japanese university credits (tan'i): no ECTS, their own framework.
_CREDIT_FRAMEWORK: Final = f"{_CREDSTACK}credit/jp-university"


def eqf_level(degree_name: str) -> int | None:
    """The EQF level of a Japanese degree by its name (bachelor 6, master 7, doctor 8), else
    None."""
    return _LEVELS.get(degree_name[:1]) if degree_name[1:2] == "\u58eb" else None


def _moment(day: dt.date | dt.datetime) -> str:
    if isinstance(day, dt.datetime):
        return day.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{day.isoformat()}T00:00:00Z"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _texts(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, **({"en": en} if en and en != ja else {})}


def _credit(node_id: str, amount: Decimal) -> dict[str, Any]:
    return {"id": node_id, "type": "CreditPoint",
            "framework": concept(_CREDIT_FRAMEWORK, f"{_CREDSTACK}credit", {"en": "credits"}),
            "point": _plain(amount)}


def _note(node_id: str, text: Mapping[str, str]) -> dict[str, Any]:
    return {"id": node_id, "type": "Note", "noteLiteral": dict(text)}


def degree_edc(student: Student, *, credential_id: str, organisation: Organisation,
               gpa: str | None, issued: dt.datetime, primary_language: str,
               images: Mapping[str, bytes], public_url: str | None = None,
               grading_scheme: str = "") -> dict[str, Any]:
    """The graduate's degree as an (unsealed) EDC standing for credstack's degree credential
    ``credential_id``; ``gpa`` as the record states it, ``images`` what Europass shows (a
    PNG per language, ``primary_language`` first)."""
    seed = credential_id
    body = organisation_node(organisation, public_url=public_url)
    ja_faculty, ja_department, ja_degree = student.programme("ja")
    en_faculty, en_department, en_degree = student.programme("en")
    title = _texts(ja_degree, en_degree)
    awarded = student.completion_date or issued.date()
    qualification: dict[str, Any] = {
        "id": seeded_id("qualification", seed),
        "type": "Qualification",
        "title": title,
        "language": [language("ja")],
        "isPartialQualification": False,
        "awardingOpportunity": [{"id": seeded_id("awardingOpportunity", seed),
                                 "type": "AwardingOpportunity", "awardingBody": [body],
                                 "learningAchievementSpecification":
                                     seeded_id("qualification", seed)}],
        "additionalNote": [
            _note(seeded_id("note", seed, "faculty"), _texts(ja_faculty, en_faculty)),
            _note(seeded_id("note", seed, "department"), _texts(ja_department, en_department)),
            _note(seeded_id("note", seed, "period"), {
                "en": f"{student.admission_date.isoformat()}/{awarded.isoformat()}"}),
        ],
        "creditPoint": [_credit(seeded_id("creditPoint", seed, "required"),
                                student.credits_earned)],
    }
    level = eqf_level(ja_degree)
    if level is not None:
        qualification["eqfLevel"] = concept(f"{_SNB}eqf/{level}", f"{_SNB}eqf/25831c2",
                                            {"en": f"Level {level}"})
    awarding = {"id": seeded_id("awardingProcess", seed), "type": "AwardingProcess",
                "awardingBody": [body], "awardingDate": _moment(awarded)}
    scheme = {"id": seeded_id("learningAssessmentSpec", seed), "type":
              "LearningAssessmentSpecification", "title": title}
    if grading_scheme:
        scheme["gradingScheme"] = {"id": seeded_id("scoringScheme", seed),
                                   "type": "ScoringScheme",
                                   "title": {"en": grading_scheme}}
    overall: dict[str, Any] = {"id": seeded_id("learningAssessment", seed),
                               "type": "LearningAssessment", "title": title,
                               "awardedBy": awarding, "specifiedBy": scheme,
                               "grade": _note(seeded_id("note", seed, "gpa"),
                                              {"en": f"GPA {gpa}" if gpa else "-"})}
    courses = []
    for index, result in enumerate(student.results):
        part = f"course-{index}"
        course_title = {"ja": result.course_title}
        courses.append({
            "id": seeded_id("learningAchievement", seed, part),
            "type": "LearningAchievement", "title": course_title,
            "identifier": [{"id": seeded_id("identifier", seed, part), "type": "Identifier",
                            "schemeName": "course code", "notation": result.course_code}],
            "awardedBy": awarding,
            "creditReceived": [_credit(seeded_id("creditPoint", seed, part),
                                       result.credits if result.grade.passed
                                       else Decimal(0))],
            "provenBy": [{"id": seeded_id("learningAssessment", seed, part),
                          "type": "LearningAssessment", "title": course_title,
                          "awardedBy": awarding,
                          "grade": _note(seeded_id("note", seed, f"{part}-grade"),
                                         {"en": f"{result.grade.scale.value}:"
                                                f"{result.grade.mark}"}),
                          "additionalNote": [_note(seeded_id("note", seed, f"{part}-term"),
                                                   {"ja": result.term})]}]})
    achievement: dict[str, Any] = {
        "id": seeded_id("learningAchievement", seed), "type": "LearningAchievement",
        "title": title, "awardedBy": awarding, "specifiedBy": qualification,
        "creditReceived": [_credit(seeded_id("creditPoint", seed, "earned"),
                                   student.credits_earned)],
        "provenBy": [overall]}
    if courses:
        achievement["hasPart"] = courses
    person: dict[str, Any] = {
        "id": seeded_id("person", seed), "type": "Person",
        "fullName": ({"en": student.name_latin} if primary_language == "en"
                     and student.name_latin else {"ja": student.name}),
        "dateOfBirth": _moment(student.birth_date),
        "identifier": [{"id": seeded_id("identifier", seed, "student"), "type": "Identifier",
                        "schemeName": "student number", "notation": student.number}],
        "hasClaim": [achievement]}
    edc_id = f"urn:credential:{uuid.uuid5(uuid.NAMESPACE_URL, credential_id)}"
    return {
        "@context": [_VC1, CONTEXT],
        "id": edc_id,
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [concept(f"{_SNB}credential/e34929035b",
                                       f"{_SNB}credential/25831c2", {"en": "Generic"})],
        "identifier": [{"id": seeded_id("identifier", seed, "credential"),
                        "type": "Identifier", "schemeName": "credstack credential",
                        "notation": credential_id}],
        "credentialSchema": [{"id": GENERIC_PROFILE, "type": "ShaclValidator2017"}],
        "credentialSubject": person,
        "issuer": body,
        "issuanceDate": _moment(issued),
        "issued": _moment(issued),
        "validFrom": _moment(awarded),
        "displayParameter": display_parameter(seed, title, primary_language, images),
    }
