"""Issued credentials' end of validity, as a column with an index: the daily expiry notices
find the credentials ending soon without reading every credential's document.

The column is filled from each stored document (``validUntil``, ``expirationDate`` or a
VC-JWT's ``exp``), a thousand rows at a time.

Revision ID: 0036_credential_valid_until
Revises: 0035_employer_roles
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from credstack.adapters.db.migrations.ddl import STAMP
from credstack.core.activity.notices import valid_until_of

revision = "0036_credential_valid_until"
down_revision = "0035_employer_roles"
branch_labels = None
depends_on = None

#: Rows read and written per round trip while filling the column.
_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("issued_credentials") as table:
        table.add_column(sa.Column("valid_until", STAMP, nullable=True))
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(sa.text(
            "SELECT id, document FROM issued_credentials WHERE id > :after ORDER BY id "
            "LIMIT :batch"), {"after": after, "batch": _BATCH}).all()
        if not rows:
            break
        after = rows[-1][0]
        ending = [{"id": row_id, "until": until} for row_id, document in rows
                  if (until := valid_until_of(document)) is not None]
        if ending:
            connection.execute(sa.text(
                "UPDATE issued_credentials SET valid_until = :until WHERE id = :id"
            ).bindparams(sa.bindparam("until", type_=STAMP)), ending)
    op.create_index("ix_issued_credentials_valid_until", "issued_credentials",
                    ["organisation_id", "valid_until"])


def downgrade() -> None:
    op.drop_index("ix_issued_credentials_valid_until", table_name="issued_credentials")
    with op.batch_alter_table("issued_credentials") as table:
        table.drop_column("valid_until")
