"""Open Badges 2.0 keys: each organisation's RSA keys for signed (RS256) OB 2.0 assertions.

The table mirrors ``issuer_keys``: never deleted (a retired key keeps verifying the badges it
signed), at most one active key per organisation, the private key sealed with the master key.
Its model is ``credstack.services.openbadges_v2.service.Ob2KeyRow``.

Revision ID: 0004_ob2
Revises: 0004 (0004_pki.py, the PDF certificates; both were numbered 0004 in parallel)
Create Date: 2026-11-29
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

revision = "0004_ob2"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "ob2_keys",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("fragment", sa.String(32), nullable=False),
        sa.Column("public_key_pem", sa.Text, nullable=False),
        *sealed_secret(required=True),
        *retirable(),
        foreign_key("ob2_keys", "organisation_id", "organisations"),
        sa.UniqueConstraint("organisation_id", "fragment",
                            name="uq_ob2_keys_organisation_fragment"),
        sa.CheckConstraint("length(nonce) = 12", name="ck_ob2_keys_nonce_length"),
    )
    op.create_index("ix_ob2_keys_organisation_id", "ob2_keys", ["organisation_id"])
    create_partial_unique_index("uq_ob2_keys_active", "ob2_keys", ["organisation_id"],
                                NOT_RETIRED)


def downgrade() -> None:
    op.drop_index("uq_ob2_keys_active", table_name="ob2_keys")
    op.drop_index("ix_ob2_keys_organisation_id", table_name="ob2_keys")
    op.drop_table("ob2_keys")
