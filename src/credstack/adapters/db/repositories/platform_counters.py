"""The platform's counters (``platform_counters``: each figure by month, raised in the
transaction of the event it counts, read by month and in total), and the store's size beside
them on the console's health page."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from credstack.adapters.db.tables import PlatformCounterRow

__all__ = ["add_to_counters", "counters", "database_size", "totals"]


def add_to_counters(session: Session, *, month: str, amounts: Iterable[tuple[str, int]]
                    ) -> None:
    """Add each ``(figure, amount)`` to its counter of ``month`` (made at the first event):
    one upsert per figure, so concurrent events add up instead of overwriting each other."""
    insert = (postgresql_insert if session.get_bind().dialect.name == "postgresql"
              else sqlite_insert)
    for figure, amount in amounts:
        statement = insert(PlatformCounterRow).values(figure=figure, month=month, count=amount)
        session.execute(statement.on_conflict_do_update(
            index_elements=["figure", "month"],
            set_={"count": PlatformCounterRow.count + statement.excluded.count}))


def counters(session: Session, *, first: str, last: str) -> dict[tuple[str, str], int]:
    """Every counter from month ``first`` to ``last`` (``2026-11``), by (figure, month)."""
    rows = session.execute(select(PlatformCounterRow.figure, PlatformCounterRow.month,
                                  PlatformCounterRow.count).where(
        PlatformCounterRow.month >= first, PlatformCounterRow.month <= last))
    return {(figure, month): int(count) for figure, month, count in rows}


def totals(session: Session) -> dict[str, int]:
    """Each figure's count over all months."""
    rows = session.execute(select(PlatformCounterRow.figure,
                                  func.sum(PlatformCounterRow.count))
                           .group_by(PlatformCounterRow.figure))
    return {figure: int(total or 0) for figure, total in rows}


def database_size(session: Session) -> int | None:
    """The store's size in bytes (the database on PostgreSQL, the file's pages on SQLite);
    None when the store cannot say."""
    if session.get_bind().dialect.name == "postgresql":
        size = session.scalar(text("SELECT pg_database_size(current_database())"))
        return int(size) if size is not None else None
    pages = session.scalar(text("PRAGMA page_count"))
    page_size = session.scalar(text("PRAGMA page_size"))
    return int(pages) * int(page_size) if pages is not None and page_size is not None else None
