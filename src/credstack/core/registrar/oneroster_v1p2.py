"""1EdTech OneRoster 1.2 CSV rosters read as the registrar's records (issue 56).

*1EdTech OneRoster: CSV Binding*, version 1.2.1, 1EdTech Final Release, 22 August 2023,
https://www.imsglobal.org/spec/oneroster/v1p2/bind/csv/.

A roster is a set of CSV files (a zip or a folder): ``manifest.csv``, ``orgs.csv``,
``users.csv``, ``academicSessions.csv``, ``courses.csv``, ``classes.csv``,
``enrollments.csv`` and, where grades are given, ``lineItems.csv`` and ``results.csv``; the
student's date of birth is ``demographics.csv``'s. ``roles.csv`` (1.2's several roles a
user, each in an org) is read where the roster has it. A file's columns are found by name
(the binding's order is not required, and columns this reader does not use are ignored, as
are the ``metadata.*`` extension columns it does not know). How the roster maps to a record
(``docs/registrar.md`` says the same for people):

* a **student** is a user enrolled in some class with the role ``student``; with
  ``roles.csv``, also a user holding the role ``student`` there (in a class yet or not),
  and an enrolment as a student of a user whose roles lack ``student`` is a fault (a
  teacher who also studies holds both roles; only the enrolments as a student count);
* the student number is ``identifier`` (``sourcedId`` when empty), the name
  ``familyName givenName``, the Latin name ``preferredFamilyName preferredGivenName`` (the
  name when they are empty), the reading ``metadata.nameKana``; the date of birth
  ``demographics.csv``'s ``birthDate``; admission, completion and standing
  ``metadata.admissionDate`` (else the earliest ``beginDate`` of their enrolments),
  ``metadata.completionDate``, ``metadata.standing`` (else ``enrolled``);
* the **programme** is the user's ``primaryOrgSourcedId`` (where empty, the org of their
  ``student`` role in ``roles.csv``, the ``primary`` one first): an org of type
  ``department``, its parent the faculty (a ``school``); the degree is the department's
  ``metadata.degreeName``; the English names the orgs' ``metadata.nameEn`` and
  ``metadata.degreeNameEn``;
* a **course result** is a ``results.csv`` row of a student on a line item of a class: the
  course's ``courseCode`` and ``title``, the term the title of the class's first
  ``termSourcedIds`` session, the credits the course's ``metadata.credits``, the grade the
  result's ``textScore`` (else ``score``) on the line item's ``metadata.scale`` (else the
  first scale that has such a grade: ``jp``, ``letter``, ``pass_fail``).

Rows whose ``status`` is ``tobedeleted`` are left out. Every fault is a
:class:`~credstack.errors.Problem` placed as ``{file} row {n}, column {column}`` (the
header is row 1) in the roster's own names; the records' own checks
(:func:`~credstack.core.registrar.records.read_rows`) are placed the same way.
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from credstack.core.registrar.grades import Scale, grade_of
from credstack.core.registrar.records import Student, read_rows
from credstack.errors import InputTooLargeError, Problem, UnreadableInputError

__all__ = ["FILES", "GRADE_FILES", "ROLE_COLUMNS", "ROLE_FILE", "Roster", "read_roster",
           "roster_rows", "unzip"]

#: The files a roster must have, and the columns this reader needs of each.
FILES: Final[Mapping[str, tuple[str, ...]]] = {
    "manifest.csv": ("propertyName", "value"),
    "orgs.csv": ("sourcedId", "status", "name", "type", "parentSourcedId"),
    "users.csv": ("sourcedId", "status", "givenName", "familyName", "identifier",
                  "preferredGivenName", "preferredFamilyName", "primaryOrgSourcedId"),
    "academicSessions.csv": ("sourcedId", "status", "title", "startDate"),
    "courses.csv": ("sourcedId", "status", "title", "courseCode"),
    "classes.csv": ("sourcedId", "status", "courseSourcedId", "termSourcedIds"),
    "enrollments.csv": ("sourcedId", "status", "classSourcedId", "userSourcedId", "role",
                        "beginDate"),
    "demographics.csv": ("sourcedId", "status", "birthDate"),
}
#: The file of users' roles (OneRoster 1.2: several a user), read where the roster has it.
ROLE_FILE: Final = "roles.csv"
ROLE_COLUMNS: Final[tuple[str, ...]] = ("sourcedId", "status", "userSourcedId", "roleType",
                                        "role", "orgSourcedId")
#: The files of grades: both or neither.
GRADE_FILES: Final[Mapping[str, tuple[str, ...]]] = {
    "lineItems.csv": ("sourcedId", "status", "classSourcedId"),
    "results.csv": ("sourcedId", "status", "lineItemSourcedId", "studentSourcedId",
                    "score", "textScore"),
}
_GUESSED_SCALES: Final = (Scale.JP, Scale.LETTER, Scale.PASS_FAIL)
#: The users.csv column each of the records' student columns is read from.
_USER_COLUMNS: Final[Mapping[str, str]] = {
    "student_number": "identifier", "name": "familyName", "name_kana": "metadata.nameKana",
    "name_latin": "preferredFamilyName", "admission_date": "metadata.admissionDate",
    "completion_date": "metadata.completionDate", "standing": "metadata.standing"}

Row = dict[str, str]


def unzip(data: bytes, *, limit: int) -> dict[str, bytes]:
    """The roster's files of the zip ``data`` (by name, wherever the zip puts them; other
    files ignored), refusing one whose files together are over ``limit`` bytes."""
    known = {*FILES, *GRADE_FILES, ROLE_FILE}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist()
                       if posixpath.basename(info.filename) in known and not info.is_dir()]
            if sum(info.file_size for info in members) > limit:
                raise InputTooLargeError(code="registrar.import.fault.too_large",
                                         params={"limit": limit // 2**20})
            found: dict[str, bytes] = {}
            for info in members:
                with archive.open(info) as member:
                    # The sizes the zip declares are checked above; a member that holds
                    # more than it declares is cut there, not read to its end.
                    found[posixpath.basename(info.filename)] = member.read(limit + 1)[:limit]
            return found
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise UnreadableInputError(code="registrar.oneroster.fault.zip",
                                   params={"why": str(exc)}) from None


@dataclass(slots=True)
class _Table:
    """A file's live rows by ``sourcedId``, each with its row number."""

    name: str
    rows: dict[str, tuple[int, Row]] = field(default_factory=dict)
    order: list[tuple[int, Row]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Roster:
    """A roster read: its students and every problem (none: it may be stored)."""

    students: list[Student]
    problems: list[Problem]
    #: Rows read, of every file.
    rows: int


Fault = Callable[..., None]


def _table(name: str, text: str, needed: Sequence[str], fault: Fault) -> _Table | None:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    missing = [column for column in needed if column not in header]
    if missing:
        fault(name, 1, missing[0], "header", missing=missing)
        return None
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        fault(name, 1, duplicated[0], "duplicate_header")
        return None
    table = _Table(name)
    width = len(header)
    for cells in reader:
        number = reader.line_num
        if len(cells) != width:
            if any(cell.strip() for cell in cells):
                fault(name, number, "*", "width", found=len(cells), wanted=width)
            continue
        row = dict(zip(header, (cell.strip() for cell in cells), strict=True))
        status = row.get("status", "")
        if status not in ("", "active", "tobedeleted"):
            fault(name, number, "status", "status", value=status)
            continue
        if status == "tobedeleted":
            continue
        key = row.get("sourcedId", "")
        if "sourcedId" in header:
            if not key:
                fault(name, number, "sourcedId", "required")
                continue
            if key in table.rows:
                fault(name, number, "sourcedId", "duplicate", first=table.rows[key][0])
                continue
            table.rows[key] = (number, row)
        table.order.append((number, row))
    return table


def read_roster(files: Mapping[str, str], *, limit: int | None = None) -> Roster:
    """The students of the roster ``files`` (each file's name and its text) and every
    problem (at most ``limit`` named)."""
    problems: list[Problem] = []

    def fault(file: str, row: int, column: str, code: str, **params: object) -> None:
        if limit is None or len(problems) < limit:
            problems.append(Problem(f"{file} row {row}, column {column}",
                                    code=f"registrar.oneroster.fault.{code}",
                                    params={"file": file, "row": row, "column": column,
                                            **params}))

    needed = dict(FILES)
    graded = [name for name in GRADE_FILES if name in files]
    if graded:
        needed.update(GRADE_FILES)
    if ROLE_FILE in files:
        needed[ROLE_FILE] = ROLE_COLUMNS
    tables: dict[str, _Table] = {}
    for name, columns in needed.items():
        if name not in files:
            fault(name, 0, "*", "missing_file")
            continue
        table = _table(name, files[name], columns, fault)
        if table is not None:
            tables[name] = table
    if len(tables) < len(needed):
        return Roster([], problems, sum(len(table.order) for table in tables.values()))
    version = {row["propertyName"]: row["value"] for _, row in tables["manifest.csv"].order}
    if version.get("oneroster.version") != "1.2":
        fault("manifest.csv", 1, "oneroster.version", "version",
              value=version.get("oneroster.version", ""))
    rows = roster_rows(tables, fault)
    students, found = read_rows(rows, limit=limit)
    # A student's cell read wrong is named once, not on each of their results' rows.
    placed = {(problem.location, problem.code): problem
              for problem in map(_placed, found)}
    problems += placed.values()
    if limit is not None:
        problems = problems[:limit]
    return Roster(students, problems, sum(len(table.order) for table in tables.values()))


def _placed(problem: Problem) -> Problem:
    """A problem of the records' checks placed in the roster's file, row and column."""
    place = problem.params.get("row")
    if not isinstance(place, _Place):
        return problem
    column = str(problem.params.get("column", ""))
    file, row, named = place.sources.get(column, (place.file, place.row, column))
    return Problem(f"{file} row {row}, column {named}", code=problem.code,
                   params={**problem.params, "row": row, "file": file, "column": named})


#: Where a cell was read: file, row, column.
Source = tuple[str, int, str]


class _Place(NamedTuple):
    """Where a row of the records came from: its file and row, and for each of the
    records' columns the file, row and column it was read from."""

    file: str
    row: int
    sources: Mapping[str, Source]

    def __str__(self) -> str:
        return f"{self.file} row {self.row}"


def roster_rows(tables: Mapping[str, _Table], fault: Fault
                ) -> Iterator[tuple[object, list[str]]]:
    """The roster as the records' rows (:func:`~credstack.core.registrar.records.
    read_rows`' order of columns): each student's row, then one per result."""
    orgs, users = tables["orgs.csv"].rows, tables["users.csv"].rows
    sessions, courses = tables["academicSessions.csv"].rows, tables["courses.csv"].rows
    classes, people = tables["classes.csv"].rows, tables["demographics.csv"].rows
    studying = _students_by_role(tables[ROLE_FILE], users, orgs, fault) if (
        ROLE_FILE in tables) else None
    enrolled: dict[str, list[str]] = {}
    for number, row in tables["enrollments.csv"].order:
        if row["role"] != "student":
            continue
        if studying is not None and row["userSourcedId"] in users and (
                row["userSourcedId"] not in studying):
            fault("enrollments.csv", number, "userSourcedId", "not_student",
                  value=row["userSourcedId"], file_named=ROLE_FILE)
        elif row["userSourcedId"] not in users:
            fault("enrollments.csv", number, "userSourcedId", "unknown",
                  value=row["userSourcedId"], file_named="users.csv")
        elif row["classSourcedId"] not in classes:
            fault("enrollments.csv", number, "classSourcedId", "unknown",
                  value=row["classSourcedId"], file_named="classes.csv")
        else:
            enrolled.setdefault(row["userSourcedId"], []).append(row["beginDate"])
    results: dict[str, list[tuple[int, Row]]] = {}
    if "results.csv" in tables:
        items = tables["lineItems.csv"].rows
        for number, row in tables["results.csv"].order:
            if row["studentSourcedId"] not in enrolled:
                fault("results.csv", number, "studentSourcedId", "unknown",
                      value=row["studentSourcedId"], file_named="enrollments.csv")
            elif row["lineItemSourcedId"] not in items:
                fault("results.csv", number, "lineItemSourcedId", "unknown",
                      value=row["lineItemSourcedId"], file_named="lineItems.csv")
            else:
                results.setdefault(row["studentSourcedId"], []).append((number, row))
    for key in studying or {}:
        enrolled.setdefault(key, [])
    for key, begins in enrolled.items():
        number, user = users[key]
        home = (("users.csv", number, "primaryOrgSourcedId"), user["primaryOrgSourcedId"])
        if not user["primaryOrgSourcedId"] and studying and key in studying:
            home = studying[key]
        found = _head(key, number, user, begins, orgs, people, fault, home=home)
        if found is None:
            continue
        head, sources = found
        yield _Place("users.csv", number, sources), [*head[:11], *[""] * 6, *head[11:]]
        for line, result in results.get(key, ()):
            course = _course(line, result, tables, classes, courses, sessions, fault)
            if course is not None:
                cells, places = course
                yield (_Place("results.csv", line, {**sources, **places}),
                       [*head[:11], *cells, *head[11:]])


def _students_by_role(roles: _Table, users: Mapping[str, tuple[int, Row]],
                      orgs: Mapping[str, tuple[int, Row]], fault: Fault
                      ) -> dict[str, tuple[Source, str]]:
    """The users ``roles.csv`` gives the role ``student``, each with the org of that role
    (the ``primary`` one first) and where it was read; every other role is checked and
    left."""
    found: dict[str, tuple[Source, str]] = {}
    for number, row in roles.order:
        user, org = row["userSourcedId"], row["orgSourcedId"]
        if user not in users:
            fault(ROLE_FILE, number, "userSourcedId", "unknown", value=user,
                  file_named="users.csv")
        elif org not in orgs:
            fault(ROLE_FILE, number, "orgSourcedId", "unknown", value=org,
                  file_named="orgs.csv")
        elif row["roleType"] not in ("primary", "secondary"):
            fault(ROLE_FILE, number, "roleType", "role_type", value=row["roleType"])
        elif not row["role"]:
            fault(ROLE_FILE, number, "role", "required")
        elif row["role"] == "student" and (row["roleType"] == "primary" or user not in found):
            found[user] = ((ROLE_FILE, number, "orgSourcedId"), org)
    return found


def _head(key: str, number: int, user: Row, begins: list[str],
          orgs: Mapping[str, tuple[int, Row]], people: Mapping[str, tuple[int, Row]],
          fault: Fault, *, home: tuple[Source, str]
          ) -> tuple[list[str], dict[str, Source]] | None:
    """A student's cells (the records' student columns, then the English names) and
    where each was read; ``home`` is their department's sourcedId and where it was read."""
    (file, line, column), named = home
    org = orgs.get(named)
    if org is None:
        fault(file, line, column, "unknown", value=named, file_named="orgs.csv")
        return None
    department = org[1]
    if department["type"] != "department":
        fault(file, line, column, "not_department", value=named)
        return None
    parent = orgs.get(department["parentSourcedId"])
    if parent is None:
        fault("orgs.csv", org[0], "parentSourcedId", "unknown",
              value=department["parentSourcedId"], file_named="orgs.csv")
        return None
    person = people.get(key)
    if person is None:
        fault("users.csv", number, "sourcedId", "no_demographics", value=key)
        return None
    faculty = parent[1]
    latin = (f"{user['preferredFamilyName']} {user['preferredGivenName']}"
             if user["preferredFamilyName"] and user["preferredGivenName"]
             else f"{user['familyName']} {user['givenName']}")
    admitted = user.get("metadata.admissionDate") or min(
        (begin for begin in begins if begin), default="")
    sources: dict[str, Source] = {
        name: ("users.csv", number, column) for name, column in _USER_COLUMNS.items()}
    sources.update(
        birth_date=("demographics.csv", person[0], "birthDate"),
        faculty=("orgs.csv", parent[0], "name"), department=("orgs.csv", org[0], "name"),
        degree_name=("orgs.csv", org[0], "metadata.degreeName"),
        faculty_en=("orgs.csv", parent[0], "metadata.nameEn"),
        department_en=("orgs.csv", org[0], "metadata.nameEn"),
        degree_name_en=("orgs.csv", org[0], "metadata.degreeNameEn"))
    return [user["identifier"] or key, f"{user['familyName']} {user['givenName']}".strip(),
            user.get("metadata.nameKana", ""), latin.strip(), person[1]["birthDate"],
            faculty["name"], department["name"], department.get("metadata.degreeName", ""),
            admitted, user.get("metadata.completionDate", ""),
            user.get("metadata.standing", "") or "enrolled",
            faculty.get("metadata.nameEn", ""), department.get("metadata.nameEn", ""),
            department.get("metadata.degreeNameEn", "")], sources


def _course(line: int, result: Row, tables: Mapping[str, _Table],
            classes: Mapping[str, tuple[int, Row]], courses: Mapping[str, tuple[int, Row]],
            sessions: Mapping[str, tuple[int, Row]], fault: Fault
            ) -> tuple[list[str], dict[str, Source]] | None:
    """A result's course cells (term, code, title, credits, scale, grade) and where the
    ones not read from their usual place came from."""
    item_line, item = tables["lineItems.csv"].rows[result["lineItemSourcedId"]]
    found = classes.get(item["classSourcedId"])
    if found is None:
        fault("lineItems.csv", item_line, "classSourcedId", "unknown",
              value=item["classSourcedId"], file_named="classes.csv")
        return None
    class_line, klass = found
    course = courses.get(klass["courseSourcedId"])
    if course is None:
        fault("classes.csv", class_line, "courseSourcedId", "unknown",
              value=klass["courseSourcedId"], file_named="courses.csv")
        return None
    terms = [term.strip() for term in klass["termSourcedIds"].split(",") if term.strip()]
    session = sessions.get(terms[0]) if terms else None
    if session is None:
        fault("classes.csv", class_line, "termSourcedIds", "unknown",
              value=klass["termSourcedIds"], file_named="academicSessions.csv")
        return None
    mark = result["textScore"] or result["score"]
    scale = item.get("metadata.scale", "")
    if not scale:
        scale = next((guess.value for guess in _GUESSED_SCALES if grade_of(guess, mark)), "")
    sources: dict[str, Source] = {
        "term": ("academicSessions.csv", session[0], "title"),
        "course_code": ("courses.csv", course[0], "courseCode"),
        "course_title": ("courses.csv", course[0], "title"),
        "credits": ("courses.csv", course[0], "metadata.credits"),
        "scale": ("lineItems.csv", item_line, "metadata.scale"),
        "grade": ("results.csv", line, "textScore" if result["textScore"] else "score")}
    return ([session[1]["title"], course[1]["courseCode"], course[1]["title"],
             course[1].get("metadata.credits", ""), scale, mark], sources)
