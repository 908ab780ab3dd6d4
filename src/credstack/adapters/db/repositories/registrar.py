"""The registrar's academic records (tables of :mod:`credstack.adapters.db.tables.registrar`):
stored in bulk, replaced with their previous version kept, read back (issue 56)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import OrganisationRow
from credstack.adapters.db.tables.registrar import (
    RegistrarRecordVersionRow,
    RegistrarResultRow,
    RegistrarStudentRow,
)
from credstack.adapters.db.times import utc
from credstack.core.registrar.grades import Scale, grade_of
from credstack.core.registrar.records import CourseResult, Standing, Student

__all__ = ["Known", "ListedStudent", "RecordFigures", "RecordVersion", "StoredStudent",
           "add_students", "known_students", "listed_students", "offices", "record_figures",
           "record_versions", "replace_students", "stored_student", "stored_students",
           "student_count"]

#: Rows per statement: well under SQLite's 32,766 bound parameters.
_CHUNK = 2000
#: Rows per driver ``executemany`` (no bound on parameters there).
_DRIVER_CHUNK = 20_000
_STUDENTS = cast(Table, RegistrarStudentRow.__table__)
_RESULTS = cast(Table, RegistrarResultRow.__table__)
_VERSIONS = cast(Table, RegistrarRecordVersionRow.__table__)


@dataclass(frozen=True, slots=True)
class Known:
    """A stored student as an import compares with it."""

    id: int
    fingerprint: str
    version: int


@dataclass(frozen=True, slots=True)
class StoredStudent:
    id: int
    student: Student
    gpa: str | None
    credits_earned: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RecordVersion:
    version: int
    record: dict[str, Any]
    replaced_at: dt.datetime
    replaced_by: str


def known_students(session: Session, organisation_id: int) -> dict[str, Known]:
    """The organisation's students by 学籍番号."""
    rows = session.execute(select(RegistrarStudentRow.student_number, RegistrarStudentRow.id,
                                  RegistrarStudentRow.fingerprint, RegistrarStudentRow.version)
                           .where(RegistrarStudentRow.organisation_id == organisation_id))
    return {number: Known(id_, fingerprint, version)
            for number, id_, fingerprint, version in rows}


def offices(session: Session, slugs: Iterable[str]) -> frozenset[str]:
    """Those of the organisations ``slugs`` that keep students' records (certificate offices)."""
    wanted = sorted(set(slugs))
    if not wanted:
        return frozenset()
    keeping = select(RegistrarStudentRow.id).where(
        RegistrarStudentRow.organisation_id == OrganisationRow.id).exists()
    return frozenset(session.scalars(select(OrganisationRow.slug).where(
        OrganisationRow.slug.in_(wanted), keeping)))


def student_count(session: Session, organisation_id: int) -> int:
    return len(session.execute(select(RegistrarStudentRow.id).where(
        RegistrarStudentRow.organisation_id == organisation_id)).all())


#: The columns written for a student and for a result, in the order of the rows below.
_STUDENT_COLUMNS: tuple[str, ...] = (
    "student_number", "name", "name_kana", "name_latin", "birth_date", "faculty",
    "department", "degree_name", "faculty_en", "department_en", "degree_name_en",
    "admission_date", "completion_date", "standing", "gpa", "credits_earned", "fingerprint")
_RESULT_COLUMNS: tuple[str, ...] = ("student_id", "position", "term", "course_code",
                                    "course_title", "credits", "scale", "grade")


def _values(student: Student) -> tuple[Any, ...]:
    """The student's row in the order of :data:`_STUDENT_COLUMNS`."""
    gpa = student.gpa()
    return (student.number, student.name, student.name_kana, student.name_latin,
            student.birth_date, student.faculty, student.department, student.degree_name,
            student.faculty_en, student.department_en, student.degree_name_en,
            student.admission_date, student.completion_date, student.standing.value,
            None if gpa is None else str(gpa), str(student.credits_earned),
            student.fingerprint())


def _result_rows(student_id: int, student: Student) -> Iterable[tuple[Any, ...]]:
    for position, result in enumerate(student.results):
        yield (student_id, position, result.term, result.course_code, result.course_title,
               str(result.credits), result.grade.scale.value, result.grade.mark)


