"""Open Badges 2.0 keys: the JWS algorithm of each key (RS256 or ES256).

Keys made before this migration are RSA-2048 keys signing RS256, which is what every
existing row becomes. New keys take their algorithm from ``CREDSTACK_OB2_ALGORITHM`` or the
``credstack issuer keys ob2-rotate`` command. The model is
``credstack.services.openbadges_v2.service.Ob2KeyRow``.

Revision ID: 0010_ob2_algorithms
Revises: 0009_pki_revocation
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_ob2_algorithms"
down_revision = "0009_pki_revocation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite adds a CHECK constraint only by copying the table (PostgreSQL alters
    # it in place).
    with op.batch_alter_table("ob2_keys") as table:
        table.add_column(sa.Column("algorithm", sa.String(8), nullable=False,
                                   server_default="RS256"))
        # op.f: the name as given; the metadata's naming convention would prefix it again.
        table.create_check_constraint(op.f("ck_ob2_keys_algorithm"),
                                      sa.text("algorithm IN ('RS256', 'ES256')"))


def downgrade() -> None:
    with op.batch_alter_table("ob2_keys") as table:
        table.drop_constraint(op.f("ck_ob2_keys_algorithm"), type_="check")
        table.drop_column("algorithm")
