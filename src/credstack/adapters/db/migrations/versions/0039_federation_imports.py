"""Other registries' recognised providers, imported and kept apart (issue 42, part 4).

The registries imported from (an OpenID Federation anchor or a CTDL graph), the providers
each lists and their issuer DIDs; a source's rows go with it.

Revision ID: 0039_federation_imports
Revises: 0038_lti_identities
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import JSON_DOCUMENT, STAMP, create_table, foreign_key

revision = "0039_federation_imports"
down_revision = "0038_lti_identities"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "federation_sources",
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", JSON_DOCUMENT, nullable=False),
        sa.Column("fetched_at", STAMP, nullable=False),
        sa.Column("valid_until", STAMP),
        sa.UniqueConstraint("url", name="uq_federation_sources_url"),
    )
    create_table(
        "federation_listings",
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.String(2048), nullable=False),
        sa.Column("name", JSON_DOCUMENT, nullable=False),
        sa.Column("country", sa.String(8)),
        sa.Column("url", sa.Text),
        sa.Column("programmes", JSON_DOCUMENT, nullable=False),
        sa.Column("recognised", sa.Boolean, nullable=False),
        foreign_key("federation_listings", "source_id", "federation_sources",
                    "CASCADE"),
        sa.UniqueConstraint("source_id", "entity_id",
                            name="uq_federation_listings_entity"),
    )
    op.create_index("ix_federation_listings_source_id",
                    "federation_listings", ["source_id"])
    create_table(
        "federation_listing_dids",
        sa.Column("listing_id", sa.Integer, nullable=False),
        sa.Column("did", sa.String(2048), nullable=False),
        foreign_key("federation_listing_dids", "listing_id", "federation_listings",
                    "CASCADE"),
        sa.UniqueConstraint("listing_id", "did",
                            name="uq_federation_listing_dids_listing_did"),
    )
    op.create_index("ix_federation_listing_dids_listing_id", "federation_listing_dids",
                    ["listing_id"])
    op.create_index("ix_federation_listing_dids_did", "federation_listing_dids", ["did"])


def downgrade() -> None:
    for table in ("federation_listing_dids", "federation_listings",
                  "federation_sources"):
        op.drop_table(table)
