"""A programme's badge design (issue 54): ``programme_badge_styles``, the template and colour
its badge designer chose, one row a programme.

Revision ID: 0061_badge_styles
Revises: 0060_sso_oidc_sessions
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0061_badge_styles"
down_revision = "0060_sso_oidc_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "programme_badge_styles",
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("template", sa.String(16), nullable=False),
        sa.Column("colour", sa.String(7)),
        sa.Column("updated_at", STAMP, nullable=False),
        foreign_key("programme_badge_styles", "programme_id", "programmes",
                    ondelete="CASCADE"),
        sa.UniqueConstraint("programme_id", name="uq_programme_badge_styles_programme_id"),
    )


def downgrade() -> None:
    op.drop_table("programme_badge_styles")
