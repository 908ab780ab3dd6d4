"""Connecting to the store and bringing its schema up to date."""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import orjson
import psycopg
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db import commits
from credstack.adapters.db.writers import DatabaseWriters, WriterConnection, database_writers
from credstack.adapters.waiting import may_wait
from credstack.core.verification.json_values import lenient_loads
from credstack.errors import ConfigurationError, StoreFullError, StoreUnavailableError
from credstack.settings import Settings

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


#: Connections a process keeps, and opens beyond them at busy moments, per database: 5 + 10
#: on both, measured (bench/load.py, two servers, concurrency 20, a loaded two-core machine).
#: More connections kept answer more slowly under the GIL: each SQLite connection has a page
#: cache of its own (32 MiB, below) to warm, each PostgreSQL one a backend competing for the
#: same cores. SQLite 20 + 20 served search at 595 and programme pages at 167 a second where
#: 5 + 10 served 906 and 301; PostgreSQL 8 + 8 (most recently used first) served search at
#: 468–575 where 5 + 10 served 949. ``credstack serve --workers 4`` then holds at most 60
#: PostgreSQL connections, within the server's default ``max_connections`` of 100 beside the
#: jobs worker and a CLI.
SQLITE_POOL: Final = (5, 10)
POSTGRES_POOL: Final = (5, 10)


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database; SQLite gets WAL, enforced foreign keys and
    writers that hand the write lock on at once (:mod:`~credstack.adapters.db.writers`).

    A database that cannot be reached (PostgreSQL restarting, the network gone) raises
    :class:`~credstack.errors.StoreUnavailableError` and a full disk
    :class:`~credstack.errors.StoreFullError`, whichever code meets it: the transaction is
    rolled back and the caller told so, never a traceback. A PostgreSQL connection that lay
    unused in the pool for :data:`PING_AFTER` seconds is checked before it is used again
    (:func:`_ping_if_idle`), so that after a restart the first request reconnects instead
    of failing on a connection the server closed.
    """
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(settings.database_url, json_serializer=write_json,
                               json_deserializer=read_json,
                               connect_args={"factory": WriterConnection},
                               pool_size=SQLITE_POOL[0], max_overflow=SQLITE_POOL[1])
        writers = database_writers(engine.url.database)
        event.listen(engine, "connect", functools.partial(_sqlite_connected, writers))
    else:
        engine = create_engine(settings.database_url,
                               json_serializer=write_json, json_deserializer=read_json,
                               pool_size=POSTGRES_POOL[0], max_overflow=POSTGRES_POOL[1])
        event.listen(engine, "checkout", functools.partial(_ping_if_idle, engine.dialect))
        event.listen(engine, "checkin", _idle_from)
    event.listen(engine, "handle_error", _store_errors)
    return engine


#: Seconds a PostgreSQL connection lies unused in the pool before it is checked as it is
#: taken out again. SQLAlchemy's ``pool_pre_ping`` checks it every time: a round trip for
#: every transaction, the second of a two-statement one, and an issue batch's two
#: transactions waited on two (bench/load.py issue). A connection back in the pool a
#: moment ago answered a moment ago; a restart of the server takes longer than this, and
#: a connection it cuts while in use fails its transaction (refused, nothing written) and
#: has the pool drop every connection opened before (SQLAlchemy's disconnect handling).
PING_AFTER: Final = 1.0
#: Where a connection's record keeps when it was last put back (monotonic seconds).
_IDLE_SINCE: Final = "credstack.idle_since"


def _idle_from(_connection: Any, record: Any) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()


def _ping_if_idle(dialect: Dialect, connection: Any, record: Any, _proxy: Any) -> None:
    """Check a connection that lay unused for :data:`PING_AFTER` seconds (one opened just
    now is not) as ``pool_pre_ping`` does; a dead one is replaced (the pool retries on
    :class:`~sqlalchemy.exc.DisconnectionError`)."""
    since = record.info.get(_IDLE_SINCE)
    if since is None or time.monotonic() - since < PING_AFTER:
        return
    try:
        dialect.do_ping(connection)
    except psycopg.Error as error:
        raise DisconnectionError(str(error)) from error


#: PostgreSQL's SQLSTATE classes of a server that is gone or going: 08 "connection
#: exception", 57P "operator intervention" (shut down, restarting, cannot connect now).
_GONE_STATES = ("08", "57P")
#: SQLite's result code for a full disk (SQLITE_FULL).
_SQLITE_FULL = 13


def _store_errors(context: ExceptionContext) -> BaseException | None:
    """What SQLAlchemy raises instead of its own error: see :func:`store_error`."""
    return store_error(context.original_exception, disconnected=context.is_disconnect)


def store_error(original: BaseException, *, disconnected: bool = False
                ) -> StoreUnavailableError | StoreFullError | None:
    """The credstack error a database driver's error means, when it means the store is out
    of reach (or ``disconnected``) or out of space."""
    state = getattr(original, "sqlstate", None)
    if disconnected or (isinstance(original, psycopg.OperationalError) and (
            state is None or state.startswith(_GONE_STATES))):
        reason = str(original).strip().splitlines()[0] if str(original).strip() else (
            type(original).__name__)
        return StoreUnavailableError(
            f"The database cannot be reached just now ({reason}); nothing was written. "
            f"Try again in a few seconds.")
    if isinstance(original, sqlite3.Error) and getattr(
            original, "sqlite_errorcode", None) == _SQLITE_FULL:
        return StoreFullError(
            "The disk that holds the database is full; nothing was written, and what was "
            "stored before is intact. Free space on it (or move the data directory), then "
            "try again.")
    return None


def write_json(value: Any) -> str:
    """A JSON value as stored: orjson writes it three to five times as fast as the standard
    library, which an import that keeps a credential's verification report feels; what
    orjson refuses (an integer beyond 64 bits) the standard library writes, and what neither
    can write is refused as before."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


