"""The credit ledger's lifecycle (issue 16): reserved credits can be released (``release``:
an application refused, or decided again after a rule change), and an application counting a
credential that no longer verifies is flagged for review (``flag``: the reason and deposits,
``flagged_at``).

SQLite cannot alter a CHECK constraint: ``credit_ledger`` is copied into a new table (the
append-only trigger goes with the old table and is made again).

Revision ID: 0020_creditbank_lifecycle
Revises: 0019_creditbank
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, execute_per_dialect

revision = "0020_creditbank_lifecycle"
down_revision = "0019_creditbank"
branch_labels = None
depends_on = None

NAME = "ck_credit_ledger_movement"
BEFORE = "movement IN ('deposit', 'reserve', 'withdraw', 'expire')"
AFTER = "movement IN ('deposit', 'reserve', 'release', 'withdraw', 'expire')"
SQLITE_TRIGGER = """CREATE TRIGGER credit_ledger_append_only
       BEFORE UPDATE ON credit_ledger
       BEGIN SELECT RAISE(ABORT, 'the credit ledger is append-only'); END"""


def _movements(check: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        # Whatever 0019 named it: the one CHECK on ``movement``.
        op.execute("""DO $$ DECLARE found text; BEGIN
            SELECT conname INTO found FROM pg_constraint
             WHERE conrelid = 'credit_ledger'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%movement%';
            EXECUTE format('ALTER TABLE credit_ledger DROP CONSTRAINT %I', found);
            END $$""")
        op.execute(f"ALTER TABLE credit_ledger ADD CONSTRAINT {NAME} CHECK ({check})")
        return
    op.execute("DROP TRIGGER IF EXISTS credit_ledger_append_only")
    with op.batch_alter_table("credit_ledger", recreate="always",
                              copy_from=_ledger(check)):
        pass
    op.execute(SQLITE_TRIGGER)


def _ledger(check: str) -> sa.Table:
    """``credit_ledger`` as 0019 made it, with the movements ``check`` allows (SQLite copies
    the rows into it)."""
    return sa.Table(
        "credit_ledger", sa.MetaData(),
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("movement", sa.String(16), nullable=False),
        sa.Column("deposit", sa.String(32), nullable=False),
        sa.Column("credits", sa.String(32), nullable=False),
        sa.Column("system", sa.String(32), nullable=False),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("source", sa.String(2048), nullable=False),
        sa.Column("programme", sa.String(200)),
        sa.Column("recorded_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_credit_ledger"),
        sa.UniqueConstraint("account_id", "seq", name="uq_credit_ledger_account_seq"),
        sa.ForeignKeyConstraint(["account_id"], ["credit_accounts.id"], ondelete="CASCADE",
                                name="fk_credit_ledger_account_id_credit_accounts"),
        sa.CheckConstraint(check, name=NAME))


def upgrade() -> None:
    _movements(AFTER)
    op.add_column("credit_applications", sa.Column("flag", JSON_DOCUMENT))
    op.add_column("credit_applications", sa.Column("flagged_at", STAMP))


def downgrade() -> None:
    with op.batch_alter_table("credit_applications") as table:
        table.drop_column("flagged_at")
        table.drop_column("flag")
    execute_per_dialect(postgresql=["DELETE FROM credit_ledger WHERE movement = 'release'"],
                        sqlite=["DELETE FROM credit_ledger WHERE movement = 'release'"])
    _movements(BEFORE)
