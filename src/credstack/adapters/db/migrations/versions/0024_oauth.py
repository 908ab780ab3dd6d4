"""The OAuth 2.0 authorization server (issue 18): clients registered through RFC 7591,
authorization codes (kept after use, so that a replay is recognised) and the tokens of the
authorization code and refresh token grants, in families revoked together.

Revision ID: 0024_oauth
Revises: 0021_workspace_finish
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0024_oauth"
down_revision = "0021_workspace_finish"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "oauth_clients",
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("secret_hash", sa.String(64)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("client_metadata", JSON_DOCUMENT, nullable=False),
        sa.Column("redirect_uris", JSON_DOCUMENT, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("grant_types", sa.String(200), nullable=False),
        sa.Column("auth_method", sa.String(32), nullable=False),
        sa.Column("registered_ip", sa.String(64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP),
        sa.UniqueConstraint("client_id", name="uq_oauth_clients_client_id"),
    )
    create_table(
        "oauth_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("client_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("redirect_uri", sa.String(2048), nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=False),
        sa.Column("code_challenge_method", sa.String(8), nullable=False),
        sa.Column("extra", JSON_DOCUMENT),
        sa.Column("issued_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP),
        foreign_key("oauth_codes", "client_id", "oauth_clients", ondelete="CASCADE"),
        foreign_key("oauth_codes", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("code_hash", name="uq_oauth_codes_code_hash"),
    )
    op.create_index("ix_oauth_codes_client_id", "oauth_codes", ["client_id"])
    op.create_index("ix_oauth_codes_user_id", "oauth_codes", ["user_id"])
    create_table(
        "oauth_tokens",
        sa.Column("access_hash", sa.String(64), nullable=False),
        sa.Column("refresh_hash", sa.String(64)),
        sa.Column("client_id", sa.Integer),
        sa.Column("user_id", sa.Integer),
        sa.Column("grant_type", sa.String(100), nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("extra", JSON_DOCUMENT),
        sa.Column("family", sa.String(32), nullable=False),
        sa.Column("code_id", sa.Integer),
        sa.Column("issued_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("refresh_expires_at", STAMP),
        sa.Column("rotated_at", STAMP),
        sa.Column("revoked_at", STAMP),
        foreign_key("oauth_tokens", "client_id", "oauth_clients", ondelete="CASCADE"),
        foreign_key("oauth_tokens", "user_id", "users", ondelete="CASCADE"),
        foreign_key("oauth_tokens", "code_id", "oauth_codes", ondelete="SET NULL"),
        sa.UniqueConstraint("access_hash", name="uq_oauth_tokens_access_hash"),
        sa.UniqueConstraint("refresh_hash", name="uq_oauth_tokens_refresh_hash"),
    )
    for column in ("client_id", "user_id", "family", "code_id"):
        op.create_index(f"ix_oauth_tokens_{column}", "oauth_tokens", [column])


def downgrade() -> None:
    op.drop_table("oauth_tokens")
    op.drop_table("oauth_codes")
    op.drop_table("oauth_clients")
