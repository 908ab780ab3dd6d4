"""The registrar's academic records (tables of :mod:`credstack.adapters.db.tables.registrar`):
stored in bulk, replaced with their previous version kept, read back (issue 56)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from credstack.adapters.db.tables.registrar import (
    RegistrarRecordVersionRow,
    RegistrarResultRow,
    RegistrarStudentRow,
)
from credstack.adapters.db.times import utc
from credstack.core.registrar.grades import Scale, grade_of
from credstack.core.registrar.records import CourseResult, Standing, Student

__all__ = ["Known", "RecordVersion", "StoredStudent", "add_students", "known_students",
           "record_versions", "replace_students", "stored_student", "student_count"]

#: Rows per statement: well under SQLite's 32,766 bound parameters.
_CHUNK = 2000
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


def student_count(session: Session, organisation_id: int) -> int:
    return len(session.execute(select(RegistrarStudentRow.id).where(
        RegistrarStudentRow.organisation_id == organisation_id)).all())


def _values(student: Student) -> dict[str, Any]:
    gpa = student.gpa()
    return {"student_number": student.number, "name": student.name,
            "name_kana": student.name_kana, "name_latin": student.name_latin,
            "birth_date": student.birth_date, "faculty": student.faculty,
            "department": student.department, "degree_name": student.degree_name,
            "admission_date": student.admission_date,
            "completion_date": student.completion_date, "standing": student.standing.value,
            "gpa": None if gpa is None else str(gpa),
            "credits_earned": str(student.credits_earned),
            "fingerprint": student.fingerprint()}


def _result_rows(student_id: int, student: Student) -> Iterable[dict[str, Any]]:
    for position, result in enumerate(student.results):
        yield {"student_id": student_id, "position": position, "term": result.term,
               "course_code": result.course_code, "course_title": result.course_title,
               "credits": str(result.credits), "scale": result.grade.scale.value,
               "grade": result.grade.mark}


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def add_students(session: Session, *, organisation_id: int, students: Sequence[Student],
                 at: dt.datetime) -> None:
    """Store new ``students`` (none of their numbers stored yet) and their results."""
    for chunk in _chunks({**_values(student), "organisation_id": organisation_id,
                          "version": 1, "created_at": at, "updated_at": at}
                         for student in students):
        session.execute(insert(_STUDENTS), chunk)
    ids = {number: known.id for number, known in known_students(session,
                                                                organisation_id).items()}
    for chunk in _chunks(row for student in students
                         for row in _result_rows(ids[student.number], student)):
        session.execute(insert(_RESULTS), chunk)


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
            **_values(student), version=known.version + 1, updated_at=at))
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(_RESULTS).where(_RESULTS.c.student_id.in_(
            ids[start:start + _CHUNK])))
    for chunk in _chunks(row for known, student in changed
                         for row in _result_rows(known.id, student)):
        session.execute(insert(_RESULTS), chunk)


def _student(row: RegistrarStudentRow, results: Sequence[CourseResult]) -> Student:
    return Student(number=row.student_number, name=row.name, name_kana=row.name_kana,
                   name_latin=row.name_latin, birth_date=row.birth_date, faculty=row.faculty,
                   department=row.department, degree_name=row.degree_name,
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


def record_versions(session: Session, student_id: int) -> list[RecordVersion]:
    """The versions a student's record had before, newest first."""
    rows = session.scalars(select(RegistrarRecordVersionRow).where(
        RegistrarRecordVersionRow.student_id == student_id)
        .order_by(RegistrarRecordVersionRow.version.desc()))
    return [RecordVersion(row.version, row.record, utc(row.replaced_at), row.replaced_by)
            for row in rows]
