"""How many writes this process has committed to its stores: what a read kept for a moment
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

import itertools
import threading
from typing import Any, Final

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["leave_uncounted", "watch", "writes_committed"]

_WRITING: Final = ("INSERT", "UPDATE", "DELETE", "REPLAC", "WITH")
_MARK: Final = "credstack.wrote"
_UNCOUNTED: Final = "credstack.uncounted"
#: Moves by one at every committed write (``next`` is atomic under the GIL, ``+=`` is not).
_commits = itertools.count(1)
_last = 0
#: A commit of a marked connection, seen in this thread, whose session has not yet finished.
_committing = threading.local()


def writes_committed() -> int:
    """The number of this process's committed writes so far (compare two readings)."""
    return _last


def _written(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if statement.lstrip()[:6].upper().startswith(_WRITING):
        connection.info[_MARK] = True


def _commit(connection: Any) -> None:
    if connection.info.pop(_MARK, False):
        _committing.wrote = True


def _rollback(connection: Any) -> None:
    connection.info.pop(_MARK, None)


def _committed(session: Session) -> None:
    global _last
    wrote, _committing.wrote = getattr(_committing, "wrote", False), False
    if wrote and not session.info.pop(_UNCOUNTED, False):
        _last = next(_commits)


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
    event.listen(sessions, "after_commit", _committed)
