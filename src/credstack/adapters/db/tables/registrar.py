"""The registrar's academic records (migration ``0054_registrar``, issue 56).

* ``registrar_students`` — a student of an organisation (its 学籍番号 unique there): name,
  reading and Latin form, birth date, the programme of study (its names in Japanese and,
  where given, English), standing, the GPA and credits the record gives, the record's
  digest and version;
* ``registrar_results`` — the student's course results by term, in the export's order;
* ``registrar_record_versions`` — each record as it stood before a re-import changed it.

Credits and the GPA are kept as decimal text (``2``, ``1.5``, ``3.25``): exact on both
databases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credstack.adapters.db.tables import STAMP, Base, JsonDocument


class RegistrarStudentRow(Base):
    __tablename__ = "registrar_students"
    __table_args__ = (UniqueConstraint("organisation_id", "student_number",
                                       name="uq_registrar_students_organisation_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    student_number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    name_kana: Mapped[str] = mapped_column(String(200))
    name_latin: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    faculty: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200))
    degree_name: Mapped[str] = mapped_column(String(200))
    #: The programme's names in English (migration ``0059_registrar_english_names``), empty
    #: where the student-information system gives none.
    faculty_en: Mapped[str] = mapped_column(String(200), server_default="")
    department_en: Mapped[str] = mapped_column(String(200), server_default="")
    degree_name_en: Mapped[str] = mapped_column(String(200), server_default="")
    admission_date: Mapped[dt.date] = mapped_column(Date)
    completion_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    #: enrolled, leave, expected, graduated, withdrawn (:class:`~credstack.core.registrar.
    #: records.Standing`).
    standing: Mapped[str] = mapped_column(String(16))
    gpa: Mapped[str | None] = mapped_column(String(12), nullable=True)
    credits_earned: Mapped[str] = mapped_column(String(12))
    #: The SHA-256 of the record as imported: the same digest again changes nothing.
    fingerprint: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(STAMP)
    updated_at: Mapped[dt.datetime] = mapped_column(STAMP)


class RegistrarResultRow(Base):
    __tablename__ = "registrar_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("registrar_students.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    term: Mapped[str] = mapped_column(String(200))
    course_code: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200))
    credits: Mapped[str] = mapped_column(String(12))
    scale: Mapped[str] = mapped_column(String(16))
    grade: Mapped[str] = mapped_column(String(8))


class RegistrarRecordVersionRow(Base):
    """A record as it stood before a re-import replaced it (its ``version`` then)."""

    __tablename__ = "registrar_record_versions"
    __table_args__ = (UniqueConstraint("student_id", "version",
                                       name="uq_registrar_record_versions_student_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    student_id: Mapped[int] = mapped_column(
        ForeignKey("registrar_students.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    record: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    #: When this version was replaced, and by what import (its source's name).
    replaced_at: Mapped[dt.datetime] = mapped_column(STAMP)
    replaced_by: Mapped[str] = mapped_column(String(500))
