"""Issuer keys of every ECDSA curve credstack signs JOSE and COSE with (issue 58): P-384
(ES384) and P-521 (ES512) beside Ed25519 and P-256.

Revision ID: 0053_issuer_key_types
Revises: 0052_passwords_off
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0053_issuer_key_types"
down_revision = "0052_passwords_off"
branch_labels = None
depends_on = None

_NAME = "ck_issuer_keys_key_type"


def _check(types: str) -> None:
    # The old constraint is dropped by the name the database gave it (as 0034 does: SQLite
    # may hold it under the convention's name prefixed again). Batch mode: SQLite changes a
    # CHECK constraint only by copying the table (PostgreSQL alters it in place). op.f: the
    # new name as given.
    [old] = [check["name"] for check in sa.inspect(op.get_bind()).get_check_constraints(
        "issuer_keys") if "key_type" in check["sqltext"] and check["name"]]
    with op.batch_alter_table("issuer_keys") as table:
        table.drop_constraint(op.f(old), type_="check")
        table.create_check_constraint(op.f(_NAME), sa.text(f"key_type IN ({types})"))


def upgrade() -> None:
    _check("'Ed25519', 'P-256', 'P-384', 'P-521'")


def downgrade() -> None:
    # A P-384 or P-521 key cannot be kept under the old constraint: the downgrade refuses
    # (the database raises) rather than dropping keys whose credentials would stop verifying.
    _check("'Ed25519', 'P-256'")
