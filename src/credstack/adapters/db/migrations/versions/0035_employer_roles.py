"""Employer roles: a role described on the employer's match page, saved to find again.

Each row is one person's role under a title of theirs (unique per person): the description
and the chosen skills' URIs in order. Deleting the person deletes their roles.

Revision ID: 0035_employer_roles
Revises: 0034_mail_withdrawn
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0035_employer_roles"
down_revision = "0034_mail_withdrawn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "employer_roles",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("skills", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        foreign_key("employer_roles", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("user_id", "title", name="uq_employer_roles_title"),
    )
    op.create_index("ix_employer_roles_user_id", "employer_roles", ["user_id"])


def downgrade() -> None:
    op.drop_table("employer_roles")
