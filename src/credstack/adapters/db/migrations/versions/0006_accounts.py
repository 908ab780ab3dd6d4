"""Users, memberships, sessions, API clients and tokens (adapters/db/repositories/accounts.py).

Revision ID: 0006_accounts
Revises: 0005_audit
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    STAMP,
    create_partial_unique_index,
    create_table,
    foreign_key,
)

revision = "0006_accounts"
down_revision = "0005_audit"
branch_labels = None
depends_on = None

#: A membership of the platform itself (a registry admin's), not of an organisation.
PLATFORM = "organisation_id IS NULL"


def upgrade() -> None:
    create_table(
        "users",
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("totp_secret", sa.String(128)),
        sa.Column("totp_pending", sa.String(128)),
        sa.Column("totp_last_step", sa.Integer),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.CheckConstraint("email = lower(email)", name="ck_users_email_lower_case"),
    )
    create_table(
        "memberships",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("organisation_id", sa.Integer),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("memberships", "user_id", "users", ondelete="CASCADE"),
        foreign_key("memberships", "organisation_id", "organisations"),
        sa.UniqueConstraint("user_id", "organisation_id", "role",
                            name="uq_memberships_user_organisation_role"),
        # Only a registry admin's membership may name no organisation.
        sa.CheckConstraint("organisation_id IS NOT NULL OR role = 'registry-admin'",
                           name="ck_memberships_organisation_required"),
    )
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    op.create_index("ix_memberships_organisation_id", "memberships", ["organisation_id"])
    create_partial_unique_index("ix_memberships_platform_role", "memberships",
                                ["user_id", "role"], PLATFORM)
    create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("last_seen_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP),
        foreign_key("web_sessions", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_web_sessions_token_hash"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    create_table(
        "api_clients",
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP),
        foreign_key("api_clients", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("client_id", name="uq_api_clients_client_id"),
    )
    op.create_index("ix_api_clients_user_id", "api_clients", ["user_id"])
    create_table(
        "access_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("client_id", sa.Integer, nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("issued_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP),
        foreign_key("access_tokens", "client_id", "api_clients", ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_access_tokens_token_hash"),
    )
    op.create_index("ix_access_tokens_client_id", "access_tokens", ["client_id"])
    create_table(
        "login_attempts",
        sa.Column("key", sa.String(320), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("succeeded", sa.Boolean, nullable=False),
    )
    op.create_index("ix_login_attempts_key_at", "login_attempts", ["key", "at"])
    op.create_index("ix_login_attempts_ip_at", "login_attempts", ["ip", "at"])


def downgrade() -> None:
    op.drop_table("login_attempts")
    op.drop_table("access_tokens")
    op.drop_table("api_clients")
    op.drop_table("web_sessions")
    op.drop_index("ix_memberships_platform_role", table_name="memberships")
    op.drop_table("memberships")
    op.drop_table("users")
