"""Passwords switched off per organisation (issue 57): ``organisation_passwords_off`` holds a
row for each organisation whose administrator switched them off (when, by whom); its
members then sign in with a passkey or single sign-on.

Revision ID: 0052_passwords_off
Revises: 0051_sso
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0052_passwords_off"
down_revision = "0051_sso"
branch_labels = None
depends_on = None

_TABLE = "organisation_passwords_off"


def upgrade() -> None:
    create_table(
        _TABLE,
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("switched_off_at", STAMP, nullable=False),
        sa.Column("switched_off_by", sa.String(320), nullable=False),
        foreign_key(_TABLE, "organisation_id", "organisations", ondelete="CASCADE"),
        sa.UniqueConstraint("organisation_id",
                            name="uq_organisation_passwords_off_organisation_id"),
    )


def downgrade() -> None:
    op.drop_table(_TABLE)
