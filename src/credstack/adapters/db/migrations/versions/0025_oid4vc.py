"""OpenID for Verifiable Credentials: credential offers, used nonces and presentation
requests (see :mod:`credstack.adapters.db.tables.oid4vc`); the access tokens are the
authorization server's (``0024_oauth``).

Revision ID: 0025_oid4vc
Revises: 0024_oauth
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0025_oid4vc"
down_revision = "0024_oauth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "oid4vci_offers",
        sa.Column("public_id", sa.String(64), nullable=False),
        sa.Column("credential_id", sa.Integer, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("tx_code_hash", sa.String(64)),
        sa.Column("tx_attempts", sa.Integer, nullable=False),
        sa.Column("configurations", sa.String(400), nullable=False),
        sa.Column("issuer_state", sa.String(64)),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("redeemed_at", STAMP),
        foreign_key("oid4vci_offers", "credential_id", "issued_credentials", ondelete="CASCADE"),
        sa.UniqueConstraint("public_id", name="uq_oid4vci_offers_public_id"),
        sa.UniqueConstraint("code_hash", name="uq_oid4vci_offers_code_hash"),
        sa.UniqueConstraint("issuer_state", name="uq_oid4vci_offers_issuer_state"),
    )
    op.create_index("ix_oid4vci_offers_credential_id", "oid4vci_offers", ["credential_id"])
    create_table(
        "oid4vci_nonces",
        sa.Column("nonce_hash", sa.String(64), nullable=False),
        sa.Column("used_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.UniqueConstraint("nonce_hash", name="uq_oid4vci_nonces_nonce_hash"),
    )
    op.create_index("ix_oid4vci_nonces_expires_at", "oid4vci_nonces", ["expires_at"])
    create_table(
        "oid4vp_requests",
        sa.Column("public_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("query", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("responded_at", STAMP),
        sa.Column("outcome", sa.String(32)),
        sa.Column("response", JSON_DOCUMENT),
        sa.Column("report", JSON_DOCUMENT),
        foreign_key("oid4vp_requests", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("public_id", name="uq_oid4vp_requests_public_id"),
    )
    op.create_index("ix_oid4vp_requests_user_id", "oid4vp_requests", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_oid4vp_requests_user_id", table_name="oid4vp_requests")
    op.drop_table("oid4vp_requests")
    op.drop_index("ix_oid4vci_nonces_expires_at", table_name="oid4vci_nonces")
    op.drop_table("oid4vci_nonces")
    op.drop_index("ix_oid4vci_offers_credential_id", table_name="oid4vci_offers")
    op.drop_table("oid4vci_offers")
