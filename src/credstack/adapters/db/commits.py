"""How many writes this process has committed to each of its stores: what a read kept for a moment
(:mod:`credstack.services.freshness`) is checked against, so that a process always reads its
own writes at once.

A statement that writes (``INSERT``, ``UPDATE``, ``DELETE``, ``REPLACE``, or one beginning
with a common table expression, which may) marks its connection; when a session whose
connection was marked has committed, the count moves. It moves *after* the database's commit
(the session's ``after_commit``, in the committing thread), never before: a reader that
looked at the count between the two would otherwise keep what it read before the write for
the whole moment. Read-only transactions, which every request opens, leave it alone.
"""

from __future__ import annotations

import functools
import itertools
import threading
from typing import Any, Final

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["leave_uncounted", "watch", "writes_committed"]

_WRITING: Final = ("INSERT", "UPDATE", "DELETE", "REPLAC", "WITH")
_MARK: Final = "credstack.wrote"
_UNCOUNTED: Final = "credstack.uncounted"
#: A commit of a marked connection, seen in this thread, whose session has not yet finished.
_committing = threading.local()


class _WriteCount:
    """The writes this process has committed to one database."""

    def __init__(self) -> None:
        # ``next`` is atomic under the GIL, ``+=`` is not.
        self._counter = itertools.count(1)
        self.last = 0

    def moved(self) -> None:
        self.last = next(self._counter)


@functools.cache
def _count_of(database: str) -> _WriteCount:
    """One count per database in the process (as :func:`~credstack.adapters.db.writers
    .database_writers` keeps one lock per database): a write through any runtime on it — a
    test's, the app's, a command's run in-process — is this process's write."""
    return _WriteCount()


def writes_committed(sessions: sessionmaker[Session]) -> int:
    """The number of this process's committed writes to the database of ``sessions`` so far
    (compare two readings)."""
    engine = sessions.kw["bind"]
    return _count_of(str(engine.url)).last


def _written(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if statement.lstrip()[:6].upper().startswith(_WRITING):
        connection.info[_MARK] = True


def _commit(connection: Any) -> None:
    if connection.info.pop(_MARK, False):
        _committing.wrote = True


def _rollback(connection: Any) -> None:
    # A connection the server dropped (PostgreSQL restarting) is invalid: reading its
    # ``info`` would raise over the error that rolled it back. A mark left on its record
    # costs at most one needless re-read of what was kept, never a stale one.
    if not connection.invalidated:
        connection.info.pop(_MARK, None)


def _committed(count: _WriteCount, session: Session) -> None:
    wrote, _committing.wrote = getattr(_committing, "wrote", False), False
    if wrote and not session.info.pop(_UNCOUNTED, False):
        count.moved()


def leave_uncounted(session: Session) -> None:
    """Leave the writes of ``session``'s transaction out of the count: for a transaction
    that writes only what nothing kept by generation is made of (the activity counts,
    written twice a second while credentials are verified), and would otherwise make every
    generation be read again."""
    session.info[_UNCOUNTED] = True


def watch(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """Count the writes committed through ``sessions`` on ``engine`` in
    :func:`writes_committed`."""
    event.listen(engine, "before_cursor_execute", _written)
    event.listen(engine, "commit", _commit)
    event.listen(engine, "rollback", _rollback)
    event.listen(sessions, "after_commit",
                 functools.partial(_committed, _count_of(str(engine.url))))
