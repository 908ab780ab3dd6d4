"""The registrar's documents from one academic record (issue 56): what each says, as an
Open Badges 3.0 credential, a CLR 2.0 transcript and the page of a signed PDF.

Six kinds (:class:`DocumentKind`; their Japanese names are the vocabulary's): the degree
certificate (gakuiki), the certificates of graduation and of expected graduation, the
transcript, the certificate of enrolment and the certificate of courses taken. Which a
student may have depends on the standing (:func:`refusal`): a degree or a certificate of
graduation once graduated, a certificate of expected graduation while expected to graduate,
a certificate of enrolment while enrolled (on leave too: a student on leave is still
enrolled).

Every form of every document of one record carries the same status entry (the caller gives
it): revoking that entry withdraws the PDF, the credential and the CLR at once.

The transcript as a CLR follows the shape of 1EdTech's CLR Standard transcript: one
``AchievementCredential`` per course result (an ``Achievement`` of type ``Course`` with its
credits, the grade as a ``Result`` on the scale's ``ResultDescription``, the term), and one for
the programme of study carrying the GPA and the credits earned as ``Result`` values, each course
associated to the programme (``isChildOf``). :func:`course_credentials` and
:func:`record_credential` make the credentials; the CLR around them is
:func:`credstack.core.credentials.clr_v2.build_clr_credential`'s.

Dates are printed in the Gregorian calendar or, where the institution chooses, in the Japanese
one (wareki, :func:`wareki`; the eras' names are the ``japanese-era`` vocabulary's). Pure:
the words are the ``registrar-document`` vocabulary's, the time and the addresses are
parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final
from urllib.parse import quote

from credstack.core import vocabularies
from credstack.core.certificates.models import Captions, CertificateContent, SummaryRow
from credstack.core.credentials.openbadges_v3 import OB_CONTEXT_URL, VC_CONTEXT_URL
from credstack.core.dates import day_text
from credstack.core.registrar.grades import SCALES, STANDARD_RULE, GpaRule, Scale
from credstack.core.registrar.records import CourseResult, Standing, Student

__all__ = ["ERAS", "KINDS", "DocumentKind", "RecordFacts", "course_credentials",
           "credits_of", "document_content", "gpa_of", "record_credential", "refusal",
           "student_identifier", "wareki"]


class DocumentKind(StrEnum):
    DEGREE = "degree"
    GRADUATION = "graduation"
    EXPECTED = "expected"
    TRANSCRIPT = "transcript"
    ENROLMENT = "enrolment"
    COURSES = "courses"


KINDS: Final = tuple(DocumentKind)

#: The standings each kind is issued for; a kind not named here is issued for any standing.
_STANDINGS: Final[Mapping[DocumentKind, frozenset[Standing]]] = {
    DocumentKind.DEGREE: frozenset({Standing.GRADUATED}),
    DocumentKind.GRADUATION: frozenset({Standing.GRADUATED}),
    DocumentKind.EXPECTED: frozenset({Standing.EXPECTED}),
    DocumentKind.ENROLMENT: frozenset({Standing.ENROLLED, Standing.LEAVE, Standing.EXPECTED}),
}

#: The OB 3.0 ``achievementType`` of each kind's achievement.
_ACHIEVEMENT_TYPES: Final[Mapping[DocumentKind, str]] = {
    DocumentKind.DEGREE: "Degree", DocumentKind.GRADUATION: "Diploma",
    DocumentKind.EXPECTED: "Certificate", DocumentKind.TRANSCRIPT: "Degree",
    DocumentKind.ENROLMENT: "Certificate", DocumentKind.COURSES: "Certificate"}

#: The Japanese eras since 1926 and the day each began. A small table rather than ICU's
#: japanese calendar: Babel formats dates but has no era calendar, and a registrar prints
#: dates of birth, admission and graduation, none before Showa. A new era is one more row
#: (and its name in the vocabulary).
ERAS: Final = (("reiwa", dt.date(2019, 5, 1)), ("heisei", dt.date(1989, 1, 8)),
               ("showa", dt.date(1926, 12, 25)))


def wareki(day: dt.date) -> str:
    """``day`` in the Japanese calendar (Reiwa 8, March 31 for 2026-03-31; an era's first
    year is called gannen), as the ``japanese-era`` vocabulary writes it."""
    names = vocabularies.names("japanese-era", "ja")
    for era, start in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return names["date"].format(era=names[era], year=names["first-year"] if year == 1
                                          else year, month=day.month, day=day.day)
    raise ValueError(f"{day.isoformat()} is before Showa, the earliest era credstack prints")


def refusal(kind: DocumentKind, student: Student) -> str | None:
    """Why ``student`` cannot have ``kind`` (a code), or ``None``."""
    allowed = _STANDINGS.get(kind)
    if allowed is not None and student.standing not in allowed:
        return "registrar.documents.standing"
    if kind in {DocumentKind.GRADUATION, DocumentKind.EXPECTED, DocumentKind.DEGREE} and \
            student.completion_date is None:
        return "registrar.documents.no_completion"
    if kind in {DocumentKind.TRANSCRIPT, DocumentKind.COURSES} and not student.results:
        return "registrar.documents.no_results"
    return None


def gpa_of(student: Student, rule: GpaRule = STANDARD_RULE) -> Decimal | None:
    """The record's GPA by ``rule``."""
    return rule.gpa((result.grade, result.credits) for result in student.results)


