"""Wallet credentials: why the latest check failed, in the verdict's words (``revoked``,
``suspended``, ``expired``, ``altered`` …), beside the name of the check that failed, so that
the timeline says it plainly without reading the report.

Rows checked before this migration have none; the next check fills it in.

Revision ID: 0013_wallet_failed_reason
Revises: 0012_wallet
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_wallet_failed_reason"
down_revision = "0012_wallet"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("wallet_credentials", sa.Column("failed_reason", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("wallet_credentials") as table:
        table.drop_column("failed_reason")
