"""Encrypted OpenID for Verifiable Presentations responses: the ``response_mode`` of a
presentation request (``direct_post.jwt``; empty for ``direct_post``). The decryption key is
derived from the master key and the request's public id, so nothing secret is stored.

Revision ID: 0028_oid4vp_encrypted
Revises: 0027_oid4vp_signed
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_oid4vp_encrypted"
down_revision = "0027_oid4vp_signed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("oid4vp_requests", sa.Column("response_mode", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("oid4vp_requests") as batch:
        batch.drop_column("response_mode")
