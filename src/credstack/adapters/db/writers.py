"""SQLite's one writer at a time, handed from writer to writer at once instead of by polling.

SQLite lets one connection write at a time. A connection that finds the database locked
sleeps in SQLite's busy handler and looks again after 1, 2, 5, 10, 15, 20, 25 ... 100 ms,
however soon the writer it waits for commits. Under load that, not the work, is what a write
costs: with two servers issuing OID4VCI credentials on two cores, 46 % of the transactions
found the lock taken at their first write, and one in ten waited over 25 ms for a lock held
for a fraction of that (the token endpoint's p95 was 41–67 ms for 2.4 ms of work).

:class:`WriterConnection` (the ``sqlite3`` connection class of credstack's SQLite engines)
takes its engine's lock and then the database's (``flock`` of ``<database>-writer.lock``,
which every engine on the file opens, in any process) before the statement that begins its
write transaction, and gives both back when the transaction ends
(:class:`DatabaseWriters`, one per engine: :func:`database_writers`). Writers of one engine
queue on a :class:`threading.Lock`, woken the moment it is free; other engines' writers look
again within a millisecond. The locks are an aid to SQLite's own, never a substitute:
waiting for them ends after the connection's busy timeout, and the statement then goes on
to SQLite's lock and its busy handler as it would without them. A transaction that never
took them (one that began with ``SAVEPOINT``, say) is as safe as before, only served later.

The standard library's ``sqlite3`` has no hook for SQLite's busy handler
(``sqlite3_busy_handler``), so the handover is written here, on the two places a
transaction's edges can be seen: the statement that begins it (the module begins one before
``INSERT``, ``UPDATE``, ``DELETE`` and ``REPLACE``; or an explicit ``BEGIN IMMEDIATE``) and
``commit``/``rollback``/``close``.

A connection never waits for them while it may hold SQLite's lock (inside a transaction it
began without them): the writer holding them would be waiting for SQLite's lock in turn,
and both would stall for the busy timeout before one failed with "database is locked".
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any, Final

__all__ = ["DatabaseWriters", "WriterConnection", "database_writers"]

#: The statements before which ``sqlite3`` begins a transaction (its ``is_dml``), and the
#: explicit beginnings of a write transaction.
_BEGINS: Final = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_BEGINS_WRITING: Final = ("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")
#: How long one look at another process's lock may sleep, at most (seconds).
_LONGEST_SLEEP: Final = 0.001


def _begins_writing(statement: str) -> bool:
    start = " ".join(statement[:40].split()).upper()
    return start.startswith(_BEGINS) or start.startswith(_BEGINS_WRITING)


class DatabaseWriters:
    """The writer locks of one database file, for one engine's connections.

    Another engine on the same file, in this process or another, meets these through the
    ``flock`` (each opens the lock file for itself, and ``flock`` tells two open files apart
    even in one process)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fork_guard = threading.Lock()
        self._open()

    def _open(self) -> None:
        self.pid = os.getpid()
        self.threads = threading.Lock()
        self.file = os.open(self.path + "-writer.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                            0o600)

    def _own(self) -> None:
        # A forked process inherits the parent's descriptor, which shares the parent's flock
        # (and the parent's threads' lock, as it was at the fork): it opens its own.
        if self.pid != os.getpid():
            with self._fork_guard:
                if self.pid != os.getpid():
                    os.close(self.file)
                    self._open()

    def acquire(self, timeout: float) -> bool:
        """Both locks, waiting at most ``timeout`` seconds; False (and neither held) when
        they were not free in time."""
        self._own()
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            return False
        sleep = 0.0001
        while True:
            try:
                fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.threads.release()
                    return False
                time.sleep(sleep)
                sleep = min(2 * sleep, _LONGEST_SLEEP)

    def release(self) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.threads.release()

    def __del__(self) -> None:
        if hasattr(self, "file"):  # not when the lock file could not be opened
            os.close(self.file)


def database_writers(database: str | None) -> DatabaseWriters | None:
    """The writer locks for an engine on the SQLite database ``database`` (a path); None for
    a database in memory, which has no other writer, or where the lock file cannot be made."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    try:
        return DatabaseWriters(os.path.realpath(database))
    except OSError:
        # A folder this process may not write to (a store opened to be read): SQLite's lock
        # alone, as before.
        return None


class _WriterCursor(sqlite3.Cursor):
    connection: WriterConnection

    def execute(self, sql: str, parameters: Any = (), /) -> _WriterCursor:
        took = self.connection._before(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            self.connection._after(took)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> _WriterCursor:
        took = self.connection._before(sql)
        try:
            return super().executemany(sql, seq_of_parameters)
        finally:
            self.connection._after(took)


class WriterConnection(sqlite3.Connection):
    """A ``sqlite3`` connection whose write transactions take the database's writer locks
    (see the module). Made by ``sqlite3.connect(..., factory=WriterConnection)``."""

    #: The locks its write transactions take (set when its engine connects it; None: none).
    writers: DatabaseWriters | None = None

    def __init__(self, database: str | os.PathLike[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self._holding = False
        self._timeout = float(kwargs.get("timeout", 5.0))

    def cursor(self, factory: Any = _WriterCursor) -> Any:
        return super().cursor(factory)

    # The connection's own shortcuts make a cursor of the module's class, not this one's.
    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, seq_of_parameters)

    def _before(self, sql: str) -> bool:
        """Take the writer locks before a statement that may begin writing.

        Inside a transaction that does not hold them (begun by a savepoint, or after waiting
        for them timed out) the statement may already hold SQLite's lock, which a writer
        holding these waits for: it takes them only if they are free, never waits.
        """
        if (self.writers is None or self._holding or self.isolation_level is None
                or not _begins_writing(sql)):
            return False
        self._holding = self.writers.acquire(0 if self.in_transaction else self._timeout)
        return self._holding

    def _after(self, took: bool) -> None:
        """A statement that took the locks but left no transaction open gives them back."""
        if took and not self.in_transaction:
            self._release()

    def _release(self) -> None:
        if self._holding and self.writers is not None:
            self._holding = False
            self.writers.release()

    def commit(self) -> None:
        self._end(super().commit)

    def rollback(self) -> None:
        self._end(super().rollback)

    def _end(self, end: Callable[[], None]) -> None:
        try:
            end()
        finally:
            if not self.in_transaction:
                self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()
