"""Issuer keys: each organisation's signing keys, their secrets sealed with the master key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    NOT_RETIRED,
    create_partial_unique_index,
    create_table,
    foreign_key,
    retirable,
    sealed_secret,
)

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "issuer_keys",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("fragment", sa.String(32), nullable=False),
        sa.Column("public_multibase", sa.String(128), nullable=False),
        *sealed_secret(required=True),
        *retirable(),
        foreign_key("issuer_keys", "organisation_id", "organisations"),
        sa.UniqueConstraint("organisation_id", "fragment",
                            name="uq_issuer_keys_organisation_fragment"),
        sa.CheckConstraint("key_type IN ('Ed25519', 'P-256')", name="ck_issuer_keys_key_type"),
        sa.CheckConstraint("length(nonce) = 12", name="ck_issuer_keys_nonce_length"),
    )
    op.create_index("ix_issuer_keys_organisation_id", "issuer_keys", ["organisation_id"])
    # At most one active (not retired) key per organisation and key type.
    create_partial_unique_index("uq_issuer_keys_active", "issuer_keys",
                                ["organisation_id", "key_type"], NOT_RETIRED)


def downgrade() -> None:
    op.drop_index("uq_issuer_keys_active", table_name="issuer_keys")
    op.drop_index("ix_issuer_keys_organisation_id", table_name="issuer_keys")
    op.drop_table("issuer_keys")
