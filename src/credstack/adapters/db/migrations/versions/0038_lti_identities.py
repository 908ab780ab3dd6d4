"""LTI 1.3: LMS identities linked to accounts, and one awards run per course link (issue 43).

``lti_identities`` holds an LMS's user (issuer and ``sub``) a learner linked to their account
from a launch; ``lti_links`` gains the claim an awards run holds on its link
(``awarding_by``, ``awarding_until``), so that two runs at once do not read and issue the
same learners.

Revision ID: 0038_lti_identities
Revises: 0037_lti
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0038_lti_identities"
down_revision = "0037_lti"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "lti_identities",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("platform_id", sa.Integer, nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("linked_at", STAMP, nullable=False),
        foreign_key("lti_identities", "user_id", "users", "CASCADE"),
        foreign_key("lti_identities", "platform_id", "lti_platforms", "CASCADE"),
        sa.UniqueConstraint("issuer", "subject", name="uq_lti_identities_issuer_subject"),
    )
    op.create_index("ix_lti_identities_user_id", "lti_identities", ["user_id"])
    op.create_index("ix_lti_identities_platform_id", "lti_identities", ["platform_id"])
    with op.batch_alter_table("lti_links") as batch:
        batch.add_column(sa.Column("awarding_by", sa.String(64)))
        batch.add_column(sa.Column("awarding_until", STAMP))


def downgrade() -> None:
    with op.batch_alter_table("lti_links") as batch:
        batch.drop_column("awarding_until")
        batch.drop_column("awarding_by")
    op.drop_table("lti_identities")
