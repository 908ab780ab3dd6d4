"""The registrar's documents (issue 56): ``registrar_document_status`` (the one status entry
of a record's documents, per version of the record) and ``registrar_documents`` (each form
issued: a PDF, an Open Badges 3.0 credential, a CLR).

Revision ID: 0056_registrar_documents
Revises: 0055_sso_saml_sessions
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0056_registrar_documents"
down_revision = "0055_sso_saml_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "registrar_document_status",
        sa.Column("student_id", sa.Integer, nullable=False),
        sa.Column("record_version", sa.Integer, nullable=False),
        sa.Column("status_list_id", sa.Integer, nullable=False),
        sa.Column("status_index", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("state_changed_at", STAMP),
        sa.Column("reason", sa.String(500)),
        foreign_key("registrar_document_status", "student_id", "registrar_students",
                    ondelete="CASCADE"),
        foreign_key("registrar_document_status", "status_list_id", "status_lists"),
        sa.UniqueConstraint("student_id", "record_version",
                            name="uq_registrar_document_status_student_version"),
    )
    op.create_index("ix_registrar_document_status_student_id", "registrar_document_status",
                    ["student_id"])
    create_table(
        "registrar_documents",
        sa.Column("status_id", sa.Integer, nullable=False),
        sa.Column("request_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("form", sa.String(8), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("credential_id", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("batch", sa.String(200)),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("registrar_documents", "status_id", "registrar_document_status",
                    ondelete="CASCADE"),
        sa.UniqueConstraint("request_key", name="uq_registrar_documents_request_key"),
    )
    op.create_index("ix_registrar_documents_status_id", "registrar_documents", ["status_id"])
    op.create_index("ix_registrar_documents_credential_id", "registrar_documents",
                    ["credential_id"])


def downgrade() -> None:
    op.drop_table("registrar_documents")
    op.drop_table("registrar_document_status")
