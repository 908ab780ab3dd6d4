"""The intermediate entities the trust anchor lists: organisations running their own
credstack that join the federation below the anchor (issue 42, part 1's last point).

Revision ID: 0041_federation_intermediates
Revises: 0040_corporate_number
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table

revision = "0041_federation_intermediates"
down_revision = "0040_corporate_number"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "federation_intermediates",
        sa.Column("entity_id", sa.String(2048), nullable=False),
        sa.Column("jwks", JSON_DOCUMENT, nullable=False),
        sa.Column("name", JSON_DOCUMENT, nullable=False),
        sa.Column("registered_at", STAMP, nullable=False),
        sa.UniqueConstraint("entity_id", name="uq_federation_intermediates_entity_id"),
    )


def downgrade() -> None:
    op.drop_table("federation_intermediates")
