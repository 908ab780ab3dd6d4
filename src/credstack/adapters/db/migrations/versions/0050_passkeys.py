"""Passkeys (issue 57): ``passkeys`` keeps each account's WebAuthn credentials (id, public
key, signature counter, transports, name, made and last used), ``passkey_challenges`` the
ceremonies begun and not yet finished (a challenge bound to one browser, used once).

Revision ID: 0050_passkeys
Revises: 0049_lti_registration_tokens
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP, create_table, foreign_key

revision = "0050_passkeys"
down_revision = "0049_lti_registration_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "passkeys",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("credential_id", sa.String(1400), nullable=False),
        sa.Column("user_handle", sa.String(128), nullable=False),
        sa.Column("public_key", sa.LargeBinary, nullable=False),
        sa.Column("sign_count", sa.BigInteger, nullable=False),
        sa.Column("transports", sa.String(200), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("last_used_at", STAMP),
        foreign_key("passkeys", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("credential_id", name="uq_passkeys_credential_id"),
    )
    op.create_index("ix_passkeys_user_id", "passkeys", ["user_id"])
    op.create_index("ix_passkeys_user_handle", "passkeys", ["user_handle"])
    create_table(
        "passkey_challenges",
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("binding_hash", sa.String(64), nullable=False),
        sa.Column("challenge", sa.String(128), nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("user_handle", sa.String(128)),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        foreign_key("passkey_challenges", "user_id", "users", ondelete="CASCADE"),
    )
    op.create_index("ix_passkey_challenges_binding_hash", "passkey_challenges",
                    ["binding_hash"])
    op.create_index("ix_passkey_challenges_expires_at", "passkey_challenges", ["expires_at"])


def downgrade() -> None:
    op.drop_table("passkey_challenges")
    op.drop_table("passkeys")
