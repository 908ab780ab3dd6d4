"""Reading and appending the audit log's rows (tables in :mod:`credstack.adapters.db.tables.audit`).

Statements run on the session's connection as SQLAlchemy Core: the ORM's bookkeeping would
cost more than the statements themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, cast

from sqlalchemy import String, Table, Text, bindparam, event, func, literal_column, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from credstack.adapters.db.driver import QUEUED, driver_cursor, driver_errors, in_pipeline
from credstack.adapters.db.tables import (
    IssuedCredentialRow,
    IssuerKeyRow,
    OrganisationRow,
    ProgrammeRow,
)
from credstack.adapters.db.tables.accounts import ApiClientRow, UserRow
from credstack.adapters.db.tables.audit import ACTION_LENGTH as ACTION_LENGTH
from credstack.adapters.db.tables.audit import ACTOR_LENGTH as ACTOR_LENGTH
from credstack.adapters.db.tables.audit import HEAD_ID, AuditEntryRow, AuditHeadRow
from credstack.adapters.db.tables.audit import SUBJECT_LENGTH as SUBJECT_LENGTH
from credstack.adapters.db.tables.recognitions import RecognitionRow
from credstack.adapters.db.times import utc
from credstack.core.audit import AuditEntry, AuditHead

__all__ = [
    "ACTION_LENGTH",
    "ACTOR_LENGTH",
    "AUDITED_RECORDS",
    "SUBJECT_LENGTH",
    "append",
    "audited_records",
    "begin_snapshot",
    "count",
    "entries",
    "has_entries",
    "head",
    "lock_head",
    "lock_head_ahead",
    "stream_entries",
    "to_entry",
]

def to_entry(row: Any) -> AuditEntry:
    """The core entry of a row."""
    return AuditEntry(row.seq, utc(row.at), row.actor, row.action, row.subject, row.details,
                      row.prev_hash, row.hash, row.request_id)


_ENTRIES: Final = cast(Table, AuditEntryRow.__table__)
_HEAD: Final = cast(Table, AuditHeadRow.__table__)
_HEAD_QUERY: Final = select(_HEAD.c.seq, _HEAD.c.hash, _HEAD.c.mac).where(_HEAD.c.id == HEAD_ID)
_LOCK_HEAD: Final = _HEAD_QUERY.with_for_update()
_TOUCH_HEAD: Final = (_HEAD.update().where(_HEAD.c.id == HEAD_ID).values(seq=_HEAD.c.seq)
                      .returning(_HEAD.c.seq, _HEAD.c.hash, _HEAD.c.mac))
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
    what makes it take the database's write lock, so the head is read by a no-op ``UPDATE``
    of it that returns it. Python's ``sqlite3`` opens the transaction just before that first
    write (its reads run outside any transaction), so the head read is the last one
    committed; a waiting appender waits there (``busy_timeout``).

    Here and below, Core statements on the session's connection: the ORM's bookkeeping
    would cost more than the statements themselves.
    """
    ahead = session.info.pop(_AHEAD, None)
    if ahead is not None:
        with driver_errors(ahead.query), ahead.cursor:
            found = ahead.cursor.fetchone()
        return None if found is None else AuditHead(*found)
    connection = session.connection()
    row = connection.execute(_LOCK_HEAD if connection.dialect.name == "postgresql"
                             else _TOUCH_HEAD).first()
    return None if row is None else AuditHead(row.seq, row.hash, row.mac)


@dataclass(frozen=True, slots=True)
class _Ahead:
    """The head's locked read sent ahead, its answer not yet read."""

    query: str
    cursor: Any


#: Where a session keeps the head's locked read sent ahead (:func:`lock_head_ahead`).
_AHEAD: Final = "credstack.audit.head_ahead"


def lock_head_ahead(session: Session) -> None:
    """On PostgreSQL in a pipeline (:func:`~credstack.adapters.db.driver.pipelined`): send
    :func:`lock_head`'s locked read now, its answer to be read by the transaction's next
    :func:`lock_head`, so that it comes back with the answer waited for next, not in a round
    trip of its own (an issue batch sends it right after its allocation's lock and read: one
    round trip for both while every other server's batch waits for them). The head is
    locked from here to the transaction's end. Elsewhere nothing: :func:`lock_head` reads
    and locks it."""
    if _AHEAD in session.info or not in_pipeline(session):
        return
    query = _compiled_lock_head(session.get_bind().dialect)
    cursor = driver_cursor(session)
    with driver_errors(query):
        cursor.execute(query, {"id_1": HEAD_ID})
    session.info[_AHEAD] = _Ahead(query, cursor)
    # Never read in a later transaction of the session, whose head it is not.
    event.listen(session, "after_transaction_end",
                 lambda ended, _transaction: ended.info.pop(_AHEAD, None), once=True)


@cache
def _compiled_lock_head(dialect: Any) -> str:
    """:data:`_LOCK_HEAD` as the driver's text (its one parameter ``id_1``)."""
    compiled = _LOCK_HEAD.compile(dialect=dialect)
    assert list(compiled.params) == ["id_1"], compiled.params
    return str(compiled)


