"""The platform's counters (``platform_counters``: each figure by month, raised in the
transaction of the event it counts, read by month and in total), and the store's size beside
them on the console's health page."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from credstack.adapters.db.driver import QUEUED
from credstack.adapters.db.tables import PlatformCounterRow

__all__ = ["add_to_counters", "counters", "database_size", "totals", "upsert"]


def add_to_counters(session: Session, *, month: str, amounts: Iterable[tuple[str, int]]
                    ) -> None:
    """Add each ``(figure, amount)`` to its counter of ``month`` (made at the first event):
    one upsert per figure, so concurrent events add up instead of overwriting each other."""
    rows = [{"figure": figure, "month": month, "amount": amount}
            for figure, amount in amounts]
    if rows:
        # Queued in a pipeline (adapters.db.driver): nothing is read of its answer.
        session.execute(upsert(session.get_bind().dialect.name), rows,
                        execution_options={QUEUED: True})


@cache
def upsert(dialect: str) -> Any:
    """The upsert of one counter (parameters ``figure``, ``month``, ``amount``), built once
    per dialect: building it took most of an
    issue batch's count (bench/load.py issue), the database little of it."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table: Table = PlatformCounterRow.__table__  # type: ignore[assignment]
    return insert(table).values(
        figure=bindparam("figure"), month=bindparam("month"), count=bindparam("amount")
    ).on_conflict_do_update(index_elements=[table.c.figure, table.c.month],
                            set_={"count": table.c.count + bindparam("amount")})


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
