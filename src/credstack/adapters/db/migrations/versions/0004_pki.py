"""Organisations' X.509 certificates for signed PDFs: a certificate authority and the
document-signing certificate it issues, their private keys sealed with the master key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

STAMP = sa.DateTime(timezone=True)
ACTIVE = sa.text("retired_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "organisation_certificates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("certificate", sa.LargeBinary, nullable=False),
        sa.Column("subject_key_id", sa.String(128), nullable=False),
        sa.Column("authority_key_id", sa.String(128)),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("not_before", STAMP, nullable=False),
        sa.Column("not_after", STAMP, nullable=False),
        sa.Column("external", sa.Boolean, nullable=False),
        sa.Column("key_fragment", sa.String(32)),
        sa.Column("public_multibase", sa.String(128)),
        sa.Column("master_key_id", sa.String(32)),
        sa.Column("encrypted_secret", sa.LargeBinary),
        sa.Column("nonce", sa.LargeBinary),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("retired_at", STAMP),
        sa.PrimaryKeyConstraint("id", name="pk_organisation_certificates"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"],
            name="fk_organisation_certificates_organisation_id_organisations"),
        sa.UniqueConstraint("fingerprint", name="uq_organisation_certificates_fingerprint"),
        sa.UniqueConstraint("organisation_id", "key_fragment",
                            name="uq_organisation_certificates_organisation_key_fragment"),
        sa.CheckConstraint("role IN ('authority', 'signing')",
                           name="ck_organisation_certificates_role"),
        sa.CheckConstraint("(key_fragment IS NULL) = (encrypted_secret IS NULL) AND "
                           "(key_fragment IS NULL) = (nonce IS NULL) AND "
                           "(key_fragment IS NULL) = (public_multibase IS NULL) AND "
                           "(key_fragment IS NULL) = (master_key_id IS NULL)",
                           name="ck_organisation_certificates_sealed_key"),
        sa.CheckConstraint("nonce IS NULL OR length(nonce) = 12",
                           name="ck_organisation_certificates_nonce_length"),
    )
    op.create_index("ix_organisation_certificates_organisation_id",
                    "organisation_certificates", ["organisation_id"])
    op.create_index("ix_organisation_certificates_subject_key_id",
                    "organisation_certificates", ["subject_key_id"])
    # One active authority and one active signing certificate per organisation.
    op.create_index("uq_organisation_certificates_active", "organisation_certificates",
                    ["organisation_id", "role"], unique=True, sqlite_where=ACTIVE,
                    postgresql_where=ACTIVE)


def downgrade() -> None:
    op.drop_index("uq_organisation_certificates_active",
                  table_name="organisation_certificates")
    op.drop_index("ix_organisation_certificates_subject_key_id",
                  table_name="organisation_certificates")
    op.drop_index("ix_organisation_certificates_organisation_id",
                  table_name="organisation_certificates")
    op.drop_table("organisation_certificates")