def credits_of(student: Student) -> Decimal:
    """The credits of every passed or recognised course."""
    return sum((result.credits for result in student.results if result.grade.passed),
               Decimal(0))


def student_identifier(student: Student) -> dict[str, Any]:
    """The OB 3.0 ``IdentityObject`` naming the learner by student number (the student-information
    system's id, ``sisSourcedId``), in plain text."""
    return {"type": "IdentityObject", "identityHash": student.number,
            "identityType": "sisSourcedId", "hashed": False}


def _name_identifiers(student: Student, language: str) -> list[dict[str, Any]]:
    name = student.name if language == "ja" else student.name_latin
    return [student_identifier(student),
            {"type": "IdentityObject", "identityHash": name, "identityType": "name",
             "hashed": False}]


def _words(language: str) -> Mapping[str, str]:
    return vocabularies.names("registrar-document", language if language == "ja" else "en")


def _day(day: dt.date, language: str, japanese_era: bool) -> str:
    return wareki(day) if japanese_era and language == "ja" else day_text(day, language)


def _grade_name(result: CourseResult, language: str) -> str:
    return vocabularies.name("registrar-grade", result.grade.mark, language) or \
        result.grade.mark


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What a record's documents say besides the record: who issues them, where, when."""

    #: The organisation's OB 3.0 ``Profile`` (its DID as ``id``) and its name.
    issuer: Mapping[str, Any]
    issuer_name: str
    #: Where the organisation's registrar achievements live: ``{public_url}/registrar/{slug}``.
    base_url: str
    #: The record's one ``BitstringStatusListEntry``, shared by every form of every document.
    status: Mapping[str, Any]
    now: dt.datetime
    language: str = "ja"
    #: Japanese-calendar dates on Japanese documents, where the institution chooses it.
    japanese_era: bool = False
    rule: GpaRule = STANDARD_RULE
    #: Whom the document is for (a company, a university), printed on the PDF when given.
    addressee: str = ""


def _statement(kind: DocumentKind, student: Student, facts: RecordFacts) -> str:
    words = _words(facts.language)
    completion = (_day(student.completion_date, facts.language, facts.japanese_era)
                  if student.completion_date else "")
    faculty, department, degree = student.programme(facts.language)
    return words[f"{kind.value}-statement"].format(
        faculty=faculty, department=department, degree=degree, completion=completion)


def _field(language: str, faculty: str, department: str) -> str:
    """The faculty and department as one line: faculty first in Japanese; in English the
    department first (``Department of Mechanical Engineering, Faculty of Engineering``)."""
    return f"{faculty} {department}" if language == "ja" else f"{department}, {faculty}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def _gpa_description(facts: RecordFacts) -> dict[str, Any]:
    words = _words(facts.language)
    return {"id": f"{facts.base_url}/results/gpa/{facts.rule.name}",
            "type": ["ResultDescription"],
            "name": words["gpa"].format(rule=facts.rule.name),
            "resultType": "GradePointAverage"}


