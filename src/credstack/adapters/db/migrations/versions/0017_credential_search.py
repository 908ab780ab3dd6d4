"""Issued credentials: the learner's name as the issuer gave it (``learner_name``), and the
indexes that keep an organisation's list of 100,000 credentials quick to page, count and
filter (by status, programme version, batch and date) without reading the signed documents.

Credentials issued before this migration have no name here (the list shows their learner's
key, the e-mail address or number they were issued for).

Revision ID: 0017_credential_search
Revises: 0016_invitations
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_credential_search"
down_revision = "0016_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("issued_credentials", sa.Column("learner_name", sa.String(500)))
    op.create_index("ix_issued_credentials_listing", "issued_credentials",
                    ["organisation_id", "id"])
    # Every filter and the searched text in one index: a search reads the index alone (and
    # the row id each entry carries), never the rows with their large documents.
    op.create_index("ix_issued_credentials_search", "issued_credentials",
                    ["organisation_id", "state", "programme_version_id", "issued_at", "batch",
                     "learner", "learner_name"])


def downgrade() -> None:
    op.drop_index("ix_issued_credentials_search", table_name="issued_credentials")
    op.drop_index("ix_issued_credentials_listing", table_name="issued_credentials")
    with op.batch_alter_table("issued_credentials") as table:
        table.drop_column("learner_name")
