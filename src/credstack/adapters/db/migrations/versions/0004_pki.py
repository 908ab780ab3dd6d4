"""Organisations' X.509 certificates for signed PDFs: a certificate authority and the
document-signing certificate it issues, their private keys sealed with the master key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import (
    NOT_RETIRED,
    STAMP,
    create_partial_unique_index,
    create_table,
    foreign_key,
    retirable,
    sealed_secret,
)

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        "organisation_certificates",
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
        # An authority made elsewhere (external) has no key of ours.
        *sealed_secret(required=False),
        *retirable(),
        foreign_key("organisation_certificates", "organisation_id", "organisations"),
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
    create_partial_unique_index("uq_organisation_certificates_active",
                                "organisation_certificates", ["organisation_id", "role"],
                                NOT_RETIRED)


def downgrade() -> None:
    op.drop_index("uq_organisation_certificates_active",
                  table_name="organisation_certificates")
    op.drop_index("ix_organisation_certificates_subject_key_id",
                  table_name="organisation_certificates")
    op.drop_index("ix_organisation_certificates_organisation_id",
                  table_name="organisation_certificates")
    op.drop_table("organisation_certificates")
