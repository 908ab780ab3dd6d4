"""What the registrar's documents say (issue 56): 和暦 dates, which standing has which
document, and the transcript's GPA — on the credential, in the CLR's programme credential and
on the PDF's page — equal to an independent recomputation from the course rows (Hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.core.registrar.documents import (
    DocumentKind,
    RecordFacts,
    course_credentials,
    document_content,
    record_credential,
    refusal,
    wareki,
)
from credstack.core.registrar.grades import SCALES, Scale
from credstack.core.registrar.records import CourseResult, Standing, Student

#: Grade points of each scale's marks as the institution publishes them (written out here,
#: not read from the code under test); None: no points (pass/fail, transfer).
POINTS = {"shu": 4, "yu": 3, "ryo": 2, "ka": 1, "fuka": 0, "S": 4, "A": 3, "B": 2, "C": 1,
          "F": 0, "pass": None, "fail": None, "transfer": None}
FAILED = {"fuka", "F", "fail"}

FACTS = RecordFacts(
    issuer={"id": "did:web:u.example.ac.jp", "type": ["Profile"], "name": "芝浦工業大学"},
    issuer_name="芝浦工業大学", base_url="https://u.example.ac.jp/registrar/u",
    status={"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": "7", "statusListCredential": "https://u.example.ac.jp/s/1"},
    now=dt.datetime(2026, 3, 31, 9, tzinfo=dt.UTC))


def student(results: tuple[CourseResult, ...] = (), standing: Standing = Standing.GRADUATED,
            completion: dt.date | None = dt.date(2026, 3, 31)) -> Student:
    return Student(number="20A1001", name="山田 花子", name_kana="ヤマダ ハナコ",
                   name_latin="YAMADA Hanako", birth_date=dt.date(2003, 4, 2),
                   faculty="工学部", department="機械工学科", degree_name="学士（工学）",
                   admission_date=dt.date(2022, 4, 1), completion_date=completion,
                   standing=standing, results=results)


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2026, 3, 31), "令和8年3月31日"), (dt.date(2019, 5, 1), "令和元年5月1日"),
    (dt.date(2019, 4, 30), "平成31年4月30日"), (dt.date(1989, 1, 8), "平成元年1月8日"),
    (dt.date(1989, 1, 7), "昭和64年1月7日"), (dt.date(1926, 12, 25), "昭和元年12月25日"),
])
def test_a_day_in_the_japanese_calendar(day: dt.date, text: str) -> None:
    """Each era from its first day, its first year 元年."""
    assert wareki(day) == text


def test_a_day_before_showa_is_refused() -> None:
    with pytest.raises(ValueError, match="before Showa"):
        wareki(dt.date(1926, 12, 24))


def test_japanese_documents_print_wareki_where_chosen() -> None:
    """With japanese_era the Japanese PDF says 令和; the English one keeps the Gregorian date."""
    one = student()
    ja = document_content(DocumentKind.GRADUATION, one, dataclasses.replace(
        FACTS, japanese_era=True), document_id="urn:x", verify_url="https://u/verify")
    assert "令和8年3月31日" in ja.statement and ja.issued_on == "令和8年3月31日"
    en = document_content(DocumentKind.GRADUATION, one, dataclasses.replace(
        FACTS, japanese_era=True, language="en"), document_id="urn:x",
        verify_url="https://u/verify")
    assert "31 March 2026" in en.statement and en.learner == "YAMADA Hanako"


def test_english_documents_name_the_programme_in_english() -> None:
    """The English PDF, credential and CLR course credentials name the faculty, department
    and degree by their English names; the Japanese ones by the Japanese; without English
    names the English documents print the names as imported."""
    named = dataclasses.replace(student(), faculty_en="Faculty of Engineering",
                                department_en="Department of Mechanical Engineering",
                                degree_name_en="Bachelor of Engineering")
    english = dataclasses.replace(FACTS, language="en")
    page = document_content(DocumentKind.DEGREE, named, english, document_id="urn:x",
                            verify_url="https://u/verify")
    assert page.programme_title == "Bachelor of Engineering"
    assert "Department of Mechanical Engineering, Faculty of Engineering" in page.statement
    assert "Bachelor of Engineering" in page.statement and "工学" not in page.statement
    assert {row.value for row in page.summary} >= {
        "Department of Mechanical Engineering, Faculty of Engineering",
        "Bachelor of Engineering"}
    credential = record_credential(DocumentKind.DEGREE, named, english, credential_id="urn:c")
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Bachelor of Engineering"
    assert achievement["fieldOfStudy"] == (
        "Department of Mechanical Engineering, Faculty of Engineering")
    japanese = record_credential(DocumentKind.DEGREE, named, FACTS, credential_id="urn:c")
    assert japanese["credentialSubject"]["achievement"]["name"] == "学士（工学）"
    assert japanese["credentialSubject"]["achievement"]["id"] == achievement["id"]
    plain = document_content(DocumentKind.DEGREE, student(), english, document_id="urn:x",
                             verify_url="https://u/verify")
    assert plain.programme_title == "学士（工学）"


@pytest.mark.parametrize(("kind", "standing", "code"), [
    (DocumentKind.DEGREE, Standing.GRADUATED, None),
    (DocumentKind.DEGREE, Standing.EXPECTED, "registrar.documents.standing"),
    (DocumentKind.EXPECTED, Standing.EXPECTED, None),
    (DocumentKind.EXPECTED, Standing.GRADUATED, "registrar.documents.standing"),
    (DocumentKind.ENROLMENT, Standing.LEAVE, None),
    (DocumentKind.ENROLMENT, Standing.WITHDRAWN, "registrar.documents.standing"),
    (DocumentKind.TRANSCRIPT, Standing.WITHDRAWN, "registrar.documents.no_results"),
])
def test_which_standing_has_which_document(kind: DocumentKind, standing: Standing,
                                           code: str | None) -> None:
    assert refusal(kind, student(standing=standing)) == code


results = st.lists(st.builds(
    lambda pair, credits, term: CourseResult(term, f"C{pair[1]}", "科目", credits,
                                             SCALES[pair[0]][pair[1]]),
    st.sampled_from([Scale.JP, Scale.LETTER, Scale.PASS_FAIL, Scale.TRANSFER]).flatmap(
        lambda scale: st.tuples(st.just(scale), st.sampled_from(sorted(SCALES[scale])))),
    st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2), Decimal(4), Decimal(8)]),
    st.sampled_from(["2022-前期", "2022-後期", "2023-前期"])), min_size=1, max_size=40)


def expected_gpa(rows: list[CourseResult]) -> str | None:
    """Σ points × credits / Σ credits over the courses with points (failures count), to two
    places rounding half up: with fractions, from the published points table."""
    weighted, attempted = Fraction(0), Fraction(0)
    for row in rows:
        points = POINTS[row.grade.mark]
        if points is None:
            continue
        weighted += Fraction(points) * Fraction(row.credits)
        attempted += Fraction(row.credits)
    if not attempted:
        return None
    hundredths = math.floor(weighted / attempted * 100 + Fraction(1, 2))
    return f"{hundredths // 100}.{hundredths % 100:02d}"


@settings(max_examples=200, deadline=None)
@given(results)
def test_the_transcripts_gpa_equals_an_independent_recomputation(
        rows: list[CourseResult]) -> None:
    """The GPA the transcript credential states, and the one its PDF prints, are the
    recomputation's; the credits earned are those of the passed courses."""
    record = student(tuple(rows))
    credential = record_credential(DocumentKind.TRANSCRIPT, record, FACTS,
                                   credential_id="urn:uuid:1")
    subject = credential["credentialSubject"]
    gpa = expected_gpa(rows)
    earned = sum((row.credits for row in rows if row.grade.mark not in FAILED), Decimal(0))
    stated = {result["resultDescription"]: result["value"] for result in subject["result"]}
    assert stated.get(f"{FACTS.base_url}/results/gpa/standard-4.0") == gpa
    assert Decimal(stated[f"{FACTS.base_url}/results/credits"]) == earned
    page = document_content(DocumentKind.TRANSCRIPT, record, FACTS, document_id="urn:uuid:1",
                            verify_url="https://u/verify")
    printed = {row.key: row.value for row in page.summary}
    assert printed.get("gpa") == gpa
    assert len(page.outcomes) == len(rows)


def test_each_course_is_a_course_achievement_with_its_grade_and_term() -> None:
    rows = (CourseResult("2022-前期", "ME101", "機械工学概論", Decimal(2), SCALES[Scale.JP]["shu"]),
            CourseResult("2024-前期", "ME202", "流体力学", Decimal(2), SCALES[Scale.JP]["fuka"]))
    made = course_credentials(student(rows), FACTS, credential_ids=["urn:a", "urn:b"])
    first, second = (item["credentialSubject"] for item in made)
    assert first["achievement"]["achievementType"] == "Course"
    assert (first["term"], first["creditsEarned"], first["result"][0]["value"]) == \
        ("2022-前期", 2.0, "秀")
    assert second["creditsEarned"] == 0
    assert all(item["credentialStatus"] == FACTS.status for item in made)
