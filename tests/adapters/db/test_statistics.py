"""Planner statistics gathered again after bulk writes: PostgreSQL then knows how many rows a
table holds (it plans key lookups on the indexes instead of whole-table scans); SQLite,
which plans from its indexes alone, is left as it is."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db import bulk, statistics
from credstack.adapters.db.tables.mail import MailOutboxRow
from credstack.settings import Settings
from tests.adapters.db.test_bulk import _row


def _known_rows(session: Session) -> float:
    return float(session.scalar(text(
        "SELECT reltuples FROM pg_class WHERE relname = 'mail_outbox'")) or 0)


def test_postgresql_counts_the_rows_of_a_bulk_write(settings: Settings,
                                                    sessions: sessionmaker[Session]) -> None:
    rows = [_row(number) for number in range(300)]
    with sessions() as session, session.begin():
        bulk.insert_rows(session, MailOutboxRow, rows)
    with sessions() as session, session.begin():
        if settings.is_sqlite:
            statistics.refresh(session, [MailOutboxRow])  # nothing to do, and no error
            return
        assert _known_rows(session) <= 0  # never gathered: -1
        statistics.refresh(session, [MailOutboxRow])
    with sessions() as session:
        assert _known_rows(session) == 300


def test_no_tables_is_nothing_to_do(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        statistics.refresh(session, [])
