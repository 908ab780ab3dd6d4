"""SAML single logout (issue 57): ``sso_saml_sessions``, the web sessions a SAML identity
provider's sign-in made, by the NameID (as its SHA-256) and SessionIndex the assertion gave,
so that the provider's LogoutRequest ends exactly those.

Revision ID: 0055_sso_saml_sessions
Revises: 0054_registrar
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0055_sso_saml_sessions"
down_revision = "0054_registrar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "sso_saml_sessions",
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("name_id_hash", sa.String(64), nullable=False),
        sa.Column("session_index", sa.String(200), nullable=False),
        sa.Column("web_session_id", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("sso_saml_sessions", "provider_id", "sso_providers", ondelete="CASCADE"),
        foreign_key("sso_saml_sessions", "web_session_id", "web_sessions", ondelete="CASCADE"),
    )
    op.create_index("ix_sso_saml_sessions_name_id_hash", "sso_saml_sessions",
                    ["name_id_hash"])
    op.create_index("ix_sso_saml_sessions_web_session_id", "sso_saml_sessions",
                    ["web_session_id"])


def downgrade() -> None:
    op.drop_table("sso_saml_sessions")
