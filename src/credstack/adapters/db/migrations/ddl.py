"""The pieces the migrations build their tables from: types, column groups, keys, indexes.

Existing stores were built from the migrations, so what a migration emits must never change:
change nothing here that a migration already uses (add a new helper instead), and keep each
migration's trigger text in the migration itself, since SQLite stores it as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

#: Every timestamp is timezone-aware.
STAMP = sa.DateTime(timezone=True)
#: A JSON document, JSONB on PostgreSQL.
JSON_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")
#: The rows of keys and certificates still in use; retired ones are kept for verifying.
NOT_RETIRED = "retired_at IS NULL"


def create_table(name: str, *elements: sa.schema.SchemaItem,
                 autoincrement: bool | Literal["auto"] = "auto") -> sa.Table:
    """``op.create_table`` with the surrogate key every table has: an integer ``id``, its
    primary key named ``pk_<table>``, before the table's own columns."""
    return op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=autoincrement),
        *elements,
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )


def foreign_key(table: str, column: str, target: str,
                ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """``column`` of ``table`` points at the ``id`` of ``target``, named
    ``fk_<table>_<column>_<target>``."""
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], ondelete=ondelete,
                                   name=f"fk_{table}_{column}_{target}")


def sealed_secret(*, required: bool) -> list[sa.Column[Any]]:
    """A private key sealed with the master key: which master key, the ciphertext, the nonce."""
    return [
        sa.Column("master_key_id", sa.String(32), nullable=not required),
        sa.Column("encrypted_secret", sa.LargeBinary, nullable=not required),
        sa.Column("nonce", sa.LargeBinary, nullable=not required),
    ]


def retirable() -> list[sa.Column[Any]]:
    """When a key or certificate was made and, once replaced, retired (never deleted)."""
    return [
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("retired_at", STAMP),
    ]


def create_partial_unique_index(name: str, table: str, columns: list[str], where: str) -> None:
    """A unique index over the rows ``where`` holds, which SQLite (3.8+) and PostgreSQL both
    enforce for every writer."""
    condition = sa.text(where)
    op.create_index(name, table, columns, unique=True, sqlite_where=condition,
                    postgresql_where=condition)


def execute_per_dialect(*, postgresql: Sequence[str], sqlite: Sequence[str]) -> None:
    """Run the statements written for the store's dialect (triggers, functions)."""
    statements = postgresql if op.get_bind().dialect.name == "postgresql" else sqlite
    for statement in statements:
        op.execute(statement)
