"""OpenID Connect back-channel logout (issue 57): ``sso_oidc_sessions``, the web sessions an
OpenID provider's sign-in made, by the subject and the provider's session id (``sid``) its
id_token gave, so that the provider's logout token ends exactly those.

Revision ID: 0060_sso_oidc_sessions
Revises: 0059_registrar_english_names
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0060_sso_oidc_sessions"
down_revision = "0059_registrar_english_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "sso_oidc_sessions",
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("sid", sa.String(200)),
        sa.Column("web_session_id", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("sso_oidc_sessions", "provider_id", "sso_providers", ondelete="CASCADE"),
        foreign_key("sso_oidc_sessions", "web_session_id", "web_sessions", ondelete="CASCADE"),
    )
    op.create_index("ix_sso_oidc_sessions_subject", "sso_oidc_sessions", ["subject"])
    op.create_index("ix_sso_oidc_sessions_sid", "sso_oidc_sessions", ["sid"])
    op.create_index("ix_sso_oidc_sessions_web_session_id", "sso_oidc_sessions",
                    ["web_session_id"])


def downgrade() -> None:
    op.drop_table("sso_oidc_sessions")
