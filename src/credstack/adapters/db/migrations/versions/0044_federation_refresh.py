"""An imported registry's last refused refresh: when and why the scheduled re-import (or
``credstack federation refresh``) was refused, what was kept before staying as it was
(issue 42, part 4).

Revision ID: 0044_federation_refresh
Revises: 0043_corporate_number_unique
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP

revision = "0044_federation_refresh"
down_revision = "0043_corporate_number_unique"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("federation_sources", sa.Column("refused_at", STAMP))
    op.add_column("federation_sources", sa.Column("refusal_reason", sa.String(40)))
    op.add_column("federation_sources", sa.Column("refusal", sa.Text()))


def downgrade() -> None:
    # Plain columns dropped in place on both databases (SQLite since 3.35), as 0042 does.
    for column in ("refusal", "refusal_reason", "refused_at"):
        op.execute(f"ALTER TABLE federation_sources DROP COLUMN {column}")
