"""Recognitions granted and their endorsement credentials (repositories/recognitions.py).

Revision ID: 0007_recognitions
Revises: 0006_accounts
Create Date: 2026-11-22
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

revision = "0007_recognitions"
down_revision = "0006_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "recognitions",
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("application", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("conditions", JSON_DOCUMENT),
        sa.Column("reasons", JSON_DOCUMENT, nullable=False),
        sa.Column("valid_from", STAMP, nullable=False),
        sa.Column("valid_until", STAMP),
        sa.Column("credential_id", sa.String(2048), nullable=False),
        sa.Column("withdrawn_at", STAMP),
        sa.Column("withdrawal_reason", sa.String(10_000)),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("recognitions", "programme_id", "programmes"),
        foreign_key("recognitions", "organisation_id", "organisations"),
        sa.UniqueConstraint("number", name="uq_recognitions_number"),
        sa.UniqueConstraint("credential_id", name="uq_recognitions_credential_id"),
        sa.CheckConstraint("outcome IN ('recognised', 'recognised-with-conditions')",
                           name="ck_recognitions_outcome"),
        sa.CheckConstraint("version >= 1", name="ck_recognitions_version_positive"),
    )
    op.create_index("ix_recognitions_programme", "recognitions", ["programme_id", "version"])
    op.create_index("ix_recognitions_organisation_id", "recognitions", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("recognitions")
