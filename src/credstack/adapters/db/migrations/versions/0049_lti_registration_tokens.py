"""LTI Dynamic Registration only with a token an organisation's administrator made (issue
55, M3): ``lti_registration_tokens`` keeps each token's SHA-256, who made it, when it
expires, when it was spent and the registration it made.

Revision ID: 0049_lti_registration_tokens
Revises: 0048_client_secret_ended
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0049_lti_registration_tokens"
down_revision = "0048_client_secret_ended"
branch_labels = None
depends_on = None

_TABLE = "lti_registration_tokens"


def upgrade() -> None:
    create_table(
        _TABLE,
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP),
        sa.Column("platform_id", sa.Integer),
        foreign_key(_TABLE, "organisation_id", "organisations"),
        foreign_key(_TABLE, "platform_id", "lti_platforms", ondelete="SET NULL"),
        sa.UniqueConstraint("token_hash", name="uq_lti_registration_tokens_token_hash"),
    )
    op.create_index("ix_lti_registration_tokens_organisation_id", _TABLE, ["organisation_id"])


def downgrade() -> None:
    op.drop_table(_TABLE)
