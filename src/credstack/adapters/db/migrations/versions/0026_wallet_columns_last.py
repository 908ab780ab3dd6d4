"""Wallet credentials: on SQLite, the original bytes and the import report move to the end of
each row.

SQLite keeps a row's columns in the order the table declares them, and a value that does not
fit in the row's page continues on overflow pages. ``original`` (a credential, ~11 KB) and
``import_report`` (~18 KB) stood before the columns the timeline reads, so reading those
walked every overflow page of both: 1,000 credentials' listed columns took 18 ms, 9 ms now.

SQLite cannot reorder columns, and copying the table into a new one would drop the old one,
which deletes (``ON DELETE CASCADE``) every tag, collection item and share of the wallet.
So each column is added again at the end, filled, and the old one dropped and the new one
renamed: the table, its keys and what refers to it stay. The default each new column needs
to be added ``NOT NULL`` is never used (every row has its value).

PostgreSQL keeps large values out of line already (TOAST): nothing to do there.

Revision ID: 0026_wallet_columns_last
Revises: 0023_skills (the last: skills came after the OID4VC tables)
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0026_wallet_columns_last"
down_revision = "0023_skills"
branch_labels = None
depends_on = None

#: (column, its SQLite type, the default that lets it be added NOT NULL).
MOVED = (("original", "BLOB", "x''"), ("import_report", "JSON", "'{}'"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for column, kind, default in MOVED:
        op.execute(f"ALTER TABLE wallet_credentials ADD COLUMN {column}_moved {kind} NOT NULL "
                   f"DEFAULT {default}")
    op.execute("UPDATE wallet_credentials SET original_moved = original, "
               "import_report_moved = import_report")
    for column, _, _ in MOVED:
        op.execute(f"ALTER TABLE wallet_credentials DROP COLUMN {column}")
        op.execute(f"ALTER TABLE wallet_credentials RENAME COLUMN {column}_moved TO {column}")


def downgrade() -> None:
    # Where a column stands in a row changes no value: nothing to undo.
    pass