def _credits_description(facts: RecordFacts) -> dict[str, Any]:
    return {"id": f"{facts.base_url}/results/credits", "type": ["ResultDescription"],
            "name": _words(facts.language)["credits"], "resultType": "Status"}


def _envelope(credential_id: str, name: str, subject: Mapping[str, Any],
              facts: RecordFacts) -> dict[str, Any]:
    return {"@context": [VC_CONTEXT_URL, OB_CONTEXT_URL], "id": credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": dict(facts.issuer),
            "validFrom": facts.now.isoformat().replace("+00:00", "Z"), "name": name,
            "credentialSubject": subject, "credentialStatus": dict(facts.status)}


def record_credential(kind: DocumentKind, student: Student, facts: RecordFacts, *,
                      credential_id: str) -> dict[str, Any]:
    """The unsigned OB 3.0 credential of ``kind`` about ``student``: the programme of study
    as its achievement, the GPA and the credits earned as results where the kind states them
    (a transcript, a degree, a certificate of courses taken)."""
    words = _words(facts.language)
    heading = words[kind.value]
    faculty, department, degree = student.programme(facts.language)
    achievement: dict[str, Any] = {
        "id": f"{facts.base_url}/achievements/{kind.value}/"
              f"{_digest(student.faculty, student.department, student.degree_name)}",
        "type": ["Achievement"], "achievementType": _ACHIEVEMENT_TYPES[kind],
        "name": degree if kind is DocumentKind.DEGREE else heading,
        "description": _statement(kind, student, facts),
        "criteria": {"narrative": words["criteria"]},
        "fieldOfStudy": _field(facts.language, faculty, department),
        "inLanguage": facts.language}
    subject: dict[str, Any] = {"type": ["AchievementSubject"],
                               "identifier": _name_identifiers(student, facts.language),
                               "achievement": achievement}
    if kind in {DocumentKind.TRANSCRIPT, DocumentKind.DEGREE, DocumentKind.COURSES}:
        gpa = gpa_of(student, facts.rule)
        descriptions = [_credits_description(facts)]
        results = [{"type": ["Result"], "resultDescription": descriptions[0]["id"],
                    "value": str(credits_of(student))}]
        if gpa is not None:
            descriptions.insert(0, _gpa_description(facts))
            results.insert(0, {"type": ["Result"], "resultDescription": descriptions[0]["id"],
                               "value": str(gpa)})
        achievement["resultDescription"] = descriptions
        subject["result"] = results
        subject["creditsEarned"] = float(credits_of(student))
    if student.completion_date is not None and kind in {DocumentKind.DEGREE,
                                                        DocumentKind.GRADUATION}:
        subject["activityEndDate"] = f"{student.completion_date.isoformat()}T00:00:00Z"
    return _envelope(credential_id, heading, subject, facts)


def _scale_description(scale: Scale, facts: RecordFacts) -> dict[str, Any]:
    names = [vocabularies.name("registrar-grade", grade.mark, facts.language) or grade.mark
             for grade in SCALES[scale].values()]
    return {"id": f"{facts.base_url}/results/scales/{scale.value}",
            "type": ["ResultDescription"], "name": _words(facts.language)["grade-result"],
            "resultType": "LetterGrade", "allowedValue": names}


