"""Issuer keys: each organisation's signing keys, their secrets sealed with the master key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STAMP = sa.DateTime(timezone=True)
ACTIVE = sa.text("retired_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "issuer_keys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("fragment", sa.String(32), nullable=False),
        sa.Column("public_multibase", sa.String(128), nullable=False),
        sa.Column("master_key_id", sa.String(32), nullable=False),
        sa.Column("encrypted_secret", sa.LargeBinary, nullable=False),
        sa.Column("nonce", sa.LargeBinary, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("retired_at", STAMP),
        sa.PrimaryKeyConstraint("id", name="pk_issuer_keys"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name="fk_issuer_keys_organisation_id_organisations"),
        sa.UniqueConstraint("organisation_id", "fragment",
                            name="uq_issuer_keys_organisation_fragment"),
        sa.CheckConstraint("key_type IN ('Ed25519', 'P-256')", name="ck_issuer_keys_key_type"),
        sa.CheckConstraint("length(nonce) = 12", name="ck_issuer_keys_nonce_length"),
    )
    op.create_index("ix_issuer_keys_organisation_id", "issuer_keys", ["organisation_id"])
    # At most one active (not retired) key per organisation and key type: a partial unique
    # index, which both SQLite (3.8+) and PostgreSQL enforce for every writer.
    op.create_index("uq_issuer_keys_active", "issuer_keys", ["organisation_id", "key_type"],
                    unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)


def downgrade() -> None:
    op.drop_index("uq_issuer_keys_active", table_name="issuer_keys")
    op.drop_index("ix_issuer_keys_organisation_id", table_name="issuer_keys")
    op.drop_table("issuer_keys")
