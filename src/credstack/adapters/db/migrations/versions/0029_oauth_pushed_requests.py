"""Pushed authorization requests (RFC 9126): what a client pushed, kept under the digest of
its ``request_uri`` until the learner answers it or it expires.

Revision ID: 0029_oauth_pushed_requests
Revises: 0028_oid4vp_encrypted
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0029_oauth_pushed_requests"
down_revision = "0028_oid4vp_encrypted"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "oauth_pushed_requests",
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("client_id", sa.Integer, nullable=False),
        sa.Column("params", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP),
        foreign_key("oauth_pushed_requests", "client_id", "oauth_clients",
                    ondelete="CASCADE"),
        sa.UniqueConstraint("request_hash", name="uq_oauth_pushed_requests_request_hash"),
    )
    op.create_index("ix_oauth_pushed_requests_client_id", "oauth_pushed_requests",
                    ["client_id"])


def downgrade() -> None:
    op.drop_table("oauth_pushed_requests")
