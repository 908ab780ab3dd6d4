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

SQLite has no round trips: the block changes nothing there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import psycopg
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from credstack.adapters.db.engine import store_error

__all__ = ["QUEUED", "committed_in_pipeline", "driver_cursor", "driver_errors", "in_pipeline",
           "pipelined"]

#: The execution option of a statement sent without waiting for its answer in a pipeline.
QUEUED: Final = "credstack_queued"


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
