"""SAML single logout begun here (issue 57): ``sso_saml_sessions`` keeps the NameID of each
sign-in as the assertion gave it (its text, Format, NameQualifier and SPNameQualifier), for
the LogoutRequest credstack sends the identity provider when that person signs out. Sessions
noted before have none: they end here only.

Revision ID: 0058_sso_saml_logout
Revises: 0057_registrar_requests
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0058_sso_saml_logout"
down_revision = "0057_registrar_requests"
branch_labels = None
depends_on = None

_COLUMNS = ("name_id", "name_id_format", "name_qualifier", "sp_name_qualifier")


def upgrade() -> None:
    op.add_column("sso_saml_sessions", sa.Column("name_id", sa.Text))
    op.add_column("sso_saml_sessions", sa.Column("name_id_format", sa.String(200)))
    op.add_column("sso_saml_sessions", sa.Column("name_qualifier", sa.String(500)))
    op.add_column("sso_saml_sessions", sa.Column("sp_name_qualifier", sa.String(500)))


def downgrade() -> None:
    # Plain columns dropped in place on both databases (SQLite since 3.35), as 0048 does.
    for column in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE sso_saml_sessions DROP COLUMN {column}")
