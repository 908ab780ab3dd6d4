"""Requests for the registrar's documents and their delivery (issue 56):
``registrar_request_rules``, ``registrar_record_holders``, ``registrar_requests`` and
``registrar_delivery_events``.

Revision ID: 0057_registrar_requests
Revises: 0056_registrar_documents
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0057_registrar_requests"
down_revision = "0056_registrar_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "registrar_request_rules",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("auto_approve", sa.Boolean, nullable=False),
        sa.Column("delivery_days", sa.Integer, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        foreign_key("registrar_request_rules", "organisation_id", "organisations"),
        sa.UniqueConstraint("organisation_id",
                            name="uq_registrar_request_rules_organisation_id"),
    )
    create_table(
        "registrar_record_holders",
        sa.Column("student_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("linked_at", STAMP, nullable=False),
        foreign_key("registrar_record_holders", "student_id", "registrar_students",
                    ondelete="CASCADE"),
        foreign_key("registrar_record_holders", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("student_id", "user_id",
                            name="uq_registrar_record_holders_student_user"),
    )
    op.create_index("ix_registrar_record_holders_student_id", "registrar_record_holders",
                    ["student_id"])
    op.create_index("ix_registrar_record_holders_user_id", "registrar_record_holders",
                    ["user_id"])
    create_table(
        "registrar_requests",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("student_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("kinds", sa.String(200), nullable=False),
        sa.Column("copies", sa.Integer, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("addressee", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500)),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("decided_at", STAMP),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("token_hash", sa.String(64)),
        sa.Column("expires_at", STAMP),
        foreign_key("registrar_requests", "student_id", "registrar_students",
                    ondelete="CASCADE"),
        foreign_key("registrar_requests", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("public_id", name="uq_registrar_requests_public_id"),
        sa.UniqueConstraint("token_hash", name="uq_registrar_requests_token_hash"),
    )
    op.create_index("ix_registrar_requests_student_id", "registrar_requests", ["student_id"])
    op.create_index("ix_registrar_requests_user_id", "registrar_requests", ["user_id"])
    create_table(
        "registrar_delivery_events",
        sa.Column("request_id", sa.Integer, nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("document", sa.String(220), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        foreign_key("registrar_delivery_events", "request_id", "registrar_requests",
                    ondelete="CASCADE"),
    )
    op.create_index("ix_registrar_delivery_events_request_id", "registrar_delivery_events",
                    ["request_id"])


def downgrade() -> None:
    op.drop_table("registrar_delivery_events")
    op.drop_table("registrar_requests")
    op.drop_table("registrar_record_holders")
    op.drop_table("registrar_request_rules")
