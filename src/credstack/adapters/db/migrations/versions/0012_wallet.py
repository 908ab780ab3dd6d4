"""Learners' wallets: identifiers, holder keys, credentials, tags, collections, share links
(``tables/wallet.py``), and an index of issued credentials by learner.

Revision ID: 0012_wallet
Revises: 0011_password_resets
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    JSON_DOCUMENT,
    STAMP,
    create_table,
    foreign_key,
    sealed_secret,
)

revision = "0012_wallet"
down_revision = "0011_password_resets"
branch_labels = None
depends_on = None

#: (table, column) of every index on a foreign key, named as the tables name them.
_INDEXES = (
    ("wallet_identifiers", "user_id"),
    ("wallet_credentials", "user_id"),
    ("wallet_credentials", "credential_id"),
    ("wallet_tags", "credential_id"),
    ("wallet_collections", "user_id"),
    ("wallet_collection_items", "collection_id"),
    ("wallet_collection_items", "credential_id"),
    ("wallet_shares", "user_id"),
    ("wallet_shares", "credential_id"),
    ("wallet_shares", "collection_id"),
    # Delivering what was issued to a learner looks credentials up by learner.
    ("issued_credentials", "learner"),
)


def upgrade() -> None:
    create_table(
        "wallet_identifiers",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(500), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("verified_at", STAMP),
        foreign_key("wallet_identifiers", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("kind", "value", name="uq_wallet_identifiers_kind_value"),
    )
    create_table(
        "holder_keys",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("public_multibase", sa.String(128), nullable=False),
        *sealed_secret(required=True),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("holder_keys", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("user_id", name="uq_holder_keys_user_id"),
        sa.CheckConstraint("length(nonce) = 12", name="ck_holder_keys_nonce_length"),
    )
    create_table(
        "wallet_credentials",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("original", sa.LargeBinary, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255)),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_url", sa.String(2048)),
        sa.Column("credential_id", sa.String(2048)),
        sa.Column("recipient", sa.String(520)),
        sa.Column("imported_at", STAMP, nullable=False),
        sa.Column("import_report", JSON_DOCUMENT, nullable=False),
        sa.Column("entry", JSON_DOCUMENT, nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("failed_check", sa.String(64)),
        sa.Column("checked_at", STAMP, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        foreign_key("wallet_credentials", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("public_id", name="uq_wallet_credentials_public_id"),
        sa.UniqueConstraint("user_id", "digest", name="uq_wallet_credentials_user_digest"),
        sa.CheckConstraint("source IN ('upload', 'paste', 'url', 'issued')",
                           name="ck_wallet_credentials_source"),
    )
    create_table(
        "wallet_tags",
        sa.Column("credential_id", sa.Integer, nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        foreign_key("wallet_tags", "credential_id", "wallet_credentials", ondelete="CASCADE"),
        sa.UniqueConstraint("credential_id", "tag", name="uq_wallet_tags_credential_tag"),
    )
    create_table(
        "wallet_collections",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("wallet_collections", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("public_id", name="uq_wallet_collections_public_id"),
    )
    create_table(
        "wallet_collection_items",
        sa.Column("collection_id", sa.Integer, nullable=False),
        sa.Column("credential_id", sa.Integer, nullable=False),
        sa.Column("added_at", STAMP, nullable=False),
        foreign_key("wallet_collection_items", "collection_id", "wallet_collections",
                    ondelete="CASCADE"),
        foreign_key("wallet_collection_items", "credential_id", "wallet_credentials",
                    ondelete="CASCADE"),
        sa.UniqueConstraint("collection_id", "credential_id",
                            name="uq_wallet_collection_items_collection_credential"),
    )
    create_table(
        "wallet_dismissed",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("credential_id", sa.String(2048), nullable=False),
        sa.Column("dismissed_at", STAMP, nullable=False),
        foreign_key("wallet_dismissed", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("user_id", "credential_id",
                            name="uq_wallet_dismissed_user_credential"),
    )
    create_table(
        "wallet_shares",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("credential_id", sa.Integer),
        sa.Column("collection_id", sa.Integer),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("access_code_hash", sa.String(255)),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP),
        sa.Column("revoked_at", STAMP),
        sa.Column("views", sa.Integer, nullable=False),
        sa.Column("last_viewed_at", STAMP),
        foreign_key("wallet_shares", "user_id", "users", ondelete="CASCADE"),
        foreign_key("wallet_shares", "credential_id", "wallet_credentials",
                    ondelete="CASCADE"),
        foreign_key("wallet_shares", "collection_id", "wallet_collections",
                    ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_wallet_shares_token_hash"),
        sa.CheckConstraint("(credential_id IS NULL) <> (collection_id IS NULL)",
                           name="ck_wallet_shares_one_target"),
    )
    for table, column in _INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in reversed(_INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    for table in ("wallet_shares", "wallet_dismissed", "wallet_collection_items",
                  "wallet_collections", "wallet_tags", "wallet_credentials", "holder_keys",
                  "wallet_identifiers"):
        op.drop_table(table)
