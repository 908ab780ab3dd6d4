"""Federation keys: the OpenID Federation entity keys of the trust anchor and of each
recognised provider's entity (see :mod:`credstack.adapters.db.tables.federation`).

Revision ID: 0031_federation_keys
Revises: 0030_request_ids
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    NOT_RETIRED,
    STAMP,
    create_partial_unique_index,
    create_table,
    retirable,
    sealed_secret,
)

revision = "0031_federation_keys"
down_revision = "0030_request_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "federation_keys",
        sa.Column("entity", sa.String(80), nullable=False),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("public_multibase", sa.String(128), nullable=False),
        *sealed_secret(required=True),
        *retirable(),
        sa.Column("published_until", STAMP),
        sa.UniqueConstraint("kid", name="uq_federation_keys_kid"),
        sa.CheckConstraint("length(nonce) = 12", name="ck_federation_keys_nonce_length"),
        sa.CheckConstraint("key_type IN ('Ed25519', 'P-256')", name="ck_federation_keys_key_type"),
    )
    op.create_index("ix_federation_keys_entity", "federation_keys", ["entity"])
    create_partial_unique_index(
        "uq_federation_keys_active", "federation_keys", ["entity"], NOT_RETIRED
    )


def downgrade() -> None:
    op.drop_table("federation_keys")
