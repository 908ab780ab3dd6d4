"""The operator's console: providers' applications to join (with their documents),
organisations' suspensions, reports of a problem with a programme, programmes hidden for
one, and the platform's figures as counters by month.

Revision ID: 0032_console
Revises: 0031_federation_keys
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    JSON_DOCUMENT,
    STAMP,
    create_partial_unique_index,
    create_table,
    foreign_key,
)

revision = "0032_console"
down_revision = "0031_federation_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "provider_applications",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("name", JSON_DOCUMENT, nullable=False),
        sa.Column("corporate_number", sa.String(13), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("organisation_slug", sa.String(64)),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("decided_at", STAMP),
        sa.Column("decided_by", sa.String(200)),
        sa.CheckConstraint(
            "status IN ('waiting', 'approved', 'refused')", name="ck_provider_applications_status"
        ),
        sa.UniqueConstraint("public_id", name="uq_provider_applications_public_id"),
    )
    create_partial_unique_index(
        "uq_provider_applications_open_number",
        "provider_applications",
        ["corporate_number"],
        "status IN ('waiting', 'approved')",
    )
    op.create_index(
        "ix_provider_applications_status", "provider_applications", ["status", "created_at"]
    )
    create_table(
        "provider_documents",
        sa.Column("application_id", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        foreign_key(
            "provider_documents", "application_id", "provider_applications", ondelete="CASCADE"
        ),
    )
    op.create_index(
        "ix_provider_documents_application_id", "provider_documents", ["application_id"]
    )
    create_table(
        "organisation_suspensions",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("suspended_at", STAMP, nullable=False),
        sa.Column("suspended_by", sa.String(200), nullable=False),
        foreign_key(
            "organisation_suspensions", "organisation_id", "organisations", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("organisation_id", name="uq_organisation_suspensions_organisation_id"),
    )
    create_table(
        "programme_reports",
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("address_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("decided_at", STAMP),
        sa.Column("decided_by", sa.String(200)),
        foreign_key("programme_reports", "programme_id", "programmes", ondelete="CASCADE"),
        sa.CheckConstraint(
            "status IN ('waiting', 'hidden', 'dismissed')", name="ck_programme_reports_status"
        ),
    )
    op.create_index("ix_programme_reports_programme_id", "programme_reports", ["programme_id"])
    op.create_index(
        "ix_programme_reports_address", "programme_reports", ["address_hash", "created_at"]
    )
    op.create_index("ix_programme_reports_status", "programme_reports", ["status", "created_at"])
    create_table(
        "programme_hidings",
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("hidden_at", STAMP, nullable=False),
        sa.Column("hidden_by", sa.String(200), nullable=False),
        foreign_key("programme_hidings", "programme_id", "programmes", ondelete="CASCADE"),
        sa.UniqueConstraint("programme_id", name="uq_programme_hidings_programme_id"),
    )
    create_table(
        "platform_counters",
        sa.Column("figure", sa.String(32), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("figure", "month", name="uq_platform_counters_figure"),
    )


def downgrade() -> None:
    for table in (
        "platform_counters",
        "programme_hidings",
        "programme_reports",
        "organisation_suspensions",
        "provider_documents",
        "provider_applications",
    ):
        op.drop_table(table)
