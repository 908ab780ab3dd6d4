"""Reading a OneRoster 1.2 CSV roster as the registrar's records (issue 56): students,
their programme with its English names, courses by term with their grades, and every bad
row named by file, row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credstack.core.registrar.oneroster_v1p2 import read_roster
from credstack.core.registrar.records import Standing
from tests.core.registrar.oneroster_roster import roster


def _locations(files: dict[str, str]) -> list[str]:
    return [problem.location for problem in read_roster(files).problems]


def test_a_roster_reads_as_students_with_their_courses_by_term() -> None:
    """Each enrolled student is a record; each final grade a course result of its term."""
    found = read_roster(roster(2))
    assert found.problems == []
    first, second = found.students
    assert (first.number, first.name, first.name_latin, first.name_kana) == (
        "22A00000", "山田 花子", "YAMADA Hanako", "ヤマダ ハナコ")
    assert first.birth_date == dt.date(2003, 4, 2) and first.standing is Standing.EXPECTED
    assert (first.faculty, first.department, first.degree_name) == (
        "工学部", "機械工学科", "学士（工学）")
    assert first.programme("en") == ("Faculty of Engineering",
                                     "Department of Mechanical Engineering",
                                     "Bachelor of Engineering")
    assert [(result.term, result.course_code, result.grade.mark)
            for result in first.results] == [("2022-前期", "ME101", "shu"),
                                             ("2022-前期", "ME102", "yu"),
                                             ("2022-前期", "EN201", "ryo"),
                                             ("2022-前期", "PE100", "ka")]
    assert second.results[0].grade.mark == "yu"
    assert first.credits_earned == Decimal(6)


def test_a_roster_without_grades_reads_students_without_results() -> None:
    """lineItems.csv and results.csv are optional together."""
    found = read_roster(roster(1, grades=False))
    assert found.problems == [] and found.students[0].results == ()


def test_a_missing_file_and_a_missing_column_are_named() -> None:
    files = roster(1)
    del files["demographics.csv"]
    files["orgs.csv"] = files["orgs.csv"].replace("parentSourcedId", "parent", 1)
    assert _locations(files) == ["orgs.csv row 1, column parentSourcedId",
                                 "demographics.csv row 0, column *"]


def test_every_bad_row_is_named_by_its_file_row_and_column() -> None:
    """A bad cell is placed where it was read: the course's credits in courses.csv, a grade
    in results.csv, a date of birth in demographics.csv, a dangling reference where it is."""
    files = roster(2)
    files["courses.csv"] = files["courses.csv"].replace(",2\r\n", ",99\r\n", 1)
    files["results.csv"] = files["results.csv"].replace(",秀,", ",X,", 1)
    files["demographics.csv"] = files["demographics.csv"].replace("2003-04-02", "2003-13-02", 1)
    files["enrollments.csv"] += files["enrollments.csv"].splitlines()[1].replace(
        "k-ME101", "k-NOPE").replace("e-u000000-ME101", "e-extra") + "\r\n"
    locations = _locations(files)
    assert "courses.csv row 2, column metadata.credits" in locations
    assert "results.csv row 2, column textScore" in locations
    assert "demographics.csv row 2, column birthDate" in locations
    assert "enrollments.csv row 10, column classSourcedId" in locations
    assert len(locations) == len(set(locations)) == 4


def test_rows_to_be_deleted_are_left_out() -> None:
    """A row of status tobedeleted is not part of the roster."""
    files = roster(2)
    files["results.csv"] = files["results.csv"].replace(
        "r-u000000-ME101,active", "r-u000000-ME101,tobedeleted")
    first = read_roster(files).students[0]
    assert [result.course_code for result in first.results] == ["ME102", "EN201", "PE100"]


def test_a_roster_of_another_version_is_refused() -> None:
    files = roster(1)
    files["manifest.csv"] = files["manifest.csv"].replace("oneroster.version,1.2",
                                                          "oneroster.version,1.1")
    assert _locations(files) == ["manifest.csv row 1, column oneroster.version"]
