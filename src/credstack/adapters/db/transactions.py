"""The unit of work as services hold it: the transaction they pass to repositories
(:class:`Session`), the factory of their sessions (:data:`Sessions`, which
:func:`credstack.adapters.db.engine.session_factory` makes), what runs when their
transactions end (:func:`on_end`, :func:`after_commit`), a stretch of a transaction whose
writes are sent together (:func:`~credstack.adapters.db.driver.pipelined`) and two reads of
repositories asked for together (:func:`~credstack.adapters.db.driver.read_together`).
Services name the database library only through this module (the
``services-name-no-database-library`` contract)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeAlias

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.driver import committed_in_pipeline, pipelined, read_together

__all__ = ["Session", "Sessions", "after_commit", "on_end", "pipelined", "pipelined_transaction",
           "read_together", "reading"]

#: What opens a session: ``with sessions() as session, session.begin(): …``.
Sessions: TypeAlias = sessionmaker[Session]


@contextmanager
def reading(sessions: Sessions) -> Iterator[Session]:
    """A session for reads that need no one snapshot: on PostgreSQL its statements run
    without a transaction around them (autocommit), each seeing what was committed when it
    began, as each statement of a READ COMMITTED transaction does, but without the
    transaction's ``BEGIN`` and ``COMMIT``, two round trips (an issue batch's reading
    transaction, bench/load.py issue). Nothing written in it stays uncommitted: write
    nothing here. On SQLite, whose reads open no transaction anyway, a session as any."""
    with sessions() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session


@contextmanager
def pipelined_transaction(sessions: Sessions) -> Iterator[Session]:
    """A transaction whose statements are :func:`pipelined`, begun with its first statement
    and committed with its last writes (:func:`~credstack.adapters.db.driver.
    committed_in_pipeline`: on PostgreSQL no round trip for ``BEGIN`` nor one for ``COMMIT``
    alone); committed when the block ends, rolled back when it raises. On SQLite a
    transaction as any."""
    with sessions() as session:
        with committed_in_pipeline(session):
            yield session
        session.commit()


def on_end(sessions: Sessions, *, committed: Callable[[Session], None],
           rolled_back: Callable[[Session], None]) -> None:
    """Call ``committed`` after each transaction of ``sessions`` commits, ``rolled_back``
    after each rolls back (in the thread that ended it)."""
    event.listen(sessions, "after_commit", committed)
    event.listen(sessions, "after_rollback", rolled_back)


def after_commit(session: Session, call: Callable[[], None]) -> None:
    """Call ``call`` once ``session``'s transaction has committed (never if it rolls back)."""
    event.listen(session, "after_commit", lambda _session: call(), once=True)
