"""Issued credentials and the status lists that publish their revocation and suspension.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    JSON_DOCUMENT,
    STAMP,
    create_table,
    foreign_key,
)

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "status_lists",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("used", sa.Integer, nullable=False),
        sa.Column("allocated", sa.LargeBinary, nullable=False),
        sa.Column("revocation", sa.LargeBinary, nullable=False),
        sa.Column("suspension", sa.LargeBinary, nullable=False),
        sa.Column("published", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("changed_at", STAMP, nullable=False),
        sa.Column("published_at", STAMP),
        foreign_key("status_lists", "organisation_id", "organisations"),
        sa.UniqueConstraint("organisation_id", "number",
                            name="uq_status_lists_organisation_number"),
        sa.CheckConstraint("size > 0 AND size % 8 = 0", name="ck_status_lists_size"),
        sa.CheckConstraint("used >= 0 AND used <= size", name="ck_status_lists_used"),
    )
    create_table(
        "issued_credentials",
        sa.Column("credential_id", sa.String(2048), nullable=False),
        sa.Column("request_key", sa.String(64)),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("programme_version_id", sa.Integer),
        sa.Column("learner", sa.String(500)),
        sa.Column("batch", sa.String(200)),
        sa.Column("securing", sa.String(32), nullable=False),
        sa.Column("document", sa.String, nullable=False),
        sa.Column("status_list_id", sa.Integer, nullable=False),
        sa.Column("status_index", sa.Integer, nullable=False),
        sa.Column("purposes", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("issued_at", STAMP, nullable=False),
        sa.Column("state_changed_at", STAMP),
        foreign_key("issued_credentials", "organisation_id", "organisations"),
        foreign_key("issued_credentials", "programme_version_id", "programme_versions"),
        foreign_key("issued_credentials", "status_list_id", "status_lists"),
        sa.UniqueConstraint("credential_id", name="uq_issued_credentials_credential_id"),
        sa.UniqueConstraint("request_key", name="uq_issued_credentials_request_key"),
        sa.UniqueConstraint("status_list_id", "status_index",
                            name="uq_issued_credentials_status"),
        sa.CheckConstraint("state IN ('active', 'suspended', 'revoked')",
                           name="ck_issued_credentials_state"),
    )
    op.create_index("ix_issued_credentials_batch", "issued_credentials",
                    ["organisation_id", "batch"])
    op.create_index("ix_issued_credentials_programme_version_id", "issued_credentials",
                    ["programme_version_id"])


def downgrade() -> None:
    op.drop_table("issued_credentials")
    op.drop_table("status_lists")
