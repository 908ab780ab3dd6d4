"""How many writes this process has committed to each of its stores: what a read kept for a moment
(:mod:`credstack.services.freshness`) is checked against, so that a process always reads its
own writes at once.

A statement that writes (``INSERT``, ``UPDATE``, ``DELETE``, ``REPLACE``, or one beginning
with a common table expression, which may) marks its connection; when a session whose
connection was marked has committed, the count moves. It moves *after* the database's commit
(the session's ``after_commit``, in the committing thread), never before: a reader that
looked at the count between the two would otherwise keep what it read before the write for
the whole moment. Read-only transactions, which every request opens, leave it alone.

Each table a transaction wrote is counted too (:func:`writes_committed` with ``tables``), so
that what is made of a few tables (a bearer token's grant: the token, its client, its owner
and their memberships) is not read again for every write to the others (an issued
credential). A statement beginning with a common table expression counts for every table its
writing clauses name (``INSERT INTO t``, ``UPDATE t``, ``DELETE FROM t`` anywhere in it: a
data-modifying CTE's table too); one where none is found counts as a write to every table.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections.abc import Iterable
from typing import Any, Final

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["leave_uncounted", "watch", "writes_committed"]

_WRITING: Final = ("INSERT", "UPDATE", "DELETE", "REPLAC", "WITH")
#: The table a writing statement names first: ``INSERT INTO t``, ``UPDATE t``, ``DELETE FROM
#: t``, ``REPLACE INTO t`` (SQLite's ``INSERT OR …`` too), the name possibly quoted.
_TABLE: Final = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)',
    re.IGNORECASE)
#: Every table a statement's writing clauses name (for one beginning with ``WITH``, whose
#: data-modifying CTEs may write several): a name too many (``FOR UPDATE OF``, ``DO UPDATE
#: SET``) costs a needless re-read of what was kept, never a stale one.
_TABLES: Final = re.compile(
    r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)',
    re.IGNORECASE)
#: What a connection's transaction wrote: the set of its tables, or :data:`_EVERY` table.
_MARK: Final = "credstack.wrote"
_EVERY: Final = "*"
_UNCOUNTED: Final = "credstack.uncounted"
#: A commit of a marked connection, seen in this thread, whose session has not yet finished.
_committing = threading.local()


class _WriteCount:
    """The writes this process has committed to one database."""

    def __init__(self) -> None:
        # ``next`` is atomic under the GIL, ``+=`` is not.
        self._counter = itertools.count(1)
        self.last = 0
        #: Table → the count when a write to it was last committed (:data:`_EVERY`: a
        #: write to a table not told).
        self.tables: dict[str, int] = {}

    def moved(self, tables: Iterable[str]) -> None:
        last = next(self._counter)
        for table in tables:
            self.tables[table] = last
        self.last = last

    def of(self, tables: Iterable[str]) -> int:
        found = self.tables
        return max([found.get(_EVERY, 0), *(found.get(table, 0) for table in tables)])


@functools.cache
def _count_of(database: str) -> _WriteCount:
    """One count per database in the process (as :func:`~credstack.adapters.db.writers
    .database_writers` keeps one lock per database): a write through any runtime on it — a
    test's, the app's, a command's run in-process — is this process's write."""
    return _WriteCount()


def writes_committed(sessions: sessionmaker[Session], *,
                     tables: Iterable[str] | None = None) -> int:
    """The number of this process's committed writes to the database of ``sessions`` so far
    (compare two readings); with ``tables``, it moves only when a write to one of them was
    committed."""
    count = _count_of(str(sessions.kw["bind"].url))
    return count.last if tables is None else count.of(tables)


def _written(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if statement.lstrip()[:6].upper().startswith(_WRITING):
        named = _TABLE.match(statement)
        wrote: set[str] = connection.info.setdefault(_MARK, set())
        if named is not None:
            wrote.add(named.group(1).lower())
        else:
            # A common table expression: each table its writing clauses name. An issuing
            # batch's tallies are one such statement on PostgreSQL; counted as a write to
            # every table, it made each batch read every bearer token again
            # (:mod:`credstack.services.oauth.token_cache`, a third of the servers' time).
            found = {name.lower() for name in _TABLES.findall(statement)}
            wrote.update(found or (_EVERY,))


def _commit(connection: Any) -> None:
    wrote = connection.info.pop(_MARK, None)
    if wrote:
        _committing.wrote = wrote


def _rollback(connection: Any) -> None:
    # A connection the server dropped (PostgreSQL restarting) is invalid: reading its
    # ``info`` would raise over the error that rolled it back. A mark left on its record
    # costs at most one needless re-read of what was kept, never a stale one.
    if not connection.invalidated:
        connection.info.pop(_MARK, None)


def _committed(count: _WriteCount, session: Session) -> None:
    wrote, _committing.wrote = getattr(_committing, "wrote", None), None
    if wrote and not session.info.pop(_UNCOUNTED, False):
        count.moved(wrote)


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
