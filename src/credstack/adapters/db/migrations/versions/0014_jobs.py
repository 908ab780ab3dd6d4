"""Background jobs: one row per job, the source of truth the task queue only points at.

``jobs``: what to do (kind, payload), for whom (organisation, who started it and as whom the
worker acts), the idempotency key (unique per kind), the state with progress, attempts, the
latest error in English and Japanese, the result, and the claim and heartbeat by which a
job whose worker died is found and queued again. Models:
:mod:`credstack.adapters.db.tables.jobs`.

Revision ID: 0014_jobs
Revises: 0013_wallet_failed_reason
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0014_jobs"
down_revision = "0013_wallet_failed_reason"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "jobs",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("organisation", sa.String(64)),
        sa.Column("started_by", sa.String(200), nullable=False),
        sa.Column("started_by_user_id", sa.Integer),
        sa.Column("principal", JSON_DOCUMENT, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("payload", JSON_DOCUMENT, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", JSON_DOCUMENT),
        sa.Column("result", JSON_DOCUMENT),
        sa.Column("claim", sa.String(32)),
        sa.Column("worker", sa.String(200)),
        sa.Column("heartbeat_at", STAMP),
        sa.Column("run_after", STAMP),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("finished_at", STAMP),
        foreign_key("jobs", "started_by_user_id", "users", ondelete="SET NULL"),
        sa.UniqueConstraint("public_id", name="uq_jobs_public_id"),
        sa.UniqueConstraint("kind", "idempotency_key", name="uq_jobs_kind_idempotency_key"),
        sa.CheckConstraint("state IN ('queued', 'running', 'retrying', 'succeeded', 'failed')",
                           name="ck_jobs_state"),
        sa.CheckConstraint("done >= 0 AND attempts >= 0", name="ck_jobs_counts"),
    )
    op.create_index("ix_jobs_state_heartbeat", "jobs", ["state", "heartbeat_at"])
    op.create_index("ix_jobs_organisation_created", "jobs", ["organisation", "created_at"])
    op.create_index("ix_jobs_user_created", "jobs", ["started_by_user_id", "created_at"])


def downgrade() -> None:
    op.drop_table("jobs")
