"""An imported registry may have its anchor's keys pinned: the JWK set its statements must
be signed with, whatever keys the anchor publishes (issue 42, part 4).

Revision ID: 0042_federation_pins
Revises: 0041_federation_intermediates
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT

revision = "0042_federation_pins"
down_revision = "0041_federation_intermediates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("federation_sources", sa.Column("pinned_jwks", JSON_DOCUMENT))


def downgrade() -> None:
    # A plain column dropped in place on both databases (SQLite since 3.35), as 0040 does.
    op.execute("ALTER TABLE federation_sources DROP COLUMN pinned_jwks")
