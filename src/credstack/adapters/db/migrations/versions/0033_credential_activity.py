"""What happens to issued credentials (e-mailed, opened, claimed, shared, verified), counted
per credential, per batch and per organisation and month as it happens; what an
organisation tells its learners; learners' public profiles.

Revision ID: 0033_credential_activity
Revises: 0032_console
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0033_credential_activity"
down_revision = "0032_console"
branch_labels = None
depends_on = None

KINDS = ("mailed", "opened", "claimed", "shared", "verified")


def _tally_columns() -> list[sa.Column[object]]:
    columns: list[sa.Column[object]] = []
    for kind in KINDS:
        columns += [
            sa.Column(f"{kind}_count", sa.Integer, nullable=False, server_default=sa.text("0")),
            sa.Column(f"{kind}_first", STAMP),
            sa.Column(f"{kind}_last", STAMP),
        ]
        if kind == "claimed":
            columns.append(sa.Column("claimed_by", sa.String(16)))
    return columns


def upgrade() -> None:
    create_table(
        "credential_activity",
        sa.Column("credential_row_id", sa.Integer, nullable=False),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        *_tally_columns(),
        sa.Column("reminded_at", STAMP),
        sa.Column("expiry_noticed", sa.Integer),
        foreign_key(
            "credential_activity", "credential_row_id", "issued_credentials", ondelete="CASCADE"
        ),
        foreign_key("credential_activity", "organisation_id", "organisations"),
        sa.UniqueConstraint("credential_row_id", name="uq_credential_activity_credential_row_id"),
    )
    op.create_index(
        "ix_credential_activity_organisation_id", "credential_activity", ["organisation_id"]
    )
    for table, column in (("batch_activity", "batch"), ("organisation_activity", "month")):
        create_table(
            table,
            sa.Column("organisation_id", sa.Integer, nullable=False),
            sa.Column(column, sa.String(200 if column == "batch" else 7), nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("events", sa.Integer, nullable=False),
            sa.Column("credentials", sa.Integer, nullable=False),
            *(
                (sa.Column("first_at", STAMP), sa.Column("last_at", STAMP))
                if column == "batch"
                else ()
            ),
            foreign_key(table, "organisation_id", "organisations"),
            sa.UniqueConstraint("organisation_id", column, "kind", name=f"uq_{table}_key"),
        )
    # The credentials issued before this migration, counted as issued in their batches and
    # months, so that a batch's size is read from its tally as it is for new ones.
    month = ("to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM')"
             if op.get_bind().dialect.name == "postgresql" else "strftime('%Y-%m', issued_at)")
    op.execute("INSERT INTO batch_activity (organisation_id, batch, kind, events, credentials, "
               "first_at, last_at) SELECT organisation_id, coalesce(batch, ''), 'issued', "
               "count(*), count(*), min(issued_at), max(issued_at) FROM issued_credentials "
               "GROUP BY organisation_id, coalesce(batch, '')")
    # ``month`` is one of the two expressions above, never input.
    op.execute("INSERT INTO organisation_activity (organisation_id, month, kind, events, "  # noqa: S608
               f"credentials) SELECT organisation_id, {month}, 'issued', count(*), count(*) "
               f"FROM issued_credentials GROUP BY organisation_id, {month}")
    create_table(
        "organisation_notices",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("claim_reminder_days", sa.Integer),
        sa.Column("expiry_days", sa.String(32), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        foreign_key("organisation_notices", "organisation_id", "organisations", ondelete="CASCADE"),
        sa.UniqueConstraint("organisation_id", name="uq_organisation_notices_organisation_id"),
    )
    create_table(
        "public_profiles",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("handle", sa.String(30), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("headline", sa.String(300), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.Column("shown_at", STAMP),
        sa.Column("hidden_at", STAMP),
        foreign_key("public_profiles", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("user_id", name="uq_public_profiles_user_id"),
        sa.UniqueConstraint("handle", name="uq_public_profiles_handle"),
    )
    create_table(
        "public_profile_items",
        sa.Column("profile_id", sa.Integer, nullable=False),
        sa.Column("credential_id", sa.Integer, nullable=False),
        foreign_key("public_profile_items", "profile_id", "public_profiles", ondelete="CASCADE"),
        foreign_key(
            "public_profile_items", "credential_id", "wallet_credentials", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("profile_id", "credential_id", name="uq_public_profile_items_pair"),
    )
    op.create_index("ix_public_profile_items_profile_id", "public_profile_items", ["profile_id"])
    op.create_index(
        "ix_public_profile_items_credential_id", "public_profile_items", ["credential_id"]
    )


def downgrade() -> None:
    for table in (
        "public_profile_items",
        "public_profiles",
        "organisation_notices",
        "organisation_activity",
        "batch_activity",
        "credential_activity",
    ):
        op.drop_table(table)
