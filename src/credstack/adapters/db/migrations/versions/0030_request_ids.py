"""Request ids: the request (or job) that wrote each audit entry, and that started each job.

The audit entry's ``request_id`` is hashed with the entry when it has one
(:mod:`credstack.core.audit.chain`); entries written before this migration have none and keep
their hashes, so the chain verifies across the upgrade. A job's ``request_id`` is bound again
while a worker runs it, so that what the job writes names the request that asked for it.

Revision ID: 0030_request_ids
Revises: 0029_oauth_pushed_requests
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_request_ids"
down_revision = "0029_oauth_pushed_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column is added in place on both databases (no table rewrite, and on
    # SQLite no copy that the audit log's triggers would refuse).
    op.add_column("audit_entries", sa.Column("request_id", sa.String(64)))
    op.add_column("jobs", sa.Column("request_id", sa.String(64)))


def downgrade() -> None:
    # ``ALTER TABLE … DROP COLUMN`` in place on both (SQLite 3.35 and later): a batch copy
    # of the audit log would lose its triggers on SQLite. Entries that named a request no
    # longer verify afterwards (the id was hashed with them).
    op.drop_column("jobs", "request_id")
    op.drop_column("audit_entries", "request_id")
