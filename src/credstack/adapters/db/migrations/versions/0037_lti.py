"""LTI 1.3: credstack as an LTI Advantage tool (issue 43).

The tool's keys, the platforms organisations registered and their deployments, the OIDC
logins (each state and nonce used once), verified launches, course links (a programme and
its rule) and each link's learners with what was decided and issued.

Revision ID: 0037_lti
Revises: 0036_credential_valid_until
Create Date: 2026-11-26
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

revision = "0037_lti"
down_revision = "0036_credential_valid_until"
branch_labels = None
depends_on = None

_PLATFORM = ("lti_platforms", "CASCADE")


def upgrade() -> None:
    create_table(
        "lti_tool_keys",
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("public_jwk", JSON_DOCUMENT, nullable=False),
        *sealed_secret(required=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.UniqueConstraint("kid", name="uq_lti_tool_keys_kid"),
    )
    create_table(
        "lti_platforms",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("client_id", sa.String(255), nullable=False),
        sa.Column("login_url", sa.Text, nullable=False),
        sa.Column("token_url", sa.Text, nullable=False),
        sa.Column("jwks_url", sa.Text, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        foreign_key("lti_platforms", "organisation_id", "organisations"),
        sa.UniqueConstraint("issuer", "client_id", name="uq_lti_platforms_issuer_client"),
    )
    op.create_index("ix_lti_platforms_organisation_id", "lti_platforms", ["organisation_id"])
    create_table(
        "lti_deployments",
        sa.Column("platform_id", sa.Integer, nullable=False),
        sa.Column("deployment_id", sa.String(255), nullable=False),
        foreign_key("lti_deployments", "platform_id", *_PLATFORM),
        sa.UniqueConstraint("platform_id", "deployment_id",
                            name="uq_lti_deployments_platform_deployment"),
    )
    op.create_index("ix_lti_deployments_platform_id", "lti_deployments", ["platform_id"])
    create_table(
        "lti_logins",
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("platform_id", sa.Integer, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP),
        foreign_key("lti_logins", "platform_id", *_PLATFORM),
        sa.UniqueConstraint("state", name="uq_lti_logins_state"),
        sa.UniqueConstraint("nonce", name="uq_lti_logins_nonce"),
    )
    op.create_index("ix_lti_logins_platform_id", "lti_logins", ["platform_id"])
    create_table(
        "lti_launches",
        sa.Column("public_id", sa.String(64), nullable=False),
        sa.Column("platform_id", sa.Integer, nullable=False),
        sa.Column("claims", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("used_at", STAMP),
        foreign_key("lti_launches", "platform_id", *_PLATFORM),
        sa.UniqueConstraint("public_id", name="uq_lti_launches_public_id"),
    )
    op.create_index("ix_lti_launches_platform_id", "lti_launches", ["platform_id"])
    create_table(
        "lti_links",
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("platform_id", sa.Integer, nullable=False),
        sa.Column("deployment_id", sa.String(255), nullable=False),
        sa.Column("context_id", sa.String(255), nullable=False),
        sa.Column("context_title", sa.String(500), nullable=False),
        sa.Column("resource_link_id", sa.String(255)),
        sa.Column("programme_id", sa.Integer, nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("line_item", sa.String(500), nullable=False),
        sa.Column("minimum", sa.Float),
        sa.Column("memberships_url", sa.Text),
        sa.Column("lineitems_url", sa.Text),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("synced_at", STAMP),
        foreign_key("lti_links", "platform_id", *_PLATFORM),
        foreign_key("lti_links", "programme_id", "programmes"),
        sa.UniqueConstraint("public_id", name="uq_lti_links_public_id"),
    )
    op.create_index("ix_lti_links_platform_id", "lti_links", ["platform_id"])
    create_table(
        "lti_learners",
        sa.Column("link_id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("score", sa.Float),
        sa.Column("maximum", sa.Float),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("credential_id", sa.String(2048)),
        sa.Column("updated_at", STAMP, nullable=False),
        foreign_key("lti_learners", "link_id", "lti_links", "CASCADE"),
        sa.UniqueConstraint("link_id", "user_id", name="uq_lti_learners_link_user"),
    )
    op.create_index("ix_lti_learners_link_id", "lti_learners", ["link_id"])


def downgrade() -> None:
    for table in ("lti_learners", "lti_links", "lti_launches", "lti_logins", "lti_deployments",
                  "lti_platforms", "lti_tool_keys"):
        op.drop_table(table)
