"""Many new rows of one table at once, in the caller's transaction.

On PostgreSQL the rows go through ``COPY … FROM STDIN``. psycopg sends an ``executemany``
INSERT as one statement a row (pipelined), which the server parses, binds and runs each time:
0.4 ms a row for a cohort's 7 KB credentials, most of a 100,000-learner cohort's time. COPY
streams the rows, parsed as they come, while a thread of the client's sends what it has
formatted. A few rows, and every row on SQLite, go in one ``executemany`` INSERT, the fast
way there.

What COPY does not do is run SQLAlchemy's Python-side column defaults: every row names every
column it fills, and the rest take the database's own defaults (NULL, a sequence).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from psycopg import sql
from psycopg.copy import QueuedLibpqWriter
from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Table, delete, insert, select
from sqlalchemy.orm import Session

from credstack.adapters.db.driver import QUEUED, driver_cursor, driver_errors, in_pipeline
from credstack.adapters.db.tables import Base

__all__ = ["delete_batch", "insert_rows"]

#: From this many rows on, PostgreSQL is sent COPY (below, an INSERT is as quick).
COPY_FROM = 50


def insert_rows(session: Session, table: type[Base], rows: Sequence[Mapping[str, Any]]
                ) -> None:
    """Insert ``rows`` (column name → value, the same columns in each) into ``table``."""
    if not rows:
        return
    described: Table = table.__table__  # type: ignore[assignment]
    if (len(rows) < COPY_FROM or session.get_bind().dialect.name != "postgresql"
            or in_pipeline(session)):
        # Core's executemany on the table, not the ORM's bulk INSERT of the mapped class:
        # the same statement and parameters without the ORM's bookkeeping of each row
        # (a third of the INSERT's Python time for a cohort's chunk). Rows the session holds
        # but has not written yet go first, as the ORM's INSERT would send them. Queued in a
        # pipeline (which COPY cannot be sent in): nothing is read of its answer, not even
        # the new key a single row's INSERT returns unless it is inline (a batch of one
        # waited for its answer there).
        session.flush()
        session.connection().execute(insert(described).inline(), rows,
                                     execution_options={QUEUED: True})
        return
    columns = list(rows[0])
    dialect = session.get_bind().dialect
    json = {name for name in columns
            if isinstance(described.c[name].type.dialect_impl(dialect), JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(described.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    # Rows the session holds but has not written yet (a status list these rows refer to)
    # must be in the database before COPY checks the foreign keys.
    session.flush()
    with driver_errors(f"COPY {described.name}"), driver_cursor(session) as cursor, \
            cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
        for row in rows:
            copy.write_row([Jsonb(row[name]) if name in json and row[name] is not None
                            else row[name] for name in columns])


def delete_batch(session: Session, column: Any, condition: Any, batch: int) -> tuple[int, bool]:
    """Delete up to ``batch`` of the rows of ``column``'s table that meet ``condition``, by
    that (id) column: how many this transaction deleted (another may have taken some), and
    whether there may be more."""
    ids = list(session.scalars(select(column).where(condition).order_by(column).limit(batch)))
    if not ids:
        return 0, False
    done = session.execute(delete(column.class_).where(column.in_(ids)).execution_options(
        synchronize_session=False))
    return int(getattr(done, "rowcount", len(ids))), len(ids) == batch
