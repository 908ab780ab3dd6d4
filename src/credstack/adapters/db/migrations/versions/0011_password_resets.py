"""Password reset links: one-time, hashed, valid for a day (``tables/accounts.py``).

Revision ID: 0011_password_resets
Revises: 0010_ob2_algorithms
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    STAMP,
    create_table,
    foreign_key,
)

revision = "0011_password_resets"
down_revision = "0010_ob2_algorithms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "password_resets",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP),
        foreign_key("password_resets", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_password_resets_token_hash"),
        # A link that expired before it was made would be a bug, never a valid row.
        sa.CheckConstraint("expires_at > created_at",
                           name="ck_password_resets_expires_after_creation"),
    )
    op.create_index("ix_password_resets_user_id", "password_resets", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_password_resets_user_id", table_name="password_resets")
    op.drop_table("password_resets")