def append(session: Session, entries: Sequence[AuditEntry], new_head: AuditHead) -> None:
    """Insert ``entries`` and write ``new_head`` (the head locked by :func:`lock_head`).

    On PostgreSQL, one statement: the entries' ``INSERT`` (one row each) with the head's
    ``UPDATE`` as its common table expression, a round trip less while the transaction holds
    the head, which every appending transaction waits for (an issue batch's entries,
    bench/load.py issue), and queued in a pipeline (:mod:`credstack.adapters.db.driver`):
    nothing is read of its answer. On SQLite, whose statements cost no round trip, the
    entries' ``INSERT`` executed for each, then the head's ``UPDATE``."""
    connection = session.connection()
    rows = [{"seq": entry.seq, "at": entry.at.astimezone(dt.UTC), "actor": entry.actor,
             "action": entry.action, "subject": entry.subject, "details": dict(entry.details),
             "prev_hash": entry.prev_hash, "hash": entry.hash, "request_id": entry.request_id}
            for entry in entries]
    written = {"new_seq": new_head.seq, "new_hash": new_head.hash, "new_mac": new_head.mac}
    if connection.dialect.name != "postgresql" or not rows:
        if rows:
            connection.execute(_INSERT, rows)
        connection.execute(_WRITE_HEAD, written)
        return
    query, fixed, details = _appending(connection.dialect)
    columns = {name: [row[name] for row in rows] for name in _FILLED}
    columns["details"] = [details(value) for value in columns["details"]]
    connection.exec_driver_sql(query, {**fixed, **columns, **written},
                               execution_options={QUEUED: True})


#: The entries' columns an append fills (``id`` is the database's).
_FILLED: Final = ("seq", "at", "actor", "action", "subject", "details", "prev_hash", "hash",
                  "request_id")


@cache
def _appending(dialect: Dialect) -> tuple[str, dict[str, Any], Callable[[Any], Any]]:
    """:func:`append`'s statement on PostgreSQL as the driver's text, one for any number of
    entries (each column's values as one array parameter, ``unnest`` making them rows), and
    what makes an entry's details the driver's parameter. A text for each count of entries
    (``VALUES`` with nine parameters an entry) was compiled once per count, but psycopg
    converts a text of over 50 parameters anew on every execution (no cache for it): 0.4 ms
    for a batch of 6, 1.1 ms for 10 (cProfile of the committer), and PostgreSQL planned
    each count's statement apart. Its fixed parameters (the head's id) come with it."""
    # Strings as text: a cast to VARCHAR(n) would cut a value that the column refuses.
    arrays = [sql_cast(bindparam(name), ARRAY(Text() if isinstance(column.type, String)
                                              else column.type.dialect_impl(dialect)))
              for name, column in ((name, _ENTRIES.c[name]) for name in _FILLED)]
    statement = _ENTRIES.insert().from_select(
        list(_FILLED), select(literal_column("*")).select_from(func.unnest(*arrays))
    ).add_cte(_WRITE_HEAD.cte("head"))
    compiled = statement.compile(dialect=dialect)
    fixed = {name: value for name, value in compiled.params.items() if value is not None}
    details = _ENTRIES.c.details.type.dialect_impl(dialect).bind_processor(dialect)
    return str(compiled), fixed, details or (lambda value: value)


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
                   AuditEntryRow.prev_hash, AuditEntryRow.hash, AuditEntryRow.request_id)


def entries(session: Session, *, subject: str | None = None, after: int | None = None,
            limit: int = 100, latest: bool = False) -> list[AuditEntry]:
    """Entries in seq order: those after seq ``after`` (the first ``limit``), or with
    ``latest`` the last ``limit``; only about ``subject`` when it is given."""
    query = select(*_COLUMNS)
    if subject is not None:
        query = query.where(AuditEntryRow.subject == subject)
    if after is not None:
        query = query.where(AuditEntryRow.seq > after)
    order = AuditEntryRow.seq.desc() if latest else AuditEntryRow.seq
    found = [to_entry(row) for row in session.execute(query.order_by(order).limit(max(0, limit)))]
    return found[::-1] if latest else found


def count(session: Session) -> int:
    """How many entries the log holds."""
    return session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0


#: What the store holds that services write only with an audit entry: a name for each
#: kind, and its table.
AUDITED_RECORDS: Final = {
    "credentials": IssuedCredentialRow,
    "organisations": OrganisationRow,
    "keys": IssuerKeyRow,
    "accounts": UserRow,
    "programmes": ProgrammeRow,
    "recognitions": RecognitionRow,
    "api_clients": ApiClientRow,
}


def audited_records(session: Session) -> dict[str, int]:
    """How many of each kind of :data:`AUDITED_RECORDS` the store holds, in one statement."""
    counts = session.execute(select(*(
        select(func.count()).select_from(table).scalar_subquery()
        for table in AUDITED_RECORDS.values()))).one()
    return {name: int(value or 0) for name, value in zip(AUDITED_RECORDS, counts, strict=True)}


def has_entries(session: Session) -> bool:
    """Whether the log holds any entry at all."""
    return session.scalar(select(AuditEntryRow.seq).limit(1)) is not None


def begin_snapshot(session: Session) -> None:
    """Make the session's following reads one snapshot: ``REPEATABLE READ`` on PostgreSQL,
    an explicit ``BEGIN`` on SQLite. Does nothing in a transaction already begun."""
    if session.in_transaction():
        return
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return
    # Python's sqlite3 runs reads outside any transaction, each query with its own snapshot;
    # an explicit BEGIN makes the head and the entries one snapshot.
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN")
