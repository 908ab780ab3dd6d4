"""The credit bank (issue 16): published targets, one account per learner, deposits of wallet
credentials, the append-only ledger, and applications for credit transfer
(``tables/creditbank.py``).

The ledger is append-only for every writer: a trigger refuses any UPDATE of its entries
(an account's entries go only with the account, when its user is deleted).

Revision ID: 0019_creditbank
Revises: 0018_sign_ups
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    JSON_DOCUMENT,
    STAMP,
    create_table,
    execute_per_dialect,
    foreign_key,
)

revision = "0019_creditbank"
down_revision = "0018_sign_ups"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER credit_ledger_append_only
       BEFORE UPDATE ON credit_ledger
       BEGIN SELECT RAISE(ABORT, 'the credit ledger is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION credit_ledger_append_only() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'the credit ledger is append-only';
       END
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER credit_ledger_append_only
       BEFORE UPDATE ON credit_ledger
       FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only()""",
]


def upgrade() -> None:
    create_table(
        "credit_targets",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("target_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("published", sa.Boolean, nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("credit_targets", "organisation_id", "organisations", ondelete="CASCADE"),
        sa.UniqueConstraint("public_id", name="uq_credit_targets_public_id"),
        sa.UniqueConstraint("organisation_id", "target_id", "version",
                            name="uq_credit_targets_organisation_target"),
        sa.CheckConstraint("version >= 1", name="ck_credit_targets_version_positive"),
    )
    op.create_index("ix_credit_targets_organisation_id", "credit_targets", ["organisation_id"])
    create_table(
        "credit_accounts",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("opened_at", STAMP, nullable=False),
        foreign_key("credit_accounts", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("user_id", name="uq_credit_accounts_user_id"),
    )
    create_table(
        "credit_deposits",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("wallet_credential_id", sa.Integer),
        sa.Column("wallet_public_id", sa.String(32), nullable=False),
        sa.Column("credential", sa.String(2048), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("route", sa.String(64), nullable=False),
        sa.Column("entry", JSON_DOCUMENT, nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("deposited_at", STAMP, nullable=False),
        foreign_key("credit_deposits", "account_id", "credit_accounts", ondelete="CASCADE"),
        foreign_key("credit_deposits", "wallet_credential_id", "wallet_credentials",
                    ondelete="SET NULL"),
        sa.UniqueConstraint("public_id", name="uq_credit_deposits_public_id"),
        sa.UniqueConstraint("account_id", "wallet_credential_id",
                            name="uq_credit_deposits_account_credential"),
    )
    op.create_index("ix_credit_deposits_account_id", "credit_deposits", ["account_id"])
    create_table(
        "credit_ledger",
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
        foreign_key("credit_ledger", "account_id", "credit_accounts", ondelete="CASCADE"),
        sa.UniqueConstraint("account_id", "seq", name="uq_credit_ledger_account_seq"),
        sa.CheckConstraint("movement IN ('deposit', 'reserve', 'withdraw', 'expire')",
                           name="ck_credit_ledger_movement"),
    )
    execute_per_dialect(postgresql=POSTGRES_TRIGGERS, sqlite=SQLITE_TRIGGERS)
    create_table(
        "credit_applications",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("target_id", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("decision", JSON_DOCUMENT, nullable=False),
        sa.Column("adjustments", JSON_DOCUMENT, nullable=False),
        sa.Column("granted", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("submitted_at", STAMP, nullable=False),
        sa.Column("decided_at", STAMP),
        sa.Column("credential_id", sa.String(2048)),
        foreign_key("credit_applications", "account_id", "credit_accounts",
                    ondelete="CASCADE"),
        foreign_key("credit_applications", "target_id", "credit_targets"),
        sa.UniqueConstraint("public_id", name="uq_credit_applications_public_id"),
        sa.CheckConstraint("state IN ('submitted', 'approved', 'refused')",
                           name="ck_credit_applications_state"),
    )
    op.create_index("ix_credit_applications_account_id", "credit_applications",
                    ["account_id"])
    op.create_index("ix_credit_applications_target", "credit_applications",
                    ["target_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_credit_applications_target", table_name="credit_applications")
    op.drop_index("ix_credit_applications_account_id", table_name="credit_applications")
    op.drop_table("credit_applications")
    execute_per_dialect(
        postgresql=["DROP TRIGGER credit_ledger_append_only ON credit_ledger",
                    "DROP FUNCTION credit_ledger_append_only()"],
        sqlite=["DROP TRIGGER credit_ledger_append_only"])
    op.drop_table("credit_ledger")
    op.drop_index("ix_credit_deposits_account_id", table_name="credit_deposits")
    op.drop_table("credit_deposits")
    op.drop_table("credit_accounts")
    op.drop_index("ix_credit_targets_organisation_id", table_name="credit_targets")
    op.drop_table("credit_targets")
