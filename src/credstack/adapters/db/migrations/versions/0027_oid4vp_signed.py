"""Signed OpenID for Verifiable Presentations requests: the organisation a request object is
signed as, its DID and the ``request_uri_method`` (see
:mod:`credstack.adapters.db.tables.oid4vc`). Unsigned requests leave the three empty.

Revision ID: 0027_oid4vp_signed
Revises: 0026_wallet_columns_last
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_oid4vp_signed"
down_revision = "0026_wallet_columns_last"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("oid4vp_requests", sa.Column("organisation", sa.String(64)))
    op.add_column("oid4vp_requests", sa.Column("client_did", sa.String(255)))
    op.add_column("oid4vp_requests", sa.Column("request_uri_method", sa.String(8)))


def downgrade() -> None:
    with op.batch_alter_table("oid4vp_requests") as batch:
        batch.drop_column("request_uri_method")
        batch.drop_column("client_did")
        batch.drop_column("organisation")
