"""``sign_ups``: requests to sign up on one's own, and the e-mailed links that finish them.

One row per request (the rate limit counts them): the address, where it came from, and, for
an address without an account, the link's token as its SHA-256 digest, the display name and
the password's argon2id hash until the link is used, expires or is replaced.

Revision ID: 0018_sign_ups
Revises: 0017_credential_search
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0018_sign_ups"
down_revision = "0017_credential_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "sign_ups",
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64)),
        sa.Column("display_name", sa.String(200)),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("next_path", sa.String(2000), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP),
        sa.Column("user_id", sa.Integer),
        foreign_key("sign_ups", "user_id", "users", ondelete="SET NULL"),
        sa.UniqueConstraint("token_hash", name="uq_sign_ups_token_hash"),
        sa.CheckConstraint("expires_at > created_at", name="ck_sign_ups_expires_after_creation"),
    )
    op.create_index("ix_sign_ups_email", "sign_ups", ["email"])
    op.create_index("ix_sign_ups_ip", "sign_ups", ["ip"])


def downgrade() -> None:
    op.drop_index("ix_sign_ups_ip", table_name="sign_ups")
    op.drop_index("ix_sign_ups_email", table_name="sign_ups")
    op.drop_table("sign_ups")
