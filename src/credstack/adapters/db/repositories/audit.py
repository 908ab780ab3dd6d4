"""The audit log's tables: the entries of the hash chain and its one-row head.

``audit_entries`` holds the chain (:mod:`credstack.core.audit.chain`), one row per entry,
numbered by ``seq`` (1, 2, …, unique); ``subject`` is indexed for "everything about this
application". ``audit_head`` holds exactly one row (``id = 1``): the last entry's seq and
hash with their HMAC, rewritten with every append and locked while appending, so concurrent
appenders take turns. The migration creates the row as :data:`~credstack.core.audit.EMPTY_HEAD`.

On PostgreSQL a trigger refuses ``UPDATE``, ``DELETE`` and ``TRUNCATE`` on ``audit_entries``
(migration ``0005_audit``) and on SQLite two triggers refuse ``UPDATE`` and ``DELETE``: defence
in depth against mistakes and careless tools. They stop no one who owns the tables (``ALTER
TABLE audit_entries DISABLE TRIGGER USER``, ``DROP TRIGGER``); the hash chain and the head's
code are what make such changes visible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Final, cast

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Table, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from credstack.adapters.db.tables import Base, JsonDocument
from credstack.core.audit import AuditEntry, AuditHead

__all__ = [
    "HEAD_ID",
    "AuditEntryRow",
    "AuditHeadRow",
    "add_entry",
    "head",
    "lock_head",
    "stream_entries",
    "to_entry",
    "write_head",
]

HEAD_ID: Final = 1
ACTOR_LENGTH: Final = 200
ACTION_LENGTH: Final = 100
SUBJECT_LENGTH: Final = 500


class AuditEntryRow(Base):
    """One entry of the hash chain; never updated or deleted by credstack."""

    __tablename__ = "audit_entries"
    __table_args__ = (CheckConstraint("seq >= 1", name="seq_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: Who: ``user:12``, ``client:abc``, ``anonymous``, ``cli:<os user>``.
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    #: What, dotted: ``application.submitted``, ``access.denied``.
    action: Mapped[str] = mapped_column(String(ACTION_LENGTH))
    #: About what: ``application:<public id>``, ``user:12``.
    subject: Mapped[str] = mapped_column(String(SUBJECT_LENGTH), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The chain's last seq and hash, with their HMAC (``NULL`` before the first append)."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))


def to_entry(row: Any) -> AuditEntry:
    """The core entry of a row. SQLite returns stamps without a zone: they were stored in UTC."""
    at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=dt.UTC)
    return AuditEntry(row.seq, at, row.actor, row.action, row.subject, row.details,
                      row.prev_hash, row.hash)


_ENTRIES: Final = cast(Table, AuditEntryRow.__table__)
_HEAD: Final = cast(Table, AuditHeadRow.__table__)
_HEAD_QUERY: Final = select(_HEAD.c.seq, _HEAD.c.hash, _HEAD.c.mac).where(_HEAD.c.id == HEAD_ID)
_LOCK_HEAD: Final = _HEAD_QUERY.with_for_update()
_TOUCH_HEAD: Final = _HEAD.update().where(_HEAD.c.id == HEAD_ID).values(seq=_HEAD.c.seq)
_WRITE_HEAD: Final = (_HEAD.update().where(_HEAD.c.id == HEAD_ID)
                      .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"),
                              mac=bindparam("new_mac")))
_INSERT: Final = _ENTRIES.insert()


def head(session: Session) -> AuditHead | None:
    """The stored head, read without a lock; ``None`` if the row is gone."""
    row = session.connection().execute(_HEAD_QUERY).first()
    return None if row is None else AuditHead(row.seq, row.hash, row.mac)


def lock_head(session: Session) -> AuditHead | None:
    """The stored head, locked until the transaction ends: appenders take turns here.

    PostgreSQL locks the row (``SELECT … FOR UPDATE``). SQLite has no row locks; a write is
    what makes it take the database's write lock, so a no-op ``UPDATE`` of the head comes
    first. Python's ``sqlite3`` opens the transaction just before that first write (its
    reads run outside any transaction), so the head is read after the lock is held and is
    the last one committed; a waiting appender waits there (``busy_timeout``).

    Here and below, Core statements on the session's connection: the ORM's bookkeeping
    would cost more than the statements themselves.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(_TOUCH_HEAD)
    row = connection.execute(_LOCK_HEAD).first()
    return None if row is None else AuditHead(row.seq, row.hash, row.mac)


def add_entry(session: Session, entry: AuditEntry) -> None:
    session.connection().execute(_INSERT, {
        "seq": entry.seq, "at": entry.at.astimezone(dt.UTC), "actor": entry.actor,
        "action": entry.action, "subject": entry.subject, "details": dict(entry.details),
        "prev_hash": entry.prev_hash, "hash": entry.hash})


def write_head(session: Session, new: AuditHead) -> None:
    session.connection().execute(_WRITE_HEAD, {"new_seq": new.seq, "new_hash": new.hash,
                                               "new_mac": new.mac})


def stream_entries(session: Session, *, batch: int = 1000) -> Iterator[AuditEntry]:
    """Every entry in seq order, fetched ``batch`` rows at a time (a server-side cursor on
    PostgreSQL), so that memory stays flat however long the log is."""
    # Columns, not row objects: nothing goes into the session's identity map.
    query = (select(*_COLUMNS).order_by(AuditEntryRow.seq)
             .execution_options(yield_per=batch))
    for row in session.execute(query):
        yield to_entry(row)


_COLUMNS: Final = (AuditEntryRow.seq, AuditEntryRow.at, AuditEntryRow.actor,
                   AuditEntryRow.action, AuditEntryRow.subject, AuditEntryRow.details,
                   AuditEntryRow.prev_hash, AuditEntryRow.hash)
