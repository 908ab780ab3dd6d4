"""An API client's secret ended: when it stopped working and by what (a password changed,
an account disabled), until its owner issues a new one (issue 55, M2). Downgrading keeps
an ended secret unusable.

Revision ID: 0048_client_secret_ended
Revises: 0047_figures_and_wallet_copies
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP

revision = "0048_client_secret_ended"
down_revision = "0047_figures_and_wallet_copies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("api_clients", sa.Column("secret_ended_at", STAMP))
    op.add_column("api_clients", sa.Column("secret_ended_by", sa.String(40)))


def downgrade() -> None:
    # An ended secret must not work again under the older code: its digest is emptied, which
    # no secret's SHA-256 matches (the owner makes a new client).
    op.execute("UPDATE api_clients SET secret_hash = '' WHERE secret_ended_at IS NOT NULL")
    # Plain columns dropped in place on both databases (SQLite since 3.35), as 0044 does.
    for column in ("secret_ended_by", "secret_ended_at"):
        op.execute(f"ALTER TABLE api_clients DROP COLUMN {column}")
