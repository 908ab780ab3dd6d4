"""Many new rows of one table at once: PostgreSQL's COPY from ``COPY_FROM`` rows on, an
INSERT below that and on SQLite; either way the rows read back as they were given, and a
refused row is SQLAlchemy's error with nothing stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db import bulk
from credstack.adapters.db.tables.mail import MailOutboxRow
from credstack.adapters.db.times import utc

NOW = dt.datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=dt.UTC)


def _row(number: int, **more: Any) -> dict[str, Any]:
    return {"event_key": f"credential.issued:{number}", "organisation": None,
            "sender_name": "東京未来大学 \"Tokyo\"\tFuture", "to_address": f"l{number}@example.jp",
            "language": "ja", "template": "credential_issued",
            "context": {"title": {"ja": "データサイエンス入門 𠮷", "en": "Data\\science\n"},
                        "score": 87.5, "tags": [None, True, 12345678901234]},
            "state": "pending", "attempts": 0, "next_attempt_at": NOW, "created_at": NOW} | more


def _stored(session: Session) -> list[MailOutboxRow]:
    return list(session.scalars(select(MailOutboxRow).order_by(MailOutboxRow.id)))


@pytest.mark.parametrize("count", [3, bulk.COPY_FROM, 2 * bulk.COPY_FROM + 7])
def test_rows_read_back_as_they_were_given(sessions: sessionmaker[Session], count: int
                                           ) -> None:
    """Text with quotes, tabs, backslashes, newlines and astral characters, JSON, NULL and
    timestamps to the microsecond, each in its row, in order, under new ids."""
    rows = [_row(number) for number in range(count)]
    with sessions() as session, session.begin():
        bulk.insert_rows(session, MailOutboxRow, rows)
    with sessions() as session:
        stored = _stored(session)
    # (SQLite gives timestamps back without their zone, always UTC.)
    assert [{name: utc(value) if isinstance(value := getattr(row, name), dt.datetime)
             else value for name in rows[0]} for row in stored] == rows
    assert [row.subject for row in stored] == [None] * count
    assert len({row.id for row in stored}) == count


def test_rows_the_session_holds_unwritten_are_written_first(sessions: sessionmaker[Session]
                                                            ) -> None:
    """A row added to the session and not yet flushed is in the database before the copied
    ones (so that they may refer to it)."""
    with sessions() as session, session.begin():
        session.add(MailOutboxRow(**_row(-1)))
        bulk.insert_rows(session, MailOutboxRow, [_row(n) for n in range(bulk.COPY_FROM)])
    with sessions() as session:
        stored = _stored(session)
    assert [row.event_key for row in stored][:2] == ["credential.issued:-1",
                                                     "credential.issued:0"]


def test_a_key_already_taken_is_an_integrity_error_and_nothing_is_stored(
        sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        bulk.insert_rows(session, MailOutboxRow, [_row(0)])
    taken = [_row(n) for n in range(1, bulk.COPY_FROM + 1)] + [_row(0)]
    with pytest.raises(IntegrityError, match="event_key"), sessions() as session, \
            session.begin():
        bulk.insert_rows(session, MailOutboxRow, taken)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(MailOutboxRow)) == 1


def test_no_rows_is_nothing_to_do(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        bulk.insert_rows(session, MailOutboxRow, [])
        assert _stored(session) == []
