"""The registrar's academic records (issue 56): ``registrar_students`` (a student and the
programme of study, one per 学籍番号 and organisation), ``registrar_results`` (course results
by term) and ``registrar_record_versions`` (a record as it stood before a re-import).

Revision ID: 0054_registrar
Revises: 0053_issuer_key_types
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0054_registrar"
down_revision = "0053_issuer_key_types"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "registrar_students",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("student_number", sa.String(20), nullable=False),
        *(sa.Column(name, sa.String(200), nullable=False)
          for name in ("name", "name_kana", "name_latin")),
        sa.Column("birth_date", sa.Date, nullable=False),
        *(sa.Column(name, sa.String(200), nullable=False)
          for name in ("faculty", "department", "degree_name")),
        sa.Column("admission_date", sa.Date, nullable=False),
        sa.Column("completion_date", sa.Date),
        sa.Column("standing", sa.String(16), nullable=False),
        sa.Column("gpa", sa.String(12)),
        sa.Column("credits_earned", sa.String(12), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        foreign_key("registrar_students", "organisation_id", "organisations"),
        sa.UniqueConstraint("organisation_id", "student_number",
                            name="uq_registrar_students_organisation_number"),
    )
    op.create_index("ix_registrar_students_organisation_id", "registrar_students",
                    ["organisation_id"])
    create_table(
        "registrar_results",
        sa.Column("student_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        *(sa.Column(name, sa.String(200), nullable=False)
          for name in ("term", "course_code", "course_title")),
        sa.Column("credits", sa.String(12), nullable=False),
        sa.Column("scale", sa.String(16), nullable=False),
        sa.Column("grade", sa.String(8), nullable=False),
        foreign_key("registrar_results", "student_id", "registrar_students", ondelete="CASCADE"),
    )
    op.create_index("ix_registrar_results_student_id", "registrar_results", ["student_id"])
    create_table(
        "registrar_record_versions",
        sa.Column("student_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("record", JSON_DOCUMENT, nullable=False),
        sa.Column("replaced_at", STAMP, nullable=False),
        sa.Column("replaced_by", sa.String(500), nullable=False),
        foreign_key("registrar_record_versions", "student_id", "registrar_students",
                    ondelete="CASCADE"),
        sa.UniqueConstraint("student_id", "version",
                            name="uq_registrar_record_versions_student_version"),
    )
    op.create_index("ix_registrar_record_versions_student_id", "registrar_record_versions",
                    ["student_id"])


def downgrade() -> None:
    op.drop_table("registrar_record_versions")
    op.drop_table("registrar_results")
    op.drop_table("registrar_students")
