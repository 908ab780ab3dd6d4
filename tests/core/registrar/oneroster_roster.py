"""A OneRoster 1.2 CSV roster generator for the tests and the bench: a university's
students, their programme (a faculty and its department as orgs), classes by term and final
grades, written with the 1EdTech OneRoster CSV Binding 1.2's file and column names (the
binding's order; ``metadata.*`` extension columns to the right, as the binding places
them)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence

#: The binding's columns of each file this generator writes, in the binding's order.
HEADERS: dict[str, tuple[str, ...]] = {
    "manifest.csv": ("propertyName", "value"),
    "academicSessions.csv": ("sourcedId", "status", "dateLastModified", "title", "type",
                             "startDate", "endDate", "parentSourcedId", "schoolYear"),
    "orgs.csv": ("sourcedId", "status", "dateLastModified", "name", "type", "identifier",
                 "parentSourcedId"),
    "courses.csv": ("sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title",
                    "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"),
    "classes.csv": ("sourcedId", "status", "dateLastModified", "title", "grades",
                    "courseSourcedId", "classCode", "classType", "location",
                    "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes",
                    "periods"),
    "users.csv": ("sourcedId", "status", "dateLastModified", "enabledUser", "username",
                  "userIds", "givenName", "familyName", "middleName", "identifier", "email",
                  "sms", "phone", "agentSourcedIds", "grades", "password",
                  "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName",
                  "preferredMiddleName", "preferredFamilyName", "primaryOrgSourcedId",
                  "pronouns"),
    "roles.csv": ("sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
                  "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"),
    "enrollments.csv": ("sourcedId", "status", "dateLastModified", "classSourcedId",
                        "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
                        "endDate"),
    "demographics.csv": ("sourcedId", "status", "dateLastModified", "birthDate", "sex",
                         "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
                         "nativeHawaiianOrOtherPacificIslander", "white",
                         "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity",
                         "countryOfBirthCode", "stateOfBirthAbbreviation", "cityOfBirth",
                         "publicSchoolResidenceStatus"),
    "lineItems.csv": ("sourcedId", "status", "dateLastModified", "title", "description",
                      "assignDate", "dueDate", "classSourcedId", "categorySourcedId",
                      "gradingPeriodSourcedId", "resultValueMin", "resultValueMax",
                      "scoreScaleSourcedId", "learningObjectiveSet"),
    "results.csv": ("sourcedId", "status", "dateLastModified", "lineItemSourcedId",
                    "studentSourcedId", "classSourcedId", "scoreScaleSourcedId",
                    "scoreStatus", "score", "textScore", "scoreDate", "comment",
                    "learningObjectiveSet", "inProgress", "incomplete", "late", "missing"),
}
#: The extension columns each file carries (to the right of the binding's).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "orgs.csv": ("metadata.nameEn", "metadata.degreeName", "metadata.degreeNameEn"),
    "courses.csv": ("metadata.credits",),
    "users.csv": ("metadata.nameKana", "metadata.admissionDate", "metadata.completionDate",
                  "metadata.standing"),
    "lineItems.csv": ("metadata.scale",),
}
MODIFIED = "2026-03-31T00:00:00.000Z"
COURSES = (("ME101", "機械工学概論", "2"), ("ME102", "材料力学", "2"), ("EN201", "English", "1"),
           ("PE100", "体育", "1"))
MARKS = ("秀", "優", "良", "可")


def _text(name: str, rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = HEADERS[name] + EXTENSIONS.get(name, ())
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def line(name: str, **cells: str) -> str:
    """One more row of the file ``name`` (active, modified at :data:`MODIFIED`)."""
    return _text(name, [{"status": "active", "dateLastModified": MODIFIED, **cells}]
                 ).split("\r\n", 1)[1]


def roster(students: int = 2, *, courses: Sequence[tuple[str, str, str]] = COURSES,
           grades: bool = True, roles: bool = False) -> dict[str, str]:
    """A roster of ``students`` students of one department, each in every course's class
    of the first term with a final grade (``grades``), each a primary ``student`` role in
    the department in ``roles.csv`` (``roles``; else no such file): each file's name and
    text."""
    written = {name for name in HEADERS if name != "manifest.csv"
               and (grades or name not in ("lineItems.csv", "results.csv"))
               and (roles or name != "roles.csv")}
    files: dict[str, list[dict[str, str]]] = {name: [] for name in HEADERS}
    common = {"status": "active", "dateLastModified": MODIFIED}
    files["manifest.csv"] = [
        {"propertyName": name, "value": value} for name, value in (
            ("manifest.version", "1.0"), ("oneroster.version", "1.2"),
            *((f"file.{name.removesuffix('.csv')}", "bulk" if name in written else "absent")
              for name in HEADERS if name != "manifest.csv"),
            ("source.systemName", "credstack tests"), ("source.systemCode", "tests"))]
    files["academicSessions.csv"] = [
        {**common, "sourcedId": "y2022", "title": "2022年度", "type": "schoolYear",
         "startDate": "2022-04-01", "endDate": "2023-03-31", "schoolYear": "2023"},
        {**common, "sourcedId": "t2022a", "title": "2022-前期", "type": "term",
         "startDate": "2022-04-01", "endDate": "2022-09-30", "parentSourcedId": "y2022",
         "schoolYear": "2023"}]
    files["orgs.csv"] = [
        {**common, "sourcedId": "eng", "name": "工学部", "type": "school", "identifier": "E",
         "metadata.nameEn": "Faculty of Engineering"},
        {**common, "sourcedId": "me", "name": "機械工学科", "type": "department",
         "identifier": "EM", "parentSourcedId": "eng",
         "metadata.nameEn": "Department of Mechanical Engineering",
         "metadata.degreeName": "学士（工学）", "metadata.degreeNameEn": "Bachelor of Engineering"}]
    for code, title, credits in courses:
        files["courses.csv"].append({**common, "sourcedId": f"c-{code}", "title": title,
                                     "courseCode": code, "schoolYearSourcedId": "y2022",
                                     "orgSourcedId": "me", "metadata.credits": credits})
        files["classes.csv"].append({**common, "sourcedId": f"k-{code}", "title": title,
                                     "courseSourcedId": f"c-{code}", "classCode": code,
                                     "classType": "scheduled", "schoolSourcedId": "eng",
                                     "termSourcedIds": "t2022a"})
        files["lineItems.csv"].append({**common, "sourcedId": f"l-{code}", "title": "最終成績",
                                       "assignDate": "2022-04-01", "dueDate": "2022-09-30",
                                       "classSourcedId": f"k-{code}",
                                       "categorySourcedId": "final", "metadata.scale": "jp"})
    for index in range(students):
        key = f"u{index:06d}"
        files["users.csv"].append({
            **common, "sourcedId": key, "enabledUser": "true", "username": f"s{index}",
            "givenName": "花子", "familyName": "山田", "identifier": f"22A{index:05d}",
            "preferredGivenName": "Hanako", "preferredFamilyName": "YAMADA",
            "primaryOrgSourcedId": "me", "metadata.nameKana": "ヤマダ ハナコ",
            "metadata.admissionDate": "2022-04-01", "metadata.completionDate": "2026-03-31",
            "metadata.standing": "expected"})
        files["demographics.csv"].append({**common, "sourcedId": key,
                                          "birthDate": "2003-04-02"})
        files["roles.csv"].append({**common, "sourcedId": f"role-{key}", "userSourcedId": key,
                                   "roleType": "primary", "role": "student",
                                   "beginDate": "2022-04-01", "orgSourcedId": "me"})
        for number, (code, _, _) in enumerate(courses):
            files["enrollments.csv"].append({
                **common, "sourcedId": f"e-{key}-{code}", "classSourcedId": f"k-{code}",
                "schoolSourcedId": "eng", "userSourcedId": key, "role": "student",
                "primary": "false", "beginDate": "2022-04-01"})
            files["results.csv"].append({
                **common, "sourcedId": f"r-{key}-{code}", "lineItemSourcedId": f"l-{code}",
                "studentSourcedId": key, "classSourcedId": f"k-{code}",
                "scoreStatus": "fully graded", "textScore": MARKS[(index + number) % 4],
                "scoreDate": "2022-09-30"})
    return {name: _text(name, rows) for name, rows in files.items()
            if name == "manifest.csv" or name in written}


def zipped(files: dict[str, str]) -> bytes:
    """The roster as the zip the binding exchanges."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()
