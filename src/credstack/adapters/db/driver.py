"""psycopg beneath SQLAlchemy: its cursor on a session's connection, its errors raised as
SQLAlchemy raises them, and statements sent without waiting for their answers (its pipeline
mode), for a transaction that holds locks every other writer waits for.

Inside :func:`pipelined`, a statement executed with :data:`QUEUED` among its execution
options (a write whose answer nobody reads) is sent and not waited for; every other statement
is answered before its result is read, as outside, and carries the queued ones to the server
with it. So a transaction that writes several tables after its last read waits for one round
trip instead of one a statement: an issue batch held its organisation's allocation lock and
the audit log's head while it sent seven statements one after the other, and every other
server's batch waited that long (bench/load.py issue). An error of a queued statement is
raised by the next statement answered or when the block ends, as SQLAlchemy raises the
driver's errors (an :class:`~sqlalchemy.exc.IntegrityError` for a key taken).

Reads that do not depend on each other's answers are sent together by :func:`read_together`
(on PostgreSQL in one pipeline, answered once), as an issue batch reads its signer's stamp and
its newest status list before it signs.

SQLite has no round trips: the block changes nothing there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Generic, TypeVar

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from credstack.adapters.db.engine import store_error

__all__ = ["QUEUED", "Reading", "committed_in_pipeline", "driver_cursor", "driver_errors",
           "in_pipeline", "pipelined", "read_together"]

#: The execution option of a statement sent without waiting for its answer in a pipeline.
QUEUED: Final = "credstack_queued"

First = TypeVar("First")
Second = TypeVar("Second")
Made = TypeVar("Made")


@dataclass(frozen=True, slots=True)
class Reading(Generic[Made]):
    """A read a repository hands out to be sent with another (:func:`read_together`): its
    statement (a SELECT built once), its parameters, and what its rows are made into (each
    row a sequence of its columns' values, as the driver gives them)."""

    statement: Executable
    parameters: Mapping[str, Any]
    made: Callable[[Sequence[Sequence[Any]]], Made]


def read_together(session: Session, first: Reading[First], second: Reading[Second]
                  ) -> tuple[First, Second]:
    """What ``first`` and ``second`` read, asked for together: on PostgreSQL both sent in
    psycopg's pipeline mode and their answers waited for once, where each was a round trip;
    each sees what was committed when it runs (in a session of
    :func:`~credstack.adapters.db.transactions.reading`, or in its transaction's snapshot).
    Elsewhere one after the other. Their columns come as the driver gives them (JSON as
    Python data, binary as bytes)."""
    readings: tuple[Reading[Any], Reading[Any]] = (first, second)
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        made = [reading.made(session.execute(reading.statement, reading.parameters).all())
                for reading in readings]
    else:
        driver = connection.connection.driver_connection
        assert driver is not None
        cursors = [driver.cursor() for _ in readings]
        texts = [_driver_text(reading.statement, connection.dialect) for reading in readings]
        # Leaving the pipeline sends its one Sync and reads both answers.
        with driver_errors(texts[0][0]), driver.pipeline():
            for cursor, (query, defaults), reading in zip(cursors, texts, readings,
                                                           strict=True):
                cursor.execute(query, {**defaults, **reading.parameters})
        made = []
        for cursor, reading in zip(cursors, readings, strict=True):
            with cursor:
                made.append(reading.made(cursor.fetchall()))
    return made[0], made[1]


@cache
def _driver_text(statement: Executable, dialect: Dialect) -> tuple[str, dict[str, Any]]:
    """``statement`` as the driver's text (``%(name)s`` placeholders) and its fixed parameters
    (a limit's): compiled once, as the statements handed out are built once."""
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    return str(compiled), dict(compiled.params)


@contextmanager
def pipelined(session: Session) -> Iterator[None]:
    """Inside it, on PostgreSQL, the session's statements marked :data:`QUEUED` go to the
    server with the next one answered, or when the block ends (the module docstring)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver_errors("pipeline"), driver.pipeline() as pipeline:

        def answered(_connection: Any, _cursor: Any, _statement: str, _parameters: Any,
                     context: Any, _executemany: bool) -> None:
            # A queued INSERT of one row returns its new key (SQLAlchemy's implicit
            # RETURNING), which is read: it is answered.
            if (not context.execution_options.get(QUEUED)
                    or getattr(context.compiled, "effective_returning", None)):
                pipeline.sync()

        event.listen(connection, "after_cursor_execute", answered)
        try:
            yield
        finally:
            event.remove(connection, "after_cursor_execute", answered)


@contextmanager
def committed_in_pipeline(session: Session) -> Iterator[None]:
    """On PostgreSQL, the transaction's ``BEGIN`` sent ahead of its first statement, its
    statements in a :func:`pipelined` block, and its ``COMMIT`` sent with its last writes when
    the block ends without error (what the session holds unwritten flushed first), so that
    its writes and their commit are answered together: psycopg's own ``BEGIN`` and ``COMMIT``
    are each a round trip of their own in a pipeline (it syncs after each), two answers every
    issue batch waited for while it held the allocation lock and the audit head. The session's
    connection is in autocommit for the block (psycopg then sends no transaction statement of
    its own); the caller commits the session afterwards (nothing left to send; its commit
    hooks run then) or rolls it back (psycopg sends ``ROLLBACK`` for the transaction begun
    here). Elsewhere the block changes nothing. The session must not have begun yet."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    assert not session.in_transaction(), "the transaction must begin in the block"
    connection = session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    driver = connection.connection.driver_connection
    assert driver is not None
    with pipelined(session):
        driver.execute(b"BEGIN")
        yield
        session.flush()
        driver.execute(b"COMMIT")


def in_pipeline(session: Session) -> bool:
    """Whether the session's connection is in a :func:`pipelined` block (PostgreSQL's COPY is
    not sent in one)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return False
    driver = connection.connection.driver_connection
    return driver is not None and bool(driver.pgconn.pipeline_status)


@contextmanager
def driver_errors(statement: str) -> Iterator[None]:
    """Raise psycopg's errors from work done on :func:`driver_cursor` as SQLAlchemy raises
    a driver's error for its own statements: a store out of reach or full as credstack's
    error, the rest (a key already taken) as SQLAlchemy's, naming ``statement``."""
    try:
        yield
    except psycopg.Error as error:
        raise (store_error(error) or DBAPIError.instance(
            statement, None, error, psycopg.Error)) from error


def driver_cursor(session: Session) -> Any:
    """A psycopg cursor on the connection (and transaction) the session is using."""
    return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