def course_credentials(student: Student, facts: RecordFacts, *, credential_ids: Sequence[str]
                       ) -> list[dict[str, Any]]:
    """One unsigned OB 3.0 credential per course result, in the record's order: the course
    as an ``Achievement`` of type ``Course`` (its code, credits), the grade as a ``Result``
    on its scale, the term, the credits earned (none for a failed course)."""
    credentials = []
    for result, credential_id in zip(student.results, credential_ids, strict=True):
        description = _scale_description(result.grade.scale, facts)
        achievement = {
            "id": f"{facts.base_url}/courses/{quote(result.course_code, safe='')}",
            "type": ["Achievement"], "achievementType": "Course", "name": result.course_title,
            "description": f"{result.course_code} {result.course_title}",
            "criteria": {"narrative": _words(facts.language)["criteria"]},
            "humanCode": result.course_code, "creditsAvailable": float(result.credits),
            "resultDescription": [description]}
        subject = {"type": ["AchievementSubject"], "identifier": [student_identifier(student)],
                   "achievement": achievement, "term": result.term,
                   "creditsEarned": float(result.credits if result.grade.passed else 0),
                   "result": [{"type": ["Result"], "resultDescription": description["id"],
                               "value": _grade_name(result, facts.language)}]}
        credentials.append(_envelope(credential_id, result.course_title, subject, facts))
    return credentials


def document_content(kind: DocumentKind, student: Student, facts: RecordFacts, *,
                     document_id: str, verify_url: str, upload_url: str | None = None
                     ) -> CertificateContent:
    """What the PDF of ``kind`` prints, in ``facts.language``: the heading, the student, the
    statement, the particulars of the record and, on a transcript or a certificate of
    courses taken, every course with its term, credits and grade. The QR code opens
    ``verify_url`` (the document's own verification page); the hint names ``upload_url``
    (the page a PDF is uploaded to; ``verify_url`` when not given)."""
    language = facts.language if facts.language == "ja" else "en"
    words = _words(language)
    heading = words[kind.value]

    def day(value: dt.date) -> str:
        return _day(value, language, facts.japanese_era)

    name = student.name if language == "ja" else student.name_latin
    faculty, department, degree = student.programme(language)
    field = _field(language, faculty, department)
    rows = [SummaryRow("birth-date", words["birth-date"], day(student.birth_date)),
            SummaryRow("faculty", words["faculty"], field),
            SummaryRow("degree-name", words["degree-name"], degree),
            SummaryRow("admission", words["admission"], day(student.admission_date))]
    if student.completion_date is not None and kind is not DocumentKind.ENROLMENT:
        caption = "expected-completion" if kind is DocumentKind.EXPECTED else "completion"
        rows.append(SummaryRow(caption, words[caption], day(student.completion_date)))
    rows.append(SummaryRow("standing", words["standing"], vocabularies.name(
        "registrar-standing", student.standing.value, language) or student.standing.value))
    if facts.addressee:
        rows.append(SummaryRow("addressee", words["addressee"], facts.addressee))
    courses: tuple[str, ...] = ()
    if kind in {DocumentKind.TRANSCRIPT, DocumentKind.COURSES, DocumentKind.DEGREE}:
        gpa = gpa_of(student, facts.rule)
        if gpa is not None and kind is not DocumentKind.COURSES:
            rows.append(SummaryRow("gpa", words["gpa"].format(rule=facts.rule.name), str(gpa)))
        rows.append(SummaryRow("credits", words["credits"], str(credits_of(student))))
    if kind in {DocumentKind.TRANSCRIPT, DocumentKind.COURSES}:
        courses = tuple(words["course-row"].format(
            term=result.term, code=result.course_code, title=result.course_title,
            credits=result.credits, grade=_grade_name(result, language))
            for result in student.results)
    return CertificateContent(
        language="ja" if language == "ja" else "en", heading=heading, kind=words["kind"],
        preamble=words["preamble"], learner=words["honorific"].format(name=name),
        statement=_statement(kind, student, facts),
        programme_title=degree if kind is DocumentKind.DEGREE else field,
        programme_code=student.number, awarding_body=facts.issuer_name,
        issued_on=day(facts.now.date()), grade=None, summary=tuple(rows), outcomes=courses,
        credential_id=document_id, verify_url=verify_url,
        captions=Captions(issued_on=words["issued-on"], awarding_body=words["awarding-body"],
                          credential_id=words["document-id"],
                          programme_code=words["student-number"], grade=words["gpa-result"],
                          outcomes=words["results"], summary=words["summary"],
                          verify_hint=words["verify-hint"].format(url=upload_url or verify_url),
                          signed_note=words["signed-note"]),
        document_title=words["title"].format(heading=heading, name=name),
        is_micro_credential=False)
