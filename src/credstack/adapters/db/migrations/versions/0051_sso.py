"""Campus single sign-on (issue 57): ``sso_providers`` (an organisation's identity
providers), ``sso_role_rules`` (attribute values that give roles), ``sso_identities`` (an
issuer and stable subject linked to an account), ``sso_pending_links`` (waiting for the
account's owner to confirm) and ``sso_spent_states`` (sign-in states used once).

Revision ID: 0051_sso
Revises: 0050_passkeys
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0051_sso"
down_revision = "0050_passkeys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "sso_providers",
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("config", JSON_DOCUMENT, nullable=False),
        sa.Column("secret", sa.Text),
        sa.Column("allowed_roles", sa.String(200), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("sso_providers", "organisation_id", "organisations"),
        sa.UniqueConstraint("slug", name="uq_sso_providers_slug"),
    )
    op.create_index("ix_sso_providers_organisation_id", "sso_providers", ["organisation_id"])
    create_table(
        "sso_role_rules",
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("attribute", sa.String(200), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        foreign_key("sso_role_rules", "provider_id", "sso_providers", ondelete="CASCADE"),
        sa.UniqueConstraint("provider_id", "attribute", "value", "role",
                            name="uq_sso_role_rules"),
    )
    op.create_index("ix_sso_role_rules_provider_id", "sso_role_rules", ["provider_id"])
    create_table(
        "sso_identities",
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("granted_roles", sa.String(200), nullable=False),
        sa.Column("linked_at", STAMP, nullable=False),
        sa.Column("last_signed_in_at", STAMP),
        foreign_key("sso_identities", "provider_id", "sso_providers", ondelete="CASCADE"),
        foreign_key("sso_identities", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("issuer", "subject", name="uq_sso_identities"),
    )
    op.create_index("ix_sso_identities_provider_id", "sso_identities", ["provider_id"])
    op.create_index("ix_sso_identities_user_id", "sso_identities", ["user_id"])
    create_table(
        "sso_pending_links",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("provider_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("attributes", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP),
        foreign_key("sso_pending_links", "provider_id", "sso_providers", ondelete="CASCADE"),
        foreign_key("sso_pending_links", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_sso_pending_links_token_hash"),
    )
    op.create_index("ix_sso_pending_links_provider_id", "sso_pending_links", ["provider_id"])
    op.create_index("ix_sso_pending_links_user_id", "sso_pending_links", ["user_id"])
    create_table(
        "sso_spent_states",
        sa.Column("state_id", sa.String(64), nullable=False),
        sa.Column("spent_at", STAMP, nullable=False),
        sa.UniqueConstraint("state_id", name="uq_sso_spent_states_state_id"),
    )
    op.create_index("ix_sso_spent_states_spent_at", "sso_spent_states", ["spent_at"])


def downgrade() -> None:
    for table in ("sso_spent_states", "sso_pending_links", "sso_identities", "sso_role_rules",
                  "sso_providers"):
        op.drop_table(table)
