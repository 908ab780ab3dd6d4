"""The hash-chained audit log (adapters/db/tables/audit.py).

``audit_entries`` is the chain, ``audit_head`` its one authenticated head row, created here
as the empty log's head (seq 0, the genesis hash, no code). Triggers refuse changing or
deleting entries — defence in depth only: an owner of the tables can drop or disable them,
and then the chain and the head's code are what reveal the change.

Revision ID: 0005_audit
Revises: 0004_ob2
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    JSON_DOCUMENT,
    STAMP,
    create_table,
    execute_per_dialect,
)

revision = "0005_audit"
down_revision = "0004_ob2"
branch_labels = None
depends_on = None

GENESIS = "0" * 64

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'the audit log is append-only';
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entries_append_only
       BEFORE UPDATE OR DELETE ON audit_entries
       FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()""",
    """CREATE TRIGGER audit_entries_no_truncate
       BEFORE TRUNCATE ON audit_entries
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()""",
]


def upgrade() -> None:
    create_table(
        "audit_entries",
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("details", JSON_DOCUMENT, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("seq", name="uq_audit_entries_seq"),
        sa.CheckConstraint("seq >= 1", name="ck_audit_entries_seq_positive"),
    )
    op.create_index("ix_audit_entries_subject", "audit_entries", ["subject"])
    head = create_table(
        "audit_head",
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("mac", sa.String(64)),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
        autoincrement=False,
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS, "mac": None}])
    execute_per_dialect(postgresql=POSTGRES_TRIGGERS, sqlite=SQLITE_TRIGGERS)


def downgrade() -> None:
    execute_per_dialect(
        postgresql=["DROP TRIGGER audit_entries_no_truncate ON audit_entries",
                    "DROP TRIGGER audit_entries_append_only ON audit_entries",
                    "DROP FUNCTION audit_entries_append_only()"],
        sqlite=["DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete"])
    op.drop_table("audit_head")
    op.drop_index("ix_audit_entries_subject", table_name="audit_entries")
    op.drop_table("audit_entries")