def _chunks(rows: Iterable[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(session: Session, table: Table, columns: Sequence[str],
            rows: Iterable[tuple[Any, ...]]) -> None:
    """``rows`` (tuples in the order of ``columns``) inserted through the driver's own
    ``executemany``: an export's 800,000 results would otherwise cost SQLAlchemy's building
    of each row's parameters more than the database's writing of it (the profile of
    ``bench/registrar.py``); on PostgreSQL, ``COPY``. Each value passes its column type's
    bind processor (SQLite's dates and times as SQLAlchemy writes them)."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name == "postgresql":
        _copy(connection.connection.driver_connection, table, columns, rows)
        return
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
    # The table's and columns' names are this module's own (no input reaches them).
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    processors = [(index, processor) for index, name in enumerate(columns)
                  if (processor := table.c[name].type.dialect_impl(dialect)
                      .bind_processor(dialect)) is not None]
    for chunk in _chunks(rows, _DRIVER_CHUNK):
        if processors:
            chunk = [_processed(row, processors) for row in chunk]
        connection.exec_driver_sql(statement, chunk)


def _copy(driver: Any, table: Table, columns: Sequence[str],
          rows: Iterable[tuple[Any, ...]]) -> None:
    """``rows`` written with PostgreSQL's ``COPY … FROM STDIN`` (psycopg's ``copy``): one
    stream instead of a statement's round trip per row, which left the server idle between
    rows (157.7 s for the bench's 800,000 results with ``executemany``)."""
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _processed(row: tuple[Any, ...], processors: Sequence[tuple[int, Any]]) -> tuple[Any, ...]:
    values = list(row)
    for index, processor in processors:
        values[index] = processor(values[index])
    return tuple(values)


def add_students(session: Session, *, organisation_id: int, students: Sequence[Student],
                 at: dt.datetime) -> None:
    """Store new ``students`` (none of their numbers stored yet) and their results."""
    _insert(session, _STUDENTS, (*_STUDENT_COLUMNS, "organisation_id", "version",
                                 "created_at", "updated_at"),
            ((*_values(student), organisation_id, 1, at, at) for student in students))
    ids = {number: known.id for number, known in known_students(session,
                                                                organisation_id).items()}
    _insert(session, _RESULTS, _RESULT_COLUMNS,
            (row for student in students for row in _result_rows(ids[student.number], student)))


def replace_students(session: Session, *, changed: Sequence[tuple[Known, Student]],
                     at: dt.datetime, source: str) -> None:
    """Replace each stored record of ``changed`` by its new one, the next version, keeping
    the one it replaces in ``registrar_record_versions``."""
    ids = [known.id for known, _ in changed]
    old = _records(session, ids)
    for chunk in _chunks({"student_id": known.id, "version": known.version,
                          "record": old[known.id].to_dict(), "replaced_at": at,
                          "replaced_by": source[:500]} for known, _ in changed):
        session.execute(insert(_VERSIONS), chunk)
    for known, student in changed:
        session.execute(update(_STUDENTS).where(_STUDENTS.c.id == known.id).values(
            **dict(zip(_STUDENT_COLUMNS, _values(student), strict=True)),
            version=known.version + 1, updated_at=at))
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(_RESULTS).where(_RESULTS.c.student_id.in_(
            ids[start:start + _CHUNK])))
    _insert(session, _RESULTS, _RESULT_COLUMNS,
            (row for known, student in changed for row in _result_rows(known.id, student)))


def _student(row: RegistrarStudentRow, results: Sequence[CourseResult]) -> Student:
    return Student(number=row.student_number, name=row.name, name_kana=row.name_kana,
                   name_latin=row.name_latin, birth_date=row.birth_date, faculty=row.faculty,
                   department=row.department, degree_name=row.degree_name,
                   faculty_en=row.faculty_en, department_en=row.department_en,
                   degree_name_en=row.degree_name_en,
                   admission_date=row.admission_date, completion_date=row.completion_date,
                   standing=Standing(row.standing), results=tuple(results))


def _results(session: Session, ids: Sequence[int]) -> dict[int, list[CourseResult]]:
    found: dict[int, list[CourseResult]] = {id_: [] for id_ in ids}
    for start in range(0, len(ids), _CHUNK):
        for row in session.scalars(select(RegistrarResultRow).where(
                RegistrarResultRow.student_id.in_(ids[start:start + _CHUNK]))
                .order_by(RegistrarResultRow.student_id, RegistrarResultRow.position)):
            grade = grade_of(Scale(row.scale), row.grade)
            assert grade is not None, "a stored grade is one of its scale's"
            found[row.student_id].append(CourseResult(row.term, row.course_code,
                                                      row.course_title, Decimal(row.credits),
                                                      grade))
    return found


def _records(session: Session, ids: Sequence[int]) -> dict[int, Student]:
    results = _results(session, ids)
    records: dict[int, Student] = {}
    for start in range(0, len(ids), _CHUNK):
        for row in session.scalars(select(RegistrarStudentRow).where(
                RegistrarStudentRow.id.in_(ids[start:start + _CHUNK]))):
            records[row.id] = _student(row, results[row.id])
    return records


def stored_student(session: Session, *, organisation_id: int, number: str
                   ) -> StoredStudent | None:
    """The organisation's student of 学籍番号 ``number``, with the results."""
    row = session.scalar(select(RegistrarStudentRow).where(
        RegistrarStudentRow.organisation_id == organisation_id,
        RegistrarStudentRow.student_number == number))
    if row is None:
        return None
    student = _student(row, _results(session, [row.id])[row.id])
    return StoredStudent(row.id, student, row.gpa, row.credits_earned, row.version,
                         utc(row.created_at), utc(row.updated_at))


def stored_students(session: Session, *, organisation_id: int, numbers: Sequence[str]
                    ) -> list[StoredStudent]:
    """The organisation's students of these 学籍番号 with their results, in the order given
    (one not found is left out): a class's chunk read in two statements, not two a
    student."""
    rows = {row.student_number: row for row in session.scalars(
        select(RegistrarStudentRow).where(
            RegistrarStudentRow.organisation_id == organisation_id,
            RegistrarStudentRow.student_number.in_(list(numbers))))}
    results = _results(session, [row.id for row in rows.values()])
    return [StoredStudent(row.id, _student(row, results[row.id]), row.gpa, row.credits_earned,
                          row.version, utc(row.created_at), utc(row.updated_at))
            for number in numbers if (row := rows.get(number)) is not None]


def record_versions(session: Session, student_id: int) -> list[RecordVersion]:
    """The versions a student's record had before, newest first."""
    rows = session.scalars(select(RegistrarRecordVersionRow).where(
        RegistrarRecordVersionRow.student_id == student_id)
        .order_by(RegistrarRecordVersionRow.version.desc()))
    return [RecordVersion(row.version, row.record, utc(row.replaced_at), row.replaced_by)
            for row in rows]


@dataclass(frozen=True, slots=True)
class ListedStudent:
    """A line of the registrar's list of records."""

    number: str
    name: str
    name_latin: str
    faculty: str
    department: str
    standing: str
    gpa: str | None
    credits_earned: str
    version: int
    updated_at: dt.datetime
    #: The faculty and department in English; empty where the export gives none.
    faculty_en: str = ""
    department_en: str = ""

    def programme(self, language: str) -> tuple[str, str]:
        """The faculty and department as a page in ``language`` names them: as imported in
        Japanese, else in English where given (as :meth:`Student.programme`)."""
        if language == "ja":
            return self.faculty, self.department
        return self.faculty_en or self.faculty, self.department_en or self.department


def listed_students(session: Session, *, organisation_id: int, text: str = "",
                    standing: str | None = None, offset: int = 0, limit: int = 50
                    ) -> tuple[list[ListedStudent], int]:
    """A page of the organisation's students by 学籍番号 (those whose number or name holds
    ``text``, of ``standing`` when given) and how many there are in all."""
    where = [RegistrarStudentRow.organisation_id == organisation_id]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(RegistrarStudentRow.student_number.like(pattern, escape="\\")
                     | RegistrarStudentRow.name.like(pattern, escape="\\")
                     | RegistrarStudentRow.name_kana.like(pattern, escape="\\")
                     | RegistrarStudentRow.name_latin.ilike(pattern, escape="\\"))
    if standing:
        where.append(RegistrarStudentRow.standing == standing)
    total = session.scalar(select(func.count()).select_from(_STUDENTS).where(*where)) or 0
    rows = session.execute(select(
        RegistrarStudentRow.student_number, RegistrarStudentRow.name,
        RegistrarStudentRow.name_latin, RegistrarStudentRow.faculty,
        RegistrarStudentRow.department, RegistrarStudentRow.standing, RegistrarStudentRow.gpa,
        RegistrarStudentRow.credits_earned, RegistrarStudentRow.version,
        RegistrarStudentRow.updated_at, RegistrarStudentRow.faculty_en,
        RegistrarStudentRow.department_en).where(*where)
        .order_by(RegistrarStudentRow.student_number).offset(offset).limit(limit))
    return [ListedStudent(*row[:9], utc(row[9]), row[10] or "", row[11] or "")
            for row in rows], total


@dataclass(frozen=True, slots=True)
class RecordFigures:
    """The organisation's records in figures."""

    students: int
    #: How many students of each standing (only the standings some student has).
    by_standing: dict[str, int]
    #: The GPAs of the students who have one (decimal text).
    gpas: list[str]
    #: Records a re-import replaced (versions kept in the history).
    replaced: int


def record_figures(session: Session, organisation_id: int) -> RecordFigures:
    by_standing = {standing: count for standing, count in session.execute(
        select(RegistrarStudentRow.standing, func.count())
        .where(RegistrarStudentRow.organisation_id == organisation_id)
        .group_by(RegistrarStudentRow.standing))}
    gpas = list(session.scalars(select(RegistrarStudentRow.gpa).where(
        RegistrarStudentRow.organisation_id == organisation_id,
        RegistrarStudentRow.gpa.is_not(None))))
    replaced = session.scalar(select(func.count()).select_from(_VERSIONS).join(
        _STUDENTS, _VERSIONS.c.student_id == _STUDENTS.c.id).where(
        _STUDENTS.c.organisation_id == organisation_id)) or 0
    return RecordFigures(sum(by_standing.values()), by_standing, [g for g in gpas if g],
                         replaced)
