"""Reading a OneRoster 1.2 CSV roster as the registrar's records (issue 56): students,
their programme with its English names, courses by term with their grades, every bad
row named by file, row and column; ``roles.csv`` (several roles a user) where present."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credstack.core.registrar.oneroster_v1p2 import read_roster, unzip
from credstack.core.registrar.records import Standing
from tests.core.registrar.oneroster_roster import line, roster, zipped


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


def _user(key: str, number: str, org: str = "me") -> str:
    return line("users.csv", sourcedId=key, enabledUser="true", username=key, givenName="一郎",
                familyName="鈴木", identifier=number, primaryOrgSourcedId=org,
                preferredGivenName="Ichiro", preferredFamilyName="SUZUKI",
                **{"metadata.admissionDate": "2024-04-01"})


def _role(key: str, user: str, role: str, role_type: str = "primary") -> str:
    return line("roles.csv", sourcedId=key, userSourcedId=user, roleType=role_type, role=role,
                orgSourcedId="me")


def _enrolment(key: str, user: str, role: str) -> str:
    return line("enrollments.csv", sourcedId=key, classSourcedId="k-ME101", userSourcedId=user,
                role=role, schoolSourcedId="eng", beginDate="2022-04-01")


def test_roles_csv_makes_students_of_its_student_roles_only() -> None:
    """With roles.csv: a teacher enrolled as a teacher is no student; a teacher who also
    studies (both roles) is one by their enrolment as a student; a student not yet in a
    class is one, without results; a student without a primaryOrgSourcedId is placed in
    the department of their student role."""
    files = roster(1, roles=True)
    files["users.csv"] += (_user("t1", "T001") + _user("ta", "23M0001")
                           + _user("new", "24A0001", org=""))
    files["demographics.csv"] += "".join(
        line("demographics.csv", sourcedId=key, birthDate="2001-01-01")
        for key in ("t1", "ta", "new"))
    files["roles.csv"] += (_role("r-t1", "t1", "teacher") + _role("r-ta1", "ta", "teacher")
                           + _role("r-ta2", "ta", "student", "secondary")
                           + _role("r-new", "new", "student"))
    files["enrollments.csv"] += (_enrolment("e-t1", "t1", "teacher")
                                 + _enrolment("e-ta1", "ta", "teacher")
                                 + _enrolment("e-ta2", "ta", "student"))
    found = read_roster(files)
    assert found.problems == []
    assert [student.number for student in found.students] == ["22A00000", "23M0001",
                                                               "24A0001"]
    newcomer = found.students[2]
    assert newcomer.results == () and newcomer.department == "機械工学科"
    assert [result.course_code for result in found.students[1].results] == []


def test_roles_csv_faults_are_named_by_file_row_and_column() -> None:
    """An enrolment as a student of a user whose roles lack student; a role of an unknown
    user; a role type that is neither primary nor secondary; a role of no org."""
    files = roster(1, roles=True)
    files["users.csv"] += _user("t1", "T001")
    files["roles.csv"] += (_role("r-t1", "t1", "teacher") + _role("r-x", "nobody", "student")
                           + _role("r-y", "t1", "aide", "main")
                           + _role("r-z", "t1", "aide").replace(",me,", ",nowhere,"))
    files["enrollments.csv"] += _enrolment("e-t1", "t1", "student")
    assert _locations(files) == ["roles.csv row 4, column userSourcedId",
                                 "roles.csv row 5, column roleType",
                                 "roles.csv row 6, column orgSourcedId",
                                 "enrollments.csv row 6, column userSourcedId"]
    assert read_roster(files).problems[-1].code == "registrar.oneroster.fault.not_student"


def test_a_zip_gives_its_roles_csv() -> None:
    """roles.csv is one of the roster's files a zip gives (others are left)."""
    files = roster(1, roles=True)
    given = unzip(zipped({**files, "userProfiles.csv": "sourcedId\r\n"}), limit=2**20)
    assert sorted(given) == sorted(files) and "roles.csv" in given
