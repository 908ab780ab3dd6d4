"""Organisations keep their corporate number (法人番号), checked against its check digit
before it is stored, for the public page and the federation's statement (issue 42).

An organisation made from an approved provider application had its number only on the
application: it is copied over.

Revision ID: 0040_corporate_number
Revises: 0039_federation_imports
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0040_corporate_number"
down_revision = "0039_federation_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("corporate_number", sa.String(13)))
    op.execute(
        "UPDATE organisations SET corporate_number = ("
        "SELECT provider_applications.corporate_number FROM provider_applications "
        "WHERE provider_applications.organisation_slug = organisations.slug "
        "AND provider_applications.status = 'approved' "
        "ORDER BY provider_applications.id DESC LIMIT 1)"
    )


def downgrade() -> None:
    # Not a batch: on SQLite that copies the table, which other tables' rows point at.
    # Both databases drop a plain column in place (SQLite since 3.35).
    op.execute("ALTER TABLE organisations DROP COLUMN corporate_number")
