"""PostgreSQL's planner statistics, gathered again after bulk writes.

PostgreSQL plans each query from the statistics ``ANALYZE`` last gathered, and autovacuum
gathers them only a while after a table has grown, or never where it is off. A table filled
in one go keeps the statistics of its empty self meanwhile: ``key IN (…)`` on a unique index
is planned as a scan of the whole table, and a bulk job slows down with every row it has
stored (a 100,000-learner cohort took 594 s instead of a minute). ``ANALYZE`` samples a
bounded number of rows and skips values over 1 KB, so it costs a fraction of a second
however large the table. SQLite plans from its indexes alone and needs none of this.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import Base

__all__ = ["refresh"]


def refresh(session: Session, tables: Sequence[type[Base]]) -> None:
    """Gather PostgreSQL's planner statistics of the ``tables`` rows are stored in, now, in
    the caller's transaction (nothing on SQLite)."""
    if tables and session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE " + ", ".join(row.__tablename__ for row in tables)))
