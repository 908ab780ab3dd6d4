"""A student's academic record as the registrar reads it: the record, its GPA by the
published rule, and the versions re-imports replaced (issue 56)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import registrar as record_store
from credstack.adapters.db.repositories.registrar import StoredStudent
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor, Role
from credstack.core.registrar.grades import SCALES, STANDARD_RULE, Scale
from credstack.core.registrar.records import CourseResult, Standing, Student, write_csv
from credstack.errors import NotFoundError
from credstack.services.runtime import Runtime

__all__ = ["Figures", "RecordList", "StudentRecord", "figures", "offices", "stored_record",
           "student_list", "student_record", "template"]


@dataclass(frozen=True, slots=True)
class StudentRecord:
    organisation: str
    student: Student
    gpa: str | None
    credits_earned: str
    version: int
    updated_at: dt.datetime
    #: The versions before this one, newest first: (version, record, replaced at, by).
    history: tuple[record_store.RecordVersion, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"organisation": self.organisation, **self.student.to_dict(),
                "gpa": self.gpa, "gpa_rule": STANDARD_RULE.name,
                "credits_earned": self.credits_earned, "version": self.version,
                "updated_at": self.updated_at.isoformat(),
                "history": [{"version": item.version, "record": item.record,
                             "replaced_at": item.replaced_at.isoformat(),
                             "replaced_by": item.replaced_by} for item in self.history]}


def stored_record(session: Session, organisation_id: int, organisation: str, number: str
                  ) -> StoredStudent:
    """The stored record of the student ``number`` (学籍番号) of ``organisation``, whose row
    is ``organisation_id``; not found (with both named) when it has none."""
    stored = record_store.stored_student(session, organisation_id=organisation_id,
                                         number=number)
    if stored is None:
        raise NotFoundError(code="registrar.record.not_found",
                            params={"number": number, "organisation": organisation})
    return stored


def student_record(runtime: Runtime, *, actor: Actor, organisation: str,
                   number: str) -> StudentRecord:
    """``organisation``'s record of the student ``number`` (学籍番号)."""
    actor.require(Action.RECORDS_READ, organisation)
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        stored = stored_record(session, row.id, organisation, number)
        history = record_store.record_versions(session, stored.id)
    return StudentRecord(organisation, stored.student, stored.gpa, stored.credits_earned,
                         stored.version, stored.updated_at, tuple(history))


def offices(runtime: Runtime, *, actor: Actor) -> frozenset[str]:
    """The organisations where ``actor`` is a registrar that keep students' records: their
    certificate offices, whose queue of requests is the registrar's home."""
    principal = actor.principal
    mine = principal.organisations(Role.REGISTRAR) if principal is not None else frozenset()
    if not mine:
        return frozenset()
    with runtime.transaction() as session:
        return record_store.offices(session, mine)


#: Students a page of the list shows.
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class RecordList:
    """A page of an organisation's records, and how many match in all."""

    students: tuple[record_store.ListedStudent, ...]
    total: int
    offset: int
    limit: int


def student_list(runtime: Runtime, *, actor: Actor, organisation: str, text: str = "",
                 standing: Standing | None = None, page: int = 1,
                 limit: int = PAGE_SIZE) -> RecordList:
    """Page ``page`` of ``organisation``'s records by 学籍番号: those whose number, name,
    reading or Latin name holds ``text``, of ``standing`` when given."""
    actor.require(Action.RECORDS_READ, organisation)
    offset = (max(page, 1) - 1) * limit
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        found, total = record_store.listed_students(
            session, organisation_id=row.id, text=text.strip()[:100],
            standing=standing.value if standing else None, offset=offset, limit=limit)
    return RecordList(tuple(found), total, offset, limit)


@dataclass(frozen=True, slots=True)
class Figures:
    """An organisation's records in figures: how many students, of each standing, their
    mean and median GPA (of those who have one), and how many versions re-imports kept."""

    students: int
    by_standing: dict[Standing, int]
    with_gpa: int
    mean_gpa: Decimal | None
    median_gpa: Decimal | None
    replaced: int


def figures(runtime: Runtime, *, actor: Actor, organisation: str) -> Figures:
    actor.require(Action.RECORDS_READ, organisation)
    with runtime.transaction() as session:
        row = organisation_store.existing_row(session, organisation)
        found = record_store.record_figures(session, row.id)
    gpas = sorted(Decimal(value) for value in found.gpas)
    quantum = Decimal("0.01")
    mean = (sum(gpas, Decimal(0)) / len(gpas)).quantize(quantum) if gpas else None
    middle = len(gpas) // 2
    median = (gpas[middle] if len(gpas) % 2 else (gpas[middle - 1] + gpas[middle]) / 2
              ).quantize(quantum) if gpas else None
    return Figures(found.students,
                   {standing: found.by_standing.get(standing.value, 0) for standing in Standing},
                   len(gpas), mean, median, found.replaced)


#: The template's example: a student expected to graduate, with one result.
_EXAMPLE = Student(
    number="20A1001", name="山田 花子", name_kana="ヤマダ ハナコ", name_latin="YAMADA Hanako",
    birth_date=dt.date(2003, 4, 2), faculty="工学部", department="機械工学科",
    degree_name="学士（工学）", faculty_en="Faculty of Engineering",
    department_en="Department of Mechanical Engineering",
    degree_name_en="Bachelor of Engineering", admission_date=dt.date(2022, 4, 1),
    completion_date=dt.date(2026, 3, 31), standing=Standing.EXPECTED,
    results=(CourseResult("2022-前期", "ME101", "機械工学概論", Decimal(2),
                          SCALES[Scale.JP]["yu"]),))


def template() -> str:
    """The import template: the header and an example row (CSV, UTF-8)."""
    return write_csv([_EXAMPLE])