def read_json(text: str | bytes) -> Any:
    """A stored JSON value, read exactly: by orjson, twice as fast as the standard library,
    which a wallet's record of a thousand entries feels; where orjson would not read it
    exactly (an integer beyond 64 bits, kept as a credential stated it, which orjson makes
    a float) the standard library reads it (:func:`~credstack.core.verification.json_values
    .lenient_loads`)."""
    return lenient_loads(text)


def _sqlite_connected(writers: DatabaseWriters | None, connection: Any, _record: Any) -> None:
    connection.writers = writers
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    # 32 MiB of pages per connection, not SQLite's 2 MiB: a 100,000-learner cohort's random
    # keys (credential ids, request keys, status indexes) land all over indexes of tens of
    # megabytes, each insert re-reading evicted pages from the OS (the cohort's system CPU
    # time 12.8 → 8.6 s, its parent's CPU per credential 0.28 → 0.25 ms).
    cursor.execute("PRAGMA cache_size = -32768")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration the database lacks.

    A store already at the newest revision (what every start but the first finds) is told so
    by its ``alembic_version`` rows alone, read with one query, the newest revision read from
    the scripts' text (:func:`_head`): Alembic's own check imports Alembic (and Pygments,
    which it imports) and executes every revision script, 0.3 s of CPU that every process
    opening a store paid — each ``credstack`` command, server and worker.

    Alembic is imported here and in the functions below only when a store lacks a migration:
    a process that only reads a store, such as ``credstack verify``, never loads it."""
    try:
        if _stamped(engine) == (_head(),):
            return
        from alembic import command

        config = _config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except (OperationalError, StoreUnavailableError) as exc:
        reason = exc.orig if isinstance(exc, OperationalError) else (exc.__cause__ or exc.message)
        raise ConfigurationError(
            f"Cannot reach the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{reason}"
        ) from None


def _stamped(engine: Engine) -> tuple[str, ...]:
    """The revisions the store's ``alembic_version`` table holds, as Alembic's
    ``MigrationContext.get_current_heads`` reads them (none: not migrated)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return ()
        return tuple(connection.execute(text("SELECT version_num FROM alembic_version"))
                     .scalars())


def ping(session: Session) -> None:
    """Ask the store the simplest question (raises when it does not answer)."""
    session.execute(text("SELECT 1"))


def revision(engine: Engine) -> str | None:
    """The migration the store is at (``None``: not migrated)."""
    heads = _stamped(engine)
    return heads[0] if heads else None


def newest_revision() -> str | None:
    """The newest migration this credstack knows."""
    return _head()


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


#: How a migration script names its revision and the one it follows, each on a line of its
#: own (``tests/adapters/db/test_engine.py`` holds every script to it).
_REVISION: Final = re.compile(r'^revision = "([^"]+)"$', re.MULTILINE)
_FOLLOWS: Final = re.compile(r'^down_revision = (?:"([^"]+)"|None)$', re.MULTILINE)


@functools.cache
def _head() -> str:
    """The newest revision among the migration scripts (they do not change while running):
    the one no other script follows, read from the scripts' text, as Alembic's
    ``ScriptDirectory.get_current_head`` finds it by executing each script (a test holds
    the two equal)."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        named, follows = _REVISION.search(source), _FOLLOWS.search(source)
        assert named is not None and follows is not None, f"{script.name} names no revision"
        revisions.add(named[1])
        if follows[1] is not None:
            followed.add(follows[1])
    (head,) = revisions - followed
    return head


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions of ``engine``, their committed writes counted
    (:func:`~credstack.adapters.db.commits.writes_committed`); none executes a statement
    :func:`~credstack.adapters.waiting.without_waiting`."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    commits.watch(engine, sessions)
    # Work that must not wait (on an event loop) is stopped before a statement is sent.
    event.listen(sessions, "do_orm_execute", _may_execute)
    return sessions


def _may_execute(_state: Any) -> None:
    may_wait()
