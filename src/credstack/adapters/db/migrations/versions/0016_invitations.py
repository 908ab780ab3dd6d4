"""Invitations to join an organisation, and the organisation's public contact and description.

* ``invitations``: an organisation's administrator invites an e-mail address to take a role
  (``tables/invitations.py``). The link's token is random and kept as its SHA-256 digest; it is
  used once, before it expires, or revoked. At most one invitation per organisation and
  address is pending (not accepted, not revoked): inviting the same address again renews it.
* ``organisations.email`` and ``organisations.description`` (a text per language): what the
  organisation's public profile says besides its names and web site.

Revision ID: 0016_invitations
Revises: 0015_mail
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    JSON_DOCUMENT,
    STAMP,
    create_partial_unique_index,
    create_table,
    foreign_key,
)

revision = "0016_invitations"
down_revision = "0015_mail"
branch_labels = None
depends_on = None

PENDING = "accepted_at IS NULL AND revoked_at IS NULL"


def upgrade() -> None:
    create_table(
        "invitations",
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("invited_by", sa.String(200), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("expires_at", STAMP, nullable=False),
        sa.Column("accepted_at", STAMP),
        sa.Column("accepted_by", sa.Integer),
        sa.Column("revoked_at", STAMP),
        foreign_key("invitations", "organisation_id", "organisations", ondelete="CASCADE"),
        foreign_key("invitations", "accepted_by", "users", ondelete="SET NULL"),
        sa.UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
        sa.CheckConstraint("expires_at > created_at",
                           name="ck_invitations_expires_after_creation"),
    )
    op.create_index("ix_invitations_organisation_id", "invitations", ["organisation_id"])
    # One pending invitation per organisation and address, whoever writes.
    create_partial_unique_index("ix_invitations_pending", "invitations",
                                ["organisation_id", "email"], PENDING)
    op.add_column("organisations", sa.Column("email", sa.String(320)))
    op.add_column("organisations", sa.Column("description", JSON_DOCUMENT))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as table:
        table.drop_column("description")
        table.drop_column("email")
    op.drop_index("ix_invitations_pending", table_name="invitations")
    op.drop_index("ix_invitations_organisation_id", table_name="invitations")
    op.drop_table("invitations")
