"""PDF certificates: revocation of document-signing certificates and the CRLs each
organisation's authority publishes.

Revision ID: 0009_pki_revocation
Revises: 0008_review
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_pki_revocation"
down_revision = "0008_review"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column[object]]:
    return [
        # When a signing certificate was revoked, and why (an RFC 5280 reason name).
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("revocation_reason", sa.String(32)),
        # An authority's current CRL (DER) and the number of the last CRL it signed.
        sa.Column("crl", sa.LargeBinary),
        sa.Column("crl_number", sa.Integer),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("organisation_certificates", column)


def downgrade() -> None:
    with op.batch_alter_table("organisation_certificates") as batch:
        for column in reversed(_columns()):
            batch.drop_column(column.name)
